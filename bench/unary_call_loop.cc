#include "bench/unary_call_loop.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace signet::bench {
namespace {

// A generous bound on each call, so that a stuck server ends the run with
// DEADLINE_EXCEEDED instead of hanging it: every slot's callback must run
// before Run() can return.
constexpr std::chrono::seconds kCallDeadline(30);

constexpr absl::Duration kTickInterval = absl::Milliseconds(100);

// The nearest-rank percentile of sorted latencies.
absl::Duration Percentile(const std::vector<int64_t>& sorted_ns,
                          double fraction) {
  if (sorted_ns.empty()) return absl::ZeroDuration();
  size_t rank = static_cast<size_t>(std::ceil(fraction * sorted_ns.size()));
  return absl::Nanoseconds(sorted_ns[std::max<size_t>(rank, 1) - 1]);
}

}  // namespace

double CallLoopResult::CallsPerSecond() const {
  double seconds = absl::ToDoubleSeconds(measured);
  return seconds > 0 ? calls / seconds : 0;
}

UnaryCallLoop::UnaryCallLoop(const CallFactory& make_call,
                             CallLoopOptions options)
    : options_(std::move(options)), slots_(options_.in_flight) {
  for (size_t i = 0; i < slots_.size(); ++i) {
    slots_[i].call = make_call(static_cast<int>(i));
  }
}

absl::StatusOr<CallLoopResult> UnaryCallLoop::Run(CallLoopObserver& observer) {
  running_slots_ = static_cast<int>(slots_.size());
  for (Slot& slot : slots_) Launch(slot);
  WarmUpFor(options_.warm_up);

  phase_ = Phase::kMeasuring;
  absl::Time measure_start = absl::Now();
  observer.Started();
  MeasureFor(options_.measure, observer);
  phase_ = Phase::kStopping;
  absl::Duration measured = absl::Now() - measure_start;
  observer.Ended();
  all_stopped_.WaitForNotification();

  if (absl::Status failure = FailureStatus(); !failure.ok()) return failure;
  if (ran_out_in_warm_up_) {
    return absl::FailedPreconditionError(
        "the calls' supply ran out during the warm-up: give them more (for "
        "fresh tokens, --fresh_tokens) or a shorter --warm_up");
  }
  return Summarize(measured);
}

void UnaryCallLoop::Launch(Slot& slot) {
  // A context serves one call only; the previous call's is released here,
  // inside its own completion callback, which gRPC allows (the call holds
  // its own reference until the callback returns).
  slot.context = std::make_unique<grpc::ClientContext>();
  slot.context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  slot.started = std::chrono::steady_clock::now();
  bool started = slot.call->Start(
      slot.context.get(),
      [this, &slot](grpc::Status status) { Finished(slot, status); });
  if (!started) {
    SupplyRanOut();
    Stop();
  }
}

void UnaryCallLoop::Finished(Slot& slot, const grpc::Status& status) {
  int64_t latency_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - slot.started)
                           .count();
  grpc::Status outcome = status.ok() ? slot.call->CheckReply() : status;
  if (!outcome.ok()) {
    // A failed slot stops: retrying at once would only spin on the error.
    RecordFailure(outcome);
    Stop();
    return;
  }

  Phase phase = phase_.load();
  if (phase == Phase::kMeasuring) {
    slot.latencies_ns.push_back(latency_ns);
    if (++measured_calls_ == options_.max_calls) EndMeasuringEarly();
  }
  if (phase == Phase::kStopping) {
    Stop();
    return;
  }
  Launch(slot);
}

void UnaryCallLoop::RecordFailure(const grpc::Status& status) {
  absl::MutexLock lock(&failure_mutex_);
  if (failed_calls_++ == 0) {
    first_failure_ = absl::StrCat("code ", status.error_code(), ": ",
                                  status.error_message());
  }
}

void UnaryCallLoop::SupplyRanOut() {
  Phase phase = phase_.load();
  if (phase == Phase::kWarmUp) {
    ran_out_in_warm_up_ = true;
  } else if (phase == Phase::kMeasuring) {
    ran_out_measuring_ = true;
    EndMeasuringEarly();
  }
}

void UnaryCallLoop::EndMeasuringEarly() {
  // Several slots may get here at once; a Notification takes one Notify.
  if (!measured_enough_notified_.exchange(true)) measured_enough_.Notify();
}

void UnaryCallLoop::Stop() {
  if (--running_slots_ == 0) all_stopped_.Notify();
}

void UnaryCallLoop::WarmUpFor(absl::Duration period) {
  all_stopped_.WaitForNotificationWithTimeout(period);
}

void UnaryCallLoop::MeasureFor(absl::Duration period,
                               CallLoopObserver& observer) {
  absl::Time end = absl::Now() + period;
  for (absl::Time now = absl::Now(); now < end; now = absl::Now()) {
    if (measured_enough_.WaitForNotificationWithTimeout(
            std::min(kTickInterval, end - now)) ||
        all_stopped_.HasBeenNotified()) {
      return;
    }
    observer.Tick();
  }
}

absl::Status UnaryCallLoop::FailureStatus() {
  absl::MutexLock lock(&failure_mutex_);
  if (failed_calls_ == 0) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(
      failed_calls_, " calls failed; the first: ", first_failure_));
}

CallLoopResult UnaryCallLoop::Summarize(absl::Duration measured) const {
  std::vector<int64_t> latencies_ns;
  for (const Slot& slot : slots_) {
    latencies_ns.insert(latencies_ns.end(), slot.latencies_ns.begin(),
                        slot.latencies_ns.end());
  }
  std::sort(latencies_ns.begin(), latencies_ns.end());

  CallLoopResult result;
  result.calls = static_cast<int64_t>(latencies_ns.size());
  result.measured = measured;
  result.p50_latency = Percentile(latencies_ns, 0.50);
  result.p99_latency = Percentile(latencies_ns, 0.99);
  result.supply_ran_out = ran_out_measuring_;
  return result;
}

}  // namespace signet::bench
