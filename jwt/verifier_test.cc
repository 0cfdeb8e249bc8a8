#include "jwt/verifier.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jwt/base64url.h"
#include "jwt/jws.h"
#include "jwt/reason.h"
#include "jwt/test_util.h"

namespace signet::jwt {
namespace {

using testing::GoodClaims;
using testing::GoodHeader;
using testing::kAllAlgorithms;
using testing::kTestNow;
using testing::SignedToken;
using testing::TestKey;

constexpr char kAccount[] = "robot@signet.test";
constexpr char kOtherAccount[] = "other@signet.test";

// A key source that cannot answer, like a store that is down.
class UnreachableKeySource : public KeySource {
 public:
  absl::StatusOr<std::shared_ptr<const KeyRecord>> FindKey(
      absl::string_view) override {
    return absl::UnavailableError("store unreachable");
  }
};

class VerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (Algorithm algorithm : kAllAlgorithms) {
      keys_->Put(Record(KeyIdFor(algorithm), algorithm));
    }
    keys_->Put(Record("other-account-key", Algorithm::kEs256, kOtherAccount));
    verifier_ = MakeVerifier(keys_);
  }

  static std::string KeyIdFor(Algorithm algorithm) {
    return absl::StrCat("key-", AlgorithmName(algorithm));
  }

  static KeyRecord Record(const std::string& key_id, Algorithm algorithm,
                          const std::string& account = kAccount) {
    return KeyRecord{key_id, TestKey(algorithm).public_key(), account};
  }

  std::unique_ptr<Verifier> MakeVerifier(std::shared_ptr<KeySource> keys) {
    VerifierOptions options;
    options.audiences = {"https://svc.test/", "https://alt.test/"};
    options.clock = &clock_;
    absl::StatusOr<std::unique_ptr<Verifier>> verifier =
        Verifier::Create(options, std::move(keys));
    EXPECT_TRUE(verifier.ok()) << verifier.status();
    return std::move(*verifier);
  }

  // Replaces the verifier with one that accepts RFC 4648 padding.
  void AcceptPaddedTokens() {
    VerifierOptions options;
    options.audiences = {"https://svc.test/"};
    options.clock = &clock_;
    options.padding = Padding::kCanonicalAccepted;
    verifier_ = *Verifier::Create(options, keys_);
  }

  // A token signed by the test key of `algorithm`, with `header` and
  // `claims` written exactly as given.
  static std::string Token(Algorithm algorithm, const std::string& header,
                           const std::string& claims) {
    return SignedToken(TestKey(algorithm), header, claims);
  }

  static std::string Token(Algorithm algorithm, const nlohmann::json& header,
                           const nlohmann::json& claims) {
    return Token(algorithm, header.dump(), claims.dump());
  }

  static std::string GoodToken(Algorithm algorithm) {
    return Token(algorithm, GoodHeader(algorithm, KeyIdFor(algorithm)),
                 GoodClaims());
  }

  void ExpectRefused(const std::string& token, Reason reason) {
    absl::StatusOr<VerifiedToken> verified = verifier_->Verify(token);
    ASSERT_FALSE(verified.ok()) << "accepted: " << token;
    EXPECT_EQ(ReasonOf(verified.status()), reason)
        << verified.status() << "\ntoken: " << token;
    EXPECT_EQ(verified.status().code(),
              reason == Reason::kKeySourceUnavailable
                  ? absl::StatusCode::kUnavailable
                  : absl::StatusCode::kUnauthenticated);
  }

  // A good ES256 token whose claims have `name` set to `value` (or removed
  // when `value` is null).
  static std::string WithClaim(const std::string& name,
                               const nlohmann::json& value) {
    nlohmann::json claims = GoodClaims();
    if (value.is_null()) {
      claims.erase(name);
    } else {
      claims[name] = value;
    }
    return Token(Algorithm::kEs256,
                 GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256)),
                 claims);
  }

  // A good ES256 token whose header is `header`, raw.
  static std::string WithHeader(const std::string& header) {
    return Token(Algorithm::kEs256, header, GoodClaims().dump());
  }

  FakeClock clock_{kTestNow};
  std::shared_ptr<InMemoryKeySource> keys_ =
      std::make_shared<InMemoryKeySource>();
  std::unique_ptr<Verifier> verifier_;
};

