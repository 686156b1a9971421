#!/usr/bin/env python3
"""Writes docs/content-report.md: the shipped rulesets over real records (see content-report.sh).

Inputs: the `concord batch` JSON-lines output and `--summary` file for a folder of FHIR
records, the records themselves (to see what the rulesets do not read: death, age, codes
outside the QOF clusters, medicines, eGFR values) and the QOF code lists. Output: Markdown on
stdout. Only counts and pseudonymous record ids (file names) appear; nothing depends on the
machine, the time it ran or its speed, so the same inputs give the same report.

  content_report.py --date D --summary S.json --results R.jsonl --records DIR --codelists DIR
"""
import argparse
import collections
import csv
import glob
import json
import os
import sys

# Condition codes Synthea emits that matter for a long-term-conditions library but are in no
# QOF cluster (or in another cluster than one might expect), and what the library does.
NOT_IN_CLUSTER_NOTES = {
    "15777000": "Prediabetes: not in DM_COD (CLINICAL 2.4); non-diabetic hyperglycaemia is "
                "NDH_COD 700449008, which the library has no ruleset for. Ignored.",
    "431855005": "CKD stage 1: in CKD1AND2_COD, not CKD_COD (CLINICAL 1.3, R2). Not on the "
                 "CKD register, by design.",
    "431856006": "CKD stage 2: in CKD1AND2_COD, not CKD_COD (CLINICAL 1.3, R2). Not on the "
                 "CKD register, by design.",
    "709044004": "Chronic kidney disease (generic): not in CKD_COD (CLINICAL 1.3). Not on the "
                 "register: the stage is unknown, so a clinician must code the stage.",
    "46177005": "End-stage renal disease: not in CKD_COD snapshot (CLINICAL 1.3). Deliberately "
                "not on the register; stage 5 codes (433146000, 714152005) are.",
    "55822004": "Hyperlipidaemia: not a QOF register condition. Ignored (lipids are checked "
                "for the conditions that need them).",
    "128613002": "Seizure disorder: not in EPIL_COD. Ignored; a clinician should code epilepsy "
                 "if that is the diagnosis.",
    "703151001": "History of single seizure: not epilepsy. Ignored, correctly.",
    "90781000119102": "Microalbuminuria due to type 2 diabetes: not in DM_COD or CKD_COD. "
                      "Ignored (the person is on the diabetes register by another code).",
    "162864005": "Obesity (BMI 30+): not a QOF register condition here. Ignored.",
    "237602007": "Metabolic syndrome: not a register condition. Ignored.",
    "80394007": "Hyperglycaemia: not in DM_COD or NDH_COD. Ignored.",
    "7200002": "Alcoholism: not a QOF register condition (NG56 counts it as a long-term "
               "condition). Ignored.",
    "5602001": "Opioid abuse: not a QOF register condition. Ignored.",
    "82423001": "Chronic pain: not a QOF register condition (NG56 counts it). Ignored.",
    "83664006": "Hypothyroidism: not in this library (no THY cluster in the data). Ignored.",
    "47505003": "Post-traumatic stress disorder: not in DEPR_COD or MH_COD. Ignored.",
    "124171000119105": "Chronic migraine: not a QOF register condition. Ignored.",
    "90560007": "Gout: not a QOF register condition. Ignored.",
    "239873007": "Osteoarthritis of knee: not a QOF register condition. Ignored.",
    "239872002": "Osteoarthritis of hip: not a QOF register condition. Ignored.",
    "201834006": "Osteoarthritis of hand: not a QOF register condition. Ignored.",
}

FLU_CVX = {"140"}
FLU_SNOMED = {"86198006"}
EGFR_LOINC = "33914-3"


def read_codelists(folder):
    """cluster file stem -> set of codes, for the NHS primary care domain reference sets."""
    clusters = {}
    for path in sorted(glob.glob(os.path.join(folder, "nhsd-primary-care-domain-refsets-*.csv"))):
        stem = os.path.basename(path)[len("nhsd-primary-care-domain-refsets-"):-len(".csv")]
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        clusters[stem.upper()] = {r[0] for r in rows[1:] if r}
    return clusters


