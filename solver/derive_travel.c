/**
 * @file derive_travel.c
 * @brief Travel times over the public-transport network (SPEC.md: "Travel
 *        time from a unit to a stop = walk_minutes + shortest path").
 *
 * The rules ask for minutes from a unit's door to a few kinds of place: the
 * nearest language school, the nearest specialised clinic, the area's
 * school and daycare, a household's workplace.  There are far more units
 * than such places, so we run Dijkstra backwards from each place (over the
 * reversed links) once, and read every unit's minutes off the result.  "The
 * nearest member of a kind" is one multi-source run from all its members.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "derive.h"

void bp_network_build(const bp_case *kase, bp_network *net) {
  net->n_stops = kase->n_stops;
  net->offset = bp_calloc(kase->n_stops + 1, sizeof *net->offset);
  net->from = bp_alloc(kase->n_links * sizeof *net->from);
  net->minutes = bp_alloc(kase->n_links * sizeof *net->minutes);
  /* Reversed adjacency in compressed rows: for each stop, the links that
   * arrive there, so a search from a destination walks towards the units. */
  for (size_t i = 0; i < kase->n_links; i++)
    net->offset[kase->links[i].to_stop + 1]++;
  for (size_t s = 0; s < kase->n_stops; s++)
    net->offset[s + 1] += net->offset[s];
  size_t *fill = bp_alloc((kase->n_stops + 1) * sizeof *fill);
  memcpy(fill, net->offset, (kase->n_stops + 1) * sizeof *fill);
  for (size_t i = 0; i < kase->n_links; i++) {
    const bp_link *l = &kase->links[i];
    size_t at = fill[l->to_stop]++;
    net->from[at] = l->from_stop;
    net->minutes[at] = l->minutes;
  }
  free(fill);
}

void bp_network_free(bp_network *net) {
  free(net->offset);
  free(net->from);
  free(net->minutes);
  memset(net, 0, sizeof *net);
}

/* A binary heap of (minutes, stop) with lazy deletion: a stop may be pushed
 * more than once, and stale entries are skipped when popped. */
typedef struct {
  double minutes;
  int stop;
} heap_entry;

typedef struct {
  heap_entry *items;
  size_t count, capacity;
} heap;

static void heap_push(heap *h, double minutes, int stop) {
  if (h->count == h->capacity) {
    h->capacity = h->capacity ? 2 * h->capacity : 64;
    h->items = bp_realloc(h->items, h->capacity * sizeof *h->items);
  }
  size_t i = h->count++;
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    /* Ties broken by stop index, so the search order is reproducible. */
    if (h->items[parent].minutes < minutes ||
        (h->items[parent].minutes == minutes && h->items[parent].stop <= stop))
      break;
    h->items[i] = h->items[parent];
    i = parent;
  }
  h->items[i].minutes = minutes;
  h->items[i].stop = stop;
}

static heap_entry heap_pop(heap *h) {
  heap_entry top = h->items[0];
  heap_entry last = h->items[--h->count];
  size_t i = 0;
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= h->count)
      break;
    if (child + 1 < h->count &&
        (h->items[child + 1].minutes < h->items[child].minutes ||
         (h->items[child + 1].minutes == h->items[child].minutes &&
          h->items[child + 1].stop < h->items[child].stop)))
      child++;
    if (last.minutes < h->items[child].minutes ||
        (last.minutes == h->items[child].minutes &&
         last.stop <= h->items[child].stop))
      break;
    h->items[i] = h->items[child];
    i = child;
  }
  h->items[i] = last;
  return top;
}

void bp_network_minutes_to(const bp_network *net, const int *targets,
                           size_t n_targets, double *minutes) {
  for (size_t s = 0; s < net->n_stops; s++)
    minutes[s] = INFINITY;
  heap h = {0};
  for (size_t i = 0; i < n_targets; i++) {
    if (targets[i] < 0 || minutes[targets[i]] == 0.0)
      continue;
    minutes[targets[i]] = 0.0;
    heap_push(&h, 0.0, targets[i]);
  }
  while (h.count > 0) {
    heap_entry e = heap_pop(&h);
    if (e.minutes > minutes[e.stop])
      continue; /* stale */
    for (size_t k = net->offset[e.stop]; k < net->offset[e.stop + 1]; k++) {
      int next = net->from[k];
      double via = e.minutes + net->minutes[k];
      if (via < minutes[next]) {
        minutes[next] = via;
        heap_push(&h, via, next);
      }
    }
  }
  free(h.items);
}

