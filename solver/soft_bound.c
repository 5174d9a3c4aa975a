/**
 * @file soft_bound.c
 * @brief A Lagrangian lower bound on the soft tier (models/formulation.md
 *        §10, "A bound on the soft tier in milliseconds").
 *
 * The relaxation.  Each chooser (a household, or a group with all its
 * members: (C10)-(C11) put them in one area) picks one area it has
 * candidates in, or none.  In the area each member picks one of its
 * few cheapest units (by pair_cost), or "one of the rest" at
 * the least pair_cost of the rest, in a permanent or a transit unit.  Each
 * area, school and daycare pays its least spread and near-cap cost
 * (C13)-(C14) at its count, which must keep the count column's bounds
 * ((C3)-(C7)) and (C9).  The listed units keep (C2), their buildings
 * (C8); "the rest" keeps neither, which is what the relaxation leaves out
 * (with w, whose LP it does not need).  So its optimum is at most the soft
 * tier's.
 *
 * The counts are tied to the choices, k_e >= the sum of the choosers'
 * members (children) in e (the same relaxation: the costs rise with the
 * count), the earlier tiers' constraints (C15), (C2) and (C8), each by a
 * multiplier >= 0.  The Lagrangian function then falls apart into one
 * small minimum per chooser and one per count, and its value at any
 * multipliers is a lower bound; a subgradient ascent lifts it.  One
 * evaluation reads each chooser's areas, cheapest first, until none left
 * can win: milliseconds at the annual size, where one pass over the
 * eligible pairs, at the start, is what costs.
 */
#include "soft_bound.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"

/* Units listed per member and area: the cheapest, which the members want
 * and compete for.  Sixteen where the eligible pairs are few enough that
 * the lists stay small (L: the gap 9.2 % against 10.8 % with four, 279
 * MiB against 241 in all), four beyond (XL: sixteen would take about a
 * GiB more); formulation.md §10. */
#define MOST_LISTED_UNITS 16
#define FEW_LISTED_UNITS 4
#define PAIRS_FOR_MOST_LISTED 25000000
/* Areas on a chooser's shortlist, and full evaluations (which read every
 * area) one step in so many: between them the steps read the shortlists
 * only (XL: twice the steps in the same time). */
#define SHORTLIST 8
#define FULL_EVERY 4
/* Aims the solver may give (it gives four); later ones are not taken. */
#define MOST_AIMS 8

/* One member's choice within an area: its listed units and the least pair
 * costs of the others (INFINITY: none). */
typedef struct {
  double rest_permanent, rest_transit;
  size_t first_unit; /* into unit_index[] and unit_cost[] */
  int n_units;
} member_choice;

/* One area a chooser can pick, with a member_choice per member. */
typedef struct {
  int area;
  size_t first_member; /* into members[] */
  double least;        /* the members' least pair costs, summed */
} area_option;

typedef struct {
  int n_members;     /* households: what the chooser adds to an area */
  int must_house;    /* a place lock: "none" is not a choice */
  double waiting;    /* members' waiting days, over waiting_scale */
  int school_children, daycare_children;
  size_t first_option, n_options;
} chooser;

/* One area, school or daycare: its cost at each count it may take. */
typedef struct {
  int limit;     /* the most it may take (0: nobody comes) */
  int low;       /* the least count above 0 ((C9) min_cluster) */
  double *cost;  /* [0..limit] */
} count_cost;

/* While reading a household's candidates: one area's cheapest units. */
typedef struct {
  double rest_permanent, rest_transit;
  int n;
  int unit[MOST_LISTED_UNITS];
  double cost[MOST_LISTED_UNITS];
} area_scratch;

typedef struct {
  const bp_case *kase;
  const bp_derived *derived;
  unsigned char *unit_reached; /* some household has a candidate there */
  int listed_units;            /* per member and area, at most */
  size_t n_areas, n_schools, n_daycares, n_counts;
  chooser *choosers;
  size_t n_choosers;
  area_option *options;
  size_t n_options, options_capacity;
  member_choice *members;
  size_t n_members, members_capacity;
  int *unit_index;
  double *unit_cost;
  size_t n_units, units_capacity;
  count_cost *counts;
  int *shortlist;          /* per chooser: SHORTLIST options, as offsets */
  unsigned char *listed;   /* per chooser: how many are on it */
  int *school_of_area, *daycare_of_area; /* count index, -1 = none */
  double goal[3];  /* tiers 1-3 at least (waiting over waiting_scale) */
  double target;   /* a proposal's soft cost under the goals, NAN = none */
  double largest_cost; /* the largest |pair_cost| the choosers can pay */
  /* Over all choosers: members, their waiting (scaled), and members plus
   * children (what the count prices multiply). */
  double all_members, all_waiting, all_counted;
  double waiting_scale;
  /* The multipliers: pi per count, then lambda per tier, then one per unit
   * ((C2)) and one per building ((C8)). */
  size_t lambda_at, unit_at, building_at, n_multipliers;
} relaxation;

static void *grow(void *array, size_t *capacity, size_t needed, size_t size) {
  if (needed <= *capacity)
    return array;
  while (*capacity < needed)
    *capacity = 2 * *capacity + 1024;
  return bp_realloc(array, *capacity * size);
}

