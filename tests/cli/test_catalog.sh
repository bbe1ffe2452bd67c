#!/usr/bin/env bash
# A catalog that checks itself (issue 18): positions.conf missing is an
# error with the fix, not an empty history; a section given twice, a
# strip glob that cannot match and anything `git config -f` refuses are
# errors naming file:line and the fix, in every command, leaving the
# corpus and the history as they were; an unknown key ('titel', 'mach')
# is a warning at its line in every command and fails
# `check --fail-on=warning`.
. "$(dirname "$0")/lib.sh"

copy_corpus "$T/c"
"$POSDIFF" --corpus "$T/c" build >/dev/null 2>&1 || { echo "setup: build failed"; exit 1; }
H="$T/c/.posdiff/history.git"
P="$T/c/positions.conf"; M="$T/c/statements.conf"
cp "$P" "$T/p.orig"; cp "$M" "$T/m.orig"
fingerprint() { (cd "$T/c" && find . -type f -print | sort | xargs sha1sum; git --git-dir="$H" rev-parse main); }
restore() { cp "$T/p.orig" "$P"; cp "$T/m.orig" "$M"; }

# refused NAME EXPECTED: every command exits 2 with one error line
# holding EXPECTED, and writes nothing
refused() {
  local before; before=$(fingerprint)
  for args in build log "positions" "check" "blame data-security"; do
    # shellcheck disable=SC2086
    run --corpus "$T/c" $args
    expect_rc 2 "$1 ($args)"; expect_one_error_line "$1 ($args)"; expect_err "$2" "$1 ($args)"
  done
  [ "$(fingerprint)" = "$before" ] && ok || fail "$1: the corpus or the history changed"
  restore
}

rm "$P"
refused "positions.conf missing" "c/positions.conf: no such file; every corpus has a catalog: restore it (git checkout -- positions.conf), or create an empty one to track no position"

printf '[position "backdoors"]\n\tmatch = back doors\n' >>"$P"
line=$(grep -n '^\[position "backdoors"\]' "$P" | tail -1 | cut -d: -f1)
first=$(grep -n '^\[position "backdoors"\]' "$P" | head -1 | cut -d: -f1)
refused "a position given twice" "positions.conf:$line: [position \"backdoors\"] again (first at line $first); merge the two sections into one"

printf '\tstrip = "[Pp"\n' >>"$M"
refused "a strip glob with an open [" "statements.conf:$(wc -l <"$M"): statement \"2025-02-oewg-10\": strip glob '[Pp' has a '[' without its ']'; close it, or write '\\[' for a bracket"

printf '[position "x"]\n\ttitle = "unterminated\n\tmatch = data\n' >>"$P"
refused "an unterminated quote" "positions.conf:$(($(wc -l <"$T/p.orig") + 2)): not valid git-config syntax (a quote is not closed); fix that line"

# an empty catalog is explicit, and works
: >"$P"
run --corpus "$T/c" positions
expect_rc 0 "an empty positions.conf"
restore

# unknown keys: a warning at file:line, in every command; check fails on it
sed -i 's/^\ttitle = Data security$/\ttitel = Data security/; 0,/^\tmatch = /s//\tmach = /' "$P"
tline=$(grep -n 'titel' "$P" | cut -d: -f1); mline=$(grep -n 'mach =' "$P" | cut -d: -f1)
[ -n "$tline" ] && [ -n "$mline" ] && ok || fail "setup: the typos were not made"
for args in build log positions "blame data-security" "diff 2021-12-14-oewg 2025-02-oewg-10"; do
  # shellcheck disable=SC2086
  run --corpus "$T/c" $args
  expect_rc 0 "typos ($args)"
  expect_err "positions.conf:$tline: position \"data-security\": unknown key 'titel' ignored; the keys are title, match, exclude and example" "titel ($args)"
  expect_err "positions.conf:$mline: position \"data-security\": unknown key 'mach' ignored" "mach ($args)"
done
run --corpus "$T/c" check --fail-on=warning
expect_rc 1 "check --fail-on=warning with a typo"; expect_out "unknown key 'titel'" "check lists the typo"
restore
printf '\tcolour = red\n' >>"$M"
run --corpus "$T/c" log
expect_rc 0 "an unknown statement key"
expect_err "statements.conf:$(wc -l <"$M"): statement \"2025-02-oewg-10\": unknown key 'colour' ignored; the keys are file, date, title, venue, speaker, source and strip" "an unknown statement key"
restore
finish
