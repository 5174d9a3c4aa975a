/**
 * @file fuzz_scenario.c
 * @brief Fuzz target: the scenario reader and its application (scenario.c)
 *        on any bytes: bp_scenario_read on the input as a scenario file,
 *        then, when it reads, bp_scenario_apply to the tiny valid case and
 *        bp_derive on the result, as `boplace compare` does.
 */
#include <string.h>

#include "boplace.h"
#include "fuzz.h"
#include "scenario.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fuzz_case_dir();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *path = fuzz_scratch_file("scenario.json", data, size);
  bp_diagnostics diag = {0};
  bp_scenario *scenario = NULL;
  if (bp_scenario_read(path, &scenario, &diag) == BP_OK) {
    bp_run run;
    memset(&run, 0, sizeof run);
    if (bp_read_case(fuzz_case_dir(), NULL, &run.kase, &run.diagnostics) ==
            BP_OK &&
        bp_scenario_apply(scenario, &run.kase, &run.diagnostics) == BP_OK &&
        /* "count": 100000 households and units is a legal, slow scenario:
         * deriving it is work, not a bug, so it is left out. */
        (double)run.kase.n_households * (double)run.kase.n_units < 2e6)
      bp_derive(&run.kase, &run.derived, &run.diagnostics);
    bp_diagnostics_print(&run.diagnostics, fuzz_sink());
    bp_run_free(&run);
    bp_scenario_name(scenario);
    bp_scenario_description(scenario);
  }
  bp_scenario_free(scenario);
  bp_diagnostics_sort(&diag);
  bp_diagnostics_print(&diag, fuzz_sink());
  bp_diagnostics_free(&diag);
  return 0;
}
