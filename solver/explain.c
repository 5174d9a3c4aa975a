/**
 * @file explain.c
 * @brief Explain: every proposal, and every household left without one, in
 *        words a caseworker can read out to the family, in English or Danish.
 *
 * The explanation is computed from the solution, never by solving again:
 *
 *  - a placed household gets one sentence about its unit (size, kind, rent
 *    against its maximum, travel to what matters to it, the effect on the
 *    area's newcomer share, its wish and ties when met), and one about its
 *    best alternative: its other candidate with the lowest pair cost, and
 *    whether that unit went to someone else, would break a cap, or is worse
 *    on which terms;
 *  - an unplaced household gets a reason code (SPEC.md) and a sentence,
 *    decided in this order: no candidates (LOCK when only locks stand in
 *    the way, else NO_ELIGIBLE_UNIT, with the nearest miss in figures), its
 *    group could not be placed together (GROUP), every unit that fits went
 *    to others (OUTCOMPETED, naming who took the best one), else a cap
 *    blocks every free unit that fits (CAP_BINDING, naming the cap that
 *    blocks the best one, in figures).
 *
 * The cost is linear in the candidates, plus one scan of the units for each
 * household that has no candidate at all.  Rules are never re-implemented
 * here: pairwise rules come from bp_check_pair(), shares from rules.c, and
 * the room under each cap from bp_derived.
 *
 * Numbers follow the language: "DKK 6,150", "12.5 min", "14.2%" in English,
 * "6.150 kr.", "12,5 min", "14,2 %" in Danish.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

/* ------------------------------------------------------------------ */
/* Numbers                                                              */
/* ------------------------------------------------------------------ */

void bp_text_number(bp_buffer *b, double value, int decimals, int trim,
                    bp_language lang) {
  if (!isfinite(value)) {
    bp_buffer_append(b, isnan(value) ? "?" : "∞");
    return;
  }
  char digits[64];
  snprintf(digits, sizeof digits, "%.*f", decimals, fabs(value));
  int zero = strspn(digits, "0.") == strlen(digits);
  char *dot = strchr(digits, '.');
  size_t int_len = dot ? (size_t)(dot - digits) : strlen(digits);
  const char *frac = dot ? dot + 1 : "";
  size_t frac_len = strlen(frac);
  if (trim)
    while (frac_len > 0 && frac[frac_len - 1] == '0')
      frac_len--;
  if (value < 0 && !zero)
    bp_buffer_append(b, "-");
  const char *group = lang == BP_LANG_DA ? "." : ",";
  for (size_t i = 0; i < int_len; i++) {
    if (i > 0 && (int_len - i) % 3 == 0)
      bp_buffer_append(b, group);
    bp_buffer_append_n(b, digits + i, 1);
  }
  if (frac_len > 0) {
    bp_buffer_append(b, lang == BP_LANG_DA ? "," : ".");
    bp_buffer_append_n(b, frac, frac_len);
  }
}

/* Whole kroner unless there are øre: 6,150 or 6,150.50. */
static int money_decimals(double value) {
  return fabs(value - round(value)) < 0.005 ? 0 : 2;
}

void bp_text_money(bp_buffer *b, double value, bp_language lang) {
  if (lang == BP_LANG_DA) {
    bp_text_number(b, value, money_decimals(value), 0, lang);
    bp_buffer_append(b, " kr.");
  } else {
    if (value < 0) {
      bp_buffer_append(b, "-");
      value = -value;
    }
    bp_buffer_append(b, "DKK ");
    bp_text_number(b, value, money_decimals(value), 0, lang);
  }
}

/* A bare amount, for "of max 6,400" after a full amount in English. */
static void text_amount(bp_buffer *b, double value, bp_language lang) {
  if (lang == BP_LANG_DA)
    bp_text_money(b, value, lang);
  else
    bp_text_number(b, value, money_decimals(value), 0, lang);
}

void bp_text_minutes(bp_buffer *b, double minutes, bp_language lang) {
  bp_text_number(b, minutes, 1, 1, lang);
  bp_buffer_append(b, " min");
}

void bp_text_percent(bp_buffer *b, double share, int decimals, int trim,
                     bp_language lang) {
  bp_text_number(b, 100.0 * share, decimals, trim, lang);
  bp_buffer_append(b, lang == BP_LANG_DA ? " %" : "%");
}

/* A share that breaks a limit, with enough decimals that the printed share
 * is visibly above the printed limit (15.04% against 15% shows as 15.04%). */
static void percent_above(bp_buffer *b, double share, double limit,
                          bp_language lang) {
  int d = 1;
  while (d < 4 && round(share * 100 * pow(10, d)) <=
                      round(limit * 100 * pow(10, d)))
    d++;
  bp_text_percent(b, share, d, 0, lang);
}

/* Two shares side by side, with enough decimals to tell them apart. */
static int percent_decimals(double x, double y) {
  int d = 1;
  while (d < 4 && fabs(x - y) > 1e-12 &&
         round(x * 100 * pow(10, d)) == round(y * 100 * pow(10, d)))
    d++;
  return d;
}

/* ------------------------------------------------------------------ */
/* The tally of the run's placements                                    */
/* ------------------------------------------------------------------ */

long bp_placed_candidate(const bp_solution *solution, int h) {
  if (!solution || !solution->candidate_of_household)
    return -1;
  return solution->candidate_of_household[h];
}

void bp_tally_build(const bp_case *kase, const bp_derived *derived,
                    const bp_solution *solution, bp_tally *t) {
  memset(t, 0, sizeof *t);
  t->area_placed = bp_calloc(kase->n_areas + 1, sizeof *t->area_placed);
  t->building_placed =
      bp_calloc(kase->n_buildings + 1, sizeof *t->building_placed);
  t->school_children =
      bp_calloc(kase->n_schools + 1, sizeof *t->school_children);
  t->daycare_children =
      bp_calloc(kase->n_daycares + 1, sizeof *t->daycare_children);
  t->group_placed = bp_calloc(kase->n_groups + 1, sizeof *t->group_placed);
  t->occupant_first =
      bp_calloc(kase->n_units + 2, sizeof *t->occupant_first);
  t->household_unit =
      bp_alloc((kase->n_households + 1) * sizeof *t->household_unit);
  size_t placed = 0;
  for (size_t h = 0; h < kase->n_households; h++) {
    long c = bp_placed_candidate(solution, (int)h);
    t->household_unit[h] = c >= 0 ? derived->candidates[c].unit : -1;
    if (c < 0)
      continue;
    const bp_household *hh = &kase->households[h];
    const bp_unit *unit = &kase->units[derived->candidates[c].unit];
    const bp_area *area = &kase->areas[unit->area];
    t->area_placed[unit->area]++;
    if (unit->building_index >= 0)
      t->building_placed[unit->building_index]++;
    t->school_children[area->school] += hh->children_6_16;
    if (area->daycare >= 0)
      t->daycare_children[area->daycare] += hh->children_0_5;
    if (hh->group >= 0)
      t->group_placed[hh->group]++;
    t->occupant_first[derived->candidates[c].unit + 1]++;
    placed++;
  }
  for (size_t u = 0; u < kase->n_units; u++)
    t->occupant_first[u + 1] += t->occupant_first[u];
  t->occupant = bp_alloc((placed + 1) * sizeof *t->occupant);
  size_t *next = bp_alloc((kase->n_units + 1) * sizeof *next);
  memcpy(next, t->occupant_first, (kase->n_units + 1) * sizeof *next);
  for (size_t h = 0; h < kase->n_households; h++) {
    long c = bp_placed_candidate(solution, (int)h);
    if (c >= 0)
      t->occupant[next[derived->candidates[c].unit]++] = (int)h;
  }
  free(next);
}

void bp_tally_free(bp_tally *t) {
  free(t->area_placed);
  free(t->building_placed);
  free(t->school_children);
  free(t->daycare_children);
  free(t->group_placed);
  free(t->occupant_first);
  free(t->occupant);
  free(t->household_unit);
  memset(t, 0, sizeof *t);
}

size_t bp_binding_caps(const bp_case *k, const bp_derived *d,
                       const bp_tally *tally, bp_binding_cap **caps) {
  size_t na = k->n_areas, ns = k->n_schools, nd = k->n_daycares,
         nb = k->n_buildings;
  /* What the candidates reach, unit by unit first: the pass over the
   * list (109 million pairs at XL) then reads the list alone, not each
   * pair's unit and area, which was seconds of cache misses. */
  enum { ANY = 1, SCHOOL_CHILDREN = 2, YOUNG_CHILDREN = 4 };
  unsigned char *unit_reached = bp_calloc(k->n_units + 1, 1);
  for (size_t h = 0; h < k->n_households; h++) {
    const bp_household *hh = &k->households[h];
    unsigned char bits = ANY |
                         (hh->children_6_16 > 0 ? SCHOOL_CHILDREN : 0) |
                         (hh->children_0_5 > 0 ? YOUNG_CHILDREN : 0);
    for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++)
      unit_reached[d->candidates[i].unit] |= bits;
  }
  char *reached = bp_calloc(na + ns + nd + nb + 1, 1);
  for (size_t ui = 0; ui < k->n_units; ui++) {
    if (!unit_reached[ui])
      continue;
    const bp_unit *u = &k->units[ui];
    const bp_area *area = &k->areas[u->area];
    reached[u->area] = 1;
    if (unit_reached[ui] & SCHOOL_CHILDREN)
      reached[na + area->school] = 1;
    if ((unit_reached[ui] & YOUNG_CHILDREN) && area->daycare >= 0)
      reached[na + ns + area->daycare] = 1;
    if (u->building_index >= 0)
      reached[na + ns + nd + u->building_index] = 1;
  }
  free(unit_reached);
  bp_binding_cap *list = bp_alloc((na + ns + nd + nb + 1) * sizeof *list);
  size_t n_caps = 0;
  for (size_t a = 0; a < na; a++)
    if (reached[a] && tally->area_placed[a] == d->area_room[a])
      list[n_caps++] = (bp_binding_cap){k->areas[a].name, BP_CAP_NEWCOMER_SHARE};
  for (int daycare = 0; daycare <= 1; daycare++) {
    size_t n = daycare ? nd : ns, offset = daycare ? na + ns : na;
    const bp_institution *inst = daycare ? k->daycares : k->schools;
    const int *used = daycare ? tally->daycare_children : tally->school_children;
    const int *room =
        daycare ? d->daycare_bilingual_room : d->school_bilingual_room;
    for (size_t s = 0; s < n; s++) {
      if (!reached[offset + s])
        continue;
      if (used[s] == inst[s].free_seats)
        list[n_caps++] = (bp_binding_cap){
            inst[s].name, daycare ? BP_CAP_FREE_PLACES : BP_CAP_FREE_SEATS};
      else if (used[s] == room[s])
        list[n_caps++] = (bp_binding_cap){inst[s].name, BP_CAP_BILINGUAL_SHARE};
    }
  }
  if (k->policy.max_new_per_building > 0)
    for (size_t i = 0; i < nb; i++)
      if (reached[na + ns + nd + i] &&
          tally->building_placed[i] == k->policy.max_new_per_building)
        list[n_caps++] = (bp_binding_cap){k->buildings[i].name,
                                          BP_CAP_BUILDING_LIMIT};
  free(reached);
  *caps = list;
  return n_caps;
}

static int occupants(const bp_tally *t, int u) {
  return (int)(t->occupant_first[u + 1] - t->occupant_first[u]);
}

int bp_tally_taken_by(const bp_tally *t, int u, int h) {
  for (size_t i = t->occupant_first[u]; i < t->occupant_first[u + 1]; i++)
    if (t->occupant[i] != h)
      return t->occupant[i];
  return -1;
}

double bp_area_share_before(const bp_case *kase, int a) {
  const bp_area *area = &kase->areas[a];
  return bp_share(area->newcomer_households, area->households);
}

double bp_area_share_after(const bp_case *kase, const bp_tally *t, int a) {
  const bp_area *area = &kase->areas[a];
  return bp_share(area->newcomer_households + t->area_placed[a],
                  area->households + t->area_placed[a]);
}

/* The share of an area, school or daycare with k more added to both sides. */
static double area_share_plus(const bp_case *kase, const bp_tally *t, int a,
                              int k) {
  const bp_area *area = &kase->areas[a];
  return bp_share(area->newcomer_households + t->area_placed[a] + k,
                  area->households + t->area_placed[a] + k);
}

static double institution_share_plus(const bp_institution *i, int placed,
                                     int k) {
  return bp_share(i->bilingual + placed + k, i->enrolled + placed + k);
}

/* ------------------------------------------------------------------ */
/* What blocks an eligible pair                                         */
/* ------------------------------------------------------------------ */

