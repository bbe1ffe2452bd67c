#!/usr/bin/env bash
# posdiff in a terminal, as a user sees it: commands run inside a
# pseudo-terminal (util-linux `script`), with POSDIFF_PAGER set to a
# small script that records that it ran (and the LESS it was given) and
# copies its input.  Checks: the pager is used only on a terminal and
# not with --no-pager; PAGER and LESS as git treats them; colour on a
# terminal, never with NO_COLOR or when piped (unless --color=always);
# a reader that quits early ends posdiff quietly (SIGPIPE, as git);
# `posdiff build` shows progress on a terminal only.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || { echo "SKIP: util-linux 'script' is not installed"; exit 77; }
copy_corpus "$T/corpus"
"$POSDIFF" -C "$T/corpus" build >/dev/null 2>"$T/build.err" || { fail "build: $(cat "$T/build.err")"; finish; exit 1; }
cd "$T/corpus" || exit 2

cat > "$T/pager.sh" <<EOF
#!/bin/sh
echo "LESS=\${LESS-unset}" > "$T/pager.ran"
cat > "$T/pager.out"
EOF
chmod +x "$T/pager.sh"
ESC=$(printf '\033')

# in_tty CMD: run the shell command CMD in a pseudo-terminal; $tty gets
# what the terminal showed, $rc the exit status of CMD.
in_tty() {
  rm -f "$T/pager.ran" "$T/pager.out"
  tty=$(timeout 60 script -qfec "$1" /dev/null </dev/null 2>&1); rc=$?
}
pager_ran() { [ -f "$T/pager.ran" ]; }
has_esc() { grep -q "$ESC\[" "$1"; }

# 1. a terminal: the pager runs, gets LESS=FRX, and colour
unset NO_COLOR LESS
export POSDIFF_PAGER="$T/pager.sh"
in_tty "'$POSDIFF' log"
[ "$rc" -eq 0 ] && ok || fail "log in a terminal: exit $rc: $tty"
pager_ran && ok || fail "the pager did not run on a terminal"
grep -qx "LESS=FRX" "$T/pager.ran" 2>/dev/null && ok || fail "pager LESS: $(cat "$T/pager.ran" 2>/dev/null), expected FRX"
has_esc "$T/pager.out" && ok || fail "no colour in a terminal"
grep -q "$ESC\[31m" "$T/pager.out" && grep -q "$ESC\[32m" "$T/pager.out" && ok \
  || fail "expected red deletions and green insertions"
case "$tty" in *"Data security"*) fail "output went to the terminal, not only to the pager" ;; *) ok ;; esac
"$POSDIFF" log > "$T/plain.out"

# 2. the user's LESS is kept; PAGER is used when POSDIFF_PAGER is unset
in_tty "LESS=R '$POSDIFF' log"
grep -qx "LESS=R" "$T/pager.ran" 2>/dev/null && ok || fail "user LESS not kept: $(cat "$T/pager.ran" 2>/dev/null)"
in_tty "unset POSDIFF_PAGER; PAGER='$T/pager.sh' '$POSDIFF' log"
pager_ran && ok || fail "PAGER not used"
in_tty "PAGER=false '$POSDIFF' log"
pager_ran && ok || fail "POSDIFF_PAGER does not win over PAGER"

# 3. no pager: --no-pager, POSDIFF_PAGER=cat or empty, stdout not a terminal
for how in "'$POSDIFF' --no-pager log" "POSDIFF_PAGER=cat '$POSDIFF' log" "POSDIFF_PAGER= '$POSDIFF' log"; do
  in_tty "$how"
  pager_ran && fail "pager ran with: $how" || ok
  case "$tty" in *"Data security"*) ok ;; *) fail "no output on the terminal with: $how" ;; esac
done
in_tty "'$POSDIFF' log > '$T/redirected.out'"
pager_ran && fail "pager ran although stdout is a file" || ok
has_esc "$T/redirected.out" && fail "escape codes in a file" || ok

