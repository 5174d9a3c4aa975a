/**
 * @file test_model.c
 * @brief Unit tests of model and solve: each rule that spans households,
 *        and the strict order of the objective's tiers, on cases small
 *        enough to know the answer by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "case_builder.h"
#include "model.h"
#include "pools.h"

typedef struct {
  bp_case kase;
  bp_derived derived;
  bp_solution solution;
  bp_diagnostics diag;
} solved;

static bp_status solve_case(solved *s) {
  memset(&s->derived, 0, sizeof s->derived);
  memset(&s->solution, 0, sizeof s->solution);
  memset(&s->diag, 0, sizeof s->diag);
  bp_status status = bp_derive(&s->kase, &s->derived, &s->diag);
  if (status == BP_OK)
    status = bp_solve(&s->kase, &s->derived, &s->solution, &s->diag);
  return status;
}

/* The unit a household got, -1 when unplaced. */
static int unit_of(const solved *s, int h) {
  int c = s->solution.candidate_of_household[h];
  return c < 0 ? -1 : s->derived.candidates[c].unit;
}

static void done(solved *s) {
  bp_solution_free(&s->solution);
  bp_derived_free(&s->derived);
  bp_diagnostics_free(&s->diag);
  bp_case_free(&s->kase);
}

static void longest_waiting_gets_the_only_unit(void **state) {
  (void)state;
  solved s;
  tb_case(&s.kase, 2, 1, 0);
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_household(&s.kase, 1, 0, 0, 5000, 10);
  tb_household(&s.kase, 1, 0, 0, 5000, 90);
  tb_household(&s.kase, 1, 0, 0, 5000, 40);
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(s.solution.housed, 1);
  assert_int_equal(unit_of(&s, 1), 0);
  assert_int_equal(s.solution.status, BP_SOLVE_OPTIMAL);
  done(&s);
}

static void count_comes_before_waiting(void **state) {
  (void)state;
  /* H00 waited longest but fits only U00, which H01 also fits; H02 fits only
   * U00 too.  Housing two beats housing the longest-waiting one alone. */
  solved s;
  tb_case(&s.kase, 2, 1, 0);
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 0, 3, 3000, BP_UNIT_PUBLIC);
  tb_household(&s.kase, 1, 0, 0, 5000, 200); /* 1 person: rooms 1..2 */
  tb_household(&s.kase, 2, 1, 0, 5000, 0);   /* 3 persons: rooms 2..4 */
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(s.solution.housed, 2);
  assert_int_equal(unit_of(&s, 0), 0);
  assert_int_equal(unit_of(&s, 1), 1);
  done(&s);
}

static void transit_is_a_last_resort(void **state) {
  (void)state;
  solved s;
  tb_case(&s.kase, 2, 1, 0);
  tb_unit(&s.kase, 0, 1, 2000, BP_UNIT_TRANSIT); /* cheaper, but transit */
  tb_unit(&s.kase, 0, 1, 4000, BP_UNIT_PUBLIC);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(unit_of(&s, 0), 1);
  done(&s);
}

static void area_cap_binds(void **state) {
  (void)state;
  /* 1000 households, 148 newcomers, cap 15 %: room for 2 more. */
  solved s;
  tb_case(&s.kase, 2, 1, 148);
  for (int i = 0; i < 4; i++)
    tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  for (int i = 0; i < 4; i++)
    tb_household(&s.kase, 1, 0, 0, 5000, i);
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(s.derived.area_room[0], 2);
  assert_int_equal(s.solution.housed, 2);
  assert_int_equal(unit_of(&s, 3) >= 0 && unit_of(&s, 2) >= 0, 1);
  done(&s);
}

static void school_seats_and_building_limit(void **state) {
  (void)state;
  solved s;
  tb_case(&s.kase, 2, 1, 0);
  s.kase.schools[0].free_seats = 3;
  s.kase.policy.max_new_per_building = 1;
  tb_unit(&s.kase, 0, 3, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 0, 3, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  int building[] = {2, 3};
  tb_building(&s.kase, building, 2);
  tb_household(&s.kase, 2, 0, 2, 5000, 5); /* 2 pupils */
  tb_household(&s.kase, 2, 0, 2, 5000, 1); /* 2 pupils: only 3 seats */
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  tb_household(&s.kase, 1, 0, 0, 5000, 0); /* one building, limit 1 */
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(s.solution.housed, 2);
  assert_true(unit_of(&s, 0) >= 0);
  assert_int_equal(unit_of(&s, 1), -1);
  assert_true((unit_of(&s, 2) >= 0) != (unit_of(&s, 3) >= 0));
  done(&s);
}

static void group_all_or_none_in_one_area(void **state) {
  (void)state;
  solved s;
  tb_case(&s.kase, 3, 2, 0);
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 1, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 1, 1, 3000, BP_UNIT_PUBLIC);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  int members[] = {0, 1, 2};
  tb_group(&s.kase, members, 3);
  /* Three members, at most two units in one area: none can go. */
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(s.solution.housed, 0);
  done(&s);

  tb_case(&s.kase, 3, 2, 0);
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 1, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 1, 1, 3000, BP_UNIT_PUBLIC);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  int pair[] = {0, 1};
  tb_group(&s.kase, pair, 2);
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(s.solution.housed, 2);
  assert_int_equal(s.kase.units[unit_of(&s, 0)].area, 1);
  assert_int_equal(s.kase.units[unit_of(&s, 1)].area, 1);
  done(&s);
}

