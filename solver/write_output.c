/**
 * @file write_output.c
 * @brief Write: proposals.csv, unplaced.csv and proposals.json, atomically.
 *
 * The last stage of the pipeline.  Every file is built whole in memory
 * first; output_dir.c then puts the whole set in place at once (mode 0600:
 * the outputs carry personal data, for the owner's eyes only), so a run
 * leaves either all of its outputs or none of them, never a mix with an
 * earlier run's and never half a file.
 *
 * The words come from explain.c (bp_explanation and the rule checks of
 * explain.h); this file only lays them out.  The CSV files are a pure
 * function of the input: no clock, no paths of temporary files, households
 * sorted by id.  Only proposals.json carries the solver's wall time.
 *
 * The field list of every file is documented in data/OUTPUTS.md.  The
 * helpers the report's JSON files share with proposals.json (output.h) are
 * defined here.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "buffer.h"
#include "explain.h"
#include "output.h"
#include "output_dir.h"
#include "report.h"


/* ------------------------------------------------------------------ */
/* Fields                                                               */
/* ------------------------------------------------------------------ */

typedef enum { COL_TEXT, COL_INT, COL_NUMBER } column_type;

typedef struct {
  const char *name;
  column_type type;
  int in_json; /**< also a key of each proposal in proposals.json */
} column;

/* The first seventeen are SPEC.md's, in its order; the rest are extras. */
enum {
  P_HOUSEHOLD, P_UNIT, P_AREA, P_PERSONS, P_ROOMS, P_RENT, P_MAX_RENT,
  P_SCHOOL, P_DAYCARE, P_MIN_LANGUAGE, P_MIN_SCHOOL, P_MIN_DAYCARE, P_MIN_JOB,
  P_MIN_HEALTH, P_SHARE_BEFORE, P_SHARE_AFTER, P_REASON, P_KIND, P_PLACES,
  P_BUILDING, P_ALT_UNIT, P_ALT, P_COUNT
};

static const column proposal_columns[P_COUNT] = {
    {"household_id", COL_TEXT, 1},
    {"unit_id", COL_TEXT, 1},
    {"area_id", COL_TEXT, 1},
    {"persons", COL_INT, 1},
    {"rooms", COL_INT, 1},
    {"rent", COL_NUMBER, 1},
    {"max_rent", COL_NUMBER, 1},
    {"school_id", COL_TEXT, 1},
    {"daycare_id", COL_TEXT, 1},
    {"minutes_language_school", COL_NUMBER, 1},
    {"minutes_school", COL_NUMBER, 1},
    {"minutes_daycare", COL_NUMBER, 1},
    {"minutes_job", COL_NUMBER, 1},
    {"minutes_health", COL_NUMBER, 1},
    {"area_share_before", COL_NUMBER, 1},
    {"area_share_after", COL_NUMBER, 1},
    {"reason", COL_TEXT, 1},
    {"kind", COL_TEXT, 1},
    {"places", COL_INT, 1},
    {"building", COL_TEXT, 1},
    /* In proposals.json these two live under justification.alternative. */
    {"alternative_unit_id", COL_TEXT, 0},
    {"alternative", COL_TEXT, 0},
};

enum { U_HOUSEHOLD, U_CODE, U_REASON, U_MISS, U_MISS_UNIT, U_COUNT };

static const column unplaced_columns[U_COUNT] = {
    {"household_id", COL_TEXT, 1}, {"reason_code", COL_TEXT, 1},
    {"reason", COL_TEXT, 1},       {"nearest_miss", COL_TEXT, 0},
    {"nearest_miss_unit_id", COL_TEXT, 0},
};

/* A plain number for machines: "." decimals, no grouping, at most
 * `decimals` decimals, trailing zeros (and a bare ".") dropped. */
static char *plain_number(double value, int decimals) {
  if (!isfinite(value))
    return bp_strdup("");
  char *text = bp_format("%.*f", decimals, value);
  char *dot = strchr(text, '.');
  if (dot) {
    char *end = text + strlen(text);
    while (end > dot + 1 && end[-1] == '0')
      *--end = '\0';
    if (end == dot + 1)
      *dot = '\0';
  }
  if (strcmp(text, "-0") == 0)
    strcpy(text, "0");
  return text;
}

