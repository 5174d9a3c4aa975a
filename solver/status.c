/**
 * @file status.c
 * @brief Diagnostics (the one error convention) and allocation helpers.
 */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
  fputs("boplace: out of memory\n", stderr);
  exit(3);
}

void *bp_alloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *bp_calloc(size_t count, size_t size) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *bp_realloc(void *ptr, size_t size) {
  void *p = realloc(ptr, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

char *bp_strndup(const char *text, size_t length) {
  char *copy = bp_alloc(length + 1);
  memcpy(copy, text, length);
  copy[length] = '\0';
  return copy;
}

char *bp_strdup(const char *text) { return bp_strndup(text, strlen(text)); }

static char *vformat(const char *format, va_list args) {
  if (!format) /* never passed, but GCC cannot see that through inlining */
    format = "";
  va_list copy;
  va_copy(copy, args);
  int length = vsnprintf(NULL, 0, format, copy);
  va_end(copy);
  if (length < 0)
    length = 0;
  char *text = bp_alloc((size_t)length + 1);
  vsnprintf(text, (size_t)length + 1, format, args);
  return text;
}

char *bp_format(const char *format, ...) {
  va_list args;
  va_start(args, format);
  char *text = vformat(format, args);
  va_end(args);
  return text;
}

static void record(bp_diagnostics *diag, bp_severity severity, const char *file,
                   int line, int column, const char *format, va_list args) {
  if (diag->count == diag->capacity) {
    diag->capacity = diag->capacity ? 2 * diag->capacity : 16;
    diag->items = bp_realloc(diag->items, diag->capacity * sizeof *diag->items);
  }
  bp_diagnostic *d = &diag->items[diag->count++];
  d->severity = severity;
  d->file = file ? bp_strdup(file) : NULL;
  d->line = line;
  d->column = column;
  d->message = vformat(format, args);
  if (severity == BP_SEVERITY_ERROR)
    diag->errors++;
  else
    diag->warnings++;
}

void bp_error(bp_diagnostics *diag, const char *file, int line, int column,
              const char *format, ...) {
  va_list args;
  va_start(args, format);
  record(diag, BP_SEVERITY_ERROR, file, line, column, format, args);
  va_end(args);
}

void bp_warning(bp_diagnostics *diag, const char *file, int line, int column,
                const char *format, ...) {
  va_list args;
  va_start(args, format);
  record(diag, BP_SEVERITY_WARNING, file, line, column, format, args);
  va_end(args);
}

static int compare_diagnostics(const void *a, const void *b) {
  const bp_diagnostic *x = a, *y = b;
  /* Messages about no file come last; they are usually consequences. */
  if (!x->file != !y->file)
    return x->file ? -1 : 1;
  if (x->file) {
    int c = strcmp(x->file, y->file);
    if (c)
      return c;
  }
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  return strcmp(x->message, y->message);
}

void bp_diagnostics_sort(bp_diagnostics *diag) {
  if (diag->count > 1)
    qsort(diag->items, diag->count, sizeof *diag->items, compare_diagnostics);
}

void bp_diagnostics_print(const bp_diagnostics *diag, FILE *out) {
  for (size_t i = 0; i < diag->count; i++) {
    const bp_diagnostic *d = &diag->items[i];
    const char *kind = d->severity == BP_SEVERITY_ERROR ? "error" : "warning";
    if (d->file && d->line > 0)
      fprintf(out, "%s:%d:%d: %s: %s\n", d->file, d->line, d->column, kind,
              d->message);
    else if (d->file)
      fprintf(out, "%s: %s: %s\n", d->file, kind, d->message);
    else
      fprintf(out, "boplace: %s: %s\n", kind, d->message);
  }
}

void bp_diagnostics_free(bp_diagnostics *diag) {
  for (size_t i = 0; i < diag->count; i++) {
    free(diag->items[i].file);
    free(diag->items[i].message);
  }
  free(diag->items);
  memset(diag, 0, sizeof *diag);
}
