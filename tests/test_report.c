/**
 * @file test_report.c
 * @brief Unit tests of the spread report: the indices on numbers worked by
 *        hand, HTML escaping, summary.json written and read back, the page
 *        and the GeoJSON drawn from a report built by hand.
 *
 * The end-to-end checks (the sample run, figures against an independent
 * computation from the CSV files, `boplace report`, the page in headless
 * Chromium) are in test_report.py.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "boplace.h"
#include "buffer.h"
#include "report.h"
#include "report_indices.h"

/* cmocka 1.1 has no assert_double_equal. */
static void near(double a, double b, double eps, const char *file, int line) {
  if (!(fabs(a - b) <= eps)) {
    print_error("%.17g != %.17g (within %g)\n", a, b, eps);
    _fail(file, line);
  }
}
#define assert_near(a, b, eps) near((a), (b), (eps), __FILE__, __LINE__)

/* ------------------------------------------------------------------ */
/* The indices                                                          */
/* ------------------------------------------------------------------ */

static void dissimilarity_by_hand(void **state) {
  (void)state;
  /* Newcomers 10, 0, 10 of 100, 100, 200 households: n = 20, others 90,
   * 100, 190 of 380.  D = 1/2 (|1/2 - 90/380| + |0 - 100/380| +
   * |1/2 - 190/380|) = 1/2 (100/380 + 100/380 + 0) = 100/380 = 5/19. */
  int n[] = {10, 0, 10}, N[] = {100, 100, 200};
  assert_near(bp_index_dissimilarity(3, n, N), 5.0 / 19.0, 1e-15);
  /* Spread exactly like everyone else: 0. */
  int n2[] = {5, 10}, N2[] = {50, 100};
  assert_near(bp_index_dissimilarity(2, n2, N2), 0.0, 1e-15);
  /* Completely apart: 1. */
  int n3[] = {10, 0}, N3[] = {10, 50};
  assert_near(bp_index_dissimilarity(2, n3, N3), 1.0, 1e-15);
  /* No newcomers, or nobody else, or no areas: 0 by definition. */
  int n4[] = {0, 0}, N4[] = {10, 50};
  assert_near(bp_index_dissimilarity(2, n4, N4), 0.0, 0);
  int n5[] = {10, 50}, N5[] = {10, 50};
  assert_near(bp_index_dissimilarity(2, n5, N5), 0.0, 0);
  assert_near(bp_index_dissimilarity(0, NULL, NULL), 0.0, 0);
}

static void hhi_by_hand(void **state) {
  (void)state;
  int p[] = {2, 1, 1, 0}; /* (1/2)^2 + (1/4)^2 + (1/4)^2 = 3/8 */
  assert_near(bp_index_hhi(4, p), 0.375, 1e-15);
  int one[] = {0, 7, 0};
  assert_near(bp_index_hhi(3, one), 1.0, 1e-15);
  int even[] = {3, 3, 3, 3, 3};
  assert_near(bp_index_hhi(5, even), 0.2, 1e-15);
  int none[] = {0, 0};
  assert_near(bp_index_hhi(2, none), 0.0, 0);
}

static void caps_and_largest(void **state) {
  (void)state;
  /* At the cap, a hair under it (the share rule's tolerance), under, over. */
  double share[] = {0.15, 0.15 - 1e-12, 0.14, 0.2};
  double cap[] = {0.15, 0.15, 0.15, 0.1};
  assert_int_equal(bp_index_count_at_cap(4, share, cap), 3);
  assert_int_equal(bp_index_count_at_cap(0, NULL, NULL), 0);
  double s[] = {0.1, 0.3, 0.3, 0.2};
  assert_int_equal(bp_index_largest(4, s), 1); /* the first of equals */
  assert_int_equal(bp_index_largest(0, NULL), -1);
}

static void within_travel_limits(void **state) {
  (void)state;
  bp_policy p;
  bp_policy_defaults(&p);
  p.max_minutes_language_school = 60;
  p.max_minutes_school = 40;
  p.max_minutes_daycare = 30;
  p.max_minutes_job = 60;
  p.max_minutes_health = 60;
  bp_pair_figures c;
  memset(&c, 0, sizeof c);
  c.minutes_language_school = 60.0; /* the limits are inclusive */
  c.minutes_school = NAN;           /* does not apply */
  c.minutes_daycare = NAN;
  c.minutes_job = 12;
  c.minutes_health = NAN;
  assert_true(bp_index_within_limits(&c, &p));
  c.minutes_school = 40.5;
  assert_false(bp_index_within_limits(&c, &p));
  c.minutes_school = NAN;
  c.minutes_health = INFINITY; /* no route */
  assert_false(bp_index_within_limits(&c, &p));
}

