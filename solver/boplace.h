/**
 * @file boplace.h
 * @brief The domain types of boplace and the pipeline that connects them.
 *
 * boplace is a pipeline, and this header is its map:
 *
 *     read   (read_csv.c, read_case.c, read_policy.c)  case directory -> bp_case
 *     derive (derive_travel.c, derive_eligibility.c)  bp_case -> bp_derived
 *     model  (model_build.c)                          bp_derived -> GLPK problem
 *     solve  (solve.c)                                 -> bp_solution
 *     explain(explain.c)                               -> bp_explanation
 *     write  (write_output.c)                          -> proposals.csv, ...
 *
 * Data flows one way: a stage reads what earlier stages produced and never
 * changes it.  Everything a run needs hangs off one bp_run; there is no
 * global mutable state.
 *
 * Indices, not pointers, connect the tables: a unit's area is an index into
 * bp_case.areas.  -1 means "none" wherever a reference is optional.  After
 * reading, every table is sorted by its identifier, so that the order of
 * rows in the input files can never change the answer.
 *
 * One error convention (see status.h): every fallible call returns a
 * bp_status and records what went wrong, with file, line and column, in a
 * bp_diagnostics list; BP_CALL() propagates a failure in one line.
 */
#ifndef BOPLACE_H
#define BOPLACE_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* ------------------------------------------------------------------ */
/* The case: what the coordinator hands us (SPEC.md, "A case")        */
/* ------------------------------------------------------------------ */

/** Where a record came from, for messages that point at the input. */
typedef struct {
  int line; /**< 1-based physical line of the row in its file; 0 = none */
} bp_origin;

typedef struct {
  char *id;
  char *name;
  double lat, lon; /**< NAN when not given */
  bp_origin origin;
} bp_stop;

/** A directed link; a both-ways link in links.csv becomes two of these. */
typedef struct {
  int from_stop, to_stop;
  double minutes;
  bp_origin origin;
} bp_link;

typedef struct {
  char *id;
  char *name;
  int households;          /**< resident households today */
  int newcomer_households; /**< of those, already counted as newcomers */
  int school;              /**< district school, index into schools */
  int daycare;             /**< index into daycares, -1 = none */
  double max_newcomer_share; /**< NAN = policy default */
  int vulnerable;          /**< 0/1: on the national list */
  int partner;             /**< 0/1: a local council partners in settlement */
  bp_origin origin;
} bp_area;

typedef enum {
  BP_UNIT_PUBLIC,
  BP_UNIT_PRIVATE,
  BP_UNIT_SENIOR,
  BP_UNIT_SHARED,
  BP_UNIT_TRANSIT,
  BP_UNIT_KIND_COUNT
} bp_unit_kind;

typedef struct {
  char *id;
  int area;            /**< index into areas */
  int stop;            /**< index into stops */
  double walk_minutes; /**< door to stop */
  int rooms;
  double rent;         /**< DKK/month; per place for shared units */
  bp_unit_kind kind;
  int places;          /**< households the unit can take (1 unless shared) */
  int max_persons;     /**< 0 = no limit given */
  int step_free;
  char *building;      /**< NULL when not given */
  int building_index;  /**< index into bp_case.buildings, -1 when no building */
  char *landlord;      /**< NULL when not given */
  char *available_from;/**< YYYY-MM-DD or NULL */
  bp_origin origin;
} bp_unit;

/** A school (ages 6-16) or a daycare (ages 0-5): the same shape. */
typedef struct {
  char *id;
  char *name;
  int stop;            /**< index into stops */
  int free_seats;      /**< free_seats (schools) or free_places (daycares) */
  int enrolled;        /**< pupils or children */
  int bilingual;       /**< bilingual_pupils or bilingual_children */
  double max_bilingual_share; /**< NAN = policy default */
  bp_origin origin;
} bp_institution;

typedef struct {
  char *id;
  char *kind; /**< language_school, health, or any other word */
  char *name;
  int stop;
  bp_origin origin;
} bp_destination;

typedef struct {
  char *id;
  int adults;
  int children_0_5;
  int children_6_16;
  double max_rent;
  int step_free;
  int needs_health;
  char *language;      /**< NULL when not given */
  char *group_id;      /**< NULL when not given */
  int group;           /**< index into bp_case.groups, -1 when alone */
  int job_stop;        /**< index into stops, -1 = none */
  int preferred_area;  /**< index into areas, -1 = none */
  int ties_area;       /**< index into areas, -1 = none */
  int waiting_days;
  bp_origin origin;
} bp_household;

