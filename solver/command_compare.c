/**
 * @file command_compare.c
 * @brief `boplace compare CASE_DIR SCENARIO.json... [-o DIR]`: the case as
 *        it is (the baseline) against what-if scenarios (scenario.h), side
 *        by side: a table in the terminal, compare.csv and compare.html.
 *
 * Every run goes through the same stages as `boplace run`: read the case,
 * apply history.csv, apply the scenario (the baseline has none), derive,
 * solve, explain.  bp_load() in pipeline.c has no place for a scenario
 * between reading and deriving, so load_case() below repeats its few steps
 * with the scenario in between; the baseline goes through load_case() too,
 * so that baseline and scenarios are loaded alike.
 *
 * All runs are loaded and checked before any is solved: a mistake in the
 * third scenario is reported at once, not after two solves.
 *
 * The figures (data/SCENARIOS.md, "What compare shows"):
 *  - households, units and places in the case;
 *  - households and persons housed, of them in transit housing;
 *  - unplaced households by reason code;
 *  - the largest area newcomer share after placement (and where), the
 *    largest share among the areas this run places in, and the
 *    dissimilarity index D after placement (report_indices.h);
 *  - mean and worst one-way trip in minutes, over every trip a rule
 *    applies to (language school, school, daycare, work, health care) of
 *    every household housed;
 *  - mean rent burden, rent / max_rent, of the households housed;
 *  - caps binding: caps that this run's proposals fill while some
 *    household could have used them (as `boplace run` prints them);
 *  - the households whose proposal differs from the baseline's: another
 *    unit, placed or unplaced, or withdrawn by the scenario.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boplace.h"
#include "buffer.h"
#include "command.h"
#include "explain.h"
#include "export.h"
#include "ledger.h"
#include "report.h"
#include "report_indices.h"
#include "scenario.h"

static const char *compare_help =
    "NAME\n"
    "    boplace compare - the case against what-if scenarios, side by side\n"
    "\n"
    "SYNOPSIS\n"
    "    boplace compare CASE_DIR SCENARIO.json... [-o DIR] [--policy FILE]\n"
    "                    [--time-limit S]\n"
    "\n"
    "DESCRIPTION\n"
    "    Runs the case as it is (the baseline) and then each scenario: the same\n"
    "    case with the scenario's changes - policy overrides, an area's cap,\n"
    "    a school's seats, units withdrawn or added, households withdrawn or\n"
    "    added. The scenario file format is in data/SCENARIOS.md; examples\n"
    "    are in data/scenarios/. Each run is solved like 'boplace run'\n"
    "    (history.csv included); the case files are never changed.\n"
    "\n"
    "    Prints a table with one row per figure and one column per run, and\n"
    "    writes it as DIR/compare.csv (one row per figure, one column per\n"
    "    run, ',' and '.' decimals) and DIR/compare.html (the table, a bar\n"
    "    chart per figure, the changed proposals; one self-contained file).\n"
    "\n"
    "FIGURES\n"
    "    households, units, places     what the case holds\n"
    "    households_housed, persons_housed, housed_in_transit\n"
    "    unplaced_*                    unplaced households by reason code\n"
    "    largest_area_share            the largest area newcomer share after\n"
    "                                  placement, and largest_area, its name\n"
    "    largest_share_where_placed    the same among the areas the run\n"
    "                                  places in\n"
    "    dissimilarity_index           D = 1/2 sum_a |n_a/n - (N_a-n_a)/(N-n)|\n"
    "                                  after placement (n newcomer households,\n"
    "                                  N all households)\n"
    "    mean_travel_minutes           mean one-way trip of the households\n"
    "                                  housed, over every trip a rule applies\n"
    "                                  to (language school, school, daycare,\n"
    "                                  work, health care)\n"
    "    worst_travel_minutes          the longest of those trips\n"
    "    mean_rent_burden              mean rent / max_rent of those housed\n"
    "    caps_binding                  caps the proposals fill while some\n"
    "                                  household could have used them, and\n"
    "                                  caps_binding_list, which\n"
    "    proposals_changed             households whose unit differs from the\n"
    "                                  baseline (another unit, housed or not,\n"
    "                                  withdrawn), and changed_households\n"
    "\n"
    "OPTIONS\n"
    "    -o, --out DIR     where to write compare.csv and compare.html\n"
    "                      (default: out; created if missing).\n"
    "    --policy FILE     the baseline's policy instead of\n"
    "                      CASE_DIR/policy.json; scenarios start from it too.\n"
    "    --time-limit S    solver time limit per run, seconds (overrides the\n"
    "                      policy and the scenarios).\n"
    "\n"
    "EXIT STATUS\n"
    "    0  done; 1 wrong usage; 2 the case or a scenario is invalid (every\n"
    "    problem listed, nothing written); 3 a solver or write failure.\n"
    "\n"
    "EXAMPLE\n"
    "    boplace compare data/sample data/scenarios/tighter_caps.json \\\n"
    "        data/scenarios/more_flats_in_town.json -o out\n";

static int usage(const char *message, const char *detail) {
  return bp_command_usage("boplace compare", message, detail);
}

/* ------------------------------------------------------------------ */
/* The figures                                                         */
/* ------------------------------------------------------------------ */

