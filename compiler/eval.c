/* eval.c — modules, name resolution and evaluation of expressions and blocks.
 *
 * Decisions:
 * - One namespace per module for lets, types, components, profiles and
 *   clusters; names may be used before they are declared. A `use std.a.b`
 *   binds the alias `b`; `b.x` names declaration x of that module.
 * - A dotted word resolves if its first part names a declaration or module
 *   alias: `hpc_net.subnet` reads a field of a let's block, `bb5.cpu` a
 *   profile. Any other word is just a word (an enum value such as lz4, or an
 *   instance type such as c7a.48xlarge): whether a word fits is the field's
 *   business (lower.c), which suggests close declaration names when it does
 *   not. Inside "${...}" the name must resolve.
 * - Lets are evaluated on first use and once; a let that depends on itself is
 *   an error. References nest at most EVAL_MAX_DEPTH deep.
 * - Records merge (extends, defaults, `+`) field by field: a `key { }` block
 *   merges into the inherited block of the same key and labels, `+=` adds to
 *   the inherited value, `=` replaces it. A key (with its labels) may appear
 *   once per block. */
#include "eval.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parser.h"
#include "pattern.h"
#include "source.h"
#include "stdmods.h"

enum { EVAL_MAX_DEPTH = 200 };

struct Modules {
    StrMap *byname;
    VEC(Module *) list;
    int depth;           /* of nested declaration evaluation */
};

static const Span NOSPAN = {0, 0, 0};

static struct Modules *mods(Hpcc *h)
{
    if (!h->modules) {
        h->modules = NEW(h->arena, struct Modules);
        h->modules->byname = strmap_new(h->arena);
    }
    return h->modules;
}

/* ---- loading ---------------------------------------------------------------------- */

static Module *load_std(Hpcc *h, const char *name, Span at);

static void collect(Hpcc *h, Module *m)
{
    m->decls = strmap_new(h->arena);
    m->uses = strmap_new(h->arena);
    for (size_t i = 0; i < m->ast->items.n; i++) {
        Node *it = m->ast->items.v[i];
        if (it->kind == N_USE) {
            if (!it->use.path) continue;
            Module *u = load_std(h, it->use.path, it->use.path_span);
            if (!u) continue;
            Module *prev = strmap_put_new(m->uses, u->alias, u);
            if (prev && prev != u) {
                Diag *d = diag(h, D_DUPLICATE_DECL, it->use.path_span, "module alias '%s' is already in use", u->alias);
                diag_note(d, NOSPAN, "'%s' and '%s' both end in '%s'", prev->name, u->name, u->alias);
            }
            continue;
        }
        Decl *d = NEW(h->arena, Decl);
        d->node = it;
        d->mod = m;
        switch (it->kind) {
        case N_LET: d->kind = DK_LET, d->name = it->let.name, d->name_span = it->let.name_span; break;
        case N_TYPE: d->kind = DK_TYPE, d->name = it->type.name, d->name_span = it->type.name_span; break;
        case N_DECL:
            if (!it->decl.keyword || !it->decl.name) continue;
            d->name = it->decl.name;
            d->name_span = it->decl.name_span;
            d->kind = str_eq(it->decl.keyword, "cluster")     ? DK_CLUSTER
                      : str_eq(it->decl.keyword, "component") ? DK_COMPONENT
                      : str_eq(it->decl.keyword, "policy")    ? DK_POLICY
                                                              : DK_PROFILE;
            break;
        default: continue;
        }
        if (!d->name) continue; /* a parse error, already reported */
        Decl *prev = strmap_put_new(m->decls, d->name, d);
        if (prev) {
            Diag *g = diag(h, D_DUPLICATE_DECL, d->name_span, "'%s' is already declared", d->name);
            diag_note(g, prev->name_span, "'%s' was first declared here", d->name);
        }
    }
    /* An alias that shadows a declaration would make `x.y` ambiguous. */
    for (size_t i = 0; i < strmap_count(m->uses); i++) {
        const char *alias = strmap_key_at(m->uses, i);
        Decl *d = strmap_get(m->decls, alias);
        if (d) {
            Diag *g = diag(h, D_DUPLICATE_DECL, d->name_span, "'%s' is already the name of a module in use", alias);
            diag_note(g, NOSPAN, "rename the declaration: '%s.x' must mean one thing", alias);
        }
    }
}

static Module *new_module(Hpcc *h, const char *name, const char *alias, uint32_t file)
{
    Module *m = NEW(h->arena, Module);
    m->name = arena_strdup(h->arena, name);
    m->alias = alias ? arena_strdup(h->arena, alias) : NULL;
    m->file = file;
    strmap_set(mods(h)->byname, m->name, m);
    VPUSH(h->arena, mods(h)->list, m);
    return m;
}

static const char *std_names_suggest(Hpcc *h, const char *name)
{
    const char *c[128];
    size_t n = 0;
    for (size_t i = 0; STDLIB_FILES[i].path && n < 128; i++) {
        const char *p = STDLIB_FILES[i].path;
        size_t l = strlen(p) - 4; /* ".hpc" */
        if (strlen(p) < 4 || strcmp(p + l, ".hpc") != 0) continue; /* data files are not modules */
        char *s = arena_printf(h->arena, "std.%.*s", (int)l, p);
        for (char *q = s; *q; q++)
            if (*q == '/') *q = '.';
        c[n++] = s;
    }
    return closest_name(name, c, n);
}

