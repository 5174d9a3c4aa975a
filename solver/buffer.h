/**
 * @file buffer.h
 * @brief A growable text buffer, for building output files and sentences.
 *
 * Outputs are built whole in memory and then written atomically
 * (write_output.c), so a buffer is all a writer needs.
 */
#ifndef BOPLACE_BUFFER_H
#define BOPLACE_BUFFER_H

#include <stddef.h>

typedef struct {
  char *data; /**< always NUL-terminated once anything was appended */
  size_t length, capacity;
} bp_buffer;

void bp_buffer_append(bp_buffer *b, const char *text);
void bp_buffer_append_n(bp_buffer *b, const char *text, size_t length);
void bp_buffer_printf(bp_buffer *b, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/** Appends a CSV field, quoted per RFC 4180 when it needs to be. */
void bp_buffer_csv_field(bp_buffer *b, const char *text);
/** Takes the text out of the buffer; the caller frees it. */
char *bp_buffer_take(bp_buffer *b);
void bp_buffer_free(bp_buffer *b);

#endif
