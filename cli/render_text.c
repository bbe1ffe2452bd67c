/*
 * render_text.c - the text changelog: one block per statement that
 * states a position (date, id, status; title and venue), each passage
 * marked (+ added, ~ changed, > moved, = unchanged, ≈ restated) and its
 * wording change shown inline, git --word-diff style:
 * [-deleted-]{+inserted+}, or in colour (red deletions, green
 * insertions, dim unchanged) on a terminal.  A restated passage (a weak
 * link) is no word diff: it is printed in full, followed by the
 * sentence it restates on a "was (DATE, ID):" line (render_restated.c);
 * revivals, splits and merges are noted on the passage.  Dropped
 * passages (-) come last.
 *
 * Passages are lines of the normalized statements, that is CommonMark
 * source: the backslashes of its escapes (\[, \*, \_) are left out so
 * the reader sees the statement's own characters.
 */
#include "render.h"

static void write_passage(FILE *f, const posdiff_passage *p, const render_text_options *o)
{
    int color = o->color;

    render_mark_text(f, p, color);
    if (p->status == POSDIFF_PASSAGE_CHANGED || p->status == POSDIFF_PASSAGE_MOVED) {
        render_words(f, p, color, 1);
    } else if (p->status == POSDIFF_PASSAGE_RESTATED) {
        render_restated_text(f, p, color, 1);
    } else {
        if (color)
            fputs(p->status == POSDIFF_PASSAGE_UNCHANGED ? DIM : GREEN, f);
        md_write(f, p->text, p->len, 0, p->len, 1);
        if (color)
            fputs(RESET, f);
    }
    render_notes_text(f, p, o->dates);
    fputc('\n', f);
    render_sources_text(f, p, o->dates, color, 1);
}

void render_text_entry(FILE *f, const posdiff_history_entry *e,
                       const posdiff_step *step, size_t i,
                       const render_text_options *o)
{
    size_t n = posdiff_step_passage_count(step, i);
    size_t d = posdiff_step_dropped_count(step, i);

    fprintf(f, o->color ? BOLD "%-10s %s" RESET "  %s\n" : "%-10s %s  %s\n", e->date,
            e->id, posdiff_entry_status_name(posdiff_step_status(step, i)));
    if (e->title && *e->title)
        fprintf(f, o->color ? "           " DIM "%s%s%s" RESET "\n" : "           %s%s%s\n",
                e->title, e->venue && *e->venue ? " \xe2\x80\x94 " : "", e->venue ? e->venue : "");
    for (size_t k = 0; k < n; k++)
        write_passage(f, posdiff_step_passage(step, i, k), o);
    for (size_t k = 0; k < d; k++) {
        const posdiff_dropped *dp = posdiff_step_dropped(step, i, k);
        fputs(o->color ? "    - " RED : "    - ", f);
        md_write(f, dp->text, dp->len, 0, dp->len, 1);
        fputs(o->color ? RESET "\n" : "\n", f);
    }
}
