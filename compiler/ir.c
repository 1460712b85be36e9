/* ir.c — `hpcc ir`: the IR as stable, pretty JSON, generated from ir.def.
 *
 * Each set field prints as {"value": ..., "from": ..., "at"|"by": ...}; unset
 * fields are left out. Quantities print as exact decimal strings with their
 * unit (a value that has no finite decimal expansion prints as "num/den").
 * Locations name files relative to the spec's directory, so the output does
 * not depend on where hpcc runs.
 *
 * The text is written straight into a buffer in one walk over the IR; no
 * JSON tree is built. The bytes are the ones jansson's JSON_INDENT(2) dump
 * produced when this file built a jansson tree, and must stay so (golden
 * files, manifests): two-space indentation, one member or element a line,
 * ": " after keys, "{}" and "[]" when empty. Strings escape '"', '\\' and
 * control characters (\b \f \n \r \t, others \u00XX in capitals) and keep
 * UTF-8 as it is; a string that is not valid UTF-8 (jansson refused it, and
 * json.c substituted) has every non-ASCII byte and NUL written as '?'. A key
 * set twice in a record keeps its first place and its last value.
 * tests/unit/test_ir.c pins each of these. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "value.h"

typedef struct W {
    Hpcc *h;
    Buf b;
    size_t depth;      /* of the innermost open object or array */
    bool first;        /* nothing written in it yet */
} W;

#define LIT(s) s, sizeof s - 1

/* ---- JSON text -------------------------------------------------------------- */

/* Appends n bytes. Most pieces are a few bytes long, so the copy is done here
 * and buf_put() is called only to grow the buffer; the last write of
 * ir_to_json() goes through buf_put(), which ends the text with a NUL. */
static inline void put(W *w, const char *s, size_t n)
{
    if (w->b.cap - w->b.n <= n) {
        buf_put(&w->b, s, n);
        return;
    }
    memcpy(w->b.p + w->b.n, s, n);
    w->b.n += n;
}

static inline void putc_(W *w, char c) { put(w, &c, 1); }

/* A newline and the indentation of depth d. */
static void newline(W *w, size_t d)
{
    static const char nl[] = "\n                                                                ";
    size_t n = 2 * d + 1;
    if (n <= sizeof nl - 1) {
        put(w, nl, n);
        return;
    }
    put(w, nl, sizeof nl - 1);
    for (n -= sizeof nl - 1; n > 0; n--) putc_(w, ' ');
}

/* Opens an object or array; returns the enclosing one's `first`, for leave(). */
static bool enter(W *w, char c)
{
    bool outer = w->first;
    putc_(w, c);
    w->depth++;
    w->first = true;
    return outer;
}

static void leave(W *w, char c, bool outer)
{
    w->depth--;
    if (!w->first) newline(w, w->depth);
    putc_(w, c);
    w->first = outer;
}

/* Before each member or element: the separator and the indentation. */
static void next(W *w)
{
    if (!w->first) putc_(w, ',');
    newline(w, w->depth);
    w->first = false;
}

/* A key written as a literal: `"name": `, no escaping needed (ir.def names). */
static void key(W *w, const char *quoted, size_t n)
{
    next(w);
    put(w, quoted, n);
}

/* jansson's UTF-8 rule: no stray continuation bytes, no overlong forms, no
 * surrogates, nothing past U+10FFFF, no sequence cut short. NUL is valid. */
static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
        else return false;
        if (len > n - i) return false;
        for (size_t k = 1; k < len; k++) {
            if ((u[i + k] & 0xC0) != 0x80) return false;
            cp = cp << 6 | (u[i + k] & 0x3F);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
            return false;
        i += len;
    }
    return true;
}

/* A byte a JSON string holds as it is: printable ASCII other than '"' and '\\'. */
static inline bool plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

/* Whether the eight bytes of x are all plain: no top bit set, none below
 * 0x20 (a borrow out of x - 0x20.. marks it), none '"' or '\\' (zero after
 * the xor). Each test is exact about whether some byte fails it. */
static inline bool plain8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u;
    uint64_t q = x ^ ones * '"', b = x ^ ones * '\\';
    uint64_t bad = x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b);
    return (bad & ones * 0x80) == 0;
}