const char *bp_block_name(bp_block block) {
  static const char *names[BP_BLOCK_COUNT] = {
      [BP_BLOCK_NONE] = "none",
      [BP_BLOCK_TAKEN] = "unit_places",
      [BP_BLOCK_GROUP] = "group",
      [BP_BLOCK_AREA_SHARE] = "area_share",
      [BP_BLOCK_SCHOOL_SEATS] = "school_seats",
      [BP_BLOCK_SCHOOL_BILINGUAL] = "school_bilingual_share",
      [BP_BLOCK_DAYCARE_PLACES] = "daycare_places",
      [BP_BLOCK_DAYCARE_BILINGUAL] = "daycare_bilingual_share",
      [BP_BLOCK_BUILDING] = "building",
      [BP_BLOCK_MIN_CLUSTER] = "min_cluster",
      [BP_BLOCK_TRANSIT] = "transit",
  };
  return block < BP_BLOCK_COUNT ? names[block] : "?";
}

static int in_real_group(const bp_case *kase, const bp_household *hh) {
  return hh->group >= 0 && kase->groups[hh->group].n_members >= 2;
}

/* Household h in unit u, given everyone else's placement: what would stop
 * it?  from_unit is h's own unit when it is placed (the question is then
 * "why not move"), -1 when it is not.  The first block found is returned,
 * in the order a caseworker would check them: taken, group, area share,
 * school, daycare, building, cluster, and transit against a permanent home.
 * The counts in the tally include h at from_unit, so a cap h already counts
 * toward (same area, school, ...) cannot block the move. */
static bp_block block_of(const bp_case *kase, const bp_derived *derived,
                         const bp_tally *t, int h, int u, int from_unit) {
  const bp_household *hh = &kase->households[h];
  const bp_unit *unit = &kase->units[u];
  const bp_policy *p = &kase->policy;
  int a = unit->area;
  const bp_area *area = &kase->areas[a];
  int from_area = from_unit >= 0 ? kase->units[from_unit].area : -1;
  int from_school = from_area >= 0 ? kase->areas[from_area].school : -1;
  int from_daycare = from_area >= 0 ? kase->areas[from_area].daycare : -1;
  int from_building =
      from_unit >= 0 ? kase->units[from_unit].building_index : -1;

  if (occupants(t, u) - (u == from_unit) >= unit->places)
    return BP_BLOCK_TAKEN;
  if (from_unit >= 0 && a != from_area && in_real_group(kase, hh))
    return BP_BLOCK_GROUP;
  if (a != from_area && t->area_placed[a] + 1 > derived->area_room[a])
    return BP_BLOCK_AREA_SHARE;
  int c6 = hh->children_6_16, c05 = hh->children_0_5;
  if (c6 > 0 && area->school != from_school) {
    int s = area->school;
    if (t->school_children[s] + c6 > kase->schools[s].free_seats)
      return BP_BLOCK_SCHOOL_SEATS;
    if (t->school_children[s] + c6 > derived->school_bilingual_room[s])
      return BP_BLOCK_SCHOOL_BILINGUAL;
  }
  if (c05 > 0 && area->daycare >= 0 && area->daycare != from_daycare) {
    int d = area->daycare;
    if (t->daycare_children[d] + c05 > kase->daycares[d].free_seats)
      return BP_BLOCK_DAYCARE_PLACES;
    if (t->daycare_children[d] + c05 > derived->daycare_bilingual_room[d])
      return BP_BLOCK_DAYCARE_BILINGUAL;
  }
  if (p->max_new_per_building > 0 && unit->building_index >= 0 &&
      unit->building_index != from_building &&
      t->building_placed[unit->building_index] + 1 > p->max_new_per_building)
    return BP_BLOCK_BUILDING;
  if (p->min_cluster > 1 && a != from_area) {
    /* An area without newcomers takes none or at least min_cluster: one
     * more cannot start a cluster alone, and leaving must not shrink one
     * below the minimum. */
    if (area->newcomer_households == 0 && t->area_placed[a] + 1 < p->min_cluster)
      return BP_BLOCK_MIN_CLUSTER;
    if (from_area >= 0 && kase->areas[from_area].newcomer_households == 0 &&
        t->area_placed[from_area] - 1 > 0 &&
        t->area_placed[from_area] - 1 < p->min_cluster)
      return BP_BLOCK_MIN_CLUSTER;
  }
  if (from_unit >= 0 && unit->kind == BP_UNIT_TRANSIT &&
      kase->units[from_unit].kind != BP_UNIT_TRANSIT)
    return BP_BLOCK_TRANSIT;
  return BP_BLOCK_NONE;
}

static size_t candidates_of(const bp_derived *derived, int h, size_t *first) {
  *first = derived->first_candidate[h];
  return derived->first_candidate[h + 1] - derived->first_candidate[h];
}

/* Lower pair cost first; ties to the lower unit index (= lower unit id). */
static int better_candidate(const bp_candidate *x, const bp_candidate *y) {
  if (x->pair_cost < y->pair_cost - 1e-12)
    return 1;
  if (x->pair_cost > y->pair_cost + 1e-12)
    return 0;
  return x->unit < y->unit;
}

bp_alternative bp_explain_alternative(const bp_case *kase,
                                      const bp_derived *derived,
                                      const bp_tally *t, int h, size_t c) {
  bp_alternative alt = {-1, -1, BP_BLOCK_NONE, -1};
  size_t first, n = candidates_of(derived, h, &first);
  for (size_t i = first; i < first + n; i++) {
    if (i == c)
      continue;
    if (alt.candidate < 0 ||
        better_candidate(&derived->candidates[i],
                         &derived->candidates[alt.candidate]))
      alt.candidate = (long)i;
  }
  if (alt.candidate < 0)
    return alt;
  alt.unit = derived->candidates[alt.candidate].unit;
  alt.block = block_of(kase, derived, t, h, alt.unit, derived->candidates[c].unit);
  if (alt.block == BP_BLOCK_TAKEN)
    alt.taken_by = bp_tally_taken_by(t, alt.unit, h);
  return alt;
}

size_t bp_explain_failed_rules(const bp_case *kase, const bp_derived *derived,
                               const bp_tally *t, int h, int u,
                               const char *names[BP_MAX_CHECKS]) {
  bp_pair_figures f;
  unsigned char failed[BP_RULE_COUNT];
  size_t n = 0;
  if (bp_check_pair(kase, derived, h, u, &f, failed) > 0) {
    for (int r = 0; r < BP_RULE_COUNT; r++)
      if (failed[r])
        names[n++] = bp_rule_name((bp_rule)r);
    return n;
  }
  int from_unit = t->household_unit[h];
  bp_block block = block_of(kase, derived, t, h, u, from_unit);
  if (block != BP_BLOCK_NONE)
    names[n++] = bp_block_name(block);
  return n;
}

/* ------------------------------------------------------------------ */
/* Words                                                                */
/* ------------------------------------------------------------------ */

/* What every sentence needs. */
typedef struct {
  const bp_case *kase;
  const bp_derived *derived;
  const bp_solution *solution;
  const bp_tally *tally;
  bp_language lang;
} ctx;

static int da(const ctx *x) { return x->lang == BP_LANG_DA; }

static void say(bp_buffer *b, const ctx *x, const char *en, const char *dk) {
  bp_buffer_append(b, da(x) ? dk : en);
}

static const char *plural(int n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

static void money(bp_buffer *b, const ctx *x, double v) {
  bp_text_money(b, v, x->lang);
}
static void minutes(bp_buffer *b, const ctx *x, double v) {
  bp_text_minutes(b, v, x->lang);
}
static void number(bp_buffer *b, const ctx *x, double v, int decimals) {
  bp_text_number(b, v, decimals, 1, x->lang);
}
static void percent(bp_buffer *b, const ctx *x, double share, int decimals) {
  bp_text_percent(b, share, decimals, 0, x->lang);
}
/* A cap as policy states it: 15%, 12.5%. */
static void cap_percent(bp_buffer *b, const ctx *x, double share) {
  bp_text_percent(b, share, 2, 1, x->lang);
}

static const char *name_or_id(const char *name, const char *id) {
  return name && *name ? name : id;
}
static const char *area_name(const ctx *x, int a) {
  return name_or_id(x->kase->areas[a].name, x->kase->areas[a].id);
}
static const char *school_name(const ctx *x, int s) {
  return name_or_id(x->kase->schools[s].name, x->kase->schools[s].id);
}
static const char *daycare_name(const ctx *x, int d) {
  return name_or_id(x->kase->daycares[d].name, x->kase->daycares[d].id);
}

/* "Kirkeby's" in English; Danish sentences are written to need no
 * genitive ("andelen af nytilkomne i Kirkeby"). */
static void possessive(bp_buffer *b, const char *name) {
  bp_buffer_append(b, name);
  size_t n = strlen(name);
  bp_buffer_append(b, n > 0 && (name[n - 1] == 's' || name[n - 1] == 'S')
                          ? "'"
                          : "'s");
}

/* "U017 in Kirkeby" */
static void unit_place(bp_buffer *b, const ctx *x, int u) {
  const bp_unit *unit = &x->kase->units[u];
  bp_buffer_printf(b, "%s %s %s", unit->id, da(x) ? "i" : "in",
                   area_name(x, unit->area));
}

/* "3-room public flat U017 in Kirkeby" */
static void unit_description(bp_buffer *b, const ctx *x, int u) {
  const bp_unit *unit = &x->kase->units[u];
  /* Transit is said to be temporary later in the sentence. */
  static const char *en[] = {"public flat", "private rental flat",
                             "senior flat", "room in shared housing",
                             "transit flat"};
  static const char *dk[] = {"almen bolig", "privat lejebolig", "ældrebolig",
                             "værelse i delebolig", "transitbolig"};
  int kind = unit->kind < BP_UNIT_KIND_COUNT ? (int)unit->kind : 0;
  if (unit->kind != BP_UNIT_SHARED)
    bp_buffer_printf(b, "%d-%s ", unit->rooms, da(x) ? "værelses" : "room");
  bp_buffer_printf(b, "%s ", da(x) ? dk[kind] : en[kind]);
  unit_place(b, x, u);
}

/* Joins phrases as "a, b and c" / "a, b og c". */
static void join(bp_buffer *b, const ctx *x, char **items, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i > 0)
      bp_buffer_append(b, i + 1 == n ? (da(x) ? " og " : " and ") : ", ");
    bp_buffer_append(b, items[i]);
  }
}

static void free_items(char **items, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(items[i]);
}

/* The trips that matter to the household, as "22 min to the language
 * school, 9 min to Kirkeby Skole".  Returns the number of trips. */
static size_t travel_list(bp_buffer *b, const ctx *x,
                          const bp_pair_figures *f) {
  const bp_unit *unit = &x->kase->units[f->unit];
  const bp_area *area = &x->kase->areas[unit->area];
  struct {
    double minutes;
    const char *en, *dk, *name;
  } trips[] = {
      {f->minutes_language_school, "the language school", "sprogskolen", NULL},
      {f->minutes_school, NULL, NULL, school_name(x, area->school)},
      {f->minutes_daycare, NULL, NULL,
       area->daycare >= 0 ? daycare_name(x, area->daycare) : NULL},
      {f->minutes_job, "work or study", "arbejde eller uddannelse", NULL},
      {f->minutes_health, "specialised health care",
       "specialiseret behandling", NULL},
  };
  size_t n = 0;
  for (size_t i = 0; i < sizeof trips / sizeof *trips; i++) {
    if (isnan(trips[i].minutes))
      continue;
    if (n++ > 0)
      bp_buffer_append(b, ", ");
    if (isfinite(trips[i].minutes))
      minutes(b, x, trips[i].minutes);
    else
      say(b, x, "no route", "ingen rute");
    bp_buffer_append(b, da(x) ? " til " : " to ");
    bp_buffer_append(b, trips[i].name ? trips[i].name
                                      : (da(x) ? trips[i].dk : trips[i].en));
  }
  return n;
}

/* "rent DKK 5,900 of max 6,400" */
static void rent_of_max(bp_buffer *b, const ctx *x, int h, int u) {
  say(b, x, "rent ", "husleje ");
  money(b, x, x->kase->units[u].rent);
  say(b, x, " of max ", " af højst ");
  text_amount(b, x->kase->households[h].max_rent, x->lang);
}

