// signetd as a process: migrations, serving health and reflection over a
// unix socket and TLS, graceful stop, and refusing to start on bad input.

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "db/migrations.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "signet/v1/account_service.grpc.pb.h"
#include "tests/private_postgres.h"
#include "tests/subprocess.h"
#include "tests/test_certificates.h"

namespace signet {
namespace {

using ::grpc::health::v1::Health;
using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::signet::testing::CommandResult;
using ::signet::testing::RunCommand;
using ::signet::testing::SharedPostgres;
using ::signet::testing::Subprocess;

constexpr char kSignetd[] = "server/signetd";
constexpr char kSignetctl[] = "client/signetctl";
constexpr absl::Duration kStartTimeout = absl::Seconds(30);

class SignetdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = testing::MakeShortTempDirectory();
    absl::StatusOr<testing::TestCertificate> certificate =
        testing::MakeSelfSignedCertificate(directory_);
    ASSERT_TRUE(certificate.ok()) << certificate.status();
    certificate_ = *certificate;
    std::filesystem::create_directory(directory_ + "/other");
    absl::StatusOr<testing::TestCertificate> other =
        testing::MakeSelfSignedCertificate(directory_ + "/other");
    ASSERT_TRUE(other.ok()) << other.status();
    other_certificate_ = *other;
    absl::StatusOr<std::string> database = SharedPostgres().CreateDatabase();
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *database;
    socket_ = absl::StrCat("unix:", directory_, "/signetd.sock");
  }

  void TearDown() override { std::filesystem::remove_all(directory_); }

  CommandResult Signetd(std::vector<std::string> args) {
    args.insert(args.begin(), kSignetd);
    absl::StatusOr<CommandResult> result = RunCommand(args);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{-1, ""};
  }

  void Migrate() {
    CommandResult migrated =
        Signetd({"migrate", absl::StrCat("--database=", database_)});
    ASSERT_EQ(migrated.exit_code, 0) << migrated.output;
  }

  // Starts `signetd serve` on the unix socket and on a free TLS port, and
  // waits until it says it is serving.
  std::unique_ptr<Subprocess> StartSignetd(
      std::vector<std::string> extra_flags = {}) {
    std::vector<std::string> argv = {
        kSignetd, absl::StrCat("--listen=", socket_, ",127.0.0.1:0"),
        absl::StrCat("--tls_cert=", certificate_.certificate_path),
        absl::StrCat("--tls_key=", certificate_.key_path),
        absl::StrCat("--database=", database_)};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    absl::StatusOr<std::unique_ptr<Subprocess>> signetd =
        Subprocess::Start(argv);
    EXPECT_TRUE(signetd.ok()) << signetd.status();
    if (!signetd.ok()) return nullptr;
    absl::Status serving =
        (*signetd)->WaitForOutput("serving on", kStartTimeout);
    EXPECT_TRUE(serving.ok()) << serving;
    tls_address_ = TlsAddressFrom((*signetd)->Output());
    return std::move(*signetd);
  }

  // The TLS address from "serving on unix:/x/signetd.sock, 127.0.0.1:41234".
  static std::string TlsAddressFrom(const std::string& output) {
    size_t at = output.find("serving on ");
    std::string line = output.substr(at, output.find('\n', at) - at);
    for (absl::string_view address : absl::StrSplit(line, ", ")) {
      if (absl::StartsWith(address, "127.0.0.1:")) return std::string(address);
    }
    return "";
  }

  std::shared_ptr<grpc::Channel> Channel(const std::string& target) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        client::CreateChannel(target, {certificate_.certificate_path, ""});
    EXPECT_TRUE(channel.ok()) << channel.status();
    return channel.ok() ? *channel : nullptr;
  }

  static grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                                  HealthCheckResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return Health::NewStub(channel)->Check(&context, HealthCheckRequest(),
                                           response);
  }

  int MigrationRows() {
    absl::StatusOr<CommandResult> rows = RunCommand(
        {"psql", "-Atc", "SELECT count(*) FROM signet_schema_migrations",
         database_});
    EXPECT_TRUE(rows.ok() && rows->exit_code == 0);
    int count = -1;
    EXPECT_TRUE(rows.ok() && absl::SimpleAtoi(rows->output, &count))
        << (rows.ok() ? rows->output : rows.status().ToString());
    return count;
  }

  std::string directory_;
  testing::TestCertificate certificate_;
  testing::TestCertificate other_certificate_;
  std::string database_;
  std::string socket_;
  std::string tls_address_;
};

