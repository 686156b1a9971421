# Sourced by the CDS Hooks service benchmarks (cds_wrk.sh, cds_soak.sh): checks what they need
# and starts `concord serve --insecure-dev` on loopback with one Synthea patient's request.
# The caller sets: root, concord, synthea, patient, port, work; this sets `server` (the pid)
# and writes $work/request.json and $work/serve.log.

# `cds_check_tools no-wrk` when the caller does not run wrk.
cds_check_tools() {
  [[ -x $concord ]] || { echo "no concord at $concord: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
  [[ -f $synthea/$patient ]] || { echo "no Synthea patient $synthea/$patient (set CONCORD_SHARED_DATA)" >&2; exit 2; }
  [[ ${1:-} == no-wrk ]] || command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 2; }
}

cds_start_service() {
  python3 "$root/bench/cds_request.py" "$synthea/$patient" > "$work/request.json"
  "$concord" serve --insecure-dev --listen "127.0.0.1:$port" --threads "${SERVER_THREADS:-2}" \
    --feedback-file "$work/feedback.jsonl" > /dev/null 2> "$work/serve.log" &
  server=$!
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the service did not start:" >&2
  cat "$work/serve.log" >&2
  exit 2
}
