/* main.c — the hpcc command line.
 *
 * Exit codes (docs/cli.md): commands that produce something exit 0 on
 * success, 1 when the spec has errors, 2 for usage, I/O or internal errors.
 * Diagnostics go to standard error, results to standard output. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "driver.h"
#include "output.h"
#include "hpcc.h"
#include "report.h"

#define HPCC_VERSION "0.1.0"

static const char USAGE[] =
    "usage: hpcc <command> [options] SPEC\n"
    "\n"
    "commands:\n"
    "  compile SPEC   write the ParallelCluster artifacts of every cluster to DIR/<cluster>/\n"
    "  ir SPEC        print the resolved cluster model (IR) as JSON\n"
    "  cost SPEC      print what each cluster costs: compute, head node, storage, totals\n"
    "  prices update --region REGION [-o FILE]\n"
    "                 download AWS's EC2 price list of a region into a price snapshot\n"
    "                 (options: hpcc prices help)\n"
    "  help           show this help\n"
    "  version        show hpcc's version\n"
    "\n"
    "options:\n"
    "  -o DIR                   (compile) the output directory (default: out)\n"
    "  --cluster NAME           only this cluster (default: every cluster of the spec)\n"
    "  --summary                (ir) one line per cluster instead of the JSON\n"
    "  --format FORMAT          (cost) text (default), markdown or json\n"
    "  --diagnostics=FORMAT     text (default) or json, on standard error\n"
    "  --werror                 treat every warning as an error\n"
    "  --stdlib DIR             read the standard library from DIR (also HPCC_STDLIB)\n"
    "\n"
    "exit status: 0 success, 1 the spec has errors, 2 usage or I/O error\n";

typedef struct Opts {
    const char *cmd;
    const char *spec;
    const char *cluster;
    const char *out;
    DiagFormat diag_format;
    bool werror;
    bool summary;
    const char *format;
    const char *stdlib_dir;
} Opts;

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "hpcc: %s '%s'\n(run 'hpcc help' for usage)\n", what, arg);
    return 2;
}

/* Returns -1 when parsing succeeded, else the exit code. */
static int parse_args(int argc, char **argv, Opts *o)
{
    memset(o, 0, sizeof *o);
    o->stdlib_dir = getenv("HPCC_STDLIB");
    if (o->stdlib_dir && !*o->stdlib_dir) o->stdlib_dir = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--cluster") == 0 || strcmp(a, "--stdlib") == 0 || strcmp(a, "-o") == 0) {
            if (i + 1 >= argc) return usage_error("missing value after", a);
            if (a[1] == 'o') o->out = argv[++i];
            else if (a[2] == 'c') o->cluster = argv[++i];
            else o->stdlib_dir = argv[++i];
        } else if (strcmp(a, "--format") == 0 || str_has_prefix(a, "--format=")) {
            if (a[8] == '=') o->format = a + 9;
            else if (i + 1 >= argc) return usage_error("missing value after", a);
            else o->format = argv[++i];
            if (strcmp(o->format, "text") != 0 && strcmp(o->format, "markdown") != 0 && strcmp(o->format, "json") != 0)
                return usage_error("unknown report format (text, markdown or json):", o->format);
        } else if (str_has_prefix(a, "--cluster=")) {
            o->cluster = a + 10;
        } else if (str_has_prefix(a, "--stdlib=")) {
            o->stdlib_dir = a + 9;
        } else if (str_has_prefix(a, "--diagnostics=")) {
            const char *f = a + 14;
            if (strcmp(f, "text") == 0) o->diag_format = DIAG_TEXT;
            else if (strcmp(f, "json") == 0) o->diag_format = DIAG_JSON;
            else return usage_error("unknown diagnostics format (text or json):", f);
        } else if (strcmp(a, "--summary") == 0) {
            o->summary = true;
        } else if (strcmp(a, "--werror") == 0) {
            o->werror = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->cmd = "help";
        } else if (strcmp(a, "--version") == 0) {
            o->cmd = "version";
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option", a);
        } else if (!o->cmd) {
            o->cmd = a;
        } else if (!o->spec) {
            o->spec = a;
        } else {
            return usage_error("unexpected argument", a);
        }
    }
    return -1;
}

static void print_diags(Hpcc *h, DiagFormat f)
{
    if (f == DIAG_JSON) {
        diag_print_json(h, stderr);
        return;
    }
    diag_print_text(h, stderr);
    char *s = diag_summary(h);
    if (s) fprintf(stderr, "%s\n", s);
}

static bool has_cluster(const Ir *ir, const char *name)
{
    for (size_t i = 0; i < ir->n; i++)
        if (strcmp(ir->clusters[i]->name.v, name) == 0) return true;
    return false;
}