typedef enum {
  F_HOUSEHOLDS, F_UNITS, F_PLACES, F_HOUSED, F_PERSONS, F_TRANSIT,
  F_NO_ELIGIBLE, F_OUTCOMPETED, F_CAP_BINDING, F_GROUP, F_LOCK,
  F_LARGEST, F_LARGEST_AREA, F_LARGEST_PLACED, F_LARGEST_PLACED_AREA,
  F_DISSIMILARITY, F_MEAN_TRIP, F_WORST_TRIP, F_RENT_BURDEN,
  F_CAPS, F_CAPS_LIST, F_CHANGED, F_CHANGED_LIST, F_COUNT
} figure_id;

typedef enum { K_INT, K_SHARE, K_INDEX, K_MINUTES, K_RATIO, K_TEXT } figure_kind;

static const struct {
  const char *key;
  const char *label;
  figure_kind kind;
} figure_specs[F_COUNT] = {
    {"households", "Households in the case", K_INT},
    {"units", "Units offered", K_INT},
    {"places", "Places offered", K_INT},
    {"households_housed", "Households housed", K_INT},
    {"persons_housed", "Persons housed", K_INT},
    {"housed_in_transit", "  of them in transit housing", K_INT},
    {"unplaced_no_eligible_unit", "Unplaced: NO_ELIGIBLE_UNIT", K_INT},
    {"unplaced_outcompeted", "Unplaced: OUTCOMPETED", K_INT},
    {"unplaced_cap_binding", "Unplaced: CAP_BINDING", K_INT},
    {"unplaced_group", "Unplaced: GROUP", K_INT},
    {"unplaced_lock", "Unplaced: LOCK", K_INT},
    {"largest_area_share", "Largest area newcomer share", K_SHARE},
    {"largest_area", "  in area", K_TEXT},
    {"largest_share_where_placed", "Largest share where placed", K_SHARE},
    {"largest_area_where_placed", "  in area", K_TEXT},
    {"dissimilarity_index", "Dissimilarity index D", K_INDEX},
    {"mean_travel_minutes", "Mean trip (minutes)", K_MINUTES},
    {"worst_travel_minutes", "Worst trip (minutes)", K_MINUTES},
    {"mean_rent_burden", "Mean rent burden (rent/max)", K_RATIO},
    {"caps_binding", "Caps binding", K_INT},
    {"caps_binding_list", "  which", K_TEXT},
    {"proposals_changed", "Proposals changed vs baseline", K_INT},
    {"changed_households", "  which", K_TEXT},
};

typedef struct {
  char *name;                /* "baseline" or the scenario's name */
  const bp_scenario *scenario; /* NULL for the baseline */
  bp_run run;
  int loaded;                /* run holds a case (to be freed) */
  double number[F_COUNT];    /* NAN where a figure is text or unknown */
  char *text[F_COUNT];       /* the text figures; NULL otherwise */
} compare_run;

static double mean_or_nan(double sum, int n) { return n ? sum / n : NAN; }

/* The caps that decided the outcome (explain.h), the same list that
 * `boplace run` prints (main.c): the council's question "which rules
 * bit?". */
static int binding_caps(const bp_run *run, const bp_tally *tally,
                        char **list) {
  static const char *const what[] = {
      [BP_CAP_NEWCOMER_SHARE] = "newcomer share",
      [BP_CAP_FREE_SEATS] = "free seats",
      [BP_CAP_FREE_PLACES] = "free places",
      [BP_CAP_BILINGUAL_SHARE] = "bilingual share",
      [BP_CAP_BUILDING_LIMIT] = "building limit"};
  bp_binding_cap *caps;
  size_t n = bp_binding_caps(&run->kase, &run->derived, tally, &caps);
  bp_buffer b = {0};
  for (size_t i = 0; i < n; i++)
    bp_buffer_printf(&b, "%s%s (%s)", i ? "; " : "", caps[i].name,
                     what[caps[i].kind]);
  free(caps);
  *list = bp_buffer_take(&b);
  return (int)n;
}

