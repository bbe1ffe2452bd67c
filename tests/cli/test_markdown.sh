#!/usr/bin/env bash
# posdiff log --format=markdown: a changelog that is valid CommonMark.
# The output is parsed with cmark (`cmark -t xml`) and checked against
# the JSON of the same log: a level-2 heading per position, a level-3
# heading per statement (date, title), venue and id, a list item per
# passage marked Added/Changed/Moved/Restated/Dropped, and the item's
# words: without the <del>deleted</del> parts it reads as the new
# passage, without the <ins>inserted</ins> parts as the old one (the
# tags are the only raw HTML, the words between them text).  A restated
# passage reads as itself (its shared words *emphasized*), with a
# sub-item "was (DATE, `ID`): OLD"; a merge's further sources are
# sub-items "also restates (DATE, `ID`): TEXT"; revivals, splits and
# merges are noted after the passage, exactly as the JSON says.  The
# meta line links the manifest's source when it is an http(s) address
# (else shows it as text); a statement that does not state a position
# stated before it is a short entry "*Not stated in this statement.*".
# No strikethrough, and the document round-trips through cmark byte for
# byte.  Run on the shipped corpus, on a corpus whose text is full of
# Markdown syntax characters, and on one with <script> and & in changed
# words (rendered by `cmark --unsafe`: escaped text between del/ins).
. "$(dirname "$0")/lib.sh"
command -v cmark >/dev/null || { echo "SKIP: the cmark program is not installed"; exit 77; }

cat > "$T/check.py" <<'PY'
import json, re, subprocess, sys
import xml.etree.ElementTree as ET

md_path, json_path, order, all_path, sources_path = sys.argv[1:6]
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
bad = {tag(e) for e in root.iter()} & {"html_block", "strikethrough", "code_block", "thematic_break"}
assert not bad, bad
TAGS = ("<del>", "</del>", "<ins>", "</ins>")
raw = [e.text for e in root.iter() if tag(e) == "html_inline"]
assert all(t in TAGS for t in raw), set(raw) - set(TAGS)
# the manifest's sources: "statement.ID.source VALUE" lines (git config)
sources = {}
for line in open(sources_path, encoding="utf-8").read().splitlines():
    key, _, value = line.partition(" ")
    sources[re.match(r"statement\.(.*)\.source$", key).group(1)] = value

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
        t = next((t for t in TAGS if body.startswith(t, i)), None)
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] in PUNCT:
            ch, i = body[i + 1], i + 2
        elif t:
            assert (t[1] == "/") == (dele if "del" in t else ins), "misnested tag: " + body
            if "del" in t:
                dele = not dele
            else:
                ins = not ins
            i += len(t)
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
    assert not dele and not ins, "unbalanced tags: " + body
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
    kids = list(para)[1:]
    tags = [n.text for n in kids if tag(n) == "html_inline"]
    # every tag of the source is a raw HTML node, nothing else is markup
    # (but a restated passage's *shared words*)
    assert len(tags) == len(re.findall(r"</?(?:del|ins)>", body)), body
    allowed = ("text", "html_inline", "emph") if label == "Restated:" else ("text", "html_inline")
    assert all(tag(n) in allowed for n in kids), [tag(n) for n in para]
    for k, n in enumerate(kids):  # the words of a change: whitespace outside its tags
        if tag(n) == "html_inline" and not n.text.startswith("</"):
            inner = kids[k + 1:kids.index(next(m for m in kids[k + 1:] if tag(m) == "html_inline"))]
            words = "".join(flat(m) for m in inner)
            assert all(tag(m) == "text" for m in inner) and words == words.strip() != "", (body, words)
    old, new = views(body)
    if "statement" in want:  # dropped
        assert label == "Dropped:" and body.startswith("<del>") and body.endswith("</del>"), body
        assert new == "" and old == norm(unescape(want["text"])), (old, want["text"])
        return
    assert label == want["status"].capitalize() + ":", (label, want["status"])
    assert new == norm(unescape(want["text"])), (new, want["text"])
    assert body.endswith(notes(want, entry)) and NOTES.sub("", body) == body[:len(body) - len(notes(want, entry))], (body, notes(want, entry))
    check_sources(item, want)
    if want["status"] in ("added", "restated"):
        assert not tags, body
        return
    # the word diff takes spacing as noise (its equal runs are spaced as
    # in the new text), so the old wording is compared without spaces
    nospace = lambda t: "".join(t.split())
    assert nospace(old) == nospace(unescape(want["previous"]["text"])), (old, want["previous"]["text"])

