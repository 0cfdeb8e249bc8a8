#include "jwt/key_file.h"

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "jwt/test_util.h"

namespace signet::jwt {
namespace {

using testing::TestKey;

KeyFile GoodKeyFile(Algorithm algorithm = Algorithm::kRs256) {
  return KeyFile{"signet-test",
                 "0123456789abcdef0123456789abcdef",
                 TestKey(algorithm).ToPkcs8Pem(),
                 "robot@signet.test",
                 "112233445566778899",
                 "https://signet.test:8443/"};
}

void ExpectInvalidNaming(absl::string_view json, absl::string_view name) {
  absl::StatusOr<KeyFile> parsed = ParseKeyFile(json);
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(parsed.status().message(), name))
      << parsed.status() << " should name " << name;
}

TEST(KeyFile, RoundTripsForEveryAlgorithm) {
  for (Algorithm algorithm : testing::kAllAlgorithms) {
    KeyFile key_file = GoodKeyFile(algorithm);

    absl::StatusOr<KeyFile> parsed = ParseKeyFile(SerializeKeyFile(key_file));

    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->private_key, key_file.private_key);
    EXPECT_EQ(parsed->private_key_id, key_file.private_key_id);
    EXPECT_EQ(parsed->client_email, key_file.client_email);
    EXPECT_EQ(parsed->client_id, key_file.client_id);
    EXPECT_EQ(parsed->project_id, key_file.project_id);
    EXPECT_EQ(parsed->token_uri, key_file.token_uri);
  }
}

TEST(KeyFile, HasTheGoogleServiceAccountFields) {
  nlohmann::json file = nlohmann::json::parse(SerializeKeyFile(GoodKeyFile()));

  EXPECT_EQ(file["type"], "service_account");
  for (const char* field : {"project_id", "private_key_id", "private_key",
                            "client_email", "client_id", "token_uri"}) {
    EXPECT_TRUE(file[field].is_string()) << field;
  }
}

TEST(KeyFile, EachMissingOrWrongFieldIsNamed) {
  nlohmann::json good = nlohmann::json::parse(SerializeKeyFile(GoodKeyFile()));
  for (const char* field :
       {"type", "project_id", "private_key_id", "private_key", "client_email",
        "client_id", "token_uri"}) {
    nlohmann::json missing = good;
    missing.erase(field);
    ExpectInvalidNaming(missing.dump(), field);

    nlohmann::json empty = good;
    empty[field] = "";
    ExpectInvalidNaming(empty.dump(), field);

    nlohmann::json number = good;
    number[field] = 5;
    ExpectInvalidNaming(number.dump(), field);
  }
}

TEST(KeyFile, WrongTypeIsNamed) {
  nlohmann::json file = nlohmann::json::parse(SerializeKeyFile(GoodKeyFile()));
  file["type"] = "authorized_user";

  ExpectInvalidNaming(file.dump(), "\"type\" is \"authorized_user\"");
}

TEST(KeyFile, PemWithLiteralBackslashNIsNamed) {
  KeyFile key_file = GoodKeyFile();
  key_file.private_key =
      absl::StrReplaceAll(key_file.private_key, {{"\n", "\\n"}});

  ExpectInvalidNaming(SerializeKeyFile(key_file), "literal \\n");
}

TEST(KeyFile, PrivateKeyThatIsNotAKeyIsNamed) {
  KeyFile key_file = GoodKeyFile();
  key_file.private_key = TestKey(Algorithm::kRs256).public_key().ToPem();

  ExpectInvalidNaming(SerializeKeyFile(key_file), "\"private_key\"");
}

TEST(KeyFile, KeyIdAndEmailMustBeUsable) {
  KeyFile bad_id = GoodKeyFile();
  bad_id.private_key_id = "kid 1/../";
  ExpectInvalidNaming(SerializeKeyFile(bad_id), "\"private_key_id\"");
  for (const std::string& email :
       {std::string("no-at-sign"), std::string("@signet.test"),
        std::string("robot@"), std::string("a@b@c"),
        std::string("robot@signet.test\n"), std::string("ro bot@signet.test"),
        std::string("robot@signet.test\0evil", 22)}) {
    KeyFile bad_email = GoodKeyFile();
    bad_email.client_email = email;
    ExpectInvalidNaming(SerializeKeyFile(bad_email), "\"client_email\"");
  }
}

TEST(KeyFile, MalformedJsonIsRefused) {
  std::string good = SerializeKeyFile(GoodKeyFile());
  for (const std::string& text :
       {std::string(""), std::string("[]"), good.substr(0, good.size() / 2),
        good + "{}",
        std::string("{\"type\":\"service_account\","
                    "\"type\":\"service_account\"}")}) {
    ExpectInvalidNaming(text, "key file");
  }
}

TEST(KeyFile, ReadingNamesThePath) {
  absl::StatusOr<KeyFile> missing = ReadKeyFile("/nonexistent/key.json");
  EXPECT_TRUE(
      absl::StrContains(missing.status().message(), "/nonexistent/key.json"));

  std::string path = std::string(getenv("TEST_TMPDIR")) + "/key.json";
  std::ofstream(path) << SerializeKeyFile(GoodKeyFile());
  EXPECT_TRUE(ReadKeyFile(path).ok());
}

TEST(KeyFile, SignerSignsAsTheAccountAndKey) {
  absl::StatusOr<std::unique_ptr<Signer>> signer =
      SignerFromKeyFile(GoodKeyFile(Algorithm::kEdDsa));

  ASSERT_TRUE(signer.ok()) << signer.status();
  EXPECT_EQ((*signer)->account_email(), "robot@signet.test");
  EXPECT_EQ((*signer)->key_id(), "0123456789abcdef0123456789abcdef");
}

}  // namespace
}  // namespace signet::jwt
