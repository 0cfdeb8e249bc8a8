#include "client/signetctl_commands.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <memory>

#include "absl/container/flat_hash_set.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "base/file.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "google/protobuf/util/json_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "jwt/key_file.h"
#include "signet/v1/account_service.grpc.pb.h"
#include "signet/v1/token_verifier.grpc.pb.h"

ABSL_FLAG(std::string, target, "",
          "signetd's address: host:port (TLS) or unix:/path (local "
          "credentials). Default: $SIGNET_TARGET.");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed signetd's certificate; empty for "
          "the system's roots.");
ABSL_FLAG(std::string, tls_server_name, "",
          "The name to check in signetd's certificate, when --target is an "
          "address that the certificate does not name.");
ABSL_FLAG(std::string, key_file, "",
          "The key file to authenticate with. Default: $SIGNET_KEY_FILE.");
ABSL_FLAG(std::string, format, "table", "Output: table or json.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of each call.");
ABSL_FLAG(std::string, service, "",
          "health: the service to check; empty for the server as a whole.");
ABSL_FLAG(std::string, display_name, "", "An account's display name.");
ABSL_FLAG(std::string, description, "", "An account's description.");
ABSL_FLAG(std::string, algorithm, "RS256",
          "keys create: RS256, ES256 or EdDSA.");
ABSL_FLAG(std::string, out, "",
          "keys create: where to write the new key file (mode 0600; it must "
          "not exist). Required: the private key is shown only this once.");
ABSL_FLAG(std::string, public_key, "",
          "keys upload: a PEM public key, PEM certificate or JWK file.");
ABSL_FLAG(std::string, scope, "",
          "roles: the account a role covers; empty for global scope.");
ABSL_FLAG(int, page_size, 0,
          "List page size, at most 100; 0 for signetd's default of 20.");
ABSL_FLAG(std::string, page_token, "", "The next_page_token of a list.");
ABSL_FLAG(std::string, audience, "",
          "token print, token verify: the audience, such as "
          "https://greeter.internal:8443/.");
ABSL_FLAG(absl::Duration, lifetime, absl::Minutes(60),
          "token print: the token's lifetime, at most 1h.");

namespace signet::client {
namespace {

constexpr int kExitUsage = 2;

absl::flat_hash_set<std::string>& FlagsGiven() {
  static auto* given = new absl::flat_hash_set<std::string>();
  return *given;
}

bool FlagGiven(const std::string& name) { return FlagsGiven().contains(name); }

using Args = std::vector<std::string>;

struct Command {
  std::vector<std::string> path;
  std::string arguments;  // as shown in the usage line
  size_t min_args;
  size_t max_args;
  std::string summary;
  std::vector<std::string> flags;  // beyond the connection flags
  std::function<int(const Args&)> run;
};

const std::vector<std::string> kConnectionFlags = {
    "target", "tls_ca", "tls_server_name", "key_file", "format", "timeout"};

int Usage(const std::string& problem) {
  fprintf(stderr, "signetctl: %s; see signetctl --help\n", problem.c_str());
  return kExitUsage;
}

int Fail(const grpc::Status& status, const std::string& what) {
  fprintf(stderr, "signetctl: %s: %s: %s\n", what.c_str(),
          absl::StatusCodeToString(
              static_cast<absl::StatusCode>(status.error_code()))
              .c_str(),
          status.error_message().c_str());
  return static_cast<int>(status.error_code());
}

std::string FromEnv(const std::string& flag_value, const char* variable) {
  if (!flag_value.empty()) return flag_value;
  const char* value = getenv(variable);
  return value != nullptr ? value : "";
}

bool Json() { return absl::GetFlag(FLAGS_format) == "json"; }

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(
      absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  return context;
}

// A channel to signetd; with the key file's call credentials unless
// `anonymous`. On failure, prints why and returns null.
std::shared_ptr<grpc::Channel> Connect(bool anonymous = false) {
  std::string target = FromEnv(absl::GetFlag(FLAGS_target), "SIGNET_TARGET");
  if (target.empty()) {
    Usage(
        "no signetd address: pass --target=host:port or unix:/path, or set "
        "SIGNET_TARGET");
    return nullptr;
  }
  std::shared_ptr<grpc::CallCredentials> credentials;
  if (!anonymous) {
    std::string key_file =
        FromEnv(absl::GetFlag(FLAGS_key_file), "SIGNET_KEY_FILE");
    if (key_file.empty()) {
      Usage("no key file: pass --key_file=PATH or set SIGNET_KEY_FILE");
      return nullptr;
    }
    absl::StatusOr<std::shared_ptr<grpc::CallCredentials>> from_file =
        CallCredentialsFromKeyFile(key_file);
    if (!from_file.ok()) {
      Usage(std::string(from_file.status().message()));
      return nullptr;
    }
    credentials = *from_file;
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = CreateChannel(
      target,
      {absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_tls_server_name)},
      credentials);
  if (!channel.ok()) {
    Usage(std::string(channel.status().message()));
    return nullptr;
  }
  return *channel;
}

// "robot-1" or "accounts/robot-1" -> "accounts/robot-1"
std::string AccountName(const std::string& id_or_name) {
  return absl::StartsWith(id_or_name, "accounts/")
             ? id_or_name
             : absl::StrCat("accounts/", id_or_name);
}

std::string KeyName(const std::string& account, const std::string& key_id) {
  return absl::StrCat(AccountName(account), "/keys/", key_id);
}

void PrintJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  printf("%s", json.c_str());
  if (json.empty() || json.back() != '\n') printf("\n");
}

std::string Time(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(timestamp.seconds()),
                          absl::UTCTimeZone());
}

