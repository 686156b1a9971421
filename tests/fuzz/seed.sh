#!/bin/sh
# Builds each fuzz target's seed corpus in the build folder (never committed) from the
# repository's test data and the shared data set:
#   tests/fuzz/seed.sh [BUILD_DIR [SHARED_DATA]]
# defaults: build/fuzz and ../shared/data (relative to the repository root).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/fuzz}
shared=${2:-$root/../shared/data}
seeds=$build/seeds
mkdir -p "$seeds/fuzz_fhir_json" "$seeds/fuzz_fhir_xml" "$seeds/fuzz_gp2gp" \
  "$seeds/fuzz_record_detect" "$seeds/fuzz_ruleset" "$seeds/fuzz_cds_hook"

# copy DEST FILE...: files that exist only (a glob that matched nothing is skipped)
copy() {
  dest=$1
  shift
  for f in "$@"; do
    if [ -f "$f" ]; then cp "$f" "$seeds/$dest/"; fi
  done
}
# smallest N FILE...: the N smallest of the files (large inputs make slow executions)
smallest() {
  n=$1
  shift
  ls -Sr "$@" 2>/dev/null | head -n "$n"
}

copy fuzz_fhir_json "$root"/tests/data/fhir/*.json "$root"/tests/data/fhir/*.ndjson \
  $(smallest 10 "$shared"/synthea/*.json) $(smallest 3 "$shared"/gpconnect/*.json)
copy fuzz_fhir_xml "$root"/tests/data/fhir/*.xml "$root"/tests/data/fhir/official/*.xml
copy fuzz_gp2gp "$root"/tests/data/gp2gp/*.xml $(smallest 4 "$shared"/gp2gp/*.xml)
for target in fuzz_fhir_json fuzz_fhir_xml fuzz_gp2gp; do
  cp "$seeds/$target"/* "$seeds/fuzz_record_detect/"
done
copy fuzz_ruleset "$root"/rulesets/*/*.concord "$root"/tests/data/rulesets/*.concord \
  "$root"/tests/data/fmt/*.concord

# CDS Hooks patient-view calls whose prefetch holds a Synthea record (bench/cds_request.py
# splits it by resource type as the prefetch templates ask; the first byte, '{', chooses
# patient-view).
n=0
for f in "$root"/tests/data/synthea/*.json $(smallest 4 "$shared"/synthea/*.json); do
  python3 "$root/bench/cds_request.py" "$f" > "$seeds/fuzz_cds_hook/call-$n.json"
  n=$((n + 1))
done

for dir in "$seeds"/*; do
  echo "$(basename "$dir"): $(ls "$dir" | wc -l) seeds"
done
