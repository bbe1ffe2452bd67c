#!/usr/bin/env bash
# The manners of a git-style tool (issue 20): never stale, never silent.
# 1. reading commands warn (one line, with the fix) when the history is
#    behind the corpus; --build / POSDIFF_AUTO_BUILD=1 build first; a
#    statement added but not built is named as such by diff.
# 2. an empty range is empty output and exit 0; an empty history says so;
#    tests/run never shows an earlier run's results.
# 6. JSON names its version, each entry's title, venue and source; text
#    and Markdown show skipping statements, sources, and what a change is
#    measured against.
# 7. papercuts: build reports on stderr, counts right, no "HEAD )"; a
#    failed build keeps the step log; UTF-16 named; --stat without the
#    positions neither side states; colour keeps a deletion and the next
#    insertion apart; default ids keep the date once.
# And what users of the peers ask for: pickaxe (-S, -G), markers
# (-w -x -y -z), --color-words, word statistics (--stat), help --all.
. "$(dirname "$0")/lib.sh"

copy_corpus "$T/c"
"$POSDIFF" --corpus "$T/c" build >/dev/null 2>&1

# 1. stale
run --corpus "$T/c" log backdoors
[ -z "$err" ] && ok || fail "a fresh history warns: $err"
touch "$T/c/statements/"*                       # same content, new stat data
run --corpus "$T/c" log backdoors
[ -z "$err" ] && ok || fail "touched raw files (same content) warn: $err"
printf 'Data security matters more than ever, we say.\n' >"$T/new.txt"
"$POSDIFF" --corpus "$T/c" add "$T/new.txt" --date 2026-01-01 --id fresh >/dev/null 2>&1
for cmd in "log backdoors" "positions --matrix" "blame data-security" "diff"; do
  run --corpus "$T/c" $cmd
  expect_rc 0 "$cmd on a stale history"
  case "$err" in "posdiff: warning: the history is behind the corpus (1 statement not built"*"run 'posdiff build'"*) ok ;;
    *) fail "$cmd on a stale history: no warning: $err" ;; esac
  [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] && ok || fail "$cmd: one warning line: $err"
done
run --corpus "$T/c" diff 2025-02-oewg-10 fresh
expect_rc 2 "diff to a statement not built"
expect_err "'fresh' is a statement of the corpus that is not in the history yet; run 'posdiff build'" "diff fresh"
run --corpus "$T/c" --build diff 2025-02-oewg-10 fresh
expect_rc 0 "--build diff"; expect_out "fresh (2026-01-01)" "--build builds first"
[ -z "$err" ] && ok || fail "--build: warnings: $err"
cp "$SRC/corpus/statements/2019-09-oewg-general-debate.txt" "$T/edit.txt"
printf '\nWe add a sentence on data security.\n' >>"$T/c/statements/2019-09-oewg-general-debate.txt"
run --corpus "$T/c" log backdoors
expect_err "the history is behind the corpus (6 statements not built" "an edited raw file"
POSDIFF_AUTO_BUILD=1 run --corpus "$T/c" log data-security
expect_rc 0 "POSDIFF_AUTO_BUILD=1 log"; [ -z "$err" ] && ok || fail "POSDIFF_AUTO_BUILD=1: $err"
expect_out "We add a sentence on data security" "POSDIFF_AUTO_BUILD=1 shows the edit"
run --corpus "$T/c" log backdoors
[ -z "$err" ] && ok || fail "after the build: $err"

# 2. empty is empty, failure is failure
for f in text markdown; do
  run --corpus "$T/c" log --since 2030 --format=$f
  expect_rc 0 "log --since 2030 --format=$f"; [ -z "$out$err" ] && ok || fail "log --since 2030 --format=$f printed: $out$err"
done
run --corpus "$T/c" log --until 1999 --format=json
expect_rc 0 "log --until 1999 --format=json"
printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(not p["entries"] for p in d["positions"])' &&
  ok || fail "log --until 1999 --format=json: $out"
mkdir -p "$T/e" && (cd "$T/e" && "$POSDIFF" init >/dev/null 2>&1)
run --corpus "$T/e" build
expect_rc 0 "build of an empty corpus"; expect_err "no statements, no commits" "build of an empty corpus"
case "$err" in *"HEAD )"*) fail "'HEAD )' for an empty history" ;; *) ok ;; esac
run --corpus "$T/e" log
expect_rc 0 "log of an empty history"; [ -z "$out$err" ] && ok || fail "log of an empty history: $out$err"
mkdir -p "$T/stale/meson-logs"   # a build directory no test can run in, with an old log
echo '{"name": "x", "result": "OK"}' >"$T/stale/meson-logs/testlog.json"
bash "$SRC/tests/run" "$T/stale" >"$T/run.out" 2>&1; rc=$?
[ "$rc" -ne 0 ] && ok || fail "tests/run with no test run: exit 0"
tail -1 "$T/run.out" | grep -qx "0 passed, 1 failed" && ok || fail "tests/run showed an old log: $(tail -3 "$T/run.out")"
grep -q "no test ran" "$T/run.out" && ok || fail "tests/run does not say that no test ran: $(cat "$T/run.out")"