// Rows of cells, padded into columns.
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&line, row[i],
                      i + 1 < row.size()
                          ? std::string(widths[i] - row[i].size() + 2, ' ')
                          : "");
    }
    printf("%s\n", line.c_str());
  }
}

std::vector<std::string> AccountRow(const v1::ServiceAccount& account) {
  return {account.account_id(), account.email(),
          account.disabled() ? "disabled" : "enabled", account.display_name()};
}

std::vector<std::string> KeyRow(const v1::Key& key) {
  return {key.key_id(), key.algorithm(),
          key.disabled() ? "disabled" : "enabled",
          key.origin() == v1::Key::GENERATED ? "generated" : "uploaded",
          Time(key.create_time())};
}

void PrintAccounts(const std::vector<v1::ServiceAccount>& accounts) {
  std::vector<std::vector<std::string>> rows = {
      {"ACCOUNT_ID", "EMAIL", "STATE", "DISPLAY_NAME"}};
  for (const auto& account : accounts) rows.push_back(AccountRow(account));
  PrintTable(rows);
}

void PrintKeys(const std::vector<v1::Key>& keys) {
  std::vector<std::vector<std::string>> rows = {
      {"KEY_ID", "ALGORITHM", "STATE", "ORIGIN", "CREATED"}};
  for (const auto& key : keys) rows.push_back(KeyRow(key));
  PrintTable(rows);
}

void Print(const v1::ServiceAccount& account) {
  if (Json()) return PrintJson(account);
  PrintAccounts({account});
}

void Print(const v1::Key& key) {
  if (Json()) return PrintJson(key);
  PrintKeys({key});
}

int Done(const grpc::Status& status, const std::string& what) {
  return status.ok() ? 0 : Fail(status, what);
}

// --- health -------------------------------------------------------------

int Health(const Args&) {
  auto channel = Connect(/*anonymous=*/true);
  if (channel == nullptr) return kExitUsage;
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = grpc::health::v1::Health::NewStub(channel)->Check(
      Context().get(), request, &response);
  if (!status.ok()) return Fail(status, "health check failed");
  printf("%s\n", grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                     response.status())
                     .c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? 0
             : static_cast<int>(grpc::StatusCode::UNAVAILABLE);
}

// --- accounts -----------------------------------------------------------

std::unique_ptr<v1::AccountService::Stub> Accounts() {
  auto channel = Connect();
  return channel == nullptr ? nullptr : v1::AccountService::NewStub(channel);
}

int AccountsCreate(const Args& args) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::CreateServiceAccountRequest request;
  request.set_account_id(args[0]);
  request.set_display_name(absl::GetFlag(FLAGS_display_name));
  request.set_description(absl::GetFlag(FLAGS_description));
  v1::ServiceAccount account;
  grpc::Status status =
      stub->CreateServiceAccount(Context().get(), request, &account);
  if (status.ok()) Print(account);
  return Done(status, "cannot create the account");
}

