/*
 * render_shared.c - the content words two passages share, for the
 * highlights of a restated passage and of the sentences it restates.
 *
 * A text is cut into words (runs of letters and digits, any non-ASCII
 * byte counting as a letter; apostrophes, hyphens and everything else
 * separate), each lowered (ASCII) and reduced to its Snowball English
 * stem; function words (the aligner's list, lib/align/words.c) and
 * one-letter words are no content words.  A word of one text is shared
 * when its stem occurs in the other.  Presentation only: nothing here
 * decides an alignment.
 *
 * Cost: a stem is kept as a 64-bit hash (FNV-1a), an index holds a
 * text's words and its sorted stem hashes, so matching is a binary
 * search; the stems of words already seen come from a bounded cache
 * (a merge lists many sources against one passage, a long changelog
 * repeats its vocabulary), so Snowball runs about once per distinct
 * word of the output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "render.h"

#define WORD_MAX 64            /* longer words are stemmed unlowered, uncached */
#define CACHE_BITS 15          /* 32 768 cached stems */
#define CACHE_SIZE (1u << CACHE_BITS)

typedef struct {
    size_t start, len; /* the word in its text */
    uint64_t key;      /* its stem's hash; 0: not a content word */
} word;

struct render_index {
    word *w;
    size_t n;
    uint64_t *keys; /* the content words' keys, sorted */
    size_t nkeys;
};

/* The aligner's function words (lib/align/words.c). */
static const char *const stopwords[] = {
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at",
    "be", "been", "being", "both", "but", "by", "can", "could", "do",
    "does", "each", "etc", "for", "from", "had", "has", "have", "he",
    "her", "his", "i", "if", "in", "into", "is", "it", "its", "may",
    "more", "most", "must", "no", "nor", "not", "of", "on", "or", "our",
    "per", "she", "should", "so", "such", "than", "that", "the", "their",
    "them", "there", "these", "they", "this", "those", "to", "upon", "us",
    "via", "was", "we", "were", "which", "who", "whom", "will", "with",
    "within", "without", "would", "you", "your",
};

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h ? h : 1; /* 0 means "no key" */
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

/* Process-wide state: the stemmer, the stop words' hashes (sorted) and
 * the stem cache (word hash -> stem hash, open addressing, no eviction:
 * when full, words are stemmed each time). */
static struct {
    int ready;
    struct sb_stemmer *stemmer;
    uint64_t stop[sizeof(stopwords) / sizeof(*stopwords)];
    uint64_t *word_of, *stem_of; /* CACHE_SIZE each, or NULL */
    size_t cached;
} g;

static void init(void)
{
    size_t n = sizeof(stopwords) / sizeof(*stopwords);

    g.ready = 1;
    g.stemmer = sb_stemmer_new("english", NULL);
    for (size_t i = 0; i < n; i++)
        g.stop[i] = fnv1a(stopwords[i], strlen(stopwords[i]));
    qsort(g.stop, n, sizeof(*g.stop), cmp_u64);
    g.word_of = calloc(CACHE_SIZE, sizeof(uint64_t));
    g.stem_of = g.word_of ? calloc(CACHE_SIZE, sizeof(uint64_t)) : NULL;
}

/* The stem hash of the lowered word @p low (its hash @p h). */
static uint64_t stem_key(const char *low, size_t n, uint64_t h)
{
    size_t slot = (size_t)(h >> (64 - CACHE_BITS)), probes = 0;
    const sb_symbol *stem;
    uint64_t key;

    for (; g.stem_of && g.word_of[slot] && probes < 8; probes++) {
        if (g.word_of[slot] == h)
            return g.stem_of[slot];
        slot = (slot + 1) & (CACHE_SIZE - 1);
    }
    stem = g.stemmer ? sb_stemmer_stem(g.stemmer, (const sb_symbol *)low, (int)n) : NULL;
    key = stem ? fnv1a((const char *)stem, (size_t)sb_stemmer_length(g.stemmer)) : h;
    if (g.stem_of && !g.word_of[slot] && g.cached < CACHE_SIZE / 2) {
        g.word_of[slot] = h;
        g.stem_of[slot] = key;
        g.cached++;
    }
    return key;
}

