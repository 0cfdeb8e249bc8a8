#ifndef SIGNET_VERIFIER_CACHED_KEY_SOURCE_H_
#define SIGNET_VERIFIER_CACHED_KEY_SOURCE_H_

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "jwt/key_source.h"

namespace signet::verifier {

struct KeyCacheOptions {
  // How long a fetched key is used before it is fetched again, when no
  // change notification dropped it sooner.
  absl::Duration ttl = absl::Minutes(5);
  // How much longer than the TTL a key is still used while the source
  // cannot answer (stale-if-error): an outage of the source does not stop
  // callers it already knew, for this long. Zero turns it off: keys expire
  // at the TTL whatever the source's state. A key the source says is gone
  // is dropped at once either way.
  absl::Duration stale_if_error = absl::Minutes(15);
  // Keys held at once; past it the entry fetched longest ago is dropped.
  size_t max_keys = 10000;
  // How long a key id the source does not know is answered NOT_FOUND
  // without asking it again, so that a flood of made-up key ids cannot
  // hammer the source. A key created meanwhile clears its id at once (see
  // InvalidateKey).
  absl::Duration unknown_ttl = absl::Seconds(10);
  // Unknown key ids remembered at once; past it they are all forgotten.
  size_t max_unknown = 100000;
  // The longest a lookup waits for a fetch. Fetches run on the cache's own
  // threads, so a slow source holds a caller (and, in a non-blocking token
  // processor, the gRPC thread it runs on) only this long; the fetch goes
  // on and fills the cache for the calls after it.
  absl::Duration max_fetch_wait = absl::Seconds(1);
  // After the source failed to revalidate a stale key, the stale key is
  // served without asking again for this long.
  absl::Duration retry_interval = absl::Seconds(1);
  // Threads that fetch, and how many key ids never seen before may wait
  // for one; past that such a miss is answered UNAVAILABLE at once.
  // Revalidations of cached keys wait in a queue of their own, served
  // first, so that a flood of made-up key ids cannot hold them up.
  int fetch_threads = 4;
  size_t max_pending_fetches = 1024;
  // Not owned; must outlive the cache.
  const Clock* clock = &Clock::Real();
};

// Parsed public keys by key id in front of a slower KeySource (PostgreSQL,
// signetd), so that an authenticated call costs no lookup while its key is
// cached. Change notifications call the Invalidate functions, which is what
// makes disabling a key take effect before the TTL. Unknown key ids are
// remembered for a short time. However many calls miss on one key id at
// once, the source is asked once and they all get its answer.
//
// Never fails open: a key is used past its TTL only while the source
// cannot answer (it failed, or did not answer within max_fetch_wait), up to
// the stale-if-error bound, and then marked stale (KeyRecord::stale) so that
// no verified token is remembered on it; a key the source does not return
// is never used. Thread-safe.
class CachedKeySource : public jwt::KeySource {
 public:
  CachedKeySource(std::shared_ptr<jwt::KeySource> source,
                  KeyCacheOptions options = {});
  // Waits for running fetches.
  ~CachedKeySource() override;

  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> FindKey(
      absl::string_view key_id) override;

  // Drops the key (changed or deleted), and forgets that its id was unknown.
  void InvalidateKey(absl::string_view key_id);
  // Forgets that the key's id was unknown: a key was created. Unlike
  // InvalidateKey, a fetch in flight that found the key still counts.
  void KeyCreated(absl::string_view key_id);
  // Drops every key of the account with this email.
  void InvalidateAccount(absl::string_view account_email);
  // Makes every key be fetched again before its next use, as after changes
  // may have been missed; a key the source cannot revalidate stays usable
  // up to the stale-if-error bound. Forgets unknown key ids.
  void RevalidateAll();

  size_t size();

 private:
  struct Entry {
    std::shared_ptr<const jwt::KeyRecord> record;
    absl::Time fetched_at;
    // Set by RevalidateAll: fetch again before the next use.
    bool revalidate = false;
    // After a failed revalidation: serve the stale key until then.
    absl::Time retry_at = absl::InfinitePast();
  };
  using FetchResult = absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>>;

  // One fetch from the source, shared by every caller that misses on the
  // same key id while it runs.
  struct Fetch {
    std::string key_id;
    // Set when a change that may concern the key arrives while it runs:
    // its answer may be stale, and is not stored (kUnknownOnly: a "not
    // found" answer is not stored); the fetch also leaves `fetches_`, so
    // that calls arriving after the change start a fetch of their own. Read
    // and written only under the cache's mutex_, which an annotation here
    // cannot name.
    enum class Voided { kNo, kUnknownOnly, kYes };
    Voided voided = Voided::kNo;
    absl::Notification done;
    FetchResult result = absl::UnknownError("fetch not finished");
  };

  bool IsFresh(const Entry& entry, absl::Time now) const;
  bool IsUsableStale(const Entry& entry, absl::Time now) const;
  // The running fetch of `key_id`, or a new one queued for the fetch
  // threads; null when too many first fetches are pending.
  std::shared_ptr<Fetch> StartFetch(absl::string_view key_id, bool cached)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // What a caller gets when the source failed or did not answer in time:
  // a stale copy of the key if it may still be used, else `error`.
  FetchResult StaleOr(absl::string_view key_id, absl::Status error);
  static std::shared_ptr<const jwt::KeyRecord> StaleCopy(
      const jwt::KeyRecord& record);
  std::shared_ptr<Fetch> NextFetch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void RunFetches();
  void Store(const Fetch& fetch, absl::Time fetched_at)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void VoidFetches(Fetch::Voided how) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  std::shared_ptr<jwt::KeySource> source_;
  const KeyCacheOptions options_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mutex_);
  // Key ids the source did not know, and when it said so.
  absl::flat_hash_map<std::string, absl::Time> unknown_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, std::shared_ptr<Fetch>> fetches_
      ABSL_GUARDED_BY(mutex_);
  // Fetches waiting for a thread: of cached keys (revalidations) and of
  // key ids not cached, served in that order.
  std::deque<std::shared_ptr<Fetch>> revalidations_ ABSL_GUARDED_BY(mutex_);
  std::deque<std::shared_ptr<Fetch>> first_fetches_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> fetchers_;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_CACHED_KEY_SOURCE_H_