/* "H19 and H21": the households in unit u other than h. */
static void occupant_list(bp_buffer *b, const ctx *x, int u, int h) {
  const bp_tally *t = x->tally;
  char *items[4];
  size_t n = 0, total = 0;
  for (size_t i = t->occupant_first[u]; i < t->occupant_first[u + 1]; i++) {
    if (t->occupant[i] == h)
      continue;
    if (n < 3)
      items[n++] = bp_strdup(x->kase->households[t->occupant[i]].id);
    total++;
  }
  if (total > n) {
    size_t rest = total - n;
    items[n++] = bp_format(da(x) ? "%zu andre" : "%zu others", rest);
  }
  join(b, x, items, n);
  free_items(items, n);
}

/* ---- what blocks a unit, in words ---------------------------------- */

/* "it would take Kirkeby's newcomer share to 15.4% (cap 15%)" and the like:
 * the block of household h in unit u, in figures.  from_area is the area
 * the household would leave (placed households), -1 otherwise. */
static void block_phrase(bp_buffer *b, const ctx *x, int h, int u,
                         bp_block block, int from_area) {
  const bp_case *k = x->kase;
  const bp_household *hh = &k->households[h];
  const bp_unit *unit = &k->units[u];
  int a = unit->area;
  const bp_area *area = &k->areas[a];
  const bp_tally *t = x->tally;
  switch (block) {
  case BP_BLOCK_NONE:
    say(b, x, "nothing blocks it", "intet forhindrer det");
    break;
  case BP_BLOCK_TAKEN: {
    int others = occupants(t, u) - (t->household_unit[h] == u);
    if (others <= 0) {
      say(b, x, "it is full", "den er optaget");
    } else if (unit->places > 1) {
      bp_buffer_printf(b, da(x) ? "dens %d pladser gik til husstandene "
                                : "its %d places went to households ",
                       unit->places);
      occupant_list(b, x, u, h);
    } else {
      say(b, x, "it went to household ", "den gik til husstand ");
      occupant_list(b, x, u, h);
    }
    break;
  }
  case BP_BLOCK_GROUP: {
    int placed_area = from_area >= 0 ? from_area : a;
    bp_buffer_printf(b,
                     da(x) ? "husstandens gruppe %s skal bo samlet i %s"
                           : "the household's group %s lives together in %s",
                     k->groups[hh->group].id, area_name(x, placed_area));
    break;
  }
  case BP_BLOCK_AREA_SHARE: {
    double after = area_share_plus(k, t, a, 1);
    double cap = x->derived->area_cap[a];
    double today = bp_area_share_before(k, a);
    if (da(x))
      bp_buffer_printf(b, "den ville løfte andelen af nytilkomne i %s til ",
                       area_name(x, a));
    else {
      say(b, x, "it would take ", "");
      possessive(b, area_name(x, a));
      bp_buffer_append(b, " newcomer share to ");
    }
    percent_above(b, after, cap > today ? cap : today, x->lang);
    say(b, x, " (cap ", " (loft ");
    cap_percent(b, x, cap);
    if (today > cap) {
      say(b, x, "; already ", "; allerede ");
      percent(b, x, today, 1);
      say(b, x, " before this run, so it may not rise",
          " før denne kørsel, så den må ikke stige");
    }
    bp_buffer_append(b, ")");
    break;
  }
  case BP_BLOCK_SCHOOL_SEATS:
  case BP_BLOCK_DAYCARE_PLACES: {
    int school = block == BP_BLOCK_SCHOOL_SEATS;
    int i = school ? area->school : area->daycare;
    const bp_institution *inst = school ? &k->schools[i] : &k->daycares[i];
    int left = inst->free_seats -
               (school ? t->school_children[i] : t->daycare_children[i]);
    int children = school ? hh->children_6_16 : hh->children_0_5;
    const char *name = school ? school_name(x, i) : daycare_name(x, i);
    if (left < 0)
      left = 0;
    char count[32];
    snprintf(count, sizeof count, "%s%d", da(x) ? "kun " : "only ", left);
    if (left == 0)
      snprintf(count, sizeof count, "%s", da(x) ? "ingen" : "no");
    if (da(x))
      bp_buffer_printf(b, "%s har %s ledige %s tilbage til %d %s", name, count,
                       plural(left, "plads", "pladser"), children,
                       plural(children, "barn", "børn"));
    else
      bp_buffer_printf(b, "%s has %s free %s left for %d %s", name, count,
                       school ? plural(left, "seat", "seats")
                              : plural(left, "place", "places"),
                       children, plural(children, "child", "children"));
    break;
  }
  case BP_BLOCK_SCHOOL_BILINGUAL:
  case BP_BLOCK_DAYCARE_BILINGUAL: {
    int school = block == BP_BLOCK_SCHOOL_BILINGUAL;
    int i = school ? area->school : area->daycare;
    const bp_institution *inst = school ? &k->schools[i] : &k->daycares[i];
    int placed = school ? t->school_children[i] : t->daycare_children[i];
    int children = school ? hh->children_6_16 : hh->children_0_5;
    double cap = school ? x->derived->school_cap[i] : x->derived->daycare_cap[i];
    double today = bp_share(inst->bilingual, inst->enrolled);
    double after = institution_share_plus(inst, placed, children);
    const char *name = school ? school_name(x, i) : daycare_name(x, i);
    if (da(x))
      bp_buffer_printf(b, "den ville løfte andelen af tosprogede børn %s %s til ",
                       school ? "på" : "i", name);
    else
      bp_buffer_printf(b, "it would take the bilingual share at %s to ", name);
    percent_above(b, after, cap > today ? cap : today, x->lang);
    say(b, x, " (cap ", " (loft ");
    cap_percent(b, x, cap);
    bp_buffer_append(b, ")");
    break;
  }
  case BP_BLOCK_BUILDING: {
    int bi = unit->building_index;
    int placed = t->building_placed[bi];
    if (da(x))
      bp_buffer_printf(b,
                       "bygningen %s får allerede %d %s i denne kørsel "
                       "(grænse %d)",
                       k->buildings[bi].name, placed,
                       plural(placed, "ny husstand", "nye husstande"),
                       k->policy.max_new_per_building);
    else
      bp_buffer_printf(b,
                       "building %s already gets %d new %s this run "
                       "(limit %d)",
                       k->buildings[bi].name, placed,
                       plural(placed, "household", "households"),
                       k->policy.max_new_per_building);
    break;
  }
  case BP_BLOCK_MIN_CLUSTER: {
    int m = k->policy.min_cluster;
    if (area->newcomer_households == 0 && x->tally->area_placed[a] + 1 < m)
      bp_buffer_printf(b,
                       da(x) ? "%s har ingen nytilkomne endnu og skal i så "
                               "fald have mindst %d på én gang"
                             : "%s has no newcomers yet and must then get at "
                               "least %d at once",
                       area_name(x, a), m);
    else if (from_area >= 0)
      bp_buffer_printf(b,
                       da(x) ? "flytningen ville efterlade %s med færre end %d "
                               "nytilkomne (mindstegrænsen for et område uden "
                               "nytilkomne)"
                             : "moving would leave %s with fewer than %d "
                               "newcomers (the minimum for an area without "
                               "newcomers)",
                       area_name(x, from_area), m);
    else
      bp_buffer_printf(b,
                       da(x) ? "mindstegrænsen på %d nytilkomne i %s"
                             : "the minimum of %d newcomers in %s",
                       m, area_name(x, a));
    break;
  }
  case BP_BLOCK_TRANSIT:
    say(b, x, "it is temporary transit housing, and a permanent home was found",
        "den er en midlertidig transitbolig, og der blev fundet en permanent "
        "bolig");
    break;
  case BP_BLOCK_COUNT:
    break;
  }
}

/* ---- one rule failed by one unit, in figures ----------------------- */

static void travel_failure(bp_buffer *b, const ctx *x, double m, double limit,
                           const char *to_en, const char *to_da) {
  if (isfinite(m)) {
    minutes(b, x, m);
    bp_buffer_printf(b, da(x) ? " til %s (grænse " : " to %s (limit ",
                     da(x) ? to_da : to_en);
    number(b, x, limit, 1);
    bp_buffer_append(b, ")");
  } else {
    bp_buffer_printf(b, da(x) ? "ingen rute med offentlig transport til %s"
                              : "no public-transport route to %s",
                     da(x) ? to_da : to_en);
  }
}

/* "rent DKK 7,200 (max 6,500)", "58 min to the language school (limit
 * 45)", ... for rule r, failed by unit u for household h. */
static void failure_phrase(bp_buffer *b, const ctx *x, int h, int u,
                           bp_rule r, const bp_pair_figures *f) {
  const bp_case *k = x->kase;
  const bp_household *hh = &k->households[h];
  const bp_unit *unit = &k->units[u];
  const bp_area *area = &k->areas[unit->area];
  const bp_policy *p = &k->policy;
  int persons = bp_persons(hh);
  switch (r) {
  case BP_RULE_PERSONS:
    bp_buffer_printf(b,
                     da(x) ? "plads til %d %s (husstanden er på %d)"
                           : "room for %d %s (household of %d)",
                     unit->max_persons,
                     da(x) ? plural(unit->max_persons, "person", "personer")
                           : plural(unit->max_persons, "person", "persons"),
                     persons);
    break;
  case BP_RULE_ROOMS_MIN:
    bp_buffer_printf(b, da(x) ? "%d %s (kræver mindst %d)" : "%d %s (needs at least %d)",
                     unit->rooms,
                     da(x) ? plural(unit->rooms, "værelse", "værelser")
                           : plural(unit->rooms, "room", "rooms"),
                     bp_rooms_needed(hh, p));
    break;
  case BP_RULE_ROOMS_MAX:
    bp_buffer_printf(b, da(x) ? "%d værelser (højst %d)" : "%d rooms (at most %d)",
                     unit->rooms, bp_rooms_allowed(hh, p));
    break;
  case BP_RULE_RENT:
    say(b, x, "rent ", "husleje ");
    money(b, x, unit->rent);
    say(b, x, " (max ", " (højst ");
    text_amount(b, hh->max_rent, x->lang);
    bp_buffer_append(b, ")");
    break;
  case BP_RULE_STEP_FREE:
    say(b, x, "not step-free", "ikke niveaufri");
    break;
  case BP_RULE_SHARED_SINGLE:
    say(b, x, "shared housing, only for a single adult",
        "delebolig, kun for en enlig voksen");
    break;
  case BP_RULE_LANGUAGE_SCHOOL:
    travel_failure(b, x, f->minutes_language_school,
                   p->max_minutes_language_school, "the language school",
                   "sprogskolen");
    break;
  case BP_RULE_SCHOOL:
    travel_failure(b, x, f->minutes_school, p->max_minutes_school,
                   school_name(x, area->school), school_name(x, area->school));
    break;
  case BP_RULE_DAYCARE:
    if (area->daycare < 0)
      bp_buffer_printf(b, da(x) ? "intet dagtilbud dækker %s"
                                : "no daycare serves %s",
                       area_name(x, unit->area));
    else
      travel_failure(b, x, f->minutes_daycare, p->max_minutes_daycare,
                     daycare_name(x, area->daycare),
                     daycare_name(x, area->daycare));
    break;
  case BP_RULE_JOB:
    travel_failure(b, x, f->minutes_job, p->max_minutes_job, "work or study",
                   "arbejde eller uddannelse");
    break;
  case BP_RULE_HEALTH:
    travel_failure(b, x, f->minutes_health, p->max_minutes_health,
                   "specialised health care", "specialiseret behandling");
    break;
  case BP_RULE_VULNERABLE:
    bp_buffer_printf(b, da(x) ? "%s er et udsat boligområde"
                              : "%s is a vulnerable housing area",
                     area_name(x, unit->area));
    break;
  case BP_RULE_TRANSIT:
    say(b, x, "transit housing, which the policy does not allow",
        "transitbolig, som politikken ikke tillader");
    break;
  case BP_RULE_SCHOOL_SEATS:
  case BP_RULE_DAYCARE_PLACES: {
    int school = r == BP_RULE_SCHOOL_SEATS;
    if (!school && area->daycare < 0) {
      bp_buffer_printf(b, da(x) ? "intet dagtilbud dækker %s"
                                : "no daycare serves %s",
                       area_name(x, unit->area));
      break;
    }
    const bp_institution *inst =
        school ? &k->schools[area->school] : &k->daycares[area->daycare];
    int children = school ? hh->children_6_16 : hh->children_0_5;
    const char *name = school ? school_name(x, area->school)
                              : daycare_name(x, area->daycare);
    if (da(x))
      bp_buffer_printf(b, "%s har %d ledige %s til %d %s", name,
                       inst->free_seats,
                       plural(inst->free_seats, "plads", "pladser"), children,
                       plural(children, "barn", "børn"));
    else
      bp_buffer_printf(b, "%s has %d free %s for %d %s", name,
                       inst->free_seats,
                       school ? plural(inst->free_seats, "seat", "seats")
                              : plural(inst->free_seats, "place", "places"),
                       children, plural(children, "child", "children"));
    break;
  }
  case BP_RULE_LOCK:
    say(b, x, "a lock rules it out", "en lås udelukker den");
    break;
  case BP_RULE_COUNT:
    break;
  }
}