/* The inside of a JSON string, escaped, from byte `from` on (the bytes before
 * it are plain). `ascii` writes '?' for each byte that is not ASCII and for
 * NUL: the text is not valid UTF-8. */
static void escaped(W *w, const char *s, size_t n, size_t from, bool ascii)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0; /* start of the bytes not yet written */
    for (size_t i = from; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (plain(c) || (c >= 0x80 && !ascii)) continue;
        if (i > run) put(w, s + run, i - run);
        run = i + 1;
        if (ascii && (c >= 0x80 || c == 0)) {
            putc_(w, '?');
            continue;
        }
        switch (c) {
        case '"': put(w, LIT("\\\"")); break;
        case '\\': put(w, LIT("\\\\")); break;
        case '\b': put(w, LIT("\\b")); break;
        case '\f': put(w, LIT("\\f")); break;
        case '\n': put(w, LIT("\\n")); break;
        case '\r': put(w, LIT("\\r")); break;
        case '\t': put(w, LIT("\\t")); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            put(w, u, sizeof u);
        }
        }
    }
    if (n > run) put(w, s + run, n - run);
}

/* The inside of a JSON string. Most are plain ASCII: one scan, eight bytes
 * at a time, and one copy. */
static void text(W *w, const char *s, size_t n)
{
    size_t i = 0;
    uint64_t x;
    for (; n - i >= 8; i += 8) {
        memcpy(&x, s + i, 8);
        if (!plain8(x)) break;
    }
    while (i < n && plain((unsigned char)s[i])) i++;
    if (i == n) put(w, s, n);
    else escaped(w, s, n, i, !utf8_valid(s + i, n - i));
}

static void str_n(W *w, const char *s, size_t n)
{
    putc_(w, '"');
    text(w, s, n);
    putc_(w, '"');
}

/* NULL prints as null. */
static void str(W *w, const char *s)
{
    if (s) str_n(w, s, strlen(s));
    else put(w, LIT("null"));
}

/* A key that comes from the spec (a cluster, tag or setting name). jansson
 * refused a key that is not valid UTF-8, and hpcc stopped: so does this. */
static void key_str(W *w, const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (!k || !utf8_valid(k, n)) hpcc_die("internal error: js_put(%s)", k ? k : "(null)");
    next(w);
    putc_(w, '"');
    text(w, k, n);
    put(w, LIT("\": "));
}

static void boolean(W *w, bool v)
{
    if (v) put(w, LIT("true"));
    else put(w, LIT("false"));
}

/* Decimal, as printf's %lld. */
static void integer(W *w, int64_t v)
{
    char t[24];
    char *p = t + sizeof t;
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) *--p = '-';
    put(w, p, (size_t)(t + sizeof t - p));
}

/* ---- the IR ------------------------------------------------------------------- */

static void put_prov(W *w, const Prov *p)
{
    static const struct { const char *s; size_t n; } from[] = {
        {LIT("\"from\": \"unset\"")}, {LIT("\"from\": \"spec\"")},  {LIT("\"from\": \"default\"")},
        {LIT("\"from\": \"hpcc\"")},  {LIT("\"from\": \"pass\"")},
    };
    key(w, from[p->origin].s, from[p->origin].n);
    if (p->span.file) {
        key(w, LIT("\"at\": "));
        str(w, source_where(w->h, p->span, true));
    }
    if (p->by) {
        key(w, LIT("\"by\": "));
        str(w, p->by);
    }
    if (p->unverified) key(w, LIT("\"unverified\": true"));
    if (p->note) {
        key(w, LIT("\"note\": "));
        str(w, p->note);
    }
}

/* {"value": ..., provenance}: the value is written by the caller, between
 * leaf_open() and leaf_close(). */
static bool leaf_open(W *w)
{
    bool outer = enter(w, '{');
    key(w, LIT("\"value\": "));
    return outer;
}

static void leaf_close(W *w, const Prov *p, bool outer)
{
    put_prov(w, p);
    leave(w, '}', outer);
}

