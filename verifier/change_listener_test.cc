// The PostgreSQL change listener against a real private PostgreSQL: changes
// arrive, and a listening connection that is cut, or whose server process
// hangs, is replaced and followed by a reset.

#include <signal.h>

#include <atomic>

#include "absl/strings/str_cat.h"
#include "db/connection.h"
#include "gtest/gtest.h"
#include "tests/private_postgres.h"
#include "verifier/postgres_key_source.h"

namespace signet::verifier {
namespace {

// Generous: these wait for a reconnect, which on a loaded machine can take
// seconds; they measure nothing.
constexpr absl::Duration kLiveness = absl::Seconds(60);

bool Eventually(const std::function<bool()>& condition) {
  absl::Time deadline = absl::Now() + kLiveness;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

class ChangeListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> database =
        testing::SharedPostgres().CreateDatabase();
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *database;
    listener_ = std::make_unique<ChangeListener>(
        database_,
        [this](const StoreChange& change) {
          absl::MutexLock lock(&mutex_);
          changes_.push_back(change);
        },
        [this] { ++resets_; });
    ASSERT_TRUE(listener_->WaitUntilListening(kLiveness));
  }

  void TearDown() override {
    for (int pid : stopped_) kill(pid, SIGCONT);
    listener_.reset();
  }

  void Execute(const std::string& sql) {
    auto connection = *db::Connect(database_);
    pqxx::nontransaction(*connection).exec(sql);
  }

  // The server process serving the listener's connection.
  int ListenerBackend() {
    auto connection = *db::Connect(database_);
    pqxx::result rows = pqxx::nontransaction(*connection)
                            .exec(
                                "SELECT pid FROM pg_stat_activity WHERE "
                                "datname = current_database() AND "
                                "query LIKE 'LISTEN%'");
    return rows.size() == 1 ? rows[0][0].as<int>() : 0;
  }

  std::vector<StoreChange> changes() {
    absl::MutexLock lock(&mutex_);
    return changes_;
  }

  std::string database_;
  std::unique_ptr<ChangeListener> listener_;
  absl::Mutex mutex_;
  std::vector<StoreChange> changes_ ABSL_GUARDED_BY(mutex_);
  std::atomic<int> resets_{0};
  std::vector<int> stopped_;
};

TEST_F(ChangeListenerTest, ChangesArriveParsed) {
  Execute("NOTIFY signet_changes, 'key_update robot@signet.test key-1'");

  ASSERT_TRUE(Eventually([this] { return !changes().empty(); }));
  StoreChange change = changes().front();
  EXPECT_EQ(change.kind, "key_update");
  EXPECT_EQ(change.account_email, "robot@signet.test");
  EXPECT_EQ(change.key_id, "key-1");
  EXPECT_EQ(resets_, 0);
}

TEST_F(ChangeListenerTest, CutConnectionIsReplacedAndReset) {
  int backend = ListenerBackend();
  ASSERT_NE(backend, 0);

  Execute(absl::StrCat("SELECT pg_terminate_backend(", backend, ")"));

  ASSERT_TRUE(Eventually([this] { return resets_ > 0; }));
  EXPECT_TRUE(listener_->listening());
}

// The server process stops answering, but its connection stays open:
// nothing arrives, and only the listener's ping to itself can tell.
TEST_F(ChangeListenerTest, HungServerProcessIsNoticedByItsPing) {
  int backend = ListenerBackend();
  ASSERT_NE(backend, 0);
  ASSERT_EQ(kill(backend, SIGSTOP), 0);
  stopped_.push_back(backend);

  ASSERT_TRUE(Eventually([this] { return resets_ > 0; }));

  // And the new connection hears changes again.
  Execute("NOTIFY signet_changes, 'account_update robot@signet.test'");
  EXPECT_TRUE(Eventually([this] { return !changes().empty(); }));
}

}  // namespace
}  // namespace signet::verifier
