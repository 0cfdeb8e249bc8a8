#include "client/call_credentials.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/channel.h"
#include "client/empty_auth_context.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "jwt/key_source.h"
#include "jwt/private_key.h"
#include "jwt/verifier.h"
#include "tests/test_certificates.h"

namespace signet::client {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

constexpr char kAccount[] = "robot@signet.test";
constexpr char kKeyId[] = "0123456789abcdef0123456789abcdef";

// A health service that remembers the authorization header of each call.
class RecordingHealth final : public Health::Service {
 public:
  grpc::Status Check(grpc::ServerContext* context, const HealthCheckRequest*,
                     HealthCheckResponse* response) override {
    auto found = context->client_metadata().find("authorization");
    absl::MutexLock lock(&mutex_);
    seen_.push_back(
        found == context->client_metadata().end()
            ? ""
            : std::string(found->second.data(), found->second.size()));
    response->set_status(HealthCheckResponse::SERVING);
    return grpc::Status::OK;
  }

  std::vector<std::string> seen() {
    absl::MutexLock lock(&mutex_);
    return seen_;
  }

 private:
  absl::Mutex mutex_;
  std::vector<std::string> seen_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

class CallCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = testing::MakeShortTempDirectory();
    certificate_ = *testing::MakeSelfSignedCertificate(directory_);
    socket_ = absl::StrCat("unix:", directory_, "/server.sock");

    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back({ReadFile(certificate_.key_path),
                                      ReadFile(certificate_.certificate_path)});
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(tls),
                             &tls_port_);
    builder.AddListeningPort(socket_,
                             grpc::experimental::LocalServerCredentials(UDS));
    builder.RegisterService(&health_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);

    key_ = *jwt::PrivateKey::Generate(jwt::Algorithm::kEs256);
    key_file_ = jwt::KeyFile{"signet-test", kKeyId, key_->ToPkcs8Pem(),
                             kAccount,      "4242", "https://signet.test/"};
  }

  void TearDown() override {
    server_->Shutdown();
    std::filesystem::remove_all(directory_);
  }

  std::shared_ptr<grpc::Channel> Channel(const std::string& target,
                                         CallCredentialsOptions options = {}) {
    auto credentials = CallCredentialsFromKeyFile(key_file_, options);
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return *CreateChannel(target, {certificate_.certificate_path, ""},
                          *credentials);
  }

  static grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    HealthCheckResponse response;
    return Health::NewStub(channel)->Check(&context, HealthCheckRequest(),
                                           &response);
  }

  // Verifies a recorded "Bearer <token>" for `audience`.
  absl::StatusOr<jwt::VerifiedToken> Verify(const std::string& header,
                                            const std::string& audience) {
    auto keys = std::make_shared<jwt::InMemoryKeySource>();
    keys->Put(jwt::KeyRecord{kKeyId, key_->public_key(), kAccount});
    jwt::VerifierOptions options;
    options.audiences = {audience};
    options.clock = &clock_;
    EXPECT_TRUE(absl::StartsWith(header, "Bearer ")) << header;
    return (*jwt::Verifier::Create(options, keys))->Verify(header.substr(7));
  }

  // The certificate names localhost, so the channel's authority, and with
  // it the audience, is "localhost:<port>".
  std::string tls_target() const {
    return absl::StrCat("localhost:", tls_port_);
  }

  FakeClock clock_{absl::Now()};
  std::string directory_;
  testing::TestCertificate certificate_;
  std::string socket_;
  int tls_port_ = 0;
  RecordingHealth health_;
  std::unique_ptr<grpc::Server> server_;
  std::optional<jwt::PrivateKey> key_;
  jwt::KeyFile key_file_;
};

TEST(AudienceForServiceUrl, IsTheAuthorityOverEveryTransport) {
  EXPECT_EQ(AudienceForServiceUrl("https://svc.example:443/pkg.Svc"),
            "https://svc.example:443/");
  EXPECT_EQ(AudienceForServiceUrl("https://svc.example/pkg.Svc"),
            "https://svc.example/");
  EXPECT_EQ(AudienceForServiceUrl("://127.0.0.1:7443/pkg.Svc"),
            "https://127.0.0.1:7443/");
  EXPECT_EQ(AudienceForServiceUrl("://localhost/pkg.Svc"),
            "https://localhost/");
  EXPECT_EQ(AudienceForServiceUrl("http://h:1"), "https://h:1/");
}

TEST_F(CallCredentialsTest, TlsCallsCarryATokenThatVerifies) {
  CallCredentialsOptions options;
  options.clock = &clock_;

  ASSERT_TRUE(Call(Channel(tls_target(), options)).ok());

  ASSERT_EQ(health_.seen().size(), 1u);
  absl::StatusOr<jwt::VerifiedToken> verified = Verify(
      health_.seen()[0], absl::StrCat("https://localhost:", tls_port_, "/"));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->account_email(), kAccount);
  EXPECT_EQ(verified->key_id(), kKeyId);
}

TEST_F(CallCredentialsTest, LocalCallsCarryATokenThatVerifies) {
  CallCredentialsOptions options;
  options.clock = &clock_;

  ASSERT_TRUE(Call(Channel(socket_, options)).ok());

  ASSERT_EQ(health_.seen().size(), 1u);
  EXPECT_TRUE(Verify(health_.seen()[0], "https://localhost/").ok())
      << Verify(health_.seen()[0], "https://localhost/").status();
}

