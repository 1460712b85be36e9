/* passes.c — the pass pipeline: one flat list, read top to bottom. */
#include "passes.h"

const Pass PASSES[] = {
    {"instances", pass_instances},           /* prices, instance selection, checks needing instance data */
    {"storage", pass_storage},               /* FSx sizing, throughput figures, require */
    {"pcluster-rules", pass_pcluster_rules}, /* ParallelCluster's offline validators */
    {"security", pass_security},             /* security lints: warnings with ids */
    {"cost", pass_cost},                     /* the cost breakdown and the budget gate */
    {NULL, NULL},
};