TEST_F(VerifierTest, GoodTokensOfEveryAlgorithmVerify) {
  for (Algorithm algorithm : kAllAlgorithms) {
    absl::StatusOr<VerifiedToken> verified =
        verifier_->Verify(GoodToken(algorithm));

    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->account_email(), kAccount);
    EXPECT_EQ(verified->key_id(), KeyIdFor(algorithm));
    EXPECT_EQ(verified->audience(), "https://svc.test/");
    EXPECT_EQ(verified->expires_at(), kTestNow + absl::Seconds(600));
    EXPECT_EQ(verified->claims()["iss"], kAccount);
  }
}

TEST_F(VerifierTest, OversizedTokensAreRefusedBeforeParsing) {
  std::string good = GoodToken(Algorithm::kEs256);
  for (size_t size : {kMaxTokenSize + 1, size_t{10000}, size_t{1} << 20}) {
    ExpectRefused(good + std::string(size - good.size(), 'A'),
                  Reason::kTokenTooLarge);
  }
}

TEST_F(VerifierTest, CharactersAndSegmentsOutsideCompactFormAreRefused) {
  std::string good = GoodToken(Algorithm::kEs256);
  std::string header = good.substr(0, good.find('.'));
  std::vector<std::string> malformed = {
      "",
      " " + good,
      good + " ",
      good + "\n",
      "Bearer " + good,
      good + "=",
      good + "==",
      header + "." + header,
      header + ".",
      good + ".",
      good + "." + header,
      good + ".a.b",  // five segments: a JWE
      "." + good.substr(good.find('.')),
      header + ".." + good.substr(good.rfind('.') + 1),
      good.substr(0, good.rfind('.') + 1),
      R"({"payload":"e30","signatures":[]})",
      std::string(good).replace(3, 1, "+"),
      std::string(good).replace(3, 1, "/"),
      std::string(good).replace(3, 1, "\t"),
      std::string(good).replace(3, 1, std::string(1, '\0')),
      std::string(good).replace(3, 1, "\xc3\xa9"),
      "...",
      ".",
  };
  for (const std::string& token : malformed) {
    ExpectRefused(token, Reason::kTokenMalformed);
  }
}

TEST_F(VerifierTest, LooseBase64IsRefused) {
  constexpr absl::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string good = GoodToken(Algorithm::kEs256);
  size_t last_dot = good.rfind('.');
  // 86 characters carry the 64-byte signature and 4 unused bits, which the
  // canonical spelling leaves zero. Setting one keeps the same bytes.
  ASSERT_EQ(good.size() - last_dot - 1, 86u);
  std::string unused_bit_set = good;
  unused_bit_set.back() = kAlphabet[kAlphabet.find(good.back()) + 1];

  ExpectRefused(unused_bit_set, Reason::kBadBase64);
  ExpectRefused(good + "AAA", Reason::kBadBase64);  // length 1 mod 4
  std::string header = good.substr(0, good.find('.'));
  ExpectRefused(header + "A" + good.substr(header.size()), Reason::kBadBase64);
}

// Segments as RFC 4648 pads them, as gRPC C++'s JWT credentials and older
// google-auth write tokens; the signature covers the padded segments.
std::string Padded(absl::string_view bytes) {
  std::string segment = Base64UrlEncode(bytes);
  segment.append((4 - segment.size() % 4) % 4, '=');
  return segment;
}

std::string PaddedToken(Algorithm algorithm, const std::string& header,
                        const std::string& claims) {
  std::string signing_input = absl::StrCat(Padded(header), ".", Padded(claims));
  absl::StatusOr<std::string> signature =
      TestKey(algorithm).Sign(signing_input);
  if (!signature.ok()) abort();
  return absl::StrCat(signing_input, ".", Padded(*signature));
}

TEST_F(VerifierTest, PaddedTokensAreRefusedByDefault) {
  for (Algorithm algorithm : kAllAlgorithms) {
    std::string token = PaddedToken(
        algorithm, GoodHeader(algorithm, KeyIdFor(algorithm)).dump(),
        GoodClaims().dump());
    ASSERT_TRUE(absl::StrContains(token, "=")) << token;
    ExpectRefused(token, Reason::kTokenMalformed);
  }
}

