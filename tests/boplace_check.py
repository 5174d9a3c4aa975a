"""An independent check of boplace's outputs against SPEC.md.

This module re-implements, in Python's standard library only and without
looking at the C code, everything needed to judge a run:

  * reading a case directory in the CSV dialect of SPEC.md ("," or ";"
    detected from the header, optional BOM, decimal comma with ";",
    RFC 4180 quoting) and policy.json with the project's defaults;
  * travel times: its own Dijkstra over links.csv (both_ways defaults to 1),
    travel = walk_minutes + shortest path, travel to a kind = nearest member;
  * every hard rule of SPEC.md (1-7), for one pair (pair_failures) and for a
    whole assignment (assignment_violations), with the share rule exactly as
    models/formulation.md section 3 states it;
  * check_outputs(case_dir, out_dir): every hard rule on proposals.csv, the
    required columns, the reason codes, each household exactly once, and the
    figures written in proposals.csv against its own computation;
  * soft_objective(): the tier-4 objective of formulation.md section 6, so
    that tests can compare the soft optimum too.

The brute-force test enumerates assignments with the very same rules, so the
definition of "feasible" lives in one place on the test side as well.
"""

import csv
import heapq
import io
import json
import math
import os

# --------------------------------------------------------------------------
# Policy defaults (the project's choice, see the brief / read_policy.c)
# --------------------------------------------------------------------------

DEFAULT_POLICY = {
    "max_minutes": {
        "language_school": 60.0,
        "school": 40.0,
        "daycare": 30.0,
        "job": 60.0,
        "health": 60.0,
    },
    "max_newcomer_share": 0.15,
    "max_bilingual_share": 0.30,
    "persons_per_room": 2.0,
    "extra_rooms": 1,
    "max_new_per_building": 3,
    "min_cluster": 0,
    "allow_vulnerable_areas": False,
    "allow_transit": True,
    "weights": {
        "spread": 10.0,
        "near_cap": 2.0,
        "travel": 1.0,
        "rent": 1.0,
        "preference": 1.0,
        "ties": 1.0,
        "partner": 0.5,
        "score": 1.0,
    },
    "language": "en",
}

THETA = 0.8  # near-cap threshold, formulation.md (C14)

REASON_CODES = ("NO_ELIGIBLE_UNIT", "OUTCOMPETED", "CAP_BINDING", "GROUP",
                "LOCK")

PROPOSAL_COLUMNS = (
    "household_id", "unit_id", "area_id", "persons", "rooms", "rent",
    "max_rent", "school_id", "daycare_id", "minutes_language_school",
    "minutes_school", "minutes_daycare", "minutes_job", "minutes_health",
    "area_share_before", "area_share_after", "reason")
UNPLACED_COLUMNS = ("household_id", "reason_code", "reason")

UNIT_KINDS = ("public", "private", "senior", "shared", "transit")

INF = float("inf")


class CaseError(Exception):
    """The case cannot be read by this checker."""


# --------------------------------------------------------------------------
# CSV dialect of SPEC.md
# --------------------------------------------------------------------------

def _header_line(text):
    """The first physical line outside quotes."""
    in_quotes = False
    for i, ch in enumerate(text):
        if ch == '"':
            in_quotes = not in_quotes
        elif ch in "\r\n" and not in_quotes:
            return text[:i]
    return text


def _count_outside_quotes(line, ch):
    count, in_quotes = 0, False
    for c in line:
        if c == '"':
            in_quotes = not in_quotes
        elif c == ch and not in_quotes:
            count += 1
    return count