/* `use std.a.b` reads stdlib/a/b.hpc (built in, or from --stdlib DIR). */
static Module *load_std(Hpcc *h, const char *name, Span at)
{
    Module *m = strmap_get(mods(h)->byname, name);
    if (m) return m;
    if (!str_has_prefix(name, "std.") || strlen(name) < 5) {
        Diag *d = diag(h, D_UNKNOWN_MODULE, at, "unknown module '%s'", name);
        diag_note(d, NOSPAN, "only standard library modules can be used, e.g. use std.aws");
        return NULL;
    }
    char *rel = arena_printf(h->arena, "%s.hpc", name + 4);
    for (char *q = rel; *q; q++)
        if (*q == '.' && strcmp(q, ".hpc") != 0) *q = '/';
    const char *text = NULL;
    size_t len = 0;
    char *shown;
    if (h->stdlib_dir) {
        shown = arena_printf(h->arena, "%s/%s", h->stdlib_dir, rel);
        const char *err;
        text = read_file(h->arena, shown, &len, &err, READ_REGULAR);
    } else {
        shown = arena_printf(h->arena, "std/%s", rel);
        for (size_t i = 0; STDLIB_FILES[i].path; i++)
            if (strcmp(STDLIB_FILES[i].path, rel) == 0) {
                text = STDLIB_FILES[i].text;
                len = STDLIB_FILES[i].len;
            }
    }
    if (!text) {
        Diag *d = diag(h, D_UNKNOWN_MODULE, at, "unknown module '%s'", name);
        const char *s = h->stdlib_dir ? NULL : std_names_suggest(h, name);
        if (s) diag_note(d, NOSPAN, "did you mean '%s'?", s);
        else if (h->stdlib_dir) diag_note(d, NOSPAN, "no file %s", shown);
        return NULL;
    }
    uint32_t file = source_add(h, shown, arena_printf(h->arena, "std/%s", rel), text, len);
    const char *alias = strrchr(name, '.') + 1;
    m = new_module(h, name, alias, file);
    m->ast = parse_file(h, file);
    collect(h, m);
    return m;
}

Module *eval_load(Hpcc *h, uint32_t file)
{
    Module *m = new_module(h, "main", NULL, file);
    m->ast = parse_file(h, file);
    /* std.aws defines the id types the compiler checks; it is always loaded. */
    if (!diag_too_many(h)) load_std(h, "std.aws", NOSPAN);
    collect(h, m);
    return m;
}

/* ---- lookup ------------------------------------------------------------------------- */

Decl *module_find(Module *m, const char *name) { return strmap_get(m->decls, name); }

size_t module_decls(Module *m, DeclKind kind, Decl **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < strmap_count(m->decls); i++) {
        Decl *d = strmap_val_at(m->decls, i);
        if (d->kind == kind) {
            if (n < cap) out[n] = d;
            n++;
        }
    }
    return n;
}

const char *module_suggest(Module *m, const char *word)
{
    size_t n = strmap_count(m->decls) + strmap_count(m->uses);
    if (n > 4096) return NULL;
    const char **c = malloc(n ? n * sizeof *c : 1);
    if (!c) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < strmap_count(m->decls); i++) c[k++] = strmap_key_at(m->decls, i);
    for (size_t i = 0; i < strmap_count(m->uses); i++) c[k++] = strmap_key_at(m->uses, i);
    const char *best = closest_name(word, c, k);
    free(c);
    return best;
}

/* ---- evaluation ------------------------------------------------------------------------- */

static Value *eval_expr(Hpcc *h, Module *m, Node *n);
/* `scope` is the whole entry the block belongs to (`head { ... }`, with its key
 * and names): what an allow inside the block governs. */
static Record *eval_block(Hpcc *h, Module *m, Block *b, const char *type, Span type_span, Span scope);
static Value *eval_decl(Hpcc *h, Decl *d, Span use);

static Value *err_value(Hpcc *h, Span s) { return value_new(h->arena, V_ERROR, s); }

static Value *copy_value(Hpcc *h, const Value *v)
{
    Value *c = NEW(h->arena, Value);
    *c = *v;
    return c;
}

/* Field access for the parts after a resolved name: `hpc_net.subnet`. */
static Value *member(Hpcc *h, Value *v, const char *path, Span at, const char *so_far)
{
    while (*path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        char *seg = arena_strndup(h->arena, path, n);
        if (v->kind == V_ERROR) return v;
        if (v->kind != V_REC) {
            diag(h, D_TYPE_MISMATCH, at, "'%s' is %s, which has no field '%s'", so_far, value_describe(h->arena, v), seg);
            return err_value(h, at);
        }
        Field *f = record_get(v->rec, seg);
        if (!f || f->cmp != T_EOF) {
            Diag *d = diag(h, D_UNDEFINED_NAME, at, "'%s' has no field '%s'", so_far, seg);
            const char *c[256];
            size_t k = 0;
            for (size_t i = 0; i < v->rec->n && k < 256; i++)
                if (v->rec->fields[i].nlabels == 0) c[k++] = v->rec->fields[i].key;
            const char *best = closest_name(seg, c, k);
            if (best) diag_note(d, NOSPAN, "did you mean '%s.%s'?", so_far, best);
            return err_value(h, at);
        }
        v = f->value;
        so_far = arena_printf(h->arena, "%s.%s", so_far, seg);
        path = dot ? dot + 1 : path + n;
    }
    return v;
}

/* Resolves a (dotted) word. With must=false an unknown first part makes it a
 * plain word; with must=true that is an error. */
