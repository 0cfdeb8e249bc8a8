#include "server/account_service.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/key_import.h"
#include "server/grpc_status.h"
#include "server/key_issuer.h"
#include "server/proto_conversions.h"
#include "server/resource_names.h"
#include "spdlog/spdlog.h"

namespace signet::server {
namespace {

constexpr int kDefaultPageSize = 20;
constexpr int kMaxPageSize = 100;
constexpr size_t kMaxDisplayName = 100;
constexpr size_t kMaxDescription = 256;

// The account a key name names, or why the name is malformed.
absl::StatusOr<std::string> AccountOf(const absl::StatusOr<KeyName>& name) {
  if (!name.ok()) return name.status();
  return name->account_id;
}

// What the audit log records of a resource name a caller sent: at most 256
// bytes, control characters replaced, so that no caller can write large or
// unreadable rows.
std::string AuditableName(const std::string& name) {
  constexpr size_t kMaxAudited = 256;
  std::string clean = name.substr(0, kMaxAudited);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (name.size() > kMaxAudited) clean += "...";
  return clean;
}

// Whether `method` changes the store; a change writes its own audit event in
// its transaction when it succeeds.
bool ChangesState(absl::string_view method) {
  for (absl::string_view verb : {"Create", "Update", "Disable", "Enable",
                                 "Delete", "Upload", "Grant", "Revoke"}) {
    if (absl::StartsWith(method, verb)) return true;
  }
  return false;
}

absl::StatusOr<int> PageSize(int32_t requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size is negative");
  }
  if (requested == 0) return kDefaultPageSize;
  return std::min<int>(requested, kMaxPageSize);
}

// Page tokens are the last item's sort key, base64url encoded: opaque to
// clients, and no state on the server.
std::string PageToken(absl::string_view last) {
  return absl::WebSafeBase64Escape(last);
}

absl::StatusOr<std::string> FromPageToken(const std::string& token) {
  std::string last;
  if (!token.empty() && !absl::WebSafeBase64Unescape(token, &last)) {
    return absl::InvalidArgumentError("page_token is not one this API gave");
  }
  return last;
}

absl::Status CheckAccountText(const std::string& display_name,
                              const std::string& description) {
  for (const std::string* text : {&display_name, &description}) {
    for (char c : *text) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
        return absl::InvalidArgumentError(
            "display_name and description may not hold control characters");
      }
    }
  }
  if (display_name.size() > kMaxDisplayName) {
    return absl::InvalidArgumentError(
        absl::StrCat("display_name is ", display_name.size(),
                     " bytes; the limit is ", kMaxDisplayName));
  }
  if (description.size() > kMaxDescription) {
    return absl::InvalidArgumentError(
        absl::StrCat("description is ", description.size(),
                     " bytes; the limit is ", kMaxDescription));
  }
  return absl::OkStatus();
}

absl::StatusOr<jwt::Algorithm> RequestedAlgorithm(const std::string& name) {
  if (name.empty()) return jwt::Algorithm::kRs256;
  std::optional<jwt::Algorithm> algorithm = jwt::AlgorithmFromName(name);
  if (!algorithm.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "algorithm \"", name, "\"; signet generates RS256, ES256 or EdDSA"));
  }
  return *algorithm;
}

// A timestamp between years 1970 and 9999 with nanos in range.
bool IsPlausibleTimestamp(const google::protobuf::Timestamp& timestamp) {
  constexpr int64_t kEndOf9999 = 253402300799;
  return timestamp.seconds() >= 0 && timestamp.seconds() <= kEndOf9999 &&
         timestamp.nanos() >= 0 && timestamp.nanos() < 1000000000;
}

absl::StatusOr<jwt::KeyValidity> RequestedValidity(
    const v1::CreateKeyRequest& request) {
  for (const auto* timestamp :
       {&request.valid_after(), &request.valid_before()}) {
    if (!IsPlausibleTimestamp(*timestamp)) {
      return absl::InvalidArgumentError(
          "valid_after and valid_before must fall in years 1970 to 9999");
    }
  }
  jwt::KeyValidity validity;
  if (request.has_valid_after()) {
    validity.not_before = TimeOf(request.valid_after());
  }
  if (request.has_valid_before()) {
    validity.not_after = TimeOf(request.valid_before());
  }
  if (validity.not_before && validity.not_after &&
      *validity.not_before >= *validity.not_after) {
    return absl::InvalidArgumentError("valid_after is not before valid_before");
  }
  return validity;
}

