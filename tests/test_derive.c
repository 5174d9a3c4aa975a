/**
 * @file test_derive.c
 * @brief Unit tests of the derive stage: shortest paths, the share rule,
 *        and the pairwise eligibility rules (formulation.md §2-3).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "case_builder.h"
#include "derive.h"
#include "model.h"

static void shortest_paths_follow_links_one_way(void **state) {
  (void)state;
  bp_case k;
  memset(&k, 0, sizeof k);
  k.n_stops = 4;
  bp_link links[] = {{0, 1, 5, {0}}, {1, 2, 7, {0}}, {0, 2, 15, {0}},
                     {3, 0, 1, {0}}};
  k.links = links;
  k.n_links = 4;
  bp_network net;
  bp_network_build(&k, &net);
  double minutes[4];
  int target = 2;
  bp_network_minutes_to(&net, &target, 1, minutes);
  assert_float_equal(minutes[0], 12.0, 1e-12); /* via S1, not the 15 link */
  assert_float_equal(minutes[1], 7.0, 1e-12);
  assert_float_equal(minutes[2], 0.0, 1e-12);
  assert_float_equal(minutes[3], 13.0, 1e-12);
  target = 3; /* nothing leads to S3 */
  bp_network_minutes_to(&net, &target, 1, minutes);
  assert_true(isinf(minutes[0]) && isinf(minutes[2]));
  int targets[] = {1, 3};
  bp_network_minutes_to(&net, targets, 2, minutes);
  assert_float_equal(minutes[0], 5.0, 1e-12); /* nearest of the two */
  bp_network_free(&net);
}

static void share_rule_and_room(void **state) {
  (void)state;
  /* (10 + k) <= 0.15 (100 + k)  <=>  k <= 5.88 */
  assert_int_equal(bp_share_room(10, 100, 0.15), 5);
  assert_true(bp_share_allows(10, 100, 5, 5, 0.15));
  assert_false(bp_share_allows(10, 100, 6, 6, 0.15));
  /* Already above the cap: may not rise at all. */
  assert_int_equal(bp_share_room(20, 100, 0.15), 0);
  /* Exactly at a round cap must not be lost to rounding: 3/20 = 0.15. */
  assert_int_equal(bp_share_room(0, 17, 0.15), 3);
  assert_true(bp_share_allows(0, 17, 3, 3, 0.15));
  /* An empty area: one placement makes the share 100 %. */
  assert_int_equal(bp_share_room(0, 0, 0.15), 0);
  assert_int_equal(bp_share_room(5, 10, 1.0), INT_MAX);
}

static void spread_penalty_is_convex_and_prefers_spreading(void **state) {
  (void)state;
  for (int j = 1; j < 50; j++) {
    double d1 = bp_spread_penalty(30, 1000, j) - bp_spread_penalty(30, 1000, j - 1);
    double d2 = bp_spread_penalty(30, 1000, j + 1) - bp_spread_penalty(30, 1000, j);
    assert_true(d2 > d1);
  }
  /* Ten households in two equal areas cost less than ten in one. */
  double split = 2 * bp_spread_penalty(0, 1000, 5);
  double together = bp_spread_penalty(0, 1000, 10);
  assert_true(split < together);
  assert_float_equal(bp_spread_penalty(10, 100, 0), 0.0, 1e-12);
}

static int fails(const bp_case *k, const bp_derived *d, int h, int u,
                 bp_rule rule) {
  bp_pair_figures f;
  unsigned char failed[BP_RULE_COUNT];
  bp_check_pair(k, d, h, u, &f, failed);
  return failed[rule];
}

