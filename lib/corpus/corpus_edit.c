/*
 * corpus_edit.c - find, create and extend a corpus.
 *
 * `add` validates everything before it writes anything: the date, the
 * id, the file (through the full normalizer: UTF-8, NUL, size, empty)
 * and that its content is new.  Then it writes the raw copy (atomic,
 * never overwriting) and rewrites the manifest atomically; if the
 * manifest step fails the copy is removed.  All of it runs under the
 * corpus lock (<corpus>/.posdiff/lock), so concurrent adds and builds
 * serialize instead of losing entries.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "history/commitmsg.h"
#include "corpus_int.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "util/lock.h"
#include "manifest.h"
#include "posdiff/corpus.h"
#include "posdiff/history.h"
#include "history/rawhash.h"

static int has_manifest(const char *dir)
{
    buf p = BUF_INIT;
    int ok;

    buf_printf(&p, "%s/statements.conf", dir);
    ok = p.ptr && access(p.ptr, F_OK) == 0;
    buf_free(&p);
    return ok;
}

int posdiff_corpus_discover(char **out, const char *start)
{
    char dir[PATH_MAX];
    buf sub = BUF_INIT;

    if (!realpath(start, dir))
        return error_io("%s: cannot resolve", start);
    for (;;) {
        char *slash;
        if (has_manifest(dir))
            return (*out = strdup(dir)) ? 0 : error_oom();
        if (!(slash = strrchr(dir, '/')) || slash == dir)
            break;
        *slash = '\0';
    }
    if (!realpath(start, dir))
        return error_io("%s: cannot resolve", start);
    buf_printf(&sub, "%s/corpus", dir);
    if (sub.ptr && has_manifest(sub.ptr)) {
        *out = buf_detach(&sub, NULL);
        return *out ? 0 : error_oom();
    }
    buf_free(&sub);
    return error_set(POSDIFF_ENOTFOUND,
                     "no corpus (statements.conf) in %s, its parents or ./corpus; "
                     "use --corpus DIR, set POSDIFF_CORPUS, or create one with 'posdiff init'",
                     start);
}

static const char statements_header[] =
    "# posdiff corpus manifest (git-config syntax); see 'posdiff help add'.\n"
    "# [statement \"2021-12-14-oewg\"]\n"
    "#\tfile = statements/2021-12-14-oewg.txt\n"
    "#\tdate = 2021-12-14\n";
static const char positions_header[] =
    "# posdiff catalog of positions (git-config syntax).\n"
    "# [position \"data-security\"]\n"
    "#\ttitle = Data security\n"
    "#\tmatch = data security\n";

static int write_new(const char *dir, const char *name, const char *text)
{
    buf p = BUF_INIT;
    int error;

    buf_printf(&p, "%s/%s", dir, name);
    if ((error = buf_ok(&p)) == 0)
        error = write_file_atomic(p.ptr, text, strlen(text), 0);
    buf_free(&p);
    return error;
}

int posdiff_corpus_init(const char *dir)
{
    buf sub = BUF_INIT;
    int error;

    if (has_manifest(dir))
        return error_set(POSDIFF_EEXISTS, "%s: already holds a corpus (statements.conf); nothing to do", dir);
    buf_printf(&sub, "%s/statements", dir);
    if ((error = buf_ok(&sub)) < 0 || (error = mkdir_p(sub.ptr)) < 0)
        goto done;
    if ((error = write_new(dir, "positions.conf", positions_header)) < 0 && error != POSDIFF_EEXISTS)
        goto done;
    if ((error = write_new(dir, ".gitignore", ".posdiff/\n")) < 0 && error != POSDIFF_EEXISTS)
        goto done;
    error = write_new(dir, "statements.conf", statements_header);
done:
    buf_free(&sub);
    return error;
}

/* "Some File (v2).TXT" -> "some-file-v2" */
static void slugify(buf *out, const char *name, size_t n)
{
    int dash = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)tolower((unsigned char)name[i]);
        if (isalnum(c)) {
            if (dash && out->len)
                buf_putc(out, '-');
            buf_putc(out, (char)c);
            dash = 0;
        } else {
            dash = 1;
        }
    }
}

static int derive_id(char **out, const posdiff_corpus *c, const char *date, const char *file)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    const char *dot = strrchr(base, '.');
    buf b = BUF_INIT;
    size_t stem, n = 1;

    buf_printf(&b, "%s-", date);
    slugify(&b, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
    stem = b.len;
    while (buf_ok(&b) == 0 && posdiff_corpus_find(c, b.ptr)) {
        b.len = stem;
        buf_printf(&b, "-%zu", ++n);
    }
    if (buf_ok(&b) < 0)
        return POSDIFF_ENOMEM;
    *out = buf_detach(&b, NULL);
    return 0;
}

