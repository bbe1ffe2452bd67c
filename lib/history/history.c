/*
 * history.c - build the history repository: one commit per statement.
 *
 * Under <repo>/posdiff.lock: read the branch's first-parent chain
 * (chain.c); hash every statement's inputs (commitmsg.c, raw blob ids
 * through rawhash.c) and keep the longest prefix of commits whose
 * (statement id, input hash) match the corpus; restore the tracker at
 * the last kept commit (resume.c); then per further statement write its
 * normalized text (prepared ahead by normahead.c), step the tracker,
 * write positions/<id>.md for each position it states, and commit.  The
 * new objects are flushed as one pack (pack/pack.h), then the branch
 * moves by compare-and-swap from the tip first read; any failure before
 * that leaves the repository as it was.
 *
 * Test-only hook: POSDIFF_TEST_FAIL_AFTER=k fails the build on purpose
 * after k commits (in memory), before anything reaches the disk.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "chain.h"
#include "fresh.h"
#include "history_index.h"
#include "commitmsg.h"
#include "util/errors.h"
#include "util/fileio.h"
#include "history/pack/pack.h"
#include "util/lock.h"
#include "normahead.h"
#include "rawhash.h"
#include "resume.h"
#include "steplog.h"
#include "posdiff/align.h"
#include "posdiff/history.h"

#define STATEMENTS_DIR "statements"
#define POSITIONS_DIR "positions"
#define FAIL_AFTER_ENV "POSDIFF_TEST_FAIL_AFTER"
#define LOCK_NAME "posdiff.lock"
#define REFLOG_EMAIL "posdiff@statements.invalid"
#define OPEN_FLAGS (GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_NO_DOTGIT)

typedef char input_hex[COMMITMSG_HEX + 1];

/* A tree being edited across commits (see "trees" below). */
typedef struct {
    pack_tree *tree;    /* its body */
    git_oid id;         /* of the body, once written (or loaded) */
    int has;            /* id is valid */
} tree_state;

typedef struct {
    const posdiff_corpus *c;
    const posdiff_build_options *opts; /* never NULL */
    const char *path;                  /* the repository, for messages */
    git_repository *repo;
    pack_writer *pw;
    posdiff_tracker *tracker;
    steplog *steps;                    /* the steps made, for readers (steplog.c) */
    normahead *ahead;                  /* statements normalized ahead (normahead.c) */
    input_hex catalog;                 /* commitmsg_catalog_hash */
    input_hex *inputs;                 /* per statement, corpus order */
    rawhash *raw;                      /* raw files' blob ids (rawhash.c) */
    size_t n;                          /* statements in the corpus */
    git_oid head;                      /* tip of the history being written */
    tree_state stmts;                  /* its statements/ (a tree per year) */
    tree_state pos;                    /* its positions/ */
    pack_tree *root;                   /* its root */
    pack_text **pv;                    /* per position: its file's last version */
    size_t npv;
    int has_head;
    size_t written;                    /* commits written by this build */
    long fail_after;                   /* FAIL_AFTER_ENV, -1 = off */
} builder;

/* ---- opening ----------------------------------------------------------- */

/*
 * 1 if we may create the repository at @p path: it is missing, empty,
 * or holds our lock file (another build is creating it, or one died
 * while creating it: it is then re-initialised under the lock).
 */
static int dir_is_ours(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    int empty = 1, locked = 0;

    if (!d)
        return errno == ENOENT;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, LOCK_NAME))
            locked = 1;
        else if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            empty = 0;
    }
    closedir(d);
    return empty || locked;
}

static int lock_in(file_lock *lock, const builder *b, const char *dir)
{
    size_t n = strlen(dir);
    buf p = BUF_INIT;
    int error;

    buf_printf(&p, "%s%s" LOCK_NAME, dir, n && dir[n - 1] == '/' ? "" : "/");
    if ((error = buf_ok(&p)) == 0)
        error = lock_acquire(lock, p.ptr, b->opts->lock_timeout_ms,
                             "history repository");
    buf_free(&p);
    return error;
}

/*
 * A rebuild replaces commits; the branch's reflog keeps the replaced
 * history reachable (git reflog shows every build, git fsck finds no
 * dangling objects) until git gc expires it.
 */