typedef enum { BP_LOCK_PLACE, BP_LOCK_FORBID } bp_lock_action;

typedef struct {
  int household, unit;
  bp_lock_action action;
  bp_origin origin;
} bp_lock;

typedef struct {
  int household, area;
  double score;
  bp_origin origin;
} bp_score;

/** Households that share a group_id: placed in one area, all or none. */
typedef struct {
  char *id;
  int *members; /**< indices into households, ascending */
  int n_members;
} bp_group;

typedef struct {
  char *name;
} bp_building;

typedef enum { BP_LANG_EN, BP_LANG_DA } bp_language;

/** The policy knobs of SPEC.md with the project's defaults (policy.c). */
typedef struct {
  double max_minutes_language_school;
  double max_minutes_school;
  double max_minutes_daycare;
  double max_minutes_job;
  double max_minutes_health;
  double max_newcomer_share;
  double max_bilingual_share;
  double persons_per_room;
  int extra_rooms;
  int max_new_per_building; /**< 0 = no limit */
  int min_cluster;          /**< 0 = off */
  int allow_vulnerable_areas;
  int allow_transit;
  /** Relative weights of the soft goals; see models/formulation.md. */
  struct {
    double spread;     /**< convex concentration penalty on shares */
    double near_cap;   /**< extra penalty on share above 80 % of a cap */
    double travel;     /**< per hour of travel to the places that matter */
    double rent;       /**< per unit of rent burden (rent / max_rent) */
    double preference; /**< bonus for the household's preferred area */
    double ties;       /**< bonus for the area where relatives live */
    double partner;    /**< bonus for a partner area */
    double score;      /**< times the outside score for (household, area) */
  } weights;
  double time_limit_s;
  double mip_gap;
  bp_language language;
} bp_policy;

/** The record of one input file, for the run record. */
typedef struct {
  char *name;       /**< file name within the case directory */
  char sha256[65];  /**< hex digest of the file's bytes */
} bp_input_file;

typedef struct {
  char *dir;
  bp_area *areas;               size_t n_areas;
  bp_unit *units;               size_t n_units;
  bp_institution *schools;      size_t n_schools;
  bp_institution *daycares;     size_t n_daycares;
  bp_stop *stops;               size_t n_stops;
  bp_link *links;               size_t n_links;
  bp_destination *destinations; size_t n_destinations;
  bp_household *households;     size_t n_households;
  bp_lock *locks;               size_t n_locks;
  bp_score *scores;             size_t n_scores;
  bp_group *groups;             size_t n_groups;
  bp_building *buildings;       size_t n_buildings;
  bp_input_file *inputs;        size_t n_inputs;
  bp_policy policy;
  char *policy_source;          /**< path of the policy file read, or NULL */
} bp_case;

/* ------------------------------------------------------------------ */
/* Derived: travel times and who may live where                        */
/* ------------------------------------------------------------------ */

/** The hard rules that concern one household and one unit alone. */
typedef enum {
  BP_RULE_PERSONS,         /**< persons <= max_persons */
  BP_RULE_ROOMS_MIN,       /**< rooms >= ceil(persons / persons_per_room) */
  BP_RULE_ROOMS_MAX,       /**< rooms <= persons + extra_rooms */
  BP_RULE_RENT,            /**< rent <= max_rent */
  BP_RULE_STEP_FREE,       /**< step-free need met */
  BP_RULE_SHARED_SINGLE,   /**< shared places only for one adult, no children */
  BP_RULE_LANGUAGE_SCHOOL, /**< travel to language school (households with adults) */
  BP_RULE_SCHOOL,          /**< travel to district school (children 6-16) */
  BP_RULE_DAYCARE,         /**< travel to area daycare (children 0-5) */
  BP_RULE_JOB,             /**< travel to job_stop */
  BP_RULE_HEALTH,          /**< travel to health care (needs_health) */
  BP_RULE_VULNERABLE,      /**< vulnerable areas only if allowed */
  BP_RULE_TRANSIT,         /**< transit units only if allowed */
  BP_RULE_SCHOOL_SEATS,    /**< the school has seats for all the children */
  BP_RULE_DAYCARE_PLACES,  /**< the daycare has places for all the children */
  BP_RULE_LOCK,            /**< not forbidden by a lock (and not locked elsewhere) */
  BP_RULE_COUNT
} bp_rule;

