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
 * the original columns.  The time limit is for the whole run; a tier that
 * hits it keeps the best solution found and reports its gap.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "greedy.h"
#include "model.h"

/* Set from a signal handler, so it cannot hang off the run's context: the
 * one piece of global state in boplace, written only by bp_request_stop(). */
static volatile sig_atomic_t stop_requested;

void bp_request_stop(void) { stop_requested = 1; }

typedef struct {
  int first_decision;  /**< columns of z and y start here (after x and counts) */
  int first_district, last_district; /**< columns of w */
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
    int ranges[2][2] = {{s->first_decision, glp_get_num_cols(P)},
                        {s->first_district, s->last_district}};
    for (int r = 0; r < 2; r++) {
      int pick = 0;
      double best_frac = 0.0;
      for (int j = ranges[r][0]; j > 0 && j <= ranges[r][1]; j++) {
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

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int milliseconds_left(double deadline) {
  double left = deadline - now_seconds();
  if (left < 0.001)
    return 1;
  return left > 2e6 ? 2000000000 : (int)(left * 1000.0);
}

/* Silences GLPK's terminal output: the run prints its own summary. */
static int quiet(void *info, const char *text) {
  (void)info;
  (void)text;
  return 1;
}

/* Solves one tier.  On return, x holds the best solution (all columns) and
 * *value, *bound the tier's objective and best bound.  Returns 1 when an
 * integer solution exists, 0 when the tier is infeasible; *optimal tells
 * whether it is proven optimal (within mip_gap). */
static int solve_tier(bp_model *m, bp_tier tier, const double *start,
                      double deadline, double mip_gap, double *x,
                      double *value, double *bound, int *optimal,
                      int *timed_out, double combine_weight) {
  glp_prob *P = m->problem;
  int n = glp_get_num_cols(P);
  if (combine_weight > 0)
    bp_model_set_waiting_permanent(m, combine_weight);
  else
    bp_model_set_objective(m, tier);
  *timed_out = 0;

  glp_smcp lp;
  glp_init_smcp(&lp);
  lp.msg_lev = GLP_MSG_OFF;
  lp.tm_lim = milliseconds_left(deadline);
  lp.presolve = GLP_OFF;
  int ret = glp_simplex(P, &lp);
  if (ret == GLP_ETMLIM)
    *timed_out = 1;
  int lp_status = glp_get_status(P);
  double lp_bound = glp_get_obj_val(P);
  if (ret == 0 && (lp_status == GLP_NOFEAS || lp_status == GLP_INFEAS) &&
      !start)
    return 0;

  tier_search search = {.start = start,
                        .first_decision = m->first_decision_col,
                        .first_district = m->first_district_col,
                        .last_district = m->last_district_col};
  glp_iocp ip;
  glp_init_iocp(&ip);
  ip.msg_lev = GLP_MSG_OFF;
  ip.presolve = GLP_OFF;
  ip.cb_func = on_tree_event;
  ip.cb_info = &search;
  ip.mip_gap = mip_gap;
  ip.tm_lim = milliseconds_left(deadline);
  /* No cut generators and no feasibility pump: measured on the benchmark's
   * M instance, they cost more time per node than they save (tier 1: 20 s
   * with Gomory, MIR and clique cuts and the pump; 4 s without).  GLPK 5.0's
   * cover cuts also abort on some of our models (glp_cov_init). */
  if (lp_status == GLP_OPT || lp_status == GLP_FEAS || lp_status == GLP_UNBND) {
    ret = glp_intopt(P, &ip);
  } else if (start) {
    ret = GLP_ETMLIM; /* no LP in time: keep the start */
  } else {
    ret = GLP_EFAIL;
  }
  if (ret == GLP_ETMLIM || ret == GLP_ESTOP)
    *timed_out = 1;
  if (ret == GLP_ESTOP)
    ret = GLP_ETMLIM; /* stopped on request: keep the best found, as at a limit */

  int status = ret == GLP_ETMLIM || ret == 0 ? glp_mip_status(P) : GLP_UNDEF;
  if (status == GLP_OPT || status == GLP_FEAS) {
    for (int j = 1; j <= n; j++)
      x[j] = glp_mip_col_val(P, j);
  } else if (start) {
    memcpy(x + 1, start + 1, (size_t)n * sizeof *x);
    status = GLP_FEAS;
  } else {
    return status == GLP_NOFEAS ? 0 : -1;
  }
  /* Binaries to exact 0/1: GLPK's values carry its integrality tolerance. */
  for (int j = 1; j <= n; j++)
    if (glp_get_col_kind(P, j) != GLP_CV)
      x[j] = round(x[j]);
  *value = combine_weight > 0
               ? combine_weight * bp_model_tier_value(m, BP_TIER_WAITING, x) +
                     bp_model_tier_value(m, BP_TIER_PERMANENT, x)
               : bp_model_tier_value(m, tier, x);
  *optimal = status == GLP_OPT && !*timed_out;
  if (*optimal)
    *bound = *value;
  else if (search.have_bound && fabs(search.bound) < 1e300)
    *bound = search.bound; /* GLPK says +-DBL_MAX for a node not yet bounded */
  else if (lp_status == GLP_OPT)
    *bound = lp_bound; /* the LP relaxation: a valid bound */
  else
    *bound = NAN; /* no LP in time: nothing proven; the gap is unknown */
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
  for (int i = 0; i < m->n_x; i++) {
    if (x[i + 1] < 0.5)
      continue;
    const bp_candidate *c = &m->derived->candidates[i];
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

/* The place locks cannot all be kept.  A deletion filter finds a set of
 * locks that conflict and is irreducible (dropping any one of them makes the
 * rest feasible): release each lock in turn and keep it released while the
 * model stays infeasible.  The coordinator then sees exactly which of their
 * decisions collide, not just "infeasible". */
static void explain_conflicting_locks(const bp_case *kase, bp_model *m,
                                      bp_diagnostics *diag) {
  const bp_derived *d = m->derived;
  int *in_conflict = bp_calloc((size_t)m->n_x + 1, sizeof *in_conflict);
  for (int i = 0; i < m->n_x; i++) {
    if (!d->candidates[i].locked_place)
      continue;
    glp_set_col_bnds(m->problem, i + 1, GLP_DB, 0.0, 1.0);
    if (feasible(m)) {
      glp_set_col_bnds(m->problem, i + 1, GLP_FX, 1.0, 1.0);
      in_conflict[i] = 1;
    }
  }
  int n = 0;
  for (int i = 0; i < m->n_x; i++)
    n += in_conflict[i];
  for (int i = 0; i < m->n_x; i++) {
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
      int group_cannot = hh->group >= 0 &&
                         kase->groups[hh->group].n_members >= 2 &&
                         !m->group_area_col[(size_t)hh->group * kase->n_areas +
                                            (size_t)u->area];
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

/* The hand method's proposal as a start for tier 1, when it keeps every
 * row of the model (GLPK does not check a start; we do). */
static double *greedy_start(const bp_case *kase, const bp_derived *d,
                            const bp_model *m, int trace) {
  bp_solution g;
  bp_diagnostics scratch = {0};
  double *x = NULL;
  if (bp_greedy(kase, d, &g, &scratch) == BP_OK && g.housed > 0) {
    int n = glp_get_num_cols(m->problem);
    x = bp_alloc(((size_t)n + 1) * sizeof *x);
    bp_model_complete(m, g.candidate_of_household, x);
    double violation = bp_model_violation(m, x);
    if (violation > 1e-6) {
      if (trace)
        fprintf(stderr, "boplace: the greedy start breaks a row by %g; not used\n",
                violation);
      free(x);
      x = NULL;
    } else if (trace) {
      fprintf(stderr, "boplace: greedy start houses %d\n", g.housed);
    }
  }
  bp_solution_free(&g);
  bp_diagnostics_free(&scratch);
  return x;
}

bp_status bp_solve(const bp_case *kase, const bp_derived *d, bp_solution *s,
                   bp_diagnostics *diag) {
  memset(s, 0, sizeof *s);
  double started = now_seconds();
  double deadline = started + kase->policy.time_limit_s;
  s->candidate_of_household =
      bp_alloc((kase->n_households + 1) * sizeof *s->candidate_of_household);
  for (size_t h = 0; h < kase->n_households; h++)
    s->candidate_of_household[h] = -1;

  /* BOPLACE_TRACE=1 prints each tier's progress to stderr (README:
   * "When a run is slow"); it changes nothing else. */
  const char *trace_env = getenv("BOPLACE_TRACE");
  int trace = trace_env && *trace_env && strcmp(trace_env, "0") != 0;
  static const char *tier_names[] = {"housed", "waiting", "permanent", "soft"};
  glp_term_hook(quiet, NULL);
  bp_model m;
  bp_model_build(kase, d, 0, &m);
  if (trace)
    fprintf(stderr, "boplace: model %d rows, %d columns (%d integer), %zu pairs, built in %.2f s\n",
            glp_get_num_rows(m.problem), glp_get_num_cols(m.problem),
            glp_get_num_int(m.problem), d->n_candidates, now_seconds() - started);
  int n = glp_get_num_cols(m.problem);
  double *x = bp_calloc((size_t)n + 1, sizeof *x);
  double *start = greedy_start(kase, d, &m, trace);
  int all_optimal = 1;
  bp_status result = BP_OK;

  for (int t = 0; t < BP_TIER_COUNT; t++) {
    bp_tier tier = (bp_tier)t;
    if (stop_requested && start) {
      /* Stopped: the later tiers keep the last tier's proposal unimproved. */
      all_optimal = 0;
      s->interrupted = 1;
      memcpy(x, start, ((size_t)n + 1) * sizeof *x); /* the proposal kept */
      s->tier_value[t] = bp_model_tier_value(&m, tier, start);
      s->tier_bound[t] = NAN;
      s->gap = NAN;
      continue;
    }
    double value = 0, bound = 0;
    int optimal = 0, timed_out = 0;
    double combine = tier == BP_TIER_WAITING
                         ? waiting_permanent_weight(kase, d, s->tier_value[0])
                         : 0.0;
    int found = solve_tier(&m, tier, start, deadline,
                           tier == BP_TIER_SOFT ? kase->policy.mip_gap : 0.0, x,
                           &value, &bound, &optimal, &timed_out, combine);
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
    if (combine > 0) {
      /* Tiers 2 and 3 were solved as one: split the value.  Since the
       * permanent count is below the weight, the waiting total is at most
       * floor(bound / weight); the permanent bound is known only at an
       * optimum. */
      double waiting = bp_model_tier_value(&m, BP_TIER_WAITING, x);
      double permanent = bp_model_tier_value(&m, BP_TIER_PERMANENT, x);
      s->tier_value[t] = waiting;
      s->tier_bound[t] = optimal ? waiting : floor(bound / combine + 1e-9);
      bp_model_fix_tier(&m, tier, waiting);
      t++;
      tier = BP_TIER_PERMANENT;
      value = permanent;
      bound = optimal ? permanent : NAN;
    }
    if (trace)
      fprintf(stderr, "boplace: tier %d (%s): value %.6g, bound %.6g, %s%s, %.2f s\n",
              t + 1, tier_names[t], value, bound,
              optimal ? "optimal" : "not proven",
              combine > 0 ? " (solved with tier 2)" : "", now_seconds() - started);
    s->tier_value[t] = value;
    s->tier_bound[t] = bound;
    /* The run's gap is the widest of its tiers: a tier that stopped early
     * weakens every tier after it. */
    double gap = relative_gap(value, bound);
    if (combine > 0)
      gap = optimal ? 0.0 : relative_gap(s->tier_value[BP_TIER_WAITING],
                                         s->tier_bound[BP_TIER_WAITING]);
    s->gap = isnan(gap) || isnan(s->gap) ? NAN : fmax(s->gap, gap);
    if (!optimal)
      all_optimal = 0;
    if (tier != BP_TIER_SOFT)
      bp_model_fix_tier(&m, tier, value);
    if (!start)
      start = bp_alloc(((size_t)n + 1) * sizeof *start);
    memcpy(start, x, ((size_t)n + 1) * sizeof *x);
  }

  if (result == BP_OK) {
    s->interrupted |= stop_requested != 0;
    s->status = all_optimal ? BP_SOLVE_OPTIMAL : BP_SOLVE_FEASIBLE;
    for (int i = 0; i < m.n_x; i++) {
      if (x[i + 1] < 0.5)
        continue;
      const bp_candidate *c = &d->candidates[i];
      s->candidate_of_household[c->household] = i;
      s->housed++;
      s->housed_persons += bp_persons(&kase->households[c->household]);
    }
    soft_terms(&m, x, s);
  }
  s->rows = glp_get_num_rows(m.problem);
  s->columns = glp_get_num_cols(m.problem);
  s->integer_columns = glp_get_num_int(m.problem);
  s->seconds = now_seconds() - started;
  free(x);
  free(start);
  bp_model_free(&m);
  glp_term_hook(NULL, NULL);
  return result;
}

void bp_solution_free(bp_solution *s) {
  free(s->candidate_of_household);
  memset(s, 0, sizeof *s);
}
