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
  size_t tail = text.size() % 4;
  if (tail == 1) return std::nullopt;

  // Sized once and filled by index: this runs on every token, twice.
  std::string out(text.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1), '\0');
  const uint8_t* in = reinterpret_cast<const uint8_t*>(text.data());
  char* write = out.data();
  size_t whole = text.size() - tail;
  for (size_t i = 0; i < whole; i += 4) {
    uint32_t a = kDecode[in[i]], b = kDecode[in[i + 1]];
    uint32_t c = kDecode[in[i + 2]], d = kDecode[in[i + 3]];
    if ((a | b | c | d) > 63) return std::nullopt;  // kInvalid is 0xff
    uint32_t group = a << 18 | b << 12 | c << 6 | d;
    *write++ = static_cast<char>(group >> 16);
    *write++ = static_cast<char>(group >> 8);
    *write++ = static_cast<char>(group);
  }
  if (tail == 0) return out;

  uint32_t a = kDecode[in[whole]], b = kDecode[in[whole + 1]];
  uint32_t c = tail == 3 ? kDecode[in[whole + 2]] : 0;
  if ((a | b | c) > 63) return std::nullopt;
  uint32_t group = a << 18 | b << 12 | c << 6;
  // The bits no byte uses must be zero, or one byte string would have
  // several spellings (and one signature several valid tokens).
  uint32_t unused = tail == 2 ? (group & 0xffff) : (group & 0xff);
  if (unused != 0) return std::nullopt;
  *write++ = static_cast<char>(group >> 16);
  if (tail == 3) *write++ = static_cast<char>(group >> 8);
  return out;
}

}  // namespace signet::jwt
