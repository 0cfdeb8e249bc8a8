#include "verifier/signetd_key_source.h"

#include "absl/strings/str_cat.h"
#include "jwt/algorithm.h"
#include "jwt/key_import.h"
#include "spdlog/spdlog.h"

namespace signet::verifier {
namespace {

constexpr absl::Duration kFirstBackoff = absl::Milliseconds(100);
constexpr absl::Duration kLongestBackoff = absl::Seconds(10);

std::string CodeName(const grpc::Status& status) {
  return absl::StatusCodeToString(
      static_cast<absl::StatusCode>(status.error_code()));
}

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

// What a WatchKeys change is called on the store's own channel.
std::optional<StoreChange> StoreChangeOf(const v1::KeyChange& change) {
  static constexpr std::pair<v1::KeyChange::Kind, const char*> kKinds[] = {
      {v1::KeyChange::KEY_CREATED, "key_insert"},
      {v1::KeyChange::KEY_UPDATED, "key_update"},
      {v1::KeyChange::KEY_DELETED, "key_delete"},
      {v1::KeyChange::ACCOUNT_CREATED, "account_insert"},
      {v1::KeyChange::ACCOUNT_UPDATED, "account_update"},
      {v1::KeyChange::ACCOUNT_DELETED, "account_delete"},
  };
  for (const auto& [kind, name] : kKinds) {
    if (change.kind() == kind) {
      return StoreChange{name, change.account_email(), change.key_id()};
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<jwt::KeyRecord> KeyRecordFromKeyInfo(absl::string_view key_id,
                                                    const v1::KeyInfo& info) {
  if (info.key_id() != key_id) {
    return absl::UnavailableError(
        absl::StrCat("signetd answered key ", info.key_id(), " for ", key_id));
  }
  absl::StatusOr<jwt::ImportedPublicKey> imported =
      jwt::ImportPublicKey(info.jwk());
  if (!imported.ok()) {
    return absl::UnavailableError(
        absl::StrCat("signetd's key ", key_id,
                     " is unusable: ", imported.status().message()));
  }
  if (jwt::AlgorithmName(imported->key.algorithm()) != info.algorithm()) {
    return absl::UnavailableError(
        absl::StrCat("signetd's key ", key_id, " is ",
                     jwt::AlgorithmName(imported->key.algorithm()),
                     " but is said to be ", info.algorithm()));
  }

  jwt::KeyRecord record{std::string(key_id), std::move(imported->key),
                        info.account_email(), info.key_disabled(),
                        info.account_disabled()};
  if (info.has_valid_after()) {
    record.validity.not_before = TimeOf(info.valid_after());
  }
  if (info.has_valid_before()) {
    record.validity.not_after = TimeOf(info.valid_before());
  }
  return record;
}

SignetdKeySource::SignetdKeySource(std::shared_ptr<grpc::Channel> channel,
                                   absl::Duration deadline)
    : stub_(v1::TokenVerifier::NewStub(std::move(channel))),
      deadline_(deadline) {}

absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> SignetdKeySource::FindKey(
    absl::string_view key_id) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + deadline_));
  v1::GetKeyInfoRequest request;
  request.set_key_id(std::string(key_id));
  v1::KeyInfo info;
  grpc::Status status = stub_->GetKey(&context, request, &info);

  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return absl::NotFoundError("no such key");
  }
  // Whatever else went wrong (signetd down, this service's own credentials
  // refused), the key's state is unknown, not known bad.
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(
        "signetd GetKey: ", CodeName(status), ": ", status.error_message()));
  }
  absl::StatusOr<jwt::KeyRecord> record = KeyRecordFromKeyInfo(key_id, info);
  if (!record.ok()) return record.status();
  return std::make_shared<const jwt::KeyRecord>(*std::move(record));
}

SignetdChangeWatcher::SignetdChangeWatcher(
    std::shared_ptr<grpc::Channel> channel,
    std::function<void(const StoreChange&)> on_change,
    std::function<void()> on_reset)
    : stub_(v1::TokenVerifier::NewStub(std::move(channel))),
      on_change_(std::move(on_change)),
      on_reset_(std::move(on_reset)),
      thread_([this] { Run(); }) {}

SignetdChangeWatcher::~SignetdChangeWatcher() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    if (stream_context_ != nullptr) stream_context_->TryCancel();
  }
  thread_.join();
}

bool SignetdChangeWatcher::WaitUntilWatching(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (!watching_ && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  return watching_;
}

void SignetdChangeWatcher::Run() {
  absl::Duration backoff = kFirstBackoff;
  while (true) {
    WatchOnce();
    // A stream that got as far as its RESET was a success: start the
    // backoff over.
    if (watching_.exchange(false)) backoff = kFirstBackoff;
    if (!SleepUnlessStopped(backoff)) return;
    backoff = std::min(backoff * 2, kLongestBackoff);
  }
}

void SignetdChangeWatcher::WatchOnce() {
  grpc::ClientContext context;
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_) return;
    stream_context_ = &context;
  }
  std::unique_ptr<grpc::ClientReader<v1::KeyChange>> stream =
      stub_->WatchKeys(&context, v1::WatchKeysRequest());
  v1::KeyChange change;
  while (stream->Read(&change)) {
    if (change.kind() == v1::KeyChange::RESET) {
      on_reset_();
      watching_ = true;
      continue;
    }
    std::optional<StoreChange> store_change = StoreChangeOf(change);
    if (store_change.has_value()) on_change_(*store_change);
  }
  grpc::Status status = stream->Finish();
  {
    absl::MutexLock lock(&mutex_);
    stream_context_ = nullptr;
    if (stopping_) return;
    last_error_ = absl::StrCat(CodeName(status), ": ", status.error_message());
  }
  spdlog::warn("signetd key change stream ended ({}: {}); reconnecting",
               CodeName(status), status.error_message());
}

std::string SignetdChangeWatcher::last_error() {
  absl::MutexLock lock(&mutex_);
  return last_error_;
}

bool SignetdChangeWatcher::SleepUnlessStopped(absl::Duration duration) {
  absl::MutexLock lock(&mutex_);
  auto stopping = [this]()
                      ABSL_SHARED_LOCKS_REQUIRED(mutex_) { return stopping_; };
  mutex_.AwaitWithTimeout(absl::Condition(&stopping), duration);
  return !stopping_;
}

}  // namespace signet::verifier
