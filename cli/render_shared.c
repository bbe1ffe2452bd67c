/*
 * render_shared.c - the content words two passages share (the library's
 * posdiff_shared_words), for the highlights of a restated passage and
 * of the sentences it restates.
 */
#include <stdlib.h>

#include "render.h"

/* Spans of a's words shared with b as render_spans (none on error). */
static void spans_of(render_span **out, size_t *n, const char *a, size_t alen,
                     const char *b, size_t blen)
{
    posdiff_span *sp = NULL;

    *out = NULL;
    *n = 0;
    if (posdiff_shared_words(&sp, n, a, alen, b, blen) < 0 ||
        !(*out = malloc((*n ? *n : 1) * sizeof(**out)))) {
        posdiff_error_clear(); /* presentation only: no highlight */
        *n = 0;
        free(sp);
        return;
    }
    for (size_t k = 0; k < *n; k++)
        (*out)[k] = (render_span){sp[k].start, sp[k].end - sp[k].start};
    free(sp);
}

void render_shared_words(render_shared *out, const char *a, size_t alen, const char *b,
                         size_t blen)
{
    spans_of(&out->a, &out->na, a, alen, b, blen);
    spans_of(&out->b, &out->nb, b, blen, a, alen);
}

void render_shared_free(render_shared *s)
{
    free(s->a);
    free(s->b);
    *s = (render_shared){NULL, NULL, 0, 0};
}
