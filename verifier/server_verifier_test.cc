// The verifier as another service installs it, against a real signetd and
// PostgreSQL: keys from signetd (WatchKeys) and from PostgreSQL (LISTEN),
// revocation, the stream cut and restored, the source down.

#include "verifier/server_verifier.h"

#include "absl/strings/match.h"
#include "examples/greeter.grpc.pb.h"
#include "examples/greeter_service.h"
#include "jwt/key_file.h"
#include "jwt/private_key.h"
#include "tests/signetd_fixture.h"
#include "verifier/testing/counting_key_source.h"

namespace signet::verifier {
namespace {

using ::signet::examples::Greeter;
using ::signet::examples::GreeterService;
using ::signet::examples::HelloReply;
using ::signet::examples::HelloRequest;

constexpr absl::Duration kLiveness = absl::Seconds(15);

using ::signet::testing::CountingKeySource;

class ServerVerifierTest : public testing::SignetdFixture {
 protected:
  void SetUp() override {
    SignetdFixture::SetUp();
    ASSERT_TRUE(CreateAccount(*admin_, "greeter").ok());
    CreateKeyFile("greeter");
    ASSERT_TRUE(CreateAccount(*admin_, "caller").ok());
    caller_key_ = CreateKeyFile("caller");
  }

  void TearDown() override {
    server_.reset();
    verifier_.reset();
    SignetdFixture::TearDown();
  }

  KeySourceOptions FromSignetd() {
    KeySourceOptions keys;
    keys.signetd = SignetdSourceOptions{socket_, {}, KeyFilePath("greeter")};
    return keys;
  }

  KeySourceOptions FromPostgres() {
    KeySourceOptions keys;
    keys.database = database_;
    return keys;
  }

  // The greeter on a unix socket, protected by a verifier with `keys`.
  void StartGreeter(KeySourceOptions keys, AccessPolicy policy = {},
                    KeyCacheOptions cache = {}) {
    // These tests are about what is decided, not how fast: no first call
    // may give up on its key fetch on a loaded machine.
    cache.max_fetch_wait = absl::Seconds(10);
    ServerVerifierOptions options;
    // signetd runs in this process here. A non-blocking processor waiting
    // for a key fetch holds one of the process's gRPC threads, which the
    // in-process signetd may need to answer that very fetch; a service and
    // its signetd in separate processes (the benchmarks, the example's
    // tests) run the non-blocking default. The PostgreSQL source does not
    // go through gRPC, so its tests keep the default.
    options.blocking = keys.signetd.has_value();
    options.audiences = {"https://localhost/"};
    options.keys = std::move(keys);
    options.cache = cache;
    options.policy = std::move(policy);
    absl::StatusOr<std::unique_ptr<ServerVerifier>> verifier =
        ServerVerifier::Create(std::move(options));
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = std::move(*verifier);

    service_ = std::make_unique<GreeterService>(
        [this](const grpc::ServerContextBase& context) {
          return verifier_->CallerOf(context);
        });
    greeter_socket_ = absl::StrCat("unix:", directory_, "/greeter.sock");
    grpc::ServerBuilder builder;
    builder.AddListeningPort(
        greeter_socket_,
        verifier_->Protect(grpc::experimental::LocalServerCredentials(UDS)));
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }

  // Calls SayHello (or the open method) as `account_id`, with a token from
  // its key file; anonymously when `account_id` is empty.
  grpc::Status Greet(const std::string& account_id, HelloReply* reply = nullptr,
                     bool openly = false) {
    std::shared_ptr<grpc::CallCredentials> credentials;
    if (!account_id.empty()) {
      credentials =
          *client::CallCredentialsFromKeyFile(KeyFilePath(account_id));
    }
    auto stub = Greeter::NewStub(
        *client::CreateChannel(greeter_socket_, {}, credentials));
    HelloRequest request;
    request.set_name("test");
    HelloReply ignored;
    if (reply == nullptr) reply = &ignored;
    return openly ? stub->SayHelloOpenly(Context().get(), request, reply)
                  : stub->SayHello(Context().get(), request, reply);
  }

