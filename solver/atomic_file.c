/**
 * @file atomic_file.c
 * @brief Writing a file so that a crash never leaves half of it behind.
 *
 * The data go to a temporary file in the same directory (rename is atomic
 * only within one file system), are flushed to disk with fsync, and the
 * temporary is renamed over the target; then the directory is synced so the
 * rename itself survives a power cut.
 *
 * A process killed mid-write (SIGKILL, a power cut) cannot remove its
 * temporary, so the next write of the same target removes every stale
 * temporary of that target ("NAME.tmp-XXXXXX" beside it).  To tell stale
 * from live, a writer holds an exclusive flock() on its temporary from
 * creation until after the rename; the kernel drops the lock when the
 * process dies.  The cleaner takes the lock before it unlinks, and a writer
 * whose temporary was unlinked under it (link count 0 once it holds the
 * lock) simply makes a new one, so two writers of one target never remove
 * each other's live file.
 *
 * The directory of a path (file_path.h) is defined here because the writer
 * needs it first; the scenario reader uses the same one.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "file_path.h"

/* The temporary's name: the target's, then this suffix and mkstemp's six
 * characters. */
#define TEMP_SUFFIX ".tmp-"
#define TEMP_RANDOM "XXXXXX"

char *bp_directory_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return bp_strdup(".");
  if (slash == path)
    return bp_strdup("/");
  return bp_strndup(path, (size_t)(slash - path));
}

const char *bp_base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* Removes the temporaries that killed writers of `path` left behind: the
 * entries "BASE.tmp-XXXXXX" of its directory that are regular files of
 * ours and that no live process holds locked.  Best effort: what cannot be
 * removed stays, and the write goes on. */
static void remove_stale_temporaries(const char *path) {
  char *dir = bp_directory_of(path);
  char *prefix = bp_format("%s" TEMP_SUFFIX, bp_base_name(path));
  size_t prefix_length = strlen(prefix);
  DIR *d = opendir(dir);
  if (d) {
    int dfd = dirfd(d);
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
      if (strncmp(e->d_name, prefix, prefix_length) != 0 ||
          strlen(e->d_name + prefix_length) != strlen(TEMP_RANDOM))
        continue;
      int fd = openat(dfd, e->d_name,
                      O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      if (fd < 0)
        continue;
      struct stat st, now;
      if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
          st.st_uid == geteuid() && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
          fstatat(dfd, e->d_name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
          now.st_ino == st.st_ino && now.st_dev == st.st_dev)
        unlinkat(dfd, e->d_name, 0);
      close(fd); /* drops the lock, if taken */
    }
    closedir(d);
  }
  free(prefix);
  free(dir);
}

/* Creates and locks a fresh temporary for path; -1 on failure (errno set).
 * *temporary receives its name. */
static int create_temporary(const char *path, char **temporary) {
  for (int attempt = 0; attempt < 16; attempt++) {
    *temporary = bp_format("%s" TEMP_SUFFIX TEMP_RANDOM, path);
    int fd = mkstemp(*temporary); /* mode 0600: the owner only */
    if (fd < 0) {
      int saved = errno;
      free(*temporary);
      *temporary = NULL;
      errno = saved;
      return -1;
    }
    struct stat st;
    while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
      ;
    if (fstat(fd, &st) == 0 && st.st_nlink > 0)
      return fd;
    /* A cleaner took it for stale between mkstemp and flock: again. */
    close(fd);
    free(*temporary);
    *temporary = NULL;
  }
  errno = EAGAIN;
  return -1;
}

/* Writes all of data to fd and flushes it to disk; 0, or -1 with errno. */
static int write_fully(int fd, const char *data, size_t length) {
  size_t written = 0;
  while (written < length) {
    ssize_t n = write(fd, data + written, length - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = EIO;
      return -1;
    }
    written += (size_t)n;
  }
  return fsync(fd);
}

bp_status bp_write_file_whole(const char *path, const char *data,
                              size_t length, bp_diagnostics *diag) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    bp_error(diag, path, 0, 0, "cannot create a file here: %s", strerror(errno));
    return BP_FAILURE;
  }
  int failed = write_fully(fd, data, length) != 0;
  int saved = errno;
  if (close(fd) != 0 && !failed) {
    failed = 1;
    saved = errno;
  }
  if (failed) {
    unlink(path);
    bp_error(diag, path, 0, 0, "cannot write the file: %s", strerror(saved));
    return BP_FAILURE;
  }
  return BP_OK;
}

bp_status bp_write_file_atomically(const char *path, const char *data,
                                   size_t length, bp_diagnostics *diag) {
  remove_stale_temporaries(path);
  char *temporary = NULL;
  int fd = create_temporary(path, &temporary);
  if (fd < 0) {
    bp_error(diag, path, 0, 0, "cannot create a file here: %s", strerror(errno));
    return BP_FAILURE;
  }
  int failed = write_fully(fd, data, length) != 0;
  int saved = errno;
  /* Renamed while still open and locked, so that no cleaner can take the
   * finished temporary for a stale one. */
  if (!failed && rename(temporary, path) != 0) {
    failed = 1;
    saved = errno;
  }
  if (failed)
    unlink(temporary);
  close(fd); /* the data were fsync'ed: nothing is left for close to lose */
  if (failed) {
    bp_error(diag, path, 0, 0, "cannot write the file: %s", strerror(saved));
    free(temporary);
    return BP_FAILURE;
  }
  free(temporary);
  char *dir = bp_directory_of(path);
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd); /* best effort: some file systems refuse fsync on a directory */
    close(dfd);
  }
  free(dir);
  return BP_OK;
}
