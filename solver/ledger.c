/**
 * @file ledger.c
 * @brief The history ledger CASE_DIR/history.csv (see ledger.h): read it
 *        with the case's own CSV reader, apply it to a case before derive,
 *        and append accepted placements to it crash-safely.
 */
#include "ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "export.h"
#include "read_csv.h"
#include "scenario.h"
#include "sha256.h"

/* The columns, in the order a new ledger is written. */
enum {
  L_BATCH, L_WEEK, L_HOUSEHOLD, L_UNIT, L_AREA, L_KIND, L_ADULTS,
  L_CHILDREN_0_5, L_CHILDREN_6_16, L_PERSONS, L_WAITING, L_RUN, L_COUNT
};

static const bp_csv_column ledger_columns[L_COUNT] = {
    {"batch", 1},         {"week", 0},          {"household_id", 1},
    {"unit_id", 1},       {"area_id", 1},       {"kind", 1},
    {"adults", 1},        {"children_0_5", 1},  {"children_6_16", 1},
    {"persons", 1},       {"waiting_days", 1},  {"run_sha256", 1}};

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

int bp_ledger_valid_week(const char *text) {
  /* YYYY-Www, week 01..53 */
  if (strlen(text) != 8 || text[4] != '-' || text[5] != 'W')
    return 0;
  for (int i = 0; i < 8; i++)
    if (i != 4 && i != 5 && (text[i] < '0' || text[i] > '9'))
      return 0;
  int week = (text[6] - '0') * 10 + (text[7] - '0');
  return week >= 1 && week <= 53;
}

static int valid_sha256(const char *text) {
  if (strlen(text) != 64)
    return 0;
  for (const char *p = text; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return 0;
  return 1;
}

static void free_row(bp_ledger_row *r) {
  free(r->week);
  free(r->household_id);
  free(r->unit_id);
  free(r->area_id);
}

void bp_ledger_free(bp_ledger *l) {
  for (size_t i = 0; i < l->n_rows; i++)
    free_row(&l->rows[i]);
  for (size_t i = 0; i < l->n_header; i++)
    free(l->header[i]);
  free(l->header);
  free(l->rows);
  free(l->text);
  free(l->by_household);
  free(l->by_unit);
  memset(l, 0, sizeof *l);
}

/* Sorting row indices by an id, rows of one id in file order. */
static const char *row_key(const bp_ledger *l, size_t r, int by_unit) {
  return by_unit ? l->rows[r].unit_id : l->rows[r].household_id;
}

static void sort_rows(const bp_ledger *l, size_t *order, int by_unit) {
  /* A stable merge sort of the indices: O(n log n), and rows of one id
   * keep their file order. */
  size_t n = l->n_rows;
  for (size_t i = 0; i < n; i++)
    order[i] = i;
  size_t *tmp = bp_alloc((n + 1) * sizeof *tmp);
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        tmp[k++] = strcmp(row_key(l, order[j], by_unit),
                          row_key(l, order[i], by_unit)) < 0
                       ? order[j++]
                       : order[i++];
      while (i < mid)
        tmp[k++] = order[i++];
      while (j < hi)
        tmp[k++] = order[j++];
    }
    memcpy(order, tmp, n * sizeof *order);
  }
  free(tmp);
}

/* The first position in order[] whose row has the id, or n_rows. */
static size_t first_of(const bp_ledger *l, const size_t *order, int by_unit,
                       const char *id) {
  size_t low = 0, high = l->n_rows;
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    if (strcmp(row_key(l, order[mid], by_unit), id) < 0)
      low = mid + 1;
    else
      high = mid;
  }
  return low;
}

/* The rows of one id: order[*begin .. *end), in file order. */
static void rows_of(const bp_ledger *l, int by_unit, const char *id,
                    size_t *begin, size_t *end) {
  const size_t *order = by_unit ? l->by_unit : l->by_household;
  *begin = *end = 0;
  if (!order)
    return;
  *begin = *end = first_of(l, order, by_unit, id);
  while (*end < l->n_rows && strcmp(row_key(l, order[*end], by_unit), id) == 0)
    (*end)++;
}

long bp_ledger_find(const bp_ledger *l, const char *household_id,
                    const char *unit_id) {
  size_t begin, end;
  rows_of(l, 0, household_id, &begin, &end);
  for (size_t i = begin; i < end; i++)
    if (strcmp(l->rows[l->by_household[i]].unit_id, unit_id) == 0)
      return (long)l->by_household[i];
  return -1;
}

