// Scale: key lookups with 1,000 and with 100,000 accounts of 3 keys each in
// PostgreSQL. The lookup (by key id, the primary key) must not grow with
// the number of accounts, and signetd's memory must not either: it holds
// no account in memory. Also: the verifier's key cache stays within its
// size bound however many keys pass through it.
//
//   bazel run -c opt //bench:scale_bench
//   bazel run -c opt //bench:scale_bench -- --lookups=5000
//
// Each scale gets a private PostgreSQL of its own, filled in bulk, and a
// signetd process on it; lookups go straight to PostgreSQL (the
// PostgresKeySource a verifier uses) and through signetd's GetKey.

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/latency.h"
#include "bench/process_usage.h"
#include "bench/signet_stack.h"
#include "db/connection_pool.h"
#include "jwt/private_key.h"
#include "signet/v1/token_verifier.grpc.pb.h"
#include "verifier/cached_key_source.h"
#include "verifier/postgres_key_source.h"

ABSL_FLAG(std::vector<std::string>, accounts,
          std::vector<std::string>({"1000", "100000"}),
          "The account counts to compare; each account has 3 keys.");
ABSL_FLAG(int, lookups, 5000, "Lookups of random existing key ids per scale.");
ABSL_FLAG(int, cache_bound, 1000,
          "The verifier cache's max_keys for the memory check.");

