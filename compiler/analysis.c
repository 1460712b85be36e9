/* analysis.c — per-cluster analysis storage and exact arithmetic helpers. */
#include "analysis.h"

Analysis *analysis_of(Hpcc *h, Ir *ir, size_t i)
{
    if (!ir->an) ir->an = arena_alloc(h->arena, (ir->n + 1) * sizeof *ir->an);
    if (!ir->an[i]) ir->an[i] = NEW(h->arena, Analysis);
    return ir->an[i];
}

/* The passes multiply prices (a few decimals) by counts and sizes the front
 * end bounds; 128-bit rationals cannot overflow there, so overflow is a bug. */
Rat rat_mul_or_die(Rat a, Rat b)
{
    Rat r;
    if (!rat_mul(a, b, &r)) hpcc_die("internal error: overflow in a cost computation");
    return r;
}

Rat rat_add_or_die(Rat a, Rat b)
{
    Rat r;
    if (!rat_add(a, b, &r)) hpcc_die("internal error: overflow in a cost computation");
    return r;
}

Rat rat_div_or_die(Rat a, Rat b)
{
    Rat r;
    if (!rat_div(a, b, &r)) hpcc_die("internal error: division in a cost computation");
    return r;
}

bool rat_holds(Rat have, const char *op, Rat want)
{
    int c = rat_cmp(have, want);
    if (str_eq(op, ">=")) return c >= 0;
    if (str_eq(op, ">")) return c > 0;
    if (str_eq(op, "<=")) return c <= 0;
    if (str_eq(op, "<")) return c < 0;
    return c == 0;
}
