#include "db/connection.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace signet::db {
namespace {

// libpq's messages end in a newline and sometimes span lines with tabs; one
// log line per event needs them flattened.
std::string OneLine(absl::string_view message) {
  std::string line;
  for (absl::string_view word :
       absl::StrSplit(message, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty())) {
    if (!line.empty()) line += ' ';
    absl::StrAppend(&line, word);
  }
  return line;
}

}  // namespace

absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect(
    const std::string& conninfo) {
  try {
    return std::make_unique<pqxx::connection>(conninfo);
  } catch (const pqxx::broken_connection& e) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to the store: ", OneLine(e.what())));
  } catch (const std::exception& e) {
    return absl::InternalError(
        absl::StrCat("cannot connect to the store: ", OneLine(e.what())));
  }
}

absl::Status StatusFromException(const std::exception& e,
                                 absl::string_view what) {
  std::string message = absl::StrCat(what, ": ", OneLine(e.what()));
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

}  // namespace signet::db
