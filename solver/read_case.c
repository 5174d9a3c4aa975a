/**
 * @file read_case.c
 * @brief The read stage: a case directory (SPEC.md, "A case") into a
 *        checked, sorted bp_case, with every problem reported at once.
 *
 * The stage runs in four steps, each over all files, so that one run lists
 * every problem of the input:
 *  1. read every table as text and match its header (read_csv.c);
 *  2. turn rows into records, field by field (typed getters report bad
 *     fields), with the checks that concern one row (newcomers <= households,
 *     places > 1 only for shared units, ...);
 *  3. sort every table by id with strcmp and drop later duplicates, so that
 *     the order of rows in the input can never change the answer;
 *  4. resolve references (area_id, stop_id, ...) to indices into the sorted
 *     tables, then the checks that span rows (locks, scores), then groups,
 *     buildings and the list of input files with their hashes.
 * Because referenced tables are sorted before anything refers to them, the
 * indices are final when they are set: nothing needs remapping later.
 *
 * A table whose header is unusable (missing file or required column) is not
 * read row by row, and references into it are not reported as unknown: the
 * one message about the header says it all.  Records whose id is unusable
 * are left out, for the same reason.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boplace.h"
#include "case_index.h"
#include "read_csv.h"
#include "sha256.h"

/* ------------------------------------------------------------------ */
/* The columns of each file (SPEC.md)                                  */
/* ------------------------------------------------------------------ */

enum { STOP_ID, STOP_NAME, STOP_LAT, STOP_LON };
static const bp_csv_column stop_columns[] = {
    {"stop_id", 1}, {"name", 1}, {"lat", 0}, {"lon", 0}};

enum { LINK_FROM, LINK_TO, LINK_MINUTES, LINK_BOTH_WAYS };
static const bp_csv_column link_columns[] = {
    {"from_stop", 1}, {"to_stop", 1}, {"minutes", 1}, {"both_ways", 0}};

enum { INST_ID, INST_NAME, INST_STOP, INST_FREE, INST_ENROLLED, INST_BILINGUAL,
       INST_MAX_SHARE };
static const bp_csv_column school_columns[] = {
    {"school_id", 1}, {"name", 1},  {"stop_id", 1},
    {"free_seats", 1}, {"pupils", 1}, {"bilingual_pupils", 1},
    {"max_bilingual_share", 0}};
static const bp_csv_column daycare_columns[] = {
    {"daycare_id", 1},  {"name", 1},     {"stop_id", 1},
    {"free_places", 1}, {"children", 1}, {"bilingual_children", 1},
    {"max_bilingual_share", 0}};

enum { AREA_ID, AREA_NAME, AREA_HOUSEHOLDS, AREA_NEWCOMERS, AREA_SCHOOL,
       AREA_DAYCARE, AREA_MAX_SHARE, AREA_VULNERABLE, AREA_PARTNER };
static const bp_csv_column area_columns[] = {
    {"area_id", 1},   {"name", 1},       {"households", 1},
    {"newcomer_households", 1}, {"school_id", 1}, {"daycare_id", 0},
    {"max_newcomer_share", 0},  {"vulnerable", 0}, {"partner", 0}};

enum { UNIT_ID, UNIT_AREA, UNIT_STOP, UNIT_WALK, UNIT_ROOMS, UNIT_RENT,
       UNIT_KIND, UNIT_PLACES, UNIT_MAX_PERSONS, UNIT_STEP_FREE, UNIT_BUILDING,
       UNIT_LANDLORD, UNIT_AVAILABLE };
static const bp_csv_column unit_columns[] = {
    {"unit_id", 1},   {"area_id", 1},     {"stop_id", 1},
    {"walk_minutes", 0}, {"rooms", 1},    {"rent", 1},
    {"kind", 1},      {"places", 0},      {"max_persons", 0},
    {"step_free", 0}, {"building", 0},    {"landlord", 0},
    {"available_from", 0}};

enum { DEST_ID, DEST_KIND, DEST_NAME, DEST_STOP };
static const bp_csv_column destination_columns[] = {
    {"dest_id", 1}, {"kind", 1}, {"name", 1}, {"stop_id", 1}};

enum { HH_ID, HH_ADULTS, HH_CHILDREN_0_5, HH_CHILDREN_6_16, HH_MAX_RENT,
       HH_STEP_FREE, HH_NEEDS_HEALTH, HH_LANGUAGE, HH_GROUP, HH_JOB_STOP,
       HH_PREFERRED_AREA, HH_TIES_AREA, HH_WAITING_DAYS };
static const bp_csv_column household_columns[] = {
    {"household_id", 1}, {"adults", 1},       {"children_0_5", 1},
    {"children_6_16", 1}, {"max_rent", 1},    {"step_free", 0},
    {"needs_health", 0}, {"language", 0},     {"group_id", 0},
    {"job_stop", 0},     {"preferred_area", 0}, {"ties_area", 0},
    {"waiting_days", 0}};

enum { LOCK_HOUSEHOLD, LOCK_UNIT, LOCK_ACTION };
static const bp_csv_column lock_columns[] = {
    {"household_id", 1}, {"unit_id", 1}, {"action", 1}};

enum { SCORE_HOUSEHOLD, SCORE_AREA, SCORE_VALUE };
static const bp_csv_column score_columns[] = {
    {"household_id", 1}, {"area_id", 1}, {"score", 1}};

#define COUNT(array) (sizeof(array) / sizeof *(array))

