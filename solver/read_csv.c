/**
 * @file read_csv.c
 * @brief The CSV dialect of SPEC.md on top of libcsv, with line tracking,
 *        bounded memory and typed field parsers that say where and what.
 *
 * How lines are tracked.  libcsv reports fields and rows but not where they
 * are.  So the file is cut into physical lines here, and each line is fed to
 * libcsv on its own, with '\n' as the only row terminator (a '\r' before the
 * '\n' is dropped first, so CRLF and LF files parse alike and quoted line
 * breaks always arrive as "\n").  Then:
 *  - a field ends on the line being fed, so it begins that many lines
 *    earlier as it holds "\n"s; the first field of a row gives the row's line;
 *  - a row ends exactly when the '\n' of a line closes it; a non-blank line
 *    whose '\n' does not close the row has left a quoted field open, which
 *    is how an unterminated quote is found and located.
 *
 * Why strict mode.  libcsv's lenient mode silently swallows a stray quote
 * and everything after it; CSV_STRICT stops at the byte instead, and the
 * reader reports it, drops that row and goes on with the next line.
 *
 * Memory stays bounded: the file size is checked with stat() before reading,
 * lines longer than BP_CSV_MAX_LINE are skipped without being stored, and a
 * quoted field that grows past that limit ends the reading of the file.
 */
#include "read_csv.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sha256.h"

#define UTF8_HINT "re-save the file as UTF-8 (in Excel: 'CSV UTF-8')"

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

static void vreport(bp_csv_table *t, bp_severity severity, int line, int column,
                    const char *format, va_list args) {
  size_t *count = severity == BP_SEVERITY_ERROR ? &t->errors : &t->warnings;
  size_t *held =
      severity == BP_SEVERITY_ERROR ? &t->suppressed_errors : &t->suppressed_warnings;
  (*count)++;
  if (t->errors + t->warnings - t->suppressed_errors - t->suppressed_warnings >
      BP_CSV_MAX_MESSAGES) {
    (*held)++;
    return;
  }
  char text[1024];
  vsnprintf(text, sizeof text, format, args);
  if (severity == BP_SEVERITY_ERROR)
    bp_error(t->diag, t->file, line, column, "%s", text);
  else
    bp_warning(t->diag, t->file, line, column, "%s", text);
}

void bp_csv_error(bp_csv_table *t, int line, int column, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vreport(t, BP_SEVERITY_ERROR, line, column, format, args);
  va_end(args);
}

void bp_csv_warning(bp_csv_table *t, int line, int column, const char *format,
                    ...) {
  va_list args;
  va_start(args, format);
  vreport(t, BP_SEVERITY_WARNING, line, column, format, args);
  va_end(args);
}

void bp_csv_summarize(bp_csv_table *t) {
  if (t->suppressed_errors)
    bp_error(t->diag, t->file, 0, 0,
             "%zu more errors in this file not shown (the first %d messages are)",
             t->suppressed_errors, BP_CSV_MAX_MESSAGES);
  if (t->suppressed_warnings)
    bp_warning(t->diag, t->file, 0, 0, "%zu more warnings in this file not shown",
               t->suppressed_warnings);
  t->suppressed_errors = t->suppressed_warnings = 0;
}

/* Text from the input, made fit to quote in a one-line message: at most 40
 * bytes (cut at a character boundary), line breaks and control characters
 * shown as escapes. */
static void quote_for_message(const char *text, char *out, size_t size) {
  size_t o = 0, limit = 40;
  out[o++] = '"';
  size_t i = 0;
  for (; text[i] && i < limit && o + 8 < size; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '\n') {
      out[o++] = '\\';
      out[o++] = 'n';
    } else if (c < 0x20 || c == 0x7f) {
      o += (size_t)snprintf(out + o, size - o, "\\x%02X", c);
    } else {
      out[o++] = (char)c;
    }
  }
  if (text[i]) {
    /* Do not cut a multi-byte character in half. */
    while (o > 1 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
      o--;
    if (o > 1 && (unsigned char)out[o - 1] >= 0xC0)
      o--;
    out[o++] = '.';
    out[o++] = '.';
    out[o++] = '.';
  }
  out[o++] = '"';
  out[o] = '\0';
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

int bp_utf8_valid(const char *text, size_t length, size_t *bad) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < length) {
    unsigned char c = s[i];
    size_t need;
    unsigned min_code;
    unsigned code;
    if (c == 0) {
      *bad = i;
      return 0;
    } else if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      need = 1, code = c & 0x1F, min_code = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2, code = c & 0x0F, min_code = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3, code = c & 0x07, min_code = 0x10000;
    } else {
      *bad = i;
      return 0;
    }
    for (size_t k = 1; k <= need; k++) {
      if (i + k >= length || (s[i + k] & 0xC0) != 0x80) {
        *bad = i;
        return 0;
      }
      code = (code << 6) | (s[i + k] & 0x3F);
    }
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are
     * not UTF-8 (RFC 3629). */
    if (code < min_code || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      *bad = i;
      return 0;
    }
    i += need + 1;
  }
  return 1;
}

