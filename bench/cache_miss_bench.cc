// Cache misses: the first call with a key the verifier has not seen, when
// the key comes from signetd (TokenVerifier.GetKey) and when it comes from
// PostgreSQL, against calls whose key is cached; and 1,000 concurrent first
// calls with one new key, which must cause one fetch per source.
//
//   bazel run -c opt //bench:cache_miss_bench -- --keys=200
//
// A private PostgreSQL, signetd (a process of its own) and both greeters
// (in this one) run on unix sockets. Each greeter's key source is wrapped
// to count its fetches.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/blocking_counter.h"
#include "bench/latency.h"
#include "bench/signet_stack.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "db/connection_pool.h"
#include "jwt/key_file.h"
#include "verifier/postgres_key_source.h"
#include "verifier/signetd_key_source.h"
#include "verifier/testing/counting_key_source.h"

ABSL_FLAG(int, keys, 200, "New keys, each called first through both sources.");
ABSL_FLAG(int, concurrent, 1000,
          "Concurrent first calls that share one new key.");

namespace signet::bench {
namespace {

using ::signet::testing::CountingKeySource;

struct Source {
  const char* name;
  std::shared_ptr<CountingKeySource> counter;
  std::string target;
  std::vector<absl::Duration> first_call;  // the key not cached
  std::vector<absl::Duration> new_token;   // key cached, token not seen
  std::vector<absl::Duration> same_token;  // token remembered
  int concurrent_fetches = 0;
  int concurrent_failures = 0;
};

absl::StatusOr<std::unique_ptr<examples::Greeter::Stub>> ConnectedStub(
    const std::string& target, const jwt::KeyFile& key_file) {
  absl::StatusOr<std::shared_ptr<grpc::CallCredentials>> credentials =
      client::CallCredentialsFromKeyFile(key_file);
  if (!credentials.ok()) return credentials.status();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      client::CreateChannel(target, {}, *credentials);
  if (!channel.ok()) return channel.status();
  // Connect before timing, so that a first call measures the key fetch and
  // not the connection.
  if (!(*channel)->WaitForConnected(
          absl::ToChronoTime(absl::Now() + absl::Seconds(10)))) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", target));
  }
  return examples::Greeter::NewStub(*channel);
}

absl::StatusOr<absl::Duration> TimedHello(examples::Greeter::Stub& stub) {
  examples::HelloRequest request;
  examples::HelloReply reply;
  absl::Time start = absl::Now();
  grpc::Status status = stub.SayHello(BenchContext().get(), request, &reply);
  absl::Duration took = absl::Now() - start;
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("SayHello: ", status.error_message()));
  }
  return took;
}

absl::Status MeasureOneKey(SignetStack& stack, std::vector<Source>& sources) {
  v1::Key key;
  absl::StatusOr<std::string> text = stack.CreateKey("caller", &key);
  if (!text.ok()) return text.status();
  absl::StatusOr<jwt::KeyFile> key_file = jwt::ParseKeyFile(*text);
  if (!key_file.ok()) return key_file.status();

  for (Source& source : sources) {
    // Two channels, two plugins: the second's token is new to the verifier
    // while its key is cached.
    absl::StatusOr<std::unique_ptr<examples::Greeter::Stub>> first =
        ConnectedStub(source.target, *key_file);
    absl::StatusOr<std::unique_ptr<examples::Greeter::Stub>> second =
        ConnectedStub(source.target, *key_file);
    if (!first.ok()) return first.status();
    if (!second.ok()) return second.status();
    for (auto [stub, samples] :
         {std::pair{first->get(), &source.first_call},
          std::pair{second->get(), &source.new_token},
          std::pair{second->get(), &source.same_token}}) {
      absl::StatusOr<absl::Duration> took = TimedHello(*stub);
      if (!took.ok()) {
        return absl::Status(
            took.status().code(),
            absl::StrCat(source.name, ": ", took.status().message()));
      }
      samples->push_back(*took);
    }
  }

  v1::DeleteKeyRequest remove;
  remove.set_name(key.name());
  google::protobuf::Empty empty;
  grpc::Status status =
      stack.admin().DeleteKey(BenchContext().get(), remove, &empty);
  return status.ok() ? absl::OkStatus()
                     : absl::InternalError(status.error_message());
}

