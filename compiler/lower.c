/* lower.c — records to IR: the language's schema, field by field.
 *
 * Each block is read through an Rd ("reader"): typed getters fetch a field,
 * check its kind, unit and pattern, convert it to the IR field's canonical
 * unit and record where it came from; rd_close() reports every field no
 * getter asked for, with "did you mean". ParallelCluster's defaults are applied
 * to fields the spec leaves unset and marked ORIGIN_DEFAULT, so backends can
 * leave them out and passes can still read them.
 *
 * Spec spellings are lowercase words (persistent2, lz4, delete, lowest-price);
 * the IR holds ParallelCluster's (PERSISTENT_2, LZ4, Delete, lowest-price).
 * Enum words match ignoring case, '-' and '_', so both spellings are accepted. */
#include "lower.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pattern.h"
#include "source.h"

const char *const PCLUSTER_VERSIONS[] = {"3.11.0", "3.11.1", NULL};

static const Span NOSPAN = {0, 0, 0};

typedef struct L {
    Hpcc *h;
    Module *main;
    bool lenient;          /* a template: required fields are not required */
    const char *pc_by;     /* "ParallelCluster 3.11.1" */
    IrCluster *cl;
    StrMap *components;    /* name -> IrComponent*, lowered once per cluster */
    Decl *decl;            /* the cluster being lowered */
    Span defaults;         /* its `defaults` block, if any */
    const Value *cur;      /* the value rd_val last returned ... */
    Span cur_use;          /* ... and where the entry holding it wrote it, when that is elsewhere */
} L;

enum { MAX_ASKED = 96 };

typedef struct Rd {
    L *l;
    const Record *rec;
    const char *what;      /* "head", "partition 'debug'", ... */
    Span at;               /* where "missing field" points */
    bool *used;
    const char *asked[MAX_ASKED];
    size_t nasked;
} Rd;

/* ---- provenance ------------------------------------------------------------------ */

static Prov pv(const Value *v) { return (Prov){ORIGIN_SPEC, v->span, NULL, v->unverified, v->note}; }
static Prov pspan(Span s) { return (Prov){ORIGIN_SPEC, s, NULL, false, NULL}; }
static Prov pdef(L *l) { return (Prov){ORIGIN_DEFAULT, NOSPAN, l->pc_by, false, NULL}; }
static Prov phpcc(const char *by) { return (Prov){ORIGIN_HPCC, NOSPAN, by, false, NULL}; }

static void def_str(L *l, Ir_STR *f, const char *v)
{
    if (!ir_set(f->p)) f->v = v, f->p = pdef(l);
}
static void def_bool(L *l, Ir_BOOL *f, bool v)
{
    if (!ir_set(f->p)) f->v = v, f->p = pdef(l);
}
static void def_int(L *l, Ir_INT *f, int64_t v)
{
    if (!ir_set(f->p)) f->v = v, f->p = pdef(l);
}
static void def_qty(L *l, Ir_QTY *f, int64_t v, const char *unit)
{
    if (!ir_set(f->p)) f->v = rat_int(v), f->unit = unit, f->p = pdef(l);
}

/* ---- readers ------------------------------------------------------------------------ */

static void rd_open(Rd *r, L *l, const Record *rec, const char *what, Span at)
{
    memset(r, 0, sizeof *r);
    r->l = l;
    r->rec = rec;
    r->what = what;
    r->at = at;
    r->used = arena_alloc(l->h->arena, (rec->n + 1) * sizeof(bool));
}

static void rd_ask(Rd *r, const char *key)
{
    for (size_t i = 0; i < r->nasked; i++)
        if (strcmp(r->asked[i], key) == 0) return;
    HPCC_ASSERT(r->nasked < MAX_ASKED);
    r->asked[r->nasked++] = key;
}

/* The unlabelled, non-constraint field `key`, marked read; NULL if absent. */
static Field *rd_field(Rd *r, const char *key)
{
    rd_ask(r, key);
    for (size_t i = 0; i < r->rec->n; i++) {
        Field *f = &r->rec->fields[i];
        if (f->nlabels == 0 && f->cmp == T_EOF && strcmp(f->key, key) == 0) {
            r->used[i] = true;
            return f;
        }
    }
    return NULL;
}

static bool span_inside(Span in, Span out)
{
    return in.file && in.file == out.file && in.start >= out.start && in.end <= out.end;
}

static Value *rd_val(Rd *r, const char *key)
{
    Field *f = rd_field(r, key);
    if (!f) return NULL;
    r->l->cur = f->value;
    r->l->cur_use = span_inside(f->value->span, f->span) ? (Span){0, 0, 0} : f->value_span;
    return f->value;
}

/* Where to report a problem with `v`: where the entry uses it, when the value
 * itself was written elsewhere (a let); the note then points at the let. */
static Span use_of(L *l, const Value *v)
{
    return v == l->cur && l->cur_use.file ? l->cur_use : v->span;
}

static void origin_note(L *l, Diag *d, const Value *v)
{
    if (d && v == l->cur && l->cur_use.file && v->span.file) diag_note(d, v->span, "the value is written here");
}

static void rd_close(Rd *r)
{
    Hpcc *h = r->l->h;
    for (size_t i = 0; i < r->rec->n; i++) {
        if (r->used[i]) continue;
        Field *f = &r->rec->fields[i];
        bool known = false;
        for (size_t k = 0; k < r->nasked; k++)
            if (strcmp(r->asked[k], f->key) == 0) known = true;
        Diag *d;
        if (known && f->cmp != T_EOF) {
            d = diag(h, D_UNKNOWN_FIELD, f->key_span, "'%s' in %s takes a value, not a comparison", f->key, r->what);
            diag_label(d, "write %s = ...", f->key);
        } else if (known && f->nlabels) {
            d = diag(h, D_UNKNOWN_FIELD, f->label_spans[0], "'%s' in %s takes no name", f->key, r->what);
        } else if (known && f->is_block) {
            d = diag(h, D_UNKNOWN_FIELD, f->key_span, "'%s' in %s is a value, not a block", f->key, r->what);
            diag_label(d, "write %s = ...", f->key);
        } else {
            const char *what = span_inside(f->span, r->l->defaults) ? "defaults" : r->what;
            d = diag(h, D_UNKNOWN_FIELD, f->key_span, "unknown field '%s' in %s", f->key, what);
            const char *best = closest_name(f->key, r->asked, r->nasked);
            if (best) diag_note(d, NOSPAN, "did you mean '%s'?", best);
        }
    }
}

static void missing(Rd *r, const char *key, const char *example)
{
    if (r->l->lenient) return;
    for (size_t i = 0; i < r->rec->n; i++)
        if (strcmp(r->rec->fields[i].key, key) == 0) return; /* present but invalid: reported already */
    Diag *d = diag(r->l->h, D_MISSING_FIELD, r->at, "%s has no '%s'", r->what, key);
    if (example) diag_label(d, "add %s", example);
    /* A block of another cluster (a template, a parent): say which cluster inherits it. */
    Decl *c = r->l->decl;
    if (d && c && !span_inside(r->at, c->node->span)) {
        Module *m = r->l->main;
        for (size_t i = 0; i < strmap_count(m->decls); i++) {
            Decl *o = strmap_val_at(m->decls, i);
            if (o->kind == DK_CLUSTER && o != c && span_inside(r->at, o->node->span)) {
                diag_note(d, c->name_span, "in cluster '%s', which inherits this block", c->name);
                break;
            }
        }
    }
}

/* ---- type errors ---------------------------------------------------------------------- */

static void type_err(L *l, const Value *v, const char *key, const char *expected)
{
    if (v->kind == V_ERROR) return;
    Diag *d = diag(l->h, D_TYPE_MISMATCH, use_of(l, v), "'%s' expects %s, found %s", key, expected,
                   value_describe(l->h->arena, v));
    origin_note(l, d, v);
    if (v->kind == V_WORD) {
        const char *best = module_suggest(l->main, v->str.s);
        if (best) diag_note(d, NOSPAN, "did you mean '%s'?", best);
        else if (strstr(expected, "string")) diag_note(d, NOSPAN, "quote it: \"%s\"", value_text(l->h->arena, v));
    }
}

static const struct {
    const char *type, *human;
} PAT_NAMES[] = {
    {"aws.Region", "an AWS region"},
    {"aws.AccountId", "an AWS account id (12 digits)"},
    {"aws.SubnetId", "a subnet id"},
    {"aws.SecurityGroupId", "a security group id"},
    {"aws.AmiId", "an AMI id"},
    {"aws.InstanceType", "an EC2 instance type name"},
    {"aws.S3Uri", "an S3 URI (s3://bucket/key)"},
    {"aws.BucketName", "an S3 bucket name"},
    {"aws.IamPolicyArn", "an IAM policy ARN"},
    {"aws.IamRoleArn", "an IAM role ARN"},
    {"aws.InstanceProfileArn", "an IAM instance profile ARN"},
    {"aws.SecretArn", "a Secrets Manager secret ARN"},
    {"aws.ComponentArn", "an Image Builder component ARN"},
    {"aws.ImageParent", "an AMI id or an Image Builder image ARN"},
    {"aws.EfsId", "an EFS file system id"},
    {"aws.FsxId", "an FSx file system id"},
    {"aws.EbsVolumeId", "an EBS volume id"},
    {"aws.EbsSnapshotId", "an EBS snapshot id"},
    {"aws.KmsKeyId", "a KMS key id or ARN"},
    {"aws.Cidr", "an IPv4 CIDR block"},
    {"aws.SemVer", "a semantic version (1.0.0)"},
    {"aws.Url", "an s3:// or https:// URL"},
    {"aws.KeyPairName", "an EC2 key pair name"},
    {"aws.PlacementGroupName", "a placement group name"},
    {"aws.VpcId", "a VPC id"},
    {"aws.IamPolicyName", "an IAM policy name"},
    {"aws.IamAction", "an IAM action (service:Action)"},
    {"aws.IamResource", "an ARN or *"},
    {"aws.SecretName", "a Secrets Manager secret name"},
    {"aws.StackName", "a CloudFormation stack name"},
    {"aws.Email", "an e-mail address"},
    {"aws.LogGroupName", "a CloudWatch log group name"},
};

static const char *pat_human(const char *type)
{
    for (size_t i = 0; i < sizeof PAT_NAMES / sizeof PAT_NAMES[0]; i++)
        if (strcmp(PAT_NAMES[i].type, type) == 0) return PAT_NAMES[i].human;
    return type;
}

static bool check_pat(L *l, const Value *v, const char *type)
{
    if (!type) return true;
    int m = pattern_match(l->h, type, v->str.s, v->str.len);
    if (m == 1) return true;
    if (m < 0) {
        diag(l->h, D_BAD_PATTERN, v->span, "type '%s' is not declared (is the stdlib complete?)", type);
        return false;
    }
    Diag *d = diag(l->h, D_PATTERN_MISMATCH, use_of(l, v), "'%s' is not %s", value_text(l->h->arena, v), pat_human(type));
    diag_label(d, "%s must match %s", type, pattern_source(l->h, type));
    origin_note(l, d, v);
    return false;
}

/* A text value must not carry control characters (they would reach YAML, Slurm
 * or a shell): tab is the only one allowed, and only where `allow_nl` says
 * newlines are fine too (script bodies). */
static bool check_text(L *l, const Value *v, const char *key, bool allow_nl)
{
    for (size_t i = 0; i < v->str.len; i++) {
        unsigned char c = (unsigned char)v->str.s[i];
        if (c == '\t' || (allow_nl && c == '\n')) continue;
        if (c < 0x20 || c == 0x7F) {
            Diag *d = diag(l->h, D_BAD_VALUE, v->span, "'%s' contains a control character (U+%04X)", key, c);
            diag_label(d, "%s", c == '\n' ? "a new line is not allowed in this value" : "control characters are not allowed here");
            return false;
        }
    }
    return true;
}

/* ---- typed getters ---------------------------------------------------------------------- */

