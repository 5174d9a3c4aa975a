/**
 * @file test_scenario_unit.c
 * @brief Unit tests of the in-memory case edit, the history ledger and
 *        scenario files (scenario.c, ledger.c), on small cases built in C.
 *
 * The end-to-end behaviour (compare, accept, history on the sample) is
 * pinned by test_scenario.py and test_ledger.py; here the invariants under
 * them: after bp_case_edit the case looks as the reader would have left it,
 * bp_apply_ledger moves exactly the counts data/README.md describes, and
 * the readers report what is wrong where it is.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "boplace.h"
#include "case_builder.h"
#include "ledger.h"
#include "read_csv.h"
#include "scenario.h"

/* A temporary directory for files the readers need; removed by the test. */
static char *temp_dir(void) {
  char *dir = bp_strdup("/tmp/boplace-unit-XXXXXX");
  assert_non_null(mkdtemp(dir));
  return dir;
}

static void write_text(const char *dir, const char *name, const char *text) {
  char *path = bp_format("%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  free(path);
}

static void remove_dir(char *dir, const char *const *names) {
  for (size_t i = 0; names[i]; i++) {
    char *path = bp_format("%s/%s", dir, names[i]);
    unlink(path);
    free(path);
  }
  rmdir(dir);
  free(dir);
}

static int has_message(const bp_diagnostics *d, bp_severity severity,
                       const char *file, int line, const char *text) {
  for (size_t i = 0; i < d->count; i++) {
    const bp_diagnostic *x = &d->items[i];
    if (x->severity == severity && x->line == line &&
        (!file || (x->file && strcmp(x->file, file) == 0)) &&
        strstr(x->message, text))
      return 1;
  }
  return 0;
}

/* Four households H00..H03 (H01 and H02 in group G00), four units U00..U03
 * in two areas, U01 and U02 in building B00, locks and scores on them. */
static void small_case(bp_case *k) {
  tb_case(k, 3, 2, 10);
  for (int i = 0; i < 4; i++) {
    tb_household(k, 1, 0, 0, 5000, 10 * i);
    tb_unit(k, i % 2, 1, 4000, BP_UNIT_PUBLIC);
  }
  const int members[] = {1, 2};
  tb_group(k, members, 2);
  const int units[] = {1, 2};
  tb_building(k, units, 2);
  tb_lock(k, 3, 3, BP_LOCK_PLACE);
  tb_lock(k, 0, 1, BP_LOCK_FORBID);
  k->scores = bp_calloc(2, sizeof *k->scores);
  k->scores[0] = (bp_score){0, 1, 0.5, {0}};
  k->scores[1] = (bp_score){3, 0, 0.7, {0}};
  k->n_scores = 2;
}

/* bp_case_edit: sorted tables, remapped locks and scores, rebuilt groups
 * and buildings. */
static void case_edit_restores_the_invariants(void **state) {
  (void)state;
  bp_case k;
  small_case(&k);
  unsigned char drop_h[4] = {1, 0, 1, 0}; /* H00, H02 */
  unsigned char drop_u[4] = {0, 1, 0, 0}; /* U01 (building B00) */
  bp_household *add_h = bp_calloc(1, sizeof *add_h);
  add_h[0] = k.households[3];
  add_h[0].id = bp_strdup("H00b"); /* sorts between H00 and H01 */
  add_h[0].group_id = bp_strdup("G00"); /* joins H01's group */
  bp_unit *add_u = bp_calloc(1, sizeof *add_u);
  add_u[0] = k.units[0];
  add_u[0].id = bp_strdup("U00a");
  add_u[0].building = bp_strdup("B-new");
  bp_case_changes changes = {drop_h, drop_u, add_h, 1, add_u, 1};
  bp_case_edit(&k, &changes);
  free(add_h);
  free(add_u);

  assert_int_equal(k.n_households, 3);
  assert_string_equal(k.households[0].id, "H00b");
  assert_string_equal(k.households[1].id, "H01");
  assert_string_equal(k.households[2].id, "H03");
  assert_int_equal(k.n_units, 4);
  assert_string_equal(k.units[0].id, "U00");
  assert_string_equal(k.units[1].id, "U00a");
  assert_string_equal(k.units[2].id, "U02");
  assert_string_equal(k.units[3].id, "U03");
  /* The forbid lock on H00 went with H00; the place lock follows H03/U03. */
  assert_int_equal(k.n_locks, 1);
  assert_int_equal(k.locks[0].household, 2);
  assert_int_equal(k.locks[0].unit, 3);
  assert_int_equal(k.n_scores, 1);
  assert_int_equal(k.scores[0].household, 2);
  /* Group G00: H00b (new) and H01 (H02 withdrawn). */
  assert_int_equal(k.n_groups, 1);
  assert_int_equal(k.groups[0].n_members, 2);
  assert_int_equal(k.groups[0].members[0], 0);
  assert_int_equal(k.groups[0].members[1], 1);
  assert_int_equal(k.households[0].group, 0);
  assert_int_equal(k.households[2].group, -1);
  /* Buildings: B-new and B00 (U02 is still in it). */
  assert_int_equal(k.n_buildings, 2);
  assert_string_equal(k.buildings[0].name, "B-new");
  assert_string_equal(k.buildings[1].name, "B00");
  assert_int_equal(k.units[1].building_index, 0);
  assert_int_equal(k.units[2].building_index, 1);
  assert_int_equal(k.units[0].building_index, -1);
  assert_int_equal(bp_case_find_unit(&k, "U00a"), 1);
  assert_int_equal(bp_case_find_household(&k, "H02"), -1);
  bp_case_free(&k);
}

static void inputs_stay_sorted(void **state) {
  (void)state;
  bp_case k;
  tb_case(&k, 2, 1, 0);
  char a[65], b[65];
  memset(a, 'a', 64);
  a[64] = 0;
  memset(b, 'b', 64);
  b[64] = 0;
  bp_case_add_input(&k, "units.csv", a);
  bp_case_add_input(&k, "areas.csv", a);
  bp_case_add_input(&k, "history.csv", a);
  bp_case_add_input(&k, "history.csv", b);
  assert_int_equal(k.n_inputs, 3);
  assert_string_equal(k.inputs[0].name, "areas.csv");
  assert_string_equal(k.inputs[1].name, "history.csv");
  assert_string_equal(k.inputs[1].sha256, b);
  assert_string_equal(k.inputs[2].name, "units.csv");
  bp_case_free(&k);
}

static void run_fingerprint_is_the_sha256_of_the_input_lines(void **state) {
  (void)state;
  char zeros[65], ones[65], out[65];
  memset(zeros, '0', 64);
  zeros[64] = 0;
  memset(ones, '1', 64);
  ones[64] = 0;
  bp_input_file inputs[2] = {{"areas.csv", ""}, {"units.csv", ""}};
  memcpy(inputs[0].sha256, zeros, 65);
  memcpy(inputs[1].sha256, ones, 65);
  bp_run_fingerprint(inputs, 2, out);
  /* python3: sha256(b"areas.csv\t" + b"0"*64 + b"\n" + b"units.csv\t" +
   *                 b"1"*64 + b"\n") */
  assert_string_equal(
      out, "0841cfa10d1016b3c7514867f938a74e66ee129f901bd2098add376bff68ed9c");
}

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HEADER                                                                 \
  "batch,week,household_id,unit_id,area_id,kind,adults,children_0_5,"          \
  "children_6_16,persons,waiting_days,run_sha256\n"

/* bp_apply_ledger moves the counts of data/README.md, and only those. */
static void ledger_moves_counts_and_leaves_out(void **state) {
  (void)state;
  bp_case k;
  small_case(&k);
  k.units[3].kind = BP_UNIT_SHARED;
  k.units[3].places = 3;
  k.units[0].kind = BP_UNIT_TRANSIT;
  k.units[2].kind = BP_UNIT_TRANSIT;
  k.schools[0].free_seats = 1;
  char *dir = temp_dir();
  free(k.dir);
  k.dir = bp_strdup(dir);
  write_text(dir, "history.csv",
             HEADER
             /* H01: permanent in A01 with 2 + 1 children */
             "1,2026-W45,H01,U01,A01,public,2,1,2,5,30,"SHA"\n"
             /* H00: transit in U00, then moved to transit U02: U00 is free */
             "1,2026-W45,H00,U00,A00,transit,1,0,0,1,200,"SHA"\n"
             "2,,H00,U02,A00,transit,1,0,0,1,207,"SHA"\n"
             /* H09 (not in households.csv any more): one place of U03 */
             "2,,H09,U03,A00,shared,1,0,0,1,5,"SHA"\n"
             /* H08: permanent in A00 with 3 schoolchildren; 1 free seat */
             "2,,H08,U99,A00,private,2,0,3,5,100,"SHA"\n");
  bp_diagnostics d = {0};
  assert_int_equal(bp_apply_ledger(&k, &d), BP_OK);
  /* Areas: A00 +2 (H09, H08), A01 +1 (H01); transit moves nothing. */
  assert_int_equal(k.areas[0].households, 1002);
  assert_int_equal(k.areas[0].newcomer_households, 12);
  assert_int_equal(k.areas[1].households, 1001);
  assert_int_equal(k.areas[1].newcomer_households, 11);
  /* Schools: SC00 1 free seat for 3 children: full, with a warning. */
  assert_int_equal(k.schools[0].free_seats, 0);
  assert_int_equal(k.schools[0].enrolled, 503);
  assert_int_equal(k.schools[0].bilingual, 53);
  assert_true(has_message(&d, BP_SEVERITY_WARNING, "history.csv", 6,
                          "fewer than the 3 children"));
  assert_int_equal(k.schools[1].free_seats, 48);
  assert_int_equal(k.schools[1].bilingual, 52);
  assert_int_equal(k.daycares[1].free_seats, 19);
  assert_int_equal(k.daycares[1].bilingual, 11);
  assert_int_equal(k.daycares[0].bilingual, 10);
  /* Households: H01 housed, H00 (in transit) stays. */
  assert_int_equal(k.n_households, 3);
  assert_string_equal(k.households[0].id, "H00");
  assert_int_equal(bp_case_find_household(&k, "H01"), -1);
  /* Units: U01 and U02 taken, U00 free again, U03 one place less. */
  assert_int_equal(k.n_units, 2);
  assert_string_equal(k.units[0].id, "U00");
  assert_string_equal(k.units[1].id, "U03");
  assert_int_equal(k.units[1].places, 2);
  /* The forbid lock H00/U01 is dropped quietly, the place lock kept. */
  assert_int_equal(k.n_locks, 1);
  assert_int_equal(d.errors, 0);
  assert_int_equal(d.warnings, 1);
  /* The ledger is an input of the run. */
  assert_int_equal(k.n_inputs, 1);
  assert_string_equal(k.inputs[0].name, "history.csv");
  bp_diagnostics_free(&d);
  bp_case_free(&k);
  const char *names[] = {"history.csv", NULL};
  remove_dir(dir, names);
}

static void ledger_reports_bad_rows_where_they_are(void **state) {
  (void)state;
  char *dir = temp_dir();
  write_text(dir, "history.csv",
             HEADER
             "1,2026-W45,H01,U01,A01,public,2,1,2,5,30,"SHA"\n"
             "1,2026-W45,H01,U01,A01,public,2,1,2,5,30,"SHA"\n" /* repeat */
             "2,2026-W99,H02,U02,A01,public,1,0,0,1,30,"SHA"\n" /* week */
             "2,,H03,U03,A01,public,1,0,0,2,30,"SHA"\n"        /* persons */
             "2,,H01,U04,A01,public,2,1,2,5,30,"SHA"\n"        /* 2nd home */
             "2,,H05,U05,A01,flat,1,0,0,1,30,abc\n");          /* kind, sha */
  bp_ledger l;
  bp_diagnostics d = {0};
  assert_int_equal(bp_ledger_read(dir, &l, &d), BP_INVALID);
  assert_true(has_message(&d, BP_SEVERITY_WARNING, "history.csv", 3,
                          "already recorded on line 2"));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, "history.csv", 4,
                          "expected an ISO week"));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, "history.csv", 5,
                          "persons: 2, but adults"));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, "history.csv", 6,
                          "already has a permanent home"));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, "history.csv", 7, "kind"));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, "history.csv", 7,
                          "64 lowercase hex"));
  bp_ledger_free(&l);
  bp_diagnostics_free(&d);
  const char *names[] = {"history.csv", NULL};
  remove_dir(dir, names);
}

