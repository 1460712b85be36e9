/* progress.h — the download's progress line on a terminal.
 *
 * "hpcc: 123.4 MiB of 512.0 MiB (24%), 45.6 MiB/s, 0:08 left" (KiB below a
 * MiB), redrawn in place on standard error at most five times a second, and
 * only when standard error is a terminal: a pipe or a log file gets nothing.
 * Integer arithmetic only, like the rest of hpcc. */
#ifndef PRICES_PROGRESS_H
#define PRICES_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Progress {
    bool on;           /* standard error is a terminal */
    bool drawn;        /* a line is on the screen */
    uint64_t start_ms, last_ms;
} Progress;

void progress_start(Progress *p, uint64_t now_ms);
/* total < 0: the size is unknown. */
void progress_update(Progress *p, uint64_t done, int64_t total, uint64_t now_ms);
/* Erases the line, so that what follows starts on a clean line. */
void progress_end(Progress *p);

/* The text of the line (for progress_update, and tests). */
void progress_format(char *out, size_t n, uint64_t done, int64_t total, uint64_t elapsed_ms);

#endif
