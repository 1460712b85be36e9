/* catalog.c — loads the instance catalog, price snapshots and the FSx table
 * (formats: docs/prices.md) into exact numbers, once per compilation. */
#include "catalog.h"

#include <string.h>

#include "json.h"
#include "sha256.h"
#include "source.h"
#include "stdmods.h"

typedef struct DataCache {
    Catalog *catalog;
    FsxTable *fsx;
    const Prices *builtin;
} DataCache;

static DataCache *cache(Hpcc *h)
{
    if (!h->data) h->data = NEW(h->arena, DataCache);
    return h->data;
}

/* A data file of the stdlib: built in, or from --stdlib DIR. */
static const char *std_data(Hpcc *h, const char *rel, size_t *len)
{
    if (h->stdlib_dir) {
        const char *err;
        char *text = read_file(h->arena, arena_printf(h->arena, "%s/%s", h->stdlib_dir, rel), len, &err, READ_REGULAR);
        if (!text) hpcc_die("cannot read the stdlib's %s/%s: %s", h->stdlib_dir, rel, err);
        return text;
    }
    for (size_t i = 0; STDLIB_FILES[i].path; i++)
        if (strcmp(STDLIB_FILES[i].path, rel) == 0) {
            *len = STDLIB_FILES[i].len;
            return STDLIB_FILES[i].text;
        }
    hpcc_die("internal error: %s is not built in", rel);
}

/* ---- reading JSON into exact values, with a reason on failure ------------------------ */

typedef struct Rd {
    Hpcc *h;
    const char *err;   /* the first problem, with its JSON path */
} Rd;

static void bad(Rd *r, const char *path, const char *what)
{
    if (!r->err) r->err = arena_printf(r->h->arena, "%s: %s", path, what);
}

static const char *str_at(Rd *r, const Json *o, const char *key, const char *path, bool nullable)
{
    const Json *v = js_get(o, key);
    if (nullable && (!v || !js_is_string(v))) return NULL;
    if (!js_is_string(v)) {
        bad(r, arena_printf(r->h->arena, "%s.%s", path, key), "expected a string");
        return NULL;
    }
    return arena_strdup(r->h->arena, js_str_value(v));
}

static int64_t int_at(Rd *r, const Json *o, const char *key, const char *path)
{
    const Json *v = js_get(o, key);
    if (!js_is_int(v) || js_int_value(v) < 0) {
        bad(r, arena_printf(r->h->arena, "%s.%s", path, key), "expected a whole number >= 0");
        return 0;
    }
    return js_int_value(v);
}

static bool bool_at(Rd *r, const Json *o, const char *key, const char *path)
{
    const Json *v = js_get(o, key);
    if (!js_is_bool(v)) bad(r, arena_printf(r->h->arena, "%s.%s", path, key), "expected true or false");
    return js_bool_value(v);
}

/* A decimal string such as "0.0960", exact, >= 0. */
static Rat dec_at(Rd *r, const Json *o, const char *key, const char *path)
{
    const char *s = js_str_value(js_get(o, key));
    Rat v = {0, 1};
    if (!s || !s[0] || s[0] == '-' || s[0] == '.' || !rat_parse(s, strlen(s), &v))
        bad(r, arena_printf(r->h->arena, "%s.%s", path, key), "expected a decimal number as a string, such as \"0.096\"");
    return v;
}

static Price price_at(Rd *r, const Json *o, const char *key, const char *path)
{
    Price p = {{0, 1}, NULL, 'U', NULL};
    const Json *v = key ? js_get(o, key) : o;
    const char *where = key ? arena_printf(r->h->arena, "%s.%s", path, key) : path;
    if (!js_is_object(v)) {
        bad(r, where, "expected a price {usd, per, confidence, source}");
        return p;
    }
    p.usd = dec_at(r, v, "usd", where);
    p.per = str_at(r, v, "per", where, false);
    const char *c = str_at(r, v, "confidence", where, false);
    if (c && (strlen(c) != 1 || !strchr("VCU", c[0]))) bad(r, arena_printf(r->h->arena, "%s.confidence", where), "expected \"V\", \"C\" or \"U\"");
    if (c) p.confidence = c[0];
    p.source = str_at(r, v, "source", where, false);
    return p;
}

