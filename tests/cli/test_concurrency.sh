#!/usr/bin/env bash
# Concurrency: two `posdiff build` and one `posdiff add` at once on one
# corpus, several rounds (plus two adds at once): no manifest entry is
# lost, the history stays valid (git fsck --strict), each process
# succeeds or fails with one clear "posdiff: error:" line about the
# lock, and a final build equals a clean build of the final corpus.
. "$(dirname "$0")/lib.sh"

"$POSDIFF" build --help >/dev/null 2>&1 || { echo "posdiff build not available yet"; exit 77; }
rounds=${CONCURRENCY_ROUNDS:-6}
copy_corpus "$T/c"
H="$T/c/.posdiff/history.git"
g() { git --git-dir="$H" "$@"; }
"$POSDIFF" --corpus "$T/c" build >/dev/null 2>&1 || fail "first build"

# check_proc NAME RC STDERR-FILE: exit 0, or 2 with one lock error line
check_proc() {
  local e; e=$(cat "$3")
  if [ "$2" -eq 0 ]; then ok; return; fi
  case "$e" in
    "posdiff: error: "*lock*|"posdiff: error: "*"another posdiff"*)
      [ "$2" -eq 2 ] && [ "$(printf '%s\n' "$e" | grep -c .)" -eq 1 ] && ok ||
        fail "$1: exit $2, stderr: $e" ;;
    *) fail "$1: exit $2 without a clear lock message: $e" ;;
  esac
}

added=()
for r in $(seq 1 "$rounds"); do
  src="$SRC/corpus/statements/2021-12-14-oewg.txt"
  { cat "$src"; printf '\nRound %d adds a sentence on data security.\n' "$r"; } >"$T/new$r.txt"
  "$POSDIFF" --corpus "$T/c" build >"$T/o1" 2>"$T/e1" & p1=$!
  "$POSDIFF" --corpus "$T/c" add "$T/new$r.txt" --date "2026-01-$(printf %02d "$r")" --id "round-$r" >"$T/o3" 2>"$T/e3" & p3=$!
  "$POSDIFF" --corpus "$T/c" build >"$T/o2" 2>"$T/e2" & p2=$!
  wait $p1; r1=$?; wait $p2; r2=$?; wait $p3; r3=$?
  check_proc "round $r build 1" $r1 "$T/e1"; check_proc "round $r build 2" $r2 "$T/e2"
  check_proc "round $r add" $r3 "$T/e3"
  [ $r3 -eq 0 ] && added+=("round-$r")
  fsck=$(g fsck --strict --no-dangling --no-progress 2>&1) && [ -z "$fsck" ] && ok || fail "round $r: git fsck: $fsck"
done
# two adds at once: both land
printf 'Parallel one on data security.\n' >"$T/pa.txt"; printf 'Parallel two on backdoors.\n' >"$T/pb.txt"
"$POSDIFF" --corpus "$T/c" add "$T/pa.txt" --date 2027 --id par-a >/dev/null 2>"$T/ea" & pa=$!
"$POSDIFF" --corpus "$T/c" add "$T/pb.txt" --date 2027 --id par-b >/dev/null 2>"$T/eb" & pb=$!
wait $pa; ra=$?; wait $pb; rb=$?
check_proc "parallel add a" $ra "$T/ea"; check_proc "parallel add b" $rb "$T/eb"
[ $ra -eq 0 ] && added+=(par-a); [ $rb -eq 0 ] && added+=(par-b)

# no lost entry: every add that succeeded is in the manifest and its file exists
[ "${#added[@]}" -ge 1 ] && ok || fail "no add succeeded"
for id in "${added[@]}"; do
  git config -f "$T/c/statements.conf" --get "statement.$id.file" >/dev/null && ok || fail "entry $id lost from the manifest"
  [ -f "$T/c/statements/$id.txt" ] && ok || fail "file of $id missing"
done
n=$(git config -f "$T/c/statements.conf" --get-regexp '^statement\..*\.date$' | wc -l)
[ "$n" -eq $((5 + ${#added[@]})) ] && ok || fail "manifest has $n entries, expected $((5 + ${#added[@]}))"
ls "$T/c/statements.conf".* >/dev/null 2>&1 && fail "temporary manifest files left: $(ls "$T/c/statements.conf".*)" || ok

# a final build equals a clean build of the same corpus
run --corpus "$T/c" build
expect_rc 0 "final build"
[ "$(g rev-list --count HEAD)" -eq "$n" ] && ok || fail "history has $(g rev-list --count HEAD) commits, corpus $n"
cp -r "$T/c" "$T/clean"; rm -rf "$T/clean/.posdiff"
"$POSDIFF" --corpus "$T/clean" build >/dev/null 2>&1 || fail "clean build"
[ "$(g rev-parse HEAD)" = "$(git --git-dir="$T/clean/.posdiff/history.git" rev-parse HEAD)" ] && ok ||
  fail "final HEAD differs from a clean build of the same corpus"
fsck=$(g fsck --strict --no-progress 2>&1) && ok || fail "final fsck: $fsck"
finish
