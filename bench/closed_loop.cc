#include "bench/closed_loop.h"

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

double LoadResult::CallsPerSecond() const {
  double seconds = absl::ToDoubleSeconds(measured);
  return seconds > 0 ? calls / seconds : 0;
}

ClosedLoop::ClosedLoop(const std::vector<examples::Greeter::Stub*>& stubs,
                       GreeterMethod method, LoadOptions options)
    : method_(method),
      options_(std::move(options)),
      slots_(options_.in_flight) {
  for (size_t i = 0; i < slots_.size(); ++i) {
    slots_[i].stub = stubs[i % stubs.size()];
    slots_[i].request.set_name("bench");
  }
}

absl::StatusOr<LoadResult> ClosedLoop::Run(MeasuredPeriodObserver& observer) {
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

  {
    absl::MutexLock lock(&failure_mutex_);
    if (failed_calls_ > 0) {
      return absl::UnavailableError(absl::StrCat(
          failed_calls_, " calls failed; the first: ", first_failure_));
    }
  }
  return Summarize(measured);
}

void ClosedLoop::Launch(Slot& slot) {
  // A context serves one call only; the previous call's is released here,
  // inside its own completion callback, which gRPC allows (the call holds
  // its own reference until the callback returns).
  slot.context = std::make_unique<grpc::ClientContext>();
  slot.context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  slot.reply.Clear();
  auto done = [this, &slot](grpc::Status status) { Finished(slot, status); };
  slot.started = std::chrono::steady_clock::now();
  if (method_ == GreeterMethod::kSayHello) {
    slot.stub->async()->SayHello(slot.context.get(), &slot.request, &slot.reply,
                                 std::move(done));
  } else {
    slot.stub->async()->SayHelloOpenly(slot.context.get(), &slot.request,
                                       &slot.reply, std::move(done));
  }
}

void ClosedLoop::Finished(Slot& slot, const grpc::Status& status) {
  int64_t latency_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - slot.started)
                           .count();
  if (!status.ok()) {
    // A failed slot stops: retrying at once would only spin on the error.
    RecordFailure(status);
    Stop();
    return;
  }

  Phase phase = phase_.load();
  if (phase == Phase::kMeasuring) {
    slot.latencies_ns.push_back(latency_ns);
    if (++measured_calls_ == options_.max_calls) enough_calls_.Notify();
  }
  if (phase == Phase::kStopping) {
    Stop();
    return;
  }
  Launch(slot);
}

void ClosedLoop::RecordFailure(const grpc::Status& status) {
  absl::MutexLock lock(&failure_mutex_);
  if (failed_calls_++ == 0) {
    first_failure_ = absl::StrCat("code ", status.error_code(), ": ",
                                  status.error_message());
  }
}

void ClosedLoop::Stop() {
  if (--running_slots_ == 0) all_stopped_.Notify();
}

void ClosedLoop::WarmUpFor(absl::Duration period) {
  all_stopped_.WaitForNotificationWithTimeout(period);
}

void ClosedLoop::MeasureFor(absl::Duration period,
                            MeasuredPeriodObserver& observer) {
  absl::Time end = absl::Now() + period;
  for (absl::Time now = absl::Now(); now < end; now = absl::Now()) {
    if (enough_calls_.WaitForNotificationWithTimeout(
            std::min(kTickInterval, end - now)) ||
        all_stopped_.HasBeenNotified()) {
      return;
    }
    observer.Tick();
  }
}

LoadResult ClosedLoop::Summarize(absl::Duration measured) const {
  std::vector<int64_t> latencies_ns;
  for (const Slot& slot : slots_) {
    latencies_ns.insert(latencies_ns.end(), slot.latencies_ns.begin(),
                        slot.latencies_ns.end());
  }
  std::sort(latencies_ns.begin(), latencies_ns.end());

  LoadResult result;
  result.calls = static_cast<int64_t>(latencies_ns.size());
  result.measured = measured;
  result.p50_latency = Percentile(latencies_ns, 0.50);
  result.p99_latency = Percentile(latencies_ns, 0.99);
  return result;
}

}  // namespace signet::bench
