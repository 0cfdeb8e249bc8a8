#include "verifier/cached_key_source.h"

#include "base/erase_minimum.h"

namespace signet::verifier {

CachedKeySource::CachedKeySource(std::shared_ptr<jwt::KeySource> source,
                                 KeyCacheOptions options)
    : source_(std::move(source)), options_(options) {}

absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> CachedKeySource::FindKey(
    absl::string_view key_id) {
  absl::Time now = options_.clock->Now();
  std::shared_ptr<Fetch> fetch;
  bool leader = false;
  uint64_t generation;
  {
    absl::MutexLock lock(&mutex_);
    auto found = entries_.find(key_id);
    if (found != entries_.end() &&
        now - found->second.fetched_at < options_.ttl) {
      return found->second.record;
    }
    auto unknown = unknown_.find(key_id);
    if (unknown != unknown_.end() &&
        now - unknown->second < options_.unknown_ttl) {
      return absl::NotFoundError("no such key");
    }
    std::shared_ptr<Fetch>& running = fetches_[key_id];
    if (running == nullptr) {
      running = std::make_shared<Fetch>();
      leader = true;
    }
    fetch = running;
    generation = generation_;
  }

  if (!leader) {
    fetch->done.WaitForNotification();
    return fetch->result;
  }
  fetch->result = source_->FindKey(key_id);
  {
    absl::MutexLock lock(&mutex_);
    fetches_.erase(key_id);
    Store(key_id, fetch->result, generation, now);
  }
  fetch->done.Notify();
  return fetch->result;
}

void CachedKeySource::Store(
    absl::string_view key_id,
    const absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>>& fetched,
    uint64_t generation, absl::Time now) {
  // A change that arrived during the fetch may have made its answer stale.
  if (generation != generation_) return;
  if (absl::IsNotFound(fetched.status())) {
    if (unknown_.size() >= options_.max_unknown) unknown_.clear();
    unknown_[key_id] = now;
    return;
  }
  if (!fetched.ok()) return;
  if (!entries_.contains(key_id) && entries_.size() >= options_.max_keys) {
    EraseMinimum(entries_, [](const Entry& entry) { return entry.fetched_at; });
  }
  entries_[key_id] = Entry{*fetched, now};
}

void CachedKeySource::InvalidateKey(absl::string_view key_id) {
  absl::MutexLock lock(&mutex_);
  ++generation_;
  entries_.erase(key_id);
  unknown_.erase(key_id);
}

void CachedKeySource::InvalidateAccount(absl::string_view account_email) {
  absl::MutexLock lock(&mutex_);
  ++generation_;
  absl::erase_if(entries_, [&](const auto& entry) {
    return entry.second.record->account_email == account_email;
  });
}

void CachedKeySource::Clear() {
  absl::MutexLock lock(&mutex_);
  ++generation_;
  entries_.clear();
  unknown_.clear();
}

size_t CachedKeySource::size() {
  absl::MutexLock lock(&mutex_);
  return entries_.size();
}

}  // namespace signet::verifier
