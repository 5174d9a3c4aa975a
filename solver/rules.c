/**
 * @file rules.c
 * @brief The figures the hard rules are stated in (SPEC.md, "Hard rules"):
 *        persons, rooms needed and allowed, and the share rule.
 *
 * Each figure has exactly one implementation here, used by eligibility, the
 * model, the explanation and the tests, so that no two stages can disagree
 * on what a rule means.
 */
#include <limits.h>
#include <math.h>

#include "boplace.h"

int bp_persons(const bp_household *h) {
  int persons = h->adults + h->children_0_5 + h->children_6_16;
  return persons < 1 ? 1 : persons;
}

int bp_rooms_needed(const bp_household *h, const bp_policy *p) {
  /* ceil(persons / persons_per_room), computed so that 4 / 2.0 is exactly 2
   * and never 3 through rounding. */
  double ratio = (double)bp_persons(h) / p->persons_per_room;
  int needed = (int)ceil(ratio - 1e-9);
  return needed < 1 ? 1 : needed;
}

int bp_rooms_allowed(const bp_household *h, const bp_policy *p) {
  return bp_persons(h) + p->extra_rooms;
}

int bp_is_single_adult(const bp_household *h) {
  return h->adults == 1 && h->children_0_5 == 0 && h->children_6_16 == 0;
}

double bp_share(int count, int total) {
  return total > 0 ? (double)count / (double)total : 0.0;
}

/* The share rule of models/formulation.md §3: after adding added_count to the
 * count and added_total to the total, the share may be at most the larger of
 * the cap and today's share.  Adding nothing is always allowed. */
int bp_share_allows(int count, int total, int added_count, int added_total,
                    double cap) {
  if (added_count == 0 && added_total == 0)
    return 1;
  double today = bp_share(count, total);
  double limit = cap > today ? cap : today;
  double after_count = (double)count + added_count;
  double after_total = (double)total + added_total;
  return after_count <= limit * after_total + 1e-9;
}

const char *bp_unit_kind_name(bp_unit_kind kind) {
  static const char *names[] = {"public", "private", "senior", "shared",
                                "transit"};
  return kind < BP_UNIT_KIND_COUNT ? names[kind] : "?";
}

const char *bp_reason_code_name(bp_reason_code code) {
  switch (code) {
  case BP_REASON_NO_ELIGIBLE_UNIT: return "NO_ELIGIBLE_UNIT";
  case BP_REASON_OUTCOMPETED: return "OUTCOMPETED";
  case BP_REASON_CAP_BINDING: return "CAP_BINDING";
  case BP_REASON_GROUP: return "GROUP";
  case BP_REASON_LOCK: return "LOCK";
  case BP_REASON_NONE: break;
  }
  return "";
}

int bp_share_room(int count, int total, double cap) {
  double today = bp_share(count, total);
  double limit = cap > today ? cap : today;
  if (limit >= 1.0 - 1e-12)
    return INT_MAX;
  /* From count + k <= limit (total + k): k <= (limit total - count) / (1 - limit).
   * Start from the closed form and step to the exact integer with the same
   * test bp_share_allows() applies, so the two can never disagree. */
  double bound = (limit * total - count) / (1.0 - limit);
  int k = bound < 0 ? 0 : (bound > 1e9 ? 1000000000 : (int)floor(bound));
  while (k > 0 && !bp_share_allows(count, total, k, k, cap))
    k--;
  while (k < 1000000000 && bp_share_allows(count, total, k + 1, k + 1, cap))
    k++;
  return k;
}

const char *bp_solve_status_name(const bp_solution *s) {
  switch (s->status) {
  case BP_SOLVE_OPTIMAL: return "optimal";
  case BP_SOLVE_FEASIBLE: return s->interrupted ? "interrupted" : "time_limit";
  case BP_SOLVE_HEURISTIC: return "heuristic";
  case BP_SOLVE_INFEASIBLE: return "infeasible";
  case BP_SOLVE_ERROR: break;
  }
  return "error";
}
