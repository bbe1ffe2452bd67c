#!/usr/bin/env bash
# Defects a hostile tester found (issue 17), each as it failed before:
# an output that cannot be written fails the command (/dev/full, a
# file-size limit without `trap '' XFSZ`); a FIFO is refused at once,
# never waited on; POSDIFF_MAX_BYTES takes K/M/G and refuses garbage;
# a statement flattened to one line is not made a title; diff
# --no-index of a huge one-heading statement against its sentences is
# bounded; a raw file is hashed as read; a history with commits missing
# fails every reader; commit times are 64-bit; a history branch made a
# symref, carrying a commit made with git, or a work tree is an error
# naming the fix; an add killed midway is completed or undone by the
# next; the smaller ones of #15.
. "$(dirname "$0")/lib.sh"

copy_corpus "$T/c"
"$POSDIFF" --corpus "$T/c" build >/dev/null 2>&1 || fail "build"
S="$SRC/corpus/statements/2025-02-oewg-10.txt"

# 4. write errors to stdout: exit 2 and one line, for every kind of output
for args in "--version" "help" "help log" "--corpus $T/c log" "normalize $S" \
            "--corpus $T/c log --format=json"; do
  # shellcheck disable=SC2086
  "$POSDIFF" $args >/dev/full 2>"$T/stderr"; rc=$?; err=$(cat "$T/stderr")
  expect_rc 2 "$args > /dev/full"
  expect_err "cannot write the output" "$args > /dev/full"
done

# 9. a file-size limit: no SIGXFSZ death, a clear error, nothing left
out=$( (ulimit -f 4; exec "$POSDIFF" --corpus "$T/c" log >"$T/log.txt") 2>"$T/stderr"); rc=$?
err=$(cat "$T/stderr")
expect_rc 2 "log over a file-size limit"; expect_one_error_line "log over a file-size limit"
cp -r "$T/c" "$T/c2"; rm -rf "$T/c2/.posdiff"
out=$( (ulimit -f 20; exec "$POSDIFF" --corpus "$T/c2" build) 2>"$T/stderr"); rc=$?
err=$(cat "$T/stderr")
expect_rc 2 "build over a file-size limit"; expect_one_error_line "build over a file-size limit"
[ -z "$(find "$T/c2" -name 'tmp_*' -o -name '*.tmp*')" ] && ok || fail "build over a limit left temporary files"

# 10. a FIFO is refused at once
mkfifo "$T/fifo"
for args in "normalize $T/fifo" "diff --no-index $T/fifo $S" "--corpus $T/c add $T/fifo --date 2026"; do
  # shellcheck disable=SC2086
  out=$(timeout 10 "$POSDIFF" $args 2>"$T/stderr"); rc=$?; err=$(cat "$T/stderr")
  expect_rc 2 "$args"; expect_err "not a regular file" "$args"
done

# 15. POSDIFF_MAX_BYTES: 16M is 16 MiB, garbage is refused
out=$(POSDIFF_MAX_BYTES=16M "$POSDIFF" normalize "$S" 2>"$T/stderr"); rc=$?
expect_rc 0 "POSDIFF_MAX_BYTES=16M"
out=$(POSDIFF_MAX_BYTES=16 "$POSDIFF" normalize "$S" 2>"$T/stderr"); rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "POSDIFF_MAX_BYTES=16"; expect_err "over the limit of 16 bytes" "POSDIFF_MAX_BYTES=16"
out=$(POSDIFF_MAX_BYTES=lots "$POSDIFF" normalize "$S" 2>"$T/stderr"); rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "POSDIFF_MAX_BYTES=lots"; expect_err "not a size" "POSDIFF_MAX_BYTES=lots"