static void add_member_choice(relaxation *r, const area_scratch *a) {
  r->members = grow(r->members, &r->members_capacity, r->n_members + 1,
                    sizeof *r->members);
  size_t cap = r->units_capacity;
  r->unit_index = grow(r->unit_index, &cap, r->n_units + (size_t)a->n,
                       sizeof *r->unit_index);
  r->unit_cost = grow(r->unit_cost, &r->units_capacity, r->n_units + (size_t)a->n,
                      sizeof *r->unit_cost);
  member_choice *mc = &r->members[r->n_members++];
  double least = fmin(a->rest_permanent, a->rest_transit);
  if (a->n > 0)
    least = fmin(least, a->cost[0]);
  r->options[r->n_options - 1].least += least;
  mc->rest_permanent = a->rest_permanent;
  mc->rest_transit = a->rest_transit;
  mc->first_unit = r->n_units;
  mc->n_units = a->n;
  for (int j = 0; j < a->n; j++) {
    r->unit_index[r->n_units] = a->unit[j];
    r->unit_cost[r->n_units] = a->cost[j];
    r->n_units++;
  }
}

static void add_option(relaxation *r, int area) {
  r->options = grow(r->options, &r->options_capacity, r->n_options + 1,
                    sizeof *r->options);
  r->options[r->n_options].area = area;
  r->options[r->n_options].first_member = r->n_members;
  r->options[r->n_options].least = 0.0;
  r->n_options++;
}

static void note_rest(const bp_case *k, area_scratch *a, int unit, double cost) {
  double *rest = k->units[unit].kind == BP_UNIT_TRANSIT ? &a->rest_transit
                                                        : &a->rest_permanent;
  if (cost < *rest)
    *rest = cost;
}

/* Household h's cheapest units per area, into scratch[slot[a]]; returns
 * how many areas, listed in areas[].  A place-locked household has its
 * one unit. */
static size_t cheapest_units(relaxation *r, int h, int *area_stamp, int *slot,
                             int *areas, area_scratch *scratch) {
  const bp_case *k = r->kase;
  const bp_derived *d = r->derived;
  size_t n = 0;
  size_t lo = d->first_candidate[h], hi = d->first_candidate[h + 1];
  if (d->locked_unit[h] >= 0) {
    int i = bp_candidate_of_pair(d, h, d->locked_unit[h]);
    if (i < 0)
      return 0;
    lo = (size_t)i;
    hi = lo + 1;
  }
  for (size_t i = lo; i < hi; i++) {
    const bp_candidate *c = &d->candidates[i];
    int ar = k->units[c->unit].area;
    r->unit_reached[c->unit] = 1;
    if (area_stamp[ar] != h) {
      area_stamp[ar] = h;
      slot[ar] = (int)n;
      areas[n] = ar;
      scratch[n].n = 0;
      scratch[n].rest_permanent = scratch[n].rest_transit = INFINITY;
      n++;
    }
    area_scratch *a = &scratch[slot[ar]];
    double cost = c->pair_cost;
    if (a->n == r->listed_units) {
      if (cost >= a->cost[r->listed_units - 1]) {
        note_rest(k, a, c->unit, cost);
        continue;
      }
      a->n--;
      note_rest(k, a, a->unit[a->n], a->cost[a->n]);
    }
    int j = a->n++;
    for (; j > 0 && a->cost[j - 1] > cost; j--) {
      a->cost[j] = a->cost[j - 1];
      a->unit[j] = a->unit[j - 1];
    }
    a->cost[j] = cost;
    a->unit[j] = c->unit;
  }
  return n;
}

static void add_household(relaxation *r, int h, int *area_stamp, int *slot,
                          int *areas, area_scratch *scratch) {
  const bp_household *hh = &r->kase->households[h];
  size_t n = cheapest_units(r, h, area_stamp, slot, areas, scratch);
  if (n == 0)
    return;
  chooser *c = &r->choosers[r->n_choosers++];
  c->n_members = 1;
  c->must_house = r->derived->locked_unit[h] >= 0;
  c->waiting = hh->waiting_days / r->waiting_scale;
  c->school_children = hh->children_6_16;
  c->daycare_children = hh->children_0_5;
  c->first_option = r->n_options;
  c->n_options = n;
  for (size_t j = 0; j < n; j++) {
    add_option(r, areas[j]);
    add_member_choice(r, &scratch[j]);
  }
}

/* A group chooses one area for all its members: the areas where each of
 * them has a candidate ((C11) rules out the others).  members_in[a] counts
 * the members, from the first, who have one in a. */
