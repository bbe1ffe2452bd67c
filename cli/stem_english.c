/*
 * stem_english.c - libstemmer's API (libstemmer.h) with the one
 * algorithm posdiff uses, Snowball English in UTF-8, called directly.
 * Linked into the posdiff program only when it links libstemmer.a
 * (cli/meson.build, -Dstatic_deps), where these definitions keep the
 * linker from taking libstemmer.a's dispatcher object (libstemmer.o).
 *
 * Why.  libstemmer.o holds the table of every algorithm in every
 * encoding (29 languages), so linking it links them all: 330 KB of
 * pointer tables that the dynamic loader relocates (a page fault per
 * page) at every start of the program, 0.2 ms of each `posdiff diff`
 * on the benchmark machine.  passages.c asks for "english" in UTF-8 and
 * nothing else.
 *
 * The functions are libstemmer.c's (Snowball 2.x): the same stemmer
 * environment, SN_set_current, the same stem function, the stem
 * terminated in place; so the stems are the same, byte for byte
 * (tests/check_stem_english.c compares them with libstemmer.so's on
 * every word of the shipped corpus).  struct SN_env is Snowball's
 * runtime/api.h, which Debian does not install; cli/meson.build links
 * this file only after a run of it stems known words right.
 */
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

struct SN_env { /* Snowball 2.x runtime/api.h */
    unsigned char *p;
    int c, l, lb, bra, ket;
    unsigned char **S;
    int *I;
};

/* libstemmer.a: stem_UTF_8_english.o and api.o */
struct SN_env *english_UTF_8_create_env(void);
void english_UTF_8_close_env(struct SN_env *z);
int english_UTF_8_stem(struct SN_env *z);
int SN_set_current(struct SN_env *z, int size, const unsigned char *s);

struct sb_stemmer {
    struct SN_env *env;
};

static const char *algorithms[] = {"english", NULL};

const char **sb_stemmer_list(void)
{
    return algorithms;
}

/* "english" (or its ISO 639 codes "en", "eng") in UTF-8; else NULL, as
 * libstemmer says for an algorithm it does not have. */
struct sb_stemmer *sb_stemmer_new(const char *algorithm, const char *charenc)
{
    struct sb_stemmer *s;

    if (!algorithm || (charenc && strcmp(charenc, "UTF_8") != 0) ||
        (strcmp(algorithm, "english") && strcmp(algorithm, "en") &&
         strcmp(algorithm, "eng")))
        return NULL;
    if (!(s = malloc(sizeof(*s))))
        return NULL;
    if (!(s->env = english_UTF_8_create_env())) {
        free(s);
        return NULL;
    }
    return s;
}

void sb_stemmer_delete(struct sb_stemmer *s)
{
    if (!s)
        return;
    english_UTF_8_close_env(s->env);
    free(s);
}

const sb_symbol *sb_stemmer_stem(struct sb_stemmer *s, const sb_symbol *word, int size)
{
    if (SN_set_current(s->env, size, word)) {
        s->env->l = 0;
        return NULL;
    }
    if (english_UTF_8_stem(s->env) < 0)
        return NULL;
    s->env->p[s->env->l] = 0;
    return s->env->p;
}

int sb_stemmer_length(struct sb_stemmer *s)
{
    return s->env->l;
}