/*
 * Is the new file's content (@p data, @p len bytes) already a statement's
 * raw file?  A statement's file is read and compared only when it may
 * be: the raw-hash cache of the build (rawhash.c) rules out, without a
 * stat, every file it recorded with another blob id; the others are
 * checked as posdiff_corpus_open would (corpus_file_checked: a stat,
 * then a size), and read only when the size is the same.  So `add` on a
 * built corpus of 10 000 statements looks at the few files that may
 * match instead of stat'ing all of them (as git add does not refresh
 * every file of the index).  What it gives up: a raw file rewritten
 * since the last build is judged by what it was then (raw files are
 * never edited; posdiff check compares them all).
 */
static int check_new_content(const posdiff_corpus *c, const char *file,
                             const char *data, size_t len)
{
    char hex[GIT_OID_HEXSZ + 1], *repo = NULL;
    unsigned char *may = NULL;
    git_oid id;
    int error = 0;

    if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) < 0)
        return error_git("cannot hash %s", file);
    git_oid_tostr(hex, sizeof(hex), &id);
    if (!(repo = posdiff_history_default_path(c)))
        return error_oom();
    error = rawhash_maybe_same(&may, repo, c, hex);
    free(repo);
    for (size_t i = 0; error == 0 && i < posdiff_corpus_count(c); i++) {
        const posdiff_statement *st = posdiff_corpus_statement(c, i);
        char *other = NULL;
        size_t olen = 0;
        uintmax_t size;
        int same;

        if ((may && !may[i]) || corpus_file_checked(c, st, &size) < 0 || size != (uintmax_t)len)
            continue; /* an unreadable entry is reported by build and check */
        if (posdiff_corpus_read(&other, &olen, c, st) < 0) {
            posdiff_error_clear();
            continue;
        }
        same = olen == len && !memcmp(other, data, len);
        free(other);
        if (same)
            error = error_set(POSDIFF_EEXISTS,
                              "%s: same content as statement \"%s\" (%s); it is already in the corpus",
                              file, st->id, st->file);
    }
    free(may);
    return error;
}

static int validate_text(const char *file, const char *data, size_t len,
                         const posdiff_statement *st)
{
    posdiff_normalize_options o = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_normalized *n = NULL;
    const char *v = getenv("POSDIFF_MAX_BYTES");
    int error;

    o.path = file;
    o.max_bytes = v && atoll(v) > 0 ? (size_t)atoll(v) : 0;
    error = posdiff_normalize(&n, data, len, &o);
    posdiff_normalized_free(n);
    (void)st;
    return error;
}

static const char *extension_of(const char *file)
{
    const char *dot = strrchr(file, '.');
    if (dot && (!strcmp(dot, ".md") || !strcmp(dot, ".txt")))
        return dot;
    return ".txt";
}

/*
 * The corpus to check the new statement against: @p o's open corpus
 * when the manifest is still the one it was opened from (*owned = NULL),
 * else the corpus opened now, under the lock (*owned, to free).  *@p m
 * tells of the manifest it was opened from; *@p known is 0 when it
 * cannot (the manifest is then read again to be written).
 */
static int corpus_for_add(const posdiff_corpus **c, posdiff_corpus **owned,
                          const char *dir, const posdiff_add_options *o,
                          corpus_manifest *m, int *known)
{
    int error;

    *owned = NULL;
    if (o->version >= 2 && o->corpus && corpus_manifest_current(o->corpus, dir, m)) {
        *c = o->corpus;
        *known = 1;
        return 0;
    }
    if ((error = posdiff_corpus_open_ext(owned, dir, POSDIFF_CORPUS_OPEN_NO_STAT)) < 0)
        return error;
    *c = *owned;
    *known = corpus_manifest_current(*owned, dir, m);
    return 0;
}

/* Append @p st's section to the manifest @p path, described by @p m. */
static int append_entry(const char *path, const corpus_manifest *m, int known,
                        const posdiff_statement *st)
{
    if (!known)
        return mfile_append_statement(path, st);
    if (m->data)
        return mfile_append_statement_bytes(path, m->data, m->len, m->simple, st);
    return mfile_append_statement_copy(path, m->len, m->ends_nl, m->simple, st);
}

