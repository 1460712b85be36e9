/* ir.c — `hpcc ir`: the IR as stable, pretty JSON, generated from ir.def.
 *
 * Each set field prints as {"value": ..., "from": ..., "at"|"by": ...}; unset
 * fields are left out. Quantities print as exact decimal strings with their
 * unit (a value that has no finite decimal expansion prints as "num/den").
 * Locations name files relative to the spec's directory, so the output does
 * not depend on where hpcc runs. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "source.h"
#include "value.h"

typedef struct JCtx {
    Hpcc *h;
} JCtx;

static void put_prov(JCtx *c, Json *o, const Prov *p)
{
    static const char *const names[] = {"unset", "spec", "default", "hpcc", "pass"};
    js_put(o, "from", js_str(names[p->origin]));
    if (p->span.file) js_put(o, "at", js_str(source_where(c->h, p->span, true)));
    if (p->by) js_put(o, "by", js_str(p->by));
    if (p->unverified) js_put(o, "unverified", js_bool(true));
    if (p->note) js_put(o, "note", js_str(p->note));
}

static Json *leaf(JCtx *c, Json *value, const Prov *p)
{
    Json *o = js_object();
    js_put(o, "value", value);
    put_prov(c, o, p);
    return o;
}

static Json *value_json(JCtx *c, const Value *v)
{
    char buf[128];
    switch (v->kind) {
    case V_NONE: return js_null();
    case V_BOOL: return js_bool(v->b);
    case V_NUM:
        if (!v->num.unit && rat_fits_i64(v->num.v)) return js_int(rat_to_i64(v->num.v));
        if (!v->num.unit) return js_str(rat_format(v->num.v, buf, sizeof buf));
        return js_str(value_text(c->h->arena, v));
    case V_STR:
    case V_WORD: return js_strn(v->str.s, v->str.len);
    case V_LIST: {
        Json *a = js_array();
        for (size_t i = 0; i < v->list.n; i++) js_append(a, value_json(c, v->list.v[i]));
        return a;
    }
    case V_REC: {
        Json *o = js_object();
        for (size_t i = 0; i < v->rec->n; i++) js_put(o, v->rec->fields[i].key, value_json(c, v->rec->fields[i].value));
        return o;
    }
    case V_RANGE: return js_str(value_text(c->h->arena, v));
    case V_CALL: {
        Json *o = js_object(), *a = js_array();
        for (size_t i = 0; i < v->call.n; i++) js_append(a, value_json(c, v->call.args[i]));
        js_put(o, "call", js_str(v->call.fn));
        js_put(o, "args", a);
        return o;
    }
    case V_REF: return js_str(v->ref.decl->name);
    case V_ERROR: return js_null();
    }
    return js_null();
}

static void put_STR(JCtx *c, Json *o, const char *k, const Ir_STR *f)
{
    if (ir_set(f->p)) js_put(o, k, leaf(c, js_str(f->v), &f->p));
}
static void put_BOOL(JCtx *c, Json *o, const char *k, const Ir_BOOL *f)
{
    if (ir_set(f->p)) js_put(o, k, leaf(c, js_bool(f->v), &f->p));
}
static void put_INT(JCtx *c, Json *o, const char *k, const Ir_INT *f)
{
    if (ir_set(f->p)) js_put(o, k, leaf(c, js_int(f->v), &f->p));
}
static void put_QTY(JCtx *c, Json *o, const char *k, const Ir_QTY *f)
{
    if (!ir_set(f->p)) return;
    char buf[128];
    Json *l = js_object();
    js_put(l, "value", js_str(rat_format(f->v, buf, sizeof buf)));
    if (f->unit) js_put(l, "unit", js_str(f->unit));
    put_prov(c, l, &f->p);
    js_put(o, k, l);
}
static void put_STRS(JCtx *c, Json *o, const char *k, const Ir_STRS *f)
{
    if (!ir_set(f->p)) return;
    Json *a = js_array();
    for (size_t i = 0; i < f->n; i++) js_append(a, leaf(c, js_str(f->v[i].v), &f->v[i].p));
    js_put(o, k, a);
}
static void put_KV(JCtx *c, Json *o, const char *k, const Ir_KV *f)
{
    if (!ir_set(f->p)) return;
    Json *m = js_object();
    for (size_t i = 0; i < f->n; i++) js_put(m, f->v[i].key, leaf(c, value_json(c, f->v[i].v), &f->v[i].p));
    js_put(o, k, m);
}
static void put_RAW(JCtx *c, Json *o, const char *k, const Ir_RAW *f)
{
    if (ir_set(f->p)) js_put(o, k, leaf(c, value_json(c, f->v), &f->p));
}

#define IR_STRUCT(T) static Json *json_##T(JCtx *c, const Ir##T *x);
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

#define IR_STRUCT(T)                                     \
    static Json *json_##T(JCtx *c, const Ir##T *x)       \
    {                                                    \
        Json *o = js_object();
#define IR_FIELD(T, name, kind) put_##kind(c, o, #name, &x->name);
#define IR_OBJ(T, name, U) \
    if (x->name) js_put(o, #name, json_##U(c, x->name));
#define IR_LIST(T, name, U)                                                             \
    {                                                                                   \
        Json *a = js_array();                                                           \
        for (size_t i = 0; i < x->name.n; i++) js_append(a, json_##U(c, x->name.v[i])); \
        js_put(o, #name, a);                                                            \
    }
#define IR_END(T) \
    return o;     \
    }
#include "ir.def"
#undef IR_STRUCT
#undef IR_FIELD
#undef IR_OBJ
#undef IR_LIST
#undef IR_END

char *ir_to_json(Hpcc *h, const Ir *ir, const char *only)
{
    JCtx c = {h};
    Json *root = js_object();
    for (size_t i = 0; i < ir->n; i++) {
        const IrCluster *cl = ir->clusters[i];
        if (only && strcmp(only, cl->name.v) != 0) continue;
        js_put(root, cl->name.v, json_Cluster(&c, cl));
    }
    char *s = js_dump_pretty(root);
    js_release(root);
    return s;
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
