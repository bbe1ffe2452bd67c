#!/usr/bin/env bash
# run.sh - build the libFuzzer targets with clang and fuzz each one.
#
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
#   SECONDS  per target (default 30); TARGETs default to all of them.
# Environment:
#   FUZZ_BUILDDIR  build directory (default build-fuzz); configured with
#                  CC=clang meson setup DIR -Dfuzz=true -Db_lundef=false
#                  (an existing directory configured otherwise is wiped
#                  and reconfigured so).
#   FUZZ_JOBS      targets fuzzed at once (default 1).
# Each target runs with -max_total_time=SECONDS, -timeout=10 (compare:
# 30, its inputs are repeated up to 512 KiB) and a
# -max_len suited to it, over a working corpus in DIR/fuzz-corpus/<t>
# (grown across runs) plus its seeds and regressions.  A crash, leak,
# sanitizer report or timeout stops that target; its input is kept in
# DIR/fuzz-crashes/<t>/ and the script exits 1 after the others ran.
# Copy a crash input to tests/fuzz/regressions/<t>/ once it is fixed.
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
shift || true
dir=${FUZZ_BUILDDIR:-build-fuzz}
jobs=${FUZZ_JOBS:-1}
all=(normalize segment tokdiff align compare manifest revision)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

declare -A max_len=([normalize]=16384 [segment]=8192 [tokdiff]=8192
                    [align]=16384 [compare]=8192 [manifest]=4096 [revision]=64)
declare -A timeout=([compare]=30)  # seconds per input; 10 for the others

configured_for_fuzz() {
  [ -f "$dir/build.ninja" ] || return 1
  meson introspect "$dir" --buildoptions 2>/dev/null |
    python3 -c 'import json,sys; o={x["name"]:x["value"] for x in json.load(sys.stdin)}; sys.exit(0 if o.get("fuzz") else 1)' || return 1
  meson introspect "$dir" --compilers 2>/dev/null | grep -q '"id": "clang"'
}

if ! configured_for_fuzz; then
  wipe=(); [ -d "$dir" ] && wipe=(--wipe)
  CC=clang meson setup "${wipe[@]}" "$dir" -Dfuzz=true -Db_lundef=false >&2 ||
    { echo "run.sh: error: cannot configure $dir for fuzzing (needs clang and libclang-rt-14-dev)" >&2; exit 2; }
fi
ninja -C "$dir" >&2 || { echo "run.sh: error: build failed in $dir" >&2; exit 2; }

fuzz_one() { # fuzz_one TARGET: exit status of the fuzzer
  local t=$1 seeds=()
  local work="$dir/fuzz-corpus/$t" crashes="$dir/fuzz-crashes/$t"
  mkdir -p "$work" "$crashes"
  for s in "tests/fuzz/seeds/$t" "tests/fuzz/regressions/$t" "$dir/tests/fuzz/seeds-gen/$t"; do
    [ -d "$s" ] && seeds+=("$s")
  done
  case $t in normalize) seeds+=(corpus/statements tests/fixtures/normalize) ;;
    compare) [ -d "$dir/tests/fuzz/seeds-gen/align" ] && seeds+=("$dir/tests/fuzz/seeds-gen/align") ;; esac
  local dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0} \
  "$dir/tests/fuzz/${t}_fuzzer" "$work" "${seeds[@]}" "${dict[@]}" \
    -max_total_time="$secs" -timeout="${timeout[$t]:-10}" -max_len="${max_len[$t]}" \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes/" \
    >"$dir/fuzz-$t.log" 2>&1
}

status=0
declare -A pid_of
running=0
for t in "${targets[@]}"; do
  [ -n "${max_len[$t]:-}" ] || { echo "run.sh: error: unknown target '$t' (one of: ${all[*]})" >&2; exit 2; }
  echo "== fuzzing $t for ${secs}s (log: $dir/fuzz-$t.log)"
  fuzz_one "$t" & pid_of[$t]=$!
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
for t in "${targets[@]}"; do
  wait "${pid_of[$t]}"; rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/fuzz-$t.log" | grep -o '[0-9]*$' | tail -1)
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "FAIL $t (exit $rc): crash inputs in $dir/fuzz-crashes/$t/:"
    ls "$dir/fuzz-crashes/$t/" | sed 's/^/  /'
    grep -m1 -E 'ERROR: |runtime error|invariant failed|Timeout|leak' "$dir/fuzz-$t.log" | sed 's/^/  /'
  else
    echo "ok   $t: ${execs:-?} execs"
  fi
done
exit $status