/* What all of n units failing rule r have in common: "cost more than DKK
 * 5,800", "are more than 45 min from the language school". */
static void all_fail_phrase(bp_buffer *b, const ctx *x, int h, bp_rule r) {
  const bp_household *hh = &x->kase->households[h];
  const bp_policy *p = &x->kase->policy;
  int persons = bp_persons(hh);
  const char *to_en = NULL, *to_da = NULL;
  double limit = 0;
  switch (r) {
  case BP_RULE_PERSONS:
    bp_buffer_printf(b, da(x) ? "er for små til %d personer"
                              : "are too small for %d persons",
                     persons);
    return;
  case BP_RULE_ROOMS_MIN:
    bp_buffer_printf(b, da(x) ? "har færre end %d værelser"
                              : "have fewer than %d rooms",
                     bp_rooms_needed(hh, p));
    return;
  case BP_RULE_ROOMS_MAX:
    bp_buffer_printf(b, da(x) ? "har flere end %d værelser"
                              : "have more than %d rooms",
                     bp_rooms_allowed(hh, p));
    return;
  case BP_RULE_RENT:
    say(b, x, "cost more than ", "koster mere end ");
    money(b, x, hh->max_rent);
    return;
  case BP_RULE_STEP_FREE:
    say(b, x, "lack step-free access", "er ikke niveaufri");
    return;
  case BP_RULE_SHARED_SINGLE:
    say(b, x, "are shared housing, only for single adults",
        "er delte boliger kun for enlige voksne");
    return;
  case BP_RULE_LANGUAGE_SCHOOL:
    to_en = "the language school";
    to_da = "sprogskolen";
    limit = p->max_minutes_language_school;
    break;
  case BP_RULE_SCHOOL:
    to_en = "their school";
    to_da = "skolen";
    limit = p->max_minutes_school;
    break;
  case BP_RULE_DAYCARE:
    to_en = "a daycare";
    to_da = "et dagtilbud";
    limit = p->max_minutes_daycare;
    break;
  case BP_RULE_JOB:
    to_en = "work or study";
    to_da = "arbejde eller uddannelse";
    limit = p->max_minutes_job;
    break;
  case BP_RULE_HEALTH:
    to_en = "specialised health care";
    to_da = "specialiseret behandling";
    limit = p->max_minutes_health;
    break;
  case BP_RULE_VULNERABLE:
    say(b, x, "lie in vulnerable housing areas, which the policy rules out",
        "ligger i udsatte boligområder, som politikken udelukker");
    return;
  case BP_RULE_TRANSIT:
    say(b, x, "are transit housing, which the policy does not allow",
        "er transitboliger, som politikken ikke tillader");
    return;
  case BP_RULE_SCHOOL_SEATS:
    bp_buffer_printf(b, da(x) ? "har for få ledige skolepladser til %d børn"
                              : "have too few free school seats for %d children",
                     hh->children_6_16);
    return;
  case BP_RULE_DAYCARE_PLACES:
    bp_buffer_printf(b, da(x) ? "har for få ledige pladser i dagtilbud til %d børn"
                              : "have too few free daycare places for %d children",
                     hh->children_0_5);
    return;
  case BP_RULE_LOCK:
    say(b, x, "are ruled out by a lock", "er udelukket af en lås");
    return;
  case BP_RULE_COUNT:
    return;
  }
  say(b, x, "are more than ", "ligger mere end ");
  minutes(b, x, limit);
  bp_buffer_printf(b, da(x) ? " fra %s" : " from %s", da(x) ? to_da : to_en);
}

/* The nearest miss of household h: "U044 in Tved: 5 rooms (needs at least
 * 4), but rent DKK 7,200 (max 6,500) and 58 min to the language school
 * (limit 45)". */
static void miss_description(bp_buffer *b, const ctx *x, int h, int u,
                             const unsigned char failed[BP_RULE_COUNT],
                             const bp_pair_figures *f) {
  const bp_household *hh = &x->kase->households[h];
  const bp_unit *unit = &x->kase->units[u];
  unit_place(b, x, u);
  bp_buffer_append(b, ": ");
  int rooms_fit = unit->kind != BP_UNIT_SHARED && !failed[BP_RULE_ROOMS_MIN] &&
                  !failed[BP_RULE_ROOMS_MAX];
  if (rooms_fit) {
    bp_buffer_printf(b, da(x) ? "%d %s (kræver mindst %d), men "
                              : "%d %s (needs at least %d), but ",
                     unit->rooms,
                     da(x) ? plural(unit->rooms, "værelse", "værelser")
                           : plural(unit->rooms, "room", "rooms"),
                     bp_rooms_needed(hh, &x->kase->policy));
  }
  char *items[BP_RULE_COUNT];
  size_t n = 0;
  const bp_area *area = &x->kase->areas[unit->area];
  for (int r = 0; r < BP_RULE_COUNT; r++) {
    if (!failed[r])
      continue;
    /* "No daycare serves Tved" once, not for both daycare rules. */
    if (r == BP_RULE_DAYCARE_PLACES && area->daycare < 0 &&
        failed[BP_RULE_DAYCARE])
      continue;
    bp_buffer item = {0};
    failure_phrase(&item, x, h, u, (bp_rule)r, f);
    items[n++] = bp_buffer_take(&item);
  }
  join(b, x, items, n);
  free_items(items, n);
}

/* ------------------------------------------------------------------ */
/* Placed households                                                    */
/* ------------------------------------------------------------------ */

static char *placed_reason(const ctx *x, int h, size_t c) {
  const bp_case *k = x->kase;
  const bp_household *hh = &k->households[h];
  bp_pair_figures figures;
  bp_candidate_figures(k, x->derived, c, &figures);
  const bp_pair_figures *f = &figures;
  const bp_unit *unit = &k->units[f->unit];
  int a = unit->area;
  bp_buffer b = {0};
  say(&b, x, "Proposed ", "Forslag: ");
  unit_description(&b, x, f->unit);
  bp_buffer_append(&b, " (");
  rent_of_max(&b, x, h, f->unit);
  bp_buffer_append(&b, ")");
  bp_buffer trips = {0};
  if (travel_list(&trips, x, f) > 0) {
    bp_buffer_append(&b, ": ");
    bp_buffer_append(&b, trips.data);
  }
  bp_buffer_free(&trips);

  double before = bp_area_share_before(k, a);
  double after = bp_area_share_after(k, x->tally, a);
  int d = percent_decimals(before, after);
  if (da(x)) {
    bp_buffer_printf(&b, "; andelen af nytilkomne i %s går fra ", area_name(x, a));
  } else {
    bp_buffer_append(&b, "; ");
    possessive(&b, area_name(x, a));
    bp_buffer_append(&b, " newcomer share goes from ");
  }
  percent(&b, x, before, d);
  say(&b, x, " to ", " til ");
  percent(&b, x, after, d);
  say(&b, x, " (cap ", " (loft ");
  cap_percent(&b, x, x->derived->area_cap[a]);
  bp_buffer_append(&b, ")");

  if (f->preferred && f->ties)
    bp_buffer_printf(&b,
                     da(x) ? "; %s er det område, husstanden ønskede, og hvor "
                             "den har familie"
                           : "; %s is the area the household wished for, and "
                             "where it has relatives",
                     area_name(x, a));
  else if (f->preferred)
    bp_buffer_printf(&b,
                     da(x) ? "; %s er det område, husstanden ønskede"
                           : "; %s is the area the household wished for",
                     area_name(x, a));
  else if (f->ties)
    bp_buffer_printf(&b,
                     da(x) ? "; husstanden har familie i %s"
                           : "; the household has relatives in %s",
                     area_name(x, a));
  if (in_real_group(k, hh)) {
    int others = k->groups[hh->group].n_members - 1;
    if (da(x))
      bp_buffer_printf(&b, "; sammen med %s %d %s i gruppe %s",
                       plural(others, "den", "de"), others,
                       plural(others, "anden husstand", "andre husstande"),
                       k->groups[hh->group].id);
    else
      bp_buffer_printf(&b, "; together with the %d other %s of group %s",
                       others, plural(others, "household", "households"),
                       k->groups[hh->group].id);
  }
  if (unit->kind == BP_UNIT_TRANSIT)
    say(&b, x, "; this is temporary housing, so a permanent home is still "
               "to be found",
        "; det er en midlertidig bolig, så der skal stadig findes en "
        "permanent bolig");
  bp_buffer_append(&b, ".");
  return bp_buffer_take(&b);
}

/* The terms on which the alternative differs from the chosen unit, split
 * into what speaks against it (worse[]) and what speaks for it (better[]):
 * "14 min more travel", "a higher newcomer share (14.9% against 1.4%)",
 * "near relatives".  Terms whose weight is zero are left out: they did not
 * count.  The texts are allocated; the caller frees them. */
typedef struct {
  char *worse[12], *better[12];
  size_t n_worse, n_better;
} term_lists;

static void add_term(term_lists *l, int worse, bp_buffer *item) {
  if (worse)
    l->worse[l->n_worse++] = bp_buffer_take(item);
  else
    l->better[l->n_better++] = bp_buffer_take(item);
}

/* "a higher newcomer share (14.9% against 1.4%)" */
static void share_term(term_lists *l, const ctx *x, double alt, double chosen,
                       const char *what_en, const char *what_da) {
  if (fabs(alt - chosen) <= 1e-12)
    return;
  bp_buffer item = {0};
  int higher = alt > chosen;
  if (da(x))
    bp_buffer_printf(&item, "%s %s (", higher ? "højere" : "lavere", what_da);
  else
    bp_buffer_printf(&item, "a %s %s (", higher ? "higher" : "lower", what_en);
  int d = percent_decimals(alt, chosen);
  percent(&item, x, alt, d);
  say(&item, x, " against ", " mod ");
  percent(&item, x, chosen, d);
  bp_buffer_append(&item, ")");
  add_term(l, higher, &item);
}

static void flag_term(term_lists *l, const ctx *x, int alt, int chosen,
                      const char *yes_en, const char *no_en,
                      const char *yes_da, const char *no_da) {
  if (alt == chosen)
    return;
  bp_buffer item = {0};
  say(&item, x, alt ? yes_en : no_en, alt ? yes_da : no_da);
  add_term(l, !alt, &item);
}

static void cost_terms(term_lists *l, const ctx *x, int h,
                       const bp_pair_figures *chosen,
                       const bp_pair_figures *alt) {
  const bp_case *k = x->kase;
  const bp_household *hh = &k->households[h];
  const bp_policy *p = &k->policy;
  memset(l, 0, sizeof *l);
  bp_buffer item = {0};

  double dm = (alt->travel_hours - chosen->travel_hours) * 60.0;
  if (p->weights.travel != 0 && isfinite(dm) && fabs(dm) >= 0.05) {
    minutes(&item, x, fabs(dm));
    if (da(x))
      bp_buffer_append(&item, dm > 0 ? " mere rejsetid" : " mindre rejsetid");
    else
      bp_buffer_append(&item, dm > 0 ? " more travel" : " less travel");
    add_term(l, dm > 0, &item);
  }
  double dr = k->units[alt->unit].rent - k->units[chosen->unit].rent;
  if (p->weights.rent != 0 && fabs(dr) >= 0.005) {
    money(&item, x, fabs(dr));
    if (da(x))
      bp_buffer_append(&item, dr > 0 ? " mere i husleje" : " mindre i husleje");
    else
      bp_buffer_append(&item, dr > 0 ? " more rent" : " less rent");
    add_term(l, dr > 0, &item);
  }
  int spread = p->weights.spread != 0 || p->weights.near_cap != 0;
  int aa = k->units[alt->unit].area, ac = k->units[chosen->unit].area;
  if (spread && aa != ac)
    share_term(l, x, area_share_plus(k, x->tally, aa, 1),
               bp_area_share_after(k, x->tally, ac), "newcomer share",
               "andel af nytilkomne");
  int sa = k->areas[aa].school, sc = k->areas[ac].school;
  if (spread && hh->children_6_16 > 0 && sa != sc)
    share_term(l, x,
               institution_share_plus(&k->schools[sa],
                                      x->tally->school_children[sa],
                                      hh->children_6_16),
               institution_share_plus(&k->schools[sc],
                                      x->tally->school_children[sc], 0),
               "bilingual share at school", "andel af tosprogede på skolen");
  int da_ = k->areas[aa].daycare, dc = k->areas[ac].daycare;
  if (spread && hh->children_0_5 > 0 && da_ >= 0 && dc >= 0 && da_ != dc)
    share_term(l, x,
               institution_share_plus(&k->daycares[da_],
                                      x->tally->daycare_children[da_],
                                      hh->children_0_5),
               institution_share_plus(&k->daycares[dc],
                                      x->tally->daycare_children[dc], 0),
               "bilingual share in daycare", "andel af tosprogede i dagtilbuddet");
  if (p->weights.preference != 0)
    flag_term(l, x, alt->preferred, chosen->preferred,
              "the area the household wished for",
              "not the area the household wished for",
              "det område, husstanden ønskede",
              "ikke det område, husstanden ønskede");
  if (p->weights.ties != 0)
    flag_term(l, x, alt->ties, chosen->ties, "near relatives",
              "not near relatives", "nær familie", "ikke nær familie");
  if (p->weights.partner != 0)
    flag_term(l, x, alt->partner, chosen->partner, "a partner area",
              "not a partner area", "et partnerområde",
              "ikke et partnerområde");
  double ds = alt->score - chosen->score;
  if (p->weights.score != 0 && fabs(ds) > 1e-9) {
    if (da(x))
      bp_buffer_printf(&item, "%s ekstern score (", ds > 0 ? "højere" : "lavere");
    else
      bp_buffer_printf(&item, "a %s outside score (", ds > 0 ? "higher" : "lower");
    bp_buffer_append(&item, ds > 0 ? "+" : "");
    number(&item, x, ds, 2);
    bp_buffer_append(&item, ")");
    add_term(l, ds < 0, &item);
  }
  bp_buffer_free(&item);
}