# 15. smaller ones: the id limit is named; control characters of an id
# are not echoed raw; a repeated title is an error, not an override; a
# phrase of function words only is refused; COLUMNS is bounded
cp -r "$T/c" "$T/c15"; M="$T/c15/statements.conf"; P15="$T/c15/positions.conf"
cp "$M" "$T/m15"; cp "$P15" "$T/p15"
printf '[statement "%s"]\n\tfile = statements/x.txt\n\tdate = 2026\n' "$(printf 'a%.0s' $(seq 130))" >>"$M"
run --corpus "$T/c15" build
expect_rc 2 "an id of 130 characters"; expect_err "at most 128" "an id of 130 characters"
cp "$T/m15" "$M"; printf '[statement "a\033[31mred"]\n\tfile = statements/x.txt\n\tdate = 2026\n' >>"$M"
run --corpus "$T/c15" build
expect_rc 2 "an id with ESC"; expect_err 'a\x1b[31mred' "an id with ESC shown as \\x1b"
case "$err" in *$'\033'*) fail "an id with ESC: a raw ESC reached the terminal" ;; *) ok ;; esac
cp "$T/m15" "$M"; printf '[statement "2021-12-14-oewg"]\n\ttitle = Another title\n' >>"$M"
run --corpus "$T/c15" build
expect_rc 2 "a reopened section's title"; expect_err "'title' given 2 times" "a reopened section's title"
cp "$T/m15" "$M"; printf '[position "stop"]\n\ttitle = Stop\n\tmatch = of the\n' >>"$P15"
run --corpus "$T/c15" build
expect_rc 2 "a phrase of function words"; expect_err 'phrase "of the" has only function words' "a phrase of function words"
cp "$T/p15" "$P15"
long="statements/$(printf 'a%.0s' $(seq 5000)).txt"
printf '[statement "long"]\n\tfile = %s\n\tdate = 2026\n' "$long" >>"$M"
run --corpus "$T/c15" build
expect_rc 2 "a file of 5000 characters"; expect_err "is 5015 bytes long, over the limit of 1024; give a shorter path" "a file of 5000 characters"
[ "${#err}" -lt 400 ] && ok || fail "a file of 5000 characters: a message of ${#err} bytes"
for alias in ./statements/2021-12-14-oewg.txt statements//2021-12-14-oewg.txt statements/./2021-12-14-oewg.txt; do
  cp "$T/m15" "$M"; printf '[statement "alias"]\n\tfile = %s\n\tdate = 2026\n' "$alias" >>"$M"
  run --corpus "$T/c15" build
  expect_rc 2 "file = $alias"; expect_err "is not a statement file" "file = $alias"
done
cp "$T/m15" "$T/c15/real.conf"; chmod 600 "$T/c15/real.conf"; ln -sf real.conf "$M"
echo "We support data security, once more." >"$T/once.txt"
run --corpus "$T/c15" add "$T/once.txt" --date 2026-03-01
expect_rc 0 "add through a symlinked statements.conf"
[ -L "$M" ] && [ "$(stat -c %a "$T/c15/real.conf")" = 600 ] && grep -q 2026-03-01 "$T/c15/real.conf" && ok ||
  fail "add replaced a symlinked statements.conf or reset its mode"
printf 'Alpha bravo charlie delta.\n' >"$T/w1.txt"; printf 'Alpha bravo charlie echo.\n' >"$T/w2.txt"
n=$(COLUMNS=2000000000 "$POSDIFF" --no-pager diff --no-index --side-by-side "$T/w1.txt" "$T/w2.txt" | head -c 100000 | wc -c)
[ "$n" -lt 10000 ] && ok || fail "COLUMNS=2000000000: $n bytes for a one-line diff"

# 2. the newest pack deleted (the tip commit missing): every reader fails
# and says how to repair, none shows an empty history
cp -r "$T/c" "$T/c3"; echo "We support data security." >"$T/new.txt"
old=$(ls "$T/c3/.posdiff/history.git/objects/pack/")
{ "$POSDIFF" --corpus "$T/c3" add "$T/new.txt" --date 2026-01-01 &&
  "$POSDIFF" --corpus "$T/c3" build; } >/dev/null 2>&1 || fail "add + build"
for f in "$T/c3/.posdiff/history.git/objects/pack/"*; do
  case "$old" in *"${f##*/}"*) ;; *) rm -f "$f" ;; esac
done
for args in "log" "log data-security --format=json" "blame data-security" "positions --matrix"; do
  # shellcheck disable=SC2086
  run --corpus "$T/c3" $args
  expect_rc 2 "$args without the tip commit"; expect_one_error_line "$args without the tip commit"
  expect_err "c3/.posdiff/history.git/: refs/heads/main is damaged; restore the repository, or delete it and run posdiff build again" "$args without the tip commit"
done