static void add_group(relaxation *r, const bp_group *g, int *area_stamp,
                      int *slot, int *areas, area_scratch *scratch,
                      int *members_in, area_scratch *by_member) {
  const bp_case *k = r->kase;
  size_t na = r->n_areas, nm = (size_t)g->n_members;
  chooser *c = &r->choosers[r->n_choosers];
  memset(c, 0, sizeof *c);
  c->n_members = g->n_members;
  c->first_option = r->n_options;
  for (size_t a = 0; a < na; a++)
    members_in[a] = 0;
  for (int j = 0; j < g->n_members; j++) {
    int h = g->members[j];
    const bp_household *hh = &k->households[h];
    c->must_house |= r->derived->locked_unit[h] >= 0;
    c->waiting += hh->waiting_days / r->waiting_scale;
    c->school_children += hh->children_6_16;
    c->daycare_children += hh->children_0_5;
    size_t n = cheapest_units(r, h, area_stamp, slot, areas, scratch);
    for (size_t q = 0; q < n; q++) {
      size_t a = (size_t)areas[q];
      if (members_in[a] != j)
        continue; /* a member before j has no candidate here */
      members_in[a] = j + 1;
      by_member[a * nm + (size_t)j] = scratch[q];
    }
  }
  for (size_t a = 0; a < na; a++) {
    if (members_in[a] != g->n_members)
      continue;
    add_option(r, (int)a);
    for (size_t j = 0; j < nm; j++)
      add_member_choice(r, &by_member[a * nm + j]);
    c->n_options++;
  }
  r->n_choosers++;
}

static int cheaper_option(const void *a, const void *b) {
  double x = ((const area_option *)a)->least, y = ((const area_option *)b)->least;
  return (x > y) - (x < y);
}

static int fits(const relaxation *r, int e, int adds) {
  return e < 0 || adds <= r->counts[e].limit;
}

/* Each count's costs, up to what its caps and the choosers who can reach
 * it allow; then the areas a chooser cannot take for a count's
 * limit are no choice (they would break (C3)-(C7) alone).  Returns 0 when
 * a place-locked chooser is left with no area: the bound then says
 * nothing. */
static int make_counts(relaxation *r) {
  const bp_case *k = r->kase;
  size_t nc = r->n_counts;
  long *reach = bp_calloc(nc + 1, sizeof *reach);
  size_t *stamp = bp_alloc((nc + 1) * sizeof *stamp);
  for (size_t e = 0; e < nc; e++)
    stamp[e] = (size_t)-1;
  for (size_t c = 0; c < r->n_choosers; c++) {
    const chooser *ch = &r->choosers[c];
    for (size_t o = ch->first_option; o < ch->first_option + ch->n_options; o++) {
      int a = r->options[o].area;
      int es[3] = {a, r->school_of_area[a], r->daycare_of_area[a]};
      long adds[3] = {ch->n_members, ch->school_children, ch->daycare_children};
      for (int q = 0; q < 3; q++) {
        if (es[q] < 0 || stamp[es[q]] == c)
          continue;
        stamp[es[q]] = c;
        reach[es[q]] += adds[q];
      }
    }
  }
  /* An area takes at most the places of its units that someone can
   * have (its K-bar in the model): up to there the model's secants meet
   * f, so the costs below are the model's. */
  long *places = bp_calloc(r->n_areas + 1, sizeof *places);
  for (size_t u = 0; u < k->n_units; u++)
    if (r->unit_reached[u])
      places[k->units[u].area] += k->units[u].places;
  const bp_derived *d = r->derived;
  r->counts = bp_calloc(nc + 1, sizeof *r->counts);
  for (size_t e = 0; e < nc; e++) {
    count_cost *cc = &r->counts[e];
    int base, total;
    double cap;
    long limit = reach[e];
    if (e < r->n_areas) {
      const bp_area *area = &k->areas[e];
      base = area->newcomer_households;
      total = area->households;
      cap = d->area_cap[e];
      limit = places[e] < limit ? places[e] : limit;
      if (d->area_room[e] < limit) /* (C3) */
        limit = d->area_room[e];
      if (k->policy.min_cluster > 0 && area->newcomer_households == 0)
        cc->low = k->policy.min_cluster; /* (C9) */
    } else {
      int daycare = e >= r->n_areas + r->n_schools;
      size_t i = e - r->n_areas - (daycare ? r->n_schools : 0);
      const bp_institution *in = daycare ? &k->daycares[i] : &k->schools[i];
      base = in->bilingual;
      total = in->enrolled;
      cap = daycare ? d->daycare_cap[i] : d->school_cap[i];
      int room = daycare ? d->daycare_bilingual_room[i] : d->school_bilingual_room[i];
      if (room < limit) /* (C5), (C7) */
        limit = room;
      if (in->free_seats >= 0 && in->free_seats < limit) /* (C4), (C6) */
        limit = in->free_seats;
    }
    if (cc->low > limit)
      limit = 0;
    cc->limit = limit > 0 ? (int)limit : 0;
    cc->cost = bp_alloc(((size_t)cc->limit + 1) * sizeof *cc->cost);
    for (int j = 0; j <= cc->limit; j++)
      cc->cost[j] = bp_count_cost(&k->policy, base, total, cap, j);
  }
  free(places);
  free(reach);
  free(stamp);

  size_t kept_choosers = 0, kept_options = 0;
  for (size_t c = 0; c < r->n_choosers; c++) {
    chooser ch = r->choosers[c];
    size_t first = kept_options;
    for (size_t o = ch.first_option; o < ch.first_option + ch.n_options; o++) {
      int a = r->options[o].area;
      if (fits(r, a, ch.n_members) &&
          fits(r, r->school_of_area[a], ch.school_children) &&
          fits(r, r->daycare_of_area[a], ch.daycare_children))
        r->options[kept_options++] = r->options[o];
    }
    ch.first_option = first;
    ch.n_options = kept_options - first;
    if (ch.n_options > 1)
      qsort(r->options + first, ch.n_options, sizeof *r->options, cheaper_option);
    if (ch.n_options == 0 && ch.must_house)
      return 0;
    if (ch.n_options == 0)
      continue;
    r->choosers[kept_choosers++] = ch;
    r->all_members += ch.n_members;
    r->all_waiting += ch.waiting;
    r->all_counted += ch.n_members + ch.school_children + ch.daycare_children;
  }
  r->n_choosers = kept_choosers;
  r->n_options = kept_options;
  for (size_t j = 0; j < r->n_units; j++)
    r->largest_cost = fmax(r->largest_cost, fabs(r->unit_cost[j]));
  for (size_t j = 0; j < r->n_members; j++) {
    if (isfinite(r->members[j].rest_permanent))
      r->largest_cost = fmax(r->largest_cost, fabs(r->members[j].rest_permanent));
    if (isfinite(r->members[j].rest_transit))
      r->largest_cost = fmax(r->largest_cost, fabs(r->members[j].rest_transit));
  }
  return 1;
}

