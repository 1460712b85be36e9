/* value.c — value constructors and how diagnostics name values. */
#include "value.h"

#include <string.h>

static const char *const VKIND_NAMES[] = {"none", "boolean", "number", "string", "word", "list",
                                          "block", "range", "call", "reference", "error"};

const char *vkind_name(VKind k) { return VKIND_NAMES[k]; }

Value *value_new(Arena *a, VKind k, Span s)
{
    Value *v = NEW(a, Value);
    v->kind = k;
    v->span = s;
    return v;
}

Field *record_get(const Record *r, const char *key)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->fields[i].nlabels == 0 && strcmp(r->fields[i].key, key) == 0) return &r->fields[i];
    return NULL;
}

bool value_is_str(const Value *v) { return v && v->kind == V_STR; }
bool value_is_text(const Value *v) { return v && (v->kind == V_STR || v->kind == V_WORD); }

static const char *clip(Arena *a, const char *s, size_t n)
{
    if (n <= 40 && !memchr(s, '\n', n)) return arena_strndup(a, s, n);
    size_t k = 0;
    while (k < n && k < 37 && s[k] != '\n') k++;
    return arena_printf(a, "%.*s...", (int)k, s);
}

const char *value_text(Arena *a, const Value *v)
{
    char buf[128];
    switch (v->kind) {
    case V_NONE: return "none";
    case V_BOOL: return v->b ? "true" : "false";
    case V_NUM: {
        if (!v->num.unit) return arena_strdup(a, rat_format(v->num.v, buf, sizeof buf));
        Rat r;
        if (!unit_from_base(v->num.v, v->num.unit, &r)) return "?";
        return arena_printf(a, "%s %s", rat_format(r, buf, sizeof buf), v->num.unit->text);
    }
    case V_STR:
    case V_WORD: return clip(a, v->str.s, v->str.len);
    case V_RANGE: return arena_printf(a, "%s..%s", value_text(a, v->range.lo), value_text(a, v->range.hi));
    case V_CALL: return arena_printf(a, "%s(...)", v->call.fn);
    case V_REF: return v->ref.decl->name;
    case V_LIST: return "[...]";
    case V_REC: return "{...}";
    case V_ERROR: return "?";
    }
    return "?";
}

const char *value_describe(Arena *a, const Value *v)
{
    switch (v->kind) {
    case V_NONE: return "none";
    case V_BOOL: return arena_printf(a, "the boolean %s", v->b ? "true" : "false");
    case V_NUM: {
        if (!v->num.unit) return arena_printf(a, "the number %s", value_text(a, v));
        char d[64];
        return arena_printf(a, "%s (%s)", value_text(a, v), dim_describe(v->num.dim, d, sizeof d));
    }
    case V_STR: return arena_printf(a, "the string \"%s\"", value_text(a, v));
    case V_WORD: return arena_printf(a, "the word '%s'", value_text(a, v));
    case V_LIST: return v->list.n ? "a list" : "an empty list";
    case V_REC: return v->rec->type ? arena_printf(a, "a %s block", v->rec->type) : "a block";
    case V_RANGE: return arena_printf(a, "the range %s", value_text(a, v));
    case V_CALL: return arena_printf(a, "%s(...)", v->call.fn);
    case V_REF: {
        static const char *const kinds[] = {"let", "type", "component", "profile", "cluster", "policy"};
        return arena_printf(a, "%s '%s'", kinds[v->ref.decl->kind], v->ref.decl->name);
    }
    case V_ERROR: return "an invalid value";
    }
    return "a value";
}
