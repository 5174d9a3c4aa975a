/**
 * @file command_accept.c
 * @brief `boplace accept OUT_DIR --case CASE_DIR`: record the proposals the
 *        coordinator has agreed with families and landlords in the case's
 *        history ledger (ledger.h), so that the next run leaves those
 *        households and units out and counts them in the areas' shares.
 *
 * The proposals come from OUT_DIR/proposals.json, which also names every
 * input file of the run with its SHA-256.  Accepting checks that the case
 * still has exactly those tables (history.csv aside, which accepting itself
 * changes): proposals made for other data are refused, not recorded.  Every
 * fact written to the ledger comes from the case (persons, children,
 * waiting days, the unit's kind); nothing comes from the clock.
 *
 * Idempotent: a (household, unit) already in the ledger is not written
 * again, so accepting the same proposals twice leaves the file as it was.
 * All or nothing: if any listed proposal cannot be recorded, none is.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boplace.h"
#include "command.h"
#include "ledger.h"
#include "read_csv.h"
#include "scenario.h"

static const char *accept_help =
    "NAME\n"
    "    boplace accept - record accepted proposals in the case's history\n"
    "\n"
    "SYNOPSIS\n"
    "    boplace accept OUT_DIR --case CASE_DIR [--households ID,...]\n"
    "                   [--week YYYY-Www]\n"
    "\n"
    "DESCRIPTION\n"
    "    Records the proposals of the run in OUT_DIR (its proposals.json) as\n"
    "    accepted: one row per household in CASE_DIR/history.csv, the case's\n"
    "    history ledger. Every later run of CASE_DIR (run, check, export,\n"
    "    compare) reads the ledger: households accepted into a permanent home\n"
    "    and the units they took are left out; their areas count one more\n"
    "    household and newcomer household each, and their schools and\n"
    "    daycares the children as enrolled and bilingual, with as many fewer\n"
    "    free seats and places. A household accepted into transit housing\n"
    "    stays in the case until it is accepted into a permanent home; its\n"
    "    transit place stays taken meanwhile.\n"
    "\n"
    "    The case must still have the tables the run read (every .csv file\n"
    "    but history.csv, compared by SHA-256); if it has changed, run again\n"
    "    and accept the new proposals. Accepting is all or nothing: if one\n"
    "    proposal cannot be recorded (the household already has a permanent\n"
    "    home, the unit is taken, an id is not in the case), nothing is\n"
    "    written and every problem is listed. A proposal already recorded is\n"
    "    not recorded again, so accepting twice changes nothing.\n"
    "\n"
    "    The ledger holds facts only, no clock: batch (1, 2, ... in the order\n"
    "    runs are accepted), week (if given), household_id, unit_id,\n"
    "    area_id, kind, adults, children_0_5, children_6_16, persons,\n"
    "    waiting_days, and run_sha256, the fingerprint of the run's inputs.\n"
    "    It is replaced whole and atomically (a temporary file, fsync,\n"
    "    rename) under a lock on the case directory, so it is never left\n"
    "    half-written. See data/README.md, \"history.csv\".\n"
    "\n"
    "OPTIONS\n"
    "    --case CASE_DIR       the case the run was made from (required).\n"
    "    --households ID,...   accept only these households' proposals\n"
    "                          (comma-separated ids); default: all of them.\n"
    "    --week YYYY-Www       the ISO week of the case, e.g. 2026-W45, for\n"
    "                          `boplace history`; without it the batch number\n"
    "                          labels the week. All rows of one run share one\n"
    "                          week.\n"
    "\n"
    "EXIT STATUS\n"
    "    0  recorded (or nothing new to record); 1 wrong usage; 2 the\n"
    "    proposals or the case are not fit to be recorded, nothing written;\n"
    "    3 the ledger could not be written (the old one is left as it was).\n"
    "\n"
    "EXAMPLE\n"
    "    boplace run data/week45 -o out\n"
    "    boplace accept out --case data/week45 --households H01,H02 --week 2026-W45\n"
    "    boplace history data/week45\n";

static int usage(const char *message, const char *detail) {
  return bp_command_usage("boplace accept", message, detail);
}

/* A proposal of the run, as proposals.json states it. */
typedef struct {
  const char *household_id, *unit_id, *area_id;
  int selected;
} proposal;