static Value *resolve(Hpcc *h, Module *m, const char *text, Span at, bool must)
{
    const char *dot = strchr(text, '.');
    size_t n = dot ? (size_t)(dot - text) : strlen(text);
    char *head = arena_strndup(h->arena, text, n);
    Decl *d = strmap_get(m->decls, head);
    const char *rest = dot ? dot + 1 : "";
    const char *so_far = head;
    if (!d) {
        Module *u = strmap_get(m->uses, head);
        if (u && *rest) {
            const char *dot2 = strchr(rest, '.');
            size_t n2 = dot2 ? (size_t)(dot2 - rest) : strlen(rest);
            char *name = arena_strndup(h->arena, rest, n2);
            d = strmap_get(u->decls, name);
            if (!d) {
                Diag *g = diag(h, D_UNDEFINED_NAME, at, "module '%s' has no '%s'", u->name, name);
                const char *best = module_suggest(u, name);
                if (best) diag_note(g, NOSPAN, "did you mean '%s.%s'?", head, best);
                return err_value(h, at);
            }
            so_far = arena_printf(h->arena, "%s.%s", head, name);
            rest = dot2 ? dot2 + 1 : "";
        } else if (u) {
            diag(h, D_TYPE_MISMATCH, at, "'%s' is a module, not a value", head);
            return err_value(h, at);
        }
    }
    if (!d) {
        if (!must) {
            Value *w = value_new(h->arena, V_WORD, at);
            w->str.s = text;
            w->str.len = strlen(text);
            return w;
        }
        Diag *g = diag(h, D_UNDEFINED_NAME, at, "unknown name '%s'", head);
        const char *best = module_suggest(m, head);
        if (best) diag_note(g, NOSPAN, "did you mean '%s'?", best);
        return err_value(h, at);
    }
    d->used = true;
    Value *v;
    if (d->kind == DK_LET) {
        v = eval_decl(h, d, at);
    } else {
        v = value_new(h->arena, V_REF, at);
        v->ref.decl = d;
        if (*rest) v = eval_decl(h, d, at); /* component.version etc. */
    }
    return *rest ? member(h, v, rest, at, so_far) : v;
}

static const char *interp_text(Hpcc *h, Value *v, Span at, size_t *len)
{
    char buf[128];
    switch (v->kind) {
    case V_STR:
    case V_WORD: *len = v->str.len; return v->str.s;
    case V_NUM:
        if (!v->num.unit) {
            const char *s = arena_strdup(h->arena, rat_format(v->num.v, buf, sizeof buf));
            *len = strlen(s);
            return s;
        }
        break;
    case V_BOOL: *len = v->b ? 4 : 5; return v->b ? "true" : "false";
    case V_ERROR: return NULL;
    default: break;
    }
    Diag *d = diag(h, D_TYPE_MISMATCH, at, "cannot put %s into a string", value_describe(h->arena, v));
    diag_label(d, "only strings, words, plain numbers and booleans can be interpolated");
    return NULL;
}

/* A key written into the spec is an error, never a warning: specs and their
 * output live in git. Looks for private keys and AWS access keys in every
 * string, raw string and file() the spec holds. */
static void scan_secrets(Hpcc *h, const char *s, size_t n, Span at)
{
    const char *end = s + n;
    for (const char *p = s; p < end; p++) {
        if (*p == '-' && end - p > 11 && memcmp(p, "-----BEGIN ", 11) == 0) {
            const char *eol = memchr(p, '\n', (size_t)(end - p));
            size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
            const char *k = p + 11;
            bool priv = false;
            for (const char *q = k; q + 11 <= p + len; q++)
                if (memcmp(q, "PRIVATE KEY", 11) == 0) priv = true;
            if (priv) {
                Diag *d = diag(h, D_LITERAL_SECRET, at, "a private key must not be written in the spec");
                diag_label(d, "the spec and its output are committed to git");
                diag_note(d, NOSPAN, "keep keys in AWS Secrets Manager and refer to them by ARN (secret(\"arn:...\"))");
                return;
            }
        }
        if ((*p == 'A') && end - p >= 20 && (memcmp(p, "AKIA", 4) == 0 || memcmp(p, "ASIA", 4) == 0) &&
            (p == s || !(isalnum((unsigned char)p[-1])))) {
            size_t k = 4;
            while (k < 20 && ((p[k] >= 'A' && p[k] <= 'Z') || (p[k] >= '0' && p[k] <= '9'))) k++;
            if (k == 20 && (p + 20 == end || !isalnum((unsigned char)p[20]))) {
                Diag *d = diag(h, D_LITERAL_SECRET, at, "an AWS access key must not be written in the spec");
                diag_label(d, "'%.4s...' is an access key id; its secret would be next to it", p);
                diag_note(d, NOSPAN, "give the nodes an IAM role (policies = [...]) instead of keys");
                return;
            }
        }
    }
}

static Value *eval_string(Hpcc *h, Module *m, Node *n)
{
    Buf b = {0};
    bool ok = true, unverified = false;
    for (size_t i = 0; i < n->str.n; i++) {
        StrPart *p = &n->str.parts[i];
        if (!p->is_ref) {
            buf_put(&b, p->text, p->len);
            continue;
        }
        Value *v = resolve(h, m, p->text, p->span, true);
        size_t len = 0;
        const char *s = interp_text(h, v, p->span, &len);
        if (!s) {
            ok = false;
            continue;
        }
        unverified |= v->unverified;
        buf_put(&b, s, len);
    }
    Value *v = value_new(h->arena, ok ? V_STR : V_ERROR, n->span);
    v->str.s = arena_strndup(h->arena, b.p ? b.p : "", b.n);
    v->str.len = b.n;
    v->unverified = unverified;
    buf_free(&b);
    scan_secrets(h, v->str.s, v->str.len, n->span);
    return v;
}

