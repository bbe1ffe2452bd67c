/*
 * corpus_edit.c - find, create and extend a corpus.
 *
 * `add` validates everything before it writes anything: the date, the
 * id, the file (through the full normalizer: UTF-8, NUL, size, empty)
 * and that its content is new.  Then it writes the raw copy (staged,
 * never overwriting) and replaces the manifest (manifest.c); if that
 * fails the copy is removed, and what a kill leaves the next add undoes
 * (add_recover).  All of it runs under the corpus lock
 * (<corpus>/.posdiff/lock), so concurrent adds and builds serialize
 * instead of losing entries.  Test-only hook: POSDIFF_TEST_KILL_AT.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_int.h"
#include "util/buf.h"
#include "util/cachesum.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "util/lock.h"

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

/* Whether s[0..n) is a separator of a file name's parts. */
static int is_sep(const char *s, size_t n, size_t i)
{
    return i < n && (s[i] == '-' || s[i] == '_' || s[i] == '.' || s[i] == ' ');
}

static int digits(const char *s, size_t n, size_t at, size_t k)
{
    for (size_t i = at; i < at + k; i++)
        if (i >= n || !isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* The length (with its separator) of the date the file name s[0..n)
 * starts with, YYYY, YYYY-MM or YYYY-MM-DD (any separator), when it
 * agrees with @p date as far as both go; else 0. */
static size_t date_prefix(const char *s, size_t n, const char *date)
{
    char d[11];
    size_t k = 0, dl = strlen(date);

    if (!digits(s, n, 0, 4))
        return 0;
    k = 4;
    if (is_sep(s, n, 4) && digits(s, n, 5, 2)) {
        k = 7;
        if (is_sep(s, n, 7) && digits(s, n, 8, 2))
            k = 10;
    }
    if (!is_sep(s, n, k) || k + 1 >= n)
        return 0;
    memcpy(d, s, k);
    d[k] = '\0';
    if (k > 4)
        d[4] = '-';
    if (k > 7)
        d[7] = '-';
    return strncmp(d, date, k < dl ? k : dl) ? 0 : k + 1;
}

static int derive_id(char **out, const posdiff_corpus *c, const char *date, const char *file)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t skip = date_prefix(base, len, date); /* the date once, not twice */
    buf b = BUF_INIT;
    size_t stem, n = 1;

    buf_printf(&b, "%s-", date);
    slugify(&b, base + skip, len - skip);
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
 * raw file?  Only raw files of the same size are read (their sizes: the
 * stats of the open, or taken now).  An entry whose file cannot be read
 * is left to build and check to report.
 */
static int check_new_content(const posdiff_corpus *c, const char *file,
                             const char *data, size_t len)
{
    corpus_stat_rest(c);
    for (size_t i = 0; i < c->count; i++) {
        const posdiff_statement *st = &c->st[i];
        const corpus_stat *cs = &c->stats[st->manifest_index];
        char *other = NULL;
        size_t olen = 0;
        int same;

        if (!cs->taken || cs->size != len)
            continue;
        if (posdiff_corpus_read(&other, &olen, c, st) < 0) {
            posdiff_error_clear();
            continue;
        }
        same = olen == len && !memcmp(other, data, len);
        free(other);
        if (same)
            return error_set(POSDIFF_EEXISTS, "%s: same content as statement \"%s\" (%s); "
                             "it is already in the corpus", file, st->id, st->file);
    }
    return 0;
}

static const char *extension_of(const char *file)
{
    const char *dot = strrchr(file, '.');
    if (dot && (!strcmp(dot, ".md") || !strcmp(dot, ".txt")))
        return dot;
    return ".txt";
}

/* Was @p c opened from the corpus in @p dir with statements.conf @p m? */
static int opened_from(const posdiff_corpus *c, const char *dir, const char *m, size_t len)
{
    char real[PATH_MAX];

    return realpath(dir, real) && !strcmp(real, c->real_dir) && c->conf_len == len &&
           c->conf_sum == cachesum64(m, len);
}

/*
 * The corpus to check the new statement against, and statements.conf's
 * bytes, read under the lock (*@p m, @p mlen): @p o's open corpus when
 * it was opened from those very bytes (*owned = NULL), else the corpus
 * opened now (*owned, to free).
 */
static int corpus_for_add(const posdiff_corpus **c, posdiff_corpus **owned, char **m,
                          size_t *mlen, const char *dir, const char *conf,
                          const posdiff_add_options *o)
{
    const posdiff_corpus *lent = o->version >= 2 ? o->corpus : NULL;
    int error;

    *owned = NULL;
    if (lent && read_regular_file(m, mlen, conf) == 0 && opened_from(lent, dir, *m, *mlen)) {
        *c = lent;
        return 0;
    }
    free(*m);
    *m = NULL;
    if ((error = posdiff_corpus_open_ext(owned, dir, POSDIFF_CORPUS_OPEN_NO_STAT)) < 0)
        return error;
    if (read_regular_file(m, mlen, conf) < 0 || !opened_from(*owned, dir, *m, *mlen))
        return error_set(POSDIFF_ERROR, "%s: changed while posdiff was reading it; run the "
                         "command again", conf);
    *c = *owned;
    return 0;
}

/* The --strip globs: none empty, none that cannot match what it says. */
static int check_strip(const posdiff_add_options *o)
{
    for (size_t i = 0; o->version >= 3 && i < o->strip_count; i++) {
        const char *g = o->strip[i], *why = g && *g ? corpus_glob_problem(g) : NULL;
        if (!g || !*g)
            return error_set(POSDIFF_EINVALID, "--strip '': empty glob; give the boilerplate "
                             "line to strip, e.g. --strip 'Page * of *'");
        if (why)
            return error_set(POSDIFF_EINVALID, "--strip '%s': the glob %s", g, why);
    }
    return 0;
}

static int check_options(const posdiff_corpus *c, const char *file,
                         const posdiff_add_options *o)
{
    int error = check_strip(o);

    if (error < 0)
        return error;

    if (!o->date)
        error = error_set(POSDIFF_EINVALID, "%s: no --date; give the statement's date as YYYY, YYYY-MM or YYYY-MM-DD", file);
    else if ((error = posdiff_date_parse(NULL, NULL, NULL, o->date)) < 0)
        error_wrap(error, "--date %s", o->date);
    else if (o->id && !posdiff_id_valid(o->id))
        error = error_set(POSDIFF_EINVALID, "--id '%s': invalid id; use at most 128 lower-case letters, digits, '.' and '-' (e.g. 2021-12-14-oewg)", o->id);
    else if (o->id && posdiff_corpus_find(c, o->id))
        error = error_set(POSDIFF_EEXISTS, "--id '%s': a statement with this id exists; choose another id", o->id);
    return error;
}

/* The new statement's raw bytes @p data: valid text (with its strip
 * rules), and new. */
static int check_text(const posdiff_corpus *c, const char *file, const char *data, size_t len,
                      const posdiff_add_options *o)
{
    posdiff_normalize_options no = POSDIFF_NORMALIZE_OPTIONS_INIT;
    posdiff_normalized *n = NULL;
    int error;

    no.path = file;
    no.max_bytes = c->max_bytes;
    if (o->version >= 3) {
        no.strip = o->strip;
        no.strip_count = o->strip_count;
    }
    error = posdiff_normalize(&n, data, len, &no);
    posdiff_normalized_free(n);
    return error < 0 ? error : check_new_content(c, file, data, len);
}

/* ---- an add killed midway ---------------------------------------------- */

/* Does an entry of @p c name the file @p sb (by its inode, so that
 * statements/./x and statements//x are x)?  Yes for an invalid manifest,
 * whose entries are not all known. */
static int named_by_entry(const posdiff_corpus *c, const struct stat *sb)
{
    buf p = BUF_INIT;
    struct stat eb;
    int found = c->count != c->entries;

    for (size_t i = 0; i < c->count && !found; i++) {
        buf_clear(&p);
        buf_printf(&p, "%s/%s", c->dir, c->st[i].file);
        found = buf_ok(&p) == 0 && stat(p.ptr, &eb) == 0 && eb.st_dev == sb->st_dev &&
                eb.st_ino == sb->st_ino;
    }
    buf_free(&p);
    return found;
}

/*
 * An add stages its raw copy as .posdiff/add/<name>, links it to
 * statements/<name>, replaces the manifest, then removes the stage.  A
 * stage still there is an add killed midway: its link in statements/
 * (the same inode) goes unless the manifest names it.  The manifest's
 * own temporary (<manifest>.new.<pid>, manifest.c) goes too.
 */
static int add_recover(const posdiff_corpus *c, const char *stages)
{
    char target[PATH_MAX], *slash;
    struct stat sb, lb;
    struct dirent *e;
    buf p = BUF_INIT;
    DIR *d;
    int error = 0;

    for (d = opendir(stages); d && (e = readdir(d)) && !error;) {
        if (e->d_name[0] == '.')
            continue;
        buf_clear(&p);
        buf_printf(&p, "%s/statements/%s", c->dir, e->d_name);
        if ((error = buf_ok(&p)) < 0)
            break;
        if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
            lstat(p.ptr, &lb) == 0 && lb.st_dev == sb.st_dev && lb.st_ino == sb.st_ino &&
            !named_by_entry(c, &sb) && unlink(p.ptr) < 0)
            error = error_io("%s: left by an add killed midway, cannot be removed", p.ptr);
        unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d)
        closedir(d);
    if (!error && realpath(c->conf_path, target) && (slash = strrchr(target, '/'))) {
        size_t n = strlen(slash + 1);
        *slash = '\0';
        for (d = opendir(target); d && (e = readdir(d));) {
            const char *pid = !strncmp(e->d_name, slash + 1, n) &&
                                      !strncmp(e->d_name + n, ".new.", 5) ? e->d_name + n + 5 : "";
            if (*pid && strspn(pid, "0123456789") == strlen(pid))
                unlinkat(dirfd(d), e->d_name, 0);
        }
        if (d)
            closedir(d);
    }
    buf_free(&p);
    return error;
}

/* ---- the add ------------------------------------------------------------ */

/* Test-only hook: POSDIFF_TEST_KILL_AT=linked (the raw copy in place) or
 * =written (the manifest too, the stage not yet removed) kills the add
 * there, as a SIGKILL from outside would. */
static void test_kill(const char *point)
{
    const char *at = getenv("POSDIFF_TEST_KILL_AT");

    if (at && !strcmp(at, point))
        raise(SIGKILL);
}

/*
 * Write the raw copy @p data to @p dest (staged as @p stage) and the
 * manifest @p m with @p st's section appended; then cache the new
 * manifest's statements.  A kill at any point leaves what add_recover
 * undoes, or the whole entry.
 */
static int write_entry(const posdiff_corpus *c, const char *dir, const char *dest,
                       const char *stage, const char *data, size_t len, const char *m,
                       size_t mlen, const posdiff_statement *st)
{
    buf next = BUF_INIT, scratch = BUF_INIT;
    mfile added;
    int error;

    memset(&added, 0, sizeof(added));
    buf_printf(&scratch, "%s/.posdiff/section.conf", dir);
    buf_put(&next, m, mlen);
    if (mlen && m[mlen - 1] != '\n')
        buf_putc(&next, '\n'); /* as libgit2's writer does */
    if ((error = buf_ok(&scratch)) < 0 || (error = buf_ok(&next)) < 0 ||
        (error = manifest_section(&next, &added, scratch.ptr, st)) < 0)
        goto done;
    if ((error = write_file_staged(dest, stage, data, len)) < 0)
        goto done;
    test_kill("linked");
    if ((error = manifest_replace(c->conf_path, next.ptr, next.len)) < 0)
        unlink(dest);
    else
        corpus_keep_appended(c, &added, next.len, cachesum64(next.ptr, next.len));
    test_kill("written");
    unlink(stage);
done:
    mfile_free(&added);
    buf_free(&next);
    buf_free(&scratch);
    return error;
}

static int add_locked(char **id_out, const char *dir, const char *file,
                      const posdiff_add_options *o)
{
    const posdiff_corpus *c = NULL;
    posdiff_corpus *owned = NULL;
    posdiff_statement st = {0};
    char *data = NULL, *id = NULL, *m = NULL;
    buf rel = BUF_INIT, dest = BUF_INIT, conf = BUF_INIT, stage = BUF_INIT;
    size_t len = 0, mlen = 0;
    int error;

    buf_printf(&conf, "%s/statements.conf", dir);
    buf_printf(&stage, "%s/.posdiff/add", dir);
    if ((error = buf_ok(&conf)) < 0 || (error = buf_ok(&stage)) < 0 ||
        (error = corpus_for_add(&c, &owned, &m, &mlen, dir, conf.ptr, o)) < 0 ||
        (error = add_recover(c, stage.ptr)) < 0 || (error = mkdir_p(stage.ptr)) < 0 ||
        (error = check_options(c, file, o)) < 0)
        goto done;
    if ((error = o->id ? ((id = strdup(o->id)) ? 0 : error_oom()) : derive_id(&id, c, o->date, file)) < 0 ||
        (error = read_file_limited(&data, &len, file, c->max_bytes)) < 0 ||
        (error = check_text(c, file, data, len, o)) < 0)
        goto done;
    buf_printf(&rel, "statements/%s%s", id, extension_of(file));
    buf_printf(&dest, "%s/%s", dir, rel.ptr ? rel.ptr : "");
    buf_printf(&stage, "/%s%s", id, extension_of(file));
    if ((error = buf_ok(&rel)) < 0 || (error = buf_ok(&dest)) < 0 || (error = buf_ok(&stage)) < 0)
        goto done;
    st = (posdiff_statement){.id = id, .file = rel.ptr, .date = o->date, .title = o->title,
                             .venue = o->venue, .speaker = o->speaker, .source = o->source};
    if (o->version >= 3) {
        st.strip = o->strip;
        st.strip_count = o->strip_count;
    }
    if ((error = write_entry(c, dir, dest.ptr, stage.ptr, data, len, m, mlen, &st)) == 0 && id_out) {
        *id_out = id;
        id = NULL;
    }
done:
    posdiff_corpus_free(owned);
    free(data);
    free(id);
    free(m);
    buf_free(&rel);
    buf_free(&dest);
    buf_free(&conf);
    buf_free(&stage);
    return error;
}

/* Take the corpus lock, <dir>/.posdiff/lock. */
static int corpus_lock(file_lock *lock, const char *dir)
{
    buf p = BUF_INIT;
    int error;

    buf_printf(&p, "%s/.posdiff", dir);
    if ((error = buf_ok(&p)) == 0 && (error = mkdir_p(p.ptr)) == 0) {
        buf_puts(&p, "/lock");
        if ((error = buf_ok(&p)) == 0)
            error = lock_acquire(lock, p.ptr, 0, "corpus");
    }
    buf_free(&p);
    return error;
}

int posdiff_corpus_add(char **id_out, const char *dir, const char *file,
                       const posdiff_add_options *opts)
{
    posdiff_add_options defaults = POSDIFF_ADD_OPTIONS_INIT;
    file_lock lock = FILE_LOCK_INIT;
    int error;

    if (opts && opts->version > POSDIFF_ADD_OPTIONS_VERSION)
        return error_set(POSDIFF_EINVALID, "posdiff_add_options version %u is newer than %d; "
                         "initialise it with POSDIFF_ADD_OPTIONS_INIT",
                         opts->version, POSDIFF_ADD_OPTIONS_VERSION);
    if ((error = corpus_lock(&lock, dir)) < 0)
        return error;
    if ((error = posdiff_init()) == 0) { /* once, for the manifests' reads and write */
        error = add_locked(id_out, dir, file, opts ? opts : &defaults);
        posdiff_shutdown();
    }
    lock_release(&lock);
    return error;
}

/* ---- review decisions --------------------------------------------------- */

static int review_locked(const char *dir, const char *position, const posdiff_review *r)
{
    buf path = BUF_INIT, next = BUF_INIT, name = BUF_INIT, value = BUF_INIT, scratch = BUF_INIT;
    char *old = NULL;
    size_t len = 0;
    int error, exists;

    buf_printf(&path, "%s/review.conf", dir);
    buf_printf(&scratch, "%s/.posdiff/section.conf", dir);
    buf_printf(&name, "review.%s.%s", position, posdiff_review_kind_name(r->kind));
    buf_printf(&value, "%s: %s", r->statement, r->text);
    if (r->kind >= POSDIFF_REVIEW_SAME)
        buf_printf(&value, " <- %s: %s", r->old_statement, r->old_text);
    if ((error = buf_ok(&path)) < 0 || (error = buf_ok(&scratch)) < 0 ||
        (error = buf_ok(&name)) < 0 || (error = buf_ok(&value)) < 0)
        goto done;
    exists = read_regular_file(&old, &len, path.ptr) == 0;
    buf_put(&next, old ? old : "", len);
    if (len && old[len - 1] != '\n')
        buf_putc(&next, '\n');
    if ((error = manifest_entry(&next, scratch.ptr, name.ptr, value.ptr)) == 0)
        error = exists ? manifest_replace(path.ptr, next.ptr, next.len)
                       : write_file_atomic(path.ptr, next.ptr, next.len, 0);
done:
    free(old);
    buf_free(&path), buf_free(&next), buf_free(&name), buf_free(&value), buf_free(&scratch);
    return error;
}

int posdiff_corpus_review_add(const char *dir, const char *position, const posdiff_review *r)
{
    file_lock lock = FILE_LOCK_INIT;
    int error = corpus_lock(&lock, dir);

    if (error < 0)
        return error;
    error = review_locked(dir, position, r);
    lock_release(&lock);
    return error;
}
