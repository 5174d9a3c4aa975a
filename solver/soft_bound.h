/**
 * @file soft_bound.h
 * @brief A lower bound on the soft tier, cheap to climb beside the solver,
 *        for the sizes whose soft LP is not solved in the time there is.
 *
 * At the annual and national sizes the soft tier's LP (with its spread
 * cuts) does not finish in the seconds left, and the soft tier had no
 * bound.  This one comes from a relaxation in which each household (a
 * group: all its members) chooses an area and there one of its cheapest
 * units (or "one of the rest"), and the areas, schools and daycares pay
 * the model's convex spread and near-cap cost at their counts.  The counts,
 * the listed units' places and the earlier tiers' constraints (C15) are
 * tied in by Lagrange multipliers; at any multipliers the relaxation's
 * value is a lower bound (models/formulation.md §10, "A bound on the soft
 * tier in milliseconds").
 */
#ifndef BOPLACE_SOFT_BOUND_H
#define BOPLACE_SOFT_BOUND_H

#include "boplace.h"

/** A search for the bound, started as soon as the case is derived: it
 *  reads only the case and the derived data (which must stay as they are
 *  until bp_soft_bound_finish), so in_background it builds its relaxation
 *  and climbs in a thread of its own, beside the solver, which uses one
 *  core (the machines have two).  Where no thread can be started, or not
 *  in_background, it does its work in bp_soft_bound_finish.  It stops by
 *  `deadline` (bp_clock_seconds()). */
typedef struct bp_soft_bound_run bp_soft_bound_run;
bp_soft_bound_run *bp_soft_bound_start(const bp_case *kase,
                                       const bp_derived *derived,
                                       double deadline, int in_background,
                                       int trace);

/** Tells the search what to bound: proposals that keep every hard rule and
 *  house at least goal[0] households, goal[1] waiting days and goal[2]
 *  households in permanent homes.  The search keeps its best value under
 *  each aim's goals (at most eight aims), so an aim may guess the run's
 *  tiers: bp_soft_bound_finish uses only the values whose goals the run
 *  reached.  incumbent is the soft cost of such a proposal (NAN: work it
 *  out from chosen), which the steps aim at; chosen (a candidate per
 *  household, -1 = unplaced) gives the first aim's counts, from which the
 *  search starts. */
void bp_soft_bound_aim(bp_soft_bound_run *run, const double *goal,
                       double incumbent, const int *chosen);

/** Stops the search and returns its bound for proposals that reach goal[]
 *  (the run's tiers 1-3 as they ended): the best value found under goals
 *  no higher; -INFINITY when there is none.  Frees the run. */
double bp_soft_bound_finish(bp_soft_bound_run *run, const double *goal);

#endif
