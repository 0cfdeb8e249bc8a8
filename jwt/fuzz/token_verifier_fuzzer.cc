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

std::unique_ptr<Verifier> MakeVerifier() {
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
  return *Verifier::Create(options, keys);
}

}  // namespace
}  // namespace signet::jwt

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const signet::jwt::Verifier* verifier =
      signet::jwt::MakeVerifier().release();
  std::string token(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<signet::jwt::VerifiedToken> verified = verifier->Verify(token);

  // The fuzzer cannot forge a signature: every input must be refused, with
  // a machine-readable reason.
  if (verified.ok() || !signet::jwt::ReasonOf(verified.status()).has_value()) {
    abort();
  }
  return 0;
}
