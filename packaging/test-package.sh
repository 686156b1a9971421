#!/usr/bin/env bash
# The Debian package end to end, on this machine (Debian 12, as root): build two packages with
# cpack (this tree's version, and the same tree with the patch version bumped and the shipped
# conffile changed), then
#   install the first with apt-get; run the installed `concord --version`, `concord check` and
#   `concord run` (with the installed rulesets); build packaging/test-host against it with
#   find_package(Concord) and run it; edit the conffile;
#   upgrade to the second (the edited conffile is kept), back out to the first with apt
#   (conffile still kept), remove (files gone; conffile, user and state kept), purge
#   (everything gone).
# Not part of ctest: it installs into /usr and takes minutes. Prints the time of each step.
#   packaging/test-package.sh [--keep-work]     (--keep-work: leave the temporary folder)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample="$root/tests/data/synthea/cd9e9826-aea1-4682-adc0-c1d97633bf31.json"
keep_work=0
[[ "${1:-}" == "--keep-work" ]] && keep_work=1

fail() {
  echo "test-package: FAILED: $*" >&2
  exit 1
}
all_started=$SECONDS
step_started=
step() {  # ends the step before (printing its time), starts the next
  [[ -n "$step_started" ]] && echo "test-package:    ($((SECONDS - step_started))s)"
  step_started=$SECONDS
  echo "test-package: == $*"
}

[[ "$(id -u)" == 0 ]] || fail "run as root: it installs, upgrades and purges the package"
command -v apt-get >/dev/null && command -v dpkg >/dev/null || fail "needs a Debian system (apt-get, dpkg)"
if dpkg-query -W -f='${Status}' concord 2>/dev/null | grep -q "installed\|config-files"; then
  fail "the package concord is already on this machine; purge it first (apt-get purge concord)"
