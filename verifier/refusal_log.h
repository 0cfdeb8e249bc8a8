#ifndef SIGNET_VERIFIER_REFUSAL_LOG_H_
#define SIGNET_VERIFIER_REFUSAL_LOG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "base/rate_limiter.h"

namespace signet::verifier {

// Logs refused credentials at a bounded pace: untrusted callers choose how
// many refusals there are, and must not choose how much is logged. At most
// `per_second` lines each second; the count of lines held back is logged
// with the next line that goes out. Lines name the reason and the detail
// the verifier gave (key ids and accounts, never tokens). Thread-safe.
class RefusalLog {
 public:
  explicit RefusalLog(int per_second = 10) : limiter_(per_second) {}

  // `outcome` is the refusal's reason name; `detail` what exactly was
  // wrong, already made safe to print (see SafeToPrint).
  void Log(absl::string_view outcome, absl::string_view detail);

 private:
  RateLimiter limiter_;
};

// `text` from a caller (a header member's name, a method path) made safe
// for a log line or a metrics label: control and non-ASCII bytes escaped
// as C escapes, and at most `max_size` bytes kept, so that a caller can
// neither forge log lines nor make them long.
std::string SafeToPrint(absl::string_view text, size_t max_size = 256);

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_REFUSAL_LOG_H_
