"""Brute force: boplace against exhaustive enumeration on tiny random cases.

For each of N_CASES seeded random cases (<= 6 households, <= 8 units, 2-3
areas, 1-2 schools, 0-1 daycare, a small transport network, caps that
sometimes bind, groups, shared and transit units, buildings, min_cluster,
vulnerable areas, locks, scores, and the CSV dialects of SPEC.md) this test

  1. writes the case to a temporary directory,
  2. runs `$BOPLACE run CASE -o OUT` and expects exit 0,
  3. enumerates every feasible assignment independently (each household
     unplaced or in one unit; every hard rule checked by boplace_check),
  4. asserts that the program's proposal
       (1) houses as many households as the best assignment,
       (2) among those, has the largest total waiting_days of the housed,
       (3) among those, houses the most in non-transit units,
       (4) passes check_outputs() with no violation,
       (5) has the smallest tier-4 soft objective among those (within the
           relative tolerance SOFT_RTOL), and that proposals.json reports
           the same tier values.

On a failure the case directory is kept and printed with the difference.
The last line is exactly "N passed, M failed"; the exit status is non-zero
when M > 0.

  python3 tests/test_brute_force.py [--cases N] [--seed S] [--keep]
  python3 tests/test_brute_force.py --self-test   # no program needed

BOPLACE names the program (default: build/solver/boplace in the source tree).
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import boplace_check as bc  # noqa: E402

N_CASES = 500
SEED = 20260522
SOFT_RTOL = 1e-6
SOFT_ATOL = 1e-6

# ---------------------------------------------------------------------------
# Case generation: a case is a dict of table name -> list of row dicts
# (values are Python numbers/strings/None; None = leave the field empty),
# plus "policy" (dict or None).
# ---------------------------------------------------------------------------

NAMES = ["Nørreby", "Østervang", "Ådalen", 'Bakke, "Syd"', "Skovløkken",
         "Vestergård", "Lille Æblehave", "Strandparken"]


def half(rng, lo, hi):
    """A multiple of 0.5 in [lo, hi]: sums of these are exact in binary,
    so no travel limit is ever decided by rounding."""
    return rng.randint(int(lo * 2), int(hi * 2)) / 2.0


SIZES = {
    # tiny: enumerable; medium: for checks that need no enumeration
    "tiny": {"stops": (3, 5), "extra_links": (0, 3), "schools": (1, 2),
             "daycares": (1, 1), "areas": (2, 3), "units": (2, 8),
             "households": (1, 6), "groups": 2},
    "medium": {"stops": (6, 12), "extra_links": (3, 10), "schools": (1, 3),
               "daycares": (1, 2), "areas": (3, 7), "units": (15, 45),
               "households": (8, 25), "groups": 4},
}


def gen_case(rng, size="tiny"):
    z = SIZES[size]
    case = {}
    n_stops = rng.randint(*z["stops"])
    stops = ["S%d" % i for i in range(1, n_stops + 1)]
    case["stops"] = [{"stop_id": s, "name": "Stop " + s,
                      "lat": round(55 + rng.random(), 5) if rng.random() < .7
                      else None,
                      "lon": round(9 + rng.random(), 5) if rng.random() < .7
                      else None} for s in stops]
    links = []
    # A chain keeps most stops connected; extra random links, some one-way.
    order = stops[:]
    rng.shuffle(order)
    for a, b in zip(order, order[1:]):
        if rng.random() < 0.95:
            links.append({"from_stop": a, "to_stop": b,
                          "minutes": half(rng, 1, 15),
                          "both_ways": rng.choice([None, 1, 1, 1, 0])})
    for _ in range(rng.randint(*z["extra_links"])):
        a, b = rng.sample(stops, 2)
        links.append({"from_stop": a, "to_stop": b,
                      "minutes": half(rng, 1, 20),
                      "both_ways": rng.choice([None, 1, 0])})
    if not links:
        links.append({"from_stop": stops[0], "to_stop": stops[1],
                      "minutes": 5.0, "both_ways": None})
    case["links"] = links

    dests = [{"dest_id": "L1", "kind": "language_school",
              "name": "Sprogcenter", "stop_id": rng.choice(stops)}]
    if rng.random() < 0.3:
        dests.append({"dest_id": "L2", "kind": "language_school",
                      "name": "Sprogskole 2", "stop_id": rng.choice(stops)})
    if rng.random() < 0.9:
        dests.append({"dest_id": "H1", "kind": "health",
                      "name": "Traumeklinik", "stop_id": rng.choice(stops)})
    if rng.random() < 0.3:
        dests.append({"dest_id": "J1", "kind": "job_centre",
                      "name": "Jobcenter", "stop_id": rng.choice(stops)})
    case["destinations"] = dests

    def institution(prefix, i, id_col, free_col, enr_col, bil_col):
        enrolled = rng.choice([0, 10, 20, 50, 100, 100])
        bil = rng.randint(0, max(0, int(enrolled * 0.4)))
        return {id_col: "%s%d" % (prefix, i), "name": "%s %d" % (prefix, i),
                "stop_id": rng.choice(stops),
                free_col: rng.choice([0, 1, 2, 2, 3, 4, 5, 10]),
                enr_col: enrolled, bil_col: bil,
                "max_bilingual_share": rng.choice(
                    [None, None, None, 0.2, 0.3, 0.5, 1.0])}

    case["schools"] = [institution("Skole", i, "school_id", "free_seats",
                                   "pupils", "bilingual_pupils")
                       for i in range(1, rng.randint(*z["schools"]) + 1)]
    case["daycares"] = [institution("Dag", i, "daycare_id", "free_places",
                                    "children", "bilingual_children")
                        for i in range(1, (rng.randint(*z["daycares"])
                                           if rng.random() < 0.85 else 0) + 1)]
    for d in case["daycares"]:
        d["free_places"] = rng.choice([0, 1, 2, 2, 3, 4, 10])
    has_daycares = rng.random() < 0.85
    if not case["daycares"] and not has_daycares:
        case["daycares"] = None  # no daycares.csv at all

    areas = []
    for i in range(1, rng.randint(*z["areas"]) + 1):
        households = rng.choice([0, 10, 20, 40, 100, 100, 200, 400, 400])
        newcomers = rng.randint(0, max(0, households // 6)) \
            if rng.random() < 0.7 else 0
        areas.append({
            "area_id": "A%d" % i, "name": NAMES[i % len(NAMES)],
            "households": households, "newcomer_households": newcomers,
            "school_id": rng.choice(case["schools"])["school_id"],
            "daycare_id": (rng.choice(case["daycares"])["daycare_id"]
                           if case["daycares"] and rng.random() < 0.9
                           else None),
            "max_newcomer_share": rng.choice(
                [None, None, None, 0.1, 0.2, 0.3, 0.5, 1.0]),
            "vulnerable": rng.choice([None, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
            "partner": rng.choice([None, 0, 1]),
        })
    case["areas"] = areas
    area_ids = [a["area_id"] for a in areas]

    households = []
    n_h = rng.randint(*z["households"])
    group_names = ["G%d" % g for g in range(1, z["groups"] + 1)]
    for i in range(1, n_h + 1):
        adults = rng.choice([1, 1, 1, 1, 2, 2, 0])
        c05 = rng.choice([0, 0, 0, 0, 0, 1, 2])
        c6 = rng.choice([0, 0, 0, 0, 1, 2])
        if adults == 0 and c05 + c6 == 0:
            c6 = 1  # boplace rejects a household of no persons (exit 2)
        households.append({
            "household_id": "H%d" % i, "adults": adults,
            "children_0_5": c05, "children_6_16": c6,
            "max_rent": rng.randrange(5000, 12000, 100),
            "step_free": rng.choice([None, 0, 0, 0, 0, 0, 0, 1]),
            "needs_health": rng.choice([None, 0, 0, 0, 1]),
            "language": rng.choice([None, "arabisk", "ukrainsk", "dari"]),
            "group_id": rng.choice(group_names) if rng.random() < 0.25
            else None,
            "job_stop": rng.choice(stops) if rng.random() < 0.25 else None,
            "preferred_area": rng.choice(area_ids) if rng.random() < 0.4
            else None,
            "ties_area": rng.choice(area_ids) if rng.random() < 0.3
            else None,
            "waiting_days": rng.choice([None, 0, rng.randint(1, 400),
                                        rng.randint(1, 400)]),
        })
    case["households"] = households

    units = []
    for i in range(1, rng.randint(*z["units"]) + 1):
        kind = rng.choice(["public"] * 4 + ["private"] * 2 + ["senior"] +
                          ["shared"] * 2 + ["transit"] * 2)
        places = rng.choice([1, 2, 2, 3]) if kind == "shared" else None
        rent = rng.randrange(3000, 8000, 50) + rng.choice([0, 0, 0, 0.5])
        unit = {
            "unit_id": "U%d" % i, "area_id": rng.choice(area_ids),
            "stop_id": rng.choice(stops),
            "walk_minutes": rng.choice([None, half(rng, 0, 8)]),
            "rooms": rng.choice([1, 1, 1, 2, 2, 2, 3, 3, 4, 5]), "rent": rent,
            "kind": kind,
            "places": places if places is not None else
            rng.choice([None, None, 1]),
            "max_persons": rng.choice([None, None, None, 2, 4, 6]),
            "step_free": rng.choice([None, 0, 1]),
            "building": rng.choice([None, "Blok 1", "Blok 1", "Blok 2"]),
            "landlord": rng.choice([None, "Boligselskabet", "Privat"]),
            "available_from": rng.choice([None, "2026-12-01"]),
        }
        if rng.random() < 0.6:
            # Made for one of the households, so that pairs are often
            # eligible (rooms, rent, step-free, shared only for singles).
            h = rng.choice(households)
            persons = max(1, h["adults"] + h["children_0_5"] +
                          h["children_6_16"])
            unit["rooms"] = rng.randint(max(1, (persons + 1) // 2),
                                        persons + 1)
            unit["rent"] = min(unit["rent"], h["max_rent"] - 100.0)
            if h["step_free"]:
                unit["step_free"] = 1
            if unit["kind"] == "shared" and not (
                    h["adults"] == 1 and persons == 1):
                unit["kind"], unit["places"] = "public", None
            if unit["max_persons"] is not None:
                unit["max_persons"] = max(unit["max_persons"], persons)
        units.append(unit)
    case["units"] = units


    policy = None
    if rng.random() < 0.7:
        policy = {}
        if rng.random() < 0.5:
            mm = {}
            for key, choices in (("language_school", [45, 60, 90]),
                                 ("school", [20, 30, 40, 60]),
                                 ("daycare", [15, 30, 45]),
                                 ("job", [30, 60]), ("health", [30, 60, 90])):
                if rng.random() < 0.5:
                    mm[key] = rng.choice(choices)
            policy["max_minutes"] = mm
        if rng.random() < 0.4:
            policy["max_newcomer_share"] = rng.choice([0.1, 0.15, 0.25, 0.5])
        if rng.random() < 0.3:
            policy["max_bilingual_share"] = rng.choice([0.2, 0.3, 0.5])
        if rng.random() < 0.2:
            policy["persons_per_room"] = rng.choice([1.5, 2, 3])
        if rng.random() < 0.2:
            policy["extra_rooms"] = rng.choice([0, 1, 2])
        if rng.random() < 0.5:
            policy["max_new_per_building"] = rng.choice([0, 1, 1, 2])
        if rng.random() < 0.3:
            policy["min_cluster"] = rng.choice([2, 2, 3])
        if rng.random() < 0.3:
            policy["allow_vulnerable_areas"] = rng.choice([True, False])
        if rng.random() < 0.4:
            policy["allow_transit"] = rng.choice([True, False, False])
        if rng.random() < 0.4:
            policy["weights"] = {
                k: rng.choice([0, 0.5, 1, 2, 5])
                for k in ("spread", "near_cap", "travel", "rent",
                          "preference", "ties", "partner", "score")
                if rng.random() < 0.6}
        if rng.random() < 0.2:
            policy["language"] = rng.choice(["en", "da"])
    case["policy"] = policy

    # boplace rejects a case where households need a kind of destination
    # that does not exist (exit 2): give them one.
    if any(h["needs_health"] for h in households) and \
            not any(d["kind"] == "health" for d in dests):
        dests.append({"dest_id": "H9", "kind": "health",
                      "name": "Psykiatrisk klinik",
                      "stop_id": rng.choice(stops)})
    # boplace also rejects a case where households need a kind that no unit
    # reaches (a data error, derive_eligibility.c): link one unit's stop to
    # the first destination of each such kind.
    for kind, needed in (("language_school",
                          any(h["adults"] > 0 for h in households)),
                         ("health", any(h["needs_health"]
                                        for h in households))):
        targets = {d["stop_id"] for d in dests if d["kind"] == kind}
        if needed and not any(reachable(links, u["stop_id"]) & targets
                              for u in units):
            first = next(d for d in dests if d["kind"] == kind)
            links.append({"from_stop": units[0]["stop_id"],
                          "to_stop": first["stop_id"],
                          "minutes": half(rng, 1, 20), "both_ways": 1})
    case["scores"] = None
    if rng.random() < 0.3:
        case["scores"] = []
        for h in households:
            for a in area_ids:
                if rng.random() < 0.4:
                    case["scores"].append({
                        "household_id": h["household_id"], "area_id": a,
                        "score": round(rng.random(), 3)})
    case["locks"] = None
    return case


def reachable(links, start):
    """Stops reachable from start over links (both_ways default 1)."""
    adj = {}
    for link in links:
        adj.setdefault(link["from_stop"], set()).add(link["to_stop"])
        if link["both_ways"] in (None, 1):
            adj.setdefault(link["to_stop"], set()).add(link["from_stop"])
    seen, todo = {start}, [start]
    while todo:
        for t in adj.get(todo.pop(), ()):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def add_locks(rng, case, case_dir, feasible=None, keep_infeasible=True):
    """Adds locks.csv to a written case: forbid locks on random pairs and
    place locks only on pairs that are eligible, one per household, never
    more than a unit's places, and only if the case stays feasible:
    feasible(case_dir) decides, by default by enumeration."""
    if rng.random() >= 0.3:
        return
    kase = bc.Case(case_dir)
    hids = sorted(kase.households)
    uids = sorted(kase.units)
    locks = []
    forbid = set()
    for _ in range(rng.randint(0, 2)):
        h, u = rng.choice(hids), rng.choice(uids)
        if (h, u) not in forbid:
            forbid.add((h, u))
            locks.append({"household_id": h, "unit_id": u,
                          "action": "forbid"})
    placed_in = {}
    place_locks = []
    for h in rng.sample(hids, min(len(hids), rng.randint(0, 2))):
        options = [u for u in kase.eligible_units(h, ignore_locks=True)
                   if (h, u) not in forbid
                   and placed_in.get(u, 0) < kase.units[u]["places"]]
        if options:
            u = rng.choice(options)
            placed_in[u] = placed_in.get(u, 0) + 1
            place_locks.append({"household_id": h, "unit_id": u,
                                "action": "place"})
    case["locks"] = locks + place_locks
    write_table(rng, os.path.join(case_dir, "locks.csv"),
                ["household_id", "unit_id", "action"], case["locks"], [])
    if place_locks:
        # Place locks that cannot all be kept make the input invalid (exit 2,
        # data/README.md).  Half of such cases are kept to test just that;
        # the other half lose their place locks.
        if feasible is None:
            feasible = enumerate_feasible
        if not feasible(case_dir) and (not keep_infeasible or
                                       rng.random() < 0.5):
            case["locks"] = locks
            write_table(rng, os.path.join(case_dir, "locks.csv"),
                        ["household_id", "unit_id", "action"], locks, [])


# ---------------------------------------------------------------------------
# Writing a case in a random CSV dialect of SPEC.md
# ---------------------------------------------------------------------------

COLUMNS = {
    "areas": (["area_id", "name", "households", "newcomer_households",
               "school_id"],
              ["daycare_id", "max_newcomer_share", "vulnerable", "partner"]),
    "units": (["unit_id", "area_id", "stop_id", "rooms", "rent", "kind"],
              ["walk_minutes", "places", "max_persons", "step_free",
               "building", "landlord", "available_from"]),
    "schools": (["school_id", "name", "stop_id", "free_seats", "pupils",
                 "bilingual_pupils"], ["max_bilingual_share"]),
    "daycares": (["daycare_id", "name", "stop_id", "free_places", "children",
                  "bilingual_children"], ["max_bilingual_share"]),
    "stops": (["stop_id", "name"], ["lat", "lon"]),
    "links": (["from_stop", "to_stop", "minutes"], ["both_ways"]),
    "destinations": (["dest_id", "kind", "name", "stop_id"], []),
    "households": (["household_id", "adults", "children_0_5",
                    "children_6_16", "max_rent"],
                   ["step_free", "needs_health", "language", "group_id",
                    "job_stop", "preferred_area", "ties_area",
                    "waiting_days"]),
    "scores": (["household_id", "area_id", "score"], []),
}


def fmt_value(value, decimal_comma):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = ("%d" % value) if value == int(value) else repr(value)
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def write_table(rng, path, required, rows, optional):
    """Writes rows with a random dialect: ',' or ';', BOM or not, CRLF or
    LF, quoting minimal or all, decimal comma with ';', shuffled columns,
    optional columns sometimes left out when every row leaves them empty,
    and sometimes an unknown extra column."""
    delim = rng.choice([",", ";"])
    decimal_comma = delim == ";" and rng.random() < 0.7
    columns = list(required)
    for col in optional:
        if any(r.get(col) is not None for r in rows) or rng.random() < 0.5:
            columns.append(col)
    if rng.random() < 0.15:
        columns.append("bemærkning")
    rng.shuffle(columns)
    quote_all = rng.random() < 0.2
    newline = "\r\n" if rng.random() < 0.3 else "\n"

    def cell(text):
        if quote_all or any(c in text for c in (delim, '"', "\n", "\r")):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [delim.join(cell(c) for c in columns)]
    for r in rows:
        values = []
        for c in columns:
            if c == "bemærkning":
                values.append(cell(rng.choice(["", "ok", "ring, først"])))
            else:
                values.append(cell(fmt_value(r.get(c), decimal_comma)))
        lines.append(delim.join(values))
    data = newline.join(lines) + (newline if rng.random() < 0.9 else "")
    with open(path, "wb") as f:
        if rng.random() < 0.3:
            f.write(b"\xef\xbb\xbf")
        f.write(data.encode("utf-8"))


def write_case(rng, case, case_dir):
    os.makedirs(case_dir, exist_ok=True)
    for name, (required, optional) in COLUMNS.items():
        rows = case.get(name)
        if rows is None:
            continue
        write_table(rng, os.path.join(case_dir, name + ".csv"), required,
                    rows, optional)
    if case.get("policy") is not None:
        with open(os.path.join(case_dir, "policy.json"), "w",
                  encoding="utf-8") as f:
            json.dump(case["policy"], f, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------
# Exhaustive enumeration
# ---------------------------------------------------------------------------

def enumerate_best(case, prune=True):
    """Enumerates every feasible assignment of case (a boplace_check.Case).

    Returns {"best": (housed, waiting, permanent) or None if nothing is
    feasible, "soft": the least soft objective among assignments with the
    best tiers, "assign": one such assignment, "leaves": feasible
    assignments seen}.  Pruning uses only rules that are monotone in the
    placements (places, buildings, seats, share caps) and an optimistic bound
    on the tiers; every assignment that could be optimal is then checked by
    boplace_check.assignment_violations, the one definition of feasible.
    """
    hids = sorted(case.households)
    options = {}
    for h in hids:
        opts = case.eligible_units(h)
        options[h] = opts if h in case.place_lock else [None] + opts
    order = sorted(hids, key=lambda h: (len(options[h]), h))
    pol = case.policy
    n_h = len(hids)
    area_room = {a: case_room(v["newcomers"], v["households"], v["cap"], n_h)
                 for a, v in case.areas.items()}
    kids6 = sum(h["c6"] for h in case.households.values())
    kids05 = sum(h["c05"] for h in case.households.values())
    school_room = {s: min(v["free"], case_room(v["bilingual"], v["enrolled"],
                                               v["cap"], kids6))
                   for s, v in case.schools.items()}
    daycare_room = {d: min(v["free"], case_room(v["bilingual"],
                                                v["enrolled"], v["cap"],
                                                kids05))
                    for d, v in case.daycares.items()}
    mb = pol["max_new_per_building"]
    # Optimistic bounds of what households order[i:] can still add.
    rest = [(0, 0, 0)] * (n_h + 1)
    for i in range(n_h - 1, -1, -1):
        h = order[i]
        units = [u for u in options[h] if u is not None]
        add = (1, case.households[h]["waiting_days"],
               1 if any(case.units[u]["kind"] != "transit" for u in units)
               else 0) if units else (0, 0, 0)
        rest[i] = tuple(a + b for a, b in zip(rest[i + 1], add))

    unit_k = {u: 0 for u in case.units}
    building_k = {}
    area_k = {a: 0 for a in case.areas}
    school_k = {s: 0 for s in case.schools}
    daycare_k = {d: 0 for d in case.daycares}
    assign = {}
    result = {"best": None, "soft": None, "assign": None, "leaves": 0}
    cur = [0, 0, 0]

    def leaf():
        t = tuple(cur)
        best = result["best"]
        if best is not None and t < best:
            # Still count it as feasible (for statistics) only if cheap.
            return
        problems = bc.assignment_violations(case, assign)
        if problems:
            if prune:
                # Only the non-monotone rules may fail here.
                for p in problems:
                    if not p.startswith("rule 6: group") and \
                            not p.startswith("rule 6: area"):
                        raise AssertionError("enumeration admitted an "
                                             "infeasible assignment: " + p)
            return
        result["leaves"] += 1
        soft = bc.soft_objective(case, assign)
        if best is None or t > best or soft < result["soft"] - 1e-12:
            result["best"], result["soft"] = t, soft
            result["assign"] = dict(assign)

    def rec(i):
        if prune and result["best"] is not None:
            bound = tuple(c + r for c, r in zip(cur, rest[i]))
            if bound < result["best"]:
                return
        if i == n_h:
            leaf()
            return
        h = order[i]
        hh = case.households[h]
        for u in options[h]:
            if u is None:
                rec(i + 1)
                continue
            unit = case.units[u]
            area = case.areas[unit["area"]]
            b = unit["building"]
            s = area["school"] if area["school"] in school_k else None
            d = area["daycare"] if area["daycare"] in daycare_k else None
            if prune:
                if unit_k[u] + 1 > unit["places"]:
                    continue
                if mb > 0 and b is not None and building_k.get(b, 0) + 1 > mb:
                    continue
                if area_k[unit["area"]] + 1 > area_room[unit["area"]]:
                    continue
                if s is not None and school_k[s] + hh["c6"] > school_room[s]:
                    continue
                if d is not None and daycare_k[d] + hh["c05"] > \
                        daycare_room[d]:
                    continue
            unit_k[u] += 1
            if b is not None:
                building_k[b] = building_k.get(b, 0) + 1
            area_k[unit["area"]] += 1
            if s is not None:
                school_k[s] += hh["c6"]
            if d is not None:
                daycare_k[d] += hh["c05"]
            assign[h] = u
            perm = 1 if unit["kind"] != "transit" else 0
            cur[0] += 1
            cur[1] += hh["waiting_days"]
            cur[2] += perm
            rec(i + 1)
            cur[0] -= 1
            cur[1] -= hh["waiting_days"]
            cur[2] -= perm
            del assign[h]
            unit_k[u] -= 1
            if b is not None:
                building_k[b] -= 1
            area_k[unit["area"]] -= 1
            if s is not None:
                school_k[s] -= hh["c6"]
            if d is not None:
                daycare_k[d] -= hh["c05"]

    rec(0)
    return result


def case_room(count, total, cap, upto):
    return bc.share_room(count, total, cap, upto)


# ---------------------------------------------------------------------------
# Running the program
# ---------------------------------------------------------------------------

_PROGRAM_COPY = []


def boplace_path():
    """The program under test.  It is copied once into a private directory,
    so that a rebuild of the shared build tree while the test runs cannot
    pull the program away under it."""
    if _PROGRAM_COPY:
        return _PROGRAM_COPY[0]
    exe = os.environ.get("BOPLACE")
    if not exe:
        root = os.environ.get("BOPLACE_SOURCE", os.path.dirname(HERE))
        exe = os.path.join(root, "build", "solver", "boplace")
    if not os.access(exe, os.X_OK):
        return exe
    import atexit
    private = tempfile.mkdtemp(prefix="boplace_program_")
    copy = os.path.join(private, "boplace")
    shutil.copy2(exe, copy)
    atexit.register(shutil.rmtree, private, True)
    _PROGRAM_COPY.append(copy)
    return copy


def run_program(case_dir, out_dir, extra=()):
    cmd = [boplace_path(), "run", case_dir, "-o", out_dir] + list(extra)
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120)


def json_tiers(out_dir):
    """{name: value} from proposals.json's run.solver.tiers, or a message."""
    path = os.path.join(out_dir, "proposals.json")
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        t = doc["run"]["solver"]["tiers"]
        return {k: float(t[k]["value"]) for k in ("housed", "waiting",
                                                  "permanent", "soft")}
    except (OSError, ValueError, KeyError, TypeError) as e:
        return "proposals.json: cannot read run.solver.tiers (%s: %s)" % (
            type(e).__name__, e)


