/* digest.h — SHA-256 of the download, computed as it streams.
 *
 * OpenSSL's implementation (libcrypto, loaded anyway by libcurl) rather than
 * compiler/sha256.c: it uses the CPU's SHA instructions and is about six
 * times faster, which matters at a gigabyte per download. The hex digest is
 * the same as `sha256sum` of the downloaded file. */
#ifndef PRICES_DIGEST_H
#define PRICES_DIGEST_H

#include <stddef.h>

typedef struct Digest Digest;

Digest *digest_new(void);
void digest_update(Digest *d, const void *p, size_t n);
void digest_hex(Digest *d, char hex[65]); /* ends the digest */
void digest_free(Digest *d);

#endif