static void compute_figures(compare_run *r) {
  const bp_run *run = &r->run;
  const bp_case *k = &run->kase;
  const bp_derived *d = &run->derived;
  for (int f = 0; f < F_COUNT; f++)
    r->number[f] = NAN;
  bp_tally tally;
  bp_tally_build(k, d, &run->solution, &tally);
  bp_spread_indices spread;
  bp_spread_indices_of_run(run, &tally, &spread);

  int places = 0;
  for (size_t u = 0; u < k->n_units; u++)
    places += k->units[u].places;
  int housed = 0, persons = 0, transit = 0, trips = 0;
  int by_reason[BP_REASON_LOCK + 1] = {0};
  double trip_sum = 0, worst = NAN, burden_sum = 0;
  for (size_t h = 0; h < k->n_households; h++) {
    long c = bp_placed_candidate(&run->solution, (int)h);
    if (c < 0) {
      by_reason[run->explanation.households[h].code]++;
      continue;
    }
    bp_pair_figures figures;
    bp_candidate_figures(k, d, (size_t)c, &figures);
    const bp_pair_figures *pair = &figures;
    housed++;
    persons += bp_persons(&k->households[h]);
    transit += k->units[pair->unit].kind == BP_UNIT_TRANSIT;
    burden_sum += pair->rent_burden;
    const double minutes[] = {pair->minutes_language_school,
                              pair->minutes_school, pair->minutes_daycare,
                              pair->minutes_job, pair->minutes_health};
    for (size_t m = 0; m < sizeof minutes / sizeof *minutes; m++) {
      if (!isfinite(minutes[m]))
        continue; /* NAN: the rule does not apply */
      trip_sum += minutes[m];
      trips++;
      if (isnan(worst) || minutes[m] > worst)
        worst = minutes[m];
    }
  }
  double largest_placed = NAN;
  long largest_placed_area = -1;
  for (size_t a = 0; a < k->n_areas; a++) {
    if (tally.area_placed[a] == 0)
      continue;
    double share = bp_area_share_after(k, &tally, (int)a);
    if (largest_placed_area < 0 || share > largest_placed) {
      largest_placed = share;
      largest_placed_area = (long)a;
    }
  }

  r->number[F_HOUSEHOLDS] = (double)k->n_households;
  r->number[F_UNITS] = (double)k->n_units;
  r->number[F_PLACES] = places;
  r->number[F_HOUSED] = housed;
  r->number[F_PERSONS] = persons;
  r->number[F_TRANSIT] = transit;
  r->number[F_NO_ELIGIBLE] = by_reason[BP_REASON_NO_ELIGIBLE_UNIT];
  r->number[F_OUTCOMPETED] = by_reason[BP_REASON_OUTCOMPETED];
  r->number[F_CAP_BINDING] = by_reason[BP_REASON_CAP_BINDING];
  r->number[F_GROUP] = by_reason[BP_REASON_GROUP];
  r->number[F_LOCK] = by_reason[BP_REASON_LOCK];
  if (spread.largest_area >= 0) {
    r->number[F_LARGEST] = spread.largest_area_share;
    r->text[F_LARGEST_AREA] = bp_strdup(k->areas[spread.largest_area].name);
  } else {
    r->text[F_LARGEST_AREA] = bp_strdup("");
  }
  r->number[F_LARGEST_PLACED] = largest_placed;
  r->text[F_LARGEST_PLACED_AREA] = bp_strdup(
      largest_placed_area >= 0 ? k->areas[largest_placed_area].name : "");
  r->number[F_DISSIMILARITY] = spread.dissimilarity_after;
  r->number[F_MEAN_TRIP] = mean_or_nan(trip_sum, trips);
  r->number[F_WORST_TRIP] = worst;
  r->number[F_RENT_BURDEN] = mean_or_nan(burden_sum, housed);
  r->number[F_CAPS] = binding_caps(run, &tally, &r->text[F_CAPS_LIST]);
  bp_tally_free(&tally);
}

/* The unit of household h in a run, or NULL when unplaced. */
static const char *unit_of(const bp_run *run, int h) {
  long c = bp_placed_candidate(&run->solution, h);
  return c < 0 ? NULL
               : run->kase.units[run->derived.candidates[c].unit].id;
}

