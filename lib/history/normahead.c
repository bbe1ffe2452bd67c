/*
 * normahead.c - normalize statements ahead of the build, in a worker
 * thread (on a machine with more than one processor).
 *
 * The worker normalizes up to DEPTH statements ahead, hashes each blob
 * (and deflates it while LEAD statements ahead, else the build thread
 * does), splits it into sentences and prepares its statements/<year>/
 * tree, while the build thread aligns and writes.  The result, and a
 * normalization error (message and code), reach the build thread exactly
 * when it takes that statement, as if it had normalized it itself.
 */
#include "normahead.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus/corpus_int.h"
#include "util/errors.h"

#define DEPTH 8
#define LEAD 6 /* statements ready ahead of the build thread before the
                  worker also deflates their blobs (file comment) */
#define READ_AHEAD 16 /* raw files the kernel is asked to read ahead */

typedef struct {
    normahead_item it;
    int error;             /* < 0: the statement failed */
    char *message;         /* its message (of it.sent_error too) */
} slot;

struct normahead {
    const posdiff_corpus *c;
    size_t from, to;
    size_t made;           /* statements the worker finished (from..) */
    size_t taken;          /* statements handed out */
    int stop, threaded;
    pack_deflater *z;      /* the taking thread's, when not threaded */
    char year[5];          /* the year of the last statement ("": none yet) */
    pack_tree *tree;       /* statements/<year>/, used by one thread at a time */
    slot ring[DEPTH];
    pthread_t worker;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

void normahead_item_free(normahead_item *it)
{
    posdiff_normalized_free(it->norm);
    pack_object_free(it->blob);
    pack_object_free(it->tree);
    free(it->sent);
    *it = (normahead_item)NORMAHEAD_ITEM_INIT;
}

/* statements/<year>/ with @p it's blob as <@p id>.md, prepared with @p z. */
static int add_to_year(normahead_item *it, normahead *q, const char *id, pack_deflater *z)
{
    char name[1024];
    int error, n = snprintf(name, sizeof(name), "%s.md", id);

    if (n < 0 || (size_t)n >= sizeof(name))
        return error_set(POSDIFF_EINVALID, "statement id \"%.40s...\" is too long", id);
    if (strcmp(it->year, q->year) != 0) { /* statements come in date order */
        if (q->year[0] && strcmp(it->year, q->year) < 0)
            return error_set(POSDIFF_ERROR, "internal error: a statement of %s after one "
                             "of %s", it->year, q->year);
        pack_tree_free(q->tree);
        memcpy(q->year, it->year, sizeof(q->year));
        if ((error = pack_tree_new(&q->tree, NULL, 0)) < 0)
            return error;
    }
    if ((error = pack_tree_set(q->tree, name, 0, pack_object_id(it->blob))) < 0)
        return error;
    return pack_tree_prepare(&it->tree, q->tree, z);
}

/* Statement i into @p s; its blob deflated with @p z, or (z NULL) only
 * hashed, for the taking thread to deflate. */
static void normalize_into(slot *s, normahead *q, size_t i, pack_deflater *z,
                           pack_deflater *tz)
{
    const posdiff_statement *st = posdiff_corpus_statement(q->c, i);
    normahead_item *it = &s->it;
    const char *text;
    size_t len;
    git_oid raw;

    *it = (normahead_item)NORMAHEAD_ITEM_INIT;
    s->message = NULL;
    s->error = corpus_normalize(&it->norm, &raw, q->c, st);
    if (s->error == 0) {
        git_oid_tostr(it->raw, sizeof(it->raw), &raw);
        text = posdiff_normalized_text(it->norm, &len);
        memcpy(it->year, st->date, 4); /* corpus.c: dates start YYYY */
        if ((s->error = pack_prepare(&it->blob, z, GIT_OBJECT_BLOB, text, len)) == 0)
            s->error = add_to_year(it, q, st->id, tz);
        if (s->error == 0)
            it->sent_error = posdiff_doc_sentences(&it->sent, &it->nsent, text, len);
    }
    if (s->error < 0 || it->sent_error < 0)
        s->message = strdup(posdiff_error_last());
}

/* Hand statement @p i to the taking thread (under the lock). */
static void publish(normahead *q, const slot *s, size_t i)
{
    q->ring[i % DEPTH] = *s;
    q->made = i + 1;
    pthread_cond_broadcast(&q->cv);
}

/* The worker: statements from..to-1, at most DEPTH ahead of the taker. */
static void *work(void *arg)
{
    normahead *q = arg;
    pack_deflater *z = pack_deflater_new(); /* NULL: each fails */
    slot s;

    for (size_t i = q->from; i < q->to && i < q->from + READ_AHEAD; i++)
        corpus_prefetch(q->c, posdiff_corpus_statement(q->c, i));
    pthread_mutex_lock(&q->mu);
    for (size_t i = q->from; i < q->to; i++) {
        int ahead;
        while (!q->stop && i - q->taken >= DEPTH)
            pthread_cond_wait(&q->cv, &q->mu);
        if (q->stop)
            break;
        ahead = i - q->taken >= LEAD;
        pthread_mutex_unlock(&q->mu);
        if (i + READ_AHEAD < q->to) /* cold files: the disk works meanwhile */
            corpus_prefetch(q->c, posdiff_corpus_statement(q->c, i + READ_AHEAD));
        normalize_into(&s, q, i, ahead ? z : NULL, z);
        pthread_mutex_lock(&q->mu);
        publish(q, &s, i);
        if (s.error < 0 || s.it.sent_error < 0)
            break; /* the build stops at this statement */
    }
    pthread_mutex_unlock(&q->mu);
    pack_deflater_free(z);
    return NULL;
}

int normahead_start(normahead **out, const posdiff_corpus *c, size_t from, size_t to,
                    const char *year, const char *tree, size_t tree_len)
{
    normahead *q = calloc(1, sizeof(*q));
    int error;

    *out = NULL;
    if (!q)
        return error_oom();
    if (year && (error = pack_tree_new(&q->tree, tree, tree_len)) < 0) {
        free(q);
        return error;
    }
    if (year)
        memcpy(q->year, year, sizeof(q->year));
    q->c = c;
    q->from = q->made = q->taken = from;
    q->to = to;
    if (to - from > 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
        pthread_mutex_init(&q->mu, NULL) == 0) {
        if (pthread_cond_init(&q->cv, NULL) != 0)
            pthread_mutex_destroy(&q->mu);
        else if (pthread_create(&q->worker, NULL, work, q) != 0) {
            pthread_cond_destroy(&q->cv);
            pthread_mutex_destroy(&q->mu);
        } else
            q->threaded = 1;
    }
    *out = q;
    return 0;
}

int normahead_take(normahead_item *it, normahead *q, size_t i)
{
    slot s;

    normahead_item_free(it);
    if (i != q->taken || i >= q->to)
        return error_set(POSDIFF_ERROR, "internal error: statement %zu taken out of order", i);
    if (!q->threaded) {
        if (!q->z && !(q->z = pack_deflater_new()))
            return error_oom();
        normalize_into(&s, q, i, q->z, q->z);
        q->taken = i + 1;
    } else {
        pthread_mutex_lock(&q->mu);
        while (q->made <= i)
            pthread_cond_wait(&q->cv, &q->mu);
        s = q->ring[i % DEPTH];
        memset(&q->ring[i % DEPTH], 0, sizeof(slot));
        q->taken = i + 1;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
    }
    *it = s.it;
    if (s.error < 0 || it->sent_error < 0)
        error_set(s.error < 0 ? s.error : it->sent_error, "%s",
                  s.message ? s.message : "out of memory");
    free(s.message);
    if (s.error < 0)
        normahead_item_free(it);
    return s.error;
}

void normahead_stop(normahead *q)
{
    if (!q)
        return;
    if (q->threaded) {
        pthread_mutex_lock(&q->mu);
        q->stop = 1;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
        pthread_join(q->worker, NULL);
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
    }
    for (size_t k = 0; k < DEPTH; k++) {
        normahead_item_free(&q->ring[k].it);
        free(q->ring[k].message);
    }
    pack_deflater_free(q->z);
    pack_tree_free(q->tree);
    free(q);
}
