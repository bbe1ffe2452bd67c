#!/usr/bin/env bash
# posdiff report (issue 19): the shipped corpus's site checked in headless
# Chromium (tests/report/check_site.py: matrix, links and anchors, every
# passage of log --format=json with its status, no script, no console
# message, a screenshot that is not blank, the layout at 360 and 1 600
# px); a hostile statement shown as text; the site is reproducible, is
# replaced whole, and a failure or a directory that is not a report
# leaves what was there; positions and dates select.
. "$(dirname "$0")/lib.sh"

SHOTS=${POSDIFF_REPORT_SHOTS:-$T/shots}
command -v chromium >/dev/null && ok || fail "chromium is not installed (bash .ci/setup installs it)"

copy_corpus "$T/c"
run --corpus "$T/c" report -o "$T/site"
expect_rc 2 "report before any build"; expect_one_error_line "report before any build"
"$POSDIFF" --corpus "$T/c" build >/dev/null 2>&1
run --corpus "$T/c" report -o "$T/site"
expect_rc 0 "report on the shipped corpus"
expect_err "to $T/site/index.html" "report says where it wrote"
[ -z "$out" ] && ok || fail "report writes to stdout: $out"
"$POSDIFF" --corpus "$T/c" log --format=json >"$T/log.json"
python3 "$SRC/tests/report/check_site.py" "$T/site" "$T/log.json" "$SHOTS" >"$T/check.out" 2>&1 && ok ||
  fail "the site in the browser: $(grep -v '^screenshot' "$T/check.out" | head -20)"
grep '^screenshot' "$T/check.out" | sed 's/^/  /'
npos=$(git config -f "$T/c/positions.conf" --name-only --get-regexp '^position\..*\.title$' | wc -l)
[ "$(ls "$T/site/positions" | wc -l)" -eq "$npos" ] && ok || fail "a page per position"
[ "$(ls "$T/site/statements" | wc -l)" -eq "$(ls "$T/c/statements" | wc -l)" ] && ok || fail "a page per statement"
grep -q 'href="style.css"' "$T/site/index.html" && [ -s "$T/site/style.css" ] && ok || fail "the stylesheet"
grep -q '@media print' "$T/site/style.css" && grep -q 'prefers-color-scheme:dark' "$T/site/style.css" && ok ||
  fail "print and dark styles"
grep -q '<svg' "$T/site/index.html" && ok || fail "the overview has no chart"
grep -q '<del>' "$T/site/positions/data-security.html" && grep -q '<ins>' "$T/site/positions/data-security.html" &&
  ok || fail "strong links as <del>/<ins>"
grep -q 'class="was">was (' "$T/site/positions/data-security.html" && ok || fail "weak links as was (date)"
grep -q 'data-status="dropped"' "$T/site/positions/backdoors.html" && ok || fail "a skipping statement listed"

# reproducible, and written again in place: a page as it was is the
# earlier report's file, linked (same inode), the others written anew
(cd "$T/site" && find . -type f | sort | xargs sha1sum) >"$T/sum1"
page="statements/$(ls "$T/site/statements" | head -1)"
ino1=$(stat -c %i "$T/site/$page")
run --corpus "$T/c" report -o "$T/site"
expect_rc 0 "report again over an earlier report"
(cd "$T/site" && find . -type f | sort | xargs sha1sum) >"$T/sum2"
cmp -s "$T/sum1" "$T/sum2" && ok || fail "the report is not reproducible: $(diff "$T/sum1" "$T/sum2" | head -5)"
[ "$(stat -c %i "$T/site/$page")" = "$ino1" ] && ok || fail "an unchanged page was written again, not linked"
"$POSDIFF" --corpus "$T/c" report -o "$T/fresh" >/dev/null 2>&1 || fail "report into a new directory"
(cd "$T/fresh" && find . -type f | sort | xargs sha1sum) >"$T/sum-fresh"
cmp -s "$T/sum1" "$T/sum-fresh" && ok || fail "a report over an earlier one differs from a fresh one"
rm -rf "$T/fresh"
ls -d "$T"/site.* 2>/dev/null | grep -q . && fail "left beside the report: $(ls -d "$T"/site.*)" || ok

# a directory that is not a report is kept; a failure keeps the report
mkdir "$T/mine"; echo precious >"$T/mine/notes.txt"
run --corpus "$T/c" report -o "$T/mine"
expect_rc 2 "-o onto a directory that is not a report"; expect_one_error_line "-o onto another directory"
expect_err "is not a posdiff report" "-o onto another directory"
[ "$(cat "$T/mine/notes.txt")" = precious ] && [ "$(ls "$T/mine")" = notes.txt ] && ok || fail "the directory was touched"
echo x >"$T/file"
run --corpus "$T/c" report -o "$T/file"
expect_rc 2 "-o onto a file"
TMPDIR=/nonexistent/tmp run --corpus "$T/c" report -o "$T/site"
expect_rc 2 "report with no place for its spools"; expect_one_error_line "report with no place for its spools"
(cd "$T/site" && find . -type f | sort | xargs sha1sum) >"$T/sum3"
cmp -s "$T/sum1" "$T/sum3" && ok || fail "a failed report changed the earlier one"
ls -d "$T"/site.* 2>/dev/null | grep -q . && fail "a failed report left $(ls -d "$T"/site.*)" || ok
run --corpus "$T/c" report -o "$T/x" no-such-position
expect_rc 2 "an unknown position"; expect_one_error_line "an unknown position"
[ ! -e "$T/x" ] && ok || fail "an unknown position wrote $T/x"
run --corpus "$T/c" report -o ""
expect_rc 2 "-o ''"
run --corpus "$T/c" report --since 2021-13
expect_rc 2 "an invalid --since"

