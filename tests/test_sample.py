"""End to end on the sample case: `boplace run data/sample`.

Checks, each counted on its own:
  * exit 0, and check_outputs() (every hard rule and figure) finds nothing;
  * proposals.csv, unplaced.csv and proposals.json exist, with every field
    SPEC.md names; proposals.json parses, carries the run record (inputs
    with their SHA-256, the policy in force, solver status, objective, best
    bound, gap, the four tiers, counts) and lists the same households as
    the CSV files;
  * a second run gives byte-identical proposals.csv and unplaced.csv;
  * `--lang da` gives the same proposals with reasons in Danish (each differs
    from the English one);
  * the expected figures of EXPECTED_SAMPLE below.

The sample must exist: a missing data/sample is a failure, not a skip.
Last line: "N passed, M failed".
"""

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import boplace_check as bc  # noqa: E402

# ---------------------------------------------------------------------------
# Expected figures for data/sample, from the optimum worked by hand in
# data/README.md ("The optimum, by hand"; "The households and what the case
# is designed to show"), not copied from a run.  The first three tiers and
# who is unplaced, and why, do not depend on the soft weights.
# ---------------------------------------------------------------------------
EXPECTED_SAMPLE = {
    "housed": 16,        # tier 1: households housed
    "waiting": 1383,     # tier 2: waiting days of the housed
    "permanent": 15,     # tier 3: housed in non-transit units
    # every unplaced household and its reason code (all five codes occur)
    "unplaced": {
        "H18": "NO_ELIGIBLE_UNIT",
        "H04": "CAP_BINDING",
        "H05": "GROUP", "H06": "GROUP", "H07": "GROUP", "H08": "GROUP",
        "H09": "LOCK",
        "H24": "OUTCOMPETED", "H25": "OUTCOMPETED",
    },
    "reason_codes": {"NO_ELIGIBLE_UNIT", "OUTCOMPETED", "CAP_BINDING",
                     "GROUP", "LOCK"},
}

SOURCE = os.environ.get("BOPLACE_SOURCE", os.path.dirname(HERE))
SAMPLE = os.path.join(SOURCE, "data", "sample")
RUN_SOLVER_FIELDS = ("status", "objective", "best_bound", "gap", "tiers")
TIER_NAMES = ("housed", "waiting", "permanent", "soft")
POLICY_KEYS = ("max_minutes", "max_newcomer_share", "max_bilingual_share",
               "persons_per_room", "extra_rooms", "max_new_per_building",
               "min_cluster", "allow_vulnerable_areas", "allow_transit",
               "weights")


def boplace():
    exe = os.environ.get("BOPLACE")
    return exe or os.path.join(SOURCE, "build", "solver", "boplace")


def run(out_dir, *extra):
    return subprocess.run([boplace(), "run", SAMPLE, "-o", out_dir]
                          + list(extra), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=600)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:] if any(r)]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, problems):
        """problems: list of strings (empty = pass)."""
        if problems:
            self.failed += 1
            print("FAIL %s" % name)
            for p in problems[:40]:
                print("    " + p)
            if len(problems) > 40:
                print("    ... and %d more" % (len(problems) - 40))
        else:
            self.passed += 1
            print("ok   %s" % name)


