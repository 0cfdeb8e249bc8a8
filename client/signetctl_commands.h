#ifndef SIGNET_CLIENT_SIGNETCTL_COMMANDS_H_
#define SIGNET_CLIENT_SIGNETCTL_COMMANDS_H_

#include <string>
#include <vector>

namespace signet::client {

// signetctl's usage: every command, one line each.
std::string GeneralUsage();

// The help of the command that `words` name (or of the group, or the
// general usage), with its arguments and flags.
std::string HelpFor(const std::vector<std::string>& words);

// Remembers which flags the command line names, so that a command can tell
// a flag set to its default from one not given (accounts update).
void NoteFlagsGiven(int argc, char** argv);

// Runs the command that `args` name, with the flags already parsed; returns
// the exit code.
int RunCommand(const std::vector<std::string>& args);

}  // namespace signet::client

#endif  // SIGNET_CLIENT_SIGNETCTL_COMMANDS_H_
