#include "db/migrator.h"

#include <thread>

#include "absl/strings/match.h"
#include "db/connection.h"
#include "gtest/gtest.h"
#include "tests/private_postgres.h"

namespace signet::db {
namespace {

using ::signet::testing::SharedPostgres;

constexpr Migration kTwoMigrations[] = {
    {1, "0001_first.sql", "CREATE TABLE first (id integer PRIMARY KEY)"},
    {2, "0002_second.sql", "CREATE TABLE second (id integer PRIMARY KEY)"},
};

class MigratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> database = SharedPostgres().CreateDatabase();
    ASSERT_TRUE(database.ok()) << database.status();
    conninfo_ = *database;
  }

  std::unique_ptr<pqxx::connection> NewConnection() {
    absl::StatusOr<std::unique_ptr<pqxx::connection>> connection =
        Connect(conninfo_);
    EXPECT_TRUE(connection.ok()) << connection.status();
    return connection.ok() ? std::move(*connection) : nullptr;
  }

  int CountRows(const std::string& query) {
    auto connection = NewConnection();
    pqxx::nontransaction tx(*connection);
    return tx.exec1(query)[0].as<int>();
  }

  std::string conninfo_;
};

TEST_F(MigratorTest, EmptyDatabaseIsAtVersionZero) {
  auto connection = NewConnection();

  absl::StatusOr<int> version = SchemaVersion(*connection);

  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, 0);
  EXPECT_EQ(CheckSchemaIsCurrent(*connection, kTwoMigrations).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(MigratorTest, AppliesEachMigrationOnceInOrder) {
  auto connection = NewConnection();

  absl::StatusOr<MigrationReport> first = Migrate(*connection, kTwoMigrations);
  absl::StatusOr<MigrationReport> second = Migrate(*connection, kTwoMigrations);

  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->from_version, 0);
  EXPECT_EQ(first->to_version, 2);
  EXPECT_EQ(first->applied,
            (std::vector<std::string>{"0001_first.sql", "0002_second.sql"}));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->from_version, 2);
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(CountRows("SELECT count(*) FROM signet_schema_migrations"), 2);
  EXPECT_TRUE(CheckSchemaIsCurrent(*connection, kTwoMigrations).ok());
}

TEST_F(MigratorTest, ConcurrentMigrationsApplyEachMigrationOnce) {
  constexpr int kMigrators = 8;
  std::vector<absl::StatusOr<MigrationReport>> reports(
      kMigrators, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kMigrators; ++i) {
    threads.emplace_back([this, i, &reports] {
      auto connection = NewConnection();
      reports[i] = Migrate(*connection, EmbeddedMigrations());
    });
  }
  for (std::thread& thread : threads) thread.join();

  int appliers = 0;
  for (const auto& report : reports) {
    ASSERT_TRUE(report.ok()) << report.status();
    if (!report->applied.empty()) ++appliers;
  }
  EXPECT_EQ(appliers, 1);
  EXPECT_EQ(CountRows("SELECT count(*) FROM signet_schema_migrations"),
            static_cast<int>(EmbeddedMigrations().size()));
}

TEST_F(MigratorTest, FailedMigrationLeavesTheLastCompleteVersion) {
  constexpr Migration kBroken[] = {
      {1, "0001_first.sql", "CREATE TABLE first (id integer PRIMARY KEY)"},
      {2, "0002_broken.sql",
       "CREATE TABLE half (id integer); SELECT no_such_function()"},
  };
  auto connection = NewConnection();

  absl::StatusOr<MigrationReport> report = Migrate(*connection, kBroken);

  EXPECT_EQ(report.status().code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(absl::StrContains(report.status().message(), "0002_broken.sql"))
      << report.status();
  EXPECT_EQ(*SchemaVersion(*connection), 1);
  EXPECT_EQ(
      CountRows("SELECT count(*) FROM pg_tables WHERE tablename = 'half'"), 0);
}

TEST_F(MigratorTest, NewerSchemaIsRefused) {
  auto connection = NewConnection();
  ASSERT_TRUE(Migrate(*connection, kTwoMigrations).ok());

  absl::StatusOr<MigrationReport> report =
      Migrate(*connection, absl::MakeConstSpan(kTwoMigrations, 1));

  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      CheckSchemaIsCurrent(*connection, absl::MakeConstSpan(kTwoMigrations, 1))
          .code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(MigratorTest, OutOfOrderMigrationsAreRefused) {
  constexpr Migration kReversed[] = {
      {2, "0002_second.sql", "SELECT 1"},
      {1, "0001_first.sql", "SELECT 1"},
  };
  auto connection = NewConnection();

  EXPECT_EQ(Migrate(*connection, kReversed).status().code(),
            absl::StatusCode::kInternal);
}

TEST(EmbeddedMigrations, AreNumberedFromOneWithoutGaps) {
  absl::Span<const Migration> migrations = EmbeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i + 1))
        << migrations[i].name;
  }
}

}  // namespace
}  // namespace signet::db
