/**
 * @file status.h
 * @brief The one error convention of boplace: a status return plus messages
 *        that carry their location.
 *
 * Every fallible function returns a bp_status.  What went wrong is recorded in
 * a bp_diagnostics list as "file:line:column: message", so that a run can
 * report every problem in the input at once rather than only the first.
 * BP_CALL() propagates a failure in one line, as SCIP_CALL does.
 *
 * The status values are the process exit codes of SPEC.md.
 */
#ifndef BOPLACE_STATUS_H
#define BOPLACE_STATUS_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
  BP_OK = 0,      /**< done; unplaced households are a result, not an error */
  BP_USAGE = 1,   /**< wrong usage of the command line */
  BP_INVALID = 2, /**< the input is invalid; nothing written */
  BP_FAILURE = 3  /**< internal or solver failure; nothing half-written */
} bp_status;

typedef enum { BP_SEVERITY_ERROR, BP_SEVERITY_WARNING } bp_severity;

typedef struct {
  bp_severity severity;
  char *file;   /**< NULL when the message is about no file */
  int line;     /**< 1-based; 0 = whole file */
  int column;   /**< 1-based field number in CSV, character in JSON; 0 = none */
  char *message;
} bp_diagnostic;

typedef struct {
  bp_diagnostic *items;
  size_t count, capacity;
  size_t errors, warnings;
} bp_diagnostics;

#define BP_CALL(expr)                                                          \
  do {                                                                         \
    bp_status bp_call_status_ = (expr);                                        \
    if (bp_call_status_ != BP_OK)                                              \
      return bp_call_status_;                                                  \
  } while (0)

/** Records an error at file:line:column.  file may be NULL. */
void bp_error(bp_diagnostics *diag, const char *file, int line, int column,
              const char *format, ...) __attribute__((format(printf, 5, 6)));
void bp_warning(bp_diagnostics *diag, const char *file, int line, int column,
                const char *format, ...) __attribute__((format(printf, 5, 6)));

/** Sorts the messages by file, line and column, so that the report reads in
 *  input order whatever order the checks ran in. */
void bp_diagnostics_sort(bp_diagnostics *diag);
/** Prints every message, "file:line:column: error: message", one a line. */
void bp_diagnostics_print(const bp_diagnostics *diag, FILE *out);
void bp_diagnostics_free(bp_diagnostics *diag);

/** Allocation that never returns NULL: out of memory aborts with a message,
 *  since no run can go on without memory and every caller would do the same. */
#define BP_NONNULL __attribute__((returns_nonnull))
void *bp_alloc(size_t size) BP_NONNULL;
void *bp_calloc(size_t count, size_t size) BP_NONNULL;
void *bp_realloc(void *ptr, size_t size) BP_NONNULL;
char *bp_strdup(const char *text) BP_NONNULL;
char *bp_strndup(const char *text, size_t length) BP_NONNULL;
/** printf into a freshly allocated string. */
char *bp_format(const char *format, ...) BP_NONNULL
    __attribute__((format(printf, 1, 2)));

#endif
