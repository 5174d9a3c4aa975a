/**
 * @file solve.c
 * @brief Solves the model tier by tier (models/formulation.md §6).
 *
 * The objective order of SPEC.md is strict: no softer goal may ever cost a
 * household its home.  A weighted sum cannot promise that within a solver's
 * tolerances, so each tier is solved to optimality and then fixed by a
 * constraint (C15) before the next.  Tiers 1-3 are integer valued, so the
 * fixing is exact.
 *
 * Each tier starts from the previous tier's solution, which satisfies the
 * new constraint by construction; GLPK receives it through the heuristic
 * callback.  That is why the GLPK presolver is off: the callback must see
 * the original columns.  The time given is for all the tiers together
 * (bp_solve_and_explain gives what the run has left); a tier that hits it
 * keeps the best solution found and reports its gap.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "greedy.h"
#include "improve.h"
#include "soft_bound.h"
#include "model.h"
#include "pools.h"

/* Set from a signal handler, so it cannot hang off the run's context: the
 * one piece of global state in boplace, written only by bp_request_stop(). */
static volatile sig_atomic_t stop_requested;

void bp_request_stop(void) { stop_requested = 1; }

static int milliseconds_left(double deadline) {
  double left = deadline - bp_clock_seconds();
  if (left < 0.001)
    return 1;
  return left > 2e6 ? 2000000000 : (int)(left * 1000.0);
}

typedef struct {
  const int *decision_cols; /**< columns of y and z */
  size_t n_decisions;
  const int *district_cols; /**< columns of w */
  size_t n_districts;
  const double *start; /**< a feasible solution to hand GLPK, or NULL */
  int start_given;
  double bound;        /**< best bound seen in the tree */
  int have_bound;
} tier_search;

static void on_tree_event(glp_tree *tree, void *info) {
  tier_search *s = info;
  if (stop_requested)
    glp_ios_terminate(tree);
  if (glp_ios_reason(tree) == GLP_IHEUR && s->start && !s->start_given) {
    s->start_given = 1;
    glp_ios_heur_sol(tree, s->start);
  }
  /* Branch on the big decisions first: which area a group goes to (z) and
   * whether a fresh area opens (y).  Once they are integral the rest is
   * close to a network flow, whose LP is nearly integral; GLPK's default
   * choice would branch on x and spread the search thin. */
  if (glp_ios_reason(tree) == GLP_IBRANCH) {
    glp_prob *P = glp_ios_get_prob(tree);
    for (int r = 0; r < 2; r++) {
      int pick = 0;
      double best_frac = 0.0;
      size_t n = r == 0 ? s->n_decisions : s->n_districts;
      for (size_t k = 0; k < n; k++) {
        int j = r == 0 ? s->decision_cols[k] : s->district_cols[k];
        if (glp_get_col_kind(P, j) != GLP_BV || !glp_ios_can_branch(tree, j))
          continue;
        double v = glp_get_col_prim(P, j), frac = fmin(v - floor(v), ceil(v) - v);
        if (frac > best_frac + 1e-9) {
          best_frac = frac;
          pick = j;
        }
      }
      if (pick) {
        glp_ios_branch_upon(tree, pick, GLP_UP_BRNCH);
        break;
      }
    }
  }
  int best = glp_ios_best_node(tree);
  if (best) {
    s->bound = glp_ios_node_bound(tree, best);
    s->have_bound = 1;
  }
}

/* Silences GLPK's terminal output: the run prints its own summary. */
static int quiet(void *info, const char *text) {
  (void)info;
  (void)text;
  return 1;
}

/* ------------------------------------------------------------------ */
/* Column generation (models/formulation.md §8)                        */
/* ------------------------------------------------------------------ */

/* At the annual and national sizes there are millions of eligible pairs;
 * the model gets an x column only for those that may matter.  Every row is
 * in the model from the start (model_build.c), so the LP duals price each
 * missing pair exactly: its reduced cost.  Three facts make this exact:
 *
 *  1. LP bound.  Each household takes at most one unit (C1), so raising
 *     the dual of its row by the best improving reduced cost among its
 *     missing pairs makes every pair dual feasible.  Hence
 *       bound = LP value + sum over households of that best improvement
 *     bounds the full LP, and so every integer solution, at every pricing
 *     round; when no pair improves it is the full LP's value.
 *  2. Reduced-cost test.  At an optimal LP with duals y, any integer
 *     solution that uses a missing pair i is worth at most LP value + d_i
 *     (maximising; every other term of its value against the LP is <= 0).
 *     So pairs with LP value + d_i below the incumbent's next step can be
 *     left out: the restricted MIP's optimum is the full MIP's optimum once
 *     every missing pair fails the test.
 *  3. A stopped search keeps a valid bound: the larger of the restricted
 *     tree's bound and LP value + the best d_i of the missing pairs. */

/* The x columns with a positive value in an optimal LP solution. */
typedef struct {
  size_t *pairs;  /**< candidate indices */
  double *values;
  size_t n;
} lp_point;

static void lp_point_free(lp_point *point) {
  free(point->pairs);
  free(point->values);
  *point = (lp_point){0};
}

typedef struct {
  int maximise;     /**< the tier's direction */
  int integral;     /**< the tier's value is an integer (tiers 1-3) */
  double lp_value;  /**< the restricted LP's value (the full LP's when priced out) */
  double lp_bound;  /**< a valid bound on the full LP (fact 1) */
  int priced_out;   /**< no missing pair improves the LP */
  int lp_optimal;
  /** A bound on the tier known beforehand (the pool model's, §9), NAN =
   *  none.  A restricted LP that reaches it is the full LP's value, and
   *  pricing stops there; its duals, unlike priced-out ones, need not
   *  price every missing pair, so fact 2 is not used with them. */
  double known_bound;
  int at_known_bound;
  /** When not NULL, the last optimal LP's solution is kept here: pricing
   *  may be cut off in the middle of a solve, and the pool stage rounds
   *  the last optimal one (at the national size pricing does not end in
   *  time, yet rounding its LP houses nearly its value). */
  lp_point *last;
} tier_lp;

static double *row_duals(glp_prob *P) {
  int rows = glp_get_num_rows(P);
  double *dual = bp_alloc(((size_t)rows + 1) * sizeof *dual);
  for (int r = 1; r <= rows; r++)
    dual[r] = glp_get_row_dual(P, r);
  return dual;
}

/* The prices of one LP solution.  A missing pair's gain is how much any
 * solution using it can beat the LP value, at most: its reduced cost,
 * signed so that > 0 improves.  A group member in an area whose z is not
 * made yet cannot come alone: z and one pair of every member come
 * together.  Extending the duals with each missing (C11) row priced at its
 * member's best gain there makes every such pair non-improving on its own
 * and leaves the group's gain for the area,
 *     group_gain(g, a) = -dual(C10 of g) + sum over members of best gain,
 * to z (signed as above); a pair's own gain is then
 *     group_gain(g, a) + its gain - its member's best gain. */
typedef struct {
  const bp_model *m;
  const double *dual;
  double sign;            /**< +1 maximising, -1 minimising */
  double *member_best;    /**< [slot * n_areas + a], -INFINITY = none */
  size_t *member_best_candidate;
  double *group_gain;     /**< [g * n_areas + a], -INFINITY = not pending */
} prices;

static double pair_gain(const prices *p, size_t i, int *never, int *pending) {
  double gain = p->sign * bp_model_reduced_cost(p->m, i, p->dual, never, pending);
  if (*never || !*pending)
    return gain;
  const bp_case *k = p->m->kase;
  const bp_candidate *c = &p->m->derived->candidates[i];
  size_t a = (size_t)k->units[c->unit].area, na = k->n_areas;
  size_t slot = (size_t)p->m->member_slot[c->household];
  return p->group_gain[(size_t)k->households[c->household].group * na + a] + gain -
         p->member_best[slot * na + a];
}

static void prices_start(prices *p, const bp_model *m, const double *dual,
                         int maximise) {
  const bp_case *k = m->kase;
  const bp_derived *d = m->derived;
  size_t na = k->n_areas, n_slots = 0;
  for (size_t h = 0; h < k->n_households; h++)
    if (m->member_slot[h] >= 0)
      n_slots++;
  *p = (prices){.m = m, .dual = dual, .sign = maximise ? 1.0 : -1.0};
  p->member_best = bp_alloc((n_slots * na + 1) * sizeof *p->member_best);
  p->member_best_candidate = bp_alloc((n_slots * na + 1) * sizeof *p->member_best_candidate);
  p->group_gain = bp_alloc((k->n_groups * na + 1) * sizeof *p->group_gain);
  for (size_t j = 0; j < n_slots * na; j++)
    p->member_best[j] = -INFINITY;
  for (size_t j = 0; j < k->n_groups * na; j++)
    p->group_gain[j] = -INFINITY;
  for (size_t h = 0; h < k->n_households; h++) {
    if (m->member_slot[h] < 0)
      continue;
    size_t slot = (size_t)m->member_slot[h];
    for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
      int never, pending;
      if (m->col_of_candidate[i])
        continue;
      double gain = p->sign * bp_model_reduced_cost(m, i, dual, &never, &pending);
      size_t at = slot * na + (size_t)k->units[d->candidates[i].unit].area;
      if (never || !pending || gain <= p->member_best[at])
        continue;
      p->member_best[at] = gain;
      p->member_best_candidate[at] = i;
    }
  }
  for (size_t g = 0; g < k->n_groups; g++) {
    const bp_group *group = &k->groups[g];
    if (group->n_members < 2)
      continue;
    for (size_t a = 0; a < na; a++) {
      double sum = -p->sign * dual[m->group_row[g]];
      for (int j = 0; j < group->n_members; j++)
        sum += p->member_best[(size_t)m->member_slot[group->members[j]] * na + a];
      p->group_gain[g * na + a] = sum; /* -INFINITY unless pending for all */
    }
  }
}

static void prices_free(prices *p) {
  free(p->member_best);
  free(p->member_best_candidate);
  free(p->group_gain);
}

typedef struct {
  size_t candidate;
  double gain;
} priced_pair;

static int by_gain_descending(const void *a, const void *b) {
  const priced_pair *x = a, *y = b;
  if (x->gain != y->gain)
    return x->gain > y->gain ? -1 : 1;
  return (x->candidate > y->candidate) - (x->candidate < y->candidate);
}

/* Solves the LP from the current basis by the simplex method given; 1 when
 * optimal. */
static int lp_solved_by(glp_prob *P, double deadline, int method) {
  glp_smcp smcp;
  glp_init_smcp(&smcp);
  smcp.msg_lev = GLP_MSG_OFF;
  smcp.presolve = GLP_OFF;
  smcp.meth = method;
  smcp.tm_lim = milliseconds_left(deadline);
  /* The first solve starts from Bixby's crash basis instead of the all-
   * slack one: 0.7 s against 1.4 s for the pool LP at the benchmark's L. */
  if (glp_get_status(P) == GLP_UNDEF)
    glp_cpx_basis(P);
  return glp_simplex(P, &smcp) == 0 && glp_get_status(P) == GLP_OPT;
}

/* Solves the LP from the current basis (primal simplex); 1 when optimal. */
static int lp_solved(glp_prob *P, double deadline) {
  return lp_solved_by(P, deadline, GLP_PRIMAL);
}

/* Re-solves the LP after rows were added to an optimal one, by the dual
 * simplex (GLPK falls back to the primal one if it fails). */
static int lp_resolved_after_cuts(glp_prob *P, double deadline) {
  return lp_solved_by(P, deadline, GLP_DUALP);
}

/* The x columns with a positive value in the LP solution now, into point
 * (freed first). */
static void lp_point_take(const bp_model *m, lp_point *point) {
  lp_point_free(point);
  point->pairs = bp_alloc((m->n_x + 1) * sizeof *point->pairs);
  point->values = bp_alloc((m->n_x + 1) * sizeof *point->values);
  for (size_t k = 0; k < m->n_x; k++) {
    double v = glp_get_col_prim(m->problem, m->col_of_candidate[m->x_candidate[k]]);
    if (v > 1e-9) {
      point->pairs[point->n] = m->x_candidate[k];
      point->values[point->n++] = v;
    }
  }
}

/* Pricing rounds: solve the restricted LP, add for each household its few
 * most improving missing pairs (and for a group, its best area with one
 * pair per member), until none improves or time is up. */
