#include "bench/jwt_peers.h"
#include "jwt/jwt.hpp"

namespace signet::bench {

bool CppJwtVerify(const std::string& token, const std::string& algorithm,
                  const std::string& public_pem) {
  std::error_code error;
  auto decoded = ::jwt::decode(token, ::jwt::params::algorithms({algorithm}),
                               error, ::jwt::params::secret(public_pem),
                               ::jwt::params::verify(true));
  return !error;
}

}  // namespace signet::bench
