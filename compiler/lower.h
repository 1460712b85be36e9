/* lower.h — from evaluated records to the IR, checking fields and types.
 *
 * Lowering is the schema of the language: each block's fields are read with
 * typed getters that check kind, unit and pattern, apply ParallelCluster's
 * defaults (marked as defaults) and record provenance; a field no getter asked
 * for is an unknown field, with "did you mean". docs/language.md lists the
 * fields. */
#ifndef HPCC_LOWER_H
#define HPCC_LOWER_H

#include "eval.h"
#include "ir.h"

/* Lowers every cluster of the main module (templates are checked leniently and
 * left out). Diagnostics go to h; the IR is complete when there are none. */
Ir *lower_spec(Hpcc *h, Module *main);

/* The ParallelCluster versions whose rules hpcc knows, and the default. */
extern const char *const PCLUSTER_VERSIONS[];
#define PCLUSTER_DEFAULT_VERSION "3.11.1"

#endif