static int keep_reflog(git_repository *repo, const char *path)
{
    git_config *cfg = NULL;
    int error = 0;

    if (git_repository_config(&cfg, repo) < 0 ||
        git_config_set_bool(cfg, "core.logAllRefUpdates", 1) < 0)
        error = error_git("%s: cannot configure the new history repository", path);
    git_config_free(cfg);
    return error;
}

/* Create the bare repository, under the lock (another build may race us). */
static int repo_create(builder *b, file_lock *lock)
{
    git_repository_init_options io;
    int error;

    if (!dir_is_ours(b->path))
        return error_set(POSDIFF_EINVALID,
                         "%s: exists but is not a git repository posdiff can use (a bare "
                         "one); remove it or give another history path with --repo", b->path);
    if ((error = mkdir_p(b->path)) < 0 || (error = lock_in(lock, b, b->path)) < 0)
        return error;
    if (git_repository_open_ext(&b->repo, b->path, OPEN_FLAGS, NULL) == 0)
        return 0; /* created while we waited for the lock */
    git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
    io.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH;
    io.initial_head = "main";
    if (git_repository_init_ext(&b->repo, b->path, &io) < 0)
        return error_git("%s: cannot create the history repository; check that "
                         "its parent directory is writable", b->path);
    return keep_reflog(b->repo, b->path);
}

/* Open (or create) the repository and take its lock: the path itself
 * (never a work tree's .git inside it, which no reader would open). */
static int repo_open(builder *b, file_lock *lock)
{
    int error = git_repository_open_ext(&b->repo, b->path, OPEN_FLAGS, NULL);

    if (error == GIT_ENOTFOUND)
        error = repo_create(b, lock);
    else if (error < 0)
        return error_git("%s: cannot open the history repository; check its "
                         "permissions or delete it and run posdiff build again",
                         b->path);
    else if (!git_repository_is_bare(b->repo))
        return error_set(POSDIFF_EINVALID, "%s: is not a bare repository (core.bare is "
                         "false); make it bare again with git --git-dir %s config "
                         "core.bare true", b->path, b->path);
    else
        error = lock_in(lock, b, git_repository_path(b->repo));
    /* identity of the reflog entries (not of any object) */
    if (error == 0 && git_repository_set_ident(b->repo, "posdiff", REFLOG_EMAIL) < 0)
        error = error_git("%s: cannot set the reflog identity", b->path);
    return error;
}

/* ---- the old history --------------------------------------------------- */

/* The branch is posdiff's own ref: not a symbolic one, which the
 * compare-and-swap of ref_move could never move. */
static int branch_plain(const builder *b)
{
    git_reference *ref = NULL;
    int error = 0;

    if (git_reference_lookup(&ref, b->repo, POSDIFF_HISTORY_BRANCH) == 0 &&
        git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC)
        error = error_set(POSDIFF_EINVALID, "%s: %s is a symbolic reference to %s; make it "
                          "a branch again with git --git-dir %s update-ref --no-deref %s %s",
                          b->path, POSDIFF_HISTORY_BRANCH, git_reference_symbolic_target(ref),
                          b->path, POSDIFF_HISTORY_BRANCH, git_reference_symbolic_target(ref));
    git_reference_free(ref);
    return error;
}

/* A commit of the chain without posdiff's trailers (made with git) is
 * the user's: an error naming it and the way back, never dropped. */
static int foreign_commit(const builder *b, const chain *old)
{
    char hex[GIT_OID_HEXSZ + 1], to[GIT_OID_HEXSZ + 1];

    for (size_t i = 0; i < old->count; i++) {
        if (old->v[i].id && old->v[i].input[0])
            continue;
        git_oid_tostr(hex, sizeof(hex), &old->v[i].oid);
        if (i == 0)
            return error_set(POSDIFF_EINVALID, "%s: %s has commit %s that posdiff did not "
                             "write; move it to another branch, then delete %s (git "
                             "--git-dir %s update-ref -d %s)", b->path, POSDIFF_HISTORY_BRANCH,
                             hex, POSDIFF_HISTORY_BRANCH, b->path, POSDIFF_HISTORY_BRANCH);
        git_oid_tostr(to, sizeof(to), &old->v[i - 1].oid);
        return error_set(POSDIFF_EINVALID, "%s: %s has commit %s that posdiff did not write; "
                         "move it to another branch, then reset %s to %s (git --git-dir %s "
                         "update-ref %s %s)", b->path, POSDIFF_HISTORY_BRANCH, hex,
                         POSDIFF_HISTORY_BRANCH, to, b->path, POSDIFF_HISTORY_BRANCH, to);
    }
    return 0;
}