TEST_F(VerifierTest, CanonicallyPaddedTokensVerifyWhenAccepted) {
  AcceptPaddedTokens();

  for (Algorithm algorithm : kAllAlgorithms) {
    std::string header = GoodHeader(algorithm, KeyIdFor(algorithm)).dump();
    // Claims of three lengths, so that the payload takes each amount of
    // padding: none, "=" and "==".
    for (std::string jti : {"a", "ab", "abc"}) {
      nlohmann::json claims = GoodClaims();
      claims["jti"] = jti;
      std::string token = PaddedToken(algorithm, header, claims.dump());
      EXPECT_TRUE(verifier_->Verify(token).ok()) << token;
    }
    EXPECT_TRUE(verifier_->Verify(GoodToken(algorithm)).ok());
  }
}

TEST_F(VerifierTest, PaddingOtherThanRfc4648sIsRefusedEvenWhenAccepted) {
  AcceptPaddedTokens();
  std::string token = PaddedToken(
      Algorithm::kEs256,
      GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256)).dump(),
      GoodClaims().dump());
  ASSERT_TRUE(absl::EndsWith(token, "=="));  // 64 bytes: two pad characters
  std::string unpadded_signature = token.substr(0, token.size() - 2);

  std::vector<std::string> wrong = {
      unpadded_signature + "=",  // too little
      token + "=",               // too much
      token + "==",              // a whole group of padding
      unpadded_signature.substr(0, unpadded_signature.size() - 2) + "==" +
          unpadded_signature.substr(unpadded_signature.size() - 2),  // inside
      token.substr(0, token.find('.')) + "====" + token.substr(token.find('.')),
      "====" + token.substr(token.find('.')),
  };
  for (const std::string& bad : wrong) {
    ExpectRefused(bad, Reason::kBadBase64);
  }
  EXPECT_TRUE(verifier_->Verify(token).ok());
  EXPECT_TRUE(verifier_->Verify(unpadded_signature).ok());
}

TEST_F(VerifierTest, MalformedHeadersAreRefused) {
  for (const std::string& header :
       {std::string("not json"), std::string("[]"), std::string("{"),
        std::string(R"({"alg":"ES256","kid":"key-ES256","alg":"ES256"})"),
        std::string(R"({"alg":"ES256","kid":"key-ES256"} )"),
        std::string(R"( {"alg":"ES256","kid":"key-ES256"})"),
        std::string(R"({"alg":"ES256","kid":"key-ES256"}{})"),
        std::string("{\"alg\":\"ES256\",\"kid\":\"key-ES256\",\"x\":\"\xff\"}"),
        std::string(R"({"alg":"ES256","kid":"key-ES256","typ":"JWT",})")}) {
    ExpectRefused(WithHeader(header), Reason::kBadHeader);
  }
}

TEST_F(VerifierTest, HeaderMembersOutsideTheAllowListAreRefused) {
  for (const char* member :
       {"crit", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "cty", "zip",
        "enc", "b64", "foo", "ALG", "Kid"}) {
    nlohmann::json header =
        GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256));
    header[member] = "x";

    ExpectRefused(Token(Algorithm::kEs256, header, GoodClaims()),
                  Reason::kHeaderMember);
  }
}

TEST_F(VerifierTest, TypOtherThanJwtIsRefused) {
  for (const nlohmann::json& type :
       {nlohmann::json("jwt"), nlohmann::json("JWS"), nlohmann::json("at+jwt"),
        nlohmann::json(""), nlohmann::json(1), nlohmann::json(nullptr)}) {
    nlohmann::json header =
        GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256));
    header["typ"] = type;

    ExpectRefused(Token(Algorithm::kEs256, header, GoodClaims()),
                  Reason::kBadType);
  }
}

TEST_F(VerifierTest, TypMayBeAbsent) {
  nlohmann::json header =
      GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256));
  header.erase("typ");

  EXPECT_TRUE(
      verifier_->Verify(Token(Algorithm::kEs256, header, GoodClaims())).ok());
}

TEST_F(VerifierTest, BadKeyIdsAreRefusedBeforeLookup) {
  for (const nlohmann::json& kid :
       {nlohmann::json(nullptr), nlohmann::json(""), nlohmann::json(7),
        nlohmann::json::array({"key-ES256"}),
        nlohmann::json(std::string(kMaxKeyIdSize + 1, 'a')),
        nlohmann::json("key ES256"), nlohmann::json("key/ES256"),
        nlohmann::json("key'; DROP TABLE keys;--"),
        nlohmann::json("key\xc3\xa9"), nlohmann::json(std::string("k\0y", 3)),
        nlohmann::json("../key")}) {
    nlohmann::json header = GoodHeader(Algorithm::kEs256);
    header["kid"] = kid;
    if (kid.is_null()) header.erase("kid");

    ExpectRefused(Token(Algorithm::kEs256, header, GoodClaims()),
                  Reason::kBadKeyId);
  }
}

