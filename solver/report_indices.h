/**
 * @file report_indices.h
 * @brief The spread indices of a run: how evenly newcomer households are
 *        spread across areas, how concentrated this run's placements are,
 *        which caps are reached, and who is housed within the travel limits.
 *
 * The formulas are in data/OUTPUTS.md ("Spread indices").  Each index is a
 * pure function of plain counts, so that the unit tests can check it on
 * numbers worked by hand; bp_spread_indices_of_run() only gathers those
 * counts from a finished run.  The report (report.h) carries the result in
 * summary.json and shows it in report.html.
 */
#ifndef BOPLACE_REPORT_INDICES_H
#define BOPLACE_REPORT_INDICES_H

#include <stddef.h>

#include "boplace.h"
#include "explain.h"

/** A share at or above its cap, with the tolerance of the share rule. */
#define BP_AT_CAP_TOLERANCE 1e-9

/** Dissimilarity index of newcomer households against the other households
 *  across n areas: D = 1/2 sum_a |n_a / n - (N_a - n_a) / (N - n)|, with
 *  n = sum n_a and N = sum N_a.  0 when n = 0 or N - n = 0 (one of the two
 *  groups is empty, so there is no spread to compare). */
double bp_index_dissimilarity(size_t n, const int *newcomers,
                              const int *households);

/** Herfindahl-Hirschman index of placements across n areas:
 *  HHI = sum_a (p_a / P)^2 with P = sum p_a; 0 when P = 0. */
double bp_index_hhi(size_t n, const int *placed);

/** How many of the n shares are at or over their cap:
 *  share[i] >= cap[i] - BP_AT_CAP_TOLERANCE. */
int bp_index_count_at_cap(size_t n, const double *share, const double *cap);

/** The index of the largest share (the lowest index among equals), or -1
 *  when n = 0. */
long bp_index_largest(size_t n, const double *share);

/** Whether a proposal keeps every travel limit of the policy that applies
 *  to it (a NAN minute means the rule does not apply). */
int bp_index_within_limits(const bp_pair_figures *pair,
                           const bp_policy *policy);

typedef struct {
  double dissimilarity_before; /**< D with today's counts */
  double dissimilarity_after;  /**< D with this run's placements added */
  double hhi;                  /**< of this run's placements */
  long largest_area;           /**< area with the largest share after, -1 = none */
  double largest_area_share;   /**< its newcomer share after (0 when none) */
  int areas_at_cap_before, areas_at_cap_after;       /**< newcomer share */
  int schools_at_cap_before, schools_at_cap_after;   /**< bilingual share */
  int daycares_at_cap_before, daycares_at_cap_after; /**< bilingual share */
  int households;              /**< households in the case */
  int housed;                  /**< households proposed a unit */
  int housed_within_limits;    /**< of those, within every travel limit */
  double within_limits_share;  /**< housed_within_limits / housed; 0 when none housed */
  double housed_share;         /**< housed / households; 0 when no households */
} bp_spread_indices;

/** The indices of a finished run, from its tally (explain.h). */
void bp_spread_indices_of_run(const bp_run *run, const bp_tally *tally,
                              bp_spread_indices *indices);

#endif
