/**
 * @file output_dir.c
 * @brief Replacing a run's output directory all at once, so that a crash or
 *        a kill at any moment leaves the previous outputs or the new ones,
 *        never a mix of two runs.
 *
 * Renaming six finished files into place one by one is atomic per file but
 * not per run: a kill between two renames leaves proposals.csv of one run
 * beside unplaced.csv of another.  So the new files are written into a
 * staging directory beside OUT_DIR (same parent, hence same file system),
 * flushed, and then swapped with OUT_DIR in one step: Linux's
 * renameat2(RENAME_EXCHANGE), or a plain rename when OUT_DIR does not exist
 * yet.  The old outputs, now under the staging name, are removed after.
 *
 * User data is never lost: other regular files in OUT_DIR are hard-linked
 * into the staging directory before the swap, so they stay in OUT_DIR as
 * the very same files (same inode, bytes, mode and times).  Where that
 * cannot be done - a subdirectory or link inside OUT_DIR, OUT_DIR itself a
 * link or a mount point, a file system without RENAME_EXCHANGE or hard
 * links - the files are written into OUT_DIR one by one instead, each still
 * atomic, as a documented fallback.
 *
 * A staging directory left by a killed run (".OUT.boplace-XXXXXX") is
 * removed by the next run; a live run holds an flock on its staging
 * directory, so concurrent runs never remove each other's.
 */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE (glibc >= 2.28) */

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
#include "output_dir.h"

static bp_status fail(bp_diagnostics *diag, const char *path, const char *what,
                      int error) {
  bp_error(diag, path, 0, 0, "%s: %s", what, strerror(error));
  return BP_FAILURE;
}

/* Is this entry of OUT_DIR one of ours: an output of the list, or the
 * temporary of one (".NAME.xxxxxx" or "NAME.tmp-xxxxxx")? */
static int is_ours(const char *entry, const bp_output_file *files, size_t n) {
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(files[i].name);
    if (strcmp(entry, files[i].name) == 0)
      return 1;
    if (entry[0] == '.' && strncmp(entry + 1, files[i].name, len) == 0 &&
        entry[1 + len] == '.')
      return 1;
    if (strncmp(entry, files[i].name, len) == 0 &&
        strncmp(entry + len, ".tmp-", 5) == 0)
      return 1;
  }
  return 0;
}

/* Removes a staging directory (or the previous outputs under its name):
 * our files, and links to files that also live on elsewhere (a user's file
 * linked into OUT_DIR).  Anything else - a file someone put into OUT_DIR
 * while the run was writing - is kept, and so is the directory then.
 * Returns 0 when the directory is gone. */
static int remove_staging(const char *dir, const bp_output_file *files,
                          size_t n) {
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      char *path = bp_format("%s/%s", dir, e->d_name);
      struct stat st;
      if (is_ours(e->d_name, files, n) ||
          (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink > 1))
        unlink(path);
      free(path);
    }
    closedir(d);
  }
  return rmdir(dir);
}

/* Staging directories of this OUT_DIR that no live run holds. */
static void remove_stale_staging(const char *parent, const char *prefix,
                                 const bp_output_file *files, size_t n) {
  DIR *d = opendir(parent);
  if (!d)
    return;
  struct dirent *e;
  size_t len = strlen(prefix);
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, prefix, len) != 0 || strlen(e->d_name) != len + 6)
      continue;
    char *path = bp_format("%s/%s", parent, e->d_name);
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
      remove_staging(path, files, n);
    if (fd >= 0)
      close(fd);
    free(path);
  }
  closedir(d);
}

/* Whether OUT_DIR may be swapped whole: a real directory (not a link)
 * holding only our files.  *exists says whether it is there at all. */
static bp_status classify(const char *out_dir, const bp_output_file *files,
                          size_t n, int *exists, int *swappable,
                          mode_t *mode, bp_diagnostics *diag) {
  struct stat st;
  *exists = *swappable = 0;
  if (lstat(out_dir, &st) != 0) {
    if (errno != ENOENT)
      return fail(diag, out_dir, "cannot use the output directory", errno);
    char *parent = bp_directory_of(out_dir);
    int ok = stat(parent, &st) == 0 && S_ISDIR(st.st_mode);
    int error = ok ? 0 : (errno ? errno : ENOTDIR);
    free(parent);
    if (!ok)
      return fail(diag, out_dir, "cannot create the output directory", error);
    *swappable = 1;
    return BP_OK;
  }
  *exists = 1;
  if (S_ISLNK(st.st_mode)) {
    if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode))
      return fail(diag, out_dir, "cannot write the outputs here", ENOTDIR);
    return BP_OK; /* a link to a directory: write through it, file by file */
  }
  if (!S_ISDIR(st.st_mode))
    return fail(diag, out_dir, "cannot write the outputs here", ENOTDIR);
  *mode = st.st_mode & 07777;
  struct stat parent_st;
  char *parent = bp_directory_of(out_dir);
  int same_device = stat(parent, &parent_st) == 0 && parent_st.st_dev == st.st_dev;
  free(parent);
  if (!same_device)
    return BP_OK; /* a mount point: the swap cannot cross file systems */
  DIR *d = opendir(out_dir);
  if (!d)
    return fail(diag, out_dir, "cannot read the output directory", errno);
  *swappable = 1;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
        is_ours(e->d_name, files, n))
      continue;
    char *path = bp_format("%s/%s", out_dir, e->d_name);
    struct stat entry;
    if (lstat(path, &entry) != 0 || !S_ISREG(entry.st_mode))
      *swappable = 0; /* a subdirectory or link: only files can be linked */
    free(path);
  }
  closedir(d);
  return BP_OK;
}