static char *placed_alternative(const ctx *x, int h, size_t c, int *unit) {
  bp_alternative alt =
      bp_explain_alternative(x->kase, x->derived, x->tally, h, c);
  *unit = alt.unit;
  bp_buffer b = {0};
  if (alt.candidate < 0) {
    say(&b, x, "No other unit was eligible for this household.",
        "Ingen anden bolig opfyldte kravene for denne husstand.");
    return bp_buffer_take(&b);
  }
  say(&b, x, "The best alternative, ", "Det bedste alternativ, ");
  unit_place(&b, x, alt.unit);
  const bp_candidate *chosen = &x->derived->candidates[c];
  if (alt.block != BP_BLOCK_NONE) {
    say(&b, x, ", was not chosen because ", ", blev ikke valgt, fordi ");
    block_phrase(&b, x, h, alt.unit, alt.block,
                 x->kase->units[chosen->unit].area);
    bp_buffer_append(&b, ".");
    return bp_buffer_take(&b);
  }
  /* The figures of the two pairs only: the ranking above needed pair_cost
   * alone, which the candidate list holds. */
  bp_pair_figures chosen_figures, alt_figures;
  bp_candidate_figures(x->kase, x->derived, c, &chosen_figures);
  bp_candidate_figures(x->kase, x->derived, (size_t)alt.candidate,
                       &alt_figures);
  term_lists l;
  cost_terms(&l, x, h, &chosen_figures, &alt_figures);
  if (l.n_worse > 0) {
    say(&b, x, ", was not chosen: ", ", blev ikke valgt: ");
    join(&b, x, l.worse, l.n_worse);
    if (l.n_better > 0) {
      say(&b, x, "; in its favour: ", "; til gengæld: ");
      join(&b, x, l.better, l.n_better);
    }
  } else if (l.n_better > 0) {
    say(&b, x, ", would offer ", ", ville give ");
    join(&b, x, l.better, l.n_better);
    say(&b, x, ", but the plan as a whole is better with the chosen unit",
        ", men planen som helhed er bedre med den valgte bolig");
  } else {
    say(&b, x, ", is just as good on every count",
        ", er lige så godt på alle punkter");
  }
  bp_buffer_append(&b, ".");
  free_items(l.worse, l.n_worse);
  free_items(l.better, l.n_better);
  return bp_buffer_take(&b);
}

/* ------------------------------------------------------------------ */
/* Unplaced households                                                  */
/* ------------------------------------------------------------------ */

/* "The best unit that fits is U017 in Kirkeby (rent DKK 5,900 of max
 * 6,400; 22 min to the language school)." */
static char *fits_sentence(const ctx *x, int h, size_t c, const char *en,
                           const char *dk) {
  bp_pair_figures figures;
  bp_candidate_figures(x->kase, x->derived, c, &figures);
  const bp_pair_figures *f = &figures;
  bp_buffer b = {0};
  say(&b, x, en, dk);
  unit_place(&b, x, f->unit);
  bp_buffer_append(&b, " (");
  rent_of_max(&b, x, h, f->unit);
  bp_buffer trips = {0};
  if (travel_list(&trips, x, f) > 0) {
    bp_buffer_append(&b, "; ");
    bp_buffer_append(&b, trips.data);
  }
  bp_buffer_free(&trips);
  bp_buffer_append(&b, ").");
  return bp_buffer_take(&b);
}

/* How far unit u is from passing rule r, for ranking near misses that fail
 * the same one rule: lower is closer (cheaper, larger, nearer, ...). */
static double closeness(const bp_case *k, bp_rule r, int u,
                        const bp_pair_figures *f) {
  const bp_unit *unit = &k->units[u];
  const bp_area *area = &k->areas[unit->area];
  switch (r) {
  case BP_RULE_RENT: return unit->rent;
  case BP_RULE_ROOMS_MIN: return -unit->rooms;
  case BP_RULE_ROOMS_MAX: return unit->rooms;
  case BP_RULE_PERSONS: return -unit->max_persons;
  case BP_RULE_LANGUAGE_SCHOOL: return f->minutes_language_school;
  case BP_RULE_SCHOOL: return f->minutes_school;
  case BP_RULE_DAYCARE: return f->minutes_daycare;
  case BP_RULE_JOB: return f->minutes_job;
  case BP_RULE_HEALTH: return f->minutes_health;
  case BP_RULE_SCHOOL_SEATS: return -k->schools[area->school].free_seats;
  case BP_RULE_DAYCARE_PLACES:
    return area->daycare >= 0 ? -k->daycares[area->daycare].free_seats : 0;
  default: return 0;
  }
}

static void explain_no_candidates(const ctx *x, int h,
                                  bp_household_explanation *e) {
  const bp_case *k = x->kase;
  int lock = x->derived->eligible_ignoring_locks &&
             x->derived->eligible_ignoring_locks[h] > 0;
  e->code = lock ? BP_REASON_LOCK : BP_REASON_NO_ELIGIBLE_UNIT;

  /* One scan of the units: per rule, how many units fail it, and how many
   * fail it alone; the nearest unit fails the fewest rules (ties: where
   * both fail the same one rule, the closer on it, e.g. the larger of two
   * units with too few rooms; then the cheapest; then the lowest id).  For LOCK the units that only a lock
   * keeps from the household are collected instead. */
  int fails[BP_RULE_COUNT] = {0}, only[BP_RULE_COUNT] = {0};
  int best = -1, best_n = INT_MAX, n_locked = 0;
  int locked_ids[5];
  unsigned char best_failed[BP_RULE_COUNT] = {0};
  bp_pair_figures best_f;
  memset(&best_f, 0, sizeof best_f);
  for (size_t u = 0; u < k->n_units; u++) {
    bp_pair_figures f;
    unsigned char failed[BP_RULE_COUNT];
    int n = bp_check_pair(k, x->derived, h, (int)u, &f, failed);
    int single = -1;
    for (int r = 0; r < BP_RULE_COUNT; r++) {
      fails[r] += failed[r];
      if (failed[r])
        single = r;
    }
    if (n == 1)
      only[single]++;
    if (lock && !(n == 1 && failed[BP_RULE_LOCK]))
      continue;
    if (lock && n_locked < 5)
      locked_ids[n_locked] = (int)u;
    if (lock)
      n_locked++;
    int closer = 0; /* -1: u is closer than best, 1: farther, 0: tie */
    if (best >= 0 && n == best_n && n == 1 && single >= 0 &&
        best_failed[single]) {
      double cu = closeness(k, (bp_rule)single, (int)u, &f);
      double cb = closeness(k, (bp_rule)single, best, &best_f);
      closer = cu < cb - 1e-9 ? -1 : (cu > cb + 1e-9 ? 1 : 0);
    }
    if (best < 0 || n < best_n ||
        (n == best_n &&
         (closer < 0 ||
          (closer == 0 && k->units[u].rent < k->units[best].rent - 1e-9)))) {
      best = (int)u;
      best_n = n;
      memcpy(best_failed, failed, sizeof best_failed);
      best_f = f;
    }
  }
  e->alternative_unit = best;

  bp_buffer b = {0};
  if (lock) {
    if (x->derived->locked_unit && x->derived->locked_unit[h] >= 0) {
      int lu = x->derived->locked_unit[h];
      bp_pair_figures f;
      unsigned char failed[BP_RULE_COUNT];
      bp_check_pair(k, x->derived, h, lu, &f, failed);
      bp_buffer_printf(&b,
                       da(x) ? "Koordinatoren har låst husstanden til %s, som "
                               "ikke passer ("
                             : "The coordinator locked the household to %s, "
                               "which does not fit (",
                       k->units[lu].id);
      char *items[BP_RULE_COUNT];
      size_t n = 0;
      for (int r = 0; r < BP_RULE_COUNT; r++) {
        if (!failed[r] || r == BP_RULE_LOCK)
          continue;
        bp_buffer item = {0};
        failure_phrase(&item, x, h, lu, (bp_rule)r, &f);
        items[n++] = bp_buffer_take(&item);
      }
      join(&b, x, items, n);
      free_items(items, n);
      bp_buffer_printf(&b,
                       da(x) ? "), mens %d %s ellers ville passe."
                             : "), while %d other %s would fit.",
                       n_locked,
                       da(x) ? plural(n_locked, "anden bolig", "andre boliger")
                             : plural(n_locked, "unit", "units"));
    } else if (n_locked == 1) {
      say(&b, x, "The coordinator's locks rule out ",
          "Koordinatorens låse udelukker ");
      unit_place(&b, x, best);
      say(&b, x, ", the only unit that would otherwise fit.",
          ", den eneste bolig, der ellers ville passe.");
    } else if (n_locked == 2) {
      say(&b, x, "The coordinator's locks rule out both units that would "
                 "otherwise fit (",
          "Koordinatorens låse udelukker begge boliger, der ellers ville "
          "passe (");
      for (int i = 0; i < n_locked; i++)
        bp_buffer_printf(&b, "%s%s", i ? ", " : "", k->units[locked_ids[i]].id);
      bp_buffer_append(&b, ").");
    } else {
      bp_buffer_printf(&b,
                       da(x) ? "Koordinatorens låse udelukker alle %d boliger, "
                               "der ellers ville passe ("
                             : "The coordinator's locks rule out all %d units "
                               "that would otherwise fit (",
                       n_locked);
      for (int i = 0; i < n_locked && i < 5; i++)
        bp_buffer_printf(&b, "%s%s", i ? ", " : "", k->units[locked_ids[i]].id);
      bp_buffer_append(&b, n_locked > 5 ? ", …)." : ").");
    }
    e->reason = bp_buffer_take(&b);
    if (best >= 0) {
      say(&b, x, "Without the locks, ", "Uden låsene ville ");
      unit_place(&b, x, best);
      say(&b, x, " would fit (", " passe (");
      rent_of_max(&b, x, h, best);
      bp_buffer_append(&b, ")");
      int taker = bp_tally_taken_by(x->tally, best, h);
      if (taker >= 0)
        bp_buffer_printf(&b, da(x) ? ", men den er nu foreslået til husstand %s"
                                   : ", but it is now proposed to household %s",
                         k->households[taker].id);
      bp_buffer_append(&b, ".");
    } else {
      say(&b, x, "No unit would fit without the locks either.",
          "Ingen bolig ville passe uden låsene heller.");
    }
    e->alternative = bp_buffer_take(&b);
    return;
  }

  if (best < 0) {
    say(&b, x, "No units were offered in this run.",
        "Der blev ikke tilbudt nogen boliger i denne kørsel.");
    e->reason = bp_buffer_take(&b);
    say(&b, x, "There is no nearest unit: none was offered.",
        "Der er ingen nærmeste bolig: ingen blev tilbudt.");
    e->alternative = bp_buffer_take(&b);
    return;
  }

  bp_buffer miss = {0};
  miss_description(&miss, x, h, best, best_failed, &best_f);

  if (best_n == 1) {
    int r = 0;
    while (r < BP_RULE_COUNT && !best_failed[r])
      r++;
    if (only[r] == 1) {
      say(&b, x, "Only ", "Kun ");
      unit_place(&b, x, best);
      say(&b, x, " meets every other rule, but: ",
          " opfylder alle andre krav, men: ");
      failure_phrase(&b, x, h, best, (bp_rule)r, &best_f);
      bp_buffer_append(&b, ".");
    } else {
      if (only[r] == 2)
        say(&b, x, "Two units meet every other rule, but both ",
            "To boliger opfylder alle andre krav, men begge ");
      else
        bp_buffer_printf(&b,
                         da(x) ? "%d boliger opfylder alle andre krav, men "
                                 "alle "
                               : "%d units meet every other rule, but all ",
                         only[r]);
      all_fail_phrase(&b, x, h, (bp_rule)r);
      say(&b, x, "; the nearest is ", "; den nærmeste er ");
      bp_buffer_append(&b, miss.data);
      bp_buffer_append(&b, ".");
    }
  } else {
    /* The two rules that rule out the most units, then the nearest miss. */
    int top[2] = {-1, -1};
    for (int r = 0; r < BP_RULE_COUNT; r++) {
      if (fails[r] == 0 || r == BP_RULE_LOCK)
        continue;
      if (top[0] < 0 || fails[r] > fails[top[0]]) {
        top[1] = top[0];
        top[0] = r;
      } else if (top[1] < 0 || fails[r] > fails[top[1]]) {
        top[1] = r;
      }
    }
    int n_units = (int)k->n_units;
    if (n_units == 1)
      say(&b, x, "The only unit offered does not fit",
          "Den eneste tilbudte bolig passer ikke");
    else
      bp_buffer_printf(&b,
                       da(x) ? "Ingen af de %d tilbudte boliger passer"
                             : "None of the %d units offered fits",
                       n_units);
    for (int i = 0; i < 2 && n_units > 1; i++) {
      if (top[i] < 0)
        break;
      bp_buffer_append(&b, i == 0 ? ": " : (da(x) ? " og " : " and "));
      bp_buffer_printf(&b, "%d ", fails[top[i]]);
      all_fail_phrase(&b, x, h, (bp_rule)top[i]);
    }
    say(&b, x, "; the nearest is ", "; den nærmeste er ");
    bp_buffer_append(&b, miss.data);
    bp_buffer_append(&b, ".");
  }
  e->reason = bp_buffer_take(&b);
  say(&b, x, "The nearest is ", "Den nærmeste er ");
  bp_buffer_append(&b, miss.data);
  bp_buffer_append(&b, ".");
  e->alternative = bp_buffer_take(&b);
  bp_buffer_free(&miss);
}

