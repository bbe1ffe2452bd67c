#!/usr/bin/env bash
# statements.conf and positions.conf as git reads them: a manifest that
# `git config -f FILE --list` refuses is refused by posdiff (exit 2, one
# error line) naming the file and the line git names, for hand-picked
# breakages and for seeded random edits of the shipped manifests;
# [include] / [includeIf] are refused with file:line; a killed `add`
# leaves the old manifest or the new one; `add` keeps the manifest's
# mode and writes through a symlink to it.
. "$(dirname "$0")/lib.sh"

copy_corpus "$T/c"
cp "$T/c/statements.conf" "$T/statements.orig"
cp "$T/c/positions.conf" "$T/positions.orig"

# same_as_git FILE NAME: posdiff refuses the corpus as git refuses FILE
same_as_git() {
  local file=$1 name=$2 gitline
  gitline=$(git config -f "$T/c/$file" --list 2>&1 >/dev/null | sed -n 's/.*bad config line \([0-9]*\) in file.*/\1/p')
  run --corpus "$T/c" positions
  if [ -z "$gitline" ]; then
    case "$err" in *"$file:"*": not valid git-config syntax"*) fail "$name: git accepts $file, posdiff: $err" ;; *) ok ;; esac
    return
  fi
  expect_rc 2 "$name"; expect_one_error_line "$name"
  expect_err "$file:$gitline: not valid git-config syntax" "$name (git: line $gitline)"
}

# broken FILE NAME TEXT: TEXT appended to the shipped FILE
broken() {
  cp "$T/statements.orig" "$T/c/statements.conf"; cp "$T/positions.orig" "$T/c/positions.conf"
  printf '%b' "$3" >>"$T/c/$1"
  same_as_git "$1" "$2"
}
broken statements.conf header-unclosed '[statement "x"\n\tfile = statements/x.txt\n'
broken statements.conf header-at-eof '[statement "x"'
broken statements.conf quote-unclosed '[statement "x"]\n\ttitle = "open\n\tdate = 2022\n'
broken statements.conf quote-at-eof '[statement "x"]\n\ttitle = "open'
broken statements.conf escape-unknown '[statement "x"]\n\ttitle = a\\q\n'
broken statements.conf continued-at-eof '[statement "x"]\n# c\n\n\ttitle = "a\\\n'
broken statements.conf key-digit '[statement "x"]\n\t1file = x\n'
broken statements.conf key-dash '[statement "x"]\n\t-file = x\n'
broken statements.conf key-space '[statement "x"]\n\tti tle = x\n'
broken statements.conf key-vtab '[statement "x"]\n\ttitle\v= x\n'
broken statements.conf key-empty '[statement "x"]\n\t= x\n'
broken statements.conf no-section 'file statements/x.txt\n'
broken statements.conf header-binary '[\x01\x02]\n'
broken statements.conf text-after-quotes '[statement "x"]\n\ttitle = "a"b"c\n'
broken statements.conf crlf '[statement "x"]\r\n\ttitle = x\r\n[\r\n'
broken positions.conf positions-header '[position "x"\n'
broken positions.conf positions-quote '[position "x"]\n\tmatch = "open\n'

# seeded random edits of both manifests: wherever git refuses, so do we
python3 - "$T/statements.orig" "$T/positions.orig" "$T/mut" <<'PY'
import os, random, sys
rng = random.Random(20251)
alphabet = b'"[]\\=#; \t\n\r\x0b.-aZ9'
os.makedirs(sys.argv[3])
for i in range(80):
    src = sys.argv[1 + i % 2]
    data = bytearray(open(src, 'rb').read())
    for _ in range(rng.randint(1, 3)):
        at, c = rng.randrange(len(data)), alphabet[rng.randrange(len(alphabet))]
        op = rng.randrange(3)
        if op == 0: data[at:at] = bytes([c])
        elif op == 1: del data[at]
        else: data[at] = c
    open(os.path.join(sys.argv[3], '%02d-%s' % (i, os.path.basename(src))), 'wb').write(data)
