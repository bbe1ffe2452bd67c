/*
 * cmd_report.c - posdiff report [-o DIR] [POSITION...] [--since D] [--until D]
 *
 * Writes the position histories as a static site: index.html (a matrix
 * of statements by positions, grouped by year, and a chart per
 * position of how much its wording changed), positions/<id>.html (every
 * statement's entry, newest first) and statements/<id>.html (the
 * normalized statement, its passages highlighted); over YEAR_PAGES
 * statements the matrix moves to years/<year>.html pages.  Plain HTML
 * and one stylesheet: no script, nothing fetched.
 *
 * The site is written into DIR.new.<pid> and renamed into place, so a
 * failure leaves the previous report as it was; an existing DIR is
 * replaced only when it holds a report (.posdiff-report) or nothing.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "render.h"
#include "render_html.h"
#include "report.h"
#include "spool.h"

#define YEAR_PAGES 400 /* statements beyond which the matrix pages by year */
#define CHART_BARS 200 /* bars of a chart at most (statements grouped) */
#define MARKER ".posdiff-report"
#define PAGES_OPEN 4 /* pages being written at once (a position's, a year's) */

typedef enum { CELL_NOT_STATED, CELL_ADDED, CELL_CHANGED, CELL_RESTATED, CELL_UNCHANGED,
               CELL_DROPPED, CELL_KINDS } cell_kind;

static const char *const cell_name[] = {"not-stated", "added",     "changed",
                                        "restated",   "unchanged", "dropped"};
static const char *const cell_label[] = {"not stated", "added",     "changed",
                                         "restated",   "unchanged", "dropped"};
static const char *const cell_help[] = {
    "the statement does not state the position",
    "first statement to state the position",
    "a passage added, reworded, moved or dropped",
    "the same points made in new words (weak links only)",
    "restated word for word",
    "stated by the previous statement, not by this one"};

typedef struct {
    const posdiff_position *p;
    size_t ci;         /* catalog index */
    spool entries;     /* its articles, oldest first */
    int stated_prev;   /* the statement before stated it */
    size_t stated;     /* statements in range stating it */
} rpos;

typedef struct {
    FILE *f;    /* a memory stream; NULL: the slot is free */
    char *text; /* its bytes, after fclose */
    size_t len;
} page;

typedef struct {
    posdiff_corpus *c;
    const posdiff_catalog *cat;
    posdiff_history *h;
    const char *since, *until, *head;
    rpos *pos;
    size_t npos;
    size_t *rows;         /* history index per row (statement in range) */
    unsigned char *cells; /* nrows x npos cell_kind */
    float *share;         /* nrows x npos share of words changed, < 0: none */
    size_t nrows, rcap;
    char *dir;            /* the site being written */
    const char *prev;     /* the earlier report it replaces, or NULL */
    posdiff_tree_reader *tip; /* the statements' files, read from the tip */
    page pages[PAGES_OPEN];   /* the pages being written */
    cli_ids ids;          /* the history's entries by id */
    render_dates dates;
    int paged;            /* over YEAR_PAGES rows: positions and matrix by year */
    const char *up;       /* from a position page to the root: "../" or "../../" */
    int err;              /* CLI_ERROR once reported */
} report;

/* ---- small helpers ------------------------------------------------------ */

static int in_range(const report *r, const char *date)
{
    return cli_date_in_range(date, r->since, r->until);
}

static const posdiff_history_entry *entry_of(const report *r, const char *id)
{
    return cli_ids_find(&r->ids, id);
}

/* A page of the site, built in memory and written whole by page_close
 * (one write per page: stdio would write it 4 KiB at a time). */
static FILE *page_open(report *r, const char *rel)
{
    page *pg = NULL;

    (void)rel;
    for (size_t k = 0; k < PAGES_OPEN && !pg; k++)
        if (!r->pages[k].f)
            pg = &r->pages[k];
    if (!pg || !(pg->f = open_memstream(&pg->text, &pg->len))) {
        r->err = cli_error("out of memory");
        return NULL;
    }
    return pg->f;
}

static int write_whole(const char *path, const char *text, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), ok = fd >= 0;

    while (ok && len) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        text += ok ? n : 0, len -= ok ? (size_t)n : 0;
    }
    return fd >= 0 && close(fd) == 0 && ok ? 0 : -1;
}

/* Does the file @p path hold exactly @p text? */
static int holds(const char *path, const char *text, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), same = 0;
    struct stat sb;
    char *old;

    if (fd < 0)
        return 0;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len &&
        (old = malloc(len ? len : 1))) {
        size_t got = 0;
        ssize_t n;
        while (got < len && ((n = read(fd, old + got, len - got)) > 0 || (n < 0 && errno == EINTR)))
            got += n > 0 ? (size_t)n : 0;
        same = got == len && !memcmp(old, text, len);
        free(old);
    }
    close(fd);
    return same;
}

/* A page written again as it was is linked from the earlier report: a
 * file created costs ~0.5 ms on ext4 (inode allocation), a link and a
 * read of the old one a tenth of it; regenerating a site after a new
 * statement rewrites only the pages it changed. */
static int put_page(const report *r, const char *path, const char *rel, const char *text,
                    size_t len)
{
    char old[4096];

    if (r->prev && (size_t)snprintf(old, sizeof(old), "%s/%s", r->prev, rel) < sizeof(old) &&
        holds(old, text, len) && link(old, path) == 0)
        return 0;
    return write_whole(path, text, len);
}

