#!/usr/bin/env python3
"""Bad input, one class at a time, through `boplace check` and `boplace run`.

Each check copies the tiny valid case in data/bad/valid to a temporary
directory, breaks one thing, runs `$BOPLACE check CASE_DIR` and asserts the
exit status (2 = invalid input, 0 = valid with warnings) and that stderr
holds the exact `file:line:column: error: message` line a coordinator would
read.  Fixtures that are easier to keep as files live in data/bad/<name>/
and are laid over the copy.  The valid case itself must pass first.

Every check that expects exit 2 then also runs `$BOPLACE run CASE_DIR -o OUT`
twice: once with an OUT that already holds last week's outputs and other
files (sentinels), which must come out byte for byte untouched (same names,
bytes, modes, inodes and modification times), and once with an OUT that
does not exist yet, which must not be created.  The run must exit 2 and
print the same lines: "nothing written" is part of every bad-input class.

Environment (set by tests/meson.build): BOPLACE, the program;
BOPLACE_SOURCE, the source tree.  Standard library only.  The last line
printed is "N passed, M failed"; the exit status is non-zero on a failure.
"""
import os
import shutil
import subprocess
import sys
import tempfile

BOPLACE = os.environ.get("BOPLACE", "build/solver/boplace")
SOURCE = os.environ.get(
    "BOPLACE_SOURCE", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(SOURCE, "tests", "data", "bad")
VALID = os.path.join(DATA, "valid")

UTF8_HINT = "re-save the file as UTF-8 (in Excel: 'CSV UTF-8')"


# --------------------------------------------------------------------------
# Editing a case
# --------------------------------------------------------------------------

class Case:
    """A writable copy of the valid case."""

    def __init__(self, root):
        self.dir = os.path.join(root, "case")
        shutil.copytree(VALID, self.dir)

    def path(self, name):
        return os.path.join(self.dir, name)

    def read(self, name):
        with open(self.path(name), "rb") as f:
            return f.read()

    def write(self, name, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(self.path(name), "wb") as f:
            f.write(data)

    def replace(self, name, old, new, count=1):
        """Replaces text that must occur in the file."""
        data = self.read(name)
        old_b = old.encode("utf-8") if isinstance(old, str) else old
        new_b = new.encode("utf-8") if isinstance(new, str) else new
        if old_b not in data:
            raise AssertionError(f"{name} does not contain {old!r}")
        self.write(name, data.replace(old_b, new_b, count))

    def append(self, name, text):
        data = self.read(name)
        if not data.endswith(b"\n"):
            data += b"\n"
        self.write(name, data + text.encode("utf-8"))

    def remove(self, name):
        os.remove(self.path(name))


def run_check(case_dir, *extra):
    result = subprocess.run([BOPLACE, "check", case_dir, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return result.returncode, result.stderr.decode("utf-8", "replace")


def run_run(case_dir, out_dir, *extra):
    result = subprocess.run([BOPLACE, "run", case_dir, "-o", out_dir, *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return result.returncode, result.stderr.decode("utf-8", "replace")


# Last week's outputs and what else a coordinator keeps beside them.
SENTINELS = {
    "proposals.csv": b"household_id,unit_id\nSENTINEL,last week\n",
    "unplaced.csv": b"household_id,reason_code,reason\nSENTINEL,LOCK,old\n",
    "proposals.json": b'{"sentinel": "last week"}\n',
    "history.csv": b"sentinel ledger line\n",
    "notes/meeting.txt": "Møde tirsdag\n".encode("utf-8"),
}


def make_sentinel_out(out_dir):
    for name, data in SENTINELS.items():
        path = os.path.join(out_dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o640)


def snapshot(top):
    """Every entry under top: name -> (type, mode, inode, mtime, bytes)."""
    entries = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            data = None
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as f:
                    data = f.read()
            entries[os.path.relpath(path, top)] = (
                st.st_mode, st.st_ino, st.st_mtime_ns, data)
    st = os.lstat(top)
    entries["."] = (st.st_mode, st.st_ino, st.st_mtime_ns, None)
    return entries


def compare_snapshots(before, after):
    """What changed between two snapshots, as messages."""
    out = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            out.append(f"OUT/{name} disappeared")
        elif name not in before:
            out.append(f"OUT/{name} appeared")
        elif before[name] != after[name]:
            what = [w for w, a, b in zip(("mode", "inode", "mtime", "bytes"),
                                         before[name], after[name]) if a != b]
            out.append(f"OUT/{name} changed ({', '.join(what)})")
    return out


# --------------------------------------------------------------------------
# The checks: (name, how to break the case, expected status, expected lines)
# --------------------------------------------------------------------------

CHECKS = []


def check(name, status=2, lines=(), absent=(), problems=None, args=()):
    """Registers a check; the decorated function breaks the case."""
    def register(breaker):
        CHECKS.append((name, breaker, status, list(lines), list(absent),
                       problems, args))
        return breaker
    return register


@check("valid case", status=0)
def _(case):
    pass


# Files -------------------------------------------------------------------

@check("missing file", lines=["units.csv: error: required file not found"])
def _(case):
    case.remove("units.csv")


@check("missing optional files are fine", status=0)
def _(case):
    for name in ("locks.csv", "scores.csv", "daycares.csv", "policy.json"):
        case.remove(name)
    case.replace("areas.csv", "SK1,D1,", "SK1,,")


@check("empty file", lines=[
    "households.csv: error: the file is empty; it needs at least a header row"])
def _(case):
    case.write("households.csv", "")


@check("file of only a BOM and blank lines", lines=[
    "schools.csv: error: the file is empty; it needs at least a header row"])
def _(case):
    case.write("schools.csv", b"\xef\xbb\xbf\r\n  \r\n")


@check("header-only required file", problems=1, lines=[
    "stops.csv: error: the file has a header but no rows; stops.csv needs at least one"])
def _(case):
    case.write("stops.csv", "stop_id,name,lat,lon\n")


@check("header-only optional file", status=0)
def _(case):
    case.write("locks.csv", "household_id,unit_id,action\n")
    case.write("scores.csv", "household_id,area_id,score\n")


@check("file larger than 256 MiB", lines=[
    "households.csv: error: the file is larger than 256 MiB (268435457 bytes); "
    "split the case or check that this is the right file"])
def _(case):
    # A sparse file: the reader must refuse it from its size alone.
    with open(case.path("households.csv"), "r+b") as f:
        f.truncate(256 * 1024 * 1024 + 1)


@check("file that is a directory", lines=["units.csv: error: not a regular file"])
def _(case):
    case.remove("units.csv")
    os.mkdir(case.path("units.csv"))


@check("case directory missing", problems=1, lines=[
    "boplace: error: case directory '{case}' does not exist"])
def _(case):
    shutil.rmtree(case.dir)


@check("NUL byte in a text field", lines=[
    "destinations.csv:3:3: error: name: text is not valid UTF-8 (byte 0x00); "
    + UTF8_HINT])
def _(case):
    case.replace("destinations.csv", "Traumeklinik", b"Trauma\x00klinik")


# Header ------------------------------------------------------------------

@check("missing column", lines=["units.csv:1:0: error: missing required column 'rent'"])
def _(case):
    case.replace("units.csv", ",rent,", ",husleje,")


@check("column name in the wrong case", lines=[
    "areas.csv:1:0: error: missing required column 'households' (found "
    "'Households'; column names are case-sensitive)"])
def _(case):
    case.replace("areas.csv", ",households,", ",Households,")


@check("duplicate column", lines=[
    "links.csv:1:4: error: duplicate column 'minutes' (also column 3)"])
def _(case):
    case.write("links.csv", "from_stop,to_stop,minutes,minutes\nS1,S2,10,11\n")


@check("unknown column is a warning", status=0, lines=[
    "units.csv:1:14: warning: unknown column 'colour', ignored"])
def _(case):
    rows = case.read("units.csv").decode().splitlines()
    rows = [rows[0] + ",colour"] + [r + ",red" for r in rows[1:]]
    case.write("units.csv", "\n".join(rows) + "\n")


# Structure ---------------------------------------------------------------

@check("ragged row", lines=[
    "units.csv:3:12: error: expected 13 fields (as in the header), found 12"])
def _(case):
    case.replace("units.csv", "U2,A1,S2,3,2,5200.50,private,,,,Blok B,,",
                 "U2,A1,S2,3,2,5200.50,private,,,,Blok B,")


@check("unterminated quote", lines=[
    "stops.csv:5:2: error: unterminated quote: the quoted field that begins on "
    "line 5 has no closing quote"])
def _(case):
    case.replace("stops.csv", "S3,Høje Kolstrup,", 'S3,"Høje Kolstrup,')


@check("stray quote", lines=[
    "destinations.csv:2:3: error: name: stray quote in an unquoted field; "
    "enclose the field in quotes and double the quote (\"\")"])
def _(case):
    case.replace("destinations.csv", "Sprogcenter Aabenraa", 'Sprogcenter "Aabenraa"')


@check("text not valid UTF-8", lines=[
    "households.csv:3:8: error: language: text is not valid UTF-8 (byte 0xE6); "
    + UTF8_HINT])
def _(case):
    case.replace("households.csv", ",uk,G1,", b",uk\xe6,G1,")


@check("UTF-16 file", lines=[
    "areas.csv: error: the file is UTF-16 text, not UTF-8; " + UTF8_HINT])
def _(case):
    case.write("areas.csv", b"\xff\xfe" + case.read("areas.csv").decode().encode("utf-16-le"))


@check("over-long line", lines=[
    "units.csv:4:1: error: line is longer than 64 KiB; is this a CSV file?"])
def _(case):
    case.replace("units.csv", "U3,A2,S3,8,4,7800,public,1,6,0,Blok A,,",
                 "U3,A2,S3,8,4,7800,public,1,6,0,Blok A," + "x" * 70000 + ",")


# Types and ranges --------------------------------------------------------

@check("wrong type", lines=[
    'units.csv:2:5: error: rooms: expected a whole number >= 1, found "tre"'])
def _(case):
    case.replace("units.csv", "U1,A1,S2,5,3,", "U1,A1,S2,5,tre,")


@check("negative number", lines=[
    'units.csv:2:4: error: walk_minutes: expected a decimal number >= 0, found "-5"'])
def _(case):
    case.replace("units.csv", "U1,A1,S2,5,", "U1,A1,S2,-5,")


@check("negative count", lines=[
    'households.csv:4:2: error: adults: expected a whole number >= 0, found "-1"'])
def _(case):
    case.replace("households.csv", "F3,1,", "F3,-1,")


@check("NaN", lines=[
    'units.csv:3:6: error: rent: expected a decimal number > 0, found "NaN"'])
def _(case):
    case.replace("units.csv", "5200.50", "NaN")


@check("infinity", lines=[
    'links.csv:3:3: error: minutes: expected a decimal number > 0, found "inf"'])
def _(case):
    case.replace("links.csv", "S1,S3,12.5,", "S1,S3,inf,")


@check("hex number", lines=[
    'households.csv:2:5: error: max_rent: expected a decimal number > 0, found "0x1B58"'])
def _(case):
    case.replace("households.csv", "F1,2,1,1,7000,", "F1,2,1,1,0x1B58,")


@check("trailing garbage", lines=[
    'schools.csv:3:4: error: free_seats: expected a whole number >= 0, found "5 pladser"'])
def _(case):
    case.replace("schools.csv", "SK2,Kongehøjskolen,S3,5,", 'SK2,Kongehøjskolen,S3,5 pladser,')


@check("zero minutes", lines=[
    'links.csv:2:3: error: minutes: expected a decimal number > 0, found "0"'])
def _(case):
    case.replace("links.csv", "S1,S2,10,", "S1,S2,0,")


@check("share above 1", lines=[
    'areas.csv:3:7: error: max_newcomer_share: expected a decimal number from 0 '
    'to 1, found "1.5"'])
def _(case):
    case.replace("areas.csv", ",0.10,", ",1.5,")


@check("latitude out of range", lines=[
    'stops.csv:2:3: error: lat: expected a decimal number from -90 to 90, found "95.0443"'])
def _(case):
    case.replace("stops.csv", "55.0443", "95.0443")


@check("bad flag", lines=[
    'households.csv:5:6: error: step_free: expected 0 or 1 (or yes/no, '
    'true/false, ja/nej), found "måske"'])
def _(case):
    case.replace("households.csv", "F4,2,0,2,8000,1,", "F4,2,0,2,8000,måske,")


@check("bad date", lines=[
    'units.csv:2:13: error: available_from: expected a date YYYY-MM-DD, found '
    '"2025-02-30" (no such day)'])
def _(case):
    case.replace("units.csv", "2025-01-01", "2025-02-30")


@check("unknown unit kind", lines=[
    'units.csv:4:7: error: kind: expected one of public, private, senior, shared, '
    'transit, found "villa"'])
def _(case):
    case.replace("units.csv", "7800,public,", "7800,villa,")


@check("empty required field", lines=[
    "households.csv:3:5: error: max_rent: expected a decimal number > 0, found an empty field"])
def _(case):
    case.replace("households.csv", "F2,1,0,0,4000,", "F2,1,0,0,,")


# Identifiers and references ----------------------------------------------

@check("duplicate id", lines=[
    "units.csv:6:1: error: duplicate unit_id 'U1' (first on line 2)"])
def _(case):
    case.append("units.csv", "U1,A2,S3,1,2,5000,public,,,,,,\n")


@check("dangling reference", lines=[
    "units.csv:4:2: error: unknown area_id 'A9' (not in areas.csv)"])
def _(case):
    case.replace("units.csv", "U3,A2,", "U3,A9,")


@check("dangling optional reference", lines=[
    "households.csv:2:10: error: unknown job_stop 'S99' (not in stops.csv)"])
def _(case):
    case.replace("households.csv", ",ar,,S1,", ",ar,,S99,")


@check("reference to a missing optional file", lines=[
    "areas.csv:2:6: error: unknown daycare_id 'D1' (there is no daycares.csv)"])
def _(case):
    case.remove("daycares.csv")


@check("required destination unreachable from every unit", problems=2, lines=[
    "destinations.csv:2:1: error: no unit can reach any destination of kind "
    "'language_school' over links.csv, but households with adults must; check "
    "the stops and links",
    "destinations.csv:3:1: error: no unit can reach any destination of kind "
    "'health' over links.csv, but households with needs_health must; check the "
    "stops and links"])
def _(case):
    # The language school and the clinic are at S1; the units at S2 and S3.
    case.write("links.csv", "from_stop,to_stop,minutes,both_ways\nS2,S3,15,1\n")
    case.remove("locks.csv")


@check("required destination kind missing", problems=1, lines=[
    "destinations.csv: error: no destination of kind 'language_school', but "
    "households with adults must reach one"])
def _(case):
    case.write("destinations.csv",
               "dest_id,kind,name,stop_id\nH1,health,Traumeklinik,S1\n")
    case.remove("locks.csv")


# Consistency -------------------------------------------------------------

@check("more newcomers than households", lines=[
    "areas.csv:2:4: error: newcomer_households (600) is more than households (500)"])
def _(case):
    case.replace("areas.csv", "A1,Nørre Kvarter,500,20,", "A1,Nørre Kvarter,500,600,")


@check("more bilingual pupils than pupils", lines=[
    "schools.csv:2:6: error: bilingual_pupils (250) is more than pupils (200)"])
def _(case):
    case.replace("schools.csv", "S2,10,200,20,", "S2,10,200,250,")


@check("more bilingual children than children", lines=[
    "daycares.csv:2:6: error: bilingual_children (41) is more than children (40)"])
def _(case):
    case.replace("daycares.csv", ",40,5,", ",40,41,")


@check("household without persons", lines=[
    "households.csv:5:2: error: a household needs at least one person (adults, "
    "children_0_5 and children_6_16 are all 0)"])
def _(case):
    case.replace("households.csv", "F4,2,0,2,", "F4,0,0,0,")


@check("places on a unit that is not shared", lines=[
    "units.csv:4:8: error: places: 2 places, but only a unit of kind 'shared' "
    "can have more than one (this one is 'public')"])
def _(case):
    case.replace("units.csv", "7800,public,1,", "7800,public,2,")


@check("link from a stop to itself is a warning", status=0, lines=[
    "links.csv:5:2: warning: link from stop 'S2' to itself, ignored"])
def _(case):
    case.append("links.csv", "S2,S2,1,1\n")


@check("duplicate score", lines=[
    "scores.csv:4:1: error: duplicate score for household 'F1' in area 'A1' "
    "(first on line 2)"])
def _(case):
    case.append("scores.csv", "F1,A1,0.9\n")


# Locks -------------------------------------------------------------------

@check("two contradicting place locks", lines=[
    "locks.csv:4:1: error: this lock places household 'F1' in unit 'U3', which "
    "contradicts the lock on line 2 (unit 'U1'); a household gets one unit"])
def _(case):
    case.append("locks.csv", "F1,U3,place\n")


@check("place and forbid on one pair", lines=[
    "locks.csv:4:3: error: this 'forbid' lock contradicts the lock on line 2, "
    "which places household 'F1' in unit 'U1'"])
def _(case):
    case.append("locks.csv", "F1,U1,forbid\n")


@check("more place locks than places", lines=[
    "locks.csv:4:2: error: unit 'U1' has 1 place, but this is 'place' lock "
    "number 2 on it (the first is on line 2)"])
def _(case):
    case.append("locks.csv", "F4,U1,place\n")


@check("lock on an ineligible pair", problems=1, lines=[
    "locks.csv:4:1: error: the lock places household 'F2' in unit 'U3', but the "
    "pair breaks the hard rule(s): rooms_max, rent; remove the lock or correct "
    "the data"])
def _(case):
    case.append("locks.csv", "F2,U3,place\n")


@check("lock on unknown household", lines=[
    "locks.csv:4:1: error: unknown household_id 'F9' (not in households.csv)"])
def _(case):
    case.append("locks.csv", "F9,U1,forbid\n")


@check("lock on unknown unit", lines=[
    "locks.csv:4:2: error: unknown unit_id 'U9' (not in units.csv)"])
def _(case):
    case.append("locks.csv", "F2,U9,forbid\n")


@check("unknown lock action", lines=[
    'locks.csv:4:3: error: action: expected one of place, forbid, found "maybe"'])
def _(case):
    case.append("locks.csv", "F2,U3,maybe\n")


# Policy ------------------------------------------------------------------

@check("policy syntax error", lines=[
    "policy.json:3:1: error: JSON syntax error at '}' (a ',' or ':' missing, or "
    "one too many?)"])
def _(case):
    case.write("policy.json", '{\n  "max_newcomer_share": 0.2,\n}\n')


@check("policy unterminated string", lines=[
    "policy.json:2:15: error: JSON syntax error: the string that begins here "
    "has no closing '\"'"])
def _(case):
    case.write("policy.json", '{\n  "language": "da\n}\n')


@check("policy wrong type", lines=[
    'policy.json:2:19: error: max_minutes.school: expected a number >= 0, found "fyrre"'])
def _(case):
    case.write("policy.json", '{\n  "max_minutes": {"school": "fyrre"}\n}\n')


@check("policy negative minutes", lines=[
    "policy.json:1:18: error: max_minutes.daycare: expected a number >= 0, found -10"])
def _(case):
    case.write("policy.json", '{"max_minutes": {"daycare": -10}}')


@check("policy share above 1", lines=[
    "policy.json:2:3: error: max_bilingual_share: expected a number from 0 to 1, found 30"])
def _(case):
    case.write("policy.json", '{\n  "max_bilingual_share": 30\n}\n')


@check("policy object of the wrong type", lines=[
    "policy.json:1:2: error: max_minutes: expected an object ({...}), found 30",
    "policy.json:1:21: error: weights: expected an object ({...}), found an array"])
def _(case):
    case.write("policy.json", '{"max_minutes": 30, "weights": [1, 2]}')


@check("policy flag of the wrong type", lines=[
    'policy.json:1:2: error: allow_transit: expected true or false, found "yes"'])
def _(case):
    case.write("policy.json", '{"allow_transit": "yes"}')


@check("policy whole number with a fraction", lines=[
    "policy.json:1:2: error: min_cluster: expected a whole number >= 0, found 2.5"])
def _(case):
    case.write("policy.json", '{"min_cluster": 2.5}')


@check("policy number too large to be finite", lines=[
    "policy.json:1:2: error: time_limit_s: expected a number > 0, found inf"])
def _(case):
    case.write("policy.json", '{"time_limit_s": 1e999}')


@check("policy null value", lines=[
    'policy.json:1:2: error: language: expected "en" or "da", found null'])
def _(case):
    case.write("policy.json", '{"language": null}')


@check("policy that is not an object", lines=[
    'policy.json:1:1: error: the policy must be a JSON object ({ "key": value, ... })'])
def _(case):
    case.write("policy.json", '[1]')


@check("policy empty file", lines=[
    "policy.json: error: the file is empty; write {} for no changes"])
def _(case):
    case.write("policy.json", " \n")


@check("policy text after the object", lines=[
    "policy.json:2:1: error: JSON syntax error: text after the end of the "
    "policy object"])
def _(case):
    case.write("policy.json", '{"min_cluster": 2}\n{"min_cluster": 3}\n')


@check("policy unclosed brace", lines=[
    "policy.json:1:1: error: JSON syntax error: the '{' here is never closed"])
def _(case):
    case.write("policy.json", '{\n  "weights": {"spread": 1}\n')


@check("policy duplicate key", lines=[
    "policy.json:3:3: error: duplicate key 'min_cluster' (first on line 2)"])
def _(case):
    case.write("policy.json", '{\n  "min_cluster": 2,\n  "min_cluster": 3\n}\n')


@check("policy not UTF-8", lines=[
    "policy.json:1:16: error: text is not valid UTF-8 (byte 0xE6); re-save the "
    "file as UTF-8"])
def _(case):
    case.write("policy.json", b'{"language": "d\xe6"}')


@check("policy file larger than 1 MiB", lines=[
    "policy.json: error: the file is larger than 1024 KiB (1048586 bytes)"])
def _(case):
    case.write("policy.json", '{"x": "' + "a" * (1024 * 1024) + '"}\n')


@check("policy override file missing", lines=["{root}/none.json: error: file not found"],
       args=("--policy", "{root}/none.json"))
def _(case):
    pass


@check("policy bad language", lines=[
    'policy.json:1:2: error: language: expected "en" or "da", found "de"'])
def _(case):
    case.write("policy.json", '{"language": "de"}')


@check("unknown policy key is a warning", status=0, lines=[
    "policy.json:2:3: warning: unknown key 'max_newcomer_shares', ignored",
    "policy.json:3:28: warning: unknown key 'weights.distance', ignored"])
def _(case):
    case.write("policy.json",
               '{\n  "max_newcomer_shares": 0.1,\n  "weights": {"spread": 1, '
               '"distance": 2}\n}\n')


@check("policy override is named as given", lines=[
    "{override}:1:2: error: max_newcomer_share: expected a number from 0 to 1, found -1"],
    args=("--policy", "{override}"))
def _(case):
    pass  # the override file is written by run_one


# Everything at once ------------------------------------------------------

@check("every problem in one run", problems=6, lines=[
    "units.csv: error: required file not found",
    "areas.csv:2:4: error: newcomer_households (600) is more than households (500)",
    'households.csv:3:5: error: max_rent: expected a decimal number > 0, found "NaN"',
    "schools.csv:2:6: error: bilingual_pupils (250) is more than pupils (200)",
    "stops.csv:6:1: error: duplicate stop_id 'S1' (first on line 2)",
    "policy.json:1:2: error: time_limit_s: expected a number > 0, found 0"])
def _(case):
    case.remove("units.csv")
    case.replace("areas.csv", "A1,Nørre Kvarter,500,20,", "A1,Nørre Kvarter,500,600,")
    case.replace("households.csv", "F2,1,0,0,4000,", "F2,1,0,0,NaN,")
    case.replace("schools.csv", "S2,10,200,20,", "S2,10,200,250,")
    case.append("stops.csv", "S1,Busstation igen,,\n")
    case.write("policy.json", '{"time_limit_s": 0}')


# The other dialect -------------------------------------------------------

@check("semicolons, BOM, CRLF, decimal comma", status=0)
def _(case):
    shutil.rmtree(case.dir)
    shutil.copytree(os.path.join(SOURCE, "tests", "data", "read", "semicolon"),
                    case.dir)


@check("decimal comma in a comma-separated file", lines=[
    'units.csv:3:6: error: rent: expected a decimal number > 0, found "5200,50" '
    "(a decimal comma is only allowed in files separated by ';')"])
def _(case):
    case.replace("units.csv", "5200.50", '"5200,50"')


@check("thousands separator", lines=[
    'units.csv:3:6: error: rent: expected a decimal number > 0, found "5.200,50" '
    "(write numbers without thousands separators)"])
def _(case):
    data = case.read("units.csv").decode()
    data = data.replace(",", ";").replace("5200.50", "5.200,50")
    case.write("units.csv", data)


# --------------------------------------------------------------------------

def run_one(name, breaker, status, lines, absent, problems, args):
    with tempfile.TemporaryDirectory(prefix="boplace-bad-") as root:
        case = Case(root)
        breaker(case)
        override = os.path.join(root, "override.json")
        with open(override, "w") as f:
            f.write('{"max_newcomer_share": -1}')
        def fill(text):
            return (text.replace("{override}", override)
                    .replace("{case}", case.dir).replace("{root}", root))
        args = [fill(a) for a in args]
        lines = [fill(line) for line in lines]
        code, stderr = run_check(case.dir, *args)
        problems_found = check_output(code, stderr, status, lines, absent,
                                      problems)
        if status == 2:
            problems_found += check_run_writes_nothing(
                root, case.dir, args, lines, absent, problems)
    return problems_found, stderr


def check_run_writes_nothing(root, case_dir, args, lines, absent, problems):
    """`boplace run` on the broken case: exit 2, the same messages, an
    existing OUT untouched and a missing OUT not created."""
    found = []
    out_dir = os.path.join(root, "out")
    make_sentinel_out(out_dir)
    before = snapshot(out_dir)
    code, stderr = run_run(case_dir, out_dir, *args)
    for problem in check_output(code, stderr, 2, lines, absent, problems):
        found.append(f"run: {problem}")
    found += [f"run: {p}" for p in compare_snapshots(before, snapshot(out_dir))]
    fresh = os.path.join(root, "fresh-out")
    code, _ = run_run(case_dir, fresh, *args)
    if code != 2:
        found.append(f"run into a new OUT: exit status {code}, expected 2")
    if os.path.lexists(fresh):
        found.append("run into a new OUT: the directory was created")
    return found


def check_output(code, stderr, status, lines, absent, problems):
    problems_found = []
    if code != status:
        problems_found.append(f"exit status {code}, expected {status}")
    got = stderr.splitlines()
    for line in lines:
        if line not in got:
            problems_found.append(f"missing line: {line}")
    if status == 0 and any(": error: " in line for line in got):
        problems_found.append("an error was reported")
    if problems is not None:
        summary = f"boplace: {problems} problem{'s' if problems != 1 else ''} found; "
        if not any(line.startswith(summary) for line in got):
            problems_found.append(f"expected exactly {problems} problem(s)")
    for line in absent:
        if line in got:
            problems_found.append(f"unexpected line: {line}")
    return problems_found


def main():
    if not os.path.exists(BOPLACE):
        print(f"no program at {BOPLACE}")
        return 1
    passed = failed = 0
    for name, breaker, status, lines, absent, problems, args in CHECKS:
        try:
            problems_found, stderr = run_one(name, breaker, status, lines, absent,
                                             problems, args)
        except Exception as error:  # a broken check is a failed check
            problems_found, stderr = [f"{type(error).__name__}: {error}"], ""
        if problems_found:
            failed += 1
            print(f"FAIL {name}")
            for problem in problems_found:
                print(f"     {problem}")
            for line in stderr.splitlines()[:30]:
                print(f"     | {line}")
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
