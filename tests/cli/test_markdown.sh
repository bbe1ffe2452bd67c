#!/usr/bin/env bash
# posdiff log --format=markdown: a changelog that is valid CommonMark.
# The output is parsed with cmark (`cmark -t xml`) and checked against
# the JSON of the same log: a level-2 heading per position, a level-3
# heading per statement (date, title), venue and id, a list item per
# passage marked Added/Changed/Moved/Restated/Dropped, and the item's
# words: without the ~~deleted~~ parts it reads as the new passage,
# without the **inserted** parts as the old one.  A restated passage
# reads as itself (its shared words *emphasized*), with a sub-item
# "was (DATE, `ID`): OLD"; a merge's further sources are sub-items
# "also restates (DATE, `ID`): TEXT"; revivals, splits and merges are
# noted after the passage, exactly as the JSON says.  `~~` is plain text (no
# strikethrough, no HTML), and the document round-trips through cmark
# byte for byte.  Run on the shipped corpus and on a corpus whose text
# is full of Markdown syntax characters.
. "$(dirname "$0")/lib.sh"
command -v cmark >/dev/null || { echo "SKIP: the cmark program is not installed"; exit 77; }

cat > "$T/check.py" <<'PY'
import json, re, subprocess, sys
import xml.etree.ElementTree as ET

md_path, json_path, order, all_path = sys.argv[1:5]
md = open(md_path, encoding="utf-8").read()
doc = json.load(open(json_path, encoding="utf-8"))
NS = "{http://commonmark.org/xml/1.0}"
tag = lambda e: e.tag[len(NS):]

cm = lambda to, text: subprocess.run(["cmark", "-t", to], input=text.encode(), capture_output=True, check=True).stdout.decode()
rt = cm("commonmark", md)
# round trip: cmark reads back the same tree, and writes the same bytes
# (but for the \~ escapes, which cmark does not write)
assert cm("xml", rt) == cm("xml", md), "the tree changes through cmark"
assert rt == md or "\\~" in md, "does not round-trip through cmark"
root = ET.fromstring(cm("xml", md))
bad = {tag(e) for e in root.iter()} & {"html_block", "html_inline", "strikethrough", "code_block", "thematic_break"}
assert not bad, bad

def flat(e):  # the text of an inline container
    return "".join(t.text or "" for t in e.iter() if tag(t) in ("text", "code"))
def unescape(s):
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", s)
def norm(s):
    return " ".join(s.split())

blocks = list(root)
def take(kind, level=None):
    b = blocks.pop(0)
    assert tag(b) == kind and (level is None or b.get("level") == str(level)), (kind, level, tag(b), flat(b)[:80])
    return b

PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
ITEM = re.compile(r"^ *- \*\*(Added|Changed|Moved|Unchanged|Restated|Dropped):\*\* (.*)$")
# every statement's date (the log's JSON without --since/--until)
dates = {e["statement"]: e["date"] for p in json.load(open(all_path))["positions"] for e in p["entries"]}
NOTES = re.compile(r"(?: \((?:revived: not stated since [^)]*|split: shares its predecessor with another passage|merged from \d+ passages)\))+$")
lines = [m.group(2) for m in map(ITEM.match, md.splitlines()) if m]

def views(body):  # (old, new) wordings of an item's source line
    old, new, dele, ins, i = [], [], False, False, 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] in PUNCT:
            ch, i = body[i + 1], i + 2
        elif body.startswith("~~", i) or body.startswith("**", i):
            if body[i] == "~":
                dele = not dele
            else:
                ins = not ins
            i += 2
            continue
        elif body[i] == "*":  # a restated passage's emphasized shared words
            i += 1
            continue
        else:
            ch, i = body[i], i + 1
        if not ins:
            old.append(ch)
        if not dele:
            new.append(ch)
    assert not dele and not ins, "unbalanced markers: " + body
    strip = lambda s: NOTES.sub("", s)
    return norm(strip("".join(old))), norm(strip("".join(new)))

