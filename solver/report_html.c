/**
 * @file report_html.c
 * @brief report.html: the spread report for the council, in English or
 *        Danish, as one self-contained file.
 *
 * Everything is inline: CSS in a <style> element, the map and the charts
 * as SVG, no script, no font, no image or link fetched from anywhere (a
 * Content-Security-Policy of default-src 'none' makes the browser refuse
 * if anything ever tried).  The page is laid out for A4: it prints with
 * `@media print` rules that keep figures and table rows whole.
 *
 * The renderer reads only a bp_report (report.h), never a run, so that
 * `boplace run` and `boplace report` give the same bytes.  It is a pure
 * function of the report and the language: no clock, no paths but the case
 * directory as given, numbers formatted by explain.c's functions in the
 * language's own way ("14.2%" / "14,2 %").
 *
 * The figures a test or a reader may want to check carry their exact value
 * in a data-value attribute beside the rounded text (data-index names the
 * summary.json field), so the page can be compared with summary.json.
 *
 * The map projects latitude and longitude with a plain equirectangular
 * projection, x = lon * cos(mean latitude), y = -lat, which is true to
 * within a fraction of a percent over a municipality.  An area is drawn
 * as the convex hull of the stops of the units offered in it, widened by a
 * round pen so that a hull of one or two stops still shows.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "report.h"

typedef struct {
  const bp_report *r;
  bp_language lang;
  bp_buffer *b;
} html;

#define TR(en, da) (h->lang == BP_LANG_DA ? (da) : (en))

/* ------------------------------------------------------------------ */
/* Text                                                                 */
/* ------------------------------------------------------------------ */

void bp_html_escape(bp_buffer *b, const char *text) {
  if (!text)
    return;
  const char *start = text;
  for (const char *p = text; *p; p++) {
    const char *entity = NULL;
    switch (*p) {
    case '&': entity = "&amp;"; break;
    case '<': entity = "&lt;"; break;
    case '>': entity = "&gt;"; break;
    case '"': entity = "&quot;"; break;
    case '\'': entity = "&#39;"; break;
    default: break;
    }
    if (entity) {
      bp_buffer_append_n(b, start, (size_t)(p - start));
      bp_buffer_append(b, entity);
      start = p + 1;
    }
  }
  bp_buffer_append(b, start);
}

static void raw(html *h, const char *text) { bp_buffer_append(h->b, text); }

static void rawf(html *h, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static void rawf(html *h, const char *format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(NULL, 0, format, copy);
  va_end(copy);
  if (n > 0) {
    char *text = bp_alloc((size_t)n + 1);
    vsnprintf(text, (size_t)n + 1, format, args);
    bp_buffer_append(h->b, text);
    free(text);
  }
  va_end(args);
}

static void esc(html *h, const char *text) { bp_html_escape(h->b, text); }

/* printf, then escaped. */
static void escf(html *h, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static void escf(html *h, const char *format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  int n = vsnprintf(NULL, 0, format, copy);
  va_end(copy);
  if (n >= 0) {
    char *text = bp_alloc((size_t)n + 1);
    vsnprintf(text, (size_t)n + 1, format, args);
    esc(h, text);
    free(text);
  }
  va_end(args);
}

/* A figure: escaped, with no-break spaces so "14,2 %" never splits. */
static void figure_text(html *h, const char *text) {
  for (const char *p = text; *p; p++) {
    if (*p == ' ')
      raw(h, "&#160;");
    else {
      char one[2] = {*p, 0};
      esc(h, one);
    }
  }
}

static void number(html *h, double v, int decimals, int trim) {
  bp_buffer t = {0};
  bp_text_number(&t, v, decimals, trim, h->lang);
  figure_text(h, t.data ? t.data : "");
  bp_buffer_free(&t);
}

static void integer(html *h, long v) { number(h, (double)v, 0, 0); }

static void percent(html *h, double share, int decimals, int trim) {
  bp_buffer t = {0};
  bp_text_percent(&t, share, decimals, trim, h->lang);
  figure_text(h, t.data ? t.data : "");
  bp_buffer_free(&t);
}

/* A share with one decimal; a cap without trailing zeros. */
static void share(html *h, double v) { percent(h, v, 1, 0); }
static void cap_text(html *h, double v) { percent(h, v, 2, 1); }

static void minutes(html *h, double v) {
  bp_buffer t = {0};
  bp_text_minutes(&t, v, h->lang);
  figure_text(h, t.data ? t.data : "");
  bp_buffer_free(&t);
}

/* The opening of an element that carries a checkable figure. */
static void data_open(html *h, const char *tag, const char *index,
                      double value) {
  rawf(h, "<%s data-index=\"%s\" data-value=\"%.17g\">", tag, index, value);
}

/* Counts a UTF-8 string's characters, to estimate a label's width. */
static size_t characters(const char *text) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)text; *p; p++)
    n += (*p & 0xC0) != 0x80;
  return n;
}

static const char *kind_text(html *h, const char *kind) {
  if (strcmp(kind, "public") == 0) return TR("public housing", "almen bolig");
  if (strcmp(kind, "private") == 0) return TR("private rental", "privat udlejning");
  if (strcmp(kind, "senior") == 0) return TR("senior housing", "ældrebolig");
  if (strcmp(kind, "shared") == 0) return TR("room in shared housing", "værelse i delebolig");
  if (strcmp(kind, "transit") == 0) return TR("temporary (transit) housing", "midlertidig bolig");
  return kind;
}

static const char *reason_code_text(html *h, const char *code) {
  if (strcmp(code, "NO_ELIGIBLE_UNIT") == 0)
    return TR("No offered home fits", "Ingen tilbudt bolig passer");
  if (strcmp(code, "OUTCOMPETED") == 0)
    return TR("Homes that fit went to others", "Boliger, der passer, gik til andre");
  if (strcmp(code, "CAP_BINDING") == 0)
    return TR("Held back by a cap", "Holdt tilbage af et loft");
  if (strcmp(code, "GROUP") == 0)
    return TR("Group could not be kept together", "Gruppen kunne ikke bo samlet");
  if (strcmp(code, "LOCK") == 0)
    return TR("Ruled out by the coordinator's locks", "Udelukket af koordinatorens låsninger");
  return code;
}

static const char *solver_status_text(html *h, const char *status) {
  if (strcmp(status, "optimal") == 0)
    return TR("optimal (proven best)", "optimal (bevist bedst)");
  /* A time limit, or the greedy method (which reports no bound): either
   * way the plan is good but not proven best. */
  if (strcmp(status, "time_limit") == 0)
    return TR("best found in the time limit, not proven optimal",
              "bedste fundne inden for tidsgrænsen, ikke bevist optimal");
  if (strcmp(status, "interrupted") == 0)
    return TR("stopped by the user: best found, not proven optimal",
              "afbrudt af brugeren: bedste fundne, ikke bevist optimal");
  if (strcmp(status, "heuristic") == 0)
    return TR("the hand method (greedy): no optimisation",
              "håndmetoden (grådig): ingen optimering");
  if (strcmp(status, "infeasible") == 0)
    return TR("the locks cannot all be kept", "låsningerne kan ikke alle holdes");
  return status;
}

static const char *trip_text(html *h, bp_trip t) {
  switch (t) {
  case BP_TRIP_LANGUAGE_SCHOOL: return TR("Language school", "Sprogskole");
  case BP_TRIP_SCHOOL: return TR("School", "Skole");
  case BP_TRIP_DAYCARE: return TR("Daycare", "Dagtilbud");
  case BP_TRIP_JOB: return TR("Work or study", "Arbejde eller uddannelse");
  case BP_TRIP_HEALTH: return TR("Specialised health care", "Specialiseret behandling");
  case BP_TRIP_COUNT: break;
  }
  return "";
}

/* ------------------------------------------------------------------ */
/* Style                                                                */
/* ------------------------------------------------------------------ */

static const char *style =
    ":root{--ink:#1b1b1b;--muted:#5a5a5a;--rule:#d4d4d4;--soft:#f3f3f1;"
    "--ok:#3274a1;--near:#d99a00;--over:#b8322a;--before:#b9b9b9}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0;background:#fff;color:var(--ink);"
    "font-family:\"Helvetica Neue\",Helvetica,Arial,\"Liberation Sans\","
    "\"DejaVu Sans\",sans-serif;font-size:10.5pt;line-height:1.45}\n"
    "main{max-width:186mm;margin:0 auto;padding:10mm 6mm 14mm}\n"
    "h1{font-size:21pt;line-height:1.15;margin:0 0 2mm}\n"
    "h2{font-size:13.5pt;margin:9mm 0 2mm;padding-top:2mm;"
    "border-top:2px solid var(--ink);break-after:avoid}\n"
    "h3{font-size:11pt;margin:5mm 0 1mm;break-after:avoid}\n"
    "p{margin:0 0 2.5mm}\n"
    ".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:8.5pt;"
    "color:var(--muted);margin-bottom:1mm}\n"
    ".case{color:var(--muted);margin-bottom:4mm}\n"
    ".lead{font-size:11.5pt;max-width:165mm}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:3mm;margin:4mm 0 2mm}\n"
    ".card{flex:1 1 36mm;background:var(--soft);border-left:4px solid var(--ok);"
    "padding:2.5mm 3mm;font-size:9.5pt;line-height:1.3}\n"
    ".card.warn{border-left-color:var(--near)}\n"
    ".card b{display:block;font-size:20pt;line-height:1.1}\n"
    ".note{color:var(--muted);font-size:9pt}\n"
    "table{border-collapse:collapse;width:100%;font-size:9.5pt}\n"
    "th,td{text-align:left;vertical-align:top;padding:1.2mm 2mm;"
    "border-bottom:1px solid var(--rule)}\n"
    "thead th{font-size:8.5pt;color:var(--muted);font-weight:600;"
    "border-bottom:1.5px solid var(--ink)}\n"
    "tr{break-inside:avoid}\n"
    "td.num,th.num{text-align:right;white-space:nowrap}\n"
    "table.indices td.value{font-weight:700;white-space:nowrap;font-size:11pt}\n"
    "table.indices tbody th{width:31%}table.indices td.value{width:19%}\n"
    "table.bars th,table.bars td{border-bottom:0;padding:0 2mm;"
    "vertical-align:middle;height:6.2mm}\n"
    "table.bars thead th{vertical-align:bottom;padding-bottom:1mm}\n"
    "table.bars td.bar{width:80mm;padding:0}\n"
    "table.bars svg{display:block;width:80mm;height:6.2mm}\n"
    "table.bars thead svg{height:5mm}\n"
    "table.bars tbody tr:nth-child(even){background:#fafaf8}\n"
    ".tag{font-size:7.5pt;color:var(--muted);font-weight:400;white-space:nowrap}\n"
    "figure{margin:3mm 0 5mm;break-inside:avoid}\n"
    "figcaption{font-size:9pt;color:var(--muted);margin:1.5mm 0 0}\n"
    "figcaption b{color:var(--ink)}\n"
    ".legend{display:flex;flex-wrap:wrap;gap:1mm 4mm;font-size:8.5pt;"
    "color:var(--muted);margin:1.5mm 0 0;align-items:center}\n"
    ".legend span{display:inline-flex;align-items:center;gap:1.2mm}\n"
    ".legend svg{width:4mm;height:4mm;flex:none}\n"
    "svg text{font-family:inherit}\n"
    ".map>svg{display:block;width:100%;height:auto}\n"
    ".travel>svg{display:block;width:100%;height:auto}\n"
    "table.rows td.reason{font-size:9pt}\n"
    "table.rows .miss{font-size:8.5pt;color:var(--muted);margin-top:1mm}\n"
    "table.rows td.id{white-space:nowrap;font-weight:600}\n"
    "code,.mono{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",Menlo,"
    "Consolas,monospace;font-size:8.5pt}\n"
    "dl.record{display:grid;grid-template-columns:max-content 1fr;"
    "gap:.6mm 4mm;font-size:9pt;margin:0}\n"
    "dl.record dt{color:var(--muted)}\n"
    "dl.record dd{margin:0}\n"
    ".formula{font-family:\"DejaVu Serif\",Georgia,serif;font-style:italic;"
    "white-space:nowrap}\n"
    "@page{size:A4;margin:12mm 11mm 14mm}\n"
    "@media print{main{max-width:none;padding:0}"
    "h2{break-after:avoid}section.page{break-before:page}"
    "figure,table.indices,.cards{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}\n";

