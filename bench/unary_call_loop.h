#ifndef SIGNET_BENCH_UNARY_CALL_LOOP_H_
#define SIGNET_BENCH_UNARY_CALL_LOOP_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace signet::bench {

// One slot's unary call, of any method: the loop asks it to start the next
// call as soon as the previous one has ended. Only one call of a slot runs
// at a time, so an implementation may keep its request and reply in
// itself.
class UnaryCall {
 public:
  virtual ~UnaryCall() = default;

  // Starts the next call on `context` through a stub's callback API
  // (stub->async()->Method(context, &request, &reply, std::move(done))).
  // Returns false, having started nothing, when there is nothing left to
  // call: a supply of tokens meant to be used once has run out.
  virtual bool Start(grpc::ClientContext* context,
                     std::function<void(grpc::Status)> done) = 0;

  // After a call ended OK: OK when its reply is what the benchmark expects.
  // A wrong reply ends the run as a failed call does, since throughput of
  // wrong answers measures nothing.
  virtual grpc::Status CheckReply() const = 0;
};

struct CallLoopOptions {
  // Calls kept in flight: each one that ends starts the next.
  int in_flight = 64;
  // Calls run, unmeasured, for this long first: connections, tokens and
  // caches settle.
  absl::Duration warm_up = absl::Seconds(2);
  // Then calls are measured for this long, until `max_calls` have ended,
  // or until a call's supply runs out, whichever comes first.
  absl::Duration measure = absl::Seconds(10);
  int64_t max_calls = 10'000'000;
};

// Told when the measured period starts and ends, and about every 100 ms
// in between, on the thread that called UnaryCallLoop::Run.
class CallLoopObserver {
 public:
  virtual ~CallLoopObserver() = default;
  virtual void Started() {}
  virtual void Tick() {}
  virtual void Ended() {}
};

struct CallLoopResult {
  // Calls that ended OK within the measured period.
  int64_t calls = 0;
  absl::Duration measured;
  absl::Duration p50_latency;
  absl::Duration p99_latency;
  // Whether the measured period ended because a call's supply ran out.
  bool supply_ran_out = false;

  double CallsPerSecond() const;
};

// A closed-loop load generator for any unary method, on gRPC's callback
// API: keeps `in_flight` calls running, each slot starting its next call
// as soon as the one before it ends, so that the offered load follows what
// the server can take. Latency is from starting a call to its completion
// callback.
//
// The completion path takes no lock: Debian's Abseil runs deadlock
// detection on every absl::Mutex lock, and the load generator's own cost
// would otherwise weigh on the CPUs it shares with the server.
class UnaryCallLoop {
 public:
  // Makes the call of each slot, numbered from 0.
  using CallFactory = std::function<std::unique_ptr<UnaryCall>(int slot)>;

  UnaryCallLoop(const CallFactory& make_call, CallLoopOptions options);

  // Runs the warm-up and the measured period, then waits for the calls
  // still in flight to end. Any failed call or wrong reply ends the run:
  // UNAVAILABLE with the number failed and the first status. A supply
  // that runs out before the measured period begins is
  // FAILED_PRECONDITION.
  absl::StatusOr<CallLoopResult> Run(CallLoopObserver& observer);

 private:
  enum class Phase { kWarmUp, kMeasuring, kStopping };

  // One call in flight at a time, and the latencies of those it measured;
  // only that call's callback touches it until every slot has stopped.
  struct Slot {
    std::unique_ptr<UnaryCall> call;
    std::unique_ptr<grpc::ClientContext> context;
    std::chrono::steady_clock::time_point started;
    std::vector<int64_t> latencies_ns;
  };

  void Launch(Slot& slot);
  void Finished(Slot& slot, const grpc::Status& status);
  void RecordFailure(const grpc::Status& status);
  void SupplyRanOut();
  void EndMeasuringEarly();
  void Stop();

  // Waits for `period`, or less when no slot runs any more.
  void WarmUpFor(absl::Duration period);
  void MeasureFor(absl::Duration period, CallLoopObserver& observer);
  absl::Status FailureStatus();
  CallLoopResult Summarize(absl::Duration measured) const;

  const CallLoopOptions options_;
  // Sized once: completion callbacks hold references to the slots.
  std::vector<Slot> slots_;

  std::atomic<Phase> phase_{Phase::kWarmUp};
  std::atomic<int> running_slots_{0};
  std::atomic<int64_t> measured_calls_{0};
  std::atomic<bool> ran_out_in_warm_up_{false};
  std::atomic<bool> ran_out_measuring_{false};
  // Notified once the measured period should end early: enough calls, or
  // a supply that ran out.
  absl::Notification measured_enough_;
  std::atomic<bool> measured_enough_notified_{false};
  absl::Notification all_stopped_;

  absl::Mutex failure_mutex_;
  int64_t failed_calls_ ABSL_GUARDED_BY(failure_mutex_) = 0;
  std::string first_failure_ ABSL_GUARDED_BY(failure_mutex_);
};

}  // namespace signet::bench

#endif  // SIGNET_BENCH_UNARY_CALL_LOOP_H_