/* ------------------------------------------------------------------ */
/* The reader: physical lines in, rows out                             */
/* ------------------------------------------------------------------ */

typedef struct {
  bp_csv_table *t;
  unsigned flags;
  struct csv_parser parser;
  int parser_live;
  int delimiter_known;

  /* The physical line being assembled. */
  char *line;
  size_t line_length;
  int line_overflow;
  int line_number;
  int at_start;     /* nothing fed yet: the place for a byte order mark */
  long long fed;    /* bytes seen, to guard a file that grows while read */

  /* The row being parsed. */
  char **fields;
  size_t n_fields, fields_capacity;
  int row_line;
  int row_open;         /* a quoted field runs on past the current line */
  int open_quote_line;  /* where that quoted field began */
  int open_quote_column;
  size_t row_bytes;
  int fields_this_line;
  int row_ended_this_line;

  /* The first text that is not UTF-8, reported once per file at the end. */
  int bad_utf8_line, bad_utf8_column;
  unsigned bad_utf8_byte;
  char *bad_utf8_column_name;
  size_t bad_utf8_more;

  int saw_text;  /* a line that is not blank */
  int stopped;   /* a problem that ends the reading of this file */
} csv_reader;

static const unsigned char parser_options = CSV_STRICT;

static void reader_reset_parser(csv_reader *r) {
  if (r->parser_live)
    csv_free(&r->parser);
  csv_init(&r->parser, parser_options);
  csv_set_delim(&r->parser, (unsigned char)r->t->delimiter);
  r->parser_live = 1;
}

static void discard_row(csv_reader *r) {
  for (size_t i = 0; i < r->n_fields; i++)
    free(r->fields[i]);
  r->n_fields = 0;
  r->row_line = 0;
  r->row_open = 0;
  r->row_bytes = 0;
}

static const char *column_name_at(const csv_reader *r, size_t index) {
  if (r->t->header_line == 0)
    return "header";
  if (index < r->t->n_header && r->t->header[index][0])
    return r->t->header[index];
  return "field";
}

static void on_field(void *data, size_t length, void *context) {
  csv_reader *r = context;
  const char *text = data ? data : "";
  int newlines = 0;
  for (size_t i = 0; i < length; i++)
    newlines += text[i] == '\n';
  int start_line = r->line_number - newlines;
  if (r->n_fields == 0)
    r->row_line = start_line;

  size_t bad;
  if (!bp_utf8_valid(text, length, &bad)) {
    if (r->bad_utf8_line == 0) {
      int line = start_line;
      for (size_t i = 0; i < bad; i++)
        line += text[i] == '\n';
      r->bad_utf8_line = line;
      r->bad_utf8_column = (int)r->n_fields + 1;
      r->bad_utf8_byte = (unsigned char)text[bad];
      r->bad_utf8_column_name = bp_strdup(column_name_at(r, r->n_fields));
    } else {
      r->bad_utf8_more++;
    }
  }

  if (r->n_fields == r->fields_capacity) {
    r->fields_capacity = r->fields_capacity ? 2 * r->fields_capacity : 16;
    r->fields = bp_realloc(r->fields, r->fields_capacity * sizeof *r->fields);
  }
  r->fields[r->n_fields++] = bp_strndup(text, length);
  r->fields_this_line++;
}

/* One allocation for a row: its field pointers, then the texts they point
 * to.  A big file has millions of short fields, and a block of their own
 * for each would take several times the file's size in memory. */
static char **pack_fields(char *const *fields, size_t n) {
  size_t bytes = n * sizeof(char *);
  for (size_t i = 0; i < n; i++)
    bytes += strlen(fields[i]) + 1;
  char **packed = bp_alloc(bytes ? bytes : 1);
  char *text = (char *)(packed + n);
  for (size_t i = 0; i < n; i++) {
    size_t length = strlen(fields[i]) + 1;
    memcpy(text, fields[i], length);
    packed[i] = text;
    text += length;
  }
  return packed;
}