static void min_cluster_none_or_enough(void **state) {
  (void)state;
  solved s;
  tb_case(&s.kase, 3, 2, 0);
  s.kase.areas[0].newcomer_households = 50; /* not fresh */
  s.kase.policy.min_cluster = 2;
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 1, 1, 3000, BP_UNIT_PUBLIC); /* fresh area, one unit */
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  /* The fresh area could only get one household, below min_cluster 2. */
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(s.solution.housed, 1);
  assert_int_equal(s.kase.units[unit_of(&s, 0) >= 0 ? unit_of(&s, 0) : unit_of(&s, 1)].area, 0);
  done(&s);
}

static void spread_prefers_two_areas_to_one(void **state) {
  (void)state;
  solved s;
  tb_case(&s.kase, 2, 2, 20);
  s.kase.links[0].minutes = s.kase.links[1].minutes = 0.5;
  for (int a = 0; a < 2; a++)
    for (int i = 0; i < 2; i++)
      tb_unit(&s.kase, a, 1, 3000, BP_UNIT_PUBLIC);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  assert_int_equal(solve_case(&s), BP_OK);
  assert_int_equal(s.solution.housed, 2);
  int a0 = s.kase.units[unit_of(&s, 0)].area, a1 = s.kase.units[unit_of(&s, 1)].area;
  assert_int_not_equal(a0, a1);
  assert_true(s.solution.soft_spread > 0);
  done(&s);
}

static void conflicting_place_locks_are_reported(void **state) {
  (void)state;
  solved s;
  tb_case(&s.kase, 2, 1, 148); /* room for 2 */
  for (int i = 0; i < 3; i++) {
    tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
    tb_household(&s.kase, 1, 0, 0, 5000, 0);
    tb_lock(&s.kase, i, i, BP_LOCK_PLACE);
    s.kase.locks[i].origin.line = i + 2;
  }
  /* A fourth household locked into another area is no part of the conflict. */
  s.kase.areas[0].households = 1000;
  assert_int_equal(solve_case(&s), BP_INVALID);
  assert_int_equal(s.solution.status, BP_SOLVE_INFEASIBLE);
  /* Any two of the three locks fit; all three do not: all three named,
   * with the area, its room and the rule. */
  assert_int_equal(s.diag.errors, 3);
  for (size_t i = 0; i < 3; i++) {
    assert_string_equal(s.diag.items[i].file, "locks.csv");
    assert_int_equal(s.diag.items[i].line, (int)i + 2);
    assert_non_null(strstr(s.diag.items[i].message, "one of 3 locks into area"));
    assert_non_null(strstr(s.diag.items[i].message,
                           "bring 3 newcomer households, where there is room for 2 "
                           "(max_newcomer_share)"));
  }
  done(&s);

  /* With a lock in a second area, only the three in the full area conflict. */
  tb_case(&s.kase, 2, 2, 148);
  for (int i = 0; i < 4; i++) {
    tb_unit(&s.kase, i < 3 ? 0 : 1, 1, 3000, BP_UNIT_PUBLIC);
    tb_household(&s.kase, 1, 0, 0, 5000, 0);
    tb_lock(&s.kase, i, i, BP_LOCK_PLACE);
  }
  assert_int_equal(solve_case(&s), BP_INVALID);
  assert_int_equal(s.diag.errors, 3);
  done(&s);
}

