#ifndef SIGNET_JWT_STRICT_JSON_H_
#define SIGNET_JWT_STRICT_JSON_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace signet::jwt {

// Nesting deeper than this is refused: no header or claim set signet reads
// needs more, and a bound keeps hostile input from exhausting the stack.
inline constexpr int kMaxJsonDepth = 16;

// Parses `text` as exactly one JSON object, strictly:
//   - the text starts with '{' and ends with its matching '}': no whitespace
//     or anything else before or after;
//   - strings are valid UTF-8 and escapes are well formed (no lone
//     surrogates);
//   - no object, at any depth, has two members of the same name;
//   - objects and arrays nest at most kMaxJsonDepth deep.
// Returns INVALID_ARGUMENT naming the first violation.
absl::StatusOr<nlohmann::json> ParseStrictJsonObject(absl::string_view text);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_STRICT_JSON_H_
