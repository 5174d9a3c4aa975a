/**
 * @file model_build.c
 * @brief Builds the mixed-integer program of models/formulation.md in GLPK.
 *
 * Each block below names the equation it implements, (C1) to (C15).  The
 * matrix is collected as triplets and loaded in one call, which keeps the
 * build linear in the number of nonzeros.
 *
 * Two choices differ in form, not in meaning, from the written model:
 *  - The counts k_a, beta_s, beta_d get a column each, defined by an
 *    equality row.  The caps (C3)-(C7) are then upper bounds on those
 *    columns, and the secant cuts (C13) touch one column instead of every
 *    x of the area: the cuts stay sparse however many candidates there are.
 *  - A group may only go to an area where every member has a candidate;
 *    for other areas z_ga would be forced to 0 by (C11), so we do not create
 *    it and instead fix the members' x columns there at 0.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

/* theta of (C14): a share above 80 % of its cap counts as "near the cap". */
#define NEAR_CAP 0.8

/* The district binaries w steer branching on a weekly or quarterly case
 * (solve.c); on an annual plan they are half the rows of the LP, and
 * GLPK's simplex time is then what limits, so beyond this many households
 * the children enter the school and daycare counts directly.  The LP is the
 * same either way. */
#define DISTRICT_BINARIES_UP_TO 1000

/* member_area_row: the group cannot all live in this area. */
#define BP_NO_ROW (-1)

/* How many households household h of the model's case stands for: one,
 * except in the pool model's classes (bp_derived.household_count). */
static double household_count(const bp_derived *d, size_t h) {
  return d->household_count ? (double)d->household_count[h] : 1.0;
}

typedef struct {
  int *rows, *cols;
  double *values;
  size_t count, capacity;
} triplets;

static void put(triplets *t, int row, int col, double value) {
  if (t->count + 1 >= t->capacity) {
    t->capacity = t->capacity ? 2 * t->capacity : 4096;
    t->rows = bp_realloc(t->rows, (t->capacity + 1) * sizeof *t->rows);
    t->cols = bp_realloc(t->cols, (t->capacity + 1) * sizeof *t->cols);
    t->values = bp_realloc(t->values, (t->capacity + 1) * sizeof *t->values);
  }
  t->count++; /* GLPK's arrays are 1-based */
  t->rows[t->count] = row;
  t->cols[t->count] = col;
  t->values[t->count] = value;
}

typedef struct {
  bp_model *model;
  triplets matrix;
  int with_names;
} builder;

static int add_row(builder *b, int type, double lower, double upper,
                   const char *name) {
  int row = glp_add_rows(b->model->problem, 1);
  glp_set_row_bnds(b->model->problem, row, type, lower, upper);
  if (b->with_names)
    glp_set_row_name(b->model->problem, row, name);
  return row;
}

static int add_col(builder *b, int kind, int type, double lower, double upper,
                   const char *name) {
  int col = glp_add_cols(b->model->problem, 1);
  glp_set_col_kind(b->model->problem, col, kind);
  /* GLPK refuses a double bound with equal ends (a count whose cap leaves
   * no room): that is a fixed column. */
  if (type == GLP_DB && lower == upper)
    type = GLP_FX;
  glp_set_col_bnds(b->model->problem, col, type, lower, upper);
  if (b->with_names)
    glp_set_col_name(b->model->problem, col, name);
  return col;
}

/* A name only when names are wanted; the buffer is reused. */
#define NAME(b, buf, ...)                                                      \
  ((b)->with_names ? (snprintf(buf, sizeof buf, __VA_ARGS__), buf) : NULL)

static double tier_coef(const bp_model *m, bp_tier tier, size_t i);

/* The binaries of the big decisions, y and z: solve.c branches on them first. */
static void add_decision(bp_model *m, int col) {
  if (m->n_decisions == m->decision_capacity) {
    m->decision_capacity = 2 * m->decision_capacity + 64;
    m->decision_cols = bp_realloc(m->decision_cols,
                                  m->decision_capacity * sizeof *m->decision_cols);
  }
  m->decision_cols[m->n_decisions++] = col;
}

double bp_spread_penalty(int count, int total, int added) {
  double after = (double)count + added, all = (double)total + added;
  double now = total > 0 ? (double)count * count / total : 0.0;
  return (all > 0 ? after * after / all : 0.0) - now;
}

/* The count column of one area, school or daycare with its spread measure:
 * the defining row, the cap as an upper bound ((C3)-(C7)), the secant cuts
 * (C13) and the near-cap excess (C14).  members/coef list the columns and
 * their coefficients (the children of each w for a school); an area's
 * members are x columns, which enter the defining row as they are added
 * (add_candidate), so an area passes members = NULL and only their number. */
static void build_count(builder *b, bp_model_count *out, const char *what,
                        const char *id, int count, int total, double cap,
                        int cap_room, int seats, const int *members,
                        const double *coef, size_t n_members, int bound) {
  char name[160];
  memset(out, 0, sizeof *out);
  out->base_count = count;
  out->base_total = total;
  out->cap = cap;
  if (n_members == 0)
    return;
  int upper = cap_room;
  if (seats >= 0 && seats < upper)
    upper = seats;
  if (bound > upper)
    bound = upper;
  out->bound = bound;
  /* The count column: k = sum of its x; its bounds are the caps. */
  out->count_col = add_col(b, GLP_CV, GLP_DB, 0.0, (double)upper,
                           NAME(b, name, "%s[%s]", what, id));
  int def = add_row(b, GLP_FX, 0.0, 0.0, NAME(b, name, "def_%s[%s]", what, id));
  put(&b->matrix, def, out->count_col, 1.0);
  out->def_row = def;
  for (size_t i = 0; members && i < n_members; i++)
    put(&b->matrix, def, members[i], -coef[i]);
  if (bound <= 0)
    return;

  /* (C13) is added by bp_model_add_spread_cuts: only the soft tier needs
   * it, and at the annual size it is a tenth of the rows. */
  out->spread_col = add_col(b, GLP_CV, GLP_LO, 0.0, 0.0,
                            NAME(b, name, "t_%s[%s]", what, id));

  /* (C14) o >= excess(k) - max(0, excess(0)), excess(k) = e0 + k (1 - theta c):
   * how far the count is above theta * cap, measured against today. */
  double rate = 1.0 - NEAR_CAP * cap;
  double e0 = (double)count - NEAR_CAP * cap * total;
  if (rate > 0 && e0 + rate * bound > 0) {
    out->near_cap_col = add_col(b, GLP_CV, GLP_LO, 0.0, 0.0,
                                NAME(b, name, "o_%s[%s]", what, id));
    int row = add_row(b, GLP_LO, e0 < 0 ? e0 : 0.0, 0.0,
                      NAME(b, name, "C14_%s[%s]", what, id));
    put(&b->matrix, row, out->near_cap_col, 1.0);
    put(&b->matrix, row, out->count_col, -rate);
  }
}

