/* num.h — exact rational numbers, the only arithmetic on values that reach an
 * artifact, a cost or a check (no binary floating point anywhere).
 *
 * A Rat is num/den in lowest terms with den > 0, over 128-bit integers. Every
 * operation reports overflow instead of wrapping; the caller turns that into a
 * located diagnostic. Decimal text converts both ways exactly; a value whose
 * decimal expansion does not terminate prints as "num/den" where exactness is
 * required, or rounded half-even where the caller asks for a fixed scale. */
#ifndef HPCC_NUM_H
#define HPCC_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

typedef struct Rat {
    i128 num, den;
} Rat;

static inline Rat rat_int(int64_t v) { return (Rat){v, 1}; }
bool rat_is_int(Rat r);
bool rat_fits_i64(Rat r);
int64_t rat_to_i64(Rat r); /* truncates toward zero; check rat_is_int first */
int rat_cmp(Rat a, Rat b);
int rat_sign(Rat r);

/* Arithmetic: false on overflow (or division by zero), *out untouched. */
bool rat_add(Rat a, Rat b, Rat *out);
bool rat_sub(Rat a, Rat b, Rat *out);
bool rat_mul(Rat a, Rat b, Rat *out);
bool rat_div(Rat a, Rat b, Rat *out);
Rat rat_neg(Rat a);

/* Parses "123", "1.25", "25_000" (underscores between digits). False if the
 * text is malformed or the value too large. */
bool rat_parse(const char *s, size_t n, Rat *out);

/* True if the value has a finite decimal expansion. */
bool rat_terminates(Rat r);
/* Exact text: decimal if it terminates, else "num/den". buf >= 96 bytes. */
char *rat_format(Rat r, char *buf, size_t cap);
/* Rounded to `scale` decimals, half to even, e.g. scale 2 -> "412.30". */
char *rat_format_fixed(Rat r, int scale, char *buf, size_t cap);

#endif
