/**
 * @file report_summary.c
 * @brief The spread report's data: built from a finished run, written as
 *        summary.json, and read back from it (see report.h).
 *
 * summary.json is the report for machines and the only input of
 * `boplace report OUT_DIR`, so it carries everything report.html shows:
 * names, counts, shares and caps of every area, school and daycare, the
 * stops with their coordinates, the links, the proposals with their trips
 * and the unplaced households, with every sentence in English and Danish.
 * It holds no clock time and no solver seconds, so that the same input
 * gives the same summary.json and the same report.html, byte for byte.
 *
 * bp_report_files() is the write stage's way in: it builds the report,
 * prints summary.json, reads that text back and renders report.html and
 * placements.geojson from what it read, exactly as `boplace report` does.
 * The field list is documented in data/OUTPUTS.md.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_text.h"
#include "output.h"
#include "report.h"
#include "sha256.h"


static const char *trip_names[BP_TRIP_COUNT] = {
    "language_school", "school", "daycare", "job", "health"};

const char *bp_trip_name(bp_trip trip) {
  return trip < BP_TRIP_COUNT ? trip_names[trip] : "?";
}

static const char *language_code(bp_language lang) {
  return lang == BP_LANG_DA ? "da" : "en";
}

/* ------------------------------------------------------------------ */
/* Building the report from a run                                       */
/* ------------------------------------------------------------------ */

/* The case's name: the last part of its directory ("data/sample/" ->
 * "sample"); the directory itself when that part says nothing (".."). */
static char *case_name(const char *dir) {
  size_t end = strlen(dir);
  while (end > 1 && dir[end - 1] == '/')
    end--;
  size_t start = end;
  while (start > 0 && dir[start - 1] != '/')
    start--;
  char *name = bp_strndup(dir + start, end - start);
  if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
    free(name);
    name = bp_strdup(dir);
  }
  return name;
}

/* Minutes as proposals.csv shows them: to 0.1, NAN where not applicable. */
static double tenth(double minutes) {
  return isfinite(minutes) ? round(minutes * 10.0) / 10.0 : NAN;
}

typedef struct {
  const char *id;
  int index;
} keyed;

static int compare_keyed(const void *x, const void *y) {
  const keyed *a = x, *b = y;
  int c = strcmp(a->id, b->id);
  return c ? c : (a->index > b->index) - (a->index < b->index);
}

static int compare_pairs(const void *x, const void *y) {
  const int *a = x, *b = y;
  if (a[0] != b[0])
    return a[0] < b[0] ? -1 : 1;
  return (a[1] > b[1]) - (a[1] < b[1]);
}

static void fingerprint(bp_report *r) {
  bp_sha256 hash;
  bp_sha256_init(&hash);
  for (size_t i = 0; i < r->n_inputs; i++) {
    bp_sha256_update(&hash, r->inputs[i].file, strlen(r->inputs[i].file));
    bp_sha256_update(&hash, "\t", 1);
    bp_sha256_update(&hash, r->inputs[i].sha256, 64);
    bp_sha256_update(&hash, "\n", 1);
  }
  bp_sha256_final_hex(&hash, r->fingerprint);
}

/* The stops of each area's units, each once, in stop order; and the mean
 * of their coordinates. */
static void area_stops(const bp_case *k, bp_report *r) {
  int (*pairs)[2] = bp_alloc((k->n_units + 1) * sizeof *pairs);
  for (size_t u = 0; u < k->n_units; u++) {
    pairs[u][0] = k->units[u].area;
    pairs[u][1] = k->units[u].stop;
  }
  qsort(pairs, k->n_units, sizeof *pairs, compare_pairs);
  for (size_t i = 0; i < k->n_units; i++) {
    if (i > 0 && pairs[i][0] == pairs[i - 1][0] &&
        pairs[i][1] == pairs[i - 1][1])
      continue;
    bp_report_area *a = &r->areas[pairs[i][0]];
    a->stops = bp_realloc(a->stops, (a->n_stops + 1) * sizeof *a->stops);
    a->stops[a->n_stops++] = pairs[i][1];
  }
  free(pairs);
  for (size_t i = 0; i < r->n_areas; i++) {
    bp_report_area *a = &r->areas[i];
    double lat = 0, lon = 0;
    int n = 0;
    for (size_t s = 0; s < a->n_stops; s++) {
      const bp_report_stop *stop = &r->stops[a->stops[s]];
      if (isfinite(stop->lat) && isfinite(stop->lon)) {
        lat += stop->lat;
        lon += stop->lon;
        n++;
      }
    }
    a->lat = n ? lat / n : NAN;
    a->lon = n ? lon / n : NAN;
  }
}

static void institutions(const bp_institution *inst, size_t n,
                         const int *placed, const double *cap,
                         bp_report_institution **out, size_t *n_out) {
  *n_out = n;
  *out = bp_calloc(n + 1, sizeof **out);
  for (size_t i = 0; i < n; i++) {
    bp_report_institution *x = &(*out)[i];
    x->id = bp_strdup(inst[i].id);
    x->name = bp_strdup(inst[i].name);
    x->stop = inst[i].stop;
    x->enrolled = inst[i].enrolled;
    x->bilingual = inst[i].bilingual;
    x->free_before = inst[i].free_seats;
    x->placed_children = placed[i];
    x->share_before = bp_share(inst[i].bilingual, inst[i].enrolled);
    x->share_after =
        bp_share(inst[i].bilingual + placed[i], inst[i].enrolled + placed[i]);
    x->cap = cap[i];
  }
}

static char *dup_or_empty(const char *text) {
  return bp_strdup(text ? text : "");
}