static void generate_columns(bp_model *m, tier_lp *lp, double deadline,
                             int max_rounds, int trace) {
  enum { PER_HOUSEHOLD = 4 };
  const bp_derived *d = m->derived;
  const bp_case *kase = m->kase;
  size_t na = kase->n_areas;
  glp_prob *P = m->problem;
  lp->lp_optimal = 0;
  lp->priced_out = 0;
  lp->at_known_bound = 0;
  lp->lp_bound = lp->maximise ? INFINITY : -INFINITY;
  if (!isnan(lp->known_bound))
    lp->lp_bound = lp->known_bound;
  size_t capacity = kase->n_households * PER_HOUSEHOLD + 1;
  size_t *picked = bp_alloc(capacity * sizeof *picked);
  for (int round = 1;; round++) {
    double round_started = bp_clock_seconds();
    if (!lp_solved(P, deadline))
      break;
    lp->lp_optimal = 1;
    lp->lp_value = glp_get_obj_val(P);
    if (lp->last)
      lp_point_take(m, lp->last);
    if (!isnan(lp->known_bound) &&
        (lp->maximise ? lp->lp_value >= lp->known_bound - 1e-6
                      : lp->lp_value <= lp->known_bound + 1e-6)) {
      lp->at_known_bound = 1;
      if (trace)
        fprintf(stderr, "boplace:   pricing round %d: LP %.9g reaches the known bound, %.2f s\n",
                round, lp->lp_value, bp_clock_seconds() - round_started);
      break;
    }
    double *dual = row_duals(P);
    prices p;
    prices_start(&p, m, dual, lp->maximise);
    double total_gain = 0.0;
    size_t n_picked = 0;
    for (size_t h = 0; h < kase->n_households; h++) {
      priced_pair best[PER_HOUSEHOLD];
      int n_best = 0;
      double best_gain = 0.0;
      for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
        if (m->col_of_candidate[i])
          continue;
        int never, pending;
        double gain = pair_gain(&p, i, &never, &pending);
        if (never || pending || gain <= 1e-9)
          continue; /* pending group pairs: below, by group */
        if (gain > best_gain)
          best_gain = gain;
        /* keep the PER_HOUSEHOLD largest gains, smallest last */
        if (n_best < PER_HOUSEHOLD || gain > best[n_best - 1].gain) {
          int at = n_best < PER_HOUSEHOLD ? n_best++ : n_best - 1;
          while (at > 0 && best[at - 1].gain < gain) {
            best[at] = best[at - 1];
            at--;
          }
          best[at] = (priced_pair){i, gain};
        }
      }
      /* A class of households (pools.h) has as many in its row. */
      total_gain += best_gain * (d->household_count ? d->household_count[h] : 1);
      for (int k = 0; k < n_best; k++)
        picked[n_picked++] = best[k].candidate;
    }
    for (size_t g = 0; g < kase->n_groups; g++) {
      const bp_group *group = &kase->groups[g];
      if (group->n_members < 2)
        continue;
      size_t best_area = na;
      double best_gain = 1e-9;
      for (size_t a = 0; a < na; a++)
        if (p.group_gain[g * na + a] > best_gain) {
          best_gain = p.group_gain[g * na + a];
          best_area = a;
        }
      if (best_area == na)
        continue;
      total_gain += best_gain;
      if (n_picked + (size_t)group->n_members >= capacity) {
        capacity = 2 * capacity + (size_t)group->n_members;
        picked = bp_realloc(picked, capacity * sizeof *picked);
      }
      for (int j = 0; j < group->n_members; j++)
        picked[n_picked++] = p.member_best_candidate[
            (size_t)m->member_slot[group->members[j]] * na + best_area];
    }
    prices_free(&p);
    free(dual);
    double bound = lp->maximise ? lp->lp_value + total_gain : lp->lp_value - total_gain;
    if (lp->maximise ? bound < lp->lp_bound : bound > lp->lp_bound)
      lp->lp_bound = bound;
    if (trace)
      fprintf(stderr, "boplace:   pricing round %d: LP %.9g, bound %.9g, %zu columns added (%zu in the model), %.2f s\n",
              round, lp->lp_value, lp->lp_bound, n_picked, m->n_x, bp_clock_seconds() - round_started);
    if (n_picked == 0) {
      lp->priced_out = 1;
      lp->lp_bound = lp->lp_value;
      break;
    }
    if (round == max_rounds)
      break;
    /* Where the last optimal LP is kept (the pool stage), a round that
     * would not end in time, by the last one's length, is not started: its
     * time goes to rounding that LP instead. */
    if (lp->last && 2.0 * bp_clock_seconds() - round_started > deadline)
      break;
    bp_model_add_candidates(m, picked, n_picked);
    if (stop_requested || milliseconds_left(deadline) <= 1)
      break;
  }
  free(picked);
}

int bp_model_price_out(bp_model *m, double seconds, int max_rounds,
                       double *lp_value, double *lp_bound) {
  tier_lp lp = {.maximise = glp_get_obj_dir(m->problem) == GLP_MAX,
               .known_bound = NAN};
  generate_columns(m, &lp, bp_clock_seconds() + seconds, max_rounds, 0);
  *lp_value = lp.lp_optimal ? lp.lp_value : NAN;
  *lp_bound = lp.lp_optimal ? lp.lp_bound : NAN;
  return lp.priced_out;
}

/* Fact 2: the missing pairs whose gain reaches `need` (a solution using
 * one can beat the incumbent), at most `limit` of them, the largest gains
 * first.  *left_out_gain is the largest gain of the missing pairs not
 * returned: the fact-3 bound on any solution that uses one is LP value +
 * it.  Returns how many are in *out. */
static size_t pairs_that_could_improve(const bp_model *m, int maximise,
                                       const double *dual, double need,
                                       size_t limit, size_t **out,
                                       double *left_out_gain) {
  const bp_derived *d = m->derived;
  size_t n = 0, capacity = 0;
  priced_pair *found = NULL;
  *left_out_gain = -INFINITY;
  prices p;
  prices_start(&p, m, dual, maximise);
  for (size_t i = 0; i < d->n_candidates; i++) {
    if (m->col_of_candidate[i])
      continue;
    int never, pending;
    double gain = pair_gain(&p, i, &never, &pending);
    if (never)
      continue;
    if (gain < need - 1e-7) {
      if (gain > *left_out_gain)
        *left_out_gain = gain;
      continue;
    }
    if (n == capacity) {
      capacity = capacity ? 2 * capacity : 1024;
      found = bp_realloc(found, capacity * sizeof *found);
    }
    found[n++] = (priced_pair){i, gain};
  }
  prices_free(&p);
  if (n > limit) {
    qsort(found, n, sizeof *found, by_gain_descending);
    for (size_t k = limit; k < n; k++)
      if (found[k].gain > *left_out_gain)
        *left_out_gain = found[k].gain;
    n = limit;
  }
  *out = bp_alloc((n + 1) * sizeof **out);
  for (size_t k = 0; k < n; k++)
    (*out)[k] = found[k].candidate;
  free(found);
  return n;
}

/* Most pairs fact 2 adds in one pass: beyond it the tree gets slow, and
 * the bound says what the pairs left out could still be worth. */
enum { MOST_ADDED = 150000 };

/* At most this many missing pairs that could beat the incumbent, and
 * solve_tier brings them in before its first pass (prove_first).
 * BOPLACE_FEW_TO_PROVE=n sets another number: the test
 * brute_force_pricing sets 0, so that the small cases also take the path
 * of a first pass on the model as it is. */
enum { FEW_TO_PROVE = 5000 };

static size_t few_to_prove(void) {
  const char *env = getenv("BOPLACE_FEW_TO_PROVE");
  return env && *env >= '0' && *env <= '9' ? (size_t)strtoul(env, NULL, 10) : FEW_TO_PROVE;
}

/* How many missing pairs reach `need` (as in pairs_that_could_improve),
 * counting no further than limit + 1. */
static size_t count_pairs_that_could_improve(const bp_model *m, int maximise,
                                             const double *dual, double need,
                                             size_t limit) {
  const bp_derived *d = m->derived;
  size_t n = 0;
  prices p;
  prices_start(&p, m, dual, maximise);
  for (size_t i = 0; i < d->n_candidates && n <= limit; i++) {
    if (m->col_of_candidate[i])
      continue;
    int never, pending;
    double gain = pair_gain(&p, i, &never, &pending);
    n += !never && gain >= need - 1e-7;
  }
  prices_free(&p);
  return n;
}

/* Is the LP of a tier 1-3 (value lp_value, duals dual) too far above the
 * incumbent for a tree?  When more than MOST_ADDED missing pairs could
 * beat it (solve_tier).  BOPLACE_NO_TREES=1 says yes whenever the LP is a
 * whole step above it: the test brute_force_no_trees sets it, so that the
 * small cases take the path of the annual size. */
static int too_far_for_a_tree(const bp_model *m, int maximise, const double *dual,
                              double lp_value, double incumbent) {
  double need = maximise ? incumbent + 1.0 - lp_value : lp_value - (incumbent - 1.0);
  const char *env = getenv("BOPLACE_NO_TREES");
  if (env && strcmp(env, "1") == 0 && need <= 1e-6)
    return 1;
  return count_pairs_that_could_improve(m, maximise, dual, need, MOST_ADDED) > MOST_ADDED;
}

/* The tier's solution as a full column vector (for GLPK's start and the
 * checks), from the candidate of each household. */
static double *columns_of(const bp_model *m, const int *chosen) {
  int n = glp_get_num_cols(m->problem);
  double *x = bp_alloc(((size_t)n + 1) * sizeof *x);
  bp_model_complete(m, chosen, x);
  return x;
}

/* Reads the candidate of each household from column values. */
static void chosen_from(const bp_model *m, const double *x, int *chosen) {
  for (size_t h = 0; h < m->kase->n_households; h++)
    chosen[h] = -1;
  for (size_t k = 0; k < m->n_x; k++) {
    size_t i = m->x_candidate[k];
    if (x[m->col_of_candidate[i]] > 0.5)
      chosen[m->derived->candidates[i].household] = (int)i;
  }
}

/* The value of the objective now set at a proposal. */
static double objective_at(const bp_model *m, const int *chosen) {
  double *x = columns_of(m, chosen);
  int n = glp_get_num_cols(m->problem);
  double value = 0.0;
  for (int j = 1; j <= n; j++)
    value += glp_get_obj_coef(m->problem, j) * x[j];
  free(x);
  return value;
}


static int keeps_every_row(bp_model *m, const int *chosen, int trace);

/* The soft bound's aim before the tiers are fixed: the proposal's tier 1,
 * which no later stage lowers, and with all_tiers its tiers 2 and 3 too,
 * a guess (bp_soft_bound_finish keeps only what was found under goals the
 * run reached).  Before the pool stage only tier 1: its proposal houses
 * more, often with fewer waiting days (L: 160,178 against the hand
 * method's 163,586). */
static void aim_soft_bound(bp_soft_bound_run *run, const bp_case *kase,
                           const bp_derived *d, const int *chosen, int all_tiers) {
  double goal[3] = {0, 0, 0};
  for (size_t h = 0; h < kase->n_households; h++) {
    if (chosen[h] < 0)
      continue;
    goal[0] += 1;
    goal[1] += all_tiers ? kase->households[h].waiting_days : 0;
    goal[2] += all_tiers && kase->units[d->candidates[chosen[h]].unit].kind != BP_UNIT_TRANSIT;
  }
  bp_soft_bound_aim(run, goal, NAN, chosen);
}

/* The LP of a tier is nearly integral (the rules are close to a network):
 * rounding it and repairing (improve.c) often beats the incumbent by far
 * on an annual plan, where branching cannot.  The rounded proposal is kept
 * when it keeps every row, the earlier tiers' included, and is better. */
static void round_the_lp(bp_model *m, int *chosen, int *have_start,
                         double *incumbent, int maximise, double deadline,
                         int trace) {
  const bp_derived *d = m->derived;
  size_t nh = m->kase->n_households;
  double *lp_value = bp_calloc(d->n_candidates + 1, sizeof *lp_value);
  for (size_t k = 0; k < m->n_x; k++)
    lp_value[m->x_candidate[k]] =
        glp_get_col_prim(m->problem, m->col_of_candidate[m->x_candidate[k]]);
  int *trial = bp_alloc((nh + 1) * sizeof *trial);
  int housed = bp_round_lp(m->kase, d, lp_value, trial, deadline);
  free(lp_value);
  if (housed >= 0 && keeps_every_row(m, trial, 0)) {
    double v = objective_at(m, trial);
    int better = !*have_start || (maximise ? v > *incumbent + 1e-9 : v < *incumbent - 1e-9);
    if (trace)
      fprintf(stderr, "boplace:   rounded LP: %d housed, value %.9g%s\n", housed, v,
              better ? " (better: kept)" : "");
    if (better) {
      memcpy(chosen, trial, nh * sizeof *chosen);
      *incumbent = v;
      *have_start = 1;
    }
  }
  free(trial);
}

