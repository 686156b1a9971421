#!/usr/bin/env bash
# Runs the shipped rulesets over every Synthea record in the shared data and writes
# docs/content-report.md (people per condition, merged reviews, reminders replaced, checks
# deduplicated, appointments saved, Synthea codes outside the NHS clusters, and results that
# look clinically wrong, with why).
#   scripts/content-report.sh [DATE]        DATE: evaluation date, default 2021-04-01
# The seasonal flu check also runs the records on a date inside a flu season: DATE itself when
# it falls between 1 September and 31 March, otherwise the 1 December before it.
# Environment: CONCORD (the concord binary; default build/release/tools/concord/concord),
# CONCORD_SHARED_DATA (default ../shared/data, beside the checkout). Needs python3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
date="${1:-2021-04-01}"
concord="${CONCORD:-$root/build/release/tools/concord/concord}"
data="${CONCORD_SHARED_DATA:-$root/../shared/data}"

if [[ ! -x "$concord" ]]; then
  echo "content-report: $concord is not built; run: cmake --build --preset release --target concord" >&2
  exit 2
fi
if [[ ! -d "$data/synthea" || ! -d "$data/codelists" ]]; then
  echo "content-report: no synthea/ and codelists/ in $data; set CONCORD_SHARED_DATA" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$concord" batch --rulesets "$root/rulesets" --date "$date" --jobs 2 --no-progress \
  --summary "$work/summary.json" "$data/synthea" > "$work/results.jsonl"
year="${date:0:4}"
month="$((10#${date:5:2}))"
if (( month >= 9 || month <= 3 )); then
  season_date="$date"
else
  season_date="$((10#$year - 1))-12-01"
fi
"$concord" batch --rulesets "$root/rulesets" --date "$season_date" --jobs 2 --no-progress \
  "$data/synthea" > "$work/season.jsonl"
python3 "$root/scripts/content_report.py" --date "$date" --summary "$work/summary.json" \
  --results "$work/results.jsonl" --records "$data/synthea" --codelists "$data/codelists" \
  --season-date "$season_date" --season-results "$work/season.jsonl" > "$work/report.md"
mv "$work/report.md" "$root/docs/content-report.md"
echo "wrote docs/content-report.md (evaluation date $date)"