static bp_status sync_dir(const char *dir, bp_diagnostics *diag) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    return fail(diag, dir, "cannot open the directory to flush it", errno);
  int rc = fsync(fd);
  int error = errno;
  close(fd);
  /* Some file systems cannot fsync a directory; the files are already on
   * disk, so only a real I/O error counts. */
  if (rc != 0 && error != EINVAL && error != EROFS)
    return fail(diag, dir, "cannot flush the directory", error);
  return BP_OK;
}

/* Writes every file into dir, owner-only: plainly into the private staging
 * directory (the swap makes the set atomic), each atomically on its own
 * into OUT_DIR itself (the fallback). */
static bp_status write_all(const char *dir, int staging,
                           const bp_output_file *files, size_t n,
                           bp_diagnostics *diag) {
  for (size_t i = 0; i < n; i++) {
    char *path = bp_format("%s/%s", dir, files[i].name);
    bp_status s =
        staging ? bp_write_file_whole(path, files[i].data, files[i].length, diag)
                : bp_write_file_atomically(path, files[i].data, files[i].length,
                                           diag);
    free(path);
    BP_CALL(s);
  }
  return BP_OK;
}

/* Links every file of OUT_DIR that is not ours into the staging directory,
 * so that it is still in OUT_DIR after the swap.  0 when all are linked. */
static int link_user_files(const char *out_dir, const char *staging,
                           const bp_output_file *files, size_t n) {
  DIR *d = opendir(out_dir);
  if (!d)
    return -1;
  int rc = 0;
  struct dirent *e;
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
        is_ours(e->d_name, files, n))
      continue;
    char *from = bp_format("%s/%s", out_dir, e->d_name);
    char *to = bp_format("%s/%s", staging, e->d_name);
    rc = link(from, to);
    free(from);
    free(to);
  }
  closedir(d);
  return rc;
}

bp_status bp_replace_outputs(const char *out_dir, const bp_output_file *files,
                             size_t n, bp_diagnostics *diag) {
  char *parent = bp_directory_of(out_dir);
  char *prefix = bp_format(".%s.boplace-", bp_base_name(out_dir));
  remove_stale_staging(parent, prefix, files, n);

  int exists = 0, swappable = 0;
  mode_t mode = 0700;
  bp_status status = classify(out_dir, files, n, &exists, &swappable, &mode,
                              diag);
  char *staging = bp_format("%s/%sXXXXXX", parent, prefix);
  int lock_fd = -1, staged = 0, swapped = 0;
  if (status == BP_OK && swappable) {
    if (!mkdtemp(staging))
      status = fail(diag, out_dir, "cannot create a staging directory beside "
                                   "the output directory", errno);
    else
      staged = 1;
  }
  if (staged) {
    lock_fd = open(staging, O_RDONLY | O_DIRECTORY);
    if (lock_fd >= 0)
      flock(lock_fd, LOCK_EX); /* ours while we live: see remove_stale_staging */
    status = write_all(staging, 1, files, n, diag);
    if (status == BP_OK && exists && link_user_files(out_dir, staging, files, n) != 0)
      swappable = 0; /* a file system without hard links: fall back */
    if (status == BP_OK && swappable)
      status = sync_dir(staging, diag);
  }

  if (status == BP_OK && swappable && !exists) {
    /* No outputs yet: the finished directory takes the name in one step. */
    if (rename(staging, out_dir) != 0)
      status = fail(diag, out_dir, "cannot move the outputs into place", errno);
    else
      swapped = 1;
  } else if (status == BP_OK && swappable) {
    /* Keep the directory's mode as the user set it, then swap. */
    chmod(staging, mode);
    if (renameat2(AT_FDCWD, staging, AT_FDCWD, out_dir, RENAME_EXCHANGE) == 0)
      swapped = 1;
    else if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
      status = fail(diag, out_dir, "cannot swap in the new outputs", errno);
  }
  if (status == BP_OK && !swapped) {
    /* The fallback: each file into OUT_DIR on its own, each atomic. */
    status = write_all(out_dir, 0, files, n, diag);
    if (status == BP_OK)
      status = sync_dir(out_dir, diag);
  }
  if (status == BP_OK)
    status = sync_dir(parent, diag);

  /* The staging name now holds the previous outputs (after a swap), or the
   * unused new files (fallback, failure); a fresh rename left nothing. */
  if (staged && !(swapped && !exists) && remove_staging(staging, files, n) != 0 &&
      status == BP_OK && swapped)
    bp_warning(diag, staging, 0, 0,
               "files put into the output directory while the run was writing "
               "were kept here; move them back if you need them");
  if (lock_fd >= 0)
    close(lock_fd);
  free(staging);
  free(prefix);
  free(parent);
  return status;
}