void bp_model_build(const bp_case *kase, const bp_derived *d, int with_names,
                    bp_model *m) {
  bp_model_build_restricted(kase, d, with_names, NULL, m);
  bp_model_add_spread_cuts(m);
}

/* (C13) for one count: t >= f(j) + (f(j+1) - f(j)) (k - j), j = 0..bound-1. */
static void add_secants(bp_model *m, const bp_model_count *c, const char *what,
                        const char *id) {
  if (!c->spread_col)
    return;
  char name[160];
  for (int j = 0; j < c->bound; j++) {
    double fj = bp_spread_penalty(c->base_count, c->base_total, j);
    double slope = bp_spread_penalty(c->base_count, c->base_total, j + 1) - fj;
    int row = glp_add_rows(m->problem, 1);
    glp_set_row_bnds(m->problem, row, GLP_LO, fj - slope * j, 0.0);
    if (m->with_names) {
      snprintf(name, sizeof name, "C13_%s[%s,%d]", what, id, j);
      glp_set_row_name(m->problem, row, name);
    }
    int ind[3] = {0, c->spread_col, c->count_col};
    double val[3] = {0, 1.0, -slope};
    glp_set_mat_row(m->problem, row, 2, ind, val);
  }
}

void bp_model_add_spread_cuts(bp_model *m) {
  if (m->spread_cuts_added)
    return;
  m->spread_cuts_added = 1;
  const bp_case *k = m->kase;
  for (size_t a = 0; a < k->n_areas; a++)
    add_secants(m, &m->areas[a], "k", k->areas[a].id);
  for (size_t s = 0; s < k->n_schools; s++)
    add_secants(m, &m->schools[s], "beta_s", k->schools[s].id);
  for (size_t s = 0; s < k->n_daycares; s++)
    add_secants(m, &m->daycares[s], "beta_d", k->daycares[s].id);
}

