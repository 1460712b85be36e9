/* unit.h — units of measure: dimensions, the unit table, conversions.
 *
 * Units are types: adding or comparing quantities needs equal dimensions
 * (1200 GiB + 5 h is an error), multiplying and dividing combines them. */
#ifndef HPCC_UNIT_H
#define HPCC_UNIT_H

#include "num.h"

enum { DIM_BYTES, DIM_SECONDS, DIM_USD, DIM_IO, DIM__N };

typedef struct Dim {
    int8_t e[DIM__N];
} Dim;

typedef struct Unit {
    const char *text;
    Dim dim;
    Rat scale; /* base units per one of this unit */
} Unit;

extern const Dim DIM_NONE, DIM_DATA, DIM_TIME, DIM_RATE, DIM_PER_UNIT_RATE, DIM_IOPS, DIM_MONEY, DIM_MONEY_RATE,
    DIM_MONEY_PER_DATA_TIME;

const Unit *unit_find(const char *text, size_t n);
const Unit *unit_at(size_t i);   /* NULL past the end */
/* The unit someone probably meant by an unknown one (GIB, hours, Gbps), or NULL. */
const char *unit_suggest(const char *text, size_t n);
bool dim_eq(Dim a, Dim b);
bool dim_is_none(Dim d);
bool dim_mul(Dim a, Dim b, Dim *out);
bool dim_div(Dim a, Dim b, Dim *out);
/* "a size", "a duration", "a throughput", ... or "a quantity in <units>". */
const char *dim_describe(Dim d, char *buf, size_t cap);
/* A unit of this dimension to show values in when the spec named none (NULL if none fits). */
const Unit *dim_default_unit(Dim d);

/* value in base units -> value in `u` (exact) */
bool unit_from_base(Rat base, const Unit *u, Rat *out);
bool unit_to_base(Rat v, const Unit *u, Rat *out);

#endif