/* Appending keeps the old bytes and the file's own layout. */
static void ledger_append_keeps_layout(void **state) {
  (void)state;
  char *dir = temp_dir();
  write_text(dir, "history.csv",
             "household_id;unit_id;area_id;kind;adults;children_0_5;"
             "children_6_16;persons;waiting_days;run_sha256;batch;note\n"
             "H01;U01;A01;public;1;0;0;1;3;"SHA";1;hand-written");
  bp_ledger l;
  bp_diagnostics d = {0};
  assert_int_equal(bp_ledger_read(dir, &l, &d), BP_OK);
  assert_true(has_message(&d, BP_SEVERITY_WARNING, "history.csv", 1, "note"));
  assert_int_equal(l.n_rows, 1);
  assert_int_equal(l.last_batch, 1);
  assert_int_equal(bp_ledger_occupants(&l, "U01"), 1);
  bp_ledger_row row = {0, 2, "2026-W46", "H02", "U;2", "A01", BP_UNIT_SHARED,
                       1, 0, 0, 1, 9, SHA, 0};
  assert_int_equal(bp_ledger_append(dir, &l, &row, 1, &d), BP_OK);
  char *path = bp_format("%s/history.csv", dir);
  char *text;
  size_t length;
  assert_int_equal(bp_read_file(path, "history.csv", 1 << 20, &text, &length,
                                &d),
                   BP_OK);
  assert_string_equal(
      text, "household_id;unit_id;area_id;kind;adults;children_0_5;"
            "children_6_16;persons;waiting_days;run_sha256;batch;note\n"
            "H01;U01;A01;public;1;0;0;1;3;"SHA";1;hand-written\n"
            "H02;\"U;2\";A01;shared;1;0;0;1;9;"SHA";2;\n");
  free(text);
  free(path);
  bp_ledger_free(&l);
  bp_diagnostics_free(&d);
  const char *names[] = {"history.csv", NULL};
  remove_dir(dir, names);
}