static const char *op_text(TokKind k)
{
    switch (k) {
    case T_PLUS: return "+";
    case T_MINUS: return "-";
    case T_STAR: return "*";
    case T_SLASH: return "/";
    default: return "?";
    }
}

static Value *arith(Hpcc *h, TokKind op, Value *a, Value *b, Span at)
{
    if (a->kind == V_ERROR || b->kind == V_ERROR) return err_value(h, at);
    char da[64], db[64];
    if (a->kind != V_NUM || b->kind != V_NUM) {
        diag(h, D_TYPE_MISMATCH, at, "cannot compute %s %s %s", value_describe(h->arena, a), op_text(op),
             value_describe(h->arena, b));
        return err_value(h, at);
    }
    Value *r = value_new(h->arena, V_NUM, at);
    r->unverified = a->unverified || b->unverified;
    bool ok = true;
    switch (op) {
    case T_PLUS:
    case T_MINUS:
        if (!dim_eq(a->num.dim, b->num.dim)) {
            Diag *d = diag(h, D_UNIT_MISMATCH, at, "cannot %s %s and %s", op == T_PLUS ? "add" : "subtract",
                           value_describe(h->arena, a), value_describe(h->arena, b));
            diag_label(d, "%s and %s have different units", dim_describe(a->num.dim, da, sizeof da),
                       dim_describe(b->num.dim, db, sizeof db));
            return err_value(h, at);
        }
        ok = op == T_PLUS ? rat_add(a->num.v, b->num.v, &r->num.v) : rat_sub(a->num.v, b->num.v, &r->num.v);
        r->num.dim = a->num.dim;
        r->num.unit = a->num.unit ? a->num.unit : b->num.unit;
        break;
    case T_STAR:
        ok = rat_mul(a->num.v, b->num.v, &r->num.v) && dim_mul(a->num.dim, b->num.dim, &r->num.dim);
        r->num.unit = !b->num.unit ? a->num.unit : !a->num.unit ? b->num.unit : NULL;
        break;
    case T_SLASH:
        if (b->num.v.num == 0) {
            diag(h, D_ARITHMETIC, b->span, "division by zero");
            return err_value(h, at);
        }
        ok = rat_div(a->num.v, b->num.v, &r->num.v) && dim_div(a->num.dim, b->num.dim, &r->num.dim);
        r->num.unit = !b->num.unit ? a->num.unit : dim_eq(r->num.dim, DIM_NONE) ? NULL : NULL;
        break;
    default: HPCC_ASSERT(0);
    }
    if (!ok) {
        diag(h, D_ARITHMETIC, at, "arithmetic overflow");
        return err_value(h, at);
    }
    /* A unit only describes a value of its own dimension; else show the base unit. */
    if (r->num.unit && !dim_eq(r->num.unit->dim, r->num.dim)) r->num.unit = NULL;
    if (!r->num.unit && !dim_is_none(r->num.dim)) r->num.unit = dim_default_unit(r->num.dim);
    if (!r->num.unit && !dim_is_none(r->num.dim)) {
        diag(h, D_UNIT_MISMATCH, at, "the result has a unit hpcc cannot express (%s)",
             dim_describe(r->num.dim, da, sizeof da));
        return err_value(h, at);
    }
    return r;
}

static Value *add_lists(Hpcc *h, Value *a, Value *b, Span at)
{
    Value *r = value_new(h->arena, V_LIST, at);
    r->list.n = a->list.n + b->list.n;
    r->list.v = arena_alloc(h->arena, (r->list.n + 1) * sizeof(Value *));
    if (a->list.n) memcpy(r->list.v, a->list.v, a->list.n * sizeof(Value *));
    if (b->list.n) memcpy(r->list.v + a->list.n, b->list.v, b->list.n * sizeof(Value *));
    return r;
}

Value *value_add(Hpcc *h, Value *a, Value *b, Span at)
{
    if (a->kind == V_ERROR || b->kind == V_ERROR) return err_value(h, at);
    if (a->kind == V_LIST && b->kind == V_LIST) return add_lists(h, a, b, at);
    if (a->kind == V_REC && b->kind == V_REC) {
        Value *r = value_new(h->arena, V_REC, at);
        r->rec = record_merge(h, a->rec, b->rec);
        return r;
    }
    if (a->kind == V_STR && b->kind == V_STR) {
        Value *r = value_new(h->arena, V_STR, at);
        r->str.len = a->str.len + b->str.len;
        char *s = arena_alloc(h->arena, r->str.len + 1);
        memcpy(s, a->str.s, a->str.len);
        memcpy(s + a->str.len, b->str.s, b->str.len);
        r->str.s = s;
        r->unverified = a->unverified || b->unverified;
        return r;
    }
    if (a->kind == V_NUM && b->kind == V_NUM) return arith(h, T_PLUS, a, b, at);
    Diag *d = diag(h, D_TYPE_MISMATCH, at, "cannot add %s and %s", value_describe(h->arena, a), value_describe(h->arena, b));
    diag_label(d, "'+' joins two lists, two blocks, two strings or two numbers of the same unit");
    return err_value(h, at);
}