/* ------------------------------------------------------------------ */
/* Escaping                                                             */
/* ------------------------------------------------------------------ */

static void html_escape(void **state) {
  (void)state;
  bp_buffer b = {0};
  bp_html_escape(&b, "<a href=\"x\">Tom & 'Jerry'</a>");
  assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;Tom &amp; "
                              "&#39;Jerry&#39;&lt;/a&gt;");
  bp_buffer_free(&b);
  bp_html_escape(&b, "Sønderå Midtby – Ørslev");
  assert_string_equal(b.data, "Sønderå Midtby – Ørslev"); /* UTF-8 as is */
  bp_buffer_free(&b);
  bp_html_escape(&b, "");
  bp_html_escape(&b, NULL);
  assert_int_equal(b.length, 0); /* nothing appended */
  bp_buffer_append(&b, "x");
  bp_html_escape(&b, "&amp;");
  assert_string_equal(b.data, "x&amp;amp;"); /* escaped again, never trusted */
  bp_buffer_free(&b);
}

/* ------------------------------------------------------------------ */
/* A report built by hand                                               */
/* ------------------------------------------------------------------ */

/* Two areas, one with a name that is markup; three stops, one without
 * coordinates; one proposal and one unplaced household. */
static void make_report(bp_report *r, int with_coordinates) {
  memset(r, 0, sizeof *r);
  r->boplace_version = bp_strdup("0.1.0");
  r->case_name = bp_strdup("week <42>");
  r->case_dir = bp_strdup("cases/week <42>");
  r->policy_source = NULL;
  memset(r->fingerprint, 'a', 64);
  r->language = BP_LANG_EN;
  r->n_inputs = 1;
  r->inputs = bp_calloc(1, sizeof *r->inputs);
  r->inputs[0].file = bp_strdup("areas.csv");
  memset(r->inputs[0].sha256, 'b', 64);
  for (int t = 0; t < BP_TRIP_COUNT; t++)
    r->max_minutes[t] = 45;
  r->max_newcomer_share = 0.15;
  r->max_bilingual_share = 0.3;
  r->solver_status = bp_strdup("optimal");
  r->objective = 1.5;
  r->gap = 0;
  r->households = 2;
  r->units = 3;
  r->places = 3;
  r->housed = 1;
  r->persons_housed = 3;
  r->by_reason[BP_REASON_OUTCOMPETED - 1] = 1;

  r->n_stops = 3;
  r->stops = bp_calloc(3, sizeof *r->stops);
  const char *stop_names[] = {"Torvet", "Kirke & Skole", "Mark"};
  for (int i = 0; i < 3; i++) {
    r->stops[i].id = bp_format("S%d", i);
    r->stops[i].name = bp_strdup(stop_names[i]);
    r->stops[i].lat = with_coordinates && i < 2 ? 55.0 + 0.01 * i : NAN;
    r->stops[i].lon = with_coordinates && i < 2 ? 9.3 + 0.02 * i : NAN;
  }
  r->n_links = 1;
  r->links = bp_calloc(1, sizeof *r->links);
  r->links[0][0] = 0;
  r->links[0][1] = 1;
  r->n_destinations = 1;
  r->destinations = bp_calloc(1, sizeof *r->destinations);
  r->destinations[0].id = bp_strdup("D1");
  r->destinations[0].kind = bp_strdup("language_school");
  r->destinations[0].name = bp_strdup("Sprogcenter");
  r->destinations[0].stop = 0;

  r->n_areas = 2;
  r->areas = bp_calloc(2, sizeof *r->areas);
  r->areas[0].id = bp_strdup("A1");
  r->areas[0].name = bp_strdup("<script>alert(1)</script>");
  r->areas[0].households = 100;
  r->areas[0].newcomers = 10;
  r->areas[0].placed = 1;
  r->areas[0].share_before = 0.1;
  r->areas[0].share_after = 11.0 / 101.0;
  r->areas[0].cap = 0.15;
  r->areas[0].n_stops = 2;
  r->areas[0].stops = bp_calloc(2, sizeof(int));
  r->areas[0].stops[0] = 0;
  r->areas[0].stops[1] = 1;
  r->areas[0].lat = with_coordinates ? 55.005 : NAN;
  r->areas[0].lon = with_coordinates ? 9.31 : NAN;
  r->areas[1].id = bp_strdup("A2");
  r->areas[1].name = bp_strdup("Mark");
  r->areas[1].households = 50;
  r->areas[1].newcomers = 10;
  r->areas[1].share_before = r->areas[1].share_after = 0.2;
  r->areas[1].cap = 0.15;
  r->areas[1].vulnerable = 1;
  r->areas[1].n_stops = 1;
  r->areas[1].stops = bp_calloc(1, sizeof(int));
  r->areas[1].stops[0] = 2;
  r->areas[1].lat = r->areas[1].lon = NAN;

  r->n_schools = 1;
  r->schools = bp_calloc(1, sizeof *r->schools);
  r->schools[0] = (bp_report_institution){bp_strdup("SK"), bp_strdup("Skolen"),
                                          1, 200, 20, 5, 1, 0.1, 21.0 / 201.0,
                                          0.3};
  r->n_daycares = 0;
  r->daycares = bp_calloc(1, sizeof *r->daycares);

  r->indices.dissimilarity_before = 0.25;
  r->indices.dissimilarity_after = 0.2421875;
  r->indices.hhi = 1.0;
  r->indices.largest_area = 1;
  r->indices.largest_area_share = 0.2;
  r->indices.areas_at_cap_before = r->indices.areas_at_cap_after = 1;
  r->indices.households = 2;
  r->indices.housed = 1;
  r->indices.housed_within_limits = 1;
  r->indices.within_limits_share = 1.0;
  r->indices.housed_share = 0.5;

  r->n_proposals = 1;
  r->proposals = bp_calloc(1, sizeof *r->proposals);
  bp_report_proposal *x = &r->proposals[0];
  x->household_id = bp_strdup("H1");
  x->unit_id = bp_strdup("U1");
  x->area = 0;
  x->stop = 1;
  x->kind = bp_strdup("public");
  x->persons = 3;
  x->rooms = 2;
  x->rent = 5912.5;
  x->max_rent = 6000;
  x->walk_minutes = 2.5;
  for (int t = 0; t < BP_TRIP_COUNT; t++)
    x->minutes[t] = NAN;
  x->minutes[BP_TRIP_LANGUAGE_SCHOOL] = 12.5;
  x->minutes[BP_TRIP_SCHOOL] = 4;
  x->within_limits = 1;
  x->reason[BP_LANG_EN] = bp_strdup("Proposed <U1> because \"it fits\".");
  x->reason[BP_LANG_DA] = bp_strdup("Foreslået <U1>, fordi den passer.");
  r->n_unplaced = 1;
  r->unplaced = bp_calloc(1, sizeof *r->unplaced);
  r->unplaced[0].household_id = bp_strdup("H2");
  r->unplaced[0].reason_code = bp_strdup("OUTCOMPETED");
  r->unplaced[0].reason[BP_LANG_EN] = bp_strdup("Others waited longer.");
  r->unplaced[0].reason[BP_LANG_DA] = bp_strdup("Andre ventede længere.");
  r->unplaced[0].nearest_miss[BP_LANG_EN] = bp_strdup("");
  r->unplaced[0].nearest_miss[BP_LANG_DA] = bp_strdup("");
}