/* Fixed decimals, empty where the value does not apply. */
static char *fixed_number(double value, int decimals) {
  if (!isfinite(value))
    return bp_strdup("");
  return bp_format("%.*f", decimals, value);
}

static char *text_or_empty(const char *text) {
  return bp_strdup(text ? text : "");
}

static void proposal_fields(const bp_run *run, const bp_tally *tally, int h,
                            char *fields[P_COUNT]) {
  const bp_case *k = &run->kase;
  const bp_household *hh = &k->households[h];
  bp_pair_figures figures;
  bp_candidate_figures(k, &run->derived,
                       (size_t)bp_placed_candidate(&run->solution, h), &figures);
  const bp_pair_figures *f = &figures;
  const bp_unit *unit = &k->units[f->unit];
  const bp_area *area = &k->areas[unit->area];
  const bp_household_explanation *e = &run->explanation.households[h];
  fields[P_HOUSEHOLD] = bp_strdup(hh->id);
  fields[P_UNIT] = bp_strdup(unit->id);
  fields[P_AREA] = bp_strdup(area->id);
  fields[P_PERSONS] = bp_format("%d", bp_persons(hh));
  /* The rooms the household gets: a place in a shared unit is one room
   * (SPEC.md rule 2), whatever the size of the unit. */
  fields[P_ROOMS] = bp_format("%d", unit->kind == BP_UNIT_SHARED ? 1 : unit->rooms);
  fields[P_RENT] = plain_number(unit->rent, 2);
  fields[P_MAX_RENT] = plain_number(hh->max_rent, 2);
  fields[P_SCHOOL] = bp_strdup(hh->children_6_16 > 0
                                   ? k->schools[area->school].id
                                   : "");
  fields[P_DAYCARE] =
      bp_strdup(hh->children_0_5 > 0 && area->daycare >= 0
                    ? k->daycares[area->daycare].id
                    : "");
  fields[P_MIN_LANGUAGE] = fixed_number(f->minutes_language_school, 1);
  fields[P_MIN_SCHOOL] = fixed_number(f->minutes_school, 1);
  fields[P_MIN_DAYCARE] = fixed_number(f->minutes_daycare, 1);
  fields[P_MIN_JOB] = fixed_number(f->minutes_job, 1);
  fields[P_MIN_HEALTH] = fixed_number(f->minutes_health, 1);
  fields[P_SHARE_BEFORE] =
      fixed_number(bp_area_share_before(k, unit->area), 4);
  fields[P_SHARE_AFTER] =
      fixed_number(bp_area_share_after(k, tally, unit->area), 4);
  fields[P_REASON] = text_or_empty(e->reason);
  fields[P_KIND] = bp_strdup(bp_unit_kind_name(unit->kind));
  fields[P_PLACES] = bp_format("%d", unit->places);
  fields[P_BUILDING] = text_or_empty(unit->building);
  fields[P_ALT_UNIT] = text_or_empty(
      e->alternative_unit >= 0 ? k->units[e->alternative_unit].id : NULL);
  fields[P_ALT] = text_or_empty(e->alternative);
}

static void unplaced_fields(const bp_run *run, int h, char *fields[U_COUNT]) {
  const bp_case *k = &run->kase;
  const bp_household_explanation *e = &run->explanation.households[h];
  fields[U_HOUSEHOLD] = bp_strdup(k->households[h].id);
  fields[U_CODE] = bp_strdup(bp_reason_code_name(e->code));
  fields[U_REASON] = text_or_empty(e->reason);
  fields[U_MISS] = text_or_empty(e->alternative);
  fields[U_MISS_UNIT] = text_or_empty(
      e->alternative_unit >= 0 ? k->units[e->alternative_unit].id : NULL);
}

static void free_fields(char **fields, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(fields[i]);
}

static void csv_row(bp_buffer *b, char **fields, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i > 0)
      bp_buffer_append(b, ",");
    bp_buffer_csv_field(b, fields[i]);
  }
  bp_buffer_append(b, "\n");
}

