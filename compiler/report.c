/* report.c — the cost and capacity report, in three formats.
 *
 * Amounts are exact: a figure with a finite decimal expansion is printed in
 * full in JSON; a figure that has none (a monthly price spread over 730 hours)
 * is rounded half-even to 10 decimals there. Text and markdown show USD with
 * 2 decimals (unit prices in full). */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"

static const char *exact(Arena *a, Rat r)
{
    char b[128];
    if (rat_terminates(r)) return arena_strdup(a, rat_format(r, b, sizeof b));
    return arena_strdup(a, rat_format_fixed(r, 10, b, sizeof b));
}

static const char *usd(Arena *a, Rat r)
{
    char b[128];
    return arena_strdup(a, rat_format_fixed(r, 2, b, sizeof b));
}

static const char *prices_text(Arena *a, const Prices *p)
{
    return arena_printf(a, "%s%s%s%s, sha256 %.12s", p->label, p->version ? " (version " : "", p->version ? p->version : "",
                        p->version ? ")" : "", p->sha256);
}

const char *report_summary(Arena *a, const Analysis *an)
{
    if (!an || !an->cost) return "";
    const CostReport *r = an->cost;
    const char *unv = r->unverified ? arena_printf(a, " (%zu figure%s unverified)", r->unverified, r->unverified == 1 ? "" : "s") : "";
    const char *unp = r->unpriced ? arena_printf(a, " (%zu item%s without a price)", r->unpriced, r->unpriced == 1 ? "" : "s") : "";
    return arena_printf(a, ", peak %s USD/h, baseline %s USD/month%s%s", usd(a, r->peak_hourly), usd(a, r->monthly_baseline),
                        unv, unp);
}

/* ---- text and markdown --------------------------------------------------------------------- */

typedef struct Row {
    const char *cells[6];
} Row;

static void table(Buf *b, const char *const *head, const Row *rows, size_t n, size_t ncol, bool md)
{
    size_t w[6] = {0};
    for (size_t c = 0; c < ncol; c++) w[c] = strlen(head[c]);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < ncol; c++)
            if (rows[i].cells[c] && strlen(rows[i].cells[c]) > w[c]) w[c] = strlen(rows[i].cells[c]);
    for (size_t i = 0; i <= n; i++) {
        const char *const *cells = i == 0 ? head : rows[i - 1].cells;
        if (md) buf_printf(b, "|");
        else buf_printf(b, "  ");
        for (size_t c = 0; c < ncol; c++) {
            const char *s = cells[c] ? cells[c] : "";
            if (md) buf_printf(b, " %s |", s);
            else buf_printf(b, "%s%-*s", c ? "  " : "", c + 1 == ncol ? 0 : (int)w[c], s);
        }
        buf_printf(b, "\n");
        if (md && i == 0) {
            buf_printf(b, "|");
            for (size_t c = 0; c < ncol; c++) buf_printf(b, "%s|", c >= 2 ? "---:" : "---");
            buf_printf(b, "\n");
        }
    }
}

static const char *counts(Arena *a, const CostLine *l)
{
    if (l->kind == COST_STORAGE) return "";
    return l->min_count == l->max_count ? arena_printf(a, "%lld", (long long)l->max_count)
                                        : arena_printf(a, "%lld..%lld", (long long)l->min_count, (long long)l->max_count);
}

static const char *flagged(Arena *a, const CostLine *l, const char *amount)
{
    if (!l->priced) return l->elsewhere ? "not counted (existing)" : "not counted";
    return l->unverified ? arena_printf(a, "%s *", amount) : amount;
}

