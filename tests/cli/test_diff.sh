#!/usr/bin/env bash
# posdiff diff on the shipped corpus and --no-index on files: statement
# names (ids, dates, revisions), the word diff, --stat agreeing with it,
# moves, --lines as a patch git applies, --side-by-side widths, errors.
. "$(dirname "$0")/lib.sh"
copy_corpus "$T/corpus"
"$POSDIFF" -C "$T/corpus" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }
C="$T/corpus"
H="$C/.posdiff/history.git"

# default: the two newest statements, inline markers without colour
run -C "$C" diff
expect_rc 0 "diff"
expect_out "diff 2021-12-14-oewg (2021-12-14) -> 2025-02-oewg-10 (2025-02)" "diff header"
expect_out "Data security (data-security)  changed" "diff position title"
# (the newest statement makes the 2021 points in new words: restated,
# each followed by its was line, not word diffs)
expect_out $'\n    \xe2\x89\x88 ' "diff restated marker"
expect_out $'\n        was (2021-12-14, 2021-12-14-oewg): ' "diff was line"
case "$out" in *$'\033'*) fail "NO_COLOR diff has escape sequences" ;; *) ok ;; esac
default_out=$out

# A and B by id, date and revision name the same statements
run -C "$C" diff HEAD~1 HEAD;                   [ "$out" = "$default_out" ] && ok || fail "HEAD~1 HEAD differs from the default"
run -C "$C" diff 2021 2025-02;                  [ "$out" = "$default_out" ] && ok || fail "dates differ from the default"
run -C "$C" diff 2021-12-14-oewg;               [ "$out" = "$default_out" ] && ok || fail "A alone is not A against the newest"
run -C "$C" diff "$(git --git-dir="$H" rev-parse --short=10 HEAD~1)" main
[ "$out" = "$default_out" ] && ok || fail "commit ids differ from the default"

# the 2020 passage restated in 2025 without "the": a one-word deletion
run -C "$C" diff 2020 2025 --position data-security
expect_rc 0 "diff --position"
expect_out "    ~ States should not request domestic companies to store [-the -]data generated" "2020 -> 2025 data storage"
case "$out" in *"(single-track)"*) fail "--position shows other positions" ;; *) ok ;; esac

# colour: runs, not markers
run --color=always -C "$C" diff 2020 2025 --position data-security
case "$out" in *$'\033[31mthe \033[m'*) ok ;; *) fail "colour: no red run for 'the': $out" ;; esac
case "$out" in *"[-"*) fail "colour output still has [- markers" ;; *) ok ;; esac

# --stat: the counts are the passages the word diff prints, by marker
for pair in "2019-09-oewg-submission 2020" "2020 2021" "HEAD~1 HEAD"; do
  "$POSDIFF" -C "$C" diff $pair > "$T/words" 2>&1
  "$POSDIFF" -C "$C" diff $pair --stat > "$T/stat" 2>&1
  python3 - "$T/words" "$T/stat" <<'PY' && ok || fail "--stat disagrees with the word diff ($pair)"
import re, sys
words = open(sys.argv[1]).read().split("\n")
stat = open(sys.argv[2]).read().rstrip().split("\n")
counts, cur = {}, None
for line in words:
    m = re.match(r"^.* \(([a-z0-9.-]+)\)  (added|changed|unchanged)$", line)
    if m:
        cur = m.group(1); counts[cur] = {"~": 0, ">": 0, "\u2248": 0, "+": 0, "-": 0}; continue
    m = re.match(r"^    ([~>\u2248+-]) ", line)
    if m and cur:
        counts[cur][m.group(1)] += 1
assert re.match(r"^ \d+ of \d+ positions? changed$", stat[-1]), stat[-1]
for line in stat[:-1]:
    m = re.match(r"^ ([a-z0-9.-]+) +\| (\d+) changed, (\d+) moved, (\d+) restated, (\d+) added, (\d+) dropped, (\d+) unchanged; words: \d+ deleted, \d+ inserted, \d+ changed$", line)
    assert m, line
    pid, ch, mv, rs, ad, dr, un = m.group(1), *map(int, m.groups()[1:])
    c = counts.get(pid, {"~": 0, ">": 0, "\u2248": 0, "+": 0, "-": 0})
    assert (c["~"], c[">"], c["\u2248"], c["+"], c["-"]) == (ch, mv, rs, ad, dr), (pid, c, line)
PY
done
run -C "$C" diff 2020 2025 --stat --position data-security
expect_rc 0 "--stat --position"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] && ok || fail "--stat --position: expected 2 lines: $out"
expect_out " data-security | " "--stat --position line"

