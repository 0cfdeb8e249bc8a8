// signetd: the signet credential server.
//
//   signetd [serve] --listen=ADDRESS[,ADDRESS...] --database=CONNINFO [flags]
//   signetd migrate --database=CONNINFO
//
// Exit codes: 0 after a clean stop, 1 when the server cannot start or a
// command fails, 2 for bad flags or arguments.

#include <signal.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "db/connection.h"
#include "db/migrations.h"
#include "db/migrator.h"
#include "grpc/support/log.h"
#include "server/listen_address.h"
#include "server/logging.h"
#include "server/signetd_server.h"
#include "server/tls_identity.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::vector<std::string>, listen, {},
          "Comma-separated addresses to serve on: host:port (TLS, needs "
          "--tls_cert and --tls_key) and/or unix:/absolute/path (local "
          "credentials).");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain for the TLS listen addresses.");
ABSL_FLAG(std::string, tls_key, "",
          "PEM private key of --tls_cert (unencrypted).");
ABSL_FLAG(std::string, database, "",
          "libpq connection string of the store, such as "
          "'host=/run/postgresql dbname=signet'. Defaults to the "
          "SIGNET_DATABASE environment variable.");
ABSL_FLAG(std::string, log_level, "info",
          "trace, debug, info, warn, error or off.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM or SIGINT, how long calls in flight may take to finish "
          "before they are cancelled.");
ABSL_FLAG(bool, migrate, false,
          "Apply pending schema migrations before serving.");

namespace signet::server {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// gRPC's own log lines go through the same logger, one line each.
void LogFromGrpc(gpr_log_func_args* args) {
  switch (args->severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      spdlog::debug("grpc: {}", args->message);
      break;
    case GPR_LOG_SEVERITY_INFO:
      spdlog::info("grpc: {}", args->message);
      break;
    case GPR_LOG_SEVERITY_ERROR:
      spdlog::warn("grpc: {}", args->message);
      break;
  }
}

std::string DatabaseFlag() {
  std::string database = absl::GetFlag(FLAGS_database);
  if (database.empty()) {
    const char* from_env = std::getenv("SIGNET_DATABASE");
    if (from_env != nullptr) database = from_env;
  }
  return database;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectToStore() {
  std::string database = DatabaseFlag();
  if (database.empty()) {
    return absl::InvalidArgumentError(
        "no store: pass --database=CONNINFO or set SIGNET_DATABASE");
  }
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection =
      db::Connect(database);
  if (!connection.ok()) {
    return absl::Status(
        connection.status().code(),
        absl::StrCat(connection.status().message(),
                     "; check --database and that PostgreSQL is running"));
  }
  return connection;
}

int ExitCodeFor(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage
                                                             : kExitFailure;
}

int Fail(const absl::Status& status) {
  spdlog::error("{}", status.message());
  return ExitCodeFor(status);
}

absl::Status Migrate() {
  SIGNET_ASSIGN_OR_RETURN(auto connection, ConnectToStore());
  SIGNET_ASSIGN_OR_RETURN(db::MigrationReport report,
                          db::Migrate(*connection, db::EmbeddedMigrations()));
  if (report.applied.empty()) {
    spdlog::info("schema is current at version {}", report.to_version);
  } else {
    spdlog::info("schema migrated from version {} to {}: applied {}",
                 report.from_version, report.to_version,
                 absl::StrJoin(report.applied, ", "));
  }
  return absl::OkStatus();
}

absl::StatusOr<SignetdOptions> OptionsFromFlags() {
  SignetdOptions options;
  if (absl::GetFlag(FLAGS_listen).empty()) {
    return absl::InvalidArgumentError(
        "no --listen address: pass host:port (TLS) and/or unix:/path");
  }
  bool needs_tls = false;
  for (const std::string& text : absl::GetFlag(FLAGS_listen)) {
    SIGNET_ASSIGN_OR_RETURN(ListenAddress address, ParseListenAddress(text));
    needs_tls |= address.transport == ListenAddress::Transport::kTls;
    options.listen.push_back(std::move(address));
  }
  if (needs_tls) {
    SIGNET_ASSIGN_OR_RETURN(options.tls,
                            LoadTlsIdentity(absl::GetFlag(FLAGS_tls_cert),
                                            absl::GetFlag(FLAGS_tls_key)));
  }
  return options;
}

absl::Status PrepareStore() {
  SIGNET_ASSIGN_OR_RETURN(auto connection, ConnectToStore());
  if (absl::GetFlag(FLAGS_migrate)) return Migrate();
  return db::CheckSchemaIsCurrent(*connection, db::EmbeddedMigrations());
}

// Waits for SIGTERM or SIGINT, which main() blocked in every thread.
int AwaitStopSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

int Serve() {
  absl::StatusOr<SignetdOptions> options = OptionsFromFlags();
  if (!options.ok()) return Fail(options.status());
  if (absl::Status store = PrepareStore(); !store.ok()) return Fail(store);

  absl::StatusOr<std::unique_ptr<SignetdServer>> server =
      SignetdServer::Start(*options);
  if (!server.ok()) return Fail(server.status());
  spdlog::info("serving on {}",
               absl::StrJoin((*server)->bound_addresses(), ", "));

  int signal = AwaitStopSignal();
  absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
  spdlog::info("received {}, stopping; calls in flight have {}",
               signal == SIGTERM ? "SIGTERM" : "SIGINT",
               absl::FormatDuration(grace));
  (*server)->Shutdown(grace);
  spdlog::info("stopped");
  return EXIT_SUCCESS;
}

void BlockStopSignals() {
  // A shell starts background jobs with SIGINT ignored; restore the default
  // so that sigwait() sees it.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "the signet credential server.\n\n"
      "  signetd [serve] --listen=ADDRESS[,ADDRESS...] --database=CONNINFO\n"
      "  signetd migrate --database=CONNINFO\n");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (absl::Status logging =
          ConfigureLogging("signetd", absl::GetFlag(FLAGS_log_level));
      !logging.ok()) {
    fprintf(stderr, "signetd: %s\n", std::string(logging.message()).c_str());
    return kExitUsage;
  }
  gpr_set_log_function(LogFromGrpc);

  std::string command = args.size() > 1 ? args[1] : "serve";
  if (args.size() > 2) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "unexpected argument '", args[2], "'; see signetd --help")));
  }
  if (command == "migrate") {
    absl::Status migrated = Migrate();
    return migrated.ok() ? EXIT_SUCCESS : Fail(migrated);
  }
  if (command == "serve") {
    // Before any thread starts, so that only sigwait() sees these signals.
    BlockStopSignals();
    return Serve();
  }
  return Fail(absl::InvalidArgumentError(
      absl::StrCat("unknown command '", command, "': use serve or migrate")));
}

}  // namespace
}  // namespace signet::server

int main(int argc, char** argv) { return signet::server::Main(argc, argv); }
