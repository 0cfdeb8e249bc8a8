#include "base/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace signet {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", path));
  }
  std::string contents;
  char buffer[8192];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof(buffer))) > 0) {
    contents.append(buffer, static_cast<size_t>(got));
  }
  int read_errno = errno;
  close(fd);
  if (got < 0) {
    return absl::ErrnoToStatus(read_errno, absl::StrCat("cannot read ", path));
  }
  return contents;
}

absl::StatusOr<int> CreatePrivateFile(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot create ", path));
  }
  return fd;
}

absl::Status WriteAndClose(int fd, const std::string& path,
                           const std::string& contents) {
  bool written = write(fd, contents.data(), contents.size()) ==
                 static_cast<ssize_t>(contents.size());
  bool synced = fsync(fd) == 0;
  if (close(fd) != 0 || !written || !synced) {
    return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

absl::Status WritePrivateFile(const std::string& path,
                              const std::string& contents) {
  absl::StatusOr<int> fd = CreatePrivateFile(path);
  if (!fd.ok()) return fd.status();
  absl::Status written = WriteAndClose(*fd, path, contents);
  if (!written.ok()) unlink(path.c_str());
  return written;
}

}  // namespace signet
