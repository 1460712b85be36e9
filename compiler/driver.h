/* driver.h — the pipeline from a spec file to the IR (and, later, artifacts).
 *
 * The phases run in order and each reports everything it finds: parse (the
 * spec and the stdlib modules it uses), resolve and lower (names, types,
 * units, patterns, fields), then the passes over the IR. A phase with errors
 * stops the run before the next. */
#ifndef HPCC_DRIVER_H
#define HPCC_DRIVER_H

#include "ir.h"

/* Runs the front end on `path`. Returns the IR, or NULL when the spec has
 * errors (reported in h) or could not be read (*io_error set, message in h). */
Ir *driver_front(Hpcc *h, const char *path, const char **io_error);

#endif
