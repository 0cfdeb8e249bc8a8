#include "verifier/cached_key_source.h"

#include "base/erase_minimum.h"

namespace signet::verifier {

CachedKeySource::CachedKeySource(std::shared_ptr<jwt::KeySource> source,
                                 KeyCacheOptions options)
    : source_(std::move(source)), options_(options) {
  for (int i = 0; i < std::max(1, options_.fetch_threads); ++i) {
    fetchers_.emplace_back([this] { RunFetches(); });
  }
}

CachedKeySource::~CachedKeySource() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  for (std::thread& fetcher : fetchers_) fetcher.join();
}

bool CachedKeySource::IsFresh(const Entry& entry, absl::Time now) const {
  return !entry.revalidate && now - entry.fetched_at < options_.ttl;
}

bool CachedKeySource::IsUsableStale(const Entry& entry, absl::Time now) const {
  return options_.stale_if_error > absl::ZeroDuration() &&
         now - entry.fetched_at < options_.ttl + options_.stale_if_error;
}

absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> CachedKeySource::FindKey(
    absl::string_view key_id) {
  std::shared_ptr<Fetch> fetch;
  {
    absl::Time now = options_.clock->Now();
    absl::MutexLock lock(&mutex_);
    auto found = entries_.find(key_id);
    bool cached = found != entries_.end();
    if (cached) {
      const Entry& entry = found->second;
      if (IsFresh(entry, now)) return entry.record;
      // The source failed a moment ago: do not make every call wait on it.
      if (now < entry.retry_at && IsUsableStale(entry, now)) {
        return StaleCopy(*entry.record);
      }
    }
    auto unknown = unknown_.find(key_id);
    if (unknown != unknown_.end() &&
        now - unknown->second < options_.unknown_ttl) {
      return absl::NotFoundError("no such key");
    }
    fetch = StartFetch(key_id, cached);
  }

  // Only ids not cached are ever turned away, so there is no stale key to
  // fall back on, nor should a local queue stand in for the source.
  if (fetch == nullptr) return absl::UnavailableError("too many key fetches");
  if (!fetch->done.WaitForNotificationWithTimeout(options_.max_fetch_wait)) {
    return StaleOr(key_id,
                   absl::UnavailableError("key fetch did not finish in time"));
  }
  const FetchResult& result = fetch->result;
  if (result.ok() || absl::IsNotFound(result.status())) return result;
  return StaleOr(key_id, result.status());
}

std::shared_ptr<CachedKeySource::Fetch> CachedKeySource::StartFetch(
    absl::string_view key_id, bool cached) {
  auto running = fetches_.find(key_id);
  if (running != fetches_.end()) return running->second;
  if (!cached && first_fetches_.size() >= options_.max_pending_fetches) {
    return nullptr;
  }

  auto fetch = std::make_shared<Fetch>();
  fetch->key_id = std::string(key_id);
  fetches_.emplace(key_id, fetch);
  (cached ? revalidations_ : first_fetches_).push_back(fetch);
  return fetch;
}

std::shared_ptr<const jwt::KeyRecord> CachedKeySource::StaleCopy(
    const jwt::KeyRecord& record) {
  auto copy = std::make_shared<jwt::KeyRecord>(record);
  copy->stale = true;
  return copy;
}

CachedKeySource::FetchResult CachedKeySource::StaleOr(absl::string_view key_id,
                                                      absl::Status error) {
  absl::Time now = options_.clock->Now();
  absl::MutexLock lock(&mutex_);
  auto found = entries_.find(key_id);
  if (found != entries_.end() && IsUsableStale(found->second, now)) {
    return StaleCopy(*found->second.record);
  }
  return error;
}

std::shared_ptr<CachedKeySource::Fetch> CachedKeySource::NextFetch() {
  std::deque<std::shared_ptr<Fetch>>& queue =
      revalidations_.empty() ? first_fetches_ : revalidations_;
  std::shared_ptr<Fetch> fetch = std::move(queue.front());
  queue.pop_front();
  return fetch;
}

