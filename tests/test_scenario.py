#!/usr/bin/env python3
"""What-if scenarios: `boplace compare CASE_DIR SCENARIO.json...`.

Checks, each counted on its own:

  * compare on the sample with the scenarios of data/scenarios/: exit 0, the
    terminal table names every run, compare.csv has one row per figure
    (in the documented order) and one column per run, mode 0600, and
    compare.html is one self-contained page with a chart per figure and no
    scripts;
  * the expected direction of change: a tighter cap never raises the
    largest area share and never houses more; adding units never houses
    fewer; adding households never houses fewer;
  * an independent re-computation: this test applies each scenario to a copy
    of the case itself (rewriting the CSV files and policy.json by the rules
    of data/SCENARIOS.md), runs `boplace run` on it, checks its outputs with
    boplace_check, and recomputes every figure of compare.csv from those
    outputs (households, units, places, housed, persons, transit, unplaced
    by reason, largest share and D, trips, rent burden, caps binding as
    `run` prints them, and the households whose proposal changed);
  * the same input gives a byte-identical compare.csv;
  * bad scenarios: a syntax error, a withdrawn id that does not exist, an id
    added twice, a policy value out of range are errors at file:line:column
    naming the scenario file, exit 2, nothing written; an unknown key is a
    warning at its line:column and the comparison runs.

Environment (tests/meson.build): BOPLACE, the program; BOPLACE_SOURCE, the
source tree.  Standard library only.  Last line: "N passed, M failed".
"""

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import boplace_check as bc  # noqa: E402

SOURCE = os.environ.get("BOPLACE_SOURCE", os.path.dirname(HERE))
SAMPLE = os.path.join(SOURCE, "data", "sample")
SCENARIOS = os.path.join(SOURCE, "data", "scenarios")
BOPLACE = os.environ.get("BOPLACE") or os.path.join(SOURCE, "build", "solver",
                                                     "boplace")

FIGURES = [
    "households", "units", "places", "households_housed", "persons_housed",
    "housed_in_transit", "unplaced_no_eligible_unit", "unplaced_outcompeted",
    "unplaced_cap_binding", "unplaced_group", "unplaced_lock",
    "largest_area_share", "largest_area", "largest_share_where_placed",
    "largest_area_where_placed", "dissimilarity_index", "mean_travel_minutes",
    "worst_travel_minutes", "mean_rent_burden", "caps_binding",
    "caps_binding_list", "proposals_changed", "changed_households"]
REASONS = ["NO_ELIGIBLE_UNIT", "OUTCOMPETED", "CAP_BINDING", "GROUP", "LOCK"]
TRIPS = ["minutes_language_school", "minutes_school", "minutes_daycare",
         "minutes_job", "minutes_health"]