static void summary_reads_back_to_the_same_text(void **state) {
  (void)state;
  for (int coordinates = 0; coordinates <= 1; coordinates++) {
    bp_report r;
    make_report(&r, coordinates);
    char *text = bp_report_summary_json(&r);
    bp_report back;
    bp_diagnostics diag = {0};
    assert_int_equal(bp_report_parse_summary(text, strlen(text), "summary.json",
                                             &back, &diag),
                     BP_OK);
    assert_int_equal(diag.count, 0);
    char *again = bp_report_summary_json(&back);
    assert_string_equal(text, again);
    /* And the page drawn from either is the same, in both languages. */
    for (int lang = BP_LANG_EN; lang <= BP_LANG_DA; lang++) {
      bp_buffer a = {0}, b = {0};
      bp_report_html(&r, (bp_language)lang, &a);
      bp_report_html(&back, (bp_language)lang, &b);
      assert_string_equal(a.data, b.data);
      bp_buffer_free(&a);
      bp_buffer_free(&b);
    }
    free(again);
    free(text);
    bp_report_free(&back);
    bp_report_free(&r);
    bp_diagnostics_free(&diag);
  }
}

static int has_message(const bp_diagnostics *diag, const char *part) {
  for (size_t i = 0; i < diag->count; i++)
    if (strstr(diag->items[i].message, part))
      return 1;
  return 0;
}