/* The count in {0} and [low, limit] where cost - price * count is least:
 * the cost is convex, so its steps rise, and the count goes up while a
 * step costs less than the price. */
static int best_count(const count_cost *cc, double price) {
  int lo = cc->low > 0 ? cc->low : 0, hi = cc->limit;
  if (hi < lo)
    return 0;
  while (lo < hi) { /* the last k in [lo, hi] with step(k) < price */
    int mid = lo + (hi - lo + 1) / 2;
    if (cc->cost[mid] - cc->cost[mid - 1] < price)
      lo = mid;
    else
      hi = mid - 1;
  }
  if (lo > 0 && cc->cost[lo] - price * lo > 0.0)
    return 0;
  return lo;
}

/* A member's best choice in an area at the multipliers: its least cost,
 * the unit (-1: one of the rest) and whether it is permanent. */
static double best_choice(const relaxation *r, const member_choice *mc,
                          const double *price, int *unit, int *in_permanent) {
  const bp_case *k = r->kase;
  double lambda = price[r->lambda_at + 2];
  double best = mc->rest_transit;
  *unit = -1;
  *in_permanent = 0;
  if (mc->rest_permanent - lambda < best) {
    best = mc->rest_permanent - lambda;
    *in_permanent = 1;
  }
  for (int j = 0; j < mc->n_units; j++) {
    int u = r->unit_index[mc->first_unit + (size_t)j];
    const bp_unit *un = &k->units[u];
    double v = r->unit_cost[mc->first_unit + (size_t)j] + price[r->unit_at + (size_t)u];
    if (un->building_index >= 0)
      v += price[r->building_at + (size_t)un->building_index];
    int permanent = un->kind != BP_UNIT_TRANSIT;
    if (permanent)
      v -= lambda;
    if (v < best) {
      best = v;
      *unit = u;
      *in_permanent = permanent;
    }
  }
  return best;
}

/* A chooser's cost in an area at the multipliers; INFINITY when it cannot
 * beat `best` (the units' multipliers are >= 0, so no member pays less
 * than its least pair cost less lambda_3). */
static double option_value(const relaxation *r, const chooser *ch,
                           const area_option *op, double base,
                           const double *price, double best) {
  const double *lambda = price + r->lambda_at;
  int a = op->area, s = r->school_of_area[a], d = r->daycare_of_area[a];
  double v = base + price[a] * ch->n_members;
  if (s >= 0)
    v += price[s] * ch->school_children;
  if (d >= 0)
    v += price[d] * ch->daycare_children;
  if (v + op->least - lambda[2] * ch->n_members >= best)
    return INFINITY;
  for (int j = 0; j < ch->n_members; j++) {
    int unit, in_permanent;
    v += best_choice(r, &r->members[op->first_member + (size_t)j], price, &unit,
                     &in_permanent);
  }
  return v;
}

/* The Lagrangian function at the multipliers, with its subgradient.  A
 * full evaluation reads every area a chooser may pick and is a bound; in
 * between (full = 0) only each chooser's shortlist from the last full
 * one, a value at least the function's, for the direction only.  What
 * it returns is the value less a bound on the rounding in its sums (each
 * term's magnitude times the number of roundings, with the unit roundoff
 * 2^-53), so that large multipliers cannot round it above the optimum. */
