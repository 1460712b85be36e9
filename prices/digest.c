/* digest.c — SHA-256 through OpenSSL's EVP interface; the only file that
 * includes an OpenSSL header. */
#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "hpcc.h"

struct Digest {
    EVP_MD_CTX *ctx;
};

Digest *digest_new(void)
{
    Digest *d = malloc(sizeof *d);
    if (!d) hpcc_die("out of memory");
    d->ctx = EVP_MD_CTX_new();
    if (!d->ctx || EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1) hpcc_die("cannot start SHA-256 (OpenSSL)");
    return d;
}

void digest_update(Digest *d, const void *p, size_t n)
{
    if (n && EVP_DigestUpdate(d->ctx, p, n) != 1) hpcc_die("SHA-256 failed (OpenSSL)");
}

void digest_hex(Digest *d, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(d->ctx, md, &n) != 1 || n != 32) hpcc_die("SHA-256 failed (OpenSSL)");
    for (unsigned i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

void digest_free(Digest *d)
{
    if (!d) return;
    EVP_MD_CTX_free(d->ctx);
    free(d);
}