/* ---- inputs and the kept prefix ---------------------------------------- */

/*
 * The input hash of every statement.  The raw files' blob ids come
 * from the cache <repo>/posdiff-rawhash when their stat is unchanged
 * (rawhash.c; saved once the build has succeeded), so an incremental
 * build reads only new or changed raw files.
 */
/* The input hash of statement @p i, unless known; with @p read (the
 * blob id of the raw bytes its commit holds the text of) always that. */
static int input_of(builder *b, size_t i, const char *read)
{
    const posdiff_statement *st = posdiff_corpus_statement(b->c, i);
    char raw_hex[GIT_OID_HEXSZ + 1];
    int error;

    if (b->inputs[i][0] && !read)
        return 0;
    if (!b->inputs[i][0] && (error = rawhash_get(b->raw, raw_hex, b->c, st, read)) < 0)
        return error;
    return commitmsg_input_hash_raw(b->inputs[i], st, read ? read : raw_hex, b->catalog);
}

/*
 * The input hashes: all of them when there is an old history, to find
 * how much of it to keep.  A commit written holds the input hash of the
 * raw bytes the worker normalized (write_one; a file may change between
 * two reads), so a first build reads each raw file once.
 */
static int inputs_compute(builder *b, int all)
{
    int error;

    if (!(b->inputs = calloc(b->n ? b->n : 1, sizeof(*b->inputs))))
        return error_oom();
    if ((error = commitmsg_catalog_hash(b->catalog, posdiff_corpus_catalog(b->c))) < 0 ||
        (error = rawhash_open(&b->raw, b->path)) < 0)
        return error;
    for (size_t i = 0; all && i < b->n; i++)
        if ((error = input_of(b, i, NULL)) < 0)
            return error;
    return 0;
}

static size_t prefix_len(const chain *h, const builder *b)
{
    size_t k = 0;

    while (k < h->count && k < b->n) {
        const chain_item *oc = &h->v[k];
        if (!oc->id || strcmp(oc->id, posdiff_corpus_statement(b->c, k)->id) ||
            strcmp(oc->input, b->inputs[k]))
            break;
        k++;
    }
    return k;
}

static void progress(const builder *b, size_t done)
{
    if (b->opts->progress)
        b->opts->progress(done, b->n, b->opts->payload);
}

/* ---- trees ------------------------------------------------------------- */

/*
 * statements/<year>/ is prepared by the thread that normalizes ahead
 * (normahead.c); statements/, positions/ and the root are small and
 * edited here.
 */
static int tree_put(builder *b, tree_state *t)
{
    int error = pack_put_tree(b->pw, &t->id, t->tree);

    if (error == 0)
        t->has = 1;
    return error;
}

/* Read tree @p id of the repository (its raw body) into @p out. */
static int tree_read(git_odb_object **out, const builder *b, const git_oid *id)
{
    git_odb *odb = NULL;
    int error = 0;

    if (git_repository_odb(&odb, b->repo) < 0 || git_odb_read(out, odb, id) < 0)
        error = error_git("%s: cannot read tree %s", b->path, git_oid_tostr_s(id));
    git_odb_free(odb);
    return error;
}

static int tree_load(tree_state *t, const builder *b, const git_oid *id)
{
    git_odb_object *obj = NULL;
    int error;

    pack_tree_free(t->tree);
    t->tree = NULL;
    if ((error = tree_read(&obj, b, id)) == 0)
        error = pack_tree_new(&t->tree, git_odb_object_data(obj), git_odb_object_size(obj));
    git_odb_object_free(obj);
    if (error == 0) {
        git_oid_cpy(&t->id, id);
        t->has = 1;
    }
    return error;
}

/* positions/<id>.md for each position the step restates. */
static int put_positions(builder *b, const posdiff_step *step)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(b->c);
    char *md = NULL, name[160];
    size_t len;
    git_oid blob;
    int error = 0, changed = 0;

    for (size_t i = 0; cat && i < posdiff_catalog_count(cat); i++) {
        if (posdiff_step_status(step, i) == POSDIFF_ENTRY_NOT_RESTATED)
            continue;
        snprintf(name, sizeof(name), "%s.md", posdiff_catalog_position(cat, i)->id);
        if ((error = posdiff_tracker_render(&md, &len, b->tracker, i)) < 0 ||
            (error = pack_put_text(b->pw, &blob, &b->pv[i], md, len)) < 0 ||
            (error = pack_tree_set(b->pos.tree, name, 0, &blob)) < 0)
            goto done;
        free(md);
        md = NULL;
        changed = 1;
    }
    if (changed)
        error = tree_put(b, &b->pos);
