/**
 * @file pipeline.c
 * @brief The pipeline in one place: read -> derive -> solve -> explain, for
 *        every command that runs a case (run, compare, the benchmark), so
 *        that none of them can run the stages differently.
 */
#include <string.h>

#include "boplace.h"
#include "ledger.h"
#include "greedy.h"

bp_status bp_load(const char *case_dir, const bp_load_options *options,
                  bp_run *run) {
  memset(run, 0, sizeof *run);
  bp_status status = bp_read_case(case_dir, options ? options->policy : NULL,
                                  &run->kase, &run->diagnostics);
  if (status == BP_OK) /* CASE_DIR/history.csv: accepted placements (ledger.h) */
    status = bp_apply_ledger(&run->kase, &run->diagnostics);
  if (status != BP_OK)
    return status;
  if (options && options->language >= 0)
    run->kase.policy.language = (bp_language)options->language;
  if (options && options->time_limit_s > 0)
    run->kase.policy.time_limit_s = options->time_limit_s;
  return bp_derive(&run->kase, &run->derived, &run->diagnostics);
}

bp_status bp_solve_and_explain(bp_run *run) {
  BP_CALL(bp_solve(&run->kase, &run->derived, &run->solution,
                   &run->diagnostics));
  return bp_explain(&run->kase, &run->derived, &run->solution,
                    &run->explanation, &run->diagnostics);
}

/* `boplace run --method greedy`: the hand method instead of the optimizer,
 * explained and written like any proposal. */
bp_status bp_greedy_and_explain(bp_run *run) {
  BP_CALL(bp_greedy(&run->kase, &run->derived, &run->solution,
                    &run->diagnostics));
  return bp_explain(&run->kase, &run->derived, &run->solution,
                    &run->explanation, &run->diagnostics);
}

void bp_run_free(bp_run *run) {
  if (run->explanation.households)
    bp_explanation_free(&run->explanation, run->kase.n_households);
  bp_solution_free(&run->solution);
  bp_derived_free(&run->derived);
  bp_case_free(&run->kase);
  bp_diagnostics_free(&run->diagnostics);
}
