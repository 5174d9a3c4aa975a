/**
 * @file greedy.c
 * @brief The hand method (greedy.h): longest waiting first, each household
 *        the cheapest unit that still keeps every rule.
 *
 * This is what a coordinator does with a spreadsheet, made exact.  It is
 * the benchmark's baseline, and since its proposal keeps every hard rule,
 * it is also a feasible start for the solver's first tier.  The rules that
 * concern one household and one unit are already settled by the candidate
 * list (derive_eligibility.c); here only the rules that span households
 * are kept, by counting what the placements so far use:
 *
 *   unit places (C2), the area's room under its newcomer cap (C3), school
 *   seats and bilingual room (C4, C5), daycare places and bilingual room
 *   (C6, C7), max_new_per_building (C8), min_cluster (C9), groups (C10,
 *   C11) and place locks (C12) -- the numbers of models/formulation.md §5.
 *
 * Every count only grows, and each cap is an upper bound on a count, so a
 * placement that fits when it is made still fits at the end.  Two rules are
 * not upper bounds and need care:
 *
 *  - min_cluster (an area with no newcomers today gets none or at least m).
 *    A greedy cannot look ahead for the m - 1 households that would have to
 *    follow, so it does not start clusters one household at a time: a fresh
 *    area is "closed" until a group of at least m households moves in
 *    together, or a place lock opens it.  An area a lock opens with fewer
 *    than m households is filled up to m first, by the longest-waiting
 *    households that fit there.
 *  - groups (all members in one area, or none).  A group is served when its
 *    longest-waiting member's turn comes, all at once: for each area, each
 *    member (in id order) takes the cheapest unit there that fits; of the
 *    areas where every member fits, the group takes the cheapest in total.
 *    If there is none, the whole group stays unplaced.
 *
 * "Cheapest" means permanent before transit (transit is a last resort,
 * SPEC.md), then lower rent (per place for shared units), then the lower
 * unit id.  Place locks are served before anyone else.
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "greedy.h"
#include "model.h"

typedef struct {
  const bp_case *kase;
  const bp_derived *d;
  /* What the placements so far use. */
  int *unit_used;     /**< households per unit */
  int *area_used;     /**< households per area (k_a) */
  int *school_used;   /**< children 6-16 per school (beta_s) */
  int *daycare_used;  /**< children 0-5 per daycare (beta_d) */
  int *building_used; /**< households per building */
  /** Per area: may take a household now without breaking min_cluster.
   *  Always 1 when min_cluster is off or the area has newcomers today. */
  unsigned char *open;
  unsigned char *group_done; /**< per group: served (placed or skipped) */
  int *choice;               /**< per household: candidate index, -1 = none */
} greedy;

static int is_fresh(const greedy *g, int area) {
  return g->kase->policy.min_cluster > 0 &&
         g->kase->areas[area].newcomer_households == 0;
}

/* The hand method's order of preference between two candidates of one
 * household: permanent before transit, then rent, then unit id.  < 0 when
 * candidate i is preferred. */
static int compare_cost(const greedy *g, int i, int j) {
  const bp_unit *a = &g->kase->units[g->d->candidates[i].unit];
  const bp_unit *b = &g->kase->units[g->d->candidates[j].unit];
  int ta = a->kind == BP_UNIT_TRANSIT, tb = b->kind == BP_UNIT_TRANSIT;
  if (ta != tb)
    return ta - tb;
  if (a->rent != b->rent)
    return a->rent < b->rent ? -1 : 1;
  return g->d->candidates[i].unit - g->d->candidates[j].unit;
}

/* What stops candidate i from fitting, given the placements so far: NULL
 * when it fits.  The rules that span households, each as an upper bound on
 * a count; min_cluster through the area's open flag unless ignore_cluster. */