PY
refused=0
for m in "$T"/mut/*; do
  cp "$T/statements.orig" "$T/c/statements.conf"; cp "$T/positions.orig" "$T/c/positions.conf"
  case "$m" in *statements.orig) f=statements.conf ;; *) f=positions.conf ;; esac
  cp "$m" "$T/c/$f"
  git config -f "$T/c/$f" --list >/dev/null 2>&1 || refused=$((refused + 1))
  same_as_git "$f" "random edit $(basename "$m")"
done
[ "$refused" -ge 10 ] && ok || fail "only $refused of the random edits are refused by git: not a test"
cp "$T/statements.orig" "$T/c/statements.conf"; cp "$T/positions.orig" "$T/c/positions.conf"

# include sections: refused in both files, naming the line
printf '[statement "x"]\n\tfile = statements/x.txt\n\tdate = 2022\n' >"$T/outside.conf"
n=$(($(wc -l <"$T/statements.orig") + 1))
printf '[include]\n\tpath = %s\n' "$T/outside.conf" >>"$T/c/statements.conf"
run --corpus "$T/c" build
expect_rc 2 "include"; expect_one_error_line "include"
expect_err "statements.conf:$n: [include] and [includeIf] sections are not allowed" "include"
cp "$T/statements.orig" "$T/c/statements.conf"
n=$(($(wc -l <"$T/positions.orig") + 1))
printf '[includeIf "gitdir:/"]\n\tpath = %s\n' "$T/outside.conf" >>"$T/c/positions.conf"
run --corpus "$T/c" log
expect_rc 2 "includeIf"; expect_err "positions.conf:$n: [include]" "includeIf"
cp "$T/positions.orig" "$T/c/positions.conf"

# add killed at random moments (a 2 MB manifest: its copy takes a while)
# leaves the old manifest or the new one, whole
{ cat "$T/statements.orig"; for i in $(seq 40000); do echo "# padding line $i of a large manifest"; done; } >"$T/big.conf"
printf 'A statement added while being killed.\n' >"$T/killed.txt"
cp -r "$T/c" "$T/k"; cp "$T/big.conf" "$T/k/statements.conf"
"$POSDIFF" --corpus "$T/k" add "$T/killed.txt" --date 2026-02-01 --id killed >/dev/null || fail "reference add"
cp "$T/k/statements.conf" "$T/big.new"
outcomes=
for i in $(seq 20); do
  cp "$T/big.conf" "$T/k/statements.conf"; rm -f "$T/k/statements/killed.txt" "$T/k/.posdiff/corpus-cache"
  "$POSDIFF" --corpus "$T/k" add "$T/killed.txt" --date 2026-02-01 --id killed >/dev/null 2>&1 & pid=$!
  sleep "0.0$((RANDOM % 60))"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  if cmp -s "$T/k/statements.conf" "$T/big.conf"; then outcomes="${outcomes}o"; ok
  elif cmp -s "$T/k/statements.conf" "$T/big.new"; then outcomes="${outcomes}n"; ok
  else fail "killed add $i: statements.conf is neither the old nor the new manifest"; fi
done
echo "killed adds: $outcomes (o: old manifest, n: new)"

# add: the manifest's mode is kept; a symlinked manifest stays a symlink
printf 'A statement on data security.\n' >"$T/one.txt"
printf 'Another statement on data security.\n' >"$T/two.txt"
chmod 600 "$T/c/statements.conf"
"$POSDIFF" --corpus "$T/c" add "$T/one.txt" --date 2026-01-01 --id one >/dev/null || fail "add one"
[ "$(stat -c %a "$T/c/statements.conf")" = 600 ] && ok || fail "mode: $(stat -c %a "$T/c/statements.conf")"
mkdir "$T/real"; mv "$T/c/statements.conf" "$T/real/statements.conf"
ln -s "$T/real/statements.conf" "$T/c/statements.conf"
"$POSDIFF" --corpus "$T/c" add "$T/two.txt" --date 2026-01-02 --id two >/dev/null || fail "add two"
[ -L "$T/c/statements.conf" ] && ok || fail "statements.conf is no longer a symlink"
[ "$(git config -f "$T/real/statements.conf" statement.two.file)" = statements/two.txt ] && ok ||
  fail "the symlink's target lacks the new entry"
[ "$(stat -c %a "$T/real/statements.conf")" = 600 ] && ok || fail "target's mode changed"
ls "$T/real" "$T/c" | grep -q 'statements.conf\.' && fail "temporary files left" || ok
finish