static void damaged_summary_is_invalid(void **state) {
  (void)state;
  bp_report r;
  bp_diagnostics diag = {0};
  /* Not JSON: the place is given as line and column. */
  const char *broken = "{\n  \"summary_format\": 1,\n  oops\n}";
  assert_int_equal(bp_report_parse_summary(broken, strlen(broken), "s.json",
                                           &r, &diag),
                   BP_INVALID);
  assert_int_equal(diag.errors, 1);
  assert_string_equal(diag.items[0].file, "s.json");
  assert_int_equal(diag.items[0].line, 3);
  bp_diagnostics_free(&diag);

  /* Another format version. */
  const char *other = "{\"summary_format\": 99}";
  assert_int_equal(bp_report_parse_summary(other, strlen(other), "s.json", &r,
                                           &diag),
                   BP_INVALID);
  assert_true(has_message(&diag, "summary_format"));
  bp_diagnostics_free(&diag);

  /* A field gone and a field of the wrong type: both named. */
  bp_report good;
  make_report(&good, 1);
  char *text = bp_report_summary_json(&good);
  bp_report_free(&good);
  cJSON *root = cJSON_Parse(text);
  free(text);
  cJSON *areas = cJSON_GetObjectItem(root, "areas");
  cJSON_DeleteItemFromObject(cJSON_GetArrayItem(areas, 1), "name");
  cJSON_ReplaceItemInObject(cJSON_GetObjectItem(root, "counts"), "housed",
                            cJSON_CreateString("one"));
  text = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  assert_int_equal(bp_report_parse_summary(text, strlen(text), "s.json", &r,
                                           &diag),
                   BP_INVALID);
  assert_true(has_message(&diag, "areas[1].name: missing"));
  assert_true(has_message(&diag, "counts.housed: not a number"));
  assert_int_equal(diag.errors, 2);
  free(text);
  bp_diagnostics_free(&diag);
}

static void page_escapes_and_has_its_parts(void **state) {
  (void)state;
  bp_report r;
  make_report(&r, 1);
  bp_buffer b = {0};
  bp_report_html(&r, BP_LANG_EN, &b);
  const char *html = b.data;
  assert_non_null(strstr(html, "<!DOCTYPE html>"));
  assert_non_null(strstr(html, "<html lang=\"en\">"));
  assert_null(strstr(html, "<script"));
  assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert_non_null(strstr(html, "week &lt;42&gt;"));
  assert_non_null(strstr(html, "Proposed &lt;U1&gt; because &quot;it fits&quot;."));
  assert_non_null(strstr(html, "Kirke &amp; Skole"));
  assert_null(strstr(html, "http://"));
  assert_null(strstr(html, "https://"));
  const char *charts[] = {"map", "area-shares", "school-shares",
                          "daycare-shares", "travel-language_school",
                          "travel-school", "travel-job"};
  for (size_t i = 0; i < sizeof charts / sizeof *charts; i++) {
    char *tag = bp_format("data-chart=\"%s\"", charts[i]);
    assert_non_null(strstr(html, tag));
    free(tag);
  }
  /* The indices with their exact values. */
  assert_non_null(strstr(html, "data-index=\"indices.hhi\" data-value=\"1\""));
  assert_non_null(strstr(html, "data-index=\"indices.dissimilarity.after\" "
                               "data-value=\"0.2421875\">0.24<"));
  assert_non_null(strstr(html, "data-index=\"indices.housed.share\" "
                               "data-value=\"0.5\">50%<"));
  /* An area with no located stop is named under the map. */
  assert_non_null(strstr(html, "Not on the map"));
  /* No work trips: said in words instead of an empty chart. */
  assert_non_null(strstr(html, "No household proposed a home has a workplace"));
  bp_buffer_free(&b);

  /* Danish: Danish words and numbers, the Danish reason. */
  bp_report_html(&r, BP_LANG_DA, &b);
  assert_non_null(strstr(b.data, "<html lang=\"da\">"));
  assert_non_null(strstr(b.data, "data-value=\"0.2421875\">0,24<"));
  assert_non_null(strstr(b.data, "data-value=\"0.5\">50&#160;%<"));
  assert_non_null(strstr(b.data, "Foreslået &lt;U1&gt;, fordi den passer."));
  assert_non_null(strstr(b.data, "Spredningen kort fortalt"));
  bp_buffer_free(&b);
  bp_report_free(&r);
}

