"""MathProg cross-check: glpsol on models/boplace.mod against the C model.

For a handful of cases (the brute-force generator's tiny ones, a few of
its medium ones with 8-25 households, and the sample in data/sample) this
test

  1. runs `$BOPLACE run CASE -o OUT` and reads the tier values from
     OUT/proposals.json (run.solver.tiers.{housed,waiting,permanent,soft}
     .value);
  2. runs `$BOPLACE export CASE FILE.dat` (the data of formulation.md
     section 7) and solves models/boplace.mod with glpsol for tier 1..4,
     each tier with the previous tiers' optima as v1..v3 (C15);
  3. asserts that each tier's optimum equals the C value: tiers 1-3
     exactly, the soft tier within 1e-6 relative; and that check_outputs()
     finds no violation in the run's outputs.

Two further checks need no C code at all, so they also tell a fault in the
program from a fault in boplace.mod:
  * models/boplace_example.dat, worked by hand, gives its known optima;
  * for the generated cases, a data file written here from boplace_check's
    own reading of the case (its own eligibility, costs and K) gives, under
    glpsol, the optima found by exhaustive enumeration, and the C values.

And on cases of their own, tier 2's bound on the classes (solve.c,
class_bound; BOPLACE_POOL_TIERS=1 makes the program take it, as time
does at the national size) may not be below the LP optimum of
boplace.mod's tier 2 with tier 1 at the same value, nor below the run's
own tier 2 value; at least one case must take it.

Skipped (exit 77, the meson skip code) with a message only if glpsol is not
installed (Debian's glpk-utils).  Last line: "N passed, M failed".

  python3 tests/test_mathprog.py [--cases N] [--self-test]
"""

import argparse
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import boplace_check as bc  # noqa: E402
import test_brute_force as tbf  # noqa: E402

SOURCE = os.environ.get("BOPLACE_SOURCE", os.path.dirname(HERE))
MODEL = os.path.join(SOURCE, "models", "boplace.mod")
EXAMPLE = os.path.join(SOURCE, "models", "boplace_example.dat")
# The hand-worked optima of models/boplace_example.dat (see its header).
EXAMPLE_TIERS = (3, 135, 2, 13.636345282)
N_CASES = 25
N_MEDIUM = 6     # medium cases (8-25 households, 15-45 units): no enumeration
N_CLASS_CASES = 80  # tiny cases for tier 2's bound on the classes
SEED = 7001
TIER_NAMES = ("housed", "waiting", "permanent", "soft")
SOFT_RTOL = 1e-6
GLPSOL_TIME_LIMIT_S = 300


def close_soft(a, b):
    return abs(a - b) <= 1e-9 + SOFT_RTOL * max(abs(a), abs(b))


# ---------------------------------------------------------------------------
# glpsol
# ---------------------------------------------------------------------------

_PARAM_RE = re.compile(r"param\s+(tier|v1|v2|v3)\s*:=\s*[^;]*;")


def with_tier(dat_text, tier, values):
    """dat_text with tier and v1..v3 replaced (previous tiers' optima)."""
    text = _PARAM_RE.sub("", dat_text)
    text = re.sub(r"\bend\s*;\s*$", "", text.rstrip())
    v = list(values) + [0] * (3 - len(values))
    return text + ("\nparam tier := %d;\nparam v1 := %.17g;\nparam v2 := "
                   "%.17g;\nparam v3 := %.17g;\nend;\n" % (tier, v[0], v[1],
                                                          v[2]))


def run_glpsol(dat_path, tier, values, workdir, options, timeout):
    """glpsol on boplace.mod with the tier's data: (data path, exit code,
    output, the match of its "TIER t OBJ v" line or None)."""
    with open(dat_path, encoding="utf-8") as f:
        text = f.read()
    path = os.path.join(workdir, "tier%d.dat" % tier)
    with open(path, "w", encoding="utf-8") as f:
        f.write(with_tier(text, tier, values))
    proc = subprocess.run(["glpsol", "--math", MODEL, "--data", path] + options,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout)
    out = proc.stdout.decode("utf-8", "replace")
    return path, proc.returncode, out, re.search(r"^TIER (\d+) OBJ (\S+)$", out, re.M)