long bp_ledger_latest(const bp_ledger *l, const char *household_id) {
  size_t begin, end;
  rows_of(l, 0, household_id, &begin, &end);
  return end > begin ? (long)l->by_household[end - 1] : -1;
}

int bp_ledger_occupants(const bp_ledger *l, const char *unit_id) {
  size_t begin, end;
  int count = 0;
  rows_of(l, 1, unit_id, &begin, &end);
  for (size_t i = begin; i < end; i++)
    count += l->rows[l->by_unit[i]].current;
  return count;
}

int bp_ledger_batch_of_run(const bp_ledger *l, const char *run_sha256,
                           const char **week) {
  *week = NULL;
  for (size_t r = 0; r < l->n_rows; r++)
    if (strcmp(l->rows[r].run_sha256, run_sha256) == 0) {
      *week = l->rows[r].week;
      return l->rows[r].batch;
    }
  return 0;
}

/* One row, field by field; 0 when a field was bad (already reported). */
static int read_row(bp_csv_table *t, const bp_csv_row *row, bp_ledger_row *r) {
  const char *kinds[BP_UNIT_KIND_COUNT];
  for (int i = 0; i < BP_UNIT_KIND_COUNT; i++)
    kinds[i] = bp_unit_kind_name((bp_unit_kind)i);
  memset(r, 0, sizeof *r);
  r->line = row->line;
  const char *household, *unit, *area, *run;
  int kind = 0;
  int ok = bp_csv_int(t, row, L_BATCH, 1, BP_CSV_INT_LIMIT, 1, &r->batch);
  ok &= bp_csv_text(t, row, L_WEEK, &r->week);
  if (r->week && !bp_ledger_valid_week(r->week)) {
    bp_csv_error(t, row->line, bp_csv_column_number(t, L_WEEK),
                 "week: expected an ISO week YYYY-Www (e.g. 2026-W45), found "
                 "\"%s\"",
                 r->week);
    ok = 0;
  }
  ok &= bp_csv_id(t, row, L_HOUSEHOLD, &household);
  ok &= bp_csv_id(t, row, L_UNIT, &unit);
  ok &= bp_csv_id(t, row, L_AREA, &area);
  ok &= bp_csv_choice(t, row, L_KIND, kinds, BP_UNIT_KIND_COUNT, 0, &kind);
  r->kind = (bp_unit_kind)kind;
  int counts = bp_csv_int(t, row, L_ADULTS, 0, BP_CSV_INT_LIMIT, 0, &r->adults);
  counts &= bp_csv_int(t, row, L_CHILDREN_0_5, 0, BP_CSV_INT_LIMIT, 0,
                       &r->children_0_5);
  counts &= bp_csv_int(t, row, L_CHILDREN_6_16, 0, BP_CSV_INT_LIMIT, 0,
                       &r->children_6_16);
  counts &= bp_csv_int(t, row, L_PERSONS, 1, BP_CSV_INT_LIMIT, 1, &r->persons);
  if (counts &&
      r->persons != r->adults + r->children_0_5 + r->children_6_16) {
    bp_csv_error(t, row->line, bp_csv_column_number(t, L_PERSONS),
                 "persons: %d, but adults + children_0_5 + children_6_16 = %d",
                 r->persons, r->adults + r->children_0_5 + r->children_6_16);
    counts = 0;
  }
  ok &= counts;
  ok &= bp_csv_int(t, row, L_WAITING, 0, BP_CSV_INT_LIMIT, 0, &r->waiting_days);
  ok &= bp_csv_id(t, row, L_RUN, &run);
  if (run && !valid_sha256(run)) {
    bp_csv_error(t, row->line, bp_csv_column_number(t, L_RUN),
                 "run_sha256: expected 64 lowercase hex digits, found \"%.70s\"",
                 run);
    ok = 0;
  }
  if (!ok || !household || !unit || !area || !run) {
    free_row(r);
    memset(r, 0, sizeof *r);
    return 0;
  }
  r->household_id = bp_strdup(household);
  r->unit_id = bp_strdup(unit);
  r->area_id = bp_strdup(area);
  memcpy(r->run_sha256, run, 65);
  return 1;
}

/* Checks across rows, then marks each household's latest row current.  A
 * repeated (household, unit) pair is dropped with a warning. */