static char *cluster_text(Arena *a, const IrCluster *c, const Analysis *an, bool md)
{
    Buf b = {0};
    if (md) buf_printf(&b, "## %s\n\n", c->name.v);
    else buf_printf(&b, "%s (%s)\n", c->name.v, c->region.v);
    if (!an || !an->prices) {
        buf_printf(&b, md ? "No cost: %s.\n\n" : "  no cost: %s\n\n", an && an->no_prices ? an->no_prices : "no prices");
        char *s = arena_strdup(a, b.p);
        buf_free(&b);
        return s;
    }
    const CostReport *r = an->cost;
    if (md) buf_printf(&b, "Region %s; prices: %s.\n\n", c->region.v, prices_text(a, an->prices));
    else buf_printf(&b, "  prices: %s\n\n", prices_text(a, an->prices));
    if (r) {
        Row *rows = arena_alloc(a, (r->lines.n + 1) * sizeof *rows);
        size_t n = 0;
        for (size_t i = 0; i < r->lines.n; i++) {
            const CostLine *l = &r->lines.v[i];
            if (l->kind == COST_STORAGE) continue;
            const char *item = l->kind == COST_HEAD ? "head" : arena_printf(a, "%s/%s", l->partition, l->item);
            rows[n++] = (Row){{item, counts(a, l), l->detail ? l->detail : "", flagged(a, l, usd(a, l->baseline_hourly)),
                               flagged(a, l, usd(a, l->peak_hourly)), NULL}};
        }
        static const char *const head[] = {"compute", "nodes", "price", "baseline USD/h", "peak USD/h"};
        table(&b, head, rows, n, 5, md);
        buf_printf(&b, "\n");
        n = 0;
        for (size_t i = 0; i < r->lines.n; i++) {
            const CostLine *l = &r->lines.v[i];
            if (l->kind != COST_STORAGE) continue;
            rows[n++] = (Row){{l->item, l->detail ? l->detail : "", flagged(a, l, usd(a, l->monthly)), NULL, NULL, NULL}};
        }
        if (n) {
            static const char *const shead[] = {"storage", "what", "USD/month"};
            table(&b, shead, rows, n, 3, md);
            buf_printf(&b, "\n");
        }
        const char *ind = md ? "- " : "  ";
        buf_printf(&b, "%shourly: baseline %s USD/h, peak %s USD/h (head node and compute)\n", ind, usd(a, r->baseline_hourly),
                   usd(a, r->peak_hourly));
        buf_printf(&b, "%smonthly (730 h): baseline %s USD, peak %s USD, of which storage %s USD\n", ind, usd(a, r->monthly_baseline),
                   usd(a, r->monthly_peak), usd(a, r->storage_monthly));
        if (r->unverified)
            buf_printf(&b, "%s* rests on a figure marked unverified (%zu): see the notes below\n", ind, r->unverified);
        for (size_t i = 0; i < r->lines.n; i++) {
            const CostLine *l = &r->lines.v[i];
            if (l->note && !l->elsewhere && (!l->priced || l->unverified))
                buf_printf(&b, "%s%s: %s\n", ind, l->kind == COST_COMPUTE ? arena_printf(a, "%s/%s", l->partition, l->item) : l->item,
                           l->note);
        }
    }
    for (size_t i = 0; i < an->choices.n; i++) {
        const Choice *ch = &an->choices.v[i];
        buf_printf(&b, "%s%s/%s: %s chosen for %s, the cheapest of %zu (%s USD/h)", md ? "- " : "  ", ch->partition, ch->group, ch->type,
                   ch->profile, ch->candidates, exact(a, ch->hourly));
        for (size_t k = 0; k < 2 && ch->runners_up[k]; k++)
            buf_printf(&b, "%s%s %s USD/h", k ? ", " : "; then ", ch->runners_up[k], exact(a, ch->runner_hourly[k]));
        buf_printf(&b, "%s\n", ch->unverified ? " (the profile has an unverified requirement)" : "");
    }
    for (size_t i = 0; i < an->storage.n; i++) {
        const StorageFigures *sf = &an->storage.v[i];
        if (!sf->known) continue;
        char b1[96], b2[96], b3[96];
        buf_printf(&b, "%sstorage %s: %s GiB, %s MB/s baseline, %s MB/s burst, %s MB/s per node at peak (%lld nodes)\n",
                   md ? "- " : "  ", sf->label, exact(a, sf->capacity_gib), rat_format_fixed(sf->baseline_mbs, 2, b1, sizeof b1),
                   rat_format_fixed(sf->burst_mbs, 2, b2, sizeof b2), rat_format_fixed(sf->per_node_mbs, 2, b3, sizeof b3),
                   (long long)sf->nodes);
        if (sf->sized) buf_printf(&b, "%s  %s\n", md ? "" : "  ", sf->sized);
    }
    bool mem = c->slurm && c->slurm->memory_based.v;
    for (size_t i = 0; mem && i < an->memory.n; i++) {
        const NodeMemory *m = &an->memory.v[i];
        buf_printf(&b, "%s%s/%s: RealMemory %lld MiB (%s of %s's %lld MiB)\n", md ? "- " : "  ", m->partition, m->group,
                   (long long)m->real_mib, m->schedulable ? "schedulable_memory" : "95 %", m->smallest, (long long)m->ec2_mib);
    }
    buf_printf(&b, "\n");
    char *s = arena_strdup(a, b.p);
    buf_free(&b);
    return s;
}

