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
finish
