/*
 * words.c - the words of a text as stems; stem ids; features.
 *
 * A text is case-folded and compatibility-normalized (utf8proc
 * NFKC_Casefold; ASCII is lowered in place), tokenized (tokenize.h), and
 * every word is split on its inner hyphens, so "single-track" and
 * "single track" give the same words.  A right single quote becomes an
 * apostrophe; each piece is reduced to its Snowball English stem and
 * flagged when it is a function word (the list below).  A stemmer caches
 * every distinct piece it has seen (bounded), so Snowball runs once per
 * word, not once per occurrence.  A passage's features are the sorted
 * ids of its content words (all its words when it has none).
 */
#include "words.h"

#include "posdiff/align.h"

#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "util/errors.h"
#include "util/hashmap.h"
#include "diff/tokenize.h"

static int all_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

/*
 * NFKC_Casefold of non-ASCII s (malloc'ed, NUL-terminated) or NULL on
 * OOM.  ASCII text is not folded here: its fold is its ASCII lower case
 * (no ASCII character decomposes or is default-ignorable), which has the
 * same tokens, so stem_words tokenizes it as it is and lowers each piece.
 */
static char *fold(const char *s, size_t len, size_t *out_len)
{
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s,
                                      (utf8proc_ssize_t)len, &dst,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                          UTF8PROC_IGNORE);
    char *p;

    if (n >= 0) {
        *out_len = (size_t)n;
        return (char *)dst;
    }
    if (n == UTF8PROC_ERROR_NOMEM || !(p = malloc(len + 1)))
        return NULL;
    for (size_t i = 0; i < len; i++)
        p[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    p[len] = '\0';
    *out_len = len;
    return p;
}

static int list_grow(stem_list *l)
{
    size_t cap = l->cap ? l->cap * 2 : 32;
    size_t *off = realloc(l->off, cap * sizeof(*off));
    struct word_entry **ent;
    unsigned char *sp;

    if (!off)
        return error_oom();
    l->off = off;
    if (!(sp = realloc(l->stop, cap)))
        return error_oom();
    l->stop = sp;
    if (!(ent = realloc(l->ent, cap * sizeof(*ent))))
        return error_oom();
    l->ent = ent;
    l->cap = cap;
    return 0;
}

static int list_push(stem_list *l, const char *stem, size_t n, int stop,
                     struct word_entry *e)
{
    int rc;

    if (l->n == l->cap && (rc = list_grow(l)) < 0)
        return rc;
    l->off[l->n] = l->text.len;
    l->ent[l->n] = e;
    l->stop[l->n++] = (unsigned char)stop;
    buf_put(&l->text, stem, n);
    buf_putc(&l->text, '\0');
    return buf_ok(&l->text);
}

/*
 * The word cache (stemmer, words.h): every folded piece a stemmer has
 * seen, with its stem and function-word flag, in a hash map (the result
 * is the same with or without it: Snowball is a pure function of the
 * piece).  An entry is one block: piece bytes, then stem bytes.  At
 * WORD_CACHE_MAX words the cache stops growing; a failed insertion is
 * ignored too.
 */
#define WORD_CACHE_MAX ((size_t)1 << 20)

struct word_entry {
    unsigned char stop; /* a function word */
    uint32_t id;        /* id of the stem in the stemmer's dictionary
                           (feat_build), 0 = not known yet */
    uint32_t fid;       /* stem_list_find_id's answer for ftag */
    const void *ftag;   /* NULL = fid not known yet */
    size_t klen, slen;  /* piece and stem lengths */
    char data[];        /* piece bytes, then stem bytes */
};

/* Remember w[0..k) -> stem s[0..sn), stop (best effort, see above);
 * the entry, or NULL when not cached. */
static struct word_entry *cache_add(stemmer *st, const char *w, size_t k, const char *s,
                                    size_t sn, int stop)
{
    struct word_entry *e;

    if (st->words.n >= WORD_CACHE_MAX || !(e = malloc(sizeof(*e) + k + sn)))
        return NULL;
    *e = (struct word_entry){(unsigned char)stop, 0, 0, NULL, k, sn};
    memcpy(e->data, w, k);
    memcpy(e->data + k, s, sn);
    if (hashmap_put(&st->words, e->data, k, e) < 0) {
        posdiff_error_clear();
        free(e);
        return NULL;
    }
    return e;
}

int stemmer_init(stemmer *st)
{
    *st = (stemmer){NULL, HASHMAP_INIT};
    if (!(st->sb = sb_stemmer_new("english", NULL)))
        return error_oom();
    return 0;
}

void stemmer_forget_ids(stemmer *st)
{
    for (size_t i = 0; i < st->words.cap; i++)
        if (st->words.slot[i].key)
            ((struct word_entry *)st->words.slot[i].value)->id = 0;
}

