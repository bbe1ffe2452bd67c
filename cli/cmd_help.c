/*
 * cmd_help.c - posdiff help [COMMAND], posdiff COMMAND --help, and "did
 * you mean" for a mistyped command (as git: a close one, else the only
 * command the word begins).  Usages and summaries are in commands.c.
 */
#include <ctype.h>
#include <string.h>

#include "cli.h"

typedef struct {
    const char *name;
    const char *text; /* description and option lines, "\n"-separated */
} help_text;

static const help_text details[] = {
    {"init", "Create an empty corpus in DIR (default: the current directory):\n"
             "statements/, statements.conf and positions.conf.\n"},
    {"add", "Copy a raw statement into statements/ and record it in statements.conf.\n"
            "  --date D      YYYY, YYYY-MM or YYYY-MM-DD (required)\n"
            "  --id ID       statement id (default: from the date and file name)\n"
            "  --title T, --venue V, --speaker S, --source URL   manifest fields\n"
            "  --strip GLOB  a boilerplate line to drop (fnmatch glob of a whole line),\n"
            "                written as a strip line of the entry; repeatable\n"},
    {"normalize", "Print a statement (by id, with its manifest rules and front matter) or\n"
                  "any text file (on its own, even a corpus file: the same output from any\n"
                  "directory) as normalized CommonMark, one sentence per line.\n"
                  "  --explain     list every removal and every change (clean-ups such as\n"
                  "                BOM, CRLF, NBSP, curly quotes; joined lines, footers,\n"
                  "                quote spaces) by raw line, with its rule, instead\n"
                  "  --textconv    FILE only, no corpus: the git textconv driver\n"
                  "                (git config diff.posdiff.textconv 'posdiff normalize --textconv')\n"},
    {"build", "Bring the history repository (<corpus>/.posdiff/history.git, or --repo)\n"
              "up to date: one commit per statement, in date order.  Shows progress on\n"
              "stderr when it is a terminal.\n"},
    {"log", "One entry per statement that states the position, newest first; name\n"
            "POSITIONs to show only those.  Passages: + added, ~ changed, > moved,\n"
            "= unchanged, - dropped, and \xe2\x89\x88 restated (the same point in new words:\n"
            "the new sentence, then 'was (DATE, ID): OLD'); revivals, splits and merges\n"
            "are noted ('revived: not stated since DATE', 'also restates ...').\n"
            "  --format=text      word diff: [-deleted-]{+inserted+}, or colour (default)\n"
            "  --format=markdown  CommonMark: <del>deleted</del> <ins>inserted</ins> (raw\n"
            "                     HTML: render with cmark --unsafe, or on GitHub), Restated\n"
            "                     items with a 'was' sub-item, source links, 'Not stated in\n"
            "                     this statement.' entries\n"
            "  --format=json      the stable contract of cli/JSON.md\n"
            "  --since D          only statements dated D or later (YYYY[-MM[-DD]])\n"
            "  --until D          only statements dated D or earlier\n"
            "  --reverse          oldest first (text and markdown)\n"
            "  -n N, --max-count=N, -N  the newest N entries of each position only\n"
            "  --oneline          one line per entry: DATE ID  STATUS  N changed, N moved,\n"
            "                     N restated, N added, N dropped, N unchanged (no 0 counts)\n"
            "  --stat             per passage 'M D deleted, I inserted, C changed  TEXT...'\n"
            "                     (C: old words reworded), then the totals as dwdiff\n"
            "                     --statistics: 'old: W words  C P% common  D P% deleted\n"
            "                     X P% changed' and 'new: ...'; with --oneline, one heading line\n"
            "  --color[=WHEN]     auto, always or never, as the global option\n"
            "  -w S -x S -y S -z S  the word diff's marks: deleted start and end, inserted\n"
            "                     start and end (default [- -] {+ +}), as dwdiff\n"
            "  --color-words      the word diff in colour, no marks (as git)\n"
            "  -S PHRASE          only the statements where PHRASE entered or left a\n"
            "                     position's wording (its count there changed)\n"
            "  -G REGEX           only those whose changes (words deleted or inserted,\n"
            "                     passages dropped) match REGEX (POSIX extended)\n"
            "A statement that skips a position after its first saying shows as 'not\n"
            "stated'.  When the history is behind the corpus, a warning says so; the\n"
            "global --build (or POSDIFF_AUTO_BUILD=1) builds first.\n"},
    {"check", "Validate the corpus (manifest, statements, history) and report what the\n"
              "new statements (default: the newest) change.\n"
              "  --format=text|json|github  github: workflow commands for GitHub Actions\n"
              "  --fail-on=LIST  exit 1 when a finding of these kinds is found (default:\n"
              "                  invalid); kinds: invalid, warning, changed, restated,\n"
              "                  added, dropped, not-restated, unchanged, moved\n"
              "  --new ID...     the statements to report;  --since-rev REV: those added\n"
              "                  since a git revision of the corpus\n"
              "  --build         rebuild the history when it does not match the corpus\n"},
    {"why", "For each passage of STATEMENT (of the POSITIONs, default all): why it is\n"
            "one (review decision, phrase and words, heading, or resemblance at the join\n"
            "bar) and why it is linked so (similarity, bars, the five most similar\n"
            "earlier passages).\n"
            "  --format=text|json\n"},
    {"review", "Record an analyst's decision in review.conf (git-config syntax, beside\n"
               "positions.conf; build applies it, check reports one that went stale):\n"
               "  passage      the sentence is a passage of the position\n"
               "  not-passage  it is not\n"
               "  same         it restates OLD-SENTENCE of an earlier statement (a strong link)\n"
               "  not-same     it does not (no link between the two)\n"
               "SENTENCE is a line of 'posdiff normalize STATEMENT', whole.  Passages a\n"
               "decision made or linked show '(reviewed)' in log, \"reviewed\": true in JSON.\n"},
    {"discover", "Group the sentences restated in at least K statements (similarity >= 0.5,\n"
                 "one sentence per statement) that are no passage of any position, and\n"
                 "print each group as a [position \"suggested-N\"] section with suggested\n"
                 "match phrases and its sentences as # comments.  No build needed.\n"
                 "  --min-statements K  least statements of a group (default 3; from 2)\n"
                 "  --position P        instead: sentences restating P's passages that are\n"
                 "                      not its passages, each with a phrase to catch it\n"
                 "  --format=text|json  json: the contract of cli/JSON.md\n"},
    {"report", "Write the position histories as a static web site into DIR (default\n"
               "./report): index.html (statements by positions, a chart per position of\n"
               "how much its wording changed), positions/ID.html (each statement's entry,\n"
               "newest first, changes as <del>/<ins>), statements/ID.html (the normalized\n"
               "statement, passages highlighted).  Plain HTML and CSS: no script, nothing\n"
               "fetched; publish the directory on any static host.  DIR is replaced whole\n"
               "when it holds an earlier report; any other non-empty DIR is refused.\n"
               "  -o, --output DIR   where to write the site (default report)\n"
               "  --since D, --until D  statements dated in that range only\n"},
    {"help", "Without COMMAND: the list of commands.\n"},
    {NULL, NULL}};

