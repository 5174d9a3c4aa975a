#!/usr/bin/env python3
"""The boplace benchmark: one command, every size, one report.

    python3 bench/bench.py [--sizes S,M,L,XL] [--seed 1] [--skip-peers]

For each size it generates the instance (bench/generate.py; cached under
bench/instances/, which git ignores), then measures, each as its own
process, wall time and peak memory (the child's own rusage, from wait4):

  * boplace   `boplace run CASE --time-limit T`: status, households housed,
              objective, best bound and gap from proposals.json;
  * greedy    `boplace run CASE --method greedy`: the hand method;
  * CBC       `cbc model.mps max sec T solve`, on `boplace export CASE
              model.mps` (the first tier: households housed), if `cbc` is on
              PATH (Debian: coinor-cbc);
  * glpsol    `glpsol --freemps model.mps --max --tmlim T` likewise, if
              `glpsol` is on PATH (Debian: glpk-utils);

and, for boplace and greedy, the largest newcomer share of an area that
received households and the dissimilarity index D of newcomers across areas
after placement.  T is the size's target time (below).  It writes
bench/results.md: the machine, the date, the git commit, one table per size
with the targets marked met or not.

It builds nothing: it runs build/solver/boplace (--boplace to change), best
built with `meson setup build --buildtype=release && ninja -C build`.

Targets (issue 4; 2 cores; end to end, reading and writing included):
    S   proven optimal in <= 0.2 s
    M   proven optimal in <= 1 s
    L   gap <= 0.1 % in <= 20 s and <= 2 GiB
    XL  gap <= 0.5 % in <= 120 s and <= 8 GiB
    and on every instance: housed >= the greedy baseline's housed.
"""

import argparse
import csv
import datetime
import io
import json
import os
import platform
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import generate  # noqa: E402

GIB = 1024 ** 3
TARGETS = {
    "S": dict(seconds=0.2, gap=0.0, memory_gib=None),
    "M": dict(seconds=1.0, gap=0.0, memory_gib=None),
    "L": dict(seconds=20.0, gap=0.001, memory_gib=2.0),
    "XL": dict(seconds=120.0, gap=0.005, memory_gib=8.0),
}
TITLES = {
    "S": "weekly batch",
    "M": "a busy week",
    "L": "annual plan",
    "XL": "national distribution",
}


# ---------------------------------------------------------------------------
# Running one process: wall time, peak memory, a deadline and a memory cap
# ---------------------------------------------------------------------------

class Measured:
    def why_killed(self):
        """'killed at the 120 s deadline', 'out of memory under the 4 GiB
        cap', or None."""
        if self.killed == "time":
            return "killed at the %g s deadline" % self.deadline_s
        if self.killed == "memory":
            return "out of memory under the %g GiB cap" % (
                self.memory_cap_bytes / GIB)
        return None

    def __init__(self):
        self.returncode = None
        self.seconds = None
        self.peak_bytes = None
        self.killed = None      # "time" | "memory" | None
        self.stdout = ""
        self.stderr = ""