/* ------------------------------------------------------------------ */
/* Colours                                                              */
/* ------------------------------------------------------------------ */

/* The state of a share against its cap: below 80 % of it, near, at or
 * over (the near_cap threshold of models/formulation.md). */
typedef enum { LEVEL_OK, LEVEL_NEAR, LEVEL_OVER } level;

static level share_level(double share_value, double cap) {
  if (share_value >= cap - BP_AT_CAP_TOLERANCE)
    return LEVEL_OVER;
  if (share_value >= 0.8 * cap - BP_AT_CAP_TOLERANCE)
    return LEVEL_NEAR;
  return LEVEL_OK;
}

static const char *level_colour(level l) {
  return l == LEVEL_OVER ? "#b8322a" : l == LEVEL_NEAR ? "#d99a00" : "#3274a1";
}

/* The map's sequential scale of newcomer shares: six classes, the last
 * one at or over the policy's default cap. */
#define MAP_CLASSES 6
static const char *map_colours[MAP_CLASSES] = {
    "#f1eef6", "#d0d1e6", "#a6bddb", "#74a9cf", "#2b8cbe", "#045a8d"};

static int map_class(double share_value, double default_cap) {
  if (!(default_cap > 0))
    return share_value > 0 ? MAP_CLASSES - 1 : 0;
  for (int c = 0; c < MAP_CLASSES - 1; c++)
    if (share_value < default_cap * (c + 1) / (MAP_CLASSES - 1) - 1e-12)
      return c;
  return MAP_CLASSES - 1;
}

/* ------------------------------------------------------------------ */
/* The head, the header and the summary                                 */
/* ------------------------------------------------------------------ */

static void head(html *h) {
  const bp_report *r = h->r;
  raw(h, "<!DOCTYPE html>\n");
  rawf(h, "<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
       h->lang == BP_LANG_DA ? "da" : "en");
  raw(h, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
         "'none'; style-src 'unsafe-inline'\">\n");
  raw(h, "<meta name=\"viewport\" content=\"width=device-width, "
         "initial-scale=1\">\n");
  raw(h, "<meta name=\"generator\" content=\"boplace ");
  esc(h, r->boplace_version);
  raw(h, "\">\n<title>");
  esc(h, TR("Spread report", "Spredningsrapport"));
  raw(h, " \xe2\x80\x93 ");
  esc(h, r->case_name);
  raw(h, "</title>\n<style>\n");
  raw(h, style);
  raw(h, "</style>\n</head>\n<body>\n<main>\n");
}

static int areas_receiving(const bp_report *r) {
  int n = 0;
  for (size_t i = 0; i < r->n_areas; i++)
    n += r->areas[i].placed > 0;
  return n;
}

static void header(html *h) {
  const bp_report *r = h->r;
  raw(h, "<header>\n<p class=\"kicker\">boplace \xc2\xb7 ");
  esc(h, TR("Spread report", "Spredningsrapport"));
  raw(h, "</p>\n<h1>");
  esc(h, TR("Homes proposed for newly arrived refugees, and how they spread "
            "across the municipality",
            "Boligforslag til nyankomne flygtninge, og hvordan de fordeler "
            "sig i kommunen"));
  raw(h, "</h1>\n<p class=\"case\">");
  esc(h, TR("Case", "Sag"));
  raw(h, " <b>");
  esc(h, r->case_name);
  raw(h, "</b> (<code>");
  esc(h, r->case_dir);
  raw(h, "</code>) \xc2\xb7 ");
  esc(h, TR("inputs", "input"));
  raw(h, " <code data-index=\"case.fingerprint\">");
  rawf(h, "%.12s", r->fingerprint);
  raw(h, "</code> \xc2\xb7 ");
  esc(h, TR("solver: ", "løser: "));
  esc(h, solver_status_text(h, r->solver_status));
  raw(h, " \xc2\xb7 boplace ");
  esc(h, r->boplace_version);
  raw(h, "</p>\n</header>\n");

  raw(h, "<section id=\"summary\">\n<p class=\"lead\">");
  if (h->lang == BP_LANG_DA) {
    escf(h, "boplace foreslår en bolig til %d af ugens %d husstande (%d "
            "personer)",
         r->housed, r->households, r->persons_housed);
    if (r->transit > 0)
      escf(h, "; %d af forslagene er en midlertidig bolig, så der skal stadig "
              "findes en permanent",
           r->transit);
    esc(h, ". Alle forslag overholder byrådets regler for husleje, "
           "rejsetid, skolepladser og lofterne over andelen af nytilkomne og "
           "tosprogede børn. Rapporten viser, hvor boligerne ligger, hvordan "
           "forslagene ændrer fordelingen på områder, skoler og dagtilbud, "
           "og hvorfor de husstande, der ikke fik et forslag, står uden.");
  } else {
    escf(h, "boplace proposes a home for %d of this week's %d households "
            "(%d persons)",
         r->housed, r->households, r->persons_housed);
    if (r->transit > 0)
      escf(h, "; %d of the proposals %s temporary housing, so a permanent "
              "home is still to be found",
           r->transit, r->transit == 1 ? "is" : "are");
    esc(h, ". Every proposal keeps the council's rules on rent, travel "
           "time, school places and the caps on the share of newcomers and "
           "of bilingual children. This report shows where the homes are, "
           "how the proposals change the spread across areas, schools and "
           "daycares, and why the households without a proposal are left "
           "without one.");
  }
  raw(h, "</p>\n<div class=\"cards\">\n");
  rawf(h, "<div class=\"card\"><b data-index=\"counts.housed\" "
          "data-value=\"%d\">",
       r->housed);
  integer(h, r->housed);
  raw(h, "</b>");
  escf(h, TR("of %d households proposed a home", "af %d husstande har fået "
                                                 "et boligforslag"),
       r->households);
  raw(h, "</div>\n<div class=\"card\"><b>");
  integer(h, r->persons_housed);
  raw(h, "</b>");
  esc(h, TR("persons in those households", "personer i de husstande"));
  raw(h, "</div>\n");
  rawf(h, "<div class=\"card%s\"><b data-index=\"counts.unplaced\" "
          "data-value=\"%zu\">",
       r->n_unplaced ? " warn" : "", r->n_unplaced);
  integer(h, (long)r->n_unplaced);
  raw(h, "</b>");
  esc(h, TR("households without a proposal this week (reasons at the end)",
            "husstande uden forslag i denne uge (årsager sidst)"));
  raw(h, "</div>\n<div class=\"card\"><b>");
  integer(h, areas_receiving(r));
  raw(h, "</b>");
  escf(h, TR("of %zu areas receive households", "af %zu områder får "
                                                "husstande"),
       r->n_areas);
  raw(h, "</div>\n</div>\n</section>\n");
}

/* ------------------------------------------------------------------ */
/* The spread indices                                                   */
/* ------------------------------------------------------------------ */

static void index_row_start(html *h, const char *name) {
  raw(h, "<tr><th scope=\"row\">");
  esc(h, name);
  raw(h, "</th><td class=\"value\">");
}

static void index_row_text(html *h, const char *text) {
  raw(h, "</td><td>");
  esc(h, text);
}

static void count_before_after(html *h, const char *index, int before,
                               int after, size_t of) {
  char *key = bp_format("%s.before", index);
  data_open(h, "span", key, before);
  free(key);
  integer(h, before);
  raw(h, "</span> \xe2\x86\x92 ");
  key = bp_format("%s.after", index);
  data_open(h, "span", key, after);
  free(key);
  integer(h, after);
  raw(h, "</span> <span class=\"tag\">");
  escf(h, TR("of %zu", "af %zu"), of);
  raw(h, "</span>");
}