int AccountsGet(const Args& args) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::GetServiceAccountRequest request;
  request.set_name(AccountName(args[0]));
  v1::ServiceAccount account;
  grpc::Status status =
      stub->GetServiceAccount(Context().get(), request, &account);
  if (status.ok()) Print(account);
  return Done(status, "cannot get the account");
}

int AccountsList(const Args&) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::ListServiceAccountsRequest request;
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  v1::ListServiceAccountsResponse response;
  grpc::Status status =
      stub->ListServiceAccounts(Context().get(), request, &response);
  if (!status.ok()) return Fail(status, "cannot list accounts");
  if (Json()) {
    PrintJson(response);
  } else {
    PrintAccounts({response.accounts().begin(), response.accounts().end()});
    if (!response.next_page_token().empty()) {
      printf("next page: --page_token=%s\n",
             response.next_page_token().c_str());
    }
  }
  return 0;
}

int AccountsUpdate(const Args& args) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::UpdateServiceAccountRequest request;
  request.mutable_account()->set_name(AccountName(args[0]));
  for (const char* field : {"display_name", "description"}) {
    if (FlagGiven(field)) {
      request.mutable_update_mask()->add_paths(field);
    }
  }
  if (request.update_mask().paths().empty()) {
    return Usage("accounts update needs --display_name and/or --description");
  }
  request.mutable_account()->set_display_name(
      absl::GetFlag(FLAGS_display_name));
  request.mutable_account()->set_description(absl::GetFlag(FLAGS_description));
  v1::ServiceAccount account;
  grpc::Status status =
      stub->UpdateServiceAccount(Context().get(), request, &account);
  if (status.ok()) Print(account);
  return Done(status, "cannot update the account");
}

template <typename Request, typename Method>
int AccountsChange(const Args& args, Method method, const char* what) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  Request request;
  request.set_name(AccountName(args[0]));
  v1::ServiceAccount account;
  grpc::Status status = ((*stub).*method)(Context().get(), request, &account);
  if (status.ok()) Print(account);
  return Done(status, what);
}

int AccountsDelete(const Args& args) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::DeleteServiceAccountRequest request;
  request.set_name(AccountName(args[0]));
  google::protobuf::Empty empty;
  grpc::Status status =
      stub->DeleteServiceAccount(Context().get(), request, &empty);
  if (status.ok()) printf("deleted %s\n", request.name().c_str());
  return Done(status, "cannot delete the account");
}

// --- keys ---------------------------------------------------------------

int KeysCreate(const Args& args) {
  std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    return Usage(
        "keys create needs --out=PATH for the key file, which holds "
        "the private key and is shown only this once");
  }
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  // Created before the key exists, so that a path that cannot be written
  // costs no key.
  absl::StatusOr<int> fd = CreatePrivateFile(out);
  if (!fd.ok()) return Usage(std::string(fd.status().message()));
  v1::CreateKeyRequest request;
  request.set_parent(AccountName(args[0]));
  request.set_algorithm(absl::GetFlag(FLAGS_algorithm));
  v1::CreateKeyResponse response;
  grpc::Status status = stub->CreateKey(Context().get(), request, &response);
  if (!status.ok()) {
    close(*fd);
    unlink(out.c_str());
    return Fail(status, "cannot create the key");
  }
  if (absl::Status saved = WriteAndClose(*fd, out, response.key_file());
      !saved.ok()) {
    fprintf(stderr,
            "signetctl: the key %s was created, but %s; delete it with "
            "signetctl keys delete %s %s\n",
            response.key().key_id().c_str(),
            std::string(saved.message()).c_str(), args[0].c_str(),
            response.key().key_id().c_str());
    return static_cast<int>(grpc::StatusCode::INTERNAL);
  }
  Print(response.key());
  return 0;
}