static int page_close(report *r, FILE *f, const char *rel)
{
    char path[4096];
    page *pg = NULL;
    int bad;

    for (size_t k = 0; k < PAGES_OPEN && !pg; k++)
        if (r->pages[k].f == f)
            pg = &r->pages[k];
    bad = ferror(f) | fclose(f);
    errno = 0;
    snprintf(path, sizeof(path), "%s/%s", r->dir, rel);
    if (bad || put_page(r, path, rel, pg->text, pg->len) < 0)
        r->err = cli_error("%s: cannot write (%s); check the directory's permissions and space",
                           path, strerror(errno ? errno : EIO));
    free(pg->text);
    *pg = (page){NULL, NULL, 0};
    return r->err ? CLI_ERROR : 0;
}

/* A page opened with its head and an <h1> of @p title (links from
 * @p root); NULL after reporting why. */
static FILE *page_start(report *r, const char *rel, const char *title, const char *root)
{
    FILE *f = page_open(r, rel);

    if (f) {
        html_page_open(f, title, root);
        fputs("<h1>", f);
        html_cstr(f, title);
        fputs("</h1>\n", f);
    }
    return f;
}

/* Words (runs of non-space) in s[0..n). */
static size_t words_in(const char *s, size_t n)
{
    size_t w = 0;

    for (size_t i = 0; i < n; i++)
        w += s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && (i == 0 || s[i - 1] == ' ' ||
                                                            s[i - 1] == '\t' || s[i - 1] == '\n');
    return w;
}

/* Where position @p id's entry of a statement of @p date is, from the
 * root: its page, or its year's page when the report is paged. */
static const char *entry_page(char *buf, size_t size, const report *r, const char *id,
                              const char *date)
{
    if (r->paged)
        snprintf(buf, size, "positions/%s/%d.html", id, atoi(date));
    else
        snprintf(buf, size, "positions/%s.html", id);
    return buf;
}

/* ---- what a statement did to a position --------------------------------- */

static cell_kind classify(const posdiff_step *step, size_t ci, int stated_prev)
{
    posdiff_entry_status st = posdiff_step_status(step, ci);
    size_t n = posdiff_step_passage_count(step, ci), restated = 0;

    if (st == POSDIFF_ENTRY_NOT_RESTATED)
        return stated_prev ? CELL_DROPPED : CELL_NOT_STATED;
    if (st == POSDIFF_ENTRY_ADDED)
        return CELL_ADDED;
    if (st == POSDIFF_ENTRY_UNCHANGED)
        return CELL_UNCHANGED;
    for (size_t k = 0; k < n; k++) {
        posdiff_passage_status ps = posdiff_step_passage(step, ci, k)->status;
        if (ps == POSDIFF_PASSAGE_ADDED || ps == POSDIFF_PASSAGE_CHANGED ||
            ps == POSDIFF_PASSAGE_MOVED)
            return CELL_CHANGED;
        restated += ps == POSDIFF_PASSAGE_RESTATED;
    }
    return restated && posdiff_step_dropped_count(step, ci) == 0 ? CELL_RESTATED : CELL_CHANGED;
}

/* Share of words changed against the previous statement: words deleted
 * and inserted over the words of both sides (< 0: no previous). */
static float share_of(const posdiff_step *step, size_t ci)
{
    posdiff_entry_status st = posdiff_step_status(step, ci);
    double changed = 0, all = 0;

    if (st == POSDIFF_ENTRY_NOT_RESTATED || st == POSDIFF_ENTRY_ADDED)
        return -1;
    for (size_t k = 0; k < posdiff_step_passage_count(step, ci); k++) {
        const posdiff_passage *p = posdiff_step_passage(step, ci, k);
        for (size_t j = 0; j < p->op_count; j++) {
            const posdiff_op *op = &p->ops[j];
            size_t w = op->kind == POSDIFF_OP_DELETE ? words_in(p->prev_text + op->old_start, op->old_len)
                                                     : words_in(p->text + op->new_start, op->new_len);
            all += op->kind == POSDIFF_OP_EQUAL ? 2.0 * w : w;
            changed += op->kind == POSDIFF_OP_EQUAL ? 0 : w;
        }
    }
    for (size_t k = 0; k < posdiff_step_dropped_count(step, ci); k++) {
        const posdiff_dropped *d = posdiff_step_dropped(step, ci, k);
        size_t w = words_in(d->text, d->len);
        all += w, changed += w;
    }
    return all > 0 ? (float)(changed / all) : 0;
}

/* ---- a position's entry -------------------------------------------------- */

static void statement_link(FILE *f, const report *r, const char *id, const char *frag)
{
    const posdiff_history_entry *e = entry_of(r, id);

    if (e && in_range(r, e->date)) {
        fprintf(f, "<a href=\"%sstatements/%s.html%s\">", r->up, id, frag ? frag : "");
        html_cstr(f, e->date);
        fprintf(f, ", %s</a>", id);
    } else {
        html_cstr(f, e ? e->date : "");
        fprintf(f, "%s%s", e ? ", " : "", id);
    }
}

