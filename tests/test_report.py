"""The spread report end to end: `boplace run data/sample`, then
`boplace report`, then the page in headless Chromium.

Checks, each counted on its own:
  * the run writes summary.json, report.html and placements.geojson beside
    the CSV files, mode 0600, nothing else left behind; a second run gives
    the same bytes;
  * summary.json's counts, shares, caps and spread indices equal an
    independent computation from the case's CSV files and proposals.csv
    (formulas of data/OUTPUTS.md, "Spread indices"); its reasons are the
    CSV files' sentences, in English and in Danish; the English and the
    Danish run differ only in "language";
  * placements.geojson is a valid FeatureCollection with one Point per
    proposal, at the unit's stop, in the order of proposals.csv;
  * report.html is self-contained (no script, nothing fetched);
  * `boplace report OUT` gives the run's report.html byte for byte, and
    `--lang da` gives the Danish run's; usage and damaged input give exit
    1 and 2;
  * in headless Chromium (`chromium`, installed by setup.sh), for English
    and Danish: every chart is there as SVG, the tables have a row per
    area, proposal and unplaced household, every index on the page equals
    summary.json (exact value and the text as the language writes it), no
    console message; a screenshot is kept under BUILD/artifacts/.
    Without chromium the browser checks fail when CI is set, and are
    skipped with a message otherwise.

Python standard library only.  Last line: "N passed, M failed".
"""

import csv
import html.parser
import io
import json
import math
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("BOPLACE_SOURCE", os.path.dirname(HERE))
SAMPLE = os.path.join(SOURCE, "data", "sample")
OUTPUTS = ("proposals.csv", "unplaced.csv", "proposals.json", "summary.json",
           "report.html", "placements.geojson")
CHARTS = ("map", "area-shares", "school-shares", "daycare-shares",
          "travel-language_school", "travel-school", "travel-job")
TRIPS = ("language_school", "school", "daycare", "job", "health")
EPS = 1e-12


def boplace():
    return os.environ.get("BOPLACE") or os.path.join(SOURCE, "build", "solver",
                                                     "boplace")


def build_root():
    root = os.environ.get("MESON_BUILD_ROOT")
    if root:
        return root
    exe = os.environ.get("BOPLACE")
    if exe:  # BUILD/solver/boplace
        return os.path.dirname(os.path.dirname(os.path.abspath(exe)))
    return os.path.join(SOURCE, "build")


def run(*args):
    return subprocess.run([boplace()] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=600)


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, problems):
        if problems:
            self.failed += 1
            print("FAIL %s" % name)
            for p in problems[:30]:
                print("    " + p)
            if len(problems) > 30:
                print("    ... and %d more" % (len(problems) - 30))
        else:
            self.passed += 1
            print("ok   %s" % name)


# ---------------------------------------------------------------------------
# Reading the case, independently of boplace's reader
# ---------------------------------------------------------------------------