def glpsol(dat_path, tier, values, workdir):
    """The tier's optimum by glpsol, or raises RuntimeError."""
    # Gomory, MIR and clique cuts: without them glpsol can take minutes on
    # a medium case (group equalities); cover cuts are left out, GLPK 5.0
    # can abort in glp_cov_init.
    path, code, out, m = run_glpsol(
        dat_path, tier, values, workdir,
        ["--gomory", "--mir", "--clique", "--tmlim", str(GLPSOL_TIME_LIMIT_S)],
        GLPSOL_TIME_LIMIT_S + 60)
    bad = ("NO PRIMAL FEASIBLE", "NO INTEGER FEASIBLE", "NO FEASIBLE",
           "TIME LIMIT", "SEARCH TERMINATED", "UNBOUNDED", "error")
    if code != 0 or m is None or any(w in out for w in bad):
        raise RuntimeError("glpsol on %s (tier %d) did not find the "
                           "optimum:\n%s" % (path, tier, out[-2500:]))
    return float(m.group(2))


def glpsol_tiers(dat_path, workdir):
    values = []
    for tier in (1, 2, 3, 4):
        values.append(glpsol(dat_path, tier, values[:3], workdir))
    return values


# ---------------------------------------------------------------------------
# The data file of formulation.md section 7, written from boplace_check
# ---------------------------------------------------------------------------

BIG = 1000000  # "a large number stands for infinity"


def q(s):
    return '"' + str(s).replace('"', '""') + '"'


def num(v):
    return "%.17g" % v


def write_dat(case, path):
    """Writes the data of formulation.md section 7 for case (a
    boplace_check.Case), computed independently of the C code."""
    hids = sorted(case.households)
    uids = sorted(case.units)
    aids = sorted(case.areas)
    sids = sorted(case.schools)
    dids = sorted(case.daycares)
    buildings = sorted({u["building"] for u in case.units.values()
                        if u["building"] is not None})
    groups = sorted(case.groups)
    pairs = [(h, u) for h in hids for u in uids
             if not case.pair_failures(h, u)]
    pol = case.policy
    n_h = len(hids)
    lines = ["data;"]

    def set_(name, items):
        lines.append("set %s := %s;" % (name, " ".join(q(i) for i in items)))

    def param(name, items):
        if items:
            lines.append("param %s := %s;" % (name, " ".join(
                "%s %s" % (" ".join(q(k) for k in key), val)
                for key, val in items)))

    set_("H", hids)
    set_("U", uids)
    set_("A", aids)
    set_("S", sids)
    set_("D", dids)
    set_("B", buildings)
    set_("G", groups)
    lines.append("set E := %s;" % " ".join(
        "(%s,%s)" % (q(h), q(u)) for h, u in pairs))
    U = case.units
    param("places", [((u,), U[u]["places"]) for u in uids])
    param("perm", [((u,), 0 if U[u]["kind"] == "transit" else 1)
                   for u in uids])
    param("unit_area", [((u,), q(U[u]["area"])) for u in uids])
    param("unit_building", [((u,), q(U[u]["building"])) for u in uids
                            if U[u]["building"] is not None])
    Hh = case.households
    param("c6", [((h,), Hh[h]["c6"]) for h in hids])
    param("c05", [((h,), Hh[h]["c05"]) for h in hids])
    param("wait", [((h,), Hh[h]["waiting_days"]) for h in hids])
    Ar = case.areas
    param("area_school", [((a,), q(Ar[a]["school"])) for a in aids])
    param("area_daycare", [((a,), q(Ar[a]["daycare"])) for a in aids
                           if Ar[a]["daycare"] is not None])
    param("n", [((a,), Ar[a]["newcomers"]) for a in aids])
    param("N", [((a,), Ar[a]["households"]) for a in aids])
    param("Karea", [((a,), bc.share_room(Ar[a]["newcomers"],
                                         Ar[a]["households"], Ar[a]["cap"],
                                         BIG)) for a in aids])
    param("cap", [((a,), num(Ar[a]["cap"])) for a in aids])
    param("fresh", [((a,), 1 if Ar[a]["newcomers"] == 0 else 0)
                    for a in aids])
    for suffix, table, ids in (("s", case.schools, sids),
                               ("d", case.daycares, dids)):
        param("F_" + suffix, [((i,), table[i]["free"]) for i in ids])
        param("p_" + suffix, [((i,), table[i]["enrolled"]) for i in ids])
        param("b_" + suffix, [((i,), table[i]["bilingual"]) for i in ids])
        param("Kb_" + suffix, [((i,), bc.share_room(
            table[i]["bilingual"], table[i]["enrolled"], table[i]["cap"],
            BIG)) for i in ids])
        param("cap_" + suffix, [((i,), num(table[i]["cap"])) for i in ids])
    param("member", [((g, h), 1) for g in groups for h in case.groups[g]])
    param("cost", [((h, u), num(bc.pair_cost(case, h, u)))
                   for h, u in pairs])
    param("placelock", [((h, u), 1) for h, u in pairs
                        if case.place_lock.get(h) == u])
    lines.append("param M_b := %d;" % pol["max_new_per_building"])
    lines.append("param m := %d;" % pol["min_cluster"])
    lines.append("param theta := %s;" % num(bc.THETA))
    lines.append("param w_spread := %s;" % num(pol["weights"]["spread"]))
    lines.append("param w_near_cap := %s;" % num(pol["weights"]["near_cap"]))
    lines.append("param tier := 1;\nparam v1 := 0;\nparam v2 := 0;\n"
                 "param v3 := 0;\nend;")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------

