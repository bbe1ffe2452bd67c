/*
 * render_text.c - the text changelog: one block per statement that
 * states a position, each passage marked and its wording change shown
 * inline, git --word-diff style: [-deleted-]{+inserted+}, or in colour
 * (red deletions, green insertions, dim unchanged) on a terminal.
 */
#include "render.h"

#define RED "\033[31m"
#define GREEN "\033[32m"
#define DIM "\033[2m"
#define BOLD "\033[1m"
#define RESET "\033[m"

static void write_ops(FILE *f, const posdiff_passage *p, int color)
{
    for (size_t k = 0; k < p->op_count; k++) {
        const posdiff_op *op = &p->ops[k];
        if (op->kind == POSDIFF_OP_EQUAL)
            fwrite(p->text + op->new_start, 1, op->new_len, f);
        else if (op->kind == POSDIFF_OP_DELETE)
            fprintf(f, color ? RED "%.*s" RESET : "[-%.*s-]", (int)op->old_len,
                    p->prev_text + op->old_start);
        else
            fprintf(f, color ? GREEN "%.*s" RESET : "{+%.*s+}", (int)op->new_len,
                    p->text + op->new_start);
    }
}

static void write_passage(FILE *f, const posdiff_passage *p, int color)
{
    static const char marks[] = {'+', '~', '=', '>'};

    fprintf(f, "    %c ", marks[p->status]);
    if (p->status == POSDIFF_PASSAGE_UNCHANGED)
        fprintf(f, color ? DIM "%.*s" RESET : "%.*s", (int)p->len, p->text);
    else if (p->status == POSDIFF_PASSAGE_ADDED)
        fprintf(f, color ? GREEN "%.*s" RESET : "%.*s", (int)p->len, p->text);
    else
        write_ops(f, p, color);
    if (p->link == POSDIFF_LINK_SPLIT)
        fputs(" (split)", f);
    else if (p->link == POSDIFF_LINK_MERGE)
        fputs(" (merged)", f);
    fputc('\n', f);
}

void render_text_entry(FILE *f, const posdiff_history_entry *e,
                       const posdiff_step *step, size_t i,
                       const render_text_options *o)
{
    size_t n = posdiff_step_passage_count(step, i);
    size_t d = posdiff_step_dropped_count(step, i);

    fprintf(f, o->color ? BOLD "%-10s %s" RESET "  %s\n" : "%-10s %s  %s\n", e->date,
            e->id, posdiff_entry_status_name(posdiff_step_status(step, i)));
    for (size_t k = 0; k < n; k++)
        write_passage(f, posdiff_step_passage(step, i, k), o->color);
    for (size_t k = 0; k < d; k++) {
        const posdiff_dropped *dp = posdiff_step_dropped(step, i, k);
        fprintf(f, o->color ? "    - " RED "%.*s" RESET "\n" : "    - %.*s\n", (int)dp->len,
                dp->text);
    }
}
