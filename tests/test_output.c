/**
 * @file test_output.c
 * @brief Unit tests of the explain and write stages: the reason codes, the
 *        texts in both languages, and the three output files (columns,
 *        quoting, figures, order, JSON, permissions, atomicity).
 *
 * The case is built by hand: two areas (Kirkeby with a daycare, Tved
 * without), two schools, four units and a few households, with the travel
 * minutes set directly instead of computed from a network.  The candidates
 * come from bp_check_pair(), exactly as the derive stage makes them, so the
 * explanation is tested against the one implementation of the rules.
 *
 *   unit  area     rooms  rent     kind     LS  school daycare health
 *   U1    Kirkeby  3      5900     public   22  9      5       30
 *   U2    Kirkeby  2      5000     public   25  12     6       30
 *   U3    Tved     3      6100.5   private  40  15     -       30   building Byvej 1
 *   U4    Tved     1      3200     shared   30  20     -       60   2 places
 *
 * Households are created out of id order (H2, H10, H1, ...) so that the
 * writer's sorting is tested too.
 */
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "boplace.h"
#include "explain.h"

/* ------------------------------------------------------------------ */
/* The hand-built case                                                  */
/* ------------------------------------------------------------------ */

#define MAX_ITEMS 16

typedef struct {
  bp_run run;
  char *tmp;     /* a private temporary directory */
  char *out_dir; /* tmp/out */
} fixture;

static void add_unit(bp_case *k, const char *id, int area, int rooms,
                     double rent, bp_unit_kind kind, int places) {
  bp_unit *u = &k->units[k->n_units++];
  memset(u, 0, sizeof *u);
  u->id = bp_strdup(id);
  u->area = area;
  u->stop = area;
  u->rooms = rooms;
  u->rent = rent;
  u->kind = kind;
  u->places = places;
  u->building_index = -1;
}

static bp_household *add_household(bp_case *k, const char *id, int adults,
                                   int c05, int c616, double max_rent) {
  bp_household *h = &k->households[k->n_households++];
  memset(h, 0, sizeof *h);
  h->id = bp_strdup(id);
  h->adults = adults;
  h->children_0_5 = c05;
  h->children_6_16 = c616;
  h->max_rent = max_rent;
  h->group = h->job_stop = h->preferred_area = h->ties_area = -1;
  return h;
}

static int unit_index(const bp_case *k, const char *id) {
  for (size_t u = 0; u < k->n_units; u++)
    if (strcmp(k->units[u].id, id) == 0)
      return (int)u;
  fail_msg("no unit %s", id);
  return -1;
}

static int household_index(const bp_case *k, const char *id) {
  for (size_t h = 0; h < k->n_households; h++)
    if (strcmp(k->households[h].id, id) == 0)
      return (int)h;
  fail_msg("no household %s", id);
  return -1;
}

static void base_case(bp_case *k) {
  memset(k, 0, sizeof *k);
  k->dir = bp_strdup("cases/hand-built");
  bp_policy *p = &k->policy;
  p->max_minutes_language_school = 45;
  p->max_minutes_school = 30;
  p->max_minutes_daycare = 30;
  p->max_minutes_job = 60;
  p->max_minutes_health = 45;
  p->max_newcomer_share = 0.15;
  p->max_bilingual_share = 0.30;
  p->persons_per_room = 2;
  p->extra_rooms = 1;
  p->allow_transit = 1;
  p->weights.spread = 1;
  p->weights.near_cap = 1;
  p->weights.travel = 1;
  p->weights.rent = 1;
  p->weights.preference = 0.5;
  p->weights.ties = 0.3;
  p->weights.partner = 0.2;
  p->time_limit_s = 10;
  p->language = BP_LANG_EN;

  k->stops = bp_calloc(2, sizeof *k->stops);
  k->n_stops = 2;
  k->stops[0] = (bp_stop){bp_strdup("P1"), bp_strdup("Kirkeby Torv"), NAN, NAN, {0}};
  k->stops[1] = (bp_stop){bp_strdup("P2"), bp_strdup("Tved Kirke"), NAN, NAN, {0}};

  k->areas = bp_calloc(2, sizeof *k->areas);
  k->n_areas = 2;
  k->areas[0] = (bp_area){bp_strdup("A1"), bp_strdup("Kirkeby"), 100, 3, 0, 0,
                          NAN, 0, 0, {0}};
  k->areas[1] = (bp_area){bp_strdup("A2"), bp_strdup("Tved"), 50, 2, 1, -1,
                          NAN, 0, 0, {0}};
  k->schools = bp_calloc(2, sizeof *k->schools);
  k->n_schools = 2;
  k->schools[0] = (bp_institution){bp_strdup("S1"), bp_strdup("Kirkeby Skole"),
                                   0, 10, 200, 20, NAN, {0}};
  k->schools[1] = (bp_institution){bp_strdup("S2"), bp_strdup("Tved Skole"), 1,
                                   5, 100, 10, NAN, {0}};
  k->daycares = bp_calloc(1, sizeof *k->daycares);
  k->n_daycares = 1;
  k->daycares[0] = (bp_institution){bp_strdup("D1"),
                                    bp_strdup("Kirkeby Børnehus"), 0, 5, 50, 5,
                                    NAN, {0}};

  k->units = bp_calloc(MAX_ITEMS, sizeof *k->units);
  add_unit(k, "U1", 0, 3, 5900, BP_UNIT_PUBLIC, 1);
  add_unit(k, "U2", 0, 2, 5000, BP_UNIT_PUBLIC, 1);
  add_unit(k, "U3", 1, 3, 6100.5, BP_UNIT_PRIVATE, 1);
  add_unit(k, "U4", 1, 1, 3200, BP_UNIT_SHARED, 2);
  k->buildings = bp_calloc(MAX_ITEMS, sizeof *k->buildings);
  k->buildings[0].name = bp_strdup("Byvej 1");
  k->n_buildings = 1;
  k->units[2].building = bp_strdup("Byvej 1");
  k->units[2].building_index = 0;

  k->households = bp_calloc(MAX_ITEMS, sizeof *k->households);
  /* H2: a single adult; only the shared place is cheap enough. */
  bp_household *h = add_household(k, "H2", 1, 0, 0, 4000);
  h->waiting_days = 40;
  /* H10: two adults and a toddler; needs the daycare, so only Kirkeby. */
  add_household(k, "H10", 2, 1, 0, 5500);
  /* H1: two adults and a school child; wished for Kirkeby. */
  h = add_household(k, "H1", 2, 0, 1, 6400);
  h->preferred_area = 0;

  k->locks = bp_calloc(MAX_ITEMS, sizeof *k->locks);
  k->groups = bp_calloc(MAX_ITEMS, sizeof *k->groups);
  k->inputs = bp_calloc(2, sizeof *k->inputs);
  k->n_inputs = 2;
  k->inputs[0].name = bp_strdup("households.csv");
  memset(k->inputs[0].sha256, 'a', 64);
  k->inputs[1].name = bp_strdup("units.csv");
  memset(k->inputs[1].sha256, 'b', 64);
}