def notes(want, entry):  # the notes the passage must end with
    n = ""
    if want["previous"] and want["revived"]:
        n += " (revived: not stated since %s)" % dates[want["previous"]["statement"]]
    same = [ps for ps in entry["passages"] if ps["previous"] == want["previous"]]
    if want["previous"] and len(want["sources"]) > 1:
        n += " (merged from %d passages)" % len(want["sources"])
    elif want["previous"] and len(same) > 1:
        n += " (split: shares its predecessor with another passage)"
    return n

def check_sources(item, want):  # sub-items: "was" (restated), "also restates"
    subs = [("was", want["previous"])] if want["status"] == "restated" else []
    subs += [("also restates", s) for s in (want.get("sources") or [])[1:]]
    got = list(item[1]) if len(item) > 1 else []
    assert len(item) <= 2 and len(got) == len(subs), (want["text"], len(got), subs)
    for sub, (label, src) in zip(got, subs):
        para = sub[0]
        assert all(tag(n) in ("text", "code", "emph") for n in para), [tag(n) for n in para]
        head = "%s (%s, %s): " % (label, dates[src["statement"]], src["statement"])
        text = flat(para)
        assert text.startswith(head), (text, head)
        assert norm(text[len(head):]) == norm(unescape(src["text"])), (text, src["text"])
        for n in para:
            if tag(n) == "emph":
                assert flat(n) == flat(n).strip() != "", flat(n)

def check_item(item, want, entry):
    para, body = item[0], lines.pop(0)
    label = flat(para[0])
    strongs = [n for n in list(para)[1:] if tag(n) == "strong"]
    # every ** of the source is strong emphasis, nothing else is markup
    # (but a restated passage's *shared words*)
    assert 2 * len(strongs) == len(re.findall(r"(?<!\\)\*\*", body)), body
    allowed = ("text", "strong", "emph") if label == "Restated:" else ("text", "strong")
    assert all(tag(n) in allowed for n in list(para)[1:]), [tag(n) for n in para]
    for n in strongs:
        assert flat(n) == flat(n).strip() != "", flat(n)
    old, new = views(body)
    if "statement" in want:  # dropped
        assert label == "Dropped:" and body.startswith("~~") and body.endswith("~~"), body
        assert new == "" and old == norm(unescape(want["text"])), (old, want["text"])
        return
    assert label == want["status"].capitalize() + ":", (label, want["status"])
    assert new == norm(unescape(want["text"])), (new, want["text"])
    assert body.endswith(notes(want, entry)) and NOTES.sub("", body) == body[:len(body) - len(notes(want, entry))], (body, notes(want, entry))
    check_sources(item, want)
    if want["status"] in ("added", "restated"):
        assert not strongs and "~~" not in body.replace("\\~", ""), body
        return
    # the word diff takes spacing as noise (its equal runs are spaced as
    # in the new text), so the old wording is compared without spaces
    nospace = lambda t: "".join(t.split())
    assert nospace(old) == nospace(unescape(want["previous"]["text"])), (old, want["previous"]["text"])

def check_entry(e):
    h = flat(take("heading", 3))
    assert h.startswith(e["date"] + " \u2014 "), h
    meta = take("paragraph")
    assert e["statement"] in [c.text for c in meta if tag(c) == "code"], flat(meta)
    # unchanged passages are counted, but for revivals, splits and merges
    plain = lambda ps: ps["status"] == "unchanged" and not notes(ps, e)
    want = [ps for ps in e["passages"] if not plain(ps)] + e["dropped"]
    if want:
        items = list(take("list"))
        assert len(items) == len(want), (e["statement"], len(items), len(want))
        for item, w in zip(items, want):
            check_item(item, w, e)
    if len(want) < len(e["passages"]) + len(e["dropped"]):
        assert "restated word for word" in flat(take("paragraph"))

