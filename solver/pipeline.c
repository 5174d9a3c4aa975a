/**
 * @file pipeline.c
 * @brief The pipeline in one place: read -> derive -> solve -> explain, for
 *        every command that runs a case (run, compare, the benchmark), so
 *        that none of them can run the stages differently.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boplace.h"
#include "ledger.h"
#include "greedy.h"

double bp_clock_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* BOPLACE_TRACE=1 (README, "Large cases"): how long each stage took, so a
 * slow run shows where its time goes.  Nothing else changes. */
void bp_trace_stage(const char *stage, double started) {
  const char *trace = getenv("BOPLACE_TRACE");
  if (trace && *trace && strcmp(trace, "0") != 0)
    fprintf(stderr, "boplace: stage %s: %.2f s\n", stage,
            bp_clock_seconds() - started);
}

bp_status bp_load(const char *case_dir, const bp_load_options *options,
                  bp_run *run) {
  memset(run, 0, sizeof *run);
  run->started = bp_clock_seconds();
  double started = run->started;
  bp_status status = bp_read_case(case_dir, options ? options->policy : NULL,
                                  &run->kase, &run->diagnostics);
  if (status == BP_OK) /* CASE_DIR/history.csv: accepted placements (ledger.h) */
    status = bp_apply_ledger(&run->kase, &run->diagnostics);
  run->read_seconds = bp_clock_seconds() - started;
  bp_trace_stage("read", started);
  if (status != BP_OK)
    return status;
  if (options && options->language >= 0)
    run->kase.policy.language = (bp_language)options->language;
  if (options && options->time_limit_s > 0)
    run->kase.policy.time_limit_s = options->time_limit_s;
  started = bp_clock_seconds();
  status = bp_derive(&run->kase, &run->derived, &run->diagnostics);
  bp_trace_stage("derive", started);
  return status;
}

static bp_status explain(bp_run *run) {
  double started = bp_clock_seconds();
  bp_status status = bp_explain(&run->kase, &run->derived, &run->solution,
                                &run->explanation, &run->diagnostics);
  bp_trace_stage("explain", started);
  return status;
}

/* The time limit is for the whole run (README, "Stopping"): the solver gets
 * it less what reading and deriving took, less a margin for explaining and
 * writing.  Those take up to 1.5 times what reading and deriving took, and
 * up to 15 times what reading alone took (measured on the benchmark: M 6 ms
 * to read and derive, 23 ms to explain and write; L 0.09 s to read, 0.6 s
 * to read and derive, 0.9 s to explain and write; XL 0.7 s, 10-17 s and
 * 5.1 s).  At the national size deriving walks 109 million pairs, which
 * explaining and writing do not (they write 15 times the bytes they read),
 * so the smaller of the two keeps there 15 s that the first alone left
 * unused.  The 0.1 s on top are what does not grow with the case,
 * measured on M as wall time less solver time, 60-90 ms on a busy machine:
 * the solver's overrun of its deadline (GLPK looks at the clock between
 * nodes, and a node of M's soft tier takes up to 50 ms), starting the
 * process, creating, syncing and renaming the files, the summary.  A
 * fiftieth of the limit on top covers what grows with the run: an LP or
 * a node that overruns its tier's deadline on a large case, and freeing
 * the model (the benchmark's L ended at 20.1 s of 20 without it).  The
 * solver keeps at least a tenth of the limit, so that a case that is slow
 * to read still gets the optimizer's proposal, not none. */
double bp_solver_seconds(double limit, double spent, double read_seconds) {
  double writing = fmin(1.5 * spent, 15.0 * read_seconds);
  return fmax(0.1 * limit, limit - spent - (0.1 + 0.02 * limit + writing));
}

static double solver_seconds(const bp_run *run) {
  double limit = run->kase.policy.time_limit_s;
  if (run->started <= 0)
    return limit;
  return bp_solver_seconds(limit, bp_clock_seconds() - run->started, run->read_seconds);
}

bp_status bp_solve_and_explain(bp_run *run) {
  double started = bp_clock_seconds();
  bp_status status = bp_solve_within(&run->kase, &run->derived, &run->solution,
                                     &run->diagnostics, solver_seconds(run));
  bp_trace_stage("solve", started);
  BP_CALL(status);
  return explain(run);
}

/* `boplace run --method greedy`: the hand method instead of the optimizer,
 * explained and written like any proposal. */
bp_status bp_greedy_and_explain(bp_run *run) {
  double started = bp_clock_seconds();
  bp_status status = bp_greedy(&run->kase, &run->derived, &run->solution,
                               &run->diagnostics);
  bp_trace_stage("greedy", started);
  BP_CALL(status);
  return explain(run);
}

void bp_run_free(bp_run *run) {
  if (run->explanation.households)
    bp_explanation_free(&run->explanation, run->kase.n_households);
  bp_solution_free(&run->solution);
  bp_derived_free(&run->derived);
  bp_case_free(&run->kase);
  bp_diagnostics_free(&run->diagnostics);
}