namespace signet::bench {
namespace {

constexpr int kKeysPerAccount = 3;

struct Scale {
  int accounts = 0;
  std::string plan;  // how PostgreSQL finds a key by id
  std::vector<absl::Duration> direct;
  std::vector<absl::Duration> through_signetd;
  int64_t signetd_idle_bytes = 0;
  int64_t signetd_after_bytes = 0;
};

// Fills the store with `accounts` accounts of kKeysPerAccount keys in a few
// statements. Every key row holds the same real public key (lookups parse
// it) and a distinct fingerprint. Triggers are off meanwhile: no verifier
// listens yet, and 400,000 notifications would only fill the queue.
absl::Status Populate(pqxx::connection& connection, int accounts) {
  absl::StatusOr<jwt::PrivateKey> key =
      jwt::PrivateKey::Generate(jwt::Algorithm::kEs256);
  if (!key.ok()) return key.status();
  std::string spki = key->public_key().spki_der();
  try {
    pqxx::work tx(connection);
    tx.exec("ALTER TABLE accounts DISABLE TRIGGER USER");
    tx.exec("ALTER TABLE keys DISABLE TRIGGER USER");
    tx.exec_params(
        "INSERT INTO accounts (uid, account_id, email) "
        "SELECT gen_random_uuid(), 'scale-' || i, "
        "'scale-' || i || '@signet.test' FROM generate_series(1, $1) AS i",
        accounts);
    tx.exec_params(
        "INSERT INTO keys (key_id, account_uid, algorithm, public_key, "
        "fingerprint, origin) "
        "SELECT md5(a.account_id || '/' || k), a.uid, 'ES256', $1, "
        "sha256(convert_to(a.account_id || '/' || k, 'UTF8')), 'generated' "
        "FROM accounts a, generate_series(1, $2) AS k "
        "WHERE a.account_id LIKE 'scale-%'",
        pqxx::binarystring(spki), kKeysPerAccount);
    tx.exec("ALTER TABLE accounts ENABLE TRIGGER USER");
    tx.exec("ALTER TABLE keys ENABLE TRIGGER USER");
    tx.commit();
    pqxx::nontransaction(connection).exec("ANALYZE");
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("filling the store: ", e.what()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> SampleKeyIds(
    const std::string& database, int count, std::string* plan) {
  try {
    pqxx::connection connection(database);
    pqxx::nontransaction tx(connection);
    std::vector<std::string> key_ids;
    // The filled-in accounts' keys only, not the bootstrapped admin's.
    for (const pqxx::row& row : tx.exec_params(
             "SELECT k.key_id FROM keys k JOIN accounts a ON a.uid = "
             "k.account_uid WHERE a.account_id LIKE 'scale-%' "
             "ORDER BY random() LIMIT $1",
             count)) {
      key_ids.push_back(row[0].as<std::string>());
    }
    if (key_ids.empty()) return absl::InvalidArgumentError("no key to look up");
    // The plan of the verifier's own lookup statement, for one key id.
    pqxx::result explained = tx.exec_params(
        absl::StrCat("EXPLAIN ", verifier::PostgresKeySource::kLookupSql),
        key_ids.front());
    for (const pqxx::row& row : explained) {
      absl::StrAppend(plan, row[0].as<std::string>(), "\n");
    }
    return key_ids;
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("sampling key ids: ", e.what()));
  }
}

absl::Status TimeDirectLookups(const std::string& database,
                               const std::vector<std::string>& key_ids,
                               std::vector<absl::Duration>& samples) {
  verifier::PostgresKeySource source(
      std::make_shared<db::ConnectionPool>(database, 1));
  for (const std::string& key_id : key_ids) {
    absl::Time start = absl::Now();
    absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> record =
        source.FindKey(key_id);
    samples.push_back(absl::Now() - start);
    if (!record.ok()) return record.status();
  }
  return absl::OkStatus();
}

absl::Status TimeGetKey(SignetStack& stack,
                        const std::vector<std::string>& key_ids,
                        std::vector<absl::Duration>& samples) {
  auto stub = v1::TokenVerifier::NewStub(stack.admin_channel());
  for (const std::string& key_id : key_ids) {
    v1::GetKeyInfoRequest request;
    request.set_key_id(key_id);
    v1::KeyInfo info;
    absl::Time start = absl::Now();
    grpc::Status status = stub->GetKey(BenchContext().get(), request, &info);
    samples.push_back(absl::Now() - start);
    if (!status.ok()) {
      return absl::InternalError(
          absl::StrCat("GetKey ", key_id, ": ", status.error_message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Scale> Measure(int accounts) {
  Scale scale;
  scale.accounts = accounts;
  absl::StatusOr<std::unique_ptr<SignetStack>> stack =
      SignetStack::Start([accounts](pqxx::connection& connection) {
        return Populate(connection, accounts);
      });
  if (!stack.ok()) return stack.status();

  absl::StatusOr<std::vector<std::string>> key_ids = SampleKeyIds(
      (*stack)->database(), absl::GetFlag(FLAGS_lookups), &scale.plan);
  if (!key_ids.ok()) return key_ids.status();
  absl::StatusOr<int64_t> idle = ResidentBytes((*stack)->signetd_pid());
  if (!idle.ok()) return idle.status();
  scale.signetd_idle_bytes = *idle;

  if (absl::Status timed =
          TimeDirectLookups((*stack)->database(), *key_ids, scale.direct);
      !timed.ok()) {
    return timed;
  }
  if (absl::Status timed = TimeGetKey(**stack, *key_ids, scale.through_signetd);
      !timed.ok()) {
    return timed;
  }
  absl::StatusOr<int64_t> after = ResidentBytes((*stack)->signetd_pid());
  if (!after.ok()) return after.status();
  scale.signetd_after_bytes = *after;
  return scale;
}

std::string MiB(int64_t bytes) {
  return absl::StrFormat("%.1f MiB", bytes / (1024.0 * 1024.0));
}

struct CacheFill {
  size_t largest = 0;       // the most entries the cache held
  int64_t grown_bytes = 0;  // this process's resident memory growth
};

// Looks up `key_ids` through a cache bounded at `bound`, and reports the
// most it held and how much this process's memory grew meanwhile.
absl::StatusOr<CacheFill> FillCache(const std::string& database,
                                    const std::vector<std::string>& key_ids,
                                    int bound) {
  absl::StatusOr<int64_t> before = ResidentBytes(getpid());
  if (!before.ok()) return before.status();
  verifier::KeyCacheOptions options;
  options.max_keys = bound;
  verifier::CachedKeySource cache(
      std::make_shared<verifier::PostgresKeySource>(
          std::make_shared<db::ConnectionPool>(database, 1)),
      options);
  CacheFill fill;
  for (const std::string& key_id : key_ids) {
    if (absl::Status found = cache.FindKey(key_id).status(); !found.ok()) {
      return found;
    }
    fill.largest = std::max(fill.largest, cache.size());
  }
  absl::StatusOr<int64_t> after = ResidentBytes(getpid());
  if (!after.ok()) return after.status();
  fill.grown_bytes = *after - *before;
  return fill;
}

// The cache bounded at `bound` and at ten times that, each fed ten times
// `bound` distinct keys from a store of their own.
absl::Status ReportCacheBound(int bound) {
  int distinct_keys = 10 * bound;
  int accounts = (distinct_keys + kKeysPerAccount - 1) / kKeysPerAccount;
  absl::StatusOr<std::unique_ptr<SignetStack>> stack =
      SignetStack::Start([accounts](pqxx::connection& connection) {
        return Populate(connection, accounts);
      });
  if (!stack.ok()) return stack.status();
  std::string plan;
  absl::StatusOr<std::vector<std::string>> key_ids =
      SampleKeyIds((*stack)->database(), distinct_keys, &plan);
  if (!key_ids.ok()) return key_ids.status();

  printf("\nVerifier key cache fed %d distinct keys\n", distinct_keys);
  printf("%10s %12s %16s\n", "max_keys", "held at most", "memory grown");
  bool met = true;
  // The small bound first: memory freed by one run is reused by the next,
  // which would hide the second run's growth.
  for (int max_keys : {bound, distinct_keys}) {
    absl::StatusOr<CacheFill> fill =
        FillCache((*stack)->database(), *key_ids, max_keys);
    if (!fill.ok()) return fill.status();
    met &= fill->largest <= static_cast<size_t>(max_keys);
    printf("%10d %12zu %16s\n", max_keys, fill->largest,
           MiB(fill->grown_bytes).c_str());
  }
  printf("held within max_keys: %s\n", met ? "met" : "MISSED");
  return met ? absl::OkStatus()
             : absl::FailedPreconditionError("the cache outgrew max_keys");
}

void Report(const std::vector<Scale>& scales) {
  printf("\nKey lookup by key id (single caller; p50 / p99)\n");
  printf("%10s %10s %22s %22s %14s %14s\n", "accounts", "keys",
         "PostgreSQL directly", "signetd GetKey", "signetd idle",
         "signetd after");
  for (const Scale& scale : scales) {
    printf("%10d %10d %10s / %9s %10s / %9s %14s %14s\n", scale.accounts,
           scale.accounts * kKeysPerAccount,
           Micros(Percentile(scale.direct, 0.5)).c_str(),
           Micros(Percentile(scale.direct, 0.99)).c_str(),
           Micros(Percentile(scale.through_signetd, 0.5)).c_str(),
           Micros(Percentile(scale.through_signetd, 0.99)).c_str(),
           MiB(scale.signetd_idle_bytes).c_str(),
           MiB(scale.signetd_after_bytes).c_str());
  }
  const Scale& small = scales.front();
  const Scale& large = scales.back();
  double direct = absl::FDivDuration(Percentile(large.direct, 0.5),
                                     Percentile(small.direct, 0.5));
  double rpc = absl::FDivDuration(Percentile(large.through_signetd, 0.5),
                                  Percentile(small.through_signetd, 0.5));
  printf(
      "\np50 at %d accounts / p50 at %d accounts: PostgreSQL %.2f, "
      "signetd %.2f (an index lookup stays near 1; a sequential scan "
      "would grow with the table, here %dx)\n",
      large.accounts, small.accounts, direct, rpc,
      large.accounts / small.accounts);
  printf("\nPostgreSQL's plan at %d accounts:\n%s", large.accounts,
         large.plan.c_str());
}

absl::Status Run() {
  std::vector<Scale> scales;
  for (const std::string& count : absl::GetFlag(FLAGS_accounts)) {
    int accounts = 0;
    if (!absl::SimpleAtoi(count, &accounts) || accounts < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--accounts: not a count: ", count));
    }
    absl::StatusOr<Scale> scale = Measure(accounts);
    if (!scale.ok()) return scale.status();
    scales.push_back(*std::move(scale));
  }
  Report(scales);

  return ReportCacheBound(absl::GetFlag(FLAGS_cache_bound));
}

}  // namespace
}  // namespace signet::bench

int main(int argc, char** argv) {
  return signet::bench::BenchmarkMain("scale_bench", argc, argv,
                                      signet::bench::Run);
}