  // Greets as `account_id` until the call ends with `code`; a liveness
  // bound, not a speed requirement (the benchmarks measure the delay).
  bool EventuallyGreets(const std::string& account_id, grpc::StatusCode code) {
    absl::Time deadline = absl::Now() + kLiveness;
    while (absl::Now() < deadline) {
      if (Greet(account_id).error_code() == code) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  bool EventuallyConnected(bool connected) {
    absl::Time deadline = absl::Now() + kLiveness;
    while (absl::Now() < deadline) {
      if (verifier_->ChangesConnected() == connected) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  void DisableCallerKey() {
    v1::DisableKeyRequest disable;
    disable.set_name(caller_key_.name());
    v1::Key key;
    ASSERT_TRUE(admin_->DisableKey(Context().get(), disable, &key).ok());
  }

  v1::Key caller_key_;
  std::unique_ptr<ServerVerifier> verifier_;
  std::unique_ptr<GreeterService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string greeter_socket_;
};

TEST_F(ServerVerifierTest, HandlerSeesTheCallersAccount) {
  StartGreeter(FromSignetd());

  HelloReply reply;
  grpc::Status status = Greet("caller", &reply);

  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reply.message(), "Hello test, from caller@signet.test");
  EXPECT_EQ(verifier_->Decisions()["allowed"], 1);
}

TEST_F(ServerVerifierTest, RulesOpenAnyAccountAndListedAccounts) {
  AccessPolicy policy;
  policy.Set("/signet.examples.Greeter/SayHelloOpenly",
             {AccessRule::Kind::kOpen});
  policy.Set("/signet.examples.Greeter/SayHello",
             {AccessRule::Kind::kAccounts, {"call*@signet.test"}});
  StartGreeter(FromSignetd(), policy);
  ASSERT_TRUE(CreateAccount(*admin_, "outsider").ok());
  CreateKeyFile("outsider");

  HelloReply reply;
  EXPECT_TRUE(Greet("", &reply, /*openly=*/true).ok());
  EXPECT_EQ(reply.message(), "Hello test, from an anonymous caller");
  EXPECT_TRUE(Greet("outsider", &reply, /*openly=*/true).ok());
  EXPECT_EQ(reply.message(), "Hello test, from outsider@signet.test");

  EXPECT_TRUE(Greet("caller").ok());
  EXPECT_EQ(Greet("outsider").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status anonymous = Greet("");
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(anonymous.error_message(), "invalid credential");

  std::map<std::string, int64_t> decisions = verifier_->Decisions();
  EXPECT_EQ(decisions["open"], 1);
  EXPECT_EQ(decisions["allowed"], 2);
  EXPECT_EQ(decisions["permission_denied"], 1);
  EXPECT_EQ(decisions["token_missing"], 1);
}

TEST_F(ServerVerifierTest, DisabledKeyIsRefusedThroughWatchKeys) {
  StartGreeter(FromSignetd());
  ASSERT_TRUE(Greet("caller").ok());

  DisableCallerKey();

  EXPECT_TRUE(EventuallyGreets("caller", grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_GE(verifier_->Decisions()["key_disabled"], 1);
}

// A client reuses its token; the verifier remembers it verified, and
// forgets it when its key is disabled.
TEST_F(ServerVerifierTest, RememberedTokenIsForgottenWhenItsKeyIsDisabled) {
  StartGreeter(FromSignetd());
  auto stub = Greeter::NewStub(*client::CreateChannel(
      greeter_socket_, {},
      *client::CallCredentialsFromKeyFile(KeyFilePath("caller"))));
  auto say_hello = [&stub] {
    HelloRequest request;
    HelloReply reply;
    return stub->SayHello(Context().get(), request, &reply).error_code();
  };
  ASSERT_EQ(say_hello(), grpc::StatusCode::OK);
  ASSERT_EQ(say_hello(), grpc::StatusCode::OK);

  DisableCallerKey();

  absl::Time deadline = absl::Now() + kLiveness;
  while (say_hello() == grpc::StatusCode::OK && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(say_hello(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServerVerifierTest, DisabledKeyIsRefusedThroughListen) {
  StartGreeter(FromPostgres());
  ASSERT_TRUE(verifier_->ChangesConnected());
  ASSERT_TRUE(Greet("caller").ok());

  DisableCallerKey();

  EXPECT_TRUE(EventuallyGreets("caller", grpc::StatusCode::UNAUTHENTICATED));
}

TEST_F(ServerVerifierTest, DisabledAccountIsRefused) {
  StartGreeter(FromSignetd());
  ASSERT_TRUE(Greet("caller").ok());

  v1::DisableServiceAccountRequest disable;
  disable.set_name("accounts/caller");
  v1::ServiceAccount account;
  ASSERT_TRUE(
      admin_->DisableServiceAccount(Context().get(), disable, &account).ok());

  EXPECT_TRUE(EventuallyGreets("caller", grpc::StatusCode::UNAUTHENTICATED));
}

// Lookups on a read replica that lags: a change heard from the primary is
// applied again after the replica's lag, so what the replica answered in
// between does not stay cached.
TEST_F(ServerVerifierTest, ChangesAreAppliedAgainAfterTheReplicaLag) {
  absl::StatusOr<jwt::KeyFile> key_file =
      jwt::ReadKeyFile(KeyFilePath("caller"));
  ASSERT_TRUE(key_file.ok()) << key_file.status();
  jwt::KeyRecord record{
      key_file->private_key_id,
      jwt::PrivateKey::FromPem(key_file->private_key)->public_key(),
      key_file->client_email};
  auto replica = std::make_shared<CountingKeySource>();
  replica->keys.Put(record);
  KeySourceOptions keys;
  keys.custom = replica;
  keys.changes_database = database_;
  keys.replica_lag = absl::Seconds(1);
  StartGreeter(keys);
  ASSERT_TRUE(Greet("caller").ok());
  ASSERT_EQ(replica->lookups, 1);

  // The primary disables the key; the verifier hears of it and asks the
  // replica again, which has not caught up.
  DisableCallerKey();
  absl::Time deadline = absl::Now() + kLiveness;
  while (replica->lookups < 2 && absl::Now() < deadline) {
    EXPECT_TRUE(Greet("caller").ok());
  }
  ASSERT_EQ(replica->lookups, 2);
  record.key_disabled = true;
  replica->keys.Put(record);

  EXPECT_TRUE(EventuallyGreets("caller", grpc::StatusCode::UNAUTHENTICATED));
}

TEST_F(ServerVerifierTest, StreamCutAndRestoredCatchesUpOnMissedChanges) {
  StartGreeter(FromSignetd());
  ASSERT_TRUE(Greet("caller").ok());

  signetd_.reset();
  ASSERT_TRUE(EventuallyConnected(false));
  // Known callers go on; the store changes while nobody tells the verifier.
  EXPECT_TRUE(Greet("caller").ok());
  absl::StatusOr<db::KeyRow> disabled = store_->SetKeyDisabled(
      "caller", caller_key_.key_id(), true, {"test", "disable", "caller"});
  ASSERT_TRUE(disabled.ok()) << disabled.status();

  StartServer();
  ASSERT_TRUE(EventuallyConnected(true));

  // The RESET after the reconnect revalidated the key.
  EXPECT_EQ(Greet("caller").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServerVerifierTest, SourceDownCachedKeysWorkUnknownKeysAreUnavailable) {
  StartGreeter(FromSignetd());
  ASSERT_TRUE(Greet("caller").ok());
  ASSERT_TRUE(CreateAccount(*admin_, "newcomer").ok());
  CreateKeyFile("newcomer");

  signetd_.reset();

  EXPECT_TRUE(Greet("caller").ok());
  EXPECT_EQ(Greet("newcomer").error_code(), grpc::StatusCode::UNAVAILABLE);

  StartServer();
  EXPECT_TRUE(EventuallyGreets("newcomer", grpc::StatusCode::OK));
}

// With the source down past the TTL, cached keys serve until the
// stale-if-error bound, and never after it.
TEST_F(ServerVerifierTest, StaleIfErrorBoundsAnOutage) {
  FakeClock clock(absl::Now());
  KeyCacheOptions cache;
  cache.clock = &clock;
  StartGreeter(FromSignetd(), {}, cache);
  ASSERT_TRUE(Greet("caller").ok());

  signetd_.reset();
  clock.Advance(cache.ttl + absl::Minutes(1));
  EXPECT_TRUE(Greet("caller").ok());

  clock.Advance(cache.stale_if_error);
  EXPECT_EQ(Greet("caller").error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ServerVerifierTest, WithoutStaleIfErrorKeysEndAtTheTtl) {
  FakeClock clock(absl::Now());
  KeyCacheOptions cache;
  cache.clock = &clock;
  cache.stale_if_error = absl::ZeroDuration();
  StartGreeter(FromSignetd(), {}, cache);
  ASSERT_TRUE(Greet("caller").ok());

  signetd_.reset();
  clock.Advance(cache.ttl);

  EXPECT_EQ(Greet("caller").error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ServerVerifierTest, BadOptionsAreRefusedWithTheReason) {
  ServerVerifierOptions none;
  none.audiences = {"https://localhost/"};
  EXPECT_TRUE(absl::IsInvalidArgument(ServerVerifier::Create(none).status()));

  ServerVerifierOptions never_matching = {};
  never_matching.audiences = {"https://localhost/"};
  never_matching.keys = FromPostgres();
  never_matching.policy.Set("/pkg.Admin/Delete*", {AccessRule::Kind::kOpen});
  absl::Status refused = ServerVerifier::Create(never_matching).status();
  EXPECT_TRUE(absl::IsInvalidArgument(refused)) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "/pkg.Admin/Delete*"));

  ServerVerifierOptions missing_key_file;
  missing_key_file.audiences = {"https://localhost/"};
  missing_key_file.keys.signetd =
      SignetdSourceOptions{socket_, {}, KeyFilePath("nobody")};
  absl::Status status = ServerVerifier::Create(missing_key_file).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;

  ServerVerifierOptions disabled_self = {};
  disabled_self.audiences = {"https://localhost/"};
  disabled_self.keys = FromSignetd();
  v1::DisableServiceAccountRequest disable;
  disable.set_name("accounts/greeter");
  v1::ServiceAccount account;
  ASSERT_TRUE(
      admin_->DisableServiceAccount(Context().get(), disable, &account).ok());
  status = ServerVerifier::Create(disabled_self).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "UNAUTHENTICATED")) << status;
}

}  // namespace
}  // namespace signet::verifier