static void lock_into_an_area_the_group_cannot_share(void **state) {
  (void)state;
  /* The group H00+H01 fits together only in area 1; a lock puts H00 in
   * area 0.  The lock must be reported, never silently dropped. */
  solved s;
  tb_case(&s.kase, 3, 2, 0);
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 0, 1, 3000, BP_UNIT_PUBLIC);
  tb_unit(&s.kase, 1, 1, 3000, BP_UNIT_PUBLIC)->step_free = 1;
  tb_unit(&s.kase, 1, 1, 3000, BP_UNIT_PUBLIC)->step_free = 1;
  tb_household(&s.kase, 1, 0, 0, 5000, 0);
  tb_household(&s.kase, 1, 0, 0, 5000, 0)->step_free = 1; /* not in area 0 */
  int pair[] = {0, 1};
  tb_group(&s.kase, pair, 2);
  tb_lock(&s.kase, 0, 0, BP_LOCK_PLACE);
  s.kase.locks[0].origin.line = 2;
  assert_int_equal(solve_case(&s), BP_INVALID);
  assert_int_equal(s.diag.errors, 1);
  assert_int_equal(s.diag.items[0].line, 2);
  assert_non_null(strstr(s.diag.items[0].message, "its group 'G00'"));
  done(&s);
}

/* A small random case with every kind of row column generation has to
 * price: schools and daycares (lazy w), groups (lazy z, priced as a
 * whole), buildings and shared units (lazy C2, C8), min_cluster. */
static void random_case(bp_case *k, unsigned *seed) {
  int areas = 3 + rand_r(seed) % 3;
  tb_case(k, areas + 1, areas, 0);
  for (int a = 0; a < areas; a++) {
    k->areas[a].newcomer_households = rand_r(seed) % 2 ? 0 : 40 + rand_r(seed) % 100;
    k->schools[a].free_seats = rand_r(seed) % 4;
    k->daycares[a].free_seats = rand_r(seed) % 3;
    k->schools[a].bilingual = 100 + rand_r(seed) % 60; /* near the cap */
    k->daycares[a].bilingual = 10 + rand_r(seed) % 12;
  }
  k->policy.min_cluster = rand_r(seed) % 3;
  k->policy.max_new_per_building = 1 + rand_r(seed) % 2;
  int units = 8 + rand_r(seed) % 10;
  for (int i = 0; i < units; i++) {
    bp_unit *u = tb_unit(k, rand_r(seed) % areas, 1 + rand_r(seed) % 3,
                         2500 + 100 * (rand_r(seed) % 30),
                         rand_r(seed) % 6 == 0 ? BP_UNIT_TRANSIT : BP_UNIT_PUBLIC);
    if (rand_r(seed) % 5 == 0)
      u->places = 2;
  }
  for (int b = 0; b + 2 < units; b += 3) {
    int building[] = {b, b + 1, b + 2};
    tb_building(k, building, 3);
  }
  int households = 8 + rand_r(seed) % 10;
  for (int h = 0; h < households; h++)
    tb_household(k, 1 + rand_r(seed) % 2, rand_r(seed) % 2, rand_r(seed) % 3,
                 4500 + 300 * (rand_r(seed) % 8), rand_r(seed) % 200);
  int group[] = {0, 1};
  tb_group(k, group, 2);
}

/* Column generation prices every missing pair exactly: from one pair per
 * household, pricing rounds reach the LP value of the full model, and the
 * bound of a single round (LP value + each household's best gain) is never
 * below it (fact 1 of solve.c).  With and without district binaries. */
static void pricing_reaches_the_full_lp(void **state) {
  (void)state;
  unsigned seed = 7;
  for (int trial = 0; trial < 120; trial++) {
    /* Half the trials without district binaries, as at the annual size. */
    setenv("BOPLACE_DISTRICT_BINARIES_UP_TO", trial % 2 ? "0" : "100000", 1);
    solved s;
    random_case(&s.kase, &seed);
    memset(&s.derived, 0, sizeof s.derived);
    memset(&s.diag, 0, sizeof s.diag);
    memset(&s.solution, 0, sizeof s.solution);
    assert_int_equal(bp_derive(&s.kase, &s.derived, &s.diag), BP_OK);
    bp_tier tiers[] = {BP_TIER_HOUSED, BP_TIER_WAITING, BP_TIER_SOFT};
    for (int t = 0; t < 3; t++) {
      bp_model full;
      bp_model_build(&s.kase, &s.derived, 0, &full);
      bp_model_set_objective(&full, tiers[t]);
      glp_smcp smcp;
      glp_init_smcp(&smcp);
      smcp.msg_lev = GLP_MSG_OFF;
      assert_int_equal(glp_simplex(full.problem, &smcp), 0);
      double z_full = glp_get_obj_val(full.problem);
      int maximise = tiers[t] != BP_TIER_SOFT;
      for (int rounds = 1; rounds >= 0; rounds--) {
        unsigned char *active = calloc(s.derived.n_candidates + 1, 1);
        for (size_t h = 0; h < s.kase.n_households; h++)
          if (s.derived.first_candidate[h] < s.derived.first_candidate[h + 1])
            active[s.derived.first_candidate[h]] = 1;
        bp_model part;
        bp_model_build_restricted(&s.kase, &s.derived, 0, active, &part);
        free(active);
        if (tiers[t] == BP_TIER_SOFT)
          bp_model_add_spread_cuts(&part);
        bp_model_set_objective(&part, tiers[t]);
        double value, bound;
        int priced_out = bp_model_price_out(&part, 60.0, rounds, &value, &bound);
        double tolerance = 1e-6 * (1.0 + fabs(z_full));
        if (rounds == 0) { /* to the end */
          assert_true(priced_out);
          if (fabs(value - z_full) > tolerance)
            fail_msg("trial %d tier %d: priced-out LP %.9g, full LP %.9g", trial,
                     (int)tiers[t] + 1, value, z_full);
        }
        if (maximise ? bound < z_full - tolerance : bound > z_full + tolerance)
          fail_msg("trial %d tier %d rounds %d: bound %.9g on the wrong side of "
                   "the full LP %.9g", trial, (int)tiers[t] + 1, rounds, bound, z_full);
        bp_model_free(&part);
      }
      bp_model_free(&full);
    }
    done(&s);
  }
  unsetenv("BOPLACE_DISTRICT_BINARIES_UP_TO");
}