/* ---- the catalog ------------------------------------------------------------------------ */

const Catalog *catalog_get(Hpcc *h)
{
    DataCache *dc = cache(h);
    if (dc->catalog) return dc->catalog;
    if (!h->stdlib_dir) {
        Catalog *c = NEW(h->arena, Catalog);
        c->v = (Instance *)BUILTIN_INSTANCES;
        c->n = BUILTIN_NINSTANCES;
        return dc->catalog = c;
    }
    size_t len;
    const char *text = std_data(h, "data/instances.json", &len);
    char jerr[256];
    Json *root = js_parse(text, len, jerr, sizeof jerr);
    if (!root) hpcc_die("stdlib data/instances.json: %s", jerr);
    Rd r = {h, NULL};
    const Json *list = js_get(root, "instances");
    if (!js_is_array(list)) hpcc_die("stdlib data/instances.json: no instances list");
    Catalog *c = NEW(h->arena, Catalog);
    c->n = js_len(list);
    c->v = arena_alloc(h->arena, (c->n + 1) * sizeof *c->v);
    for (size_t i = 0; i < c->n; i++) {
        const Json *o = js_at(list, i);
        const char *path = arena_printf(h->arena, "instances[%zu]", i);
        Instance *in = &c->v[i];
        in->type = str_at(&r, o, "type", path, false);
        in->vcpus = int_at(&r, o, "vcpus", path);
        in->cores = int_at(&r, o, "cores", path);
        in->threads_per_core = int_at(&r, o, "threads_per_core", path);
        in->memory_gib = int_at(&r, o, "memory_gib", path);
        in->arch = str_at(&r, o, "arch", path, false);
        in->cpu = str_at(&r, o, "cpu", path, false);
        in->avx512 = bool_at(&r, o, "avx512", path);
        in->efa = bool_at(&r, o, "efa", path);
        in->network_gbps = dec_at(&r, o, "network_gbps", path);
        in->nvme_gb = int_at(&r, o, "nvme_gb", path);
        in->gpus = int_at(&r, o, "gpus", path);
        in->gpu_memory_gib = int_at(&r, o, "gpu_memory_gib", path);
        const Json *acc = js_get(o, "accelerators");
        if (js_is_object(acc)) {
            in->accel_kind = str_at(&r, acc, "kind", path, false);
            in->accel_count = int_at(&r, acc, "count", path);
        }
        const Json *regs = js_get(o, "regions");
        in->nregions = js_len(regs);
        in->regions = arena_alloc(h->arena, (in->nregions + 1) * sizeof *in->regions);
        for (size_t k = 0; k < in->nregions; k++) in->regions[k] = arena_strdup(h->arena, js_str_value(js_at(regs, k)));
        in->unverified_cores = str_at(&r, js_get(o, "unverified"), "cores", path, true);
        if (in->type && catalog_find(&(Catalog){c->v, i}, in->type)) bad(&r, path, "type listed twice");
    }
    js_release(root);
    if (r.err) hpcc_die("stdlib data/instances.json: %s", r.err);
    return dc->catalog = c;
}

const Instance *catalog_find(const Catalog *c, const char *type)
{
    for (size_t i = 0; i < c->n; i++)
        if (str_eq(c->v[i].type, type)) return &c->v[i];
    return NULL;
}

const char *catalog_closest(Hpcc *h, const Catalog *c, const char *type)
{
    const char **names = arena_alloc(h->arena, (c->n + 1) * sizeof *names);
    for (size_t i = 0; i < c->n; i++) names[i] = c->v[i].type;
    return closest_name(type, names, c->n);
}

/* ---- the FSx for Lustre table --------------------------------------------------------------- */