/* A string (words too when words_ok: instance types, regions). */
static bool val_str(L *l, Value *v, const char *key, Ir_STR *out, const char *pat, bool words_ok)
{
    if (v->kind == V_STR || (words_ok && v->kind == V_WORD)) {
        if (!check_text(l, v, key, false) || !check_pat(l, v, pat)) return false;
        out->v = v->str.s;
        out->p = pv(v);
        return true;
    }
    type_err(l, v, key, words_ok ? "a name or a string" : "a string");
    return false;
}

static bool get_str(Rd *r, const char *key, Ir_STR *out, const char *pat)
{
    Value *v = rd_val(r, key);
    return v && val_str(r->l, v, key, out, pat, false);
}

/* Free text that may span lines (descriptions). */
static bool get_text(Rd *r, const char *key, Ir_STR *out)
{
    Value *v = rd_val(r, key);
    if (!v) return false;
    if (v->kind != V_STR) {
        type_err(r->l, v, key, "a string");
        return false;
    }
    if (!check_text(r->l, v, key, true)) return false;
    out->v = v->str.s;
    out->p = pv(v);
    return true;
}

static bool get_name(Rd *r, const char *key, Ir_STR *out, const char *pat)
{
    Value *v = rd_val(r, key);
    return v && val_str(r->l, v, key, out, pat, true);
}

typedef struct Choice {
    const char *pc;    /* ParallelCluster's spelling (what the IR holds) */
    const char *spec;  /* the spec's spelling (shown in messages) */
} Choice;

static bool norm_eq(const char *a, const char *b)
{
    for (;;) {
        while (*a == '-' || *a == '_') a++;
        while (*b == '-' || *b == '_') b++;
        if (!*a || !*b) return !*a && !*b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
        a++, b++;
    }
}

static bool val_enum(L *l, Value *v, const char *key, Ir_STR *out, const Choice *cs)
{
    if (v->kind != V_WORD && v->kind != V_STR) {
        type_err(l, v, key, "a word");
        return false;
    }
    for (const Choice *c = cs; c->pc; c++)
        if (norm_eq(v->str.s, c->spec) || norm_eq(v->str.s, c->pc)) {
            out->v = c->pc;
            out->p = pv(v);
            return true;
        }
    Buf b = {0};
    const char *names[32];
    size_t n = 0;
    for (const Choice *c = cs; c->pc; c++) {
        buf_printf(&b, "%s%s", n ? ", " : "", c->spec);
        if (n < 32) names[n++] = c->spec;
    }
    Diag *d = diag(l->h, D_BAD_VALUE, use_of(l, v), "'%s' is not a valid value for '%s'", value_text(l->h->arena, v), key);
    diag_label(d, "expected one of: %s", b.p);
    origin_note(l, d, v);
    const char *best = closest_name(v->str.s, names, n);
    if (best) diag_note(d, NOSPAN, "did you mean '%s'?", best);
    buf_free(&b);
    return false;
}

static bool get_enum(Rd *r, const char *key, Ir_STR *out, const Choice *cs)
{
    Value *v = rd_val(r, key);
    return v && val_enum(r->l, v, key, out, cs);
}

static bool get_bool(Rd *r, const char *key, Ir_BOOL *out)
{
    Value *v = rd_val(r, key);
    if (!v) return false;
    if (v->kind != V_BOOL) {
        type_err(r->l, v, key, "true or false");
        return false;
    }
    out->v = v->b;
    out->p = pv(v);
    return true;
}

static bool val_int(L *l, Value *v, const char *key, Ir_INT *out, int64_t min, int64_t max)
{
    if (v->kind != V_NUM || !dim_is_none(v->num.dim)) {
        type_err(l, v, key, "a whole number");
        return false;
    }
    if (!rat_is_int(v->num.v)) {
        diag(l->h, D_BAD_VALUE, v->span, "'%s' must be a whole number, found %s", key, value_text(l->h->arena, v));
        return false;
    }
    if (!rat_fits_i64(v->num.v) || rat_to_i64(v->num.v) < min || rat_to_i64(v->num.v) > max) {
        Diag *d = diag(l->h, D_BAD_VALUE, v->span, "'%s' is out of range: %s", key, value_text(l->h->arena, v));
        if (max == INT64_MAX) diag_label(d, "must be at least %lld", (long long)min);
        else diag_label(d, "must be from %lld to %lld", (long long)min, (long long)max);
        return false;
    }
    out->v = rat_to_i64(v->num.v);
    out->p = pv(v);
    return true;
}

static bool get_int(Rd *r, const char *key, Ir_INT *out, int64_t min, int64_t max)
{
    Value *v = rd_val(r, key);
    return v && val_int(r->l, v, key, out, min, max);
}

/* A quantity of dimension `dim`, converted to `unit`; `whole` requires a whole
 * number in that unit (ParallelCluster's integer fields). */
static bool val_qty(L *l, Value *v, const char *key, Ir_QTY *out, Dim dim, const char *unit, bool whole)
{
    char dd[64];
    const Unit *u = unit_find(unit, strlen(unit));
    HPCC_ASSERT(u);
    if (v->kind != V_NUM) {
        type_err(l, v, key, arena_printf(l->h->arena, "%s, e.g. 10 %s", dim_describe(dim, dd, sizeof dd), unit));
        return false;
    }
    if (!dim_eq(v->num.dim, dim)) {
        Diag *d = diag(l->h, D_UNIT_MISMATCH, use_of(l, v), "'%s' expects %s, found %s", key, dim_describe(dim, dd, sizeof dd),
                       value_describe(l->h->arena, v));
        if (dim_is_none(v->num.dim)) diag_label(d, "write the unit: %s %s", value_text(l->h->arena, v), unit);
        origin_note(l, d, v);
        return false;
    }
    Rat r;
    if (!unit_from_base(v->num.v, u, &r)) {
        diag(l->h, D_ARITHMETIC, v->span, "arithmetic overflow");
        return false;
    }
    if (rat_sign(r) < 0) {
        diag(l->h, D_BAD_VALUE, v->span, "'%s' cannot be negative", key);
        return false;
    }
    if (whole && !rat_is_int(r)) {
        char b[96];
        Diag *d = diag(l->h, D_BAD_VALUE, v->span, "'%s' must be a whole number of %s, found %s %s", key, unit,
                       rat_format(r, b, sizeof b), unit);
        diag_label(d, "ParallelCluster takes this value in whole %s", unit);
        return false;
    }
    out->v = r;
    out->unit = u->text;
    out->p = pv(v);
    return true;
}

static bool get_qty(Rd *r, const char *key, Ir_QTY *out, Dim dim, const char *unit, bool whole)
{
    Value *v = rd_val(r, key);
    return v && val_qty(r->l, v, key, out, dim, unit, whole);
}

static bool val_strs(L *l, Value *v, const char *key, Ir_STRS *out, const char *pat, bool words_ok)
{
    if (v->kind != V_LIST) {
        type_err(l, v, key, words_ok ? "a list of names" : "a list of strings");
        return false;
    }
    out->v = arena_alloc(l->h->arena, (v->list.n + 1) * sizeof(Ir_STR));
    out->n = 0;
    bool ok = true;
    for (size_t i = 0; i < v->list.n; i++) {
        Ir_STR s;
        if (val_str(l, v->list.v[i], key, &s, pat, words_ok)) out->v[out->n++] = s;
        else ok = false;
    }
    out->p = pv(v);
    return ok;
}

static bool get_strs(Rd *r, const char *key, Ir_STRS *out, const char *pat)
{
    Value *v = rd_val(r, key);
    return v && val_strs(r->l, v, key, out, pat, false);
}

static bool is_scalar(const Value *v)
{
    return v->kind == V_STR || v->kind == V_WORD || v->kind == V_NUM || v->kind == V_BOOL;
}

/* A map: a block of `key = value` (tags, Slurm settings). Values are scalars
 * or, when lists_ok, lists of scalars. */
static bool val_kv(L *l, Value *v, const char *key, Ir_KV *out, bool strings_only, bool lists_ok)
{
    if (v->kind != V_REC) {
        type_err(l, v, key, "a block of key = value");
        return false;
    }
    const Record *rec = v->rec;
    out->v = arena_alloc(l->h->arena, (rec->n + 1) * sizeof(IrKv));
    out->n = 0;
    out->p = pv(v);
    bool ok = true;
    for (size_t i = 0; i < rec->n; i++) {
        const Field *f = &rec->fields[i];
        if (f->nlabels || f->is_block || f->cmp != T_EOF) {
            diag(l->h, D_TYPE_MISMATCH, f->key_span, "'%s' holds key = value pairs only", key);
            ok = false;
            continue;
        }
        Value *x = f->value;
        bool good = strings_only ? value_is_text(x) : is_scalar(x);
        if (!good && lists_ok && x->kind == V_LIST) {
            good = x->list.n > 0;
            for (size_t k = 0; k < x->list.n && good; k++)
                if (!is_scalar(x->list.v[k])) {
                    good = false;
                    if (x->list.v[k]->kind != V_ERROR)
                        diag(l->h, D_TYPE_MISMATCH, x->list.v[k]->span, "'%s' in %s holds %s; a list may hold only single values",
                             f->key, key, value_describe(l->h->arena, x->list.v[k]));
                    x = NULL;
                }
        }
        if (!x) {
            ok = false;
            continue;
        }
        if (!good) {
            if (x->kind != V_ERROR)
                diag(l->h, D_TYPE_MISMATCH, x->span, "'%s' in %s must be %s, found %s", f->key, key,
                     strings_only ? "a string" : lists_ok ? "a value or a list of values" : "a single value",
                     value_describe(l->h->arena, x));
            ok = false;
            continue;
        }
        if (value_is_text(x) && !check_text(l, x, f->key, false)) {
            ok = false;
            continue;
        }
        for (size_t k = 0; x->kind == V_LIST && k < x->list.n; k++)
            if (value_is_text(x->list.v[k]) && !check_text(l, x->list.v[k], f->key, false)) ok = false;
        IrKv kv = {f->key, x, pspan(f->span)};
        kv.p.unverified = x->unverified;
        out->v[out->n++] = kv;
    }
    return ok;
}

static bool get_kv(Rd *r, const char *key, Ir_KV *out, bool strings_only, bool lists_ok)
{
    Value *v = rd_val(r, key);
    return v && val_kv(r->l, v, key, out, strings_only, lists_ok);
}

static bool get_raw(Rd *r, const char *key, Ir_RAW *out)
{
    Value *v = rd_val(r, key);
    if (!v) return false;
    if (v->kind != V_REC) {
        type_err(r->l, v, key, "a block of ParallelCluster keys");
        return false;
    }
    out->v = v;
    out->p = pv(v);
    return true;
}

/* A sub-block `key { ... }` (or `key = { ... }`), NULL if absent. */
static const Record *get_block(Rd *r, const char *key, Span *at)
{
    Field *f = rd_field(r, key);
    if (!f) return NULL;
    if (f->value->kind != V_REC) {
        type_err(r->l, f->value, key, "a block");
        return NULL;
    }
    *at = f->key_span;
    return f->value->rec;
}

/* ---- enums ----------------------------------------------------------------------------------- */

static const Choice OS[] = {{"alinux2", "alinux2"}, {"alinux2023", "alinux2023"}, {"ubuntu2004", "ubuntu2004"},
                            {"ubuntu2204", "ubuntu2204"}, {"rhel8", "rhel8"}, {"rocky8", "rocky8"},
                            {"rhel9", "rhel9"}, {"rocky9", "rocky9"}, {0, 0}};
static const Choice IMDS[] = {{"v1.0", "v1.0"}, {"v2.0", "v2.0"}, {"v1.0", "v1"}, {"v2.0", "v2"}, {0, 0}};
static const Choice DELETE_RETAIN[] = {{"Delete", "delete"}, {"Retain", "retain"}, {0, 0}};
static const Choice EBS_DELETION[] = {{"Delete", "delete"}, {"Retain", "retain"}, {"Snapshot", "snapshot"}, {0, 0}};
static const Choice SCALING[] = {{"all-or-nothing", "all-or-nothing"}, {"greedy-all-or-nothing", "greedy-all-or-nothing"},
                                 {"best-effort", "best-effort"}, {0, 0}};
static const Choice QUEUE_UPDATE[] = {{"DRAIN", "drain"}, {"COMPUTE_FLEET_STOP", "compute-fleet-stop"},
                                      {"TERMINATE", "terminate"}, {0, 0}};
