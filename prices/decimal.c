/* decimal.c — normalising decimal strings, exactly (see decimal.h). */
#include "decimal.h"

#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

const char *dec_normalise(const char *s, size_t n, char out[DEC_MAX + 1])
{
    if (n == 0) return "is empty";
    if (n > DEC_MAX) return "is longer than the limit (40 characters)";
    size_t i = 0;
    while (i < n && is_digit(s[i])) i++;
    size_t int_end = i;
    size_t frac_start = n, frac_end = n;
    if (i < n) {
        if (s[i] != '.') return "is not a decimal number";
        frac_start = ++i;
        while (i < n && is_digit(s[i])) i++;
        if (i < n) return "is not a decimal number";
        frac_end = n;
        if (frac_start == frac_end) return "is not a decimal number";
    }
    if (int_end == 0) return "is not a decimal number";
    /* Integer part without leading zeros ("0" if nothing is left). */
    size_t a = 0;
    while (a + 1 < int_end && s[a] == '0') a++;
    /* Fraction without trailing zeros. */
    while (frac_end > frac_start && s[frac_end - 1] == '0') frac_end--;
    size_t k = 0;
    memcpy(out, s + a, int_end - a);
    k = int_end - a;
    if (frac_end > frac_start) {
        out[k++] = '.';
        memcpy(out + k, s + frac_start, frac_end - frac_start);
        k += frac_end - frac_start;
    }
    out[k] = 0;
    return NULL;
}
