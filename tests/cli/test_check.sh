#!/usr/bin/env bash
# posdiff check: on a copy of the shipped corpus plus the fixture
# statement tests/fixtures/check/2025-07-check-fixture.txt (the 2025
# statement with one data-security sentence reworded, one single-track
# passage dropped and one legally-binding passage added), the report
# names exactly those, --fail-on maps them to exit codes, the JSON
# parses (schema 1) and every GitHub line is a well-formed workflow
# command.  Then broken corpora (exit 1 vs 2, cli/CHECK.md) and
# --since-rev in a temporary git repository.
. "$(dirname "$0")/lib.sh"
FIX="$SRC/tests/fixtures/check/2025-07-check-fixture.txt"
NEW=2025-07-check-fixture
copy_corpus "$T/corpus"
"$POSDIFF" -C "$T/corpus" add "$FIX" --date 2025-07 --id $NEW \
  --title "Test fixture derived from the 2025-02 statement" >/dev/null 2>"$T/add.err" ||
  { fail "add: $(cat "$T/add.err")"; finish; exit 1; }

# --- the report: exactly one changed, one dropped, one added ---------------
run -C "$T/corpus" check --format=json
expect_rc 0 "check (default --fail-on=invalid)"
printf '%s' "$out" > "$T/check.json"
python3 - "$T/check.json" $NEW <<'PY' && ok || fail "JSON schema 1 and the three changes"
import json, sys
doc, new = json.load(open(sys.argv[1])), sys.argv[2]
assert doc["schema"] == 1
for k in ("posdiff", "corpus", "statements", "positions", "history", "new", "fail_on", "counts", "exit", "findings"):
    assert k in doc, k
assert doc["fail_on"] == ["invalid"] and doc["exit"] == 0
assert [n["statement"] for n in doc["new"]] == [new], doc["new"]
kinds = {"invalid", "warning", "changed", "added", "dropped", "not-restated", "unchanged", "moved", "restated"}
assert set(doc["counts"]) == kinds
for f in doc["findings"]:
    assert f["kind"] in kinds and isinstance(f["fails"], bool)
    assert isinstance(f["message"], str) and f["message"]
    if f["kind"] not in ("invalid", "warning"):
        assert f["statement"] == new
        assert f["file"] == "statements/%s.txt" % new, f["file"]
    if f["text"] if "text" in f else False:
        got = "".join(o["text"] for o in f["ops"] if o["op"] in ("equal", "insert"))
        assert got == f["text"], (got, f["text"])
assert not [f for f in doc["findings"] if f["kind"] in ("invalid",)], "no invalid finding"
flagged = sorted((f["kind"], f["position"]) for f in doc["findings"]
                 if f["kind"] in ("changed", "added", "dropped"))
assert flagged == [("added", "legally-binding"), ("changed", "data-security"),
                   ("dropped", "single-track")], flagged
by = {f["kind"]: f for f in doc["findings"] if f["kind"] in ("changed", "added", "dropped")}
c = by["changed"]
assert c["previous"]["statement"] == "2025-02-oewg-10"
assert [o for o in c["ops"] if o["op"] != "equal"] == [
    {"op": "delete", "text": "an important "}, {"op": "insert", "text": "a key "}], c["ops"]
assert c["line"] == 17, c["line"]           # the raw file's line
a = by["added"]
assert a["text"].startswith("An international convention protecting hospitals") and a["line"] == 29
assert a["previous"] is None
d = by["dropped"]
assert d["text"] is None and d["line"] is None
assert d["previous"]["statement"] == "2025-02-oewg-10"
assert d["previous"]["text"].startswith("What needs to be stressed is that")
PY

# --- exit codes for several --fail-on settings ------------------------------
for spec in "dropped:1" "changed:1" "added:1" "dropped,changed:1" "invalid:0" \
            "warning:0" "not-restated:0" "invalid,warning,not-restated:0"; do
  run -C "$T/corpus" check --fail-on="${spec%%:*}"
  expect_rc "${spec##*:}" "--fail-on=${spec%%:*}"
done
run -C "$T/corpus" check --fail-on=dropped
expect_out "! dropped" "text marks the failing finding"
expect_out "Second, data security is [-an important -]{+a key+} item" "text word diff"
expect_out "(exit 1)" "text summary"
run -C "$T/corpus" check --fail-on=dropped,typo
expect_rc 2 "unknown --fail-on value"; expect_one_error_line "unknown --fail-on value"
expect_err "typo" "unknown --fail-on value"

