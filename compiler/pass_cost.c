/* pass_cost.c — what a cluster costs, and the budget gate.
 *
 * From the cluster's price snapshot (docs/prices.md), exactly:
 * - compute, per node group: its node price times its minimum count
 *   (baseline) and its maximum count (peak). A node group of several types
 *   is priced at the dearest (an upper bound); a spot partition at the node
 *   group's spot_price when set, else at the on-demand price (an upper bound).
 *   Root volumes the spec sizes are billed while their node runs.
 * - the head node, always running, and its root volume when sized;
 * - storage per month: new FSx for Lustre by deployment, per-unit throughput
 *   and capacity (AWS bills GiB of capacity at the per-GB-month price); new
 *   EFS by its declared size (and provisioned throughput); new EBS volumes by
 *   size, and gp3 IOPS and throughput above the included 3000 and 125 MiB/s.
 *   Existing file systems and volumes are billed elsewhere: not counted.
 * Hourly figures are compute and head; monthly ones add storage to 730 hours
 * of the hourly figure. The budget's `monthly` limit is checked against the
 * monthly baseline (what the cluster costs idle at its minimum counts), its
 * `hourly_peak` against the peak hourly figure. Items without a price are
 * listed and not counted; a total that rests on a figure the facts mark
 * unverified says so. */
#include <string.h>

#include "analysis.h"
#include "diag.h"
#include "passes.h"

static const Span NOSPAN = {0, 0, 0};

typedef struct P {
    Hpcc *h;
    IrCluster *c;
    Analysis *an;
    CostReport *r;
    bool overflow;
} P;

static const char *num(P *p, Rat r)
{
    char b[96];
    return arena_strdup(p->h->arena, rat_format(r, b, sizeof b));
}

static const char *fixed2(P *p, Rat r)
{
    char b[96];
    return arena_strdup(p->h->arena, rat_format_fixed(r, 2, b, sizeof b));
}

static Rat mul(P *p, Rat a, Rat b)
{
    Rat r = {0, 1};
    if (!rat_mul(a, b, &r)) p->overflow = true;
    return r;
}

static Rat add(P *p, Rat a, Rat b)
{
    Rat r = {0, 1};
    if (!rat_add(a, b, &r)) p->overflow = true;
    return r;
}

static Rat per_hour(Rat monthly) { return rat_div_or_die(monthly, rat_int(HOURS_PER_MONTH)); }

static CostLine *line(P *p, CostKind kind, const char *partition, const char *item)
{
    CostLine l = {kind, partition, item, NULL, 0, 0, {0, 1}, {0, 1}, {0, 1}, true, false, false, NULL};
    VPUSH(p->h->arena, p->r->lines, l);
    return &p->r->lines.v[p->r->lines.n - 1];
}

static void unpriced(CostLine *l, const char *why)
{
    l->priced = false;
    l->note = why;
}

static void unverified(P *p, CostLine *l, const Price *pr)
{
    if (pr->confidence != 'U') return;
    l->unverified = true;
    l->note = arena_printf(p->h->arena, "the price %s USD/%s is unverified (%s)", num(p, pr->usd), pr->per, pr->source);
}

/* An EBS volume's monthly price: size, and gp3 extras. NULL on success, else why not priced. */
static const char *volume_monthly(P *p, CostLine *l, const char *type, Rat gib, int64_t iops, Rat mibs, Rat *out)
{
    const Prices *pr = p->an->prices;
    const char *t = type ? type : "gp3";
    if (str_eq(t, "gp3")) {
        Rat m = mul(p, gib, pr->ebs_gp3.usd);
        unverified(p, l, &pr->ebs_gp3);
        if (iops > 3000) {
            m = add(p, m, mul(p, rat_int(iops - 3000), pr->ebs_gp3_iops.usd));
            unverified(p, l, &pr->ebs_gp3_iops);
        }
        if (rat_cmp(mibs, rat_int(125)) > 0) {
            Rat extra;
            rat_sub(mibs, rat_int(125), &extra);
            m = add(p, m, mul(p, extra, pr->ebs_gp3_throughput.usd));
            unverified(p, l, &pr->ebs_gp3_throughput);
        }
        *out = m;
        return NULL;
    }
    if (str_eq(t, "gp2")) {
        *out = mul(p, gib, pr->ebs_gp2.usd);
        unverified(p, l, &pr->ebs_gp2);
        return NULL;
    }
    return arena_printf(p->h->arena, "no %s price in the snapshot", t);
}

