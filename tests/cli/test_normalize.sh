#!/usr/bin/env bash
# posdiff normalize on the shipped corpus, as a user runs it.
. "$(dirname "$0")/lib.sh"
cd "$SRC"

ids=$(git config -f corpus/statements.conf --get-regexp '^statement\..*\.file$' | sed 's/^statement\.\(.*\)\.file .*/\1/')
[ "$(echo "$ids" | wc -l)" -eq 5 ] && ok || fail "five statements in the manifest"
for id in $ids; do
  run normalize "$id"
  expect_rc 0 "normalize $id"
  printf '%s\n' "$out" > "$T/$id.md"
  # the same through the file path and through --corpus from elsewhere
  file=$(git config -f corpus/statements.conf "statement.$id.file")
  (cd / && "$POSDIFF" --corpus "$SRC/corpus" normalize "$id") | cmp -s - "$T/$id.md" && ok || fail "$id via --corpus"
  # a FILE is normalized on its own, even a corpus file: no front matter
  # or manifest rules, and the same output from any directory (textconv)
  "$POSDIFF" normalize "corpus/$file" > "$T/$id.file.md" && ok || fail "$id via its file path"
  head -1 "$T/$id.file.md" | grep -q '^<!-- posdiff' && fail "$id via its file path: front matter" || ok
  (cd / && "$POSDIFF" normalize "$SRC/corpus/$file") | cmp -s - "$T/$id.file.md" && ok || fail "$id via its file path from /"
  "$POSDIFF" normalize --textconv "corpus/$file" | cmp -s - "$T/$id.file.md" && ok || fail "$id: --textconv"
  run normalize "$id" --explain
  expect_rc 0 "explain $id"
  # words of the body == words of the raw text minus the reported removals
  python3 - "corpus/$file" "$T/$id.md" <<'PY' "$out" && ok || fail "$id: word sequence not preserved"
import re, sys
raw = open(sys.argv[1], encoding="utf-8-sig").read().replace("\r\n", "\n").replace("\r", "\n")
md = open(sys.argv[2], encoding="utf-8").read()
explain = sys.argv[3]
body = md.split("-->\n", 1)[1] if md.startswith("<!--") else md
words = lambda s: re.findall(r"[^\W_]+", s)
removed = []
for line in explain.splitlines():
    m = re.match(r".*?:(\d+):(\d+): removed: (.*?)\t\(.*\)$", line)
    if m:
        removed.append((int(m.group(1)), m.group(3)))
lines = raw.split("\n")
for n, text in removed:
    assert text.strip() in lines[n - 1].replace("\u00a0", " ").strip() or words(text) == words(lines[n - 1]), (n, text, lines[n - 1])
    lines[n - 1] = lines[n - 1].replace(text, "", 1) if text in lines[n - 1] else ""
import unicodedata
want = words(unicodedata.normalize("NFC", "\n".join(lines)))
got = words(body)
if want != got:
    for i, (a, b) in enumerate(zip(want, got)):
        if a != b:
            print("first difference at word", i, want[max(0, i-5):i+5], got[max(0, i-5):i+5], file=sys.stderr)
            break
    print(len(want), len(got), file=sys.stderr)
    sys.exit(1)
PY
done

# --explain on the 2020 web page: every removal with its raw line
run normalize 2020-10-30-first-committee --explain
raw=corpus/statements/2020-10-30-first-committee.txt
for pat in "Home Meetings" "Home" "2020-10-30 06:47" "Suggest to a friend" "Print"; do
  line=$(grep -n -- "$pat" "$raw" | head -1 | cut -d: -f1)
  [ "$pat" = "Print" ] && line=$(grep -n 'Print$' "$raw" | tail -1 | cut -d: -f1)
  expect_out "2020-10-30-first-committee.txt:$line:" "explain names line $line ($pat)"
done
expect_out "5 removals" "five removals"
grep -q -e 'Suggest to a friend' -e '06:47' -e 'Meetings & Statements' -e 'China & UN' "$T/2020-10-30-first-committee.md" && fail "chrome left in the output" || ok

# one sentence per line; repairs; structure
grep -qx '  - Fake news and the leak and abuse of personal data aggravate trust deficit.' "$T/2019-09-oewg-submission.md" && ok || fail "trust / deficit. joined"
grep -q 'international community. The UN ICT security process' "$T/2025-02-oewg-10.md" && fail "community.The not split into lines" || ok
grep -qx 'The UN ICT security process is at a critical crossroads, facing new important opportunities as well as severe challenges.' "$T/2025-02-oewg-10.md" && ok || fail "crossroads, facing"
grep -qx '## I. Existing and Potential Threats' "$T/2025-02-oewg-10.md" && ok || fail "I. Existing heading"
grep -qx '### iv) Data security' "$T/2019-09-oewg-submission.md" && ok || fail "iv) heading"
grep -qx '## VII. Regular Institutional Dialogue' "$T/2019-09-oewg-submission.md" && ok || fail "VII. heading"
grep -q '^#.*\(Dear colleagues\|Mr\. Chair\|Colleagues,\)' "$T"/*.md && fail "a salutation became a heading" || ok
grep -qx '# Statement by Counsellor Wu Jianjian, Head of the Chinese Delegation at the General Exchange of Views of the First Substantive Session of the Open-ended Working Group on Security of and in the Use of Information and Communications Technologies' "$T/2021-12-14-oewg.md" && ok || fail "2021 bold title"

# the whole output round-trips through cmark when cmark is available
if command -v cmark >/dev/null; then
  for id in $ids; do cmark -t commonmark --width 0 "$T/$id.md" | cmp -s - "$T/$id.md" && ok || fail "$id: cmark round trip"; done
fi

# textconv-style use outside any corpus; errors
cp corpus/statements/2021-12-14-oewg.txt "$T/raw.txt"
(cd "$T" && "$POSDIFF" normalize raw.txt) | grep -q '^# Statement by Counsellor' && ok || fail "normalize a bare file"
run normalize no-such-id
expect_rc 2 "unknown id"; expect_one_error_line "unknown id"; expect_err "no-such-id" "unknown id"
finish
