/* source.c — source files, the lazily built line map, and file reading. */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

uint32_t source_add(Hpcc *h, const char *name, const char *rel, const char *text, size_t len)
{
    SourceFile *f = NEW(h->arena, SourceFile);
    f->name = arena_strdup(h->arena, name);
    f->rel = arena_strdup(h->arena, rel ? rel : name);
    f->text = arena_strndup(h->arena, text, len);
    f->len = len;
    VPUSH(h->arena, h->files, f);
    return (uint32_t)(h->files.n - 1);
}

SourceFile *source_get(Hpcc *h, uint32_t file)
{
    HPCC_ASSERT(file > 0 && file < h->files.n);
    return h->files.v[file];
}

static void build_lines(Hpcc *h, SourceFile *f)
{
    const char *text = f->text, *end = text + f->len, *p;
    size_t n = 1;
    for (p = text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) n++;
    f->lines = arena_alloc(h->arena, n * sizeof *f->lines);
    f->lines[0] = 0;
    size_t k = 1;
    for (p = text; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) f->lines[k++] = (uint32_t)(p - text + 1);
    f->nlines = n;
}

/* Code points in [s, e): the bytes that are not UTF-8 continuation bytes.
 * Eight ASCII bytes at a time while they last (`hpcc ir` asks for a column
 * per field). */
static uint32_t code_points(const char *s, const char *e)
{
    uint32_t n = 0;
    for (; e - s >= 8; s += 8) {
        uint64_t x;
        memcpy(&x, s, 8);
        if ((x & 0x8080808080808080u) == 0) {
            n += 8;
            continue;
        }
        for (int i = 0; i < 8; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    for (; s < e; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

LineCol source_linecol(Hpcc *h, uint32_t file, uint32_t off)
{
    SourceFile *f = source_get(h, file);
    if (!f->lines) build_lines(h, f);
    if (off > f->len) off = (uint32_t)f->len;
    size_t lo = 0, hi = f->nlines; /* invariant: lines[lo] <= off < lines[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->lines[mid] <= off) lo = mid;
        else hi = mid;
    }
    uint32_t col = 1 + code_points(f->text + f->lines[lo], f->text + off);
    return (LineCol){(uint32_t)lo + 1, col};
}

const char *source_line(Hpcc *h, uint32_t file, uint32_t line, size_t *len)
{
    SourceFile *f = source_get(h, file);
    if (!f->lines) build_lines(h, f);
    if (line == 0 || line > f->nlines) {
        *len = 0;
        return "";
    }
    size_t s = f->lines[line - 1];
    size_t e = line < f->nlines ? f->lines[line] - 1 : f->len;
    if (e > s && f->text[e - 1] == '\r') e--;
    *len = e - s;
    return f->text + s;
}

/* Writes v in decimal so that it ends just before `end`; returns its start. */
static char *decimal_before(char *end, uint32_t v)
{
    do *--end = (char)('0' + v % 10);
    while (v /= 10);
    return end;
}

/* "name:line:col", assembled by hand: `hpcc ir` asks for one per field. */
char *source_where(Hpcc *h, Span s, bool rel)
{
    if (s.file == 0) return arena_strdup(h->arena, "<none>");
    SourceFile *f = source_get(h, s.file);
    LineCol lc = source_linecol(h, s.file, s.start);
    char num[2 * 11];                  /* ":4294967295:4294967295" */
    char *end = num + sizeof num;
    char *p = decimal_before(end, lc.col);
    *--p = ':';
    p = decimal_before(p, lc.line);
    *--p = ':';
    const char *name = rel ? f->rel : f->name;
    size_t nn = strlen(name), tn = (size_t)(end - p);
    char *out = arena_alloc(h->arena, nn + tn + 1); /* zeroed: the NUL is there */
    memcpy(out, name, nn);
    memcpy(out + nn, p, tn);
    return out;
}

char *read_file(Arena *a, const char *path, size_t *len, const char **err, int kind)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        *err = strerror(errno);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || S_ISDIR(st.st_mode)) {
        *err = S_ISDIR(st.st_mode) ? strerror(EISDIR) : strerror(errno);
        fclose(fp);
        return NULL;
    }
    if (kind == READ_REGULAR && !S_ISREG(st.st_mode)) {
        *err = "not a regular file";
        fclose(fp);
        return NULL;
    }
    Buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) {
        if (b.n + n > READ_FILE_MAX) {
            buf_free(&b);
            fclose(fp);
            *err = "larger than 64 MiB";
            return NULL;
        }
        buf_put(&b, tmp, n);
    }
    int bad = ferror(fp);
    int e = errno;
    fclose(fp);
    if (bad) {
        buf_free(&b);
        *err = strerror(e ? e : EIO);
        return NULL;
    }
    char *p = arena_strndup(a, b.p ? b.p : "", b.n);
    *len = b.n;
    buf_free(&b);
    return p;
}
