#include "server/listen_address.h"

#include <string>

#include "gtest/gtest.h"

namespace signet::server {
namespace {

TEST(ListenAddress, UnixPathIsLocal) {
  absl::StatusOr<ListenAddress> address =
      ParseListenAddress("unix:/run/signet/signetd.sock");

  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_EQ(address->transport, ListenAddress::Transport::kLocal);
  EXPECT_EQ(address->address, "unix:/run/signet/signetd.sock");
}

TEST(ListenAddress, HostAndPortAreTls) {
  for (const char* text :
       {"127.0.0.1:8443", "localhost:0", "[::1]:65535", "signet.internal:443",
        "0.0.0.0:7443", "[::]:8443"}) {
    absl::StatusOr<ListenAddress> address = ParseListenAddress(text);

    ASSERT_TRUE(address.ok()) << text << ": " << address.status();
    EXPECT_EQ(address->transport, ListenAddress::Transport::kTls) << text;
    EXPECT_EQ(address->address, text);
  }
}

TEST(ListenAddress, MalformedAddressesAreInvalid) {
  const std::string long_path = "unix:/" + std::string(107, 'a');
  for (const std::string& text :
       {std::string(""), std::string("localhost"), std::string(":8443"),
        std::string("host:"), std::string("host:65536"), std::string("host:-1"),
        std::string("host:80a"), std::string("ho st:80"), std::string("::1:80"),
        std::string("unix:"), std::string("unix:relative.sock"), long_path}) {
    absl::StatusOr<ListenAddress> address = ParseListenAddress(text);

    EXPECT_EQ(address.status().code(), absl::StatusCode::kInvalidArgument)
        << "'" << text << "'";
  }
}

}  // namespace
}  // namespace signet::server
