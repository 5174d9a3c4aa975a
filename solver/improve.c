/**
 * @file improve.c
 * @brief Local search on a feasible proposal (improve.h): ejection chains
 *        that house more households, then swaps and relocations for the
 *        later tiers.
 *
 * The state is the proposal plus what it uses of every rule that spans
 * households, counted as greedy.c counts them: unit places (C2), area room
 * (C3), school seats and bilingual room in children (C4, C5), daycare
 * places and bilingual room (C6, C7), max_new_per_building (C8).  Every
 * change goes through set(), which journals it, so that a tentative chain
 * of changes can be undone exactly; a chain is kept only when, at its end,
 *
 *   - every area it touched keeps min_cluster (C9): a fresh area holds 0 or
 *     at least m households (during a chain an area may pass through m - 1,
 *     which is why the check is at the end and not at each step), and
 *   - the tiers are strictly better, lexicographically (improve.h).
 *
 * The caps are upper bounds on counts, so "fits" (every cap still holds
 * with one more placement) plus the end-of-chain check keep every rule.
 * Groups (C10, C11) are only placed and moved whole, by group_insert() and
 * group_move(); no chain moves a placed group member or a place-locked
 * household (C12).
 *
 * The moves, in the order they are tried:
 *
 *   tier 1  insert: an unplaced household takes a unit where it fits
 *           (chain depth 0); a group takes one area where every member
 *           fits, or else the first where its members fit by pushing one
 *           household each out of the way (who settles elsewhere, or, at
 *           worst, one is left out: the group's members outnumber them);
 *           unplaced households open a fresh area together, at least
 *           m of them at once, joined by housed households from
 *           elsewhere where they are fewer;
 *           ejection chain (augmenting path): unplaced h takes candidate i,
 *           where one household h2 stands in the way (the unit's occupant,
 *           or a household in the same area, school district, daycare
 *           district or building, as the first binding cap says); h2 then
 *           settles the same way, to depth MAX_DEPTH.  Each household is
 *           expanded at most once per search (as in augmenting-path
 *           matching), so one search is linear in the candidates reached.
 *   tier 2  the same chains from an unplaced household, where the last
 *           household pushed out may stay unplaced if it waited less than
 *           the one that started the chain; and, in bp_improve_waiting()
 *           only, two households out of a school's seats or a daycare's
 *           places at once, one settling elsewhere and one, who waited
 *           less, left out (push_two());
 *   tier 3  a household in a transit unit moves to a permanent one,
 *           directly or by pushing one household elsewhere; a group with a
 *           member in transit moves whole to the area where its members'
 *           best units leave the best tiers;
 *   tier 4  a household moves to the candidate that lowers the soft cost
 *           most, or two households swap units; a group moves whole, as in
 *           tier 3.
 *
 * Soft cost is the model's whole tier 4 (improve.h): pair_cost plus the
 * spread (C13) and near-cap (C14) terms, kept up to date per count.
 *
 * bp_round_lp() (at the end) builds a proposal from LP values on the same
 * state, through the same set() and fits(), and then runs this search.
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "improve.h"
#include "model.h"

/* Longest chain of pushed households behind the one being housed: 3 finds
 * the paths that matter on the benchmark in milliseconds; deeper chains
 * mostly re-find the same rooms at much higher cost. */
#define MAX_DEPTH 3
/* Households one search may expand: bounds a failing search on a large
 * case, where the chains could otherwise reach every household. */
#define SEARCH_BUDGET 4000
/* Soft-cost steps smaller than this are rounding, not improvement. */
#define SOFT_EPSILON 1e-6

typedef struct {
  long housed, waiting, permanent;
  double soft;
} tiers;

/* One change of one household's candidate, with the tiers before it. */
typedef struct {
  int household, old;
  tiers before;
} step;

typedef enum {
  BLOCK_NONE,
  BLOCK_UNIT,
  BLOCK_AREA,
  BLOCK_SCHOOL,
  BLOCK_DAYCARE,
  BLOCK_BUILDING
} block;

typedef struct {
  size_t *first; /* CSR: areas of entry e are list[first[e] .. first[e+1]) */
  int *list;
} area_index;

/* A household with its waiting days, for sorting without shared state. */
typedef struct {
  int waiting_days;
  int household;
} turn;

/* What one area says to one household during a scan (view()). */
typedef struct {
  int stamp;   /* the scan it was worked out for */
  block why;   /* the area-wide cap the household would break, or none */
  int closed;  /* a fresh empty area: cannot open with one household */
  double soft; /* the spread and near-cap cost it would add */
} area_view;

typedef struct {
  const bp_case *kase;
  const bp_derived *d;
  int *chosen;
  /* The units' figures the inner loops need, in small arrays. */
  int *unit_area, *unit_places, *unit_building;
  unsigned char *unit_transit;
  /* Per unit, its households: a list through next_in_unit (-1 ends). */
  int *unit_head, *next_in_unit;
  /* What the proposal uses, as greedy.c counts it. */
  int *unit_used, *area_used, *school_used, *daycare_used, *building_used;
  /* Per area, its placed households, to find who stands in a chain's way. */
  int **occupants;
  int *n_occupants, *occupant_capacity;
  int *slot; /* per household: its place in its area's list */
  unsigned char *movable; /* single (no group of two or more), not locked */
  unsigned char *fresh;   /* per area: (C9) applies */
  area_index school_areas, daycare_areas, building_areas;
  tiers now;
  step *journal;
  size_t n_journal, journal_capacity;
  /* The search: households expanded in this one, and pushed-out lists. */
  int *seen;
  int search_id;
  /* Per area, school, daycare, building: offered to pushes in this search. */
  int *area_offered, *school_offered, *daycare_offered, *building_offered;
  area_view *views; /* per area */
  int scan_id;
  /* Per household: may it move anywhere else (mobile()), as of `known`
   * (commits + 1; 0 = not known).  Commits count the accepted moves. */
  int *mobile_known;
  unsigned char *is_mobile;
  int commits;
  int *pushed[MAX_DEPTH + 1];
  int push_two; /* tier 2 tries push_two() too (bp_improve_waiting) */
  long budget;
  double deadline;
  unsigned ticks;
  int out_of_time;
  /* CSR over the fresh areas: the candidates in each, for open_cluster()
   * to move placed households in; built on first need. */
  size_t *fresh_first;
  int *fresh_list;
  turn *turns; /* scratch for list_unplaced() */
  int *unplaced; /* scratch for the moves: households in serving order */
} search;

/* Looks at the clock every 1024 calls: cheap enough for inner loops. */
static int time_up(search *s) {
  if (!s->out_of_time && (++s->ticks & 1023u) == 0 &&
      bp_clock_seconds() >= s->deadline)
    s->out_of_time = 1;
  return s->out_of_time;
}

/* ------------------------------------------------------------------ */
/* Tiers and soft cost                                                 */
/* ------------------------------------------------------------------ */

/* W_spread f(k) + W_near_cap o(k) of one count (formulation.md §5, (C13)
 * and (C14) at their least values), as greedy.c's fill_figures. */
static double count_cost(const search *s, int base, int total, double cap,
                         int k) {
  return bp_count_cost(&s->kase->policy, base, total, cap, k);
}

static double area_cost(const search *s, int a, int k) {
  const bp_area *area = &s->kase->areas[a];
  return count_cost(s, area->newcomer_households, area->households,
                    s->d->area_cap[a], k);
}

static double institution_cost(const search *s, int daycare, int i, int k) {
  const bp_institution *in =
      daycare ? &s->kase->daycares[i] : &s->kase->schools[i];
  return count_cost(s, in->bilingual, in->enrolled,
                    daycare ? s->d->daycare_cap[i] : s->d->school_cap[i], k);
}

/* Lexicographic: is a strictly better than b? */
static int better(const tiers *a, const tiers *b) {
  if (a->housed != b->housed)
    return a->housed > b->housed;
  if (a->waiting != b->waiting)
    return a->waiting > b->waiting;
  if (a->permanent != b->permanent)
    return a->permanent > b->permanent;
  return a->soft < b->soft - SOFT_EPSILON;
}

/* ------------------------------------------------------------------ */
/* The state: counts, occupants, journal                               */
/* ------------------------------------------------------------------ */

/* Adds (sign 1) or removes (sign -1) household h's placement by candidate
 * i, with every count, occupant list and tier that depends on it. */