/* How solve_tier() goes about a tier. */
typedef struct {
  double mip_gap;     /**< relative gap at which the tree may stop */
  double known_bound; /**< a valid bound known beforehand, NAN = none */
  /** The caller has rounded this LP already (the pool stage, on the
   *  units): solve_tier does not round it again. */
  int rounded;
} tier_options;

/* Solves the tier whose objective m has: column generation (§8), rounding
 * the LP, then branch-and-bound with facts 2 and 3.  chosen is the start
 * (when have_start) and gets the best proposal found.  Returns 0 when the
 * model has no solution, -1 when the solver failed, 1 when chosen has a
 * proposal (*value, *bound, *optimal), 2 when it has one but the tree was
 * left out (the LP is too far above it). */
static int solve_tier(bp_model *m, int *chosen, int have_start, double deadline,
                      tier_options options, double *value, double *bound,
                      int *optimal, int *timed_out, int trace) {
  double mip_gap = options.mip_gap;
  glp_prob *P = m->problem;
  tier_lp lp = {.maximise = glp_get_obj_dir(P) == GLP_MAX,
                .integral = m->objective_tier != BP_TIER_SOFT,
                .known_bound = options.known_bound};
  *timed_out = 0;
  *optimal = 0;
  generate_columns(m, &lp, deadline, 0, trace);
  if (!lp.lp_optimal) {
    if (glp_get_status(P) == GLP_NOFEAS && !have_start)
      return 0;
    if (!have_start)
      return -1;
    *timed_out = 1;
    *value = objective_at(m, chosen);
    *bound = NAN; /* no LP in time: nothing proven */
    return 1;
  }
  if (!lp.priced_out && !lp.at_known_bound)
    *timed_out = 1;
  double incumbent = have_start ? objective_at(m, chosen) : NAN;
  /* Tiers 1-3 only, and only when the LP leaves room above the incumbent:
   * in the soft tier, whose LP is far from integral, the tree's first pass
   * does better with the time. */
  if (lp.integral && lp.maximise && !options.rounded &&
      (!have_start || incumbent < floor(lp.lp_value + 1e-6) - 0.5))
    round_the_lp(m, chosen, &have_start, &incumbent, lp.maximise,
                 bp_clock_seconds() + 0.25 * (deadline - bp_clock_seconds()), trace);
  double tree_bound = NAN;
  /* The best a solution using a pair still missing can be worth: fact 1's
   * bound until fact 2 has looked at the missing pairs. */
  double outside = lp.lp_bound;
  int complete = 0; /* every pair that could beat the incumbent is in */
  /* When the LP is far above the incumbent, nearly every missing pair
   * could beat it (at the benchmark's L, 2 households above it, all 7 M):
   * fact 2 would bring more than the tree can take.  A tree on the
   * restricted model as it is, in one pass, found nothing in any measured
   * run at the annual and national sizes (L: 2.7 s on the pools, 2.5 s on
   * the full model; XL: 13 s), so there is none: the time goes to the
   * pool stage's later tiers and the soft tier.  The tier's bound is then
   * fact 1's (or the known one). */
  int one_pass = lp.at_known_bound;
  if (lp.integral && have_start && (lp.priced_out || lp.at_known_bound) &&
      lp_solved(P, deadline)) {
    double *dual = row_duals(P);
    int far = too_far_for_a_tree(m, lp.maximise, dual, glp_get_obj_val(P), incumbent);
    free(dual);
    if (far && trace)
      fprintf(stderr, "boplace:   the LP is too far above the incumbent %.9g for a tree\n",
              incumbent);
    if (far) {
      *value = incumbent;
      *bound = lp.maximise ? floor(lp.lp_bound + 1e-6) : ceil(lp.lp_bound - 1e-6);
      *timed_out = 1;
      return 2;
    }
  }

  /* The first pass on the model as it is finds proposals that shrink what
   * fact 2 brings in.  When few missing pairs could beat the incumbent
   * anyway, that pass is time lost: fact 2 comes first and the one pass
   * branches on a model whose bound is the full model's.  Measured on the
   * benchmark's M, seeds 1-20, with 1 s: seed 6 then houses 96 (its
   * optimum) instead of 94, and seed 4 gains 40-64 waiting days
   * (formulation.md §8 has the totals). */
  int prove_first = 0;
  if (lp.integral && have_start && lp.priced_out && !one_pass && lp_solved(P, deadline)) {
    double *dual = row_duals(P);
    double v = glp_get_obj_val(P);
    double need = lp.maximise ? incumbent + 1.0 - v : v - (incumbent - 1.0);
    size_t few = few_to_prove();
    prove_first = count_pairs_that_could_improve(m, lp.maximise, dual, need, few) <= few;
    free(dual);
  }
  for (int pass = 1;; pass++) {
    /* Already as good as the bound allows?  Then no search is needed. */
    if (have_start && (lp.priced_out || lp.at_known_bound)) {
      double best_possible = lp.integral
          ? (lp.maximise ? floor(lp.lp_bound + 1e-6) : ceil(lp.lp_bound - 1e-6))
          : lp.lp_bound;
      if (lp.maximise ? incumbent >= best_possible - 1e-9
                      : incumbent <= best_possible + 1e-9 + mip_gap * fabs(incumbent)) {
        *optimal = 1;
        tree_bound = incumbent;
        break;
      }
    }
    /* Fact 2 before branching again: bring in every missing pair that
     * could be in a better solution, so that the tree's bound holds for the
     * full model (or, when there are too many, the bound says what the rest
     * is worth).  The first pass branches on the restricted model as it is,
     * with half the time: it is small, so it finds good proposals fast, and
     * the better the incumbent, the fewer pairs fact 2 brings in. */
    if ((pass > 1 || prove_first) && have_start && lp.priced_out && lp_solved(P, deadline)) {
      lp.lp_value = glp_get_obj_val(P);
      double *dual = row_duals(P);
      double tolerance = lp.integral ? 1.0 : mip_gap * fabs(incumbent) + 1e-9;
      double need = lp.maximise ? incumbent + tolerance - lp.lp_value
                                : lp.lp_value - (incumbent - tolerance);
      size_t *more, n_more;
      double left_out;
      n_more = pairs_that_could_improve(m, lp.maximise, dual, need, MOST_ADDED,
                                        &more, &left_out);
      free(dual);
      outside = lp.maximise ? lp.lp_value + left_out : lp.lp_value - left_out;
      complete = left_out < need - 1e-7;
      if (trace)
        fprintf(stderr, "boplace:   pass %d: incumbent %.9g; %zu missing pairs could beat it%s\n",
                pass, incumbent, n_more, complete ? "" : " (more left out)");
      bp_model_add_candidates(m, more, n_more);
      free(more);
      if (n_more > 0 && !lp_solved(P, deadline)) {
        *timed_out = 1;
        break;
      }
    }
    if (stop_requested || milliseconds_left(deadline) <= 1) {
      *timed_out = 1;
      break;
    }
    double *start = have_start ? columns_of(m, chosen) : NULL;
    tier_search search = {.start = start,
                          .decision_cols = m->decision_cols,
                          .n_decisions = m->n_decisions,
                          .district_cols = m->district_col,
                          .n_districts = m->n_districts};
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_OFF;
    ip.cb_func = on_tree_event;
    ip.cb_info = &search;
    ip.mip_gap = mip_gap;
    /* The first pass looks for good proposals (best projection: measured on
     * the benchmark's M, 275.7 in 1 s against 283.3 by best bound); later
     * passes, and a first one after fact 2, prove (best local bound,
     * GLPK's default). */
    ip.bt_tech = pass == 1 && !prove_first ? GLP_BT_BPH : GLP_BT_BLB;
    /* Tiers 1-3 give the first pass half their time, so that fact 2 can
     * make a stopped tree's bound the full model's.  The soft tier gives it
     * all, unless its tree ends sooner: on the benchmark's M its second
     * pass never got past the LP with fact 2's 11,000 pairs in 1 s (0.1 s of
     * LP, the rest unused), while its first pass finds its proposals late
     * (320.2 by 0.25 s, 275.7 by 0.5 s); and a stopped soft tier's bound is
     * fact 1's full LP bound either way (270.794 against 270.795). */
    double share =
        pass == 1 && m->objective_tier != BP_TIER_SOFT && !one_pass && !prove_first ? 0.5 : 1.0;
    ip.tm_lim = milliseconds_left(bp_clock_seconds() + share * (deadline - bp_clock_seconds()));
    /* No cut generators and no feasibility pump: measured on the
     * benchmark's M instance, they cost more time per node than they save
     * (tier 1: 20 s with Gomory, MIR and clique cuts and the pump; 4 s
     * without).  GLPK 5.0's cover cuts also abort on some of our models
     * (glp_cov_init). */
    int ret = glp_intopt(P, &ip);
    free(start);
    if (ret == GLP_ETMLIM || ret == GLP_ESTOP)
      *timed_out = 1;
    int status = ret == GLP_ETMLIM || ret == GLP_ESTOP || ret == 0
                     ? glp_mip_status(P) : GLP_UNDEF;
    if (status == GLP_OPT || status == GLP_FEAS) {
      int n = glp_get_num_cols(P);
      double *x = bp_alloc(((size_t)n + 1) * sizeof *x);
      for (int j = 1; j <= n; j++)
        x[j] = glp_mip_col_val(P, j);
      int *found = bp_alloc((m->kase->n_households + 1) * sizeof *found);
      chosen_from(m, x, found);
      double v = objective_at(m, found);
      if (!have_start || (lp.maximise ? v > incumbent + 1e-9 : v < incumbent - 1e-9)) {
        memcpy(chosen, found, m->kase->n_households * sizeof *chosen);
        incumbent = v;
        have_start = 1;
      }
      free(found);
      free(x);
    } else if (status == GLP_NOFEAS && !have_start) {
      return 0;
    } else if (!have_start) {
      return -1;
    }
    int restricted_optimal = status == GLP_OPT && ret == 0;
    if (restricted_optimal)
      tree_bound = incumbent;
    else if (search.have_bound && fabs(search.bound) < 1e300)
      tree_bound = search.bound;
    else
      tree_bound = lp.lp_value;
    /* A better incumbent only raises the bar of fact 2, so the pairs
     * brought in before it still cover every solution that could beat it. */
    if (restricted_optimal && complete && lp.priced_out) {
      *optimal = 1;
      break;
    }
    if (!lp.priced_out || one_pass || (!restricted_optimal && (pass > 1 || prove_first)) ||
        milliseconds_left(deadline) <= 1 || stop_requested)
      break;
    /* Fact 2 has not looked yet, or left pairs out: look again. */
  }
  *value = incumbent;
  if (*optimal) {
    *bound = incumbent;
  } else {
    /* Fact 3: the tree's bound covers solutions inside the model, the
     * missing pairs' gains those outside; neither beyond fact 1. */
    double b = isnan(tree_bound) ? outside
               : lp.maximise ? fmax(tree_bound, outside) : fmin(tree_bound, outside);
    b = lp.maximise ? fmin(b, lp.lp_bound) : fmax(b, lp.lp_bound);
    /* Tiers 1-3 count whole households and days: no proposal is worth a
     * fraction (GLPK's tree bound for L's 2,815 read 2814.9999999999986). */
    if (lp.integral)
      b = lp.maximise ? floor(b + 1e-6) : ceil(b - 1e-6);
    if (lp.maximise ? b < incumbent : b > incumbent)
      b = incumbent;
    *bound = b;
  }
  return 1;
}

static double relative_gap(double value, double bound) {
  if (isnan(bound))
    return NAN; /* unknown, reported as null */
  double diff = fabs(bound - value);
  if (diff < 1e-9)
    return 0.0;
  return diff / (fabs(value) > 1e-9 ? fabs(value) : 1.0);
}

/* Breaks the soft objective into its terms, weighted, for the run record. */
static void soft_terms(const bp_model *m, const double *x, bp_solution *s) {
  const bp_case *kase = m->kase;
  const bp_policy *p = &kase->policy;
  for (size_t k = 0; k < m->n_x; k++) {
    size_t i = m->x_candidate[k];
    if (x[m->col_of_candidate[i]] < 0.5)
      continue;
    bp_pair_figures figures;
    bp_candidate_figures(kase, m->derived, i, &figures);
    const bp_pair_figures *c = &figures;
    s->soft_travel += p->weights.travel * c->travel_hours;
    s->soft_rent += p->weights.rent * c->rent_burden;
    s->soft_preference -= p->weights.preference * c->preferred;
    s->soft_ties -= p->weights.ties * c->ties;
    s->soft_partner -= p->weights.partner * c->partner;
    s->soft_score -= p->weights.score * c->score;
  }
  const bp_model_count *groups[] = {m->areas, m->schools, m->daycares};
  size_t sizes[] = {kase->n_areas, kase->n_schools, kase->n_daycares};
  for (int g = 0; g < 3; g++)
    for (size_t i = 0; i < sizes[g]; i++) {
      if (groups[g][i].spread_col)
        s->soft_spread += p->weights.spread * x[groups[g][i].spread_col];
      if (groups[g][i].near_cap_col)
        s->soft_near_cap += p->weights.near_cap * x[groups[g][i].near_cap_col];
    }
  /* The LP leaves values like 1e-17 where the truth is 0; do not report them. */
  double *terms[] = {&s->soft_spread, &s->soft_near_cap, &s->soft_travel,
                     &s->soft_rent, &s->soft_preference, &s->soft_ties,
                     &s->soft_partner, &s->soft_score};
  for (size_t t = 0; t < sizeof terms / sizeof *terms; t++)
    if (fabs(*terms[t]) < 1e-9)
      *terms[t] = 0.0;
}