static void check_rows(bp_ledger *l, bp_csv_table *t) {
  size_t *order = bp_alloc((l->n_rows + 1) * sizeof *order);
  sort_rows(l, order, 0);
  unsigned char *drop = bp_calloc(l->n_rows + 1, 1);
  int household_column = bp_csv_column_number(t, L_HOUSEHOLD);
  int unit_column = bp_csv_column_number(t, L_UNIT);
  for (size_t i = 0; i < l->n_rows;) {
    size_t end = i;
    while (end < l->n_rows && strcmp(l->rows[order[end]].household_id,
                                      l->rows[order[i]].household_id) == 0)
      end++;
    const bp_ledger_row *permanent = NULL;
    for (size_t j = i; j < end; j++) {
      const bp_ledger_row *r = &l->rows[order[j]];
      for (size_t k = i; k < j; k++) {
        const bp_ledger_row *before = &l->rows[order[k]];
        if (!drop[order[k]] && strcmp(before->unit_id, r->unit_id) == 0) {
          bp_csv_warning(t, r->line, unit_column,
                         "household '%s' in unit '%s' is already recorded on "
                         "line %d; this row is ignored",
                         r->household_id, r->unit_id, before->line);
          drop[order[j]] = 1;
          break;
        }
      }
      if (drop[order[j]])
        continue;
      if (permanent) {
        bp_csv_error(t, r->line, household_column,
                     "household '%s' already has a permanent home (unit '%s', "
                     "line %d); nothing can be recorded for it after that",
                     r->household_id, permanent->unit_id, permanent->line);
        continue;
      }
      if (r->kind != BP_UNIT_TRANSIT)
        permanent = r;
    }
    i = end;
  }
  /* Drop the repeats, keeping file order. */
  size_t kept = 0;
  for (size_t r = 0; r < l->n_rows; r++) {
    if (drop[r])
      free_row(&l->rows[r]);
    else
      l->rows[kept++] = l->rows[r];
  }
  l->n_rows = kept;
  free(drop);
  free(order);

  l->by_household = bp_alloc((l->n_rows + 1) * sizeof *l->by_household);
  l->by_unit = bp_alloc((l->n_rows + 1) * sizeof *l->by_unit);
  sort_rows(l, l->by_household, 0);
  sort_rows(l, l->by_unit, 1);
  for (size_t i = 0; i < l->n_rows; i++) {
    size_t r = l->by_household[i];
    int last = i + 1 == l->n_rows ||
               strcmp(l->rows[l->by_household[i + 1]].household_id,
                      l->rows[r].household_id) != 0;
    l->rows[r].current = last;
    if (l->rows[r].batch > l->last_batch)
      l->last_batch = l->rows[r].batch;
  }
}

