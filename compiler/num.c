/* num.c — exact rationals over 128-bit integers, with overflow checks. */
#include "num.h"

#include <stdio.h>
#include <string.h>

static i128 iabs(i128 v) { return v < 0 ? -v : v; }

static i128 gcd(i128 a, i128 b)
{
    a = iabs(a), b = iabs(b);
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Magnitudes are kept below 2^120 so that negation, doubling and the x10
 * steps of decimal formatting never overflow the 128-bit type. */
static const i128 LIMIT = (((i128)1) << 120);

static bool norm(i128 n, i128 d, Rat *out)
{
    if (d == 0) return false;
    if (d < 0) n = -n, d = -d;
    i128 g = gcd(n, d);
    if (g > 1) n /= g, d /= g;
    if (n > LIMIT || n < -LIMIT || d > LIMIT) return false;
    out->num = n;
    out->den = d;
    return true;
}

static bool mul_ok(i128 a, i128 b, i128 *out)
{
    if (__builtin_mul_overflow(a, b, out)) return false;
    return *out <= LIMIT && *out >= -LIMIT;
}

bool rat_is_int(Rat r) { return r.den == 1; }
bool rat_fits_i64(Rat r) { return r.den == 1 && r.num <= INT64_MAX && r.num >= INT64_MIN; }
int64_t rat_to_i64(Rat r) { return (int64_t)(r.num / r.den); }
int rat_sign(Rat r) { return r.num > 0 ? 1 : r.num < 0 ? -1 : 0; }
Rat rat_neg(Rat a) { return (Rat){-a.num, a.den}; }

/* Compares non-negative n1/d1 and n2/d2 exactly, without multiplying: by
 * integer parts, then by the inverted remainders (Euclid's steps). */
static int cmp_pos(i128 n1, i128 d1, i128 n2, i128 d2)
{
    for (;;) {
        i128 q1 = n1 / d1, q2 = n2 / d2;
        if (q1 != q2) return q1 < q2 ? -1 : 1;
        i128 r1 = n1 % d1, r2 = n2 % d2;
        if (r1 == 0 || r2 == 0) return r1 == r2 ? 0 : (r1 == 0 ? -1 : 1);
        /* cmp(r1/d1, r2/d2) == cmp(d2/r2, d1/r1) */
        i128 a = d2, b = r2, c = d1, d = r1;
        n1 = a, d1 = b, n2 = c, d2 = d;
    }
}

int rat_cmp(Rat a, Rat b)
{
    int sa = rat_sign(a), sb = rat_sign(b);
    if (sa != sb) return sa < sb ? -1 : 1;
    if (sa == 0) return 0;
    if (sa > 0) return cmp_pos(a.num, a.den, b.num, b.den);
    return -cmp_pos(-a.num, a.den, -b.num, b.den);
}

bool rat_add(Rat a, Rat b, Rat *out)
{
    i128 g = gcd(a.den, b.den);
    i128 da = a.den / g, db = b.den / g, x, y, d;
    if (!mul_ok(a.num, db, &x) || !mul_ok(b.num, da, &y) || !mul_ok(a.den, db, &d)) return false;
    i128 s;
    if (__builtin_add_overflow(x, y, &s)) return false;
    return norm(s, d, out);
}

bool rat_sub(Rat a, Rat b, Rat *out) { return rat_add(a, rat_neg(b), out); }

bool rat_mul(Rat a, Rat b, Rat *out)
{
    i128 g1 = gcd(a.num, b.den), g2 = gcd(b.num, a.den);
    if (g1 == 0) g1 = 1;
    if (g2 == 0) g2 = 1;
    i128 n, d;
    if (!mul_ok(a.num / g1, b.num / g2, &n) || !mul_ok(a.den / g2, b.den / g1, &d)) return false;
    return norm(n, d, out);
}

bool rat_div(Rat a, Rat b, Rat *out)
{
    if (b.num == 0) return false;
    return rat_mul(a, (Rat){b.den, b.num}, out) && true;
}

bool rat_parse(const char *s, size_t n, Rat *out)
{
    i128 num = 0, den = 1;
    bool dot = false, digit = false, prev_digit = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            if (!mul_ok(num, 10, &num)) return false;
            num += c - '0';
            if (num > LIMIT) return false;
            if (dot && !mul_ok(den, 10, &den)) return false;
            digit = prev_digit = true;
        } else if (c == '_') {
            if (!prev_digit || i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9') return false;
            prev_digit = false;
        } else if (c == '.' && !dot && prev_digit && i + 1 < n) {
            dot = true;
            prev_digit = false;
        } else {
            return false;
        }
    }
    if (!digit) return false;
    return norm(num, den, out);
}

bool rat_terminates(Rat r)
{
    i128 d = r.den;
    while (d % 2 == 0) d /= 2;
    while (d % 5 == 0) d /= 5;
    return d == 1;
}

static char *fmt_i128(i128 v, char *buf, size_t cap)
{
    char tmp[64];
    size_t k = 0;
    bool neg = v < 0;
    u128 u = neg ? (u128)(-(v + 1)) + 1 : (u128)v;
    do {
        tmp[k++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    size_t j = 0;
    if (neg && j + 1 < cap) buf[j++] = '-';
    while (k && j + 1 < cap) buf[j++] = tmp[--k];
    buf[j] = 0;
    return buf;
}

char *rat_format(Rat r, char *buf, size_t cap)
{
    if (r.den == 1) return fmt_i128(r.num, buf, cap);
    i128 d = r.den;
    int twos = 0, fives = 0;
    while (d % 2 == 0) d /= 2, twos++;
    while (d % 5 == 0) d /= 5, fives++;
    int scale = twos > fives ? twos : fives;
    if (d != 1 || scale > 30) {
        char a[64], b[64];
        snprintf(buf, cap, "%s/%s", fmt_i128(r.num, a, sizeof a), fmt_i128(r.den, b, sizeof b));
        return buf;
    }
    return rat_format_fixed(r, scale, buf, cap);
}

char *rat_format_fixed(Rat r, int scale, char *buf, size_t cap)
{
    /* q = round_half_even(r * 10^scale) */
    if (scale < 0) scale = 0;
    if (scale > 30) scale = 30;
    i128 p = 1;
    for (int i = 0; i < scale; i++) p *= 10;
    bool neg = r.num < 0;
    i128 n = neg ? -r.num : r.num;
    i128 ip = n / r.den, rem = n % r.den;
    i128 frac = 0;
    for (int i = 0; i < scale; i++) {
        rem *= 10;
        frac = frac * 10 + rem / r.den;
        rem %= r.den;
    }
    /* half-even on the remainder */
    i128 twice = rem * 2;
    if (twice > r.den || (twice == r.den && (frac % 2 == 1 || (scale == 0 && ip % 2 == 1)))) {
        frac++;
        if (frac >= p) frac -= p, ip++;
    }
    char a[64], f[64];
    fmt_i128(ip, a, sizeof a);
    if (scale == 0) {
        snprintf(buf, cap, "%s%s", neg && (ip || frac) ? "-" : "", a);
        return buf;
    }
    fmt_i128(frac, f, sizeof f);
    char pad[64];
    size_t fl = strlen(f);
    size_t z = (size_t)scale > fl ? (size_t)scale - fl : 0;
    memset(pad, '0', z);
    pad[z] = 0;
    snprintf(buf, cap, "%s%s.%s%s", neg && (ip || frac) ? "-" : "", a, pad, f);
    return buf;
}
