#ifndef SIGNET_DB_MIGRATIONS_H_
#define SIGNET_DB_MIGRATIONS_H_

#include "absl/types/span.h"

namespace signet::db {

// One numbered schema migration: db/migrations/NNNN_name.sql.
struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// The migrations compiled into this binary, in ascending version order.
absl::Span<const Migration> EmbeddedMigrations();

}  // namespace signet::db

#endif  // SIGNET_DB_MIGRATIONS_H_