def compare_tiers(label, got, want):
    """Problems where tier values got != want (ints exact, soft relative)."""
    problems = []
    for i, name in enumerate(TIER_NAMES):
        if got[i] is None or want[i] is None:
            continue
        same = close_soft(got[i], want[i]) if i == 3 else \
            abs(got[i] - want[i]) < 1e-6
        if not same:
            problems.append("%s: tier %d (%s) %.9f vs %.9f"
                            % (label, i + 1, name, got[i], want[i]))
            break  # later tiers depend on this one
    return problems


def check_example(workdir):
    got = glpsol_tiers(EXAMPLE, workdir)
    return compare_tiers("models/boplace_example.dat: glpsol vs hand-worked",
                         got, EXAMPLE_TIERS)


def c_tiers(out_dir):
    jt = tbf.json_tiers(out_dir)
    if isinstance(jt, str):
        raise RuntimeError(jt)
    return [jt[k] for k in TIER_NAMES]


def check_program_case(case_dir, workdir, own_data=True, expected=None):
    """C tiers vs glpsol on the C export (and on our own data file; and
    against the enumeration when expected is given)."""
    problems = []
    exe = tbf.boplace_path()
    out_dir = os.path.join(workdir, "out")
    proc = tbf.run_program(case_dir, out_dir)
    if proc.returncode != 0:
        return ["boplace run exit %d: %s" % (
            proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:])]
    problems += ["check_outputs: " + v
                 for v in bc.check_outputs(case_dir, out_dir)]
    c = c_tiers(out_dir)
    dat = os.path.join(workdir, "export.dat")
    proc = subprocess.run([exe, "export", case_dir, dat],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120)
    if proc.returncode != 0 or not os.path.exists(dat):
        return ["boplace export exit %d: %s" % (
            proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:])]
    g = glpsol_tiers(dat, workdir)
    problems += compare_tiers("glpsol(boplace.mod, C export) vs C run", g, c)
    if own_data:
        own = os.path.join(workdir, "own.dat")
        write_dat(bc.Case(case_dir), own)
        g2 = glpsol_tiers(own, workdir)
        problems += compare_tiers("glpsol(boplace.mod, own data) vs C run",
                                  g2, c)
    if expected is not None and expected["best"] is not None:
        want = list(expected["best"]) + [expected["soft"]]
        problems += compare_tiers("C run vs enumeration", c, want)
    return problems


