/* csv.c — the streaming CSV reader (RFC 4180).
 *
 * A state machine that survives between chunks: a record may begin in one
 * chunk and end three chunks later, and a quote may be the last byte of a
 * chunk. The bytes of kept fields are copied into one record buffer of the
 * largest record's size, allocated once (it never moves, so fields point
 * into it as they are read; untouched pages cost no memory); fields nobody
 * reads are scanned but not copied.
 *
 * Speed: a price list is millions of short quoted fields ("OnDemand",), so
 * the common case has a fast path: a quoted field without quotes or line
 * breaks inside, followed by a comma or a line break, and empty unquoted
 * fields. It finds the closing quote in a bit mask of the quotes and line
 * breaks of 64 bytes (SSE2, on every x86-64; elsewhere, and at the end of a
 * chunk, eight bytes at a time in portable C) and does only what the state
 * machine would do for those bytes; anything else (a doubled quote, a line
 * break inside quotes, a CR, a field cut by the end of a chunk) is left to
 * the state machine, which starts again at the same field.
 *
 * Strictness: a quote inside an unquoted field, text after a closing quote,
 * a CR without its LF, and a file ending inside quotes are errors, because a
 * price list that breaks these rules is damaged, and guessing could shift
 * every column of a row. */
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "hpcc.h"

typedef enum {
    S_FIELD,    /* a field begins here; nothing of it read yet */
    S_UNQUOTED, /* inside an unquoted field */
    S_QUOTED,   /* inside a quoted field */
    S_QUOTE,    /* read a quote inside a quoted field: its end, or the first of a doubled quote */
    S_CR,       /* read a CR after a field: the record ends if LF follows */
} State;

struct Csv {
    CsvFn fn;
    void *arg;
    State st;
    bool started;       /* the current record has begun */
    bool keepf;         /* the current field's text is kept */
    bool *keep;         /* keep[i]: field i's text is kept (CSV_MAX_FIELDS entries) */
    bool first_chunk;
    char *rec;          /* kept text of the current record, CSV_MAX_RECORD bytes */
    size_t nrec;
    CsvField *out;      /* the fields of the current record, CSV_MAX_FIELDS of them */
    size_t nf;
    uint64_t line;      /* the line being read */
    uint64_t rec_line;  /* the line the current record starts on */
    uint64_t quote_line;/* the line the current quoted field opened on */
    uint64_t index;     /* records handed over */
    bool failed, stopped;
    uint64_t err_line;
    char err[160];
};

/* Bytes that end a run in an unquoted field. */
static const bool STOP_UNQUOTED[256] = {[','] = true, ['\n'] = true, ['\r'] = true, ['"'] = true};

/* The first '"' or '\n' in [s, end), or end. Eight bytes at a time: a byte
 * of x is zero exactly where x had the byte looked for, and
 * (x - 0x01..) & ~x & 0x80.. marks the first zero byte exactly (bytes
 * after it may be marked wrongly, and are not looked at). */
static inline const char *find_quote_or_newline(const char *s, const char *end)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (end - s >= 8) {
        uint64_t x;
        memcpy(&x, s, 8);
        uint64_t a = x ^ (ones * '"'), b = x ^ (ones * '\n');
        uint64_t m = (((a - ones) & ~a) | ((b - ones) & ~b)) & highs;
        if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            return s + (__builtin_clzll(m) >> 3);
#else
            return s + (__builtin_ctzll(m) >> 3);
#endif
        }
        s += 8;
    }
    while (s < end && *s != '"' && *s != '\n') s++;
    return s;
}

/* The same search, 64 bytes at a time where the CPU has SSE2 (every x86-64):
 * a bit mask of the quotes and line breaks in 64 bytes, kept while the fields
 * it covers are read, so a field costs a shift and a count of trailing zeros.
 * The last bytes of a chunk (fewer than 64) go to the word-at-a-time search. */
typedef struct Scan {
    const char *base;  /* the 64 bytes mask describes; NULL before the first */
    uint64_t mask;     /* bit i: base[i] is '"' or '\n' */
} Scan;

#if defined(__SSE2__)
static inline uint64_t mask64(const char *s)
{
    const __m128i quote = _mm_set1_epi8('"'), newline = _mm_set1_epi8('\n');
    uint64_t m = 0;
    for (int i = 0; i < 4; i++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * i));
        __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, newline));
        m |= (uint64_t)(unsigned)_mm_movemask_epi8(hit) << (16 * i);
    }
    return m;
}
#endif

