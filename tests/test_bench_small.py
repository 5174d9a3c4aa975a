"""The benchmark's sizes, small: bench/generate.py's tiny-S, tiny-M, tiny-L
and tiny-XL cases through the program, checked three ways.

For each tiny size (seed 1) this test

  1. generates the case with bench/generate.py (and, for one size, twice,
     to check that the generator is deterministic);
  2. runs `$BOPLACE run CASE` and `$BOPLACE run CASE --method greedy`, and
     checks both outputs against every hard rule with
     boplace_check.check_outputs (an independent reading of SPEC.md);
  3. checks that the optimizer houses at least as many households as the
     greedy hand method;
  4. checks that glpsol on models/boplace.mod, with the data of
     `$BOPLACE export CASE x.dat`, finds the same first-tier optimum
     (households housed) as the program (test_mathprog's helpers);
  5. checks that bench/seeds.py's summary over S seeds 1-2 is what those
     runs' proposals.json say.

The large sizes run only in the benchmark (python3 bench/bench.py), never
here.  Without glpsol (Debian: glpk-utils) step 4 is skipped with a
message.  Last line: "N passed, M failed".

  python3 tests/test_bench_small.py [--sizes tiny-S,...] [--seed N] [--keep]
"""

import argparse
import contextlib
import filecmp
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("BOPLACE_SOURCE", os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests"))
sys.path.insert(0, os.path.join(SOURCE, "bench"))
import boplace_check as bc  # noqa: E402
import generate  # noqa: E402
import seeds  # noqa: E402
import test_mathprog as tm  # noqa: E402

SIZES = ("tiny-S", "tiny-M", "tiny-L", "tiny-XL")
SEED = 1
# The program's time limit on a tiny case.  The first tier is proven in well
# under a second; the limit only bounds the softer tiers.
TIME_LIMIT_S = 20
GLPSOL_TIME_LIMIT_S = 120


def boplace():
    exe = os.environ.get("BOPLACE")
    return exe or os.path.join(SOURCE, "build", "solver", "boplace")


def run(args, timeout=300):
    return subprocess.run([boplace()] + args, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=timeout)


def housed_tier(out_dir):
    """(value, bound) of the first tier from proposals.json."""
    with open(os.path.join(out_dir, "proposals.json"), encoding="utf-8") as f:
        tier = json.load(f)["run"]["solver"]["tiers"]["housed"]
    return tier["value"], tier["bound"]


def check_size(size, seed, work, have_glpsol):
    """[(check name, problems)] for one tiny size."""
    results = []
    case_dir = os.path.join(work, size)
    generate.main(["--size", size, "--seed", str(seed), "-o", case_dir])
    case = bc.Case(case_dir)

    outputs = {}
    for method in ("optimizer", "greedy"):
        out_dir = os.path.join(work, "%s-%s" % (size, method))
        args = ["run", case_dir, "-o", out_dir, "--time-limit",
                str(TIME_LIMIT_S)]
        if method == "greedy":
            args += ["--method", "greedy"]
        started = time.monotonic()
        proc = run(args)
        seconds = time.monotonic() - started
        if proc.returncode != 0:
            results.append(("%s: %s keeps every hard rule" % (size, method),
                            ["boplace run exit %d: %s" % (
                                proc.returncode, proc.stderr.decode(
                                    "utf-8", "replace")[-1500:])]))
            continue
        outputs[method] = out_dir
        results.append(("%s: %s keeps every hard rule (%.1f s)"
                        % (size, method, seconds),
                        bc.check_outputs(case_dir, out_dir, case=case)))
    if len(outputs) < 2:
        return results

    ours, ours_bound = housed_tier(outputs["optimizer"])
    greedy, _ = housed_tier(outputs["greedy"])
    results.append(("%s: optimizer houses at least the greedy's (%d >= %d)"
                    % (size, ours, greedy),
                    [] if ours >= greedy else
                    ["optimizer housed %d, greedy %d" % (ours, greedy)]))

    if not have_glpsol:
        return results
    dat = os.path.join(work, size + ".dat")
    proc = run(["export", case_dir, dat])
    if proc.returncode != 0:
        results.append(("%s: glpsol's first tier" % size, [
            "boplace export exit %d: %s" % (proc.returncode, proc.stderr
                                            .decode("utf-8", "replace")[-1500:])]))
        return results
    problems = []
    started = time.monotonic()
    try:
        optimum = tm.glpsol(dat, 1, [], work)
    except RuntimeError as e:
        optimum = None
        problems.append(str(e)[-1500:])
    seconds = time.monotonic() - started
    if optimum is not None and abs(optimum - ours) > 1e-6:
        problems.append("glpsol on models/boplace.mod: %g housed; boplace: %g "
                        "(its bound %s)" % (optimum, ours, ours_bound))
    results.append(("%s: glpsol's first-tier optimum equals boplace's "
                    "(%s housed, glpsol %.1f s)"
                    % (size, "?" if optimum is None else "%g" % optimum,
                       seconds), problems))
    return results


def check_determinism(size, seed, work):
    """The generator writes the same bytes twice."""
    a, b = os.path.join(work, "det-a"), os.path.join(work, "det-b")
    for d in (a, b):
        generate.main(["--size", size, "--seed", str(seed), "-o", d])
    names = sorted(os.listdir(a))
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return [("generator: %s seed %d twice gives identical files (%d files)"
             % (size, seed, len(names)),
             ["differ: %s" % ", ".join(mismatch + errors)]
             if mismatch or errors else [])]


def check_seeds(work):
    """bench/seeds.py's summary is what the runs' proposals.json say: S
    seeds 1-2, run again here with a limit that proves every tier."""
    cache = os.path.join(work, "seeds-cache")
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        seeds.main(["--size", "S", "--seeds", "1-2", "--boplace", boplace(),
                    "--cache", cache, "--time-limit", str(TIME_LIMIT_S)])
    lines = text.getvalue().splitlines()
    housed = waiting = 0
    for seed in (1, 2):
        out = os.path.join(work, "seeds-out-%d" % seed)
        r = run(["run", os.path.join(cache, "S-seed%d" % seed), "-o", out,
                 "--time-limit", str(TIME_LIMIT_S)])
        if r.returncode != 0:
            return [("seeds.py: S seeds 1-2", ["boplace run exit %d: %s" % (
                r.returncode, r.stderr.decode(errors="replace"))])]
        with open(os.path.join(out, "proposals.json"), encoding="utf-8") as f:
            tiers = json.load(f)["run"]["solver"]["tiers"]
        housed += tiers["housed"]["value"]
        waiting += tiers["waiting"]["value"]
    want = ("tiers 1-3 proven in 2 of 2 runs; housed {:,}; waiting days {:,}"
            .format(housed, waiting))
    problems = [] if want in lines else [
        "expected the line %r in:" % want] + lines
    rows = [l for l in lines if l.split()[:2] in (["1", "1"], ["2", "1"])]
    if len(rows) != 2:
        problems.append("expected one line per seed, got %d" % len(rows))
    return [("seeds.py: S seeds 1-2 summarised as their runs' proposals.json",
             problems)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=",".join(SIZES))
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--keep", action="store_true",
                    help="keep the cases and outputs")
    args = ap.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]

    tm.GLPSOL_TIME_LIMIT_S = GLPSOL_TIME_LIMIT_S
    have_glpsol = shutil.which("glpsol") is not None
    if not have_glpsol:
        print("SKIP glpsol's first tier: glpsol is not installed (Debian "
              "package glpk-utils)")
    if not os.access(boplace(), os.X_OK):
        print("FAIL boplace not found or not executable: %s" % boplace())
        print("0 passed, 1 failed")
        sys.exit(1)

    work = tempfile.mkdtemp(prefix="boplace_bench_small_")
    passed = failed = 0
    started = time.monotonic()
    with open(os.devnull, "w") as null:
        for size in sizes:
            stdout, sys.stdout = sys.stdout, null  # the generator's line
            try:
                checks = check_size(size, args.seed, work, have_glpsol)
            except Exception as e:  # noqa: BLE001 - a crash is a failure
                checks = [("%s" % size, ["%s: %s" % (type(e).__name__, e)])]
            finally:
                sys.stdout = stdout
            for name, problems in checks:
                if problems:
                    failed += 1
                    print("FAIL %s" % name)
                    for p in problems[:20]:
                        print("    " + p)
                else:
                    passed += 1
                    print("ok   %s" % name)
            sys.stdout.flush()
        stdout, sys.stdout = sys.stdout, null
        try:
            checks = check_determinism("tiny-L", args.seed, work)
            checks += check_seeds(work)
        finally:
            sys.stdout = stdout
    for name, problems in checks:
        passed, failed = (passed, failed + 1) if problems else (passed + 1,
                                                                 failed)
        print("%s %s" % ("FAIL" if problems else "ok  ", name))
        for p in problems:
            print("    " + p)
    if failed or args.keep:
        print("cases and outputs kept in %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("bench_small: %.1f s" % (time.monotonic() - started))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