static const Choice CAPACITY[] = {{"ONDEMAND", "ondemand"}, {"SPOT", "spot"}, {"CAPACITY_BLOCK", "capacity-block"},
                                  {"ONDEMAND", "on-demand"}, {0, 0}};
static const Choice ALLOCATION[] = {{"lowest-price", "lowest-price"}, {"capacity-optimized", "capacity-optimized"},
                                    {"price-capacity-optimized", "price-capacity-optimized"}, {0, 0}};
static const Choice STORAGE_TYPES[] = {{"Efs", "efs"}, {"FsxLustre", "lustre"}, {"Ebs", "ebs"},
                                       {"FsxLustre", "fsx-lustre"}, {0, 0}};
static const Choice DEPLOYMENT[] = {{"SCRATCH_1", "scratch1"}, {"SCRATCH_2", "scratch2"}, {"PERSISTENT_1", "persistent1"},
                                    {"PERSISTENT_2", "persistent2"}, {0, 0}};
static const Choice COMPRESSION[] = {{"LZ4", "lz4"}, {0, 0}};
static const Choice MEDIA[] = {{"SSD", "ssd"}, {"HDD", "hdd"}, {0, 0}};
static const Choice OWNERS[] = {{"cluster", "cluster"}, {"stack", "stack"}, {0, 0}};
static const Choice EFS_PERF[] = {{"generalPurpose", "general-purpose"}, {"maxIO", "max-io"}, {0, 0}};
static const Choice EFS_THROUGHPUT[] = {{"bursting", "bursting"}, {"provisioned", "provisioned"}, {0, 0}};
static const Choice EBS_TYPES[] = {{"gp3", "gp3"}, {"gp2", "gp2"}, {"io1", "io1"}, {"io2", "io2"},
                                   {"st1", "st1"}, {"sc1", "sc1"}, {"standard", "standard"}, {0, 0}};
static const Choice DRA_EVENTS[] = {{"NEW", "new"}, {"CHANGED", "changed"}, {"DELETED", "deleted"}, {0, 0}};
static const Choice ON_EXCEED[] = {{"error", "error"}, {"warning", "warning"}, {"warning", "warn"}, {0, 0}};
static const Choice PLATFORM[] = {{"Linux", "linux"}, {0, 0}};
static const Choice ARCH[] = {{"x86_64", "x86_64"}, {"arm64", "arm64"}, {0, 0}};
static const Choice PROVIDER[] = {{"nested", "nested"}, {"parameter", "parameter"}, {0, 0}};

/* ---- shared blocks --------------------------------------------------------------------------- */

/* network { subnet | subnets, security_groups, additional_security_groups, public_ip, elastic_ip, proxy } */
static IrNetwork *lower_network(L *l, Value *v, const char *key, bool single_subnet)
{
    if (v->kind != V_REC || (v->rec->type && strcmp(v->rec->type, "network") != 0)) {
        type_err(l, v, "network", "a network block");
        return NULL;
    }
    IrNetwork *n = NEW(l->h->arena, IrNetwork);
    n->at = v->span;
    Rd r;
    rd_open(&r, l, v->rec, "network", v->span);
    Value *one = rd_val(&r, "subnet"), *many = rd_val(&r, "subnets");
    if (one && many) {
        Diag *d = diag(l->h, D_BAD_VALUE, many->span, "a network has either 'subnet' or 'subnets', not both");
        diag_note(d, one->span, "'subnet' is set here");
    } else if (one) {
        Ir_STR s;
        if (val_str(l, one, "subnet", &s, "aws.SubnetId", false)) {
            n->subnets.v = NEW(l->h->arena, Ir_STR);
            n->subnets.v[0] = s;
            n->subnets.n = 1;
            n->subnets.p = pv(one);
        }
    } else if (many) {
        if (val_strs(l, many, "subnets", &n->subnets, "aws.SubnetId", false) && n->subnets.n == 0)
            diag(l->h, D_BAD_VALUE, many->span, "'subnets' cannot be empty");
        if (single_subnet && n->subnets.n > 1) {
            Diag *d = diag(l->h, D_BAD_VALUE, many->span, "%s takes one subnet, found %zu", key, n->subnets.n);
            diag_label(d, "ParallelCluster places it in a single subnet (SubnetId)");
        }
    } else if (!l->lenient) {
        Diag *d = diag(l->h, D_MISSING_FIELD, v->span, "this network has no 'subnet'");
        diag_label(d, "add subnet = \"subnet-...\"");
    }
    get_strs(&r, "security_groups", &n->security_groups, "aws.SecurityGroupId");
    get_strs(&r, "additional_security_groups", &n->additional_security_groups, "aws.SecurityGroupId");
    if (ir_set(n->security_groups.p) && ir_set(n->additional_security_groups.p)) {
        Diag *d = diag(l->h, D_BAD_VALUE, n->additional_security_groups.p.span,
                       "'security_groups' and 'additional_security_groups' cannot be used together");
        diag_label(d, "security_groups replaces the groups ParallelCluster manages; additional_security_groups adds to them");
    }
    get_bool(&r, "public_ip", &n->public_ip);
    Value *eip = rd_val(&r, "elastic_ip");
    if (eip) {
        if (eip->kind == V_BOOL) n->elastic_ip.v = eip->b ? "true" : "false", n->elastic_ip.p = pv(eip);
        else val_str(l, eip, "elastic_ip", &n->elastic_ip, NULL, false);
    }
    get_str(&r, "proxy", &n->proxy, NULL);
    get_str(&r, "vpc", &n->vpc, "aws.VpcId");
    rd_close(&r);
    return n;
}

/* s3_read / s3_write: "s3://bucket[/key]" or a bucket name (may hold '*'). */
static void lower_s3_access(L *l, Value *v, const char *key, bool write, IrIam *iam)
{
    if (v->kind != V_LIST) {
        type_err(l, v, key, "a list of S3 URIs or bucket names");
        return;
    }
    for (size_t i = 0; i < v->list.n; i++) {
        Value *x = v->list.v[i];
        if (x->kind != V_STR) {
            type_err(l, x, key, "an S3 URI or bucket name as a string");
            continue;
        }
        if (!check_text(l, x, key, false)) continue;
        IrS3Access *a = NEW(l->h->arena, IrS3Access);
        a->at = x->span;
        const char *s = x->str.s;
        if (str_has_prefix(s, "s3://")) {
            const char *b = s + 5, *slash = strchr(b, '/');
            a->bucket.v = slash ? arena_strndup(l->h->arena, b, (size_t)(slash - b)) : b;
            if (slash && slash[1]) a->key.v = slash + 1, a->key.p = pv(x);
        } else if (strstr(s, "://")) {
            Diag *d = diag(l->h, D_PATTERN_MISMATCH, x->span, "'%s' is not an S3 bucket", s);
            diag_label(d, "write s3://bucket[/prefix] or the bucket name");
            continue;
        } else {
            a->bucket.v = s;
        }
        a->bucket.p = pv(x);
        Value tmp = *x;
        tmp.str.s = a->bucket.v;
        tmp.str.len = strlen(a->bucket.v);
        if (!check_pat(l, &tmp, "aws.BucketName")) continue;
        if (write) a->write.v = true, a->write.p = pv(x);
        else def_bool(l, &a->write, false);
        VPUSH(l->h->arena, iam->s3, a);
    }
}

static IrPolicy *lower_policy(L *l, Decl *d, Span use);

/* `policies = [name, "arn:..."]`: a declared policy by name (its ARN is
 * derived, the stacks create it) or an existing policy by ARN. */
static void lower_policy_list(L *l, Value *v, Ir_STRS *out)
{
    if (v->kind != V_LIST) {
        type_err(l, v, "policies", "a list of policies (declared names or ARNs)");
        return;
    }
    out->v = arena_alloc(l->h->arena, (v->list.n + 1) * sizeof(Ir_STR));
    out->p = pv(v);
    for (size_t i = 0; i < v->list.n; i++) {
        Value *x = v->list.v[i];
        if (x->kind == V_REF && x->ref.decl->kind == DK_POLICY) {
            IrPolicy *p = lower_policy(l, x->ref.decl, x->span);
            if (!p || !p->arn.v) continue;
            out->v[out->n].v = p->arn.v;
            out->v[out->n].p = pv(x);
            out->v[out->n].p.by = arena_printf(l->h->arena, "policy %s, declared in the spec", p->name.v);
            out->n++;
        } else if (x->kind == V_STR) {
            Ir_STR s1;
            if (val_str(l, x, "policies", &s1, "aws.IamPolicyArn", false)) out->v[out->n++] = s1;
        } else {
            type_err(l, x, "policies", "a declared policy or an IAM policy ARN");
        }
    }
}

/* The IAM fields a head node, partition or image takes directly. */
static IrIam *lower_iam(Rd *r, bool s3_ok)
{
    L *l = r->l;
    IrIam *iam = NEW(l->h->arena, IrIam);
    bool any = false;
    if (s3_ok) {
        Value *rd = rd_val(r, "s3_read"), *wr = rd_val(r, "s3_write");
        if (rd) lower_s3_access(l, rd, "s3_read", false, iam), any = true;
        if (wr) lower_s3_access(l, wr, "s3_write", true, iam), any = true;
    }
    Value *pol = rd_val(r, "policies");
    if (pol) {
        any = true;
        lower_policy_list(l, pol, &iam->policies);
    }
    any |= get_str(r, "instance_role", &iam->instance_role, "aws.IamRoleArn");
    any |= get_str(r, "instance_profile", &iam->instance_profile, "aws.InstanceProfileArn");
    int kinds = ir_set(iam->policies.p) + ir_set(iam->instance_role.p) + ir_set(iam->instance_profile.p);
    if (kinds > 1) {
        Span at = ir_set(iam->instance_profile.p) ? iam->instance_profile.p.span : iam->instance_role.p.span;
        Diag *d = diag(l->h, D_BAD_VALUE, at, "use one of 'policies', 'instance_role' and 'instance_profile'");
        diag_label(d, "ParallelCluster accepts only one of AdditionalIamPolicies, InstanceRole, InstanceProfile");
    }
    if (iam->s3.n && (ir_set(iam->instance_role.p) || ir_set(iam->instance_profile.p))) {
        Diag *d = diag(l->h, D_BAD_VALUE, iam->s3.v[0]->at, "S3 access cannot be combined with an instance role or profile");
        diag_label(d, "grant the access in the role instead");
    }
    return any ? iam : NULL;
}

static IrScript *lower_script(L *l, Value *v, const char *key)
{
    if (v->kind == V_STR) { /* a bare URL: a script with no arguments */
        Value *c = value_new(l->h->arena, V_CALL, v->span);
        c->call.fn = "script";
        c->call.args = arena_alloc(l->h->arena, sizeof(Value *));
        c->call.args[0] = v;
        c->call.n = 1;
        v = c;
    }
    if (v->kind != V_CALL || strcmp(v->call.fn, "script") != 0) {
        type_err(l, v, key, "script(...) or a list of them");
        return NULL;
    }
    IrScript *s = NEW(l->h->arena, IrScript);
    s->at = v->span;
    Value *u = v->call.args[0];
    if (!check_text(l, u, key, false)) return NULL;
    if (strstr(u->str.s, "://")) {
        s->url.v = u->str.s;
        s->url.p = pv(u);
    } else {
        /* A local file: deploy.sh uploads it under the cluster's `uploads` prefix,
         * where the nodes fetch it. */
        s->local.v = u->str.s;
        s->local.p = pv(u);
        const char *dir = l->h->spec_dir ? l->h->spec_dir : ".";
        const char *path = u->str.s[0] == '/' ? u->str.s : arena_printf(l->h->arena, "%s/%s", dir, u->str.s);
        const char *err;
        size_t len;
        char *data = read_file(l->h->arena, path, &len, &err, READ_REGULAR);
        if (!data) {
            diag(l->h, D_FILE_ERROR, u->span, "cannot read '%s': %s", u->str.s, err);
            return NULL;
        }
        if (memchr(data, 0, len)) {
            diag(l->h, D_FILE_ERROR, u->span, "'%s' is not a text file", u->str.s);
            return NULL;
        }
        s->local_data.v = data;
        s->local_data.p = pv(u);
        if (!ir_set(l->cl->uploads.p)) {
            if (!l->lenient) {
                Diag *d = diag(l->h, D_MISSING_FIELD, u->span, "'%s' is a local file, and the cluster has no 'uploads'", u->str.s);
                diag_label(d, "nodes fetch scripts from S3 or HTTPS");
                diag_note(d, NOSPAN, "set uploads = \"s3://bucket/prefix\" on the cluster: deploy.sh uploads local files there");
            }
            return NULL;
        }
        const char *base = strrchr(u->str.s, '/');
        base = base ? base + 1 : u->str.s;
        s->url.v = arena_printf(l->h->arena, "%s/scripts/%s", l->cl->uploads.v, base);
        s->url.p = phpcc("uploads + scripts/ + the file's name");
    }
    if (v->call.n > 1) {
        s->args.v = arena_alloc(l->h->arena, v->call.n * sizeof(Ir_STR));
        s->args.p = pv(v->call.args[1]);
        for (size_t i = 1; i < v->call.n; i++) {
            if (!check_text(l, v->call.args[i], "a script argument", false)) continue;
            s->args.v[s->args.n].v = v->call.args[i]->str.s;
            s->args.v[s->args.n++].p = pv(v->call.args[i]);
        }
    }
    return s;
}

