#!/usr/bin/env bash
# What lets a reading command cost what its answer costs (issue 21), as
# a user would notice it going wrong: the history's index of its chain
# (posdiff-index) and the corpus cache's stat key never show anything
# stale, and the stale warning looks at the statements a command shows
# while still catching every edit of them, of the manifest, the catalog
# and the raw-file directories.
. "$(dirname "$0")/lib.sh"

copy_corpus "$T/c"
C="$T/c"
G="$C/.posdiff/history.git"
"$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || fail "build"
ids=$(sed -n 's/^\[statement "\(.*\)"\]$/\1/p' "$C/statements.conf")
first=$(echo "$ids" | head -1); last=$(echo "$ids" | tail -1)

# 1. the build leaves the index: readers then write nothing
[ -s "$G/posdiff-index" ] && ok || fail "build left no posdiff-index"
before=$(cd "$G" && find . -type f | sort | xargs sha1sum)
run --corpus "$C" diff HEAD~1 HEAD --no-pager
expect_rc 0 "diff HEAD~1 HEAD"
after=$(cd "$G" && find . -type f | sort | xargs sha1sum)
[ "$before" = "$after" ] && ok || fail "a reading command wrote into the history"

# 2. every way of naming a statement gives what the walk of the chain gives
names="HEAD HEAD~1 HEAD~2 $first $last ${last}~1 ${last}^ 2021 2025-02 2019-09"
answers() { for n in $names; do "$POSDIFF" --corpus "$C" --no-pager diff --stat "$n" "$last" 2>&1; echo "rc=$?"; done; }
with=$(answers)
rm "$G/posdiff-index"
without=$(answers)
[ "$with" = "$without" ] && ok || fail "names resolve differently with and without the index"
[ -s "$G/posdiff-index" ] && ok || fail "a reader did not write back a missing index"
case "$with" in *"matches several statements"*) ok ;; *) fail "2019-09 is not ambiguous: $with" ;; esac

# 3. a damaged index is not used: same answers, index rewritten
printf 'posdiff-index 1\ngarbage' >"$G/posdiff-index"
[ "$(answers)" = "$with" ] && ok || fail "a damaged index changed an answer"
head -c 100 "$G/posdiff-index" | grep -q garbage && fail "the damaged index stayed" || ok

# 4. an index of an older tip is brought forward (a statement added,
# then one rewritten in the middle of the chain)
cp "$G/posdiff-index" "$T/index-before"
printf '## Later\n\nWe support data security in every statement.\n' >"$T/new.txt"
"$POSDIFF" --corpus "$C" add "$T/new.txt" --id z-new --date 2030-01-01 >/dev/null 2>&1 || fail "add"
"$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || fail "build after add"
cp "$T/index-before" "$G/posdiff-index"   # as if the build could not write it
run --corpus "$C" --no-pager diff HEAD~1 z-new --stat
expect_rc 0 "diff against the added statement through an old index"
run --corpus "$C" --no-pager diff HEAD --stat
expect_rc 0 "diff HEAD"
log_old=$("$POSDIFF" --corpus "$C" --no-pager log --format=json 2>&1)
rm "$G/posdiff-index"
[ "$("$POSDIFF" --corpus "$C" --no-pager log --format=json 2>&1)" = "$log_old" ] && ok ||
  fail "log through an index brought forward differs"

# 4b. log --since reads the steps of its range and the few before it
# from the step log: the same text as a replay of the whole history
cp -r "$C" "$T/replay"; rm -f "$T/replay/.posdiff/history.git/posdiff-steps"
for args in "--since 2021" "--since 2021-12-14" "--since 2020 --until 2021" "data-security --since 2025" \
            "single-track --since 2021 --format=markdown" "--since 2020-10-30 --format=json" \
            "--since 2021 -S security" "--until 2020" "--since 2029" "--since 2030" \
            "single-track --since 2030 --format=markdown" "sovereignty --since 2030"; do
  # shellcheck disable=SC2086
  a=$("$POSDIFF" --corpus "$C" --no-pager log $args 2>&1); b=$("$POSDIFF" --corpus "$T/replay" --no-pager log $args 2>&1)
  [ "$a" = "$b" ] && ok || fail "log $args: the step log's range differs from a replay"
