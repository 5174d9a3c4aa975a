/**
 * @file read_policy.c
 * @brief The policy knobs: the project's defaults, and policy.json on top.
 *
 * The keys are those of SPEC.md ("policy.json keys"); their defaults are the
 * project's choice and are listed here, in one place:
 *
 *   key                              default  allowed
 *   -------------------------------  -------  -----------------------------
 *   max_minutes.language_school         60    number >= 0 (minutes, one way)
 *   max_minutes.school                  40    number >= 0
 *   max_minutes.daycare                 30    number >= 0
 *   max_minutes.job                     60    number >= 0
 *   max_minutes.health                  60    number >= 0
 *   max_newcomer_share                0.15    number 0..1
 *   max_bilingual_share               0.30    number 0..1
 *   persons_per_room                   2.0    number > 0
 *   extra_rooms                          1    whole number >= 0
 *   max_new_per_building                 3    whole number >= 0 (0 = no limit)
 *   min_cluster                          0    whole number >= 0 (0 = off)
 *   allow_vulnerable_areas           false    true/false (or 1/0)
 *   allow_transit                     true    true/false (or 1/0)
 *   weights.spread                      10    number >= 0
 *   weights.near_cap                     2    number >= 0
 *   weights.travel                       1    number >= 0
 *   weights.rent                         1    number >= 0
 *   weights.preference                   1    number >= 0
 *   weights.ties                         1    number >= 0
 *   weights.partner                    0.5    number >= 0
 *   weights.score                        1    number >= 0
 *   time_limit_s                        60    number > 0 (seconds)
 *   mip_gap                              0    number 0..1
 *   language                          "en"    "en" or "da"
 *
 * Why these: 0.15 and 0.30 sit in the 10-30 % range that municipal policy
 * uses for newcomer and bilingual-child shares (DOMAIN.md); the travel
 * limits follow what a family can do daily by bus; spread weighs most among
 * the soft goals because spreading placements is the stated principle of
 * every municipality in seeds/.
 *
 * The reader is table-driven (policy_keys below): every key has a kind and
 * a range, so that a wrong type, a value out of range or an unknown key is
 * reported alike, with the key's path and its line and column in the file.
 * cJSON does not keep positions, so they are found by walking the text
 * once more (locate_member), which is safe because cJSON accepted it.
 * The helpers of that walk are shared with the other JSON readers
 * (json_text.h) and defined here.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boplace.h"
#include "json_text.h"
#include "read_csv.h"

void bp_policy_defaults(bp_policy *p) {
  memset(p, 0, sizeof *p);
  p->max_minutes_language_school = 60;
  p->max_minutes_school = 40;
  p->max_minutes_daycare = 30;
  p->max_minutes_job = 60;
  p->max_minutes_health = 60;
  p->max_newcomer_share = 0.15;
  p->max_bilingual_share = 0.30;
  p->persons_per_room = 2.0;
  p->extra_rooms = 1;
  p->max_new_per_building = 3;
  p->min_cluster = 0;
  p->allow_vulnerable_areas = 0;
  p->allow_transit = 1;
  p->weights.spread = 10;
  p->weights.near_cap = 2;
  p->weights.travel = 1;
  p->weights.rent = 1;
  p->weights.preference = 1;
  p->weights.ties = 1;
  p->weights.partner = 0.5;
  p->weights.score = 1;
  p->time_limit_s = 60;
  p->mip_gap = 0;
  p->language = BP_LANG_EN;
}

/* ------------------------------------------------------------------ */
/* The keys                                                            */
/* ------------------------------------------------------------------ */

typedef enum {
  KEY_NUMBER,   /* double */
  KEY_WHOLE,    /* int */
  KEY_BOOLEAN,  /* int 0/1 */
  KEY_LANGUAGE, /* bp_language */
  KEY_OBJECT    /* members below */
} key_kind;

typedef struct key_spec {
  const char *name;
  key_kind kind;
  size_t offset; /* of the field in bp_policy */
  double min;
  int min_exclusive;
  double max;
  const struct key_spec *members;
  size_t n_members;
} key_spec;

#define NUMBER(name, field, min, excl, max)                                    \
  { name, KEY_NUMBER, offsetof(bp_policy, field), min, excl, max, NULL, 0 }
#define WHOLE(name, field)                                                     \
  { name, KEY_WHOLE, offsetof(bp_policy, field), 0, 0, 1e9, NULL, 0 }
#define BOOLEAN(name, field)                                                   \
  { name, KEY_BOOLEAN, offsetof(bp_policy, field), 0, 0, 1, NULL, 0 }