# moved passages print as moved, not as a deletion plus an insertion
printf 'Alpha bravo charlie delta echo.\n\nFoxtrot golf hotel india juliet.\n\nKilo lima mike november oscar.\n' > "$T/a.txt"
printf 'Kilo lima mike november oscar.\n\nAlpha bravo charlie delta echo.\n\nFoxtrot golf hotel india juliet papa.\n\nQuebec romeo sierra tango.\n' > "$T/b.txt"
run diff --no-index "$T/a.txt" "$T/b.txt"
expect_rc 1 "--no-index raw files (they differ)"
expect_out "diff $T/a.txt -> $T/b.txt" "--no-index header"
expect_out "    + Quebec romeo sierra tango." "--no-index added"
python3 - "$out" <<'PY' && ok || fail "moved passage: $out"
import sys
lines = [l for l in sys.argv[1].split("\n") if l.startswith("    ")]
moved = [l for l in lines if l.startswith("    > ") and l.endswith(" (moved)")]
assert len(moved) == 1, lines
assert not [l for l in lines if l.startswith("    - ")], lines   # nothing dropped
assert len([l for l in lines if l.startswith("    + ")]) == 1, lines
PY
expect_out "    ~ Foxtrot golf hotel india juliet {+papa+}." "--no-index word change"
run diff --no-index "$T/a.txt" "$T/b.txt" --stat
expect_out " document | 1 changed, 1 moved, 0 restated, 1 added, 0 dropped, 1 unchanged" "--no-index --stat"

# --no-index on normalized files, and a file against itself
"$POSDIFF" -C "$C" normalize 2020-10-30-first-committee > "$T/a.md"
"$POSDIFF" -C "$C" normalize 2021-12-14-oewg > "$T/b.md"
run diff --no-index "$T/a.md" "$T/b.md" --stat
expect_rc 1 "--no-index normalized (they differ)"
expect_out " 1 of 1 document changed" "--no-index normalized --stat"
run diff --no-index "$T/a.md" "$T/a.md" --stat
expect_out " 0 changed, 0 moved, 0 restated, 0 added, 0 dropped, " "--no-index same file"
run diff --no-index "$C/statements/2021-12-14-oewg.txt" "$C/statements/2021-12-14-oewg.txt"
expect_rc 0 "--no-index raw same file"
expect_out "    (no differences)" "--no-index raw same file"
run diff --no-index "$T/a.md" "$T/b.md" --lines
expect_out "--- a$T/a.md" "--no-index --lines old name"

# --lines: a unified diff that git applies
run -C "$C" diff --lines
expect_rc 0 "--lines"
printf '%s\n' "$out" > "$T/p.diff"
head -1 "$T/p.diff" | grep -qx 'diff --git a/statements/2021/2021-12-14-oewg.md b/statements/2025/2025-02-oewg-10.md' && ok || fail "--lines header: $(head -3 "$T/p.diff")"
mkdir -p "$T/apply/statements/2021" && git -C "$T/apply" init -q .
git --git-dir="$H" show HEAD~1:statements/2021/2021-12-14-oewg.md > "$T/apply/statements/2021/2021-12-14-oewg.md"
(cd "$T/apply" && git apply --check "$T/p.diff" && git apply "$T/p.diff") && ok || fail "git apply --lines patch"
git --git-dir="$H" show HEAD:statements/2025/2025-02-oewg-10.md | cmp -s - "$T/apply/statements/2025/2025-02-oewg-10.md" && ok || fail "applied patch != new statement"
run -C "$C" diff 2020 2025 --lines --position data-security
head -1 <<<"$out" | grep -qx 'diff --git a/positions/data-security.md b/positions/data-security.md' && ok || fail "--lines --position header: $out"
printf '%s\n' "$out" > "$T/q.diff"
git --git-dir="$H" show HEAD~2:positions/data-security.md > "$T/apply/positions.md"
mkdir -p "$T/apply/positions" && mv "$T/apply/positions.md" "$T/apply/positions/data-security.md"
(cd "$T/apply" && git apply --check "$T/q.diff") && ok || fail "git apply --check --position patch"

# --side-by-side fits the terminal
for cols in 80 60 132; do
  out=$(COLUMNS=$cols "$POSDIFF" -C "$C" diff --side-by-side 2020 2025); rc=$?
  expect_rc 0 "--side-by-side $cols"
  python3 - "$cols" "$out" <<'PY' && ok || fail "--side-by-side: a line is wider than $cols columns"
import re, sys, unicodedata
cols = int(sys.argv[1])
for line in sys.argv[2].split("\n"):
    w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in re.sub("\x1b\\[[0-9;]*m", "", line))
    assert w <= cols, (w, line)