done:
    free(md);
    return error;
}

static int put_root(builder *b, git_oid *root)
{
    int error = 0;

    if (b->pos.has)
        error = pack_tree_set(b->root, POSITIONS_DIR, 1, &b->pos.id);
    if (error == 0)
        error = pack_tree_set(b->root, STATEMENTS_DIR, 1, &b->stmts.id);
    return error < 0 ? error : pack_put_tree(b->pw, root, b->root);
}

/* ---- commits ----------------------------------------------------------- */

/* As libgit2 writes a signature line (git_signature__writebuf). */
static void put_sig(buf *out, const char *header, const git_signature *sig)
{
    int offset = sig->when.offset < 0 ? -sig->when.offset : sig->when.offset;
    char sign = (sig->when.offset < 0 || sig->when.sign == '-') ? '-' : '+';

    buf_printf(out, "%s%s <%s> %lld %c%02d%02d\n", header, sig->name, sig->email,
               (long long)sig->when.time, sign, offset / 60, offset % 60); /* 64-bit: past 2106 */
}

/*
 * The commit object, byte for byte as git_commit_create writes it:
 * tree, parent, author, committer, blank line, message.
 */
static int put_commit(builder *b, const posdiff_statement *st, const input_hex input,
                      const git_oid *root)
{
    git_signature *sig = NULL;
    buf msg = BUF_INIT, obj = BUF_INIT;
    git_oid id;
    int error;

    if ((error = commitmsg_signature(&sig, st)) < 0 ||
        (error = commitmsg_build(&msg, st, input)) < 0)
        goto done;
    buf_printf(&obj, "tree %s\n", git_oid_tostr_s(root));
    if (b->has_head)
        buf_printf(&obj, "parent %s\n", git_oid_tostr_s(&b->head));
    put_sig(&obj, "author ", sig);
    put_sig(&obj, "committer ", sig);
    buf_putc(&obj, '\n');
    buf_put(&obj, msg.ptr ? msg.ptr : "", msg.len);
    if ((error = buf_ok(&obj)) < 0 ||
        (error = pack_put(b->pw, &id, GIT_OBJECT_COMMIT, obj.ptr, obj.len)) < 0)
        goto done;
    git_oid_cpy(&b->head, &id);
    b->has_head = 1;
    b->written++;
done:
    buf_free(&msg);
    buf_free(&obj);
    git_signature_free(sig);
    return error;
}

/* Re-set the last error as "<context>: <message>". */
static int wrap_error(int code, const char *context)
{
    char msg[768];

    snprintf(msg, sizeof(msg), "%s", posdiff_error_last());
    return error_set(code, "%s: %s", context, msg);
}

static int blame_statement(int code, const posdiff_statement *st, const char *stage)
{
    buf ctx = BUF_INIT;

    buf_printf(&ctx, "statement \"%s\": %s", st->id, stage);
    code = wrap_error(code, ctx.ptr ? ctx.ptr : stage);
    buf_free(&ctx);
    return code;
}

static int write_one(builder *b, size_t i)
{
    const posdiff_statement *st = posdiff_corpus_statement(b->c, i);
    normahead_item it = NORMAHEAD_ITEM_INIT;
    posdiff_step *step = NULL;
    git_oid root, blob, year;
    int error;

    if ((error = normahead_take(&it, b->ahead, i)) < 0 || (error = input_of(b, i, it.raw)) < 0 ||
        (error = pack_put_object(b->pw, &blob, it.blob)) < 0 ||
        (error = pack_put_object(b->pw, &year, it.tree)) < 0 ||
        (error = pack_tree_set(b->stmts.tree, it.year, 1, &year)) < 0 ||
        (error = tree_put(b, &b->stmts)) < 0)
        goto done;
    if ((error = it.sent_error) < 0 ||
        (error = posdiff_tracker_step(&step, b->tracker, st->id, it.sent, it.nsent)) < 0) {
        error = blame_statement(error, st, "cannot align its positions");
        goto done;
    }
    if ((error = put_positions(b, step)) < 0 || (error = put_root(b, &root)) < 0)
        goto done;
    if ((error = put_commit(b, st, b->inputs[i], &root)) == 0)
        steplog_add(b->steps, &b->head, step);
done:
    posdiff_step_free(step);
    normahead_item_free(&it);
    return error;
}