void bp_model_build_restricted(const bp_case *kase, const bp_derived *d,
                               int with_names, const unsigned char *active,
                               bp_model *m) {
  memset(m, 0, sizeof *m);
  m->kase = kase;
  m->derived = d;
  m->problem = glp_create_prob();
  glp_set_prob_name(m->problem, "boplace");
  builder b = {.model = m, .with_names = with_names};
  char name[160];
  const bp_policy *p = &kase->policy;
  size_t nc = d->n_candidates;

  /* The rows below are decided by the full candidate list, whichever
   * candidates get a column: a column added later (column generation,
   * solve.c) then finds every row it belongs to already there, and the
   * duals of those rows price it exactly (bp_model_reduced_cost). */
  size_t nh = kase->n_households;
  m->n_candidates = nc;
  m->col_of_candidate = bp_calloc(nc + 1, sizeof *m->col_of_candidate);
  m->household_row = bp_calloc(nh + 1, sizeof *m->household_row);
  m->unit_row = bp_calloc(kase->n_units + 1, sizeof *m->unit_row);
  m->building_row = bp_calloc(kase->n_buildings + 1, sizeof *m->building_row);

  /* (C1) each household at most one unit. */
  for (size_t h = 0; h < nh; h++) {
    if (d->first_candidate[h] == d->first_candidate[h + 1])
      continue;
    m->household_row[h] = add_row(&b, GLP_UP, 0.0, household_count(d, h),
                                  NAME(&b, name, "C1[%s]", kase->households[h].id));
  }

  /* Candidates by unit, by area, by building: counting sort on the index. */
  size_t nu = kase->n_units, na = kase->n_areas;
  size_t *by_unit = bp_calloc(nu + 2, sizeof *by_unit);
  for (size_t i = 0; i < nc; i++)
    by_unit[d->candidates[i].unit + 2]++;
  for (size_t u = 0; u < nu; u++)
    by_unit[u + 2] += by_unit[u + 1];
  int *unit_members = bp_alloc((nc + 1) * sizeof *unit_members);
  for (size_t i = 0; i < nc; i++)
    unit_members[by_unit[d->candidates[i].unit + 1]++] = (int)i;
  /* now unit u's candidates are unit_members[by_unit[u] .. by_unit[u+1]) */

  /* (C2) and (C8) are made when a unit (building) gets more x columns than
   * it has places (than max_new_per_building): until then they cannot be
   * broken, and most of the 15,000 units of an annual plan never get there
   * (add_limits). */
  m->unit_first_x = bp_calloc(nu + 1, sizeof *m->unit_first_x);
  m->unit_columns = bp_calloc(nu + 1, sizeof *m->unit_columns);
  m->building_first_x = bp_calloc(kase->n_buildings + 1, sizeof *m->building_first_x);
  m->building_columns = bp_calloc(kase->n_buildings + 1, sizeof *m->building_columns);

  /* Members of each area, school and daycare count: their x columns with
   * coefficient 1 (areas) or the children (schools, daycares). */
  char *seen = bp_alloc(kase->n_households + 1);

  m->areas = bp_calloc(na + 1, sizeof *m->areas);
  for (size_t a = 0; a < na; a++) {
    size_t n = 0;
    int places = 0, households = 0;
    memset(seen, 0, kase->n_households + 1);
    for (size_t u = 0; u < nu; u++) {
      if (kase->units[u].area != (int)a || by_unit[u] == by_unit[u + 1])
        continue;
      places += kase->units[u].places;
      for (size_t k = by_unit[u]; k < by_unit[u + 1]; k++) {
        n++;
        int h = d->candidates[unit_members[k]].household;
        households += seen[h] ? 0 : (int)household_count(d, (size_t)h);
        seen[h] = 1;
      }
    }
    const bp_area *area = &kase->areas[a];
    int bound = places < households ? places : households;
    build_count(&b, &m->areas[a], "k", area->id, area->newcomer_households,
                area->households, d->area_cap[a], d->area_room[a], -1, NULL,
                NULL, n, bound); /* (C3) as the upper bound of k_a */
  }

  /* Schools (C4)-(C5) and daycares (C6)-(C7).  Each household with children
   * gets one binary w per institution it could be sent to: w = 1 when its
   * unit lies in an area served by the institution, defined by the row
   * w - sum of those x = 0.  The seat and bilingual caps then count
   * children over w.  The LP is the same; what changes is branching: "does
   * this family go to this school's district" is one decision, where
   * branching on single units of the district would split the search among
   * dozens of equivalent flats (solve.c branches on w before x).
   *
   * A w and its row are made with the first x column that needs them
   * (add_candidate): at the annual size most (household, school) pairs
   * never get a column, and making them all would triple the LP.  Here only
   * the counts are made, sized by every household that could come. */
  /* BOPLACE_DISTRICT_BINARIES_UP_TO overrides the limit, so that the tests
   * can run small cases both ways. */
  const char *up_to = getenv("BOPLACE_DISTRICT_BINARIES_UP_TO");
  long limit = up_to && *up_to >= '0' && *up_to <= '9' ? atol(up_to)
                                                        : DISTRICT_BINARIES_UP_TO;
  /* A w is one household's: a class of households (household_count) has
   * its children counted directly. */
  m->use_districts = (long)kase->n_households <= limit && !d->household_count;
  size_t n_slots[2] = {kase->n_schools, kase->n_daycares};
  for (int daycare = 0; daycare <= 1; daycare++) {
    size_t n_inst = n_slots[daycare];
    const bp_institution *inst = daycare ? kase->daycares : kase->schools;
    /* Dense: one lookup per candidate when pricing. */
    m->district_row[daycare] = bp_calloc(m->use_districts ? kase->n_households * n_inst + 1 : 1,
                                         sizeof *m->district_row[daycare]);
    long *children_possible = bp_calloc(n_inst + 1, sizeof *children_possible);
    size_t *members = bp_calloc(n_inst + 1, sizeof *members);
    int *stamp = bp_alloc((n_inst + 1) * sizeof *stamp);
    for (size_t i = 0; i <= n_inst; i++)
      stamp[i] = -1;
    for (size_t h = 0; h < kase->n_households; h++) {
      const bp_household *hh = &kase->households[h];
      int children = daycare ? hh->children_0_5 : hh->children_6_16;
      if (children == 0)
        continue;
      for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
        const bp_area *area = &kase->areas[kase->units[d->candidates[i].unit].area];
        int served = daycare ? area->daycare : area->school;
        if (served < 0 || stamp[served] == (int)h)
          continue;
        stamp[served] = (int)h; /* a new (household, institution) */
        children_possible[served] += children * (long)household_count(d, h);
        members[served]++;
      }
    }
    bp_model_count *out = bp_calloc(n_inst + 1, sizeof *out);
    for (size_t s = 0; s < n_inst; s++) {
      int room = daycare ? d->daycare_bilingual_room[s]
                         : d->school_bilingual_room[s];
      double cap = daycare ? d->daycare_cap[s] : d->school_cap[s];
      int bound = children_possible[s] < INT_MAX ? (int)children_possible[s] : INT_MAX;
      build_count(&b, &out[s], daycare ? "beta_d" : "beta_s", inst[s].id,
                  inst[s].bilingual, inst[s].enrolled, cap, room,
                  inst[s].free_seats, NULL, NULL, members[s], bound);
    }
    free(children_possible);
    free(members);
    free(stamp);
    if (daycare)
      m->daycares = out;
    else
      m->schools = out;
  }
  free(seen);


  /* (C9) min_cluster: an area with no newcomers today gets none or >= m. */
  m->cluster_col = bp_calloc(na + 1, sizeof *m->cluster_col);
  if (p->min_cluster > 0) {
    for (size_t a = 0; a < na; a++) {
      const bp_model_count *k = &m->areas[a];
      if (kase->areas[a].newcomer_households != 0 || !k->count_col)
        continue;
      int y = add_col(&b, GLP_BV, GLP_DB, 0.0, 1.0,
                      NAME(&b, name, "y[%s]", kase->areas[a].id));
      m->cluster_col[a] = y;
      add_decision(m, y);
      int low = add_row(&b, GLP_LO, 0.0, 0.0,
                        NAME(&b, name, "C9a[%s]", kase->areas[a].id));
      put(&b.matrix, low, k->count_col, 1.0);
      put(&b.matrix, low, y, -(double)p->min_cluster);
      int high = add_row(&b, GLP_UP, 0.0, 0.0,
                         NAME(&b, name, "C9b[%s]", kase->areas[a].id));
      put(&b.matrix, high, k->count_col, 1.0);
      put(&b.matrix, high, y, -(double)(k->bound > 0 ? k->bound : 0));
    }
  }

  /* (C10)-(C11) groups: all members in one area, or none. */
  m->group_area_col = bp_calloc(kase->n_groups * na + 1, sizeof *m->group_area_col);
  m->group_row = bp_calloc(kase->n_groups + 1, sizeof *m->group_row);
  m->member_slot = bp_alloc((nh + 1) * sizeof *m->member_slot);
  size_t n_members = 0;
  for (size_t h = 0; h < nh; h++) {
    int g = kase->households[h].group;
    m->member_slot[h] = g >= 0 && kase->groups[g].n_members >= 2 ? (int)n_members++ : -1;
  }
  m->member_area_row = bp_calloc(n_members * na + 1, sizeof *m->member_area_row);
  int *in_area = bp_alloc((na + 1) * sizeof *in_area);
  int *stamp = bp_alloc((na + 1) * sizeof *stamp);
  for (size_t g = 0; g < kase->n_groups; g++) {
    const bp_group *group = &kase->groups[g];
    if (group->n_members < 2)
      continue;
    memset(stamp, 0, (na + 1) * sizeof *stamp);
    /* In how many members' candidate lists does each area appear?  stamp
     * makes each area count once per member. */
    memset(in_area, 0, (na + 1) * sizeof *in_area);
    for (int k = 0; k < group->n_members; k++) {
      int h = group->members[k];
      for (size_t i = d->first_candidate[h]; i < d->first_candidate[h + 1]; i++) {
        int a = kase->units[d->candidates[i].unit].area;
        if (stamp[a] != k + 1) {
          stamp[a] = k + 1;
          in_area[a]++;
        }
      }
    }
    /* z_ga and the members' (C11) rows are made with the first member
     * column in area a (make_group_area): at the annual size making them
     * all would be half the rows.  Where not every member has a candidate
     * the group cannot all live, and the members' x there must be 0
     * (BP_NO_ROW: such candidates never get a column, except under a place
     * lock, see bp_model_add_candidates). */
    m->group_row[g] = add_row(&b, GLP_UP, 0.0, 1.0,
                              NAME(&b, name, "C10[%s]", group->id));
    for (int k = 0; k < group->n_members; k++) {
      int *rows = &m->member_area_row[(size_t)m->member_slot[group->members[k]] * na];
      for (size_t a = 0; a < na; a++)
        rows[a] = in_area[a] == group->n_members ? 0 : BP_NO_ROW;
    }
  }
  free(in_area);
  free(stamp);
  free(by_unit);
  free(unit_members);

  glp_load_matrix(m->problem, (int)b.matrix.count, b.matrix.rows, b.matrix.cols,
                  b.matrix.values);
  free(b.matrix.rows);
  free(b.matrix.cols);
  free(b.matrix.values);

  /* The x columns: every candidate, or those asked for and the locked
   * (C12 must hold from the start). */
  size_t *list = bp_alloc((nc + 1) * sizeof *list);
  size_t n_list = 0;
  for (size_t i = 0; i < nc; i++)
    if (!active || active[i] || bp_candidate_locked(d, i))
      list[n_list++] = i;
  m->with_names = with_names;
  bp_model_add_candidates(m, list, n_list);
  free(list);
}