/* Households of the baseline whose proposal differs in the scenario. */
static void compare_with_baseline(compare_run *r, const compare_run *base) {
  const bp_case *kb = &base->run.kase;
  bp_buffer b = {0};
  int changed = 0;
  for (size_t h = 0; h < kb->n_households; h++) {
    const char *id = kb->households[h].id;
    const char *before = unit_of(&base->run, (int)h);
    int hs = bp_case_find_household(&r->run.kase, id);
    const char *after = hs >= 0 ? unit_of(&r->run, hs) : NULL;
    int same = hs >= 0 && ((!before && !after) ||
                           (before && after && strcmp(before, after) == 0));
    if (same)
      continue;
    bp_buffer_printf(&b, "%s%s (%s -> %s)", changed++ ? "; " : "", id,
                     before ? before : "unplaced",
                     hs < 0 ? "withdrawn" : after ? after : "unplaced");
  }
  r->number[F_CHANGED] = changed;
  r->text[F_CHANGED_LIST] = bp_buffer_take(&b);
}

/* A figure as text: machine form for the CSV (plain numbers), or human
 * form for the table and the page (shares as percentages). */
static void format_figure(const compare_run *r, int f, int human, char *out,
                          size_t size) {
  double v = r->number[f];
  figure_kind kind = figure_specs[f].kind;
  if (kind == K_TEXT) {
    snprintf(out, size, "%s", r->text[f] ? r->text[f] : "");
    return;
  }
  if (isnan(v)) {
    snprintf(out, size, human ? "-" : "");
    return;
  }
  switch (kind) {
  case K_INT: snprintf(out, size, "%.0f", v); break;
  case K_SHARE:
    if (human)
      snprintf(out, size, "%.2f%%", 100 * v);
    else
      snprintf(out, size, "%.4f", v);
    break;
  case K_INDEX: snprintf(out, size, "%.4f", v); break;
  case K_MINUTES: snprintf(out, size, "%.1f", v); break;
  case K_RATIO: snprintf(out, size, "%.3f", v); break;
  case K_TEXT: break;
  }
}

/* ------------------------------------------------------------------ */
/* Loading and solving                                                 */
/* ------------------------------------------------------------------ */

typedef struct {
  const char *case_dir;
  const char *out_dir;
  const char *policy;
  double time_limit;
} compare_options;

/* bp_load() with the scenario between reading and deriving (see the top of
 * the file). */
static bp_status load_case(const compare_options *o, const bp_scenario *sc,
                           bp_run *run) {
  memset(run, 0, sizeof *run);
  bp_status status = bp_read_case(o->case_dir, o->policy, &run->kase,
                                  &run->diagnostics);
  if (status == BP_OK)
    status = bp_apply_ledger(&run->kase, &run->diagnostics);
  if (status == BP_OK && sc)
    status = bp_scenario_apply(sc, &run->kase, &run->diagnostics);
  if (status == BP_OK && o->time_limit > 0)
    run->kase.policy.time_limit_s = o->time_limit;
  if (status == BP_OK)
    status = bp_derive(&run->kase, &run->derived, &run->diagnostics);
  return status;
}

static int same_diagnostic(const bp_diagnostic *a, const bp_diagnostic *b) {
  return a->severity == b->severity && a->line == b->line &&
         a->column == b->column && strcmp(a->message, b->message) == 0 &&
         ((!a->file && !b->file) ||
          (a->file && b->file && strcmp(a->file, b->file) == 0));
}

/* Prints a run's messages; for a scenario, only those the baseline did not
 * have already (every run reads the same case and would repeat them). */
static void print_messages(compare_run *r, const compare_run *base) {
  bp_diagnostics *d = &r->run.diagnostics;
  bp_diagnostics_sort(d);
  bp_diagnostics shown = {0};
  for (size_t i = 0; i < d->count; i++) {
    int seen = 0;
    if (base && base != r)
      for (size_t j = 0; j < base->run.diagnostics.count && !seen; j++)
        seen = same_diagnostic(&d->items[i], &base->run.diagnostics.items[j]);
    if (seen)
      continue;
    const bp_diagnostic *x = &d->items[i];
    if (x->severity == BP_SEVERITY_ERROR)
      bp_error(&shown, x->file, x->line, x->column, "%s", x->message);
    else
      bp_warning(&shown, x->file, x->line, x->column, "%s", x->message);
  }
  if (shown.count && r->scenario)
    fprintf(stderr, "boplace compare: in scenario '%s' (%s):\n", r->name,
            bp_scenario_path(r->scenario));
  bp_diagnostics_print(&shown, stderr);
  bp_diagnostics_free(&shown);
}

