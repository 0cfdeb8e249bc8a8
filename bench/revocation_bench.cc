// Revocation latency: the time from AccountService.DisableKey returning to
// the first call a protected service refuses, for a verifier that hears of
// changes through signetd's WatchKeys and for one that LISTENs on
// PostgreSQL. Each trial creates a key, makes both greeters accept (and
// remember) its token, disables it, and calls both greeters in a tight loop
// until they refuse it. Goal: under 1 s at p99.
//
//   bazel run -c opt //bench:revocation_bench -- --trials=100
//
// Everything runs on this machine, on unix sockets only: a private
// PostgreSQL, signetd in a process of its own, and the two greeters in this
// one.

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/latency.h"
#include "bench/signet_stack.h"

ABSL_FLAG(int, trials, 100, "Keys created, accepted and disabled.");
ABSL_FLAG(absl::Duration, give_up, absl::Seconds(10),
          "How long a trial waits for a refusal before counting it missed.");

namespace signet::bench {
namespace {

constexpr absl::Duration kGoal = absl::Seconds(1);

struct Source {
  const char* name;
  std::string target;
  std::vector<absl::Duration> delays;
  int missed = 0;
};

grpc::StatusCode SayHello(examples::Greeter::Stub& stub) {
  examples::HelloRequest request;
  request.set_name("bench");
  examples::HelloReply reply;
  return stub.SayHello(BenchContext().get(), request, &reply).error_code();
}

// Calls until the greeter accepts, so that the key is cached and the token
// remembered before the key is disabled.
absl::Status Accepted(examples::Greeter::Stub& stub) {
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (SayHello(stub) != grpc::StatusCode::OK) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError("the greeter never accepted the key");
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return SayHello(stub) == grpc::StatusCode::OK
             ? absl::OkStatus()
             : absl::InternalError("an accepted token was refused next time");
}

// Calls until the greeter refuses; how long after `disabled_at` that was,
// or nullopt past the give-up time.
std::optional<absl::Duration> TimeToRefusal(examples::Greeter::Stub& stub,
                                            absl::Time disabled_at) {
  absl::Time give_up = disabled_at + absl::GetFlag(FLAGS_give_up);
  while (absl::Now() < give_up) {
    if (SayHello(stub) != grpc::StatusCode::OK) {
      return absl::Now() - disabled_at;
    }
  }
  return std::nullopt;
}

absl::Status RunTrial(SignetStack& stack, std::vector<Source>& sources) {
  v1::Key key;
  absl::StatusOr<std::string> key_file = stack.CreateKey("caller", &key);
  if (!key_file.ok()) return key_file.status();
  std::vector<std::unique_ptr<examples::Greeter::Stub>> stubs;
  for (Source& source : sources) {
    absl::StatusOr<std::unique_ptr<examples::Greeter::Stub>> stub =
        stack.GreeterStub(source.target, *key_file);
    if (!stub.ok()) return stub.status();
    if (absl::Status accepted = Accepted(**stub); !accepted.ok()) {
      return accepted;
    }
    stubs.push_back(*std::move(stub));
  }

  v1::DisableKeyRequest disable;
  disable.set_name(key.name());
  v1::Key disabled;
  grpc::Status status =
      stack.admin().DisableKey(BenchContext().get(), disable, &disabled);
  absl::Time disabled_at = absl::Now();
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("DisableKey: ", status.error_message()));
  }

  std::vector<std::optional<absl::Duration>> delays(sources.size());
  std::vector<std::thread> callers;
  for (size_t i = 0; i < sources.size(); ++i) {
    callers.emplace_back(
        [&, i] { delays[i] = TimeToRefusal(*stubs[i], disabled_at); });
  }
  for (std::thread& caller : callers) caller.join();
  for (size_t i = 0; i < sources.size(); ++i) {
    if (delays[i].has_value()) {
      sources[i].delays.push_back(*delays[i]);
    } else {
      ++sources[i].missed;
    }
  }

  v1::DeleteKeyRequest remove;
  remove.set_name(key.name());
  google::protobuf::Empty empty;
  status = stack.admin().DeleteKey(BenchContext().get(), remove, &empty);
  return status.ok() ? absl::OkStatus()
                     : absl::InternalError(
                           absl::StrCat("DeleteKey: ", status.error_message()));
}

bool Report(const std::vector<Source>& sources) {
  printf("\nRevocation: DisableKey returned -> first refused call\n");
  printf("%-10s %8s %10s %10s %10s %10s %8s  %s\n", "source", "trials", "p50",
         "p90", "p99", "max", "missed", "goal p99 < 1 s");
  bool met = true;
  for (const Source& source : sources) {
    if (source.delays.empty()) {
      printf("%-10s no trial finished\n", source.name);
      met = false;
      continue;
    }
    absl::Duration p99 = Percentile(source.delays, 0.99);
    bool source_met = p99 < kGoal && source.missed == 0;
    met &= source_met;
    printf("%-10s %8zu %10s %10s %10s %10s %8d  %s\n", source.name,
           source.delays.size(), Millis(Percentile(source.delays, 0.5)).c_str(),
           Millis(Percentile(source.delays, 0.9)).c_str(), Millis(p99).c_str(),
           Millis(Percentile(source.delays, 1.0)).c_str(), source.missed,
           source_met ? "met" : "MISSED");
  }
  return met;
}

absl::Status Run() {
  absl::StatusOr<std::unique_ptr<SignetStack>> stack = SignetStack::Start();
  if (!stack.ok()) return stack.status();
  SignetStack& signet = **stack;
  for (const char* account : {"greeter", "caller"}) {
    if (absl::Status created = signet.CreateAccount(account); !created.ok()) {
      return created;
    }
  }
  absl::StatusOr<std::string> greeter_key = signet.CreateKeyFile("greeter");
  if (!greeter_key.ok()) return greeter_key.status();

  verifier::KeySourceOptions watch;
  watch.signetd =
      verifier::SignetdSourceOptions{signet.signetd_target(), {}, *greeter_key};
  verifier::KeySourceOptions listen;
  listen.database = signet.database();
  std::vector<Source> sources = {{"WatchKeys"}, {"LISTEN"}};
  for (auto [source, keys] :
       {std::pair{&sources[0], watch}, std::pair{&sources[1], listen}}) {
    absl::StatusOr<std::string> target =
        signet.StartGreeter(absl::StrCat("greeter-", source->name), keys);
    if (!target.ok()) return target.status();
    source->target = *target;
  }

  int trials = absl::GetFlag(FLAGS_trials);
  for (int trial = 0; trial < trials; ++trial) {
    if (absl::Status ran = RunTrial(signet, sources); !ran.ok()) return ran;
  }
  return Report(sources) ? absl::OkStatus()
                         : absl::FailedPreconditionError("goal missed");
}

}  // namespace
}  // namespace signet::bench

int main(int argc, char** argv) {
  return signet::bench::BenchmarkMain("revocation_bench", argc, argv,
                                      signet::bench::Run);
}
