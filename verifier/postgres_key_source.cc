#include "verifier/postgres_key_source.h"

#include <unistd.h>

#include <atomic>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "db/connection.h"
#include "jwt/algorithm.h"
#include "spdlog/spdlog.h"

namespace signet::verifier {
namespace {

constexpr char kChannel[] = "signet_changes";

std::optional<absl::Time> OptionalTime(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return absl::FromUnixMicros(field.as<int64_t>());
}

absl::StatusOr<jwt::KeyRecord> ReadRecord(const std::string& key_id,
                                          const pqxx::row& row) {
  std::string der = absl::HexStringToBytes(row[0].as<std::string>());
  absl::StatusOr<jwt::PublicKey> key = jwt::PublicKey::FromSpkiDer(der);
  if (!key.ok()) {
    return absl::InternalError(
        absl::StrCat("stored key ", key_id,
                     " no longer passes the policy: ", key.status().message()));
  }
  jwt::KeyRecord record{key_id, *std::move(key), row[1].as<std::string>(),
                        row[2].as<bool>(), row[3].as<bool>()};
  record.validity.not_before = OptionalTime(row[4]);
  record.validity.not_after = OptionalTime(row[5]);
  return record;
}

// Receives notifications on `signet_changes` for one connection.
class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection& connection,
           const std::function<void(const StoreChange&)>& on_change)
      : pqxx::notification_receiver(connection, kChannel),
        on_change_(on_change) {}

  void operator()(const std::string& payload, int) override {
    std::optional<StoreChange> change = ParseStoreChange(payload);
    if (change.has_value()) on_change_(*change);
  }

 private:
  const std::function<void(const StoreChange&)>& on_change_;
};

// Receives the listener's pings to itself.
class PingReceiver : public pqxx::notification_receiver {
 public:
  PingReceiver(pqxx::connection& connection, const std::string& channel)
      : pqxx::notification_receiver(connection, channel) {}

  void operator()(const std::string&, int) override { answered = true; }

  bool answered = false;
};

// A channel name no other listener uses.
std::string NewPingChannel() {
  static std::atomic<int> listeners{0};
  return absl::StrCat("signet_ping_", getpid(), "_", listeners++);
}

// `conninfo` with a connect timeout, so that a ping to a server that hangs
// does not hang with it. Both libpq forms: key=value and URI.
std::string WithConnectTimeout(const std::string& conninfo) {
  if (absl::StartsWith(conninfo, "postgresql://") ||
      absl::StartsWith(conninfo, "postgres://")) {
    return absl::StrCat(conninfo, absl::StrContains(conninfo, '?') ? "&" : "?",
                        "connect_timeout=5");
  }
  return absl::StrCat(conninfo, " connect_timeout=5");
}

}  // namespace

PostgresKeySource::PostgresKeySource(std::shared_ptr<db::ConnectionPool> pool)
    : pool_(std::move(pool)) {}

absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>>
PostgresKeySource::FindKey(absl::string_view key_id) {
  SIGNET_ASSIGN_OR_RETURN(db::ConnectionPool::Lease connection,
                          pool_->Acquire());
  std::string id(key_id);
  try {
    // One statement, no transaction: a transaction per lookup would cost
    // more than the lookup.
    pqxx::nontransaction tx(*connection);
    pqxx::result rows = tx.exec_params(kLookupSql, id);
    if (rows.empty()) return absl::NotFoundError("no such key");
    SIGNET_ASSIGN_OR_RETURN(jwt::KeyRecord record, ReadRecord(id, rows[0]));
    return std::make_shared<const jwt::KeyRecord>(std::move(record));
  } catch (const std::exception& e) {
    absl::Status status = db::StatusFromException(e, "looking up a key");
    // The verifier must not fail open or closed on a store error: it says
    // the store is unavailable either way.
    return absl::UnavailableError(status.message());
  }
}

std::optional<StoreChange> ParseStoreChange(absl::string_view payload) {
  std::vector<std::string> parts = absl::StrSplit(payload, ' ');
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  StoreChange change{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
  return change;
}

ChangeListener::ChangeListener(
    std::string conninfo, std::function<void(const StoreChange&)> on_change,
    std::function<void()> on_reconnect)
    : conninfo_(std::move(conninfo)),
      ping_channel_(NewPingChannel()),
      on_change_(std::move(on_change)),
      on_reconnect_(std::move(on_reconnect)),
      thread_([this] { Run(); }) {}

ChangeListener::~ChangeListener() {
  stopping_ = true;
  thread_.join();
}

bool ChangeListener::WaitUntilListening(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!listening_ && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  return listening_;
}

void ChangeListener::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  while (!stopping_) {
    ListenOnce();
    if (stopping_) break;
    if (listening_.exchange(false)) backoff = absl::Milliseconds(100);
    absl::Time resume = absl::Now() + backoff;
    while (!stopping_ && absl::Now() < resume) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

void ChangeListener::ListenOnce() {
  try {
    pqxx::connection connection(conninfo_);
    Receiver receiver(connection, on_change_);
    PingReceiver pings(connection, ping_channel_);
    connection.get_notifs();  // runs the LISTENs
    // Whatever was cached may have changed while nobody listened; the
    // first LISTEN finds nothing cached yet.
    if (listened_before_) on_reconnect_();
    listened_before_ = true;
    listening_ = true;

    absl::Time next_ping = absl::Now() + kPingInterval;
    std::optional<absl::Time> ping_sent;
    while (!stopping_) {
      // Wakes at least every 200 ms to notice a stop or a lost ping.
      connection.await_notification(0, 200000);
      absl::Time now = absl::Now();
      if (ping_sent.has_value() && pings.answered) ping_sent.reset();
      if (ping_sent.has_value() && now - *ping_sent > kPingTimeout) {
        spdlog::warn(
            "store change listener: the listening connection did not hear "
            "its own ping in {}; reconnecting",
            absl::FormatDuration(kPingTimeout));
        // Closed for good first, so that the receivers leaving do not send
        // UNLISTEN to a server that will never answer it.
        connection.inhibit_reactivation(true);
        connection.disconnect();
        return;
      }
      if (!ping_sent.has_value() && now >= next_ping) {
        pings.answered = false;
        SendPing();
        ping_sent = now;
        next_ping = now + kPingInterval;
      }
    }
  } catch (const std::exception& e) {
    spdlog::warn("store change listener: {}; reconnecting", e.what());
  }
}

void ChangeListener::SendPing() {
  pqxx::connection sender(WithConnectTimeout(conninfo_));
  pqxx::nontransaction(sender).exec(
      absl::StrCat("NOTIFY ", sender.quote_name(ping_channel_)));
}

}  // namespace signet::verifier
