/*
 * render_check.c - `posdiff check` for people (--format=text): header,
 * problems with file:line, then per new statement and position its
 * findings (word diffs; restated passages in full with their "was" line;
 * unchanged ones counted), then a summary.  "!" marks a finding that
 * fails the check.  Also the helpers the other check renderers share.
 */
#include <string.h>

#include "render.h"
#include "render_check.h"

const posdiff_position *render_check_position(const check_report *r, const char *id)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(r->c);
    long at = id ? posdiff_catalog_find(cat, id) : -1;

    return at >= 0 ? posdiff_catalog_position(cat, (size_t)at) : NULL;
}

/* @p p's word diff as [-deleted-]{+inserted+}; a restated passage in full. */
static void worddiff(FILE *f, const posdiff_finding *p)
{
    posdiff_passage view = {.text = p->text, .len = p->len, .prev_text = p->prev_text,
                            .prev_len = p->prev_len, .ops = p->ops, .op_count = p->op_count};

    if (!p->ops || !p->text || p->kind == POSDIFF_FINDING_RESTATED)
        fwrite(p->text ? p->text : "", 1, p->text ? p->len : 0, f);
    else
        render_words(f, &view, 0, 0);
}

/* "was (DATE, ID): OLD" for a restated finding (@p p->prev_*). */
static void was(FILE *f, const check_report *r, const posdiff_finding *p)
{
    const posdiff_statement *st =
        p->prev_statement ? posdiff_corpus_find(r->c, p->prev_statement) : NULL;

    fputs("was (", f);
    if (st && st->date)
        fprintf(f, "%s, ", st->date);
    fprintf(f, "%s): ", p->prev_statement ? p->prev_statement : "?");
    fwrite(p->prev_text ? p->prev_text : "", 1, p->prev_text ? p->prev_len : 0, f);
}

void render_check_wording(FILE *f, const check_report *r, const posdiff_finding *p,
                          const char *was_sep)
{
    if (p->kind == POSDIFF_FINDING_DROPPED) {
        fwrite(p->prev_text, 1, p->prev_len, f);
        return;
    }
    worddiff(f, p);
    if (p->kind == POSDIFF_FINDING_RESTATED && p->prev_text) {
        fputs(was_sep, f);
        was(f, r, p);
    }
}

static void text_history(FILE *f, const check_report *r)
{
    const posdiff_check_history *h = posdiff_check_history_of(r->k);

    if (!h)
        return;
    if (h->built)
        fprintf(f,
                "history: rebuilt %s (kept %zu, rewrote %zu, appended %zu "
                "commits)\n",
                r->repo, h->build.kept, h->build.rewritten, h->build.appended);
    else if (h->status.state == POSDIFF_HISTORY_MISSING)
        fprintf(f,
                "history: none yet at %s (run 'posdiff build' or 'posdiff "
                "check --build')\n",
                r->repo);
    else
        fprintf(f, "history: %s (%zu of %zu commits match)\n",
                posdiff_history_state_name(h->status.state), h->status.matching,
                h->status.commits);
}

static void text_problems(FILE *f, const check_report *r)
{
    int any = 0;

    for (size_t i = 0; i < posdiff_check_count(r->k); i++) {
        const posdiff_finding *p = posdiff_check_finding(r->k, i);
        if (p->kind != POSDIFF_FINDING_INVALID &&
            p->kind != POSDIFF_FINDING_WARNING)
            continue;
        fputs(any ? "" : "\nproblems:\n", f);
        any = 1;
        fprintf(f, "%c %-8s ", r->fail_on[p->kind] ? '!' : ' ',
                posdiff_finding_kind_name(p->kind));
        if (p->file) {
            fprintf(f, "%s%s", r->prefix, p->file);
            if (p->line)
                fprintf(f, ":%zu", p->line);
            fputs(": ", f);
        }
        fprintf(f, "[%s] %s\n", p->rule ? p->rule : "-", p->message);
    }
}

