# posdiff.bash - bash completion for posdiff.
#
# Completes commands, global options (also after the command, but -C),
# each command's options and their values, and statement and position
# ids.  The ids are read from the
# corpus's manifests with `git config -f` (statements.conf,
# positions.conf); the corpus is found as posdiff finds it: -C DIR and
# --corpus DIR on the command line, POSDIFF_CORPUS, the nearest parent
# holding statements.conf, or ./corpus.  Installed by Meson into the
# bash-completion completions directory as "posdiff".

_posdiff_commands="init add normalize build positions log report diff blame check why review discover help"

# _posdiff_options COMMAND: the options COMMAND takes
_posdiff_options() {
  case $1 in
    add) echo "--date --id --title --venue --speaker --source --strip" ;;
    normalize) echo "--explain --textconv" ;;
    positions) echo "--matrix" ;;
    log) echo "--format= --since --until --reverse -n --max-count= --oneline --stat --color --color= -S -G -w -x -y -z --color-words" ;;
    diff) echo "--position --words --word-diff --word-diff= --lines -U --unified= --side-by-side --stat --no-index -w -x -y -z --color-words" ;;
    blame) echo "--porcelain" ;;
    check) echo "--format= --fail-on= --new --since-rev --build" ;;
    review) echo "passage not-passage same not-same" ;;
    why) echo "--format=" ;;
    discover) echo "--min-statements --position --format=" ;;
    report) echo "-o --output --since --until" ;;
  esac
  echo "--help"
  # the global options a command also takes after it (as git)
  echo "--no-pager --color --color= --corpus --repo"
}

# _posdiff_corpus: the corpus directory for the words being completed
_posdiff_corpus() {
  local i dir="" corpus="" w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
      -C) dir=${COMP_WORDS[i + 1]}; dir=${dir/#\~/$HOME} ;;
      --corpus) corpus=${COMP_WORDS[i + 1]} ;;
    esac
    [ "$w" = "--corpus" ] && [ "${COMP_WORDS[i + 1]}" = "=" ] && corpus=${COMP_WORDS[i + 2]}
  done
  [ -n "$dir" ] || dir=.
  [ -n "$corpus" ] || corpus=${POSDIFF_CORPUS:-}
  if [ -n "$corpus" ]; then
    case $corpus in /*) echo "$corpus" ;; *) echo "$dir/$corpus" ;; esac
    return
  fi
  w=$(cd "$dir" 2>/dev/null && pwd) || return
  while [ -n "$w" ]; do
    [ -f "$w/statements.conf" ] && { echo "$w"; return; }
    [ "$w" = / ] && break
    w=$(dirname "$w")
  done
  [ -f "$dir/corpus/statements.conf" ] && echo "$dir/corpus"
}

# _posdiff_ids KIND: the ids of KIND (statement or position)
_posdiff_ids() {
  local corpus file
  corpus=$(_posdiff_corpus) || return
  file="$corpus/$1s.conf"
  [ -f "$file" ] || return
  if command -v git >/dev/null 2>&1; then
    git config -f "$file" --name-only --get-regexp "^$1\\." 2>/dev/null |
      sed -n "s/^$1\\.\\(.*\\)\\.[^.]*\$/\\1/p" | sort -u
  else
    sed -n "s/^[[:space:]]*\\[$1[[:space:]]*\"\\([^\"]*\\)\"\\].*/\\1/p" "$file"
  fi
}

# _posdiff_values OPTION COMMAND: the values OPTION takes
_posdiff_values() {
  case $1 in
    --format) case $2 in check) echo "text json github" ;; discover) echo "text json" ;;
              *) echo "text markdown json" ;; esac ;;
    --fail-on) echo "invalid warning changed restated added dropped not-restated unchanged moved" ;;
    --color) echo "auto always never" ;;
    --word-diff) echo "plain color" ;;
    --position) _posdiff_ids position ;;
    --new) _posdiff_ids statement ;;
  esac
}

# _posdiff_command: the command word (after the global options), or ""
_posdiff_command() {
  local i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    case $w in
      -C | --corpus | --repo) ((i++)) ;;
      =) ((i++)) ;;
      -*) ;;
      *) echo "$w"; return ;;
    esac
  done
}

# complete the value of "--opt=" (COMP_WORDBREAKS splits "--opt", "=", value)
_posdiff_complete_value() {
  local opt=$1 cur=$2 cmd=$3 values
  values=$(_posdiff_values "$opt" "$cmd")
  if [ "$opt" = --fail-on ] && [[ $cur == *,* ]]; then
    local head=${cur%,*},
    COMPREPLY=($(compgen -P "$head" -W "$values" -- "${cur##*,}"))
    return
  fi
  COMPREPLY=($(compgen -W "$values" -- "$cur"))
}

_posdiff() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd
  cmd=$(_posdiff_command)
  if [ "$cur" = "=" ]; then
    _posdiff_complete_value "$prev" "" "$cmd"; return
  fi
  if [ "$prev" = "=" ] && ((COMP_CWORD >= 2)); then
    _posdiff_complete_value "${COMP_WORDS[COMP_CWORD - 2]}" "$cur" "$cmd"; return
  fi
  case $prev in
    -C | --corpus | --repo) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --date | --since | --until | --id | --title | --venue | --speaker | --source | --strip | --since-rev | \
      -n | --max-count | -U | --unified)
      return ;;
    --position | --new | --format | --fail-on)
      [ -n "$cmd" ] && { _posdiff_complete_value "$prev" "$cur" "$cmd"; return; } ;;
  esac
  if [ -z "$cmd" ]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "-C --corpus --repo --no-pager --build --color --color= --version --help" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$_posdiff_commands" -- "$cur"))
    fi
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_posdiff_options "$cmd")" -- "$cur"))
  else
    case $cmd in
      log | blame) COMPREPLY=($(compgen -W "$(_posdiff_ids position)" -- "$cur")) ;;
      diff) COMPREPLY=($(compgen -W "$(_posdiff_ids statement)" -- "$cur")) ;;
      normalize) COMPREPLY=($(compgen -W "$(_posdiff_ids statement)" -- "$cur") $(compgen -f -- "$cur")) ;;
      add | init) COMPREPLY=($(compgen -f -- "$cur")) ;;
      help) COMPREPLY=($(compgen -W "$_posdiff_commands --all" -- "$cur")) ;;
    esac
  fi
  # no space after "--format=" and the like
  if [ "${#COMPREPLY[@]}" -eq 1 ] && [[ ${COMPREPLY[0]} == *= ]]; then
    compopt -o nospace 2>/dev/null
  fi
  return 0
}

complete -F _posdiff posdiff
