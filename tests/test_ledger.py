#!/usr/bin/env python3
"""The weekly cycle: `boplace accept`, the history ledger, `boplace history`.

Every check works on a copy of data/sample in a temporary directory (the
sample itself is never written to).  Checks, each counted on its own:

  * accept records every proposal of a run in CASE/history.csv: one row per
    household, the facts taken from the case (persons, children, waiting
    days, the unit's kind), the run's fingerprint computed here from
    proposals.json, mode 0600;
  * accepting the same run again changes nothing (byte for byte);
  * the next run reads the ledger: proposals.json lists history.csv with its
    SHA-256, and its proposals.csv and unplaced.csv are byte-identical to a
    run on a case to which this test applied the ledger itself (areas,
    schools, daycares, households, units, locks, scores rewritten by the
    rules of data/README.md); `export .dat` shows the moved counts;
  * partial acceptance (--households), then the rest: the ledger only grows
    (its old bytes are a prefix of the new), one batch;
  * conflicts: a second run's proposals for households already housed (or
    units taken) are refused, nothing written; a case changed since the run
    is refused; an unknown --households id is refused; two accepts at once
    both land (the lock);
  * transit then permanent: a household in transit housing stays in the
    next run, and once accepted into a permanent unit its transit place is
    free again;
  * the ledger as a file: a broken row is an error with history.csv:line:col;
    a missing final line break and a re-save with ';' still read, and new
    rows follow the file's layout;
  * history: the table's totals (median days, share within 180 days) agree
    with a computation from history.csv here; history.html is written, with
    SVG and no scripts; no ledger is not an error.

Environment (tests/meson.build): BOPLACE, the program; BOPLACE_SOURCE, the
source tree.  Standard library only.  Last line: "N passed, M failed".
"""

import csv
import hashlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import boplace_check as bc  # noqa: E402

SOURCE = os.environ.get("BOPLACE_SOURCE", os.path.dirname(HERE))
SAMPLE = os.path.join(SOURCE, "data", "sample")
BOPLACE = os.environ.get("BOPLACE") or os.path.join(SOURCE, "build", "solver",
                                                     "boplace")
LEDGER_COLUMNS = ["batch", "week", "household_id", "unit_id", "area_id", "kind",
                  "adults", "children_0_5", "children_6_16", "persons",
                  "waiting_days", "run_sha256"]


