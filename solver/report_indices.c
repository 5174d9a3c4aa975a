/**
 * @file report_indices.c
 * @brief The spread indices of a run (formulas in data/OUTPUTS.md).
 *
 * Pure functions of counts and shares, plus one function that gathers those
 * counts from a finished run.  "After" always means after all of this run's
 * proposals, as in proposals.csv's area_share_after; the shares come from
 * the same bp_share() every other stage uses, and the caps from
 * bp_derived, so the report can never disagree with the justification.
 */
#include "report_indices.h"

#include <math.h>
#include <stdlib.h>

double bp_index_dissimilarity(size_t n, const int *newcomers,
                              const int *households) {
  double total_new = 0, total_other = 0;
  for (size_t a = 0; a < n; a++) {
    total_new += newcomers[a];
    total_other += households[a] - newcomers[a];
  }
  if (total_new <= 0 || total_other <= 0)
    return 0.0;
  double sum = 0;
  for (size_t a = 0; a < n; a++)
    sum += fabs(newcomers[a] / total_new -
                (households[a] - newcomers[a]) / total_other);
  return 0.5 * sum;
}

double bp_index_hhi(size_t n, const int *placed) {
  double total = 0;
  for (size_t a = 0; a < n; a++)
    total += placed[a];
  if (total <= 0)
    return 0.0;
  double sum = 0;
  for (size_t a = 0; a < n; a++) {
    double s = placed[a] / total;
    sum += s * s;
  }
  return sum;
}

int bp_index_count_at_cap(size_t n, const double *share, const double *cap) {
  int count = 0;
  for (size_t i = 0; i < n; i++)
    count += share[i] >= cap[i] - BP_AT_CAP_TOLERANCE;
  return count;
}

long bp_index_largest(size_t n, const double *share) {
  long best = -1;
  for (size_t i = 0; i < n; i++)
    if (best < 0 || share[i] > share[best])
      best = (long)i;
  return best;
}

static int within(double minutes, double limit) {
  return isnan(minutes) || minutes <= limit + 1e-9;
}

int bp_index_within_limits(const bp_pair_figures *c, const bp_policy *p) {
  return within(c->minutes_language_school, p->max_minutes_language_school) &&
         within(c->minutes_school, p->max_minutes_school) &&
         within(c->minutes_daycare, p->max_minutes_daycare) &&
         within(c->minutes_job, p->max_minutes_job) &&
         within(c->minutes_health, p->max_minutes_health);
}

/* Bilingual shares of schools or daycares before and after, and how many
 * are at or over their caps. */
static void institutions_at_cap(const bp_institution *inst, size_t n,
                                const int *placed_children, const double *cap,
                                int *before, int *after) {
  double *share_before = bp_calloc(n + 1, sizeof *share_before);
  double *share_after = bp_calloc(n + 1, sizeof *share_after);
  for (size_t i = 0; i < n; i++) {
    share_before[i] = bp_share(inst[i].bilingual, inst[i].enrolled);
    share_after[i] = bp_share(inst[i].bilingual + placed_children[i],
                              inst[i].enrolled + placed_children[i]);
  }
  *before = bp_index_count_at_cap(n, share_before, cap);
  *after = bp_index_count_at_cap(n, share_after, cap);
  free(share_before);
  free(share_after);
}

void bp_spread_indices_of_run(const bp_run *run, const bp_tally *tally,
                              bp_spread_indices *x) {
  const bp_case *k = &run->kase;
  const bp_derived *d = &run->derived;
  size_t na = k->n_areas;
  int *newcomers = bp_calloc(na + 1, sizeof *newcomers);
  int *households = bp_calloc(na + 1, sizeof *households);
  double *share_before = bp_calloc(na + 1, sizeof *share_before);
  double *share_after = bp_calloc(na + 1, sizeof *share_after);

  for (size_t a = 0; a < na; a++) {
    newcomers[a] = k->areas[a].newcomer_households;
    households[a] = k->areas[a].households;
    share_before[a] = bp_area_share_before(k, (int)a);
    share_after[a] = bp_area_share_after(k, tally, (int)a);
  }
  x->dissimilarity_before = bp_index_dissimilarity(na, newcomers, households);
  for (size_t a = 0; a < na; a++) {
    newcomers[a] += tally->area_placed[a];
    households[a] += tally->area_placed[a];
  }
  x->dissimilarity_after = bp_index_dissimilarity(na, newcomers, households);
  x->hhi = bp_index_hhi(na, tally->area_placed);
  x->largest_area = bp_index_largest(na, share_after);
  x->largest_area_share = x->largest_area >= 0 ? share_after[x->largest_area] : 0;
  x->areas_at_cap_before = bp_index_count_at_cap(na, share_before, d->area_cap);
  x->areas_at_cap_after = bp_index_count_at_cap(na, share_after, d->area_cap);
  institutions_at_cap(k->schools, k->n_schools, tally->school_children,
                      d->school_cap, &x->schools_at_cap_before,
                      &x->schools_at_cap_after);
  institutions_at_cap(k->daycares, k->n_daycares, tally->daycare_children,
                      d->daycare_cap, &x->daycares_at_cap_before,
                      &x->daycares_at_cap_after);

  x->households = (int)k->n_households;
  x->housed = x->housed_within_limits = 0;
  for (size_t h = 0; h < k->n_households; h++) {
    long c = bp_placed_candidate(&run->solution, (int)h);
    if (c < 0)
      continue;
    x->housed++;
    bp_pair_figures f;
    bp_candidate_figures(k, d, (size_t)c, &f);
    x->housed_within_limits += bp_index_within_limits(&f, &k->policy);
  }
  x->within_limits_share = bp_share(x->housed_within_limits, x->housed);
  x->housed_share = bp_share(x->housed, x->households);

  free(newcomers);
  free(households);
  free(share_before);
  free(share_after);
}