/* ---- json ---------------------------------------------------------------------------------- */

static Json *money(Arena *a, Rat r) { return js_str(exact(a, r)); }

static Json *line_json(Arena *a, const CostLine *l)
{
    Json *o = js_object();
    if (l->partition) js_put(o, "partition", js_str(l->partition));
    js_put(o, "item", js_str(l->item));
    js_put(o, "detail", js_str(l->detail));
    if (l->kind != COST_STORAGE) {
        js_put(o, "min_count", js_int(l->min_count));
        js_put(o, "max_count", js_int(l->max_count));
    }
    js_put(o, "counted", js_bool(l->priced));
    if (l->priced) {
        if (l->kind == COST_STORAGE) js_put(o, "usd_per_month", money(a, l->monthly));
        else {
            js_put(o, "baseline_usd_per_hour", money(a, l->baseline_hourly));
            js_put(o, "peak_usd_per_hour", money(a, l->peak_hourly));
        }
    }
    js_put(o, "unverified", js_bool(l->unverified));
    if (l->note) js_put(o, "note", js_str(l->note));
    return o;
}

static Json *cluster_json(Arena *a, const IrCluster *c, const Analysis *an)
{
    Json *o = js_object();
    js_put(o, "region", js_str(c->region.v));
    if (!an || !an->prices) {
        js_put(o, "prices", js_null());
        js_put(o, "no_prices", js_str(an && an->no_prices ? an->no_prices : "no prices"));
    } else {
        Json *p = js_object();
        js_put(p, "snapshot", js_str(an->prices->label));
        js_put(p, "region", js_str(an->prices->region));
        js_put(p, "version", js_str(an->prices->version));
        js_put(p, "published", js_str(an->prices->published));
        js_put(p, "sha256", js_str(an->prices->sha256));
        js_put(o, "prices", p);
    }
    const CostReport *r = an ? an->cost : NULL;
    if (r) {
        Json *t = js_object();
        js_put(t, "head_usd_per_hour", money(a, r->head_hourly));
        js_put(t, "baseline_usd_per_hour", money(a, r->baseline_hourly));
        js_put(t, "peak_usd_per_hour", money(a, r->peak_hourly));
        js_put(t, "storage_usd_per_month", money(a, r->storage_monthly));
        js_put(t, "baseline_usd_per_month", money(a, r->monthly_baseline));
        js_put(t, "peak_usd_per_month", money(a, r->monthly_peak));
        js_put(t, "hours_per_month", js_int(HOURS_PER_MONTH));
        js_put(t, "unverified_figures", js_int((int64_t)r->unverified));
        js_put(t, "unpriced_items", js_int((int64_t)r->unpriced));
        js_put(o, "totals", t);
        Json *parts = js_array();
        for (size_t i = 0; i < c->partitions.n; i++) {
            const IrPartition *q = c->partitions.v[i];
            Json *po = js_object(), *groups = js_array();
            Rat base = {0, 1}, peak = {0, 1};
            for (size_t k = 0; k < r->lines.n; k++) {
                const CostLine *l = &r->lines.v[k];
                if (l->kind != COST_COMPUTE || !str_eq(l->partition, q->name.v)) continue;
                if (l->priced) base = rat_add_or_die(base, l->baseline_hourly), peak = rat_add_or_die(peak, l->peak_hourly);
                js_append(groups, line_json(a, l));
            }
            js_put(po, "name", js_str(q->name.v));
            js_put(po, "baseline_usd_per_hour", money(a, base));
            js_put(po, "peak_usd_per_hour", money(a, peak));
            js_put(po, "node_groups", groups);
            js_append(parts, po);
        }
        js_put(o, "partitions", parts);
        Json *st = js_array();
        for (size_t k = 0; k < r->lines.n; k++) {
            const CostLine *l = &r->lines.v[k];
            if (l->kind == COST_HEAD) js_put(o, "head", line_json(a, l));
            if (l->kind == COST_STORAGE) js_append(st, line_json(a, l));
        }
        js_put(o, "storage", st);
    }
    Json *ch = js_array();
    for (size_t i = 0; an && i < an->choices.n; i++) {
        const Choice *x = &an->choices.v[i];
        Json *xo = js_object(), *ru = js_array();
        js_put(xo, "partition", js_str(x->partition));
        js_put(xo, "node_group", js_str(x->group));
        js_put(xo, "profile", js_str(x->profile));
        js_put(xo, "instance", js_str(x->type));
        js_put(xo, "usd_per_hour", money(a, x->hourly));
        js_put(xo, "candidates", js_int((int64_t)x->candidates));
        for (size_t k = 0; k < 2 && x->runners_up[k]; k++) {
            Json *e = js_object();
            js_put(e, "instance", js_str(x->runners_up[k]));
            js_put(e, "usd_per_hour", money(a, x->runner_hourly[k]));
            js_append(ru, e);
        }
        js_put(xo, "runners_up", ru);
        js_put(xo, "unverified", js_bool(x->unverified));
        js_append(ch, xo);
    }
    js_put(o, "instance_choices", ch);
    Json *fs = js_array();
    for (size_t i = 0; an && i < an->storage.n; i++) {
        const StorageFigures *sf = &an->storage.v[i];
        if (!sf->known) continue;
        Json *e = js_object();
        js_put(e, "storage", js_str(sf->label));
        js_put(e, "capacity_gib", money(a, sf->capacity_gib));
        js_put(e, "baseline_mb_per_s", money(a, sf->baseline_mbs));
        js_put(e, "burst_mb_per_s", money(a, sf->burst_mbs));
        js_put(e, "per_node_mb_per_s", money(a, sf->per_node_mbs));
        js_put(e, "nodes_at_peak", js_int(sf->nodes));
        js_put(e, "sized", js_str(sf->sized));
        js_append(fs, e);
    }
    js_put(o, "storage_figures", fs);
    if (c->slurm && c->slurm->memory_based.v) {
        Json *mem = js_array();
        for (size_t i = 0; an && i < an->memory.n; i++) {
            const NodeMemory *m = &an->memory.v[i];
            Json *e = js_object();
            js_put(e, "partition", js_str(m->partition));
            js_put(e, "node_group", js_str(m->group));
            js_put(e, "real_memory_mib", js_int(m->real_mib));
            js_put(e, "ec2_memory_mib", js_int(m->ec2_mib));
            js_put(e, "from", js_str(m->schedulable ? "schedulable_memory" : "95 % of the smallest type"));
            js_append(mem, e);
        }
        js_put(o, "real_memory", mem);
    }
    return o;
}

