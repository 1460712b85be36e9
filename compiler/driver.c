/* driver.c — runs the phases; the one place that decides what runs in what order. */
#include "driver.h"

#include <string.h>

#include "analysis.h"
#include "backend.h"
#include "diag.h"
#include "eval.h"
#include "lower.h"
#include "passes.h"
#include "source.h"

/* Each cluster's price snapshot: the spec's `prices = "file"` (relative to the
 * spec) or the built-in one, which must be for the cluster's region (a price
 * from another region is never used). Read here, so the passes do no I/O. */
static void load_prices(Hpcc *h, IrCluster *c, Analysis *an)
{
    const char *err = NULL;
    if (ir_set(c->prices.p)) {
        const char *dir = h->spec_dir ? h->spec_dir : ".";
        const char *path = c->prices.v[0] == '/' ? c->prices.v : arena_printf(h->arena, "%s/%s", dir, c->prices.v);
        const Prices *pr = prices_load(h, path, c->prices.v, &err);
        if (!pr) {
            Diag *d = diag(h, D_PRICES_FILE, c->prices.p.span, "cannot use the price snapshot '%s': %s", c->prices.v, err);
            diag_label(d, "write one with: hpcc prices update --region %s -o FILE", c->region.v ? c->region.v : "REGION");
            an->no_prices = "the price snapshot could not be read";
            return;
        }
        if (!str_eq(pr->region, c->region.v)) {
            Diag *d = diag(h, D_PRICES_FILE, c->prices.p.span, "the price snapshot '%s' is for %s, but cluster '%s' is in %s",
                           c->prices.v, pr->region, c->name.v, c->region.v);
            diag_label(d, "prices differ between regions: use a snapshot for %s (hpcc prices update --region %s)", c->region.v,
                       c->region.v);
            an->no_prices = "the price snapshot is for another region";
            return;
        }
        an->prices = pr;
        return;
    }
    const Prices *pr = prices_load(h, NULL, NULL, &err);
    if (str_eq(pr->region, c->region.v)) {
        an->prices = pr;
        return;
    }
    an->no_prices = arena_printf(h->arena, "the built-in price snapshot is for %s only", pr->region);
    Diag *d = diag(h, D_NO_PRICES, c->region.p.span.file ? c->region.p.span : c->name.p.span,
                   "no prices for %s: cluster '%s' gets no cost figures, and no instance can be chosen for it", c->region.v,
                   c->name.v);
    diag_label(d, "hpcc's built-in prices are for %s; write a snapshot with `hpcc prices update --region %s -o prices.json` "
                  "and set prices = \"prices.json\"",
               pr->region, c->region.v);
}

Ir *driver_front(Hpcc *h, const char *path, const char **io_error)
{
    size_t len;
    const char *err;
    char *text = read_file(h->arena, path, &len, &err, READ_ANY);
    if (!text) {
        *io_error = arena_printf(h->arena, "cannot read '%s': %s", path, err);
        return NULL;
    }
    const char *slash = strrchr(path, '/');
    h->spec_dir = slash ? arena_strndup(h->arena, path, (size_t)(slash - path) + (slash == path)) : ".";
    const char *base = slash ? slash + 1 : path;
    h->spec_name = arena_strdup(h->arena, base);
    return driver_front_text(h, path, base, text, len);
}

Ir *driver_front_text(Hpcc *h, const char *name, const char *rel, const char *text, size_t len)
{
    uint32_t file = source_add(h, name, rel, text, len);

    /* 1. Parse the spec and the stdlib modules it uses. */
    Module *main = eval_load(h, file);
    if (diag_end_phase(h)) return NULL;

    /* 2. Resolve names and evaluate; lower to the IR, checking every field. */
    eval_resolve(h, main);
    Ir *ir = lower_spec(h, main);
    eval_check_unused(h, main);
    if (diag_end_phase(h)) return NULL;

    /* 3. The price snapshots, then the passes, all of them, reporting together. */
    for (size_t i = 0; i < ir->n; i++) load_prices(h, ir->clusters[i], analysis_of(h, ir, i));
    for (const Pass *p = PASSES; p->name; p++) p->run(h, ir);
    diag_check_unused_scopes(h); /* after the last warnings: an allow that silenced nothing */
    if (diag_end_phase(h)) return NULL;
    return ir;
}

OutTree *driver_backends(Hpcc *h, const Ir *ir, const char *only, size_t *ntrees)
{
    OutTree *trees = arena_alloc(h->arena, (ir->n + 1) * sizeof *trees);
    size_t nt = 0;
    for (size_t i = 0; i < ir->n; i++) {
        const IrCluster *c = ir->clusters[i];
        if (only && strcmp(only, c->name.v) != 0) continue;
        BackendOut o;
        memset(&o, 0, sizeof o);
        o.arena = h->arena;
        o.spec = h->spec_name;
        o.an = ir->an ? ir->an[i] : NULL;
        for (const Backend *b = BACKENDS; b->name; b++) b->run(c, &o);
        for (size_t k = 0; k < o.problems.n; k++) {
            Diag *d = diag(h, D_UNWRITABLE, o.problems.v[k].at, "%s", o.problems.v[k].msg);
            if (o.problems.v[k].label) diag_label(d, "%s", o.problems.v[k].label);
        }
        trees[nt].cluster = c->name.v;
        trees[nt].files = o.files.v;
        trees[nt].n = o.files.n;
        nt++;
    }
    *ntrees = nt;
    return diag_end_phase(h) ? NULL : trees;
}
