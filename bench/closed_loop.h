#ifndef SIGNET_BENCH_CLOSED_LOOP_H_
#define SIGNET_BENCH_CLOSED_LOOP_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "examples/greeter.grpc.pb.h"
#include "grpcpp/grpcpp.h"

namespace signet::bench {

// The Greeter's two methods, which run the same handler: SayHello answers
// only a caller the server's verifier named, SayHelloOpenly anyone.
enum class GreeterMethod { kSayHello, kSayHelloOpenly };

struct LoadOptions {
  // Calls kept in flight: each one that ends starts the next.
  int in_flight = 64;
  // Calls run, unmeasured, for this long first: connections, tokens and
  // caches settle.
  absl::Duration warm_up = absl::Seconds(2);
  // Then calls are measured for this long, or until `max_calls` have
  // ended, whichever comes first.
  absl::Duration measure = absl::Seconds(10);
  int64_t max_calls = 10'000'000;
};

// Told when the measured period starts and ends, and about every 100 ms
// in between, on the thread that called ClosedLoop::Run.
class MeasuredPeriodObserver {
 public:
  virtual ~MeasuredPeriodObserver() = default;
  virtual void Started() {}
  virtual void Tick() {}
  virtual void Ended() {}
};

struct LoadResult {
  // Calls that ended OK within the measured period.
  int64_t calls = 0;
  absl::Duration measured;
  absl::Duration p50_latency;
  absl::Duration p99_latency;

  double CallsPerSecond() const;
};

// A closed-loop load generator: keeps `in_flight` calls of one method running
// on gRPC's callback API, spread evenly over the stubs given (one per
// channel, hence per connection), each started as soon as the one before
// it in its slot ends, so that the offered load follows what the server
// can take. Latency is from starting the call to its completion callback.
//
// The completion path takes no lock: Debian's Abseil runs deadlock
// detection on every absl::Mutex lock, and the load generator's own cost
// would otherwise weigh on the CPUs it shares with the server.
class ClosedLoop {
 public:
  // The stubs must outlive Run().
  ClosedLoop(const std::vector<examples::Greeter::Stub*>& stubs,
             GreeterMethod method, LoadOptions options);

  // Runs the warm-up and the measured period, then waits for the calls
  // still in flight to end. Any call that fails ends the run: UNAVAILABLE
  // with the number failed and the first status, since a benchmark whose
  // calls fail measures something else.
  absl::StatusOr<LoadResult> Run(MeasuredPeriodObserver& observer);

 private:
  enum class Phase { kWarmUp, kMeasuring, kStopping };

  // One call in flight at a time, and the latencies of those it measured;
  // only that call's callback touches it until every slot has stopped.
  struct Slot {
    examples::Greeter::Stub* stub = nullptr;
    std::unique_ptr<grpc::ClientContext> context;
    examples::HelloRequest request;
    examples::HelloReply reply;
    std::chrono::steady_clock::time_point started;
    std::vector<int64_t> latencies_ns;
  };

  void Launch(Slot& slot);
  void Finished(Slot& slot, const grpc::Status& status);
  void RecordFailure(const grpc::Status& status);
  void Stop();

  // Waits for `period`, or less when no slot runs any more.
  void WarmUpFor(absl::Duration period);
  void MeasureFor(absl::Duration period, MeasuredPeriodObserver& observer);
  LoadResult Summarize(absl::Duration measured) const;

  const GreeterMethod method_;
  const LoadOptions options_;
  // Sized once: completion callbacks hold references to the slots.
  std::vector<Slot> slots_;

  std::atomic<Phase> phase_{Phase::kWarmUp};
  std::atomic<int> running_slots_{0};
  std::atomic<int64_t> measured_calls_{0};
  absl::Notification enough_calls_;
  absl::Notification all_stopped_;

  absl::Mutex failure_mutex_;
  int64_t failed_calls_ ABSL_GUARDED_BY(failure_mutex_) = 0;
  std::string first_failure_ ABSL_GUARDED_BY(failure_mutex_);
};

}  // namespace signet::bench

#endif  // SIGNET_BENCH_CLOSED_LOOP_H_