TEST_F(SignetdTest, MigrateTwiceLeavesOneSchema) {
  CommandResult first =
      Signetd({"migrate", absl::StrCat("--database=", database_)});
  CommandResult second =
      Signetd({"migrate", absl::StrCat("--database=", database_)});

  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_TRUE(absl::StrContains(first.output, "applied")) << first.output;
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_TRUE(absl::StrContains(second.output, "schema is current"))
      << second.output;
  EXPECT_EQ(MigrationRows(), static_cast<int>(db::EmbeddedMigrations().size()));
}

TEST_F(SignetdTest, ConcurrentMigrateProcessesApplyEachMigrationOnce) {
  std::vector<std::unique_ptr<Subprocess>> migrators;
  for (int i = 0; i < 4; ++i) {
    auto migrator = Subprocess::Start(
        {kSignetd, "migrate", absl::StrCat("--database=", database_)});
    ASSERT_TRUE(migrator.ok()) << migrator.status();
    migrators.push_back(std::move(*migrator));
  }

  int appliers = 0;
  for (auto& migrator : migrators) {
    absl::StatusOr<int> exit_code = migrator->Wait(absl::Seconds(60));
    ASSERT_TRUE(exit_code.ok()) << exit_code.status();
    EXPECT_EQ(*exit_code, 0) << migrator->Output();
    if (absl::StrContains(migrator->Output(), "applied")) ++appliers;
  }
  EXPECT_EQ(appliers, 1);
  CommandResult again =
      Signetd({"migrate", absl::StrCat("--database=", database_)});
  EXPECT_TRUE(absl::StrContains(again.output, "schema is current"));
}

TEST_F(SignetdTest, HealthIsServingOverUnixSocketAndTls) {
  Migrate();
  auto signetd = StartSignetd();
  ASSERT_NE(signetd, nullptr);
  ASSERT_FALSE(tls_address_.empty()) << signetd->Output();

  for (const std::string& target : {socket_, tls_address_}) {
    HealthCheckResponse response;
    grpc::Status status = CheckHealth(Channel(target), &response);

    ASSERT_TRUE(status.ok()) << target << ": " << status.error_message();
    EXPECT_EQ(response.status(), HealthCheckResponse::SERVING) << target;
  }
}

TEST_F(SignetdTest, SignetctlReportsServing) {
  Migrate();
  auto signetd = StartSignetd();
  ASSERT_NE(signetd, nullptr);

  absl::StatusOr<CommandResult> over_socket =
      RunCommand({kSignetctl, absl::StrCat("--target=", socket_), "health"});
  absl::StatusOr<CommandResult> over_tls = RunCommand(
      {kSignetctl, absl::StrCat("--target=", tls_address_),
       absl::StrCat("--tls_ca=", certificate_.certificate_path), "health"});

  ASSERT_TRUE(over_socket.ok() && over_tls.ok());
  EXPECT_EQ(over_socket->exit_code, 0) << over_socket->output;
  EXPECT_EQ(over_socket->output, "SERVING\n");
  EXPECT_EQ(over_tls->exit_code, 0) << over_tls->output;
  EXPECT_EQ(over_tls->output, "SERVING\n");
}

TEST_F(SignetdTest, TlsClientThatDoesNotTrustTheCertificateIsRefused) {
  Migrate();
  auto signetd = StartSignetd();
  ASSERT_NE(signetd, nullptr);

  absl::StatusOr<CommandResult> untrusted = RunCommand(
      {kSignetctl, absl::StrCat("--target=", tls_address_), "health"});

  ASSERT_TRUE(untrusted.ok());
  EXPECT_EQ(untrusted->exit_code,
            static_cast<int>(grpc::StatusCode::UNAVAILABLE))
      << untrusted->output;
}

TEST_F(SignetdTest, ReflectionListsTheHealthService) {
  Migrate();
  auto signetd = StartSignetd();
  ASSERT_NE(signetd, nullptr);
  using ::grpc::reflection::v1alpha::ServerReflection;
  using ::grpc::reflection::v1alpha::ServerReflectionRequest;
  using ::grpc::reflection::v1alpha::ServerReflectionResponse;

  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  auto stream = ServerReflection::NewStub(Channel(socket_))
                    ->ServerReflectionInfo(&context);
  ServerReflectionRequest request;
  request.set_list_services("");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));

  std::vector<std::string> services;
  for (const auto& service : response.list_services_response().service()) {
    services.push_back(service.name());
  }
  EXPECT_NE(
      std::find(services.begin(), services.end(), "grpc.health.v1.Health"),
      services.end());
}

