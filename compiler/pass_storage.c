/* pass_storage.c — FSx for Lustre sizing, throughput figures and `require`.
 *
 * Figures follow AWS's own arithmetic: a file system of C GiB has C/1000
 * "TiB" (AWS calls 1200 GiB "1.2 TiB"), and its aggregate disk throughput is
 * that times the per-TiB rate of its deployment (stdlib/data/fsx-lustre.json):
 * baseline, and burst where the table gives one. The per-node share is the
 * baseline divided by the compute nodes that mount it when every partition
 * runs at its maximum (ParallelCluster mounts shared storage on every node).
 *
 * Sizing: a new Lustre file system whose deployment, capacity or per-unit
 * throughput the spec leaves open, and which a `require` condition
 * constrains, gets the cheapest valid combination of the open values (from
 * the FSx table and the price snapshot) that meets every condition; each
 * deployment type is tried at its smallest valid capacity that meets them.
 * DRAs restrict the choice to PERSISTENT_2, a KMS key to persistent types.
 * Values the spec pins are kept, and the conditions checked against them. */
#include <stdint.h>
#include <string.h>

#include "analysis.h"
#include "diag.h"
#include "passes.h"

static const Span NOSPAN = {0, 0, 0};

typedef struct P {
    Hpcc *h;
    IrCluster *c;
    Analysis *an;
    const FsxTable *fsx;
    int64_t nodes;              /* compute nodes at peak */
} P;

static bool pinned(Prov p) { return p.origin == ORIGIN_SPEC; }

static const char *num(P *p, Rat r)
{
    char b[96];
    return arena_strdup(p->h->arena, rat_format(r, b, sizeof b));
}

/* The fact a requirement is about: "throughput", "capacity", ... (subject storage.LABEL.FACT). */
static const char *fact_of(const IrRequire *q) { return strrchr(q->subject.v, '.') + 1; }

static bool about(const IrRequire *q, const IrStorage *s)
{
    const char *label = q->subject.v + strlen("storage.");
    size_t n = strlen(s->label.v);
    return strncmp(label, s->label.v, n) == 0 && label[n] == '.';
}

static const FsxTier *tier_of(P *p, const char *dep, const char *media, int64_t per_unit)
{
    for (size_t i = 0; i < p->fsx->n; i++) {
        const FsxTier *t = &p->fsx->v[i];
        bool scratch = str_has_prefix(dep, "SCRATCH");
        if (str_eq(t->deployment, dep) && str_eq(t->media, media) && (scratch || t->per_unit == per_unit)) return t;
    }
    return NULL;
}

typedef struct Figs {
    Rat capacity, baseline, burst, per_node;
} Figs;

static Figs figures(P *p, const FsxTier *t, int64_t gib)
{
    Figs f;
    Rat tib = rat_div_or_die(rat_int(gib), rat_int(1000));
    f.capacity = rat_int(gib);
    f.baseline = rat_mul_or_die(tib, rat_int(t->disk_baseline));
    f.burst = rat_mul_or_die(tib, rat_int(t->disk_burst ? t->disk_burst : t->disk_baseline));
    f.per_node = p->nodes ? rat_div_or_die(f.baseline, rat_int(p->nodes)) : f.baseline;
    return f;
}

static Rat fig(const Figs *f, const char *fact)
{
    if (str_eq(fact, "capacity")) return f->capacity;
    if (str_eq(fact, "throughput")) return f->baseline;
    if (str_eq(fact, "burst_throughput")) return f->burst;
    return f->per_node;
}

/* The n-th valid capacity of a tier: min, then multiples of step above it. */
static int64_t nth_capacity(const FsxTier *t, int64_t k)
{
    if (k == 0) return t->min_gib;
    int64_t first = (t->min_gib / t->step_gib + 1) * t->step_gib; /* the first multiple above min */
    if (t->min_gib % t->step_gib == 0) first = t->min_gib + t->step_gib;
    return first + (k - 1) * t->step_gib;
}

/* Is this a capacity the tier offers? */
static bool capacity_valid(const FsxTier *t, int64_t gib)
{
    return gib == t->min_gib || (gib > t->min_gib && gib % t->step_gib == 0);
}

