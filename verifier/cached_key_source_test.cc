#include "verifier/cached_key_source.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "jwt/private_key.h"
#include "verifier/store_change.h"
#include "verifier/testing/counting_key_source.h"

namespace signet::verifier {
namespace {

using ::signet::testing::CountingKeySource;

class CachedKeySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = std::make_shared<CountingKeySource>();
    // Long enough that no lookup gives up on a fetch on a loaded machine,
    // unless a test asks for less.
    options_.max_fetch_wait = absl::Seconds(30);
    options_.clock = &clock_;
    cache_ = std::make_unique<CachedKeySource>(source_, options_);
  }

  void Recreate(KeyCacheOptions options) {
    options_ = options;
    cache_ = std::make_unique<CachedKeySource>(source_, options_);
  }

  void AddKey(const std::string& key_id) {
    source_->keys.Put(
        jwt::KeyRecord{key_id, key_.public_key(), "robot@signet.test"});
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
  KeyCacheOptions options_;
  jwt::PrivateKey key_ = *jwt::PrivateKey::Generate(jwt::Algorithm::kEdDsa);
  std::shared_ptr<CountingKeySource> source_;
  std::unique_ptr<CachedKeySource> cache_;
};

TEST_F(CachedKeySourceTest, CachedKeysCostNoLookupUntilTheTtl) {
  AddKey("key-1");

  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_EQ(source_->lookups, 1);

  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_EQ(source_->lookups, 2);
}

TEST_F(CachedKeySourceTest, ManyConcurrentMissesCauseOneFetch) {
  AddKey("key-1");
  absl::Notification gate;
  source_->gate = &gate;
  std::atomic<int> found{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 200; ++i) {
    callers.emplace_back([&] {
      if (cache_->FindKey("key-1").ok()) ++found;
    });
  }
  // Every caller is either waiting on the one fetch or yet to start.
  while (source_->lookups == 0) absl::SleepFor(absl::Milliseconds(1));
  absl::SleepFor(absl::Milliseconds(50));
  gate.Notify();
  for (std::thread& caller : callers) caller.join();

  EXPECT_EQ(source_->lookups, 1);
  EXPECT_EQ(found, 200);
}

TEST_F(CachedKeySourceTest, FloodOfUnknownKeyIdsAsksTheSourceOnceEach) {
  for (int round = 0; round < 50; ++round) {
    for (int id = 0; id < 20; ++id) {
      EXPECT_TRUE(absl::IsNotFound(
          cache_->FindKey("bogus-" + std::to_string(id)).status()));
    }
  }
  EXPECT_EQ(source_->lookups, 20);

  clock_.Advance(absl::Seconds(10));
  EXPECT_TRUE(absl::IsNotFound(cache_->FindKey("bogus-0").status()));
  EXPECT_EQ(source_->lookups, 21);
}

TEST_F(CachedKeySourceTest, KeyCreatedAfterItsIdWasUnknownWorksAtOnce) {
  EXPECT_TRUE(absl::IsNotFound(cache_->FindKey("new-key").status()));

  AddKey("new-key");
  jwt::VerifierOptions options;
  options.audiences = {"https://localhost/"};
  CallVerifier callers(*jwt::Verifier::Create(
      options, std::make_shared<jwt::InMemoryKeySource>()));
  // What the key_insert notification does.
  ApplyChange({"key_insert", "robot@signet.test", "new-key"}, *cache_, callers);

  EXPECT_TRUE(cache_->FindKey("new-key").ok());
}

TEST_F(CachedKeySourceTest, InvalidationsDropKeysOfAKeyAndOfAnAccount) {
  AddKey("key-1");
  AddKey("key-2");
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  ASSERT_TRUE(cache_->FindKey("key-2").ok());
  ASSERT_EQ(source_->lookups, 2);

  cache_->InvalidateKey("key-1");
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  ASSERT_TRUE(cache_->FindKey("key-2").ok());
  EXPECT_EQ(source_->lookups, 3);

  cache_->InvalidateAccount("robot@signet.test");
  EXPECT_EQ(cache_->size(), 0u);
}

TEST_F(CachedKeySourceTest, SourceErrorsAreNotCached) {
  source_->keys.Put(jwt::KeyRecord{"key-1", key_.public_key(), "a@b"});
  class Failing : public jwt::KeySource {
   public:
    absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> FindKey(
        absl::string_view) override {
      ++calls;
      return absl::UnavailableError("down");
    }
    int calls = 0;
  };
  auto failing = std::make_shared<Failing>();
  CachedKeySource cache(failing, options_);

  EXPECT_TRUE(absl::IsUnavailable(cache.FindKey("key-1").status()));
  EXPECT_TRUE(absl::IsUnavailable(cache.FindKey("key-1").status()));
  EXPECT_EQ(failing->calls, 2);
}

TEST_F(CachedKeySourceTest, SourceDownServesCachedKeysUpToStaleIfError) {
  AddKey("key-1");
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  source_->down = true;

  // Past the TTL the source is asked, fails, and the cached key serves.
  clock_.Advance(absl::Minutes(6));
  EXPECT_TRUE(cache_->FindKey("key-1").ok());
  // Within the retry interval the source is left alone.
  int lookups = source_->lookups;
  EXPECT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_EQ(source_->lookups, lookups);

  // Unknown keys fail with UNAVAILABLE, not NOT_FOUND, and are not
  // remembered as unknown.
  EXPECT_TRUE(absl::IsUnavailable(cache_->FindKey("key-2").status()));

  // TTL (5 min) + stale-if-error (15 min) after the fetch, it is refused.
  clock_.Advance(absl::Minutes(14) - absl::Seconds(1));
  EXPECT_TRUE(cache_->FindKey("key-1").ok());
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(absl::IsUnavailable(cache_->FindKey("key-1").status()));

  source_->down = false;
  EXPECT_TRUE(cache_->FindKey("key-1").ok());
}

TEST_F(CachedKeySourceTest, ZeroStaleIfErrorExpiresKeysAtTheTtl) {
  KeyCacheOptions options = options_;
  options.stale_if_error = absl::ZeroDuration();
  Recreate(options);
  AddKey("key-1");
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  source_->down = true;

  clock_.Advance(absl::Minutes(5));
  EXPECT_TRUE(absl::IsUnavailable(cache_->FindKey("key-1").status()));
}

TEST_F(CachedKeySourceTest, KeyGoneAtRevalidationIsDroppedNotServedStale) {
  AddKey("key-1");
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  source_->keys.Remove("key-1");

  clock_.Advance(absl::Minutes(5));
  EXPECT_TRUE(absl::IsNotFound(cache_->FindKey("key-1").status()));
  EXPECT_EQ(cache_->size(), 0u);
}

TEST_F(CachedKeySourceTest, RevalidateAllFetchesEachKeyAgainBeforeItsNextUse) {
  AddKey("key-1");
  AddKey("key-2");
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  ASSERT_TRUE(cache_->FindKey("key-2").ok());
  source_->keys.Remove("key-2");  // a deletion whose notice was missed

  cache_->RevalidateAll();

  EXPECT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_TRUE(absl::IsNotFound(cache_->FindKey("key-2").status()));
  EXPECT_EQ(source_->lookups, 4);
  EXPECT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_EQ(source_->lookups, 4);
}

TEST_F(CachedKeySourceTest, RevalidationDuringAnOutageKeepsTheStaleKey) {
  AddKey("key-1");
  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  source_->down = true;

  cache_->RevalidateAll();

  EXPECT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_EQ(source_->lookups, 2);
}

TEST_F(CachedKeySourceTest, SlowFetchHoldsCallersOnlyForTheWaitBound) {
  KeyCacheOptions options = options_;
  options.max_fetch_wait = absl::Milliseconds(50);
  Recreate(options);
  AddKey("key-1");
  absl::Notification gate;
  source_->gate = &gate;

  // The fetch is held at the gate until after this call returns: had the
  // call waited for it, the test would hang here.
  absl::Status waited = cache_->FindKey("key-1").status();
  EXPECT_TRUE(absl::IsUnavailable(waited));
  EXPECT_EQ(waited.message(), "key fetch did not finish in time");

  // The fetch goes on, and its answer serves the calls after it.
  gate.Notify();
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!cache_->FindKey("key-1").ok() && absl::Now() < deadline) {
  }
  EXPECT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_EQ(source_->lookups, 1);
}