static void csv_header(bp_buffer *b, const column *columns, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i > 0)
      bp_buffer_append(b, ",");
    bp_buffer_csv_field(b, columns[i].name);
  }
  bp_buffer_append(b, "\n");
}

/* A field into JSON by its column type: empty is null, numbers are numbers
 * (parsed back from the very text the CSV carries, so both agree). */
static void json_field(cJSON *object, const column *col, const char *text) {
  if (!*text && col->type != COL_TEXT) {
    cJSON_AddNullToObject(object, col->name);
  } else if (col->type == COL_TEXT) {
    if (*text)
      cJSON_AddStringToObject(object, col->name, text);
    else
      cJSON_AddNullToObject(object, col->name);
  } else {
    cJSON_AddNumberToObject(object, col->name, strtod(text, NULL));
  }
}

void bp_json_add_number(cJSON *object, const char *key, double v) {
  if (isfinite(v))
    cJSON_AddNumberToObject(object, key, v);
  else
    cJSON_AddNullToObject(object, key);
}

/* ------------------------------------------------------------------ */
/* proposals.json                                                       */
/* ------------------------------------------------------------------ */

static cJSON *json_policy(const bp_case *k) {
  const bp_policy *p = &k->policy;
  cJSON *o = cJSON_CreateObject();
  cJSON *m = cJSON_AddObjectToObject(o, "max_minutes");
  cJSON_AddNumberToObject(m, "language_school", p->max_minutes_language_school);
  cJSON_AddNumberToObject(m, "school", p->max_minutes_school);
  cJSON_AddNumberToObject(m, "daycare", p->max_minutes_daycare);
  cJSON_AddNumberToObject(m, "job", p->max_minutes_job);
  cJSON_AddNumberToObject(m, "health", p->max_minutes_health);
  cJSON_AddNumberToObject(o, "max_newcomer_share", p->max_newcomer_share);
  cJSON_AddNumberToObject(o, "max_bilingual_share", p->max_bilingual_share);
  cJSON_AddNumberToObject(o, "persons_per_room", p->persons_per_room);
  cJSON_AddNumberToObject(o, "extra_rooms", p->extra_rooms);
  cJSON_AddNumberToObject(o, "max_new_per_building", p->max_new_per_building);
  cJSON_AddNumberToObject(o, "min_cluster", p->min_cluster);
  cJSON_AddBoolToObject(o, "allow_vulnerable_areas", p->allow_vulnerable_areas);
  cJSON_AddBoolToObject(o, "allow_transit", p->allow_transit);
  cJSON *w = cJSON_AddObjectToObject(o, "weights");
  cJSON_AddNumberToObject(w, "spread", p->weights.spread);
  cJSON_AddNumberToObject(w, "near_cap", p->weights.near_cap);
  cJSON_AddNumberToObject(w, "travel", p->weights.travel);
  cJSON_AddNumberToObject(w, "rent", p->weights.rent);
  cJSON_AddNumberToObject(w, "preference", p->weights.preference);
  cJSON_AddNumberToObject(w, "ties", p->weights.ties);
  cJSON_AddNumberToObject(w, "partner", p->weights.partner);
  cJSON_AddNumberToObject(w, "score", p->weights.score);
  bp_json_add_number(o, "time_limit_s", p->time_limit_s);
  cJSON_AddNumberToObject(o, "mip_gap", p->mip_gap);
  cJSON_AddStringToObject(o, "language",
                          p->language == BP_LANG_DA ? "da" : "en");
  if (k->policy_source)
    cJSON_AddStringToObject(o, "source", k->policy_source);
  else
    cJSON_AddNullToObject(o, "source");
  return o;
}