/* Is the model feasible as it stands?  The zero solution is feasible but
 * for the place locks, so only they are ever in question. */
static int feasible(bp_model *m) {
  bp_model_set_objective(m, BP_TIER_HOUSED);
  glp_smcp lp;
  glp_init_smcp(&lp);
  lp.msg_lev = GLP_MSG_OFF;
  if (glp_simplex(m->problem, &lp) != 0 || glp_get_status(m->problem) != GLP_OPT)
    return 0;
  glp_iocp ip;
  glp_init_iocp(&ip);
  ip.msg_lev = GLP_MSG_OFF;
  return glp_intopt(m->problem, &ip) == 0 && glp_mip_status(m->problem) != GLP_NOFEAS;
}

/* The place lock of each household (its index in kase->locks), -1 = none. */
static int *place_lock_of(const bp_case *kase) {
  int *lock_of = bp_alloc((kase->n_households + 1) * sizeof *lock_of);
  for (size_t h = 0; h < kase->n_households; h++)
    lock_of[h] = -1;
  for (size_t l = 0; l < kase->n_locks; l++)
    if (kase->locks[l].action == BP_LOCK_PLACE)
      lock_of[kase->locks[l].household] = (int)l;
  return lock_of;
}

/* One limit the place locks alone can overfill: what they bring to each
 * building, area, school and daycare, against its room.  (More place locks
 * on a unit than its places are a read error, read_case.c.) */
typedef enum {
  LOCKED_BUILDING, LOCKED_AREA, LOCKED_SCHOOL, LOCKED_DAYCARE, LOCKED_KINDS
} locked_kind;

/* What `lock` brings to limit kind k (*amount), and to which one (-1:
 * none). */
static int locked_into(const bp_case *kase, const bp_lock *lock, locked_kind k,
                       int *amount) {
  const bp_unit *u = &kase->units[lock->unit];
  const bp_household *hh = &kase->households[lock->household];
  const bp_area *area = &kase->areas[u->area];
  *amount = 1;
  switch (k) {
  case LOCKED_BUILDING:
    return kase->policy.max_new_per_building > 0 ? u->building_index : -1;
  case LOCKED_AREA:
    return u->area;
  case LOCKED_SCHOOL:
    *amount = hh->children_6_16;
    return hh->children_6_16 > 0 ? area->school : -1;
  default:
    *amount = hh->children_0_5;
    return hh->children_0_5 > 0 ? area->daycare : -1;
  }
}

/* The room of limit `which` of kind k, and the rule that sets it. */
static int locked_room(const bp_case *kase, const bp_derived *d, locked_kind k,
                       int which, const char **rule) {
  switch (k) {
  case LOCKED_BUILDING:
    *rule = "max_new_per_building";
    return kase->policy.max_new_per_building;
  case LOCKED_AREA:
    *rule = "max_newcomer_share";
    return d->area_room[which];
  case LOCKED_SCHOOL: {
    int seats = kase->schools[which].free_seats, room = d->school_bilingual_room[which];
    *rule = seats <= room ? "the school's free seats" : "max_bilingual_share";
    return seats <= room ? seats : room;
  }
  default: {
    int seats = kase->daycares[which].free_seats, room = d->daycare_bilingual_room[which];
    *rule = seats <= room ? "the daycare's free places" : "max_bilingual_share";
    return seats <= room ? seats : room;
  }
  }
}

static const char *locked_name(const bp_case *kase, locked_kind k, int which) {
  switch (k) {
  case LOCKED_BUILDING:
    return kase->buildings[which].name;
  case LOCKED_AREA:
    return kase->areas[which].id;
  case LOCKED_SCHOOL:
    return kase->schools[which].id;
  default:
    return kase->daycares[which].id;
  }
}

/* Conflicts the place locks make on their own, found by counting: a group
 * whose members are locked into different areas, and a building, area,
 * school or daycare whose room the locks into it overfill.  Each
 * lock of such a conflict gets an error naming the rule, the limit and the
 * other locks.  Returns how many conflicts were found (0: the conflict
 * needs the model to see, explain_conflicting_locks). */
static int explain_counted_lock_conflicts(const bp_case *kase, const bp_derived *d,
                                          bp_diagnostics *diag) {
  static const char *const kind_word[LOCKED_KINDS] = {"building", "area", "school",
                                                      "daycare"};
  static const char *const what[LOCKED_KINDS] = {"new households", "newcomer households",
                                                 "school-age children",
                                                 "children under six"};
  int *lock_of = place_lock_of(kase);
  int conflicts = 0;
  for (size_t g = 0; g < kase->n_groups; g++) {
    const bp_group *group = &kase->groups[g];
    int first = -1; /* a locked member, to compare the others' areas with */
    for (int k = 0; k < group->n_members; k++) {
      int l = lock_of[group->members[k]];
      if (l < 0)
        continue;
      if (first < 0) {
        first = l;
        continue;
      }
      const bp_lock *a = &kase->locks[first], *b = &kase->locks[l];
      int area_a = kase->units[a->unit].area, area_b = kase->units[b->unit].area;
      if (area_a == area_b)
        continue;
      conflicts++;
      for (int side = 0; side < 2; side++) {
        const bp_lock *mine = side ? b : a, *other = side ? a : b;
        bp_error(diag, "locks.csv", mine->origin.line, 1,
                 "the lock placing household '%s' in unit '%s' (area '%s') and the "
                 "lock on line %d placing household '%s' in unit '%s' (area '%s') "
                 "split group '%s', whose households must live in one area; "
                 "release one of them",
                 kase->households[mine->household].id, kase->units[mine->unit].id,
                 kase->areas[kase->units[mine->unit].area].id, other->origin.line,
                 kase->households[other->household].id, kase->units[other->unit].id,
                 kase->areas[kase->units[other->unit].area].id, group->id);
      }
    }
  }
  size_t sizes[LOCKED_KINDS] = {kase->n_buildings, kase->n_areas, kase->n_schools,
                                kase->n_daycares};
  for (int k = 0; k < LOCKED_KINDS; k++) {
    int *brought = bp_calloc(sizes[k] + 1, sizeof *brought);
    int *locks = bp_calloc(sizes[k] + 1, sizeof *locks);
    for (size_t l = 0; l < kase->n_locks; l++) {
      int amount, which;
      if (kase->locks[l].action != BP_LOCK_PLACE ||
          (which = locked_into(kase, &kase->locks[l], (locked_kind)k, &amount)) < 0)
        continue;
      brought[which] += amount;
      locks[which]++;
    }
    for (size_t w = 0; w < sizes[k]; w++) {
      const char *rule;
      int room = locked_room(kase, d, (locked_kind)k, (int)w, &rule);
      if (locks[w] == 0 || brought[w] <= room)
        continue;
      conflicts++;
      for (size_t l = 0; l < kase->n_locks; l++) {
        const bp_lock *lock = &kase->locks[l];
        int amount;
        if (lock->action != BP_LOCK_PLACE ||
            locked_into(kase, lock, (locked_kind)k, &amount) != (int)w)
          continue;
        bp_error(diag, "locks.csv", lock->origin.line, 1,
                 "the lock placing household '%s' in unit '%s' is one of %d locks "
                 "into %s '%s': together they bring %d %s, where there is room for "
                 "%d (%s); release locks that bring at least %d of them",
                 kase->households[lock->household].id, kase->units[lock->unit].id,
                 locks[w], kind_word[k], locked_name(kase, (locked_kind)k, (int)w),
                 brought[w], what[k], room, rule, brought[w] - room);
      }
    }
    free(brought);
    free(locks);
  }
  free(lock_of);
  return conflicts;
}

/* The place locks cannot all be kept.  When counting does not show why, a
 * deletion filter finds a set of locks that conflict and is irreducible
 * (dropping any one of them makes the rest feasible): release each lock in
 * turn and keep it released while the model stays infeasible.  The
 * coordinator then sees exactly which of their decisions collide, not just
 * "infeasible". */
static void explain_conflicting_locks(const bp_case *kase, bp_model *m,
                                      bp_diagnostics *diag) {
  const bp_derived *d = m->derived;
  if (explain_counted_lock_conflicts(kase, d, diag) > 0)
    return;
  /* Locked candidates always have a column (bp_model_build_restricted). */
  int *in_conflict = bp_calloc(d->n_candidates + 1, sizeof *in_conflict);
  for (size_t i = 0; i < d->n_candidates; i++) {
    if (!bp_candidate_locked(d, i))
      continue;
    int col = m->col_of_candidate[i];
    glp_set_col_bnds(m->problem, col, GLP_DB, 0.0, 1.0);
    if (feasible(m)) {
      glp_set_col_bnds(m->problem, col, GLP_FX, 1.0, 1.0);
      in_conflict[i] = 1;
    }
  }
  int n = 0;
  for (size_t i = 0; i < d->n_candidates; i++)
    n += in_conflict[i];
  for (size_t i = 0; i < d->n_candidates; i++) {
    if (!in_conflict[i])
      continue;
    const bp_candidate *c = &d->candidates[i];
    for (size_t l = 0; l < kase->n_locks; l++) {
      const bp_lock *lock = &kase->locks[l];
      if (lock->action != BP_LOCK_PLACE || lock->household != c->household ||
          lock->unit != c->unit)
        continue;
      const bp_household *hh = &kase->households[c->household];
      const bp_unit *u = &kase->units[c->unit];
      const char *area = kase->areas[u->area].id;
      int group_cannot = m->member_slot[c->household] >= 0 &&
                         m->member_area_row[(size_t)m->member_slot[c->household] *
                                                kase->n_areas + (size_t)u->area] == -1;
      if (n == 1 && group_cannot)
        bp_error(diag, "locks.csv", lock->origin.line, 1,
                 "the lock placing household '%s' in unit '%s' cannot be kept: "
                 "its group '%s' must live together in one area, and not every "
                 "member has a unit that fits in area '%s'; release the lock "
                 "or lock the whole group into another area",
                 hh->id, u->id, hh->group_id, area);
      else if (n == 1)
        bp_error(diag, "locks.csv", lock->origin.line, 1,
                 "the lock placing household '%s' in unit '%s' (area '%s') "
                 "cannot be kept: on its own it breaks an area or school cap, "
                 "a building limit, min_cluster or a group rule; release it",
                 hh->id, u->id, area);
      else
        bp_error(diag, "locks.csv", lock->origin.line, 1,
                 "the lock placing household '%s' in unit '%s' (area '%s') "
                 "conflicts with the other %d lock%s listed: together they "
                 "break an area or school cap, a building limit, min_cluster "
                 "or a group rule; release one of them",
                 hh->id, u->id, area, n - 1, n - 1 == 1 ? "" : "s");
    }
  }
  if (n == 0)
    bp_error(diag, "locks.csv", 0, 0,
             "the locks cannot all be kept together; review the place locks");
  free(in_conflict);
}

/* Tiers 2 and 3 can be one problem, maximising W * waiting + permanent:
 * with W above any permanent count (at most the housed count v1), one more
 * waiting day always outweighs every permanent home, so the order is kept
 * exactly.  Only while W times the largest waiting total stays far inside
 * GLPK's tolerance (1e-7 relative): then the objective's integer steps are
 * never lost in rounding.  Otherwise 0: solve the tiers one by one.  One
 * problem instead of two matters because fixing tier 2 adds a knapsack row
 * (waiting days as weights) that makes tier 3 hard on its own. */
static double waiting_permanent_weight(const bp_case *kase, const bp_derived *d,
                                       double housed) {
  double waiting = 0.0;
  for (size_t h = 0; h < kase->n_households; h++)
    if (d->first_candidate[h + 1] > d->first_candidate[h])
      waiting += kase->households[h].waiting_days;
  double weight = housed + 1.0;
  if (waiting <= 0.0 || weight * waiting + housed > 1e6)
    return 0.0;
  return weight;
}

/* Bounds that need no LP, for a tier stopped early whose LP bound is weak
 * or missing: no more housed than households with a candidate, no more
 * waiting days than theirs in total, no more permanent homes than housed. */
