/* fuzz_frontend.c — libFuzzer target: the whole front end on the input bytes.
 *
 * Each run is one compilation in the same process, as the tests and a
 * language server would do it: hpcc_new(), driver_front_text() (the phases
 * of driver_front() on the input bytes, no file), then, if an IR came out, the IR as JSON and as a
 * summary and every backend with its manifest (driver_backends(), no files
 * written), the diagnostics printed as text and as JSON, and hpcc_free().
 * Anything left allocated after hpcc_free() is a leak LeakSanitizer reports.
 *
 * file("...") and local script("...") paths resolve against the repository's
 * examples/ directory (found from the binary's path, build/fuzz/fuzz_frontend,
 * or given in HPCC_FUZZ_SPEC_DIR), so the seeds from examples/ find the files
 * they read and lower fully. Nothing is written: the front end and the
 * backends do no I/O besides reading those files. Absolute paths in
 * file("/...") are hpcc's business: it refuses anything but regular files of
 * at most 64 MiB.
 *
 * Build and run: make fuzz FUZZ_SECONDS=600 (see the Makefile). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "driver.h"
#include "hpcc.h"
#include "ir.h"
#include "output.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char g_dir[4096];
static FILE *g_null;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    const char *env = getenv("HPCC_FUZZ_SPEC_DIR");
    if (env && *env) {
        snprintf(g_dir, sizeof g_dir, "%s", env);
    } else {
        /* build/fuzz/fuzz_frontend -> build/fuzz/../../examples */
        const char *self = (argv && *argv && (*argv)[0]) ? (*argv)[0] : "";
        const char *slash = strrchr(self, '/');
        if (slash) snprintf(g_dir, sizeof g_dir, "%.*s/../../examples", (int)(slash - self), self);
        else snprintf(g_dir, sizeof g_dir, "../../examples");
    }
    struct stat st;
    if (stat(g_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        fprintf(stderr, "fuzz_frontend: no directory %s (set HPCC_FUZZ_SPEC_DIR to examples/): "
                        "file(\"...\") in the seeds will not be found\n", g_dir);
    g_null = fopen("/dev/null", "w");
    if (!g_null) {
        perror("fuzz_frontend: /dev/null");
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Hpcc *h = hpcc_new();
    h->spec_dir = g_dir;
    /* Every other run also treats warnings as errors (a different path through
     * diag_end_phase), decided by the input so a run is reproducible. */
    h->werror = size > 0 && (data[size - 1] & 1);

    /* driver_front(), minus reading the file. */
    h->spec_name = "fuzz.hpc";
    Ir *ir = driver_front_text(h, "fuzz.hpc", "fuzz.hpc", (const char *)data, size);

    if (ir) {
        /* hpcc ir, hpcc ir --summary, and the same with --cluster NAME. */
        char *json = ir_to_json(h, ir, NULL);
        fputs(json, g_null);
        free(json);
        fputs(ir_summary(h, ir, NULL), g_null);
        if (ir->n > 0) {
            json = ir_to_json(h, ir, ir->clusters[0]->name.v);
            fputs(json, g_null);
            free(json);
            fputs(ir_summary(h, ir, ir->clusters[0]->name.v), g_null);
        }
        /* hpcc compile, without writing: the backends and the manifests. */
        size_t ntrees = 0;
        OutTree *trees = driver_backends(h, ir, NULL, &ntrees);
        for (size_t i = 0; trees && i < ntrees; i++) {
            for (size_t k = 0; k < trees[i].n; k++) fwrite(trees[i].files[k].data, 1, trees[i].files[k].len, g_null);
            size_t len;
            char *manifest = output_manifest(h, &trees[i], &len);
            fwrite(manifest, 1, len, g_null);
        }
    }

    diag_print_text(h, g_null);
    char *summary = diag_summary(h);
    if (summary) fputs(summary, g_null);
    diag_print_json(h, g_null);
    hpcc_free(h);
    return 0;
}