static inline const char *scan_next(Scan *sc, const char *s, const char *end)
{
#if defined(__SSE2__)
    for (;;) {
        if (sc->base && s >= sc->base && s - sc->base < 64) {
            uint64_t m = sc->mask >> (s - sc->base);
            if (m) return s + __builtin_ctzll(m);
            s = sc->base + 64;
        }
        if (end - s < 64) break;
        sc->base = s;
        sc->mask = mask64(s);
    }
#else
    (void)sc;
#endif
    return find_quote_or_newline(s, end);
}

Csv *csv_new(CsvFn fn, void *arg)
{
    Csv *c = calloc(1, sizeof *c);
    if (!c) hpcc_die("out of memory");
    c->fn = fn;
    c->arg = arg;
    c->keep = malloc(CSV_MAX_FIELDS);
    if (!c->keep) hpcc_die("out of memory");
    memset(c->keep, 1, CSV_MAX_FIELDS);
    c->first_chunk = true;
    c->line = 1;
    c->out = malloc(CSV_MAX_FIELDS * sizeof *c->out);
    c->rec = malloc(CSV_MAX_RECORD);
    if (!c->out || !c->rec) hpcc_die("out of memory");
    return c;
}

void csv_free(Csv *c)
{
    if (!c) return;
    free(c->out);
    free(c->rec);
    free(c->keep);
    free(c);
}

void csv_keep(Csv *c, const bool *keep, size_t n)
{
    if (n > CSV_MAX_FIELDS) n = CSV_MAX_FIELDS;
    memset(c->keep, 0, CSV_MAX_FIELDS);
    if (n) memcpy(c->keep, keep, n);
}

bool csv_stopped(const Csv *c) { return c->stopped; }
const char *csv_error(const Csv *c) { return c->err; }
uint64_t csv_error_line(const Csv *c) { return c->err_line; }

__attribute__((format(printf, 3, 4)))
static bool fail(Csv *c, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    c->failed = true;
    c->err_line = line;
    return false;
}

static bool append(Csv *c, const char *p, size_t n)
{
    if (n > CSV_MAX_RECORD - c->nrec)
        return fail(c, c->rec_line, "a record longer than the limit (%zu bytes)", (size_t)CSV_MAX_RECORD);
    memcpy(c->rec + c->nrec, p, n);
    c->nrec += n;
    return true;
}

static bool begin_field(Csv *c)
{
    if (!c->started) {
        c->started = true;
        c->rec_line = c->line;
    }
    if (c->nf == CSV_MAX_FIELDS)
        return fail(c, c->rec_line, "a record with more fields than the limit (%zu)", (size_t)CSV_MAX_FIELDS);
    c->out[c->nf].p = c->rec + c->nrec;
    c->keepf = c->keep[c->nf];
    return true;
}

static void end_field(Csv *c)
{
    c->out[c->nf].n = (size_t)(c->rec + c->nrec - c->out[c->nf].p);
    c->nf++;
}

static bool end_record(Csv *c)
{
    CsvRecord r = {c->out, c->nf, c->rec_line, ++c->index};
    c->nf = 0;
    c->nrec = 0;
    c->started = false;
    c->st = S_FIELD;
    if (!c->fn(c->arg, &r)) {
        c->failed = c->stopped = true;
        return false;
    }
    return true;
}

/* The fast path, from the start of a field (state S_FIELD): consumes whole
 * simple fields and records, and returns where a field it does not handle
 * begins (still in S_FIELD), or NULL on an error. */
static const char *fast(Csv *c, const char *p, const char *end)
{
    /* The record's state in locals: the compiler cannot keep fields of *c in
     * registers across the stores into out. Written back before any call
     * that reads them. */
    size_t nf = c->nf, nrec = c->nrec;
    CsvField *out = c->out;
    char *rec = c->rec;
    const bool *keep = c->keep;
    bool started = c->started;
    Scan sc = {NULL, 0};
    while (p < end && nf < CSV_MAX_FIELDS) {
        const char *q = p, *next;
        if (*p == '"') {
            q = scan_next(&sc, p + 1, end);
            if (end - q < 2 || *q != '"' || (q[1] != ',' && q[1] != '\n')) break;
            next = q + 2;
        } else if (*p == ',' || *p == '\n') {
            next = p + 1;
        } else {
            break;
        }
        if (!started) {
            started = true;
            c->rec_line = c->line;
        }
        CsvField *f = &out[nf++];
        f->p = rec + nrec;
        f->n = 0;
        if (q > p + 1 && keep[nf - 1]) {
            size_t k = (size_t)(q - p - 1);
            if (k > CSV_MAX_RECORD - nrec) {
                c->started = started;
                return append(c, p + 1, k) ? p : NULL; /* the error */
            }
            memcpy(rec + nrec, p + 1, k);
            f->n = k;
            nrec += k;
        }
        p = next;
        if (p[-1] == '\n') {
            c->nf = nf;
            c->nrec = nrec;
            c->started = started;
            if (!end_record(c)) return NULL;
            c->line++;
            nf = 0;
            nrec = 0;
            started = false;
        }
    }
    c->nf = nf;
    c->nrec = nrec;
    c->started = started;
    return p;
}