static IrAction *lower_action(L *l, Value *v, const char *key)
{
    IrAction *a = NEW(l->h->arena, IrAction);
    a->at = v->span;
    if (v->kind == V_LIST) {
        a->sequence.v = true;
        a->sequence.p = pv(v);
        if (v->list.n == 0) {
            diag(l->h, D_BAD_VALUE, v->span, "'%s' is an empty list", key);
            return NULL;
        }
        for (size_t i = 0; i < v->list.n; i++) {
            IrScript *s = lower_script(l, v->list.v[i], key);
            if (s) VPUSH(l->h->arena, a->scripts, s);
        }
    } else {
        a->sequence.v = false;
        a->sequence.p = pv(v);
        IrScript *s = lower_script(l, v, key);
        if (!s) return NULL;
        VPUSH(l->h->arena, a->scripts, s);
    }
    return a;
}

static IrActions *lower_actions(Rd *r, bool updated_ok)
{
    static const char *const keys[] = {"on_start", "on_configured", "on_updated"};
    IrActions *acts = NEW(r->l->h->arena, IrActions);
    bool any = false;
    for (int i = 0; i < (updated_ok ? 3 : 2); i++) {
        Value *v = rd_val(r, keys[i]);
        if (!v) continue;
        IrAction *a = lower_action(r->l, v, keys[i]);
        if (!a) continue;
        any = true;
        if (i == 0) acts->on_start = a;
        else if (i == 1) acts->on_configured = a;
        else acts->on_updated = a;
    }
    return any ? acts : NULL;
}

/* root_volume { size, type, iops, throughput, encrypted, delete_on_termination } */
static IrVolume *lower_volume(Rd *parent, bool full)
{
    Span at;
    const Record *rec = get_block(parent, "root_volume", &at);
    if (!rec) return NULL;
    L *l = parent->l;
    IrVolume *vol = NEW(l->h->arena, IrVolume);
    vol->at = at;
    Rd r;
    rd_open(&r, l, rec, "root_volume", at);
    get_qty(&r, "size", &vol->size, DIM_DATA, "GiB", true);
    get_bool(&r, "encrypted", &vol->encrypted);
    if (full) {
        Ir_STR t = {0};
        if (get_enum(&r, "type", &t, EBS_TYPES)) vol->type = t;
        get_int(&r, "iops", &vol->iops, 1, INT64_MAX);
        get_qty(&r, "throughput", &vol->throughput, DIM_RATE, "MiB/s", true);
        get_bool(&r, "delete_on_termination", &vol->delete_on_termination);
    }
    rd_close(&r);
    return vol;
}

/* ---- IAM policies ----------------------------------------------------------------------------------- */

static const Choice EFFECT[] = {{"Allow", "allow"}, {"Deny", "deny"}, {0, 0}};

/* statement-label -> StatementLabel, an IAM Sid (letters and digits only). */
static const char *sid_of(L *l, const char *label)
{
    Buf b = {0};
    bool up = true;
    for (const char *q = label; *q; q++) {
        if (!isalnum((unsigned char)*q)) {
            up = true;
            continue;
        }
        buf_putc(&b, up ? (char)toupper((unsigned char)*q) : *q);
        up = false;
    }
    const char *s = arena_strdup(l->h->arena, b.p ? b.p : "");
    buf_free(&b);
    return s;
}

static IrPolicy *lower_policy(L *l, Decl *d, Span use)
{
    for (size_t i = 0; i < l->cl->policies.n; i++)
        if (str_eq(l->cl->policies.v[i]->name.v, d->name)) return l->cl->policies.v[i];
    Value *v = eval_decl_value(l->h, d);
    IrPolicy *p = NEW(l->h->arena, IrPolicy);
    p->at = d->name_span;
    p->name.v = d->name;
    p->name.p = pspan(d->name_span);
    Value nm = {.kind = V_STR, .span = d->name_span};
    nm.str.s = d->name;
    nm.str.len = strlen(d->name);
    check_pat(l, &nm, "aws.IamPolicyName");
    if (!ir_set(l->cl->account.p)) {
        if (!l->lenient && use.file) {
            Diag *g = diag(l->h, D_MISSING_FIELD, use, "policy '%s' is declared in the spec, and its ARN needs the cluster's account",
                           d->name);
            diag_label(g, "set account = \"123456789012\" on the cluster");
        }
    } else if (l->cl->aws_partition.v) {
        p->arn.v = arena_printf(l->h->arena, "arn:%s:iam::%s:policy/%s", l->cl->aws_partition.v, l->cl->account.v, d->name);
        p->arn.p = phpcc("arn:PARTITION:iam::ACCOUNT:policy/NAME");
    }
    if (v->kind == V_REC) {
        Rd r;
        rd_open(&r, l, v->rec, arena_printf(l->h->arena, "policy '%s'", d->name), d->name_span);
        get_text(&r, "description", &p->description);
        rd_ask(&r, "statement");
        for (size_t i = 0; i < v->rec->n; i++) {
            Field *f = &v->rec->fields[i];
            if (strcmp(f->key, "statement") != 0 || f->cmp != T_EOF) continue;
            r.used[i] = true;
            if (f->nlabels != 1 || f->value->kind != V_REC) {
                Diag *g = diag(l->h, D_BAD_VALUE, f->key_span, "a statement needs a name and a block");
                diag_label(g, "write statement ReadRpms { actions = [\"s3:GetObject\"]; resources = [\"arn:...\"] }");
                continue;
            }
            IrStatement *st = NEW(l->h->arena, IrStatement);
            st->at = f->span;
            st->sid.v = sid_of(l, f->labels[0]);
            st->sid.p = pspan(f->label_spans[0]);
            Rd sr;
            rd_open(&sr, l, f->value->rec, arena_printf(l->h->arena, "statement '%s'", f->labels[0]), f->label_spans[0]);
            if (!get_enum(&sr, "effect", &st->effect, EFFECT)) st->effect.v = "Allow", st->effect.p = phpcc("a statement allows unless it says deny");
            if (!get_strs(&sr, "actions", &st->actions, "aws.IamAction")) missing(&sr, "actions", "actions = [\"s3:GetObject\"]");
            if (!get_strs(&sr, "resources", &st->resources, "aws.IamResource")) missing(&sr, "resources", "resources = [\"arn:aws:s3:::bucket/*\"]");
            rd_close(&sr);
            VPUSH(l->h->arena, p->statements, st);
        }
        if (p->statements.n == 0 && !l->lenient) missing(&r, "statement", "statement Name { actions = [...]; resources = [...] }");
        rd_close(&r);
    }
    VPUSH(l->h->arena, l->cl->policies, p);
    return p;
}

/* ---- components --------------------------------------------------------------------------------- */

static const char *const PHASES[] = {"build", "validate", "test"};

static IrComponent *lower_component(L *l, Decl *d)
{
    IrComponent *c = strmap_get(l->components, d->name);
    if (c) return c;
    Value *v = eval_decl_value(l->h, d);
    c = NEW(l->h->arena, IrComponent);
    c->at = d->name_span;
    strmap_set(l->components, d->name, c);
    c->name.v = d->name;
    c->name.p = pspan(d->name_span);
    if (v->kind != V_REC) return c;
    const char *what = arena_printf(l->h->arena, "component '%s'", d->name);
    Rd r;
    rd_open(&r, l, v->rec, what, d->name_span);
    if (!get_str(&r, "version", &c->version, "aws.SemVer")) missing(&r, "version", "version = \"1.0.0\"");
    if (!get_int(&r, "build_version", &c->build, 1, 1000000)) c->build.v = 1, c->build.p = phpcc("first build of this version");
    get_text(&r, "description", &c->description);
    get_text(&r, "change", &c->change);
    if (!get_enum(&r, "platform", &c->platform, PLATFORM)) c->platform.v = "Linux", c->platform.p = phpcc("ExecuteBash steps run on Linux");
    if (!get_kv(&r, "tags", &c->tags, true, false) && ir_set(l->cl->tags.p)) {
        c->tags = l->cl->tags;
        c->tags.p = phpcc("the cluster's tags");
    }
    for (size_t i = 0; i < v->rec->n; i++) {
        Field *f = &v->rec->fields[i];
        if (strcmp(f->key, "param") == 0) {
            rd_ask(&r, "param");
            if (f->nlabels != 1) continue;
            r.used[i] = true;
            IrParam *p = NEW(l->h->arena, IrParam);
            p->at = f->span;
            p->name.v = f->labels[0];
            p->name.p = pspan(f->label_spans[0]);
            p->type.v = "string";
            p->type.p = phpcc("AWSTOE parameters are strings");
            if (f->value->kind == V_REC) {
                Rd pr;
                rd_open(&pr, l, f->value->rec, arena_printf(l->h->arena, "param '%s'", f->labels[0]), f->label_spans[0]);
                Value *dv = rd_val(&pr, "default");
                if (dv) val_str(l, dv, "default", &p->default_value, NULL, true);
                get_text(&pr, "description", &p->description);
                Value *tv = rd_val(&pr, "type");
                if (tv && !(value_is_text(tv) && strcmp(tv->str.s, "string") == 0)) {
                    Diag *g = diag(l->h, D_BAD_VALUE, tv->span, "component parameters are strings");
                    diag_label(g, "AWSTOE supports only type: string");
                }
                rd_close(&pr);
            } else {
                val_str(l, f->value, "param", &p->default_value, NULL, true);
            }
            VPUSH(l->h->arena, c->params, p);
            continue;
        }
        for (int k = 0; k < 3; k++) {
            if (strcmp(f->key, PHASES[k]) != 0) continue;
            rd_ask(&r, PHASES[k]);
            if (f->nlabels != 1 || f->is_block) {
                Diag *g = diag(l->h, D_BAD_VALUE, f->key_span, "a %s step needs a name and a script", PHASES[k]);
                diag_label(g, "write %s StepName = '''...''' or = file(\"path\")", PHASES[k]);
                r.used[i] = true;
                continue;
            }
            r.used[i] = true;
            IrStep *s = NEW(l->h->arena, IrStep);
            s->at = f->span;
            s->phase.v = PHASES[k];
            s->phase.p = pspan(f->key_span);
            s->name.v = f->labels[0];
            s->name.p = pspan(f->label_spans[0]);
            s->action.v = "ExecuteBash";
            s->action.p = phpcc("a step's script runs with ExecuteBash");
            Value *b = f->value;
            if (b->kind != V_STR) {
                type_err(l, b, PHASES[k], "a script: a string, '''...''' or file(\"path\")");
                continue;
            }
            if (!check_text(l, b, PHASES[k], true)) continue;
            s->body.v = b->str.s;
            s->body.p = pv(b);
            if (b->str.file) s->file.v = b->str.file, s->file.p = pv(b);
            VPUSH(l->h->arena, c->steps, s);
        }
    }
    if (c->steps.n == 0 && !l->lenient) missing(&r, "build", "a step: build StepName = '''...'''");
    rd_close(&r);
    return c;
}