def measure(cmd, deadline_s, memory_cap_bytes, cwd=None):
    """Runs cmd; returns Measured.  The wall clock runs from just before the
    fork to the child's exit, as wait4 reports it; peak memory is the
    child's own ru_maxrss (not the sum over all children).  The child is
    killed at deadline_s, and its address space is capped at
    memory_cap_bytes, so that a run that would take the machine down fails
    on its own instead."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()

    def limits():
        if memory_cap_bytes:
            resource.setrlimit(resource.RLIMIT_AS,
                               (memory_cap_bytes, memory_cap_bytes))

    m = Measured()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd,
                            preexec_fn=limits, start_new_session=True)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(deadline_s, kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    m.seconds = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    m.returncode = proc.returncode
    m.peak_bytes = usage.ru_maxrss * 1024  # Linux: kilobytes
    out.seek(0)
    err.seek(0)
    m.stdout = out.read().decode("utf-8", "replace")
    m.stderr = err.read().decode("utf-8", "replace")
    out.close()
    err.close()
    m.deadline_s, m.memory_cap_bytes = deadline_s, memory_cap_bytes
    if timed_out.is_set():
        m.killed = "time"
    elif memory_cap_bytes and (
            m.returncode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL)
            or "out of memory" in m.stderr.lower()
            or "memory allocation" in m.stderr.lower()
            or "bad_alloc" in m.stderr):
        m.killed = "memory"
    return m


# ---------------------------------------------------------------------------
# Measures of spread: from the case's areas.csv and a run's proposals.csv
# ---------------------------------------------------------------------------

def read_table(path):
    """Rows of a case CSV (',' or ';' from the header, optional BOM)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def spread(case_dir, out_dir):
    """(largest newcomer share after placement among areas that received
    households, dissimilarity index D after placement).

    D = 1/2 sum_a |n_a / n - (N_a - n_a) / (N - n)|, with n_a the newcomer
    households of area a after the run (today's plus those placed), N_a all
    its households after, n and N their sums: the share of newcomers who
    would have to move for them to be spread like everyone else (0 = even,
    1 = fully apart)."""
    areas = {r["area_id"]: (int(r["households"]), int(r["newcomer_households"]))
             for r in read_table(os.path.join(case_dir, "areas.csv"))}
    placed = {}
    with open(os.path.join(out_dir, "proposals.csv"), encoding="utf-8",
              newline="") as f:
        for r in csv.DictReader(f):
            placed[r["area_id"]] = placed.get(r["area_id"], 0) + 1
    n = N = 0
    after = {}
    for aid, (households, newcomers) in areas.items():
        k = placed.get(aid, 0)
        after[aid] = (households + k, newcomers + k)
        N += households + k
        n += newcomers + k
    largest = max((after[a][1] / after[a][0] for a in placed if after[a][0]),
                  default=None)
    if n == 0 or N == n:
        return largest, 0.0
    d = 0.5 * sum(abs(nc / n - (hh - nc) / (N - n))
                  for hh, nc in after.values())
    return largest, d


# ---------------------------------------------------------------------------
# The contenders
# ---------------------------------------------------------------------------

def run_boplace(exe, case_dir, out_dir, method, time_limit, deadline, cap):
    cmd = [exe, "run", case_dir, "-o", out_dir, "--lang", "en"]
    if method == "greedy":
        cmd += ["--method", "greedy"]
    else:
        cmd += ["--time-limit", "%g" % time_limit]
    m = measure(cmd, deadline, cap)
    r = dict(name="greedy" if method == "greedy" else "boplace",
             seconds=m.seconds, peak=m.peak_bytes,
             killed=m.killed, returncode=m.returncode)
    path = os.path.join(out_dir, "proposals.json")
    if m.returncode != 0 or not os.path.exists(path):
        r["status"] = m.why_killed() or "exit %s" % m.returncode
        r["error"] = (m.stderr or m.stdout).strip()[-600:]
        return r
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    solver = doc["run"]["solver"]
    counts = doc["run"]["counts"]
    r.update(status=solver["status"], objective=solver.get("objective"),
             bound=solver.get("best_bound"), gap=solver.get("gap"),
             housed=counts["housed"], housed_bound=solver["tiers"]["housed"]
             .get("bound"), tiers=solver["tiers"],
             solver_seconds=solver.get("seconds"),
             rows=solver.get("rows"), columns=solver.get("columns"),
             eligible_pairs=counts.get("eligible_pairs"))
    if method == "greedy":
        r["status"] = "done"  # proposals.json says "heuristic"
    r["largest_share"], r["dissimilarity"] = spread(case_dir, out_dir)
    return r


