/**
 * @file model_pools.c
 * @brief The pools of homes by area, and giving the households the pools
 *        placed their real units (models/formulation.md §9).
 *
 * See pools.h for why the pool model bounds the full one and when its
 * optimum is the full optimum.  Everything here is combinatorial: the pool
 * case is built once, and the units are given by a min-cost flow per area,
 * whose minimum cut, when the area falls short, is the Hall inequality the
 * pool model must learn.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pools.h"

int bp_pools_of_unit(const bp_case *kase, int u) {
  const bp_unit *unit = &kase->units[u];
  return 2 * unit->area + (unit->kind == BP_UNIT_TRANSIT);
}

/* The places a pool can give: every unit's places, but no more per
 * building than max_new_per_building ((C8) within the pool). */
static void pool_places(const bp_case *kase, bp_unit *pools) {
  int limit = kase->policy.max_new_per_building;
  size_t nu = kase->n_units, nb = kase->n_buildings;
  /* Units by building (counting sort), then each building's pools summed. */
  size_t *start = bp_calloc(nb + 2, sizeof *start);
  for (size_t u = 0; u < nu; u++) {
    int b = kase->units[u].building_index;
    if (b < 0 || limit <= 0)
      pools[bp_pools_of_unit(kase, (int)u)].places += kase->units[u].places;
    else
      start[b + 2]++;
  }
  for (size_t b = 0; b < nb; b++)
    start[b + 2] += start[b + 1];
  int *order = bp_alloc((nu + 1) * sizeof *order);
  for (size_t u = 0; u < nu; u++) {
    int b = kase->units[u].building_index;
    if (b >= 0 && limit > 0)
      order[start[b + 1]++] = (int)u;
  }
  for (size_t b = 0; b < nb; b++) {
    /* A building's units lie in one or two pools, rarely more: a short
     * list of (pool, places) is enough. */
    for (size_t k = start[b]; k < start[b + 1]; k++) {
      int p = bp_pools_of_unit(kase, order[k]);
      int places = 0, first = 1;
      for (size_t j = start[b]; j < start[b + 1]; j++) {
        if (bp_pools_of_unit(kase, order[j]) != p)
          continue;
        if (j < k) { /* this pool was summed at an earlier unit */
          first = 0;
          break;
        }
        places += kase->units[order[j]].places;
      }
      if (first)
        pools[p].places += places < limit ? places : limit;
    }
  }
  free(start);
  free(order);
}

/* Blocks of areas tied by buildings (union-find on the areas). */
static int root(int *parent, int a) {
  while (parent[a] != a)
    a = parent[a] = parent[parent[a]];
  return a;
}

static void area_blocks(const bp_case *kase, bp_pools *out) {
  size_t na = kase->n_areas;
  int *parent = bp_alloc((na + 1) * sizeof *parent);
  int *area_of_building = bp_alloc((kase->n_buildings + 1) * sizeof *area_of_building);
  for (size_t a = 0; a < na; a++)
    parent[a] = (int)a;
  for (size_t b = 0; b < kase->n_buildings; b++)
    area_of_building[b] = -1;
  for (size_t u = 0; u < kase->n_units; u++) {
    int b = kase->units[u].building_index, a = kase->units[u].area;
    if (b < 0)
      continue;
    if (area_of_building[b] < 0)
      area_of_building[b] = a;
    else
      parent[root(parent, a)] = root(parent, area_of_building[b]);
  }
  out->block_of_area = bp_alloc((na + 1) * sizeof *out->block_of_area);
  int *block_of_root = bp_alloc((na + 1) * sizeof *block_of_root);
  for (size_t a = 0; a < na; a++)
    block_of_root[a] = -1;
  out->n_blocks = 0;
  for (size_t a = 0; a < na; a++) {
    int r = root(parent, (int)a);
    if (block_of_root[r] < 0)
      block_of_root[r] = (int)out->n_blocks++;
    out->block_of_area[a] = block_of_root[r];
  }
  free(parent);
  free(area_of_building);
  free(block_of_root);
}