/* The x columns with a positive value in the model's LP solution: their
 * candidates into *pairs and values into *values (caller frees both). */
static size_t lp_support(const bp_model *m, size_t **pairs, double **values) {
  *pairs = calloc(m->n_x + 1, sizeof **pairs);
  *values = calloc(m->n_x + 1, sizeof **values);
  size_t n = 0;
  for (size_t k = 0; k < m->n_x; k++) {
    double v = glp_get_col_prim(m->problem, m->col_of_candidate[m->x_candidate[k]]);
    if (v > 1e-9) {
      (*pairs)[n] = m->x_candidate[k];
      (*values)[n++] = v;
    }
  }
  return n;
}

/* The classes of alike households (pools.h) are a reformulation of the
 * pool model in tier 1: members are alike (same pools in the same order,
 * same children, never a group member or under a lock), the class model's
 * LP and integer optimum are the pool model's, with all columns and priced
 * out from one pair per class, its LP solution shared among the members
 * is a pool LP solution of the same value, and the bound of a single round
 * (LP value + each class's size times its best gain) is never below. */
static void classes_keep_the_pool_model(void **state) {
  (void)state;
  unsigned seed = 19;
  int aggregated = 0;
  for (int trial = 0; trial < 120; trial++) {
    solved s;
    random_case(&s.kase, &seed);
    /* Copies of a household: alike by construction. */
    int copies = rand_r(&seed) % 4;
    const bp_household *first = &s.kase.households[s.kase.n_households - 1];
    int adults = first->adults, c05 = first->children_0_5, c616 = first->children_6_16;
    double rent = first->max_rent;
    for (int k = 0; k < copies; k++)
      tb_household(&s.kase, adults, c05, c616, rent, rand_r(&seed) % 200);
    memset(&s.derived, 0, sizeof s.derived);
    memset(&s.diag, 0, sizeof s.diag);
    memset(&s.solution, 0, sizeof s.solution);
    assert_int_equal(bp_derive(&s.kase, &s.derived, &s.diag), BP_OK);
    bp_pools pools;
    bp_pools_build(&s.kase, &s.derived, &pools);
    bp_pool_classes classes;
    bp_pool_classes_build(&pools, &classes);
    size_t nh = s.kase.n_households;
    assert_int_equal(classes.member_first[classes.n_classes], nh);
    aggregated += classes.n_classes < nh;
    const bp_derived *pd = &pools.derived, *cd = &classes.derived;
    for (size_t c = 0; c < classes.n_classes; c++) {
      size_t n = classes.member_first[c + 1] - classes.member_first[c];
      assert_int_equal(cd->household_count[c], n);
      for (size_t j = classes.member_first[c]; j < classes.member_first[c + 1]; j++) {
        int h = classes.members[j];
        const bp_household *hh = &s.kase.households[h];
        assert_int_equal(classes.class_of[h], c);
        if (n > 1) {
          assert_true(hh->group < 0 && pd->locked_unit[h] < 0);
          assert_int_equal(hh->children_0_5, classes.kase.households[c].children_0_5);
          assert_int_equal(hh->children_6_16, classes.kase.households[c].children_6_16);
        }
        size_t len = pd->first_candidate[h + 1] - pd->first_candidate[h];
        assert_int_equal(len, cd->first_candidate[c + 1] - cd->first_candidate[c]);
        for (size_t k = 0; k < len; k++)
          assert_int_equal(pd->candidates[pd->first_candidate[h] + k].unit,
                           cd->candidates[cd->first_candidate[c] + k].unit);
      }
    }

    bp_model pm, cm;
    bp_model_build(&pools.kase, pd, 0, &pm);
    bp_model_build(&classes.kase, cd, 0, &cm);
    bp_model_set_objective(&pm, BP_TIER_HOUSED);
    bp_model_set_objective(&cm, BP_TIER_HOUSED);
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    assert_int_equal(glp_simplex(pm.problem, &smcp), 0);
    assert_int_equal(glp_simplex(cm.problem, &smcp), 0);
    double z_pool = glp_get_obj_val(pm.problem), z_class = glp_get_obj_val(cm.problem);
    if (fabs(z_pool - z_class) > 1e-6)
      fail_msg("trial %d: class LP %.9g, pool LP %.9g", trial, z_class, z_pool);

    /* The class LP solution shared among the members is a pool LP solution
     * of the same value: with the pool model's x fixed at the shared
     * values, the rest of its columns (counts, y, z, ...) can keep every
     * row, and each member takes at most 1 in all. */
    size_t *class_pairs;
    double *class_values;
    size_t n_class = lp_support(&cm, &class_pairs, &class_values);
    size_t *shared_pairs;
    double *shared_values;
    size_t n_shared = bp_pool_classes_share(&classes, &pools, class_pairs, class_values,
                                            n_class, &shared_pairs, &shared_values);
    double *at = calloc(pd->n_candidates + 1, sizeof *at);
    double *taken = calloc(nh + 1, sizeof *taken);
    double total = 0.0;
    for (size_t k = 0; k < n_shared; k++) {
      at[shared_pairs[k]] += shared_values[k];
      taken[pd->candidates[shared_pairs[k]].household] += shared_values[k];
      total += shared_values[k];
    }
    if (fabs(total - z_class) > 1e-6)
      fail_msg("trial %d: shared %.9g of the class LP's %.9g", trial, total, z_class);
    for (size_t h = 0; h < nh; h++)
      assert_true(taken[h] <= 1.0 + 1e-9);
    bp_model check;
    bp_model_build(&pools.kase, pd, 0, &check);
    bp_model_set_objective(&check, BP_TIER_HOUSED);
    for (size_t k = 0; k < check.n_x; k++) {
      size_t i = check.x_candidate[k];
      glp_set_col_bnds(check.problem, check.col_of_candidate[i], GLP_FX, at[i], at[i]);
    }
    if (glp_simplex(check.problem, &smcp) != 0 || glp_get_status(check.problem) != GLP_OPT)
      fail_msg("trial %d: the shared class LP solution breaks a row of the pool model", trial);
    bp_model_free(&check);
    free(at);
    free(taken);
    free(shared_pairs);
    free(shared_values);
    free(class_pairs);
    free(class_values);
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON;
    assert_int_equal(glp_intopt(pm.problem, &ip), 0);
    assert_int_equal(glp_intopt(cm.problem, &ip), 0);
    if (fabs(glp_mip_obj_val(pm.problem) - glp_mip_obj_val(cm.problem)) > 1e-6)
      fail_msg("trial %d: class optimum %.9g, pool optimum %.9g", trial,
               glp_mip_obj_val(cm.problem), glp_mip_obj_val(pm.problem));
    bp_model_free(&pm);
    bp_model_free(&cm);

    for (int rounds = 1; rounds >= 0; rounds--) {
      unsigned char *active = calloc(cd->n_candidates + 1, 1);
      for (size_t c = 0; c < classes.n_classes; c++)
        if (cd->first_candidate[c] < cd->first_candidate[c + 1])
          active[cd->first_candidate[c]] = 1;
      bp_model part;
      bp_model_build_restricted(&classes.kase, cd, 0, active, &part);
      free(active);
      bp_model_set_objective(&part, BP_TIER_HOUSED);
      double value, bound;
      int priced_out = bp_model_price_out(&part, 60.0, rounds, &value, &bound);
      if (rounds == 0) {
        assert_true(priced_out);
        if (fabs(value - z_pool) > 1e-6)
          fail_msg("trial %d: priced-out class LP %.9g, pool LP %.9g", trial, value, z_pool);
      }
      if (bound < z_pool - 1e-6)
        fail_msg("trial %d rounds %d: class bound %.9g below the pool LP %.9g", trial,
                 rounds, bound, z_pool);
      bp_model_free(&part);
    }
    bp_pool_classes_free(&classes);
    bp_pools_free(&pools);
    done(&s);
  }
  /* The check above means something only where households were alike. */
  assert_true(aggregated >= 60);
}