static bool arg_str(Hpcc *h, Node *call, Value *v, const char *what)
{
    if (v->kind == V_STR) return true;
    if (v->kind != V_ERROR)
        diag(h, D_BAD_CALL, v->span, "%s() expects %s as a string, found %s", call->call.fn, what,
             value_describe(h->arena, v));
    return false;
}

static Value *eval_call(Hpcc *h, Module *m, Node *n)
{
    const char *fn = n->call.fn;
    size_t na = n->call.args.n;
    Value **args = arena_alloc(h->arena, (na + 1) * sizeof *args);
    for (size_t i = 0; i < na; i++) args[i] = eval_expr(h, m, n->call.args.v[i]);
    Value *v = value_new(h->arena, V_CALL, n->span);
    v->call.fn = fn;
    v->call.args = args;
    v->call.n = na;
    if (strcmp(fn, "script") == 0) {
        if (na == 0) {
            diag(h, D_BAD_CALL, n->span, "script() needs the script: script(\"s3://bucket/key\", args...)");
            return err_value(h, n->span);
        }
        bool ok = arg_str(h, n, args[0], "the script's URL or path");
        for (size_t i = 1; i < na; i++)
            if (args[i]->kind != V_STR && args[i]->kind != V_ERROR) {
                Diag *d = diag(h, D_BAD_CALL, args[i]->span, "script() arguments must be strings, found %s",
                               value_describe(h->arena, args[i]));
                diag_label(d, "quote it: arguments are passed to the script as text");
                ok = false;
            } else if (args[i]->kind == V_ERROR) {
                ok = false;
            }
        return ok ? v : err_value(h, n->span);
    }
    if (strcmp(fn, "new_secret") == 0) {
        if (na != 1) {
            diag(h, D_BAD_CALL, n->span, "new_secret() takes one argument, the secret's name (found %zu)", na);
            return err_value(h, n->span);
        }
        return arg_str(h, n, args[0], "the secret's name") ? v : err_value(h, n->span);
    }
    if (strcmp(fn, "secret") == 0) {
        if (na != 1) {
            diag(h, D_BAD_CALL, n->span, "secret() takes one argument, the secret's ARN (found %zu)", na);
            return err_value(h, n->span);
        }
        return arg_str(h, n, args[0], "the secret's ARN") ? v : err_value(h, n->span);
    }
    if (strcmp(fn, "file") == 0) {
        if (na != 1) {
            diag(h, D_BAD_CALL, n->span, "file() takes one argument, a path relative to the spec (found %zu)", na);
            return err_value(h, n->span);
        }
        if (!arg_str(h, n, args[0], "a path")) return err_value(h, n->span);
        const char *rel = args[0]->str.s;
        SourceFile *sf = source_get(h, n->span.file);
        const char *dir = h->spec_dir ? h->spec_dir : ".";
        if (str_has_prefix(sf->rel, "std/")) {
            diag(h, D_BAD_CALL, n->span, "file() cannot be used in a stdlib module");
            return err_value(h, n->span);
        }
        char *path = rel[0] == '/' ? arena_strdup(h->arena, rel) : arena_printf(h->arena, "%s/%s", dir, rel);
        const char *err;
        size_t len;
        char *text = read_file(h->arena, path, &len, &err, READ_REGULAR);
        if (!text) {
            diag(h, D_FILE_ERROR, args[0]->span, "cannot read '%s': %s", rel, err);
            return err_value(h, n->span);
        }
        for (size_t i = 0; i < len;) {
            size_t adv;
            int32_t cp = utf8_decode((const unsigned char *)text + i, len - i, &adv);
            if (cp <= 0) {
                diag(h, D_FILE_ERROR, args[0]->span, "'%s' is not UTF-8 text (byte 0x%02X at offset %zu)", rel,
                     (unsigned char)text[i], i);
                return err_value(h, n->span);
            }
            i += adv;
        }
        Value *s = value_new(h->arena, V_STR, n->span);
        s->str.s = text;
        s->str.len = len;
        s->str.file = rel;
        scan_secrets(h, text, len, n->span);
        return s;
    }
    if (strcmp(fn, "unverified") == 0) {
        if (na < 1 || na > 2 || (na == 2 && args[1]->kind != V_STR)) {
            diag(h, D_BAD_CALL, n->span, "unverified() takes a value and an optional note: unverified(384 GiB, \"why\")");
            return err_value(h, n->span);
        }
        Value *c = copy_value(h, args[0]);
        c->unverified = true;
        c->note = na == 2 ? args[1]->str.s : NULL;
        return c;
    }
    static const char *const fns[] = {"script", "secret", "new_secret", "file", "unverified"};
    Diag *d = diag(h, D_BAD_CALL, n->call.fn_span, "unknown function '%s'", fn);
    const char *best = closest_name(fn, fns, 5);
    if (best) diag_note(d, NOSPAN, "did you mean '%s'?", best);
    else diag_note(d, NOSPAN, "the functions are script, secret, new_secret, file and unverified");
    return err_value(h, n->span);
}