/* The key of the word s[0..n), or 0 for a function or one-letter word. */
static uint64_t content_key(const char *s, size_t n)
{
    char buf[WORD_MAX];
    uint64_t h;

    if (n < 2)
        return 0;
    if (n > WORD_MAX) { /* no real word: as it is */
        h = fnv1a(s, n);
        return g.stemmer ? stem_key(s, n, h) : h;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
    h = fnv1a(buf, n);
    if (bsearch(&h, g.stop, sizeof(g.stop) / sizeof(*g.stop), sizeof(*g.stop), cmp_u64))
        return 0;
    return stem_key(buf, n, h);
}

render_index *render_index_new(const char *s, size_t n)
{
    render_index *x = calloc(1, sizeof(*x));
    size_t cap = 0;

    if (!g.ready)
        init();
    for (size_t i = 0; x && i < n;) {
        size_t start;
        if (!is_word_byte((unsigned char)s[i])) {
            i++;
            continue;
        }
        for (start = i; i < n && is_word_byte((unsigned char)s[i]); i++)
            ;
        if (x->n == cap) {
            word *p = realloc(x->w, (cap = cap ? cap * 2 : 32) * sizeof(*p));
            if (!p)
                break;
            x->w = p;
        }
        x->w[x->n] = (word){start, i - start, content_key(s + start, i - start)};
        x->n++;
    }
    if (x && (x->keys = malloc((x->n + 1) * sizeof(*x->keys)))) {
        for (size_t i = 0; i < x->n; i++)
            if (x->w[i].key)
                x->keys[x->nkeys++] = x->w[i].key;
        qsort(x->keys, x->nkeys, sizeof(*x->keys), cmp_u64);
    }
    return x;
}

void render_index_free(render_index *x)
{
    if (!x)
        return;
    free(x->w);
    free(x->keys);
    free(x);
}

/* Whether s[from..to) is spaces only. */
static int spaces_only(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (s[i] != ' ')
            return 0;
    return 1;
}

/* The spans of the words of @p x (in @p s) whose key @p other has;
 * neighbours separated by spaces only make one span ("mass
 * surveillance"). */
static render_span *matching(const char *s, const render_index *x,
                             const render_index *other, size_t *count)
{
    render_span *sp = malloc((x->n + 1) * sizeof(*sp));
    size_t k = 0;

    for (size_t i = 0; sp && other->keys && i < x->n; i++) {
        const word *w = &x->w[i];
        if (!w->key || !bsearch(&w->key, other->keys, other->nkeys, sizeof(uint64_t), cmp_u64))
            continue;
        if (k && spaces_only(s, sp[k - 1].start + sp[k - 1].len, w->start))
            sp[k - 1].len = w->start + w->len - sp[k - 1].start;
        else
            sp[k++] = (render_span){w->start, w->len};
    }
    *count = sp ? k : 0;
    return sp;
}

void render_shared_of(render_shared *out, const char *a, const render_index *xa,
                      const char *b, const render_index *xb)
{
    memset(out, 0, sizeof(*out));
    if (!xa || !xb)
        return;
    out->a = matching(a, xa, xb, &out->na);
    out->b = matching(b, xb, xa, &out->nb);
}

void render_shared_words(render_shared *out, const char *a, size_t alen, const char *b,
                         size_t blen)
{
    render_index *xa = render_index_new(a, alen), *xb = render_index_new(b, blen);

    render_shared_of(out, a, xa, b, xb);
    render_index_free(xa);
    render_index_free(xb);
}

void render_shared_free(render_shared *s)
{
    free(s->a);
    free(s->b);
    memset(s, 0, sizeof(*s));
}
