/* offer.h — reading an AWS Price List offer file (CSV) for EC2 prices.
 *
 * An offer file is five metadata lines ("FormatVersion","v1.0", then the
 * disclaimer, publication date, version and offer code), the header on line
 * 6, then one row per SKU and term. Columns are found by their names in the
 * header, never by position: AWS adds, drops and reorders columns between
 * versions. A row is kept when it is an on-demand hourly USD price of Linux
 * in shared tenancy with no pre-installed software and capacity status
 * Used, for a BoxUsage usage type (and, where the columns exist, in the
 * region asked for, with no license, market OnDemand). Zero prices are left
 * out: AWS lists some types at 0 where they have no on-demand price.
 *
 * The text is fed in pieces as it arrives; only the table of kept prices
 * (one entry per instance type) grows. */
#ifndef PRICES_OFFER_H
#define PRICES_OFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decimal.h"

typedef struct OfferPrice {
    char *type;               /* "m5.large" */
    char usd[DEC_MAX + 1];    /* normalised, per hour: "0.096" */
    uint64_t line;            /* the row it came from */
} OfferPrice;

typedef struct Offer Offer;

Offer *offer_new(const char *region);
void offer_free(Offer *o);

/* Feeds the next piece of the file; false on an error (offer_error()). */
bool offer_feed(Offer *o, const char *p, size_t n);
/* End of the file: the last checks. False on an error. */
bool offer_finish(Offer *o);

/* The error: its message and the line it is about (0: the whole file). */
const char *offer_error(const Offer *o, uint64_t *line);

/* After offer_finish(): the metadata, and the prices sorted by type. */
const char *offer_version(const Offer *o);
const char *offer_published(const Offer *o);
const OfferPrice *offer_prices(const Offer *o, size_t *n);
uint64_t offer_rows(const Offer *o); /* data rows read (after the header) */

#endif