static void account(search *s, int h, int i, int sign) {
  const bp_case *k = s->kase;
  const bp_candidate *c = &s->d->candidates[i];
  const bp_household *hh = &k->households[h];
  const bp_unit *u = &k->units[c->unit];
  int a = u->area;
  const bp_area *area = &k->areas[a];
  s->unit_used[c->unit] += sign;
  s->now.soft -= area_cost(s, a, s->area_used[a]);
  s->area_used[a] += sign;
  s->now.soft += area_cost(s, a, s->area_used[a]);
  if (hh->children_6_16 > 0) {
    int sc = area->school;
    s->now.soft -= institution_cost(s, 0, sc, s->school_used[sc]);
    s->school_used[sc] += sign * hh->children_6_16;
    s->now.soft += institution_cost(s, 0, sc, s->school_used[sc]);
  }
  if (hh->children_0_5 > 0 && area->daycare >= 0) {
    int dc = area->daycare;
    s->now.soft -= institution_cost(s, 1, dc, s->daycare_used[dc]);
    s->daycare_used[dc] += sign * hh->children_0_5;
    s->now.soft += institution_cost(s, 1, dc, s->daycare_used[dc]);
  }
  if (u->building_index >= 0)
    s->building_used[u->building_index] += sign;
  s->now.housed += sign;
  s->now.waiting += sign * (long)hh->waiting_days;
  s->now.permanent += sign * (u->kind != BP_UNIT_TRANSIT);
  s->now.soft += sign * c->pair_cost;
  if (sign > 0) {
    s->next_in_unit[h] = s->unit_head[c->unit];
    s->unit_head[c->unit] = h;
  } else {
    int *at = &s->unit_head[c->unit];
    while (*at != h)
      at = &s->next_in_unit[*at];
    *at = s->next_in_unit[h];
  }
  if (sign > 0) {
    if (s->n_occupants[a] == s->occupant_capacity[a]) {
      s->occupant_capacity[a] = 2 * s->occupant_capacity[a] + 8;
      s->occupants[a] = bp_realloc(
          s->occupants[a], (size_t)s->occupant_capacity[a] * sizeof(int));
    }
    s->slot[h] = s->n_occupants[a];
    s->occupants[a][s->n_occupants[a]++] = h;
  } else {
    int last = s->occupants[a][--s->n_occupants[a]];
    s->occupants[a][s->slot[h]] = last;
    s->slot[last] = s->slot[h];
  }
}

/* Gives household h candidate i (-1 = unplaced), journalled. */
static void set(search *s, int h, int i) {
  if (s->n_journal == s->journal_capacity) {
    s->journal_capacity = 2 * s->journal_capacity + 16;
    s->journal =
        bp_realloc(s->journal, s->journal_capacity * sizeof *s->journal);
  }
  s->journal[s->n_journal++] = (step){h, s->chosen[h], s->now};
  if (s->chosen[h] >= 0)
    account(s, h, s->chosen[h], -1);
  s->chosen[h] = i;
  if (i >= 0)
    account(s, h, i, 1);
}

/* Undoes the journal back to `mark`; the tiers come back bit for bit. */
static void undo_to(search *s, size_t mark) {
  while (s->n_journal > mark) {
    step *e = &s->journal[--s->n_journal];
    if (s->chosen[e->household] >= 0)
      account(s, e->household, s->chosen[e->household], -1);
    s->chosen[e->household] = e->old;
    if (e->old >= 0)
      account(s, e->household, e->old, 1);
    s->now = e->before;
  }
}

/* Makes the journalled changes final: one improving move. */
static void commit(search *s) {
  s->n_journal = 0;
  s->commits++;
}

static int area_of(const search *s, int i) {
  return s->unit_area[s->d->candidates[i].unit];
}

/* (C9) for one area. */
static int cluster_ok(const search *s, int a) {
  int k = s->area_used[a];
  return !s->fresh[a] || k == 0 || k >= s->kase->policy.min_cluster;
}

/* Does every area the journalled changes touched keep min_cluster? */
static int clusters_ok(const search *s) {
  for (size_t j = 0; j < s->n_journal; j++) {
    const step *e = &s->journal[j];
    if (e->old >= 0 && !cluster_ok(s, area_of(s, e->old)))
      return 0;
    int now = s->chosen[e->household];
    if (now >= 0 && !cluster_ok(s, area_of(s, now)))
      return 0;
  }
  return 1;
}

/* May the journalled changes be kept?  They keep min_cluster, and the
 * tiers are better than before the first change. */
static int end_ok(const search *s) {
  return s->n_journal > 0 && clusters_ok(s) &&
         better(&s->now, &s->journal[0].before);
}

/* The most children a school (daycare) may take in all: its free seats
 * (places) and its bilingual room, whichever is less. */
static long school_room(const search *s, int school) {
  long seats = s->kase->schools[school].free_seats;
  long bilingual = s->d->school_bilingual_room[school];
  return seats < bilingual ? seats : bilingual;
}

static long daycare_room(const search *s, int daycare) {
  long places = s->kase->daycares[daycare].free_seats;
  long bilingual = s->d->daycare_bilingual_room[daycare];
  return places < bilingual ? places : bilingual;
}

/* The first area-wide cap ((C3)-(C7)) that one more household h in area a
 * would break, BLOCK_NONE when there is room. */
static block area_block(const search *s, int h, int a) {
  const bp_case *k = s->kase;
  const bp_derived *d = s->d;
  const bp_household *hh = &k->households[h];
  const bp_area *area = &k->areas[a];
  if (s->area_used[a] >= d->area_room[a]) /* (C3) */
    return BLOCK_AREA;
  if (hh->children_6_16 > 0 && /* (C4), (C5) */
      (long)s->school_used[area->school] + hh->children_6_16 > school_room(s, area->school))
    return BLOCK_SCHOOL;
  if (hh->children_0_5 > 0) { /* (C6), (C7) */
    if (area->daycare < 0)
      return BLOCK_DAYCARE; /* derive keeps no such pair; never relieved */
    if ((long)s->daycare_used[area->daycare] + hh->children_0_5 > daycare_room(s, area->daycare))
      return BLOCK_DAYCARE;
  }
  return BLOCK_NONE;
}

/* The first cap that unplaced household h would break in unit u, BLOCK_NONE
 * when it fits: the upper bounds (C2)-(C8), unit first. */
static block blocked_by(const search *s, int h, int u) {
  if (s->unit_used[u] >= s->unit_places[u]) /* (C2) */
    return BLOCK_UNIT;
  block why = area_block(s, h, s->unit_area[u]);
  if (why != BLOCK_NONE)
    return why;
  int b = s->unit_building[u];
  if (b >= 0 && s->kase->policy.max_new_per_building > 0 &&
      s->building_used[b] >= s->kase->policy.max_new_per_building) /* (C8) */
    return BLOCK_BUILDING;
  return BLOCK_NONE;
}

static int fits(const search *s, int i) {
  const bp_candidate *c = &s->d->candidates[i];
  return blocked_by(s, c->household, c->unit) == BLOCK_NONE;
}

/* The soft cost one more household h adds to area a's counts: spread and
 * near-cap of the area, its school and its daycare (not the pair_cost). */
static double added_soft(const search *s, int h, int a) {
  const bp_household *hh = &s->kase->households[h];
  const bp_area *area = &s->kase->areas[a];
  int k = s->area_used[a];
  double soft = area_cost(s, a, k + 1) - area_cost(s, a, k);
  if (hh->children_6_16 > 0) {
    int used = s->school_used[area->school];
    soft += institution_cost(s, 0, area->school, used + hh->children_6_16) -
            institution_cost(s, 0, area->school, used);
  }
  if (hh->children_0_5 > 0 && area->daycare >= 0) {
    int used = s->daycare_used[area->daycare];
    soft += institution_cost(s, 1, area->daycare, used + hh->children_0_5) -
            institution_cost(s, 1, area->daycare, used);
  }
  return soft;
}

/* One scan of household h's candidates meets the same few areas over and
 * over: what each area says is worked out once per scan (a scan number in
 * `stamp`) while the state stays as it was when the scan began. */
static const area_view *view(search *s, int h, int a, int scan) {
  area_view *v = &s->views[a];
  if (v->stamp != scan) {
    v->stamp = scan;
    v->why = area_block(s, h, a);
    /* A fresh empty area cannot open with one household (C9). */
    v->closed = s->fresh[a] && s->area_used[a] == 0 &&
                s->kase->policy.min_cluster > 1;
    v->soft = v->why == BLOCK_NONE ? added_soft(s, h, a) : 0.0;
  }
  return v;
}

