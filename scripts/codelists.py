#!/usr/bin/env python3
"""Value sets in the shipped rulesets from the published code lists, and a check that they agree.

The rulesets' register value sets are whole NHS primary care domain reference sets (QOF
clusters) and other published code lists, copied from CSV files (`code,term`). Typing them by
hand invites a lost or mistyped code, so this script writes them and checks them:

  scripts/codelists.py emit NAME FILE.csv [FILE.csv ...] [--system snomed] [--skip CODE ...]
      prints `codes NAME = SYSTEM [...]` holding every code of the files (their union),
      sorted; paste it into a ruleset and run `concord fmt` on the file.

  scripts/codelists.py verify RULESETS_DIR CODELISTS_DIR
      for every `codes` declaration whose comment block just above it says "the whole
      cluster" or "the whole list" and names one or more .csv files, checks that its codes of
      the first system (snomed or dmd) are exactly the union of those files' codes. Prints each
      difference as `file:line: ...` and exits 1 if there is one, 0 otherwise.

CODELISTS_DIR is the shared data's `codelists/` folder (see its PROVENANCE.md); from a
checkout that is `../shared/data/codelists`. The script needs only Python 3's standard library.
"""
import csv
import pathlib
import re
import sys

CSV_NAME = re.compile(r"[A-Za-z0-9_.-]+\.csv")
DECL = re.compile(r"^codes\s+([a-z_][a-z0-9_]*)\s*=\s*(\w+)\s*\[")


def read_codes(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return [row[0].strip() for row in rows[1:] if row and row[0].strip()]


def emit(args):
    system = "snomed"
    skip = set()
    rest = []
    i = 0
    while i < len(args):
        if args[i] == "--system":
            system = args[i + 1]
            i += 2
        elif args[i] == "--skip":
            skip.add(args[i + 1])
            i += 2
        else:
            rest.append(args[i])
            i += 1
    if len(rest) < 2:
        sys.exit("usage: codelists.py emit NAME FILE.csv [FILE.csv ...] [--system S] [--skip CODE]")
    name, files = rest[0], rest[1:]
    codes = sorted({c for f in files for c in read_codes(f)} - skip)
    print(f"codes {name} = {system} [{', '.join(codes)}]")
    return 0


def declarations(path):
    """Yields (line number, name, system, codes of the first system, comment text above)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = DECL.match(line)
        if not m:
            continue
        comment = []
        j = i - 1
        while j >= 0 and lines[j].startswith("#"):
            comment.insert(0, lines[j])
            j -= 1
        body = []
        k = i
        text = line[m.end():]
        while True:
            end = text.find("]")
            if end >= 0:
                body.append(text[:end])
                break
            body.append(text)
            k += 1
            text = lines[k]
        codes = [c.strip() for c in ",".join(body).split(",") if c.strip()]
        yield i + 1, m.group(1), m.group(2), codes, "\n".join(comment)


def verify(args):
    if len(args) != 2:
        sys.exit("usage: codelists.py verify RULESETS_DIR CODELISTS_DIR")
    rulesets, codelists = pathlib.Path(args[0]), pathlib.Path(args[1])
    problems = 0
    checked = 0
    for path in sorted(rulesets.rglob("*.concord")):
        for line, name, system, codes, comment in declarations(path):
            if "whole cluster" not in comment and "whole list" not in comment:
                continue
            files = CSV_NAME.findall(comment)
            if not files:
                print(f"{path}:{line}: '{name}' says it is a whole list but names no .csv file")
                problems += 1
                continue
            expected = set()
            for f in files:
                source = codelists / f
                if not source.exists():
                    print(f"{path}:{line}: '{name}' names {f}, which is not in {codelists}")
                    problems += 1
                    continue
                expected |= set(read_codes(source))
            have = set(codes)
            missing = sorted(expected - have)
            extra = sorted(have - expected)
            checked += 1
            if missing:
                print(f"{path}:{line}: '{name}' lacks {len(missing)} code(s) of "
                      f"{', '.join(files)}: {' '.join(missing)}")
                problems += 1
            if extra:
                print(f"{path}:{line}: '{name}' has {len(extra)} {system} code(s) that "
                      f"{', '.join(files)} does not: {' '.join(extra)}")
                problems += 1
    print(f"{checked} value sets checked against their code lists, {problems} problem(s)")
    return 1 if problems else 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("emit", "verify"):
        print(__doc__)
        return 2
    return emit(sys.argv[2:]) if sys.argv[1] == "emit" else verify(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
