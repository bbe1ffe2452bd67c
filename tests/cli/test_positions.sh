#!/usr/bin/env bash
# posdiff positions [--matrix] on the shipped corpus: the catalog, and
# the statements x positions table, checked cell by cell against the
# entry statuses of `posdiff log --format=json`.
. "$(dirname "$0")/lib.sh"
copy_corpus "$T/corpus"
C="$T/corpus"

# the catalog needs no history
run -C "$C" positions
expect_rc 0 "positions"
for id in data-security single-track legally-binding backdoors militarization sovereignty; do
  expect_out "$id" "positions lists $id"
done
expect_out "data-security    Data security" "positions: id and title"
expect_out "    match: data security | store data | data storage" "positions: match phrases"

run -C "$C" positions --matrix
expect_rc 2 "--matrix without history"; expect_err "run 'posdiff build' first" "--matrix without history"

"$POSDIFF" -C "$C" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }
run -C "$C" positions --matrix
expect_rc 0 "positions --matrix"
printf '%s\n' "$out" > "$T/matrix"
"$POSDIFF" -C "$C" log --format=json > "$T/log.json"
python3 - "$T/matrix" "$T/log.json" <<'PY' && ok || fail "matrix cells differ from log --format=json"
import json, re, sys
lines = open(sys.argv[1]).read().rstrip("\n").split("\n")
doc = json.load(open(sys.argv[2]))
key = {}
for l in lines:
    m = re.match(r"^ +(\d+)  ([a-z0-9.-]+) +(.*)$", l)
    if m:
        key[int(m.group(1))] = m.group(2)
assert [key[i] for i in sorted(key)] == [p["id"] for p in doc["positions"]], key
head = next(l for l in lines if l.startswith("date "))
assert head.split() == ["date", "statement"] + [str(i) for i in sorted(key)], head
rows = [l.split() for l in lines[lines.index(head) + 1:] if re.match(r"^\d{4}", l)]
sym = {"added": "+", "changed": "~", "unchanged": "=", "not-restated": "."}
stmts = [e["statement"] for e in doc["positions"][0]["entries"]]
assert [r[1] for r in rows] == stmts, rows
for i, r in enumerate(rows):
    assert r[0] == doc["positions"][0]["entries"][i]["date"]
    cells = r[2:]
    assert len(cells) == len(key), r
    for k, p in enumerate(doc["positions"]):
        assert cells[k] == sym[p["entries"][i]["status"]], (r, p["id"])
assert lines[-1] == "+ first stated   ~ changed   = unchanged   . not stated", lines[-1]
PY
# one row per statement: the 2019 general debate states single-track first
expect_out "2019-09     2019-09-oewg-general-debate  " "matrix row"

run -C "$C" positions extra; expect_rc 2 "positions extra"; expect_one_error_line "positions extra"
run -C "$C" positions --matrx; expect_rc 2 "positions --matrx"; expect_err "did you mean --matrix" "positions --matrx"
run -C "$C" positions --help; expect_rc 0 "positions --help"; expect_out "'+' first stated" "positions --help documents cells"
finish
