#ifndef SIGNET_SERVER_GRPC_STATUS_H_
#define SIGNET_SERVER_GRPC_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace signet::server {

// The gRPC status with the same code and message. absl's and gRPC's codes
// share their numbers.
inline grpc::Status ToGrpc(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace signet::server

#endif  // SIGNET_SERVER_GRPC_STATUS_H_
