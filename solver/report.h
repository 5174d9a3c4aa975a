/**
 * @file report.h
 * @brief The spread report of a run: summary.json (for machines),
 *        report.html (for the council) and placements.geojson (for QGIS).
 *
 * One plain structure, bp_report, holds everything the three files show:
 * the run record, the spread indices, every area, school and daycare with
 * its share before and after against its cap, the stops and links for the
 * map, and the proposals and unplaced households with their reasons in both
 * languages.  It is built from a finished run (report_summary.c), written
 * as summary.json, and read back from summary.json by `boplace report`
 * (command_report.c).  The HTML renderer (report_html.c) and the GeoJSON
 * writer (report_geojson.c) only ever see a bp_report.
 *
 * So that `boplace report OUT_DIR` gives the very bytes `boplace run` wrote,
 * the run renders report.html from the bp_report it reads back from the
 * summary.json text it is about to write, not from the one it built: both
 * commands render the same structure from the same text.
 *
 * Nothing here names a person: households and units appear by their ids,
 * areas, schools, daycares and stops by the names in the input.
 */
#ifndef BOPLACE_REPORT_H
#define BOPLACE_REPORT_H

#include <stddef.h>

#include "boplace.h"
#include "buffer.h"
#include "report_indices.h"

/** The version of the summary.json layout; bumped on incompatible changes. */
#define BP_SUMMARY_FORMAT 1

/** The trips whose minutes the report carries, in this order. */
typedef enum {
  BP_TRIP_LANGUAGE_SCHOOL,
  BP_TRIP_SCHOOL,
  BP_TRIP_DAYCARE,
  BP_TRIP_JOB,
  BP_TRIP_HEALTH,
  BP_TRIP_COUNT
} bp_trip;

/** "language_school", "school", "daycare", "job", "health". */
const char *bp_trip_name(bp_trip trip);

typedef struct {
  char *id;
  char *name;
  double lat, lon; /**< NAN when not given */
} bp_report_stop;

typedef struct {
  char *id;
  char *name;
  int households, newcomers; /**< today */
  int placed;                /**< households this run places here */
  double share_before, share_after, cap;
  int vulnerable, partner;
  int *stops; size_t n_stops; /**< the stops of its units, indices into stops */
  double lat, lon;           /**< mean of those stops' coordinates; NAN = none */
} bp_report_area;

/** A school or a daycare. */
typedef struct {
  char *id;
  char *name;
  int stop;                  /**< index into stops, -1 = unknown */
  int enrolled, bilingual;   /**< today */
  int free_before;           /**< free seats or places today */
  int placed_children;       /**< children this run places there */
  double share_before, share_after, cap;
} bp_report_institution;

typedef struct {
  char *id;
  char *kind;
  char *name;
  int stop; /**< index into stops, -1 = unknown */
} bp_report_destination;

typedef struct {
  char *household_id;
  char *unit_id;
  int area;                   /**< index into areas */
  int stop;                   /**< the unit's stop, index into stops */
  char *kind;                 /**< public, private, senior, shared, transit */
  int persons, rooms;
  double rent, max_rent;
  double walk_minutes;
  double minutes[BP_TRIP_COUNT]; /**< to 0.1 min; NAN where it does not apply */
  int within_limits;
  char *reason[2];            /**< indexed by bp_language */
} bp_report_proposal;

typedef struct {
  char *household_id;
  char *reason_code;          /**< NO_ELIGIBLE_UNIT, OUTCOMPETED, ... */
  char *reason[2];
  char *nearest_miss[2];
} bp_report_unplaced;

typedef struct {
  char *file;
  char sha256[65];
} bp_report_input;

typedef struct {
  char *boplace_version;
  char *case_name;            /**< the last part of the case directory */
  char *case_dir;             /**< as given on the command line */
  char *policy_source;        /**< NULL = built in or CASE_DIR/policy.json */
  char fingerprint[65];       /**< SHA-256 over the inputs' names and hashes */
  bp_language language;       /**< of the run */
  bp_report_input *inputs; size_t n_inputs;
  /* The policy in force, as far as the report shows it. */
  double max_minutes[BP_TRIP_COUNT];
  double max_newcomer_share, max_bilingual_share;
  /* The solver. */
  char *solver_status;        /**< optimal, time_limit, infeasible, error */
  double objective, gap;      /**< NAN when unknown */
  /* Counts. */
  int households, units, places, housed, persons_housed, transit;
  int by_reason[5];           /**< NO_ELIGIBLE_UNIT .. LOCK, as bp_reason_code - 1 */
  bp_spread_indices indices;
  bp_report_area *areas; size_t n_areas;
  bp_report_institution *schools; size_t n_schools;
  bp_report_institution *daycares; size_t n_daycares;
  bp_report_stop *stops; size_t n_stops;
  int (*links)[2]; size_t n_links; /**< undirected, each pair once */
  bp_report_destination *destinations; size_t n_destinations;
  bp_report_proposal *proposals; size_t n_proposals; /**< by household id */
  bp_report_unplaced *unplaced; size_t n_unplaced;   /**< by household id */
} bp_report;

/** Builds the report of a finished, explained run.  The reasons in the
 *  run's other language are explained here. */
bp_status bp_report_of_run(const bp_run *run, bp_report *report,
                           bp_diagnostics *diag);
void bp_report_free(bp_report *report);

/** summary.json: the report as pretty-printed JSON text (caller frees). */
char *bp_report_summary_json(const bp_report *report);
/** Reads summary.json text back; `path` is for the messages.  Returns
 *  BP_INVALID with every problem recorded when the text is not a summary. */
bp_status bp_report_parse_summary(const char *text, size_t length,
                                  const char *path, bp_report *report,
                                  bp_diagnostics *diag);

/** report.html in the given language, appended to out. */
void bp_report_html(const bp_report *report, bp_language lang, bp_buffer *out);
/** Appends text with & < > " ' escaped for HTML text and attributes. */
void bp_html_escape(bp_buffer *out, const char *text);

/** placements.geojson: one Point feature per proposal (caller frees). */
char *bp_report_geojson(const bp_report *report);

/** The three files for the write stage's atomic batch. */
typedef struct {
  const char *name;
  char *data;
  size_t length;
} bp_report_file;

#define BP_REPORT_FILE_COUNT 3

/** summary.json, report.html (in the run's language) and
 *  placements.geojson of a finished, explained run. */
bp_status bp_report_files(const bp_run *run,
                          bp_report_file files[BP_REPORT_FILE_COUNT],
                          bp_diagnostics *diag);

#endif