/** Minutes from a unit's door to what the rules care about; INFINITY = no path. */
typedef struct {
  double language_school;
  double health;
  double school;  /**< the area's district school */
  double daycare; /**< the area's daycare; INFINITY when the area has none */
} bp_unit_travel;

/** The figures of one (household, unit) pair: the minutes to what the
 *  rules care about and the pair's terms of the soft objective, as
 *  bp_check_pair() works them out.  Only explanation, output and reports
 *  need them, for the few pairs they name, so they are not stored per
 *  candidate: bp_candidate_figures() works them out again on demand, with
 *  the same function on the same inputs, hence the same doubles.  They
 *  stay doubles: they are written out at full precision. */
typedef struct {
  int household, unit;
  double minutes_language_school; /**< NAN where the rule does not apply */
  double minutes_school;
  double minutes_daycare;
  double minutes_job;
  double minutes_health;
  /** The pair's own share of the soft objective, by term (not weighted). */
  double travel_hours;   /**< sum of the relevant one-way minutes / 60 */
  double rent_burden;    /**< rent / max_rent */
  double score;          /**< outside score for (household, area), 0 if none */
  double pair_cost;      /**< weighted sum of the terms (to minimise) */
  unsigned char preferred;    /**< 0/1: unit lies in the preferred area */
  unsigned char ties;         /**< 0/1: unit lies in the ties area */
  unsigned char partner;      /**< 0/1: unit lies in a partner area */
  unsigned char locked_place; /**< 0/1: a lock says: place here */
} bp_pair_figures;

/** One eligible (household, unit) pair: a column of the model.
 *
 *  There is one per eligible pair (109 million on the benchmark's XL case,
 *  1.6 GiB at 16 bytes each), so it holds only what the model, the solver
 *  and the heuristics read for every pair; the rest of the pair's figures
 *  come from bp_candidate_figures() for the pairs that are written out.
 *  pair_cost is exactly bp_pair_figures.pair_cost. */
typedef struct {
  int household, unit;
  double pair_cost; /**< weighted sum of the pair's soft terms (to minimise) */
} bp_candidate;

typedef struct {
  bp_unit_travel *unit_travel; /**< per unit */
  /** All eligible pairs, sorted by household then unit. */
  bp_candidate *candidates; size_t n_candidates;
  /** candidates of household h are [first[h], first[h+1]). */
  size_t *first_candidate;
  /** Effective caps after policy defaults. */
  double *area_cap;    /**< per area */
  double *school_cap;  /**< per school */
  double *daycare_cap; /**< per daycare */
  /** Room under each cap (bp_share_room): most households an area may take,
   *  most bilingual children a school or daycare may take.  INT_MAX = none. */
  int *area_room;
  int *school_bilingual_room;
  int *daycare_bilingual_room;
  /** Per household: how many units pass every pairwise rule but the locks
   *  (so an empty candidate list can be told apart: no unit, or a lock). */
  int *eligible_ignoring_locks;
  /** Minutes from every stop to stop j, for the stops that are some
   *  household's job_stop; NULL for every other stop. */
  double **minutes_to_stop;
  size_t n_stops;
  /** Per household: the unit a `place` lock puts it in, -1 = none. */
  int *locked_unit;
  /** Per household: how many households it stands for, NULL = one each.
   *  Only the pool model's classes of households it cannot tell apart
   *  (model_pools.c) stand for more: their (C1) row then has that many
   *  places, and each pair's column takes up to that many. */
  int *household_count;
  /** `forbid` locks as sorted keys household * n_units + unit. */
  uint64_t *forbidden; size_t n_forbidden;
  /** Outside scores as sorted keys household * n_areas + area, with values. */
  uint64_t *score_keys; double *score_values; size_t n_score_keys;
} bp_derived;