TEST_F(VerifierTest, UnsupportedAlgorithmsAreRefusedWhateverTheKey) {
  for (const nlohmann::json& alg :
       {nlohmann::json("none"), nlohmann::json("None"), nlohmann::json("NONE"),
        nlohmann::json("HS256"), nlohmann::json("HS384"),
        nlohmann::json("HS512"), nlohmann::json("es256"),
        nlohmann::json("rs256"), nlohmann::json("EDDSA"),
        nlohmann::json("Ed25519"), nlohmann::json("ES512"),
        nlohmann::json("PS256"), nlohmann::json("RS512"), nlohmann::json(""),
        nlohmann::json(256), nlohmann::json(nullptr)}) {
    for (Algorithm algorithm : kAllAlgorithms) {
      nlohmann::json header = GoodHeader(algorithm, KeyIdFor(algorithm));
      header["alg"] = alg;
      if (alg.is_null()) header.erase("alg");

      ExpectRefused(Token(algorithm, header, GoodClaims()),
                    Reason::kBadAlgorithm);
    }
  }
}

TEST_F(VerifierTest, AlgNoneWithEmptySignatureIsRefused) {
  std::string unsigned_token =
      absl::StrCat(Base64UrlEncode(R"({"alg":"none","kid":"key-RS256"})"), ".",
                   Base64UrlEncode(GoodClaims().dump()), ".");

  ExpectRefused(unsigned_token, Reason::kTokenMalformed);
  ExpectRefused(unsigned_token + "AA", Reason::kBadAlgorithm);
}

TEST_F(VerifierTest, AlgorithmOtherThanTheKeysIsRefused) {
  for (Algorithm key_algorithm : kAllAlgorithms) {
    for (Algorithm header_algorithm : kAllAlgorithms) {
      if (key_algorithm == header_algorithm) continue;
      // Signed correctly with the header's algorithm, by a key that the kid
      // does not name.
      std::string token = Token(
          header_algorithm,
          GoodHeader(header_algorithm, KeyIdFor(key_algorithm)), GoodClaims());

      ExpectRefused(token, Reason::kAlgorithmMismatch);
    }
  }
}

TEST_F(VerifierTest, UnknownAndUnusableKeysAreRefused) {
  nlohmann::json header = GoodHeader(Algorithm::kEs256, "no-such-key");
  ExpectRefused(Token(Algorithm::kEs256, header, GoodClaims()),
                Reason::kUnknownKey);

  KeyRecord disabled = Record("disabled", Algorithm::kEs256);
  disabled.key_disabled = true;
  KeyRecord account_off = Record("account-off", Algorithm::kEs256);
  account_off.account_disabled = true;
  KeyRecord early = Record("early", Algorithm::kEs256);
  early.validity.not_before = kTestNow + absl::Seconds(1);
  KeyRecord late = Record("late", Algorithm::kEs256);
  late.validity.not_after = kTestNow;
  for (const auto& [record, reason] : std::vector<std::pair<KeyRecord, Reason>>{
           {disabled, Reason::kKeyDisabled},
           {account_off, Reason::kAccountDisabled},
           {early, Reason::kKeyNotYetValid},
           {late, Reason::kKeyExpired}}) {
    keys_->Put(record);
    ExpectRefused(
        Token(Algorithm::kEs256, GoodHeader(Algorithm::kEs256, record.key_id),
              GoodClaims()),
        reason);
  }
}

TEST_F(VerifierTest, KeySourceThatCannotAnswerIsUnavailable) {
  verifier_ = MakeVerifier(std::make_shared<UnreachableKeySource>());

  ExpectRefused(GoodToken(Algorithm::kEs256), Reason::kKeySourceUnavailable);
}

TEST_F(VerifierTest, SignatureIsOverTheReceivedBytes) {
  std::string good = GoodToken(Algorithm::kEs256);
  std::string signature = good.substr(good.rfind('.'));
  // The same header and claims, written differently, with the old signature.
  std::string reformatted_header =
      Base64UrlEncode(R"({"alg": "ES256", "kid": "key-ES256", "typ": "JWT"})");
  std::string reordered_claims =
      Base64UrlEncode(nlohmann::json(GoodClaims()).dump(1));
  std::string payload =
      good.substr(good.find('.'), good.rfind('.') - good.find('.'));

  ExpectRefused(reformatted_header + payload + signature,
                Reason::kBadSignature);
  ExpectRefused(
      good.substr(0, good.find('.')) + "." + reordered_claims + signature,
      Reason::kBadSignature);
}

