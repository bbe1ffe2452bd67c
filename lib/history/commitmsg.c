/*
 * commitmsg.c - identity, message and input hash of a history commit.
 *
 * Everything here derives from the manifest entry, the raw bytes, the
 * catalog and the posdiff version only: no clock, no locale (ASCII-only
 * case mapping), no paths outside the corpus, no git config.
 *
 * Sanitizing: git identities may not hold '<', '>' or line breaks, and
 * a message line may not be split by one, so every control character
 * (and, in identities, angle brackets) becomes a space, runs of
 * whitespace collapse to one and both ends are trimmed.
 *
 * The input hash is the id git gives a blob (git_odb_hash) of a canonical,
 * length-prefixed serialization: "name len\n<bytes>\n" per field, with
 * "name -\n" for an absent field, so no two different inputs serialize
 * alike.  The raw file enters as its own blob id and the catalog as
 * the hash of its serialization (computed once per build).
 */
#include "commitmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/errors.h"

#define EMAIL_DOMAIN "statements.invalid"
#define SLUG_MAX 64

/* Append @p s sanitized (see the opening comment). */
static void put_clean(buf *out, const char *s, int ident)
{
    size_t start = out->len;
    int space = 1; /* trims leading blanks */

    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        int blank = ch < 0x20 || ch == 0x7f || ch == ' ' ||
                    (ident && (ch == '<' || ch == '>'));
        if (blank) {
            if (!space)
                buf_putc(out, ' ');
            space = 1;
        } else {
            buf_putc(out, (char)ch);
            space = 0;
        }
    }
    if (out->len > start && out->ptr[out->len - 1] == ' ')
        out->ptr[--out->len] = '\0';
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

