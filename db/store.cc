#include "db/store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "db/connection.h"

namespace signet::db {
namespace {

constexpr char kAccountColumns[] =
    "uid::text, account_id, email, display_name, description, disabled, "
    "(extract(epoch FROM created_at) * 1000000)::bigint, "
    "(extract(epoch FROM updated_at) * 1000000)::bigint";

constexpr char kKeyColumns[] =
    "k.key_id, a.account_id, k.algorithm, encode(k.public_key, 'hex'), "
    "encode(k.fingerprint, 'hex'), k.origin, "
    "(extract(epoch FROM k.valid_after) * 1000000)::bigint, "
    "(extract(epoch FROM k.valid_before) * 1000000)::bigint, k.disabled, "
    "(extract(epoch FROM k.created_at) * 1000000)::bigint";

constexpr char kBindingColumns[] =
    "m.account_id, b.role, s.account_id, "
    "(extract(epoch FROM b.created_at) * 1000000)::bigint";

absl::Time TimeOf(const pqxx::field& field) {
  return absl::FromUnixMicros(field.as<int64_t>());
}

std::optional<absl::Time> OptionalTimeOf(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return TimeOf(field);
}

AccountRow ReadAccount(const pqxx::row& row) {
  return AccountRow{row[0].as<std::string>(), row[1].as<std::string>(),
                    row[2].as<std::string>(), row[3].as<std::string>(),
                    row[4].as<std::string>(), row[5].as<bool>(),
                    TimeOf(row[6]),           TimeOf(row[7])};
}

KeyRow ReadKey(const pqxx::row& row) {
  return KeyRow{row[0].as<std::string>(),
                row[1].as<std::string>(),
                row[2].as<std::string>(),
                absl::HexStringToBytes(row[3].as<std::string>()),
                absl::HexStringToBytes(row[4].as<std::string>()),
                row[5].as<std::string>(),
                OptionalTimeOf(row[6]),
                OptionalTimeOf(row[7]),
                row[8].as<bool>(),
                TimeOf(row[9])};
}

BindingRow ReadBinding(const pqxx::row& row) {
  std::optional<std::string> scope;
  if (!row[2].is_null()) scope = row[2].as<std::string>();
  return BindingRow{row[0].as<std::string>(), row[1].as<std::string>(), scope,
                    TimeOf(row[3])};
}

void WriteAudit(pqxx::transaction_base& tx, const AuditEntry& audit,
                const std::string& outcome, const std::string& detail) {
  tx.exec_params(
      "INSERT INTO audit_events (actor, method, resource, outcome, detail) "
      "VALUES ($1, $2, $3, $4, $5)",
      audit.actor, audit.method, audit.resource, outcome, detail);
}

// Microseconds since the epoch, or NULL, as SQL parameters: libpqxx 6.4
// takes no std::optional.
struct OptionalMicros {
  explicit OptionalMicros(const std::optional<absl::Time>& time)
      : present(time.has_value()),
        micros(time.has_value() ? absl::ToUnixMicros(*time) : 0) {}
  bool present;
  int64_t micros;
};

std::string OptionalTimestamp(int present_parameter, int micros_parameter) {
  return absl::StrCat("CASE WHEN $", present_parameter, " THEN to_timestamp($",
                      micros_parameter, "::float8 / 1e6) END");
}

// Inserts `key` for the account with unique id `account_uid`.
void InsertKeyRow(pqxx::transaction_base& tx, const KeyRow& key,
                  const std::string& account_uid) {
  OptionalMicros after(key.valid_after);
  OptionalMicros before(key.valid_before);
  tx.exec_params(
      absl::StrCat("INSERT INTO keys (key_id, account_uid, algorithm, "
                   "public_key, fingerprint, origin, valid_after, "
                   "valid_before) VALUES ($1, $2, $3, decode($4, 'hex'), "
                   "decode($5, 'hex'), $6, ",
                   OptionalTimestamp(7, 8), ", ", OptionalTimestamp(9, 10),
                   ")"),
      key.key_id, account_uid, key.algorithm,
      absl::BytesToHexString(key.public_key_der),
      absl::BytesToHexString(key.fingerprint), key.origin, after.present,
      after.micros, before.present, before.micros);
}

}  // namespace

Store::Store(std::shared_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

// Runs `body` in one transaction and commits it when `body` returns OK.
// libpqxx's exceptions become statuses here and go no further.
template <typename Body>
auto InTransaction(ConnectionPool& pool, absl::string_view what, Body body)
    -> decltype(body(std::declval<pqxx::work&>())) {
  SIGNET_ASSIGN_OR_RETURN(ConnectionPool::Lease connection, pool.Acquire());
  try {
    pqxx::work tx(*connection);
    auto result = body(tx);
    if (result.ok()) tx.commit();
    return result;
  } catch (const pqxx::unique_violation& e) {
    return absl::AlreadyExistsError(absl::StrCat(what, ": already exists"));
  } catch (const pqxx::foreign_key_violation& e) {
    return absl::NotFoundError(absl::StrCat(what, ": no such account"));
  } catch (const pqxx::check_violation& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": a value is out of range"));
  } catch (const std::exception& e) {
    return StatusFromException(e, what);
  }
}

