#ifndef SIGNET_VERIFIER_IDENTITY_H_
#define SIGNET_VERIFIER_IDENTITY_H_

#include <string>

#include "absl/time/time.h"

namespace signet::verifier {

// Who made a call, as proven by a verified token.
struct CallerIdentity {
  std::string account_email;
  std::string key_id;
  absl::Time expires_at;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_IDENTITY_H_
