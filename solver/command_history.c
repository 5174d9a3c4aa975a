/**
 * @file command_history.c
 * @brief `boplace history CASE_DIR [-o DIR]`: the accepted placements of
 *        CASE_DIR/history.csv week by week, as a table in the terminal and
 *        as history.html with charts.
 *
 * Per week (the ledger's `week`, or its batch number when accept was given
 * no week), in the order the weeks were accepted:
 *  - households housed permanently, their persons, and households moved
 *    into transit housing;
 *  - days from arrival to a permanent home: the household's waiting_days
 *    when it was accepted into a permanent unit.  waiting_days counts the
 *    days waited for a permanent home (SPEC.md), so time spent in transit
 *    housing is part of it; the ledger knows nothing else, and nothing else
 *    is added.  Median, and the share housed within 180 days (six months:
 *    Rebild's target is 70 %);
 *  - the spread after the week: the dissimilarity index and the largest
 *    area newcomer share (report_indices.h), from areas.csv as the state
 *    before the ledger plus every permanent placement up to that week.
 * A last line sums up all weeks.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boplace.h"
#include "buffer.h"
#include "command.h"
#include "export.h"
#include "ledger.h"
#include "report.h"
#include "report_indices.h"
#include "scenario.h"

/** Six months, in days: Rebild's target (70 % settled permanently within
 *  6 months, seeds/003) and DOMAIN.md's "57 % within six months". */
#define PERMANENT_WITHIN_DAYS 180
#define REBILD_TARGET 0.70

static const char *history_help =
    "NAME\n"
    "    boplace history - the accepted placements of a case, week by week\n"
    "\n"
    "SYNOPSIS\n"
    "    boplace history CASE_DIR [-o DIR]\n"
    "\n"
    "DESCRIPTION\n"
    "    Reads CASE_DIR/history.csv, the ledger that 'boplace accept' writes,\n"
    "    and CASE_DIR/areas.csv, and prints one line per week (the week given\n"
    "    to accept, or the batch number when none was given):\n"
    "\n"
    "    housed       households accepted into a permanent home that week\n"
    "    persons      their persons\n"
    "    transit      households accepted into transit housing that week\n"
    "    median days  median days from arrival to a permanent home, of the\n"
    "                 households housed that week\n"
    "    <=180 days   the share of them housed within 180 days (Rebild's\n"
    "                 target: 70 % within six months)\n"
    "    D            dissimilarity index of newcomer households against the\n"
    "                 other households across areas, after the week\n"
    "    largest      the largest area newcomer share after the week, and\n"
    "                 the area\n"
    "\n"
    "    and a last line for all weeks together.\n"
    "\n"
    "    Days from arrival to a permanent home are the household's\n"
    "    waiting_days when it was accepted into a permanent unit. They count\n"
    "    the days waited for a permanent home, so time in transit housing is\n"
    "    included; nothing else is known, so nothing else is added.\n"
    "\n"
    "    The spread is computed from areas.csv as the state before the first\n"
    "    accepted placement, plus every permanent placement up to and\n"
    "    including the week (households and newcomer households +1 each).\n"
    "\n"
    "OPTIONS\n"
    "    -o, --out DIR   also write DIR/history.html: the table and charts of\n"
    "                    households housed, the share within 180 days and\n"
    "                    the spread over time (one self-contained file, no\n"
    "                    scripts). DIR is created if missing.\n"
    "\n"
    "EXIT STATUS\n"
    "    0  done (also when nothing has been accepted yet); 1 wrong usage;\n"
    "    2 history.csv or the case is invalid; 3 history.html could not be\n"
    "    written.\n";

static int usage(const char *message, const char *detail) {
  return bp_command_usage("boplace history", message, detail);
}