absl::StatusOr<AccountRow> Store::CreateAccount(const AccountRow& account,
                                                const AuditEntry& audit) {
  return InTransaction(
      *pool_, "creating the account",
      [&](pqxx::work& tx) -> absl::StatusOr<AccountRow> {
        pqxx::row row = tx.exec_params1(
            absl::StrCat("INSERT INTO accounts (uid, account_id, email, "
                         "display_name, description) "
                         "VALUES (gen_random_uuid(), $1, $2, $3, $4) "
                         "RETURNING ",
                         kAccountColumns),
            account.account_id, account.email, account.display_name,
            account.description);
        WriteAudit(tx, audit, "OK", "");
        return ReadAccount(row);
      });
}

absl::StatusOr<AccountRow> Store::GetAccount(const std::string& account_id) {
  return InTransaction(
      *pool_, "reading the account",
      [&](pqxx::work& tx) -> absl::StatusOr<AccountRow> {
        pqxx::result rows =
            tx.exec_params(absl::StrCat("SELECT ", kAccountColumns,
                                        " FROM accounts WHERE account_id = $1"),
                           account_id);
        if (rows.empty()) return absl::NotFoundError("no such account");
        return ReadAccount(rows[0]);
      });
}

absl::StatusOr<AccountRow> Store::GetAccountByEmail(const std::string& email) {
  return InTransaction(*pool_, "reading the account",
                       [&](pqxx::work& tx) -> absl::StatusOr<AccountRow> {
                         pqxx::result rows = tx.exec_params(
                             absl::StrCat("SELECT ", kAccountColumns,
                                          " FROM accounts WHERE email = $1"),
                             email);
                         if (rows.empty())
                           return absl::NotFoundError("no such account");
                         return ReadAccount(rows[0]);
                       });
}

absl::StatusOr<std::vector<AccountRow>> Store::ListAccounts(
    int limit, const std::string& after_account_id) {
  return InTransaction(
      *pool_, "listing accounts",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<AccountRow>> {
        pqxx::result rows =
            tx.exec_params(absl::StrCat("SELECT ", kAccountColumns,
                                        " FROM accounts WHERE account_id > $1 "
                                        "ORDER BY account_id LIMIT $2"),
                           after_account_id, limit);
        std::vector<AccountRow> accounts;
        for (const pqxx::row& row : rows) accounts.push_back(ReadAccount(row));
        return accounts;
      });
}

absl::StatusOr<AccountRow> Store::UpdateAccount(
    const std::string& account_id,
    const std::optional<std::string>& display_name,
    const std::optional<std::string>& description, const AuditEntry& audit) {
  return InTransaction(
      *pool_, "updating the account",
      [&](pqxx::work& tx) -> absl::StatusOr<AccountRow> {
        pqxx::result rows = tx.exec_params(
            absl::StrCat(
                "UPDATE accounts SET "
                "display_name = CASE WHEN $2 THEN $3 ELSE display_name END, "
                "description = CASE WHEN $4 THEN $5 ELSE description END, "
                "updated_at = now() WHERE account_id = $1 RETURNING ",
                kAccountColumns),
            account_id, display_name.has_value(), display_name.value_or(""),
            description.has_value(), description.value_or(""));
        if (rows.empty()) return absl::NotFoundError("no such account");
        WriteAudit(tx, audit, "OK", "");
        return ReadAccount(rows[0]);
      });
}

