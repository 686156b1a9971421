#!/usr/bin/env python3
"""Writes docs/content-report.md: the shipped rulesets over real records (see content-report.sh).

Inputs: the `concord batch` JSON-lines output and `--summary` file for a folder of FHIR
records, the records themselves (to see what the rulesets do not read: death, age, codes
outside the QOF clusters, medicines, eGFR values) and the QOF code lists. Output: Markdown on
stdout. Only counts and pseudonymous record ids (file names) appear; nothing depends on the
machine, the time it ran or its speed, so the same inputs give the same report.

  content_report.py --date D --summary S.json --results R.jsonl --records DIR --codelists DIR
                    [--season-date D2 --season-results R2.jsonl]

--season-results is a second `concord batch` output for a date inside a flu season (D2), so
that the seasonal flu rule is checked while a season runs even when D falls between seasons.
"""
import argparse
import collections
import csv
import datetime
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

# Reminders carry a condition id; these are not conditions but the reasons for checks raised
# without one (`check ... for frailty >= severe`, CLINICAL R3): their reminders count as
# reminders, never as a condition or a register.
PSEUDO_CONDITIONS = {"frailty"}

# The flu vaccine and its decline, as common/care_processes.concord and common/person.concord
# read them (CVX 140 is what Synthea records carry).
FLU_CVX = {"140"}
FLU_SNOMED = {"86198006"}
FLU_DECLINED = {"315640000"}
# The review policy's gather window (rulesets/reviews/ltc.concord: gather due within 3 months).
GATHER_MONTHS = 3
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
            "flu_declined": [], "egfr": [], "meds": []}
    for entry in bundle.get("entry", []):
        r = entry.get("resource", {})
        kind = r.get("resourceType")
        when = ""
        for key in ("effectiveDateTime", "occurrenceDateTime", "performedDateTime",
                    "authoredOn", "onsetDateTime", "recordedDate"):
            if isinstance(r.get(key), str):
                info["last"] = max(info["last"], r[key][:10])
                when = when or r[key][:10]
        if any(c.get("code") in FLU_DECLINED for c in r.get("code", {}).get("coding", [])):
            info["flu_declined"].append(when)
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


