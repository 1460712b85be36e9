/* analysis.h — what the instance, storage and cost passes compute about a
 * cluster, beside the IR: the prices used, the instance choices, storage
 * figures and the cost breakdown. The report (report.c) and `hpcc cost` read
 * it; the IR itself carries only the values that reach an artifact (with the
 * pass that chose them as provenance). */
#ifndef HPCC_ANALYSIS_H
#define HPCC_ANALYSIS_H

#include "catalog.h"
#include "ir.h"

/* A node group whose instance type the selection pass chose. */
typedef struct Choice {
    const char *partition, *group, *profile;
    const char *type;
    Rat hourly;
    const char *runners_up[2];   /* the next cheapest, or NULL */
    Rat runner_hourly[2];
    size_t candidates;           /* types offered in the region that meet the profile */
    bool unverified;             /* the profile has a requirement marked unverified */
} Choice;

/* Figures computed for a storage (FSx for Lustre). */
typedef struct StorageFigures {
    const char *label;
    bool known;                  /* figures computed (a new file system hpcc knows the rates of) */
    Rat capacity_gib;
    Rat baseline_mbs, burst_mbs; /* aggregate disk throughput, MB/s */
    Rat per_node_mbs;            /* baseline share per node when every node that mounts it runs */
    int64_t nodes;               /* the nodes that share it at peak (compute, head) */
    const char *sized;           /* how the pass chose deployment/capacity/per-unit, or NULL if pinned */
} StorageFigures;

/* Slurm's RealMemory for a node group, derived as ParallelCluster does. */
typedef struct NodeMemory {
    const char *partition, *group, *smallest;
    int64_t ec2_mib;             /* the smallest type's memory */
    int64_t real_mib;            /* SchedulableMemory, else 95 % of ec2_mib rounded down */
    bool schedulable;            /* from the spec's schedulable_memory */
} NodeMemory;

typedef enum CostKind { COST_HEAD, COST_COMPUTE, COST_STORAGE } CostKind;

typedef struct CostLine {
    CostKind kind;
    const char *partition;       /* compute: its partition */
    const char *item;            /* node group, "head", storage or volume name */
    const char *detail;          /* "c7a.48xlarge at 9.85344 USD/h", "PERSISTENT_2 250 MB/s/TiB, 1200 GiB at 0.210 USD/GB-month" */
    int64_t min_count, max_count;
    Rat baseline_hourly, peak_hourly; /* head and compute */
    Rat monthly;                 /* storage */
    bool priced;                 /* false: not counted (no price, or billed elsewhere) */
    bool elsewhere;              /* an existing file system or volume: billed outside the cluster */
    bool unverified;             /* rests on a figure marked unverified */
    const char *note;            /* why unpriced, or what is unverified */
} CostLine;

typedef struct CostReport {
    VEC(CostLine) lines;
    Rat head_hourly;
    Rat baseline_hourly, peak_hourly;   /* head + compute at min / max counts */
    Rat storage_monthly;
    Rat monthly_baseline, monthly_peak; /* hourly x 730 + storage */
    size_t unverified;           /* figures marked unverified that the totals rest on */
    size_t unpriced;             /* items not counted for want of a price */
} CostReport;

typedef struct Analysis {
    const Prices *prices;        /* NULL: no prices for the cluster's region */
    const char *no_prices;       /* why, when prices is NULL */
    VEC(Choice) choices;
    VEC(NodeMemory) memory;
    VEC(StorageFigures) storage;
    CostReport *cost;            /* NULL when the cost pass did not run */
} Analysis;

/* The analysis of cluster i (allocated on first use). */
Analysis *analysis_of(Hpcc *h, Ir *ir, size_t i);

/* Exact helpers shared by the passes. */
Rat rat_mul_or_die(Rat a, Rat b);
Rat rat_add_or_die(Rat a, Rat b);
Rat rat_div_or_die(Rat a, Rat b);
/* have OP want, for the comparisons of profiles and `require` (>=, >, <=, <, ==). */
bool rat_holds(Rat have, const char *op, Rat want);
/* 730, AWS's hours per month. */
#define HOURS_PER_MONTH 730

#endif
