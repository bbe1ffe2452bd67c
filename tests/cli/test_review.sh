#!/usr/bin/env bash
# The analyst in the loop (issue 18): `posdiff review` records decisions
# in review.conf (git-config syntax, read by `git config -f`); build
# applies them and they survive a clean rebuild: a rejected link
# disappears from log, a forced link appears, an excluded sentence leaves
# the position and an included one joins it, each marked reviewed in text
# and JSON; check reports a decision that matches no sentence any more;
# bad decisions are exit 2 with one line and change nothing; `why`
# explains each decision and the aligner's own reasons.
. "$(dirname "$0")/lib.sh"

copy_corpus "$T/c"
C="$T/c"
"$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || { echo "setup: build failed"; exit 1; }
json() { "$POSDIFF" --corpus "$C" --no-pager log data-security --format=json; }
# passage STATEMENT PREFIX: the full text of a data-security passage
passage() {
  json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in d["positions"][0]["entries"]:
    for p in e["passages"]:
        if e["statement"] == sys.argv[1] and p["text"].startswith(sys.argv[2]): print(p["text"])' "$1" "$2"
}
# linked NEW-STMT NEW-PREFIX: "STATEMENT|TEXT|similarity|reviewed" of its previous, or "none"
linked() {
  json | python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in d["positions"][0]["entries"]:
    for p in e["passages"]:
        if e["statement"] == sys.argv[1] and p["text"].startswith(sys.argv[2]):
            q = p["previous"]
            print("none|%s" % p["reviewed"] if not q else "%s|%s|%.2f|%s" % (q["statement"], q["text"], p["similarity"], p["reviewed"]))' "$1" "$2"
}
S19=2019-09-oewg-submission; S20=2020-10-30-first-committee; S21=2021-12-14-oewg
fake=$(passage $S19 "Fake news"); spy=$(passage $S19 "States shall not conduct")
mass=$(passage $S20 "States should oppose mass"); many=$(passage $S20 "Many countries believe")
equal=$(passage $S19 "States should pay equal")
force="Data has become a new driving force for innovation and development."
[ -n "$fake" ] && [ -n "$spy" ] && [ -n "$mass" ] && [ -n "$many" ] && [ -n "$equal" ] && ok ||
  { fail "setup: the shipped passages moved"; finish; }
case "$(linked $S20 "States should oppose mass")" in "$S19|$spy|"*) ok ;; *) fail "setup: mass surveillance is not linked to espionage" ;; esac
[ "$(linked $S20 "Many countries believe")" = "none|False" ] && ok || fail "setup: 'Many countries' is not added"
"$POSDIFF" --corpus "$C" --no-pager log data-security | grep -qF "$force" && fail "setup: '$force' is a passage already" || ok

before=$(cd "$C" && find . -path ./.posdiff -prune -o -type f -print | sort | xargs sha1sum)
# bad decisions: exit 2, one line, nothing written
run --corpus "$C" review passage data-security $S21 "No such sentence."
expect_rc 2 "an unknown sentence"; expect_one_error_line "an unknown sentence"
expect_err "statement \"$S21\" has no sentence \"No such sentence.\"; copy it as posdiff normalize $S21 prints it" "an unknown sentence"
run --corpus "$C" review passage nosuch $S21 "$force"
expect_rc 2 "an unknown position"; expect_err 'no position "nosuch" in positions.conf' "an unknown position"
run --corpus "$C" review same data-security $S19 "$equal" $S20 "$many"
expect_rc 2 "a link to a later statement"; expect_err "is not earlier than" "a link to a later statement"
run --corpus "$C" review maybe data-security $S21 "$force"
expect_rc 2 "an unknown decision"; expect_err "unknown decision; usage: posdiff review" "an unknown decision"
run --corpus "$C" review same data-security $S20 "$many"
expect_rc 2 "a link without its earlier passage"; expect_err "wrong number of arguments" "a link without its earlier passage"
[ "$(cd "$C" && find . -path ./.posdiff -prune -o -type f -print | sort | xargs sha1sum)" = "$before" ] && ok ||
  fail "a refused decision changed the corpus"

# four decisions
run --corpus "$C" review not-passage data-security $S19 "$fake"; expect_rc 0 "review not-passage"
expect_out "Recorded in $C/review.conf: not-passage data-security" "review not-passage"
run --corpus "$C" review not-same data-security $S20 "$mass" $S19 "$spy"; expect_rc 0 "review not-same"
run --corpus "$C" review same data-security $S20 "$many" $S19 "$equal"; expect_rc 0 "review same"
run --corpus "$C" review passage data-security $S21 "$force"; expect_rc 0 "review passage"
[ "$(git config -f "$C/review.conf" --get-all review.data-security.same)" = "$S20: $many <- $S19: $equal" ] && ok ||
  fail "git config -f does not read the decision back: $(git config -f "$C/review.conf" --list 2>&1)"

