#!/usr/bin/env bash
# Disk full, simulated with a file-size limit (ulimit -f, in 1 KiB
# blocks, in a subshell that ignores SIGXFSZ so a write past it fails
# with EFBIG): `add` and `build` fail with exit 2 and one clear error
# line, nothing is half-written (corpus fingerprint unchanged, no
# temporary file left), the history's branch is unchanged and git fsck
# is clean; without the limit the same commands then succeed.
. "$(dirname "$0")/lib.sh"

"$POSDIFF" build --help >/dev/null 2>&1 || { echo "posdiff build not available yet"; exit 77; }
copy_corpus "$T/c"
H="$T/c/.posdiff/history.git"
g() { git --git-dir="$H" "$@"; }
"$POSDIFF" --corpus "$T/c" build >/dev/null 2>&1 || fail "first build"

limited() { # limited KIB ARGS...: run posdiff under a file-size limit
  local kib=$1; shift
  out=$( (trap '' XFSZ; ulimit -f "$kib"; exec "$POSDIFF" "$@") 2>"$T/stderr"); rc=$?
  err=$(cat "$T/stderr")
}
state() { tree_sum "$T/c"; g rev-parse HEAD; ls "$H/objects/pack"; }
fsck_clean() { local f; f=$(g fsck --strict --no-progress 2>&1) && ok || fail "$1: git fsck: $f"; }

# add: the raw copy does not fit (a 6 KiB statement, 2 KiB allowed)
{ cat "$SRC/corpus/statements/2021-12-14-oewg.txt"; printf '\nA new sentence.\n'; } >"$T/big.txt"
before=$(state)
limited 2 --corpus "$T/c" add "$T/big.txt" --date 2026-01-01 --id big
expect_rc 2 "add, copy too big"; expect_one_error_line "add, copy too big"; expect_err "File too large" "add, copy too big"
[ "$(state)" = "$before" ] && ok || fail "add, copy too big: corpus changed"

# add: the statement fits, the rewritten manifest (> 2 KiB) does not
printf 'A short statement on data security.\n' >"$T/small.txt"
limited 1 --corpus "$T/c" add "$T/small.txt" --date 2026-01-02 --id small
expect_rc 2 "add, manifest too big"; expect_one_error_line "add, manifest too big"
expect_err "statements.conf" "add, manifest too big"; expect_err "File too large" "add, manifest too big"
[ "$(state)" = "$before" ] && ok || fail "add, manifest too big: corpus changed (statement copied but not recorded?)"

# build: the pack does not fit, at several sizes
"$POSDIFF" --corpus "$T/c" add "$T/big.txt" --date 2026-01-01 --id big >/dev/null 2>&1 || fail "add without limit"
printf '\nOne more sentence on backdoors.\n' >>"$T/c/statements/2019-09-oewg-submission.txt" # a rewrite too
before=$(state)
for kib in 1 2 4; do
  limited "$kib" --corpus "$T/c" build
  expect_rc 2 "build at ${kib} KiB"; expect_one_error_line "build at ${kib} KiB"
  expect_err "File too large" "build at ${kib} KiB"
  [ "$(state)" = "$before" ] && ok || fail "build at ${kib} KiB: corpus, branch or packs changed: $(diff <(echo "$before") <(state))"
  fsck_clean "build at ${kib} KiB"
done
run --corpus "$T/c" build
expect_rc 0 "build without limit"
fsck_clean "build without limit"
[ "$(g rev-list --count HEAD)" -eq 6 ] && ok || fail "6 commits after the build"
finish