/* Per area a, the places in units there that fit at least one member of
 * group g: all of them (total[a]) and those no other household took
 * (free_places[a]); both arrays n_areas long and zero on entry.  One pass
 * over the members' candidates, each unit counted once: looking area by
 * area instead went over every member's candidates once per area (at XL,
 * 980 areas x thousands of candidates, for every member of every group
 * left unplaced). */
static void group_places(const ctx *x, const bp_group *g, int *total,
                         int *free_places) {
  const bp_case *k = x->kase;
  unsigned char *counted = bp_calloc(k->n_units + 1, 1);
  for (int m = 0; m < g->n_members; m++) {
    size_t f0, nm = candidates_of(x->derived, g->members[m], &f0);
    for (size_t i = f0; i < f0 + nm; i++) {
      int u = x->derived->candidates[i].unit;
      if (counted[u])
        continue;
      counted[u] = 1;
      int a = k->units[u].area;
      int left = k->units[u].places - occupants(x->tally, u);
      total[a] += k->units[u].places;
      free_places[a] += left > 0 ? left : 0;
    }
  }
  free(counted);
}

/* Why group g could not live in area a, where every member has a unit that
 * fits, as a verb phrase with the area as subject ("has only 3 places that
 * fit"): its share cap, too few places that fit, places taken by others,
 * school seats or daycare places, or a bilingual cap. */
static void group_obstacle(bp_buffer *b, const ctx *x, const bp_group *g,
                           int a, int total, int free_places) {
  const bp_case *k = x->kase;
  const bp_tally *t = x->tally;
  const bp_area *area = &k->areas[a];
  int n = g->n_members;
  int room = x->derived->area_room[a];
  if (room != INT_MAX && room - t->area_placed[a] < n) {
    int left = room - t->area_placed[a];
    left = left < 0 ? 0 : left;
    say(b, x, "has a newcomer share cap of ",
        "har et loft over andelen af nytilkomne på ");
    cap_percent(b, x, x->derived->area_cap[a]);
    if (left == 0)
      say(b, x, " that leaves no room for more",
          ", der ikke giver plads til flere");
    else
      bp_buffer_printf(b, da(x) ? ", der kun giver plads til %d mere"
                                : " that leaves room for only %d more",
                       left);
    return;
  }
  if (total < n) {
    bp_buffer_printf(b, da(x) ? "har kun %d passende %s"
                              : "has only %d %s that fit",
                     total, da(x) ? plural(total, "plads", "pladser")
                                  : plural(total, "place", "places"));
    return;
  }
  if (free_places < n) {
    bp_buffer_printf(b, da(x) ? "har kun %d af sine %d passende pladser ledige "
                                "efter de andre forslag"
                              : "has only %d of its %d places that fit still "
                                "free after the other proposals",
                     free_places, total);
    return;
  }
  int c6 = 0, c05 = 0;
  for (int m = 0; m < n; m++) {
    c6 += k->households[g->members[m]].children_6_16;
    c05 += k->households[g->members[m]].children_0_5;
  }
  int s = area->school;
  if (c6 > 0 && t->school_children[s] + c6 > k->schools[s].free_seats) {
    int left = k->schools[s].free_seats - t->school_children[s];
    bp_buffer_printf(b, da(x) ? "har kun %d ledige pladser tilbage på %s til "
                                "gruppens %d skolebørn"
                              : "has only %d free seats left at %s for the "
                                "group's %d school children",
                     left < 0 ? 0 : left, school_name(x, s), c6);
    return;
  }
  if (c6 > 0 && t->school_children[s] + c6 > x->derived->school_bilingual_room[s]) {
    bp_buffer_printf(b, da(x) ? "ville løfte andelen af tosprogede på %s over "
                                "loftet"
                              : "would take the bilingual share at %s above "
                                "its cap",
                     school_name(x, s));
    return;
  }
  int d = area->daycare;
  if (c05 > 0 && d >= 0 && t->daycare_children[d] + c05 > k->daycares[d].free_seats) {
    int left = k->daycares[d].free_seats - t->daycare_children[d];
    bp_buffer_printf(b, da(x) ? "har kun %d ledige pladser tilbage i %s til "
                                "gruppens %d småbørn"
                              : "has only %d free places left in %s for the "
                                "group's %d young children",
                     left < 0 ? 0 : left, daycare_name(x, d), c05);
    return;
  }
  if (c05 > 0 && d >= 0 &&
      t->daycare_children[d] + c05 > x->derived->daycare_bilingual_room[d]) {
    bp_buffer_printf(b, da(x) ? "ville løfte andelen af tosprogede i %s over "
                                "loftet"
                              : "would take the bilingual share in %s above "
                                "its cap",
                     daycare_name(x, d));
    return;
  }
  say(b, x, "cannot give each of them a unit of its own that fits (the units "
            "overlap, or a building limit applies)",
      "kan ikke give hver af dem sin egen passende bolig (boligerne "
      "overlapper, eller en grænse pr. bygning gælder)");
}

static void explain_group(const ctx *x, int h, size_t best,
                          bp_household_explanation *e) {
  const bp_case *k = x->kase;
  const bp_group *g = &k->groups[k->households[h].group];
  /* Per area: how many members have a candidate there. */
  int *members_with = bp_calloc(k->n_areas + 1, sizeof *members_with);
  int *seen = bp_alloc((k->n_areas + 1) * sizeof *seen);
  for (size_t a = 0; a < k->n_areas; a++)
    seen[a] = -1;
  for (int m = 0; m < g->n_members; m++) {
    int hm = g->members[m];
    size_t f0, nm = candidates_of(x->derived, hm, &f0);
    for (size_t i = f0; i < f0 + nm; i++) {
      int a = k->units[x->derived->candidates[i].unit].area;
      if (seen[a] != hm) {
        seen[a] = hm;
        members_with[a]++;
      }
    }
  }
  /* The area to talk about: where every member has a unit that fits,
   * preferring enough places in all, then the most free places; else the
   * area where the most members have one. */
  int best_area = -1, n_full = 0, best_total = 0, best_free = 0;
  int *totals = bp_calloc(k->n_areas + 1, sizeof *totals);
  int *frees = bp_calloc(k->n_areas + 1, sizeof *frees);
  group_places(x, g, totals, frees);
  for (size_t a = 0; a < k->n_areas; a++) {
    if (members_with[a] == 0)
      continue;
    int total = 0, free_places = 0;
    if (members_with[a] == g->n_members) {
      n_full++;
      total = totals[a];
      free_places = frees[a];
    }
    int better;
    if (best_area < 0 || members_with[a] != members_with[best_area])
      better = best_area < 0 || members_with[a] > members_with[best_area];
    else if ((total >= g->n_members) != (best_total >= g->n_members))
      better = total >= g->n_members;
    else
      better = free_places > best_free;
    if (better) {
      best_area = (int)a;
      best_total = total;
      best_free = free_places;
    }
  }
  free(totals);
  free(frees);

  bp_buffer b = {0};
  bp_buffer_printf(&b,
                   da(x) ? "Gruppe %s (%d husstande) skal bo samlet i ét "
                           "område; "
                         : "Group %s (%d households) must live together in "
                           "one area; ",
                   g->id, g->n_members);
  if (n_full == 0) {
    say(&b, x, "no area has a unit that fits every member",
        "intet område har en bolig, der passer til hver husstand");
    if (best_area >= 0)
      bp_buffer_printf(&b,
                       da(x) ? "; %s kommer tættest med boliger til %d af de %d"
                             : "; %s comes closest, with units for %d of the %d",
                       area_name(x, best_area), members_with[best_area],
                       g->n_members);
  } else {
    if (n_full == 1)
      bp_buffer_printf(&b,
                       da(x) ? "kun %s har boliger, der passer til hver af dem, "
                               "og området "
                             : "only %s has units that fit each of them, and "
                               "it ",
                       area_name(x, best_area));
    else
      bp_buffer_printf(&b,
                       da(x) ? "%d områder har boliger, der passer til hver af "
                               "dem, men intet har plads til alle på én gang: "
                               "det nærmeste, %s, "
                             : "%d areas have units that fit each of them, but "
                               "none has room for all at once: the closest, "
                               "%s, ",
                       n_full, area_name(x, best_area));
    group_obstacle(&b, x, g, best_area, best_total, best_free);
  }
  bp_buffer_append(&b, ".");
  e->reason = bp_buffer_take(&b);
  free(members_with);
  free(seen);

  int u = x->derived->candidates[best].unit;
  e->alternative_unit = u;
  char *fits = fits_sentence(x, h, best,
                             "The best unit for this household alone is ",
                             "Den bedste bolig for husstanden alene er ");
  int taker = bp_tally_taken_by(x->tally, u, h);
  if (taker >= 0) {
    /* "... (rent ...)." -> "... (rent ...), now proposed to household H19." */
    bp_buffer_append_n(&b, fits, strlen(fits) - 1);
    bp_buffer_printf(&b, da(x) ? ", som nu er foreslået til husstand %s."
                               : ", now proposed to household %s.",
                     k->households[taker].id);
    free(fits);
    fits = bp_buffer_take(&b);
  }
  e->alternative = fits;
}

