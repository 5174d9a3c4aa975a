/**
 * @file json_text.h
 * @brief Walking JSON text that cJSON has accepted, to find where an item
 *        stands (white space, strings, the line and column of an offset),
 *        and how a found value is named in a message.
 *
 * cJSON keeps no positions, so the policy reader (read_policy.c), the
 * scenario reader (scenario.c) and the summary reader (report_summary.c)
 * each walk the text again to point their messages at a line and column.
 * They share these helpers, defined in read_policy.c, so that a column is
 * counted, and a wrong value named, the same way in every message.
 * Internal to the library.
 */
#ifndef BOPLACE_JSON_TEXT_H
#define BOPLACE_JSON_TEXT_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* The offset of the first byte at or after i in s[0..n) that is not JSON
 * white space. */
size_t bp_json_skip_space(const char *s, size_t n, size_t i);

/* i at an opening '"'; the offset just after the closing one, or n when
 * the string is not closed. */
size_t bp_json_skip_string(const char *s, size_t n, size_t i);

/* Line and column (in characters, 1-based) of a byte offset. */
void bp_json_line_column(const char *text, size_t offset, int *line,
                         int *column);

/* The value found, as a message shows it: a string quoted and cut at 40
 * bytes, a number with %g, true, false, null, "an array" or "an object". */
void bp_json_describe(const cJSON *item, char *out, size_t size);

#endif