def boplace(*args):
    return subprocess.run([BOPLACE] + [str(a) for a in args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=600, text=True)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def ledger_rows(case_dir):
    path = os.path.join(case_dir, "history.csv")
    return bc.Table(path).rows if os.path.exists(path) else []


def fingerprint(out_dir):
    with open(os.path.join(out_dir, "proposals.json"), encoding="utf-8") as f:
        doc = json.load(f)
    text = "".join("%s\t%s\n" % (i["file"], i["sha256"])
                   for i in doc["run"]["inputs"])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def proposals(out_dir):
    return {r["household_id"]: r for r in
            bc.read_output_csv(os.path.join(out_dir, "proposals.csv"))[1]}


def copy_sample(root, name="case"):
    path = os.path.join(root, name)
    shutil.copytree(SAMPLE, path)
    return path


def run_ok(case_dir, out_dir, *extra):
    r = boplace("run", case_dir, "-o", out_dir, *extra)
    if r.returncode != 0:
        raise AssertionError("run %s exited %d: %s" % (case_dir, r.returncode,
                                                       r.stderr[-2000:]))
    return r


# --------------------------------------------------------------------------
# The ledger applied by this test, independently of ledger.c
# --------------------------------------------------------------------------

class CaseFiles:
    """Every CSV of a case: header, rows (dicts of strings), delimiter."""

    def __init__(self, case_dir):
        self.dir = case_dir
        self.tables = {}
        for name in sorted(os.listdir(case_dir)):
            if name.endswith(".csv") and name != "history.csv":
                self.tables[name] = bc.Table(os.path.join(case_dir, name))

    def write(self, out_dir):
        os.makedirs(out_dir)
        for name, t in self.tables.items():
            with open(os.path.join(out_dir, name), "w", encoding="utf-8",
                      newline="") as f:
                w = csv.writer(f, delimiter=t.delimiter, lineterminator="\n")
                w.writerow(t.header)
                for row in t.rows:
                    w.writerow([row.get(c, "") for c in t.header])
        policy = os.path.join(self.dir, "policy.json")
        if os.path.exists(policy):
            shutil.copy(policy, os.path.join(out_dir, "policy.json"))


def apply_ledger_here(case_dir, out_dir):
    """Writes to out_dir the case that a run of case_dir should see."""
    files = CaseFiles(case_dir)
    rows = ledger_rows(case_dir)
    latest = {}
    for i, r in enumerate(rows):
        latest[r["household_id"]] = i
    areas = {r["area_id"]: r for r in files.tables["areas.csv"].rows}
    schools = {r["school_id"]: r for r in files.tables["schools.csv"].rows}
    daycares = {r["daycare_id"]: r for r in files.tables["daycares.csv"].rows}
    taken, housed = {}, set()

    def add(row, key, n):
        row[key] = str(int(row[key]) + n)

    for i, r in enumerate(rows):
        if latest[r["household_id"]] != i:
            continue  # moved on from this (transit) unit
        taken[r["unit_id"]] = taken.get(r["unit_id"], 0) + 1
        if r["kind"] == "transit":
            continue
        housed.add(r["household_id"])
        a = areas[r["area_id"]]
        add(a, "households", 1)
        add(a, "newcomer_households", 1)
        for inst, n, free, enrolled, bilingual in (
                (schools.get(a["school_id"]), int(r["children_6_16"]),
                 "free_seats", "pupils", "bilingual_pupils"),
                (daycares.get(a.get("daycare_id", "")), int(r["children_0_5"]),
                 "free_places", "children", "bilingual_children")):
            if inst is None or n == 0:
                continue
            inst[free] = str(max(0, int(inst[free]) - n))
            add(inst, enrolled, n)
            add(inst, bilingual, n)
    t = files.tables["households.csv"]
    t.rows = [r for r in t.rows if r["household_id"] not in housed]
    t = files.tables["units.csv"]
    kept, dropped = [], set()
    for r in t.rows:
        n = taken.get(r["unit_id"], 0)
        places = int(r.get("places") or 1)
        if n >= places and n > 0:
            dropped.add(r["unit_id"])
            continue
        if n:
            r["places"] = str(places - n)
        kept.append(r)
    t.rows = kept
    t = files.tables["locks.csv"]
    t.rows = [r for r in t.rows if r["household_id"] not in housed
              and r["unit_id"] not in dropped]
    t = files.tables["scores.csv"]
    t.rows = [r for r in t.rows if r["household_id"] not in housed]
    files.write(out_dir)


def dat_params(path):
    """param NAME := 'k' v 'k' v ...; of a .dat file, as dicts of strings."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("param ") or ":=" not in line:
                continue
            name, _, rest = line[6:].partition(":=")
            tokens = rest.strip().rstrip(";").split()
            if len(tokens) % 2:
                continue
            out[name.strip()] = {tokens[i].strip("'"): tokens[i + 1]
                                 for i in range(0, len(tokens), 2)}
    return out


def dat_set(path, name):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("set %s :=" % name):
                return {t.strip("'") for t in line.split(":=")[1].strip()
                        .rstrip(";").split()}
    return set()


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------

def check_accept_records(root):
    problems = []
    case = copy_sample(root)
    out = os.path.join(root, "out1")
    run_ok(case, out)
    r = boplace("accept", out, "--case", case, "--week", "2026-W45")
    if r.returncode != 0:
        return ["accept exited %d: %s" % (r.returncode, r.stderr)]
    path = os.path.join(case, "history.csv")
    if os.stat(path).st_mode & 0o777 != 0o600:
        problems.append("history.csv has mode %o, not 600"
                        % (os.stat(path).st_mode & 0o777))
    with open(path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    if header != LEDGER_COLUMNS:
        problems.append("history.csv header %r" % header)
    rows = ledger_rows(case)
    props = proposals(out)
    if sorted(r["household_id"] for r in rows) != sorted(props):
        problems.append("ledger households %s, proposals %s"
                        % (sorted(r["household_id"] for r in rows),
                           sorted(props)))
    sample = bc.Case(SAMPLE)
    fp = fingerprint(out)
    for row in rows:
        hid = row["household_id"]
        h, p = sample.households[hid], props.get(hid)
        if p is None:
            continue
        unit = sample.units[p["unit_id"]]
        want = {"batch": "1", "week": "2026-W45", "unit_id": p["unit_id"],
                "area_id": p["area_id"], "kind": unit["kind"],
                "adults": str(h["adults"]), "children_0_5": str(h["c05"]),
                "children_6_16": str(h["c6"]), "persons": str(h["persons"]),
                "waiting_days": str(h["waiting_days"]), "run_sha256": fp}
        for key, value in want.items():
            if row[key] != value:
                problems.append("%s: %s is %r, expected %r"
                                % (hid, key, row[key], value))
    # The same fingerprint as the run's spread report, where there is one.
    summary = os.path.join(out, "summary.json")
    if os.path.exists(summary):
        with open(summary, encoding="utf-8") as f:
            report_fp = json.load(f).get("case", {}).get("fingerprint")
        if report_fp != fp:
            problems.append("summary.json's fingerprint %r is not the "
                            "ledger's run_sha256 %r" % (report_fp, fp))
    if "Recorded 16 accepted proposals" not in r.stdout:
        problems.append("accept said: %r" % r.stdout)
    return problems


def check_accept_twice(root):
    case = copy_sample(root)
    out = os.path.join(root, "out")
    run_ok(case, out)
    first = boplace("accept", out, "--case", case)
    before = read_bytes(os.path.join(case, "history.csv"))
    second = boplace("accept", out, "--case", case)
    after = read_bytes(os.path.join(case, "history.csv"))
    problems = []
    if first.returncode or second.returncode:
        problems.append("accept exited %d, then %d: %s" % (
            first.returncode, second.returncode, second.stderr))
    if before != after:
        problems.append("accepting twice changed history.csv")
    if "Nothing new to record" not in second.stdout:
        problems.append("second accept said: %r" % second.stdout)
    return problems


def check_next_run(root):
    """The ledger survives being read by the next run, and moves counts."""
    problems = []
    case = copy_sample(root)
    out1, out2 = os.path.join(root, "out1"), os.path.join(root, "out2")
    run_ok(case, out1)
    # Accept part of the run, so that the next run still has work to do.
    props = proposals(out1)
    chosen = [h for h in ("H02", "H10", "H11", "H14", "H15") if h in props]
    r = boplace("accept", out1, "--case", case, "--households", ",".join(chosen))
    if r.returncode != 0:
        return ["accept exited %d: %s" % (r.returncode, r.stderr)]
    run_ok(case, out2)
    with open(os.path.join(out2, "proposals.json"), encoding="utf-8") as f:
        doc = json.load(f)
    inputs = {i["file"]: i["sha256"] for i in doc["run"]["inputs"]}
    digest = hashlib.sha256(read_bytes(os.path.join(case, "history.csv")))
    if inputs.get("history.csv") != digest.hexdigest():
        problems.append("run.inputs lacks history.csv with its SHA-256: %r"
                        % inputs.get("history.csv"))
    if doc["run"]["counts"]["households"] != 25 - len(chosen):
        problems.append("next run has %s households, expected %d"
                        % (doc["run"]["counts"]["households"], 25 - len(chosen)))
    for hid in chosen:
        if hid in proposals(out2) or hid in {
                u["household_id"] for u in doc["unplaced"]}:
            problems.append("%s is accepted but still in the next run" % hid)
    # The same case with the ledger applied by this test: the same bytes.
    applied = os.path.join(root, "applied")
    apply_ledger_here(case, applied)
    out3 = os.path.join(root, "out3")
    run_ok(applied, out3)
    for name in ("proposals.csv", "unplaced.csv"):
        if read_bytes(os.path.join(out2, name)) != read_bytes(
                os.path.join(out3, name)):
            problems.append("%s differs from a run on the case with the "
                            "ledger applied by the test" % name)
    problems += ["check_outputs: " + p for p in bc.check_outputs(applied, out2)]
    # The counts as export shows them: every accepted placement's area,
    # school and daycare moved by exactly the ledger's figures.
    dat = os.path.join(root, "case.dat")
    r = boplace("export", case, dat)
    if r.returncode != 0:
        return problems + ["export exited %d: %s" % (r.returncode, r.stderr)]
    params = dat_params(dat)
    sample = bc.Case(SAMPLE)
    moved = {}
    for row in ledger_rows(case):
        a = sample.areas[row["area_id"]]
        moved.setdefault(("n", a["id"]), 0)
        moved[("n", a["id"])] += 1
        moved.setdefault(("F_s", a["school"]), 0)
        moved[("F_s", a["school"])] += int(row["children_6_16"])
        if a["daycare"]:
            moved.setdefault(("F_d", a["daycare"]), 0)
            moved[("F_d", a["daycare"])] += int(row["children_0_5"])
    for aid, a in sample.areas.items():
        m = moved.get(("n", aid), 0)
        if int(params["n"][aid]) != a["newcomers"] + m or \
                int(params["N"][aid]) != a["households"] + m:
            problems.append("area %s: n %s N %s, expected %d %d" % (
                aid, params["n"][aid], params["N"][aid], a["newcomers"] + m,
                a["households"] + m))
    for key, table, prefix in (("F_s", sample.schools, "s"),
                               ("F_d", sample.daycares, "d")):
        for iid, inst in table.items():
            m = moved.get((key, iid), 0)
            want = (max(0, inst["free"] - m), inst["enrolled"] + m,
                    inst["bilingual"] + m)
            got = (int(params[key][iid]), int(params["p_" + prefix][iid]),
                   int(params["b_" + prefix][iid]))
            if got != want:
                problems.append("%s: free/enrolled/bilingual %s, expected %s"
                                % (iid, got, want))
    return problems


def check_partial_then_rest(root):
    problems = []
    case = copy_sample(root)
    out = os.path.join(root, "out")
    run_ok(case, out)
    r1 = boplace("accept", out, "--case", case, "--households", "H01, H02")
    first = read_bytes(os.path.join(case, "history.csv"))
    r2 = boplace("accept", out, "--case", case)
    second = read_bytes(os.path.join(case, "history.csv"))
    if r1.returncode or r2.returncode:
        return ["accept exited %d, %d: %s" % (r1.returncode, r2.returncode,
                                              r2.stderr)]
    rows = ledger_rows(case)
    if [r["household_id"] for r in rows[:2]] != ["H01", "H02"]:
        problems.append("first rows %r" % [r["household_id"] for r in rows[:2]])
    if len(rows) != len(proposals(out)):
        problems.append("%d rows after accepting the rest, expected %d"
                        % (len(rows), len(proposals(out))))
    if not second.startswith(first):
        problems.append("the ledger was rewritten, not appended to")
    if {r["batch"] for r in rows} != {"1"}:
        problems.append("batches %s, expected one" % {r["batch"] for r in rows})
    if "2 already recorded" not in r2.stdout:
        problems.append("second accept said %r" % r2.stdout)
    return problems


def check_conflicts(root):
    problems = []
    case = copy_sample(root)
    out_a, out_b = os.path.join(root, "a"), os.path.join(root, "b")
    run_ok(case, out_a)
    run_ok(case, out_b, "--policy",
           os.path.join(SOURCE, "data", "policies", "rebild.json"))
    a, b = proposals(out_a), proposals(out_b)
    differ = sorted(h for h in a if h in b and a[h]["unit_id"] != b[h]["unit_id"])
    if not differ:
        return ["the two runs propose the same units; no conflict to test"]
    boplace("accept", out_a, "--case", case)
    before = read_bytes(os.path.join(case, "history.csv"))
    r = boplace("accept", out_b, "--case", case)
    if r.returncode != 2:
        problems.append("accepting conflicting proposals exited %d"
                        % r.returncode)
    if "already has a permanent home" not in r.stderr or differ[0] not in r.stderr:
        problems.append("no message naming %s: %r" % (differ[0], r.stderr[:800]))
    if read_bytes(os.path.join(case, "history.csv")) != before:
        problems.append("history.csv changed after a refused accept")
    # Unknown and unplaced ids in --households.
    r = boplace("accept", out_a, "--case", case, "--households", "H99,H04")
    if r.returncode != 2 or "'H99' is not in" not in r.stderr or \
            "'H04' has no proposal (it is unplaced)" not in r.stderr:
        problems.append("--households H99,H04: exit %d, %r" % (r.returncode,
                                                               r.stderr))
    # A case changed since the run.
    case2 = copy_sample(root, "case2")
    out2 = os.path.join(root, "out2")
    run_ok(case2, out2)
    with open(os.path.join(case2, "units.csv"), "a", encoding="utf-8") as f:
        f.write("U999;A01;S-Torvet;2;2;5000;public;;;0;;;\n")
    r = boplace("accept", out2, "--case", case2)
    if r.returncode != 2 or "units.csv has changed since the run" not in r.stderr:
        problems.append("changed case: exit %d, %r" % (r.returncode, r.stderr))
    if os.path.exists(os.path.join(case2, "history.csv")):
        problems.append("a refused accept created history.csv")
    # Usage.
    if boplace("accept", out2).returncode != 1:
        problems.append("accept without --case is not a usage error")
    help_ = boplace("accept", "--help")
    if help_.returncode != 0 or "SYNOPSIS" not in help_.stdout:
        problems.append("accept --help")
    return problems


def check_concurrent(root):
    """Two accepts at once: the directory lock keeps both."""
    case = copy_sample(root)
    out = os.path.join(root, "out")
    run_ok(case, out)
    ids = sorted(proposals(out))
    procs = [subprocess.Popen([BOPLACE, "accept", out, "--case", case,
                               "--households", ",".join(ids[i::2])],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(2)]
    codes = [p.wait(timeout=600) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    rows = ledger_rows(case)
    problems = []
    if codes != [0, 0]:
        problems.append("exit statuses %s" % codes)
    if sorted(r["household_id"] for r in rows) != ids:
        problems.append("ledger holds %s, expected %s"
                        % (sorted(r["household_id"] for r in rows), ids))
    return problems


def check_transit_then_permanent(root):
    problems = []
    case = copy_sample(root)
    out1, out2, out3 = (os.path.join(root, n) for n in ("o1", "o2", "o3"))
    run_ok(case, out1)
    transit = [h for h, p in proposals(out1).items() if p["kind"] == "transit"]
    if not transit:
        return ["no transit proposal in the sample run"]
    hid, tunit = transit[0], proposals(out1)[transit[0]]["unit_id"]
    boplace("accept", out1, "--case", case, "--week", "2026-W45")
    dat = os.path.join(root, "c.dat")
    boplace("export", case, dat)
    if hid not in dat_set(dat, "H"):
        problems.append("%s in transit housing left the case" % hid)
    if tunit in dat_set(dat, "U"):
        problems.append("transit unit %s still offered while %s lives there"
                        % (tunit, hid))
    # Next week: a cheap 1-room public flat appears in Sydhavnen.
    with open(os.path.join(case, "units.csv"), "a", encoding="utf-8") as f:
        f.write("U900;A05;S-Sydhavnen;2;1;4000;public;;1;0;Havnegården;;\n")
    run_ok(case, out2)
    p2 = proposals(out2)
    if p2.get(hid, {}).get("unit_id") != "U900":
        return problems + ["%s was not proposed U900 in week 2: %r"
                           % (hid, p2.get(hid))]
    r = boplace("accept", out2, "--case", case, "--households", hid,
                "--week", "2026-W46")
    if r.returncode != 0:
        return problems + ["accept week 2 exited %d: %s" % (r.returncode,
                                                            r.stderr)]
    boplace("export", case, dat)
    if hid in dat_set(dat, "H"):
        problems.append("%s housed permanently is still in the case" % hid)
    if tunit not in dat_set(dat, "U"):
        problems.append("transit unit %s is not free again" % tunit)
    applied = os.path.join(root, "applied")
    apply_ledger_here(case, applied)
    run_ok(case, out2)
    run_ok(applied, out3)
    for name in ("proposals.csv", "unplaced.csv"):
        if read_bytes(os.path.join(out2, name)) != read_bytes(
                os.path.join(out3, name)):
            problems.append("week 3: %s differs from the test's own ledger "
                            "application" % name)
    # history: two weeks; totals from the ledger computed here.
    hist = os.path.join(root, "hist")
    r = boplace("history", case, "-o", hist)
    if r.returncode != 0:
        return problems + ["history exited %d: %s" % (r.returncode, r.stderr)]
    lines = r.stdout.splitlines()
    if not any(l.startswith("2026-W45") for l in lines) or \
            not any(l.startswith("2026-W46") for l in lines):
        problems.append("history lacks a week: %r" % r.stdout)
    rows = ledger_rows(case)
    days = [int(x["waiting_days"]) for x in rows if x["kind"] != "transit"]
    median = statistics.median(days)
    within = round(100 * sum(d <= 180 for d in days) / len(days))
    total = [l for l in lines if l.startswith("all weeks")]
    want = "%d" % median if median == int(median) else "%.1f" % median
    if not total or want not in total[0].split() or \
            "%d%%" % within not in total[0].split():
        problems.append("history total %r, expected median %s, %d%% within "
                        "180 days" % (total, want, within))
    if ("%d households" % len(days)) not in r.stdout:
        problems.append("history does not count %d households housed"
                        % len(days))
    html = os.path.join(hist, "history.html")
    if not os.path.exists(html):
        problems.append("no history.html")
    else:
        text = open(html, encoding="utf-8").read()
        if "<svg" not in text or "<script" in text or "2026-W46" not in text:
            problems.append("history.html: no chart, a script, or no week")
    return problems


def check_ledger_file(root):
    problems = []
    case = copy_sample(root)
    out = os.path.join(root, "out")
    run_ok(case, out)
    boplace("accept", out, "--case", case, "--households", "H01,H02")
    path = os.path.join(case, "history.csv")
    good = read_bytes(path)
    # A broken row: an error that points at it, and nothing runs.
    lines = good.decode("utf-8").splitlines()
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n" + "1,,H03,U043,A05,transit,1,0,0,"
                "7,150,%s\n" % ("0" * 64))
    r = boplace("run", case, "-o", os.path.join(root, "bad"))
    want = "history.csv:%d:10: error: persons: 7" % (len(lines) + 1)
    if r.returncode != 2 or want not in r.stderr:
        problems.append("broken row: exit %d, %r (wanted %r)"
                        % (r.returncode, r.stderr[:600], want))
    # No final line break: read as it is; the next row goes on a new line.
    with open(path, "wb") as f:
        f.write(good.rstrip(b"\n"))
    run_ok(case, os.path.join(root, "o2"))
    r = boplace("accept", out, "--case", case, "--households", "H10")
    rows = ledger_rows(case)
    if r.returncode or [x["household_id"] for x in rows] != ["H01", "H02", "H10"]:
        problems.append("after a missing line break: exit %d, rows %r"
                        % (r.returncode, [x["household_id"] for x in rows]))
    # Re-saved with ';' (Excel): still read, and new rows use ';'.
    text = read_bytes(path).decode("utf-8").replace(",", ";")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    run_ok(case, os.path.join(root, "o3"))
    r = boplace("accept", out, "--case", case, "--households", "H11")
    last = read_bytes(path).decode("utf-8").splitlines()[-1]
    if r.returncode or not last.startswith("1;;H11;") or "," in last:
        problems.append("after a ';' re-save: exit %d, last line %r"
                        % (r.returncode, last))
    return problems


def check_history_without_ledger(root):
    case = copy_sample(root)
    r = boplace("history", case)
    problems = []
    if r.returncode != 0 or "No placements accepted yet" not in r.stdout:
        problems.append("history without a ledger: exit %d, %r"
                        % (r.returncode, r.stdout))
    h = boplace("history", "--help")
    if h.returncode != 0 or "SYNOPSIS" not in h.stdout:
        problems.append("history --help")
    return problems


CHECKS = [
    ("accept records every proposal with the case's facts",
     check_accept_records),
    ("accepting twice changes nothing", check_accept_twice),
    ("the next run reads the ledger and moves the counts", check_next_run),
    ("partial acceptance, then the rest: append-only, one batch",
     check_partial_then_rest),
    ("conflicts, stale cases and bad ids are refused", check_conflicts),
    ("two accepts at once both land", check_concurrent),
    ("transit, then a permanent home; history week by week",
     check_transit_then_permanent),
    ("the ledger file: broken rows, no final line break, ';'",
     check_ledger_file),
    ("history without a ledger", check_history_without_ledger),
]


def main():
    if not os.path.isdir(SAMPLE):
        print("no sample case at %s" % SAMPLE)
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for name, check in CHECKS:
        root = tempfile.mkdtemp(prefix="boplace-ledger-")
        try:
            problems = check(root)
        except Exception as error:  # a broken check is a failed check
            problems = ["%s: %s" % (type(error).__name__, error)]
        finally:
            shutil.rmtree(root, ignore_errors=True)
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems[:30]:
                print("     " + p)
        else:
            passed += 1
            print("ok   %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