bp_status bp_report_of_run(const bp_run *run, bp_report *r,
                           bp_diagnostics *diag) {
  const bp_case *k = &run->kase;
  const bp_derived *d = &run->derived;
  const bp_solution *s = &run->solution;
  memset(r, 0, sizeof *r);

  /* The reasons in both languages: the run's own, and the other one
   * explained here from a copy of the case that differs only in the
   * policy's language (bp_explain reads nothing else of it to choose). */
  bp_explanation ex[2] = {{0}, {0}};
  int own[2] = {0, 0};
  for (int lang = BP_LANG_EN; lang <= BP_LANG_DA; lang++) {
    if (run->explanation.households && k->policy.language == (bp_language)lang) {
      ex[lang] = run->explanation;
      continue;
    }
    bp_case other = *k;
    other.policy.language = (bp_language)lang;
    bp_status status = bp_explain(&other, d, s, &ex[lang], diag);
    if (status != BP_OK) {
      for (int i = 0; i < 2; i++)
        if (own[i])
          bp_explanation_free(&ex[i], k->n_households);
      return status;
    }
    own[lang] = 1;
  }

  r->boplace_version = bp_strdup(BOPLACE_VERSION);
  r->case_dir = bp_strdup(k->dir ? k->dir : "");
  r->case_name = case_name(r->case_dir);
  r->policy_source = k->policy_source ? bp_strdup(k->policy_source) : NULL;
  r->language = k->policy.language;
  r->n_inputs = k->n_inputs;
  r->inputs = bp_calloc(k->n_inputs + 1, sizeof *r->inputs);
  for (size_t i = 0; i < k->n_inputs; i++) {
    r->inputs[i].file = bp_strdup(k->inputs[i].name);
    memcpy(r->inputs[i].sha256, k->inputs[i].sha256, 65);
  }
  fingerprint(r);
  const bp_policy *p = &k->policy;
  r->max_minutes[BP_TRIP_LANGUAGE_SCHOOL] = p->max_minutes_language_school;
  r->max_minutes[BP_TRIP_SCHOOL] = p->max_minutes_school;
  r->max_minutes[BP_TRIP_DAYCARE] = p->max_minutes_daycare;
  r->max_minutes[BP_TRIP_JOB] = p->max_minutes_job;
  r->max_minutes[BP_TRIP_HEALTH] = p->max_minutes_health;
  r->max_newcomer_share = p->max_newcomer_share;
  r->max_bilingual_share = p->max_bilingual_share;
  r->solver_status = bp_strdup(bp_solve_status_name(s));
  r->objective = s->tier_value[BP_TIER_SOFT];
  r->gap = s->gap;

  bp_tally tally;
  bp_tally_build(k, d, s, &tally);
  bp_spread_indices_of_run(run, &tally, &r->indices);

  r->households = (int)k->n_households;
  r->units = (int)k->n_units;
  for (size_t u = 0; u < k->n_units; u++)
    r->places += k->units[u].places;

  r->n_stops = k->n_stops;
  r->stops = bp_calloc(k->n_stops + 1, sizeof *r->stops);
  for (size_t i = 0; i < k->n_stops; i++) {
    r->stops[i].id = bp_strdup(k->stops[i].id);
    r->stops[i].name = dup_or_empty(k->stops[i].name);
    r->stops[i].lat = k->stops[i].lat;
    r->stops[i].lon = k->stops[i].lon;
  }
  /* Links once per pair of stops, whichever way they run. */
  r->links = bp_alloc((k->n_links + 1) * sizeof *r->links);
  for (size_t i = 0; i < k->n_links; i++) {
    int a = k->links[i].from_stop, b = k->links[i].to_stop;
    r->links[i][0] = a < b ? a : b;
    r->links[i][1] = a < b ? b : a;
  }
  qsort(r->links, k->n_links, sizeof *r->links, compare_pairs);
  for (size_t i = 0; i < k->n_links; i++)
    if (r->n_links == 0 ||
        compare_pairs(r->links[r->n_links - 1], r->links[i]) != 0) {
      r->links[r->n_links][0] = r->links[i][0];
      r->links[r->n_links][1] = r->links[i][1];
      r->n_links++;
    }
  r->n_destinations = k->n_destinations;
  r->destinations = bp_calloc(k->n_destinations + 1, sizeof *r->destinations);
  for (size_t i = 0; i < k->n_destinations; i++) {
    r->destinations[i].id = bp_strdup(k->destinations[i].id);
    r->destinations[i].kind = bp_strdup(k->destinations[i].kind);
    r->destinations[i].name = dup_or_empty(k->destinations[i].name);
    r->destinations[i].stop = k->destinations[i].stop;
  }

  r->n_areas = k->n_areas;
  r->areas = bp_calloc(k->n_areas + 1, sizeof *r->areas);
  for (size_t i = 0; i < k->n_areas; i++) {
    const bp_area *a = &k->areas[i];
    bp_report_area *x = &r->areas[i];
    x->id = bp_strdup(a->id);
    x->name = dup_or_empty(a->name);
    x->households = a->households;
    x->newcomers = a->newcomer_households;
    x->placed = tally.area_placed[i];
    x->share_before = bp_area_share_before(k, (int)i);
    x->share_after = bp_area_share_after(k, &tally, (int)i);
    x->cap = d->area_cap[i];
    x->vulnerable = a->vulnerable;
    x->partner = a->partner;
  }
  area_stops(k, r);
  institutions(k->schools, k->n_schools, tally.school_children, d->school_cap,
               &r->schools, &r->n_schools);
  institutions(k->daycares, k->n_daycares, tally.daycare_children,
               d->daycare_cap, &r->daycares, &r->n_daycares);

  int *order = bp_households_by_id(k);
  r->proposals = bp_calloc(k->n_households + 1, sizeof *r->proposals);
  r->unplaced = bp_calloc(k->n_households + 1, sizeof *r->unplaced);
  for (size_t i = 0; i < k->n_households; i++) {
    int h = order[i];
    const bp_household *hh = &k->households[h];
    long c = bp_placed_candidate(s, h);
    if (c < 0) {
      bp_report_unplaced *x = &r->unplaced[r->n_unplaced++];
      bp_reason_code code = ex[BP_LANG_EN].households[h].code;
      x->household_id = bp_strdup(hh->id);
      x->reason_code = bp_strdup(bp_reason_code_name(code));
      if (code >= BP_REASON_NO_ELIGIBLE_UNIT && code <= BP_REASON_LOCK)
        r->by_reason[code - 1]++;
      for (int lang = 0; lang < 2; lang++) {
        x->reason[lang] = dup_or_empty(ex[lang].households[h].reason);
        x->nearest_miss[lang] = dup_or_empty(ex[lang].households[h].alternative);
      }
      continue;
    }
    bp_pair_figures figures;
    bp_candidate_figures(k, d, (size_t)c, &figures);
    const bp_pair_figures *f = &figures;
    const bp_unit *unit = &k->units[f->unit];
    bp_report_proposal *x = &r->proposals[r->n_proposals++];
    x->household_id = bp_strdup(hh->id);
    x->unit_id = bp_strdup(unit->id);
    x->area = unit->area;
    x->stop = unit->stop;
    x->kind = bp_strdup(bp_unit_kind_name(unit->kind));
    x->persons = bp_persons(hh);
    x->rooms = unit->kind == BP_UNIT_SHARED ? 1 : unit->rooms;
    x->rent = unit->rent;
    x->max_rent = hh->max_rent;
    x->walk_minutes = unit->walk_minutes;
    x->minutes[BP_TRIP_LANGUAGE_SCHOOL] = tenth(f->minutes_language_school);
    x->minutes[BP_TRIP_SCHOOL] = tenth(f->minutes_school);
    x->minutes[BP_TRIP_DAYCARE] = tenth(f->minutes_daycare);
    x->minutes[BP_TRIP_JOB] = tenth(f->minutes_job);
    x->minutes[BP_TRIP_HEALTH] = tenth(f->minutes_health);
    x->within_limits = bp_index_within_limits(f, p);
    for (int lang = 0; lang < 2; lang++)
      x->reason[lang] = dup_or_empty(ex[lang].households[h].reason);
    r->housed++;
    r->persons_housed += x->persons;
    r->transit += unit->kind == BP_UNIT_TRANSIT;
  }
  free(order);
  bp_tally_free(&tally);
  for (int i = 0; i < 2; i++)
    if (own[i])
      bp_explanation_free(&ex[i], k->n_households);
  return BP_OK;
}

