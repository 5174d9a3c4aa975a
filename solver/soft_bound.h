/**
 * @file soft_bound.h
 * @brief A lower bound on the soft tier that costs milliseconds, for the
 *        sizes whose soft LP is not solved in the time there is.
 *
 * At the annual and national sizes the soft tier's LP (with its spread
 * cuts) does not finish in the seconds left, and the soft tier had no
 * bound.  This one comes from a relaxation in which each household (a
 * group: all its members) only chooses an area, at the least pair cost it
 * has there, and the counts of areas, schools and daycares pay the model's
 * convex spread and near-cap cost.  The counts are tied to the choices by
 * Lagrange multipliers, as are the earlier tiers' constraints (C15); for
 * any multipliers the relaxation's value is a lower bound
 * (models/formulation.md §10, "A bound on the soft tier in milliseconds").
 */
#ifndef BOPLACE_SOFT_BOUND_H
#define BOPLACE_SOFT_BOUND_H

#include "model.h"

/** A lower bound on the soft tier of the model, valid for every proposal
 *  that keeps every hard rule and houses at least tier_value[0]
 *  households, tier_value[1] waiting days and tier_value[2] households in
 *  permanent homes.  chosen (a candidate per household, -1 = unplaced) is
 *  a proposal that does, with soft cost incumbent: the search starts from
 *  its counts and aims at its cost.  Works until `deadline`
 *  (bp_clock_seconds()) or until its steps no longer help; returns
 *  -INFINITY when it has nothing to say (a model of the pool classes, or
 *  no time to build the relaxation). */
double bp_soft_bound(const bp_model *model, const double *tier_value,
                     const int *chosen, double incumbent, double deadline,
                     int trace);

/** The same search in a thread of its own, beside the soft tier's local
 *  search and tree (which use one core: the machines have two).  It reads
 *  the model's GLPK problem and chosen only here, before it starts; the
 *  model's other fields, the case and the derived data must stay as they
 *  are until bp_soft_bound_finish, which stops it and returns its bound.
 *  Where no thread can be started, it works here until the deadline. */
typedef struct bp_soft_bound_run bp_soft_bound_run;
bp_soft_bound_run *bp_soft_bound_start(const bp_model *model,
                                       const double *tier_value,
                                       const int *chosen, double incumbent,
                                       double deadline, int in_background,
                                       int trace);
double bp_soft_bound_finish(bp_soft_bound_run *run);

#endif
