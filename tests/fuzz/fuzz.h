/**
 * @file fuzz.h
 * @brief What the fuzz targets share: the libFuzzer entry points, a scratch
 *        copy of the tiny valid case, and a sink for messages.
 *
 * Each target (fuzz_*.c) defines LLVMFuzzerTestOneInput.  Built with
 * `-Dfuzz=true` under clang, libFuzzer drives it; in every other build
 * replay.c drives it over the seed corpus and the regression inputs, so that
 * each crash ever found stays a test (tests/meson.build).
 */
#ifndef BOPLACE_FUZZ_H
#define BOPLACE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/** The files of the tiny valid case (tests/data/bad/valid) and
 *  history.csv, which it does not have. */
#define FUZZ_CASE_FILES 12
extern const char *const fuzz_case_files[FUZZ_CASE_FILES];

/** Copies the valid case into a fresh temporary directory (removed at
 *  exit) once, and returns its path. */
const char *fuzz_case_dir(void);
/** Puts file i of the scratch case back as it was. */
void fuzz_case_restore(int i);
/** Replaces (append = 0) or extends (append = 1) file i of the scratch
 *  case with data. */
void fuzz_case_write(int i, const uint8_t *data, size_t size, int append);
/** Writes data to a file of the given name in the scratch directory's
 *  sibling area and returns its path (valid until the next call). */
const char *fuzz_scratch_file(const char *name, const uint8_t *data,
                              size_t size);

/** /dev/null, for printing messages (the printing is code under test). */
FILE *fuzz_sink(void);

#endif