void bp_pools_build(const bp_case *kase, const bp_derived *d, bp_pools *out) {
  memset(out, 0, sizeof *out);
  size_t na = kase->n_areas, nh = kase->n_households;
  out->n_pools = 2 * na;
  bp_unit *pools = bp_calloc(out->n_pools + 1, sizeof *pools);
  for (size_t p = 0; p < out->n_pools; p++) {
    pools[p].area = (int)(p / 2);
    pools[p].kind = p % 2 ? BP_UNIT_TRANSIT : BP_UNIT_PUBLIC;
    pools[p].building_index = -1;
    pools[p].stop = -1;
  }
  pool_places(kase, pools);
  area_blocks(kase, out);

  out->kase = *kase;
  out->kase.units = pools;
  out->kase.n_units = out->n_pools;
  out->kase.buildings = NULL;
  out->kase.n_buildings = 0;
  out->kase.locks = NULL;
  out->kase.n_locks = 0;

  /* The pool pairs, by household then pool, as the real ones are by
   * household then unit. */
  bp_derived *pd = &out->derived;
  *pd = *d;
  pd->unit_travel = NULL;
  pd->minutes_to_stop = NULL;
  pd->n_stops = 0;
  pd->forbidden = NULL;
  pd->n_forbidden = 0;
  pd->score_keys = NULL;
  pd->score_values = NULL;
  pd->n_score_keys = 0;
  pd->first_candidate = bp_alloc((nh + 1) * sizeof *pd->first_candidate);
  /* A place lock puts its household in the locked unit's pool: the
   * pool pair there is the locked one (the real one is its only pair). */
  pd->locked_unit = bp_alloc((nh + 1) * sizeof *pd->locked_unit);
  size_t capacity = nh + 16, n = 0;
  pd->candidates = bp_alloc(capacity * sizeof *pd->candidates);
  double *cheapest = bp_alloc((out->n_pools + 1) * sizeof *cheapest);
  unsigned char *seen = bp_calloc(out->n_pools + 1, 1);
  for (size_t h = 0; h < nh; h++) {
    pd->first_candidate[h] = n;
    pd->locked_unit[h] = d->locked_unit[h] >= 0
                             ? bp_pools_of_unit(kase, d->locked_unit[h])
                             : -1;
    for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
      const bp_candidate *c = &d->candidates[i];
      int p = bp_pools_of_unit(kase, c->unit);
      if (!seen[p] || c->pair_cost < cheapest[p])
        cheapest[p] = c->pair_cost;
      seen[p] = 1;
    }
    /* Pools in ascending order: a household has few, so scanning all of
     * them would cost more than it saves only on a weekly case. */
    for (size_t p = 0; p < out->n_pools; p++) {
      if (!seen[p])
        continue;
      seen[p] = 0;
      if (n == capacity) {
        capacity *= 2;
        pd->candidates = bp_realloc(pd->candidates, capacity * sizeof *pd->candidates);
      }
      bp_candidate *c = &pd->candidates[n++];
      memset(c, 0, sizeof *c);
      c->household = (int)h;
      c->unit = (int)p;
      c->pair_cost = cheapest[p];
    }
  }
  pd->first_candidate[nh] = n;
  pd->n_candidates = n;
  out->pool_first = bp_calloc(out->n_pools + 2, sizeof *out->pool_first);
  for (size_t i = 0; i < n; i++)
    out->pool_first[pd->candidates[i].unit + 2]++;
  for (size_t p = 0; p < out->n_pools; p++)
    out->pool_first[p + 2] += out->pool_first[p + 1];
  out->pool_pairs = bp_alloc((n + 1) * sizeof *out->pool_pairs);
  for (size_t i = 0; i < n; i++)
    out->pool_pairs[out->pool_first[pd->candidates[i].unit + 1]++] = i;
  out->unit_first = bp_calloc(out->n_pools + 2, sizeof *out->unit_first);
  for (size_t u = 0; u < kase->n_units; u++)
    out->unit_first[bp_pools_of_unit(kase, (int)u) + 2]++;
  for (size_t p = 0; p < out->n_pools; p++)
    out->unit_first[p + 2] += out->unit_first[p + 1];
  out->pool_units = bp_alloc((kase->n_units + 1) * sizeof *out->pool_units);
  for (size_t u = 0; u < kase->n_units; u++)
    out->pool_units[out->unit_first[bp_pools_of_unit(kase, (int)u) + 1]++] = (int)u;
  free(cheapest);
  free(seen);
}

void bp_pools_free(bp_pools *pools) {
  free(pools->kase.units);
  free(pools->derived.candidates);
  free(pools->derived.first_candidate);
  free(pools->derived.locked_unit);
  free(pools->block_of_area);
  free(pools->pool_first);
  free(pools->pool_pairs);
  free(pools->unit_first);
  free(pools->pool_units);
  memset(pools, 0, sizeof *pools);
}

void bp_pools_from_units(const bp_pools *pools, const bp_case *kase,
                         const bp_derived *d, const int *real, int *pooled) {
  const bp_derived *pd = &pools->derived;
  for (size_t h = 0; h < kase->n_households; h++) {
    pooled[h] = -1;
    if (real[h] < 0)
      continue;
    int p = bp_pools_of_unit(kase, d->candidates[real[h]].unit);
    for (size_t i = pd->first_candidate[h]; i < pd->first_candidate[h + 1]; i++)
      if (pd->candidates[i].unit == p)
        pooled[h] = (int)i;
  }
}

/* ------------------------------------------------------------------ */
/* Flows, one block of areas at a time                                 */
/* ------------------------------------------------------------------ */

/* Source -> pool pair (its supply: 1, or its LP value) -> each real unit
 * of the pool the household may have (1, the pair's cost) -> building
 * (the unit's places) -> sink (max_new_per_building), or unit -> sink
 * (places) for a unit outside any limited building.  Edges come in pairs:
 * e and e ^ 1 is its reverse. */
