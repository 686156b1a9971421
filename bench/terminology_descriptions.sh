#!/usr/bin/env bash
# Start-up cost of the terminology plugin's `descriptions` at the size of a UK SNOMED CT
# release: writes a synthetic RF2 description file of ROWS rows (random, valid-looking
# description and concept ids; it is about load cost, not content), then runs `concord check`
# on the shipped rulesets with only that file configured, and without the plugin, under
# /usr/bin/time -v: wall time and max RSS of each. Not run by ctest.
#
#   bench/terminology_descriptions.sh [ROWS] [CONCORD]
#     ROWS     how many descriptions (default 3000000, about 450 MB)
#     CONCORD  the binary (default build/release/tools/concord/concord)
#   environment: TMPDIR
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-3000000}
concord=${2:-$root/build/release/tools/concord/concord}
build=$(cd "$(dirname "$concord")/../.." && pwd)
plugin=$build/plugins/libconcord_terminology.so

[[ $rows =~ ^[1-9][0-9]*$ ]] || { echo "ROWS must be a whole number" >&2; exit 2; }
[[ -x $concord ]] || { echo "no concord at $concord: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
[[ -f $plugin ]] || { echo "no terminology plugin at $plugin: build the release preset" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/concord-descriptions.XXXXXX")
trap 'rm -rf "$work"' EXIT
file=$work/sct2_Description_Snapshot-en_SYNTHETIC_20250101.txt
python3 - "$rows" "$file" <<'PY'
import random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(1)
with open(path, "w", newline="") as out:
    out.write("id\teffectiveTime\tactive\tmoduleId\tconceptId\tlanguageCode\ttypeId\tterm\t"
              "caseSignificanceId\r\n")
    for i in range(rows):
        description = rng.randrange(10**8, 10**15) * 100 + 11  # partition 11: a description
        concept = rng.randrange(10**7, 10**14) * 100 + 10      # partition 10: a concept
        out.write(f"{description}\t20250101\t1\tSYNTHETIC\t{concept}\ten\tSYNTHETIC\t"
                  f"synthetic clinical term number {i}\tSYNTHETIC\r\n")
PY
mkdir -m 755 "$work/plugins"
install -m 755 "$plugin" "$work/plugins/"
printf '[rulesets]\nfolder = %s\n\n[plugins]\nfolder = %s\n\n[plugin.terminology]\ndescriptions = %s\n' \
  "$root/rulesets" "$work/plugins" "$file" > "$work/concord.conf"
echo "descriptions: $rows rows, $(du -h "$file" | cut -f1)"
measure() {  # label, concord arguments...
  local label=$1
  shift
  if ! /usr/bin/time -v -o "$work/time.txt" "$concord" check "$@" > /dev/null 2> "$work/check.txt"; then
    echo "concord check $* failed:" >&2
    cat "$work/check.txt" >&2
    exit 1
  fi
  printf '%-28s wall %6s  max RSS %s MiB\n' "$label" \
    "$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$work/time.txt")" \
    "$(awk '/Maximum resident set size/ { printf "%.1f", $NF / 1024 }' "$work/time.txt")"
}
measure "with the descriptions" --config "$work/concord.conf"
measure "without the plugin" "$root/rulesets"
