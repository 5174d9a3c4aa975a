#!/usr/bin/env bash
# Runs every test: the unit tests of each stage and the end-to-end and
# cross-checks (brute force, MathProg), first in a normal build and then
# under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")"

[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
meson test -C build --print-errorlogs

if [ ! -d build-sanitize ]; then
  meson setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C build-sanitize >/dev/null
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-sanitize --print-errorlogs --suite unit --suite end-to-end

# valgrind memcheck on the sample run: no errors, no leaks, nothing left.
out=$(mktemp -d)
valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=all \
  --errors-for-leak-kinds=all ./build/solver/boplace run data/sample -o "$out" >/dev/null
rm -rf "$out"
echo "valgrind: sample run clean"