void bp_report_free(bp_report *r) {
  free(r->boplace_version);
  free(r->case_name);
  free(r->case_dir);
  free(r->policy_source);
  for (size_t i = 0; i < r->n_inputs; i++)
    free(r->inputs[i].file);
  free(r->inputs);
  free(r->solver_status);
  for (size_t i = 0; i < r->n_areas; i++) {
    free(r->areas[i].id);
    free(r->areas[i].name);
    free(r->areas[i].stops);
  }
  free(r->areas);
  for (int t = 0; t < 2; t++) {
    bp_report_institution *x = t ? r->daycares : r->schools;
    size_t n = t ? r->n_daycares : r->n_schools;
    for (size_t i = 0; i < n; i++) {
      free(x[i].id);
      free(x[i].name);
    }
    free(x);
  }
  for (size_t i = 0; i < r->n_stops; i++) {
    free(r->stops[i].id);
    free(r->stops[i].name);
  }
  free(r->stops);
  free(r->links);
  for (size_t i = 0; i < r->n_destinations; i++) {
    free(r->destinations[i].id);
    free(r->destinations[i].kind);
    free(r->destinations[i].name);
  }
  free(r->destinations);
  for (size_t i = 0; i < r->n_proposals; i++) {
    bp_report_proposal *x = &r->proposals[i];
    free(x->household_id);
    free(x->unit_id);
    free(x->kind);
    free(x->reason[0]);
    free(x->reason[1]);
  }
  free(r->proposals);
  for (size_t i = 0; i < r->n_unplaced; i++) {
    bp_report_unplaced *x = &r->unplaced[i];
    free(x->household_id);
    free(x->reason_code);
    for (int lang = 0; lang < 2; lang++) {
      free(x->reason[lang]);
      free(x->nearest_miss[lang]);
    }
  }
  free(r->unplaced);
  memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------------ */
/* summary.json                                                         */
/* ------------------------------------------------------------------ */

static void add_text2(cJSON *o, const char *key, char *const text[2]) {
  cJSON *t = cJSON_AddObjectToObject(o, key);
  cJSON_AddStringToObject(t, "en", text[BP_LANG_EN]);
  cJSON_AddStringToObject(t, "da", text[BP_LANG_DA]);
}

static const char *stop_id(const bp_report *r, int stop) {
  return stop >= 0 && (size_t)stop < r->n_stops ? r->stops[stop].id : NULL;
}

static void add_stop_ref(cJSON *o, const char *key, const bp_report *r,
                         int stop) {
  const char *id = stop_id(r, stop);
  if (id)
    cJSON_AddStringToObject(o, key, id);
  else
    cJSON_AddNullToObject(o, key);
}

static cJSON *before_after(int before, int after, size_t of) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "before", before);
  cJSON_AddNumberToObject(o, "after", after);
  cJSON_AddNumberToObject(o, "of", (double)of);
  return o;
}

static cJSON *json_institutions(const bp_report *r,
                                const bp_report_institution *x, size_t n,
                                const char *free_key) {
  cJSON *array = cJSON_CreateArray();
  for (size_t i = 0; i < n; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", x[i].id);
    cJSON_AddStringToObject(o, "name", x[i].name);
    add_stop_ref(o, "stop_id", r, x[i].stop);
    cJSON_AddNumberToObject(o, "enrolled", x[i].enrolled);
    cJSON_AddNumberToObject(o, "bilingual", x[i].bilingual);
    cJSON_AddNumberToObject(o, free_key, x[i].free_before);
    cJSON_AddNumberToObject(o, "placed_children", x[i].placed_children);
    bp_json_add_number(o, "share_before", x[i].share_before);
    bp_json_add_number(o, "share_after", x[i].share_after);
    bp_json_add_number(o, "cap", x[i].cap);
    cJSON_AddItemToArray(array, o);
  }
  return array;
}