typedef struct {
  int to;
  double cap, cost;
  int pair; /* pair -> unit edges: the real candidate, else -1 */
} edge;

typedef struct {
  edge *edges;
  size_t n_edges, edge_capacity;
  int *first, *next; /* adjacency: first[node], next[edge] */
  int n_nodes, node_capacity;
  /* The node of each real unit and building in this area's network, -1
   * when none; the touched ones are listed so that resetting costs only
   * what the area used. */
  int *unit_node, *building_node;
  int *touched_units, *touched_buildings;
  int n_touched_units, n_touched_buildings;
  /* Scratch for the path search, sized to the largest area. */
  double *dist;
  int *via, *queue;
  unsigned char *mark;
  int scratch_nodes;
} network;

enum { SOURCE = 0, SINK = 1 };

/* Subtracted from a place-locked pair's cost in the flow. */
#define LOCKED_FIRST 1e6

/* Below this a residual capacity is spent (LP values carry rounding). */
#define SPENT 1e-9

static int add_node(network *g) {
  if (g->n_nodes == g->node_capacity) {
    g->node_capacity = 2 * g->node_capacity + 64;
    g->first = bp_realloc(g->first, (size_t)g->node_capacity * sizeof *g->first);
  }
  g->first[g->n_nodes] = -1;
  return g->n_nodes++;
}

static void add_edge(network *g, int from, int to, double cap, double cost, int pair) {
  if (g->n_edges + 2 > g->edge_capacity) {
    g->edge_capacity = 2 * g->edge_capacity + 256;
    g->edges = bp_realloc(g->edges, g->edge_capacity * sizeof *g->edges);
    g->next = bp_realloc(g->next, g->edge_capacity * sizeof *g->next);
  }
  size_t e = g->n_edges;
  g->edges[e] = (edge){to, cap, cost, pair};
  g->next[e] = g->first[from];
  g->first[from] = (int)e;
  g->edges[e + 1] = (edge){from, 0.0, -cost, -1};
  g->next[e + 1] = g->first[to];
  g->first[to] = (int)e + 1;
  g->n_edges += 2;
}

static void network_start(network *g, const bp_case *kase) {
  memset(g, 0, sizeof *g);
  g->unit_node = bp_alloc((kase->n_units + 1) * sizeof *g->unit_node);
  g->building_node = bp_alloc((kase->n_buildings + 1) * sizeof *g->building_node);
  g->touched_units = bp_alloc((kase->n_units + 1) * sizeof *g->touched_units);
  g->touched_buildings = bp_alloc((kase->n_buildings + 1) * sizeof *g->touched_buildings);
  for (size_t u = 0; u < kase->n_units; u++)
    g->unit_node[u] = -1;
  for (size_t b = 0; b < kase->n_buildings; b++)
    g->building_node[b] = -1;
}

static void network_free(network *g) {
  free(g->edges);
  free(g->first);
  free(g->next);
  free(g->unit_node);
  free(g->building_node);
  free(g->touched_units);
  free(g->touched_buildings);
  free(g->dist);
  free(g->via);
  free(g->queue);
  free(g->mark);
}

/* The network of one block for the pool pairs listed (all in it),
 * pair k's node being 2 + k. */
static void build_block(network *g, const bp_pools *pools, const bp_case *kase,
                       const bp_derived *d, const size_t *pairs,
                       const double *supply, size_t n) {
  int limit = kase->policy.max_new_per_building;
  for (int k = 0; k < g->n_touched_units; k++)
    g->unit_node[g->touched_units[k]] = -1;
  for (int k = 0; k < g->n_touched_buildings; k++)
    g->building_node[g->touched_buildings[k]] = -1;
  g->n_touched_units = g->n_touched_buildings = 0;
  g->n_nodes = 0;
  g->n_edges = 0;
  add_node(g); /* SOURCE */
  add_node(g); /* SINK */
  for (size_t k = 0; k < n; k++)
    add_edge(g, SOURCE, add_node(g), supply ? supply[k] : 1.0, 0.0, -1);
  for (size_t k = 0; k < n; k++) {
    const bp_candidate *pair = &pools->derived.candidates[pairs[k]];
    int h = pair->household;
    for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
      int u = d->candidates[i].unit;
      if (bp_pools_of_unit(kase, u) != pair->unit)
        continue;
      if (g->unit_node[u] < 0) {
        g->unit_node[u] = add_node(g);
        g->touched_units[g->n_touched_units++] = u;
        int b = kase->units[u].building_index;
        if (b >= 0 && limit > 0) {
          if (g->building_node[b] < 0) {
            g->building_node[b] = add_node(g);
            g->touched_buildings[g->n_touched_buildings++] = b;
            add_edge(g, g->building_node[b], SINK, limit, 0.0, -1);
          }
          add_edge(g, g->unit_node[u], g->building_node[b], kase->units[u].places, 0.0, -1);
        } else {
          add_edge(g, g->unit_node[u], SINK, kase->units[u].places, 0.0, -1);
        }
      }
      /* A place-locked household must get its unit: far cheaper than any
       * other, it is housed first, and successive shortest paths never
       * take a household's unit back once given. */
      double cost = d->candidates[i].pair_cost - (d->locked_unit[h] == u ? LOCKED_FIRST : 0.0);
      add_edge(g, 2 + (int)k, g->unit_node[u], 1.0, cost, (int)i);
    }
  }
  if (g->n_nodes > g->scratch_nodes) {
    g->scratch_nodes = g->n_nodes;
    g->dist = bp_realloc(g->dist, (size_t)g->scratch_nodes * sizeof *g->dist);
    g->via = bp_realloc(g->via, (size_t)g->scratch_nodes * sizeof *g->via);
    g->queue = bp_realloc(g->queue, (size_t)g->scratch_nodes * sizeof *g->queue);
    g->mark = bp_realloc(g->mark, (size_t)g->scratch_nodes);
  }
}

