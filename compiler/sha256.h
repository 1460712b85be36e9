/* sha256.h — SHA-256 (FIPS 180-4), for the manifest of written files.
 * Small enough to carry instead of a crypto library dependency. */
#ifndef HPCC_SHA256_H
#define HPCC_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct Sha256 {
    uint32_t h[8];
    uint64_t len;       /* bytes hashed so far */
    uint8_t buf[64];
    size_t nbuf;
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t n);
void sha256_final(Sha256 *s, uint8_t out[32]);
/* Hex digest of a buffer into hex[65]. */
void sha256_hex(const void *data, size_t n, char hex[65]);

#endif