absl::StatusOr<std::optional<std::string>> ScopeOf(const std::string& scope) {
  if (scope.empty()) return std::optional<std::string>();
  SIGNET_ASSIGN_OR_RETURN(std::string account_id, ParseAccountName(scope));
  return std::optional<std::string>(account_id);
}

// The binding a GrantRole or RevokeRole request names.
template <typename Request>
absl::StatusOr<db::BindingRow> BindingOf(const Request& request) {
  db::BindingRow binding;
  SIGNET_ASSIGN_OR_RETURN(binding.member_account_id,
                          ParseAccountName(request.member()));
  std::optional<std::string> role = RoleName(request.role());
  if (!role.has_value()) {
    return absl::InvalidArgumentError(
        "role must be ADMIN, ACCOUNT_ADMIN, KEY_ADMIN or VIEWER");
  }
  binding.role = *role;
  SIGNET_ASSIGN_OR_RETURN(binding.scope_account_id, ScopeOf(request.scope()));
  if (binding.role == "admin" && binding.scope_account_id.has_value()) {
    return absl::InvalidArgumentError("ADMIN is granted at global scope only");
  }
  return binding;
}

}  // namespace

AccountServiceImpl::AccountServiceImpl(
    std::shared_ptr<db::Store> store,
    std::shared_ptr<verifier::CallVerifier> callers,
    AccountServiceOptions options)
    : store_(std::move(store)),
      callers_(std::move(callers)),
      options_(std::move(options)) {}

absl::StatusOr<AccountServiceImpl::Caller> AccountServiceImpl::Authenticate(
    grpc::ServerContext* context) {
  std::optional<verifier::CallerIdentity> identity =
      callers_->CallerOf(*context);
  if (!identity.has_value()) {
    return absl::UnauthenticatedError("this call needs a signet token");
  }
  Caller caller;
  absl::StatusOr<db::AccountRow> account =
      store_->GetAccountByEmail(identity->account_email);
  if (absl::IsNotFound(account.status())) {
    return absl::UnauthenticatedError("invalid credential");
  }
  if (!account.ok()) return account.status();
  caller.account = *std::move(account);

  // The admin API checks the caller's account and key in the store on every
  // call, so that a disable takes effect here even before the caches hear
  // of it.
  absl::StatusOr<db::KeyRow> key =
      store_->GetKey(caller.account.account_id, identity->key_id);
  if (absl::IsNotFound(key.status())) {
    return absl::UnauthenticatedError("invalid credential");
  }
  if (!key.ok()) return key.status();
  if (caller.account.disabled || key->disabled) {
    return absl::UnauthenticatedError("invalid credential");
  }
  SIGNET_ASSIGN_OR_RETURN(caller.bindings,
                          store_->ListBindings(caller.account.account_id));
  return caller;
}

db::AuditEntry AccountServiceImpl::Audit(const Caller& caller,
                                         const char* method,
                                         const std::string& resource) const {
  return db::AuditEntry{caller.account.email, method, AuditableName(resource)};
}

absl::Status AccountServiceImpl::CheckMayChangeRoleHolder(
    const Caller& caller, Action action, const std::string& target) {
  // Changes to the caller's own account fall under CheckMayAddKey.
  if (target.empty() || target == caller.account.account_id ||
      IsGlobalAdmin(caller.bindings) ||
      (action != Action::kWriteKey && action != Action::kWriteAccount)) {
    return absl::OkStatus();
  }
  // Keys or state of an account that holds a role would carry its powers
  // to whoever changes them: a key admin could otherwise mint itself an
  // admin's key.
  SIGNET_ASSIGN_OR_RETURN(std::vector<db::BindingRow> held,
                          store_->ListBindings(target));
  if (!held.empty()) {
    return absl::PermissionDeniedError(
        "only a global admin may change an account that holds a role");
  }
  return absl::OkStatus();
}