/* The smallest valid capacity of tier t (or exactly `fixed` when pinned) that
 * meets every requirement on s; 0 if none does. */
static int64_t smallest_capacity(P *p, const FsxTier *t, const IrStorage *s, int64_t fixed)
{
    const IrCluster *c = p->c;
    /* A lower bound in GiB from each >= / > / == requirement, to start near the answer. */
    Rat lower = {0, 1};
    for (size_t i = 0; i < c->requires.n; i++) {
        const IrRequire *q = c->requires.v[i];
        if (!about(q, s) || str_eq(q->op.v, "<=") || str_eq(q->op.v, "<")) continue;
        const char *fact = fact_of(q);
        Rat need = q->value.v, per_gib; /* figure per GiB of capacity */
        if (str_eq(fact, "capacity")) per_gib = rat_int(1);
        else {
            int64_t rate = str_eq(fact, "burst_throughput") && t->disk_burst ? t->disk_burst : t->disk_baseline;
            per_gib = rat_div_or_die(rat_int(rate), rat_int(1000));
            if (str_eq(fact, "per_node_throughput") && p->nodes) per_gib = rat_div_or_die(per_gib, rat_int(p->nodes));
        }
        Rat gib = rat_div_or_die(need, per_gib);
        if (rat_cmp(gib, lower) > 0) lower = gib;
    }
    int64_t k = 0;
    if (fixed) {
        if (!capacity_valid(t, fixed)) return 0;
    } else {
        i128 lo = lower.num / lower.den; /* rounded down: the loop below steps up */
        if (lo > (i128)INT64_MAX / 2) return 0; /* beyond any size */
        if (lo > t->min_gib) k = (int64_t)((lo - t->min_gib) / t->step_gib);
        if (k > 0) k--;
    }
    for (int guard = 0; guard < 8; guard++, k++) {
        int64_t gib = fixed ? fixed : nth_capacity(t, k);
        Figs f = figures(p, t, gib);
        bool lows = true, highs = true;
        for (size_t i = 0; i < c->requires.n; i++) {
            const IrRequire *q = c->requires.v[i];
            if (!about(q, s) || rat_holds(fig(&f, fact_of(q)), q->op.v, q->value.v)) continue;
            if (str_eq(q->op.v, "<=") || str_eq(q->op.v, "<")) highs = false;
            else if (str_eq(q->op.v, "==") && rat_cmp(fig(&f, fact_of(q)), q->value.v) > 0) highs = false;
            else lows = false;
        }
        if (!highs) return 0;   /* growing only makes an upper bound worse */
        if (lows) return gib;
        if (fixed) return 0;
    }
    return 0;
}

typedef struct Option {
    const FsxTier *t;
    int64_t gib;
    Rat monthly;
    const FsxPrice *price;
} Option;