char *bp_report_summary_json(const bp_report *r) {
  cJSON *root = cJSON_CreateObject();
  cJSON_AddNumberToObject(root, "summary_format", BP_SUMMARY_FORMAT);
  cJSON_AddStringToObject(root, "boplace_version", r->boplace_version);
  cJSON_AddStringToObject(root, "language", language_code(r->language));

  cJSON *kase = cJSON_AddObjectToObject(root, "case");
  cJSON_AddStringToObject(kase, "name", r->case_name);
  cJSON_AddStringToObject(kase, "dir", r->case_dir);
  cJSON_AddStringToObject(kase, "fingerprint", r->fingerprint);
  cJSON *inputs = cJSON_AddArrayToObject(kase, "inputs");
  for (size_t i = 0; i < r->n_inputs; i++) {
    cJSON *in = cJSON_CreateObject();
    cJSON_AddStringToObject(in, "file", r->inputs[i].file);
    cJSON_AddStringToObject(in, "sha256", r->inputs[i].sha256);
    cJSON_AddItemToArray(inputs, in);
  }

  cJSON *policy = cJSON_AddObjectToObject(root, "policy");
  if (r->policy_source)
    cJSON_AddStringToObject(policy, "source", r->policy_source);
  else
    cJSON_AddNullToObject(policy, "source");
  cJSON *limits = cJSON_AddObjectToObject(policy, "max_minutes");
  for (int t = 0; t < BP_TRIP_COUNT; t++)
    bp_json_add_number(limits, trip_names[t], r->max_minutes[t]);
  bp_json_add_number(policy, "max_newcomer_share", r->max_newcomer_share);
  bp_json_add_number(policy, "max_bilingual_share", r->max_bilingual_share);

  cJSON *solver = cJSON_AddObjectToObject(root, "solver");
  cJSON_AddStringToObject(solver, "status", r->solver_status);
  bp_json_add_number(solver, "objective", r->objective);
  bp_json_add_number(solver, "gap", r->gap);

  cJSON *counts = cJSON_AddObjectToObject(root, "counts");
  cJSON_AddNumberToObject(counts, "households", r->households);
  cJSON_AddNumberToObject(counts, "units", r->units);
  cJSON_AddNumberToObject(counts, "places", r->places);
  cJSON_AddNumberToObject(counts, "housed", r->housed);
  cJSON_AddNumberToObject(counts, "persons_housed", r->persons_housed);
  cJSON_AddNumberToObject(counts, "transit", r->transit);
  cJSON_AddNumberToObject(counts, "unplaced", (double)r->n_unplaced);
  cJSON *by_reason = cJSON_AddObjectToObject(counts, "by_reason");
  for (int c = BP_REASON_NO_ELIGIBLE_UNIT; c <= BP_REASON_LOCK; c++)
    cJSON_AddNumberToObject(by_reason, bp_reason_code_name((bp_reason_code)c),
                            r->by_reason[c - 1]);

  const bp_spread_indices *x = &r->indices;
  cJSON *ix = cJSON_AddObjectToObject(root, "indices");
  cJSON *dis = cJSON_AddObjectToObject(ix, "dissimilarity");
  bp_json_add_number(dis, "before", x->dissimilarity_before);
  bp_json_add_number(dis, "after", x->dissimilarity_after);
  bp_json_add_number(ix, "hhi", x->hhi);
  cJSON *largest = cJSON_AddObjectToObject(ix, "largest_area_share");
  if (x->largest_area >= 0 && (size_t)x->largest_area < r->n_areas)
    cJSON_AddStringToObject(largest, "area_id", r->areas[x->largest_area].id);
  else
    cJSON_AddNullToObject(largest, "area_id");
  bp_json_add_number(largest, "share", x->largest_area_share);
  cJSON_AddItemToObject(ix, "areas_at_or_over_cap",
                        before_after(x->areas_at_cap_before,
                                     x->areas_at_cap_after, r->n_areas));
  cJSON_AddItemToObject(ix, "schools_at_or_over_cap",
                        before_after(x->schools_at_cap_before,
                                     x->schools_at_cap_after, r->n_schools));
  cJSON_AddItemToObject(ix, "daycares_at_or_over_cap",
                        before_after(x->daycares_at_cap_before,
                                     x->daycares_at_cap_after, r->n_daycares));
  cJSON *within = cJSON_AddObjectToObject(ix, "housed_within_travel_limits");
  cJSON_AddNumberToObject(within, "households", x->housed_within_limits);
  cJSON_AddNumberToObject(within, "housed", x->housed);
  bp_json_add_number(within, "share", x->within_limits_share);
  cJSON *housed = cJSON_AddObjectToObject(ix, "housed");
  cJSON_AddNumberToObject(housed, "households", x->housed);
  cJSON_AddNumberToObject(housed, "of", x->households);
  bp_json_add_number(housed, "share", x->housed_share);

  cJSON *areas = cJSON_AddArrayToObject(root, "areas");
  for (size_t i = 0; i < r->n_areas; i++) {
    const bp_report_area *a = &r->areas[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", a->id);
    cJSON_AddStringToObject(o, "name", a->name);
    cJSON_AddNumberToObject(o, "households", a->households);
    cJSON_AddNumberToObject(o, "newcomers", a->newcomers);
    cJSON_AddNumberToObject(o, "placed", a->placed);
    bp_json_add_number(o, "share_before", a->share_before);
    bp_json_add_number(o, "share_after", a->share_after);
    bp_json_add_number(o, "cap", a->cap);
    cJSON_AddBoolToObject(o, "vulnerable", a->vulnerable);
    cJSON_AddBoolToObject(o, "partner", a->partner);
    cJSON *stops = cJSON_AddArrayToObject(o, "stop_ids");
    for (size_t s = 0; s < a->n_stops; s++)
      cJSON_AddItemToArray(stops, cJSON_CreateString(stop_id(r, a->stops[s])));
    if (isfinite(a->lat) && isfinite(a->lon)) {
      cJSON *c = cJSON_AddObjectToObject(o, "centroid");
      cJSON_AddNumberToObject(c, "lat", a->lat);
      cJSON_AddNumberToObject(c, "lon", a->lon);
    } else {
      cJSON_AddNullToObject(o, "centroid");
    }
    cJSON_AddItemToArray(areas, o);
  }
  cJSON_AddItemToObject(root, "schools",
                        json_institutions(r, r->schools, r->n_schools,
                                          "free_seats"));
  cJSON_AddItemToObject(root, "daycares",
                        json_institutions(r, r->daycares, r->n_daycares,
                                          "free_places"));

  cJSON *stops = cJSON_AddArrayToObject(root, "stops");
  for (size_t i = 0; i < r->n_stops; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->stops[i].id);
    cJSON_AddStringToObject(o, "name", r->stops[i].name);
    bp_json_add_number(o, "lat", r->stops[i].lat);
    bp_json_add_number(o, "lon", r->stops[i].lon);
    cJSON_AddItemToArray(stops, o);
  }
  cJSON *links = cJSON_AddArrayToObject(root, "links");
  for (size_t i = 0; i < r->n_links; i++) {
    cJSON *pair = cJSON_CreateArray();
    cJSON_AddItemToArray(pair, cJSON_CreateString(stop_id(r, r->links[i][0])));
    cJSON_AddItemToArray(pair, cJSON_CreateString(stop_id(r, r->links[i][1])));
    cJSON_AddItemToArray(links, pair);
  }
  cJSON *dests = cJSON_AddArrayToObject(root, "destinations");
  for (size_t i = 0; i < r->n_destinations; i++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", r->destinations[i].id);
    cJSON_AddStringToObject(o, "kind", r->destinations[i].kind);
    cJSON_AddStringToObject(o, "name", r->destinations[i].name);
    add_stop_ref(o, "stop_id", r, r->destinations[i].stop);
    cJSON_AddItemToArray(dests, o);
  }

  /* The minutes of every proposal by trip, sorted: derived from the
   * proposals below, for machines that want the distribution only. */
  cJSON *travel = cJSON_AddObjectToObject(root, "travel_minutes");
  double *minutes = bp_alloc((r->n_proposals + 1) * sizeof *minutes);
  for (int t = 0; t < BP_TRIP_COUNT; t++) {
    cJSON *o = cJSON_AddObjectToObject(travel, trip_names[t]);
    bp_json_add_number(o, "limit", r->max_minutes[t]);
    size_t n = 0;
    for (size_t i = 0; i < r->n_proposals; i++)
      if (isfinite(r->proposals[i].minutes[t]))
        minutes[n++] = r->proposals[i].minutes[t];
    for (size_t i = 1; i < n; i++) /* insertion sort: stable, small */
      for (size_t j = i; j > 0 && minutes[j - 1] > minutes[j]; j--) {
        double tmp = minutes[j];
        minutes[j] = minutes[j - 1];
        minutes[j - 1] = tmp;
      }
    cJSON *list = cJSON_AddArrayToObject(o, "minutes");
    for (size_t i = 0; i < n; i++)
      cJSON_AddItemToArray(list, cJSON_CreateNumber(minutes[i]));
  }
  free(minutes);

  cJSON *proposals = cJSON_AddArrayToObject(root, "proposals");
  for (size_t i = 0; i < r->n_proposals; i++) {
    const bp_report_proposal *x = &r->proposals[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "household_id", x->household_id);
    cJSON_AddStringToObject(o, "unit_id", x->unit_id);
    cJSON_AddStringToObject(o, "area_id", r->areas[x->area].id);
    add_stop_ref(o, "stop_id", r, x->stop);
    cJSON_AddStringToObject(o, "kind", x->kind);
    cJSON_AddNumberToObject(o, "persons", x->persons);
    cJSON_AddNumberToObject(o, "rooms", x->rooms);
    bp_json_add_number(o, "rent", x->rent);
    bp_json_add_number(o, "max_rent", x->max_rent);
    bp_json_add_number(o, "walk_minutes", x->walk_minutes);
    cJSON *m = cJSON_AddObjectToObject(o, "minutes");
    for (int t = 0; t < BP_TRIP_COUNT; t++)
      bp_json_add_number(m, trip_names[t], x->minutes[t]);
    cJSON_AddBoolToObject(o, "within_travel_limits", x->within_limits);
    add_text2(o, "reason", x->reason);
    cJSON_AddItemToArray(proposals, o);
  }
  cJSON *unplaced = cJSON_AddArrayToObject(root, "unplaced");
  for (size_t i = 0; i < r->n_unplaced; i++) {
    const bp_report_unplaced *x = &r->unplaced[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "household_id", x->household_id);
    cJSON_AddStringToObject(o, "reason_code", x->reason_code);
    add_text2(o, "reason", x->reason);
    add_text2(o, "nearest_miss", x->nearest_miss);
    cJSON_AddItemToArray(unplaced, o);
  }

  char *text = bp_json_print(root);
  cJSON_Delete(root);
  return text;
}