static void passage_html(FILE *f, const report *r, const posdiff_history_entry *e,
                         const posdiff_passage *p, size_t k)
{
    const char *st = posdiff_passage_status_name(p->status);
    char notes[RENDER_NOTES_MAX];
    render_shared sh = {NULL, NULL, 0, 0};
    const char *link = !p->prev_statement ? "none"
                       : p->status == POSDIFF_PASSAGE_RESTATED ? "weak" : "strong";

    fprintf(f, "<li class=\"passage st-%s\" id=\"s-%s-p%zu\" data-status=\"%s\" data-line=\"%zu\" "
               "data-link=\"%s\"><span class=\"status\">%s</span> <span class=\"words\">",
            st, e->id, k + 1, st, p->line, link, st);
    if (p->status == POSDIFF_PASSAGE_RESTATED && p->prev_text) {
        render_shared_words(&sh, p->prev_text, p->prev_len, p->text, p->len);
        html_marked(f, p->text, p->len, sh.b, sh.nb);
    } else {
        html_words(f, p);
    }
    fprintf(f, "</span>\n<span class=\"where\">(<a href=\"%sstatements/%s.html#l-%zu\">line %zu</a>",
            r->up, e->id, p->line, p->line);
    if (p->prev_statement)
        fprintf(f, "; similarity %.2f, %s link", p->similarity, link);
    fputs(")</span>", f);
    render_notes(notes, sizeof(notes), p, &r->dates);
    if (*notes) {
        fputs(" <span class=\"notes\">", f);
        html_cstr(f, notes + 1);
        fputs("</span>", f);
    }
    if (p->status == POSDIFF_PASSAGE_RESTATED && p->prev_text) {
        fputs("\n<p class=\"was\">was (", f);
        statement_link(f, r, p->prev_statement, NULL);
        fputs("): ", f);
        html_marked(f, p->prev_text, p->prev_len, sh.a, sh.na);
        fputs("</p>", f);
    } else if (p->prev_statement) {
        fputs("\n<p class=\"was\">from ", f);
        statement_link(f, r, p->prev_statement, NULL);
        fputs("</p>", f);
    }
    for (size_t j = 1; j < p->source_count; j++) {
        fputs("\n<p class=\"was\">also restates (", f);
        statement_link(f, r, p->sources[j].statement, NULL);
        fputs("): ", f);
        html_md(f, p->sources[j].text, p->sources[j].len, 0, p->sources[j].len);
        fputs("</p>", f);
    }
    fputs("</li>\n", f);
    render_shared_free(&sh);
}

static void meta_html(FILE *f, const report *r, const posdiff_history_entry *e)
{
    const posdiff_statement *s = posdiff_corpus_find(r->c, e->id);
    const char *venue = s && s->venue ? s->venue : e->venue;

    fputs("<p class=\"meta\">", f);
    if (venue) {
        fputs("Venue: ", f);
        html_cstr(f, venue);
    }
    if (s && s->speaker) {
        fputs(venue ? " · Speaker: " : "Speaker: ", f);
        html_cstr(f, s->speaker);
    }
    if (s && s->source) {
        fputs(venue || s->speaker ? " · Source: " : "Source: ", f);
        html_source(f, s->source);
    }
    fputs("</p>\n", f);
}

