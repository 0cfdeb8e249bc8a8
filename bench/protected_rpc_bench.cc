// Protected RPC versus plain RPC: the example Greeter server with signet's
// ServerVerifier on its credentials (non-blocking and blocking) against the
// same server without it (and with a processor that does nothing, for
// gRPC's own share), each under the same closed-loop load from this
// process, over 127.0.0.1 TCP with TLS and over a unix socket with gRPC's
// local credentials. Prints throughput, latency, CPU and memory per mode,
// and the ratios protected / plain.
//
//   bazel run -c opt //bench:protected_rpc_bench
//   bazel run -c opt //bench:protected_rpc_bench -- --rounds=3 --channels=4
//
// Each server runs in a child process (see greeter_process.h), so that its
// memory and CPU are its own; it and this load generator share the
// machine's CPUs. Loopback only.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "bench/greeter_process.h"
#include "bench/greeter_under_test.h"
#include "bench/process_usage.h"
#include "bench/rpc_report.h"
#include "bench/unary_call_loop.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "examples/greeter.grpc.pb.h"
#include "jwt/algorithm.h"
#include "jwt/key_file.h"
#include "jwt/private_key.h"
#include "tests/test_certificates.h"

ABSL_FLAG(int, in_flight, 64, "Calls kept in flight.");
ABSL_FLAG(int, channels, 1,
          "Channels, each on a connection of its own, that the calls in "
          "flight are spread over.");
ABSL_FLAG(absl::Duration, warm_up, absl::Seconds(2),
          "Unmeasured load before each measured period.");
ABSL_FLAG(absl::Duration, measure, absl::Seconds(10),
          "Length of each measured period.");
ABSL_FLAG(int64_t, max_calls, 10'000'000,
          "Ends a measured period early once this many calls have ended.");
ABSL_FLAG(std::vector<std::string>, transports,
          std::vector<std::string>({"tcp", "unix"}),
          "tcp (127.0.0.1, TLS) and/or unix (unix socket, local credentials).");
ABSL_FLAG(std::vector<std::string>, modes,
          std::vector<std::string>({"plain", "noop", "nonblocking",
                                    "blocking"}),
          "Server modes to measure (see greeter_under_test.h); ratios need "
          "plain, and noop for the verifier's own share.");
ABSL_FLAG(int, rounds, 1,
          "Times every mode is measured; the table shows medians, and each "
          "round starts with a different mode.");
ABSL_FLAG(std::string, algorithm, "ES256",
          "The client key's algorithm: RS256, ES256 or EdDSA.");

namespace signet::bench {
namespace {

constexpr char kAccount[] = "greeter-client@bench.signet";
constexpr char kGreetingName[] = "bench";
// Key files name signetd's address; tokens are signed locally, so the
// benchmark never contacts it.
constexpr char kUnusedTokenUri[] = "unix:/run/signetd/unused.sock";

// What the run measures, from the flags.
struct RunSettings {
  std::vector<Transport> transports;
  std::vector<ServerMode> modes;
  int channels = 1;
  int rounds = 1;
  jwt::Algorithm algorithm = jwt::Algorithm::kEs256;
  CallLoopOptions load;
};

// The client's key and the server's TLS identity, made once per run in a
// temporary directory.
struct Fixture {
  std::string directory;
  testing::TestCertificate tls;
  std::string key_file_path;
  std::string public_key_path;
  std::string key_id;
};

std::string NewKeyId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) abort();  // no entropy
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(bytes), sizeof(bytes)));
}

// A key pair for the client's account, in `directory`: the private half
// in a key file as signetd hands one out, the public half in a PEM file for
// the server.
absl::StatusOr<Fixture> MakeFixture(const std::string& directory,
                                    jwt::Algorithm algorithm) {
  Fixture fixture;
  fixture.directory = directory;
  SIGNET_ASSIGN_OR_RETURN(
      fixture.tls, testing::MakeSelfSignedCertificate(fixture.directory));
  SIGNET_ASSIGN_OR_RETURN(jwt::PrivateKey key,
                          jwt::PrivateKey::Generate(algorithm));
  fixture.key_id = NewKeyId();

  fixture.key_file_path = absl::StrCat(fixture.directory, "/client_key.json");
  SIGNET_RETURN_IF_ERROR(WritePrivateFile(
      fixture.key_file_path, jwt::SerializeKeyFile(jwt::KeyFile{
                                 "bench", fixture.key_id, key.ToPkcs8Pem(),
                                 kAccount, "1", kUnusedTokenUri})));
  fixture.public_key_path = absl::StrCat(fixture.directory, "/client_key.pem");
  SIGNET_RETURN_IF_ERROR(
      WritePrivateFile(fixture.public_key_path, key.public_key().ToPem()));
  return fixture;
}

