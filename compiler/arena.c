/* arena.c — the per-compilation allocator, the heap byte buffer, the string
 * map and small string helpers.
 *
 * The arena hands out zeroed, 16-byte aligned memory from chunks of at least
 * 64 KiB and frees them all together. Large requests get a chunk of their own,
 * so a 10 MB source file costs one allocation, not a doubling cascade. */
#include "hpcc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Chunk {
    struct Chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} Chunk;

struct Arena {
    Chunk *head;
    size_t total;
};

enum { CHUNK_MIN = 64 * 1024 };

_Noreturn void hpcc_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hpcc: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) hpcc_die("out of memory (%zu bytes)", n);
    return p;
}

Arena *arena_new(void)
{
    Arena *a = xmalloc(sizeof *a);
    a->head = NULL;
    a->total = 0;
    return a;
}

void arena_free(Arena *a)
{
    if (!a) return;
    for (Chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

size_t arena_bytes(const Arena *a) { return a->total; }

void *arena_alloc(Arena *a, size_t n)
{
    if (n > SIZE_MAX / 2) hpcc_die("out of memory (%zu bytes)", n);
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    Chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        Chunk *nc = xmalloc(sizeof *nc + size);
        nc->size = size;
        nc->used = 0;
        a->total += size;
        if (c && n > CHUNK_MIN) {
            /* A big block: keep the current chunk in front for small requests. */
            nc->next = c->next;
            c->next = nc;
            nc->used = n;
            memset(nc->data, 0, n);
            return nc->data;
        }
        nc->next = c;
        a->head = c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

void *arena_realloc(Arena *a, void *p, size_t old, size_t n)
{
    if (n <= old) return p;
    void *q = arena_alloc(a, n);
    if (p && old) memcpy(q, p, old);
    return q;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_vprintf(Arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) hpcc_die("internal error: bad format '%s'", fmt);
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- Buf ------------------------------------------------------------------ */

void buf_put(Buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        while (nc < b->n + n + 1) nc *= 2;
        char *p = realloc(b->p, nc);
        if (!p) hpcc_die("out of memory (%zu bytes)", nc);
        b->p = p;
        b->cap = nc;
    }
    if (n) memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

void buf_puts(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }
void buf_putc(Buf *b, char c) { buf_put(b, &c, 1); }

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) hpcc_die("internal error: bad format '%s'", fmt);
    buf_put(b, "", 0);
    if (b->n + (size_t)n + 1 > b->cap) {
        size_t nc = b->cap * 2;
        while (nc < b->n + (size_t)n + 1) nc *= 2;
        char *p = realloc(b->p, nc);
        if (!p) hpcc_die("out of memory (%zu bytes)", nc);
        b->p = p;
        b->cap = nc;
    }
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    b->n += (size_t)n;
    va_end(ap);
}

void buf_free(Buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* ---- StrMap: open addressing over an insertion-ordered entry array -------- */

typedef struct SmEntry {
    const char *key;
    void *val;
    uint64_t hash;
} SmEntry;

struct StrMap {
    Arena *arena;
    SmEntry *ents;        /* insertion order */
    size_t n, cap;
    uint32_t *slots;      /* 0 = empty, else index+1 into ents */
    size_t nslots;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

StrMap *strmap_new(Arena *a)
{
    StrMap *m = NEW(a, StrMap);
    m->arena = a;
    return m;
}

static size_t sm_find(const StrMap *m, const char *key, uint64_t h)
{
    size_t mask = m->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = m->slots[i];
        if (s == 0) return i;
        const SmEntry *e = &m->ents[s - 1];
        if (e->hash == h && strcmp(e->key, key) == 0) return i;
    }
}

static void sm_grow(StrMap *m)
{
    size_t ns = m->nslots ? m->nslots * 2 : 16;
    m->slots = arena_alloc(m->arena, ns * sizeof *m->slots);
    m->nslots = ns;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = sm_find(m, m->ents[i].key, m->ents[i].hash);
        m->slots[j] = (uint32_t)(i + 1);
    }
}

void *strmap_get(const StrMap *m, const char *key)
{
    if (!m || m->n == 0) return NULL;
    uint32_t s = m->slots[sm_find(m, key, hash_str(key))];
    return s ? m->ents[s - 1].val : NULL;
}

static void *sm_put(StrMap *m, const char *key, void *v, bool replace)
{
    if ((m->n + 1) * 2 > m->nslots) sm_grow(m);
    uint64_t h = hash_str(key);
    size_t i = sm_find(m, key, h);
    if (m->slots[i]) {
        SmEntry *e = &m->ents[m->slots[i] - 1];
        void *old = e->val;
        if (replace) e->val = v;
        return old;
    }
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 8;
        m->ents = arena_realloc(m->arena, m->ents, m->cap * sizeof *m->ents, nc * sizeof *m->ents);
        m->cap = nc;
    }
    m->ents[m->n] = (SmEntry){key, v, h};
    m->slots[i] = (uint32_t)(++m->n);
    return NULL;
}

void *strmap_put_new(StrMap *m, const char *key, void *v) { return sm_put(m, key, v, false); }
void strmap_set(StrMap *m, const char *key, void *v) { sm_put(m, key, v, true); }
size_t strmap_count(const StrMap *m) { return m ? m->n : 0; }
const char *strmap_key_at(const StrMap *m, size_t i) { return m->ents[i].key; }
void *strmap_val_at(const StrMap *m, size_t i) { return m->ents[i].val; }

/* ---- strings ---------------------------------------------------------------- */

bool str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }
bool str_has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

size_t edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap) return cap + 1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        size_t best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
            if (row[j] < best) best = row[j];
        }
        if (best > cap) return cap + 1;
    }
    return row[lb] > cap ? cap + 1 : row[lb];
}

const char *closest_name(const char *word, const char *const *cands, size_t n)
{
    size_t len = strlen(word);
    size_t cap = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    size_t bestd = cap + 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i]) continue;
        size_t d = edit_distance(word, cands[i], cap);
        if (d < bestd) {
            bestd = d;
            best = cands[i];
        }
    }
    return best;
}
