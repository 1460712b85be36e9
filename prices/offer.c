/* offer.c — the rows of an EC2 offer file, filtered down to one price per
 * instance type (see offer.h).
 *
 * Decisions:
 * - Every column hpcc reads is named once, in COLUMNS below: its header
 *   name, whether the file must have it, and the value a kept row holds.
 *   Optional columns filter only when the header has them.
 * - Two different prices for one type are an error that names both rows:
 *   the filters are meant to leave exactly one price per type, and picking
 *   one silently could put a wrong price in every cost estimate.
 * - A zero price is not a price: it is left out as if filtered (the type
 *   then has no entry unless another row prices it).
 * - Names and metadata copied into the snapshot are checked (instance type
 *   characters, printable metadata), so that nothing odd in a download can
 *   reach the JSON. */
#include "offer.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "hpcc.h"

#define HEADER_LINE 6        /* the record holding the column names */
#define MAX_TYPE 64          /* characters in an instance type name */
#define MAX_META 64          /* characters in the version and publication date */

typedef enum { M_EQ, M_CONTAINS, M_REGION, M_READ } Match;

/* X(id, header name, required, how a kept row matches, value) — in the
 * order the filters run: the most selective first. */
#define COLUMNS(X)                                                   \
    X(TERM, "TermType", true, M_EQ, "OnDemand")                      \
    X(OS, "Operating System", true, M_EQ, "Linux")                   \
    X(TENANCY, "Tenancy", true, M_EQ, "Shared")                      \
    X(CAPACITY, "CapacityStatus", true, M_EQ, "Used")                \
    X(SOFTWARE, "Pre Installed S/W", true, M_EQ, "NA")               \
    X(FAMILY, "Product Family", true, M_EQ, "Compute Instance")      \
    X(USAGE, "usageType", true, M_CONTAINS, "BoxUsage")              \
    X(UNIT, "Unit", true, M_EQ, "Hrs")                               \
    X(CURRENCY, "Currency", true, M_EQ, "USD")                       \
    X(REGION, "Region Code", false, M_REGION, NULL)                  \
    X(LICENSE, "License Model", false, M_EQ, "No License required")  \
    X(MARKET, "MarketOption", false, M_EQ, "OnDemand")               \
    X(TYPE, "Instance Type", true, M_READ, NULL)                     \
    X(PRICE, "PricePerUnit", true, M_READ, NULL)

typedef enum {
#define X(id, name, req, how, value) COL_##id,
    COLUMNS(X)
#undef X
    NCOLS
} Col;

static const struct Column {
    const char *name;
    bool required;
    Match how;
    const char *value;
} COLUMN[NCOLS] = {
#define X(id, name, req, how, value) {name, req, how, value},
    COLUMNS(X)
#undef X
};

struct Offer {
    Csv *csv;
    char *region;
    /* metadata */
    bool format_seen;
    char *version, *published, *offer_code;
    /* header */
    bool have_header;
    size_t nfields;          /* fields in the header, and so in every row */
    size_t at[NCOLS];        /* field index of each column; SIZE_MAX if absent */
    /* prices: an array, and an open-addressing table of indexes into it */
    OfferPrice *p;
    size_t np, capp;
    uint32_t *slot;          /* index + 1; 0 = empty */
    size_t nslot;
    uint64_t rows;
    /* the first error */
    uint64_t err_line;
    char err[512];
};

__attribute__((format(printf, 3, 4)))
static bool fail(Offer *o, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(o->err, sizeof o->err, fmt, ap);
    va_end(ap);
    o->err_line = line;
    return false;
}

static bool field_is(const CsvField *f, const char *s)
{
    size_t n = strlen(s);
    return f->n == n && memcmp(f->p, s, n) == 0;
}

static bool field_contains(const CsvField *f, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= f->n; i++)
        if (memcmp(f->p + i, s, n) == 0) return true;
    return false;
}

static char *dup_field(const CsvField *f)
{
    char *s = malloc(f->n + 1);
    if (!s) hpcc_die("out of memory");
    memcpy(s, f->p, f->n);
    s[f->n] = 0;
    return s;
}

/* Metadata copied into the snapshot: printable ASCII, short. */
static bool printable(const CsvField *f)
{
    if (f->n == 0 || f->n > MAX_META) return false;
    for (size_t i = 0; i < f->n; i++)
        if (f->p[i] < 0x20 || f->p[i] > 0x7e) return false;
    return true;
}

/* ---- lines 1-5: "FormatVersion","v1.0" then "name","value" pairs ---- */