def years_between(born, on):
    if not born:
        return None
    by, bm, bd = (int(x) for x in born[:10].split("-"))
    y, m, d = (int(x) for x in on.split("-"))
    return y - by - ((m, d) < (bm, bd))


def read_record(path):
    """What the report needs from one FHIR Bundle."""
    with open(path, encoding="utf-8") as f:
        bundle = json.load(f)
    info = {"born": None, "deceased": None, "conditions": [], "last": "", "flu": [],
            "egfr": [], "meds": []}
    for entry in bundle.get("entry", []):
        r = entry.get("resource", {})
        kind = r.get("resourceType")
        for key in ("effectiveDateTime", "occurrenceDateTime", "performedDateTime",
                    "authoredOn", "onsetDateTime", "recordedDate"):
            if isinstance(r.get(key), str):
                info["last"] = max(info["last"], r[key][:10])
        if kind == "Patient":
            info["born"] = r.get("birthDate")
            info["deceased"] = (r.get("deceasedDateTime") or "")[:10] or (
                "yes" if r.get("deceasedBoolean") else None)
        elif kind == "Condition":
            for c in r.get("code", {}).get("coding", []):
                info["conditions"].append(
                    (c.get("code"), c.get("display", ""), "abatementDateTime" in r))
        elif kind == "Immunization":
            for c in r.get("vaccineCode", {}).get("coding", []):
                if c.get("code") in FLU_CVX | FLU_SNOMED:
                    info["flu"].append((r.get("occurrenceDateTime") or "")[:10])
        elif kind == "Observation":
            codes = {c.get("code") for c in r.get("code", {}).get("coding", [])}
            value = r.get("valueQuantity", {}).get("value")
            if EGFR_LOINC in codes and value is not None:
                info["egfr"].append(((r.get("effectiveDateTime") or "")[:10], value))
        elif kind == "MedicationRequest":
            cc = r.get("medicationCodeableConcept", {})
            for c in cc.get("coding", []):
                info["meds"].append((c.get("display", ""), r.get("status", "")))
    return info


def flu_season_start(date):
    y, m, _ = (int(x) for x in date.split("-"))
    return f"{y if m >= 9 else y - 1}-09-01"


