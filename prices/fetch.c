/* fetch.c — the download (see fetch.h); the only file that includes
 * <curl/curl.h>.
 *
 * Decisions:
 * - libcurl's own redirect following is off. Each hop is a transfer of its
 *   own, allowed only the one protocol its URL passed url_allowed() with;
 *   libcurl's protocol lists alone could not say "http, but only to
 *   loopback".
 * - The idle timeout is kept by the progress callback (called about once a
 *   second even when nothing arrives), counted from when the request is sent,
 *   so that a slow connect is the connect timeout's business.
 * - The status is checked at the first byte of the body, before the sink
 *   sees anything: an error page never reaches the CSV reader.
 * - Error messages are written here, in hpcc's words, from what libcurl
 *   reports (its own messages carry timings, which would make them differ
 *   from run to run). */
#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define BUFFER_SIZE (64 * 1024) /* libcurl's receive buffer: fewer, larger pieces */

typedef struct Parts {
    char scheme[16];
    char host[256];
    char port[8];
    char path[URL_MAX + 1]; /* decoded; for messages about file:// */
} Parts;

/* The state of one download, shared by the callbacks. */
typedef struct Transfer {
    CURL *h;
    const FetchOpts *o;
    FetchSink sink;
    void *arg;
    UrlScheme scheme;
    enum { BODY_UNDECIDED, BODY_KEEP, BODY_SKIP } body;
    long status;          /* the HTTP status, 0 for file:// */
    int64_t length;       /* Content-Length, -1 when not known */
    uint64_t bytes;       /* body bytes handed to the sink */
    bool sent;            /* the request has gone out: the idle clock runs */
    uint64_t last_ms;     /* when the last byte arrived */
    enum { STOP_NONE, STOP_SINK, STOP_STATUS, STOP_TOO_BIG, STOP_LENGTH_TOO_BIG, STOP_IDLE } stop;
    Progress progress;
} Transfer;

static uint64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

__attribute__((format(printf, 3, 4)))
static void say(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

/* Seconds as given on the command line: "2", "0.5". */
static void seconds(char *out, size_t n, long ms)
{
    if (ms % 1000 == 0) {
        snprintf(out, n, "%ld", ms / 1000);
        return;
    }
    int len = snprintf(out, n, "%ld.%03ld", ms / 1000, ms % 1000);
    while (len > 0 && out[len - 1] == '0') out[--len] = 0;
}

static const char *parse_url(const char *url, Parts *p, char *buf, size_t n)
{
    memset(p, 0, sizeof *p);
    if (strlen(url) > URL_MAX) {
        say(buf, n, "a URL longer than the limit (%d characters)", URL_MAX);
        return buf;
    }
    CURLU *u = curl_url();
    if (!u) {
        say(buf, n, "out of memory");
        return buf;
    }
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
    if (rc != CURLUE_OK) {
        if (strncasecmp(url, "file:", 5) == 0) say(buf, n, "%s", FILE_ELSEWHERE);
        else say(buf, n, "not a URL (%s)", curl_url_strerror(rc));
        curl_url_cleanup(u);
        return buf;
    }
    struct { CURLUPart part; unsigned flags; char *out; size_t n; } want[] = {
        {CURLUPART_SCHEME, 0, p->scheme, sizeof p->scheme},
        {CURLUPART_HOST, 0, p->host, sizeof p->host},
        {CURLUPART_PORT, CURLU_DEFAULT_PORT, p->port, sizeof p->port},
        {CURLUPART_PATH, CURLU_URLDECODE, p->path, sizeof p->path},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *v = NULL;
        if (curl_url_get(u, want[i].part, &v, want[i].flags) == CURLUE_OK && v) {
            snprintf(want[i].out, want[i].n, "%s", v);
            curl_free(v);
        }
    }
    curl_url_cleanup(u);
    UrlScheme scheme;
    const char *why = url_allowed(p->scheme, p->host, &scheme);
    if (why) {
        say(buf, n, "%s", why);
        return buf;
    }
    return NULL;
}

const char *fetch_check_url(const char *url, char *buf, size_t n)
{
    Parts p;
    return parse_url(url, &p, buf, n);
}

/* ---- the callbacks ---- */

/* The first piece of a body: is this the price list, a redirect, or an error? */
static bool decide(Transfer *t)
{
    if (t->scheme != URL_FILE) {
        curl_easy_getinfo(t->h, CURLINFO_RESPONSE_CODE, &t->status);
        if (t->status >= 300 && t->status < 400) {
            t->body = BODY_SKIP;
            return true;
        }
        if (t->status != 200) {
            t->stop = STOP_STATUS;
            return false;
        }
    }
    curl_off_t len = -1;
    if (curl_easy_getinfo(t->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len) == CURLE_OK) t->length = len;
    if (t->length >= 0 && (uint64_t)t->length > t->o->max_bytes) {
        t->stop = STOP_LENGTH_TOO_BIG;
        return false;
    }
    t->body = BODY_KEEP;
    return true;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
    Transfer *t = arg;
    size_t n = size * nmemb;
    t->last_ms = now_ms();
    if (t->body == BODY_UNDECIDED && !decide(t)) return 0;
    if (t->body == BODY_SKIP) return n;
    if (n > t->o->max_bytes - t->bytes) {
        t->stop = STOP_TOO_BIG;
        return 0;
    }
    t->bytes += n;
    if (!t->sink(t->arg, p, n)) {
        t->stop = STOP_SINK;
        return 0;
    }
    return n;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *arg)
{
    (void)p;
    Transfer *t = arg;
    t->last_ms = now_ms();
    return size * nmemb;
}

static int on_request(void *arg, char *ip, char *local_ip, int port, int local_port)
{
    (void)ip, (void)local_ip, (void)port, (void)local_port;
    Transfer *t = arg;
    t->sent = true;
    t->last_ms = now_ms();
    return CURL_PREREQFUNC_OK;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    Transfer *t = arg;
    uint64_t now = now_ms();
    if (t->sent && t->scheme != URL_FILE && now - t->last_ms >= (uint64_t)t->o->idle_ms) {
        t->stop = STOP_IDLE;
        return 1;
    }
    if (t->body == BODY_KEEP) progress_update(&t->progress, t->bytes, t->length, now);
    return 0;
}

/* ---- one transfer, and what went wrong ---- */

static CURLcode perform(Transfer *t, const char *url, const char *protocol, char *curl_err)
{
    CURL *h = t->h;
    curl_easy_reset(h);
    t->body = BODY_UNDECIDED;
    t->status = 0;
    t->length = -1;
    t->sent = false;
    t->stop = STOP_NONE;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocol);
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, protocol);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, t->o->connect_ms);
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, (long)BUFFER_SIZE);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "hpcc-prices/1");
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, on_request);
    curl_easy_setopt(h, CURLOPT_PREREQDATA, t);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    /* A proxy from the environment is for the internet, not for this machine. */
    if (t->scheme != URL_HTTPS) curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_err[0] = 0;
    return curl_easy_perform(h);
}