def boplace(*args):
    return subprocess.run([BOPLACE] + [str(a) for a in args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=600, text=True)


def scenario(name):
    return os.path.join(SCENARIOS, name)


def read_compare(out_dir):
    """compare.csv as {figure: {run: text}} and the run names in order."""
    with open(os.path.join(out_dir, "compare.csv"), encoding="utf-8",
              newline="") as f:
        rows = list(csv.reader(f))
    names = rows[0][1:]
    return {r[0]: dict(zip(names, r[1:])) for r in rows[1:]}, names, rows


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------
# Scenarios applied by this test, independently of scenario.c
# --------------------------------------------------------------------------

def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def merge_policy(policy, given):
    for key, value in given.items():
        if isinstance(value, dict):
            policy.setdefault(key, {}).update(value)
        else:
            policy[key] = value


def numbered(prefix, i, count):
    return "%s%0*d" % (prefix, max(2, len(str(count))), i)


def apply_scenario_here(case_dir, path, out_dir):
    """Writes case_dir with the scenario at path applied to out_dir."""
    with open(path, encoding="utf-8-sig") as f:
        sc = json.load(f)
    tables = {n: bc.Table(os.path.join(case_dir, n))
              for n in sorted(os.listdir(case_dir)) if n.endswith(".csv")}
    policy = {}
    if os.path.exists(os.path.join(case_dir, "policy.json")):
        with open(os.path.join(case_dir, "policy.json"), encoding="utf-8") as f:
            policy = json.load(f)
    if "policy_file" in sc:
        with open(os.path.join(os.path.dirname(path), sc["policy_file"]),
                  encoding="utf-8") as f:
            merge_policy(policy, json.load(f))
    merge_policy(policy, sc.get("policy", {}))

    def by_id(table, key):
        return {r[key]: r for r in tables[table].rows}

    for table, key, entries in (("areas.csv", "area_id", sc.get("areas", [])),
                                ("schools.csv", "school_id",
                                 sc.get("schools", [])),
                                ("daycares.csv", "daycare_id",
                                 sc.get("daycares", []))):
        rows = by_id(table, key)
        for entry in entries:
            for k, v in entry.items():
                if k != key:
                    rows[entry[key]][k] = cell(v)
    gone_units = set(sc.get("withdraw_units", []))
    gone_households = set(sc.get("withdraw_households", []))
    tables["units.csv"].rows = [r for r in tables["units.csv"].rows
                                if r["unit_id"] not in gone_units]
    tables["households.csv"].rows = [
        r for r in tables["households.csv"].rows
        if r["household_id"] not in gone_households]
    tables["locks.csv"].rows = [
        r for r in tables["locks.csv"].rows
        if r["unit_id"] not in gone_units
        and r["household_id"] not in gone_households]
    tables["scores.csv"].rows = [
        r for r in tables["scores.csv"].rows
        if r["household_id"] not in gone_households]
    for table, key, entries in (("units.csv", "unit_id",
                                 sc.get("add_units", [])),
                                ("households.csv", "household_id",
                                 sc.get("add_households", []))):
        t = tables[table]
        originals = {r[key]: r for r in t.rows}
        for entry in entries:
            base = dict(originals[entry["like"]]) if "like" in entry else {}
            for k, v in entry.items():
                if k not in (key, "like", "id_prefix", "count"):
                    base[k] = cell(v)
                    if k not in t.header:
                        t.header.append(k)
            count = entry.get("count", 1)
            ids = [entry[key]] if key in entry else [
                numbered(entry["id_prefix"], i, count)
                for i in range(1, count + 1)]
            for id_ in ids:
                row = dict(base)
                row[key] = id_
                t.rows.append(row)
    os.makedirs(out_dir)
    for name, t in tables.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8",
                  newline="") as f:
            w = csv.writer(f, delimiter=t.delimiter, lineterminator="\n")
            w.writerow(t.header)
            for row in t.rows:
                w.writerow([row.get(c, "") for c in t.header])
    write_json(os.path.join(out_dir, "policy.json"), policy)


def figures_of_run(case_dir, out_dir, run_stdout, baseline_out):
    """Every figure of compare.csv, from a run's outputs and case."""
    case = bc.Case(case_dir)
    props = bc.read_output_csv(os.path.join(out_dir, "proposals.csv"))[1]
    unplaced = bc.read_output_csv(os.path.join(out_dir, "unplaced.csv"))[1]
    f = {"households": len(case.households), "units": len(case.units),
         "places": sum(u["places"] for u in case.units.values()),
         "households_housed": len(props),
         "persons_housed": sum(int(p["persons"]) for p in props),
         "housed_in_transit": sum(p["kind"] == "transit" for p in props)}
    for code in REASONS:
        f["unplaced_" + code.lower()] = sum(u["reason_code"] == code
                                            for u in unplaced)
    placed = {}
    for p in props:
        placed[p["area_id"]] = placed.get(p["area_id"], 0) + 1
    n_a = {a: x["newcomers"] + placed.get(a, 0) for a, x in case.areas.items()}
    N_a = {a: x["households"] + placed.get(a, 0) for a, x in case.areas.items()}
    n, N = sum(n_a.values()), sum(N_a.values())
    f["dissimilarity_index"] = 0.5 * sum(
        abs(n_a[a] / n - (N_a[a] - n_a[a]) / (N - n)) for a in case.areas)
    shares = {a: n_a[a] / N_a[a] if N_a[a] else 0 for a in case.areas}
    f["largest_area_share"] = max(shares.values())
    f["largest_area"] = {case.areas[a]["name"] for a in case.areas
                         if shares[a] == f["largest_area_share"]}
    where = [shares[a] for a in placed]
    f["largest_share_where_placed"] = max(where) if where else None
    trips = [float(p[t]) for p in props for t in TRIPS if p[t] != ""]
    f["mean_travel_minutes"] = sum(trips) / len(trips) if trips else None
    f["worst_travel_minutes"] = max(trips) if trips else None
    f["mean_rent_burden"] = (sum(float(p["rent"]) / float(p["max_rent"])
                                 for p in props) / len(props)) if props else None
    caps = re.search(r"^Caps reached: (.*)$", run_stdout, re.M).group(1)
    if caps.isdigit():
        # Beyond 12 caps the summary gives one line per kind with its count.
        kinds = re.findall(r"^  [a-z ]+ \((\d+)\): .+$", run_stdout, re.M)
        f["caps_binding"] = sum(int(k) for k in kinds)
        assert f["caps_binding"] == int(caps), run_stdout
    else:
        f["caps_binding"] = 0 if caps == "none" else len(
            re.findall(r"\([a-z ]+\)", caps))
    base = {p["household_id"]: p["unit_id"] for p in bc.read_output_csv(
        os.path.join(baseline_out, "proposals.csv"))[1]}
    now = {p["household_id"]: p["unit_id"] for p in props}
    base_all = set(base) | {u["household_id"] for u in bc.read_output_csv(
        os.path.join(baseline_out, "unplaced.csv"))[1]}
    changed = set()
    for h in base_all:
        if h not in case.households or base.get(h) != now.get(h):
            changed.add(h)
    f["changed_households"] = changed
    f["proposals_changed"] = len(changed)
    return f