static void indices(html *h) {
  const bp_report *r = h->r;
  const bp_spread_indices *x = &r->indices;
  raw(h, "<section id=\"indices\">\n<h2>");
  esc(h, TR("Spread at a glance", "Spredningen kort fortalt"));
  raw(h, "</h2>\n<p>");
  esc(h, TR("Seven figures sum up how the newcomer households are spread. "
            "\xe2\x80\x9c" "Before\xe2\x80\x9d is today; \xe2\x80\x9c" "after\xe2\x80\x9d "
            "counts every household proposed a home this week as moved in. "
            "How each figure is computed is explained at the end.",
            "Syv tal opsummerer, hvordan de nytilkomne husstande fordeler "
            "sig. \xe2\x80\x9d" "Før\xe2\x80\x9d er i dag; \xe2\x80\x9d" "efter\xe2\x80\x9d "
            "regner alle husstande, der har fået et boligforslag i denne uge, "
            "som flyttet ind. Hvordan hvert tal beregnes, står sidst."));
  raw(h, "</p>\n<table class=\"indices\">\n<thead><tr><th>");
  esc(h, TR("Figure", "Tal"));
  raw(h, "</th><th>");
  esc(h, TR("Value", "Værdi"));
  raw(h, "</th><th>");
  esc(h, TR("What it means", "Hvad det betyder"));
  raw(h, "</th></tr></thead>\n<tbody>\n");

  /* Dissimilarity */
  index_row_start(h, TR("Segregation of newcomers (dissimilarity index)",
                        "Adskillelse af nytilkomne (dissimilaritetsindeks)"));
  data_open(h, "span", "indices.dissimilarity.before", x->dissimilarity_before);
  number(h, x->dissimilarity_before, 2, 0);
  raw(h, "</span> \xe2\x86\x92 ");
  data_open(h, "span", "indices.dissimilarity.after", x->dissimilarity_after);
  number(h, x->dissimilarity_after, 2, 0);
  raw(h, "</span>");
  index_row_text(h, TR("The share of newcomer households that would have to "
                       "move to another area for newcomers to be spread over "
                       "the areas like all other households. 0 = spread "
                       "exactly alike, 1 = completely apart.",
                       "Den andel af de nytilkomne husstande, der skulle "
                       "flytte til et andet område, for at de nytilkomne var "
                       "fordelt på områderne som alle andre husstande. "
                       "0 = fordelt helt ens, 1 = helt adskilt."));
  raw(h, "</td></tr>\n");

  /* HHI */
  index_row_start(h, TR("Concentration of this week's proposals (HHI)",
                        "Koncentration af ugens forslag (HHI)"));
  data_open(h, "span", "indices.hhi", x->hhi);
  number(h, x->hhi, 2, 0);
  raw(h, "</span>");
  raw(h, "</td><td>");
  if (x->hhi > 0) {
    bp_buffer t = {0};
    bp_text_number(&t, 1.0 / x->hhi, 1, 1, h->lang);
    escf(h, TR("1 = every proposal in one area; the lower, the more spread. "
               "This is as concentrated as spreading the proposals evenly "
               "over %s areas.",
               "1 = alle forslag i ét område; jo lavere, jo mere spredt. "
               "Det svarer til at fordele forslagene ligeligt på %s "
               "områder."),
         t.data);
    bp_buffer_free(&t);
  } else {
    esc(h, TR("1 = every proposal in one area; the lower, the more spread. "
              "There are no proposals this week.",
              "1 = alle forslag i ét område; jo lavere, jo mere spredt. Der "
              "er ingen forslag i denne uge."));
  }
  raw(h, "</td></tr>\n");

  /* Largest area share */
  index_row_start(h, TR("Highest newcomer share of an area",
                        "Højeste andel af nytilkomne i et område"));
  data_open(h, "span", "indices.largest_area_share.share",
            x->largest_area_share);
  share(h, x->largest_area_share);
  raw(h, "</span></td><td>");
  if (x->largest_area >= 0) {
    const bp_report_area *a = &r->areas[x->largest_area];
    bp_buffer t = {0};
    bp_text_percent(&t, a->cap, 2, 1, h->lang);
    escf(h, TR("After the proposals: %s (its cap is %s%s).",
               "Efter forslagene: %s (loftet er %s%s)."),
         a->name, t.data,
         a->vulnerable ? TR("; on the national list of vulnerable housing "
                            "areas, so no one is placed there",
                            "; på den nationale liste over udsatte "
                            "boligområder, så ingen placeres der")
                       : "");
    bp_buffer_free(&t);
  }
  raw(h, "</td></tr>\n");

  /* Caps reached */
  index_row_start(h, TR("Areas at or over their newcomer cap",
                        "Områder på eller over loftet for nytilkomne"));
  count_before_after(h, "indices.areas_at_or_over_cap",
                     x->areas_at_cap_before, x->areas_at_cap_after,
                     r->n_areas);
  index_row_text(h, TR("Before \xe2\x86\x92 after. An area already over its cap "
                       "may receive no one who would raise its share further.",
                       "Før \xe2\x86\x92 efter. Et område, der allerede er over "
                       "loftet, må ikke få nogen, der hæver andelen yderligere."));
  raw(h, "</td></tr>\n");
  index_row_start(h, TR("Schools at or over their cap on bilingual pupils",
                        "Skoler på eller over loftet for tosprogede elever"));
  count_before_after(h, "indices.schools_at_or_over_cap",
                     x->schools_at_cap_before, x->schools_at_cap_after,
                     r->n_schools);
  index_row_text(h, TR("Before \xe2\x86\x92 after. Every child of a placed "
                       "household counts as bilingual.",
                       "Før \xe2\x86\x92 efter. Alle børn i en placeret "
                       "husstand tæller som tosprogede."));
  raw(h, "</td></tr>\n");
  index_row_start(h, TR("Daycares at or over their cap on bilingual children",
                        "Dagtilbud på eller over loftet for tosprogede børn"));
  count_before_after(h, "indices.daycares_at_or_over_cap",
                     x->daycares_at_cap_before, x->daycares_at_cap_after,
                     r->n_daycares);
  index_row_text(h, TR("Before \xe2\x86\x92 after.", "Før \xe2\x86\x92 efter."));
  raw(h, "</td></tr>\n");

  /* Travel limits */
  index_row_start(h, TR("Housed within every travel limit",
                        "Placeret inden for alle grænser for rejsetid"));
  data_open(h, "span", "indices.housed_within_travel_limits.share",
            x->within_limits_share);
  percent(h, x->within_limits_share, 1, 1);
  raw(h, "</span> <span class=\"tag\">");
  escf(h, TR("%d of %d housed", "%d af %d placerede"), x->housed_within_limits,
       x->housed);
  raw(h, "</span>");
  index_row_text(h, TR("Of the households proposed a home (not of all "
                       "households): within the limits to language school, "
                       "school, daycare, work and specialised health care "
                       "that apply to them. The rules make every proposal "
                       "keep them.",
                       "Af de husstande, der har fået et boligforslag (ikke "
                       "af alle husstande): inden for grænserne for rejsetid "
                       "til sprogskole, skole, dagtilbud, arbejde og "
                       "specialiseret behandling, der gælder for dem. "
                       "Reglerne sikrer, at alle forslag overholder dem."));
  raw(h, "</td></tr>\n");
  index_row_start(h, TR("Households proposed a home", "Husstande med et "
                                                      "boligforslag"));
  data_open(h, "span", "indices.housed.share", x->housed_share);
  percent(h, x->housed_share, 1, 1);
  raw(h, "</span> <span class=\"tag\">");
  escf(h, TR("%d of %d", "%d af %d"), x->housed, x->households);
  raw(h, "</span>");
  index_row_text(h, TR("Of all households in this week's case.",
                       "Af alle husstande i ugens sag."));
  raw(h, "</td></tr>\n</tbody>\n</table>\n</section>\n");
}

/* ------------------------------------------------------------------ */
/* The map                                                              */
/* ------------------------------------------------------------------ */

#define MAP_W 680.0
#define MAP_H_MAX 600.0
#define MAP_PAD 34.0
#define AREA_PEN 9.0 /* half the width of the pen that draws an area */
#define LABEL_SIZE 11.0
#define CROWDED 44.0 /* area centres closer than this crowd their labels */
#define MAP_H_WITH_INSET 500.0 /* the map's height when it has an inset */
#define INSET_H_MAX 250.0
#define INSET_K_MAX 10.0 /* most enlargement of the inset */
#define INSET_K_MIN 2.0  /* less is not worth an inset */
#define INSET_PAD 30.0

typedef struct {
  double x, y;
} point;

typedef struct {
  double x0, y0, x1, y1;
} box;

typedef struct {
  double lon0, lat0, cos0, scale, off_x, off_y, height;
} projection;

/* A view of the map: base coordinates (the projection's) drawn at
 * tx + k x, ty + k y, inside `frame`.  The map itself is the view k = 1;
 * the inset of a crowded town is a view with k > 1. */
typedef struct {
  double k, tx, ty;
  box frame;
} view;

static int has_coordinates(const bp_report_stop *s) {
  return isfinite(s->lat) && isfinite(s->lon);
}

static point project(const projection *p, double lat, double lon) {
  point q;
  q.x = p->off_x + (lon - p->lon0) * p->cos0 * p->scale;
  q.y = p->off_y + (p->lat0 - lat) * p->scale;
  return q;
}

static point in_view(const view *v, point p) {
  return (point){v->tx + v->k * p.x, v->ty + v->k * p.y};
}

static point stop_point(const projection *p, const view *v,
                        const bp_report_stop *s) {
  return in_view(v, project(p, s->lat, s->lon));
}

/* Fits every stop with coordinates into the map's width; 0 if none. */
static int make_projection(const bp_report *r, projection *p, double max_h) {
  double lat_min = INFINITY, lat_max = -INFINITY, lon_min = INFINITY,
         lon_max = -INFINITY, lat_sum = 0;
  int n = 0;
  for (size_t i = 0; i < r->n_stops; i++) {
    const bp_report_stop *s = &r->stops[i];
    if (!has_coordinates(s))
      continue;
    lat_min = fmin(lat_min, s->lat);
    lat_max = fmax(lat_max, s->lat);
    lon_min = fmin(lon_min, s->lon);
    lon_max = fmax(lon_max, s->lon);
    lat_sum += s->lat;
    n++;
  }
  if (n == 0)
    return 0;
  p->cos0 = cos(lat_sum / n * M_PI / 180.0);
  if (p->cos0 < 0.05)
    p->cos0 = 0.05; /* near a pole: keep the map finite */
  double width = (lon_max - lon_min) * p->cos0, height = lat_max - lat_min;
  double sx = width > 1e-9 ? (MAP_W - 2 * MAP_PAD) / width : INFINITY;
  double sy = height > 1e-9 ? (max_h - 2 * MAP_PAD) / height : INFINITY;
  p->scale = fmin(sx, sy);
  if (!isfinite(p->scale))
    p->scale = 1000.0; /* one place only: any scale will do */
  p->lon0 = lon_min;
  p->lat0 = lat_max;
  p->off_x = (MAP_W - width * p->scale) / 2;
  p->height = fmax(height * p->scale + 2 * MAP_PAD, 220.0);
  p->off_y = (p->height - height * p->scale) / 2;
  return 1;
}

static double cross(point o, point a, point b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

static int compare_points(const void *x, const void *y) {
  const point *a = x, *b = y;
  if (a->x != b->x)
    return a->x < b->x ? -1 : 1;
  return (a->y > b->y) - (a->y < b->y);
}

/* Andrew's monotone chain; the hull replaces pts, its size returned. */
static size_t convex_hull(point *pts, size_t n) {
  qsort(pts, n, sizeof *pts, compare_points);
  size_t m = 0;
  for (size_t i = 0; i < n; i++) /* drop duplicates */
    if (m == 0 || pts[i].x != pts[m - 1].x || pts[i].y != pts[m - 1].y)
      pts[m++] = pts[i];
  n = m;
  if (n < 3)
    return n;
  point *hull = bp_alloc(2 * n * sizeof *hull);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0)
      k--;
    hull[k++] = pts[i];
  }
  for (size_t i = n - 1, t = k + 1; i-- > 0;) {
    while (k >= t && cross(hull[k - 2], hull[k - 1], pts[i]) <= 0)
      k--;
    hull[k++] = pts[i];
  }
  k--; /* the last point is the first */
  memcpy(pts, hull, k * sizeof *pts);
  free(hull);
  return k;
}

typedef struct {
  size_t area;
  point *hull;  /* base coordinates */
  size_t n;
  point centre; /* mean of the hull's corners */
  double size;  /* for the drawing order: large first, small on top */
  int in_inset; /* labelled in the inset rather than on the map */
} area_shape;

static int compare_shapes(const void *x, const void *y) {
  const area_shape *a = x, *b = y;
  if (a->size != b->size)
    return a->size > b->size ? -1 : 1;
  return (a->area > b->area) - (a->area < b->area);
}

/* The box around a shape in a view, pen included. */
static box shape_box(const area_shape *s, const view *v) {
  box b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t i = 0; i < s->n; i++) {
    point q = in_view(v, s->hull[i]);
    b.x0 = fmin(b.x0, q.x - AREA_PEN);
    b.y0 = fmin(b.y0, q.y - AREA_PEN);
    b.x1 = fmax(b.x1, q.x + AREA_PEN);
    b.y1 = fmax(b.y1, q.y + AREA_PEN);
  }
  return b;
}

/* The shape of an area in a view, drawn with a round pen of width 2 pen so
 * that a hull of one or two stops still shows. */