/* The full model's integer optimum of a tier, as a candidate per
 * household (glp_intopt on the whole model: the cases are small). */
static double full_optimum(solved *s, bp_tier tier, int *chosen) {
  bp_model full;
  bp_model_build(&s->kase, &s->derived, 0, &full);
  bp_model_set_objective(&full, tier);
  glp_iocp ip;
  glp_init_iocp(&ip);
  ip.msg_lev = GLP_MSG_OFF;
  ip.presolve = GLP_ON;
  assert_int_equal(glp_intopt(full.problem, &ip), 0);
  double z = glp_mip_obj_val(full.problem);
  for (size_t h = 0; h < s->kase.n_households; h++)
    chosen[h] = -1;
  for (size_t i = 0; i < s->derived.n_candidates; i++)
    if (full.col_of_candidate[i] && glp_mip_col_val(full.problem, full.col_of_candidate[i]) > 0.5)
      chosen[s->derived.candidates[i].household] = (int)i;
  bp_model_free(&full);
  return z;
}

/* A Hall cut must hold for every real proposal: the pools of its pairs
 * can house at most `room` of those households together. */
static void assert_cuts_hold(const bp_pools *pools, const solved *s, const int *real,
                             const bp_hall_cut *cuts, size_t n, int trial) {
  int *pooled = calloc(s->kase.n_households + 1, sizeof *pooled);
  bp_pools_from_units(pools, &s->kase, &s->derived, real, pooled);
  for (size_t c = 0; c < n; c++) {
    int in = 0;
    for (size_t k = 0; k < cuts[c].n; k++) {
      int h = pools->derived.candidates[cuts[c].pairs[k]].household;
      in += pooled[h] == (int)cuts[c].pairs[k];
    }
    if (in > cuts[c].room)
      fail_msg("trial %d: a Hall cut of room %d cuts off a real proposal housing %d of its households",
               trial, cuts[c].room, in);
  }
  free(pooled);
}

