#ifndef SIGNET_VERIFIER_CACHED_KEY_SOURCE_H_
#define SIGNET_VERIFIER_CACHED_KEY_SOURCE_H_

#include <memory>
#include <string>

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
  // Keys held at once; past it the entry fetched longest ago is dropped.
  size_t max_keys = 10000;
  // How long a key id the source does not know is answered NOT_FOUND
  // without asking it again, so that a flood of made-up key ids cannot
  // hammer the source. A key created meanwhile clears its id at once (see
  // InvalidateKey).
  absl::Duration unknown_ttl = absl::Seconds(10);
  // Unknown key ids remembered at once; past it they are all forgotten.
  size_t max_unknown = 100000;
  // Not owned; must outlive the cache.
  const Clock* clock = &Clock::Real();
};

// Parsed public keys by key id in front of a slower KeySource (PostgreSQL,
// signetd), so that an authenticated call costs no lookup while its key is
// cached. Change notifications call the Invalidate functions, which is what
// makes disabling a key take effect before the TTL. Unknown key ids are
// remembered for a short time. However many calls miss on one key id at
// once, the source is asked once and they all get its answer. Thread-safe.
class CachedKeySource : public jwt::KeySource {
 public:
  CachedKeySource(std::shared_ptr<jwt::KeySource> source,
                  KeyCacheOptions options = {});

  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> FindKey(
      absl::string_view key_id) override;

  // Drops the key, and forgets that its id was unknown (a key created).
  void InvalidateKey(absl::string_view key_id);
  // Drops every key of the account with this email.
  void InvalidateAccount(absl::string_view account_email);
  // Drops everything, as after missed notifications.
  void Clear();

  size_t size();

 private:
  struct Entry {
    std::shared_ptr<const jwt::KeyRecord> record;
    absl::Time fetched_at;
  };

  // One fetch from the source, shared by every caller that misses on the
  // same key id while it runs.
  struct Fetch {
    absl::Notification done;
    absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> result =
        absl::UnknownError("fetch not finished");
  };

  void Store(
      absl::string_view key_id,
      const absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>>& fetched,
      uint64_t generation, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  std::shared_ptr<jwt::KeySource> source_;
  KeyCacheOptions options_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mutex_);
  // Key ids the source did not know, and when it said so.
  absl::flat_hash_map<std::string, absl::Time> unknown_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, std::shared_ptr<Fetch>> fetches_
      ABSL_GUARDED_BY(mutex_);
  // Bumped by every invalidation, so that a fetch that started before one
  // does not store what may be stale.
  uint64_t generation_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_CACHED_KEY_SOURCE_H_
