/**
 * @file output.h
 * @brief What the output files share: the order they list households in,
 *        how they write a number that may be missing, and how they print a
 *        JSON document.  Defined in write_output.c; internal.
 *
 * proposals.json (write_output.c), summary.json (report_summary.c) and
 * placements.geojson (report_geojson.c) are read by the same people and
 * the same scripts; one function each keeps them alike.
 */
#ifndef BOPLACE_OUTPUT_H
#define BOPLACE_OUTPUT_H

#include <cjson/cJSON.h>

#include "boplace.h"

/* Household indices in id order, newly allocated (n_households of them).
 * The reader sorts tables by id already; sorting again costs little and
 * makes the order the outputs' own promise. */
int *bp_households_by_id(const bp_case *kase);

/* key: v, or null where v is not finite (not applicable, or unknown). */
void bp_json_add_number(cJSON *object, const char *key, double v);

/* The document as indented text with a final newline, newly allocated;
 * "{}\n" should cJSON fail to print it. */
char *bp_json_print(const cJSON *root);

#endif
