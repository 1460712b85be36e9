/* Units of measure (compiler/unit.h, unit.def): the table, exact conversions,
 * dimension arithmetic and names. */
#include <criterion/criterion.h>
#include <string.h>

#include "unit.h"

static const char *fmt(Rat r)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    return rat_format(r, buf[k], sizeof buf[k]);
}

static const Unit *U(const char *text)
{
    const Unit *u = unit_find(text, strlen(text));
    cr_assert_not_null(u, "unit %s", text);
    return u;
}

static Rat q(const char *s)
{
    Rat r;
    cr_assert(rat_parse(s, strlen(s), &r), "parse %s", s);
    return r;
}

/* v in unit `from`, expressed in unit `to` */
static const char *convert(const char *v, const char *from, const char *to)
{
    Rat base, out;
    cr_assert(unit_to_base(q(v), U(from), &base));
    cr_assert(dim_eq(U(from)->dim, U(to)->dim), "%s and %s differ in dimension", from, to);
    cr_assert(unit_from_base(base, U(to), &out));
    return fmt(out);
}

static Dim D(int b, int s, int usd, int io) { return (Dim){{(int8_t)b, (int8_t)s, (int8_t)usd, (int8_t)io}}; }

/* ---- the table ------------------------------------------------------------------ */

static const struct {
    const char *text;
    int b, s, usd, io;
    const char *scale; /* base units per one, computed independently */
} EXPECTED[] = {
    {"B", 1, 0, 0, 0, "1"},
    {"KB", 1, 0, 0, 0, "1000"},
    {"MB", 1, 0, 0, 0, "1000000"},
    {"GB", 1, 0, 0, 0, "1000000000"},
    {"TB", 1, 0, 0, 0, "1000000000000"},
    {"PB", 1, 0, 0, 0, "1000000000000000"},
    {"KiB", 1, 0, 0, 0, "1024"},
    {"MiB", 1, 0, 0, 0, "1048576"},
    {"GiB", 1, 0, 0, 0, "1073741824"},
    {"TiB", 1, 0, 0, 0, "1099511627776"},
    {"PiB", 1, 0, 0, 0, "1125899906842624"},
    {"s", 0, 1, 0, 0, "1"},
    {"min", 0, 1, 0, 0, "60"},
    {"h", 0, 1, 0, 0, "3600"},
    {"d", 0, 1, 0, 0, "86400"},
    {"month", 0, 1, 0, 0, "2628000"}, /* 730 h */
    {"B/s", 1, -1, 0, 0, "1"},
    {"KB/s", 1, -1, 0, 0, "1000"},
    {"MB/s", 1, -1, 0, 0, "1000000"},
    {"GB/s", 1, -1, 0, 0, "1000000000"},
    {"KiB/s", 1, -1, 0, 0, "1024"},
    {"MiB/s", 1, -1, 0, 0, "1048576"},
    {"GiB/s", 1, -1, 0, 0, "1073741824"},
    {"Mbit/s", 1, -1, 0, 0, "125000"},
    {"Gbit/s", 1, -1, 0, 0, "125000000"},
    {"MB/s/TiB", 0, -1, 0, 0, "15625/17179869184"}, /* 10^6 / 2^40 */
    {"IOPS", 0, -1, 0, 1, "1"},
    {"%", 0, 0, 0, 0, "0.01"},
    {"USD", 0, 0, 1, 0, "1"},
    {"USD/h", 0, -1, 1, 0, "1/3600"},
    {"USD/d", 0, -1, 1, 0, "1/86400"},
    {"USD/month", 0, -1, 1, 0, "1/2628000"},
    {"USD/GB-month", -1, -1, 1, 0, "1/2628000000000000"},
    /* USD/GiB-month: see unit_gib_month_scale below (wrong in unit.def) */
};

Test(unit, table_has_every_unit_once)
{
    size_t n = 0;
    while (unit_at(n)) n++;
    cr_assert_eq(n, 34u);
    cr_assert_null(unit_at(34));
    cr_assert_null(unit_at((size_t)-1));
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            cr_assert_str_neq(unit_at(i)->text, unit_at(j)->text);
}

Test(unit, unit_find_finds_every_entry)
{
    for (size_t i = 0; unit_at(i); i++) {
        const Unit *u = unit_at(i);
        cr_assert_eq(unit_find(u->text, strlen(u->text)), u, "%s", u->text);
    }
}

