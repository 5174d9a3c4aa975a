/**
 * @file main.c
 * @brief The command line: `boplace run`, `check`, `export`.
 *
 * Only argument handling and the human summary live here; every stage is in
 * the library (boplace.h), so the tests can drive each one directly.
 * Exit status (SPEC.md): 0 a run completed, 1 wrong usage, 2 invalid input
 * (every problem listed, nothing written), 3 internal or solver failure.
 */
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "boplace.h"
#include "command.h"
#include "explain.h"
#include "export.h"
#include "greedy.h"


static const char *main_help =
    "NAME\n"
    "    boplace - housing-placement proposals for newly arrived refugee households\n"
    "\n"
    "SYNOPSIS\n"
    "    boplace run CASE_DIR [-o OUT_DIR] [--policy FILE] [--lang en|da] [--time-limit S]\n"
    "                [--method optimizer|greedy]\n"
    "    boplace check CASE_DIR [--policy FILE]\n"
    "    boplace export CASE_DIR FILE.lp|FILE.mps|FILE.dat [--policy FILE]\n"
    "    boplace compare CASE_DIR SCENARIO.json... [-o DIR]\n"
    "    boplace accept OUT_DIR --case CASE_DIR [--households ID,...] [--week YYYY-Www]\n"
    "    boplace history CASE_DIR [-o DIR]\n"
    "    boplace report OUT_DIR [--lang en|da] [-o FILE]\n"
    "    boplace --help | --version\n"
    "    boplace COMMAND --help\n"
    "\n"
    "DESCRIPTION\n"
    "    boplace reads the week's case - vacant units, the public-transport\n"
    "    network, schools and daycares, the households to place - and proposes a\n"
    "    home for as many households as possible, longest waiting first, while\n"
    "    keeping every hard rule (rooms, rent, travel limits, school seats,\n"
    "    newcomer and bilingual shares, building limits, groups, locks). Among\n"
    "    those proposals it prefers spread across the municipality, short\n"
    "    travel, affordable rent and the households' wishes, by the policy's\n"
    "    weights. Every proposal comes with a justification a caseworker can\n"
    "    read out to the family.\n"
    "\n"
    "COMMANDS\n"
    "    run      solve the case and write proposals.csv, unplaced.csv and\n"
    "             proposals.json into OUT_DIR, with the spread report:\n"
    "             report.html, summary.json and placements.geojson\n"
    "    check    validate the case only; print every problem found\n"
    "    export   write the model for another solver (.lp, .mps) or the data\n"
    "             for models/boplace.mod (.dat)\n"
    "    compare  run the case and what-if scenarios (data/SCENARIOS.md) and\n"
    "             show them side by side: a table, compare.csv, compare.html\n"
    "    accept   record accepted proposals in CASE_DIR/history.csv; later\n"
    "             runs leave those households and units out\n"
    "    history  the accepted placements week by week: households housed,\n"
    "             days to a permanent home, spread; a table and history.html\n"
    "    report   render a run's report.html again from its summary.json, in\n"
    "             English or Danish: map, shares before and after against\n"
    "             their caps, travel times, reasons, spread indices\n"
    "\n"
    "EXIT STATUS\n"
    "    0  the run completed (households left unplaced are a result, not an error)\n"
    "    1  wrong usage\n"
    "    2  the input is invalid: every problem is listed as file:line:column,\n"
    "       and nothing is written\n"
    "    3  an internal or solver failure; nothing half-written is left behind\n"
    "\n"
    "FILES\n"
    "    The case directory and its files are described in data/README.md,\n"
    "    the outputs in data/OUTPUTS.md, the model in models/formulation.md.\n";