static void draw_shape(html *h, const area_shape *s, const view *v, double pen,
                       const char *colour) {
  point a = in_view(v, s->hull[0]);
  if (s->n == 1) {
    rawf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>", a.x,
         a.y, pen, colour);
  } else if (s->n == 2) {
    point b = in_view(v, s->hull[1]);
    rawf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"%s\" stroke-width=\"%.1f\" stroke-linecap=\"round\"/>",
         a.x, a.y, b.x, b.y, colour, 2 * pen);
  } else {
    raw(h, "<polygon points=\"");
    for (size_t i = 0; i < s->n; i++) {
      point q = in_view(v, s->hull[i]);
      rawf(h, "%s%.1f,%.1f", i ? " " : "", q.x, q.y);
    }
    rawf(h, "\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%.1f\" "
            "stroke-linejoin=\"round\"/>",
         colour, colour, 2 * pen);
  }
}

static double overlap(box a, box b) {
  double w = fmin(a.x1, b.x1) - fmax(a.x0, b.x0);
  double hgt = fmin(a.y1, b.y1) - fmax(a.y0, b.y0);
  return w > 0 && hgt > 0 ? w * hgt : 0;
}

/* Places a label of width w for the area whose box is sb (centre and
 * area_px: its hull's centre and area): inside the area when it is large
 * enough, else at the first of a few positions around it that overlaps no
 * label placed before, little of the other areas, and stays in the frame;
 * failing that, the position that overlaps least.  Records the label's box
 * in placed[n_placed] and returns its anchor (left end of the baseline);
 * *leader says whether it stands off far enough to need a line back. */
static point place_label(box sb, point centre, double area_px, double w,
                         box *placed, size_t n_placed, const box *shapes,
                         size_t n_shapes, size_t self, box frame,
                         int *leader) {
  double cx = (sb.x0 + sb.x1) / 2, cy = (sb.y0 + sb.y1) / 2;
  double asc = LABEL_SIZE * 0.8, desc = LABEL_SIZE * 0.25;
  point candidates[17];
  int n = 0;
  for (int ring = 0; ring < 2; ring++) {
    double g = ring ? 18.0 : 3.0;
    candidates[n++] = (point){sb.x1 + g, cy + asc / 2};
    candidates[n++] = (point){sb.x0 - g - w, cy + asc / 2};
    candidates[n++] = (point){cx - w / 2, sb.y0 - g - desc};
    candidates[n++] = (point){cx - w / 2, sb.y1 + g + asc};
    candidates[n++] = (point){sb.x1 + g * 0.7, sb.y0 - g * 0.7};
    candidates[n++] = (point){sb.x0 - g * 0.7 - w, sb.y0 - g * 0.7};
    candidates[n++] = (point){sb.x1 + g * 0.7, sb.y1 + g * 0.7 + asc};
    candidates[n++] = (point){sb.x0 - g * 0.7 - w, sb.y1 + g * 0.7 + asc};
  }
  /* Inside the area, when it is large enough to hold its name. */
  int inside = sb.x1 - sb.x0 > w + 8 && sb.y1 - sb.y0 > 3 * LABEL_SIZE &&
               area_px > 2.5 * w * LABEL_SIZE;
  if (inside)
    candidates[n++] = (point){centre.x - w / 2, centre.y + asc / 2};
  double best_cost = INFINITY;
  int best = 0;
  for (int i = 0; i < n; i++) {
    box b = {candidates[i].x, candidates[i].y - asc, candidates[i].x + w,
             candidates[i].y + desc};
    /* Prefer inside, then the near ring; keep off labels, and off the
     * other areas where possible. */
    double cost = i == 16 ? -1.0 : i >= 8 ? 30.0 : 0.0;
    if (b.x0 < frame.x0 + 2 || b.x1 > frame.x1 - 2 || b.y0 < frame.y0 + 2 ||
        b.y1 > frame.y1 - 2)
      cost += 1e6;
    for (size_t j = 0; j < n_placed; j++)
      cost += overlap(b, placed[j]);
    for (size_t j = 0; j < n_shapes; j++)
      if (j != self)
        cost += 0.25 * overlap(b, shapes[j]);
    if (cost < best_cost - 1e-9) {
      best_cost = cost;
      best = i;
    }
  }
  *leader = best >= 8 && best < 16;
  point p = candidates[best];
  p.x = fmax(frame.x0 + 2, fmin(p.x, frame.x1 - 2 - w));
  p.y = fmax(frame.y0 + asc + 2, fmin(p.y, frame.y1 - 2 - desc));
  placed[n_placed] = (box){p.x - 1, p.y - asc - 1, p.x + w + 1, p.y + desc + 1};
  return p;
}

static void legend_swatch(html *h, const char *svg_body, const char *text) {
  raw(h, "<span><svg viewBox=\"0 0 16 16\" aria-hidden=\"true\">");
  raw(h, svg_body);
  raw(h, "</svg>");
  esc(h, text);
  raw(h, "</span>");
}

/* The symbol of a destination kind: the language school a square, health
 * care a cross, anything else a diamond. */
static void destination_symbol(html *h, const char *kind, point q) {
  if (strcmp(kind, "language_school") == 0)
    rawf(h, "<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\" "
            "fill=\"#7a2e8e\" stroke=\"#fff\" stroke-width=\"1.2\"/>",
         q.x - 4.5, q.y - 4.5);
  else if (strcmp(kind, "health") == 0)
    rawf(h, "<path d=\"M%.1f %.1fh3v3h3v3h-3v3h-3v-3h-3v-3h3z\" "
            "fill=\"#c2185b\" stroke=\"#fff\" stroke-width=\"1\"/>",
         q.x - 1.5, q.y - 4.5);
  else
    rawf(h, "<path d=\"M%.1f %.1fl4.5 4.5l-4.5 4.5l-4.5 -4.5z\" "
            "fill=\"#00796b\" stroke=\"#fff\" stroke-width=\"1\"/>",
         q.x, q.y - 4.5);
}

/* A scale bar at (x, y) no longer than max_px: one degree of latitude is
 * 111.32 km. */
static void scale_bar(html *h, double px_per_km, double x, double y,
                      double max_px) {
  static const double nice_km[] = {0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500};
  double km = nice_km[0];
  for (size_t i = 0; i < sizeof nice_km / sizeof *nice_km; i++)
    if (nice_km[i] * px_per_km <= max_px)
      km = nice_km[i];
  double len = km * px_per_km;
  rawf(h, "<path d=\"M%.1f %.1fv4h%.1fv-4\" stroke=\"#1b1b1b\" "
          "stroke-width=\"1.5\" fill=\"none\"/>",
       x, y - 4, len);
  rawf(h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#1b1b1b\" "
          "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">",
       x + len + 4, y);
  number(h, km, 1, 1);
  raw(h, "&#160;km</text>");
}

/* Everything on the map, in one view: links, areas, stops, destinations,
 * proposed homes, and the labels of the areas with in_inset == labels_of.
 * `placed` holds n_placed boxes for labels to avoid, and room for the
 * boxes of every dot, count and label drawn here. */
static void draw_layers(html *h, const projection *p, const view *v,
                        area_shape *shapes, size_t n_shapes, int labels_of,
                        box *placed, size_t n_placed) {
  const bp_report *r = h->r;
  raw(h, "<g stroke=\"#b5b5b5\" stroke-width=\"0.9\">");
  for (size_t i = 0; i < r->n_links; i++) {
    const bp_report_stop *a = &r->stops[r->links[i][0]];
    const bp_report_stop *b = &r->stops[r->links[i][1]];
    if (!has_coordinates(a) || !has_coordinates(b))
      continue;
    point pa = stop_point(p, v, a), pb = stop_point(p, v, b);
    rawf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", pa.x,
         pa.y, pb.x, pb.y);
  }
  raw(h, "</g>\n");

  /* The areas: a red rim under those at or over their cap, then the fill,
   * each area one translucent group so that pen and fill blend as one. */
  for (size_t i = 0; i < n_shapes; i++) {
    const bp_report_area *area = &r->areas[shapes[i].area];
    int over = share_level(area->share_after, area->cap) == LEVEL_OVER;
    raw(h, "<g class=\"area\" data-area=\"");
    esc(h, area->id);
    raw(h, "\" opacity=\"0.82\">");
    if (over)
      draw_shape(h, &shapes[i], v, AREA_PEN + 2.2, "#b8322a");
    draw_shape(h, &shapes[i], v, AREA_PEN,
               map_colours[map_class(area->share_after, r->max_newcomer_share)]);
    raw(h, "<title>");
    esc(h, area->name);
    raw(h, ": ");
    share(h, area->share_after);
    raw(h, "</title></g>\n");
  }

  raw(h, "<g fill=\"#8a8a8a\">");
  for (size_t i = 0; i < r->n_stops; i++)
    if (has_coordinates(&r->stops[i])) {
      point q = stop_point(p, v, &r->stops[i]);
      rawf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.5\"/>", q.x, q.y);
    }
  raw(h, "</g>\n");

  for (size_t i = 0; i < r->n_destinations; i++) {
    const bp_report_destination *d = &r->destinations[i];
    if (d->stop < 0 || !has_coordinates(&r->stops[d->stop]))
      continue;
    raw(h, "<g>");
    destination_symbol(h, d->kind, stop_point(p, v, &r->stops[d->stop]));
    raw(h, "<title>");
    esc(h, d->name);
    raw(h, "</title></g>");
  }
  raw(h, "\n");

  /* Proposed homes: one dot per stop, larger for more, with the count. */
  int *at_stop = bp_calloc(r->n_stops + 1, sizeof *at_stop);
  for (size_t i = 0; i < r->n_proposals; i++)
    if (r->proposals[i].stop >= 0)
      at_stop[r->proposals[i].stop]++;
  raw(h, "<g class=\"placed\">");
  for (size_t i = 0; i < r->n_stops; i++) {
    if (!at_stop[i] || !has_coordinates(&r->stops[i]))
      continue;
    point q = stop_point(p, v, &r->stops[i]);
    double radius = 3.4 + 1.6 * sqrt((double)at_stop[i] - 1);
    rawf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#111\" "
            "stroke=\"#fff\" stroke-width=\"1.2\"><title>",
         q.x, q.y, radius);
    esc(h, r->stops[i].name);
    rawf(h, ": %d</title></circle>", at_stop[i]);
    placed[n_placed++] = (box){q.x - radius, q.y - radius, q.x + radius,
                               q.y + radius};
    if (at_stop[i] > 1) {
      rawf(h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9.5\" "
              "font-weight=\"700\" fill=\"#111\" stroke=\"#fff\" "
              "stroke-width=\"2.5\" paint-order=\"stroke\">%d</text>",
           q.x + radius + 1, q.y - radius + 2, at_stop[i]);
      placed[n_placed++] = (box){q.x + radius, q.y - radius - 6,
                                 q.x + radius + 8, q.y - radius + 3};
    }
  }
  raw(h, "</g>\n");
  free(at_stop);

  /* Labels, most populous areas first so that they get the best places. */
  size_t *order = bp_alloc((n_shapes + 1) * sizeof *order);
  size_t n_order = 0;
  for (size_t i = 0; i < n_shapes; i++)
    if (shapes[i].in_inset == labels_of)
      order[n_order++] = i;
  for (size_t i = 1; i < n_order; i++) /* insertion sort: stable */
    for (size_t j = i; j > 0; j--) {
      const bp_report_area *a = &r->areas[shapes[order[j - 1]].area];
      const bp_report_area *b = &r->areas[shapes[order[j]].area];
      if (a->households >= b->households)
        break;
      size_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  box *boxes = bp_alloc((n_shapes + 1) * sizeof *boxes);
  for (size_t i = 0; i < n_shapes; i++)
    boxes[i] = shape_box(&shapes[i], v);
  raw(h, "<g font-size=\"11\" fill=\"#1b1b1b\" stroke=\"#fff\" "
         "stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">");
  for (size_t k = 0; k < n_order; k++) {
    const area_shape *s = &shapes[order[k]];
    const bp_report_area *area = &r->areas[s->area];
    double w = (double)characters(area->name) * LABEL_SIZE * 0.58 + 2;
    int leader = 0;
    point at = place_label(boxes[order[k]], in_view(v, s->centre),
                           s->size * v->k * v->k, w, placed,
                           n_placed++, boxes, n_shapes, order[k], v->frame,
                           &leader);
    if (leader) {
      point c = in_view(v, s->centre);
      double lx = fmin(fmax(c.x, at.x), at.x + w);
      double ly = at.y - LABEL_SIZE * 0.3;
      rawf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
              "stroke=\"#555\" stroke-width=\"0.7\"/>",
           c.x, c.y, lx, ly);
    }
    rawf(h, "<text x=\"%.1f\" y=\"%.1f\"%s>", at.x, at.y,
         area->placed > 0 ? " font-weight=\"700\"" : "");
    esc(h, area->name);
    raw(h, "</text>");
  }
  raw(h, "</g>\n");
  free(boxes);
  free(order);
}

