/* main.c — the hpcc command line.
 *
 * Exit codes (docs/cli.md): commands that produce something exit 0 on
 * success, 1 when the spec has errors, 2 for usage, I/O or internal errors.
 * Diagnostics go to standard error, results to standard output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "driver.h"
#include "hpcc.h"

#define HPCC_VERSION "0.1.0"

static const char USAGE[] =
    "usage: hpcc <command> [options] SPEC\n"
    "\n"
    "commands:\n"
    "  ir SPEC        print the resolved cluster model (IR) as JSON\n"
    "  help           show this help\n"
    "  version        show hpcc's version\n"
    "\n"
    "options:\n"
    "  --cluster NAME           only this cluster (default: every cluster of the spec)\n"
    "  --summary                (ir) one line per cluster instead of the JSON\n"
    "  --diagnostics=FORMAT     text (default) or json, on standard error\n"
    "  --werror                 treat every warning as an error\n"
    "  --stdlib DIR             read the standard library from DIR (also HPCC_STDLIB)\n"
    "\n"
    "exit status: 0 success, 1 the spec has errors, 2 usage or I/O error\n";

typedef struct Opts {
    const char *cmd;
    const char *spec;
    const char *cluster;
    DiagFormat diag_format;
    bool werror;
    bool summary;
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
        if (strcmp(a, "--cluster") == 0 || strcmp(a, "--stdlib") == 0) {
            if (i + 1 >= argc) return usage_error("missing value after", a);
            if (a[2] == 'c') o->cluster = argv[++i];
            else o->stdlib_dir = argv[++i];
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

static int cmd_ir(const Opts *o)
{
    if (!o->spec) return usage_error("missing the spec file after", "ir");
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
        } else {
            bool found = !o->cluster;
            for (size_t i = 0; i < ir->n && !found; i++) found = strcmp(ir->clusters[i]->name.v, o->cluster) == 0;
            if (!found) {
                fprintf(stderr, "hpcc: no cluster '%s' in %s\n", o->cluster, o->spec);
                rc = 2;
            } else {
                if (o->summary) {
                    fputs(ir_summary(h, ir, o->cluster), stdout);
                } else {
                    char *json = ir_to_json(h, ir, o->cluster);
                    fputs(json, stdout);
                    free(json);
                }
                if (fflush(stdout) != 0 || ferror(stdout)) {
                    fprintf(stderr, "hpcc: cannot write the output\n");
                    rc = 2;
                }
            }
        }
    }
    hpcc_free(h);
    return rc;
}

int main(int argc, char **argv)
{
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
    if (strcmp(o.cmd, "ir") == 0) return cmd_ir(&o);
    return usage_error("unknown command", o.cmd);
}
