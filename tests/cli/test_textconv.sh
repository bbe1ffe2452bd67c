#!/usr/bin/env bash
# Git integration, as the README shows it.
# 1. `posdiff normalize` as a git textconv driver in a user's own
#    repository of raw statements: `git diff`, `git log -p` and
#    `git diff --word-diff` show normalized Markdown, one sentence per
#    line; git runs the driver on temporary files, from the top of the
#    work tree, outside any corpus; noise (CRLF, re-wrapped lines) shows
#    no change.
# 2. The history repository read with plain git: `git log -p
#    --word-diff=plain -- positions/<id>.md` and `git blame`.
. "$(dirname "$0")/lib.sh"
command -v git >/dev/null || { echo "SKIP: git is not installed"; exit 77; }
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home" GIT_PAGER=cat
mkdir -p "$HOME"
RAW="$SRC/corpus/statements/2020-10-30-first-committee.txt"
OLD="States should not request domestic companies to store the data generated"
NEW="States should not request domestic companies to store data generated"

# --- 1. textconv -----------------------------------------------------
R="$T/statements-repo"
mkdir -p "$R/raw" && cd "$R" || exit 2
git init -q . && git config user.name Tester && git config user.email tester@example.org
echo '*.txt diff=posdiff' > .gitattributes
git config diff.posdiff.textconv "$POSDIFF normalize --textconv"
cp "$RAW" raw/first-committee.txt
git add . && git commit -qm "first committee, as published"
grep -q "store the data" raw/first-committee.txt || fail "fixture: '$OLD' not in $RAW"
sed -i 's/store the data/store data/' raw/first-committee.txt
git commit -qam "reworded"

"$POSDIFF" normalize raw/first-committee.txt > "$T/new.md" || fail "normalize the new version"
git show HEAD~1:raw/first-committee.txt > "$T/old.txt"
"$POSDIFF" normalize "$T/old.txt" > "$T/old.md" || fail "normalize the old version"

# diff lines: every -/+ line is a whole line of the normalized versions
check_diff() { # check_diff WHAT (reads $T/git.diff)
  local minus plus
  minus=$(grep '^-' "$T/git.diff" | grep -v '^---' | sed 's/^-//')
  plus=$(grep '^+' "$T/git.diff" | grep -v '^+++' | sed 's/^+//')
  [ -n "$minus" ] && [ -n "$plus" ] && ok || fail "$1: no changed lines: $(cat "$T/git.diff")"
  printf '%s\n' "$minus" | grep -vxF -f "$T/old.md" | grep -q . && fail "$1: a - line is not a normalized line" || ok
  printf '%s\n' "$plus" | grep -vxF -f "$T/new.md" | grep -q . && fail "$1: a + line is not a normalized line" || ok
  case "$minus" in *"$OLD"*) ok ;; *) fail "$1: the old wording is not shown" ;; esac
  case "$plus" in *"$NEW"*) ok ;; *) fail "$1: the new wording is not shown" ;; esac
}
git diff HEAD~1 HEAD > "$T/git.diff" 2>"$T/git.err"
check_diff "git diff"
[ ! -s "$T/git.err" ] && ok || fail "git diff: stderr: $(cat "$T/git.err")"
[ "$(grep -c '^[-+][^-+]' "$T/git.diff")" -eq 2 ] && ok || fail "git diff: expected one sentence changed: $(cat "$T/git.diff")"
git log -p -1 > "$T/git.diff"
check_diff "git log -p"
(cd raw && git diff HEAD~1 HEAD -- first-committee.txt) > "$T/git.diff"
check_diff "git diff from a subdirectory"
POSDIFF_CORPUS="$SRC/corpus" git diff HEAD~1 HEAD > "$T/git.diff"
check_diff "git diff with POSDIFF_CORPUS set to another corpus"
git diff --word-diff=plain HEAD~1 HEAD > "$T/word.diff"
grep -qF "[-the-]" "$T/word.diff" && ok || fail "git diff --word-diff: $(cat "$T/word.diff")"
git diff HEAD~1 HEAD --no-textconv > "$T/raw.diff"
cmp -s "$T/raw.diff" "$T/git.diff" && fail "--no-textconv shows the same as textconv" || ok

# noise: CRLF line ends and re-wrapped lines are not a change
sed -i 's/$/\r/' raw/first-committee.txt
git commit -qam "CRLF"
git diff HEAD~1 HEAD > "$T/git.diff"
grep '^[-+][^-+]' "$T/git.diff" && fail "CRLF shows as a change" || ok
git diff HEAD~1 HEAD --no-textconv --stat | grep -q "first-committee.txt" && ok || fail "fixture: CRLF commit changed nothing"

# noise: re-wrapped lines, curly quotes, non-breaking spaces
printf 'Title\n\nWe believe that "data security" is a challenge. States should act now.\n' > raw/noise.txt
git add raw/noise.txt && git commit -qm "noise, before"
printf 'Title\n\nWe believe that \342\200\234data\302\240security\342\200\235 is a\nchallenge.  States should\nact now.\n' > raw/noise.txt
git commit -qam "noise, after"
[ -z "$(git diff HEAD~1 HEAD)" ] && ok || fail "re-wrap, quotes, nbsp show as a change: $(git diff HEAD~1 HEAD)"