static const bp_decimal_range at_least_zero = {0, INFINITY, 0};
static const bp_decimal_range above_zero = {0, INFINITY, 1};
static const bp_decimal_range share_range = {0, 1, 0};
static const bp_decimal_range any_number = {-INFINITY, INFINITY, 0};

/* ------------------------------------------------------------------ */
/* Tables by id                                                        */
/* ------------------------------------------------------------------ */

/* Every entity record (bp_stop, bp_area, bp_unit, bp_institution,
 * bp_destination, bp_household) begins with its char *id; the helpers
 * below rely on that. */
_Static_assert(offsetof(bp_stop, id) == 0, "id first");
_Static_assert(offsetof(bp_area, id) == 0, "id first");
_Static_assert(offsetof(bp_unit, id) == 0, "id first");
_Static_assert(offsetof(bp_institution, id) == 0, "id first");
_Static_assert(offsetof(bp_destination, id) == 0, "id first");
_Static_assert(offsetof(bp_household, id) == 0, "id first");

static const char *id_of(const void *records, size_t size, size_t i) {
  return *(char *const *)(const void *)((const char *)records + i * size);
}

typedef struct {
  const char *id;
  int line;
  size_t index;
} id_entry;

static int compare_id_entries(const void *a, const void *b) {
  const id_entry *x = a, *y = b;
  int c = strcmp(x->id, y->id);
  if (c)
    return c;
  return (x->line > y->line) - (x->line < y->line);
}

/* Sorts records[0..*n) (and the parallel rows) by id in byte order; of
 * records with the same id the first in the file stays and each later one
 * is an error at its id field. */
static void sort_by_id(bp_csv_table *t, int id_column, void *records,
                       size_t size, const bp_csv_row **rows, size_t *n,
                       void (*free_record)(void *)) {
  size_t count = *n;
  if (count == 0)
    return;
  id_entry *entries = bp_alloc(count * sizeof *entries);
  for (size_t i = 0; i < count; i++) {
    entries[i].id = id_of(records, size, i);
    entries[i].line = rows[i]->line;
    entries[i].index = i;
  }
  qsort(entries, count, sizeof *entries, compare_id_entries);
  char *sorted = bp_alloc(count * size);
  const bp_csv_row **sorted_rows = bp_alloc(count * sizeof *sorted_rows);
  size_t kept = 0;
  for (size_t i = 0; i < count; i++) {
    void *record = (char *)records + entries[i].index * size;
    if (kept > 0 && strcmp(entries[i].id, id_of(sorted, size, kept - 1)) == 0) {
      bp_csv_error(t, entries[i].line, bp_csv_column_number(t, id_column),
                   "duplicate %s '%s' (first on line %d)",
                   t->columns[id_column].name, entries[i].id,
                   sorted_rows[kept - 1]->line);
      free_record(record);
      continue;
    }
    memcpy(sorted + kept * size, record, size);
    sorted_rows[kept++] = rows[entries[i].index];
  }
  memcpy(records, sorted, kept * size);
  memcpy(rows, sorted_rows, kept * sizeof *rows);
  *n = kept;
  free(sorted);
  free(sorted_rows);
  free(entries);
}

/* A sorted table that references can point into. */
typedef struct {
  const void *records;
  size_t size, n;
  const bp_csv_table *table;
  int optional_file; /* a missing file is no reason for silence */
} id_index;

int bp_case_index_of_id(const void *records, size_t size, size_t n,
                        const char *id) {
  size_t low = 0, high = n;
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    int c = strcmp(id_of(records, size, mid), id);
    if (c == 0)
      return (int)mid;
    if (c < 0)
      low = mid + 1;
    else
      high = mid;
  }
  return -1;
}

/* Resolves the reference in one field to an index into target; -1 when the
 * field is empty (and optional).  Returns 0 after recording an error. */
static int resolve(bp_csv_table *t, const bp_csv_row *row, int column,
                   const id_index *target, int *index) {
  *index = -1;
  const char *id;
  if (!bp_csv_id(t, row, column, &id))
    return 0;
  if (!id)
    return 1;
  *index = bp_case_index_of_id(target->records, target->size, target->n, id);
  if (*index >= 0)
    return 1;
  const bp_csv_table *other = target->table;
  if (other->usable)
    bp_csv_error(t, row->line, bp_csv_column_number(t, column),
                 "unknown %s '%s' (not in %s)", t->columns[column].name, id,
                 other->file);
  else if (!other->found && target->optional_file)
    bp_csv_error(t, row->line, bp_csv_column_number(t, column),
                 "unknown %s '%s' (there is no %s)", t->columns[column].name, id,
                 other->file);
  /* Otherwise the target file itself is broken and already reported. */
  return 0;
}

/* ------------------------------------------------------------------ */
/* Freeing records                                                     */
/* ------------------------------------------------------------------ */

static void free_stop(void *record) {
  bp_stop *s = record;
  free(s->id);
  free(s->name);
}

static void free_institution(void *record) {
  bp_institution *i = record;
  free(i->id);
  free(i->name);
}

static void free_area(void *record) {
  bp_area *a = record;
  free(a->id);
  free(a->name);
}

void bp_case_free_unit(void *record) {
  bp_unit *u = record;
  free(u->id);
  free(u->building);
  free(u->landlord);
  free(u->available_from);
}

static void free_destination(void *record) {
  bp_destination *d = record;
  free(d->id);
  free(d->kind);
  free(d->name);
}

void bp_case_free_household(void *record) {
  bp_household *h = record;
  free(h->id);
  free(h->language);
  free(h->group_id);
}

