#!/usr/bin/env bash
# posdiff benchmarks, side by side with git, in one run (see bench.py).
#
#   tests/bench/run.sh [--smoke] [--builddir DIR] [--work DIR] [bench.py options]
#
# Full run: N = 1 000 and 10 000 (--sizes 1000,10000,100000 for more),
# 5 repetitions (3 at N >= 10 000); writes tests/bench/RESULTS.md.
# --smoke: N = 100 and 200, one repetition, small pathological inputs,
# no target asserted, nothing written to the source tree (the Meson test
# 'bench-smoke', suite 'bench').  Generated corpora live in --work
# (default: a temporary directory, removed afterwards) and are never
# committed.  Needs python3 and git; the build dir defaults to
# build-bench, configured -Dbuildtype=release if missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
builddir=$root/build-bench
work=
smoke=0
args=()
while (($#)); do
  case $1 in
    --builddir) builddir=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --smoke) smoke=1; args+=("$1"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" "$root" -Dbuildtype=release >&2
fi
if [ -z "${POSDIFF_BIN:-}" ]; then
  ninja -C "$builddir" cli/posdiff >&2
fi
bin=${POSDIFF_BIN:-$builddir/cli/posdiff}
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/posdiff-bench.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
out=()
((smoke)) || out=(--out "$here/RESULTS.md")
python3 "$here/bench.py" --posdiff "$bin" --builddir "$builddir" --work "$work" "${out[@]}" "${args[@]}"