/* The crowded areas: the largest group (two or more) of areas whose
 * centres lie within CROWDED of one another, step by step.  Marks them
 * in_inset and returns how many. */
static size_t find_crowd(area_shape *shapes, size_t n) {
  int *group = bp_alloc((n + 1) * sizeof *group);
  size_t *stack = bp_alloc((n + 1) * sizeof *stack);
  for (size_t i = 0; i < n; i++)
    group[i] = -1;
  int groups = 0, best = -1;
  size_t best_size = 1;
  for (size_t i = 0; i < n; i++) {
    if (group[i] >= 0)
      continue;
    size_t size = 0, top = 0;
    group[i] = groups;
    stack[top++] = i;
    while (top > 0) {
      size_t a = stack[--top];
      size++;
      for (size_t b = 0; b < n; b++)
        if (group[b] < 0 &&
            hypot(shapes[a].centre.x - shapes[b].centre.x,
                  shapes[a].centre.y - shapes[b].centre.y) < CROWDED) {
          group[b] = groups;
          stack[top++] = b;
        }
    }
    if (size > best_size) {
      best_size = size;
      best = groups;
    }
    groups++;
  }
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    shapes[i].in_inset = best >= 0 && group[i] == best;
    count += (size_t)shapes[i].in_inset;
  }
  free(group);
  free(stack);
  return count;
}

/* The shapes of the areas under a projection: the convex hull of the
 * stops of their units, in base coordinates; large first. */
static area_shape *build_shapes(const bp_report *r, const projection *p,
                                size_t *n_shapes) {
  area_shape *shapes = bp_calloc(r->n_areas + 1, sizeof *shapes);
  size_t count = 0;
  view unit = {1, 0, 0, {0, 0, MAP_W, p->height}};
  for (size_t a = 0; a < r->n_areas; a++) {
    const bp_report_area *area = &r->areas[a];
    point *pts = bp_alloc((area->n_stops + 1) * sizeof *pts);
    size_t n = 0;
    for (size_t i = 0; i < area->n_stops; i++) {
      const bp_report_stop *s = &r->stops[area->stops[i]];
      if (has_coordinates(s))
        pts[n++] = project(p, s->lat, s->lon);
    }
    if (n == 0) {
      free(pts);
      continue;
    }
    n = convex_hull(pts, n);
    area_shape *s = &shapes[count++];
    s->area = a;
    s->hull = pts;
    s->n = n;
    double twice = 0;
    for (size_t i = 0; i < n; i++) {
      s->centre.x += pts[i].x / (double)n;
      s->centre.y += pts[i].y / (double)n;
      if (n >= 3)
        twice += pts[i].x * pts[(i + 1) % n].y - pts[(i + 1) % n].x * pts[i].y;
    }
    box b = shape_box(s, &unit);
    s->size = fabs(twice) / 2 + (b.x1 - b.x0) * (b.y1 - b.y0) * 1e-3;
  }
  qsort(shapes, count, sizeof *shapes, compare_shapes);
  *n_shapes = count;
  return shapes;
}

static void free_shapes(area_shape *shapes, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(shapes[i].hull);
  free(shapes);
}

/* The box around the hulls of the areas in the inset, base coordinates. */
static box crowd_window(const area_shape *shapes, size_t n) {
  box w = {INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; shapes[i].in_inset && j < shapes[i].n; j++) {
      w.x0 = fmin(w.x0, shapes[i].hull[j].x);
      w.y0 = fmin(w.y0, shapes[i].hull[j].y);
      w.x1 = fmax(w.x1, shapes[i].hull[j].x);
      w.y1 = fmax(w.y1, shapes[i].hull[j].y);
    }
  return w;
}

/* The scale of an inset of the window: as large as the panel allows. */
static double inset_scale(box w) {
  double ww = fmax(w.x1 - w.x0, 1.0), wh = fmax(w.y1 - w.y0, 1.0);
  return fmin(fmin((MAP_W - 16 - 2 * INSET_PAD) / ww,
                   (INSET_H_MAX - 2 * INSET_PAD) / wh),
              INSET_K_MAX);
}

static void map(html *h) {
  const bp_report *r = h->r;
  raw(h, "<section id=\"map\">\n<h2>");
  esc(h, TR("Where the homes are", "Hvor boligerne ligger"));
  raw(h, "</h2>\n");
  projection p;
  if (!make_projection(r, &p, MAP_H_MAX)) {
    raw(h, "<p class=\"note\">");
    esc(h, TR("stops.csv gives no coordinates (lat, lon), so there is no map.",
              "stops.csv har ingen koordinater (lat, lon), så der er intet "
              "kort."));
    raw(h, "</p>\n</section>\n");
    return;
  }
  size_t n_shapes;
  area_shape *shapes = build_shapes(r, &p, &n_shapes);

  /* Areas whose labels would crowd one another (a town with several areas)
   * are shown again, enlarged, in a panel under the map; the map gives up
   * some height for it.  The layout is decided on the full-size map and
   * then made on the smaller one. */
  view inset = {0, 0, 0, {0, 0, 0, 0}};
  box window = {0, 0, 0, 0};
  if (find_crowd(shapes, n_shapes) >= 2 &&
      inset_scale(crowd_window(shapes, n_shapes)) * MAP_H_WITH_INSET /
              MAP_H_MAX >= INSET_K_MIN) {
    char *crowded = bp_calloc(r->n_areas + 1, 1);
    for (size_t i = 0; i < n_shapes; i++)
      crowded[shapes[i].area] = (char)shapes[i].in_inset;
    projection smaller;
    make_projection(r, &smaller, MAP_H_WITH_INSET);
    if (smaller.scale < p.scale) {
      p = smaller;
      free_shapes(shapes, n_shapes);
      shapes = build_shapes(r, &p, &n_shapes);
    }
    for (size_t i = 0; i < n_shapes; i++)
      shapes[i].in_inset = crowded[shapes[i].area];
    free(crowded);
    window = crowd_window(shapes, n_shapes);
    double k = inset_scale(window);
    double iw = (window.x1 - window.x0) * k + 2 * INSET_PAD;
    double ih = (window.y1 - window.y0) * k + 2 * INSET_PAD;
    double x = (window.x0 + window.x1) / 2 - iw / 2;
    x = fmax(8, fmin(x, MAP_W - 8 - iw));
    inset.k = k;
    inset.frame = (box){x, p.height + 12, x + iw, p.height + 12 + ih};
    inset.tx = inset.frame.x0 + INSET_PAD - k * window.x0;
    inset.ty = inset.frame.y0 + INSET_PAD - k * window.y0;
  }
  double map_h = p.height;
  double svg_h = inset.k > 0 ? inset.frame.y1 + 2 : map_h;

  rawf(h, "<figure class=\"chart map\" data-chart=\"map\">\n<svg "
          "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"map-title\">"
          "<title id=\"map-title\">",
       MAP_W, ceil(svg_h));
  esc(h, TR("Map of the areas, the bus network and the proposed homes",
            "Kort over områderne, busnettet og de foreslåede boliger"));
  raw(h, "</title>\n");
  rawf(h, "<rect x=\"0.5\" y=\"0.5\" width=\"%.0f\" height=\"%.1f\" "
          "fill=\"#fcfcfa\" stroke=\"#d4d4d4\"/>\n",
       MAP_W - 1, map_h - 1);
  /* Room for the boxes of every label and proposed-home dot. */
  box *placed = bp_calloc(n_shapes + 2 * r->n_stops + 2, sizeof *placed);
  view main_view = {1, 0, 0, {0, 0, MAP_W, map_h}};
  draw_layers(h, &p, &main_view, shapes, n_shapes, 0, placed, 0);
  scale_bar(h, p.scale / 111.32, 12, map_h - 12, 120);
  raw(h, "\n");

  if (inset.k > 0) {
    box f = inset.frame;
    double pad = 10;
    box wm = {window.x0 - pad, window.y0 - pad, window.x1 + pad,
              window.y1 + pad};
    /* The enlarged window on the map, joined to the panel. */
    rawf(h, "<g class=\"window\" fill=\"none\" stroke=\"#1b1b1b\" "
            "stroke-width=\"0.8\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\" stroke-width=\"1.2\"/>"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>\n",
         wm.x0, wm.y0, wm.x1 - wm.x0, wm.y1 - wm.y0, wm.x0, wm.y1, f.x0,
         f.y0, wm.x1, wm.y1, f.x1, f.y0);
    rawf(h, "<g class=\"inset\"><clipPath id=\"inset-clip\"><rect x=\"%.1f\" "
            "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "fill=\"#fcfcfa\" stroke=\"#1b1b1b\" stroke-width=\"1.2\"/>"
            "<g clip-path=\"url(#inset-clip)\">\n",
         f.x0, f.y0, f.x1 - f.x0, f.y1 - f.y0, f.x0, f.y0, f.x1 - f.x0,
         f.y1 - f.y0);
    draw_layers(h, &p, &inset, shapes, n_shapes, 1, placed, 0);
    scale_bar(h, inset.k * p.scale / 111.32, f.x0 + 8, f.y1 - 8, 90);
    raw(h, "</g></g>\n");
  }
  free(placed);
  raw(h, "</svg>\n");

  /* Legend. */
  raw(h, "<div class=\"legend\">");
  double c = r->max_newcomer_share;
  for (int k = 0; k < MAP_CLASSES; k++) {
    char body[160];
    snprintf(body, sizeof body,
             "<rect x=\"1\" y=\"1\" width=\"14\" height=\"14\" rx=\"3\" "
             "fill=\"%s\" stroke=\"#999\" stroke-width=\".5\"/>",
             map_colours[k]);
    bp_buffer t = {0};
    if (k == 0) {
      bp_buffer_append(&t, TR("under ", "under "));
      bp_text_percent(&t, c / (MAP_CLASSES - 1), 2, 1, h->lang);
    } else if (k < MAP_CLASSES - 1) {
      bp_text_number(&t, 100 * c * k / (MAP_CLASSES - 1), 2, 1, h->lang);
      bp_buffer_append(&t, "\xe2\x80\x93");
      bp_text_percent(&t, c * (k + 1) / (MAP_CLASSES - 1), 2, 1, h->lang);
    } else {
      bp_text_percent(&t, c, 2, 1, h->lang);
      bp_buffer_append(&t, TR(" or more (the cap)", " eller mere (loftet)"));
    }
    legend_swatch(h, body, t.data);
    bp_buffer_free(&t);
  }
  legend_swatch(h,
                "<rect x=\"1\" y=\"1\" width=\"14\" height=\"14\" rx=\"3\" "
                "fill=\"#f1eef6\" stroke=\"#b8322a\" stroke-width=\"2.5\"/>",
                TR("red rim: at or over its own cap",
                   "rød kant: på eller over sit eget loft"));
  legend_swatch(h,
                "<circle cx=\"8\" cy=\"8\" r=\"4.5\" fill=\"#111\" "
                "stroke=\"#fff\"/>",
                TR("proposed home (a number: several at one stop)",
                   "foreslået bolig (et tal: flere ved ét stoppested)"));
  legend_swatch(h,
                "<rect x=\"3.5\" y=\"3.5\" width=\"9\" height=\"9\" "
                "fill=\"#7a2e8e\"/>",
                TR("language school", "sprogskole"));
  legend_swatch(h,
                "<path d=\"M6.5 3.5h3v3h3v3h-3v3h-3v-3h-3v-3h3z\" "
                "fill=\"#c2185b\"/>",
                TR("specialised health care", "specialiseret behandling"));
  legend_swatch(h,
                "<path d=\"M8 3.5l4.5 4.5l-4.5 4.5l-4.5 -4.5z\" "
                "fill=\"#00796b\"/>",
                TR("other destination", "andet mål"));
  legend_swatch(h,
                "<line x1=\"1\" y1=\"8\" x2=\"15\" y2=\"8\" stroke=\"#b5b5b5\" "
                "stroke-width=\"1.5\"/><circle cx=\"8\" cy=\"8\" r=\"1.8\" "
                "fill=\"#8a8a8a\"/>",
                TR("bus stop and link", "stoppested og forbindelse"));
  raw(h, "</div>\n<figcaption>");
  esc(h, TR("Each area is drawn around the bus stops of the homes offered in "
            "it and coloured by its share of newcomer households after this "
            "week's proposals. Names in bold: areas that receive households. "
            "Homes are shown at their nearest stop.",
            "Hvert område er tegnet om stoppestederne ved de boliger, der er "
            "tilbudt i det, og farvet efter andelen af nytilkomne husstande "
            "efter ugens forslag. Navne med fed: områder, der får husstande. "
            "Boligerne er vist ved deres nærmeste stoppested."));
  if (inset.k > 0)
    esc(h, TR(" The framed part of the map is shown enlarged below it.",
              " Den indrammede del af kortet er vist forstørret under det."));
  int missing = 0;
  for (size_t a = 0; a < r->n_areas; a++) {
    int drawn = 0;
    for (size_t i = 0; i < n_shapes && !drawn; i++)
      drawn = shapes[i].area == a;
    if (drawn)
      continue;
    if (missing++)
      raw(h, ", ");
    else
      esc(h, TR(" Not on the map (no home offered at a stop with "
                "coordinates): ",
                " Ikke på kortet (ingen tilbudt bolig ved et stoppested med "
                "koordinater): "));
    esc(h, r->areas[a].name);
  }
  if (missing)
    raw(h, ".");
  raw(h, "</figcaption>\n</figure>\n</section>\n");
  free_shapes(shapes, n_shapes);
}

