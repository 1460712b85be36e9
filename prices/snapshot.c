/* snapshot.c — writing a snapshot's JSON (see snapshot.h).
 *
 * The layout is the built-in snapshot's, byte for byte in style: keys in the
 * documented order, one-space indentation, UTF-8 unescaped (what
 * tools/gen-data.py writes with Python's json.dump(indent=1,
 * ensure_ascii=False)), so a downloaded snapshot and the built-in one diff
 * cleanly. The storage section is copied from the built-in snapshot. Its
 * prices are us-east-1's: for any other region every one of them is marked
 * U (not found in a source), with the reason added to its source. */
#include "snapshot.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hpcc.h"
#include "json.h"
#include "stdmods.h"

#define BUILTIN "data/prices-us-east-1.json"
#define BUILTIN_REGION "us-east-1"

static void indent(Buf *b, int depth)
{
    buf_putc(b, '\n');
    for (int i = 0; i < depth; i++) buf_putc(b, ' ');
}

static void str(Buf *b, const char *s)
{
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\b': buf_puts(b, "\\b"); break;
        case '\f': buf_puts(b, "\\f"); break;
        default:
            if (*p < 0x20) buf_printf(b, "\\u%04x", *p);
            else buf_putc(b, (char)*p);
        }
    }
    buf_putc(b, '"');
}

static void key(Buf *b, int depth, const char *k, bool first)
{
    if (!first) buf_putc(b, ',');
    indent(b, depth);
    str(b, k);
    buf_puts(b, ": ");
}

/* A value of the built-in snapshot; `unverified` is the reason to add to
 * each price's source, or NULL in us-east-1. */
static void value(Buf *b, const Json *v, int depth, const char *unverified)
{
    if (js_is_object(v)) {
        size_t n = js_obj_size(v);
        if (n == 0) {
            buf_puts(b, "{}");
            return;
        }
        bool price = unverified && js_get(v, "confidence") != NULL;
        buf_putc(b, '{');
        for (size_t i = 0; i < n; i++) {
            const char *k = js_key_at(v, i);
            const Json *x = js_get(v, k);
            key(b, depth + 1, k, i == 0);
            if (price && strcmp(k, "confidence") == 0) {
                str(b, "U");
            } else if (price && strcmp(k, "source") == 0 && js_is_string(x)) {
                Buf s = {0};
                buf_printf(&s, "%s; %s", js_str_value(x), unverified);
                str(b, s.p);
                buf_free(&s);
            } else {
                value(b, x, depth + 1, unverified);
            }
        }
        indent(b, depth);
        buf_putc(b, '}');
    } else if (js_is_array(v)) {
        size_t n = js_len(v);
        if (n == 0) {
            buf_puts(b, "[]");
            return;
        }
        buf_putc(b, '[');
        for (size_t i = 0; i < n; i++) {
            if (i) buf_putc(b, ',');
            indent(b, depth + 1);
            value(b, js_at(v, i), depth + 1, unverified);
        }
        indent(b, depth);
        buf_putc(b, ']');
    } else if (js_is_string(v)) {
        str(b, js_str_value(v));
    } else if (js_is_int(v)) {
        buf_printf(b, "%" PRId64, js_int_value(v));
    } else if (js_is_bool(v)) {
        buf_puts(b, js_bool_value(v) ? "true" : "false");
    } else {
        buf_puts(b, "null");
    }
}

static Json *builtin(void)
{
    for (size_t i = 0; STDLIB_FILES[i].path; i++) {
        if (strcmp(STDLIB_FILES[i].path, BUILTIN) != 0) continue;
        char err[200];
        Json *j = js_parse(STDLIB_FILES[i].text, STDLIB_FILES[i].len, err, sizeof err);
        if (!j) hpcc_die("internal error: the built-in %s does not parse: %s", BUILTIN, err);
        return j;
    }
    hpcc_die("internal error: no built-in %s", BUILTIN);
}

char *snapshot_json(const char *region, const SnapshotSource *src, const OfferPrice *prices, size_t n,
                    size_t *len)
{
    Json *base = builtin();
    const Json *storage = js_get(base, "storage");
    if (!js_is_object(storage)) hpcc_die("internal error: the built-in %s has no storage prices", BUILTIN);
    bool home = strcmp(region, BUILTIN_REGION) == 0;
    Buf reason = {0}, desc = {0};
    buf_printf(&reason, "the %s price, not checked for %s", BUILTIN_REGION, region);
    buf_printf(&desc,
               "AWS Price List bulk API, offer file of AmazonEC2 for %s, read by hpcc prices update: EC2 "
               "on-demand Linux prices (shared tenancy, no pre-installed software, capacity status Used); "
               "storage prices copied from hpcc's built-in %s snapshot%s",
               region, BUILTIN_REGION, home ? "" : ", marked U here");

    Buf b = {0};
    buf_putc(&b, '{');
    key(&b, 1, "format", true), str(&b, "hpcc-prices/1");
    key(&b, 1, "region", false), str(&b, region);
    key(&b, 1, "currency", false), str(&b, "USD");
    key(&b, 1, "source", false), buf_putc(&b, '{');
    key(&b, 2, "description", true), str(&b, desc.p);
    key(&b, 2, "url", false), str(&b, src->url);
    key(&b, 2, "version", false), str(&b, src->version);
    key(&b, 2, "published", false), str(&b, src->published);
    key(&b, 2, "sha256", false), str(&b, src->sha256);
    key(&b, 2, "bytes", false), buf_printf(&b, "%" PRIu64, src->bytes);
    indent(&b, 1), buf_putc(&b, '}');
    key(&b, 1, "ec2", false), buf_putc(&b, '{');
    for (size_t i = 0; i < n; i++) key(&b, 2, prices[i].type, i == 0), str(&b, prices[i].usd);
    indent(&b, 1), buf_putc(&b, '}');
    key(&b, 1, "storage", false), value(&b, storage, 1, home ? NULL : reason.p);
    indent(&b, 0), buf_puts(&b, "}\n");

    buf_free(&reason);
    buf_free(&desc);
    js_release(base);
    *len = b.n;
    return b.p;
}