static const double travel[4][4] = {
    /* language school, health, school, daycare */
    {22, 30, 9, 5},
    {25, 30, 12, 6},
    {40, 30, 15, INFINITY},
    {30, 60, 20, INFINITY},
};

static int compare_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* The derived data, by hand but for the candidates, which come from
 * bp_check_pair() as in the derive stage. */
static void derive(const bp_case *k, bp_derived *d) {
  memset(d, 0, sizeof *d);
  d->unit_travel = bp_calloc(k->n_units, sizeof *d->unit_travel);
  for (size_t u = 0; u < k->n_units; u++)
    d->unit_travel[u] = (bp_unit_travel){travel[u][0], travel[u][1],
                                         travel[u][2], travel[u][3]};
  d->area_cap = bp_calloc(k->n_areas, sizeof *d->area_cap);
  d->area_room = bp_calloc(k->n_areas, sizeof *d->area_room);
  for (size_t a = 0; a < k->n_areas; a++) {
    const bp_area *area = &k->areas[a];
    d->area_cap[a] = isnan(area->max_newcomer_share)
                         ? k->policy.max_newcomer_share
                         : area->max_newcomer_share;
    d->area_room[a] = bp_share_room(area->newcomer_households,
                                    area->households, d->area_cap[a]);
  }
  d->school_cap = bp_calloc(k->n_schools, sizeof *d->school_cap);
  d->school_bilingual_room =
      bp_calloc(k->n_schools, sizeof *d->school_bilingual_room);
  for (size_t s = 0; s < k->n_schools; s++) {
    d->school_cap[s] = k->policy.max_bilingual_share;
    d->school_bilingual_room[s] = bp_share_room(
        k->schools[s].bilingual, k->schools[s].enrolled, d->school_cap[s]);
  }
  d->daycare_cap = bp_calloc(k->n_daycares, sizeof *d->daycare_cap);
  d->daycare_bilingual_room =
      bp_calloc(k->n_daycares, sizeof *d->daycare_bilingual_room);
  for (size_t s = 0; s < k->n_daycares; s++) {
    d->daycare_cap[s] = k->policy.max_bilingual_share;
    d->daycare_bilingual_room[s] = bp_share_room(
        k->daycares[s].bilingual, k->daycares[s].enrolled, d->daycare_cap[s]);
  }
  d->n_stops = k->n_stops;
  d->locked_unit = bp_alloc(k->n_households * sizeof *d->locked_unit);
  for (size_t h = 0; h < k->n_households; h++)
    d->locked_unit[h] = -1;
  d->forbidden = bp_calloc(k->n_locks + 1, sizeof *d->forbidden);
  for (size_t i = 0; i < k->n_locks; i++) {
    if (k->locks[i].action == BP_LOCK_PLACE)
      d->locked_unit[k->locks[i].household] = k->locks[i].unit;
    else
      d->forbidden[d->n_forbidden++] =
          (uint64_t)k->locks[i].household * k->n_units + k->locks[i].unit;
  }
  qsort(d->forbidden, d->n_forbidden, sizeof *d->forbidden, compare_u64);

  d->candidates = bp_calloc(k->n_households * k->n_units + 1,
                            sizeof *d->candidates);
  d->first_candidate =
      bp_calloc(k->n_households + 1, sizeof *d->first_candidate);
  d->eligible_ignoring_locks =
      bp_calloc(k->n_households + 1, sizeof *d->eligible_ignoring_locks);
  for (size_t h = 0; h < k->n_households; h++) {
    d->first_candidate[h] = d->n_candidates;
    for (size_t u = 0; u < k->n_units; u++) {
      bp_pair_figures f;
      unsigned char failed[BP_RULE_COUNT];
      int n = bp_check_pair(k, d, (int)h, (int)u, &f, failed);
      if (n == 0 || (n == 1 && failed[BP_RULE_LOCK]))
        d->eligible_ignoring_locks[h]++;
      if (n == 0)
        d->candidates[d->n_candidates++] =
            (bp_candidate){(int)h, (int)u, f.pair_cost};
    }
  }
  d->first_candidate[k->n_households] = d->n_candidates;
}

/* Starts a solution with everyone unplaced; place() then puts households
 * into units, as the solver would have. */
static void solution_init(fixture *fx) {
  bp_case *k = &fx->run.kase;
  bp_solution *s = &fx->run.solution;
  memset(s, 0, sizeof *s);
  s->status = BP_SOLVE_OPTIMAL;
  s->candidate_of_household =
      bp_alloc((k->n_households + 1) * sizeof *s->candidate_of_household);
  for (size_t h = 0; h < k->n_households; h++)
    s->candidate_of_household[h] = -1;
  s->tier_value[BP_TIER_SOFT] = 3.25;
  s->tier_bound[BP_TIER_SOFT] = 3.0;
  s->gap = 0.0769;
  s->seconds = 0.5;
  s->rows = 12;
  s->columns = 9;
  s->integer_columns = 7;
}

static void place(fixture *fx, const char *hid, const char *uid) {
  bp_case *k = &fx->run.kase;
  bp_derived *d = &fx->run.derived;
  int h = household_index(k, hid), u = unit_index(k, uid);
  for (size_t c = d->first_candidate[h]; c < d->first_candidate[h + 1]; c++)
    if (d->candidates[c].unit == u) {
      fx->run.solution.candidate_of_household[h] = (int)c;
      fx->run.solution.housed++;
      fx->run.solution.housed_persons += bp_persons(&k->households[h]);
      return;
    }
  fail_msg("%s is not eligible for %s", hid, uid);
}

