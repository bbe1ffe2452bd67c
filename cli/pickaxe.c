/*
 * pickaxe.c - log -S / -G (pickaxe.h).
 */
#include "pickaxe.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct pickaxe {
    const char *phrase;
    size_t plen;
    regex_t re;
    int has_re;
    size_t *count; /* -S: per position, occurrences in its last wording */
};

int pickaxe_new(pickaxe **out, const char *phrase, const char *regex, size_t npos)
{
    pickaxe *p = calloc(1, sizeof(*p));
    char msg[256];
    int e;

    *out = NULL;
    if (!p || !(p->count = calloc(npos + 1, sizeof(*p->count)))) {
        free(p);
        return cli_error("out of memory");
    }
    if (phrase && !*phrase) {
        pickaxe_free(p);
        return cli_error("-S: give the phrase to look for");
    }
    p->phrase = phrase;
    p->plen = phrase ? strlen(phrase) : 0;
    if (regex && (e = regcomp(&p->re, regex, REG_EXTENDED | REG_NOSUB)) != 0) {
        regerror(e, &p->re, msg, sizeof(msg));
        pickaxe_free(p);
        return cli_error("-G %s: %s; give a POSIX extended regular expression", regex, msg);
    }
    p->has_re = regex != NULL;
    *out = p;
    return 0;
}

/* Occurrences of the phrase in s[0..n). */
static size_t occurrences(const pickaxe *p, const char *s, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; p->plen && i + p->plen <= n; i++)
        if (s[i] == p->phrase[0] && !memcmp(s + i, p->phrase, p->plen)) {
            c++;
            i += p->plen - 1;
        }
    return c;
}

/* Whether the regular expression matches s[0..n). */
static int matches(const pickaxe *p, const char *s, size_t n)
{
    char *z = malloc(n + 1);
    int hit;

    if (!z)
        return 0;
    memcpy(z, s, n);
    z[n] = '\0';
    hit = regexec(&p->re, z, 0, NULL, 0) == 0;
    free(z);
    return hit;
}

static int regex_hit(const pickaxe *p, const posdiff_step *step, size_t i)
{
    for (size_t k = 0; k < posdiff_step_passage_count(step, i); k++) {
        const posdiff_passage *ps = posdiff_step_passage(step, i, k);
        for (size_t j = 0; j < ps->op_count; j++) {
            const posdiff_op *op = &ps->ops[j];
            if (op->kind == POSDIFF_OP_DELETE ? matches(p, ps->prev_text + op->old_start, op->old_len)
                : op->kind == POSDIFF_OP_INSERT && matches(p, ps->text + op->new_start, op->new_len))
                return 1;
        }
    }
    for (size_t k = 0; k < posdiff_step_dropped_count(step, i); k++) {
        const posdiff_dropped *d = posdiff_step_dropped(step, i, k);
        if (matches(p, d->text, d->len))
            return 1;
    }
    return 0;
}

int pickaxe_hit(pickaxe *p, const posdiff_step *step, size_t i)
{
    size_t now = 0, before;

    if (posdiff_step_status(step, i) == POSDIFF_ENTRY_NOT_RESTATED)
        return 0; /* not stated: its wording did not change here */
    if (p->has_re)
        return regex_hit(p, step, i);
    for (size_t k = 0; k < posdiff_step_passage_count(step, i); k++) {
        const posdiff_passage *ps = posdiff_step_passage(step, i, k);
        now += occurrences(p, ps->text, ps->len);
    }
    before = p->count[i];
    p->count[i] = now;
    return now != before;
}

void pickaxe_free(pickaxe *p)
{
    if (!p)
        return;
    if (p->has_re)
        regfree(&p->re);
    free(p->count);
    free(p);
}