void bp_case_free(bp_case *kase) {
  for (size_t i = 0; i < kase->n_areas; i++)
    free_area(&kase->areas[i]);
  for (size_t i = 0; i < kase->n_units; i++)
    bp_case_free_unit(&kase->units[i]);
  for (size_t i = 0; i < kase->n_schools; i++)
    free_institution(&kase->schools[i]);
  for (size_t i = 0; i < kase->n_daycares; i++)
    free_institution(&kase->daycares[i]);
  for (size_t i = 0; i < kase->n_stops; i++)
    free_stop(&kase->stops[i]);
  for (size_t i = 0; i < kase->n_destinations; i++)
    free_destination(&kase->destinations[i]);
  for (size_t i = 0; i < kase->n_households; i++)
    bp_case_free_household(&kase->households[i]);
  for (size_t i = 0; i < kase->n_groups; i++) {
    free(kase->groups[i].id);
    free(kase->groups[i].members);
  }
  for (size_t i = 0; i < kase->n_buildings; i++)
    free(kase->buildings[i].name);
  for (size_t i = 0; i < kase->n_inputs; i++)
    free(kase->inputs[i].name);
  free(kase->areas);
  free(kase->units);
  free(kase->schools);
  free(kase->daycares);
  free(kase->stops);
  free(kase->links);
  free(kase->destinations);
  free(kase->households);
  free(kase->locks);
  free(kase->scores);
  free(kase->groups);
  free(kase->buildings);
  free(kase->inputs);
  free(kase->dir);
  free(kase->policy_source);
  memset(kase, 0, sizeof *kase);
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

typedef struct {
  const char *dir;
  bp_case *kase;
  bp_diagnostics *diag;
  bp_csv_table stops, links, schools, daycares, areas, units, destinations,
      households, locks, scores;
  /* The row each record came from, parallel to the kase tables. */
  const bp_csv_row **stop_rows, **school_rows, **daycare_rows, **area_rows,
      **unit_rows, **destination_rows, **household_rows;
} case_reader;

static void read_table(case_reader *cr, bp_csv_table *t, const char *file,
                       unsigned flags, const bp_csv_column *columns,
                       size_t n_columns) {
  char *path = bp_format("%s/%s", cr->dir, file);
  bp_csv_read(path, file, flags, t, cr->diag);
  free(path);
  if (t->found && t->header_line)
    bp_csv_bind(t, columns, n_columns);
  /* A required table without rows is one problem, already reported; every
   * reference into it would only repeat it. */
  if ((flags & BP_CSV_NEEDS_ROWS) && t->rows_seen == 0)
    t->usable = 0;
}

static id_index index_of_stops(const case_reader *cr) {
  return (id_index){cr->kase->stops, sizeof(bp_stop), cr->kase->n_stops,
                    &cr->stops, 0};
}

static id_index index_of_areas(const case_reader *cr) {
  return (id_index){cr->kase->areas, sizeof(bp_area), cr->kase->n_areas,
                    &cr->areas, 0};
}

/* --- stops.csv ---------------------------------------------------- */

static void read_stops(case_reader *cr) {
  bp_csv_table *t = &cr->stops;
  bp_case *k = cr->kase;
  k->stops = bp_calloc(t->n_rows, sizeof *k->stops);
  cr->stop_rows = bp_calloc(t->n_rows, sizeof *cr->stop_rows);
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    bp_stop s = {0};
    const char *id;
    bp_csv_id(t, row, STOP_ID, &id);
    bp_csv_text(t, row, STOP_NAME, &s.name);
    bp_csv_decimal(t, row, STOP_LAT, (bp_decimal_range){-90, 90, 0}, NAN, &s.lat);
    bp_csv_decimal(t, row, STOP_LON, (bp_decimal_range){-180, 180, 0}, NAN,
                   &s.lon);
    if (!id) {
      free_stop(&s);
      continue;
    }
    s.id = bp_strdup(id);
    s.origin.line = row->line;
    cr->stop_rows[k->n_stops] = row;
    k->stops[k->n_stops++] = s;
  }
  sort_by_id(t, STOP_ID, k->stops, sizeof *k->stops, cr->stop_rows, &k->n_stops,
             free_stop);
}

/* --- links.csv ---------------------------------------------------- */

static int compare_links(const void *a, const void *b) {
  const bp_link *x = a, *y = b;
  if (x->from_stop != y->from_stop)
    return x->from_stop < y->from_stop ? -1 : 1;
  if (x->to_stop != y->to_stop)
    return x->to_stop < y->to_stop ? -1 : 1;
  if (x->minutes != y->minutes)
    return x->minutes < y->minutes ? -1 : 1;
  return (x->origin.line > y->origin.line) - (x->origin.line < y->origin.line);
}

static void read_links(case_reader *cr) {
  bp_csv_table *t = &cr->links;
  bp_case *k = cr->kase;
  id_index stops = index_of_stops(cr);
  k->links = bp_calloc(2 * t->n_rows, sizeof *k->links);
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    int from, to, both_ways;
    double minutes;
    int ok = resolve(t, row, LINK_FROM, &stops, &from);
    ok &= resolve(t, row, LINK_TO, &stops, &to);
    ok &= bp_csv_decimal(t, row, LINK_MINUTES, above_zero, 0, &minutes);
    ok &= bp_csv_flag(t, row, LINK_BOTH_WAYS, 1, &both_ways);
    if (!ok)
      continue;
    if (from == to) {
      bp_csv_warning(t, row->line, bp_csv_column_number(t, LINK_TO),
                     "link from stop '%s' to itself, ignored", k->stops[from].id);
      continue;
    }
    k->links[k->n_links++] = (bp_link){from, to, minutes, {row->line}};
    if (both_ways)
      k->links[k->n_links++] = (bp_link){to, from, minutes, {row->line}};
  }
  if (k->n_links)
    qsort(k->links, k->n_links, sizeof *k->links, compare_links);
}

