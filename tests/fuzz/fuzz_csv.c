/**
 * @file fuzz_csv.c
 * @brief Fuzz target: the CSV dialect reader (read_csv.c) on any bytes.
 *
 * The input is one CSV file.  It is read twice, as a required table that
 * needs rows and as an optional one; when its header binds to the columns
 * below, every row goes through every typed getter, so the number, flag,
 * date, id and choice parsers and their messages all see fuzzed text.  The
 * bare parsers also get the whole input as one field.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "boplace.h"
#include "fuzz.h"
#include "read_csv.h"

enum { C_ID, C_COUNT, C_DECIMAL, C_SHARE, C_FLAG, C_DATE, C_KIND, C_TEXT };
static const bp_csv_column columns[] = {
    {"id", 1},   {"count", 0}, {"decimal", 0}, {"share", 0},
    {"flag", 0}, {"date", 0},  {"kind", 0},    {"text", 0}};
static const char *const kinds[] = {"public", "private", "senior", "shared",
                                    "transit"};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  return 0;
}

static void read_as(const uint8_t *data, size_t size, unsigned flags) {
  bp_diagnostics diag = {0};
  bp_csv_table t;
  bp_csv_read_text((const char *)data, size, "fuzz.csv", flags, &t, &diag);
  if (t.found && t.header_line &&
      bp_csv_bind(&t, columns, sizeof columns / sizeof *columns) == BP_OK) {
    for (size_t r = 0; r < t.n_rows; r++) {
      const bp_csv_row *row = &t.rows[r];
      const char *id;
      int whole, flag, kind;
      double decimal;
      char *text = NULL, *date = NULL;
      bp_csv_id(&t, row, C_ID, &id);
      bp_csv_int(&t, row, C_COUNT, 0, INT32_MAX, 0, &whole);
      bp_csv_decimal(&t, row, C_DECIMAL, (bp_decimal_range){0, INFINITY, 1}, 0,
                     &decimal);
      bp_csv_decimal(&t, row, C_SHARE, (bp_decimal_range){0, 1, 0}, NAN,
                     &decimal);
      bp_csv_flag(&t, row, C_FLAG, 0, &flag);
      bp_csv_date(&t, row, C_DATE, &date);
      bp_csv_choice(&t, row, C_KIND, kinds, 5, 0, &kind);
      bp_csv_text(&t, row, C_TEXT, &text);
      free(text);
      free(date);
    }
  }
  bp_csv_summarize(&t);
  bp_csv_table_free(&t);
  bp_diagnostics_sort(&diag);
  bp_diagnostics_print(&diag, fuzz_sink());
  bp_diagnostics_free(&diag);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  read_as(data, size, BP_CSV_REQUIRED | BP_CSV_NEEDS_ROWS);
  read_as(data, size, 0);

  size_t bad;
  bp_utf8_valid((const char *)data, size, &bad);
  if (size > 4096) /* the parsers see fields, which are short */
    return 0;
  char *field = bp_strndup((const char *)data, size);
  long long whole;
  double decimal;
  int flag;
  bp_parse_int(field, &whole);
  bp_parse_decimal(field, 0, &decimal);
  bp_parse_decimal(field, 1, &decimal);
  bp_parse_flag(field, &flag);
  bp_parse_date(field);
  free(field);
  return 0;
}