int KeysUpload(const Args& args) {
  absl::StatusOr<std::string> data = ReadFile(absl::GetFlag(FLAGS_public_key));
  if (absl::GetFlag(FLAGS_public_key).empty()) {
    return Usage("keys upload needs --public_key=PATH");
  }
  if (!data.ok()) return Usage(std::string(data.status().message()));
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::UploadKeyRequest request;
  request.set_parent(AccountName(args[0]));
  request.set_public_key_data(*data);
  v1::Key key;
  grpc::Status status = stub->UploadKey(Context().get(), request, &key);
  if (status.ok()) Print(key);
  return Done(status, "cannot upload the key");
}

template <typename Request, typename Method>
int KeysChange(const Args& args, Method method, const char* what) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  Request request;
  request.set_name(KeyName(args[0], args[1]));
  v1::Key key;
  grpc::Status status = ((*stub).*method)(Context().get(), request, &key);
  if (status.ok()) Print(key);
  return Done(status, what);
}

int KeysList(const Args& args) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::ListKeysRequest request;
  request.set_parent(AccountName(args[0]));
  v1::ListKeysResponse response;
  grpc::Status status = stub->ListKeys(Context().get(), request, &response);
  if (!status.ok()) return Fail(status, "cannot list keys");
  if (Json()) {
    PrintJson(response);
  } else {
    PrintKeys({response.keys().begin(), response.keys().end()});
  }
  return 0;
}

int KeysDelete(const Args& args) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::DeleteKeyRequest request;
  request.set_name(KeyName(args[0], args[1]));
  google::protobuf::Empty empty;
  grpc::Status status = stub->DeleteKey(Context().get(), request, &empty);
  if (status.ok()) printf("deleted %s\n", request.name().c_str());
  return Done(status, "cannot delete the key");
}

int KeysWatch(const Args&) {
  auto channel = Connect();
  if (channel == nullptr) return kExitUsage;
  grpc::ClientContext context;  // no deadline: watches until interrupted
  auto stream = v1::TokenVerifier::NewStub(channel)->WatchKeys(
      &context, v1::WatchKeysRequest());
  v1::KeyChange change;
  while (stream->Read(&change)) {
    if (Json()) {
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = true;
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(change, &json, options);
      printf("%s\n", json.c_str());
    } else {
      printf("%-16s %s %s\n", v1::KeyChange::Kind_Name(change.kind()).c_str(),
             change.account_email().c_str(), change.key_id().c_str());
    }
    fflush(stdout);
  }
  return Done(stream->Finish(), "the watch ended");
}

// --- roles and audit ----------------------------------------------------

bool ParseRole(const std::string& text, v1::Role* role) {
  std::string upper = absl::AsciiStrToUpper(text);
  return v1::Role_Parse(upper, role) && *role != v1::ROLE_UNSPECIFIED;
}

template <typename Request>
int FillBinding(const Args& args, Request* request) {
  v1::Role role;
  if (!ParseRole(args[1], &role)) {
    return Usage(absl::StrCat("role ", args[1],
                              " is not admin, account_admin, key_admin or "
                              "viewer"));
  }
  request->set_member(AccountName(args[0]));
  request->set_role(role);
  if (!absl::GetFlag(FLAGS_scope).empty()) {
    request->set_scope(AccountName(absl::GetFlag(FLAGS_scope)));
  }
  return 0;
}

int RolesGrant(const Args& args) {
  v1::GrantRoleRequest request;
  if (int usage = FillBinding(args, &request); usage != 0) return usage;
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::RoleBinding binding;
  grpc::Status status = stub->GrantRole(Context().get(), request, &binding);
  if (status.ok() && Json()) PrintJson(binding);
  if (status.ok() && !Json()) {
    printf("granted %s to %s%s\n", args[1].c_str(), binding.member().c_str(),
           binding.scope().empty() ? " (global)"
                                   : (" on " + binding.scope()).c_str());
  }
  return Done(status, "cannot grant the role");
}

int RolesRevoke(const Args& args) {
  v1::RevokeRoleRequest request;
  if (int usage = FillBinding(args, &request); usage != 0) return usage;
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  google::protobuf::Empty empty;
  grpc::Status status = stub->RevokeRole(Context().get(), request, &empty);
  if (status.ok()) {
    printf("revoked %s from %s\n", args[1].c_str(), request.member().c_str());
  }
  return Done(status, "cannot revoke the role");
}

