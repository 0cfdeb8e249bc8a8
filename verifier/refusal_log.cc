#include "verifier/refusal_log.h"

#include <string>

#include "jwt/reason.h"
#include "spdlog/spdlog.h"

namespace signet::verifier {

void RefusalLog::Log(const absl::Status& refusal) {
  int64_t suppressed = 0;
  if (!limiter_.Allow(&suppressed)) return;

  std::optional<jwt::Reason> reason = jwt::ReasonOf(refusal);
  std::string name =
      reason.has_value() ? std::string(jwt::ReasonName(*reason)) : "other";
  std::string detail(refusal.message());
  if (suppressed > 0) {
    spdlog::warn(
        "verifier refused a credential: {}: {} ({} more refusals not "
        "logged)",
        name, detail, suppressed);
  } else {
    spdlog::warn("verifier refused a credential: {}: {}", name, detail);
  }
}

}  // namespace signet::verifier
