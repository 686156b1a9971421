#!/usr/bin/env bash
# Load test of `concord serve`: wrk POSTs one Synthea patient's CDS Hooks patient-view request
# (with its prefetch) to POST /cds-services/concord-ltc-review over loopback and reports
# requests/s and p50/p90/p99 latency, at 64 connections and at fewer. Not run by ctest.
#
#   bench/cds_wrk.sh [SECONDS] [CONCORD]
#     SECONDS  length of each run (default 15)
#     CONCORD  the binary (default build/release/tools/concord/concord)
#   environment: CONCORD_SHARED_DATA (default ../shared/data), PATIENT (a Synthea file name),
#                CONNECTIONS (default "64 16 4 1"), SERVER_THREADS (default 2), WRK_THREADS (2)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-15}
concord=${2:-$root/build/release/tools/concord/concord}
synthea=${CONCORD_SHARED_DATA:-$root/../shared/data}/synthea
patient=${PATIENT:-99153850-84f1-4de6-9e19-3e0d6eeedeb2.json}
connections=${CONNECTIONS:-"64 16 4 1"}
port=${PORT:-18480}

source "$root/bench/cds_service.sh"
cds_check_tools

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