bp_status bp_ledger_read(const char *case_dir, bp_ledger *l,
                         bp_diagnostics *diag) {
  memset(l, 0, sizeof *l);
  l->delimiter = ',';
  char *path = bp_format("%s/%s", case_dir, BP_LEDGER_FILE);
  struct stat st;
  if (stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
    free(path);
    return BP_OK;
  }
  size_t errors_before = diag->errors;
  bp_status status = bp_read_file(path, BP_LEDGER_FILE, BP_CSV_MAX_FILE,
                                  &l->text, &l->length, diag);
  free(path);
  if (status != BP_OK)
    return status;
  l->found = 1;
  bp_sha256_hex((const unsigned char *)l->text, l->length, l->sha256);
  /* An empty file (or only a byte order mark and blank lines) is a ledger
   * without rows; the next append writes the header. */
  size_t start = l->length >= 3 && memcmp(l->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  int blank = 1;
  for (size_t i = start; i < l->length && blank; i++)
    blank = l->text[i] == ' ' || l->text[i] == '\t' || l->text[i] == '\r' ||
            l->text[i] == '\n';
  if (blank)
    return BP_OK;

  bp_csv_table t;
  bp_csv_read_text(l->text, l->length, BP_LEDGER_FILE, 0, &t, diag);
  if (t.header_line)
    bp_csv_bind(&t, ledger_columns, L_COUNT);
  if (t.usable) {
    l->delimiter = t.delimiter;
    l->header = bp_alloc((t.n_header + 1) * sizeof *l->header);
    for (size_t i = 0; i < t.n_header; i++)
      l->header[i] = bp_strdup(t.header[i]);
    l->n_header = t.n_header;
    l->area_column = bp_csv_column_number(&t, L_AREA);
    l->rows = bp_calloc(t.n_rows, sizeof *l->rows);
    for (size_t i = 0; i < t.n_rows; i++)
      if (read_row(&t, &t.rows[i], &l->rows[l->n_rows]))
        l->n_rows++;
    check_rows(l, &t);
  }
  bp_csv_summarize(&t);
  bp_csv_table_free(&t);
  return diag->errors > errors_before ? BP_INVALID : BP_OK;
}

/* ------------------------------------------------------------------ */
/* Applying to a case                                                  */
/* ------------------------------------------------------------------ */

/* Children placed into a school or daycare by an accepted placement. */
static void enrol(bp_institution *inst, int children, const char *what,
                  const bp_ledger_row *r, bp_diagnostics *diag, int column) {
  if (children <= 0)
    return;
  if (inst->free_seats < children)
    bp_warning(diag, BP_LEDGER_FILE, r->line, column,
               "%s '%s' has %d free %s left, fewer than the %d children of "
               "household '%s'; counted as full",
               what, inst->id, inst->free_seats,
               strcmp(what, "school") == 0 ? "seats" : "places", children,
               r->household_id);
  inst->free_seats = inst->free_seats > children ? inst->free_seats - children
                                                 : 0;
  if (inst->enrolled <= BP_CSV_INT_LIMIT - children) {
    inst->enrolled += children;
    inst->bilingual += children;
  }
}

bp_status bp_apply_ledger(bp_case *k, bp_diagnostics *diag) {
  bp_ledger l;
  size_t errors_before = diag->errors;
  bp_status status = bp_ledger_read(k->dir, &l, diag);
  if (status != BP_OK || !l.found) {
    bp_ledger_free(&l);
    return status;
  }
  unsigned char *drop_households = bp_calloc(k->n_households + 1, 1);
  unsigned char *drop_units = bp_calloc(k->n_units + 1, 1);
  int *taken = bp_calloc(k->n_units + 1, sizeof *taken);
  /* The ledger line that houses each household / takes each unit. */
  int *household_line = bp_calloc(k->n_households + 1, sizeof *household_line);
  int *unit_line = bp_calloc(k->n_units + 1, sizeof *unit_line);

  for (size_t i = 0; i < l.n_rows; i++) {
    const bp_ledger_row *r = &l.rows[i];
    if (!r->current)
      continue; /* moved on from this transit unit */
    int u = bp_case_find_unit(k, r->unit_id);
    if (u >= 0) {
      taken[u]++;
      unit_line[u] = r->line;
    }
    if (r->kind == BP_UNIT_TRANSIT)
      continue; /* still to be housed permanently; shares do not move */
    int a = bp_case_find_area(k, r->area_id);
    if (a < 0) {
      bp_error(diag, BP_LEDGER_FILE, r->line, l.area_column,
               "area_id: unknown area '%s' (not in areas.csv); the accepted "
               "placements must stay in areas the case still has",
               r->area_id);
      continue;
    }
    bp_area *area = &k->areas[a];
    if (area->households < BP_CSV_INT_LIMIT) {
      area->households++;
      area->newcomer_households++;
    }
    enrol(&k->schools[area->school], r->children_6_16, "school", r, diag,
          l.area_column);
    if (r->children_0_5 > 0 && area->daycare < 0)
      bp_warning(diag, BP_LEDGER_FILE, r->line, l.area_column,
                 "area '%s' has no daycare for the %d children aged 0-5 of "
                 "household '%s'",
                 area->id, r->children_0_5, r->household_id);
    else if (area->daycare >= 0)
      enrol(&k->daycares[area->daycare], r->children_0_5, "daycare", r, diag,
            l.area_column);
    int h = bp_case_find_household(k, r->household_id);
    if (h >= 0) {
      drop_households[h] = 1;
      household_line[h] = r->line;
    }
  }
  for (size_t u = 0; u < k->n_units; u++) {
    if (!taken[u])
      continue;
    if (taken[u] >= k->units[u].places)
      drop_units[u] = 1;
    else
      k->units[u].places -= taken[u];
  }
  for (size_t i = 0; i < k->n_locks; i++) {
    const bp_lock *lock = &k->locks[i];
    /* A 'forbid' lock on a household or unit that is gone forbids
     * nothing; a 'place' lock that cannot be kept must be mentioned. */
    if (lock->action != BP_LOCK_PLACE)
      continue;
    if (drop_households[lock->household])
      bp_warning(diag, "locks.csv", lock->origin.line, 0,
                 "the 'place' lock of household '%s' on unit '%s' is ignored: "
                 "the household is housed (history.csv line %d)",
                 k->households[lock->household].id, k->units[lock->unit].id,
                 household_line[lock->household]);
    else if (drop_units[lock->unit])
      bp_warning(diag, "locks.csv", lock->origin.line, 0,
                 "the 'place' lock of household '%s' on unit '%s' is ignored: "
                 "the unit is taken (history.csv line %d)",
                 k->households[lock->household].id, k->units[lock->unit].id,
                 unit_line[lock->unit]);
  }
  if (diag->errors == errors_before) {
    bp_case_changes changes = {drop_households, drop_units, NULL, 0, NULL, 0};
    bp_case_edit(k, &changes);
    bp_case_add_input(k, BP_LEDGER_FILE, l.sha256);
  }
  free(drop_households);
  free(drop_units);
  free(taken);
  free(household_line);
  free(unit_line);
  bp_ledger_free(&l);
  return diag->errors > errors_before ? BP_INVALID : BP_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void append_field(bp_buffer *b, const bp_ledger_row *r, int column) {
  switch (column) {
  case L_BATCH: bp_buffer_printf(b, "%d", r->batch); break;
  case L_WEEK: bp_buffer_csv_field(b, r->week ? r->week : ""); break;
  case L_HOUSEHOLD: bp_buffer_csv_field(b, r->household_id); break;
  case L_UNIT: bp_buffer_csv_field(b, r->unit_id); break;
  case L_AREA: bp_buffer_csv_field(b, r->area_id); break;
  case L_KIND: bp_buffer_append(b, bp_unit_kind_name(r->kind)); break;
  case L_ADULTS: bp_buffer_printf(b, "%d", r->adults); break;
  case L_CHILDREN_0_5: bp_buffer_printf(b, "%d", r->children_0_5); break;
  case L_CHILDREN_6_16: bp_buffer_printf(b, "%d", r->children_6_16); break;
  case L_PERSONS: bp_buffer_printf(b, "%d", r->persons); break;
  case L_WAITING: bp_buffer_printf(b, "%d", r->waiting_days); break;
  case L_RUN: bp_buffer_append(b, r->run_sha256); break;
  default: break; /* a column of the user's own: left empty */
  }
}

bp_status bp_ledger_append(const char *case_dir, const bp_ledger *l,
                           const bp_ledger_row *rows, size_t n_rows,
                           bp_diagnostics *diag) {
  bp_buffer b = {0};
  /* The file's columns in its order; a new file gets ours. */
  int columns[64];
  size_t n_columns = 0;
  char delimiter = l->delimiter ? l->delimiter : ',';
  if (l->n_header > 0) {
    bp_buffer_append_n(&b, l->text, l->length);
    if (l->length > 0 && l->text[l->length - 1] != '\n')
      bp_buffer_append(&b, "\n");
    for (size_t i = 0; i < l->n_header && n_columns < 64; i++) {
      int column = -1;
      for (int c = 0; c < L_COUNT && column < 0; c++)
        if (strcmp(l->header[i], ledger_columns[c].name) == 0)
          column = c;
      columns[n_columns++] = column;
    }
  } else {
    /* Missing or blank: start afresh (a blank file holds nothing). */
    for (int c = 0; c < L_COUNT; c++) {
      if (c)
        bp_buffer_append_n(&b, &delimiter, 1);
      bp_buffer_append(&b, ledger_columns[c].name);
      columns[n_columns++] = c;
    }
    bp_buffer_append(&b, "\n");
  }
  for (size_t r = 0; r < n_rows; r++) {
    for (size_t i = 0; i < n_columns; i++) {
      if (i)
        bp_buffer_append_n(&b, &delimiter, 1);
      append_field(&b, &rows[r], columns[i]);
    }
    bp_buffer_append(&b, "\n");
  }
  char *path = bp_format("%s/%s", case_dir, BP_LEDGER_FILE);
  bp_status status = bp_write_file_atomically(path, b.data ? b.data : "",
                                              b.length, diag);
  free(path);
  bp_buffer_free(&b);
  return status;
}

int bp_ledger_lock(const char *case_dir, bp_diagnostics *diag) {
  int fd = open(case_dir, O_RDONLY | O_DIRECTORY);
  if (fd < 0) {
    bp_error(diag, case_dir, 0, 0, "cannot open the case directory: %s",
             strerror(errno));
    return -1;
  }
  while (flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR)
      continue;
    bp_error(diag, case_dir, 0, 0, "cannot lock the case directory: %s",
             strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

void bp_ledger_unlock(int fd) {
  if (fd >= 0) {
    flock(fd, LOCK_UN);
    close(fd);
  }
}

void bp_run_fingerprint(const bp_input_file *inputs, size_t n, char out[65]) {
  bp_sha256 hash;
  bp_sha256_init(&hash);
  for (size_t i = 0; i < n; i++) {
    bp_sha256_update(&hash, inputs[i].name, strlen(inputs[i].name));
    bp_sha256_update(&hash, "\t", 1);
    bp_sha256_update(&hash, inputs[i].sha256, strlen(inputs[i].sha256));
    bp_sha256_update(&hash, "\n", 1);
  }
  bp_sha256_final_hex(&hash, out);
}