/* ------------------------------------------------------------------ */
/* Output: the terminal table, compare.csv, compare.html               */
/* ------------------------------------------------------------------ */

static int width_of(const char *text) {
  int w = 0;
  for (const char *p = text; *p; p++)
    w += ((unsigned char)*p & 0xC0) != 0x80;
  return w;
}

static void print_padded(const char *text, int width, int right) {
  int pad = width - width_of(text);
  if (pad < 0)
    pad = 0;
  if (right)
    printf("%*s%s", pad, "", text);
  else
    printf("%s%*s", text, pad, "");
}

/* Text figures too long for a column are listed below the table. */
static int in_table(int f) {
  return f != F_CAPS_LIST && f != F_CHANGED_LIST;
}

static void print_table(compare_run *runs, size_t n, const char *case_dir) {
  char cell[256];
  int label_width = 0;
  for (int f = 0; f < F_COUNT; f++)
    if (in_table(f) && width_of(figure_specs[f].label) > label_width)
      label_width = width_of(figure_specs[f].label);
  int *widths = bp_alloc(n * sizeof *widths);
  for (size_t r = 0; r < n; r++) {
    widths[r] = width_of(runs[r].name);
    for (int f = 0; f < F_COUNT; f++) {
      if (!in_table(f))
        continue;
      format_figure(&runs[r], f, 1, cell, sizeof cell);
      if (width_of(cell) > widths[r])
        widths[r] = width_of(cell);
    }
  }
  printf("Compare: %s, baseline and %zu scenario%s\n\n", case_dir, n - 1,
         n == 2 ? "" : "s");
  print_padded("", label_width, 0);
  for (size_t r = 0; r < n; r++) {
    printf("  ");
    print_padded(runs[r].name, widths[r], 1);
  }
  printf("\n");
  for (int f = 0; f < F_COUNT; f++) {
    if (!in_table(f))
      continue;
    print_padded(figure_specs[f].label, label_width, 0);
    for (size_t r = 0; r < n; r++) {
      format_figure(&runs[r], f, 1, cell, sizeof cell);
      printf("  ");
      print_padded(cell, widths[r], 1);
    }
    printf("\n");
  }
  free(widths);
  printf("\nCaps binding:\n");
  for (size_t r = 0; r < n; r++)
    printf("  %s: %s\n", runs[r].name,
           runs[r].text[F_CAPS_LIST][0] ? runs[r].text[F_CAPS_LIST] : "none");
  printf("Proposals changed against the baseline (household: baseline -> "
         "scenario):\n");
  for (size_t r = 1; r < n; r++)
    printf("  %s: %s\n", runs[r].name,
           runs[r].text[F_CHANGED_LIST][0] ? runs[r].text[F_CHANGED_LIST]
                                           : "none");
}

static char *compare_csv(const compare_run *runs, size_t n) {
  bp_buffer b = {0};
  char cell[4096];
  bp_buffer_append(&b, "figure");
  for (size_t r = 0; r < n; r++) {
    bp_buffer_append(&b, ",");
    bp_buffer_csv_field(&b, runs[r].name);
  }
  bp_buffer_append(&b, "\n");
  for (int f = 0; f < F_COUNT; f++) {
    bp_buffer_append(&b, figure_specs[f].key);
    for (size_t r = 0; r < n; r++) {
      bp_buffer_append(&b, ",");
      if (figure_specs[f].kind == K_TEXT) {
        bp_buffer_csv_field(&b, runs[r].text[f] ? runs[r].text[f] : "");
      } else {
        format_figure(&runs[r], f, 0, cell, sizeof cell);
        bp_buffer_csv_field(&b, cell);
      }
    }
    bp_buffer_append(&b, "\n");
  }
  return bp_buffer_take(&b);
}

static const char *const colours[] = {"#7f8c8d", "#2c6e9b", "#d98c1f",
                                      "#27ae60", "#8e44ad", "#c0392b",
                                      "#16a085", "#b7950b"};
#define N_COLOURS (sizeof colours / sizeof *colours)

static const char *colour_of(size_t r) {
  return r == 0 ? colours[0] : colours[1 + (r - 1) % (N_COLOURS - 1)];
}