TEST_F(CallCredentialsTest,
       TokenIsReusedWithinItsLifeAndReplacedBeforeTheMargin) {
  CallCredentialsOptions options;
  options.clock = &clock_;
  options.token_lifetime = absl::Minutes(10);
  options.refresh_margin = absl::Minutes(2);
  auto channel = Channel(socket_, options);

  ASSERT_TRUE(Call(channel).ok());
  clock_.Advance(absl::Minutes(7));
  ASSERT_TRUE(Call(channel).ok());
  clock_.Advance(absl::Minutes(1) + absl::Seconds(1));  // 1:59 left
  ASSERT_TRUE(Call(channel).ok());
  ASSERT_TRUE(Call(channel).ok());

  std::vector<std::string> seen = health_.seen();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_NE(seen[1], seen[2]);
  EXPECT_EQ(seen[2], seen[3]);
  EXPECT_TRUE(Verify(seen[2], "https://localhost/").ok());
}

TEST_F(CallCredentialsTest, TwoAudiencesGetTwoTokens) {
  CallCredentialsOptions options;
  options.clock = &clock_;
  auto credentials = *CallCredentialsFromKeyFile(key_file_, options);
  ChannelOptions tls{certificate_.certificate_path, ""};

  ASSERT_TRUE(Call(*CreateChannel(socket_, {}, credentials)).ok());
  ASSERT_TRUE(Call(*CreateChannel(tls_target(), tls, credentials)).ok());
  ASSERT_TRUE(Call(*CreateChannel(socket_, {}, credentials)).ok());

  std::vector<std::string> seen = health_.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_NE(seen[0], seen[1]);
  EXPECT_EQ(seen[0], seen[2]);
  EXPECT_TRUE(Verify(seen[0], "https://localhost/").ok());
  EXPECT_TRUE(
      Verify(seen[1], absl::StrCat("https://localhost:", tls_port_, "/")).ok());
}

TEST_F(CallCredentialsTest, ExplicitAudienceIsUsedEverywhere) {
  CallCredentialsOptions options;
  options.clock = &clock_;
  options.audience = "https://greeter.internal/";

  ASSERT_TRUE(Call(Channel(socket_, options)).ok());
  ASSERT_TRUE(Call(Channel(tls_target(), options)).ok());

  for (const std::string& header : health_.seen()) {
    EXPECT_TRUE(Verify(header, "https://greeter.internal/").ok());
  }
}

TEST_F(CallCredentialsTest, SigningFailureFailsTheCallClearly) {
  CallCredentialsOptions options;
  options.audience = std::string(5000, 'a');  // over the token size cap
  TokenPlugin plugin(*jwt::SignerFromKeyFile(key_file_), options);
  std::multimap<std::string, std::string> metadata;

  grpc::Status from_plugin = plugin.GetMetadata(
      "https://svc.test/pkg.Svc", "Check", EmptyAuthContext(), &metadata);
  grpc::Status call = Call(Channel(socket_, options));

  EXPECT_EQ(from_plugin.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(metadata.empty());
  // gRPC 1.51 reports every plugin failure to the caller as UNAVAILABLE,
  // with the plugin's message.
  EXPECT_EQ(call.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(
      absl::StrContains(call.error_message(), "signet: cannot sign a token"))
      << call.error_message();
  EXPECT_TRUE(health_.seen().empty());
}

TEST_F(CallCredentialsTest, CacheHoldsAtMostItsBound) {
  CallCredentialsOptions options;
  options.clock = &clock_;
  options.max_cached_tokens = 2;
  TokenPlugin plugin(*jwt::SignerFromKeyFile(key_file_, &clock_), options);

  std::string a = *plugin.TokenFor("https://a/");
  clock_.Advance(absl::Seconds(1));
  std::string b = *plugin.TokenFor("https://b/");
  clock_.Advance(absl::Seconds(1));
  std::string c = *plugin.TokenFor("https://c/");  // drops a, expiring soonest

  EXPECT_EQ(*plugin.TokenFor("https://b/"), b);
  EXPECT_EQ(*plugin.TokenFor("https://c/"), c);
  clock_.Advance(absl::Seconds(1));
  EXPECT_NE(*plugin.TokenFor("https://a/"), a);
}

TEST_F(CallCredentialsTest, BadOptionsAndKeyFilesAreRefused) {
  CallCredentialsOptions long_life;
  long_life.token_lifetime = absl::Hours(2);
  CallCredentialsOptions wide_margin;
  wide_margin.token_lifetime = absl::Minutes(5);
  wide_margin.refresh_margin = absl::Minutes(5);

  EXPECT_EQ(CallCredentialsFromKeyFile(key_file_, long_life).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CallCredentialsFromKeyFile(key_file_, wide_margin).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::shared_ptr<grpc::CallCredentials>> missing =
      CallCredentialsFromKeyFile(std::string("/nonexistent/key.json"));
  EXPECT_TRUE(
      absl::StrContains(missing.status().message(), "/nonexistent/key.json"));
}

}  // namespace
}  // namespace signet::client
