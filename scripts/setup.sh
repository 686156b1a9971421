#!/usr/bin/env bash
# Installs what the build needs (Debian 12 packages), then configures and builds Concord.
# Run as root it installs missing packages with apt-get; otherwise it prints the one
# `sudo apt-get install` line to run and stops.
#   scripts/setup.sh [PRESET]     PRESET: release (default), debug, asan or tsan
set -euo pipefail

preset="${1:-release}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  g++ cmake ninja-build ccache pkg-config python3
  libboost1.81-all-dev libboost-json1.81-dev
  libpugixml-dev libicu-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium
)

missing=()
for p in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ "$(id -u)" == 0 ]]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: these Debian packages are missing; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