def run_export(exe, case_dir, path, deadline, cap):
    m = measure([exe, "export", case_dir, path], deadline, cap)
    ok = m.returncode == 0 and os.path.exists(path)
    return dict(seconds=m.seconds, peak=m.peak_bytes, ok=ok,
                size=os.path.getsize(path) if ok else None,
                error=None if ok else (m.why_killed() or
                                       (m.stderr or m.stdout).strip()[-400:]))


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def run_cbc(model, time_limit, deadline, cap, work):
    sol = os.path.join(work, "cbc_solution.txt")
    m = measure(["cbc", model, "max", "sec", "%g" % time_limit, "solve",
                 "solu", sol], deadline, cap)
    r = dict(name="cbc", seconds=m.seconds, peak=m.peak_bytes,
             killed=m.killed, returncode=m.returncode)
    out = m.stdout
    result = re.search(r"^Result - (.*)$", out, re.M)
    objective = re.search(r"^Objective value:\s+(\S+)", out, re.M)
    lower = re.search(r"^Lower bound:\s+(\S+)", out, re.M)
    if m.killed:
        r["status"] = m.why_killed()
    elif result is None:
        r["status"] = "failed (exit %s)" % m.returncode
        r["error"] = (m.stdout + m.stderr).strip()[-600:]
    else:
        text = result.group(1)
        r["status"] = ("optimal" if "Optimal" in text else
                       "time_limit" if "time" in text.lower() else text)
    if objective and "No feasible solution" not in out:
        r["housed"] = abs(number(objective.group(1)) or 0)
    if r.get("status") == "optimal" and "housed" in r:
        r["housed_bound"] = r["housed"]
    elif lower:
        b = number(lower.group(1))
        r["housed_bound"] = abs(b) if b is not None else None
    return r




def run_glpsol(model, fmt, time_limit, deadline, cap):
    # glpsol's --tmlim is whole seconds; a limit below 1 s is 1 s.
    tmlim = max(1, int(round(time_limit)))
    cmd = ["glpsol", "--freemps" if fmt == "mps" else "--lp", model,
           "--tmlim", str(tmlim)]
    if fmt == "mps":
        cmd.append("--max")  # free MPS has no objective sense
    m = measure(cmd, deadline, cap)
    r = dict(name="glpsol", seconds=m.seconds, peak=m.peak_bytes,
             killed=m.killed, returncode=m.returncode)
    out = m.stdout
    if m.killed:
        r["status"] = m.why_killed()
    elif "INTEGER OPTIMAL SOLUTION FOUND" in out:
        r["status"] = "optimal"
    elif "TIME LIMIT EXCEEDED" in out:
        r["status"] = "time_limit"
    else:
        r["status"] = "failed (exit %s)" % m.returncode
        r["error"] = (m.stdout + m.stderr).strip()[-600:]
    lines = re.findall(r"^\+\s*\d+: mip =\s+(.*)$", out, re.M)
    if lines:
        last = lines[-1]
        parts = last.split("<=")
        value = number(parts[0].strip())
        if value is not None:
            r["housed"] = value
        if len(parts) > 1:
            b = number(parts[1].split()[0])
            r["housed_bound"] = b if b is not None else (
                value if "tree is empty" in parts[1] else None)
    if r.get("status") == "optimal" and "housed" in r:
        r["housed_bound"] = r["housed"]
    return r


# ---------------------------------------------------------------------------
# The machine and the build
# ---------------------------------------------------------------------------

def command_output(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, timeout=30,
                              cwd=ROOT).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    lscpu = command_output(["lscpu"])
    model = re.search(r"^Model name:\s*(.+)$", lscpu, re.M)
    cpus = re.search(r"^CPU\(s\):\s*(\d+)", lscpu, re.M)
    mem = None
    try:
        with open("/proc/meminfo") as f:
            kb = re.search(r"MemTotal:\s+(\d+)", f.read())
            mem = int(kb.group(1)) * 1024 if kb else None
    except OSError:
        pass
    os_name = platform.platform()
    try:
        with open("/etc/os-release") as f:
            pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)', f.read(), re.M)
            if pretty:
                os_name = "%s (Linux %s)" % (pretty.group(1), platform.release())
    except OSError:
        pass
    return dict(cpu=model.group(1).strip() if model else platform.processor(),
                cores=int(cpus.group(1)) if cpus else os.cpu_count(),
                memory=mem, os=os_name, python=platform.python_version())


def build_type(exe):
    """The meson buildtype of the build directory holding exe, if known."""
    build = os.path.dirname(os.path.dirname(os.path.abspath(exe)))
    path = os.path.join(build, "meson-info", "intro-buildoptions.json")
    try:
        with open(path) as f:
            for o in json.load(f):
                if o.get("name") == "buildtype":
                    return o.get("value")
    except (OSError, ValueError):
        pass
    return None


