#ifndef SIGNET_DB_CONNECTION_POOL_H_
#define SIGNET_DB_CONNECTION_POOL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "pqxx/pqxx"

namespace signet::db {

// A fixed number of libpq connections shared by many threads; a libpqxx
// connection itself serves one thread at a time. Connections are opened on
// first use and reopened after they break, so the pool recovers by itself
// when PostgreSQL comes back. Thread-safe.
class ConnectionPool {
 public:
  // A connection lent out; it goes back to the pool when destroyed, or is
  // dropped if it broke.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    ~Lease();

    pqxx::connection& operator*() const { return *connection_; }
    pqxx::connection* operator->() const { return connection_.get(); }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection);

    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
  };

  // `size` connections at most; none is opened yet.
  ConnectionPool(std::string conninfo, int size);

  // A connection, waiting up to `wait` for one to be free. UNAVAILABLE when
  // none frees up in time or PostgreSQL cannot be reached.
  absl::StatusOr<Lease> Acquire(absl::Duration wait = absl::Seconds(5));

 private:
  void Return(std::unique_ptr<pqxx::connection> connection);

  const std::string conninfo_;
  absl::Mutex mutex_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mutex_);
  int available_ ABSL_GUARDED_BY(mutex_);  // idle plus never opened
};

}  // namespace signet::db

#endif  // SIGNET_DB_CONNECTION_POOL_H_