static Rat root_volume_hourly(P *p, const IrVolume *v, CostLine *l)
{
    Rat m = {0, 1};
    if (!v || !ir_set(v->size.p)) return m;
    const char *why = volume_monthly(p, l, ir_set(v->type.p) ? v->type.v : NULL, v->size.v,
                                     ir_set(v->iops.p) ? v->iops.v : 0, ir_set(v->throughput.p) ? v->throughput.v : (Rat){0, 1}, &m);
    if (why) {
        l->note = arena_printf(p->h->arena, "root volume not counted: %s", why);
        return (Rat){0, 1};
    }
    return per_hour(m);
}

static void head(P *p)
{
    const IrHead *hd = p->c->head;
    if (!hd || !hd->instance.v) return;
    CostLine *l = line(p, COST_HEAD, NULL, "head");
    l->min_count = l->max_count = 1;
    const Rat *price = prices_ec2(p->an->prices, hd->instance.v);
    if (!price) {
        unpriced(l, arena_printf(p->h->arena, "%s has no price in %s", hd->instance.v, p->an->prices->label));
        l->detail = hd->instance.v;
        return;
    }
    Rat vol = root_volume_hourly(p, hd->root_volume, l);
    Rat h = add(p, *price, vol);
    l->detail = rat_sign(vol) ? arena_printf(p->h->arena, "%s at %s USD/h, root volume %s GiB", hd->instance.v, num(p, *price),
                                             num(p, hd->root_volume->size.v))
                              : arena_printf(p->h->arena, "%s at %s USD/h", hd->instance.v, num(p, *price));
    l->baseline_hourly = l->peak_hourly = h;
    p->r->head_hourly = h;
}

static void node_group(P *p, const IrPartition *q, const IrNodeGroup *g)
{
    CostLine *l = line(p, COST_COMPUTE, q->name.v, g->name.v);
    l->min_count = g->min_count.v;
    l->max_count = g->max_count.v;
    bool spot = str_eq(q->capacity.v, "SPOT");
    Rat price = {0, 1};
    const char *dearest = NULL;
    for (size_t i = 0; i < g->instances.n; i++) {
        const Rat *pr = prices_ec2(p->an->prices, g->instances.v[i].v);
        if (!pr) {
            unpriced(l, arena_printf(p->h->arena, "%s has no price in %s", g->instances.v[i].v, p->an->prices->label));
            l->detail = g->instances.v[i].v;
            return;
        }
        if (!dearest || rat_cmp(*pr, price) > 0) price = *pr, dearest = g->instances.v[i].v;
        if (g->instances.v[i].p.unverified) {
            l->unverified = true;
            l->note = arena_printf(p->h->arena, "%s was chosen for a profile with an unverified requirement", g->instances.v[i].v);
        }
    }
    if (!dearest) {
        unpriced(l, "no instance type");
        return;
    }
    const char *how = g->instances.n > 1 ? arena_printf(p->h->arena, "the dearest of %zu types, ", g->instances.n) : "";
    if (spot && ir_set(g->spot_price.p)) {
        price = g->spot_price.v;
        l->detail = arena_printf(p->h->arena, "%s spot at most %s USD/h", dearest, num(p, price));
    } else {
        l->detail = arena_printf(p->h->arena, "%s%s at %s USD/h%s", how, dearest, num(p, price), spot ? " (spot: at most on-demand)" : "");
    }
    Rat vol = root_volume_hourly(p, q->root_volume, l);
    if (rat_sign(vol)) {
        price = add(p, price, vol);
        l->detail = arena_printf(p->h->arena, "%s + root volume %s GiB", l->detail, num(p, q->root_volume->size.v));
    }
    l->baseline_hourly = mul(p, price, rat_int(g->min_count.v));
    l->peak_hourly = mul(p, price, rat_int(g->max_count.v));
}