void stemmer_free(stemmer *st)
{
    for (size_t i = 0; i < st->words.cap; i++)
        if (st->words.slot[i].key)
            free(st->words.slot[i].value);
    hashmap_free(&st->words);
    if (st->sb)
        sb_stemmer_delete(st->sb);
    *st = (stemmer){NULL, HASHMAP_INIT};
}

/* The folded piece p[0..n) into w (NUL-terminated; at most 255 bytes
 * kept): U+2019 becomes an apostrophe; @p lower: p is unfolded ASCII,
 * lowered here.  Returns its length. */
static size_t piece_key(char *w, const char *p, size_t n, int lower)
{
    size_t k = 0;

    if (lower) {
        for (; k < n && k < 255; k++)
            w[k] = (p[k] >= 'A' && p[k] <= 'Z') ? (char)(p[k] + 32) : p[k];
        w[k] = '\0';
        return k;
    }
    for (size_t i = 0; i < n && k < 255; i++) {
        if (i + 2 < n && memcmp(p + i, "\xE2\x80\x99", 3) == 0) {
            w[k++] = '\'';
            i += 2;
        } else {
            w[k++] = p[i];
        }
    }
    w[k] = '\0';
    return k;
}

/* Stem one hyphen-free piece p[0..n) (n < 256 bytes kept; longer cut). */
static int add_piece(stem_list *l, stemmer *st, const char *p, size_t n,
                     int lower)
{
    char w[256];
    size_t k = piece_key(w, p, n, lower);
    struct word_entry *e = hashmap_get(&st->words, w, k);
    const sb_symbol *s;
    int stop;

    if (e)
        return list_push(l, e->data + e->klen, e->slen, e->stop, e);
    if (!(s = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)k)))
        return error_oom();
    stop = token_is_function_word(w, k);
    e = cache_add(st, w, k, (const char *)s, (size_t)sb_stemmer_length(st->sb), stop);
    return list_push(l, (const char *)s, (size_t)sb_stemmer_length(st->sb),
                     stop, e);
}

/* Length of a hyphen at p (0 if none): - U+2010 U+2011. */
static size_t hyphen_len(const char *p, size_t n)
{
    if (n >= 1 && p[0] == '-')
        return 1;
    if (n >= 3 && memcmp(p, "\xE2\x80", 2) == 0 &&
        (p[2] == '\x90' || p[2] == '\x91'))
        return 3;
    return 0;
}

static int add_word(stem_list *l, stemmer *st, const char *w, size_t n,
                    int lower)
{
    size_t start = 0, i = 0, h;
    int rc;

    while (i < n) {
        if ((h = hyphen_len(w + i, n - i)) == 0) {
            i++;
            continue;
        }
        if (i > start &&
            (rc = add_piece(l, st, w + start, i - start, lower)) < 0)
            return rc;
        i += h;
        start = i;
    }
    return i > start ? add_piece(l, st, w + start, i - start, lower) : 0;
}

/* The words of the folded text f[0..n) (@p lower: f is unfolded ASCII). */
static int add_words(stem_list *out, stemmer *st, const char *f, size_t n,
                     int lower)
{
    size_t pos = 0, start, wlen;
    int rc = 0;

    while (rc == 0 && tokenize_next_word(f, n, &pos, &start, &wlen))
        rc = add_word(out, st, f + start, wlen, lower);
    return rc;
}

int stem_words(stem_list *out, stemmer *st, const char *s, size_t len)
{
    size_t flen;
    char *f;
    int rc;

    out->n = 0;
    buf_clear(&out->text);
    if (all_ascii(s, len))
        return add_words(out, st, s, len, 1);
    if (!(f = fold(s, len, &flen)))
        return error_oom();
    rc = add_words(out, st, f, flen, 0);
    free(f);
    return rc;
}

void stem_list_free(stem_list *l)
{
    buf_free(&l->text);
    free(l->off);
    free(l->stop);
    free(l->ent);
    *l = (stem_list)STEM_LIST_INIT;
}

int stem_dict_intern(stem_dict *d, const char *s, uint32_t *id)
{
    size_t n = strlen(s);
    char *key, **v;
    int rc;

    if ((*id = stem_dict_find(d, s)))
        return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 256;
        if (!(v = realloc(d->by_id, (cap + 1) * sizeof(*v))))
            return error_oom();
        d->by_id = v;
        d->cap = cap;
    }
    if (!(key = strdup(s)))
        return error_oom();
    if ((rc = hashmap_put(&d->map, key, n, (void *)(uintptr_t)(d->n + 1))) < 0) {
        free(key);
        return rc;
    }
    d->by_id[++d->n] = key;
    *id = (uint32_t)d->n;
    return 0;
}

uint32_t stem_dict_find(const stem_dict *d, const char *s)
{
    return (uint32_t)(uintptr_t)hashmap_get(&d->map, s, strlen(s));
}

