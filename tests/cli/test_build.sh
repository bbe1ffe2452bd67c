#!/usr/bin/env bash
# posdiff build: the history repository, end to end, checked with git.
# Skips (77) while the binary has no working build command.
. "$(dirname "$0")/lib.sh"

"$POSDIFF" build --help >/dev/null 2>&1 || { echo "posdiff build not available yet"; exit 77; }

H="$T/c/.posdiff/history.git"
g() { git --git-dir="$H" "$@"; }

# first build of the shipped corpus
copy_corpus "$T/c"
before=$(tree_sum "$T/c")
run --corpus "$T/c" build
expect_rc 0 "build"
n=$(git config -f "$T/c/statements.conf" --get-regexp '^statement\..*\.date$' | wc -l)
[ "$(printf '%s\n' "$err" | grep -c '^  appended ')" -eq "$n" ] && ok || fail "one 'appended' line per statement: $err"
expect_err "Built $H" "summary names the repository"
[ -z "$out" ] && ok || fail "build writes to stdout (it would mix with a chained log): $out"
[ "$(g rev-list --count refs/heads/main)" -eq "$n" ] && ok || fail "one commit per statement"
dates=$(g log --reverse --format=%ad --date=short)
[ "$dates" = "$(printf '%s\n' "$dates" | sort)" ] && ok || fail "commits in date order: $dates"
fsck=$(g fsck --strict --no-progress 2>&1) && [ -z "$fsck" ] && ok || fail "git fsck --strict: $fsck"
[ "$before" = "$(tree_sum "$T/c")" ] && ok || fail "build leaves the corpus files alone"
g log --format='%(trailers:key=Statement-Id,valueonly,separator=) %(trailers:key=Date,valueonly,separator=)' >"$T/ids"
while read -r id date; do # statements/<year of its date>/<id>.md
  "$POSDIFF" --corpus "$T/c" normalize "$id" >"$T/want" 2>/dev/null
  g show "HEAD:statements/${date:0:4}/$id.md" >"$T/got"
  cmp -s "$T/want" "$T/got" && ok || fail "statements/${date:0:4}/$id.md differs from posdiff normalize $id"
done <"$T/ids"
[ "$(g ls-tree --name-only HEAD statements/ | tr '\n' ' ')" = "statements/2019 statements/2020 statements/2021 statements/2025 " ] &&
  ok || fail "a directory per year: $(g ls-tree --name-only HEAD statements/)"
g ls-tree --name-only HEAD positions/ | grep -q '^positions/data-security.md$' && ok || fail "positions/data-security.md in HEAD"
head1=$(g rev-parse HEAD)

# no-op
run --corpus "$T/c" build
expect_rc 0 "rebuild"
case "$err" in *[Hh]"istory is up to date"*) ok ;; *) fail "no-op rebuild says up to date: $err" ;; esac
[ "$(g rev-parse HEAD)" = "$head1" ] && ok || fail "no-op keeps HEAD"

# reproducible: other path, other time zone and locale, through --repo
copy_corpus "$T/c2"
TZ=Asia/Tokyo LANG=ja_JP.UTF-8 "$POSDIFF" --corpus "$T/c2" --repo "$T/elsewhere.git" build >/dev/null 2>&1 && ok || fail "build with --repo"
[ "$(git --git-dir="$T/elsewhere.git" rev-parse HEAD)" = "$head1" ] && ok || fail "same corpus, same commit ids"
[ ! -e "$T/c2/.posdiff" ] && ok || fail "--repo leaves the default path alone"

# append a later statement: one new commit on top of the old HEAD
cp "$SRC/corpus/statements/2021-12-14-oewg.txt" "$T/late.txt"
printf '\nData security matters even more.\n' >>"$T/late.txt"
"$POSDIFF" --corpus "$T/c" add "$T/late.txt" --date 2025-06-01 --id late --title Late >/dev/null 2>&1 || fail "add late"
run --corpus "$T/c" build
expect_rc 0 "append"; expect_err "appended 2025-06-01 late" "append line"
[ "$(printf '%s\n' "$err" | grep -c '^  ')" -eq 1 ] && ok || fail "only one commit written: $err"
[ "$(g rev-parse HEAD^)" = "$head1" ] && ok || fail "appended commit's parent is the old HEAD"
head2=$(g rev-parse HEAD)

