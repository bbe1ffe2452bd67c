/*
 * check_findings.c - the findings of a check: kinds by name, the store
 * (check_add copies every string, so nothing points into the steps,
 * which are freed statement by statement), accessors and free.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "util/buf.h"

static const char *const kind_names[POSDIFF_FINDING_KIND_COUNT] = {
    "invalid", "warning",      "changed",   "added",
    "dropped", "not-restated", "unchanged", "moved", "restated"};

const char *posdiff_finding_kind_name(posdiff_finding_kind kind)
{
    return (unsigned)kind < POSDIFF_FINDING_KIND_COUNT ? kind_names[kind]
                                                       : "unknown";
}

int posdiff_finding_kind_parse(const char *name, size_t len)
{
    for (int i = 0; i < POSDIFF_FINDING_KIND_COUNT; i++)
        if (strlen(kind_names[i]) == len && !strncmp(kind_names[i], name, len))
            return i;
    return -1;
}

/* ---- the store ---------------------------------------------------------- */

static int own(posdiff_check *k, void *p)
{
    if (!p)
        return error_oom();
    if (array_grow(&k->owned, &k->owned_cap, k->owned_count, sizeof(*k->owned), 64) < 0) {
        free(p);
        return POSDIFF_ENOMEM;
    }
    k->owned[k->owned_count++] = p;
    return 0;
}

/* Copy @p n bytes (NUL-terminated) into the check; NULL stays NULL. */
static int copy_mem(posdiff_check *k, const void **dst, const void *src,
                    size_t n)
{
    char *p;

    if (!src)
        return 0;
    if (!(p = malloc(n + 1)))
        return error_oom();
    memcpy(p, src, n);
    p[n] = '\0';
    *dst = p;
    return own(k, p);
}

static int copy_str(posdiff_check *k, const char **s)
{
    return *s ? copy_mem(k, (const void **)s, *s, strlen(*s)) : 0;
}

static int list_push(finding_list *l, const posdiff_finding *f)
{
    if (array_grow(&l->v, &l->cap, l->count, sizeof(*l->v), 32) < 0)
        return POSDIFF_ENOMEM;
    l->v[l->count++] = *f;
    return 0;
}

int check_add(posdiff_check *k, const posdiff_finding *f)
{
    posdiff_finding c = *f;
    int error;

    if ((error = copy_str(k, &c.statement)) < 0 ||
        (error = copy_str(k, &c.position)) < 0 ||
        (error = copy_str(k, &c.file)) < 0 ||
        (error = copy_str(k, &c.message)) < 0 ||
        (error = copy_str(k, &c.prev_statement)) < 0 ||
        (error = copy_mem(k, (const void **)&c.text, f->text, f->len)) < 0 ||
        (error = copy_mem(k, (const void **)&c.prev_text, f->prev_text,
                          f->prev_len)) < 0)
        return error;
    if (f->op_count && (error = copy_mem(k, (const void **)&c.ops, f->ops,
                                         f->op_count * sizeof(*f->ops))) < 0)
        return error;
    if (c.kind == POSDIFF_FINDING_INVALID || c.kind == POSDIFF_FINDING_WARNING)
        return list_push(&k->problems, &c);
    return list_push(&k->changes, &c);
}

POSDIFF_PRINTF(1, 0)
static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    char *p;
    int n;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || !(p = malloc((size_t)n + 1)))
        return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

int check_problem(posdiff_check *k, posdiff_finding_kind kind, const char *rule,
                  const char *statement, const char *file, size_t line,
                  const char *fmt, ...)
{
    posdiff_finding f;
    va_list ap;
    char *text;
    int error;

    va_start(ap, fmt);
    text = vformat(fmt, ap);
    va_end(ap);
    if (!text)
        return error_oom();
    memset(&f, 0, sizeof(f));
    f.kind = kind;
    f.rule = rule;
    f.statement = statement;
    f.file = file;
    f.line = line;
    f.message = text;
    error = check_add(k, &f);
    free(text);
    return error;
}

int check_finish(posdiff_check *k)
{
    finding_list *all = &k->all;
    int error = 0;

    for (size_t i = 0; i < k->problems.count && !error; i++)
        error = list_push(all, &k->problems.v[i]);
    for (size_t i = 0; i < k->changes.count && !error; i++)
        error = list_push(all, &k->changes.v[i]);
    return error;
}

/* ---- accessors ---------------------------------------------------------- */

size_t posdiff_check_count(const posdiff_check *k)
{
    return k ? k->all.count : 0;
}

const posdiff_finding *posdiff_check_finding(const posdiff_check *k, size_t i)
{
    return k && i < k->all.count ? &k->all.v[i] : NULL;
}

size_t posdiff_check_new_count(const posdiff_check *k)
{
    return k ? k->new_count : 0;
}

const posdiff_statement *posdiff_check_new(const posdiff_check *k, size_t i)
{
    return k && i < k->new_count ? k->news[i] : NULL;
}

const posdiff_check_history *posdiff_check_history_of(const posdiff_check *k)
{
    return k && k->has_history ? &k->history : NULL;
}

void posdiff_check_free(posdiff_check *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->owned_count; i++)
        free(k->owned[i]);
    free(k->owned);
    free(k->problems.v);
    free(k->changes.v);
    free(k->all.v);
    free(k->news);
    free(k);
}