/* --- schools.csv, daycares.csv ------------------------------------ */

static void read_institutions(case_reader *cr, bp_csv_table *t,
                              bp_institution **out, size_t *n_out,
                              const bp_csv_row ***rows_out) {
  bp_institution *list = bp_calloc(t->n_rows, sizeof *list);
  const bp_csv_row **rows = bp_calloc(t->n_rows, sizeof *rows);
  size_t n = 0;
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    bp_institution s = {0};
    const char *id;
    bp_csv_id(t, row, INST_ID, &id);
    bp_csv_text(t, row, INST_NAME, &s.name);
    bp_csv_int(t, row, INST_FREE, 0, INT_MAX, 0, &s.free_seats);
    int ok = bp_csv_int(t, row, INST_ENROLLED, 0, INT_MAX, 0, &s.enrolled);
    ok &= bp_csv_int(t, row, INST_BILINGUAL, 0, INT_MAX, 0, &s.bilingual);
    bp_csv_decimal(t, row, INST_MAX_SHARE, share_range, NAN,
                   &s.max_bilingual_share);
    if (ok && s.bilingual > s.enrolled)
      bp_csv_error(t, row->line, bp_csv_column_number(t, INST_BILINGUAL),
                   "%s (%d) is more than %s (%d)", t->columns[INST_BILINGUAL].name,
                   s.bilingual, t->columns[INST_ENROLLED].name, s.enrolled);
    if (!id) {
      free_institution(&s);
      continue;
    }
    s.id = bp_strdup(id);
    s.origin.line = row->line;
    rows[n] = row;
    list[n++] = s;
  }
  sort_by_id(t, INST_ID, list, sizeof *list, rows, &n, free_institution);
  id_index stops = index_of_stops(cr);
  for (size_t i = 0; i < n; i++)
    resolve(t, rows[i], INST_STOP, &stops, &list[i].stop);
  *out = list;
  *n_out = n;
  *rows_out = rows;
}

/* --- areas.csv ---------------------------------------------------- */

static void read_areas(case_reader *cr) {
  bp_csv_table *t = &cr->areas;
  bp_case *k = cr->kase;
  k->areas = bp_calloc(t->n_rows, sizeof *k->areas);
  cr->area_rows = bp_calloc(t->n_rows, sizeof *cr->area_rows);
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    bp_area a = {0};
    const char *id;
    bp_csv_id(t, row, AREA_ID, &id);
    bp_csv_text(t, row, AREA_NAME, &a.name);
    int ok = bp_csv_int(t, row, AREA_HOUSEHOLDS, 0, INT_MAX, 0, &a.households);
    ok &= bp_csv_int(t, row, AREA_NEWCOMERS, 0, INT_MAX, 0,
                     &a.newcomer_households);
    if (ok && a.newcomer_households > a.households)
      bp_csv_error(t, row->line, bp_csv_column_number(t, AREA_NEWCOMERS),
                   "newcomer_households (%d) is more than households (%d)",
                   a.newcomer_households, a.households);
    bp_csv_decimal(t, row, AREA_MAX_SHARE, share_range, NAN,
                   &a.max_newcomer_share);
    bp_csv_flag(t, row, AREA_VULNERABLE, 0, &a.vulnerable);
    bp_csv_flag(t, row, AREA_PARTNER, 0, &a.partner);
    if (!id) {
      free_area(&a);
      continue;
    }
    a.id = bp_strdup(id);
    a.origin.line = row->line;
    cr->area_rows[k->n_areas] = row;
    k->areas[k->n_areas++] = a;
  }
  sort_by_id(t, AREA_ID, k->areas, sizeof *k->areas, cr->area_rows, &k->n_areas,
             free_area);
  id_index schools = {k->schools, sizeof(bp_institution), k->n_schools,
                      &cr->schools, 0};
  id_index daycares = {k->daycares, sizeof(bp_institution), k->n_daycares,
                       &cr->daycares, 1};
  for (size_t i = 0; i < k->n_areas; i++) {
    resolve(t, cr->area_rows[i], AREA_SCHOOL, &schools, &k->areas[i].school);
    resolve(t, cr->area_rows[i], AREA_DAYCARE, &daycares, &k->areas[i].daycare);
  }
}

/* --- units.csv ---------------------------------------------------- */

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void bp_case_build_buildings(bp_case *k) {
  char **names = bp_alloc((k->n_units ? k->n_units : 1) * sizeof *names);
  size_t n_names = 0;
  for (size_t i = 0; i < k->n_units; i++)
    if (k->units[i].building)
      names[n_names++] = k->units[i].building;
  qsort(names, n_names, sizeof *names, compare_strings);
  k->buildings = bp_calloc(n_names, sizeof *k->buildings);
  for (size_t i = 0; i < n_names; i++)
    if (k->n_buildings == 0 ||
        strcmp(names[i], k->buildings[k->n_buildings - 1].name) != 0)
      k->buildings[k->n_buildings++].name = bp_strdup(names[i]);
  free(names);
  for (size_t i = 0; i < k->n_units; i++) {
    k->units[i].building_index = -1;
    if (!k->units[i].building)
      continue;
    size_t low = 0, high = k->n_buildings;
    while (low < high) {
      size_t mid = low + (high - low) / 2;
      int c = strcmp(k->buildings[mid].name, k->units[i].building);
      if (c == 0) {
        k->units[i].building_index = (int)mid;
        break;
      }
      if (c < 0)
        low = mid + 1;
      else
        high = mid;
    }
  }
}