class Table:
    """A CSV table: header, rows (dicts of stripped strings), delimiter."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8-sig")
        header = _header_line(text)
        semis = _count_outside_quotes(header, ";")
        commas = _count_outside_quotes(header, ",")
        self.delimiter = ";" if semis > commas else ","
        reader = csv.reader(io.StringIO(text, newline=""),
                            delimiter=self.delimiter, quotechar='"',
                            doublequote=True, strict=False)
        rows = list(reader)
        if not rows:
            raise CaseError("%s: empty file" % path)
        self.header = [h.strip() for h in rows[0]]
        self.rows = []
        for raw_row in rows[1:]:
            if all(cell.strip() == "" for cell in raw_row):
                continue  # blank line
            row = {}
            for i, name in enumerate(self.header):
                row[name] = raw_row[i].strip() if i < len(raw_row) else ""
            self.rows.append(row)

    # Typed field access; empty means "not given" (None or the default).
    def text(self, row, name, default=None):
        value = row.get(name, "")
        return value if value != "" else default

    def dec(self, row, name, default=None):
        value = row.get(name, "")
        if value == "":
            return default
        if self.delimiter == ";":
            value = value.replace(",", ".")
        return float(value)

    def int(self, row, name, default=None):
        value = self.dec(row, name, None)
        if value is None:
            return default
        if value != int(value):
            raise CaseError("%s: %s is not an integer: %r" %
                            (self.path, name, row.get(name)))
        return int(value)


# --------------------------------------------------------------------------
# Policy
# --------------------------------------------------------------------------

def load_policy(path=None):
    """policy.json merged over DEFAULT_POLICY (nested objects key by key)."""
    policy = json.loads(json.dumps(DEFAULT_POLICY))  # deep copy
    if path is None or not os.path.exists(path):
        return policy
    with open(path, "r", encoding="utf-8-sig") as f:
        given = json.load(f)
    for key, value in given.items():
        if key in ("max_minutes", "weights") and isinstance(value, dict):
            for sub, v in value.items():
                policy[key][sub] = float(v)
        else:
            policy[key] = value
    for key in ("max_newcomer_share", "max_bilingual_share",
                "persons_per_room"):
        policy[key] = float(policy[key])
    for key in ("extra_rooms", "max_new_per_building", "min_cluster"):
        policy[key] = int(policy[key])
    for key in ("allow_vulnerable_areas", "allow_transit"):
        policy[key] = bool(policy[key])
    return policy


# --------------------------------------------------------------------------
# The case
# --------------------------------------------------------------------------

class Case:
    """Everything read from a case directory, plus travel times."""

    def __init__(self, case_dir, policy_path=None):
        self.dir = case_dir
        if policy_path is None:
            policy_path = os.path.join(case_dir, "policy.json")
        self.policy = load_policy(policy_path)

        def table(name, required=True):
            path = os.path.join(case_dir, name)
            if not os.path.exists(path):
                if required:
                    raise CaseError("missing %s" % path)
                return None
            return Table(path)

        t = table("areas.csv")
        self.areas = {}
        for r in t.rows:
            self.areas[t.text(r, "area_id")] = {
                "id": t.text(r, "area_id"),
                "name": t.text(r, "name", ""),
                "households": t.int(r, "households"),
                "newcomers": t.int(r, "newcomer_households"),
                "school": t.text(r, "school_id"),
                "daycare": t.text(r, "daycare_id"),
                "cap": t.dec(r, "max_newcomer_share",
                             self.policy["max_newcomer_share"]),
                "vulnerable": t.int(r, "vulnerable", 0),
                "partner": t.int(r, "partner", 0),
            }

        t = table("units.csv")
        self.units = {}
        for r in t.rows:
            kind = t.text(r, "kind")
            self.units[t.text(r, "unit_id")] = {
                "id": t.text(r, "unit_id"),
                "area": t.text(r, "area_id"),
                "stop": t.text(r, "stop_id"),
                "walk": t.dec(r, "walk_minutes", 0.0),
                "rooms": t.int(r, "rooms"),
                "rent": t.dec(r, "rent"),
                "kind": kind,
                "places": t.int(r, "places", 1),
                "max_persons": t.int(r, "max_persons"),
                "step_free": t.int(r, "step_free", 0),
                "building": t.text(r, "building"),
            }

        def institutions(name, id_col, free_col, enrolled_col, bil_col):
            tt = table(name, required=(name == "schools.csv"))
            out = {}
            if tt is None:
                return out
            for r in tt.rows:
                out[tt.text(r, id_col)] = {
                    "id": tt.text(r, id_col),
                    "stop": tt.text(r, "stop_id"),
                    "free": tt.int(r, free_col),
                    "enrolled": tt.int(r, enrolled_col),
                    "bilingual": tt.int(r, bil_col),
                    "cap": tt.dec(r, "max_bilingual_share",
                                  self.policy["max_bilingual_share"]),
                }
            return out

        self.schools = institutions("schools.csv", "school_id", "free_seats",
                                    "pupils", "bilingual_pupils")
        self.daycares = institutions("daycares.csv", "daycare_id",
                                     "free_places", "children",
                                     "bilingual_children")

        t = table("stops.csv")
        self.stops = [t.text(r, "stop_id") for r in t.rows]

        t = table("links.csv")
        self.links = []
        for r in t.rows:
            self.links.append((t.text(r, "from_stop"), t.text(r, "to_stop"),
                               t.dec(r, "minutes"), t.int(r, "both_ways", 1)))

        t = table("destinations.csv")
        self.destinations = []
        for r in t.rows:
            self.destinations.append({
                "id": t.text(r, "dest_id"), "kind": t.text(r, "kind"),
                "stop": t.text(r, "stop_id")})

        t = table("households.csv")
        self.households = {}
        for r in t.rows:
            h = {
                "id": t.text(r, "household_id"),
                "adults": t.int(r, "adults"),
                "c05": t.int(r, "children_0_5"),
                "c6": t.int(r, "children_6_16"),
                "max_rent": t.dec(r, "max_rent"),
                "step_free": t.int(r, "step_free", 0),
                "needs_health": t.int(r, "needs_health", 0),
                "group": t.text(r, "group_id"),
                "job_stop": t.text(r, "job_stop"),
                "preferred_area": t.text(r, "preferred_area"),
                "ties_area": t.text(r, "ties_area"),
                "waiting_days": t.int(r, "waiting_days", 0),
            }
            h["persons"] = max(1, h["adults"] + h["c05"] + h["c6"])
            self.households[h["id"]] = h

        self.place_lock = {}   # household -> unit
        self.forbid = set()    # (household, unit)
        t = table("locks.csv", required=False)
        if t is not None:
            for r in t.rows:
                hid, uid = t.text(r, "household_id"), t.text(r, "unit_id")
                action = t.text(r, "action")
                if action == "place":
                    self.place_lock[hid] = uid
                elif action == "forbid":
                    self.forbid.add((hid, uid))
                else:
                    raise CaseError("locks.csv: bad action %r" % action)

        self.scores = {}
        t = table("scores.csv", required=False)
        if t is not None:
            for r in t.rows:
                self.scores[(t.text(r, "household_id"),
                             t.text(r, "area_id"))] = t.dec(r, "score")

        self.groups = {}
        for hid in sorted(self.households):
            g = self.households[hid]["group"]
            if g is not None:
                self.groups.setdefault(g, []).append(hid)

        self._build_graph()
        self._dist_cache = {}
        self._pair_cache = {}

    # ---------------------------------------------------------------- travel
    def _build_graph(self):
        self.adj = {s: [] for s in self.stops}
        for a, b, minutes, both in self.links:
            self.adj.setdefault(a, []).append((b, minutes))
            self.adj.setdefault(b, [])
            if both:
                self.adj[b].append((a, minutes))

    def dist_from(self, source):
        """Shortest minutes from stop `source` to every reachable stop."""
        if source in self._dist_cache:
            return self._dist_cache[source]
        dist = {source: 0.0}
        heap = [(0.0, source)]
        done = set()
        while heap:
            d, s = heapq.heappop(heap)
            if s in done:
                continue
            done.add(s)
            for t, m in self.adj.get(s, ()):
                nd = d + m
                if nd < dist.get(t, INF):
                    dist[t] = nd
                    heapq.heappush(heap, (nd, t))
        self._dist_cache[source] = dist
        return dist

    def travel(self, uid, stop):
        """Minutes from unit uid's door to stop; INF when no path."""
        if stop is None:
            return INF
        u = self.units[uid]
        d = self.dist_from(u["stop"]).get(stop, INF)
        return u["walk"] + d if d < INF else INF

    def travel_kind(self, uid, kind):
        best = INF
        for dest in self.destinations:
            if dest["kind"] == kind:
                best = min(best, self.travel(uid, dest["stop"]))
        return best

    # --------------------------------------------------------------- figures
    def area_of(self, uid):
        return self.areas[self.units[uid]["area"]]

    def school_of(self, uid):
        return self.area_of(uid)["school"]

    def daycare_of(self, uid):
        return self.area_of(uid)["daycare"]

    def rooms_needed(self, h):
        need = math.ceil(h["persons"] / self.policy["persons_per_room"] - 1e-9)
        return max(1, need)

    def rooms_allowed(self, h):
        return h["persons"] + self.policy["extra_rooms"]

    def minutes(self, hid, uid):
        """The minutes of the trips that apply to household hid in unit uid:
        dict rule -> minutes (INF when unreachable); rules that do not apply
        to the household are absent."""
        h = self.households[hid]
        out = {}
        if h["adults"] > 0:
            out["language_school"] = self.travel_kind(uid, "language_school")
        if h["c6"] > 0:
            school = self.schools.get(self.school_of(uid))
            out["school"] = (self.travel(uid, school["stop"])
                             if school else INF)
        if h["c05"] > 0:
            daycare = self.daycares.get(self.daycare_of(uid) or "")
            out["daycare"] = (self.travel(uid, daycare["stop"])
                              if daycare else INF)
        if h["job_stop"] is not None:
            out["job"] = self.travel(uid, h["job_stop"])
        if h["needs_health"]:
            out["health"] = self.travel_kind(uid, "health")
        return out

    def pair_failures(self, hid, uid, ignore_locks=False):
        """Names of the pairwise rules (formulation.md section 2) that the
        pair (hid, uid) breaks; empty when eligible."""
        key = (hid, uid, ignore_locks)
        if key in self._pair_cache:
            return self._pair_cache[key]
        h, u = self.households[hid], self.units[uid]
        area = self.areas[u["area"]]
        pol = self.policy
        fails = []
        if u["max_persons"] is not None and h["persons"] > u["max_persons"]:
            fails.append("persons")
        if u["kind"] != "shared":
            if u["rooms"] < self.rooms_needed(h):
                fails.append("rooms_min")
            if u["rooms"] > self.rooms_allowed(h):
                fails.append("rooms_max")
        if u["rent"] > h["max_rent"]:
            fails.append("rent")
        if h["step_free"] and not u["step_free"]:
            fails.append("step_free")
        if u["kind"] == "shared" and not (h["adults"] == 1 and h["c05"] == 0
                                          and h["c6"] == 0):
            fails.append("shared_single")
        for rule, minutes in self.minutes(hid, uid).items():
            if not minutes <= pol["max_minutes"][rule]:
                fails.append(rule)
        if h["c6"] > 0:
            school = self.schools.get(area["school"])
            if school is None or h["c6"] > school["free"]:
                fails.append("school_seats")
        if h["c05"] > 0:
            daycare = self.daycares.get(area["daycare"] or "")
            if daycare is None or h["c05"] > daycare["free"]:
                fails.append("daycare_places")
        if area["vulnerable"] and not pol["allow_vulnerable_areas"]:
            fails.append("vulnerable")
        if u["kind"] == "transit" and not pol["allow_transit"]:
            fails.append("transit")
        if not ignore_locks:
            if (hid, uid) in self.forbid:
                fails.append("lock")
            elif hid in self.place_lock and self.place_lock[hid] != uid:
                fails.append("lock")
        self._pair_cache[key] = fails
        return fails

    def eligible_units(self, hid, ignore_locks=False):
        return [uid for uid in sorted(self.units)
                if not self.pair_failures(hid, uid, ignore_locks)]

    # ---------------------------------------------------------------- counts
    def counts(self, assign):
        """Placements per area, bilingual children per school and daycare,
        placements per unit and per building, for assign {hid: uid}."""
        area_k = {a: 0 for a in self.areas}
        school_k = {s: 0 for s in self.schools}
        daycare_k = {d: 0 for d in self.daycares}
        unit_k = {u: 0 for u in self.units}
        building_k = {}
        for hid, uid in assign.items():
            h, u = self.households[hid], self.units[uid]
            area = self.areas[u["area"]]
            area_k[u["area"]] += 1
            unit_k[uid] += 1
            if area["school"] in school_k:
                school_k[area["school"]] += h["c6"]
            if area["daycare"] in daycare_k:
                daycare_k[area["daycare"]] += h["c05"]
            if u["building"] is not None:
                building_k[u["building"]] = building_k.get(u["building"],
                                                           0) + 1
        return area_k, school_k, daycare_k, unit_k, building_k


