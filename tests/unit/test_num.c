/* Exact rational arithmetic: parsing, formatting, overflow, comparison. */
#include <criterion/criterion.h>
#include <string.h>

#include "num.h"

static Rat parse(const char *s)
{
    Rat r;
    cr_assert(rat_parse(s, strlen(s), &r), "parse %s", s);
    return r;
}

static const char *fmt(Rat r)
{
    static char buf[128];
    return rat_format(r, buf, sizeof buf);
}

Test(num, parses_integers_and_decimals)
{
    cr_assert_str_eq(fmt(parse("1200")), "1200");
    cr_assert_str_eq(fmt(parse("1.2")), "1.2");
    cr_assert_str_eq(fmt(parse("25_000")), "25000");
    cr_assert_str_eq(fmt(parse("9.85344")), "9.85344");
    cr_assert_str_eq(fmt(parse("0.0104")), "0.0104");
}

Test(num, rejects_malformed)
{
    Rat r;
    cr_assert_not(rat_parse("1__0", 4, &r));
    cr_assert_not(rat_parse("_1", 2, &r));
    cr_assert_not(rat_parse("1.", 2, &r));
    cr_assert_not(rat_parse("", 0, &r));
    cr_assert_not(rat_parse("99999999999999999999999999999999999999999", 41, &r));
}

Test(num, decimal_sums_are_exact)
{
    Rat a = parse("0.1"), b = parse("0.2"), c;
    cr_assert(rat_add(a, b, &c));
    cr_assert_str_eq(fmt(c), "0.3");
    cr_assert_eq(rat_cmp(c, parse("0.3")), 0);
}

Test(num, non_terminating_prints_as_fraction)
{
    Rat r;
    cr_assert(rat_div(rat_int(25000), rat_int(730), &r));
    cr_assert_str_eq(fmt(r), "2500/73");
    char buf[64];
    cr_assert_str_eq(rat_format_fixed(r, 2, buf, sizeof buf), "34.25");
}

Test(num, fixed_rounds_half_to_even)
{
    char buf[64];
    cr_assert_str_eq(rat_format_fixed(parse("0.125"), 2, buf, sizeof buf), "0.12");
    cr_assert_str_eq(rat_format_fixed(parse("0.135"), 2, buf, sizeof buf), "0.14");
    cr_assert_str_eq(rat_format_fixed(parse("412.3"), 2, buf, sizeof buf), "412.30");
    cr_assert_str_eq(rat_format_fixed(rat_neg(parse("2.5")), 0, buf, sizeof buf), "-2");
}

Test(num, overflow_is_reported)
{
    Rat big = {((i128)1) << 119, 1}, r;
    cr_assert_not(rat_mul(big, big, &r));
    cr_assert_not(rat_div(rat_int(1), rat_int(0), &r));
}

Test(num, compares_exactly)
{
    cr_assert_lt(rat_cmp(parse("329.48"), parse("400")), 0);
    Rat third, two_thirds;
    rat_div(rat_int(1), rat_int(3), &third);
    rat_div(rat_int(2), rat_int(3), &two_thirds);
    cr_assert_lt(rat_cmp(third, two_thirds), 0);
    cr_assert_gt(rat_cmp(rat_neg(third), rat_neg(two_thirds)), 0);
    Rat a = {(((i128)1) << 100) + 1, ((i128)1) << 100}, b = {(((i128)1) << 100) + 3, (((i128)1) << 100) + 1};
    cr_assert_lt(rat_cmp(a, b), 0);
}