static void read_units(case_reader *cr) {
  bp_csv_table *t = &cr->units;
  bp_case *k = cr->kase;
  const char *kinds[BP_UNIT_KIND_COUNT];
  for (int i = 0; i < BP_UNIT_KIND_COUNT; i++)
    kinds[i] = bp_unit_kind_name((bp_unit_kind)i);
  k->units = bp_calloc(t->n_rows, sizeof *k->units);
  cr->unit_rows = bp_calloc(t->n_rows, sizeof *cr->unit_rows);
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    bp_unit u = {0};
    const char *id;
    int kind;
    bp_csv_id(t, row, UNIT_ID, &id);
    bp_csv_decimal(t, row, UNIT_WALK, at_least_zero, 0, &u.walk_minutes);
    bp_csv_int(t, row, UNIT_ROOMS, 1, INT_MAX, 1, &u.rooms);
    bp_csv_decimal(t, row, UNIT_RENT, above_zero, 0, &u.rent);
    int kind_ok = bp_csv_choice(t, row, UNIT_KIND, kinds, BP_UNIT_KIND_COUNT,
                                BP_UNIT_PUBLIC, &kind);
    u.kind = (bp_unit_kind)kind;
    int places_ok = bp_csv_int(t, row, UNIT_PLACES, 1, INT_MAX, 1, &u.places);
    if (kind_ok && places_ok && u.places > 1 && u.kind != BP_UNIT_SHARED)
      bp_csv_error(t, row->line, bp_csv_column_number(t, UNIT_PLACES),
                   "places: %d places, but only a unit of kind 'shared' can have "
                   "more than one (this one is '%s')",
                   u.places, bp_unit_kind_name(u.kind));
    bp_csv_int(t, row, UNIT_MAX_PERSONS, 1, INT_MAX, 0, &u.max_persons);
    bp_csv_flag(t, row, UNIT_STEP_FREE, 0, &u.step_free);
    bp_csv_text(t, row, UNIT_BUILDING, &u.building);
    bp_csv_text(t, row, UNIT_LANDLORD, &u.landlord);
    bp_csv_date(t, row, UNIT_AVAILABLE, &u.available_from);
    if (!id) {
      bp_case_free_unit(&u);
      continue;
    }
    u.id = bp_strdup(id);
    u.origin.line = row->line;
    cr->unit_rows[k->n_units] = row;
    k->units[k->n_units++] = u;
  }
  sort_by_id(t, UNIT_ID, k->units, sizeof *k->units, cr->unit_rows, &k->n_units,
             bp_case_free_unit);
  id_index areas = index_of_areas(cr), stops = index_of_stops(cr);
  for (size_t i = 0; i < k->n_units; i++) {
    resolve(t, cr->unit_rows[i], UNIT_AREA, &areas, &k->units[i].area);
    resolve(t, cr->unit_rows[i], UNIT_STOP, &stops, &k->units[i].stop);
  }

  bp_case_build_buildings(k);
}

/* --- destinations.csv --------------------------------------------- */

static void read_destinations(case_reader *cr) {
  bp_csv_table *t = &cr->destinations;
  bp_case *k = cr->kase;
  k->destinations = bp_calloc(t->n_rows, sizeof *k->destinations);
  cr->destination_rows = bp_calloc(t->n_rows, sizeof *cr->destination_rows);
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    bp_destination d = {0};
    const char *id, *kind;
    bp_csv_id(t, row, DEST_ID, &id);
    bp_csv_id(t, row, DEST_KIND, &kind);
    bp_csv_text(t, row, DEST_NAME, &d.name);
    if (!id || !kind) {
      free_destination(&d);
      continue;
    }
    d.id = bp_strdup(id);
    d.kind = bp_strdup(kind);
    d.origin.line = row->line;
    cr->destination_rows[k->n_destinations] = row;
    k->destinations[k->n_destinations++] = d;
  }
  sort_by_id(t, DEST_ID, k->destinations, sizeof *k->destinations,
             cr->destination_rows, &k->n_destinations, free_destination);
  id_index stops = index_of_stops(cr);
  for (size_t i = 0; i < k->n_destinations; i++)
    resolve(t, cr->destination_rows[i], DEST_STOP, &stops,
            &k->destinations[i].stop);
}

/* --- households.csv ----------------------------------------------- */

typedef struct {
  const char *group_id;
  int household;
} group_member;

static int compare_group_members(const void *a, const void *b) {
  const group_member *x = a, *y = b;
  int c = strcmp(x->group_id, y->group_id);
  if (c)
    return c;
  return (x->household > y->household) - (x->household < y->household);
}

void bp_case_build_groups(bp_case *k) {
  group_member *members =
      bp_alloc((k->n_households ? k->n_households : 1) * sizeof *members);
  size_t n = 0;
  for (size_t h = 0; h < k->n_households; h++) {
    k->households[h].group = -1;
    if (k->households[h].group_id)
      members[n++] = (group_member){k->households[h].group_id, (int)h};
  }
  qsort(members, n, sizeof *members, compare_group_members);
  k->groups = bp_calloc(n, sizeof *k->groups);
  for (size_t i = 0; i < n;) {
    size_t end = i;
    while (end < n && strcmp(members[end].group_id, members[i].group_id) == 0)
      end++;
    bp_group *g = &k->groups[k->n_groups];
    g->id = bp_strdup(members[i].group_id);
    g->n_members = (int)(end - i);
    g->members = bp_alloc((size_t)g->n_members * sizeof *g->members);
    for (size_t m = i; m < end; m++) {
      g->members[m - i] = members[m].household;
      k->households[members[m].household].group = (int)k->n_groups;
    }
    k->n_groups++;
    i = end;
  }
  free(members);
}