CLASS_BOUND_RE = re.compile(
    r"tier 2 bound on the classes (\S+) with tier 1 at least (\S+)")


def glpsol_lp(dat_path, tier, values, workdir):
    """The optimum of the tier's LP relaxation by glpsol (--nomip)."""
    path, code, out, m = run_glpsol(dat_path, tier, values, workdir,
                                    ["--nomip"], GLPSOL_TIME_LIMIT_S)
    if code != 0 or m is None or not re.search(r"OPTIMAL (LP )?SOLUTION FOUND", out):
        raise RuntimeError("glpsol --nomip on %s (tier %d) did not find the "
                           "LP optimum:\n%s" % (path, tier, out[-2500:]))
    return float(m.group(2))


def check_class_bound(case_dir, workdir):
    """Tier 2's bound on the classes (solve.c, class_bound), which the
    program uses where the pool stage ends after tier 1 (the national
    size; BOPLACE_POOL_TIERS=1 here), against the LP relaxation of
    boplace.mod's tier 2 with tier 1 fixed at the same value.  The class
    LP is the pool LP (the waiting days of alike households taken back per
    member), and the pool LP relaxes the full one, so the bound may not be
    below the full LP's optimum: a wrong constant or a missing member
    column would put it there.  Returns (problems, whether the program
    reported such a bound)."""
    out_dir = os.path.join(workdir, "out_classes")
    env = dict(os.environ, BOPLACE_POOL_TIERS="1", BOPLACE_TRACE="1")
    proc = subprocess.run([tbf.boplace_path(), "run", case_dir, "-o", out_dir],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env, timeout=120)
    if proc.returncode != 0:
        return (["boplace run (BOPLACE_POOL_TIERS=1) exit %d: %s" % (
            proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:])],
            False)
    problems = ["check_outputs (BOPLACE_POOL_TIERS=1): " + v
                for v in bc.check_outputs(case_dir, out_dir)]
    m = CLASS_BOUND_RE.search(proc.stderr.decode("utf-8", "replace"))
    if m is None:
        return problems, False
    bound, housed = float(m.group(1)), float(m.group(2))
    dat = os.path.join(workdir, "export_classes.dat")
    proc = subprocess.run([tbf.boplace_path(), "export", case_dir, dat],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120)
    if proc.returncode != 0:
        return problems + ["boplace export exit %d" % proc.returncode], True
    lp = glpsol_lp(dat, 2, [housed], workdir)
    if bound < math.floor(lp + 1e-6):
        problems.append("tier 2 bound on the classes %g (tier 1 at least %g) "
                        "is below the LP optimum %.6f of boplace.mod"
                        % (bound, housed, lp))
    # The bound the run reports for tier 2 holds too: at least its value.
    waiting = c_tiers(out_dir)[1]
    if bound < waiting - 1e-6:
        problems.append("tier 2 bound on the classes %g is below the run's "
                        "own waiting days %g" % (bound, waiting))
    return problems, True