/* ---- image ---------------------------------------------------------------------------------------- */

static IrImage *lower_image(L *l, Field *f)
{
    IrImage *im = NEW(l->h->arena, IrImage);
    im->at = f->span;
    if (f->nlabels != 1) {
        Diag *d = diag(l->h, D_BAD_VALUE, f->key_span, "an image needs a name");
        diag_label(d, "write image NAME { ... }: the name is the image id for pcluster build-image");
        return im;
    }
    im->name.v = f->labels[0];
    im->name.p = pspan(f->label_spans[0]);
    Rd r;
    rd_open(&r, l, f->value->rec, arena_printf(l->h->arena, "image '%s'", f->labels[0]), f->label_spans[0]);
    if (!get_str(&r, "parent", &im->parent, "aws.ImageParent"))
        missing(&r, "parent", "parent = \"ami-...\" or an Image Builder image ARN");
    get_bool(&r, "update_os", &im->update_os);
    if (!get_name(&r, "instance", &im->instance, "aws.InstanceType")) missing(&r, "instance", "instance = m5.large");
    Value *net = rd_val(&r, "network");
    if (net) im->network = lower_network(l, net, "the image build", true);
    im->iam = lower_iam(&r, false);
    if (!get_kv(&r, "tags", &im->tags, true, false) && ir_set(l->cl->tags.p)) {
        im->tags = l->cl->tags;
        im->tags.p = phpcc("the cluster's tags");
    }
    if (!get_kv(&r, "ami_tags", &im->ami_tags, true, false) && ir_set(im->tags.p)) {
        im->ami_tags = im->tags;
        im->ami_tags.p = phpcc("the image's tags");
    }
    Span vat;
    const Record *vol = get_block(&r, "root_volume", &vat);
    if (vol) {
        Rd vr;
        rd_open(&vr, l, vol, "root_volume", vat);
        get_qty(&vr, "size", &im->root_volume_size, DIM_DATA, "GiB", true);
        get_bool(&vr, "encrypted", &im->root_volume_encrypted);
        rd_close(&vr);
    }
    if (!get_enum(&r, "imds", &im->imds_support, IMDS)) def_str(l, &im->imds_support, "v2.0");
    get_raw(&r, "passthrough", &im->passthrough);
    Value *cs = rd_val(&r, "components");
    if (cs && cs->kind != V_LIST) {
        type_err(l, cs, "components", "a list of components");
    } else if (cs) {
        for (size_t i = 0; i < cs->list.n; i++) {
            Value *x = cs->list.v[i];
            IrImageComponent *ic = NEW(l->h->arena, IrImageComponent);
            ic->at = x->span;
            if (x->kind == V_REF && x->ref.decl->kind == DK_COMPONENT) {
                ic->kind.v = "component";
                ic->name.v = x->ref.decl->name;
                ic->name.p = pv(x);
                IrComponent *c = lower_component(l, x->ref.decl);
                bool dup = false;
                for (size_t k = 0; k < l->cl->components.n; k++) dup |= l->cl->components.v[k] == c;
                if (!dup) VPUSH(l->h->arena, l->cl->components, c);
            } else if (x->kind == V_STR) {
                ic->kind.v = "arn";
                if (!val_str(l, x, "components", &ic->value, "aws.ComponentArn", false)) continue;
            } else if (x->kind == V_CALL && strcmp(x->call.fn, "script") == 0) {
                ic->kind.v = "script";
                if (!val_str(l, x->call.args[0], "components", &ic->value, "aws.Url", false)) continue;
                if (x->call.n > 1) diag(l->h, D_BAD_CALL, x->span, "a script component takes no arguments");
            } else {
                type_err(l, x, "components", "a component, a component ARN or script(\"s3://...\")");
                continue;
            }
            ic->kind.p = pv(x);
            VPUSH(l->h->arena, im->components, ic);
        }
    }
    rd_close(&r);
    return im;
}

/* ---- head ------------------------------------------------------------------------------------------- */

static IrHead *lower_head(L *l, Field *f)
{
    IrHead *hd = NEW(l->h->arena, IrHead);
    hd->at = f->span;
    Rd r;
    rd_open(&r, l, f->value->rec, "head", f->key_span);
    if (!get_name(&r, "instance", &hd->instance, "aws.InstanceType")) missing(&r, "instance", "instance = t3.medium");
    Value *net = rd_val(&r, "network");
    if (net) hd->network = lower_network(l, net, "the head node", true);
    else missing(&r, "network", "network = { subnet = \"subnet-...\" }");
    get_str(&r, "ssh_key", &hd->ssh_key, "aws.KeyPairName");
    if (get_bool(&r, "create_ssh_key", &hd->create_ssh_key) && hd->create_ssh_key.v && !ir_set(hd->ssh_key.p)) {
        Diag *d = diag(l->h, D_MISSING_FIELD, hd->create_ssh_key.p.span, "create_ssh_key needs the key pair's name");
        diag_label(d, "set ssh_key = \"name\": the cluster stack creates a key pair of that name");
    }
    if (!get_str(&r, "ssh_from", &hd->ssh_allowed_ips, "aws.Cidr")) def_str(l, &hd->ssh_allowed_ips, "0.0.0.0/0");
    hd->iam = lower_iam(&r, true);
    hd->actions = lower_actions(&r, true);
    hd->root_volume = lower_volume(&r, true);
    if (!get_bool(&r, "imds_secured", &hd->imds_secured)) def_bool(l, &hd->imds_secured, true);
    if (!get_bool(&r, "disable_smt", &hd->disable_smt)) def_bool(l, &hd->disable_smt, false);
    Span dat;
    const Record *dcv = get_block(&r, "dcv", &dat);
    if (dcv) {
        Rd dr;
        rd_open(&dr, l, dcv, "dcv", dat);
        if (!get_bool(&dr, "enabled", &hd->dcv)) hd->dcv.v = true, hd->dcv.p = pspan(dat);
        if (!get_int(&dr, "port", &hd->dcv_port, 1024, 65535)) def_int(l, &hd->dcv_port, 8443);
        if (!get_str(&dr, "from", &hd->dcv_allowed_ips, "aws.Cidr")) def_str(l, &hd->dcv_allowed_ips, "0.0.0.0/0");
        rd_close(&dr);
    }
    get_raw(&r, "passthrough", &hd->passthrough);
    rd_close(&r);
    return hd;
}

/* ---- slurm --------------------------------------------------------------------------------------------- */

static IrSlurm *lower_slurm(L *l, Field *f)
{
    IrSlurm *s = NEW(l->h->arena, IrSlurm);
    s->at = f ? f->span : NOSPAN;
    if (f) {
        Rd r;
        rd_open(&r, l, f->value->rec, "slurm", f->key_span);
        get_enum(&r, "scaling", &s->scaling, SCALING);
        get_bool(&r, "memory_based", &s->memory_based);
        Value *idle = rd_val(&r, "scaledown_idle");
        if (idle) val_qty(l, idle, "scaledown_idle", &s->scaledown_idle, DIM_TIME, "min", true);
        get_enum(&r, "queue_update", &s->queue_update_strategy, QUEUE_UPDATE);
        Span aat;
        const Record *acc = get_block(&r, "accounting", &aat);
        if (acc) {
            IrAccounting *a = NEW(l->h->arena, IrAccounting);
            a->at = aat;
            Rd ar;
            rd_open(&ar, l, acc, "accounting", aat);
            if (!get_str(&ar, "uri", &a->uri, NULL)) missing(&ar, "uri", "uri = \"host:3306\"");
            if (!get_str(&ar, "user", &a->user, NULL)) missing(&ar, "user", "user = \"slurm_admin\"");
            Value *pw = rd_val(&ar, "password");
            if (!pw) {
                missing(&ar, "password", "password = secret(\"arn:aws:secretsmanager:...\")");
            } else if (pw->kind == V_CALL && strcmp(pw->call.fn, "secret") == 0) {
                val_str(l, pw->call.args[0], "password", &a->password_secret, "aws.SecretArn", false);
            } else if (pw->kind == V_CALL && strcmp(pw->call.fn, "new_secret") == 0) {
                /* The cluster stack creates the secret with a generated password. Its ARN
                 * ends in a random suffix; the partial ARN (without it) names it too. */
                if (val_str(l, pw->call.args[0], "password", &a->secret_name, "aws.SecretName", false)) {
                    a->create_secret.v = true;
                    a->create_secret.p = pv(pw);
                    if (ir_set(l->cl->account.p))
                        a->password_secret.v = arena_printf(l->h->arena, "arn:%s:secretsmanager:%s:%s:secret:%s",
                                                            l->cl->aws_partition.v, l->cl->region.v, l->cl->account.v,
                                                            a->secret_name.v),
                        a->password_secret.p = phpcc("the secret the cluster stack creates (partial ARN)");
                    else if (!l->lenient) {
                        Diag *g = diag(l->h, D_MISSING_FIELD, pw->span, "new_secret() needs the cluster's account for the secret's ARN");
                        diag_label(g, "set account = \"123456789012\" on the cluster");
                    }
                }
            } else if (pw->kind == V_STR) {
                Diag *d = diag(l->h, D_LITERAL_SECRET, pw->span, "a password must not be written in the spec");
                diag_label(d, "the spec and its output are committed to git");
                diag_note(d, NOSPAN, "store it in AWS Secrets Manager and write password = secret(\"arn:aws:secretsmanager:...\")");
            } else {
                type_err(l, pw, "password", "secret(\"arn:aws:secretsmanager:...\") or new_secret(\"name\")");
            }
            get_str(&ar, "database", &a->database, NULL);
            rd_close(&ar);
            s->accounting = a;
        }
        Field *ex = rd_field(&r, "extras");
        if (ex) {
            IrExtras *e = NEW(l->h->arena, IrExtras);
            e->at = ex->span;
            if (ex->at) val_str(l, ex->at, "extras at", &e->url, "aws.Url", false);
            else if (!l->lenient) {
                Diag *d = diag(l->h, D_MISSING_FIELD, ex->key_span, "the extras file needs the URL it is included from");
                diag_label(d, "write extras at \"s3://bucket/slurm_extras.conf\" { ... }");
            }
            if (ex->value->kind == V_REC) val_kv(l, ex->value, "extras", &e->settings, false, true);
            else type_err(l, ex->value, "extras", "a block of Slurm settings");
            s->extras = e;
        }
        get_kv(&r, "settings", &s->settings, false, true);
        get_raw(&r, "passthrough", &s->passthrough);
        rd_close(&r);
    }
    def_str(l, &s->scaling, "all-or-nothing");
    def_bool(l, &s->memory_based, false);
    def_qty(l, &s->scaledown_idle, 10, "min");
    def_str(l, &s->queue_update_strategy, "COMPUTE_FLEET_STOP");
    return s;
}

/* ---- profiles and node groups ---------------------------------------------------------------------------- */

static const struct {
    const char *name;
    int kind;          /* 0 count, 1 quantity, 2 flag, 3 word */
    const Dim *dim;
    const char *unit;
} PROFILE_ATTRS[] = {
    {"cores", 0, NULL, NULL},        {"vcpus", 0, NULL, NULL},           {"memory", 1, &DIM_DATA, "GiB"},
    {"memory_per_core", 1, &DIM_DATA, "GiB"}, {"nvme", 1, &DIM_DATA, "GB"}, {"gpus", 0, NULL, NULL},
    {"gpu_memory", 1, &DIM_DATA, "GiB"}, {"network", 1, &DIM_RATE, "Gbit/s"}, {"avx512", 2, NULL, NULL},
    {"efa", 2, NULL, NULL},          {"arch", 3, NULL, NULL},
};

static const char *cmp_text(TokKind k)
{
    switch (k) {
    case T_LT: return "<";
    case T_LE: return "<=";
    case T_GT: return ">";
    case T_GE: return ">=";
    case T_EQ: return "==";
    default: return "==";
    }
}