static double evaluate(relaxation *r, const double *price, double *slope,
                       int full) {
  const bp_case *k = r->kase;
  size_t nc = r->n_counts;
  const double *lambda = price + r->lambda_at;
  double value = 0.0, magnitude = 0.0, largest = 0.0;
  for (size_t j = 0; j < r->n_multipliers; j++)
    largest = fmax(largest, fabs(price[j]));
  for (size_t e = 0; e < nc; e++) {
    const count_cost *cc = &r->counts[e];
    int n = best_count(cc, price[e]);
    slope[e] = -n;
    value += cc->cost[n] - price[e] * n;
    magnitude += fabs(cc->cost[n]) + fabs(price[e] * n);
  }
  for (size_t u = 0; u < k->n_units; u++) {
    slope[r->unit_at + u] = -k->units[u].places;
    value -= price[r->unit_at + u] * k->units[u].places;
    magnitude += price[r->unit_at + u] * k->units[u].places;
  }
  int per_building = k->policy.max_new_per_building;
  for (size_t b = 0; b < k->n_buildings; b++) {
    slope[r->building_at + b] = per_building > 0 ? -per_building : 0.0;
    value -= price[r->building_at + b] * (per_building > 0 ? per_building : 0);
    magnitude += price[r->building_at + b] * (per_building > 0 ? per_building : 0);
  }
  /* A chooser's every option sums at most these, each at most so large
   * (summed over the choosers once, in make_counts). */
  magnitude += fabs(lambda[0]) * r->all_members + fabs(lambda[1]) * r->all_waiting +
               largest * r->all_counted + r->all_members * (r->largest_cost + 3 * largest);
  double housed = 0, waiting = 0, permanent = 0;
  for (size_t c = 0; c < r->n_choosers; c++) {
    const chooser *ch = &r->choosers[c];
    double base = -lambda[0] * ch->n_members - lambda[1] * ch->waiting;
    double best = ch->must_house ? INFINITY : 0.0;
    size_t best_option = (size_t)-1;
    if (full) {
      /* Every multiplier is >= 0: no member pays less than its least pair
       * cost less lambda_3, and the options come cheapest first, so from
       * the first that cannot win on that alone none can (at the national
       * size most are never read).  The best few are the chooser's
       * shortlist for the steps between full ones. */
      int *list = &r->shortlist[c * SHORTLIST];
      double list_value[SHORTLIST];
      int listed = 0;
      for (size_t o = ch->first_option; o < ch->first_option + ch->n_options; o++) {
        if (base + r->options[o].least - lambda[2] * ch->n_members >= best)
          break;
        double v = option_value(r, ch, &r->options[o], base, price, best);
        if (listed < SHORTLIST || v < list_value[SHORTLIST - 1]) {
          int j = listed < SHORTLIST ? listed++ : SHORTLIST - 1;
          for (; j > 0 && list_value[j - 1] > v; j--) {
            list_value[j] = list_value[j - 1];
            list[j] = list[j - 1];
          }
          list_value[j] = v;
          list[j] = (int)(o - ch->first_option);
        }
        if (v < best) {
          best = v;
          best_option = o;
        }
      }
      r->listed[c] = (unsigned char)listed;
    } else {
      for (int j = 0; j < r->listed[c]; j++) {
        size_t o = ch->first_option + (size_t)r->shortlist[c * SHORTLIST + (size_t)j];
        double v = option_value(r, ch, &r->options[o], base, price, best);
        if (v < best) {
          best = v;
          best_option = o;
        }
      }
    }
    if (best_option == (size_t)-1)
      continue;
    value += best;
    const area_option *op = &r->options[best_option];
    int a = op->area;
    slope[a] += ch->n_members;
    if (r->school_of_area[a] >= 0)
      slope[r->school_of_area[a]] += ch->school_children;
    if (r->daycare_of_area[a] >= 0)
      slope[r->daycare_of_area[a]] += ch->daycare_children;
    housed += ch->n_members;
    waiting += ch->waiting;
    for (int j = 0; j < ch->n_members; j++) {
      int unit, in_permanent;
      best_choice(r, &r->members[op->first_member + (size_t)j], price, &unit,
                  &in_permanent);
      permanent += in_permanent;
      if (unit < 0)
        continue;
      slope[r->unit_at + (size_t)unit] += 1;
      int b = k->units[unit].building_index;
      if (b >= 0 && per_building > 0)
        slope[r->building_at + (size_t)b] += 1;
    }
  }
  slope[r->lambda_at] = r->goal[0] - housed;
  slope[r->lambda_at + 1] = r->goal[1] - waiting;
  slope[r->lambda_at + 2] = r->goal[2] - permanent;
  for (int q = 0; q < 3; q++) {
    value += lambda[q] * r->goal[q];
    magnitude += fabs(lambda[q] * r->goal[q]);
  }
  /* Roundings: one per term of the sum and at most 64 within a chooser's
   * option (a group of six: base, three prices, five per member). */
  double roundings = (double)(nc + k->n_units + k->n_buildings + 3) + 64.0;
  return value - roundings * 0x1p-53 * 2 * magnitude;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Prices from the incumbent's counts (the middle of each count's steps
 * around it, where an LP dual lies), and lambda_1 where about as many
 * households as tier 1 fixed would take their best area. */