/* One week of the history. */
typedef struct {
  char *label;        /* "2026-W45" or "batch 3" */
  int first_batch;
  int housed, persons, transit;
  int *days; size_t n_days; /* waiting_days of those housed permanently */
  double median_days; /* NAN when none housed */
  double within_share; /* share of days <= 180; NAN when none housed */
  double cumulative_within; /* the same over all weeks so far */
  double dissimilarity;
  double largest_share;
  const char *largest_area;
} week_summary;

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static double median(int *values, size_t n) {
  if (n == 0)
    return NAN;
  qsort(values, n, sizeof *values, compare_ints);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

static double within(const int *values, size_t n) {
  if (n == 0)
    return NAN;
  size_t count = 0;
  for (size_t i = 0; i < n; i++)
    count += values[i] <= PERMANENT_WITHIN_DAYS;
  return (double)count / (double)n;
}

static char *week_label(const bp_ledger_row *r) {
  return r->week ? bp_strdup(r->week) : bp_format("batch %d", r->batch);
}

/* The weeks of the ledger, in the order of their first batch, after an
 * entry "before" that holds the spread of areas.csv as it is. */
static week_summary *summarise(const bp_ledger *l, const bp_case *k,
                               size_t *n_weeks, bp_diagnostics *diag) {
  week_summary *weeks = bp_calloc(l->n_rows + 1, sizeof *weeks);
  size_t n = 0;
  int *week_of_row = bp_alloc((l->n_rows + 1) * sizeof *week_of_row);
  for (size_t r = 0; r < l->n_rows; r++) {
    char *label = week_label(&l->rows[r]);
    size_t w = 0;
    while (w < n && strcmp(weeks[w].label, label) != 0)
      w++;
    if (w == n) {
      weeks[n].label = label;
      weeks[n].first_batch = l->rows[r].batch;
      weeks[n].days = bp_alloc((l->n_rows + 1) * sizeof *weeks[n].days);
      n++;
    } else {
      free(label);
      if (l->rows[r].batch < weeks[w].first_batch)
        weeks[w].first_batch = l->rows[r].batch;
    }
    week_of_row[r] = (int)w;
  }
  /* Order by first batch (stable: a simple insertion sort, few weeks). */
  int *rank = bp_alloc((n + 1) * sizeof *rank);
  size_t *order = bp_alloc((n + 1) * sizeof *order);
  for (size_t i = 0; i < n; i++) {
    size_t j = i;
    while (j > 0 && weeks[order[j - 1]].first_batch > weeks[i].first_batch) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  for (size_t i = 0; i < n; i++)
    rank[order[i]] = (int)i;
  /* sorted[0] is the state before the ledger; the weeks follow. */
  week_summary *sorted = bp_calloc(n + 2, sizeof *sorted);
  sorted[0].label = bp_strdup("before");
  sorted[0].median_days = sorted[0].within_share = NAN;
  sorted[0].cumulative_within = NAN;
  for (size_t i = 0; i < n; i++)
    sorted[i + 1] = weeks[order[i]];
  free(weeks);
  free(order);

  size_t na = k->n_areas;
  int *newcomers = bp_alloc((na + 1) * sizeof *newcomers);
  int *households = bp_alloc((na + 1) * sizeof *households);
  double *share = bp_alloc((na + 1) * sizeof *share);
  for (size_t a = 0; a < na; a++) {
    newcomers[a] = k->areas[a].newcomer_households;
    households[a] = k->areas[a].households;
  }
  int *all_days = bp_alloc((l->n_rows + 1) * sizeof *all_days);
  size_t n_all = 0;
  for (size_t w = 0; w <= n; w++) {
    week_summary *s = &sorted[w];
    for (size_t r = 0; r < l->n_rows && w > 0; r++) {
      const bp_ledger_row *row = &l->rows[r];
      if (rank[week_of_row[r]] != (int)w - 1)
        continue;
      if (row->kind == BP_UNIT_TRANSIT) {
        s->transit++;
        continue;
      }
      s->housed++;
      s->persons += row->persons;
      s->days[s->n_days++] = row->waiting_days;
      all_days[n_all++] = row->waiting_days;
      int a = bp_case_find_area(k, row->area_id);
      if (a >= 0) {
        newcomers[a]++;
        households[a]++;
      } else {
        bp_warning(diag, BP_LEDGER_FILE, row->line, l->area_column,
                   "area_id: unknown area '%s' (not in areas.csv); left out "
                   "of the spread",
                   row->area_id);
      }
    }
    if (w > 0) {
      s->median_days = median(s->days, s->n_days);
      s->within_share = within(s->days, s->n_days);
      s->cumulative_within = within(all_days, n_all);
    }
    s->dissimilarity = bp_index_dissimilarity(na, newcomers, households);
    for (size_t a = 0; a < na; a++)
      share[a] = bp_share(newcomers[a], households[a]);
    long largest = bp_index_largest(na, share);
    s->largest_share = largest >= 0 ? share[largest] : 0;
    s->largest_area = largest >= 0 ? k->areas[largest].name : "";
  }
  free(all_days);
  free(newcomers);
  free(households);
  free(share);
  free(rank);
  free(week_of_row);
  *n_weeks = n;
  return sorted; /* n + 1 entries: before, then the weeks */
}

/* Totals over every week. */
typedef struct {
  int housed, persons, transit;
  double median_days, within_share;
} totals;

static totals total(const bp_ledger *l) {
  totals t = {0, 0, 0, NAN, NAN};
  int *days = bp_alloc((l->n_rows + 1) * sizeof *days);
  size_t n = 0;
  for (size_t r = 0; r < l->n_rows; r++) {
    if (l->rows[r].kind == BP_UNIT_TRANSIT) {
      t.transit++;
      continue;
    }
    t.housed++;
    t.persons += l->rows[r].persons;
    days[n++] = l->rows[r].waiting_days;
  }
  t.median_days = median(days, n);
  t.within_share = within(days, n);
  free(days);
  return t;
}

static void format_days(char *out, size_t size, double days) {
  if (isnan(days))
    snprintf(out, size, "-");
  else
    snprintf(out, size, "%.*f", days == floor(days) ? 0 : 1, days);
}

static void format_percent(char *out, size_t size, double share, int decimals) {
  if (isnan(share))
    snprintf(out, size, "-");
  else
    snprintf(out, size, "%.*f%%", decimals, 100.0 * share);
}

/* Display width of UTF-8 text: one column per character. */
static int width_of(const char *text) {
  int w = 0;
  for (const char *p = text; *p; p++)
    w += ((unsigned char)*p & 0xC0) != 0x80;
  return w;
}

static void print_table(const week_summary *all, size_t n, const totals *t,
                        const char *case_dir) {
  const week_summary *weeks = all + 1;
  int label_width = 9;
  for (size_t w = 0; w < n; w++)
    if (width_of(weeks[w].label) > label_width)
      label_width = width_of(weeks[w].label);
  printf("History of %s (%s/%s)\n\n", case_dir, case_dir, BP_LEDGER_FILE);
  printf("%-*s  %6s  %7s  %7s  %11s  %10s  %6s  %s\n", label_width, "week",
         "housed", "persons", "transit", "median days", "<=180 days", "D",
         "largest area share");
  char before[32];
  format_percent(before, sizeof before, all[0].largest_share, 1);
  printf("%-*s  %6s  %7s  %7s  %11s  %10s  %6.4f  %s %s\n", label_width,
         all[0].label, "", "", "", "", "", all[0].dissimilarity, before,
         all[0].largest_area);
  for (size_t w = 0; w < n; w++) {
    const week_summary *s = &weeks[w];
    char days[32], share[32], largest[32];
    format_days(days, sizeof days, s->median_days);
    format_percent(share, sizeof share, s->within_share, 0);
    format_percent(largest, sizeof largest, s->largest_share, 1);
    printf("%s%*s  %6d  %7d  %7d  %11s  %10s  %6.4f  %s %s\n", s->label,
           label_width - width_of(s->label), "", s->housed, s->persons,
           s->transit, days, share, s->dissimilarity, largest,
           s->largest_area);
  }
  char days[32], share[32];
  format_days(days, sizeof days, t->median_days);
  format_percent(share, sizeof share, t->within_share, 0);
  printf("%-*s  %6d  %7d  %7d  %11s  %10s\n", label_width, "all weeks",
         t->housed, t->persons, t->transit, days, share);
  printf("\n");
  if (t->housed == 0)
    printf("No household has been accepted into a permanent home yet.\n");
  else
    printf("Housed permanently within %d days of arrival: %s of %d "
           "households (Rebild's target: %.0f%%) - %s.\n",
           PERMANENT_WITHIN_DAYS, share, t->housed, 100 * REBILD_TARGET,
           t->within_share >= REBILD_TARGET ? "met" : "not met");
}

/* ------------------------------------------------------------------ */
/* history.html                                                        */
/* ------------------------------------------------------------------ */

/* Chart geometry: a plot area with one slot per week. */
enum { CHART_W = 640, CHART_H = 220, LEFT = 56, RIGHT = 16, TOP = 16,
       BOTTOM = 40 };

static double slot_x(size_t w, size_t n) {
  double width = (double)(CHART_W - LEFT - RIGHT) / (double)(n ? n : 1);
  return LEFT + width * ((double)w + 0.5);
}

static double value_y(double value, double max) {
  return TOP + (CHART_H - TOP - BOTTOM) * (1.0 - (max > 0 ? value / max : 0));
}

/* Tick labels: whole numbers, percentages, or decimals on a 0-1 scale. */
typedef enum { AXIS_COUNT, AXIS_PERCENT, AXIS_FRACTION } axis_kind;

static void chart_frame(bp_buffer *b, const week_summary *weeks, size_t n,
                        double max, axis_kind axis, const char *title) {
  bp_buffer_printf(b,
                   "<figure><figcaption>%s</figcaption>\n<svg "
                   "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                   "width=\"%d\" height=\"%d\" role=\"img\">\n",
                   title, CHART_W, CHART_H, CHART_W, CHART_H);
  for (int tick = 0; tick <= 4; tick++) {
    double v = max * tick / 4.0;
    double y = value_y(v, max);
    bp_buffer_printf(b,
                     "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                     "class=\"grid\"/><text x=\"%d\" y=\"%.1f\" "
                     "class=\"tick\" text-anchor=\"end\">",
                     LEFT, y, CHART_W - RIGHT, y, LEFT - 6, y + 4);
    if (axis == AXIS_PERCENT)
      bp_buffer_printf(b, "%.0f%%", 100 * v);
    else if (axis == AXIS_FRACTION)
      bp_buffer_printf(b, "%.2f", v);
    else
      bp_buffer_printf(b, "%.0f", v);
    bp_buffer_append(b, "</text>\n");
  }
  for (size_t w = 0; w < n; w++) {
    bp_buffer_printf(b, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" "
                        "text-anchor=\"middle\">",
                     slot_x(w, n), CHART_H - BOTTOM + 16);
    bp_html_escape(b, weeks[w].label);
    bp_buffer_append(b, "</text>\n");
  }
}

static void chart_housed(bp_buffer *b, const week_summary *weeks, size_t n) {
  int max = 1;
  for (size_t w = 0; w < n; w++)
    if (weeks[w].housed + weeks[w].transit > max)
      max = weeks[w].housed + weeks[w].transit;
  max = (max + 3) / 4 * 4;
  chart_frame(b, weeks, n, max, AXIS_COUNT,
              "Households accepted per week: permanent homes (dark) and "
              "transit housing (light)");
  double slot = (double)(CHART_W - LEFT - RIGHT) / (double)(n ? n : 1);
  double bar = slot * 0.6 < 48 ? slot * 0.6 : 48;
  for (size_t w = 0; w < n; w++) {
    double x = slot_x(w, n) - bar / 2;
    double y_housed = value_y(weeks[w].housed, max);
    double y_total = value_y(weeks[w].housed + weeks[w].transit, max);
    double base = value_y(0, max);
    bp_buffer_printf(b,
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                     "height=\"%.1f\" class=\"housed\"><title>%d housed"
                     "</title></rect>\n",
                     x, y_housed, bar, base - y_housed, weeks[w].housed);
    if (weeks[w].transit)
      bp_buffer_printf(b,
                       "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                       "height=\"%.1f\" class=\"transit\"><title>%d in transit"
                       "</title></rect>\n",
                       x, y_total, bar, y_housed - y_total, weeks[w].transit);
    bp_buffer_printf(b,
                     "<text x=\"%.1f\" y=\"%.1f\" class=\"value\" "
                     "text-anchor=\"middle\">%d",
                     slot_x(w, n), y_total - 4, weeks[w].housed);
    if (weeks[w].transit)
      bp_buffer_printf(b, " + %d", weeks[w].transit);
    bp_buffer_append(b, "</text>\n");
  }
  bp_buffer_append(b, "</svg></figure>\n");
}

/* A line over the weeks; NAN values leave a gap. */
static void polyline(bp_buffer *b, const week_summary *weeks, size_t n,
                     size_t offset, double max, axis_kind axis,
                     const char *css) {
  bp_buffer_printf(b, "<polyline class=\"%s\" points=\"", css);
  for (size_t w = 0; w < n; w++) {
    double v = *(const double *)(const void *)((const char *)&weeks[w] + offset);
    if (!isnan(v))
      bp_buffer_printf(b, "%.1f,%.1f ", slot_x(w, n), value_y(v, max));
  }
  bp_buffer_append(b, "\"/>\n");
  for (size_t w = 0; w < n; w++) {
    double v = *(const double *)(const void *)((const char *)&weeks[w] + offset);
    if (isnan(v))
      continue;
    bp_buffer_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                        "class=\"%s\"><title>",
                     slot_x(w, n), value_y(v, max), css);
    if (axis == AXIS_PERCENT)
      bp_buffer_printf(b, "%.1f%%", 100 * v);
    else
      bp_buffer_printf(b, "%.4f", v);
    bp_buffer_append(b, "</title></circle>\n");
  }
}

static void chart_within(bp_buffer *b, const week_summary *weeks, size_t n) {
  chart_frame(b, weeks, n, 1.0, AXIS_PERCENT,
              "Housed permanently within 180 days of arrival, all weeks so "
              "far (dashed: Rebild's target, 70%)");
  double y = value_y(REBILD_TARGET, 1.0);
  bp_buffer_printf(b,
                   "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                   "class=\"target\"/>\n",
                   LEFT, y, CHART_W - RIGHT, y);
  polyline(b, weeks, n, offsetof(week_summary, cumulative_within), 1.0,
           AXIS_PERCENT, "line1");
  bp_buffer_append(b, "</svg></figure>\n");
}

static void chart_spread(bp_buffer *b, const week_summary *weeks, size_t n) {
  double max = 0.05;
  for (size_t w = 0; w < n; w++) {
    if (weeks[w].dissimilarity > max)
      max = weeks[w].dissimilarity;
    if (weeks[w].largest_share > max)
      max = weeks[w].largest_share;
  }
  max = ceil(max * 5) / 5; /* the next 0.2: ticks at multiples of 0.05 */
  chart_frame(b, weeks, n, max, AXIS_FRACTION,
              "Spread before the ledger and after each week, on a 0-1 scale: "
              "dissimilarity index D (solid) and the largest area newcomer "
              "share (dotted)");
  polyline(b, weeks, n, offsetof(week_summary, dissimilarity), max,
           AXIS_FRACTION, "line1");
  polyline(b, weeks, n, offsetof(week_summary, largest_share), max,
           AXIS_FRACTION, "line2");
  bp_buffer_append(b, "</svg></figure>\n");
}

static char *history_html(const week_summary *all, size_t n,
                          const totals *t, const char *case_dir) {
  const week_summary *weeks = all + 1;
  bp_buffer b = {0};
  bp_buffer_append(&b,
                   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
                   "charset=\"utf-8\">\n<title>boplace history: ");
  bp_html_escape(&b, case_dir);
  bp_buffer_append(
      &b,
      "</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;"
      "color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0}\n"
      "th,td{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:right}\n"
      "th:first-child,td:first-child{text-align:left;white-space:nowrap}\n"
      "tr.total td{font-weight:bold;border-top:2px solid #888}\n"
      "tr.before td{color:#666}\n"
      "figure{margin:1.5em 0}figcaption{font-weight:600;margin-bottom:.4em}\n"
      ".grid{stroke:#e4e4e4}.tick{font-size:11px;fill:#555}"
      ".value{font-size:11px;fill:#222}\n"
      ".housed{fill:#2c6e9b}.transit{fill:#a9c7de}\n"
      ".target{stroke:#c0392b;stroke-dasharray:6 4;stroke-width:1.5}\n"
      "polyline.line1{fill:none;stroke:#2c6e9b;stroke-width:2}"
      "circle.line1{fill:#2c6e9b}\n"
      "polyline.line2{fill:none;stroke:#d98c1f;stroke-width:2;"
      "stroke-dasharray:2 3}circle.line2{fill:#d98c1f}\n"
      "p.note{color:#555;font-size:.9em}\n"
      "</style>\n</head>\n<body>\n<h1>Accepted placements, week by week</h1>\n"
      "<p>Case <code>");
  bp_html_escape(&b, case_dir);
  bp_buffer_append(&b, "</code>, from its ledger <code>" BP_LEDGER_FILE
                       "</code>.</p>\n");
  bp_buffer_append(&b, "<table>\n<tr><th>week</th><th>housed</th><th>persons"
                       "</th><th>in transit</th><th>median days to a "
                       "permanent home</th><th>within 180 days</th><th>D"
                       "</th><th>largest area share</th></tr>\n");
  char before[32];
  format_percent(before, sizeof before, all[0].largest_share, 1);
  bp_buffer_printf(&b, "<tr class=\"before\"><td>before</td><td></td><td></td>"
                       "<td></td><td></td><td></td><td>%.4f</td><td>%s ",
                   all[0].dissimilarity, before);
  bp_html_escape(&b, all[0].largest_area);
  bp_buffer_append(&b, "</td></tr>\n");
  for (size_t w = 0; w < n; w++) {
    const week_summary *s = &weeks[w];
    char days[32], share[32], largest[32];
    format_days(days, sizeof days, s->median_days);
    format_percent(share, sizeof share, s->within_share, 0);
    format_percent(largest, sizeof largest, s->largest_share, 1);
    bp_buffer_append(&b, "<tr><td>");
    bp_html_escape(&b, s->label);
    bp_buffer_printf(&b, "</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td>"
                         "<td>%s</td><td>%.4f</td><td>%s ",
                     s->housed, s->persons, s->transit, days, share,
                     s->dissimilarity, largest);
    bp_html_escape(&b, s->largest_area);
    bp_buffer_append(&b, "</td></tr>\n");
  }
  char days[32], share[32];
  format_days(days, sizeof days, t->median_days);
  format_percent(share, sizeof share, t->within_share, 0);
  bp_buffer_printf(&b, "<tr class=\"total\"><td>all weeks</td><td>%d</td>"
                       "<td>%d</td><td>%d</td><td>%s</td><td>%s</td><td></td>"
                       "<td></td></tr>\n</table>\n",
                   t->housed, t->persons, t->transit, days, share);
  if (t->housed > 0)
    bp_buffer_printf(&b, "<p>Housed permanently within %d days of arrival: "
                         "<strong>%s</strong> of %d households. Rebild's target "
                         "is 70%% within six months: <strong>%s</strong>.</p>\n",
                     PERMANENT_WITHIN_DAYS, share, t->housed,
                     t->within_share >= REBILD_TARGET ? "met" : "not met");
  chart_housed(&b, weeks, n);
  chart_within(&b, weeks, n);
  chart_spread(&b, all, n + 1);
  bp_buffer_append(
      &b,
      "<p class=\"note\">Days from arrival to a permanent home are the "
      "household's waiting days when it was accepted into a permanent unit "
      "(time in transit housing included). The spread starts from areas.csv "
      "as the state before the first accepted placement and adds every "
      "permanent placement up to the week. D = &frac12; &Sigma;<sub>a</sub> "
      "|n<sub>a</sub>/n &minus; (N<sub>a</sub> &minus; n<sub>a</sub>)/(N "
      "&minus; n)|, n = newcomer households, N = all households.</p>\n"
      "</body>\n</html>\n");
  return bp_buffer_take(&b);
}

static bp_status write_html(const char *dir, const char *html,
                            bp_diagnostics *diag) {
  struct stat st;
  if (stat(dir, &st) != 0) {
    if (errno != ENOENT || mkdir(dir, 0700) != 0) {
      bp_error(diag, dir, 0, 0, "cannot create the output directory: %s",
               strerror(errno));
      return BP_FAILURE;
    }
  } else if (!S_ISDIR(st.st_mode)) {
    bp_error(diag, dir, 0, 0, "not a directory");
    return BP_FAILURE;
  }
  char *path = bp_format("%s/history.html", dir);
  bp_status status = bp_write_file_atomically(path, html, strlen(html), diag);
  free(path);
  return status;
}

int bp_command_history(int argc, char **argv) {
  const char *case_dir = NULL, *out_dir = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(history_help, stdout);
      return 0;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
      if (i + 1 >= argc)
        return usage("-o needs a directory", NULL);
      out_dir = argv[++i];
    } else if (a[0] == '-' && a[1]) {
      return usage("unknown option: ", a);
    } else if (!case_dir) {
      case_dir = a;
    } else {
      return usage("unexpected argument: ", a);
    }
  }
  if (!case_dir)
    return usage("needs a CASE_DIR", NULL);

  bp_diagnostics diag = {0};
  bp_ledger ledger;
  bp_case kase;
  memset(&kase, 0, sizeof kase);
  bp_status status = bp_ledger_read(case_dir, &ledger, &diag);
  /* areas.csv as it is: the state before the ledger (ledger.h). */
  if (status == BP_OK && ledger.n_rows > 0)
    status = bp_read_case(case_dir, NULL, &kase, &diag);
  if (status == BP_OK && ledger.n_rows == 0) {
    printf("No placements accepted yet in %s (no %s/%s, or no rows in it).\n",
           case_dir, case_dir, BP_LEDGER_FILE);
  } else if (status == BP_OK) {
    size_t n_weeks;
    week_summary *weeks = summarise(&ledger, &kase, &n_weeks, &diag);
    totals t = total(&ledger);
    print_table(weeks, n_weeks, &t, case_dir);
    if (out_dir) {
      char *html = history_html(weeks, n_weeks, &t, case_dir);
      status = write_html(out_dir, html, &diag);
      if (status == BP_OK)
        printf("Chart: %s/history.html\n", out_dir);
      free(html);
    }
    for (size_t w = 0; w <= n_weeks; w++) {
      free(weeks[w].label);
      free(weeks[w].days);
    }
    free(weeks);
  }
  bp_diagnostics_sort(&diag);
  bp_diagnostics_print(&diag, stderr);
  bp_ledger_free(&ledger);
  bp_case_free(&kase);
  bp_diagnostics_free(&diag);
  return status;
}