static char *dump(Arena *a, Json *root)
{
    char *s = js_dump_pretty(root);
    js_release(root);
    char *text = arena_strdup(a, s);
    free(s);
    return text;
}

char *report_cluster(Arena *a, const IrCluster *c, const Analysis *an, ReportFormat f)
{
    if (f == REPORT_JSON) {
        Json *root = js_object();
        js_put(root, c->name.v, cluster_json(a, c, an));
        return dump(a, root);
    }
    return cluster_text(a, c, an, f == REPORT_MARKDOWN);
}

char *report_all(Arena *a, const Ir *ir, const char *only, ReportFormat f)
{
    if (f == REPORT_JSON) {
        Json *root = js_object();
        for (size_t i = 0; i < ir->n; i++)
            if (!only || str_eq(only, ir->clusters[i]->name.v))
                js_put(root, ir->clusters[i]->name.v, cluster_json(a, ir->clusters[i], ir->an ? ir->an[i] : NULL));
        return dump(a, root);
    }
    Buf b = {0};
    if (f == REPORT_MARKDOWN) buf_printf(&b, "# Cost report\n\n");
    for (size_t i = 0; i < ir->n; i++)
        if (!only || str_eq(only, ir->clusters[i]->name.v))
            buf_printf(&b, "%s", cluster_text(a, ir->clusters[i], ir->an ? ir->an[i] : NULL, f == REPORT_MARKDOWN));
    char *s = arena_strdup(a, b.p ? b.p : "");
    buf_free(&b);
    return s;
}
