/* stdmods.h — the standard library modules, built into the binary.
 *
 * `use std.a.b` loads stdlib/a/b.hpc. The files are compiled into hpcc (see
 * tools/embed.c), so an installed hpcc needs nothing beside it; `--stdlib DIR`
 * or the HPCC_STDLIB environment variable reads them from DIR instead, for
 * working on the stdlib itself. */
#ifndef HPCC_STDMODS_H
#define HPCC_STDMODS_H

#include <stddef.h>

typedef struct StdFile {
    const char *path;   /* relative to stdlib/, e.g. "profiles/bb5.hpc" */
    const char *text;
    size_t len;
} StdFile;

/* The built-in files (generated), terminated by a {NULL} entry. */
extern const StdFile STDLIB_FILES[];

#endif