static void put_slug(buf *out, const char *name)
{
    size_t n = 0;
    int dash = 0;

    for (const char *p = name; *p && n < SLUG_MAX; p++) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
            if (dash && n > 0 && n + 1 < SLUG_MAX) {
                buf_putc(out, '-');
                n++;
            }
            buf_putc(out, ch);
            n++;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    if (n == 0)
        buf_puts(out, "posdiff");
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long days_from_civil(int y, int m, int d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Speaker, else venue, else "posdiff": the first that git accepts
 * (git trims these characters from both ends and refuses an empty name). */
static int identity_name(buf *name, const posdiff_statement *st)
{
    const char *from[] = {st->speaker, st->venue, "posdiff"};

    for (size_t i = 0; i < 3; i++) {
        buf_clear(name);
        put_clean(name, from[i], 1);
        if (name->len > strspn(name->ptr ? name->ptr : "", " .,:;\"\\'"))
            break;
    }
    return buf_ok(name);
}

int commitmsg_signature(git_signature **out, const posdiff_statement *st)
{
    buf name = BUF_INIT, email = BUF_INIT;
    int y, m, d, error;

    if ((error = posdiff_date_parse(&y, &m, &d, st->date)) < 0)
        return error;
    if ((error = identity_name(&name, st)) < 0)
        goto done;
    put_slug(&email, name.ptr);
    buf_puts(&email, "@" EMAIL_DOMAIN);
    if ((error = buf_ok(&email)) < 0)
        goto done;
    if (git_signature_new(out, name.ptr, email.ptr,
                          (git_time_t)days_from_civil(y, m, d) * 86400, 0) < 0)
        error = error_git("statement \"%s\": cannot make the identity \"%s\"; "
                          "change its speaker or venue in statements.conf",
                          st->id, name.ptr);
done:
    buf_free(&name);
    buf_free(&email);
    return error;
}

static void put_trailer(buf *out, const char *key, const char *value)
{
    size_t mark = out->len;

    if (!nonempty(value))
        return;
    buf_printf(out, "%s: ", key);
    size_t body = out->len;
    put_clean(out, value, 0);
    if (out->len == body) { /* only blanks: omit the trailer */
        out->len = mark;
        if (out->ptr)
            out->ptr[mark] = '\0';
        return;
    }
    buf_putc(out, '\n');
}

int commitmsg_build(buf *out, const posdiff_statement *st, const char *input_hex)
{
    size_t start = out->len;

    put_clean(out, st->title, 0);
    if (out->len == start)
        buf_puts(out, st->id);
    buf_puts(out, "\n\n");
    put_trailer(out, "Statement-Id", st->id);
    put_trailer(out, "Date", st->date);
    put_trailer(out, "Venue", st->venue);
    put_trailer(out, "Source", st->source);
    put_trailer(out, "Posdiff-Input", input_hex);
    return buf_ok(out);
}

static int is_hex40(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");
    return n == COMMITMSG_HEX && s[n] == '\0';
}

int commitmsg_parse(char **id, char input[COMMITMSG_HEX + 1], const char *message)
{
    git_message_trailer_array arr = {0};

    *id = NULL;
    input[0] = '\0';
    if (git_message_trailers(&arr, message) < 0)
        return 0; /* not ours: the prefix match stops here */
    for (size_t i = 0; i < arr.count; i++) {
        const git_message_trailer *t = &arr.trailers[i];
        if (!strcmp(t->key, "Statement-Id") && !*id) {
            if (!(*id = strdup(t->value))) {
                git_message_trailer_array_free(&arr);
                return error_oom();
            }
        } else if (!strcmp(t->key, "Posdiff-Input") && is_hex40(t->value)) {
            memcpy(input, t->value, COMMITMSG_HEX + 1);
        }
    }
    git_message_trailer_array_free(&arr);
    return 0;
}

/*
 * The serializations below are written through a sink into a buffer on
 * the stack; one that does not fit is only counted there, then written
 * again into a buffer of exactly its size.  An incremental build hashes
 * every statement's inputs, so no allocation per field or statement.
 */
typedef struct {
    char *p;    /* where the bytes go */
    size_t len; /* bytes put so far (also past cap: then only counted) */
    size_t cap; /* bytes p holds */
} sink;

static inline void sink_put(sink *s, const char *data, size_t n)
{
    if (s->len + n <= s->cap)
        memcpy(s->p + s->len, data, n);
    s->len += n;
}

/* " <n>\n" without printf: one is written per field, ten per statement. */
static inline void put_num(sink *out, size_t n)
{
    char tmp[24];
    size_t k = sizeof(tmp);

    tmp[--k] = '\n';
    do {
        tmp[--k] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    tmp[--k] = ' ';
    sink_put(out, tmp + k, sizeof(tmp) - k);
}

/* "<name> <len>\n<value>\n", or "<name> -\n" for NULL (@p nlen: name's length). */
static inline void put_str_n(sink *out, const char *name, size_t nlen, const char *value)
{
    size_t len;

    sink_put(out, name, nlen);
    if (!value) {
        sink_put(out, " -\n", 3);
        return;
    }
    len = strlen(value);
    put_num(out, len);
    sink_put(out, value, len);
    sink_put(out, "\n", 1);
}

/* The field names are literals: their lengths are known at compile time. */
#define put_count(out, name, n) (sink_put((out), (name), sizeof(name) - 1), put_num((out), (n)))
#define put_str(out, name, value) put_str_n((out), (name), sizeof(name) - 1, (value))

/* The blob id of @p data as hex. */
static int blob_hex(char out[COMMITMSG_HEX + 1], const char *data, size_t len)
{
    git_oid id;

    if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) < 0)
        return error_git("cannot hash an object");
    git_oid_tostr(out, COMMITMSG_HEX + 1, &id);
    return 0;
}

typedef void (*serializer)(sink *out, const void *what);

/* The blob id (hex) of what @p put serializes from @p what. */
static int hash_serialized(char out[COMMITMSG_HEX + 1], serializer put, const void *what)
{
    char small[2048];
    sink w = {small, 0, sizeof(small)};
    int error;

    put(&w, what);
    if (w.len > w.cap) {
        if (!(w.p = malloc(w.len)))
            return error_oom();
        w.cap = w.len;
        w.len = 0;
        put(&w, what);
    }
    error = blob_hex(out, w.p, w.len);
    if (w.p != small)
        free(w.p);
    return error;
}

static void put_catalog(sink *b, const void *what)
{
    const posdiff_catalog *cat = what;
    size_t n = cat ? posdiff_catalog_count(cat) : 0;

    sink_put(b, "posdiff-catalog 2\n", 18);
    put_count(b, "positions", n);
    for (size_t i = 0; i < n; i++) {
        const posdiff_position *p = posdiff_catalog_position(cat, i);
        put_str(b, "id", p->id);
        put_str(b, "title", p->title);
        put_count(b, "match", p->match_count);
        for (size_t k = 0; k < p->match_count; k++)
            put_str(b, "phrase", p->match[k]);
        put_count(b, "exclude", p->exclude_count);
        for (size_t k = 0; k < p->exclude_count; k++)
            put_str(b, "phrase", p->exclude[k]);
        put_count(b, "example", p->example_count);
        for (size_t k = 0; k < p->example_count; k++)
            put_str(b, "sentence", p->example[k]);
        if (p->review_count) /* from review.conf; none: the hash of a catalog without it */
            put_count(b, "review", p->review_count);
        for (size_t k = 0; k < p->review_count; k++) {
            put_count(b, "kind", p->review[k].kind);
            put_str(b, "statement", p->review[k].statement);
            put_str(b, "sentence", p->review[k].text);
            put_str(b, "statement", p->review[k].old_statement);
            put_str(b, "sentence", p->review[k].old_text);
        }
    }
}

int commitmsg_catalog_hash(char out[COMMITMSG_HEX + 1], const posdiff_catalog *cat)
{
    return hash_serialized(out, put_catalog, cat);
}

static void put_manifest(sink *b, const posdiff_statement *st)
{
    put_str(b, "id", st->id);
    put_str(b, "file", st->file);
    put_str(b, "date", st->date);
    put_str(b, "title", st->title);
    put_str(b, "venue", st->venue);
    put_str(b, "speaker", st->speaker);
    put_str(b, "source", st->source);
    put_count(b, "strip", st->strip_count);
    for (size_t k = 0; k < st->strip_count; k++)
        put_str(b, "rule", st->strip[k]);
}

/* What commitmsg_input_hash_raw hashes. */
typedef struct {
    const posdiff_statement *st;
    const char *raw_hex, *catalog_hex;
} input_parts;

static void put_input(sink *b, const void *what)
{
    const input_parts *in = what;

    /* 3: the aligner of weak and strong links (lib/align); a history
     * built by an earlier one is rewritten whole by the next build */
    sink_put(b, "posdiff-input 3\n", 16);
    put_str(b, "version", POSDIFF_VERSION);
    put_manifest(b, in->st);
    put_str(b, "raw", in->raw_hex);
    put_str(b, "catalog", in->catalog_hex);
}

int commitmsg_raw_hex(char out[GIT_OID_HEXSZ + 1], const posdiff_corpus *c,
                      const posdiff_statement *st)
{
    char *raw = NULL;
    size_t len = 0;
    int error;

    if ((error = posdiff_corpus_read(&raw, &len, c, st)) < 0)
        return error;
    error = blob_hex(out, raw, len);
    free(raw);
    return error;
}

int commitmsg_input_hash(char out[COMMITMSG_HEX + 1], const posdiff_corpus *c,
                         const posdiff_statement *st, const char *catalog_hex)
{
    char raw_hex[GIT_OID_HEXSZ + 1];
    int error;

    if ((error = commitmsg_raw_hex(raw_hex, c, st)) < 0)
        return error;
    return commitmsg_input_hash_raw(out, st, raw_hex, catalog_hex);
}

int commitmsg_input_hash_raw(char out[COMMITMSG_HEX + 1],
                             const posdiff_statement *st, const char *raw_hex,
                             const char *catalog_hex)
{
    input_parts in = {st, raw_hex, catalog_hex};

    return hash_serialized(out, put_input, &in);
}
