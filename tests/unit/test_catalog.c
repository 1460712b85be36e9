/* The built-in data as generated C tables (tools/gen-tables.c) must say
 * exactly what the JSON files say when compiler/catalog.c parses them
 * (--stdlib DIR reads the JSON). */
#include <criterion/criterion.h>
#include <string.h>

#include "catalog.h"
#include "hpcc.h"

static Hpcc *tables, *parsed;

static void setup(void)
{
    tables = hpcc_new();
    parsed = hpcc_new();
    parsed->stdlib_dir = "stdlib"; /* the tests run from the repository's root */
}

static void teardown(void)
{
    hpcc_free(tables);
    hpcc_free(parsed);
}

TestSuite(catalog, .init = setup, .fini = teardown);

static void same_str(const char *a, const char *b, const char *what)
{
    if (!a || !b) cr_assert(a == b, "%s: one is NULL", what);
    else cr_assert_str_eq(a, b, "%s", what);
}

static void same_rat(Rat a, Rat b, const char *what) { cr_assert(rat_cmp(a, b) == 0, "%s differs", what); }

static void same_price(const Price *a, const Price *b, const char *what)
{
    same_rat(a->usd, b->usd, what);
    same_str(a->per, b->per, what);
    cr_assert_eq(a->confidence, b->confidence, "%s confidence", what);
    same_str(a->source, b->source, what);
}

Test(catalog, instances_tables_equal_json)
{
    const Catalog *a = catalog_get(tables), *b = catalog_get(parsed);
    cr_assert_eq(a->n, b->n);
    cr_assert_geq(a->n, 29);
    for (size_t i = 0; i < a->n; i++) {
        const Instance *x = &a->v[i], *y = &b->v[i];
        same_str(x->type, y->type, "type");
        cr_assert(x->vcpus == y->vcpus && x->cores == y->cores && x->threads_per_core == y->threads_per_core, "%s cpus", x->type);
        cr_assert(x->memory_gib == y->memory_gib && x->nvme_gb == y->nvme_gb, "%s sizes", x->type);
        cr_assert(x->gpus == y->gpus && x->gpu_memory_gib == y->gpu_memory_gib && x->accel_count == y->accel_count, "%s gpus", x->type);
        cr_assert(x->avx512 == y->avx512 && x->efa == y->efa, "%s flags", x->type);
        same_str(x->arch, y->arch, "arch");
        same_str(x->cpu, y->cpu, "cpu");
        same_str(x->accel_kind, y->accel_kind, "accelerators");
        same_str(x->unverified_cores, y->unverified_cores, "unverified cores");
        same_rat(x->network_gbps, y->network_gbps, "network");
        cr_assert_eq(x->nregions, y->nregions, "%s regions", x->type);
        for (size_t k = 0; k < x->nregions; k++) same_str(x->regions[k], y->regions[k], "region");
    }
    /* trn1's Trainium chips are accelerators, not GPUs */
    const Instance *trn = catalog_find(a, "trn1.32xlarge");
    cr_assert(trn && trn->gpus == 0 && trn->accel_count == 16 && strcmp(trn->accel_kind, "trainium") == 0);
}

Test(catalog, fsx_tables_equal_json)
{
    const FsxTable *a = fsx_table(tables), *b = fsx_table(parsed);
    cr_assert_eq(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) cr_assert(memcmp(&a->v[i].per_unit, &b->v[i].per_unit, sizeof(int64_t) * 7) == 0, "tier %zu", i);
}

Test(catalog, builtin_prices_equal_json)
{
    const char *err = NULL;
    const Prices *a = prices_load(tables, NULL, NULL, &err), *b = prices_load(parsed, NULL, NULL, &err);
    cr_assert(a && b, "%s", err ? err : "");
    same_str(a->region, b->region, "region");
    same_str(a->version, b->version, "version");
    cr_assert_str_eq(a->sha256, b->sha256);
    cr_assert_eq(strmap_count(a->ec2), strmap_count(b->ec2));
    for (size_t i = 0; i < strmap_count(a->ec2); i++) {
        const char *type = strmap_key_at(a->ec2, i);
        const Rat *y = prices_ec2(b, type);
        cr_assert(y, "%s missing", type);
        same_rat(*(const Rat *)strmap_val_at(a->ec2, i), *y, type);
    }
    /* hpc6a, hpc6id and hpc7a are not sold in us-east-1: no price, never another region's */
    cr_assert_null(prices_ec2(a, "hpc7a.96xlarge"));
    cr_assert_null(prices_ec2(a, "hpc6a.48xlarge"));
    cr_assert_null(prices_ec2(a, "hpc6id.32xlarge"));
    cr_assert_eq(a->nfsx, b->nfsx);
    for (size_t i = 0; i < a->nfsx; i++) {
        same_str(a->fsx[i].deployment, b->fsx[i].deployment, "deployment");
        cr_assert_eq(a->fsx[i].per_unit, b->fsx[i].per_unit);
        same_price(&a->fsx[i].price, &b->fsx[i].price, "fsx price");
    }
    same_price(&a->efs_standard, &b->efs_standard, "efs");
    same_price(&a->efs_provisioned, &b->efs_provisioned, "efs provisioned");
    same_price(&a->ebs_gp3, &b->ebs_gp3, "gp3");
    same_price(&a->ebs_gp3_iops, &b->ebs_gp3_iops, "gp3 iops");
    same_price(&a->ebs_gp3_throughput, &b->ebs_gp3_throughput, "gp3 throughput");
    same_price(&a->ebs_gp2, &b->ebs_gp2, "gp2");
    same_price(&a->s3_standard, &b->s3_standard, "s3");
}