static void explain_unplaced(const ctx *x, int h, bp_household_explanation *e) {
  const bp_case *k = x->kase;
  const bp_household *hh = &k->households[h];
  size_t first, n = candidates_of(x->derived, h, &first);
  if (n == 0) {
    explain_no_candidates(x, h, e);
    return;
  }
  /* The best candidate overall, and the best one not full. */
  size_t best = first;
  long best_free = -1;
  int n_free = 0;
  for (size_t i = first; i < first + n; i++) {
    const bp_candidate *f = &x->derived->candidates[i];
    if (better_candidate(f, &x->derived->candidates[best]))
      best = i;
    if (occupants(x->tally, f->unit) < k->units[f->unit].places) {
      n_free++;
      if (best_free < 0 ||
          better_candidate(f, &x->derived->candidates[best_free]))
        best_free = (long)i;
    }
  }
  if (in_real_group(k, hh) && x->tally->group_placed[hh->group] == 0) {
    e->code = BP_REASON_GROUP;
    explain_group(x, h, best, e);
    return;
  }
  bp_buffer b = {0};
  if (best_free < 0) {
    e->code = BP_REASON_OUTCOMPETED;
    int u = x->derived->candidates[best].unit;
    int taker = bp_tally_taken_by(x->tally, u, h);
    if (n == 1) {
      say(&b, x, "The only unit that fits, ", "Den eneste bolig, der passer, ");
    } else if (n == 2) {
      say(&b, x, "Both units that fit went to other households; the better, ",
          "Begge boliger, der passer, gik til andre husstande; den bedste, ");
    } else {
      bp_buffer_printf(&b,
                       da(x) ? "Alle %zu boliger, der passer, gik til andre "
                               "husstande; den bedste, "
                             : "All %zu units that fit went to other "
                               "households; the best, ",
                       n);
    }
    unit_place(&b, x, u);
    if (taker >= 0) {
      const bp_household *th = &k->households[taker];
      long tc = bp_placed_candidate(x->solution, taker);
      size_t tf, tn = candidates_of(x->derived, taker, &tf);
      bp_buffer_printf(&b, da(x) ? ", gik til husstand %s" : ", went to household %s",
                       th->id);
      if (tc >= 0 && bp_candidate_locked(x->derived, (size_t)tc))
        say(&b, x, ", which the coordinator locked there",
            ", som koordinatoren har låst dertil");
      else if (th->waiting_days > hh->waiting_days)
        bp_buffer_printf(&b,
                         da(x) ? ", som har ventet længere (%d dage mod %d)"
                               : ", which has waited longer (%d days against %d)",
                         th->waiting_days, hh->waiting_days);
      else if (tn == 1)
        say(&b, x, ", for which it was the only unit that fits",
            ", for hvem den var den eneste bolig, der passer");
    }
    bp_buffer_append(&b, ".");
    e->reason = bp_buffer_take(&b);
    e->alternative_unit = u;
    e->alternative = fits_sentence(x, h, best, "If it becomes free: ",
                                   "Hvis den bliver ledig: ");
    return;
  }

  e->code = BP_REASON_CAP_BINDING;
  int u = x->derived->candidates[best_free].unit;
  bp_block block = block_of(k, x->derived, x->tally, h, u, -1);
  if (n_free == 1)
    say(&b, x, "The only free unit that fits, ",
        "Den eneste ledige bolig, der passer, ");
  else if (n_free == 2)
    say(&b, x, "Both free units that fit are blocked by a cap or limit; the "
               "better, ",
        "Begge ledige boliger, der passer, er blokeret af et loft eller en "
        "grænse; den bedste, ");
  else
    bp_buffer_printf(&b,
                     da(x) ? "Alle %d ledige boliger, der passer, er "
                             "blokeret af et loft eller en grænse; den bedste, "
                           : "All %d free units that fit are blocked by a cap "
                             "or limit; the best, ",
                     n_free);
  unit_place(&b, x, u);
  if (block == BP_BLOCK_NONE) {
    bp_solve_status status =
        x->solution ? x->solution->status : BP_SOLVE_OPTIMAL;
    if (status == BP_SOLVE_FEASIBLE)
      say(&b, x, ", breaks no limit on its own, but the solver stopped at its "
                 "time limit before placing the household there",
          ", bryder ingen grænse alene, men løseren stoppede ved sin "
          "tidsgrænse, før husstanden blev placeret der");
    else if (status == BP_SOLVE_HEURISTIC)
      say(&b, x, ", breaks no limit on its own, but the hand method had "
                 "already given the places that would make room to others",
          ", bryder ingen grænse alene, men håndmetoden havde allerede givet "
          "de pladser, der kunne give plads, til andre");
    else if (status != BP_SOLVE_OPTIMAL)
      say(&b, x, ", breaks no limit on its own, but the solver found no plan "
                 "that keeps every rule and lock",
          ", bryder ingen grænse alene, men løseren fandt ingen plan, der "
          "overholder alle regler og låse");
    else
      say(&b, x, ", breaks no limit on its own, but not together with the "
                 "other placements",
          ", bryder ingen grænse alene, men ikke sammen med de andre "
          "placeringer");
  } else {
    say(&b, x, ", is blocked because ", ", er blokeret, fordi ");
    block_phrase(&b, x, h, u, block, -1);
  }
  bp_buffer_append(&b, ".");
  e->reason = bp_buffer_take(&b);
  e->alternative_unit = u;
  e->alternative = fits_sentence(x, h, (size_t)best_free,
                                 "The best free unit that fits is ",
                                 "Den bedste ledige bolig, der passer, er ");
}

/* ------------------------------------------------------------------ */
/* The stage                                                            */
/* ------------------------------------------------------------------ */

bp_status bp_explain(const bp_case *kase, const bp_derived *derived,
                     const bp_solution *solution, bp_explanation *explanation,
                     bp_diagnostics *diag) {
  (void)diag;
  bp_tally tally;
  bp_tally_build(kase, derived, solution, &tally);
  ctx x = {kase, derived, solution, &tally, kase->policy.language};
  explanation->households =
      bp_calloc(kase->n_households + 1, sizeof *explanation->households);
  for (size_t h = 0; h < kase->n_households; h++) {
    bp_household_explanation *e = &explanation->households[h];
    e->alternative_unit = -1;
    long c = bp_placed_candidate(solution, (int)h);
    if (c >= 0) {
      e->code = BP_REASON_NONE;
      e->reason = placed_reason(&x, (int)h, (size_t)c);
      e->alternative = placed_alternative(&x, (int)h, (size_t)c,
                                          &e->alternative_unit);
    } else {
      explain_unplaced(&x, (int)h, e);
    }
  }
  bp_tally_free(&tally);
  return BP_OK;
}

void bp_explanation_free(bp_explanation *explanation, size_t n_households) {
  if (!explanation->households)
    return;
  for (size_t h = 0; h < n_households; h++) {
    free(explanation->households[h].reason);
    free(explanation->households[h].alternative);
  }
  free(explanation->households);
  explanation->households = NULL;
}

/* ------------------------------------------------------------------ */
/* The rule checks of a proposal (for proposals.json)                   */
/* ------------------------------------------------------------------ */

static void set_num(double *slot, bp_value_kind *kind, double v) {
  *slot = v;
  *kind = isfinite(v) ? BP_VALUE_NUMBER : BP_VALUE_NULL;
}
static void set_bool(double *slot, bp_value_kind *kind, int v) {
  *slot = v ? 1 : 0;
  *kind = BP_VALUE_BOOL;
}

static void travel_check(bp_buffer *b, const ctx *x, double m, double limit,
                         const char *to_en, const char *to_da,
                         const char *na_en, const char *na_da) {
  if (isnan(m)) {
    say(b, x, na_en, na_da);
    return;
  }
  if (isfinite(m))
    minutes(b, x, m);
  else
    say(b, x, "no route", "ingen rute");
  bp_buffer_printf(b, da(x) ? " til %s; grænse " : " to %s; limit ",
                   da(x) ? to_da : to_en);
  minutes(b, x, limit);
}