static void read_households(case_reader *cr) {
  bp_csv_table *t = &cr->households;
  bp_case *k = cr->kase;
  k->households = bp_calloc(t->n_rows, sizeof *k->households);
  cr->household_rows = bp_calloc(t->n_rows, sizeof *cr->household_rows);
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    bp_household h = {0};
    const char *id;
    bp_csv_id(t, row, HH_ID, &id);
    int ok = bp_csv_int(t, row, HH_ADULTS, 0, INT_MAX, 0, &h.adults);
    ok &= bp_csv_int(t, row, HH_CHILDREN_0_5, 0, INT_MAX, 0, &h.children_0_5);
    ok &= bp_csv_int(t, row, HH_CHILDREN_6_16, 0, INT_MAX, 0, &h.children_6_16);
    if (ok && h.adults + h.children_0_5 + h.children_6_16 == 0)
      bp_csv_error(t, row->line, bp_csv_column_number(t, HH_ADULTS),
                   "a household needs at least one person (adults, children_0_5 "
                   "and children_6_16 are all 0)");
    bp_csv_decimal(t, row, HH_MAX_RENT, above_zero, 0, &h.max_rent);
    bp_csv_flag(t, row, HH_STEP_FREE, 0, &h.step_free);
    bp_csv_flag(t, row, HH_NEEDS_HEALTH, 0, &h.needs_health);
    bp_csv_text(t, row, HH_LANGUAGE, &h.language);
    const char *group_id;
    if (bp_csv_id(t, row, HH_GROUP, &group_id) && group_id)
      h.group_id = bp_strdup(group_id);
    bp_csv_int(t, row, HH_WAITING_DAYS, 0, INT_MAX, 0, &h.waiting_days);
    if (!id) {
      bp_case_free_household(&h);
      continue;
    }
    h.id = bp_strdup(id);
    h.origin.line = row->line;
    cr->household_rows[k->n_households] = row;
    k->households[k->n_households++] = h;
  }
  sort_by_id(t, HH_ID, k->households, sizeof *k->households, cr->household_rows,
             &k->n_households, bp_case_free_household);
  id_index stops = index_of_stops(cr), areas = index_of_areas(cr);
  for (size_t i = 0; i < k->n_households; i++) {
    const bp_csv_row *row = cr->household_rows[i];
    resolve(t, row, HH_JOB_STOP, &stops, &k->households[i].job_stop);
    resolve(t, row, HH_PREFERRED_AREA, &areas, &k->households[i].preferred_area);
    resolve(t, row, HH_TIES_AREA, &areas, &k->households[i].ties_area);
  }
  bp_case_build_groups(k);
}

/* --- locks.csv ---------------------------------------------------- */

typedef struct {
  bp_lock lock;
  int keep;
} staged_lock;

static int compare_line(int a, int b) { return (a > b) - (a < b); }

static int by_pair_then_line(const void *a, const void *b) {
  const bp_lock *x = &((const staged_lock *)a)->lock;
  const bp_lock *y = &((const staged_lock *)b)->lock;
  if (x->household != y->household)
    return x->household < y->household ? -1 : 1;
  if (x->unit != y->unit)
    return x->unit < y->unit ? -1 : 1;
  return compare_line(x->origin.line, y->origin.line);
}

static int by_household_then_line(const void *a, const void *b) {
  const bp_lock *x = &((const staged_lock *)a)->lock;
  const bp_lock *y = &((const staged_lock *)b)->lock;
  if (x->household != y->household)
    return x->household < y->household ? -1 : 1;
  return compare_line(x->origin.line, y->origin.line);
}

static int by_unit_then_line(const void *a, const void *b) {
  const bp_lock *x = &((const staged_lock *)a)->lock;
  const bp_lock *y = &((const staged_lock *)b)->lock;
  if (x->unit != y->unit)
    return x->unit < y->unit ? -1 : 1;
  return compare_line(x->origin.line, y->origin.line);
}

int bp_case_compare_locks(const void *a, const void *b) {
  const bp_lock *x = a, *y = b;
  if (x->household != y->household)
    return x->household < y->household ? -1 : 1;
  if (x->unit != y->unit)
    return x->unit < y->unit ? -1 : 1;
  if (x->action != y->action)
    return x->action < y->action ? -1 : 1;
  return compare_line(x->origin.line, y->origin.line);
}

static int by_pair_then_action(const void *a, const void *b) {
  return bp_case_compare_locks(&((const staged_lock *)a)->lock,
                               &((const staged_lock *)b)->lock);
}

/* The coordinator's locks must agree with each other: one unit per
 * household, never 'place' and 'forbid' on one pair, and no more 'place'
 * locks on a unit than it has places.  Whether a locked pair is eligible is
 * for the derive stage to say. */
