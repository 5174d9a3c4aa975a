/**
 * @file model.h
 * @brief The mixed-integer program of models/formulation.md, as built in
 *        GLPK by model_build.c and solved tier by tier by solve.c.
 */
#ifndef BOPLACE_MODEL_H
#define BOPLACE_MODEL_H

#include <glpk.h>

#include "boplace.h"

/** An expression's own column and how its spread is measured: k_a for an
 *  area, beta_s for a school, beta_d for a daycare (formulation.md §4). */
typedef struct {
  int count_col;   /**< column of k (or beta), 0 = not in the model */
  int spread_col;  /**< column of t, 0 = none (the count cannot grow) */
  int near_cap_col;/**< column of o, 0 = none (never near the cap) */
  int bound;       /**< the largest value the count can take (K-bar) */
  int base_count, base_total; /**< today's count and total (n, N or b, p) */
  double cap;      /**< the cap c of (C14) */
} bp_model_count;

typedef struct {
  glp_prob *problem;
  const bp_case *kase;
  const bp_derived *derived;
  int n_x;                  /**< x columns are 1..n_x, in candidate order */
  bp_model_count *areas;    /**< per area */
  bp_model_count *schools;  /**< per school */
  bp_model_count *daycares; /**< per daycare */
  int *group_area_col;      /**< z: [g * n_areas + a], 0 = not in the model */
  int *cluster_col;         /**< y: per area, 0 = not in the model */
  int tier_row[BP_TIER_COUNT]; /**< row of (C15) fixing a tier, 0 = none */
  /** The binaries of the big decisions, z and y, are the columns from here
   *  on (0 = none); solve.c branches on them first. */
  int first_decision_col;
  /** The binaries w: household in an institution's district (model_build.c,
   *  schools and daycares), columns first..last; solve.c branches on them
   *  after z and y and before x. */
  int first_district_col, last_district_col;
  /** For each w column (index col - first_district_col): its household and
   *  whether it is a school's (0) or a daycare's (1) district. */
  int *district_household;
  char *district_is_daycare;
  int *district_institution;
} bp_model;

/** Builds (C1)-(C14).  With names, rows and columns get readable names
 *  (x[H01,U017], C3[A04]) for export; without, building is faster. */
void bp_model_build(const bp_case *kase, const bp_derived *derived,
                    int with_names, bp_model *model);
void bp_model_free(bp_model *model);

/** Sets the objective and direction of a tier (formulation.md §6). */
void bp_model_set_objective(bp_model *model, bp_tier tier);
/** Sets the objective weight[0] * waiting + weight[1] * permanent (maximised):
 *  tiers 2 and 3 in one solve, where the weights keep their order exact. */
void bp_model_set_waiting_permanent(bp_model *model, double waiting_weight);
/** The tier's objective at a solution given as column values x[1..n]. */
double bp_model_tier_value(const bp_model *model, bp_tier tier,
                           const double *x);
/** Adds (C15): the tier's objective may not fall below (rise above, for the
 *  soft tier) value. */
void bp_model_fix_tier(bp_model *model, bp_tier tier, double value);

/** Fills x[1..n] with every column's value for a proposal given as the
 *  candidate of each household (-1 = unplaced): x, the counts, w, y, z and
 *  the spread measures at their least values.  For warm starts, which
 *  GLPK takes without checking them. */
void bp_model_complete(const bp_model *model, const int *candidate_of_household,
                       double *x);
/** The largest violation of any row or column bound at x[1..n]; 0 when x
 *  is feasible. */
double bp_model_violation(const bp_model *model, const double *x);

/** f(j) of formulation.md §5: count * share after adding j, less today's. */
double bp_spread_penalty(int count, int total, int added);

#endif