static double obvious_bound(const bp_case *kase, const bp_derived *d, bp_tier tier,
                            const bp_solution *s) {
  double households = 0.0, waiting = 0.0;
  for (size_t h = 0; h < kase->n_households; h++)
    if (d->first_candidate[h + 1] > d->first_candidate[h]) {
      households += 1.0;
      waiting += kase->households[h].waiting_days;
    }
  switch (tier) {
  case BP_TIER_HOUSED:
    return households;
  case BP_TIER_WAITING:
    return waiting;
  case BP_TIER_PERMANENT:
    return isnan(s->tier_bound[BP_TIER_HOUSED]) ? households
                                                : s->tier_bound[BP_TIER_HOUSED];
  default:
    return NAN;
  }
}

/* The full model starts from each household's three cheapest pairs. */
enum { MOST_FIRST_COLUMNS = 3 };

/* The pairs the restricted model starts with: each household's `most`
 * cheapest (by their own soft cost, at most MOST_FIRST_COLUMNS), the hand
 * method's proposal and the place locks (model_build.c adds those anyway).
 * Pricing adds the rest as the duals ask for them; this only decides where
 * it starts. */
static unsigned char *first_columns(const bp_derived *d, const int *greedy_chosen,
                                    size_t n_households, int most) {
  enum { MOST = MOST_FIRST_COLUMNS };
  /* BOPLACE_FIRST_COLUMNS=n starts from fewer (the tests use 0 and 1, so
   * that pricing, not the start, has to find the optimum); it changes the
   * path, never the optimum. */
  int cheapest = most < MOST ? most : MOST;
  const char *env = getenv("BOPLACE_FIRST_COLUMNS");
  if (env && *env >= '0' && *env <= '9' && atoi(env) < cheapest)
    cheapest = atoi(env);
  unsigned char *active = bp_calloc(d->n_candidates + 1, 1);
  size_t best[MOST];
  for (size_t h = 0; h < n_households; h++) {
    size_t first = d->first_candidate[h], last = d->first_candidate[h + 1];
    if (last - first <= (size_t)cheapest) {
      for (size_t i = first; i < last; i++)
        active[i] = 1;
    } else {
      int n = 0;
      for (size_t i = first; i < last; i++) {
        double cost = d->candidates[i].pair_cost;
        if (n == cheapest && (n == 0 || cost >= d->candidates[best[n - 1]].pair_cost))
          continue;
        int at = n < cheapest ? n++ : n - 1;
        while (at > 0 && d->candidates[best[at - 1]].pair_cost > cost) {
          best[at] = best[at - 1];
          at--;
        }
        best[at] = i;
      }
      for (int k = 0; k < n; k++)
        active[best[k]] = 1;
    }
    if (greedy_chosen && greedy_chosen[h] >= 0)
      active[greedy_chosen[h]] = 1;
  }
  return active;
}

/* The hand method's proposal as a start for tier 1, when it keeps every
 * row of the model (GLPK does not check a start; we do).  Returns 1 and
 * fills chosen when it can be used. */
static int greedy_start(const bp_case *kase, const bp_derived *d, int *chosen,
                        int *housed) {
  bp_solution g;
  bp_diagnostics scratch = {0};
  int ok = 0;
  if (bp_greedy(kase, d, &g, &scratch) == BP_OK && g.housed > 0) {
    memcpy(chosen, g.candidate_of_household, kase->n_households * sizeof *chosen);
    *housed = g.housed;
    ok = 1;
  }
  bp_solution_free(&g);
  bp_diagnostics_free(&scratch);
  return ok;
}

/* Does the proposal keep every row of the model?  The model may not have
 * its pairs yet: they are added first. */
static int keeps_every_row(bp_model *m, const int *chosen, int trace) {
  size_t *list = bp_alloc((m->kase->n_households + 1) * sizeof *list);
  size_t n = 0;
  for (size_t h = 0; h < m->kase->n_households; h++)
    if (chosen[h] >= 0)
      list[n++] = (size_t)chosen[h];
  bp_model_add_candidates(m, list, n);
  free(list);
  double *x = columns_of(m, chosen);
  double violation = bp_model_violation(m, x);
  free(x);
  if (violation > 1e-6 && trace)
    fprintf(stderr, "boplace: the greedy start breaks a row by %g; not used\n",
            violation);
  return violation <= 1e-6;
}

/* ------------------------------------------------------------------ */
/* Tiers 1-3 on the pools (models/formulation.md §9)                   */
/* ------------------------------------------------------------------ */

/* What the pool model proved about tiers 1-3 of the full model. */
typedef struct {
  /** The real pairs the last pool LP, spread over the units, used
   *  (bp_pools_spread); NULL when there was none.  The full model starts
   *  with them, so that its LP starts where the pool LP ended instead of
   *  from each household's cheapest pairs. */
  size_t *support;
  size_t n_support;
  int proven;                  /**< tiers 1..proven are optimal: value = bound */
  double value[BP_TIER_COUNT]; /**< of the proposal in chosen, tiers 1..3 */
  /** A bound on each tier for the pool model with the earlier tiers fixed
   *  at floor (NAN = none): it holds for the full model when that fixes
   *  the earlier tiers at least as high (pool_bound()). */
  double bound[BP_TIER_COUNT];
  /** What the pool model fixed each tier at before the next: the optimum
   *  when proven, else the value of the proposal in chosen then. */
  double floor[BP_TIER_COUNT];
  /** The tier's LP was so far above the proposal that solve_tier left the
   *  tree out: the full model, whose LP the pool LP bounds, would too. */
  int far[BP_TIER_COUNT];
} pool_plan;

/* The pool model's bound on tier t, when it holds for the full model
 * whose earlier tiers are fixed at fixed[0..t-1], else NAN.  Every
 * proposal of the full model with those values is, read by pools, a
 * proposal of the pool model that keeps its floors when each fixed value
 * is at least the floor (the tiers are all maximised), so its tier t is
 * within the pool bound. */
static double pool_bound(const pool_plan *plan, int t, const double *fixed) {
  for (int e = 0; e < t; e++)
    if (isnan(plan->floor[e]) || fixed[e] < plan->floor[e] - 1e-9)
      return NAN;
  return plan->bound[t];
}

/* Prices out the pool model's LP and adds the Hall cuts its solution
 * breaks, until it breaks none (each block's units can then carry the LP's
 * households), the cuts stop moving its value, or time is up.  Returns the
 * last priced-out LP value, a bound on the tier for the pool model and so
 * for the full one (NAN when the LP was never priced out).  known_bound is
 * a bound on the pool LP known beforehand (the class LP's), NAN = none: an
 * LP that reaches it is as good as priced out, and pricing stops there. */
static double cut_the_lp(bp_model *pm, const bp_pools *pools, const bp_case *kase,
                         const bp_derived *d, double deadline, int max_rounds,
                         double known_bound, int trace, lp_point *last) {
  double priced_out = NAN;
  /* The LP of a tier is very degenerate: cuts often move it to another
   * optimum of the same value.  Once they stop moving the value they are
   * not worth their time (the tier's own rounds add the cuts its proposals
   * need). */
  enum { MOST_STALLED = 2 };
  double last_value = NAN;
  for (int stalled = 0; stalled < MOST_STALLED;) {
    tier_lp lp = {.maximise = glp_get_obj_dir(pm->problem) == GLP_MAX,
                  .known_bound = known_bound, .last = last};
    generate_columns(pm, &lp, deadline, max_rounds, trace);
    if (!lp.lp_optimal || !(lp.priced_out || lp.at_known_bound))
      break;
    /* Priced out, with or without the cuts still to come: a bound. */
    priced_out = lp.lp_value;
    stalled = !isnan(last_value) && fabs(lp.lp_value - last_value) < 1e-6 ? stalled + 1 : 0;
    last_value = lp.lp_value;
    bp_hall_cut *cuts;
    size_t n_cuts = bp_pools_separate(pools, kase, d, last->pairs, last->values,
                                      last->n, &cuts);
    if (trace)
      fprintf(stderr, "boplace:   pools: LP %.9g, %zu Hall cuts broken\n", lp.lp_value, n_cuts);
    bp_pools_add_cuts(pm, cuts, n_cuts);
    bp_hall_cuts_free(cuts, n_cuts);
    if (n_cuts == 0 || milliseconds_left(deadline) <= 1 || stop_requested)
      break;
    /* New rows leave the basis dual feasible: the dual simplex gets back to
     * an optimum in a few pivots, where the primal one starts over from an
     * infeasible point (1.6 s against 0.1 s per round at the benchmark's
     * L).  The pricing round then starts from that optimum. */
    if (lp_resolved_after_cuts(pm->problem, deadline))
      lp_point_take(pm, last);
  }
  return priced_out;
}

static void first_tiers(const bp_case *kase, const bp_derived *d, const int *chosen,
                        double value[3]);
static int better_first_tiers(const double a[3], const double b[3]);

/* The class model, kept after tier 1's LP on the classes for tier 2's
 * bound where the pool stage does not get to tier 2 (class_bound). */
typedef struct {
  bp_pool_classes classes;
  bp_model model;
  int kept;
} class_lp;

static void class_lp_free(class_lp *c) {
  if (!c->kept)
    return;
  bp_model_free(&c->model);
  bp_pool_classes_free(&c->classes);
  c->kept = 0;
}

/* Tier 1's LP on the classes of households the pool model cannot tell
 * apart (pools.h): the same LP value as the pool model's with a fraction of
 * the households, so that at the national size it prices out in seconds
 * where the pool LP's pricing does not end in the whole run.  Returns its
 * value when priced out by the deadline, a bound on tier 1 for the pool
 * model and so for the full one, else NAN; then *point gets its solution
 * shared among the members (bp_pool_classes_share), a pool LP solution at
 * that bound.  pooled is the start as pool pairs (NULL = none).  When
 * keep is not NULL and the LP priced out, the class model stays there,
 * with tier 1's LP solved (class_lp_free frees it). */
static double price_the_classes(const bp_pools *pools, const int *pooled, double deadline,
                                int max_rounds, int trace, lp_point *point, class_lp *keep) {
  double started = bp_clock_seconds();
  /* Built where it is kept: the model points at its case. */
  class_lp local;
  class_lp *c = keep ? keep : &local;
  memset(c, 0, sizeof *c);
  bp_pool_classes *classes = &c->classes;
  bp_pool_classes_build(pools, classes);
  if (classes->n_classes == pools->kase.n_households) {
    bp_pool_classes_free(classes);
    return NAN; /* no household alike to another: the pool LP is as small */
  }
  const bp_derived *cd = &classes->derived, *pd = &pools->derived;
  unsigned char *active = first_columns(cd, NULL, classes->n_classes, 1);
  for (size_t h = 0; pooled && h < pools->kase.n_households; h++) {
    if (pooled[h] < 0)
      continue;
    /* h's class has h's pools in the same order. */
    int k = classes->class_of[h];
    active[cd->first_candidate[k] + ((size_t)pooled[h] - pd->first_candidate[h])] = 1;
  }
  bp_model *cm = &c->model;
  bp_model_build_restricted(&classes->kase, cd, 0, active, cm);
  c->kept = 1;
  free(active);
  bp_model_set_objective(cm, BP_TIER_HOUSED);
  if (trace)
    fprintf(stderr, "boplace: pools: %zu classes of %zu households, %zu class pool pairs, model %d rows, %.2f s\n",
            classes->n_classes, pools->kase.n_households, cd->n_candidates,
            glp_get_num_rows(cm->problem), bp_clock_seconds() - started);
  lp_point class_point = {0};
  tier_lp lp = {.maximise = 1, .integral = 1, .known_bound = NAN, .last = &class_point};
  generate_columns(cm, &lp, deadline, max_rounds, trace);
  double bound = lp.lp_optimal && lp.priced_out ? lp.lp_value : NAN;
  lp_point_free(point);
  if (!isnan(bound))
    point->n = bp_pool_classes_share(classes, pools, class_point.pairs, class_point.values,
                                     class_point.n, &point->pairs, &point->values);
  lp_point_free(&class_point);
  if (trace)
    fprintf(stderr, "boplace: pools: tier 1 LP on the classes %.9g%s, %.2f s\n", lp.lp_value,
            isnan(bound) ? " (not priced out)" : ", a bound", bp_clock_seconds() - started);
  if (!keep || isnan(bound))
    class_lp_free(c);
  return bound;
}

/* The waiting days a class's members bring, in the class model: its x
 * columns count the class's longest waiting, w_1 (its first member's,
 * pools.h), for each member housed, and a column q_k in [0, 1] for each
 * other member k, in the class's (C1) row with objective w_1 - w_k, takes
 * back what the k-th is short of it.  With y of the class housed, the best
 * of  w_1 y + sum (w_1 - w_k) q_k  with  sum q_k <= n - y  is the sum of the
 * y longest waiting days plus sum (w_1 - w_k) over all members, the
 * constant returned: as in the pool model, where the LP houses the longest
 * waiting of alike households first.  So the class LP of tier 2, less the
 * constant, is the pool LP's, as tier 1's is (pools.h). */