static const char *run_help =
    "NAME\n"
    "    boplace run - propose homes for this week's households\n"
    "\n"
    "SYNOPSIS\n"
    "    boplace run CASE_DIR [-o OUT_DIR] [--policy FILE] [--lang en|da] [--time-limit S]\n"
    "                [--method optimizer|greedy]\n"
    "\n"
    "OPTIONS\n"
    "    -o, --out OUT_DIR   where to write the outputs (default: out). Created\n"
    "                        if missing; existing outputs are replaced whole.\n"
    "    --policy FILE       the policy to use instead of CASE_DIR/policy.json.\n"
    "                        Keys it leaves out keep their defaults.\n"
    "    --lang en|da        language of the justification texts and summary\n"
    "                        (overrides the policy's \"language\").\n"
    "    --time-limit S      S seconds for the whole run, reading to writing:\n"
    "                        the solver stops in time for the outputs to be\n"
    "                        written by then and keeps the best proposal\n"
    "                        found; the summary reports the gap (overrides\n"
    "                        the policy's \"time_limit_s\").\n"
    "    --method optimizer|greedy\n"
    "                        optimizer (the default) solves the model of\n"
    "                        models/formulation.md. greedy is the hand method,\n"
    "                        the benchmark's baseline: longest waiting first,\n"
    "                        each household the cheapest unit that keeps every\n"
    "                        rule, given those placed before it. It keeps every\n"
    "                        hard rule but may house fewer; no gap is reported.\n"
    "\n"
    "OUTPUTS\n"
    "    proposals.csv   one row per household proposed a unit, with the reason\n"
    "    unplaced.csv    one row per household not housed, with a reason code:\n"
    "                    NO_ELIGIBLE_UNIT, OUTCOMPETED, CAP_BINDING, GROUP, LOCK\n"
    "    proposals.json  the same with the full justification and the run record\n"
    "    report.html     the spread report for the council: map, shares before and\n"
    "                    after against their caps, travel times, spread indices\n"
    "    summary.json    the report's figures for machines\n"
    "    placements.geojson  the proposed homes as points, for QGIS\n"
    "    The files are readable by their owner only: they describe people.\n"
    "\n"
    "EXAMPLE\n"
    "    boplace run data/sample -o out --lang da\n";

static const char *check_help =
    "NAME\n"
    "    boplace check - validate a case without solving it\n"
    "\n"
    "SYNOPSIS\n"
    "    boplace check CASE_DIR [--policy FILE]\n"
    "\n"
    "DESCRIPTION\n"
    "    Reads every file of the case, checks types, references and counts,\n"
    "    computes travel times and checks the locks, and prints every problem\n"
    "    found as file:line:column: message. Exit status 0 when the case is\n"
    "    valid (warnings allowed), 2 when it is not.\n";

static const char *export_help =
    "NAME\n"
    "    boplace export - write the model for another solver\n"
    "\n"
    "SYNOPSIS\n"
    "    boplace export CASE_DIR FILE [--policy FILE]\n"
    "\n"
    "DESCRIPTION\n"
    "    FILE.lp writes the mixed-integer program in CPLEX LP format and FILE.mps\n"
    "    in free MPS, with the first tier's objective (house as many households\n"
    "    as possible; maximise - free MPS cannot say so, so give your solver its\n"
    "    max option, e.g. glpsol --max, cbc max). FILE.dat writes the data of the case for the MathProg\n"
    "    model models/boplace.mod:\n"
    "        glpsol --math models/boplace.mod --data FILE.dat\n";

typedef struct {
  const char *command;
  const char *case_dir;
  const char *out_dir;
  const char *policy;
  const char *export_path;
  int language; /* -1 = from the policy */
  double time_limit; /* < 0 = from the policy */
  int greedy;        /* run --method greedy: the hand method (greedy.h) */
} options;

static int usage(const char *message, const char *detail) {
  return bp_command_usage("boplace", message, detail);
}

