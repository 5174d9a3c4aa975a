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
  int def_row;     /**< the row defining count_col from its members */
  int bound;       /**< the largest value the count can take (K-bar) */
  int base_count, base_total; /**< today's count and total (n, N or b, p) */
  double cap;      /**< the cap c of (C14) */
} bp_model_count;

typedef struct {
  glp_prob *problem;
  const bp_case *kase;
  const bp_derived *derived;
  /** The x columns: x_candidate[k] is the candidate of the k-th, k < n_x,
   *  in the order they were added; col_of_candidate[i] is candidate i's
   *  column, 0 while it has none.  Columns are added after the rest of the
   *  model (bp_model_add_candidates), so x columns are not contiguous. */
  size_t n_x, x_capacity;
  size_t *x_candidate;
  int *col_of_candidate;
  size_t n_candidates;
  int with_names;
  /** Rows a candidate's column enters, decided by the full candidate list
   *  so that a column added later finds them all (0 = no row): (C1) per
   *  household, (C2) per unit, (C8) per building, the w rows per
   *  [household * institutions + institution] (school 0, daycare 1), and
   *  (C11) per [member_slot[h] * n_areas + area] for group members
   *  (member_slot -1 = not in a group; a row of -1: the group cannot all
   *  live there, so the member's x there is never created; 0: z and the
   *  rows are not made yet, see bp_model_reduced_cost). */
  int *household_row, *unit_row, *building_row;
  /** (C2) and (C8) are made when a unit's (building's) x columns can
   *  bring more households than its limit; until then the row cannot bind
   *  and prices at 0.  Chains of x indices + 1 per unit and building, with
   *  the households their columns can bring. */
  size_t *unit_first_x, *x_next_in_unit, *unit_columns;
  size_t *building_first_x, *x_next_in_building, *building_columns;
  int *district_row[2];
  int *member_slot, *member_area_row;
  /** The objective now set: a tier, or waiting and permanent combined
   *  with waiting_weight > 0. */
  bp_tier objective_tier;
  double waiting_weight;
  int spread_cuts_added;    /**< (C13) is in (bp_model_add_spread_cuts) */
  bp_model_count *areas;    /**< per area */
  bp_model_count *schools;  /**< per school */
  bp_model_count *daycares; /**< per daycare */
  int *group_area_col;      /**< z: [g * n_areas + a], 0 = not in the model (yet) */
  int *group_row;           /**< (C10) per group, 0 = none */
  int *cluster_col;         /**< y: per area, 0 = not in the model */
  int tier_row[BP_TIER_COUNT]; /**< row of (C15) fixing a tier, 0 = none */
  /** The binaries of the big decisions, y and z (solve.c branches on them
   *  first), in the order they were made. */
  int *decision_cols;
  size_t n_decisions, decision_capacity;
  /** The binaries w: household in an institution's district (model_build.c,
   *  schools and daycares), made with the first x column that needs one;
   *  solve.c branches on them after z and y and before x.  For the k-th,
   *  k < n_districts: its column, household, institution and whether it is
   *  a school's (0) or a daycare's (1) district. */
  size_t n_districts, district_capacity;
  int use_districts; /**< 0: no w; x enters the counts with its children */
  int *district_col;
  int *district_household;
  char *district_is_daycare;
  int *district_institution;
} bp_model;

/** Builds (C1)-(C14).  With names, rows and columns get readable names
 *  (x[H01,U017], C3[A04]) for export; without, building is faster. */
void bp_model_build(const bp_case *kase, const bp_derived *derived,
                    int with_names, bp_model *model);
/** The same model with x columns only for the candidates i with active[i]
 *  (and the place-locked), and without (C13) until bp_model_add_spread_cuts:
 *  a restricted master for column generation.
 *  Every row is there, so the LP duals price the missing columns exactly
 *  (bp_model_reduced_cost). */
void bp_model_build_restricted(const bp_case *kase, const bp_derived *derived,
                               int with_names, const unsigned char *active,
                               bp_model *model);
/** Adds (C13), the secant cuts that make t the spread penalty.  Only the
 *  soft tier needs them (t has no cost before), so the restricted model
 *  goes without them until then; bp_model_build adds them at once. */
void bp_model_add_spread_cuts(bp_model *model);
/** Gives the listed candidates their x columns (those without one), with
 *  their coefficients in every row and in the objective now set.  Returns
 *  how many columns were added. */
size_t bp_model_add_candidates(bp_model *model, const size_t *list, size_t n);
/** Candidate i's reduced cost c_i - sum over rows of a_ri * dual[r] under
 *  the objective now set, with dual[1..rows] the rows' LP duals.  A
 *  maximisation improves with a column whose reduced cost is > 0, a
 *  minimisation with one < 0.  Sets *never (and returns 0) for a candidate
 *  that can never be chosen.  Sets *group_pending for a group member in an
 *  area whose z is not made yet: the cost then leaves out (C11), and the
 *  member can only come with z and the other members (solve.c prices the
 *  group as a whole). */
double bp_model_reduced_cost(const bp_model *model, size_t i, const double *dual,
                             int *never, int *group_pending);
void bp_model_free(bp_model *model);

/** Sets the objective and direction of a tier (formulation.md §6). */
void bp_model_set_objective(bp_model *model, bp_tier tier);
/** Sets the objective weight[0] * waiting + weight[1] * permanent (maximised):
 *  tiers 2 and 3 in one solve, where the weights keep their order exact. */
void bp_model_set_waiting_permanent(bp_model *model, double waiting_weight);
/** Column generation on the LP of the objective now set (solve.c): solves
 *  the restricted LP and adds the missing pairs its duals price as
 *  improving, until none is (returns 1: *lp_value is then the full LP's
 *  value), max_rounds rounds have run (0 = no limit) or the seconds are
 *  up.  *lp_bound is the best valid bound on the full LP seen (the LP value
 *  plus each household's and group's best gain); NAN when no LP was solved. */
int bp_model_price_out(bp_model *model, double seconds, int max_rounds,
                       double *lp_value, double *lp_bound);
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

/** W_spread f(k) + W_near_cap o(k) of one count at a whole number k up to
 *  its K-bar: the least t and o that (C13) and (C14) allow there, for a
 *  count now at base of total with cap c (formulation.md §5). */
double bp_count_cost(const bp_policy *policy, int base, int total, double cap,
                     int k);

/** f(j) of formulation.md §5: count * share after adding j, less today's. */
double bp_spread_penalty(int count, int total, int added);

#endif
