#!/usr/bin/env bash
# posdiff init / add: create a corpus, add statements, print what was done.
. "$(dirname "$0")/lib.sh"

run init "$T/c"
expect_rc 0 "init"; expect_out "Initialized empty posdiff corpus in $T/c" "init"
[ -f "$T/c/statements.conf" ] && [ -f "$T/c/positions.conf" ] && [ -d "$T/c/statements" ] && ok || fail "init layout"
run init "$T/c"
expect_rc 2 "init twice"; expect_one_error_line "init twice"; expect_err "already holds a corpus" "init twice"

cp "$SRC/corpus/statements/2021-12-14-oewg.txt" "$T/wu.txt"
run --corpus "$T/c" add "$T/wu.txt" --date 2021-12-14 --title "Wu Jianjian at the OEWG" --venue OEWG --speaker "Wu Jianjian" --source "https://example.org/a#b;c"
expect_rc 0 "add"; expect_out "Added statement 2021-12-14-wu (2021-12-14)" "add"
cmp -s "$T/wu.txt" "$T/c/statements/2021-12-14-wu.txt" && ok || fail "add copies the raw bytes"
git config -f "$T/c/statements.conf" statement.2021-12-14-wu.source | grep -qx 'https://example.org/a#b;c' && ok || fail "git reads the manifest value back"
git config -f "$T/c/statements.conf" statement.2021-12-14-wu.date | grep -qx '2021-12-14' && ok || fail "date recorded"

# discovery: from inside the corpus, and through -C
cp "$SRC/corpus/statements/2025-02-oewg-10.txt" "$T/x.txt"
(cd "$T/c/statements" && "$POSDIFF" add "$T/x.txt" --date 2025-02 --id oewg-10) >/dev/null 2>&1 && ok || fail "add from a subdirectory"
run -C "$T/c" normalize oewg-10
expect_rc 0 "normalize by id after add"; expect_out "id: oewg-10" "front matter"

run --corpus "$T/c" add --help
expect_rc 0 "add --help"; expect_out "usage: posdiff add FILE --date D" "add --help"
run --corpus "$T/c" add "$T/x.txt" --dat 2025
expect_rc 2 "misspelt option"; expect_err "did you mean --date?" "suggestion"

# add --strip GLOB (repeatable): strip rules in the new entry (issue 20, item 3f)
printf '%s\n' "Home > News > Statements" "Share this page" "Statement of the delegation at the session" "" "We support the work of the group." "Print" > "$T/strip.txt"
run --corpus "$T/c" add "$T/strip.txt" --date 2026-01-02 --id strip-one --strip 'Home > *' --strip "Share this page" --strip=Print
expect_rc 0 "add --strip"
git config -f "$T/c/statements.conf" --get-all statement.strip-one.strip > "$T/strips" 2>&1
printf '%s\n' 'Home > *' 'Share this page' 'Print' | cmp -s - "$T/strips" && ok || fail "add --strip: strip lines: $(cat "$T/strips")"
run --corpus "$T/c" normalize strip-one --explain
expect_out "removed: Share this page	(strip: Share this page)" "the new strip rule applies"
expect_out "removed: Print	(strip: Print)" "the --strip=GLOB form"
run --corpus "$T/c" normalize strip-one
case "$out" in *"Share this page"*|*Print*) fail "strip rules not applied: $out" ;; *) ok ;; esac
# an invalid glob: exit 2 with the fix, nothing written
before=$(tree_sum "$T/c")
printf 'Another statement of the delegation\n\nWe support it.\n' > "$T/strip2.txt"
run --corpus "$T/c" add "$T/strip2.txt" --date 2026-01-03 --strip 'Page [0-9'
expect_rc 2 "add --strip with an invalid glob"; expect_one_error_line "invalid glob"
expect_err "'[' without its ']'" "invalid glob: the fix"
[ "$(tree_sum "$T/c")" = "$before" ] && ok || fail "invalid --strip glob: the corpus changed"
run --corpus "$T/c" add "$T/strip2.txt" --date 2026-01-03 --strip ''
expect_rc 2 "add --strip ''"; expect_one_error_line "empty glob"
[ "$(tree_sum "$T/c")" = "$before" ] && ok || fail "empty --strip glob: the corpus changed"
# quotes, '#', ';' and backslashes survive the manifest's syntax
printf 'A third statement of the delegation\n\nWe support it.\n[x] "q" #g; \\y\n' > "$T/strip3.txt"
run --corpus "$T/c" add "$T/strip3.txt" --date 2026-01-04 --id strip-three --strip '\[x] "q" #g; \\y'
expect_rc 0 "add --strip with quotes and escapes"
git config -f "$T/c/statements.conf" --get-all statement.strip-three.strip | grep -qxF '\[x] "q" #g; \\y' && ok \
  || fail "--strip value read back by git: $(git config -f "$T/c/statements.conf" --get-all statement.strip-three.strip)"
run --corpus "$T/c" normalize strip-three
case "$out" in *'#g'*) fail "escaped --strip glob did not apply: $out" ;; *) ok ;; esac
run --corpus "$T/c" add --help
expect_out "--strip GLOB" "add --help names --strip"
finish
