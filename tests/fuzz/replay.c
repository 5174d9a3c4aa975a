/**
 * @file replay.c
 * @brief Runs a fuzz target over files and directories of inputs, without
 *        libFuzzer: the seed corpus and every crash found so far, as a
 *        regression test in every build (ASan and valgrind included).
 *
 *     fuzz_csv_replay DIR_OR_FILE...
 *
 * Prints one line per input set and "N passed, 0 failed"; a crash is a
 * crash of this process, which the test runner reports.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 0;
  }
  unsigned char *data = NULL;
  size_t size = 0;
  for (;;) {
    unsigned char *more = realloc(data, size + 65536);
    if (!more)
      abort();
    data = more;
    size_t got = fread(data + size, 1, 65536, f);
    size += got;
    if (got < 65536)
      break;
  }
  fclose(f);
  /* A copy of exactly the input's size, so that ASan sees a read past it. */
  unsigned char *exact = malloc(size ? size : 1);
  if (!exact)
    abort();
  memcpy(exact, data, size);
  free(data);
  LLVMFuzzerTestOneInput(exact, size);
  free(exact);
  return 1;
}

static int replay(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return replay_file(path) ? 1 : -1;
  DIR *d = opendir(path);
  if (!d) {
    perror(path);
    return -1;
  }
  char **names = NULL;
  size_t n = 0;
  for (struct dirent *e = readdir(d); e; e = readdir(d)) {
    if (e->d_name[0] == '.')
      continue;
    char **more = realloc(names, (n + 1) * sizeof *names);
    if (!more)
      abort();
    names = more;
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  if (n > 1)
    qsort(names, n, sizeof *names, compare_names);
  int count = 0;
  for (size_t i = 0; i < n; i++) {
    size_t length = strlen(path) + strlen(names[i]) + 2;
    char *file = malloc(length);
    snprintf(file, length, "%s/%s", path, names[i]);
    int r = replay(file);
    if (r < 0)
      count = -1;
    else if (count >= 0)
      count += r;
    free(file);
    free(names[i]);
  }
  free(names);
  return count;
}

int main(int argc, char **argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  int passed = 0, failed = 0;
  for (int i = 1; i < argc; i++) {
    int n = replay(argv[i]);
    if (n < 0) {
      failed++;
      continue;
    }
    printf("%s: %d input%s replayed\n", argv[i], n, n == 1 ? "" : "s");
    passed += n;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
