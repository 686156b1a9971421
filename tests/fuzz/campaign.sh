#!/bin/sh
# Runs every fuzz target for SECONDS each (default 60), one after another at low priority,
# and prints per target: executions, coverage (edges and features), findings.
#   cmake --preset fuzz && cmake --build --preset fuzz
#   tests/fuzz/campaign.sh [SECONDS] [TARGET...]
# Corpora grow in build/fuzz/corpus/<target> (seeded by seed.sh); findings (crash-, leak-,
# timeout-, oom- files) go to build/fuzz/findings/<target>, logs to build/fuzz/logs.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/fuzz
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-fuzz_fhir_json fuzz_fhir_xml fuzz_gp2gp fuzz_record_detect fuzz_ruleset fuzz_cds_hook}

"$root/tests/fuzz/seed.sh" "$build" > /dev/null
mkdir -p "$build/logs"
printf '%-20s %12s %8s %10s %s\n' target executions edges features findings
status=0
for target in $targets; do
  binary=$build/tests/fuzz/$target
  if [ ! -x "$binary" ]; then
    echo "$target: not built (cmake --build --preset fuzz --target $target)" >&2
    status=1
    continue
  fi
  corpus=$build/corpus/$target
  findings=$build/findings/$target
  log=$build/logs/$target.log
  mkdir -p "$corpus" "$findings"
  # -timeout: an input taking 10 s is a hang; leaks are reported by LeakSanitizer.
  nice -n 10 "$binary" "$corpus" "$build/seeds/$target" -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" \
    > "$log" 2>&1 || true
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -n 1 || true)
  edges=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  features=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
  found=$(ls "$findings" | wc -l)
  [ "$found" -gt 0 ] && status=1
  printf '%-20s %12s %8s %10s %s\n' "$target" "${executions:-?}" "${edges:-?}" \
    "${features:-?}" "$found"
done
exit $status