size_t bp_explain_checks(const bp_case *k, const bp_derived *derived,
                         const bp_tally *t, int h, size_t c,
                         bp_rule_check checks[BP_MAX_CHECKS]) {
  ctx xx = {k, derived, NULL, t, k->policy.language};
  const ctx *x = &xx;
  const bp_household *hh = &k->households[h];
  const bp_candidate *cand = &derived->candidates[c];
  int u = cand->unit;
  const bp_unit *unit = &k->units[u];
  int a = unit->area;
  const bp_area *area = &k->areas[a];
  const bp_policy *p = &k->policy;
  bp_pair_figures f;
  unsigned char failed[BP_RULE_COUNT];
  bp_check_pair(k, derived, h, u, &f, failed);
  int persons = bp_persons(hh);
  int shared = unit->kind == BP_UNIT_SHARED;
  size_t n = 0;

  for (int r = 0; r < BP_RULE_COUNT; r++) {
    bp_rule_check *ch = &checks[n++];
    memset(ch, 0, sizeof *ch);
    ch->rule = bp_rule_name((bp_rule)r);
    ch->applies = 1;
    ch->holds = !failed[r];
    bp_buffer b = {0};
    switch ((bp_rule)r) {
    case BP_RULE_PERSONS:
      set_num(&ch->value, &ch->value_kind, persons);
      if (unit->max_persons > 0) {
        set_num(&ch->limit, &ch->limit_kind, unit->max_persons);
        bp_buffer_printf(&b, da(x) ? "%d %s; boligen har plads til højst %d"
                                   : "%d %s; the unit takes at most %d",
                         persons,
                         da(x) ? plural(persons, "person", "personer")
                               : plural(persons, "person", "persons"),
                         unit->max_persons);
      } else {
        bp_buffer_printf(&b, da(x) ? "%d %s; ingen grænse for antal beboere"
                                   : "%d %s; no occupancy limit given",
                         persons,
                         da(x) ? plural(persons, "person", "personer")
                               : plural(persons, "person", "persons"));
      }
      break;
    case BP_RULE_ROOMS_MIN:
    case BP_RULE_ROOMS_MAX:
      if (shared) {
        ch->applies = 0;
        say(&b, x, "a place in shared housing is one room",
            "en plads i en delebolig er ét værelse");
        break;
      }
      set_num(&ch->value, &ch->value_kind, unit->rooms);
      bp_buffer_printf(&b, "%d %s; ", unit->rooms,
                       da(x) ? plural(unit->rooms, "værelse", "værelser")
                             : plural(unit->rooms, "room", "rooms"));
      if (r == BP_RULE_ROOMS_MIN) {
        set_num(&ch->limit, &ch->limit_kind, bp_rooms_needed(hh, p));
        bp_buffer_printf(&b, da(x) ? "kræver mindst %d" : "needs at least %d",
                         bp_rooms_needed(hh, p));
      } else {
        set_num(&ch->limit, &ch->limit_kind, bp_rooms_allowed(hh, p));
        bp_buffer_printf(&b, da(x) ? "højst %d til %d %s"
                                   : "at most %d for %d %s",
                         bp_rooms_allowed(hh, p), persons,
                         da(x) ? plural(persons, "person", "personer")
                               : plural(persons, "person", "persons"));
      }
      break;
    case BP_RULE_RENT:
      set_num(&ch->value, &ch->value_kind, unit->rent);
      set_num(&ch->limit, &ch->limit_kind, hh->max_rent);
      say(&b, x, "rent ", "husleje ");
      money(&b, x, unit->rent);
      say(&b, x, "; max ", "; højst ");
      money(&b, x, hh->max_rent);
      break;
    case BP_RULE_STEP_FREE:
      ch->applies = hh->step_free != 0;
      set_bool(&ch->value, &ch->value_kind, unit->step_free);
      set_bool(&ch->limit, &ch->limit_kind, hh->step_free);
      if (!hh->step_free)
        say(&b, x, "no need for step-free access",
            "intet behov for niveaufri adgang");
      else if (unit->step_free)
        say(&b, x, "needs step-free access; the unit is step-free",
            "har brug for niveaufri adgang; boligen er niveaufri");
      else
        say(&b, x, "needs step-free access; the unit is not step-free",
            "har brug for niveaufri adgang; boligen er ikke niveaufri");
      break;
    case BP_RULE_SHARED_SINGLE:
      ch->applies = shared;
      set_bool(&ch->value, &ch->value_kind, bp_is_single_adult(hh));
      if (!shared)
        say(&b, x, "not shared housing", "ikke en delebolig");
      else if (bp_is_single_adult(hh))
        say(&b, x, "shared housing; the household is one adult",
            "delebolig; husstanden er én voksen");
      else
        say(&b, x, "shared housing, but the household is not one single adult",
            "delebolig, men husstanden er ikke én enlig voksen");
      break;
    case BP_RULE_LANGUAGE_SCHOOL:
      ch->applies = !isnan(f.minutes_language_school);
      set_num(&ch->value, &ch->value_kind, f.minutes_language_school);
      set_num(&ch->limit, &ch->limit_kind, p->max_minutes_language_school);
      travel_check(&b, x, f.minutes_language_school,
                   p->max_minutes_language_school, "the language school",
                   "sprogskolen", "no adults in the household",
                   "ingen voksne i husstanden");
      break;
    case BP_RULE_SCHOOL:
      ch->applies = !isnan(f.minutes_school);
      set_num(&ch->value, &ch->value_kind, f.minutes_school);
      set_num(&ch->limit, &ch->limit_kind, p->max_minutes_school);
      travel_check(&b, x, f.minutes_school, p->max_minutes_school,
                   school_name(x, area->school), school_name(x, area->school),
                   "no children aged 6-16", "ingen børn i alderen 6-16 år");
      break;
    case BP_RULE_DAYCARE: {
      const char *name =
          area->daycare >= 0 ? daycare_name(x, area->daycare) : "?";
      ch->applies = !isnan(f.minutes_daycare);
      set_num(&ch->value, &ch->value_kind, f.minutes_daycare);
      set_num(&ch->limit, &ch->limit_kind, p->max_minutes_daycare);
      travel_check(&b, x, f.minutes_daycare, p->max_minutes_daycare, name,
                   name, "no children aged 0-5", "ingen børn i alderen 0-5 år");
      break;
    }
    case BP_RULE_JOB:
      ch->applies = !isnan(f.minutes_job);
      set_num(&ch->value, &ch->value_kind, f.minutes_job);
      set_num(&ch->limit, &ch->limit_kind, p->max_minutes_job);
      travel_check(&b, x, f.minutes_job, p->max_minutes_job, "work or study",
                   "arbejde eller uddannelse", "no workplace or education given",
                   "intet arbejds- eller uddannelsessted angivet");
      break;
    case BP_RULE_HEALTH:
      ch->applies = !isnan(f.minutes_health);
      set_num(&ch->value, &ch->value_kind, f.minutes_health);
      set_num(&ch->limit, &ch->limit_kind, p->max_minutes_health);
      travel_check(&b, x, f.minutes_health, p->max_minutes_health,
                   "specialised health care", "specialiseret behandling",
                   "no need for specialised health care",
                   "intet behov for specialiseret behandling");
      break;
    case BP_RULE_VULNERABLE:
      ch->applies = area->vulnerable != 0;
      set_bool(&ch->value, &ch->value_kind, area->vulnerable);
      set_bool(&ch->limit, &ch->limit_kind, p->allow_vulnerable_areas);
      if (!area->vulnerable)
        bp_buffer_printf(&b, da(x) ? "%s er ikke et udsat boligområde"
                                   : "%s is not a vulnerable housing area",
                         area_name(x, a));
      else
        bp_buffer_printf(&b,
                         da(x) ? "%s er et udsat boligområde; politikken %s "
                                 "placeringer der"
                               : "%s is a vulnerable housing area; the policy "
                                 "%s placements there",
                         area_name(x, a),
                         p->allow_vulnerable_areas
                             ? (da(x) ? "tillader" : "allows")
                             : (da(x) ? "udelukker" : "rules out"));
      break;
    case BP_RULE_TRANSIT:
      ch->applies = unit->kind == BP_UNIT_TRANSIT;
      set_bool(&ch->value, &ch->value_kind, unit->kind == BP_UNIT_TRANSIT);
      set_bool(&ch->limit, &ch->limit_kind, p->allow_transit);
      if (unit->kind != BP_UNIT_TRANSIT)
        say(&b, x, "a permanent home", "en permanent bolig");
      else if (p->allow_transit)
        say(&b, x, "transit housing; allowed as a last resort",
            "transitbolig; tilladt som sidste udvej");
      else
        say(&b, x, "transit housing; not allowed by the policy",
            "transitbolig; ikke tilladt af politikken");
      break;
    case BP_RULE_SCHOOL_SEATS:
    case BP_RULE_DAYCARE_PLACES: {
      int school = r == BP_RULE_SCHOOL_SEATS;
      int children = school ? hh->children_6_16 : hh->children_0_5;
      int i = school ? area->school : area->daycare;
      ch->applies = children > 0;
      if (children == 0) {
        say(&b, x, school ? "no children aged 6-16" : "no children aged 0-5",
            school ? "ingen børn i alderen 6-16 år"
                   : "ingen børn i alderen 0-5 år");
        break;
      }
      if (i < 0) {
        set_num(&ch->value, &ch->value_kind, children);
        bp_buffer_printf(&b, da(x) ? "intet dagtilbud dækker %s"
                                   : "no daycare serves %s",
                         area_name(x, a));
        break;
      }
      const bp_institution *inst = school ? &k->schools[i] : &k->daycares[i];
      int used = school ? t->school_children[i] : t->daycare_children[i];
      int left = inst->free_seats - (used - children);
      set_num(&ch->value, &ch->value_kind, children);
      set_num(&ch->limit, &ch->limit_kind, left);
      ch->holds = ch->holds && children <= left;
      const char *name = school ? school_name(x, i) : daycare_name(x, i);
      if (da(x))
        bp_buffer_printf(&b, "%d %s; %d af de %d ledige pladser %s %s er ikke "
                             "taget af andre forslag",
                         children, plural(children, "barn", "børn"), left,
                         inst->free_seats, school ? "på" : "i", name);
      else
        bp_buffer_printf(&b, "%d %s; %d of the %d free %s %s %s are not taken "
                             "by other proposals",
                         children, plural(children, "child", "children"), left,
                         inst->free_seats, school ? "seats" : "places",
                         school ? "at" : "in", name);
      break;
    }
    case BP_RULE_LOCK:
      set_bool(&ch->value, &ch->value_kind, f.locked_place);
      if (f.locked_place)
        say(&b, x, "placed here by the coordinator's lock",
            "koordinatoren har låst husstanden til denne bolig");
      else
        say(&b, x, "no lock stands in the way",
            "ingen lås står i vejen");
      break;
    case BP_RULE_COUNT:
      break;
    }
    ch->text = bp_buffer_take(&b);
  }

  /* The multi-household rules, with everyone this run places. */
  bp_buffer b = {0};
  bp_rule_check *ch;

  ch = &checks[n++];
  memset(ch, 0, sizeof *ch);
  ch->rule = "unit_places";
  ch->applies = 1;
  set_num(&ch->value, &ch->value_kind, occupants(t, u));
  set_num(&ch->limit, &ch->limit_kind, unit->places);
  ch->holds = occupants(t, u) <= unit->places;
  bp_buffer_printf(&b, da(x) ? "%d af %d %s brugt" : "%d of %d %s used",
                   occupants(t, u), unit->places,
                   da(x) ? plural(unit->places, "plads", "pladser")
                         : plural(unit->places, "place", "places"));
  ch->text = bp_buffer_take(&b);

  ch = &checks[n++];
  memset(ch, 0, sizeof *ch);
  ch->rule = "area_share";
  ch->applies = 1;
  set_num(&ch->value, &ch->value_kind, bp_area_share_after(k, t, a));
  set_num(&ch->limit, &ch->limit_kind, derived->area_cap[a]);
  ch->holds = t->area_placed[a] <= derived->area_room[a];
  {
    double before = bp_area_share_before(k, a), after = bp_area_share_after(k, t, a);
    int d = percent_decimals(before, after);
    bp_buffer_printf(&b, da(x) ? "andelen af nytilkomne i %s: " : "newcomer share in %s: ",
                     area_name(x, a));
    percent(&b, x, before, d);
    say(&b, x, " before, ", " før, ");
    percent(&b, x, after, d);
    say(&b, x, " after this run; cap ", " efter denne kørsel; loft ");
    cap_percent(&b, x, derived->area_cap[a]);
  }
  ch->text = bp_buffer_take(&b);

  for (int school = 1; school >= 0; school--) {
    ch = &checks[n++];
    memset(ch, 0, sizeof *ch);
    ch->rule = school ? "school_bilingual_share" : "daycare_bilingual_share";
    int children = school ? hh->children_6_16 : hh->children_0_5;
    int i = school ? area->school : area->daycare;
    ch->applies = children > 0 && i >= 0;
    ch->holds = 1;
    if (!ch->applies) {
      say(&b, x, school ? "no children aged 6-16" : "no children aged 0-5",
          school ? "ingen børn i alderen 6-16 år" : "ingen børn i alderen 0-5 år");
      ch->text = bp_buffer_take(&b);
      continue;
    }
    const bp_institution *inst = school ? &k->schools[i] : &k->daycares[i];
    int placed = school ? t->school_children[i] : t->daycare_children[i];
    double cap = school ? derived->school_cap[i] : derived->daycare_cap[i];
    int room = school ? derived->school_bilingual_room[i]
                      : derived->daycare_bilingual_room[i];
    double before = bp_share(inst->bilingual, inst->enrolled);
    double after = institution_share_plus(inst, placed, 0);
    set_num(&ch->value, &ch->value_kind, after);
    set_num(&ch->limit, &ch->limit_kind, cap);
    ch->holds = placed <= room;
    int d = percent_decimals(before, after);
    const char *name = school ? school_name(x, i) : daycare_name(x, i);
    if (da(x))
      bp_buffer_printf(&b, "andelen af tosprogede børn %s %s: ",
                       school ? "på" : "i", name);
    else
      bp_buffer_printf(&b, "bilingual share at %s: ", name);
    percent(&b, x, before, d);
    say(&b, x, " before, ", " før, ");
    percent(&b, x, after, d);
    say(&b, x, " after this run; cap ", " efter denne kørsel; loft ");
    cap_percent(&b, x, cap);
    ch->text = bp_buffer_take(&b);
  }

  ch = &checks[n++];
  memset(ch, 0, sizeof *ch);
  ch->rule = "building";
  ch->applies = unit->building_index >= 0 && p->max_new_per_building > 0;
  ch->holds = 1;
  if (unit->building_index < 0) {
    say(&b, x, "the unit is not in a named building",
        "boligen ligger ikke i en navngivet bygning");
  } else {
    int placed = t->building_placed[unit->building_index];
    set_num(&ch->value, &ch->value_kind, placed);
    if (p->max_new_per_building > 0) {
      set_num(&ch->limit, &ch->limit_kind, p->max_new_per_building);
      ch->holds = placed <= p->max_new_per_building;
      bp_buffer_printf(&b, da(x) ? "%d %s i bygningen %s i denne kørsel; "
                                   "grænse %d"
                                 : "%d new %s in building %s this run; limit %d",
                       placed,
                       da(x) ? plural(placed, "ny husstand", "nye husstande")
                             : plural(placed, "household", "households"),
                       k->buildings[unit->building_index].name,
                       p->max_new_per_building);
    } else {
      bp_buffer_printf(&b, da(x) ? "%d %s i bygningen %s; ingen grænse pr. "
                                   "bygning"
                                 : "%d new %s in building %s; no limit per "
                                   "building",
                       placed,
                       da(x) ? plural(placed, "ny husstand", "nye husstande")
                             : plural(placed, "household", "households"),
                       k->buildings[unit->building_index].name);
    }
  }
  ch->text = bp_buffer_take(&b);

  ch = &checks[n++];
  memset(ch, 0, sizeof *ch);
  ch->rule = "min_cluster";
  ch->applies = p->min_cluster > 0 && area->newcomer_households == 0;
  ch->holds = 1;
  if (p->min_cluster <= 0) {
    say(&b, x, "no minimum cluster in force", "ingen mindstegrænse i kraft");
  } else if (area->newcomer_households > 0) {
    bp_buffer_printf(&b, da(x) ? "%s har allerede nytilkomne"
                               : "%s already has newcomers",
                     area_name(x, a));
  } else {
    int placed = t->area_placed[a];
    set_num(&ch->value, &ch->value_kind, placed);
    set_num(&ch->limit, &ch->limit_kind, p->min_cluster);
    ch->holds = placed == 0 || placed >= p->min_cluster;
    bp_buffer_printf(&b, da(x) ? "%s havde ingen nytilkomne og får %d i denne "
                                 "kørsel; mindst %d ad gangen"
                               : "%s had no newcomers and gets %d this run; at "
                                 "least %d at once",
                     area_name(x, a), placed, p->min_cluster);
  }
  ch->text = bp_buffer_take(&b);

  ch = &checks[n++];
  memset(ch, 0, sizeof *ch);
  ch->rule = "group";
  ch->applies = in_real_group(k, hh);
  ch->holds = 1;
  if (!ch->applies) {
    say(&b, x, "not part of a group", "ikke del af en gruppe");
  } else {
    const bp_group *g = &k->groups[hh->group];
    int together = 0;
    for (int m = 0; m < g->n_members; m++) {
      int mu = t->household_unit[g->members[m]];
      together += mu >= 0 && k->units[mu].area == a;
    }
    set_num(&ch->value, &ch->value_kind, together);
    set_num(&ch->limit, &ch->limit_kind, g->n_members);
    ch->holds = together == g->n_members;
    bp_buffer_printf(&b, da(x) ? "%d af %d husstande i gruppe %s bor i %s"
                               : "%d of the %d households of group %s live in %s",
                     together, g->n_members, g->id, area_name(x, a));
  }
  ch->text = bp_buffer_take(&b);
  return n;
}

void bp_rule_checks_free(bp_rule_check *checks, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(checks[i].text);
    checks[i].text = NULL;
  }
}