/* ---- resuming ---------------------------------------------------------- */

static int subtree_id(git_oid *out, const git_tree *root, const char *name)
{
    const git_tree_entry *e = git_tree_entry_byname(root, name);

    if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE)
        return 0;
    git_oid_cpy(out, git_tree_entry_id(e));
    return 1;
}

/* The last year of statements/ (tree @p st) and its tree: 1, 0 if none,
 * -1 if statements/ is not a tree per year. */
static int last_year(char year[5], git_oid *id, const builder *b, const git_oid *st)
{
    git_tree *t = NULL;
    const git_tree_entry *e;
    size_t n;
    int found = -1;

    if (git_tree_lookup(&t, b->repo, st) < 0)
        return -1;
    if ((n = git_tree_entrycount(t)) == 0)
        found = 0;
    else if (git_tree_entry_type(e = git_tree_entry_byindex(t, n - 1)) == GIT_OBJECT_TREE &&
             strlen(git_tree_entry_name(e)) == 4) {
        memcpy(year, git_tree_entry_name(e), 5);
        git_oid_cpy(id, git_tree_entry_id(e));
        found = 1;
    }
    git_tree_free(t);
    return found;
}

/* The trees of commit @p id (tree @p root), and the year's tree the
 * worker thread goes on with from statement @p kept. */
static int resume_trees(builder *b, const git_oid *id, const git_tree *root, size_t kept)
{
    git_odb_object *yt = NULL;
    git_oid id_st, id_pos, id_year;
    char year[5];
    int error = 0, has_year = 0;

    if (subtree_id(&id_st, root, STATEMENTS_DIR) &&
        ((error = tree_load(&b->stmts, b, &id_st)) < 0 ||
         (has_year = last_year(year, &id_year, b, &id_st)) < 0))
        return error < 0 ? error : error_set(POSDIFF_ERROR, "%s: commit %s: statements/ is "
                                             "not a tree per year (a history of another "
                                             "posdiff version?); delete the repository and "
                                             "run posdiff build again", b->path,
                                             git_oid_tostr_s(id));
    if ((subtree_id(&id_pos, root, POSITIONS_DIR) &&
         (error = tree_load(&b->pos, b, &id_pos)) < 0) ||
        (has_year && (error = tree_read(&yt, b, &id_year)) < 0))
        return error;
    error = normahead_start(&b->ahead, b->c, kept, b->n, has_year ? year : NULL,
                            yt ? git_odb_object_data(yt) : NULL,
                            yt ? git_odb_object_size(yt) : 0);
    git_odb_object_free(yt);
    return error;
}

/* Continue after commit @p id: its trees and the tracker state it
 * records (replayed, recording the steps, when the step log lacks some
 * of the first @p kept; covered is how many it has). */
static int resume_at(builder *b, const git_oid *id, size_t covered, size_t kept)
{
    git_commit *commit = NULL;
    git_tree *root = NULL;
    int error = 0;

    if (git_commit_lookup(&commit, b->repo, id) < 0 || git_commit_tree(&root, commit) < 0) {
        error = error_git("%s: cannot read commit %s; delete the repository and "
                          "run posdiff build again", b->path, git_oid_tostr_s(id));
        goto done;
    }
    git_oid_cpy(&b->head, id);
    b->has_head = 1;
    if ((error = resume_trees(b, id, root, kept)) == 0)
        error = resume_tracker(b->tracker, b->repo, b->path, id,
                               b->steps && covered < kept ? b->steps : NULL, covered);
done:
    git_tree_free(root);
    git_commit_free(commit);
    return error;
}

/* ---- writing ----------------------------------------------------------- */

static long fail_after_env(void)
{
    const char *s = getenv(FAIL_AFTER_ENV);
    char *end;
    long v;

    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    return *end || errno || v < 0 ? -1 : v;
}

