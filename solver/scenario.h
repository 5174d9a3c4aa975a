/**
 * @file scenario.h
 * @brief What-if scenarios: changes against a case, read from a JSON file
 *        (data/SCENARIOS.md) and applied to a bp_case in memory, between the
 *        read stage and derive; and the in-memory case edit they share with
 *        the history ledger (ledger.h).
 *
 * A scenario states what a planner wants to try: policy overrides (a
 * preset file and/or single keys), an area's cap or counts, a school's or
 * daycare's seats or cap, units withdrawn or added, households withdrawn or
 * added ("40 families of five").  `boplace compare` reads every scenario
 * first (syntax, top-level keys), then for each one loads the case afresh,
 * applies it and derives, so that a scenario never leaks into the next.
 *
 * Every message about a scenario names its file with line and column, as
 * policy.json's messages do; an unknown key is a warning, a reference to an
 * id the case does not have is an error.
 */
#ifndef BOPLACE_SCENARIO_H
#define BOPLACE_SCENARIO_H

#include "boplace.h"

/* ------------------------------------------------------------------ */
/* Editing a case in memory                                            */
/* ------------------------------------------------------------------ */

/** Households and units to remove from a case, and new ones to add. */
typedef struct {
  /** Per household (n_households of the case before the edit): 1 = remove.
   *  NULL removes none. */
  const unsigned char *drop_households;
  /** Per unit: 1 = remove.  NULL removes none. */
  const unsigned char *drop_units;
  /** New records, complete and with their references resolved (area, stop,
   *  job_stop, ...); bp_case_edit takes over their strings and sets what it
   *  derives itself (group, building_index).  Their ids must not clash with
   *  each other or with a household or unit that stays (the caller checks). */
  bp_household *add_households; size_t n_add_households;
  bp_unit *add_units;           size_t n_add_units;
} bp_case_changes;

/** Applies the changes and restores every invariant of the read stage:
 *  households and units sorted by id, locks and scores remapped to the new
 *  indices (those that refer to a removed record are dropped; warn about
 *  them before calling), groups and buildings rebuilt.  Areas, stops,
 *  schools and daycares are untouched, so every index into them stays. */
void bp_case_edit(bp_case *kase, const bp_case_changes *changes);

/** Binary search by id in the sorted tables; -1 when absent. */
int bp_case_find_household(const bp_case *kase, const char *id);
int bp_case_find_unit(const bp_case *kase, const char *id);
int bp_case_find_area(const bp_case *kase, const char *id);

/** Records an input file (name and hash) in the case's list of inputs,
 *  keeping the list sorted by name; an entry of the same name is replaced. */
void bp_case_add_input(bp_case *kase, const char *name, const char *sha256);

/* ------------------------------------------------------------------ */
/* Scenario files                                                      */
/* ------------------------------------------------------------------ */

typedef struct bp_scenario bp_scenario;

/** Reads and checks a scenario file: valid UTF-8 JSON (syntax errors with
 *  line:column), an object, top-level keys known (an unknown key is a
 *  warning) and of the right type.  On success *scenario is set (free it
 *  with bp_scenario_free); on failure it is NULL. */
bp_status bp_scenario_read(const char *path, bp_scenario **scenario,
                           bp_diagnostics *diag);

/** Applies the scenario to a case just read (and after history.csv, see
 *  ledger.h), in this order: policy_file, policy, areas, schools,
 *  daycares, withdraw_units, withdraw_households, add_units,
 *  add_households.  Withdrawn ids must exist; added ids must be new (a
 *  withdrawn id may be added again: that replaces the record).  Errors
 *  name the scenario file; on error the case may be half changed and is
 *  only fit to be freed. */
bp_status bp_scenario_apply(const bp_scenario *scenario, bp_case *kase,
                            bp_diagnostics *diag);

/** The scenario's "name", or its file name without ".json". */
const char *bp_scenario_name(const bp_scenario *scenario);
/** The scenario's "description", or NULL. */
const char *bp_scenario_description(const bp_scenario *scenario);
/** The path the scenario was read from, as given. */
const char *bp_scenario_path(const bp_scenario *scenario);

void bp_scenario_free(bp_scenario *scenario);

#endif