def json_bounds(out_dir):
    """{name: bound or None} of tiers 1-3 from proposals.json."""
    with open(os.path.join(out_dir, "proposals.json"), encoding="utf-8") as f:
        t = json.load(f)["run"]["solver"]["tiers"]
    return {k: (None if t[k]["bound"] is None else float(t[k]["bound"]))
            for k in ("housed", "waiting", "permanent")}


def soft_close(a, b):
    return abs(a - b) <= SOFT_ATOL + SOFT_RTOL * max(abs(a), abs(b))


def check_case(case_dir, out_dir, expected=None):
    """Runs the program on case_dir and compares; returns list of problems."""
    case = bc.Case(case_dir)
    if expected is None:
        expected = enumerate_best(case)
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    proc = run_program(case_dir, out_dir)
    stderr = proc.stderr.decode("utf-8", "replace")[-3000:]
    if expected["best"] is None:
        # Only place locks can make a generated case infeasible: they cannot
        # all be kept, which is an input error, with nothing written.
        problems = []
        if proc.returncode != 2:
            problems.append("the place locks %s cannot all be kept (no "
                            "feasible assignment), expected exit 2, got "
                            "exit %d" % (sorted(case.place_lock.items()),
                                         proc.returncode))
        for name in ("proposals.csv", "unplaced.csv", "proposals.json"):
            if os.path.exists(os.path.join(out_dir, name)) and \
                    proc.returncode == 2:
                problems.append("exit 2 but %s was written" % name)
        if proc.returncode == 0:
            problems += ["check_outputs: " + v for v in
                         bc.check_outputs(case_dir, out_dir, case=case)]
        return problems
    if proc.returncode != 0:
        return ["exit %d (expected 0); stderr:\n%s" % (proc.returncode,
                                                        stderr)]
    return compare(case, case_dir, out_dir, expected)