static int row_is_all_empty(const csv_reader *r) {
  for (size_t i = 0; i < r->n_fields; i++)
    if (r->fields[i][0])
      return 0;
  return 1;
}

static void on_row(int terminator, void *context) {
  (void)terminator;
  csv_reader *r = context;
  bp_csv_table *t = r->t;
  r->row_ended_this_line = 1;

  if (t->header_line == 0) {
    t->header_line = r->row_line;
    t->header = r->fields;
    t->n_header = r->n_fields;
    r->fields = NULL;
    r->n_fields = r->fields_capacity = 0;
  } else if (row_is_all_empty(r)) {
    /* ";;;;" rows are what spreadsheets write for rows that were once
     * touched; they hold no data, so they count as blank lines. */
    discard_row(r);
  } else {
    t->rows_seen++;
    if (r->n_fields != t->n_header) {
      int column = r->n_fields > t->n_header ? (int)t->n_header + 1
                                             : (int)r->n_fields;
      bp_csv_error(t, r->row_line, column,
                   "expected %zu fields (as in the header), found %zu",
                   t->n_header, r->n_fields);
      discard_row(r);
    } else {
      if (t->n_rows == t->rows_capacity) {
        t->rows_capacity = t->rows_capacity ? 2 * t->rows_capacity : 64;
        t->rows = bp_realloc(t->rows, t->rows_capacity * sizeof *t->rows);
      }
      bp_csv_row *row = &t->rows[t->n_rows++];
      row->line = r->row_line;
      row->n_fields = r->n_fields;
      row->fields = pack_fields(r->fields, r->n_fields);
      discard_row(r);
    }
  }
  r->n_fields = 0;
  r->row_line = 0;
  r->row_open = 0;
  r->row_bytes = 0;
}

static int is_blank(const char *text, size_t length) {
  for (size_t i = 0; i < length; i++)
    if (text[i] != ' ' && text[i] != '\t')
      return 0;
  return 1;
}

/* The delimiter is whichever of ',' and ';' occurs more often outside
 * quotes in the header line; a header of one column has neither, and then
 * the choice does not matter. */