/* A scenario read from a file and applied to a built case. */
static void scenario_applies_in_order(void **state) {
  (void)state;
  char *dir = temp_dir();
  write_text(dir, "s.json",
             "{\n"
             "  \"policy\": { \"min_cluster\": 2 },\n"
             "  \"areas\": [ { \"area_id\": \"A01\", \"max_newcomer_share\": "
             "0.05 } ],\n"
             "  \"schools\": [ { \"school_id\": \"SC00\", \"free_seats\": 7 } ],\n"
             "  \"withdraw_units\": [ \"U02\" ],\n"
             "  \"withdraw_households\": [ \"H03\" ],\n"
             "  \"add_units\": [ { \"unit_id\": \"U02\", \"like\": \"U00\", "
             "\"rent\": 3900 },\n"
             "                 { \"id_prefix\": \"N\", \"count\": 3, \"area_id\": "
             "\"A01\", \"stop_id\": \"S01\", \"rooms\": 2, \"rent\": 5000, "
             "\"kind\": \"shared\", \"places\": 2, \"building\": \"Ny\" } ],\n"
             "  \"add_households\": [ { \"household_id\": \"H10\", \"like\": "
             "\"H01\", \"waiting_days\": 3 } ]\n"
             "}\n");
  char *path = bp_format("%s/s.json", dir);
  bp_scenario *sc;
  bp_diagnostics d = {0};
  assert_int_equal(bp_scenario_read(path, &sc, &d), BP_OK);
  assert_string_equal(bp_scenario_name(sc), "s");
  bp_case k;
  small_case(&k);
  assert_int_equal(bp_scenario_apply(sc, &k, &d), BP_OK);
  assert_int_equal(d.errors, 0);
  /* The place lock was on H03: a warning where H03 is withdrawn. */
  assert_true(has_message(&d, BP_SEVERITY_WARNING, path, 6, "'place' lock"));
  assert_int_equal(k.policy.min_cluster, 2);
  assert_true(k.areas[1].max_newcomer_share == 0.05);
  assert_int_equal(k.schools[0].free_seats, 7);
  assert_int_equal(k.n_units, 7); /* 4 - 1 + 1 + 3 */
  int u = bp_case_find_unit(&k, "U02");
  assert_true(u >= 0 && k.units[u].rent == 3900 && k.units[u].area == 0);
  assert_int_equal(k.units[u].building_index, -1); /* like U00: none */
  u = bp_case_find_unit(&k, "N02");
  assert_true(u >= 0 && k.units[u].places == 2 && k.units[u].area == 1);
  assert_string_equal(k.buildings[k.units[u].building_index].name, "Ny");
  int h = bp_case_find_household(&k, "H10");
  assert_true(h >= 0 && k.households[h].waiting_days == 3);
  assert_int_equal(k.households[h].group,
                   k.households[bp_case_find_household(&k, "H01")].group);
  assert_int_equal(bp_case_find_household(&k, "H03"), -1);
  assert_int_equal(k.n_locks, 1); /* the forbid lock H00/U01 */
  bp_case_free(&k);
  bp_scenario_free(sc);
  bp_diagnostics_free(&d);
  free(path);
  const char *names[] = {"s.json", NULL};
  remove_dir(dir, names);
}

