/**
 * @file greedy.h
 * @brief The hand method: the greedy baseline a coordinator would follow
 *        without an optimizer, and a feasible start for the solver.
 *
 * Households are served longest waiting first (ties by household id); each
 * takes the cheapest unit it is eligible for that keeps every rule spanning
 * several households, given the placements made before it.  The result
 * keeps every hard rule of SPEC.md exactly, so it is both the benchmark's
 * baseline (bench/bench.py) and a warm start for tier 1 of bp_solve().
 */
#ifndef BOPLACE_GREEDY_H
#define BOPLACE_GREEDY_H

#include "boplace.h"

/** Fills *solution with the hand method's proposal (see greedy.c for the
 *  exact rules): candidate_of_household, housed, housed_persons, the values
 *  of the four tiers and the soft terms; bounds and gap are NAN (a greedy
 *  proves nothing); status BP_SOLVE_HEURISTIC.
 *
 *  Returns BP_OK; BP_INVALID when the `place` locks by themselves break a
 *  rule that spans households (a cap, a building limit, a group), so that
 *  no plan can keep them, with one message per lock; BP_FAILURE when the
 *  hand method cannot complete around the locks (a group or min_cluster
 *  that a lock opens and the greedy cannot fill) although a plan might
 *  exist.  On failure *solution is still allocated (free it as usual). */
bp_status bp_greedy(const bp_case *kase, const bp_derived *derived,
                    bp_solution *solution, bp_diagnostics *diag);

/** The pipeline's solve-and-explain step with the hand method instead of
 *  the optimizer (pipeline.c; `boplace run --method greedy`). */
bp_status bp_greedy_and_explain(bp_run *run);

#endif
