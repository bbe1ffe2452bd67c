/*
 * review.c - review.conf: an analyst's decisions on the catalog, in
 * git-config syntax beside positions.conf, read into each position's
 * review list (posdiff/catalog.h):
 *
 *   [review "data-security"]
 *       passage = 2021-12-14-oewg: <sentence>       a passage after all
 *       not-passage = 2019-09-oewg-submission: <sentence>
 *       same = 2025-02-oewg-10: <sentence> <- 2020-10-30-first-committee: <sentence>
 *       not-same = <the same form>                  no link between the two
 *
 * A sentence is keyed by its statement's id and its text as normalized,
 * so a decision survives rebuilds; one that matches no sentence any more
 * is reported by check (stale).  `posdiff review` appends a section per
 * decision (corpus_review_add), as `git config --add` would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/fileio.h"

/* The length of the id of "<id>: " at @p s, or 0. */
static size_t id_part(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789.-");

    return n && s[n] == ':' && s[n + 1] == ' ' && s[n + 2] ? n : 0;
}

/* Split @p v into @p r's strings: 0, 1 (malformed) or an error. */
static int split(posdiff_review *r, const char *v)
{
    const char *arrow = NULL, *q;
    size_t n = id_part(v), m = 0;

    if (!n)
        return 1;
    if (r->kind >= POSDIFF_REVIEW_SAME) {
        for (q = strstr(v, " <- "); q; q = strstr(q + 1, " <- "))
            if (id_part(q + 4))
                arrow = q;
        if (!arrow || arrow < v + n + 2 + 1)
            return 1;
        m = id_part(arrow + 4);
        r->old_statement = mem_dup0(arrow + 4, m);
        r->old_text = strdup(arrow + 4 + m + 2);
    } else {
        arrow = v + strlen(v);
    }
    r->statement = mem_dup0(v, n);
    r->text = mem_dup0(v + n + 2, (size_t)(arrow - v) - n - 2);
    return r->statement && r->text && (!m || (r->old_statement && r->old_text)) ? 0
                                                                              : error_oom();
}

static int malformed(const char *path, int line, const char *key)
{
    return error_set(POSDIFF_EINVALID, "%s:%d: '%s' is not '<statement id>: <sentence>%s'; "
                     "record decisions with posdiff review", path, line, key,
                     strncmp(key, "not-p", 5) && strcmp(key, "passage")
                         ? " <- <statement id>: <sentence>" : "");
}

/* The decisions of section @p s into @p p->review. */
static int read_section(posdiff_corpus *c, const char *path, const char *data, size_t len,
                        const msection *s, posdiff_position *p)
{
    posdiff_review *v = calloc(s->n + 1, sizeof(*v));
    size_t nth[4] = {0};
    char msg[512];
    int error = 0;

    if (!(p->review = v))
        return error_oom();
    for (size_t i = 0, k; i < s->n && !error; i++) {
        for (k = 0; k < 4 && strcmp(s->keys[i], posdiff_review_kind_name((posdiff_review_kind)k)); k++)
            ;
        if (k == 4) {
            snprintf(msg, sizeof(msg), "%s:%d: review \"%s\": unknown key '%s' ignored; the "
                     "keys are passage, not-passage, same and not-same", path,
                     gitconfig_line(data, len, "review", s->id, s->keys[i], 0), s->id, s->keys[i]);
            error = strlist_push(&c->positions.warnings, msg);
            continue;
        }
        v[p->review_count].kind = (posdiff_review_kind)k;
        if ((error = split(&v[p->review_count++], s->values[i])) > 0)
            error = malformed(path, gitconfig_line(data, len, "review", s->id, s->keys[i], nth[k]),
                              s->keys[i]);
        nth[k]++;
    }
    return error;
}

int corpus_review_load(posdiff_corpus *c, posdiff_position *pos, size_t n)
{
    buf path = BUF_INIT;
    mfile m;
    char *data = NULL;
    size_t len = 0, i, j;
    int error;

    buf_printf(&path, "%s/review.conf", c->dir);
    if ((error = buf_ok(&path)) < 0 || (error = mfile_load(&m, path.ptr, "review", 1)) < 0)
        goto done;
    if (m.count && (error = read_file_limited(&data, &len, path.ptr, SIZE_MAX)) < 0)
        goto free;
    for (i = 0; i < m.count && !error; i++) {
        for (j = 0; j < n && strcmp(pos[j].id, m.items[i].id); j++)
            ;
        if (j == n)
            error = error_set(POSDIFF_EINVALID, "%s:%d: no position \"%s\" in positions.conf; "
                              "rename the section or remove it", path.ptr,
                              gitconfig_line(data, len, "review", m.items[i].id, NULL, 0),
                              m.items[i].id);
        else
            error = read_section(c, path.ptr, data, len, &m.items[i], &pos[j]);
    }
    for (i = 0; i < m.warnings.count && !error; i++)
        error = strlist_push(&c->positions.warnings, m.warnings.items[i]);
free:
    mfile_free(&m);
done:
    free(data);
    buf_free(&path);
    return error;
}

void corpus_review_free(posdiff_position *pos, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; pos[i].review && k < pos[i].review_count; k++) {
            free((char *)pos[i].review[k].statement), free((char *)pos[i].review[k].text);
            free((char *)pos[i].review[k].old_statement), free((char *)pos[i].review[k].old_text);
        }
        free((void *)pos[i].review);
    }
}