# 6. provenance and omissions: JSON names its version and each entry's
#    title, venue and source; text shows the statements that skip a
#    position (after its first) and each entry's source
copy_corpus "$T/c3"
"$POSDIFF" --corpus "$T/c3" build >/dev/null 2>&1
run --corpus "$T/c3" log --format=json
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] == 1
e = d["positions"][0]["entries"][0]
assert e["title"].startswith("Statement of Counselor Wang Lei") and e["venue"] == "OEWG", e
assert e["source"].startswith("seed 004_"), e' && ok || fail "JSON: version, title, venue, source"
run --corpus "$T/c3" log backdoors
printf '%s\n' "$out" | grep -q '^2021-12-14 2021-12-14-oewg  not stated$' && ok || fail "text: a skipping statement: $out"
printf '%s\n' "$out" | grep -q '^           source: seed 000_' && ok || fail "text: the source: $out"

# 6. a change measured against an older statement than the one listed
#    below (a skipping statement between, or one --since left out) says so
run --corpus "$T/c3" log backdoors
printf '%s\n' "$out" | grep -A3 '^2025-02 ' | grep -q '^           changes against 2020-10-30 2020-10-30-first-committee$' &&
  ok || fail "text: no 'changes against' for 2025-02 backdoors: $out"
printf '%s\n' "$out" | grep -A3 '^2020-10-30 ' | grep -q 'changes against' && fail "text: 'changes against' the entry below" || ok
run --corpus "$T/c3" log data-security --since 2021
printf '%s\n' "$out" | grep -A3 '^2021-12-14 ' | grep -q 'changes against 2020-10-30 ' && ok || fail "--since: the first entry's predecessor: $out"
run --corpus "$T/c3" log backdoors --format=markdown
printf '%s\n' "$out" | grep -q '^\*Changes against 2020-10-30 (2020-10-30-first-committee)\.\*$' && ok || fail "markdown: changes against"

# 7. build reports on stderr: `build && log` shows the log alone
copy_corpus "$T/c2"
out=$("$POSDIFF" --corpus "$T/c2" build 2>/dev/null && "$POSDIFF" --corpus "$T/c2" log backdoors 2>/dev/null)
case "$out" in "Backdoors in ICT products and services (backdoors)"*) ok ;; *) fail "build && log: $(printf '%s' "$out" | head -3)" ;; esac

# 7. a failed build leaves the step log (the readers' cache) as it was
copy_corpus "$T/c4"
"$POSDIFF" --corpus "$T/c4" build >/dev/null 2>&1
steps="$T/c4/.posdiff/history.git/posdiff-steps"
sum=$(sha1sum <"$steps")
printf 'Data security, once more, in a new statement.\n' >"$T/more.txt"
"$POSDIFF" --corpus "$T/c4" add "$T/more.txt" --date 2026-02-01 >/dev/null 2>&1
POSDIFF_TEST_FAIL_AFTER=1 run --corpus "$T/c4" build
expect_rc 2 "a build stopped midway"
[ "$(sha1sum <"$steps")" = "$sum" ] && ok || fail "a failed build changed the step log"
ls "$T/c4/.posdiff/history.git" | grep -q 'posdiff-steps\.new' && fail "a failed build left its new records" || ok
run --corpus "$T/c4" build
expect_rc 0 "the build after"; [ "$(sha1sum <"$steps")" != "$sum" ] && ok || fail "the step log did not grow"

# colour: a deletion and the insertion after it do not read as one word
run --corpus "$T/c3" --color=always log data-security
printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -q 'in goods\. and devices' && ok ||
  fail "colour glues a deletion to the next insertion: $(printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -o 'in goods.\{0,20\}')"

# pickaxe: -S PHRASE, the statements where its count in a position's
# wording changed; -G REGEX, those whose changes match
run --corpus "$T/c3" log -S backdoors
expect_rc 0 "log -S"
[ "$(printf '%s\n' "$out" | grep -cE '^[0-9]{4}')" -eq 4 ] && ok || fail "log -S backdoors: $out"
printf '%s\n' "$out" | grep -q '^2019-09    2019-09-oewg-submission  added$' && ok || fail "log -S: the first saying"
case "$out" in *"Sovereignty"*|*"  not stated"*) fail "log -S shows positions or entries it did not pick: $out" ;; *) ok ;; esac
run --corpus "$T/c3" log -S 'no such phrase anywhere'
expect_rc 0 "log -S with no hit"; [ -z "$out" ] && ok || fail "log -S with no hit printed: $out"
run --corpus "$T/c3" log backdoors -G 'manipulat(e|ion)'
[ "$(printf '%s\n' "$out" | grep -cE '^[0-9]{4}')" -eq 3 ] && ok || fail "log -G: $out"
run --corpus "$T/c3" log -G '('
expect_rc 2 "log -G with a bad expression"; expect_one_error_line "log -G ("
run --corpus "$T/c3" log -S a -G b
expect_rc 2 "log -S and -G"