def git_commit(out):
    """The commit measured, read when the run starts (a commit made while
    it runs does not describe the binary).  The results file itself, which
    the run rewrites after each size, does not count as a change."""
    rev = command_output(["git", "rev-parse", "--short=10", "HEAD"]).strip()
    results = os.path.relpath(os.path.abspath(out), ROOT)
    dirty = [l for l in command_output(["git", "status", "--porcelain",
                                        "--untracked-files=no"]).splitlines()
             if l.strip() and l[3:].strip() != results]
    return rev + (" with uncommitted changes in the working tree"
                  if dirty else "")


def versions():
    v = {}
    g = command_output(["glpsol", "--version"]) if shutil.which("glpsol") else ""
    m = re.search(r"Solver\s+(\S+)", g)
    v["glpsol"] = m.group(1) if m else None
    c = command_output(["cbc", "-stop"]) if shutil.which("cbc") else ""
    m = re.search(r"Version:\s*(\S+)", c)
    v["cbc"] = m.group(1) if m else None
    return v


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------

def fmt_seconds(s):
    if s is None:
        return "—"
    return "%.2f" % s if s < 10 else "%.1f" % s


def fmt_mib(b):
    if b is None:
        return "—"
    mib = b / 1024 ** 2
    return "%.0f" % mib if mib >= 10 else "%.1f" % mib


def fmt_num(x, digits=2):
    if x is None:
        return "—"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and
                              abs(x) < 1e15):
        return "{:,}".format(int(x))
    return "%.*f" % (digits, x)


def fmt_pct(x, digits=2):
    return "—" if x is None else "%.*f %%" % (digits, 100 * x)


def housed_gap(r):
    """Relative gap of the first tier: (bound - housed) / bound."""
    h, b = r.get("housed"), r.get("housed_bound")
    if h is None or b is None:
        return None
    return 0.0 if b <= h else (b - h) / b


def tier_cell(r, key):
    """A tier's value from proposals.json, and for boplace its bound and
    gap: tiers 2 and 3 hold with the earlier tiers fixed at the run's
    values (models/formulation.md §6)."""
    tier = (r.get("tiers") or {}).get(key)
    if not tier or tier.get("value") is None:
        return "—"
    text = fmt_num(tier["value"])
    if r["name"] != "boplace":
        return text
    b = tier.get("bound")
    if b is None:
        return text + "; bound unknown"
    v = tier["value"]
    gap = 0.0 if b <= v else (b - v) / b
    return "%s; bound %s (%s)" % (text, fmt_num(b), fmt_pct(gap))


def mark(ok):
    return "✅" if ok else "❌"