const FsxTable *fsx_table(Hpcc *h)
{
    DataCache *dc = cache(h);
    if (dc->fsx) return dc->fsx;
    if (!h->stdlib_dir) {
        FsxTable *t = NEW(h->arena, FsxTable);
        t->v = (FsxTier *)BUILTIN_FSX;
        t->n = BUILTIN_NFSX;
        return dc->fsx = t;
    }
    size_t len;
    const char *text = std_data(h, "data/fsx-lustre.json", &len);
    char jerr[256];
    Json *root = js_parse(text, len, jerr, sizeof jerr);
    if (!root) hpcc_die("stdlib data/fsx-lustre.json: %s", jerr);
    Rd r = {h, NULL};
    const Json *list = js_get(root, "deployments");
    FsxTable *t = NEW(h->arena, FsxTable);
    t->n = js_len(list);
    t->v = arena_alloc(h->arena, (t->n + 1) * sizeof *t->v);
    for (size_t i = 0; i < t->n; i++) {
        const Json *o = js_at(list, i);
        const char *path = arena_printf(h->arena, "deployments[%zu]", i);
        FsxTier *d = &t->v[i];
        d->deployment = str_at(&r, o, "deployment", path, false);
        d->media = str_at(&r, o, "media", path, false);
        d->per_unit = int_at(&r, o, "per_unit", path);
        d->min_gib = int_at(&r, o, "min_gib", path);
        d->step_gib = int_at(&r, o, "step_gib", path);
        d->disk_baseline = int_at(&r, o, "disk_baseline", path);
        d->disk_burst = js_is_int(js_get(o, "disk_burst")) ? int_at(&r, o, "disk_burst", path) : 0;
        d->network_baseline = int_at(&r, o, "network_baseline", path);
        d->network_burst = js_is_int(js_get(o, "network_burst")) ? int_at(&r, o, "network_burst", path) : 0;
        if (d->min_gib == 0 || d->step_gib == 0) bad(&r, path, "capacities must be positive");
    }
    js_release(root);
    if (r.err) hpcc_die("stdlib data/fsx-lustre.json: %s", r.err);
    return dc->fsx = t;
}

/* ---- price snapshots ------------------------------------------------------------------------ */

static const Prices *parse_prices(Hpcc *h, const char *text, size_t len, const char *label, const char **err)
{
    char jerr[256];
    Json *root = js_parse(text, len, jerr, sizeof jerr);
    if (!root) {
        *err = arena_printf(h->arena, "not JSON (%s)", jerr);
        return NULL;
    }
    Rd r = {h, NULL};
    Prices *p = NEW(h->arena, Prices);
    p->label = label;
    sha256_hex(text, len, p->sha256);
    const char *format = js_str_value(js_get(root, "format"));
    if (!str_eq(format, "hpcc-prices/1")) {
        bad(&r, "format", format ? arena_printf(h->arena, "'%s' is not a format this hpcc reads (hpcc-prices/1)", format)
                                 : "missing: not an hpcc price snapshot");
    }
    p->region = str_at(&r, root, "region", "snapshot", false);
    const char *cur = str_at(&r, root, "currency", "snapshot", false);
    if (cur && !str_eq(cur, "USD")) bad(&r, "currency", "only USD prices are supported");
    const Json *src = js_get(root, "source");
    if (!js_is_object(src)) bad(&r, "source", "missing");
    p->version = str_at(&r, src, "version", "source", true);
    p->published = str_at(&r, src, "published", "source", true);
    const Json *ec2 = js_get(root, "ec2");
    if (!js_is_object(ec2)) bad(&r, "ec2", "expected an object of instance type -> hourly price");
    p->ec2 = strmap_new(h->arena);
    for (size_t i = 0; !r.err && i < js_obj_size(ec2); i++) {
        const char *type = js_key_at(ec2, i);
        Rat *v = NEW(h->arena, Rat);
        *v = dec_at(&r, ec2, type, "ec2");
        strmap_set(p->ec2, arena_strdup(h->arena, type), v);
    }
    const Json *st = js_get(root, "storage");
    if (!js_is_object(st)) bad(&r, "storage", "missing");
    const Json *fsx = js_get(st, "fsx_lustre");
    p->nfsx = js_len(fsx);
    p->fsx = arena_alloc(h->arena, (p->nfsx + 1) * sizeof *p->fsx);
    for (size_t i = 0; !r.err && i < p->nfsx; i++) {
        const Json *o = js_at(fsx, i);
        const char *path = arena_printf(h->arena, "storage.fsx_lustre[%zu]", i);
        p->fsx[i].price = price_at(&r, o, NULL, path);
        p->fsx[i].deployment = str_at(&r, o, "deployment", path, false);
        p->fsx[i].media = str_at(&r, o, "media", path, false);
        p->fsx[i].per_unit = int_at(&r, o, "per_unit", path);
    }
    p->efs_standard = price_at(&r, st, "efs_standard", "storage");
    p->efs_provisioned = price_at(&r, st, "efs_provisioned_throughput", "storage");
    p->ebs_gp3 = price_at(&r, st, "ebs_gp3", "storage");
    p->ebs_gp3_iops = price_at(&r, st, "ebs_gp3_iops", "storage");
    p->ebs_gp3_throughput = price_at(&r, st, "ebs_gp3_throughput", "storage");
    p->ebs_gp2 = price_at(&r, st, "ebs_gp2", "storage");
    p->s3_standard = price_at(&r, st, "s3_standard", "storage");
    js_release(root);
    if (r.err) {
        *err = r.err;
        return NULL;
    }
    return p;
}