/* ------------------------------------------------------------------ */
/* Share charts: before -> after against the cap                        */
/* ------------------------------------------------------------------ */

#define BAR_W 300.0
#define BAR_H 23.0

/* The axis maximum: the largest share or cap shown, up to the next 5 %. */
static double axis_max(const double *values, size_t n) {
  double m = 0.05;
  for (size_t i = 0; i < n; i++)
    if (isfinite(values[i]) && values[i] < 1.0 + 1e-9)
      m = fmax(m, values[i]);
  return fmin(1.0, ceil(m * 20.0 - 1e-9) / 20.0);
}

static double tick_step(double max) {
  return max > 0.6 ? 0.2 : max > 0.3 ? 0.1 : 0.05;
}

static void bar_row_svg(html *h, double before, double after, double cap,
                        double max) {
  double step = tick_step(max);
  rawf(h, "<svg viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"none\" "
          "aria-hidden=\"true\">",
       BAR_W, BAR_H);
  for (double t = step; t < max + 1e-9; t += step)
    rawf(h, "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.0f\" "
            "stroke=\"#e4e4e4\" stroke-width=\"1\"/>",
         BAR_W * t / max, BAR_W * t / max, BAR_H);
  double xb = BAR_W * fmin(before, max) / max;
  double xa = BAR_W * fmin(after, max) / max;
  rawf(h, "<rect class=\"before\" x=\"0\" y=\"4\" width=\"%.1f\" "
          "height=\"5\" fill=\"#b9b9b9\"/>",
       xb);
  rawf(h, "<rect class=\"after\" x=\"0\" y=\"10\" width=\"%.1f\" "
          "height=\"9\" fill=\"%s\"/>",
       xa, level_colour(share_level(after, cap)));
  if (cap < 1.0 - 1e-12 && cap <= max + 1e-9) {
    double xc = BAR_W * cap / max;
    rawf(h, "<line class=\"cap\" x1=\"%.1f\" y1=\"1\" x2=\"%.1f\" "
            "y2=\"%.0f\" stroke=\"#1b1b1b\" stroke-width=\"2.2\"/>",
         xc, xc, BAR_H - 1);
  }
  raw(h, "</svg>");
}

static void bar_axis_svg(html *h, double max) {
  double step = tick_step(max);
  rawf(h, "<svg viewBox=\"0 0 %.0f 19\" preserveAspectRatio=\"none\" "
          "aria-hidden=\"true\">",
       BAR_W);
  for (double t = 0; t < max + 1e-9; t += step) {
    double x = BAR_W * t / max;
    const char *anchor = t < 1e-9 ? "start" : t > max - 1e-9 ? "end" : "middle";
    rawf(h, "<text x=\"%.1f\" y=\"15\" font-size=\"10.5\" fill=\"#5a5a5a\" "
            "text-anchor=\"%s\">",
         x, anchor);
    percent(h, t, 0, 0);
    raw(h, "</text>");
  }
  raw(h, "</svg>");
}

static void bar_legend(html *h, const char *after_text) {
  raw(h, "<div class=\"legend\">");
  legend_swatch(h, "<rect x=\"0\" y=\"6\" width=\"16\" height=\"4\" "
                   "fill=\"#b9b9b9\"/>",
                TR("before", "før"));
  char body[120];
  snprintf(body, sizeof body,
           "<rect x=\"0\" y=\"4\" width=\"16\" height=\"8\" fill=\"%s\"/>",
           level_colour(LEVEL_OK));
  legend_swatch(h, body, after_text);
  snprintf(body, sizeof body,
           "<rect x=\"0\" y=\"4\" width=\"16\" height=\"8\" fill=\"%s\"/>",
           level_colour(LEVEL_NEAR));
  legend_swatch(h, body, TR("after, at 80 % of the cap or more",
                            "efter, på 80 % af loftet eller mere"));
  snprintf(body, sizeof body,
           "<rect x=\"0\" y=\"4\" width=\"16\" height=\"8\" fill=\"%s\"/>",
           level_colour(LEVEL_OVER));
  legend_swatch(h, body, TR("after, at or over the cap",
                            "efter, på eller over loftet"));
  legend_swatch(h, "<line x1=\"8\" y1=\"1\" x2=\"8\" y2=\"15\" "
                   "stroke=\"#1b1b1b\" stroke-width=\"2.2\"/>",
                TR("the cap", "loftet"));
  raw(h, "</div>\n");
}

static void area_chart(html *h) {
  const bp_report *r = h->r;
  raw(h, "<section id=\"areas\">\n<h2>");
  esc(h, TR("Newcomer share by area", "Andelen af nytilkomne i hvert område"));
  raw(h, "</h2>\n<figure class=\"chart\" data-chart=\"area-shares\">\n");
  double *values = bp_alloc((3 * r->n_areas + 1) * sizeof *values);
  for (size_t i = 0; i < r->n_areas; i++) {
    values[3 * i] = r->areas[i].share_before;
    values[3 * i + 1] = r->areas[i].share_after;
    values[3 * i + 2] = r->areas[i].cap;
  }
  double max = axis_max(values, 3 * r->n_areas);
  free(values);
  raw(h, "<table class=\"bars\">\n<thead><tr><th>");
  esc(h, TR("Area", "Område"));
  raw(h, "</th><td class=\"bar\">");
  bar_axis_svg(h, max);
  raw(h, "</td><th class=\"num\">");
  esc(h, TR("Before \xe2\x86\x92 after", "Før \xe2\x86\x92 efter"));
  raw(h, "</th><th class=\"num\">");
  esc(h, TR("Cap", "Loft"));
  raw(h, "</th><th class=\"num\">");
  esc(h, TR("Proposed", "Foreslået"));
  raw(h, "</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < r->n_areas; i++) {
    const bp_report_area *a = &r->areas[i];
    raw(h, "<tr data-area=\"");
    esc(h, a->id);
    raw(h, "\"><th scope=\"row\">");
    esc(h, a->name);
    if (a->vulnerable) {
      raw(h, " <span class=\"tag\">");
      esc(h, TR("vulnerable area", "udsat boligområde"));
      raw(h, "</span>");
    } else if (a->partner) {
      raw(h, " <span class=\"tag\">");
      esc(h, TR("partner", "partner"));
      raw(h, "</span>");
    }
    raw(h, "</th><td class=\"bar\">");
    bar_row_svg(h, a->share_before, a->share_after, a->cap, max);
    raw(h, "</td><td class=\"num\">");
    share(h, a->share_before);
    raw(h, " \xe2\x86\x92 ");
    share(h, a->share_after);
    raw(h, "</td><td class=\"num\">");
    cap_text(h, a->cap);
    raw(h, "</td><td class=\"num\">");
    if (a->placed > 0) {
      raw(h, "+");
      integer(h, a->placed);
    } else {
      raw(h, "\xe2\x80\x93");
    }
    raw(h, "</td></tr>\n");
  }
  raw(h, "</tbody>\n</table>\n");
  bar_legend(h, TR("after these proposals", "efter forslagene"));
  raw(h, "<figcaption>");
  esc(h, TR("The newcomer share of an area is its newcomer households "
            "divided by all its households. The grey bar is today, the "
            "coloured bar after this week's proposals; the black mark is the "
            "area's cap. \xe2\x80\x9cProposed\xe2\x80\x9d counts the households "
            "proposed a home in the area.",
            "Andelen af nytilkomne i et område er de nytilkomne husstande "
            "delt med alle husstande i området. Den grå bjælke er i dag, den "
            "farvede efter ugens forslag; den sorte streg er områdets loft. "
            "\xe2\x80\x9d" "Foreslået\xe2\x80\x9d tæller de husstande, der har "
            "fået et boligforslag i området."));
  raw(h, "</figcaption>\n</figure>\n</section>\n");
}