/* ------------------------------------------------------------------ */
/* Reading summary.json back                                            */
/* ------------------------------------------------------------------ */

/* Every problem is recorded as "summary.json: where: what" and reading
 * goes on, so that one message lists all that is wrong. */
typedef struct {
  const char *path;
  bp_diagnostics *diag;
  int failed;
  keyed *stop_keys; /* stop ids, sorted, for references */
  keyed *area_keys;
} reader;

static void problem(reader *rd, const char *where, const char *key,
                    const char *what) {
  rd->failed = 1;
  bp_error(rd->diag, rd->path, 0, 0, "%s%s%s: %s", where, *where ? "." : "",
           key, what);
}

static const cJSON *get(reader *rd, const cJSON *o, const char *where,
                        const char *key, int (*is)(const cJSON *),
                        const char *what, int null_ok) {
  if (!o)
    return NULL; /* its parent is missing or wrong, and said so */
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  if (null_ok && cJSON_IsNull(v))
    return NULL;
  if (!v || !is(v)) {
    problem(rd, where, key, v ? what : "missing");
    return NULL;
  }
  return v;
}

static int is_string(const cJSON *v) { return cJSON_IsString(v); }
static int is_number(const cJSON *v) { return cJSON_IsNumber(v); }
static int is_bool(const cJSON *v) { return cJSON_IsBool(v); }
static int is_object(const cJSON *v) { return cJSON_IsObject(v); }
static int is_array(const cJSON *v) { return cJSON_IsArray(v); }

static char *read_string(reader *rd, const cJSON *o, const char *where,
                         const char *key, int null_ok) {
  const cJSON *v = get(rd, o, where, key, is_string, "not a string", null_ok);
  return v ? bp_strdup(v->valuestring) : (null_ok ? NULL : bp_strdup(""));
}

/* A number; null reads as NAN when allowed. */
static double read_number(reader *rd, const cJSON *o, const char *where,
                          const char *key, int null_ok) {
  const cJSON *v = get(rd, o, where, key, is_number, "not a number", null_ok);
  return v ? v->valuedouble : NAN;
}

static int read_int(reader *rd, const cJSON *o, const char *where,
                    const char *key) {
  const cJSON *v = get(rd, o, where, key, is_number, "not a number", 0);
  if (!v)
    return 0;
  if (v->valuedouble != floor(v->valuedouble) || fabs(v->valuedouble) > 1e9) {
    problem(rd, where, key, "not a whole number");
    return 0;
  }
  return (int)v->valuedouble;
}

static int read_bool(reader *rd, const cJSON *o, const char *where,
                     const char *key) {
  const cJSON *v = get(rd, o, where, key, is_bool, "not true or false", 0);
  return v ? cJSON_IsTrue(v) : 0;
}

static const cJSON *read_object(reader *rd, const cJSON *o, const char *where,
                                const char *key) {
  return get(rd, o, where, key, is_object, "not an object", 0);
}

static const cJSON *read_array(reader *rd, const cJSON *o, const char *where,
                               const char *key) {
  return get(rd, o, where, key, is_array, "not an array", 0);
}