static double add_shortfalls(class_lp *c, const bp_pools *pools) {
  const bp_pool_classes *cl = &c->classes;
  bp_model *cm = &c->model;
  double constant = 0.0;
  for (size_t k = 0; k < cl->n_classes; k++) {
    if (!cm->household_row[k])
      continue; /* no pool pair: never housed, no waiting days */
    long longest = pools->kase.households[cl->members[cl->member_first[k]]].waiting_days;
    for (size_t j = cl->member_first[k] + 1; j < cl->member_first[k + 1]; j++) {
      long shortfall = longest - pools->kase.households[cl->members[j]].waiting_days;
      if (shortfall == 0)
        continue;
      constant += (double)shortfall;
      int col = glp_add_cols(cm->problem, 1);
      int ind[2] = {0, cm->household_row[k]};
      double val[2] = {0.0, 1.0};
      glp_set_col_bnds(cm->problem, col, GLP_DB, 0.0, 1.0);
      glp_set_mat_col(cm->problem, col, 1, ind, val);
      glp_set_obj_coef(cm->problem, col, (double)shortfall);
    }
  }
  return constant;
}

/* A bound on tier 2 from the class model's LP, with tier 1 fixed at
 * fixed[0]: NAN when no LP was solved in time.  (Tier 3's, on the same
 * model, was no use at the national size: the tier 1 bound again, 11,279,
 * in 4.4 s.) */
static double class_bound(class_lp *c, const bp_pools *pools, const double *fixed,
                          double deadline, int trace) {
  bp_model *cm = &c->model;
  bp_model_fix_tier(cm, BP_TIER_HOUSED, fixed[0]);
  bp_model_set_objective(cm, BP_TIER_WAITING);
  double constant = add_shortfalls(c, pools);
  double started = bp_clock_seconds();
  tier_lp lp = {.maximise = 1, .integral = 1, .known_bound = NAN};
  generate_columns(cm, &lp, deadline, 0, trace);
  /* Fact 1's bound holds at every pricing round: the q columns are all in
   * the model, and raising a row's dual only makes them worth less. */
  double bound = isfinite(lp.lp_bound) ? floor(lp.lp_bound - constant + 1e-6) : NAN;
  if (trace)
    fprintf(stderr, "boplace: pools: tier 2 bound on the classes %.9g with tier 1 at least %.9g%s, %.2f s\n",
            bound, fixed[0], lp.priced_out ? " (priced out)" : "", bp_clock_seconds() - started);
  return bound;
}

/* Rounds the pool LP on the real units: its solution is spread over the
 * units by a flow (bp_pools_spread), then rounded and repaired on the real
 * case (bp_round_lp), which keeps every rule.  Branching on the pool model
 * finds little at the annual size (its LP is degenerate and the tree
 * slow), while the spread LP is nearly integral: rounding it houses nearly
 * the LP's value in a fraction of a second.  The result replaces chosen
 * when its tiers 1-3 are better; returns whether it did. */
static int round_on_units(const lp_point *point, const bp_pools *pools,
                          const bp_case *kase, const bp_derived *d, int *chosen,
                          int *have_start, double deadline, int trace,
                          size_t **support, size_t *n_support) {
  size_t nh = kase->n_households, n = point->n, fractional = 0;
  for (size_t k = 0; k < n; k++)
    fractional += point->values[k] < 1.0 - 1e-9;
  double *real_value = bp_alloc((d->n_candidates + 1) * sizeof *real_value);
  bp_pools_spread(pools, kase, d, point->pairs, point->values, n, real_value);
  /* The real pairs the spread LP uses: the full model starts from them,
   * so that its LP starts at the pool LP's value. */
  size_t m = 0;
  for (size_t i = 0; i < d->n_candidates; i++)
    m += real_value[i] > 1e-9;
  free(*support);
  *support = bp_alloc((m + 1) * sizeof **support);
  *n_support = 0;
  for (size_t i = 0; i < d->n_candidates; i++)
    if (real_value[i] > 1e-9)
      (*support)[(*n_support)++] = i;
  int *trial = bp_alloc((nh + 1) * sizeof *trial);
  double started = bp_clock_seconds();
  int housed = bp_round_lp(kase, d, real_value, trial, deadline);
  free(real_value);
  int kept = 0;
  if (housed >= 0) {
    double mine[3], theirs[3];
    first_tiers(kase, d, trial, mine);
    first_tiers(kase, d, chosen, theirs);
    kept = !*have_start || better_first_tiers(mine, theirs);
    if (kept) {
      memcpy(chosen, trial, nh * sizeof *chosen);
      *have_start = 1;
    }
    if (trace)
      fprintf(stderr, "boplace:   pools: LP rounded on the units (%zu of %zu pairs fractional): %d housed, waiting %.0f, permanent %.0f%s, %.2f s of %.2f s\n",
              fractional, n, housed, mine[1], mine[2], kept ? " (kept)" : "",
              bp_clock_seconds() - started, deadline - started);
  }
  free(trial);
  return kept;
}

/* Housed, waiting days housed and permanent homes of a proposal: tiers
 * 1-3, compared in that order. */
static void first_tiers(const bp_case *kase, const bp_derived *d, const int *chosen,
                        double value[3]) {
  value[0] = value[1] = value[2] = 0.0;
  for (size_t h = 0; h < kase->n_households; h++) {
    if (chosen[h] < 0)
      continue;
    value[0] += 1.0;
    value[1] += kase->households[h].waiting_days;
    value[2] += kase->units[d->candidates[chosen[h]].unit].kind != BP_UNIT_TRANSIT;
  }
}

static int better_first_tiers(const double a[3], const double b[3]) {
  for (int t = 0; t < 3; t++)
    if (a[t] != b[t])
      return a[t] > b[t];
  return 0;
}

/* A pool proposal whose units could not all be given: what remains after
 * dropping the households without a unit still keeps (C1)-(C8), but may
 * leave a group split or a fresh area below min_cluster.  Those are
 * dropped too, until the proposal keeps every rule. */
static void drop_what_breaks(const bp_case *kase, const bp_derived *d, int *chosen) {
  size_t na = kase->n_areas;
  int m = kase->policy.min_cluster;
  int *in_area = bp_alloc((na + 1) * sizeof *in_area);
  for (int changed = 1; changed;) {
    changed = 0;
    for (size_t g = 0; g < kase->n_groups; g++) {
      const bp_group *group = &kase->groups[g];
      int placed = 0;
      for (int k = 0; k < group->n_members; k++)
        placed += chosen[group->members[k]] >= 0;
      if (placed > 0 && placed < group->n_members) {
        for (int k = 0; k < group->n_members; k++)
          chosen[group->members[k]] = -1;
        changed = 1;
      }
    }
    if (m <= 0)
      continue;
    memset(in_area, 0, (na + 1) * sizeof *in_area);
    for (size_t h = 0; h < kase->n_households; h++)
      if (chosen[h] >= 0)
        in_area[kase->units[d->candidates[chosen[h]].unit].area]++;
    for (size_t h = 0; h < kase->n_households; h++) {
      if (chosen[h] < 0)
        continue;
      int a = kase->units[d->candidates[chosen[h]].unit].area;
      if (kase->areas[a].newcomer_households == 0 && in_area[a] < m) {
        chosen[h] = -1;
        changed = 1;
      }
    }
  }
  free(in_area);
}

/* Solves tiers 1-3 on the pool model, whose optimum bounds the full
 * model's, and gives the pool proposal real units after each tier.  When
 * every household gets one, the full model has a proposal as good as the
 * pool optimum: the tier is proven without the full model's millions of
 * columns.  When some do not, the flow's cut is added and the tier solved
 * again, and what could be housed (repaired by the local search) replaces
 * chosen when better.  chosen is a real proposal that keeps every rule
 * when *have_start, on entry and on return. */