static void page_without_coordinates_or_proposals(void **state) {
  (void)state;
  bp_report r;
  make_report(&r, 0);
  /* Nobody housed. */
  for (size_t i = 0; i < r.n_proposals; i++) {
    free(r.proposals[i].household_id);
    free(r.proposals[i].unit_id);
    free(r.proposals[i].kind);
    free(r.proposals[i].reason[0]);
    free(r.proposals[i].reason[1]);
  }
  r.n_proposals = 0;
  r.housed = 0;
  r.indices.hhi = 0;
  bp_buffer b = {0};
  bp_report_html(&r, BP_LANG_EN, &b);
  assert_non_null(strstr(b.data, "gives no coordinates"));
  assert_non_null(strstr(b.data, "No household could be proposed a home"));
  assert_non_null(strstr(b.data, "There are no proposals this week."));
  assert_null(strstr(b.data, "data-chart=\"map\""));
  bp_buffer_free(&b);
  char *geojson = bp_report_geojson(&r);
  cJSON *g = cJSON_Parse(geojson);
  assert_non_null(g);
  assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(g, "features")), 0);
  cJSON_Delete(g);
  free(geojson);
  bp_report_free(&r);
}

static void geojson_points_at_the_stop(void **state) {
  (void)state;
  for (int coordinates = 0; coordinates <= 1; coordinates++) {
    bp_report r;
    make_report(&r, coordinates);
    char *text = bp_report_geojson(&r);
    cJSON *g = cJSON_Parse(text);
    assert_non_null(g);
    assert_string_equal(cJSON_GetObjectItem(g, "type")->valuestring,
                        "FeatureCollection");
    cJSON *features = cJSON_GetObjectItem(g, "features");
    assert_int_equal(cJSON_GetArraySize(features), 1);
    cJSON *f = cJSON_GetArrayItem(features, 0);
    assert_string_equal(cJSON_GetObjectItem(f, "type")->valuestring, "Feature");
    cJSON *geometry = cJSON_GetObjectItem(f, "geometry");
    if (coordinates) {
      assert_string_equal(cJSON_GetObjectItem(geometry, "type")->valuestring,
                          "Point");
      cJSON *c = cJSON_GetObjectItem(geometry, "coordinates");
      assert_near(cJSON_GetArrayItem(c, 0)->valuedouble, 9.32, 1e-12);
      assert_near(cJSON_GetArrayItem(c, 1)->valuedouble, 55.01, 1e-12);
    } else {
      assert_true(cJSON_IsNull(geometry));
    }
    cJSON *p = cJSON_GetObjectItem(f, "properties");
    assert_string_equal(cJSON_GetObjectItem(p, "household_id")->valuestring, "H1");
    assert_string_equal(cJSON_GetObjectItem(p, "stop_name")->valuestring,
                        "Kirke & Skole");
    assert_near(cJSON_GetObjectItem(p, "rent")->valuedouble, 5912.5, 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(p, "minutes_job")));
    assert_near(
        cJSON_GetObjectItem(p, "minutes_language_school")->valuedouble, 12.5, 0);
    cJSON_Delete(g);
    free(text);
    bp_report_free(&r);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dissimilarity_by_hand),
      cmocka_unit_test(hhi_by_hand),
      cmocka_unit_test(caps_and_largest),
      cmocka_unit_test(within_travel_limits),
      cmocka_unit_test(html_escape),
      cmocka_unit_test(summary_reads_back_to_the_same_text),
      cmocka_unit_test(damaged_summary_is_invalid),
      cmocka_unit_test(page_escapes_and_has_its_parts),
      cmocka_unit_test(page_without_coordinates_or_proposals),
      cmocka_unit_test(geojson_points_at_the_stop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
