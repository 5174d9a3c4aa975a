/**
 * @file derive_eligibility.c
 * @brief Who may live where: the hard rules that concern one household and
 *        one unit alone (models/formulation.md §2), decided before the model.
 *
 * A pair that fails any of these rules can never be part of a proposal, so
 * it gets no column in the model.  The same function, bp_check_pair(),
 * decides eligibility here, explains near misses in explain.c, and is what
 * the tests compare against, so that no two stages can disagree.
 *
 * bp_derive() also computes what the multi-household rules need (the room
 * under each share cap) and rejects locks that cannot be kept, since a lock
 * on a pair that breaks a hard rule is an input error the coordinator must
 * fix, not something to optimise around.
 */
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

/* Tolerance on comparisons of figures read as decimals, so that a rent of
 * 5800.00 against a max_rent of 5800 or 60.0 minutes against a limit of 60
 * are never decided by the last bit of a double. */
#define SLACK 1e-9

const char *bp_rule_name(bp_rule rule) {
  static const char *names[BP_RULE_COUNT] = {
      [BP_RULE_PERSONS] = "persons",
      [BP_RULE_ROOMS_MIN] = "rooms_min",
      [BP_RULE_ROOMS_MAX] = "rooms_max",
      [BP_RULE_RENT] = "rent",
      [BP_RULE_STEP_FREE] = "step_free",
      [BP_RULE_SHARED_SINGLE] = "shared_single_adult",
      [BP_RULE_LANGUAGE_SCHOOL] = "minutes_language_school",
      [BP_RULE_SCHOOL] = "minutes_school",
      [BP_RULE_DAYCARE] = "minutes_daycare",
      [BP_RULE_JOB] = "minutes_job",
      [BP_RULE_HEALTH] = "minutes_health",
      [BP_RULE_VULNERABLE] = "vulnerable_area",
      [BP_RULE_TRANSIT] = "transit",
      [BP_RULE_SCHOOL_SEATS] = "school_seats",
      [BP_RULE_DAYCARE_PLACES] = "daycare_places",
      [BP_RULE_LOCK] = "lock",
  };
  return rule < BP_RULE_COUNT ? names[rule] : "?";
}

