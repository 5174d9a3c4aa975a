/**
 * @file scenario.c
 * @brief What-if scenarios (data/SCENARIOS.md): read a scenario file and
 *        apply it to a case in memory before derive; and bp_case_edit, the
 *        one way to add or remove households and units after reading.
 *
 * The read stage leaves a case sorted by id with every reference resolved
 * to an index (boplace.h).  Adding or removing a household or a unit breaks
 * that: locks, scores and groups point at households by index, locks at
 * units, buildings are derived from the units.  bp_case_edit restores all
 * of it in one place, so that the scenario (here) and the history ledger
 * (ledger.c) cannot get it subtly different.
 *
 * A scenario file is JSON.  cJSON keeps no positions, so after it parsed
 * the text is walked once more in step with the tree (index_positions) and
 * every item's offset is kept; messages then point at the key or array
 * element they are about.  Syntax errors are reported by the policy
 * reader, which already knows how to find an unclosed string or bracket,
 * and the "policy" object of a scenario is handed to that same reader, so
 * that its keys, ranges and messages are exactly those of policy.json.
 */
#include "scenario.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "case_index.h"
#include "file_path.h"
#include "json_text.h"
#include "read_csv.h"

/* ------------------------------------------------------------------ */
/* Editing a case                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
  const char *id;
  size_t source; /* < n_old: an old record; else n_old + index of an added one */
} keyed_record;

static int compare_keyed(const void *a, const void *b) {
  const keyed_record *x = a, *y = b;
  int c = strcmp(x->id, y->id);
  if (c)
    return c;
  return (x->source > y->source) - (x->source < y->source);
}

/* Builds the new table of one kind: the kept old records and the added
 * ones, sorted by id.  new_of_old[i] is the new index of old record i, -1
 * when it was dropped.  Records are moved, not copied; dropped ones are
 * freed by the caller's free_record. */
static void *rebuild_table(void *old, size_t n_old, size_t size,
                           const unsigned char *drop, void *added,
                           size_t n_added, const char *(*id_of)(const void *),
                           void (*free_record)(void *), size_t *n_new,
                           int *new_of_old) {
  keyed_record *keys = bp_alloc((n_old + n_added + 1) * sizeof *keys);
  size_t n = 0;
  for (size_t i = 0; i < n_old; i++) {
    new_of_old[i] = -1;
    void *record = (char *)old + i * size;
    if (drop && drop[i]) {
      free_record(record);
      continue;
    }
    keys[n++] = (keyed_record){id_of(record), i};
  }
  for (size_t i = 0; i < n_added; i++)
    keys[n++] = (keyed_record){id_of((char *)added + i * size), n_old + i};
  qsort(keys, n, sizeof *keys, compare_keyed);
  char *table = bp_alloc((n + 1) * size);
  for (size_t i = 0; i < n; i++) {
    if (i > 0 && strcmp(keys[i - 1].id, keys[i].id) == 0) {
      /* The caller promised unique ids; keeping both would break every
       * binary search on the table. */
      fprintf(stderr, "boplace: internal error: duplicate id '%s' in a case edit\n",
              keys[i].id);
      abort();
    }
    const void *from = keys[i].source < n_old
                           ? (char *)old + keys[i].source * size
                           : (char *)added + (keys[i].source - n_old) * size;
    memcpy(table + i * size, from, size);
    if (keys[i].source < n_old)
      new_of_old[keys[i].source] = (int)i;
  }
  free(keys);
  *n_new = n;
  return table;
}

static const char *household_id_of(const void *record) {
  return ((const bp_household *)record)->id;
}
static const char *unit_id_of(const void *record) {
  return ((const bp_unit *)record)->id;
}

/* The read stage builds groups and buildings into an empty case; an edit
 * drops the old ones first and has them built again the same way. */
static void rebuild_groups_and_buildings(bp_case *k) {
  for (size_t i = 0; i < k->n_groups; i++) {
    free(k->groups[i].id);
    free(k->groups[i].members);
  }
  free(k->groups);
  k->groups = NULL;
  k->n_groups = 0;
  for (size_t i = 0; i < k->n_buildings; i++)
    free(k->buildings[i].name);
  free(k->buildings);
  k->buildings = NULL;
  k->n_buildings = 0;
  bp_case_build_groups(k);
  bp_case_build_buildings(k);
}

void bp_case_edit(bp_case *k, const bp_case_changes *c) {
  size_t n_old_h = k->n_households, n_old_u = k->n_units;
  int *h_new = bp_alloc((n_old_h + 1) * sizeof *h_new);
  int *u_new = bp_alloc((n_old_u + 1) * sizeof *u_new);

  size_t n;
  bp_household *households = rebuild_table(
      k->households, n_old_h, sizeof *k->households, c->drop_households,
      c->add_households, c->n_add_households, household_id_of,
      bp_case_free_household, &n, h_new);
  free(k->households);
  k->households = households;
  k->n_households = n;

  bp_unit *units = rebuild_table(k->units, n_old_u, sizeof *k->units,
                                 c->drop_units, c->add_units, c->n_add_units,
                                 unit_id_of, bp_case_free_unit, &n, u_new);
  free(k->units);
  k->units = units;
  k->n_units = n;

  size_t kept = 0;
  for (size_t i = 0; i < k->n_locks; i++) {
    bp_lock lock = k->locks[i];
    lock.household = h_new[lock.household];
    lock.unit = u_new[lock.unit];
    if (lock.household >= 0 && lock.unit >= 0)
      k->locks[kept++] = lock;
  }
  k->n_locks = kept;
  if (kept > 1)
    qsort(k->locks, kept, sizeof *k->locks, bp_case_compare_locks);

  kept = 0;
  for (size_t i = 0; i < k->n_scores; i++) {
    bp_score score = k->scores[i];
    score.household = h_new[score.household];
    if (score.household >= 0)
      k->scores[kept++] = score;
  }
  k->n_scores = kept;
  if (kept > 1)
    qsort(k->scores, kept, sizeof *k->scores, bp_case_compare_scores);

  rebuild_groups_and_buildings(k);
  free(h_new);
  free(u_new);
}