static Value *eval_expr(Hpcc *h, Module *m, Node *n)
{
    switch (n->kind) {
    case N_NAME: return resolve(h, m, n->name.text, n->span, false);
    case N_NUMBER:
    case N_QUANTITY: {
        Value *v = value_new(h->arena, V_NUM, n->span);
        v->num.dim = n->num.unit ? n->num.unit->dim : DIM_NONE;
        v->num.unit = n->num.unit;
        v->num.v = n->num.v;
        if (n->num.unit && !unit_to_base(n->num.v, n->num.unit, &v->num.v)) {
            diag(h, D_ARITHMETIC, n->span, "quantity too large");
            return err_value(h, n->span);
        }
        return v;
    }
    case N_STRING: return eval_string(h, m, n);
    case N_RAW: {
        Value *v = value_new(h->arena, V_STR, n->span);
        v->str.s = n->raw.text;
        v->str.len = n->raw.len;
        scan_secrets(h, v->str.s, v->str.len, n->span);
        return v;
    }
    case N_BOOL: {
        Value *v = value_new(h->arena, V_BOOL, n->span);
        v->b = n->boolean;
        return v;
    }
    case N_NONE: return value_new(h->arena, V_NONE, n->span);
    case N_LIST: {
        Value *v = value_new(h->arena, V_LIST, n->span);
        v->list.n = n->list.items.n;
        v->list.v = arena_alloc(h->arena, (v->list.n + 1) * sizeof(Value *));
        for (size_t i = 0; i < v->list.n; i++) v->list.v[i] = eval_expr(h, m, n->list.items.v[i]);
        return v;
    }
    case N_RECORD: {
        Value *v = value_new(h->arena, V_REC, n->span);
        v->rec = eval_block(h, m, n->rec.body, n->rec.type, n->rec.type_span, n->span);
        return v;
    }
    case N_CALL: return eval_call(h, m, n);
    case N_RANGE: {
        Value *lo = eval_expr(h, m, n->range.lo), *hi = eval_expr(h, m, n->range.hi);
        if (lo->kind == V_ERROR || hi->kind == V_ERROR) return err_value(h, n->span);
        if (lo->kind != V_NUM || hi->kind != V_NUM) {
            diag(h, D_TYPE_MISMATCH, n->span, "a range needs numbers at both ends, found %s",
                 value_describe(h->arena, lo->kind != V_NUM ? lo : hi));
            return err_value(h, n->span);
        }
        if (!dim_eq(lo->num.dim, hi->num.dim)) {
            diag(h, D_UNIT_MISMATCH, n->span, "the ends of a range have different units: %s and %s",
                 value_describe(h->arena, lo), value_describe(h->arena, hi));
            return err_value(h, n->span);
        }
        Value *v = value_new(h->arena, V_RANGE, n->span);
        v->range.lo = lo;
        v->range.hi = hi;
        return v;
    }
    case N_BINARY: {
        Value *a = eval_expr(h, m, n->bin.l), *b = eval_expr(h, m, n->bin.r);
        if (n->bin.op == T_PLUS) return value_add(h, a, b, n->span);
        return arith(h, n->bin.op, a, b, n->span);
    }
    case N_NEG: {
        Value *a = eval_expr(h, m, n->neg.e);
        if (a->kind == V_ERROR) return a;
        if (a->kind != V_NUM) {
            diag(h, D_TYPE_MISMATCH, n->span, "cannot negate %s", value_describe(h->arena, a));
            return err_value(h, n->span);
        }
        Value *v = copy_value(h, a);
        v->span = n->span;
        v->num.v = rat_neg(a->num.v);
        return v;
    }
    case N_ERROR: return err_value(h, n->span);
    default: break;
    }
    hpcc_die("internal error: eval_expr on %s", node_kind_name(n->kind));
}

/* "key" or "key label" or "key label label", the identity of a field in a block. */
static const char *field_id(Hpcc *h, const Field *f)
{
    if (f->nlabels == 0) return f->key;
    if (f->nlabels == 1) return arena_printf(h->arena, "%s\x1f%s", f->key, f->labels[0]);
    return arena_printf(h->arena, "%s\x1f%s\x1f%s", f->key, f->labels[0], f->labels[1]);
}

static const char *field_name(Hpcc *h, const Field *f)
{
    if (f->nlabels == 0) return f->key;
    if (f->nlabels == 1) return arena_printf(h->arena, "%s %s", f->key, f->labels[0]);
    return arena_printf(h->arena, "%s %s %s", f->key, f->labels[0], f->labels[1]);
}

static bool eval_label(Hpcc *h, Module *m, Node *l, const char **out, Span *span)
{
    *span = l->span;
    if (l->kind == N_NAME) {
        *out = l->name.text;
        return true;
    }
    Value *v = eval_string(h, m, l);
    if (v->kind != V_STR) return false;
    if (v->str.len == 0) {
        diag(h, D_BAD_VALUE, l->span, "a name cannot be empty");
        return false;
    }
    if (v->str.len > LEX_MAX_WORD) {
        diag(h, D_NAME_TOO_LONG, l->span, "name too long (limit is %d characters)", LEX_MAX_WORD);
        return false;
    }
    *out = v->str.s;
    return true;
}

