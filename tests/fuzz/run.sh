#!/usr/bin/env bash
# Fuzzing, bounded: builds the libFuzzer targets of tests/fuzz in build-fuzz
# (clang; CC=clang meson setup build-fuzz -Dfuzz=true) and runs each for
# SECONDS (default 60), starting from its seed corpus and every input that
# ever crashed it.  Exits non-zero when a target crashes, leaks, trips a
# sanitizer or hangs (10 s per input).
#
#     tests/fuzz/run.sh [SECONDS] [TARGET...]     # targets: csv policy case scenario
#
# A crash leaves its input in build-fuzz/fuzz-artifacts/TARGET/.  Fix the
# reader, then copy the input to tests/data/fuzz-regressions/TARGET/: from
# then on every build replays it (meson test fuzz_TARGET_replay).  The
# corpus the fuzzer grew stays in build-fuzz/fuzz-corpus/TARGET/ for the
# next run.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv policy case scenario)

if ! command -v clang >/dev/null; then
  echo "fuzz: clang is missing (Debian: apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
[ -d build-fuzz ] || CC=clang meson setup build-fuzz -Dfuzz=true >/dev/null
ninja -C build-fuzz >/dev/null

# The case target writes a file per input: keep that in memory if we can.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  export TMPDIR=/dev/shm
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
passed=0
failed=0
for t in "${targets[@]}"; do
  exe=build-fuzz/tests/fuzz_$t
  corpus=build-fuzz/fuzz-corpus/$t
  artifacts=build-fuzz/fuzz-artifacts/$t
  log=build-fuzz/fuzz-$t.log
  dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=(-dict="tests/fuzz/$t.dict")
  mkdir -p "$corpus" "$artifacts"
  # The grown corpus comes first: libFuzzer adds new inputs there only.
  if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts/" \
       "${dict[@]}" \
       "$corpus" "tests/fuzz/corpus/$t" "tests/data/fuzz-regressions/$t" \
       >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz_$t: clean, ${runs:-?} inputs in ${seconds} s (${cov:-cov: ?})"
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "fuzz_$t: FAILED; see $log and $artifacts/"
    grep -E "^(==[0-9]+==ERROR|SUMMARY|.*runtime error)" "$log" | head -5 || true
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