static void plan_by_pools(const bp_case *kase, const bp_derived *d, int *chosen,
                          int *have_start, double deadline, double pricing_deadline,
                          double bound_deadline, int trace, pool_plan *plan) {
  /* Rounds of Hall cuts per tier before the full model takes over. */
  enum { MOST_CUT_ROUNDS = 20 };
  /* The pool LP starts from each household's cheapest pool pair (and the
   * start's): at the national size its first LP then takes 11 s, against
   * 18 s from the three cheapest, and pricing gets further in its time. */
  enum { POOL_FIRST_COLUMNS = 1 };
  /* BOPLACE_POOL_PRICING_ROUNDS=n stops the pool LP's pricing after n
   * rounds, as time does at the national size, so that the tests run that
   * path on cases they can check exhaustively. */
  const char *rounds_env = getenv("BOPLACE_POOL_PRICING_ROUNDS");
  int cut_short = rounds_env && *rounds_env >= '1' && *rounds_env <= '9' ? atoi(rounds_env) : 0;
  /* BOPLACE_POOL_TIERS=1 ends the stage after tier 1, as time ends it at
   * the national size, so that the tests run tier 2's bound on the classes
   * (class_bound) on cases they can check exhaustively. */
  const char *tiers_env = getenv("BOPLACE_POOL_TIERS");
  int pool_tiers = tiers_env && *tiers_env >= '1' && *tiers_env <= '3' ? atoi(tiers_env) : 3;
  /* Tier 1 first: it decides who is housed, and its LP is the slowest. */
  static const double share[3] = {0.7, 0.5, 1.0};
  double started = bp_clock_seconds();
  size_t nh = kase->n_households;
  memset(plan, 0, sizeof *plan);
  for (int t = 0; t < BP_TIER_COUNT; t++)
    plan->bound[t] = plan->floor[t] = NAN;
  bp_pools pools;
  bp_pools_build(kase, d, &pools);
  int *pooled = bp_alloc((nh + 1) * sizeof *pooled);
  int *real = bp_alloc((nh + 1) * sizeof *real);
  int have_pooled = *have_start;
  if (have_pooled)
    bp_pools_from_units(&pools, kase, d, chosen, pooled);
  unsigned char *active =
      first_columns(&pools.derived, have_pooled ? pooled : NULL, nh, POOL_FIRST_COLUMNS);
  bp_model pm;
  bp_model_build_restricted(&pools.kase, &pools.derived, 0, active, &pm);
  free(active);
  if (have_pooled && !keeps_every_row(&pm, pooled, trace))
    have_pooled = 0;
  if (trace)
    fprintf(stderr, "boplace: pools: %zu pool pairs (of %zu), %zu blocks of areas, model %d rows, %d columns, %.2f s\n",
            pools.derived.n_candidates, d->n_candidates, pools.n_blocks,
            glp_get_num_rows(pm.problem), glp_get_num_cols(pm.problem),
            bp_clock_seconds() - started);

  lp_point point = {0};
  class_lp classes = {0};
  for (int t = 0; t < pool_tiers; t++) {
    bp_tier tier = (bp_tier)t;
    bp_model_set_objective(&pm, tier);
    lp_point_free(&point);
    double tier_deadline = bp_clock_seconds() + share[t] * (deadline - bp_clock_seconds());
    double value = NAN, bound = NAN, cut_bound = NAN;
    int optimal = 0, timed_out = 0, placed = 0;
    for (int round = 0; round < MOST_CUT_ROUNDS && !placed; round++) {
      if (!have_pooled && *have_start) {
        /* After a cut: the best real proposal is a pool proposal that
         * keeps every cut (a real proposal keeps them all). */
        bp_pools_from_units(&pools, kase, d, chosen, pooled);
        have_pooled = keeps_every_row(&pm, pooled, 0);
      }
      /* At the national size pricing does not end in time, and its last
       * LP, rounded, is the best proposal the run gets: tier 1's first
       * pricing may go on until pricing_deadline, past the stage's own,
       * leaving a fifth of that for rounding.  Where it ends (the annual
       * size: in a second or two), the tier goes on within its share. */
      double now_s = bp_clock_seconds();
      double pricing_end = t == 0 && round == 0 ? pricing_deadline : tier_deadline;
      double pricing_stop = pricing_end - 0.2 * (pricing_end - now_s);
      if (t == 0 && round == 0) {
        /* Tier 1's LP on the classes first: a bound where the pool LP's
         * pricing does not end in time (XL: 11,279 in 7 s, where the pool
         * LP was still at 11,231 after 240 s). */
        cut_bound = price_the_classes(&pools, have_pooled ? pooled : NULL, pricing_stop,
                                      cut_short, trace, &point, &classes);
        /* Its solution, shared among the members, is a pool LP solution
         * at the bound: the pool LP starts with its pairs and stops pricing
         * when it reaches the bound, and its time goes to the Hall cuts
         * (at XL one 25 s solve, where pricing from the cheapest pairs was
         * still 280 short after 60 s). */
        if (point.n > 0)
          bp_model_add_candidates(&pm, point.pairs, point.n);
      }
      double lp_bound = cut_the_lp(&pm, &pools, kase, d, pricing_stop, cut_short,
                                   t == 0 ? cut_bound : NAN, trace, &point);
      int priced_out = !isnan(lp_bound);
      if (priced_out && (isnan(cut_bound) || lp_bound < cut_bound))
        cut_bound = lp_bound;
      /* Tier 1's first rounding may take what its pricing left: its
       * local search houses more with the time (XL: 11,196 with 13 s,
       * 10,961 with 4 s). */
      double rounding_end = priced_out && !(t == 0 && round == 0)
                                ? bp_clock_seconds() + (round == 0 ? 0.5 : 0.1) *
                                                           (tier_deadline - bp_clock_seconds())
                                : pricing_end;
      /* The LP's duals, for telling after the rounding whether a tree
       * could close the gap (adding the rounded pairs' columns below
       * makes GLPK forget them, and solving again took 2.4 s at L). */
      double *dual = priced_out && glp_get_status(pm.problem) == GLP_OPT
                         ? row_duals(pm.problem) : NULL;
      double lp_value = dual ? glp_get_obj_val(pm.problem) : NAN;
      int kept = point.n > 0 &&
                 round_on_units(&point, &pools, kase, d, chosen, have_start, rounding_end,
                                trace, &plan->support, &plan->n_support);
      double now[3];
      first_tiers(kase, d, chosen, now);
      /* As solve_tier decides: the LP far above the proposal, no tree.
       * Before the rounded pairs get their columns, which may bring rows
       * the duals do not have. */
      int far = dual && *have_start && too_far_for_a_tree(&pm, 1, dual, lp_value, now[t]);
      free(dual);
      if (kept) {
        bp_pools_from_units(&pools, kase, d, chosen, pooled);
        have_pooled = keeps_every_row(&pm, pooled, 0);
      }
      if (*have_start && !isnan(cut_bound) && now[t] >= floor(cut_bound + 1e-6) - 1e-9) {
        /* The rounded proposal reaches the pool bound (the class LP's, or
         * the pool LP's when priced out): no search needed. */
        value = bound = now[t];
        optimal = placed = 1;
        if (trace)
          fprintf(stderr, "boplace: pools: tier %d value %.9g (optimal: the LP rounded on the units reaches its bound), %.2f s\n",
                  t + 1, value, bp_clock_seconds() - started);
        break;
      }
      if (far) {
        plan->far[t] = 1;
        if (trace)
          fprintf(stderr, "boplace: pools: tier %d value %.9g, bound %.9g; the LP too far above it for a tree, %.2f s\n",
                  t + 1, now[t], floor(cut_bound + 1e-6), bp_clock_seconds() - started);
        break;
      }
      if (!priced_out) {
        /* Branching needs the priced-out LP (and would spend the time on
         * pricing): the full model takes over from the rounded LP. */
        if (trace)
          fprintf(stderr, "boplace: pools: tier %d LP not priced out in its time, %.2f s\n",
                  t + 1, bp_clock_seconds() - started);
        break;
      }
      tier_options options = {.mip_gap = 0.0, .known_bound = NAN, .rounded = 1};
      int found = solve_tier(&pm, pooled, have_pooled, tier_deadline, options, &value,
                             &bound, &optimal, &timed_out, trace);
      if (found <= 0)
        break;
      plan->far[t] = found == 2;
      have_pooled = 1;
      bp_hall_cut *cuts;
      size_t n_cuts;
      int short_of = bp_pools_assign_units(&pools, kase, d, pooled, real, &cuts, &n_cuts);
      placed = short_of == 0;
      if (!placed) {
        drop_what_breaks(kase, d, real);
        bp_improve(kase, d, real, bp_clock_seconds() + 0.1 * (tier_deadline - bp_clock_seconds()));
      }
      double mine[3], theirs[3];
      first_tiers(kase, d, real, mine);
      first_tiers(kase, d, chosen, theirs);
      int better = !*have_start || !better_first_tiers(theirs, mine);
      if (better) {
        memcpy(chosen, real, nh * sizeof *chosen);
        *have_start = 1;
      }
      if (trace)
        fprintf(stderr, "boplace: pools: tier %d value %.9g, bound %.9g%s; %d households without a unit%s; %.9g housed%s, %.2f s\n",
                t + 1, value,
                isnan(cut_bound) ? bound
                : isnan(bound)   ? floor(cut_bound + 1e-6)
                                 : fmin(bound, floor(cut_bound + 1e-6)),
                optimal ? " (optimal)" : "", short_of,
                n_cuts ? ", Hall cuts added" : "", mine[0],
                better ? " (kept)" : "", bp_clock_seconds() - started);
      bp_pools_add_cuts(&pm, cuts, n_cuts);
      bp_hall_cuts_free(cuts, n_cuts);
      if (!placed)
        have_pooled = 0;
      if (milliseconds_left(tier_deadline) <= 1 || stop_requested)
        break;
    }
    /* The pool model with its cuts is still a relaxation: its bound holds
     * for the full model with the earlier tiers fixed at least as high as
     * here (pool_bound). */
    if (!isnan(cut_bound) && (isnan(bound) || cut_bound < bound))
      bound = floor(cut_bound + 1e-6);
    plan->bound[t] = bound;
    if (placed && optimal && plan->proven == t) {
      /* The pool optimum got its units: chosen (kept above, since nothing
       * real is better than a pool optimum) reaches the bound. */
      plan->value[t] = plan->floor[t] = value;
      plan->proven = t + 1;
      bp_model_fix_tier(&pm, tier, value);
      continue;
    }
    /* Not proven: the later tiers go on from the best real proposal, its
     * value fixed.  Their LPs then bound them for the full model, which
     * starts from that proposal and only improves it (L: waiting 160,517
     * in 1.5 s, against the 166,825 of all households), and their rounded
     * LPs improve it. */
    if (!*have_start || milliseconds_left(deadline) <= 1 || stop_requested)
      break;
    double now[3];
    first_tiers(kase, d, chosen, now);
    plan->floor[t] = now[t];
    bp_model_fix_tier(&pm, tier, now[t]);
  }
  if (classes.kept && *have_start && plan->proven < 2 && isnan(plan->bound[1]) &&
      !stop_requested) {
    /* The pool LP did not get to tier 2 (XL: its pricing takes the whole
     * stage): the class model bounds it instead, with tier 1 fixed as the
     * pool stage left it. */
    double now[3];
    first_tiers(kase, d, chosen, now);
    if (isnan(plan->floor[0]))
      plan->floor[0] = now[0];
    plan->bound[1] = class_bound(&classes, &pools, plan->floor, bound_deadline, trace);
    /* Tier 1 too far above its proposal for a tree, and tier 2's LP
     * gets the same room (the households tier 1 is short of, taken by
     * the longest waiting): the full model's tier 2 would spend its time
     * for nothing (XL: 6.5 s, the same proposal). */
    plan->far[1] = plan->far[0] && !isnan(plan->bound[1]);
  }
  class_lp_free(&classes);
  lp_point_free(&point);
  bp_model_free(&pm);
  bp_pools_free(&pools);
  free(pooled);
  free(real);
}

bp_status bp_solve(const bp_case *kase, const bp_derived *d, bp_solution *s,
                   bp_diagnostics *diag) {
  return bp_solve_within(kase, d, s, diag, kase->policy.time_limit_s);
}

/* The local search's soft moves (improve.c) on the proposal the first
 * tiers left, before the soft tier's LP: bp_round_lp leaves them out, and
 * at the annual size they are what lowers the soft cost (L: from 15,275
 * to 14,146 in 2 s), where the soft LP is not solved in the time there is.
 * Only the soft moves (bp_improve_soft): tiers 1-3 are fixed by now, and
 * bp_improve's tier 1 look alone took the soft tier's 0.9 s at the
 * national size (no move; with the soft moves only, 3,073 moves and the
 * soft cost 52,861 against 54,820-55,055), and at L after the waiting
 * tier's search, its 2.3 s (14 moves).  They never lower an earlier tier,
 * so the proposal keeps the fixed tiers' rows (checked all the same). */
static void improve_the_soft_tier(bp_model *m, int *chosen, double deadline, int trace) {
  size_t nh = m->kase->n_households;
  int *before = bp_alloc((nh + 1) * sizeof *before);
  memcpy(before, chosen, nh * sizeof *chosen);
  double started = bp_clock_seconds();
  int moves = bp_improve_soft(m->kase, m->derived, chosen, deadline);
  if (moves > 0 && !keeps_every_row(m, chosen, trace))
    memcpy(chosen, before, nh * sizeof *chosen);
  if (trace)
    fprintf(stderr, "boplace:   local search for the soft tier: %d improving moves, %.2f s\n",
            moves, bp_clock_seconds() - started);
  free(before);
}

