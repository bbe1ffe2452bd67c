#!/usr/bin/env bash
# Weak and strong links as users see them, on a fixture corpus of three
# statements built so that every kind of link occurs (one position, "ds"):
#
#   s1 -> s2: a passage reworded by one word (strong: changed), one made
#             in new words sharing a few telling words (weak: restated),
#             two kept, two dropped, one added (below the weak bar: no
#             fake rewording of a dropped one);
#   s2 -> s3: a passage dropped by s2 and brought back reworded (strong,
#             revived), one dropped by s2 and made again in new words
#             (weak, revived), two passages of s2 merged into one, one
#             passage of s2 split in two.
#
# Checked: log text (marks, was and also-restates lines, notes; colour:
# dim was lines, shared words bold, nothing without colour), log
# --format=markdown (Restated items and sub-items; valid CommonMark),
# log --format=json (link, revived, sources, similarity), diff (words,
# side by side, --stat's restated count), check (restated findings, was
# line, --fail-on=restated; JSON and GitHub outputs).
. "$(dirname "$0")/lib.sh"

C="$T/c"
"$POSDIFF" init "$C" >/dev/null 2>&1 || { fail "init"; finish; exit 1; }
printf '[position "ds"]\n\ttitle = Data security\n\tmatch = data security\n' >> "$C/positions.conf"
cat > "$T/s1.txt" <<'EOF'
Opening remarks

Data security requires that providers never install backdoors in network products.

Data security also demands that cross-border data flows follow fair rules agreed by all States.

Data security is a shared responsibility of governments and companies alike.

Data security needs capacity building for developing countries.

Data security depends on trusted supply chains for semiconductors.

Data security forbids any State to conduct mass surveillance of foreign citizens.
EOF
cat > "$T/s2.txt" <<'EOF'
Second remarks

Data security requires that providers never install backdoors in network products or services.

On data security, information moving between countries should obey rules that every nation agreed fairly.

Data security needs capacity building for developing countries.

Data security depends on trusted supply chains for semiconductors.

Data security requires open markets and fair competition for digital firms.
EOF
cat > "$T/s3.txt" <<'EOF'
Third remarks

Data security requires that providers never install backdoors in network products or services.

Data security remains a shared responsibility of governments and companies.

Data security calls for capacity building in developing countries and trusted semiconductor supply chains.

Watching the people of other nations wholesale, through mass surveillance, erodes data security for everyone.

Data security requires open markets for digital firms.

Data security requires fair competition for digital firms.
EOF
for i in 1 2 3; do
  "$POSDIFF" -C "$C" add "$T/s$i.txt" --date "202$i-01-1$i" --id "s$i" --title "Statement $i" >/dev/null 2>&1 \
    || fail "add s$i"
done
"$POSDIFF" -C "$C" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }

R=$'\xe2\x89\x88' # the restated mark
ESC=$'\033'
# has_line TEXT WHAT: a line of $out is exactly TEXT
has_line() { grep -qxF -- "$1" <<<"$out" && ok || fail "$2: no line '$1' in: $out"; }
# follows A B WHAT: a line A is immediately followed by a line B
follows() {
  python3 - "$out" "$1" "$2" <<'PY' && ok || fail "$3: '$2' does not follow '$1': $out"
import sys
lines = sys.argv[1].split("\n")
assert any(a == sys.argv[2] and b == sys.argv[3] for a, b in zip(lines, lines[1:]))
PY
}

# --- log, text, no colour ---------------------------------------------------
run -C "$C" log
expect_rc 0 "log"
case "$out" in *"$ESC"*) fail "log without colour has escape codes" ;; *) ok ;; esac
# strong link: the inline word diff
has_line "    ~ Data security requires that providers never install backdoors in network products {+or services+}." "strong link keeps its word diff"
# weak link: the new sentence in full, then was (DATE, ID): the old one
follows "    $R On data security, information moving between countries should obey rules that every nation agreed fairly." \
        "        was (2021-01-11, s1): Data security also demands that cross-border data flows follow fair rules agreed by all States." \
        "restated passage and its was line"
