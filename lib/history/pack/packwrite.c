/*
 * packwrite.c - stream a build's objects into one pack (v2) and write
 * its .idx (v2) from what the writer knows; both are renamed into
 * place, index last.  The object count is patched into the header at
 * the end and the trailer computed by reading the file back.  Ids come
 * from git_odb_hash; the pack trailer and index checksum through
 * OpenSSL's EVP (README "Design notes").  An object already in this pack
 * or in the repository is not written again.
 */
#include "pack_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libdeflate.h>
#include <openssl/evp.h>

#include "util/buf.h"
#include "util/errors.h"

#define OBJ_OFS_DELTA 6
#define TEXT_DEPTH 16   /* line deltas in a row for a text file */
#define NONE ((size_t)-1)

typedef struct {
    git_oid id;   /* 20 bytes, then crc: no padding, 32 bytes an entry */
    uint32_t crc; /* CRC-32 of its packed bytes, for the .idx */
    uint64_t off; /* of the object in the pack */
} entry;

/*
 * Which ids the pack holds: open addressing over indexes into v (+ 1,
 * 0 = empty), probed from the id's first bytes (an object id is
 * uniformly distributed), load <= 3/4.  4 bytes a slot, and v may move
 * without rehashing: a million objects (100 000 statements) cost 8 MiB
 * here, against 128 MiB as a hashmap of 32-byte slots keyed by pointers
 * into v.  (At load <= 1/2, a 100 000-statement build, 1.05 million
 * objects, grew it to 16 MiB in its last seconds, at its peak.)
 */
typedef struct {
    uint32_t *slot;
    size_t cap;   /* slots, a power of two (0 before the first add) */
} id_table;

struct pack_writer {
    git_repository *repo; /* not owned */
    git_odb *odb;         /* the repository's objects, for "already there" */
    int fresh;            /* no history there yet: odb not asked (see pack.h) */
    int fd;               /* the temporary pack, -1 when none */
    char *tmp_path;       /* its name */
    uint64_t off;         /* bytes written to it */
    entry *v;             /* objects written, in pack order */
    size_t count, cap;
    id_table ids;         /* id -> index into v */
    buf out;              /* staging of one packed object */
    buf delta;            /* scratch for pack_put_text */
    pack_deflater *z;     /* for objects put uncompressed */
};

struct pack_text {
    buf text;       /* the last version */
    git_oid id;
    unsigned depth; /* deltas from it to a full object */
};

/* ---- the id table ---------------------------------------------------------- */

static size_t id_slot(const git_oid *id, size_t cap)
{
    uint64_t h;

    memcpy(&h, id->id, sizeof(h));
    return (size_t)h & (cap - 1);
}

/* Index into v of @p id, or NONE. */
static size_t table_find(const pack_writer *pw, const git_oid *id)
{
    const id_table *t = &pw->ids;

    if (t->cap == 0)
        return NONE;
    for (size_t i = id_slot(id, t->cap); t->slot[i]; i = (i + 1) & (t->cap - 1))
        if (git_oid_equal(&pw->v[t->slot[i] - 1].id, id))
            return t->slot[i] - 1;
    return NONE;
}

/* Put index @p k of v (not in the table) into slots @p slot of @p cap. */
static void slot_put(uint32_t *slot, size_t cap, const entry *v, size_t k)
{
    size_t i = id_slot(&v[k].id, cap);

    while (slot[i])
        i = (i + 1) & (cap - 1);
    slot[i] = (uint32_t)(k + 1);
}

/* Room for one more id at load <= 3/4 (the first pw->count are in). */
static int table_reserve(pack_writer *pw)
{
    id_table *t = &pw->ids;
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint32_t *slot;

    if ((pw->count + 1) * 4 <= t->cap * 3)
        return 0;
    if (pw->count >= UINT32_MAX - 1)
        return error_set(POSDIFF_ERROR, "%s: more than 4 billion objects in one pack",
                         pw->tmp_path);
    if (!(slot = calloc(cap, sizeof(*slot))))
        return error_oom();
    for (size_t k = 0; k < pw->count; k++)
        slot_put(slot, cap, pw->v, k);
    free(t->slot);
    t->slot = slot;
    t->cap = cap;
    return 0;
}

