/* output.h — writing output directories, atomically.
 *
 * The only code that writes files. Every file of every cluster goes first to
 * a temporary name beside its final one; only when all of them are written
 * are they renamed into place, so a failure (a full disk, a bad path) leaves
 * the output directory as it was. Each cluster directory gets a manifest
 * (manifest.sha256, in `sha256sum -c` format) of the files hpcc wrote there;
 * files a previous run listed and this one no longer produces are removed,
 * and a file hpcc did not write is never touched. */
#ifndef HPCC_OUTPUT_H
#define HPCC_OUTPUT_H

#include "hpcc.h"

typedef struct Artifact {
    const char *path;   /* relative to the cluster's directory, e.g. "components/packages.yaml" */
    char *data;
    size_t len;
    bool executable;    /* written with mode 0755 (deploy.sh) */
} Artifact;

typedef struct OutTree {
    const char *cluster;   /* the directory under the output root */
    Artifact *files;
    size_t n;
} OutTree;

#define MANIFEST_NAME "manifest.sha256"

/* Writes every tree under `root`. On failure returns false with *err set and
 * leaves `root` as it was. */
bool output_write(Hpcc *h, const char *root, const OutTree *trees, size_t n, const char **err);

/* The manifest text for a tree: "<sha256>  <path>" lines sorted by path. */
char *output_manifest(Hpcc *h, const OutTree *t, size_t *len);

#endif
