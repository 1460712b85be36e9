/* yamlgen.c — libyaml's emitter behind yamlgen.h; the only file that includes <yaml.h>. */
#include "yamlgen.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef enum { YK_MAP, YK_SEQ, YK_STR, YK_PLAIN } YKind;

typedef struct YPair {
    const char *key;
    YNode *val;
} YPair;

struct YNode {
    YKind kind;
    bool flow;
    Arena *arena;
    const char *s;           /* YK_STR, YK_PLAIN */
    size_t n;
    VEC(YPair) pairs;        /* YK_MAP */
    VEC(YNode *) items;      /* YK_SEQ */
};

static YNode *mk(Arena *a, YKind k)
{
    YNode *y = NEW(a, YNode);
    y->kind = k;
    y->arena = a;
    return y;
}

YNode *y_map(Arena *a) { return mk(a, YK_MAP); }
YNode *y_seq(Arena *a) { return mk(a, YK_SEQ); }

YNode *y_flow_seq(Arena *a)
{
    YNode *y = mk(a, YK_SEQ);
    y->flow = true;
    return y;
}

YNode *y_strn(Arena *a, const char *s, size_t n)
{
    YNode *y = mk(a, YK_STR);
    y->s = arena_strndup(a, s, n);
    y->n = n;
    return y;
}

YNode *y_str(Arena *a, const char *s) { return y_strn(a, s, strlen(s)); }

YNode *y_int(Arena *a, int64_t v)
{
    YNode *y = mk(a, YK_PLAIN);
    y->s = arena_printf(a, "%lld", (long long)v);
    y->n = strlen(y->s);
    return y;
}

YNode *y_bool(Arena *a, bool v)
{
    YNode *y = mk(a, YK_PLAIN);
    y->s = v ? "true" : "false";
    y->n = strlen(y->s);
    return y;
}

YNode *y_number(Arena *a, const char *decimal)
{
    YNode *y = mk(a, YK_PLAIN);
    y->s = arena_strdup(a, decimal);
    y->n = strlen(decimal);
    return y;
}

void y_put(YNode *map, const char *key, YNode *v)
{
    HPCC_ASSERT(map->kind == YK_MAP);
    YPair p = {key, v};
    VPUSH(map->arena, map->pairs, p);
}

void y_push(YNode *seq, YNode *v)
{
    HPCC_ASSERT(seq->kind == YK_SEQ);
    VPUSH(seq->arena, seq->items, v);
}

bool y_is_map(const YNode *n) { return n->kind == YK_MAP; }

size_t y_len(const YNode *n) { return n->kind == YK_MAP ? n->pairs.n : n->items.n; }

YNode *y_get(const YNode *map, const char *key)
{
    for (size_t i = 0; i < map->pairs.n; i++)
        if (strcmp(map->pairs.v[i].key, key) == 0) return map->pairs.v[i].val;
    return NULL;
}

/* ---- YAML 1.1 implicit typing ------------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool word_in(const char *s, size_t n, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0) return true;
    return false;
}

/* Conservative on purpose: anything a YAML 1.1 resolver might read as a
 * number, boolean, null, timestamp, merge or value key is quoted. Quoting a
 * string that did not need it changes nothing for the reader. */
bool yaml_plain_is_not_string(const char *s, size_t n)
{
    static const char *const special[] = {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
        "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "<<", "=", NULL};
    if (n == 0) return true;
    if (word_in(s, n, special)) return true;
    /* Numbers in every YAML 1.1 form (ints, floats, 0x, 0o, 0b, sexagesimal,
     * .inf, .nan) and timestamps all start with a sign, a dot or a digit. */
    if (s[0] == '+' || s[0] == '-' || s[0] == '.' || is_digit(s[0])) {
        /* ...but only if nothing in them rules a number or date out. */
        for (size_t i = 0; i < n; i++) {
            char c = s[i];
            bool ok = is_digit(c) || c == '_' || c == '.' || c == ':' || c == '+' || c == '-' || c == 'e' || c == 'E' ||
                      c == 'x' || c == 'X' || c == 'b' || c == 'o' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                      c == 'T' || c == 't' || c == 'Z' || c == ' ' || c == '\t' || c == 'i' || c == 'n' || c == 'I' ||
                      c == 'N';
            if (!ok) return false;
        }
        return true;
    }
    return false;
}

/* ---- emitting ------------------------------------------------------------------- */

typedef struct Out {
    Buf buf;
} Out;

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    Out *o = data;
    buf_put(&o->buf, (const char *)buffer, size);
    return 1;
}

static bool emit_scalar(yaml_emitter_t *e, const char *s, size_t n, yaml_scalar_style_t style, bool plain_implicit)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)n, plain_implicit, 1,
                                      style))
        return false;
    return yaml_emitter_emit(e, &ev);
}

static bool emit_node(yaml_emitter_t *e, const YNode *y)
{
    yaml_event_t ev;
    switch (y->kind) {
    case YK_PLAIN: return emit_scalar(e, y->s, y->n, YAML_PLAIN_SCALAR_STYLE, 1);
    case YK_STR: {
        yaml_scalar_style_t st = YAML_PLAIN_SCALAR_STYLE;
        if (memchr(y->s, '\n', y->n)) st = YAML_LITERAL_SCALAR_STYLE;
        else if (yaml_plain_is_not_string(y->s, y->n)) st = YAML_SINGLE_QUOTED_SCALAR_STYLE;
        /* plain_implicit only when plain is safe; libyaml picks a quoted style
         * by itself when plain cannot carry the text. */
        return emit_scalar(e, y->s, y->n, st, st == YAML_PLAIN_SCALAR_STYLE);
    }
    case YK_MAP:
        if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) ||
            !yaml_emitter_emit(e, &ev))
            return false;
        for (size_t i = 0; i < y->pairs.n; i++) {
            const char *k = y->pairs.v[i].key;
            bool safe = !yaml_plain_is_not_string(k, strlen(k));
            if (!emit_scalar(e, k, strlen(k), safe ? YAML_PLAIN_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE, safe) ||
                !emit_node(e, y->pairs.v[i].val))
                return false;
        }
        return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev);
    case YK_SEQ:
        if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                  y->flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE) ||
            !yaml_emitter_emit(e, &ev))
            return false;
        for (size_t i = 0; i < y->items.n; i++)
            if (!emit_node(e, y->items.v[i])) return false;
        return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(e, &ev);
    }
    return false;
}

char *yaml_emit(const YNode *root, const char *header, size_t *len, const char **err)
{
    yaml_emitter_t e;
    yaml_event_t ev;
    Out o = {{0}};
    if (header) buf_puts(&o.buf, header);
    if (!yaml_emitter_initialize(&e)) {
        *err = "cannot initialize the YAML emitter";
        return NULL;
    }
    yaml_emitter_set_output(&e, write_handler, &o);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1);
    yaml_emitter_set_indent(&e, 2);
    yaml_emitter_set_break(&e, YAML_LN_BREAK);
    bool ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&e, &ev) &&
              yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&e, &ev) &&
              emit_node(&e, root) && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev) &&
              yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev) && yaml_emitter_flush(&e);
    if (!ok) {
        *err = e.problem ? e.problem : "the YAML emitter failed";
        yaml_emitter_delete(&e);
        buf_free(&o.buf);
        return NULL;
    }
    yaml_emitter_delete(&e);
    *len = o.buf.n;
    if (!o.buf.p) buf_put(&o.buf, "", 0);
    return o.buf.p;
}