static void lower_profile(L *l, Decl *d, IrNodeGroup *ng)
{
    Value *v = eval_decl_value(l->h, d);
    if (v->kind != V_REC) return;
    for (size_t i = 0; i < v->rec->n; i++) {
        Field *f = &v->rec->fields[i];
        int a = -1;
        for (size_t k = 0; k < sizeof PROFILE_ATTRS / sizeof PROFILE_ATTRS[0]; k++)
            if (strcmp(PROFILE_ATTRS[k].name, f->key) == 0) a = (int)k;
        if (a < 0 || f->nlabels || f->is_block) {
            Diag *g = diag(l->h, D_UNKNOWN_FIELD, f->key_span, "unknown requirement '%s' in profile '%s'", f->key, d->name);
            const char *names[16];
            size_t n = 0;
            for (size_t k = 0; k < sizeof PROFILE_ATTRS / sizeof PROFILE_ATTRS[0]; k++) names[n++] = PROFILE_ATTRS[k].name;
            const char *best = closest_name(f->key, names, n);
            if (best) diag_note(g, NOSPAN, "did you mean '%s'?", best);
            continue;
        }
        IrRequirement *q = NEW(l->h->arena, IrRequirement);
        q->at = f->span;
        q->attribute.v = f->key;
        q->attribute.p = pspan(f->key_span);
        q->op.v = f->cmp == T_EOF ? "==" : cmp_text(f->cmp);
        q->op.p = pspan(f->key_span);
        bool ok;
        switch (PROFILE_ATTRS[a].kind) {
        case 0: {
            Ir_INT iv;
            ok = val_int(l, f->value, f->key, &iv, 0, 1000000);
            if (ok) q->amount.v = rat_int(iv.v), q->amount.p = iv.p;
            break;
        }
        case 1: ok = val_qty(l, f->value, f->key, &q->amount, *PROFILE_ATTRS[a].dim, PROFILE_ATTRS[a].unit, false); break;
        case 2:
            ok = f->value->kind == V_BOOL && f->cmp == T_EOF;
            if (ok) q->flag.v = f->value->b, q->flag.p = pv(f->value);
            else type_err(l, f->value, f->key, "true or false, set with '='");
            break;
        default:
            ok = f->cmp == T_EOF && val_enum(l, f->value, f->key, &q->word, ARCH);
            if (f->cmp != T_EOF) diag(l->h, D_BAD_VALUE, f->key_span, "'arch' is set with '=', not compared");
            break;
        }
        if (ok && ng) VPUSH(l->h->arena, ng->requirements, q);
    }
}

static IrNodeGroup *lower_nodes(L *l, Field *f, const char *part)
{
    IrNodeGroup *ng = NEW(l->h->arena, IrNodeGroup);
    ng->at = f->span;
    if (f->nlabels != 1) {
        Diag *d = diag(l->h, D_BAD_VALUE, f->key_span, "a node group needs a name");
        diag_label(d, "write nodes NAME { ... }: the name becomes the compute resource's Name");
        return NULL;
    }
    ng->name.v = f->labels[0];
    ng->name.p = pspan(f->label_spans[0]);
    if (f->value->kind != V_REC) {
        type_err(l, f->value, "nodes", "a block");
        return NULL;
    }
    Rd r;
    rd_open(&r, l, f->value->rec, arena_printf(l->h->arena, "node group '%s' of partition '%s'", f->labels[0], part),
            f->label_spans[0]);
    Value *one = rd_val(&r, "instance"), *many = rd_val(&r, "instances");
    if (one && many) {
        Diag *d = diag(l->h, D_BAD_VALUE, many->span, "a node group has either 'instance' or 'instances', not both");
        diag_note(d, one->span, "'instance' is set here");
    } else if (one) {
        Ir_STR s;
        if (val_str(l, one, "instance", &s, "aws.InstanceType", true)) {
            ng->instances.v = NEW(l->h->arena, Ir_STR);
            ng->instances.v[0] = s;
            ng->instances.n = 1;
            ng->instances.p = pv(one);
        }
    } else if (many) {
        if (val_strs(l, many, "instances", &ng->instances, "aws.InstanceType", true) && ng->instances.n == 0)
            diag(l->h, D_BAD_VALUE, many->span, "'instances' cannot be empty");
        for (size_t i = 0; i < ng->instances.n; i++)
            for (size_t k = 0; k < i; k++)
                if (strcmp(ng->instances.v[i].v, ng->instances.v[k].v) == 0) {
                    Diag *d = diag(l->h, D_BAD_VALUE, ng->instances.v[i].p.span, "'%s' is listed twice",
                                   ng->instances.v[i].v);
                    diag_note(d, ng->instances.v[k].p.span, "first listed here");
                }
    }
    Value *prof = rd_val(&r, "profile");
    if (prof) {
        if (prof->kind == V_REF && prof->ref.decl->kind == DK_PROFILE) {
            Decl *d = prof->ref.decl;
            ng->profile.v = d->mod->alias ? arena_printf(l->h->arena, "%s.%s", d->mod->alias, d->name) : d->name;
            ng->profile.p = pv(prof);
            lower_profile(l, d, ng);
        } else {
            type_err(l, prof, "profile", "a profile (such as bb5.cpu)");
        }
    }
    if (!one && !many && !prof && !l->lenient) {
        Diag *d = diag(l->h, D_MISSING_FIELD, f->label_spans[0], "node group '%s' has no instance type", f->labels[0]);
        diag_label(d, "add instance = c7a.48xlarge, or a profile to choose one from");
    }
    Value *count = rd_val(&r, "count");
    if (count) {
        if (count->kind == V_RANGE) {
            if (val_int(l, count->range.lo, "count", &ng->min_count, 0, 100000) &&
                val_int(l, count->range.hi, "count", &ng->max_count, 1, 100000) && ng->min_count.v > ng->max_count.v) {
                Diag *d = diag(l->h, D_BAD_VALUE, count->span, "count %lld..%lld is empty", (long long)ng->min_count.v,
                               (long long)ng->max_count.v);
                diag_label(d, "write MIN..MAX with MIN <= MAX");
            }
        } else if (count->kind == V_NUM) {
            Diag *d = diag(l->h, D_TYPE_MISMATCH, count->span, "'count' expects a range MIN..MAX, found %s",
                           value_describe(l->h->arena, count));
            diag_label(d, "write 0..%s for up to %s dynamic nodes, or %s..%s for static ones", value_text(l->h->arena, count),
                       value_text(l->h->arena, count), value_text(l->h->arena, count), value_text(l->h->arena, count));
        } else {
            type_err(l, count, "count", "a range MIN..MAX");
        }
    }
    def_int(l, &ng->min_count, 0);
    def_int(l, &ng->max_count, 10);
    if (!get_bool(&r, "efa", &ng->efa)) def_bool(l, &ng->efa, false);
    get_bool(&r, "efa_gdr", &ng->efa_gdr);
    get_bool(&r, "placement_group", &ng->placement_group);
    get_qty(&r, "spot_price", &ng->spot_price, DIM_MONEY_RATE, "USD/h", false);
    if (!get_bool(&r, "disable_smt", &ng->disable_smt)) def_bool(l, &ng->disable_smt, false);
    get_qty(&r, "schedulable_memory", &ng->schedulable_memory, DIM_DATA, "MiB", true);
    if (!get_int(&r, "static_priority", &ng->static_priority, 1, 4294967295LL)) def_int(l, &ng->static_priority, 1);
    if (!get_int(&r, "dynamic_priority", &ng->dynamic_priority, 1, 4294967295LL)) def_int(l, &ng->dynamic_priority, 1000);
    get_kv(&r, "slurm", &ng->settings, false, true);
    get_kv(&r, "tags", &ng->tags, true, false);
    get_raw(&r, "passthrough", &ng->passthrough);
    rd_close(&r);
    return ng;
}

/* ---- partitions ---------------------------------------------------------------------------------------- */

static IrPartition *lower_partition(L *l, Field *f, const Record *defaults)
{
    IrPartition *p = NEW(l->h->arena, IrPartition);
    p->at = f->span;
    if (f->nlabels != 1) {
        Diag *d = diag(l->h, D_BAD_VALUE, f->key_span, "a partition needs a name");
        diag_label(d, "write partition NAME { ... }: the name becomes the Slurm queue's name");
        return NULL;
    }
    p->name.v = f->labels[0];
    p->name.p = pspan(f->label_spans[0]);
    if (f->value->kind != V_REC) {
        type_err(l, f->value, "partition", "a block");
        return NULL;
    }
    const Record *rec = defaults ? record_merge(l->h, defaults, f->value->rec) : f->value->rec;
    Rd r;
    rd_open(&r, l, rec, arena_printf(l->h->arena, "partition '%s'", f->labels[0]), f->label_spans[0]);
    if (!get_enum(&r, "capacity", &p->capacity, CAPACITY)) def_str(l, &p->capacity, "ONDEMAND");
    if (!get_enum(&r, "allocation", &p->allocation, ALLOCATION) && strcmp(p->capacity.v, "CAPACITY_BLOCK") != 0)
        def_str(l, &p->allocation, "lowest-price");
    Value *net = rd_val(&r, "network");
    if (net) p->network = lower_network(l, net, arena_printf(l->h->arena, "partition '%s'", f->labels[0]), false);
    else missing(&r, "network", "network = { subnet = \"subnet-...\" }");
    Value *pg = rd_val(&r, "placement_group");
    if (pg) {
        if (pg->kind == V_BOOL) p->placement_group.v = pg->b, p->placement_group.p = pv(pg);
        else if (pg->kind != V_STR) type_err(l, pg, "placement_group", "true, false or a placement group's name");
        else if (val_str(l, pg, "placement_group", &p->placement_group_name, "aws.PlacementGroupName", false))
            p->placement_group.v = true, p->placement_group.p = pv(pg);
    }
    get_str(&r, "efa_security_group", &p->efa_security_group, "aws.SecurityGroupId");
    p->iam = lower_iam(&r, true);
    p->actions = lower_actions(&r, false);
    get_int(&r, "max_nodes", &p->max_nodes, 1, 1000000);
    get_qty(&r, "max_time", &p->max_time, DIM_TIME, "min", true);
    get_kv(&r, "slurm", &p->settings, false, true);
    get_kv(&r, "tags", &p->tags, true, false);
    if (!get_bool(&r, "exclusive", &p->job_exclusive)) def_bool(l, &p->job_exclusive, false);
    p->root_volume = lower_volume(&r, false);
    get_str(&r, "ephemeral_mount", &p->ephemeral_mount, NULL);
    get_bool(&r, "gpu_health_check", &p->gpu_health_check);
    get_raw(&r, "passthrough", &p->passthrough);
    rd_ask(&r, "nodes");
    for (size_t i = 0; i < rec->n; i++) {
        Field *nf = &rec->fields[i];
        if (strcmp(nf->key, "nodes") != 0 || nf->cmp != T_EOF) continue;
        r.used[i] = true;
        IrNodeGroup *ng = lower_nodes(l, nf, f->labels[0]);
        if (ng) VPUSH(l->h->arena, p->nodes, ng);
    }
    if (p->nodes.n == 0 && !l->lenient) {
        Diag *d = diag(l->h, D_MISSING_FIELD, f->label_spans[0], "partition '%s' has no nodes", f->labels[0]);
        diag_label(d, "add nodes NAME { instance = ...; count = 0..N }");
    }
    rd_close(&r);
    return p;
}

/* ---- storage ---------------------------------------------------------------------------------------------- */