static int fail_hook(const builder *b)
{
    if (b->fail_after < 0 || b->written != (size_t)b->fail_after)
        return 0;
    return error_set(POSDIFF_ERROR, "%s: build stopped after %zu commits because %s "
                     "is set (a test-only hook); unset it", b->path, b->written,
                     FAIL_AFTER_ENV);
}

/* Commits for statements kept..n-1, in memory; b->head is the new tip. */
static int write_from(builder *b, const chain *old, size_t kept)
{
    const posdiff_catalog *cat = posdiff_corpus_catalog(b->c);
    size_t covered, np = cat ? posdiff_catalog_count(cat) : 0;
    int error;

    if ((error = posdiff_tracker_new(&b->tracker, cat, NULL)) < 0)
        return error;
    if (!(b->pv = calloc(np ? np : 1, sizeof(*b->pv))))
        return error_oom();
    b->npv = np;
    if ((error = pack_tree_new(&b->stmts.tree, NULL, 0)) < 0 ||
        (error = pack_tree_new(&b->pos.tree, NULL, 0)) < 0 ||
        (error = pack_tree_new(&b->root, NULL, 0)) < 0)
        return error;
    steplog_begin(&b->steps, &covered, b->path, b->catalog, old, kept);
    if (kept > 0 ? (error = resume_at(b, &old->v[kept - 1].oid, covered, kept)) < 0
                 : !b->ahead && (error = normahead_start(&b->ahead, b->c, 0, b->n, NULL, NULL, 0)) < 0)
        return error;
    for (size_t i = kept; i < b->n; i++) {
        if ((error = fail_hook(b)) < 0 || (error = write_one(b, i)) < 0)
            return error;
        progress(b, i + 1);
    }
    return fail_hook(b);
}

static int ref_delete(const builder *b, const git_oid *from)
{
    git_reference *ref = NULL;
    int error = 0;

    if (git_reference_lookup(&ref, b->repo, POSDIFF_HISTORY_BRANCH) < 0)
        return error_git("%s: cannot read %s", b->path, POSDIFF_HISTORY_BRANCH);
    if (!git_reference_target(ref) || !git_oid_equal(git_reference_target(ref), from))
        error = error_set(POSDIFF_ERROR, "%s: %s moved during the build; run "
                          "posdiff build again", b->path, POSDIFF_HISTORY_BRANCH);
    else if (git_reference_delete(ref) < 0)
        error = error_git("%s: cannot delete %s", b->path, POSDIFF_HISTORY_BRANCH);
    git_reference_free(ref);
    return error;
}

/*
 * A build killed while libgit2 moved the branch leaves its lock file
 * (<ref>.lock: written, then renamed over the ref).  We hold
 * posdiff.lock, so no other build is moving it: a lock file there is a
 * dead build's, and would fail every later build.  git's lock files
 * name no owner to ask, so this trusts that only posdiff writes the
 * history repository (git commands read it).
 */
static void remove_stale_ref_lock(const builder *b)
{
    buf p = BUF_INIT;

    buf_printf(&p, "%s" POSDIFF_HISTORY_BRANCH ".lock", git_repository_path(b->repo));
    if (buf_ok(&p) == 0)
        unlink(p.ptr);
    buf_free(&p);
}

/* Compare-and-swap the branch from @p from to @p to (either may be NULL). */
static int ref_move(const builder *b, const git_oid *to, const git_oid *from)
{
    git_reference *ref = NULL;
    char msg[96];
    int error = 0;

    remove_stale_ref_lock(b);
    if (!to)
        return from ? ref_delete(b, from) : 0;
    snprintf(msg, sizeof(msg), "posdiff build: %zu commits written", b->written);
    if (git_reference_create_matching(&ref, b->repo, POSDIFF_HISTORY_BRANCH, to,
                                      from != NULL, from, msg) < 0)
        error = error_git("%s: cannot move %s (did another program change it "
                          "during the build?); run posdiff build again",
                          b->path, POSDIFF_HISTORY_BRANCH);
    git_reference_free(ref);
    return error;
}

static void result_fill(posdiff_build_result *out, const builder *b, size_t kept,
                        size_t old_count, const git_oid *to, const git_oid *from)
{
    size_t replaced = old_count - kept;

    out->kept = kept;
    out->total = b->n;
    out->rewritten = b->written < replaced ? b->written : replaced;
    out->appended = b->written - out->rewritten;
    if (to)
        git_oid_tostr(out->head, sizeof(out->head), to);
    if (from)
        git_oid_tostr(out->old_head, sizeof(out->old_head), from);
}

