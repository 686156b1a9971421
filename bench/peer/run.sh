#!/usr/bin/env bash
# The side-by-side benchmark of Concord with the HL7 CQL engine (cql-execution + cql-exec-fhir):
# the same two questions, the same records, one machine, one run. See bench/peer/README.md and
# docs/performance.md.
#
#   bench/peer/run.sh [--records N] [--cql-records M] [--date YYYY-MM-DD] [--keep DIR]
#
#   --records N      how many varied records to generate from the 147 Synthea ones (10000)
#   --cql-records M  give the CQL engine only the first M of them (default: all N); Concord
#                    still evaluates all N, and answers are compared on the M
#   --date           the evaluation date (2022-01-01)
#   --keep DIR       generate into DIR and keep it (default: a temporary folder, removed)
# Environment: BUILD (the CMake build folder, build/release), CONCORD_SHARED_DATA (../shared/data).
# Exit status: 0 same answers everywhere, 1 the engines disagree (the ids are printed), 2 setup.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${BUILD:-$root/build/release}"
shared="${CONCORD_SHARED_DATA:-$root/../shared/data}"
records=10000
cql_records=""
date=2022-01-01
keep=""

die() { echo "run.sh: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --records) records="${2:?--records needs a number}"; shift 2 ;;
    --cql-records) cql_records="${2:?--cql-records needs a number}"; shift 2 ;;
    --date) date="${2:?--date needs YYYY-MM-DD}"; shift 2 ;;
    --keep) keep="${2:?--keep needs a folder}"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[[ "$records" =~ ^[1-9][0-9]*$ ]] || die "--records takes a positive number"
[[ -z "$cql_records" || "$cql_records" =~ ^[1-9][0-9]*$ ]] || die "--cql-records takes a positive number"
[[ -d "$shared/synthea" ]] || die "no Synthea records in $shared/synthea (set CONCORD_SHARED_DATA)"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed (node 18 or later)"

# 1. The CQL engine, exactly as locked in package-lock.json.
stamp="$here/node_modules/.concord-lock.sha256"
lock_sum="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  echo "== npm ci (cql-execution, cql-exec-fhir)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$stamp"
fi

# 2. The Concord side.
echo "== building concord_peer_bench in $build"
[[ -f "$build/CMakeCache.txt" ]] || (cd "$root" && cmake --preset release >/dev/null)
cmake --build "$build" --target concord_peer_bench >/dev/null
bench="$build/bench/concord_peer_bench"

# 3. The varied records.
if [[ -n "$keep" ]]; then
  work="$keep"; mkdir -p "$work"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/concord-peer.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
fi
generated="$work/records-$records"
if [[ ! -f "$generated/.complete" ]]; then
  echo "== generating $records records from the 147 Synthea records into $generated"
  rm -rf "$generated"
  node "$here/generate.js" --count "$records" --seed 1 --out "$generated" "$shared/synthea"
  touch "$generated/.complete"
fi

# 4. Both engines on both record sets, then the comparison.
status=0
compare() {  # title, input, cql limit
  local title="$1" input="$2" limit="$3" tag="$4"
  echo "== $title: Concord"
  "$bench" --date "$date" --out "$work/concord-$tag.json" "$input"
  echo "== $title: CQL engine${limit:+ (first $limit records)}"
  node "$here/cql_bench.js" --date "$date" --out "$work/cql-$tag.json" ${limit:+--limit "$limit"} "$input"
  node "$here/report.js" --title "$title" "$work/concord-$tag.json" "$work/cql-$tag.json" \
    >> "$work/report.txt" || status=1
}
: > "$work/report.txt"
compare "Synthea records" "$shared/synthea" "" synthea
compare "Varied records" "$generated" "$cql_records" varied

# 5. What it ran on.
{
  echo
  echo "evaluation date $date"
  echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores available"
  echo "node $(node --version), npm $(npm --version)," \
    "cql-execution $(node -p "require('$here/node_modules/cql-execution/package.json').version")," \
    "cql-exec-fhir $(node -p "require('$here/node_modules/cql-exec-fhir/package.json').version")"
  echo "Concord: $(node -p "const r=require('$work/concord-synthea.json'); r.compiler + ', ' + r.build_type")"
} >> "$work/report.txt"
echo
cat "$work/report.txt"
exit "$status"