/* What the run read, from proposals.json's run record. */
typedef struct {
  cJSON *root;
  bp_input_file *inputs; size_t n_inputs;
  proposal *proposals;   size_t n_proposals;
  cJSON *unplaced;       /* the array, to tell "unplaced" from "unknown" */
} run_record;

static void run_record_free(run_record *r) {
  free(r->inputs);
  free(r->proposals);
  cJSON_Delete(r->root);
}

static const char *string_member(const cJSON *object, const char *key) {
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, key);
  return cJSON_IsString(item) && item->valuestring[0] ? item->valuestring
                                                      : NULL;
}

static bp_status read_run(const char *out_dir, run_record *r,
                          bp_diagnostics *diag) {
  memset(r, 0, sizeof *r);
  char *path = bp_format("%s/proposals.json", out_dir);
  char *text;
  size_t length;
  bp_status status = bp_read_file(path, path, BP_CSV_MAX_FILE, &text, &length,
                                  diag);
  if (status != BP_OK) {
    free(path);
    return status;
  }
  r->root = cJSON_ParseWithLength(text, length);
  free(text);
  const cJSON *run = cJSON_GetObjectItemCaseSensitive(r->root, "run");
  const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(run, "inputs");
  const cJSON *proposals =
      cJSON_GetObjectItemCaseSensitive(r->root, "proposals");
  r->unplaced = cJSON_GetObjectItemCaseSensitive(r->root, "unplaced");
  if (!cJSON_IsObject(r->root) || !cJSON_IsArray(inputs) ||
      !cJSON_IsArray(proposals)) {
    bp_error(diag, path, 0, 0,
             "not the proposals.json of a boplace run (no run.inputs or "
             "proposals); give the OUT_DIR of 'boplace run'");
    free(path);
    return BP_INVALID;
  }
  int n = cJSON_GetArraySize(inputs);
  r->inputs = bp_calloc((size_t)n + 1, sizeof *r->inputs);
  const cJSON *item;
  cJSON_ArrayForEach(item, inputs) {
    const char *file = string_member(item, "file");
    const char *sha = string_member(item, "sha256");
    if (!file || !sha || strlen(sha) != 64) {
      bp_error(diag, path, 0, 0, "run.inputs: an entry without file and sha256");
      continue;
    }
    /* name points into the JSON tree, which lives as long as r */
    r->inputs[r->n_inputs].name = (char *)file;
    memcpy(r->inputs[r->n_inputs].sha256, sha, 65);
    r->n_inputs++;
  }
  n = cJSON_GetArraySize(proposals);
  r->proposals = bp_calloc((size_t)n + 1, sizeof *r->proposals);
  cJSON_ArrayForEach(item, proposals) {
    proposal p = {string_member(item, "household_id"),
                  string_member(item, "unit_id"),
                  string_member(item, "area_id"), 0};
    if (!p.household_id || !p.unit_id || !p.area_id) {
      bp_error(diag, path, 0, 0,
               "proposals: an entry without household_id, unit_id and area_id");
      continue;
    }
    r->proposals[r->n_proposals++] = p;
  }
  free(path);
  return diag->errors ? BP_INVALID : BP_OK;
}

static int is_table(const char *name) {
  size_t n = strlen(name);
  return n > 4 && strcmp(name + n - 4, ".csv") == 0 &&
         strcmp(name, BP_LEDGER_FILE) != 0;
}

static const bp_input_file *find_input(const bp_input_file *inputs, size_t n,
                                       const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(inputs[i].name, name) == 0)
      return &inputs[i];
  return NULL;
}

/* The run must have read the tables the case has now. */
static void check_same_tables(const run_record *r, const bp_case *k,
                              const char *out_dir, bp_diagnostics *diag) {
  char *path = bp_format("%s/proposals.json", out_dir);
  for (size_t i = 0; i < r->n_inputs; i++) {
    const bp_input_file *then = &r->inputs[i];
    if (!is_table(then->name))
      continue;
    const bp_input_file *now = find_input(k->inputs, k->n_inputs, then->name);
    if (!now)
      bp_error(diag, path, 0, 0,
               "the run read %s, which the case %s no longer has; run "
               "'boplace run' on the case as it is and accept those proposals",
               then->name, k->dir);
    else if (strcmp(now->sha256, then->sha256) != 0)
      bp_error(diag, path, 0, 0,
               "%s has changed since the run (SHA-256 %.12s... then, %.12s... "
               "now); run 'boplace run' on the case as it is and accept those "
               "proposals",
               then->name, then->sha256, now->sha256);
  }
  for (size_t i = 0; i < k->n_inputs; i++)
    if (is_table(k->inputs[i].name) &&
        !find_input(r->inputs, r->n_inputs, k->inputs[i].name))
      bp_error(diag, path, 0, 0,
               "the case has %s, which the run did not read; run 'boplace "
               "run' on the case as it is and accept those proposals",
               k->inputs[i].name);
  free(path);
}