def check_json(doc, out_dir, case):
    problems = []
    if not isinstance(doc, dict):
        return ["proposals.json: top level is not an object"]
    for key in ("run", "proposals", "unplaced"):
        if key not in doc:
            problems.append("proposals.json: no %r" % key)
    if problems:
        return problems
    r = doc["run"]
    for key in ("inputs", "policy", "solver", "counts"):
        if key not in r:
            problems.append("proposals.json: no run.%s" % key)
    solver = r.get("solver", {})
    for key in RUN_SOLVER_FIELDS:
        if key not in solver:
            problems.append("proposals.json: no run.solver.%s" % key)
    tiers = solver.get("tiers", {})
    for t in TIER_NAMES:
        for f in ("value", "bound"):
            if not isinstance(tiers.get(t), dict) or f not in tiers[t]:
                problems.append("proposals.json: no run.solver.tiers.%s.%s"
                                % (t, f))
    # Input hashes: every CSV/JSON of the case, with its SHA-256.
    inputs = r.get("inputs", [])
    text = json.dumps(inputs)
    for name in sorted(os.listdir(SAMPLE)):
        if name.endswith((".csv", ".json")):
            digest = sha256(os.path.join(SAMPLE, name))
            if name not in text:
                problems.append("run.inputs does not name %s" % name)
            if digest not in text:
                problems.append("run.inputs lacks the SHA-256 of %s (%s)"
                                % (name, digest))
    # The policy in force, as this checker reads it.
    pol = r.get("policy", {})
    for key in POLICY_KEYS:
        if key not in pol:
            problems.append("run.policy has no %s" % key)
            continue
        want, got = case.policy[key], pol[key]
        if isinstance(want, dict):
            for sub, v in want.items():
                if sub not in got or abs(float(got[sub]) - v) > 1e-9:
                    problems.append("run.policy.%s.%s = %r, expected %r"
                                    % (key, sub, got.get(sub), v))
        elif isinstance(want, bool):
            if bool(got) != want:
                problems.append("run.policy.%s = %r, expected %r"
                                % (key, got, want))
        elif abs(float(got) - float(want)) > 1e-9:
            problems.append("run.policy.%s = %r, expected %r"
                            % (key, got, want))
    # The same households as the CSV files.
    _, prop = read_csv(os.path.join(out_dir, "proposals.csv"))
    _, unpl = read_csv(os.path.join(out_dir, "unplaced.csv"))
    try:
        jp = sorted((p["household_id"], p["unit_id"])
                    for p in doc["proposals"])
        ju = sorted((u["household_id"], u["reason_code"])
                    for u in doc["unplaced"])
    except (KeyError, TypeError) as e:
        return problems + ["proposals.json: proposals/unplaced entries "
                           "lack household_id/unit_id/reason_code (%s)" % e]
    cp = sorted((p["household_id"], p["unit_id"]) for p in prop)
    cu = sorted((u["household_id"], u["reason_code"]) for u in unpl)
    if jp != cp:
        problems.append("proposals.json proposals %s != proposals.csv %s"
                        % (jp, cp))
    if ju != cu:
        problems.append("proposals.json unplaced %s != unplaced.csv %s"
                        % (ju, cu))
    housed = tiers.get("housed", {}).get("value")
    if housed is not None and housed != len(prop):
        problems.append("run.solver.tiers.housed.value %r != %d rows in "
                        "proposals.csv" % (housed, len(prop)))
    return problems


