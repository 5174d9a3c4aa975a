/**
 * @file export.c
 * @brief Writes a case's model for other solvers: MathProg data for
 *        models/boplace.mod, or the model itself in CPLEX LP or free MPS.
 *
 * The MathProg data carry the derived parameters (eligible pairs, costs,
 * caps) in the names of models/formulation.md §7, so that glpsol can solve
 * the same model from an independent formulation: that is how the tests
 * check the C-built model.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buffer.h"
#include "export.h"
#include "model.h"

/* MathProg symbols as single-quoted strings; a quote inside is doubled. */
static void symbol(bp_buffer *b, const char *text) {
  bp_buffer_append(b, "'");
  for (const char *p = text; *p; p++)
    bp_buffer_append(b, *p == '\'' ? "''" : (char[2]){*p, 0});
  bp_buffer_append(b, "'");
}

static void number(bp_buffer *b, double v) { bp_buffer_printf(b, " %.17g", v); }

static double room_value(int room) { return room == INT_MAX ? 1e9 : room; }

static void write_set(bp_buffer *b, const char *name, size_t n,
                      const char *(*id)(const bp_case *, size_t),
                      const bp_case *kase) {
  bp_buffer_printf(b, "set %s :=", name);
  for (size_t i = 0; i < n; i++) {
    bp_buffer_append(b, " ");
    symbol(b, id(kase, i));
  }
  bp_buffer_append(b, ";\n");
}

static const char *household_id(const bp_case *k, size_t i) { return k->households[i].id; }
static const char *unit_id(const bp_case *k, size_t i) { return k->units[i].id; }
static const char *area_id(const bp_case *k, size_t i) { return k->areas[i].id; }
static const char *school_id(const bp_case *k, size_t i) { return k->schools[i].id; }
static const char *daycare_id(const bp_case *k, size_t i) { return k->daycares[i].id; }
static const char *building_id(const bp_case *k, size_t i) { return k->buildings[i].name; }
static const char *group_id(const bp_case *k, size_t i) { return k->groups[i].id; }

static void institution_params(bp_buffer *b, const char *suffix,
                               const bp_institution *inst, size_t n,
                               const int *room, const double *cap) {
  const char *names[] = {"F", "p", "b", "Kb", "cap"};
  for (int k = 0; k < 5; k++) {
    bp_buffer_printf(b, "param %s_%s :=", names[k], suffix);
    for (size_t i = 0; i < n; i++) {
      double v = k == 0 ? inst[i].free_seats
               : k == 1 ? inst[i].enrolled
               : k == 2 ? inst[i].bilingual
               : k == 3 ? room_value(room[i])
                        : cap[i];
      bp_buffer_append(b, " ");
      symbol(b, inst[i].id);
      number(b, v);
    }
    bp_buffer_append(b, ";\n");
  }
}