/* One horizontal bar per run, scaled to the largest value of the figure. */
static void bar_chart(bp_buffer *b, const compare_run *runs, size_t n, int f) {
  enum { LABEL = 150, BAR = 190, VALUE = 70, ROW = 20 };
  double max = 0;
  for (size_t r = 0; r < n; r++)
    if (!isnan(runs[r].number[f]) && runs[r].number[f] > max)
      max = runs[r].number[f];
  int height = (int)n * ROW + 6;
  bp_buffer_append(b, "<figure><figcaption>");
  const char *label = figure_specs[f].label;
  while (*label == ' ')
    label++;
  bp_html_escape(b, label);
  bp_buffer_printf(b, " <code>%s</code></figcaption>\n", figure_specs[f].key);
  bp_buffer_printf(b,
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
                   "%d %d\" width=\"%d\" height=\"%d\" role=\"img\">\n",
                   LABEL + BAR + VALUE, height, LABEL + BAR + VALUE, height);
  for (size_t r = 0; r < n; r++) {
    double v = runs[r].number[f];
    double width = !isnan(v) && max > 0 ? BAR * v / max : 0;
    int y = (int)r * ROW + 3;
    char cell[64];
    format_figure(&runs[r], f, 1, cell, sizeof cell);
    bp_buffer_printf(b, "<text x=\"%d\" y=\"%d\" class=\"name\" "
                        "text-anchor=\"end\">",
                     LABEL - 6, y + 13);
    bp_html_escape(b, runs[r].name);
    bp_buffer_printf(b,
                     "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
                     "height=\"%d\" fill=\"%s\"/><text x=\"%.1f\" y=\"%d\" "
                     "class=\"value\">%s</text>\n",
                     LABEL, y, width, ROW - 5, colour_of(r), LABEL + width + 4,
                     y + 13, cell);
  }
  bp_buffer_append(b, "</svg></figure>\n");
}

