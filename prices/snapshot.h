/* snapshot.h — the text of a price snapshot (format hpcc-prices/1, docs/prices.md).
 *
 * Built in memory (a few tens of KiB) from the kept prices and the storage
 * section of the built-in us-east-1 snapshot; a pure function of its inputs,
 * so the same download always gives the same bytes. */
#ifndef PRICES_SNAPSHOT_H
#define PRICES_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "offer.h"

typedef struct SnapshotSource {
    const char *url;
    const char *version;    /* from the offer file's metadata */
    const char *published;
    const char *sha256;     /* of the bytes downloaded */
    uint64_t bytes;
} SnapshotSource;

/* The JSON text (malloc'ed, *len bytes, ending with a newline). */
char *snapshot_json(const char *region, const SnapshotSource *src, const OfferPrice *prices, size_t n,
                    size_t *len);

#endif