def main():
    ap = argparse.ArgumentParser()
    for name in ("date", "summary", "results", "records", "codelists"):
        ap.add_argument("--" + name, required=True)
    a = ap.parse_args()

    with open(a.summary, encoding="utf-8") as f:
        summary = json.load(f)
    results = []
    with open(a.results, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                results.append(json.loads(line))
    results.sort(key=lambda r: r["record"]["source"])
    clusters = read_codelists(a.codelists)
    in_any_cluster = set().union(*clusters.values()) if clusters else set()
    records = {os.path.basename(p): read_record(p)
               for p in sorted(glob.glob(os.path.join(a.records, "*.json")))}

    # Which stage each check happens at, as the review policy stages it.
    stage_of = {}
    for r in results:
        for s in (r.get("review") or {}).get("stages", []):
            for c in s.get("checks", []):
                stage_of[c] = s["kind"]

    out = []
    w = out.append
    w("# Shipped rulesets over the Synthea records")
    w("")
    w("Generated by `scripts/content-report.sh` (which runs `concord batch --summary` over every")
    w("record in the shared data's `synthea/` folder and then `scripts/content_report.py`); do not")
    w("edit by hand. Regenerate after changing `rulesets/`:")
    w("")
    w("```sh")
    w("cmake --build --preset release --target concord")
    w("scripts/content-report.sh            # evaluation date " + a.date)
    w("```")
    w("")
    w(f"Evaluation date **{a.date}** (the records end between 1968 and 2021-03-31; this date")
    w("follows the last entry, so recall is realistic for the living). Records read: "
      f"{summary['records_read']}, failed: {summary['records_failed']}.")
    w("")
    w("The records are Synthea's (US-style, SNOMED CT conditions, LOINC observations, RxNorm")
    w("medicines, CVX vaccines): they test how the library reads a real FHIR export, not how")
    w("many people in England would be on each register.")
    w("")

    # Everyone, and only the people alive on the date (people who have died get no reminder
    # and no review; see "results that look clinically wrong" below).
    living = [r for r in results if not records[r["record"]["source"]]["deceased"]]

    def figures(rs):
        f = collections.Counter()
        for r in rs:
            for c in r["conditions"]:
                f["condition " + c["id"]] += 1
            review = r.get("review")
            f["people"] += 1
            f["suppressed"] += sum(x["status"] == "suppressed" for x in r["reminders"])
            if not review:
                f["none"] += 1
                continue
            f[review["kind"]] += 1
            f["replaces"] += review["replaces"]
            f["checks"] += len(review["checks"])
            # Appointments: one visit per condition for its due tests and one for its due
            # conversation items (each condition reviewed on its own), against the review's
            # tests visit (if it has tests) and its conversation. Referrals (eye screening)
            # are attended elsewhere either way and the letter is not a visit.
            per_condition = collections.defaultdict(set)
            for x in review.get("replaced", []):
                per_condition[x["condition"]].add(stage_of.get(x["check"], "tests"))
            for kinds in per_condition.values():
                f["before"] += ("tests" in kinds) + ("conversation" in kinds)
            f["after"] += any(s["kind"] == "tests" for s in review["stages"]) + 1
        return f

    everyone, alive = figures(results), figures(living)
    assert everyone["replaces"] == summary["reminders"]["single_reminders_replaced"]
    assert everyone["checks"] == summary["reminders"]["review_checks"]

    w("## People per condition")
    w("")
    w("| condition | on the register (all records) | alive on the date |")
    w("|---|---:|---:|")
    for cond, n in sorted(summary["conditions"].items()):
        w(f"| {cond} | {n} | {alive['condition ' + cond]} |")
    counts = collections.Counter(len(r["conditions"]) for r in results)
    w("")
    w("People by number of conditions (all records): " +
      ", ".join(f"{k}: {counts[k]}" for k in sorted(counts)) + ".")
    w("")

    w("## Reviews, reminders and appointments")
    w("")
    w("| measure | all records | alive on the date |")
    w("|---|---:|---:|")
    rows = [
        ("people", "people"),
        ("people due a merged review", "merged"),
        ("people due a single-condition review", "single"),
        ("people with no review (nothing due, or no condition)", "none"),
        ("single-condition reminders the reviews replace", "replaces"),
        ("checks in those reviews", "checks"),
        ("reminders suppressed (PCA, decline, end of life)", "suppressed"),
        ("appointments if each condition is reviewed separately", "before"),
        ("appointments with the reviews (tests visit + conversation)", "after"),
    ]
    for label, key in rows:
        w(f"| {label} | {everyone[key]} | {alive[key]} |")
    w(f"| checks deduplicated (reminders - checks) | {everyone['replaces'] - everyone['checks']} "
      f"| {alive['replaces'] - alive['checks']} |")
    w(f"| appointments saved | {everyone['before'] - everyone['after']} "
      f"| {alive['before'] - alive['after']} |")
    w("")
    w("Appointments are counted as: without Concord, each condition with something due has its")
    w("own tests visit (if a test is due) and its own review conversation (if a conversation item")
    w("is due); with Concord, one tests visit (when the review has tests) and one conversation.")
    w("Eye screening is attended elsewhere in both cases and the letter is not a visit. The")
    w("totals for all records agree with `concord batch --summary`.")
    w("")

    # 3. Codes outside the clusters.
    w("## Synthea condition codes outside the NHS clusters")
    w("")
    people_by_code = collections.defaultdict(set)
    display = {}
    for name, info in records.items():
        for code, disp, _ in info["conditions"]:
            people_by_code[code].add(name)
            display.setdefault(code, disp)
    w("Codes that matter for a long-term-conditions library and what the library does with them")
    w("(people = records with the code):")
    w("")
    w("| code | Synthea's term | people | in a cluster? | what the library does |")
    w("|---|---|---:|---|---|")
    for code in sorted(NOT_IN_CLUSTER_NOTES, key=lambda c: (-len(people_by_code[c]), c)):
        where = sorted(k for k, v in clusters.items() if code in v)
        w(f"| {code} | {display.get(code, '(not in these records)')} | "
          f"{len(people_by_code[code])} | {', '.join(where) if where else 'no'} | "
          f"{NOT_IN_CLUSTER_NOTES[code]} |")
    rest = sorted((c for c in people_by_code
                   if c not in in_any_cluster and c not in NOT_IN_CLUSTER_NOTES),
                  key=lambda c: (-len(people_by_code[c]), c))
    w("")
    w(f"The other {len(rest)} condition codes in the records that are in no cluster are acute")
    w("or non-register problems (infections, injuries, pregnancy, cancers) and are ignored: " +
      "; ".join(f"{c} {display[c]} ({len(people_by_code[c])})" for c in rest[:25]) +
      ("; ..." if len(rest) > 25 else "."))
    w("")

    # 4. Results that look clinically wrong.
    w("## Results that look clinically wrong, and why")
    w("")
    by_source = {r["record"]["source"]: r for r in results}
    deceased_with_review = sorted(s for s, r in by_source.items()
                                  if (r.get("review") or r["reminders"]) and records[s]["deceased"])
    deceased = sorted(s for s in records if records[s]["deceased"])
    w(f"### 1. Reminders or reviews for people who have died ({len(deceased_with_review)} records)")
    w("")
    w(f"{len(deceased)} of the {len(records)} records have `Patient.deceasedDateTime` (or")
    w("`deceasedBoolean`). The FHIR reader reads it, and evaluation on or after the date of death")
    w("lists the person's conditions but raises no reminder and no review (the output says why,")
    w(f"under `deceased`). {len(deceased_with_review)} of them are given a reminder or a review" +
      (": " + ", ".join(f"`{s}` (died {records[s]['deceased']})"
                        for s in deceased_with_review[:12]) +
       (f", and {len(deceased_with_review) - 12} more." if len(deceased_with_review) > 12 else ".")
       if deceased_with_review else "."))
    w("")

    stale = sorted(s for s, r in by_source.items()
                   if r.get("review") and not records[s]["deceased"]
                   and records[s]["last"] and records[s]["last"] < f"{int(a.date[:4]) - 2}{a.date[4:]}")
    w(f"### 2. Living people whose record stops more than two years before the date ({len(stale)})")
    w("")
    w("Everything is overdue because nothing has been recorded for years. That is what the")
    w("rules should say for a registered patient, but such a record usually means the person")
    w("left the practice; registration status is not in the record model. Records: " +
      (", ".join(f"`{s}` (last entry {records[s]['last']})" for s in stale) or "none") + ".")
    w("")

    # Age limits the language cannot express.
    young = []
    for s, r in by_source.items():
        age = years_between(records[s]["born"], a.date)
        ids = {c["id"] for c in r["conditions"]}
        if age is None:
            continue
        if "depression" in ids and age < 18:
            young.append((s, "depression", age, "QOF depression register is 18 or over"))
        if "learning_disability" in ids and age < 14:
            young.append((s, "learning_disability", age, "the LD health check is 14 or over"))
        if "asthma" in ids and age < 6:
            young.append((s, "asthma", age, "AST007 review is 6 or over"))
        if "diabetes" in ids and age < 17:
            young.append((s, "diabetes", age, "DM017 register is 17 or over"))
        if "epilepsy" in ids and age < 18:
            young.append((s, "epilepsy", age, "no age limit is confirmed; a child's epilepsy "
                          "review is usually specialist-led"))
    w(f"### 3. Registers without their age limits ({len(young)})")
    w("")
    w("A condition's register cannot say an age limit yet (the language's `present when` takes a")
    w("diagnosis only), so children are on registers QOF keeps for adults. " +
      (" ".join(f"`{s}`: {cond} at {age} ({why})." for s, cond, age, why in sorted(young))
       if young else "No such record in this data."))
    w("")

    # Flu season approximation.
    season = flu_season_start(a.date)
    flu_wrong = []
    for s, r in by_source.items():
        for x in r["reminders"]:
            if x["check"] == "flu_vaccine" and x["status"] in ("due", "not_due") \
                    and x["last_done"] and x["last_done"] < season:
                flu_wrong.append((s, x["condition"], x["last_done"], x["status"]))
                break
    w(f"### 4. Flu vaccine counted by 12 months, not by season ({len(flu_wrong)})")
    w("")
    w(f"CLINICAL R6.flu: the flu vaccine is due each season from 1 September, so anyone in a risk")
    w(f"group not vaccinated since {season} is `overdue`. The library counts 12 months from the")
    w("last vaccine (the language has no seasonal interval yet), so a vaccine given late last")
    w("season shows as `due` or `not_due`. Records where the two disagree: " +
      (", ".join(f"`{s}` ({c}: last {d}, shown {st})" for s, c, d, st in sorted(flu_wrong))
       or "none") + ".")
    w("")

    # eGFR below 60 without a CKD 3-5 code.
    low_egfr = []
    for s, r in by_source.items():
        ids = {c["id"] for c in r["conditions"]}
        egfr = sorted(records[s]["egfr"])
        if "ckd" in ids or not egfr or records[s]["deceased"]:
            continue
        recent = [v for d, v in egfr[-2:]]
        if len(recent) == 2 and all(v < 60 for v in recent):
            codes = {c for c, _, _ in records[s]["conditions"]}
            hint = ", ".join(sorted(codes & {"431855005", "431856006", "127013003",
                                             "709044004", "46177005"}))
            low_egfr.append((s, egfr[-1], hint))
    w(f"### 5. Two eGFRs below 60 but not on the CKD register ({len(low_egfr)})")
    w("")
    w("The CKD register is by code (CKD_COD, stages 3a-5), as in QOF; the library does not")
    w("diagnose from results. These living people have their last two eGFRs below 60")
    w("mL/min/1.73m2 and no CKD 3-5 code, so the CKD review (and its renal monitoring) is not")
    w("asked for. A practice would review their coding. " +
      (" ".join(f"`{s}`: last eGFR {v:.0f} on {d}" + (f" (codes: {h})" if h else "") + "."
                for s, (d, v), h in sorted(low_egfr)) or "None in this data."))
    w("")

    # Medicines in RxNorm.
    on_warfarin_af = sorted(
        s for s, r in by_source.items()
        if "af" in {c["id"] for c in r["conditions"]}
        and any("warfarin" in m.lower() for m, st in records[s]["meds"]))
    ics_asthma = sorted(
        s for s in records
        if any("fluticasone" in m.lower() for m, st in records[s]["meds"]))
    ast = clusters.get("AST_COD", set())
    asthma_dx_off = sorted(
        s for s, r in by_source.items()
        if any(c in ast and not abated for c, _, abated in records[s]["conditions"])
        and "asthma" not in {c["id"] for c in r["conditions"]})
    w("### 6. Medicine-based rules cannot use these records' medicines")
    w("")
    w("Synthea records medicines in RxNorm; the library's medicine classes are dm+d lists")
    w("(CLINICAL 11), so no medicine in these records matches them. The asthma register needs an")
    w("asthma-related drug (dm+d) in the last 12 months (QOF), so people with an unresolved")
    w(f"asthma diagnosis here are not on it: {len(asthma_dx_off)} "
      f"({', '.join('`' + s + '`' for s in asthma_dx_off) or 'none'}). The rules that depend on")
    w("a medicine class and are not written yet (anticoagulation review, renal monitoring on a")
    w("DOAC, flu for asthma on an inhaled steroid, medication review on an antidepressant,")
    w("bisphosphonate review) would meet the same wall. People with AF on warfarin in these")
    w(f"records (an anticoagulation review would be due): {len(on_warfarin_af)}; people with an")
    w(f"inhaled fluticasone prescription: {len(ics_asthma)}. Matching RxNorm needs a terminology")
    w("map (a plugin), never free text.")
    w("")

    # Checks that are never done in Synthea data.
    never = collections.Counter()
    total = collections.Counter()
    for r in results:
        for x in r["reminders"]:
            total[x["check"]] += 1
            if x["last_done"] is None:
                never[x["check"]] += 1
    w("### 7. Checks that are never recorded in these records")
    w("")
    w("Reminders whose check has no entry at all in the record (so they are `overdue` from")
    w("the start): Synthea does not emit UK care-process codes for these, so the counts say")
    w("more about the data than about care. A real GP record carries them.")
    w("")
    w("| check | reminders | never recorded |")
    w("|---|---:|---:|")
    for check in sorted(total):
        w(f"| {check} | {total[check]} | {never[check]} |")
    w("")
    sys.stdout.write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