# 2. the branch itself gone (the repository left): no reader shows an
# empty history of a corpus that has statements
cp -r "$T/c" "$T/c3b"; git --git-dir "$T/c3b/.posdiff/history.git" update-ref -d refs/heads/main
for args in "log" "blame data-security" "positions --matrix"; do
  # shellcheck disable=SC2086
  run --corpus "$T/c3b" $args
  expect_rc 2 "$args without the branch"; expect_err "has no branch refs/heads/main, so no statement is built; run 'posdiff build'" "$args without the branch"
done

# 5. commit times are 64-bit: every date the manifest takes (1970 to
# 9999) is the date of its commit, past 2106 too
"$POSDIFF" init "$T/c5" >/dev/null 2>&1 || fail "init"
dates="1970-01-01 2106-02-07 2106-02-08 2107-01-01 9999-12-31"
for d in $dates; do
  echo "We support data security ($d)." >"$T/s-$d.txt"
  "$POSDIFF" --corpus "$T/c5" add "$T/s-$d.txt" --date "$d" >/dev/null 2>&1 || fail "add $d"
done
"$POSDIFF" --corpus "$T/c5" build >/dev/null 2>&1 || fail "build of far dates"
out=$(git --git-dir "$T/c5/.posdiff/history.git" log --reverse --format=%ad --date=short main)
# shellcheck disable=SC2086
[ "$out" = "$(printf '%s\n' $dates)" ] && ok || fail "commit dates: $out"
out=$(git --git-dir "$T/c5/.posdiff/history.git" fsck --strict 2>&1) && ok || fail "fsck: $out"

# 3. a statement flattened to one line (no final stop) is no title
tr '\n' ' ' <"$S" | sed 's/[. ]*$//' >"$T/flat.txt"
run normalize "$T/flat.txt"
expect_rc 0 "normalize a flattened statement"
case "$out" in *$'\n# '*) fail "a flattened statement became a title" ;; *) ok ;; esac

# 11. diff --no-index: a 1.6 MB one-heading statement against its sentences
python3 - "$T" <<'PY'
import random, sys
random.seed(1)
words = ["w%d" % i for i in range(3000)]
ws = [random.choice(words) for _ in range(300000)]
open(sys.argv[1] + "/h1.md", "w").write("# " + " ".join(ws) + "\n")
open(sys.argv[1] + "/h2.md", "w").write(
    "\n".join(" ".join(ws[i:i + 15]).capitalize() + "." for i in range(0, len(ws), 15)) + "\n")
PY
out=$(timeout 60 "$POSDIFF" diff --no-index "$T/h1.md" "$T/h2.md" --stat 2>"$T/stderr"); rc=$?
[ "$rc" -le 1 ] && ok || fail "diff --no-index of a huge heading: exit $rc (124: over 60 s)"

# 14. a history git made strange: each is an error naming the fix, never
# "run build again" forever, never a silent success or a silent drop
H="$T/c14/.posdiff/history.git"
cp -r "$T/c" "$T/c14"
git --git-dir "$H" update-ref refs/heads/other main && git --git-dir "$H" symbolic-ref refs/heads/main refs/heads/other
for i in 1 2; do
  run --corpus "$T/c14" build
  expect_rc 2 "build with main a symref (run $i)"; expect_one_error_line "build with main a symref"
  expect_err "refs/heads/main is a symbolic reference to refs/heads/other; make it a branch again with git --git-dir" "build with main a symref"
done
git --git-dir "$H" update-ref --no-deref refs/heads/main refs/heads/other || fail "the fix named"
run --corpus "$T/c14" build; expect_rc 0 "build after the fix"
git --git-dir "$H" update-ref -d refs/heads/other
# a commit made with git on the branch is refused by name, then kept
tip=$(git --git-dir "$H" rev-parse main)
hand=$(echo "by hand" | GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x@y GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@y \
       git --git-dir "$H" commit-tree "main^{tree}" -p main)
