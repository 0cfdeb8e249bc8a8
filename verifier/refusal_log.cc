#include "verifier/refusal_log.h"

#include <string>

#include "absl/strings/escaping.h"
#include "spdlog/spdlog.h"

namespace signet::verifier {

void RefusalLog::Log(absl::string_view outcome, absl::string_view detail) {
  int64_t suppressed = 0;
  if (!limiter_.Allow(&suppressed)) return;

  std::string_view reason(outcome.data(), outcome.size());
  std::string_view what(detail.data(), detail.size());
  if (suppressed > 0) {
    spdlog::warn(
        "verifier refused a credential: {}: {} ({} more refusals not "
        "logged)",
        reason, what, suppressed);
  } else {
    spdlog::warn("verifier refused a credential: {}: {}", reason, what);
  }
}

std::string SafeToPrint(absl::string_view text, size_t max_size) {
  std::string escaped = absl::CHexEscape(text.substr(0, max_size));
  if (text.size() > max_size) escaped += "...";
  return escaped;
}

}  // namespace signet::verifier