static void read_text2(reader *rd, const cJSON *o, const char *where,
                       const char *key, char *text[2]) {
  const cJSON *t = read_object(rd, o, where, key);
  char *inner = bp_format("%s%s%s", where, *where ? "." : "", key);
  text[BP_LANG_EN] = read_string(rd, t, inner, "en", 0);
  text[BP_LANG_DA] = read_string(rd, t, inner, "da", 0);
  free(inner);
}

static keyed *sorted_keys(size_t n, const char *(*id)(const void *, size_t),
                          const void *table) {
  keyed *keys = bp_alloc((n + 1) * sizeof *keys);
  for (size_t i = 0; i < n; i++)
    keys[i] = (keyed){id(table, i), (int)i};
  qsort(keys, n, sizeof *keys, compare_keyed);
  return keys;
}

static int find_key(const keyed *keys, size_t n, const char *id) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(keys[mid].id, id);
    if (c == 0)
      return keys[mid].index;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

static const char *stop_key(const void *table, size_t i) {
  return ((const bp_report_stop *)table)[i].id;
}

static const char *area_key(const void *table, size_t i) {
  return ((const bp_report_area *)table)[i].id;
}

/* A reference to a stop by id; null reads as -1 when allowed. */
static int read_stop_ref(reader *rd, const bp_report *r, const cJSON *o,
                         const char *where, const char *key, int null_ok) {
  char *id = read_string(rd, o, where, key, null_ok);
  if (!id)
    return -1;
  int stop = find_key(rd->stop_keys, r->n_stops, id);
  if (stop < 0 && *id)
    problem(rd, where, key, "no such stop in stops");
  free(id);
  return stop;
}

static void read_institutions(reader *rd, const bp_report *r,
                              const cJSON *root, const char *key,
                              const char *free_key,
                              bp_report_institution **out, size_t *n_out) {
  const cJSON *array = read_array(rd, root, "", key);
  size_t n = array ? (size_t)cJSON_GetArraySize(array) : 0;
  *out = bp_calloc(n + 1, sizeof **out);
  *n_out = n;
  size_t i = 0;
  const cJSON *o;
  cJSON_ArrayForEach(o, array) {
    char *where = bp_format("%s[%zu]", key, i);
    bp_report_institution *x = &(*out)[i++];
    x->id = read_string(rd, o, where, "id", 0);
    x->name = read_string(rd, o, where, "name", 0);
    x->stop = read_stop_ref(rd, r, o, where, "stop_id", 1);
    x->enrolled = read_int(rd, o, where, "enrolled");
    x->bilingual = read_int(rd, o, where, "bilingual");
    x->free_before = read_int(rd, o, where, free_key);
    x->placed_children = read_int(rd, o, where, "placed_children");
    x->share_before = read_number(rd, o, where, "share_before", 0);
    x->share_after = read_number(rd, o, where, "share_after", 0);
    x->cap = read_number(rd, o, where, "cap", 0);
    free(where);
  }
}

static void read_before_after(reader *rd, const cJSON *ix, const char *key,
                              int *before, int *after) {
  const cJSON *o = read_object(rd, ix, "indices", key);
  char *where = bp_format("indices.%s", key);
  *before = read_int(rd, o, where, "before");
  *after = read_int(rd, o, where, "after");
  free(where);
}

static bp_language read_language(reader *rd, const cJSON *o, const char *where,
                                 const char *key) {
  char *code = read_string(rd, o, where, key, 0);
  bp_language lang = BP_LANG_EN;
  if (strcmp(code, "da") == 0)
    lang = BP_LANG_DA;
  else if (strcmp(code, "en") != 0 && *code)
    problem(rd, where, key, "not \"en\" or \"da\"");
  free(code);
  return lang;
}