def main():
    c = Checks()
    if not os.path.isdir(SAMPLE):
        c.check("data/sample exists", ["no sample case at %s" % SAMPLE])
        print("%d passed, %d failed" % (c.passed, c.failed))
        sys.exit(1)
    exe = boplace()
    if not os.access(exe, os.X_OK):
        c.check("program exists", ["boplace not executable: %s" % exe])
        print("%d passed, %d failed" % (c.passed, c.failed))
        sys.exit(1)

    tmp = tempfile.mkdtemp(prefix="boplace_sample_")
    out1, out2, out_da = (os.path.join(tmp, n) for n in ("en", "en2", "da"))
    proc = run(out1)
    c.check("run exits 0", [] if proc.returncode == 0 else [
        "exit %d; stderr:\n%s" % (proc.returncode,
                                  proc.stderr.decode("utf-8", "replace"))])
    if proc.returncode != 0:
        print("%d passed, %d failed" % (c.passed, c.failed))
        sys.exit(1)

    files = [os.path.join(out1, n) for n in ("proposals.csv", "unplaced.csv",
                                              "proposals.json")]
    c.check("three output files", ["missing %s" % f for f in files
                                   if not os.path.exists(f)])
    problems = []
    if os.path.exists(files[0]):
        header, _ = read_csv(files[0])
        problems += ["proposals.csv lacks %s" % col
                     for col in bc.PROPOSAL_COLUMNS if col not in header]
    if os.path.exists(files[1]):
        header, _ = read_csv(files[1])
        problems += ["unplaced.csv lacks %s" % col
                     for col in bc.UNPLACED_COLUMNS if col not in header]
    c.check("every SPEC field in the CSV outputs", problems)

    case = bc.Case(SAMPLE)
    try:
        problems = bc.check_outputs(SAMPLE, out1, case=case)
    except Exception as e:  # noqa: BLE001
        problems = ["check_outputs crashed: %s: %s" % (type(e).__name__, e)]
    c.check("check_outputs: hard rules and figures", problems)

    try:
        with open(files[2], encoding="utf-8") as f:
            doc = json.load(f)
        problems = check_json(doc, out1, case)
    except (OSError, ValueError) as e:
        problems = ["proposals.json does not parse: %s" % e]
    c.check("proposals.json: run record and households", problems)

    proc = run(out2)
    problems = [] if proc.returncode == 0 else ["second run exit %d"
                                                % proc.returncode]
    for n in ("proposals.csv", "unplaced.csv"):
        a, b = os.path.join(out1, n), os.path.join(out2, n)
        if not (os.path.exists(a) and os.path.exists(b)):
            problems.append("%s missing" % n)
        else:
            with open(a, "rb") as fa, open(b, "rb") as fb:
                if fa.read() != fb.read():
                    problems.append("%s differs between two runs" % n)
    c.check("same input => byte-identical CSV outputs", problems)

    proc = run(out_da, "--lang", "da")
    problems = [] if proc.returncode == 0 else [
        "--lang da exit %d: %s" % (proc.returncode,
                                   proc.stderr.decode("utf-8", "replace"))]
    if not problems:
        for n, key in (("proposals.csv", "household_id"),
                       ("unplaced.csv", "household_id")):
            _, en_rows = read_csv(os.path.join(out1, n))
            _, da_rows = read_csv(os.path.join(out_da, n))
            en = {r[key]: r for r in en_rows}
            da = {r[key]: r for r in da_rows}
            if sorted(en) != sorted(da):
                problems.append("%s: households differ between en and da"
                                % n)
                continue
            # SPEC's columns must agree; the sentences must be translated.
            # (Extra sentence columns, such as the alternative, may differ.)
            spec_cols = bc.PROPOSAL_COLUMNS if n == "proposals.csv" \
                else bc.UNPLACED_COLUMNS
            for hid in sorted(en):
                for col in spec_cols:
                    if col == "reason":
                        if not da[hid][col].strip():
                            problems.append("%s %s: empty Danish reason"
                                            % (n, hid))
                        elif da[hid][col] == en[hid][col]:
                            problems.append("%s %s: Danish reason equals "
                                            "the English one: %r"
                                            % (n, hid, en[hid][col]))
                    elif da[hid].get(col) != en[hid].get(col):
                        problems.append("%s %s: %s is %r in da, %r in en"
                                        % (n, hid, col, da[hid][col],
                                           en[hid][col]))
    c.check("--lang da: same proposals, reasons in Danish", problems)

    _, prop = read_csv(os.path.join(out1, "proposals.csv"))
    _, unpl = read_csv(os.path.join(out1, "unplaced.csv"))
    problems = []
    assign = {r["household_id"]: r["unit_id"] for r in prop
              if r["household_id"] in case.households
              and r["unit_id"] in case.units}
    got = dict(zip(("housed", "waiting", "permanent"),
                   bc.tiers(case, assign)))
    for key in ("housed", "waiting", "permanent"):
        want = EXPECTED_SAMPLE[key]
        if want is None:
            problems.append("EXPECTED_SAMPLE[%r] is not filled in yet (the "
                            "run gives %d)" % (key, got[key]))
        elif got[key] != want:
            problems.append("%s: the run gives %d, expected %d"
                            % (key, got[key], want))
    codes = {r["household_id"]: r["reason_code"] for r in unpl}
    if codes != EXPECTED_SAMPLE["unplaced"]:
        problems.append("unplaced households and codes %s, expected %s"
                        % (sorted(codes.items()),
                           sorted(EXPECTED_SAMPLE["unplaced"].items())))
    missing = EXPECTED_SAMPLE["reason_codes"] - set(codes.values())
    if missing:
        problems.append("reason codes %s expected in unplaced.csv, not "
                        "there (present: %s)" % (sorted(missing),
                                                 sorted(set(codes.values()))))
    c.check("expected figures of the sample (EXPECTED_SAMPLE)", problems)

    if c.failed == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("outputs kept in %s" % tmp)
    print("%d passed, %d failed" % (c.passed, c.failed))
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