static IrLink *lower_link(L *l, Field *f)
{
    IrLink *k = NEW(l->h->arena, IrLink);
    k->at = f->span;
    if (f->nlabels != 1 || f->value->kind != V_REC) {
        Diag *d = diag(l->h, D_BAD_VALUE, f->key_span, "a link needs a name and a block");
        diag_label(d, "write link NAME { s3 = \"s3://...\"; path = \"/...\" }");
        return NULL;
    }
    Rd r;
    rd_open(&r, l, f->value->rec, arena_printf(l->h->arena, "link '%s'", f->labels[0]), f->label_spans[0]);
    if (!get_str(&r, "name", &k->name, NULL)) k->name.v = f->labels[0], k->name.p = pspan(f->label_spans[0]);
    if (!get_str(&r, "s3", &k->s3, "aws.S3Uri")) missing(&r, "s3", "s3 = \"s3://bucket/prefix\"");
    if (!get_str(&r, "path", &k->path, NULL)) missing(&r, "path", "path = \"/data\"");
    static const char *const pol[] = {"import", "export"};
    for (int i = 0; i < 2; i++) {
        Value *v = rd_val(&r, pol[i]);
        if (!v) continue;
        Ir_STRS *out = i == 0 ? &k->import : &k->export;
        if (v->kind != V_LIST) {
            type_err(l, v, pol[i], "a list of events: [new, changed, deleted]");
            continue;
        }
        out->v = arena_alloc(l->h->arena, (v->list.n + 1) * sizeof(Ir_STR));
        out->p = pv(v);
        for (size_t j = 0; j < v->list.n; j++) {
            Ir_STR s;
            if (val_enum(l, v->list.v[j], pol[i], &s, DRA_EVENTS)) out->v[out->n++] = s;
        }
    }
    if (!get_bool(&r, "batch_import", &k->batch_import)) def_bool(l, &k->batch_import, false);
    if (!get_qty(&r, "chunk_size", &k->chunk_size, DIM_DATA, "MiB", true)) def_qty(l, &k->chunk_size, 1024, "MiB");
    rd_close(&r);
    return k;
}

static IrStorage *lower_storage(L *l, Field *f)
{
    IrStorage *s = NEW(l->h->arena, IrStorage);
    s->at = f->span;
    if (f->nlabels != 2 || f->value->kind != V_REC) {
        Diag *d = diag(l->h, D_BAD_VALUE, f->key_span, "storage needs a name and a type");
        diag_label(d, "write storage NAME TYPE { ... } with TYPE efs, lustre or ebs");
        return NULL;
    }
    s->label.v = f->labels[0];
    s->label.p = pspan(f->label_spans[0]);
    Value tv = {.kind = V_WORD, .span = f->label_spans[1]};
    tv.str.s = f->labels[1];
    tv.str.len = strlen(f->labels[1]);
    if (!val_enum(l, &tv, "storage type", &s->type, STORAGE_TYPES)) return NULL;
    const char *what = arena_printf(l->h->arena, "storage '%s'", f->labels[0]);
    Rd r;
    rd_open(&r, l, f->value->rec, what, f->label_spans[0]);
    if (!get_str(&r, "name", &s->name, NULL)) s->name.v = f->labels[0], s->name.p = pspan(f->label_spans[0]);
    if (!get_str(&r, "mount", &s->mount, NULL)) missing(&r, "mount", "mount = \"/data\"");
    get_str(&r, "kms_key", &s->kms_key, "aws.KmsKeyId");
    const char *t = s->type.v;
    /* owner = stack: cluster-stack.yaml creates the file system, which outlives
     * the cluster; `existing` then pins the id the stack gave it. */
    get_enum(&r, "owner", &s->owner, OWNERS);
    bool stack_owned = str_eq(s->owner.v, "stack");
    if (stack_owned && strcmp(t, "Efs") != 0) {
        Diag *d = diag(l->h, D_BAD_VALUE, s->owner.p.span, "only an EFS file system can be created by the cluster stack");
        diag_label(d, "remove owner, and let ParallelCluster create the %s storage, or give an existing id",
                   strcmp(t, "Ebs") == 0 ? "EBS" : "FSx for Lustre");
    }
    if (strcmp(t, "Efs") == 0) {
        get_str(&r, "existing", &s->existing, "aws.EfsId");
        /* What the settings describe: the file system ParallelCluster or the stack creates. */
        bool made = !ir_set(s->existing.p) || stack_owned;
        if (!get_bool(&r, "encrypted", &s->encrypted) && made) {
            if (stack_owned) s->encrypted.v = true, s->encrypted.p = phpcc("a file system the stack creates is encrypted unless the spec says otherwise");
            else def_bool(l, &s->encrypted, false);
        }
        if (!get_enum(&r, "performance", &s->performance, EFS_PERF) && made) def_str(l, &s->performance, "generalPurpose");
        if (!get_enum(&r, "throughput_mode", &s->throughput_mode, EFS_THROUGHPUT) && made)
            def_str(l, &s->throughput_mode, "bursting");
        get_qty(&r, "provisioned", &s->provisioned, DIM_RATE, "MiB/s", true);
        get_qty(&r, "size", &s->capacity, DIM_DATA, "GiB", false);
        if (!get_enum(&r, "deletion", &s->deletion, DELETE_RETAIN) && made) {
            if (stack_owned) s->deletion.v = "Retain", s->deletion.p = phpcc("a file system the stack creates outlives the stack unless the spec says otherwise");
            else def_str(l, &s->deletion, "Delete");
        }
    } else if (strcmp(t, "FsxLustre") == 0) {
        get_str(&r, "existing", &s->existing, "aws.FsxId");
        if (!get_enum(&r, "deployment", &s->deployment, DEPLOYMENT) && !ir_set(s->existing.p))
            def_str(l, &s->deployment, "SCRATCH_2");
        get_qty(&r, "capacity", &s->capacity, DIM_DATA, "GiB", true);
        Value *pu = rd_val(&r, "per_unit");
        if (pu) val_qty(l, pu, "per_unit", &s->per_unit, DIM_PER_UNIT_RATE, "MB/s/TiB", true);
        get_enum(&r, "compression", &s->compression, COMPRESSION);
        get_enum(&r, "media", &s->media, MEDIA);
        get_qty(&r, "per_node_min", &s->per_node_min, DIM_RATE, "MB/s", false);
        if (!get_enum(&r, "deletion", &s->deletion, DELETE_RETAIN) && !ir_set(s->existing.p)) def_str(l, &s->deletion, "Delete");
        rd_ask(&r, "link");
        for (size_t i = 0; i < f->value->rec->n; i++) {
            Field *lf = &f->value->rec->fields[i];
            if (strcmp(lf->key, "link") != 0 || lf->cmp != T_EOF) continue;
            r.used[i] = true;
            IrLink *k = lower_link(l, lf);
            if (k) VPUSH(l->h->arena, s->links, k);
        }
    } else {
        get_str(&r, "existing", &s->existing, "aws.EbsVolumeId");
        bool managed = !ir_set(s->existing.p);
        if (!get_qty(&r, "size", &s->capacity, DIM_DATA, "GiB", true) && managed) def_qty(l, &s->capacity, 40, "GiB");
        if (!get_enum(&r, "volume_type", &s->volume_type, EBS_TYPES) && managed) def_str(l, &s->volume_type, "gp3");
        get_int(&r, "iops", &s->iops, 1, INT64_MAX);
        if (!ir_set(s->iops.p) && managed && strcmp(s->volume_type.v, "gp3") == 0) def_int(l, &s->iops, 3000);
        get_qty(&r, "throughput", &s->throughput, DIM_RATE, "MiB/s", true);
        if (!ir_set(s->throughput.p) && managed && strcmp(s->volume_type.v, "gp3") == 0) def_qty(l, &s->throughput, 125, "MiB/s");
        if (!get_bool(&r, "encrypted", &s->encrypted) && managed) def_bool(l, &s->encrypted, true);
        get_str(&r, "snapshot", &s->snapshot, "aws.EbsSnapshotId");
        if (!get_enum(&r, "deletion", &s->deletion, EBS_DELETION) && managed) def_str(l, &s->deletion, "Delete");
    }
    get_raw(&r, "passthrough", &s->passthrough);
    rd_close(&r);
    return s;
}

/* ---- budget and requirements ---------------------------------------------------------------------------- */

static IrBudget *lower_budget(L *l, Field *f)
{
    IrBudget *b = NEW(l->h->arena, IrBudget);
    b->at = f->span;
    if (f->value->kind != V_REC) return b;
    const Record *rec = f->value->rec;
    Rd r;
    rd_open(&r, l, rec, "budget", f->key_span);
    rd_ask(&r, "monthly");
    rd_ask(&r, "hourly_peak");
    for (size_t i = 0; i < rec->n; i++) {
        Field *c = &rec->fields[i];
        bool monthly = strcmp(c->key, "monthly") == 0, hourly = strcmp(c->key, "hourly_peak") == 0;
        if ((!monthly && !hourly) || c->nlabels || c->is_block) continue;
        r.used[i] = true;
        if (c->cmp != T_LE && c->cmp != T_LT) {
            Diag *d = diag(l->h, D_BAD_VALUE, c->key_span, "a budget limit is written '%s <= amount'", c->key);
            diag_label(d, "for example %s <= %s", c->key, monthly ? "25000 USD/month" : "400 USD/h");
            continue;
        }
        val_qty(l, c->value, c->key, monthly ? &b->monthly : &b->hourly_peak, DIM_MONEY_RATE,
                monthly ? "USD/month" : "USD/h", false);
    }
    if (!get_enum(&r, "on_exceed", &b->on_exceed, ON_EXCEED)) b->on_exceed.v = "error", b->on_exceed.p = phpcc("a budget is a limit");
    get_strs(&r, "notify", &b->notify, "aws.Email");
    rd_close(&r);
    return b;
}

static const struct {
    const char *attr;
    const Dim *dim;
    const char *unit;
} STORAGE_FACTS[] = {
    {"throughput", &DIM_RATE, "MB/s"},
    {"burst_throughput", &DIM_RATE, "MB/s"},
    {"capacity", &DIM_DATA, "GiB"},
    {"per_node_throughput", &DIM_RATE, "MB/s"},
};

static void lower_requires(L *l, Field *f)
{
    if (f->value->kind != V_REC) return;
    const Record *rec = f->value->rec;
    for (size_t i = 0; i < rec->n; i++) {
        Field *c = &rec->fields[i];
        if (c->cmp == T_EOF) {
            Diag *d = diag(l->h, D_BAD_VALUE, c->key_span, "a requirement is a comparison");
            diag_label(d, "for example storage.data.throughput >= 300 MB/s");
            continue;
        }
        /* storage.<label>.<fact> */
        char *path = arena_strdup(l->h->arena, c->key);
        char *p1 = strchr(path, '.'), *p2 = p1 ? strchr(p1 + 1, '.') : NULL;
        if (!p1 || !p2 || strchr(p2 + 1, '.') || strncmp(path, "storage.", 8) != 0) {
            Diag *d = diag(l->h, D_UNDEFINED_NAME, c->key_span, "'%s' is not something hpcc can check", c->key);
            diag_label(d, "requirements are written storage.NAME.throughput, .burst_throughput, .capacity or .per_node_throughput");
            continue;
        }
        *p2 = 0;
        const char *label = p1 + 1, *fact = p2 + 1;
        IrStorage *st = NULL;
        for (size_t k = 0; k < l->cl->storage.n; k++)
            if (strcmp(l->cl->storage.v[k]->label.v, label) == 0) st = l->cl->storage.v[k];
        if (!st) {
            Diag *d = diag(l->h, D_UNDEFINED_NAME, c->key_span, "this cluster has no storage '%s'", label);
            const char *names[64];
            size_t n = 0;
            for (size_t k = 0; k < l->cl->storage.n && n < 64; k++) names[n++] = l->cl->storage.v[k]->label.v;
            const char *best = closest_name(label, names, n);
            if (best) diag_note(d, NOSPAN, "did you mean 'storage.%s.%s'?", best, fact);
            continue;
        }
        int a = -1;
        for (size_t k = 0; k < sizeof STORAGE_FACTS / sizeof STORAGE_FACTS[0]; k++)
            if (strcmp(STORAGE_FACTS[k].attr, fact) == 0) a = (int)k;
        if (a < 0) {
            Diag *d = diag(l->h, D_UNDEFINED_NAME, c->key_span, "storage has no '%s' to check", fact);
            const char *names[] = {"throughput", "burst_throughput", "capacity", "per_node_throughput"};
            const char *best = closest_name(fact, names, 4);
            if (best) diag_note(d, NOSPAN, "did you mean '%s'?", best);
            continue;
        }
        IrRequire *q = NEW(l->h->arena, IrRequire);
        q->at = c->span;
        q->subject.v = c->key;
        q->subject.p = pspan(c->key_span);
        q->op.v = cmp_text(c->cmp);
        q->op.p = pspan(c->key_span);
        if (val_qty(l, c->value, c->key, &q->value, *STORAGE_FACTS[a].dim, STORAGE_FACTS[a].unit, false))
            VPUSH(l->h->arena, l->cl->requires, q);
    }
}