/* bp_pools_spread on a pool LP solution that breaks no Hall cut: the
 * spread values, as the full model's x (everything else left to the LP),
 * keep every row of the full LP and are worth the pool LP's value; and no
 * more than a pair's pool value goes to its household's real pairs. */
static void assert_spread_keeps_the_full_lp(const bp_pools *pools, solved *s,
                                            bp_tier tier, const size_t *pairs,
                                            const double *values, size_t n,
                                            double z_pool, int trial) {
  const bp_derived *d = &s->derived;
  double *real_value = calloc(d->n_candidates + 1, sizeof *real_value);
  bp_pools_spread(pools, &s->kase, d, pairs, values, n, real_value);
  double *pool_sum = calloc(s->kase.n_households + 1, sizeof *pool_sum);
  double *real_sum = calloc(s->kase.n_households + 1, sizeof *real_sum);
  for (size_t k = 0; k < n; k++)
    pool_sum[pools->derived.candidates[pairs[k]].household] += values[k];
  for (size_t i = 0; i < d->n_candidates; i++)
    real_sum[d->candidates[i].household] += real_value[i];
  for (size_t h = 0; h < s->kase.n_households; h++)
    if (fabs(pool_sum[h] - real_sum[h]) > 1e-6)
      fail_msg("trial %d: household %zu has %.9g in the pools and %.9g on the units",
               trial, h, pool_sum[h], real_sum[h]);
  bp_model full;
  bp_model_build(&s->kase, d, 0, &full);
  bp_model_set_objective(&full, tier);
  for (size_t i = 0; i < d->n_candidates; i++)
    if (full.col_of_candidate[i])
      glp_set_col_bnds(full.problem, full.col_of_candidate[i], GLP_FX,
                       real_value[i], real_value[i]);
    else if (real_value[i] > 1e-9)
      fail_msg("trial %d: the spread uses a pair the full model does not have", trial);
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  assert_int_equal(glp_simplex(full.problem, &smcp), 0);
  if (glp_get_status(full.problem) != GLP_OPT)
    fail_msg("trial %d: the spread LP breaks a row of the full LP", trial);
  if (fabs(glp_get_obj_val(full.problem) - z_pool) > 1e-6 * (1.0 + fabs(z_pool)))
    fail_msg("trial %d: the spread LP is worth %.9g, the pool LP %.9g", trial,
             glp_get_obj_val(full.problem), z_pool);
  bp_model_free(&full);
  free(real_value);
  free(pool_sum);
  free(real_sum);
}

/* The pool model (formulation.md §9) against the full model, on random
 * cases with buildings across areas, shared units, transit, groups and
 * min_cluster:
 *  - its LP, with any number of Hall cuts, is never below the full
 *    model's integer optimum, and separation ends;
 *  - every cut holds for the full model's optimum;
 *  - its integer optimum is never below the full one, and when the units
 *    can all be given, the real proposal keeps every row of the full model
 *    and is worth the pool optimum: the full optimum. */