static void check_locks(case_reader *cr, staged_lock *locks, size_t n) {
  bp_csv_table *t = &cr->locks;
  bp_case *k = cr->kase;
  static const char *const action_names[] = {"place", "forbid"};
  int household_column = bp_csv_column_number(t, LOCK_HOUSEHOLD);
  int unit_column = bp_csv_column_number(t, LOCK_UNIT);
  int action_column = bp_csv_column_number(t, LOCK_ACTION);

  /* The same pair twice: a repeat is harmless, place + forbid is not. */
  qsort(locks, n, sizeof *locks, by_pair_then_line);
  for (size_t i = 1; i < n; i++) {
    const bp_lock *first = NULL, *lock = &locks[i].lock;
    for (size_t j = i; j-- > 0;) {
      if (locks[j].lock.household != lock->household ||
          locks[j].lock.unit != lock->unit)
        break;
      first = &locks[j].lock;
    }
    if (!first)
      continue;
    locks[i].keep = 0;
    if (first->action == lock->action)
      bp_csv_warning(t, lock->origin.line, action_column,
                     "the same lock as on line %d, ignored", first->origin.line);
    else
      bp_csv_error(t, lock->origin.line, action_column,
                   "this '%s' lock contradicts the lock on line %d, which %s "
                   "household '%s' %s unit '%s'",
                   action_names[lock->action], first->origin.line,
                   first->action == BP_LOCK_PLACE ? "places" : "forbids",
                   k->households[lock->household].id,
                   first->action == BP_LOCK_PLACE ? "in" : "from",
                   k->units[lock->unit].id);
  }

  /* One unit per household. */
  qsort(locks, n, sizeof *locks, by_household_then_line);
  const bp_lock *first_place = NULL;
  for (size_t i = 0; i < n; i++) {
    const bp_lock *lock = &locks[i].lock;
    if (i == 0 || locks[i - 1].lock.household != lock->household)
      first_place = NULL;
    if (!locks[i].keep || lock->action != BP_LOCK_PLACE)
      continue;
    if (!first_place) {
      first_place = lock;
      continue;
    }
    locks[i].keep = 0;
    bp_csv_error(t, lock->origin.line, household_column,
                 "this lock places household '%s' in unit '%s', which "
                 "contradicts the lock on line %d (unit '%s'); a household "
                 "gets one unit",
                 k->households[lock->household].id, k->units[lock->unit].id,
                 first_place->origin.line, k->units[first_place->unit].id);
  }

  /* No more households locked into a unit than it has places. */
  qsort(locks, n, sizeof *locks, by_unit_then_line);
  int placed = 0, first_line = 0;
  for (size_t i = 0; i < n; i++) {
    const bp_lock *lock = &locks[i].lock;
    if (i == 0 || locks[i - 1].lock.unit != lock->unit)
      placed = 0;
    if (!locks[i].keep || lock->action != BP_LOCK_PLACE)
      continue;
    if (placed++ == 0)
      first_line = lock->origin.line;
    const bp_unit *unit = &k->units[lock->unit];
    if (placed > unit->places) {
      locks[i].keep = 0;
      bp_csv_error(t, lock->origin.line, unit_column,
                   "unit '%s' has %d place%s, but this is 'place' lock number %d "
                   "on it (the first is on line %d)",
                   unit->id, unit->places, unit->places == 1 ? "" : "s", placed,
                   first_line);
    }
  }
}

static void read_locks(case_reader *cr) {
  bp_csv_table *t = &cr->locks;
  bp_case *k = cr->kase;
  static const char *const actions[] = {"place", "forbid"};
  id_index households = {k->households, sizeof(bp_household), k->n_households,
                         &cr->households, 0};
  id_index units = {k->units, sizeof(bp_unit), k->n_units, &cr->units, 0};
  staged_lock *locks = bp_calloc(t->n_rows, sizeof *locks);
  size_t n = 0;
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    int household, unit, action;
    int ok = resolve(t, row, LOCK_HOUSEHOLD, &households, &household);
    ok &= resolve(t, row, LOCK_UNIT, &units, &unit);
    ok &= bp_csv_choice(t, row, LOCK_ACTION, actions, 2, 0, &action);
    if (ok)
      locks[n++] = (staged_lock){
          {household, unit, (bp_lock_action)action, {row->line}}, 1};
  }
  check_locks(cr, locks, n);
  qsort(locks, n, sizeof *locks, by_pair_then_action);
  k->locks = bp_calloc(n, sizeof *k->locks);
  for (size_t i = 0; i < n; i++)
    if (locks[i].keep)
      k->locks[k->n_locks++] = locks[i].lock;
  free(locks);
}

/* --- scores.csv --------------------------------------------------- */

int bp_case_compare_scores(const void *a, const void *b) {
  const bp_score *x = a, *y = b;
  if (x->household != y->household)
    return x->household < y->household ? -1 : 1;
  if (x->area != y->area)
    return x->area < y->area ? -1 : 1;
  return compare_line(x->origin.line, y->origin.line);
}

static void read_scores(case_reader *cr) {
  bp_csv_table *t = &cr->scores;
  bp_case *k = cr->kase;
  id_index households = {k->households, sizeof(bp_household), k->n_households,
                         &cr->households, 0};
  id_index areas = index_of_areas(cr);
  bp_score *scores = bp_calloc(t->n_rows, sizeof *scores);
  size_t n = 0;
  for (size_t i = 0; i < t->n_rows && t->usable; i++) {
    const bp_csv_row *row = &t->rows[i];
    int household, area;
    double score;
    int ok = resolve(t, row, SCORE_HOUSEHOLD, &households, &household);
    ok &= resolve(t, row, SCORE_AREA, &areas, &area);
    ok &= bp_csv_decimal(t, row, SCORE_VALUE, any_number, 0, &score);
    if (ok)
      scores[n++] = (bp_score){household, area, score, {row->line}};
  }
  qsort(scores, n, sizeof *scores, bp_case_compare_scores);
  k->scores = bp_calloc(n, sizeof *k->scores);
  for (size_t i = 0; i < n; i++) {
    const bp_score *s = &scores[i];
    if (k->n_scores > 0 && k->scores[k->n_scores - 1].household == s->household &&
        k->scores[k->n_scores - 1].area == s->area) {
      bp_csv_error(t, s->origin.line, bp_csv_column_number(t, SCORE_HOUSEHOLD),
                   "duplicate score for household '%s' in area '%s' (first on "
                   "line %d)",
                   k->households[s->household].id, k->areas[s->area].id,
                   k->scores[k->n_scores - 1].origin.line);
      continue;
    }
    k->scores[k->n_scores++] = *s;
  }
  free(scores);
}

