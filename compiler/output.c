/* output.c — atomic output directories with a manifest (see output.h). */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"
#include "source.h"

typedef struct Pending {
    char *tmp, *final;
} Pending;

typedef struct W {
    Hpcc *h;
    VEC(Pending) pending;
    VEC(char *) made_dirs;  /* directories this run created, to remove on failure */
    const char *err;
} W;

static bool fail(W *w, const char *what, const char *path, int e)
{
    w->err = arena_printf(w->h->arena, "cannot %s '%s': %s", what, path, strerror(e));
    return false;
}

/* mkdir -p, remembering what it created. */
static bool make_dirs(W *w, const char *path)
{
    char *p = arena_strdup(w->h->arena, path);
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != 0) continue;
        char c = *s;
        *s = 0;
        struct stat st;
        if (stat(p, &st) != 0) {
            if (mkdir(p, 0755) != 0 && errno != EEXIST) return fail(w, "create directory", p, errno);
            VPUSH(w->h->arena, w->made_dirs, arena_strdup(w->h->arena, p));
        } else if (!S_ISDIR(st.st_mode)) {
            return fail(w, "use", p, ENOTDIR);
        }
        *s = c;
        if (c == 0) break;
    }
    return true;
}

/* Writes `path`; failures name `shown`, the file the user knows. */
static bool write_all(W *w, const char *path, const char *shown, const char *data, size_t len, bool exec)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, exec ? 0755 : 0644);
    if (fd < 0) return fail(w, "write", shown, errno);
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            close(fd);
            return fail(w, "write", shown, e);
        }
        off += (size_t)n;
    }
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
        int e = errno;
        close(fd);
        return fail(w, "write", shown, e);
    }
    if (close(fd) != 0) return fail(w, "write", shown, errno);
    /* Keep the mode exact whatever the umask. */
    if (chmod(path, exec ? 0755 : 0644) != 0) return fail(w, "write", shown, errno);
    return true;
}

static bool safe_rel(const char *p)
{
    if (!*p || p[0] == '/' || strstr(p, "..") || strchr(p, '\\')) return false;
    return true;
}

static int cmp_art(const void *a, const void *b)
{
    return strcmp(((const Artifact *)a)->path, ((const Artifact *)b)->path);
}

char *output_manifest(Hpcc *h, const OutTree *t, size_t *len)
{
    Artifact *v = arena_alloc(h->arena, (t->n + 1) * sizeof *v);
    memcpy(v, t->files, t->n * sizeof *v);
    qsort(v, t->n, sizeof *v, cmp_art);
    Buf b = {0};
    for (size_t i = 0; i < t->n; i++) {
        char hex[65];
        sha256_hex(v[i].data, v[i].len, hex);
        buf_printf(&b, "%s  %s\n", hex, v[i].path);
    }
    char *s = arena_strndup(h->arena, b.p ? b.p : "", b.n);
    *len = b.n;
    buf_free(&b);
    return s;
}

/* The paths listed in an existing manifest (NULL if none). */
static char **old_manifest(Hpcc *h, const char *dir, size_t *n)
{
    const char *err;
    size_t len;
    char *text = read_file(h->arena, arena_printf(h->arena, "%s/%s", dir, MANIFEST_NAME), &len, &err, READ_REGULAR);
    *n = 0;
    if (!text) return NULL;
    char **v = arena_alloc(h->arena, (len / 67 + 2) * sizeof *v);
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        if (strlen(line) > 66 && line[64] == ' ' && line[65] == ' ' && safe_rel(line + 66)) v[(*n)++] = line + 66;
        if (!nl) break;
        line = nl + 1;
    }
    return v;
}

static void rollback(W *w)
{
    for (size_t i = 0; i < w->pending.n; i++) unlink(w->pending.v[i].tmp);
    for (size_t i = w->made_dirs.n; i-- > 0;) rmdir(w->made_dirs.v[i]);
}

static bool stage(W *w, const char *dir, const char *rel, const char *data, size_t len, bool exec)
{
    char *final = arena_printf(w->h->arena, "%s/%s", dir, rel);
    const char *slash = strrchr(final, '/');
    if (!make_dirs(w, arena_strndup(w->h->arena, final, (size_t)(slash - final)))) return false;
    char *tmp = arena_printf(w->h->arena, "%s.hpcc-tmp", final);
    Pending p = {tmp, final};
    VPUSH(w->h->arena, w->pending, p);
    return write_all(w, tmp, final, data, len, exec);
}

bool output_write(Hpcc *h, const char *root, const OutTree *trees, size_t n, const char **err)
{
    W w = {h, {0}, {0}, NULL};
    const char ***olds = arena_alloc(h->arena, (n + 1) * sizeof *olds);
    size_t *nolds = arena_alloc(h->arena, (n + 1) * sizeof *nolds);
    bool ok = make_dirs(&w, root);
    for (size_t t = 0; ok && t < n; t++) {
        const OutTree *tr = &trees[t];
        if (!safe_rel(tr->cluster) || strchr(tr->cluster, '/')) {
            w.err = arena_printf(h->arena, "'%s' cannot be a directory name", tr->cluster);
            ok = false;
            break;
        }
        const char *dir = arena_printf(h->arena, "%s/%s", root, tr->cluster);
        olds[t] = (const char **)old_manifest(h, dir, &nolds[t]);
        for (size_t i = 0; ok && i < tr->n; i++) {
            if (!safe_rel(tr->files[i].path)) {
                w.err = arena_printf(h->arena, "'%s' cannot be a file name", tr->files[i].path);
                ok = false;
                break;
            }
            ok = stage(&w, dir, tr->files[i].path, tr->files[i].data, tr->files[i].len, tr->files[i].executable);
        }
        size_t mlen;
        char *man = output_manifest(h, tr, &mlen);
        if (ok) ok = stage(&w, dir, MANIFEST_NAME, man, mlen, false);
    }
    if (!ok) {
        rollback(&w);
        *err = w.err;
        return false;
    }
    for (size_t i = 0; i < w.pending.n; i++)
        if (rename(w.pending.v[i].tmp, w.pending.v[i].final) != 0) {
            fail(&w, "rename into", w.pending.v[i].final, errno);
            /* The temporaries not yet renamed go; what was renamed stays (it is complete). */
            for (size_t k = i; k < w.pending.n; k++) unlink(w.pending.v[k].tmp);
            *err = w.err;
            return false;
        }
    /* Files an earlier run wrote that this one does not: remove them, only them. */
    for (size_t t = 0; t < n; t++) {
        const OutTree *tr = &trees[t];
        for (size_t k = 0; k < nolds[t]; k++) {
            bool still = false;
            for (size_t i = 0; i < tr->n && !still; i++) still = strcmp(tr->files[i].path, olds[t][k]) == 0;
            if (still) continue;
            char *path = arena_printf(h->arena, "%s/%s/%s", root, tr->cluster, olds[t][k]);
            unlink(path);
            char *slash = strrchr(path, '/');
            *slash = 0;
            if (strcmp(path, arena_printf(h->arena, "%s/%s", root, tr->cluster)) != 0) rmdir(path); /* only if now empty */
        }
    }
    return true;
}