static void text_change(FILE *f, const check_report *r,
                        const posdiff_finding *p)
{
    fprintf(f, "  %c %-12s ", r->fail_on[p->kind] ? '!' : ' ',
            posdiff_finding_kind_name(p->kind));
    if (p->line)
        fprintf(f, "line %zu: ", p->line);
    fprintf(f, "%s\n", p->message);
    if (p->kind == POSDIFF_FINDING_NOT_RESTATED)
        return;
    fputs("                   ", f);
    render_check_wording(f, r, p, "\n                     ");
    fputc('\n', f);
}

/* The findings of one statement and position, from @p i; returns the next
 * index. */
static size_t text_position(FILE *f, const check_report *r, size_t i)
{
    const posdiff_finding *first = posdiff_check_finding(r->k, i), *p;
    const posdiff_position *pos = render_check_position(r, first->position);
    size_t unchanged = 0;

    fprintf(f, "  %s (%s)\n", first->position,
            pos && pos->title ? pos->title : first->position);
    for (; (p = posdiff_check_finding(r->k, i)) &&
           !strcmp(p->statement, first->statement) &&
           !strcmp(p->position, first->position);
         i++) {
        if (p->kind == POSDIFF_FINDING_UNCHANGED && !r->fail_on[p->kind])
            unchanged++;
        else
            text_change(f, r, p);
    }
    if (unchanged)
        fprintf(f, "    = %zu passage%s unchanged\n", unchanged,
                unchanged > 1 ? "s" : "");
    return i;
}

static size_t first_change_of(const check_report *r, const char *id)
{
    for (size_t i = 0; i < posdiff_check_count(r->k); i++) {
        const posdiff_finding *p = posdiff_check_finding(r->k, i);
        if (p->kind != POSDIFF_FINDING_INVALID &&
            p->kind != POSDIFF_FINDING_WARNING && !strcmp(p->statement, id))
            return i;
    }
    return (size_t)-1;
}

static void text_changes(FILE *f, const check_report *r)
{
    for (size_t s = 0; s < posdiff_check_new_count(r->k); s++) {
        const posdiff_statement *st = posdiff_check_new(r->k, s);
        size_t i = first_change_of(r, st->id);
        fprintf(f, "\n%s (%s), ", st->id, st->date);
        fprintf(f, "%s%s", r->prefix, st->file);
        fputc('\n', f);
        if (i == (size_t)-1)
            fputs("  (no catalogued position stated or expected; or the "
                  "statement is invalid)\n",
                  f);
        while (i < posdiff_check_count(r->k) &&
               !strcmp(posdiff_check_finding(r->k, i)->statement, st->id))
            i = text_position(f, r, i);
    }
}

static void text_summary(FILE *f, const check_report *r)
{
    static const posdiff_finding_kind order[] = {
        POSDIFF_FINDING_CHANGED,   POSDIFF_FINDING_RESTATED,
        POSDIFF_FINDING_ADDED,     POSDIFF_FINDING_DROPPED,
        POSDIFF_FINDING_MOVED,
        POSDIFF_FINDING_UNCHANGED, POSDIFF_FINDING_NOT_RESTATED,
        POSDIFF_FINDING_INVALID,   POSDIFF_FINDING_WARNING};
    int first = 1;

    fputs("\nsummary:", f);
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        fprintf(f, "%s %zu %s", i ? "," : "", r->counts[order[i]],
                posdiff_finding_kind_name(order[i]));
    fputs("\n--fail-on=", f);
    for (int k = 0; k < POSDIFF_FINDING_KIND_COUNT; k++)
        if (r->fail_on[k]) {
            fprintf(f, "%s%s", first ? "" : ",", posdiff_finding_kind_name(k));
            first = 0;
        }
    fprintf(f, ": %s (exit %d)\n",
            r->exit_code ? "flagged (findings marked !)" : "nothing to flag",
            r->exit_code);
}

void render_check_text(FILE *f, const check_report *r)
{
    fprintf(f, "posdiff check: %s (%zu statements, %zu positions)\n",
            posdiff_corpus_dir(r->c), posdiff_corpus_count(r->c),
            posdiff_catalog_count(posdiff_corpus_catalog(r->c)));
    text_history(f, r);
    text_problems(f, r);
    text_changes(f, r);
    text_summary(f, r);
}