int bp_case_find_household(const bp_case *k, const char *id) {
  return bp_case_index_of_id(k->households, sizeof *k->households,
                             k->n_households, id);
}
int bp_case_find_unit(const bp_case *k, const char *id) {
  return bp_case_index_of_id(k->units, sizeof *k->units, k->n_units, id);
}
int bp_case_find_area(const bp_case *k, const char *id) {
  return bp_case_index_of_id(k->areas, sizeof *k->areas, k->n_areas, id);
}

void bp_case_add_input(bp_case *k, const char *name, const char *sha256) {
  size_t at = 0;
  while (at < k->n_inputs && strcmp(k->inputs[at].name, name) < 0)
    at++;
  if (at < k->n_inputs && strcmp(k->inputs[at].name, name) == 0) {
    memcpy(k->inputs[at].sha256, sha256, 65);
    return;
  }
  k->inputs = bp_realloc(k->inputs, (k->n_inputs + 1) * sizeof *k->inputs);
  memmove(&k->inputs[at + 1], &k->inputs[at],
          (k->n_inputs - at) * sizeof *k->inputs);
  k->inputs[at].name = bp_strdup(name);
  memcpy(k->inputs[at].sha256, sha256, 65);
  k->n_inputs++;
}

/* ------------------------------------------------------------------ */
/* Positions of the JSON items                                         */
/* ------------------------------------------------------------------ */

typedef struct {
  const cJSON *item;
  size_t key;   /* offset of the member's key, or of the element itself */
  size_t value; /* offset of the value */
  size_t end;   /* offset just after the value */
} json_position;

struct bp_scenario {
  char *path;        /* as given */
  char *dir;         /* the directory of path, for policy_file */
  char *name;
  char *description;
  char *data;        /* the file's bytes */
  const char *json;  /* the JSON text: data after a byte order mark */
  size_t length;     /* of json */
  cJSON *root;
  json_position *positions;
  size_t n_positions;
};

static void add_position(bp_scenario *sc, size_t *capacity, json_position p) {
  if (sc->n_positions == *capacity) {
    *capacity = *capacity ? 2 * *capacity : 64;
    sc->positions = bp_realloc(sc->positions, *capacity * sizeof *sc->positions);
  }
  sc->positions[sc->n_positions++] = p;
}

/* Walks the value at offset i in step with item (the text is valid JSON:
 * cJSON parsed it, and it keeps members and elements in text order).
 * Returns the offset after the value. */
static size_t walk(bp_scenario *sc, size_t *capacity, size_t i,
                   const cJSON *item, size_t key) {
  const char *s = sc->json;
  size_t n = sc->length;
  i = bp_json_skip_space(s, n, i);
  size_t start = i;
  if (i < n && (s[i] == '{' || s[i] == '[')) {
    int object = s[i] == '{';
    char close = object ? '}' : ']';
    const cJSON *child = item ? item->child : NULL;
    i = bp_json_skip_space(s, n, i + 1);
    if (i < n && s[i] == close) {
      i++;
    } else {
      while (i < n) {
        size_t child_key = i;
        if (object) {
          i = bp_json_skip_space(s, n, bp_json_skip_string(s, n, i));
          i = bp_json_skip_space(s, n, i + 1); /* ':' */
        }
        i = walk(sc, capacity, i, child, child_key);
        child = child ? child->next : NULL;
        i = bp_json_skip_space(s, n, i);
        if (i < n && s[i] == ',') {
          i = bp_json_skip_space(s, n, i + 1);
          continue;
        }
        i++; /* the closing bracket */
        break;
      }
    }
  } else if (i < n && s[i] == '"') {
    i = bp_json_skip_string(s, n, i);
  } else {
    while (i < n && !strchr(",]} \t\r\n", s[i]))
      i++;
  }
  if (item)
    add_position(sc, capacity, (json_position){item, key, start, i});
  return i;
}

static int compare_positions(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const json_position *)a)->item;
  uintptr_t y = (uintptr_t)((const json_position *)b)->item;
  return (x > y) - (x < y);
}

static void index_positions(bp_scenario *sc) {
  size_t capacity = 0;
  walk(sc, &capacity, 0, sc->root, 0);
  qsort(sc->positions, sc->n_positions, sizeof *sc->positions,
        compare_positions);
}

static const json_position *position_of_item(const bp_scenario *sc,
                                             const cJSON *item) {
  json_position key = {item, 0, 0, 0};
  return bsearch(&key, sc->positions, sc->n_positions, sizeof key,
                 compare_positions);
}

static void report(const bp_scenario *sc, bp_diagnostics *diag,
                   const cJSON *item, bp_severity severity, const char *format,
                   ...) __attribute__((format(printf, 5, 6)));

