#!/usr/bin/env bash
# Git habits (issue 20, item 5), on the shipped corpus:
# 1. global options after the command (--no-pager, --color, --corpus,
#    --repo), -C after a command pointing back before it;
# 2. log -n N, --max-count=N, -N, --oneline, --stat;
# 3. diff --word-diff, -U<n>/--unified=<n>, A..B, ID~N and ID^;
# 4. "did you mean" only when plausibly meant (-v suggests nothing);
# 5. diff FILE FILE inside a corpus hints at --no-index;
# 6. the man page's git examples run as written;
# 7. diff --no-index exits 1 when the files differ, 0 when not, 2 on error.
. "$(dirname "$0")/lib.sh"
copy_corpus "$T/corpus"
"$POSDIFF" -C "$T/corpus" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }
C="$T/corpus"
NEWEST=2025-02-oewg-10
PREV=2021-12-14-oewg

# --- 1. global options after the command -------------------------------
run -C "$C" log data-security; log_out=$out
run -C "$C" log data-security --no-pager
expect_rc 0 "log --no-pager"; [ "$out" = "$log_out" ] && ok || fail "log --no-pager changes the output"
run -C "$C" blame data-security; blame_out=$out
run -C "$C" blame data-security --no-pager
expect_rc 0 "blame P --no-pager"; [ "$out" = "$blame_out" ] && ok || fail "blame --no-pager changes the output"
run -C "$C" check --no-pager
expect_rc 0 "check --no-pager"
run -C "$C" blame data-security --color=always
expect_rc 0 "blame P --color=always"; expect_out $'\033[' "blame P --color=always"
run -C "$C" blame data-security --color
expect_rc 0 "blame P --color"; expect_out $'\033[' "blame P --color"
run -C "$C" blame data-security --color=never
expect_rc 0 "blame P --color=never"; [ "$out" = "$blame_out" ] && ok || fail "blame --color=never differs"
run -C "$C" blame data-security --color=sometimes
expect_rc 2 "blame --color=sometimes"; expect_one_error_line "blame --color=sometimes"
run blame data-security --corpus "$C"
expect_rc 0 "blame P --corpus DIR"; [ "$out" = "$blame_out" ] && ok || fail "blame --corpus after the command differs"
run log data-security --corpus="$C" --repo "$C/.posdiff/history.git"
expect_rc 0 "log --corpus=DIR --repo DIR"; [ "$out" = "$log_out" ] && ok || fail "log --corpus --repo after the command differs"
run -C "$C" check --no-pager --color=never --format=json
expect_rc 0 "check with global options mixed in"
run -C "$C" diff -- --no-pager
expect_rc 2 "a global option after -- is a name"; expect_err "'--no-pager' is not a statement id" "after --"
run log -C "$C"
expect_rc 2 "log -C DIR"; expect_one_error_line "log -C DIR"
expect_err "-C DIR goes before the command: posdiff -C DIR log" "log -C DIR"

# --- 2. log -n, --max-count, -N, --oneline, --stat ----------------------
run -C "$C" log data-security -n 2
expect_rc 0 "log -n 2"
n=$(grep -cE '^[0-9]{4}(-[0-9]{2}){0,2} +[a-z0-9.-]+  [a-z-]+$' <<<"$out")
[ "$n" -eq 2 ] && ok || fail "log -n 2: $n entries: $out"
first=$(grep -m1 -E '^20[0-9]{2}' <<<"$out")
case "$first" in "2025-02    $NEWEST  changed") ok ;; *) fail "log -n 2: newest first: $first" ;; esac
case "$out" in *"2021-12-14 $PREV"*) ok ;; *) fail "log -n 2: the second newest" ;; esac
case "$out" in *"2020-10-30 "*) fail "log -n 2 shows a third entry" ;; *) ok ;; esac
n2_out=$out
for form in "--max-count=2" "--max-count 2" "-2" "-n2"; do
  run -C "$C" log data-security $form
  expect_rc 0 "log $form"; [ "$out" = "$n2_out" ] && ok || fail "log $form differs from log -n 2"