/* --- policy.json and the run record's list of inputs -------------- */

static void add_input(bp_case *k, const char *name, const char *sha256) {
  k->inputs = bp_realloc(k->inputs, (k->n_inputs + 1) * sizeof *k->inputs);
  bp_input_file *input = &k->inputs[k->n_inputs++];
  input->name = bp_strdup(name);
  memcpy(input->sha256, sha256, 65);
}

static int compare_inputs(const void *a, const void *b) {
  return strcmp(((const bp_input_file *)a)->name, ((const bp_input_file *)b)->name);
}

static void read_case_policy(case_reader *cr, const char *policy_override) {
  bp_case *k = cr->kase;
  bp_policy_defaults(&k->policy);
  char *path;
  const char *name;
  if (policy_override) {
    path = bp_strdup(policy_override);
    name = policy_override;
  } else {
    path = bp_format("%s/policy.json", cr->dir);
    name = "policy.json";
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) {
      free(path);
      return; /* no policy file: the defaults apply */
    }
  }
  char *text;
  size_t length;
  if (bp_read_file(path, name, BP_POLICY_MAX_FILE, &text, &length, cr->diag) ==
      BP_OK) {
    char sha256[65];
    bp_sha256_hex((const unsigned char *)text, length, sha256);
    add_input(k, name, sha256);
    k->policy_source = bp_strdup(name);
    bp_read_policy_text(text, length, name, &k->policy, cr->diag);
    free(text);
  }
  free(path);
}

/* ------------------------------------------------------------------ */
/* The stage                                                           */
/* ------------------------------------------------------------------ */

bp_status bp_read_case(const char *dir, const char *policy_override,
                       bp_case *kase, bp_diagnostics *diag) {
  memset(kase, 0, sizeof *kase);
  kase->dir = bp_strdup(dir);
  bp_policy_defaults(&kase->policy);
  size_t errors_before = diag->errors;

  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    bp_error(diag, NULL, 0, 0, "case directory '%s' %s", dir,
             stat(dir, &st) != 0 ? "does not exist" : "is not a directory");
    return BP_INVALID;
  }

  case_reader cr = {0};
  cr.dir = dir;
  cr.kase = kase;
  cr.diag = diag;
  const unsigned table = BP_CSV_REQUIRED | BP_CSV_NEEDS_ROWS;
  read_table(&cr, &cr.stops, "stops.csv", table, stop_columns, COUNT(stop_columns));
  read_table(&cr, &cr.links, "links.csv", table, link_columns, COUNT(link_columns));
  read_table(&cr, &cr.schools, "schools.csv", table, school_columns,
             COUNT(school_columns));
  read_table(&cr, &cr.daycares, "daycares.csv", 0, daycare_columns,
             COUNT(daycare_columns));
  read_table(&cr, &cr.areas, "areas.csv", table, area_columns, COUNT(area_columns));
  read_table(&cr, &cr.units, "units.csv", table, unit_columns, COUNT(unit_columns));
  read_table(&cr, &cr.destinations, "destinations.csv", table,
             destination_columns, COUNT(destination_columns));
  read_table(&cr, &cr.households, "households.csv", table, household_columns,
             COUNT(household_columns));
  read_table(&cr, &cr.locks, "locks.csv", 0, lock_columns, COUNT(lock_columns));
  read_table(&cr, &cr.scores, "scores.csv", 0, score_columns, COUNT(score_columns));

  /* In dependency order: what is referred to is sorted first. */
  read_stops(&cr);
  read_links(&cr);
  read_institutions(&cr, &cr.schools, &kase->schools, &kase->n_schools,
                    &cr.school_rows);
  read_institutions(&cr, &cr.daycares, &kase->daycares, &kase->n_daycares,
                    &cr.daycare_rows);
  read_areas(&cr);
  read_units(&cr);
  read_destinations(&cr);
  read_households(&cr);
  read_locks(&cr);
  read_scores(&cr);
  read_case_policy(&cr, policy_override);

  bp_csv_table *tables[] = {&cr.stops, &cr.links, &cr.schools, &cr.daycares,
                            &cr.areas, &cr.units, &cr.destinations,
                            &cr.households, &cr.locks, &cr.scores};
  for (size_t i = 0; i < COUNT(tables); i++) {
    if (tables[i]->found)
      add_input(kase, tables[i]->file, tables[i]->sha256);
    bp_csv_summarize(tables[i]);
  }
  if (kase->n_inputs > 1)
    qsort(kase->inputs, kase->n_inputs, sizeof *kase->inputs, compare_inputs);

  for (size_t i = 0; i < COUNT(tables); i++)
    bp_csv_table_free(tables[i]);
  free(cr.stop_rows);
  free(cr.school_rows);
  free(cr.daycare_rows);
  free(cr.area_rows);
  free(cr.unit_rows);
  free(cr.destination_rows);
  free(cr.household_rows);
  return diag->errors > errors_before ? BP_INVALID : BP_OK;
}