static char *compare_html(const compare_run *runs, size_t n,
                          const char *case_dir) {
  bp_buffer b = {0};
  char cell[4096];
  bp_buffer_append(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
                       "charset=\"utf-8\">\n<title>boplace compare: ");
  bp_html_escape(&b, case_dir);
  bp_buffer_append(
      &b,
      "</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:2em;max-width:72em;"
      "color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0}\n"
      "th,td{padding:.25em .7em;border-bottom:1px solid #ddd;"
      "text-align:right;vertical-align:top}\n"
      "th:first-child,td:first-child{text-align:left}\n"
      "td.text{text-align:left;font-size:.9em;max-width:22em}\n"
      "td.detail{padding-left:2em;color:#555}\n"
      "code{font-size:.85em;color:#555}\n"
      ".charts{display:flex;flex-wrap:wrap;gap:.5em 2em}\n"
      "figure{margin:.6em 0}figcaption{font-weight:600;margin-bottom:.3em}\n"
      "svg .name{font-size:12px;fill:#333}svg .value{font-size:12px;"
      "fill:#222}\n"
      ".swatch{display:inline-block;width:.9em;height:.9em;"
      "margin-right:.4em;vertical-align:-.1em}\n"
      "p.note{color:#555;font-size:.9em}\n"
      "</style>\n</head>\n<body>\n<h1>What-if comparison</h1>\n<p>Case "
      "<code>");
  bp_html_escape(&b, case_dir);
  bp_buffer_append(&b, "</code>: the baseline is the case as it is; each "
                       "scenario is the same case with its changes.</p>\n"
                       "<ul>\n");
  for (size_t r = 0; r < n; r++) {
    bp_buffer_printf(&b, "<li><span class=\"swatch\" style=\"background:%s\">"
                         "</span><strong>",
                     colour_of(r));
    bp_html_escape(&b, runs[r].name);
    bp_buffer_append(&b, "</strong>");
    if (runs[r].scenario) {
      const char *description = bp_scenario_description(runs[r].scenario);
      if (description) {
        bp_buffer_append(&b, ": ");
        bp_html_escape(&b, description);
      }
      bp_buffer_append(&b, " <code>");
      bp_html_escape(&b, bp_scenario_path(runs[r].scenario));
      bp_buffer_append(&b, "</code>");
    } else {
      bp_buffer_append(&b, ": the case as it is");
    }
    bp_buffer_append(&b, "</li>\n");
  }
  bp_buffer_append(&b, "</ul>\n<h2>Figures</h2>\n<table>\n<tr><th>figure</th>");
  for (size_t r = 0; r < n; r++) {
    bp_buffer_append(&b, "<th>");
    bp_html_escape(&b, runs[r].name);
    bp_buffer_append(&b, "</th>");
  }
  bp_buffer_append(&b, "</tr>\n");
  for (int f = 0; f < F_COUNT; f++) {
    /* "  in area", "  which": a detail of the figure above, indented. */
    const char *label = figure_specs[f].label;
    int detail = label[0] == ' ';
    while (*label == ' ')
      label++;
    bp_buffer_append(&b, detail ? "<tr><td class=\"detail\">" : "<tr><td>");
    bp_html_escape(&b, label);
    bp_buffer_printf(&b, " <code>%s</code></td>", figure_specs[f].key);
    for (size_t r = 0; r < n; r++) {
      format_figure(&runs[r], f, 1, cell, sizeof cell);
      bp_buffer_append(&b, figure_specs[f].kind == K_TEXT ? "<td class=\"text\">"
                                                          : "<td>");
      bp_html_escape(&b, cell);
      bp_buffer_append(&b, "</td>");
    }
    bp_buffer_append(&b, "</tr>\n");
  }
  bp_buffer_append(&b, "</table>\n<h2>Charts</h2>\n<div class=\"charts\">\n");
  for (int f = 0; f < F_COUNT; f++)
    if (figure_specs[f].kind != K_TEXT)
      bar_chart(&b, runs, n, f);
  bp_buffer_append(&b, "</div>\n<h2>Proposals changed against the "
                       "baseline</h2>\n");
  for (size_t r = 1; r < n; r++) {
    bp_buffer_append(&b, "<h3>");
    bp_html_escape(&b, runs[r].name);
    bp_buffer_printf(&b, ": %.0f household%s</h3>\n", runs[r].number[F_CHANGED],
                     runs[r].number[F_CHANGED] == 1 ? "" : "s");
    if (runs[r].number[F_CHANGED] > 0) {
      bp_buffer_append(&b, "<p>");
      bp_html_escape(&b, runs[r].text[F_CHANGED_LIST]);
      bp_buffer_append(&b, "</p>\n");
    }
  }
  bp_buffer_append(
      &b,
      "<p class=\"note\">Shares are after all of a run's placements. D = "
      "&frac12; &Sigma;<sub>a</sub> |n<sub>a</sub>/n &minus; (N<sub>a</sub> "
      "&minus; n<sub>a</sub>)/(N &minus; n)| over the areas, n = newcomer "
      "households, N = all households: 0 is an even spread, 1 complete "
      "separation. Trips are one way, over every trip a rule applies to "
      "(language school, school, daycare, work, health care). Rent burden is "
      "rent / max_rent. A cap binds when the proposals fill it while some "
      "household could have used it.</p>\n</body>\n</html>\n");
  return bp_buffer_take(&b);
}