/* blocked_by() through the scan's area views. */
static block scan_block(search *s, int h, int u, int scan) {
  if (s->unit_used[u] >= s->unit_places[u])
    return BLOCK_UNIT;
  block why = view(s, h, s->unit_area[u], scan)->why;
  if (why != BLOCK_NONE)
    return why;
  int b = s->unit_building[u];
  if (b >= 0 && s->kase->policy.max_new_per_building > 0 &&
      s->building_used[b] >= s->kase->policy.max_new_per_building)
    return BLOCK_BUILDING;
  return BLOCK_NONE;
}

static int may_push(const search *s, int h2) {
  return s->movable[h2] && s->seen[h2] != s->search_id;
}

/* The households that stand in the way of unit u by its binding cap `why`
 * and may be pushed out: movable, placed, not yet expanded in this search.
 * A whole area, school, daycare or building is offered once per search:
 * its households are the same for every unit it blocks.  Writes them to
 * out; returns how many. */
static int in_the_way_of(search *s, int u, block why, int once, int *out) {
  const bp_case *k = s->kase;
  int a = s->unit_area[u];
  const bp_area *area = &k->areas[a];
  int n = 0;
  if (why == BLOCK_UNIT) {
    for (int h2 = s->unit_head[u]; h2 >= 0; h2 = s->next_in_unit[h2])
      if (may_push(s, h2))
        out[n++] = h2;
    return n;
  }
  const area_index *index = NULL;
  int *offered = NULL, entry = -1;
  switch (why) {
  case BLOCK_AREA:
    offered = s->area_offered;
    entry = a;
    break;
  case BLOCK_SCHOOL:
    index = &s->school_areas;
    offered = s->school_offered;
    entry = area->school;
    break;
  case BLOCK_DAYCARE:
    if (area->daycare < 0)
      return 0;
    index = &s->daycare_areas;
    offered = s->daycare_offered;
    entry = area->daycare;
    break;
  case BLOCK_BUILDING:
    index = &s->building_areas;
    offered = s->building_offered;
    entry = s->unit_building[u];
    break;
  default:
    return 0;
  }
  if (once) {
    if (offered[entry] == s->search_id)
      return 0;
    offered[entry] = s->search_id;
  }
  size_t from = index ? index->first[entry] : 0;
  size_t to = index ? index->first[entry + 1] : 1;
  for (size_t e = from; e < to; e++) {
    int in = index ? index->list[e] : a;
    for (int o = 0; o < s->n_occupants[in]; o++) {
      int h2 = s->occupants[in][o];
      if (!may_push(s, h2))
        continue;
      const bp_household *hh = &k->households[h2];
      int u2 = s->d->candidates[s->chosen[h2]].unit;
      if (why == BLOCK_AREA ||
          (why == BLOCK_SCHOOL && hh->children_6_16 > 0) ||
          (why == BLOCK_DAYCARE && hh->children_0_5 > 0) ||
          (why == BLOCK_BUILDING && s->unit_building[u2] == entry))
        out[n++] = h2;
    }
  }
  return n;
}

static int in_the_way(search *s, int u, block why, int *out) {
  return in_the_way_of(s, u, why, 1, out);
}

/* ------------------------------------------------------------------ */
/* Ejection chains                                                     */
/* ------------------------------------------------------------------ */

/* The best candidate for unplaced household h that fits, as a last step
 * of the chain in the journal; -1 when none keeps min_cluster and improves.
 * Every such step changes housed and waiting alike, so the best is the
 * most permanent, then the lowest soft cost; that is found from the area
 * views without trying each candidate, and only if the best breaks
 * min_cluster (in an area the chain emptied below m) are they tried one by
 * one. */
static int best_fit(search *s, int h, int permanent_only) {
  const bp_derived *d = s->d;
  size_t lo = d->first_candidate[h], hi = d->first_candidate[h + 1];
  int scan = ++s->scan_id, best = -1, best_permanent = -1;
  double best_soft = 0.0;
  for (size_t i = lo; i < hi; i++) {
    if (time_up(s))
      return -1;
    int u = d->candidates[i].unit;
    int permanent = !s->unit_transit[u];
    if ((permanent_only && !permanent) || permanent < best_permanent ||
        scan_block(s, h, u, scan) != BLOCK_NONE)
      continue;
    const area_view *v = view(s, h, s->unit_area[u], scan);
    if (v->closed)
      continue;
    double soft = d->candidates[i].pair_cost + v->soft;
    if (best < 0 || permanent > best_permanent || soft < best_soft) {
      best = (int)i;
      best_permanent = permanent;
      best_soft = soft;
    }
  }
  if (best < 0)
    return -1;
  size_t mark = s->n_journal;
  set(s, h, best);
  int clusters = clusters_ok(s), improves = end_ok(s);
  undo_to(s, mark);
  if (improves)
    return best;
  if (clusters)
    return -1; /* the best does not improve: none does */
  best = -1;
  tiers best_tiers = s->now;
  for (size_t i = lo; i < hi; i++) {
    if (time_up(s))
      return -1;
    if ((permanent_only && s->unit_transit[d->candidates[i].unit]) ||
        !fits(s, (int)i))
      continue;
    set(s, h, (int)i);
    if (end_ok(s) && (best < 0 || better(&s->now, &best_tiers))) {
      best = (int)i;
      best_tiers = s->now;
    }
    undo_to(s, mark);
  }
  return best;
}

/* Could household h2, just pushed out of candidate `old`, take any other
 * unit as things stand?  If not, it cannot once the household that pushed
 * it moves in either (that only uses more), so a chain that would end with
 * h2 is not worth trying.  Remembered until the next accepted move: a
 * chain's other steps change little for h2, and a stale answer only costs
 * a chain not tried, never a rule. */
static int mobile(search *s, int h2, int old) {
  if (s->mobile_known[h2] == s->commits + 1)
    return s->is_mobile[h2];
  const bp_derived *d = s->d;
  int scan = ++s->scan_id, found = 0;
  for (size_t i = d->first_candidate[h2];
       i < d->first_candidate[h2 + 1] && !found; i++) {
    int u = d->candidates[i].unit;
    found = (int)i != old && scan_block(s, h2, u, scan) == BLOCK_NONE &&
            !view(s, h2, s->unit_area[u], scan)->closed;
  }
  s->mobile_known[h2] = s->commits + 1;
  s->is_mobile[h2] = (unsigned char)found;
  return found;
}

/* Household h is unplaced (the start of a chain, or pushed out by it); the
 * chain so far is in the journal.  Ends the chain, best first:
 *   - h takes the candidate that fits and leaves the best tiers;
 *   - h stays unplaced, if it waited less than `drop_below` days;
 *   - (depth > 0) h takes a candidate where one household h2 is in the
 *     way, and h2 settles in turn with depth - 1.
 * Only permanent candidates for h when permanent_only (its first step).
 * Returns 1 with the chain applied when end_ok(); else 0 with the state
 * as on entry. */
static int settle(search *s, int h, int depth, long drop_below,
                  int permanent_only) {
  if (s->budget-- <= 0 || time_up(s))
    return 0;
  const bp_derived *d = s->d;
  s->seen[h] = s->search_id;
  size_t mark = s->n_journal;
  int best = best_fit(s, h, permanent_only);
  if (best >= 0) {
    set(s, h, best);
    return 1;
  }
  if (s->kase->households[h].waiting_days < drop_below && end_ok(s))
    return 1;
  if (depth == 0)
    return 0;

  int *way = s->pushed[depth];
  size_t lo = d->first_candidate[h], hi = d->first_candidate[h + 1];
  int scan = ++s->scan_id;
  for (size_t i = lo; i < hi; i++) {
    if (time_up(s) || s->budget <= 0)
      return 0;
    int u = d->candidates[i].unit;
    if (permanent_only && s->unit_transit[u])
      continue;
    block why = scan_block(s, h, u, scan);
    if (why == BLOCK_NONE)
      continue; /* fits, but best_fit() found it no good end */
    int n = in_the_way(s, u, why, way);
    for (int w = 0; w < n; w++) {
      int h2 = way[w], old = s->chosen[h2];
      if (s->seen[h2] == s->search_id) /* expanded deeper meanwhile */
        continue;
      set(s, h2, -1);
      int last = depth == 1 && s->kase->households[h2].waiting_days >= drop_below;
      if (fits(s, (int)i) && !(last && !mobile(s, h2, old))) {
        set(s, h, (int)i);
        if (settle(s, h2, depth - 1, drop_below, 0))
          return 1;
      }
      undo_to(s, mark);
    }
  }
  return 0;
}

