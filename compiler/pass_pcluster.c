/* pass_pcluster.c — ParallelCluster 3.11's offline validation rules.
 * (Filled in rule by rule; see docs/pcluster-rules.md.) */
#include "diag.h"
#include "passes.h"

void pass_pcluster_rules(Hpcc *h, Ir *ir)
{
    (void)h;
    (void)ir;
}