static const char *blocked_by(const greedy *g, int i, int ignore_cluster) {
  const bp_case *k = g->kase;
  const bp_derived *d = g->d;
  const bp_candidate *c = &d->candidates[i];
  const bp_household *h = &k->households[c->household];
  const bp_unit *u = &k->units[c->unit];
  const bp_area *area = &k->areas[u->area];
  if (g->unit_used[c->unit] >= u->places) /* (C2) */
    return "the unit's places";
  if (g->area_used[u->area] >= d->area_room[u->area]) /* (C3) */
    return "the area's newcomer cap";
  if (h->children_6_16 > 0) { /* (C4), (C5) */
    long used = (long)g->school_used[area->school] + h->children_6_16;
    if (used > k->schools[area->school].free_seats)
      return "the school's free seats";
    if (used > d->school_bilingual_room[area->school])
      return "the school's bilingual cap";
  }
  if (h->children_0_5 > 0) { /* (C6), (C7) */
    if (area->daycare < 0)
      return "the daycare's free places";
    long used = (long)g->daycare_used[area->daycare] + h->children_0_5;
    if (used > k->daycares[area->daycare].free_seats)
      return "the daycare's free places";
    if (used > d->daycare_bilingual_room[area->daycare])
      return "the daycare's bilingual cap";
  }
  if (k->policy.max_new_per_building > 0 && u->building_index >= 0 &&
      g->building_used[u->building_index] >= k->policy.max_new_per_building)
    return "max_new_per_building"; /* (C8) */
  if (!ignore_cluster && !g->open[u->area]) /* (C9), see the file comment */
    return "min_cluster";
  return NULL;
}

static int fits(const greedy *g, int i, int ignore_cluster) {
  return blocked_by(g, i, ignore_cluster) == NULL;
}

/* Adds (sign 1) or removes (sign -1) candidate i's placement. */
static void apply(greedy *g, int i, int sign) {
  const bp_case *k = g->kase;
  const bp_candidate *c = &g->d->candidates[i];
  const bp_household *h = &k->households[c->household];
  const bp_unit *u = &k->units[c->unit];
  const bp_area *area = &k->areas[u->area];
  g->unit_used[c->unit] += sign;
  g->area_used[u->area] += sign;
  if (h->children_6_16 > 0)
    g->school_used[area->school] += sign * h->children_6_16;
  if (h->children_0_5 > 0 && area->daycare >= 0)
    g->daycare_used[area->daycare] += sign * h->children_0_5;
  if (u->building_index >= 0)
    g->building_used[u->building_index] += sign;
  g->choice[c->household] = sign > 0 ? i : -1;
  if (sign > 0 && g->area_used[u->area] >= k->policy.min_cluster)
    g->open[u->area] = 1;
}

/* The cheapest candidate of household h that fits (in area `area` only,
 * when area >= 0), or -1. */
static int cheapest_fit(const greedy *g, int h, int area, int ignore_cluster) {
  const bp_derived *d = g->d;
  int best = -1;
  for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
    if (area >= 0 && g->kase->units[d->candidates[i].unit].area != area)
      continue;
    if ((best < 0 || compare_cost(g, (int)i, best) < 0) &&
        fits(g, (int)i, ignore_cluster))
      best = (int)i;
  }
  return best;
}

/* A candidate of a group member, with what the group search sorts by. */
typedef struct {
  int area;
  int transit;
  double rent;
  int unit;
  int candidate;
} member_option;

/* By area, then the hand method's cost (as compare_cost). */
static int compare_option(const void *x, const void *y) {
  const member_option *a = x, *b = y;
  if (a->area != b->area)
    return a->area < b->area ? -1 : 1;
  if (a->transit != b->transit)
    return a->transit - b->transit;
  if (a->rent != b->rent)
    return a->rent < b->rent ? -1 : 1;
  return (a->unit > b->unit) - (a->unit < b->unit);
}

/* Places group gi in one area, all members or none (C10, C11).  Tries every
 * area (only `only_area` when >= 0) and keeps the one whose placement is
 * cheapest: fewest transit units, then least rent in total, then the lower
 * area index.  A fresh area may be opened by a group of at least
 * min_cluster households, or by any group when ignore_cluster.  Returns 1
 * when the group was placed. */
