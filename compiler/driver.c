/* driver.c — runs the phases; the one place that decides what runs in what order. */
#include "driver.h"

#include <string.h>

#include "diag.h"
#include "eval.h"
#include "lower.h"
#include "source.h"

Ir *driver_front(Hpcc *h, const char *path, const char **io_error)
{
    size_t len;
    const char *err;
    char *text = read_file(h->arena, path, &len, &err);
    if (!text) {
        *io_error = arena_printf(h->arena, "cannot read '%s': %s", path, err);
        return NULL;
    }
    const char *slash = strrchr(path, '/');
    h->spec_dir = slash ? arena_strndup(h->arena, path, (size_t)(slash - path) + (slash == path)) : ".";
    const char *base = slash ? slash + 1 : path;
    uint32_t file = source_add(h, path, base, text, len);

    /* 1. Parse the spec and the stdlib modules it uses. */
    Module *main = eval_load(h, file);
    if (diag_end_phase(h)) return NULL;

    /* 2. Resolve names and evaluate; lower to the IR, checking every field. */
    eval_resolve(h, main);
    Ir *ir = lower_spec(h, main);
    eval_check_unused(h, main);
    diag_check_unused_scopes(h);
    if (diag_end_phase(h)) return NULL;
    return ir;
}