def compare_figures(name, expected, got):
    """expected: figures_of_run(); got: compare.csv's column for the run."""
    problems = []
    tolerance = {"largest_area_share": 6e-5, "largest_share_where_placed": 6e-5,
                 "dissimilarity_index": 6e-5, "mean_travel_minutes": 0.051,
                 "worst_travel_minutes": 0.051, "mean_rent_burden": 6e-4}
    for key, want in expected.items():
        text = got.get(key)
        if key == "largest_area":
            ok = text in want
        elif key == "changed_households":
            ids = {x.split(" ")[0] for x in text.split("; ") if x}
            ok = ids == want
        elif want is None:
            ok = text == ""
        elif key in tolerance:
            ok = text != "" and abs(float(text) - want) <= tolerance[key]
        else:
            ok = text == str(want)
        if not ok:
            problems.append("%s: %s is %r in compare.csv, %r recomputed"
                            % (name, key, text, want))
    return problems


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------

MAIN = ["tighter_caps.json", "more_flats_in_town.json",
        "families_arriving.json", "units_withdrawn.json",
        "more_school_seats.json", "policy_rebild.json"]


def run_main(root):
    out = os.path.join(root, "cmp")
    r = boplace("compare", SAMPLE, *[scenario(s) for s in MAIN], "-o", out)
    return r, out


def check_outputs(root):
    problems = []
    r, out = run_main(root)
    if r.returncode != 0:
        return ["compare exited %d: %s" % (r.returncode, r.stderr[-2000:])]
    table, names, rows = read_compare(out)
    want_names = ["baseline"]
    for s in MAIN:
        with open(scenario(s), encoding="utf-8") as f:
            want_names.append(json.load(f)["name"])
    if names != want_names:
        problems.append("compare.csv columns %r, expected %r"
                        % (names, want_names))
    if rows[0][0] != "figure" or [row[0] for row in rows[1:]] != FIGURES:
        problems.append("compare.csv figures %r" % [row[0] for row in rows])
    if any(len(row) != len(names) + 1 for row in rows):
        problems.append("compare.csv rows of unequal length")
    for name in names:
        if name not in r.stdout:
            problems.append("the table does not name %r" % name)
    for label in ("Households housed", "Dissimilarity index D",
                  "Mean rent burden", "Proposals changed vs baseline"):
        if label not in r.stdout:
            problems.append("the table lacks %r" % label)
    for name in ("compare.csv", "compare.html"):
        mode = os.stat(os.path.join(out, name)).st_mode & 0o777
        if mode != 0o600:
            problems.append("%s has mode %o" % (name, mode))
    with open(os.path.join(out, "compare.html"), encoding="utf-8") as f:
        html = f.read()
    n_charts = sum(1 for k in FIGURES if k not in (
        "largest_area", "largest_area_where_placed", "caps_binding_list",
        "changed_households"))
    if html.count("<svg") != n_charts:
        problems.append("compare.html has %d charts, expected %d"
                        % (html.count("<svg"), n_charts))
    if "<script" in html or re.search(r"(src|href)=\"https?:", html):
        problems.append("compare.html is not self-contained")
    if not html.rstrip().endswith("</html>"):
        problems.append("compare.html is cut short")
    if table["households_housed"]["baseline"] != "16":
        problems.append("baseline houses %s, expected 16 (data/README.md)"
                        % table["households_housed"]["baseline"])
    return problems


