/**
 * @file fuzz_case.c
 * @brief Fuzz target: the whole validation path, `boplace check` without
 *        the printing: bp_load reads a case directory (every table, the
 *        policy, history.csv) and derives travel times and eligibility.
 *
 * The case is the tiny valid one (tests/data/bad/valid) with one file
 * broken.  The first byte of the input says which file (its value modulo
 * the number of files) and how (bit 7: the rest of the input is appended
 * to the valid file, so that the fuzzer reaches past the header at once;
 * otherwise the rest replaces the file).  The file is put back afterwards.
 */
#include "boplace.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_case_dir();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  int file = (data[0] & 0x7F) % FUZZ_CASE_FILES;
  int append = (data[0] & 0x80) != 0;
  fuzz_case_write(file, data + 1, size - 1, append);
  bp_run run;
  bp_load(fuzz_case_dir(), NULL, &run);
  bp_diagnostics_sort(&run.diagnostics);
  bp_diagnostics_print(&run.diagnostics, fuzz_sink());
  bp_run_free(&run);
  fuzz_case_restore(file);
  return 0;
}
