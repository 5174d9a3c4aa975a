/**
 * @file test_read.c
 * @brief Unit tests of the read stage: the CSV dialect, typed fields and
 *        their messages, the case reader (sorting, references, defaults),
 *        the policy reader and SHA-256.
 *
 * Run from tests/ (meson sets the working directory): the fixtures are
 * data/bad/valid (a tiny valid case, comma-separated) and data/read/semicolon
 * (the same case with ';', BOM, CRLF, decimal commas, ja/nej flags, rows and
 * columns in reverse order), which must read to the very same bp_case.
 * Messages are compared exactly where a user will read them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boplace.h"
#include "read_csv.h"
#include "sha256.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* All messages, sorted and printed as the program prints them. */
static char *messages(bp_diagnostics *diag) {
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);
  bp_diagnostics_sort(diag);
  bp_diagnostics_print(diag, out);
  fclose(out);
  return text;
}

/* Fails, showing every message, unless `line` is one of the messages. */
static void expect_message(bp_diagnostics *diag, const char *line) {
  char *text = messages(diag);
  char *wanted = bp_format("%s\n", line);
  int found = strncmp(text, wanted, strlen(wanted)) == 0;
  if (!found) {
    char *with_newline = bp_format("\n%s\n", line);
    found = strstr(text, with_newline) != NULL;
    free(with_newline);
  }
  if (!found) /* not print_error: it cuts long texts short */
    fprintf(stderr, "expected message:\n  %s\ngot:\n%s", line, text);
  free(wanted);
  free(text);
  assert_true(found);
}

static bp_status read_text(const char *text, const char *file, unsigned flags,
                           bp_csv_table *t, bp_diagnostics *diag) {
  return bp_csv_read_text(text, strlen(text), file, flags, t, diag);
}