static void pools_bound_and_reach_the_full_model(void **state) {
  (void)state;
  unsigned seed = 11;
  int reached = 0, cut = 0, tighter = 0, spread = 0;
  for (int trial = 0; trial < 150; trial++) {
    solved s;
    random_case(&s.kase, &seed);
    memset(&s.derived, 0, sizeof s.derived);
    memset(&s.diag, 0, sizeof s.diag);
    memset(&s.solution, 0, sizeof s.solution);
    assert_int_equal(bp_derive(&s.kase, &s.derived, &s.diag), BP_OK);
    size_t nh = s.kase.n_households;
    int *optimum = calloc(nh + 1, sizeof *optimum);
    int *pooled = calloc(nh + 1, sizeof *pooled);
    int *real = calloc(nh + 1, sizeof *real);
    bp_pools pools;
    bp_pools_build(&s.kase, &s.derived, &pools);
    bp_tier tiers[] = {BP_TIER_HOUSED, BP_TIER_WAITING};
    for (int t = 0; t < 2; t++) {
      double z_int = full_optimum(&s, tiers[t], optimum);
      bp_model full;
      bp_model_build(&s.kase, &s.derived, 0, &full);
      bp_model_set_objective(&full, tiers[t]);
      glp_smcp smcp;
      glp_init_smcp(&smcp);
      smcp.msg_lev = GLP_MSG_OFF;
      assert_int_equal(glp_simplex(full.problem, &smcp), 0);
      double z_lp = glp_get_obj_val(full.problem);
      bp_model_free(&full);
      double tolerance = 1e-6 * (1.0 + fabs(z_lp));

      bp_model pm;
      bp_model_build(&pools.kase, &pools.derived, 0, &pm);
      bp_model_set_objective(&pm, tiers[t]);
      for (int round = 0;; round++) {
        if (round >= 200) fail_msg("trial %d tier %d: separation does not end (LP %.9g, full %.9g)", trial, t + 1, glp_get_obj_val(pm.problem), z_lp);
        assert_int_equal(glp_simplex(pm.problem, &smcp), 0);
        double z_pool = glp_get_obj_val(pm.problem);
        if (z_pool < z_int - tolerance)
          fail_msg("trial %d tier %d round %d: pool LP %.9g below the full optimum %.9g",
                   trial, t + 1, round, z_pool, z_int);
        if (round == 0 && z_pool < z_lp - tolerance)
          tighter++;
        size_t *pairs;
        double *values;
        size_t n = lp_support(&pm, &pairs, &values);
        bp_hall_cut *cuts;
        size_t n_cuts = bp_pools_separate(&pools, &s.kase, &s.derived, pairs, values, n, &cuts);
        if (n_cuts == 0) {
          assert_spread_keeps_the_full_lp(&pools, &s, tiers[t], pairs, values, n, z_pool, trial);
          spread++;
        }
        free(pairs);
        free(values);
        assert_cuts_hold(&pools, &s, optimum, cuts, n_cuts, trial);
        bp_pools_add_cuts(&pm, cuts, n_cuts);
        bp_hall_cuts_free(cuts, n_cuts);
        cut += n_cuts > 0;
        if (n_cuts == 0)
          break;
      }
      glp_iocp ip;
      glp_init_iocp(&ip);
      ip.msg_lev = GLP_MSG_OFF;
      ip.presolve = GLP_ON;
      assert_int_equal(glp_intopt(pm.problem, &ip), 0);
      double z_pool_int = glp_mip_obj_val(pm.problem);
      if (z_pool_int < z_int - 1e-6)
        fail_msg("trial %d tier %d: pool optimum %.9g below the full optimum %.9g",
                 trial, t + 1, z_pool_int, z_int);
      for (size_t h = 0; h < nh; h++)
        pooled[h] = -1;
      for (size_t i = 0; i < pools.derived.n_candidates; i++)
        if (pm.col_of_candidate[i] && glp_mip_col_val(pm.problem, pm.col_of_candidate[i]) > 0.5)
          pooled[pools.derived.candidates[i].household] = (int)i;
      bp_hall_cut *cuts;
      size_t n_cuts;
      int short_of = bp_pools_assign_units(&pools, &s.kase, &s.derived, pooled, real,
                                           &cuts, &n_cuts);
      assert_true((short_of == 0) == (n_cuts == 0));
      assert_cuts_hold(&pools, &s, optimum, cuts, n_cuts, trial);
      bp_hall_cuts_free(cuts, n_cuts);
      if (short_of == 0) {
        bp_model check;
        bp_model_build(&s.kase, &s.derived, 0, &check);
        bp_model_set_objective(&check, tiers[t]);
        double *x = calloc((size_t)glp_get_num_cols(check.problem) + 1, sizeof *x);
        bp_model_complete(&check, real, x);
        if (bp_model_violation(&check, x) > 1e-6)
          fail_msg("trial %d tier %d: the units given break a row of the full model", trial, t + 1);
        double v = bp_model_tier_value(&check, tiers[t], x);
        if (fabs(v - z_int) > 1e-6)
          fail_msg("trial %d tier %d: units given for the pool optimum %.9g are worth %.9g, full optimum %.9g",
                   trial, t + 1, z_pool_int, v, z_int);
        reached++;
        free(x);
        bp_model_free(&check);
      }
      bp_model_free(&pm);
    }
    bp_pools_free(&pools);
    free(optimum);
    free(pooled);
    free(real);
    done(&s);
  }
  /* Both ways must have happened, or the test proves little. */
  assert_true(reached > 100);
  assert_true(cut > 5);
  assert_true(spread >= 300); /* every trial, both tiers */
  /* The pools' places count each building's limit, so their LP can be
   * tighter than the full LP (never below the optimum, checked above). */
  assert_true(tighter > 0);
}