bp_status bp_solve_within(const bp_case *kase, const bp_derived *d,
                          bp_solution *s, bp_diagnostics *diag, double seconds) {
  memset(s, 0, sizeof *s);
  double started = bp_clock_seconds();
  double deadline = started + seconds;
  size_t nh = kase->n_households;
  s->candidate_of_household = bp_alloc((nh + 1) * sizeof *s->candidate_of_household);
  int *chosen = s->candidate_of_household;
  for (size_t h = 0; h < nh; h++)
    chosen[h] = -1;

  /* BOPLACE_TRACE=1 prints each tier's progress to stderr (README:
   * "When a run is slow"); it changes nothing else. */
  const char *trace_env = getenv("BOPLACE_TRACE");
  int trace = trace_env && *trace_env && strcmp(trace_env, "0") != 0;
  static const char *tier_names[] = {"housed", "waiting", "permanent", "soft"};
  glp_term_hook(quiet, NULL);

  int greedy_housed = 0;
  int have_start = greedy_start(kase, d, chosen, &greedy_housed);
  /* The local search (improve.c) lifts the hand method's proposal, often
   * to the LP bound, where no branching is needed at all.  A tenth of the
   * time, at most half a second: the tiers need the rest, and at the
   * annual size the rounded pool LP (plan_by_pools) does far better than
   * more local search (L: 37 moves in 0.5 s, 39 in 2 s). */
  if (have_start) {
    double budget = fmin(0.5, 0.1 * seconds);
    int moves = bp_improve(kase, d, chosen, bp_clock_seconds() + budget);
    if (trace)
      fprintf(stderr, "boplace: local search: %d improving moves, %.2f s\n", moves,
              bp_clock_seconds() - started);
  }
  /* The soft tier's bound (soft_bound.h) climbs on the second core from
   * here on, so that at the national size, where the soft tier has a
   * second, it has had the pool stage's minutes: under the tiers of the
   * proposal at hand, then of the pool stage's (at its end and once the
   * model is built), then as they are fixed. */
  bp_soft_bound_run *soft_bound =
      nh > 0 ? bp_soft_bound_start(kase, d, deadline, 1, trace) : NULL;
  if (soft_bound && have_start)
    aim_soft_bound(soft_bound, kase, d, chosen, 0);
  /* Tiers 1-3 on the pools first (formulation.md §9): at the annual and
   * national sizes they prove those tiers where the full model cannot.
   * BOPLACE_POOLS=0 leaves them out (the tests run both ways). */
  pool_plan plan = {0};
  for (int t = 0; t < BP_TIER_COUNT; t++)
    plan.bound[t] = plan.floor[t] = NAN;
  const char *pools_env = getenv("BOPLACE_POOLS");
  int *before_pools = NULL;
  int had_start = have_start;
  if (!(pools_env && strcmp(pools_env, "0") == 0) && nh > 0) {
    before_pools = bp_alloc((nh + 1) * sizeof *before_pools);
    memcpy(before_pools, chosen, nh * sizeof *chosen);
    double now_s = bp_clock_seconds();
    /* Three quarters: at the annual size the full model only adds the soft
     * tier to what the pools leave (its tiers 1-3 are fixed from them when
     * their LP is too far above the proposal for a tree). */
    /* Tier 2's bound on the classes, where the pool stage ends after tier
     * 1, may go on to 0.9: tier 1's rounding at the national size takes
     * the stage to 0.8 and more, and the class LP needs 4-5 s there (to
     * 0.85, one benchmark run of XL had none). */
    plan_by_pools(kase, d, chosen, &have_start, now_s + 0.75 * (deadline - now_s),
                  now_s + 0.8 * (deadline - now_s), now_s + 0.9 * (deadline - now_s), trace,
                  &plan);
    /* At the national size the model is built 6 s later. */
    if (soft_bound && have_start)
      aim_soft_bound(soft_bound, kase, d, chosen, 1);
  }
  /* Tier 2 left far from its bound by the pool stage (the full model will
   * not search it either): the local search's moves that take two
   * households out of one's way, which the rounding's search leaves out
   * (about a millisecond per unplaced household at L; between tier 1's
   * moves they cost it a household).  Where tier 2 is not far, the full
   * model's tree does better with the time (M, seed 6: 5,385 waiting days
   * after this search against 5,422 without).  Four tenths of the time
   * left: the order of the tiers puts the longest waiting before the soft
   * tier, which gets the rest (L: +566 to +680 waiting days in 1.9-2.3 s;
   * the soft cost 14,100-14,115 against 13,978 with the 2 s more). */
  if (have_start && plan.proven < 2 && plan.far[1] && nh > 0 && !stop_requested) {
    double phase_started = bp_clock_seconds();
    int moves = bp_improve_waiting(kase, d, chosen,
                                   phase_started + 0.4 * (deadline - phase_started));
    if (trace)
      fprintf(stderr, "boplace: local search for the waiting tier: %d improving moves, %.2f s\n",
              moves, bp_clock_seconds() - phase_started);
  }
  unsigned char *active =
      first_columns(d, have_start ? chosen : NULL, nh, MOST_FIRST_COLUMNS);
  for (size_t k = 0; k < plan.n_support; k++)
    active[plan.support[k]] = 1;
  free(plan.support);
  plan.support = NULL;
  bp_model m;
  bp_model_build_restricted(kase, d, 0, active, &m);
  free(active);
  if (have_start && before_pools && !keeps_every_row(&m, chosen, trace)) {
    /* Cannot happen when the flow kept every row; if it does, the pools'
     * proposal is not used and nothing is claimed from it. */
    have_start = had_start;
    memset(&plan, 0, sizeof plan);
    for (int t = 0; t < BP_TIER_COUNT; t++)
      plan.bound[t] = plan.floor[t] = NAN;
    memcpy(chosen, before_pools, nh * sizeof *chosen);
  }
  free(before_pools);
  if (have_start && !keeps_every_row(&m, chosen, trace)) {
    have_start = 0;
    for (size_t h = 0; h < nh; h++)
      chosen[h] = -1;
  }
  if (soft_bound && have_start)
    aim_soft_bound(soft_bound, kase, d, chosen, 1);
  if (trace)
    fprintf(stderr, "boplace: model %d rows, %d columns (%d integer), %zu of %zu pairs, built in %.2f s; greedy start houses %d\n",
            glp_get_num_rows(m.problem), glp_get_num_cols(m.problem),
            glp_get_num_int(m.problem), m.n_x, d->n_candidates,
            bp_clock_seconds() - started, have_start ? greedy_housed : 0);
  int all_optimal = 1;
  bp_status result = BP_OK;
  /* Each tier's share of the run's gap, and whether it has one (tier 3
   * solved with tier 2 has none of its own), for the record at the end. */
  double tier_gap[BP_TIER_COUNT] = {0};
  int has_gap[BP_TIER_COUNT] = {0};

  for (int t = 0; t < BP_TIER_COUNT; t++) {
    bp_tier tier = (bp_tier)t;
    if (stop_requested && have_start) {
      /* Stopped: the later tiers keep the last tier's proposal unimproved. */
      all_optimal = 0;
      s->interrupted = 1;
      bp_model_set_objective(&m, tier);
      s->tier_value[t] = objective_at(&m, chosen);
      s->tier_bound[t] = NAN;
      tier_gap[t] = NAN;
      has_gap[t] = 1;
      continue;
    }
    if (t >= plan.proven && t < BP_TIER_SOFT && plan.far[t] && have_start) {
      /* The pool LP with the earlier tiers as here is households (days)
       * above the proposal, too far for the tree, and the pool stage has
       * rounded it already: the full model's LP, rounding and tree would
       * spend the time for nothing (L: 7 s, XL: 9 s), which the soft tier
       * uses instead.  Fixed as it stands, with the pool bound. */
      bp_model_set_objective(&m, tier);
      double value = objective_at(&m, chosen);
      double bound = pool_bound(&plan, t, s->tier_value);
      double obvious = obvious_bound(kase, d, tier, s);
      bound = isnan(bound) ? obvious : fmin(bound, obvious);
      s->tier_value[t] = value;
      s->tier_bound[t] = fmax(bound, value);
      tier_gap[t] = relative_gap(value, s->tier_bound[t]);
      has_gap[t] = 1;
      all_optimal = 0;
      bp_model_fix_tier(&m, tier, value);
      if (trace)
        fprintf(stderr, "boplace: tier %d (%s): value %.9g, bound %.9g (the pools'), not proven, %.2f s\n",
                t + 1, tier_names[t], value, s->tier_bound[t], bp_clock_seconds() - started);
      continue;
    }
    if (t < plan.proven) {
      /* Proven on the pools, with chosen's units: fixed as it stands. */
      s->tier_value[t] = s->tier_bound[t] = plan.value[t];
      bp_model_fix_tier(&m, tier, plan.value[t]);
      if (trace)
        fprintf(stderr, "boplace: tier %d (%s): value %.9g, optimal (on the pools), %.2f s\n",
                t + 1, tier_names[t], plan.value[t], bp_clock_seconds() - started);
      continue;
    }
    double value = 0, bound = 0;
    int optimal = 0, timed_out = 0;
    double combine = tier == BP_TIER_WAITING
                         ? waiting_permanent_weight(kase, d, s->tier_value[0])
                         : 0.0;
    if (tier == BP_TIER_SOFT)
      bp_model_add_spread_cuts(&m);
    if (combine > 0)
      bp_model_set_waiting_permanent(&m, combine);
    else
      bp_model_set_objective(&m, tier);
    /* Each tier gets a share of the time left, and what a tier leaves
     * unused passes on: on a case too large to prove in time, every tier
     * still improves the proposal and reports its own bound, instead of
     * the first taking it all. */
    static const double share[BP_TIER_COUNT] = {0.4, 0.5, 0.5, 1.0};
    double tier_deadline = bp_clock_seconds() + share[t] * (deadline - bp_clock_seconds());
    /* The relaxation's bound (soft_bound.h), for when the soft tier's own
     * LP is not solved in time: now under tiers 1-3 as fixed, aimed at
     * the cost of the proposal they left. */
    if (tier == BP_TIER_SOFT && soft_bound && have_start)
      bp_soft_bound_aim(soft_bound, s->tier_value, objective_at(&m, chosen), chosen);
    if (tier == BP_TIER_SOFT && have_start)
      improve_the_soft_tier(&m, chosen, bp_clock_seconds() + 0.8 * (tier_deadline - bp_clock_seconds()),
                            trace);
    tier_options options = {
        .mip_gap = tier == BP_TIER_SOFT ? kase->policy.mip_gap : 0.0,
        .known_bound = combine > 0 ? NAN : pool_bound(&plan, t, s->tier_value)};
    int found = solve_tier(&m, chosen, have_start, tier_deadline, options, &value,
                           &bound, &optimal, &timed_out, trace);
    double relaxed = -INFINITY;
    if (tier == BP_TIER_SOFT && soft_bound) {
      relaxed = bp_soft_bound_finish(soft_bound, s->tier_value);
      soft_bound = NULL;
    }
    if (found == 0) {
      /* Only the locks can make the model infeasible: with no place lock,
       * placing nobody keeps every rule. */
      s->status = BP_SOLVE_INFEASIBLE;
      explain_conflicting_locks(kase, &m, diag);
      result = BP_INVALID;
      break;
    }
    if (found < 0) {
      s->status = BP_SOLVE_ERROR;
      bp_error(diag, NULL, 0, 0, "the solver failed on tier %d", t + 1);
      result = BP_FAILURE;
      break;
    }
    have_start = 1;
    double *x = columns_of(&m, chosen);
    if (combine > 0) {
      /* Tiers 2 and 3 were solved as one: split the value.  Since the
       * permanent count is below the weight, the waiting total is at most
       * floor(bound / weight); the permanent bound is known only at an
       * optimum. */
      double waiting = bp_model_tier_value(&m, BP_TIER_WAITING, x);
      double permanent = bp_model_tier_value(&m, BP_TIER_PERMANENT, x);
      s->tier_value[t] = waiting;
      s->tier_bound[t] = optimal ? waiting
                                 : fmin(floor(bound / combine + 1e-9),
                                        obvious_bound(kase, d, BP_TIER_WAITING, s));
      double pooled = pool_bound(&plan, t, s->tier_value);
      if (!isnan(pooled))
        s->tier_bound[t] = fmin(s->tier_bound[t], pooled);
      bp_model_fix_tier(&m, tier, waiting);
      t++;
      tier = BP_TIER_PERMANENT;
      value = permanent;
      bound = optimal ? permanent : obvious_bound(kase, d, BP_TIER_PERMANENT, s);
      pooled = pool_bound(&plan, t, s->tier_value);
      if (!optimal && !isnan(pooled))
        bound = fmin(bound, pooled);
    } else {
      value = bp_model_tier_value(&m, tier, x);
      if (!optimal && tier == BP_TIER_SOFT && relaxed > -INFINITY)
        bound = isnan(bound) ? relaxed : fmax(bound, relaxed);
      if (!optimal && tier != BP_TIER_SOFT) {
        double obvious = obvious_bound(kase, d, tier, s);
        bound = isnan(bound) ? obvious : fmin(bound, obvious);
        double pooled = pool_bound(&plan, t, s->tier_value);
        if (!isnan(pooled))
          bound = fmin(bound, pooled);
      }
    }
    free(x);
    if (trace)
      fprintf(stderr, "boplace: tier %d (%s): value %.9g, bound %.9g, %s%s, %.2f s, %zu columns\n",
              t + 1, tier_names[t], value, bound,
              optimal ? "optimal" : "not proven",
              combine > 0 ? " (solved with tier 2)" : "", bp_clock_seconds() - started,
              m.n_x);
    s->tier_value[t] = value;
    s->tier_bound[t] = bound;
    if (combine > 0) {
      tier_gap[BP_TIER_WAITING] = optimal ? 0.0 : relative_gap(s->tier_value[BP_TIER_WAITING],
                                                               s->tier_bound[BP_TIER_WAITING]);
      has_gap[BP_TIER_WAITING] = 1;
    } else {
      tier_gap[t] = relative_gap(value, bound);
      has_gap[t] = 1;
    }
    if (!optimal)
      all_optimal = 0;
    if (tier != BP_TIER_SOFT)
      bp_model_fix_tier(&m, tier, value);
  }

  if (result == BP_OK) {
    s->interrupted |= stop_requested != 0;
    s->status = all_optimal ? BP_SOLVE_OPTIMAL : BP_SOLVE_FEASIBLE;
    double *x = columns_of(&m, chosen);
    /* A later tier may raise an earlier one above the value it was fixed
     * at (L, in a 120 s run: the waiting tier's rounding housed 2,814
     * where tier 1 had fixed 2,813).  The record gives the proposal's own
     * values.  Each bound still holds: it holds for every proposal that
     * keeps the earlier tiers at least as high as they were fixed. */
    for (int t = 0; t < BP_TIER_SOFT; t++) {
      double value = bp_model_tier_value(&m, (bp_tier)t, x);
      if (value <= s->tier_value[t] + 0.5)
        continue;
      s->tier_value[t] = value;
      if (has_gap[t])
        tier_gap[t] = relative_gap(value, s->tier_bound[t]);
    }
    /* The run's gap is the widest of its tiers': a tier that stopped early
     * weakens every tier after it. */
    s->gap = 0.0;
    for (int t = 0; t < BP_TIER_COUNT; t++)
      if (has_gap[t])
        s->gap = isnan(tier_gap[t]) || isnan(s->gap) ? NAN : fmax(s->gap, tier_gap[t]);
    for (size_t h = 0; h < nh; h++) {
      if (chosen[h] < 0)
        continue;
      s->housed++;
      s->housed_persons += bp_persons(&kase->households[h]);
    }
    soft_terms(&m, x, s);
    free(x);
  } else {
    for (size_t h = 0; h < nh; h++)
      chosen[h] = -1;
  }
  if (soft_bound) /* the soft tier was not reached */
    bp_soft_bound_finish(soft_bound, NULL);
  s->rows = glp_get_num_rows(m.problem);
  s->columns = glp_get_num_cols(m.problem);
  s->integer_columns = glp_get_num_int(m.problem);
  s->seconds = bp_clock_seconds() - started;
  bp_model_free(&m);
  glp_term_hook(NULL, NULL);
  return result;
}

void bp_solution_free(bp_solution *s) {
  free(s->candidate_of_household);
  memset(s, 0, sizeof *s);
}