static int check_options(const posdiff_corpus *c, const char *file,
                         const posdiff_add_options *o)
{
    int error = 0;

    if (!o->date)
        error = error_set(POSDIFF_EINVALID, "%s: no --date; give the statement's date as YYYY, YYYY-MM or YYYY-MM-DD", file);
    else if ((error = posdiff_date_parse(NULL, NULL, NULL, o->date)) < 0)
        error_wrap(error, "--date %s", o->date);
    else if (o->id && !posdiff_id_valid(o->id))
        error = error_set(POSDIFF_EINVALID, "--id '%s': invalid id; use lower-case letters, digits, '.' and '-' (e.g. 2021-12-14-oewg)", o->id);
    else if (o->id && posdiff_corpus_find(c, o->id))
        error = error_set(POSDIFF_EEXISTS, "--id '%s': a statement with this id exists; choose another id", o->id);
    return error;
}

static int add_locked(char **id_out, const char *dir, const char *file,
                      const posdiff_add_options *o)
{
    const posdiff_corpus *c = NULL;
    posdiff_corpus *owned = NULL;
    posdiff_statement st = {0};
    corpus_manifest m = {NULL, 0, 0, 0};
    char *data = NULL, *id = NULL;
    buf rel = BUF_INIT, dest = BUF_INIT, conf = BUF_INIT;
    size_t len = 0;
    const char *v = getenv("POSDIFF_MAX_BYTES");
    int error, known = 0;

    buf_printf(&conf, "%s/statements.conf", dir);
    if ((error = buf_ok(&conf)) < 0)
        return error;
    if ((error = corpus_for_add(&c, &owned, dir, o, &m, &known)) < 0 ||
        (error = check_options(c, file, o)) < 0)
        goto done;
    if ((error = o->id ? ((id = strdup(o->id)) ? 0 : error_oom()) : derive_id(&id, c, o->date, file)) < 0 ||
        (error = read_file_limited(&data, &len, file, v && atoll(v) > 0 ? (size_t)atoll(v) : POSDIFF_MAX_STATEMENT_BYTES)) < 0 ||
        (error = validate_text(file, data, len, &st)) < 0 ||
        (error = check_new_content(c, file, data, len)) < 0)
        goto done;
    buf_printf(&rel, "statements/%s%s", id, extension_of(file));
    buf_printf(&dest, "%s/%s", dir, rel.ptr ? rel.ptr : "");
    if ((error = buf_ok(&rel)) < 0 || (error = buf_ok(&dest)) < 0)
        goto done;
    st.id = id;
    st.file = rel.ptr;
    st.date = o->date;
    st.title = o->title;
    st.venue = o->venue;
    st.speaker = o->speaker;
    st.source = o->source;
    if ((error = write_file_atomic(dest.ptr, data, len, 0)) < 0)
        goto done;
    error = append_entry(conf.ptr, &m, known, &st);
    if (error < 0) {
        unlink(dest.ptr);
        goto done;
    }
    posdiff_corpus_keep(c); /* the manifest before the new entry: a prefix of it */
    if (id_out) {
        *id_out = id;
        id = NULL;
    }
done:
    posdiff_corpus_free(owned);
    free(data);
    free(id);
    buf_free(&rel);
    buf_free(&dest);
    buf_free(&conf);
    return error;
}

int posdiff_corpus_add(char **id_out, const char *dir, const char *file,
                       const posdiff_add_options *opts)
{
    posdiff_add_options defaults = POSDIFF_ADD_OPTIONS_INIT;
    file_lock lock = FILE_LOCK_INIT;
    buf p = BUF_INIT;
    int error;

    if (opts && opts->version > POSDIFF_ADD_OPTIONS_VERSION)
        return error_set(POSDIFF_EINVALID, "posdiff_add_options version %u is newer than %d; "
                         "initialise it with POSDIFF_ADD_OPTIONS_INIT",
                         opts->version, POSDIFF_ADD_OPTIONS_VERSION);
    buf_printf(&p, "%s/.posdiff", dir);
    if ((error = buf_ok(&p)) < 0 || (error = mkdir_p(p.ptr)) < 0)
        goto done;
    buf_puts(&p, "/lock");
    if ((error = buf_ok(&p)) < 0 || (error = lock_acquire(&lock, p.ptr, 0, "corpus")) < 0)
        goto done;
    error = add_locked(id_out, dir, file, opts ? opts : &defaults);
    lock_release(&lock);
done:
    buf_free(&p);
    return error;
}