static int compare_keys(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* The first index i with keys[i] >= key in keys[0..n) (ascending), or n.
 * Branch-free (the loop keeps the last key < key), since derive asks it
 * for every household and bp_check_pair() for every pair it checks. */
static size_t first_key_at_least(const uint64_t *keys, size_t n,
                                 uint64_t key) {
  if (n == 0 || keys[0] >= key)
    return 0;
  const uint64_t *base = keys; /* *base < key throughout */
  size_t len = n;
  while (len > 1) {
    size_t half = len / 2;
    base = base[half] < key ? base + half : base;
    len -= half;
  }
  return (size_t)(base - keys) + 1;
}

/* What the pairwise rules ask of one household whatever the unit.
 * derive_candidates() works it out once per household and checks its
 * units against it; bp_check_pair() works it out for its one pair.  The
 * household's forbid locks and outside scores are its own stretch of the
 * sorted key lists, so a pair looks only among those (keys are unique,
 * so the stretch finds the very entry a search of the whole list would). */
typedef struct {
  int h;
  const bp_household *hh;
  int persons, rooms_needed, rooms_allowed, single_adult;
  int locked_unit;           /* -1 = none */
  const double *job_minutes; /* minutes_to_stop[job_stop], NULL = no job */
  const uint64_t *forbidden; /* keys h * n_units + u */
  size_t n_forbidden;
  const uint64_t *score_keys; /* keys h * n_areas + a */
  const double *score_values;
  size_t n_scores;
} pair_household;

static void pair_household_init(const bp_case *kase, const bp_derived *d,
                                int h, pair_household *x) {
  const bp_household *hh = &kase->households[h];
  x->h = h;
  x->hh = hh;
  x->persons = bp_persons(hh);
  x->rooms_needed = bp_rooms_needed(hh, &kase->policy);
  x->rooms_allowed = bp_rooms_allowed(hh, &kase->policy);
  x->single_adult = bp_is_single_adult(hh);
  x->locked_unit = d->locked_unit[h];
  x->job_minutes = hh->job_stop >= 0 ? d->minutes_to_stop[hh->job_stop] : NULL;
  uint64_t first = (uint64_t)h * kase->n_units, past = first + kase->n_units;
  size_t lo = first_key_at_least(d->forbidden, d->n_forbidden, first);
  size_t hi = first_key_at_least(d->forbidden, d->n_forbidden, past);
  x->forbidden = d->forbidden + lo;
  x->n_forbidden = hi - lo;
  first = (uint64_t)h * kase->n_areas;
  past = first + kase->n_areas;
  lo = first_key_at_least(d->score_keys, d->n_score_keys, first);
  hi = first_key_at_least(d->score_keys, d->n_score_keys, past);
  x->score_keys = d->score_keys + lo;
  x->score_values = d->score_values + lo;
  x->n_scores = hi - lo;
}

/* bp_check_pair() for a household worked out beforehand: the rules and
 * the figures, written once.  derive_candidates() calls it for every pair
 * the screen passes.  Should the compiler inline a copy, the doubles stay
 * the same: the build is ISO C (c_std=c17), so no a * b + c is contracted
 * into one rounding in one copy and not in another. */
static inline int check_pair(const bp_case *kase, const bp_derived *derived,
                             const pair_household *x, int u,
                             bp_pair_figures *f,
                             unsigned char failed[BP_RULE_COUNT]) {
  const bp_household *hh = x->hh;
  const bp_unit *unit = &kase->units[u];
  const bp_area *area = &kase->areas[unit->area];
  const bp_policy *p = &kase->policy;
  const bp_unit_travel *t = &derived->unit_travel[u];
  memset(failed, 0, BP_RULE_COUNT);
  memset(f, 0, sizeof *f);
  f->household = x->h;
  f->unit = u;

  int persons = x->persons;
  if (unit->max_persons > 0 && persons > unit->max_persons)
    failed[BP_RULE_PERSONS] = 1;
  if (unit->kind == BP_UNIT_SHARED) {
    /* A place in a shared unit is one room: the room rule does not apply. */
    if (!x->single_adult)
      failed[BP_RULE_SHARED_SINGLE] = 1;
  } else {
    if (unit->rooms < x->rooms_needed)
      failed[BP_RULE_ROOMS_MIN] = 1;
    if (unit->rooms > x->rooms_allowed)
      failed[BP_RULE_ROOMS_MAX] = 1;
  }
  if (unit->rent > hh->max_rent + SLACK)
    failed[BP_RULE_RENT] = 1;
  if (hh->step_free && !unit->step_free)
    failed[BP_RULE_STEP_FREE] = 1;

  /* Travel: each limit applies only to the households it concerns; NAN
   * marks a trip that does not apply, so outputs can leave it empty. */
  f->minutes_language_school = f->minutes_school = f->minutes_daycare = NAN;
  f->minutes_job = f->minutes_health = NAN;
  double minutes = 0.0;
  if (hh->adults > 0) {
    f->minutes_language_school = t->language_school;
    if (!(t->language_school <= p->max_minutes_language_school + SLACK))
      failed[BP_RULE_LANGUAGE_SCHOOL] = 1;
    minutes += t->language_school;
  }
  if (hh->children_6_16 > 0) {
    f->minutes_school = t->school;
    if (!(t->school <= p->max_minutes_school + SLACK))
      failed[BP_RULE_SCHOOL] = 1;
    minutes += t->school;
    if (hh->children_6_16 > kase->schools[area->school].free_seats)
      failed[BP_RULE_SCHOOL_SEATS] = 1;
  }
  if (hh->children_0_5 > 0) {
    f->minutes_daycare = t->daycare; /* INFINITY when the area has none */
    if (!(t->daycare <= p->max_minutes_daycare + SLACK))
      failed[BP_RULE_DAYCARE] = 1;
    minutes += t->daycare;
    if (area->daycare < 0 ||
        hh->children_0_5 > kase->daycares[area->daycare].free_seats)
      failed[BP_RULE_DAYCARE_PLACES] = 1;
  }
  if (x->job_minutes) {
    double m = unit->walk_minutes + x->job_minutes[unit->stop];
    f->minutes_job = m;
    if (!(m <= p->max_minutes_job + SLACK))
      failed[BP_RULE_JOB] = 1;
    minutes += m;
  }
  if (hh->needs_health) {
    f->minutes_health = t->health;
    if (!(t->health <= p->max_minutes_health + SLACK))
      failed[BP_RULE_HEALTH] = 1;
    minutes += t->health;
  }
  if (area->vulnerable && !p->allow_vulnerable_areas)
    failed[BP_RULE_VULNERABLE] = 1;
  if (unit->kind == BP_UNIT_TRANSIT && !p->allow_transit)
    failed[BP_RULE_TRANSIT] = 1;

  uint64_t pair = (uint64_t)x->h * kase->n_units + (uint64_t)u;
  size_t at = first_key_at_least(x->forbidden, x->n_forbidden, pair);
  if (at < x->n_forbidden && x->forbidden[at] == pair)
    failed[BP_RULE_LOCK] = 1;
  if (x->locked_unit >= 0 && x->locked_unit != u)
    failed[BP_RULE_LOCK] = 1;
  f->locked_place = x->locked_unit == u;

  /* The pair's terms of the soft objective (formulation.md §6). */
  f->travel_hours = isfinite(minutes) ? minutes / 60.0 : INFINITY;
  f->rent_burden = unit->rent / hh->max_rent;
  f->preferred = hh->preferred_area == unit->area;
  f->ties = hh->ties_area == unit->area;
  f->partner = area->partner != 0;
  uint64_t area_key = (uint64_t)x->h * kase->n_areas + (uint64_t)unit->area;
  at = first_key_at_least(x->score_keys, x->n_scores, area_key);
  f->score = at < x->n_scores && x->score_keys[at] == area_key
                 ? x->score_values[at]
                 : 0.0;
  f->pair_cost = p->weights.travel * f->travel_hours +
                 p->weights.rent * f->rent_burden -
                 p->weights.preference * f->preferred -
                 p->weights.ties * f->ties - p->weights.partner * f->partner -
                 p->weights.score * f->score;

  int n_failed = 0;
  for (int r = 0; r < BP_RULE_COUNT; r++)
    n_failed += failed[r];
  return n_failed;
}

int bp_check_pair(const bp_case *kase, const bp_derived *derived, int h, int u,
                  bp_pair_figures *f, unsigned char failed[BP_RULE_COUNT]) {
  pair_household x;
  pair_household_init(kase, derived, h, &x);
  return check_pair(kase, derived, &x, u, f, failed);
}

void bp_candidate_figures(const bp_case *kase, const bp_derived *derived,
                          size_t i, bp_pair_figures *figures) {
  const bp_candidate *c = &derived->candidates[i];
  unsigned char failed[BP_RULE_COUNT];
  bp_check_pair(kase, derived, c->household, c->unit, figures, failed);
}

static double cap_or_default(double cap, double fallback) {
  return isnan(cap) ? fallback : cap;
}

static void derive_caps(const bp_case *kase, bp_derived *d) {
  const bp_policy *p = &kase->policy;
  d->area_cap = bp_alloc((kase->n_areas + 1) * sizeof *d->area_cap);
  d->area_room = bp_alloc((kase->n_areas + 1) * sizeof *d->area_room);
  for (size_t a = 0; a < kase->n_areas; a++) {
    const bp_area *area = &kase->areas[a];
    d->area_cap[a] = cap_or_default(area->max_newcomer_share,
                                    p->max_newcomer_share);
    d->area_room[a] = bp_share_room(area->newcomer_households, area->households,
                                    d->area_cap[a]);
  }
  d->school_cap = bp_alloc((kase->n_schools + 1) * sizeof *d->school_cap);
  d->school_bilingual_room =
      bp_alloc((kase->n_schools + 1) * sizeof *d->school_bilingual_room);
  for (size_t s = 0; s < kase->n_schools; s++) {
    const bp_institution *i = &kase->schools[s];
    d->school_cap[s] = cap_or_default(i->max_bilingual_share,
                                      p->max_bilingual_share);
    d->school_bilingual_room[s] =
        bp_share_room(i->bilingual, i->enrolled, d->school_cap[s]);
  }
  d->daycare_cap = bp_alloc((kase->n_daycares + 1) * sizeof *d->daycare_cap);
  d->daycare_bilingual_room =
      bp_alloc((kase->n_daycares + 1) * sizeof *d->daycare_bilingual_room);
  for (size_t s = 0; s < kase->n_daycares; s++) {
    const bp_institution *i = &kase->daycares[s];
    d->daycare_cap[s] = cap_or_default(i->max_bilingual_share,
                                       p->max_bilingual_share);
    d->daycare_bilingual_room[s] =
        bp_share_room(i->bilingual, i->enrolled, d->daycare_cap[s]);
  }
}

static void derive_lookups(const bp_case *kase, bp_derived *d) {
  d->locked_unit = bp_alloc((kase->n_households + 1) * sizeof *d->locked_unit);
  for (size_t h = 0; h < kase->n_households; h++)
    d->locked_unit[h] = -1;
  d->forbidden = bp_alloc((kase->n_locks + 1) * sizeof *d->forbidden);
  for (size_t i = 0; i < kase->n_locks; i++) {
    const bp_lock *l = &kase->locks[i];
    if (l->action == BP_LOCK_PLACE)
      d->locked_unit[l->household] = l->unit;
    else
      d->forbidden[d->n_forbidden++] =
          (uint64_t)l->household * kase->n_units + (uint64_t)l->unit;
  }
  qsort(d->forbidden, d->n_forbidden, sizeof *d->forbidden, compare_keys);

  /* Scores sorted by key, values carried along (keys are unique: the
   * reader rejects a second score for the same household and area). */
  size_t n = kase->n_scores;
  d->score_keys = bp_alloc((n + 1) * sizeof *d->score_keys);
  d->score_values = bp_alloc((n + 1) * sizeof *d->score_values);
  for (size_t i = 0; i < n; i++)
    d->score_keys[i] = (uint64_t)kase->scores[i].household * kase->n_areas +
                       (uint64_t)kase->scores[i].area;
  qsort(d->score_keys, n, sizeof *d->score_keys, compare_keys);
  for (size_t i = 0; i < n; i++) {
    uint64_t key = (uint64_t)kase->scores[i].household * kase->n_areas +
                   (uint64_t)kase->scores[i].area;
    const uint64_t *at =
        bsearch(&key, d->score_keys, n, sizeof key, compare_keys);
    d->score_values[at - d->score_keys] = kase->scores[i].score;
  }
  d->n_score_keys = n;
}

/* A place lock the rules forbid cannot be kept by any proposal: say which
 * rules it breaks, in figures, so the coordinator can fix the lock or the
 * data. */
static void check_place_locks(const bp_case *kase, const bp_derived *d,
                              bp_diagnostics *diag) {
  for (size_t i = 0; i < kase->n_locks; i++) {
    const bp_lock *l = &kase->locks[i];
    if (l->action != BP_LOCK_PLACE)
      continue;
    bp_pair_figures f;
    unsigned char failed[BP_RULE_COUNT];
    if (bp_check_pair(kase, d, l->household, l->unit, &f, failed) == 0)
      continue;
    char rules[512] = "";
    for (int r = 0; r < BP_RULE_COUNT; r++) {
      if (!failed[r])
        continue;
      size_t used = strlen(rules);
      snprintf(rules + used, sizeof rules - used, "%s%s", used ? ", " : "",
               bp_rule_name((bp_rule)r));
    }
    bp_error(diag, "locks.csv", l->origin.line, 1,
             "the lock places household '%s' in unit '%s', but the pair "
             "breaks the hard rule(s): %s; remove the lock or correct the data",
             kase->households[l->household].id, kase->units[l->unit].id, rules);
  }
}

/* A kind of destination that some household must reach but no unit can
 * reach makes every such household unplaceable for a reason in the data,
 * not in the week's offers: report it as an input error. */
static void check_destinations(const bp_case *kase, const bp_derived *d,
                               bp_diagnostics *diag) {
  int need_language = 0, need_health = 0;
  for (size_t h = 0; h < kase->n_households; h++) {
    need_language |= kase->households[h].adults > 0;
    need_health |= kase->households[h].needs_health != 0;
  }
  int reach_language = 0, reach_health = 0;
  for (size_t u = 0; u < kase->n_units; u++) {
    reach_language |= isfinite(d->unit_travel[u].language_school);
    reach_health |= isfinite(d->unit_travel[u].health);
  }
  struct {
    int needed, reached;
    const char *kind, *who;
  } checks[] = {
      {need_language, reach_language, "language_school",
       "households with adults"},
      {need_health, reach_health, "health", "households with needs_health"},
  };
  for (size_t c = 0; c < sizeof checks / sizeof *checks; c++) {
    if (!checks[c].needed || checks[c].reached || kase->n_units == 0)
      continue;
    int line = 0;
    for (size_t i = 0; i < kase->n_destinations && !line; i++)
      if (strcmp(kase->destinations[i].kind, checks[c].kind) == 0)
        line = kase->destinations[i].origin.line;
    if (line)
      bp_error(diag, "destinations.csv", line, 1,
               "no unit can reach any destination of kind '%s' over links.csv, "
               "but %s must; check the stops and links",
               checks[c].kind, checks[c].who);
    else
      bp_error(diag, "destinations.csv", 0, 0,
               "no destination of kind '%s', but %s must reach one",
               checks[c].kind, checks[c].who);
  }
}

/* ------------------------------------------------------------------ */
/* The candidates: every eligible pair, without checking every pair    */
/* ------------------------------------------------------------------ */

/* bp_check_pair() is the one definition of eligibility, but calling it on
 * all households x units is most of the time of a run (720 million pairs on
 * the benchmark's XL case, of which 15 % are eligible).  So the pairs are
 * first screened, and bp_check_pair()'s rules (check_pair(), with the
 * household worked out once) run only on the survivors; their answer alone
 * decides what is stored and counted.
 *
 * Why the screen never drops a pair that matters.  A pair is stored when
 * bp_check_pair() fails no rule, and counted in eligible_ignoring_locks when
 * it fails none but (perhaps) BP_RULE_LOCK.  The screen drops a pair only
 * when one of the tests below holds, and each is, operand for operand, the
 * test bp_check_pair() applies for a rule other than BP_RULE_LOCK, with the
 * same condition on the household for the rule to apply:
 *
 *   unit left out of every bucket:  area vulnerable && !allow_vulnerable_areas
 *                                   (VULNERABLE); kind transit && !allow_transit
 *                                   (TRANSIT)
 *   shared bucket not visited:      !bp_is_single_adult (SHARED_SINGLE)
 *   room bucket not visited:        rooms < bp_rooms_needed (ROOMS_MIN) or
 *                                   rooms > bp_rooms_allowed (ROOMS_MAX); only
 *                                   non-shared units are in room buckets
 *   rest of a bucket skipped:       rent > max_rent + SLACK (RENT): a bucket is
 *                                   sorted by rent, NaN last; once one rent
 *                                   passes the test every later non-NaN rent,
 *                                   being >= it, does too; the NaN tail (for
 *                                   which the test is false) is always visited
 *   FAIL_LANGUAGE_SCHOOL, adults > 0:
 *                                   !(language_school <= limit + SLACK)
 *                                   (LANGUAGE_SCHOOL)
 *   FAIL_SCHOOL, children_6_16 > 0: !(school <= limit + SLACK) (SCHOOL)
 *   FAIL_DAYCARE, children_0_5 > 0: !(daycare <= limit + SLACK) (DAYCARE) or
 *                                   the area has no daycare (DAYCARE_PLACES)
 *   FAIL_HEALTH, needs_health:      !(health <= limit + SLACK) (HEALTH)
 *   FAIL_STEP_FREE, step_free:      !step_free of the unit (STEP_FREE)
 *   persons > max_persons > 0       (PERSONS)
 *   children_6_16 > 0 && children_6_16 > the school's free seats (SCHOOL_SEATS)
 *   children_0_5 > 0 && children_0_5 > the daycare's free places
 *                                   (DAYCARE_PLACES)
 *   job_stop >= 0 && !(walk_minutes + minutes_to_stop[job][stop]
 *                      <= max_minutes_job + SLACK)      (JOB)
 *
 * So a dropped pair fails a rule that is not the lock rule: bp_check_pair()
 * would neither store nor count it.  The floating-point tests repeat
 * bp_check_pair()'s expressions on the same doubles; that they give the
 * same answer needs evaluation in plain double precision (FLT_EVAL_METHOD
 * 0, every x86-64 and ARM64 build; they are sums and comparisons only, so
 * no multiply-add can be contracted either); elsewhere they are left out
 * (the rent buckets are then scanned to the end), which keeps the screen
 * sound and only makes it slower.  Survivors are visited in unit order through a
 * bitmap, so the candidates stay sorted by household then unit.
 * test_derive.c compares the result with the plain all-pairs loop. */
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
enum { SCREEN_FLOATS = 1 };
#else
enum { SCREEN_FLOATS = 0 };
#endif

/* What a unit fails whatever the household, for the rules that apply to
 * some households only. */
enum {
  FAIL_LANGUAGE_SCHOOL = 1,
  FAIL_SCHOOL = 2,
  FAIL_DAYCARE = 4,
  FAIL_HEALTH = 8,
  FAIL_STEP_FREE = 16,
};

/* A unit as the screen sees it, packed for a linear scan. */
typedef struct {
  double rent, walk_minutes;
  int unit, stop;
  int rooms;
  int shared;         /* 1 for kind shared: no room rule, single adults only */
  int max_persons;    /* 0 = no limit */
  int school_seats;   /* free seats at the area's school */
  int daycare_places; /* free places at the area's daycare; INT_MAX when it
                         has none (FAIL_DAYCARE is set then) */
  unsigned fails;     /* FAIL_* */
} screen_unit;

/* A run of screen units: [begin, nan) sorted by rent, [nan, end) NaN rent. */
typedef struct {
  int rooms;
  size_t begin, nan, end;
} screen_bucket;

typedef struct {
  screen_unit *units;
  size_t n_units;
  screen_bucket *buckets; /* non-shared units by rooms, ascending */
  size_t n_buckets;
  screen_bucket shared;   /* the shared units */
  size_t words;           /* 64-bit words in a bitmap of all units */
} screen;

/* Shared units last; the others by rooms; then rent (NaN last), unit. */
static int compare_screen_units(const void *a, const void *b) {
  const screen_unit *x = a, *y = b;
  if (x->shared != y->shared)
    return x->shared - y->shared;
  if (!x->shared && x->rooms != y->rooms)
    return (x->rooms > y->rooms) - (x->rooms < y->rooms);
  int nx = isnan(x->rent), ny = isnan(y->rent);
  if (nx != ny)
    return nx - ny;
  if (!nx && x->rent != y->rent)
    return (x->rent > y->rent) - (x->rent < y->rent);
  return (x->unit > y->unit) - (x->unit < y->unit);
}

static void screen_build(const bp_case *kase, const bp_derived *d,
                         screen *sc) {
  const bp_policy *p = &kase->policy;
  memset(sc, 0, sizeof *sc);
  sc->units = bp_alloc((kase->n_units + 1) * sizeof *sc->units);
  for (size_t u = 0; u < kase->n_units; u++) {
    const bp_unit *unit = &kase->units[u];
    const bp_area *area = &kase->areas[unit->area];
    const bp_unit_travel *t = &d->unit_travel[u];
    if ((area->vulnerable && !p->allow_vulnerable_areas) ||
        (unit->kind == BP_UNIT_TRANSIT && !p->allow_transit))
      continue; /* VULNERABLE or TRANSIT fails for every household */
    screen_unit *x = &sc->units[sc->n_units++];
    x->rent = unit->rent;
    x->walk_minutes = unit->walk_minutes;
    x->unit = (int)u;
    x->stop = unit->stop;
    x->rooms = unit->rooms;
    x->shared = unit->kind == BP_UNIT_SHARED;
    x->max_persons = unit->max_persons;
    x->school_seats = area->school >= 0 && (size_t)area->school < kase->n_schools
                          ? kase->schools[area->school].free_seats
                          : INT_MAX;
    x->daycare_places =
        area->daycare >= 0 && (size_t)area->daycare < kase->n_daycares
            ? kase->daycares[area->daycare].free_seats
            : INT_MAX;
    x->fails = 0;
    if (area->daycare < 0)
      x->fails |= FAIL_DAYCARE;
    if (!unit->step_free)
      x->fails |= FAIL_STEP_FREE;
    if (SCREEN_FLOATS) {
      if (!(t->language_school <= p->max_minutes_language_school + SLACK))
        x->fails |= FAIL_LANGUAGE_SCHOOL;
      if (!(t->school <= p->max_minutes_school + SLACK))
        x->fails |= FAIL_SCHOOL;
      if (!(t->daycare <= p->max_minutes_daycare + SLACK))
        x->fails |= FAIL_DAYCARE;
      if (!(t->health <= p->max_minutes_health + SLACK))
        x->fails |= FAIL_HEALTH;
    }
  }
  qsort(sc->units, sc->n_units, sizeof *sc->units, compare_screen_units);

  sc->buckets = bp_alloc((sc->n_units + 1) * sizeof *sc->buckets);
  size_t i = 0;
  while (i < sc->n_units) {
    size_t begin = i;
    int shared = sc->units[i].shared, rooms = sc->units[i].rooms;
    while (i < sc->n_units && sc->units[i].shared == shared &&
           (shared || sc->units[i].rooms == rooms))
      i++;
    size_t nan = begin;
    while (nan < i && !isnan(sc->units[nan].rent))
      nan++;
    screen_bucket b = {rooms, begin, nan, i};
    if (shared)
      sc->shared = b;
    else
      sc->buckets[sc->n_buckets++] = b;
  }
  sc->words = (kase->n_units + 63) / 64;
}

static void screen_free(screen *sc) {
  free(sc->units);
  free(sc->buckets);
  memset(sc, 0, sizeof *sc);
}

/* What one household asks of a unit, for screen_bucket_scan(). */
typedef struct {
  int persons, children_0_5, children_6_16;
  unsigned needs;           /* FAIL_* bits that concern the household */
  double rent_limit;        /* max_rent + SLACK */
  const double *job_minutes;/* minutes_to_stop[job_stop], NULL = no job */
  double job_limit;         /* max_minutes_job + SLACK */
} screen_ask;

/* Marks unit x in `marks` if it passes the screen for ask. */
static inline void screen_one(const screen_unit *x, const screen_ask *a,
                              uint64_t *marks) {
  if (x->fails & a->needs)
    return;
  if (x->max_persons > 0 && a->persons > x->max_persons)
    return;
  if (a->children_6_16 > 0 && a->children_6_16 > x->school_seats)
    return;
  if (a->children_0_5 > 0 && a->children_0_5 > x->daycare_places)
    return;
  if (SCREEN_FLOATS && a->job_minutes &&
      !(x->walk_minutes + a->job_minutes[x->stop] <= a->job_limit))
    return;
  marks[x->unit >> 6] |= UINT64_C(1) << (x->unit & 63);
}

/* Marks the units of bucket b that pass the screen for ask. */
static void screen_bucket_scan(const screen *sc, const screen_bucket *b,
                               const screen_ask *a, uint64_t *marks) {
  for (size_t i = b->begin; i < b->nan; i++) {
    if (SCREEN_FLOATS && sc->units[i].rent > a->rent_limit)
      break; /* and so does every later rent in [i, nan) */
    screen_one(&sc->units[i], a, marks);
  }
  for (size_t i = b->nan; i < b->end; i++) /* NaN rents pass the rent test */
    screen_one(&sc->units[i], a, marks);
}

/* Marks the units that pass the screen for household h. */
static void screen_household(const bp_case *kase, const bp_derived *d,
                             const screen *sc, size_t h, uint64_t *marks) {
  const bp_household *hh = &kase->households[h];
  const bp_policy *p = &kase->policy;
  screen_ask a = {
      .persons = bp_persons(hh),
      .children_0_5 = hh->children_0_5,
      .children_6_16 = hh->children_6_16,
      .needs = (hh->adults > 0 ? FAIL_LANGUAGE_SCHOOL : 0u) |
               (hh->children_6_16 > 0 ? FAIL_SCHOOL : 0u) |
               (hh->children_0_5 > 0 ? FAIL_DAYCARE : 0u) |
               (hh->needs_health ? FAIL_HEALTH : 0u) |
               (hh->step_free ? FAIL_STEP_FREE : 0u),
      .rent_limit = hh->max_rent + SLACK,
      .job_minutes = hh->job_stop >= 0 ? d->minutes_to_stop[hh->job_stop] : NULL,
      .job_limit = p->max_minutes_job + SLACK,
  };
  memset(marks, 0, sc->words * sizeof *marks);
  if (bp_is_single_adult(hh))
    screen_bucket_scan(sc, &sc->shared, &a, marks);
  int needed = bp_rooms_needed(hh, p), allowed = bp_rooms_allowed(hh, p);
  for (size_t i = 0; i < sc->n_buckets; i++) {
    int rooms = sc->buckets[i].rooms;
    if (rooms > allowed)
      break;
    if (rooms >= needed)
      screen_bucket_scan(sc, &sc->buckets[i], &a, marks);
  }
}

/* Every eligible pair, household by household and in unit order within
 * one: the candidates come out sorted by household then unit, which the
 * model's column order relies on.
 *
 * One thread.  Splitting the household loop over the two cores was tried
 * (two passes: bound, then fill each household's own slots) and gave the
 * same output, but no gain: at XL the loop spends more time in the kernel
 * faulting in the 9 GB candidate array than in bp_check_pair(), and those
 * faults got slower, not faster, with two threads (35 s -> 60 s wall on
 * the shared 2-core machine).  The array is now 16 bytes a pair (1.6 GiB
 * at XL), and what the loop waits for is the units it reads (perf: the
 * loads of kase->units[u] and unit_travel[u]); two threads have not been
 * tried again since. */
static void derive_candidates(const bp_case *kase, bp_derived *d) {
  screen sc;
  screen_build(kase, d, &sc);
  uint64_t *marks = bp_alloc((sc.words + 1) * sizeof *marks);
  size_t capacity = 1024;
  d->candidates = bp_alloc(capacity * sizeof *d->candidates);
  d->first_candidate =
      bp_alloc((kase->n_households + 1) * sizeof *d->first_candidate);
  d->eligible_ignoring_locks =
      bp_calloc(kase->n_households + 1, sizeof *d->eligible_ignoring_locks);
  for (size_t h = 0; h < kase->n_households; h++) {
    d->first_candidate[h] = d->n_candidates;
    screen_household(kase, d, &sc, h, marks);
    pair_household x;
    pair_household_init(kase, d, (int)h, &x);
    for (size_t w = 0; w < sc.words; w++) {
      for (uint64_t bits = marks[w]; bits; bits &= bits - 1) {
        int u = (int)(w * 64 + (size_t)__builtin_ctzll(bits));
        if (d->n_candidates == capacity) {
          capacity *= 2;
          d->candidates =
              bp_realloc(d->candidates, capacity * sizeof *d->candidates);
        }
        /* Kept only when no rule fails; of the figures, the list keeps
         * pair_cost (bp_candidate_figures() works out the rest again). */
        bp_pair_figures f;
        unsigned char failed[BP_RULE_COUNT];
        int n_failed = check_pair(kase, d, &x, u, &f, failed);
        if (n_failed == 0 || (n_failed == 1 && failed[BP_RULE_LOCK]))
          d->eligible_ignoring_locks[h]++;
        if (n_failed == 0)
          d->candidates[d->n_candidates++] =
              (bp_candidate){(int)h, u, f.pair_cost};
      }
    }
  }
  d->first_candidate[kase->n_households] = d->n_candidates;
  /* Give back what the doubling left over. */
  d->candidates = bp_realloc(d->candidates,
                             (d->n_candidates + 1) * sizeof *d->candidates);
  free(marks);
  screen_free(&sc);
}

bp_status bp_derive(const bp_case *kase, bp_derived *d,
                    bp_diagnostics *diag) {
  memset(d, 0, sizeof *d);
  bp_network net;
  bp_network_build(kase, &net);
  d->unit_travel = bp_derive_unit_travel(kase, &net);
  d->minutes_to_stop = bp_derive_job_minutes(kase, &net);
  d->n_stops = kase->n_stops;
  bp_network_free(&net);
  derive_caps(kase, d);
  derive_lookups(kase, d);

  size_t before = diag->errors;
  check_place_locks(kase, d, diag);
  check_destinations(kase, d, diag);
  if (diag->errors > before)
    return BP_INVALID;

  derive_candidates(kase, d);
  return BP_OK;
}

void bp_derived_free(bp_derived *d) {
  free(d->unit_travel);
  free(d->candidates);
  free(d->first_candidate);
  free(d->area_cap);
  free(d->school_cap);
  free(d->daycare_cap);
  free(d->area_room);
  free(d->school_bilingual_room);
  free(d->daycare_bilingual_room);
  free(d->eligible_ignoring_locks);
  if (d->minutes_to_stop)
    for (size_t s = 0; s < d->n_stops; s++)
      free(d->minutes_to_stop[s]);
  free(d->minutes_to_stop);
  free(d->locked_unit);
  free(d->forbidden);
  free(d->score_keys);
  free(d->score_values);
  memset(d, 0, sizeof *d);
}