def glpsol_feasible(case_dir):
    """Whether the case (place locks included) has a feasible assignment,
    by glpsol on our own data file: the feasibility test for cases too big
    to enumerate."""
    work = tempfile.mkdtemp(prefix="boplace_feasible_")
    try:
        own = os.path.join(work, "own.dat")
        write_dat(bc.Case(case_dir), own)
        glpsol(own, 1, [], work)
        return True
    except RuntimeError:
        return False
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_own_case(case_dir, workdir, expected):
    """No program: glpsol on our own data file vs the enumeration."""
    own = os.path.join(workdir, "own.dat")
    write_dat(bc.Case(case_dir), own)
    g = glpsol_tiers(own, workdir)
    want = list(expected["best"]) + [expected["soft"]]
    return compare_tiers("glpsol(boplace.mod, own data) vs enumeration", g,
                         want)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=N_CASES)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--medium", type=int, default=N_MEDIUM)
    ap.add_argument("--class-cases", type=int, default=N_CLASS_CASES)
    ap.add_argument("--self-test", action="store_true",
                    help="no program: check boplace.mod against the "
                    "hand-worked example and the enumeration only")
    args = ap.parse_args()

    if shutil.which("glpsol") is None:
        print("SKIP: glpsol is not installed (Debian package glpk-utils: "
              "apt-get install glpk-utils); the MathProg cross-check "
              "needs it.")
        print("0 passed, 0 failed")
        sys.exit(77)

    tmp = tempfile.mkdtemp(prefix="boplace_mathprog_")
    passed = failed = 0

    def record(label, fn, keep_dir):
        nonlocal passed, failed
        try:
            problems = fn()
        except Exception as e:  # noqa: BLE001 - a crash is a failure
            problems = ["%s: %s" % (type(e).__name__, e)]
        if problems:
            failed += 1
            print("FAIL %s (kept %s)" % (label, keep_dir))
            for p in problems:
                print("    " + p)
        else:
            passed += 1
            print("ok   %s" % label)
        return not problems

    ex_dir = os.path.join(tmp, "example")
    os.makedirs(ex_dir)
    record("hand-worked example models/boplace_example.dat",
           lambda: check_example(ex_dir), ex_dir)

    exe = tbf.boplace_path()
    have_program = os.access(exe, os.X_OK)
    if not args.self_test and not have_program:
        failed += 1
        print("FAIL boplace not found or not executable: %s" % exe)

    rng = random.Random(args.seed)
    for i in range(args.cases):
        case_dir = os.path.join(tmp, "case%03d" % i)
        work = os.path.join(tmp, "work%03d" % i)
        os.makedirs(work)
        tbf.generate(rng, case_dir, keep_infeasible=False)
        expected = tbf.enumerate_best(bc.Case(case_dir))
        if args.self_test:
            fn = (lambda c=case_dir, w=work, e=expected:
                  check_own_case(c, w, e))
        elif have_program:
            fn = (lambda c=case_dir, w=work, e=expected:
                  check_program_case(c, w, True, e))
        else:
            continue
        if record("generated case %d (%s)" % (i, case_dir), fn, case_dir):
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(case_dir, ignore_errors=True)

    # Tier 2's bound on the classes, on cases of their own: only some have
    # households alike enough to share a class.
    with_class_bound = 0
    for i in range(args.class_cases if have_program and not args.self_test
                   else 0):
        case_dir = os.path.join(tmp, "classes%03d" % i)
        work = os.path.join(tmp, "cwork%03d" % i)
        os.makedirs(work)
        tbf.generate(rng, case_dir, keep_infeasible=False)

        def class_check(c=case_dir, w=work):
            nonlocal with_class_bound
            problems, seen = check_class_bound(c, w)
            with_class_bound += seen
            return problems
        if record("class bound, case %d (%s)" % (i, case_dir), class_check,
                  case_dir):
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(case_dir, ignore_errors=True)
    if args.class_cases and have_program and not args.self_test:
        if with_class_bound == 0:
            failed += 1
            print("FAIL no case of %d took tier 2's bound on the classes"
                  % args.class_cases)
        else:
            print("     %d of %d cases took tier 2's bound on the classes"
                  % (with_class_bound, args.class_cases))

    for i in range(args.medium if have_program and not args.self_test
                   else 0):
        case_dir = os.path.join(tmp, "medium%03d" % i)
        work = os.path.join(tmp, "mwork%03d" % i)
        os.makedirs(work)
        tbf.generate(rng, case_dir, "medium", feasible=glpsol_feasible,
                     keep_infeasible=False)
        if record("medium case %d (%s)" % (i, case_dir),
                  lambda c=case_dir, w=work: check_program_case(c, w),
                  case_dir):
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(case_dir, ignore_errors=True)

    sample = os.path.join(SOURCE, "data", "sample")
    if not args.self_test and have_program:
        if os.path.isdir(sample):
            work = os.path.join(tmp, "sample")
            os.makedirs(work)
            record("data/sample", lambda: check_program_case(sample, work),
                   work)
        else:
            failed += 1
            print("FAIL data/sample does not exist (%s)" % sample)

    if not failed:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
