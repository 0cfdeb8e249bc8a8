#ifndef SIGNET_EXAMPLES_GREETER_SERVICE_H_
#define SIGNET_EXAMPLES_GREETER_SERVICE_H_

#include <functional>
#include <optional>

#include "examples/greeter.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "verifier/identity.h"

namespace signet::examples {

// Who made a call, as the server's verifier proved it; nullopt for a call
// without a token or whose token no longer verifies, or on a server with no
// verifier.
using CallerLookup = std::function<std::optional<verifier::CallerIdentity>(
    const grpc::ServerContextBase&)>;

// Greets the caller by the account its token proved. The verifier on the
// server's credentials has already refused every call it does not allow;
// the handler only reads who called.
class GreeterService final : public Greeter::CallbackService {
 public:
  explicit GreeterService(CallerLookup caller_of);

  grpc::ServerUnaryReactor* SayHello(grpc::CallbackServerContext* context,
                                     const HelloRequest* request,
                                     HelloReply* reply) override;
  grpc::ServerUnaryReactor* SayHelloOpenly(grpc::CallbackServerContext* context,
                                           const HelloRequest* request,
                                           HelloReply* reply) override;

 private:
  grpc::ServerUnaryReactor* Greet(
      grpc::CallbackServerContext* context, const HelloRequest& request,
      const std::optional<verifier::CallerIdentity>& caller, HelloReply& reply);

  CallerLookup caller_of_;
};

}  // namespace signet::examples

#endif  // SIGNET_EXAMPLES_GREETER_SERVICE_H_