case "$out" in *"[-Data security also demands"*|*"{+On data security"*) fail "a weak link shown as a word diff" ;; *) ok ;; esac
# below the weak bar: added and dropped, not a rewording
has_line "    + Data security requires open markets and fair competition for digital firms." "unrelated passage is added"
has_line "    - Data security is a shared responsibility of governments and companies alike." "passage not restated is dropped"
# revivals: strong and weak, each says since when
has_line "    ~ Data security [-is -]{+remains+} a shared responsibility of governments and companies[- alike-]. (revived: not stated since 2021-01-11)" "strong revival"
follows "    $R Watching the people of other nations wholesale, through mass surveillance, erodes data security for everyone. (revived: not stated since 2021-01-11)" \
        "        was (2021-01-11, s1): Data security forbids any State to conduct mass surveillance of foreign citizens." \
        "weak revival and its was line"
# merge: the further source on an also-restates line
follows "    ~ Data security [-depends on -]{+calls for capacity building in developing countries and+} trusted {+semiconductor+} supply chains[- for semiconductors-]. (merged from 2 passages)" \
        "        also restates (2022-01-12, s2): Data security needs capacity building for developing countries." \
        "merge and its further source"
# split: both halves say they share their predecessor
[ "$(grep -c ' (split: shares its predecessor with another passage)$' <<<"$out")" -eq 2 ] && ok || fail "split: two passages note it: $out"
"$POSDIFF" -C "$C" log --reverse | sort >"$T/rev" && sort <<<"$out" | cmp -s - "$T/rev" && ok || fail "--reverse prints the same lines"

# --- log, text, colour ---------------------------------------------------------
run -C "$C" log --color=always
expect_rc 0 "log --color=always"
python3 - "$out" <<'PY' && ok || fail "colour: mark, dim was line, shared words bold in both: $out"
import re, sys
lines = sys.argv[1].split("\n")
i = next(k for k, l in enumerate(lines) if "obey" in l and "\u2248" in l)
new, was = lines[i], lines[i + 1]
assert new.startswith("    \x1b[33m\u2248\x1b[m "), repr(new)
bold_new = re.findall(r"\x1b\[1m(.*?)\x1b\[22m", new)
assert bold_new == ["data security", "rules", "agreed fairly"], bold_new
assert was.startswith("        \x1b[2mwas (2021-01-11, s1): "), repr(was)
assert was.endswith("\x1b[m"), repr(was)
bold_was = re.findall(r"\x1b\[22;1m(.*?)\x1b\[22;2m", was)
assert bold_was == ["Data security", "data", "fair rules agreed"], bold_was
# function words are never highlighted
assert not any(w in ("that", "by", "all") for w in bold_new + bold_was)
# the strong link keeps red/green runs
assert any("\x1b[32mor services\x1b[m" in l for l in lines), "no green insertion"
PY
# but for the word diffs' markers, the coloured text is the plain text
# plus escape codes
"$POSDIFF" -C "$C" log >"$T/plain"
python3 - "$out" "$T/plain" <<'PY' && ok || fail "colour changes the text"
import re, sys
col = re.sub("\x1b\\[[0-9;]*m", "", sys.argv[1]).split("\n")
plain = open(sys.argv[2]).read().rstrip("\n").split("\n")
assert len(col) == len(plain)
for c, p in zip(col, plain):
    assert c == p or "[-" in p or "{+" in p, (c, p)
PY

# --- log --format=markdown ------------------------------------------------------
run -C "$C" log --format=markdown
expect_rc 0 "log --format=markdown"
md=$out
has_line "  - **Restated:** On *data security*, information moving between countries should obey *rules* that every nation *agreed fairly*." "markdown Restated item"
has_line "      - was (2021-01-11, \`s1\`): *Data security* also demands that cross-border *data* flows follow *fair rules agreed* by all States." "markdown was sub-item"
has_line "  - **Restated:** Watching the people of other nations wholesale, through *mass surveillance*, erodes *data security* for everyone. (revived: not stated since 2021-01-11)" "markdown weak revival"
has_line "  - **Changed:** Data security <del>is</del> <ins>remains</ins> a shared responsibility of governments and companies <del>alike.</del> <ins>.</ins> (revived: not stated since 2021-01-11)" "markdown strong revival"
has_line "      - also restates (2022-01-12, \`s2\`): *Data security* needs *capacity building* for *developing countries*." "markdown also-restates sub-item"
expect_out "(split: shares its predecessor with another passage)" "markdown split note"
if command -v cmark >/dev/null; then
  [ "$(cmark -t commonmark <<<"$md")" = "$md" ] && ok || fail "markdown does not round-trip through cmark"
  cmark -t xml <<<"$md" | python3 -c '