bool csv_feed(Csv *c, const char *p, size_t n)
{
    if (c->failed) return false;
    const char *end = p + n;
    if (c->first_chunk && n > 0) {
        /* A UTF-8 byte order mark, if the file starts with one whole. */
        c->first_chunk = false;
        if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    }
    while (p < end) {
        switch (c->st) {
        case S_FIELD: {
            const char *q = fast(c, p, end);
            if (!q) return false;
            if (q != p) {
                p = q;
                break;
            }
            if (!begin_field(c)) return false;
            switch (*p) {
            case '"':
                c->st = S_QUOTED;
                c->quote_line = c->line;
                p++;
                break;
            case ',':
                end_field(c);
                p++;
                break;
            case '\n':
                end_field(c);
                p++;
                if (!end_record(c)) return false;
                c->line++;
                break;
            case '\r':
                end_field(c);
                c->st = S_CR;
                p++;
                break;
            default:
                c->st = S_UNQUOTED;
                break;
            }
            break;
        }
        case S_UNQUOTED: {
            const char *s = p;
            while (p < end && !STOP_UNQUOTED[(unsigned char)*p]) p++;
            if (c->keepf && p > s && !append(c, s, (size_t)(p - s))) return false;
            if (p == end) break;
            char ch = *p++;
            if (ch == '"') return fail(c, c->line, "a quote inside an unquoted field (field %zu)", c->nf + 1);
            end_field(c);
            if (ch == ',') {
                c->st = S_FIELD;
            } else if (ch == '\r') {
                c->st = S_CR;
            } else {
                if (!end_record(c)) return false;
                c->line++;
            }
            break;
        }
        case S_QUOTED: {
            const char *s = p;
            p = find_quote_or_newline(p, end);
            if (c->keepf && p > s && !append(c, s, (size_t)(p - s))) return false;
            if (p == end) break;
            if (*p == '\n') {
                if (c->keepf && !append(c, p, 1)) return false;
                c->line++;
            } else {
                c->st = S_QUOTE;
            }
            p++;
            break;
        }
        case S_QUOTE: {
            char ch = *p++;
            if (ch == '"') {
                if (c->keepf && !append(c, "\"", 1)) return false;
                c->st = S_QUOTED;
                break;
            }
            if (ch != ',' && ch != '\n' && ch != '\r')
                return fail(c, c->line, "text after the closing quote of field %zu", c->nf + 1);
            end_field(c);
            if (ch == ',') {
                c->st = S_FIELD;
            } else if (ch == '\r') {
                c->st = S_CR;
            } else {
                if (!end_record(c)) return false;
                c->line++;
            }
            break;
        }
        case S_CR:
            if (*p != '\n') return fail(c, c->line, "a carriage return without a line feed after field %zu", c->nf);
            p++;
            if (!end_record(c)) return false;
            c->line++;
            break;
        }
    }
    return true;
}

bool csv_finish(Csv *c)
{
    if (c->failed) return false;
    switch (c->st) {
    case S_FIELD:
        if (!c->started) return true; /* the input ended with its last line break */
        if (!begin_field(c)) return false; /* "a,b," : the last field is empty */
        end_field(c);
        return end_record(c);
    case S_UNQUOTED:
    case S_QUOTE:
        end_field(c);
        return end_record(c);
    case S_QUOTED:
        return fail(c, c->quote_line, "a quoted field that never closes (field %zu; the input ends inside it)", c->nf + 1);
    case S_CR:
        return fail(c, c->line, "a carriage return without a line feed after field %zu", c->nf);
    }
    return true;
}
