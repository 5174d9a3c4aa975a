/**
 * @file fuzz_common.c
 * @brief The scratch case of the fuzz targets (fuzz.h).
 *
 * The valid case is copied from BOPLACE_FUZZ_VALID (a path meson passes at
 * build time; the environment variable of the same name overrides it) into
 * a directory of its own under $TMPDIR, so that targets may break its files
 * one at a time and put them back.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boplace.h"
#include "fuzz.h"

#ifndef BOPLACE_FUZZ_VALID
#define BOPLACE_FUZZ_VALID "tests/data/bad/valid"
#endif

const char *const fuzz_case_files[FUZZ_CASE_FILES] = {
    "areas.csv",    "units.csv",        "schools.csv",    "daycares.csv",
    "stops.csv",    "links.csv",        "destinations.csv", "households.csv",
    "locks.csv",    "scores.csv",       "policy.json",    "history.csv"};

static char *root;      /* the temporary directory */
static char *case_dir;  /* root/case */
static char *original[FUZZ_CASE_FILES];
static size_t original_size[FUZZ_CASE_FILES];
static int original_found[FUZZ_CASE_FILES];
static char *scratch_path;

static char *slurp(const char *path, size_t *size, int *found) {
  FILE *f = fopen(path, "rb");
  *size = 0;
  *found = f != NULL;
  if (!f)
    return NULL;
  char *data = NULL;
  size_t capacity = 0;
  for (;;) {
    data = bp_realloc(data, capacity + 4096);
    size_t got = fread(data + capacity, 1, 4096, f);
    capacity += got;
    if (got < 4096)
      break;
  }
  fclose(f);
  *size = capacity;
  return data;
}

static void spill(const char *path, const void *data, size_t size,
                  const char *mode) {
  FILE *f = fopen(path, mode);
  if (!f) {
    perror(path);
    abort();
  }
  if (size)
    fwrite(data, 1, size, f);
  fclose(f);
}

static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char *path = bp_format("%s/%s", dir, e->d_name);
    if (unlink(path) != 0)
      remove_tree(path);
    free(path);
  }
  closedir(d);
  rmdir(dir);
}

static void cleanup(void) {
  if (root) {
    remove_tree(root);
    free(root);
    free(case_dir);
    free(scratch_path);
    for (int i = 0; i < FUZZ_CASE_FILES; i++)
      free(original[i]);
    root = NULL;
  }
}

const char *fuzz_case_dir(void) {
  if (case_dir)
    return case_dir;
  const char *source = getenv("BOPLACE_FUZZ_VALID");
  if (!source)
    source = BOPLACE_FUZZ_VALID;
  const char *tmp = getenv("TMPDIR");
  root = bp_format("%s/boplace-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(root)) {
    perror(root);
    abort();
  }
  atexit(cleanup);
  case_dir = bp_format("%s/case", root);
  if (mkdir(case_dir, 0700) != 0) {
    perror(case_dir);
    abort();
  }
  for (int i = 0; i < FUZZ_CASE_FILES; i++) {
    char *from = bp_format("%s/%s", source, fuzz_case_files[i]);
    original[i] = slurp(from, &original_size[i], &original_found[i]);
    free(from);
    fuzz_case_restore(i);
  }
  if (!original_found[0]) {
    fprintf(stderr, "fuzz: no valid case at %s (set BOPLACE_FUZZ_VALID)\n",
            source);
    abort();
  }
  return case_dir;
}

void fuzz_case_restore(int i) {
  char *path = bp_format("%s/%s", fuzz_case_dir(), fuzz_case_files[i]);
  if (original_found[i])
    spill(path, original[i], original_size[i], "wb");
  else
    unlink(path);
  free(path);
}

void fuzz_case_write(int i, const uint8_t *data, size_t size, int append) {
  char *path = bp_format("%s/%s", fuzz_case_dir(), fuzz_case_files[i]);
  if (append && original_found[i]) {
    spill(path, original[i], original_size[i], "wb");
    spill(path, data, size, "ab");
  } else {
    spill(path, data, size, "wb");
  }
  free(path);
}

const char *fuzz_scratch_file(const char *name, const uint8_t *data,
                              size_t size) {
  fuzz_case_dir();
  free(scratch_path);
  scratch_path = bp_format("%s/%s", root, name);
  spill(scratch_path, data, size, "wb");
  return scratch_path;
}

static FILE *sink;

static void close_sink(void) {
  if (sink)
    fclose(sink);
  sink = NULL;
}

FILE *fuzz_sink(void) {
  if (!sink) {
    sink = fopen("/dev/null", "w");
    if (!sink) {
      perror("/dev/null");
      abort();
    }
    atexit(close_sink);
  }
  return sink;
}
