#include <jwt.h>

#include "bench/jwt_peers.h"

namespace signet::bench {

bool LibjwtVerify(const std::string& token, const std::string& public_pem) {
  jwt_t* decoded = nullptr;
  int error =
      jwt_decode(&decoded, token.c_str(),
                 reinterpret_cast<const unsigned char*>(public_pem.data()),
                 static_cast<int>(public_pem.size()));
  jwt_free(decoded);
  return error == 0;
}

}  // namespace signet::bench
