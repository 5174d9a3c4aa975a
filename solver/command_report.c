/**
 * @file command_report.c
 * @brief `boplace report OUT_DIR`: renders report.html again from a run's
 *        summary.json, in English or Danish.
 *
 * The report is a pure function of summary.json and the language
 * (report.h), so re-rendering a run's outputs in the run's own language
 * gives the very bytes `boplace run` wrote; in the other language it gives
 * the same report with every word and number in that language, the
 * households' reasons included (summary.json carries both).
 *
 * Exit status as everywhere (SPEC.md): 0 done, 1 wrong usage, 2 the
 * summary.json is missing or not one boplace wrote, 3 the report could not
 * be written (nothing half-written is left behind).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "export.h"
#include "report.h"

static const char *report_help =
    "NAME\n"
    "    boplace report - render the spread report of a run again\n"
    "\n"
    "SYNOPSIS\n"
    "    boplace report OUT_DIR [--lang en|da] [-o FILE]\n"
    "\n"
    "DESCRIPTION\n"
    "    Every 'boplace run' writes report.html, a self-contained page for the\n"
    "    council (map, shares before and after against their caps, travel\n"
    "    times, the proposals and the households left without one, and the\n"
    "    spread indices), and summary.json, the same figures for machines.\n"
    "    'boplace report' renders report.html again from OUT_DIR/summary.json\n"
    "    alone: the case directory is not read and nothing is solved.\n"
    "\n"
    "    In the run's own language the result is byte for byte the report.html\n"
    "    the run wrote. In the other language every text is translated, the\n"
    "    households' reasons included, and numbers are written the language's\n"
    "    way (14.2% / 14,2 %).\n"
    "\n"
    "OPTIONS\n"
    "    --lang en|da   the language of the report (default: the run's)\n"
    "    -o, --out FILE where to write it (default: OUT_DIR/report.html). The\n"
    "                   file is replaced whole or not at all, readable by its\n"
    "                   owner only.\n"
    "    -h, --help     this text\n"
    "\n"
    "EXIT STATUS\n"
    "    0  the report was written\n"
    "    1  wrong usage\n"
    "    2  OUT_DIR/summary.json is missing or not written by this boplace\n"
    "       (every problem is listed)\n"
    "    3  the report could not be written\n"
    "\n"
    "FILES\n"
    "    summary.json, report.html and placements.geojson, and the spread\n"
    "    indices with their formulas, are described in data/OUTPUTS.md.\n"
    "\n"
    "EXAMPLES\n"
    "    boplace run data/sample -o out\n"
    "    boplace report out --lang da -o out/rapport.html\n";

static int usage(const char *message, const char *detail) {
  return bp_command_usage("boplace report", message, detail);
}

/* The whole file, NUL-terminated; NULL with a message when unreadable. */
static char *read_file(const char *path, size_t *length, bp_diagnostics *diag) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    bp_error(diag, path, 0, 0, "cannot read: %s%s", strerror(errno),
             errno == ENOENT ? " (is this the output directory of "
                               "'boplace run'?)"
                             : "");
    return NULL;
  }
  bp_buffer b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    bp_buffer_append_n(&b, chunk, n);
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    bp_error(diag, path, 0, 0, "cannot read the file");
    bp_buffer_free(&b);
    return NULL;
  }
  *length = b.length;
  return bp_buffer_take(&b);
}

int bp_command_report(int argc, char **argv) {
  const char *out_dir = NULL, *target = NULL;
  int language = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(report_help, stdout);
      return BP_OK;
    } else if (strcmp(a, "--lang") == 0) {
      if (!value || (strcmp(value, "en") && strcmp(value, "da")))
        return usage("--lang takes en or da", NULL);
      language = strcmp(value, "da") == 0 ? BP_LANG_DA : BP_LANG_EN;
      i++;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
      if (!value)
        return usage("-o needs a file", NULL);
      target = value;
      i++;
    } else if (a[0] == '-' && a[1]) {
      return usage("unknown option: ", a);
    } else if (!out_dir) {
      out_dir = a;
    } else {
      return usage("unexpected argument: ", a);
    }
  }
  if (!out_dir)
    return usage("needs the OUT_DIR of a run", NULL);

  bp_diagnostics diag = {0};
  char *summary_path = bp_format("%s/summary.json", out_dir);
  char *target_path = target ? bp_strdup(target)
                             : bp_format("%s/report.html", out_dir);
  size_t length = 0;
  char *text = read_file(summary_path, &length, &diag);
  bp_status status = text ? BP_OK : BP_INVALID;
  bp_report report;
  if (status == BP_OK)
    status = bp_report_parse_summary(text, length, summary_path, &report, &diag);
  if (status == BP_OK) {
    bp_buffer html = {0};
    bp_language lang = language >= 0 ? (bp_language)language : report.language;
    bp_report_html(&report, lang, &html);
    status = bp_write_file_atomically(target_path, html.data ? html.data : "",
                                      html.length, &diag);
    if (status == BP_OK)
      printf("%s: %s\n", lang == BP_LANG_DA ? "Rapport" : "Report",
             target_path);
    bp_buffer_free(&html);
    bp_report_free(&report);
  }
  bp_diagnostics_sort(&diag);
  bp_diagnostics_print(&diag, stderr);
  if (status == BP_INVALID)
    fprintf(stderr, "boplace report: %zu problem%s found; nothing was "
                    "written.\n",
            diag.errors, diag.errors == 1 ? "" : "s");
  bp_diagnostics_free(&diag);
  free(text);
  free(summary_path);
  free(target_path);
  return status;
}