TEST_F(VerifierTest, ChangedCharactersOfTheSignatureAreRefused) {
  for (Algorithm algorithm : kAllAlgorithms) {
    std::string good = GoodToken(algorithm);
    size_t start = good.rfind('.') + 1;
    // The last character is skipped: changing it may only set unused bits.
    for (size_t i = start; i + 1 < good.size(); ++i) {
      std::string changed = good;
      changed[i] = changed[i] == 'A' ? 'B' : 'A';
      absl::StatusOr<VerifiedToken> verified = verifier_->Verify(changed);
      ASSERT_FALSE(verified.ok()) << i;
      ASSERT_EQ(ReasonOf(verified.status()), Reason::kBadSignature) << i;
    }
  }
}

TEST_F(VerifierTest, AnotherAccountsKeyNeverAuthenticatesThisAccount) {
  // Signed with the other account's key, claiming to be this account.
  std::string token =
      Token(Algorithm::kEs256,
            GoodHeader(Algorithm::kEs256, "other-account-key"), GoodClaims());

  ExpectRefused(token, Reason::kWrongIssuer);
}

TEST_F(VerifierTest, IssuerAndSubjectMustBeTheKeysAccount) {
  for (const auto& [iss, sub] :
       std::vector<std::pair<std::string, std::string>>{
           {kAccount, kOtherAccount},
           {kOtherAccount, kAccount},
           {kOtherAccount, kOtherAccount},
           {"ROBOT@signet.test", "ROBOT@signet.test"},
           {"robot@signet.test ", "robot@signet.test "},
           {"", ""}}) {
    nlohmann::json claims = GoodClaims();
    claims["iss"] = iss;
    claims["sub"] = sub;

    ExpectRefused(
        Token(Algorithm::kEs256,
              GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256)),
              claims),
        Reason::kWrongIssuer);
  }
}

TEST_F(VerifierTest, RequiredClaimsOfTheWrongTypeOrMissingAreRefused) {
  std::vector<std::pair<std::string, nlohmann::json>> cases = {
      {"iss", nullptr},
      {"iss", 5},
      {"sub", nullptr},
      {"sub", nlohmann::json::array({kAccount})},
      {"aud", nullptr},
      {"aud", 1},
      {"aud", nlohmann::json::array()},
      {"aud", nlohmann::json::array({"https://svc.test/", 1})},
      {"aud", nlohmann::json::object()},
      {"exp", nullptr},
      {"iat", nullptr},
      {"jti", 5},
  };
  for (const char* time : {"exp", "iat", "nbf"}) {
    for (const nlohmann::json& value :
         {nlohmann::json(1767226200.0), nlohmann::json(1767226200.5),
          nlohmann::json("1767226200"), nlohmann::json(-1),
          nlohmann::json(true), nlohmann::json(253402300800),
          nlohmann::json(18446744073709551615u),
          nlohmann::json::array({1767226200})}) {
      cases.emplace_back(time, value);
    }
  }
  for (const auto& [name, value] : cases) {
    SCOPED_TRACE(name + "=" + value.dump());
    ExpectRefused(WithClaim(name, value), Reason::kBadClaimType);
  }
}

TEST_F(VerifierTest, ExponentAndFractionSpellingsOfTimesAreRefused) {
  nlohmann::json claims = GoodClaims();
  std::string text = claims.dump();
  std::string exp = std::to_string(claims["exp"].get<int64_t>());
  for (const std::string& spelling :
       {exp + ".0", exp.substr(0, 1) + "." + exp.substr(1) + "e9", exp + "e0",
        std::string("1.7672262E9")}) {
    std::string changed = text;
    changed.replace(changed.find(exp), exp.size(), spelling);

    ExpectRefused(
        Token(Algorithm::kEs256,
              GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256)).dump(),
              changed),
        Reason::kBadClaimType);
  }
}

TEST_F(VerifierTest, MalformedClaimsAreRefused) {
  nlohmann::json header =
      GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256));
  std::string good = GoodClaims().dump();
  for (const std::string& claims :
       {std::string("not json"), std::string("[]"), good + " ",
        good.substr(0, good.size() - 1) + R"(,"exp":1})",
        good.substr(0, good.size() - 1) + R"(,"x":"\ud800"})"}) {
    ExpectRefused(Token(Algorithm::kEs256, header.dump(), claims),
                  Reason::kBadClaims);
  }
}