PY
done
out=$(COLUMNS=80 "$POSDIFF" --color=always -C "$C" diff --side-by-side 2020 2025)
python3 - "$out" <<'PY' && ok || fail "--side-by-side in colour is wider than 80 columns"
import re, sys
assert all(len(re.sub("\x1b\\[[0-9;]*m", "", l)) <= 80 for l in sys.argv[1].split("\n"))
PY
out=$(COLUMNS=80 "$POSDIFF" -C "$C" diff --side-by-side 2020 2025 --position data-security)
case "$out" in *"~ States should not request domestic"*"| States should not request domestic"*) ok ;; *) fail "side-by-side columns: $out" ;; esac

# global options after the command; FILE FILE outside a corpus implies
# --no-index (as git diff); both as the benchmark's command line
run diff --no-index "$T/a.txt" "$T/b.txt"; noindex_out=$out
run diff --no-index "$T/a.txt" "$T/b.txt" --words --no-pager
expect_rc 1 "diff ... --no-pager (the files differ)"; [ "$out" = "$noindex_out" ] && ok || fail "--no-pager after diff changes the output"
mkdir -p "$T/plain" && cp "$T/a.txt" "$T/b.txt" "$T/plain/"
run -C "$T/plain" diff a.txt b.txt --words --no-pager
expect_rc 1 "diff FILE FILE outside a corpus (they differ)"
[ "$out" = "$(sed "s|$T/||g" <<<"$noindex_out")" ] && ok || fail "diff FILE FILE outside a corpus differs from --no-index: $out"
run -C "$T/plain" diff a.txt b.txt --color=always
case "$out" in *$'\033[32m'*) ok ;; *) fail "--color=always after diff: no green run: $out" ;; esac
run -C "$T/plain" diff a.txt b.txt --color=sometimes
expect_rc 2 "--color=sometimes after diff"; expect_err "use auto, always or never" "--color=sometimes after diff"
run -C "$T/plain" diff a.txt missing.txt
expect_rc 2 "diff FILE MISSING outside a corpus"; expect_err "no corpus" "diff FILE MISSING outside a corpus"
run -C "$C" diff "$T/a.txt" "$T/b.txt"
expect_rc 2 "diff FILE FILE in a corpus names statements"; expect_err "is not a statement id" "diff FILE FILE in a corpus"
if command -v script >/dev/null; then
  printf '#!/bin/sh\ntouch "%s/pager.ran"; cat >/dev/null\n' "$T" > "$T/pager.sh"; chmod +x "$T/pager.sh"
  POSDIFF_PAGER="$T/pager.sh" timeout 60 script -qfec "'$POSDIFF' -C '$T/plain' diff a.txt b.txt --no-pager" /dev/null </dev/null >/dev/null 2>&1
  [ ! -e "$T/pager.ran" ] && ok || fail "diff ... --no-pager on a terminal still ran the pager"
  POSDIFF_PAGER="$T/pager.sh" timeout 60 script -qfec "'$POSDIFF' -C '$T/plain' diff a.txt b.txt" /dev/null </dev/null >/dev/null 2>&1
  [ -e "$T/pager.ran" ] && ok || fail "diff on a terminal did not run the pager"
fi

# errors: one line, exit 2
for args in "nope" "HEAD~9" "2022" "2019-09" "2021-13" "HEAD~1 HEAD --position nope" "--words --lines" "a b c"; do
  run -C "$C" diff $args
  expect_rc 2 "diff $args"; expect_one_error_line "diff $args"
done
run -C "$C" diff nope;      expect_err "'nope' is not a statement id" "unknown name"
run -C "$C" diff HEAD~9;    expect_err "revision 'HEAD~9' does not exist" "bad revision"
run -C "$C" diff 2022;      expect_err "no statement dated 2022" "date matching nothing"
run -C "$C" diff 2019-09;   expect_err "2019-09-oewg-general-debate (2019-09), 2019-09-oewg-submission (2019-09)" "ambiguous date lists the statements"
run -C "$C" diff --position nope; expect_err "'nope' is not a position" "unknown position"
run diff --no-index "$T/a.txt";   expect_rc 2 "--no-index one file"; expect_one_error_line "--no-index one file"
run diff --no-index "$T/a.txt" "$T/missing.txt"; expect_rc 2 "--no-index missing"; expect_err "missing.txt" "--no-index missing"
run diff --no-index --position data-security "$T/a.txt" "$T/b.txt"; expect_rc 2 "--no-index --position"
run -C "$C" diff --help; expect_rc 0 "diff --help"; expect_out "--stat             ' ID | N changed" "diff --help documents --stat"
expect_out "N restated" "diff --help documents --stat's restated count"
rm -rf "$C/.posdiff"
run -C "$C" diff
expect_rc 2 "no history"; expect_err "run 'posdiff build' first" "no history"
finish