TEST_F(CachedKeySourceTest, TooManyPendingFirstFetchesAreRefusedAtOnce) {
  KeyCacheOptions options = options_;
  options.max_pending_fetches = 2;
  options.fetch_threads = 1;
  options.max_fetch_wait = absl::Milliseconds(20);
  Recreate(options);
  AddKey("cached");
  ASSERT_TRUE(cache_->FindKey("cached").ok());
  absl::Notification gate;
  source_->gate = &gate;

  // The one thread holds slow-1 at the gate; two more wait in the queue.
  EXPECT_TRUE(absl::IsUnavailable(cache_->FindKey("slow-1").status()));
  while (source_->lookups < 2) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_TRUE(absl::IsUnavailable(cache_->FindKey("slow-2").status()));
  EXPECT_TRUE(absl::IsUnavailable(cache_->FindKey("slow-3").status()));
  absl::Status refused = cache_->FindKey("slow-4").status();
  EXPECT_TRUE(absl::IsUnavailable(refused));
  EXPECT_EQ(refused.message(), "too many key fetches");

  // A revalidation of a cached key is queued all the same, ahead of them,
  // and meanwhile the stale key serves, marked stale.
  cache_->RevalidateAll();
  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> stale =
      cache_->FindKey("cached");
  ASSERT_TRUE(stale.ok()) << stale.status();
  EXPECT_TRUE((*stale)->stale);

  gate.Notify();
  cache_.reset();  // waits for the fetch at the gate, which passes it
}