/* ---- cluster -------------------------------------------------------------------------------------------------- */

static const char *aws_partition(const char *region)
{
    if (str_has_prefix(region, "cn-")) return "aws-cn";
    if (str_has_prefix(region, "us-gov-")) return "aws-us-gov";
    return "aws";
}

static IrCluster *lower_cluster(L *l, Decl *d)
{
    Value *v = eval_decl_value(l->h, d);
    IrCluster *cl = NEW(l->h->arena, IrCluster);
    l->cl = cl;
    l->components = strmap_new(l->h->arena);
    l->decl = d;
    l->defaults = (Span){0, 0, 0};
    cl->at = d->name_span;
    cl->name.v = d->name;
    cl->name.p = pspan(d->name_span);
    if (d->node->decl.extends) cl->extends.v = d->node->decl.extends, cl->extends.p = pspan(d->node->decl.extends_span);
    if (v->kind != V_REC) return cl;
    const Record *rec = v->rec;
    Rd r;
    rd_open(&r, l, rec, arena_printf(l->h->arena, "cluster '%s'", d->name), d->name_span);

    Value *pc = rd_val(&r, "pcluster");
    if (pc) {
        if (val_str(l, pc, "pcluster", &cl->pcluster, NULL, false)) {
            bool known = false;
            for (size_t i = 0; PCLUSTER_VERSIONS[i]; i++) known |= strcmp(PCLUSTER_VERSIONS[i], cl->pcluster.v) == 0;
            if (!known) {
                Diag *g = diag(l->h, D_BAD_VALUE, pc->span, "hpcc does not know the rules of ParallelCluster %s",
                               cl->pcluster.v);
                diag_label(g, "supported: 3.11.0, 3.11.1");
                cl->pcluster.p.origin = ORIGIN_UNSET;
            }
        }
    }
    if (!ir_set(cl->pcluster.p)) cl->pcluster.v = PCLUSTER_DEFAULT_VERSION, cl->pcluster.p = phpcc("hpcc's default target");
    l->pc_by = arena_printf(l->h->arena, "ParallelCluster %s", cl->pcluster.v);

    get_str(&r, "account", &cl->account, "aws.AccountId");
    get_str(&r, "prices", &cl->prices, NULL);
    /* Where deploy.sh uploads local files (scripts) that the config refers to by URL. */
    if (get_str(&r, "uploads", &cl->uploads, "aws.S3Uri")) {
        size_t n = strlen(cl->uploads.v);
        if (n && cl->uploads.v[n - 1] == '/') cl->uploads.v = arena_strndup(l->h->arena, cl->uploads.v, n - 1);
    }
    if (get_name(&r, "region", &cl->region, "aws.Region")) {
        cl->aws_partition.v = aws_partition(cl->region.v);
        cl->aws_partition.p = phpcc("from the region");
    } else {
        missing(&r, "region", "region = us-east-1");
    }
    if (!get_enum(&r, "os", &cl->os, OS)) missing(&r, "os", "os = alinux2023");
    get_str(&r, "ami", &cl->ami, "aws.AmiId");
    get_str(&r, "custom_bucket", &cl->custom_bucket, "aws.BucketName");
    get_kv(&r, "tags", &cl->tags, true, false);
    if (!get_enum(&r, "imds", &cl->imds_support, IMDS)) def_str(l, &cl->imds_support, "v2.0");

    cl->logs = NEW(l->h->arena, IrLogs);
    Span at;
    const Record *logs = get_block(&r, "logs", &at);
    if (logs) {
        cl->logs->at = at;
        Rd lr;
        rd_open(&lr, l, logs, "logs", at);
        get_bool(&lr, "enabled", &cl->logs->enabled);
        get_str(&lr, "jobs", &cl->logs->jobs, "aws.LogGroupName");
        get_qty(&lr, "retention", &cl->logs->retention, DIM_TIME, "d", true);
        get_enum(&lr, "on_delete", &cl->logs->on_delete, DELETE_RETAIN);
        get_bool(&lr, "rotation", &cl->logs->rotation);
        rd_close(&lr);
    }
    def_bool(l, &cl->logs->enabled, true);
    if (!ir_set(cl->logs->jobs.p))
        cl->logs->jobs.v = arena_printf(l->h->arena, "/hpcc/%s/slurm-jobs", d->name),
        cl->logs->jobs.p = phpcc("/hpcc/CLUSTER/slurm-jobs, created by the cluster stack");
    def_qty(l, &cl->logs->retention, 180, "d");
    def_str(l, &cl->logs->on_delete, "Retain");
    def_bool(l, &cl->logs->rotation, true);

    cl->monitoring = NEW(l->h->arena, IrMonitoring);
    const Record *mon = get_block(&r, "monitoring", &at);
    if (mon) {
        cl->monitoring->at = at;
        Rd mr;
        rd_open(&mr, l, mon, "monitoring", at);
        get_bool(&mr, "detailed", &cl->monitoring->detailed);
        get_bool(&mr, "dashboards", &cl->monitoring->dashboards);
        get_bool(&mr, "alarms", &cl->monitoring->alarms);
        rd_close(&mr);
    }
    def_bool(l, &cl->monitoring->detailed, false);
    def_bool(l, &cl->monitoring->dashboards, true);
    def_bool(l, &cl->monitoring->alarms, true);

    get_raw(&r, "passthrough", &cl->passthrough);

    cl->stack = NEW(l->h->arena, IrStack);
    const Record *st = get_block(&r, "stack", &at);
    if (st) {
        cl->stack->at = at;
        Rd sr;
        rd_open(&sr, l, st, "stack", at);
        get_str(&sr, "name", &cl->stack->name, "aws.StackName");
        get_str(&sr, "image_name", &cl->stack->image_name, "aws.StackName");
        get_enum(&sr, "provider", &cl->stack->provider, PROVIDER);
        rd_close(&sr);
    }
    if (!ir_set(cl->stack->name.p))
        cl->stack->name.v = arena_printf(l->h->arena, "%s-cluster", d->name), cl->stack->name.p = phpcc("CLUSTER-cluster");
    if (!ir_set(cl->stack->image_name.p))
        cl->stack->image_name.v = arena_printf(l->h->arena, "%s-image", d->name), cl->stack->image_name.p = phpcc("CLUSTER-image");
    if (!ir_set(cl->stack->provider.p))
        cl->stack->provider.v = "nested", cl->stack->provider.p = phpcc("ParallelCluster's provider template as a nested stack");
    if (str_eq(cl->stack->name.v, d->name)) {
        Diag *g = diag(l->h, D_BAD_VALUE, cl->stack->name.p.span, "the cluster stack cannot be named like the cluster");
        diag_label(g, "ParallelCluster names the cluster's own stack after the cluster (Custom::PclusterCluster ClusterName)");
    }

    /* Blocks that may repeat or carry names: walk the fields in order. */
    static const char *const blocks[] = {"image", "head", "slurm", "defaults", "partition", "storage", "budget", "require"};
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) rd_ask(&r, blocks[i]);
    Field *image = NULL, *head = NULL, *slurm = NULL, *defaults = NULL, *budget = NULL;
    for (size_t i = 0; i < rec->n; i++) {
        Field *f = &rec->fields[i];
        Field **one = NULL;
        if (strcmp(f->key, "image") == 0) one = &image;
        else if (strcmp(f->key, "head") == 0) one = &head;
        else if (strcmp(f->key, "slurm") == 0) one = &slurm;
        else if (strcmp(f->key, "defaults") == 0) one = &defaults;
        else if (strcmp(f->key, "budget") == 0) one = &budget;
        if (!one) continue;
        if (f->value->kind != V_REC || f->cmp != T_EOF) {
            type_err(l, f->value, f->key, "a block");
            r.used[i] = true;
            continue;
        }
        if (f->nlabels && one != &image) {
            diag(l->h, D_BAD_VALUE, f->label_spans[0], "'%s' takes no name", f->key);
            r.used[i] = true;
            continue;
        }
        if (*one) {
            Diag *g = diag(l->h, D_DUPLICATE_FIELD, f->key_span, "a cluster has one '%s'", f->key);
            diag_note(g, (*one)->key_span, "the first is here");
            r.used[i] = true;
            continue;
        }
        *one = f;
        r.used[i] = true;
    }
    if (image && image->nlabels == 1 && str_eq(cl->stack->image_name.v, image->labels[0])) {
        Diag *g = diag(l->h, D_BAD_VALUE, cl->stack->image_name.p.span.file ? cl->stack->image_name.p.span : image->label_spans[0],
                       "the image stack cannot be named like the image");
        diag_label(g, "pcluster build-image names its own stack after the image id: set stack { image_name = \"...\" }");
    }
    if (image) cl->image = lower_image(l, image);
    if (head) cl->head = lower_head(l, head);
    else missing(&r, "head", "head { instance = ...; network = ... }");
    cl->slurm = lower_slurm(l, slurm);
    const Record *defs = defaults ? defaults->value->rec : NULL;
    if (defaults) l->defaults = defaults->span;
    for (size_t i = 0; i < rec->n; i++) {
        Field *f = &rec->fields[i];
        if (f->cmp != T_EOF) continue;
        if (strcmp(f->key, "partition") == 0) {
            r.used[i] = true;
            IrPartition *p = lower_partition(l, f, defs);
            if (p) VPUSH(l->h->arena, cl->partitions, p);
        } else if (strcmp(f->key, "storage") == 0) {
            r.used[i] = true;
            IrStorage *s = lower_storage(l, f);
            if (s) VPUSH(l->h->arena, cl->storage, s);
        }
    }
    if (cl->partitions.n == 0) missing(&r, "partition", "partition NAME { ... }");
    if (budget) cl->budget = lower_budget(l, budget);
    for (size_t i = 0; i < rec->n; i++) {
        Field *f = &rec->fields[i];
        if (strcmp(f->key, "require") != 0) continue;
        r.used[i] = true;
        if (f->value->kind != V_REC || f->nlabels) type_err(l, f->value, "require", "a block of comparisons");
        else lower_requires(l, f);
    }
    rd_close(&r);
    return cl;
}

Ir *lower_spec(Hpcc *h, Module *main)
{
    Ir *ir = NEW(h->arena, Ir);
    L l;
    memset(&l, 0, sizeof l);
    l.h = h;
    l.main = main;
    l.pc_by = "ParallelCluster " PCLUSTER_DEFAULT_VERSION;
    size_t n = module_decls(main, DK_CLUSTER, NULL, 0);
    Decl **ds = arena_alloc(h->arena, (n + 1) * sizeof *ds);
    module_decls(main, DK_CLUSTER, ds, n);
    ir->clusters = arena_alloc(h->arena, (n + 1) * sizeof *ir->clusters);
    for (size_t i = 0; i < n; i++) {
        if (ds[i]->failed) continue; /* its extends failed: reported, and the rest would only be noise */
        l.lenient = ds[i]->node->decl.is_template;
        IrCluster *cl = lower_cluster(&l, ds[i]);
        if (!l.lenient) ir->clusters[ir->n++] = cl;
    }
    /* Components and profiles no cluster uses are still checked. */
    l.lenient = false;
    size_t nc = module_decls(main, DK_COMPONENT, NULL, 0);
    Decl **cs = arena_alloc(h->arena, (nc + 1) * sizeof *cs);
    module_decls(main, DK_COMPONENT, cs, nc);
    IrCluster scratch;
    memset(&scratch, 0, sizeof scratch);
    l.cl = &scratch;
    l.components = strmap_new(h->arena);
    for (size_t i = 0; i < nc; i++) lower_component(&l, cs[i]);
    size_t np = module_decls(main, DK_PROFILE, NULL, 0);
    Decl **ps = arena_alloc(h->arena, (np + 1) * sizeof *ps);
    module_decls(main, DK_PROFILE, ps, np);
    for (size_t i = 0; i < np; i++) lower_profile(&l, ps[i], NULL);
    return ir;
}