static const key_spec minutes_keys[] = {
    NUMBER("language_school", max_minutes_language_school, 0, 0, INFINITY),
    NUMBER("school", max_minutes_school, 0, 0, INFINITY),
    NUMBER("daycare", max_minutes_daycare, 0, 0, INFINITY),
    NUMBER("job", max_minutes_job, 0, 0, INFINITY),
    NUMBER("health", max_minutes_health, 0, 0, INFINITY),
};

static const key_spec weight_keys[] = {
    NUMBER("spread", weights.spread, 0, 0, INFINITY),
    NUMBER("near_cap", weights.near_cap, 0, 0, INFINITY),
    NUMBER("travel", weights.travel, 0, 0, INFINITY),
    NUMBER("rent", weights.rent, 0, 0, INFINITY),
    NUMBER("preference", weights.preference, 0, 0, INFINITY),
    NUMBER("ties", weights.ties, 0, 0, INFINITY),
    NUMBER("partner", weights.partner, 0, 0, INFINITY),
    NUMBER("score", weights.score, 0, 0, INFINITY),
};

static const key_spec policy_keys[] = {
    {"max_minutes", KEY_OBJECT, 0, 0, 0, 0, minutes_keys,
     sizeof minutes_keys / sizeof *minutes_keys},
    NUMBER("max_newcomer_share", max_newcomer_share, 0, 0, 1),
    NUMBER("max_bilingual_share", max_bilingual_share, 0, 0, 1),
    NUMBER("persons_per_room", persons_per_room, 0, 1, INFINITY),
    WHOLE("extra_rooms", extra_rooms),
    WHOLE("max_new_per_building", max_new_per_building),
    WHOLE("min_cluster", min_cluster),
    BOOLEAN("allow_vulnerable_areas", allow_vulnerable_areas),
    BOOLEAN("allow_transit", allow_transit),
    {"weights", KEY_OBJECT, 0, 0, 0, 0, weight_keys,
     sizeof weight_keys / sizeof *weight_keys},
    NUMBER("time_limit_s", time_limit_s, 0, 1, INFINITY),
    NUMBER("mip_gap", mip_gap, 0, 0, 1),
    {"language", KEY_LANGUAGE, offsetof(bp_policy, language), 0, 0, 0, NULL, 0},
};

/* ------------------------------------------------------------------ */
/* Positions in the text                                               */
/* ------------------------------------------------------------------ */

typedef struct {
  const char *text;
  size_t length;
  const char *file;
  bp_diagnostics *diag;
  bp_policy *policy;
} policy_reader;

/* Line and column (in characters, 1-based) of a byte offset. */
void bp_json_line_column(const char *text, size_t offset, int *line,
                         int *column) {
  *line = 1;
  *column = 1;
  for (size_t i = 0; i < offset && text[i]; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *column = 1;
    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
      (*column)++;
    }
  }
}

size_t bp_json_skip_space(const char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
    i++;
  return i;
}

/* Called only on text cJSON accepted, where every string is closed; the
 * bound keeps the walk inside the text all the same. */
size_t bp_json_skip_string(const char *s, size_t n, size_t i) {
  for (i++; i < n && s[i] != '"'; i++)
    if (s[i] == '\\')
      i++;
  return i < n ? i + 1 : n;
}

static size_t skip_value(const char *s, size_t n, size_t i) {
  if (i < n && s[i] == '"')
    return bp_json_skip_string(s, n, i);
  if (i < n && (s[i] == '{' || s[i] == '[')) {
    int depth = 0;
    while (i < n) {
      if (s[i] == '"') {
        i = bp_json_skip_string(s, n, i);
        continue;
      }
      if (s[i] == '{' || s[i] == '[')
        depth++;
      else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
        return i + 1;
      i++;
    }
    return i;
  }
  while (i < n && !strchr(",]} \t\r\n", s[i]))
    i++;
  return i;
}

/* The offset of the key of member number path[depth-1] of the object
 * reached by following member numbers path[0..depth-1); the text is valid
 * JSON (cJSON parsed it).  Returns n when not found. */
static size_t locate_member(const char *s, size_t n, const int *path, int depth) {
  size_t i = bp_json_skip_space(s, n, 0);
  for (int level = 0; level < depth; level++) {
    if (i >= n || s[i] != '{')
      return n;
    i = bp_json_skip_space(s, n, i + 1);
    for (int k = 0;; k++) {
      if (i >= n || s[i] != '"')
        return n;
      if (k == path[level])
        break;
      i = bp_json_skip_space(s, n, bp_json_skip_string(s, n, i));
      i = bp_json_skip_space(s, n, i + 1); /* ':' */
      i = bp_json_skip_space(s, n, skip_value(s, n, i));
      if (i < n && s[i] == ',')
        i = bp_json_skip_space(s, n, i + 1);
      else
        return n;
    }
    if (level == depth - 1)
      return i;
    i = bp_json_skip_space(s, n, bp_json_skip_string(s, n, i));
    i = bp_json_skip_space(s, n, i + 1); /* ':' */
  }
  return n;
}

