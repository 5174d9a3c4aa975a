/**
 * @file derive.h
 * @brief Internals of the derive stage shared by its two files and the
 *        tests: the transport network and its shortest paths.
 */
#ifndef BOPLACE_DERIVE_H
#define BOPLACE_DERIVE_H

#include "boplace.h"

/** The links reversed, in compressed rows: for stop s, the links arriving at
 *  s are [offset[s], offset[s+1]), each from stop from[k] in minutes[k]. */
typedef struct {
  size_t n_stops;
  size_t *offset;
  int *from;
  double *minutes;
} bp_network;

void bp_network_build(const bp_case *kase, bp_network *net);
void bp_network_free(bp_network *net);
/** minutes[s] = shortest minutes from stop s to the nearest of the targets
 *  (INFINITY where none can be reached). */
void bp_network_minutes_to(const bp_network *net, const int *targets,
                           size_t n_targets, double *minutes);
/** Per unit: minutes to language school, health care, school, daycare. */
bp_unit_travel *bp_derive_unit_travel(const bp_case *kase,
                                      const bp_network *net);
/** Per stop that is some household's job_stop: minutes from every stop. */
double **bp_derive_job_minutes(const bp_case *kase, const bp_network *net);

#endif
