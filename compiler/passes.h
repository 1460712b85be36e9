/* passes.h — the passes over the IR, in the order they run (passes.c). */
#ifndef HPCC_PASSES_H
#define HPCC_PASSES_H

#include "ir.h"

typedef void (*PassFn)(Hpcc *h, Ir *ir);

typedef struct Pass {
    const char *name;   /* shown as the provenance of what a pass sets */
    PassFn run;
} Pass;

/* The pipeline: every pass runs, in this order, on a well-typed IR; all of
 * them report together, and the run stops after them if any found errors. */
extern const Pass PASSES[];

void pass_instances(Hpcc *h, Ir *ir);
void pass_storage(Hpcc *h, Ir *ir);
void pass_pcluster_rules(Hpcc *h, Ir *ir);
void pass_security(Hpcc *h, Ir *ir);
void pass_cost(Hpcc *h, Ir *ir);

#endif