TEST_F(SignetdTest, SigtermTellsWatchersAndStopsWithinTheGracePeriod) {
  Migrate();
  auto signetd = StartSignetd({"--shutdown_grace=1s"});
  ASSERT_NE(signetd, nullptr);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto watch =
      Health::NewStub(Channel(socket_))->Watch(&context, HealthCheckRequest());
  HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  ASSERT_EQ(update.status(), HealthCheckResponse::SERVING);

  absl::Time stop_sent = absl::Now();
  signetd->Signal(SIGTERM);

  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), HealthCheckResponse::NOT_SERVING);
  absl::StatusOr<int> exit_code = signetd->Wait(absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << signetd->Output();
  // The watch never ends by itself: it was cancelled when the grace ran out.
  EXPECT_LT(absl::Now() - stop_sent, absl::Seconds(15));
  EXPECT_TRUE(absl::StrContains(signetd->Output(), "stopped"));
}

TEST_F(SignetdTest, SigintStopsToo) {
  Migrate();
  auto signetd = StartSignetd();
  ASSERT_NE(signetd, nullptr);

  signetd->Signal(SIGINT);

  absl::StatusOr<int> exit_code = signetd->Wait(absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << signetd->Output();
}

TEST_F(SignetdTest, MigrateFlagAppliesMigrationsBeforeServing) {
  auto signetd = StartSignetd({"--migrate"});
  ASSERT_NE(signetd, nullptr);

  EXPECT_TRUE(absl::StrContains(signetd->Output(), "schema migrated"));
  EXPECT_EQ(MigrationRows(), static_cast<int>(db::EmbeddedMigrations().size()));
}

TEST_F(SignetdTest, BootstrapWritesAPrivateKeyFileOnce) {
  Migrate();
  std::string key_file = absl::StrCat(directory_, "/admin.json");
  std::vector<std::string> bootstrap = {
      "bootstrap", absl::StrCat("--database=", database_),
      "--account_id=root-admin", absl::StrCat("--key_file=", key_file)};

  CommandResult first = Signetd(bootstrap);
  CommandResult second =
      Signetd({"bootstrap", absl::StrCat("--database=", database_),
               "--account_id=other-admin",
               absl::StrCat("--key_file=", directory_, "/other.json")});

  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_EQ(
      std::filesystem::status(key_file).permissions() &
          std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(second.exit_code, 1) << second.output;
  EXPECT_TRUE(absl::StrContains(second.output, "bootstrap already done"))
      << second.output;
  EXPECT_FALSE(
      std::filesystem::exists(absl::StrCat(directory_, "/other.json")));
}

TEST_F(SignetdTest, BootstrapRegistersAnOperatorsPublicKey) {
  Migrate();
  std::string public_key = absl::StrCat(directory_, "/admin.pub.pem");
  ASSERT_EQ(RunCommand({"openssl", "pkey", "-in", other_certificate_.key_path,
                        "-pubout", "-out", public_key})
                ->exit_code,
            0);

  CommandResult result = Signetd(
      {"bootstrap", absl::StrCat("--database=", database_),
       "--account_id=root-admin", absl::StrCat("--public_key=", public_key)});

  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(absl::StrContains(result.output, "is a global admin"));
}

TEST_F(SignetdTest, KilledMidWayLosesNoAcknowledgedWrite) {
  Migrate();
  std::string key_file = absl::StrCat(directory_, "/admin.json");
  ASSERT_EQ(Signetd({"bootstrap", absl::StrCat("--database=", database_),
                     "--account_id=root-admin",
                     absl::StrCat("--key_file=", key_file)})
                .exit_code,
            0);
  auto signetd = StartSignetd();
  ASSERT_NE(signetd, nullptr);
  auto credentials = *client::CallCredentialsFromKeyFile(key_file);
  auto stub = v1::AccountService::NewStub(
      *client::CreateChannel(socket_, {}, credentials));

  std::atomic<bool> stop{false};
  std::vector<std::string> acknowledged;
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
      v1::CreateServiceAccountRequest request;
      request.set_account_id(absl::StrCat("written-", i));
      v1::ServiceAccount account;
      if (stub->CreateServiceAccount(&context, request, &account).ok()) {
        acknowledged.push_back(request.account_id());
      }
    }
  });
  absl::SleepFor(absl::Milliseconds(500));
  signetd->Signal(SIGKILL);
  ASSERT_TRUE(signetd->Wait(absl::Seconds(10)).ok());
  stop = true;
  writer.join();

  auto restarted = StartSignetd();
  ASSERT_NE(restarted, nullptr);
  ASSERT_GT(acknowledged.size(), 0u);
  for (const std::string& account_id : acknowledged) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    // The channel is still backing off from the killed server.
    context.set_wait_for_ready(true);
    v1::GetServiceAccountRequest request;
    request.set_name(absl::StrCat("accounts/", account_id));
    v1::ServiceAccount account;
    grpc::Status status = stub->GetServiceAccount(&context, request, &account);
    EXPECT_TRUE(status.ok()) << account_id << ": " << status.error_message();
  }
}