/* The rows of candidate i's column and its coefficients there, without the
 * objective: (C1), (C2), (C8), the area count, the school and daycare
 * districts (w), the group row (C11) and the tier rows (C15).  Returns the
 * length (1-based ind/val).  *never is set when the candidate can never be
 * chosen: a group member where its group cannot all live. */
static int candidate_column(const bp_model *m, size_t i, int *ind, double *val,
                            int *never) {
  const bp_case *k = m->kase;
  const bp_candidate *c = &m->derived->candidates[i];
  const bp_unit *u = &k->units[c->unit];
  const bp_household *hh = &k->households[c->household];
  const bp_area *area = &k->areas[u->area];
  int len = 0;
  *never = 0;
#define ENTRY(row, value)                                                      \
  do {                                                                         \
    if (row) {                                                                 \
      ind[++len] = (row);                                                      \
      val[len] = (value);                                                      \
    }                                                                          \
  } while (0)
  if (m->member_slot[c->household] >= 0) {
    int row = m->member_area_row[(size_t)m->member_slot[c->household] * k->n_areas +
                                 (size_t)u->area];
    if (row == BP_NO_ROW)
      *never = 1;
    else
      ENTRY(row, 1.0);
  }
  ENTRY(m->household_row[c->household], 1.0);
  ENTRY(m->unit_row[c->unit], 1.0);
  if (u->building_index >= 0)
    ENTRY(m->building_row[u->building_index], 1.0);
  ENTRY(m->areas[u->area].def_row, -1.0);
  if (m->use_districts) {
    if (hh->children_6_16 > 0 && area->school >= 0)
      ENTRY(m->district_row[0][(size_t)c->household * k->n_schools + (size_t)area->school], -1.0);
    if (hh->children_0_5 > 0 && area->daycare >= 0)
      ENTRY(m->district_row[1][(size_t)c->household * k->n_daycares + (size_t)area->daycare], -1.0);
  } else { /* the children count directly */
    if (hh->children_6_16 > 0 && area->school >= 0)
      ENTRY(m->schools[area->school].def_row, -(double)hh->children_6_16);
    if (hh->children_0_5 > 0 && area->daycare >= 0)
      ENTRY(m->daycares[area->daycare].def_row, -(double)hh->children_0_5);
  }
  for (int t = 0; t < BP_TIER_COUNT; t++) {
    double coef = m->tier_row[t] ? tier_coef(m, (bp_tier)t, i) : 0.0;
    if (coef != 0.0)
      ENTRY(m->tier_row[t], coef);
  }
#undef ENTRY
  return len;
}

/* The objective coefficient of candidate i under the objective now set. */
static double objective_coef(const bp_model *m, size_t i) {
  if (m->waiting_weight > 0)
    return m->waiting_weight * tier_coef(m, BP_TIER_WAITING, i) +
           tier_coef(m, BP_TIER_PERMANENT, i);
  return tier_coef(m, m->objective_tier, i);
}

