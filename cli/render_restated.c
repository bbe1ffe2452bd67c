/*
 * render_restated.c - what the text outputs (log, diff, check) show of a
 * passage's links beyond its word diff: its mark, the notes after it and
 * the lines below it:
 *
 *     ≈ New sentence, in full. (revived: not stated since 2020-10-30)
 *         was (2020-10-30, 2020-10-30-first-committee): Old sentence.
 *         also restates (2019-09, 2019-09-oewg-submission): Another one.
 *
 * In colour the lines below are dim, the words they share with the
 * passage (render_shared.c) bold.
 */
#include "render.h"

#define BOLD_IN_DIM "\033[22;1m" /* bold and dim share one reset (22) */
#define DIM_AGAIN "\033[22;2m"
#define NORMAL "\033[22m"

const char *render_date(const render_dates *d, const char *statement)
{
    return d && d->lookup && statement ? d->lookup(d->payload, statement) : NULL;
}

const char *render_mark(posdiff_passage_status st)
{
    static const char *const marks[] = {"+", "~", "=", ">", RENDER_MARK_RESTATED};

    return st <= POSDIFF_PASSAGE_RESTATED ? marks[st] : "?";
}

/* ---- text ---- */

/* s[0..n) with the spans bold in colour (@p dim: the rest dim); plain
 * without colour; @p unescape drops CommonMark escapes. */
static void highlighted(FILE *f, const char *s, size_t n, const posdiff_span *sp,
                        size_t nsp, int color, int dim, int unescape)
{
    size_t done = 0;

    if (color && dim)
        fputs(DIM, f);
    for (size_t k = 0; color && k < nsp; k++) {
        md_write(f, s, n, done, sp[k].start - done, unescape);
        fputs(dim ? BOLD_IN_DIM : BOLD, f);
        md_write(f, s, n, sp[k].start, sp[k].end - sp[k].start, unescape);
        fputs(dim ? DIM_AGAIN : NORMAL, f);
        done = sp[k].end;
    }
    md_write(f, s, n, done, n - done, unescape);
    if (color && dim)
        fputs(RESET, f);
}

void render_restated_text(FILE *f, const posdiff_passage *p, int color, int unescape)
{
    render_shared sh = {NULL, NULL, 0, 0};

    if (color) /* the shared words are shown in colour only: no cost otherwise */
        render_shared_words(&sh, p->prev_text, p->prev_len, p->text, p->len);
    highlighted(f, p->text, p->len, sh.b, sh.nb, color, 0, unescape);
    render_shared_free(&sh);
}

void render_mark_text(FILE *f, const posdiff_passage *p, int color)
{
    if (color && p->status == POSDIFF_PASSAGE_RESTATED)
        fprintf(f, "    " YELLOW "%s" RESET " ", render_mark(p->status));
    else
        fprintf(f, "    %s ", render_mark(p->status));
}

void render_notes(char *buf, size_t size, const posdiff_passage *p, const render_dates *d)
{
    const char *date = render_date(d, p->prev_statement);
    size_t n = 0;

    buf[0] = '\0';
    if (p->reviewed)
        n += (size_t)snprintf(buf, size, " (reviewed)");
    if (p->revived && p->prev_statement && !(d && d->anonymous) && n < size)
        n += (size_t)snprintf(buf + n, size - n, " (revived: not stated since %s)",
                              date ? date : p->prev_statement);
    if (n >= size)
        return;
    if (p->link == POSDIFF_LINK_SPLIT)
        snprintf(buf + n, size - n, " (split: shares its predecessor with another passage)");
    else if (p->link == POSDIFF_LINK_MERGE)
        snprintf(buf + n, size - n, " (merged from %zu passages)", p->source_count);
}

void render_notes_text(FILE *f, const posdiff_passage *p, const render_dates *d)
{
    char buf[RENDER_NOTES_MAX];

    render_notes(buf, sizeof(buf), p, d);
    fputs(buf, f);
}

/* "        LABEL (DATE, ID): TEXT", the line dim and TEXT's words shared
 * with the passage bold (in colour). */
static void source_line(FILE *f, const char *label, const char *statement,
                        const char *text, size_t len, const posdiff_passage *p,
                        const render_dates *d, int color, int unescape)
{
    const char *date = render_date(d, statement);
    render_shared sh = {NULL, NULL, 0, 0};

    fprintf(f, color ? "        " DIM "%s" : "        %s", label);
    if (d && d->anonymous)
        ;
    else if (statement && date)
        fprintf(f, " (%s, %s)", date, statement);
    else if (statement)
        fprintf(f, " (%s)", statement);
    fputs(": ", f); /* still dim: highlighted resets at the end */
    if (color) /* the shared words are shown in colour only */
        render_shared_words(&sh, text, len, p->text, p->len);
    highlighted(f, text, len, sh.a, sh.na, color, 1, unescape);
    render_shared_free(&sh);
    fputc('\n', f);
}

void render_sources_text(FILE *f, const posdiff_passage *p, const render_dates *d,
                         int color, int unescape)
{
    int weak = p->status == POSDIFF_PASSAGE_RESTATED && p->prev_text;

    if (weak)
        source_line(f, "was", p->prev_statement, p->prev_text, p->prev_len, p, d, color,
                    unescape);
    for (size_t k = 1; k < p->source_count; k++)
        source_line(f, "also restates", p->sources[k].statement, p->sources[k].text,
                    p->sources[k].len, p, d, color, unescape);
}
