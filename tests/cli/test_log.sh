#!/usr/bin/env bash
# posdiff log --format=json on the shipped corpus: the JSON contract of
# cli/JSON.md (link, revived and sources on linked passages), the ops
# invariants, and the lineage the issue names.
. "$(dirname "$0")/lib.sh"
copy_corpus "$T/corpus"
"$POSDIFF" -C "$T/corpus" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }

run -C "$T/corpus" log --format=json
expect_rc 0 "log --format=json"
printf '%s' "$out" > "$T/log.json"
python3 - "$T/log.json" "$SRC/tests/fixtures/threads.txt" <<'PY' && ok || fail "JSON contract"
import json, sys
doc = json.load(open(sys.argv[1]))
assert set(doc) == {"version", "positions"} and doc["version"] == 1, doc.keys()
ids = [p["id"] for p in doc["positions"]]
for need in ["data-security", "single-track", "legally-binding", "backdoors", "militarization", "sovereignty"]:
    assert need in ids, need
statements = None
for p in doc["positions"]:
    assert set(p) == {"id", "title", "entries"}
    names = [e["statement"] for e in p["entries"]]
    statements = statements or names
    assert names == statements and len(names) == 5, names
    seen = False
    for e in p["entries"]:
        assert set(e) == {"statement", "date", "title", "venue", "source", "commit", "status",
                          "passages", "dropped"}, e.keys()
        assert e["title"] and e["venue"] and e["source"], e
        assert len(e["commit"]) == 40
        assert e["status"] in ("added", "changed", "unchanged", "not-restated")
        if e["status"] == "not-restated":
            assert e["passages"] == [] and e["dropped"] == []
        else:
            assert e["passages"] or e["dropped"]
            assert (e["status"] == "added") == (not seen), (p["id"], e["statement"], e["status"])
            seen = True
        for ps in e["passages"]:
            linked = {"link", "revived", "sources"} if ps["previous"] else set()
            assert set(ps) == {"text", "line", "status", "reviewed", "previous", "similarity", "ops"} | linked, ps.keys()
            assert ps["reviewed"] is False, ps  # the shipped corpus has no review.conf
            assert ps["status"] in ("added", "changed", "unchanged", "moved", "restated")
            if linked:
                assert ps["link"] == ("weak" if ps["status"] == "restated" else "strong"), ps
                assert isinstance(ps["revived"], bool)
                assert ps["sources"] and ps["sources"][0]["statement"] == ps["previous"]["statement"]
                assert ps["sources"][0]["text"] == ps["previous"]["text"]
                assert all(set(x) == {"statement", "text", "similarity"} and x["statement"] in statements
                           for x in ps["sources"]), ps["sources"]
            assert isinstance(ps["line"], int) and ps["line"] > 0
            assert 0 <= ps["similarity"] <= 1
            new = "".join(o["text"] for o in ps["ops"] if o["op"] in ("equal", "insert"))
            assert new == ps["text"], (new, ps["text"])
            if ps["previous"] is None:
                assert ps["status"] == "added"
            else:
                old = "".join(o["text"] for o in ps["ops"] if o["op"] in ("equal", "delete"))
                assert old == ps["previous"]["text"], (old, ps["previous"]["text"])
                assert ps["previous"]["statement"] in statements
            if ps["status"] == "unchanged":
                assert all(o["op"] == "equal" for o in ps["ops"])
PY

# the passage texts are the normalized statements' lines
python3 - "$T/log.json" "$T/corpus" "$POSDIFF" <<'PY' && ok || fail "passage text/line are in the normalized statement"
import json, subprocess, sys
doc = json.load(open(sys.argv[1]))
cache = {}
for p in doc["positions"]:
    for e in p["entries"]:
        if e["statement"] not in cache:
            cache[e["statement"]] = subprocess.run([sys.argv[3], "-C", sys.argv[2], "normalize", e["statement"]],
                capture_output=True, text=True, check=True).stdout.split("\n")
        for ps in e["passages"]:
            assert ps["text"] in cache[e["statement"]][ps["line"] - 1], (ps["line"], ps["text"])
PY

# data security: the 2020 enumeration item, restated in 2025 without "the"
python3 - "$T/log.json" <<'PY' && ok || fail "data-security 2020 -> 2025 drops exactly 'the'"
import json, sys
doc = json.load(open(sys.argv[1]))
ds = next(p for p in doc["positions"] if p["id"] == "data-security")
e = next(e for e in ds["entries"] if e["statement"] == "2025-02-oewg-10")
ps = next(ps for ps in e["passages"] if ps["text"].startswith("States should not request domestic companies to store data"))
assert ps["status"] == "changed", ps["status"]
assert ps["previous"]["statement"] == "2020-10-30-first-committee", ps["previous"]
assert ps["previous"]["text"] == "States should not request domestic companies to store the data generated and obtained overseas in their own territory", ps["previous"]["text"]
edits = [o for o in ps["ops"] if o["op"] != "equal"]
assert edits == [{"op": "delete", "text": "the "}], edits
PY

# single-track: a 2025 single-track passage descends, through earlier
# statements, from the 2019 "open, inclusive and permanent process"
python3 - "$T/log.json" <<'PY' && ok || fail "single-track lineage 2025 -> 2019"
import json, sys
doc = json.load(open(sys.argv[1]))
st = next(p for p in doc["positions"] if p["id"] == "single-track")
by = {e["statement"]: e for e in st["entries"]}
def parent(stmt, text):
    for ps in by[stmt]["passages"]:
        if ps["text"] == text:
            return ps["previous"]
    raise AssertionError((stmt, text))