/* Starts a fresh search (new expansion marks and budget). */
static void new_search(search *s) {
  s->search_id++;
  s->budget = SEARCH_BUDGET;
}

/* Serving order: waiting days descending, then index (the households are
 * sorted by id). */
static int by_waiting(const void *x, const void *y) {
  const turn *a = x, *b = y;
  if (a->waiting_days != b->waiting_days)
    return a->waiting_days > b->waiting_days ? -1 : 1;
  return (a->household > b->household) - (a->household < b->household);
}

/* ------------------------------------------------------------------ */
/* Tier 1: more housed                                                 */
/* ------------------------------------------------------------------ */

/* Household h (unplaced) takes a candidate in area a where one household
 * h2 stands in the way, and h2 settles elsewhere (a chain of depth 1 or
 * more behind it, ending better than the journal's start); with `drop`,
 * the chain may end with a household left unplaced (a group's members
 * outnumber it).  1 with the chain applied; else 0 with the state as on
 * entry. */
static int push_into_area(search *s, int h, int a, int drop) {
  const bp_derived *d = s->d;
  int *way = s->pushed[MAX_DEPTH]; /* settle(.., 1, ..) uses pushed[1] */
  size_t mark = s->n_journal;
  new_search(s);
  s->seen[h] = s->search_id;
  for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
    if (time_up(s) || s->budget <= 0)
      return 0;
    int u = d->candidates[i].unit;
    if (s->unit_area[u] != a)
      continue;
    block why = blocked_by(s, h, u);
    if (why == BLOCK_NONE)
      continue;
    int n = in_the_way(s, u, why, way);
    for (int w = 0; w < n; w++) {
      int h2 = way[w];
      if (s->seen[h2] == s->search_id)
        continue;
      set(s, h2, -1);
      if (fits(s, (int)i)) {
        set(s, h, (int)i);
        if (settle(s, h2, MAX_DEPTH - 2, drop ? LONG_MAX : LONG_MIN, 0))
          return 1;
      }
      undo_to(s, mark);
    }
  }
  return 0;
}

/* Places household h in its fitting candidate in area a that leaves the
 * best tiers (journalled); 0 when none fits. */
static int place_best_in_area(search *s, int h, int a) {
  const bp_derived *d = s->d;
  int pick = -1;
  tiers pick_tiers = s->now;
  for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1];
       i++) {
    if (area_of(s, (int)i) != a || !fits(s, (int)i))
      continue;
    size_t mark = s->n_journal;
    set(s, h, (int)i);
    if (pick < 0 || better(&s->now, &pick_tiers)) {
      pick = (int)i;
      pick_tiers = s->now;
    }
    undo_to(s, mark);
  }
  if (pick >= 0)
    set(s, h, pick);
  return pick >= 0;
}

/* Places every member of group gi in area a, each in its fitting candidate
 * there that leaves the best tiers; with `push`, a member for which none
 * fits may push one household out of its way (push_into_area(): first
 * with every household pushed placed again, then with one left out).  1 when
 * every member is placed (journalled); else 0 with the state as on entry.
 * Without pushes the same state gives the same units. */
static int group_try_area(search *s, int gi, int a, int push) {
  const bp_group *g = &s->kase->groups[gi];
  size_t start = s->n_journal;
  for (int m = 0; m < g->n_members; m++) {
    int h = g->members[m];
    if (place_best_in_area(s, h, a))
      ;
    else if (!push ||
             !(push_into_area(s, h, a, 0) || push_into_area(s, h, a, 1))) {
      undo_to(s, start);
      return 0;
    }
  }
  return 1;
}

/* Tries group gi, none of its members placed, in each area where its first
 * member has a candidate (group_try_area), the journal back to `mark`
 * after each try.  Without push: the area that leaves the best tiers
 * end_ok() accepts, the state back at mark.  With push: the first area
 * where group_try_area(.., 1) and end_ok() hold, the group left placed
 * there (journalled).  -1, the state at mark, when there is none. */
static int group_area(search *s, int gi, int push, size_t mark) {
  const bp_derived *d = s->d;
  int h0 = s->kase->groups[gi].members[0];
  int best_area = -1;
  tiers best_tiers = s->now;
  unsigned char *tried = bp_calloc(s->kase->n_areas + 1, 1);
  for (size_t i0 = d->first_candidate[h0]; i0 < d->first_candidate[h0 + 1]; i0++) {
    int a = area_of(s, (int)i0);
    if (tried[a] || time_up(s))
      continue;
    tried[a] = 1;
    if (group_try_area(s, gi, a, push) && end_ok(s)) {
      if (push) { /* the first area that works, as it stands */
        free(tried);
        return a;
      }
      if (best_area < 0 || better(&s->now, &best_tiers)) {
        best_area = a;
        best_tiers = s->now;
      }
    }
    undo_to(s, mark);
  }
  free(tried);
  return best_area;
}

/* Places group gi in area a as group_area() found it best to (the same
 * steps from the same state give the same units) and commits; 0 with the
 * state back at 0 when that fails, which cannot happen: a group is never
 * left split. */
static int group_place_again(search *s, int gi, int a) {
  int placed = group_try_area(s, gi, a, 0);
  assert(placed);
  if (!placed || !end_ok(s)) {
    undo_to(s, 0);
    return 0;
  }
  commit(s);
  return 1;
}

/* Places unplaced group gi whole in the area where that is best, each
 * member in its best fitting candidate there (C10, C11); if it fits in no
 * area as things stand, in the first area where its members can push
 * households out of their way, who settle elsewhere.  1 when placed. */
static int group_insert(search *s, int gi) {
  const bp_group *g = &s->kase->groups[gi];
  for (int m = 0; m < g->n_members; m++) {
    int h = g->members[m];
    if (s->chosen[h] >= 0 || s->d->locked_unit[h] >= 0)
      return 0; /* placed or held by a lock: left alone */
  }
  int best_area = group_area(s, gi, 0, 0);
  if (best_area >= 0)
    return group_place_again(s, gi, best_area);
  if (group_area(s, gi, 1, 0) < 0)
    return 0;
  commit(s);
  return 1;
}

/* Moves placed group gi whole (C10, C11) to the area, its own included,
 * where its members' best fitting candidates leave the best tiers, kept
 * when they are strictly better than before the move.  The chains never
 * move a placed group member, so without this a group the rounding put in
 * transit units stays there (L: 32 of the 38 households in transit when
 * tier 3's moves began were group members or place-locked).  1 when
 * moved. */
static int group_move(search *s, int gi) {
  const bp_group *g = &s->kase->groups[gi];
  for (int m = 0; m < g->n_members; m++) {
    int h = g->members[m];
    if (s->chosen[h] < 0 || s->d->locked_unit[h] >= 0)
      return 0; /* unplaced (group_insert's) or held by a lock */
  }
  for (int m = 0; m < g->n_members; m++)
    set(s, g->members[m], -1);
  int best_area = group_area(s, gi, 0, s->n_journal);
  if (best_area < 0) {
    undo_to(s, 0);
    return 0;
  }
  return group_place_again(s, gi, best_area);
}

/* The candidates of every fresh area, as a CSR by area (one pass over the
 * candidates; the fresh areas are few). */
static void index_fresh_areas(search *s) {
  const bp_derived *d = s->d;
  size_t na = s->kase->n_areas;
  s->fresh_first = bp_calloc(na + 2, sizeof *s->fresh_first);
  for (size_t i = 0; i < d->n_candidates; i++) {
    int a = s->unit_area[d->candidates[i].unit];
    if (s->fresh[a])
      s->fresh_first[a + 2]++;
  }
  for (size_t a = 0; a < na; a++)
    s->fresh_first[a + 2] += s->fresh_first[a + 1];
  s->fresh_list = bp_alloc((s->fresh_first[na + 1] + 1) * sizeof *s->fresh_list);
  for (size_t i = 0; i < d->n_candidates; i++) {
    int a = s->unit_area[d->candidates[i].unit];
    if (s->fresh[a])
      s->fresh_list[s->fresh_first[a + 1]++] = (int)i;
  }
}

