/* driver.h — the pipeline from a spec file to the IR and the artifacts.
 *
 * The phases run in order and each reports everything it finds: parse (the
 * spec and the stdlib modules it uses); resolve and lower (names, types,
 * units, patterns, fields); the passes over the IR (passes.c); the backends.
 * A phase with errors stops the run before the next. The driver alone does
 * I/O: it reads the spec and, through output.c, writes the output tree. */
#ifndef HPCC_DRIVER_H
#define HPCC_DRIVER_H

#include "ir.h"
#include "output.h"

/* Front end and passes. Returns the IR, or NULL when the spec has errors
 * (reported in h) or could not be read (*io_error set). */
Ir *driver_front(Hpcc *h, const char *path, const char **io_error);
/* The same on a spec already in memory, shown as `name` (`rel` in the IR);
 * h->spec_dir and h->spec_name are the caller's to set (the fuzz target). */
Ir *driver_front_text(Hpcc *h, const char *name, const char *rel, const char *text, size_t len);

/* Runs every backend on every cluster (or only `only`); problems become
 * diagnostics. Returns the trees to write, or NULL when there were errors. */
OutTree *driver_backends(Hpcc *h, const Ir *ir, const char *only, size_t *ntrees);

#endif