/* Group g in area a: its z, in the group's choice row (C10), and each
 * member's (C11) row, x's of the member there - z = 0.  Made with the first
 * member column there; until every member has one, the rows hold z at 0. */
static void make_group_area(bp_model *m, int g, int a) {
  const bp_case *k = m->kase;
  size_t na = k->n_areas;
  const bp_group *group = &k->groups[g];
  int *ind = bp_alloc(((size_t)group->n_members + 2) * sizeof *ind);
  double *val = bp_alloc(((size_t)group->n_members + 2) * sizeof *val);
  char name[160];
  int len = 0;
  ind[++len] = m->group_row[g];
  val[len] = 1.0;
  for (int j = 0; j < group->n_members; j++) {
    int h = group->members[j];
    int row = glp_add_rows(m->problem, 1);
    glp_set_row_bnds(m->problem, row, GLP_FX, 0.0, 0.0);
    if (m->with_names) {
      snprintf(name, sizeof name, "C11[%s,%s]", k->households[h].id, k->areas[a].id);
      glp_set_row_name(m->problem, row, name);
    }
    m->member_area_row[(size_t)m->member_slot[h] * na + (size_t)a] = row;
    ind[++len] = row;
    val[len] = -1.0;
  }
  int z = glp_add_cols(m->problem, 1);
  glp_set_col_kind(m->problem, z, GLP_BV);
  if (m->with_names) {
    snprintf(name, sizeof name, "z[%s,%s]", group->id, k->areas[a].id);
    glp_set_col_name(m->problem, z, name);
  }
  glp_set_mat_col(m->problem, z, len, ind, val);
  m->group_area_col[(size_t)g * na + (size_t)a] = z;
  add_decision(m, z);
  free(ind);
  free(val);
}

/* The w of household h in an institution's district, with its defining row
 * w - sum x = 0 and its children in the institution's count, unless it is
 * there already. */
static void make_district(bp_model *m, int h, int daycare, int inst) {
  const bp_case *k = m->kase;
  size_t n_inst = daycare ? k->n_daycares : k->n_schools;
  int *row = &m->district_row[daycare][(size_t)h * n_inst + (size_t)inst];
  if (*row)
    return;
  const bp_household *hh = &k->households[h];
  const bp_model_count *count = daycare ? &m->daycares[inst] : &m->schools[inst];
  int children = daycare ? hh->children_0_5 : hh->children_6_16;
  *row = glp_add_rows(m->problem, 1);
  glp_set_row_bnds(m->problem, *row, GLP_FX, 0.0, 0.0);
  int col = glp_add_cols(m->problem, 1);
  glp_set_col_kind(m->problem, col, GLP_BV);
  if (m->with_names) {
    char name[160];
    const char *inst_id = daycare ? k->daycares[inst].id : k->schools[inst].id;
    snprintf(name, sizeof name, "def_w[%s,%s]", hh->id, inst_id);
    glp_set_row_name(m->problem, *row, name);
    snprintf(name, sizeof name, "w[%s,%s]", hh->id, inst_id);
    glp_set_col_name(m->problem, col, name);
  }
  int ind[3] = {0, *row, count->def_row};
  double val[3] = {0, 1.0, -(double)children};
  glp_set_mat_col(m->problem, col, count->def_row ? 2 : 1, ind, val);
  if (m->n_districts == m->district_capacity) {
    m->district_capacity = 2 * m->district_capacity + 64;
    m->district_col = bp_realloc(m->district_col,
                                 m->district_capacity * sizeof *m->district_col);
    m->district_household = bp_realloc(m->district_household,
        m->district_capacity * sizeof *m->district_household);
    m->district_institution = bp_realloc(m->district_institution,
        m->district_capacity * sizeof *m->district_institution);
    m->district_is_daycare = bp_realloc(m->district_is_daycare,
        m->district_capacity * sizeof *m->district_is_daycare);
  }
  size_t slot = m->n_districts++;
  m->district_col[slot] = col;
  m->district_household[slot] = h;
  m->district_institution[slot] = inst;
  m->district_is_daycare[slot] = (char)daycare;
}

/* A limit row over a chain of x columns (first/next hold x index + 1). */
static int make_limit(bp_model *m, double limit, size_t first, const size_t *next,
                      const char *what, const char *id) {
  int row = glp_add_rows(m->problem, 1);
  glp_set_row_bnds(m->problem, row, GLP_UP, 0.0, limit);
  if (m->with_names) {
    char name[160];
    snprintf(name, sizeof name, "%s[%s]", what, id);
    glp_set_row_name(m->problem, row, name);
  }
  size_t length = 0;
  for (size_t k = first; k; k = next[k - 1])
    length++;
  int *ind = bp_alloc((length + 1) * sizeof *ind);
  double *val = bp_alloc((length + 1) * sizeof *val);
  int len = 0;
  for (size_t k = first; k; k = next[k - 1]) {
    ind[++len] = m->col_of_candidate[m->x_candidate[k - 1]];
    val[len] = 1.0;
  }
  glp_set_mat_row(m->problem, row, len, ind, val);
  free(ind);
  free(val);
  return row;
}

/* Links x column k into its unit's and building's chains, and makes (C2)
 * or (C8) when the chain has just outgrown the limit. */
