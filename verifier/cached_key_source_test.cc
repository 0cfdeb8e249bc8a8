#include "verifier/cached_key_source.h"

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "jwt/private_key.h"

namespace signet::verifier {
namespace {

// A key source in memory that counts lookups and can hold them until told
// to go on, so that tests see how many reach it.
class CountingKeySource : public jwt::KeySource {
 public:
  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> FindKey(
      absl::string_view key_id) override {
    ++lookups;
    if (gate != nullptr) gate->WaitForNotification();
    return keys.FindKey(key_id);
  }

  jwt::InMemoryKeySource keys;
  std::atomic<int> lookups{0};
  absl::Notification* gate = nullptr;
};

class CachedKeySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = std::make_shared<CountingKeySource>();
    KeyCacheOptions options;
    options.clock = &clock_;
    cache_ = std::make_unique<CachedKeySource>(source_, options);
  }

  void AddKey(const std::string& key_id) {
    source_->keys.Put(
        jwt::KeyRecord{key_id, key_.public_key(), "robot@signet.test"});
  }

  FakeClock clock_{absl::FromUnixSeconds(1767225600)};
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
  cache_->InvalidateKey("new-key");  // what the key_insert notification does

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
  CachedKeySource cache(failing);

  EXPECT_TRUE(absl::IsUnavailable(cache.FindKey("key-1").status()));
  EXPECT_TRUE(absl::IsUnavailable(cache.FindKey("key-1").status()));
  EXPECT_EQ(failing->calls, 2);
}

}  // namespace
}  // namespace signet::verifier
