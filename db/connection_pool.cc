#include "db/connection_pool.h"

#include "db/connection.h"

namespace signet::db {

ConnectionPool::Lease::Lease(ConnectionPool* pool,
                             std::unique_ptr<pqxx::connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Return(std::move(connection_));
}

ConnectionPool::ConnectionPool(std::string conninfo, int size)
    : conninfo_(std::move(conninfo)), available_(size) {}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire(
    absl::Duration wait) {
  std::unique_ptr<pqxx::connection> connection;
  {
    absl::MutexLock lock(&mutex_);
    auto free = [this]() ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
      return available_ > 0;
    };
    if (!mutex_.AwaitWithTimeout(absl::Condition(&free), wait)) {
      return absl::UnavailableError("every store connection is busy");
    }
    --available_;
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }

  if (connection == nullptr || !connection->is_open()) {
    absl::StatusOr<std::unique_ptr<pqxx::connection>> opened =
        Connect(conninfo_);
    if (!opened.ok()) {
      Return(nullptr);
      return opened.status();
    }
    connection = std::move(*opened);
  }
  return Lease(this, std::move(connection));
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> connection) {
  absl::MutexLock lock(&mutex_);
  ++available_;
  if (connection != nullptr && connection->is_open()) {
    idle_.push_back(std::move(connection));
  }
}

}  // namespace signet::db
