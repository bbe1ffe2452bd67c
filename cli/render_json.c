/*
 * render_json.c - the JSON contract of `posdiff log --format=json`
 * (documented in cli/JSON.md): one object per entry.
 */
#include <string.h>

#include "render.h"

/* Runs of bytes that need no escape go out in one fwrite (a call per
 * byte was two thirds of `log --format=json` on a long history). */
void json_string(FILE *f, const char *s, size_t n)
{
    size_t run = 0;

    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        fwrite(s + run, 1, i - run, f);
        run = i + 1;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else
            fprintf(f, "\\u%04x", c);
    }
    fwrite(s + run, 1, n - run, f);
    fputc('"', f);
}

void json_cstring(FILE *f, const char *s)
{
    if (!s)
        fputs("null", f);
    else
        json_string(f, s, strlen(s));
}

void json_ops(FILE *f, const posdiff_op *ops, size_t n, const char *old, const char *new)
{
    static const char *const names[] = {"equal", "delete", "insert"};

    fputc('[', f);
    for (size_t k = 0; k < n; k++) {
        int del = ops[k].kind == POSDIFF_OP_DELETE;
        fprintf(f, "%s{\"op\":\"%s\",\"text\":", k ? "," : "", names[ops[k].kind]);
        json_string(f, del ? old + ops[k].old_start : new + ops[k].new_start,
                    del ? ops[k].old_len : ops[k].new_len);
        fputc('}', f);
    }
    fputc(']', f);
}

static void json_passage(FILE *f, const posdiff_passage *p)
{
    fputs("{\"text\":", f);
    json_string(f, p->text, p->len);
    fprintf(f, ",\"line\":%zu,\"status\":\"%s\",\"reviewed\":%s,\"previous\":", p->line,
            posdiff_passage_status_name(p->status), p->reviewed ? "true" : "false");
    if (p->prev_statement) {
        fputs("{\"statement\":", f);
        json_cstring(f, p->prev_statement);
        fputs(",\"text\":", f);
        json_string(f, p->prev_text, p->prev_len);
        fprintf(f, "},\"link\":\"%s\",\"revived\":%s,\"sources\":[",
                p->status == POSDIFF_PASSAGE_RESTATED ? "weak" : "strong",
                p->revived ? "true" : "false");
        for (size_t k = 0; k < p->source_count; k++) {
            fprintf(f, "%s{\"statement\":", k ? "," : "");
            json_cstring(f, p->sources[k].statement);
            fputs(",\"text\":", f);
            json_string(f, p->sources[k].text, p->sources[k].len);
            fprintf(f, ",\"similarity\":%.3f}", p->sources[k].similarity);
        }
        fputc(']', f);
    } else {
        fputs("null", f);
    }
    fprintf(f, ",\"similarity\":%.3f,\"ops\":", p->similarity);
    json_ops(f, p->ops, p->op_count, p->prev_text, p->text);
    fputc('}', f);
}

void render_json_entry(FILE *f, const posdiff_history_entry *e,
                       const posdiff_step *step, size_t i, const char *source)
{
    size_t n = posdiff_step_passage_count(step, i);
    size_t d = posdiff_step_dropped_count(step, i);

    fputs("{\"statement\":", f);
    json_cstring(f, e->id);
    fputs(",\"date\":", f);
    json_cstring(f, e->date);
    fputs(",\"title\":", f);
    json_cstring(f, e->title);
    fputs(",\"venue\":", f);
    json_cstring(f, e->venue);
    fputs(",\"source\":", f);
    json_cstring(f, source);
    fprintf(f, ",\"commit\":\"%s\",\"status\":\"%s\",\"passages\":[", e->commit,
            posdiff_entry_status_name(posdiff_step_status(step, i)));
    for (size_t k = 0; k < n; k++) {
        if (k)
            fputc(',', f);
        json_passage(f, posdiff_step_passage(step, i, k));
    }
    fputs("],\"dropped\":[", f);
    for (size_t k = 0; k < d; k++) {
        const posdiff_dropped *dp = posdiff_step_dropped(step, i, k);
        fprintf(f, "%s{\"statement\":", k ? "," : "");
        json_cstring(f, dp->statement);
        fputs(",\"text\":", f);
        json_string(f, dp->text, dp->len);
        fputc('}', f);
    }
    fputs("]}", f);
}
