/* unit.c — the unit table (from unit.def), dimensions and exact conversion. */
#include "unit.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "hpcc.h"

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

static bool ieq(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n) return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i])) return false;
    return true;
}

const char *unit_suggest(const char *text, size_t n)
{
    /* Spellings people write for units hpcc knows under another name. */
    static const char *const alias[][2] = {
        {"gbps", "Gbit/s"}, {"gbit", "Gbit/s"}, {"gb/sec", "GB/s"}, {"mbps", "Mbit/s"}, {"mbit", "Mbit/s"},
        {"mb/sec", "MB/s"}, {"hour", "h"}, {"hours", "h"}, {"hr", "h"}, {"hrs", "h"}, {"day", "d"}, {"days", "d"},
        {"minute", "min"}, {"minutes", "min"}, {"mins", "min"}, {"m", "min"}, {"sec", "s"}, {"secs", "s"},
        {"second", "s"}, {"seconds", "s"}, {"months", "month"}, {"dollar", "USD"}, {"dollars", "USD"},
        {"percent", "%"}, {"usd/hour", "USD/h"}, {"usd/hr", "USD/h"}, {"usd/mo", "USD/month"},
        {"mb/s/tb", "MB/s/TiB"}, {"mbps/tib", "MB/s/TiB"}, {"byte", "B"}, {"bytes", "B"},
    };
    /* Bytes or bits: the case of the B tells. */
    static const char *const exact[][2] = {{"MBps", "MB/s"}, {"GBps", "GB/s"}, {"KBps", "KB/s"},
                                           {"Mbps", "Mbit/s"}, {"Gbps", "Gbit/s"}};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strlen(exact[i][0]) == n && memcmp(text, exact[i][0], n) == 0) return exact[i][1];
    for (size_t i = 0; i < NUNITS; i++)
        if (ieq(text, n, UNITS[i].text)) return UNITS[i].text;
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (ieq(text, n, alias[i][0])) return alias[i][1];
    if (n > 64) return NULL;
    char w[65];
    memcpy(w, text, n);
    w[n] = 0;
    const char *names[NUNITS];
    for (size_t i = 0; i < NUNITS; i++) names[i] = UNITS[i].text;
    const char *best = closest_name(w, names, NUNITS);
    return best && strcmp(best, w) != 0 ? best : NULL;
}