import sys, xml.etree.ElementTree as ET
ns = "{http://commonmark.org/xml/1.0}"
root = ET.fromstring(sys.stdin.read())
items = [i for i in root.iter(ns + "item") if (i.find(ns + "paragraph/" + ns + "strong/" + ns + "text") is not None
         and i.find(ns + "paragraph/" + ns + "strong/" + ns + "text").text == "Restated:")]
assert len(items) == 2, len(items)
for i in items:
    sub = i.find(ns + "list")
    assert sub is not None and sub.find(ns + "item/" + ns + "paragraph/" + ns + "text").text.startswith("was (2021-01-11, ")
    assert i.find(ns + "paragraph/" + ns + "emph") is not None
' && ok || fail "markdown: Restated items are list items with a was sub-list and emphasis"
fi

# --- log --format=json: link, revived, sources ---------------------------------
run -C "$C" log --format=json
expect_rc 0 "log --format=json"
python3 - "$out" <<'PY' && ok || fail "JSON link, revived, sources"
import json, sys
doc = json.loads(sys.argv[1])
e = {x["statement"]: x for x in doc["positions"][0]["entries"]}
def find(stmt, start):
    return next(p for p in e[stmt]["passages"] if p["text"].startswith(start))
for x in e.values():
    for p in x["passages"]:
        if p["previous"] is None:
            assert p["status"] == "added" and not {"link", "revived", "sources"} & set(p), p
            continue
        assert p["link"] == ("weak" if p["status"] == "restated" else "strong"), p
        assert isinstance(p["revived"], bool) and isinstance(p["similarity"], float)
        assert p["sources"][0]["statement"] == p["previous"]["statement"]
        assert p["sources"][0]["text"] == p["previous"]["text"]        # main first
        assert (p["link"] == "weak") == (0.15 <= p["similarity"] < 0.5), p
w = find("s2", "On data security")
assert w["status"] == "restated" and w["link"] == "weak" and not w["revived"], w
assert w["previous"] == {"statement": "s1", "text": "Data security also demands that cross-border data flows follow fair rules agreed by all States."}
assert "".join(o["text"] for o in w["ops"] if o["op"] != "delete") == w["text"]      # ops for weak links too
assert "".join(o["text"] for o in w["ops"] if o["op"] != "insert") == w["previous"]["text"]
s = find("s2", "Data security requires that providers")
assert s["status"] == "changed" and s["link"] == "strong" and s["similarity"] >= 0.5
a = find("s2", "Data security requires open markets")
assert a["status"] == "added" and a["previous"] is None
r = find("s3", "Data security remains")
assert r["status"] == "changed" and r["revived"] and r["previous"]["statement"] == "s1", r
r = find("s3", "Watching")
assert r["status"] == "restated" and r["revived"] and r["previous"]["statement"] == "s1", r
m = find("s3", "Data security calls for")
assert [x["statement"] for x in m["sources"]] == ["s2", "s2"], m["sources"]
assert m["previous"]["text"] == m["sources"][0]["text"]                  # previous: the main one alone
assert {x["text"] for x in m["sources"]} == {"Data security depends on trusted supply chains for semiconductors.",
                                             "Data security needs capacity building for developing countries."}
sp = [p for p in e["s3"]["passages"] if p["previous"] and p["previous"]["text"].startswith("Data security requires open markets")]
assert len(sp) == 2 and all(len(p["sources"]) == 1 for p in sp), sp
PY

# --- diff: words, side by side, --stat -------------------------------------------
run -C "$C" diff s1 s2
expect_rc 0 "diff s1 s2"
follows "    $R On data security, information moving between countries should obey rules that every nation agreed fairly." \
        "        was (2021-01-11, s1): Data security also demands that cross-border data flows follow fair rules agreed by all States." \
        "diff: restated passage and its was line"
