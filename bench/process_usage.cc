#include "bench/process_usage.h"

#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/file.h"
#include "base/status_macros.h"

namespace signet::bench {
namespace {

absl::StatusOr<std::string> ProcFile(pid_t pid, absl::string_view name) {
  return ReadFile(absl::StrCat("/proc/", pid, "/", name));
}

}  // namespace

absl::StatusOr<int64_t> ResidentBytes(pid_t pid) {
  SIGNET_ASSIGN_OR_RETURN(std::string status, ProcFile(pid, "status"));
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    if (!absl::ConsumePrefix(&line, "VmRSS:")) continue;

    // "VmRSS:	   12345 kB"
    int64_t kilobytes;
    absl::string_view number = absl::StripAsciiWhitespace(
        absl::StripSuffix(absl::StripAsciiWhitespace(line), "kB"));
    if (!absl::SimpleAtoi(number, &kilobytes)) break;
    return kilobytes * 1024;
  }
  return absl::InternalError(
      absl::StrCat("/proc/", pid, "/status has no readable VmRSS line"));
}

absl::StatusOr<absl::Duration> MachineBusyTime() {
  SIGNET_ASSIGN_OR_RETURN(std::string stat, ReadFile("/proc/stat"));

  // "cpu  user nice system idle iowait irq softirq steal ..." in ticks.
  std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(stat).substr(0, stat.find('\n')), ' ',
                     absl::SkipEmpty());
  int64_t ticks[8];
  bool readable = fields.size() >= 9 && fields[0] == "cpu";
  for (int i = 0; readable && i < 8; ++i) {
    readable = absl::SimpleAtoi(fields[i + 1], &ticks[i]);
  }
  if (!readable) {
    return absl::InternalError("/proc/stat has no readable cpu line");
  }
  int64_t busy =
      ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
  return absl::Seconds(busy) / sysconf(_SC_CLK_TCK);
}

absl::StatusOr<absl::Duration> CpuTimeUsed(pid_t pid) {
  SIGNET_ASSIGN_OR_RETURN(std::string stat, ProcFile(pid, "stat"));

  // The command name, field 2, is in parentheses and may hold spaces; the
  // fields after it are numbered from 3, so utime and stime (14 and 15)
  // are the 12th and 13th after the last ')'.
  size_t name_end = stat.rfind(')');
  std::vector<absl::string_view> fields;
  if (name_end != std::string::npos) {
    fields = absl::StrSplit(absl::string_view(stat).substr(name_end + 1), ' ',
                            absl::SkipEmpty());
  }
  int64_t user_ticks, system_ticks;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &user_ticks) ||
      !absl::SimpleAtoi(fields[12], &system_ticks)) {
    return absl::InternalError(
        absl::StrCat("/proc/", pid, "/stat has no readable CPU times"));
  }
  return absl::Seconds(user_ticks + system_ticks) / sysconf(_SC_CLK_TCK);
}

}  // namespace signet::bench
