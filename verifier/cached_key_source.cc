#include "verifier/cached_key_source.h"

namespace signet::verifier {

CachedKeySource::CachedKeySource(std::shared_ptr<jwt::KeySource> source,
                                 KeyCacheOptions options)
    : source_(std::move(source)), options_(options) {}

absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> CachedKeySource::FindKey(
    absl::string_view key_id) {
  absl::Time now = options_.clock->Now();
  uint64_t generation;
  {
    absl::MutexLock lock(&mutex_);
    auto found = entries_.find(key_id);
    if (found != entries_.end() &&
        now - found->second.fetched_at < options_.ttl) {
      return found->second.record;
    }
    generation = generation_;
  }

  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> fetched =
      source_->FindKey(key_id);
  if (!fetched.ok()) return fetched;

  absl::MutexLock lock(&mutex_);
  if (generation == generation_) {
    if (!entries_.contains(key_id) && entries_.size() >= options_.max_keys) {
      EvictOldest();
    }
    entries_[key_id] = Entry{*fetched, now};
  }
  return fetched;
}

void CachedKeySource::EvictOldest() {
  auto oldest = entries_.begin();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->second.fetched_at < oldest->second.fetched_at) oldest = it;
  }
  if (oldest != entries_.end()) entries_.erase(oldest);
}

void CachedKeySource::InvalidateKey(absl::string_view key_id) {
  absl::MutexLock lock(&mutex_);
  ++generation_;
  entries_.erase(key_id);
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
}

size_t CachedKeySource::size() {
  absl::MutexLock lock(&mutex_);
  return entries_.size();
}

}  // namespace signet::verifier