static void report(const bp_scenario *sc, bp_diagnostics *diag,
                   const cJSON *item, bp_severity severity, const char *format,
                   ...) {
  int line = 0, column = 0;
  const json_position *p = item ? position_of_item(sc, item) : NULL;
  if (p)
    bp_json_line_column(sc->json, p->key, &line, &column);
  char message[1024];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  if (severity == BP_SEVERITY_ERROR)
    bp_error(diag, sc->path, line, column, "%s", message);
  else
    bp_warning(diag, sc->path, line, column, "%s", message);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

typedef struct {
  const bp_scenario *sc;
  bp_case *kase;
  bp_diagnostics *diag;
} applier;

#define ERROR_AT(item, ...) report(a->sc, a->diag, item, BP_SEVERITY_ERROR, __VA_ARGS__)
#define WARN_AT(item, ...) report(a->sc, a->diag, item, BP_SEVERITY_WARNING, __VA_ARGS__)

static void expected(const applier *a, const cJSON *item, const char *where,
                     const char *what) {
  char found[64];
  bp_json_describe(item, found, sizeof found);
  if (item->string)
    ERROR_AT(item, "%s.%s: expected %s, found %s", where, item->string, what,
             found);
  else
    ERROR_AT(item, "%s: expected %s, found %s", where, what, found);
}

/* Members of an object: unknown keys are warned about, a key given twice
 * is an error (cJSON would silently use the first). */
static void check_members(const applier *a, const cJSON *object,
                          const char *where, const char *const *known) {
  for (const cJSON *item = object->child; item; item = item->next) {
    for (const cJSON *before = object->child; before != item;
         before = before->next)
      if (strcmp(before->string, item->string) == 0) {
        int line, column;
        const json_position *p = position_of_item(a->sc, before);
        bp_json_line_column(a->sc->json, p ? p->key : 0, &line, &column);
        ERROR_AT(item, "%s: duplicate key '%s' (first on line %d)", where,
                 item->string, line);
        break;
      }
    int found = 0;
    for (size_t k = 0; known[k] && !found; k++)
      found = strcmp(known[k], item->string) == 0;
    if (!found)
      WARN_AT(item, "%s: unknown key '%s', ignored", where, item->string);
  }
}

/* The getters: 1 when the key is present and its value good (stored),
 * 0 when absent, -1 after an error. */

static int get_whole(const applier *a, const cJSON *object, const char *where,
                     const char *key, int min, int max, int *out) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
  if (!item)
    return 0;
  double v = item->valuedouble;
  if (!cJSON_IsNumber(item) || !isfinite(v) || v != floor(v) || v < min ||
      v > max) {
    char what[64];
    snprintf(what, sizeof what, "a whole number from %d to %d", min, max);
    expected(a, item, where, what);
    return -1;
  }
  *out = (int)v;
  return 1;
}

/* A number in [min, max] (min itself excluded when exclusive); with
 * null_ok, null stores NAN ("back to the default"). */
static int get_number(const applier *a, const cJSON *object, const char *where,
                      const char *key, double min, int exclusive, double max,
                      int null_ok, double *out) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
  if (!item)
    return 0;
  if (null_ok && cJSON_IsNull(item)) {
    *out = NAN;
    return 1;
  }
  double v = item->valuedouble;
  int below = exclusive ? v <= min : v < min;
  if (!cJSON_IsNumber(item) || !isfinite(v) || below || v > max) {
    char what[96];
    if (isfinite(max))
      snprintf(what, sizeof what, "a number from %g to %g%s", min, max,
               null_ok ? " or null" : "");
    else
      snprintf(what, sizeof what, "a number %s %g", exclusive ? ">" : ">=",
               min);
    expected(a, item, where, what);
    return -1;
  }
  *out = v;
  return 1;
}

static int get_flag(const applier *a, const cJSON *object, const char *where,
                    const char *key, int *out) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
  if (!item)
    return 0;
  if (cJSON_IsBool(item)) {
    *out = cJSON_IsTrue(item);
    return 1;
  }
  if (cJSON_IsNumber(item) &&
      (item->valuedouble == 0 || item->valuedouble == 1)) {
    *out = item->valuedouble == 1;
    return 1;
  }
  expected(a, item, where, "true or false (or 1/0)");
  return -1;
}

/* Text: a string; an identifier must be non-empty and free of control
 * characters.  With null_ok, null stores NULL ("none"). */
static int get_text(const applier *a, const cJSON *object, const char *where,
                    const char *key, int identifier, int null_ok,
                    const char **out) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
  if (!item)
    return 0;
  if (null_ok && cJSON_IsNull(item)) {
    *out = NULL;
    return 1;
  }
  int ok = cJSON_IsString(item);
  if (ok && identifier) {
    ok = item->valuestring[0] != '\0';
    for (const char *p = item->valuestring; ok && *p; p++)
      ok = (unsigned char)*p >= 0x20 && *p != 0x7F;
  }
  if (!ok) {
    expected(a, item, where,
             identifier ? (null_ok ? "an id (a non-empty string) or null"
                                   : "an id (a non-empty string)")
                        : (null_ok ? "a string or null" : "a string"));
    return -1;
  }
  *out = item->valuestring;
  return 1;
}

/* Replaces *field with a copy of text (NULL stays NULL). */
static void set_text(char **field, const char *text) {
  free(*field);
  *field = text ? bp_strdup(text) : NULL;
}

static int find_institution(const bp_institution *list, size_t n,
                            const char *id) {
  return bp_case_index_of_id(list, sizeof *list, n, id);
}

static int find_stop(const bp_case *k, const char *id) {
  return bp_case_index_of_id(k->stops, sizeof *k->stops, k->n_stops, id);
}

/* What to add to "not in units.csv" (or households.csv) when the case has
 * a history ledger, which may have left the record out. */
static const char *ledger_note(const bp_case *k, const char *file) {
  int households = strcmp(file, "households.csv") == 0;
  if (!households && strcmp(file, "units.csv") != 0)
    return "";
  for (size_t i = 0; i < k->n_inputs; i++)
    if (strcmp(k->inputs[i].name, "history.csv") == 0)
      return households ? ", or already housed according to history.csv"
                        : ", or already taken according to history.csv";
  return "";
}

/* An id that must name a record of the case: its index, -1 (none) for
 * null where allowed; -2 after an error. */
static int get_reference(const applier *a, const cJSON *object,
                         const char *where, const char *key, int null_ok,
                         int (*find)(const bp_case *, const char *),
                         const char *file, int *present) {
  const char *id = NULL;
  int got = get_text(a, object, where, key, 1, null_ok, &id);
  *present = got != 0;
  if (got <= 0)
    return got < 0 ? -2 : -1;
  if (!id)
    return -1;
  int index = find(a->kase, id);
  if (index < 0) {
    ERROR_AT(cJSON_GetObjectItemCaseSensitive(object, key),
             "%s.%s: unknown id '%s' (not in %s%s)", where, key, id, file,
             ledger_note(a->kase, file));
    return -2;
  }
  return index;
}