# selection: one position, a date range
run --corpus "$T/c" report -o "$T/one" data-security --since 2020
expect_rc 0 "report data-security --since 2020"
[ "$(ls "$T/one/positions")" = data-security.html ] && ok || fail "one position: $(ls "$T/one/positions")"
[ "$(grep -c '<tr data-statement=' "$T/one/index.html")" -eq 3 ] && ok || fail "--since 2020: 3 rows"
[ "$(ls "$T/one/statements" | wc -l)" -eq 3 ] && ok || fail "--since 2020: 3 statement pages"
grep -q '2019-09' "$T/one/index.html" && fail "--since 2020 shows 2019" || ok

# over 400 statements the matrix and the position pages go by year
python3 "$SRC/tests/cli/gen_corpus.py" "$SRC/corpus" "$T/g" 450 >/dev/null
"$POSDIFF" --corpus "$T/g" build >/dev/null 2>&1
run --corpus "$T/g" report -o "$T/gsite"
expect_rc 0 "report of 450 statements"
[ -f "$T/gsite/years/2000.html" ] && [ -f "$T/gsite/positions/data-security/2000.html" ] && ok ||
  fail "450 statements: no year pages: $(ls "$T/gsite" "$T/gsite/positions")"
grep -q 'id="matrix"' "$T/gsite/index.html" && fail "450 statements: the overview still holds every row" || ok
"$POSDIFF" --corpus "$T/g" log --format=json >"$T/g.json"
python3 "$SRC/tests/report/check_site.py" --static "$T/gsite" "$T/g.json" >"$T/gcheck.out" 2>&1 && ok ||
  fail "the paged site: $(head -20 "$T/gcheck.out")"

# a hostile statement: markup, a script, a long word, right-to-left text
H="$T/h"; mkdir -p "$H/statements"
printf '[position "data-security"]\n\ttitle = Data <security> & "more"\n\tmatch = data security\n' >"$H/positions.conf"
long=$(printf 'x%.0s' $(seq 1 400))
cat >"$H/statements/a.txt" <<TXT
We value data security and <script>alert(1)</script> in every state.

Data security needs <b>bold</b> action and [a link](javascript:alert(1)) now.

Data security matters: $long and the words go on.

ونحن ندعم الأمن data security في الفضاء الإلكتروني.

![a picture](http://example.com/picture.png) data security.
TXT
cat >"$H/statements/b.txt" <<TXT
We value data security and <script>alert(1)</script> in each state.

Data security needs <b>bold</b> action now.
TXT
printf '[statement "a"]\n\tfile = statements/a.txt\n\tdate = 2020-01-01\n\ttitle = <i>Hostile</i> & co\n\tsource = javascript:alert(1)\n' >"$H/statements.conf"
printf '[statement "b"]\n\tfile = statements/b.txt\n\tdate = 2021-01-01\n\tsource = https://example.org/?a=1&b="2"\n' >>"$H/statements.conf"
"$POSDIFF" --corpus "$H" build >/dev/null 2>&1
run --corpus "$H" report -o "$T/hsite"
expect_rc 0 "report of a hostile statement"
python3 "$SRC/tests/report/check_site.py" --hostile "$T/hsite" "$SHOTS/hostile" >"$T/hcheck.out" 2>&1 && ok ||
  fail "the hostile site in the browser: $(grep -v '^screenshot' "$T/hcheck.out" | head -20)"
grep '^screenshot' "$T/hcheck.out" | sed 's/^/  /'
grep -q '<script' "$T/hsite/statements/a.html" && fail "a raw <script> in the statement page" || ok
grep -q 'href="javascript' "$T"/hsite/*/*.html "$T/hsite/index.html" && fail "a javascript: link" || ok

# a statement added: the pages of the statements before it are the
# earlier report's files (linked), the rest written anew
ino_a=$(stat -c %i "$T/hsite/statements/a.html"); ino_i=$(stat -c %i "$T/hsite/index.html")
printf 'Data security again, in a third statement.\n' >"$H/statements/c.txt"
printf '[statement "c"]\n\tfile = statements/c.txt\n\tdate = 2022-01-01\n' >>"$H/statements.conf"
"$POSDIFF" --corpus "$H" build >/dev/null 2>&1 || fail "build after adding c"
run --corpus "$H" report -o "$T/hsite"
expect_rc 0 "report after a statement was added"
[ "$(stat -c %i "$T/hsite/statements/a.html")" = "$ino_a" ] && ok || fail "an earlier statement's page was written again"
[ "$(stat -c %i "$T/hsite/index.html")" != "$ino_i" ] && ok || fail "the overview was not written again"
grep -q '"statements/c.html"' "$T/hsite/index.html" && ok || fail "the overview lacks the new statement"

finish