static int parse_options(int argc, char **argv, options *o, const char **help) {
  memset(o, 0, sizeof *o);
  o->language = -1;
  o->time_limit = -1;
  o->out_dir = "out";
  o->command = argv[1];
  *help = strcmp(o->command, "run") == 0      ? run_help
          : strcmp(o->command, "check") == 0  ? check_help
          : strcmp(o->command, "export") == 0 ? export_help
                                              : NULL;
  if (!*help)
    return usage("unknown command: ", o->command);
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(*help, stdout);
      *help = NULL;
      return -1;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
      if (!value)
        return usage("-o needs a directory", NULL);
      o->out_dir = value;
      i++;
    } else if (strcmp(a, "--policy") == 0) {
      if (!value)
        return usage("--policy needs a file", NULL);
      o->policy = value;
      i++;
    } else if (strcmp(a, "--lang") == 0) {
      if (!value || (strcmp(value, "en") && strcmp(value, "da")))
        return usage("--lang takes en or da", NULL);
      o->language = strcmp(value, "da") == 0 ? BP_LANG_DA : BP_LANG_EN;
      i++;
    } else if (strcmp(a, "--time-limit") == 0) {
      char *end = NULL;
      double s = value ? strtod(value, &end) : NAN;
      if (!value || *end || !(s > 0) || !isfinite(s))
        return usage("--time-limit takes a number of seconds > 0", NULL);
      o->time_limit = s;
      i++;
    } else if (strcmp(a, "--method") == 0) {
      if (strcmp(o->command, "run") != 0)
        return usage("--method is an option of run", NULL);
      if (!value || (strcmp(value, "optimizer") && strcmp(value, "greedy")))
        return usage("--method takes optimizer or greedy", NULL);
      o->greedy = strcmp(value, "greedy") == 0;
      i++;
    } else if (a[0] == '-' && a[1]) {
      return usage("unknown option: ", a);
    } else if (!o->case_dir) {
      o->case_dir = a;
    } else if (strcmp(o->command, "export") == 0 && !o->export_path) {
      o->export_path = a;
    } else {
      return usage("unexpected argument: ", a);
    }
  }
  if (!o->case_dir)
    return usage(o->command, " needs a CASE_DIR");
  if (strcmp(o->command, "export") == 0 && !o->export_path)
    return usage("export needs a FILE (.lp, .mps or .dat)", NULL);
  return 0;
}

/* Reads and derives: the part every command shares. */
static bp_status load(const options *o, bp_run *run) {
  bp_load_options lo = {o->policy, o->language, o->time_limit};
  return bp_load(o->case_dir, &lo, run);
}

static void print_diagnostics(bp_run *run, bp_status status) {
  bp_diagnostics_sort(&run->diagnostics);
  bp_diagnostics_print(&run->diagnostics, stderr);
  if (status == BP_INVALID)
    fprintf(stderr, "boplace: %zu problem%s found; nothing was written.\n",
            run->diagnostics.errors, run->diagnostics.errors == 1 ? "" : "s");
}

/* The caps that decided the outcome (explain.h): the council's first
 * question is which rules bit. */
static void print_binding_caps(const bp_run *run, int da) {
  enum { MOST_CAPS_NAMED = 12, NAMED_PER_KIND = 3 };
  static const char *const what[2][BP_CAP_BUILDING_LIMIT + 1] = {
      {[BP_CAP_NEWCOMER_SHARE] = "newcomer share",
       [BP_CAP_FREE_SEATS] = "free seats",
       [BP_CAP_FREE_PLACES] = "free places",
       [BP_CAP_BILINGUAL_SHARE] = "bilingual share",
       [BP_CAP_BUILDING_LIMIT] = "building limit"},
      {[BP_CAP_NEWCOMER_SHARE] = "andel nytilkomne",
       [BP_CAP_FREE_SEATS] = "ledige pladser",
       [BP_CAP_FREE_PLACES] = "ledige pladser",
       [BP_CAP_BILINGUAL_SHARE] = "tosprogsandel",
       [BP_CAP_BUILDING_LIMIT] = "grænse pr. bygning"}};
  bp_tally tally;
  bp_tally_build(&run->kase, &run->derived, &run->solution, &tally);
  bp_binding_cap *caps;
  size_t n = bp_binding_caps(&run->kase, &run->derived, &tally, &caps);
  printf("%s", da ? "Lofter der er nået:" : "Caps reached:");
  if (n <= MOST_CAPS_NAMED) {
    for (size_t i = 0; i < n; i++)
      printf("%s %s (%s)", i ? "," : "", caps[i].name, what[da][caps[i].kind]);
    printf("%s\n", n ? "" : (da ? " ingen" : " none"));
  } else {
    /* A national case reaches thousands (XL: 2,900, most of them building
     * limits).  One line per kind of cap, with its count and first names
     * (between semicolons, since building names hold commas), keeps the
     * summary readable on a terminal. */
    printf(" %zu\n", n);
    for (int kind = 0; kind <= BP_CAP_BUILDING_LIMIT; kind++) {
      size_t of_kind = 0;
      for (size_t i = 0; i < n; i++)
        of_kind += (int)caps[i].kind == kind;
      if (of_kind == 0)
        continue;
      printf("  %s (%zu):", what[da][kind], of_kind);
      size_t named = 0;
      for (size_t i = 0; i < n && named < NAMED_PER_KIND; i++)
        if ((int)caps[i].kind == kind)
          printf("%s %s", named++ ? ";" : "", caps[i].name);
      if (of_kind > named)
        printf(da ? " og %zu flere" : " and %zu more", of_kind - named);
      printf("\n");
    }
  }
  free(caps);
  bp_tally_free(&tally);
}