// A free port on 127.0.0.1 for the server. The server must know its
// address before it starts, because the audience it accepts is
// "https://127.0.0.1:PORT/", the form the client's plugin derives. Another
// process may take the port before the server binds it: the server then
// fails to start (it does not share ports, see ServeGreeter) and
// StartServer tries another.
absl::StatusOr<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  bool found =
      fd >= 0 &&
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  if (fd >= 0) close(fd);
  if (!found) return absl::UnavailableError("no free port on 127.0.0.1");
  return ntohs(address.sin_port);
}

absl::StatusOr<GreeterServerConfig> ServerConfigFor(const Fixture& fixture,
                                                    Transport transport,
                                                    ServerMode mode) {
  GreeterServerConfig config;
  config.mode = mode;
  if (transport == Transport::kTcpTls) {
    SIGNET_ASSIGN_OR_RETURN(int port, FreeLoopbackPort());
    config.listen = absl::StrCat("127.0.0.1:", port);
    config.audience = absl::StrCat("https://", config.listen, "/");
  } else {
    config.listen = absl::StrCat("unix:", fixture.directory, "/greeter-",
                                 ServerModeName(mode), ".sock");
    // gRPC names a unix socket's authority "localhost".
    config.audience = "https://localhost/";
  }
  config.tls_cert_path = fixture.tls.certificate_path;
  config.tls_key_path = fixture.tls.key_path;
  config.public_key_path = fixture.public_key_path;
  config.key_id = fixture.key_id;
  config.account_email = kAccount;
  return config;
}

using Stubs = std::vector<std::unique_ptr<examples::Greeter::Stub>>;

// `channels` stubs on channels to `target` with the credentials a client
// of the mode uses (client::TransportCredentialsFor, and the key file's
// call credentials when `with_token`), each channel on a connection of its
// own: gRPC shares one connection among channels of equal settings unless
// told otherwise, which client::CreateChannel has no option for.
absl::StatusOr<Stubs> GreeterStubs(const Fixture& fixture,
                                   const std::string& target, bool with_token,
                                   int channels) {
  client::ChannelOptions options;
  options.tls_ca_path = fixture.tls.certificate_path;
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> transport,
                          client::TransportCredentialsFor(target, options));
  if (with_token) {
    SIGNET_ASSIGN_OR_RETURN(
        std::shared_ptr<grpc::CallCredentials> token,
        client::CallCredentialsFromKeyFile(fixture.key_file_path));
    transport = grpc::CompositeChannelCredentials(transport, token);
  }
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);

  Stubs stubs;
  for (int i = 0; i < channels; ++i) {
    stubs.push_back(examples::Greeter::NewStub(
        grpc::CreateCustomChannel(target, transport, arguments)));
  }
  return stubs;
}

// The Greeter's two methods, which run the same handler: SayHello answers
// only a caller the server's verifier named, SayHelloOpenly anyone.
enum class GreeterMethod { kSayHello, kSayHelloOpenly };

// One slot's Greeter call for the load loop.
class GreeterCall : public UnaryCall {
 public:
  GreeterCall(examples::Greeter::Stub& stub, GreeterMethod method)
      : stub_(stub), method_(method) {
    request_.set_name(kGreetingName);
  }

  bool Start(grpc::ClientContext* context,
             std::function<void(grpc::Status)> done) override {
    if (method_ == GreeterMethod::kSayHello) {
      stub_.async()->SayHello(context, &request_, &reply_, std::move(done));
    } else {
      stub_.async()->SayHelloOpenly(context, &request_, &reply_,
                                    std::move(done));
    }
    return true;
  }

  // The server was checked before the load (CheckServer): here a reply
  // only needs to be one.
  grpc::Status CheckReply() const override {
    return reply_.message().empty()
               ? grpc::Status(grpc::StatusCode::INTERNAL, "an empty greeting")
               : grpc::Status::OK;
  }