int RolesList(const Args& args) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::ListRoleBindingsRequest request;
  if (!args.empty()) request.set_member(AccountName(args[0]));
  v1::ListRoleBindingsResponse response;
  grpc::Status status =
      stub->ListRoleBindings(Context().get(), request, &response);
  if (!status.ok()) return Fail(status, "cannot list role bindings");
  if (Json()) {
    PrintJson(response);
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{"MEMBER", "ROLE", "SCOPE"}};
  for (const auto& binding : response.bindings()) {
    rows.push_back({binding.member(),
                    absl::AsciiStrToLower(v1::Role_Name(binding.role())),
                    binding.scope().empty() ? "global" : binding.scope()});
  }
  PrintTable(rows);
  return 0;
}

int AuditList(const Args&) {
  auto stub = Accounts();
  if (stub == nullptr) return kExitUsage;
  v1::ListAuditEventsRequest request;
  request.set_page_size(absl::GetFlag(FLAGS_page_size));
  request.set_page_token(absl::GetFlag(FLAGS_page_token));
  v1::ListAuditEventsResponse response;
  grpc::Status status =
      stub->ListAuditEvents(Context().get(), request, &response);
  if (!status.ok()) return Fail(status, "cannot list audit events");
  if (Json()) {
    PrintJson(response);
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"TIME", "ACTOR", "METHOD", "RESOURCE", "OUTCOME"}};
  for (const auto& event : response.events()) {
    rows.push_back({Time(event.time()), event.actor(), event.method(),
                    event.resource(), event.outcome()});
  }
  PrintTable(rows);
  if (!response.next_page_token().empty()) {
    printf("next page: --page_token=%s\n", response.next_page_token().c_str());
  }
  return 0;
}

// --- tokens -------------------------------------------------------------

int TokenPrint(const Args&) {
  std::string key_file =
      FromEnv(absl::GetFlag(FLAGS_key_file), "SIGNET_KEY_FILE");
  if (key_file.empty() || absl::GetFlag(FLAGS_audience).empty()) {
    return Usage(
        "token print needs --key_file (or SIGNET_KEY_FILE) and "
        "--audience");
  }
  absl::StatusOr<jwt::KeyFile> file = jwt::ReadKeyFile(key_file);
  if (!file.ok()) return Usage(std::string(file.status().message()));
  auto signer = jwt::SignerFromKeyFile(*file);
  if (!signer.ok()) return Usage(std::string(signer.status().message()));
  absl::StatusOr<jwt::SignedToken> token = (*signer)->Sign(
      absl::GetFlag(FLAGS_audience), absl::GetFlag(FLAGS_lifetime));
  if (!token.ok()) return Usage(std::string(token.status().message()));
  printf("%s\n", token->token.c_str());
  return 0;
}

int TokenVerify(const Args& args) {
  if (absl::GetFlag(FLAGS_audience).empty()) {
    return Usage("token verify needs --audience");
  }
  auto channel = Connect();
  if (channel == nullptr) return kExitUsage;
  std::string token = args[0];
  if (token == "-") {
    // From standard input, so that the token stays out of the process list
    // and the shell's history.
    char buffer[8192];
    size_t got = fread(buffer, 1, sizeof(buffer), stdin);
    token =
        std::string(absl::StripAsciiWhitespace(absl::string_view(buffer, got)));
    if (token.empty()) return Usage("no token on standard input");
  }
  v1::VerifyTokenRequest request;
  request.set_token(token);
  request.set_audience(absl::GetFlag(FLAGS_audience));
  v1::VerifyTokenResponse response;
  grpc::Status status = v1::TokenVerifier::NewStub(channel)->VerifyToken(
      Context().get(), request, &response);
  if (!status.ok()) return Fail(status, "cannot verify the token");
  if (Json()) {
    PrintJson(response);
  } else if (response.verified()) {
    printf("verified: %s with key %s until %s\n",
           response.account_email().c_str(), response.key_id().c_str(),
           Time(response.expire_time()).c_str());
  } else {
    printf("refused: %s\n", response.reason().c_str());
  }
  // A refused token is what the caller would get: UNAUTHENTICATED.
  return response.verified()
             ? 0
             : static_cast<int>(grpc::StatusCode::UNAUTHENTICATED);
}

