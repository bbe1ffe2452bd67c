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
 * The input hash is a SHA-1 (git_odb_hash of a blob) over a canonical,
 * length-prefixed serialization: "name len\n<bytes>\n" per field, with
 * "name -\n" for an absent field, so no two different inputs serialize
 * alike.  The raw file enters as its own blob id and the catalog as
 * the hash of its serialization (computed once per build).
 */
#include "commitmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"

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

/* "<name> <n>\n" without printf: one is written per field, ten per statement. */
static void put_count(buf *out, const char *name, size_t n)
{
    char tmp[64], *p = tmp + sizeof(tmp);
    size_t len = strlen(name);

    *--p = '\n';
    do {
        *--p = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    *--p = ' ';
    if (len > (size_t)(p - tmp)) {
        buf_puts(out, name);
        len = 0;
    }
    memcpy(p - len, name, len);
    p -= len;
    buf_put(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void put_field(buf *out, const char *name, const char *value, size_t len)
{
    if (!value) {
        buf_puts(out, name);
        buf_put(out, " -\n", 3);
        return;
    }
    put_count(out, name, len);
    buf_put(out, value, len);
    buf_putc(out, '\n');
}

static void put_str(buf *out, const char *name, const char *value)
{
    put_field(out, name, value, value ? strlen(value) : 0);
}

static int hash_buf(char out[COMMITMSG_HEX + 1], const buf *b)
{
    git_oid oid;
    int error;

    if ((error = buf_ok(b)) < 0)
        return error;
    if (git_odb_hash(&oid, b->ptr ? b->ptr : "", b->len, GIT_OBJECT_BLOB) < 0)
        return error_git("cannot hash the build inputs");
    git_oid_tostr(out, COMMITMSG_HEX + 1, &oid);
    return 0;
}

int commitmsg_catalog_hash(char out[COMMITMSG_HEX + 1], const posdiff_catalog *cat)
{
    buf b = BUF_INIT;
    size_t n = cat ? posdiff_catalog_count(cat) : 0;
    int error;

    buf_printf(&b, "posdiff-catalog 1\npositions %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const posdiff_position *p = posdiff_catalog_position(cat, i);
        put_str(&b, "id", p->id);
        put_str(&b, "title", p->title);
        buf_printf(&b, "match %zu\n", p->match_count);
        for (size_t k = 0; k < p->match_count; k++)
            put_str(&b, "phrase", p->match[k]);
    }
    error = hash_buf(out, &b);
    buf_free(&b);
    return error;
}

static void put_manifest(buf *b, const posdiff_statement *st)
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

int commitmsg_raw_hex(char out[GIT_OID_HEXSZ + 1], const posdiff_corpus *c,
                      const posdiff_statement *st)
{
    char *raw = NULL;
    size_t len = 0;
    git_oid oid;
    int error;

    if ((error = posdiff_corpus_read(&raw, &len, c, st)) < 0)
        return error;
    if (git_odb_hash(&oid, raw, len, GIT_OBJECT_BLOB) < 0)
        error = error_git("%s: cannot hash the raw statement", st->file);
    else
        git_oid_tostr(out, GIT_OID_HEXSZ + 1, &oid);
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
    buf b = BUF_INIT;
    int error;

    buf_puts(&b, "posdiff-input 1\n");
    put_str(&b, "version", POSDIFF_VERSION);
    put_manifest(&b, st);
    put_str(&b, "raw", raw_hex);
    put_str(&b, "catalog", catalog_hex);
    error = hash_buf(out, &b);
    buf_free(&b);
    return error;
}
