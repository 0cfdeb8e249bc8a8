#include "jwt/base64url.h"

#include <array>
#include <cstdint>

namespace signet::jwt {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr uint8_t kInvalid = 0xff;

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) {
    table[static_cast<uint8_t>(kAlphabet[i])] = i;
  }
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

std::string Base64UrlEncode(absl::string_view data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t group = static_cast<uint8_t>(data[i]) << 16 |
                     static_cast<uint8_t>(data[i + 1]) << 8 |
                     static_cast<uint8_t>(data[i + 2]);
    out += kAlphabet[group >> 18];
    out += kAlphabet[(group >> 12) & 63];
    out += kAlphabet[(group >> 6) & 63];
    out += kAlphabet[group & 63];
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t group = static_cast<uint8_t>(data[i]) << 16;
    out += kAlphabet[group >> 18];
    out += kAlphabet[(group >> 12) & 63];
  } else if (rest == 2) {
    uint32_t group = static_cast<uint8_t>(data[i]) << 16 |
                     static_cast<uint8_t>(data[i + 1]) << 8;
    out += kAlphabet[group >> 18];
    out += kAlphabet[(group >> 12) & 63];
    out += kAlphabet[(group >> 6) & 63];
  }
  return out;
}

std::optional<std::string> Base64UrlDecode(absl::string_view text) {
  // A single leftover character carries only 6 bits: not a whole byte.
  if (text.size() % 4 == 1) return std::nullopt;

  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0;
  int bit_count = 0;
  for (char c : text) {
    uint8_t value = kDecode[static_cast<uint8_t>(c)];
    if (value == kInvalid) return std::nullopt;
    bits = (bits << 6) | value;
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out += static_cast<char>((bits >> bit_count) & 0xff);
    }
  }

  // The bits left over must be zero, or one byte string would have several
  // spellings (and one signature several valid tokens).
  if ((bits & ((1u << bit_count) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace signet::jwt