static void storage(P *p, const IrStorage *s)
{
    CostLine *l = line(p, COST_STORAGE, NULL, s->label.v);
    const Prices *pr = p->an->prices;
    if (ir_set(s->existing.p) && !str_eq(s->owner.v, "stack")) {
        unpriced(l, "existing: billed outside this cluster");
        l->elsewhere = true;
        l->detail = s->existing.v;
        return;
    }
    if (str_eq(s->type.v, "FsxLustre")) {
        if (!ir_set(s->capacity.p) || !ir_set(s->deployment.p)) {
            unpriced(l, "no capacity");
            return;
        }
        const char *media = ir_set(s->media.p) ? s->media.v : "SSD";
        int64_t pu = str_has_prefix(s->deployment.v, "SCRATCH") ? 200 : ir_set(s->per_unit.p) ? rat_to_i64(s->per_unit.v) : 0;
        const FsxPrice *fp = prices_fsx(pr, s->deployment.v, media, pu);
        l->detail = arena_printf(p->h->arena, "FSx %s %lld MB/s/TiB %s, %s GiB", s->deployment.v, (long long)pu, media,
                                 num(p, s->capacity.v));
        if (!fp) {
            unpriced(l, arena_printf(p->h->arena, "no price for %s %s at %lld MB/s/TiB", s->deployment.v, media, (long long)pu));
            return;
        }
        l->monthly = mul(p, s->capacity.v, fp->price.usd);
        l->detail = arena_printf(p->h->arena, "%s at %s USD/GB-month", l->detail, num(p, fp->price.usd));
        unverified(p, l, &fp->price);
        if (s->capacity.p.unverified || s->deployment.p.unverified) l->unverified = true;
        return;
    }
    if (str_eq(s->type.v, "Efs")) {
        if (!ir_set(s->capacity.p)) {
            unpriced(l, "EFS bills what is stored: declare size = ... to count it");
            l->detail = "EFS";
            return;
        }
        l->monthly = mul(p, s->capacity.v, pr->efs_standard.usd);
        l->detail = arena_printf(p->h->arena, "EFS %s GiB at %s USD/GB-month", num(p, s->capacity.v), num(p, pr->efs_standard.usd));
        unverified(p, l, &pr->efs_standard);
        if (str_eq(s->throughput_mode.v, "provisioned") && ir_set(s->provisioned.p)) {
            l->monthly = add(p, l->monthly, mul(p, s->provisioned.v, pr->efs_provisioned.usd));
            l->detail = arena_printf(p->h->arena, "%s + %s MiB/s provisioned at %s USD/MiB/s-month", l->detail,
                                     num(p, s->provisioned.v), num(p, pr->efs_provisioned.usd));
            unverified(p, l, &pr->efs_provisioned);
        }
        return;
    }
    Rat m;
    const char *why = volume_monthly(p, l, s->volume_type.v, s->capacity.v, ir_set(s->iops.p) ? s->iops.v : 0,
                                     ir_set(s->throughput.p) ? s->throughput.v : (Rat){0, 1}, &m);
    l->detail = arena_printf(p->h->arena, "EBS %s %s GiB", s->volume_type.v ? s->volume_type.v : "gp3", num(p, s->capacity.v));
    if (why) {
        unpriced(l, why);
        return;
    }
    l->monthly = m;
}

/* "prod-mpi 206.28 USD/h (20 × c7a.48xlarge at 9.85344 + 2 × c5d.24xlarge at 4.608)" */
static const char *partition_text(P *p, const IrPartition *q, bool peak)
{
    Buf b = {0};
    Rat sum = {0, 1};
    size_t parts = 0;
    for (size_t i = 0; i < p->r->lines.n; i++) {
        const CostLine *l = &p->r->lines.v[i];
        if (l->kind != COST_COMPUTE || !str_eq(l->partition, q->name.v) || !l->priced) continue;
        sum = add(p, sum, peak ? l->peak_hourly : l->baseline_hourly);
        int64_t n = peak ? l->max_count : l->min_count;
        if (!n) continue;
        buf_printf(&b, "%s%lld \xc3\x97 %s", parts++ ? " + " : "", (long long)n, l->detail);
    }
    const char *s = arena_printf(p->h->arena, "%s %s USD/h%s%s%s", q->name.v, fixed2(p, sum), parts ? " (" : "", parts ? b.p : "",
                                 parts ? ")" : "");
    buf_free(&b);
    return s;
}

