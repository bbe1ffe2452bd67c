#!/usr/bin/env bash
# Bad input: one clear error line naming the file (and place), exit 2,
# corpus bytes unchanged.  CRLF, lone CR and a BOM are accepted.
. "$(dirname "$0")/lib.sh"

"$POSDIFF" init "$T/c" >/dev/null
printf 'First statement. It exists.\n' > "$T/first.txt"
"$POSDIFF" --corpus "$T/c" add "$T/first.txt" --date 2020 --id first >/dev/null || fail "setup add"
before=$(tree_sum "$T/c")

bad() { # bad NAME EXPECTED-IN-STDERR [add args...]
  local name=$1 want=$2; shift 2
  run --corpus "$T/c" add "$@"
  expect_rc 2 "$name"; expect_one_error_line "$name"; expect_err "$want" "$name"
  [ "$(tree_sum "$T/c")" = "$before" ] && ok || fail "$name: corpus changed"
}

printf 'Line one.\nBad \xff byte here.\n' > "$T/utf8.txt"
bad invalid-utf8 "$T/utf8.txt:2:5: invalid UTF-8" "$T/utf8.txt" --date 2021
printf 'Nul\0here.\n' > "$T/nul.txt"
bad nul "$T/nul.txt:1:4: NUL byte" "$T/nul.txt" --date 2021
: > "$T/empty.txt"
bad empty "$T/empty.txt" "$T/empty.txt" --date 2021
printf ' \n\t\n  \n' > "$T/blank.txt"
bad whitespace-only "empty or white space" "$T/blank.txt" --date 2021
head -c 2000 /dev/zero | tr '\0' 'a' > "$T/big.txt"
POSDIFF_MAX_BYTES=1000 bad too-big "over the limit of 1000 bytes" "$T/big.txt" --date 2021
printf 'Fine.\n' > "$T/fine.txt"
bad impossible-date "does not exist" "$T/fine.txt" --date 2021-13-40
bad missing-date "no --date" "$T/fine.txt"
bad duplicate-id "exists" "$T/fine.txt" --date 2021 --id first
bad escaping-id "invalid id" "$T/fine.txt" --date 2021 --id ../x
bad absolute-id "invalid id" "$T/fine.txt" --date 2021 --id /etc/x
cp "$T/first.txt" "$T/again.txt"
bad duplicate-content "same content as statement \"first\"" "$T/again.txt" --date 2021
bad missing-file "no such file" "$T/nope.txt" --date 2021

# broken manifests: the error names the manifest and the entry
broken() { # broken NAME EXPECTED MANIFEST-TEXT
  cp -r "$T/c" "$T/b"; printf '%b' "$3" >> "$T/b/statements.conf"
  local sum; sum=$(tree_sum "$T/b")
  run --corpus "$T/b" normalize first
  expect_rc 2 "$1"; expect_one_error_line "$1"; expect_err "$2" "$1"; expect_err "statements.conf" "$1"
  [ "$(tree_sum "$T/b")" = "$sum" ] && ok || fail "$1: corpus changed"
  rm -rf "$T/b"
}
broken missing-entry-file 'statement "gone": file statements/gone.txt is missing' '[statement "gone"]\n\tfile = statements/gone.txt\n\tdate = 2021\n'
broken outside-path 'leaves the corpus' '[statement "out"]\n\tfile = ../first.txt\n\tdate = 2021\n'
broken absolute-path 'leaves the corpus' '[statement "out"]\n\tfile = /etc/hostname\n\tdate = 2021\n'
ln -s /etc/hostname "$T/c/statements/link.txt"; before=$(tree_sum "$T/c")
broken symlink-outside 'outside the corpus' '[statement "out"]\n\tfile = statements/link.txt\n\tdate = 2021\n'
rm "$T/c/statements/link.txt"; before=$(tree_sum "$T/c")
broken no-date "no 'date'" '[statement "nodate"]\n\tfile = statements/first.txt\n'
broken bad-date "does not exist" '[statement "baddate"]\n\tfile = statements/first.txt\n\tdate = 2021-02-30\n'
broken bad-syntax "not valid git-config syntax" '[statement "x"\n'

# accepted and normalized: CRLF, lone CR, BOM give the LF text's output
printf 'Mr. Chair,\n\nWe speak. We act.\n' > "$T/lf.txt"
printf 'Mr. Chair,\r\n\r\nWe speak. We act.\r\n' > "$T/crlf.txt"
printf 'Mr. Chair,\r\rWe speak. We act.\r' > "$T/cr.txt"
printf '\xef\xbb\xbfMr. Chair,\n\nWe speak. We act.\n' > "$T/bom.txt"
(cd "$T" && "$POSDIFF" normalize lf.txt > lf.md) || fail "normalize lf"
for f in crlf cr bom; do
  (cd "$T" && "$POSDIFF" normalize $f.txt > $f.md) && cmp -s "$T/lf.md" "$T/$f.md" && ok || fail "$f accepted and normalized like LF"
done
finish
