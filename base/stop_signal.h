#ifndef SIGNET_BASE_STOP_SIGNAL_H_
#define SIGNET_BASE_STOP_SIGNAL_H_

namespace signet {

// Blocks SIGTERM and SIGINT in the calling thread, and so in every thread
// it starts afterwards, so that only AwaitStopSignal() receives them. Call
// it first thing in main(). A shell starts background jobs with SIGINT
// ignored; this restores the default so that sigwait() sees it.
void BlockStopSignals();

// Waits for SIGTERM or SIGINT; returns which.
int AwaitStopSignal();

}  // namespace signet

#endif  // SIGNET_BASE_STOP_SIGNAL_H_
