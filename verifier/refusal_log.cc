#include "verifier/refusal_log.h"

#include <string>

#include "absl/time/clock.h"
#include "jwt/reason.h"
#include "spdlog/spdlog.h"

namespace signet::verifier {

void RefusalLog::Log(const absl::Status& refusal) {
  int64_t suppressed;
  {
    absl::MutexLock lock(&mutex_);
    absl::Time now = absl::Now();
    if (now - window_start_ >= absl::Seconds(1)) {
      window_start_ = now;
      logged_in_window_ = 0;
    }
    if (logged_in_window_ >= per_second_) {
      ++suppressed_;
      return;
    }
    ++logged_in_window_;
    suppressed = suppressed_;
    suppressed_ = 0;
  }

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