class SignetctlTest : public SignetdTest {
 protected:
  void SetUp() override {
    SignetdTest::SetUp();
    Migrate();
    admin_key_ = absl::StrCat(directory_, "/admin.json");
    ASSERT_EQ(Signetd({"bootstrap", absl::StrCat("--database=", database_),
                       "--account_id=root-admin",
                       absl::StrCat("--key_file=", admin_key_)})
                  .exit_code,
              0);
    signetd_ = StartSignetd();
    ASSERT_NE(signetd_, nullptr);
  }

  // signetctl with the target set and `key_file` (the admin's by default).
  CommandResult Ctl(std::vector<std::string> args,
                    const std::string& key_file = "") {
    args.insert(args.begin(),
                {kSignetctl, absl::StrCat("--target=", socket_),
                 absl::StrCat("--key_file=",
                              key_file.empty() ? admin_key_ : key_file)});
    absl::StatusOr<CommandResult> result = RunCommand(args);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{-1, ""};
  }

  std::string admin_key_;
  std::unique_ptr<Subprocess> signetd_;
};

TEST_F(SignetctlTest, OperatorFlowFromAccountToRevokedKey) {
  std::string robot_key = absl::StrCat(directory_, "/robot.json");
  ASSERT_EQ(Ctl({"accounts", "create", "robot-one", "--display_name=Robot one"})
                .exit_code,
            0);
  CommandResult created =
      Ctl({"keys", "create", "robot-one", "--algorithm=ES256",
           absl::StrCat("--out=", robot_key)});
  ASSERT_EQ(created.exit_code, 0) << created.output;
  EXPECT_EQ(
      std::filesystem::status(robot_key).permissions() &
          std::filesystem::perms::all,
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ASSERT_EQ(Ctl({"roles", "grant", "robot-one", "viewer"}).exit_code, 0);

  CommandResult token =
      Ctl({"token", "print", "--audience=https://localhost/"}, robot_key);
  ASSERT_EQ(token.exit_code, 0) << token.output;
  std::string jwt(absl::StripAsciiWhitespace(token.output));
  CommandResult verified =
      Ctl({"token", "verify", jwt, "--audience=https://localhost/"});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_TRUE(
      absl::StrContains(verified.output, "verified: robot-one@signet.internal"))
      << verified.output;

  CommandResult keys = Ctl({"keys", "list", "robot-one", "--format=json"});
  ASSERT_EQ(keys.exit_code, 0) << keys.output;
  nlohmann::json listed = nlohmann::json::parse(keys.output);
  std::string key_id = listed["keys"][0]["key_id"];
  ASSERT_EQ(Ctl({"keys", "disable", "robot-one", key_id}).exit_code, 0);

  absl::Time deadline = absl::Now() + absl::Seconds(10);
  CommandResult refused;
  do {
    refused = Ctl({"token", "verify", jwt, "--audience=https://localhost/"});
  } while (refused.exit_code == 0 && absl::Now() < deadline);
  EXPECT_EQ(refused.exit_code, 16) << refused.output;
  EXPECT_TRUE(absl::StrContains(refused.output, "refused: key_disabled"))
      << refused.output;
}

TEST_F(SignetctlTest, ExitCodesFollowTheStatus) {
  std::string viewer_key = absl::StrCat(directory_, "/viewer.json");
  ASSERT_EQ(Ctl({"accounts", "create", "viewer-one"}).exit_code, 0);
  ASSERT_EQ(
      Ctl({"keys", "create", "viewer-one", absl::StrCat("--out=", viewer_key)})
          .exit_code,
      0);
  ASSERT_EQ(Ctl({"roles", "grant", "viewer-one", "viewer"}).exit_code, 0);

  EXPECT_EQ(Ctl({"accounts", "get", "no-such-robot"}).exit_code, 5);
  EXPECT_EQ(Ctl({"accounts", "create", "made-by-viewer"}, viewer_key).exit_code,
            7);
  ASSERT_EQ(Ctl({"accounts", "disable", "viewer-one"}).exit_code, 0);
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  int code;
  do {
    code = Ctl({"accounts", "list"}, viewer_key).exit_code;
  } while (code == 0 && absl::Now() < deadline);
  EXPECT_EQ(code, 16);
  EXPECT_EQ(Ctl({"accounts", "get"}).exit_code, 2);
  EXPECT_EQ(Ctl({"no-such-command"}).exit_code, 2);
}

TEST_F(SignetctlTest, JsonOutputParses) {
  ASSERT_EQ(Ctl({"accounts", "create", "json-robot"}).exit_code, 0);
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"accounts", "get", "json-robot"},
        std::vector<std::string>{"accounts", "list"},
        std::vector<std::string>{"keys", "list", "json-robot"},
        std::vector<std::string>{"roles", "list"},
        std::vector<std::string>{"audit", "list"}}) {
    std::vector<std::string> args = command;
    args.push_back("--format=json");

    CommandResult result = Ctl(args);

    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_FALSE(
        nlohmann::json::parse(result.output, nullptr, false).is_discarded())
        << absl::StrJoin(command, " ") << ": " << result.output;
  }
}