static void read_body(reader *rd, const cJSON *root, bp_report *r) {
  r->boplace_version = read_string(rd, root, "", "boplace_version", 0);
  r->language = read_language(rd, root, "", "language");

  const cJSON *kase = read_object(rd, root, "", "case");
  r->case_name = read_string(rd, kase, "case", "name", 0);
  r->case_dir = read_string(rd, kase, "case", "dir", 0);
  char *fp = read_string(rd, kase, "case", "fingerprint", 0);
  snprintf(r->fingerprint, sizeof r->fingerprint, "%s", fp);
  free(fp);
  const cJSON *inputs = read_array(rd, kase, "case", "inputs");
  r->n_inputs = inputs ? (size_t)cJSON_GetArraySize(inputs) : 0;
  r->inputs = bp_calloc(r->n_inputs + 1, sizeof *r->inputs);
  size_t i = 0;
  const cJSON *o;
  cJSON_ArrayForEach(o, inputs) {
    char *where = bp_format("case.inputs[%zu]", i);
    r->inputs[i].file = read_string(rd, o, where, "file", 0);
    char *sha = read_string(rd, o, where, "sha256", 0);
    snprintf(r->inputs[i].sha256, sizeof r->inputs[i].sha256, "%s", sha);
    free(sha);
    free(where);
    i++;
  }

  const cJSON *policy = read_object(rd, root, "", "policy");
  r->policy_source = read_string(rd, policy, "policy", "source", 1);
  const cJSON *limits = read_object(rd, policy, "policy", "max_minutes");
  for (int t = 0; t < BP_TRIP_COUNT; t++)
    r->max_minutes[t] =
        read_number(rd, limits, "policy.max_minutes", trip_names[t], 1);
  r->max_newcomer_share =
      read_number(rd, policy, "policy", "max_newcomer_share", 1);
  r->max_bilingual_share =
      read_number(rd, policy, "policy", "max_bilingual_share", 1);

  const cJSON *solver = read_object(rd, root, "", "solver");
  r->solver_status = read_string(rd, solver, "solver", "status", 0);
  r->objective = read_number(rd, solver, "solver", "objective", 1);
  r->gap = read_number(rd, solver, "solver", "gap", 1);

  const cJSON *counts = read_object(rd, root, "", "counts");
  r->households = read_int(rd, counts, "counts", "households");
  r->units = read_int(rd, counts, "counts", "units");
  r->places = read_int(rd, counts, "counts", "places");
  r->housed = read_int(rd, counts, "counts", "housed");
  r->persons_housed = read_int(rd, counts, "counts", "persons_housed");
  r->transit = read_int(rd, counts, "counts", "transit");
  const cJSON *by_reason = read_object(rd, counts, "counts", "by_reason");
  for (int c = BP_REASON_NO_ELIGIBLE_UNIT; c <= BP_REASON_LOCK; c++)
    r->by_reason[c - 1] = read_int(rd, by_reason, "counts.by_reason",
                                   bp_reason_code_name((bp_reason_code)c));

  /* Stops first: everything else refers to them. */
  const cJSON *stops = read_array(rd, root, "", "stops");
  r->n_stops = stops ? (size_t)cJSON_GetArraySize(stops) : 0;
  r->stops = bp_calloc(r->n_stops + 1, sizeof *r->stops);
  i = 0;
  cJSON_ArrayForEach(o, stops) {
    char *where = bp_format("stops[%zu]", i);
    r->stops[i].id = read_string(rd, o, where, "id", 0);
    r->stops[i].name = read_string(rd, o, where, "name", 0);
    r->stops[i].lat = read_number(rd, o, where, "lat", 1);
    r->stops[i].lon = read_number(rd, o, where, "lon", 1);
    free(where);
    i++;
  }
  rd->stop_keys = sorted_keys(r->n_stops, stop_key, r->stops);

  const cJSON *links = read_array(rd, root, "", "links");
  r->n_links = 0;
  r->links = bp_alloc(((links ? (size_t)cJSON_GetArraySize(links) : 0) + 1) *
                      sizeof *r->links);
  i = 0;
  cJSON_ArrayForEach(o, links) {
    const cJSON *a = cJSON_GetArrayItem(o, 0), *b = cJSON_GetArrayItem(o, 1);
    int sa = cJSON_IsString(a) ? find_key(rd->stop_keys, r->n_stops, a->valuestring) : -1;
    int sb = cJSON_IsString(b) ? find_key(rd->stop_keys, r->n_stops, b->valuestring) : -1;
    if (!cJSON_IsArray(o) || cJSON_GetArraySize(o) != 2 || sa < 0 || sb < 0) {
      char *where = bp_format("links[%zu]", i);
      problem(rd, "", where, "not a pair of stop ids from stops");
      free(where);
    } else {
      r->links[r->n_links][0] = sa;
      r->links[r->n_links][1] = sb;
      r->n_links++;
    }
    i++;
  }

  const cJSON *dests = read_array(rd, root, "", "destinations");
  r->n_destinations = dests ? (size_t)cJSON_GetArraySize(dests) : 0;
  r->destinations = bp_calloc(r->n_destinations + 1, sizeof *r->destinations);
  i = 0;
  cJSON_ArrayForEach(o, dests) {
    char *where = bp_format("destinations[%zu]", i);
    bp_report_destination *x = &r->destinations[i++];
    x->id = read_string(rd, o, where, "id", 0);
    x->kind = read_string(rd, o, where, "kind", 0);
    x->name = read_string(rd, o, where, "name", 0);
    x->stop = read_stop_ref(rd, r, o, where, "stop_id", 1);
    free(where);
  }

  const cJSON *areas = read_array(rd, root, "", "areas");
  r->n_areas = areas ? (size_t)cJSON_GetArraySize(areas) : 0;
  r->areas = bp_calloc(r->n_areas + 1, sizeof *r->areas);
  i = 0;
  cJSON_ArrayForEach(o, areas) {
    char *where = bp_format("areas[%zu]", i);
    bp_report_area *a = &r->areas[i++];
    a->id = read_string(rd, o, where, "id", 0);
    a->name = read_string(rd, o, where, "name", 0);
    a->households = read_int(rd, o, where, "households");
    a->newcomers = read_int(rd, o, where, "newcomers");
    a->placed = read_int(rd, o, where, "placed");
    a->share_before = read_number(rd, o, where, "share_before", 0);
    a->share_after = read_number(rd, o, where, "share_after", 0);
    a->cap = read_number(rd, o, where, "cap", 0);
    a->vulnerable = read_bool(rd, o, where, "vulnerable");
    a->partner = read_bool(rd, o, where, "partner");
    const cJSON *ids = read_array(rd, o, where, "stop_ids");
    a->stops = bp_alloc(((ids ? (size_t)cJSON_GetArraySize(ids) : 0) + 1) *
                        sizeof *a->stops);
    const cJSON *id;
    cJSON_ArrayForEach(id, ids) {
      int stop = cJSON_IsString(id)
                     ? find_key(rd->stop_keys, r->n_stops, id->valuestring)
                     : -1;
      if (stop < 0)
        problem(rd, where, "stop_ids", "names a stop that is not in stops");
      else
        a->stops[a->n_stops++] = stop;
    }
    a->lat = a->lon = NAN;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "centroid");
    if (c && !cJSON_IsNull(c)) {
      if (!cJSON_IsObject(c)) {
        problem(rd, where, "centroid", "not an object or null");
      } else {
        char *inner = bp_format("%s.centroid", where);
        a->lat = read_number(rd, c, inner, "lat", 0);
        a->lon = read_number(rd, c, inner, "lon", 0);
        free(inner);
      }
    }
    free(where);
  }
  rd->area_keys = sorted_keys(r->n_areas, area_key, r->areas);

  read_institutions(rd, r, root, "schools", "free_seats", &r->schools,
                    &r->n_schools);
  read_institutions(rd, r, root, "daycares", "free_places", &r->daycares,
                    &r->n_daycares);

  const cJSON *ix = read_object(rd, root, "", "indices");
  bp_spread_indices *x = &r->indices;
  const cJSON *dis = read_object(rd, ix, "indices", "dissimilarity");
  x->dissimilarity_before =
      read_number(rd, dis, "indices.dissimilarity", "before", 0);
  x->dissimilarity_after =
      read_number(rd, dis, "indices.dissimilarity", "after", 0);
  x->hhi = read_number(rd, ix, "indices", "hhi", 0);
  const cJSON *largest = read_object(rd, ix, "indices", "largest_area_share");
  char *largest_id =
      read_string(rd, largest, "indices.largest_area_share", "area_id", 1);
  x->largest_area =
      largest_id ? find_key(rd->area_keys, r->n_areas, largest_id) : -1;
  if (largest_id && x->largest_area < 0)
    problem(rd, "indices.largest_area_share", "area_id",
            "no such area in areas");
  free(largest_id);
  x->largest_area_share =
      read_number(rd, largest, "indices.largest_area_share", "share", 0);
  read_before_after(rd, ix, "areas_at_or_over_cap", &x->areas_at_cap_before,
                    &x->areas_at_cap_after);
  read_before_after(rd, ix, "schools_at_or_over_cap",
                    &x->schools_at_cap_before, &x->schools_at_cap_after);
  read_before_after(rd, ix, "daycares_at_or_over_cap",
                    &x->daycares_at_cap_before, &x->daycares_at_cap_after);
  const cJSON *within =
      read_object(rd, ix, "indices", "housed_within_travel_limits");
  x->housed_within_limits = read_int(
      rd, within, "indices.housed_within_travel_limits", "households");
  x->housed =
      read_int(rd, within, "indices.housed_within_travel_limits", "housed");
  x->within_limits_share = read_number(
      rd, within, "indices.housed_within_travel_limits", "share", 0);
  const cJSON *housed = read_object(rd, ix, "indices", "housed");
  x->households = read_int(rd, housed, "indices.housed", "of");
  x->housed_share = read_number(rd, housed, "indices.housed", "share", 0);

  const cJSON *proposals = read_array(rd, root, "", "proposals");
  r->n_proposals = proposals ? (size_t)cJSON_GetArraySize(proposals) : 0;
  r->proposals = bp_calloc(r->n_proposals + 1, sizeof *r->proposals);
  i = 0;
  cJSON_ArrayForEach(o, proposals) {
    char *where = bp_format("proposals[%zu]", i);
    bp_report_proposal *x = &r->proposals[i++];
    x->household_id = read_string(rd, o, where, "household_id", 0);
    x->unit_id = read_string(rd, o, where, "unit_id", 0);
    char *area = read_string(rd, o, where, "area_id", 0);
    x->area = find_key(rd->area_keys, r->n_areas, area);
    if (x->area < 0) {
      problem(rd, where, "area_id", "no such area in areas");
      x->area = 0;
    }
    free(area);
    x->stop = read_stop_ref(rd, r, o, where, "stop_id", 1);
    x->kind = read_string(rd, o, where, "kind", 0);
    x->persons = read_int(rd, o, where, "persons");
    x->rooms = read_int(rd, o, where, "rooms");
    x->rent = read_number(rd, o, where, "rent", 0);
    x->max_rent = read_number(rd, o, where, "max_rent", 0);
    x->walk_minutes = read_number(rd, o, where, "walk_minutes", 1);
    const cJSON *m = read_object(rd, o, where, "minutes");
    char *inner = bp_format("%s.minutes", where);
    for (int t = 0; t < BP_TRIP_COUNT; t++)
      x->minutes[t] = read_number(rd, m, inner, trip_names[t], 1);
    free(inner);
    x->within_limits = read_bool(rd, o, where, "within_travel_limits");
    read_text2(rd, o, where, "reason", x->reason);
    free(where);
  }
  if (r->n_proposals > 0 && r->n_areas == 0)
    problem(rd, "", "proposals", "proposals but no areas");

  const cJSON *unplaced = read_array(rd, root, "", "unplaced");
  r->n_unplaced = unplaced ? (size_t)cJSON_GetArraySize(unplaced) : 0;
  r->unplaced = bp_calloc(r->n_unplaced + 1, sizeof *r->unplaced);
  i = 0;
  cJSON_ArrayForEach(o, unplaced) {
    char *where = bp_format("unplaced[%zu]", i);
    bp_report_unplaced *x = &r->unplaced[i++];
    x->household_id = read_string(rd, o, where, "household_id", 0);
    x->reason_code = read_string(rd, o, where, "reason_code", 0);
    read_text2(rd, o, where, "reason", x->reason);
    read_text2(rd, o, where, "nearest_miss", x->nearest_miss);
    free(where);
  }
}

