#ifndef SIGNET_JWT_KEY_SOURCE_H_
#define SIGNET_JWT_KEY_SOURCE_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "jwt/key_import.h"
#include "jwt/public_key.h"

namespace signet::jwt {

// What a verifier needs to know about a key: the key itself, who owns it,
// and whether it may be used.
struct KeyRecord {
  std::string key_id;
  PublicKey key;
  std::string account_email;
  bool key_disabled = false;
  bool account_disabled = false;
  KeyValidity validity;
  // Set on a record served past its cache TTL because the source could not
  // answer (stale-if-error): good for the call that asked, but no cache of
  // verified tokens may keep a token verified with it.
  bool stale = false;
};

// Where a verifier finds keys by key id: an in-memory set, PostgreSQL, or
// signetd over gRPC. Implementations are thread-safe.
class KeySource {
 public:
  virtual ~KeySource() = default;

  // The record of `key_id`, which the caller has already checked for length
  // and characters. NOT_FOUND when no such key exists; UNAVAILABLE (or any
  // other code) when the source cannot answer now.
  virtual absl::StatusOr<std::shared_ptr<const KeyRecord>> FindKey(
      absl::string_view key_id) = 0;
};

// A fixed set of keys held in memory, for tests and for services that ship
// their peers' public keys with their configuration.
class InMemoryKeySource : public KeySource {
 public:
  // Adds or replaces the record of record.key_id.
  void Put(KeyRecord record);
  void Remove(absl::string_view key_id);

  absl::StatusOr<std::shared_ptr<const KeyRecord>> FindKey(
      absl::string_view key_id) override;

 private:
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, std::shared_ptr<const KeyRecord>> records_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace signet::jwt

#endif  // SIGNET_JWT_KEY_SOURCE_H_