static void scenario_errors_point_at_the_entry(void **state) {
  (void)state;
  char *dir = temp_dir();
  write_text(dir, "bad.json",
             "{ \"name\": \"bad\",\n"
             "  \"add_units\": [\n"
             "    { \"unit_id\": \"U01\", \"like\": \"U00\" },\n"
             "    { \"id_prefix\": \"X\", \"count\": 0, \"like\": \"U00\" },\n"
             "    { \"like\": \"U00\", \"places\": 2 }\n"
             "  ],\n"
             "  \"daycares\": [ { \"daycare_id\": \"DC00\", \"children\": 1 } ],\n"
             "  \"oops\": 1\n"
             "}\n");
  char *path = bp_format("%s/bad.json", dir);
  bp_scenario *sc;
  bp_diagnostics d = {0};
  assert_int_equal(bp_scenario_read(path, &sc, &d), BP_OK);
  assert_true(has_message(&d, BP_SEVERITY_WARNING, path, 8, "unknown key 'oops'"));
  bp_case k;
  small_case(&k);
  assert_int_equal(bp_scenario_apply(sc, &k, &d), BP_INVALID);
  assert_true(has_message(&d, BP_SEVERITY_ERROR, path, 3, "already in the case"));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, path, 4,
                          "count: expected a whole number from 1"));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, path, 5,
                          "\"unit_id\" (one record) or \"id_prefix\""));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, path, 5,
                          "only a unit of kind 'shared'"));
  assert_true(has_message(&d, BP_SEVERITY_ERROR, path, 7,
                          "more bilingual children (10) than children (1)"));
  bp_case_free(&k);
  bp_scenario_free(sc);
  bp_diagnostics_free(&d);
  /* Not an object; not JSON. */
  write_text(dir, "bad.json", "[1, 2]\n");
  assert_int_equal(bp_scenario_read(path, &sc, &d), BP_INVALID);
  assert_null(sc);
  assert_true(has_message(&d, BP_SEVERITY_ERROR, path, 1, "JSON object"));
  bp_diagnostics_free(&d);
  free(path);
  const char *names[] = {"bad.json", NULL};
  remove_dir(dir, names);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(case_edit_restores_the_invariants),
      cmocka_unit_test(inputs_stay_sorted),
      cmocka_unit_test(run_fingerprint_is_the_sha256_of_the_input_lines),
      cmocka_unit_test(ledger_moves_counts_and_leaves_out),
      cmocka_unit_test(ledger_reports_bad_rows_where_they_are),
      cmocka_unit_test(ledger_append_keeps_layout),
      cmocka_unit_test(scenario_applies_in_order),
      cmocka_unit_test(scenario_errors_point_at_the_entry),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