# insert an earlier statement: commits before it kept, later ones rewritten
printf 'An early statement on sovereignty.\n' >"$T/early.txt"
"$POSDIFF" --corpus "$T/c" add "$T/early.txt" --date 2020-01-15 --id early >/dev/null 2>&1 || fail "add early"
run --corpus "$T/c" build
expect_rc 0 "insert"; expect_err "rewrote  2020-01-15 early" "rewrite starts at the inserted statement"
[ "$(g rev-list --count HEAD)" -eq $((n + 2)) ] && ok || fail "n+2 commits"
[ "$(g log --format=%H | tail -n 2)" = "$(git --git-dir="$T/elsewhere.git" log --format=%H | tail -n 2)" ] \
  && ok || fail "commits before the inserted one keep their ids"
fsck=$(g fsck --strict --no-progress 2>&1) && [ -z "$fsck" ] && ok || fail "fsck after rewrite: $fsck"

# an interrupted build leaves the branch and the objects as they were
head3=$(g rev-parse HEAD)
packs=$(ls "$H/objects/pack")
printf 'An extra sentence on data security.\n' >>"$T/c/statements/late.txt"
POSDIFF_TEST_FAIL_AFTER=0 "$POSDIFF" --corpus "$T/c" build >/dev/null 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "injected failure"; expect_one_error_line "injected failure"
[ "$(g rev-parse HEAD)" = "$head3" ] && ok || fail "failed build leaves the branch"
[ "$(ls "$H/objects/pack")" = "$packs" ] && ok || fail "failed build writes no pack"
run --corpus "$T/c" build
expect_rc 0 "rerun"; expect_err "rewrote  2025-06-01 late" "rerun completes"

# two builds at once: the lock serialises them, both succeed
copy_corpus "$T/c3"
"$POSDIFF" --corpus "$T/c3" build >"$T/o1" 2>&1 & p1=$!
"$POSDIFF" --corpus "$T/c3" build >"$T/o2" 2>&1 & p2=$!
wait $p1 && wait $p2 && ok || fail "concurrent builds: $(cat "$T/o1" "$T/o2")"
[ "$(git --git-dir="$T/c3/.posdiff/history.git" rev-parse HEAD)" = "$head1" ] && ok || fail "concurrent builds: same HEAD"
grep -qi "up to date" "$T/o1" "$T/o2" && ok || fail "second concurrent build found nothing to do"

# --repo pointing at something that is not a repository
mkdir "$T/notrepo"; echo keep >"$T/notrepo/file"
run --corpus "$T/c" --repo "$T/notrepo" build
expect_rc 2 "--repo not a repository"; expect_one_error_line "--repo not a repository"
expect_err "$T/notrepo" "error names the path"
[ "$(cat "$T/notrepo/file")" = keep ] && [ "$(ls "$T/notrepo")" = file ] && ok || fail "non-repository left untouched"

# Resuming is exact: the tracker state at the kept commit (with dormant
# passages that later statements revive) comes from the cache, or from a
# replay when the cache is gone; either way the commits equal a clean build.
copy_corpus "$T/full"; "$POSDIFF" --corpus "$T/full" build >/dev/null 2>&1
clean=$(git --git-dir="$T/full/.posdiff/history.git" rev-parse HEAD)
for mode in cache replay; do
  copy_corpus "$T/inc-$mode"
  cp "$T/inc-$mode/statements.conf" "$T/all.conf"
  # the 2025 statement removed: the resume point (2021) has dormant passages
  python3 - "$T/inc-$mode/statements.conf" <<'PYX'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r'\[statement "(2025-02-oewg-10)"\][^\[]*', '', s)