absl::StatusOr<AccountRow> Store::SetAccountDisabled(
    const std::string& account_id, bool disabled, const AuditEntry& audit) {
  return InTransaction(
      *pool_, "changing the account",
      [&](pqxx::work& tx) -> absl::StatusOr<AccountRow> {
        pqxx::result rows = tx.exec_params(
            absl::StrCat(
                "UPDATE accounts SET disabled = $2, updated_at = now() "
                "WHERE account_id = $1 RETURNING ",
                kAccountColumns),
            account_id, disabled);
        if (rows.empty()) return absl::NotFoundError("no such account");
        WriteAudit(tx, audit, "OK", "");
        return ReadAccount(rows[0]);
      });
}

absl::Status Store::DeleteAccount(const std::string& account_id,
                                  const AuditEntry& audit) {
  return InTransaction(*pool_, "deleting the account",
                       [&](pqxx::work& tx) -> absl::StatusOr<bool> {
                         pqxx::result rows = tx.exec_params(
                             "DELETE FROM accounts WHERE account_id = $1 "
                             "RETURNING uid",
                             account_id);
                         if (rows.empty()) {
                           return absl::NotFoundError("no such account");
                         }
                         WriteAudit(tx, audit, "OK", "");
                         return true;
                       })
      .status();
}

absl::StatusOr<KeyRow> Store::InsertKey(const KeyRow& key, int max_keys,
                                        const AuditEntry& audit) {
  return InTransaction(
      *pool_, "adding the key", [&](pqxx::work& tx) -> absl::StatusOr<KeyRow> {
        // Locking the account serializes every key insert for it, so the
        // count below stays true until this transaction commits.
        pqxx::result owner = tx.exec_params(
            "SELECT uid, disabled FROM accounts WHERE account_id = $1 "
            "FOR UPDATE",
            key.account_id);
        if (owner.empty()) return absl::NotFoundError("no such account");
        if (owner[0][1].as<bool>()) {
          return absl::FailedPreconditionError(
              absl::StrCat("account ", key.account_id,
                           " is disabled: enable it before adding keys"));
        }
        std::string uid = owner[0][0].as<std::string>();
        int count = tx.exec_params1(
                          "SELECT count(*) FROM keys "
                          "WHERE account_uid = $1",
                          uid)[0]
                        .as<int>();
        if (count >= max_keys) {
          return absl::FailedPreconditionError(absl::StrCat(
              "account ", key.account_id, " has ", count,
              " keys; the limit is ", max_keys, ": delete a key first"));
        }
        if (tx.exec_params("SELECT 1 FROM keys WHERE fingerprint = "
                           "decode($1, 'hex')",
                           absl::BytesToHexString(key.fingerprint))
                .size() > 0) {
          return absl::AlreadyExistsError(
              "this public key is already registered");
        }

        InsertKeyRow(tx, key, uid);
        WriteAudit(tx, audit, "OK", "");
        pqxx::row row = tx.exec_params1(
            absl::StrCat("SELECT ", kKeyColumns,
                         " FROM keys k JOIN accounts a ON a.uid = k.account_uid"
                         " WHERE k.key_id = $1"),
            key.key_id);
        return ReadKey(row);
      });
}

absl::StatusOr<KeyRow> Store::GetKey(const std::string& account_id,
                                     const std::string& key_id) {
  return InTransaction(
      *pool_, "reading the key", [&](pqxx::work& tx) -> absl::StatusOr<KeyRow> {
        pqxx::result rows = tx.exec_params(
            absl::StrCat("SELECT ", kKeyColumns,
                         " FROM keys k JOIN accounts a ON a.uid = k.account_uid"
                         " WHERE a.account_id = $1 AND k.key_id = $2"),
            account_id, key_id);
        if (rows.empty()) return absl::NotFoundError("no such key");
        return ReadKey(rows[0]);
      });
}

