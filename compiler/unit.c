/* unit.c — the unit table (from unit.def), dimensions and exact conversion. */
#include "unit.h"

#include <stdio.h>
#include <string.h>

static const Unit UNITS[] = {
#define UNIT(t, b, s, u, io, n, d) {t, {{b, s, u, io}}, {n, d}},
#include "unit.def"
#undef UNIT
};
enum { NUNITS = sizeof UNITS / sizeof UNITS[0] };

const Dim DIM_NONE = {{0, 0, 0, 0}}, DIM_DATA = {{1, 0, 0, 0}}, DIM_TIME = {{0, 1, 0, 0}}, DIM_RATE = {{1, -1, 0, 0}},
          DIM_PER_UNIT_RATE = {{0, -1, 0, 0}}, DIM_IOPS = {{0, -1, 0, 1}}, DIM_MONEY = {{0, 0, 1, 0}},
          DIM_MONEY_RATE = {{0, -1, 1, 0}}, DIM_MONEY_PER_DATA_TIME = {{-1, -1, 1, 0}};

const Unit *unit_find(const char *text, size_t n)
{
    for (size_t i = 0; i < NUNITS; i++)
        if (strlen(UNITS[i].text) == n && memcmp(UNITS[i].text, text, n) == 0) return &UNITS[i];
    return NULL;
}

const Unit *unit_at(size_t i) { return i < NUNITS ? &UNITS[i] : NULL; }

bool dim_eq(Dim a, Dim b) { return memcmp(a.e, b.e, sizeof a.e) == 0; }
bool dim_is_none(Dim d) { return dim_eq(d, DIM_NONE); }

bool dim_mul(Dim a, Dim b, Dim *out)
{
    for (int i = 0; i < DIM__N; i++) {
        int v = a.e[i] + b.e[i];
        if (v > 8 || v < -8) return false;
        out->e[i] = (int8_t)v;
    }
    return true;
}

bool dim_div(Dim a, Dim b, Dim *out)
{
    for (int i = 0; i < DIM__N; i++) {
        int v = a.e[i] - b.e[i];
        if (v > 8 || v < -8) return false;
        out->e[i] = (int8_t)v;
    }
    return true;
}

static const struct {
    const Dim *dim;
    const char *name;
    const char *unit;
} NAMES[] = {
    {&DIM_NONE, "a number", NULL},
    {&DIM_DATA, "a size", "B"},
    {&DIM_TIME, "a duration", "s"},
    {&DIM_RATE, "a throughput", "B/s"},
    {&DIM_PER_UNIT_RATE, "a throughput per TiB", "MB/s/TiB"},
    {&DIM_IOPS, "an I/O rate", "IOPS"},
    {&DIM_MONEY, "an amount of money", "USD"},
    {&DIM_MONEY_RATE, "a cost rate", "USD/h"},
    {&DIM_MONEY_PER_DATA_TIME, "a storage price", "USD/GB-month"},
};

const char *dim_describe(Dim d, char *buf, size_t cap)
{
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (dim_eq(d, *NAMES[i].dim)) {
            snprintf(buf, cap, "%s", NAMES[i].name);
            return buf;
        }
    static const char *base[DIM__N] = {"B", "s", "USD", "op"};
    size_t k = (size_t)snprintf(buf, cap, "a quantity in");
    for (int i = 0; i < DIM__N && k < cap; i++)
        if (d.e[i]) k += (size_t)snprintf(buf + k, cap - k, " %s^%d", base[i], d.e[i]);
    return buf;
}

const Unit *dim_default_unit(Dim d)
{
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (dim_eq(d, *NAMES[i].dim) && NAMES[i].unit) return unit_find(NAMES[i].unit, strlen(NAMES[i].unit));
    return NULL;
}

bool unit_from_base(Rat base, const Unit *u, Rat *out) { return rat_div(base, u->scale, out); }
bool unit_to_base(Rat v, const Unit *u, Rat *out) { return rat_mul(v, u->scale, out); }