/* Fresh area a has fewer than m households, all just moved in: placed
 * movable households from elsewhere join them until it has m, each where
 * it fits and its old area keeps (C9).  One unplaced household whose only
 * units lie in a fresh area is housed no other way (benchmark M, seed
 * 13: household H00089, whose one unit is in an area without newcomers;
 * the pool stage's tree found the second household for it in 0.35-0.45 s,
 * and, stopped at its time limit, in about one run in five not at all). */
static void join_cluster(search *s, int a) {
  if (!s->fresh_first)
    index_fresh_areas(s);
  int m = s->kase->policy.min_cluster;
  for (size_t e = s->fresh_first[a]; e < s->fresh_first[a + 1] && s->area_used[a] < m; e++) {
    if (time_up(s))
      return;
    int i = s->fresh_list[e], h2 = s->d->candidates[i].household;
    if (s->chosen[h2] < 0 || !s->movable[h2] || area_of(s, s->chosen[h2]) == a ||
        !fits(s, i))
      continue;
    int old_area = area_of(s, s->chosen[h2]);
    size_t mark = s->n_journal;
    set(s, h2, i);
    if (!cluster_ok(s, old_area))
      undo_to(s, mark);
  }
}

/* A fresh area nobody lives in yet opens only with at least m newcomers at
 * once (C9): the unplaced movable households, longest waiting first, each
 * take their best fitting unit there, and when fewer than m do, placed
 * households join them from elsewhere; kept if the tiers are better. */
static int open_cluster(search *s, int a, const int *unplaced, int n) {
  for (int o = 0; o < n && !time_up(s); o++) {
    int h = unplaced[o];
    if (s->chosen[h] >= 0)
      continue;
    place_best_in_area(s, h, a);
  }
  if (s->area_used[a] > 0 && s->area_used[a] < s->kase->policy.min_cluster)
    join_cluster(s, a);
  if (!end_ok(s)) {
    undo_to(s, 0);
    return 0;
  }
  commit(s);
  return 1;
}

/* The unplaced movable households, longest waiting first; returns n. */
static int list_unplaced(search *s, int *out) {
  int n = 0;
  for (size_t h = 0; h < s->kase->n_households; h++)
    if (s->chosen[h] < 0 && s->movable[h])
      s->turns[n++] = (turn){s->kase->households[h].waiting_days, (int)h};
  qsort(s->turns, (size_t)n, sizeof *s->turns, by_waiting);
  for (int o = 0; o < n; o++)
    out[o] = s->turns[o].household;
  return n;
}

/* Tier 1 until nothing more is housed: inserts and opened clusters first,
 * then chains of growing depth, each depth tried for every unplaced
 * household; after a depth that housed someone, back to depth 0. */
static int house_more(search *s, int *unplaced) {
  const bp_case *k = s->kase;
  int moves = 0, progress = 1;
  while (progress && !time_up(s)) {
    progress = 0;
    for (size_t gi = 0; gi < k->n_groups && !time_up(s); gi++)
      if (k->groups[gi].n_members >= 2 && group_insert(s, (int)gi)) {
        moves++;
        progress = 1;
      }
    int n = list_unplaced(s, unplaced);
    for (int depth = 0; depth <= MAX_DEPTH && !progress; depth++) {
      for (int o = 0; o < n && !time_up(s); o++) {
        int h = unplaced[o];
        if (s->chosen[h] >= 0)
          continue;
        new_search(s);
        if (settle(s, h, depth, LONG_MIN, 0)) {
          commit(s);
          moves++;
          progress = 1;
        }
      }
      /* Before any chain: unplaced households may open a fresh area. */
      if (depth == 0 && k->policy.min_cluster >= 2) {
        n = list_unplaced(s, unplaced);
        for (size_t a = 0; a < k->n_areas && n > 0 && !time_up(s); a++)
          if (s->fresh[a] && s->area_used[a] == 0 &&
              open_cluster(s, (int)a, unplaced, n)) {
            moves++;
            progress = 1;
            n = list_unplaced(s, unplaced);
          }
      }
    }
  }
  return moves;
}

/* ------------------------------------------------------------------ */
/* Tiers 2 to 4                                                        */
/* ------------------------------------------------------------------ */

static int push_two(search *s, int h);

/* Tier 2: an unplaced household takes the place of one that waited less
 * (directly or at the end of a chain of depth 2), or of two (push_two()). */
static int longer_waiting_first(search *s, int *unplaced) {
  int moves = 0;
  int n = list_unplaced(s, unplaced);
  for (int o = 0; o < n && !time_up(s); o++) {
    int h = unplaced[o];
    if (s->chosen[h] >= 0)
      continue;
    int done = 0;
    for (int depth = 1; depth <= 2 && !done; depth++) {
      new_search(s);
      done = settle(s, h, depth, s->kase->households[h].waiting_days, 0);
    }
    if (done || (s->push_two && push_two(s, h))) {
      commit(s);
      moves++;
    }
  }
  return moves;
}

/* Would taking h3 out relieve cap `why` of unit u enough for h?  Seats
 * and places are counted in children; the other caps in households. */
static int frees_enough(const search *s, int h, int u, block why, int h3) {
  const bp_area *area = &s->kase->areas[s->unit_area[u]];
  const bp_household *hh = &s->kase->households[h], *h3h = &s->kase->households[h3];
  if (why == BLOCK_SCHOOL)
    return s->school_used[area->school] + hh->children_6_16 - h3h->children_6_16 <=
           school_room(s, area->school);
  if (why == BLOCK_DAYCARE)
    return s->daycare_used[area->daycare] + hh->children_0_5 - h3h->children_0_5 <=
           daycare_room(s, area->daycare);
  return 1;
}

/* Tier 2, where one push is not enough: unplaced household h takes
 * candidate i once two households h2 and h3 are out of its way (a family
 * with many children needs the school seats or daycare places of two
 * smaller ones).  One of them moves straight to another unit where it
 * fits; the other stays unplaced, and must have waited less than h.  So
 * housed stays, and waiting rises by what h waited more.  The chains of
 * settle() push one household per step and cannot find these: at the
 * benchmark's L the households left out are large families, and a school
 * district set free and solved exactly gained waiting days where the
 * chains had none.  1 with the move applied; else 0 with the state as on
 * entry. */
static int push_two(search *s, int h) {
  const bp_case *k = s->kase;
  const bp_derived *d = s->d;
  long waited = k->households[h].waiting_days;
  int *first = s->pushed[MAX_DEPTH], *second = s->pushed[MAX_DEPTH - 1];
  size_t mark = s->n_journal;
  new_search(s);
  s->seen[h] = s->search_id;
  for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
    if (time_up(s) || s->budget <= 0)
      return 0;
    int u = d->candidates[i].unit;
    /* Seats and places are counted in children, so two households may be
     * needed to make room; every other cap counts households or places. */
    block why = blocked_by(s, h, u);
    if (why != BLOCK_SCHOOL && why != BLOCK_DAYCARE)
      continue;
    int n = in_the_way(s, u, why, first);
    for (int w = 0; w < n; w++) {
      int h2 = first[w], old2 = s->chosen[h2];
      if (!may_push(s, h2))
        continue;
      int h2_may_stay_out = k->households[h2].waiting_days < waited;
      set(s, h2, -1);
      block why2 = blocked_by(s, h, u);
      /* None left: one push is enough (the chains' case). */
      int n2 = why2 == BLOCK_NONE ? 0 : in_the_way_of(s, u, why2, 0, second);
      for (int w2 = 0; w2 < n2 && s->budget > 0; w2++) {
        int h3 = second[w2], old3 = s->chosen[h3];
        /* One of the two stays out, and must have waited less than h. */
        if (h3 == h2 || !may_push(s, h3) ||
            (!h2_may_stay_out && k->households[h3].waiting_days >= waited) ||
            !frees_enough(s, h, u, why2, h3))
          continue;
        s->budget--;
        size_t two_out = s->n_journal;
        set(s, h3, -1);
        if (fits(s, (int)i)) {
          set(s, h, (int)i);
          size_t placed = s->n_journal;
          int pair[2][2] = {{h2, h3}, {h3, h2}};
          for (int p = 0; p < 2; p++) {
            int mover = pair[p][0], left = pair[p][1];
            if (k->households[left].waiting_days >= waited ||
                !mobile(s, mover, mover == h2 ? old2 : old3))
              continue;
            if (settle(s, mover, 0, LONG_MIN, 0) && end_ok(s))
              return 1;
            undo_to(s, placed);
          }
        }
        undo_to(s, two_out);
      }
      undo_to(s, mark);
    }
  }
  return 0;
}