TEST_F(SignetctlTest, EveryCommandHasHelp) {
  for (const char* command :
       {"health",          "accounts create", "accounts get",
        "accounts list",   "accounts update", "accounts disable",
        "accounts enable", "accounts delete", "keys create",
        "keys upload",     "keys get",        "keys list",
        "keys disable",    "keys enable",     "keys delete",
        "keys watch",      "roles grant",     "roles revoke",
        "roles list",      "audit list",      "token print",
        "token verify"}) {
    std::vector<std::string> args = absl::StrSplit(command, ' ');
    args.insert(args.begin(), kSignetctl);
    args.push_back("--help");

    absl::StatusOr<CommandResult> help = RunCommand(args);

    ASSERT_TRUE(help.ok());
    EXPECT_EQ(help->exit_code, 0) << command;
    EXPECT_TRUE(absl::StrContains(help->output,
                                  absl::StrCat("Usage: signetctl ", command)))
        << help->output;
  }
  for (const char* group : {"accounts", "keys", "roles", "audit", "token"}) {
    absl::StatusOr<CommandResult> help =
        RunCommand({kSignetctl, group, "--help"});
    ASSERT_TRUE(help.ok());
    EXPECT_EQ(help->exit_code, 0);
    EXPECT_TRUE(absl::StrContains(help->output, "Commands:")) << group;
  }
}

struct BadStart {
  std::string name;
  std::vector<std::string> flags;  // after --database, which comes first
  std::string message;             // a part of the one error line
  int exit_code;
};

void PrintTo(const BadStart& bad, std::ostream* out) { *out << bad.name; }

class SignetdBadStartTest : public SignetdTest,
                            public ::testing::WithParamInterface<BadStart> {};

