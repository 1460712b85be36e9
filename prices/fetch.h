/* fetch.h — downloading one URL as a stream; the libcurl wrapper.
 *
 * The body is handed to a sink piece by piece as it arrives and never kept.
 * TLS peers and host names are always verified. Redirects are followed by
 * hand (at most FETCH_MAX_REDIRECTS), each target checked by url_allowed()
 * before it is contacted. A download fails when it cannot connect within
 * the connect timeout, when no byte arrives for the idle timeout, when it
 * grows past max_bytes, on an HTTP status other than 200, or when the body
 * ends short of its Content-Length. */
#ifndef PRICES_FETCH_H
#define PRICES_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "url.h"

#define FETCH_MAX_REDIRECTS 5

typedef struct FetchOpts {
    const char *url;
    uint64_t max_bytes;
    long connect_ms;   /* connect timeout, name resolution and TLS handshake included */
    long idle_ms;      /* the longest time without a byte */
} FetchOpts;

/* Receives the body; returns false to stop the download (keeping its own
 * message about why). */
typedef bool (*FetchSink)(void *arg, const char *p, size_t n);

typedef enum {
    FETCH_OK,
    FETCH_FAILED,  /* the download failed: the message is in err */
    FETCH_STOPPED, /* the sink returned false */
} FetchStatus;

FetchStatus fetch(const FetchOpts *o, FetchSink sink, void *arg, char *err, size_t errlen);

/* Parses a URL the way the download will, and applies url_allowed().
 * Returns NULL if it may be fetched, else why not (in buf). */
const char *fetch_check_url(const char *url, char *buf, size_t n);

#endif
