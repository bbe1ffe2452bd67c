/*
 * render_stat.c - the short forms of a log entry: `log --oneline` (one
 * line: date, id, status and the passage counts by status) and `log
 * --stat` (per passage the words deleted, inserted and changed, then the
 * totals of old and new words as dwdiff --statistics gives them).
 *
 * Words are counted in the word diff's ops (prev_text -> text): a run of
 * changes is one DELETE then one INSERT; when both hold words those are
 * changed (the old side's count per passage, each side's in the totals),
 * else deleted or inserted.  A word is a run of non-blank bytes with a
 * letter, a digit or a non-ASCII byte in it (punctuation is no word).
 */
#include <ctype.h>
#include <string.h>

#include "render.h"

#define EXCERPT_BYTES 60

typedef render_word_stat word_stat;

static size_t count_words(const char *s, size_t n)
{
    size_t words = 0;
    int in = 0, wordy = 0;

    for (size_t i = 0; i <= n; i++) {
        int blank = i == n || strchr(" \t\n", s[i]);
        if (blank && in) {
            words += wordy;
            in = wordy = 0;
        } else if (!blank) {
            in = 1;
            wordy |= isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80;
        }
    }
    return words;
}

/* The word counts of passage @p p against its main predecessor. */
static void passage_stat(word_stat *w, const posdiff_passage *p)
{
    memset(w, 0, sizeof(*w));
    if (p->status == POSDIFF_PASSAGE_ADDED || !p->prev_text) {
        w->inserted = count_words(p->text, p->len);
        return;
    }
    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *op = &p->ops[k];
        const posdiff_op *next = k + 1 < p->op_count ? &p->ops[k + 1] : NULL;
        size_t del = count_words(p->prev_text + op->old_start, op->old_len);
        size_t ins = 0;
        if (op->kind == POSDIFF_OP_EQUAL) {
            w->common += del;
            continue;
        }
        if (op->kind == POSDIFF_OP_DELETE && next && next->kind == POSDIFF_OP_INSERT) {
            ins = count_words(p->text + next->new_start, next->new_len);
            k++;
        } else if (op->kind == POSDIFF_OP_INSERT) {
            ins = count_words(p->text + op->new_start, op->new_len);
        }
        if (del && ins)
            w->changed_old += del, w->changed_new += ins;
        else
            w->deleted += del, w->inserted += ins;
    }
}

static void add_stat(word_stat *total, const word_stat *w)
{
    total->common += w->common;
    total->deleted += w->deleted;
    total->inserted += w->inserted;
    total->changed_old += w->changed_old;
    total->changed_new += w->changed_new;
}

void render_word_stat_passage(render_word_stat *t, const posdiff_passage *p)
{
    word_stat w;

    passage_stat(&w, p);
    add_stat(t, &w);
}

void render_word_stat_dropped(render_word_stat *t, const char *text, size_t len)
{
    t->deleted += count_words(text, len);
}

/* The first EXCERPT_BYTES of a passage (escapes dropped), cut at a
 * character boundary and ended by an ellipsis when cut. */
static void excerpt(FILE *f, const char *s, size_t n)
{
    size_t cut = n;

    if (n > EXCERPT_BYTES) {
        cut = EXCERPT_BYTES;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
    }
    md_write(f, s, n, 0, cut, 1);
    if (cut < n)
        fputs("\xe2\x80\xa6", f);
}

static void stat_line(FILE *f, const word_stat *w, const char *s, size_t n)
{
    fprintf(f, "%3zu deleted, %3zu inserted, %3zu changed  ", w->deleted, w->inserted,
            w->changed_old);
    excerpt(f, s, n);
    fputc('\n', f);
}

static unsigned percent(size_t part, size_t whole)
{
    return whole ? (unsigned)((part * 100 + whole / 2) / whole) : 0;
}

/* dwdiff --statistics: "old: W words  C P% common  D P% deleted  X P% changed". */
void render_word_stat_totals(FILE *f, const word_stat *t)
{
    size_t old = t->common + t->deleted + t->changed_old;
    size_t new = t->common + t->inserted + t->changed_new;

    fprintf(f, "    old: %zu words  %zu %u%% common  %zu %u%% deleted  %zu %u%% changed\n", old,
            t->common, percent(t->common, old), t->deleted, percent(t->deleted, old),
            t->changed_old, percent(t->changed_old, old));
    fprintf(f, "    new: %zu words  %zu %u%% common  %zu %u%% inserted  %zu %u%% changed\n", new,
            t->common, percent(t->common, new), t->inserted, percent(t->inserted, new),
            t->changed_new, percent(t->changed_new, new));
}

void render_oneline_entry(FILE *f, const posdiff_history_entry *e, const posdiff_step *step,
                          size_t i, int color)
{
    static const char *const names[] = {"added", "changed", "unchanged", "moved", "restated"};
    static const posdiff_passage_status order[] = {
        POSDIFF_PASSAGE_CHANGED, POSDIFF_PASSAGE_MOVED, POSDIFF_PASSAGE_RESTATED,
        POSDIFF_PASSAGE_ADDED};
    size_t count[5] = {0}, dropped = posdiff_step_dropped_count(step, i), shown = 0;

    for (size_t k = 0; k < posdiff_step_passage_count(step, i); k++)
        count[posdiff_step_passage(step, i, k)->status]++;
    fprintf(f, color ? BOLD "%-10s %s" RESET "  %s " : "%-10s %s  %s ", e->date, e->id,
            posdiff_step_status(step, i) == POSDIFF_ENTRY_NOT_RESTATED
                ? "not stated" : posdiff_entry_status_name(posdiff_step_status(step, i)));
    for (size_t k = 0; k < 4; k++)
        if (count[order[k]])
            fprintf(f, "%s%zu %s", shown++ ? ", " : " ", count[order[k]], names[order[k]]);
    if (dropped)
        fprintf(f, "%s%zu dropped", shown++ ? ", " : " ", dropped);
    if (count[POSDIFF_PASSAGE_UNCHANGED])
        fprintf(f, "%s%zu unchanged", shown++ ? ", " : " ",
                count[POSDIFF_PASSAGE_UNCHANGED]);
    fputs(shown || posdiff_step_status(step, i) == POSDIFF_ENTRY_NOT_RESTATED ? "\n"
                                                                             : " no passage\n", f);
}

void render_stat_entry(FILE *f, const posdiff_history_entry *e, const posdiff_step *step,
                       size_t i, int color, int oneline)
{
    word_stat total = {0}, w;

    if (oneline)
        render_oneline_entry(f, e, step, i, color);
    else
        render_text_heading(f, e, step, i, color);
    for (size_t k = 0; k < posdiff_step_passage_count(step, i); k++) {
        const posdiff_passage *p = posdiff_step_passage(step, i, k);
        passage_stat(&w, p);
        add_stat(&total, &w);
        if (p->status == POSDIFF_PASSAGE_UNCHANGED)
            continue;
        render_mark_text(f, p, color);
        stat_line(f, &w, p->text, p->len);
    }
    for (size_t k = 0; k < posdiff_step_dropped_count(step, i); k++) {
        const posdiff_dropped *d = posdiff_step_dropped(step, i, k);
        memset(&w, 0, sizeof(w));
        w.deleted = count_words(d->text, d->len);
        add_stat(&total, &w);
        fputs("    - ", f);
        stat_line(f, &w, d->text, d->len);
    }
    if (posdiff_step_status(step, i) != POSDIFF_ENTRY_NOT_RESTATED)
        render_word_stat_totals(f, &total);
}
