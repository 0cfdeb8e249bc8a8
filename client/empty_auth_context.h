#ifndef SIGNET_CLIENT_EMPTY_AUTH_CONTEXT_H_
#define SIGNET_CLIENT_EMPTY_AUTH_CONTEXT_H_

#include <string>
#include <vector>

#include "grpcpp/security/auth_context.h"

namespace signet::client {

// An AuthContext with no properties, for calling a call-credentials plugin
// directly in tests and benchmarks (signet's plugin does not read it).
// gRPC's CreateAuthContext(nullptr) returns null, which must not be
// dereferenced.
class EmptyAuthContext : public grpc::AuthContext {
 public:
  bool IsPeerAuthenticated() const override { return false; }
  std::vector<grpc::string_ref> GetPeerIdentity() const override { return {}; }
  std::string GetPeerIdentityPropertyName() const override { return ""; }
  std::vector<grpc::string_ref> FindPropertyValues(
      const std::string& /*name*/) const override {
    return {};
  }
  grpc::AuthPropertyIterator begin() const override { return NoProperty(); }
  grpc::AuthPropertyIterator end() const override { return NoProperty(); }
  void AddProperty(const std::string& /*key*/,
                   const grpc::string_ref& /*value*/) override {}
  bool SetPeerIdentityPropertyName(const std::string& /*name*/) override {
    return false;
  }

 private:
  // The iterator's only public way to be made is by a subclass.
  struct NoProperty : grpc::AuthPropertyIterator {};
};

}  // namespace signet::client

#endif  // SIGNET_CLIENT_EMPTY_AUTH_CONTEXT_H_
