/* atomic.h — replacing one file atomically.
 *
 * The new content goes to a temporary file in the same directory, is
 * flushed to disk (fsync), then renamed over the old name, and the directory
 * is flushed too: a reader sees the old file or the new one, never a part,
 * and on any failure the old file stays as it was. */
#ifndef PRICES_ATOMIC_H
#define PRICES_ATOMIC_H

#include <stdbool.h>
#include <stddef.h>

/* Checks early (before a long download) that a file can be created beside
 * `path` and that `path` is not a directory. */
bool atomic_probe(const char *path, char *err, size_t n);

/* Writes `data` as the new content of `path`. */
bool atomic_write(const char *path, const char *data, size_t len, char *err, size_t n);

#endif