static int require(const applier *a, const cJSON *object, const char *where,
                   const char *key) {
  if (cJSON_GetObjectItemCaseSensitive(object, key))
    return 1;
  ERROR_AT(object, "%s: '%s' is required (or copy it from a record with "
                   "\"like\")", where, key);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

static const char *const top_keys[] = {
    "name",       "description",    "policy_file",        "policy",
    "areas",      "schools",        "daycares",           "withdraw_units",
    "add_units",  "withdraw_households", "add_households", NULL};

static char *default_name(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t length = strlen(base);
  if (length > 5 && strcmp(base + length - 5, ".json") == 0)
    length -= 5;
  return bp_strndup(base, length);
}

/* The types of the top-level keys; what they hold is checked when the
 * scenario is applied, against the case. */
static void check_top(const applier *a) {
  const cJSON *root = a->sc->root;
  check_members(a, root, "scenario", top_keys);
  for (const cJSON *item = root->child; item; item = item->next) {
    const char *k = item->string;
    if (!strcmp(k, "name") || !strcmp(k, "description") ||
        !strcmp(k, "policy_file")) {
      if (!cJSON_IsString(item) || !item->valuestring[0])
        expected(a, item, "scenario", "a non-empty string");
    } else if (!strcmp(k, "policy")) {
      if (!cJSON_IsObject(item))
        expected(a, item, "scenario", "an object of policy.json keys");
    } else if (!strcmp(k, "withdraw_units") ||
               !strcmp(k, "withdraw_households")) {
      if (!cJSON_IsArray(item))
        expected(a, item, "scenario", "an array of ids");
    } else if (!strcmp(k, "areas") || !strcmp(k, "schools") ||
               !strcmp(k, "daycares") || !strcmp(k, "add_units") ||
               !strcmp(k, "add_households")) {
      if (!cJSON_IsArray(item))
        expected(a, item, "scenario", "an array of objects");
    }
  }
}

bp_status bp_scenario_read(const char *path, bp_scenario **out,
                           bp_diagnostics *diag) {
  *out = NULL;
  size_t errors_before = diag->errors;
  char *data;
  size_t length;
  BP_CALL(bp_read_file(path, path, BP_POLICY_MAX_FILE, &data, &length, diag));
  bp_scenario *sc = bp_calloc(1, sizeof *sc);
  sc->path = bp_strdup(path);
  sc->dir = bp_directory_of(path);
  sc->data = data;
  sc->json = data;
  sc->length = length;
  if (length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
    sc->json += 3;
    sc->length -= 3;
  }

  size_t bad;
  const char *end = NULL;
  size_t first = bp_json_skip_space(sc->json, sc->length, 0);
  if (bp_utf8_valid(sc->json, sc->length, &bad) && first < sc->length)
    sc->root = cJSON_ParseWithLengthOpts(sc->json, sc->length, &end, 0);
  size_t rest = sc->root ? bp_json_skip_space(sc->json, sc->length,
                                      (size_t)(end - sc->json))
                         : 0;
  if (!sc->root || rest < sc->length) {
    /* Not UTF-8, empty, or not JSON: the policy reader finds where and
     * says what, with the same messages as for policy.json. */
    bp_policy ignored;
    bp_policy_defaults(&ignored);
    size_t errors = diag->errors;
    bp_read_policy_text(data, length, path, &ignored, diag);
    if (diag->errors == errors)
      bp_error(diag, path, 0, 0, "not a valid scenario file (JSON)");
    bp_scenario_free(sc);
    return BP_INVALID;
  }
  if (!cJSON_IsObject(sc->root)) {
    int line, column;
    bp_json_line_column(sc->json, first, &line, &column);
    bp_error(diag, path, line, column,
             "a scenario must be a JSON object ({ \"key\": value, ... })");
    bp_scenario_free(sc);
    return BP_INVALID;
  }
  index_positions(sc);
  applier a = {sc, NULL, diag};
  check_top(&a);
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(sc->root, "name");
  sc->name = cJSON_IsString(name) && name->valuestring[0]
                 ? bp_strdup(name->valuestring)
                 : default_name(path);
  const cJSON *text = cJSON_GetObjectItemCaseSensitive(sc->root, "description");
  if (cJSON_IsString(text) && text->valuestring[0])
    sc->description = bp_strdup(text->valuestring);
  if (diag->errors > errors_before) {
    bp_scenario_free(sc);
    return BP_INVALID;
  }
  *out = sc;
  return BP_OK;
}

const char *bp_scenario_name(const bp_scenario *sc) { return sc->name; }
const char *bp_scenario_description(const bp_scenario *sc) {
  return sc->description;
}
const char *bp_scenario_path(const bp_scenario *sc) { return sc->path; }

void bp_scenario_free(bp_scenario *sc) {
  if (!sc)
    return;
  cJSON_Delete(sc->root);
  free(sc->positions);
  free(sc->path);
  free(sc->dir);
  free(sc->name);
  free(sc->description);
  free(sc->data);
  free(sc);
}

/* ------------------------------------------------------------------ */
/* Applying: policy                                                    */
/* ------------------------------------------------------------------ */

static void apply_policy_file(const applier *a, const cJSON *item) {
  const char *name = item->valuestring;
  char *path = name[0] == '/' ? bp_strdup(name)
                              : bp_format("%s/%s", a->sc->dir, name);
  bp_read_policy(path, &a->kase->policy, a->diag);
  free(path);
}

/* The "policy" object goes through the policy reader itself.  So that its
 * messages carry the scenario file's own lines and columns, the reader gets
 * the text up to the object with everything before it blanked out: one
 * space per character, line breaks kept. */
static void apply_policy(const applier *a, const cJSON *item) {
  const json_position *p = position_of_item(a->sc, item);
  if (!p)
    return;
  const char *s = a->sc->json;
  bp_buffer text = {0};
  for (size_t i = 0; i < p->value; i++) {
    if (s[i] == '\n')
      bp_buffer_append(&text, "\n");
    else if (((unsigned char)s[i] & 0xC0) != 0x80)
      bp_buffer_append(&text, " ");
  }
  bp_buffer_append_n(&text, s + p->value, p->end - p->value);
  bp_read_policy_text(text.data, text.length, a->sc->path, &a->kase->policy,
                      a->diag);
  bp_buffer_free(&text);
}

/* ------------------------------------------------------------------ */
/* Applying: areas, schools, daycares                                  */
/* ------------------------------------------------------------------ */

static const char *const area_keys[] = {"area_id",    "max_newcomer_share",
                                        "households", "newcomer_households",
                                        "vulnerable", "partner", NULL};

static void apply_areas(const applier *a, const cJSON *list) {
  bp_case *k = a->kase;
  int index = 0;
  for (const cJSON *entry = list->child; entry; entry = entry->next, index++) {
    char where[48];
    snprintf(where, sizeof where, "areas[%d]", index);
    if (!cJSON_IsObject(entry)) {
      ERROR_AT(entry, "%s: expected an object with \"area_id\"", where);
      continue;
    }
    check_members(a, entry, where, area_keys);
    int present;
    if (!require(a, entry, where, "area_id"))
      continue;
    int at = get_reference(a, entry, where, "area_id", 0, bp_case_find_area,
                           "areas.csv", &present);
    if (at < 0)
      continue;
    bp_area *area = &k->areas[at];
    get_number(a, entry, where, "max_newcomer_share", 0, 0, 1, 1,
               &area->max_newcomer_share);
    get_whole(a, entry, where, "households", 0, BP_CSV_INT_LIMIT,
              &area->households);
    get_whole(a, entry, where, "newcomer_households", 0, BP_CSV_INT_LIMIT,
              &area->newcomer_households);
    get_flag(a, entry, where, "vulnerable", &area->vulnerable);
    get_flag(a, entry, where, "partner", &area->partner);
    if (area->newcomer_households > area->households)
      ERROR_AT(entry,
               "%s: area '%s' would have more newcomer households (%d) than "
               "households (%d)",
               where, area->id, area->newcomer_households, area->households);
  }
}

static void apply_institutions(const applier *a, const cJSON *list,
                               int daycare) {
  bp_case *k = a->kase;
  const char *list_name = daycare ? "daycares" : "schools";
  const char *id_key = daycare ? "daycare_id" : "school_id";
  const char *free_key = daycare ? "free_places" : "free_seats";
  const char *enrolled_key = daycare ? "children" : "pupils";
  const char *bilingual_key = daycare ? "bilingual_children" : "bilingual_pupils";
  const char *const keys[] = {id_key, free_key, enrolled_key, bilingual_key,
                              "max_bilingual_share", NULL};
  bp_institution *table = daycare ? k->daycares : k->schools;
  size_t n = daycare ? k->n_daycares : k->n_schools;
  int index = 0;
  for (const cJSON *entry = list->child; entry; entry = entry->next, index++) {
    char where[48];
    snprintf(where, sizeof where, "%s[%d]", list_name, index);
    if (!cJSON_IsObject(entry)) {
      ERROR_AT(entry, "%s: expected an object with \"%s\"", where, id_key);
      continue;
    }
    check_members(a, entry, where, keys);
    const char *id;
    if (!require(a, entry, where, id_key) ||
        get_text(a, entry, where, id_key, 1, 0, &id) <= 0)
      continue;
    int at = find_institution(table, n, id);
    if (at < 0) {
      ERROR_AT(cJSON_GetObjectItemCaseSensitive(entry, id_key),
               "%s.%s: unknown id '%s' (not in %s.csv)", where, id_key, id,
               list_name);
      continue;
    }
    bp_institution *inst = &table[at];
    get_whole(a, entry, where, free_key, 0, BP_CSV_INT_LIMIT, &inst->free_seats);
    get_whole(a, entry, where, enrolled_key, 0, BP_CSV_INT_LIMIT,
              &inst->enrolled);
    get_whole(a, entry, where, bilingual_key, 0, BP_CSV_INT_LIMIT,
              &inst->bilingual);
    get_number(a, entry, where, "max_bilingual_share", 0, 0, 1, 1,
               &inst->max_bilingual_share);
    if (inst->bilingual > inst->enrolled)
      ERROR_AT(entry, "%s: '%s' would have more bilingual %s (%d) than %s (%d)",
               where, inst->id, daycare ? "children" : "pupils",
               inst->bilingual, enrolled_key, inst->enrolled);
  }
}

/* ------------------------------------------------------------------ */
/* Applying: withdrawals                                               */
/* ------------------------------------------------------------------ */

/* Marks the listed ids in drop[]; each must be in the case. */
static void apply_withdrawals(const applier *a, const cJSON *list,
                              int households, unsigned char *drop) {
  bp_case *k = a->kase;
  const char *list_name = households ? "withdraw_households" : "withdraw_units";
  int index = 0;
  for (const cJSON *entry = list->child; entry; entry = entry->next, index++) {
    if (!cJSON_IsString(entry) || !entry->valuestring[0]) {
      char found[64];
      bp_json_describe(entry, found, sizeof found);
      ERROR_AT(entry, "%s[%d]: expected an id (a non-empty string), found %s",
               list_name, index, found);
      continue;
    }
    const char *id = entry->valuestring;
    int at = households ? bp_case_find_household(k, id)
                        : bp_case_find_unit(k, id);
    if (at < 0) {
      const char *file = households ? "households.csv" : "units.csv";
      ERROR_AT(entry, "%s[%d]: there is no %s '%s' in the case (not in %s%s)",
               list_name, index, households ? "household" : "unit", id, file,
               ledger_note(k, file));
      continue;
    }
    if (drop[at]) {
      WARN_AT(entry, "%s[%d]: '%s' is withdrawn twice", list_name, index, id);
      continue;
    }
    drop[at] = 1;
    /* A 'place' lock on it can no longer be kept: say so.  (A 'forbid'
     * lock on something withdrawn forbids nothing.) */
    for (size_t l = 0; l < k->n_locks; l++) {
      const bp_lock *lock = &k->locks[l];
      if ((households ? lock->household : lock->unit) != at ||
          lock->action != BP_LOCK_PLACE)
        continue;
      WARN_AT(entry,
              "%s[%d]: the 'place' lock of household '%s' on unit '%s' "
              "(locks.csv line %d) no longer applies",
              list_name, index, k->households[lock->household].id,
              k->units[lock->unit].id, lock->origin.line);
    }
  }
}

/* ------------------------------------------------------------------ */
/* Applying: additions                                                 */
/* ------------------------------------------------------------------ */

/* The ids an entry adds: "unit_id"/"household_id" for one, or "id_prefix"
 * and "count" for many (prefix + a number, zero-padded to the width of
 * count, at least two digits: UA01 ... UA40).  Returns the count, 0 after
 * an error; *prefix or *single is set. */
static int entry_ids(const applier *a, const cJSON *entry, const char *where,
                     const char *id_key, const char **single,
                     const char **prefix) {
  *single = *prefix = NULL;
  int count = 1;
  int got_id = get_text(a, entry, where, id_key, 1, 0, single);
  int got_prefix = get_text(a, entry, where, "id_prefix", 1, 0, prefix);
  int got_count = get_whole(a, entry, where, "count", 1, 100000, &count);
  if (got_id < 0 || got_prefix < 0 || got_count < 0)
    return 0;
  if (got_id && got_prefix) {
    ERROR_AT(entry, "%s: give either \"%s\" or \"id_prefix\", not both", where,
             id_key);
    return 0;
  }
  if (!got_id && !got_prefix) {
    ERROR_AT(entry, "%s: \"%s\" (one record) or \"id_prefix\" and \"count\" "
                    "(many) is required",
             where, id_key);
    return 0;
  }
  if (got_id && got_count && count != 1) {
    ERROR_AT(cJSON_GetObjectItemCaseSensitive(entry, "count"),
             "%s: \"count\" needs \"id_prefix\" (one \"%s\" names one record)",
             where, id_key);
    return 0;
  }
  return count;
}

static char *numbered_id(const char *prefix, int number, int count) {
  int width = 2;
  for (int c = count; c >= 100; c /= 10)
    width++;
  return bp_format("%s%0*d", prefix, width, number);
}

/* Whether id may be added: not a record that stays in the case.  (That
 * the scenario does not add it twice is checked once all are collected,
 * check_added_unique.) */
static int id_is_new(const applier *a, const cJSON *entry, const char *where,
                     const char *id, int found_in_case,
                     const unsigned char *drop, const char *what) {
  if (found_in_case >= 0 && !drop[found_in_case]) {
    ERROR_AT(entry,
             "%s: %s '%s' is already in the case; ids must stay unique "
             "(withdraw it first to replace it)",
             where, what, id);
    return 0;
  }
  return 1;
}

static const char *const unit_keys[] = {
    "unit_id", "id_prefix", "count",      "like",         "area_id",
    "stop_id", "walk_minutes", "rooms",   "rent",         "kind",
    "places",  "max_persons",  "step_free", "building",   "landlord",
    "available_from", NULL};

static void copy_unit(bp_unit *to, const bp_unit *from) {
  *to = *from;
  to->id = NULL;
  to->building = from->building ? bp_strdup(from->building) : NULL;
  to->landlord = from->landlord ? bp_strdup(from->landlord) : NULL;
  to->available_from =
      from->available_from ? bp_strdup(from->available_from) : NULL;
  to->origin.line = 0;
}

/* Reads one add_units entry into *unit (without id); 0 after an error. */
static int read_unit_entry(const applier *a, const cJSON *entry,
                           const char *where, bp_unit *unit) {
  bp_case *k = a->kase;
  size_t errors = a->diag->errors;
  memset(unit, 0, sizeof *unit);
  unit->places = 1;
  unit->building_index = -1;
  int present;
  int like = get_reference(a, entry, where, "like", 0, bp_case_find_unit,
                           "units.csv", &present);
  if (like == -2)
    return 0;
  if (like >= 0) {
    copy_unit(unit, &k->units[like]);
  } else {
    int ok = require(a, entry, where, "area_id");
    ok &= require(a, entry, where, "stop_id");
    ok &= require(a, entry, where, "rooms");
    ok &= require(a, entry, where, "rent");
    ok &= require(a, entry, where, "kind");
    if (!ok)
      return 0;
  }
  int area = get_reference(a, entry, where, "area_id", 0, bp_case_find_area,
                           "areas.csv", &present);
  if (present && area >= 0)
    unit->area = area;
  int stop = get_reference(a, entry, where, "stop_id", 0, find_stop,
                           "stops.csv", &present);
  if (present && stop >= 0)
    unit->stop = stop;
  get_number(a, entry, where, "walk_minutes", 0, 0, INFINITY, 0,
             &unit->walk_minutes);
  get_whole(a, entry, where, "rooms", 1, BP_CSV_INT_LIMIT, &unit->rooms);
  get_number(a, entry, where, "rent", 0, 1, INFINITY, 0, &unit->rent);
  const char *kind;
  if (get_text(a, entry, where, "kind", 1, 0, &kind) > 0) {
    int found = -1;
    for (int i = 0; i < BP_UNIT_KIND_COUNT && found < 0; i++)
      if (strcmp(kind, bp_unit_kind_name((bp_unit_kind)i)) == 0)
        found = i;
    if (found < 0)
      expected(a, cJSON_GetObjectItemCaseSensitive(entry, "kind"), where,
               "public, private, senior, shared or transit");
    else
      unit->kind = (bp_unit_kind)found;
  }
  get_whole(a, entry, where, "places", 1, BP_CSV_INT_LIMIT, &unit->places);
  int max_persons = 0;
  int got = get_whole(a, entry, where, "max_persons", 0, BP_CSV_INT_LIMIT,
                      &max_persons);
  if (got > 0)
    unit->max_persons = max_persons; /* 0 = no limit, as an empty field */
  get_flag(a, entry, where, "step_free", &unit->step_free);
  const char *text;
  if (get_text(a, entry, where, "building", 0, 1, &text) > 0)
    set_text(&unit->building, text && text[0] ? text : NULL);
  if (get_text(a, entry, where, "landlord", 0, 1, &text) > 0)
    set_text(&unit->landlord, text && text[0] ? text : NULL);
  if (get_text(a, entry, where, "available_from", 0, 1, &text) > 0) {
    if (text && !bp_parse_date(text))
      expected(a, cJSON_GetObjectItemCaseSensitive(entry, "available_from"),
               where, "a date YYYY-MM-DD or null");
    else
      set_text(&unit->available_from, text);
  }
  if (unit->places > 1 && unit->kind != BP_UNIT_SHARED)
    ERROR_AT(entry,
             "%s: %d places, but only a unit of kind 'shared' can have more "
             "than one (this one is '%s')",
             where, unit->places, bp_unit_kind_name(unit->kind));
  if (a->diag->errors > errors) {
    bp_case_free_unit(unit);
    memset(unit, 0, sizeof *unit);
    return 0;
  }
  return 1;
}

static const char *const household_keys[] = {
    "household_id", "id_prefix",   "count",          "like",
    "adults",       "children_0_5", "children_6_16", "max_rent",
    "step_free",    "needs_health", "language",      "group_id",
    "job_stop",     "preferred_area", "ties_area",   "waiting_days",
    NULL};

static void copy_household(bp_household *to, const bp_household *from) {
  *to = *from;
  to->id = NULL;
  to->language = from->language ? bp_strdup(from->language) : NULL;
  to->group_id = from->group_id ? bp_strdup(from->group_id) : NULL;
  to->group = -1;
  to->origin.line = 0;
}

static int read_household_entry(const applier *a, const cJSON *entry,
                                const char *where, bp_household *h) {
  bp_case *k = a->kase;
  size_t errors = a->diag->errors;
  memset(h, 0, sizeof *h);
  h->group = h->job_stop = h->preferred_area = h->ties_area = -1;
  int present;
  int like = get_reference(a, entry, where, "like", 0, bp_case_find_household,
                           "households.csv", &present);
  if (like == -2)
    return 0;
  if (like >= 0) {
    copy_household(h, &k->households[like]);
  } else {
    int ok = require(a, entry, where, "adults");
    ok &= require(a, entry, where, "children_0_5");
    ok &= require(a, entry, where, "children_6_16");
    ok &= require(a, entry, where, "max_rent");
    if (!ok)
      return 0;
  }
  get_whole(a, entry, where, "adults", 0, BP_CSV_INT_LIMIT, &h->adults);
  get_whole(a, entry, where, "children_0_5", 0, BP_CSV_INT_LIMIT,
            &h->children_0_5);
  get_whole(a, entry, where, "children_6_16", 0, BP_CSV_INT_LIMIT,
            &h->children_6_16);
  get_number(a, entry, where, "max_rent", 0, 1, INFINITY, 0, &h->max_rent);
  get_flag(a, entry, where, "step_free", &h->step_free);
  get_flag(a, entry, where, "needs_health", &h->needs_health);
  const char *text;
  if (get_text(a, entry, where, "language", 0, 1, &text) > 0)
    set_text(&h->language, text && text[0] ? text : NULL);
  if (get_text(a, entry, where, "group_id", 1, 1, &text) > 0)
    set_text(&h->group_id, text);
  int index = get_reference(a, entry, where, "job_stop", 1, find_stop,
                            "stops.csv", &present);
  if (present && index >= -1)
    h->job_stop = index;
  index = get_reference(a, entry, where, "preferred_area", 1,
                        bp_case_find_area, "areas.csv", &present);
  if (present && index >= -1)
    h->preferred_area = index;
  index = get_reference(a, entry, where, "ties_area", 1, bp_case_find_area,
                        "areas.csv", &present);
  if (present && index >= -1)
    h->ties_area = index;
  get_whole(a, entry, where, "waiting_days", 0, BP_CSV_INT_LIMIT,
            &h->waiting_days);
  if (a->diag->errors == errors &&
      h->adults + h->children_0_5 + h->children_6_16 == 0)
    ERROR_AT(entry, "%s: a household needs at least one person (adults, "
                    "children_0_5 and children_6_16 are all 0)",
             where);
  if (a->diag->errors > errors) {
    bp_case_free_household(h);
    memset(h, 0, sizeof *h);
    return 0;
  }
  return 1;
}

/* Where an added record came from, for the uniqueness check. */
typedef struct {
  const char *id;      /* the record's id (owned by the record) */
  const cJSON *entry;  /* the add_units / add_households entry */
  int entry_index;
  size_t order;        /* position in the list: earlier entries first */
} added_origin;

/* New records of one kind, collected before the case is edited. */
typedef struct {
  void *records;
  size_t n, capacity, size;
  added_origin *origins; /* parallel to records */
} added_list;

static void *added_slot(added_list *list) {
  if (list->n == list->capacity) {
    list->capacity = list->capacity ? 2 * list->capacity : 16;
    list->records = bp_realloc(list->records, list->capacity * list->size);
    list->origins =
        bp_realloc(list->origins, list->capacity * sizeof *list->origins);
  }
  return (char *)list->records + list->n * list->size;
}

static int compare_origins(const void *x, const void *y) {
  const added_origin *a = x, *b = y;
  int c = strcmp(a->id, b->id);
  if (c)
    return c;
  return (a->order > b->order) - (a->order < b->order);
}

/* No id added twice: sorted, a repeat sits next to its first.  One message
 * per entry that repeats an id, at that entry.  O(n log n), so that a
 * scenario adding thousands of households stays quick. */
static void check_added_unique(const applier *a, const added_list *list,
                               int households) {
  if (list->n < 2)
    return;
  added_origin *sorted = bp_alloc(list->n * sizeof *sorted);
  memcpy(sorted, list->origins, list->n * sizeof *sorted);
  qsort(sorted, list->n, sizeof *sorted, compare_origins);
  const char *list_name = households ? "add_households" : "add_units";
  const cJSON **reported = bp_alloc(list->n * sizeof *reported);
  size_t n_reported = 0;
  size_t first_of_id = 0;
  for (size_t i = 1; i < list->n; i++) {
    if (strcmp(sorted[i - 1].id, sorted[i].id) != 0) {
      first_of_id = i;
      continue;
    }
    const added_origin *first = &sorted[first_of_id], *again = &sorted[i];
    int seen = 0;
    for (size_t r = 0; r < n_reported && !seen; r++)
      seen = reported[r] == again->entry;
    if (seen)
      continue;
    reported[n_reported++] = again->entry;
    if (first->entry == again->entry)
      ERROR_AT(again->entry, "%s[%d]: %s '%s' is added twice by this entry",
               list_name, again->entry_index,
               households ? "household" : "unit", again->id);
    else
      ERROR_AT(again->entry,
               "%s[%d]: %s '%s' is added twice by this scenario (also by "
               "%s[%d])",
               list_name, again->entry_index,
               households ? "household" : "unit", again->id, list_name,
               first->entry_index);
  }
  free(reported);
  free(sorted);
}

static void apply_additions(const applier *a, const cJSON *list,
                            int households, const unsigned char *drop,
                            added_list *added) {
  bp_case *k = a->kase;
  const char *list_name = households ? "add_households" : "add_units";
  const char *id_key = households ? "household_id" : "unit_id";
  int index = 0;
  for (const cJSON *entry = list->child; entry; entry = entry->next, index++) {
    char where[48];
    snprintf(where, sizeof where, "%s[%d]", list_name, index);
    if (!cJSON_IsObject(entry)) {
      ERROR_AT(entry, "%s: expected an object", where);
      continue;
    }
    check_members(a, entry, where, households ? household_keys : unit_keys);
    const char *single, *prefix;
    int count = entry_ids(a, entry, where, id_key, &single, &prefix);
    bp_household h;
    bp_unit u;
    int ok = households ? read_household_entry(a, entry, where, &h)
                        : read_unit_entry(a, entry, where, &u);
    if (!ok || count == 0) {
      if (ok && households)
        bp_case_free_household(&h);
      else if (ok)
        bp_case_free_unit(&u);
      continue;
    }
    for (int i = 1; i <= count; i++) {
      char *id = single ? bp_strdup(single) : numbered_id(prefix, i, count);
      int in_case = households ? bp_case_find_household(k, id)
                               : bp_case_find_unit(k, id);
      if (!id_is_new(a, entry, where, id, in_case, drop,
                     households ? "household" : "unit")) {
        free(id);
        break; /* one message per entry is enough */
      }
      void *slot = added_slot(added);
      if (households) {
        bp_household *copy = slot;
        copy_household(copy, &h);
        copy->id = id;
      } else {
        bp_unit *copy = slot;
        copy_unit(copy, &u);
        copy->id = id;
      }
      added->origins[added->n] = (added_origin){id, entry, index, added->n};
      added->n++;
    }
    if (households)
      bp_case_free_household(&h);
    else
      bp_case_free_unit(&u);
  }
  check_added_unique(a, added, households);
}

/* ------------------------------------------------------------------ */
/* Applying                                                            */
/* ------------------------------------------------------------------ */

bp_status bp_scenario_apply(const bp_scenario *sc, bp_case *k,
                            bp_diagnostics *diag) {
  size_t errors_before = diag->errors;
  applier ap = {sc, k, diag}, *a = &ap;
  const cJSON *root = sc->root;
#define KEY(name) cJSON_GetObjectItemCaseSensitive(root, name)
  const cJSON *item;
  if ((item = KEY("policy_file")) && cJSON_IsString(item))
    apply_policy_file(a, item);
  if ((item = KEY("policy")) && cJSON_IsObject(item))
    apply_policy(a, item);
  if ((item = KEY("areas")) && cJSON_IsArray(item))
    apply_areas(a, item);
  if ((item = KEY("schools")) && cJSON_IsArray(item))
    apply_institutions(a, item, 0);
  if ((item = KEY("daycares")) && cJSON_IsArray(item))
    apply_institutions(a, item, 1);

  unsigned char *drop_units = bp_calloc(k->n_units + 1, 1);
  unsigned char *drop_households = bp_calloc(k->n_households + 1, 1);
  if ((item = KEY("withdraw_units")) && cJSON_IsArray(item))
    apply_withdrawals(a, item, 0, drop_units);
  if ((item = KEY("withdraw_households")) && cJSON_IsArray(item))
    apply_withdrawals(a, item, 1, drop_households);
  added_list units = {NULL, 0, 0, sizeof(bp_unit), NULL};
  added_list households = {NULL, 0, 0, sizeof(bp_household), NULL};
  if ((item = KEY("add_units")) && cJSON_IsArray(item))
    apply_additions(a, item, 0, drop_units, &units);
  if ((item = KEY("add_households")) && cJSON_IsArray(item))
    apply_additions(a, item, 1, drop_households, &households);
#undef KEY

  bp_status status = diag->errors > errors_before ? BP_INVALID : BP_OK;
  if (status == BP_OK) {
    bp_case_changes changes = {drop_households, drop_units,
                               households.records, households.n,
                               units.records, units.n};
    bp_case_edit(k, &changes);
  } else {
    for (size_t i = 0; i < units.n; i++)
      bp_case_free_unit(&((bp_unit *)units.records)[i]);
    for (size_t i = 0; i < households.n; i++)
      bp_case_free_household(&((bp_household *)households.records)[i]);
  }
  free(units.records);
  free(units.origins);
  free(households.records);
  free(households.origins);
  free(drop_units);
  free(drop_households);
  return status;
}