def check_directions(root):
    problems = []
    # A cap that bites on the sample (6 %: Sønderå Midtby is at 6.0 %).
    bite = os.path.join(root, "bite.json")
    write_json(bite, {"name": "cap 6%",
                      "policy": {"max_newcomer_share": 0.06},
                      "areas": [{"area_id": "A06", "max_newcomer_share": 0.06}]})
    out = os.path.join(root, "cmp")
    r = boplace("compare", SAMPLE, scenario("tighter_caps.json"), bite,
                scenario("more_flats_in_town.json"),
                scenario("families_arriving.json"), "-o", out)
    if r.returncode != 0:
        return ["compare exited %d: %s" % (r.returncode, r.stderr[-2000:])]
    t, _, _ = read_compare(out)
    base = "baseline"
    for tight in ("tighter caps", "cap 6%"):
        if float(t["largest_area_share"][tight]) > float(
                t["largest_area_share"][base]):
            problems.append("%s raises the largest area share: %s > %s" % (
                tight, t["largest_area_share"][tight],
                t["largest_area_share"][base]))
        if int(t["households_housed"][tight]) > int(
                t["households_housed"][base]):
            problems.append("%s houses more than the baseline" % tight)
    if int(t["households_housed"]["cap 6%"]) >= int(
            t["households_housed"][base]):
        problems.append("the 6%% cap does not bite (%s housed)"
                        % t["households_housed"]["cap 6%"])
    for more in ("20 more flats in town", "40 families of five"):
        if int(t["households_housed"][more]) < int(
                t["households_housed"][base]):
            problems.append("%s houses fewer than the baseline: %s < %s" % (
                more, t["households_housed"][more],
                t["households_housed"][base]))
    if int(t["units"]["20 more flats in town"]) != int(t["units"][base]) + 20:
        problems.append("20 more flats: %s units" % t["units"][
            "20 more flats in town"])
    if int(t["households"]["40 families of five"]) != int(
            t["households"][base]) + 40:
        problems.append("40 families: %s households"
                        % t["households"]["40 families of five"])
    return problems


def check_recomputed(root):
    """Each scenario applied by the test, run, and every figure recomputed."""
    problems = []
    r, out = run_main(root)
    if r.returncode != 0:
        return ["compare exited %d: %s" % (r.returncode, r.stderr[-2000:])]
    table, names, _ = read_compare(out)
    base_out = os.path.join(root, "base")
    rb = boplace("run", SAMPLE, "-o", base_out)
    if rb.returncode != 0:
        return ["baseline run exited %d" % rb.returncode]
    runs = [("baseline", SAMPLE, rb.stdout, base_out)]
    for s, name in zip(MAIN, names[1:]):
        case = os.path.join(root, "case-" + s)
        apply_scenario_here(SAMPLE, scenario(s), case)
        o = os.path.join(root, "out-" + s)
        rs = boplace("run", case, "-o", o)
        if rs.returncode != 0:
            problems.append("%s applied by the test: run exited %d: %s"
                            % (s, rs.returncode, rs.stderr[-800:]))
            continue
        problems += ["%s: %s" % (s, p) for p in bc.check_outputs(case, o)]
        runs.append((name, case, rs.stdout, o))
    for name, case, stdout, o in runs:
        expected = figures_of_run(case, o, stdout, base_out)
        got = {k: v[name] for k, v in table.items()}
        problems += compare_figures(name, expected, got)
    return problems