static void add_limits(bp_model *m, size_t k) {
  const bp_case *kase = m->kase;
  const bp_candidate *c = &m->derived->candidates[m->x_candidate[k]];
  const bp_unit *u = &kase->units[c->unit];
  m->x_next_in_unit[k] = m->unit_first_x[c->unit];
  m->unit_first_x[c->unit] = k + 1;
  size_t before = m->unit_columns[c->unit];
  m->unit_columns[c->unit] += (size_t)household_count(m->derived, (size_t)c->household);
  if (before <= (size_t)u->places && m->unit_columns[c->unit] > (size_t)u->places &&
      !m->unit_row[c->unit])
    m->unit_row[c->unit] = make_limit(m, (double)u->places, m->unit_first_x[c->unit],
                                      m->x_next_in_unit, "C2", u->id); /* (C2) */
  int limit = kase->policy.max_new_per_building;
  int b = u->building_index;
  m->x_next_in_building[k] = 0;
  if (limit <= 0 || b < 0)
    return;
  m->x_next_in_building[k] = m->building_first_x[b];
  m->building_first_x[b] = k + 1;
  before = m->building_columns[b];
  m->building_columns[b] += (size_t)household_count(m->derived, (size_t)c->household);
  if (before <= (size_t)limit && m->building_columns[b] > (size_t)limit && !m->building_row[b])
    m->building_row[b] = make_limit(m, (double)limit, m->building_first_x[b],
                                    m->x_next_in_building, "C8",
                                    kase->buildings[b].name); /* (C8) */
}

size_t bp_model_add_candidates(bp_model *m, const size_t *list, size_t n) {
  if (m->n_x + n > m->x_capacity) {
    m->x_capacity = 2 * (m->n_x + n) + 64;
    m->x_candidate = bp_realloc(m->x_candidate, m->x_capacity * sizeof *m->x_candidate);
    m->x_next_in_unit = bp_realloc(m->x_next_in_unit, m->x_capacity * sizeof *m->x_next_in_unit);
    m->x_next_in_building = bp_realloc(m->x_next_in_building,
                                       m->x_capacity * sizeof *m->x_next_in_building);
  }
  int ind[16], added = 0;
  double val[16];
  char name[160];
  for (size_t l = 0; l < n; l++) {
    size_t i = list[l];
    if (m->col_of_candidate[i])
      continue;
    const bp_candidate *c = &m->derived->candidates[i];
    const bp_household *hh = &m->kase->households[c->household];
    int a = m->kase->units[c->unit].area;
    const bp_area *area = &m->kase->areas[a];
    int slot = m->member_slot[c->household];
    int group_row = slot >= 0 ? m->member_area_row[(size_t)slot * m->kase->n_areas +
                                                   (size_t)a]
                              : 0;
    if (group_row == BP_NO_ROW && !bp_candidate_locked(m->derived, i))
      continue; /* can never be chosen: no column */
    if (slot >= 0 && group_row == 0)
      make_group_area(m, hh->group, a);
    int never;
    if (m->use_districts && hh->children_6_16 > 0 && area->school >= 0)
      make_district(m, c->household, 0, area->school);
    if (m->use_districts && hh->children_0_5 > 0 && area->daycare >= 0)
      make_district(m, c->household, 1, area->daycare);
    int len = candidate_column(m, i, ind, val, &never);
    if (never) {
      if (!bp_candidate_locked(m->derived, i))
        continue; /* can never be chosen: no column */
      /* A lock holds at 1 what the group rule holds at 0: say so with a
       * row, so the model is infeasible and the lock is reported, instead
       * of the bound silently overriding the lock. */
      int row = glp_add_rows(m->problem, 1);
      glp_set_row_bnds(m->problem, row, GLP_UP, 0.0, 0.0);
      if (m->with_names) {
        snprintf(name, sizeof name, "C11[%s,%s]", m->kase->households[c->household].id,
                 m->kase->areas[m->kase->units[c->unit].area].id);
        glp_set_row_name(m->problem, row, name);
      }
      ind[++len] = row;
      val[len] = 1.0;
    }
    int col = glp_add_cols(m->problem, 1);
    double count = household_count(m->derived, (size_t)c->household);
    if (count > 1.0) { /* a class: up to its size of households */
      glp_set_col_kind(m->problem, col, GLP_IV);
      glp_set_col_bnds(m->problem, col, GLP_DB, 0.0, count);
    } else {
      glp_set_col_kind(m->problem, col, GLP_BV);
    }
    if (bp_candidate_locked(m->derived, i))
      glp_set_col_bnds(m->problem, col, GLP_FX, 1.0, 1.0); /* (C12) */
    if (m->with_names) {
      snprintf(name, sizeof name, "x[%s,%s]", m->kase->households[c->household].id,
               m->kase->units[c->unit].id);
      glp_set_col_name(m->problem, col, name);
    }
    glp_set_mat_col(m->problem, col, len, ind, val);
    glp_set_obj_coef(m->problem, col, objective_coef(m, i));
    m->col_of_candidate[i] = col;
    m->x_candidate[m->n_x++] = i;
    add_limits(m, m->n_x - 1);
    added++;
  }
  return (size_t)added;
}

double bp_model_reduced_cost(const bp_model *m, size_t i, const double *dual,
                             int *never, int *group_pending) {
  int ind[16];
  double val[16];
  int len = candidate_column(m, i, ind, val, never);
  if (*never)
    return 0.0;
  int slot = m->member_slot[m->derived->candidates[i].household];
  *group_pending = slot >= 0 &&
      m->member_area_row[(size_t)slot * m->kase->n_areas +
                         (size_t)m->kase->units[m->derived->candidates[i].unit].area] == 0;
  double reduced = objective_coef(m, i);
  for (int t = 1; t <= len; t++)
    reduced -= val[t] * dual[ind[t]];
  /* A w not made yet: price its row at the dual that makes the w column
   * itself dual feasible, children times its count's row dual, which is
   * the same as x entering the count directly. */
  const bp_case *k = m->kase;
  const bp_candidate *c = &m->derived->candidates[i];
  const bp_household *hh = &k->households[c->household];
  const bp_area *area = &k->areas[k->units[c->unit].area];
  if (!m->use_districts)
    return reduced; /* the children entered the counts directly above */
  if (hh->children_6_16 > 0 && area->school >= 0 &&
      !m->district_row[0][(size_t)c->household * k->n_schools + (size_t)area->school] &&
      m->schools[area->school].def_row)
    reduced += hh->children_6_16 * dual[m->schools[area->school].def_row];
  if (hh->children_0_5 > 0 && area->daycare >= 0 &&
      !m->district_row[1][(size_t)c->household * k->n_daycares + (size_t)area->daycare] &&
      m->daycares[area->daycare].def_row)
    reduced += hh->children_0_5 * dual[m->daycares[area->daycare].def_row];
  return reduced;
}