done
run -C "$C" log data-security -n 2 --reverse
first=$(grep -m1 -E '^20[0-9]{2}' <<<"$out")
case "$first" in "2021-12-14 $PREV  changed") ok ;; *) fail "log -n 2 --reverse: the newest two, oldest first: $first" ;; esac
run -C "$C" log data-security -n 1 --format=json
python3 -c 'import json,sys; e=json.loads(sys.argv[1])["positions"][0]["entries"]; assert [x["statement"] for x in e]==[sys.argv[2]], e' "$out" "$NEWEST" && ok || fail "log -n 1 --format=json"
for bad in "-n x" "-n -1" "--max-count=" "-n"; do
  run -C "$C" log $bad
  expect_rc 2 "log $bad"; expect_one_error_line "log $bad"
done

run -C "$C" log --oneline data-security
expect_rc 0 "log --oneline"
lines=$(grep -c . <<<"$out")
[ "$lines" -eq 6 ] && ok || fail "log --oneline: a title and 5 entry lines expected: $out"
case "$out" in "Data security (data-security)"$'\n'"2025-02    $NEWEST  changed  "*) ok ;; *) fail "log --oneline: first lines: $out" ;; esac
grep -qE "^2019-09    2019-09-oewg-general-debate  added  1 added$" <<<"$out" && ok || fail "log --oneline: the first entry's counts: $out"
grep -qE "^2021-12-14 $PREV  changed  ([0-9]+ (changed|moved|restated|added|dropped|unchanged)(, )?)+$" <<<"$out" && ok || fail "log --oneline: passage counts: $out"
run -C "$C" log --oneline -n 1
expect_rc 0 "log --oneline -n 1"
[ "$(grep -c "^20" <<<"$out")" -eq "$(grep -c ' (' <<<"$out")" ] && ok || fail "log --oneline -n 1: one entry per position: $out"
run -C "$C" log --oneline --format=json
expect_rc 2 "log --oneline --format=json"; expect_one_error_line "log --oneline --format=json"

run -C "$C" log --stat data-security -n 2
expect_rc 0 "log --stat"
case "$out" in *"2025-02    $NEWEST  changed"*) ok ;; *) fail "log --stat: entry line: $out" ;; esac
grep -qE '^    ~ +[0-9]+ deleted, +[0-9]+ inserted, +[0-9]+ changed  States should not request' <<<"$out" && ok || fail "log --stat: per passage: $out"
grep -qE '^    - +[0-9]+ deleted, +0 inserted, +0 changed  ' <<<"$out" && ok || fail "log --stat: a dropped passage: $out"
grep -qE '^    old: [0-9]+ words  [0-9]+ [0-9]+% common  [0-9]+ [0-9]+% deleted  [0-9]+ [0-9]+% changed$' <<<"$out" && ok || fail "log --stat: old total: $out"
grep -qE '^    new: [0-9]+ words  [0-9]+ [0-9]+% common  [0-9]+ [0-9]+% inserted  [0-9]+ [0-9]+% changed$' <<<"$out" && ok || fail "log --stat: new total: $out"
# "store [-the -]data": one word deleted, nothing else
grep -qE '^    ~ +1 deleted, +0 inserted, +0 changed  States should not request domestic companies to store data' <<<"$out" && ok || fail "log --stat: counts of a one-word deletion: $out"
run -C "$C" log --stat --format=markdown
expect_rc 2 "log --stat --format=markdown"; expect_one_error_line "log --stat --format=markdown"

# --- 3. diff --word-diff, -U, A..B, ID~N, ID^ ---------------------------
run -C "$C" diff "$PREV" "$NEWEST"; words_out=$out
run -C "$C" diff --word-diff "$PREV" "$NEWEST"
expect_rc 0 "diff --word-diff"; [ "$out" = "$words_out" ] && ok || fail "diff --word-diff differs from --words"
run -C "$C" diff --word-diff=plain "$PREV" "$NEWEST"
expect_rc 0 "diff --word-diff=plain"; [ "$out" = "$words_out" ] && ok || fail "diff --word-diff=plain differs"
run -C "$C" diff --word-diff --lines; expect_rc 2 "--word-diff --lines"; expect_one_error_line "--word-diff --lines"
run -C "$C" diff --lines "$PREV" "$NEWEST"; lines3=$out
run -C "$C" diff -U0 --lines "$PREV" "$NEWEST"
expect_rc 0 "diff -U0 --lines"
grep -qE '^@@ -[0-9]+(,[0-9]+)? \+[0-9]+(,[0-9]+)? @@' <<<"$out" && ok || fail "-U0: no hunk header: $out"
[ "$(grep -c '^ ' <<<"$out")" -eq 0 ] && ok || fail "-U0: context lines: $out"
[ "$(grep -c '^ ' <<<"$lines3")" -gt 0 ] && ok || fail "--lines has context by default"
run -C "$C" diff --unified=0 --lines "$PREV" "$NEWEST"; u0=$out
run -C "$C" diff -U 0 --lines "$PREV" "$NEWEST"
[ "$out" = "$u0" ] && ok || fail "-U 0 differs from --unified=0"
run -C "$C" diff -U3 --lines "$PREV" "$NEWEST"
[ "$out" = "$lines3" ] && ok || fail "-U3 differs from the default"
run -C "$C" diff -U1 "$PREV" "$NEWEST"
expect_rc 0 "-U1 implies --lines"; case "$out" in "diff --git "*) ok ;; *) fail "-U1 alone: $out" ;; esac
run -C "$C" diff -Ux --lines; expect_rc 2 "-Ux"; expect_one_error_line "-Ux"
run -C "$C" diff -U1 --side-by-side; expect_rc 2 "-U1 --side-by-side"; expect_one_error_line "-U1 --side-by-side"

