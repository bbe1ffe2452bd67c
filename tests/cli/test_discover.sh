#!/usr/bin/env bash
# posdiff discover (issue 18 item 4): on the shipped corpus and on a
# small fixture (an untracked point restated in two of three statements),
# the snippet is valid git-config, appending a suggested section makes
# `log suggested-1` show its sentences, JSON is valid, --position finds
# a restatement that comes before its passage; bad input exits 2 with
# one error line.
. "$(dirname "$0")/lib.sh"

copy_corpus "$T/c"
run --corpus "$T/c" discover
expect_rc 0 "discover on the shipped corpus"
printf '%s\n' "$out" >"$T/snippet.conf"
git config -f "$T/snippet.conf" --list >/dev/null && ok || fail "the snippet is not git-config"
run --corpus "$T/c" discover --format=json
expect_rc 0 "discover --format=json"
printf '%s' "$out" | python3 -m json.tool >/dev/null && ok || fail "invalid JSON: $out"
for p in $(git config -f "$T/c/positions.conf" --name-only --get-regexp '^position\..*\.title$' | sed 's/^position\.//; s/\.title$//'); do
  run --corpus "$T/c" discover --position "$p"
  expect_rc 0 "discover --position $p"
  run --corpus "$T/c" discover --position "$p" --format=json
  printf '%s' "$out" | python3 -m json.tool >/dev/null && ok || fail "invalid JSON for $p"
done

for bad in 0 1 x 3x -2 ''; do
  run --corpus "$T/c" discover --min-statements "$bad"
  expect_rc 2 "--min-statements '$bad'"; expect_one_error_line "--min-statements '$bad'"
done
run --corpus "$T/c" discover --position no-such-position
expect_rc 2 "unknown --position"; expect_one_error_line "unknown --position"
expect_err "'no-such-position' is not a position" "unknown --position"
run --corpus "$T/c" discover --format=xml
expect_rc 2 "--format=xml"; expect_one_error_line "--format=xml"

# the fixture: s0 and s2 restate a point about undersea cables; s1 does not
F="$T/f"; mkdir -p "$F/statements"
printf '[position "data-security"]\n\ttitle = Data security\n\tmatch = data security\n' >"$F/positions.conf"
: >"$F/statements.conf"
w() { printf '%s\n\n' "${@:3}" >"$F/statements/$1.txt"
      printf '[statement "%s"]\n\tfile = statements/%s.txt\n\tdate = %s\n' "$1" "$1" "$2" >>"$F/statements.conf"; }
w s0 2020-01 "Undersea cables must be protected from sabotage by every state." \
  "We must protect personal information of citizens and ensure the security of their data." \
  "The weather in Geneva was pleasant during the session."
w s1 2020-02 "All states should ensure data security and protect personal information of citizens." \
  "The secretariat prepared an excellent report on capacity building."
w s2 2020-03 "Every state must protect undersea cables from sabotage." \
  "Developing countries need help to bridge the digital divide."
run --corpus "$F" discover
expect_rc 0 "fixture, K = 3"
case "$out" in *'[position'*) fail "a point two statements make is a candidate at K = 3: $out" ;; *) ok ;; esac
run --corpus "$F" discover --min-statements 2
expect_rc 0 "fixture, K = 2"
expect_out '[position "suggested-1"]' "fixture, K = 2"
expect_out "s0: Undersea cables" "fixture, K = 2"; expect_out "s2: Every state must protect undersea" "fixture, K = 2"
case "$out" in *Geneva*|*secretariat*|*"data security"*) fail "unrelated sentences in the group: $out" ;; *) ok ;; esac
printf '%s\n' "$out" >>"$F/positions.conf"
git config -f "$F/positions.conf" --list >/dev/null && ok || fail "positions.conf with the snippet is not git-config"
run --corpus "$F" build
expect_rc 0 "build with the suggested section"
run --corpus "$F" log suggested-1
expect_rc 0 "log suggested-1"
expect_out "Undersea cables must be protected from sabotage by every state." "log suggested-1 (s0)"
expect_out "2020-03    s2" "log suggested-1 (s2's entry)"
expect_out "Every state must protect undersea cables" "log suggested-1 (s2's sentence, as a word diff)"
case "$out" in *Geneva*|*Developing*) fail "log suggested-1 shows unrelated sentences: $out" ;; *) ok ;; esac

run --corpus "$F" discover --position data-security
expect_rc 0 "fixture --position"
expect_out "s0: We must protect personal information" "fixture --position"
expect_out "restates" "fixture --position"
expect_out "match = " "fixture --position"
run --corpus "$F" discover --position data-security --format=json
printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); c=d["candidates"]; assert len(c)==1 and c[0]["restates"]["id"]=="s1" and c[0]["match"], d' && ok || fail "fixture --position JSON: $out"
finish
