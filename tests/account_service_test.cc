// AccountService end to end: a signetd in this process on a private
// PostgreSQL, called over a unix socket with tokens from key files.

#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "db/connection.h"
#include "db/migrator.h"
#include "gtest/gtest.h"
#include "server/bootstrap.h"
#include "server/signetd.h"
#include "signet/v1/account_service.grpc.pb.h"
#include "signet/v1/token_verifier.grpc.pb.h"
#include "tests/private_postgres.h"
#include "tests/signetd_fixture.h"

namespace signet {
namespace {

using ::signet::testing::SharedPostgres;
using ::signet::v1::AccountService;

using AccountServiceTest = testing::SignetdFixture;

TEST_F(AccountServiceTest, CallsWithoutATokenAreUnauthenticated) {
  v1::ListServiceAccountsResponse response;

  grpc::Status status = AnonymousStub()->ListServiceAccounts(
      Context().get(), v1::ListServiceAccountsRequest(), &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountServiceTest, BadTokensAreUnauthenticatedWithAGenericMessage) {
  for (const char* header : {"Bearer x.y.z", "Bearer ", "Basic dXNlcjpwYXNz",
                             "bearer a.b", "Bearer eyJhbGciOiJub25lIn0.e30."}) {
    auto context = Context();
    context->AddMetadata("authorization", header);
    v1::ListServiceAccountsResponse response;

    grpc::Status status = AnonymousStub()->ListServiceAccounts(
        context.get(), v1::ListServiceAccountsRequest(), &response);

    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << header;
    EXPECT_EQ(status.error_message(), "invalid credential") << header;
  }
}

TEST_F(AccountServiceTest, AdminManagesAnAccountsLifecycle) {
  v1::ServiceAccount created;
  ASSERT_TRUE(CreateAccount(*admin_, "billing-worker", &created).ok());
  EXPECT_EQ(created.name(), "accounts/billing-worker");
  EXPECT_EQ(created.email(), "billing-worker@signet.test");
  EXPECT_FALSE(created.unique_id().empty());

  v1::UpdateServiceAccountRequest update;
  update.mutable_account()->set_name("accounts/billing-worker");
  update.mutable_account()->set_display_name("Billing worker");
  update.mutable_account()->set_description("ignored: not in the mask");
  update.mutable_update_mask()->add_paths("display_name");
  v1::ServiceAccount updated;
  ASSERT_TRUE(
      admin_->UpdateServiceAccount(Context().get(), update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "Billing worker");
  EXPECT_EQ(updated.description(), "");

  v1::DisableServiceAccountRequest disable;
  disable.set_name("accounts/billing-worker");
  v1::ServiceAccount disabled;
  ASSERT_TRUE(
      admin_->DisableServiceAccount(Context().get(), disable, &disabled).ok());
  EXPECT_TRUE(disabled.disabled());
  v1::EnableServiceAccountRequest enable;
  enable.set_name("accounts/billing-worker");
  v1::ServiceAccount enabled;
  ASSERT_TRUE(
      admin_->EnableServiceAccount(Context().get(), enable, &enabled).ok());
  EXPECT_FALSE(enabled.disabled());

  v1::DeleteServiceAccountRequest remove;
  remove.set_name("accounts/billing-worker");
  google::protobuf::Empty empty;
  ASSERT_TRUE(
      admin_->DeleteServiceAccount(Context().get(), remove, &empty).ok());
  EXPECT_EQ(Get(*admin_, "accounts/billing-worker").error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AccountServiceTest, ReusedAccountIdGetsANewUniqueIdAndNoOldKey) {
  v1::ServiceAccount first;
  ASSERT_TRUE(CreateAccount(*admin_, "reused-id", &first).ok());
  CreateKeyFile("reused-id");
  ASSERT_TRUE(Grant("reused-id", v1::VIEWER).ok());
  auto old_key = Stub("reused-id");
  ASSERT_TRUE(Get(*old_key, "accounts/reused-id").ok());
  v1::DeleteServiceAccountRequest remove;
  remove.set_name("accounts/reused-id");
  google::protobuf::Empty empty;
  ASSERT_TRUE(
      admin_->DeleteServiceAccount(Context().get(), remove, &empty).ok());

  v1::ServiceAccount second;
  ASSERT_TRUE(CreateAccount(*admin_, "reused-id", &second).ok());
  ASSERT_TRUE(Grant("reused-id", v1::VIEWER).ok());

  EXPECT_NE(first.unique_id(), second.unique_id());
  EXPECT_TRUE(EventuallyGets(*old_key, "accounts/reused-id",
                             grpc::StatusCode::UNAUTHENTICATED));
}

TEST_F(AccountServiceTest, ListPagesThroughEveryAccount) {
  for (int i = 0; i < 24; ++i) {
    ASSERT_TRUE(CreateAccount(*admin_, absl::StrCat("worker-", 100 + i)).ok());
  }

  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListServiceAccountsRequest request;
    request.set_page_size(10);
    request.set_page_token(token);
    v1::ListServiceAccountsResponse response;
    ASSERT_TRUE(
        admin_->ListServiceAccounts(Context().get(), request, &response).ok());
    for (const auto& account : response.accounts()) {
      seen.push_back(account.account_id());
    }
    token = response.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);

  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 25u);  // and the admin
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
}

TEST_F(AccountServiceTest, DefaultPageIsTwentyAndBadTokensAreInvalid) {
  for (int i = 0; i < 22; ++i) {
    ASSERT_TRUE(CreateAccount(*admin_, absl::StrCat("worker-", 100 + i)).ok());
  }
  v1::ListServiceAccountsResponse response;
  ASSERT_TRUE(admin_
                  ->ListServiceAccounts(Context().get(),
                                        v1::ListServiceAccountsRequest(),
                                        &response)
                  .ok());
  EXPECT_EQ(response.accounts_size(), 20);

  v1::ListServiceAccountsRequest bad;
  bad.set_page_token("!!not a token!!");
  EXPECT_EQ(
      admin_->ListServiceAccounts(Context().get(), bad, &response).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  bad.set_page_token("");
  bad.set_page_size(-1);
  EXPECT_EQ(
      admin_->ListServiceAccounts(Context().get(), bad, &response).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AccountServiceTest, BadAccountIdsAndTextsAreInvalid) {
  for (const std::string& id :
       {std::string("short"), std::string("Upper-case-id"),
        std::string("-leading-hyphen"), std::string("trailing-hyphen-"),
        std::string("under_score_id"), std::string("1starts-with-digit"),
        std::string(31, 'a'), std::string("spaces in id"), std::string("")}) {
    EXPECT_EQ(CreateAccount(*admin_, id).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << id;
  }
  v1::CreateServiceAccountRequest long_name;
  long_name.set_account_id("long-names");
  long_name.set_display_name(std::string(101, 'n'));
  v1::ServiceAccount account;
  EXPECT_EQ(admin_->CreateServiceAccount(Context().get(), long_name, &account)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  long_name.set_display_name(std::string(100, 'n'));
  long_name.set_description(std::string(257, 'd'));
  EXPECT_EQ(admin_->CreateServiceAccount(Context().get(), long_name, &account)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  for (const char* name : {"account/x", "accounts/", "accounts/ab",
                           "accounts/valid-id/extra", ""}) {
    EXPECT_EQ(Get(*admin_, name).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << name;
  }
}

TEST_F(AccountServiceTest, UpdateMaskMustNameUpdatableFields) {
  ASSERT_TRUE(CreateAccount(*admin_, "masked-one").ok());
  for (const std::vector<std::string>& paths :
       {std::vector<std::string>{}, std::vector<std::string>{"email"},
        std::vector<std::string>{"display_name", "disabled"}}) {
    v1::UpdateServiceAccountRequest update;
    update.mutable_account()->set_name("accounts/masked-one");
    for (const std::string& path : paths) {
      update.mutable_update_mask()->add_paths(path);
    }
    v1::ServiceAccount account;
    EXPECT_EQ(admin_->UpdateServiceAccount(Context().get(), update, &account)
                  .error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
}

TEST_F(AccountServiceTest, DuplicateAccountAlreadyExists) {
  ASSERT_TRUE(CreateAccount(*admin_, "twin-account").ok());

  EXPECT_EQ(CreateAccount(*admin_, "twin-account").error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(AccountServiceTest, CreatedKeyFileAuthenticatesItsAccount) {
  for (const char* algorithm : {"RS256", "ES256", "EdDSA"}) {
    std::string id = absl::StrCat("robot-", absl::AsciiStrToLower(algorithm));
    ASSERT_TRUE(CreateAccount(*admin_, id).ok());
    v1::Key key = CreateKeyFile(id, algorithm);
    ASSERT_TRUE(Grant(id, v1::VIEWER, id).ok());

    EXPECT_EQ(key.algorithm(), algorithm);
    EXPECT_EQ(key.origin(), v1::Key::GENERATED);
    EXPECT_TRUE(Get(*Stub(id), absl::StrCat("accounts/", id)).ok())
        << algorithm;
  }
}

TEST_F(AccountServiceTest, KeyFileHasTheGoogleFieldsAndNothingIsStoredPrivate) {
  ASSERT_TRUE(CreateAccount(*admin_, "filed-robot").ok());
  v1::CreateKeyRequest request;
  request.set_parent("accounts/filed-robot");
  v1::CreateKeyResponse created;
  ASSERT_TRUE(admin_->CreateKey(Context().get(), request, &created).ok());

  nlohmann::json file = nlohmann::json::parse(created.key_file());
  EXPECT_EQ(file["type"], "service_account");
  EXPECT_EQ(file["private_key_id"], created.key().key_id());
  EXPECT_EQ(file["client_email"], "filed-robot@signet.test");
  EXPECT_EQ(created.key().algorithm(), "RS256");  // the default
  for (const char* field : {"project_id", "client_id", "token_uri"}) {
    EXPECT_FALSE(file[field].get<std::string>().empty()) << field;
  }

  v1::ListKeysRequest list;
  list.set_parent("accounts/filed-robot");
  v1::ListKeysResponse keys;
  ASSERT_TRUE(admin_->ListKeys(Context().get(), list, &keys).ok());
  ASSERT_EQ(keys.keys_size(), 1);
  EXPECT_TRUE(absl::StrContains(keys.keys(0).public_key_pem(), "PUBLIC KEY"));
  EXPECT_FALSE(absl::StrContains(keys.keys(0).DebugString(), "PRIVATE"));
  auto connection = *db::Connect(database_);
  pqxx::nontransaction tx(*connection);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM keys WHERE "
                     "encode(public_key, 'escape') LIKE '%PRIVATE%'")[0]
                .as<int>(),
            0);
}

TEST_F(AccountServiceTest, UploadedKeysInEveryFormatAreAccepted) {
  ASSERT_TRUE(CreateAccount(*admin_, "upload-robot").ok());
  std::vector<std::string> uploads;
  for (jwt::Algorithm algorithm :
       {jwt::Algorithm::kRs256, jwt::Algorithm::kEs256,
        jwt::Algorithm::kEdDsa}) {
    jwt::PrivateKey key = *jwt::PrivateKey::Generate(algorithm);
    uploads.push_back(key.public_key().ToPem());
    uploads.push_back(
        jwt::PrivateKey::Generate(algorithm)->public_key().ToJwk("k").dump());
  }

  for (const std::string& data : uploads) {
    v1::UploadKeyRequest request;
    request.set_parent("accounts/upload-robot");
    request.set_public_key_data(data);
    v1::Key key;
    grpc::Status status = admin_->UploadKey(Context().get(), request, &key);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(key.origin(), v1::Key::UPLOADED);
  }
}

TEST_F(AccountServiceTest, BadUploadsAreInvalidAndDuplicatesExist) {
  ASSERT_TRUE(CreateAccount(*admin_, "upload-robot").ok());
  ASSERT_TRUE(CreateAccount(*admin_, "other-robot").ok());
  jwt::PrivateKey key = *jwt::PrivateKey::Generate(jwt::Algorithm::kEs256);
  for (const std::string& data :
       {key.ToPkcs8Pem(), std::string("garbage"),
        key.public_key().ToPem() + "trailing",
        std::string(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
        std::string(R"({"kty":"oct","k":"AAAA"})")}) {
    v1::UploadKeyRequest request;
    request.set_parent("accounts/upload-robot");
    request.set_public_key_data(data);
    v1::Key uploaded;
    EXPECT_EQ(
        admin_->UploadKey(Context().get(), request, &uploaded).error_code(),
        grpc::StatusCode::INVALID_ARGUMENT)
        << data;
  }

  v1::UploadKeyRequest request;
  request.set_parent("accounts/upload-robot");
  request.set_public_key_data(key.public_key().ToPem());
  v1::Key uploaded;
  ASSERT_TRUE(admin_->UploadKey(Context().get(), request, &uploaded).ok());
  EXPECT_EQ(admin_->UploadKey(Context().get(), request, &uploaded).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  request.set_parent("accounts/other-robot");
  EXPECT_EQ(admin_->UploadKey(Context().get(), request, &uploaded).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(AccountServiceTest, KeyLimitIsFailedPreconditionNamingLimitAndCount) {
  ASSERT_TRUE(CreateAccount(*admin_, "many-keys").ok());
  v1::CreateKeyRequest request;
  request.set_parent("accounts/many-keys");
  request.set_algorithm("EdDSA");
  v1::CreateKeyResponse response;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(admin_->CreateKey(Context().get(), request, &response).ok());
  }

  grpc::Status eleventh =
      admin_->CreateKey(Context().get(), request, &response);

  EXPECT_EQ(eleventh.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(eleventh.error_message(), "has 10 keys"));
  EXPECT_TRUE(absl::StrContains(eleventh.error_message(), "the limit is 10"));
}

TEST_F(AccountServiceTest, KeyLimitHoldsUnderParallelCreation) {
  ASSERT_TRUE(CreateAccount(*admin_, "racing-keys").ok());
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 24; ++i) {
    threads.emplace_back([&] {
      v1::CreateKeyRequest request;
      request.set_parent("accounts/racing-keys");
      request.set_algorithm("EdDSA");
      v1::CreateKeyResponse response;
      grpc::Status status =
          admin_->CreateKey(Context().get(), request, &response);
      if (status.ok()) ++created;
      if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
        ++refused;
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(created, 10);
  EXPECT_EQ(refused, 14);
}

TEST_F(AccountServiceTest, ViewerReadsButCannotWrite) {
  MakeMember("auditor-one", v1::VIEWER);
  auto viewer = Stub("auditor-one");

  EXPECT_TRUE(Get(*viewer, "accounts/root-admin").ok());
  EXPECT_EQ(CreateAccount(*viewer, "new-account").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::DisableServiceAccountRequest disable;
  disable.set_name("accounts/root-admin");
  v1::ServiceAccount account;
  EXPECT_EQ(viewer->DisableServiceAccount(Context().get(), disable, &account)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AccountServiceTest, MissingTargetsAreNotFoundOnlyForThoseAllowed) {
  MakeMember("global-viewer", v1::VIEWER);
  ASSERT_TRUE(CreateAccount(*admin_, "watched-one").ok());
  MakeMember("scoped-viewer", v1::VIEWER, "watched-one");

  EXPECT_EQ(
      Get(*Stub("global-viewer"), "accounts/no-such-account").error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Get(*Stub("scoped-viewer"), "accounts/watched-one").ok());
  EXPECT_EQ(
      Get(*Stub("scoped-viewer"), "accounts/no-such-account").error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Get(*Stub("scoped-viewer"), "accounts/root-admin").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A malformed name tells an outsider nothing either.
  EXPECT_EQ(Get(*Stub("scoped-viewer"), "bogus").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AccountServiceTest, KeyAdminCannotAddKeysToItselfUnlessAllowed) {
  MakeMember("key-keeper", v1::KEY_ADMIN);
  ASSERT_TRUE(CreateAccount(*admin_, "kept-robot").ok());
  auto keeper = Stub("key-keeper");
  v1::CreateKeyRequest request;
  v1::CreateKeyResponse response;

  request.set_parent("accounts/kept-robot");
  EXPECT_TRUE(keeper->CreateKey(Context().get(), request, &response).ok());
  request.set_parent("accounts/key-keeper");
  EXPECT_EQ(keeper->CreateKey(Context().get(), request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  server::AccountServiceOptions allow;
  allow.allow_self_key_creation = true;
  StartServer(allow);
  keeper = Stub("key-keeper");
  EXPECT_TRUE(keeper->CreateKey(Context().get(), request, &response).ok());
}

TEST_F(AccountServiceTest, OnlyAGlobalAdminGrantsRolesAndReadsTheAudit) {
  MakeMember("accounts-boss", v1::ACCOUNT_ADMIN);
  auto boss = Stub("accounts-boss");
  v1::GrantRoleRequest grant;
  grant.set_member("accounts/accounts-boss");
  grant.set_role(v1::ADMIN);
  v1::RoleBinding binding;
  v1::ListAuditEventsResponse events;

  EXPECT_EQ(boss->GrantRole(Context().get(), grant, &binding).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(boss->ListAuditEvents(Context().get(), v1::ListAuditEventsRequest(),
                                  &events)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(CreateAccount(*boss, "made-by-boss").ok());

  grant.set_scope("accounts/made-by-boss");
  EXPECT_EQ(admin_->GrantRole(Context().get(), grant, &binding).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // admin is global only
  grant.set_scope("");
  grant.set_role(v1::VIEWER);
  EXPECT_EQ(admin_->GrantRole(Context().get(), grant, &binding).error_code(),
            grpc::StatusCode::OK);
  EXPECT_EQ(admin_->GrantRole(Context().get(), grant, &binding).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  grant.set_member("accounts/no-such-member");
  EXPECT_EQ(admin_->GrantRole(Context().get(), grant, &binding).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AccountServiceTest, DisablingAKeyStopsItsTokensAtOnce) {
  MakeMember("flaky-robot", v1::VIEWER);
  auto robot = Stub("flaky-robot");
  ASSERT_TRUE(Get(*robot, "accounts/flaky-robot").ok());
  v1::ListKeysRequest list;
  list.set_parent("accounts/flaky-robot");
  v1::ListKeysResponse keys;
  ASSERT_TRUE(admin_->ListKeys(Context().get(), list, &keys).ok());
  v1::Key key;

  v1::DisableKeyRequest disable;
  disable.set_name(keys.keys(0).name());
  ASSERT_TRUE(admin_->DisableKey(Context().get(), disable, &key).ok());
  EXPECT_TRUE(key.disabled());
  EXPECT_TRUE(EventuallyGets(*robot, "accounts/flaky-robot",
                             grpc::StatusCode::UNAUTHENTICATED));

  v1::EnableKeyRequest enable;
  enable.set_name(keys.keys(0).name());
  ASSERT_TRUE(admin_->EnableKey(Context().get(), enable, &key).ok());
  EXPECT_TRUE(
      EventuallyGets(*robot, "accounts/flaky-robot", grpc::StatusCode::OK));
}

TEST_F(AccountServiceTest, DisablingAnAccountStopsItsTokensAtOnce) {
  MakeMember("sleepy-robot", v1::VIEWER);
  auto robot = Stub("sleepy-robot");
  ASSERT_TRUE(Get(*robot, "accounts/sleepy-robot").ok());
  v1::ServiceAccount account;

  v1::DisableServiceAccountRequest disable;
  disable.set_name("accounts/sleepy-robot");
  ASSERT_TRUE(
      admin_->DisableServiceAccount(Context().get(), disable, &account).ok());
  EXPECT_TRUE(EventuallyGets(*robot, "accounts/sleepy-robot",
                             grpc::StatusCode::UNAUTHENTICATED));

  v1::EnableServiceAccountRequest enable;
  enable.set_name("accounts/sleepy-robot");
  ASSERT_TRUE(
      admin_->EnableServiceAccount(Context().get(), enable, &account).ok());
  EXPECT_TRUE(
      EventuallyGets(*robot, "accounts/sleepy-robot", grpc::StatusCode::OK));
}

TEST_F(AccountServiceTest, DeletedKeyIsNotFoundAndNoLongerAuthenticates) {
  MakeMember("gone-robot", v1::VIEWER);
  auto robot = Stub("gone-robot");
  ASSERT_TRUE(Get(*robot, "accounts/gone-robot").ok());
  v1::ListKeysRequest list;
  list.set_parent("accounts/gone-robot");
  v1::ListKeysResponse keys;
  ASSERT_TRUE(admin_->ListKeys(Context().get(), list, &keys).ok());

  v1::DeleteKeyRequest remove;
  remove.set_name(keys.keys(0).name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(admin_->DeleteKey(Context().get(), remove, &empty).ok());

  v1::GetKeyRequest get;
  get.set_name(keys.keys(0).name());
  v1::Key key;
  EXPECT_EQ(admin_->GetKey(Context().get(), get, &key).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(EventuallyGets(*robot, "accounts/gone-robot",
                             grpc::StatusCode::UNAUTHENTICATED));
}

TEST_F(AccountServiceTest, DisabledAccountGetsNoNewKeys) {
  ASSERT_TRUE(CreateAccount(*admin_, "frozen-robot").ok());
  v1::DisableServiceAccountRequest disable;
  disable.set_name("accounts/frozen-robot");
  v1::ServiceAccount account;
  ASSERT_TRUE(
      admin_->DisableServiceAccount(Context().get(), disable, &account).ok());

  v1::CreateKeyRequest request;
  request.set_parent("accounts/frozen-robot");
  v1::CreateKeyResponse response;
  grpc::Status status = admin_->CreateKey(Context().get(), request, &response);

  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "is disabled"));
}

TEST_F(AccountServiceTest, KeysAndBindingsAreReadAndRevoked) {
  MakeMember("listed-robot", v1::VIEWER);
  v1::ListKeysRequest list_keys;
  list_keys.set_parent("accounts/listed-robot");
  v1::ListKeysResponse keys;
  ASSERT_TRUE(admin_->ListKeys(Context().get(), list_keys, &keys).ok());
  ASSERT_EQ(keys.keys_size(), 1);
  v1::GetKeyRequest get_key;
  get_key.set_name(keys.keys(0).name());
  v1::Key key;
  ASSERT_TRUE(admin_->GetKey(Context().get(), get_key, &key).ok());
  EXPECT_EQ(key.key_id(), keys.keys(0).key_id());
  EXPECT_EQ(key.fingerprint().size(), 64u);
  list_keys.set_parent("accounts/no-such-robot");
  EXPECT_EQ(admin_->ListKeys(Context().get(), list_keys, &keys).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListRoleBindingsRequest list;
  list.set_member("accounts/listed-robot");
  v1::ListRoleBindingsResponse bindings;
  ASSERT_TRUE(admin_->ListRoleBindings(Context().get(), list, &bindings).ok());
  ASSERT_EQ(bindings.bindings_size(), 1);
  EXPECT_EQ(bindings.bindings(0).role(), v1::VIEWER);
  EXPECT_EQ(bindings.bindings(0).scope(), "");

  v1::RevokeRoleRequest revoke;
  revoke.set_member("accounts/listed-robot");
  revoke.set_role(v1::VIEWER);
  google::protobuf::Empty empty;
  ASSERT_TRUE(admin_->RevokeRole(Context().get(), revoke, &empty).ok());
  EXPECT_EQ(admin_->RevokeRole(Context().get(), revoke, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get(*Stub("listed-robot"), "accounts/listed-robot").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AccountServiceTest, KeyAdminCannotTouchKeysOfAccountsHoldingRoles) {
  MakeMember("key-keeper", v1::KEY_ADMIN);
  MakeMember("another-admin", v1::VIEWER);
  auto keeper = Stub("key-keeper");
  v1::CreateKeyRequest request;
  v1::CreateKeyResponse response;

  for (const char* target : {"accounts/root-admin", "accounts/another-admin"}) {
    request.set_parent(target);
    EXPECT_EQ(
        keeper->CreateKey(Context().get(), request, &response).error_code(),
        grpc::StatusCode::PERMISSION_DENIED)
        << target;
  }
  MakeMember("account-keeper", v1::ACCOUNT_ADMIN);
  v1::DisableServiceAccountRequest disable;
  disable.set_name("accounts/root-admin");
  v1::ServiceAccount account;
  EXPECT_EQ(Stub("account-keeper")
                ->DisableServiceAccount(Context().get(), disable, &account)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AccountServiceTest, TheLastEnabledAdminStays) {
  v1::DisableServiceAccountRequest disable;
  disable.set_name("accounts/root-admin");
  v1::ServiceAccount account;
  EXPECT_EQ(admin_->DisableServiceAccount(Context().get(), disable, &account)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::RevokeRoleRequest revoke;
  revoke.set_member("accounts/root-admin");
  revoke.set_role(v1::ADMIN);
  google::protobuf::Empty empty;
  EXPECT_EQ(admin_->RevokeRole(Context().get(), revoke, &empty).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::DeleteServiceAccountRequest remove;
  remove.set_name("accounts/root-admin");
  EXPECT_EQ(admin_->DeleteServiceAccount(Context().get(), remove, &empty)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  MakeMember("second-admin", v1::ADMIN);
  EXPECT_TRUE(admin_->RevokeRole(Context().get(), revoke, &empty).ok());
}

TEST_F(AccountServiceTest, RevokingWithAMissingScopeLeavesGlobalBindings) {
  MakeMember("global-keeper", v1::KEY_ADMIN);
  v1::RevokeRoleRequest revoke;
  revoke.set_member("accounts/global-keeper");
  revoke.set_role(v1::KEY_ADMIN);
  revoke.set_scope("accounts/no-such-account");
  google::protobuf::Empty empty;

  EXPECT_EQ(admin_->RevokeRole(Context().get(), revoke, &empty).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListRoleBindingsRequest list;
  list.set_member("accounts/global-keeper");
  v1::ListRoleBindingsResponse bindings;
  ASSERT_TRUE(admin_->ListRoleBindings(Context().get(), list, &bindings).ok());
  EXPECT_EQ(bindings.bindings_size(), 1);
}

TEST_F(AccountServiceTest, BadTextsAndTimesAreInvalid) {
  v1::CreateServiceAccountRequest create;
  create.set_account_id("control-chars");
  create.set_display_name(std::string("bad\0name", 8));
  v1::ServiceAccount account;
  EXPECT_EQ(admin_->CreateServiceAccount(Context().get(), create, &account)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  ASSERT_TRUE(CreateAccount(*admin_, "timed-robot").ok());
  for (auto [seconds, nanos] : std::vector<std::pair<int64_t, int32_t>>{
           {INT64_MAX, 0}, {-1, 0}, {100, -1}, {100, 1000000000}}) {
    v1::CreateKeyRequest request;
    request.set_parent("accounts/timed-robot");
    request.mutable_valid_before()->set_seconds(seconds);
    request.mutable_valid_before()->set_nanos(nanos);
    v1::CreateKeyResponse response;
    EXPECT_EQ(
        admin_->CreateKey(Context().get(), request, &response).error_code(),
        grpc::StatusCode::INVALID_ARGUMENT)
        << seconds << " " << nanos;
  }
}

TEST_F(AccountServiceTest, AuditRowsAreBoundedAndChangesAuditedOnce) {
  MakeMember("role-holder", v1::VIEWER);
  (void)Get(*admin_, "accounts/" + std::string(20000, 'x'));

  v1::ListAuditEventsRequest request;
  request.set_page_size(100);
  v1::ListAuditEventsResponse events;
  ASSERT_TRUE(admin_->ListAuditEvents(Context().get(), request, &events).ok());
  int grants = 0;
  for (const auto& event : events.events()) {
    EXPECT_LE(event.resource().size(), 259u);
    if (event.method() == "GrantRole") ++grants;
  }
  EXPECT_EQ(grants, 1);
}

TEST_F(AccountServiceTest, AuditRecordsChangesAndRefusals) {
  MakeMember("audited-viewer", v1::VIEWER);
  (void)CreateAccount(*Stub("audited-viewer"), "not-allowed");

  v1::ListAuditEventsRequest request;
  request.set_page_size(100);
  v1::ListAuditEventsResponse events;
  ASSERT_TRUE(admin_->ListAuditEvents(Context().get(), request, &events).ok());

  bool saw_create = false;
  bool saw_refusal = false;
  for (const auto& event : events.events()) {
    if (event.method() == "CreateServiceAccount" &&
        event.resource() == "accounts/audited-viewer" &&
        event.outcome() == "OK" && event.actor() == "root-admin@signet.test") {
      saw_create = true;
    }
    if (event.method() == "CreateServiceAccount" &&
        event.resource() == "accounts/not-allowed" &&
        event.outcome() == "PERMISSION_DENIED" &&
        event.actor() == "audited-viewer@signet.test") {
      saw_refusal = true;
    }
  }
  EXPECT_TRUE(saw_create);
  EXPECT_TRUE(saw_refusal);
}

TEST_F(AccountServiceTest, BootstrapWorksOnceEvenConcurrently) {
  server::BootstrapRequest again;
  again.account_id = "second-admin";
  again.account_domain = "signet.test";
  again.key_file_path = KeyFilePath("second-admin");
  EXPECT_EQ(server::Bootstrap(*store_, again).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(KeyFilePath("second-admin")));

  // A fresh database, and many bootstraps racing on it.
  std::string fresh = *SharedPostgres().CreateDatabase();
  auto connection = *db::Connect(fresh);
  ASSERT_TRUE(db::Migrate(*connection, db::EmbeddedMigrations()).ok());
  db::Store fresh_store(std::make_shared<db::ConnectionPool>(fresh, 8));
  std::atomic<int> succeeded{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      server::BootstrapRequest request;
      request.account_id = absl::StrCat("racing-admin-", i);
      request.account_domain = "signet.test";
      request.key_file_path = KeyFilePath(absl::StrCat("racing-admin-", i));
      absl::Status status = server::Bootstrap(fresh_store, request).status();
      if (status.ok()) ++succeeded;
      if (absl::IsFailedPrecondition(status)) ++refused;
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(succeeded, 1);
  EXPECT_EQ(refused, 7);
}

// signetd on a cluster of its own, which the test stops and starts again.
class StoreOutageTest : public testing::SignetdFixture {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::PrivatePostgres>> cluster =
        testing::PrivatePostgres::Start();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = std::move(*cluster);
    database_override_ = cluster_->conninfo();
    SignetdFixture::SetUp();
  }

  void TearDown() override {
    SignetdFixture::TearDown();
    cluster_.reset();
  }

  std::unique_ptr<testing::PrivatePostgres> cluster_;
};

TEST_F(StoreOutageTest, CachedCallersStayAuthenticatedAndServiceRecovers) {
  MakeMember("cached-robot", v1::VIEWER);
  auto robot = Stub("cached-robot");
  ASSERT_TRUE(Get(*robot, "accounts/cached-robot").ok());  // caches its key
  ASSERT_TRUE(CreateAccount(*admin_, "uncached-one").ok());
  CreateKeyFile("uncached-one");
  auto uncached = Stub("uncached-one");

  ASSERT_TRUE(cluster_->Pause().ok());

  // The cached caller passes the token check and fails at the store; the
  // uncached one cannot be checked at all. Neither is let in.
  grpc::Status cached = Get(*robot, "accounts/cached-robot");
  EXPECT_EQ(cached.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(cached.error_message(), "credential check unavailable");
  grpc::Status unchecked = Get(*uncached, "accounts/uncached-one");
  EXPECT_EQ(unchecked.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(unchecked.error_message(), "credential check unavailable");
  EXPECT_EQ(CreateAccount(*admin_, "during-outage").error_code(),
            grpc::StatusCode::UNAVAILABLE);

  ASSERT_TRUE(cluster_->Resume().ok());

  EXPECT_TRUE(
      EventuallyGets(*robot, "accounts/cached-robot", grpc::StatusCode::OK));
  EXPECT_TRUE(CreateAccount(*admin_, "after-outage").ok());
}

TEST_F(StoreOutageTest, WatchersAreToldToResetAfterTheListenerReconnects) {
  auto channel = *client::CreateChannel(
      socket_, {}, *client::CallCredentialsFromKeyFile(KeyFilePath(kAdmin)));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  auto stream = v1::TokenVerifier::NewStub(channel)->WatchKeys(
      &context, v1::WatchKeysRequest());
  v1::KeyChange change;
  ASSERT_TRUE(stream->Read(&change));
  ASSERT_EQ(change.kind(), v1::KeyChange::RESET);

  ASSERT_TRUE(cluster_->Pause().ok());
  absl::SleepFor(absl::Milliseconds(500));
  ASSERT_TRUE(cluster_->Resume().ok());

  ASSERT_TRUE(stream->Read(&change));
  EXPECT_EQ(change.kind(), v1::KeyChange::RESET);
  context.TryCancel();
}

}  // namespace
}  // namespace signet
