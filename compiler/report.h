/* report.h — the cost and capacity report of a cluster, from its analysis:
 * `hpcc cost` (text, markdown, json) and report.md / report.json beside the
 * artifacts. Deterministic: the same spec and prices give the same bytes. */
#ifndef HPCC_REPORT_H
#define HPCC_REPORT_H

#include "analysis.h"

typedef enum ReportFormat { REPORT_TEXT, REPORT_MARKDOWN, REPORT_JSON } ReportFormat;

/* One cluster's report, allocated in `a`. */
char *report_cluster(Arena *a, const IrCluster *c, const Analysis *an, ReportFormat f);
/* Every cluster (or only `only`): text and markdown concatenate the clusters'
 * reports; json is an object keyed by cluster name. */
char *report_all(Arena *a, const Ir *ir, const char *only, ReportFormat f);
/* ", peak 329.49 USD/h, baseline 259.59 USD/month (1 figure unverified)" or "" */
const char *report_summary(Arena *a, const Analysis *an);

#endif
