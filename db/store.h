#ifndef SIGNET_DB_STORE_H_
#define SIGNET_DB_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "db/connection_pool.h"

namespace signet::db {

struct AccountRow {
  std::string uid;  // the stable unique id
  std::string account_id;
  std::string email;
  std::string display_name;
  std::string description;
  bool disabled = false;
  absl::Time created_at;
  absl::Time updated_at;
};

struct KeyRow {
  std::string key_id;
  std::string account_id;
  std::string algorithm;       // RS256, ES256, EdDSA
  std::string public_key_der;  // SubjectPublicKeyInfo
  std::string fingerprint;     // SHA-256 of public_key_der, 32 bytes
  std::string origin;          // generated, uploaded
  std::optional<absl::Time> valid_after;
  std::optional<absl::Time> valid_before;
  bool disabled = false;
  absl::Time created_at;
};

struct BindingRow {
  std::string member_account_id;
  std::string role;  // admin, account_admin, key_admin, viewer
  std::optional<std::string> scope_account_id;  // nullopt: global
  absl::Time created_at;
};

struct AuditRow {
  int64_t id = 0;
  absl::Time at;
  std::string actor;
  std::string method;
  std::string resource;
  std::string outcome;
  std::string detail;
};

// Who did what to which resource: written, with the outcome "OK", in the
// transaction of the change it describes.
struct AuditEntry {
  std::string actor;
  std::string method;
  std::string resource;
};

// The key and account store on PostgreSQL. Every change is one transaction
// together with its audit event. Errors: NOT_FOUND for a missing account,
// key or binding; ALREADY_EXISTS for a duplicate; FAILED_PRECONDITION for a
// broken limit or state; UNAVAILABLE when PostgreSQL cannot be reached;
// INTERNAL for anything else. libpqxx's exceptions never leave it.
// Thread-safe.
class Store {
 public:
  explicit Store(std::shared_ptr<ConnectionPool> pool);

  absl::StatusOr<AccountRow> CreateAccount(const AccountRow& account,
                                           const AuditEntry& audit);
  absl::StatusOr<AccountRow> GetAccount(const std::string& account_id);
  absl::StatusOr<AccountRow> GetAccountByEmail(const std::string& email);
  // Up to `limit` accounts in account_id order after `after_account_id`.
  absl::StatusOr<std::vector<AccountRow>> ListAccounts(
      int limit, const std::string& after_account_id);
  // Sets the fields given.
  absl::StatusOr<AccountRow> UpdateAccount(
      const std::string& account_id,
      const std::optional<std::string>& display_name,
      const std::optional<std::string>& description, const AuditEntry& audit);
  absl::StatusOr<AccountRow> SetAccountDisabled(const std::string& account_id,
                                                bool disabled,
                                                const AuditEntry& audit);
  absl::Status DeleteAccount(const std::string& account_id,
                             const AuditEntry& audit);

  // Adds a key to key.account_id unless the account is disabled or already
  // has `max_keys` keys (enabled or disabled): FAILED_PRECONDITION, naming
  // the limit and the count for the latter. The account's row is locked while
  // counting, so the limit holds under any number of concurrent calls.
  absl::StatusOr<KeyRow> InsertKey(const KeyRow& key, int max_keys,
                                   const AuditEntry& audit);
  absl::StatusOr<KeyRow> GetKey(const std::string& account_id,
                                const std::string& key_id);
  absl::StatusOr<std::vector<KeyRow>> ListKeys(const std::string& account_id);
  absl::StatusOr<KeyRow> SetKeyDisabled(const std::string& account_id,
                                        const std::string& key_id,
                                        bool disabled, const AuditEntry& audit);
  absl::Status DeleteKey(const std::string& account_id,
                         const std::string& key_id, const AuditEntry& audit);

  absl::StatusOr<BindingRow> Grant(const BindingRow& binding,
                                   const AuditEntry& audit);
  absl::Status Revoke(const BindingRow& binding, const AuditEntry& audit);
  // Every binding, or those of one member.
  absl::StatusOr<std::vector<BindingRow>> ListBindings(
      const std::optional<std::string>& member_account_id);

  // Records an admin call that changed nothing (refused, or failed).
  absl::Status AppendAudit(const AuditEntry& audit, const std::string& outcome,
                           const std::string& detail);
  // Up to `limit` events, newest first, with ids below `before_id` (0: all).
  absl::StatusOr<std::vector<AuditRow>> ListAudit(int limit, int64_t before_id);

  // Creates the first account (with the unique id account.uid), its global
  // admin binding and its key, once:
  // FAILED_PRECONDITION if a bootstrap already happened, also when another
  // bootstrap commits first.
  absl::StatusOr<AccountRow> Bootstrap(const AccountRow& account,
                                       const KeyRow& key);

 private:
  std::shared_ptr<ConnectionPool> pool_;
};

}  // namespace signet::db

#endif  // SIGNET_DB_STORE_H_