static void member_position(const policy_reader *r, const int *path, int depth,
                            int *line, int *column) {
  size_t offset = locate_member(r->text, r->length, path, depth);
  if (offset >= r->length) {
    *line = 1;
    *column = 1;
  } else {
    bp_json_line_column(r->text, offset, line, column);
  }
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

void bp_json_describe(const cJSON *item, char *out, size_t size) {
  if (cJSON_IsString(item))
    snprintf(out, size, "\"%.40s\"", item->valuestring);
  else if (cJSON_IsNumber(item))
    snprintf(out, size, "%g", item->valuedouble);
  else if (cJSON_IsTrue(item))
    snprintf(out, size, "true");
  else if (cJSON_IsFalse(item))
    snprintf(out, size, "false");
  else if (cJSON_IsNull(item))
    snprintf(out, size, "null");
  else if (cJSON_IsArray(item))
    snprintf(out, size, "an array");
  else
    snprintf(out, size, "an object");
}

static void describe_expected(const key_spec *key, char *out, size_t size) {
  switch (key->kind) {
  case KEY_OBJECT:
    snprintf(out, size, "an object ({...})");
    break;
  case KEY_BOOLEAN:
    snprintf(out, size, "true or false");
    break;
  case KEY_LANGUAGE:
    snprintf(out, size, "\"en\" or \"da\"");
    break;
  case KEY_WHOLE:
    snprintf(out, size, "a whole number >= %g", key->min);
    break;
  case KEY_NUMBER:
    if (isfinite(key->max))
      snprintf(out, size, "a number from %g to %g", key->min, key->max);
    else
      snprintf(out, size, "a number %s %g", key->min_exclusive ? ">" : ">=",
               key->min);
    break;
  }
}

/* Sets the policy field from item if it fits the key; 1 on success. */
static int take_value(const key_spec *key, const cJSON *item, bp_policy *p) {
  char *field = (char *)p + key->offset;
  switch (key->kind) {
  case KEY_NUMBER: {
    if (!cJSON_IsNumber(item))
      return 0;
    double v = item->valuedouble;
    int below = key->min_exclusive ? v <= key->min : v < key->min;
    if (!isfinite(v) || below || v > key->max)
      return 0;
    *(double *)(void *)field = v;
    return 1;
  }
  case KEY_WHOLE: {
    if (!cJSON_IsNumber(item))
      return 0;
    double v = item->valuedouble;
    if (!isfinite(v) || v != floor(v) || v < key->min || v > key->max)
      return 0;
    *(int *)(void *)field = (int)v;
    return 1;
  }
  case KEY_BOOLEAN:
    if (cJSON_IsBool(item)) {
      *(int *)(void *)field = cJSON_IsTrue(item);
      return 1;
    }
    if (cJSON_IsNumber(item) && (item->valuedouble == 0 || item->valuedouble == 1)) {
      *(int *)(void *)field = item->valuedouble == 1;
      return 1;
    }
    return 0;
  case KEY_LANGUAGE:
    if (cJSON_IsString(item) && strcmp(item->valuestring, "en") == 0) {
      *(bp_language *)(void *)field = BP_LANG_EN;
      return 1;
    }
    if (cJSON_IsString(item) && strcmp(item->valuestring, "da") == 0) {
      *(bp_language *)(void *)field = BP_LANG_DA;
      return 1;
    }
    return 0;
  case KEY_OBJECT:
    return cJSON_IsObject(item);
  }
  return 0;
}

static void read_members(policy_reader *r, const cJSON *object,
                         const key_spec *keys, size_t n_keys,
                         const char *prefix, int *path, int depth) {
  int index = 0;
  for (const cJSON *item = object->child; item; item = item->next, index++) {
    path[depth] = index;
    int line, column;
    member_position(r, path, depth + 1, &line, &column);
    char name[256];
    snprintf(name, sizeof name, "%s%s", prefix, item->string);

    /* A key given twice is ambiguous: cJSON would keep the first. */
    int seen = -1, k = 0;
    for (const cJSON *before = object->child; before != item;
         before = before->next, k++)
      if (strcmp(before->string, item->string) == 0) {
        seen = k;
        break;
      }
    if (seen >= 0) {
      path[depth] = seen;
      int first_line, first_column;
      member_position(r, path, depth + 1, &first_line, &first_column);
      bp_error(r->diag, r->file, line, column,
               "duplicate key '%s' (first on line %d)", name, first_line);
      continue;
    }

    const key_spec *key = NULL;
    for (size_t i = 0; i < n_keys && !key; i++)
      if (strcmp(keys[i].name, item->string) == 0)
        key = &keys[i];
    if (!key) {
      bp_warning(r->diag, r->file, line, column, "unknown key '%s', ignored", name);
      continue;
    }
    if (!take_value(key, item, r->policy)) {
      char expected[96], found[96];
      describe_expected(key, expected, sizeof expected);
      bp_json_describe(item, found, sizeof found);
      bp_error(r->diag, r->file, line, column, "%s: expected %s, found %s", name,
               expected, found);
      continue;
    }
    if (key->kind == KEY_OBJECT) {
      char nested[sizeof name + 1];
      snprintf(nested, sizeof nested, "%s.", name);
      read_members(r, item, key->members, key->n_members, nested, path,
                   depth + 1);
    }
  }
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/* Where and what a JSON syntax error is.  A string or bracket left open at
 * the end is the commonest mistake in a hand-edited file, and cJSON's
 * position is then somewhere near the end; the opening is what helps, so it
 * is found with a quick scan.  Otherwise cJSON's position is used, backed up
 * to the last character that is not whitespace: cJSON may stop a little past
 * the culprit (a trailing comma is found only after the '}' behind it). */
static void report_syntax_error(const char *text, size_t length,
                                const char *end, const char *file,
                                bp_diagnostics *diag) {
  size_t open[64];
  int depth = 0;
  size_t string_start = length;
  for (size_t i = 0; i < length; i++) {
    if (string_start < length) {
      if (text[i] == '\\')
        i++;
      else if (text[i] == '"')
        string_start = length;
    } else if (text[i] == '"') {
      string_start = i;
    } else if (text[i] == '{' || text[i] == '[') {
      if (depth < 64)
        open[depth] = i;
      depth++;
    } else if ((text[i] == '}' || text[i] == ']') && depth > 0) {
      depth--;
    }
  }
  int line, column;
  if (string_start < length) {
    bp_json_line_column(text, string_start, &line, &column);
    bp_error(diag, file, line, column,
             "JSON syntax error: the string that begins here has no closing '\"'");
    return;
  }
  if (depth > 0 && depth <= 64) {
    bp_json_line_column(text, open[depth - 1], &line, &column);
    bp_error(diag, file, line, column,
             "JSON syntax error: the '%c' here is never closed", text[open[depth - 1]]);
    return;
  }
  size_t offset = end && end >= text ? (size_t)(end - text) : 0;
  if (offset > length)
    offset = length;
  while (offset > 0 && (offset >= length || strchr(" \t\r\n", text[offset])))
    offset--;
  bp_json_line_column(text, offset, &line, &column);
  bp_error(diag, file, line, column,
           "JSON syntax error at '%c' (a ',' or ':' missing, or one too many?)",
           text[offset]);
}

bp_status bp_read_policy_text(const char *text, size_t length, const char *file,
                              bp_policy *policy, bp_diagnostics *diag) {
  size_t errors_before = diag->errors;
  /* Notepad writes a byte order mark; it is not part of the JSON. */
  if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    text += 3;
    length -= 3;
  }
  size_t bad;
  if (!bp_utf8_valid(text, length, &bad)) {
    int line, column;
    bp_json_line_column(text, bad, &line, &column);
    bp_error(diag, file, line, column,
             "text is not valid UTF-8 (byte 0x%02X); re-save the file as UTF-8",
             (unsigned char)text[bad]);
    return BP_INVALID;
  }
  size_t first = bp_json_skip_space(text, length, 0);
  if (first == length) {
    bp_error(diag, file, 0, 0, "the file is empty; write {} for no changes");
    return BP_INVALID;
  }

  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(text, length, &end, 0);
  if (!root) {
    report_syntax_error(text, length, end, file, diag);
    return BP_INVALID;
  }
  size_t rest =
      bp_json_skip_space(text, length, end ? (size_t)(end - text) : length);
  if (rest < length) {
    int line, column;
    bp_json_line_column(text, rest, &line, &column);
    bp_error(diag, file, line, column,
             "JSON syntax error: text after the end of the policy object");
  } else if (!cJSON_IsObject(root)) {
    int line, column;
    bp_json_line_column(text, first, &line, &column);
    bp_error(diag, file, line, column,
             "the policy must be a JSON object ({ \"key\": value, ... })");
  } else {
    policy_reader r = {text, length, file, diag, policy};
    int path[8];
    read_members(&r, root, policy_keys, sizeof policy_keys / sizeof *policy_keys,
                 "", path, 0);
  }
  cJSON_Delete(root);
  return diag->errors > errors_before ? BP_INVALID : BP_OK;
}

bp_status bp_read_policy(const char *path, bp_policy *policy,
                         bp_diagnostics *diag) {
  char *text;
  size_t length;
  BP_CALL(bp_read_file(path, path, BP_POLICY_MAX_FILE, &text, &length, diag));
  bp_status status = bp_read_policy_text(text, length, path, policy, diag);
  free(text);
  return status;
}