/* Steps 3 and 4 of the opening comment. */
static int update(posdiff_build_result *out, builder *b, const chain *old,
                  size_t kept)
{
    const git_oid *from = old->count ? &old->v[old->count - 1].oid : NULL;
    const git_oid *to = kept ? &old->v[kept - 1].oid : NULL;
    size_t packed;
    int error;

    for (size_t i = 0; i < kept; i++)
        progress(b, i + 1);
    if (kept < b->n) {
        if ((error = pack_writer_new(&b->pw, b->repo, old->count == 0)) < 0 ||
            (error = write_from(b, old, kept)) < 0 ||
            (error = pack_writer_commit(b->pw, &packed)) < 0)
            return error;
        pack_writer_free(b->pw); /* its table of every object, freed early */
        b->pw = NULL;
        to = &b->head;
    }
    if ((to || from) && !(to && from && git_oid_equal(to, from)) &&
        (error = ref_move(b, to, from)) < 0)
        return error;
    if (b->tracker && to)
        resume_save(b->tracker, b->path, to);
    steplog_commit(b->steps);
    result_fill(out, b, kept, old->count, to, from);
    return 0;
}

static void builder_free(builder *b)
{
    normahead_stop(b->ahead);
    steplog_end(b->steps);
    rawhash_free(b->raw);
    pack_writer_free(b->pw);
    pack_tree_free(b->pos.tree);
    pack_tree_free(b->stmts.tree);
    pack_tree_free(b->root);
    for (size_t i = 0; i < b->npv; i++)
        pack_text_free(b->pv[i]);
    free(b->pv);
    if (b->tracker)
        posdiff_tracker_free(b->tracker);
    free(b->inputs);
    git_repository_free(b->repo);
}

int posdiff_history_build(posdiff_build_result *out, const posdiff_corpus *c,
                          const posdiff_build_options *opts)
{
    posdiff_build_options defaults = POSDIFF_BUILD_OPTIONS_INIT;
    file_lock lock = FILE_LOCK_INIT;
    chain old = {0};
    char *path = NULL, *taken = NULL;
    builder b;
    int error;

    memset(out, 0, sizeof(*out));
    if (opts && opts->version != POSDIFF_BUILD_OPTIONS_VERSION)
        return error_set(POSDIFF_EINVALID, "posdiff_build_options version %u is not %d; "
                         "initialise it with POSDIFF_BUILD_OPTIONS_INIT",
                         opts->version, POSDIFF_BUILD_OPTIONS_VERSION);
    memset(&b, 0, sizeof(b));
    b.c = c;
    b.opts = opts ? opts : &defaults;
    b.n = posdiff_corpus_count(c);
    b.fail_after = fail_after_env();
    path = b.opts->repo_path ? strdup(b.opts->repo_path) : posdiff_history_default_path(c);
    if (!(b.path = path)) {
        error = error_oom();
        goto done;
    }
    if ((error = repo_open(&b, &lock)) < 0 || (error = branch_plain(&b)) < 0 ||
        (error = chain_read(&old, b.repo, b.path, 1)) < 0 || (error = foreign_commit(&b, &old)) < 0)
        goto done;
    /* the inputs' stat data before any is read: a change from here on
     * leaves a stamp that no longer matches (fresh.c) */
    if ((error = fresh_take(&taken, c)) < 0)
        goto done;
    /* A first build writes every statement: normalizing can start while
     * the raw files are hashed for the input hashes. */
    if (old.count == 0 && b.n > 0 &&
        (error = normahead_start(&b.ahead, c, 0, b.n, NULL, NULL, 0)) < 0)
        goto done;
    if ((error = inputs_compute(&b, old.count > 0)) < 0)
        goto done;
    if ((error = update(out, &b, &old, prefix_len(&old, &b))) == 0) {
        history_index *x = NULL;
        rawhash_save(b.raw);
        if (out->head[0])
            fresh_save(b.path, out->head, taken);
        /* readers find the chain's index current (a cache: a failure costs them a walk) */
        if (history_index_open(&x, b.repo, b.path) < 0)
            posdiff_error_clear();
        history_index_free(x);
    }
done:
    builder_free(&b);
    chain_free(&old);
    lock_release(&lock);
    free(taken);
    free(path);
    return error;
}