static void pairwise_rules(void **state) {
  (void)state;
  bp_case k;
  tb_case(&k, 8, 2, 0);
  k.areas[1].vulnerable = 1;
  k.policy.max_minutes_language_school = 60;
  bp_unit *u0 = tb_unit(&k, 0, 2, 5000, BP_UNIT_PUBLIC); /* at the school */
  u0->walk_minutes = 4;
  tb_unit(&k, 0, 4, 7000, BP_UNIT_PUBLIC);
  bp_unit *shared = tb_unit(&k, 0, 3, 2500, BP_UNIT_SHARED);
  shared->places = 3;
  tb_unit(&k, 1, 2, 4000, BP_UNIT_PUBLIC); /* vulnerable area */
  tb_unit(&k, 0, 1, 3000, BP_UNIT_TRANSIT);
  bp_unit *far = tb_unit(&k, 0, 2, 3000, BP_UNIT_PUBLIC);
  far->stop = 7; /* 70 minutes from the language school */
  tb_household(&k, 2, 0, 0, 6000, 0);  /* H00 couple */
  tb_household(&k, 1, 0, 0, 6000, 10); /* H01 single */
  bp_household *fam = tb_household(&k, 2, 1, 2, 8000, 0); /* H02 family of 5 */
  fam->step_free = 1;
  bp_diagnostics diag = {0};
  bp_derived d;
  assert_int_equal(bp_derive(&k, &d, &diag), BP_OK);

  /* Rooms: a couple needs 1 and may have 1 + 2 = 3 rooms. */
  assert_false(fails(&k, &d, 0, 0, BP_RULE_ROOMS_MIN));
  assert_true(fails(&k, &d, 0, 1, BP_RULE_ROOMS_MAX));  /* 4 > 3 */
  assert_true(fails(&k, &d, 0, 1, BP_RULE_RENT));       /* 7000 > 6000 */
  assert_true(fails(&k, &d, 2, 0, BP_RULE_ROOMS_MIN));  /* 5 persons need 3 */
  /* Shared places only for one adult, and no room rule there. */
  assert_true(fails(&k, &d, 0, 2, BP_RULE_SHARED_SINGLE));
  assert_false(fails(&k, &d, 1, 2, BP_RULE_SHARED_SINGLE));
  assert_false(fails(&k, &d, 1, 2, BP_RULE_ROOMS_MAX));
  /* Vulnerable areas are off by default; transit is allowed by default. */
  assert_true(fails(&k, &d, 0, 3, BP_RULE_VULNERABLE));
  assert_false(fails(&k, &d, 1, 4, BP_RULE_TRANSIT));
  assert_true(fails(&k, &d, 2, 1, BP_RULE_STEP_FREE));
  assert_true(fails(&k, &d, 0, 5, BP_RULE_LANGUAGE_SCHOOL));

  /* Minutes: walk + path; only the trips that apply are filled in. */
  bp_pair_figures f;
  unsigned char failed[BP_RULE_COUNT];
  bp_check_pair(&k, &d, 0, 0, &f, failed);
  assert_float_equal(f.minutes_language_school, 4.0, 1e-12);
  assert_true(isnan(f.minutes_school) && isnan(f.minutes_daycare));
  bp_check_pair(&k, &d, 2, 1, &f, failed);
  assert_float_equal(f.minutes_school, 0.0, 1e-12);
  assert_float_equal(f.minutes_daycare, 0.0, 1e-12);
  assert_float_equal(f.rent_burden, 7000.0 / 8000.0, 1e-12);

  /* Candidates are exactly the pairs with no failed rule, in order. */
  size_t n = 0;
  for (size_t h = 0; h < k.n_households; h++)
    for (size_t u = 0; u < k.n_units; u++) {
      bp_check_pair(&k, &d, (int)h, (int)u, &f, failed);
      int ok = 1;
      for (int r = 0; r < BP_RULE_COUNT; r++)
        ok &= !failed[r];
      if (ok) {
        assert_int_equal(d.candidates[n].household, (int)h);
        assert_int_equal(d.candidates[n].unit, (int)u);
        n++;
      }
    }
  assert_int_equal(n, d.n_candidates);
  bp_derived_free(&d);
  bp_diagnostics_free(&diag);
  bp_case_free(&k);
}