static int place_group(greedy *g, int gi, int only_area, int ignore_cluster) {
  const bp_case *k = g->kase;
  const bp_derived *d = g->d;
  const bp_group *group = &k->groups[gi];
  int n = group->n_members;
  /* Each member's candidates, sorted by area then cost, one block each. */
  size_t total = 0;
  for (int m = 0; m < n; m++) {
    int h = group->members[m];
    size_t count = d->first_candidate[h + 1] - d->first_candidate[h];
    if (count == 0)
      return 0; /* a member fits nowhere: the group stays unplaced */
    total += count;
  }
  member_option *options = bp_alloc(total * sizeof *options);
  size_t *block = bp_alloc(((size_t)n + 1) * sizeof *block);
  size_t *next = bp_alloc(((size_t)n + 1) * sizeof *next);
  int *placed = bp_alloc(((size_t)n + 1) * sizeof *placed);
  size_t at = 0;
  for (int m = 0; m < n; m++) {
    int h = group->members[m];
    block[m] = at;
    for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1];
         i++) {
      const bp_unit *u = &k->units[d->candidates[i].unit];
      options[at++] = (member_option){u->area, u->kind == BP_UNIT_TRANSIT,
                                      u->rent, d->candidates[i].unit, (int)i};
    }
    qsort(options + block[m], at - block[m], sizeof *options, compare_option);
    next[m] = block[m];
  }
  block[n] = at;

  /* The areas to try are those of the first member's candidates, in
   * ascending order; next[m] walks member m's block alongside, so the
   * search is linear in the members' candidates. */
  int best_area = -1, best_transit = 0;
  double best_rent = 0;
  for (size_t p = block[0]; p < block[1]; p++) {
    int area = options[p].area;
    if (p > block[0] && area == options[p - 1].area)
      continue;
    if (only_area >= 0 && area != only_area)
      continue;
    int cluster_ok = ignore_cluster || g->open[area] ||
                     n >= k->policy.min_cluster;
    unsigned char was_open = g->open[area];
    int m = 0, transit = 0;
    double rent = 0;
    for (; m < n; m++) {
      placed[m] = -1;
      while (next[m] < block[m + 1] && options[next[m]].area < area)
        next[m]++;
      for (size_t q = next[m]; q < block[m + 1] && options[q].area == area;
           q++)
        if (fits(g, options[q].candidate, cluster_ok)) {
          placed[m] = options[q].candidate;
          break;
        }
      if (placed[m] < 0)
        break;
      apply(g, placed[m], 1);
      transit += k->units[d->candidates[placed[m]].unit].kind == BP_UNIT_TRANSIT;
      rent += k->units[d->candidates[placed[m]].unit].rent;
    }
    /* Undo the trial (and the open flag it may have set). */
    for (int r = m - 1; r >= 0; r--)
      apply(g, placed[r], -1);
    g->open[area] = was_open;
    if (m < n)
      continue;
    if (best_area < 0 || transit < best_transit ||
        (transit == best_transit && rent < best_rent)) {
      best_area = area;
      best_transit = transit;
      best_rent = rent;
    }
  }
  /* Make the best trial for real: the same steps from the same state give
   * the same units, so every member finds one. */
  if (best_area >= 0) {
    int cluster_ok = ignore_cluster || g->open[best_area] ||
                     n >= k->policy.min_cluster;
    for (int m = 0; m < n; m++) {
      placed[m] = -1;
      for (size_t q = block[m]; q < block[m + 1] && placed[m] < 0; q++)
        if (options[q].area == best_area &&
            fits(g, options[q].candidate, cluster_ok))
          placed[m] = options[q].candidate;
      assert(placed[m] >= 0);
      if (placed[m] < 0) { /* cannot happen; never leave a group split */
        for (int r = m - 1; r >= 0; r--)
          apply(g, placed[r], -1);
        best_area = -1;
        break;
      }
      apply(g, placed[m], 1);
    }
  }
  free(options);
  free(block);
  free(next);
  free(placed);
  return best_area >= 0;
}