def compare(case, case_dir, out_dir, expected):
    problems = []
    violations = bc.check_outputs(case_dir, out_dir, case=case)
    problems += ["check_outputs: " + v for v in violations]
    best = expected["best"]
    try:
        assign = bc.read_assignment(out_dir)
        assign = {h: u for h, u in assign.items()
                  if h in case.households and u in case.units}
    except OSError as e:
        return problems + ["cannot read proposals.csv: %s" % e]
    got = bc.tiers(case, assign)
    if best is None:
        problems.append("enumeration found no feasible assignment but the "
                        "program exited 0")
        return problems
    names = ("(1) housed", "(2) waiting days of housed",
             "(3) housed in non-transit units")
    # BRUTE_FORCE_BOUNDS_ONLY=1 (brute_force_no_trees): the program leaves
    # its trees out, so it need not reach the optimum; its proposals must
    # still keep every rule, and its bounds must hold (below).
    bounds_only = os.environ.get("BRUTE_FORCE_BOUNDS_ONLY") == "1"
    for i, name in enumerate(names):
        if bounds_only:
            break
        if got[i] != best[i]:
            problems.append("%s: program %d, best %d (program tiers %s, "
                            "best %s; best assignment %s)"
                            % (name, got[i], best[i], got, best,
                               expected["assign"]))
            break
    else:
        if not violations and not bounds_only:
            soft = bc.soft_objective(case, assign)
            if soft > expected["soft"] + SOFT_ATOL + \
                    SOFT_RTOL * abs(expected["soft"]):
                problems.append("(5) soft objective: program %.9f, best "
                                "%.9f (program %s, best %s)"
                                % (soft, expected["soft"], assign,
                                   expected["assign"]))
    jt = json_tiers(out_dir)
    if isinstance(jt, str):
        problems.append(jt)
    else:
        for key, bound in json_bounds(out_dir).items():
            # Tiers 1-3 count households and days: a bound is whole, and
            # never below the optimum the enumeration found.  A tier's
            # bound holds with the earlier tiers fixed at the program's
            # values; where none of those is above the optimum's, the
            # optimum keeps them, so the bound is at least its tier too.
            i = ("housed", "waiting", "permanent").index(key)
            if bound is None:
                continue
            if bound != int(bound) or bound < got[i]:
                problems.append("proposals.json tiers.%s.bound = %r: not a whole "
                                "number at or above the value %d"
                                % (key, bound, got[i]))
            elif all(got[e] <= best[e] for e in range(i)) and bound < best[i]:
                problems.append("proposals.json tiers.%s.bound = %r: below the "
                                "optimum %d" % (key, bound, best[i]))
        for i, key in enumerate(("housed", "waiting", "permanent")):
            if jt[key] != got[i]:
                problems.append("proposals.json tiers.%s.value = %g, but "
                                "proposals.csv gives %d" % (key, jt[key],
                                                            got[i]))
        if not violations:
            soft = bc.soft_objective(case, assign)
            if not soft_close(jt["soft"], soft):
                problems.append("proposals.json tiers.soft.value = %.9f, "
                                "but the proposals' soft objective is %.9f"
                                % (jt["soft"], soft))
    return problems