// Sends `count` calls at once with one token whose key no verifier has
// seen, and counts the fetches they cause.
absl::Status MeasureConcurrentMisses(SignetStack& stack, Source& source,
                                     int count) {
  absl::StatusOr<std::string> text = stack.CreateKey("caller");
  if (!text.ok()) return text.status();
  absl::StatusOr<jwt::KeyFile> key_file = jwt::ParseKeyFile(*text);
  if (!key_file.ok()) return key_file.status();
  absl::StatusOr<std::unique_ptr<examples::Greeter::Stub>> stub =
      ConnectedStub(source.target, *key_file);
  if (!stub.ok()) return stub.status();

  int fetches_before = source.counter->lookups;
  std::vector<grpc::ClientContext> contexts(count);
  std::vector<examples::HelloRequest> requests(count);
  std::vector<examples::HelloReply> replies(count);
  std::atomic<int> failures{0};
  absl::BlockingCounter done(count);
  for (int i = 0; i < count; ++i) {
    contexts[i].set_deadline(
        absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
    (*stub)->async()->SayHello(&contexts[i], &requests[i], &replies[i],
                               [&](grpc::Status status) {
                                 if (!status.ok()) ++failures;
                                 done.DecrementCount();
                               });
  }
  done.Wait();
  source.concurrent_fetches = source.counter->lookups - fetches_before;
  source.concurrent_failures = failures;
  return absl::OkStatus();
}

void Report(const std::vector<Source>& sources, int concurrent) {
  printf("\nOne call's latency (client to reply, unix socket)\n");
  printf("%-10s %-28s %10s %10s\n", "source", "call", "p50", "p99");
  for (const Source& source : sources) {
    for (auto [name, samples] :
         {std::pair{"key not cached (a miss)", &source.first_call},
          std::pair{"key cached, new token", &source.new_token},
          std::pair{"token remembered", &source.same_token}}) {
      printf("%-10s %-28s %10s %10s\n", source.name, name,
             Micros(Percentile(*samples, 0.5)).c_str(),
             Micros(Percentile(*samples, 0.99)).c_str());
    }
  }
  printf("\n%d concurrent first calls with one new key\n", concurrent);
  for (const Source& source : sources) {
    printf("%-10s fetches: %d (goal 1: %s), failed calls: %d\n", source.name,
           source.concurrent_fetches,
           source.concurrent_fetches == 1 ? "met" : "MISSED",
           source.concurrent_failures);
  }
}

absl::StatusOr<std::vector<Source>> StartGreeters(SignetStack& stack) {
  absl::StatusOr<std::string> greeter_key = stack.CreateKeyFile("greeter");
  if (!greeter_key.ok()) return greeter_key.status();
  absl::StatusOr<std::shared_ptr<grpc::CallCredentials>> credentials =
      client::CallCredentialsFromKeyFile(*greeter_key);
  if (!credentials.ok()) return credentials.status();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> signetd =
      client::CreateChannel(stack.signetd_target(), {}, *credentials);
  if (!signetd.ok()) return signetd.status();

  std::vector<Source> sources;
  sources.push_back(
      {"signetd", std::make_shared<CountingKeySource>(
                      std::make_shared<verifier::SignetdKeySource>(
                          *signetd, absl::Seconds(2)))});
  sources.push_back(
      {"postgres",
       std::make_shared<CountingKeySource>(
           std::make_shared<verifier::PostgresKeySource>(
               std::make_shared<db::ConnectionPool>(stack.database(), 4)))});
  for (Source& source : sources) {
    verifier::KeySourceOptions keys;
    keys.custom = source.counter;
    keys.changes_database = stack.database();
    absl::StatusOr<std::string> target = stack.StartGreeter(
        absl::StrCat("greeter-", source.name), std::move(keys));
    if (!target.ok()) return target.status();
    source.target = *target;
  }
  return sources;
}

absl::Status Run() {
  absl::StatusOr<std::unique_ptr<SignetStack>> stack = SignetStack::Start();
  if (!stack.ok()) return stack.status();
  for (const char* account : {"greeter", "caller"}) {
    if (absl::Status created = (*stack)->CreateAccount(account);
        !created.ok()) {
      return created;
    }
  }
  absl::StatusOr<std::vector<Source>> sources = StartGreeters(**stack);
  if (!sources.ok()) return sources.status();

  for (int i = 0; i < absl::GetFlag(FLAGS_keys); ++i) {
    if (absl::Status measured = MeasureOneKey(**stack, *sources);
        !measured.ok()) {
      return measured;
    }
  }
  int concurrent = absl::GetFlag(FLAGS_concurrent);
  for (Source& source : *sources) {
    if (absl::Status measured =
            MeasureConcurrentMisses(**stack, source, concurrent);
        !measured.ok()) {
      return measured;
    }
  }
  Report(*sources, concurrent);
  return absl::OkStatus();
}

}  // namespace
}  // namespace signet::bench

int main(int argc, char** argv) {
  return signet::bench::BenchmarkMain("cache_miss_bench", argc, argv,
                                      signet::bench::Run);
}