static void explain(const Transfer *t, CURLcode rc, const Parts *p, const char *curl_err, char *err, size_t n)
{
    char s[32];
    switch (t->stop) {
    case STOP_STATUS:
        say(err, n, "HTTP status %ld (the price list comes with 200)", t->status);
        return;
    case STOP_LENGTH_TOO_BIG:
        say(err, n, "%" PRId64 " bytes to download, more than --max-bytes %" PRIu64, t->length, t->o->max_bytes);
        return;
    case STOP_TOO_BIG:
        say(err, n, "the download passed --max-bytes %" PRIu64 " without ending", t->o->max_bytes);
        return;
    case STOP_IDLE:
        seconds(s, sizeof s, t->o->idle_ms);
        say(err, n, "no data for %s second%s (--idle-timeout), after %" PRIu64 " bytes", s,
            t->o->idle_ms == 1000 ? "" : "s", t->bytes);
        return;
    case STOP_SINK:
    case STOP_NONE:
        break;
    }
    char os[128] = "";
    long oserr = 0;
    if (curl_easy_getinfo(t->h, CURLINFO_OS_ERRNO, &oserr) == CURLE_OK && oserr)
        snprintf(os, sizeof os, ": %s", strerror((int)oserr));
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        say(err, n, "cannot resolve host name %s", p->host);
        return;
    case CURLE_COULDNT_CONNECT:
        say(err, n, "cannot connect to %s port %s%s", p->host, p->port, os);
        return;
    case CURLE_OPERATION_TIMEDOUT:
        seconds(s, sizeof s, t->o->connect_ms);
        say(err, n, "no connection to %s port %s within %s second%s (--connect-timeout)", p->host, p->port, s,
            t->o->connect_ms == 1000 ? "" : "s");
        return;
    case CURLE_PEER_FAILED_VERIFICATION:
        say(err, n, "the TLS certificate of %s cannot be verified (%s)", p->host, curl_err);
        return;
    case CURLE_SSL_CONNECT_ERROR:
        say(err, n, "TLS connection to %s failed (%s)", p->host, curl_err);
        return;
    case CURLE_PARTIAL_FILE:
        if (t->length >= 0)
            say(err, n, "the body ends after %" PRIu64 " of its %" PRId64 " bytes (the connection closed early)",
                t->bytes, t->length);
        else
            say(err, n, "the body ends early, after %" PRIu64 " bytes", t->bytes);
        return;
    case CURLE_GOT_NOTHING:
        say(err, n, "the server closed the connection without answering");
        return;
    case CURLE_FILE_COULDNT_READ_FILE: {
        int fd = open(p->path, O_RDONLY);
        int e = fd < 0 ? errno : EISDIR;
        if (fd >= 0) close(fd);
        say(err, n, "cannot read %s: %s", p->path, strerror(e));
        return;
    }
    default:
        say(err, n, "download failed: %s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
        return;
    }
}

