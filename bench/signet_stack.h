#ifndef SIGNET_BENCH_SIGNET_STACK_H_
#define SIGNET_BENCH_SIGNET_STACK_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "examples/greeter.grpc.pb.h"
#include "examples/greeter_service.h"
#include "pqxx/pqxx"
#include "signet/v1/account_service.grpc.pb.h"
#include "tests/private_postgres.h"
#include "tests/subprocess.h"
#include "verifier/server_verifier.h"

namespace signet::bench {

// The whole of signet on this machine, for benchmarks that need a real
// store: a private PostgreSQL cluster, the schema, a bootstrapped admin, and
// signetd in a process of its own on a unix socket; plus greeters in this
// process protected by ServerVerifiers. Everything lives in a temporary
// directory, removed with the stack.
class SignetStack {
 public:
  // `populate`, when given, fills the store after the schema is in place
  // and before signetd starts.
  static absl::StatusOr<std::unique_ptr<SignetStack>> Start(
      std::function<absl::Status(pqxx::connection&)> populate = nullptr);
  ~SignetStack();

  const std::string& database() const { return database_; }
  const std::string& signetd_target() const { return signetd_target_; }
  pid_t signetd_pid() const { return signetd_->pid(); }
  v1::AccountService::Stub& admin() { return *admin_; }
  // A channel to signetd that calls as the bootstrapped admin.
  std::shared_ptr<grpc::Channel> admin_channel() { return admin_channel_; }

  absl::Status CreateAccount(const std::string& account_id);
  // A new ES256 key for the account; its key file's text.
  absl::StatusOr<std::string> CreateKey(const std::string& account_id,
                                        v1::Key* key = nullptr);
  // Creates the key and writes its key file into the stack's directory.
  absl::StatusOr<std::string> CreateKeyFile(const std::string& account_id);

  // A greeter on a unix socket of its own, behind a ServerVerifier with
  // `keys`; its socket's target.
  absl::StatusOr<std::string> StartGreeter(const std::string& name,
                                           verifier::KeySourceOptions keys);

  // A Greeter stub that calls as the key file's account.
  absl::StatusOr<std::unique_ptr<examples::Greeter::Stub>> GreeterStub(
      const std::string& target, const std::string& key_file_text);

 private:
  SignetStack() = default;
  absl::Status Setup(
      const std::function<absl::Status(pqxx::connection&)>& populate);

  struct Greeter {
    std::unique_ptr<verifier::ServerVerifier> verifier;
    std::unique_ptr<examples::GreeterService> service;
    std::unique_ptr<grpc::Server> server;
  };

  std::string directory_;
  std::unique_ptr<testing::PrivatePostgres> postgres_;
  std::string database_;
  std::unique_ptr<testing::Subprocess> signetd_;
  std::string signetd_target_;
  std::shared_ptr<grpc::Channel> admin_channel_;
  std::unique_ptr<v1::AccountService::Stub> admin_;
  std::vector<std::unique_ptr<Greeter>> greeters_;
};

// A deadline for one benchmark RPC: generous, since it only bounds a hang.
std::unique_ptr<grpc::ClientContext> BenchContext();

}  // namespace signet::bench

#endif  // SIGNET_BENCH_SIGNET_STACK_H_