/* Shortest path from the source in the residual network, by the edges'
 * costs (by_cost) or by their number (Edmonds-Karp), with a queue-based
 * Bellman-Ford: the costs may be negative, and the graphs are small.
 * Fills via[node] with the edge used to reach it; returns whether the sink
 * is reached. */
static int shortest_path(network *g, int by_cost) {
  int n = g->n_nodes;
  for (int v = 0; v < n; v++) {
    g->dist[v] = INFINITY;
    g->via[v] = -1;
    g->mark[v] = 0;
  }
  int head = 0, tail = 0;
  g->dist[SOURCE] = 0.0;
  g->queue[tail++] = SOURCE;
  g->mark[SOURCE] = 1;
  while (head != tail) {
    int v = g->queue[head];
    head = (head + 1) % n;
    g->mark[v] = 0;
    for (int e = g->first[v]; e >= 0; e = g->next[e]) {
      const edge *x = &g->edges[e];
      double step = by_cost ? x->cost : 1.0;
      /* 1e-12: costs are sums of the same doubles, so ties must not
       * relabel forever. */
      if (x->cap > SPENT && g->dist[v] + step < g->dist[x->to] - 1e-12) {
        g->dist[x->to] = g->dist[v] + step;
        g->via[x->to] = e;
        if (!g->mark[x->to]) {
          g->mark[x->to] = 1;
          g->queue[tail] = x->to;
          tail = (tail + 1) % n;
        }
      }
    }
  }
  return g->via[SINK] >= 0;
}

/* Augments along shortest paths until the sink is cut off.  By cost, with
 * supplies of 1, every step adds one household and the flow is of least
 * cost among those of its size (successive shortest paths).  Returns the
 * flow's value. */
static double max_flow(network *g, int by_cost) {
  double flow = 0.0;
  while (shortest_path(g, by_cost)) {
    double push = INFINITY;
    for (int v = SINK; v != SOURCE; v = g->edges[g->via[v] ^ 1].to)
      push = fmin(push, g->edges[g->via[v]].cap);
    for (int v = SINK; v != SOURCE; v = g->edges[g->via[v] ^ 1].to) {
      g->edges[g->via[v]].cap -= push;
      g->edges[g->via[v] ^ 1].cap += push;
    }
    flow += push;
  }
  return flow;
}

static int compare_sizes(const void *a, const void *b);

/* After a maximum flow: the pairs on the source side of the minimum cut
 * (T) and the capacity of the cut's edges beyond them.  Whatever the
 * supplies, T's households can have at most that much housed in their
 * pools, since every path from them to the sink crosses those edges.
 *
 * The cut is lifted with every other pool pair of the block whose units
 * all lie on the source side: its edges would not cross the cut, so the
 * same room holds with it.  Without the lifting an LP moves to pairs the
 * cut does not name, and separation would go on for ever. */
