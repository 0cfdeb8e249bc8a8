#include "jwt/key_source.h"

namespace signet::jwt {

void InMemoryKeySource::Put(KeyRecord record) {
  auto shared = std::make_shared<const KeyRecord>(std::move(record));
  absl::MutexLock lock(&mutex_);
  records_[shared->key_id] = std::move(shared);
}

void InMemoryKeySource::Remove(absl::string_view key_id) {
  absl::MutexLock lock(&mutex_);
  records_.erase(key_id);
}

absl::StatusOr<std::shared_ptr<const KeyRecord>> InMemoryKeySource::FindKey(
    absl::string_view key_id) {
  absl::MutexLock lock(&mutex_);
  auto found = records_.find(key_id);
  if (found == records_.end()) return absl::NotFoundError("no such key");
  return found->second;
}

}  // namespace signet::jwt