static void write_file(const char *dir, const char *name, const char *text) {
  char *path = bp_format("%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(text, 1, strlen(text), f);
  fclose(f);
  free(path);
}

static char *read_whole(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *data = bp_alloc((size_t)size + 1);
  *length = fread(data, 1, (size_t)size, f);
  data[*length] = '\0';
  fclose(f);
  return data;
}

/* A fresh copy of data/bad/valid in a temporary directory. */
static char *copy_valid_case(void) {
  char template[] = "/tmp/boplace-test-read-XXXXXX";
  char *dir = bp_strdup(mkdtemp(template));
  static const char *files[] = {"stops.csv", "links.csv", "schools.csv",
                                "daycares.csv", "areas.csv", "units.csv",
                                "destinations.csv", "households.csv",
                                "locks.csv", "scores.csv", "policy.json"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char *from = bp_format("data/bad/valid/%s", files[i]);
    size_t length;
    char *data = read_whole(from, &length);
    write_file(dir, files[i], data);
    free(data);
    free(from);
  }
  return dir;
}

static void remove_case(char *dir) {
  char *command = bp_format("rm -rf '%s'", dir);
  assert_int_equal(system(command), 0);
  free(command);
  free(dir);
}

/* ------------------------------------------------------------------ */
/* SHA-256                                                             */
/* ------------------------------------------------------------------ */

static void test_sha256_vectors(void **state) {
  (void)state;
  char hex[65];
  bp_sha256_hex((const unsigned char *)"", 0, hex);
  assert_string_equal(
      hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  bp_sha256_hex((const unsigned char *)"abc", 3, hex);
  assert_string_equal(
      hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  /* Two blocks after padding (FIPS 180-4 example). */
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  bp_sha256_hex((const unsigned char *)two, strlen(two), hex);
  assert_string_equal(
      hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* A million 'a's, streamed in uneven pieces. */
  bp_sha256 hash;
  bp_sha256_init(&hash);
  char a[1000];
  memset(a, 'a', sizeof a);
  size_t left = 1000000, step = 1;
  while (left) {
    size_t take = step < left ? step : left;
    bp_sha256_update(&hash, a, take);
    left -= take;
    step = step % 990 + 7; /* 7..996, within a[] */
  }
  bp_sha256_final_hex(&hash, hex);
  assert_string_equal(
      hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* ------------------------------------------------------------------ */
/* The dialect                                                         */
/* ------------------------------------------------------------------ */

static void test_csv_comma(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  assert_int_equal(read_text("id,name\nA,x\nB,y\n", "t.csv", 0, &t, &diag), BP_OK);
  assert_int_equal(t.delimiter, ',');
  assert_int_equal(t.n_header, 2);
  assert_string_equal(t.header[1], "name");
  assert_int_equal(t.n_rows, 2);
  assert_string_equal(t.rows[1].fields[1], "y");
  assert_int_equal(t.rows[1].line, 3);
  assert_int_equal(diag.count, 0);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
}

static void test_csv_semicolon_bom_crlf(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  const char *text = "\xEF\xBB\xBFid;name;rent\r\nA;Århus, Ø;6234,50\r\n"
                     "B ;  Næstved  ;7000\r\n";
  assert_int_equal(read_text(text, "t.csv", 0, &t, &diag), BP_OK);
  assert_int_equal(t.delimiter, ';');
  assert_string_equal(t.header[0], "id"); /* no BOM left in the name */
  assert_string_equal(t.header[2], "rent"); /* no '\r' either */
  assert_string_equal(t.rows[0].fields[1], "Århus, Ø");
  assert_string_equal(t.rows[1].fields[0], "B");       /* trimmed */
  assert_string_equal(t.rows[1].fields[1], "Næstved"); /* trimmed */
  static const bp_csv_column columns[] = {{"id", 1}, {"name", 1}, {"rent", 1}};
  assert_int_equal(bp_csv_bind(&t, columns, 3), BP_OK);
  double rent;
  assert_true(bp_csv_decimal(&t, &t.rows[0], 2, (bp_decimal_range){0, INFINITY, 1},
                             0, &rent));
  assert_true(rent == 6234.5);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
}

static void test_csv_quoting_and_lines(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  const char *text = "id,name,n\n"              /* 1 */
                     "A,\"x, \"\"y\"\"\n"      /* 2 */
                     "z\",1\n"                  /* 3 */
                     "B,plain,2\n"              /* 4 */
                     "\n"                       /* 5 */
                     "   \n"                    /* 6 */
                     ",,\n"                     /* 7: an empty spreadsheet row */
                     "C,\"a\r\nb\",3";          /* 8-9, no final newline */
  assert_int_equal(read_text(text, "t.csv", 0, &t, &diag), BP_OK);
  assert_int_equal(t.n_rows, 3);
  assert_int_equal(t.rows[0].line, 2);
  assert_string_equal(t.rows[0].fields[1], "x, \"y\"\nz");
  assert_string_equal(t.rows[0].fields[2], "1");
  assert_int_equal(t.rows[1].line, 4);
  assert_int_equal(t.rows[2].line, 8);
  assert_string_equal(t.rows[2].fields[1], "a\nb"); /* CRLF inside quotes too */
  assert_int_equal(t.rows_seen, 3);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
}

static void test_csv_ragged_rows(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  const char *text = "a,b,c\n1,2,3\n1,2\n1,2,3,4\n\"x\ny\",2,3\n";
  assert_int_equal(read_text(text, "t.csv", 0, &t, &diag), BP_INVALID);
  expect_message(&diag, "t.csv:3:2: error: expected 3 fields (as in the header), found 2");
  expect_message(&diag, "t.csv:4:4: error: expected 3 fields (as in the header), found 4");
  assert_int_equal(diag.errors, 2);
  assert_int_equal(t.n_rows, 2);
  assert_int_equal(t.rows[1].line, 5);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
}

static void test_csv_unterminated_quote(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  const char *text = "id,name\nA,ok\nB,\"Nørre\nC,d\nD,e\n";
  assert_int_equal(read_text(text, "t.csv", BP_CSV_NEEDS_ROWS, &t, &diag),
                   BP_INVALID);
  expect_message(&diag, "t.csv:3:2: error: unterminated quote: the quoted field "
                        "that begins on line 3 has no closing quote");
  assert_int_equal(diag.errors, 1);
  assert_int_equal(t.n_rows, 1);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);

  /* A quote that closes on a later line and a new one that opens there. */
  text = "id,name,x\nA,\"one\ntwo\",\"three\nfour\n";
  /* The only row is the broken one: no "header but no rows" on top. */
  assert_int_equal(read_text(text, "t.csv", BP_CSV_NEEDS_ROWS, &t, &diag),
                   BP_INVALID);
  assert_int_equal(diag.errors, 1);
  expect_message(&diag, "t.csv:3:3: error: unterminated quote: the quoted field "
                        "that begins on line 3 has no closing quote");
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);

  /* A quote that never closes in a long file: the reader gives up after
   * 64 KiB instead of holding the rest of the file in one field. */
  size_t lines = 2 * BP_CSV_MAX_LINE / 100;
  char *runaway = bp_alloc(lines * 100 + 64);
  size_t o = (size_t)sprintf(runaway, "id,name\nA,ok\nB,\"x\n");
  for (size_t i = 0; i < lines; i++) {
    memset(runaway + o, 'x', 99);
    runaway[o + 99] = '\n';
    o += 100;
  }
  runaway[o] = '\0';
  assert_int_equal(read_text(runaway, "t.csv", 0, &t, &diag), BP_INVALID);
  expect_message(&diag, "t.csv:3:2: error: unterminated quote: the quoted field "
                        "that begins on line 3 runs on for more than 64 KiB; is "
                        "its closing quote missing?");
  assert_int_equal(diag.errors, 1);
  assert_int_equal(t.n_rows, 1);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
  free(runaway);
}

static void test_csv_stray_quotes(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  const char *text = "id,name\nA,5\" screen\nB,\"ab\"c\nC,fine\n";
  assert_int_equal(read_text(text, "t.csv", 0, &t, &diag), BP_INVALID);
  expect_message(&diag, "t.csv:2:2: error: name: stray quote in an unquoted field; "
                        "enclose the field in quotes and double the quote (\"\")");
  expect_message(&diag, "t.csv:3:2: error: name: unexpected text after the closing "
                        "quote of a quoted field; a quote inside a quoted field "
                        "must be doubled (\"\")");
  /* The reader goes on after each. */
  assert_int_equal(t.n_rows, 1);
  assert_string_equal(t.rows[0].fields[0], "C");
  assert_int_equal(t.rows[0].line, 4);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
}

static void test_csv_not_utf8(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  /* Latin-1, as an old Excel "CSV" export writes it. */
  const char *text = "id,name\nA,\"multi\nline \xE6" "ble\"\nB,K\xF8ge\nC,\xC3\xA6" "ble\n";
  assert_int_equal(read_text(text, "t.csv", 0, &t, &diag), BP_INVALID);
  expect_message(&diag, "t.csv:3:2: error: name: text is not valid UTF-8 (byte "
                        "0xE6), and 1 more fields of this file are not either; "
                        "re-save the file as UTF-8 (in Excel: 'CSV UTF-8')");
  assert_int_equal(diag.errors, 1);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);

  const char utf16[] = "\xFF\xFEi\0d\0";
  assert_int_equal(bp_csv_read_text(utf16, sizeof utf16 - 1, "t.csv", 0, &t, &diag),
                   BP_INVALID);
  expect_message(&diag, "t.csv: error: the file is UTF-16 text, not UTF-8; "
                        "re-save the file as UTF-8 (in Excel: 'CSV UTF-8')");
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);

  size_t bad;
  assert_true(bp_utf8_valid("æøå €𝄞", strlen("æøå €𝄞"), &bad));
  assert_false(bp_utf8_valid("\xC0\xAF", 2, &bad));       /* overlong '/' */
  assert_false(bp_utf8_valid("a\xED\xA0\x80", 4, &bad)); /* surrogate */
  assert_int_equal(bad, 1);
  assert_false(bp_utf8_valid("ab\xE2\x82", 4, &bad)); /* cut short */
  assert_int_equal(bad, 2);
}

static void test_csv_empty_and_header_only(void **state) {
  (void)state;
  static const char *empties[] = {"", "\xEF\xBB\xBF", " \r\n\n\t\n"};
  for (size_t i = 0; i < 3; i++) {
    bp_diagnostics diag = {0};
    bp_csv_table t;
    assert_int_equal(read_text(empties[i], "units.csv", 0, &t, &diag), BP_INVALID);
    expect_message(&diag, "units.csv: error: the file is empty; it needs at least "
                          "a header row");
    bp_csv_table_free(&t);
    bp_diagnostics_free(&diag);
  }
  bp_diagnostics diag = {0};
  bp_csv_table t;
  assert_int_equal(read_text("a,b\n", "units.csv", BP_CSV_NEEDS_ROWS, &t, &diag),
                   BP_INVALID);
  expect_message(&diag, "units.csv: error: the file has a header but no rows; "
                        "units.csv needs at least one");
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
  assert_int_equal(read_text("a,b\n", "locks.csv", 0, &t, &diag), BP_OK);
  assert_int_equal(t.n_rows, 0);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
}

static void test_csv_long_line(void **state) {
  (void)state;
  size_t long_length = BP_CSV_MAX_LINE + 10;
  char *text = bp_alloc(long_length + 64);
  strcpy(text, "id,name\nA,x\nB,");
  size_t o = strlen(text);
  memset(text + o, 'y', long_length);
  strcpy(text + o + long_length, "\nC,z\n");
  bp_diagnostics diag = {0};
  bp_csv_table t;
  assert_int_equal(read_text(text, "t.csv", 0, &t, &diag), BP_INVALID);
  expect_message(&diag, "t.csv:3:1: error: line is longer than 64 KiB; is this a CSV file?");
  assert_int_equal(t.n_rows, 2);
  assert_int_equal(t.rows[1].line, 4);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
  free(text);
}

static void test_csv_header(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  read_text("unit_id,Rent,colour,unit_id,\nU1,5,red,U1,\n", "units.csv", 0, &t, &diag);
  static const bp_csv_column columns[] = {
      {"unit_id", 1}, {"rent", 1}, {"rooms", 1}, {"step_free", 0}};
  assert_int_equal(bp_csv_bind(&t, columns, 4), BP_INVALID);
  expect_message(&diag, "units.csv:1:0: error: missing required column 'rent' "
                        "(found 'Rent'; column names are case-sensitive)");
  expect_message(&diag, "units.csv:1:0: error: missing required column 'rooms'");
  expect_message(&diag, "units.csv:1:2: warning: unknown column 'Rent', ignored");
  expect_message(&diag, "units.csv:1:3: warning: unknown column 'colour', ignored");
  expect_message(&diag, "units.csv:1:4: error: duplicate column 'unit_id' (also column 1)");
  assert_int_equal(diag.errors, 3);
  assert_int_equal(diag.warnings, 2); /* the empty trailing name is no warning */
  assert_false(t.usable);
  assert_int_equal(bp_csv_column_number(&t, 0), 1);
  assert_int_equal(bp_csv_column_number(&t, 3), 0);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
}

static void test_csv_message_limit(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  char *text = bp_strdup("a,b\n");
  for (int i = 0; i < 150; i++) {
    char *more = bp_format("%s1\n", text);
    free(text);
    text = more;
  }
  read_text(text, "t.csv", 0, &t, &diag);
  bp_csv_summarize(&t);
  assert_int_equal(diag.count, BP_CSV_MAX_MESSAGES + 1);
  expect_message(&diag, "t.csv: error: 50 more errors in this file not shown "
                        "(the first 100 messages are)");
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
  free(text);
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

static void test_parse_numbers(void **state) {
  (void)state;
  long long i;
  assert_true(bp_parse_int("42", &i) && i == 42);
  assert_true(bp_parse_int("-7", &i) && i == -7);
  assert_true(bp_parse_int("+007", &i) && i == 7);
  assert_false(bp_parse_int("", &i));
  assert_false(bp_parse_int("3.0", &i));
  assert_false(bp_parse_int("0x10", &i));
  assert_false(bp_parse_int("12abc", &i));
  assert_false(bp_parse_int(" 5", &i));
  assert_false(bp_parse_int("99999999999999999999", &i));

  double d;
  assert_true(bp_parse_decimal("6234.50", 0, &d) && d == 6234.5);
  assert_true(bp_parse_decimal("6234,50", 1, &d) && d == 6234.5);
  assert_false(bp_parse_decimal("6234,50", 0, &d));
  assert_true(bp_parse_decimal("-0.25", 0, &d) && d == -0.25);
  assert_true(bp_parse_decimal(".5", 0, &d) && d == 0.5);
  assert_true(bp_parse_decimal("1e3", 0, &d) && d == 1000);
  assert_false(bp_parse_decimal("6.234,50", 1, &d)); /* thousands separator */
  assert_false(bp_parse_decimal("6 234", 0, &d));
  static const char *rejected[] = {"NaN", "nan", "inf", "-Infinity", "0x1p3",
                                   "1e999", "12abc", "", ".", "-", "1e", "1,5,0"};
  for (size_t k = 0; k < sizeof rejected / sizeof *rejected; k++)
    assert_false(bp_parse_decimal(rejected[k], 1, &d));

  int flag;
  assert_true(bp_parse_flag("JA", &flag) && flag == 1);
  assert_true(bp_parse_flag("nej", &flag) && flag == 0);
  assert_true(bp_parse_flag("True", &flag) && flag == 1);
  assert_true(bp_parse_flag("no", &flag) && flag == 0);
  assert_false(bp_parse_flag("2", &flag));
  assert_false(bp_parse_flag("y", &flag));

  assert_true(bp_parse_date("2024-02-29"));
  assert_false(bp_parse_date("2023-02-29"));
  assert_true(bp_parse_date("2000-02-29"));
  assert_false(bp_parse_date("1900-02-29"));
  assert_false(bp_parse_date("2024-13-01"));
  assert_false(bp_parse_date("2024-04-31"));
  assert_false(bp_parse_date("2024-4-1"));
  assert_false(bp_parse_date("01-04-2024"));
}

static void test_typed_field_messages(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_csv_table t;
  const char *text =
      "unit_id,rooms,rent,kind,step_free,available_from,walk_minutes,share,places\n"
      "U1,abc,abc,flat,2,2024-02-30,-3,1.5,\n"
      ",3.5,NaN,Shared,ja,2024-02-29,,0.5,2\n"
      "U3,-1,inf,public,,,0x10,,\n"
      "U4,999999999999,\"6234,50\",public,,,,,\n"
      "U5,99999999999999999999,1,public,,,,,\n";
  read_text(text, "units.csv", 0, &t, &diag);
  static const bp_csv_column columns[] = {
      {"unit_id", 1}, {"rooms", 1}, {"rent", 1}, {"kind", 1}, {"step_free", 0},
      {"available_from", 0}, {"walk_minutes", 0}, {"share", 0}, {"places", 0}};
  assert_int_equal(bp_csv_bind(&t, columns, 9), BP_OK);
  static const char *const kinds[] = {"public", "private", "senior", "shared",
                                      "transit"};
  for (size_t r = 0; r < t.n_rows; r++) {
    const bp_csv_row *row = &t.rows[r];
    const char *id;
    int rooms, kind, step_free, places;
    double rent, walk, share;
    char *date;
    bp_csv_id(&t, row, 0, &id);
    bp_csv_int(&t, row, 1, 1, INT_MAX, 1, &rooms);
    bp_csv_decimal(&t, row, 2, (bp_decimal_range){0, INFINITY, 1}, 0, &rent);
    bp_csv_choice(&t, row, 3, kinds, 5, 0, &kind);
    bp_csv_flag(&t, row, 4, 0, &step_free);
    bp_csv_date(&t, row, 5, &date);
    bp_csv_decimal(&t, row, 6, (bp_decimal_range){0, INFINITY, 0}, 0, &walk);
    bp_csv_decimal(&t, row, 7, (bp_decimal_range){0, 1, 0}, NAN, &share);
    bp_csv_int(&t, row, 8, 1, INT_MAX, 1, &places);
    if (r == 1) { /* the good values and the defaults of empty fields */
      assert_null(id);
      assert_int_equal(kind, 3);
      assert_int_equal(step_free, 1);
      assert_string_equal(date, "2024-02-29");
      assert_true(walk == 0);
      assert_true(share == 0.5);
      assert_int_equal(places, 2);
    }
    if (r == 2) {
      assert_int_equal(step_free, 0);
      assert_null(date);
      assert_true(isnan(share));
      assert_int_equal(places, 1);
    }
    free(date);
  }
  expect_message(&diag, "units.csv:2:2: error: rooms: expected a whole number >= 1, found \"abc\"");
  expect_message(&diag, "units.csv:2:3: error: rent: expected a decimal number > 0, found \"abc\"");
  expect_message(&diag, "units.csv:2:4: error: kind: expected one of public, private, "
                        "senior, shared, transit, found \"flat\"");
  expect_message(&diag, "units.csv:2:5: error: step_free: expected 0 or 1 (or "
                        "yes/no, true/false, ja/nej), found \"2\"");
  expect_message(&diag, "units.csv:2:6: error: available_from: expected a date "
                        "YYYY-MM-DD, found \"2024-02-30\" (no such day)");
  expect_message(&diag, "units.csv:2:7: error: walk_minutes: expected a decimal number >= 0, found \"-3\"");
  expect_message(&diag, "units.csv:2:8: error: share: expected a decimal number from 0 to 1, found \"1.5\"");
  expect_message(&diag, "units.csv:3:1: error: unit_id: expected an identifier, found an empty field");
  expect_message(&diag, "units.csv:3:2: error: rooms: expected a whole number >= 1, "
                        "found \"3.5\" (not a whole number)");
  expect_message(&diag, "units.csv:3:3: error: rent: expected a decimal number > 0, found \"NaN\"");
  expect_message(&diag, "units.csv:4:2: error: rooms: expected a whole number >= 1, found \"-1\"");
  expect_message(&diag, "units.csv:4:3: error: rent: expected a decimal number > 0, found \"inf\"");
  expect_message(&diag, "units.csv:4:7: error: walk_minutes: expected a decimal number >= 0, found \"0x10\"");
  expect_message(&diag, "units.csv:5:2: error: rooms: expected a whole number >= 1, "
                        "found \"999999999999\" (too large)");
  expect_message(&diag, "units.csv:5:3: error: rent: expected a decimal number > 0, "
                        "found \"6234,50\" (a decimal comma is only allowed in "
                        "files separated by ';')");
  expect_message(&diag, "units.csv:6:2: error: rooms: expected a whole number >= 1, "
                        "found \"99999999999999999999\" (too large)");
  assert_int_equal(diag.errors, 16);
  bp_csv_table_free(&t);
  bp_diagnostics_free(&diag);
}

/* ------------------------------------------------------------------ */
/* The case                                                            */
/* ------------------------------------------------------------------ */

static void test_case_valid(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_case k;
  bp_status status = bp_read_case("data/bad/valid", NULL, &k, &diag);
  if (status != BP_OK) {
    char *text = messages(&diag);
    print_error("%s", text);
    free(text);
  }
  assert_int_equal(status, BP_OK);
  assert_int_equal(diag.count, 0);
  assert_string_equal(k.dir, "data/bad/valid");

  assert_int_equal(k.n_stops, 3);
  assert_string_equal(k.stops[1].id, "S2");
  assert_string_equal(k.stops[1].name, "Nørre Port, \"Nord\"; perron 2\nindgang B");
  assert_int_equal(k.stops[1].origin.line, 3);
  assert_int_equal(k.stops[2].origin.line, 5); /* after the two-line name */
  assert_true(fabs(k.stops[0].lat - 55.0443) < 1e-12);

  /* S1-S2 and S1-S3 both ways (the empty both_ways means 1), S2->S3 one way. */
  assert_int_equal(k.n_links, 5);
  assert_int_equal(k.links[0].from_stop, 0);
  assert_int_equal(k.links[0].to_stop, 1);
  assert_int_equal(k.links[2].from_stop, 1);
  assert_int_equal(k.links[2].to_stop, 0);
  assert_true(k.links[1].minutes == 12.5);
  assert_int_equal(k.links[4].from_stop, 2);
  assert_int_equal(k.links[4].to_stop, 0);

  assert_int_equal(k.n_schools, 2);
  assert_int_equal(k.schools[1].stop, 2);
  assert_true(isnan(k.schools[0].max_bilingual_share));
  assert_true(k.schools[1].max_bilingual_share == 0.25);
  assert_int_equal(k.n_daycares, 1);
  assert_int_equal(k.daycares[0].enrolled, 40);

  assert_int_equal(k.n_areas, 2);
  assert_int_equal(k.areas[0].school, 0);
  assert_int_equal(k.areas[0].daycare, 0);
  assert_int_equal(k.areas[1].daycare, -1);
  assert_int_equal(k.areas[0].partner, 1);
  assert_true(isnan(k.areas[0].max_newcomer_share));
  assert_true(k.areas[1].max_newcomer_share == 0.10);

  assert_int_equal(k.n_units, 4);
  const bp_unit *u2 = &k.units[1];
  assert_string_equal(u2->id, "U2");
  assert_true(u2->rent == 5200.5);
  assert_int_equal(u2->kind, BP_UNIT_PRIVATE);
  assert_int_equal(u2->places, 1);      /* empty: default 1 */
  assert_int_equal(u2->max_persons, 0); /* empty: no limit */
  assert_int_equal(u2->step_free, 0);
  assert_null(u2->landlord);
  assert_null(u2->available_from);
  assert_string_equal(k.units[0].available_from, "2025-01-01");
  assert_int_equal(k.units[3].kind, BP_UNIT_SHARED);
  assert_int_equal(k.units[3].places, 3);
  assert_int_equal(k.n_buildings, 2);
  assert_string_equal(k.buildings[0].name, "Blok A");
  assert_string_equal(k.buildings[1].name, "Blok B");
  assert_int_equal(k.units[0].building_index, 1);
  assert_int_equal(k.units[2].building_index, 0);
  assert_int_equal(k.units[3].building_index, -1);

  assert_int_equal(k.n_destinations, 2);
  assert_string_equal(k.destinations[0].id, "H1");
  assert_string_equal(k.destinations[0].kind, "health");

  assert_int_equal(k.n_households, 4);
  assert_int_equal(k.households[0].job_stop, 0);
  assert_int_equal(k.households[0].preferred_area, 0);
  assert_int_equal(k.households[2].ties_area, 1);
  assert_int_equal(k.households[3].waiting_days, 0); /* empty: default 0 */
  assert_null(k.households[3].group_id);
  assert_int_equal(k.n_groups, 1);
  assert_string_equal(k.groups[0].id, "G1");
  assert_int_equal(k.groups[0].n_members, 2);
  assert_int_equal(k.groups[0].members[0], 1);
  assert_int_equal(k.groups[0].members[1], 2);
  assert_int_equal(k.households[1].group, 0);
  assert_int_equal(k.households[0].group, -1);

  assert_int_equal(k.n_locks, 2);
  assert_int_equal(k.locks[0].household, 0);
  assert_int_equal(k.locks[0].unit, 0);
  assert_int_equal(k.locks[0].action, BP_LOCK_PLACE);
  assert_int_equal(k.locks[1].household, 3);
  assert_int_equal(k.locks[1].action, BP_LOCK_FORBID);
  assert_int_equal(k.n_scores, 2);
  assert_int_equal(k.scores[1].area, 1);
  assert_true(k.scores[1].score == 0.4);

  /* policy.json: three keys changed, the rest are defaults. */
  assert_string_equal(k.policy_source, "policy.json");
  assert_true(k.policy.max_minutes_school == 45);
  assert_true(k.policy.max_minutes_daycare == 30);
  assert_true(k.policy.max_newcomer_share == 0.2);
  assert_true(k.policy.weights.spread == 8);
  assert_true(k.policy.weights.partner == 0.5);

  assert_int_equal(k.n_inputs, 11);
  assert_string_equal(k.inputs[0].name, "areas.csv");
  assert_string_equal(k.inputs[6].name, "policy.json");
  assert_string_equal(k.inputs[10].name, "units.csv");
  size_t length;
  char *data = read_whole("data/bad/valid/units.csv", &length);
  char hex[65];
  bp_sha256_hex((const unsigned char *)data, length, hex);
  assert_string_equal(k.inputs[10].sha256, hex);
  free(data);

  bp_case_free(&k);
  bp_diagnostics_free(&diag);
}

static void assert_same_case(const bp_case *a, const bp_case *b) {
  assert_int_equal(a->n_stops, b->n_stops);
  for (size_t i = 0; i < a->n_stops; i++) {
    assert_string_equal(a->stops[i].id, b->stops[i].id);
    assert_string_equal(a->stops[i].name, b->stops[i].name);
    assert_true(a->stops[i].lat == b->stops[i].lat);
  }
  assert_int_equal(a->n_links, b->n_links);
  for (size_t i = 0; i < a->n_links; i++) {
    assert_int_equal(a->links[i].from_stop, b->links[i].from_stop);
    assert_int_equal(a->links[i].to_stop, b->links[i].to_stop);
    assert_true(a->links[i].minutes == b->links[i].minutes);
  }
  assert_int_equal(a->n_areas, b->n_areas);
  for (size_t i = 0; i < a->n_areas; i++) {
    const bp_area *x = &a->areas[i], *y = &b->areas[i];
    assert_string_equal(x->id, y->id);
    assert_string_equal(x->name, y->name);
    assert_int_equal(x->school, y->school);
    assert_int_equal(x->daycare, y->daycare);
    assert_int_equal(x->households, y->households);
    assert_int_equal(x->partner, y->partner);
    assert_true(x->max_newcomer_share == y->max_newcomer_share ||
                (isnan(x->max_newcomer_share) && isnan(y->max_newcomer_share)));
  }
  assert_int_equal(a->n_units, b->n_units);
  for (size_t i = 0; i < a->n_units; i++) {
    const bp_unit *x = &a->units[i], *y = &b->units[i];
    assert_string_equal(x->id, y->id);
    assert_int_equal(x->area, y->area);
    assert_int_equal(x->stop, y->stop);
    assert_true(x->rent == y->rent);
    assert_true(x->walk_minutes == y->walk_minutes);
    assert_int_equal(x->kind, y->kind);
    assert_int_equal(x->places, y->places);
    assert_int_equal(x->max_persons, y->max_persons);
    assert_int_equal(x->step_free, y->step_free);
    assert_int_equal(x->building_index, y->building_index);
  }
  assert_int_equal(a->n_households, b->n_households);
  for (size_t i = 0; i < a->n_households; i++) {
    const bp_household *x = &a->households[i], *y = &b->households[i];
    assert_string_equal(x->id, y->id);
    assert_int_equal(x->adults, y->adults);
    assert_true(x->max_rent == y->max_rent);
    assert_int_equal(x->step_free, y->step_free);
    assert_int_equal(x->needs_health, y->needs_health);
    assert_int_equal(x->group, y->group);
    assert_int_equal(x->job_stop, y->job_stop);
    assert_int_equal(x->preferred_area, y->preferred_area);
    assert_int_equal(x->ties_area, y->ties_area);
    assert_int_equal(x->waiting_days, y->waiting_days);
  }
  assert_int_equal(a->n_schools, b->n_schools);
  for (size_t i = 0; i < a->n_schools; i++)
    assert_int_equal(a->schools[i].stop, b->schools[i].stop);
  assert_int_equal(a->n_destinations, b->n_destinations);
  for (size_t i = 0; i < a->n_destinations; i++)
    assert_int_equal(a->destinations[i].stop, b->destinations[i].stop);
  assert_int_equal(a->n_locks, b->n_locks);
  for (size_t i = 0; i < a->n_locks; i++) {
    assert_int_equal(a->locks[i].household, b->locks[i].household);
    assert_int_equal(a->locks[i].unit, b->locks[i].unit);
    assert_int_equal(a->locks[i].action, b->locks[i].action);
  }
  assert_int_equal(a->n_scores, b->n_scores);
  for (size_t i = 0; i < a->n_scores; i++) {
    assert_int_equal(a->scores[i].household, b->scores[i].household);
    assert_int_equal(a->scores[i].area, b->scores[i].area);
    assert_true(a->scores[i].score == b->scores[i].score);
  }
  assert_int_equal(a->n_groups, b->n_groups);
  assert_int_equal(a->n_buildings, b->n_buildings);
}

/* Rows and columns reversed, ';', BOM, CRLF, decimal commas, JA/Nej: the
 * same case.  This is what keeps row order from changing any answer. */
static void test_case_semicolon_same_as_comma(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_case comma, semicolon;
  assert_int_equal(bp_read_case("data/bad/valid", NULL, &comma, &diag), BP_OK);
  assert_int_equal(bp_read_case("data/read/semicolon", NULL, &semicolon, &diag),
                   BP_OK);
  assert_int_equal(diag.count, 0);
  assert_same_case(&comma, &semicolon);
  /* Lines are those of the semicolon file: S2's name spans lines 3-4. */
  assert_int_equal(semicolon.stops[0].origin.line, 5);
  assert_int_equal(semicolon.stops[1].origin.line, 3);
  assert_int_equal(semicolon.stops[2].origin.line, 2);
  /* households.csv has a blank line after the header. */
  assert_int_equal(semicolon.households[0].origin.line, 6);
  assert_int_equal(semicolon.households[3].origin.line, 3);
  bp_case_free(&comma);
  bp_case_free(&semicolon);
  bp_diagnostics_free(&diag);
}

static void test_case_policy_override_and_missing_dir(void **state) {
  (void)state;
  char *dir = copy_valid_case();
  char *override = bp_format("%s/other.json", dir);
  write_file(dir, "other.json", "{\"language\": \"da\"}");
  bp_diagnostics diag = {0};
  bp_case k;
  assert_int_equal(bp_read_case("data/bad/valid", override, &k, &diag), BP_OK);
  assert_int_equal(k.policy.language, BP_LANG_DA);
  assert_true(k.policy.max_minutes_school == 40); /* policy.json is not read */
  assert_string_equal(k.policy_source, override);
  int listed = 0;
  for (size_t i = 0; i < k.n_inputs; i++)
    listed += strcmp(k.inputs[i].name, override) == 0;
  assert_int_equal(listed, 1);
  bp_case_free(&k);

  assert_int_equal(bp_read_case("data/no-such-case", NULL, &k, &diag), BP_INVALID);
  expect_message(&diag, "boplace: error: case directory 'data/no-such-case' does not exist");
  bp_case_free(&k);
  bp_diagnostics_free(&diag);
  free(override);
  remove_case(dir);
}

/* Several problems in several files: every one is reported in one run. */
static void test_case_reports_everything(void **state) {
  (void)state;
  char *dir = copy_valid_case();
  write_file(dir, "areas.csv",
             "area_id,name,households,newcomer_households,school_id,daycare_id\n"
             "A1,Nord,10,12,SK1,D1\n"
             "A2,Syd,300,10,SK9,\n"
             "A1,Igen,5,0,SK1,\n");
  write_file(dir, "units.csv",
             "unit_id,area_id,stop_id,rooms,rent,kind,places\n"
             "U1,A1,S2,3,6500,public,2\n"
             "U2,A1,S2,2,abc,private,\n"
             "U3,A7,S3,4,7800,public,\n"
             "U4,A2,S3,1,3200,shared,1\n");
  write_file(dir, "schools.csv",
             "school_id,name,stop_id,free_seats,pupils,bilingual_pupils\n"
             "SK1,Nord,S2,10,20,25\n"
             "SK2,Syd,S3,5,150,30\n");
  write_file(dir, "links.csv", "from_stop,to_stop,minutes\nS1,S1,3\nS1,S2,0\nS2,S3,4\n");
  write_file(dir, "households.csv",
             "household_id,adults,children_0_5,children_6_16,max_rent\n"
             "F1,2,1,1,7000\nF2,0,0,0,4000\nF3,1,0,0,4000\nF4,2,0,2,8000\n");
  write_file(dir, "locks.csv",
             "household_id,unit_id,action\n"
             "F1,U1,place\n"   /* 2 */
             "F1,U3,place\n"   /* 3: a second unit for F1 */
             "F2,U2,place\n"   /* 4 */
             "F2,U2,forbid\n"  /* 5: contradicts line 4 */
             "F3,U4,place\n"   /* 6 */
             "F4,U4,place\n"   /* 7: U4 has 1 place, taken on line 6 */
             "F9,U1,forbid\n"  /* 8 */
             "F3,U9,forbid\n"  /* 9 */
             "F4,U1,forbid\n"  /* 10 */
             "F4,U1,forbid\n"); /* 11: repeat */
  write_file(dir, "scores.csv",
             "household_id,area_id,score\nF1,A1,0.5\nF1,A1,0.7\nF1,A3,1\n");
  write_file(dir, "policy.json", "{\"max_minutes\": {\"school\": -5}, \"colour\": 1}");
  bp_diagnostics diag = {0};
  bp_case k;
  assert_int_equal(bp_read_case(dir, NULL, &k, &diag), BP_INVALID);
  expect_message(&diag, "areas.csv:2:4: error: newcomer_households (12) is more than households (10)");
  expect_message(&diag, "areas.csv:3:5: error: unknown school_id 'SK9' (not in schools.csv)");
  expect_message(&diag, "areas.csv:4:1: error: duplicate area_id 'A1' (first on line 2)");
  expect_message(&diag, "units.csv:2:7: error: places: 2 places, but only a unit of "
                        "kind 'shared' can have more than one (this one is 'public')");
  expect_message(&diag, "units.csv:3:5: error: rent: expected a decimal number > 0, found \"abc\"");
  expect_message(&diag, "units.csv:4:2: error: unknown area_id 'A7' (not in areas.csv)");
  expect_message(&diag, "schools.csv:2:6: error: bilingual_pupils (25) is more than pupils (20)");
  expect_message(&diag, "links.csv:2:2: warning: link from stop 'S1' to itself, ignored");
  expect_message(&diag, "links.csv:3:3: error: minutes: expected a decimal number > 0, found \"0\"");
  expect_message(&diag, "households.csv:3:2: error: a household needs at least one "
                        "person (adults, children_0_5 and children_6_16 are all 0)");
  expect_message(&diag, "locks.csv:3:1: error: this lock places household 'F1' in "
                        "unit 'U3', which contradicts the lock on line 2 (unit "
                        "'U1'); a household gets one unit");
  expect_message(&diag, "locks.csv:5:3: error: this 'forbid' lock contradicts the "
                        "lock on line 4, which places household 'F2' in unit 'U2'");
  expect_message(&diag, "locks.csv:7:2: error: unit 'U4' has 1 place, but this is "
                        "'place' lock number 2 on it (the first is on line 6)");
  expect_message(&diag, "locks.csv:8:1: error: unknown household_id 'F9' (not in households.csv)");
  expect_message(&diag, "locks.csv:9:2: error: unknown unit_id 'U9' (not in units.csv)");
  expect_message(&diag, "locks.csv:11:3: warning: the same lock as on line 10, ignored");
  expect_message(&diag, "scores.csv:3:1: error: duplicate score for household 'F1' "
                        "in area 'A1' (first on line 2)");
  expect_message(&diag, "scores.csv:4:2: error: unknown area_id 'A3' (not in areas.csv)");
  expect_message(&diag, "policy.json:1:18: error: max_minutes.school: expected a "
                        "number >= 0, found -5");
  expect_message(&diag, "policy.json:1:33: warning: unknown key 'colour', ignored");
  assert_int_equal(diag.errors, 17);
  assert_int_equal(diag.warnings, 3);
  bp_case_free(&k);
  bp_diagnostics_free(&diag);
  remove_case(dir);
}

static void test_case_missing_files(void **state) {
  (void)state;
  char *dir = copy_valid_case();
  char *path = bp_format("%s/units.csv", dir);
  unlink(path);
  free(path);
  path = bp_format("%s/daycares.csv", dir);
  unlink(path);
  free(path);
  bp_diagnostics diag = {0};
  bp_case k;
  assert_int_equal(bp_read_case(dir, NULL, &k, &diag), BP_INVALID);
  expect_message(&diag, "units.csv: error: required file not found");
  /* Without daycares.csv, the area that names one points at nothing; the
   * locks on units are not reported, since units.csv is the problem. */
  expect_message(&diag, "areas.csv:2:6: error: unknown daycare_id 'D1' (there is no daycares.csv)");
  assert_int_equal(diag.errors, 2);
  bp_case_free(&k);
  bp_diagnostics_free(&diag);
  remove_case(dir);
}

/* ------------------------------------------------------------------ */
/* The policy                                                          */
/* ------------------------------------------------------------------ */

static bp_status policy_from(const char *text, bp_policy *p, bp_diagnostics *diag) {
  bp_policy_defaults(p);
  return bp_read_policy_text(text, strlen(text), "policy.json", p, diag);
}

static void test_policy_defaults(void **state) {
  (void)state;
  bp_policy p;
  bp_policy_defaults(&p);
  assert_true(p.max_minutes_language_school == 60);
  assert_true(p.max_minutes_school == 40);
  assert_true(p.max_minutes_daycare == 30);
  assert_true(p.max_minutes_job == 60);
  assert_true(p.max_minutes_health == 60);
  assert_true(p.max_newcomer_share == 0.15);
  assert_true(p.max_bilingual_share == 0.30);
  assert_true(p.persons_per_room == 2.0);
  assert_int_equal(p.extra_rooms, 1);
  assert_int_equal(p.max_new_per_building, 3);
  assert_int_equal(p.min_cluster, 0);
  assert_int_equal(p.allow_vulnerable_areas, 0);
  assert_int_equal(p.allow_transit, 1);
  assert_true(p.weights.spread == 10);
  assert_true(p.weights.near_cap == 2);
  assert_true(p.weights.travel == 1);
  assert_true(p.weights.rent == 1);
  assert_true(p.weights.preference == 1);
  assert_true(p.weights.ties == 1);
  assert_true(p.weights.partner == 0.5);
  assert_true(p.weights.score == 1);
  assert_true(p.time_limit_s == 60);
  assert_true(p.mip_gap == 0);
  assert_int_equal(p.language, BP_LANG_EN);
}

static void test_policy_overrides(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_policy p;
  const char *text =
      "\xEF\xBB\xBF{\n"
      "  \"max_minutes\": {\"language_school\": 50, \"job\": 75.5, \"health\": 0},\n"
      "  \"max_newcomer_share\": 0.08, \"max_bilingual_share\": 1,\n"
      "  \"persons_per_room\": 1.5, \"extra_rooms\": 0,\n"
      "  \"max_new_per_building\": 0, \"min_cluster\": 4,\n"
      "  \"allow_vulnerable_areas\": true, \"allow_transit\": 0,\n"
      "  \"weights\": {\"spread\": 0, \"near_cap\": 3, \"travel\": 2, \"rent\": 0.5,\n"
      "              \"preference\": 4, \"ties\": 5, \"partner\": 6, \"score\": 7},\n"
      "  \"time_limit_s\": 5, \"mip_gap\": 0.01, \"language\": \"da\"\n"
      "}\n";
  assert_int_equal(policy_from(text, &p, &diag), BP_OK);
  assert_int_equal(diag.count, 0);
  assert_true(p.max_minutes_language_school == 50);
  assert_true(p.max_minutes_school == 40); /* not given: default kept */
  assert_true(p.max_minutes_job == 75.5);
  assert_true(p.max_minutes_health == 0);
  assert_true(p.max_newcomer_share == 0.08);
  assert_true(p.max_bilingual_share == 1);
  assert_true(p.persons_per_room == 1.5);
  assert_int_equal(p.extra_rooms, 0);
  assert_int_equal(p.max_new_per_building, 0);
  assert_int_equal(p.min_cluster, 4);
  assert_int_equal(p.allow_vulnerable_areas, 1);
  assert_int_equal(p.allow_transit, 0);
  assert_true(p.weights.spread == 0);
  assert_true(p.weights.near_cap == 3);
  assert_true(p.weights.travel == 2);
  assert_true(p.weights.rent == 0.5);
  assert_true(p.weights.preference == 4);
  assert_true(p.weights.ties == 5);
  assert_true(p.weights.partner == 6);
  assert_true(p.weights.score == 7);
  assert_true(p.time_limit_s == 5);
  assert_true(p.mip_gap == 0.01);
  assert_int_equal(p.language, BP_LANG_DA);
  bp_diagnostics_free(&diag);
}

static void test_policy_syntax_errors(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_policy p;
  assert_int_equal(policy_from("{\n  \"max_newcomer_share\": 0.2,\n}\n", &p, &diag),
                   BP_INVALID);
  expect_message(&diag, "policy.json:3:1: error: JSON syntax error at '}' (a ',' "
                        "or ':' missing, or one too many?)");
  bp_diagnostics_free(&diag);
  assert_int_equal(policy_from("{\n  \"a\": 1\n  \"b\": 2\n}", &p, &diag), BP_INVALID);
  expect_message(&diag, "policy.json:3:3: error: JSON syntax error at '\"' (a ',' "
                        "or ':' missing, or one too many?)");
  bp_diagnostics_free(&diag);
  assert_int_equal(policy_from("{\"language\": \"da", &p, &diag), BP_INVALID);
  expect_message(&diag, "policy.json:1:14: error: JSON syntax error: the string "
                        "that begins here has no closing '\"'");
  bp_diagnostics_free(&diag);
  assert_int_equal(policy_from("{\n \"weights\": {\"spread\": 1}\n", &p, &diag),
                   BP_INVALID);
  expect_message(&diag, "policy.json:1:1: error: JSON syntax error: the '{' here "
                        "is never closed");
  bp_diagnostics_free(&diag);
  assert_int_equal(policy_from("{\"å\": 1} x", &p, &diag), BP_INVALID);
  expect_message(&diag, "policy.json:1:10: error: JSON syntax error: text after the "
                        "end of the policy object");
  bp_diagnostics_free(&diag);
  assert_int_equal(policy_from("  \n", &p, &diag), BP_INVALID);
  expect_message(&diag, "policy.json: error: the file is empty; write {} for no changes");
  bp_diagnostics_free(&diag);
  assert_int_equal(policy_from("[1, 2]", &p, &diag), BP_INVALID);
  expect_message(&diag, "policy.json:1:1: error: the policy must be a JSON object "
                        "({ \"key\": value, ... })");
  bp_diagnostics_free(&diag);
}

static void test_policy_values(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_policy p;
  const char *text = "{\n"
                     "  \"max_minutes\": {\"school\": \"forty\", \"bus\": 3},\n"
                     "  \"max_newcomer_share\": 1.5,\n"
                     "  \"extra_rooms\": 1.5,\n"
                     "  \"allow_transit\": \"yes\",\n"
                     "  \"language\": \"de\",\n"
                     "  \"weights\": {\"travel\": -1, \"colour\": 2},\n"
                     "  \"time_limit_s\": 0,\n"
                     "  \"max_minutez\": {},\n"
                     "  \"min_cluster\": 2, \"min_cluster\": 3,\n"
                     "  \"weights\": []\n"
                     "}\n";
  assert_int_equal(policy_from(text, &p, &diag), BP_INVALID);
  expect_message(&diag, "policy.json:2:19: error: max_minutes.school: expected a "
                        "number >= 0, found \"forty\"");
  expect_message(&diag, "policy.json:2:38: warning: unknown key 'max_minutes.bus', ignored");
  expect_message(&diag, "policy.json:3:3: error: max_newcomer_share: expected a "
                        "number from 0 to 1, found 1.5");
  expect_message(&diag, "policy.json:4:3: error: extra_rooms: expected a whole "
                        "number >= 0, found 1.5");
  expect_message(&diag, "policy.json:5:3: error: allow_transit: expected true or "
                        "false, found \"yes\"");
  expect_message(&diag, "policy.json:6:3: error: language: expected \"en\" or "
                        "\"da\", found \"de\"");
  expect_message(&diag, "policy.json:7:15: error: weights.travel: expected a number "
                        ">= 0, found -1");
  expect_message(&diag, "policy.json:7:29: warning: unknown key 'weights.colour', ignored");
  expect_message(&diag, "policy.json:8:3: error: time_limit_s: expected a number > "
                        "0, found 0");
  expect_message(&diag, "policy.json:9:3: warning: unknown key 'max_minutez', ignored");
  expect_message(&diag, "policy.json:10:21: error: duplicate key 'min_cluster' "
                        "(first on line 10)");
  expect_message(&diag, "policy.json:11:3: error: duplicate key 'weights' (first on line 7)");
  /* Only good values were taken. */
  assert_true(p.max_minutes_school == 40);
  assert_int_equal(p.min_cluster, 2);
  assert_int_equal(p.allow_transit, 1);
  bp_diagnostics_free(&diag);
}

static void test_policy_file(void **state) {
  (void)state;
  bp_diagnostics diag = {0};
  bp_policy p;
  bp_policy_defaults(&p);
  assert_int_equal(bp_read_policy("data/bad/valid/policy.json", &p, &diag), BP_OK);
  assert_true(p.max_minutes_school == 45);
  assert_int_equal(bp_read_policy("data/none.json", &p, &diag), BP_INVALID);
  expect_message(&diag, "data/none.json: error: file not found");
  bp_diagnostics_free(&diag);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sha256_vectors),
      cmocka_unit_test(test_csv_comma),
      cmocka_unit_test(test_csv_semicolon_bom_crlf),
      cmocka_unit_test(test_csv_quoting_and_lines),
      cmocka_unit_test(test_csv_ragged_rows),
      cmocka_unit_test(test_csv_unterminated_quote),
      cmocka_unit_test(test_csv_stray_quotes),
      cmocka_unit_test(test_csv_not_utf8),
      cmocka_unit_test(test_csv_empty_and_header_only),
      cmocka_unit_test(test_csv_long_line),
      cmocka_unit_test(test_csv_header),
      cmocka_unit_test(test_csv_message_limit),
      cmocka_unit_test(test_parse_numbers),
      cmocka_unit_test(test_typed_field_messages),
      cmocka_unit_test(test_case_valid),
      cmocka_unit_test(test_case_semicolon_same_as_comma),
      cmocka_unit_test(test_case_policy_override_and_missing_dir),
      cmocka_unit_test(test_case_reports_everything),
      cmocka_unit_test(test_case_missing_files),
      cmocka_unit_test(test_policy_defaults),
      cmocka_unit_test(test_policy_overrides),
      cmocka_unit_test(test_policy_syntax_errors),
      cmocka_unit_test(test_policy_values),
      cmocka_unit_test(test_policy_file),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