bp_status bp_report_parse_summary(const char *text, size_t length,
                                  const char *path, bp_report *r,
                                  bp_diagnostics *diag) {
  memset(r, 0, sizeof *r);
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(text, length, &end, 0);
  if (!root) {
    int line, column;
    size_t offset = end ? (size_t)(end - text) : 0;
    const char *at = cJSON_GetErrorPtr();
    if (at >= text && at <= text + length)
      offset = (size_t)(at - text);
    bp_json_line_column(text, offset, &line, &column);
    bp_error(diag, path, line, column,
             "not valid JSON here; summary.json is written by 'boplace run'");
    return BP_INVALID;
  }
  reader rd = {path, diag, 0, NULL, NULL};
  if (!cJSON_IsObject(root)) {
    problem(&rd, "", "(top)", "not a JSON object");
  } else {
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "summary_format");
    if (!cJSON_IsNumber(format) || format->valuedouble != BP_SUMMARY_FORMAT) {
      char *what = bp_format("missing or not %d; this summary.json was not "
                             "written by this version of boplace",
                             BP_SUMMARY_FORMAT);
      problem(&rd, "", "summary_format", what);
      free(what);
    } else {
      read_body(&rd, root, r);
    }
  }
  free(rd.stop_keys);
  free(rd.area_keys);
  cJSON_Delete(root);
  if (rd.failed) {
    bp_report_free(r);
    return BP_INVALID;
  }
  return BP_OK;
}

/* ------------------------------------------------------------------ */
/* The three files of a run                                             */
/* ------------------------------------------------------------------ */

bp_status bp_report_files(const bp_run *run,
                          bp_report_file files[BP_REPORT_FILE_COUNT],
                          bp_diagnostics *diag) {
  memset(files, 0, BP_REPORT_FILE_COUNT * sizeof *files);
  bp_report built;
  BP_CALL(bp_report_of_run(run, &built, diag));
  char *summary = bp_report_summary_json(&built);
  bp_report_free(&built);

  /* Render from what summary.json says, as `boplace report` will. */
  bp_report read;
  size_t length = strlen(summary);
  bp_status status =
      bp_report_parse_summary(summary, length, "summary.json", &read, diag);
  if (status != BP_OK) {
    free(summary);
    bp_error(diag, NULL, 0, 0,
             "internal error: the summary.json just built does not read back");
    return BP_FAILURE;
  }
  bp_buffer html = {0};
  bp_report_html(&read, read.language, &html);
  char *geojson = bp_report_geojson(&read);
  bp_report_free(&read);

  files[0].name = "summary.json";
  files[0].data = summary;
  files[0].length = length;
  files[1].name = "report.html";
  files[1].length = html.length;
  files[1].data = bp_buffer_take(&html);
  files[2].name = "placements.geojson";
  files[2].data = geojson;
  files[2].length = strlen(geojson);
  return BP_OK;
}
