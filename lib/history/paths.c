/*
 * paths.c - where things live: a corpus's default history repository,
 * a statement's file in a history commit's tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "posdiff/history.h"
#include "util/buf.h"
#include "util/errors.h"

char *posdiff_history_default_path(const posdiff_corpus *c)
{
    buf b = BUF_INIT;

    buf_printf(&b, "%s/.posdiff/history.git", posdiff_corpus_dir(c));
    if (buf_ok(&b) < 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

int posdiff_history_statement_path(char *out, size_t size, const char *id, const char *date)
{
    int n = snprintf(out, size, "statements/%.4s/%s.md", date ? date : "", id ? id : "");

    if (!date || strlen(date) < 4 || n < 0 || (size_t)n >= size)
        return error_set(POSDIFF_EINVALID, "statement \"%.40s\" (date \"%.12s\"): "
                         "no history path for it", id ? id : "", date ? date : "");
    return 0;
}
