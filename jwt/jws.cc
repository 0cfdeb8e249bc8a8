#include "jwt/jws.h"

#include <array>
#include <optional>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/base64url.h"
#include "jwt/reason.h"
#include "jwt/strict_json.h"

namespace signet::jwt {
namespace {

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Splits at the two dots after checking every character, so that nothing
// else (whitespace, padding unless allowed, '+', '/', a JSON serialization,
// a five-part JWE) ever reaches a decoder.
absl::StatusOr<std::array<absl::string_view, 3>> SplitSegments(
    absl::string_view token, Padding padding) {
  std::array<absl::string_view, 3> segments;
  size_t start = 0;
  int dots = 0;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '.') {
      if (++dots > 2) {
        return Refusal(Reason::kTokenMalformed, "more than two dots");
      }
      segments[dots - 1] = token.substr(start, i - start);
      start = i + 1;
    } else if (token[i] == '=' && padding == Padding::kRefused) {
      // What gRPC C++'s own JWT credentials send: say so in the log.
      return Refusal(Reason::kTokenMalformed,
                     "'=' padding, which this verifier does not accept "
                     "(VerifierOptions::padding)");
    } else if (!IsBase64UrlChar(token[i]) && token[i] != '=') {
      return Refusal(Reason::kTokenMalformed,
                     "a character outside A-Z a-z 0-9 - _ .");
    }
  }
  if (dots != 2) return Refusal(Reason::kTokenMalformed, "not three segments");
  segments[2] = token.substr(start);
  for (absl::string_view segment : segments) {
    if (segment.empty()) {
      return Refusal(Reason::kTokenMalformed, "an empty segment");
    }
  }
  return segments;
}

// The segment without its padding, if it has exactly the padding RFC 4648
// gives its length (or none); nullopt for any other use of '='.
std::optional<absl::string_view> Unpadded(absl::string_view segment) {
  size_t data = segment.find('=');
  if (data == absl::string_view::npos) return segment;
  size_t pads = segment.size() - data;
  if (segment.find_first_not_of('=', data) != absl::string_view::npos ||
      pads != (4 - data % 4) % 4 || data % 4 == 1) {
    return std::nullopt;
  }
  return segment.substr(0, data);
}

absl::StatusOr<std::string> Decode(absl::string_view segment,
                                   absl::string_view name) {
  std::optional<std::string> bytes = Base64UrlDecode(segment);
  if (!bytes.has_value()) {
    return Refusal(Reason::kBadBase64,
                   absl::StrCat("the ", name, " is not strict base64url"));
  }
  return *std::move(bytes);
}

absl::Status CheckHeaderMembers(const nlohmann::json& header) {
  for (const auto& member : header.items()) {
    const std::string& name = member.key();
    if (name != "alg" && name != "kid" && name != "typ") {
      return Refusal(Reason::kHeaderMember,
                     absl::StrCat("header member \"", name, "\""));
    }
  }
  auto type = header.find("typ");
  if (type != header.end() && *type != "JWT") {
    return Refusal(Reason::kBadType, "typ is not \"JWT\"");
  }
  return absl::OkStatus();
}

absl::StatusOr<Algorithm> AlgorithmOf(const nlohmann::json& header) {
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) {
    return Refusal(Reason::kBadAlgorithm, "alg is missing or not a string");
  }
  std::optional<Algorithm> algorithm =
      AlgorithmFromName(alg->get_ref<const std::string&>());
  if (!algorithm.has_value()) {
    return Refusal(Reason::kBadAlgorithm, "alg is not RS256, ES256 or EdDSA");
  }
  return *algorithm;
}

absl::StatusOr<std::string> KeyIdOf(const nlohmann::json& header) {
  auto kid = header.find("kid");
  if (kid == header.end() || !kid->is_string()) {
    return Refusal(Reason::kBadKeyId, "kid is missing or not a string");
  }
  const std::string& key_id = kid->get_ref<const std::string&>();
  if (!IsValidKeyId(key_id)) {
    return Refusal(
        Reason::kBadKeyId,
        "kid is empty, too long, or has a character outside its set");
  }
  return key_id;
}

}  // namespace

bool IsValidKeyId(absl::string_view key_id) {
  if (key_id.empty() || key_id.size() > kMaxKeyIdSize) return false;
  for (char c : key_id) {
    if (!IsBase64UrlChar(c) && c != '.' && c != '@' && c != ':') return false;
  }
  return true;
}

absl::StatusOr<UnverifiedJws> UnverifiedJws::Parse(absl::string_view token,
                                                   Padding padding) {
  if (token.size() > kMaxTokenSize) {
    return Refusal(Reason::kTokenTooLarge,
                   absl::StrCat("token of ", token.size(), " bytes"));
  }
  SIGNET_ASSIGN_OR_RETURN(auto segments, SplitSegments(token, padding));
  // The signature covers the segments as received, padding included.
  std::string signing_input(
      token.substr(0, segments[0].size() + 1 + segments[1].size()));
  constexpr const char* kSegmentNames[] = {"header", "payload", "signature"};
  for (int i = 0; i < 3; ++i) {
    std::optional<absl::string_view> unpadded = Unpadded(segments[i]);
    if (!unpadded.has_value()) {
      return Refusal(Reason::kBadBase64,
                     absl::StrCat("the ", kSegmentNames[i],
                                  " has padding other than RFC 4648's"));
    }
    segments[i] = *unpadded;
  }

  UnverifiedJws jws;
  SIGNET_ASSIGN_OR_RETURN(std::string header_json,
                          Decode(segments[0], "header"));
  SIGNET_ASSIGN_OR_RETURN(jws.payload_, Decode(segments[1], "payload"));
  SIGNET_ASSIGN_OR_RETURN(jws.signature_, Decode(segments[2], "signature"));

  absl::StatusOr<nlohmann::json> header = ParseStrictJsonObject(header_json);
  if (!header.ok()) {
    return Refusal(Reason::kBadHeader,
                   absl::StrCat("header: ", header.status().message()));
  }
  SIGNET_RETURN_IF_ERROR(CheckHeaderMembers(*header));
  SIGNET_ASSIGN_OR_RETURN(jws.key_id_, KeyIdOf(*header));
  SIGNET_ASSIGN_OR_RETURN(jws.algorithm_, AlgorithmOf(*header));

  jws.signing_input_ = std::move(signing_input);
  return jws;
}

absl::Status UnverifiedJws::VerifySignature(const PublicKey& key) const {
  if (key.algorithm() != algorithm_) {
    return Refusal(Reason::kAlgorithmMismatch,
                   absl::StrCat("alg ", AlgorithmName(algorithm_),
                                " for a key that signs with ",
                                AlgorithmName(key.algorithm())));
  }
  if (!key.Verify(signing_input_, signature_)) {
    return Refusal(Reason::kBadSignature, "the signature does not verify");
  }
  return absl::OkStatus();
}

}  // namespace signet::jwt