def add_months(date, months):
    y, m, d = (int(x) for x in date.split("-"))
    m += months
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    last = (datetime.date(y + m // 12, m % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return f"{y:04d}-{m:02d}-{min(d, last):02d}"


def flu_expected(info, on):
    """What the seasonal rule (CLINICAL R6.flu, R5.flu, R1) should show for one flu reminder on
    the date `on`, from the record's own vaccinations and declines: (statuses, due date).

    The season in force started on the latest 1 September on or before `on` and runs to the
    31 March after it. During it: vaccinated since its start, `not_due` until next 1 September;
    otherwise `overdue` since its start, or `suppressed` while a decline recorded this season
    is in force. From 1 April to 31 August a missed season is not chased: next 1 September is
    the due date, `due` once it is within the gather window. A reminder the rule shows due or
    overdue may also be suppressed by another adjustment (a condition-scoped PCA); one that is
    done may not (done beats declined, R5)."""
    y, m, _ = (int(x) for x in on.split("-"))
    start = f"{y if m >= 9 else y - 1}-09-01"
    end = f"{int(start[:4]) + 1}-03-31"
    following = f"{int(start[:4]) + 1}-09-01"
    if on > end:
        due = following
        status = "due" if due <= add_months(on, GATHER_MONTHS) else "not_due"
        return ({status, "suppressed"} if status == "due" else {status}), due
    if any(start <= d <= on for d in info["flu"]):
        status = "due" if following <= add_months(on, GATHER_MONTHS) else "not_due"
        return {status}, following
    if any(start <= d <= on for d in info["flu_declined"]):
        return {"suppressed"}, start
    return {"overdue", "suppressed"}, start


def season_name(on):
    """The flu season in force on a date inside one, as 2020/21."""
    y, m = int(on[:4]), int(on[5:7])
    start = y if m >= 9 else y - 1
    return f"{start}/{(start + 1) % 100:02d}"


def flu_findings(results, records, on):
    """Counts of flu reminders by status, and those the seasonal rule disagrees with."""
    counts, wrong = collections.Counter(), []
    for r in results:
        info = records[r["record"]["source"]]
        for x in r["reminders"]:
            if x["check"] != "flu_vaccine":
                continue
            counts[x["status"]] += 1
            statuses, due = flu_expected(info, on)
            given = max((d for d in info["flu"] if d <= on), default=None)
            problems = []
            if x["status"] not in statuses:
                problems.append("expected " + " or ".join(sorted(statuses)))
            if x["due_date"] != due:
                problems.append(f"expected due {due}")
            if x["last_done"] != given:
                problems.append(f"last vaccine in the record {given or 'none'}")
            if problems:
                wrong.append((r["record"]["source"], x["condition"], x["status"],
                              x["due_date"], x["last_done"], "; ".join(problems)))
    return counts, wrong


def main():
    ap = argparse.ArgumentParser()
    for name in ("date", "summary", "results", "records", "codelists"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--season-date")
    ap.add_argument("--season-results")
    a = ap.parse_args()
    if bool(a.season_date) != bool(a.season_results):
        ap.error("--season-date and --season-results go together")

    with open(a.summary, encoding="utf-8") as f:
        summary = json.load(f)
    results = []
    with open(a.results, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                results.append(json.loads(line))
    results.sort(key=lambda r: r["record"]["source"])
    season_results = []
    if a.season_results:
        with open(a.season_results, encoding="utf-8") as f:
            season_results = [json.loads(line) for line in f if line.strip()]
        season_results.sort(key=lambda r: r["record"]["source"])
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
                if c["id"] not in PSEUDO_CONDITIONS:
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
            # are attended elsewhere either way and the letter is not a visit. The severe-
            # frailty medication review (pseudo-condition `frailty`) is one more conversation
            # of its own, as it would be without the merged review.
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
        if cond not in PSEUDO_CONDITIONS:
            w(f"| {cond} | {n} | {alive['condition ' + cond]} |")
    counts = collections.Counter(
        sum(c["id"] not in PSEUDO_CONDITIONS for c in r["conditions"]) for r in results)
    frail_reminders = collections.Counter(
        x["status"] for r in results for x in r["reminders"] if x["condition"] == "frailty")
    w("")
    w("People by number of conditions (all records): " +
      ", ".join(f"{k}: {counts[k]}" for k in sorted(counts)) + ".")
    w("")
    w("Severe frailty is not a condition: its medication review (CLINICAL R3, R6) is a reminder")
    w("for the pseudo-condition `frailty`, counted with the reminders below but in neither")
    w("table of conditions. Frailty reminders in these records: " +
      (", ".join(f"{n} {st}" for st, n in sorted(frail_reminders.items()))
       if frail_reminders else "none (Synthea codes no frailty grade)") + ".")
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
        ("single-condition reminders the reviews replace (severe frailty's included)", "replaces"),
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
    w("is due), and severe frailty's medication review is one more conversation; with Concord,")
    w("one tests visit (when the review has tests) and one conversation.")
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
    w("Every 12-monthly check is overdue because nothing has been recorded for years (the")
    w("seasonal flu vaccine is not chased between seasons). That is what the rules should say")
    w("for a registered patient, but such a record usually means the person left the practice;")
    w("registration status is not in the record model. Records: " +
      (", ".join(f"`{s}` (last entry {records[s]['last']})" for s in stale) or "none") + ".")
    w("")

    # Age limits: those the registers say, and those the rulesets leave out.
    register_young, check_young = [], []
    for s_, r in by_source.items():
        age = years_between(records[s_]["born"], a.date)
        ids = {c["id"] for c in r["conditions"]}
        if age is None:
            continue
        if "diabetes" in ids and age < 17:
            register_young.append((s_, "diabetes", age, "DM017 register is 17 or over"))
        if "depression" in ids and age < 18:
            register_young.append((s_, "depression", age, "the depression register is 18 or over"))
        if "learning_disability" in ids and age < 14:
            check_young.append((s_, "learning_disability", age,
                                "the annual health check is for 14 or over"))
        if "asthma" in ids and age < 6:
            check_young.append((s_, "asthma", age, "the AST007 review is for 6 or over"))
        if "epilepsy" in ids and age < 18:
            check_young.append((s_, "epilepsy", age, "no age limit is confirmed; a child's "
                                "epilepsy review is usually specialist-led"))
    w(f"### 3. Age limits ({len(register_young)} on a register below its age, "
      f"{len(check_young)} asked for checks kept for older people)")
    w("")
    w("The diabetes (17 or over, DM017) and depression (18 or over) registers say their age")
    w("limit (`not age < N`), so nobody younger should be on them: " +
      (" ".join(f"`{x}`: {cond} at {age} ({why})." for x, cond, age, why in
                sorted(register_young)) if register_young else "none in this data.") +
      " A check cannot be limited by age, so the age limits of the asthma review (AST007, 6 or")
    w("over), the learning disability health check (14 or over) and any limit on epilepsy are")
    w("not applied; children on those registers are asked for the adult checks: " +
      (" ".join(f"`{x}`: {cond} at {age} ({why})." for x, cond, age, why in sorted(check_young))
       if check_young else "none in this data."))
    w("")

    # The seasonal flu rule, on the date and on a date inside a season.
    runs = [(a.date, results)]
    if a.season_date and a.season_date != a.date:
        runs.append((a.season_date, season_results))
    flu = [(on, *flu_findings(rs, records, on)) for on, rs in runs]
    flu_wrong = sum(len(wrong) for _, _, wrong in flu)
    w(f"### 4. Seasonal flu vaccine shown against the season ({flu_wrong})")
    w("")
    w("The flu vaccine is due each season from 1 September (CLINICAL R6.flu: `every season from")
    w("1 September`). For every flu reminder the report works out from the record's own flu")
    w("vaccinations (CVX 140, SNOMED CT 86198006) and declines (315640000) what the seasonal rule")
    w("should show. During a season (1 September to 31 March): vaccinated since its 1 September,")
    w("`not_due` until next 1 September; otherwise `overdue` since that 1 September, or")
    w("`suppressed` while a decline recorded this season is in force (R5.flu). From 1 April to")
    w("31 August a missed season is not chased: next 1 September is the due date, and the")
    w(f"reminder is `due` once that is within the {GATHER_MONTHS}-month gather window. A reminder")
    w("the rule shows due or overdue may also be suppressed by a condition's adjustment; one")
    w("that is done may not (R5). The last vaccine shown must be the record's latest." +
      (f" The records are also run on {runs[1][0]}, inside the {season_name(runs[1][0])} season"
       + (f" ({a.date} falls between seasons)." if a.date[5:] > "03-31" and a.date[5:] < "09-01"
          else ".") if len(runs) > 1 else ""))
    w("")
    w("| date | flu reminders | overdue | due | not_due | suppressed | disagreeing |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for on, counts, wrong in flu:
        w(f"| {on} | {sum(counts.values())} | {counts['overdue']} | {counts['due']} | "
          f"{counts['not_due']} | {counts['suppressed']} | {len(wrong)} |")
    w("")
    w("Reminders where the shown status, due date or last vaccine disagree with the season: " +
      ("; ".join(f"{on}: `{x}` ({cond}: shown {st} due {due}, last {last or 'none'}; {why})"
                 for on, _, wrong in flu for x, cond, st, due, last, why in sorted(wrong))
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
        if "af" in {c["id"] for c in r["conditions"]} and not records[s]["deceased"]
        and any("warfarin" in m.lower() and st == "active" for m, st in records[s]["meds"]))
    ics = sorted(
        s for s in records
        if any("fluticasone" in m.lower() and "inhaler" in m.lower()
               for m, st in records[s]["meds"]))
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
    w("bisphosphonate review) would meet the same wall. Living people with AF and an active")
    w(f"warfarin prescription in these records (an anticoagulation review would be due):")
    w(f"{len(on_warfarin_af)}; people with a fluticasone inhaler prescription: {len(ics)}.")
    w("Matching RxNorm needs a terminology map (a plugin), never free text.")
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
    w("Reminders whose check has no entry at all in the record (so they are `overdue`, except")
    w("a flu vaccine between seasons or a new-diagnosis review not yet late): Synthea does not")
    w("emit UK care-process codes for some checks, so the counts say more about the data than")
    w("about care. A real GP record carries them.")
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
