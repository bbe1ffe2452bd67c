/*
 * render_check_json.c - `posdiff check --format=json`: schema 1,
 * documented in cli/CHECK.md.  Fields are only ever added within a
 * schema number; a rename or removal bumps "schema".
 */
#include "render.h"
#include "render_check.h"

static const char *const link_names[] = {"none", "one", "split", "merge"};

static void json_path(FILE *f, const check_report *r, const char *file)
{
    char buf[4096];

    if (!file) {
        fputs("null", f);
        return;
    }
    snprintf(buf, sizeof(buf), "%s%s", r->prefix, file);
    json_cstring(f, buf);
}

static void json_size(FILE *f, const char *key, size_t v)
{
    fprintf(f, ",\"%s\":", key);
    if (v)
        fprintf(f, "%zu", v);
    else
        fputs("null", f);
}

static void json_change_fields(FILE *f, const posdiff_finding *p)
{
    fputs(",\"text\":", f);
    if (p->text)
        json_string(f, p->text, p->len);
    else
        fputs("null", f);
    json_size(f, "normalized_line", p->norm_line);
    fputs(",\"previous\":", f);
    if (p->prev_statement) {
        fputs("{\"statement\":", f);
        json_cstring(f, p->prev_statement);
        fputs(",\"text\":", f);
        if (p->prev_text)
            json_string(f, p->prev_text, p->prev_len);
        else
            fputs("null", f);
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    if (p->text) {
        fprintf(f, ",\"similarity\":%.3f,\"link\":\"%s\",\"ops\":", p->similarity,
                link_names[p->link <= POSDIFF_LINK_MERGE ? p->link : 0]);
        json_ops(f, p->ops, p->op_count, p->prev_text, p->text);
    } else {
        fputs(",\"similarity\":null,\"link\":null,\"ops\":null", f);
    }
}

static void json_finding(FILE *f, const check_report *r,
                         const posdiff_finding *p)
{
    int problem = p->kind == POSDIFF_FINDING_INVALID ||
                  p->kind == POSDIFF_FINDING_WARNING;

    fprintf(f, "{\"kind\":\"%s\",\"fails\":%s,\"rule\":",
            posdiff_finding_kind_name(p->kind),
            r->fail_on[p->kind] ? "true" : "false");
    json_cstring(f, p->rule);
    fputs(",\"statement\":", f);
    json_cstring(f, p->statement);
    fputs(",\"position\":", f);
    json_cstring(f, p->position);
    fputs(",\"file\":", f);
    json_path(f, r, p->file);
    json_size(f, "line", p->line);
    fputs(",\"message\":", f);
    json_cstring(f, p->message);
    if (!problem)
        json_change_fields(f, p);
    fputc('}', f);
}

static void json_history(FILE *f, const check_report *r)
{
    const posdiff_check_history *h = posdiff_check_history_of(r->k);

    fputs(",\"history\":", f);
    if (!h) {
        fputs("null", f);
        return;
    }
    fputs("{\"path\":", f);
    json_cstring(f, r->repo);
    fprintf(f,
            ",\"state\":\"%s\",\"commits\":%zu,\"matching\":%zu,\"built\":%s",
            posdiff_history_state_name(h->status.state), h->status.commits,
            h->status.matching, h->built ? "true" : "false");
    if (h->built)
        fprintf(f, ",\"head\":\"%s\"", h->build.head);
    fputc('}', f);
}

static void json_new(FILE *f, const check_report *r)
{
    fputs(",\"new\":[", f);
    for (size_t i = 0; i < posdiff_check_new_count(r->k); i++) {
        const posdiff_statement *st = posdiff_check_new(r->k, i);
        fputs(i ? ",{\"statement\":" : "{\"statement\":", f);
        json_cstring(f, st->id);
        fputs(",\"date\":", f);
        json_cstring(f, st->date);
        fputs(",\"file\":", f);
        json_path(f, r, st->file);
        fputc('}', f);
    }
    fputc(']', f);
}

static void json_counts(FILE *f, const check_report *r)
{
    int first = 1;

    fputs(",\"fail_on\":[", f);
    for (int k = 0; k < POSDIFF_FINDING_KIND_COUNT; k++)
        if (r->fail_on[k]) {
            fprintf(f, "%s\"%s\"", first ? "" : ",",
                    posdiff_finding_kind_name(k));
            first = 0;
        }
    fputs("],\"counts\":{", f);
    for (int k = 0; k < POSDIFF_FINDING_KIND_COUNT; k++)
        fprintf(f, "%s\"%s\":%zu", k ? "," : "", posdiff_finding_kind_name(k),
                r->counts[k]);
    fprintf(f, "},\"exit\":%d", r->exit_code);
}

void render_check_json(FILE *f, const check_report *r)
{
    fprintf(f,
            "{\"schema\":1,\"posdiff\":\"%s\",\"corpus\":", posdiff_version());
    json_cstring(f, r->prefix);
    fprintf(f, ",\"statements\":%zu,\"positions\":%zu",
            posdiff_corpus_count(r->c),
            posdiff_catalog_count(posdiff_corpus_catalog(r->c)));
    json_history(f, r);
    json_new(f, r);
    json_counts(f, r);
    fputs(",\"findings\":[", f);
    for (size_t i = 0; i < posdiff_check_count(r->k); i++) {
        if (i)
            fputc(',', f);
        json_finding(f, r, posdiff_check_finding(r->k, i));
    }
    fputs("]}\n", f);
}