static bp_hall_cut min_cut(network *g, const bp_pools *pools, const bp_case *kase,
                           const bp_derived *d, int block, const size_t *pairs,
                           size_t n) {
  memset(g->mark, 0, (size_t)g->n_nodes);
  int top = 0;
  g->queue[top++] = SOURCE;
  g->mark[SOURCE] = 1;
  while (top > 0) {
    int v = g->queue[--top];
    for (int e = g->first[v]; e >= 0; e = g->next[e])
      if (g->edges[e].cap > SPENT && !g->mark[g->edges[e].to]) {
        g->mark[g->edges[e].to] = 1;
        g->queue[top++] = g->edges[e].to;
      }
  }
  size_t capacity = n + 16;
  bp_hall_cut cut = {bp_alloc(capacity * sizeof *cut.pairs), 0, 0};
  for (size_t k = 0; k < n; k++)
    if (g->mark[2 + k])
      cut.pairs[cut.n++] = pairs[k];
  double room = 0.0;
  for (size_t e = 0; e < g->n_edges; e += 2) {
    int from = g->edges[e + 1].to, to = g->edges[e].to;
    if (from != SOURCE && g->mark[from] && !g->mark[to])
      room += g->edges[e].cap + g->edges[e + 1].cap; /* its capacity */
  }
  cut.room = (int)lround(room); /* a sum of integer capacities */

  /* Lifting.  The pairs already in the network are skipped by marking
   * their households' pairs through a sorted copy. */
  size_t *listed = bp_alloc((n + 1) * sizeof *listed);
  memcpy(listed, pairs, n * sizeof *listed);
  qsort(listed, n, sizeof *listed, compare_sizes);
  for (size_t a = 0; a < kase->n_areas; a++) {
    if (pools->block_of_area[a] != block)
      continue;
    for (size_t p = 2 * a; p <= 2 * a + 1; p++)
      for (size_t k = pools->pool_first[p]; k < pools->pool_first[p + 1]; k++) {
        size_t q = pools->pool_pairs[k];
        if (bsearch(&q, listed, n, sizeof *listed, compare_sizes))
          continue;
        /* Are all of h's units in the pool on the cut's side?  The pool's
         * units are looked up in h's pairs (sorted by unit), not h's pairs
         * scanned for the pool: at the national size a household has
         * thousands of pairs, a pool a few dozen units. */
        int h = pools->derived.candidates[q].household, inside = 1, any = 0;
        for (size_t j = pools->unit_first[p]; inside && j < pools->unit_first[p + 1]; j++) {
          int u = pools->pool_units[j];
          if (bp_candidate_of_pair(d, h, u) < 0)
            continue;
          any = 1;
          inside = g->unit_node[u] >= 0 && g->mark[g->unit_node[u]];
        }
        if (!inside || !any)
          continue;
        if (cut.n == capacity) {
          capacity *= 2;
          cut.pairs = bp_realloc(cut.pairs, capacity * sizeof *cut.pairs);
        }
        cut.pairs[cut.n++] = q;
      }
  }
  free(listed);
  return cut;
}

/* The pool pairs listed, by block of their pool's area: order[start[b] ..
 * start[b+1]) are the positions in the list of block b's. */
static size_t *by_block(const bp_pools *pools, const size_t *pairs, size_t n,
                        size_t **order) {
  size_t nb = pools->n_blocks;
  size_t *start = bp_calloc(nb + 2, sizeof *start);
  for (size_t k = 0; k < n; k++)
    start[pools->block_of_area[pools->derived.candidates[pairs[k]].unit / 2] + 2]++;
  for (size_t b = 0; b < nb; b++)
    start[b + 2] += start[b + 1];
  *order = bp_alloc((n + 1) * sizeof **order);
  for (size_t k = 0; k < n; k++)
    (*order)[start[pools->block_of_area[pools->derived.candidates[pairs[k]].unit / 2] + 1]++] = k;
  return start;
}