def size_section(size, seed, info, results, peers_note):
    t = TARGETS[size]
    ours, greedy = results["boplace"], results["greedy"]
    fig = info["figures"]
    pairs = ours.get("eligible_pairs")
    if pairs is None:
        pairs = greedy.get("eligible_pairs")
    lines = ["## %s — %s, seed %d" % (size, TITLES[size], seed), ""]
    lines.append(
        "%d households (%d persons, %d single adults, %d groups), %d units "
        "(%d places), %d areas in %d municipalit%s, %d schools, %d daycares; "
        "%s eligible (household, unit) pairs. Caps that bind: areas at or "
        "within 6 households of their newcomer cap %d, above it %d, "
        "vulnerable %d, with no newcomers today (min_cluster 2) %d; schools "
        "within 4 children of their bilingual cap %d; buildings with more "
        "units offered than max_new_per_building %d."
        % (fig["households"], fig["persons"], fig["single_adults"],
           fig["groups"], fig["units"], fig["places"], fig["areas"],
           info["municipalities"],
           "y" if info["municipalities"] == 1 else "ies", fig["schools"],
           fig["daycares"],
           "{:,}".format(pairs) if pairs is not None else "(unknown: no run "
           "finished)",
           fig["areas_near_cap_room_le_6"], fig["areas_above_cap"],
           fig["areas_vulnerable"], fig["areas_fresh"],
           fig["schools_with_bilingual_room_le_4"],
           fig["buildings_over_limit"]))
    lines.append("")
    cols = [("boplace", "boplace (optimizer)"),
            ("greedy", "greedy (hand method)")]
    if "cbc" in results:
        cols.append(("cbc", "CBC %s (tier 1)" % (results["cbc"].get("version")
                                                 or "")))
    if "glpsol" in results:
        cols.append(("glpsol", "glpsol %s (tier 1)" %
                     (results["glpsol"].get("version") or "")))
    rows = []

    def row(label, f):
        rows.append([label] + [f(results[k]) for k, _ in cols])

    base = ours.get("seconds")
    row("status", lambda r: r.get("status", "—"))
    row("wall time, s", lambda r: fmt_seconds(r.get("seconds")))
    row("time / boplace's", lambda r: "—" if not base or r.get("seconds") is None
        else "%.2f×" % (r["seconds"] / base))
    row("peak memory, MiB", lambda r: fmt_mib(r.get("peak")))
    row("households housed", lambda r: fmt_num(r.get("housed")))
    row("bound on housed", lambda r: fmt_num(r.get("housed_bound")))
    row("gap on housed", lambda r: fmt_pct(housed_gap(r)))
    row("waiting days housed (tier 2)", lambda r: tier_cell(r, "waiting")
        if r["name"] in ("boplace", "greedy") else "—")
    row("in permanent homes (tier 3)", lambda r: tier_cell(r, "permanent")
        if r["name"] in ("boplace", "greedy") else "—")
    row("objective (soft tier)", lambda r: fmt_num(r.get("objective"), 3)
        if r["name"] in ("boplace", "greedy") else "n/a (tier 1 only)")
    row("best bound (soft tier)", lambda r: fmt_num(r.get("bound"), 3)
        if r["name"] == "boplace" else "—")
    row("gap (widest tier)", lambda r: (fmt_pct(r.get("gap")) if r.get("gap")
                                         is not None else "unknown")
        if r["name"] == "boplace" else "—")
    row("largest area share after", lambda r: fmt_pct(r.get("largest_share"), 1)
        if r["name"] in ("boplace", "greedy") else "—")
    row("dissimilarity index D", lambda r: fmt_num(r.get("dissimilarity"), 4)
        if r["name"] in ("boplace", "greedy") else "—")
    lines.append("| | " + " | ".join(c for _, c in cols) + " |")
    lines.append("|---|" + "---|" * len(cols))
    for r in rows:
        lines.append("| " + " | ".join(r) + " |")
    lines.append("")
    if results.get("export"):
        e = results["export"]
        lines.append("Export for the peers: %s." % "; ".join(
            "`%s` %s s, %s MiB file, %s MiB peak" % (
                name, fmt_seconds(x["seconds"]),
                fmt_mib(x["size"]) if x["ok"] else "—", fmt_mib(x["peak"]))
            if x["ok"] else "`%s` failed: %s" % (name, x["error"])
            for name, x in e.items()))
        lines.append("")
    if peers_note:
        lines.append(peers_note)
        lines.append("")
    for k, _ in cols:
        if results[k].get("error"):
            lines.append("%s: `%s`" % (k, results[k]["error"].replace(
                "\n", " ").replace("`", "'")[-400:]))
            lines.append("")

    # Targets.
    checks = []
    wall = ours.get("seconds")
    finished = "housed" in ours
    ok_time = wall is not None and wall <= t["seconds"] and finished
    checks.append("time ≤ %g s: %s (%s%s s)" % (
        t["seconds"], mark(ok_time), "" if finished else
        "%s after " % ours.get("status"), fmt_seconds(wall)))
    if t["gap"] == 0:
        ok_gap = ours.get("status") == "optimal"
        checks.append("proven optimal: %s (%s)" % (mark(ok_gap),
                                                    ours.get("status")))
    else:
        gap = ours.get("gap")
        ok_gap = gap is not None and gap <= t["gap"] + 1e-12
        checks.append("gap ≤ %g %%: %s (%s)" % (100 * t["gap"], mark(ok_gap),
                                                 fmt_pct(gap)))
    if t["memory_gib"]:
        peak = ours.get("peak")
        ok_mem = peak is not None and peak <= t["memory_gib"] * GIB and \
            ours.get("killed") != "memory"
        checks.append("memory ≤ %g GiB: %s (%s MiB)" % (
            t["memory_gib"], mark(ok_mem), fmt_mib(peak)))
    h, g = ours.get("housed"), greedy.get("housed")
    ok_h = h is not None and g is not None and h >= g
    checks.append("housed ≥ greedy: %s (%s against %s)" % (
        mark(ok_h), fmt_num(h), fmt_num(g)))
    lines.append("**Targets:** " + "; ".join(checks) + ".")
    lines.append("")
    return lines