static cJSON *json_run(const bp_run *run) {
  const bp_case *k = &run->kase;
  const bp_solution *s = &run->solution;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "case_dir", k->dir ? k->dir : "");
  cJSON *inputs = cJSON_AddArrayToObject(o, "inputs");
  for (size_t i = 0; i < k->n_inputs; i++) {
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "file", k->inputs[i].name);
    cJSON_AddStringToObject(in, "sha256", k->inputs[i].sha256);
    cJSON_AddItemToArray(inputs, in);
  }
  cJSON_AddItemToObject(o, "policy", json_policy(k));

  cJSON *solver = cJSON_AddObjectToObject(o, "solver");
  cJSON_AddStringToObject(solver, "status", bp_solve_status_name(s));
  bp_json_add_number(solver, "objective", s->tier_value[BP_TIER_SOFT]);
  bp_json_add_number(solver, "best_bound", s->tier_bound[BP_TIER_SOFT]);
  bp_json_add_number(solver, "gap", s->gap);
  cJSON *tiers = cJSON_AddObjectToObject(solver, "tiers");
  static const char *tier_names[BP_TIER_COUNT] = {"housed", "waiting",
                                                  "permanent", "soft"};
  for (int t = 0; t < BP_TIER_COUNT; t++) {
    cJSON *tier = cJSON_AddObjectToObject(tiers, tier_names[t]);
    bp_json_add_number(tier, "value", s->tier_value[t]);
    bp_json_add_number(tier, "bound", s->tier_bound[t]);
  }
  cJSON *terms = cJSON_AddObjectToObject(solver, "soft_terms");
  bp_json_add_number(terms, "spread", s->soft_spread);
  bp_json_add_number(terms, "near_cap", s->soft_near_cap);
  bp_json_add_number(terms, "travel", s->soft_travel);
  bp_json_add_number(terms, "rent", s->soft_rent);
  bp_json_add_number(terms, "preference", s->soft_preference);
  bp_json_add_number(terms, "ties", s->soft_ties);
  bp_json_add_number(terms, "partner", s->soft_partner);
  bp_json_add_number(terms, "score", s->soft_score);
  bp_json_add_number(solver, "seconds", s->seconds);
  cJSON_AddNumberToObject(solver, "rows", s->rows);
  cJSON_AddNumberToObject(solver, "columns", s->columns);
  cJSON_AddNumberToObject(solver, "integer_columns", s->integer_columns);

  int places = 0, housed = 0, persons = 0;
  int by_reason[BP_REASON_LOCK + 1] = {0};
  for (size_t u = 0; u < k->n_units; u++)
    places += k->units[u].places;
  for (size_t h = 0; h < k->n_households; h++) {
    if (bp_placed_candidate(s, (int)h) >= 0) {
      housed++;
      persons += bp_persons(&k->households[h]);
    } else {
      bp_reason_code code = run->explanation.households[h].code;
      if (code <= BP_REASON_LOCK)
        by_reason[code]++;
    }
  }
  cJSON *counts = cJSON_AddObjectToObject(o, "counts");
  cJSON_AddNumberToObject(counts, "households", (double)k->n_households);
  cJSON_AddNumberToObject(counts, "units", (double)k->n_units);
  cJSON_AddNumberToObject(counts, "places", places);
  cJSON_AddNumberToObject(counts, "eligible_pairs",
                          (double)run->derived.n_candidates);
  cJSON_AddNumberToObject(counts, "housed", housed);
  cJSON_AddNumberToObject(counts, "persons_housed", persons);
  cJSON_AddNumberToObject(counts, "unplaced",
                          (double)k->n_households - housed);
  cJSON *reasons = cJSON_AddObjectToObject(counts, "by_reason");
  for (int r = BP_REASON_NO_ELIGIBLE_UNIT; r <= BP_REASON_LOCK; r++)
    cJSON_AddNumberToObject(reasons, bp_reason_code_name((bp_reason_code)r),
                            by_reason[r]);
  return o;
}

static void json_value(cJSON *o, const char *key, bp_value_kind kind,
                       double v) {
  if (kind == BP_VALUE_NUMBER)
    cJSON_AddNumberToObject(o, key, v);
  else if (kind == BP_VALUE_BOOL)
    cJSON_AddBoolToObject(o, key, v != 0);
  else
    cJSON_AddNullToObject(o, key);
}

/* The effect on an institution's bilingual share: before, after, cap, and
 * the seats or places. */