const std::vector<Command>& Commands() {
  using v1::AccountService;
  static const auto* commands = new std::vector<Command>{
      {{"health"},
       "",
       0,
       0,
       "Checks that signetd answers SERVING (no key file needed).",
       {"service"},
       Health},
      {{"accounts", "create"},
       "ACCOUNT_ID",
       1,
       1,
       "Creates a service account.",
       {"display_name", "description"},
       AccountsCreate},
      {{"accounts", "get"},
       "ACCOUNT_ID",
       1,
       1,
       "Shows an account.",
       {},
       AccountsGet},
      {{"accounts", "list"},
       "",
       0,
       0,
       "Lists accounts, a page at a time.",
       {"page_size", "page_token"},
       AccountsList},
      {{"accounts", "update"},
       "ACCOUNT_ID",
       1,
       1,
       "Sets an account's display name and/or description.",
       {"display_name", "description"},
       AccountsUpdate},
      {{"accounts", "disable"},
       "ACCOUNT_ID",
       1,
       1,
       "Disables an account: its tokens stop working at once.",
       {},
       [](const Args& a) {
         return AccountsChange<v1::DisableServiceAccountRequest>(
             a, &AccountService::Stub::DisableServiceAccount,
             "cannot disable the account");
       }},
      {{"accounts", "enable"},
       "ACCOUNT_ID",
       1,
       1,
       "Enables an account.",
       {},
       [](const Args& a) {
         return AccountsChange<v1::EnableServiceAccountRequest>(
             a, &AccountService::Stub::EnableServiceAccount,
             "cannot enable the account");
       }},
      {{"accounts", "delete"},
       "ACCOUNT_ID",
       1,
       1,
       "Deletes an account with its keys and role bindings.",
       {},
       AccountsDelete},
      {{"keys", "create"},
       "ACCOUNT_ID",
       1,
       1,
       "Generates a key pair; writes the key file, which signetd does not "
       "keep.",
       {"algorithm", "out"},
       KeysCreate},
      {{"keys", "upload"},
       "ACCOUNT_ID",
       1,
       1,
       "Registers a public key you generated.",
       {"public_key"},
       KeysUpload},
      {{"keys", "get"},
       "ACCOUNT_ID KEY_ID",
       2,
       2,
       "Shows a key.",
       {},
       [](const Args& a) {
         return KeysChange<v1::GetKeyRequest>(a, &AccountService::Stub::GetKey,
                                              "cannot get the key");
       }},
      {{"keys", "list"},
       "ACCOUNT_ID",
       1,
       1,
       "Lists an account's keys (public parts only).",
       {},
       KeysList},
      {{"keys", "disable"},
       "ACCOUNT_ID KEY_ID",
       2,
       2,
       "Disables a key: its tokens stop working at once.",
       {},
       [](const Args& a) {
         return KeysChange<v1::DisableKeyRequest>(
             a, &AccountService::Stub::DisableKey, "cannot disable the key");
       }},
      {{"keys", "enable"},
       "ACCOUNT_ID KEY_ID",
       2,
       2,
       "Enables a key.",
       {},
       [](const Args& a) {
         return KeysChange<v1::EnableKeyRequest>(
             a, &AccountService::Stub::EnableKey, "cannot enable the key");
       }},
      {{"keys", "delete"},
       "ACCOUNT_ID KEY_ID",
       2,
       2,
       "Deletes a key.",
       {},
       KeysDelete},
      {{"keys", "watch"},
       "",
       0,
       0,
       "Prints key and account changes as they happen, until interrupted.",
       {},
       KeysWatch},
      {{"roles", "grant"},
       "MEMBER ROLE",
       2,
       2,
       "Grants admin, account_admin, key_admin or viewer to an account.",
       {"scope"},
       RolesGrant},
      {{"roles", "revoke"},
       "MEMBER ROLE",
       2,
       2,
       "Revokes a role binding.",
       {"scope"},
       RolesRevoke},
      {{"roles", "list"},
       "[MEMBER]",
       0,
       1,
       "Lists role bindings, of one member or all.",
       {},
       RolesList},
      {{"audit", "list"},
       "",
       0,
       0,
       "Lists audit events, newest first.",
       {"page_size", "page_token"},
       AuditList},
      {{"token", "print"},
       "",
       0,
       0,
       "Mints a token locally from the key file (no signetd needed).",
       {"audience", "lifetime"},
       TokenPrint},
      {{"token", "verify"},
       "TOKEN",
       1,
       1,
       "Asks signetd whether a token verifies for an audience.",
       {"audience"},
       TokenVerify},
  };
  return *commands;
}

