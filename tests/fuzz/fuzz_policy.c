/**
 * @file fuzz_policy.c
 * @brief Fuzz target: the policy reader (read_policy.c) on any bytes, as
 *        policy.json: syntax errors with line and column, keys of the
 *        wrong type, unknown and duplicate keys.
 */
#include "boplace.h"
#include "fuzz.h"
#include "read_csv.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bp_diagnostics diag = {0};
  bp_policy policy;
  bp_policy_defaults(&policy);
  bp_read_policy_text((const char *)data, size, "policy.json", &policy, &diag);
  bp_diagnostics_sort(&diag);
  bp_diagnostics_print(&diag, fuzz_sink());
  bp_diagnostics_free(&diag);
  return 0;
}
