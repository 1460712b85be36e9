/* bench.c — runs a command N times and prints its median wall time and peak RSS.
 *
 *   bench [-n RUNS] [-w WARMUP] [-l LABEL] [--] COMMAND [ARG...]
 *
 * Each run is fork + execvp, standard output to /dev/null (standard error is
 * kept, so a failing command is visible). Wall time is CLOCK_MONOTONIC from
 * before fork() to after wait4() returns; the peak RSS is the child's
 * ru_maxrss from wait4(). Warm-up runs (default 2) are not counted. Any run
 * that exits non-zero or is killed makes bench exit 1 after printing why.
 *
 * Output, one line, stable for scripts (times in ms, RSS in KiB):
 *
 *   LABEL runs=N median_ms=1.234 min_ms=1.100 max_ms=1.900 rss_median_kib=5120 rss_max_kib=5200
 *
 * Build: make build/tools/bench (the Makefile's bench target does it). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static double median_d(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long median_l(long *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_long);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One run; returns 0 and fills *ms and *rss_kib, or -1 after printing why. */
static int run_once(char **argv, int devnull, double *ms, long *rss_kib)
{
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "bench: fork: %s\n", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (dup2(devnull, STDOUT_FILENO) < 0) _exit(127);
        execvp(argv[0], argv);
        fprintf(stderr, "bench: cannot run '%s': %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage ru;
    pid_t r;
    do r = wait4(pid, &status, 0, &ru);
    while (r < 0 && errno == EINTR);
    double t1 = now_ms();
    if (r < 0) {
        fprintf(stderr, "bench: wait4: %s\n", strerror(errno));
        return -1;
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "bench: '%s' killed by signal %d\n", argv[0], WTERMSIG(status));
        return -1;
    }
    if (WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: '%s' exited with status %d\n", argv[0], WEXITSTATUS(status));
        return -1;
    }
    *ms = t1 - t0;
    *rss_kib = ru.ru_maxrss; /* Linux: KiB */
    return 0;
}

static void usage(void)
{
    fputs("usage: bench [-n RUNS] [-w WARMUP] [-l LABEL] [--] COMMAND [ARG...]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    int runs = 21, warmup = 2, i = 1;
    const char *label = NULL;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (i + 1 >= argc) usage();
        char *end;
        if (strcmp(argv[i], "-n") == 0) {
            runs = (int)strtol(argv[++i], &end, 10);
            if (*end || runs < 1 || runs > 100000) usage();
        } else if (strcmp(argv[i], "-w") == 0) {
            warmup = (int)strtol(argv[++i], &end, 10);
            if (*end || warmup < 0 || warmup > 1000) usage();
        } else if (strcmp(argv[i], "-l") == 0) {
            label = argv[++i];
        } else {
            usage();
        }
    }
    if (i >= argc) usage();
    char **cmd = argv + i;
    if (!label) label = cmd[0];

    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0) {
        fprintf(stderr, "bench: /dev/null: %s\n", strerror(errno));
        return 2;
    }
    double *ms = calloc((size_t)runs, sizeof *ms);
    long *rss = calloc((size_t)runs, sizeof *rss);
    if (!ms || !rss) {
        fputs("bench: out of memory\n", stderr);
        return 2;
    }
    for (int k = 0; k < warmup; k++) {
        double t;
        long r;
        if (run_once(cmd, devnull, &t, &r) != 0) return 1;
    }
    for (int k = 0; k < runs; k++)
        if (run_once(cmd, devnull, &ms[k], &rss[k]) != 0) return 1;

    double mn = ms[0], mx = ms[0];
    long rmax = rss[0];
    for (int k = 1; k < runs; k++) {
        if (ms[k] < mn) mn = ms[k];
        if (ms[k] > mx) mx = ms[k];
        if (rss[k] > rmax) rmax = rss[k];
    }
    double med = median_d(ms, runs);
    long rmed = median_l(rss, runs);
    printf("%s runs=%d median_ms=%.3f min_ms=%.3f max_ms=%.3f rss_median_kib=%ld rss_max_kib=%ld\n", label, runs, med,
           mn, mx, rmed, rmax);
    free(ms);
    free(rss);
    return 0;
}
