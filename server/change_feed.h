#ifndef SIGNET_SERVER_CHANGE_FEED_H_
#define SIGNET_SERVER_CHANGE_FEED_H_

#include <deque>
#include <memory>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "verifier/postgres_key_source.h"

namespace signet::server {

// Fans the store's changes out to every WatchKeys stream. Each subscriber
// gets every change in order, or, if it fell too far behind or the store's
// change listener reconnected, a reset telling it to drop what it cached.
// Thread-safe.
class ChangeFeed {
 public:
  // A change, or a reset (changes may have been missed).
  struct Event {
    bool reset = false;
    verifier::StoreChange change;
  };

  class Subscription {
   public:
    ~Subscription();

    // The next event, waiting up to `timeout`; nullopt when none came.
    std::optional<Event> Next(absl::Duration timeout);

   private:
    friend class ChangeFeed;
    explicit Subscription(ChangeFeed* feed) : feed_(feed) {}
    void Push(const Event& event);

    ChangeFeed* feed_;
    absl::Mutex mutex_;
    std::deque<Event> events_ ABSL_GUARDED_BY(mutex_);
  };

  // Events a subscriber may hold before it is reset instead.
  static constexpr size_t kMaxQueued = 10000;

  // A subscription whose first event is a reset. It must not outlive the
  // feed.
  std::unique_ptr<Subscription> Subscribe();

  void Publish(const verifier::StoreChange& change);
  // Every subscriber drops what it cached.
  void PublishReset();

 private:
  void Broadcast(const Event& event);

  absl::Mutex mutex_;
  absl::flat_hash_set<Subscription*> subscriptions_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace signet::server

#endif  // SIGNET_SERVER_CHANGE_FEED_H_
