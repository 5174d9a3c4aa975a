/**
 * @file read_csv.h
 * @brief The CSV dialect of SPEC.md and typed, located field parsing: the
 *        ground floor of the read stage (read_case.c builds on it).
 *
 * A table is read in two steps.  bp_csv_read() checks the file as text: it
 * exists, is not too large, is UTF-8, has a header and rows of the header's
 * width, and its quotes are balanced.  bp_csv_bind() then matches the header
 * against the columns a table expects.  After that, the typed getters
 * (bp_csv_int, bp_csv_decimal, ...) turn fields into values, and every
 * problem they meet is recorded as "file:line:column: column: message" in
 * the table's diagnostics, so that one run reports every problem at once.
 *
 * The dialect, as Danish offices export it:
 *  - delimiter ',' or ';', whichever occurs more often outside quotes in the
 *    header line;
 *  - UTF-8 with or without a byte order mark; RFC 4180 quoting, quoted fields
 *    may hold the delimiter, doubled quotes and line breaks; CRLF or LF;
 *  - spaces around unquoted fields are trimmed; blank lines (and rows whose
 *    fields are all empty, as spreadsheets write them) are skipped, but still
 *    counted, so that line numbers are those an editor shows;
 *  - a decimal comma is accepted when the delimiter is ';' ("6234,50"); no
 *    thousands separators; numbers never depend on the process locale.
 *
 * Lines are 1-based physical lines; a row that holds a quoted line break
 * spans several and is located at the line where it begins.  Columns are
 * the 1-based position of the field in its row.
 */
#ifndef BOPLACE_READ_CSV_H
#define BOPLACE_READ_CSV_H

#include <stddef.h>

#include "boplace.h"

/** Longest physical line, and longest row when a quoted field spans lines. */
#define BP_CSV_MAX_LINE (64 * 1024)
/** Largest input file; checked before a byte is read. */
#define BP_CSV_MAX_FILE ((long long)256 * 1024 * 1024)
/** Largest policy file: a handful of keys; anything larger is a mistake. */
#define BP_POLICY_MAX_FILE ((long long)1024 * 1024)
/** Largest whole number a count may hold, so that sums of a few counts
 *  (persons of a household, households of an area plus those placed) can
 *  never overflow an int.  Ranges given as INT_MAX stop here. */
#define BP_CSV_INT_LIMIT 100000000
/** Messages recorded per file; further ones are only counted, so that a
 *  file saved in the wrong format does not bury the report. */
#define BP_CSV_MAX_MESSAGES 100

/** Flags of bp_csv_read(). */
enum {
  BP_CSV_REQUIRED = 1,  /**< a missing file is an error, not an empty table */
  BP_CSV_NEEDS_ROWS = 2 /**< a header without rows is an error */
};

/** One data row, fields as text (unquoted, unescaped, trimmed if unquoted). */
typedef struct {
  int line;       /**< physical line where the row begins */
  char **fields;  /**< as many as the header has */
  size_t n_fields;
} bp_csv_row;

/** A column a table expects. */
typedef struct {
  const char *name; /**< header name, case-sensitive */
  int required;     /**< must be in the header, and no field may be empty */
} bp_csv_column;

typedef struct {
  char *file;            /**< the name messages use, e.g. "units.csv" */
  bp_diagnostics *diag;  /**< where messages about this file go */
  int found;             /**< the file exists and could be opened */
  int usable;            /**< a header was read and bound without error */
  char delimiter;        /**< ',' or ';' */
  char sha256[65];       /**< hex digest of the file's bytes */
  int header_line;       /**< line of the header row, 0 = none */
  char **header;         size_t n_header;
  bp_csv_row *rows;      size_t n_rows, rows_capacity;
  size_t rows_seen;      /**< data rows found, including rejected ones */
  /* Set by bp_csv_bind(). */
  const bp_csv_column *columns; size_t n_columns;
  int *position;         /**< per expected column: field index, -1 = absent */
  /* Message counts, for the per-file limit. */
  size_t errors, warnings, suppressed_errors, suppressed_warnings;
} bp_csv_table;

/** Reads and checks the CSV file at path; messages name it `file`.  A
 *  missing file is an error only with BP_CSV_REQUIRED; otherwise the table
 *  is left empty with found = 0.  Returns BP_INVALID if any error was
 *  recorded about the file.  The caller frees the table either way. */
bp_status bp_csv_read(const char *path, const char *file, unsigned flags,
                      bp_csv_table *table, bp_diagnostics *diag);
/** The same for text already in memory (length bytes, the whole file). */
bp_status bp_csv_read_text(const char *text, size_t length, const char *file,
                           unsigned flags, bp_csv_table *table,
                           bp_diagnostics *diag);

