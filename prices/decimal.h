/* decimal.h — prices as exact decimal strings.
 *
 * AWS writes prices with ten decimals ("0.0960000000"); snapshots hold them
 * normalised ("0.096"). No floating point is involved at any step: the text
 * is checked and trimmed, never converted. */
#ifndef PRICES_DECIMAL_H
#define PRICES_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>

#define DEC_MAX 40 /* characters in a price, as AWS writes it */

/* Normalises a non-negative decimal (digits, optionally '.' and more
 * digits) into out[DEC_MAX + 1]: no leading zeros before the point except a
 * single "0", no trailing zeros after it, no point without a fraction. Zero
 * is "0". Returns NULL, or why the text is not such a number. */
const char *dec_normalise(const char *s, size_t n, char out[DEC_MAX + 1]);

#endif