/* A figure with one or two decimals, with a decimal comma in Danish. */
static const char *decimal(char *buf, size_t size, double value, int digits,
                           int da) {
  snprintf(buf, size, "%.*f", digits, value);
  if (da)
    for (char *p = buf; *p; p++)
      if (*p == '.')
        *p = ',';
  return buf;
}

static void print_summary(const bp_run *run, const char *out_dir, int greedy) {
  const bp_case *k = &run->kase;
  const bp_solution *s = &run->solution;
  int da = k->policy.language == BP_LANG_DA;
  int transit = 0, places = 0;
  for (size_t u = 0; u < k->n_units; u++)
    places += k->units[u].places;
  for (size_t h = 0; h < k->n_households; h++) {
    int c = s->candidate_of_household[h];
    if (c >= 0 &&
        k->units[run->derived.candidates[c].unit].kind == BP_UNIT_TRANSIT)
      transit++;
  }
  printf(da ? "boplace %s: %s\n" : "boplace %s: case %s\n", BOPLACE_VERSION, k->dir);
  printf(da ? "  %zu husstande, %zu boliger (%d pladser), %zu områder\n"
            : "  %zu households, %zu units (%d places), %zu areas\n",
         k->n_households, k->n_units, places, k->n_areas);
  printf(da ? "Boligplacering foreslået: %d af %zu husstande (%d personer)"
            : "Housed: %d of %zu households (%d persons)",
         s->housed, k->n_households, s->housed_persons);
  if (transit)
    printf(da ? ", heraf %d i midlertidig bolig" : ", %d of them in transit housing",
           transit);
  printf("\n");
  int counts[BP_REASON_LOCK + 1] = {0};
  for (size_t h = 0; h < k->n_households; h++)
    counts[run->explanation.households[h].code]++;
  printf(da ? "Ikke placeret: %zu" : "Not housed: %zu",
         k->n_households - (size_t)s->housed);
  int first = 1;
  for (int r = BP_REASON_NO_ELIGIBLE_UNIT; r <= BP_REASON_LOCK; r++)
    if (counts[r]) {
      printf("%s %s %d", first ? " -" : ",",
             bp_reason_code_name((bp_reason_code)r), counts[r]);
      first = 0;
    }
  printf("\n");
  print_binding_caps(run, da);
  const char *status = s->status == BP_SOLVE_OPTIMAL ? "optimal"
                       : s->interrupted ? (da ? "afbrudt" : "interrupted")
                                        : (da ? "tidsgrænse nået"
                                              : "time limit reached");
  char gap[32], seconds[32];
  if (isnan(s->gap)) {
    snprintf(gap, sizeof gap, "%s", da ? "ukendt" : "unknown");
  } else {
    decimal(gap, sizeof gap, 100.0 * s->gap, 2, da);
    strcat(gap, da ? " %" : "%");
  }
  decimal(seconds, sizeof seconds, s->seconds, 2, da);
  if (greedy)
    printf(da ? "Metode: grådig (håndmetoden, ingen optimering), %s s\n"
              : "Method: greedy (the hand method, not optimised), %s s\n",
           seconds);
  else
    printf(da ? "Løser: %s, gab %s, %s s (model %d rækker, %d søjler)\n"
            : "Solver: %s, gap %s, %s s (model %d rows, %d columns)\n",
         status, gap, seconds, s->rows, s->columns);
  printf(da ? "Resultater i %s/: proposals.csv, unplaced.csv, proposals.json, "
              "report.html (rapporten), summary.json, placements.geojson\n"
            : "Outputs in %s/: proposals.csv, unplaced.csv, proposals.json, "
              "report.html (the report), summary.json, placements.geojson\n",
         out_dir);
}