static void completed_proposal_keeps_every_row(void **state) {
  (void)state;
  /* A case with every kind of row: seats, bilingual caps, buildings,
   * min_cluster, a group.  The solver's proposal, completed column by
   * column, must satisfy the model exactly (it is how warm starts are made),
   * and an infeasible assignment must show a violation. */
  solved s;
  tb_case(&s.kase, 4, 3, 0);
  s.kase.areas[0].newcomer_households = 100;
  s.kase.areas[2].newcomer_households = 120;
  s.kase.schools[1].free_seats = 2;
  s.kase.daycares[0].bilingual = 25;
  s.kase.policy.min_cluster = 2;
  s.kase.policy.max_new_per_building = 1;
  for (int i = 0; i < 9; i++)
    tb_unit(&s.kase, i % 3, 1 + i % 3, 2500 + 100 * i, BP_UNIT_PUBLIC);
  int building[] = {0, 3};
  tb_building(&s.kase, building, 2);
  tb_household(&s.kase, 2, 1, 1, 6000, 30);
  tb_household(&s.kase, 1, 0, 0, 6000, 20);
  tb_household(&s.kase, 1, 0, 0, 6000, 10);
  tb_household(&s.kase, 2, 0, 2, 6000, 5);
  tb_household(&s.kase, 1, 0, 0, 6000, 0);
  int pair[] = {1, 2};
  tb_group(&s.kase, pair, 2);
  assert_int_equal(solve_case(&s), BP_OK);
  bp_model m;
  bp_model_build(&s.kase, &s.derived, 0, &m);
  int n = glp_get_num_cols(m.problem);
  double *x = bp_alloc(((size_t)n + 1) * sizeof *x);
  bp_model_complete(&m, s.solution.candidate_of_household, x);
  assert_true(bp_model_violation(&m, x) < 1e-9);
  /* Two households in one unit: (C2) breaks. */
  int *both = bp_alloc(s.kase.n_households * sizeof *both);
  for (size_t h = 0; h < s.kase.n_households; h++)
    both[h] = -1;
  for (size_t i = 0; i < s.derived.n_candidates && both[4] < 0; i++)
    if (s.derived.candidates[i].household == 4)
      for (size_t j = 0; j < s.derived.n_candidates; j++)
        if (s.derived.candidates[j].household == 0 &&
            s.derived.candidates[j].unit == s.derived.candidates[i].unit) {
          both[4] = (int)i;
          both[0] = (int)j;
          break;
        }
  if (both[4] >= 0) {
    bp_model_complete(&m, both, x);
    assert_true(bp_model_violation(&m, x) >= 1.0 - 1e-9);
  }
  free(both);
  free(x);
  bp_model_free(&m);
  done(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(longest_waiting_gets_the_only_unit),
      cmocka_unit_test(count_comes_before_waiting),
      cmocka_unit_test(transit_is_a_last_resort),
      cmocka_unit_test(area_cap_binds),
      cmocka_unit_test(school_seats_and_building_limit),
      cmocka_unit_test(group_all_or_none_in_one_area),
      cmocka_unit_test(min_cluster_none_or_enough),
      cmocka_unit_test(spread_prefers_two_areas_to_one),
      cmocka_unit_test(conflicting_place_locks_are_reported),
      cmocka_unit_test(lock_into_an_area_the_group_cannot_share),
      cmocka_unit_test(completed_proposal_keeps_every_row),
      cmocka_unit_test(pricing_reaches_the_full_lp),
      cmocka_unit_test(classes_keep_the_pool_model),
      cmocka_unit_test(pools_bound_and_reach_the_full_model),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
