# lib.sh - helpers for the end-to-end tests of the posdiff binary.
# Sourced by tests/cli/test_*.sh; $POSDIFF_BIN and $POSDIFF_SOURCE_ROOT
# come from Meson.
set -u
POSDIFF=${POSDIFF_BIN:?set by meson}
SRC=${POSDIFF_SOURCE_ROOT:?set by meson}
export LC_ALL=C.UTF-8 NO_COLOR=1
unset POSDIFF_CORPUS PAGER POSDIFF_PAGER
T=$(mktemp -d /tmp/posdiff-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
failures=0
checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { checks=$((checks + 1)); }

# run CMD...: runs posdiff, captures $out, $err, $rc
run() {
  out=$("$POSDIFF" "$@" 2>"$T/stderr"); rc=$?
  err=$(cat "$T/stderr")
}

expect_rc() { # expect_rc N what
  if [ "$rc" -ne "$1" ]; then fail "$2: exit $rc, expected $1 (stderr: $err)"; else ok; fi
}
expect_out() { # expect_out SUBSTRING what
  case "$out" in *"$1"*) ok ;; *) fail "$2: stdout lacks '$1': $out" ;; esac
}
expect_err() {
  case "$err" in *"$1"*) ok ;; *) fail "$2: stderr lacks '$1': $err" ;; esac
}
# one line, "posdiff: error: ..." form
expect_one_error_line() {
  local n; n=$(printf '%s\n' "$err" | grep -c .)
  case "$err" in "posdiff: error: "*) ;; *) fail "$1: stderr is not 'posdiff: error: ...': $err"; return ;; esac
  [ "$n" -eq 1 ] && ok || fail "$1: expected one stderr line, got $n: $err"
}
copy_corpus() { # copy_corpus DEST
  cp -r "$SRC/corpus" "$1"; rm -rf "$1/.posdiff"
}
tree_sum() { # fingerprint of a corpus's files (not the history)
  (cd "$1" && find . -path ./.posdiff -prune -o -type f -print | sort | xargs sha1sum)
}
finish() {
  echo "$checks checks, $failures failures"
  [ "$failures" -eq 0 ]
}