run -C "$C" diff "$PREV..$NEWEST"
expect_rc 0 "diff A..B"; [ "$out" = "$words_out" ] && ok || fail "diff A..B differs from diff A B"
run -C "$C" diff "2021-12..2025"
expect_rc 0 "diff DATE..DATE"; [ "$out" = "$words_out" ] && ok || fail "diff DATE..DATE differs"
run -C "$C" diff "$PREV.."
expect_rc 0 "diff A.."; [ "$out" = "$words_out" ] && ok || fail "diff A.. (against the newest) differs"
run -C "$C" diff "HEAD~1..HEAD"
[ "$out" = "$words_out" ] && ok || fail "diff HEAD~1..HEAD differs"
run -C "$C" diff "nope..$NEWEST"
expect_rc 2 "diff nope..B"; expect_one_error_line "diff nope..B"; expect_err "'nope' is not a statement id" "diff nope..B"
run -C "$C" diff "$PREV..$NEWEST" "$NEWEST"
expect_rc 2 "diff A..B C"; expect_one_error_line "diff A..B C"

for form in "$NEWEST~1 $NEWEST" "$NEWEST^ $NEWEST" "$NEWEST~1" "$NEWEST^" "2025-02~1" "$NEWEST~2^^ $NEWEST^^^"; do
  case "$form" in
    "$NEWEST~2^^ $NEWEST^^^") want=$(cd "$C" && "$POSDIFF" diff 2019-09-oewg-general-debate 2019-09-oewg-submission) ;;
    *) want=$words_out ;;
  esac
  run -C "$C" diff $form
  expect_rc 0 "diff $form"; [ "$out" = "$want" ] && ok || fail "diff $form: $out"
done
run -C "$C" diff "$NEWEST~5"
expect_rc 2 "diff ID~5"; expect_one_error_line "diff ID~5"; expect_err "$NEWEST~5" "diff ID~5"

# --- 4. suggestions only when plausible ---------------------------------
for args in "-v" "log -v" "blame data-security -x" "diff -q" "log --zz"; do
  run -C "$C" $args
  expect_rc 2 "$args"; expect_one_error_line "$args"
  case "$err" in *"did you mean"*) fail "$args suggests: $err" ;; *) ok ;; esac
done
for pair in "log --revers|--reverse" "--no-pagr log|--no-pager" "blame data-security --porcelian|--porcelain" \
            "log --max-cont=3|--max-count" "diff --word-dif|--word-diff" "blame data-security -no-pager|--no-pager" \
            "blame data-security --no-pagr|--no-pager"; do
  run -C "$C" ${pair%|*}
  expect_rc 2 "${pair%|*}"; expect_one_error_line "${pair%|*}"; expect_err "did you mean ${pair#*|}?" "${pair%|*}"
done

