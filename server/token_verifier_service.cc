#include "server/token_verifier_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "jwt/jws.h"
#include "jwt/key_import.h"
#include "jwt/reason.h"
#include "jwt/verifier.h"
#include "server/grpc_status.h"
#include "server/proto_conversions.h"
#include "server/resource_names.h"

namespace signet::server {
namespace {

v1::KeyChange::Kind KindOf(const std::string& kind) {
  if (kind == "key_insert") return v1::KeyChange::KEY_CREATED;
  if (kind == "key_update") return v1::KeyChange::KEY_UPDATED;
  if (kind == "key_delete") return v1::KeyChange::KEY_DELETED;
  if (kind == "account_insert") return v1::KeyChange::ACCOUNT_CREATED;
  if (kind == "account_update") return v1::KeyChange::ACCOUNT_UPDATED;
  if (kind == "account_delete") return v1::KeyChange::ACCOUNT_DELETED;
  return v1::KeyChange::KIND_UNSPECIFIED;  // role bindings: not a key matter
}

// Whether a key may verify tokens now: enabled, of an enabled account,
// inside its validity window.
bool UsableNow(const db::KeyRow& key, absl::Time now) {
  return !key.disabled && (!key.valid_after || *key.valid_after <= now) &&
         (!key.valid_before || now < *key.valid_before);
}

}  // namespace

TokenVerifierServiceImpl::TokenVerifierServiceImpl(
    std::shared_ptr<verifier::CallVerifier> callers,
    std::shared_ptr<VerifyTokenMemory> verified_tokens,
    std::shared_ptr<jwt::KeySource> fresh_keys,
    std::shared_ptr<db::Store> store, std::shared_ptr<ChangeFeed> changes)
    : callers_(std::move(callers)),
      verified_tokens_(std::move(verified_tokens)),
      fresh_keys_(std::move(fresh_keys)),
      store_(std::move(store)),
      changes_(std::move(changes)) {}

grpc::Status TokenVerifierServiceImpl::CheckCaller(
    grpc::ServerContext* context) {
  if (!callers_->CallerOf(*context).has_value()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "this call needs a signet token");
  }
  return grpc::Status::OK;
}

grpc::Status TokenVerifierServiceImpl::VerifyToken(
    grpc::ServerContext* context, const v1::VerifyTokenRequest* request,
    v1::VerifyTokenResponse* response) {
  if (grpc::Status caller = CheckCaller(context); !caller.ok()) return caller;
  if (request->audience().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "audience is required: the caller's own");
  }

  absl::StatusOr<verifier::CallerIdentity> verified =
      verified_tokens_->Verify(request->audience(), request->token());

  if (verified.ok()) {
    response->set_verified(true);
    response->set_account_email(verified->account_email);
    response->set_key_id(verified->key_id);
    SetTimestamp(verified->expires_at, response->mutable_expire_time());
    return grpc::Status::OK;
  }
  if (absl::IsUnavailable(verified.status())) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the key store cannot answer");
  }
  std::optional<jwt::Reason> reason = jwt::ReasonOf(verified.status());
  response->set_verified(false);
  response->set_reason(reason ? std::string(jwt::ReasonName(*reason))
                              : "other");
  return grpc::Status::OK;
}

grpc::Status TokenVerifierServiceImpl::GetKey(
    grpc::ServerContext* context, const v1::GetKeyInfoRequest* request,
    v1::KeyInfo* response) {
  if (grpc::Status caller = CheckCaller(context); !caller.ok()) return caller;
  if (!jwt::IsValidKeyId(request->key_id())) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "key_id is not a key id");
  }
  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> record =
      fresh_keys_->FindKey(request->key_id());
  if (!record.ok()) return ToGrpc(record.status());

  const jwt::KeyRecord& key = **record;
  response->set_key_id(key.key_id);
  response->set_jwk(key.key.ToJwk(key.key_id).dump());
  response->set_algorithm(std::string(jwt::AlgorithmName(key.key.algorithm())));
  response->set_account_email(key.account_email);
  response->set_key_disabled(key.key_disabled);
  response->set_account_disabled(key.account_disabled);
  if (key.validity.not_before) {
    SetTimestamp(*key.validity.not_before, response->mutable_valid_after());
  }
  if (key.validity.not_after) {
    SetTimestamp(*key.validity.not_after, response->mutable_valid_before());
  }
  return grpc::Status::OK;
}