# 4. colour: NO_COLOR, --color=never off; --color=always on even piped
in_tty "NO_COLOR=1 '$POSDIFF' log"
pager_ran && ! has_esc "$T/pager.out" && ok || fail "NO_COLOR: escape codes in the output"
cmp -s "$T/pager.out" "$T/plain.out" && ok || fail "NO_COLOR: paged text differs from the piped text"
in_tty "'$POSDIFF' --color=never log"
pager_ran && ! has_esc "$T/pager.out" && ok || fail "--color=never: escape codes in the output"
in_tty "'$POSDIFF' --no-pager log"
case "$tty" in *"$ESC["*) ok ;; *) fail "--no-pager on a terminal: no colour" ;; esac
"$POSDIFF" --color=always log | grep -q "$ESC\[" && ok || fail "--color=always piped: no colour"
"$POSDIFF" log | grep -q "$ESC\[" && fail "escape codes when piped" || ok
"$POSDIFF" log --color=always | grep -q "$ESC\[" && ok || fail "log --color=always piped: no colour"
"$POSDIFF" log --format=markdown --color=always > "$T/md.out" && ! has_esc "$T/md.out" && ok \
  || fail "escape codes in markdown (or it failed)"

# 5. a reader that quits early: quiet, SIGPIPE (141), like git
out=$("$POSDIFF" log 2>"$T/head.err" | head -n 1; echo "status=${PIPESTATUS[0]}")
[ "$(printf '%s\n' "$out" | head -n 1)" = "$(head -n 1 "$T/plain.out")" ] && ok || fail "| head -n 1: $out"
case "$out" in *status=0|*status=141) ok ;; *) fail "| head -n 1: unexpected status: $out" ;; esac
[ ! -s "$T/head.err" ] && ok || fail "| head -n 1 printed: $(cat "$T/head.err")"
python3 - "$POSDIFF" <<'PY' && ok || fail "write to a closed pipe: not a quiet SIGPIPE"
import os, signal, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "log", "--format=json"], stdout=w, stderr=subprocess.PIPE)
assert p.returncode == -signal.SIGPIPE, p.returncode
assert p.stderr == b"", p.stderr
PY
in_tty "POSDIFF_PAGER='head -n 1' '$POSDIFF' log; echo \"status=\$?\""
case "$tty" in *status=0*|*status=141*) ok ;; *) fail "pager quitting early: $tty" ;; esac
case "$tty" in *rror*|*"Broken pipe"*) fail "pager quitting early printed an error: $tty" ;; *) ok ;; esac

# 6. progress on stderr only when it is a terminal
rm -rf "$T/corpus/.posdiff"
in_tty "'$POSDIFF' build 2>&1 >/dev/null"
case "$tty" in *"Building history: 5/5 statements, done."*) ok ;; *) fail "no progress on a terminal: $tty" ;; esac
rm -rf "$T/corpus/.posdiff"
"$POSDIFF" build >/dev/null 2>"$T/progress.err"
! grep -q "Building history" "$T/progress.err" && ok || fail "progress written to a non-terminal: $(cat "$T/progress.err")"

# 7. posdiff diff in a terminal, once that command exists
if "$POSDIFF" help diff >/dev/null 2>&1; then
  in_tty "'$POSDIFF' diff"
  [ "$rc" -eq 0 ] && ok || fail "diff in a terminal: exit $rc: $tty"
  pager_ran && ok || fail "diff: the pager did not run on a terminal"
  has_esc "$T/pager.out" && ok || fail "diff: no colour in a terminal"
  in_tty "NO_COLOR=1 '$POSDIFF' diff"
  pager_ran && ! has_esc "$T/pager.out" && ok || fail "diff: NO_COLOR: escape codes"
else
  echo "note: 'posdiff diff' does not exist yet; its terminal checks are skipped"
fi
# a pager that cannot run: an error and exit 2, as git; a one-word pager
# is exec'd directly, so the output follows on the terminal, not lost; a
# shell command's failure (exit 127) is reported at the end
POSDIFF_PAGER=/nonexistent/pager in_tty "'$POSDIFF' log backdoors"
[ "$rc" -eq 2 ] && ok || fail "a pager that cannot run: exit $rc, expected 2: $tty"
case "$tty" in *"cannot run the pager '/nonexistent/pager'"*) ok ;; *) fail "no error for a missing pager: $tty" ;; esac
case "$tty" in *"Backdoors in ICT products"*) ok ;; *) fail "a missing pager lost the output: $tty" ;; esac
POSDIFF_PAGER='/nonexistent/pager -R' in_tty "'$POSDIFF' log backdoors"
[ "$rc" -eq 2 ] && ok || fail "a shell pager that cannot run: exit $rc, expected 2: $tty"
case "$tty" in *"could not run"*) ok ;; *) fail "no error for a failing shell pager: $tty" ;; esac
POSDIFF_PAGER="$T/pager.sh" in_tty "'$POSDIFF' log backdoors"
[ "$rc" -eq 0 ] && pager_ran && ok || fail "a working pager: exit $rc"
finish