static void locks_forbid_and_place(void **state) {
  (void)state;
  bp_case k;
  tb_case(&k, 2, 1, 0);
  tb_unit(&k, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&k, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_household(&k, 1, 0, 0, 5000, 0);
  tb_household(&k, 1, 0, 0, 5000, 0);
  tb_lock(&k, 0, 0, BP_LOCK_FORBID);
  tb_lock(&k, 0, 1, BP_LOCK_FORBID);
  tb_lock(&k, 1, 1, BP_LOCK_PLACE);
  bp_diagnostics diag = {0};
  bp_derived d;
  assert_int_equal(bp_derive(&k, &d, &diag), BP_OK);
  /* H00: both units forbidden: no candidate, but two if not for the locks. */
  assert_int_equal(d.first_candidate[1] - d.first_candidate[0], 0);
  assert_int_equal(d.eligible_ignoring_locks[0], 2);
  /* H01: locked into U01, so U00 is not a candidate. */
  assert_int_equal(d.first_candidate[2] - d.first_candidate[1], 1);
  assert_int_equal(d.candidates[d.first_candidate[1]].unit, 1);
  assert_true(bp_candidate_locked(&d, d.first_candidate[1]));
  bp_derived_free(&d);
  bp_diagnostics_free(&diag);
  bp_case_free(&k);
}

static void place_lock_on_ineligible_pair_is_an_input_error(void **state) {
  (void)state;
  bp_case k;
  tb_case(&k, 2, 1, 0);
  tb_unit(&k, 0, 1, 9000, BP_UNIT_PUBLIC);
  tb_household(&k, 1, 0, 0, 5000, 0);
  tb_lock(&k, 0, 0, BP_LOCK_PLACE);
  k.locks[0].origin.line = 2;
  bp_diagnostics diag = {0};
  bp_derived d;
  assert_int_equal(bp_derive(&k, &d, &diag), BP_INVALID);
  assert_int_equal(diag.errors, 1);
  assert_string_equal(diag.items[0].file, "locks.csv");
  assert_int_equal(diag.items[0].line, 2);
  assert_non_null(strstr(diag.items[0].message, "rent"));
  bp_derived_free(&d);
  bp_diagnostics_free(&diag);
  bp_case_free(&k);
}

/* ---- The screened candidate loop against the plain all-pairs loop ---- */

static uint64_t rng_state;

static unsigned rnd(unsigned n) { /* 0 .. n-1, xorshift64 */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (unsigned)(rng_state % n);
}

static double pick(const double *values, unsigned n) { return values[rnd(n)]; }

static int same_double(double a, double b) {
  return memcmp(&a, &b, sizeof a) == 0;
}

static int same_figures(const bp_pair_figures *x, const bp_pair_figures *y) {
  return x->household == y->household && x->unit == y->unit &&
         same_double(x->minutes_language_school, y->minutes_language_school) &&
         same_double(x->minutes_school, y->minutes_school) &&
         same_double(x->minutes_daycare, y->minutes_daycare) &&
         same_double(x->minutes_job, y->minutes_job) &&
         same_double(x->minutes_health, y->minutes_health) &&
         same_double(x->travel_hours, y->travel_hours) &&
         same_double(x->rent_burden, y->rent_burden) &&
         same_double(x->score, y->score) &&
         same_double(x->pair_cost, y->pair_cost) &&
         x->preferred == y->preferred && x->ties == y->ties &&
         x->partner == y->partner && x->locked_place == y->locked_place;
}

/* A random small case that touches every rule, often at its boundary:
 * limits equal to the minutes, rents equal to max_rent, no daycare, no
 * path (the last stop has no links), NaN rents and max_rents, locks. */
static void random_case(bp_case *k) {
  int n_areas = 1 + (int)rnd(4), n_stops = n_areas + 1 + (int)rnd(4);
  tb_case(k, n_stops, n_areas, (int)rnd(200));
  static const double link[] = {2.5, 5, 7.3, 10};
  for (size_t s = 0; s + 1 < k->n_stops; s++)
    k->links[2 * s].minutes = k->links[2 * s + 1].minutes = pick(link, 4);
  /* A stop no link reaches: travel from it is INFINITY. */
  k->stops = bp_realloc(k->stops, (k->n_stops + 1) * sizeof *k->stops);
  k->stops[k->n_stops] = (bp_stop){tb_id("S", k->n_stops),
                                   tb_id("Stop ", k->n_stops), NAN, NAN, {0}};
  k->n_stops++;
  if (rnd(3) == 0) /* the health clinic somewhere else */
    k->destinations[0].stop = (int)rnd((unsigned)n_stops);
  for (size_t a = 0; a < k->n_areas; a++) {
    k->areas[a].vulnerable = rnd(4) == 0;
    k->areas[a].partner = rnd(3) == 0;
    if (rnd(4) == 0)
      k->areas[a].daycare = -1;
    k->schools[a].free_seats = (int)rnd(6);
    k->daycares[a].free_seats = (int)rnd(4);
  }
  bp_policy *p = &k->policy;
  static const double limits[] = {15, 20, 22.5, 25, 30, 40, 60, 90};
  p->max_minutes_language_school = pick(limits, 8);
  p->max_minutes_school = pick(limits, 8);
  p->max_minutes_daycare = pick(limits, 8);
  p->max_minutes_job = pick(limits, 8);
  p->max_minutes_health = pick(limits, 8);
  static const double ppr[] = {1, 1.5, 2, 3};
  p->persons_per_room = pick(ppr, 4);
  p->extra_rooms = (int)rnd(3);
  p->allow_vulnerable_areas = rnd(2);
  p->allow_transit = rnd(2);

  static const double rents[] = {2000, 4000, 5000, 5000.0000000001, 6000, 8000};
  static const double walks[] = {0, 2.5, 5, 7.5, 10};
  int n_units = (int)rnd(60);
  for (int i = 0; i < n_units; i++) {
    bp_unit *u = tb_unit(k, (int)rnd((unsigned)n_areas), 1 + (int)rnd(5),
                         rnd(30) ? pick(rents, 6) : NAN,
                         (bp_unit_kind)rnd(BP_UNIT_KIND_COUNT));
    u->stop = (int)rnd((unsigned)k->n_stops);
    u->walk_minutes = pick(walks, 5);
    u->max_persons = rnd(2) ? 0 : 1 + (int)rnd(5);
    u->step_free = rnd(2);
    if (u->kind == BP_UNIT_SHARED)
      u->places = 1 + (int)rnd(3);
  }
  static const double max_rents[] = {3000, 4000, 5000, 6000, 9000};
  int n_households = (int)rnd(12);
  for (int i = 0; i < n_households; i++) {
    bp_household *h = tb_household(k, (int)rnd(4), (int)rnd(3), (int)rnd(4),
                                   rnd(30) ? pick(max_rents, 5) : NAN,
                                   (int)rnd(100));
    h->step_free = rnd(6) == 0;
    h->needs_health = rnd(4) == 0;
    h->job_stop = rnd(3) == 0 ? (int)rnd((unsigned)k->n_stops) : -1;
    h->preferred_area = rnd(2) ? (int)rnd((unsigned)n_areas) : -1;
    h->ties_area = rnd(2) ? (int)rnd((unsigned)n_areas) : -1;
  }
  for (size_t h = 0; h < k->n_households; h++)
    for (size_t a = 0; a < k->n_areas; a++)
      if (rnd(4) == 0) {
        k->scores = bp_realloc(k->scores, (k->n_scores + 1) * sizeof *k->scores);
        k->scores[k->n_scores++] =
            (bp_score){(int)h, (int)a, (double)rnd(10) / 10.0, {0}};
      }
}

/* Adds locks that bp_derive() accepts: place locks only on eligible pairs,
 * forbid locks anywhere else (some twice). */
static void random_locks(bp_case *k) {
  bp_diagnostics diag = {0};
  bp_derived d;
  if (bp_derive(k, &d, &diag) != BP_OK) { /* see below */
    bp_derived_free(&d);
    bp_diagnostics_free(&diag);
    return;
  }
  for (size_t h = 0; h < k->n_households; h++) {
    size_t n = d.first_candidate[h + 1] - d.first_candidate[h];
    if (n > 0 && rnd(3) == 0) {
      tb_lock(k, (int)h, d.candidates[d.first_candidate[h] + rnd((unsigned)n)].unit,
              BP_LOCK_PLACE);
    }
  }
  for (size_t h = 0; h < k->n_households && k->n_units > 0; h++) {
    for (int i = (int)rnd(4); i > 0; i--) {
      int u = (int)rnd((unsigned)k->n_units);
      int place_locked = 0;
      for (size_t l = 0; l < k->n_locks; l++)
        place_locked |= k->locks[l].action == BP_LOCK_PLACE &&
                        k->locks[l].household == (int)h && k->locks[l].unit == u;
      if (!place_locked)
        tb_lock(k, (int)h, u, BP_LOCK_FORBID);
    }
  }
  bp_derived_free(&d);
  bp_diagnostics_free(&diag);
}

static void screened_candidates_equal_all_pairs(void **state) {
  (void)state;
  rng_state = 0x9e3779b97f4a7c15u;
  size_t total = 0, total_ignoring_locks = 0, skipped = 0;
  for (int round = 0; round < 1000; round++) {
    bp_case k;
    random_case(&k);
    if (rnd(2))
      random_locks(&k);
    bp_diagnostics diag = {0};
    bp_derived d;
    if (bp_derive(&k, &d, &diag) != BP_OK) {
      /* No unit reaches the language school or the clinic: an input error
       * (check_destinations), not a case to compare. */
      for (size_t i = 0; i < diag.count; i++)
        assert_string_equal(diag.items[i].file, "destinations.csv");
      skipped++;
      bp_derived_free(&d);
      bp_diagnostics_free(&diag);
      bp_case_free(&k);
      continue;
    }
    /* The plain loop: every pair through bp_check_pair().  The list holds
     * each eligible pair with its pair_cost to the bit, and the figures
     * worked out again for a candidate are the very ones of the loop. */
    size_t n = 0;
    for (size_t h = 0; h < k.n_households; h++) {
      assert_int_equal(d.first_candidate[h], n);
      int eligible = 0;
      for (size_t u = 0; u < k.n_units; u++) {
        bp_pair_figures f;
        unsigned char failed[BP_RULE_COUNT];
        int n_failed = bp_check_pair(&k, &d, (int)h, (int)u, &f, failed);
        /* The score and the locks against the case itself, not the sorted
         * keys that bp_check_pair() searches. */
        double score = 0.0;
        for (size_t i = 0; i < k.n_scores; i++)
          if (k.scores[i].household == (int)h &&
              k.scores[i].area == k.units[u].area)
            score = k.scores[i].score;
        assert_true(same_double(f.score, score));
        int lock_fails = 0;
        for (size_t i = 0; i < k.n_locks; i++)
          if (k.locks[i].household == (int)h)
            lock_fails |= k.locks[i].action == BP_LOCK_FORBID
                              ? k.locks[i].unit == (int)u
                              : k.locks[i].unit != (int)u;
        assert_int_equal(failed[BP_RULE_LOCK], lock_fails);
        if (n_failed == 0 || (n_failed == 1 && failed[BP_RULE_LOCK]))
          eligible++;
        if (n_failed > 0)
          continue;
        assert_true(n < d.n_candidates);
        const bp_candidate *c = &d.candidates[n];
        assert_int_equal(c->household, (int)h);
        assert_int_equal(c->unit, (int)u);
        assert_true(same_double(c->pair_cost, f.pair_cost));
        assert_int_equal(bp_candidate_locked(&d, n), f.locked_place);
        bp_pair_figures again;
        memset(&again, 0xa5, sizeof again); /* nothing left from before */
        bp_candidate_figures(&k, &d, n, &again);
        assert_true(same_figures(&again, &f));
        n++;
      }
      assert_int_equal(d.eligible_ignoring_locks[h], eligible);
      total_ignoring_locks += (size_t)eligible;
    }
    assert_int_equal(n, d.n_candidates);
    assert_int_equal(d.first_candidate[k.n_households], n);
    total += n;
    bp_derived_free(&d);
    bp_diagnostics_free(&diag);
    bp_case_free(&k);
  }
  print_message("%zu candidates, %zu ignoring locks, %zu cases skipped\n",
                total, total_ignoring_locks, skipped);
  /* The cases are not all trivial: there were candidates, and locks. */
  assert_true(total > 1000);
  assert_true(total_ignoring_locks > total);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(shortest_paths_follow_links_one_way),
      cmocka_unit_test(share_rule_and_room),
      cmocka_unit_test(spread_penalty_is_convex_and_prefers_spreading),
      cmocka_unit_test(pairwise_rules),
      cmocka_unit_test(locks_forbid_and_place),
      cmocka_unit_test(place_lock_on_ineligible_pair_is_an_input_error),
      cmocka_unit_test(screened_candidates_equal_all_pairs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