static const Prices *builtin_prices(Hpcc *h)
{
    const BuiltinPrices *b = &BUILTIN_PRICES;
    Prices *p = NEW(h->arena, Prices);
    p->region = b->region;
    p->label = "the built-in snapshot";
    p->version = b->version;
    p->published = b->published;
    memcpy(p->sha256, b->sha256, 65);
    p->ec2 = strmap_new(h->arena);
    for (size_t i = 0; i < BUILTIN_NEC2; i++) strmap_set(p->ec2, BUILTIN_EC2[i].type, (void *)&BUILTIN_EC2[i].usd);
    p->fsx = (FsxPrice *)BUILTIN_FSX_PRICES;
    p->nfsx = BUILTIN_NFSX_PRICES;
    p->efs_standard = b->efs_standard;
    p->efs_provisioned = b->efs_provisioned;
    p->ebs_gp3 = b->ebs_gp3;
    p->ebs_gp3_iops = b->ebs_gp3_iops;
    p->ebs_gp3_throughput = b->ebs_gp3_throughput;
    p->ebs_gp2 = b->ebs_gp2;
    p->s3_standard = b->s3_standard;
    return p;
}

const Prices *prices_load(Hpcc *h, const char *path, const char *label, const char **err)
{
    if (!path) {
        DataCache *dc = cache(h);
        if (dc->builtin) return dc->builtin;
        if (!h->stdlib_dir) return dc->builtin = builtin_prices(h);
        size_t len;
        const char *text = std_data(h, "data/prices-us-east-1.json", &len);
        const Prices *p = parse_prices(h, text, len, "the built-in snapshot", err);
        if (!p) hpcc_die("stdlib data/prices-us-east-1.json: %s", *err);
        return dc->builtin = p;
    }
    size_t len;
    const char *rerr;
    char *text = read_file(h->arena, path, &len, &rerr, READ_REGULAR);
    if (!text) {
        *err = arena_printf(h->arena, "cannot read it: %s", rerr);
        return NULL;
    }
    return parse_prices(h, text, len, label ? label : path, err);
}

const Rat *prices_ec2(const Prices *p, const char *type) { return strmap_get(p->ec2, type); }

const FsxPrice *prices_fsx(const Prices *p, const char *deployment, const char *media, int64_t per_unit)
{
    for (size_t i = 0; i < p->nfsx; i++)
        if (str_eq(p->fsx[i].deployment, deployment) && str_eq(p->fsx[i].media, media) && p->fsx[i].per_unit == per_unit)
            return &p->fsx[i];
    return NULL;
}