static int in_group(const bp_case *k, int h) {
  int gi = k->households[h].group;
  return gi >= 0 && k->groups[gi].n_members >= 2 ? gi : -1;
}

/* Serves household h (or its whole group) in area `area` (any when -1). */
static void serve(greedy *g, int h, int area, int ignore_cluster) {
  if (g->choice[h] >= 0)
    return;
  int gi = in_group(g->kase, h);
  if (gi >= 0) {
    /* Served once, at its longest-waiting member's turn; a group that does
     * not fit the one area asked for may still go elsewhere later. */
    if (!g->group_done[gi] && place_group(g, gi, area, ignore_cluster))
      g->group_done[gi] = 1;
    else if (area < 0)
      g->group_done[gi] = 1;
    return;
  }
  int i = cheapest_fit(g, h, area, ignore_cluster);
  if (i >= 0)
    apply(g, i, 1);
}

/* The serving order: waiting days descending, then household id (the
 * households are sorted by id, so by index). */
typedef struct {
  int waiting_days;
  int household;
} turn;

static int compare_turn(const void *x, const void *y) {
  const turn *a = x, *b = y;
  if (a->waiting_days != b->waiting_days)
    return a->waiting_days > b->waiting_days ? -1 : 1;
  return (a->household > b->household) - (a->household < b->household);
}

/* Place locks first (C12).  Each lock's unit is its household's only
 * candidate (derive), and the caps only bound counts, so if the locks do
 * not fit together here, no plan keeps them all: an input error. */
static bp_status place_locks(greedy *g, const int *order, bp_diagnostics *diag) {
  const bp_case *k = g->kase;
  const bp_derived *d = g->d;
  size_t nh = k->n_households;
  bp_status status = BP_OK;
  int kept = 0;
  for (size_t o = 0; o < nh; o++) {
    int h = order[o];
    if (d->locked_unit[h] < 0)
      continue;
    /* derive put the locked unit as the household's one candidate */
    assert(d->first_candidate[h] + 1 == d->first_candidate[h + 1]);
    int i = (int)d->first_candidate[h];
    const char *blocker = blocked_by(g, i, 1);
    if (!blocker) {
      apply(g, i, 1);
      g->open[k->units[d->locked_unit[h]].area] = 1;
      kept++;
      continue;
    }
    int line = 0;
    for (size_t l = 0; l < k->n_locks; l++)
      if (k->locks[l].action == BP_LOCK_PLACE && k->locks[l].household == h)
        line = k->locks[l].origin.line;
    const bp_unit *u = &k->units[d->locked_unit[h]];
    bp_error(diag, "locks.csv", line, 1,
             "the lock placing household '%s' in unit '%s' (area '%s') "
             "breaks %s%s; release the lock or correct the data",
             k->households[h].id, u->id, k->areas[u->area].id, blocker,
             kept ? " together with the place locks of households that "
                    "waited longer"
                  : "");
    status = BP_INVALID;
  }
  if (status != BP_OK)
    return status;
  /* A group with a locked member lives in that member's area: the rest
   * follow, or, if they cannot, the hand method has no plan. */
  for (size_t gi = 0; gi < k->n_groups; gi++) {
    const bp_group *group = &k->groups[gi];
    if (group->n_members < 2)
      continue;
    int area = -1, locked = 0, split = 0;
    for (int m = 0; m < group->n_members; m++) {
      int u = d->locked_unit[group->members[m]];
      if (u < 0)
        continue;
      locked++;
      if (area >= 0 && k->units[u].area != area)
        split = 1;
      area = k->units[u].area;
    }
    if (!locked)
      continue;
    g->group_done[gi] = 1;
    if (split) {
      bp_error(diag, "locks.csv", 0, 0,
               "place locks put members of group '%s' in different areas, but "
               "a group lives in one area; release one of them", group->id);
      status = BP_INVALID;
      continue;
    }
    for (int m = 0; m < group->n_members; m++) {
      int h = group->members[m];
      if (g->choice[h] >= 0)
        continue;
      int i = cheapest_fit(g, h, area, 1);
      if (i < 0) {
        bp_error(diag, "locks.csv", 0, 0,
                 "a place lock puts group '%s' in area '%s', but the hand "
                 "method finds no unit there for member '%s'; use the "
                 "optimizer (without --method greedy) or review the lock",
                 group->id, k->areas[area].id, k->households[h].id);
        if (status == BP_OK)
          status = BP_FAILURE;
        break;
      }
      apply(g, i, 1);
    }
  }
  return status;
}