const cli_command *cli_find_command(const char *name)
{
    for (const cli_command *c = cli_command_table; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

/* "usage: ..." (a usage string may carry its own option lines), the
 * summary as a sentence, then the details. */
static void print_help(const char *name, const char *usage, const char *summary)
{
    printf("usage: %s\n\n%c%s.\n", usage, toupper((unsigned char)summary[0]), summary + 1);
    for (const help_text *h = details; h->name; h++)
        if (!strcmp(h->name, name))
            printf("\n%s", h->text);
    printf("\nGlobal options: -C DIR (before COMMAND); --corpus DIR, --repo DIR, --no-pager,\n"
           "--build, --color[=auto|always|never] (before COMMAND or after it).  See also:\n"
           "man posdiff.\n");
}

int cli_argv_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
            return 1;
    }
    return 0;
}

int cli_help(const char *name)
{
    const cli_command *c = cli_find_command(name);

    if (!strcmp(name, "help") || !strcmp(name, "-h") || !strcmp(name, "--help")) {
        print_help(name, "posdiff help [COMMAND]", "Show help");
        return CLI_OK;
    }
    if (!strcmp(name, "--all") || !strcmp(name, "-a")) { /* every command, as git help -a */
        for (c = cli_command_table; c->name; c++) {
            printf("%s== posdiff %s ==\n", c == cli_command_table ? "" : "\n", c->name);
            print_help(c->name, c->usage, c->summary);
        }
        return CLI_OK;
    }
    if (!c)
        return cli_unknown_command(name);
    print_help(c->name, c->usage, c->summary);
    return CLI_OK;
}

static const char *suggest(const char *name)
{
    const char *best = NULL, *prefixed = NULL;
    size_t best_d = strlen(name) < 4 ? 2 : 3, n = strlen(name), prefixes = 0;

    for (const cli_command *c = cli_command_table; c->name; c++) {
        size_t d = cli_edit_distance(name, c->name, 1);
        if (d < best_d)
            best_d = d, best = c->name;
        if (n >= 2 && !strncmp(c->name, name, n))
            prefixed = c->name, prefixes++;
    }
    if (!best && cli_edit_distance(name, "help", 1) < 2)
        best = "help";
    return best ? best : prefixes == 1 ? prefixed : NULL;
}

int cli_unknown_command(const char *name)
{
    const char *s = suggest(name);

    if (s)
        return cli_error("'%s' is not a posdiff command; did you mean %s?", name, s);
    return cli_error("'%s' is not a posdiff command; see 'posdiff help'", name);
}
