/* catalog.h — the data the instance, storage and cost passes read: the EC2
 * instance catalog, a price snapshot, the FSx for Lustre table.
 *
 * The built-in files are the JSON files of stdlib/data/ (compiled into the binary; read
 * from --stdlib DIR instead when given). A spec may name its own snapshot
 * (`prices = "file.json"`, written by `hpcc prices update`). Formats:
 * docs/prices.md. Every number is exact (Rat). */
#ifndef HPCC_CATALOG_H
#define HPCC_CATALOG_H

#include "hpcc.h"
#include "num.h"

typedef struct Instance {
    const char *type;
    int64_t vcpus, cores, threads_per_core;
    int64_t memory_gib;
    const char *arch;            /* x86_64 | arm64 */
    const char *cpu;
    bool avx512, efa;
    Rat network_gbps;
    int64_t nvme_gb;             /* decimal GB, as AWS counts it */
    int64_t gpus, gpu_memory_gib; /* GPUs only; total GPU memory */
    const char *accel_kind;      /* accelerators that are not GPUs (trainium), or NULL */
    int64_t accel_count;
    const char **regions;        /* where the facts say it is offered */
    size_t nregions;
    const char *unverified_cores; /* why cores are not measured, or NULL */
} Instance;

typedef struct Catalog {
    Instance *v;
    size_t n;
} Catalog;

/* A price and how sure the facts are of it. */
typedef struct Price {
    Rat usd;
    const char *per;             /* "GB-month", "MiB/s-month", ... */
    char confidence;             /* 'V', 'C' or 'U' (unverified) */
    const char *source;
} Price;

typedef struct FsxPrice {
    const char *deployment, *media;
    int64_t per_unit;            /* MB/s/TiB */
    Price price;                 /* per GB-month */
} FsxPrice;

typedef struct Prices {
    const char *region;
    const char *label;           /* "built-in snapshot (2026-07-20)" or the file's path */
    const char *version, *published;
    char sha256[65];             /* of the snapshot file itself */
    StrMap *ec2;                 /* type -> Rat* USD per hour */
    FsxPrice *fsx;
    size_t nfsx;
    Price efs_standard, efs_provisioned, ebs_gp3, ebs_gp3_iops, ebs_gp3_throughput, ebs_gp2, s3_standard;
} Prices;

typedef struct FsxTier {
    const char *deployment, *media;
    int64_t per_unit;            /* MB/s/TiB */
    int64_t min_gib, step_gib;   /* the smallest capacity, then multiples of step */
    int64_t disk_baseline, disk_burst, network_baseline, network_burst; /* MB/s per TiB; burst 0: none */
} FsxTier;

typedef struct FsxTable {
    FsxTier *v;
    size_t n;
} FsxTable;

/* The built-in data as C tables, generated at build time from the same JSON
 * files by tools/gen-tables.c (build/data_tables.c). */
typedef struct BuiltinEc2Price {
    const char *type;
    Rat usd;
} BuiltinEc2Price;

typedef struct BuiltinPrices {
    const char *region, *version, *published;
    const char *sha256;          /* of data/prices-us-east-1.json */
    Price efs_standard, efs_provisioned, ebs_gp3, ebs_gp3_iops, ebs_gp3_throughput, ebs_gp2, s3_standard;
} BuiltinPrices;

extern const Instance BUILTIN_INSTANCES[];
extern const size_t BUILTIN_NINSTANCES;
extern const FsxTier BUILTIN_FSX[];
extern const size_t BUILTIN_NFSX;
extern const BuiltinEc2Price BUILTIN_EC2[];
extern const size_t BUILTIN_NEC2;
extern const FsxPrice BUILTIN_FSX_PRICES[];
extern const size_t BUILTIN_NFSX_PRICES;
extern const BuiltinPrices BUILTIN_PRICES;

/* The built-in catalog and FSx table (loaded once per Hpcc; a broken built-in
 * file is an internal error: the tests load them). */
const Catalog *catalog_get(Hpcc *h);
const FsxTable *fsx_table(Hpcc *h);
const Instance *catalog_find(const Catalog *c, const char *type);

/* The built-in snapshot (path NULL) or a snapshot file, called `label` in
 * reports (the name the spec gives it, never an absolute path). On a bad
 * file: NULL, and *err says why. */
const Prices *prices_load(Hpcc *h, const char *path, const char *label, const char **err);
/* The on-demand hourly price of a type, or NULL when it is not offered in the snapshot's region. */
const Rat *prices_ec2(const Prices *p, const char *type);
const FsxPrice *prices_fsx(const Prices *p, const char *deployment, const char *media, int64_t per_unit);

/* The catalog type closest to a misspelt one, or NULL. */
const char *catalog_closest(Hpcc *h, const Catalog *c, const char *type);

#endif