void stem_dict_free(stem_dict *d)
{
    for (size_t i = 1; i <= d->n; i++)
        free(d->by_id[i]);
    free(d->by_id);
    hashmap_free(&d->map);
    *d = (stem_dict)STEM_DICT_INIT;
}

static int cmp_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int feat_build(feat *out, const stem_list *l, stem_dict *d)
{
    size_t content = 0;
    int rc;

    *out = (feat)FEAT_INIT;
    for (size_t k = 0; k < l->n; k++)
        content += !l->stop[k];
    if (l->n == 0)
        return 0;
    if (!(out->ids = malloc(l->n * sizeof(*out->ids))))
        return error_oom();
    for (size_t k = 0; k < l->n; k++) {
        struct word_entry *e = l->ent[k];
        if (content && l->stop[k])
            continue;
        if (e && e->id) {
            out->ids[out->n++] = e->id;
            continue;
        }
        if ((rc = stem_dict_intern(d, stem_at(l, k), &out->ids[out->n++])) < 0)
            return rc;
        if (e)
            e->id = out->ids[out->n - 1];
    }
    qsort(out->ids, out->n, sizeof(*out->ids), cmp_id);
    return 0;
}

uint32_t stem_list_find_id(const stem_list *l, size_t k, const stem_dict *d,
                           const void *tag)
{
    struct word_entry *e = l->ent[k];

    if (!e)
        return stem_dict_find(d, stem_at(l, k));
    if (e->ftag != tag) {
        e->fid = stem_dict_find(d, stem_at(l, k));
        e->ftag = tag;
    }
    return e->fid;
}

void feat_free(feat *f)
{
    free(f->ids);
    *f = (feat)FEAT_INIT;
}

int feat_copy(feat *dst, const feat *src)
{
    *dst = (feat)FEAT_INIT;
    if (src->n == 0)
        return 0;
    if (!(dst->ids = malloc(src->n * sizeof(*dst->ids))))
        return error_oom();
    memcpy(dst->ids, src->ids, src->n * sizeof(*dst->ids));
    dst->n = src->n;
    return 0;
}

/* A merge without branches on the ids (they are unpredictable): each
 * step advances the lower side, or both on a match. */
size_t feat_overlap(const feat *a, const feat *b)
{
    size_t i = 0, j = 0, n = 0;

    while (i < a->n && j < b->n) {
        uint32_t x = a->ids[i], y = b->ids[j];
        n += x == y;
        i += x <= y;
        j += y <= x;
    }
    return n;
}

/* The content stems of b into @p set (keys point into @p l). */
static int content_stems(hashmap *set, stem_list *l, stemmer *st, const char *b, size_t blen)
{
    int rc = stem_words(l, st, b, blen);

    for (size_t k = 0; k < l->n && rc == 0; k++)
        if (!l->stop[k])
            rc = hashmap_put(set, stem_at(l, k), strlen(stem_at(l, k)), (void *)1);
    return rc;
}

/* Whether the word w[0..n) has a content piece whose stem is in @p set. */
static int word_shared(int *hit, stem_list *l, stemmer *st, const hashmap *set,
                       const char *w, size_t n)
{
    int rc = stem_words(l, st, w, n);

    *hit = 0;
    for (size_t k = 0; k < l->n && rc == 0 && !*hit; k++)
        *hit = !l->stop[k] && hashmap_get(set, stem_at(l, k), strlen(stem_at(l, k)));
    return rc;
}

static int only_spaces(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (s[i] != ' ')
            return 0;
    return 1;
}

int posdiff_shared_words(posdiff_span **out, size_t *count, const char *a, size_t alen,
                         const char *b, size_t blen)
{
    stem_list lb = STEM_LIST_INIT, lw = STEM_LIST_INIT;
    hashmap set = HASHMAP_INIT;
    size_t pos = 0, start, wlen, cap = 0;
    stemmer st;
    int rc, hit;

    *out = NULL;
    *count = 0;
    if ((rc = stemmer_init(&st)) == 0)
        rc = content_stems(&set, &lb, &st, b ? b : "", b ? blen : 0);
    while (rc == 0 && a && tokenize_next_word(a, alen, &pos, &start, &wlen)) {
        if ((rc = word_shared(&hit, &lw, &st, &set, a + start, wlen)) < 0 || !hit)
            continue;
        if (*count && only_spaces(a, (*out)[*count - 1].end, start)) {
            (*out)[*count - 1].end = start + wlen; /* one run: "mass surveillance" */
            continue;
        }
        if (*count == cap) {
            posdiff_span *v = realloc(*out, (cap = cap ? 2 * cap : 16) * sizeof(*v));
            if (!v) {
                rc = error_oom();
                break;
            }
            *out = v;
        }
        (*out)[(*count)++] = (posdiff_span){start, start + wlen};
    }
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    hashmap_free(&set);
    stem_list_free(&lb);
    stem_list_free(&lw);
    stemmer_free(&st);
    return rc;
}
