/* ctx.c — creating and freeing the compilation context. */
#include "diag.h"
#include "hpcc.h"
#include "pattern.h"

Hpcc *hpcc_new(void)
{
    Arena *a = arena_new();
    Hpcc *h = NEW(a, Hpcc);
    h->arena = a;
    VPUSH(a, h->files, NULL); /* span.file 0 means "no location" */
    h->diags = diags_new(a);
    return h;
}

void hpcc_free(Hpcc *h)
{
    if (!h) return;
    pattern_free_all(h);
    arena_free(h->arena);
}