Test(unit, dimensions_and_scales_match_the_definitions)
{
    for (size_t i = 0; i < sizeof EXPECTED / sizeof EXPECTED[0]; i++) {
        const Unit *u = U(EXPECTED[i].text);
        cr_assert(dim_eq(u->dim, D(EXPECTED[i].b, EXPECTED[i].s, EXPECTED[i].usd, EXPECTED[i].io)), "%s",
                  EXPECTED[i].text);
        Rat base;
        cr_assert(unit_to_base(rat_int(1), u, &base));
        cr_assert_str_eq(fmt(base), EXPECTED[i].scale, "%s", EXPECTED[i].text);
        cr_assert_gt(u->scale.den, 0, "%s", EXPECTED[i].text);
    }
}

/* Regression (was a bug, now fixed): unit.def gives USD/GiB-month the scale 1/2821803737907200000, but a
 * GiB-month is 2^30 B x 2628000 s = 2821793513472000 B.s: the table value is
 * ~1000.0036 times too large, so every USD/GiB-month price converts wrong
 * (1 USD/GiB-month comes out as ~0.000931 USD/GB-month instead of
 * 1953125/2097152 = 0.931322574615478515625). */
Test(unit, unit_gib_month_scale)
{
    Rat base;
    cr_assert(unit_to_base(rat_int(1), U("USD/GiB-month"), &base));
    cr_assert_str_eq(fmt(base), "1/2821793513472000");
    cr_assert_str_eq(convert("1", "USD/GiB-month", "USD/GB-month"), "0.931322574615478515625");
}

Test(unit, gib_month_has_the_storage_price_dimension)
{
    cr_assert(dim_eq(U("USD/GiB-month")->dim, DIM_MONEY_PER_DATA_TIME));
}

/* Regression (was a bug, now fixed): num.h says a Rat is in lowest terms, but the MB/s/TiB scale
 * in unit.def is 1000000/1099511627776 (both divisible by 64). Arithmetic
 * renormalizes, so only code reading Unit.scale directly can see it. */
Test(unit, scales_are_in_lowest_terms)
{
    for (size_t i = 0; unit_at(i); i++) {
        Rat s = unit_at(i)->scale, r;
        cr_assert(rat_mul(s, rat_int(1), &r));
        cr_assert(s.num == r.num && s.den == r.den, "%s scale is not in lowest terms", unit_at(i)->text);
    }
}

Test(unit, unit_find_rejects_unknown_text)
{
    cr_assert_null(unit_find("gib", 3));
    cr_assert_null(unit_find("GIB", 3));
    cr_assert_null(unit_find("GiBs", 4));
    cr_assert_null(unit_find("Gi", 2));
    cr_assert_null(unit_find("", 0));
    cr_assert_null(unit_find("days", 4));
    cr_assert_null(unit_find("USD/GB-months", 13));
    cr_assert_null(unit_find("MB/s/GiB", 8));
    cr_assert_null(unit_find("m", 1));
    /* only the first n bytes count */
    cr_assert_eq(unit_find("GiB/s", 3), U("GiB"));
    cr_assert_eq(unit_find("GiB/s", 5), U("GiB/s"));
    cr_assert_eq(unit_find("MB/s/TiB", 4), U("MB/s"));
}

/* ---- conversions ------------------------------------------------------------------- */

Test(unit, sizes_convert_exactly)
{
    Rat base;
    cr_assert(unit_to_base(rat_int(1200), U("GiB"), &base));
    cr_assert_str_eq(fmt(base), "1288490188800");
    cr_assert_str_eq(convert("1", "TiB", "GiB"), "1024");
    cr_assert_str_eq(convert("1200", "GiB", "TiB"), "1.171875");
    cr_assert_str_eq(convert("1", "TB", "GB"), "1000");
    cr_assert_str_eq(convert("1", "GiB", "GB"), "1.073741824");
    cr_assert_str_eq(convert("1", "PiB", "TiB"), "1024");
    cr_assert_str_eq(convert("1", "GB", "GiB"), "0.931322574615478515625");
}

Test(unit, money_rates_convert_exactly)
{
    cr_assert_str_eq(convert("25000", "USD/month", "USD/h"), "2500/73");
    cr_assert_str_eq(convert("1", "USD/h", "USD/month"), "730");
    cr_assert_str_eq(convert("24", "USD/d", "USD/h"), "1");
    cr_assert_str_eq(convert("1", "USD/d", "USD/month"), "365/12");
    cr_assert_str_eq(convert("730", "h", "month"), "1");
    cr_assert_str_eq(convert("1", "month", "d"), "365/12");
}