static cJSON *json_institution(const bp_institution *inst, double cap,
                               int placed_children, int own_children,
                               const char *free_key, const char *used_key) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", inst->id);
  cJSON_AddNumberToObject(o, "before",
                          bp_share(inst->bilingual, inst->enrolled));
  cJSON_AddNumberToObject(o, "after",
                          bp_share(inst->bilingual + placed_children,
                                   inst->enrolled + placed_children));
  cJSON_AddNumberToObject(o, "cap", cap);
  cJSON_AddNumberToObject(o, free_key, inst->free_seats);
  cJSON_AddNumberToObject(o, used_key, placed_children);
  cJSON_AddNumberToObject(o, "children", own_children);
  return o;
}

static cJSON *json_proposal(const bp_run *run, const bp_tally *tally, int h,
                            char *fields[P_COUNT]) {
  const bp_case *k = &run->kase;
  const bp_derived *d = &run->derived;
  const bp_household *hh = &k->households[h];
  size_t c = (size_t)bp_placed_candidate(&run->solution, h);
  bp_pair_figures figures;
  bp_candidate_figures(k, d, c, &figures);
  const bp_pair_figures *f = &figures;
  const bp_unit *unit = &k->units[f->unit];
  int a = unit->area;
  const bp_area *area = &k->areas[a];
  cJSON *o = cJSON_CreateObject();
  for (int i = 0; i < P_COUNT; i++)
    if (proposal_columns[i].in_json)
      json_field(o, &proposal_columns[i], fields[i]);

  cJSON *just = cJSON_AddObjectToObject(o, "justification");
  cJSON *rules = cJSON_AddArrayToObject(just, "rules");
  bp_rule_check checks[BP_MAX_CHECKS];
  size_t n = bp_explain_checks(k, d, tally, h, c, checks);
  for (size_t i = 0; i < n; i++) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "rule", checks[i].rule);
    cJSON_AddBoolToObject(r, "holds", checks[i].holds);
    cJSON_AddBoolToObject(r, "applies", checks[i].applies);
    json_value(r, "value", checks[i].value_kind, checks[i].value);
    json_value(r, "limit", checks[i].limit_kind, checks[i].limit);
    cJSON_AddStringToObject(r, "text", checks[i].text ? checks[i].text : "");
    cJSON_AddItemToArray(rules, r);
  }
  bp_rule_checks_free(checks, n);

  cJSON *effects = cJSON_AddObjectToObject(just, "effects");
  cJSON *ea = cJSON_AddObjectToObject(effects, "area");
  cJSON_AddStringToObject(ea, "id", area->id);
  cJSON_AddNumberToObject(ea, "before", bp_area_share_before(k, a));
  cJSON_AddNumberToObject(ea, "after", bp_area_share_after(k, tally, a));
  cJSON_AddNumberToObject(ea, "cap", d->area_cap[a]);
  cJSON_AddNumberToObject(ea, "placed", tally->area_placed[a]);
  if (hh->children_6_16 > 0)
    cJSON_AddItemToObject(
        effects, "school",
        json_institution(&k->schools[area->school], d->school_cap[area->school],
                         tally->school_children[area->school],
                         hh->children_6_16, "seats_free_before", "seats_used"));
  else
    cJSON_AddNullToObject(effects, "school");
  if (hh->children_0_5 > 0 && area->daycare >= 0)
    cJSON_AddItemToObject(
        effects, "daycare",
        json_institution(&k->daycares[area->daycare],
                         d->daycare_cap[area->daycare],
                         tally->daycare_children[area->daycare],
                         hh->children_0_5, "places_free_before", "places_used"));
  else
    cJSON_AddNullToObject(effects, "daycare");

  cJSON *terms = cJSON_AddObjectToObject(just, "objective_terms");
  bp_json_add_number(terms, "travel_hours", f->travel_hours);
  bp_json_add_number(terms, "rent_burden", f->rent_burden);
  cJSON_AddBoolToObject(terms, "preferred", f->preferred);
  cJSON_AddBoolToObject(terms, "ties", f->ties);
  cJSON_AddBoolToObject(terms, "partner", f->partner);
  bp_json_add_number(terms, "score", f->score);
  bp_json_add_number(terms, "pair_cost", f->pair_cost);

  bp_alternative alt = bp_explain_alternative(k, d, tally, h, c);
  cJSON *ja = cJSON_AddObjectToObject(just, "alternative");
  if (alt.unit >= 0)
    cJSON_AddStringToObject(ja, "unit_id", k->units[alt.unit].id);
  else
    cJSON_AddNullToObject(ja, "unit_id");
  cJSON_AddStringToObject(ja, "text",
                          fields[P_ALT] ? fields[P_ALT] : "");
  if (alt.taken_by >= 0)
    cJSON_AddStringToObject(ja, "taken_by", k->households[alt.taken_by].id);
  else
    cJSON_AddNullToObject(ja, "taken_by");
  if (alt.unit >= 0 && alt.block != BP_BLOCK_NONE)
    cJSON_AddStringToObject(ja, "blocked_by", bp_block_name(alt.block));
  else
    cJSON_AddNullToObject(ja, "blocked_by");
  if (alt.unit >= 0) {
    bp_pair_figures fa_figures;
    bp_candidate_figures(k, d, (size_t)alt.candidate, &fa_figures);
    const bp_pair_figures *fa = &fa_figures;
    cJSON_AddStringToObject(ja, "area_id", k->areas[k->units[alt.unit].area].id);
    cJSON_AddNumberToObject(ja, "rent", k->units[alt.unit].rent);
    bp_json_add_number(ja, "pair_cost", fa->pair_cost);
    bp_json_add_number(ja, "pair_cost_difference",
                       fa->pair_cost - f->pair_cost);
    bp_json_add_number(ja, "travel_minutes_difference",
                       (fa->travel_hours - f->travel_hours) * 60.0);
  }
  return o;
}

