#include "jwt/base64url.h"

#include <string>

#include "gtest/gtest.h"

namespace signet::jwt {
namespace {

TEST(Base64Url, RoundTripsEveryLengthAndByte) {
  std::string data;
  for (int length = 0; length < 300; ++length) {
    std::string encoded = Base64UrlEncode(data);

    std::optional<std::string> decoded = Base64UrlDecode(encoded);

    ASSERT_TRUE(decoded.has_value()) << encoded;
    EXPECT_EQ(*decoded, data);
    EXPECT_EQ(encoded.find('='), std::string::npos);
    data += static_cast<char>(length * 7 + 3);
  }
}

TEST(Base64Url, KnownVectorsOfRfc4648) {
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Base64Url, PaddingIsRejected) {
  for (const char* text : {"Zg==", "Zm8=", "Zg=", "=", "Zm9v===="}) {
    EXPECT_FALSE(Base64UrlDecode(text).has_value()) << text;
  }
}

TEST(Base64Url, StandardAlphabetAndOtherCharactersAreRejected) {
  for (const char* text :
       {"-_+/", "ab+c", "ab/c", "ab c", "ab\nc", "ab\tc", "ab.c",
        "ab\x80"
        "c",
        "a\0bc"}) {
    EXPECT_FALSE(Base64UrlDecode(std::string(text, 4)).has_value()) << text;
  }
}

TEST(Base64Url, LengthOneModFourIsRejected) {
  for (const char* text : {"A", "AAAAA", "Zm9vY"}) {
    EXPECT_FALSE(Base64UrlDecode(text).has_value()) << text;
  }
}

TEST(Base64Url, NonZeroUnusedBitsAreRejected) {
  // "Zg" is "f" and "Zm8" is "fo"; each spelling below carries the same
  // bytes with bits set that no byte uses.
  EXPECT_EQ(Base64UrlDecode("Zg"), std::string("f"));
  EXPECT_EQ(Base64UrlDecode("Zm8"), std::string("fo"));
  for (const char* text : {"Zh", "Zi", "Zv", "Z_", "Zm9", "Zm-", "Zm_"}) {
    EXPECT_FALSE(Base64UrlDecode(text).has_value()) << text;
  }
}

TEST(Base64Url, EmptyIsEmpty) { EXPECT_EQ(Base64UrlDecode(""), std::string()); }

}  // namespace
}  // namespace signet::jwt