static void explain(fixture *fx) {
  bp_explanation_free(&fx->run.explanation, fx->run.kase.n_households);
  assert_int_equal(bp_explain(&fx->run.kase, &fx->run.derived,
                              &fx->run.solution, &fx->run.explanation,
                              &fx->run.diagnostics),
                   BP_OK);
}

/* Derive and start an empty solution, after a test changed the case. */
static void rederive(fixture *fx) {
  bp_explanation_free(&fx->run.explanation, fx->run.kase.n_households);
  bp_derived_free(&fx->run.derived);
  free(fx->run.solution.candidate_of_household);
  derive(&fx->run.kase, &fx->run.derived);
  solution_init(fx);
}

static const bp_household_explanation *explanation_of(const fixture *fx,
                                                      const char *hid) {
  return &fx->run.explanation.households[household_index(&fx->run.kase, hid)];
}

static void free_institutions(bp_institution *list, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(list[i].id);
    free(list[i].name);
  }
  free(list);
}

static void case_free(bp_case *k) {
  free(k->dir);
  for (size_t i = 0; i < k->n_stops; i++) {
    free(k->stops[i].id);
    free(k->stops[i].name);
  }
  free(k->stops);
  for (size_t i = 0; i < k->n_areas; i++) {
    free(k->areas[i].id);
    free(k->areas[i].name);
  }
  free(k->areas);
  free_institutions(k->schools, k->n_schools);
  free_institutions(k->daycares, k->n_daycares);
  for (size_t i = 0; i < k->n_units; i++) {
    free(k->units[i].id);
    free(k->units[i].building);
  }
  free(k->units);
  for (size_t i = 0; i < k->n_households; i++) {
    free(k->households[i].id);
    free(k->households[i].group_id);
  }
  free(k->households);
  for (size_t i = 0; i < k->n_groups; i++) {
    free(k->groups[i].id);
    free(k->groups[i].members);
  }
  free(k->groups);
  for (size_t i = 0; i < k->n_buildings; i++)
    free(k->buildings[i].name);
  free(k->buildings);
  free(k->locks);
  for (size_t i = 0; i < k->n_inputs; i++)
    free(k->inputs[i].name);
  free(k->inputs);
  memset(k, 0, sizeof *k);
}

static int setup(void **state) {
  fixture *fx = bp_calloc(1, sizeof *fx);
  base_case(&fx->run.kase);
  derive(&fx->run.kase, &fx->run.derived);
  solution_init(fx);
  /* The base solution: everyone housed. */
  place(fx, "H1", "U1");
  place(fx, "H2", "U4");
  place(fx, "H10", "U2");
  char tmpl[] = "/tmp/boplace-test-output-XXXXXX";
  fx->tmp = bp_strdup(mkdtemp(tmpl));
  fx->out_dir = bp_format("%s/out", fx->tmp);
  *state = fx;
  return 0;
}

static void remove_tree(const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char *path = bp_format("%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
      chmod(path, 0700);
      remove_tree(path);
    } else {
      unlink(path);
    }
    free(path);
  }
  closedir(d);
  rmdir(dir);
}

