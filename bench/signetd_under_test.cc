#include "bench/signetd_under_test.h"

#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "tests/test_certificates.h"

namespace signet::bench {
namespace {

// Relative to the runfiles of the main repository (workspace "signet").
constexpr char kSignetd[] = "server/signetd";
constexpr char kAdmin[] = "bench-admin";
constexpr absl::Duration kCommandTimeout = absl::Seconds(60);
constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr absl::Duration kStopTimeout = absl::Seconds(20);

// `bazel run` starts a binary in its runfiles, where signetd and the
// PostgreSQL script sit at paths relative to the working directory; a
// binary started from bazel-bin is moved there.
absl::Status EnterRunfiles() {
  if (access(kSignetd, X_OK) == 0) return absl::OkStatus();
  std::error_code error;
  std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  std::string runfiles = absl::StrCat(self.string(), ".runfiles/signet");
  if (error || chdir(runfiles.c_str()) != 0 || access(kSignetd, X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot find ", kSignetd, " in this program's runfiles (",
                     runfiles, "): run it with bazel run"));
  }
  return absl::OkStatus();
}

grpc::ClientContext* WithDeadline(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  return &context;
}

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SignetdUnderTest>> SignetdUnderTest::Start() {
  SIGNET_RETURN_IF_ERROR(EnterRunfiles());
  std::unique_ptr<SignetdUnderTest> signetd(new SignetdUnderTest());
  SIGNET_ASSIGN_OR_RETURN(signetd->postgres_,
                          testing::PrivatePostgres::Start());
  signetd->directory_ = testing::MakeShortTempDirectory();
  signetd->target_ =
      absl::StrCat("unix:", signetd->directory_, "/signetd.sock");
  SIGNET_RETURN_IF_ERROR(signetd->Prepare());
  SIGNET_RETURN_IF_ERROR(signetd->Serve());
  SIGNET_RETURN_IF_ERROR(signetd->ConnectAsAdmin());
  return signetd;
}

SignetdUnderTest::~SignetdUnderTest() {
  admin_.reset();
  if (signetd_ != nullptr && !stopped_) (void)Stop();
  signetd_.reset();
  postgres_.reset();
  if (!directory_.empty()) std::filesystem::remove_all(directory_);
}

absl::Status SignetdUnderTest::RunSignetd(
    const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {kSignetd};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  argv.push_back(absl::StrCat("--database=", postgres_->conninfo()));
  SIGNET_ASSIGN_OR_RETURN(testing::CommandResult result,
                          testing::RunCommand(argv, kCommandTimeout));
  if (result.exit_code != 0) {
    return absl::UnavailableError(
        absl::StrCat(absl::StrJoin(argv, " "), " exited with ",
                     result.exit_code, ":\n", result.output));
  }
  return absl::OkStatus();
}

// The schema, and the first admin with a key file signetd generates.
absl::Status SignetdUnderTest::Prepare() {
  SIGNET_RETURN_IF_ERROR(RunSignetd({"migrate"}));
  return RunSignetd({"bootstrap", absl::StrCat("--account_id=", kAdmin),
                     absl::StrCat("--account_domain=", kAccountDomain),
                     absl::StrCat("--key_file=", directory_, "/admin.json"),
                     "--algorithm=ES256"});
}

absl::Status SignetdUnderTest::Serve() {
  SIGNET_ASSIGN_OR_RETURN(
      signetd_, testing::Subprocess::Start(
                    {kSignetd, "serve", absl::StrCat("--listen=", target_),
                     absl::StrCat("--database=", postgres_->conninfo()),
                     absl::StrCat("--account_domain=", kAccountDomain)}));
  absl::Status serving = signetd_->WaitForOutput("serving on", kStartTimeout);
  if (!serving.ok()) {
    return absl::UnavailableError(
        absl::StrCat("signetd did not start: ", serving.message(), "\n",
                     signetd_->Output()));
  }
  return absl::OkStatus();
}

absl::Status SignetdUnderTest::ConnectAsAdmin() {
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<grpc::CallCredentials> credentials,
                          client::CallCredentialsFromKeyFile(
                              absl::StrCat(directory_, "/admin.json")));
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                          client::CreateChannel(target_, {}, credentials));
  admin_ = v1::AccountService::NewStub(channel);
  return absl::OkStatus();
}

absl::StatusOr<jwt::KeyFile> SignetdUnderTest::CreateAccountWithKey(
    const std::string& account_id, jwt::Algorithm algorithm) {
  v1::CreateServiceAccountRequest account_request;
  account_request.set_account_id(account_id);
  v1::ServiceAccount account;
  grpc::ClientContext account_context;
  SIGNET_RETURN_IF_ERROR(
      FromGrpc(admin_->CreateServiceAccount(WithDeadline(account_context),
                                            account_request, &account),
               absl::StrCat("creating account ", account_id)));

  v1::CreateKeyRequest key_request;
  key_request.set_parent(absl::StrCat("accounts/", account_id));
  key_request.set_algorithm(std::string(jwt::AlgorithmName(algorithm)));
  v1::CreateKeyResponse key;
  grpc::ClientContext key_context;
  SIGNET_RETURN_IF_ERROR(
      FromGrpc(admin_->CreateKey(WithDeadline(key_context), key_request, &key),
               absl::StrCat("creating a key for ", account_id)));
  return jwt::ParseKeyFile(key.key_file());
}

absl::Status SignetdUnderTest::Stop() {
  stopped_ = true;
  signetd_->Signal(SIGTERM);
  SIGNET_ASSIGN_OR_RETURN(int exit_code, signetd_->Wait(kStopTimeout));
  if (exit_code != 0) {
    return absl::InternalError(absl::StrCat("signetd exited with ", exit_code,
                                            ":\n", signetd_->Output()));
  }
  return absl::OkStatus();
}

}  // namespace signet::bench