open(p, "w").write(s)
PYX
  "$POSDIFF" --corpus "$T/inc-$mode" build >/dev/null 2>&1 || fail "$mode: partial build"
  [ "$mode" = replay ] && rm -f "$T/inc-$mode/.posdiff/history.git/posdiff-tracker"
  cp "$T/all.conf" "$T/inc-$mode/statements.conf"
  run --corpus "$T/inc-$mode" build
  expect_rc 0 "$mode: incremental build"; expect_err "kept 4" "$mode: four commits kept"
  [ "$(git --git-dir="$T/inc-$mode/.posdiff/history.git" rev-parse HEAD)" = "$clean" ] && ok \
    || fail "$mode: incremental HEAD differs from a clean build"
done

# A killed build leaves a temporary pack; the next build that writes
# removes it (the build lock guarantees no live build owns it).
copy_corpus "$T/tmp"; "$POSDIFF" --corpus "$T/tmp" build >/dev/null 2>&1
packs="$T/tmp/.posdiff/history.git/objects/pack"
head -c 4096 /dev/urandom > "$packs/tmp_pack_posdiff_dead01"
head -c 64 /dev/urandom > "$packs/tmp_pack_posdiff_dead01.idx"
printf 'A new statement on data security. It says little.\n' > "$T/new.txt"
"$POSDIFF" --corpus "$T/tmp" add "$T/new.txt" --date 2026-01 >/dev/null
run --corpus "$T/tmp" build
expect_rc 0 "build after a killed one"
[ -z "$(ls "$packs" | grep tmp_pack_posdiff_)" ] && ok || fail "stale temporary packs removed: $(ls "$packs")"
git --git-dir="$T/tmp/.posdiff/history.git" fsck --strict >/dev/null 2>&1 && ok || fail "fsck after cleanup"

# killed while moving the branch: libgit2's lock file of the ref is left
# behind; the next build removes it and moves the branch
oldtip=$(git --git-dir="$T/tmp/.posdiff/history.git" rev-parse HEAD)
: > "$T/tmp/.posdiff/history.git/refs/heads/main.lock"
printf 'Another statement on data security.\n' > "$T/new2.txt"
"$POSDIFF" --corpus "$T/tmp" add "$T/new2.txt" --date 2026-02 >/dev/null
run --corpus "$T/tmp" build
expect_rc 0 "build after one killed while moving the branch"
[ "$(git --git-dir="$T/tmp/.posdiff/history.git" rev-parse HEAD~1)" = "$oldtip" ] && ok || fail "branch moved past a stale ref lock"
[ ! -e "$T/tmp/.posdiff/history.git/refs/heads/main.lock" ] && ok || fail "stale ref lock removed"

# a statement that fails to normalize in the middle of a build (statements
# are normalized ahead in a worker thread): the build stops there with
# that statement's own error, as `normalize` gives it, and writes nothing
copy_corpus "$T/bad"
run --corpus "$T/bad" build
expect_rc 0 "build before the bad statement"
badhead=$(git --git-dir="$T/bad/.posdiff/history.git" rev-parse HEAD)
badpacks=$(ls "$T/bad/.posdiff/history.git/objects/pack")
for k in 1 2 3 4 5 6; do
  printf 'Data security, statement %s.\n' "$k" >"$T/later-$k.txt"
  "$POSDIFF" --corpus "$T/bad" add "$T/later-$k.txt" --date "2026-0$k-01" --id "later-$k" >/dev/null 2>&1 || fail "add later-$k"
done
printf 'Data security \xff matters.\n' >"$T/bad/statements/later-3.txt"
want=$("$POSDIFF" --corpus "$T/bad" normalize later-3 2>&1 >/dev/null)
run --corpus "$T/bad" build
expect_rc 2 "build with a statement that does not normalize"; expect_one_error_line "bad statement"
[ "$err" = "$want" ] && ok || fail "build reports the statement's normalize error: $err (normalize: $want)"
[ "$(git --git-dir="$T/bad/.posdiff/history.git" rev-parse HEAD)" = "$badhead" ] && ok || fail "bad statement: branch kept"
[ "$(ls "$T/bad/.posdiff/history.git/objects/pack")" = "$badpacks" ] && ok || fail "bad statement: no pack written"

finish