/* Marks the proposals to accept: all, or those listed. */
static void select_proposals(run_record *r, const char *list,
                             const char *out_dir, bp_diagnostics *diag) {
  if (!list) {
    for (size_t i = 0; i < r->n_proposals; i++)
      r->proposals[i].selected = 1;
    return;
  }
  char *copy = bp_strdup(list);
  for (char *save = NULL, *id = strtok_r(copy, ",", &save); id;
       id = strtok_r(NULL, ",", &save)) {
    while (*id == ' ')
      id++;
    char *end = id + strlen(id);
    while (end > id && end[-1] == ' ')
      *--end = '\0';
    if (!*id)
      continue;
    int found = 0;
    for (size_t i = 0; i < r->n_proposals && !found; i++)
      if (strcmp(r->proposals[i].household_id, id) == 0) {
        r->proposals[i].selected = 1;
        found = 1;
      }
    if (found)
      continue;
    int unplaced = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, r->unplaced) {
      const char *hid = string_member(item, "household_id");
      if (hid && strcmp(hid, id) == 0)
        unplaced = 1;
    }
    bp_error(diag, NULL, 0, 0, "household '%s' %s in %s/proposals.json", id,
             unplaced ? "has no proposal (it is unplaced)" : "is not",
             out_dir);
  }
  free(copy);
}

