#include "tests/private_postgres.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "db/connection.h"
#include "tests/subprocess.h"

namespace signet::testing {
namespace {

// "host=/tmp/signet-pg.x1 user=signet dbname=signet" -> "/tmp/signet-pg.x1"
std::string HostOf(absl::string_view conninfo) {
  absl::ConsumePrefix(&conninfo, "host=");
  return std::string(conninfo.substr(0, conninfo.find(' ')));
}

}  // namespace

std::string PrivatePostgresScript() {
  // Bazel runs tests in the runfiles tree of the main repository.
  return "deploy/private_postgres.sh";
}

absl::StatusOr<std::unique_ptr<PrivatePostgres>> PrivatePostgres::Start() {
  absl::StatusOr<CommandResult> started = RunCommand(
      {PrivatePostgresScript(), "start", "--owner-pid", absl::StrCat(getpid())},
      absl::Seconds(120));
  if (!started.ok()) return started.status();
  if (started->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("private PostgreSQL did not start:\n", started->output));
  }

  // The connection string is the last line the script prints.
  absl::string_view output =
      absl::StripTrailingAsciiWhitespace(started->output);
  absl::string_view conninfo = output.substr(output.rfind('\n') + 1);
  return std::unique_ptr<PrivatePostgres>(
      new PrivatePostgres(std::string(conninfo), HostOf(conninfo)));
}

PrivatePostgres::PrivatePostgres(std::string conninfo, std::string directory)
    : conninfo_(std::move(conninfo)), directory_(std::move(directory)) {}

PrivatePostgres::~PrivatePostgres() {
  (void)RunCommand({PrivatePostgresScript(), "stop", directory_},
                   absl::Seconds(60));
}

namespace {

absl::Status RunScript(const std::string& command, const std::string& dir) {
  absl::StatusOr<CommandResult> result =
      RunCommand({PrivatePostgresScript(), command, dir}, absl::Seconds(90));
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("private_postgres.sh ", command, ": ", result->output));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PrivatePostgres::Pause() { return RunScript("pause", directory_); }

absl::Status PrivatePostgres::Resume() {
  return RunScript("resume", directory_);
}

absl::StatusOr<std::string> PrivatePostgres::CreateDatabase() {
  std::string name = absl::StrCat("test_", ++databases_created_);
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection =
      db::Connect(conninfo_);
  if (!connection.ok()) return connection.status();
  try {
    pqxx::nontransaction tx(**connection);
    tx.exec(absl::StrCat("CREATE DATABASE ", name));
  } catch (const std::exception& e) {
    return db::StatusFromException(e, "creating a test database");
  }
  return absl::StrCat("host=", directory_, " user=signet dbname=", name);
}

PrivatePostgres& SharedPostgres() {
  static PrivatePostgres* shared = [] {
    absl::StatusOr<std::unique_ptr<PrivatePostgres>> started =
        PrivatePostgres::Start();
    if (!started.ok()) {
      fprintf(stderr, "%s\n", started.status().ToString().c_str());
      abort();
    }
    PrivatePostgres* cluster = started->release();
    std::atexit([] { delete shared; });
    return cluster;
  }();
  return *shared;
}

}  // namespace signet::testing