 private:
  examples::Greeter::Stub& stub_;
  const GreeterMethod method_;
  examples::HelloRequest request_;
  examples::HelloReply reply_;
};

// The method a mode's calls use. A server that checks tokens serves
// SayHello, whose handler refuses a caller the verifier did not name; any
// other server runs the same handler as SayHelloOpenly, since its SayHello
// would refuse every call.
GreeterMethod MethodFor(ServerMode mode) {
  return ChecksToken(mode) ? GreeterMethod::kSayHello
                           : GreeterMethod::kSayHelloOpenly;
}

grpc::Status CallOnce(examples::Greeter::Stub& stub, GreeterMethod method,
                      examples::HelloReply& reply) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  examples::HelloRequest request;
  request.set_name(kGreetingName);
  return method == GreeterMethod::kSayHello
             ? stub.SayHello(&context, request, &reply)
             : stub.SayHelloOpenly(&context, request, &reply);
}

// Proves the server is what its mode says before it is measured: one that
// checks tokens greets the client's account and refuses a call without a
// token; any other greets an anonymous caller.
absl::Status CheckServer(const Fixture& fixture,
                         const GreeterServerConfig& config,
                         examples::Greeter::Stub& stub) {
  bool checks_token = ChecksToken(config.mode);
  std::string expected =
      absl::StrCat("Hello ", kGreetingName, ", from ",
                   checks_token ? kAccount : "an anonymous caller");
  examples::HelloReply reply;
  grpc::Status status = CallOnce(stub, MethodFor(config.mode), reply);
  if (!status.ok() || reply.message() != expected) {
    return absl::FailedPreconditionError(absl::StrCat(
        ServerModeName(config.mode), " server: the greeting answered code ",
        status.error_code(), " \"", status.error_message(), "\", reply \"",
        reply.message(), "\"; expected \"", expected, "\""));
  }
  if (!checks_token) return absl::OkStatus();

  SIGNET_ASSIGN_OR_RETURN(Stubs tokenless,
                          GreeterStubs(fixture, config.listen, false, 1));
  status = CallOnce(*tokenless[0], GreeterMethod::kSayHello, reply);
  if (status.error_code() != grpc::StatusCode::UNAUTHENTICATED) {
    return absl::FailedPreconditionError(
        absl::StrCat(ServerModeName(config.mode),
                     " server: a call without a token answered code ",
                     status.error_code(), "; expected UNAUTHENTICATED"));
  }
  return absl::OkStatus();
}

// Samples the server's resident memory, and the CPU time of the server,
// this client and the whole machine, over the measured period.
class UsageProbe : public CallLoopObserver {
 public:
  explicit UsageProbe(pid_t server) : server_(server) {}

  void Started() override {
    server_cpu_ = -Checked(CpuTimeUsed(server_));
    client_cpu_ = -Checked(CpuTimeUsed(getpid()));
    machine_busy_ = -Checked(MachineBusyTime());
    SampleMemory();
  }
  void Tick() override { SampleMemory(); }
  void Ended() override {
    server_cpu_ += Checked(CpuTimeUsed(server_));
    client_cpu_ += Checked(CpuTimeUsed(getpid()));
    machine_busy_ += Checked(MachineBusyTime());
    SampleMemory();
  }

  // The first /proc read that failed, if any.
  const absl::Status& status() const { return status_; }
  int64_t peak_resident_bytes() const { return peak_resident_bytes_; }
  absl::Duration server_cpu() const { return server_cpu_; }
  absl::Duration client_cpu() const { return client_cpu_; }
  // What processes other than these two took meanwhile.
  absl::Duration other_cpu() const {
    return std::max(machine_busy_ - server_cpu_ - client_cpu_,
                    absl::ZeroDuration());
  }

 private:
  absl::Duration Checked(const absl::StatusOr<absl::Duration>& reading) {
    if (!reading.ok()) status_.Update(reading.status());
    return reading.value_or(absl::ZeroDuration());
  }

  void SampleMemory() {
    absl::StatusOr<int64_t> resident = ResidentBytes(server_);
    if (!resident.ok()) status_.Update(resident.status());
    peak_resident_bytes_ = std::max(peak_resident_bytes_, resident.value_or(0));
  }