static void value_json(W *w, const Value *v)
{
    char buf[128];
    switch (v->kind) {
    case V_NONE: put(w, LIT("null")); return;
    case V_BOOL: boolean(w, v->b); return;
    case V_NUM:
        if (!v->num.unit && rat_fits_i64(v->num.v)) integer(w, rat_to_i64(v->num.v));
        else if (!v->num.unit) str(w, rat_format(v->num.v, buf, sizeof buf));
        else str(w, value_text(w->h->arena, v));
        return;
    case V_STR:
    case V_WORD: str_n(w, v->str.s, v->str.len); return;
    case V_LIST: {
        bool outer = enter(w, '[');
        for (size_t i = 0; i < v->list.n; i++) {
            next(w);
            value_json(w, v->list.v[i]);
        }
        leave(w, ']', outer);
        return;
    }
    case V_REC: {
        /* Labelled blocks can repeat a key (`X a { }`, `X b { }`): jansson kept
         * the key's first place and its last value, as strmap_set() does. */
        StrMap *m = strmap_new(w->h->arena);
        for (size_t i = 0; i < v->rec->n; i++) strmap_set(m, v->rec->fields[i].key, v->rec->fields[i].value);
        bool outer = enter(w, '{');
        for (size_t i = 0; i < strmap_count(m); i++) {
            key_str(w, strmap_key_at(m, i));
            value_json(w, strmap_val_at(m, i));
        }
        leave(w, '}', outer);
        return;
    }
    case V_RANGE: str(w, value_text(w->h->arena, v)); return;
    case V_CALL: {
        bool outer = enter(w, '{');
        key(w, LIT("\"call\": "));
        str(w, v->call.fn);
        key(w, LIT("\"args\": "));
        bool args = enter(w, '[');
        for (size_t i = 0; i < v->call.n; i++) {
            next(w);
            value_json(w, v->call.args[i]);
        }
        leave(w, ']', args);
        leave(w, '}', outer);
        return;
    }
    case V_REF: str(w, v->ref.decl->name); return;
    case V_ERROR: put(w, LIT("null")); return;
    }
    put(w, LIT("null"));
}

static void put_STR(W *w, const char *k, size_t kn, const Ir_STR *f)
{
    if (!ir_set(f->p)) return;
    key(w, k, kn);
    bool outer = leaf_open(w);
    str(w, f->v);
    leaf_close(w, &f->p, outer);
}
static void put_BOOL(W *w, const char *k, size_t kn, const Ir_BOOL *f)
{
    if (!ir_set(f->p)) return;
    key(w, k, kn);
    bool outer = leaf_open(w);
    boolean(w, f->v);
    leaf_close(w, &f->p, outer);
}
static void put_INT(W *w, const char *k, size_t kn, const Ir_INT *f)
{
    if (!ir_set(f->p)) return;
    key(w, k, kn);
    bool outer = leaf_open(w);
    integer(w, f->v);
    leaf_close(w, &f->p, outer);
}
static void put_QTY(W *w, const char *k, size_t kn, const Ir_QTY *f)
{
    if (!ir_set(f->p)) return;
    char buf[128];
    key(w, k, kn);
    bool outer = leaf_open(w);
    str(w, rat_format(f->v, buf, sizeof buf));
    if (f->unit) {
        key(w, LIT("\"unit\": "));
        str(w, f->unit);
    }
    leaf_close(w, &f->p, outer);
}
static void put_STRS(W *w, const char *k, size_t kn, const Ir_STRS *f)
{
    if (!ir_set(f->p)) return;
    key(w, k, kn);
    bool outer = enter(w, '[');
    for (size_t i = 0; i < f->n; i++) {
        next(w);
        bool o = leaf_open(w);
        str(w, f->v[i].v);
        leaf_close(w, &f->v[i].p, o);
    }
    leave(w, ']', outer);
}
static void put_KV(W *w, const char *k, size_t kn, const Ir_KV *f)
{
    if (!ir_set(f->p)) return;
    key(w, k, kn);
    bool outer = enter(w, '{');
    for (size_t i = 0; i < f->n; i++) {
        key_str(w, f->v[i].key); /* unique: lowering takes them from one record's unlabelled fields */
        bool o = leaf_open(w);
        value_json(w, f->v[i].v);
        leaf_close(w, &f->v[i].p, o);
    }
    leave(w, '}', outer);
}
static void put_RAW(W *w, const char *k, size_t kn, const Ir_RAW *f)
{
    if (!ir_set(f->p)) return;
    key(w, k, kn);
    bool outer = leaf_open(w);
    value_json(w, f->v);
    leaf_close(w, &f->p, outer);
}

