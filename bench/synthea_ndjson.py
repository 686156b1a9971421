#!/usr/bin/env python3
"""Writes FHIR Bulk Data NDJSON for PEOPLE people to stdout, grouped by person (the Patient
line first, then that person's other resources), from the shared Synthea bundles.

Each copy of a bundle is a different person: a new patient id (the first 8 hex digits of the
UUID are the copy's number) and every date moved by a whole number of years (0, 4, 8, 12 or 16
years earlier, in turn per round of the bundles; multiples of 4 keep 29 February a real day).
Each bundle is prepared once, as its text cut around the years of its dates, so that a copy
is a join and a replace: fast enough to feed `concord batch -` without being the bottleneck.

  bench/synthea_ndjson.py PEOPLE [SYNTHEA_FOLDER] > people.ndjson
  bench/synthea_ndjson.py 100000 | concord batch --jobs 2 -
"""
import json
import os
import re
import sys

# A JSON string that starts with a date or dateTime: "YYYY-MM-DD" or "YYYY-MM-DDThh:...".
YEAR = re.compile(r'(?<=")(\d{4})(?=-\d\d-\d\d[T"])')
SHIFTS = (0, 4, 8, 12, 16)


def templates(folder):
    found = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            bundle = json.load(f)
        resources = [e["resource"] for e in bundle.get("entry", []) if "resource" in e]
        ids = [r["id"] for r in resources if r.get("resourceType") == "Patient"]
        if len(ids) != 1:
            continue
        # The Patient line first, then the rest: one person's lines together.
        resources.sort(key=lambda r: r.get("resourceType") != "Patient")
        text = "\n".join(json.dumps(r, separators=(",", ":")) for r in resources) + "\n"
        parts = YEAR.split(text)  # text, year, text, year, ..., text
        years = [int(y) for y in parts[1::2]]
        found.append((ids[0], parts, years))
    return found


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    people = int(sys.argv[1])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shared = os.environ.get("CONCORD_SHARED_DATA", os.path.join(root, "..", "shared", "data"))
    default = os.path.join(shared, "synthea")
    folder = sys.argv[2] if len(sys.argv) > 2 else default
    bundles = templates(folder)
    if not bundles:
        sys.exit(f"no Synthea bundles with one Patient in {folder}")
    out = sys.stdout.buffer
    for k in range(people):
        patient_id, parts, years = bundles[k % len(bundles)]
        shift = SHIFTS[(k // len(bundles)) % len(SHIFTS)]
        if shift:
            parts = parts[:]  # the template stays as it is
            parts[1::2] = [str(y - shift) for y in years]
        text = "".join(parts).replace(patient_id, f"{k:08x}" + patient_id[8:])
        try:
            out.write(text.encode("utf-8"))
        except BrokenPipeError:  # the reader stopped early (| head): not an error here
            sys.stderr.close()
            return


if __name__ == "__main__":
    main()
