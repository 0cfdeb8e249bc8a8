#ifndef SIGNET_DB_MIGRATOR_H_
#define SIGNET_DB_MIGRATOR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "db/migrations.h"
#include "pqxx/pqxx"

namespace signet::db {

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> applied;  // names, in the order applied
};

// Applies, in version order, each of `migrations` that the database has not
// recorded in its table `signet_schema_migrations`. Each migration runs in
// its own transaction together with its record, so a failure leaves the
// schema at the last complete version. A session-level advisory lock makes
// concurrent callers (several signetd processes starting at once) apply each
// migration exactly once: the second waits, then finds nothing to do.
//
// A database whose recorded version is newer than the newest of
// `migrations` is FAILED_PRECONDITION: an older binary must not run on a
// schema it does not know. Store errors are UNAVAILABLE or INTERNAL.
absl::StatusOr<MigrationReport> Migrate(pqxx::connection& connection,
                                        absl::Span<const Migration> migrations);

// The highest migration version recorded, or 0 when none is.
absl::StatusOr<int> SchemaVersion(pqxx::connection& connection);

// OK when the database's schema is exactly the newest of `migrations`;
// otherwise FAILED_PRECONDITION with a message that says what to run.
absl::Status CheckSchemaIsCurrent(pqxx::connection& connection,
                                  absl::Span<const Migration> migrations);

}  // namespace signet::db

#endif  // SIGNET_DB_MIGRATOR_H_
