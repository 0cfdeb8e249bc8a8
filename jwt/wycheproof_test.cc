// Project Wycheproof's vectors, read in place from ../shared/wycheproof/
// beside the source tree (or $SIGNET_WYCHEPROOF_DIR). Each file goes
// through the layer it tests: signature files through the signature check
// the token path uses, the JWS and JWK files through the token parser,
// signature stage and key import, with claims checks off. Where the vectors
// are absent, as in a user's fresh clone, each test reports itself skipped.

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jwt/jws.h"
#include "jwt/key_import.h"
#include "jwt/signature.h"
#include "nlohmann/json.hpp"

namespace signet::jwt {
namespace {

std::optional<std::string> WycheproofDirectory() {
  std::string dir;
  if (const char* from_env = getenv("SIGNET_WYCHEPROOF_DIR")) {
    dir = from_env;
  } else {
    // The runfiles link back to the sources; ../shared sits beside them.
    char real[PATH_MAX];
    if (realpath("jwt/wycheproof_test.cc", real) == nullptr) {
      return std::nullopt;
    }
    std::string source = real;
    dir = source.substr(0, source.rfind("/jwt/")) + "/../shared/wycheproof";
  }
  struct stat info;
  if (stat(dir.c_str(), &info) != 0) return std::nullopt;
  return dir;
}

// Counts what a file's vectors did; printed so that a run shows its reach.
struct Tally {
  int run = 0;
  int accepted = 0;
  int rejected = 0;
  // Labelled valid (or acceptable) but rejected by signet's rules on
  // purpose: an algorithm signet never accepts, or a rule stricter than
  // the vector's label.
  int overridden = 0;

  void Print(absl::string_view file) const {
    printf("wycheproof %s: run %d, accepted %d, rejected %d, overridden %d\n",
           std::string(file).c_str(), run, accepted, rejected, overridden);
  }
};

class WycheproofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = WycheproofDirectory();
    if (!directory_.has_value()) {
      GTEST_SKIP() << "../shared/wycheproof not found beside the source tree "
                      "(set SIGNET_WYCHEPROOF_DIR): Wycheproof vectors skipped";
    }
  }

  nlohmann::json Load(const std::string& file) {
    std::ifstream in(*directory_ + "/" + file);
    EXPECT_TRUE(in.good()) << file;
    std::stringstream contents;
    contents << in.rdbuf();
    return nlohmann::json::parse(contents.str());
  }