static void institution_chart(html *h, const bp_report_institution *x,
                              size_t n, int daycare) {
  const char *chart = daycare ? "daycare-shares" : "school-shares";
  raw(h, "<h3>");
  esc(h, daycare ? TR("Daycares: share of bilingual children",
                      "Dagtilbud: andel af tosprogede børn")
                 : TR("Schools: share of bilingual pupils",
                      "Skoler: andel af tosprogede elever"));
  rawf(h, "</h3>\n<figure class=\"chart\" data-chart=\"%s\">\n", chart);
  if (n == 0) {
    raw(h, "<p class=\"note\">");
    esc(h, daycare ? TR("The case lists no daycares.",
                        "Sagen har ingen dagtilbud.")
                   : TR("The case lists no schools.",
                        "Sagen har ingen skoler."));
    raw(h, "</p>\n</figure>\n");
    return;
  }
  double *values = bp_alloc((3 * n + 1) * sizeof *values);
  for (size_t i = 0; i < n; i++) {
    values[3 * i] = x[i].share_before;
    values[3 * i + 1] = x[i].share_after;
    values[3 * i + 2] = x[i].cap;
  }
  double max = axis_max(values, 3 * n);
  free(values);
  raw(h, "<table class=\"bars\">\n<thead><tr><th>");
  esc(h, daycare ? TR("Daycare", "Dagtilbud") : TR("School", "Skole"));
  raw(h, "</th><td class=\"bar\">");
  bar_axis_svg(h, max);
  raw(h, "</td><th class=\"num\">");
  esc(h, TR("Before \xe2\x86\x92 after", "Før \xe2\x86\x92 efter"));
  raw(h, "</th><th class=\"num\">");
  esc(h, TR("Cap", "Loft"));
  raw(h, "</th><th class=\"num\">");
  esc(h, TR("Children", "Børn"));
  raw(h, "</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < n; i++) {
    raw(h, "<tr><th scope=\"row\">");
    esc(h, x[i].name);
    raw(h, "</th><td class=\"bar\">");
    bar_row_svg(h, x[i].share_before, x[i].share_after, x[i].cap, max);
    raw(h, "</td><td class=\"num\">");
    share(h, x[i].share_before);
    raw(h, " \xe2\x86\x92 ");
    share(h, x[i].share_after);
    raw(h, "</td><td class=\"num\">");
    cap_text(h, x[i].cap);
    raw(h, "</td><td class=\"num\">");
    if (x[i].placed_children > 0) {
      raw(h, "+");
      integer(h, x[i].placed_children);
    } else {
      raw(h, "\xe2\x80\x93");
    }
    raw(h, "</td></tr>\n");
  }
  raw(h, "</tbody>\n</table>\n");
  bar_legend(h, TR("after these proposals", "efter forslagene"));
  raw(h, "<figcaption>");
  if (daycare)
    esc(h, TR("Bilingual children divided by all children in the daycare. "
              "Every child aged 0\xe2\x80\x93" "5 of a proposed household counts as "
              "bilingual. \xe2\x80\x9c" "Children\xe2\x80\x9d counts them.",
              "Tosprogede børn delt med alle børn i dagtilbuddet. Alle børn "
              "på 0\xe2\x80\x93" "5 år i en husstand med et boligforslag tæller som "
              "tosprogede. \xe2\x80\x9d" "Børn\xe2\x80\x9d tæller dem."));
  else
    esc(h, TR("Bilingual pupils divided by all pupils. Every child aged "
              "6\xe2\x80\x93" "16 of a proposed household counts as bilingual and "
              "goes to the district school of the area of its home. "
              "\xe2\x80\x9c" "Children\xe2\x80\x9d counts them.",
              "Tosprogede elever delt med alle elever. Alle børn på 6\xe2\x80\x93" "16 "
              "år i en husstand med et boligforslag tæller som tosprogede og "
              "går i distriktsskolen for boligens område. \xe2\x80\x9d" "Børn\xe2\x80\x9d "
              "tæller dem."));
  raw(h, "</figcaption>\n</figure>\n");
}

static void institutions_section(html *h) {
  const bp_report *r = h->r;
  raw(h, "<section id=\"institutions\">\n<h2>");
  esc(h, TR("Bilingual children in schools and daycares",
            "Tosprogede børn i skoler og dagtilbud"));
  raw(h, "</h2>\n");
  institution_chart(h, r->schools, r->n_schools, 0);
  institution_chart(h, r->daycares, r->n_daycares, 1);
  raw(h, "</section>\n");
}

/* ------------------------------------------------------------------ */
/* Travel times                                                         */
/* ------------------------------------------------------------------ */

static int compare_doubles(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

#define TRAVEL_H 118.0

static void travel_chart(html *h, bp_trip trip) {
  const bp_report *r = h->r;
  double *v = bp_alloc((r->n_proposals + 1) * sizeof *v);
  size_t n = 0;
  for (size_t i = 0; i < r->n_proposals; i++)
    if (isfinite(r->proposals[i].minutes[trip]))
      v[n++] = r->proposals[i].minutes[trip];
  qsort(v, n, sizeof *v, compare_doubles);
  double limit = r->max_minutes[trip];

  rawf(h, "<figure class=\"chart travel\" data-chart=\"travel-%s\">\n",
       bp_trip_name(trip));
  raw(h, "<h3>");
  esc(h, trip_text(h, trip));
  raw(h, "</h3>\n");
  if (n == 0) {
    raw(h, "<p class=\"note\">");
    esc(h, trip == BP_TRIP_JOB
               ? TR("No household proposed a home has a workplace or place of "
                    "study given.",
                    "Ingen husstand med et boligforslag har angivet en "
                    "arbejds- eller studieplads.")
               : TR("No household proposed a home makes this trip.",
                    "Ingen husstand med et boligforslag har denne tur."));
    raw(h, "</p>\n</figure>\n");
    free(v);
    return;
  }
  double top = fmax(v[n - 1], isfinite(limit) ? limit : 0);
  double bin = 5.0; /* 5-minute steps, wider when the axis is long */
  while (top / bin > 30)
    bin *= 2;
  int bins = (int)ceil(top / bin - 1e-9);
  if (bins < 1)
    bins = 1;
  int *count = bp_calloc((size_t)bins + 1, sizeof *count);
  int most = 0;
  for (size_t i = 0; i < n; i++) {
    /* (0, 5], (5, 10], ...: a trip of exactly the limit falls left of it */
    int b = v[i] <= 0 ? 0 : (int)ceil(v[i] / bin - 1e-9) - 1;
    if (b >= bins)
      b = bins - 1;
    if (++count[b] > most)
      most = count[b];
  }
  double left = 30, right = MAP_W - 12, base = TRAVEL_H - 20, topy = 14;
  double bw = (right - left) / bins, unit = (base - topy) / most;
  rawf(h, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", MAP_W,
       TRAVEL_H);
  esc(h, trip_text(h, trip));
  raw(h, "\">");
  /* Grid of counts. */
  int count_step = most <= 5 ? 1 : most <= 10 ? 2 : most <= 25 ? 5 : most <= 50 ? 10 : (most + 4) / 5;
  for (int c = 0; c <= most; c += count_step) {
    double y = base - c * unit;
    rawf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"%s\" stroke-width=\"1\"/>",
         left, y, right, y, c ? "#e8e8e8" : "#1b1b1b");
    rawf(h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9.5\" fill=\"#5a5a5a\" "
            "text-anchor=\"end\">%d</text>",
         left - 4, y + 3, c);
  }
  for (int b = 0; b < bins; b++) {
    if (!count[b])
      continue;
    double x = left + b * bw + 1.2, hgt = count[b] * unit;
    rawf(h, "<rect class=\"bin\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\" fill=\"#3274a1\"><title>%d</title></rect>",
         x, base - hgt, bw - 2.4, hgt, count[b]);
  }
  int label_every = bins > 24 ? 4 : bins > 12 ? 2 : 1;
  for (int b = 0; b <= bins; b += label_every) {
    int last = b + label_every > bins;
    rawf(h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9.5\" fill=\"#5a5a5a\" "
            "text-anchor=\"%s\">%.0f%s</text>",
         left + b * bw, base + 12, last ? "end" : "middle", b * bin,
         last ? "&#160;min" : "");
  }
  if (isfinite(limit)) {
    double xl = left + (right - left) * fmin(limit, bins * bin) / (bins * bin);
    rawf(h, "<line class=\"limit\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            "y2=\"%.1f\" stroke=\"#b8322a\" stroke-width=\"1.6\" "
            "stroke-dasharray=\"4 3\"/>",
         xl, topy - 8, xl, base);
    rawf(h, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#b8322a\" "
            "text-anchor=\"end\" stroke=\"#fff\" stroke-width=\"3\" "
            "paint-order=\"stroke\">",
         xl - 4, topy - 1);
    esc(h, TR("limit ", "grænse "));
    minutes(h, limit);
    raw(h, "</text>");
  }
  raw(h, "</svg>\n<figcaption>");
  double median = (v[(n - 1) / 2] + v[n / 2]) / 2;
  bp_buffer t = {0}, m = {0};
  bp_text_minutes(&t, median, h->lang);
  bp_text_minutes(&m, v[n - 1], h->lang);
  escf(h, TR("%zu household%s. Half travel %s or less; the longest trip is "
             "%s.",
             "%zu husstand%s. Halvdelen rejser %s eller mindre; den længste "
             "tur er %s."),
       n, n == 1 ? "" : TR("s", "e"), t.data, m.data);
  bp_buffer_free(&t);
  bp_buffer_free(&m);
  raw(h, "</figcaption>\n</figure>\n");
  free(count);
  free(v);
}

static void travel(html *h) {
  raw(h, "<section id=\"travel\">\n<h2>");
  esc(h, TR("Travel times from the proposed homes",
            "Rejsetid fra de foreslåede boliger"));
  raw(h, "</h2>\n<p>");
  esc(h, TR("Minutes by public transport, door to door (walk to the stop, "
            "the ride and the average wait), for the households that make "
            "each trip. Each bar counts the households whose trip falls in "
            "its step of minutes; the dashed line is the council's limit.",
            "Minutter med offentlig transport fra dør til dør (gang til "
            "stoppestedet, turen og den gennemsnitlige ventetid) for de "
            "husstande, der har turen. Hver søjle tæller de husstande, hvis "
            "tur falder i dens trin af minutter; den stiplede linje er "
            "byrådets grænse."));
  raw(h, "</p>\n");
  travel_chart(h, BP_TRIP_LANGUAGE_SCHOOL);
  travel_chart(h, BP_TRIP_SCHOOL);
  travel_chart(h, BP_TRIP_JOB);
  raw(h, "</section>\n");
}

