#include "verifier/server_verifier.h"

#include <deque>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "client/call_credentials.h"
#include "db/connection_pool.h"
#include "jwt/verifier.h"
#include "verifier/postgres_key_source.h"
#include "verifier/signetd_key_source.h"
#include "verifier/store_change.h"
#include "verifier/token_auth_processor.h"

namespace signet::verifier {
namespace {

// How long Create waits for the change stream before giving up.
constexpr absl::Duration kChangesTimeout = absl::Seconds(10);

absl::Status CheckKeySourceOptions(const KeySourceOptions& options) {
  int sources = (options.signetd.has_value() ? 1 : 0) +
                (options.database.empty() ? 0 : 1) +
                (options.custom != nullptr ? 1 : 0);
  if (sources != 1) {
    return absl::InvalidArgumentError(
        "set exactly one key source: signetd, a database, or a custom one");
  }
  if (options.signetd.has_value() &&
      (options.signetd->target.empty() || options.signetd->key_file.empty())) {
    return absl::InvalidArgumentError(
        "the signetd key source needs a target and this service's key file");
  }
  if (options.database_connections < 1) {
    return absl::InvalidArgumentError("database_connections must be >= 1");
  }
  if (options.replica_lag < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("replica_lag must not be negative");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> SignetdChannel(
    const SignetdSourceOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::CallCredentials>> credentials =
      client::CallCredentialsFromKeyFile(options.key_file);
  if (!credentials.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the key file for signetd: ", credentials.status().message()));
  }
  client::ChannelOptions channel = options.channel;
  // WatchKeys is one long, mostly idle stream: pings notice a signetd that
  // vanished without closing the connection.
  if (channel.keepalive == absl::ZeroDuration()) {
    channel.keepalive = absl::Seconds(30);
  }
  return client::CreateChannel(options.target, channel, *credentials);
}

// Applies each change to the caches at once and, when lookups may lag
// behind the changes (a read replica), once more after the lag.
class ChangeApplier {
 public:
  ChangeApplier(CachedKeySource& keys, CallVerifier& callers,
                absl::Duration lag)
      : keys_(keys), callers_(callers), lag_(lag) {
    if (lag_ > absl::ZeroDuration()) replayer_ = std::thread([this] { Run(); });
  }

  ~ChangeApplier() {
    {
      absl::MutexLock lock(&mutex_);
      stopping_ = true;
    }
    if (replayer_.joinable()) replayer_.join();
  }

  // `change` is nullopt for a reset.
  void Apply(const std::optional<StoreChange>& change) {
    ApplyNow(change);
    if (lag_ <= absl::ZeroDuration()) return;
    absl::MutexLock lock(&mutex_);
    pending_.push_back({absl::Now() + lag_, change});
  }

 private:
  struct Pending {
    absl::Time due;
    std::optional<StoreChange> change;
  };

  void ApplyNow(const std::optional<StoreChange>& change) {
    if (change.has_value()) {
      ApplyChange(*change, keys_, callers_);
    } else {
      ApplyReset(keys_, callers_);
    }
  }

  // Replays changes as they fall due, in the order they were heard.
  void Run() {
    auto stopping = [this]() ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
      return stopping_;
    };
    absl::MutexLock lock(&mutex_);
    while (!stopping_) {
      absl::Time wake =
          pending_.empty() ? absl::Now() + lag_ : pending_.front().due;
      mutex_.AwaitWithDeadline(absl::Condition(&stopping), wake);
      while (!stopping_ && !pending_.empty() &&
             pending_.front().due <= absl::Now()) {
        Pending due = std::move(pending_.front());
        pending_.pop_front();
        mutex_.Unlock();
        ApplyNow(due.change);
        mutex_.Lock();
      }
    }
  }

  CachedKeySource& keys_;
  CallVerifier& callers_;
  const absl::Duration lag_;
  absl::Mutex mutex_;
  std::deque<Pending> pending_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread replayer_;
};

// Where the cache fetches keys from; `signetd` is set to the channel when
// that is signetd.
absl::StatusOr<std::shared_ptr<jwt::KeySource>> KeyLookups(
    const KeySourceOptions& source, std::shared_ptr<grpc::Channel>& signetd) {
  if (source.signetd.has_value()) {
    SIGNET_ASSIGN_OR_RETURN(signetd, SignetdChannel(*source.signetd));
    return std::make_shared<SignetdKeySource>(signetd,
                                              source.signetd->fetch_deadline);
  }
  if (!source.database.empty()) {
    return std::make_shared<PostgresKeySource>(
        std::make_shared<db::ConnectionPool>(source.database,
                                             source.database_connections));
  }
  return source.custom;
}

}  // namespace

struct ServerVerifier::Parts {
  std::shared_ptr<CachedKeySource> keys;
  std::shared_ptr<CallVerifier> callers;
  std::shared_ptr<TokenAuthProcessor> processor;
  std::unique_ptr<ChangeApplier> applier;
  // Declared last, so destroyed first: their callbacks use the applier.
  std::unique_ptr<ChangeListener> listener;
  std::unique_ptr<SignetdChangeWatcher> watcher;
};

// Starts hearing changes, from PostgreSQL or from signetd, and waits until
// the stream is up: no revocation may be missed from the first call on.
absl::Status ServerVerifier::StartChanges(
    const KeySourceOptions& source, std::shared_ptr<grpc::Channel> signetd) {
  ChangeApplier* applier = parts_->applier.get();
  auto on_change = [applier](const StoreChange& change) {
    applier->Apply(change);
  };
  auto on_reset = [applier] { applier->Apply(std::nullopt); };

  std::string changes_database = source.changes_database.empty() && !signetd
                                     ? source.database
                                     : source.changes_database;
  if (!changes_database.empty()) {
    parts_->listener =
        std::make_unique<ChangeListener>(changes_database, on_change, on_reset);
    if (!parts_->listener->WaitUntilListening(kChangesTimeout)) {
      return absl::UnavailableError(
          "cannot LISTEN for key changes: is the changes database the "
          "primary, and reachable?");
    }
  } else if (signetd != nullptr) {
    parts_->watcher =
        std::make_unique<SignetdChangeWatcher>(signetd, on_change, on_reset);
    if (!parts_->watcher->WaitUntilWatching(kChangesTimeout)) {
      return absl::UnavailableError(absl::StrCat(
          "cannot watch key changes on signetd at ", source.signetd->target,
          ": ", parts_->watcher->last_error()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ServerVerifier>> ServerVerifier::Create(
    ServerVerifierOptions options) {
  SIGNET_RETURN_IF_ERROR(CheckKeySourceOptions(options.keys));
  SIGNET_RETURN_IF_ERROR(options.policy.Check());
  auto parts = std::make_unique<Parts>();

  std::shared_ptr<grpc::Channel> signetd;
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<jwt::KeySource> lookups,
                          KeyLookups(options.keys, signetd));
  parts->keys = std::make_shared<CachedKeySource>(lookups, options.cache);

  jwt::VerifierOptions verifier_options;
  verifier_options.audiences = options.audiences;
  verifier_options.clock = options.cache.clock;
  verifier_options.padding = options.padding;
  SIGNET_ASSIGN_OR_RETURN(std::unique_ptr<jwt::Verifier> verifier,
                          jwt::Verifier::Create(verifier_options, parts->keys));
  parts->callers = std::make_shared<CallVerifier>(
      std::move(verifier), options.cache.ttl, options.max_remembered_tokens,
      options.cache.clock);
  parts->processor = std::make_shared<TokenAuthProcessor>(
      parts->callers,
      TokenAuthOptions{std::move(options.policy), options.blocking,
                       std::move(options.observer),
                       options.refusal_log_per_second});
  parts->applier = std::make_unique<ChangeApplier>(
      *parts->keys, *parts->callers, options.keys.replica_lag);

  std::unique_ptr<ServerVerifier> server_verifier(
      new ServerVerifier(std::move(parts)));
  SIGNET_RETURN_IF_ERROR(
      server_verifier->StartChanges(options.keys, std::move(signetd)));
  return server_verifier;
}

ServerVerifier::ServerVerifier(std::unique_ptr<Parts> parts)
    : parts_(std::move(parts)) {}

ServerVerifier::~ServerVerifier() = default;

std::shared_ptr<grpc::ServerCredentials> ServerVerifier::Protect(
    std::shared_ptr<grpc::ServerCredentials> credentials) {
  credentials->SetAuthMetadataProcessor(parts_->processor);
  return credentials;
}

std::optional<CallerIdentity> ServerVerifier::CallerOf(
    const grpc::ServerContextBase& context) {
  return parts_->callers->CallerOf(context);
}

std::map<std::string, int64_t> ServerVerifier::Decisions() const {
  return parts_->processor->counters().Snapshot();
}

bool ServerVerifier::ChangesConnected() const {
  if (parts_->listener != nullptr) return parts_->listener->listening();
  if (parts_->watcher != nullptr) return parts_->watcher->watching();
  return false;
}

}  // namespace signet::verifier
