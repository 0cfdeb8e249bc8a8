// The token processor on a real gRPC server over local credentials, with
// keys in memory: access rules, the identity the handler sees, counters.

#include "verifier/token_auth_processor.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "jwt/base64url.h"
#include "jwt/private_key.h"
#include "jwt/signer.h"

namespace signet::verifier {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

// Health's Check answers with the caller's email in the status field's
// place: SERVING for a verified caller, UNKNOWN for an anonymous one.
class WhoAmI final : public Health::Service {
 public:
  explicit WhoAmI(CallVerifier* callers) : callers_(callers) {}

  grpc::Status Check(grpc::ServerContext* context, const HealthCheckRequest*,
                     HealthCheckResponse* response) override {
    std::optional<CallerIdentity> caller = callers_->CallerOf(*context);
    absl::MutexLock lock(&mutex_);
    last_caller_ = caller ? caller->account_email : "";
    response->set_status(caller ? HealthCheckResponse::SERVING
                                : HealthCheckResponse::UNKNOWN);
    return grpc::Status::OK;
  }

  std::string last_caller() {
    absl::MutexLock lock(&mutex_);
    return last_caller_;
  }

 private:
  CallVerifier* callers_;
  absl::Mutex mutex_;
  std::string last_caller_;
};

class TokenAuthProcessorTest : public ::testing::Test {
 protected:
  void Start(AccessPolicy policy) {
    auto keys = std::make_shared<jwt::InMemoryKeySource>();
    for (const char* account :
         {"billing-worker@prod.signet", "ops@prod.signet"}) {
      keys->Put(jwt::KeyRecord{absl::StrCat("key-", account), key_.public_key(),
                               account});
    }
    jwt::VerifierOptions options;
    options.audiences = {"https://localhost/"};
    callers_ =
        std::make_shared<CallVerifier>(*jwt::Verifier::Create(options, keys));
    processor_ = std::make_shared<TokenAuthProcessor>(callers_,
                                                      TokenAuthOptions{policy});
    service_ = std::make_unique<WhoAmI>(callers_.get());

    directory_ = "/tmp/signet-processor-test-" + std::to_string(getpid());
    std::filesystem::create_directories(directory_);
    socket_ = absl::StrCat("unix:", directory_, "/s.sock");
    auto credentials = grpc::experimental::LocalServerCredentials(UDS);
    credentials->SetAuthMetadataProcessor(processor_);
    grpc::ServerBuilder builder;
    builder.AddListeningPort(socket_, credentials);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    std::filesystem::remove_all(directory_);
  }

  grpc::Status Call(const std::string& account,
                    HealthCheckResponse* response = nullptr) {
    grpc::ClientContext context;
    if (!account.empty()) {
      auto signer =
          *jwt::Signer::Create(key_, absl::StrCat("key-", account), account);
      context.AddMetadata(
          "authorization",
          absl::StrCat("Bearer ", signer->Sign("https://localhost/")->token));
    }
    HealthCheckResponse ignored;
    auto channel =
        grpc::CreateChannel(socket_, grpc::experimental::LocalCredentials(UDS));
    return Health::NewStub(channel)->Check(&context, HealthCheckRequest(),
                                           response ? response : &ignored);
  }

