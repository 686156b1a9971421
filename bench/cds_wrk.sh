#!/usr/bin/env bash
# Load test of `concord serve`: wrk POSTs one Synthea patient's CDS Hooks patient-view request
# (with its prefetch) to POST /cds-services/concord-ltc-review over loopback and reports
# requests/s and p50/p90/p99 latency, at 64 connections and at fewer. wrk sends as fast as the
# service answers (saturation); RATES also runs concord_cds_load, which sends at a fixed rate
# and counts each request's latency from when it was due. Not run by ctest.
#
#   bench/cds_wrk.sh [SECONDS] [CONCORD]
#     SECONDS  length of each run (default 15)
#     CONCORD  the binary (default build/release/tools/concord/concord)
#   environment: CONCORD_SHARED_DATA (default ../shared/data), PATIENT (a Synthea file name),
#                CONNECTIONS (default "64 16 4 1"; "" for no wrk runs), SERVER_THREADS
#                (default 2), WRK_THREADS (2), RATES (requests/s for fixed-rate runs after
#                the wrk runs, e.g. "500 1000"; default none), LOAD_CONNECTIONS (default 32),
#                LOAD (default build/release/bench/concord_cds_load)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-15}
concord=${2:-$root/build/release/tools/concord/concord}
synthea=${CONCORD_SHARED_DATA:-$root/../shared/data}/synthea
patient=${PATIENT:-99153850-84f1-4de6-9e19-3e0d6eeedeb2.json}
connections=${CONNECTIONS-"64 16 4 1"}
rates=${RATES:-}
load=${LOAD:-$root/build/release/bench/concord_cds_load}
port=${PORT:-18480}

source "$root/bench/cds_service.sh"
if [[ -n $connections ]]; then cds_check_tools; else cds_check_tools no-wrk; fi
if [[ -n $rates && ! -x $load ]]; then
  echo "no concord_cds_load at $load: cmake --build --preset release --target concord_cds_load" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/concord-cds-bench.XXXXXX")
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

cds_start_service
echo "request body: $(wc -c < "$work/request.json") bytes ($patient)"
cards=$(curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$work/request.json" \
  "http://127.0.0.1:$port/cds-services/concord-ltc-review" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["cards"]))')
echo "cards in one response: $cards"

for c in $connections; do
  printf '%3d connections: ' "$c"
  threads=${WRK_THREADS:-2}
  ((threads > c)) && threads=$c
  CDS_BODY="$work/request.json" wrk -t "$threads" -c "$c" -d "${seconds}s" --latency \
    -s "$root/bench/cds_post.lua" "http://127.0.0.1:$port/cds-services/concord-ltc-review" | tail -1
done

for r in $rates; do
  printf '%4d/s fixed: ' "$r"
  "$load" --port "$port" --target /cds-services/concord-ltc-review --body "$work/request.json" \
    --rate "$r" --seconds "$seconds" --warmup 2 --connections "${LOAD_CONNECTIONS:-32}"
done

# The service's memory after the runs (the review links it keeps are most of what grows).
kept=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^concord_review_cache_entries /{print $2}')
printf 'service memory: %s resident, %s at most; %s reviews kept for card links\n' \
  "$(awk '/^VmRSS/{print $2, $3}' "/proc/$server/status")" \
  "$(awk '/^VmHWM/{print $2, $3}' "/proc/$server/status")" "$kept"
