/**
 * @file ledger.h
 * @brief The history ledger, CASE_DIR/history.csv: every placement the
 *        coordinator has accepted, one row each, appended by `boplace
 *        accept` and read by every later run of the case.
 *
 * The ledger holds facts only: which household moved into which unit in
 * which area, with how many persons and children, after how many days of
 * waiting, in which batch (and, if the coordinator said so, which week),
 * and the fingerprint of the run that proposed it.  There is no clock in
 * it, so the same acceptances give the same bytes, and a later run that
 * reads it gives the same proposals every time.
 *
 * What a run does with it (bp_apply_ledger, called by bp_load right after
 * the case is read, before derive):
 *  - a household whose accepted unit is permanent is housed: it is left
 *    out, and so is the unit (for a shared unit, one place per household);
 *  - the area of a permanent placement gets one more household and one more
 *    newcomer household; its school gets children_6_16 more pupils, all
 *    bilingual, and as many fewer free seats; its daycare the same with
 *    children_0_5;
 *  - a household accepted into a transit unit still needs a permanent home:
 *    it stays in the case (if households.csv still lists it), the transit
 *    unit stays taken while it lives there, and the area counts do not move
 *    (temporary housing is not settlement).  When it is later accepted into
 *    a permanent unit, the transit place is free again.
 * areas.csv, schools.csv and daycares.csv are therefore read as the state
 * before the first row of the ledger (see data/README.md).
 *
 * Crash safety: accept never appends in place.  It writes the old bytes
 * followed by the new rows to a temporary file, fsyncs it and renames it
 * over history.csv (bp_write_file_atomically), under an exclusive lock on
 * the case directory, so a reader sees the old ledger or the new one and
 * never a torn last line.  A file that lacks its final line break (an
 * editor's doing) is read as it is and gets one before the next row.
 */
#ifndef BOPLACE_LEDGER_H
#define BOPLACE_LEDGER_H

#include "boplace.h"

/** The ledger's file name inside the case directory. */
#define BP_LEDGER_FILE "history.csv"

/** One accepted placement. */
typedef struct {
  int line;            /**< physical line in history.csv; 0 = not written yet */
  int batch;           /**< 1, 2, ...: the accepted runs in the order accepted */
  char *week;          /**< ISO week YYYY-Www as given to accept, or NULL */
  char *household_id;
  char *unit_id;
  char *area_id;
  bp_unit_kind kind;   /**< the unit's kind; transit = not yet a permanent home */
  int adults, children_0_5, children_6_16, persons;
  int waiting_days;    /**< days the household had waited when it was accepted */
  char run_sha256[65]; /**< bp_run_fingerprint() of the proposing run */
  int current;         /**< the household's latest row: where it lives now */
} bp_ledger_row;

typedef struct {
  int found;                   /**< history.csv exists */
  char sha256[65];             /**< of its bytes */
  char *text; size_t length;   /**< its bytes, kept for appending */
  char delimiter;              /**< of the file (',' unless re-saved) */
  char **header; size_t n_header; /**< its column names, in file order */
  int area_column;             /**< 1-based column of area_id, for messages */
  bp_ledger_row *rows; size_t n_rows; /**< in file order */
  int last_batch;              /**< the highest batch number, 0 = none */
  /* Indices sorted by household id, by unit id: rows of one id together,
   * in file order. */
  size_t *by_household, *by_unit;
} bp_ledger;

/** Reads CASE_DIR/history.csv.  A missing file is an empty ledger (found =
 *  0).  Checks every field, and across rows: one permanent home per
 *  household, nothing after it, and the same pair at most once (a repeat is
 *  a warning and is ignored).  Returns BP_INVALID with every problem
 *  recorded as history.csv:line:column. */
bp_status bp_ledger_read(const char *case_dir, bp_ledger *ledger,
                         bp_diagnostics *diag);
void bp_ledger_free(bp_ledger *ledger);

/** Whether text is an ISO week YYYY-Www (weeks 01-53). */
int bp_ledger_valid_week(const char *text);

/** The row of (household, unit), or -1. */
long bp_ledger_find(const bp_ledger *ledger, const char *household_id,
                    const char *unit_id);
/** The household's latest row (where it lives now), or -1. */
long bp_ledger_latest(const bp_ledger *ledger, const char *household_id);
/** Households living in the unit now (current rows). */
int bp_ledger_occupants(const bp_ledger *ledger, const char *unit_id);
/** The batch of the rows of a run, or 0 when the run has none. */
int bp_ledger_batch_of_run(const bp_ledger *ledger, const char *run_sha256,
                           const char **week);

/** Appends rows (their `line` is ignored) to CASE_DIR/history.csv, creating
 *  it with a header when missing, atomically.  The new rows follow the
 *  file's own column order and delimiter.  ledger is the state read under
 *  the same lock (bp_ledger_lock). */
bp_status bp_ledger_append(const char *case_dir, const bp_ledger *ledger,
                           const bp_ledger_row *rows, size_t n_rows,
                           bp_diagnostics *diag);

/** An exclusive lock on the case directory, so that two accepts cannot
 *  interleave their read and write.  Returns a descriptor to pass to
 *  bp_ledger_unlock, or -1 after recording an error. */
int bp_ledger_lock(const char *case_dir, bp_diagnostics *diag);
void bp_ledger_unlock(int fd);

/** The fingerprint of a run: SHA-256 over its input files, one line
 *  "name<TAB>sha256<LF>" each, in the order of the run record (sorted by
 *  name): the same as summary.json's case.fingerprint (data/OUTPUTS.md). */
void bp_run_fingerprint(const bp_input_file *inputs, size_t n_inputs,
                        char out[65]);

/** Applies CASE_DIR/history.csv to a case just read (see above), and adds
 *  history.csv to the case's inputs.  No history.csv: nothing changes. */
bp_status bp_apply_ledger(bp_case *kase, bp_diagnostics *diag);

#endif
