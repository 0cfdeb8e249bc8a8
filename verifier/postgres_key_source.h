#ifndef SIGNET_VERIFIER_POSTGRES_KEY_SOURCE_H_
#define SIGNET_VERIFIER_POSTGRES_KEY_SOURCE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "db/connection_pool.h"
#include "jwt/key_source.h"
#include "verifier/store_change.h"

namespace signet::verifier {

// Looks keys up in signet's PostgreSQL store by key id, with bound
// parameters only. NOT_FOUND for an unknown key id; UNAVAILABLE when the
// store cannot be reached. Point it at the primary: a lagging replica could
// hand back a key as it was before a change that already dropped it from
// the cache.
class PostgresKeySource : public jwt::KeySource {
 public:
  // The one statement a lookup runs, with the key id as $1: by primary
  // key, so its cost does not grow with the number of keys.
  static constexpr char kLookupSql[] =
      "SELECT encode(k.public_key, 'hex'), a.email, k.disabled, a.disabled, "
      "(extract(epoch FROM k.valid_after) * 1000000)::bigint, "
      "(extract(epoch FROM k.valid_before) * 1000000)::bigint "
      "FROM keys k JOIN accounts a ON a.uid = k.account_uid "
      "WHERE k.key_id = $1";

  explicit PostgresKeySource(std::shared_ptr<db::ConnectionPool> pool);

  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> FindKey(
      absl::string_view key_id) override;

 private:
  std::shared_ptr<db::ConnectionPool> pool_;
};

// Parses a `signet_changes` payload, "<kind> <account email> [<key id>]".
std::optional<StoreChange> ParseStoreChange(absl::string_view payload);

// Listens on `signet_changes` on a connection of its own and reports each
// change as it arrives. When the connection breaks it reconnects with
// backoff and, once listening again, calls `on_reconnect`, since changes
// may have been missed meanwhile. What was cached stays usable while the
// store is away, up to the caches' own time limits.
//
// A listening connection can die without closing (a half-open TCP
// connection, a hung server process) and simply hear nothing. So every
// kPingInterval the listener sends itself a NOTIFY on a channel of its own,
// from a second connection, and treats the connection as dead, and
// reconnects, when that ping has not come back within kPingTimeout.
//
// LISTEN needs the primary: a hot standby does not support it, and NOTIFY
// is not replicated. Callbacks run on the listener's thread.
class ChangeListener {
 public:
  ChangeListener(std::string conninfo,
                 std::function<void(const StoreChange&)> on_change,
                 std::function<void()> on_reconnect);
  // Stops listening; waits for the thread.
  ~ChangeListener();

  static constexpr absl::Duration kPingInterval = absl::Seconds(10);
  static constexpr absl::Duration kPingTimeout = absl::Seconds(5);

  // Blocks until the first LISTEN is in place or `timeout` passes.
  bool WaitUntilListening(absl::Duration timeout);
  bool listening() const { return listening_; }

 private:
  void Run();
  void ListenOnce();

  // Sends this listener's ping from a connection of its own.
  void SendPing();

  const std::string conninfo_;
  // The channel this listener pings itself on.
  const std::string ping_channel_;
  std::function<void(const StoreChange&)> on_change_;
  std::function<void()> on_reconnect_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  bool listened_before_ = false;  // only the listener's thread touches it
  std::thread thread_;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_POSTGRES_KEY_SOURCE_H_