def check_source(meta, statement):  # " · [source](URL)" or " · source: TEXT"
    src = sources.get(statement)
    links = [c for c in meta if tag(c) == "link"]
    if src and re.match(r"https?://\S+$", src, re.I):
        assert len(links) == 1 and links[0].get("destination") == src and flat(links[0]) == "source", flat(meta)
        assert flat(meta).endswith(" \u00b7 source"), flat(meta)
        return
    assert not links, flat(meta)
    if src:
        assert flat(meta).endswith(" \u00b7 source: " + " ".join(src.split("\n"))), (flat(meta), src)
    else:
        assert "source" not in flat(meta).split("`")[-1], flat(meta)

def check_entry(e):
    h = flat(take("heading", 3))
    assert h.startswith(e["date"] + " \u2014 "), h
    meta = take("paragraph")
    assert e["statement"] in [c.text for c in meta if tag(c) == "code"], flat(meta)
    check_source(meta, e["statement"])
    if e["status"] == "not-restated":
        note = take("paragraph")
        assert [tag(c) for c in note] == ["emph"] and flat(note) == "Not stated in this statement.", flat(note)
        return
    # measured against an older statement than the entry below: said so
    if blocks and tag(blocks[0]) == "paragraph" and flat(blocks[0]).startswith("Changes against "):
        note = take("paragraph")
        assert [tag(c) for c in note] == ["emph"], flat(note)
        assert re.match(r"^Changes against \S+ \([a-z0-9][a-z0-9.-]*\)\.$", flat(note)), flat(note)
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

# per position, the statements after its first statement (whole history)
later = {}
for p in json.load(open(all_path))["positions"]:
    ids = [e["statement"] for e in p["entries"]]
    first = next((k for k, e in enumerate(p["entries"]) if e["status"] != "not-restated"), len(ids))
    later[p["id"]] = set(ids[first + 1:])

assert flat(take("heading", 1)) == "Position history"
items = 0
for p in doc["positions"]:
    assert flat(take("heading", 2)) == "%s (%s)" % (p["title"], p["id"])
    entries = [e for e in p["entries"] if e["status"] != "not-restated" or e["statement"] in later[p["id"]]]
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
  git config -f statements.conf --get-regexp '^statement\..*\.source$' > "$T/sources" || :
  n=$(python3 "$T/check.py" "$T/log.md" "$T/log.json" "$order" "$T/all.json" "$T/sources" 2>"$T/check.err") && ok \
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
# a range no statement falls in is an empty changelog, as git log --since
run log --format=markdown --since 2030
expect_rc 0 "markdown --since 2030"; [ -z "$out$err" ] && ok || fail "markdown --since 2030 printed: $out$err"
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

# changes are <del>/<ins> raw HTML: shown by `cmark --unsafe` (and GFM
# renderers), never `~~` (literal tildes in CommonMark); cmark's default
# (safe) mode omits them
run log --format=markdown
case "$out" in *"~~"*) fail "markdown: ~~ in the changelog" ;; *) ok ;; esac
html=$(printf '%s\n' "$out" | cmark --unsafe)
case "$html" in *"<del>"*"</del>"*) ok ;; *) fail "cmark --unsafe: no <del> element" ;; esac
case "$html" in *"<ins>"*"</ins>"*) ok ;; *) fail "cmark --unsafe: no <ins> element" ;; esac
case "$html" in *"~~"*) fail "cmark --unsafe: literal ~~ in the HTML" ;; *) ok ;; esac
case "$(printf '%s\n' "$out" | cmark)" in *"raw HTML omitted"*) ok ;; *) fail "cmark (safe): del/ins kept" ;; esac
expect_out "  - **Dropped:** <del>" "markdown: a dropped passage is deleted text"
# a source that is not an http(s) address is shown as text, not linked
expect_out "statement \`2025-02-oewg-10\` · source: seed 000\\_2d1a7b37a88f4a3d.txt; OEWG 10th session" "markdown: source as text"
case "$out" in *"](seed"*) fail "markdown: a non-web source linked" ;; *) ok ;; esac
# a statement that skips a position stated before it: a short entry
# (backdoors: first stated 2019-09, not in 2021-12-14); none before the
# first statement of the position (2019-09-oewg-general-debate); the
# text format keeps leaving them out
run log --format=markdown backdoors
printf '%s\n' "$out" | grep -A4 '^### 2021-12-14 ' | grep -qx '\*Not stated in this statement.\*' && ok \
  || fail "markdown: 2021-12-14 not marked as skipping backdoors: $out"
