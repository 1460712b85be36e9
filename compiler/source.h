/* source.h — source files and the line map.
 *
 * Every token and node holds a byte Span; lines and columns exist only when a
 * location is printed. The line map (the offset of each line start) is built
 * on first use, and a lookup is a binary search. Columns count UTF-8 code
 * points from 1, so a caret lines up under non-ASCII text. */
#ifndef HPCC_SOURCE_H
#define HPCC_SOURCE_H

#include "hpcc.h"

struct SourceFile {
    const char *name;      /* as shown in diagnostics (path as given, or std/<m>.hpc) */
    const char *rel;       /* as shown in the IR: relative to the spec's directory */
    const char *text;      /* the bytes, NUL-terminated (NULs inside are errors) */
    size_t len;
    uint32_t *lines;       /* offsets of line starts; built lazily */
    size_t nlines;
};

/* Registers a file's text (copied into the arena) and returns its index. */
uint32_t source_add(Hpcc *h, const char *name, const char *rel, const char *text, size_t len);
SourceFile *source_get(Hpcc *h, uint32_t file);

typedef struct LineCol {
    uint32_t line;   /* 1-based */
    uint32_t col;    /* 1-based, in code points */
} LineCol;

LineCol source_linecol(Hpcc *h, uint32_t file, uint32_t offset);
/* The bytes of line `line` (1-based), without its newline. */
const char *source_line(Hpcc *h, uint32_t file, uint32_t line, size_t *len);
/* "name:line:col" of the span's start, in the given naming (rel for the IR). */
char *source_where(Hpcc *h, Span s, bool rel);

/* Reads a whole file into the arena; returns NULL and sets *err (a strerror
 * text, or why the file is refused) on failure. A file over READ_FILE_MAX is
 * refused, so /dev/zero cannot eat the machine's memory. READ_REGULAR refuses
 * anything but a regular file (a FIFO or a device could block or never end);
 * READ_ANY allows them (the spec itself may come from /dev/stdin). */
#define READ_FILE_MAX ((size_t)64 << 20)
enum { READ_REGULAR, READ_ANY };
char *read_file(Arena *a, const char *path, size_t *len, const char **err, int kind);

#endif