  jwt::PrivateKey key_ = *jwt::PrivateKey::Generate(jwt::Algorithm::kEs256);
  std::shared_ptr<CallVerifier> callers_;
  std::shared_ptr<TokenAuthProcessor> processor_;
  std::unique_ptr<WhoAmI> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string directory_;
  std::string socket_;
};

TEST_F(TokenAuthProcessorTest, OpenMethodsTakeCallsWithoutTokens) {
  AccessPolicy policy;
  policy.Set("/grpc.health.v1.Health/*", {AccessRule::Kind::kOpen});
  Start(policy);
  HealthCheckResponse response;

  ASSERT_TRUE(Call("", &response).ok());
  EXPECT_EQ(response.status(), HealthCheckResponse::UNKNOWN);
  ASSERT_TRUE(Call("ops@prod.signet", &response).ok());
  EXPECT_EQ(service_->last_caller(), "ops@prod.signet");
}

TEST_F(TokenAuthProcessorTest, AuthenticatedMethodsRefuseCallsWithoutTokens) {
  Start(AccessPolicy());  // default: any account

  grpc::Status anonymous = Call("");

  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(anonymous.error_message(), "invalid credential");
  EXPECT_TRUE(Call("ops@prod.signet").ok());
  EXPECT_EQ(service_->last_caller(), "ops@prod.signet");
}

TEST_F(TokenAuthProcessorTest, ListedAccountsOnlyAndOthersArePermissionDenied) {
  AccessPolicy policy;
  policy.Set("/grpc.health.v1.Health/Check",
             {AccessRule::Kind::kAccounts, {"billing-*@prod.signet"}});
  Start(policy);

  EXPECT_TRUE(Call("billing-worker@prod.signet").ok());
  grpc::Status other = Call("ops@prod.signet");
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(other.error_message(), "permission denied");
  EXPECT_EQ(Call("").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(TokenAuthProcessorTest, DecisionsAreCountedByReason) {
  AccessPolicy policy;
  policy.Set("/grpc.health.v1.Health/Check",
             {AccessRule::Kind::kAccounts, {"ops@prod.signet"}});
  Start(policy);

  (void)Call("ops@prod.signet");
  (void)Call("ops@prod.signet");
  (void)Call("billing-worker@prod.signet");
  (void)Call("");
  auto stub = Health::NewStub(
      grpc::CreateChannel(socket_, grpc::experimental::LocalCredentials(UDS)));
  for (const char* authorization : {"Bearer not a token!", "Basic cm9ib3Q="}) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", authorization);
    HealthCheckResponse response;
    (void)stub->Check(&context, HealthCheckRequest(), &response);
  }

  std::map<std::string, int64_t> counts = processor_->counters().Snapshot();
  EXPECT_EQ(counts["allowed"], 2);
  EXPECT_EQ(counts["permission_denied"], 1);
  EXPECT_EQ(counts["token_missing"], 1);
  EXPECT_EQ(counts["token_malformed"], 2);
}

// Records every decision it is told of.
class RecordingObserver : public DecisionObserver {
 public:
  void OnDecision(const Decision& decision) override {
    absl::MutexLock lock(&mutex_);
    methods.emplace_back(decision.method);
    details.emplace_back(decision.detail);
  }

  absl::Mutex mutex_;
  std::vector<std::string> methods;
  std::vector<std::string> details;
};

// A caller chooses the method path and, through a header member's name,
// part of a refusal's detail: neither reaches a log line or the observer
// with its control bytes, nor at any length.
TEST(TokenAuthProcessorTextTest, CallerChosenTextIsMadeSafeToPrint) {
  jwt::VerifierOptions options;
  options.audiences = {"https://localhost/"};
  auto observer = std::make_shared<RecordingObserver>();
  TokenAuthProcessor processor(
      std::make_shared<CallVerifier>(*jwt::Verifier::Create(
          options, std::make_shared<jwt::InMemoryKeySource>())),
      TokenAuthOptions{{}, false, observer});
  std::string header = jwt::Base64UrlEncode(
      R"({"alg":"ES256","kid":"k","x\n[info] forged line\u001b[2K":1})");
  std::string authorization = absl::StrCat("Bearer ", header, ".e30.AAAA");
  std::string method = "/pkg.Svc/" + std::string(1000, 'm') + "\n";
  std::multimap<grpc::string_ref, grpc::string_ref> metadata = {
      {":path", method}, {"authorization", authorization}};

  grpc::Status status = processor.Process(metadata, nullptr, nullptr, nullptr);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_EQ(observer->details.size(), 1u);
  for (const std::string& text : {observer->details[0], observer->methods[0]}) {
    EXPECT_EQ(text.find_first_of("\n\x1b"), std::string::npos) << text;
    EXPECT_LE(text.size(), 4u * 256 + 3);
  }
  EXPECT_NE(observer->details[0].find("\\n[info] forged line"),
            std::string::npos)
      << observer->details[0];
}

}  // namespace
}  // namespace signet::verifier
