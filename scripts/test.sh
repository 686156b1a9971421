#!/usr/bin/env bash
# Sets up and builds Concord, then runs the whole test suite through ctest.
#   scripts/test.sh [PRESET]     PRESET: release (default), debug or asan
set -euo pipefail
preset="${1:-release}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" "$preset"
cd "$root"
exec ctest --preset "$preset" -j "$(nproc)"