assert flat(take("heading", 1)) == "Position history"
items = 0
for p in doc["positions"]:
    assert flat(take("heading", 2)) == "%s (%s)" % (p["title"], p["id"])
    entries = [e for e in p["entries"] if e["status"] != "not-restated"]
    if order == "newest":
        entries.reverse()
    if not entries:
        assert flat(take("paragraph")) == "Not stated in the selected statements."
    for e in entries:
        check_entry(e)
        items += 1
assert not blocks, [tag(b) for b in blocks]
assert not lines, lines
print(items)
PY

# check_md ARGS... : log --format=markdown vs log --format=json, same ARGS
check_md() {
  local order=newest what="markdown $*"
  case " $* " in *" --reverse "*) order=oldest ;; esac
  run log --format=markdown "$@"; expect_rc 0 "$what"
  printf '%s\n' "$out" > "$T/log.md"
  "$POSDIFF" log --format=json $(printf '%s\n' "$@" | grep -vx -- --reverse) > "$T/log.json"
  "$POSDIFF" log --format=json > "$T/all.json"
  n=$(python3 "$T/check.py" "$T/log.md" "$T/log.json" "$order" "$T/all.json" 2>"$T/check.err") && ok \
    || fail "$what: $(tail -n 3 "$T/check.err")"
}

copy_corpus "$T/corpus"
"$POSDIFF" -C "$T/corpus" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }
cd "$T/corpus" || exit 2
check_md
[ "${n:-0}" -ge 5 ] && ok || fail "shipped corpus: only ${n:-0} entries in the changelog"
check_md --reverse
check_md data-security single-track
check_md --since 2021 --until 2025-02
# a range no statement falls in is an error, not an empty changelog
run log --format=markdown --since 2030
expect_rc 2 "markdown --since 2030"; expect_err "no statement is dated in that range" "markdown --since 2030"
run log --format=markdown
first=$(printf '%s\n' "$out" | grep -m1 '^### ')
case "$first" in "### 2025-02 "*) ok ;; *) fail "newest first: first entry is '$first'" ;; esac
run log --format=markdown --reverse
first=$(printf '%s\n' "$out" | grep -m1 '^### ')
case "$first" in "### 2019-09 "*) ok ;; *) fail "--reverse: first entry is '$first'" ;; esac
run log --format=markdown data-security
expect_out "# Position history" "markdown title"
expect_out "## Data security (\`data-security\`)" "markdown position heading"
expect_out "*OEWG 2021-2025* · statement \`2025-02-oewg-10\`" "markdown venue and id"
run log --format=html
expect_rc 2 "unknown format"; expect_one_error_line "unknown format"; expect_err "text, markdown or json" "unknown format"

# a corpus whose statements and manifest are full of Markdown syntax
mkdir -p "$T/md" && cd "$T/md" || exit 2
"$POSDIFF" init >/dev/null
printf 'One\n\nStates protect data security in *all* cases_now, and [links](x) too.\n\nData security: for all <b> nations # 1 & `code` ~~old~~.\n\nWe oppose data security backdoors at 5 p.m. today.\n\nData security\\* first-rate.\n' > "$T/s1.txt"
printf 'Two\n\nStates protect data security in all cases, now and [links] too!\n\nData security: for every <b> nation # 2 & `code` ~~new~~.\n\nWe oppose data security back-doors today.\n\nData security* second-rate.\n' > "$T/s2.txt"
"$POSDIFF" add "$T/s1.txt" --date 2020-01 --id s1 --title 'One *star* [title]' --venue 'UN_GA <1>' >/dev/null
"$POSDIFF" add "$T/s2.txt" --date 2021-01 --id s2 --title '# Two' >/dev/null
printf '[position "ds"]\n\ttitle = Data *security* [x] `y`\n\tmatch = data security\n' >> positions.conf
"$POSDIFF" build >/dev/null 2>"$T/build.err" || fail "markdown corpus: build: $(cat "$T/build.err")"
check_md
check_md --reverse
run log --format=markdown
expect_out "**Changed:**" "markdown corpus: a Changed item"
expect_out "~~" "markdown corpus: a deletion"
finish