/* False when no configuration fits (reported). */
static bool size_lustre(P *p, IrStorage *s)
{
    Arena *A = p->h->arena;
    const char *dep = pinned(s->deployment.p) ? s->deployment.v : NULL;
    const char *media = pinned(s->media.p) ? s->media.v : NULL;
    int64_t pu = ir_set(s->per_unit.p) ? rat_to_i64(s->per_unit.v) : 0;
    int64_t cap = ir_set(s->capacity.p) && rat_is_int(s->capacity.v) ? rat_to_i64(s->capacity.v) : 0;
    if (!p->an->prices) {
        Diag *d = diag(p->h, D_STORAGE_SIZING, s->label.p.span, "cannot size FSx file system '%s': %s", s->label.v, p->an->no_prices);
        diag_label(d, "pin deployment, capacity and per_unit, or give prices for %s", p->c->region.v);
        return false;
    }
    Option best = {0}, second = {0};
    size_t tried = 0;
    for (size_t i = 0; i < p->fsx->n; i++) {
        const FsxTier *t = &p->fsx->v[i];
        if ((dep && !str_eq(t->deployment, dep)) || (media && !str_eq(t->media, media))) continue;
        if (pu && (str_has_prefix(t->deployment, "SCRATCH") || t->per_unit != pu)) continue; /* scratch takes no per_unit */
        if (s->links.n && !str_eq(t->deployment, "PERSISTENT_2")) continue;
        if (ir_set(s->kms_key.p) && str_has_prefix(t->deployment, "SCRATCH")) continue;
        const FsxPrice *price = prices_fsx(p->an->prices, t->deployment, t->media, t->per_unit);
        if (!price) continue;
        tried++;
        int64_t gib = smallest_capacity(p, t, s, cap);
        if (!gib) continue;
        Option o = {t, gib, rat_mul_or_die(rat_int(gib), price->price.usd), price};
        bool better = !best.t || rat_cmp(o.monthly, best.monthly) < 0 ||
                      (rat_cmp(o.monthly, best.monthly) == 0 && o.gib < best.gib);
        if (better) second = best, best = o;
        else if (!second.t || rat_cmp(o.monthly, second.monthly) < 0) second = o;
    }
    if (!best.t) {
        Diag *d = diag(p->h, D_STORAGE_SIZING, s->label.p.span, "no FSx for Lustre configuration meets the requirements on '%s'",
                       s->label.v);
        diag_label(d, "%zu combination%s of deployment type and throughput tried%s", tried, tried == 1 ? "" : "s",
                   dep || media || pu || cap ? ", within the values the spec pins" : "");
        for (size_t i = 0; i < p->c->requires.n; i++)
            if (about(p->c->requires.v[i], s)) diag_note(d, p->c->requires.v[i]->at, "a requirement");
        return false;
    }
    Buf why = {0};
    buf_printf(&why, "storage sizing: the cheapest FSx for Lustre configuration meeting the requirements on '%s' "
                     "(%s %lld MB/s/TiB %s, %lld GiB, %s USD/month)",
               s->label.v, best.t->deployment, (long long)best.t->per_unit, best.t->media, (long long)best.gib, num(p, best.monthly));
    if (second.t)
        buf_printf(&why, "; runner-up: %s %lld MB/s/TiB %s, %lld GiB, %s USD/month", second.t->deployment,
                   (long long)second.t->per_unit, second.t->media, (long long)second.gib, num(p, second.monthly));
    const char *by = arena_strdup(A, why.p);
    buf_free(&why);
    bool unv = best.price->price.confidence == 'U';
    Prov pp = {ORIGIN_PASS, NOSPAN, by, unv, unv ? "the FSx price this choice rests on is not from a source" : NULL};
    if (!pinned(s->deployment.p)) s->deployment.v = best.t->deployment, s->deployment.p = pp;
    if (!ir_set(s->capacity.p)) s->capacity.v = rat_int(best.gib), s->capacity.unit = "GiB", s->capacity.p = pp;
    if (!str_has_prefix(best.t->deployment, "SCRATCH") && !ir_set(s->per_unit.p))
        s->per_unit.v = rat_int(best.t->per_unit), s->per_unit.unit = "MB/s/TiB", s->per_unit.p = pp;
    if (!pinned(s->media.p) && str_eq(best.t->media, "HDD")) s->media.v = "HDD", s->media.p = pp;
    return true;
}

static bool needs_sizing(P *p, const IrStorage *s)
{
    bool constrained = false;
    for (size_t i = 0; i < p->c->requires.n; i++) constrained |= about(p->c->requires.v[i], s);
    bool scratch = pinned(s->deployment.p) && str_has_prefix(s->deployment.v, "SCRATCH");
    bool open = !ir_set(s->capacity.p) || !pinned(s->deployment.p) || (!scratch && !ir_set(s->per_unit.p));
    return constrained && open;
}

