#include "jwt/strict_json.h"

#include <string>

#include "gtest/gtest.h"

namespace signet::jwt {
namespace {

TEST(StrictJson, ParsesAnObject) {
  absl::StatusOr<nlohmann::json> parsed =
      ParseStrictJsonObject(R"({"a":1,"b":[true,null,"x"],"c":{"d":2.5}})");

  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ((*parsed)["a"], 1);
  EXPECT_EQ((*parsed)["c"]["d"], 2.5);
}

TEST(StrictJson, DuplicateNamesAreRejectedAtAnyDepth) {
  for (const char* text :
       {R"({"a":1,"a":1})", R"({"a":1,"b":2,"a":3})", R"({"x":{"a":1,"a":2}})",
        R"({"x":[{"a":1,"a":2}]})", R"({"a":1,"\u0061":2})"}) {
    EXPECT_EQ(ParseStrictJsonObject(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(StrictJson, SameNameInSiblingObjectsIsFine) {
  EXPECT_TRUE(ParseStrictJsonObject(R"({"x":{"a":1},"y":{"a":2}})").ok());
}

TEST(StrictJson, InvalidUtf8IsRejected) {
  for (const std::string& text :
       {std::string("{\"a\":\"\xff\"}"), std::string("{\"a\":\"\xc3\"}"),
        std::string("{\"a\":\"\xed\xa0\x80\"}"),  // an encoded surrogate
        std::string("{\"a\":\"\xc0\xaf\"}"),      // overlong
        std::string("{\"\xfe\":1}"), std::string(R"({"a":"\ud800"})"),
        std::string(R"({"a":"\udc00x"})")}) {
    EXPECT_EQ(ParseStrictJsonObject(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(StrictJson, ValidUtf8AndEscapesPass) {
  EXPECT_TRUE(
      ParseStrictJsonObject("{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}")
          .ok());
  EXPECT_TRUE(ParseStrictJsonObject(R"({"a":"\ud83d\ude00\n\u00e9"})").ok());
}

TEST(StrictJson, AnythingAroundTheObjectIsRejected) {
  for (const std::string& text :
       {std::string(R"({"a":1} )"), std::string(R"( {"a":1})"),
        std::string("{\"a\":1}\n"), std::string(R"({"a":1}{})"),
        std::string(R"({"a":1}x)"), std::string(R"({"a":1},)"),
        std::string("{\"a\":1}\0", 8)}) {
    EXPECT_FALSE(ParseStrictJsonObject(text).ok()) << text;
  }
}

TEST(StrictJson, NonObjectsAndMalformedTextAreRejected) {
  for (const char* text :
       {"", "[]", "1", "\"x\"", "null", "{", "}", R"({"a":})", R"({"a" 1})",
        R"({a:1})", R"({'a':1})", R"({"a":1,})", R"({"a":01})", R"({"a":NaN})",
        R"({"a":1 /* c */})", R"({"a":"x
"})"}) {
    EXPECT_FALSE(ParseStrictJsonObject(text).ok()) << text;
  }
}

TEST(StrictJson, DepthIsBounded) {
  std::string deep_ok = "{\"a\":";
  for (int i = 0; i < kMaxJsonDepth - 2; ++i) deep_ok += "[";
  deep_ok += "1";
  for (int i = 0; i < kMaxJsonDepth - 2; ++i) deep_ok += "]";
  deep_ok += "}";
  EXPECT_TRUE(ParseStrictJsonObject(deep_ok).ok());

  for (int depth : {kMaxJsonDepth + 1, 100, 100000}) {
    std::string deep = "{\"a\":";
    for (int i = 0; i < depth; ++i) deep += "[";
    for (int i = 0; i < depth; ++i) deep += "]";
    deep += "}";
    EXPECT_EQ(ParseStrictJsonObject(deep).status().code(),
              absl::StatusCode::kInvalidArgument)
        << depth;
  }
}

}  // namespace
}  // namespace signet::jwt
