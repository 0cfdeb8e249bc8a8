#ifndef SIGNET_JWT_OPENSSL_UTIL_H_
#define SIGNET_JWT_OPENSSL_UTIL_H_

// Owners for OpenSSL objects, and the one way errors leave OpenSSL: every
// failure drains the thread's error queue into the returned status, so no
// stale error is left for an unrelated later call to find.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace signet::jwt {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* object) const { Free(object); }
};

template <typename T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

inline void FreeBio(BIO* bio) { BIO_free(bio); }

using UniqueBio = OpenSslPtr<BIO, FreeBio>;
using UniqueBignum = OpenSslPtr<BIGNUM, BN_free>;
using UniqueEcdsaSig = OpenSslPtr<ECDSA_SIG, ECDSA_SIG_free>;
using UniqueEvpMdCtx = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using UniqueEvpPkey = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using UniqueEvpPkeyCtx = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using UniqueX509 = OpenSslPtr<X509, X509_free>;

// A read-only memory BIO over `data`, which must outlive it.
UniqueBio MemoryBio(absl::string_view data);

// Empties the error queue; returns the first error's text, or "" if none.
std::string DrainOpenSslErrors();

// A status with `code` and "`what`: <first OpenSSL error>", after draining
// the queue.
absl::Status OpenSslError(absl::StatusCode code, absl::string_view what);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_OPENSSL_UTIL_H_