/* ------------------------------------------------------------------ */
/* Proposals and unplaced households                                    */
/* ------------------------------------------------------------------ */

static void proposals(html *h) {
  const bp_report *r = h->r;
  raw(h, "<section id=\"proposals\" class=\"page\">\n<h2>");
  esc(h, TR("The proposals", "Forslagene"));
  raw(h, "</h2>\n<p>");
  esc(h, TR("One row per household proposed a home, with the reason as a "
            "caseworker can read it out. Households are named by their case "
            "number only.",
            "Én række pr. husstand med et boligforslag, med begrundelsen, "
            "som en sagsbehandler kan læse den op. Husstandene står kun med "
            "deres sagsnummer."));
  raw(h, "</p>\n");
  if (r->n_proposals == 0) {
    raw(h, "<p class=\"note\">");
    esc(h, TR("No household could be proposed a home this week.",
              "Ingen husstand kunne få et boligforslag i denne uge."));
    raw(h, "</p>\n</section>\n");
    return;
  }
  raw(h, "<table class=\"rows\" data-table=\"proposals\">\n<thead><tr><th>");
  esc(h, TR("Household", "Husstand"));
  raw(h, "</th><th>");
  esc(h, TR("Home", "Bolig"));
  raw(h, "</th><th>");
  esc(h, TR("Area", "Område"));
  raw(h, "</th><th>");
  esc(h, TR("Reason", "Begrundelse"));
  raw(h, "</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < r->n_proposals; i++) {
    const bp_report_proposal *x = &r->proposals[i];
    raw(h, "<tr data-household=\"");
    esc(h, x->household_id);
    raw(h, "\"><td class=\"id\">");
    esc(h, x->household_id);
    raw(h, "<br><span class=\"tag\">");
    escf(h, "%d %s", x->persons,
         x->persons == 1 ? TR("person", "person") : TR("persons", "personer"));
    raw(h, "</span></td><td><b>");
    esc(h, x->unit_id);
    raw(h, "</b><br><span class=\"tag\">");
    esc(h, kind_text(h, x->kind));
    raw(h, "</span></td><td>");
    esc(h, r->areas[x->area].name);
    raw(h, "</td><td class=\"reason\">");
    esc(h, x->reason[h->lang]);
    raw(h, "</td></tr>\n");
  }
  raw(h, "</tbody>\n</table>\n</section>\n");
}

static void unplaced(html *h) {
  const bp_report *r = h->r;
  raw(h, "<section id=\"unplaced\">\n<h2>");
  esc(h, TR("Households without a proposal", "Husstande uden forslag"));
  raw(h, "</h2>\n");
  if (r->n_unplaced == 0) {
    raw(h, "<p>");
    esc(h, TR("Every household has been proposed a home.",
              "Alle husstande har fået et boligforslag."));
    raw(h, "</p>\n</section>\n");
    return;
  }
  raw(h, "<p>");
  esc(h, TR("They stay on the list for next week's offers. The reason says "
            "what stood in the way, in figures; below it, the home that came "
            "closest.",
            "De bliver stående til næste uges tilbud. Begrundelsen siger, hvad "
            "der stod i vejen, i tal; under den står den bolig, der kom "
            "tættest på."));
  raw(h, "</p>\n<table class=\"rows\" data-table=\"unplaced\">\n<thead><tr><th>");
  esc(h, TR("Household", "Husstand"));
  raw(h, "</th><th>");
  esc(h, TR("Why", "Hvorfor"));
  raw(h, "</th><th>");
  esc(h, TR("Reason", "Begrundelse"));
  raw(h, "</th></tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < r->n_unplaced; i++) {
    const bp_report_unplaced *x = &r->unplaced[i];
    raw(h, "<tr data-household=\"");
    esc(h, x->household_id);
    raw(h, "\"><td class=\"id\">");
    esc(h, x->household_id);
    raw(h, "</td><td>");
    esc(h, reason_code_text(h, x->reason_code));
    raw(h, "<br><span class=\"tag mono\">");
    esc(h, x->reason_code);
    raw(h, "</span></td><td class=\"reason\">");
    esc(h, x->reason[h->lang]);
    if (*x->nearest_miss[h->lang]) {
      raw(h, "<div class=\"miss\">");
      esc(h, x->nearest_miss[h->lang]);
      raw(h, "</div>");
    }
    raw(h, "</td></tr>\n");
  }
  raw(h, "</tbody>\n</table>\n</section>\n");
}

/* ------------------------------------------------------------------ */
/* How the figures are computed, and the run record                     */
/* ------------------------------------------------------------------ */

static void about(html *h) {
  const bp_report *r = h->r;
  raw(h, "<section id=\"about\">\n<h2>");
  esc(h, TR("How the figures are computed", "Sådan beregnes tallene"));
  raw(h, "</h2>\n<p>");
  esc(h, TR("For area a: n\xe2\x82\x90 newcomer households and N\xe2\x82\x90 all "
            "households after the proposals, p\xe2\x82\x90 households proposed a "
            "home there this week; n, N and P are the sums over all areas.",
            "For område a: n\xe2\x82\x90 nytilkomne husstande og N\xe2\x82\x90 alle "
            "husstande efter forslagene, p\xe2\x82\x90 husstande med et "
            "boligforslag der i denne uge; n, N og P er summerne over alle "
            "områder."));
  raw(h, "</p>\n<ul>\n<li>");
  esc(h, TR("Dissimilarity index: ", "Dissimilaritetsindeks: "));
  raw(h, "<span class=\"formula\">D = \xc2\xbd \xce\xa3\xe2\x82\x90 "
         "|n\xe2\x82\x90/n \xe2\x88\x92 (N\xe2\x82\x90 \xe2\x88\x92 n\xe2\x82\x90)/(N \xe2\x88\x92 n)|</span>");
  esc(h, TR(" (0 when there are no newcomers, or nobody else).",
            " (0, når der ingen nytilkomne er, eller ingen andre)."));
  raw(h, "</li>\n<li>");
  esc(h, TR("Concentration of the proposals (Herfindahl\xe2\x80\x93Hirschman): ",
            "Koncentration af forslagene (Herfindahl-Hirschman): "));
  raw(h, "<span class=\"formula\">HHI = \xce\xa3\xe2\x82\x90 (p\xe2\x82\x90/P)\xc2\xb2</span>");
  esc(h, TR(" (0 when there are no proposals).",
            " (0, når der ingen forslag er)."));
  raw(h, "</li>\n<li>");
  esc(h, TR("A share is at or over its cap when share \xe2\x89\xa5 cap. Each area, "
            "school and daycare has its own cap where the case gives one, "
            "otherwise the policy's: ",
            "En andel er på eller over loftet, når andel \xe2\x89\xa5 loft. Hvert "
            "område, hver skole og hvert dagtilbud har sit eget loft, hvor "
            "sagen angiver et, ellers politikkens: "));
  cap_text(h, r->max_newcomer_share);
  esc(h, TR(" for newcomers, ", " for nytilkomne, "));
  cap_text(h, r->max_bilingual_share);
  esc(h, TR(" for bilingual children.", " for tosprogede børn."));
  raw(h, "</li>\n<li>");
  esc(h, TR("Travel limits of the policy: ", "Politikkens grænser for rejsetid: "));
  for (int t = 0; t < BP_TRIP_COUNT; t++) {
    if (t)
      raw(h, ", ");
    bp_buffer lower = {0};
    bp_buffer_append(&lower, trip_text(h, (bp_trip)t));
    if (lower.data[0] >= 'A' && lower.data[0] <= 'Z')
      lower.data[0] = (char)(lower.data[0] - 'A' + 'a');
    esc(h, lower.data);
    bp_buffer_free(&lower);
    raw(h, " ");
    minutes(h, r->max_minutes[t]);
  }
  raw(h, ".</li>\n</ul>\n<h3>");
  esc(h, TR("Run record", "Kørslens data"));
  raw(h, "</h3>\n<dl class=\"record\">\n<dt>");
  esc(h, TR("Case", "Sag"));
  raw(h, "</dt><dd><code>");
  esc(h, r->case_dir);
  raw(h, "</code></dd>\n<dt>");
  esc(h, TR("Policy", "Politik"));
  raw(h, "</dt><dd><code>");
  esc(h, r->policy_source ? r->policy_source
                          : TR("built-in defaults", "indbyggede standardværdier"));
  raw(h, "</code></dd>\n<dt>");
  esc(h, TR("Solver", "Løser"));
  raw(h, "</dt><dd>");
  esc(h, solver_status_text(h, r->solver_status));
  if (isfinite(r->gap)) {
    esc(h, TR(", gap ", ", gab "));
    percent(h, r->gap, 2, 0);
  }
  if (isfinite(r->objective)) {
    esc(h, TR(", soft objective ", ", blød målfunktion "));
    number(h, r->objective, 2, 0);
  }
  raw(h, "</dd>\n<dt>");
  esc(h, TR("Offered", "Tilbudt"));
  raw(h, "</dt><dd>");
  escf(h, TR("%d units with %d places", "%d boliger med %d pladser"), r->units,
       r->places);
  raw(h, "</dd>\n<dt>");
  esc(h, TR("Inputs", "Input"));
  raw(h, "</dt><dd><code>");
  esc(h, r->fingerprint);
  raw(h, "</code><br><span class=\"note\">");
  esc(h, TR("SHA-256 over the input files' names and hashes below (the "
            "first 12 characters are in the heading): the same inputs give "
            "the same key and the same report. The report holds no date.",
            "SHA-256 over inputfilernes navne og hashværdier herunder (de "
            "første 12 tegn står i overskriften): de samme input giver den "
            "samme nøgle og den samme rapport. Rapporten har ingen dato."));
  raw(h, "</span></dd>\n");
  for (size_t i = 0; i < r->n_inputs; i++) {
    raw(h, "<dt><code>");
    esc(h, r->inputs[i].file);
    raw(h, "</code></dt><dd><code>");
    esc(h, r->inputs[i].sha256);
    raw(h, "</code></dd>\n");
  }
  raw(h, "<dt>");
  esc(h, TR("Program", "Program"));
  raw(h, "</dt><dd>boplace ");
  esc(h, r->boplace_version);
  raw(h, "</dd>\n</dl>\n<p class=\"note\">");
  esc(h, TR("The same figures for machines are in summary.json; the proposed "
            "homes as points for a GIS in placements.geojson. This report names "
            "no person: households and homes appear by their case numbers.",
            "De samme tal til maskiner står i summary.json; de foreslåede "
            "boliger som punkter til GIS i placements.geojson. Rapporten "
            "nævner ingen personer: husstande og boliger står med deres "
            "sagsnumre."));
  raw(h, "</p>\n</section>\n");
}

void bp_report_html(const bp_report *report, bp_language lang, bp_buffer *out) {
  html h = {report, lang == BP_LANG_DA ? BP_LANG_DA : BP_LANG_EN, out};
  head(&h);
  header(&h);
  indices(&h);
  map(&h);
  area_chart(&h);
  institutions_section(&h);
  travel(&h);
  proposals(&h);
  unplaced(&h);
  about(&h);
  raw(&h, "</main>\n</body>\n</html>\n");
}