  pid_t server_;
  absl::Status status_;
  int64_t peak_resident_bytes_ = 0;
  absl::Duration server_cpu_;
  absl::Duration client_cpu_;
  absl::Duration machine_busy_;
};

// Loads a started and checked server; fills in everything but decisions.
absl::Status LoadServer(pid_t server, const Stubs& stubs, ServerMode mode,
                        const CallLoopOptions& options,
                        Measurement& measurement) {
  // Idle: started, connections open, no call in flight.
  SIGNET_ASSIGN_OR_RETURN(measurement.idle_resident_bytes,
                          ResidentBytes(server));

  // The slots are spread evenly over the channels.
  UnaryCallLoop loop(
      [&stubs, mode](int slot) {
        return std::make_unique<GreeterCall>(*stubs[slot % stubs.size()],
                                             MethodFor(mode));
      },
      options);
  UsageProbe probe(server);
  SIGNET_ASSIGN_OR_RETURN(measurement.load, loop.Run(probe));
  SIGNET_RETURN_IF_ERROR(probe.status());

  measurement.peak_resident_bytes = probe.peak_resident_bytes();
  measurement.server_cpu = probe.server_cpu();
  measurement.client_cpu = probe.client_cpu();
  measurement.other_cpu = probe.other_cpu();
  return absl::OkStatus();
}

struct StartedServer {
  GreeterServerConfig config;
  std::unique_ptr<testing::Subprocess> process;
};

// Starts the server for `mode`, on a new port for each of a few attempts
// over TCP, where the port chosen can be taken before the server binds it.
absl::StatusOr<StartedServer> StartServer(const Fixture& fixture,
                                          Transport transport,
                                          ServerMode mode) {
  constexpr int kAttempts = 3;
  absl::Status failure;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    StartedServer server;
    SIGNET_ASSIGN_OR_RETURN(server.config,
                            ServerConfigFor(fixture, transport, mode));
    absl::StatusOr<std::unique_ptr<testing::Subprocess>> process =
        StartGreeterProcess(server.config);
    if (process.ok()) {
      server.process = *std::move(process);
      return server;
    }
    failure = process.status();
    if (transport != Transport::kTcpTls) break;
  }
  return failure;
}

absl::StatusOr<Measurement> MeasureMode(const Fixture& fixture,
                                        const RunSettings& settings,
                                        Transport transport, ServerMode mode) {
  SIGNET_ASSIGN_OR_RETURN(StartedServer started,
                          StartServer(fixture, transport, mode));
  const GreeterServerConfig& config = started.config;
  testing::Subprocess& server = *started.process;
  Measurement measurement;
  {
    SIGNET_ASSIGN_OR_RETURN(
        Stubs stubs, GreeterStubs(fixture, config.listen, SendsToken(mode),
                                  settings.channels));
    SIGNET_RETURN_IF_ERROR(CheckServer(fixture, config, *stubs[0]));
    SIGNET_RETURN_IF_ERROR(
        LoadServer(server.pid(), stubs, mode, settings.load, measurement));
  }
  SIGNET_ASSIGN_OR_RETURN(measurement.decisions, StopGreeterProcess(server));
  return measurement;
}

absl::StatusOr<Results> MeasureAll(const RunSettings& settings) {
  // Keys, certificate and sockets; every server has stopped when it goes.
  std::string directory = testing::MakeShortTempDirectory();
  absl::Cleanup remove_directory = [&directory] {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  };
  SIGNET_ASSIGN_OR_RETURN(Fixture fixture,
                          MakeFixture(directory, settings.algorithm));
  Results results;
  for (int round = 0; round < settings.rounds; ++round) {
    for (Transport transport : settings.transports) {
      for (size_t i = 0; i < settings.modes.size(); ++i) {
        // Each round starts with a different mode, so that no mode always
        // runs first (or last) on a machine whose speed drifts.
        ServerMode mode = settings.modes[(i + round) % settings.modes.size()];
        SIGNET_ASSIGN_OR_RETURN(
            Measurement measurement,
            MeasureMode(fixture, settings, transport, mode));
        printf("  round %d  %-11s %-12s %9.0f calls/s\n", round + 1,
               std::string(TransportName(transport)).c_str(),
               std::string(ServerModeName(mode)).c_str(),
               measurement.load.CallsPerSecond());
        fflush(stdout);
        results[{transport, mode}].push_back(std::move(measurement));
      }
    }
  }
  return results;
}

