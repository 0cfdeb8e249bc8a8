#ifndef SIGNET_VERIFIER_SIGNETD_KEY_SOURCE_H_
#define SIGNET_VERIFIER_SIGNETD_KEY_SOURCE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "jwt/key_source.h"
#include "signet/v1/token_verifier.grpc.pb.h"
#include "verifier/store_change.h"

namespace signet::verifier {

// Looks keys up with signetd's TokenVerifier.GetKey, each call bounded by
// `deadline`. NOT_FOUND for a key signetd does not know; UNAVAILABLE for
// anything else that keeps signetd from answering, and for an answer that
// does not hold up (a key other than the one asked for, a key that fails
// the key policy). The channel carries this service's own credentials.
class SignetdKeySource : public jwt::KeySource {
 public:
  SignetdKeySource(std::shared_ptr<grpc::Channel> channel,
                   absl::Duration deadline);

  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> FindKey(
      absl::string_view key_id) override;

 private:
  std::unique_ptr<v1::TokenVerifier::Stub> stub_;
  const absl::Duration deadline_;
};

// Converts what GetKey answered for `key_id` into the record a verifier
// uses, checking it again as if it came from anyone.
absl::StatusOr<jwt::KeyRecord> KeyRecordFromKeyInfo(absl::string_view key_id,
                                                    const v1::KeyInfo& info);

// Follows signetd's TokenVerifier.WatchKeys and reports each change as it
// arrives. Every stream begins with RESET, reported to `on_reset`: changes
// may have been missed before it (or, on the first stream, before the
// caches were filled). When the stream ends it reconnects with backoff.
// Callbacks run on the watcher's thread.
class SignetdChangeWatcher {
 public:
  SignetdChangeWatcher(std::shared_ptr<grpc::Channel> channel,
                       std::function<void(const StoreChange&)> on_change,
                       std::function<void()> on_reset);
  // Ends the stream; waits for the thread.
  ~SignetdChangeWatcher();

  // Blocks until a stream's RESET has arrived or `timeout` passes.
  bool WaitUntilWatching(absl::Duration timeout);
  bool watching() const { return watching_; }
  // How the last stream ended, or failed to start; empty before any did.
  std::string last_error();

 private:
  void Run();
  // One stream, from its start to its end.
  void WatchOnce();
  bool SleepUnlessStopped(absl::Duration duration);

  std::unique_ptr<v1::TokenVerifier::Stub> stub_;
  std::function<void(const StoreChange&)> on_change_;
  std::function<void()> on_reset_;
  std::atomic<bool> watching_{false};
  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  grpc::ClientContext* stream_context_ ABSL_GUARDED_BY(mutex_) = nullptr;
  std::string last_error_ ABSL_GUARDED_BY(mutex_);
  std::thread thread_;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_SIGNETD_KEY_SOURCE_H_