FetchStatus fetch(const FetchOpts *o, FetchSink sink, void *arg, char *err, size_t errlen)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        say(err, errlen, "cannot start libcurl");
        return FETCH_FAILED;
    }
    Transfer t = {.o = o, .sink = sink, .arg = arg};
    t.h = curl_easy_init();
    if (!t.h) {
        curl_global_cleanup();
        say(err, errlen, "cannot start libcurl");
        return FETCH_FAILED;
    }
    FetchStatus st = FETCH_FAILED;
    UrlScheme first = URL_HTTPS;
    char url[URL_MAX + 1], curl_err[CURL_ERROR_SIZE];
    snprintf(url, sizeof url, "%s", o->url);
    progress_start(&t.progress, now_ms());
    for (int hop = 0;; hop++) {
        Parts p;
        char why[256];
        if (parse_url(url, &p, why, sizeof why)) {
            if (hop == 0) say(err, errlen, "%s", why);
            else say(err, errlen, "redirected to %s: %s", url, why);
            break;
        }
        url_allowed(p.scheme, p.host, &t.scheme);
        struct stat fst;
        if (t.scheme == URL_FILE && stat(p.path, &fst) == 0 && !S_ISREG(fst.st_mode)) {
            /* A directory reads as empty, a device may never end. */
            say(err, errlen, "cannot read %s: %s", p.path, S_ISDIR(fst.st_mode) ? strerror(EISDIR) : "not a regular file");
            break;
        }
        if (hop == 0) first = t.scheme;
        if (hop > 0 && (t.scheme == URL_FILE || (t.scheme == URL_HTTP && first != URL_HTTP))) {
            say(err, errlen, "redirected to %s: a redirect may lead only to https (or from http on this "
                             "machine to http on this machine)", url);
            break;
        }
        const char *protocol = t.scheme == URL_HTTPS ? "https" : t.scheme == URL_HTTP ? "http" : "file";
        CURLcode rc = perform(&t, url, protocol, curl_err);
        if (rc == CURLE_OK && t.body != BODY_KEEP && t.scheme != URL_FILE) {
            /* A response with no body: a redirect, or an error. */
            curl_easy_getinfo(t.h, CURLINFO_RESPONSE_CODE, &t.status);
            if (t.status >= 300 && t.status < 400) {
                char *next = NULL;
                curl_easy_getinfo(t.h, CURLINFO_REDIRECT_URL, &next);
                if (!next) {
                    say(err, errlen, "HTTP status %ld without a Location to go to", t.status);
                    break;
                }
                if (hop == FETCH_MAX_REDIRECTS) {
                    say(err, errlen, "more redirects than the limit (%d)", FETCH_MAX_REDIRECTS);
                    break;
                }
                snprintf(url, sizeof url, "%s", next);
                if (strlen(next) > URL_MAX) {
                    say(err, errlen, "redirected to a URL longer than the limit (%d characters)", URL_MAX);
                    break;
                }
                continue;
            }
            if (t.status != 200) t.stop = STOP_STATUS;
        }
        if (rc == CURLE_OK && t.stop == STOP_NONE && t.length >= 0 && t.bytes != (uint64_t)t.length)
            rc = CURLE_PARTIAL_FILE;
        if (rc == CURLE_OK && t.stop == STOP_NONE) {
            st = FETCH_OK;
        } else if (t.stop == STOP_SINK) {
            st = FETCH_STOPPED;
        } else {
            explain(&t, rc, &p, curl_err, err, errlen);
            if (hop > 0 && strlen(err) + strlen(url) + 20 < errlen) {
                size_t k = strlen(err);
                snprintf(err + k, errlen - k, " (at %s)", url);
            }
        }
        break;
    }
    progress_end(&t.progress);
    curl_easy_cleanup(t.h);
    curl_global_cleanup();
    return st;
}
