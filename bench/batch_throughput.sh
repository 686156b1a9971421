#!/usr/bin/env bash
# Whole-process throughput of `concord batch` on a large FHIR NDJSON input: the 147 shared
# Synthea bundles repeated, each copy under a new patient id, one resource per line (grouped
# by person, as a Bulk Data export sorted by patient is). Runs --jobs 1 and --jobs 2 under
# /usr/bin/time -v and prints records/s and max RSS. Not run by ctest.
#
#   bench/batch_throughput.sh [PEOPLE] [CONCORD]
#     PEOPLE   how many people to generate (default 10000; ~510 KB of NDJSON each)
#     CONCORD  the binary (default build/release/tools/concord/concord)
#   environment: CONCORD_SHARED_DATA (default ../shared/data), TMPDIR, JOBS (default "1 2")
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
people=${1:-10000}
concord=${2:-$root/build/release/tools/concord/concord}
synthea=${CONCORD_SHARED_DATA:-$root/../shared/data}/synthea
jobs_list=${JOBS:-"1 2"}

[[ -x $concord ]] || { echo "no concord at $concord: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
[[ -d $synthea ]] || { echo "no Synthea data at $synthea (set CONCORD_SHARED_DATA)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/concord-batch-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
input=$work/people.ndjson

echo "generating $people people from $synthea ..."
python3 - "$synthea" "$people" "$input" <<'PY'
import json, os, sys
folder, people, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
templates = []
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        bundle = json.load(f)
    resources = [e["resource"] for e in bundle.get("entry", []) if "resource" in e]
    ids = [r["id"] for r in resources if r.get("resourceType") == "Patient"]
    if len(ids) != 1:
        continue
    # The Patient line first, then the rest: one person's lines together.
    resources.sort(key=lambda r: r.get("resourceType") != "Patient")
    text = "\n".join(json.dumps(r, separators=(",", ":")) for r in resources) + "\n"
    templates.append((ids[0], text))
with open(out_path, "w", encoding="utf-8") as out:
    for k in range(people):
        patient_id, text = templates[k % len(templates)]
        out.write(text.replace(patient_id, f"{k:08x}" + patient_id[8:]))
PY
size=$(du -h "$input" | cut -f1)
echo "input: $people people, $size of NDJSON"
echo "binary: $concord"
cat "$input" >/dev/null  # into the page cache: measure concord, not the disk
printf '%-6s %10s %12s %12s %14s\n' jobs records wall_s records/s max_rss_MiB
for jobs in $jobs_list; do
  /usr/bin/time -v -o "$work/time-$jobs.txt" "$concord" batch --date 2021-11-01 --jobs "$jobs" \
    --summary "$work/summary-$jobs.json" "$input" >/dev/null 2>"$work/stderr-$jobs.txt"
  python3 - "$work/time-$jobs.txt" "$work/summary-$jobs.json" "$jobs" <<'PY'
import json, re, sys
timing = open(sys.argv[1]).read()
summary = json.load(open(sys.argv[2]))
wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", timing).group(1).strip()
seconds = 0.0
for part in wall.split(":"):
    seconds = seconds * 60 + float(part)
rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
records = summary["records_read"]
print(f"{sys.argv[3]:<6} {records:>10} {seconds:>12.2f} {records / seconds:>12.0f} {rss_kib / 1024:>14.1f}")
PY
done