def write_report(path, args, mach, vers, sections, started, exe, commit):
    bt = build_type(exe)
    lines = ["# boplace benchmark results", "",
             "Written by `python3 bench/bench.py %s` (bench/README.md); "
             "every figure below is as measured, nothing edited by hand." %
             " ".join(args.argv), ""]
    lines.append("| | |")
    lines.append("|---|---|")
    lines.append("| date | %s |" % started.strftime("%Y-%m-%d %H:%M UTC"))
    lines.append("| git commit | %s |" % commit)
    lines.append("| machine | %s, %s cores, %s GiB RAM |" % (
        mach["cpu"], mach["cores"],
        "%.1f" % (mach["memory"] / GIB) if mach["memory"] else "?"))
    lines.append("| OS | %s |" % mach["os"])
    lines.append("| boplace | `%s`, meson buildtype %s%s |" % (
        os.path.relpath(exe, ROOT), bt or "unknown",
        "" if bt == "release" else
        " (not release: `meson setup build --buildtype=release` is faster)"))
    lines.append("| peers | CBC %s, glpsol (GLPK) %s |" % (
        vers.get("cbc") or "not installed", vers.get("glpsol") or
        "not installed"))
    lines.append("| Python | %s |" % mach["python"])
    lines.append("")
    lines.append(
        "Each contender runs as its own process under the size's target time "
        "as its time limit (boplace `--time-limit`, CBC `sec`, glpsol "
        "`--tmlim`, whole seconds, at least 1), killed at %g× that plus %d s, "
        "its address space capped (`--memory-cap-gib`). Wall time is end to "
        "end: reading the case, deriving, solving, explaining and writing "
        "for boplace and greedy; reading the exported model and solving for "
        "the peers (the export itself is listed under each table). Peak "
        "memory is the process's own maximum resident set. The peers solve "
        "the first tier only (households housed), the model `boplace export` "
        "writes; boplace solves all four tiers. \"Gap (widest tier)\" is "
        "proposals.json's `run.solver.gap`, the widest relative gap of the "
        "tiers solved. Tiers 2 and 3 (waiting days of those housed, housed in "
        "permanent homes) show boplace's bound and gap for each: a tier's bound "
        "holds with the tiers before it fixed at the run's values. The "
        "largest area share is the highest newcomer share "
        "after placement among the areas that received households; D is the "
        "dissimilarity index of newcomer households across all areas after "
        "placement (bench/README.md)." % (args.kill_factor, args.kill_slack))
    lines.append("")
    for s in sections:
        lines.extend(s)
    text = "\n".join(lines).rstrip() + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------

def instance(size, seed, cache):
    """The case directory of size and seed, generated once and cached."""
    d = os.path.join(cache, "%s-seed%d" % (size, seed))
    meta = os.path.join(d, "GENERATED.json")
    if os.path.exists(meta):
        with open(meta) as f:
            info = json.load(f)
        if info.get("version") == generate.GENERATOR_VERSION:
            return d, info
        shutil.rmtree(d)
    os.makedirs(cache, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".%s-" % size, dir=cache)
    try:
        with open(os.devnull, "w") as null:
            stdout, sys.stdout = sys.stdout, null
            try:
                generate.main(["--size", size, "--seed", str(seed), "-o", tmp])
            finally:
                sys.stdout = stdout
        os.replace(tmp, d)
    finally:
        if os.path.exists(tmp):
            shutil.rmtree(tmp)
    with open(meta) as f:
        return d, json.load(f)