static void budget(P *p)
{
    const IrBudget *b = p->c->budget;
    if (!b) return;
    CostReport *r = p->r;
    bool warn = str_eq(b->on_exceed.v, "warning");
    DiagCode code = warn ? D_OVER_BUDGET : D_BUDGET;
    if (ir_set(b->hourly_peak.p) && rat_cmp(r->peak_hourly, b->hourly_peak.v) > 0) {
        Diag *d = diag(p->h, code, b->hourly_peak.p.span, "budget exceeded: peak %s USD/h > %s USD/h", fixed2(p, r->peak_hourly),
                       num(p, b->hourly_peak.v));
        diag_label(d, "every node group at its maximum count, and the head node");
        for (size_t i = 0; i < p->c->partitions.n; i++) diag_note(d, NOSPAN, "%s", partition_text(p, p->c->partitions.v[i], true));
        diag_note(d, NOSPAN, "head node %s USD/h", fixed2(p, r->head_hourly));
        if (r->unpriced) diag_note(d, NOSPAN, "%zu item%s without a price not counted", r->unpriced, r->unpriced == 1 ? "" : "s");
    }
    if (ir_set(b->monthly.p) && rat_cmp(r->monthly_baseline, b->monthly.v) > 0) {
        Diag *d = diag(p->h, code, b->monthly.p.span, "budget exceeded: baseline %s USD/month > %s USD/month",
                       fixed2(p, r->monthly_baseline), num(p, b->monthly.v));
        diag_label(d, "minimum counts and the head node for 730 hours, and storage");
        for (size_t i = 0; i < p->c->partitions.n; i++) diag_note(d, NOSPAN, "%s", partition_text(p, p->c->partitions.v[i], false));
        diag_note(d, NOSPAN, "head node %s USD/h", fixed2(p, r->head_hourly));
        diag_note(d, NOSPAN, "storage %s USD/month", fixed2(p, r->storage_monthly));
        if (r->unpriced) diag_note(d, NOSPAN, "%zu item%s without a price not counted", r->unpriced, r->unpriced == 1 ? "" : "s");
    }
}

static void cluster(P *p)
{
    head(p);
    for (size_t i = 0; i < p->c->partitions.n; i++)
        for (size_t k = 0; k < p->c->partitions.v[i]->nodes.n; k++) node_group(p, p->c->partitions.v[i], p->c->partitions.v[i]->nodes.v[k]);
    for (size_t i = 0; i < p->c->storage.n; i++) storage(p, p->c->storage.v[i]);
    CostReport *r = p->r;
    r->baseline_hourly = r->peak_hourly = r->head_hourly;
    for (size_t i = 0; i < r->lines.n; i++) {
        const CostLine *l = &r->lines.v[i];
        if (!l->priced) {
            if (!l->elsewhere) r->unpriced++;
            continue;
        }
        if (l->unverified) r->unverified++;
        if (l->kind == COST_COMPUTE) {
            r->baseline_hourly = add(p, r->baseline_hourly, l->baseline_hourly);
            r->peak_hourly = add(p, r->peak_hourly, l->peak_hourly);
        } else if (l->kind == COST_STORAGE) {
            r->storage_monthly = add(p, r->storage_monthly, l->monthly);
        }
    }
    r->monthly_baseline = add(p, mul(p, r->baseline_hourly, rat_int(HOURS_PER_MONTH)), r->storage_monthly);
    r->monthly_peak = add(p, mul(p, r->peak_hourly, rat_int(HOURS_PER_MONTH)), r->storage_monthly);
    if (p->overflow) {
        diag(p->h, D_ARITHMETIC, p->c->name.p.span, "the cost of cluster '%s' is too large to compute", p->c->name.v);
        p->an->cost = NULL;
        return;
    }
    budget(p);
}

void pass_cost(Hpcc *h, Ir *ir)
{
    for (size_t i = 0; i < ir->n; i++) {
        Analysis *an = analysis_of(h, ir, i);
        if (!an->prices) continue;
        an->cost = NEW(h->arena, CostReport);
        Rat zero = {0, 1};
        an->cost->head_hourly = an->cost->baseline_hourly = an->cost->peak_hourly = zero;
        an->cost->storage_monthly = an->cost->monthly_baseline = an->cost->monthly_peak = zero;
        P p = {h, ir->clusters[i], an, an->cost, false};
        cluster(&p);
    }
}
