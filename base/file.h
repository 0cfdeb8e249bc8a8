#ifndef SIGNET_BASE_FILE_H_
#define SIGNET_BASE_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace signet {

// The whole contents of the file at `path`. NOT_FOUND when it does not
// exist, PERMISSION_DENIED when it cannot be opened for reading, and other
// codes from errno otherwise; the message names the path and the reason.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace signet

#endif  // SIGNET_BASE_FILE_H_