Test(unit, throughputs_convert_exactly)
{
    Rat base;
    cr_assert(unit_to_base(rat_int(1), U("Gbit/s"), &base));
    cr_assert_str_eq(fmt(base), "125000000");
    cr_assert_str_eq(convert("100", "Gbit/s", "GB/s"), "12.5");
    cr_assert_str_eq(convert("1000", "Mbit/s", "Gbit/s"), "1");
    cr_assert_str_eq(convert("1", "GiB/s", "MiB/s"), "1024");
    cr_assert_str_eq(convert("1", "MB/s", "Mbit/s"), "8");
}

Test(unit, per_unit_throughput_scale)
{
    Rat base;
    cr_assert(unit_to_base(rat_int(250), U("MB/s/TiB"), &base));
    cr_assert_str_eq(fmt(base), "1953125/8589934592");
    /* 1200 GiB at 250 MB/s/TiB is 292.96875 MB/s */
    Rat cap, thr, mbs;
    cr_assert(unit_to_base(rat_int(1200), U("GiB"), &cap));
    cr_assert(rat_mul(cap, base, &thr));
    Dim d;
    cr_assert(dim_mul(U("GiB")->dim, U("MB/s/TiB")->dim, &d));
    cr_assert(dim_eq(d, DIM_RATE));
    cr_assert_str_eq(fmt(thr), "292968750");
    cr_assert(unit_from_base(thr, U("MB/s"), &mbs));
    cr_assert_str_eq(fmt(mbs), "292.96875");
    /* 1 TiB at 125 MB/s/TiB is exactly 125 MB/s */
    cr_assert(unit_to_base(rat_int(1), U("TiB"), &cap));
    cr_assert(unit_to_base(rat_int(125), U("MB/s/TiB"), &base));
    cr_assert(rat_mul(cap, base, &thr));
    cr_assert(unit_from_base(thr, U("MB/s"), &mbs));
    cr_assert_str_eq(fmt(mbs), "125");
}

Test(unit, percent_and_storage_price)
{
    Rat base;
    cr_assert(unit_to_base(rat_int(50), U("%"), &base));
    cr_assert_str_eq(fmt(base), "0.5");
    cr_assert(dim_is_none(U("%")->dim));
    cr_assert(unit_to_base(q("0.023"), U("USD/GB-month"), &base));
    cr_assert_str_eq(fmt(base), "23/2628000000000000000");
    /* price x size x time = money: 0.023 USD/GB-month x 1000 GB x 1 month = 23 USD */
    Rat size, t, a, b;
    cr_assert(unit_to_base(rat_int(1000), U("GB"), &size));
    cr_assert(unit_to_base(rat_int(1), U("month"), &t));
    cr_assert(rat_mul(base, size, &a));
    cr_assert(rat_mul(a, t, &b));
    cr_assert_str_eq(fmt(b), "23");
    Dim d1, d2;
    cr_assert(dim_mul(DIM_MONEY_PER_DATA_TIME, DIM_DATA, &d1));
    cr_assert(dim_mul(d1, DIM_TIME, &d2));
    cr_assert(dim_eq(d2, DIM_MONEY));
}

Test(unit, conversion_round_trips)
{
    for (size_t i = 0; unit_at(i); i++) {
        const Unit *u = unit_at(i);
        Rat v = q("123.456"), base, back;
        cr_assert(unit_to_base(v, u, &base), "%s", u->text);
        cr_assert(unit_from_base(base, u, &back), "%s", u->text);
        cr_assert_eq(rat_cmp(v, back), 0, "%s: %s", u->text, fmt(back));
    }
}

Test(unit, conversion_overflow_is_reported)
{
    Rat big = {((i128)1) << 100, 1}, out = {7, 1};
    cr_assert_not(unit_to_base(big, U("PiB"), &out));
    cr_assert(out.num == 7 && out.den == 1, "out untouched");
}

/* ---- dimensions ------------------------------------------------------------------------ */

