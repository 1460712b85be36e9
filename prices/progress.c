/* progress.c — the progress line (see progress.h). */
#include "progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#define MIB 1048576u
#define REDRAW_MS 200

void progress_start(Progress *p, uint64_t now_ms)
{
    p->on = isatty(STDERR_FILENO) == 1;
    p->drawn = false;
    p->start_ms = p->last_ms = now_ms;
}

/* "123.4 MiB", or "517 KiB" below a MiB */
static int mib(char *out, size_t n, uint64_t bytes)
{
    if (bytes < MIB) return snprintf(out, n, "%" PRIu64 " KiB", bytes / 1024);
    uint64_t tenths = bytes / (MIB / 10);
    return snprintf(out, n, "%" PRIu64 ".%" PRIu64 " MiB", tenths / 10, tenths % 10);
}

void progress_format(char *out, size_t n, uint64_t done, int64_t total, uint64_t elapsed_ms)
{
    char a[32], b[32], r[32];
    mib(a, sizeof a, done);
    if (elapsed_ms == 0) elapsed_ms = 1;
    uint64_t rate = done * 1000 / elapsed_ms; /* bytes per second; done < 2^53, no overflow */
    mib(r, sizeof r, rate);
    if (total < 0 || (uint64_t)total < done) {
        snprintf(out, n, "hpcc: %s, %s/s", a, r);
        return;
    }
    mib(b, sizeof b, (uint64_t)total);
    uint64_t pct = total ? done * 100 / (uint64_t)total : 100;
    if (rate == 0) {
        snprintf(out, n, "hpcc: %s of %s (%" PRIu64 "%%), %s/s", a, b, pct, r);
        return;
    }
    uint64_t left = ((uint64_t)total - done + rate - 1) / rate;
    char eta[32];
    if (left >= 3600)
        snprintf(eta, sizeof eta, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, left / 3600, left / 60 % 60, left % 60);
    else
        snprintf(eta, sizeof eta, "%" PRIu64 ":%02" PRIu64, left / 60, left % 60);
    snprintf(out, n, "hpcc: %s of %s (%" PRIu64 "%%), %s/s, %s left", a, b, pct, r, eta);
}

void progress_update(Progress *p, uint64_t done, int64_t total, uint64_t now_ms)
{
    if (!p->on || now_ms - p->last_ms < REDRAW_MS) return;
    p->last_ms = now_ms;
    char line[160];
    progress_format(line, sizeof line, done, total, now_ms - p->start_ms);
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    p->drawn = true;
}

void progress_end(Progress *p)
{
    if (!p->drawn) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->drawn = false;
}
