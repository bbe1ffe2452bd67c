#!/usr/bin/env bash
# posdiff blame on the shipped corpus: the current wording of a
# position, each word with the statement that introduced it; the text
# format, the --porcelain format (cli/COMMANDS.md), and errors.
. "$(dirname "$0")/lib.sh"
copy_corpus "$T/corpus"
"$POSDIFF" -C "$T/corpus" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }
C="$T/corpus"
H="$C/.posdiff/history.git"

run -C "$C" blame data-security
expect_rc 0 "blame"
expect_out "Data security (data-security), as stated by 2025-02-oewg-10 (2025-02)" "blame header"
# the data-storage sentence: said in 2020, restated in 2025 without "the"
expect_out "  2020-10-30  2020-10-30-first-committee  States should not request domestic companies to store data generated and obtained overseas in their own territory" "words introduced in 2020 name the 2020 statement"
case "$out" in *$'\033'*) fail "NO_COLOR blame has escape sequences" ;; *) ok ;; esac

run -C "$C" blame data-security --porcelain
expect_rc 0 "blame --porcelain"
printf '%s\n' "$out" > "$T/porcelain"
"$POSDIFF" -C "$C" normalize 2025-02-oewg-10 > "$T/2025.md"
git --git-dir="$H" log --format='%H %(trailers:key=Statement-Id,valueonly,separator=)' > "$T/commits"
python3 - "$T/porcelain" "$T/2025.md" "$T/commits" <<'PY' && ok || fail "porcelain format"
import re, sys
rows = open(sys.argv[1]).read().rstrip("\n").split("\n")
md = open(sys.argv[2]).read().split("\n")
commits = dict(l.split(" ", 1)[::-1] for l in open(sys.argv[3]).read().strip().split("\n"))
unesc = lambda s: re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "\\": "\\"}[m.group(1)], s)
passages = {}
for r in rows:
    f = r.split("\t")
    assert len(f) == 8, f
    p, line, start, length = map(int, f[:4])
    commit, date, stmt, text = f[4:]
    assert re.fullmatch(r"[0-9a-f]{40}", commit) and commits[stmt] == commit, (stmt, commit)
    assert re.fullmatch(r"\d{4}(-\d\d){0,2}", date)
    t = unesc(text)
    assert len(t.encode()) == length, (length, t)
    whole = passages.setdefault(p, [line, b""])
    assert whole[0] == line and len(whole[1]) == start, (p, start)
    whole[1] += t.encode()
assert sorted(passages) == list(range(1, len(passages) + 1))
for p, (line, text) in passages.items():
    assert text.decode() in md[line - 1], (line, text, md[line - 1])
hits = [r for r in rows if "\tStates should not request domestic companies to store " in r]
assert hits and all("\t2020-10-30-first-committee\t" in r for r in hits), hits
PY

# a position whose latest restatement is older than the newest statement
run -C "$C" blame backdoors --porcelain
expect_rc 0 "blame backdoors"
python3 - "$out" <<'PY' && ok || fail "backdoors: runs name 2019-2025 statements"
import sys
rows = [r.split("\t") for r in sys.argv[1].strip().split("\n")]
assert rows and all(r[6][:4] in ("2019", "2020", "2021", "2025") for r in rows), rows
PY

run --color=always -C "$C" blame data-security
case "$out" in *$'\033['*) ok ;; *) fail "--color=always blame has no colour" ;; esac

run -C "$C" blame nope;    expect_rc 2 "unknown position"; expect_one_error_line "unknown position"; expect_err "'nope' is not a position" "unknown position"
run -C "$C" blame;         expect_rc 2 "no position";      expect_one_error_line "no position"
run -C "$C" blame a b;     expect_rc 2 "two positions";    expect_one_error_line "two positions"
run -C "$C" blame data-security --porcelian; expect_rc 2 "bad option"; expect_err "did you mean --porcelain" "bad option"
run -C "$C" blame --help;  expect_rc 0 "blame --help"; expect_out "PASSAGE LINE START LENGTH COMMIT DATE STATEMENT TEXT" "blame --help documents --porcelain"
rm -rf "$C/.posdiff"
run -C "$C" blame data-security; expect_rc 2 "no history"; expect_err "run 'posdiff build' first" "no history"
finish
