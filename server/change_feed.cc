#include "server/change_feed.h"

namespace signet::server {

ChangeFeed::Subscription::~Subscription() {
  absl::MutexLock lock(&feed_->mutex_);
  feed_->subscriptions_.erase(this);
}

void ChangeFeed::Subscription::Push(const Event& event) {
  absl::MutexLock lock(&mutex_);
  if (events_.size() >= kMaxQueued) {
    // Too far behind to catch up event by event: start over.
    events_.clear();
    events_.push_back(Event{true, {}});
    return;
  }
  events_.push_back(event);
}

std::optional<ChangeFeed::Event> ChangeFeed::Subscription::Next(
    absl::Duration timeout) {
  absl::MutexLock lock(&mutex_);
  auto ready = [this]() ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
    return !events_.empty();
  };
  if (!mutex_.AwaitWithTimeout(absl::Condition(&ready), timeout)) {
    return std::nullopt;
  }
  Event event = events_.front();
  events_.pop_front();
  return event;
}

std::unique_ptr<ChangeFeed::Subscription> ChangeFeed::Subscribe() {
  std::unique_ptr<Subscription> subscription(new Subscription(this));
  subscription->Push(Event{true, {}});
  absl::MutexLock lock(&mutex_);
  subscriptions_.insert(subscription.get());
  return subscription;
}

void ChangeFeed::Publish(const verifier::StoreChange& change) {
  Broadcast(Event{false, change});
}

void ChangeFeed::PublishReset() { Broadcast(Event{true, {}}); }

void ChangeFeed::Broadcast(const Event& event) {
  absl::MutexLock lock(&mutex_);
  for (Subscription* subscription : subscriptions_) subscription->Push(event);
}

}  // namespace signet::server