/* The coefficient of candidate i in a tier's objective. */
static double tier_coef(const bp_model *m, bp_tier tier, size_t i) {
  const bp_candidate *c = &m->derived->candidates[i];
  switch (tier) {
  case BP_TIER_HOUSED:
    return 1.0;
  case BP_TIER_WAITING:
    return (double)m->kase->households[c->household].waiting_days;
  case BP_TIER_PERMANENT:
    return m->kase->units[c->unit].kind == BP_UNIT_TRANSIT ? 0.0 : 1.0;
  case BP_TIER_SOFT:
    return c->pair_cost;
  case BP_TIER_COUNT:
    break;
  }
  return 0.0;
}

static void for_each_count(const bp_model *m,
                           void (*visit)(const bp_model_count *, void *),
                           void *arg) {
  for (size_t a = 0; a < m->kase->n_areas; a++)
    visit(&m->areas[a], arg);
  for (size_t s = 0; s < m->kase->n_schools; s++)
    visit(&m->schools[s], arg);
  for (size_t s = 0; s < m->kase->n_daycares; s++)
    visit(&m->daycares[s], arg);
}

static void set_count_objective(const bp_model_count *c, void *arg) {
  const bp_model *m = arg;
  const bp_policy *p = &m->kase->policy;
  if (c->spread_col)
    glp_set_obj_coef(m->problem, c->spread_col, p->weights.spread);
  if (c->near_cap_col)
    glp_set_obj_coef(m->problem, c->near_cap_col, p->weights.near_cap);
}

void bp_model_set_objective(bp_model *m, bp_tier tier) {
  int n = glp_get_num_cols(m->problem);
  m->objective_tier = tier;
  m->waiting_weight = 0.0;
  for (int j = 1; j <= n; j++)
    glp_set_obj_coef(m->problem, j, 0.0);
  for (size_t k = 0; k < m->n_x; k++)
    glp_set_obj_coef(m->problem, m->col_of_candidate[m->x_candidate[k]],
                     tier_coef(m, tier, m->x_candidate[k]));
  if (tier == BP_TIER_SOFT)
    for_each_count(m, set_count_objective, m);
  glp_set_obj_dir(m->problem, tier == BP_TIER_SOFT ? GLP_MIN : GLP_MAX);
}

void bp_model_set_waiting_permanent(bp_model *m, double waiting_weight) {
  int n = glp_get_num_cols(m->problem);
  m->objective_tier = BP_TIER_WAITING;
  m->waiting_weight = waiting_weight;
  for (int j = 1; j <= n; j++)
    glp_set_obj_coef(m->problem, j, 0.0);
  for (size_t k = 0; k < m->n_x; k++)
    glp_set_obj_coef(m->problem, m->col_of_candidate[m->x_candidate[k]],
                     objective_coef(m, m->x_candidate[k]));
  glp_set_obj_dir(m->problem, GLP_MAX);
}

double bp_model_tier_value(const bp_model *m, bp_tier tier, const double *x) {
  double value = 0.0;
  int n = glp_get_num_cols(m->problem);
  if (tier == BP_TIER_SOFT) {
    for (int j = 1; j <= n; j++)
      value += glp_get_obj_coef(m->problem, j) * x[j];
    return value;
  }
  for (size_t k = 0; k < m->n_x; k++)
    value += tier_coef(m, tier, m->x_candidate[k]) *
             x[m->col_of_candidate[m->x_candidate[k]]];
  return value;
}

void bp_model_fix_tier(bp_model *m, bp_tier tier, double value) {
  /* (C15) the tier's objective stays at its optimum in every later tier.
   * Tiers 1-3 are integer valued, so the bound is exact.  The soft tier is
   * the last and is never fixed. */
  int row = glp_add_rows(m->problem, 1);
  static const char *names[] = {"C15_housed", "C15_waiting", "C15_permanent",
                                "C15_soft"};
  glp_set_row_name(m->problem, row, names[tier]);
  int *cols = bp_alloc(((size_t)m->n_x + 1) * sizeof *cols);
  double *vals = bp_alloc(((size_t)m->n_x + 1) * sizeof *vals);
  int n = 0;
  for (size_t k = 0; k < m->n_x; k++) {
    double c = tier_coef(m, tier, m->x_candidate[k]);
    if (c != 0.0) {
      n++;
      cols[n] = m->col_of_candidate[m->x_candidate[k]];
      vals[n] = c;
    }
  }
  glp_set_mat_row(m->problem, row, n, cols, vals);
  glp_set_row_bnds(m->problem, row, GLP_LO, value, 0.0);
  m->tier_row[tier] = row;
  free(cols);
  free(vals);
}

void bp_model_free(bp_model *m) {
  if (m->problem)
    glp_delete_prob(m->problem);
  free(m->areas);
  free(m->schools);
  free(m->daycares);
  free(m->group_area_col);
  free(m->cluster_col);
  free(m->district_col);
  free(m->x_next_in_unit);
  free(m->x_next_in_building);
  free(m->unit_first_x);
  free(m->unit_columns);
  free(m->building_first_x);
  free(m->building_columns);
  free(m->decision_cols);
  free(m->group_row);
  free(m->district_household);
  free(m->district_institution);
  free(m->district_is_daycare);
  free(m->x_candidate);
  free(m->col_of_candidate);
  free(m->household_row);
  free(m->unit_row);
  free(m->building_row);
  free(m->district_row[0]);
  free(m->district_row[1]);
  free(m->member_slot);
  free(m->member_area_row);
  memset(m, 0, sizeof *m);
}