static char detect_delimiter(const char *line, size_t length) {
  size_t commas = 0, semicolons = 0;
  int quoted = 0;
  for (size_t i = 0; i < length; i++) {
    if (line[i] == '"')
      quoted = !quoted;
    else if (!quoted && line[i] == ',')
      commas++;
    else if (!quoted && line[i] == ';')
      semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

static void process_line(csv_reader *r) {
  bp_csv_table *t = r->t;
  char *line = r->line;
  size_t length = r->line_length;
  if (r->stopped)
    return;
  if (!r->line_overflow && length > 0 && line[length - 1] == '\r')
    length--;
  if (r->line_overflow || length > BP_CSV_MAX_LINE) {
    r->saw_text = 1;
    bp_csv_error(t, r->line_number, 1,
                 "line is longer than %d KiB; is this a CSV file?",
                 BP_CSV_MAX_LINE / 1024);
    discard_row(r);
    if (t->header_line == 0) {
      r->stopped = 1; /* without a header, no row can be read */
    } else {
      t->rows_seen++; /* a row, if a broken one: not "no rows" */
      reader_reset_parser(r);
    }
    return;
  }
  int blank = is_blank(line, length);
  if (!r->delimiter_known) {
    if (blank)
      return;
    t->delimiter = detect_delimiter(line, length);
    r->delimiter_known = 1;
    reader_reset_parser(r);
  }
  if (!blank)
    r->saw_text = 1;

  int was_open = r->row_open;
  if (was_open) {
    r->row_bytes += length + 1;
    if (r->row_bytes > BP_CSV_MAX_LINE) {
      bp_csv_error(t, r->open_quote_line, r->open_quote_column,
                   "unterminated quote: the quoted field that begins on line %d "
                   "runs on for more than %d KiB; is its closing quote missing?",
                   r->open_quote_line, BP_CSV_MAX_LINE / 1024);
      discard_row(r);
      t->rows_seen += t->header_line != 0;
      r->stopped = 1;
      return;
    }
  }

  r->fields_this_line = 0;
  r->row_ended_this_line = 0;
  line[length] = '\n';
  size_t used = csv_parse(&r->parser, line, length + 1, on_field, on_row, r);
  if (used < length + 1) {
    int column = (int)r->n_fields + 1;
    if (csv_error(&r->parser) != CSV_EPARSE)
      bp_csv_error(t, r->line_number, column, "cannot parse the line: %s",
                   csv_strerror(csv_error(&r->parser)));
    else if (r->parser.quoted)
      bp_csv_error(t, r->line_number, column,
                   "%s: unexpected text after the closing quote of a quoted "
                   "field; a quote inside a quoted field must be doubled (\"\")",
                   column_name_at(r, r->n_fields));
    else
      bp_csv_error(t, r->line_number, column,
                   "%s: stray quote in an unquoted field; enclose the field in "
                   "quotes and double the quote (\"\")",
                   column_name_at(r, r->n_fields));
    if (t->header_line == 0) {
      r->stopped = 1; /* without a header, no row can be read */
      return;
    }
    t->rows_seen++;
    discard_row(r);
    reader_reset_parser(r);
    return;
  }
  if (r->row_ended_this_line) {
    r->row_open = 0;
  } else if (was_open || !blank) {
    r->row_open = 1;
    if (!was_open || r->fields_this_line > 0) {
      r->open_quote_line = r->line_number;
      r->open_quote_column = (int)r->n_fields + 1;
      r->row_bytes = length + 1;
    }
  }
}

static void reader_init(csv_reader *r, bp_csv_table *t, unsigned flags) {
  memset(r, 0, sizeof *r);
  r->t = t;
  r->flags = flags;
  r->line = bp_alloc(BP_CSV_MAX_LINE + 2);
  r->line_number = 1;
  r->at_start = 1;
  t->delimiter = ',';
}

/* Feeds bytes of the file; returns 0 when the rest need not be fed. */
static int reader_feed(csv_reader *r, const char *data, size_t length) {
  if (r->at_start && length > 0) {
    r->at_start = 0;
    const unsigned char *u = (const unsigned char *)data;
    if (length >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
      data += 3;
      length -= 3;
    } else if (length >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                               (u[0] == 0xFE && u[1] == 0xFF))) {
      bp_csv_error(r->t, 0, 0, "the file is UTF-16 text, not UTF-8; " UTF8_HINT);
      r->stopped = 1;
      r->saw_text = 1;
      return 0;
    }
  }
  while (length > 0 && !r->stopped) {
    const char *newline = memchr(data, '\n', length);
    size_t piece = newline ? (size_t)(newline - data) : length;
    /* Keep at most the limit plus a '\r'; past that only note the overflow,
     * so that memory stays bounded whatever the file holds. */
    if (!r->line_overflow) {
      if (r->line_length + piece > BP_CSV_MAX_LINE + 1) {
        r->line_overflow = 1;
      } else {
        memcpy(r->line + r->line_length, data, piece);
        r->line_length += piece;
      }
    }
    if (!newline)
      break;
    process_line(r);
    r->line_length = 0;
    r->line_overflow = 0;
    r->line_number++;
    data += piece + 1;
    length -= piece + 1;
  }
  return !r->stopped;
}

static void reader_finish(csv_reader *r) {
  bp_csv_table *t = r->t;
  if (!r->stopped && (r->line_length > 0 || r->line_overflow))
    process_line(r); /* the last line had no '\n' */

  if (!r->stopped && r->row_open) {
    bp_csv_error(t, r->open_quote_line, r->open_quote_column,
                 "unterminated quote: the quoted field that begins on line %d "
                 "has no closing quote",
                 r->open_quote_line);
    t->rows_seen += t->header_line != 0;
  }
  discard_row(r);
  if (r->bad_utf8_line) {
    if (r->bad_utf8_more)
      bp_csv_error(t, r->bad_utf8_line, r->bad_utf8_column,
                   "%s: text is not valid UTF-8 (byte 0x%02X), and %zu more "
                   "fields of this file are not either; " UTF8_HINT,
                   r->bad_utf8_column_name, r->bad_utf8_byte, r->bad_utf8_more);
    else
      bp_csv_error(t, r->bad_utf8_line, r->bad_utf8_column,
                   "%s: text is not valid UTF-8 (byte 0x%02X); " UTF8_HINT,
                   r->bad_utf8_column_name, r->bad_utf8_byte);
  }
  if (!r->saw_text) {
    bp_csv_error(t, 0, 0, "the file is empty; it needs at least a header row");
  } else if (t->header_line && t->rows_seen == 0 &&
             (r->flags & BP_CSV_NEEDS_ROWS)) {
    bp_csv_error(t, 0, 0, "the file has a header but no rows; %s needs at least one",
                 t->file);
  }
  free(r->bad_utf8_column_name);
  free(r->fields);
  free(r->line);
  if (r->parser_live)
    csv_free(&r->parser);
}

static void table_start(bp_csv_table *t, const char *file, bp_diagnostics *diag) {
  memset(t, 0, sizeof *t);
  t->file = bp_strdup(file);
  t->diag = diag;
  t->delimiter = ',';
}

bp_status bp_csv_read_text(const char *text, size_t length, const char *file,
                           unsigned flags, bp_csv_table *t,
                           bp_diagnostics *diag) {
  table_start(t, file, diag);
  t->found = 1;
  bp_sha256_hex((const unsigned char *)text, length, t->sha256);
  csv_reader r;
  reader_init(&r, t, flags);
  reader_feed(&r, text, length);
  reader_finish(&r);
  return t->errors ? BP_INVALID : BP_OK;
}

bp_status bp_csv_read(const char *path, const char *file, unsigned flags,
                      bp_csv_table *t, bp_diagnostics *diag) {
  table_start(t, file, diag);
  struct stat st;
  if (stat(path, &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      if (!(flags & BP_CSV_REQUIRED))
        return BP_OK;
      bp_csv_error(t, 0, 0, "required file not found");
    } else {
      bp_csv_error(t, 0, 0, "cannot read the file: %s", strerror(errno));
    }
    return BP_INVALID;
  }
  if (!S_ISREG(st.st_mode)) {
    bp_csv_error(t, 0, 0, "not a regular file");
    return BP_INVALID;
  }
  if ((long long)st.st_size > BP_CSV_MAX_FILE) {
    bp_csv_error(t, 0, 0,
                 "the file is larger than %lld MiB (%lld bytes); split the case "
                 "or check that this is the right file",
                 BP_CSV_MAX_FILE / (1024 * 1024), (long long)st.st_size);
    return BP_INVALID;
  }
  FILE *in = fopen(path, "rb");
  if (!in) {
    bp_csv_error(t, 0, 0, "cannot open the file: %s", strerror(errno));
    return BP_INVALID;
  }
  t->found = 1;

  bp_sha256 hash;
  bp_sha256_init(&hash);
  csv_reader r;
  reader_init(&r, t, flags);
  enum { CHUNK = 64 * 1024 };
  char *chunk = bp_alloc(CHUNK);
  long long total = 0;
  size_t got;
  int feeding = 1;
  while ((got = fread(chunk, 1, CHUNK, in)) > 0) {
    total += (long long)got;
    if (total > BP_CSV_MAX_FILE) {
      /* The file grew after stat(); stop rather than hold it all. */
      bp_csv_error(t, 0, 0, "the file is larger than %lld MiB",
                   BP_CSV_MAX_FILE / (1024 * 1024));
      r.stopped = 1;
      break;
    }
    bp_sha256_update(&hash, chunk, got);
    if (feeding)
      feeding = reader_feed(&r, chunk, got);
  }
  if (ferror(in))
    bp_csv_error(t, 0, 0, "error while reading the file: %s", strerror(errno));
  fclose(in);
  free(chunk);
  reader_finish(&r);
  bp_sha256_final_hex(&hash, t->sha256);
  return t->errors ? BP_INVALID : BP_OK;
}

void bp_csv_table_free(bp_csv_table *t) {
  for (size_t i = 0; i < t->n_header; i++)
    free(t->header[i]);
  free(t->header);
  for (size_t i = 0; i < t->n_rows; i++)
    free(t->rows[i].fields); /* one block per row: see pack_fields */
  free(t->rows);
  free(t->position);
  free(t->file);
  memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ */
/* The header                                                          */
/* ------------------------------------------------------------------ */

bp_status bp_csv_bind(bp_csv_table *t, const bp_csv_column *columns,
                      size_t n_columns) {
  size_t errors_before = t->errors;
  t->columns = columns;
  t->n_columns = n_columns;
  free(t->position);
  t->position = bp_alloc((n_columns ? n_columns : 1) * sizeof *t->position);
  for (size_t c = 0; c < n_columns; c++)
    t->position[c] = -1;
  if (!t->found || t->header_line == 0)
    return BP_INVALID;

  int line = t->header_line;
  for (size_t i = 0; i < t->n_header; i++) {
    const char *name = t->header[i];
    if (!name[0]) {
      /* Spreadsheets write an empty name for a trailing empty column. */
      continue;
    }
    int duplicate = 0;
    for (size_t k = 0; k < i; k++)
      if (strcmp(t->header[k], name) == 0) {
        bp_csv_error(t, line, (int)i + 1, "duplicate column '%s' (also column %zu)",
                     name, k + 1);
        duplicate = 1;
        break;
      }
    if (duplicate)
      continue;
    size_t c = 0;
    while (c < n_columns && strcmp(columns[c].name, name) != 0)
      c++;
    if (c < n_columns)
      t->position[c] = (int)i;
    else
      bp_csv_warning(t, line, (int)i + 1, "unknown column '%s', ignored", name);
  }
  for (size_t c = 0; c < n_columns; c++) {
    if (t->position[c] >= 0 || !columns[c].required)
      continue;
    /* A near miss in case or spacing is the usual reason; name it. */
    const char *near = NULL;
    for (size_t i = 0; i < t->n_header && !near; i++)
      if (strcasecmp(t->header[i], columns[c].name) == 0)
        near = t->header[i];
    if (near)
      bp_csv_error(t, line, 0,
                   "missing required column '%s' (found '%s'; column names are "
                   "case-sensitive)",
                   columns[c].name, near);
    else
      bp_csv_error(t, line, 0, "missing required column '%s'", columns[c].name);
  }
  t->usable = t->errors == errors_before;
  return t->usable ? BP_OK : BP_INVALID;
}

int bp_csv_column_number(const bp_csv_table *t, int column) {
  if (!t->position || column < 0 || (size_t)column >= t->n_columns)
    return 0;
  return t->position[column] + 1;
}

const char *bp_csv_field(const bp_csv_table *t, const bp_csv_row *row,
                         int column) {
  int position = bp_csv_column_number(t, column) - 1;
  if (position < 0 || (size_t)position >= row->n_fields)
    return "";
  return row->fields[position];
}

int bp_csv_has(const bp_csv_table *t, const bp_csv_row *row, int column) {
  return bp_csv_field(t, row, column)[0] != '\0';
}

/* ------------------------------------------------------------------ */
/* Parsers                                                             */
/* ------------------------------------------------------------------ */

int bp_parse_int(const char *text, long long *value) {
  const char *s = text;
  int negative = 0;
  if (*s == '+' || *s == '-')
    negative = *s++ == '-';
  if (!isdigit((unsigned char)*s))
    return 0;
  long long v = 0;
  for (; isdigit((unsigned char)*s); s++) {
    int digit = *s - '0';
    if (v > (LLONG_MAX - digit) / 10)
      return 0;
    v = 10 * v + digit;
  }
  if (*s)
    return 0;
  *value = negative ? -v : v;
  return 1;
}

int bp_parse_decimal(const char *text, int decimal_comma, double *value) {
  /* Check the syntax here, so that strtod's extras (hex, "nan", "inf",
   * leading spaces, locale grouping) can never slip through. */
  const char *s = text;
  if (*s == '+' || *s == '-')
    s++;
  size_t digits = 0;
  while (isdigit((unsigned char)*s))
    s++, digits++;
  const char *separator = NULL;
  if (*s == '.' || (decimal_comma && *s == ',')) {
    separator = s++;
    while (isdigit((unsigned char)*s))
      s++, digits++;
  }
  if (digits == 0)
    return 0;
  if (*s == 'e' || *s == 'E') {
    s++;
    if (*s == '+' || *s == '-')
      s++;
    if (!isdigit((unsigned char)*s))
      return 0;
    while (isdigit((unsigned char)*s))
      s++;
  }
  if (*s)
    return 0;

  /* strtod reads the decimal point of the current locale; write the number
   * with that point, whatever the process locale is. */
  const char *point = localeconv()->decimal_point;
  size_t point_length = strlen(point);
  size_t length = strlen(text);
  char local[128];
  if (length + point_length >= sizeof local)
    return 0;
  size_t o = 0;
  for (const char *p = text; *p; p++) {
    if (p == separator) {
      memcpy(local + o, point, point_length);
      o += point_length;
    } else {
      local[o++] = *p;
    }
  }
  local[o] = '\0';
  char *end;
  errno = 0;
  double v = strtod(local, &end);
  if (*end || !isfinite(v))
    return 0;
  *value = v;
  return 1;
}

int bp_parse_flag(const char *text, int *value) {
  static const char *yes[] = {"1", "true", "yes", "ja"};
  static const char *no[] = {"0", "false", "no", "nej"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    if (strcasecmp(text, yes[i]) == 0) {
      *value = 1;
      return 1;
    }
    if (strcasecmp(text, no[i]) == 0) {
      *value = 0;
      return 1;
    }
  }
  return 0;
}

static int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

/* 1 = well-formed date, 0 = not YYYY-MM-DD, -1 = the form but no such day */
static int check_date(const char *text) {
  for (int i = 0; i < 10; i++) {
    int dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : !isdigit((unsigned char)text[i]))
      return 0;
  }
  if (text[10])
    return 0;
  int year = atoi(text), month = atoi(text + 5), day = atoi(text + 8);
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return -1;
  return 1;
}

int bp_parse_date(const char *text) { return check_date(text) == 1; }

/* ------------------------------------------------------------------ */
/* Typed getters                                                       */
/* ------------------------------------------------------------------ */

static const char *column_name(const bp_csv_table *t, int column) {
  return t->columns[column].name;
}

/* "<column>: expected <what>, found <text><hint>" at the field. */
static void bad_field(bp_csv_table *t, const bp_csv_row *row, int column,
                      const char *expected, const char *hint) {
  const char *text = bp_csv_field(t, row, column);
  char found[128];
  if (text[0])
    quote_for_message(text, found, sizeof found);
  else
    snprintf(found, sizeof found, "an empty field");
  bp_csv_error(t, row->line, bp_csv_column_number(t, column),
               "%s: expected %s, found %s%s", column_name(t, column), expected,
               found, hint ? hint : "");
}

/* Empty field: the fallback for an optional column, an error otherwise.
 * Returns 1 if the field is empty (and was dealt with). */
static int empty_field(bp_csv_table *t, const bp_csv_row *row, int column,
                       const char *expected, int *ok) {
  if (bp_csv_has(t, row, column))
    return 0;
  *ok = 1;
  if (t->columns[column].required) {
    bad_field(t, row, column, expected, NULL);
    *ok = 0;
  }
  return 1;
}

int bp_csv_int(bp_csv_table *t, const bp_csv_row *row, int column, int min,
               int max, int fallback, int *value) {
  char expected[96];
  if (max == INT_MAX)
    snprintf(expected, sizeof expected, "a whole number >= %d", min);
  else
    snprintf(expected, sizeof expected, "a whole number from %d to %d", min, max);
  if (max > BP_CSV_INT_LIMIT)
    max = BP_CSV_INT_LIMIT;
  *value = fallback;
  int ok;
  if (empty_field(t, row, column, expected, &ok))
    return ok;
  long long v;
  const char *text = bp_csv_field(t, row, column);
  if (!bp_parse_int(text, &v) || v < min || v > max) {
    /* Digits only, yet refused: too large (or beyond long long). */
    const char *digits = text + (text[0] == '+' || text[0] == '-');
    int all_digits = digits[0] != '\0' && strspn(digits, "0123456789") == strlen(digits);
    double d;
    const char *hint = NULL;
    if (all_digits && text[0] != '-' && (!bp_parse_int(text, &v) || v > max))
      hint = " (too large)";
    else if (!all_digits && bp_parse_decimal(text, t->delimiter == ';', &d))
      hint = " (not a whole number)";
    bad_field(t, row, column, expected, hint);
    return 0;
  }
  *value = (int)v;
  return 1;
}

static void describe_range(bp_decimal_range range, char *out, size_t size) {
  int has_min = isfinite(range.min), has_max = isfinite(range.max);
  if (has_min && has_max && !range.min_exclusive)
    snprintf(out, size, "a decimal number from %g to %g", range.min, range.max);
  else if (has_min && has_max)
    snprintf(out, size, "a decimal number > %g and <= %g", range.min, range.max);
  else if (has_min)
    snprintf(out, size, "a decimal number %s %g", range.min_exclusive ? ">" : ">=",
             range.min);
  else if (has_max)
    snprintf(out, size, "a decimal number <= %g", range.max);
  else
    snprintf(out, size, "a decimal number");
}

int bp_csv_decimal(bp_csv_table *t, const bp_csv_row *row, int column,
                   bp_decimal_range range, double fallback, double *value) {
  char expected[96];
  describe_range(range, expected, sizeof expected);
  *value = fallback;
  int ok;
  if (empty_field(t, row, column, expected, &ok))
    return ok;
  const char *text = bp_csv_field(t, row, column);
  int decimal_comma = t->delimiter == ';';
  double v;
  if (!bp_parse_decimal(text, decimal_comma, &v)) {
    /* Say why when the reason is a common one. */
    const char *hint = NULL;
    size_t separators = 0;
    for (const char *p = text; *p; p++)
      separators += *p == '.' || *p == ',';
    if (separators > 1)
      hint = " (write numbers without thousands separators)";
    else if (!decimal_comma && strchr(text, ','))
      hint = " (a decimal comma is only allowed in files separated by ';')";
    bad_field(t, row, column, expected, hint);
    return 0;
  }
  int below = range.min_exclusive ? v <= range.min : v < range.min;
  if (below || v > range.max) {
    bad_field(t, row, column, expected, NULL);
    return 0;
  }
  *value = v;
  return 1;
}

int bp_csv_flag(bp_csv_table *t, const bp_csv_row *row, int column,
                int fallback, int *value) {
  static const char expected[] = "0 or 1 (or yes/no, true/false, ja/nej)";
  *value = fallback;
  int ok;
  if (empty_field(t, row, column, expected, &ok))
    return ok;
  if (!bp_parse_flag(bp_csv_field(t, row, column), value)) {
    *value = fallback;
    bad_field(t, row, column, expected, NULL);
    return 0;
  }
  return 1;
}

int bp_csv_id(bp_csv_table *t, const bp_csv_row *row, int column,
              const char **value) {
  *value = NULL;
  int ok;
  if (empty_field(t, row, column, "an identifier", &ok))
    return ok;
  const char *text = bp_csv_field(t, row, column);
  for (const char *p = text; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      bad_field(t, row, column,
                "an identifier without line breaks or control characters", NULL);
      return 0;
    }
  *value = text;
  return 1;
}

int bp_csv_text(bp_csv_table *t, const bp_csv_row *row, int column,
                char **value) {
  const char *text = bp_csv_field(t, row, column);
  if (!text[0] && !t->columns[column].required)
    *value = NULL;
  else
    *value = bp_strdup(text);
  return 1;
}

int bp_csv_date(bp_csv_table *t, const bp_csv_row *row, int column,
                char **value) {
  static const char expected[] = "a date YYYY-MM-DD";
  *value = NULL;
  int ok;
  if (empty_field(t, row, column, expected, &ok))
    return ok;
  const char *text = bp_csv_field(t, row, column);
  int check = check_date(text);
  if (check != 1) {
    bad_field(t, row, column, expected, check < 0 ? " (no such day)" : NULL);
    return 0;
  }
  *value = bp_strdup(text);
  return 1;
}

int bp_csv_choice(bp_csv_table *t, const bp_csv_row *row, int column,
                  const char *const *names, int n_names, int fallback,
                  int *value) {
  char expected[256];
  size_t o = (size_t)snprintf(expected, sizeof expected, "one of");
  for (int i = 0; i < n_names && o < sizeof expected; i++)
    o += (size_t)snprintf(expected + o, sizeof expected - o, "%s %s",
                          i ? "," : "", names[i]);
  *value = fallback;
  int ok;
  if (empty_field(t, row, column, expected, &ok))
    return ok;
  const char *text = bp_csv_field(t, row, column);
  for (int i = 0; i < n_names; i++)
    if (strcasecmp(text, names[i]) == 0) {
      *value = i;
      return 1;
    }
  bad_field(t, row, column, expected, NULL);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Small files read whole                                              */
/* ------------------------------------------------------------------ */

bp_status bp_read_file(const char *path, const char *file, long long max_size,
                       char **data, size_t *length, bp_diagnostics *diag) {
  *data = NULL;
  *length = 0;
  struct stat st;
  if (stat(path, &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      bp_error(diag, file, 0, 0, "file not found");
    else
      bp_error(diag, file, 0, 0, "cannot read the file: %s", strerror(errno));
    return BP_INVALID;
  }
  if (!S_ISREG(st.st_mode)) {
    bp_error(diag, file, 0, 0, "not a regular file");
    return BP_INVALID;
  }
  if ((long long)st.st_size > max_size) {
    bp_error(diag, file, 0, 0, "the file is larger than %lld KiB (%lld bytes)",
             max_size / 1024, (long long)st.st_size);
    return BP_INVALID;
  }
  FILE *in = fopen(path, "rb");
  if (!in) {
    bp_error(diag, file, 0, 0, "cannot open the file: %s", strerror(errno));
    return BP_INVALID;
  }
  size_t capacity = (size_t)st.st_size + 1;
  char *buffer = bp_alloc(capacity + 1);
  /* Read one byte more than stat() said, to notice a file that grew. */
  size_t got = fread(buffer, 1, capacity, in);
  int failed = ferror(in);
  fclose(in);
  if (failed || got > (size_t)max_size) {
    free(buffer);
    bp_error(diag, file, 0, 0, failed ? "error while reading the file"
                                      : "the file changed while it was read");
    return BP_INVALID;
  }
  buffer[got] = '\0';
  *data = buffer;
  *length = got;
  return BP_OK;
}