for round in "build" "clean rebuild"; do
  [ "$round" = "clean rebuild" ] && rm -rf "$C/.posdiff"
  "$POSDIFF" --corpus "$C" build >/dev/null 2>&1 || fail "$round"
  [ -z "$(passage $S19 "Fake news")" ] && ok || fail "$round: the excluded sentence is still a passage"
  case "$(linked $S20 "States should oppose mass")" in "$S19|$spy|"*) fail "$round: the rejected link is still there" ;; *"|True") ok ;; *) fail "$round: not marked reviewed: $(linked $S20 "States should oppose mass")" ;; esac
  [ "$(linked $S20 "Many countries believe")" = "$S19|$equal|1.00|True" ] && ok ||
    fail "$round: the forced link: $(linked $S20 "Many countries believe")"
  [ "$(passage $S21 "Data has become")" = "$force" ] && ok || fail "$round: the included sentence is no passage"
  run --corpus "$C" --no-pager log data-security
  expect_out "$force (reviewed)" "$round: log marks the included sentence"
  case "$out" in *"$fake"*) fail "$round: log still shows the excluded sentence" ;; *) ok ;; esac
done

# why explains each decision, and the aligner's own reasons
run --corpus "$C" why $S21 data-security; expect_rc 0 "why $S21"
expect_out "line $(grep -nxF "$force" <("$POSDIFF" --corpus "$C" normalize $S21) | cut -d: -f1): $force
    a passage: an analyst's decision (review.conf)" "why: the included sentence"
expect_out 'a passage: phrase "data security" matches words' "why: a phrase and its words"
run --corpus "$C" why $S20 data-security; expect_rc 0 "why $S20"
expect_out "$mass
    a passage: phrase" "why: the rejected link's passage"
expect_out "added: an analyst's decision (review.conf, not-same) keeps it from an earlier passage" "why: the rejected link"
expect_out "changed from $S19: strong link, similarity 1.00 (weak bar 0.15, strong 0.50); reviewed" "why: the forced link"
run --corpus "$C" why $S19 data-security
expect_out "not a passage (an analyst's decision, review.conf): $fake" "why: the excluded sentence"
expect_out "a passage: under the heading at line" "why: a section"
run --corpus "$C" why $S20 --format=json; expect_rc 0 "why --format=json"
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["statement"] == sys.argv[1] and len(d["positions"]) == 6, d.keys()
for pos in d["positions"]:
    for p in pos["passages"]:
        assert p["member"] in ("phrase", "section", "join", "review"), p
        sims = [c["similarity"] for c in p["candidates"]]
        assert sims == sorted(sims, reverse=True) and len(sims) <= 5, sims
        assert p["previous"] is None or p["previous"] in [c["statement"] for c in p["candidates"]] or p["reviewed"], p
' $S20 && ok || fail "why --format=json"
run --corpus "$C" why nosuch; expect_rc 2 "why of an unknown statement"; expect_one_error_line "why of an unknown statement"
run --corpus "$C" why $S20 nosuch; expect_rc 2 "why of an unknown position"; expect_err 'no position "nosuch"' "why of an unknown position"

# a decision whose sentence is gone is stale, at its line
printf '[review "data-security"]\n\tpassage = %s: A sentence no statement has.\n' $S21 >>"$C/review.conf"
run --corpus "$C" check --fail-on=warning
expect_rc 1 "check with a stale decision"
expect_out "review.conf:$(wc -l <"$C/review.conf"): [stale-review] review \"data-security\": passage = $S21: A sentence no statement has. matches no sentence" "check names the stale decision"
case "$out" in *"stale-review] review \"data-security\": same"*) fail "check calls a used decision stale" ;; *) ok ;; esac
# a malformed decision and an unknown key, at their lines
printf '[review "data-security"]\n\tsame = %s: no arrow\n' $S21 >>"$C/review.conf"
run --corpus "$C" log
expect_rc 2 "a malformed decision"; expect_one_error_line "a malformed decision"
expect_err "review.conf:$(wc -l <"$C/review.conf"): 'same' is not '<statement id>: <sentence> <- <statement id>: <sentence>'" "a malformed decision"
finish
