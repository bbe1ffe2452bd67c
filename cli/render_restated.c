/*
 * render_restated.c - what every renderer shows of a passage's links
 * beyond its word diff: the statement dates of "was (DATE, ID)", the
 * content words a restated passage shares with what it restates, and,
 * for the text outputs (log, diff, check), the notes and lines that
 * follow a passage:
 *
 *     ≈ New sentence, in full. (revived: not stated since 2020-10-30)
 *         was (2020-10-30, 2020-10-30-first-committee): Old sentence.
 *         also restates (2019-09, 2019-09-oewg-submission): Another one.
 *
 * A weak link (restated) is no word diff: the new sentence is printed
 * whole and its main predecessor on a "was" line; with colour the was
 * line is dim and the content words the two share are bold in both.
 * A merge lists its further sources ("also restates"), whatever the
 * strength of its main link.
 *
 * Shared words: both texts are cut into words (runs of letters and
 * digits; apostrophes and hyphens separate), lowered (ASCII) and
 * reduced to their Snowball English stems; function words ("the",
 * "should", the aligner's list) and one-letter words are left out.  A
 * word is highlighted when its stem occurs in the other text.  This is
 * presentation only: it decides nothing about the alignment.
 */
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "render.h"

#define DIM "\033[2m"
#define BOLD "\033[1m"
#define YELLOW "\033[33m"
#define BOLD_IN_DIM "\033[22;1m" /* bold and dim share one reset (22) */
#define DIM_AGAIN "\033[22;2m"
#define NORMAL "\033[22m"
#define RESET "\033[m"

const char *render_date(const render_dates *d, const char *statement)
{
    return d && d->lookup && statement ? d->lookup(d->payload, statement) : NULL;
}

const char *render_mark(posdiff_passage_status st)
{
    switch (st) {
    case POSDIFF_PASSAGE_ADDED:
        return "+";
    case POSDIFF_PASSAGE_CHANGED:
        return "~";
    case POSDIFF_PASSAGE_UNCHANGED:
        return "=";
    case POSDIFF_PASSAGE_MOVED:
        return ">";
    case POSDIFF_PASSAGE_RESTATED:
        return RENDER_MARK_RESTATED;
    }
    return "?";
}

/* ---- shared words ---- */

/* The aligner's function words (lib/align/words.c), sorted. */
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

typedef struct {
    size_t start, len; /* the word in its text */
    char *key;         /* its stem (malloc'ed), NULL: not a content word */
} word;

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

/* One stemmer for the process (freed at exit by the system). */
static struct sb_stemmer *stemmer(void)
{
    static struct sb_stemmer *st;
    static int tried;

    if (!tried) {
        tried = 1;
        st = sb_stemmer_new("english", NULL);
    }
    return st;
}