// ---- Flags ----

absl::Status ReadTransports(RunSettings& settings) {
  for (const std::string& name : absl::GetFlag(FLAGS_transports)) {
    if (name == "tcp") {
      settings.transports.push_back(Transport::kTcpTls);
    } else if (name == "unix") {
      settings.transports.push_back(Transport::kUnixLocal);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--transports: unknown transport \"", name, "\"; use tcp, unix"));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadModes(RunSettings& settings) {
  for (const std::string& name : absl::GetFlag(FLAGS_modes)) {
    std::optional<ServerMode> mode = ServerModeFromName(name);
    if (!mode.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--modes: unknown mode \"", name,
                       "\"; use plain, noop, nonblocking, blocking"));
    }
    settings.modes.push_back(*mode);
  }
  return absl::OkStatus();
}

absl::StatusOr<RunSettings> SettingsFromFlags() {
  RunSettings settings;
  SIGNET_RETURN_IF_ERROR(ReadTransports(settings));
  SIGNET_RETURN_IF_ERROR(ReadModes(settings));
  settings.channels = absl::GetFlag(FLAGS_channels);
  settings.rounds = absl::GetFlag(FLAGS_rounds);
  std::optional<jwt::Algorithm> algorithm =
      jwt::AlgorithmFromName(absl::GetFlag(FLAGS_algorithm));
  settings.load.in_flight = absl::GetFlag(FLAGS_in_flight);
  settings.load.warm_up = absl::GetFlag(FLAGS_warm_up);
  settings.load.measure = absl::GetFlag(FLAGS_measure);
  settings.load.max_calls = absl::GetFlag(FLAGS_max_calls);

  const CallLoopOptions& load = settings.load;
  if (!algorithm.has_value() || settings.transports.empty() ||
      settings.modes.empty() || settings.rounds < 1 || settings.channels < 1 ||
      load.in_flight < settings.channels || load.max_calls < 1 ||
      load.measure <= absl::ZeroDuration() ||
      load.warm_up < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        "--algorithm must be RS256, ES256 or EdDSA; --transports and --modes "
        "not empty; --rounds, --channels and --max_calls at least 1; "
        "--in_flight at least --channels; --measure positive; --warm_up not "
        "negative");
  }
  settings.algorithm = *algorithm;
  return settings;
}

void PrintSettings(const RunSettings& settings) {
  const CallLoopOptions& load = settings.load;
  printf(
      "Greeter calls (SayHello where the server checks tokens, else "
      "SayHelloOpenly), %d in flight over %d channel(s), %s warm-up, %s "
      "measured (at most %ld calls), %s client key, %d round(s); each server "
      "in a child process, sharing this machine's %ld CPUs with the client\n",
      load.in_flight, settings.channels,
      absl::FormatDuration(load.warm_up).c_str(),
      absl::FormatDuration(load.measure).c_str(),
      static_cast<long>(load.max_calls),
      std::string(jwt::AlgorithmName(settings.algorithm)).c_str(),
      settings.rounds, sysconf(_SC_NPROCESSORS_ONLN));
  fflush(stdout);
}

absl::Status RunBenchmark() {
  SIGNET_ASSIGN_OR_RETURN(RunSettings settings, SettingsFromFlags());
  PrintSettings(settings);
  SIGNET_ASSIGN_OR_RETURN(Results results, MeasureAll(settings));
  if (!PrintReport(results, Goals{})) {
    return absl::OutOfRangeError("the non-blocking verifier missed a goal");
  }
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "protected versus plain gRPC calls to the example Greeter.\n\n"
      "  bazel run -c opt //bench:protected_rpc_bench -- [--rounds=N] "
      "[--measure=10s] [--channels=N]");
  absl::ParseCommandLine(argc, argv);
  absl::Status status =
      IsGreeterProcess() ? ServeGreeterFromFlags() : RunBenchmark();
  if (status.ok()) return 0;

  // 1: a goal missed, 2: the benchmark could not run.
  fflush(stdout);
  fprintf(stderr, "protected_rpc_bench: %s\n", status.ToString().c_str());
  return absl::IsOutOfRange(status) ? 1 : 2;
}

}  // namespace
}  // namespace signet::bench

int main(int argc, char** argv) { return signet::bench::Main(argc, argv); }
