/*
 * render_text.c - the text changelog: per statement stating a position (or
 * skipping it after it was first stated: "not stated") a line with its
 * date, id and status (then title, venue and source), each passage
 * marked and its change shown inline (render_words.c, render_restated.c),
 * the dropped passages last; CommonMark escapes are left out.
 */
#include "render.h"

static void write_passage(FILE *f, const posdiff_passage *p, int color,
                          const render_dates *d)
{
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
    render_notes_text(f, p, d);
    fputc('\n', f);
    render_sources_text(f, p, d, color, 1);
}

void render_text_heading(FILE *f, const posdiff_history_entry *e,
                         const posdiff_step *step, size_t i, int color)
{
    posdiff_entry_status st = posdiff_step_status(step, i);

    fprintf(f, color ? BOLD "%-10s %s" RESET "  %s\n" : "%-10s %s  %s\n", e->date,
            e->id, st == POSDIFF_ENTRY_NOT_RESTATED ? "not stated" : posdiff_entry_status_name(st));
    if (e->title && *e->title)
        fprintf(f, color ? "           " DIM "%s%s%s" RESET "\n" : "           %s%s%s\n",
                e->title, e->venue && *e->venue ? " \xe2\x80\x94 " : "", e->venue ? e->venue : "");
}

void render_text_entry(FILE *f, const posdiff_history_entry *e,
                       const posdiff_step *step, size_t i,
                       int color, const render_dates *dates, const char *source,
                       const char *against)
{
    size_t n = posdiff_step_passage_count(step, i);
    size_t d = posdiff_step_dropped_count(step, i);
    posdiff_entry_status st = posdiff_step_status(step, i);

    render_text_heading(f, e, step, i, color);
    if (source && *source)
        fprintf(f, color ? "           " DIM "source: %s" RESET "\n" : "           source: %s\n",
                source);
    if (against && st != POSDIFF_ENTRY_NOT_RESTATED)
        fprintf(f, color ? "           " DIM "changes against %s %s" RESET "\n"
                         : "           changes against %s %s\n",
                render_date(dates, against) ? render_date(dates, against) : "", against);
    for (size_t k = 0; k < n; k++)
        write_passage(f, posdiff_step_passage(step, i, k), color, dates);
    for (size_t k = 0; k < d; k++) {
        const posdiff_dropped *dp = posdiff_step_dropped(step, i, k);
        fputs(color ? "    - " RED : "    - ", f);
        md_write(f, dp->text, dp->len, 0, dp->len, 1);
        fputs(color ? RESET "\n" : "\n", f);
    }
}