Test(unit, named_dimensions)
{
    cr_assert(dim_eq(DIM_NONE, D(0, 0, 0, 0)));
    cr_assert(dim_eq(DIM_DATA, D(1, 0, 0, 0)));
    cr_assert(dim_eq(DIM_TIME, D(0, 1, 0, 0)));
    cr_assert(dim_eq(DIM_RATE, D(1, -1, 0, 0)));
    cr_assert(dim_eq(DIM_PER_UNIT_RATE, D(0, -1, 0, 0)));
    cr_assert(dim_eq(DIM_IOPS, D(0, -1, 0, 1)));
    cr_assert(dim_eq(DIM_MONEY, D(0, 0, 1, 0)));
    cr_assert(dim_eq(DIM_MONEY_RATE, D(0, -1, 1, 0)));
    cr_assert(dim_eq(DIM_MONEY_PER_DATA_TIME, D(-1, -1, 1, 0)));
    cr_assert_not(dim_eq(DIM_RATE, DIM_PER_UNIT_RATE));
    cr_assert_not(dim_eq(DIM_IOPS, DIM_PER_UNIT_RATE));
    cr_assert(dim_is_none(DIM_NONE));
    cr_assert_not(dim_is_none(DIM_IOPS));
}

Test(unit, dim_mul_and_div)
{
    Dim d;
    cr_assert(dim_mul(DIM_RATE, DIM_TIME, &d));
    cr_assert(dim_eq(d, DIM_DATA));
    cr_assert(dim_div(DIM_DATA, DIM_TIME, &d));
    cr_assert(dim_eq(d, DIM_RATE));
    cr_assert(dim_div(DIM_DATA, DIM_DATA, &d));
    cr_assert(dim_is_none(d));
    cr_assert(dim_mul(DIM_MONEY_RATE, DIM_TIME, &d));
    cr_assert(dim_eq(d, DIM_MONEY));
    cr_assert(dim_div(DIM_MONEY, DIM_TIME, &d));
    cr_assert(dim_eq(d, DIM_MONEY_RATE));
    cr_assert(dim_div(DIM_RATE, DIM_DATA, &d));
    cr_assert(dim_eq(d, DIM_PER_UNIT_RATE));
    cr_assert(dim_div(DIM_NONE, DIM_TIME, &d));
    cr_assert(dim_eq(d, D(0, -1, 0, 0)));
    cr_assert(dim_mul(DIM_DATA, DIM_DATA, &d));
    cr_assert(dim_eq(d, D(2, 0, 0, 0)));
    cr_assert(dim_mul(DIM_IOPS, DIM_TIME, &d));
    cr_assert(dim_eq(d, D(0, 0, 0, 1)));
}

Test(unit, dim_exponent_limits)
{
    Dim d = D(8, -8, 0, 0), out = D(5, 5, 5, 5);
    cr_assert(dim_mul(d, DIM_NONE, &out));
    cr_assert(dim_eq(out, d));
    out = D(5, 5, 5, 5);
    cr_assert_not(dim_mul(d, DIM_DATA, &out)); /* 9 */
    cr_assert_not(dim_div(d, DIM_TIME, &out)); /* -9 */
    cr_assert(dim_div(d, DIM_DATA, &out));
    cr_assert(dim_eq(out, D(7, -8, 0, 0)));
    cr_assert_not(dim_mul(D(0, 0, -8, 0), D(0, 0, -1, 0), &out));
    cr_assert_not(dim_div(D(0, 0, 0, 8), D(0, 0, 0, -1), &out));
}

Test(unit, dim_describe_names)
{
    char buf[96];
    cr_assert_str_eq(dim_describe(DIM_NONE, buf, sizeof buf), "a number");
    cr_assert_str_eq(dim_describe(DIM_DATA, buf, sizeof buf), "a size");
    cr_assert_str_eq(dim_describe(DIM_TIME, buf, sizeof buf), "a duration");
    cr_assert_str_eq(dim_describe(DIM_RATE, buf, sizeof buf), "a throughput");
    cr_assert_str_eq(dim_describe(DIM_PER_UNIT_RATE, buf, sizeof buf), "a throughput per TiB");
    cr_assert_str_eq(dim_describe(DIM_IOPS, buf, sizeof buf), "an I/O rate");
    cr_assert_str_eq(dim_describe(DIM_MONEY, buf, sizeof buf), "an amount of money");
    cr_assert_str_eq(dim_describe(DIM_MONEY_RATE, buf, sizeof buf), "a cost rate");
    cr_assert_str_eq(dim_describe(DIM_MONEY_PER_DATA_TIME, buf, sizeof buf), "a storage price");
    cr_assert_str_eq(dim_describe(D(2, 0, 0, 0), buf, sizeof buf), "a quantity in B^2");
    cr_assert_str_eq(dim_describe(D(1, -2, 1, 0), buf, sizeof buf), "a quantity in B^1 s^-2 USD^1");
    cr_assert_str_eq(dim_describe(D(0, 0, 0, 1), buf, sizeof buf), "a quantity in op^1");
    cr_assert_str_eq(dim_describe(D(-8, 8, -8, 8), buf, sizeof buf), "a quantity in B^-8 s^8 USD^-8 op^8");
}