TEST_F(CachedKeySourceTest, RevalidationsAreFetchedBeforeFirstFetches) {
  KeyCacheOptions options = options_;
  options.fetch_threads = 1;
  options.max_fetch_wait = absl::Milliseconds(20);
  Recreate(options);
  AddKey("cached");
  ASSERT_TRUE(cache_->FindKey("cached").ok());
  absl::Notification gate;
  source_->gate = &gate;
  EXPECT_FALSE(cache_->FindKey("bogus-0").ok());
  while (source_->lookups < 2) absl::SleepFor(absl::Milliseconds(1));
  for (int i = 1; i <= 3; ++i) {
    EXPECT_FALSE(cache_->FindKey("bogus-" + std::to_string(i)).ok());
  }
  cache_->RevalidateAll();
  EXPECT_TRUE(cache_->FindKey("cached").ok());  // stale, meanwhile

  source_->gate = nullptr;
  gate.Notify();
  // The revalidation ran third, right after the fetch that held the
  // thread, and its answer is fresh again.
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> found;
  do {
    found = cache_->FindKey("cached");
  } while ((!found.ok() || (*found)->stale) && absl::Now() < deadline);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE((*found)->stale);
  std::vector<std::string> asked = source_->asked();
  ASSERT_GE(asked.size(), 3u);
  EXPECT_EQ(asked[2], "cached");
}

TEST_F(CachedKeySourceTest, ChangeToTheKeyDuringItsFetchVoidsTheAnswer) {
  AddKey("key-1");
  absl::Notification gate;
  source_->gate = &gate;
  std::thread caller([&] { EXPECT_TRUE(cache_->FindKey("key-1").ok()); });
  while (source_->lookups == 0) absl::SleepFor(absl::Milliseconds(1));

  cache_->InvalidateKey("key-1");  // say, disabled while the fetch ran
  gate.Notify();
  caller.join();
  source_->gate = nullptr;

  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_EQ(source_->lookups, 2);
}

// A call that arrives after a change must not get the answer of a fetch
// the change overtook: it starts a fetch of its own.
TEST_F(CachedKeySourceTest, CallsAfterAChangeDoNotJoinTheFetchItVoided) {
  AddKey("key-1");
  absl::Notification gate;
  source_->gate = &gate;
  std::thread early([&] { EXPECT_TRUE(cache_->FindKey("key-1").ok()); });
  while (source_->lookups == 0) absl::SleepFor(absl::Milliseconds(1));

  jwt::KeyRecord disabled{"key-1", key_.public_key(), "robot@signet.test"};
  disabled.key_disabled = true;
  source_->keys.Put(disabled);
  cache_->InvalidateKey("key-1");
  source_->gate = nullptr;
  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> late =
      cache_->FindKey("key-1");

  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_TRUE((*late)->key_disabled);
  EXPECT_EQ(source_->lookups, 2);
  gate.Notify();
  early.join();
}

TEST_F(CachedKeySourceTest, ChangesToOtherKeysDuringAFetchDoNotVoidIt) {
  AddKey("key-1");
  absl::Notification gate;
  source_->gate = &gate;
  std::thread caller([&] { EXPECT_TRUE(cache_->FindKey("key-1").ok()); });
  while (source_->lookups == 0) absl::SleepFor(absl::Milliseconds(1));

  cache_->InvalidateKey("key-2");
  cache_->KeyCreated("key-1");  // its creation notice, arriving late
  gate.Notify();
  caller.join();
  source_->gate = nullptr;

  ASSERT_TRUE(cache_->FindKey("key-1").ok());
  EXPECT_EQ(source_->lookups, 1);
}

TEST_F(CachedKeySourceTest, KeyCreatedDuringAFetchVoidsANotFoundAnswer) {
  absl::Notification gate;
  source_->gate = &gate;
  std::thread caller([&] {
    EXPECT_TRUE(absl::IsNotFound(cache_->FindKey("key-1").status()));
  });
  while (source_->lookups == 0) absl::SleepFor(absl::Milliseconds(1));

  AddKey("key-1");
  cache_->KeyCreated("key-1");
  gate.Notify();
  caller.join();
  source_->gate = nullptr;

  EXPECT_TRUE(cache_->FindKey("key-1").ok());
}

}  // namespace
}  // namespace signet::verifier