done
[ -n "$("$POSDIFF" --corpus "$C" --no-pager log --since 2021 2>/dev/null)" ] && ok || fail "log --since 2021 is empty"
# a partial date takes its whole period: --until 2020 ends on 2020-12-31
run --corpus "$C" --no-pager log --until 2020 --oneline
expect_out "2020-10-30 2020-10-30-first-committee" "log --until 2020 keeps 2020-10-30"
run --corpus "$C" --no-pager log --since 2020-10 --until 2020-10 --oneline
expect_out "2020-10-30 2020-10-30-first-committee" "log --since/--until 2020-10"
case "$out" in *2021-12-14*|*2019-09*) fail "log --since/--until 2020-10 shows another month: $out" ;; *) ok ;; esac
# what the statements before the range said still counts: z-new skips
# positions stated before it, against the last statement that stated them
run --corpus "$C" --no-pager log single-track --since 2030
expect_out "z-new  not stated" "log --since: a skipped position after earlier statements"
run --corpus "$C" --no-pager log data-security --since 2030
expect_out "changes against 2025-02 2025-02-oewg-10" "log --since: changes against the last statement before the range"
run --corpus "$C" --no-pager log single-track --since 2030 --format=markdown
expect_out "Not stated" "log --since --format=markdown: a skipped position"

# 5. the stale warning: an in-place edit of a statement a command shows
# is seen; one of a statement it does not show is left to the commands
# that show it (and to build and check)
sleep 2.1   # past the racy window of the stamp and the corpus cache
"$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || fail "build before the edits"
f_first="$C/$(git config -f "$C/statements.conf" "statement.$first.file")"
printf '\nWe also say something new here.\n' >>"$f_first"     # in place: the directory is unchanged
run --corpus "$C" --no-pager diff HEAD~1 HEAD
expect_rc 0 "diff of two other statements after an edit"
case "$err" in *"behind the corpus"*) fail "diff warned about a statement it does not show: $err" ;; *) ok ;; esac
run --corpus "$C" --no-pager diff "$first" "$last"
expect_err "the history is behind the corpus" "diff showing the edited statement"
run --corpus "$C" --no-pager log
expect_err "the history is behind the corpus" "log (every statement)"
run --corpus "$C" --no-pager positions --matrix
expect_err "the history is behind the corpus" "positions --matrix"
"$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || fail "build after the edit"
run --corpus "$C" --no-pager diff "$first" "$last"
[ -z "$err" ] && ok || fail "a warning after the build: $err"

# 6. an edit saved by renaming over the file changes its directory: seen
# by every command, whatever it shows
f_last="$C/$(git config -f "$C/statements.conf" "statement.$last.file")"
sleep 2.1
"$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || fail "build before the rename"
{ cat "$f_first"; printf '\nAnd one more sentence.\n'; } >"$T/renamed" && mv "$T/renamed" "$f_first"
run --corpus "$C" --no-pager diff HEAD~1 HEAD
expect_err "the history is behind the corpus" "diff after a rename-over edit elsewhere"
"$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || fail "build after the rename"

# 7. the manifest: a cache vouched for by stat data is taken without
# reading the manifest, and an edit of the same size is still seen
sleep 2.1
run --corpus "$C" positions   # re-keys the cache (the add wrote it within the racy window)
key=$(head -c 400 "$C/.posdiff/corpus-cache" | head -1 | awk '{print $(NF-3)}')
[ "$key" != "00000000000000000000" ] && ok || fail "the corpus cache has no stat key: $(head -1 "$C/.posdiff/corpus-cache")"
title=$(git config -f "$C/statements.conf" "statement.$last.title")
new_title=$(echo "$title" | tr 'a-y' 'b-z')
old_mtime=$(stat -c %Y "$C/statements.conf")
sed -i "s/$title/$new_title/" "$C/statements.conf"
touch -d "@$old_mtime" "$C/statements.conf"   # same size, same mtime: only the ctime moved
run --corpus "$C" --no-pager log --format=json
expect_err "the history is behind the corpus" "log after a same-size manifest edit"
"$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || fail "build after the manifest edit"
run --corpus "$C" --no-pager log --format=json
expect_out "$new_title" "log shows the edited title"

# 8. a raw file of a statement not built yet that is not a file is an
# error, as the open used to report it (no stat per raw file on open)
ln -s /etc/passwd "$C/statements/evil.txt"
printf '\n[statement "evil"]\n\tfile = statements/evil.txt\n\tdate = 2031-01-01\n' >>"$C/statements.conf"
run --corpus "$C" --no-pager log
expect_rc 2 "log with a symlinked raw file not built"
expect_err 'statement "evil"' "the error names the entry"

finish
