/* hpcc.h — what every part of the compiler shares: spans, the arena, growable
 * arrays, string helpers and the compilation context.
 *
 * One context (Hpcc) per compilation, passed explicitly: there is no global
 * mutable state, so tests and the fuzzer run many compilations in a process.
 * Everything a compilation allocates lives in its arena and is freed at once
 * by hpcc_free(); nothing in the AST, the values or the IR is freed alone. */
#ifndef HPCC_H
#define HPCC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- byte spans ---------------------------------------------------------- */

/* A range of bytes in one source file; line and column are computed only
 * when something is printed (source.c). file 0 means "no location". */
typedef struct Span {
    uint32_t file;  /* index into Hpcc.files; 0 = none */
    uint32_t start; /* first byte */
    uint32_t end;   /* one past the last byte */
} Span;

static inline Span span_join(Span a, Span b)
{
    if (a.file == 0) return b;
    if (b.file == 0 || b.file != a.file) return a;
    Span s = a;
    if (b.start < s.start) s.start = b.start;
    if (b.end > s.end) s.end = b.end;
    return s;
}

/* ---- arena ---------------------------------------------------------------- */

typedef struct Arena Arena;
Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t n);            /* zeroed, 16-byte aligned */
void *arena_realloc(Arena *a, void *p, size_t old, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
size_t arena_bytes(const Arena *a);                /* total reserved, for benchmarks */

#define NEW(arena, T) ((T *)arena_alloc((arena), sizeof(T)))

/* A growable array in the arena: `VEC(T) v = {0}; VPUSH(arena, v, x);` */
#define VEC(T) struct { T *v; size_t n, cap; }
#define VPUSH(arena, vec, x)                                                        \
    do {                                                                            \
        if ((vec).n == (vec).cap) {                                                 \
            size_t nc_ = (vec).cap ? (vec).cap * 2 : 4;                             \
            (vec).v = arena_realloc((arena), (vec).v, (vec).cap * sizeof *(vec).v,  \
                                    nc_ * sizeof *(vec).v);                         \
            (vec).cap = nc_;                                                        \
        }                                                                           \
        (vec).v[(vec).n++] = (x);                                                   \
    } while (0)

/* ---- a growable byte buffer (heap, not arena: used for big outputs) ------- */

typedef struct Buf {
    char *p;
    size_t n, cap;
} Buf;
void buf_put(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(Buf *b);

/* ---- string map (arena-backed, insertion-ordered) -------------------------- */

typedef struct StrMap StrMap;
StrMap *strmap_new(Arena *a);
void *strmap_get(const StrMap *m, const char *key);
/* Returns the previous value if the key existed (and keeps it), else stores v and returns NULL. */
void *strmap_put_new(StrMap *m, const char *key, void *v);
void strmap_set(StrMap *m, const char *key, void *v);
size_t strmap_count(const StrMap *m);
const char *strmap_key_at(const StrMap *m, size_t i); /* in insertion order */
void *strmap_val_at(const StrMap *m, size_t i);

/* ---- internal errors ----------------------------------------------------- */

/* For bugs in hpcc itself only; user errors are diagnostics. */
_Noreturn void hpcc_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define HPCC_ASSERT(c) ((c) ? (void)0 : hpcc_die("internal error: %s:%d: assertion '%s' failed", __FILE__, __LINE__, #c))

/* ---- the compilation context ------------------------------------------------ */

typedef struct SourceFile SourceFile;
typedef struct Diags Diags;
typedef struct Patterns Patterns;
typedef struct Modules Modules;

typedef enum DiagFormat { DIAG_TEXT, DIAG_JSON, DIAG_SARIF } DiagFormat;

typedef struct Hpcc {
    Arena *arena;
    VEC(SourceFile *) files;   /* files.v[0] is a placeholder: span.file 0 = none */
    Diags *diags;
    Patterns *patterns;        /* compiled PCRE2 patterns, by type name */
    Modules *modules;          /* loaded stdlib modules */
    struct DataCache *data;    /* catalog.c: the data files, loaded on first use */
    const char *stdlib_dir;    /* --stdlib / HPCC_STDLIB; NULL = built in */
    const char *spec_dir;      /* directory of the main spec, for file("...") */
    const char *spec_name;     /* the main spec's file name, for artifact headers */
    bool werror;               /* --werror */
} Hpcc;

Hpcc *hpcc_new(void);
void hpcc_free(Hpcc *h);

/* ---- small helpers ---------------------------------------------------------- */

bool str_eq(const char *a, const char *b);
bool str_has_prefix(const char *s, const char *prefix);
/* Damerau-free Levenshtein distance, capped: returns > cap as cap+1. */
size_t edit_distance(const char *a, const char *b, size_t cap);
/* The candidate closest to `word` if close enough to suggest, else NULL. */
const char *closest_name(const char *word, const char *const *cands, size_t n);

#endif