static char *mathprog_data(const bp_case *kase, const bp_derived *d) {
  bp_buffer b = {0};
  const bp_policy *p = &kase->policy;
  bp_buffer_append(&b, "/* boplace: data for models/boplace.mod */\ndata;\n");
  write_set(&b, "H", kase->n_households, household_id, kase);
  write_set(&b, "U", kase->n_units, unit_id, kase);
  write_set(&b, "A", kase->n_areas, area_id, kase);
  write_set(&b, "S", kase->n_schools, school_id, kase);
  write_set(&b, "D", kase->n_daycares, daycare_id, kase);
  write_set(&b, "B", kase->n_buildings, building_id, kase);
  /* Only groups of two or more constrain anything. */
  bp_buffer_append(&b, "set G :=");
  for (size_t g = 0; g < kase->n_groups; g++)
    if (kase->groups[g].n_members >= 2) {
      bp_buffer_append(&b, " ");
      symbol(&b, group_id(kase, g));
    }
  bp_buffer_append(&b, ";\nset E :=");
  for (size_t i = 0; i < d->n_candidates; i++) {
    bp_buffer_append(&b, " (");
    symbol(&b, kase->households[d->candidates[i].household].id);
    bp_buffer_append(&b, ",");
    symbol(&b, kase->units[d->candidates[i].unit].id);
    bp_buffer_append(&b, ")");
  }
  bp_buffer_append(&b, ";\n");

  bp_buffer_append(&b, "param places :=");
  for (size_t u = 0; u < kase->n_units; u++) {
    bp_buffer_append(&b, " ");
    symbol(&b, kase->units[u].id);
    number(&b, kase->units[u].places);
  }
  bp_buffer_append(&b, ";\nparam perm :=");
  for (size_t u = 0; u < kase->n_units; u++) {
    bp_buffer_append(&b, " ");
    symbol(&b, kase->units[u].id);
    number(&b, kase->units[u].kind != BP_UNIT_TRANSIT);
  }
  bp_buffer_append(&b, ";\nparam unit_area :=");
  for (size_t u = 0; u < kase->n_units; u++) {
    bp_buffer_append(&b, " ");
    symbol(&b, kase->units[u].id);
    bp_buffer_append(&b, " ");
    symbol(&b, kase->areas[kase->units[u].area].id);
  }
  bp_buffer_append(&b, ";\nparam unit_building :=");
  for (size_t u = 0; u < kase->n_units; u++) {
    if (kase->units[u].building_index < 0)
      continue;
    bp_buffer_append(&b, " ");
    symbol(&b, kase->units[u].id);
    bp_buffer_append(&b, " ");
    symbol(&b, kase->buildings[kase->units[u].building_index].name);
  }
  bp_buffer_append(&b, ";\n");

  const char *hparams[] = {"c6", "c05", "wait"};
  for (int k = 0; k < 3; k++) {
    bp_buffer_printf(&b, "param %s :=", hparams[k]);
    for (size_t h = 0; h < kase->n_households; h++) {
      const bp_household *hh = &kase->households[h];
      bp_buffer_append(&b, " ");
      symbol(&b, hh->id);
      number(&b, k == 0 ? hh->children_6_16
                 : k == 1 ? hh->children_0_5
                          : hh->waiting_days);
    }
    bp_buffer_append(&b, ";\n");
  }

  bp_buffer_append(&b, "param area_school :=");
  for (size_t a = 0; a < kase->n_areas; a++) {
    bp_buffer_append(&b, " ");
    symbol(&b, kase->areas[a].id);
    bp_buffer_append(&b, " ");
    symbol(&b, kase->schools[kase->areas[a].school].id);
  }
  bp_buffer_append(&b, ";\nparam area_daycare :=");
  for (size_t a = 0; a < kase->n_areas; a++) {
    if (kase->areas[a].daycare < 0)
      continue;
    bp_buffer_append(&b, " ");
    symbol(&b, kase->areas[a].id);
    bp_buffer_append(&b, " ");
    symbol(&b, kase->daycares[kase->areas[a].daycare].id);
  }
  bp_buffer_append(&b, ";\n");
  const char *aparams[] = {"n", "N", "Karea", "cap", "fresh"};
  for (int k = 0; k < 5; k++) {
    bp_buffer_printf(&b, "param %s :=", aparams[k]);
    for (size_t a = 0; a < kase->n_areas; a++) {
      const bp_area *area = &kase->areas[a];
      bp_buffer_append(&b, " ");
      symbol(&b, area->id);
      number(&b, k == 0 ? area->newcomer_households
                 : k == 1 ? area->households
                 : k == 2 ? room_value(d->area_room[a])
                 : k == 3 ? d->area_cap[a]
                          : area->newcomer_households == 0);
    }
    bp_buffer_append(&b, ";\n");
  }
  institution_params(&b, "s", kase->schools, kase->n_schools,
                     d->school_bilingual_room, d->school_cap);
  institution_params(&b, "d", kase->daycares, kase->n_daycares,
                     d->daycare_bilingual_room, d->daycare_cap);

  bp_buffer_append(&b, "param member :=");
  for (size_t g = 0; g < kase->n_groups; g++) {
    if (kase->groups[g].n_members < 2)
      continue;
    for (int k = 0; k < kase->groups[g].n_members; k++) {
      bp_buffer_append(&b, " ");
      symbol(&b, kase->groups[g].id);
      bp_buffer_append(&b, " ");
      symbol(&b, kase->households[kase->groups[g].members[k]].id);
      number(&b, 1);
    }
  }
  bp_buffer_append(&b, ";\nparam cost :=");
  for (size_t i = 0; i < d->n_candidates; i++) {
    bp_buffer_append(&b, "\n ");
    symbol(&b, kase->households[d->candidates[i].household].id);
    bp_buffer_append(&b, " ");
    symbol(&b, kase->units[d->candidates[i].unit].id);
    number(&b, d->candidates[i].pair_cost);
  }
  bp_buffer_append(&b, ";\nparam placelock :=");
  for (size_t i = 0; i < d->n_candidates; i++) {
    if (!bp_candidate_locked(d, i))
      continue;
    bp_buffer_append(&b, " ");
    symbol(&b, kase->households[d->candidates[i].household].id);
    bp_buffer_append(&b, " ");
    symbol(&b, kase->units[d->candidates[i].unit].id);
    number(&b, 1);
  }
  bp_buffer_append(&b, ";\n");
  bp_buffer_printf(&b, "param M_b := %d;\nparam m := %d;\nparam theta := 0.8;\n",
                   p->max_new_per_building, p->min_cluster);
  bp_buffer_printf(&b, "param w_spread := %.17g;\nparam w_near_cap := %.17g;\n",
                   p->weights.spread, p->weights.near_cap);
  bp_buffer_append(&b, "param tier := 1;\nparam v1 := 0;\nparam v2 := 0;\n"
                       "param v3 := 0;\nend;\n");
  return bp_buffer_take(&b);
}

