#include "jwt/test_util.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "jwt/base64url.h"

namespace signet::jwt::testing {
namespace {

const PrivateKey& CachedKey(Algorithm algorithm, int slot) {
  static auto* keys = new std::map<std::pair<Algorithm, int>, PrivateKey>();
  auto found = keys->find({algorithm, slot});
  if (found == keys->end()) {
    absl::StatusOr<PrivateKey> key = PrivateKey::Generate(algorithm);
    if (!key.ok()) abort();
    found = keys->emplace(std::make_pair(algorithm, slot), *key).first;
  }
  return found->second;
}

}  // namespace

const PrivateKey& TestKey(Algorithm algorithm) {
  return CachedKey(algorithm, 0);
}

const PrivateKey& OtherTestKey(Algorithm algorithm) {
  return CachedKey(algorithm, 1);
}

std::string ReadTestData(absl::string_view name) {
  std::ifstream in(absl::StrCat("jwt/testdata/", name), std::ios::binary);
  if (!in) abort();
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string SignedToken(const PrivateKey& key, absl::string_view header,
                        absl::string_view payload) {
  std::string signing_input =
      absl::StrCat(Base64UrlEncode(header), ".", Base64UrlEncode(payload));
  absl::StatusOr<std::string> signature = key.Sign(signing_input);
  if (!signature.ok()) abort();
  return absl::StrCat(signing_input, ".", Base64UrlEncode(*signature));
}

nlohmann::json GoodHeader(Algorithm algorithm, absl::string_view key_id) {
  return {{"alg", std::string(AlgorithmName(algorithm))},
          {"kid", std::string(key_id)},
          {"typ", "JWT"}};
}

nlohmann::json GoodClaims() {
  int64_t now = absl::ToUnixSeconds(kTestNow);
  return {{"iss", "robot@signet.test"},
          {"sub", "robot@signet.test"},
          {"aud", "https://svc.test/"},
          {"iat", now - 10},
          {"exp", now + 600}};
}

}  // namespace signet::jwt::testing