case "$out" in *"2019-09-oewg-general-debate"*) fail "markdown: a statement before the first is shown" ;; *) ok ;; esac
[ "$(printf '%s\n' "$out" | grep -c '^### ')" -eq 4 ] && ok || fail "markdown backdoors: expected 4 entries: $out"
run log backdoors
# text marks it too (issue 20, item 6)
printf '%s\n' "$out" | grep -q '^2021-12-14 2021-12-14-oewg  not stated$' && ok || fail "text log hides a skipping statement: $out"

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
expect_out "<del>" "markdown corpus: a deletion"
expect_out "<ins>" "markdown corpus: an insertion"
expect_out '\~\~old\~\~' "markdown corpus: the text's tildes escaped"

# HTML in the changed words, and web sources: the words stay text inside
# <del>/<ins> (escaped by cmark), sources link only as http(s) addresses
mkdir -p "$T/html" && cd "$T/html" || exit 2
"$POSDIFF" init >/dev/null
printf 'One\n\nWe protect data security for all nations & <b>friends</b>.\n' > "$T/h1.txt"
printf 'Two\n\nWe protect data security for every <script>alert(1)</script> nation & friend.\n' > "$T/h2.txt"
printf 'Three\n\nNothing on that today.\n' > "$T/h3.txt"
"$POSDIFF" add "$T/h1.txt" --date 2020-01 --id h1 --source 'https://example.org/one?a=1&b=(2)' >/dev/null
"$POSDIFF" add "$T/h2.txt" --date 2021-01 --id h2 --title 'Two <script>x</script>' --source 'javascript:alert(1)' >/dev/null
"$POSDIFF" add "$T/h3.txt" --date 2022-01 --id h3 --source 'http://example.org/three' >/dev/null
printf '[position "ds"]\n\ttitle = Data security\n\tmatch = data security\n' >> positions.conf
"$POSDIFF" build >/dev/null 2>"$T/build.err" || fail "html corpus: build: $(cat "$T/build.err")"
check_md
check_md --reverse
run log --format=markdown
expect_out "statement \`h1\` · [source](https://example.org/one?a=1&b=\\(2\\))" "markdown: https source linked"
expect_out "statement \`h3\` · [source](http://example.org/three)" "markdown: http source linked"
expect_out "statement \`h2\` · source: javascript:alert(1)" "markdown: javascript: source as text"
html=$(printf '%s\n' "$out" | cmark --unsafe)
case "$html" in *'<a href="https://example.org/one?a=1&amp;b=(2)">source</a>'*) ok ;; *) fail "cmark: no source link: $html" ;; esac
case "$html" in *"<script"*) fail "cmark --unsafe: a statement's <script> came through as HTML: $html" ;; *) ok ;; esac
case "$html" in *"<ins>every &lt;script&gt;alert(1)&lt;/script&gt; nation &amp; friend.</ins>"*) ok ;;
  *) fail "cmark --unsafe: inserted words not escaped text in <ins>: $html" ;; esac
case "$html" in *"<del>all nations &amp; &lt;b&gt;friends&lt;/b&gt;.</del>"*) ok ;;
  *) fail "cmark --unsafe: deleted words not escaped text in <del>: $html" ;; esac
case "$html" in *'<a href="javascript'*) fail "cmark --unsafe: javascript: linked" ;; *) ok ;; esac
printf '%s\n' "$out" | grep -A4 '^### 2022-01 ' | grep -qx '\*Not stated in this statement.\*' && ok \
  || fail "markdown: h3 not marked as skipping ds: $out"
finish