static void eval_allow(Hpcc *h, Module *m, Node *e, Span scope)
{
    DiagCode code;
    if (!e->allow.id) return;
    if (!diag_lookup(e->allow.id, &code)) {
        Diag *d = diag(h, D_UNKNOWN_DIAG_ID, e->allow.id_span, "unknown warning id '%s'", e->allow.id);
        const char *ids[128];
        size_t n = diag_warning_ids(ids, 128);
        const char *best = closest_name(e->allow.id, ids, n);
        if (best) diag_note(d, NOSPAN, "did you mean '%s'?", best);
        return;
    }
    if (!diag_is_warning(code)) {
        Diag *d = diag(h, D_NOT_A_WARNING, e->allow.id_span, "'%s' is an error, not a warning", e->allow.id);
        diag_label(d, "only warnings can be %s", e->kind == N_ALLOW ? "allowed" : "denied");
        return;
    }
    const char *reason = NULL;
    if (e->kind == N_ALLOW) {
        if (!e->allow.reason) return;
        Value *r = eval_expr(h, m, e->allow.reason);
        if (r->kind != V_STR) return;
        size_t k = 0;
        while (k < r->str.len && (r->str.s[k] == ' ' || r->str.s[k] == '\t')) k++;
        if (k == r->str.len) {
            Diag *d = diag(h, D_BAD_VALUE, r->span, "the reason for `allow %s` is empty", e->allow.id);
            diag_label(d, "say why this warning does not apply here");
            return;
        }
        reason = r->str.s;
    }
    diag_add_scope(h, code, e->kind == N_DENY, reason, scope, e->span);
}

static Record *eval_block(Hpcc *h, Module *m, Block *b, const char *type, Span type_span, Span scope)
{
    Record *r = NEW(h->arena, Record);
    r->type = type;
    r->type_span = type_span;
    r->span = b->span;
    r->fields = arena_alloc(h->arena, (b->entries.n + 1) * sizeof(Field));
    StrMap *seen = b->entries.n > 8 ? strmap_new(h->arena) : NULL;
    for (size_t i = 0; i < b->entries.n; i++) {
        Node *e = b->entries.v[i];
        if (e->kind == N_ALLOW || e->kind == N_DENY) {
            eval_allow(h, m, e, span_join(scope, b->span));
            continue;
        }
        Field f;
        memset(&f, 0, sizeof f);
        f.span = e->span;
        f.cmp = T_EOF;
        bool ok = true;
        if (e->kind == N_ATTR) {
            f.key = e->attr.key;
            f.key_span = e->attr.key_span;
            f.nlabels = e->attr.nlabels;
            for (int k = 0; k < f.nlabels; k++) ok &= eval_label(h, m, e->attr.labels[k], &f.labels[k], &f.label_spans[k]);
            f.append = e->attr.append;
            f.value = eval_expr(h, m, e->attr.value);
            f.value_span = e->attr.value->span;
        } else if (e->kind == N_BLOCK) {
            f.key = e->block.key;
            f.key_span = e->block.key_span;
            f.nlabels = e->block.nlabels;
            for (int k = 0; k < f.nlabels; k++) ok &= eval_label(h, m, e->block.labels[k], &f.labels[k], &f.label_spans[k]);
            f.is_block = true;
            f.value_span = e->span;
            if (e->block.at) f.at = eval_expr(h, m, e->block.at);
            f.value = value_new(h->arena, V_REC, e->span);
            f.value->rec = e->block.body ? eval_block(h, m, e->block.body, NULL, NOSPAN, e->span)
                                         : eval_block(h, m, &(Block){e->span, {0}, {0, 0}}, NULL, NOSPAN, e->span);
        } else if (e->kind == N_CONSTRAINT) {
            f.key = e->cons.path;
            f.key_span = e->cons.path_span;
            f.cmp = e->cons.op;
            f.value = eval_expr(h, m, e->cons.value);
            f.value_span = e->cons.value->span;
        } else {
            continue;
        }
        if (!ok) continue;
        /* A key (with its labels) once per block. */
        const char *id = field_id(h, &f);
        Field *prev = NULL;
        if (seen) {
            size_t *idx = strmap_get(seen, id);
            if (idx) prev = &r->fields[*idx - 1];
        } else {
            for (size_t k = 0; k < r->n; k++)
                if (strcmp(field_id(h, &r->fields[k]), id) == 0) prev = &r->fields[k];
        }
        if (prev) {
            Diag *d = diag(h, D_DUPLICATE_FIELD, f.key_span, "'%s' is set twice in this block", field_name(h, &f));
            diag_note(d, prev->key_span, "first set here");
            continue;
        }
        r->fields[r->n++] = f;
        if (seen) {
            size_t *idx = NEW(h->arena, size_t);
            *idx = r->n;
            strmap_set(seen, id, idx);
        }
    }
    return r;
}

Record *record_merge(Hpcc *h, const Record *base, const Record *over)
{
    Record *r = NEW(h->arena, Record);
    r->type = over->type ? over->type : base->type;
    r->type_span = over->type ? over->type_span : base->type_span;
    r->span = over->span;
    r->fields = arena_alloc(h->arena, (base->n + over->n + 1) * sizeof(Field));
    memcpy(r->fields, base->fields, base->n * sizeof(Field));
    r->n = base->n;
    StrMap *idx = strmap_new(h->arena);
    for (size_t i = 0; i < r->n; i++) {
        size_t *k = NEW(h->arena, size_t);
        *k = i;
        strmap_set(idx, field_id(h, &r->fields[i]), k);
    }
    for (size_t i = 0; i < over->n; i++) {
        const Field *f = &over->fields[i];
        size_t *k = strmap_get(idx, field_id(h, f));
        if (!k) {
            r->fields[r->n++] = *f;
            continue;
        }
        Field *b = &r->fields[*k];
        Field merged = *f;
        if (f->is_block && b->is_block && b->value->kind == V_REC && f->value->kind == V_REC) {
            merged.value = value_new(h->arena, V_REC, f->value->span);
            merged.value->rec = record_merge(h, b->value->rec, f->value->rec);
            if (!f->at) merged.at = b->at;
        } else if (f->append) {
            merged.value = value_add(h, b->value, f->value, f->span);
            merged.append = false;
        }
        *b = merged;
    }
    return r;
}