TEST_F(VerifierTest, AudienceMustMatchExactly) {
  for (const nlohmann::json& aud :
       {nlohmann::json("https://svc.test"), nlohmann::json("https://SVC.test/"),
        nlohmann::json("https://svc.test/x"), nlohmann::json("svc.test"),
        nlohmann::json(""), nlohmann::json::array({"https://other.test/"})}) {
    ExpectRefused(WithClaim("aud", aud), Reason::kWrongAudience);
  }
  for (const nlohmann::json& aud :
       {nlohmann::json("https://alt.test/"),
        nlohmann::json::array({"https://other.test/", "https://alt.test/"})}) {
    absl::StatusOr<VerifiedToken> verified =
        verifier_->Verify(WithClaim("aud", aud));
    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->audience(), "https://alt.test/");
  }
}

TEST_F(VerifierTest, TimesAreCheckedWithLeeway) {
  int64_t now = absl::ToUnixSeconds(kTestNow);
  struct Case {
    int64_t iat, exp;
    std::optional<int64_t> nbf;
    std::optional<Reason> reason;  // nullopt: accepted
  } cases[] = {
      {now - 600, now - 60, {}, Reason::kExpired},  // now == exp + leeway
      {now - 600, now - 59, {}, std::nullopt},      // within leeway
      {now - 3600, now - 3000, {}, Reason::kExpired},
      {now + 61, now + 600, {}, Reason::kIssuedInFuture},
      {now + 60, now + 600, {}, std::nullopt},
      {now, now + 600, now + 61, Reason::kNotYetValid},
      {now, now + 600, now + 60, std::nullopt},
      {now, now + 3601, {}, Reason::kLifetimeTooLong},
      {now, now + 3600, {}, std::nullopt},
      {now, now, {}, Reason::kBadLifetime},
      {now + 10, now + 5, {}, Reason::kBadLifetime},
  };
  for (const Case& c : cases) {
    nlohmann::json claims = GoodClaims();
    claims["iat"] = c.iat;
    claims["exp"] = c.exp;
    if (c.nbf) claims["nbf"] = *c.nbf;
    std::string token = Token(
        Algorithm::kEs256,
        GoodHeader(Algorithm::kEs256, KeyIdFor(Algorithm::kEs256)), claims);
    SCOPED_TRACE(claims.dump());

    if (c.reason.has_value()) {
      ExpectRefused(token, *c.reason);
    } else {
      EXPECT_TRUE(verifier_->Verify(token).ok());
    }
  }
}

TEST_F(VerifierTest, ATokenExpiresAsTheClockMoves) {
  std::string token = GoodToken(Algorithm::kEdDsa);
  ASSERT_TRUE(verifier_->Verify(token).ok());

  clock_.Advance(absl::Seconds(600 + 60));

  ExpectRefused(token, Reason::kExpired);
}

TEST_F(VerifierTest, OptionsOutOfRangeAreRefused) {
  auto create = [&](VerifierOptions options) {
    options.clock = &clock_;
    return Verifier::Create(options, keys_).status().code();
  };
  VerifierOptions no_audience;
  EXPECT_EQ(create(no_audience), absl::StatusCode::kInvalidArgument);
  VerifierOptions big_leeway{{"a"}, absl::Seconds(301)};
  EXPECT_EQ(create(big_leeway), absl::StatusCode::kInvalidArgument);
  VerifierOptions long_life{{"a"}, absl::Seconds(60), absl::Seconds(3601)};
  EXPECT_EQ(create(long_life), absl::StatusCode::kInvalidArgument);
  VerifierOptions shorter{{"a"}, absl::Seconds(0), absl::Seconds(300)};
  EXPECT_EQ(create(shorter), absl::StatusCode::kOk);
}

TEST_F(VerifierTest, ShorterConfiguredLifetimeIsEnforced) {
  VerifierOptions options{
      {"https://svc.test/"}, absl::Seconds(60), absl::Seconds(300)};
  options.clock = &clock_;
  verifier_ = *Verifier::Create(options, keys_);

  ExpectRefused(GoodToken(Algorithm::kEs256), Reason::kLifetimeTooLong);
}

}  // namespace
}  // namespace signet::jwt