/** Checks every pairwise rule (models/formulation.md §2) for household h and
 *  unit u.  Sets failed[r] = 1 for each rule r that fails and fills *figures
 *  with the pair's minutes and cost terms (NAN minutes where no rule applies,
 *  INFINITY where there is no path).  Returns the number of failed rules.
 *  Eligibility, explanation and the tests all use this one function. */
int bp_check_pair(const bp_case *kase, const bp_derived *derived, int h, int u,
                  bp_pair_figures *figures, unsigned char failed[BP_RULE_COUNT]);
/** The figures of candidate i (an index into derived->candidates), worked
 *  out again by bp_check_pair(): the same doubles it gave when deriving. */
void bp_candidate_figures(const bp_case *kase, const bp_derived *derived,
                          size_t i, bp_pair_figures *figures);
/** 1 when a `place` lock puts candidate i's household in its unit (C12). */
static inline int bp_candidate_locked(const bp_derived *derived, size_t i) {
  const bp_candidate *c = &derived->candidates[i];
  return derived->locked_unit[c->household] == c->unit;
}
/** The candidate of household h for unit u, or -1 when the pair is not
 *  eligible (a binary search: candidates are sorted by household, then
 *  unit). */
static inline int bp_candidate_of_pair(const bp_derived *derived, int h, int u) {
  size_t lo = derived->first_candidate[h], hi = derived->first_candidate[h + 1];
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int mu = derived->candidates[mid].unit;
    if (mu == u)
      return (int)mid;
    if (mu < u)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}
/** The rule's short name, as in proposals.json ("rooms_min", "rent", ...). */
const char *bp_rule_name(bp_rule rule);

/* ------------------------------------------------------------------ */
/* Solution and explanation                                            */
/* ------------------------------------------------------------------ */

typedef enum {
  BP_SOLVE_OPTIMAL,   /**< every tier proven optimal (within mip_gap) */
  BP_SOLVE_FEASIBLE,  /**< time limit or Ctrl-C: best found, gap reported */
  BP_SOLVE_HEURISTIC, /**< the hand method (greedy): feasible, nothing proven */
  BP_SOLVE_INFEASIBLE,/**< the locks cannot all be kept */
  BP_SOLVE_ERROR
} bp_solve_status;

/** The lexicographic tiers of the objective (models/formulation.md §4). */
typedef enum {
  BP_TIER_HOUSED,    /**< households housed */
  BP_TIER_WAITING,   /**< waiting days of those housed */
  BP_TIER_PERMANENT, /**< housed in permanent (non-transit) homes */
  BP_TIER_SOFT,      /**< spread, travel, rent, wishes, ... (minimised) */
  BP_TIER_COUNT
} bp_tier;

typedef struct {
  bp_solve_status status;
  int *candidate_of_household; /**< index into candidates, -1 = unplaced */
  double tier_value[BP_TIER_COUNT];
  double tier_bound[BP_TIER_COUNT];
  double gap;            /**< relative gap of the last tier solved */
  double seconds;        /**< wall time spent solving */
  int interrupted;       /**< stopped by bp_request_stop() (Ctrl-C) */
  int housed, housed_persons;
  int rows, columns, integer_columns; /**< size of the last model */
  /** Soft objective broken down by term (weighted), for the run record. */
  double soft_spread, soft_near_cap, soft_travel, soft_rent, soft_preference,
      soft_ties, soft_partner, soft_score;
} bp_solution;

typedef enum {
  BP_REASON_NONE,
  BP_REASON_NO_ELIGIBLE_UNIT,
  BP_REASON_OUTCOMPETED,
  BP_REASON_CAP_BINDING,
  BP_REASON_GROUP,
  BP_REASON_LOCK
} bp_reason_code;

/** What to say about one household; texts in the run's language. */
typedef struct {
  bp_reason_code code; /**< BP_REASON_NONE when placed */
  char *reason;        /**< one sentence a caseworker can read out */
  char *alternative;   /**< best alternative / nearest miss, a sentence */
  int alternative_unit;/**< index into units, -1 = none */
} bp_household_explanation;

typedef struct {
  bp_household_explanation *households; /**< per household */
} bp_explanation;

/* ------------------------------------------------------------------ */
/* A run                                                               */
/* ------------------------------------------------------------------ */