/* Minutes from every stop to the nearest destination of one kind. */
static void minutes_to_kind(const bp_case *kase, const bp_network *net,
                            const char *kind, double *minutes) {
  int *targets = bp_alloc((kase->n_destinations + 1) * sizeof *targets);
  size_t n = 0;
  for (size_t i = 0; i < kase->n_destinations; i++)
    if (strcmp(kase->destinations[i].kind, kind) == 0)
      targets[n++] = kase->destinations[i].stop;
  bp_network_minutes_to(net, targets, n, minutes);
  free(targets);
}

/* For each institution, minutes from every stop to it; then each unit reads
 * the row of its area's institution.  Institutions at one stop share a run. */
static void unit_minutes_to_institutions(const bp_case *kase,
                                         const bp_network *net,
                                         const bp_institution *inst,
                                         size_t n_inst, int daycare,
                                         bp_unit_travel *travel) {
  double *minutes = bp_alloc((kase->n_stops ? kase->n_stops : 1) *
                             sizeof *minutes);
  for (size_t i = 0; i < n_inst; i++) {
    int target = inst[i].stop;
    bp_network_minutes_to(net, &target, 1, minutes);
    for (size_t u = 0; u < kase->n_units; u++) {
      const bp_area *a = &kase->areas[kase->units[u].area];
      int served = daycare ? a->daycare : a->school;
      if (served != (int)i)
        continue;
      double m = kase->units[u].walk_minutes + minutes[kase->units[u].stop];
      if (daycare)
        travel[u].daycare = m;
      else
        travel[u].school = m;
    }
  }
  free(minutes);
}

bp_unit_travel *bp_derive_unit_travel(const bp_case *kase,
                                      const bp_network *net) {
  bp_unit_travel *travel = bp_alloc((kase->n_units ? kase->n_units : 1) *
                                    sizeof *travel);
  double *language = bp_alloc((kase->n_stops ? kase->n_stops : 1) *
                              sizeof *language);
  double *health = bp_alloc((kase->n_stops ? kase->n_stops : 1) *
                            sizeof *health);
  minutes_to_kind(kase, net, "language_school", language);
  minutes_to_kind(kase, net, "health", health);
  for (size_t u = 0; u < kase->n_units; u++) {
    const bp_unit *unit = &kase->units[u];
    travel[u].language_school = unit->walk_minutes + language[unit->stop];
    travel[u].health = unit->walk_minutes + health[unit->stop];
    travel[u].school = INFINITY;
    travel[u].daycare = INFINITY; /* stays so when the area has no daycare */
  }
  free(language);
  free(health);
  unit_minutes_to_institutions(kase, net, kase->schools, kase->n_schools, 0,
                               travel);
  unit_minutes_to_institutions(kase, net, kase->daycares, kase->n_daycares, 1,
                               travel);
  return travel;
}

double **bp_derive_job_minutes(const bp_case *kase, const bp_network *net) {
  double **to_stop = bp_calloc(kase->n_stops ? kase->n_stops : 1,
                              sizeof *to_stop);
  double *minutes = bp_alloc((kase->n_stops ? kase->n_stops : 1) *
                             sizeof *minutes);
  for (size_t h = 0; h < kase->n_households; h++) {
    int job = kase->households[h].job_stop;
    if (job < 0 || to_stop[job])
      continue;
    bp_network_minutes_to(net, &job, 1, minutes);
    to_stop[job] = bp_alloc(kase->n_stops * sizeof **to_stop);
    for (size_t s = 0; s < kase->n_stops; s++)
      to_stop[job][s] = minutes[s];
  }
  free(minutes);
  return to_stop;
}
