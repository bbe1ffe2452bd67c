#!/usr/bin/env bash
# Help as a user meets it: posdiff help [COMMAND], COMMAND --help,
# --version, "did you mean" for mistyped commands and options, the man
# page (every command, exit status, environment; renders without
# warnings) and the bash completion (commands, options, option values,
# statement and position ids from the corpus's manifests).
. "$(dirname "$0")/lib.sh"
MAN="$SRC/cli/posdiff.1"
COMPLETION="$SRC/cli/posdiff.bash"

run --version
expect_rc 0 "--version"
case "$out" in "posdiff version "[0-9]*) ok ;; *) fail "--version: $out" ;; esac

run help
expect_rc 0 "help"; expect_out "usage: posdiff" "help"
commands=$(printf '%s\n' "$out" | sed -n 's/^   \([a-z]*\)  .*/\1/p')
list=$out
for c in init add normalize build log; do
  printf '%s\n' "$commands" | grep -qx "$c" && ok || fail "help does not list $c"
done
for c in $commands help; do
  run help "$c"
  expect_rc 0 "help $c"
  case "$out" in "usage: posdiff $c"*) ok ;; *) fail "help $c: $out" ;; esac
  summary=$(printf '%s\n' "$list" | sed -n "s/^   $c  *//p")
  case "$out" in *"${summary#?}."*) ok ;; *) fail "help $c: no description ('$summary')" ;; esac
  help_out=$out
  [ "$c" = help ] && continue
  run "$c" --help
  expect_rc 0 "$c --help"
  [ "$out" = "$help_out" ] && ok || fail "$c --help differs from help $c"
  run "$c" -h
  [ "$out" = "$help_out" ] && ok || fail "$c -h differs from help $c"
done
run help log
expect_out "--format=markdown" "help log"; expect_out "--reverse" "help log"
expect_out $'\xe2\x89\x88 restated' "help log: the restated mark"; expect_out "was (DATE, ID): OLD" "help log: the was line"
run help check
expect_out "changed, restated," "help check: the restated kind"
run log --since 2021 --help
expect_rc 0 "--help after other options"; expect_out "usage: posdiff log" "--help after other options"

# mistakes: one error line, exit 2, a suggestion when one is close
suggest() { # suggest "ARGS" EXPECTED
  run $1
  expect_rc 2 "$1"; expect_one_error_line "$1"; expect_err "did you mean $2?" "$1"
}
suggest lgo log
suggest lg log
suggest chekc check
suggest blam blame
suggest norm normalize
suggest hepl help
suggest "log --sinc 2021" --since
suggest "log --formt=json" --format
suggest "--no-pagr log" --no-pager
run xyzzy
expect_rc 2 "unknown command"; expect_one_error_line "unknown command"
expect_err "'xyzzy' is not a posdiff command; see 'posdiff help'" "unknown command"
run help xyzzy
expect_rc 2 "help of an unknown command"; expect_one_error_line "help of an unknown command"
run
expect_rc 2 "no command"; expect_err "usage: posdiff" "no command"

# the man page
for c in $commands help; do
  grep -q "^\.SS \"posdiff $c" "$MAN" && ok || fail "posdiff.1 does not document '$c'"
done
for word in POSDIFF_CORPUS POSDIFF_PAGER PAGER LESS NO_COLOR POSDIFF_MAX_BYTES POSDIFF_LOCK_TIMEOUT_MS \
            "EXIT STATUS" ENVIRONMENT FILES statements.conf positions.conf history.git textconv; do
  grep -q -- "$word" "$MAN" && ok || fail "posdiff.1 does not mention $word"
done
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1)
  [ -z "$warnings" ] && ok || fail "groff warns about posdiff.1: $warnings"
  groff -man -Tutf8 "$MAN" 2>/dev/null | grep -q "posdiff log" && ok || fail "posdiff.1 does not render"
else
  echo "note: groff is not installed; the man page is not rendered"
fi

# bash completion, on a copy of the shipped corpus
copy_corpus "$T/corpus"
complete_words() { # complete_words DIR WORD... : the completions of the last word
  (cd "$1" && shift && . "$COMPLETION" && COMP_WORDS=("$@") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) &&
    COMPREPLY=() && _posdiff && printf '%s\n' "${COMPREPLY[@]}")
}
expect_completion() { # expect_completion DIR "EXPECTED" WORD...
  local dir=$1 want=$2 got; shift 2
  got=$(complete_words "$dir" "$@" 2>&1 | sort | tr '\n' ' ')
  [ "$got" = "$want " ] && ok || fail "completion of '$*' in $dir: got '$got', expected '$want '"
}
expect_completion "$T" "log" posdiff lo
expect_completion "$T" "--format=" posdiff log --form
expect_completion "$T" "json markdown text" posdiff log --format = ""
expect_completion "$T" "github json text" posdiff check --format = ""
expect_completion "$T" "changed,dropped" posdiff check --fail-on = changed,dro
expect_completion "$T" "changed,restated" posdiff check --fail-on = changed,res
expect_completion "$T" "--porcelain" posdiff blame --p
expect_completion "$T" "--no-pager" posdiff --no
expect_completion "$T" "blame" posdiff help bl
expect_completion "$T/corpus" "data-security" posdiff log da
expect_completion "$T/corpus/statements" "sovereignty" posdiff blame sov
expect_completion "$T" "2021-12-14-oewg" posdiff -C corpus normalize 2021
expect_completion "$T" "2025-02-oewg-10" posdiff --corpus corpus diff 2025
expect_completion "$T" "single-track" posdiff -C corpus diff --position sin
mkdir -p "$T/empty"
expect_completion "$T/empty" "" posdiff log da   # no corpus here
POSDIFF_CORPUS="$T/corpus" expect_completion "$T" "militarization" posdiff log mil
all=$(complete_words "$T/corpus" posdiff log "" | tr '\n' ' ')
want=$(git config -f "$T/corpus/positions.conf" --name-only --get-regexp '^position\..*\.title$' |
       sed 's/^position\.\(.*\)\.title$/\1/' | sort | tr '\n' ' ')
[ "$all" = "$want" ] && ok || fail "position ids: '$all', expected '$want'"
finish
