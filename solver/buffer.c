/**
 * @file buffer.c
 * @brief A growable text buffer.
 */
#include "buffer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

static void reserve(bp_buffer *b, size_t extra) {
  if (b->length + extra + 1 <= b->capacity)
    return;
  size_t capacity = b->capacity ? b->capacity : 256;
  while (capacity < b->length + extra + 1)
    capacity *= 2;
  b->data = bp_realloc(b->data, capacity);
  b->capacity = capacity;
}

void bp_buffer_append_n(bp_buffer *b, const char *text, size_t length) {
  reserve(b, length);
  memcpy(b->data + b->length, text, length);
  b->length += length;
  b->data[b->length] = '\0';
}

void bp_buffer_append(bp_buffer *b, const char *text) {
  bp_buffer_append_n(b, text, strlen(text));
}

void bp_buffer_printf(bp_buffer *b, const char *format, ...) {
  va_list args;
  va_start(args, format);
  va_list copy;
  va_copy(copy, args);
  int length = vsnprintf(NULL, 0, format, copy);
  va_end(copy);
  if (length > 0) {
    reserve(b, (size_t)length);
    vsnprintf(b->data + b->length, (size_t)length + 1, format, args);
    b->length += (size_t)length;
  }
  va_end(args);
}

void bp_buffer_csv_field(bp_buffer *b, const char *text) {
  if (!text)
    return;
  if (!strpbrk(text, ",;\"\r\n")) {
    bp_buffer_append(b, text);
    return;
  }
  bp_buffer_append(b, "\"");
  for (const char *p = text; *p; p++) {
    if (*p == '"')
      bp_buffer_append(b, "\"\"");
    else
      bp_buffer_append_n(b, p, 1);
  }
  bp_buffer_append(b, "\"");
}

char *bp_buffer_take(bp_buffer *b) {
  char *data = b->data;
  if (!data)
    data = bp_strdup("");
  b->data = NULL;
  b->length = b->capacity = 0;
  return data;
}

void bp_buffer_free(bp_buffer *b) {
  free(b->data);
  b->data = NULL;
  b->length = b->capacity = 0;
}
