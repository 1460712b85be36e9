/* main.c — hpcc-prices, the program behind `hpcc prices update`.
 *
 * Downloads the AWS Price List offer file of EC2 for one region (a CSV of
 * hundreds of MB to GBs), reads it as it streams in, and writes a price
 * snapshot (docs/prices.md). It is a program of its own because it links
 * libcurl, whose start-up cost hpcc's compile path must not pay
 * (docs/design.md); hpcc runs it for `hpcc prices ...`.
 *
 * The pipeline, one module each: url (what may be fetched) -> fetch (the
 * download, libcurl) -> digest (SHA-256 of the bytes) and offer (csv, the
 * rows, the filters, decimal prices) -> snapshot (the JSON) -> atomic (the
 * file). Exit status: 0 written, 1 failed (nothing written, an existing file
 * untouched), 2 usage error. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "digest.h"
#include "fetch.h"
#include "offer.h"
#include "snapshot.h"
#include "url.h"

#define DEFAULT_MAX_BYTES 8589934592u /* 8 GiB: the largest regional file is about 1 GB */
#define DEFAULT_CONNECT_MS 30000
#define DEFAULT_IDLE_MS 60000
#define MAX_SECONDS 86400

static const char USAGE[] =
    "usage: hpcc prices update --region REGION [options]\n"
    "\n"
    "Downloads the AWS Price List offer file of EC2 for REGION (CSV) and writes\n"
    "a price snapshot of its on-demand Linux prices (docs/prices.md).\n"
    "\n"
    "options:\n"
    "  --region REGION        the region, such as us-east-1 (required)\n"
    "  --url URL              where to download it from (default: AWS's offer file,\n"
    "                         https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/REGION/index.csv);\n"
    "                         https, or http:// and file:// on this machine only\n"
    "  -o FILE                the snapshot to write (default: prices-REGION.json)\n"
    "  --max-bytes N          fail if the download is larger (default: 8589934592, 8 GiB)\n"
    "  --connect-timeout S    seconds to connect, TLS included (default: 30)\n"
    "  --idle-timeout S       fail after S seconds without data (default: 60)\n"
    "\n"
    "exit status: 0 written, 1 failed (nothing written), 2 usage error\n";

typedef struct Opts {
    const char *region;
    const char *url;
    const char *out;
    uint64_t max_bytes;
    long connect_ms, idle_ms;
} Opts;

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "hpcc: %s '%s'\n(run 'hpcc prices help' for usage)\n", what, arg);
    return 2;
}

/* A positive whole number; false if it is not one. */
static bool parse_count(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10) return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return v > 0;
}

/* Seconds, up to three decimals ("30", "0.5"), into milliseconds; positive, at most a day. */
static bool parse_seconds(const char *s, long *ms)
{
    long whole = 0, frac = 0;
    int digits = 0, decimals = 0;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        whole = whole * 10 + (*s - '0');
        if (whole > MAX_SECONDS) return false;
    }
    if (*s == '.') {
        for (s++; *s >= '0' && *s <= '9' && decimals < 3; s++, decimals++) frac = frac * 10 + (*s - '0');
        if (decimals == 0) return false;
        for (int i = decimals; i < 3; i++) frac *= 10;
    }
    if (*s || digits == 0) return false;
    *ms = whole * 1000 + frac;
    return *ms > 0 && *ms <= (long)MAX_SECONDS * 1000;
}

