#ifndef SIGNET_TESTS_PRIVATE_POSTGRES_H_
#define SIGNET_TESTS_PRIVATE_POSTGRES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace signet::testing {

// A throwaway PostgreSQL cluster started by deploy/private_postgres.sh: a
// temporary directory under /tmp, a unix socket, a non-root server process.
// Tests that use it need `tags = ["no-sandbox"]` (see tests/BUILD.bazel) and
// the script in their data.
class PrivatePostgres {
 public:
  // Starts a cluster. If this process dies without running the destructor
  // (a crash, a test timeout), the script's watchdog still removes it.
  static absl::StatusOr<std::unique_ptr<PrivatePostgres>> Start();

  // Stops the cluster and removes its directory.
  ~PrivatePostgres();

  PrivatePostgres(const PrivatePostgres&) = delete;
  PrivatePostgres& operator=(const PrivatePostgres&) = delete;

  // The libpq connection string of the cluster's database `signet`.
  const std::string& conninfo() const { return conninfo_; }

  // The cluster's directory, also the directory of its unix socket.
  const std::string& directory() const { return directory_; }

  // Stops the server, keeping the data, and starts it again: the store goes
  // away and comes back as in an outage.
  absl::Status Pause();
  absl::Status Resume();

  // Creates a new empty database and returns its connection string, so that
  // each test can start from nothing without a cluster of its own.
  absl::StatusOr<std::string> CreateDatabase();

 private:
  PrivatePostgres(std::string conninfo, std::string directory);

  std::string conninfo_;
  std::string directory_;
  int databases_created_ = 0;
};

// One cluster shared by every test of this process, started on first use and
// removed at exit. Aborts the test binary, with the reason, if the cluster
// cannot start: no test of it could run.
PrivatePostgres& SharedPostgres();

// The path of deploy/private_postgres.sh in the test's runfiles.
std::string PrivatePostgresScript();

}  // namespace signet::testing

#endif  // SIGNET_TESTS_PRIVATE_POSTGRES_H_
