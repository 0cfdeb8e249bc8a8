#ifndef SIGNET_DB_CONNECTION_H_
#define SIGNET_DB_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "pqxx/pqxx"

namespace signet::db {

// Opens a connection described by a libpq connection string, such as
// "host=/tmp/signet-pg.x1 dbname=signet user=signet". UNAVAILABLE when it
// fails, whether the server cannot be reached or the string is malformed
// (libpq reports both the same way); the message carries libpq's reason
// without the string itself, which may hold a password.
absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect(
    const std::string& conninfo);

// Converts an exception thrown by libpqxx into a status whose code says
// whether retrying may help: UNAVAILABLE for a lost connection, INTERNAL for
// anything else. `what` names the operation that failed.
absl::Status StatusFromException(const std::exception& e,
                                 absl::string_view what);

}  // namespace signet::db

#endif  // SIGNET_DB_CONNECTION_H_
