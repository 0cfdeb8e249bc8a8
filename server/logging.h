#ifndef SIGNET_SERVER_LOGGING_H_
#define SIGNET_SERVER_LOGGING_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "fmt/format.h"

namespace signet::server {

// Sends log lines to stderr, one line per event:
//   2026-12-04T16:50:00.123Z info signetd: serving on unix:/run/signet.sock
// `level` is one of trace, debug, info, warn, error, off; anything else is
// INVALID_ARGUMENT and leaves logging as it was.
absl::Status ConfigureLogging(absl::string_view program,
                              absl::string_view level);

}  // namespace signet::server

// Debian's Abseil has its own string_view type, which fmt does not know.
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  template <typename Context>
  auto format(absl::string_view text, Context& context) const {
    return fmt::formatter<fmt::string_view>::format(
        fmt::string_view(text.data(), text.size()), context);
  }
};

#endif  // SIGNET_SERVER_LOGGING_H_