# --- 5. diff FILE FILE inside a corpus ----------------------------------
printf 'Alpha bravo charlie delta echo foxtrot golf hotel india.\n' > "$T/a.txt"
printf 'Alpha bravo charlie delta echo foxtrot golf hotel juliet.\n' > "$T/b.txt"
run -C "$C" diff "$T/a.txt" "$T/b.txt"
expect_rc 2 "diff FILE FILE in a corpus"; expect_one_error_line "diff FILE FILE in a corpus"
expect_err "is not a statement id; to compare two files use 'posdiff diff --no-index FILE FILE'" "diff FILE FILE in a corpus"
run -C "$C" diff statements/2021-12-14-oewg.txt statements/2025-02-oewg-10.txt
expect_err "to compare two files use 'posdiff diff --no-index FILE FILE'" "diff corpus files in a corpus"
run -C "$C" diff nope "$NEWEST"
case "$err" in *"--no-index"*) fail "a name that is no file hints at --no-index: $err" ;; *) ok ;; esac

# --- 6. the man page's git examples, exactly as written -----------------
if command -v git >/dev/null; then
  examples=$(sed -n '/^The history repository is a plain git repository/,/^\.fi/p' "$SRC/cli/posdiff.1" |
             grep '^git ' | sed 's/\\-/-/g')
  [ "$(grep -c . <<<"$examples")" -ge 2 ] && ok || fail "man page: git examples not found: $examples"
  while IFS= read -r ex; do
    [ -n "$ex" ] || continue
    got=$(cd "$T" && GIT_PAGER=cat GIT_CONFIG_NOSYSTEM=1 HOME="$T" bash -c "$ex" 2>&1); r=$?
    [ "$r" -eq 0 ] && [ -n "$got" ] && ok || fail "man page example fails (exit $r): $ex: $got"
  done <<<"$examples"
else
  echo "note: git is not installed; the man page's git examples are not run"
fi

# --- completion of the new options ---------------------------------------
complete_words() { # complete_words WORD... : the completions of the last word
  (cd "$T" && . "$SRC/cli/posdiff.bash" && COMP_WORDS=("$@") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) &&
    COMPREPLY=() && _posdiff && printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
}
[ "$(complete_words posdiff log --one)" = "--oneline " ] && ok || fail "completion: log --one"
[ "$(complete_words posdiff log --max)" = "--max-count= " ] && ok || fail "completion: log --max"
[ "$(complete_words posdiff blame data-security --no-p)" = "--no-pager " ] && ok || fail "completion: blame P --no-p"
[ "$(complete_words posdiff diff --word)" = "--word-diff --word-diff= --words " ] && ok || fail "completion: diff --word"
[ "$(complete_words posdiff diff --word-diff = "")" = "color plain " ] && ok || fail "completion: diff --word-diff="
[ "$(complete_words posdiff diff --uni)" = "--unified= " ] && ok || fail "completion: diff --uni"

# --- 7. diff --no-index exit status -------------------------------------
run diff --no-index "$T/a.txt" "$T/b.txt"
expect_rc 1 "--no-index of files that differ"; expect_out "[-india-]{+juliet+}" "--no-index output"
run diff --no-index "$T/a.txt" "$T/a.txt"
expect_rc 0 "--no-index of a file against itself"
printf 'Alpha   bravo charlie\ndelta echo foxtrot golf hotel india.\n' > "$T/a2.txt"
run diff --no-index "$T/a.txt" "$T/a2.txt"
expect_rc 0 "--no-index of files that differ in spacing only"
run diff --no-index "$T/a.txt" "$T/b.txt" --stat;  expect_rc 1 "--no-index --stat, different"
run diff --no-index "$T/a.txt" "$T/b.txt" --lines; expect_rc 1 "--no-index --lines, different"
run diff --no-index "$T/a.txt" "$T/a.txt" --lines; expect_rc 0 "--no-index --lines, same"
run diff --no-index "$T/a.txt" "$T/b.txt" --side-by-side; expect_rc 1 "--no-index --side-by-side, different"
mkdir -p "$T/plain" && cp "$T/a.txt" "$T/b.txt" "$T/plain/"
run -C "$T/plain" diff a.txt b.txt; expect_rc 1 "implied --no-index, different"
run -C "$T/plain" diff a.txt a.txt; expect_rc 0 "implied --no-index, same"
run diff --no-index "$T/a.txt" "$T/missing.txt"; expect_rc 2 "--no-index, missing file"
run -C "$C" diff "$PREV" "$NEWEST"; expect_rc 0 "diff of statements stays 0"
run help diff
expect_out "exit status 1 when" "help diff documents the exit status"
grep -q 'exits 1 when' "$SRC/cli/posdiff.1" && ok || fail "posdiff.1 does not document --no-index's exit status"
finish
