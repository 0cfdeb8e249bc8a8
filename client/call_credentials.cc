#include "client/call_credentials.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/erase_minimum.h"
#include "base/status_macros.h"

namespace signet::client {

std::string AudienceForServiceUrl(absl::string_view service_url) {
  absl::string_view rest = service_url;
  size_t scheme_end = rest.find("://");
  if (scheme_end != absl::string_view::npos) rest.remove_prefix(scheme_end + 3);
  absl::string_view authority = rest.substr(0, rest.find('/'));
  return absl::StrCat("https://", authority, "/");
}

absl::Status CheckCallCredentialsOptions(
    const CallCredentialsOptions& options) {
  if (options.token_lifetime < absl::Seconds(1) ||
      options.token_lifetime > jwt::kMaxLifetime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token lifetime ", absl::FormatDuration(options.token_lifetime),
        " is not within 1s to ", absl::FormatDuration(jwt::kMaxLifetime)));
  }
  if (options.refresh_margin < absl::ZeroDuration() ||
      options.refresh_margin >= options.token_lifetime) {
    return absl::InvalidArgumentError(
        "the refresh margin must be shorter than the token lifetime");
  }
  if (options.max_cached_tokens == 0 || options.clock == nullptr) {
    return absl::InvalidArgumentError(
        "call credentials need room for a token and a clock");
  }
  return absl::OkStatus();
}

TokenPlugin::TokenPlugin(std::unique_ptr<jwt::Signer> signer,
                         CallCredentialsOptions options)
    : signer_(std::move(signer)), options_(std::move(options)) {}

absl::StatusOr<std::string> TokenPlugin::TokenFor(absl::string_view audience) {
  absl::Time now = options_.clock->Now();
  {
    absl::MutexLock lock(&mutex_);
    auto cached = tokens_.find(audience);
    if (cached != tokens_.end() &&
        cached->second.expires_at - now > options_.refresh_margin) {
      return cached->second.token;
    }
  }

  // Signed outside the lock, so that one slow signature holds up no call
  // that has a token already. Two callers may both sign; one wins.
  SIGNET_ASSIGN_OR_RETURN(jwt::SignedToken fresh,
                          signer_->Sign(audience, options_.token_lifetime));
  absl::MutexLock lock(&mutex_);
  if (!tokens_.contains(audience) &&
      tokens_.size() >= options_.max_cached_tokens) {
    EraseMinimum(tokens_, [](const jwt::SignedToken& token) {
      return token.expires_at;
    });
  }
  tokens_[audience] = fresh;
  return fresh.token;
}

grpc::Status TokenPlugin::GetMetadata(
    grpc::string_ref service_url, grpc::string_ref /*method_name*/,
    const grpc::AuthContext& /*channel_auth_context*/,
    std::multimap<std::string, std::string>* metadata) {
  std::string audience = options_.audience.empty()
                             ? AudienceForServiceUrl(absl::string_view(
                                   service_url.data(), service_url.size()))
                             : options_.audience;

  absl::StatusOr<std::string> token = TokenFor(audience);
  if (!token.ok()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        absl::StrCat("signet: cannot sign a token for ",
                                     audience, ": ", token.status().message()));
  }
  metadata->emplace("authorization", absl::StrCat("Bearer ", *token));
  return grpc::Status::OK;
}

absl::StatusOr<std::shared_ptr<grpc::CallCredentials>>
CallCredentialsFromKeyFile(const jwt::KeyFile& key_file,
                           CallCredentialsOptions options) {
  SIGNET_RETURN_IF_ERROR(CheckCallCredentialsOptions(options));
  SIGNET_ASSIGN_OR_RETURN(std::unique_ptr<jwt::Signer> signer,
                          jwt::SignerFromKeyFile(key_file, options.clock));
  return grpc::MetadataCredentialsFromPlugin(
      std::make_unique<TokenPlugin>(std::move(signer), std::move(options)));
}

absl::StatusOr<std::shared_ptr<grpc::CallCredentials>>
CallCredentialsFromKeyFile(const std::string& path,
                           CallCredentialsOptions options) {
  SIGNET_ASSIGN_OR_RETURN(jwt::KeyFile key_file, jwt::ReadKeyFile(path));
  return CallCredentialsFromKeyFile(key_file, std::move(options));
}

}  // namespace signet::client
