#!/usr/bin/env python3
"""Writes sct2_Description_Snapshot-en_TEST_20210602.txt from the GP Connect records.

Every SNOMED CT coding in those records names the description the clinician picked in its
Extension-coding-sctdescid (descriptionId, descriptionDisplay) beside the concept id. Each such
pair becomes one RF2 description row. Only the id, conceptId and term columns hold data; the
other columns are placeholders (see PROVENANCE.md).

    tests/data/terminology/descriptions_from_gpconnect.py ../shared/data/gpconnect OUT.txt
"""
import json
import pathlib
import sys

COLUMNS = ["id", "effectiveTime", "active", "moduleId", "conceptId", "languageCode", "typeId",
           "term", "caseSignificanceId"]


def pairs_in(node, found):
    if isinstance(node, dict):
        if node.get("system") == "http://snomed.info/sct" and "code" in node:
            for ext in node.get("extension", []):
                if not ext.get("url", "").endswith("Extension-coding-sctdescid"):
                    continue
                parts = {e.get("url"): e for e in ext.get("extension", [])}
                description = parts.get("descriptionId", {}).get("valueId")
                term = parts.get("descriptionDisplay", {}).get("valueString") or node.get("display")
                if description:
                    known = found.setdefault(description, (node["code"], term))
                    if known[0] != node["code"]:
                        sys.exit(f"description {description} names two concepts")
        for value in node.values():
            pairs_in(value, found)
    elif isinstance(node, list):
        for value in node:
            pairs_in(value, found)


def main():
    source, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    found = {}
    for bundle in sorted(source.glob("*.json")):
        pairs_in(json.loads(bundle.read_text(encoding="utf-8")), found)
    rows = ["\t".join(COLUMNS)]
    for description, (concept, term) in sorted(found.items(), key=lambda kv: int(kv[0])):
        rows.append("\t".join([description, "20210602", "1", "TEST", concept, "en", "TEST",
                               term, "TEST"]))
    out.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))


if __name__ == "__main__":
    main()
