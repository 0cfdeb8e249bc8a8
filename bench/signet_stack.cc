#include "bench/signet_stack.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "db/connection.h"
#include "db/migrator.h"
#include "db/store.h"
#include "jwt/key_file.h"
#include "server/bootstrap.h"
#include "tests/subprocess.h"
#include "tests/test_certificates.h"

namespace signet::bench {
namespace {

constexpr char kAdmin[] = "bench-admin";
constexpr char kDomain[] = "signet.test";
// The signetd binary in the runfiles tree `bazel run` starts from.
constexpr char kSignetd[] = "server/signetd";

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace

std::unique_ptr<grpc::ClientContext> BenchContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return context;
}

absl::StatusOr<std::unique_ptr<SignetStack>> SignetStack::Start(
    std::function<absl::Status(pqxx::connection&)> populate) {
  std::unique_ptr<SignetStack> stack(new SignetStack());
  SIGNET_RETURN_IF_ERROR(stack->Setup(populate));
  return stack;
}

absl::Status SignetStack::Setup(
    const std::function<absl::Status(pqxx::connection&)>& populate) {
  directory_ = testing::MakeShortTempDirectory();
  SIGNET_ASSIGN_OR_RETURN(postgres_, testing::PrivatePostgres::Start());
  database_ = postgres_->conninfo();
  {
    SIGNET_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> connection,
                            db::Connect(database_));
    SIGNET_RETURN_IF_ERROR(
        db::Migrate(*connection, db::EmbeddedMigrations()).status());
    if (populate) SIGNET_RETURN_IF_ERROR(populate(*connection));
  }

  db::Store store(std::make_shared<db::ConnectionPool>(database_, 1));
  server::BootstrapRequest bootstrap;
  bootstrap.account_id = kAdmin;
  bootstrap.account_domain = kDomain;
  bootstrap.key_file_path = absl::StrCat(directory_, "/", kAdmin, ".json");
  bootstrap.key_file_fields = {"signet-bench", "https://localhost/"};
  SIGNET_RETURN_IF_ERROR(server::Bootstrap(store, bootstrap).status());

  // signetd runs in a process of its own, as in production: its threads
  // and memory are not the benchmark's or the greeters'.
  signetd_target_ = absl::StrCat("unix:", directory_, "/signetd.sock");
  SIGNET_ASSIGN_OR_RETURN(
      signetd_, testing::Subprocess::Start(
                    {kSignetd, absl::StrCat("--listen=", signetd_target_),
                     absl::StrCat("--database=", database_),
                     absl::StrCat("--account_domain=", kDomain),
                     "--max_keys_per_account=100"}));
  SIGNET_RETURN_IF_ERROR(
      signetd_->WaitForOutput("serving on", absl::Seconds(30)));

  SIGNET_ASSIGN_OR_RETURN(
      std::shared_ptr<grpc::CallCredentials> credentials,
      client::CallCredentialsFromKeyFile(bootstrap.key_file_path));
  SIGNET_ASSIGN_OR_RETURN(
      admin_channel_, client::CreateChannel(signetd_target_, {}, credentials));
  admin_ = v1::AccountService::NewStub(admin_channel_);
  return absl::OkStatus();
}

SignetStack::~SignetStack() {
  for (auto& greeter : greeters_) greeter->server->Shutdown();
  greeters_.clear();
  signetd_.reset();
  postgres_.reset();
  if (!directory_.empty()) std::filesystem::remove_all(directory_);
}

absl::Status SignetStack::CreateAccount(const std::string& account_id) {
  v1::CreateServiceAccountRequest request;
  request.set_account_id(account_id);
  v1::ServiceAccount account;
  return FromGrpc(
      admin_->CreateServiceAccount(BenchContext().get(), request, &account),
      absl::StrCat("creating account ", account_id));
}

absl::StatusOr<std::string> SignetStack::CreateKey(
    const std::string& account_id, v1::Key* key) {
  v1::CreateKeyRequest request;
  request.set_parent(absl::StrCat("accounts/", account_id));
  request.set_algorithm("ES256");
  v1::CreateKeyResponse response;
  SIGNET_RETURN_IF_ERROR(
      FromGrpc(admin_->CreateKey(BenchContext().get(), request, &response),
               absl::StrCat("creating a key for ", account_id)));
  if (key != nullptr) *key = response.key();
  return response.key_file();
}

absl::StatusOr<std::string> SignetStack::CreateKeyFile(
    const std::string& account_id) {
  SIGNET_ASSIGN_OR_RETURN(std::string text, CreateKey(account_id));
  std::string path = absl::StrCat(directory_, "/", account_id, ".json");
  SIGNET_RETURN_IF_ERROR(WritePrivateFile(path, text));
  return path;
}

absl::StatusOr<std::string> SignetStack::StartGreeter(
    const std::string& name, verifier::KeySourceOptions keys) {
  verifier::ServerVerifierOptions options;
  options.audiences = {"https://localhost/"};
  options.keys = std::move(keys);
  auto greeter = std::make_unique<Greeter>();
  SIGNET_ASSIGN_OR_RETURN(greeter->verifier,
                          verifier::ServerVerifier::Create(std::move(options)));

  verifier::ServerVerifier* verifier = greeter->verifier.get();
  greeter->service = std::make_unique<examples::GreeterService>(
      [verifier](const grpc::ServerContextBase& context) {
        return verifier->CallerOf(context);
      });
  std::string target = absl::StrCat("unix:", directory_, "/", name, ".sock");
  grpc::ServerBuilder builder;
  builder.AddListeningPort(
      target, greeter->verifier->Protect(
                  grpc::experimental::LocalServerCredentials(UDS)));
  builder.RegisterService(greeter->service.get());
  greeter->server = builder.BuildAndStart();
  if (greeter->server == nullptr) {
    return absl::InternalError(absl::StrCat("cannot serve on ", target));
  }
  greeters_.push_back(std::move(greeter));
  return target;
}

absl::StatusOr<std::unique_ptr<examples::Greeter::Stub>>
SignetStack::GreeterStub(const std::string& target,
                         const std::string& key_file_text) {
  SIGNET_ASSIGN_OR_RETURN(jwt::KeyFile key_file,
                          jwt::ParseKeyFile(key_file_text));
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<grpc::CallCredentials> credentials,
                          client::CallCredentialsFromKeyFile(key_file));
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<grpc::Channel> channel,
                          client::CreateChannel(target, {}, credentials));
  return examples::Greeter::NewStub(channel);
}

}  // namespace signet::bench
