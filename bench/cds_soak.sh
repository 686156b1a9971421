#!/usr/bin/env bash
# Soak test of `concord serve`: wrk keeps POSTing one Synthea patient's CDS Hooks request for
# MINUTES while the rulesets are reloaded every 10 s (POST /admin/reload from loopback), and
# the server's resident memory is sampled every 10 s. Reports requests, errors (non-2xx and
# socket errors: must be 0), latency percentiles, reloads done, and memory at start, at its
# highest and at the end (must be flat). Not run by ctest.
#
#   bench/cds_soak.sh [MINUTES] [CONCORD]
#     MINUTES  how long (default 10)
#     CONCORD  the binary (default build/release/tools/concord/concord)
#   environment: CONCORD_SHARED_DATA (default ../shared/data), PATIENT (a Synthea file name),
#                CONNECTIONS (default 16), SERVER_THREADS (default 2), PORT (default 18481)
# Exit status: 0 clean, 1 errors or failed reloads, 2 setup.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
minutes=${1:-10}
concord=${2:-$root/build/release/tools/concord/concord}
synthea=${CONCORD_SHARED_DATA:-$root/../shared/data}/synthea
patient=${PATIENT:-99153850-84f1-4de6-9e19-3e0d6eeedeb2.json}
connections=${CONNECTIONS:-16}
port=${PORT:-18481}
url="http://127.0.0.1:$port"

[[ $minutes =~ ^[1-9][0-9]*$ ]] || { echo "MINUTES must be a whole number" >&2; exit 2; }
source "$root/bench/cds_service.sh"
cds_check_tools

work=$(mktemp -d "${TMPDIR:-/tmp}/concord-cds-soak.XXXXXX")
server=
load=
cleanup() {
  [[ -n $load ]] && kill "$load" 2>/dev/null
  [[ -n $server ]] && kill "$server" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cds_start_service

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server/status"; }
echo "soak: $minutes min, $connections connections, a reload every 10 s ($patient)"
start_rss=$(rss_kb)

CDS_BODY="$work/request.json" wrk -t 2 -c "$connections" -d "${minutes}m" --latency \
  -s "$root/bench/cds_post.lua" "$url/cds-services/concord-ltc-review" > "$work/wrk.txt" &
load=$!

reloads=0
failed_reloads=0
peak_rss=$start_rss
samples="$start_rss"
end=$((SECONDS + minutes * 60))
while ((SECONDS < end)) && kill -0 "$load" 2>/dev/null; do
  sleep 10
  if curl -sf -X POST "$url/admin/reload" > /dev/null; then
    reloads=$((reloads + 1))
  else
    failed_reloads=$((failed_reloads + 1))
  fi
  rss=$(rss_kb)
  ((rss > peak_rss)) && peak_rss=$rss
  samples="$samples $rss"
done
wait "$load"
load=
end_rss=$(rss_kb)

summary=$(tail -1 "$work/wrk.txt")
requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")
echo "requests: ${requests:-?}  non-2xx: ${non2xx:-0}  reloads: $reloads (failed $failed_reloads)"
echo "latency and errors: $summary"
echo "memory (RSS): start $((start_rss / 1024)) MiB, peak $((peak_rss / 1024)) MiB, end $((end_rss / 1024)) MiB"
echo "memory samples every 10 s (KiB): $samples"
errors=$(echo "$summary" | sed -n 's/.*errors \([0-9]*\).*/\1/p')
if [[ ${non2xx:-0} != 0 || ${errors:-1} != 0 || $failed_reloads != 0 ]]; then
  echo "soak: FAILED (errors, non-2xx responses or failed reloads)" >&2
  exit 1
fi