# a new file and a deleted file
cp "$SRC/corpus/statements/2021-12-14-oewg.txt" raw/oewg.txt
git add raw/oewg.txt && git commit -qm "new statement"
git show HEAD > "$T/git.diff" 2>"$T/git.err"
[ ! -s "$T/git.err" ] && ok || fail "new file: git show: $(cat "$T/git.err")"
grep '^+' "$T/git.diff" | grep -v '^+++' | sed 's/^+//' | cmp -s - <("$POSDIFF" normalize raw/oewg.txt) && ok \
  || fail "new file: git show does not show the normalized text"
git rm -q raw/oewg.txt && git commit -qm "withdrawn"
git show HEAD~1:raw/oewg.txt > "$T/o.txt" && "$POSDIFF" normalize "$T/o.txt" > "$T/o.md"
git show HEAD | grep '^-' | grep -v '^---' | sed 's/^-//' | cmp -s - "$T/o.md" && ok \
  || fail "deleted file: git show does not show the normalized text"

# --- 1b. a repository that also holds the corpus (issue 20, item 4) ---
# git runs the driver on the work-tree file itself (a path inside the
# corpus, which has a manifest entry with strip rules and fields) and on
# a /tmp copy of the old blob: both sides must be normalized alike, so
# the diff shows only the reworded sentence.
C="$T/corpus-repo"
copy_corpus "$C"
cd "$C" || exit 2
git init -q . && git config user.name Tester && git config user.email tester@example.org
echo 'statements/*.txt diff=posdiff' > .gitattributes
git config diff.posdiff.textconv "$POSDIFF normalize --textconv"
git add . && git commit -qm "corpus"
F=statements/2020-10-30-first-committee.txt
sed -i 's/store the data/store data/' "$F"
only_reworded() { # only_reworded WHAT (reads $T/c.diff)
  local n; n=$(grep -c '^[-+][^-+]' "$T/c.diff")
  [ "$n" -eq 2 ] && ok || fail "$1: expected one sentence changed, got $n lines: $(cat "$T/c.diff")"
  grep -q '^-.*store the data' "$T/c.diff" && grep -q '^+.*store data' "$T/c.diff" && ok \
    || fail "$1: the reworded sentence is not shown: $(cat "$T/c.diff")"
}
git diff > "$T/c.diff" 2>"$T/c.err"
only_reworded "git diff (work tree) in a corpus repository"
[ ! -s "$T/c.err" ] && ok || fail "git diff in a corpus repository: stderr: $(cat "$T/c.err")"
(cd statements && git diff) > "$T/c.diff"
only_reworded "git diff from statements/"
git -c diff.posdiff.textconv="$POSDIFF normalize" diff > "$T/c.diff"
only_reworded "git diff with 'posdiff normalize' as the driver"
git add "$F"
git diff --cached > "$T/c.diff"
only_reworded "git diff --cached"
# normalize FILE: the same output from any directory
"$POSDIFF" normalize "$F" > "$T/top.md" || fail "normalize $F"
(cd statements && "$POSDIFF" normalize "${F#statements/}") | cmp -s - "$T/top.md" && ok || fail "normalize FILE from statements/ differs"
(cd / && "$POSDIFF" normalize "$C/$F") | cmp -s - "$T/top.md" && ok || fail "normalize FILE from / differs"
(cd / && "$POSDIFF" normalize --textconv "$C/$F") | cmp -s - "$T/top.md" && ok || fail "normalize --textconv FILE differs"
head -1 "$T/top.md" | grep -q '^<!-- posdiff' && fail "normalize FILE added the corpus front matter" || ok
# the statement by its id keeps the manifest's front matter and rules
"$POSDIFF" normalize 2020-10-30-first-committee | head -1 | grep -q '^<!-- posdiff' && ok || fail "normalize ID lost its front matter"

# --- 2. the history repository with plain git ------------------------
copy_corpus "$T/corpus"
"$POSDIFF" -C "$T/corpus" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }
H="$T/corpus/.posdiff/history.git"
P=positions/data-security.md
out=$(git --git-dir="$H" log -p --word-diff=plain -- "$P" 2>&1); rc=$?
expect_rc 0 "git log -p --word-diff=plain -- $P"
n=$(printf '%s\n' "$out" | grep -c '^commit ')
[ "$n" -ge 2 ] && ok || fail "git log -- $P: $n commits"
expect_out "Statement-Id: 2019-09-oewg-submission" "git log: the first statement stating data security"
expect_out "Statement-Id: 2025-02-oewg-10" "git log: the newest statement"
printf '%s\n' "$out" | grep -qE '\[-.*-\]|\{\+.*\+\}' && ok || fail "git log --word-diff: no word changes"
expect_out "Date:   Sat Feb 1 00:00:00 2025 +0000" "git log: commits dated with the statements"

out=$(git --git-dir="$H" blame -- "$P" 2>&1); rc=$?
expect_rc 0 "git blame -- $P"
git --git-dir="$H" show "HEAD:$P" > "$T/current.md"
[ "$(printf '%s\n' "$out" | wc -l)" -eq "$(wc -l < "$T/current.md")" ] && ok || fail "git blame: one line per line of $P"
printf '%s\n' "$out" | sed 's/^[^)]*) //' | cmp -s - "$T/current.md" && ok || fail "git blame: lines differ from $P"
printf '%s\n' "$out" | grep -qE '^[0-9a-f]{8} \(.* 20(19|2[0-5])-[0-9]{2}-[0-9]{2} ' && ok || fail "git blame: no statement dates: $out"
out=$(git --git-dir="$H" blame --porcelain -- "$P" | sed -n 's/^author-time //p' | sort -u | wc -l)
echo "note: git blame of $P cites $out statement date(s)"
finish