static void storage(P *p, IrStorage *s)
{
    StorageFigures sf = {s->label.v, false, {0, 1}, {0, 1}, {0, 1}, {0, 1}, p->nodes, NULL};
    bool lustre = str_eq(s->type.v, "FsxLustre") && !ir_set(s->existing.p);
    if (lustre && needs_sizing(p, s)) {
        if (!size_lustre(p, s)) return; /* reported; its conditions cannot be judged */
        if (s->capacity.p.origin == ORIGIN_PASS || s->deployment.p.origin == ORIGIN_PASS) sf.sized = s->capacity.p.by ? s->capacity.p.by : s->deployment.p.by;
    }
    const FsxTier *t = NULL;
    if (lustre && ir_set(s->capacity.p) && rat_is_int(s->capacity.v) && ir_set(s->deployment.p)) {
        int64_t pu = ir_set(s->per_unit.p) ? rat_to_i64(s->per_unit.v) : 0;
        t = tier_of(p, s->deployment.v, ir_set(s->media.p) ? s->media.v : "SSD", pu);
    }
    Figs f = {{0, 1}, {0, 1}, {0, 1}, {0, 1}};
    if (t) {
        f = figures(p, t, rat_to_i64(s->capacity.v));
        sf.known = true;
        sf.capacity_gib = f.capacity;
        sf.baseline_mbs = f.baseline;
        sf.burst_mbs = f.burst;
        sf.per_node_mbs = f.per_node;
    }
    VPUSH(p->h->arena, p->an->storage, sf);
    for (size_t i = 0; i < p->c->requires.n; i++) {
        const IrRequire *q = p->c->requires.v[i];
        if (!about(q, s)) continue;
        const char *fact = fact_of(q);
        if (!t) {
            Diag *d = diag(p->h, D_REQUIRE, q->subject.p.span, "hpcc cannot compute %s", q->subject.v);
            diag_label(d, "%s", ir_set(s->existing.p) ? "the file system exists: its figures are not in the spec"
                                : !str_eq(s->type.v, "FsxLustre") ? "figures are computed for FSx for Lustre only"
                                                                   : "hpcc has no throughput table for this deployment type");
            continue;
        }
        Rat have = fig(&f, fact);
        if (rat_holds(have, q->op.v, q->value.v)) continue;
        char hb[96], wb[96];
        Diag *d = diag(p->h, D_REQUIRE, q->at, "%s %s %s %s does not hold: it is %s %s", q->subject.v, q->op.v,
                       rat_format(q->value.v, wb, sizeof wb), q->value.unit, rat_format(have, hb, sizeof hb), q->value.unit);
        if (str_eq(fact, "capacity"))
            diag_label(d, "the file system is %s GiB", num(p, f.capacity));
        else
            diag_label(d, "%s GiB / 1000 x %lld MB/s/TiB (%s%s)%s", num(p, f.capacity),
                       (long long)(str_eq(fact, "burst_throughput") && t->disk_burst ? t->disk_burst : t->disk_baseline),
                       t->deployment, str_eq(fact, "burst_throughput") ? ", burst" : ", baseline",
                       str_eq(fact, "per_node_throughput") ? arena_printf(p->h->arena, " / %lld nodes at peak", (long long)p->nodes) : "");
    }
    if (t && ir_set(s->per_node_min.p) && rat_cmp(f.per_node, s->per_node_min.v) < 0) {
        char hb[96], wb[96];
        Diag *d = diag(p->h, D_PER_NODE, s->per_node_min.p.span, "at peak, each node gets %s MB/s of '%s' (below %s MB/s)",
                       rat_format_fixed(f.per_node, 2, hb, sizeof hb), s->label.v, rat_format(s->per_node_min.v, wb, sizeof wb));
        diag_label(d, "%s MB/s baseline shared by %lld compute nodes when every partition runs at its maximum",
                   num(p, f.baseline), (long long)p->nodes);
    }
}

void pass_storage(Hpcc *h, Ir *ir)
{
    for (size_t i = 0; i < ir->n; i++) {
        IrCluster *c = ir->clusters[i];
        P p = {h, c, analysis_of(h, ir, i), fsx_table(h), 0};
        for (size_t k = 0; k < c->partitions.n; k++)
            for (size_t g = 0; g < c->partitions.v[k]->nodes.n; g++) p.nodes += c->partitions.v[k]->nodes.v[g]->max_count.v;
        for (size_t k = 0; k < c->storage.n; k++) storage(&p, c->storage.v[k]);
    }
}