static cJSON *json_unplaced(const bp_run *run, const bp_tally *tally, int h,
                            char *fields[U_COUNT]) {
  const bp_case *k = &run->kase;
  const bp_household_explanation *e = &run->explanation.households[h];
  cJSON *o = cJSON_CreateObject();
  for (int i = 0; i < U_COUNT; i++)
    if (unplaced_columns[i].in_json)
      json_field(o, &unplaced_columns[i], fields[i]);
  cJSON *miss = cJSON_AddObjectToObject(o, "nearest_miss");
  if (e->alternative_unit >= 0)
    cJSON_AddStringToObject(miss, "unit_id", k->units[e->alternative_unit].id);
  else
    cJSON_AddNullToObject(miss, "unit_id");
  cJSON_AddStringToObject(miss, "text", fields[U_MISS]);
  cJSON *failed = cJSON_AddArrayToObject(miss, "failed_rules");
  if (e->alternative_unit >= 0) {
    const char *names[BP_MAX_CHECKS];
    size_t n = bp_explain_failed_rules(k, &run->derived, tally, h,
                                       e->alternative_unit, names);
    for (size_t i = 0; i < n; i++)
      cJSON_AddItemToArray(failed, cJSON_CreateString(names[i]));
    int taker = bp_tally_taken_by(tally, e->alternative_unit, h);
    if (taker >= 0)
      cJSON_AddStringToObject(miss, "taken_by", k->households[taker].id);
    else
      cJSON_AddNullToObject(miss, "taken_by");
  } else {
    cJSON_AddNullToObject(miss, "taken_by");
  }
  return o;
}

/* ------------------------------------------------------------------ */
/* Building the three files                                             */
/* ------------------------------------------------------------------ */

typedef struct {
  const char *id;
  int index;
} keyed;

static int compare_keyed(const void *x, const void *y) {
  const keyed *a = x, *b = y;
  int c = strcmp(a->id, b->id);
  return c ? c : (a->index > b->index) - (a->index < b->index);
}

char *bp_json_print(const cJSON *root) {
  char *printed = cJSON_Print(root);
  char *text = bp_format("%s\n", printed ? printed : "{}");
  cJSON_free(printed);
  return text;
}

int *bp_households_by_id(const bp_case *k) {
  keyed *keys = bp_alloc((k->n_households + 1) * sizeof *keys);
  for (size_t h = 0; h < k->n_households; h++)
    keys[h] = (keyed){k->households[h].id, (int)h};
  qsort(keys, k->n_households, sizeof *keys, compare_keyed);
  int *order = bp_alloc((k->n_households + 1) * sizeof *order);
  for (size_t h = 0; h < k->n_households; h++)
    order[h] = keys[h].index;
  free(keys);
  return order;
}

