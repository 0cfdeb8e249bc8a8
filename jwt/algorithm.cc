#include "jwt/algorithm.h"

namespace signet::jwt {

absl::string_view AlgorithmName(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kRs256:
      return "RS256";
    case Algorithm::kEs256:
      return "ES256";
    case Algorithm::kEdDsa:
      return "EdDSA";
  }
  return "";
}

std::optional<Algorithm> AlgorithmFromName(absl::string_view name) {
  for (Algorithm algorithm :
       {Algorithm::kRs256, Algorithm::kEs256, Algorithm::kEdDsa}) {
    if (name == AlgorithmName(algorithm)) return algorithm;
  }
  return std::nullopt;
}

}  // namespace signet::jwt
