#ifndef SIGNET_TESTS_GREETER_FIXTURE_H_
#define SIGNET_TESTS_GREETER_FIXTURE_H_

// signetd in the test's process (SignetdFixture) and, beside it, the
// example Greeter protected by the server-side verifier, serving TLS on
// 127.0.0.1 with a self-signed certificate for localhost and 127.0.0.1. The
// Greeter calls signetd as the account `greeter-server` (GetKey, WatchKeys);
// callers are accounts with RS256 key files made by signetd's CreateKey, so
// that every client, gRPC's own and Python's included, can sign with them.

#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "examples/greeter.grpc.pb.h"
#include "examples/protected_greeter.h"
#include "gtest/gtest.h"
#include "tests/free_port.h"
#include "tests/signetd_fixture.h"
#include "tests/test_certificates.h"

namespace signet::testing {

class GreeterFixture : public SignetdFixture {
 protected:
  static constexpr char kGreeterAccount[] = "greeter-server";
  static constexpr char kSayHello[] = "SayHello";
  static constexpr char kSayHelloOpenly[] = "SayHelloOpenly";
  // How long a call may wait for its key from signetd: a liveness bound for
  // test machines under load (the first fetch verifies the Greeter's own
  // token at signetd, in a debug build), not a speed requirement.
  static constexpr absl::Duration kFetchWait = absl::Seconds(10);

  void SetUp() override {
    SignetdFixture::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<TestCertificate> certificate =
        MakeSelfSignedCertificate(directory_);
    ASSERT_TRUE(certificate.ok()) << certificate.status();
    certificate_ = *certificate;
    ASSERT_TRUE(CreateAccount(*admin_, kGreeterAccount).ok());
    CreateKeyFile(kGreeterAccount);
    absl::StatusOr<int> port = PickFreePort();
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
  }

  void TearDown() override {
    greeter_.reset();
    SignetdFixture::TearDown();
  }

  // Starts the Greeter. `allow` as --allow; `audiences` empty for the
  // defaults (https://127.0.0.1:PORT/ and https://localhost:PORT/);
  // `padding` as ServerVerifierOptions::padding.
  void StartGreeter(std::vector<std::string> allow = {},
                    std::vector<std::string> audiences = {},
                    jwt::Padding padding = jwt::Padding::kRefused) {
    greeter_.reset();
    examples::ProtectedGreeterConfig config;
    config.listen = {{server::ListenAddress::Transport::kTls,
                      absl::StrCat("127.0.0.1:", port_)}};
    absl::StatusOr<server::TlsIdentity> tls = server::LoadTlsIdentity(
        certificate_.certificate_path, certificate_.key_path);
    ASSERT_TRUE(tls.ok()) << tls.status();
    config.tls = *tls;
    config.allow = std::move(allow);
    config.verifier.audiences = std::move(audiences);
    config.verifier.padding = padding;
    config.verifier.keys.signetd = verifier::SignetdSourceOptions{
        socket_, {}, KeyFilePath(kGreeterAccount), kFetchWait};
    config.verifier.cache.max_fetch_wait = kFetchWait;
    // The key source, signetd, serves from this same process. A processor
    // that is not blocking waits for a fetch on a gRPC thread, and here
    // signetd needs that thread to answer: every fetch would stall until
    // the wait ran out. greeter_binaries_test runs the Greeter in a process
    // of its own with the default.
    config.verifier.blocking = true;
    absl::StatusOr<std::unique_ptr<examples::ProtectedGreeter>> greeter =
        examples::ProtectedGreeter::Start(std::move(config));
    ASSERT_TRUE(greeter.ok()) << greeter.status();
    greeter_ = std::move(*greeter);
  }

  // What clients dial. The certificate names 127.0.0.1 too; an address
  // needs no name lookup (and gRPC's resolver for names, c-ares, leaks a
  // little memory that LeakSanitizer reports under --config=asan).
  std::string Target() const { return absl::StrCat("127.0.0.1:", port_); }
  // What gRPC's JWT credentials and signet's plugin send for Target().
  std::string DefaultAudience() const {
    return absl::StrCat("https://127.0.0.1:", port_, "/");
  }

  // An account with an RS256 key file made by signetd; returns the key.
  v1::Key MakeCaller(const std::string& account_id) {
    EXPECT_TRUE(CreateAccount(*admin_, account_id).ok()) << account_id;
    return CreateKeyFile(account_id, "RS256");
  }

  static std::string Email(const std::string& account_id) {
    return absl::StrCat(account_id, "@signet.test");
  }

  grpc::Status DisableKey(const v1::Key& key) {
    v1::DisableKeyRequest request;
    request.set_name(key.name());
    v1::Key disabled;
    return admin_->DisableKey(Context().get(), request, &disabled);
  }

  grpc::Status DisableAccount(const std::string& account_id) {
    v1::DisableServiceAccountRequest request;
    request.set_name(absl::StrCat("accounts/", account_id));
    v1::ServiceAccount disabled;
    return admin_->DisableServiceAccount(Context().get(), request, &disabled);
  }

  // TLS to the Greeter, trusting the test certificate, with `call` on top
  // when given.
  std::shared_ptr<grpc::Channel> TlsChannel(
      std::shared_ptr<grpc::CallCredentials> call = nullptr) const {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = ReadCertificate();
    std::shared_ptr<grpc::ChannelCredentials> credentials =
        grpc::SslCredentials(tls);
    if (call != nullptr) {
      credentials = grpc::CompositeChannelCredentials(credentials, call);
    }
    return grpc::CreateChannel(Target(), credentials);
  }

  // Calls `method` ("SayHello" or "SayHelloOpenly") on `channel` with
  // `name`; the reply's message goes to `message`.
  static grpc::Status Greet(const std::shared_ptr<grpc::Channel>& channel,
                            const std::string& method, const std::string& name,
                            std::string* message = nullptr) {
    auto stub = examples::Greeter::NewStub(channel);
    examples::HelloRequest request;
    request.set_name(name);
    examples::HelloReply reply;
    grpc::Status status =
        method == kSayHello
            ? stub->SayHello(Context().get(), request, &reply)
            : stub->SayHelloOpenly(Context().get(), request, &reply);
    if (message != nullptr) *message = reply.message();
    return status;
  }

  // Calls SayHello until it returns `code`: a liveness bound for a change
  // to reach the Greeter, not a speed requirement.
  static bool EventuallyGreets(const std::shared_ptr<grpc::Channel>& channel,
                               grpc::StatusCode code) {
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      if (Greet(channel, kSayHello, "again").error_code() == code) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  // How many of the Greeter's decisions had `outcome`.
  int64_t Decided(const std::string& outcome) {
    std::map<std::string, int64_t> decisions = greeter_->verifier().Decisions();
    auto it = decisions.find(outcome);
    return it == decisions.end() ? 0 : it->second;
  }

  // Every decision so far, for failure messages: "allowed 2, expired 1".
  std::string DecisionsText() {
    std::string text;
    for (const auto& [outcome, count] : greeter_->verifier().Decisions()) {
      absl::StrAppend(&text, text.empty() ? "" : ", ", outcome, " ", count);
    }
    return text.empty() ? "none" : text;
  }

  std::string ReadCertificate() const {
    std::ifstream file(certificate_.certificate_path);
    return std::string(std::istreambuf_iterator<char>(file), {});
  }

  TestCertificate certificate_;
  int port_ = 0;
  std::unique_ptr<examples::ProtectedGreeter> greeter_;
};

}  // namespace signet::testing

#endif  // SIGNET_TESTS_GREETER_FIXTURE_H_
