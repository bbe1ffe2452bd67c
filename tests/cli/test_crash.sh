#!/usr/bin/env bash
# Crash safety: `posdiff build` killed with SIGKILL at CRASH_KILLS (50)
# random moments while it builds a CRASH_STATEMENTS (2000) statement
# corpus.  After each kill the history passes `git fsck --strict`, and
# its branch is the old tip or a complete build of the corpus as it is
# (statement s1000 as generated, or with a sentence added: the test
# flips it whenever a build completed, so later kills land in a rewrite
# of half the history).  A final rerun reaches
# the same HEAD as a clean build.  Suite 'slow'.
. "$(dirname "$0")/lib.sh"

"$POSDIFF" build --help >/dev/null 2>&1 || { echo "posdiff build not available yet"; exit 77; }
kills=${CRASH_KILLS:-50}
count=${CRASH_STATEMENTS:-2000}
python3 "$SRC/tests/cli/gen_corpus.py" "$SRC/corpus" "$T/c" "$count" || { echo "cannot generate corpus"; exit 1; }
flip="$T/c/statements/s$(printf %04d $((count / 2))).txt"
cp "$flip" "$T/flip.a"; cp "$flip" "$T/flip.b"; printf '\nA sentence added to flip the history.\n' >>"$T/flip.b"

# reference builds of both variants (copies of the corpus)
ref_head() { # ref_head VARIANT: HEAD of a clean build
  rm -rf "$T/ref"; cp -r "$T/c" "$T/ref"; cp "$T/flip.$1" "$T/ref/${flip#"$T/c/"}"
  "$POSDIFF" --corpus "$T/ref" build >/dev/null 2>&1 || { echo "reference build failed" >&2; return 1; }
  git --git-dir="$T/ref/.posdiff/history.git" rev-parse HEAD
}
t0=$(date +%s%N)
head_a=$(ref_head a) || exit 1
t_ms=$((($(date +%s%N) - t0) / 1000000))
head_b=$(ref_head b) || exit 1
rm -rf "$T/ref"
echo "clean build of $count statements: ${t_ms} ms; killing $kills times"

H="$T/c/.posdiff/history.git"
g() { git --git-dir="$H" "$@"; }
fid=$(basename "$flip" .txt)
fyear=$(git config -f "$T/c/statements.conf" "statement.$fid.date" | cut -c1-4)
for v in a b; do # the normalized text of each variant, as the history holds it
  cp "$T/flip.$v" "$flip"; "$POSDIFF" --corpus "$T/c" normalize "$fid" >"$T/flip.$v.md" 2>/dev/null
done
cp "$T/flip.a" "$flip"
variant=a
complete() { # complete REF VARIANT: REF is a whole build of that variant
  [ "$(g rev-list --count "$1" 2>/dev/null)" = "$count" ] &&
    g show "$1:statements/$fyear/$fid.md" 2>/dev/null | cmp -s - "$T/flip.$2.md"
}
for i in $(seq 1 "$kills"); do
  old=$(g rev-parse -q --verify refs/heads/main 2>/dev/null)
  if [ -n "$old" ] && complete "$old" "$variant"; then # built: flip for a rewrite
    variant=$([ "$variant" = a ] && echo b || echo a); cp "$T/flip.$variant" "$flip"
  fi
  delay=$(((RANDOM * 32768 + RANDOM) % (t_ms / 2 + 1))) # a rewrite is half the history
  "$POSDIFF" --corpus "$T/c" build >/dev/null 2>&1 & pid=$!
  sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
  kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  ref=$(g rev-parse -q --verify refs/heads/main 2>/dev/null)
  if [ -z "$ref" ]; then [ -z "$old" ] && ok || fail "kill $i: branch lost"; continue; fi
  { [ "$ref" = "$old" ] || complete "$ref" "$variant"; } && ok ||
    fail "kill $i after ${delay} ms: branch at $ref, neither the old tip nor a complete build"
  fsck=$(g fsck --strict --no-dangling --no-progress 2>&1) && [ -z "$fsck" ] && ok ||
    fail "kill $i after ${delay} ms: git fsck: $fsck"
done
leftovers=$(ls "$H/objects/pack" | grep -c '^tmp_' || true)
[ "$leftovers" -eq 0 ] || echo "note: $leftovers temporary pack files left by killed builds in $H/objects/pack"

cp "$T/flip.a" "$flip"
run --corpus "$T/c" build
expect_rc 0 "final rerun"
[ "$(g rev-parse HEAD)" = "$head_a" ] && ok || fail "final rerun: HEAD $(g rev-parse HEAD), clean build gives $head_a"
fsck=$(g fsck --strict --no-progress 2>&1) && ok || fail "final fsck: $fsck"
finish