static void start_from(const relaxation *r, const int *count, double *price) {
  size_t nc = r->n_counts;
  for (size_t j = 0; j < r->n_multipliers; j++)
    price[j] = 0.0;
  for (size_t e = 0; e < nc; e++) {
    const count_cost *cc = &r->counts[e];
    if (cc->limit == 0)
      continue;
    int j = count[e] < cc->limit ? count[e] : cc->limit;
    double up = j < cc->limit ? cc->cost[j + 1] - cc->cost[j] : cc->cost[j] - cc->cost[j - 1];
    double down = j > 0 ? cc->cost[j] - cc->cost[j - 1] : 0.0;
    price[e] = 0.5 * (up + down);
  }
  /* Each chooser's best area at these prices, per member, cheapest first. */
  double *per_member = bp_alloc((r->n_choosers + 1) * sizeof *per_member);
  size_t n = 0;
  double must = 0;
  for (size_t c = 0; c < r->n_choosers; c++) {
    const chooser *ch = &r->choosers[c];
    if (ch->must_house) {
      must += ch->n_members;
      continue;
    }
    double best = INFINITY;
    for (size_t o = ch->first_option; o < ch->first_option + ch->n_options; o++) {
      const area_option *op = &r->options[o];
      int a = op->area, s = r->school_of_area[a], dc = r->daycare_of_area[a];
      double v = price[a] * ch->n_members;
      if (s >= 0)
        v += price[s] * ch->school_children;
      if (dc >= 0)
        v += price[dc] * ch->daycare_children;
      for (int j = 0; j < ch->n_members; j++) {
        int unit, in_permanent;
        v += best_choice(r, &r->members[op->first_member + (size_t)j], price,
                         &unit, &in_permanent);
      }
      best = fmin(best, v);
    }
    per_member[n++] = best / ch->n_members;
  }
  qsort(per_member, n, sizeof *per_member, compare_doubles);
  size_t needed = r->goal[0] > must ? (size_t)(r->goal[0] - must) : 0;
  if (needed > 0 && n > 0)
    price[r->lambda_at] = fmax(0.0, per_member[(needed < n ? needed : n) - 1]);
  free(per_member);
}

static void relaxation_free(relaxation *r) {
  free(r->choosers);
  free(r->options);
  free(r->members);
  free(r->unit_index);
  free(r->unit_cost);
  for (size_t e = 0; r->counts && e < r->n_counts; e++)
    free(r->counts[e].cost);
  free(r->counts);
  free(r->school_of_area);
  free(r->daycare_of_area);
  free(r->unit_reached);
  free(r->shortlist);
  free(r->listed);
}

struct bp_soft_bound_run {
  relaxation r;
  double deadline, started;
  int trace, in_background;
  pthread_t thread;
  /* What the solver tells it (bp_soft_bound_aim), under the lock. */
  pthread_mutex_t lock;
  atomic_int stop;
  int aims;               /* how many so far */
  double goal[3];         /* tiers 1-3 at least these */
  double incumbent;       /* a proposal's soft cost at them, NAN = none */
  int *count_now;         /* that proposal's counts, for the first prices */
  /* The result: the best value found under each aim's goals, which it
   * holds under.  run->best is the current aim's, for the steps. */
  double best;
  struct {
    double best, goal[3];
  } level[MOST_AIMS];
  int iterations;
  double seconds;         /* the climb's own time */
};

static void build(bp_soft_bound_run *run) {
  relaxation *r = &run->r;
  const bp_case *k = r->kase;
  size_t na = r->n_areas;
  int *area_stamp = bp_alloc((na + 1) * sizeof *area_stamp);
  int *slot = bp_alloc((na + 1) * sizeof *slot);
  int *areas = bp_alloc((na + 1) * sizeof *areas);
  area_scratch *scratch = bp_alloc((na + 1) * sizeof *scratch);
  int *members_in = bp_alloc((na + 1) * sizeof *members_in);
  for (size_t a = 0; a < na; a++)
    area_stamp[a] = -1;
  r->choosers = bp_calloc(k->n_households + 1, sizeof *r->choosers);
  for (size_t h = 0; h < k->n_households && !atomic_load(&run->stop); h++) {
    int g = k->households[h].group;
    if (g < 0 || k->groups[g].n_members < 2)
      add_household(r, (int)h, area_stamp, slot, areas, scratch);
  }
  for (size_t g = 0; g < k->n_groups; g++) {
    const bp_group *group = &k->groups[g];
    if (group->n_members < 2)
      continue;
    area_scratch *by_member = bp_alloc((na + 1) * (size_t)group->n_members *
                                       sizeof *by_member);
    add_group(r, group, area_stamp, slot, areas, scratch, members_in, by_member);
    free(by_member);
  }
  free(area_stamp);
  free(slot);
  free(areas);
  free(scratch);
  free(members_in);
}

/* Takes the solver's latest aim: 1 when there is a new one. */
static int take_aim(bp_soft_bound_run *run, int *seen, double *price) {
  relaxation *r = &run->r;
  pthread_mutex_lock(&run->lock);
  int fresh = run->aims != *seen;
  int first = *seen == 0;
  if (fresh) {
    *seen = run->aims;
    r->goal[0] = run->goal[0];
    r->goal[1] = run->goal[1] / r->waiting_scale;
    r->goal[2] = run->goal[2];
    r->target = run->incumbent;
    if (first)
      start_from(r, run->count_now, price);
  }
  pthread_mutex_unlock(&run->lock);
  if (fresh && run->trace)
    fprintf(stderr, "boplace:   soft bound: aimed at tiers 1-3 >= %.9g, %.9g, %.9g and %.9g (best so far %.6g after %d steps), %.2f s\n",
            r->goal[0], r->goal[1] * r->waiting_scale, r->goal[2], r->target, run->best,
            run->iterations,
            bp_clock_seconds() - run->started);
  return fresh;
}

/* Builds the relaxation, then climbs from each aim the solver gives, until
 * the deadline or the stop.  In the background it waits for aims while it
 * has none or has stalled. */