static int teardown(void **state) {
  fixture *fx = *state;
  bp_explanation_free(&fx->run.explanation, fx->run.kase.n_households);
  bp_derived_free(&fx->run.derived);
  free(fx->run.solution.candidate_of_household);
  case_free(&fx->run.kase);
  bp_diagnostics_free(&fx->run.diagnostics);
  remove_tree(fx->tmp);
  free(fx->tmp);
  free(fx->out_dir);
  free(fx);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Reading outputs back                                                 */
/* ------------------------------------------------------------------ */

static char *read_file(const char *dir, const char *name) {
  char *path = bp_format("%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  free(path);
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = bp_alloc((size_t)n + 1);
  size_t got = fread(text, 1, (size_t)n, f);
  text[got] = '\0';
  fclose(f);
  return text;
}

/* A minimal RFC 4180 reader: rows of fields, for checking what was written. */
typedef struct {
  char *fields[64];
  int n;
} csv_row;

static int parse_csv(const char *text, csv_row *rows, int max_rows) {
  int n_rows = 0;
  const char *p = text;
  while (*p && n_rows < max_rows) {
    csv_row *row = &rows[n_rows++];
    row->n = 0;
    for (;;) {
      char *field = bp_alloc(strlen(p) + 1);
      size_t len = 0;
      if (*p == '"') {
        p++;
        for (;;) {
          if (*p == '"' && p[1] == '"') {
            field[len++] = '"';
            p += 2;
          } else if (*p == '"') {
            p++;
            break;
          } else {
            assert_true(*p != '\0');
            field[len++] = *p++;
          }
        }
      } else {
        while (*p && *p != ',' && *p != '\n')
          field[len++] = *p++;
      }
      field[len] = '\0';
      row->fields[row->n++] = field;
      if (*p == ',') {
        p++;
        continue;
      }
      assert_true(*p == '\n'); /* every row ends in LF */
      p++;
      break;
    }
  }
  return n_rows;
}

static void free_rows(csv_row *rows, int n) {
  for (int r = 0; r < n; r++)
    for (int i = 0; i < rows[r].n; i++)
      free(rows[r].fields[i]);
}

static int column_of(const csv_row *header, const char *name) {
  for (int i = 0; i < header->n; i++)
    if (strcmp(header->fields[i], name) == 0)
      return i;
  fail_msg("no column %s", name);
  return -1;
}

static const char *cell(const csv_row *rows, int row, const char *name) {
  return rows[row].fields[column_of(&rows[0], name)];
}

static void write_ok(fixture *fx) {
  explain(fx);
  assert_int_equal(bp_write_outputs(&fx->run, fx->out_dir, &fx->run.diagnostics),
                   BP_OK);
}

/* ------------------------------------------------------------------ */
/* Tests: proposals.csv                                                 */
/* ------------------------------------------------------------------ */

static void proposals_csv_has_the_spec_columns_in_order(void **state) {
  fixture *fx = *state;
  write_ok(fx);
  char *text = read_file(fx->out_dir, "proposals.csv");
  assert_non_null(text);
  const char *spec =
      "household_id,unit_id,area_id,persons,rooms,rent,max_rent,school_id,"
      "daycare_id,minutes_language_school,minutes_school,minutes_daycare,"
      "minutes_job,minutes_health,area_share_before,area_share_after,reason";
  assert_int_equal(strncmp(text, spec, strlen(spec)), 0);
  assert_true(text[strlen(spec)] == ',' || text[strlen(spec)] == '\n');
  /* UTF-8 without BOM, LF only. */
  assert_false((unsigned char)text[0] == 0xEF);
  assert_null(strchr(text, '\r'));
  free(text);
}

static void proposals_csv_rows_sorted_with_figures(void **state) {
  fixture *fx = *state;
  write_ok(fx);
  char *text = read_file(fx->out_dir, "proposals.csv");
  csv_row rows[8] = {0};
  int n = parse_csv(text, rows, 8);
  assert_int_equal(n, 4);
  /* Sorted by id although the case holds H2, H10, H1. */
  assert_string_equal(rows[1].fields[0], "H1");
  assert_string_equal(rows[2].fields[0], "H10");
  assert_string_equal(rows[3].fields[0], "H2");
  for (int r = 1; r < n; r++)
    assert_int_equal(rows[r].n, rows[0].n);

  /* H1 in U1, Kirkeby: school child, no toddler, no job, no health need. */
  assert_string_equal(cell(rows, 1, "unit_id"), "U1");
  assert_string_equal(cell(rows, 1, "area_id"), "A1");
  assert_string_equal(cell(rows, 1, "persons"), "3");
  assert_string_equal(cell(rows, 1, "rooms"), "3");
  assert_string_equal(cell(rows, 1, "rent"), "5900");
  assert_string_equal(cell(rows, 1, "max_rent"), "6400");
  assert_string_equal(cell(rows, 1, "school_id"), "S1");
  assert_string_equal(cell(rows, 1, "daycare_id"), "");
  assert_string_equal(cell(rows, 1, "minutes_language_school"), "22.0");
  assert_string_equal(cell(rows, 1, "minutes_school"), "9.0");
  assert_string_equal(cell(rows, 1, "minutes_daycare"), "");
  assert_string_equal(cell(rows, 1, "minutes_job"), "");
  assert_string_equal(cell(rows, 1, "minutes_health"), "");
  /* Kirkeby: 3 of 100 before; H1 and H10 placed there: 5 of 102 after. */
  assert_string_equal(cell(rows, 1, "area_share_before"), "0.0300");
  assert_string_equal(cell(rows, 1, "area_share_after"), "0.0490");

  /* H10: toddler, so the daycare and its minutes; no school. */
  assert_string_equal(cell(rows, 2, "school_id"), "");
  assert_string_equal(cell(rows, 2, "daycare_id"), "D1");
  assert_string_equal(cell(rows, 2, "minutes_daycare"), "6.0");
  assert_string_equal(cell(rows, 2, "minutes_school"), "");

  /* H2 in the shared U4 in Tved: 2 of 50 before, 3 of 51 after. */
  assert_string_equal(cell(rows, 3, "unit_id"), "U4");
  assert_string_equal(cell(rows, 3, "area_share_before"), "0.0400");
  assert_string_equal(cell(rows, 3, "area_share_after"), "0.0588");
  assert_string_equal(cell(rows, 3, "minutes_language_school"), "30.0");
  assert_string_equal(cell(rows, 3, "kind"), "shared");
  free_rows(rows, n);
  free(text);
}

static void decimal_rent_is_plain(void **state) {
  fixture *fx = *state;
  /* H1 moves to U3 (rent 6100.5) */
  fx->run.solution.candidate_of_household[household_index(&fx->run.kase, "H1")] = -1;
  place(fx, "H1", "U3");
  write_ok(fx);
  char *text = read_file(fx->out_dir, "proposals.csv");
  csv_row rows[8] = {0};
  int n = parse_csv(text, rows, 8);
  assert_string_equal(cell(rows, 1, "rent"), "6100.5");
  assert_string_equal(cell(rows, 1, "building"), "Byvej 1");
  free_rows(rows, n);
  free(text);
}

static void reason_with_comma_and_quote_is_quoted(void **state) {
  fixture *fx = *state;
  explain(fx);
  int h = household_index(&fx->run.kase, "H1");
  free(fx->run.explanation.households[h].reason);
  fx->run.explanation.households[h].reason =
      bp_strdup("Near \"Kirkeby Skole\", and cheap");
  assert_int_equal(bp_write_outputs(&fx->run, fx->out_dir, &fx->run.diagnostics),
                   BP_OK);
  char *text = read_file(fx->out_dir, "proposals.csv");
  assert_non_null(strstr(text, ",\"Near \"\"Kirkeby Skole\"\", and cheap\""));
  csv_row rows[8] = {0};
  int n = parse_csv(text, rows, 8);
  assert_string_equal(cell(rows, 1, "reason"), "Near \"Kirkeby Skole\", and cheap");
  free_rows(rows, n);
  free(text);
}

/* ------------------------------------------------------------------ */
/* Tests: texts                                                         */
/* ------------------------------------------------------------------ */

static void placed_reason_in_english_has_the_figures(void **state) {
  fixture *fx = *state;
  explain(fx);
  const bp_household_explanation *e = explanation_of(fx, "H1");
  assert_int_equal(e->code, BP_REASON_NONE);
  const char *want[] = {"Proposed 3-room public flat U1 in Kirkeby",
                        "rent DKK 5,900 of max 6,400",
                        "22 min to the language school",
                        "9 min to Kirkeby Skole",
                        "Kirkeby's newcomer share goes from 3.0% to 4.9% (cap 15%)",
                        "the area the household wished for"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!strstr(e->reason, want[i]))
      fail_msg("'%s' not in '%s'", want[i], e->reason);
  /* The best alternative is U2, which H10 got. */
  assert_int_equal(e->alternative_unit, unit_index(&fx->run.kase, "U2"));
  assert_non_null(strstr(e->alternative, "U2 in Kirkeby"));
  assert_non_null(strstr(e->alternative, "household H10"));
  /* H10 had only U2: nothing else was eligible. */
  e = explanation_of(fx, "H10");
  assert_int_equal(e->alternative_unit, -1);
  assert_non_null(strstr(e->alternative, "No other unit"));
}

static void danish_texts_differ_and_use_danish_numbers(void **state) {
  fixture *fx = *state;
  explain(fx);
  char *en = bp_strdup(explanation_of(fx, "H1")->reason);
  fx->run.kase.policy.language = BP_LANG_DA;
  explain(fx);
  const char *dk = explanation_of(fx, "H1")->reason;
  assert_string_not_equal(en, dk);
  const char *want[] = {"Forslag: 3-værelses almen bolig U1 i Kirkeby",
                        "husleje 5.900 kr. af højst 6.400 kr.",
                        "22 min til sprogskolen", "9 min til Kirkeby Skole",
                        "går fra 3,0 % til 4,9 % (loft 15 %)",
                        "det område, husstanden ønskede"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!strstr(dk, want[i]))
      fail_msg("'%s' not in '%s'", want[i], dk);
  assert_null(strstr(dk, "DKK"));
  assert_null(strstr(en, "kr."));
  free(en);
}

static void number_formats(void **state) {
  (void)state;
  struct {
    void (*format)(bp_buffer *, double, bp_language);
    double value;
    bp_language lang;
    const char *want;
  } cases[] = {
      {bp_text_money, 6150, BP_LANG_EN, "DKK 6,150"},
      {bp_text_money, 6150, BP_LANG_DA, "6.150 kr."},
      {bp_text_money, 1234567.5, BP_LANG_EN, "DKK 1,234,567.50"},
      {bp_text_money, 1234567.5, BP_LANG_DA, "1.234.567,50 kr."},
      {bp_text_money, -800, BP_LANG_EN, "-DKK 800"},
      {bp_text_minutes, 12.5, BP_LANG_EN, "12.5 min"},
      {bp_text_minutes, 12.5, BP_LANG_DA, "12,5 min"},
      {bp_text_minutes, 22.0, BP_LANG_DA, "22 min"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    bp_buffer b = {0};
    cases[i].format(&b, cases[i].value, cases[i].lang);
    assert_string_equal(b.data, cases[i].want);
    bp_buffer_free(&b);
  }
  bp_buffer b = {0};
  bp_text_percent(&b, 0.142, 1, 0, BP_LANG_EN);
  assert_string_equal(b.data, "14.2%");
  bp_buffer_free(&b);
  bp_text_percent(&b, 0.142, 1, 0, BP_LANG_DA);
  assert_string_equal(b.data, "14,2 %");
  bp_buffer_free(&b);
}

/* ------------------------------------------------------------------ */
/* Tests: the five reason codes                                         */
/* ------------------------------------------------------------------ */

static void no_eligible_unit_names_the_nearest_miss(void **state) {
  fixture *fx = *state;
  bp_case *k = &fx->run.kase;
  /* H3: three persons who need health care within 45 min and can pay
   * 4,500: U1-U3 fail on rent alone, U4 on sharing and health. */
  bp_household *h = add_household(k, "H3", 1, 0, 2, 4500);
  h->needs_health = 1;
  rederive(fx);
  place(fx, "H1", "U1");
  place(fx, "H2", "U4");
  place(fx, "H10", "U2");
  explain(fx);
  const bp_household_explanation *e = explanation_of(fx, "H3");
  assert_int_equal(e->code, BP_REASON_NO_ELIGIBLE_UNIT);
  /* Nearest: fewest failed rules, then the cheapest: U2 at 5,000. */
  assert_int_equal(e->alternative_unit, unit_index(k, "U2"));
  const char *want[] = {"3 units meet every other rule",
                        "cost more than DKK 4,500", "U2 in Kirkeby",
                        "rent DKK 5,000 (max 4,500)"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!strstr(e->reason, want[i]))
      fail_msg("'%s' not in '%s'", want[i], e->reason);

  k->policy.language = BP_LANG_DA;
  explain(fx);
  e = explanation_of(fx, "H3");
  assert_non_null(strstr(e->reason, "koster mere end 4.500 kr."));
  assert_non_null(strstr(e->reason, "husleje 5.000 kr. (højst 4.500 kr.)"));
}

static void no_eligible_unit_with_several_failures(void **state) {
  fixture *fx = *state;
  bp_case *k = &fx->run.kase;
  /* H4: needs step-free access and pays at most 3,000: every unit fails
   * rent and step-free; the cheapest, U4, also sharing. */
  bp_household *h = add_household(k, "H4", 2, 0, 0, 3000);
  h->step_free = 1;
  rederive(fx);
  explain(fx);
  const bp_household_explanation *e = explanation_of(fx, "H4");
  assert_int_equal(e->code, BP_REASON_NO_ELIGIBLE_UNIT);
  assert_non_null(strstr(e->reason, "None of the 4 units offered fits"));
  assert_non_null(strstr(e->reason, "4 cost more than DKK 3,000"));
  assert_non_null(strstr(e->reason, "not step-free"));
  assert_non_null(strstr(e->alternative, "The nearest is"));
}

static void lock_when_only_locks_stand_in_the_way(void **state) {
  fixture *fx = *state;
  bp_case *k = &fx->run.kase;
  add_household(k, "H5", 1, 0, 0, 4000);
  k->locks[k->n_locks++] = (bp_lock){household_index(k, "H5"),
                                     unit_index(k, "U4"), BP_LOCK_FORBID, {0}};
  rederive(fx);
  place(fx, "H2", "U4");
  explain(fx);
  const bp_household_explanation *e = explanation_of(fx, "H5");
  assert_int_equal(e->code, BP_REASON_LOCK);
  assert_non_null(strstr(e->reason, "lock"));
  assert_non_null(strstr(e->reason, "U4 in Tved"));
  assert_int_equal(e->alternative_unit, unit_index(k, "U4"));
}

static void group_when_no_area_fits_all_members(void **state) {
  fixture *fx = *state;
  bp_case *k = &fx->run.kase;
  /* H6 needs the daycare (Kirkeby only), H7 only fits the shared place in
   * Tved: the group cannot live together. */
  add_household(k, "H6", 1, 1, 0, 6000);
  add_household(k, "H7", 1, 0, 0, 4000);
  bp_group *g = &k->groups[k->n_groups];
  g->id = bp_strdup("G1");
  g->n_members = 2;
  g->members = bp_alloc(2 * sizeof *g->members);
  g->members[0] = household_index(k, "H6");
  g->members[1] = household_index(k, "H7");
  for (int m = 0; m < 2; m++) {
    k->households[g->members[m]].group = (int)k->n_groups;
    k->households[g->members[m]].group_id = bp_strdup("G1");
  }
  k->n_groups++;
  rederive(fx);
  place(fx, "H1", "U1");
  place(fx, "H2", "U4");
  explain(fx);
  for (int m = 0; m < 2; m++) {
    const bp_household_explanation *e =
        &fx->run.explanation.households[g->members[m]];
    assert_int_equal(e->code, BP_REASON_GROUP);
    assert_non_null(strstr(e->reason, "Group G1 (2 households)"));
    assert_non_null(strstr(e->reason, "comes closest, with units for 1 of the 2"));
  }
}

static void outcompeted_names_who_took_the_unit(void **state) {
  fixture *fx = *state;
  bp_case *k = &fx->run.kase;
  k->units[unit_index(k, "U4")].places = 1;
  bp_household *h = add_household(k, "H8", 1, 0, 0, 4000);
  h->waiting_days = 10;
  rederive(fx);
  place(fx, "H1", "U1");
  place(fx, "H2", "U4");
  place(fx, "H10", "U2");
  explain(fx);
  const bp_household_explanation *e = explanation_of(fx, "H8");
  assert_int_equal(e->code, BP_REASON_OUTCOMPETED);
  assert_non_null(strstr(e->reason, "The only unit that fits, U4 in Tved"));
  assert_non_null(strstr(e->reason, "household H2"));
  assert_non_null(strstr(e->reason, "40 days against 10"));
  assert_int_equal(e->alternative_unit, unit_index(k, "U4"));
}

static void cap_binding_names_the_cap(void **state) {
  fixture *fx = *state;
  bp_case *k = &fx->run.kase;
  /* H9 fits U1, U2, U3; U1 and U2 are taken, and Tved Skole is at its
   * bilingual cap (30 of 100), so U3 is blocked by the school. */
  add_household(k, "H9", 2, 0, 1, 6400);
  k->schools[1].bilingual = 30;
  rederive(fx);
  place(fx, "H1", "U1");
  place(fx, "H2", "U4");
  place(fx, "H10", "U2");
  explain(fx);
  const bp_household_explanation *e = explanation_of(fx, "H9");
  assert_int_equal(e->code, BP_REASON_CAP_BINDING);
  const char *want[] = {"The only free unit that fits, U3 in Tved",
                        "bilingual share at Tved Skole to 30.7% (cap 30%)"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!strstr(e->reason, want[i]))
      fail_msg("'%s' not in '%s'", want[i], e->reason);

  /* The same unit blocked by the area's cap instead: Tved may take one
   * more newcomer household at 6 %, and H2 took it. */
  k->schools[1].bilingual = 10;
  k->areas[1].max_newcomer_share = 0.06;
  rederive(fx);
  place(fx, "H1", "U1");
  place(fx, "H2", "U4");
  place(fx, "H10", "U2");
  explain(fx);
  e = explanation_of(fx, "H9");
  assert_int_equal(e->code, BP_REASON_CAP_BINDING);
  /* (2 + 1 + 1) / (50 + 1 + 1) = 7.7 % */
  assert_non_null(strstr(e->reason, "Tved's newcomer share to 7.7% (cap 6%)"));

  /* And by the building: at most one new household per building, and
   * the shared unit is in Byvej 1 too. */
  k->areas[1].max_newcomer_share = NAN;
  k->policy.max_new_per_building = 1;
  int u4 = unit_index(k, "U4");
  k->units[u4].building = bp_strdup("Byvej 1");
  k->units[u4].building_index = 0;
  rederive(fx);
  place(fx, "H1", "U1");
  place(fx, "H2", "U4");
  place(fx, "H10", "U2");
  explain(fx);
  e = explanation_of(fx, "H9");
  assert_int_equal(e->code, BP_REASON_CAP_BINDING);
  assert_non_null(strstr(e->reason, "building Byvej 1 already gets 1 new household"));
  fx->run.kase.policy.language = BP_LANG_DA;
  explain(fx);
  e = explanation_of(fx, "H9");
  assert_non_null(strstr(e->reason, "bygningen Byvej 1 får allerede 1 ny husstand"));
}

/* ------------------------------------------------------------------ */
/* Tests: proposals.json, unplaced.csv, files                           */
/* ------------------------------------------------------------------ */

static void json_parses_back_with_the_run_record(void **state) {
  fixture *fx = *state;
  /* One household unplaced, so both arrays have entries. */
  fx->run.solution.candidate_of_household[household_index(&fx->run.kase, "H10")] = -1;
  fx->run.solution.housed--;
  write_ok(fx);
  char *text = read_file(fx->out_dir, "proposals.json");
  cJSON *root = cJSON_Parse(text);
  assert_non_null(root);
  free(text);
  assert_true(cJSON_IsString(cJSON_GetObjectItem(root, "boplace_version")));
  cJSON *run = cJSON_GetObjectItem(root, "run");
  assert_string_equal(cJSON_GetObjectItem(run, "case_dir")->valuestring,
                      "cases/hand-built");
  cJSON *inputs = cJSON_GetObjectItem(run, "inputs");
  assert_int_equal(cJSON_GetArraySize(inputs), 2);
  assert_int_equal(strlen(cJSON_GetObjectItem(cJSON_GetArrayItem(inputs, 0),
                                              "sha256")->valuestring), 64);
  cJSON *policy = cJSON_GetObjectItem(run, "policy");
  assert_float_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(policy, "max_minutes"),
                                         "language_school")->valuedouble, 45, 0);
  assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(policy, "weights"), "near_cap"));
  assert_string_equal(cJSON_GetObjectItem(policy, "language")->valuestring, "en");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(policy, "allow_transit")));
  cJSON *solver = cJSON_GetObjectItem(run, "solver");
  assert_string_equal(cJSON_GetObjectItem(solver, "status")->valuestring, "optimal");
  assert_float_equal(cJSON_GetObjectItem(solver, "objective")->valuedouble, 3.25, 1e-12);
  assert_float_equal(cJSON_GetObjectItem(solver, "best_bound")->valuedouble, 3.0, 1e-12);
  assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(solver, "tiers"), "permanent"));
  assert_int_equal(cJSON_GetObjectItem(solver, "integer_columns")->valueint, 7);
  cJSON *counts = cJSON_GetObjectItem(run, "counts");
  assert_int_equal(cJSON_GetObjectItem(counts, "households")->valueint, 3);
  assert_int_equal(cJSON_GetObjectItem(counts, "places")->valueint, 5);
  assert_int_equal(cJSON_GetObjectItem(counts, "housed")->valueint, 2);
  assert_int_equal(cJSON_GetObjectItem(counts, "persons_housed")->valueint, 4);
  assert_int_equal(cJSON_GetObjectItem(counts, "unplaced")->valueint, 1);
  cJSON *by = cJSON_GetObjectItem(counts, "by_reason");
  const char *codes[] = {"NO_ELIGIBLE_UNIT", "OUTCOMPETED", "CAP_BINDING",
                         "GROUP", "LOCK"};
  for (int i = 0; i < 5; i++)
    assert_non_null(cJSON_GetObjectItem(by, codes[i]));
  /* H10 had U2 free and fits nothing else: nothing blocks U2 in an optimal
   * solution, so this hand-made solution shows as CAP_BINDING without a cap. */
  assert_int_equal(cJSON_GetObjectItem(by, "CAP_BINDING")->valueint, 1);

  cJSON *proposals = cJSON_GetObjectItem(root, "proposals");
  assert_int_equal(cJSON_GetArraySize(proposals), 2);
  cJSON *p = cJSON_GetArrayItem(proposals, 0);
  assert_string_equal(cJSON_GetObjectItem(p, "household_id")->valuestring, "H1");
  assert_true(cJSON_IsNumber(cJSON_GetObjectItem(p, "rent")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "minutes_daycare")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "daycare_id")));
  assert_float_equal(cJSON_GetObjectItem(p, "area_share_after")->valuedouble,
                     0.0396, 1e-12); /* 4/101: H10 no longer placed */
  assert_string_equal(cJSON_GetObjectItem(p, "kind")->valuestring, "public");
  cJSON *just = cJSON_GetObjectItem(p, "justification");
  cJSON *rules = cJSON_GetObjectItem(just, "rules");
  assert_true(cJSON_GetArraySize(rules) >= BP_RULE_COUNT + 5);
  int saw_rent = 0, saw_area = 0;
  cJSON *r;
  cJSON_ArrayForEach(r, rules) {
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "holds")));
    assert_true(strlen(cJSON_GetObjectItem(r, "text")->valuestring) > 0);
    const char *name = cJSON_GetObjectItem(r, "rule")->valuestring;
    if (strcmp(name, "rent") == 0) {
      saw_rent = 1;
      assert_float_equal(cJSON_GetObjectItem(r, "value")->valuedouble, 5900, 0);
      assert_float_equal(cJSON_GetObjectItem(r, "limit")->valuedouble, 6400, 0);
    }
    if (strcmp(name, "area_share") == 0) {
      saw_area = 1;
      assert_float_equal(cJSON_GetObjectItem(r, "limit")->valuedouble, 0.15, 0);
    }
  }
  assert_true(saw_rent && saw_area);
  cJSON *effects = cJSON_GetObjectItem(just, "effects");
  assert_float_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(effects, "area"),
                                         "before")->valuedouble, 0.03, 1e-12);
  cJSON *school = cJSON_GetObjectItem(effects, "school");
  assert_string_equal(cJSON_GetObjectItem(school, "id")->valuestring, "S1");
  assert_int_equal(cJSON_GetObjectItem(school, "seats_free_before")->valueint, 10);
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(effects, "daycare")));
  cJSON *terms = cJSON_GetObjectItem(just, "objective_terms");
  assert_true(cJSON_IsTrue(cJSON_GetObjectItem(terms, "preferred")));
  assert_non_null(cJSON_GetObjectItem(terms, "pair_cost"));
  cJSON *alt = cJSON_GetObjectItem(just, "alternative");
  /* U2 is free now: a matter of cost, not taken. */
  assert_string_equal(cJSON_GetObjectItem(alt, "unit_id")->valuestring, "U2");
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(alt, "taken_by")));
  assert_true(cJSON_IsNull(cJSON_GetObjectItem(alt, "blocked_by")));
  /* What speaks against U2 and what for it, against the chosen U1. */
  const char *alt_text = cJSON_GetObjectItem(alt, "text")->valuestring;
  if (!strstr(alt_text, "was not chosen: 6 min more travel; in its favour: DKK 900 "
                    "less rent."))
    fail_msg("alternative: %s", alt_text);

  cJSON *unplaced = cJSON_GetObjectItem(root, "unplaced");
  assert_int_equal(cJSON_GetArraySize(unplaced), 1);
  cJSON *u = cJSON_GetArrayItem(unplaced, 0);
  assert_string_equal(cJSON_GetObjectItem(u, "household_id")->valuestring, "H10");
  assert_string_equal(cJSON_GetObjectItem(u, "reason_code")->valuestring,
                      "CAP_BINDING");
  cJSON *miss = cJSON_GetObjectItem(u, "nearest_miss");
  assert_string_equal(cJSON_GetObjectItem(miss, "unit_id")->valuestring, "U2");
  assert_true(cJSON_IsArray(cJSON_GetObjectItem(miss, "failed_rules")));
  cJSON_Delete(root);
}