static bool metadata(Offer *o, const CsvRecord *r)
{
    if (r->index == 1) {
        if (r->n < 1 || !field_is(&r->f[0], "FormatVersion"))
            return fail(o, r->line, "not an AWS price list offer file (its first line should be \"FormatVersion\",\"v1.0\")");
        if (r->n != 2 || !field_is(&r->f[1], "v1.0")) {
            if (r->n == 2 && printable(&r->f[1]))
                return fail(o, r->line, "format version %.*s, where hpcc-prices reads v1.0", (int)r->f[1].n, r->f[1].p);
            return fail(o, r->line, "a format version other than v1.0 (the one hpcc-prices reads)");
        }
        o->format_seen = true;
        return true;
    }
    if (r->n != 2)
        return fail(o, r->line, "a metadata line with %zu fields, where \"name\",\"value\" is expected "
                                "(the header belongs on line %d)", r->n, HEADER_LINE);
    const CsvField *k = &r->f[0], *v = &r->f[1];
    char **slot = field_is(k, "Version") ? &o->version
                  : field_is(k, "Publication Date") ? &o->published
                  : field_is(k, "OfferCode") ? &o->offer_code : NULL;
    if (!slot) return true; /* the disclaimer, or metadata hpcc does not use */
    if (*slot) return fail(o, r->line, "a second \"%s\" metadata line", slot == &o->version ? "Version"
                                       : slot == &o->published ? "Publication Date" : "OfferCode");
    if (!printable(v))
        return fail(o, r->line, "a metadata value that is empty, too long (limit %d) or not printable text", MAX_META);
    *slot = dup_field(v);
    return true;
}

/* ---- line 6: the column names ---- */

static bool header(Offer *o, const CsvRecord *r)
{
    if (!o->version) return fail(o, 0, "no \"Version\" among the metadata lines (1 to 5)");
    if (!o->published) return fail(o, 0, "no \"Publication Date\" among the metadata lines (1 to 5)");
    if (!o->offer_code) return fail(o, 0, "no \"OfferCode\" among the metadata lines (1 to 5)");
    if (strcmp(o->offer_code, "AmazonEC2") != 0)
        return fail(o, 0, "the price list of %s, not of AmazonEC2", o->offer_code);
    for (int c = 0; c < NCOLS; c++) o->at[c] = SIZE_MAX;
    for (size_t i = 0; i < r->n; i++)
        for (int c = 0; c < NCOLS; c++) {
            if (!field_is(&r->f[i], COLUMN[c].name)) continue;
            if (o->at[c] != SIZE_MAX)
                return fail(o, r->line, "column \"%s\" twice in the header (fields %zu and %zu)", COLUMN[c].name,
                            o->at[c] + 1, i + 1);
            o->at[c] = i;
        }
    char missing[400] = "";
    size_t nmissing = 0, len = 0;
    for (int c = 0; c < NCOLS; c++) {
        if (!COLUMN[c].required || o->at[c] != SIZE_MAX) continue;
        int k = snprintf(missing + len, sizeof missing - len, "%s\"%s\"", nmissing ? ", " : "", COLUMN[c].name);
        if (k > 0 && (size_t)k < sizeof missing - len) len += (size_t)k;
        nmissing++;
    }
    if (nmissing)
        return fail(o, r->line, "the header lacks the required column%s %s", nmissing == 1 ? "" : "s", missing);
    /* From here on, only the columns read are copied out of each row. */
    bool *keep = calloc(r->n, sizeof *keep);
    if (!keep) hpcc_die("out of memory");
    for (int c = 0; c < NCOLS; c++)
        if (o->at[c] != SIZE_MAX) keep[o->at[c]] = true;
    csv_keep(o->csv, keep, r->n);
    free(keep);
    o->nfields = r->n;
    o->have_header = true;
    return true;
}

/* ---- the price table ---- */

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static void grow_slots(Offer *o)
{
    size_t n = o->nslot ? o->nslot * 2 : 256;
    uint32_t *s = calloc(n, sizeof *s);
    if (!s) hpcc_die("out of memory");
    for (size_t i = 0; i < o->np; i++) {
        size_t j = hash(o->p[i].type, strlen(o->p[i].type)) & (n - 1);
        while (s[j]) j = (j + 1) & (n - 1);
        s[j] = (uint32_t)(i + 1);
    }
    free(o->slot);
    o->slot = s;
    o->nslot = n;
}