# --- GitHub workflow commands ------------------------------------------------
run -C "$T/corpus" check --format=github --fail-on=dropped,changed
expect_rc 1 "github --fail-on=dropped,changed"
printf '%s\n' "$out" > "$T/gh.txt"
python3 - "$T/gh.txt" $NEW <<'PY' && ok || fail "well-formed ::error/::warning lines"
import re, sys
lines, new = open(sys.argv[1]).read().splitlines(), sys.argv[2]
assert lines, "no output"
prop = r"[^,:\r\n]*"      # property values: ':' and ',' escaped
cmd = re.compile(r"^::(error|warning|notice) (?:file=(%s)(?:,line=([1-9][0-9]*))?,)?title=(%s)::([^\r\n]*)$" % (prop, prop))
levels = []
for l in lines:
    m = cmd.match(l)
    assert m, l
    assert not re.search(r"%(?!25|0D|0A|3A|2C)", m.group(5)), l   # only GitHub escapes
    assert not re.search(r"%(?!25|0D|0A|3A|2C)", m.group(4)), l
    levels.append(m.group(1))
    if m.group(4).startswith(("posdiff%3A dropped ", "posdiff%3A changed ")):
        assert m.group(1) == "error", l
errors = [l for l in lines if l.startswith("::error")]
assert len(errors) == 2, errors
ch = [l for l in errors if "changed data-security" in l][0]
assert ch.startswith("::error file=statements/%s.txt,line=17,title=posdiff%%3A changed data-security::" % new), ch
assert "%0A" in ch and "[-an important -]{+a key+} " in ch
assert levels == sorted(levels, key=["error", "warning", "notice"].index), "errors first"
PY
# without git, paths are relative to the current directory (-C corpus: none)
run -C "$T" --corpus corpus check --format=github
expect_out "::warning file=corpus/statements/$NEW.txt,line=17,title=posdiff%3A changed data-security::" "path relative to the current directory"

# --- --new -----------------------------------------------------------------
run -C "$T/corpus" check --new 2025-02-oewg-10 --format=json
expect_rc 0 "--new ID"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert [n["statement"] for n in d["new"]]==["2025-02-oewg-10"]' <<<"$out" && ok || fail "--new ID names the statement"
run -C "$T/corpus" check --new=2021-12,2025-02 --format=json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert [n["statement"] for n in d["new"]]==["2021-12-14-oewg","2025-02-oewg-10"], d["new"]' <<<"$out" && ok || fail "--new=DATE,DATE"
run -C "$T/corpus" check --new no-such-statement
expect_rc 2 "--new unknown"; expect_err "no-such-statement" "--new unknown"
run -C "$T/corpus" check 2025-02-oewg-10
expect_rc 2 "positional without --new"; expect_err "--new" "positional without --new"
run -C "$T/corpus" check --format=yaml
expect_rc 2 "bad format"

# --- the history: stale is invalid unless --build; --build is incremental ---
"$POSDIFF" -C "$T/corpus" build >/dev/null 2>&1
run -C "$T/corpus" check
expect_rc 0 "history up to date"; expect_out "history: up-to-date" "history up to date"
cp "$FIX" "$T/second.txt"; printf '\nThank you again.\n' >> "$T/second.txt"
"$POSDIFF" -C "$T/corpus" add "$T/second.txt" --date 2025-08 --id 2025-08-second >/dev/null 2>&1
run -C "$T/corpus" check --format=json
expect_rc 1 "stale history is invalid"
python3 -c 'import json,sys; d=json.load(sys.stdin); h=[f for f in d["findings"] if f["rule"]=="history"]; assert h and h[0]["kind"]=="invalid" and d["history"]["state"]=="behind", d["history"]' <<<"$out" && ok || fail "history finding"
run -C "$T/corpus" check --build --format=json
expect_rc 0 "--build"
python3 -c 'import json,sys; d=json.load(sys.stdin); h=d["history"]; assert h["built"] and h["matching"]==6 and h["commits"]==6, h' <<<"$out" && ok || fail "--build keeps the matching commits"
run -C "$T/corpus" check
expect_rc 0 "after --build"; expect_out "history: up-to-date (7 of 7" "after --build"

# --- broken corpora ----------------------------------------------------------
cp -r "$T/corpus" "$T/bad1"; rm -rf "$T/bad1/.posdiff"
printf 'Mr. Chair,\nbad \377 byte\n' > "$T/bad1/statements/2021-12-14-oewg.txt"
run -C "$T/bad1" check --format=github
expect_rc 1 "invalid UTF-8 statement: exit 1"
expect_out "::error file=statements/2021-12-14-oewg.txt,line=2,title=posdiff%3A invalid (normalize)::" "invalid UTF-8 annotated at its line"
cp "$T/bad1/statements/2019-09-oewg-submission.txt" "$T/bad1/statements/2020-10-30-first-committee.txt"
run -C "$T/bad1" check --format=json
expect_rc 1 "duplicate content: exit 1"
python3 -c 'import json,sys; d=json.load(sys.stdin); r=sorted((f["rule"],f["statement"]) for f in d["findings"] if f["kind"]=="invalid"); assert r==[("duplicate","2020-10-30-first-committee"),("normalize","2021-12-14-oewg")], r' <<<"$out" && ok || fail "invalid findings name the entries"
run -C "$T/bad1" check --fail-on=dropped
expect_rc 0 "invalid not in --fail-on: exit 0"
cp -r "$T/corpus" "$T/bad2"; rm "$T/bad2/statements/2021-12-14-oewg.txt"
run -C "$T/bad2" check --format=github
expect_rc 2 "missing file: could not run"; expect_one_error_line "missing file"
expect_err '"2021-12-14-oewg"' "missing file names the entry"
expect_out "::error title=posdiff check could not run::" "missing file as a workflow command"
cp -r "$T/corpus" "$T/bad3"; printf '[statement "x"\n' >> "$T/bad3/statements.conf"
run -C "$T/bad3" check
expect_rc 2 "unparseable manifest"; expect_err "statements.conf" "unparseable manifest"
cp -r "$T/corpus" "$T/warn"; printf '\n[position "nowhere"]\n\ttitle = Nowhere\n\tmatch = zebra crossing\n' >> "$T/warn/positions.conf"
run -C "$T/warn" check --format=github --fail-on=warning --build
expect_rc 1 "--fail-on=warning with a dead position"
expect_out "::error file=positions.conf,line=" "dead position annotated in positions.conf"
mkdir "$T/empty"
run -C "$T/empty" check
expect_rc 2 "no corpus"

