/*
 * check_stmt.c - the checks of one statement, and its changes when it
 * is one of the new statements (posdiff_check_run, check.c).
 *
 * For statement i, in corpus order:
 *   read     the raw bytes (size-limited); failure: invalid "normalize";
 *   hash     its git blob id; the same id as an earlier statement's:
 *            invalid "duplicate" (identical bytes);
 *   normalize with the manifest's rules and fields, as a build does;
 *            failure: invalid "normalize", at the line the error names;
 *   again    normalize the normalized text (the normalizer reads its
 *            own front matter) with the same fields and no rules; the
 *            bodies must be equal, else invalid "idempotent" at the
 *            first line that differs;
 *   step     its units through the tracker, as the builder does; for a
 *            new statement every passage, dropped passage and
 *            not-restated position becomes a change finding, located in
 *            the raw file with the source map (check_srcmap.c).
 * A statement that fails to read or normalize is left out of the
 * tracker, and the walk goes on with the next one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "util/buf.h"
#include "check_int.h"

typedef struct {
    const posdiff_statement *st;
    char *path; /* <corpus>/<file>, for messages */
    char *raw;
    size_t raw_len;
    posdiff_normalized *norm;
    srcmap map;
    int has_map;
} stmt;

static int is_input_error(int code)
{
    return code == POSDIFF_EUTF8 || code == POSDIFF_EEMPTY ||
           code == POSDIFF_ELIMIT || code == POSDIFF_EINVALID ||
           code == POSDIFF_EIO || code == POSDIFF_ENOTFOUND;
}

/* The LINE of a "<path>:LINE:COL: ..." message, else 0. */
static size_t message_line(const char *msg, const char *path)
{
    size_t n = strlen(path);

    if (strncmp(msg, path, n) || msg[n] != ':' || msg[n + 1] < '0' ||
        msg[n + 1] > '9')
        return 0;
    return (size_t)strtoul(msg + n + 1, NULL, 10);
}

static int input_problem(check_walk *w, const stmt *s, int code,
                         const char *what)
{
    const char *msg = posdiff_error_last();

    if (!is_input_error(code))
        return code;
    w->invalid++;
    return check_problem(w->k, POSDIFF_FINDING_INVALID, "normalize", s->st->id,
                         s->st->file, message_line(msg, s->path), "%s%s", what,
                         msg);
}

static int read_and_hash(check_walk *w, stmt *s, size_t i)
{
    git_oid oid;
    int error;

    if ((error = posdiff_corpus_read(&s->raw, &s->raw_len, w->c, s->st)) < 0)
        return input_problem(w, s, error, "");
    if (git_odb_hash(&oid, s->raw, s->raw_len, GIT_OBJECT_BLOB) < 0)
        return error_git("%s: cannot hash the statement", s->path);
    git_oid_tostr(w->hashes[i], sizeof(w->hashes[i]), &oid);
    for (size_t j = 0; j < i; j++) {
        const posdiff_statement *o = posdiff_corpus_statement(w->c, j);
        if (strcmp(w->hashes[j], w->hashes[i]))
            continue;
        return check_problem(
            w->k, POSDIFF_FINDING_INVALID, "duplicate", s->st->id, s->st->file,
            0,
            "%s: same bytes as statement \"%s\" (%s); "
            "a statement is added once: remove one of the two entries "
            "and its file",
            s->path, o->id, o->file);
    }
    return 0;
}

static int normalize_with(posdiff_normalized **out, const stmt *s,
                          const char *text, size_t len, const char *path,
                          int rules)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    const posdiff_statement *st = s->st;
    posdiff_meta meta = {st->id,    st->date,    st->title,
                         st->venue, st->speaker, st->source};

    o.path = path;
    o.max_bytes = len > POSDIFF_MAX_STATEMENT_BYTES ? len : 0;
    o.strip = rules ? st->strip : NULL;
    o.strip_count = rules ? st->strip_count : 0;
    o.meta = &meta;
    return posdiff_normalize(out, text, len, &o);
}

static int map_build(stmt *s)
{
    size_t len;
    const char *md = posdiff_normalized_text(s->norm, &len);
    int error;

    if (s->has_map)
        return 0;
    if ((error = srcmap_build(&s->map, s->raw, s->raw_len, md, len,
                              posdiff_normalized_body_offset(s->norm))) == 0)
        s->has_map = 1;
    return error;
}

/* 1-based line of @p a (from its start) where a and b first differ. */
static size_t first_diff_line(const char *a, size_t alen, const char *b,
                              size_t blen, size_t *at)
{
    size_t line = 1, i = 0;

    for (; i < alen && i < blen && a[i] == b[i]; i++)
        line += a[i] == '\n';
    *at = i;
    return line;
}