absl::Status AccountServiceImpl::CheckNotLastAdmin(
    const std::string& account_id) {
  SIGNET_ASSIGN_OR_RETURN(std::vector<db::BindingRow> bindings,
                          store_->ListBindings(std::nullopt));
  bool target_is_admin = false;
  int other_enabled_admins = 0;
  for (const db::BindingRow& binding : bindings) {
    if (binding.role != "admin" || binding.scope_account_id.has_value()) {
      continue;
    }
    if (binding.member_account_id == account_id) {
      target_is_admin = true;
      continue;
    }
    absl::StatusOr<db::AccountRow> admin =
        store_->GetAccount(binding.member_account_id);
    if (admin.ok() && !admin->disabled) ++other_enabled_admins;
  }
  if (target_is_admin && other_enabled_admins == 0) {
    return absl::FailedPreconditionError(
        "this is the last enabled global admin: grant admin to another "
        "account first");
  }
  return absl::OkStatus();
}

grpc::Status AccountServiceImpl::Handle(
    grpc::ServerContext* context, const char* method,
    const std::string& resource, Action action,
    const absl::StatusOr<std::string>& target, const Body& body) {
  absl::StatusOr<Caller> caller = Authenticate(context);
  if (!caller.ok()) return ToGrpc(caller.status());

  absl::Status outcome;
  if (!target.ok()) {
    outcome = Allows(caller->bindings, action, "")
                  ? target.status()
                  : absl::PermissionDeniedError("permission denied");
  } else if (!Allows(caller->bindings, action, *target)) {
    outcome = absl::PermissionDeniedError("permission denied");
  } else {
    outcome = CheckMayChangeRoleHolder(*caller, action, *target);
    if (outcome.ok()) outcome = body(*caller);
  }

  // A change that succeeded wrote its audit event in its own transaction.
  bool audited_by_body = outcome.ok() && ChangesState(method);
  if (!audited_by_body && outcome.code() != absl::StatusCode::kUnavailable) {
    absl::Status audited =
        store_->AppendAudit(Audit(*caller, method, resource),
                            absl::StatusCodeToString(outcome.code()),
                            outcome.ok() ? "" : std::string(outcome.message()));
    if (!audited.ok()) {
      spdlog::error("cannot write the audit event of {}: {}", method,
                    std::string(audited.message()));
    }
  }
  return ToGrpc(outcome);
}

absl::Status AccountServiceImpl::CheckMayAddKey(
    const Caller& caller, const std::string& account_id) const {
  if (account_id == caller.account.account_id &&
      !IsGlobalAdmin(caller.bindings) && !options_.allow_self_key_creation) {
    return absl::PermissionDeniedError(
        "an account may not add keys to itself; ask an admin");
  }
  return absl::OkStatus();
}