static bp_status write_outputs(const char *dir, const char *csv,
                               const char *html, bp_diagnostics *diag) {
  struct stat st;
  if (stat(dir, &st) != 0) {
    if (errno != ENOENT || mkdir(dir, 0700) != 0) {
      bp_error(diag, dir, 0, 0, "cannot create the output directory: %s",
               strerror(errno));
      return BP_FAILURE;
    }
  } else if (!S_ISDIR(st.st_mode)) {
    bp_error(diag, dir, 0, 0, "cannot write the outputs here: not a directory");
    return BP_FAILURE;
  }
  char *path = bp_format("%s/compare.csv", dir);
  bp_status status = bp_write_file_atomically(path, csv, strlen(csv), diag);
  free(path);
  if (status == BP_OK) {
    path = bp_format("%s/compare.html", dir);
    status = bp_write_file_atomically(path, html, strlen(html), diag);
    free(path);
  }
  return status;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */
/* ------------------------------------------------------------------ */

int bp_command_compare(int argc, char **argv) {
  compare_options o = {NULL, "out", NULL, -1};
  const char **paths = bp_calloc((size_t)argc + 1, sizeof *paths);
  size_t n_paths = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(compare_help, stdout);
      free(paths);
      return 0;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
      bad = !value ? usage("-o needs a directory", NULL) : 0;
      o.out_dir = value;
      i++;
    } else if (strcmp(a, "--policy") == 0) {
      bad = !value ? usage("--policy needs a file", NULL) : 0;
      o.policy = value;
      i++;
    } else if (strcmp(a, "--time-limit") == 0) {
      char *end = NULL;
      double s = value ? strtod(value, &end) : NAN;
      if (!value || *end || !(s > 0) || !isfinite(s))
        bad = usage("--time-limit takes a number of seconds > 0", NULL);
      o.time_limit = s;
      i++;
    } else if (a[0] == '-' && a[1]) {
      bad = usage("unknown option: ", a);
    } else if (!o.case_dir) {
      o.case_dir = a;
    } else {
      paths[n_paths++] = a;
    }
    if (bad) {
      free(paths);
      return bad;
    }
  }
  if (!o.case_dir || n_paths == 0) {
    free(paths);
    return usage(o.case_dir ? "needs at least one SCENARIO.json"
                            : "needs a CASE_DIR and at least one SCENARIO.json",
                 NULL);
  }

  /* Read every scenario first: a syntax error anywhere stops at once. */
  bp_diagnostics diag = {0};
  bp_scenario **scenarios = bp_calloc(n_paths, sizeof *scenarios);
  for (size_t s = 0; s < n_paths; s++)
    bp_scenario_read(paths[s], &scenarios[s], &diag);
  bp_status status = diag.errors ? BP_INVALID : BP_OK;
  bp_diagnostics_sort(&diag);
  bp_diagnostics_print(&diag, stderr);

  size_t n = n_paths + 1;
  compare_run *runs = bp_calloc(n, sizeof *runs);
  for (size_t r = 0; r < n && status == BP_OK; r++) {
    runs[r].scenario = r ? scenarios[r - 1] : NULL;
    const char *name = r ? bp_scenario_name(runs[r].scenario) : "baseline";
    /* Names head the columns: keep them apart. */
    int repeats = 0;
    for (size_t q = 0; q < r; q++)
      repeats += strcmp(q ? bp_scenario_name(scenarios[q - 1]) : "baseline",
                        name) == 0;
    runs[r].name = repeats ? bp_format("%s (%d)", name, repeats + 1)
                           : bp_strdup(name);
  }
  /* Load every run; solve none until all are good. */
  size_t errors = 0;
  for (size_t r = 0; r < n && status == BP_OK; r++) {
    runs[r].loaded = 1;
    if (load_case(&o, runs[r].scenario, &runs[r].run) != BP_OK)
      errors++;
    print_messages(&runs[r], &runs[0]);
  }
  if (status == BP_OK && errors) {
    status = BP_INVALID;
    fprintf(stderr, "boplace compare: the case or a scenario is invalid; "
                    "nothing was written.\n");
  }
  for (size_t r = 0; r < n && status == BP_OK; r++) {
    fprintf(stderr, "boplace compare: solving %s (%zu of %zu)\n", runs[r].name,
            r + 1, n);
    size_t before = runs[r].run.diagnostics.count;
    status = bp_solve_and_explain(&runs[r].run);
    /* Only what the solve added: the load's messages are printed. */
    bp_diagnostics tail = runs[r].run.diagnostics;
    tail.items += before;
    tail.count -= before;
    bp_diagnostics_print(&tail, stderr);
    if (status != BP_OK) {
      fprintf(stderr, "boplace compare: %s could not be solved; nothing was "
                      "written.\n",
              runs[r].name);
    }
  }
  if (status == BP_OK) {
    for (size_t r = 0; r < n; r++) {
      compute_figures(&runs[r]);
      if (r == 0) {
        runs[r].number[F_CHANGED] = 0;
        runs[r].text[F_CHANGED_LIST] = bp_strdup("");
      } else {
        compare_with_baseline(&runs[r], &runs[0]);
      }
    }
    print_table(runs, n, o.case_dir);
    char *csv = compare_csv(runs, n);
    char *html = compare_html(runs, n, o.case_dir);
    bp_diagnostics out = {0};
    status = write_outputs(o.out_dir, csv, html, &out);
    bp_diagnostics_print(&out, stderr);
    bp_diagnostics_free(&out);
    if (status == BP_OK)
      printf("Outputs: %s/compare.csv, %s/compare.html\n", o.out_dir,
             o.out_dir);
    free(csv);
    free(html);
  }

  for (size_t r = 0; r < n; r++) {
    if (runs[r].loaded)
      bp_run_free(&runs[r].run);
    for (int f = 0; f < F_COUNT; f++)
      free(runs[r].text[f]);
    free(runs[r].name);
  }
  free(runs);
  for (size_t s = 0; s < n_paths; s++)
    bp_scenario_free(scenarios[s]);
  free(scenarios);
  free(paths);
  bp_diagnostics_free(&diag);
  return status;
}