/* Returns -1 when the options are good, else the exit status. */
static int parse_args(int argc, char **argv, Opts *o)
{
    *o = (Opts){.max_bytes = DEFAULT_MAX_BYTES, .connect_ms = DEFAULT_CONNECT_MS, .idle_ms = DEFAULT_IDLE_MS};
    static const char *const WITH_VALUE[] = {"--region", "--url", "-o", "--max-bytes", "--connect-timeout",
                                             "--idle-timeout"};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        size_t k = 0, nk = sizeof WITH_VALUE / sizeof WITH_VALUE[0];
        for (; k < nk; k++) {
            size_t n = strlen(WITH_VALUE[k]);
            if (strcmp(a, WITH_VALUE[k]) == 0) {
                if (i + 1 >= argc) return usage_error("missing value after", a);
                v = argv[++i];
                break;
            }
            if (a[1] == '-' && strncmp(a, WITH_VALUE[k], n) == 0 && a[n] == '=') {
                v = a + n + 1;
                break;
            }
        }
        if (k == nk) {
            if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
                fputs(USAGE, stdout);
                return 0;
            }
            return usage_error(a[0] == '-' && a[1] ? "unknown option" : "unexpected argument", a);
        }
        switch (k) {
        case 0: o->region = v; break;
        case 1: o->url = v; break;
        case 2: o->out = v; break;
        case 3:
            if (!parse_count(v, &o->max_bytes)) return usage_error("--max-bytes needs a positive whole number of bytes, not", v);
            break;
        case 4:
        case 5:
            if (!parse_seconds(v, k == 4 ? &o->connect_ms : &o->idle_ms))
                return usage_error(k == 4 ? "--connect-timeout needs seconds (more than 0, at most 86400), not"
                                          : "--idle-timeout needs seconds (more than 0, at most 86400), not", v);
            break;
        }
    }
    if (!o->region) {
        fprintf(stderr, "hpcc: prices update needs --region REGION\n(run 'hpcc prices help' for usage)\n");
        return 2;
    }
    if (!region_valid(o->region)) return usage_error("not a region name (such as us-east-1):", o->region);
    if (o->out && !*o->out) return usage_error("-o needs a file name, not", o->out);
    return -1;
}

/* The download's bytes go to the digest and the offer reader. */
typedef struct Sink {
    Digest *digest;
    Offer *offer;
    uint64_t bytes;
} Sink;

static bool sink(void *arg, const char *p, size_t n)
{
    Sink *s = arg;
    digest_update(s->digest, p, n);
    s->bytes += n;
    return offer_feed(s->offer, p, n);
}

static int offer_failed(const Offer *offer, const char *url)
{
    uint64_t line;
    const char *msg = offer_error(offer, &line);
    if (line) fprintf(stderr, "hpcc: %s:%" PRIu64 ": %s\n", url, line, msg);
    else fprintf(stderr, "hpcc: %s: %s\n", url, msg);
    return 1;
}

static int update(const Opts *o)
{
    char url[URL_MAX + 1], defout[64], err[1024];
    if (o->url && strlen(o->url) > URL_MAX) {
        fprintf(stderr, "hpcc: --url: a URL longer than the limit (%d characters)\n", URL_MAX);
        return 2;
    }
    if (o->url) snprintf(url, sizeof url, "%s", o->url);
    else url_default(o->region, url, sizeof url);
    snprintf(defout, sizeof defout, "prices-%s.json", o->region);
    const char *out = o->out ? o->out : defout;
    const char *why = fetch_check_url(url, err, sizeof err);
    if (why) {
        fprintf(stderr, "hpcc: cannot download '%s': %s\n", url, why);
        return 2;
    }
    if (!atomic_probe(out, err, sizeof err)) {
        fprintf(stderr, "hpcc: %s\n", err);
        return 1;
    }

    Sink s = {digest_new(), offer_new(o->region), 0};
    FetchOpts fo = {url, o->max_bytes, o->connect_ms, o->idle_ms};
    FetchStatus st = fetch(&fo, sink, &s, err, sizeof err);
    int rc = 0;
    if (st == FETCH_FAILED) {
        fprintf(stderr, "hpcc: %s: %s\n", url, err);
        rc = 1;
    } else if (st == FETCH_STOPPED || !offer_finish(s.offer)) {
        rc = offer_failed(s.offer, url);
    } else {
        char sha[65];
        digest_hex(s.digest, sha);
        size_t n, len;
        const OfferPrice *prices = offer_prices(s.offer, &n);
        SnapshotSource src = {url, offer_version(s.offer), offer_published(s.offer), sha, s.bytes};
        char *json = snapshot_json(o->region, &src, prices, n, &len);
        if (!atomic_write(out, json, len, err, sizeof err)) {
            fprintf(stderr, "hpcc: %s\n", err);
            rc = 1;
        } else {
            printf("wrote %s: %zu EC2 prices for %s, price list version %s (%" PRIu64 " bytes, %" PRIu64 " rows)\n",
                   out, n, o->region, offer_version(s.offer), s.bytes, offer_rows(s.offer));
            if (fflush(stdout) != 0) rc = 1;
        }
        free(json);
    }
    digest_free(s.digest);
    offer_free(s.offer);
    return rc;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;
    if (cmd && (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!cmd) {
        fputs(USAGE, stderr);
        return 2;
    }
    if (strcmp(cmd, "update") != 0) return usage_error("unknown prices command", cmd);
    Opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;
    return update(&o);
}