run -C "$C" diff s1 s2 --stat
has_line " ds       | 1 changed, 0 moved, 1 restated, 1 added, 2 dropped, 2 unchanged; words: 23 deleted, 16 inserted, 12 changed" "diff --stat counts restated"
run -C "$C" diff s2 s3 --stat
# (diff compares two statements only: what s3 revives from s1 is added)
has_line " ds       | 3 changed, 0 moved, 0 restated, 2 added, 1 dropped, 1 unchanged; words: 23 deleted, 26 inserted, 2 changed" "diff --stat s2 s3"
out=$(COLUMNS=100 "$POSDIFF" -C "$C" diff s1 s2 --side-by-side)
grep -q "^$R On data security, information moving.* | On data security, information moving" <<<"$out" && fail "side by side: restated shows the new text on the left" || ok
grep -q "^$R Data security also demands that cross-border  *| On data security, information moving between" <<<"$out" && ok || fail "side by side: restated old | new: $out"
printf 'Alpha bravo charlie delta echo foxtrot golf.\n\nHotel india juliet kilo lima mike november.\n' > "$T/a.txt"
printf 'Alpha bravo charlie and some quite different words here.\n\nHotel india juliet kilo lima mike november.\n' > "$T/b.txt"
run diff --no-index "$T/a.txt" "$T/b.txt"
follows "    $R Alpha bravo charlie and some quite different words here." \
        "        was: Alpha bravo charlie delta echo foxtrot golf." \
        "--no-index: a restated unit, its was line without statement names"

# --- check: restated findings, --fail-on=restated ----------------------------------
run -C "$C" check --new s2
expect_rc 0 "check --new s2"
expect_out "    restated     line 5: the same point in new words (weak link) as in s1" "check text: restated finding"
follows "                   On data security, information moving between countries should obey rules that every nation agreed fairly." \
        "                     was (2021-01-11, s1): Data security also demands that cross-border data flows follow fair rules agreed by all States." \
        "check text: passage in full, then its was line"
expect_out "summary: 1 changed, 1 restated, 1 added, 2 dropped" "check summary counts restated"
run -C "$C" check --new s2 --fail-on=restated
expect_rc 1 "--fail-on=restated"
expect_out "  ! restated " "--fail-on=restated marks the finding"
run -C "$C" check --new s3 --fail-on=restated
expect_rc 1 "--fail-on=restated: a revived weak link"
expect_out "revives a passage not restated since then" "check: revival in the message"
run -C "$C" check --new s1 --fail-on=restated
expect_rc 0 "--fail-on=restated, nothing restated"
run -C "$C" check --new s2 --format=json --fail-on=restated
python3 - "$out" <<'PY' && ok || fail "check JSON: restated kind and count"
import json, sys
d = json.loads(sys.argv[1])
assert d["fail_on"] == ["restated"] and d["exit"] == 1 and d["counts"]["restated"] == 1, (d["fail_on"], d["counts"])
f = [f for f in d["findings"] if f["kind"] == "restated"][0]
assert f["fails"] and f["previous"]["statement"] == "s1" and f["text"].startswith("On data security"), f
assert f["link"] == "one" and 0.15 <= f["similarity"] < 0.5, f
PY
run -C "$C" check --new s2 --format=github --fail-on=restated
expect_out "::error file=statements/s2.txt,line=5,title=posdiff%3A restated ds::" "github: restated annotation"
expect_out "%0AOn data security, information moving between countries should obey rules that every nation agreed fairly.%0Awas (2021-01-11, s1): Data security also demands" "github: passage and was line"

# --- blame: words cross strong links only -----------------------------------
# s3's mass-surveillance passage restates s1's in new words (weak, revived):
# every word is s3's, although "mass surveillance" was said in s1.  s3's
# shared-responsibility passage revives s1's closely (strong): s1 keeps its
# words, s3 gets "remains".  s3's split of s2's open-markets passage keeps
# s2's words.
run -C "$C" blame ds
expect_rc 0 "blame"
has_line "  2023-01-13  s3  Watching the people of other nations wholesale, through mass surveillance, erodes data security for everyone." "blame: a weak link passes no words on"
follows "  2021-01-11  s1  Data security" "  2023-01-13  s3  remains" "blame: a strong revival keeps the old words, the new one is s3's"
has_line "  2021-01-11  s1  a shared responsibility of governments and companies." "blame: words of a revived passage stay s1's"
has_line "  2022-01-12  s2  Data security requires fair competition for digital firms." "blame: a split keeps its source's words"
finish