def share(count, total):
    return count / total if total > 0 else 0.0


def share_allows(count, total, added, cap):
    """formulation.md section 3: adding `added` to both count and total keeps
    the share within max(cap, today's share)."""
    if added == 0:
        return True
    limit = max(cap, share(count, total))
    return count + added <= limit * (total + added) + 1e-9


def share_room(count, total, cap, upto=10 ** 6):
    """Largest k <= upto that share_allows (the rule is monotone in k)."""
    k = 0
    while k < upto and share_allows(count, total, k + 1, cap):
        k += 1
    return k


# --------------------------------------------------------------------------
# Hard rules on a whole assignment
# --------------------------------------------------------------------------

def assignment_violations(case, assign):
    """Every hard rule of SPEC.md (1-7) checked on assign {hid: uid};
    returns a list of messages (empty = feasible)."""
    out = []
    pol = case.policy
    area_k, school_k, daycare_k, unit_k, building_k = case.counts(assign)
    # Rule 1: places.
    for uid, k in unit_k.items():
        if k > case.units[uid]["places"]:
            out.append("rule 1: unit %s gets %d households, places %d"
                       % (uid, k, case.units[uid]["places"]))
    # Rules 2, 3, 5 (vulnerable), 6 (locks), 7: pairwise.
    for hid in sorted(assign):
        fails = case.pair_failures(hid, assign[hid])
        if fails:
            out.append("pair (%s, %s) breaks %s"
                       % (hid, assign[hid], ", ".join(fails)))
    # Rule 4: seats and bilingual caps.
    for sid, k in school_k.items():
        s = case.schools[sid]
        if k > s["free"]:
            out.append("rule 4: school %s gets %d children, free seats %d"
                       % (sid, k, s["free"]))
        if not share_allows(s["bilingual"], s["enrolled"], k, s["cap"]):
            out.append("rule 4: school %s bilingual share %d/%d -> %d/%d "
                       "breaks cap %.4f" % (sid, s["bilingual"], s["enrolled"],
                                            s["bilingual"] + k,
                                            s["enrolled"] + k, s["cap"]))
    for did, k in daycare_k.items():
        d = case.daycares[did]
        if k > d["free"]:
            out.append("rule 4: daycare %s gets %d children, free places %d"
                       % (did, k, d["free"]))
        if not share_allows(d["bilingual"], d["enrolled"], k, d["cap"]):
            out.append("rule 4: daycare %s bilingual share %d/%d -> %d/%d "
                       "breaks cap %.4f" % (did, d["bilingual"], d["enrolled"],
                                            d["bilingual"] + k,
                                            d["enrolled"] + k, d["cap"]))
    # Rule 5: area shares.
    for aid, k in area_k.items():
        a = case.areas[aid]
        if not share_allows(a["newcomers"], a["households"], k, a["cap"]):
            out.append("rule 5: area %s newcomer share %d/%d -> %d/%d breaks "
                       "cap %.4f" % (aid, a["newcomers"], a["households"],
                                     a["newcomers"] + k, a["households"] + k,
                                     a["cap"]))
    # Rule 6: buildings, min_cluster, groups, place locks.
    if pol["max_new_per_building"] > 0:
        for b, k in sorted(building_k.items()):
            if k > pol["max_new_per_building"]:
                out.append("rule 6: building %s gets %d, max_new_per_building"
                           " %d" % (b, k, pol["max_new_per_building"]))
    m = pol["min_cluster"]
    if m > 0:
        for aid, k in sorted(area_k.items()):
            if case.areas[aid]["newcomers"] == 0 and 0 < k < m:
                out.append("rule 6: area %s has no newcomers and gets %d, "
                           "min_cluster %d" % (aid, k, m))
    for g, members in sorted(case.groups.items()):
        placed = [h for h in members if h in assign]
        if placed and len(placed) != len(members):
            out.append("rule 6: group %s split: placed %s, not %s"
                       % (g, placed, [h for h in members if h not in assign]))
        areas = sorted({case.units[assign[h]]["area"] for h in placed})
        if len(areas) > 1:
            out.append("rule 6: group %s placed in several areas %s"
                       % (g, areas))
    for hid, uid in sorted(case.place_lock.items()):
        if assign.get(hid) != uid:
            out.append("rule 6: lock places %s in %s, got %s"
                       % (hid, uid, assign.get(hid)))
    return out


