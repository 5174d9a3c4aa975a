#!/usr/bin/env bash
# Set-up: installs what is missing (Debian packages), builds boplace, and,
# unless --no-run is given, runs the weekly batch on the bundled sample case.
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential meson ninja-build pkg-config python3
          libglpk-dev glpk-utils libcsv-dev libcjson-dev libcmocka-dev valgrind
          clang libclang-rt-14-dev strace
          # coinor-cbc: CBC, a peer solver bench/bench.py compares against; not
          # a runtime dependency of boplace.
          coinor-cbc
          chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d build ]; then
  meson setup build >/dev/null
fi
ninja -C build >/dev/null

if [ "${1:-}" != "--no-run" ]; then
  ./build/solver/boplace run data/sample -o out
fi