absl::StatusOr<std::vector<KeyRow>> Store::ListKeys(
    const std::string& account_id) {
  return InTransaction(
      *pool_, "listing keys",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<KeyRow>> {
        pqxx::result rows = tx.exec_params(
            absl::StrCat("SELECT ", kKeyColumns,
                         " FROM keys k JOIN accounts a ON a.uid = k.account_uid"
                         " WHERE a.account_id = $1 ORDER BY k.created_at"),
            account_id);
        std::vector<KeyRow> keys;
        for (const pqxx::row& row : rows) keys.push_back(ReadKey(row));
        return keys;
      });
}

absl::StatusOr<KeyRow> Store::SetKeyDisabled(const std::string& account_id,
                                             const std::string& key_id,
                                             bool disabled,
                                             const AuditEntry& audit) {
  return InTransaction(
      *pool_, "changing the key",
      [&](pqxx::work& tx) -> absl::StatusOr<KeyRow> {
        pqxx::result changed = tx.exec_params(
            "UPDATE keys k SET disabled = $3 FROM accounts a "
            "WHERE a.uid = k.account_uid AND a.account_id = $1 "
            "AND k.key_id = $2 RETURNING k.key_id",
            account_id, key_id, disabled);
        if (changed.empty()) return absl::NotFoundError("no such key");
        WriteAudit(tx, audit, "OK", "");
        return ReadKey(tx.exec_params1(
            absl::StrCat("SELECT ", kKeyColumns,
                         " FROM keys k JOIN accounts a ON a.uid = k.account_uid"
                         " WHERE k.key_id = $1"),
            key_id));
      });
}

absl::Status Store::DeleteKey(const std::string& account_id,
                              const std::string& key_id,
                              const AuditEntry& audit) {
  return InTransaction(*pool_, "deleting the key",
                       [&](pqxx::work& tx) -> absl::StatusOr<bool> {
                         pqxx::result deleted = tx.exec_params(
                             "DELETE FROM keys k USING accounts a "
                             "WHERE a.uid = k.account_uid AND "
                             "a.account_id = $1 AND k.key_id = $2 "
                             "RETURNING k.key_id",
                             account_id, key_id);
                         if (deleted.empty()) {
                           return absl::NotFoundError("no such key");
                         }
                         WriteAudit(tx, audit, "OK", "");
                         return true;
                       })
      .status();
}

absl::StatusOr<BindingRow> Store::Grant(const BindingRow& binding,
                                        const AuditEntry& audit) {
  return InTransaction(
      *pool_, "granting the role",
      [&](pqxx::work& tx) -> absl::StatusOr<BindingRow> {
        pqxx::result inserted = tx.exec_params(
            "INSERT INTO role_bindings (member_uid, role, scope_uid) "
            "SELECT m.uid, $2, s.uid FROM accounts m "
            "LEFT JOIN accounts s ON s.account_id = $3 "
            "WHERE m.account_id = $1 AND ($3 = '' OR s.uid IS NOT NULL) "
            "RETURNING member_uid",
            binding.member_account_id, binding.role,
            binding.scope_account_id.value_or(""));
        if (inserted.empty()) return absl::NotFoundError("no such account");
        WriteAudit(tx, audit, "OK", "");
        BindingRow granted = binding;
        granted.created_at = absl::Now();
        return granted;
      });
}

absl::Status Store::Revoke(const BindingRow& binding, const AuditEntry& audit) {
  return InTransaction(
             *pool_, "revoking the role",
             [&](pqxx::work& tx) -> absl::StatusOr<bool> {
               pqxx::result deleted = tx.exec_params(
                   "DELETE FROM role_bindings b USING accounts m "
                   "WHERE m.uid = b.member_uid AND m.account_id = $1 "
                   "AND b.role = $2 AND CASE WHEN $3 = '' "
                   "THEN b.scope_uid IS NULL ELSE b.scope_uid = "
                   "(SELECT uid FROM accounts WHERE account_id = $3) END "
                   "RETURNING b.role",
                   binding.member_account_id, binding.role,
                   binding.scope_account_id.value_or(""));
               if (deleted.empty()) {
                 return absl::NotFoundError("no such role binding");
               }
               WriteAudit(tx, audit, "OK", "");
               return true;
             })
      .status();
}