/* The stem of s[0..n) when it is a content word, else NULL. */
static char *content_key(const char *s, size_t n)
{
    struct sb_stemmer *st = stemmer();
    const sb_symbol *stem;
    char *low = malloc(n + 1), *key = NULL;
    const char *lp = low;

    if (!low)
        return NULL;
    for (size_t i = 0; i < n; i++)
        low[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
    low[n] = '\0';
    if (n < 2 || bsearch(&lp, stopwords, sizeof(stopwords) / sizeof(*stopwords),
                         sizeof(*stopwords), cmp_cstr)) {
        free(low);
        return NULL;
    }
    if (st && (stem = sb_stemmer_stem(st, (const sb_symbol *)low, (int)n)) &&
        (key = malloc((size_t)sb_stemmer_length(st) + 1))) {
        memcpy(key, stem, (size_t)sb_stemmer_length(st));
        key[sb_stemmer_length(st)] = '\0';
        free(low);
        return key;
    }
    return low; /* no stemmer: the lowered word */
}

/* The words of s[0..n), each with its key. */
static word *words_of(const char *s, size_t n, size_t *count)
{
    word *w = NULL;
    size_t k = 0, cap = 0;

    for (size_t i = 0; i < n;) {
        size_t start;
        if (!is_word_byte((unsigned char)s[i])) {
            i++;
            continue;
        }
        for (start = i; i < n && is_word_byte((unsigned char)s[i]); i++)
            ;
        if (k == cap) {
            word *p = realloc(w, (cap = cap ? cap * 2 : 32) * sizeof(*w));
            if (!p)
                break;
            w = p;
        }
        w[k] = (word){start, i - start, content_key(s + start, i - start)};
        k++;
    }
    *count = k;
    return w;
}

/* The sorted keys of @p w (pointers into it). */
static const char **sorted_keys(const word *w, size_t n, size_t *count)
{
    const char **keys = malloc((n + 1) * sizeof(*keys));
    size_t k = 0;

    for (size_t i = 0; keys && i < n; i++)
        if (w[i].key)
            keys[k++] = w[i].key;
    if (keys)
        qsort(keys, k, sizeof(*keys), cmp_cstr);
    *count = k;
    return keys;
}

/* Whether s[from..to) is spaces only. */
static int spaces_only(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (s[i] != ' ')
            return 0;
    return 1;
}

/* The spans of the words of @p w (in @p s) whose key is among @p keys;
 * neighbours separated by spaces only make one span ("mass surveillance"). */
static render_span *matching(const char *s, const word *w, size_t n, const char **keys,
                             size_t nkeys, size_t *count)
{
    render_span *sp = malloc((n + 1) * sizeof(*sp));
    size_t k = 0;

    for (size_t i = 0; sp && i < n; i++) {
        if (!w[i].key || !bsearch(&w[i].key, keys, nkeys, sizeof(*keys), cmp_cstr))
            continue;
        if (k && spaces_only(s, sp[k - 1].start + sp[k - 1].len, w[i].start))
            sp[k - 1].len = w[i].start + w[i].len - sp[k - 1].start;
        else
            sp[k++] = (render_span){w[i].start, w[i].len};
    }
    *count = k;
    return sp;
}

static void free_words(word *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(w[i].key);
    free(w);
}

void render_shared_words(render_shared *out, const char *a, size_t alen, const char *b,
                         size_t blen)
{
    size_t na = 0, nb = 0, ka = 0, kb = 0;
    word *wa = words_of(a, alen, &na), *wb = words_of(b, blen, &nb);
    const char **keys_a = sorted_keys(wa, na, &ka), **keys_b = sorted_keys(wb, nb, &kb);

    memset(out, 0, sizeof(*out));
    if (keys_a && keys_b) {
        out->a = matching(a, wa, na, keys_b, kb, &out->na);
        out->b = matching(b, wb, nb, keys_a, ka, &out->nb);
    }
    free(keys_a);
    free(keys_b);
    free_words(wa, na);
    free_words(wb, nb);
}

void render_shared_free(render_shared *s)
{
    free(s->a);
    free(s->b);
    memset(s, 0, sizeof(*s));
}

/* ---- text ---- */

/* s[from..to) of the CommonMark line s[0..n), escapes dropped when
 * @p unescape. */
static void put_run(FILE *f, const char *s, size_t n, size_t from, size_t to, int unescape)
{
    size_t run = from;

    for (size_t i = from; unescape && i < to; i++)
        if (s[i] == '\\' && md_is_escape(s, n, i)) {
            fwrite(s + run, 1, i - run, f);
            run = i + 1;
        }
    fwrite(s + run, 1, to - run, f);
}

void render_highlighted(FILE *f, const char *s, size_t n, const render_span *sp,
                        size_t nsp, int color, int dim, int unescape)
{
    size_t done = 0;

    if (color && dim)
        fputs(DIM, f);
    for (size_t k = 0; color && k < nsp; k++) {
        put_run(f, s, n, done, sp[k].start, unescape);
        fputs(dim ? BOLD_IN_DIM : BOLD, f);
        put_run(f, s, n, sp[k].start, sp[k].start + sp[k].len, unescape);
        fputs(dim ? DIM_AGAIN : NORMAL, f);
        done = sp[k].start + sp[k].len;
    }
    put_run(f, s, n, done, n, unescape);
    if (color && dim)
        fputs(RESET, f);
}

void render_restated_text(FILE *f, const posdiff_passage *p, int color, int unescape)
{
    render_shared sh;

    render_shared_words(&sh, p->prev_text, p->prev_len, p->text, p->len);
    render_highlighted(f, p->text, p->len, sh.b, sh.nb, color, 0, unescape);
    render_shared_free(&sh);
}

void render_mark_text(FILE *f, const posdiff_passage *p, int color)
{
    if (color && p->status == POSDIFF_PASSAGE_RESTATED)
        fprintf(f, "    " YELLOW "%s" RESET " ", render_mark(p->status));
    else
        fprintf(f, "    %s ", render_mark(p->status));
}

void render_notes(char *buf, size_t size, const posdiff_passage *p, const render_dates *d)
{
    const char *date = render_date(d, p->prev_statement);
    size_t n = 0;

    buf[0] = '\0';
    if (p->revived && p->prev_statement && !(d && d->anonymous))
        n += (size_t)snprintf(buf, size, " (revived: not stated since %s)",
                              date ? date : p->prev_statement);
    if (n >= size)
        return;
    if (p->link == POSDIFF_LINK_SPLIT)
        snprintf(buf + n, size - n, " (split: shares its predecessor with another passage)");
    else if (p->link == POSDIFF_LINK_MERGE)
        snprintf(buf + n, size - n, " (merged from %zu passages)", p->source_count);
}

void render_notes_text(FILE *f, const posdiff_passage *p, const render_dates *d)
{
    char buf[RENDER_NOTES_MAX];

    render_notes(buf, sizeof(buf), p, d);
    fputs(buf, f);
}

/* "        LABEL (DATE, ID): TEXT" with TEXT's words shared with @p p's
 * text highlighted, the line dim (colour). */
static void source_line(FILE *f, const char *label, const char *statement,
                        const char *text, size_t len, const posdiff_passage *p,
                        const render_dates *d, int color, int unescape)
{
    const char *date = render_date(d, statement);
    render_shared sh;

    fprintf(f, color ? "        " DIM "%s" : "        %s", label);
    if (d && d->anonymous)
        ;
    else if (statement && date)
        fprintf(f, " (%s, %s)", date, statement);
    else if (statement)
        fprintf(f, " (%s)", statement);
    fputs(": ", f); /* still dim: render_highlighted resets at the end */
    render_shared_words(&sh, text, len, p->text, p->len);
    render_highlighted(f, text, len, sh.a, sh.na, color, 1, unescape);
    render_shared_free(&sh);
    fputc('\n', f);
}

void render_sources_text(FILE *f, const posdiff_passage *p, const render_dates *d,
                         int color, int unescape)
{
    if (p->status == POSDIFF_PASSAGE_RESTATED && p->prev_text)
        source_line(f, "was", p->prev_statement, p->prev_text, p->prev_len, p, d, color,
                    unescape);
    for (size_t k = 1; k < p->source_count; k++)
        source_line(f, "also restates", p->sources[k].statement, p->sources[k].text,
                    p->sources[k].len, p, d, color, unescape);
}