/* Areas that a lock opened with fewer than min_cluster households: filled up
 * to min_cluster by the longest-waiting households that fit there. */
static bp_status fill_clusters(greedy *g, const int *order,
                               bp_diagnostics *diag) {
  const bp_case *k = g->kase;
  int m = k->policy.min_cluster;
  bp_status status = BP_OK;
  for (size_t a = 0; a < k->n_areas; a++) {
    if (!is_fresh(g, (int)a) || g->area_used[a] == 0 || g->area_used[a] >= m)
      continue;
    for (size_t o = 0; o < k->n_households && g->area_used[a] < m; o++)
      serve(g, order[o], (int)a, 1);
    if (g->area_used[a] < m) {
      bp_error(diag, "locks.csv", 0, 0,
               "place locks put %d household%s in area '%s', which has no "
               "newcomers today, and min_cluster is %d; the hand method finds "
               "no other household that fits there; use the optimizer "
               "(without --method greedy) or review the locks",
               g->area_used[a], g->area_used[a] == 1 ? "" : "s",
               k->areas[a].id, m);
      status = BP_FAILURE;
    }
  }
  return status;
}

/* The tiers and the soft terms of the proposal, as solve.c reports them
 * (formulation.md §6): the soft tier is the model's objective at this
 * proposal, with t and o at their least values. */
static double near_cap_excess(int count, int total, double cap, int added) {
  double rate = 1.0 - 0.8 * cap; /* theta = 0.8, as in (C14) */
  double e0 = (double)count - 0.8 * cap * total;
  if (!(rate > 0) || added == 0)
    return 0.0;
  double o = rate * added + (e0 < 0 ? e0 : 0.0);
  return o > 0 ? o : 0.0;
}

static void fill_figures(const greedy *g, bp_solution *s) {
  const bp_case *k = g->kase;
  const bp_derived *d = g->d;
  const bp_policy *p = &k->policy;
  double housed = 0, waiting = 0, permanent = 0;
  for (size_t h = 0; h < k->n_households; h++) {
    int i = g->choice[h];
    s->candidate_of_household[h] = i;
    if (i < 0)
      continue;
    bp_pair_figures figures;
    bp_candidate_figures(k, d, (size_t)i, &figures);
    const bp_pair_figures *c = &figures;
    s->housed++;
    s->housed_persons += bp_persons(&k->households[h]);
    housed += 1;
    waiting += k->households[h].waiting_days;
    permanent += k->units[c->unit].kind != BP_UNIT_TRANSIT;
    s->soft_travel += p->weights.travel * c->travel_hours;
    s->soft_rent += p->weights.rent * c->rent_burden;
    s->soft_preference -= p->weights.preference * c->preferred;
    s->soft_ties -= p->weights.ties * c->ties;
    s->soft_partner -= p->weights.partner * c->partner;
    s->soft_score -= p->weights.score * c->score;
  }
  double spread = 0, near = 0;
  for (size_t a = 0; a < k->n_areas; a++) {
    const bp_area *area = &k->areas[a];
    if (g->area_used[a] == 0)
      continue;
    spread += bp_spread_penalty(area->newcomer_households, area->households,
                                g->area_used[a]);
    near += near_cap_excess(area->newcomer_households, area->households,
                            d->area_cap[a], g->area_used[a]);
  }
  for (int daycare = 0; daycare <= 1; daycare++) {
    size_t n = daycare ? k->n_daycares : k->n_schools;
    const bp_institution *inst = daycare ? k->daycares : k->schools;
    const int *used = daycare ? g->daycare_used : g->school_used;
    const double *cap = daycare ? d->daycare_cap : d->school_cap;
    for (size_t i = 0; i < n; i++) {
      if (used[i] == 0)
        continue;
      spread += bp_spread_penalty(inst[i].bilingual, inst[i].enrolled, used[i]);
      near += near_cap_excess(inst[i].bilingual, inst[i].enrolled, cap[i],
                              used[i]);
    }
  }
  s->soft_spread = p->weights.spread * spread;
  s->soft_near_cap = p->weights.near_cap * near;
  double *terms[] = {&s->soft_spread, &s->soft_near_cap, &s->soft_travel,
                     &s->soft_rent, &s->soft_preference, &s->soft_ties,
                     &s->soft_partner, &s->soft_score};
  double soft = 0;
  for (size_t t = 0; t < sizeof terms / sizeof *terms; t++) {
    if (fabs(*terms[t]) < 1e-9)
      *terms[t] = 0.0;
    soft += *terms[t];
  }
  s->tier_value[BP_TIER_HOUSED] = housed;
  s->tier_value[BP_TIER_WAITING] = waiting;
  s->tier_value[BP_TIER_PERMANENT] = permanent;
  s->tier_value[BP_TIER_SOFT] = soft;
  for (int t = 0; t < BP_TIER_COUNT; t++)
    s->tier_bound[t] = NAN;
  s->gap = NAN;
}