def read_table(path):
    """Rows of a case CSV as dicts: ';' or ',' (whichever the header has
    more of), BOM dropped, decimal commas left for number() to handle."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    header = text.split("\n", 1)[0]
    delim = ";" if header.count(";") > header.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(r)]


def number(text):
    return float(text.replace(",", ".")) if text.strip() else None


def share(count, total):
    return count / total if total > 0 else 0.0


def expected_figures(out_dir):
    """The report's figures from the CSV files and proposals.csv."""
    areas = {r["area_id"]: r for r in read_table(os.path.join(SAMPLE, "areas.csv"))}
    schools = {r["school_id"]: r
               for r in read_table(os.path.join(SAMPLE, "schools.csv"))}
    daycares = {r["daycare_id"]: r
                for r in read_table(os.path.join(SAMPLE, "daycares.csv"))}
    households = {r["household_id"]: r
                  for r in read_table(os.path.join(SAMPLE, "households.csv"))}
    proposals = read_table(os.path.join(out_dir, "proposals.csv"))
    with open(os.path.join(out_dir, "proposals.json"), encoding="utf-8") as f:
        policy = json.load(f)["run"]["policy"]  # the policy in force

    placed = {a: 0 for a in areas}
    school_children = {s: 0 for s in schools}
    daycare_children = {d: 0 for d in daycares}
    for p in proposals:
        a = areas[p["area_id"]]
        h = households[p["household_id"]]
        placed[p["area_id"]] += 1
        school_children[a["school_id"]] += int(h["children_6_16"])
        if a.get("daycare_id"):
            daycare_children[a["daycare_id"]] += int(h["children_0_5"])

    def area_cap(a):
        own = number(a.get("max_newcomer_share", ""))
        return own if own is not None else policy["max_newcomer_share"]

    def inst_cap(i):
        own = number(i.get("max_bilingual_share", ""))
        return own if own is not None else policy["max_bilingual_share"]

    def dissimilarity(n, N):
        tn, to = sum(n), sum(N) - sum(n)
        if tn <= 0 or to <= 0:
            return 0.0
        return 0.5 * sum(abs(x / tn - (y - x) / to) for x, y in zip(n, N))

    ids = sorted(areas)
    n0 = [int(areas[a]["newcomer_households"]) for a in ids]
    N0 = [int(areas[a]["households"]) for a in ids]
    n1 = [x + placed[a] for x, a in zip(n0, ids)]
    N1 = [x + placed[a] for x, a in zip(N0, ids)]
    before = {a: share(x, y) for a, x, y in zip(ids, n0, N0)}
    after = {a: share(x, y) for a, x, y in zip(ids, n1, N1)}
    P = sum(placed.values())
    largest = max(ids, key=lambda a: (after[a], -ids.index(a)))

    def at_cap(shares, caps):
        return sum(1 for k in shares if shares[k] >= caps[k] - 1e-9)

    acap = {a: area_cap(areas[a]) for a in ids}
    inst = {}
    for kind, table, children, enrolled, bilingual in (
            ("schools", schools, school_children, "pupils", "bilingual_pupils"),
            ("daycares", daycares, daycare_children, "children",
             "bilingual_children")):
        rows = {}
        for i, r in table.items():
            e, b, c = int(r[enrolled]), int(r[bilingual]), children[i]
            rows[i] = {"share_before": share(b, e),
                       "share_after": share(b + c, e + c),
                       "cap": inst_cap(r), "placed_children": c}
        inst[kind] = rows

    limits = policy["max_minutes"]
    within = 0
    for p in proposals:
        ok = True
        for t in TRIPS:
            m = number(p["minutes_" + t])
            if m is not None and m > limits[t] + 1e-9:
                ok = False
        within += ok

    return {
        "areas": {a: {"placed": placed[a], "share_before": before[a],
                      "share_after": after[a], "cap": acap[a]} for a in ids},
        "schools": inst["schools"], "daycares": inst["daycares"],
        "indices": {
            "dissimilarity": {"before": dissimilarity(n0, N0),
                              "after": dissimilarity(n1, N1)},
            "hhi": sum((x / P) ** 2 for x in placed.values()) if P else 0.0,
            "largest_area_share": {"area_id": largest,
                                   "share": after[largest]},
            "areas_at_or_over_cap": {"before": at_cap(before, acap),
                                     "after": at_cap(after, acap),
                                     "of": len(ids)},
            "schools_at_or_over_cap": {
                "before": at_cap({k: v["share_before"] for k, v in inst["schools"].items()},
                                 {k: v["cap"] for k, v in inst["schools"].items()}),
                "after": at_cap({k: v["share_after"] for k, v in inst["schools"].items()},
                                {k: v["cap"] for k, v in inst["schools"].items()}),
                "of": len(schools)},
            "daycares_at_or_over_cap": {
                "before": at_cap({k: v["share_before"] for k, v in inst["daycares"].items()},
                                 {k: v["cap"] for k, v in inst["daycares"].items()}),
                "after": at_cap({k: v["share_after"] for k, v in inst["daycares"].items()},
                                {k: v["cap"] for k, v in inst["daycares"].items()}),
                "of": len(daycares)},
            "housed_within_travel_limits": {
                "households": within, "housed": len(proposals),
                "share": within / len(proposals) if proposals else 0.0},
            "housed": {"households": len(proposals), "of": len(households),
                       "share": share(len(proposals), len(households))},
        },
    }


