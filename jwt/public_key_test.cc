#include "jwt/public_key.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "jwt/base64url.h"
#include "jwt/key_import.h"
#include "jwt/pem.h"
#include "jwt/private_key.h"
#include "jwt/test_util.h"

namespace signet::jwt {
namespace {

using testing::kAllAlgorithms;
using testing::ReadTestData;
using testing::TestKey;

void ExpectInvalid(const absl::StatusOr<ImportedPublicKey>& imported,
                   absl::string_view message_part) {
  EXPECT_EQ(imported.status().code(), absl::StatusCode::kInvalidArgument)
      << imported.status();
  EXPECT_TRUE(absl::StrContains(imported.status().message(), message_part))
      << imported.status() << " should mention " << message_part;
}

TEST(PublicKey, RoundTripsThroughPemAndJwkWithOneFingerprint) {
  for (Algorithm algorithm : kAllAlgorithms) {
    SCOPED_TRACE(AlgorithmName(algorithm));
    const PublicKey& key = TestKey(algorithm).public_key();

    absl::StatusOr<ImportedPublicKey> from_pem = ImportPublicKey(key.ToPem());
    absl::StatusOr<ImportedPublicKey> from_jwk =
        ImportPublicKey(key.ToJwk("key-1").dump());
    absl::StatusOr<PublicKey> from_der = PublicKey::FromSpkiDer(key.spki_der());

    ASSERT_TRUE(from_pem.ok()) << from_pem.status();
    ASSERT_TRUE(from_jwk.ok()) << from_jwk.status();
    ASSERT_TRUE(from_der.ok()) << from_der.status();
    EXPECT_EQ(from_pem->format, KeyFormat::kPemPublicKey);
    EXPECT_EQ(from_jwk->format, KeyFormat::kJwk);
    EXPECT_EQ(from_jwk->key_id, "key-1");
    EXPECT_EQ(from_pem->key.algorithm(), algorithm);
    EXPECT_EQ(from_pem->key.Fingerprint(), key.Fingerprint());
    EXPECT_EQ(from_jwk->key.Fingerprint(), key.Fingerprint());
    EXPECT_EQ(from_der->Fingerprint(), key.Fingerprint());
    EXPECT_EQ(key.Fingerprint().size(), 32u);
  }
}

TEST(PublicKey, DifferentKeysHaveDifferentFingerprints) {
  for (Algorithm algorithm : kAllAlgorithms) {
    EXPECT_NE(TestKey(algorithm).public_key().Fingerprint(),
              testing::OtherTestKey(algorithm).public_key().Fingerprint());
  }
}

TEST(PublicKey, JwkExportCarriesKidAlgAndUse) {
  for (Algorithm algorithm : kAllAlgorithms) {
    nlohmann::json jwk = TestKey(algorithm).public_key().ToJwk("abc");

    EXPECT_EQ(jwk["kid"], "abc");
    EXPECT_EQ(jwk["alg"], std::string(AlgorithmName(algorithm)));
    EXPECT_EQ(jwk["use"], "sig");
    EXPECT_FALSE(jwk.contains("d"));
  }
}

TEST(PublicKey, JwksRoundTripsEveryKey) {
  std::vector<std::pair<std::string, PublicKey>> keys;
  for (Algorithm algorithm : kAllAlgorithms) {
    keys.emplace_back(std::string(AlgorithmName(algorithm)),
                      TestKey(algorithm).public_key());
  }

  absl::StatusOr<std::vector<ImportedPublicKey>> imported =
      ImportJwks(ExportJwks(keys));

  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ((*imported)[i].key_id, keys[i].first);
    EXPECT_EQ((*imported)[i].key.Fingerprint(), keys[i].second.Fingerprint());
  }
}

TEST(KeyImport, CertificateGivesItsValidityWindow) {
  absl::StatusOr<ImportedPublicKey> imported =
      ImportPublicKey(ReadTestData("p256_certificate.pem"));
  absl::StatusOr<ImportedPublicKey> same_key =
      ImportPublicKey(ReadTestData("p256_certificate_public.pem"));

  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_TRUE(same_key.ok()) << same_key.status();
  EXPECT_EQ(imported->format, KeyFormat::kPemCertificate);
  EXPECT_EQ(imported->key.algorithm(), Algorithm::kEs256);
  EXPECT_EQ(imported->key.Fingerprint(), same_key->key.Fingerprint());
  // openssl x509 -dates: Dec 4 16:35:12 2026 GMT to Dec 1 16:35:12 2036 GMT.
  EXPECT_EQ(imported->validity.not_before, absl::FromUnixSeconds(1796402112));
  EXPECT_EQ(imported->validity.not_after, absl::FromUnixSeconds(2111762112));
}

TEST(KeyImport, KeysOutsideThePolicyAreRejectedWithTheReason) {
  ExpectInvalid(ImportPublicKey(ReadTestData("rsa1024_public.pem")),
                "RSA key is 1024 bits; signet accepts 2048 to 4096");
  ExpectInvalid(ImportPublicKey(ReadTestData("rsa4608_public.pem")),
                "RSA key is 4608 bits");
  ExpectInvalid(ImportPublicKey(ReadTestData("rsa2048_exponent3_public.pem")),
                "exponent is not 65537");
  ExpectInvalid(ImportPublicKey(ReadTestData("rsa1024_certificate.pem")),
                "RSA key is 1024 bits");
  for (const char* name :
       {"p384_public.pem", "secp256k1_public.pem", "ed448_public.pem",
        "x25519_public.pem", "dsa_public.pem", "rsa_pss_public.pem"}) {
    SCOPED_TRACE(name);
    ExpectInvalid(ImportPublicKey(ReadTestData(name)), "");
  }
}

TEST(KeyImport, PrivateKeysAreRejected) {
  for (const char* name : {"rsa2048_pkcs8.pem", "rsa2048_pkcs1.pem",
                           "p256_sec1.pem", "rsa2048_encrypted.pem"}) {
    SCOPED_TRACE(name);
    ExpectInvalid(ImportPublicKey(ReadTestData(name)), "private key");
  }
  for (Algorithm algorithm : kAllAlgorithms) {
    ExpectInvalid(ImportPublicKey(TestKey(algorithm).ToPkcs8Pem()),
                  "private key");
  }
}

TEST(KeyImport, TrailingAndLeadingBytesAreRejected) {
  std::string pem = TestKey(Algorithm::kEs256).public_key().ToPem();
  EXPECT_TRUE(ImportPublicKey(pem + "\n\n").ok());
  ExpectInvalid(ImportPublicKey(pem + "x"), "after the PEM block");
  ExpectInvalid(ImportPublicKey(pem + pem), "after the PEM block");
  ExpectInvalid(ImportPublicKey("comment\n" + pem), "not a PEM");
  std::string jwk = TestKey(Algorithm::kEs256).public_key().ToJwk("k").dump();
  ExpectInvalid(ImportPublicKey(jwk + "x"), "JWK");
  ExpectInvalid(ImportPublicKey(jwk + jwk), "JWK");
}

TEST(KeyImport, TrailingDerBytesAreRejected) {
  std::string der = TestKey(Algorithm::kEdDsa).public_key().spki_der();

  EXPECT_EQ(PublicKey::FromSpkiDer(der + std::string(1, '\0')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      PublicKey::FromSpkiDer(der.substr(0, der.size() - 1)).status().code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(KeyImport, GarbageIsRejected) {
  for (const std::string& text :
       {std::string(""), std::string("hello"), std::string("{}"),
        std::string("[]"), std::string("-----BEGIN PUBLIC KEY-----\n"),
        std::string(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
        std::string(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
        std::string("-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n"),
        std::string("\x30\x82\x01\x22", 4)}) {
    EXPECT_EQ(ImportPublicKey(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(KeyImport, PemWithLiteralBackslashNIsNamed) {
  std::string pem = TestKey(Algorithm::kRs256).public_key().ToPem();
  std::string escaped = absl::StrReplaceAll(pem, {{"\n", "\\n"}});

  ExpectInvalid(ImportPublicKey(escaped), "literal \\n");
}

TEST(KeyImport, JwkThatIsNotForSigningOrNotPublicIsRejected) {
  nlohmann::json jwk = TestKey(Algorithm::kEs256).public_key().ToJwk("k");
  struct Case {
    const char* member;
    nlohmann::json value;
    const char* message;
  } cases[] = {
      {"d", "AAAA", "private member \"d\""},
      {"use", "enc", "\"use\" is not \"sig\""},
      {"key_ops", nlohmann::json::array({"encrypt"}), "key_ops"},
      {"key_ops", "verify", "key_ops"},
      {"alg", "RS256", "\"alg\" does not fit"},
      {"alg", "ES512", "\"alg\" does not fit"},
      {"alg", "none", "\"alg\" does not fit"},
      {"crv", "P-384", "P-256 only"},
      {"kty", "oct", "key type \"oct\""},
      {"kty", "RSA", "\"n\""},
      {"x", "AAAA", "not 32 bytes"},
      {"x", "not base64!", "not strict base64url"},
      {"x", 5, "not a string"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.member);
    nlohmann::json bad = jwk;
    bad[c.member] = c.value;
    ExpectInvalid(ImportPublicKey(bad.dump()), c.message);
  }
}

TEST(KeyImport, EcPointOffTheCurveIsRejected) {
  nlohmann::json jwk = TestKey(Algorithm::kEs256).public_key().ToJwk("k");
  std::string y = *Base64UrlDecode(jwk["y"].get<std::string>());
  y[31] ^= 1;
  jwk["y"] = Base64UrlEncode(y);

  ExpectInvalid(ImportPublicKey(jwk.dump()), "not on P-256");
}

TEST(KeyImport, RsaJwkWithLeadingZeroOrWrongExponentIsRejected) {
  nlohmann::json jwk = TestKey(Algorithm::kRs256).public_key().ToJwk("k");
  std::string n = *Base64UrlDecode(jwk["n"].get<std::string>());

  nlohmann::json padded = jwk;
  padded["n"] = Base64UrlEncode(std::string(1, '\0') + n);
  ExpectInvalid(ImportPublicKey(padded.dump()), "leading zero");

  for (const char* exponent : {"Aw", "AQ", "AQAA", "AAEAAQ"}) {
    nlohmann::json other = jwk;
    other["e"] = exponent;
    EXPECT_FALSE(ImportPublicKey(other.dump()).ok()) << exponent;
  }
}

TEST(KeyImport, Ed25519JwkOfWrongLengthIsRejected) {
  nlohmann::json jwk = TestKey(Algorithm::kEdDsa).public_key().ToJwk("k");
  for (int length : {0, 31, 33, 57}) {
    jwk["x"] = Base64UrlEncode(std::string(length, 'a'));
    EXPECT_FALSE(ImportPublicKey(jwk.dump()).ok()) << length;
  }
}

TEST(KeyImport, JwksWithSeveralKeysIsRefusedForOneUpload) {
  nlohmann::json jwks = {
      {"keys",
       {TestKey(Algorithm::kEs256).public_key().ToJwk("a"),
        TestKey(Algorithm::kEdDsa).public_key().ToJwk("b")}}};
  nlohmann::json one = {
      {"keys", {TestKey(Algorithm::kEdDsa).public_key().ToJwk("b")}}};

  ExpectInvalid(ImportPublicKey(jwks.dump()), "holds 2 keys");
  EXPECT_TRUE(ImportPublicKey(one.dump()).ok());
}

TEST(KeyImport, JwksNamesTheBadKey) {
  nlohmann::json bad = TestKey(Algorithm::kEs256).public_key().ToJwk("b");
  bad["crv"] = "P-521";
  nlohmann::json jwks = {
      {"keys", {TestKey(Algorithm::kEdDsa).public_key().ToJwk("a"), bad}}};

  absl::StatusOr<std::vector<ImportedPublicKey>> imported =
      ImportJwks(jwks.dump());

  EXPECT_EQ(imported.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(imported.status().message(), "JWKS key 1"));
}

TEST(KeyPolicy, RocaFingerprintIsRejected) {
  // A modulus that is a power of 65537 modulo every small prime: the shape
  // of a key made by Infineon's RSALib (CVE-2017-15361). 65537^k mod M for
  // the primorial M, lifted to 2048 bits by adding multiples of M.
  UniqueBignum primorial(BN_new());
  BN_one(primorial.get());
  for (BN_ULONG prime :
       {3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,
        47,  53,  59,  61,  67,  71,  73,  79,  83,  89,  97,  101, 103,
        107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167}) {
    BN_mul_word(primorial.get(), prime);
  }
  UniqueBignum modulus(BN_new());
  UniqueBignum generator(BN_new());
  UniqueBignum exponent(BN_new());
  OpenSslPtr<BN_CTX, BN_CTX_free> context(BN_CTX_new());
  BN_set_word(generator.get(), 65537);
  BN_set_word(exponent.get(), 977);
  BN_mod_exp(modulus.get(), generator.get(), exponent.get(), primorial.get(),
             context.get());
  UniqueBignum high(BN_new());
  BN_set_bit(high.get(), 2047);
  BN_div(high.get(), nullptr, high.get(), primorial.get(), context.get());
  BN_add_word(high.get(), 1);
  BN_mul(high.get(), high.get(), primorial.get(), context.get());
  BN_add(modulus.get(), modulus.get(), high.get());
  std::string n(BN_num_bytes(modulus.get()), '\0');
  BN_bn2bin(modulus.get(), reinterpret_cast<uint8_t*>(n.data()));
  nlohmann::json jwk = {
      {"kty", "RSA"}, {"n", Base64UrlEncode(n)}, {"e", "AQAB"}};

  ExpectInvalid(ImportPublicKey(jwk.dump()), "ROCA");
}

TEST(KeyPolicy, SmallOrderAndNonCanonicalEd25519KeysAreRejected) {
  auto key = [](std::string bytes) {
    return nlohmann::json({{"kty", "OKP"},
                           {"crv", "Ed25519"},
                           {"x", Base64UrlEncode(bytes)}})
        .dump();
  };
  std::string zero(32, '\0');
  std::string one = zero;
  one[0] = 1;
  std::string p_minus_1(32, '\xff');
  p_minus_1[0] = '\xec';
  p_minus_1[31] = '\x7f';
  std::string p = p_minus_1;
  p[0] = '\xed';
  std::string p_plus_1 = p_minus_1;
  p_plus_1[0] = '\xee';
  std::string order8 = absl::HexStringToBytes(
      "26e8958fc2b227b045c3f489f2ef98f0"
      "d5dfac05d3c63339b13802886d53fc05");
  std::string other_order8 = absl::HexStringToBytes(
      "c7176a703d4dd84fba3c0b760d10670f"
      "2a2053fa2c39ccc64ec7fd7792ac037a");
  for (std::string weak :
       {zero, one, p_minus_1, p, p_plus_1, order8, other_order8}) {
    ExpectInvalid(ImportPublicKey(key(weak)), "Ed25519 public key");
    weak[31] |= '\x80';  // the same point with the sign bit set
    ExpectInvalid(ImportPublicKey(key(weak)), "Ed25519 public key");
  }
}

TEST(KeyPolicy, ForgedSignatureUnderAnIdentityKeyNeverVerifies) {
  // With the identity as public key, R = identity and S = 0 "verify" for
  // every message; such a key must never be admitted.
  std::string identity(32, '\0');
  identity[0] = 1;
  UniqueEvpPkey raw(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr,
      reinterpret_cast<const uint8_t*>(identity.data()), identity.size()));
  ASSERT_NE(raw, nullptr);

  EXPECT_EQ(PublicKey::FromEvpPkey(std::move(raw)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(KeyPolicy, EverySpellingOfOneEcKeyHasOneFingerprint) {
  absl::StatusOr<ImportedPublicKey> named =
      ImportPublicKey(ReadTestData("p256_named_public.pem"));
  ASSERT_TRUE(named.ok()) << named.status();
  absl::StatusOr<ImportedPublicKey> jwk =
      ImportPublicKey(named->key.ToJwk("k").dump());
  ASSERT_TRUE(jwk.ok());
  EXPECT_EQ(jwk->key.Fingerprint(), named->key.Fingerprint());

  for (const char* name :
       {"p256_compressed_public.pem", "p256_hybrid_public.pem",
        "p256_explicit_public.pem"}) {
    SCOPED_TRACE(name);
    absl::StatusOr<ImportedPublicKey> other =
        ImportPublicKey(ReadTestData(name));
    // BoringSSL refuses hybrid and explicit encodings outright, which is
    // as good: no second fingerprint.
    if (!other.ok()) {
      EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
      continue;
    }
    EXPECT_EQ(other->key.Fingerprint(), named->key.Fingerprint());
    EXPECT_EQ(other->key.spki_der(), named->key.spki_der());
  }
}

TEST(KeyPolicy, EcPointAtInfinityIsInvalid) {
  std::string der = absl::HexStringToBytes(
      "3019301306072a8648ce3d020106082a8648ce3d03010703020000");

  EXPECT_EQ(PublicKey::FromSpkiDer(der).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(KeyImport, TextBeforeOrAfterThePemBlockIsRejected) {
  std::string pem = TestKey(Algorithm::kEs256).public_key().ToPem();
  std::string other = TestKey(Algorithm::kEdDsa).public_key().ToPem();
  for (const std::string& text :
       {"-----BEGIN garbage\nhello world\n" + pem,
        "-----BEGIN PUBLIC KEY-----\nnot base64\n" + pem,
        pem + std::string(64, '\n') + other,
        pem + std::string(100, ' ') + "garbage",
        pem + std::string(5000, '\n') + "x",
        pem + std::string(70, '\n') +
            TestKey(Algorithm::kEs256).ToPkcs8Pem()}) {
    EXPECT_EQ(ImportPublicKey(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text.substr(0, 40);
  }
}

TEST(PrivateKey, TrailingDerBytesAndWrongContentsAreRejected) {
  for (Algorithm algorithm : testing::kAllAlgorithms) {
    std::string pem = TestKey(algorithm).ToPkcs8Pem();
    absl::StatusOr<PemBlock> block = ReadSinglePemBlock(pem);
    ASSERT_TRUE(block.ok());
    std::string padded =
        "-----BEGIN PRIVATE KEY-----\n" +
        absl::Base64Escape(block->der + std::string("\0\0junk", 6)) +
        "\n-----END PRIVATE KEY-----\n";

    EXPECT_EQ(PrivateKey::FromPem(padded).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  // PKCS#1 DER under a PKCS#8 label.
  absl::StatusOr<PemBlock> pkcs1 =
      ReadSinglePemBlock(ReadTestData("rsa2048_pkcs1.pem"));
  ASSERT_TRUE(pkcs1.ok());
  std::string mislabelled = "-----BEGIN PRIVATE KEY-----\n" +
                            absl::Base64Escape(pkcs1->der) +
                            "\n-----END PRIVATE KEY-----\n";
  EXPECT_EQ(PrivateKey::FromPem(mislabelled).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string trailing = "-----BEGIN RSA PRIVATE KEY-----\n" +
                         absl::Base64Escape(pkcs1->der + "xx") +
                         "\n-----END RSA PRIVATE KEY-----\n";
  EXPECT_EQ(PrivateKey::FromPem(trailing).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(KeyImport, JwkKidMustBeAKeyId) {
  nlohmann::json jwk = TestKey(Algorithm::kEs256).public_key().ToJwk("k");
  for (const nlohmann::json& kid :
       {nlohmann::json(std::string(5000, '/')), nlohmann::json(5),
        nlohmann::json("a b"), nlohmann::json("")}) {
    jwk["kid"] = kid;
    EXPECT_EQ(ImportPublicKey(jwk.dump()).status().code(),
              absl::StatusCode::kInvalidArgument)
        << kid;
  }
}

}  // namespace
}  // namespace signet::jwt
