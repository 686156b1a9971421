#!/usr/bin/env python3
"""Checks that every test the hazard log cites as evidence exists, so that renaming or
deleting a test cannot silently remove a safety control's evidence.

usage: hazard_log_evidence.py SOURCE_DIR HAZARD_LOG CTEST_NAMES_FILE
Citations it understands (in backticks):
  `tests/PATH.cpp: Suite.Name`, then more `Suite.Name` in the same table cell: GoogleTest
  `rulesets/tests/FILE.concordtest: "name"`, then more `"name"` in the same cell: ruleset tests
  `cli.name`, `abi.name`, `packaging.name`: ctest names (CTEST_NAMES_FILE: `ctest -N` output)
Exit 0 when all exist; 1 listing each missing one and where it is cited.
"""
import re
import sys

CITATION = re.compile(r'`([^`]+)`|"([^"]+)"')
GTEST = re.compile(r'^(tests/\S+\.(?:cpp|cc)): (\w+)\.(\w+)$')
RULESET = re.compile(r'^(rulesets/tests/[\w/]+\.concordtest): "(.+)"$')
BARE_GTEST = re.compile(r'^(\w+)\.(\w+)$')
CTEST = re.compile(r'^(?:cli|abi|packaging)\.[a-z0-9_]+$')


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, log, ctest_file = sys.argv[1:]
    with open(ctest_file, encoding="utf-8") as f:
        ctests = set(re.findall(r"Test +#\d+: (\S+)", f.read()))
    files = {}

    def text(path):
        if path not in files:
            try:
                with open(f"{source}/{path}", encoding="utf-8") as f:
                    files[path] = f.read()
            except OSError:
                files[path] = None
        return files[path]

    problems, cited = [], 0
    with open(log, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for number, line in enumerate(lines, 1):
        for cell in line.split("|"):
            gtest_file = ruleset_file = None
            for match in CITATION.finditer(cell):
                code, quoted = match.groups()
                where = f"{log}:{number}"
                if code is not None and len(code) > 1 and code[0] == code[-1] == '"':
                    code, quoted = None, code[1:-1]
                if quoted is not None:  # a further ruleset test name in the same cell
                    if ruleset_file is not None:
                        cited += 1
                        body = text(ruleset_file) or ""
                        if f'test "{quoted}"' not in body:
                            problems.append(f'{where}: {ruleset_file} has no test "{quoted}"')
                    continue
                if m := GTEST.match(code):
                    gtest_file, ruleset_file = m.group(1), None
                    suite, name = m.group(2), m.group(3)
                elif m := RULESET.match(code):
                    ruleset_file, gtest_file = m.group(1), None
                    cited += 1
                    body = text(ruleset_file)
                    if body is None:
                        problems.append(f"{where}: no file {ruleset_file}")
                    elif f'test "{m.group(2)}"' not in body:
                        problems.append(f'{where}: {ruleset_file} has no test "{m.group(2)}"')
                    continue
                elif CTEST.match(code):
                    cited += 1
                    if code not in ctests:
                        problems.append(f"{where}: no ctest test {code}")
                    continue
                elif (m := BARE_GTEST.match(code)) and gtest_file is not None:
                    suite, name = m.group(1), m.group(2)
                else:
                    gtest_file = ruleset_file = None
                    continue
                cited += 1
                body = text(gtest_file)
                if body is None:
                    problems.append(f"{where}: no file {gtest_file}")
                elif not re.search(rf"\bTEST(?:_F|_P)?\(\s*{suite}\s*,\s*{name}\s*\)", body):
                    problems.append(f"{where}: {gtest_file} has no test {suite}.{name}")
    if cited == 0:
        problems.append(f"{log}: cites no tests at all; is the citation format still `file: Suite.Name`?")
    for p in problems:
        print(p)
    print(f"{cited} citations checked, {len(problems)} missing")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