static int cmd_compile(const Opts *o)
{
    if (!o->spec) return usage_error("missing the spec file after", "compile");
    const char *root = o->out ? o->out : "out";
    Hpcc *h = hpcc_new();
    h->werror = o->werror;
    h->stdlib_dir = o->stdlib_dir;
    const char *io = NULL;
    int rc = 0;
    Ir *ir = driver_front(h, o->spec, &io);
    if (io) {
        fprintf(stderr, "hpcc: %s\n", io);
        hpcc_free(h);
        return 2;
    }
    if (ir && o->cluster && !has_cluster(ir, o->cluster)) {
        print_diags(h, o->diag_format);
        fprintf(stderr, "hpcc: no cluster '%s' in %s\n", o->cluster, o->spec);
        hpcc_free(h);
        return 2;
    }
    size_t nt = 0;
    OutTree *trees = ir ? driver_backends(h, ir, o->cluster, &nt) : NULL;
    if (!trees) {
        print_diags(h, o->diag_format);
        if (o->diag_format == DIAG_TEXT) fprintf(stderr, "hpcc: nothing written\n");
        hpcc_free(h);
        return 1;
    }
    print_diags(h, o->diag_format);
    const char *err;
    if (!output_write(h, root, trees, nt, &err)) {
        fprintf(stderr, "hpcc: %s\nhpcc: nothing written\n", err);
        rc = 2;
    } else {
        /* What was written, then one line per cluster. */
        printf("wrote ");
        for (size_t t = 0; t < nt; t++)
            printf("%s%s/%s/", t == 0 ? "" : t + 1 == nt ? " and " : ", ", root, trees[t].cluster);
        printf(":");
        size_t ncomp = 0;
        for (size_t i = 0; nt && i < trees[0].n; i++) {
            if (strncmp(trees[0].files[i].path, "components/", 11) == 0) ncomp++;
            else printf(" %s", trees[0].files[i].path);
        }
        if (ncomp) printf(" components/ (%zu)", ncomp);
        printf(" %s\n", MANIFEST_NAME);
        for (size_t i = 0; i < ir->n; i++) {
            if (o->cluster && strcmp(o->cluster, ir->clusters[i]->name.v) != 0) continue;
            const char *line = ir_summary(h, ir, ir->clusters[i]->name.v);
            printf("%.*s%s\n", (int)strcspn(line, "\n"), line, report_summary(h->arena, ir->an ? ir->an[i] : NULL));
        }
        if (fflush(stdout) != 0) rc = 2;
    }
    hpcc_free(h);
    return rc;
}

/* The commands that print what the front end made of the spec (ir, cost):
 * run it, report diagnostics, then let `print` write to standard output. */
typedef void (*PrintFn)(Hpcc *h, Ir *ir, const Opts *o);

static int print_command(const Opts *o, const char *cmd, PrintFn print)
{
    if (!o->spec) return usage_error("missing the spec file after", cmd);
    Hpcc *h = hpcc_new();
    h->werror = o->werror;
    h->stdlib_dir = o->stdlib_dir;
    const char *io = NULL;
    Ir *ir = driver_front(h, o->spec, &io);
    int rc = 0;
    if (io) {
        fprintf(stderr, "hpcc: %s\n", io);
        rc = 2;
    } else {
        print_diags(h, o->diag_format);
        if (!ir) {
            rc = 1;
        } else if (o->cluster && !has_cluster(ir, o->cluster)) {
            fprintf(stderr, "hpcc: no cluster '%s' in %s\n", o->cluster, o->spec);
            rc = 2;
        } else {
            print(h, ir, o);
            if (fflush(stdout) != 0 || ferror(stdout)) {
                fprintf(stderr, "hpcc: cannot write the output\n");
                rc = 2;
            }
        }
    }
    hpcc_free(h);
    return rc;
}

/* hpcc ir: the IR as JSON, or one line per cluster. */
static void print_ir(Hpcc *h, Ir *ir, const Opts *o)
{
    if (o->summary) {
        fputs(ir_summary(h, ir, o->cluster), stdout);
        return;
    }
    char *json = ir_to_json(h, ir, o->cluster);
    fputs(json, stdout);
    free(json);
}

/* hpcc cost: the report of every cluster (or --cluster), in --format. */
static void print_cost(Hpcc *h, Ir *ir, const Opts *o)
{
    ReportFormat f = !o->format || strcmp(o->format, "text") == 0 ? REPORT_TEXT
                     : strcmp(o->format, "markdown") == 0     ? REPORT_MARKDOWN
                                                              : REPORT_JSON;
    fputs(report_all(h->arena, ir, o->cluster, f), stdout);
}

/* `hpcc prices ARGS` runs `hpcc-prices ARGS`, found beside this binary,
 * else on PATH. The download links libcurl, whose start-up cost hpcc must
 * not pay (docs/design.md), so it lives in a program of its own. */
static int run_prices(int argc, char **argv)
{
    char **args = calloc((size_t)argc, sizeof *args);
    if (!args) hpcc_die("out of memory");
    for (int i = 2; i < argc; i++) args[i - 1] = argv[i];
    char self[PATH_MAX];
    const char *name = "hpcc-prices";
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    char *slash = strrchr(self, '/');
    if (slash && (size_t)(slash + 1 - self) + strlen(name) < sizeof self) {
        strcpy(slash + 1, name);
        args[0] = self;
        execv(self, args);
    }
    args[0] = (char *)name;
    execvp(name, args);
    fprintf(stderr, "hpcc: cannot run %s (looked beside hpcc and on PATH): %s\n", name, strerror(errno));
    free(args);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "prices") == 0) return run_prices(argc, argv);
    Opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0) return rc;
    if (!o.cmd || strcmp(o.cmd, "help") == 0) {
        fputs(USAGE, o.cmd ? stdout : stderr);
        return o.cmd ? 0 : 2;
    }
    if (strcmp(o.cmd, "version") == 0) {
        printf("hpcc %s\n", HPCC_VERSION);
        return 0;
    }
    if (strcmp(o.cmd, "ir") == 0) return print_command(&o, "ir", print_ir);
    if (strcmp(o.cmd, "compile") == 0) return cmd_compile(&o);
    if (strcmp(o.cmd, "cost") == 0) return print_command(&o, "cost", print_cost);
    return usage_error("unknown command", o.cmd);
}