def check_deterministic(root):
    r1 = boplace("compare", SAMPLE, scenario("tighter_caps.json"),
                 scenario("families_arriving.json"), "-o",
                 os.path.join(root, "a"))
    r2 = boplace("compare", SAMPLE, scenario("tighter_caps.json"),
                 scenario("families_arriving.json"), "-o",
                 os.path.join(root, "b"))
    if r1.returncode or r2.returncode:
        return ["compare exited %d, %d" % (r1.returncode, r2.returncode)]
    a = open(os.path.join(root, "a", "compare.csv"), "rb").read()
    b = open(os.path.join(root, "b", "compare.csv"), "rb").read()
    return [] if a == b else ["two runs gave different compare.csv"]


def check_bad_scenarios(root):
    problems = []
    out = os.path.join(root, "never")

    def expect_error(name, text, wanted):
        path = os.path.join(root, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        r = boplace("compare", SAMPLE, path, "-o", out)
        line = "%s:%s" % (path, wanted)
        if r.returncode != 2 or line not in r.stderr:
            problems.append("%s: exit %d, wanted %r in %r"
                            % (name, r.returncode, line, r.stderr[:600]))
        if os.path.exists(out):
            problems.append("%s: the output directory was created" % name)

    expect_error("syntax.json",
                 '{\n  "name": "x",\n  "policy": { "max_newcomer_share": 0.1, }\n}\n',
                 "3:42: error: JSON syntax error")
    expect_error("unknown_unit.json",
                 '{\n  "withdraw_units": [\n    "U001",\n    "U999"\n  ]\n}\n',
                 "4:5: error: withdraw_units[1]: there is no unit 'U999'")
    expect_error("duplicate.json",
                 '{\n  "add_units": [ { "unit_id": "U002", "like": "U003" } ]\n}\n',
                 "2:18: error: add_units[0]: unit 'U002' is already in the case")
    expect_error("twice.json",
                 '{\n  "add_households": [\n    { "id_prefix": "N", "count": 2, '
                 '"like": "H01" },\n    { "household_id": "N02", "like": "H01" }\n'
                 '  ]\n}\n',
                 "4:5: error: add_households[1]: household 'N02' is added twice")
    expect_error("range.json",
                 '{\n  "policy": {\n    "max_newcomer_share": 1.5\n  }\n}\n',
                 "3:5: error: max_newcomer_share: expected a number from 0 to 1")
    expect_error("area.json",
                 '{ "areas": [ { "area_id": "A99", "partner": true } ] }\n',
                 "1:16: error: areas[0].area_id: unknown id 'A99'")
    # An unknown key: a warning where it is, and the comparison runs.
    path = os.path.join(root, "warn.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n  "name": "w",\n  "colour": "blue"\n}\n')
    r = boplace("compare", SAMPLE, path, "-o", os.path.join(root, "w"))
    if r.returncode != 0 or "%s:3:3: warning: scenario: unknown key 'colour'" \
            % path not in r.stderr:
        problems.append("unknown key: exit %d, %r" % (r.returncode,
                                                      r.stderr[:400]))
    # Usage.
    if boplace("compare", SAMPLE).returncode != 1:
        problems.append("compare without a scenario is not a usage error")
    h = boplace("compare", "--help")
    if h.returncode != 0 or "SYNOPSIS" not in h.stdout:
        problems.append("compare --help")
    return problems


CHECKS = [
    ("compare writes the table, compare.csv and compare.html", check_outputs),
    ("directions: tighter caps, more units, more households", check_directions),
    ("every figure recomputed from scenarios applied by the test",
     check_recomputed),
    ("the same input gives the same compare.csv", check_deterministic),
    ("bad scenarios: errors and warnings at file:line:column",
     check_bad_scenarios),
]


def main():
    if not os.path.isdir(SAMPLE) or not os.path.isdir(SCENARIOS):
        print("no sample case or scenarios under %s" % SOURCE)
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for name, check in CHECKS:
        root = tempfile.mkdtemp(prefix="boplace-scenario-")
        try:
            problems = check(root)
        except Exception as error:  # a broken check is a failed check
            problems = ["%s: %s" % (type(error).__name__, error)]
        finally:
            shutil.rmtree(root, ignore_errors=True)
        if problems:
            failed += 1
            print("FAIL %s" % name)
            for p in problems[:40]:
                print("     " + p)
        else:
            passed += 1
            print("ok   %s" % name)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