#define IR_STRUCT(T) static void json_##T(W *w, const Ir##T *x);
#define IR_FIELD(T, name, kind)
#define IR_OBJ(T, name, U)
#define IR_LIST(T, name, U)
#define IR_END(T)
#include "ir.def"
#undef IR_STRUCT
#undef IR_FIELD
#undef IR_OBJ
#undef IR_LIST
#undef IR_END

#define IR_STRUCT(T)                           \
    static void json_##T(W *w, const Ir##T *x) \
    {                                          \
        bool outer_ = enter(w, '{');
#define IR_FIELD(T, name, kind) put_##kind(w, LIT("\"" #name "\": "), &x->name);
#define IR_OBJ(T, name, U)              \
    if (x->name) {                      \
        key(w, LIT("\"" #name "\": ")); \
        json_##U(w, x->name);           \
    }
#define IR_LIST(T, name, U)                           \
    {                                                 \
        key(w, LIT("\"" #name "\": "));               \
        bool list_ = enter(w, '[');                   \
        for (size_t i = 0; i < x->name.n; i++) {      \
            next(w);                                  \
            json_##U(w, x->name.v[i]);                \
        }                                             \
        leave(w, ']', list_);                         \
    }
#define IR_END(T)          \
    leave(w, '}', outer_); \
    }
#include "ir.def"
#undef IR_STRUCT
#undef IR_FIELD
#undef IR_OBJ
#undef IR_LIST
#undef IR_END

char *ir_to_json(Hpcc *h, const Ir *ir, const char *only)
{
    W w = {.h = h, .first = true};
    bool outer = enter(&w, '{');
    for (size_t i = 0; i < ir->n; i++) {
        const IrCluster *cl = ir->clusters[i];
        if (only && strcmp(only, cl->name.v) != 0) continue;
        key_str(&w, cl->name.v);
        json_Cluster(&w, cl);
    }
    leave(&w, '}', outer);
    buf_put(&w.b, "\n", 1);
    return w.b.p;
}

/* Sums node counts of a partition. */
static int64_t max_nodes_of(const IrPartition *p)
{
    int64_t n = 0;
    for (size_t i = 0; i < p->nodes.n; i++) n += p->nodes.v[i]->max_count.v;
    return n;
}

char *ir_summary(Hpcc *h, const Ir *ir, const char *only)
{
    Buf b = {0};
    for (size_t i = 0; i < ir->n; i++) {
        const IrCluster *c = ir->clusters[i];
        if (only && strcmp(only, c->name.v) != 0) continue;
        int64_t nodes = 0;
        size_t groups = 0;
        for (size_t k = 0; k < c->partitions.n; k++) {
            nodes += max_nodes_of(c->partitions.v[k]);
            groups += c->partitions.v[k]->nodes.n;
        }
        buf_printf(&b, "%s: ParallelCluster %s in %s, head %s, %zu partition%s (", c->name.v, c->pcluster.v,
                   c->region.v ? c->region.v : "?", c->head && c->head->instance.v ? c->head->instance.v : "?",
                   c->partitions.n, c->partitions.n == 1 ? "" : "s");
        for (size_t k = 0; k < c->partitions.n; k++)
            buf_printf(&b, "%s%s %lld", k ? ", " : "", c->partitions.v[k]->name.v, (long long)max_nodes_of(c->partitions.v[k]));
        buf_printf(&b, "), %zu node group%s, %lld nodes max", groups, groups == 1 ? "" : "s", (long long)nodes);
        for (size_t k = 0; k < c->storage.n; k++) {
            const IrStorage *s = c->storage.v[k];
            char q[96];
            buf_printf(&b, "%s%s %s", k ? ", " : "; storage ", s->label.v, s->type.v);
            if (ir_set(s->existing.p)) buf_printf(&b, " (existing)");
            else if (ir_set(s->capacity.p)) buf_printf(&b, " %s %s", rat_format(s->capacity.v, q, sizeof q), s->capacity.unit);
        }
        if (c->image)
            buf_printf(&b, "; image %s with %zu component%s", c->image->name.v, c->image->components.n,
                       c->image->components.n == 1 ? "" : "s");
        buf_putc(&b, '\n');
    }
    char *s = arena_strdup(h->arena, b.p ? b.p : "");
    buf_free(&b);
    return s;
}