# --------------------------------------------------------------------------
# Objective tiers
# --------------------------------------------------------------------------

def tiers(case, assign):
    """(housed, waiting days of housed, housed in non-transit units)."""
    housed = len(assign)
    waiting = sum(case.households[h]["waiting_days"] for h in assign)
    permanent = sum(1 for u in assign.values()
                    if case.units[u]["kind"] != "transit")
    return housed, waiting, permanent


def spread_f(count, total, k):
    """formulation.md (C13): (n+k)^2/(N+k) - n^2/N, second term 0 if N = 0."""
    after = (count + k) ** 2 / (total + k) if total + k > 0 else 0.0
    before = count ** 2 / total if total > 0 else 0.0
    return after - before


def near_cap(count, total, k, cap):
    """formulation.md (C14), measured against today: with
    e(k) = (n + k) - theta c (N + k), the least o is max(0, e(k) - max(0,
    e(0)))."""
    def e(j):
        return (count + j) - THETA * cap * (total + j)
    return max(0.0, e(k) - max(0.0, e(0)))


def pair_cost(case, hid, uid):
    """cost_hu of formulation.md section 6."""
    w = case.policy["weights"]
    h, u = case.households[hid], case.units[uid]
    aid = u["area"]
    hours = sum(case.minutes(hid, uid).values()) / 60.0
    cost = w["travel"] * hours + w["rent"] * u["rent"] / h["max_rent"]
    if h["preferred_area"] == aid:
        cost -= w["preference"]
    if h["ties_area"] == aid:
        cost -= w["ties"]
    if case.areas[aid]["partner"]:
        cost -= w["partner"]
    cost -= w["score"] * case.scores.get((hid, aid), 0.0)
    return cost


