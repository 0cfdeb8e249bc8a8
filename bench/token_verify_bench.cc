// Token verification in process: signet's verifier on tokens it has not
// seen, against the bare EVP_DigestVerify of the same bytes with an
// already-parsed key (the floor any verifier stands on), against libjwt and
// cpp-jwt on the same tokens, the client plugin's cost per call with a
// cached token, and the server-side verifier's cost for a token it verified
// before. Prints the ratios at the end.
//
//   bazel run -c opt //bench:token_verify_bench
//   bazel run -c opt //bench:token_verify_bench -- --benchmark_repetitions=5

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/jwt_peers.h"
#include "bench/ratio_reporter.h"
#include "benchmark/benchmark.h"
#include "client/call_credentials.h"
#include "client/empty_auth_context.h"
#include "jwt/base64url.h"
#include "jwt/key_file.h"
#include "jwt/openssl_util.h"
#include "jwt/signer.h"
#include "jwt/verifier.h"
#include "verifier/call_verifier.h"

namespace signet::bench {
namespace {

constexpr char kAccount[] = "robot@signet.test";
constexpr char kAudience[] = "https://svc.test/";
// Distinct tokens cycled through, so that nothing measured sees the same
// token twice in a row.
constexpr int kTokens = 512;

const jwt::Algorithm kAlgorithms[] = {
    jwt::Algorithm::kRs256, jwt::Algorithm::kEs256, jwt::Algorithm::kEdDsa};

// One algorithm's key, tokens, and what each verifier needs for them.
struct Corpus {
  jwt::PrivateKey key;
  std::string public_pem;
  std::vector<std::string> tokens;
  // For the bare baseline: the signed bytes and the signature as EVP takes
  // it (DER for ES256).
  std::vector<std::string> signing_inputs;
  std::vector<std::string> evp_signatures;
  std::shared_ptr<const jwt::Verifier> verifier;
};

std::string DerEcdsa(const std::string& raw) {
  jwt::UniqueEcdsaSig sig(ECDSA_SIG_new());
  ECDSA_SIG_set0(
      sig.get(),
      BN_bin2bn(reinterpret_cast<const uint8_t*>(raw.data()), 32, nullptr),
      BN_bin2bn(reinterpret_cast<const uint8_t*>(raw.data()) + 32, 32,
                nullptr));
  uint8_t* der = nullptr;
  int length = i2d_ECDSA_SIG(sig.get(), &der);
  std::string out(reinterpret_cast<char*>(der), length);
  OPENSSL_free(der);
  return out;
}

Corpus MakeCorpus(jwt::Algorithm algorithm) {
  Corpus corpus{*jwt::PrivateKey::Generate(algorithm)};
  corpus.public_pem = corpus.key.public_key().ToPem();
  auto signer = *jwt::Signer::Create(corpus.key, "bench-key", kAccount);
  for (int i = 0; i < kTokens; ++i) {
    // Each token names another audience of this verifier, so all differ.
    std::string token =
        signer->Sign(absl::StrCat(kAudience, i), absl::Minutes(30))->token;
    std::vector<std::string> parts = absl::StrSplit(token, '.');
    std::string signature = *jwt::Base64UrlDecode(parts[2]);
    corpus.signing_inputs.push_back(absl::StrCat(parts[0], ".", parts[1]));
    corpus.evp_signatures.push_back(
        algorithm == jwt::Algorithm::kEs256 ? DerEcdsa(signature) : signature);
    corpus.tokens.push_back(std::move(token));
  }

  auto keys = std::make_shared<jwt::InMemoryKeySource>();
  keys->Put(jwt::KeyRecord{"bench-key", corpus.key.public_key(), kAccount});
  jwt::VerifierOptions options;
  for (int i = 0; i < kTokens; ++i) {
    options.audiences.push_back(absl::StrCat(kAudience, i));
  }
  corpus.verifier = *jwt::Verifier::Create(options, keys);
  return corpus;
}

Corpus& CorpusFor(jwt::Algorithm algorithm) {
  static auto* corpora = new std::map<jwt::Algorithm, Corpus>();
  auto found = corpora->find(algorithm);
  if (found == corpora->end()) {
    found = corpora->emplace(algorithm, MakeCorpus(algorithm)).first;
  }
  return found->second;
}

jwt::Algorithm AlgorithmOf(const benchmark::State& state) {
  return kAlgorithms[state.range(0)];
}

void BM_BareVerify(benchmark::State& state) {
  Corpus& corpus = CorpusFor(AlgorithmOf(state));
  EVP_PKEY* key = corpus.key.public_key().evp_pkey();
  const EVP_MD* digest =
      AlgorithmOf(state) == jwt::Algorithm::kEdDsa ? nullptr : EVP_sha256();
  int i = 0;
  for (auto _ : state) {
    const std::string& data = corpus.signing_inputs[i];
    const std::string& signature = corpus.evp_signatures[i];
    jwt::UniqueEvpMdCtx context(EVP_MD_CTX_new());
    bool valid =
        EVP_DigestVerifyInit(context.get(), nullptr, digest, nullptr, key) ==
            1 &&
        EVP_DigestVerify(
            context.get(), reinterpret_cast<const uint8_t*>(signature.data()),
            signature.size(), reinterpret_cast<const uint8_t*>(data.data()),
            data.size()) == 1;
    if (!valid) state.SkipWithError("bare verification failed");
    i = (i + 1) % kTokens;
  }
}

void BM_SignetVerify(benchmark::State& state) {
  Corpus& corpus = CorpusFor(AlgorithmOf(state));
  int i = 0;
  for (auto _ : state) {
    absl::StatusOr<jwt::VerifiedToken> verified =
        corpus.verifier->Verify(corpus.tokens[i]);
    if (!verified.ok()) state.SkipWithError("signet refused a good token");
    benchmark::DoNotOptimize(verified);
    i = (i + 1) % kTokens;
  }
}

void BM_LibjwtVerify(benchmark::State& state) {
  Corpus& corpus = CorpusFor(AlgorithmOf(state));
  int i = 0;
  for (auto _ : state) {
    if (!LibjwtVerify(corpus.tokens[i], corpus.public_pem)) {
      state.SkipWithError("libjwt refused a good token");
    }
    i = (i + 1) % kTokens;
  }
}

void BM_CppJwtVerify(benchmark::State& state) {
  Corpus& corpus = CorpusFor(AlgorithmOf(state));
  std::string algorithm(jwt::AlgorithmName(AlgorithmOf(state)));
  int i = 0;
  for (auto _ : state) {
    if (!CppJwtVerify(corpus.tokens[i], algorithm, corpus.public_pem)) {
      state.SkipWithError("cpp-jwt refused a good token");
    }
    i = (i + 1) % kTokens;
  }
}

void BM_PluginCachedToken(benchmark::State& state) {
  Corpus& corpus = CorpusFor(jwt::Algorithm::kRs256);
  client::TokenPlugin plugin(
      *jwt::Signer::Create(corpus.key, "bench-key", kAccount), {});
  client::EmptyAuthContext context;
  std::multimap<std::string, std::string> metadata;
  for (auto _ : state) {
    metadata.clear();
    grpc::Status status = plugin.GetMetadata("https://svc.test:443/pkg.Service",
                                             "Method", context, &metadata);
    if (!status.ok()) state.SkipWithError("the plugin failed");
    benchmark::DoNotOptimize(metadata);
  }
}

// The server-side verifier on a token it verified before: what every call
// after a client's first costs, since clients reuse a token for its hour.
void BM_RememberedToken(benchmark::State& state) {
  Corpus& corpus = CorpusFor(jwt::Algorithm::kRs256);
  verifier::CallVerifier callers(corpus.verifier);
  for (const std::string& token : corpus.tokens) {
    if (!callers.Verify(token).ok()) state.SkipWithError("a good token failed");
  }
  int i = 0;
  for (auto _ : state) {
    absl::StatusOr<verifier::CallerIdentity> caller =
        callers.Verify(corpus.tokens[i]);
    if (!caller.ok()) state.SkipWithError("a remembered token failed");
    benchmark::DoNotOptimize(caller);
    i = (i + 1) % kTokens;
  }
}

void AlgorithmArgs(benchmark::internal::Benchmark* benchmark) {
  benchmark->ArgName("alg");
  for (int i = 0; i < 3; ++i) benchmark->Arg(i);
}

void PeerArgs(benchmark::internal::Benchmark* benchmark) {
  // Neither libjwt 1.10 nor cpp-jwt 1.4 supports EdDSA.
  benchmark->ArgName("alg")->Arg(0)->Arg(1);
}

BENCHMARK(BM_BareVerify)->Apply(AlgorithmArgs);
BENCHMARK(BM_SignetVerify)->Apply(AlgorithmArgs);
BENCHMARK(BM_LibjwtVerify)->Apply(PeerArgs);
BENCHMARK(BM_CppJwtVerify)->Apply(PeerArgs);
BENCHMARK(BM_PluginCachedToken);
BENCHMARK(BM_RememberedToken);

int Main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  printf(
      "\nRatios (CPU time per token; alg 0 = RS256, 1 = ES256, 2 = EdDSA)\n");
  bool all_met = true;
  const char* names[] = {"RS256", "ES256", "EdDSA"};
  for (int i = 0; i < 3; ++i) {
    std::string arg = absl::StrCat("alg:", i);
    all_met &= reporter.PrintRatio(
        absl::StrCat("signet / bare EVP verify, ", names[i]),
        "BM_SignetVerify/" + arg, "BM_BareVerify/" + arg, 1.2, true);
  }
  for (int i = 0; i < 2; ++i) {
    std::string arg = absl::StrCat("alg:", i);
    reporter.PrintRatio(absl::StrCat("libjwt / signet, ", names[i]),
                        "BM_LibjwtVerify/" + arg, "BM_SignetVerify/" + arg, 1.0,
                        false);
    reporter.PrintRatio(absl::StrCat("cpp-jwt / signet, ", names[i]),
                        "BM_CppJwtVerify/" + arg, "BM_SignetVerify/" + arg, 1.0,
                        false);
  }
  all_met &= reporter.PrintRatio("plugin, cached token / signet RS256 verify",
                                 "BM_PluginCachedToken",
                                 "BM_SignetVerify/alg:0", 0.05, true);
  all_met &= reporter.PrintRatio(
      "verifier, remembered token / signet RS256 verify", "BM_RememberedToken",
      "BM_SignetVerify/alg:0", 0.05, true);
  printf(
      "(Debian's Google Benchmark reports itself as a debug build; the "
      "code measured is built with -c opt.)\n");
  return all_met ? 0 : 1;
}

}  // namespace
}  // namespace signet::bench

int main(int argc, char** argv) { return signet::bench::Main(argc, argv); }