static void unplaced_csv_columns_and_codes(void **state) {
  fixture *fx = *state;
  bp_case *k = &fx->run.kase;
  bp_household *h = add_household(k, "H0", 2, 0, 0, 1000);
  (void)h;
  rederive(fx);
  place(fx, "H1", "U1");
  place(fx, "H2", "U4");
  place(fx, "H10", "U2");
  write_ok(fx);
  char *text = read_file(fx->out_dir, "unplaced.csv");
  csv_row rows[4] = {0};
  int n = parse_csv(text, rows, 4);
  assert_int_equal(n, 2);
  assert_string_equal(rows[0].fields[0], "household_id");
  assert_string_equal(rows[0].fields[1], "reason_code");
  assert_string_equal(rows[0].fields[2], "reason");
  assert_string_equal(cell(rows, 1, "household_id"), "H0");
  assert_string_equal(cell(rows, 1, "reason_code"), "NO_ELIGIBLE_UNIT");
  assert_true(strlen(cell(rows, 1, "reason")) > 20);
  assert_true(strlen(cell(rows, 1, "nearest_miss")) > 20);
  free_rows(rows, n);
  free(text);
}

static void outputs_are_private_and_complete(void **state) {
  fixture *fx = *state;
  write_ok(fx);
  struct stat st;
  assert_int_equal(stat(fx->out_dir, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0700);
  const char *names[] = {"proposals.csv", "unplaced.csv", "proposals.json",
                         "summary.json", "report.html", "placements.geojson"};
  for (int i = 0; i < 6; i++) {
    char *path = bp_format("%s/%s", fx->out_dir, names[i]);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(path);
  }
  /* Exactly the six files (three of them the report's): no temporaries
   * left behind. */
  DIR *d = opendir(fx->out_dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  closedir(d);
  assert_int_equal(n, 6);
}

static void same_input_gives_identical_csv(void **state) {
  fixture *fx = *state;
  write_ok(fx);
  char *a = read_file(fx->out_dir, "proposals.csv");
  char *b = read_file(fx->out_dir, "unplaced.csv");
  fx->run.solution.seconds = 99; /* only the JSON may change */
  write_ok(fx);
  char *c = read_file(fx->out_dir, "proposals.csv");
  char *d = read_file(fx->out_dir, "unplaced.csv");
  assert_string_equal(a, c);
  assert_string_equal(b, d);
  free(a);
  free(b);
  free(c);
  free(d);
}

static void failing_write_leaves_nothing(void **state) {
  fixture *fx = *state;
  explain(fx);
  char *bad = bp_format("%s/missing/out", fx->tmp);
  size_t errors = fx->run.diagnostics.errors;
  assert_int_equal(bp_write_outputs(&fx->run, bad, &fx->run.diagnostics),
                   BP_FAILURE);
  assert_int_equal(fx->run.diagnostics.errors, errors + 1);
  const bp_diagnostic *dg =
      &fx->run.diagnostics.items[fx->run.diagnostics.count - 1];
  assert_string_equal(dg->file, bad);
  assert_non_null(strstr(dg->message, "No such file"));
  struct stat st;
  char *parent = bp_format("%s/missing", fx->tmp);
  assert_int_not_equal(stat(parent, &st), 0);
  free(parent);
  free(bad);

  /* A directory that cannot be written to: no temporary, no output. */
  if (geteuid() != 0) {
    assert_int_equal(mkdir(fx->out_dir, 0500), 0);
    assert_int_equal(bp_write_outputs(&fx->run, fx->out_dir, &fx->run.diagnostics),
                     BP_FAILURE);
    DIR *d = opendir(fx->out_dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
      if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
        n++;
    closedir(d);
    assert_int_equal(n, 0);
    chmod(fx->out_dir, 0700);
  }
}

/* The solver's share of the time limit (pipeline.c): what reading and
 * deriving left, less a margin for explaining and writing that is the
 * smaller of 1.5 times reading and deriving and 15 times reading, less
 * 0.1 s and a fiftieth of the limit; at least a tenth of the limit. */
static void solver_time_leaves_a_margin_for_writing(void **state) {
  (void)state;
  /* National size: deriving (17 s) is far slower than reading (0.4 s), and
   * writing follows reading: 120 - 17.4 - (0.1 + 2.4 + 6). */
  assert_float_equal(bp_solver_seconds(120.0, 17.4, 0.4), 94.1, 1e-9);
  /* Annual size: reading and deriving is the smaller: 20 - 0.6 - (0.1 + 0.4 + 0.9). */
  assert_float_equal(bp_solver_seconds(20.0, 0.6, 0.09), 18.0, 1e-9);
  /* A slow read leaves the solver a tenth of the limit, not nothing. */
  assert_float_equal(bp_solver_seconds(10.0, 9.0, 1.0), 1.0, 1e-9);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(proposals_csv_has_the_spec_columns_in_order, setup, teardown),
      cmocka_unit_test_setup_teardown(proposals_csv_rows_sorted_with_figures, setup, teardown),
      cmocka_unit_test_setup_teardown(decimal_rent_is_plain, setup, teardown),
      cmocka_unit_test_setup_teardown(reason_with_comma_and_quote_is_quoted, setup, teardown),
      cmocka_unit_test_setup_teardown(placed_reason_in_english_has_the_figures, setup, teardown),
      cmocka_unit_test_setup_teardown(danish_texts_differ_and_use_danish_numbers, setup, teardown),
      cmocka_unit_test(number_formats),
      cmocka_unit_test(solver_time_leaves_a_margin_for_writing),
      cmocka_unit_test_setup_teardown(no_eligible_unit_names_the_nearest_miss, setup, teardown),
      cmocka_unit_test_setup_teardown(no_eligible_unit_with_several_failures, setup, teardown),
      cmocka_unit_test_setup_teardown(lock_when_only_locks_stand_in_the_way, setup, teardown),
      cmocka_unit_test_setup_teardown(group_when_no_area_fits_all_members, setup, teardown),
      cmocka_unit_test_setup_teardown(outcompeted_names_who_took_the_unit, setup, teardown),
      cmocka_unit_test_setup_teardown(cap_binding_names_the_cap, setup, teardown),
      cmocka_unit_test_setup_teardown(json_parses_back_with_the_run_record, setup, teardown),
      cmocka_unit_test_setup_teardown(unplaced_csv_columns_and_codes, setup, teardown),
      cmocka_unit_test_setup_teardown(outputs_are_private_and_complete, setup, teardown),
      cmocka_unit_test_setup_teardown(same_input_gives_identical_csv, setup, teardown),
      cmocka_unit_test_setup_teardown(failing_write_leaves_nothing, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
