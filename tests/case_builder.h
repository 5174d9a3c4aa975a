/**
 * @file case_builder.h
 * @brief Builds small cases in C for the unit tests of derive and model,
 *        without going through files.
 *
 * The network is a line of stops S0 - S1 - ... with 10 minutes between
 * neighbours, both ways.  The language school and the clinic sit at S0.
 * Each area has its own school (and daycare) at the area's stop.  Tests add
 * units and households and then call finish() to get a case in the shape
 * the reader produces (sorted ids, resolved indices).
 */
#ifndef BOPLACE_CASE_BUILDER_H
#define BOPLACE_CASE_BUILDER_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "boplace.h"

static inline char *tb_id(const char *prefix, size_t i) {
  return bp_format("%s%02zu", prefix, i);
}

/* A case with n_stops stops in a line and n_areas areas, area a at stop a,
 * each with 1000 households of which `newcomers` are newcomers. */
static inline void tb_case(bp_case *k, int n_stops, int n_areas, int newcomers) {
  memset(k, 0, sizeof *k);
  bp_policy_defaults(&k->policy);
  k->dir = bp_strdup("test");
  k->n_stops = (size_t)n_stops;
  k->stops = bp_calloc(k->n_stops, sizeof *k->stops);
  for (size_t s = 0; s < k->n_stops; s++) {
    k->stops[s].id = tb_id("S", s);
    k->stops[s].name = tb_id("Stop ", s);
    k->stops[s].lat = k->stops[s].lon = NAN;
  }
  k->n_links = 2 * (k->n_stops - 1);
  k->links = bp_calloc(k->n_links + 1, sizeof *k->links);
  for (size_t s = 0; s + 1 < k->n_stops; s++) {
    k->links[2 * s] = (bp_link){(int)s, (int)s + 1, 10.0, {0}};
    k->links[2 * s + 1] = (bp_link){(int)s + 1, (int)s, 10.0, {0}};
  }
  k->n_destinations = 2;
  k->destinations = bp_calloc(2, sizeof *k->destinations);
  k->destinations[0] = (bp_destination){bp_strdup("D-health"), bp_strdup("health"),
                                        bp_strdup("Clinic"), 0, {0}};
  k->destinations[1] = (bp_destination){bp_strdup("D-lang"),
                                        bp_strdup("language_school"),
                                        bp_strdup("Language school"), 0, {0}};
  k->n_areas = k->n_schools = k->n_daycares = (size_t)n_areas;
  k->areas = bp_calloc(k->n_areas, sizeof *k->areas);
  k->schools = bp_calloc(k->n_schools, sizeof *k->schools);
  k->daycares = bp_calloc(k->n_daycares, sizeof *k->daycares);
  for (size_t a = 0; a < k->n_areas; a++) {
    k->areas[a] = (bp_area){tb_id("A", a), tb_id("Area ", a), 1000, newcomers,
                            (int)a, (int)a, NAN, 0, 0, {0}};
    k->schools[a] = (bp_institution){tb_id("SC", a), tb_id("School ", a),
                                     (int)a, 50, 500, 50, NAN, {0}};
    k->daycares[a] = (bp_institution){tb_id("DC", a), tb_id("Daycare ", a),
                                      (int)a, 20, 100, 10, NAN, {0}};
  }
}

static inline bp_unit *tb_unit(bp_case *k, int area, int rooms, double rent,
                               bp_unit_kind kind) {
  k->units = bp_realloc(k->units, (k->n_units + 1) * sizeof *k->units);
  bp_unit *u = &k->units[k->n_units];
  memset(u, 0, sizeof *u);
  u->id = tb_id("U", k->n_units);
  u->area = area;
  u->stop = area;
  u->rooms = rooms;
  u->rent = rent;
  u->kind = kind;
  u->places = 1;
  u->building_index = -1;
  k->n_units++;
  return u;
}

static inline bp_household *tb_household(bp_case *k, int adults, int c05,
                                         int c616, double max_rent,
                                         int waiting) {
  k->households = bp_realloc(k->households,
                             (k->n_households + 1) * sizeof *k->households);
  bp_household *h = &k->households[k->n_households];
  memset(h, 0, sizeof *h);
  h->id = tb_id("H", k->n_households);
  h->adults = adults;
  h->children_0_5 = c05;
  h->children_6_16 = c616;
  h->max_rent = max_rent;
  h->group = h->job_stop = h->preferred_area = h->ties_area = -1;
  h->waiting_days = waiting;
  k->n_households++;
  return h;
}

static inline void tb_lock(bp_case *k, int household, int unit,
                           bp_lock_action action) {
  k->locks = bp_realloc(k->locks, (k->n_locks + 1) * sizeof *k->locks);
  k->locks[k->n_locks++] = (bp_lock){household, unit, action, {0}};
}

/* Puts households into one group (all the given indices). */
static inline void tb_group(bp_case *k, const int *members, int n) {
  k->groups = bp_realloc(k->groups, (k->n_groups + 1) * sizeof *k->groups);
  bp_group *g = &k->groups[k->n_groups];
  g->id = tb_id("G", k->n_groups);
  g->members = bp_alloc((size_t)n * sizeof *g->members);
  memcpy(g->members, members, (size_t)n * sizeof *members);
  g->n_members = n;
  for (int i = 0; i < n; i++) {
    k->households[members[i]].group = (int)k->n_groups;
    k->households[members[i]].group_id = bp_strdup(g->id);
  }
  k->n_groups++;
}

static inline void tb_building(bp_case *k, const int *units, int n) {
  k->buildings = bp_realloc(k->buildings, (k->n_buildings + 1) * sizeof *k->buildings);
  k->buildings[k->n_buildings].name = tb_id("B", k->n_buildings);
  for (int i = 0; i < n; i++) {
    k->units[units[i]].building_index = (int)k->n_buildings;
    k->units[units[i]].building = tb_id("B", k->n_buildings);
  }
  k->n_buildings++;
}

#endif
