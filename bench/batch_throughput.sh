#!/usr/bin/env bash
# Whole-process throughput of `concord batch` on a large FHIR NDJSON input: the 147 shared
# Synthea bundles repeated, each copy a new person (a new patient id, its dates moved by whole
# years; bench/synthea_ndjson.py), one resource per line, grouped by person (as a Bulk Data
# export sorted by patient is). Runs --jobs 1 and --jobs 2 under /usr/bin/time -v and prints
# records/s and max RSS. Not run by ctest.
#
#   bench/batch_throughput.sh [PEOPLE] [CONCORD]
#     PEOPLE   how many people to generate (default 10000; ~480 KB of NDJSON each)
#     CONCORD  the binary (default build/release/tools/concord/concord)
#   environment: CONCORD_SHARED_DATA (default ../shared/data), TMPDIR, JOBS (default "1 2"),
#     STREAM=1: write no file; pipe the generator into `concord batch -` (no disk, for
#     100,000 people and more), after timing the generator alone (TIME_GENERATOR=0: do not
#     time it; at 100,000 people that alone takes over 20 minutes)
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
generate=("$root/bench/synthea_ndjson.py" "$people" "$synthea")
stream=${STREAM:-0}

if [[ $stream == 1 && ${TIME_GENERATOR:-1} == 0 ]]; then
  echo "streaming $people people from $synthea (the generator not timed alone)"
elif [[ $stream == 1 ]]; then
  # The generator alone: it must outpace concord. It first prepares the 147 bundles (a few
  # seconds), then writes; the rate counts the whole run.
  echo "timing the generator alone: $people people ..."
  /usr/bin/time -f "%e" -o "$work/generator-prepare.txt" "$root/bench/synthea_ndjson.py" 0 "$synthea"
  /usr/bin/time -f "%e" -o "$work/generator-time.txt" "${generate[@]}" | wc -c >"$work/generator-bytes.txt"
  python3 - "$work/generator-prepare.txt" "$work/generator-time.txt" "$work/generator-bytes.txt" \
    "$people" <<'PY'
import sys
prepare = float(open(sys.argv[1]).read().split()[-1])
seconds = float(open(sys.argv[2]).read().split()[-1])
size = int(open(sys.argv[3]).read())
people = int(sys.argv[4])
writing = max(seconds - prepare, 1e-3)
print(f"generator: {people} people, {size / 1e9:.2f} GB in {seconds:.1f} s ({prepare:.1f} s "
      f"preparing): {people / writing:.0f} people/s, {size / 1e6 / writing:.0f} MB/s after that")
PY
else
  input=$work/people.ndjson
  echo "generating $people people from $synthea ..."
  "${generate[@]}" >"$input"
  size=$(du -h "$input" | cut -f1)
  echo "input: $people people, $size of NDJSON"
  cat "$input" >/dev/null  # into the page cache: measure concord, not the disk
fi
echo "binary: $concord"
printf '%-6s %10s %10s %10s %10s %12s %12s\n' jobs records wall_s records/s cpu_s records/cpu_s max_rss_MiB
for jobs in $jobs_list; do
  run=(/usr/bin/time -v -o "$work/time-$jobs.txt" "$concord" batch --date 2021-11-01 --jobs "$jobs"
    --no-progress --summary "$work/summary-$jobs.json")
  if [[ $stream == 1 ]]; then
    # concord starts once the generator has its first line ready, so that its time is
    # concord's own and not the generator's preparation.
    "${generate[@]}" | {
      IFS= read -r first
      { printf '%s\n' "$first"; exec cat; } | "${run[@]}" - >/dev/null 2>"$work/stderr-$jobs.txt"
    }
  else
    "${run[@]}" "$input" >/dev/null 2>"$work/stderr-$jobs.txt"
  fi
  python3 - "$work/time-$jobs.txt" "$work/summary-$jobs.json" "$jobs" <<'PY'
import json, re, sys
timing = open(sys.argv[1]).read()
summary = json.load(open(sys.argv[2]))
wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", timing).group(1).strip()
seconds = 0.0
for part in wall.split(":"):
    seconds = seconds * 60 + float(part)
rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
# On a shared machine the wall clock counts the other processes too: CPU time does not.
cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", timing).group(1))
          for kind in ("User", "System"))
records = summary["records_read"]
print(f"{sys.argv[3]:<6} {records:>10} {seconds:>10.1f} {records / seconds:>10.0f} {cpu:>10.1f} "
      f"{records / cpu:>12.1f} {rss_kib / 1024:>12.1f}")
PY
done
