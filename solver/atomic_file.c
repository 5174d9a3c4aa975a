/**
 * @file atomic_file.c
 * @brief Writing a file so that a crash never leaves half of it behind.
 *
 * The data go to a temporary file in the same directory (rename is atomic
 * only within one file system), are flushed to disk with fsync, and the
 * temporary is renamed over the target; then the directory is synced so the
 * rename itself survives a power cut.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"

static char *directory_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return bp_strdup(".");
  if (slash == path)
    return bp_strdup("/");
  return bp_strndup(path, (size_t)(slash - path));
}

bp_status bp_write_file_atomically(const char *path, const char *data,
                                   size_t length, bp_diagnostics *diag) {
  char *temporary = bp_format("%s.tmp-XXXXXX", path);
  int fd = mkstemp(temporary); /* mode 0600: the owner only */
  if (fd < 0) {
    bp_error(diag, path, 0, 0, "cannot create a file here: %s", strerror(errno));
    free(temporary);
    return BP_FAILURE;
  }
  size_t written = 0;
  while (written < length) {
    ssize_t n = write(fd, data + written, length - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    written += (size_t)n;
  }
  int failed = written < length || fsync(fd) != 0;
  int saved = errno;
  if (close(fd) != 0 && !failed) {
    failed = 1;
    saved = errno;
  }
  if (!failed && rename(temporary, path) != 0) {
    failed = 1;
    saved = errno;
  }
  if (failed) {
    unlink(temporary);
    bp_error(diag, path, 0, 0, "cannot write the file: %s", strerror(saved));
    free(temporary);
    return BP_FAILURE;
  }
  free(temporary);
  char *dir = directory_of(path);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd); /* best effort: some file systems refuse fsync on a directory */
    close(dfd);
  }
  free(dir);
  return BP_OK;
}