  // Every vector of a signature file through the token path's signature
  // check. `all_invalid` holds the file to rejecting everything.
  void RunSignatureFile(const std::string& file, Algorithm algorithm,
                        bool all_invalid = false) {
    nlohmann::json vectors = Load(file);
    Tally tally;
    for (const nlohmann::json& group : vectors["testGroups"]) {
      std::string der =
          absl::HexStringToBytes(group["publicKeyDer"].get<std::string>());
      const uint8_t* cursor = reinterpret_cast<const uint8_t*>(der.data());
      UniqueEvpPkey key(
          d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
      ASSERT_NE(key, nullptr) << file;
      for (const nlohmann::json& test : group["tests"]) {
        std::string message =
            absl::HexStringToBytes(test["msg"].get<std::string>());
        std::string signature =
            absl::HexStringToBytes(test["sig"].get<std::string>());
        std::string label = test["result"];
        bool expected = !all_invalid && label == "valid";

        bool accepted =
            VerifySignature(algorithm, key.get(), message, signature);

        ++tally.run;
        ++(accepted ? tally.accepted : tally.rejected);
        if (!expected && label != "invalid") ++tally.overridden;
        EXPECT_EQ(accepted, expected)
            << file << " tcId " << test["tcId"] << " (" << label
            << "): " << test["comment"];
      }
    }
    tally.Print(file);
    EXPECT_GT(tally.run, 0);
  }

  std::optional<std::string> directory_;
};

TEST_F(WycheproofTest, Es256RawSignatures) {
  RunSignatureFile("ecdsa_secp256r1_sha256_p1363_test.json", Algorithm::kEs256);
}

TEST_F(WycheproofTest, Es256NeverAcceptsDer) {
  RunSignatureFile("ecdsa_secp256r1_sha256_test.json", Algorithm::kEs256,
                   /*all_invalid=*/true);
}

TEST_F(WycheproofTest, Ed25519Signatures) {
  RunSignatureFile("ed25519_test.json", Algorithm::kEdDsa);
}

TEST_F(WycheproofTest, Rs256Signatures2048) {
  RunSignatureFile("rsa_signature_2048_sha256_test.json", Algorithm::kRs256);
}

TEST_F(WycheproofTest, Rs256Signatures3072) {
  RunSignatureFile("rsa_signature_3072_sha256_test.json", Algorithm::kRs256);
}

// Whether `jws` parses strictly and verifies with one of `keys`, chosen by
// the token's kid when there are several. Claims are not checked: these
// payloads are not claim sets.
bool JwsAccepted(const std::string& jws,
                 const std::vector<ImportedPublicKey>& keys) {
  absl::StatusOr<UnverifiedJws> parsed = UnverifiedJws::Parse(jws);
  if (!parsed.ok()) return false;
  for (const ImportedPublicKey& key : keys) {
    if (keys.size() > 1 && key.key_id != parsed->key_id()) continue;
    if (parsed->VerifySignature(key.key).ok()) return true;
  }
  return false;
}

// The header's alg, read leniently, to tell which valid vectors signet must
// refuse by rule.
std::string AlgOf(const std::string& jws) {
  std::string header;
  absl::WebSafeBase64Unescape(jws.substr(0, jws.find('.')), &header);
  nlohmann::json parsed = nlohmann::json::parse(header, nullptr, false);
  return parsed.is_object() && parsed.contains("alg") &&
                 parsed["alg"].is_string()
             ? parsed["alg"].get<std::string>()
             : "";
}

void RunJwsVectors(const nlohmann::json& vectors, const std::string& file,
                   bool keys_are_sets) {
  // Labelled valid, yet their base64url is not strict.
  const std::set<int> kNotStrictBase64 = {372, 373};
  const std::set<std::string> kSignetAlgorithms = {"RS256", "ES256", "EdDSA"};
  Tally tally;
  for (const nlohmann::json& group : vectors["testGroups"]) {
    std::vector<ImportedPublicKey> keys;
    if (group.contains("public")) {
      std::string text =
          keys_are_sets ? group["public"].dump()
                        : nlohmann::json({{"keys", {group["public"]}}}).dump();
      absl::StatusOr<std::vector<ImportedPublicKey>> imported =
          ImportJwks(text);
      if (imported.ok()) keys = *std::move(imported);
    }
    for (const nlohmann::json& test : group["tests"]) {
      std::string jws = test["jws"];
      std::string label = test["result"];
      int id = test["tcId"];
      // A valid vector passes only with signet's algorithms, a key inside
      // the policy, strict base64url, and no empty segment (an empty
      // payload is one).
      bool expected = label == "valid" && !keys.empty() &&
                      kSignetAlgorithms.count(AlgOf(jws)) > 0 &&
                      kNotStrictBase64.count(id) == 0 &&
                      jws.find("..") == std::string::npos && jws.back() != '.';

      bool accepted = JwsAccepted(jws, keys);

      ++tally.run;
      ++(accepted ? tally.accepted : tally.rejected);
      if (label == "valid" && !expected) ++tally.overridden;
      EXPECT_EQ(accepted, expected)
          << file << " tcId " << id << " (" << label << "): " << test["comment"]
          << " [" << group.value("comment", "") << "]";
    }
  }
  tally.Print(file);
  EXPECT_GT(tally.run, 0);
}

TEST_F(WycheproofTest, JsonWebSignatures) {
  RunJwsVectors(Load("json_web_signature_test.json"),
                "json_web_signature_test.json", /*keys_are_sets=*/false);
}

TEST_F(WycheproofTest, JsonWebKeys) {
  RunJwsVectors(Load("json_web_key_test.json"), "json_web_key_test.json",
                /*keys_are_sets=*/true);
}

}  // namespace
}  // namespace signet::jwt
