/**
 * @file case_index.h
 * @brief The parts of the read stage (read_case.c) that a case edit
 *        (scenario.c) must redo after adding or removing households and
 *        units: lookup by id, the order of locks and scores, groups and
 *        buildings.
 *
 * A case read from disk and a case edited in memory must be the same
 * bp_case to every later stage; sharing these functions, rather than a
 * copy of them, keeps the two from drifting apart.  Internal to the
 * library; not part of boplace.h.
 */
#ifndef BOPLACE_CASE_INDEX_H
#define BOPLACE_CASE_INDEX_H

#include <stddef.h>

#include "boplace.h"

/* Index of id in records[0..n) of the given size, sorted by id (every
 * entity record begins with its char *id), or -1. */
int bp_case_index_of_id(const void *records, size_t size, size_t n,
                        const char *id);

/* Free the strings of one record (a bp_household or a bp_unit), not the
 * record itself. */
void bp_case_free_household(void *household);
void bp_case_free_unit(void *unit);

/* qsort orders of bp_lock (household, unit, action, line) and bp_score
 * (household, area, line): the order of kase->locks and kase->scores. */
int bp_case_compare_locks(const void *a, const void *b);
int bp_case_compare_scores(const void *a, const void *b);

/* Fill kase->groups (one per group_id, members ascending) and each
 * household's group; kase->groups must be empty. */
void bp_case_build_groups(bp_case *kase);

/* Fill kase->buildings (the distinct building names, sorted) and each
 * unit's building_index; kase->buildings must be empty. */
void bp_case_build_buildings(bp_case *kase);

#endif
