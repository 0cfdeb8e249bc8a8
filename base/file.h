#ifndef SIGNET_BASE_FILE_H_
#define SIGNET_BASE_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace signet {

// The whole contents of the file at `path`. NOT_FOUND when it does not
// exist, PERMISSION_DENIED when it cannot be opened for reading, and other
// codes from errno otherwise; the message names the path and the reason.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// A new file at `path` readable and writable by its owner only (mode 0600),
// opened for writing; the path must not exist, so nothing is overwritten.
// Key files are written this way. Returns the descriptor, or the errno
// status naming the path.
absl::StatusOr<int> CreatePrivateFile(const std::string& path);

// Writes `contents` to a descriptor from CreatePrivateFile, syncs and closes
// it. INTERNAL naming `path` if any step fails; the descriptor is closed
// either way.
absl::Status WriteAndClose(int fd, const std::string& path,
                           const std::string& contents);

// CreatePrivateFile and WriteAndClose together; a file that could not be
// written whole is removed.
absl::Status WritePrivateFile(const std::string& path,
                              const std::string& contents);

}  // namespace signet

#endif  // SIGNET_BASE_FILE_H_
