/*
 * render_check_github.c - `posdiff check --format=github`: one GitHub
 * Actions workflow command per finding, an annotation at the raw
 * statement's line.  ::error when the kind is in --fail-on, ::notice for
 * unchanged and not-restated, else ::warning; errors first, so the
 * runner's cap on annotations drops the least important.  Escaping as
 * the runner wants: % CR LF as %25 %0D %0A, in properties also : , as
 * %3A %2C.
 */
#include <stdlib.h>
#include <string.h>

#include "render_check.h"

typedef enum { LEVEL_ERROR = 0, LEVEL_WARNING, LEVEL_NOTICE } level;

static const char *const level_names[] = {"error", "warning", "notice"};

static void escape(FILE *f, const char *s, size_t n, int property)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%')
            fputs("%25", f);
        else if (c == '\r')
            fputs("%0D", f);
        else if (c == '\n')
            fputs("%0A", f);
        else if (property && c == ':')
            fputs("%3A", f);
        else if (property && c == ',')
            fputs("%2C", f);
        else
            fputc(c, f);
    }
}

static void escape_str(FILE *f, const char *s, int property)
{
    escape(f, s, strlen(s), property);
}

static level level_of(const check_report *r, const posdiff_finding *p)
{
    if (r->fail_on[p->kind])
        return LEVEL_ERROR;
    if (p->kind == POSDIFF_FINDING_UNCHANGED ||
        p->kind == POSDIFF_FINDING_NOT_RESTATED)
        return LEVEL_NOTICE;
    return LEVEL_WARNING;
}

/* The message, unescaped: what, where from, and the wording. */
static void message(FILE *f, const check_report *r, const posdiff_finding *p)
{
    const posdiff_position *pos = render_check_position(r, p->position);

    if (pos)
        fprintf(f, "%s (%s), statement %s: ", pos->title ? pos->title : pos->id,
                pos->id, p->statement);
    fputs(p->message, f);
    if (p->kind == POSDIFF_FINDING_DROPPED || p->text) {
        fputs(":\n", f);
        render_check_wording(f, r, p, "\n");
    }
}

static void title(FILE *f, const posdiff_finding *p)
{
    fprintf(f, "posdiff: %s", posdiff_finding_kind_name(p->kind));
    if (p->position)
        fprintf(f, " %s", p->position);
    else if (p->rule)
        fprintf(f, " (%s)", p->rule);
}

static void command(FILE *f, const check_report *r, const posdiff_finding *p,
                    level lv)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m;

    fprintf(f, "::%s ", level_names[lv]);
    if (p->file) {
        fputs("file=", f);
        escape_str(f, r->prefix, 1);
        escape_str(f, p->file, 1);
        if (p->line)
            fprintf(f, ",line=%zu", p->line);
        fputc(',', f);
    }
    fputs("title=", f);
    if ((m = open_memstream(&text, &len))) {
        title(m, p);
        fclose(m);
        escape(f, text, len, 1);
        free(text);
        text = NULL;
    }
    fputs("::", f);
    if ((m = open_memstream(&text, &len))) {
        message(m, r, p);
        fclose(m);
        escape(f, text, len, 0);
        free(text);
    }
    fputc('\n', f);
}

void render_check_github(FILE *f, const check_report *r)
{
    for (int lv = LEVEL_ERROR; lv <= LEVEL_NOTICE; lv++)
        for (size_t i = 0; i < posdiff_check_count(r->k); i++) {
            const posdiff_finding *p = posdiff_check_finding(r->k, i);
            if (level_of(r, p) == (level)lv)
                command(f, r, p, (level)lv);
        }
}

void render_check_github_error(FILE *f, const char *msg)
{
    fputs("::error title=posdiff check could not run::", f);
    escape_str(f, msg, 0);
    fputc('\n', f);
}