grpc::Status AccountServiceImpl::CreateServiceAccount(
    grpc::ServerContext* context,
    const v1::CreateServiceAccountRequest* request,
    v1::ServiceAccount* response) {
  std::string resource = AccountName(request->account_id());
  return Handle(
      context, "CreateServiceAccount", resource, Action::kCreateAccount,
      std::string(), [&](const Caller& caller) {
        if (!IsValidAccountId(request->account_id())) {
          return absl::InvalidArgumentError(absl::StrCat(
              "account_id \"", request->account_id(),
              "\" is not 6 to 30 characters of a-z, 0-9 and -, starting with a "
              "letter and not ending with -"));
        }
        SIGNET_RETURN_IF_ERROR(
            CheckAccountText(request->display_name(), request->description()));
        db::AccountRow account;
        account.account_id = request->account_id();
        account.email =
            absl::StrCat(request->account_id(), "@", options_.account_domain);
        account.display_name = request->display_name();
        account.description = request->description();
        SIGNET_ASSIGN_OR_RETURN(
            db::AccountRow created,
            store_->CreateAccount(
                account, Audit(caller, "CreateServiceAccount", resource)));
        *response = AccountToProto(created);
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::GetServiceAccount(
    grpc::ServerContext* context, const v1::GetServiceAccountRequest* request,
    v1::ServiceAccount* response) {
  absl::StatusOr<std::string> account_id = ParseAccountName(request->name());
  return Handle(context, "GetServiceAccount", request->name(), Action::kRead,
                account_id, [&](const Caller&) {
                  SIGNET_ASSIGN_OR_RETURN(db::AccountRow account,
                                          store_->GetAccount(*account_id));
                  *response = AccountToProto(account);
                  return absl::OkStatus();
                });
}

grpc::Status AccountServiceImpl::ListServiceAccounts(
    grpc::ServerContext* context, const v1::ListServiceAccountsRequest* request,
    v1::ListServiceAccountsResponse* response) {
  return Handle(
      context, "ListServiceAccounts", "accounts", Action::kRead, std::string(),
      [&](const Caller&) {
        SIGNET_ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
        SIGNET_ASSIGN_OR_RETURN(std::string after,
                                FromPageToken(request->page_token()));
        // One more than asked for tells whether another page follows.
        SIGNET_ASSIGN_OR_RETURN(std::vector<db::AccountRow> accounts,
                                store_->ListAccounts(page_size + 1, after));
        bool more = static_cast<int>(accounts.size()) > page_size;
        if (more) accounts.pop_back();
        for (const db::AccountRow& account : accounts) {
          *response->add_accounts() = AccountToProto(account);
        }
        if (more)
          response->set_next_page_token(PageToken(accounts.back().account_id));
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::UpdateServiceAccount(
    grpc::ServerContext* context,
    const v1::UpdateServiceAccountRequest* request,
    v1::ServiceAccount* response) {
  absl::StatusOr<std::string> account_id =
      ParseAccountName(request->account().name());
  return Handle(
      context, "UpdateServiceAccount", request->account().name(),
      Action::kWriteAccount, account_id, [&](const Caller& caller) {
        std::optional<std::string> display_name;
        std::optional<std::string> description;
        if (request->update_mask().paths().empty()) {
          return absl::InvalidArgumentError(
              "update_mask is empty: name display_name and/or description");
        }
        for (const std::string& path : request->update_mask().paths()) {
          if (path == "display_name") {
            display_name = request->account().display_name();
          } else if (path == "description") {
            description = request->account().description();
          } else {
            return absl::InvalidArgumentError(absl::StrCat(
                "update_mask path \"", path,
                "\" cannot be updated; only display_name and description can"));
          }
        }
        SIGNET_RETURN_IF_ERROR(CheckAccountText(display_name.value_or(""),
                                                description.value_or("")));
        SIGNET_ASSIGN_OR_RETURN(
            db::AccountRow account,
            store_->UpdateAccount(*account_id, display_name, description,
                                  Audit(caller, "UpdateServiceAccount",
                                        request->account().name())));
        *response = AccountToProto(account);
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::DisableServiceAccount(
    grpc::ServerContext* context,
    const v1::DisableServiceAccountRequest* request,
    v1::ServiceAccount* response) {
  absl::StatusOr<std::string> account_id = ParseAccountName(request->name());
  return Handle(
      context, "DisableServiceAccount", request->name(), Action::kWriteAccount,
      account_id, [&](const Caller& caller) {
        SIGNET_RETURN_IF_ERROR(CheckNotLastAdmin(*account_id));
        SIGNET_ASSIGN_OR_RETURN(
            db::AccountRow account,
            store_->SetAccountDisabled(
                *account_id, true,
                Audit(caller, "DisableServiceAccount", request->name())));
        *response = AccountToProto(account);
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::EnableServiceAccount(
    grpc::ServerContext* context,
    const v1::EnableServiceAccountRequest* request,
    v1::ServiceAccount* response) {
  absl::StatusOr<std::string> account_id = ParseAccountName(request->name());
  return Handle(
      context, "EnableServiceAccount", request->name(), Action::kWriteAccount,
      account_id, [&](const Caller& caller) {
        SIGNET_ASSIGN_OR_RETURN(
            db::AccountRow account,
            store_->SetAccountDisabled(
                *account_id, false,
                Audit(caller, "EnableServiceAccount", request->name())));
        *response = AccountToProto(account);
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::DeleteServiceAccount(
    grpc::ServerContext* context,
    const v1::DeleteServiceAccountRequest* request, google::protobuf::Empty*) {
  absl::StatusOr<std::string> account_id = ParseAccountName(request->name());
  return Handle(context, "DeleteServiceAccount", request->name(),
                Action::kWriteAccount, account_id, [&](const Caller& caller) {
                  SIGNET_RETURN_IF_ERROR(CheckNotLastAdmin(*account_id));
                  return store_->DeleteAccount(
                      *account_id,
                      Audit(caller, "DeleteServiceAccount", request->name()));
                });
}

grpc::Status AccountServiceImpl::CreateKey(grpc::ServerContext* context,
                                           const v1::CreateKeyRequest* request,
                                           v1::CreateKeyResponse* response) {
  absl::StatusOr<std::string> account_id = ParseAccountName(request->parent());
  return Handle(
      context, "CreateKey", request->parent(), Action::kWriteKey, account_id,
      [&](const Caller& caller) {
        SIGNET_RETURN_IF_ERROR(CheckMayAddKey(caller, *account_id));
        SIGNET_ASSIGN_OR_RETURN(jwt::Algorithm algorithm,
                                RequestedAlgorithm(request->algorithm()));
        SIGNET_ASSIGN_OR_RETURN(jwt::KeyValidity validity,
                                RequestedValidity(*request));
        SIGNET_ASSIGN_OR_RETURN(db::AccountRow account,
                                store_->GetAccount(*account_id));
        SIGNET_ASSIGN_OR_RETURN(
            GeneratedKey generated,
            GenerateKey(account, algorithm, validity,
                        {options_.project_id, options_.token_uri}));
        SIGNET_ASSIGN_OR_RETURN(
            db::KeyRow stored,
            store_->InsertKey(
                generated.row, options_.max_keys_per_account,
                Audit(caller, "CreateKey",
                      KeyResourceName(*account_id, generated.row.key_id))));
        *response->mutable_key() = KeyToProto(stored);
        response->set_key_file(std::move(generated.key_file));
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::UploadKey(grpc::ServerContext* context,
                                           const v1::UploadKeyRequest* request,
                                           v1::Key* response) {
  absl::StatusOr<std::string> account_id = ParseAccountName(request->parent());
  return Handle(
      context, "UploadKey", request->parent(), Action::kWriteKey, account_id,
      [&](const Caller& caller) {
        SIGNET_RETURN_IF_ERROR(CheckMayAddKey(caller, *account_id));
        SIGNET_ASSIGN_OR_RETURN(
            jwt::ImportedPublicKey imported,
            jwt::ImportPublicKey(request->public_key_data()));
        db::KeyRow row =
            KeyRowFor(*account_id, imported.key, "uploaded", imported.validity);
        SIGNET_ASSIGN_OR_RETURN(
            db::KeyRow stored,
            store_->InsertKey(row, options_.max_keys_per_account,
                              Audit(caller, "UploadKey",
                                    KeyResourceName(*account_id, row.key_id))));
        *response = KeyToProto(stored);
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::GetKey(grpc::ServerContext* context,
                                        const v1::GetKeyRequest* request,
                                        v1::Key* response) {
  absl::StatusOr<KeyName> name = ParseKeyName(request->name());
  absl::StatusOr<std::string> target = AccountOf(name);
  return Handle(context, "GetKey", request->name(), Action::kRead, target,
                [&](const Caller&) {
                  SIGNET_ASSIGN_OR_RETURN(
                      db::KeyRow key,
                      store_->GetKey(name->account_id, name->key_id));
                  *response = KeyToProto(key);
                  return absl::OkStatus();
                });
}

grpc::Status AccountServiceImpl::ListKeys(grpc::ServerContext* context,
                                          const v1::ListKeysRequest* request,
                                          v1::ListKeysResponse* response) {
  absl::StatusOr<std::string> account_id = ParseAccountName(request->parent());
  return Handle(
      context, "ListKeys", request->parent(), Action::kRead, account_id,
      [&](const Caller&) {
        // An account with no keys and a missing account differ here.
        SIGNET_RETURN_IF_ERROR(store_->GetAccount(*account_id).status());
        SIGNET_ASSIGN_OR_RETURN(std::vector<db::KeyRow> keys,
                                store_->ListKeys(*account_id));
        for (const db::KeyRow& key : keys)
          *response->add_keys() = KeyToProto(key);
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::DisableKey(
    grpc::ServerContext* context, const v1::DisableKeyRequest* request,
    v1::Key* response) {
  absl::StatusOr<KeyName> name = ParseKeyName(request->name());
  absl::StatusOr<std::string> target = AccountOf(name);
  return Handle(context, "DisableKey", request->name(), Action::kWriteKey,
                target, [&](const Caller& caller) {
                  SIGNET_ASSIGN_OR_RETURN(
                      db::KeyRow key,
                      store_->SetKeyDisabled(
                          name->account_id, name->key_id, true,
                          Audit(caller, "DisableKey", request->name())));
                  *response = KeyToProto(key);
                  return absl::OkStatus();
                });
}

grpc::Status AccountServiceImpl::EnableKey(grpc::ServerContext* context,
                                           const v1::EnableKeyRequest* request,
                                           v1::Key* response) {
  absl::StatusOr<KeyName> name = ParseKeyName(request->name());
  absl::StatusOr<std::string> target = AccountOf(name);
  return Handle(context, "EnableKey", request->name(), Action::kWriteKey,
                target, [&](const Caller& caller) {
                  SIGNET_ASSIGN_OR_RETURN(
                      db::KeyRow key,
                      store_->SetKeyDisabled(
                          name->account_id, name->key_id, false,
                          Audit(caller, "EnableKey", request->name())));
                  *response = KeyToProto(key);
                  return absl::OkStatus();
                });
}

grpc::Status AccountServiceImpl::DeleteKey(grpc::ServerContext* context,
                                           const v1::DeleteKeyRequest* request,
                                           google::protobuf::Empty*) {
  absl::StatusOr<KeyName> name = ParseKeyName(request->name());
  absl::StatusOr<std::string> target = AccountOf(name);
  return Handle(context, "DeleteKey", request->name(), Action::kWriteKey,
                target, [&](const Caller& caller) {
                  return store_->DeleteKey(
                      name->account_id, name->key_id,
                      Audit(caller, "DeleteKey", request->name()));
                });
}

grpc::Status AccountServiceImpl::GrantRole(grpc::ServerContext* context,
                                           const v1::GrantRoleRequest* request,
                                           v1::RoleBinding* response) {
  return Handle(
      context, "GrantRole", request->member(), Action::kAdminister,
      std::string(), [&](const Caller& caller) {
        SIGNET_ASSIGN_OR_RETURN(db::BindingRow binding, BindingOf(*request));
        SIGNET_ASSIGN_OR_RETURN(
            db::BindingRow granted,
            store_->Grant(binding,
                          Audit(caller, "GrantRole", request->member())));
        *response = BindingToProto(granted);
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::RevokeRole(
    grpc::ServerContext* context, const v1::RevokeRoleRequest* request,
    google::protobuf::Empty*) {
  return Handle(
      context, "RevokeRole", request->member(), Action::kAdminister,
      std::string(), [&](const Caller& caller) {
        SIGNET_ASSIGN_OR_RETURN(db::BindingRow binding, BindingOf(*request));
        if (binding.role == "admin") {
          SIGNET_RETURN_IF_ERROR(CheckNotLastAdmin(binding.member_account_id));
        }
        return store_->Revoke(binding,
                              Audit(caller, "RevokeRole", request->member()));
      });
}

grpc::Status AccountServiceImpl::ListRoleBindings(
    grpc::ServerContext* context, const v1::ListRoleBindingsRequest* request,
    v1::ListRoleBindingsResponse* response) {
  return Handle(context, "ListRoleBindings", "roleBindings",
                Action::kAdminister, std::string(), [&](const Caller&) {
                  std::optional<std::string> member;
                  if (!request->member().empty()) {
                    SIGNET_ASSIGN_OR_RETURN(
                        member, ParseAccountName(request->member()));
                  }
                  SIGNET_ASSIGN_OR_RETURN(std::vector<db::BindingRow> bindings,
                                          store_->ListBindings(member));
                  for (const db::BindingRow& binding : bindings) {
                    *response->add_bindings() = BindingToProto(binding);
                  }
                  return absl::OkStatus();
                });
}

grpc::Status AccountServiceImpl::ListAuditEvents(
    grpc::ServerContext* context, const v1::ListAuditEventsRequest* request,
    v1::ListAuditEventsResponse* response) {
  return Handle(
      context, "ListAuditEvents", "auditEvents", Action::kAdminister,
      std::string(), [&](const Caller&) {
        SIGNET_ASSIGN_OR_RETURN(int page_size, PageSize(request->page_size()));
        SIGNET_ASSIGN_OR_RETURN(std::string before,
                                FromPageToken(request->page_token()));
        int64_t before_id = 0;
        if (!before.empty() && !absl::SimpleAtoi(before, &before_id)) {
          return absl::InvalidArgumentError(
              "page_token is not one this API gave");
        }
        SIGNET_ASSIGN_OR_RETURN(std::vector<db::AuditRow> events,
                                store_->ListAudit(page_size + 1, before_id));
        bool more = static_cast<int>(events.size()) > page_size;
        if (more) events.pop_back();
        for (const db::AuditRow& event : events) {
          *response->add_events() = AuditToProto(event);
        }
        if (more)
          response->set_next_page_token(
              PageToken(absl::StrCat(events.back().id)));
        return absl::OkStatus();
      });
}

}  // namespace signet::server