bp_status bp_greedy(const bp_case *kase, const bp_derived *derived,
                    bp_solution *solution, bp_diagnostics *diag) {
  double started = bp_clock_seconds();
  memset(solution, 0, sizeof *solution);
  size_t nh = kase->n_households, na = kase->n_areas;
  solution->candidate_of_household =
      bp_alloc((nh + 1) * sizeof *solution->candidate_of_household);
  greedy g = {.kase = kase, .d = derived};
  g.unit_used = bp_calloc(kase->n_units + 1, sizeof *g.unit_used);
  g.area_used = bp_calloc(na + 1, sizeof *g.area_used);
  g.school_used = bp_calloc(kase->n_schools + 1, sizeof *g.school_used);
  g.daycare_used = bp_calloc(kase->n_daycares + 1, sizeof *g.daycare_used);
  g.building_used = bp_calloc(kase->n_buildings + 1, sizeof *g.building_used);
  g.open = bp_alloc(na + 1);
  for (size_t a = 0; a < na; a++)
    g.open[a] = !is_fresh(&g, (int)a);
  g.group_done = bp_calloc(kase->n_groups + 1, 1);
  g.choice = bp_alloc((nh + 1) * sizeof *g.choice);
  for (size_t h = 0; h < nh; h++)
    g.choice[h] = -1;

  turn *turns = bp_alloc((nh + 1) * sizeof *turns);
  for (size_t h = 0; h < nh; h++)
    turns[h] = (turn){kase->households[h].waiting_days, (int)h};
  qsort(turns, nh, sizeof *turns, compare_turn);
  int *order = bp_alloc((nh + 1) * sizeof *order);
  for (size_t h = 0; h < nh; h++)
    order[h] = turns[h].household;
  free(turns);

  bp_status status = place_locks(&g, order, diag);
  if (status == BP_OK)
    status = fill_clusters(&g, order, diag);
  if (status == BP_OK)
    for (size_t o = 0; o < nh; o++)
      serve(&g, order[o], -1, 0);

  for (size_t h = 0; h < nh; h++)
    solution->candidate_of_household[h] = -1;
  if (status == BP_OK) {
    fill_figures(&g, solution);
    solution->status = BP_SOLVE_HEURISTIC;
  } else {
    solution->status =
        status == BP_INVALID ? BP_SOLVE_INFEASIBLE : BP_SOLVE_ERROR;
  }
  solution->seconds = bp_clock_seconds() - started;

  free(order);
  free(g.unit_used);
  free(g.area_used);
  free(g.school_used);
  free(g.daycare_used);
  free(g.building_used);
  free(g.open);
  free(g.group_done);
  free(g.choice);
  return status;
}