/* Tier 3: a household in a transit unit moves to a permanent one, directly
 * or by pushing one household elsewhere. */
static int to_permanent(search *s) {
  const bp_case *k = s->kase;
  int moves = 0;
  for (size_t h = 0; h < k->n_households && !time_up(s); h++) {
    int c = s->chosen[h];
    if (c < 0 || !s->movable[h] ||
        k->units[s->d->candidates[c].unit].kind != BP_UNIT_TRANSIT)
      continue;
    new_search(s);
    set(s, (int)h, -1);
    if (settle(s, (int)h, 1, LONG_MIN, 1)) {
      commit(s);
      moves++;
    } else {
      undo_to(s, 0);
    }
  }
  /* A group with a member in transit: the whole group elsewhere. */
  for (size_t gi = 0; gi < k->n_groups && !time_up(s); gi++) {
    const bp_group *g = &k->groups[gi];
    if (g->n_members < 2)
      continue;
    int in_transit = 0;
    for (int m = 0; m < g->n_members; m++) {
      int c = s->chosen[g->members[m]];
      in_transit |= c >= 0 && s->unit_transit[s->d->candidates[c].unit];
    }
    if (in_transit && group_move(s, (int)gi))
      moves++;
  }
  return moves;
}

/* Tier 4: each placed movable household moves to the fitting candidate
 * that lowers the soft cost most, or swaps units with a household whose
 * unit is cheaper for it (where each has a candidate in the other's unit). */
static int cheaper(search *s) {
  const bp_case *k = s->kase;
  const bp_derived *d = s->d;
  int moves = 0;
  for (size_t h = 0; h < k->n_households && !time_up(s); h++) {
    int c = s->chosen[h];
    if (c < 0 || !s->movable[h])
      continue;
    new_search(s);
    set(s, (int)h, -1);
    if (settle(s, (int)h, 0, LONG_MIN, 0)) {
      commit(s);
      moves++;
      continue;
    }
    undo_to(s, 0);
    int unit = d->candidates[c].unit;
    double cost = d->candidates[c].pair_cost;
    int swapped = 0;
    for (size_t i = d->first_candidate[h];
         i < d->first_candidate[h + 1] && !swapped && !time_up(s); i++) {
      const bp_candidate *ci = &d->candidates[i];
      int other_unit = ci->unit;
      if (ci->pair_cost >= cost || other_unit == unit ||
          s->unit_used[other_unit] < k->units[other_unit].places)
        continue; /* not cheaper, or free: the move above tried it */
      /* Its occupants, listed first: an undo may reorder the area's list. */
      int a = k->units[other_unit].area, n = 0;
      int *holders = s->pushed[0];
      for (int o = 0; o < s->n_occupants[a]; o++) {
        int h2 = s->occupants[a][o];
        if (s->movable[h2] && d->candidates[s->chosen[h2]].unit == other_unit)
          holders[n++] = h2;
      }
      for (int o = 0; o < n && !swapped; o++) {
        int h2 = holders[o], c2 = s->chosen[h2];
        int j = bp_candidate_of_pair(s->d, h2, unit);
        if (j < 0 || ci->pair_cost + d->candidates[j].pair_cost >=
                         cost + d->candidates[c2].pair_cost)
          continue;
        set(s, (int)h, -1);
        set(s, h2, -1);
        if (fits(s, (int)i)) {
          set(s, (int)h, (int)i);
          if (fits(s, j)) {
            set(s, h2, j);
            if (end_ok(s)) {
              commit(s);
              moves++;
              swapped = 1;
              break;
            }
          }
        }
        undo_to(s, 0);
      }
    }
  }
  /* The groups, whole: the moves above never touch a member. */
  for (size_t gi = 0; gi < k->n_groups && !time_up(s); gi++)
    if (k->groups[gi].n_members >= 2 && group_move(s, (int)gi))
      moves++;
  return moves;
}

/* ------------------------------------------------------------------ */
/* Setting up                                                          */
/* ------------------------------------------------------------------ */

/* For each school (which 0), daycare (1) or building (2), the areas it
 * spans. */
static void index_areas(const bp_case *k, size_t n_entries, int which,
                        area_index *out) {
  size_t na = k->n_areas;
  /* Membership as (entry, area) flags, then CSR: buildings times areas is
   * at most a few million bytes on the largest benchmark. */
  unsigned char *flag = bp_calloc(n_entries * na + 1, 1);
  if (which == 2) {
    for (size_t u = 0; u < k->n_units; u++)
      if (k->units[u].building_index >= 0)
        flag[(size_t)k->units[u].building_index * na +
             (size_t)k->units[u].area] = 1;
  } else {
    for (size_t a = 0; a < na; a++) {
      int e = which == 0 ? k->areas[a].school : k->areas[a].daycare;
      if (e >= 0)
        flag[(size_t)e * na + a] = 1;
    }
  }
  out->first = bp_calloc(n_entries + 2, sizeof *out->first);
  size_t total = 0;
  for (size_t e = 0; e < n_entries; e++) {
    out->first[e] = total;
    for (size_t a = 0; a < na; a++)
      total += flag[e * na + a];
  }
  out->first[n_entries] = total;
  out->list = bp_alloc((total + 1) * sizeof *out->list);
  size_t at = 0;
  for (size_t e = 0; e < n_entries; e++)
    for (size_t a = 0; a < na; a++)
      if (flag[e * na + a])
        out->list[at++] = (int)a;
  free(flag);
}

/* Sets up the search on proposal `chosen` (which must keep every hard
 * rule, or be empty): every count, list and flag, the proposal counted
 * but not journalled. */
static void search_start(search *s, const bp_case *kase, const bp_derived *d,
                         int *chosen, double deadline) {
  size_t nh = kase->n_households, na = kase->n_areas;
  *s = (search){.kase = kase, .d = d, .chosen = chosen, .deadline = deadline};
  s->unit_used = bp_calloc(kase->n_units + 1, sizeof *s->unit_used);
  s->area_used = bp_calloc(na + 1, sizeof *s->area_used);
  s->school_used = bp_calloc(kase->n_schools + 1, sizeof *s->school_used);
  s->daycare_used = bp_calloc(kase->n_daycares + 1, sizeof *s->daycare_used);
  s->building_used =
      bp_calloc(kase->n_buildings + 1, sizeof *s->building_used);
  s->occupants = bp_calloc(na + 1, sizeof *s->occupants);
  s->n_occupants = bp_calloc(na + 1, sizeof *s->n_occupants);
  s->occupant_capacity = bp_calloc(na + 1, sizeof *s->occupant_capacity);
  s->slot = bp_calloc(nh + 1, sizeof *s->slot);
  s->movable = bp_calloc(nh + 1, 1);
  s->fresh = bp_calloc(na + 1, 1);
  s->seen = bp_calloc(nh + 1, sizeof *s->seen);
  size_t nu = kase->n_units;
  s->unit_area = bp_alloc((nu + 1) * sizeof *s->unit_area);
  s->unit_places = bp_alloc((nu + 1) * sizeof *s->unit_places);
  s->unit_building = bp_alloc((nu + 1) * sizeof *s->unit_building);
  s->unit_transit = bp_alloc(nu + 1);
  s->unit_head = bp_alloc((nu + 1) * sizeof *s->unit_head);
  for (size_t u = 0; u < nu; u++) {
    s->unit_area[u] = kase->units[u].area;
    s->unit_places[u] = kase->units[u].places;
    s->unit_building[u] = kase->units[u].building_index;
    s->unit_transit[u] = kase->units[u].kind == BP_UNIT_TRANSIT;
    s->unit_head[u] = -1;
  }
  s->next_in_unit = bp_alloc((nh + 1) * sizeof *s->next_in_unit);
  s->area_offered = bp_calloc(na + 1, sizeof *s->area_offered);
  s->school_offered =
      bp_calloc(kase->n_schools + 1, sizeof *s->school_offered);
  s->daycare_offered =
      bp_calloc(kase->n_daycares + 1, sizeof *s->daycare_offered);
  s->building_offered =
      bp_calloc(kase->n_buildings + 1, sizeof *s->building_offered);
  s->views = bp_calloc(na + 1, sizeof *s->views);
  s->mobile_known = bp_calloc(nh + 1, sizeof *s->mobile_known);
  s->is_mobile = bp_calloc(nh + 1, 1);
  for (int l = 0; l <= MAX_DEPTH; l++)
    s->pushed[l] = bp_alloc((nh + 1) * sizeof *s->pushed[l]);
  s->unplaced = bp_alloc((nh + 1) * sizeof *s->unplaced);
  s->turns = bp_alloc((nh + 1) * sizeof *s->turns);
  index_areas(kase, kase->n_schools, 0, &s->school_areas);
  index_areas(kase, kase->n_daycares, 1, &s->daycare_areas);
  index_areas(kase, kase->n_buildings, 2, &s->building_areas);
  for (size_t a = 0; a < na; a++)
    s->fresh[a] = kase->policy.min_cluster > 0 &&
                  kase->areas[a].newcomer_households == 0;
  for (size_t h = 0; h < nh; h++) {
    int g = kase->households[h].group;
    int grouped = g >= 0 && kase->groups[g].n_members >= 2;
    s->movable[h] = !grouped && d->locked_unit[h] < 0;
  }
  /* The proposal as it comes: counted, not journalled. */
  for (size_t h = 0; h < nh; h++)
    if (chosen[h] >= 0)
      account(s, (int)h, chosen[h], 1);
}