void CachedKeySource::RunFetches() {
  auto has_work = [this]() ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
    return stopping_ || !revalidations_.empty() || !first_fetches_.empty();
  };
  absl::MutexLock lock(&mutex_);
  while (true) {
    mutex_.Await(absl::Condition(&has_work));
    if (stopping_) return;
    std::shared_ptr<Fetch> fetch = NextFetch();

    absl::Time started = options_.clock->Now();
    mutex_.Unlock();
    FetchResult result = source_->FindKey(fetch->key_id);
    mutex_.Lock();

    fetch->result = std::move(result);
    // A voided fetch has already made way for a newer one.
    auto listed = fetches_.find(fetch->key_id);
    if (listed != fetches_.end() && listed->second == fetch) {
      fetches_.erase(listed);
    }
    Store(*fetch, started);
    fetch->done.Notify();
  }
}

void CachedKeySource::Store(const Fetch& fetch, absl::Time fetched_at) {
  // A change that arrived during the fetch may have made its answer stale;
  // nor may a failed fetch that a revalidation overtook put off the next.
  if (fetch.voided == Fetch::Voided::kYes) return;

  const FetchResult& fetched = fetch.result;
  auto found = entries_.find(fetch.key_id);
  if (!fetched.ok() && !absl::IsNotFound(fetched.status())) {
    // Keep the stale key (if any) and give the source a moment.
    if (found != entries_.end()) {
      found->second.retry_at = fetched_at + options_.retry_interval;
    }
    return;
  }
  if (!fetched.ok()) {
    if (fetch.voided == Fetch::Voided::kUnknownOnly) return;
    if (found != entries_.end()) entries_.erase(found);
    if (unknown_.size() >= options_.max_unknown) unknown_.clear();
    unknown_[fetch.key_id] = fetched_at;
    return;
  }
  if (found == entries_.end() && entries_.size() >= options_.max_keys) {
    EraseMinimum(entries_, [](const Entry& entry) { return entry.fetched_at; });
  }
  entries_[fetch.key_id] = Entry{*fetched, fetched_at};
}

void CachedKeySource::VoidFetches(Fetch::Voided how) {
  for (auto& [key_id, fetch] : fetches_) fetch->voided = how;
  fetches_.clear();
}

void CachedKeySource::InvalidateKey(absl::string_view key_id) {
  absl::MutexLock lock(&mutex_);
  entries_.erase(key_id);
  unknown_.erase(key_id);
  auto running = fetches_.find(key_id);
  if (running != fetches_.end()) {
    running->second->voided = Fetch::Voided::kYes;
    fetches_.erase(running);
  }
}

void CachedKeySource::KeyCreated(absl::string_view key_id) {
  absl::MutexLock lock(&mutex_);
  unknown_.erase(key_id);
  auto running = fetches_.find(key_id);
  if (running != fetches_.end()) {
    if (running->second->voided == Fetch::Voided::kNo) {
      running->second->voided = Fetch::Voided::kUnknownOnly;
    }
    fetches_.erase(running);
  }
}

void CachedKeySource::InvalidateAccount(absl::string_view account_email) {
  absl::MutexLock lock(&mutex_);
  absl::erase_if(entries_, [&](const auto& entry) {
    return entry.second.record->account_email == account_email;
  });
  // Which account a running fetch's key belongs to is not known yet.
  VoidFetches(Fetch::Voided::kYes);
}

void CachedKeySource::RevalidateAll() {
  absl::MutexLock lock(&mutex_);
  for (auto& [key_id, entry] : entries_) {
    entry.revalidate = true;
    entry.retry_at = absl::InfinitePast();
  }
  unknown_.clear();
  VoidFetches(Fetch::Voided::kYes);
}

size_t CachedKeySource::size() {
  absl::MutexLock lock(&mutex_);
  return entries_.size();
}

}  // namespace signet::verifier
