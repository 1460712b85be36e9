/* driver.c — runs the phases; the one place that decides what runs in what order. */
#include "driver.h"

#include <string.h>

#include "backend.h"
#include "diag.h"
#include "eval.h"
#include "lower.h"
#include "passes.h"
#include "source.h"

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
    uint32_t file = source_add(h, path, base, text, len);

    /* 1. Parse the spec and the stdlib modules it uses. */
    Module *main = eval_load(h, file);
    if (diag_end_phase(h)) return NULL;

    /* 2. Resolve names and evaluate; lower to the IR, checking every field. */
    eval_resolve(h, main);
    Ir *ir = lower_spec(h, main);
    eval_check_unused(h, main);
    if (diag_end_phase(h)) return NULL;

    /* 3. The passes, all of them, reporting together. */
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