grpc::Status TokenVerifierServiceImpl::GetPublicKeys(
    grpc::ServerContext* context, const v1::GetPublicKeysRequest* request,
    v1::GetPublicKeysResponse* response) {
  if (grpc::Status caller = CheckCaller(context); !caller.ok()) return caller;
  absl::StatusOr<std::string> account_id = ParseAccountName(request->account());
  if (!account_id.ok()) return ToGrpc(account_id.status());
  absl::StatusOr<db::AccountRow> account = store_->GetAccount(*account_id);
  if (!account.ok()) return ToGrpc(account.status());
  absl::StatusOr<std::vector<db::KeyRow>> keys = store_->ListKeys(*account_id);
  if (!keys.ok()) return ToGrpc(keys.status());

  std::vector<std::pair<std::string, jwt::PublicKey>> published;
  absl::Time now = absl::Now();
  for (const db::KeyRow& key : *keys) {
    if (account->disabled || !UsableNow(key, now)) continue;
    absl::StatusOr<jwt::PublicKey> public_key =
        jwt::PublicKey::FromSpkiDer(key.public_key_der);
    if (public_key.ok()) published.emplace_back(key.key_id, *public_key);
  }
  response->set_jwks(jwt::ExportJwks(published));
  return grpc::Status::OK;
}

bool TokenVerifierServiceImpl::AcquireWatcher(const std::string& account) {
  absl::MutexLock lock(&watchers_mutex_);
  int& mine = watchers_by_account_[account];
  if (watchers_ >= kMaxWatchers || mine >= kMaxWatchersPerAccount) {
    if (mine == 0) watchers_by_account_.erase(account);
    return false;
  }
  ++watchers_;
  ++mine;
  return true;
}

void TokenVerifierServiceImpl::ReleaseWatcher(const std::string& account) {
  absl::MutexLock lock(&watchers_mutex_);
  --watchers_;
  auto mine = watchers_by_account_.find(account);
  if (--mine->second == 0) watchers_by_account_.erase(mine);
}

grpc::Status TokenVerifierServiceImpl::WatchKeys(
    grpc::ServerContext* context, const v1::WatchKeysRequest* /*request*/,
    grpc::ServerWriter<v1::KeyChange>* writer) {
  std::optional<verifier::CallerIdentity> caller = callers_->CallerOf(*context);
  if (!caller.has_value()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "this call needs a signet token");
  }
  if (!AcquireWatcher(caller->account_email)) {
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "too many key watchers; try again later");
  }
  struct Release {
    TokenVerifierServiceImpl* service;
    const std::string& account;
    ~Release() { service->ReleaseWatcher(account); }
  } release{this, caller->account_email};
  std::unique_ptr<ChangeFeed::Subscription> subscription =
      changes_->Subscribe();

  // Wakes at least twice a second to notice a cancelled stream, a server
  // that is shutting down, or the caller's token running out: a stream
  // lasts no longer than the credential that opened it.
  while (!context->IsCancelled()) {
    if (absl::Now() >= caller->expires_at) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "the token that opened this watch has expired");
    }
    std::optional<ChangeFeed::Event> event =
        subscription->Next(absl::Milliseconds(500));
    if (!event.has_value()) continue;
    v1::KeyChange change;
    if (event->reset) {
      change.set_kind(v1::KeyChange::RESET);
    } else {
      change.set_kind(KindOf(event->change.kind));
      if (change.kind() == v1::KeyChange::KIND_UNSPECIFIED) continue;
      change.set_account_email(event->change.account_email);
      change.set_key_id(event->change.key_id);
    }
    if (!writer->Write(change)) break;
    // A change to the caller's own account or key may have revoked it.
    if (!event->reset &&
        (event->change.account_email == caller->account_email ||
         event->change.key_id == caller->key_id)) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                          "the watcher's own credential changed; reconnect");
    }
  }
  return grpc::Status::OK;
}

}  // namespace signet::server