/* Ctrl-C during a run: stop the solver and keep the best proposal found so
 * far, written like any other (atomically).  A second Ctrl-C kills at once;
 * the atomic writes still leave no half-written file behind. */
static void on_interrupt(int signal_number) {
  (void)signal_number;
  bp_request_stop();
  signal(SIGINT, SIG_DFL);
}

static int command_run(const options *o) {
  bp_run run;
  signal(SIGINT, on_interrupt);
  bp_status status = load(o, &run);
  if (status == BP_OK)
    status = o->greedy ? bp_greedy_and_explain(&run)
                       : bp_solve_and_explain(&run);
  if (status == BP_OK) {
    double started = bp_clock_seconds();
    status = bp_write_outputs(&run, o->out_dir, &run.diagnostics);
    bp_trace_stage("write", started);
  }
  print_diagnostics(&run, status);
  if (status == BP_OK)
    print_summary(&run, o->out_dir, o->greedy);
  bp_run_free(&run);
  return status;
}

static int command_check(const options *o) {
  bp_run run;
  bp_status status = load(o, &run);
  print_diagnostics(&run, status);
  if (status == BP_OK) {
    printf("%s: valid: %zu households, %zu units, %zu areas, %zu eligible "
           "(household, unit) pairs",
           o->case_dir, run.kase.n_households, run.kase.n_units,
           run.kase.n_areas, run.derived.n_candidates);
    if (run.diagnostics.warnings)
      printf(", %zu warning%s", run.diagnostics.warnings,
             run.diagnostics.warnings == 1 ? "" : "s");
    printf("\n");
  }
  bp_run_free(&run);
  return status;
}

static int command_export(const options *o) {
  bp_run run;
  bp_status status = load(o, &run);
  if (status == BP_OK)
    status = bp_export(&run.kase, &run.derived, o->export_path,
                       &run.diagnostics);
  print_diagnostics(&run, status);
  bp_run_free(&run);
  return status;
}

/* Commands in files of their own (command.h), each parsing its own
 * arguments from its name on. */
static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
} other_commands[] = {
    {"compare", bp_command_compare},
    {"accept", bp_command_accept},
    {"history", bp_command_history},
    {"report", bp_command_report},
    {NULL, NULL}, /* the end; add new commands above this line */
};

int main(int argc, char **argv) {
  if (argc < 2)
    return usage("no command given", NULL);
  if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
      strcmp(argv[1], "help") == 0) {
    fputs(main_help, stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("boplace %s\n", BOPLACE_VERSION);
    return 0;
  }
  for (size_t c = 0; other_commands[c].name; c++)
    if (strcmp(argv[1], other_commands[c].name) == 0) {
      int status = other_commands[c].run(argc - 1, argv + 1);
      glp_free_env();
      return status;
    }
  options o;
  const char *help = NULL;
  int parsed = parse_options(argc, argv, &o, &help);
  if (parsed < 0)
    return 0; /* --help was printed */
  if (parsed > 0)
    return parsed;
  int status = strcmp(o.command, "run") == 0     ? command_run(&o)
               : strcmp(o.command, "check") == 0 ? command_check(&o)
                                                 : command_export(&o);
  glp_free_env(); /* GLPK's own environment, so valgrind shows nothing left */
  return status;
}