typedef struct {
  const char *name;
  char *data;
  size_t length;
} out_file;

/* The three files of the run above, then the report's (report.h):
 * summary.json, report.html, placements.geojson, all in one batch. */
#define OUTPUT_FILES (3 + BP_REPORT_FILE_COUNT)

static void build_files(const bp_run *run, out_file files[3]) {
  const bp_case *k = &run->kase;
  bp_tally tally;
  bp_tally_build(k, &run->derived, &run->solution, &tally);
  int *order = bp_households_by_id(k);

  bp_buffer proposals = {0}, unplaced = {0};
  csv_header(&proposals, proposal_columns, P_COUNT);
  csv_header(&unplaced, unplaced_columns, U_COUNT);

  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "boplace_version", BOPLACE_VERSION);
  cJSON_AddItemToObject(root, "run", json_run(run));
  cJSON *jp = cJSON_AddArrayToObject(root, "proposals");
  cJSON *ju = cJSON_AddArrayToObject(root, "unplaced");

  for (size_t i = 0; i < k->n_households; i++) {
    int h = order[i];
    if (bp_placed_candidate(&run->solution, h) >= 0) {
      char *fields[P_COUNT];
      proposal_fields(run, &tally, h, fields);
      csv_row(&proposals, fields, P_COUNT);
      cJSON_AddItemToArray(jp, json_proposal(run, &tally, h, fields));
      free_fields(fields, P_COUNT);
    } else {
      char *fields[U_COUNT];
      unplaced_fields(run, h, fields);
      csv_row(&unplaced, fields, U_COUNT);
      cJSON_AddItemToArray(ju, json_unplaced(run, &tally, h, fields));
      free_fields(fields, U_COUNT);
    }
  }

  char *json = bp_json_print(root);
  cJSON_Delete(root);

  files[0].name = "proposals.csv";
  files[0].length = proposals.length;
  files[0].data = bp_buffer_take(&proposals);
  files[1].name = "unplaced.csv";
  files[1].length = unplaced.length;
  files[1].data = bp_buffer_take(&unplaced);
  files[2].name = "proposals.json";
  files[2].length = strlen(json);
  files[2].data = json;
  free(order);
  bp_tally_free(&tally);
}

/* ------------------------------------------------------------------ */
/* Writing atomically                                                   */
/* ------------------------------------------------------------------ */

bp_status bp_write_outputs(const bp_run *run, const char *out_dir,
                           bp_diagnostics *diag) {
  /* Explain when the caller did not, so that a writer is never missing its
   * words; the explanation made here is ours to free. */
  bp_run local;
  const bp_run *r = run;
  if (!run->explanation.households) {
    local = *run;
    memset(&local.explanation, 0, sizeof local.explanation);
    BP_CALL(bp_explain(&run->kase, &run->derived, &run->solution,
                       &local.explanation, diag));
    r = &local;
  }

  out_file files[OUTPUT_FILES];
  memset(files, 0, sizeof files);
  build_files(r, files);
  bp_report_file report[BP_REPORT_FILE_COUNT];
  bp_status status = bp_report_files(r, report, diag);
  for (int i = 0; i < BP_REPORT_FILE_COUNT && status == BP_OK; i++)
    files[3 + i] = (out_file){report[i].name, report[i].data, report[i].length};
  if (status == BP_OK) {
    /* All six at once: output_dir.c swaps the whole set in, so a crash
     * leaves the previous run's outputs or these, never a mix. */
    bp_output_file out[OUTPUT_FILES];
    for (int i = 0; i < OUTPUT_FILES; i++)
      out[i] = (bp_output_file){files[i].name, files[i].data, files[i].length};
    status = bp_replace_outputs(out_dir, out, OUTPUT_FILES, diag);
  }
  for (int i = 0; i < OUTPUT_FILES; i++)
    free(files[i].data);
  if (r == &local)
    bp_explanation_free(&local.explanation, run->kase.n_households);
  return status;
}
