/*
 * commands.c - the table of posdiff's commands: name, function, usage
 * and a one-line summary (main.c dispatches on it, cmd_help.c prints it).
 */
#include "cli.h"

static const cli_command commands[] = {
    {"init", cmd_init, "posdiff init [DIR]", "create an empty corpus"},
    {"add", cmd_add, "posdiff add FILE --date D [--id ID --title T --venue V --speaker S --source URL] [--strip GLOB]...",
     "copy a raw statement into the corpus and record it"},
    {"normalize", cmd_normalize, "posdiff normalize FILE|ID [--explain] [--textconv]",
     "print a statement as normalized CommonMark"},
    {"build", cmd_build, "posdiff build", "update the history repository"},
    {"log", cmd_log, "posdiff log [POSITION...] [--format=text|markdown|json] [--since D] [--until D] [--reverse]\n"
                  "                   [-n N] [--oneline] [--stat] [--color[=WHEN]]",
     "the history of each position's wording"},
    {"report", cmd_report, "posdiff report [-o DIR] [POSITION...] [--since D] [--until D]",
     "write the position histories as a static web site (HTML, no script)"},
    {"positions", cmd_positions, cli_positions_usage, "the catalog; which statements state which position"},
    {"diff", cmd_diff, cli_diff_usage, "compare two statements' wording, per position"},
    {"blame", cmd_blame, cli_blame_usage, "who said it first, for each word of a position's current wording"},
    {"check", cmd_check, "posdiff check [--format=text|json|github] [--fail-on=LIST] [--new ID...|--since-rev REV] [--build]",
     "validate the corpus and flag what the newest statements change (CI)"},
    {"why", cmd_why, "posdiff why STATEMENT [POSITION...] [--format=text|json]",
     "why each passage of a statement is one, and why it is linked as it is"},
    {"review", cmd_review, "posdiff review passage|not-passage|same|not-same POSITION STATEMENT SENTENCE [OLD-STATEMENT OLD-SENTENCE]",
     "record an analyst's decision on a passage or a link (review.conf)"},
    {"discover", cmd_discover, "posdiff discover [--min-statements K] [--position P] [--format=text|json]",
     "recurring sentences no position tracks, as positions.conf sections"},
    {NULL, NULL, NULL, NULL}};
const cli_command *const cli_command_table = commands;
