#!/usr/bin/env python3
"""Turns a FHIR R4 Bundle (e.g. a Synthea patient) into a CDS Hooks 2.0 patient-view request
whose prefetch holds the resources under the keys `concord serve` advertises.

    bench/cds_request.py BUNDLE.json > request.json
"""
import json
import sys
import uuid

KEYS = {
    "Condition": "conditions",
    "Observation": "observations",
    "MedicationStatement": "medicationStatements",
    "MedicationRequest": "medicationRequests",
    "Procedure": "procedures",
    "Immunization": "immunizations",
    "Flag": "flags",
    "Goal": "goals",
}


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        bundle = json.load(f)
    searchsets = {key: [] for key in KEYS.values()}
    patient = None
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {})
        kind = resource.get("resourceType")
        if kind == "Patient":
            patient = resource
        elif kind in KEYS:
            searchsets[KEYS[kind]].append({"resource": resource})
    if patient is None:
        print(f"{sys.argv[1]}: no Patient resource in the Bundle", file=sys.stderr)
        return 2
    prefetch = {"patient": patient}
    for key, entries in searchsets.items():
        prefetch[key] = {"resourceType": "Bundle", "type": "searchset",
                         "total": len(entries), "entry": entries}
    request = {"hook": "patient-view", "hookInstance": str(uuid.uuid4()),
               "context": {"userId": "Practitioner/example", "patientId": patient["id"]},
               "prefetch": prefetch}
    json.dump(request, sys.stdout, separators=(",", ":"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