/* The search proper, from a proposal that keeps every hard rule: tier 1
 * until nothing more is housed, then tiers 2 and 3 (back to tier 1 after
 * either moved someone), then, when soft, tier 4 to a local optimum.
 * Returns the number of improving moves. */
/* Tier 4 to a local optimum (each pass strictly lowers the cost). */
static int soft_moves(search *s) {
  int moves = 0, pass;
  while ((pass = cheaper(s)) > 0 && !time_up(s))
    moves += pass;
  return moves + pass;
}

static int search_run(search *s, int soft) {
  int moves = 0;
  /* Tier 1 looks again after each pass of tiers 2 and 3 while it finds
   * room; once a look houses nobody, tiers 2 and 3 go to a local optimum
   * before the next.  A look that houses nobody costs as much as one that
   * does (L: 0.35 s for 187 unplaced), and one after every pass took 4 of
   * the 6 s of L's first rounding; where time is short (XL's rounding),
   * the looks that house someone come first. */
  int exhaust = 0;
  for (;;) {
    int found = house_more(s, s->unplaced);
    moves += found;
    if (time_up(s))
      break;
    if (found == 0)
      exhaust = 1;
    int more = 0, pass;
    do {
      pass = longer_waiting_first(s, s->unplaced);
      if (!pass)
        pass = to_permanent(s);
      more += pass;
    } while (exhaust && pass && !time_up(s));
    moves += more;
    if (more)
      continue; /* who is housed changed: tier 1 may have new room */
    if (!soft)
      break;
    moves += soft_moves(s);
    break;
  }
  return moves;
}

static void search_end(search *s) {
  for (size_t a = 0; a < s->kase->n_areas; a++)
    free(s->occupants[a]);
  free(s->occupants);
  free(s->n_occupants);
  free(s->occupant_capacity);
  free(s->slot);
  free(s->movable);
  free(s->fresh);
  free(s->seen);
  free(s->unit_area);
  free(s->unit_places);
  free(s->unit_building);
  free(s->unit_transit);
  free(s->unit_head);
  free(s->next_in_unit);
  free(s->area_offered);
  free(s->school_offered);
  free(s->daycare_offered);
  free(s->building_offered);
  free(s->views);
  free(s->mobile_known);
  free(s->is_mobile);
  for (int l = 0; l <= MAX_DEPTH; l++)
    free(s->pushed[l]);
  free(s->unplaced);
  free(s->turns);
  free(s->fresh_first);
  free(s->fresh_list);
  free(s->school_areas.first);
  free(s->school_areas.list);
  free(s->daycare_areas.first);
  free(s->daycare_areas.list);
  free(s->building_areas.first);
  free(s->building_areas.list);
  free(s->unit_used);
  free(s->area_used);
  free(s->school_used);
  free(s->daycare_used);
  free(s->building_used);
  free(s->journal);
}

/* Is chosen a proposal of these candidates?  Each search leaves any other
 * alone. */
static int of_these_candidates(const bp_case *kase, const bp_derived *d,
                               const int *chosen) {
  for (size_t h = 0; h < kase->n_households; h++)
    if (chosen[h] >= 0 && ((size_t)chosen[h] < d->first_candidate[h] ||
                           (size_t)chosen[h] >= d->first_candidate[h + 1]))
      return 0;
  return 1;
}

int bp_improve(const bp_case *kase, const bp_derived *d, int *chosen,
               double deadline) {
  if (!of_these_candidates(kase, d, chosen))
    return 0;
  search s;
  search_start(&s, kase, d, chosen, deadline);
  int moves = search_run(&s, 1);
  search_end(&s);
  return moves;
}

int bp_improve_soft(const bp_case *kase, const bp_derived *d, int *chosen,
                    double deadline) {
  if (!of_these_candidates(kase, d, chosen))
    return 0;
  search s;
  search_start(&s, kase, d, chosen, deadline);
  int moves = soft_moves(&s);
  search_end(&s);
  return moves;
}

int bp_improve_waiting(const bp_case *kase, const bp_derived *d, int *chosen,
                       double deadline) {
  if (!of_these_candidates(kase, d, chosen))
    return 0;
  search s;
  search_start(&s, kase, d, chosen, deadline);
  s.push_two = 1;
  /* Tiers 2 and 3 first: the proposal comes from a search that has just
   * looked for tier 1's moves (a look costs seconds at the national
   * size), and these moves never change how many are housed.  Tier 1
   * looks again only after they have changed something. */
  int moves = 0;
  for (;;) {
    int changed = 0, pass;
    do {
      pass = longer_waiting_first(&s, s.unplaced);
      if (!pass)
        pass = to_permanent(&s);
      changed += pass;
    } while (pass && !time_up(&s));
    moves += changed;
    if (!changed || time_up(&s))
      break;
    int found = house_more(&s, s.unplaced);
    moves += found;
    if (!found)
      break;
  }
  search_end(&s);
  return moves;
}

/* ------------------------------------------------------------------ */
/* Rounding an LP solution (bp_round_lp)                               */
/* ------------------------------------------------------------------ */

/* A pair with a positive LP value, in the order rounding takes them. */
typedef struct {
  double value;
  int waiting_days;
  int candidate;
} lp_pair;

/* Largest LP value first, then the household's waiting days (longest
 * first), then the candidate index. */
static int by_lp_value(const void *x, const void *y) {
  const lp_pair *a = x, *b = y;
  if (a->value != b->value)
    return a->value > b->value ? -1 : 1;
  if (a->waiting_days != b->waiting_days)
    return a->waiting_days > b->waiting_days ? -1 : 1;
  return (a->candidate > b->candidate) - (a->candidate < b->candidate);
}

/* The candidate of household h in area a that fits with the largest LP
 * value (ties to the lower index), or -1. */
static int best_lp_fit_in(const search *s, int h, int a,
                          const double *lp_value) {
  const bp_derived *d = s->d;
  int best = -1;
  for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++)
    if (area_of(s, (int)i) == a &&
        (best < 0 || lp_value[i] > lp_value[best]) && fits(s, (int)i))
      best = (int)i;
  return best;
}

/* Places every unplaced member of group gi in area a, each in its fitting
 * candidate there with the largest LP value (C10, C11), journalled.  All
 * or none: 1 when every member is placed; else 0 with the state as on
 * entry.  min_cluster is the caller's to check. */
static int group_take_area(search *s, int gi, int a, const double *lp_value) {
  const bp_group *g = &s->kase->groups[gi];
  size_t mark = s->n_journal;
  for (int m = 0; m < g->n_members; m++) {
    int h = g->members[m];
    if (s->chosen[h] >= 0)
      continue;
    int i = best_lp_fit_in(s, h, a, lp_value);
    if (i < 0) {
      undo_to(s, mark);
      return 0;
    }
    set(s, h, i);
  }
  return 1;
}

static int group_of(const search *s, int h) {
  int gi = s->kase->households[h].group;
  return gi >= 0 && s->kase->groups[gi].n_members >= 2 ? gi : -1;
}

