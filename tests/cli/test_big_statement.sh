#!/usr/bin/env bash
# A statement just under the size limit (POSDIFF_MAX_BYTES=64K here, to
# stay small) whose normalized text is over it (CommonMark escapes of
# [ ] _ < > ` #): build, log, diff and the normalized files themselves
# (normalize, diff --no-index, --textconv) all succeed, since the limit
# applies to raw text only; a raw file over the limit is still refused
# with exit 2 and one line naming the file.
. "$(dirname "$0")/lib.sh"
export POSDIFF_MAX_BYTES=64K
limit=65536

# raw lines whose normalization grows: every [ ] _ < > ` # is escaped
statement() { # statement FIRST-WORD BYTES: lines up to BYTES bytes
  awk -v w="$1" -v max="$2" 'BEGIN {
    print "Statement on [data_security] at the <OEWG>"; print ""; n = 44
    for (i = 1; ; i++) {
      l = sprintf("%s [item_%d] of the <norm_%d> on data security says `x_%d` #%d is [key_%d].", w, i, i, i, i, i)
      if (n + length(l) + 1 > max) break
      print l; n += length(l) + 1
    }
  }'
}
statement Clause $((limit - 200)) > "$T/a.txt"
statement Clause $((limit - 200)) | sed 's/^Clause \[item_7\]/Clause [item_seven]/' > "$T/b.txt"
size=$(wc -c < "$T/a.txt")
[ "$size" -le "$limit" ] && [ "$size" -gt $((limit - 300)) ] && ok || fail "a.txt is $size bytes, not just under $limit"

"$POSDIFF" init "$T/c" >/dev/null
printf '[position "data-security"]\n\ttitle = Data security\n\tmatch = data security\n' > "$T/c/positions.conf"
run --corpus "$T/c" add "$T/a.txt" --date 2021 --id a
expect_rc 0 "add a statement just under the limit"
run --corpus "$T/c" add "$T/b.txt" --date 2022 --id b
expect_rc 0 "add its edited copy"
run --corpus "$T/c" build
expect_rc 0 "build"

run --corpus "$T/c" normalize a
expect_rc 0 "normalize a"
printf '%s\n' "$out" > "$T/a.md"
"$POSDIFF" --corpus "$T/c" normalize b > "$T/b.md"
nsize=$(wc -c < "$T/a.md")
[ "$nsize" -gt "$limit" ] && ok || fail "normalized a is $nsize bytes, not over the $limit-byte limit"

run --no-pager --corpus "$T/c" diff a b
expect_rc 0 "diff a b"; expect_out "seven" "diff a b shows the edit"
run --no-pager --corpus "$T/c" log --format=json
expect_rc 0 "log"

# posdiff's own normalized output, over the raw limit, read back
run --no-pager diff --no-index "$T/a.md" "$T/b.md"
expect_rc 1 "diff --no-index of the normalized files"; expect_out "seven" "diff --no-index shows the edit"
run normalize "$T/a.md"
expect_rc 0 "normalize of a normalized file over the limit"
run normalize --textconv "$T/a.md"
expect_rc 0 "normalize --textconv of a normalized file over the limit"
"$POSDIFF" normalize "$T/a.txt" > "$T/a-file.md"
[ "$(wc -c < "$T/a-file.md")" -gt "$limit" ] && ok || fail "normalize FILE output is not over the limit"
run normalize "$T/a-file.md"
expect_rc 0 "normalize of normalize FILE's output"
[ "$out" = "$(cat "$T/a-file.md")" ] && ok || fail "normalized text is not its own normalization"

# a raw file over the limit: refused, naming the file, corpus unchanged
statement Clause $((limit + 400)) > "$T/over.txt"
before=$(tree_sum "$T/c")
run --corpus "$T/c" add "$T/over.txt" --date 2023 --id over
expect_rc 2 "add over the limit"; expect_one_error_line "add over the limit"
expect_err "$T/over.txt: file is $(wc -c < "$T/over.txt") bytes, over the limit of $limit bytes" "add over the limit"
[ "$(tree_sum "$T/c")" = "$before" ] && ok || fail "add over the limit changed the corpus"
run normalize "$T/over.txt"
expect_rc 2 "normalize of a raw file over the limit"; expect_one_error_line "normalize over the limit"
expect_err "$T/over.txt: file is" "normalize over the limit"; expect_err "over the limit of $limit bytes" "normalize over the limit"
run --no-pager diff --no-index "$T/a.txt" "$T/over.txt"
expect_rc 2 "diff --no-index of a raw file over the limit"; expect_err "$T/over.txt: file is" "diff --no-index over the limit"

# ... and one put in the manifest by hand fails the build, naming it
cp "$T/over.txt" "$T/c/statements/over.txt"
printf '[statement "over"]\n\tfile = statements/over.txt\n\tdate = 2023\n' >> "$T/c/statements.conf"
run --corpus "$T/c" build
expect_rc 2 "build with a raw file over the limit"; expect_one_error_line "build over the limit"
expect_err "statements/over.txt: file is" "build over the limit"; expect_err "over the limit of $limit bytes" "build over the limit"

# normalized text is taken up to POSDIFF_NORMALIZED_GROWTH (4) times the
# limit (and a front matter allowance of 64 KiB), no more
cat "$T/a-file.md" "$T/a-file.md" "$T/a-file.md" > "$T/three.md"
out=$(POSDIFF_MAX_BYTES=16K "$POSDIFF" normalize "$T/three.md" 2>"$T/stderr"); rc=$?; err=$(cat "$T/stderr")
expect_rc 2 "normalized text over the bound"; expect_err "$T/three.md: file is" "normalized text over the bound"
expect_err "over the limit of 16384 bytes" "normalized text over the bound"

finish