double bp_count_cost(const bp_policy *p, int base, int total, double cap, int k) {
  if (k == 0)
    return 0.0;
  double rate = 1.0 - NEAR_CAP * cap;
  double e0 = (double)base - NEAR_CAP * cap * total;
  double o = 0.0;
  if (rate > 0) {
    o = rate * k + (e0 < 0 ? e0 : 0.0);
    if (o < 0)
      o = 0.0;
  }
  return p->weights.spread * bp_spread_penalty(base, total, k) +
         p->weights.near_cap * o;
}

/* The least t and o that satisfy (C13) and (C14) at a count. */
static void complete_count(const bp_model *m, const bp_model_count *c,
                           double value, double *x) {
  if (!c->count_col)
    return;
  x[c->count_col] = value;
  if (c->spread_col) {
    double t = 0.0;
    for (int j = 0; j < c->bound; j++) {
      double fj = bp_spread_penalty(c->base_count, c->base_total, j);
      double slope = bp_spread_penalty(c->base_count, c->base_total, j + 1) - fj;
      double cut = fj + slope * (value - j);
      if (cut > t)
        t = cut;
    }
    x[c->spread_col] = t;
  }
  if (c->near_cap_col) {
    double rate = 1.0 - NEAR_CAP * c->cap;
    double e0 = (double)c->base_count - NEAR_CAP * c->cap * c->base_total;
    double o = rate * value + (e0 < 0 ? e0 : 0.0);
    x[c->near_cap_col] = o > 0 ? o : 0.0;
  }
  (void)m;
}

void bp_model_complete(const bp_model *m, const int *chosen, double *x) {
  const bp_case *k = m->kase;
  const bp_derived *d = m->derived;
  int n = glp_get_num_cols(m->problem);
  for (int j = 1; j <= n; j++)
    x[j] = 0.0;
  size_t na = k->n_areas;
  double *area_count = bp_calloc(na + 1, sizeof *area_count);
  int *group_area = bp_alloc((k->n_groups + 1) * sizeof *group_area);
  for (size_t g = 0; g < k->n_groups; g++)
    group_area[g] = -1;
  for (size_t h = 0; h < k->n_households; h++) {
    if (chosen[h] < 0)
      continue;
    x[m->col_of_candidate[chosen[h]]] = 1.0; /* the caller gave it a column */
    int a = k->units[d->candidates[chosen[h]].unit].area;
    area_count[a] += 1.0;
    if (k->households[h].group >= 0)
      group_area[k->households[h].group] = a;
  }
  for (size_t a = 0; a < na; a++) {
    complete_count(m, &m->areas[a], area_count[a], x);
    if (m->cluster_col[a])
      x[m->cluster_col[a]] = area_count[a] > 0 ? 1.0 : 0.0;
  }
  for (size_t g = 0; g < k->n_groups; g++)
    if (group_area[g] >= 0 && m->group_area_col[g * na + (size_t)group_area[g]])
      x[m->group_area_col[g * na + (size_t)group_area[g]]] = 1.0;
  double *children[2] = {bp_calloc(k->n_schools + 1, sizeof(double)),
                         bp_calloc(k->n_daycares + 1, sizeof(double))};
  for (size_t slot = 0; slot < m->n_districts; slot++) {
    int h = m->district_household[slot], daycare = m->district_is_daycare[slot];
    if (chosen[h] < 0)
      continue;
    const bp_area *area = &k->areas[k->units[d->candidates[chosen[h]].unit].area];
    if ((daycare ? area->daycare : area->school) == m->district_institution[slot])
      x[m->district_col[slot]] = 1.0;
  }
  for (size_t h = 0; h < k->n_households; h++) {
    if (chosen[h] < 0)
      continue;
    const bp_household *hh = &k->households[h];
    const bp_area *area = &k->areas[k->units[d->candidates[chosen[h]].unit].area];
    if (area->school >= 0)
      children[0][area->school] += hh->children_6_16;
    if (area->daycare >= 0)
      children[1][area->daycare] += hh->children_0_5;
  }
  for (size_t s = 0; s < k->n_schools; s++)
    complete_count(m, &m->schools[s], children[0][s], x);
  for (size_t s = 0; s < k->n_daycares; s++)
    complete_count(m, &m->daycares[s], children[1][s], x);
  free(children[0]);
  free(children[1]);
  free(area_count);
  free(group_area);
}

double bp_model_violation(const bp_model *m, const double *x) {
  glp_prob *P = m->problem;
  int n = glp_get_num_cols(P), rows = glp_get_num_rows(P);
  int *ind = bp_alloc(((size_t)n + 1) * sizeof *ind);
  double *val = bp_alloc(((size_t)n + 1) * sizeof *val);
  double worst = 0.0;
  for (int j = 1; j <= n; j++) {
    int type = glp_get_col_type(P, j);
    double lo = glp_get_col_lb(P, j), up = glp_get_col_ub(P, j);
    if (type != GLP_FR && type != GLP_UP && x[j] < lo)
      worst = fmax(worst, lo - x[j]);
    if ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && x[j] > up)
      worst = fmax(worst, x[j] - up);
  }
  for (int i = 1; i <= rows; i++) {
    int len = glp_get_mat_row(P, i, ind, val);
    double activity = 0.0;
    for (int t = 1; t <= len; t++)
      activity += val[t] * x[ind[t]];
    int type = glp_get_row_type(P, i);
    double lo = glp_get_row_lb(P, i), up = glp_get_row_ub(P, i);
    if ((type == GLP_LO || type == GLP_DB || type == GLP_FX) && activity < lo)
      worst = fmax(worst, lo - activity);
    if ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && activity > up)
      worst = fmax(worst, activity - up);
  }
  free(ind);
  free(val);
  return worst;
}