def soft_objective(case, assign):
    """The tier-4 objective (minimised) of assign {hid: uid}."""
    w = case.policy["weights"]
    area_k, school_k, daycare_k, _, _ = case.counts(assign)
    spread = near = 0.0
    for aid, k in area_k.items():
        a = case.areas[aid]
        spread += spread_f(a["newcomers"], a["households"], k)
        near += near_cap(a["newcomers"], a["households"], k, a["cap"])
    for table, counts in ((case.schools, school_k), (case.daycares,
                                                     daycare_k)):
        for iid, k in counts.items():
            s = table[iid]
            spread += spread_f(s["bilingual"], s["enrolled"], k)
            near += near_cap(s["bilingual"], s["enrolled"], k, s["cap"])
    cost = sum(pair_cost(case, h, u) for h, u in assign.items())
    return w["spread"] * spread + w["near_cap"] * near + cost


# --------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------

def read_output_csv(path):
    """(header, rows) of an output CSV (comma, '.' decimals)."""
    with open(path, "r", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        return [], []
    header = rows[0]
    body = []
    for r in rows[1:]:
        if not any(c.strip() for c in r):
            continue
        body.append({name: (r[i] if i < len(r) else "")
                     for i, name in enumerate(header)})
    return header, body


def _num(text):
    if text is None or text.strip() == "":
        return None
    return float(text)


def read_assignment(out_dir):
    """assign {hid: uid} from proposals.csv (last row wins on duplicates)."""
    _, rows = read_output_csv(os.path.join(out_dir, "proposals.csv"))
    return {r.get("household_id", ""): r.get("unit_id", "") for r in rows}


def expected_reason_code(case, assign, hid):
    """The reason code of unplaced household hid, decided in the order of
    data/OUTPUTS.md ('Reason codes'): the first that applies."""
    eligible = case.eligible_units(hid)
    if not eligible:
        if case.eligible_units(hid, ignore_locks=True):
            return "LOCK"
        return "NO_ELIGIBLE_UNIT"
    group = case.households[hid]["group"]
    if group is not None and len(case.groups[group]) >= 2:
        return "GROUP"
    unit_k = case.counts(assign)[3]
    if all(unit_k[u] >= case.units[u]["places"] for u in eligible):
        return "OUTCOMPETED"
    return "CAP_BINDING"


def check_outputs(case_dir, out_dir, policy_path=None, case=None):
    """Every check of the module docstring; returns a list of violations
    (empty = the outputs are right)."""
    out = []
    if case is None:
        case = Case(case_dir, policy_path)
    p_path = os.path.join(out_dir, "proposals.csv")
    u_path = os.path.join(out_dir, "unplaced.csv")
    for path in (p_path, u_path):
        if not os.path.exists(path):
            out.append("missing output %s" % path)
    if out:
        return out
    p_header, proposals = read_output_csv(p_path)
    u_header, unplaced = read_output_csv(u_path)
    for col in PROPOSAL_COLUMNS:
        if col not in p_header:
            out.append("proposals.csv: missing column %s" % col)
    for col in UNPLACED_COLUMNS:
        if col not in u_header:
            out.append("unplaced.csv: missing column %s" % col)
    if out:
        return out

    # Each household exactly once across both files.
    seen = {}
    for r in proposals:
        seen.setdefault(r["household_id"], []).append("proposals.csv")
    for r in unplaced:
        seen.setdefault(r["household_id"], []).append("unplaced.csv")
    for hid, where in sorted(seen.items()):
        if hid not in case.households:
            out.append("unknown household %r in %s" % (hid, where))
        elif len(where) > 1:
            out.append("household %s appears %d times (%s)"
                       % (hid, len(where), ", ".join(where)))
    for hid in sorted(case.households):
        if hid not in seen:
            out.append("household %s in neither proposals.csv nor "
                       "unplaced.csv" % hid)

    for r in unplaced:
        if r["reason_code"] not in REASON_CODES:
            out.append("unplaced.csv: %s has reason_code %r, not in %s"
                       % (r["household_id"], r["reason_code"], REASON_CODES))
        if not r["reason"].strip():
            out.append("unplaced.csv: %s has an empty reason"
                       % r["household_id"])

    assign = {}
    for r in proposals:
        hid, uid = r["household_id"], r["unit_id"]
        if uid not in case.units:
            out.append("proposals.csv: %s proposed unknown unit %r"
                       % (hid, uid))
            continue
        if hid in case.households:
            assign[hid] = uid
    out.extend(assignment_violations(case, assign))
    for r in unplaced:
        hid = r["household_id"]
        if hid in case.households and hid not in assign:
            want = expected_reason_code(case, assign, hid)
            if r["reason_code"] != want:
                out.append("unplaced.csv: %s has reason_code %s, expected %s"
                           " (data/OUTPUTS.md, 'Reason codes')"
                           % (hid, r["reason_code"], want))

    # Figures.
    area_k = case.counts(assign)[0]
    for r in proposals:
        hid, uid = r["household_id"], r["unit_id"]
        if hid not in case.households or uid not in case.units:
            continue
        h, u = case.households[hid], case.units[uid]
        area = case.areas[u["area"]]
        where = "proposals.csv: %s in %s:" % (hid, uid)

        def expect_num(col, want, tol):
            try:
                got = _num(r[col])
            except ValueError:
                out.append("%s %s = %r is not a number" % (where, col, r[col]))
                return
            if want is None:
                if got is not None:
                    out.append("%s %s = %r, expected empty"
                               % (where, col, r[col]))
            elif got is None:
                out.append("%s %s is empty, expected %.4f" % (where, col,
                                                              want))
            elif not abs(got - want) <= tol:
                out.append("%s %s = %r, expected %.4f" % (where, col, r[col],
                                                          want))

        if r["area_id"] != u["area"]:
            out.append("%s area_id %r, unit lies in %r"
                       % (where, r["area_id"], u["area"]))
        expect_num("persons", h["persons"], 0)
        if u["kind"] == "shared":
            # A shared place is one room; accept the unit's rooms or 1.
            got = _num(r["rooms"]) if r["rooms"].strip() else None
            if got not in (float(u["rooms"]), 1.0):
                out.append("%s rooms = %r, expected %d (or 1 for a shared "
                           "place)" % (where, r["rooms"], u["rooms"]))
        else:
            expect_num("rooms", u["rooms"], 0)
        expect_num("rent", u["rent"], 0.005)
        expect_num("max_rent", h["max_rent"], 0.005)
        # school_id / daycare_id: required where the rule applies; where it
        # does not, empty or the area's institution are both accepted.
        for col, key, kids in (("school_id", "school", h["c6"]),
                               ("daycare_id", "daycare", h["c05"])):
            want = area[key] or ""
            if kids > 0 and r[col] != want:
                out.append("%s %s = %r, expected %r" % (where, col, r[col],
                                                        want))
            elif kids == 0 and r[col] not in ("", want):
                out.append("%s %s = %r, expected empty or %r"
                           % (where, col, r[col], want))
        minutes = case.minutes(hid, uid)
        for rule in ("language_school", "school", "daycare", "job",
                     "health"):
            expect_num("minutes_" + rule, minutes.get(rule), 0.1)
        before = share(area["newcomers"], area["households"])
        k = area_k[u["area"]]
        after = share(area["newcomers"] + k, area["households"] + k)
        expect_num("area_share_before", before, 1e-3)
        expect_num("area_share_after", after, 1e-3)
        if not r["reason"].strip():
            out.append("%s empty reason" % where)
    return out


if __name__ == "__main__":
    import sys
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: boplace_check.py CASE_DIR OUT_DIR [POLICY]")
    problems = check_outputs(sys.argv[1], sys.argv[2],
                             sys.argv[3] if len(sys.argv) == 4 else None)
    for p in problems:
        print(p)
    print("%d violation(s)" % len(problems))
    sys.exit(1 if problems else 0)
