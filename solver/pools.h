/**
 * @file pools.h
 * @brief The case seen by area: every area's vacant units as two pools
 *        (permanent homes and transit), for the tiers that do not care
 *        which unit of an area a household gets (models/formulation.md §9).
 *
 * Tiers 1-3 (housed, waiting, permanent) count households, not units.  The
 * rules that span more than one pair are about areas, schools, daycares
 * and groups, except (C2) places and (C8) buildings.  So the model built on
 * the pools (each pool a "unit" with the places of its area's units of
 * that kind, each household's pairs there one pool pair) is a relaxation of
 * the full model with a fraction of its columns: its optimum bounds the
 * full one.  When every area can then give each of its households a real
 * unit of its pool (a min-cost flow, bp_pools_assign_units), the bound is
 * reached and the pool optimum is the full optimum.  When an area cannot,
 * the flow's minimum cut is a Hall inequality that the pool model lacked
 * (bp_pools_hall_cut), and solve.c adds it and solves again.
 */
#ifndef BOPLACE_POOLS_H
#define BOPLACE_POOLS_H

#include "model.h"

typedef struct {
  /** The case with its units replaced by the pools (2 per area: index
   *  2 * area for permanent homes, 2 * area + 1 for transit) and without
   *  buildings; every other array is the real case's, shared. */
  bp_case kase;
  /** The pool pairs: one per household and pool where it has a real pair,
   *  pair_cost its cheapest there; the caps are the real derived's. */
  bp_derived derived;
  size_t n_pools;
  /** Areas tied together by a building with units in more than one: the
   *  units are given block by block, so that (C8) is kept across them.
   *  block_of_area[a] in 0..n_blocks-1. */
  int *block_of_area;
  size_t n_blocks;
  /** The pool pairs of each pool: pool_pairs[pool_first[p] ..
   *  pool_first[p+1]).  A cut is lifted with them (bp_pools_separate). */
  size_t *pool_first, *pool_pairs;
  /** The real units of each pool, ascending: pool_units[unit_first[p] ..
   *  unit_first[p+1]). */
  size_t *unit_first;
  int *pool_units;
} bp_pools;

/** Builds the pools of a case and its derived data. */
void bp_pools_build(const bp_case *kase, const bp_derived *d, bp_pools *pools);
void bp_pools_free(bp_pools *pools);

/** The pool of real unit u. */
int bp_pools_of_unit(const bp_case *kase, int u);

/** A real proposal (candidate index per household, -1 = none) as pool
 *  pairs: the pair of the household's pool. */
void bp_pools_from_units(const bp_pools *pools, const bp_case *kase,
                         const bp_derived *d, const int *real, int *pooled);

/** One area's shortfall: households the pools put there that no choice of
 *  real units can all house.  The members listed (their pool pairs) can
 *  have at most `room` of them housed in the area together. */
typedef struct {
  size_t *pairs; /**< pool pair indices */
  size_t n;
  int room;
} bp_hall_cut;

/** Gives every household the pools placed a real unit of its pool, area by
 *  area, keeping (C2) and (C8), at the least total pair cost (a min-cost
 *  flow).  Fills real[] (candidate per household, -1 = none).  Returns the
 *  number of households no unit could be found for (0 = the pool proposal
 *  is a real one, with the same tier values); for each area that fell
 *  short, *cuts gets one Hall cut (caller frees with bp_hall_cuts_free). */
int bp_pools_assign_units(const bp_pools *pools, const bp_case *kase,
                          const bp_derived *d, const int *pooled, int *real,
                          bp_hall_cut **cuts, size_t *n_cuts);
/** The Hall cuts an LP solution breaks: pairs[k] (pool pairs) at
 *  values[k].  Per area, a max flow from the pairs (supplies their values)
 *  to the real units; where it falls short, the minimum cut is a violated
 *  cut.  Together these cuts make the pool LP as strong as the full LP in
 *  tiers 1-3 (max-flow min-cut).  Returns how many are in *cuts. */
size_t bp_pools_separate(const bp_pools *pools, const bp_case *kase,
                         const bp_derived *d, const size_t *pairs,
                         const double *values, size_t n, bp_hall_cut **cuts);
/** An LP solution of the pool model (pairs[k] at values[k]) spread over
 *  the real units: per block, a maximum flow of least pair cost from the
 *  pairs to their real units.  real_value[i] (indexed by real candidate,
 *  d->n_candidates + 1 long) gets the flow through real pair i.  When the
 *  solution breaks no Hall cut, the flow carries all of it, so real_value
 *  is a fractional real proposal of the same tier value, for rounding
 *  (bp_round_lp) on the real case. */
void bp_pools_spread(const bp_pools *pools, const bp_case *kase,
                     const bp_derived *d, const size_t *pairs,
                     const double *values, size_t n, double *real_value);
void bp_hall_cuts_free(bp_hall_cut *cuts, size_t n);
/** Adds the cuts to a model built on the pool case as rows (C16): the
 *  listed pairs' x sum to at most room. */
void bp_pools_add_cuts(bp_model *pool_model, const bp_hall_cut *cuts, size_t n);

/** The households the pool model cannot tell apart, as classes.  Two
 *  households are alike there when they have pool pairs in the same pools
 *  and the same children of each age, and neither is in a group or under a
 *  place lock: every row then sees their pool pairs alike, and tier 1
 *  counts them alike.  The class model (one household per class, its (C1)
 *  row with the class's size, household_count) has the same LP value and
 *  integer optimum in tier 1 as the pool model: a class solution shared
 *  among the members (bp_pool_classes_share) is a pool solution, and a
 *  pool solution summed by class a class one.  At the national size it
 *  has a quarter of the households (XL: 3,177 classes of 12,000), and its
 *  LP prices out where the pool LP's does not.  The members differ in
 *  waiting days and in what their pairs cost: tier 2's LP on the classes
 *  takes the waiting days back per member (solve.c, add_shortfalls), and
 *  the soft tier has no class model. */
typedef struct {
  /** The pool case with one household per class (its first member's, the
   *  groups' members renumbered) and the class's pool pairs: its first
   *  member's, household_count its size.  The first member is the longest
   *  waiting, so the class's waiting days are its longest. */
  bp_case kase;
  bp_derived derived;
  size_t n_classes;
  /** The members of class c: members[member_first[c] .. member_first[c+1]),
   *  longest waiting first, then by index (a shared class LP solution
   *  houses them in that order); class c's pool pair j is member h's pool pair
   *  pools->derived.first_candidate[h] + (j - derived.first_candidate[c]). */
  size_t *member_first;
  int *members;
  int *class_of; /**< per household of the pool case */
} bp_pool_classes;

/** Sorts the households of the pool case into classes. */
void bp_pool_classes_build(const bp_pools *pools, bp_pool_classes *classes);
void bp_pool_classes_free(bp_pool_classes *classes);
/** A class LP solution (class pool pairs pairs[k] at values[k]) shared
 *  among the members, each taking a whole pair where the values allow:
 *  the pool pairs and values of a pool LP solution with the same value,
 *  into *out_pairs, *out_values (caller frees); returns their number. */
size_t bp_pool_classes_share(const bp_pool_classes *classes, const bp_pools *pools,
                             const size_t *pairs, const double *values, size_t n,
                             size_t **out_pairs, double **out_values);

#endif