static bool valid_type(const CsvField *f)
{
    if (f->n == 0 || f->n > MAX_TYPE) return false;
    for (size_t i = 0; i < f->n; i++) {
        char c = f->p[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  (i > 0 && (c == '.' || c == '-' || c == '_'));
        if (!ok) return false;
    }
    return true;
}

static bool add_price(Offer *o, const CsvField *type, const char *usd, uint64_t line)
{
    if (2 * (o->np + 1) > o->nslot) grow_slots(o);
    size_t j = hash(type->p, type->n) & (o->nslot - 1);
    for (; o->slot[j]; j = (j + 1) & (o->nslot - 1)) {
        OfferPrice *e = &o->p[o->slot[j] - 1];
        if (!field_is(type, e->type)) continue;
        if (strcmp(e->usd, usd) == 0) return true; /* the same price twice: one entry */
        return fail(o, line, "two prices for %s: %s (line %" PRIu64 ") and %s (line %" PRIu64 ")", e->type, e->usd,
                    e->line, usd, line);
    }
    if (o->np == o->capp) {
        o->capp = o->capp ? o->capp * 2 : 256;
        o->p = realloc(o->p, o->capp * sizeof *o->p);
        if (!o->p) hpcc_die("out of memory");
    }
    OfferPrice *e = &o->p[o->np++];
    e->type = dup_field(type);
    memcpy(e->usd, usd, strlen(usd) + 1);
    e->line = line;
    o->slot[j] = (uint32_t)o->np;
    return true;
}

/* ---- the rows ---- */

static bool row(Offer *o, const CsvRecord *r)
{
    o->rows++;
    if (r->n != o->nfields)
        return fail(o, r->line, "a row with %zu fields, where the header (line %d) has %zu", r->n, HEADER_LINE,
                    o->nfields);
    for (int c = 0; c < NCOLS; c++) {
        if (o->at[c] == SIZE_MAX) continue;
        const CsvField *f = &r->f[o->at[c]];
        switch (COLUMN[c].how) {
        case M_EQ:
            if (!field_is(f, COLUMN[c].value)) return true;
            break;
        case M_CONTAINS:
            if (!field_contains(f, COLUMN[c].value)) return true;
            break;
        case M_REGION:
            if (!field_is(f, o->region)) return true;
            break;
        case M_READ:
            break;
        }
    }
    const CsvField *type = &r->f[o->at[COL_TYPE]], *price = &r->f[o->at[COL_PRICE]];
    if (!valid_type(type)) {
        if (type->n && printable(type))
            return fail(o, r->line, "instance type \"%.*s\" is not a name of letters, digits, '.', '-' and '_'",
                        (int)type->n, type->p);
        return fail(o, r->line, "an instance type that is empty, longer than %d characters or not printable",
                    MAX_TYPE);
    }
    char usd[DEC_MAX + 1];
    const char *why = dec_normalise(price->p, price->n, usd);
    if (why && price->n && printable(price))
        return fail(o, r->line, "the price of %.*s, \"%.*s\", %s", (int)type->n, type->p, (int)price->n, price->p,
                    why);
    if (why) return fail(o, r->line, "the price of %.*s %s", (int)type->n, type->p, why);
    if (strcmp(usd, "0") == 0) return true;
    return add_price(o, type, usd, r->line);
}

static bool on_record(void *arg, const CsvRecord *r)
{
    Offer *o = arg;
    if (r->index < HEADER_LINE) return metadata(o, r);
    if (r->index == HEADER_LINE) return header(o, r);
    return row(o, r);
}

/* ---- the interface ---- */

Offer *offer_new(const char *region)
{
    Offer *o = calloc(1, sizeof *o);
    if (!o) hpcc_die("out of memory");
    o->region = strdup(region);
    if (!o->region) hpcc_die("out of memory");
    o->csv = csv_new(on_record, o);
    return o;
}

void offer_free(Offer *o)
{
    if (!o) return;
    csv_free(o->csv);
    for (size_t i = 0; i < o->np; i++) free(o->p[i].type);
    free(o->p);
    free(o->slot);
    free(o->region);
    free(o->version);
    free(o->published);
    free(o->offer_code);
    free(o);
}

/* A CSV error becomes the offer's error; the callback's own error is already there. */
static bool csv_failed(Offer *o)
{
    if (!csv_stopped(o->csv)) fail(o, csv_error_line(o->csv), "malformed CSV: %s", csv_error(o->csv));
    return false;
}

bool offer_feed(Offer *o, const char *p, size_t n)
{
    return csv_feed(o->csv, p, n) || csv_failed(o);
}

static int by_type(const void *a, const void *b)
{
    return strcmp(((const OfferPrice *)a)->type, ((const OfferPrice *)b)->type);
}

bool offer_finish(Offer *o)
{
    if (!csv_finish(o->csv)) return csv_failed(o);
    if (!o->format_seen) return fail(o, 0, "an empty file, not an AWS price list offer file");
    if (!o->have_header) return fail(o, 0, "the file ends before its header (line %d)", HEADER_LINE);
    if (o->np == 0)
        return fail(o, 0, "no on-demand Linux price for %s among its %" PRIu64 " rows", o->region, o->rows);
    qsort(o->p, o->np, sizeof *o->p, by_type);
    return true;
}

const char *offer_error(const Offer *o, uint64_t *line)
{
    *line = o->err_line;
    return o->err;
}

const char *offer_version(const Offer *o) { return o->version; }
const char *offer_published(const Offer *o) { return o->published; }
uint64_t offer_rows(const Offer *o) { return o->rows; }

const OfferPrice *offer_prices(const Offer *o, size_t *n)
{
    *n = o->np;
    return o->p;
}
