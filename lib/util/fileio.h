/*
 * fileio.h - internal: whole-file reads with a size limit, and atomic
 * writes (temporary sibling + fsync + rename).
 */
#ifndef POSDIFF_FILEIO_H
#define POSDIFF_FILEIO_H

#include <stddef.h>

/** Read a regular file of at most @p max bytes (malloc'ed, NUL-terminated). */
int read_file_limited(char **out, size_t *len, const char *path, size_t max);
/** read_file_limited from @p fd, open on @p path (for messages); closes @p fd. */
int read_fd_limited(char **out, size_t *len, int fd, const char *path, size_t max);
/** read_file_limited of a file of at most @p cap bytes whose refusal names
 *  the (smaller) @p limit: a caller that takes a file over @p limit only
 *  after a check of its own (normalized text, see posdiff_read_statement). */
int read_file_capped(char **out, size_t *len, const char *path, size_t cap, size_t limit);
/** read_file_capped from @p fd, open on @p path (for messages); closes @p fd. */
int read_fd_capped(char **out, size_t *len, int fd, const char *path, size_t cap, size_t limit);
/** The size limit of a statement: POSDIFF_MAX_BYTES (bytes, or with a K,
 *  M or G suffix), else @p def; 0 when the variable is not such a number. */
size_t max_bytes_env(size_t def);
/**
 * Read the regular file @p path whole (malloc'ed, NUL-terminated) without
 * blocking on a FIFO and without setting an error: -1 on any failure,
 * for callers that then take another road.
 */
int read_regular_file(char **out, size_t *len, const char *path);
/** Write @p data to @p path atomically; fails if @p path exists and !replace. */
int write_file_atomic(const char *path, const char *data, size_t len, int replace);
/** As write_file_atomic(@p path, ..., 0), written first as @p stage (on
 *  the same file system), which stays linked to @p path for the caller
 *  to remove: while it exists, the new file is not yet accounted for. */
int write_file_staged(const char *path, const char *stage, const char *data, size_t len);
/**
 * Replace @p path with @p data through a temporary sibling and a rename,
 * without fsync: for caches whose reader checks every byte (a checksum),
 * so that what a crash leaves (the old file, the new one, or a torn or
 * empty one) is used whole or not at all.
 */
int write_cache_file(const char *path, const char *data, size_t len);
/**
 * Map the regular file @p path read-only (at most @p max bytes): for the
 * caches beside the history, which their writers only ever replace by
 * renaming a new file over them, never rewrite in place, so the mapping
 * stays whole.  -1 (no error set) when it cannot be; *len may be 0 (then
 * *data is "").  Undo with unmap_file.
 */
int map_file(const char **data, size_t *len, const char *path, size_t max);
void unmap_file(const char *data, size_t len);
/** Copy @p from to a new file @p to (must not exist). */
int copy_file(const char *from, const char *to);
/** fsync a file by path. */
int fsync_path(const char *path);
/** mkdir -p. */
int mkdir_p(const char *path);

#endif