/* ---- declarations ----------------------------------------------------------------------- */

static Value *eval_decl(Hpcc *h, Decl *d, Span use)
{
    if (d->state == 2) return d->value;
    if (d->state == 1) {
        Diag *g = diag(h, D_CYCLE, use.file ? use : d->name_span, "'%s' depends on itself", d->name);
        diag_note(g, d->name_span, "'%s' is declared here", d->name);
        return err_value(h, use);
    }
    struct Modules *ms = mods(h);
    if (ms->depth >= EVAL_MAX_DEPTH) {
        diag(h, D_CYCLE, use, "references nest too deep (limit is %d)", EVAL_MAX_DEPTH);
        return err_value(h, use);
    }
    ms->depth++;
    d->state = 1;
    Node *n = d->node;
    Value *v = NULL;
    switch (d->kind) {
    case DK_LET: v = n->let.value ? eval_expr(h, d->mod, n->let.value) : err_value(h, n->span); break;
    case DK_TYPE: {
        if (!n->type.pattern) {
            v = err_value(h, n->span);
            break;
        }
        v = eval_expr(h, d->mod, n->type.pattern);
        if (v->kind != V_STR) break;
        char err[256];
        size_t off = 0;
        const char *name = d->mod->alias ? arena_printf(h->arena, "%s.%s", d->mod->alias, d->name) : d->name;
        if (!h->stdlib_dir && str_has_prefix(source_get(h, n->span.file)->rel, "std/")) {
            pattern_define_builtin(h, name, v->str.s); /* compiled on first use */
        } else if (!pattern_define(h, name, v->str.s, err, sizeof err, &off)) {
            Diag *g = diag(h, D_BAD_PATTERN, n->type.pattern->span, "invalid pattern for type '%s': %s", d->name, err);
            diag_label(g, "at offset %zu of the regular expression", off);
        }
        break;
    }
    case DK_COMPONENT:
    case DK_PROFILE:
    case DK_POLICY:
    case DK_CLUSTER: {
        v = value_new(h->arena, V_REC, n->span);
        if (!n->decl.body) {
            v->kind = V_ERROR;
            break;
        }
        v->rec = eval_block(h, d->mod, n->decl.body, n->decl.keyword, n->span, n->span);
        if (n->decl.extends && (d->kind == DK_CLUSTER || d->kind == DK_PROFILE)) {
            Decl *base = strmap_get(d->mod->decls, n->decl.extends);
            const char *dot = strchr(n->decl.extends, '.');
            if (!base && dot) { /* bb5.gpu: a declaration of a module in use */
                Module *u = strmap_get(d->mod->uses, arena_strndup(h->arena, n->decl.extends, (size_t)(dot - n->decl.extends)));
                if (u) base = strmap_get(u->decls, dot + 1);
            }
            d->failed = true;
            if (base) base->used = true;
            if (!base) {
                Diag *g = diag(h, D_UNDEFINED_NAME, n->decl.extends_span, "unknown %s '%s'", n->decl.keyword, n->decl.extends);
                const char *best = module_suggest(d->mod, n->decl.extends);
                if (best) diag_note(g, NOSPAN, "did you mean '%s'?", best);
            } else if (base->kind != d->kind) {
                Diag *g = diag(h, D_BAD_EXTENDS, n->decl.extends_span, "'%s' is not a %s", base->name, n->decl.keyword);
                diag_note(g, base->name_span, "'%s' is declared here", base->name);
            } else {
                Value *bv = eval_decl(h, base, n->decl.extends_span);
                if (bv->kind == V_REC && !base->failed) {
                    v->rec = record_merge(h, bv->rec, v->rec);
                    d->failed = false;
                }
            }
        }
        break;
    }
    }
    d->value = v;
    d->state = 2;
    ms->depth--;
    return v;
}

void eval_resolve(Hpcc *h, Module *main)
{
    /* allow/deny at the top of the spec govern the whole file. */
    SourceFile *sf = source_get(h, main->file);
    Span whole = {main->file, 0, (uint32_t)sf->len};
    for (size_t i = 0; i < main->ast->items.n; i++) {
        Node *it = main->ast->items.v[i];
        if (it->kind == N_ALLOW || it->kind == N_DENY) eval_allow(h, main, it, whole);
    }
    /* Types first, in every module: the compiler checks values against them. */
    struct Modules *ms = mods(h);
    for (size_t i = 0; i < ms->list.n; i++) {
        Module *m = ms->list.v[i];
        for (size_t k = 0; k < strmap_count(m->decls); k++) {
            Decl *d = strmap_val_at(m->decls, k);
            if (d->kind == DK_TYPE) eval_decl(h, d, NOSPAN);
        }
    }
    for (size_t k = 0; k < strmap_count(main->decls); k++) eval_decl(h, strmap_val_at(main->decls, k), NOSPAN);
}

Value *eval_decl_value(Hpcc *h, Decl *d) { return eval_decl(h, d, NOSPAN); }

void eval_check_unused(Hpcc *h, Module *main)
{
    for (size_t k = 0; k < strmap_count(main->decls); k++) {
        Decl *d = strmap_val_at(main->decls, k);
        if (d->kind == DK_LET && !d->used) {
            Diag *g = diag(h, D_UNUSED_LET, d->name_span, "'%s' is never used", d->name);
            diag_label(g, "remove it, or use it");
        }
    }
}