static void *climb(void *arg) {
  bp_soft_bound_run *run = arg;
  relaxation *r = &run->r;
  build(run);
  run->best = -INFINITY;
  if (atomic_load(&run->stop) || !make_counts(r)) {
    run->seconds = bp_clock_seconds() - run->started;
    return NULL;
  }
  r->shortlist = bp_alloc((r->n_choosers * SHORTLIST + 1) * sizeof *r->shortlist);
  r->listed = bp_calloc(r->n_choosers + 1, 1);
  size_t n = r->n_multipliers;
  double *price = bp_calloc(n, sizeof *price);
  double *slope = bp_alloc(n * sizeof *slope);
  double *direction = bp_calloc(n, sizeof *direction);
  double *best_price = bp_alloc(n * sizeof *best_price);
  /* Polyak's steps toward a target level best + delta (a "variable
   * target" method): delta grows while the steps reach it and halves,
   * back at the best multipliers, when 20 steps bring nothing.  The
   * proposal's cost caps the target; aimed at it alone, the steps were
   * far too long while the goals were lower than the run's (L: 12,056
   * against 12,714). */
  double delta = 0.0;
  int seen = 0, since_better = 0, stalled = 1;
  while (!atomic_load(&run->stop) && bp_clock_seconds() < run->deadline) {
    if (take_aim(run, &seen, price)) {
      stalled = 0;
      delta = 0.0;
      since_better = 0;
      memset(direction, 0, n * sizeof *direction);
      run->best = -INFINITY; /* the steps' best, under these goals */
    }
    if (stalled) {
      if (!run->in_background)
        break;
      struct timespec pause = {0, 2000000}; /* 2 ms: the solver's next aim */
      nanosleep(&pause, NULL);
      continue;
    }
    int full = isinf(run->best) || run->iterations % FULL_EVERY == 0;
    double value = evaluate(r, price, slope, full);
    run->iterations++;
    if (delta == 0.0)
      delta = 0.05 * fabs(value) + 1e-3;
    if (full && value > run->level[seen - 1].best)
      run->level[seen - 1].best = value;
    if (full && (isinf(run->best) || value > run->best + 1e-9 * (1.0 + fabs(run->best)))) {
      if (!isinf(run->best) && value >= run->best + 0.5 * delta)
        delta *= 1.5; /* the steps reach the target: aim higher */
      run->best = value;
      memcpy(best_price, price, n * sizeof *best_price);
      since_better = 0;
    } else if (++since_better >= 20) {
      /* Back to the best multipliers, aiming lower. */
      delta /= 2;
      since_better = 0;
      memcpy(price, best_price, n * sizeof *price);
      memset(direction, 0, n * sizeof *direction);
      value = evaluate(r, price, slope, 1);
      full = 1;
    }
    if (!isnan(r->target) && r->target > run->best && delta > r->target - run->best)
      delta = r->target - run->best;
    /* Deflected: half the last direction goes on, which damps the
     * zigzag between steps (at M the bound rose by 1-9). */
    for (size_t j = 0; j < n; j++)
      slope[j] += 0.5 * direction[j];
    /* The multipliers stay >= 0: at 0, a step down is no step. */
    for (size_t j = 0; j < n; j++)
      if (price[j] <= 0.0 && slope[j] < 0.0)
        slope[j] = 0.0;
    memcpy(direction, slope, n * sizeof *direction);
    double norm = 0.0;
    for (size_t j = 0; j < n; j++)
      norm += slope[j] * slope[j];
    if ((full && (norm == 0.0 || value >= r->target)) ||
        delta < 1e-7 * (1.0 + fabs(run->best))) {
      stalled = 1; /* at the relaxation's optimum, the proposal proven, or no headway */
      continue;
    }
    double step = (run->best + delta - value) / norm;
    for (size_t j = 0; j < n; j++)
      price[j] += step * slope[j];
    for (size_t j = 0; j < n; j++)
      if (price[j] < 0.0)
        price[j] = 0.0;
  }
  free(price);
  free(slope);
  free(direction);
  free(best_price);
  run->seconds = bp_clock_seconds() - run->started;
  return NULL;
}

