#!/usr/bin/env python3
"""One size over many seeds: how often boplace proves each tier in its time.

    python3 bench/seeds.py [--size M] [--seeds 1-20] [--runs 1]
                           [--boplace build-release/solver/boplace]

bench/bench.py measures one seed per size, with the peers beside it.  A
change to the solver that helps seed 1 may hurt seed 6; this runs boplace
alone on seeds of one size (generated once, cached like bench.py's, in
bench/instances/) under the size's target time, and prints one line per run
(each tier's value/bound, the soft tier's too) and a summary: on how many
seeds tiers 1-3 were proven, and the totals of housed and waiting days.
Compare two builds by their summaries over the same seeds, and run each
more than once (--runs): runs stopped by the time limit differ from one to
the next (bench/README.md, "Run to run").  It writes nothing but the cached
instances and a scratch directory it removes.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (instance(), TARGETS, fmt_num())

TIERS = ("housed", "waiting", "permanent", "soft")


def seed_list(text):
    """'1-20' or '1,3,7' (or both, comma-separated) as a list of ints."""
    seeds = []
    for part in text.split(","):
        if "-" in part:
            lo, hi = part.split("-", 1)
            seeds.extend(range(int(lo), int(hi) + 1))
        elif part:
            seeds.append(int(part))
    if not seeds:
        raise argparse.ArgumentTypeError("no seeds in %r" % text)
    return seeds


def run_one(boplace, case, seconds, scratch):
    out = os.path.join(scratch, "out")
    if os.path.exists(out):
        shutil.rmtree(out)
    done = subprocess.run([boplace, "run", case, "-o", out, "--time-limit",
                           "%g" % seconds], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit("seeds.py: boplace run %s failed (exit %d): %s"
                         % (case, done.returncode, done.stderr.strip()))
    with open(os.path.join(out, "proposals.json"), encoding="utf-8") as f:
        return json.load(f)["run"]["solver"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="M", choices=sorted(bench.TARGETS))
    ap.add_argument("--seeds", type=seed_list, default=seed_list("1-20"))
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=None,
                    help="seconds per run (default: the size's target time)")
    ap.add_argument("--boplace", default=os.path.join(
        os.path.dirname(HERE), "build", "solver", "boplace"))
    ap.add_argument("--cache", default=os.path.join(HERE, "instances"))
    args = ap.parse_args(argv)
    if not os.access(args.boplace, os.X_OK):
        raise SystemExit("seeds.py: no boplace at %s (build it, or --boplace)"
                         % args.boplace)
    seconds = args.time_limit or bench.TARGETS[args.size]["seconds"]
    proven = housed = waiting = runs = 0
    unproven = []
    scratch = tempfile.mkdtemp(prefix="boplace-seeds-")
    try:
        print("size %s, %g s per run, %s" % (args.size, seconds, args.boplace))
        print("seed run  " + "  ".join("%-19s" % t for t in TIERS) + "  seconds")
        for seed in args.seeds:
            case, _ = bench.instance(args.size, seed, args.cache)
            for r in range(1, args.runs + 1):
                s = run_one(args.boplace, case, seconds, scratch)
                t = s["tiers"]
                first = all(t[k]["bound"] is not None and
                            t[k]["value"] == t[k]["bound"] for k in TIERS[:3])
                runs += 1
                proven += first
                if not first:
                    unproven.append("%d" % seed if args.runs == 1
                                    else "%d (run %d)" % (seed, r))
                housed += t["housed"]["value"]
                waiting += t["waiting"]["value"]
                print("%4d %3d  " % (seed, r) + "  ".join(
                    "%-19s" % ("%s/%s" % (bench.fmt_num(t[k]["value"], 3),
                                          bench.fmt_num(t[k]["bound"], 3)))
                    for k in TIERS) + "  %.2f" % s["seconds"], flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("tiers 1-3 proven in %d of %d runs; housed %s; waiting days %s"
          % (proven, runs, "{:,}".format(housed), "{:,}".format(waiting)))
    if unproven:
        print("not proven: " + ", ".join(unproven))
    return 0


if __name__ == "__main__":
    sys.exit(main())