# --- --since-rev in a git repository ----------------------------------------
G="$T/repo"; mkdir "$G"; copy_corpus "$G/corpus"
gitc() { git -C "$G" -c user.name=t -c user.email=t@example.invalid "$@" >/dev/null 2>&1; }
gitc init -q && printf '.posdiff/\n' > "$G/corpus/.gitignore" && gitc add -A && gitc commit -qm one
"$POSDIFF" -C "$G/corpus" add "$FIX" --date 2025-07 --id $NEW >/dev/null 2>&1
gitc add -A && gitc commit -qm two
run -C "$G" --corpus corpus check --since-rev HEAD~1 --format=json
expect_rc 0 "--since-rev HEAD~1"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert [n["statement"] for n in d["new"]]==["'$NEW'"] and d["new"][0]["file"]=="corpus/statements/'$NEW'.txt", d["new"]' <<<"$out" && ok || fail "--since-rev finds the new statement"
run -C "$G/corpus" check --since-rev HEAD~1 --format=github --fail-on=added
expect_rc 1 "--since-rev --fail-on=added"
expect_out "::error file=corpus/statements/$NEW.txt,line=29," "github path relative to the work tree"
run -C "$G/corpus" check --since-rev HEAD --format=json --fail-on=added
expect_rc 0 "--since-rev HEAD: nothing new"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["new"]==[] and d["counts"]["added"]==0' <<<"$out" && ok || fail "--since-rev HEAD reports nothing"
run -C "$G/corpus" check --since-rev no-such-rev
expect_rc 2 "bad revision"; expect_err "no-such-rev" "bad revision"
run -C "$T/corpus" check --since-rev HEAD
expect_rc 2 "--since-rev outside git"; expect_err "not inside a git repository" "--since-rev outside git"
run -C "$G/corpus" check --since-rev HEAD --new $NEW
expect_rc 2 "--since-rev with --new"

# --- a new statement that restates every position in new words ---------------
# tests/fixtures/check/2026-restates-all.txt makes every point of the
# 2025 statement again, for all six positions, in new wording: check
# --new reports restated and changed findings, not a wall of dropped and
# added ones.
A26="$SRC/tests/fixtures/check/2026-restates-all.txt"
N26=2026-03-restates-all
copy_corpus "$T/c26"
"$POSDIFF" -C "$T/c26" add "$A26" --date 2026-03 --id $N26 \
  --title "Statement at the Organizational Session of the Global Mechanism on ICT Security" >/dev/null 2>&1 \
  || fail "add the 2026 fixture"
run -C "$T/c26" check --new $N26 --format=json
expect_rc 0 "check --new (2026 restates all)"
python3 - "$out" <<'PY' && ok || fail "2026 fixture: restated/changed findings for every position, few or no dropped"
import json, sys
d = json.loads(sys.argv[1])
c = d["counts"]
assert c["dropped"] <= 2 and c["added"] <= 2 and c["not-restated"] == 0, c
assert c["restated"] >= 8 and c["restated"] + c["changed"] >= 20, c
positions = {"data-security", "single-track", "legally-binding", "backdoors", "militarization", "sovereignty"}
linked = {f["position"] for f in d["findings"] if f["kind"] in ("restated", "changed")}
assert linked == positions, positions - linked
for f in d["findings"]:
    if f["kind"] == "restated":
        assert f["previous"]["statement"] == "2025-02-oewg-10" and 0.15 <= f["similarity"] < 0.5, f
PY
run -C "$T/c26" check --new $N26 --fail-on=dropped,added,not-restated
expect_rc 0 "2026 fixture: nothing dropped, added or not restated"
expect_out "    restated     line " "2026 fixture: restated findings in the text"
expect_out "                     was (2025-02, 2025-02-oewg-10): " "2026 fixture: was lines"
run -C "$T/c26" check --new $N26 --fail-on=restated
expect_rc 1 "2026 fixture: --fail-on=restated"
finish
