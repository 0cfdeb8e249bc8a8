#include "examples/greeter_service.h"

#include "absl/strings/str_cat.h"

namespace signet::examples {

GreeterService::GreeterService(CallerLookup caller_of)
    : caller_of_(std::move(caller_of)) {}

grpc::ServerUnaryReactor* GreeterService::SayHello(
    grpc::CallbackServerContext* context, const HelloRequest* request,
    HelloReply* reply) {
  std::optional<verifier::CallerIdentity> caller = caller_of_(*context);
  // The verifier let the call in, but its token may have stopped verifying
  // since (its key disabled a moment ago): a protected method never answers
  // a call whose caller it cannot name.
  if (!caller.has_value()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(
        grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "invalid credential"));
    return reactor;
  }
  return Greet(context, *request, caller, *reply);
}

grpc::ServerUnaryReactor* GreeterService::SayHelloOpenly(
    grpc::CallbackServerContext* context, const HelloRequest* request,
    HelloReply* reply) {
  return Greet(context, *request, caller_of_(*context), *reply);
}

grpc::ServerUnaryReactor* GreeterService::Greet(
    grpc::CallbackServerContext* context, const HelloRequest& request,
    const std::optional<verifier::CallerIdentity>& caller, HelloReply& reply) {
  reply.set_message(absl::StrCat(
      "Hello ", request.name(), ", from ",
      caller.has_value() ? caller->account_email : "an anonymous caller"));

  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace signet::examples