def log(text):
    print(text, file=sys.stderr, flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description="The boplace benchmark "
                                 "(bench/README.md); writes bench/results.md.")
    ap.add_argument("--sizes", default="S,M,L,XL")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-peers", action="store_true",
                    help="do not run CBC and glpsol")
    ap.add_argument("--peer-format", choices=("mps", "lp"), default="mps",
                    help="the exported model the peers read (default mps)")
    ap.add_argument("--boplace", default=os.path.join(ROOT, "build", "solver",
                                                      "boplace"))
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"))
    ap.add_argument("--cache", default=os.path.join(HERE, "instances"))
    ap.add_argument("--kill-factor", type=float, default=3.0,
                    help="kill a process at this many times its time limit "
                    "(plus --kill-slack seconds)")
    ap.add_argument("--kill-slack", type=int, default=60)
    ap.add_argument("--memory-cap-gib", type=float, default=None,
                    help="address-space cap per process (default: twice the "
                    "size's memory target, at least 4, at most 12 GiB)")
    args = ap.parse_args(argv)
    args.argv = argv if argv is not None else sys.argv[1:]
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in TARGETS:
            ap.error("unknown size %r (S, M, L, XL)" % s)
    exe = os.path.abspath(args.boplace)
    if not os.access(exe, os.X_OK):
        ap.error("%s is not built: meson setup build --buildtype=release && "
                 "ninja -C build" % exe)
    started = datetime.datetime.now(datetime.timezone.utc)
    commit = git_commit(args.out)
    mach = machine()
    vers = versions()
    peers = [] if args.skip_peers else [p for p in ("cbc", "glpsol")
                                        if shutil.which(p)]
    sections = []
    for size in sizes:
        t = TARGETS[size]
        limit = t["seconds"]
        deadline = args.kill_factor * limit + args.kill_slack
        cap_gib = args.memory_cap_gib or min(12.0, max(4.0, 2 * (
            t["memory_gib"] or 0)))
        cap = int(cap_gib * GIB)
        case_dir, info = instance(size, args.seed, args.cache)
        log("%s: case %s" % (size, os.path.relpath(case_dir, ROOT)))
        work = tempfile.mkdtemp(prefix="boplace_bench_%s_" % size)
        results = {}
        try:
            results["boplace"] = run_boplace(exe, case_dir,
                                             os.path.join(work, "ours"),
                                             "optimizer", limit, deadline, cap)
            log("  boplace: %s, %s s" % (results["boplace"].get("status"),
                                         fmt_seconds(results["boplace"]
                                                     ["seconds"])))
            results["greedy"] = run_boplace(exe, case_dir,
                                            os.path.join(work, "greedy"),
                                            "greedy", limit, deadline, cap)
            log("  greedy: %s housed, %s s" % (
                fmt_num(results["greedy"].get("housed")),
                fmt_seconds(results["greedy"]["seconds"])))
            note = None
            if peers:
                export = {}
                model = os.path.join(work, "model." + args.peer_format)
                for fmt in ("mps", "lp"):
                    path = os.path.join(work, "model." + fmt)
                    export["model." + fmt] = run_export(exe, case_dir, path,
                                                        deadline, cap)
                    log("  export %s: %s s" % (fmt, fmt_seconds(
                        export["model." + fmt]["seconds"])))
                results["export"] = export
                if export["model." + args.peer_format]["ok"]:
                    if "cbc" in peers:
                        results["cbc"] = run_cbc(model, limit, deadline, cap,
                                                 work)
                        results["cbc"]["version"] = vers.get("cbc")
                        log("  cbc: %s, %s s" % (results["cbc"]["status"],
                                                 fmt_seconds(results["cbc"]
                                                             ["seconds"])))
                    if "glpsol" in peers:
                        results["glpsol"] = run_glpsol(
                            model, args.peer_format, limit, deadline, cap)
                        results["glpsol"]["version"] = vers.get("glpsol")
                        log("  glpsol: %s, %s s" % (
                            results["glpsol"]["status"],
                            fmt_seconds(results["glpsol"]["seconds"])))
                else:
                    note = "The peers did not run: the export failed."
                for x in ("model.mps", "model.lp"):
                    try:
                        os.remove(os.path.join(work, x))
                    except OSError:
                        pass
            elif not args.skip_peers:
                note = ("No peers: neither `cbc` (coinor-cbc) nor `glpsol` "
                        "(glpk-utils) is on PATH.")
            sections.append(size_section(size, args.seed, info, results, note))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        # The report after every size, so a long run leaves what it has.
        write_report(args.out, args, mach, vers, sections, started, exe, commit)
    log("wrote %s" % os.path.relpath(args.out, os.getcwd()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