def compare(path, want, got, problems):
    """Every value of `want` (nested dicts) in `got`, numbers within EPS."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            problems.append("%s: %r is not an object" % (path, got))
            return
        for k, v in want.items():
            compare("%s.%s" % (path, k), v, got.get(k), problems)
    elif isinstance(want, float) or isinstance(got, float):
        if not isinstance(got, (int, float)) or abs(got - want) > EPS:
            problems.append("%s = %r, expected %r" % (path, got, want))
    elif got != want:
        problems.append("%s = %r, expected %r" % (path, got, want))


# ---------------------------------------------------------------------------
# Numbers as the page writes them (explain.c's bp_text_number)
# ---------------------------------------------------------------------------

def text_number(v, decimals, trim, lang):
    digits = "%.*f" % (decimals, abs(v))
    whole, _, frac = digits.partition(".")
    if trim:
        frac = frac.rstrip("0")
    group = "." if lang == "da" else ","
    parts = []
    while len(whole) > 3:
        parts.insert(0, whole[-3:])
        whole = whole[:-3]
    parts.insert(0, whole)
    out = ("-" if v < 0 and digits.strip("0.") else "") + group.join(parts)
    if frac:
        out += ("," if lang == "da" else ".") + frac
    return out


def text_percent(v, decimals, trim, lang):
    return text_number(100 * v, decimals, trim, lang) + (
        "\u00a0%" if lang == "da" else "%")


# How each figure on the page is written.
FIGURE_FORMAT = {
    "indices.dissimilarity.before": lambda v, l: text_number(v, 2, 0, l),
    "indices.dissimilarity.after": lambda v, l: text_number(v, 2, 0, l),
    "indices.hhi": lambda v, l: text_number(v, 2, 0, l),
    "indices.largest_area_share.share": lambda v, l: text_percent(v, 1, 0, l),
    "indices.housed_within_travel_limits.share":
        lambda v, l: text_percent(v, 1, 1, l),
    "indices.housed.share": lambda v, l: text_percent(v, 1, 1, l),
}
for _k in ("areas", "schools", "daycares"):
    for _w in ("before", "after"):
        FIGURE_FORMAT["indices.%s_at_or_over_cap.%s" % (_k, _w)] = \
            lambda v, l: text_number(v, 0, 0, l)
FIGURE_FORMAT["counts.housed"] = lambda v, l: text_number(v, 0, 0, l)
FIGURE_FORMAT["counts.unplaced"] = lambda v, l: text_number(v, 0, 0, l)


def lookup(doc, dotted):
    for part in dotted.split("."):
        doc = doc[part]
    return doc


# ---------------------------------------------------------------------------
# A small DOM from Chromium's --dump-dom
# ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.parts = [], []

    def text(self):
        return "".join(p if isinstance(p, str) else p.text()
                       for p in self.parts)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find_all(self, pred):
        return [n for n in self.walk() if pred(n)]


class DomBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        self.cur.parts.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        self.cur.parts.append(node)

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.parts.append(data)


def parse_dom(text):
    b = DomBuilder()
    b.feed(text)
    b.close()
    return b.root


def chromium_flags(user_dir):
    return ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + user_dir]


def browser_checks(c, exe, page, summary, lang, artifacts):
    """Loads the page in headless Chromium and checks what it rendered."""
    name = "chromium %s" % lang
    user_dir = tempfile.mkdtemp(prefix="boplace_chromium_")
    url = "file://" + os.path.abspath(page)
    try:
        proc = subprocess.run(
            [exe] + chromium_flags(user_dir) +
            ["--enable-logging=stderr", "--v=0", "--dump-dom", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
    except subprocess.TimeoutExpired:
        c.check(name + ": renders", ["chromium --dump-dom timed out"])
        return
    dom_text = proc.stdout.decode("utf-8", "replace")
    log = proc.stderr.decode("utf-8", "replace")
    c.check(name + ": renders", [] if proc.returncode == 0 and
            "<main>" in dom_text else
            ["exit %d, %d bytes of DOM; stderr:\n%s"
             % (proc.returncode, len(dom_text), log[-2000:])])
    if "<main>" not in dom_text:
        return
    console = [l for l in log.splitlines()
               if "CONSOLE" in l or "Uncaught" in l or "Refused to" in l]
    c.check(name + ": no console messages", console)

    dom = parse_dom(dom_text)
    problems = []
    htmls = dom.find_all(lambda n: n.tag == "html")
    if not htmls or htmls[0].attrs.get("lang") != lang:
        problems.append("<html lang> is not %r" % lang)
    for chart in CHARTS:
        figs = dom.find_all(lambda n: n.attrs.get("data-chart") == chart)
        if len(figs) != 1:
            problems.append("%d figures data-chart=%r" % (len(figs), chart))
            continue
        svgs = figs[0].find_all(lambda n: n.tag == "svg")
        shapes = figs[0].find_all(lambda n: n.tag in ("rect", "polygon",
                                                      "circle", "line", "path"))
        if chart == "travel-job" and not summary["travel_minutes"]["job"]["minutes"]:
            continue
        if not svgs or not shapes:
            problems.append("chart %r has %d svg and %d shapes"
                            % (chart, len(svgs), len(shapes)))
    # One bar per area, school and daycare; one dot per proposal's stop.
    for chart, key in (("area-shares", "areas"), ("school-shares", "schools"),
                       ("daycare-shares", "daycares")):
        fig = dom.find_all(lambda n: n.attrs.get("data-chart") == chart)
        bars = fig[0].find_all(lambda n: n.tag == "rect" and
                               n.attrs.get("class") == "after") if fig else []
        if len(bars) != len(summary[key]):
            problems.append("%s: %d bars after, %d %s in summary.json"
                            % (chart, len(bars), len(summary[key]), key))
    areas_drawn = dom.find_all(lambda n: n.tag == "g" and
                               n.attrs.get("class") == "area")
    located = [a for a in summary["areas"] if a["centroid"] is not None]
    if len({n.attrs.get("data-area") for n in areas_drawn}) != len(located):
        problems.append("map draws %d areas, %d have located stops"
                        % (len({n.attrs.get("data-area") for n in areas_drawn}),
                           len(located)))
    for table, key in (("proposals", "proposals"), ("unplaced", "unplaced")):
        t = dom.find_all(lambda n: n.attrs.get("data-table") == table)
        rows = t[0].find_all(lambda n: n.tag == "tr" and
                             "data-household" in n.attrs) if t else []
        want = [x["household_id"] for x in summary[key]]
        got = [r.attrs["data-household"] for r in rows]
        if got != want:
            problems.append("%s table rows %s, summary.json %s"
                            % (table, got, want))
        for r, x in zip(rows, summary[key]):
            if x["reason"][lang] not in " ".join(r.text().split()):
                problems.append("%s %s: the %s reason is not on the page"
                                % (table, x["household_id"], lang))
    c.check(name + ": charts and tables", problems)

    problems = []
    seen = set()
    for n in dom.find_all(lambda n: "data-index" in n.attrs):
        key = n.attrs["data-index"]
        seen.add(key)
        try:
            want = lookup(summary, key)
        except (KeyError, TypeError):
            problems.append("%s: not in summary.json" % key)
            continue
        if key == "case.fingerprint":
            if n.text() != want[:12]:
                problems.append("fingerprint %r, summary.json %r"
                                % (n.text(), want))
            continue
        got = float(n.attrs.get("data-value", "nan"))
        if got != want:
            problems.append("%s: data-value %r, summary.json %r"
                            % (key, got, want))
        fmt = FIGURE_FORMAT.get(key)
        if fmt is None:
            problems.append("%s: no expected format in this test" % key)
        elif n.text() != fmt(want, lang):
            problems.append("%s: shows %r, expected %r"
                            % (key, n.text(), fmt(want, lang)))
    missing = set(FIGURE_FORMAT) - seen
    if missing:
        problems.append("not on the page: %s" % sorted(missing))
    c.check(name + ": figures equal summary.json", problems)

    shot = os.path.join(artifacts, "report-%s.png" % lang)
    if os.path.exists(shot):
        os.unlink(shot)
    user_dir2 = tempfile.mkdtemp(prefix="boplace_chromium_")
    proc = subprocess.run(
        [exe] + chromium_flags(user_dir2) +
        ["--screenshot=" + shot, "--window-size=1240,1754", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
    problems = []
    if not os.path.exists(shot):
        problems.append("no screenshot; exit %d" % proc.returncode)
    else:
        with open(shot, "rb") as f:
            head = f.read(8)
        if head != b"\x89PNG\r\n\x1a\n" or os.path.getsize(shot) < 20000:
            problems.append("%s is not a PNG of a page" % shot)
        else:
            print("     screenshot: %s" % shot)
    c.check(name + ": screenshot", problems)
    shutil.rmtree(user_dir, ignore_errors=True)
    shutil.rmtree(user_dir2, ignore_errors=True)


# ---------------------------------------------------------------------------

def main():
    c = Checks()
    exe = boplace()
    if not os.path.isdir(SAMPLE) or not os.access(exe, os.X_OK):
        c.check("sample and program exist", ["%s / %s" % (SAMPLE, exe)])
        print("%d passed, %d failed" % (c.passed, c.failed))
        return 1
    tmp = tempfile.mkdtemp(prefix="boplace_report_")
    en, en2, da = (os.path.join(tmp, n) for n in ("en", "en2", "da"))
    results = {"en": run("run", SAMPLE, "-o", en),
               "en2": run("run", SAMPLE, "-o", en2),
               "da": run("run", SAMPLE, "-o", da, "--lang", "da")}
    c.check("runs exit 0", ["%s: exit %d: %s" % (k, p.returncode,
                                                  p.stderr.decode()[-500:])
                            for k, p in results.items() if p.returncode])

    problems = []
    for d in (en, da):
        names = sorted(os.listdir(d)) if os.path.isdir(d) else []
        if names != sorted(OUTPUTS):
            problems.append("%s holds %s" % (d, names))
        for n in OUTPUTS:
            p = os.path.join(d, n)
            if os.path.exists(p) and stat.S_IMODE(os.stat(p).st_mode) != 0o600:
                problems.append("%s: mode %o" % (p, stat.S_IMODE(os.stat(p).st_mode)))
    c.check("six files, mode 0600, nothing else", problems)
    if problems:
        print("%d passed, %d failed" % (c.passed, c.failed))
        return 1

    def read(d, n, mode="r"):
        with open(os.path.join(d, n), mode) as f:
            return f.read()

    c.check("same input, same summary.json, report.html, placements.geojson",
            ["%s differs between two runs" % n
             for n in ("summary.json", "report.html", "placements.geojson")
             if read(en, n, "rb") != read(en2, n, "rb")])

    summary = json.loads(read(en, "summary.json"))
    summary_da = json.loads(read(da, "summary.json"))
    problems = []
    if summary.get("summary_format") != 1:
        problems.append("summary_format %r" % summary.get("summary_format"))
    if summary.get("language") != "en" or summary_da.get("language") != "da":
        problems.append("language en/da: %r/%r" % (summary.get("language"),
                                                   summary_da.get("language")))
    a, b = dict(summary), dict(summary_da)
    a.pop("language", None)
    b.pop("language", None)
    if a != b:
        problems.append("the English and Danish summary.json differ beyond "
                        "\"language\"")
    c.check("summary.json: format, language, same in both languages", problems)

    expected = expected_figures(en)
    problems = []
    compare("indices", expected["indices"], summary["indices"], problems)
    c.check("indices equal an independent computation from the CSV files",
            problems)
    print("     D %.4f -> %.4f, HHI %.4f, largest %s %.4f, at cap %s/%s/%s, "
          "within limits %s, housed %s" % (
              summary["indices"]["dissimilarity"]["before"],
              summary["indices"]["dissimilarity"]["after"],
              summary["indices"]["hhi"],
              summary["indices"]["largest_area_share"]["area_id"],
              summary["indices"]["largest_area_share"]["share"],
              summary["indices"]["areas_at_or_over_cap"]["after"],
              summary["indices"]["schools_at_or_over_cap"]["after"],
              summary["indices"]["daycares_at_or_over_cap"]["after"],
              summary["indices"]["housed_within_travel_limits"]["share"],
              summary["indices"]["housed"]["share"]))

    problems = []
    for key in ("areas", "schools", "daycares"):
        rows = {x["id"]: x for x in summary[key]}
        if sorted(rows) != sorted(expected[key]):
            problems.append("%s: ids %s" % (key, sorted(rows)))
            continue
        for i, want in expected[key].items():
            compare("%s[%s]" % (key, i), want, rows[i], problems)
    c.check("areas, schools, daycares: shares before/after, caps, placed",
            problems)

    problems = []
    props = read_table(os.path.join(en, "proposals.csv"))
    props_da = read_table(os.path.join(da, "proposals.csv"))
    unpl = read_table(os.path.join(en, "unplaced.csv"))
    unpl_da = read_table(os.path.join(da, "unplaced.csv"))
    sp, su = summary["proposals"], summary["unplaced"]
    if [(p["household_id"], p["unit_id"], p["area_id"]) for p in props] != \
            [(p["household_id"], p["unit_id"], p["area_id"]) for p in sp]:
        problems.append("proposals differ from proposals.csv")
    else:
        for p, pd, s in zip(props, props_da, sp):
            if s["reason"] != {"en": p["reason"], "da": pd["reason"]}:
                problems.append("%s: reasons differ from the CSV files"
                                % p["household_id"])
            for t in TRIPS:
                if number(p["minutes_" + t]) != s["minutes"][t]:
                    problems.append("%s: minutes %s %r, CSV %r" % (
                        p["household_id"], t, s["minutes"][t],
                        p["minutes_" + t]))
    if [(u["household_id"], u["reason_code"]) for u in unpl] != \
            [(u["household_id"], u["reason_code"]) for u in su]:
        problems.append("unplaced differ from unplaced.csv")
    else:
        for u, ud, s in zip(unpl, unpl_da, su):
            if s["reason"] != {"en": u["reason"], "da": ud["reason"]} or \
                    s["nearest_miss"] != {"en": u["nearest_miss"],
                                          "da": ud["nearest_miss"]}:
                problems.append("%s: sentences differ from unplaced.csv"
                                % u["household_id"])
    counts = summary["counts"]
    if counts["housed"] != len(props) or counts["unplaced"] != len(unpl):
        problems.append("counts %r" % counts)
    by = {}
    for u in unpl:
        by[u["reason_code"]] = by.get(u["reason_code"], 0) + 1
    if {k: v for k, v in counts["by_reason"].items() if v} != by:
        problems.append("by_reason %r, unplaced.csv %r"
                        % (counts["by_reason"], by))
    c.check("proposals and unplaced: the CSV files' rows and sentences, both "
            "languages", problems)

    stops = {s["stop_id"]: s for s in read_table(os.path.join(SAMPLE, "stops.csv"))}
    units = {u["unit_id"]: u for u in read_table(os.path.join(SAMPLE, "units.csv"))}
    problems = []
    try:
        g = json.loads(read(en, "placements.geojson"))
    except ValueError as e:
        g = {}
        problems.append("not JSON: %s" % e)
    if g.get("type") != "FeatureCollection" or "crs" in g:
        problems.append("not a plain FeatureCollection")
    feats = g.get("features", [])
    if [f.get("id") for f in feats] != [p["household_id"] for p in props]:
        problems.append("features %s, proposals %s"
                        % ([f.get("id") for f in feats],
                           [p["household_id"] for p in props]))
    for f, p in zip(feats, props):
        stop = stops[units[p["unit_id"]]["stop_id"]]
        geom = f.get("geometry") or {}
        coords = geom.get("coordinates")
        if f.get("type") != "Feature" or geom.get("type") != "Point" or \
                not isinstance(coords, list) or len(coords) != 2 or \
                not all(isinstance(x, (int, float)) for x in coords):
            problems.append("%s: not a Feature with a Point" % p["household_id"])
            continue
        if abs(coords[0] - number(stop["lon"])) > 1e-9 or \
                abs(coords[1] - number(stop["lat"])) > 1e-9 or \
                not (-180 <= coords[0] <= 180 and -90 <= coords[1] <= 90):
            problems.append("%s: %r is not [lon, lat] of stop %s"
                            % (p["household_id"], coords, stop["stop_id"]))
        props_ = f.get("properties", {})
        if props_.get("household_id") != p["household_id"] or \
                props_.get("unit_id") != p["unit_id"] or \
                props_.get("area_id") != p["area_id"] or \
                props_.get("reason") != p["reason"]:
            problems.append("%s: properties %r" % (p["household_id"], props_))
    c.check("placements.geojson: one Point per proposal at its stop", problems)

    page = read(en, "report.html")
    problems = []
    for needle in ("<!DOCTYPE html>", '<html lang="en">',
                   "Content-Security-Policy", "@media print", "<svg"):
        if needle not in page:
            problems.append("no %r" % needle)
    for bad in ("<script", "http://", "https://", "<link", "<img", "src=",
                "@import", "@font-face", "<iframe"):
        if bad in page:
            problems.append("holds %r" % bad)
    urls = [page[i:i + 12] for i in range(len(page))
            if page.startswith("url(", i) and not page.startswith("url(#", i)]
    if urls:
        problems.append("url() that are not fragments: %s" % urls)
    c.check("report.html is self-contained", problems)

    # boplace report: the same bytes, and the other language.
    before = read(en, "report.html", "rb")
    os.unlink(os.path.join(en, "report.html"))
    p = run("report", en)
    problems = [] if p.returncode == 0 else ["exit %d: %s" % (
        p.returncode, p.stderr.decode())]
    if not problems and read(en, "report.html", "rb") != before:
        problems.append("report.html differs from the run's")
    if not problems and stat.S_IMODE(os.stat(os.path.join(en, "report.html")).st_mode) != 0o600:
        problems.append("report.html is not mode 0600")
    c.check("boplace report OUT_DIR gives the run's report.html", problems)
    other = os.path.join(tmp, "rapport.html")
    p = run("report", en, "--lang", "da", "-o", other)
    problems = [] if p.returncode == 0 else ["exit %d: %s" % (
        p.returncode, p.stderr.decode())]
    if not problems and read(tmp, "rapport.html", "rb") != read(da, "report.html", "rb"):
        problems.append("--lang da differs from the Danish run's report.html")
    c.check("boplace report --lang da gives the Danish run's report.html",
            problems)

    problems = []
    p = run("report", "--help")
    if p.returncode != 0 or b"SYNOPSIS" not in p.stdout:
        problems.append("--help: exit %d" % p.returncode)
    p = run("report")
    if p.returncode != 1:
        problems.append("no OUT_DIR: exit %d, expected 1" % p.returncode)
    p = run("report", en, "--lang", "fr")
    if p.returncode != 1:
        problems.append("--lang fr: exit %d, expected 1" % p.returncode)
    p = run("report", os.path.join(tmp, "nowhere"))
    if p.returncode != 2:
        problems.append("missing summary.json: exit %d, expected 2" % p.returncode)
    broken = os.path.join(tmp, "broken")
    os.mkdir(broken)
    with open(os.path.join(broken, "summary.json"), "w") as f:
        f.write('{\n  "summary_format": 1,\n  "areas": [\n')
    p = run("report", broken)
    err = p.stderr.decode()
    if p.returncode != 2 or not re.search(r"summary\.json:[34]:\d+: error", err) or \
            os.path.exists(os.path.join(broken, "report.html")):
        problems.append("broken summary.json: exit %d, stderr %r"
                        % (p.returncode, err))
    with open(os.path.join(broken, "summary.json"), "w") as f:
        json.dump(dict(summary, areas=[{"id": "A01"}]), f)
    p = run("report", broken)
    if p.returncode != 2 or "areas[0].name: missing" not in p.stderr.decode():
        problems.append("incomplete summary.json: exit %d, stderr %r"
                        % (p.returncode, p.stderr.decode()[-300:]))
    c.check("boplace report: usage 1, damaged input 2, nothing written",
            problems)

    # The page in a browser.
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("CI"):
            c.check("chromium is installed (CI)",
                    ["chromium not on PATH; setup.sh installs it"])
        else:
            print("skip chromium checks: chromium is not installed "
                  "(./setup.sh installs it); CI would fail here")
    else:
        artifacts = os.path.join(build_root(), "artifacts")
        os.makedirs(artifacts, exist_ok=True)
        browser_checks(c, chromium, os.path.join(en, "report.html"), summary,
                       "en", artifacts)
        browser_checks(c, chromium, os.path.join(da, "report.html"),
                       summary_da, "da", artifacts)

    shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
