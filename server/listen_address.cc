#include "server/listen_address.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace signet::server {
namespace {

// The limit of sun_path in struct sockaddr_un, less its terminating NUL.
constexpr size_t kMaxSocketPath = 107;

absl::Status Invalid(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--listen=", text, ": ", why,
      " (use host:port for TLS or unix:/absolute/path for local connections)"));
}

bool IsHostName(absl::string_view host) {
  if (host.empty()) return false;
  for (char c : host) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

bool IsBracketedIpv6(absl::string_view host) {
  if (host.size() < 3 || host.front() != '[' || host.back() != ']') {
    return false;
  }
  for (char c : host.substr(1, host.size() - 2)) {
    if (!absl::ascii_isxdigit(c) && c != ':' && c != '.') return false;
  }
  return true;
}

absl::StatusOr<ListenAddress> ParseUnix(absl::string_view text) {
  absl::string_view path = text.substr(5);
  if (path.empty() || path.front() != '/') {
    return Invalid(text, "a unix socket path must be absolute");
  }
  if (path.size() > kMaxSocketPath) {
    return Invalid(text, absl::StrCat("a unix socket path is limited to ",
                                      kMaxSocketPath, " bytes"));
  }
  return ListenAddress{ListenAddress::Transport::kLocal, std::string(text)};
}

}  // namespace

absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view text) {
  if (absl::StartsWith(text, "unix:")) return ParseUnix(text);

  size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) {
    return Invalid(text, "no port");
  }
  absl::string_view host = text.substr(0, colon);
  absl::string_view port_text = text.substr(colon + 1);
  if (!IsHostName(host) && !IsBracketedIpv6(host)) {
    return Invalid(text, "the host is not a name or an IP address");
  }
  uint32_t port;
  if (port_text.empty() || !absl::SimpleAtoi(port_text, &port) ||
      port > 65535) {
    return Invalid(text, "the port is not a number from 0 to 65535");
  }
  return ListenAddress{ListenAddress::Transport::kTls, std::string(text)};
}

}  // namespace signet::server