git --git-dir "$H" update-ref refs/heads/main "$hand"
run --corpus "$T/c14" build
expect_rc 2 "build over a commit made with git"; expect_one_error_line "build over a commit made with git"
expect_err "has commit $hand that posdiff did not write; move it to another branch, then reset refs/heads/main to $tip" "build over a commit made with git"
[ "$(git --git-dir "$H" rev-parse main)" = "$hand" ] && ok || fail "the commit made with git was dropped"
git --git-dir "$H" update-ref refs/heads/main "$tip"
run --corpus "$T/c14" build; expect_rc 0 "build after the reset"
# a history cloned as a work tree (.git inside): build and log both say so
rm -rf "$H" && git clone -q "$T/c/.posdiff/history.git" "$H" 2>/dev/null || fail "clone"
for args in build log; do
  run --corpus "$T/c14" $args
  expect_rc 2 "$args on a work-tree history"; expect_one_error_line "$args on a work-tree history"
  expect_err "history.git" "$args on a work-tree history"
done
expect_err "holds a git work tree, not posdiff's bare history; remove it and run posdiff build" "log on a work-tree history"
# a bare history turned non-bare by core.bare = false
rm -rf "$H" && cp -r "$T/c/.posdiff/history.git" "$H" && git --git-dir "$H" config core.bare false
run --corpus "$T/c14" build
expect_rc 2 "build on core.bare = false"; expect_err "core.bare true" "build on core.bare = false"

# 13. an add killed midway: the next add completes or undoes it, check
# reports the copy meanwhile, nothing temporary is left
cp -r "$T/c" "$T/c13"; C13="$T/c13"
echo "We support data security in 2026." >"$T/k1.txt"
(POSDIFF_TEST_KILL_AT=linked "$POSDIFF" --corpus "$C13" add "$T/k1.txt" --id k1 --date 2026-01-01; true) >/dev/null 2>&1
[ -f "$C13/statements/k1.txt" ] && ! grep -q '"k1"' "$C13/statements.conf" && ok || fail "the kill hook: no copy without an entry"
run --corpus "$C13" check
expect_out "[unnamed-file]" "check after an add killed midway"; expect_out "statements/k1.txt" "check names the copy"
run --corpus "$C13" add "$T/k1.txt" --id k1 --date 2026-01-01
expect_rc 0 "the same add again after the kill"
echo "We support data security in 2027." >"$T/k2.txt"
(POSDIFF_TEST_KILL_AT=written "$POSDIFF" --corpus "$C13" add "$T/k2.txt" --id k2 --date 2027-01-01; true) >/dev/null 2>&1
touch "$C13/statements.conf.new.99999"   # what a kill inside the manifest's replace leaves
touch "$C13/.posdiff/corpus-cache.tmp.99999"   # what a kill inside a cache write leaves
echo "We support data security in 2028." >"$T/k3.txt"
run --corpus "$C13" add "$T/k3.txt" --id k3 --date 2028-01-01
expect_rc 0 "an add after a kill once the manifest was written"
[ -f "$C13/statements/k2.txt" ] && grep -q '"k2"' "$C13/statements.conf" && ok || fail "a complete entry was undone"
for i in $(seq 1 40); do
  echo "We support data security, trial $i." >"$T/r.txt"
  "$POSDIFF" --corpus "$C13" add "$T/r.txt" --id "r$i" --date 2026-02-01 >/dev/null 2>&1 &
  pid=$!; sleep "0.0$((RANDOM % 60))"; kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  if ! grep -q "\"r$i\"" "$C13/statements.conf"; then
    "$POSDIFF" --corpus "$C13" add "$T/r.txt" --id "r$i" --date 2026-02-01 >"$T/out" 2>&1 ||
      fail "trial $i: the same add after a kill: $(cat "$T/out")"
  fi
done
# the contract is "the next add completes or undoes it": the last trial's
# kill may land after its entry was written, so one more add comes last
echo "We support data security, after the trials." >"$T/r.txt"
run --corpus "$C13" add "$T/r.txt" --id r-last --date 2026-02-02
expect_rc 0 "an add after the trials"
run --corpus "$C13" check
case "$out" in *unnamed-file*) fail "check after the kills: $out" ;; *) ok ;; esac
left=$(cd "$C13" && find . -name '*.tmp.*' -o -name '*.new.*' -o -path './.posdiff/add/*')
[ -z "$left" ] && ok || fail "left behind by killed adds: $left"
[ "$(grep -c '^\[statement "r[0-9]' "$C13/statements.conf")" -eq 40 ] && ok || fail "40 entries after the kills"

finish