std::string UsageLine(const Command& command) {
  return absl::StrCat("signetctl ", absl::StrJoin(command.path, " "),
                      command.arguments.empty() ? "" : " ", command.arguments);
}

std::string FlagHelp(const std::string& name) {
  absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  if (flag == nullptr) return "";
  return absl::StrCat("  --", name, "  ", flag->Help(), " (default: \"",
                      flag->DefaultValue(), "\")\n");
}

bool StartsWithPath(const std::vector<std::string>& words,
                    const std::vector<std::string>& path) {
  if (words.size() < path.size()) return false;
  return std::equal(path.begin(), path.end(), words.begin());
}

}  // namespace

void NoteFlagsGiven(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (!absl::ConsumePrefix(&arg, "--")) continue;
    FlagsGiven().insert(std::string(arg.substr(0, arg.find('='))));
  }
}

std::string GeneralUsage() {
  std::string usage =
      "the signet operator's command line.\n\n"
      "  signetctl [flags] COMMAND [ARGS...]\n"
      "  signetctl COMMAND --help\n\nCommands:\n";
  for (const Command& command : Commands()) {
    absl::StrAppend(&usage, "  ", UsageLine(command), "\n      ",
                    command.summary, "\n");
  }
  absl::StrAppend(&usage,
                  "\nFlags every command takes: --target (or SIGNET_TARGET), "
                  "--key_file (or SIGNET_KEY_FILE), --tls_ca, "
                  "--tls_server_name, --format=table|json, --timeout.\n"
                  "Every command but health and token print authenticates "
                  "with --key_file. The exit code is the gRPC status code of "
                  "the call (0 for OK), 2 for bad arguments.\n");
  return usage;
}

std::string HelpFor(const std::vector<std::string>& words) {
  for (const Command& command : Commands()) {
    if (!StartsWithPath(words, command.path)) continue;
    std::string help =
        absl::StrCat("Usage: ", UsageLine(command), " [flags]\n\n",
                     command.summary, "\n\nFlags:\n");
    for (const std::string& flag : command.flags) {
      absl::StrAppend(&help, FlagHelp(flag));
    }
    for (const std::string& flag : kConnectionFlags) {
      absl::StrAppend(&help, FlagHelp(flag));
    }
    return help;
  }
  // A group name alone: its commands.
  std::string help;
  for (const Command& command : Commands()) {
    if (!words.empty() && command.path[0] == words[0]) {
      absl::StrAppend(&help, "  ", UsageLine(command), "\n      ",
                      command.summary, "\n");
    }
  }
  return help.empty() ? GeneralUsage()
                      : absl::StrCat("Commands:\n", help,
                                     "\nRun signetctl COMMAND --help for its "
                                     "flags.\n");
}

int RunCommand(const std::vector<std::string>& args) {
  if (args.empty()) return Usage("no command");
  if (absl::GetFlag(FLAGS_format) != "table" &&
      absl::GetFlag(FLAGS_format) != "json") {
    return Usage("--format must be table or json");
  }
  for (const Command& command : Commands()) {
    if (!StartsWithPath(args, command.path)) continue;
    Args rest(args.begin() + command.path.size(), args.end());
    if (rest.size() < command.min_args || rest.size() > command.max_args) {
      return Usage(absl::StrCat("usage: ", UsageLine(command)));
    }
    return command.run(rest);
  }
  for (const Command& command : Commands()) {
    if (command.path.size() > 1 && command.path[0] == args[0]) {
      fprintf(stderr, "signetctl: %s needs a command:\n%s", args[0].c_str(),
              HelpFor({args[0]}).c_str());
      return kExitUsage;
    }
  }
  return Usage(
      absl::StrCat("unknown command '", absl::StrJoin(args, " "), "'"));
}

}  // namespace signet::client