static int ends_with(const char *text, const char *suffix) {
  size_t n = strlen(text), k = strlen(suffix);
  return n >= k && strcmp(text + n - k, suffix) == 0;
}

bp_status bp_export(const bp_case *kase, const bp_derived *d, const char *path,
                    bp_diagnostics *diag) {
  if (ends_with(path, ".dat")) {
    char *text = mathprog_data(kase, d);
    bp_status status = bp_write_file_atomically(path, text, strlen(text), diag);
    free(text);
    return status;
  }
  int lp = ends_with(path, ".lp");
  if (!lp && !ends_with(path, ".mps")) {
    bp_error(diag, path, 0, 0,
             "unknown model format: the file name must end in .lp, .mps or .dat");
    return BP_USAGE;
  }
  /* The model with the first tier's objective: house as many as possible.
   * Written to a temporary name and renamed, like every output. */
  bp_model m;
  bp_model_build(kase, d, 1, &m);
  bp_model_set_objective(&m, BP_TIER_HOUSED);
  /* GLPK writes to a file; we read it back to add the header line and then
   * write it like every output: atomically, owner-only. */
  char *temporary = bp_format("%s.glpk-XXXXXX", path);
  int fd = mkstemp(temporary);
  int ret = fd < 0;
  if (fd >= 0) {
    close(fd);
    glp_term_out(GLP_OFF);
    ret = lp ? glp_write_lp(m.problem, NULL, temporary)
             : glp_write_mps(m.problem, GLP_MPS_FILE, NULL, temporary);
    glp_term_out(GLP_ON);
  }
  bp_model_free(&m);
  bp_buffer text = {0};
  /* Free MPS has no objective sense, and glpsol refuses an OBJSENSE
   * section: say it where every reader of the file will see it. */
  bp_buffer_append(&text, lp ? "\\ boplace: tier 1, maximise the households housed\n"
                             : "* boplace: tier 1, MAXIMISE the households housed "
                               "(free MPS has no objective sense: use your "
                               "solver's max option, e.g. glpsol --max, cbc max)\n");
  FILE *in = ret == 0 ? fopen(temporary, "rb") : NULL;
  if (in) {
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
      bp_buffer_append_n(&text, chunk, n);
    fclose(in);
  }
  remove(temporary);
  free(temporary);
  if (!in) {
    bp_buffer_free(&text);
    bp_error(diag, path, 0, 0, "could not write the model");
    return BP_FAILURE;
  }
  bp_status status = bp_write_file_atomically(path, text.data, text.length, diag);
  bp_buffer_free(&text);
  return status;
}
