// Fuzzes the whole token path: parsing, header checks, key lookup, the
// signature of every algorithm, and the claims. Any input must end in a
// verified token or a refusal with a reason; never a crash, a leak, or a
// status without one.

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "base/clock.h"
#include "jwt/private_key.h"
#include "jwt/reason.h"
#include "jwt/verifier.h"

namespace signet::jwt {
namespace {

std::unique_ptr<Verifier> MakeVerifier(Padding padding) {
  auto keys = std::make_shared<InMemoryKeySource>();
  for (Algorithm algorithm :
       {Algorithm::kRs256, Algorithm::kEs256, Algorithm::kEdDsa}) {
    absl::StatusOr<PrivateKey> key = PrivateKey::Generate(algorithm);
    if (!key.ok()) abort();
    keys->Put(KeyRecord{std::string(AlgorithmName(algorithm)),
                        key->public_key(), "robot@signet.test"});
  }
  static FakeClock* clock = new FakeClock(absl::FromUnixSeconds(1767225600));
  VerifierOptions options;
  options.audiences = {"https://svc.test/"};
  options.clock = clock;
  options.padding = padding;
  return *Verifier::Create(options, keys);
}

}  // namespace
}  // namespace signet::jwt

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using signet::jwt::Padding;
  static const signet::jwt::Verifier* strict =
      signet::jwt::MakeVerifier(Padding::kRefused).release();
  static const signet::jwt::Verifier* padded =
      signet::jwt::MakeVerifier(Padding::kCanonicalAccepted).release();
  std::string token(reinterpret_cast<const char*>(data), size);

  // The fuzzer cannot forge a signature: every input must be refused by
  // both verifiers, with a machine-readable reason.
  for (const signet::jwt::Verifier* verifier : {strict, padded}) {
    absl::StatusOr<signet::jwt::VerifiedToken> verified =
        verifier->Verify(token);
    if (verified.ok() ||
        !signet::jwt::ReasonOf(verified.status()).has_value()) {
      abort();
    }
  }
  return 0;
}