/** Matches the header against the expected columns: a missing required
 *  column or a duplicate header name is an error, an unknown column a
 *  warning.  Returns BP_INVALID (and leaves usable = 0) on error. */
bp_status bp_csv_bind(bp_csv_table *table, const bp_csv_column *columns,
                      size_t n_columns);

/** Reports the messages held back by the per-file limit, as one line each
 *  for errors and warnings.  Call once, when all checks of the file ran. */
void bp_csv_summarize(bp_csv_table *table);
void bp_csv_table_free(bp_csv_table *table);

/** Records a message about the file, subject to the per-file limit. */
void bp_csv_error(bp_csv_table *table, int line, int column,
                  const char *format, ...)
    __attribute__((format(printf, 4, 5)));
void bp_csv_warning(bp_csv_table *table, int line, int column,
                    const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/** The 1-based position of an expected column in the header, 0 = absent. */
int bp_csv_column_number(const bp_csv_table *table, int column);
/** A field's text; "" when the column is absent. */
const char *bp_csv_field(const bp_csv_table *table, const bp_csv_row *row,
                         int column);
/** Whether the field is present and not empty. */
int bp_csv_has(const bp_csv_table *table, const bp_csv_row *row, int column);

/* Typed getters.  Each reads one field of an expected column.  An empty
 * field (or an absent optional column) yields `fallback` when the column is
 * optional and is an error when it is required.  A field that does not
 * parse or is out of range is an error naming the column, what was
 * expected and what was found.  They return 1 when *value holds a good
 * value, 0 after recording an error (*value then holds the fallback). */

/** A range for decimals; use -INFINITY / INFINITY for no bound. */
typedef struct {
  double min, max;
  int min_exclusive; /**< min itself is not allowed ("> 0") */
} bp_decimal_range;

int bp_csv_int(bp_csv_table *table, const bp_csv_row *row, int column,
               int min, int max, int fallback, int *value);
int bp_csv_decimal(bp_csv_table *table, const bp_csv_row *row, int column,
                   bp_decimal_range range, double fallback, double *value);
/** 0/1, also true/false, yes/no, ja/nej in any case. */
int bp_csv_flag(bp_csv_table *table, const bp_csv_row *row, int column,
                int fallback, int *value);
/** An identifier: non-empty text without control characters.  *value
 *  points into the row (not a copy); NULL when empty and optional. */
int bp_csv_id(bp_csv_table *table, const bp_csv_row *row, int column,
              const char **value);
/** Free text, copied; NULL when the field is empty and the column optional,
 *  "" when it is empty and required. */
int bp_csv_text(bp_csv_table *table, const bp_csv_row *row, int column,
                char **value);
/** A date YYYY-MM-DD that exists in the calendar, copied; NULL when empty. */
int bp_csv_date(bp_csv_table *table, const bp_csv_row *row, int column,
                char **value);
/** One of names[0..n) (any case); *value is its index. */
int bp_csv_choice(bp_csv_table *table, const bp_csv_row *row, int column,
                  const char *const *names, int n_names, int fallback,
                  int *value);

/* The parsers underneath, for the tests and for other readers.  Each
 * returns 1 when the whole text is a well-formed value. */

/** Decimal digits with an optional sign; fails on overflow of long long. */
int bp_parse_int(const char *text, long long *value);
/** [sign] digits [separator digits] [e [sign] digits], where the separator
 *  is '.' or, when decimal_comma is set, also ','.  No NaN, no infinity,
 *  no hex, no thousands separators; the result is finite. */
int bp_parse_decimal(const char *text, int decimal_comma, double *value);
int bp_parse_flag(const char *text, int *value);
/** 1 for a real calendar date written YYYY-MM-DD. */
int bp_parse_date(const char *text);

/** Checks that text[0..length) is UTF-8 without NUL bytes.  Returns 1 if
 *  so; else 0 with *bad set to the offset of the first offending byte. */
int bp_utf8_valid(const char *text, size_t length, size_t *bad);

/* Shared by the read stage (read_case.c, read_policy.c). */

/** Reads a small file whole (at most max_size bytes), recording errors
 *  under the name `file`.  *data is NUL-terminated; the caller frees it. */
bp_status bp_read_file(const char *path, const char *file, long long max_size,
                       char **data, size_t *length, bp_diagnostics *diag);
/** Reads a policy from JSON text; messages name it `file`.  Only the keys
 *  present change *policy (see read_policy.c). */
bp_status bp_read_policy_text(const char *text, size_t length,
                              const char *file, bp_policy *policy,
                              bp_diagnostics *diag);

#endif
