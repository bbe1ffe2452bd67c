#!/usr/bin/env bash
# posdiff normalize on the defects of web and PDF text (issue 20, item 3):
# words hyphenated across a line break, running page footers and page
# numbers, a site navigation line before the title, quotes glued to a
# word, and --explain reporting every clean-up and repair by raw line.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 2

body() { # body FILE: normalized output of FILE, or a failure
  out=$("$POSDIFF" normalize "$1" 2>"$T/stderr"); rc=$?
  err=$(cat "$T/stderr")
}
has_line() { # has_line LINE what
  printf '%s\n' "$out" | grep -qxF -- "$1" && ok || fail "$2: no line '$1' in: $out"
}
lacks() { # lacks SUBSTRING what
  case "$out" in *"$1"*) fail "$2: '$1' left in: $out" ;; *) ok ;; esac
}

# --- a. hyphenation across a line break --------------------------------
printf '%s\n' "Statement on the battle-" "field of ideas" "" \
  "We reject the author-" "ity of the few and the cross-border flows of the cross-" \
  "border data." "" "We support pre-" "and post-war efforts of all." > hyph.txt
body hyph.txt
expect_rc 0 "hyphenation"
has_line "# Statement on the battlefield of ideas" "battle-/field joined in the title"
has_line "We reject the authority of the few and the cross-border flows of the cross-border data." "author-/ity joined, cross-/border keeps its hyphen"
has_line "We support pre- and post-war efforts of all." "pre- and: a suspended hyphen stays"
lacks "battle- field" "hyphenation"; lacks "author- ity" "hyphenation"

# --- b. running page footers, page numbers -----------------------------
printf '%s\n' "Statement by the delegation of China" "" \
  "We believe that all States should" "Page 3 of 12" "refrain from such acts." "" \
  "The international community must" "- 4 -" "work together." "" \
  "Our common future depends on the" "7" "choices we make today." "" \
  "States should protect the" "" "A/AC.301/2026/CRP.5 Page 2 of 2" "" "data of their citizens and the legitimate inter-" \
  "" "A/AC.301/2026/CRP.5 Page 3 of 3" "" "ests of all." "" \
  "We adopted the following text." "" "2026" "" "It is our year." > footer.txt
body footer.txt
expect_rc 0 "footers"
has_line "We believe that all States should refrain from such acts." "Page N of M dropped"
has_line "The international community must work together." "- N - dropped"
has_line "Our common future depends on the choices we make today." "lone page number dropped"
has_line "States should protect the data of their citizens and the legitimate interests of all." "UN symbol + Page N of M dropped, joined across"
has_line "2026" "a number after a full sentence is kept"
lacks "Page" "footer text"; lacks "CRP.5" "document symbol"

# --- c. navigation line before the title ------------------------------
for nav in "Home > News > Statements" "Home | About | Contact" "Skip to main content"; do
  printf '%s\n' "$nav" "" "Statement at the Open-ended Working Group" "" "We support the work of the group." > nav.txt
  body nav.txt
  expect_rc 0 "nav: $nav"
  printf '%s\n' "$out" | head -1 | grep -qxF "# Statement at the Open-ended Working Group" && ok \
    || fail "nav '$nav' taken as the title: $out"
  lacks "$nav" "nav '$nav' dropped"
done

# --- d. missing space before/after a quote ----------------------------
printf '%s\n' "Title of the statement here" "" \
  'We welcome the idea of"finding common ground" and a "shared"future.' \
  'Trust is "built"by deeds. The word"alone stays.' > quote.txt
body quote.txt
expect_rc 0 "quotes"
has_line 'We welcome the idea of "finding common ground" and a "shared" future.' "quote spaces restored"
has_line 'Trust is "built" by deeds.' "closing quote space"
has_line 'The word"alone stays.' "an unpaired quote untouched"

# --- e. --explain reports every clean-up and repair -------------------
{ printf '\357\273\277Home > News > Statements\r\n\r\n'
  printf 'Statement on the battle-\r\nfield of ideas\r\n\r\n'
  printf 'We say\342\200\213 the \342\200\234words\342\200\235 of\302\240peace and the idea of"finding it".\r\n\r\n'
  printf 'States should protect the\r\n\r\nPage 2 of 2\r\n\r\ndata of all.\r\n\r\n'
  printf 'We support the\r\n\r\nrule of law.\r\n'
} > explain.txt
run normalize explain.txt --explain
expect_rc 0 "explain"
expect_out "explain.txt:1:4: removed: Home > News > Statements	(navigation)" "navigation dropped, at its line"
expect_out "explain.txt:1:1: changed: byte order mark removed	(bom)" "BOM"
expect_out "explain.txt:1:" "CRLF at line 1"
expect_out "(crlf)" "CRLF reported"
expect_out "CRLF line ends converted to LF" "CRLF wording"
expect_out "explain.txt:6:" "line 6 named"
expect_out "zero-width" "zero-width space reported"
expect_out "(nbsp)" "NBSP reported"
expect_out "(curly-quotes)" "curly quotes reported"
expect_out "explain.txt:3:" "hyphenation at line 3"
expect_out "(hyphenation)" "hyphenation reported"
expect_out "battlefield" "joined word named"
expect_out "explain.txt:10:1: removed: Page 2 of 2	(page-footer)" "footer dropped at its line"
expect_out "(page-break)" "page-break join reported"
expect_out "(quote-space)" "quote space reported"
expect_out "removals," "summary line"
printf '%s\n' "$out" | grep -c '(page-break)' | grep -qx 2 && ok || fail "two page-break joins: $out"
# the output itself: the same repairs
body explain.txt
has_line "We say the \"words\" of peace and the idea of \"finding it\"." "cleaned line"
has_line "States should protect the data of all." "footer join"
has_line "We support the rule of law." "page-break join"
finish
