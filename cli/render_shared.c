/*
 * render_shared.c - the content words two passages share (the library's
 * posdiff_shared_words), for the highlights of a restated passage and
 * of the sentences it restates.
 */
#include <stdlib.h>

#include "render.h"

/* Spans of a's words shared with b (none on error). */
static void spans_of(posdiff_span **out, size_t *n, const char *a, size_t alen,
                     const char *b, size_t blen)
{
    *out = NULL;
    *n = 0;
    if (posdiff_shared_words(out, n, a, alen, b, blen) < 0) {
        posdiff_error_clear(); /* presentation only: no highlight */
        free(*out);
        *out = NULL;
        *n = 0;
    }
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