bp_soft_bound_run *bp_soft_bound_start(const bp_case *k, const bp_derived *d,
                                       double deadline, int in_background,
                                       int trace) {
  bp_soft_bound_run *run = bp_calloc(1, sizeof *run);
  relaxation *r = &run->r;
  run->started = bp_clock_seconds();
  run->deadline = deadline;
  run->trace = trace;
  run->best = -INFINITY;
  run->incumbent = NAN;
  atomic_init(&run->stop, 0);
  pthread_mutex_init(&run->lock, NULL);
  r->kase = k;
  r->derived = d;
  r->n_areas = k->n_areas;
  r->n_schools = k->n_schools;
  r->n_daycares = k->n_daycares;
  r->n_counts = r->n_areas + r->n_schools + r->n_daycares;
  r->lambda_at = r->n_counts;
  r->unit_at = r->lambda_at + 3;
  r->building_at = r->unit_at + k->n_units;
  r->n_multipliers = r->building_at + k->n_buildings;
  r->unit_reached = bp_calloc(k->n_units + 1, 1);
  r->listed_units = d->n_candidates <= PAIRS_FOR_MOST_LISTED ? MOST_LISTED_UNITS
                                                             : FEW_LISTED_UNITS;
  /* BOPLACE_SOFT_BOUND_UNITS (1 to 16) overrides it, so that the tests can
   * make "the rest" carry most of the choice on small cases. */
  const char *units_env = getenv("BOPLACE_SOFT_BOUND_UNITS");
  int units = units_env ? atoi(units_env) : 0;
  if (units >= 1 && units <= MOST_LISTED_UNITS)
    r->listed_units = units;
  r->target = NAN;
  /* Waiting days over their mean: the subgradient's waiting entry then
   * weighs like its counts. */
  double days = 0;
  for (size_t h = 0; h < k->n_households; h++)
    days += k->households[h].waiting_days;
  r->waiting_scale = days > k->n_households ? days / k->n_households : 1.0;
  r->school_of_area = bp_alloc((r->n_areas + 1) * sizeof *r->school_of_area);
  r->daycare_of_area = bp_alloc((r->n_areas + 1) * sizeof *r->daycare_of_area);
  for (size_t a = 0; a < r->n_areas; a++) {
    int s = k->areas[a].school, dc = k->areas[a].daycare;
    r->school_of_area[a] = s >= 0 ? (int)(r->n_areas + (size_t)s) : -1;
    r->daycare_of_area[a] = dc >= 0 ? (int)(r->n_areas + r->n_schools + (size_t)dc) : -1;
  }
  run->count_now = bp_calloc(r->n_counts + 1, sizeof *run->count_now);
  /* A model of the pool classes (a household stands for several) is not
   * one the relaxation describes: it says nothing there. */
  if (d->household_count)
    atomic_store(&run->stop, 1);
  /* Set before the thread starts, which reads it. */
  run->in_background = in_background && !d->household_count;
  if (run->in_background && pthread_create(&run->thread, NULL, climb, run) != 0)
    run->in_background = 0;
  return run;
}

void bp_soft_bound_aim(bp_soft_bound_run *run, const double *goal,
                       double incumbent, const int *chosen) {
  const relaxation *r = &run->r;
  const bp_case *k = r->kase;
  const bp_derived *d = r->derived;
  int *count = bp_calloc(r->n_counts + 1, sizeof *count);
  double cost = 0.0;
  for (size_t h = 0; chosen && h < k->n_households; h++) {
    if (chosen[h] < 0)
      continue;
    cost += d->candidates[chosen[h]].pair_cost;
    int a = k->units[d->candidates[chosen[h]].unit].area;
    count[a]++;
    if (r->school_of_area[a] >= 0)
      count[r->school_of_area[a]] += k->households[h].children_6_16;
    if (r->daycare_of_area[a] >= 0)
      count[r->daycare_of_area[a]] += k->households[h].children_0_5;
  }
  if (isnan(incumbent) && chosen) {
    /* The proposal's soft cost, t and o at their least (as improve.c). */
    for (size_t a = 0; a < r->n_areas; a++)
      cost += bp_count_cost(&k->policy, k->areas[a].newcomer_households,
                            k->areas[a].households, d->area_cap[a], count[a]);
    for (size_t i = 0; i < r->n_schools + r->n_daycares; i++) {
      int daycare = i >= r->n_schools;
      size_t j = daycare ? i - r->n_schools : i;
      const bp_institution *in = daycare ? &k->daycares[j] : &k->schools[j];
      cost += bp_count_cost(&k->policy, in->bilingual, in->enrolled,
                            daycare ? d->daycare_cap[j] : d->school_cap[j],
                            count[r->n_areas + i]);
    }
    incumbent = cost;
  }
  pthread_mutex_lock(&run->lock);
  if (run->aims < MOST_AIMS) {
    for (int q = 0; q < 3; q++)
      run->goal[q] = run->level[run->aims].goal[q] = goal[q];
    run->level[run->aims].best = -INFINITY;
    run->incumbent = incumbent;
    if (run->aims == 0 && chosen)
      memcpy(run->count_now, count, r->n_counts * sizeof *count);
    run->aims++;
  }
  pthread_mutex_unlock(&run->lock);
  free(count);
}

double bp_soft_bound_finish(bp_soft_bound_run *run, const double *goal) {
  if (run->in_background) {
    atomic_store(&run->stop, 1);
    pthread_join(run->thread, NULL);
  } else if (!atomic_load(&run->stop)) {
    climb(run); /* here, until the deadline or a stall */
  }
  /* A value holds under the goals it was found under: for the run, only
   * those whose goals its tiers reached. */
  double best = -INFINITY;
  for (int l = 0; goal && l < run->aims; l++) {
    int reached = 1;
    for (int q = 0; q < 3; q++)
      reached &= goal[q] >= run->level[l].goal[q] - 1e-9;
    if (reached)
      best = fmax(best, run->level[l].best);
  }
  if (run->trace && run->r.n_counts > 0)
    fprintf(stderr, "boplace:   soft bound (Lagrangian, %zu choosers, %zu areas, %zu units to choose): %.6g after %d steps, %.2f s\n",
            run->r.n_choosers, run->r.n_options, run->r.n_units, best, run->iterations,
            run->seconds);
  relaxation_free(&run->r);
  pthread_mutex_destroy(&run->lock);
  free(run->count_now);
  free(run);
  /* Rounding in the sums: a hair below, never above. */
  return isinf(best) ? best : best - 1e-9 * (1.0 + fabs(best));
}