found = False
for ps in by["2025-02-oewg-10"]["passages"]:
    if "single-track" not in ps["text"] or ps["previous"] is None:
        continue
    chain, prev = [], ps["previous"]
    while prev:
        chain.append(prev["statement"])
        prev = parent(prev["statement"], prev["text"])
    if chain and chain[-1].startswith("2019-09"):
        found = True
assert found, "no 2025 single-track passage descends from 2019"
PY

# legally binding: 2025 passages descend from the 2021 "legally binding norms"
python3 - "$T/log.json" <<'PY' && ok || fail "legally-binding 2025 <- 2021"
import json, sys
doc = json.load(open(sys.argv[1]))
lb = next(p for p in doc["positions"] if p["id"] == "legally-binding")
e = next(e for e in lb["entries"] if e["statement"] == "2025-02-oewg-10")
hits = [ps for ps in e["passages"] if "legally binding" in ps["text"] and ps["previous"]
        and ps["previous"]["statement"] == "2021-12-14-oewg" and "legally binding norms" in ps["previous"]["text"]]
assert hits, [ (ps["text"], ps["previous"]) for ps in e["passages"]]
PY

# every thread matches the reviewed fixture (tests/fixtures/threads.txt)
python3 - "$T/log.json" > "$T/threads.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for p in doc["positions"]:
    print("##", p["id"])
    for e in p["entries"]:
        print(e["statement"], e["status"])
        for ps in e["passages"]:
            prev = ps["previous"]["statement"] if ps["previous"] else "-"
            print("  ", ps["status"], "<-", prev, "|", ps["text"][:90])
        for d in e["dropped"]:
            print("   dropped", d["statement"], "|", d["text"][:90])
PY
diff -u "$SRC/tests/fixtures/threads.txt" "$T/threads.txt" >&2 && ok || fail "threads differ from tests/fixtures/threads.txt"

# errors
run -C "$T/corpus" log no-such-position
expect_rc 2 "unknown position"; expect_one_error_line "unknown position"; expect_err "no-such-position" "unknown position"
run -C "$T/corpus" log --since 2021-13
expect_rc 2 "bad --since"; expect_one_error_line "bad --since"
run -C "$T/corpus" log --format=yaml
expect_rc 2 "bad format"
# entries are spooled in $TMPDIR: a bad one is an error, not a short log
out=$(TMPDIR="$T/no-such-dir" "$POSDIFF" -C "$T/corpus" log --format=json 2>"$T/stderr"); rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "TMPDIR missing"; expect_one_error_line "TMPDIR missing"; expect_err "$T/no-such-dir" "TMPDIR missing"
[ -z "$out" ] && ok || fail "TMPDIR missing: no partial output: $out"
TMPDIR="$T" "$POSDIFF" -C "$T/corpus" log --format=json >"$T/tmpdir.json" 2>/dev/null && ok || fail "log with TMPDIR set"
"$POSDIFF" -C "$T/corpus" log --format=json | cmp -s - "$T/tmpdir.json" && ok || fail "TMPDIR does not change the output"
[ -z "$(ls "$T" | grep '^posdiff-log-')" ] && ok || fail "no spool file left in TMPDIR"

# entries bigger than the window log reads its spools back through (1 MiB),
# newest first (backwards) and oldest first: nothing lost, doubled or moved
mkdir -p "$T/big/statements"
cp "$SRC/corpus/positions.conf" "$T/big/"
for y in 2019 2020 2021; do
  python3 -c 'import sys; y = int(sys.argv[1]); print("Data security matters. Data security " + " ".join("w%d" % (i * (y - 2017) % 200003) for i in range(180000)) + ". A short closing sentence on data security for %d." % y)' "$y" >"$T/big/statements/$y.txt"
  printf '[statement "s-%s"]\n\tfile = statements/%s.txt\n\tdate = %s-06-01\n' "$y" "$y" "$y" >>"$T/big/statements.conf"
done
"$POSDIFF" -C "$T/big" build >/dev/null 2>&1 && ok || fail "build of huge sentences"
"$POSDIFF" -C "$T/big" log --format=json data-security >"$T/big.json" 2>/dev/null && ok || fail "log --format=json, huge entries"
python3 - "$T/big.json" "$T/big/.posdiff/history.git" <<'PY' && ok || fail "huge JSON entries: text = the statement's line"
import json, subprocess, sys
doc = json.load(open(sys.argv[1]))
n = 0
for e in doc["positions"][0]["entries"]:
    md = subprocess.run(["git", "--git-dir", sys.argv[2], "show", "%s:statements/%s/%s.md" % (e["commit"], e["date"][:4], e["statement"])],
                        check=True, capture_output=True, text=True).stdout.split("\n")
    for ps in e["passages"]:
        assert md[ps["line"] - 1].startswith(ps["text"]), (e["statement"], ps["line"])
        n += len(ps["text"])
assert n > 3 << 20, n
PY
"$POSDIFF" -C "$T/big" log data-security >"$T/big.new" 2>/dev/null && "$POSDIFF" -C "$T/big" log --reverse data-security >"$T/big.old" 2>/dev/null && ok || fail "log text, huge entries"
[ "$(sort "$T/big.new" | md5sum)" = "$(sort "$T/big.old" | md5sum)" ] && [ "$(wc -c <"$T/big.new")" -gt 3000000 ] && ok || fail "log and log --reverse print the same lines"
[ "$(grep -n '^2021-06' "$T/big.new" | cut -d: -f1)" = 2 ] && [ "$(grep -n '^2019-06' "$T/big.old" | cut -d: -f1)" = 2 ] && ok || fail "newest first; --reverse: oldest first"

rm -rf "$T/corpus/.posdiff"
run -C "$T/corpus" log
expect_rc 2 "no history"; expect_err "run 'posdiff build' first" "no history"
finish
