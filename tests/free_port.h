#ifndef SIGNET_TESTS_FREE_PORT_H_
#define SIGNET_TESTS_FREE_PORT_H_

#include "absl/status/statusor.h"

namespace signet::testing {

// A TCP port on 127.0.0.1 that nothing listens on right now, for a server
// that must know its port before it binds it (its default audiences name
// the port). Another process could take the port before the server does;
// on a test machine that is rare enough.
absl::StatusOr<int> PickFreePort();

}  // namespace signet::testing

#endif  // SIGNET_TESTS_FREE_PORT_H_