Test(unit, dim_describe_truncates_safely)
{
    char buf[8];
    memset(buf, 'x', sizeof buf);
    cr_assert_str_eq(dim_describe(DIM_MONEY_PER_DATA_TIME, buf, sizeof buf), "a stora");
    cr_assert_str_eq(dim_describe(D(1, -2, 1, 1), buf, sizeof buf), "a quant");
    char big[20];
    cr_assert_str_eq(dim_describe(D(1, -2, 1, 1), big, sizeof big), "a quantity in B^1 s");
}

Test(unit, every_unit_has_a_described_dimension)
{
    char buf[96];
    for (size_t i = 0; unit_at(i); i++) {
        const char *s = dim_describe(unit_at(i)->dim, buf, sizeof buf);
        cr_assert(strncmp(s, "a quantity in", 13) != 0, "%s: %s", unit_at(i)->text, s);
    }
}

Test(unit, default_units)
{
    cr_assert_null(dim_default_unit(DIM_NONE));
    cr_assert_str_eq(dim_default_unit(DIM_DATA)->text, "B");
    cr_assert_str_eq(dim_default_unit(DIM_TIME)->text, "s");
    cr_assert_str_eq(dim_default_unit(DIM_RATE)->text, "B/s");
    cr_assert_str_eq(dim_default_unit(DIM_PER_UNIT_RATE)->text, "MB/s/TiB");
    cr_assert_str_eq(dim_default_unit(DIM_IOPS)->text, "IOPS");
    cr_assert_str_eq(dim_default_unit(DIM_MONEY)->text, "USD");
    cr_assert_str_eq(dim_default_unit(DIM_MONEY_RATE)->text, "USD/h");
    cr_assert_str_eq(dim_default_unit(DIM_MONEY_PER_DATA_TIME)->text, "USD/GB-month");
    cr_assert_null(dim_default_unit(D(2, 0, 0, 0)));
    for (size_t i = 0; unit_at(i); i++) {
        const Unit *u = dim_default_unit(unit_at(i)->dim);
        if (u) cr_assert(dim_eq(u->dim, unit_at(i)->dim), "%s", unit_at(i)->text);
    }
}

/* ---- suggestions ------------------------------------------------------------------------ */

static const char *suggest(const char *s) { return unit_suggest(s, strlen(s)); }

Test(unit, suggest_fixes_case)
{
    cr_assert_str_eq(suggest("GIB"), "GiB");
    cr_assert_str_eq(suggest("gib"), "GiB");
    cr_assert_str_eq(suggest("iops"), "IOPS");
    cr_assert_str_eq(suggest("usd/month"), "USD/month");
    cr_assert_str_eq(suggest("mb/s/tib"), "MB/s/TiB");
}

Test(unit, suggest_knows_common_spellings)
{
    cr_assert_str_eq(suggest("hours"), "h");
    cr_assert_str_eq(suggest("Days"), "d");
    cr_assert_str_eq(suggest("Gbps"), "Gbit/s");
    cr_assert_str_eq(suggest("mbps"), "Mbit/s");
    cr_assert_str_eq(suggest("percent"), "%");
    cr_assert_str_eq(suggest("m"), "min");
    cr_assert_str_eq(suggest("bytes"), "B");
    cr_assert_str_eq(suggest("MB/s/TB"), "MB/s/TiB");
}

Test(unit, suggest_close_spellings_or_nothing)
{
    cr_assert_str_eq(suggest("GiBx"), "GiB");
    cr_assert_str_eq(suggest("GiB/n"), "GiB/s");
    cr_assert_null(suggest("xlarge"));
    cr_assert_null(suggest("zzzz"));
    char longw[100];
    memset(longw, 'G', 99);
    longw[99] = 0;
    cr_assert_null(suggest(longw));
    /* only the first n bytes are read */
    cr_assert_str_eq(unit_suggest("hoursXYZ", 5), "h");
    /* every suggestion is a unit of the table */
    static const char *const words[] = {"hr", "secs", "dollars", "usd/hr", "gb/sec", "months", "kib", "PIB"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        const char *s = suggest(words[i]);
        cr_assert_not_null(s, "%s", words[i]);
        cr_assert_not_null(unit_find(s, strlen(s)), "%s -> %s", words[i], s);
    }
}
