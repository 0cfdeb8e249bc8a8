#include "db/migrator.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "db/connection.h"

namespace signet::db {
namespace {

// The advisory lock that serializes migrations: "signet" in ASCII.
constexpr int64_t kMigrationLockKey = 0x7369676e6574;

constexpr char kCreateMigrationsTable[] = R"sql(
  CREATE TABLE IF NOT EXISTS signet_schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  ))sql";

int NewestVersion(absl::Span<const Migration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

absl::Status CheckOrder(absl::Span<const Migration> migrations) {
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      return absl::InternalError(
          absl::StrCat("migrations out of order: ", migrations[i - 1].name,
                       " then ", migrations[i].name));
    }
  }
  return absl::OkStatus();
}

// Holds the migration lock for the life of the object. The lock belongs to
// the session, so a connection that breaks releases it too.
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection& connection)
      : connection_(connection) {
    pqxx::nontransaction tx(connection_);
    tx.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }

  ~MigrationLock() {
    try {
      pqxx::nontransaction tx(connection_);
      tx.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    } catch (const std::exception&) {
      // The connection is gone, and the lock with it.
    }
  }

 private:
  pqxx::connection& connection_;
};

int ReadVersion(pqxx::transaction_base& tx) {
  pqxx::row exists =
      tx.exec1("SELECT to_regclass('signet_schema_migrations') IS NOT NULL");
  if (!exists[0].as<bool>()) return 0;
  return tx
      .exec1(
          "SELECT COALESCE(max(version), 0) "
          "FROM signet_schema_migrations")[0]
      .as<int>();
}

void Apply(pqxx::connection& connection, const Migration& migration) {
  pqxx::work tx(connection);
  tx.exec(migration.sql);
  tx.exec_params(
      "INSERT INTO signet_schema_migrations (version, name) VALUES ($1, $2)",
      migration.version, std::string(migration.name));
  tx.commit();
}

}  // namespace

absl::StatusOr<MigrationReport> Migrate(
    pqxx::connection& connection, absl::Span<const Migration> migrations) {
  SIGNET_RETURN_IF_ERROR(CheckOrder(migrations));
  MigrationReport report;
  const Migration* current = nullptr;
  try {
    MigrationLock lock(connection);
    {
      pqxx::nontransaction tx(connection);
      tx.exec(kCreateMigrationsTable);
      report.from_version = ReadVersion(tx);
    }
    if (report.from_version > NewestVersion(migrations)) {
      return absl::FailedPreconditionError(
          absl::StrCat("database schema is at version ", report.from_version,
                       ", newer than this binary knows (",
                       NewestVersion(migrations), "): run a newer signetd"));
    }

    report.to_version = report.from_version;
    for (const Migration& migration : migrations) {
      if (migration.version <= report.from_version) continue;
      current = &migration;
      Apply(connection, migration);
      report.applied.push_back(migration.name);
      report.to_version = migration.version;
    }
  } catch (const std::exception& e) {
    return StatusFromException(
        e, current == nullptr ? "migration"
                              : absl::StrCat("migration ", current->name));
  }
  return report;
}

absl::StatusOr<int> SchemaVersion(pqxx::connection& connection) {
  try {
    pqxx::nontransaction tx(connection);
    return ReadVersion(tx);
  } catch (const std::exception& e) {
    return StatusFromException(e, "reading the schema version");
  }
}

absl::Status CheckSchemaIsCurrent(pqxx::connection& connection,
                                  absl::Span<const Migration> migrations) {
  SIGNET_ASSIGN_OR_RETURN(int version, SchemaVersion(connection));
  int wanted = NewestVersion(migrations);
  if (version < wanted) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database schema is at version ", version, ", this signetd needs ",
        wanted, ": run `signetd migrate` (or start with --migrate)"));
  }
  if (version > wanted) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database schema is at version ", version,
        ", newer than this signetd knows (", wanted, "): run a newer signetd"));
  }
  return absl::OkStatus();
}

}  // namespace signet::db