static int idempotence_problem(check_walk *w, stmt *s, const char *t1,
                               size_t body1, const char *t2, size_t body2,
                               size_t len1, size_t len2)
{
    size_t at, line = first_diff_line(t1 + body1, len1 - body1, t2 + body2,
                                      len2 - body2, &at);
    size_t norm_line = line, start = body1 + at, end, raw_line = 0;
    int error;

    for (size_t i = 0; i < body1; i++)
        norm_line += t1[i] == '\n';
    while (start > body1 && t1[start - 1] != '\n')
        start--;
    for (end = start; end < len1 && t1[end] != '\n'; end++)
        ;
    if ((error = map_build(s)) < 0)
        return error;
    raw_line = srcmap_line(&s->map, t1 + start, end - start, norm_line);
    return check_problem(
        w->k, POSDIFF_FINDING_INVALID, "idempotent", s->st->id, s->st->file,
        raw_line,
        "%s: normalizing the normalized text again changes its "
        "line %zu (\"%.*s\"); this is a posdiff bug: report it with this "
        "file, and meanwhile add a strip rule for that line",
        s->path, norm_line, (int)(end - start > 120 ? 120 : end - start),
        t1 + start);
}

static int check_idempotent(check_walk *w, stmt *s)
{
    posdiff_normalized *again = NULL;
    size_t len1, len2, b1 = posdiff_normalized_body_offset(s->norm), b2;
    const char *t1 = posdiff_normalized_text(s->norm, &len1), *t2;
    buf path = BUF_INIT;
    int error;

    buf_printf(&path, "%s (normalized)", s->path);
    if ((error = buf_ok(&path)) < 0)
        return error;
    error = normalize_with(&again, s, t1, len1, path.ptr, 0);
    if (error < 0) {
        error = input_problem(w, s, error,
                              "the normalized text is rejected when normalized "
                              "again (a posdiff bug; please report it): ");
        goto done;
    }
    t2 = posdiff_normalized_text(again, &len2);
    b2 = posdiff_normalized_body_offset(again);
    if (len1 - b1 != len2 - b2 || memcmp(t1 + b1, t2 + b2, len1 - b1))
        error = idempotence_problem(w, s, t1, b1, t2, b2, len1, len2);
done:
    posdiff_normalized_free(again);
    buf_free(&path);
    return error;
}

/* ---- changes ------------------------------------------------------------ */

static posdiff_finding_kind passage_kind(posdiff_passage_status st)
{
    switch (st) {
    case POSDIFF_PASSAGE_ADDED:
        return POSDIFF_FINDING_ADDED;
    case POSDIFF_PASSAGE_CHANGED:
        return POSDIFF_FINDING_CHANGED;
    case POSDIFF_PASSAGE_UNCHANGED:
        return POSDIFF_FINDING_UNCHANGED;
    case POSDIFF_PASSAGE_MOVED:
        return POSDIFF_FINDING_MOVED;
    case POSDIFF_PASSAGE_RESTATED:
        return POSDIFF_FINDING_RESTATED;
    }
    return POSDIFF_FINDING_CHANGED;
}

static void passage_message(buf *m, const posdiff_passage *ps)
{
    static const char *const what[] = {
        "new passage (no earlier passage is similar)", "wording changed since",
        "restated word for word from", "moved since",
        "the same point in new words (weak link) as in"};

    int reworded = 0;

    for (size_t k = 0; k < ps->op_count; k++)
        reworded |= ps->ops[k].kind != POSDIFF_OP_EQUAL;
    if (ps->status == POSDIFF_PASSAGE_MOVED)
        buf_puts(m, reworded ? "moved and reworded since"
                             : "moved (wording unchanged) since");
    else
        buf_puts(m, what[ps->status]);
    if (ps->prev_statement)
        buf_printf(m, " %s (similarity %.2f)", ps->prev_statement,
                   ps->similarity);
    if (ps->revived)
        buf_puts(m, "; revives a passage not restated since then");
    if (ps->link == POSDIFF_LINK_SPLIT)
        buf_puts(m, "; split from one earlier passage");
    else if (ps->link == POSDIFF_LINK_MERGE)
        buf_printf(m, "; restates %zu earlier passages", ps->source_count);
}