fi
needed=()
command -v dpkg-shlibdeps >/dev/null || needed+=(dpkg-dev)
command -v cpack >/dev/null || needed+=(cmake)
command -v ninja >/dev/null || needed+=(ninja-build)
command -v cc >/dev/null || needed+=(gcc)
if ((${#needed[@]})); then
  echo "test-package: installing ${needed[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${needed[@]}"
fi

work="$(mktemp -d /tmp/concord-package-test.XXXXXX)"
installed_by_us=0
cleanup() {
  local status=$?
  if ((installed_by_us)) && dpkg-query -W concord >/dev/null 2>&1; then
    echo "test-package: purging concord after a failure" >&2
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq concord >/dev/null 2>&1 || true
  fi
  if ((keep_work)); then echo "test-package: work folder kept: $work"; else rm -rf "$work"; fi
  exit $status
}
trap cleanup EXIT

apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -y -qq -o Dpkg::Options::=--force-confold "$@"; }

# Copies the tree as it stands (tracked and new files, not build folders) to $1.
export_tree() {
  mkdir -p "$1"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard |
    tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$1"
}

# Builds the package from the tree at $1 and copies it into $work/debs.
build_package() {
  (cd "$1" && cmake --preset package >/dev/null &&
    cmake --build --preset package -j "$(nproc)" >/dev/null &&
    cd build/package && cpack -G DEB >/dev/null) || fail "building the package in $1"
  mkdir -p "$work/debs"
  cp "$1"/build/package/packages/*.deb "$work/debs/"
}

version="$(sed -n 's/^project(concord VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")"
[[ "$version" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] || fail "no version in CMakeLists.txt's project()"
bumped="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.$((BASH_REMATCH[3] + 1))"
deb_a="$work/debs/concord_${version}-1_$(dpkg --print-architecture).deb"
deb_b="$work/debs/concord_${bumped}-1_$(dpkg --print-architecture).deb"
conf=/etc/concord/concord.conf

step "build the package concord $version from a copy of the tree"
export_tree "$work/a"
build_package "$work/a"
[[ -f "$deb_a" ]] || fail "cpack made no $deb_a"

step "build concord $bumped (version bumped, shipped conffile changed)"
export_tree "$work/b"
sed -i "s/^project(concord VERSION $version/project(concord VERSION $bumped/" "$work/b/CMakeLists.txt"
echo "# (changed in $bumped)" >>"$work/b/packaging/concord.conf.in"
build_package "$work/b"
[[ -f "$deb_b" ]] || fail "cpack made no $deb_b"
# Without the source copies the installed tool cannot fall back to a source tree's rulesets.
rm -rf "$work/a" "$work/b"
dpkg-deb --info "$deb_a" | grep -q "^ Depends: .*libboost-json1.81.0" ||
  fail "the package's Depends lacks the Boost 1.81 runtime libraries"

step "install $version with apt-get"
installed_by_us=1
apt_get install "$deb_a" >/dev/null
[[ "$(concord --version)" == "concord $version" ]] || fail "installed concord --version: $(concord --version)"
[[ "$(command -v concord)" == /usr/bin/concord ]] || fail "concord is not /usr/bin/concord"
getent passwd concord >/dev/null || fail "postinst made no system user concord"
[[ "$(stat -c %U:%a /var/lib/concord)" == concord:750 ]] || fail "/var/lib/concord is not concord's, mode 750"
[[ -f "$conf" ]] || fail "no $conf"
grep -qx "$conf" /var/lib/dpkg/info/concord.conffiles || fail "$conf is not a conffile"
man -w concord >/dev/null || fail "man concord finds no page"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/concord.service || fail "systemd-analyze verify concord.service"
fi

step "run the installed concord on a sample record with the installed rulesets"
concord check /usr/share/concord/rulesets || fail "concord check of the installed rulesets"
out="$(concord run --date 2021-11-01 "$sample")" || fail "installed concord run"
grep -q "Long-term conditions review (merged)" <<<"$out" || fail "installed concord run printed no merged review: $out"

step "build packaging/test-host against the installed package (find_package) and run it"
cmake -S "$root/packaging/test-host" -B "$work/host" -G Ninja >"$work/host.log" ||
  fail "configuring the host project: $(cat "$work/host.log")"
grep -q "rulesets: /usr/share/concord/rulesets" "$work/host.log" || fail "find_package(Concord) did not find /usr"
cmake --build "$work/host" >/dev/null || fail "building the host project"
out="$("$work/host/concord_test_host" "$sample" 2021-11-01)" || fail "the host program failed"
grep -q '"kind":"merged"' <<<"$out" || fail "the host program printed no merged review"

step "edit the conffile, upgrade to $bumped: the edit is kept"
echo "# local edit by test-package.sh" >>"$conf"
apt_get install "$deb_b" >/dev/null
[[ "$(concord --version)" == "concord $bumped" ]] || fail "after the upgrade concord --version: $(concord --version)"
grep -q "local edit by test-package.sh" "$conf" || fail "the upgrade lost the local edit of $conf"
[[ -f "$conf.dpkg-dist" ]] || fail "the upgrade left no $conf.dpkg-dist (the new shipped version)"
"$work/host/concord_test_host" "$sample" 2021-11-01 >/dev/null || fail "the host program after the upgrade"

step "back out to $version with apt-get (downgrade): the edit is kept"
apt_get install --allow-downgrades "$deb_a" >/dev/null
[[ "$(concord --version)" == "concord $version" ]] || fail "after the downgrade concord --version: $(concord --version)"
grep -q "local edit by test-package.sh" "$conf" || fail "the downgrade lost the local edit of $conf"

step "remove: programs gone; conffile, user and state folder kept"
apt_get remove concord >/dev/null
for f in /usr/bin/concord /usr/include/concord/concord.h /usr/share/concord/rulesets \
  /lib/systemd/system/concord.service "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libconcord.so.1"; do
  [[ ! -e "$f" ]] || fail "remove left $f"
done
[[ -f "$conf" ]] || fail "remove deleted the conffile"
getent passwd concord >/dev/null || fail "remove deleted the user concord"
[[ -d /var/lib/concord ]] || fail "remove deleted /var/lib/concord"

step "purge: conffile, user and state folder gone"
apt_get purge concord >/dev/null
for f in /etc/concord /var/lib/concord; do [[ ! -e "$f" ]] || fail "purge left $f"; done
! getent passwd concord >/dev/null || fail "purge left the user concord"
! getent group concord >/dev/null || fail "purge left the group concord"
! dpkg-query -W concord >/dev/null 2>&1 || fail "dpkg still knows the package after purge"
installed_by_us=0

echo "test-package:    ($((SECONDS - step_started))s)"
echo "test-package: PASSED in $((SECONDS - all_started))s"
