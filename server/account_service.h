#ifndef SIGNET_SERVER_ACCOUNT_SERVICE_H_
#define SIGNET_SERVER_ACCOUNT_SERVICE_H_

#include <functional>
#include <memory>
#include <string>

#include "db/store.h"
#include "server/authorizer.h"
#include "signet/v1/account_service.grpc.pb.h"
#include "verifier/call_verifier.h"

namespace signet::server {

struct AccountServiceOptions {
  // Accounts' emails are account_id@account_domain.
  std::string account_domain = "signet.internal";
  // The deployment's name: key files' project_id.
  std::string project_id = "signet";
  // signetd's address as clients reach it: key files' token_uri.
  std::string token_uri = "https://localhost/";
  // Keys per account, enabled and disabled together.
  int max_keys_per_account = 10;
  // Whether an account that is not a global admin may add keys to itself.
  // Off by default, so that a leaked key cannot mint lasting credentials.
  bool allow_self_key_creation = false;
};

// The admin API on the store. Every call needs a verified caller (the token
// processor refuses bad tokens; `callers` names the caller of a good one);
// PERMISSION_DENIED never reveals whether the target exists; every
// authenticated call is audited.
class AccountServiceImpl final : public v1::AccountService::Service {
 public:
  AccountServiceImpl(std::shared_ptr<db::Store> store,
                     std::shared_ptr<verifier::CallVerifier> callers,
                     AccountServiceOptions options);

  grpc::Status CreateServiceAccount(
      grpc::ServerContext* context,
      const v1::CreateServiceAccountRequest* request,
      v1::ServiceAccount* response) override;
  grpc::Status GetServiceAccount(grpc::ServerContext* context,
                                 const v1::GetServiceAccountRequest* request,
                                 v1::ServiceAccount* response) override;
  grpc::Status ListServiceAccounts(
      grpc::ServerContext* context,
      const v1::ListServiceAccountsRequest* request,
      v1::ListServiceAccountsResponse* response) override;
  grpc::Status UpdateServiceAccount(
      grpc::ServerContext* context,
      const v1::UpdateServiceAccountRequest* request,
      v1::ServiceAccount* response) override;
  grpc::Status DisableServiceAccount(
      grpc::ServerContext* context,
      const v1::DisableServiceAccountRequest* request,
      v1::ServiceAccount* response) override;
  grpc::Status EnableServiceAccount(
      grpc::ServerContext* context,
      const v1::EnableServiceAccountRequest* request,
      v1::ServiceAccount* response) override;
  grpc::Status DeleteServiceAccount(
      grpc::ServerContext* context,
      const v1::DeleteServiceAccountRequest* request,
      google::protobuf::Empty* response) override;

  grpc::Status CreateKey(grpc::ServerContext* context,
                         const v1::CreateKeyRequest* request,
                         v1::CreateKeyResponse* response) override;
  grpc::Status UploadKey(grpc::ServerContext* context,
                         const v1::UploadKeyRequest* request,
                         v1::Key* response) override;
  grpc::Status GetKey(grpc::ServerContext* context,
                      const v1::GetKeyRequest* request,
                      v1::Key* response) override;
  grpc::Status ListKeys(grpc::ServerContext* context,
                        const v1::ListKeysRequest* request,
                        v1::ListKeysResponse* response) override;
  grpc::Status DisableKey(grpc::ServerContext* context,
                          const v1::DisableKeyRequest* request,
                          v1::Key* response) override;
  grpc::Status EnableKey(grpc::ServerContext* context,
                         const v1::EnableKeyRequest* request,
                         v1::Key* response) override;
  grpc::Status DeleteKey(grpc::ServerContext* context,
                         const v1::DeleteKeyRequest* request,
                         google::protobuf::Empty* response) override;

  grpc::Status GrantRole(grpc::ServerContext* context,
                         const v1::GrantRoleRequest* request,
                         v1::RoleBinding* response) override;
  grpc::Status RevokeRole(grpc::ServerContext* context,
                          const v1::RevokeRoleRequest* request,
                          google::protobuf::Empty* response) override;
  grpc::Status ListRoleBindings(
      grpc::ServerContext* context, const v1::ListRoleBindingsRequest* request,
      v1::ListRoleBindingsResponse* response) override;
  grpc::Status ListAuditEvents(grpc::ServerContext* context,
                               const v1::ListAuditEventsRequest* request,
                               v1::ListAuditEventsResponse* response) override;

 private:
  struct Caller {
    db::AccountRow account;
    std::vector<db::BindingRow> bindings;
  };

  // One call: who is calling, whether they may do `action` on `target` (an
  // account id, or empty for no one account; a malformed target name is
  // INVALID_ARGUMENT only for a caller allowed globally), then `body`, then
  // the audit event for anything `body` did not audit itself.
  using Body = std::function<absl::Status(const Caller&)>;
  grpc::Status Handle(grpc::ServerContext* context, const char* method,
                      const std::string& resource, Action action,
                      const absl::StatusOr<std::string>& target,
                      const Body& body);

  absl::StatusOr<Caller> Authenticate(grpc::ServerContext* context);
  absl::Status CheckMayAddKey(const Caller& caller,
                              const std::string& account_id) const;
  // Only a global admin changes the keys or state of an account that holds
  // a role. PERMISSION_DENIED otherwise.
  absl::Status CheckMayChangeRoleHolder(const Caller& caller, Action action,
                                        const std::string& target);
  // FAILED_PRECONDITION when `account_id` is the last enabled global admin,
  // which must not be disabled, deleted or lose the role.
  // TODO: two concurrent calls on the last two admins can both pass this
  // check; a lock on the admin bindings in the store would close that.
  absl::Status CheckNotLastAdmin(const std::string& account_id);
  db::AuditEntry Audit(const Caller& caller, const char* method,
                       const std::string& resource) const;

  std::shared_ptr<db::Store> store_;
  std::shared_ptr<verifier::CallVerifier> callers_;
  AccountServiceOptions options_;
};

}  // namespace signet::server

#endif  // SIGNET_SERVER_ACCOUNT_SERVICE_H_