static int add_passage(check_walk *w, stmt *s, const char *pos,
                       const posdiff_passage *ps)
{
    posdiff_finding f;
    buf msg = BUF_INIT;
    int error;

    memset(&f, 0, sizeof(f));
    passage_message(&msg, ps);
    if ((error = buf_ok(&msg)) < 0)
        return error;
    f.kind = passage_kind(ps->status);
    f.statement = s->st->id;
    f.position = pos;
    f.file = s->st->file;
    f.line = srcmap_line(&s->map, ps->text, ps->len, ps->line);
    f.message = msg.ptr;
    f.text = ps->text;
    f.len = ps->len;
    f.norm_line = ps->line;
    f.prev_statement = ps->prev_statement;
    f.prev_text = ps->prev_statement ? ps->prev_text : NULL;
    f.prev_len = ps->prev_statement ? ps->prev_len : 0;
    f.similarity = ps->similarity;
    f.link = ps->link;
    f.ops = ps->ops;
    f.op_count = ps->op_count;
    error = check_add(w->k, &f);
    buf_free(&msg);
    return error;
}

static int add_other(check_walk *w, const stmt *s, const char *pos,
                     posdiff_finding_kind kind, const char *prev,
                     const char *text, size_t len)
{
    posdiff_finding f;
    buf msg = BUF_INIT;
    int error;

    memset(&f, 0, sizeof(f));
    if (kind == POSDIFF_FINDING_DROPPED)
        buf_printf(&msg, "a passage of %s is not restated", prev);
    else
        buf_printf(&msg, "position not restated (last stated in %s)", prev);
    if ((error = buf_ok(&msg)) < 0)
        return error;
    f.kind = kind;
    f.statement = s->st->id;
    f.position = pos;
    f.file = s->st->file;
    f.message = msg.ptr;
    f.prev_statement = prev;
    f.prev_text = text;
    f.prev_len = len;
    error = check_add(w->k, &f);
    buf_free(&msg);
    return error;
}

static int add_changes(check_walk *w, stmt *s, const posdiff_step *step,
                       size_t i)
{
    const char *pos =
        posdiff_catalog_position(posdiff_corpus_catalog(w->c), i)->id;
    int error = 0;

    if (posdiff_step_status(step, i) == POSDIFF_ENTRY_NOT_RESTATED)
        return w->last_stated[i]
                   ? add_other(w, s, pos, POSDIFF_FINDING_NOT_RESTATED,
                               w->last_stated[i], NULL, 0)
                   : 0;
    for (size_t k = 0; k < posdiff_step_passage_count(step, i) && !error; k++)
        error = add_passage(w, s, pos, posdiff_step_passage(step, i, k));
    for (size_t k = 0; k < posdiff_step_dropped_count(step, i) && !error; k++) {
        const posdiff_dropped *d = posdiff_step_dropped(step, i, k);
        error = add_other(w, s, pos, POSDIFF_FINDING_DROPPED, d->statement,
                          d->text, d->len);
    }
    return error;
}

static int step_one(check_walk *w, stmt *s, int is_new)
{
    size_t len, n = 0, np = posdiff_catalog_count(posdiff_corpus_catalog(w->c));
    const char *md = posdiff_normalized_text(s->norm, &len);
    posdiff_sentence *sents = NULL;
    posdiff_step *step = NULL;
    int error;

    if ((error = posdiff_doc_sentences(&sents, &n, md, len)) < 0 ||
        (error = posdiff_tracker_step(&step, w->tracker, s->st->id, sents, n)) <
            0 ||
        (is_new && (error = map_build(s)) < 0))
        goto done;
    for (size_t i = 0; i < np && !error; i++) {
        if (is_new)
            error = add_changes(w, s, step, i);
        if (posdiff_step_status(step, i) != POSDIFF_ENTRY_NOT_RESTATED)
            w->last_stated[i] = s->st->id;
    }
done:
    posdiff_step_free(step);
    free(sents);
    return error;
}

int check_statement(check_walk *w, size_t i, int is_new)
{
    stmt s;
    buf path = BUF_INIT;
    int error;

    memset(&s, 0, sizeof(s));
    s.st = posdiff_corpus_statement(w->c, i);
    buf_printf(&path, "%s/%s", posdiff_corpus_dir(w->c), s.st->file);
    if ((error = buf_ok(&path)) < 0)
        return error;
    s.path = path.ptr;
    if ((error = read_and_hash(w, &s, i)) < 0 || !s.raw)
        goto done;
    error = normalize_with(&s.norm, &s, s.raw, s.raw_len, s.path, 1);
    if (error < 0) {
        error = input_problem(w, &s, error, "");
        goto done;
    }
    if ((error = check_idempotent(w, &s)) == 0)
        error = step_one(w, &s, is_new);
done:
    posdiff_normalized_free(s.norm);
    if (s.has_map)
        srcmap_free(&s.map);
    free(s.raw);
    buf_free(&path);
    return error;
}
