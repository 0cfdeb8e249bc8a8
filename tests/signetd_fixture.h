#ifndef SIGNET_TESTS_SIGNETD_FIXTURE_H_
#define SIGNET_TESTS_SIGNETD_FIXTURE_H_

// A signetd in the test's process on a fresh database of the shared private
// PostgreSQL (or one the test chooses), bootstrapped with the admin
// `root-admin`, serving a unix socket; and helpers that call it with
// tokens from key files.

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "db/connection.h"
#include "db/migrator.h"
#include "gtest/gtest.h"
#include "server/bootstrap.h"
#include "server/signetd.h"
#include "signet/v1/account_service.grpc.pb.h"
#include "tests/private_postgres.h"
#include "tests/test_certificates.h"

namespace signet::testing {

using ::signet::v1::AccountService;

class SignetdFixture : public ::testing::Test {
 protected:
  static constexpr char kAdmin[] = "root-admin";

  void SetUp() override {
    directory_ = testing::MakeShortTempDirectory();
    if (database_override_.empty()) {
      absl::StatusOr<std::string> database = SharedPostgres().CreateDatabase();
      ASSERT_TRUE(database.ok()) << database.status();
      database_ = *database;
    } else {
      database_ = database_override_;
    }
    auto connection = *db::Connect(database_);
    ASSERT_TRUE(db::Migrate(*connection, db::EmbeddedMigrations()).ok());
    store_ = std::make_shared<db::Store>(
        std::make_shared<db::ConnectionPool>(database_, 4));

    server::BootstrapRequest bootstrap;
    bootstrap.account_id = kAdmin;
    bootstrap.account_domain = "signet.test";
    bootstrap.key_file_path = KeyFilePath(kAdmin);
    bootstrap.key_file_fields = {"signet-test", "https://localhost/"};
    absl::StatusOr<db::AccountRow> admin =
        server::Bootstrap(*store_, bootstrap);
    ASSERT_TRUE(admin.ok()) << admin.status();

    StartServer();
    admin_ = Stub(kAdmin);
  }

  void TearDown() override {
    signetd_.reset();
    std::filesystem::remove_all(directory_);
  }

  void StartServer(server::AccountServiceOptions accounts = {}) {
    signetd_.reset();
    server::SignetdConfig config;
    socket_ = absl::StrCat("unix:", directory_, "/signetd.sock");
    config.listen = {{server::ListenAddress::Transport::kLocal, socket_}};
    config.database = database_;
    config.pool_size = 4;
    accounts.account_domain = "signet.test";
    config.accounts = accounts;
    absl::StatusOr<std::unique_ptr<server::Signetd>> signetd =
        server::Signetd::Start(config);
    ASSERT_TRUE(signetd.ok()) << signetd.status();
    signetd_ = std::move(*signetd);
  }

  std::string KeyFilePath(const std::string& account_id) {
    return absl::StrCat(directory_, "/", account_id, ".json");
  }

  // A stub that calls as `account_id`, with its key file in the directory.
  std::unique_ptr<AccountService::Stub> Stub(const std::string& account_id) {
    auto credentials =
        client::CallCredentialsFromKeyFile(KeyFilePath(account_id));
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return AccountService::NewStub(
        *client::CreateChannel(socket_, {}, *credentials));
  }

  std::unique_ptr<AccountService::Stub> AnonymousStub() {
    return AccountService::NewStub(*client::CreateChannel(socket_, {}));
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    return context;
  }

  grpc::Status CreateAccount(AccountService::Stub& stub,
                             const std::string& account_id,
                             v1::ServiceAccount* created = nullptr) {
    v1::CreateServiceAccountRequest request;
    request.set_account_id(account_id);
    v1::ServiceAccount response;
    grpc::Status status =
        stub.CreateServiceAccount(Context().get(), request, &response);
    if (created != nullptr) *created = response;
    return status;
  }

  // Creates a key for `account_id` as the admin and saves its key file.
  v1::Key CreateKeyFile(const std::string& account_id,
                        const std::string& algorithm = "ES256") {
    v1::CreateKeyRequest request;
    request.set_parent(absl::StrCat("accounts/", account_id));
    request.set_algorithm(algorithm);
    v1::CreateKeyResponse response;
    grpc::Status status =
        admin_->CreateKey(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::ofstream(KeyFilePath(account_id)) << response.key_file();
    return response.key();
  }

  grpc::Status Grant(const std::string& member, v1::Role role,
                     const std::string& scope = "") {
    v1::GrantRoleRequest request;
    request.set_member(absl::StrCat("accounts/", member));
    request.set_role(role);
    if (!scope.empty()) request.set_scope(absl::StrCat("accounts/", scope));
    v1::RoleBinding binding;
    return admin_->GrantRole(Context().get(), request, &binding);
  }

  // An account with a key file and `role` (global unless `scope`).
  void MakeMember(const std::string& account_id, v1::Role role,
                  const std::string& scope = "") {
    ASSERT_TRUE(CreateAccount(*admin_, account_id).ok());
    CreateKeyFile(account_id);
    ASSERT_TRUE(Grant(account_id, role, scope).ok());
  }

  static grpc::Status Get(AccountService::Stub& stub, const std::string& name) {
    v1::GetServiceAccountRequest request;
    request.set_name(name);
    v1::ServiceAccount account;
    return stub.GetServiceAccount(Context().get(), request, &account);
  }

  // Calls GetServiceAccount as `stub` until it returns `code`; a liveness
  // bound, not a speed requirement.
  static bool EventuallyGets(AccountService::Stub& stub,
                             const std::string& name, grpc::StatusCode code) {
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      if (Get(stub, name).error_code() == code) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  std::string directory_;
  std::string database_;
  // A database of the test's choosing instead of one on the shared cluster.
  std::string database_override_;
  std::string socket_;
  std::shared_ptr<db::Store> store_;
  std::unique_ptr<server::Signetd> signetd_;
  std::unique_ptr<AccountService::Stub> admin_;
};

}  // namespace signet::testing

#endif  // SIGNET_TESTS_SIGNETD_FIXTURE_H_
