#include "jwt/strict_json.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace signet::jwt {

absl::StatusOr<nlohmann::json> ParseStrictJsonObject(absl::string_view text) {
  if (text.empty() || text.front() != '{' || text.back() != '}') {
    return absl::InvalidArgumentError(
        "not a JSON object with nothing before or after it");
  }

  // The parser reports each member name as it reads it; one set of names per
  // open object finds duplicates at any depth.
  std::vector<std::set<std::string>> open_objects;
  std::string violation;
  auto check = [&](int depth, nlohmann::json::parse_event_t event,
                   nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (!violation.empty()) return false;
    if (depth >= kMaxJsonDepth &&
        (event == Event::object_start || event == Event::array_start)) {
      violation = absl::StrCat("nested deeper than ", kMaxJsonDepth);
      return false;
    }
    if (event == Event::object_start) open_objects.emplace_back();
    if (event == Event::object_end) open_objects.pop_back();
    if (event == Event::key &&
        !open_objects.back().insert(parsed.get<std::string>()).second) {
      violation = "duplicate member name";
      return false;
    }
    return true;
  };

  nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end(), check,
                                                /*allow_exceptions=*/false,
                                                /*ignore_comments=*/false);
  if (!violation.empty()) return absl::InvalidArgumentError(violation);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return absl::InvalidArgumentError("malformed JSON");
  }
  return parsed;
}

}  // namespace signet::jwt
