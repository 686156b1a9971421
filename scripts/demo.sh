#!/usr/bin/env bash
# The main job on a fresh machine: set up and build, then run Concord's shipped rulesets on
# the shipped sample record (a Synthea patient with diabetes and hypertension) and print
# the merged review. Extra arguments go to `concord run` (e.g. --format json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" release
exec "$root/build/release/tools/concord/concord" run \
  --rulesets "$root/rulesets" --date 2021-11-01 "$@" \
  "$root/tests/data/synthea/cd9e9826-aea1-4682-adc0-c1d97633bf31.json"