absl::StatusOr<std::vector<BindingRow>> Store::ListBindings(
    const std::optional<std::string>& member_account_id) {
  return InTransaction(
      *pool_, "listing role bindings",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<BindingRow>> {
        pqxx::result rows = tx.exec_params(
            absl::StrCat("SELECT ", kBindingColumns,
                         " FROM role_bindings b "
                         "JOIN accounts m ON m.uid = b.member_uid "
                         "LEFT JOIN accounts s ON s.uid = b.scope_uid "
                         "WHERE $1 OR m.account_id = $2 "
                         "ORDER BY m.account_id, b.role, s.account_id"),
            !member_account_id.has_value(), member_account_id.value_or(""));
        std::vector<BindingRow> bindings;
        for (const pqxx::row& row : rows) {
          bindings.push_back(ReadBinding(row));
        }
        return bindings;
      });
}

absl::Status Store::AppendAudit(const AuditEntry& audit,
                                const std::string& outcome,
                                const std::string& detail) {
  return InTransaction(*pool_, "writing the audit log",
                       [&](pqxx::work& tx) -> absl::StatusOr<bool> {
                         WriteAudit(tx, audit, outcome, detail);
                         return true;
                       })
      .status();
}

absl::StatusOr<std::vector<AuditRow>> Store::ListAudit(int limit,
                                                       int64_t before_id) {
  return InTransaction(
      *pool_, "reading the audit log",
      [&](pqxx::work& tx) -> absl::StatusOr<std::vector<AuditRow>> {
        pqxx::result rows = tx.exec_params(
            "SELECT id, (extract(epoch FROM at) * 1000000)::bigint, actor, "
            "method, resource, outcome, detail FROM audit_events "
            "WHERE $1 = 0 OR id < $1 ORDER BY id DESC LIMIT $2",
            before_id, limit);
        std::vector<AuditRow> events;
        for (const pqxx::row& row : rows) {
          events.push_back(AuditRow{
              row[0].as<int64_t>(), TimeOf(row[1]), row[2].as<std::string>(),
              row[3].as<std::string>(), row[4].as<std::string>(),
              row[5].as<std::string>(), row[6].as<std::string>()});
        }
        return events;
      });
}

absl::StatusOr<AccountRow> Store::Bootstrap(const AccountRow& account,
                                            const KeyRow& key) {
  AuditEntry audit{"bootstrap", "Bootstrap",
                   absl::StrCat("accounts/", account.account_id)};
  absl::StatusOr<AccountRow> created = InTransaction(
      *pool_, "bootstrapping",
      [&](pqxx::work& tx) -> absl::StatusOr<AccountRow> {
        if (!tx.exec("SELECT 1 FROM bootstrap").empty()) {
          return absl::FailedPreconditionError("bootstrap already done");
        }
        pqxx::row row = tx.exec_params1(
            absl::StrCat("INSERT INTO accounts (uid, account_id, email, "
                         "display_name, description) "
                         "VALUES ($5::uuid, $1, $2, $3, $4) RETURNING ",
                         kAccountColumns),
            account.account_id, account.email, account.display_name,
            account.description, account.uid);
        AccountRow admin = ReadAccount(row);
        // The marker first: a concurrent bootstrap fails on its key here.
        tx.exec_params("INSERT INTO bootstrap (id, account_uid) VALUES (1, $1)",
                       admin.uid);
        tx.exec_params(
            "INSERT INTO role_bindings (member_uid, role) VALUES ($1, 'admin')",
            admin.uid);
        InsertKeyRow(tx, key, admin.uid);
        WriteAudit(tx, audit, "OK", "");
        return admin;
      });
  // Losing the race to a concurrent bootstrap shows as a duplicate.
  if (absl::IsAlreadyExists(created.status())) {
    return absl::FailedPreconditionError("bootstrap already done");
  }
  return created;
}

}  // namespace signet::db