typedef struct {
  bp_case kase;
  bp_derived derived;
  bp_solution solution;
  bp_explanation explanation;
  bp_diagnostics diagnostics;
  /** When bp_load began (CLOCK_MONOTONIC, seconds): the time limit covers
   *  the run from there (bp_solve_and_explain).  0 = not timed, the solver
   *  gets the whole limit (compare loads every case before solving any). */
  double started;
  /** How long reading took (seconds): the solver's margin for explaining
   *  and writing is measured by it (bp_solver_seconds). */
  double read_seconds;
} bp_run;

/* Derived figures used by several stages. */
int bp_persons(const bp_household *h);
int bp_rooms_needed(const bp_household *h, const bp_policy *p);
int bp_rooms_allowed(const bp_household *h, const bp_policy *p);
int bp_is_single_adult(const bp_household *h);
/** count / total, or 0 when total is 0. */
double bp_share(int count, int total);
/** The share rule (models/formulation.md §3): may (count / total) grow by
 *  added_count / added_total and stay within max(cap, today's share)? */
int bp_share_allows(int count, int total, int added_count, int added_total,
                    double cap);
/** The largest k such that bp_share_allows(count, total, k, k, cap); INT_MAX
 *  when there is no such bound. */
int bp_share_room(int count, int total, double cap);

const char *bp_unit_kind_name(bp_unit_kind kind);
const char *bp_reason_code_name(bp_reason_code code);
/** The solver status as written in proposals.json and summary.json:
 *  optimal, time_limit, interrupted, heuristic, infeasible or error. */
const char *bp_solve_status_name(const bp_solution *solution);

/* The stages.  Each returns BP_OK or records diagnostics and fails. */
void bp_policy_defaults(bp_policy *policy);
bp_status bp_read_case(const char *dir, const char *policy_override,
                       bp_case *kase, bp_diagnostics *diag);
bp_status bp_read_policy(const char *path, bp_policy *policy,
                         bp_diagnostics *diag);
bp_status bp_derive(const bp_case *kase, bp_derived *derived,
                    bp_diagnostics *diag);
bp_status bp_solve(const bp_case *kase, const bp_derived *derived,
                   bp_solution *solution, bp_diagnostics *diag);
/** bp_solve with the solver's time given in seconds instead of the policy's
 *  time_limit_s (bp_solve_and_explain: what the run has left). */
bp_status bp_solve_within(const bp_case *kase, const bp_derived *derived,
                          bp_solution *solution, bp_diagnostics *diag,
                          double seconds);
bp_status bp_explain(const bp_case *kase, const bp_derived *derived,
                     const bp_solution *solution, bp_explanation *explanation,
                     bp_diagnostics *diag);
bp_status bp_write_outputs(const bp_run *run, const char *out_dir,
                           bp_diagnostics *diag);

/** What the command line may change about a case as it is loaded. */
typedef struct {
  const char *policy;  /**< policy file instead of CASE_DIR/policy.json */
  int language;        /**< -1 = the policy's */
  double time_limit_s; /**< <= 0 = the policy's */
} bp_load_options;

/** The pipeline (pipeline.c): read and derive; then solve and explain.
 *  Diagnostics collect in run->diagnostics; bp_run_free frees it all. */
bp_status bp_load(const char *case_dir, const bp_load_options *options,
                  bp_run *run);
bp_status bp_solve_and_explain(bp_run *run);
void bp_run_free(bp_run *run);
/** The solver's share of a run's time limit, when `spent` seconds have gone
 *  on reading and deriving, `read_seconds` of them on reading: the rest,
 *  less a margin for explaining and writing (pipeline.c says how it is
 *  measured), and never less than a tenth of the limit. */
double bp_solver_seconds(double limit, double spent, double read_seconds);

/** Seconds on a monotonic clock. */
double bp_clock_seconds(void);
/** With BOPLACE_TRACE=1, prints to stderr how long `stage` has taken since
 *  `started` (a bp_clock_seconds() reading); otherwise does nothing. */
void bp_trace_stage(const char *stage, double started);

/** Asks a running bp_solve() to stop and keep the best proposal found so
 *  far.  Async-signal-safe: main.c calls it on SIGINT. */
void bp_request_stop(void);

void bp_case_free(bp_case *kase);
void bp_derived_free(bp_derived *derived);
void bp_solution_free(bp_solution *solution);
void bp_explanation_free(bp_explanation *explanation, size_t n_households);

#endif