/* Is any member of group gi placed or held by a lock? */
static int group_started(const search *s, int gi) {
  const bp_group *g = &s->kase->groups[gi];
  for (int m = 0; m < g->n_members; m++)
    if (s->chosen[g->members[m]] >= 0 || s->d->locked_unit[g->members[m]] >= 0)
      return 1;
  return 0;
}

/* Fresh area a holds fewer than min_cluster households: unplaced
 * households (single, unlocked) and whole unplaced groups move in, those
 * whose LP values there are largest first (then longest waiting), until
 * it holds min_cluster.  1 when it does (committed); else 0 with the
 * state as on entry. */
static int fill_cluster(search *s, int a, const double *lp_value) {
  const bp_case *k = s->kase;
  const bp_derived *d = s->d;
  int m = k->policy.min_cluster;
  size_t nh = k->n_households, n = 0;
  lp_pair *entries = bp_alloc((nh + 1) * sizeof *entries);
  for (size_t h = 0; h < nh; h++) {
    if (s->chosen[h] >= 0)
      continue;
    int gi = group_of(s, (int)h);
    if (gi >= 0 && (k->groups[gi].members[0] != (int)h ||
                    group_started(s, gi)))
      continue; /* a group is listed once, by its first member */
    if (gi < 0 && !s->movable[h])
      continue;
    const bp_group *g = gi >= 0 ? &k->groups[gi] : NULL;
    int members = g ? g->n_members : 1, waiting = 0, any = 0;
    double value = 0.0;
    for (int j = 0; j < members; j++) {
      int hj = g ? g->members[j] : (int)h;
      if (k->households[hj].waiting_days > waiting)
        waiting = k->households[hj].waiting_days;
      for (size_t i = d->first_candidate[hj]; i < d->first_candidate[hj + 1];
           i++)
        if (area_of(s, (int)i) == a) {
          if (!any || lp_value[i] > value)
            value = lp_value[i];
          any = 1;
        }
    }
    if (any)
      entries[n++] = (lp_pair){value, waiting, (int)h};
  }
  qsort(entries, n, sizeof *entries, by_lp_value);
  size_t mark = s->n_journal;
  for (size_t e = 0; e < n && s->area_used[a] < m; e++) {
    int h = entries[e].candidate, gi = group_of(s, h);
    if (gi >= 0) {
      group_take_area(s, gi, a, lp_value);
    } else {
      int i = best_lp_fit_in(s, h, a, lp_value);
      if (i >= 0)
        set(s, h, i);
    }
  }
  free(entries);
  if (s->area_used[a] < m) {
    undo_to(s, mark);
    return 0;
  }
  commit(s);
  return 1;
}

/* Fresh area a empties: its households (whole groups) become unplaced.
 * 0 (and nothing changed) when a place lock holds one of them. */
static int empty_area(search *s, int a) {
  for (int o = 0; o < s->n_occupants[a]; o++)
    if (s->d->locked_unit[s->occupants[a][o]] >= 0)
      return 0;
  while (s->n_occupants[a] > 0) {
    int h = s->occupants[a][0], gi = group_of(s, h);
    if (gi < 0) {
      set(s, h, -1);
      continue;
    }
    for (int m = 0; m < s->kase->groups[gi].n_members; m++)
      if (s->chosen[s->kase->groups[gi].members[m]] >= 0)
        set(s, s->kase->groups[gi].members[m], -1);
  }
  commit(s);
  return 1;
}

/* Place locks first (C12), in serving order, then the other members of a
 * group with a locked member, in the lock's area.  0 when they cannot all
 * be kept in this way. */
static int take_locks(search *s, const double *lp_value) {
  const bp_case *k = s->kase;
  const bp_derived *d = s->d;
  int ok = 1;
  size_t nh = k->n_households, nl = 0;
  for (size_t h = 0; h < nh; h++)
    if (d->locked_unit[h] >= 0)
      s->turns[nl++] = (turn){k->households[h].waiting_days, (int)h};
  qsort(s->turns, nl, sizeof *s->turns, by_waiting);
  for (size_t l = 0; l < nl && ok; l++) {
    int h = s->turns[l].household;
    int i = bp_candidate_of_pair(s->d, h, d->locked_unit[h]);
    if (i < 0 || !fits(s, i))
      ok = 0;
    else
      set(s, h, i);
  }
  for (size_t gi = 0; gi < k->n_groups && ok; gi++) {
    const bp_group *g = &k->groups[gi];
    int area = -1;
    for (int m = 0; m < g->n_members && ok; m++) {
      int u = d->locked_unit[g->members[m]];
      if (u < 0)
        continue;
      if (area >= 0 && s->unit_area[u] != area)
        ok = 0; /* locks split the group */
      area = s->unit_area[u];
    }
    if (ok && area >= 0 && g->n_members >= 2)
      ok = group_take_area(s, (int)gi, area, lp_value);
  }
  commit(s);
  return ok;
}

int bp_round_lp(const bp_case *kase, const bp_derived *d,
                const double *lp_value, int *chosen, double deadline) {
  const bp_policy *p = &kase->policy;
  size_t nh = kase->n_households, na = kase->n_areas;
  for (size_t h = 0; h < nh; h++)
    chosen[h] = -1;
  search s;
  search_start(&s, kase, d, chosen, deadline);

  /* 1. The place locks, and the areas they open below min_cluster filled
   *    up to it, as the hand method does. */
  int ok = take_locks(&s, lp_value);
  for (size_t a = 0; a < na && ok; a++)
    if (s.fresh[a] && s.area_used[a] > 0 && s.area_used[a] < p->min_cluster)
      ok = fill_cluster(&s, (int)a, lp_value);
  if (!ok) {
    undo_to(&s, 0);
    search_end(&s);
    for (size_t h = 0; h < nh; h++)
      chosen[h] = -1;
    return -1;
  }

  /* 2. The pairs with an LP value, largest first: each taken if its
   *    household is unplaced and it fits (C2)-(C8); a group whole, in the
   *    area of its member's pair.  A fresh area may pass through fewer
   *    than min_cluster households here; step 3 settles (C9). */
  size_t n = 0;
  for (size_t i = 0; i < d->n_candidates; i++)
    n += lp_value[i] > 1e-9;
  lp_pair *order = bp_alloc((n + 1) * sizeof *order);
  n = 0;
  for (size_t i = 0; i < d->n_candidates; i++)
    if (lp_value[i] > 1e-9)
      order[n++] = (lp_pair){
          lp_value[i],
          kase->households[d->candidates[i].household].waiting_days, (int)i};
  qsort(order, n, sizeof *order, by_lp_value);
  /* Per group and area: tried already (the counts only grow, so a second
   * try in the same area would fail the same way). */
  unsigned char *tried = bp_calloc(kase->n_groups * na + 1, 1);
  for (size_t o = 0; o < n; o++) {
    int i = order[o].candidate;
    int h = d->candidates[i].household, a = area_of(&s, i);
    if (chosen[h] >= 0 || d->locked_unit[h] >= 0)
      continue;
    int gi = group_of(&s, h);
    if (gi >= 0) {
      if (tried[(size_t)gi * na + (size_t)a] || group_started(&s, gi))
        continue;
      tried[(size_t)gi * na + (size_t)a] = 1;
      group_take_area(&s, gi, a, lp_value);
    } else if (fits(&s, i)) {
      set(&s, h, i);
    }
    commit(&s);
  }
  free(tried);
  free(order);

  /* 3. min_cluster (C9): a fresh area left with fewer than m households is
   *    filled up to m from the unplaced, or else emptied. */
  for (size_t a = 0; a < na; a++)
    if (s.fresh[a] && s.area_used[a] > 0 && s.area_used[a] < p->min_cluster &&
        !fill_cluster(&s, (int)a, lp_value)) {
      int emptied = empty_area(&s, (int)a);
      assert(emptied); /* step 1 left every locked area at m or more */
      (void)emptied;
    }

  /* 4. The unplaced where they fit, chains, and tiers 2 and 3 (their
   *    moves also make room for tier 1's: at the annual size, tier 1's
   *    alone stop a household short).  Not the soft tier's: they would take
   *    all the time there is (L: 16 s after 5 s for tiers 1-3), which the
   *    later tiers need; the soft tier runs them itself. */
  search_run(&s, 0);
  search_end(&s);
  int housed = 0;
  for (size_t h = 0; h < nh; h++)
    housed += chosen[h] >= 0;
  return housed;
}