# ---------------------------------------------------------------------------
# Self-test of this file and boplace_check (no program needed)
# ---------------------------------------------------------------------------

def write_reference_outputs(case, assign, out_dir):
    """Writes proposals.csv/unplaced.csv for assign as the SPEC says, so
    that check_outputs can be tested without the program."""
    import csv
    os.makedirs(out_dir, exist_ok=True)
    area_k = case.counts(assign)[0]
    with open(os.path.join(out_dir, "proposals.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(bc.PROPOSAL_COLUMNS)
        for h, u in sorted(assign.items()):
            hh, unit = case.households[h], case.units[u]
            area = case.areas[unit["area"]]
            mins = case.minutes(h, u)
            k = area_k[unit["area"]]

            def m(rule):
                return "%.1f" % mins[rule] if rule in mins else ""
            w.writerow([h, u, unit["area"], hh["persons"], unit["rooms"],
                        "%.2f" % unit["rent"], "%.2f" % hh["max_rent"],
                        area["school"] if hh["c6"] else "",
                        (area["daycare"] or "") if hh["c05"] else "",
                        m("language_school"), m("school"), m("daycare"),
                        m("job"), m("health"),
                        "%.4f" % bc.share(area["newcomers"],
                                          area["households"]),
                        "%.4f" % bc.share(area["newcomers"] + k,
                                          area["households"] + k),
                        "Placed, because it fits."])
    with open(os.path.join(out_dir, "unplaced.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(bc.UNPLACED_COLUMNS)
        for h in sorted(case.households):
            if h not in assign:
                w.writerow([h, bc.expected_reason_code(case, assign, h),
                            "Not this week, sorry."])
    t = bc.tiers(case, assign)
    with open(os.path.join(out_dir, "proposals.json"), "w") as f:
        json.dump({"run": {"solver": {"tiers": {
            "housed": {"value": t[0]}, "waiting": {"value": t[1]},
            "permanent": {"value": t[2]},
            "soft": {"value": bc.soft_objective(case, assign)}}}}}, f)


def naive_best(case):
    """Enumeration without any pruning: every household unplaced or in any
    unit at all, feasibility by assignment_violations alone."""
    import itertools
    hids = sorted(case.households)
    uids = [None] + sorted(case.units)
    best, soft = None, None
    for combo in itertools.product(uids, repeat=len(hids)):
        assign = {h: u for h, u in zip(hids, combo) if u is not None}
        if bc.assignment_violations(case, assign):
            continue
        t = bc.tiers(case, assign)
        s = bc.soft_objective(case, assign)
        if best is None or t > best or (t == best and s < soft):
            best, soft = t, s
    return best, soft


def self_test(n, seed):
    """Checks the generator, reader, enumeration and check_outputs against
    each other: the enumeration agrees with a naive one, the enumerated
    optimum written out passes check_outputs, and broken outputs do not."""
    rng = random.Random(seed)
    failed = 0
    tmp = tempfile.mkdtemp(prefix="boplace_selftest_")
    for i in range(n):
        case_dir = os.path.join(tmp, "case%03d" % i)
        spec = gen_case(rng)
        write_case(rng, spec, case_dir)
        add_locks(rng, spec, case_dir)
        case = bc.Case(case_dir)
        # Reader round trip on a few fields.
        for h in spec["households"]:
            hh = case.households[h["household_id"]]
            assert hh["adults"] == h["adults"], (case_dir, h)
            assert hh["max_rent"] == h["max_rent"], (case_dir, h)
            assert hh["waiting_days"] == (h["waiting_days"] or 0)
        for u in spec["units"]:
            uu = case.units[u["unit_id"]]
            assert uu["rent"] == u["rent"], (case_dir, u, uu)
            assert uu["walk"] == (u["walk_minutes"] or 0.0), (case_dir, u)
        res = enumerate_best(case)
        small = (len(case.units) + 1) ** len(case.households) <= 3000
        if small:
            nb, ns = naive_best(case)
            if nb != res["best"] or (nb is not None and
                                     abs(ns - res["soft"]) > 1e-9):
                print("SELF-TEST FAIL %s: pruned %s/%s, naive %s/%s"
                      % (case_dir, res["best"], res["soft"], nb, ns))
                failed += 1
                continue
        if res["best"] is None:
            # Without place locks the empty assignment is always feasible.
            if not case.place_lock:
                print("SELF-TEST FAIL %s: no feasible assignment" % case_dir)
                failed += 1
            continue
        out_dir = os.path.join(case_dir, "out")
        write_reference_outputs(case, res["assign"], out_dir)
        problems = compare(case, case_dir, out_dir, res)
        if problems:
            print("SELF-TEST FAIL %s: reference outputs rejected:\n  %s"
                  % (case_dir, "\n  ".join(problems)))
            failed += 1
            continue
        # Breaking the outputs must be noticed.
        if res["assign"]:
            h = sorted(res["assign"])[0]
            broken = dict(res["assign"])
            del broken[h]
            # h now in unplaced.csv: fine for check_outputs, but the
            # tiers must drop.
            write_reference_outputs(case, broken, out_dir)
            if not compare(case, case_dir, out_dir, res):
                print("SELF-TEST FAIL %s: dropping %s went unnoticed"
                      % (case_dir, h))
                failed += 1
                continue
            # Every ineligible unit for h must be caught by check_outputs.
            for u in sorted(case.units):
                if u == res["assign"][h]:
                    continue
                moved = dict(res["assign"])
                moved[h] = u
                write_reference_outputs(case, moved, out_dir)
                if bc.assignment_violations(case, moved) and \
                        not bc.check_outputs(case_dir, out_dir, case=case):
                    print("SELF-TEST FAIL %s: infeasible move %s->%s "
                          "unnoticed" % (case_dir, h, u))
                    failed += 1
                    break
    print("self-test: %d cases, %d failed (dir %s)" % (n, failed, tmp))
    if not failed:
        shutil.rmtree(tmp)
    return failed


# ---------------------------------------------------------------------------

def enumerate_feasible(case_dir):
    return enumerate_best(bc.Case(case_dir))["best"] is not None


def generate(rng, case_dir, size="tiny", feasible=None,
             keep_infeasible=True):
    spec = gen_case(rng, size)
    write_case(rng, spec, case_dir)
    add_locks(rng, spec, case_dir, feasible, keep_infeasible)
    return spec


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=N_CASES)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--keep", action="store_true",
                    help="keep every case directory, not only failures")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        sys.exit(1 if self_test(args.cases, args.seed) else 0)

    exe = boplace_path()
    if not os.access(exe, os.X_OK):
        print("boplace not found or not executable: %s" % exe)
        print("0 passed, %d failed" % args.cases)
        sys.exit(1)
    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="boplace_brute_")
    passed = failed = 0
    stats = {"housed": 0, "unplaced": 0, "leaves": 0}
    start = time.time()
    for i in range(args.cases):
        case_dir = os.path.join(tmp, "case%03d" % i)
        out_dir = os.path.join(tmp, "out%03d" % i)
        generate(rng, case_dir)
        try:
            case = bc.Case(case_dir)
            expected = enumerate_best(case)
            problems = check_case(case_dir, out_dir, expected)
        except Exception as e:  # a crash of the test is a failure too
            import traceback
            problems = ["test error: " + "".join(
                traceback.format_exception(type(e), e, e.__traceback__))]
            expected = {"best": None, "leaves": 0}
        if expected.get("best"):
            stats["housed"] += expected["best"][0]
            stats["unplaced"] += len(case.households) - expected["best"][0]
        stats["leaves"] += expected.get("leaves", 0)
        if problems:
            failed += 1
            print("FAIL case %d: %s (output %s)" % (i, case_dir, out_dir))
            for p in problems:
                print("    " + p)
        else:
            passed += 1
            if not args.keep:
                shutil.rmtree(case_dir, ignore_errors=True)
                shutil.rmtree(out_dir, ignore_errors=True)
    if not failed and not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    print("brute force: %d cases in %.1f s, seed %d; %d households housed "
          "and %d unplaced at the optimum; %d optimal-candidate assignments "
          "checked" % (args.cases, time.time() - start, args.seed,
                       stats["housed"], stats["unplaced"], stats["leaves"]))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
