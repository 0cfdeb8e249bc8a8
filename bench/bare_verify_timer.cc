#include "bench/bare_verify_timer.h"

#include <sched.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "jwt/base64url.h"
#include "jwt/openssl_util.h"

namespace signet::bench {
namespace {

// What EVP verifies for one token.
struct SignedBytes {
  std::string signing_input;
  std::string signature;  // DER for ES256, as EVP takes it
};

// ES256 signatures travel as r || s (32 bytes each); EVP takes DER.
absl::StatusOr<std::string> DerEcdsa(const std::string& raw) {
  if (raw.size() != 64) {
    return absl::InvalidArgumentError("an ES256 signature is not 64 bytes");
  }
  const auto* bytes = reinterpret_cast<const uint8_t*>(raw.data());
  jwt::UniqueEcdsaSig sig(ECDSA_SIG_new());
  ECDSA_SIG_set0(sig.get(), BN_bin2bn(bytes, 32, nullptr),
                 BN_bin2bn(bytes + 32, 32, nullptr));
  uint8_t* der = nullptr;
  int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) return absl::InternalError("i2d_ECDSA_SIG failed");
  std::string out(reinterpret_cast<char*>(der), length);
  OPENSSL_free(der);
  return out;
}

absl::StatusOr<SignedBytes> SignedBytesOf(jwt::Algorithm algorithm,
                                          absl::string_view token) {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  std::optional<std::string> signature =
      parts.size() == 3 ? jwt::Base64UrlDecode(parts[2]) : std::nullopt;
  if (!signature.has_value()) {
    return absl::InvalidArgumentError("a token is not a compact JWS");
  }
  SignedBytes bytes{absl::StrCat(parts[0], ".", parts[1]), *signature};
  if (algorithm == jwt::Algorithm::kEs256) {
    SIGNET_ASSIGN_OR_RETURN(bytes.signature, DerEcdsa(bytes.signature));
  }
  return bytes;
}

// One bare verification, context set up included, as BM_BareVerify does.
bool BareVerify(EVP_PKEY* key, const EVP_MD* digest, const SignedBytes& b) {
  jwt::UniqueEvpMdCtx context(EVP_MD_CTX_new());
  return EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key) ==
             1 &&
         EVP_DigestVerify(
             context.get(),
             reinterpret_cast<const uint8_t*>(b.signature.data()),
             b.signature.size(),
             reinterpret_cast<const uint8_t*>(b.signing_input.data()),
             b.signing_input.size()) == 1;
}

absl::Duration ThreadCpuTime() {
  timespec now;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return absl::DurationFromTimespec(now);
}

class BareVerifier {
 public:
  BareVerifier(jwt::Algorithm algorithm, EVP_PKEY* key,
               std::vector<SignedBytes> tokens)
      : key_(key),
        digest_(algorithm == jwt::Algorithm::kEdDsa ? nullptr : EVP_sha256()),
        tokens_(std::move(tokens)) {}

  // Verifies tokens on this thread, in batches, until `keep_going` says
  // stop; returns how many, or -1 when one failed. Asked once a batch,
  // since reading a thread's CPU clock is a system call.
  template <typename KeepGoing>
  int64_t VerifyWhile(KeepGoing keep_going) const {
    constexpr int kBatch = 16;
    int64_t count = 0;
    size_t next = 0;
    while (keep_going()) {
      for (int i = 0; i < kBatch; ++i, ++count) {
        if (!BareVerify(key_, digest_, tokens_[next])) return -1;
        next = (next + 1) % tokens_.size();
      }
    }
    return count;
  }

  absl::StatusOr<absl::Duration> OneCore(absl::Duration period) const {
    absl::Duration start = ThreadCpuTime();
    int64_t count =
        VerifyWhile([&] { return ThreadCpuTime() - start < period; });
    absl::Duration used = ThreadCpuTime() - start;
    if (count <= 0) return Failed();
    return used / count;
  }

  absl::StatusOr<absl::Duration> AllCores(int cores,
                                          absl::Duration period) const {
    std::atomic<bool> stop{false};
    std::vector<int64_t> counts(cores, 0);
    std::vector<std::thread> threads;
    absl::Time start = absl::Now();
    for (int i = 0; i < cores; ++i) {
      threads.emplace_back(
          [&, i] { counts[i] = VerifyWhile([&] { return !stop.load(); }); });
    }
    absl::SleepFor(period);
    stop = true;
    for (std::thread& thread : threads) thread.join();
    absl::Duration wall = absl::Now() - start;

    int64_t total = 0;
    for (int64_t count : counts) {
      if (count <= 0) return Failed();
      total += count;
    }
    return wall / total;
  }

 private:
  static absl::Status Failed() {
    return absl::InternalError(
        "a bare verification failed: the tokens do not match the key");
  }

  EVP_PKEY* key_;
  const EVP_MD* digest_;
  std::vector<SignedBytes> tokens_;
};

}  // namespace

int UsableCores() {
  cpu_set_t cpus;
  if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0) {
    return static_cast<int>(std::thread::hardware_concurrency());
  }
  return CPU_COUNT(&cpus);
}

absl::StatusOr<BareVerifyTiming> TimeBareVerify(
    jwt::Algorithm algorithm, const jwt::PublicKey& key,
    const std::vector<std::string>& tokens, absl::Duration period) {
  if (tokens.empty()) {
    return absl::InvalidArgumentError("no tokens to time verification with");
  }
  std::vector<SignedBytes> signed_bytes;
  for (const std::string& token : tokens) {
    SIGNET_ASSIGN_OR_RETURN(SignedBytes bytes, SignedBytesOf(algorithm, token));
    signed_bytes.push_back(std::move(bytes));
  }
  BareVerifier verifier(algorithm, key.evp_pkey(), std::move(signed_bytes));

  BareVerifyTiming timing;
  timing.cores = UsableCores();
  SIGNET_ASSIGN_OR_RETURN(timing.one_core, verifier.OneCore(period));
  constexpr int kSlices = 5;
  timing.all_cores = absl::InfiniteDuration();
  for (int i = 0; i < kSlices; ++i) {
    SIGNET_ASSIGN_OR_RETURN(absl::Duration slice,
                            verifier.AllCores(timing.cores, period / kSlices));
    timing.all_cores = std::min(timing.all_cores, slice);
  }
  return timing;
}

}  // namespace signet::bench