/* Entry of statement @p e for position @p rp as an article. */
static void entry_html(FILE *f, const report *r, const posdiff_history_entry *e,
                       const posdiff_step *step, const rpos *rp, cell_kind cell)
{
    size_t n = posdiff_step_passage_count(step, rp->ci);

    fprintf(f, "<article class=\"entry\" id=\"s-%s\" data-statement=\"%s\" data-status=\"%s\">\n"
               "<h2><a href=\"%sstatements/%s.html\">",
            e->id, e->id, cell_name[cell], r->up, e->id);
    html_cstr(f, e->date);
    fputs(" — ", f);
    html_cstr(f, e->title);
    fprintf(f, "</a> <span class=\"status st-%s\">%s</span></h2>\n", cell_name[cell],
            cell_label[cell]);
    meta_html(f, r, e);
    if (cell == CELL_NOT_STATED || cell == CELL_DROPPED) {
        fputs(cell == CELL_DROPPED ? "<p>Not stated in this statement; the statement before "
                                     "stated it.</p>\n"
                                   : "<p>Not stated in this statement.</p>\n", f);
    }
    if (n) {
        fputs("<ol class=\"passages\">\n", f);
        for (size_t k = 0; k < n; k++)
            passage_html(f, r, e, posdiff_step_passage(step, rp->ci, k), k);
        fputs("</ol>\n", f);
    }
    if (posdiff_step_dropped_count(step, rp->ci)) {
        fputs("<ul class=\"dropped\">\n", f);
        for (size_t k = 0; k < posdiff_step_dropped_count(step, rp->ci); k++) {
            const posdiff_dropped *d = posdiff_step_dropped(step, rp->ci, k);
            fputs("<li><span class=\"status st-dropped\">dropped</span> <del>", f);
            html_md(f, d->text, d->len, 0, d->len);
            fputs("</del> <span class=\"where\">(", f);
            statement_link(f, r, d->statement, NULL);
            fputs(")</span></li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("</article>\n", f);
}

/* ---- a statement's page -------------------------------------------------- */

static int cmp_mark(const void *a, const void *b)
{
    const html_mark *x = a, *y = b;
    return (x->line > y->line) - (x->line < y->line);
}

/* Tags of one line joined into its first mark (the others' line set to 0). */
static int join_tags(html_mark *m, size_t nm)
{
    for (size_t a = 0, b; a < nm; a = b)
        for (b = a + 1; b < nm && m[b].line == m[a].line; b++) {
            size_t la = strlen(m[a].html), lb = strlen(m[b].html);
            char *j = malloc(la + lb + 1);
            if (!j)
                return -1;
            memcpy(j, m[a].html, la);
            memcpy(j + la, m[b].html, lb + 1);
            free((char *)m[a].html);
            free((char *)m[b].html);
            m[a].html = j;
            m[b].html = NULL;
            m[b].line = 0;
        }
    return 0;
}

/* The marks of a statement's passages: a line each, with its tags
 * (links to the passages on the position pages), sorted by line. */
static int statement_marks(html_mark **out, size_t *count, const report *r,
                           const posdiff_history_entry *e, const posdiff_step *step)
{
    html_mark *m = NULL;
    size_t nm = 0, cap = 0, keep = 0;

    for (size_t i = 0; i < r->npos; i++)
        for (size_t k = 0; k < posdiff_step_passage_count(step, r->pos[i].ci); k++) {
            const posdiff_passage *p = posdiff_step_passage(step, r->pos[i].ci, k);
            const posdiff_position *pos = r->pos[i].p;
            char *t = NULL;
            size_t tl = 0;
            FILE *tf;
            if (nm == cap) {
                html_mark *g = realloc(m, (cap = cap ? cap * 2 : 16) * sizeof(*g));
                if (!g)
                    goto oom;
                m = g;
            }
            if (!(tf = open_memstream(&t, &tl)))
                goto oom;
            char where[300];
            fprintf(tf, "<a class=\"tag\" href=\"../%s#s-%s-p%zu\">",
                    entry_page(where, sizeof(where), r, pos->id, e->date), e->id, k + 1);
            html_cstr(tf, pos->title ? pos->title : pos->id);
            fputs("</a>", tf);
            if (fclose(tf) != 0) {
                free(t);
                goto oom;
            }
            m[nm++] = (html_mark){p->line, posdiff_passage_status_name(p->status), t};
        }
    if (nm)
        qsort(m, nm, sizeof(*m), cmp_mark);
    if (join_tags(m, nm) < 0)
        goto oom;
    for (size_t k = 0; k < nm; k++)
        if (m[k].line)
            m[keep++] = m[k];
    *out = m;
    *count = keep;
    return 0;
oom:
    for (size_t k = 0; k < nm; k++)
        free((char *)m[k].html);
    free(m);
    return -1;
}

static int statement_page(report *r, const posdiff_history_entry *e, size_t index,
                          const posdiff_step *step)
{
    char rel[POSDIFF_STATEMENT_PATH_MAX + 32], path[POSDIFF_STATEMENT_PATH_MAX];
    html_mark *m = NULL;
    char *md = NULL;
    size_t nm = 0, len = 0;
    FILE *f;
    int rc = 0;

    /* A statement's file never changes after its commit: read from the
     * tip, one directory tree per year (from its own commit, each year
     * tree would be read again for every statement). */
    (void)index;
    if (posdiff_history_statement_path(path, sizeof(path), e->id, e->date) < 0 ||
        (!r->tip && posdiff_tree_reader_new(&r->tip, r->h, posdiff_history_count(r->h) - 1) < 0) ||
        posdiff_tree_reader_read(&md, &len, r->tip, path) < 0)
        return r->err = cli_fail();
    if (statement_marks(&m, &nm, r, e, step) < 0) {
        free(md);
        return r->err = cli_error("out of memory");
    }
    snprintf(rel, sizeof(rel), "statements/%s.html", e->id);
    if ((f = page_start(r, rel, e->title, "../"))) {
        fputs("<p class=\"meta\">", f);
        html_cstr(f, e->date);
        fprintf(f, " · statement <code>%s</code></p>\n", e->id);
        meta_html(f, r, e);
        fputs("<article class=\"statement\">\n", f);
        if (html_statement(f, md, len, m, nm) < 0)
            rc = r->err = cli_error("out of memory");
        fputs("</article>\n", f);
        html_page_close(f, e->commit); /* its own commit: the page stays as it is when
                                        * statements are added after it */
        if (page_close(r, f, rel) != 0)
            rc = CLI_ERROR;
    } else {
        rc = CLI_ERROR;
    }
    for (size_t k = 0; k < nm; k++)
        free((char *)m[k].html);
    free(m);
    free(md);
    return rc;
}

/* ---- the walk ----------------------------------------------------------- */

static int add_row(report *r, size_t index)
{
    if (r->nrows == r->rcap) {
        size_t cap = r->rcap ? r->rcap * 2 : 64;
        size_t *rows = realloc(r->rows, cap * sizeof(*rows));
        unsigned char *cells = rows ? realloc(r->cells, cap * (r->npos + 1)) : NULL;
        float *share = cells ? realloc(r->share, cap * (r->npos + 1) * sizeof(*share)) : NULL;
        if (rows)
            r->rows = rows;
        if (cells)
            r->cells = cells;
        if (!share)
            return -1;
        r->share = share;
        r->rcap = cap;
    }
    r->rows[r->nrows++] = index;
    return 0;
}

static int on_step(const posdiff_history_entry *e, size_t index, const posdiff_step *step,
                   void *payload)
{
    report *r = payload;
    int in = in_range(r, e->date);
    size_t row = r->nrows;

    if (in && add_row(r, index) < 0)
        return r->err = cli_error("out of memory");
    for (size_t i = 0; i < r->npos; i++) {
        rpos *rp = &r->pos[i];
        int stated = posdiff_step_status(step, rp->ci) != POSDIFF_ENTRY_NOT_RESTATED;
        cell_kind cell = classify(step, rp->ci, rp->stated_prev);
        char *text = NULL;
        size_t len = 0;
        FILE *f;
        rp->stated_prev = stated;
        if (!in)
            continue;
        rp->stated += stated;
        r->cells[row * r->npos + i] = (unsigned char)cell;
        r->share[row * r->npos + i] = share_of(step, rp->ci);
        if (!(f = open_memstream(&text, &len)))
            return r->err = cli_error("out of memory");
        entry_html(f, r, e, step, rp, cell);
        if (fclose(f) != 0 || spool_push(&rp->entries, text, len) < 0) {
            free(text);
            return r->err = cli_error("cannot keep the report's entries in a temporary file in %s "
                                      "(%s); set TMPDIR to a writable directory with space",
                                      spool_dir(), strerror(errno));
        }
        free(text);
    }
    return in ? statement_page(r, e, index, step) : 0;
}

/* ---- charts, matrices, pages -------------------------------------------- */

/* The bars of position @p i: rows in groups of ceil(rows / CHART_BARS),
 * each the mean share of its rows that have one. */
static void chart_html(FILE *f, const report *r, size_t i)
{
    size_t per = (r->nrows + CHART_BARS - 1) / CHART_BARS, nb;
    const char *title = r->pos[i].p->title ? r->pos[i].p->title : r->pos[i].p->id;

    per = per ? per : 1;
    nb = (r->nrows + per - 1) / per;
    fputs("<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" ", f);
    fprintf(f, "viewBox=\"0 0 %zu 100\" preserveAspectRatio=\"none\" aria-label=\"Share of words "
               "changed per statement: ", nb ? nb : 1);
    html_cstr(f, title);
    fputs("\">\n", f);
    for (size_t b = 0; b < nb; b++) {
        const posdiff_history_entry *first = posdiff_history_entry_at(r->h, r->rows[b * per]);
        const posdiff_history_entry *last =
            posdiff_history_entry_at(r->h, r->rows[b * per + per - 1 < r->nrows ? b * per + per - 1
                                                                                : r->nrows - 1]);
        double sum = 0;
        size_t n = 0;
        for (size_t k = b * per; k < r->nrows && k < (b + 1) * per; k++)
            if (r->share[k * r->npos + i] >= 0)
                sum += r->share[k * r->npos + i], n++;
        if (n) {
            double h = 100.0 * sum / (double)n;
            fprintf(f, "<rect class=\"bar\" x=\"%zu.1\" width=\"0.8\" y=\"%.1f\" height=\"%.1f\">"
                       "<title>%s%s%s: %.0f%% of words changed</title></rect>\n",
                    b, 100 - (h < 1 ? 1 : h), h < 1 ? 1 : h, first->date,
                    first != last ? " to " : "", first != last ? last->date : "", h);
        } else {
            fprintf(f, "<rect class=\"none\" x=\"%zu.1\" width=\"0.8\" y=\"98\" height=\"2\">"
                       "<title>%s%s%s: not stated, or first stated</title></rect>\n",
                    b, first->date, first != last ? " to " : "", first != last ? last->date : "");
        }
    }
    fputs("</svg>\n<figcaption>Share of words changed against the previous statement, 0 to "
          "100%, oldest left; grey: not stated, or stated for the first time.</figcaption>\n"
          "</figure>\n", f);
}

static void legend_html(FILE *f)
{
    fputs("<ul class=\"legend\">\n", f);
    for (int k = 0; k < CELL_KINDS; k++)
        fprintf(f, "<li class=\"st-%s\"><strong>%s</strong>: %s</li>\n", cell_name[k],
                cell_label[k], cell_help[k]);
    fputs("</ul>\n", f);
}

static int year_of(const report *r, size_t row)
{
    return atoi(posdiff_history_entry_at(r->h, r->rows[row])->date);
}

/* The matrix of rows [from, to), a <tbody> per year; links from @p root. */
static void matrix_html(FILE *f, const report *r, size_t from, size_t to, const char *root)
{
    fputs("<div class=\"scroll\">\n<table class=\"matrix\" id=\"matrix\">\n"
          "<caption>Statements (oldest first) by position</caption>\n<thead><tr>"
          "<th scope=\"col\">Statement</th>", f);
    for (size_t i = 0; i < r->npos; i++) {
        fprintf(f, "<th scope=\"col\" data-position=\"%s\"><a href=\"%spositions/%s.html\">",
                r->pos[i].p->id, root, r->pos[i].p->id);
        html_cstr(f, r->pos[i].p->title ? r->pos[i].p->title : r->pos[i].p->id);
        fputs("</a></th>", f);
    }
    fputs("</tr></thead>\n", f);
    for (size_t k = from; k < to; k++) {
        const posdiff_history_entry *e = posdiff_history_entry_at(r->h, r->rows[k]);
        if (k == from || year_of(r, k) != year_of(r, k - 1))
            fprintf(f, "%s<tbody>\n<tr class=\"year\"><th scope=\"rowgroup\" colspan=\"%zu\">%d</th></tr>\n",
                    k == from ? "" : "</tbody>\n", r->npos + 1, year_of(r, k));
        fprintf(f, "<tr data-statement=\"%s\"><th scope=\"row\"><a href=\"%sstatements/%s.html\">",
                e->id, root, e->id);
        html_cstr(f, e->date);
        fputs("</a> ", f);
        html_cstr(f, e->title);
        fputs("</th>", f);
        for (size_t i = 0; i < r->npos; i++) {
            int c = r->cells[k * r->npos + i];
            char where[300];
            fprintf(f, "<td class=\"cell st-%s\" data-status=\"%s\"><a href=\"%s%s#s-%s\">%s</a></td>",
                    cell_name[c], cell_name[c], root,
                    entry_page(where, sizeof(where), r, r->pos[i].p->id, e->date), e->id, cell_label[c]);
        }
        fputs("</tr>\n", f);
    }
    fputs(to > from ? "</tbody>\n</table>\n</div>\n" : "</table>\n</div>\n", f);
}

static int year_page(report *r, size_t from, size_t to)
{
    char rel[4096], title[128];
    FILE *f;

    snprintf(rel, sizeof(rel), "%s/years", r->dir);
    if (mkdir(rel, 0755) < 0 && errno != EEXIST)
        return r->err = cli_error("%s: cannot create (%s)", rel, strerror(errno));
    snprintf(rel, sizeof(rel), "years/%d.html", year_of(r, from));
    snprintf(title, sizeof(title), "Statements of %d by position", year_of(r, from));
    if (!(f = page_start(r, rel, title, "../")))
        return CLI_ERROR;
    legend_html(f);
    matrix_html(f, r, from, to, "../");
    html_page_close(f, r->head);
    return page_close(r, f, rel);
}

/* Over YEAR_PAGES rows: a row per year, counts per cell kind, each year
 * on its own page. */
static int years_html(FILE *f, report *r)
{
    fputs("<div class=\"scroll\">\n<table class=\"years\">\n<caption>Statements by year and "
          "position (each year's matrix on its page)</caption>\n<thead><tr><th scope=\"col\">Year</th>", f);
    for (size_t i = 0; i < r->npos; i++) {
        fprintf(f, "<th scope=\"col\"><a href=\"positions/%s.html\">", r->pos[i].p->id);
        html_cstr(f, r->pos[i].p->title ? r->pos[i].p->title : r->pos[i].p->id);
        fputs("</a></th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t a = 0, b; a < r->nrows; a = b) {
        for (b = a + 1; b < r->nrows && year_of(r, b) == year_of(r, a); b++)
            ;
        if (year_page(r, a, b) != 0)
            return CLI_ERROR;
        fprintf(f, "<tr><th scope=\"row\"><a href=\"years/%d.html\">%d</a> (%zu statements)</th>",
                year_of(r, a), year_of(r, a), b - a);
        for (size_t i = 0; i < r->npos; i++) {
            size_t count[CELL_KINDS] = {0};
            const char *sep = "";
            for (size_t k = a; k < b; k++)
                count[r->cells[k * r->npos + i]]++;
            fputs("<td>", f);
            for (int c = 1; c < CELL_KINDS; c++, sep = count[c - 1] ? ", " : sep)
                if (count[c])
                    fprintf(f, "%s<span class=\"st-%s\">%zu %s</span>", sep, cell_name[c], count[c],
                            cell_label[c]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table>\n</div>\n", f);
    return 0;
}

static int index_page(report *r)
{
    FILE *f = page_open(r, "index.html");

    if (!f)
        return CLI_ERROR;
    html_page_open(f, "Position report: statements by position", "");
    fputs("<h1>Position report</h1>\n", f);
    if (r->nrows) {
        fprintf(f, "<p>%zu statement%s from ", r->nrows, r->nrows == 1 ? "" : "s");
        html_cstr(f, posdiff_history_entry_at(r->h, r->rows[0])->date);
        fputs(" to ", f);
        html_cstr(f, posdiff_history_entry_at(r->h, r->rows[r->nrows - 1])->date);
        fprintf(f, "; %zu position%s.</p>\n", r->npos, r->npos == 1 ? "" : "s");
    } else {
        fputs("<p>No statement in the selected range.</p>\n", f);
    }
    fputs("<h2>Statements by position</h2>\n", f);
    legend_html(f);
    if (r->nrows > YEAR_PAGES) {
        if (years_html(f, r) != 0) {
            page_close(r, f, "index.html");
            return CLI_ERROR;
        }
    } else {
        matrix_html(f, r, 0, r->nrows, "");
    }
    fputs("<h2>How each position's wording changed</h2>\n", f);
    for (size_t i = 0; i < r->npos; i++) {
        fprintf(f, "<section class=\"position\">\n<h3><a href=\"positions/%s.html\">", r->pos[i].p->id);
        html_cstr(f, r->pos[i].p->title ? r->pos[i].p->title : r->pos[i].p->id);
        fprintf(f, "</a></h3>\n<p class=\"meta\">Stated in %zu of %zu statements.</p>\n",
                r->pos[i].stated, r->nrows);
        chart_html(f, r, i);
        fputs("</section>\n", f);
    }
    html_page_close(f, r->head);
    return page_close(r, f, "index.html");
}

/* Entries [from, to) of position @p i, newest first (read back in one
 * piece: a read per entry was a quarter of the report). */
static void entries_html(FILE *f, report *r, size_t i, size_t from, size_t to, spool_window *w)
{
    const spool *sp = &r->pos[i].entries;
    const char *text = spool_get_range(w, sp, from, to);
    long base = spool_offset(sp, from);

    if (!text) {
        r->err = cli_error("cannot read back the report's entries from %s (%s)", spool_dir(),
                           strerror(errno));
        return;
    }
    for (size_t k = to; k-- > from;)
        fwrite(text + (spool_offset(sp, k) - base), 1,
               (size_t)(spool_offset(sp, k + 1) - spool_offset(sp, k)), f);
}

/* A paged position's year [from, to): positions/<id>/<year>.html. */
static int position_year(report *r, size_t i, size_t from, size_t to, spool_window *w)
{
    const char *title = r->pos[i].p->title ? r->pos[i].p->title : r->pos[i].p->id;
    char rel[300], head[512];
    FILE *f;

    entry_page(rel, sizeof(rel), r, r->pos[i].p->id,
               posdiff_history_entry_at(r->h, r->rows[from])->date);
    snprintf(head, sizeof(head), "%s — position history, %d", title, year_of(r, from));
    if (!(f = page_start(r, rel, head, "../../")))
        return CLI_ERROR;
    fprintf(f, "<p class=\"meta\"><a href=\"../%s.html\">All years of this position</a>; "
               "newest first.</p>\n", r->pos[i].p->id);
    entries_html(f, r, i, from, to, w);
    html_page_close(f, r->head);
    return page_close(r, f, rel) ? CLI_ERROR : r->err;
}

/* Over YEAR_PAGES rows: the position's years, each on its page. */
static int position_years(FILE *f, report *r, size_t i, spool_window *w)
{
    char dir[4096];
    int rc = 0;

    snprintf(dir, sizeof(dir), "%s/positions/%s", r->dir, r->pos[i].p->id);
    if (mkdir(dir, 0755) < 0)
        return r->err = cli_error("%s: cannot create (%s)", dir, strerror(errno));
    fputs("<h2>By year</h2>\n<ul class=\"years\">\n", f);
    for (size_t a = 0, b; a < r->nrows && rc == 0; a = b) {
        size_t stated = 0;
        for (b = a; b < r->nrows && year_of(r, b) == year_of(r, a); b++)
            stated += r->cells[b * r->npos + i] != CELL_NOT_STATED &&
                      r->cells[b * r->npos + i] != CELL_DROPPED;
        fprintf(f, "<li><a href=\"%s/%d.html\">%d</a>: stated in %zu of %zu statements</li>\n",
                r->pos[i].p->id, year_of(r, a), year_of(r, a), stated, b - a);
        rc = position_year(r, i, a, b, w);
    }
    fputs("</ul>\n", f);
    return rc;
}

static int position_page(report *r, size_t i, spool_window *w)
{
    rpos *rp = &r->pos[i];
    const char *title = rp->p->title ? rp->p->title : rp->p->id;
    char rel[256], head[512];
    FILE *f;
    int rc = 0;

    snprintf(rel, sizeof(rel), "positions/%s.html", rp->p->id);
    snprintf(head, sizeof(head), "%s — position history", title);
    if (spool_done(&rp->entries) < 0)
        return r->err = cli_error("cannot keep the report's entries in %s (%s)", spool_dir(),
                                  strerror(errno));
    if (!(f = page_start(r, rel, head, "../")))
        return CLI_ERROR;
    fprintf(f, "<p class=\"meta\">Position <code>%s</code>, stated in %zu of %zu "
               "statements%s.</p>\n", rp->p->id, rp->stated, r->nrows, r->paged ? "" : "; newest first");
    chart_html(f, r, i);
    if (r->paged)
        rc = position_years(f, r, i, w);
    else
        entries_html(f, r, i, 0, rp->entries.count, w);
    html_page_close(f, r->head);
    return page_close(r, f, rel) || rc ? CLI_ERROR : r->err;
}

static int style_file(report *r)
{
    FILE *f = page_open(r, "style.css");

    if (!f)
        return CLI_ERROR;
    fputs(report_style_css, f);
    return page_close(r, f, "style.css");
}

/* ---- the output directory ------------------------------------------------ */

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path) < 0 ? -1 : 0;
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* 0: @p out may be (re)placed: missing, empty or an earlier report. */
static int check_out(const char *out)
{
    char marker[4096];
    struct stat sb;
    DIR *d;
    struct dirent *e;
    int empty = 1;

    if (lstat(out, &sb) < 0)
        return errno == ENOENT ? 0 : cli_error("%s: cannot look at it (%s)", out, strerror(errno));
    snprintf(marker, sizeof(marker), "%s/" MARKER, out);
    if (S_ISDIR(sb.st_mode) && access(marker, F_OK) == 0)
        return 0;
    if (S_ISDIR(sb.st_mode) && (d = opendir(out))) {
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                empty = 0;
        closedir(d);
        if (empty)
            return 0;
    }
    return cli_error("%s: exists and is not a posdiff report (it has no %s); choose another -o "
                     "DIR or remove it", out, MARKER);
}

static int make_dirs(report *r)
{
    static const char *const sub[] = {"", "/positions", "/statements"};
    char path[4096];
    FILE *f;

    for (size_t k = 0; k < sizeof(sub) / sizeof(*sub); k++) {
        snprintf(path, sizeof(path), "%s%s", r->dir, sub[k]);
        if (mkdir(path, 0755) < 0)
            return cli_error("%s: cannot create (%s); check the permissions", path, strerror(errno));
    }
    if (!(f = page_open(r, MARKER)))
        return CLI_ERROR;
    fputs("A report written by posdiff report; posdiff replaces this directory when it writes the "
          "report again.\n", f);
    return page_close(r, f, MARKER);
}

/* Put the finished site at @p out; an earlier report there goes. */
static int place(report *r, const char *out)
{
    char old[4096];
    struct stat sb;
    int had = lstat(out, &sb) == 0;

    snprintf(old, sizeof(old), "%s.old.%ld", out, (long)getpid());
    if (had && rename(out, old) < 0)
        return cli_error("%s: cannot move the earlier report aside (%s)", out, strerror(errno));
    if (rename(r->dir, out) < 0) {
        int e = errno;
        if (had)
            rename(old, out);
        return cli_error("%s: cannot put the report in place (%s)", out, strerror(e));
    }
    if (had)
        rm_tree(old);
    return 0;
}

/* ---- the command ----------------------------------------------------------- */

static int select_positions(report *r, const char **names, int n)
{
    size_t count = posdiff_catalog_count(r->cat);

    if (!(r->pos = calloc(count + 1, sizeof(*r->pos))))
        return cli_error("out of memory");
    for (size_t i = 0; i < count; i++) {
        int want = n == 0;
        for (int k = 0; k < n && !want; k++)
            want = !strcmp(names[k], posdiff_catalog_position(r->cat, i)->id);
        if (want)
            r->pos[r->npos++] = (rpos){posdiff_catalog_position(r->cat, i), i, {0}, 0, 0};
    }
    for (int k = 0; k < n; k++)
        if (posdiff_catalog_find(r->cat, names[k]) < 0)
            return cli_error("'%s' is not a position of the catalog (positions.conf); see 'posdiff positions'",
                             names[k]);
    return 0;
}

static int index_ids(report *r)
{
    size_t n = posdiff_history_count(r->h), rows = 0;

    if (cli_ids_index(&r->ids, r->h) != 0)
        return CLI_ERROR;
    r->dates = (render_dates){cli_ids_date, &r->ids, 0};
    r->head = n ? posdiff_history_entry_at(r->h, n - 1)->commit : "";
    for (size_t i = 0; i < n; i++)
        rows += (size_t)in_range(r, posdiff_history_entry_at(r->h, i)->date);
    r->paged = rows > YEAR_PAGES;
    r->up = r->paged ? "../../" : "../";
    return 0;
}

static int write_site(report *r, const char *out)
{
    spool_window w = {NULL, 0};
    int rc = 0;

    if (posdiff_changelog_walk(r->h, r->cat, NULL, on_step, r) < 0)
        return r->err ? r->err : cli_fail();
    for (size_t i = 0; i < r->npos && rc == 0; i++)
        rc = position_page(r, i, &w);
    spool_window_free(&w);
    if (rc == 0 && (rc = index_page(r)) == 0 && (rc = style_file(r)) == 0)
        rc = place(r, out);
    return rc;
}

static int run_report(cli_ctx *ctx, report *r, const char *out, const char **names, int n)
{
    char tmp[4096];
    int rc;

    /* raw files are not read (the history holds the statements); the
     * freshness check stats them */
    if ((rc = cli_open_corpus(&r->c, ctx, POSDIFF_CORPUS_OPEN_NO_STAT)) != 0)
        return rc;
    r->cat = posdiff_corpus_catalog(r->c);
    if ((rc = select_positions(r, names, n)) != 0 || (rc = check_out(out)) != 0)
        return rc;
    if (cli_open_history(&r->h, r->c, ctx) != 0)
        return CLI_ERROR;
    if ((rc = cli_warn_stale(ctx, r->c, NULL, NULL, 0)) != 0 || (rc = index_ids(r)) != 0)
        return rc;
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new.%ld", out, (long)getpid()) >= sizeof(tmp))
        return cli_error("%s: path too long", out);
    rm_tree(tmp);
    r->dir = tmp;
    r->prev = access(out, F_OK) == 0 ? out : NULL; /* check_out: a report, or empty */
    if ((rc = make_dirs(r)) == 0)
        rc = write_site(r, out);
    if (rc != 0)
        rm_tree(tmp);
    else
        fprintf(stderr, "posdiff: wrote the report of %zu statements and %zu positions to %s/index.html\n",
               r->nrows, r->npos, out);
    r->dir = NULL;
    return rc;
}

static int check_date_arg(const char *opt, const char *d)
{
    if (d && posdiff_date_parse(NULL, NULL, NULL, d) < 0)
        return cli_error("%s %s: %s", opt, d, posdiff_error_last());
    return 0;
}

int cmd_report(cli_ctx *ctx, int argc, char **argv)
{
    const char *out = "report", *pos[64];
    report r = {0};
    int npos = 0, rc;
    const cli_opt opts[] = {{"-o", &out, NULL},          {"--output", &out, NULL},
                            {"--since", &r.since, NULL}, {"--until", &r.until, NULL},
                            {NULL, NULL, NULL}};

    if (cli_parse(ctx, "report", argc, argv, opts, pos, &npos, 64))
        return CLI_ERROR;
    if (!*out)
        return cli_error("-o: give the directory to write the report to");
    if (check_date_arg("--since", r.since) || check_date_arg("--until", r.until))
        return CLI_ERROR;
    rc = run_report(ctx, &r, out, pos, npos);
    for (size_t i = 0; r.pos && i < r.npos; i++)
        spool_free(&r.pos[i].entries);
    free(r.pos);
    free(r.rows);
    free(r.cells);
    free(r.share);
    cli_ids_free(&r.ids);
    posdiff_tree_reader_free(r.tip);
    posdiff_history_free(r.h);
    posdiff_corpus_free(r.c);
    return rc;
}