TEST_P(SignetdBadStartTest, ExitsNonZeroWithOneClearLine) {
  Migrate();
  const BadStart& bad = GetParam();
  std::vector<std::string> args;
  for (const std::string& flag : bad.flags) {
    args.push_back(
        absl::StrReplaceAll(flag, {{"$DIR", directory_},
                                   {"$DATABASE", database_},
                                   {"$CERT", certificate_.certificate_path},
                                   {"$OTHER_KEY", other_certificate_.key_path},
                                   {"$KEY", certificate_.key_path}}));
  }

  CommandResult result = Signetd(args);

  EXPECT_EQ(result.exit_code, bad.exit_code) << result.output;
  EXPECT_TRUE(absl::StrContains(
      result.output, absl::StrReplaceAll(bad.message, {{"$DIR", directory_}})))
      << result.output;
  EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1)
      << result.output;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SignetdBadStartTest,
    ::testing::Values(
        BadStart{"UnknownFlag", {"--no_such_flag=1"}, "no_such_flag", 1},
        BadStart{"BadDuration",
                 {"--listen=unix:$DIR/s", "--shutdown_grace=soon"},
                 "shutdown_grace",
                 1},
        BadStart{"BadLogLevel",
                 {"--listen=unix:$DIR/s", "--log_level=loud"},
                 "--log_level=loud is not one of",
                 2},
        BadStart{"NoListenAddress", {"--database=$DATABASE"}, "no --listen", 2},
        BadStart{"ListenAddressWithoutPort",
                 {"--listen=localhost", "--database=$DATABASE"},
                 "--listen=localhost: no port",
                 2},
        BadStart{"RelativeSocketPath",
                 {"--listen=unix:signetd.sock", "--database=$DATABASE"},
                 "must be absolute",
                 2},
        BadStart{"TlsWithoutCertificate",
                 {"--listen=127.0.0.1:0", "--database=$DATABASE"},
                 "--tls_cert is required",
                 2},
        BadStart{"UnreadableCertificate",
                 {"--listen=127.0.0.1:0", "--tls_cert=$DIR/missing.pem",
                  "--tls_key=$KEY", "--database=$DATABASE"},
                 "--tls_cert: cannot read",
                 2},
        BadStart{"CertificateThatIsNotPem",
                 {"--listen=127.0.0.1:0", "--tls_cert=$KEY", "--tls_key=$KEY",
                  "--database=$DATABASE"},
                 "is not a PEM certificate",
                 2},
        BadStart{"KeyOfAnotherCertificate",
                 {"--listen=127.0.0.1:0", "--tls_cert=$CERT", "--tls_key=$CERT",
                  "--database=$DATABASE"},
                 "is not an unencrypted PEM private key",
                 2},
        BadStart{"NoDatabase", {"--listen=unix:$DIR/s"}, "no store", 2},
        BadStart{"UnreachableDatabase",
                 {"--listen=unix:$DIR/s",
                  "--database=host=$DIR/nowhere dbname=signet"},
                 "cannot connect to the store",
                 1},
        BadStart{"SocketDirectoryMissing",
                 {"--listen=unix:$DIR/missing/s", "--database=$DATABASE"},
                 "directory $DIR/missing",
                 1},
        BadStart{"UnknownCommand",
                 {"--database=$DATABASE", "serve-all"},
                 "unknown command 'serve-all'",
                 2}),
    [](const ::testing::TestParamInfo<BadStart>& info) {
      return info.param.name;
    });

TEST_F(SignetdTest, AddressInUseIsRefused) {
  Migrate();
  auto first = StartSignetd();
  ASSERT_NE(first, nullptr);

  CommandResult second =
      Signetd({absl::StrCat("--listen=", tls_address_),
               absl::StrCat("--tls_cert=", certificate_.certificate_path),
               absl::StrCat("--tls_key=", certificate_.key_path),
               absl::StrCat("--database=", database_)});

  EXPECT_EQ(second.exit_code, 1) << second.output;
  EXPECT_TRUE(absl::StrContains(
      second.output, absl::StrCat("cannot listen on ", tls_address_)))
      << second.output;
}

TEST_F(SignetdTest, SocketOfARunningServerIsNotTakenOver) {
  Migrate();
  auto first = StartSignetd();
  ASSERT_NE(first, nullptr);

  CommandResult second = Signetd({absl::StrCat("--listen=", socket_),
                                  absl::StrCat("--database=", database_)});

  EXPECT_EQ(second.exit_code, 1) << second.output;
  EXPECT_TRUE(
      absl::StrContains(second.output, "another server is listening there"))
      << second.output;
  HealthCheckResponse response;
  EXPECT_TRUE(CheckHealth(Channel(socket_), &response).ok());
}

TEST_F(SignetdTest, StaleSocketFileIsReplaced) {
  Migrate();
  auto first = StartSignetd();
  ASSERT_NE(first, nullptr);
  first->Signal(SIGKILL);  // leaves its socket file behind
  ASSERT_TRUE(first->Wait(absl::Seconds(10)).ok());

  auto second = StartSignetd();

  ASSERT_NE(second, nullptr);
  HealthCheckResponse response;
  EXPECT_TRUE(CheckHealth(Channel(socket_), &response).ok());
}

TEST_F(SignetdTest, UnmigratedDatabaseIsRefusedWithWhatToRun) {
  CommandResult result = Signetd({absl::StrCat("--listen=", socket_),
                                  absl::StrCat("--database=", database_)});

  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_TRUE(absl::StrContains(result.output, "run `signetd migrate`"))
      << result.output;
}

}  // namespace
}  // namespace signet
