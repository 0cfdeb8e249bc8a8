#ifndef SIGNET_BENCH_JWT_PEERS_H_
#define SIGNET_BENCH_JWT_PEERS_H_

// The JWT libraries signet is measured against, each behind one function:
// libjwt's C API and cpp-jwt's namespace `jwt` cannot share a translation
// unit. Both parse the PEM public key on every call, as their APIs require.

#include <string>

namespace signet::bench {

// libjwt 1.10: jwt_decode with the key, which verifies the signature.
bool LibjwtVerify(const std::string& token, const std::string& public_pem);

// cpp-jwt 1.4: jwt::decode with verify(true) for `algorithm`.
bool CppJwtVerify(const std::string& token, const std::string& algorithm,
                  const std::string& public_pem);

}  // namespace signet::bench

#endif  // SIGNET_BENCH_JWT_PEERS_H_
