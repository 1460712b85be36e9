/* passes.c — the pass pipeline: one flat list, read top to bottom. */
#include "passes.h"

const Pass PASSES[] = {
    {"instances", pass_instances},           /* prices, instance selection, checks needing instance data */
    {"pcluster-rules", pass_pcluster_rules}, /* ParallelCluster's offline validators */
    {"security", pass_security},             /* security lints: warnings with ids */
    {NULL, NULL},
};