int bp_command_accept(int argc, char **argv) {
  const char *out_dir = NULL, *case_dir = NULL, *list = NULL, *week = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(accept_help, stdout);
      return 0;
    } else if (strcmp(a, "--case") == 0) {
      if (!value)
        return usage("--case needs a CASE_DIR", NULL);
      case_dir = value;
      i++;
    } else if (strcmp(a, "--households") == 0) {
      if (!value)
        return usage("--households needs a list of ids: H01,H02,...", NULL);
      list = value;
      i++;
    } else if (strcmp(a, "--week") == 0) {
      if (!value || !bp_ledger_valid_week(value))
        return usage("--week takes an ISO week YYYY-Www, e.g. 2026-W45", NULL);
      week = value;
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
  if (!case_dir)
    return usage("needs --case CASE_DIR, the case the run was made from", NULL);

  bp_diagnostics diag = {0};
  run_record record;
  bp_case kase;
  memset(&kase, 0, sizeof kase);
  bp_ledger ledger;
  memset(&ledger, 0, sizeof ledger);
  bp_ledger_row *rows = NULL;
  size_t n_rows = 0, already = 0;
  int lock = -1;
  char run_sha[65];

  bp_status status = read_run(out_dir, &record, &diag);
  if (status == BP_OK)
    status = bp_read_case(case_dir, NULL, &kase, &diag);
  if (status == BP_OK) {
    check_same_tables(&record, &kase, out_dir, &diag);
    select_proposals(&record, list, out_dir, &diag);
    status = diag.errors ? BP_INVALID : BP_OK;
  }
  if (status == BP_OK) {
    lock = bp_ledger_lock(case_dir, &diag);
    status = lock < 0 ? BP_FAILURE : bp_ledger_read(case_dir, &ledger, &diag);
  }
  int batch = 0;
  if (status == BP_OK) {
    bp_run_fingerprint(record.inputs, record.n_inputs, run_sha);
    const char *recorded_week;
    batch = bp_ledger_batch_of_run(&ledger, run_sha, &recorded_week);
    if (batch == 0) {
      batch = ledger.last_batch + 1;
    } else if (week && (!recorded_week || strcmp(week, recorded_week) != 0)) {
      bp_error(&diag, NULL, 0, 0,
               "this run's earlier proposals were recorded %s%s; --week must "
               "agree (leave it out to use the same)",
               recorded_week ? "as week " : "without a week",
               recorded_week ? recorded_week : "");
    } else {
      week = recorded_week;
    }
  }
  if (status == BP_OK) {
    rows = bp_calloc(record.n_proposals + 1, sizeof *rows);
    for (size_t i = 0; i < record.n_proposals; i++) {
      const proposal *p = &record.proposals[i];
      if (!p->selected)
        continue;
      int h = bp_case_find_household(&kase, p->household_id);
      int u = bp_case_find_unit(&kase, p->unit_id);
      if (h < 0 || u < 0) {
        bp_error(&diag, NULL, 0, 0, "the proposal of household '%s' names %s "
                 "'%s', which is not in the case",
                 p->household_id, h < 0 ? "household" : "unit",
                 h < 0 ? p->household_id : p->unit_id);
        continue;
      }
      const bp_unit *unit = &kase.units[u];
      if (strcmp(kase.areas[unit->area].id, p->area_id) != 0) {
        bp_error(&diag, NULL, 0, 0,
                 "the proposal of household '%s' puts unit '%s' in area '%s', "
                 "but units.csv has it in '%s'",
                 p->household_id, p->unit_id, p->area_id,
                 kase.areas[unit->area].id);
        continue;
      }
      if (bp_ledger_find(&ledger, p->household_id, p->unit_id) >= 0) {
        already++;
        continue;
      }
      long latest = bp_ledger_latest(&ledger, p->household_id);
      if (latest >= 0 && ledger.rows[latest].kind != BP_UNIT_TRANSIT) {
        bp_error(&diag, BP_LEDGER_FILE, ledger.rows[latest].line, 0,
                 "household '%s' already has a permanent home, unit '%s'; its "
                 "proposal of unit '%s' cannot be accepted",
                 p->household_id, ledger.rows[latest].unit_id, p->unit_id);
        continue;
      }
      int occupants = bp_ledger_occupants(&ledger, p->unit_id);
      for (size_t r = 0; r < n_rows; r++)
        occupants += strcmp(rows[r].unit_id, p->unit_id) == 0;
      if (occupants >= unit->places) {
        bp_error(&diag, NULL, 0, 0,
                 "unit '%s' has %d place%s and %d %s taken already (%s); the "
                 "proposal of household '%s' cannot be accepted",
                 p->unit_id, unit->places, unit->places == 1 ? "" : "s",
                 occupants, occupants == 1 ? "is" : "are", BP_LEDGER_FILE,
                 p->household_id);
        continue;
      }
      const bp_household *hh = &kase.households[h];
      bp_ledger_row *row = &rows[n_rows++];
      row->batch = batch;
      row->week = (char *)week; /* not owned: freed with argv / the ledger */
      row->household_id = hh->id;
      row->unit_id = unit->id;
      row->area_id = kase.areas[unit->area].id;
      row->kind = unit->kind;
      row->adults = hh->adults;
      row->children_0_5 = hh->children_0_5;
      row->children_6_16 = hh->children_6_16;
      row->persons = bp_persons(hh);
      row->waiting_days = hh->waiting_days;
      memcpy(row->run_sha256, run_sha, 65);
    }
    status = diag.errors ? BP_INVALID : BP_OK;
  }
  if (status == BP_OK && n_rows > 0)
    status = bp_ledger_append(case_dir, &ledger, rows, n_rows, &diag);
  bp_ledger_unlock(lock);

  bp_diagnostics_sort(&diag);
  bp_diagnostics_print(&diag, stderr);
  if (status == BP_INVALID)
    fprintf(stderr, "boplace accept: %zu problem%s found; nothing was recorded.\n",
            diag.errors, diag.errors == 1 ? "" : "s");
  if (status == BP_OK && n_rows == 0) {
    printf("Nothing new to record: %zu proposal%s already in %s/%s.\n", already,
           already == 1 ? " is" : "s are", case_dir, BP_LEDGER_FILE);
  } else if (status == BP_OK) {
    size_t transit = 0;
    for (size_t r = 0; r < n_rows; r++)
      transit += rows[r].kind == BP_UNIT_TRANSIT;
    printf("Recorded %zu accepted proposal%s in %s/%s (batch %d%s%s): %zu "
           "permanent, %zu in transit housing",
           n_rows, n_rows == 1 ? "" : "s", case_dir, BP_LEDGER_FILE, batch,
           week ? ", week " : "", week ? week : "", n_rows - transit, transit);
    if (already)
      printf("; %zu already recorded", already);
    printf(".\nThe next run of %s leaves those households and units out.\n",
           case_dir);
  }
  free(rows);
  bp_ledger_free(&ledger);
  bp_case_free(&kase);
  run_record_free(&record);
  bp_diagnostics_free(&diag);
  return status;
}