/* Add v[count]. */
static int table_add(pack_writer *pw, const git_oid *id, uint64_t off, uint32_t crc)
{
    int error;

    if ((error = array_grow(&pw->v, &pw->cap, pw->count, sizeof(*pw->v), 256)) < 0 ||
        (error = table_reserve(pw)) < 0)
        return error;
    pw->v[pw->count] = (entry){*id, crc, off};
    slot_put(pw->ids.slot, pw->ids.cap, pw->v, pw->count);
    pw->count++;
    return 0;
}

static void put_ofs(buf *b, uint64_t dist)
{
    unsigned char tmp[16];
    size_t pos = sizeof(tmp) - 1;

    tmp[pos] = dist & 0x7f;
    while (dist >>= 7)
        tmp[--pos] = (unsigned char)(0x80 | (--dist & 0x7f));
    buf_put(b, (const char *)tmp + pos, sizeof(tmp) - pos);
}

/* ---- writing ------------------------------------------------------------------ */

static int write_all(int fd, const void *p, size_t n, const char *path)
{
    const char *s = p;

    while (n > 0) {
        ssize_t k = write(fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return error_io("%s: cannot write the pack; check the disk space", path);
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Append packed bytes @p a, then @p b unless NULL, as object @p id. */
static int append(pack_writer *pw, const git_oid *id, const buf *a, const buf *b)
{
    uint64_t at = pw->off;
    uint32_t crc = (uint32_t)libdeflate_crc32(0, a->ptr, a->len);
    int error;

    if (b)
        crc = (uint32_t)libdeflate_crc32(crc, b->ptr, b->len);
    if ((error = write_all(pw->fd, a->ptr, a->len, pw->tmp_path)) < 0 ||
        (b && (error = write_all(pw->fd, b->ptr, b->len, pw->tmp_path)) < 0))
        return error;
    pw->off += a->len + (b ? b->len : 0);
    return table_add(pw, id, at, crc);
}

/* 1 if @p o needs no writing. */
static int present(const pack_writer *pw, const pack_object *o)
{
    if (table_find(pw, &o->id) != NONE)
        return 1;
    return !o->keep && !pw->fresh &&
           git_odb_exists_ext(pw->odb, &o->id, GIT_ODB_LOOKUP_NO_REFRESH);
}

int pack_put_object(pack_writer *pw, git_oid *id, const pack_object *o)
{
    size_t base = o->delta_len ? table_find(pw, &o->base) : NONE;
    int error;

    git_oid_cpy(id, &o->id);
    if (present(pw, o))
        return 0;
    buf_clear(&pw->out);
    if (base != NONE) { /* a delta against an object of this pack */
        pack_obj_header(&pw->out, OBJ_OFS_DELTA, o->delta_len);
        put_ofs(&pw->out, pw->off - pw->v[base].off);
        return (error = buf_ok(&pw->out)) < 0 ? error : append(pw, id, &pw->out, &o->packed);
    }
    if (!o->delta_len && o->packed.len)
        return append(pw, id, &o->packed, NULL);
    if (!o->data)
        return error_set(POSDIFF_ERROR, "internal error: the base of a delta is not "
                         "in the pack being written");
    pack_obj_header(&pw->out, (int)o->type, o->len);
    if ((error = pack_deflate_into(&pw->out, pw->z, o->data, o->len)) < 0)
        return error;
    return append(pw, id, &pw->out, NULL);
}

int pack_put_tree(pack_writer *pw, git_oid *id, pack_tree *t)
{
    pack_object *o = NULL;
    int error = pack_tree_prepare(&o, t, pw->z);

    if (error == 0)
        error = pack_put_object(pw, id, o);
    pack_object_free(o);
    return error;
}

int pack_put(pack_writer *pw, git_oid *id, git_object_t type, const char *data, size_t len)
{
    pack_object o = {0};
    int error = pack_object_fill(&o, NULL, type, data, len, NULL, NULL);

    return error < 0 ? error : pack_put_object(pw, id, &o);
}

/*
 * A text file's versions (a position's file) change by a passage or two
 * each: stored as line deltas from the version before, up to TEXT_DEPTH
 * in a row (at 10 000 statements these files were half of the pack).
 */
int pack_put_text(pack_writer *pw, git_oid *id, pack_text **last, const char *data, size_t len)
{
    pack_text *t = *last;
    pack_object o = {0};
    int error, delta = 0;

    buf_clear(&pw->delta);
    if (t && t->depth < TEXT_DEPTH) {
        if ((error = gitdelta_lines(&pw->delta, t->text.ptr, t->text.len, data, len)) < 0)
            return error;
        delta = pw->delta.len < len / 2;
    }
    if ((error = pack_object_fill(&o, delta ? pw->z : NULL, GIT_OBJECT_BLOB, data, len,
                                  delta ? &t->id : NULL, &pw->delta)) == 0) {
        o.data = data; /* in full if the base is not in this pack */
        error = pack_put_object(pw, id, &o);
    }
    buf_free(&o.packed);
    if (error < 0 || (t && git_oid_equal(id, &t->id)))
        return error; /* unchanged */
    if (!t && !(t = *last = calloc(1, sizeof(*t))))
        return error_oom();
    t->depth = delta ? t->depth + 1 : 0;
    git_oid_cpy(&t->id, id);
    buf_clear(&t->text);
    buf_put(&t->text, data, len);
    return buf_ok(&t->text);
}

void pack_text_free(pack_text *t)
{
    if (t)
        buf_free(&t->text);
    free(t);
}

/* ---- begin, commit, end ------------------------------------------------------- */

static int objects_dir(git_buf *dir, const pack_writer *pw)
{
    if (git_repository_item_path(dir, pw->repo, GIT_REPOSITORY_ITEM_OBJECTS) < 0)
        return error_git("%s: cannot find the object directory",
                         git_repository_path(pw->repo));
    return 0;
}

/*
 * Temporary packs left by builds that were killed (tmp_pack_posdiff_*
 * and their .idx).  The caller holds the build lock, so no live build
 * owns one: they are removed before a new one is started.
 */
static void remove_stale_temps(const char *objects_dir)
{
    static const char prefix[] = "tmp_pack_posdiff_";
    buf path = BUF_INIT;
    struct dirent *e;
    DIR *d;

    buf_printf(&path, "%spack", objects_dir);
    if (buf_ok(&path) < 0 || !(d = opendir(path.ptr))) {
        buf_free(&path);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        size_t at = path.len;
        if (strncmp(e->d_name, prefix, sizeof(prefix) - 1))
            continue;
        buf_printf(&path, "/%s", e->d_name);
        if (buf_ok(&path) == 0)
            unlink(path.ptr);
        path.len = at;
        path.ptr[at] = '\0';
    }
    closedir(d);
    buf_free(&path);
}

static int open_temp(pack_writer *pw, const char *dir)
{
    static const unsigned char head[12] = {'P', 'A', 'C', 'K', 0, 0, 0, 2, 0, 0, 0, 0};
    buf path = BUF_INIT;
    int error;

    remove_stale_temps(dir);
    buf_printf(&path, "%spack/tmp_pack_posdiff_XXXXXX", dir);
    if ((error = buf_ok(&path)) < 0)
        return error;
    pw->tmp_path = buf_detach(&path, NULL);
    if ((pw->fd = mkstemp(pw->tmp_path)) < 0)
        return error_io("%s: cannot create a pack; check the permissions", pw->tmp_path);
    pw->off = sizeof(head);
    return write_all(pw->fd, head, sizeof(head), pw->tmp_path);
}

int pack_writer_new(pack_writer **out, git_repository *repo, int fresh)
{
    pack_writer *pw = calloc(1, sizeof(*pw));
    git_buf dir = GIT_BUF_INIT;
    int error;

    if (!(*out = pw))
        return error_oom();
    pw->repo = repo;
    pw->fresh = fresh;
    pw->fd = -1;
    if (!(pw->z = pack_deflater_new()))
        return error_oom();
    if ((error = objects_dir(&dir, pw)) < 0)
        return error;
    if (git_repository_odb(&pw->odb, repo) < 0)
        error = error_git("%s: cannot open the object database; check that the "
                          "history repository is intact", git_repository_path(repo));
    else
        error = open_temp(pw, dir.ptr);
    git_buf_dispose(&dir);
    return error;
}

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Rewrite the header's count, hash the file, append the hash. */
static int finish_pack(pack_writer *pw, unsigned char hash[20])
{
    unsigned char count[4], chunk[1 << 16];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ssize_t n = 0;
    int ok;

    be32(count, (uint32_t)pw->count);
    ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
         pwrite(pw->fd, count, 4, 8) == 4 && lseek(pw->fd, 0, SEEK_SET) == 0;
    while (ok && (n = read(pw->fd, chunk, sizeof(chunk))) > 0)
        ok = EVP_DigestUpdate(ctx, chunk, (size_t)n);
    ok = ok && n == 0 && EVP_DigestFinal_ex(ctx, hash, NULL) && lseek(pw->fd, 0, SEEK_END) >= 0;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return error_io("%s: cannot finish the pack", pw->tmp_path);
    return write_all(pw->fd, hash, 20, pw->tmp_path);
}

static int cmp_entry(const void *a, const void *b)
{
    return git_oid_cmp(&((const entry *)a)->id, &((const entry *)b)->id);
}

/*
 * Sort the entries by id without a copy of them (glibc's qsort merges
 * through one: 32 MiB more at 100 000 statements, at the build's peak):
 * they are moved in place into 256 buckets by the id's first byte
 * (American flag sort: each entry is taken from where it lies and put
 * where its bucket fills, the entry it displaces taken next), then each
 * bucket, 1/256 of them, is sorted by qsort.
 */
static void sort_entries(entry *v, size_t n)
{
    size_t start[257] = {0}, next[256];

    for (size_t i = 0; i < n; i++)
        start[v[i].id.id[0] + 1]++;
    for (int b = 0; b < 256; b++)
        start[b + 1] += start[b];
    memcpy(next, start, sizeof(next));
    for (int b = 0; b < 256; b++)
        while (next[b] < start[b + 1]) {
            entry e = v[next[b]], t;
            while (e.id.id[0] != b) {
                t = v[next[e.id.id[0]]];
                v[next[e.id.id[0]]++] = e;
                e = t;
            }
            v[next[b]++] = e;
        }
    for (int b = 0; b < 256; b++)
        if (start[b + 1] - start[b] > 1)
            qsort(v + start[b], start[b + 1] - start[b], sizeof(*v), cmp_entry);
}

/*
 * The .idx is written as it is made, through a 64 KiB buffer that is
 * hashed on its way out (its trailer is the SHA-1 of what comes before):
 * at 100 000 statements it is 30 MB, which a buffer would hold twice
 * over while every entry is still in memory.
 */
typedef struct {
    int fd;
    const char *path;
    EVP_MD_CTX *ctx;
    buf b;
    int error;
} idx_out;

#define IDX_CHUNK (1 << 16)

static void idx_flush(idx_out *o)
{
    if (o->error == 0 && (o->error = buf_ok(&o->b)) == 0 &&
        !EVP_DigestUpdate(o->ctx, o->b.ptr, o->b.len))
        o->error = error_set(POSDIFF_ERROR, "cannot hash the pack index (OpenSSL)");
    if (o->error == 0)
        o->error = write_all(o->fd, o->b.ptr, o->b.len, o->path);
    buf_clear(&o->b);
}

static void idx_put(idx_out *o, const void *p, size_t n)
{
    buf_put(&o->b, p, n);
    if (o->b.len >= IDX_CHUNK)
        idx_flush(o);
}

static void idx_put32(idx_out *o, uint32_t v)
{
    unsigned char w[4];

    be32(w, v);
    idx_put(o, w, 4);
}

/* The .idx v2 of the (sorted) entries and the pack hash, then its own. */
static int put_index(idx_out *o, const pack_writer *pw, const unsigned char hash[20])
{
    static const unsigned char head[8] = {0xff, 't', 'O', 'c', 0, 0, 0, 2};
    unsigned char h[20];
    uint32_t large = 0;
    size_t k = 0;

    idx_put(o, head, 8);
    for (int i = 0; i < 256; i++) {
        while (k < pw->count && pw->v[k].id.id[0] == i)
            k++;
        idx_put32(o, (uint32_t)k);
    }
    for (k = 0; k < pw->count; k++)
        idx_put(o, pw->v[k].id.id, 20);
    for (k = 0; k < pw->count; k++)
        idx_put32(o, pw->v[k].crc);
    for (k = 0; k < pw->count; k++)
        idx_put32(o, pw->v[k].off < 0x80000000u ? (uint32_t)pw->v[k].off : 0x80000000u | large++);
    for (k = 0; k < pw->count; k++)
        if (pw->v[k].off >= 0x80000000u) {
            idx_put32(o, (uint32_t)(pw->v[k].off >> 32));
            idx_put32(o, (uint32_t)pw->v[k].off);
        }
    idx_put(o, hash, 20);
    idx_flush(o);
    if (o->error == 0 && !EVP_DigestFinal_ex(o->ctx, h, NULL))
        o->error = error_set(POSDIFF_ERROR, "cannot hash the pack index (OpenSSL)");
    if (o->error == 0)
        o->error = write_all(o->fd, h, 20, o->path);
    return o->error;
}

static int write_index(pack_writer *pw, const char *path, const unsigned char hash[20])
{
    idx_out o = {-1, path, EVP_MD_CTX_new(), BUF_INIT, 0};
    int error;

    sort_entries(pw->v, pw->count);
    if (!o.ctx || !EVP_DigestInit_ex(o.ctx, EVP_sha1(), NULL)) {
        error = error_set(POSDIFF_ERROR, "cannot hash the pack index (OpenSSL)");
        goto done;
    }
    if ((o.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444)) < 0) {
        error = error_io("%s: cannot write the pack index", path);
        goto done;
    }
    error = put_index(&o, pw, hash);
    if (!error && fsync(o.fd) < 0)
        error = error_io("%s: cannot sync to disk", path);
done:
    if (o.fd >= 0)
        close(o.fd);
    EVP_MD_CTX_free(o.ctx);
    buf_free(&o.b);
    return error;
}

static int move_into_place(pack_writer *pw, const unsigned char hash[20])
{
    git_buf dir = GIT_BUF_INIT;
    buf pack = BUF_INIT, idx = BUF_INIT, tmp_idx = BUF_INIT;
    git_oid h;
    int error;

    memcpy(h.id, hash, 20);
    if ((error = objects_dir(&dir, pw)) < 0)
        goto done;
    buf_printf(&pack, "%spack/pack-%s.pack", dir.ptr, git_oid_tostr_s(&h));
    buf_printf(&idx, "%spack/pack-%s.idx", dir.ptr, git_oid_tostr_s(&h));
    buf_printf(&tmp_idx, "%s.idx", pw->tmp_path);
    if ((error = buf_ok(&pack)) < 0 || (error = buf_ok(&idx)) < 0 ||
        (error = buf_ok(&tmp_idx)) < 0 || (error = write_index(pw, tmp_idx.ptr, hash)) < 0)
        goto done;
    fchmod(pw->fd, 0444);
    if (rename(pw->tmp_path, pack.ptr) < 0 || rename(tmp_idx.ptr, idx.ptr) < 0) {
        error = error_io("%s: cannot move the new pack into place", pack.ptr);
        goto done;
    }
    free(pw->tmp_path);
    pw->tmp_path = NULL; /* committed: pack_writer_free keeps it */
done:
    if (error < 0 && tmp_idx.ptr)
        unlink(tmp_idx.ptr);
    git_buf_dispose(&dir);
    buf_free(&pack);
    buf_free(&idx);
    buf_free(&tmp_idx);
    return error;
}

int pack_writer_commit(pack_writer *pw, size_t *written)
{
    unsigned char hash[20];
    int error;

    *written = 0;
    if (pw->count == 0)
        return 0;
    if ((error = finish_pack(pw, hash)) < 0)
        return error;
    if (fsync(pw->fd) < 0)
        return error_io("%s: cannot sync to disk", pw->tmp_path);
    if ((error = move_into_place(pw, hash)) < 0)
        return error;
    git_odb_refresh(pw->odb); /* the ref update checks its target */
    *written = pw->count;
    return 0;
}

void pack_writer_free(pack_writer *pw)
{
    if (!pw)
        return;
    if (pw->fd >= 0)
        close(pw->fd);
    if (pw->tmp_path)
        unlink(pw->tmp_path);
    free(pw->tmp_path);
    git_odb_free(pw->odb);
    free(pw->v);
    free(pw->ids.slot);
    buf_free(&pw->out);
    buf_free(&pw->delta);
    pack_deflater_free(pw->z);
    free(pw);
}