static int compare_sizes(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

static void add_cut(bp_hall_cut **cuts, size_t *n_cuts, bp_hall_cut cut) {
  *cuts = bp_realloc(*cuts, (*n_cuts + 1) * sizeof **cuts);
  (*cuts)[(*n_cuts)++] = cut;
}

/* The blocks of a list of pool pairs, one network at a time: walk_next()
 * builds the network of the next block with pairs (here[0 .. m), their
 * supplies from values, or 1 without), and returns 0 past the last. */
typedef struct {
  const bp_pools *pools;
  const bp_case *kase;
  const bp_derived *d;
  const size_t *pairs;
  const double *values;
  size_t *order, *start, *here;
  double *supply;
  size_t block, m;
  network g;
} block_walk;

static void walk_start(block_walk *w, const bp_pools *pools, const bp_case *kase,
                       const bp_derived *d, const size_t *pairs,
                       const double *values, size_t n) {
  *w = (block_walk){.pools = pools, .kase = kase, .d = d, .pairs = pairs,
                    .values = values};
  w->start = by_block(pools, pairs, n, &w->order);
  w->here = bp_alloc((n + 1) * sizeof *w->here);
  w->supply = values ? bp_alloc((n + 1) * sizeof *w->supply) : NULL;
  w->block = (size_t)-1;
  network_start(&w->g, kase);
}

static int walk_next(block_walk *w) {
  for (w->block++; w->block < w->pools->n_blocks; w->block++) {
    size_t first = w->start[w->block];
    w->m = w->start[w->block + 1] - first;
    if (w->m == 0)
      continue;
    for (size_t k = 0; k < w->m; k++) {
      w->here[k] = w->pairs[w->order[first + k]];
      if (w->supply)
        w->supply[k] = w->values[w->order[first + k]];
    }
    build_block(&w->g, w->pools, w->kase, w->d, w->here, w->supply, w->m);
    return 1;
  }
  return 0;
}

static void walk_end(block_walk *w) {
  network_free(&w->g);
  free(w->order);
  free(w->start);
  free(w->here);
  free(w->supply);
}

int bp_pools_assign_units(const bp_pools *pools, const bp_case *kase,
                          const bp_derived *d, const int *pooled, int *real,
                          bp_hall_cut **cuts, size_t *n_cuts) {
  size_t nh = kase->n_households;
  *cuts = NULL;
  *n_cuts = 0;
  size_t *pairs = bp_alloc((nh + 1) * sizeof *pairs), n = 0;
  for (size_t h = 0; h < nh; h++) {
    real[h] = -1;
    if (pooled[h] >= 0)
      pairs[n++] = (size_t)pooled[h];
  }
  block_walk w;
  walk_start(&w, pools, kase, d, pairs, NULL, n);
  int short_of = 0;
  while (walk_next(&w)) {
    double flow = max_flow(&w.g, 1);
    for (size_t k = 0; k < w.m; k++)
      for (int e = w.g.first[2 + k]; e >= 0; e = w.g.next[e])
        if (w.g.edges[e].pair >= 0 && w.g.edges[e].cap < 0.5)
          real[pools->derived.candidates[w.here[k]].household] = w.g.edges[e].pair;
    int housed = (int)lround(flow);
    if (housed < (int)w.m) {
      short_of += (int)w.m - housed;
      add_cut(cuts, n_cuts, min_cut(&w.g, pools, kase, d, (int)w.block, w.here, w.m));
    }
  }
  walk_end(&w);
  free(pairs);
  return short_of;
}

size_t bp_pools_separate(const bp_pools *pools, const bp_case *kase,
                         const bp_derived *d, const size_t *pairs,
                         const double *values, size_t n, bp_hall_cut **cuts) {
  size_t n_cuts = 0;
  *cuts = NULL;
  block_walk w;
  walk_start(&w, pools, kase, d, pairs, values, n);
  while (walk_next(&w)) {
    double wanted = 0.0;
    for (size_t k = 0; k < w.m; k++)
      wanted += w.supply[k];
    /* 1e-6: an LP solution keeps its rows to about that. */
    if (max_flow(&w.g, 0) >= wanted - 1e-6)
      continue;
    bp_hall_cut cut = min_cut(&w.g, pools, kase, d, (int)w.block, w.here, w.m);
    double in_cut = 0.0;
    for (size_t k = 0; k < w.m; k++)
      if (w.g.mark[2 + k])
        in_cut += w.supply[k];
    if (in_cut > cut.room + 1e-6)
      add_cut(cuts, &n_cuts, cut);
    else
      free(cut.pairs);
  }
  walk_end(&w);
  return n_cuts;
}

void bp_pools_spread(const bp_pools *pools, const bp_case *kase,
                     const bp_derived *d, const size_t *pairs,
                     const double *values, size_t n, double *real_value) {
  memset(real_value, 0, (d->n_candidates + 1) * sizeof *real_value);
  block_walk w;
  walk_start(&w, pools, kase, d, pairs, values, n);
  while (walk_next(&w)) {
    max_flow(&w.g, 1);
    /* The flow on a pair -> unit edge is what its reverse edge got. */
    for (size_t k = 0; k < w.m; k++)
      for (int e = w.g.first[2 + k]; e >= 0; e = w.g.next[e])
        if (w.g.edges[e].pair >= 0 && w.g.edges[e ^ 1].cap > SPENT)
          real_value[w.g.edges[e].pair] = w.g.edges[e ^ 1].cap;
  }
  walk_end(&w);
}

void bp_hall_cuts_free(bp_hall_cut *cuts, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(cuts[i].pairs);
  free(cuts);
}

void bp_pools_add_cuts(bp_model *pm, const bp_hall_cut *cuts, size_t n) { /* (C16) */
  for (size_t c = 0; c < n; c++) {
    int *ind = bp_alloc((cuts[c].n + 1) * sizeof *ind);
    double *val = bp_alloc((cuts[c].n + 1) * sizeof *val);
    int len = 0;
    /* A pair without a column yet is left out: the row then bounds fewer
     * pairs, which is weaker and still holds (x >= 0). */
    for (size_t k = 0; k < cuts[c].n; k++) {
      int col = pm->col_of_candidate[cuts[c].pairs[k]];
      if (col) {
        ind[++len] = col;
        val[len] = 1.0;
      }
    }
    int row = glp_add_rows(pm->problem, 1);
    glp_set_row_bnds(pm->problem, row, GLP_UP, 0.0, (double)cuts[c].room);
    glp_set_mat_row(pm->problem, row, len, ind, val);
    free(ind);
    free(val);
  }
}

/* ------------------------------------------------------------------ */
/* Classes of households the pool model cannot tell apart              */
/* ------------------------------------------------------------------ */

/* A household that stays a class of its own: a group member (its group's
 * rows are its own) or one under a place lock (its pair is fixed). */
static int alone(const bp_pools *pools, size_t h) {
  return pools->kase.households[h].group >= 0 || pools->derived.locked_unit[h] >= 0;
}

/* Do households a and b have pool pairs in the same pools and the same
 * children? */
static int alike(const bp_pools *pools, size_t a, size_t b) {
  const bp_household *ha = &pools->kase.households[a], *hb = &pools->kase.households[b];
  const bp_derived *pd = &pools->derived;
  size_t na = pd->first_candidate[a + 1] - pd->first_candidate[a];
  if (ha->children_0_5 != hb->children_0_5 || ha->children_6_16 != hb->children_6_16 ||
      na != pd->first_candidate[b + 1] - pd->first_candidate[b])
    return 0;
  for (size_t k = 0; k < na; k++)
    if (pd->candidates[pd->first_candidate[a] + k].unit !=
        pd->candidates[pd->first_candidate[b] + k].unit)
      return 0;
  return 1;
}

typedef struct {
  uint64_t key;
  int household;
} keyed_household;

static int by_key_then_household(const void *pa, const void *pb) {
  const keyed_household *a = pa, *b = pb;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return (a->household > b->household) - (a->household < b->household);
}

/* A class's members, longest waiting first: insertion sort, which keeps
 * the index order among equals (the members come ascending), on classes
 * of a few members each (XL: 12,000 households in 3,177 classes). */
static void longest_waiting_first(int *members, size_t n, const bp_case *kase) {
  for (size_t i = 1; i < n; i++) {
    int h = members[i];
    long w = kase->households[h].waiting_days;
    size_t j = i;
    while (j > 0 && kase->households[members[j - 1]].waiting_days < w) {
      members[j] = members[j - 1];
      j--;
    }
    members[j] = h;
  }
}

void bp_pool_classes_build(const bp_pools *pools, bp_pool_classes *out) {
  memset(out, 0, sizeof *out);
  const bp_case *pk = &pools->kase;
  const bp_derived *pd = &pools->derived;
  size_t nh = pk->n_households;
  /* leader[h]: the first household alike to h (h itself when none). */
  int *leader = bp_alloc((nh + 1) * sizeof *leader);
  keyed_household *keyed = bp_alloc((nh + 1) * sizeof *keyed);
  size_t n_keyed = 0;
  for (size_t h = 0; h < nh; h++) {
    leader[h] = (int)h;
    if (alone(pools, h))
      continue;
    /* FNV-1a over the children and the pools: alike households share it. */
    uint64_t key = 1469598103934665603ULL;
    const bp_household *hh = &pk->households[h];
    uint64_t words[2] = {(uint64_t)hh->children_0_5, (uint64_t)hh->children_6_16};
    for (int w = 0; w < 2; w++)
      key = (key ^ words[w]) * 1099511628211ULL;
    for (size_t i = pd->first_candidate[h]; i < pd->first_candidate[h + 1]; i++)
      key = (key ^ (uint64_t)pd->candidates[i].unit) * 1099511628211ULL;
    keyed[n_keyed++] = (keyed_household){key, (int)h};
  }
  qsort(keyed, n_keyed, sizeof *keyed, by_key_then_household);
  /* Within a run of one key (nearly always one class), each household
   * joins the first earlier one it is alike to. */
  for (size_t start = 0, end; start < n_keyed; start = end) {
    for (end = start + 1; end < n_keyed && keyed[end].key == keyed[start].key; end++)
      ;
    for (size_t k = start + 1; k < end; k++)
      for (size_t j = start; j < k; j++) {
        int lj = keyed[j].household;
        if (leader[lj] == lj && alike(pools, (size_t)lj, (size_t)keyed[k].household)) {
          leader[keyed[k].household] = lj;
          break;
        }
      }
  }
  /* Classes numbered by their first member, so that group members (each
   * a class of its own) keep their order. */
  int *class_of = bp_alloc((nh + 1) * sizeof *class_of);
  size_t nc = 0;
  for (size_t h = 0; h < nh; h++)
    class_of[h] = leader[h] == (int)h ? (int)nc++ : class_of[leader[h]];
  out->n_classes = nc;
  out->member_first = bp_calloc(nc + 2, sizeof *out->member_first);
  for (size_t h = 0; h < nh; h++)
    out->member_first[class_of[h] + 2]++;
  for (size_t c = 0; c < nc; c++)
    out->member_first[c + 2] += out->member_first[c + 1];
  out->members = bp_alloc((nh + 1) * sizeof *out->members);
  for (size_t h = 0; h < nh; h++)
    out->members[out->member_first[class_of[h] + 1]++] = (int)h;
  /* Longest waiting first within each class: a class LP solution shared
   * among the members (bp_pool_classes_share) houses them first. */
  for (size_t c = 0; c < nc; c++)
    longest_waiting_first(out->members + out->member_first[c],
                          out->member_first[c + 1] - out->member_first[c], pk);

  /* The class case: the first member of each class, groups renumbered. */
  out->kase = *pk;
  out->kase.n_households = nc;
  out->kase.households = bp_alloc((nc + 1) * sizeof *out->kase.households);
  out->kase.groups = bp_alloc((pk->n_groups + 1) * sizeof *out->kase.groups);
  for (size_t g = 0; g < pk->n_groups; g++) {
    bp_group *group = &out->kase.groups[g];
    *group = pk->groups[g];
    group->members = bp_alloc(((size_t)group->n_members + 1) * sizeof *group->members);
    for (int k = 0; k < group->n_members; k++)
      group->members[k] = class_of[pk->groups[g].members[k]];
  }
  bp_derived *cd = &out->derived;
  *cd = *pd;
  cd->eligible_ignoring_locks = NULL;
  cd->household_count = bp_alloc((nc + 1) * sizeof *cd->household_count);
  cd->locked_unit = bp_alloc((nc + 1) * sizeof *cd->locked_unit);
  cd->first_candidate = bp_alloc((nc + 1) * sizeof *cd->first_candidate);
  size_t n = 0;
  for (size_t c = 0; c < nc; c++) {
    int h = out->members[out->member_first[c]];
    n += pd->first_candidate[h + 1] - pd->first_candidate[h];
  }
  cd->candidates = bp_alloc((n + 1) * sizeof *cd->candidates);
  n = 0;
  for (size_t c = 0; c < nc; c++) {
    int h = out->members[out->member_first[c]];
    out->kase.households[c] = pk->households[h];
    cd->household_count[c] = (int)(out->member_first[c + 1] - out->member_first[c]);
    cd->locked_unit[c] = pd->locked_unit[h];
    cd->first_candidate[c] = n;
    for (size_t i = pd->first_candidate[h]; i < pd->first_candidate[h + 1]; i++) {
      cd->candidates[n] = pd->candidates[i];
      cd->candidates[n++].household = (int)c;
    }
  }
  cd->first_candidate[nc] = n;
  cd->n_candidates = n;
  out->class_of = class_of;
  free(leader);
  free(keyed);
}

void bp_pool_classes_free(bp_pool_classes *classes) {
  for (size_t g = 0; g < classes->kase.n_groups; g++)
    free(classes->kase.groups[g].members);
  free(classes->kase.groups);
  free(classes->kase.households);
  free(classes->derived.household_count);
  free(classes->derived.locked_unit);
  free(classes->derived.first_candidate);
  free(classes->derived.candidates);
  free(classes->member_first);
  free(classes->members);
  free(classes->class_of);
  memset(classes, 0, sizeof *classes);
}

size_t bp_pool_classes_share(const bp_pool_classes *classes, const bp_pools *pools,
                             const size_t *pairs, const double *values, size_t n,
                             size_t **out_pairs, double **out_values) {
  const bp_derived *cd = &classes->derived, *pd = &pools->derived;
  size_t nc = classes->n_classes;
  /* The class pairs by class (counting sort), so that each class's values
   * are laid end to end over its members. */
  size_t *first = bp_calloc(nc + 2, sizeof *first);
  for (size_t k = 0; k < n; k++)
    first[cd->candidates[pairs[k]].household + 2]++;
  for (size_t c = 0; c < nc; c++)
    first[c + 2] += first[c + 1];
  size_t *order = bp_alloc((n + 1) * sizeof *order);
  for (size_t k = 0; k < n; k++)
    order[first[cd->candidates[pairs[k]].household + 1]++] = k;
  /* Member j of a class takes the stretch [j, j + 1) of its class's values
   * laid end to end: each member's values sum to at most 1 and each pair
   * keeps its value, so this is a pool LP solution of the same value, as
   * integral as the class one (a member is split only where its stretch
   * crosses from one pair to the next).  Each piece ends a pair's value or
   * a member's room, so there are at most n + members of them. */
  size_t capacity = n + pools->kase.n_households + 1, m = 0;
  *out_pairs = bp_alloc(capacity * sizeof **out_pairs);
  *out_values = bp_alloc(capacity * sizeof **out_values);
  for (size_t c = 0; c < nc; c++) {
    size_t member = classes->member_first[c], end = classes->member_first[c + 1];
    double room = 1.0; /* what the current member can still take */
    for (size_t j = first[c]; j < first[c + 1] && member < end; j++) {
      size_t k = order[j];
      size_t offset = pairs[k] - cd->first_candidate[c];
      double left = values[k];
      while (left > 1e-12 && member < end) {
        double take = left < room ? left : room;
        (*out_pairs)[m] = pd->first_candidate[classes->members[member]] + offset;
        (*out_values)[m++] = take;
        left -= take;
        room -= take;
        if (room <= 1e-12) {
          member++;
          room = 1.0;
        }
      }
    }
  }
  free(first);
  free(order);
  return m;
}
