/*
 * check_hist_util.h - small corpora with a built history, for the Check
 * suites of modules that read a history (resolve, blame).
 *
 * hu_corpus() writes statements.conf, positions.conf and the raw files
 * into a fresh temporary directory and builds its history;
 * hu_open() opens corpus and history; hu_close() frees them and removes
 * the directory.
 */
#ifndef POSDIFF_CHECK_HIST_UTIL_H
#define POSDIFF_CHECK_HIST_UTIL_H

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check_util.h"

typedef struct {
    const char *id, *date, *text;
} hu_statement;

typedef struct {
    char *dir;
    posdiff_corpus *corpus;
    posdiff_history *history;
} hu_env;

static inline void hu_write(const char *dir, const char *rel, const char *text)
{
    char *p = NULL;
    FILE *f;

    ck_assert(asprintf(&p, "%s/%s", dir, rel) > 0);
    f = fopen(p, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", p);
    fputs(text, f);
    fclose(f);
    free(p);
}

/* A corpus of @p n statements and @p positions (positions.conf text). */
static inline void hu_open(hu_env *env, const hu_statement *s, size_t n,
                           const char *positions)
{
    char tmpl[] = "/tmp/posdiff-hu-XXXXXX", *conf = NULL, *sd = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&conf, &len);
    posdiff_build_result res;

    ck_assert(mkdtemp(tmpl) != NULL);
    env->dir = strdup(tmpl);
    ck_assert(asprintf(&sd, "%s/statements", env->dir) > 0);
    mkdir(sd, 0755);
    free(sd);
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "statements/%s.txt", s[i].id);
        hu_write(env->dir, rel, s[i].text);
        fprintf(f, "[statement \"%s\"]\n\tfile = %s\n\tdate = %s\n\ttitle = T\n",
                s[i].id, rel, s[i].date);
    }
    fclose(f);
    hu_write(env->dir, "statements.conf", conf);
    hu_write(env->dir, "positions.conf", positions);
    free(conf);
    ck_assert_msg(posdiff_corpus_open(&env->corpus, env->dir) == 0, "open: %s",
                  posdiff_error_last());
    ck_assert_msg(posdiff_history_build(&res, env->corpus, NULL) == 0, "build: %s",
                  posdiff_error_last());
    ck_assert_msg(posdiff_history_open(&env->history, env->corpus, NULL) == 0,
                  "history: %s", posdiff_error_last());
    ck_assert_uint_eq(posdiff_history_count(env->history), n);
}

static inline void hu_close(hu_env *env)
{
    char *cmd = NULL;

    posdiff_history_free(env->history);
    posdiff_corpus_free(env->corpus);
    ck_assert(asprintf(&cmd, "rm -rf '%s'", env->dir) > 0);
    ck_assert(system(cmd) == 0);
    free(cmd);
    free(env->dir);
}

#endif