# UTF-16 input is named as such, with the iconv command
printf 'We support data security.\n' | iconv -f UTF-8 -t UTF-16 >"$T/u16.txt"
run normalize "$T/u16.txt"
expect_rc 2 "normalize UTF-16"; expect_err "is UTF-16LE text, not UTF-8; convert it (iconv -f UTF-16LE -t UTF-8)" "UTF-16 hint"

# diff --stat leaves out the positions neither side states
copy_corpus "$T/c5"; "$POSDIFF" --corpus "$T/c5" build >/dev/null 2>&1
run --corpus "$T/c5" diff 2020-10-30-first-committee 2021-12-14-oewg --stat --position backdoors
expect_out " 1 of 1 position changed" "--stat --position: one position"
printf '[position "nowhere"]\n\ttitle = Never stated\n\tmatch = quantum teleportation treaty\n' >>"$T/c5/positions.conf"
"$POSDIFF" --corpus "$T/c5" build >/dev/null 2>&1
run --corpus "$T/c5" diff 2020-10-30-first-committee 2021-12-14-oewg --stat
case "$out" in *nowhere*) fail "--stat lists a position neither side states: $out" ;; *) ok ;; esac

# markers of one's choosing (dwdiff's -w -x -y -z) and --color-words
run --corpus "$T/c3" log backdoors -w '<del>' -x '</del>' -y '<ins>' -z '</ins>'
expect_out "services<del>.</del> <ins>to illegally obtain" "log -w -x -y -z"
run --corpus "$T/c3" diff 2020-10-30-first-committee 2025-02-oewg-10 --position backdoors -w '((' -x '))' -y '[[' -z ']]'
expect_out "services((.)) [[to illegally" "diff -w -x -y -z"
run --corpus "$T/c3" diff --color-words 2020-10-30-first-committee 2025-02-oewg-10 --position backdoors
case "$out" in *"$(printf '\033[31m')"*) ok ;; *) fail "diff --color-words: no colour: $out" ;; esac
run --corpus "$T/c3" log -w ''
expect_rc 2 "an empty start marker"; expect_one_error_line "log -w ''"

# --stat word statistics: per position in diff, per passage and statement in log
run --corpus "$T/c3" diff 2020-10-30-first-committee 2025-02-oewg-10 --stat --position backdoors
expect_out " backdoors | 1 changed, 0 moved, 0 restated, 0 added, 0 dropped, 0 unchanged; words: 0 deleted, 12 inserted, 0 changed" "diff --stat words"
run --corpus "$T/c3" log backdoors --stat
printf '%s\n' "$out" | grep -A2 '^2021-12-14 ' | grep -q 'old:' && fail "log --stat: totals for a statement that does not state it" || ok
expect_out "    new: 26 words  14 54% common  12 46% inserted  0 0% changed" "log --stat totals"

# help --all lists every command's options
run help --all
expect_rc 0 "help --all"
for c in init add normalize build log report positions diff blame check why review discover; do
  printf '%s\n' "$out" | grep -qx "== posdiff $c ==" && ok || fail "help --all lacks $c"
done
for o in --since -S -G --min-statements --fail-on --porcelain --explain --output; do
  case "$out" in *"$o"*) ok ;; *) fail "help --all lacks $o" ;; esac
done

# 7. a build that rewrites every commit counts them right
printf '[position "extra"]\n\ttitle = Extra\n\tmatch = digital divide\n' >>"$T/c2/positions.conf"
run --corpus "$T/c2" build
expect_rc 0 "a build that rewrites all"
expect_err "kept 0, rewrote 5, appended 0; 5 commits; HEAD is now " "rewrite-all summary"
case "$err" in *"0 commit;"*|*"0 commit "*) fail "'0 commit': $err" ;; *) ok ;; esac

# 7. a default id does not repeat the date the file name starts with
echo "We support data security." >"$T/2026-03-global-mechanism.txt"
run --corpus "$T/c3" add "$T/2026-03-global-mechanism.txt" --date 2026-03-24
expect_rc 0 "add a dated file name"; expect_out "Added statement 2026-03-24-global-mechanism " "the date once"
echo "We support data security, again." >"$T/2025-review.txt"
run --corpus "$T/c3" add "$T/2025-review.txt" --date 2026-03-24
expect_out "Added statement 2026-03-24-2025-review " "another year's date is part of the name"

finish
