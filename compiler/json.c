/* json.c — jansson behind json.h; the only file that includes <jansson.h>. */
#include "json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpcc.h"

#define J(x) ((json_t *)(x))
#define CJ(x) ((const json_t *)(x))

static Json *chk(json_t *v)
{
    if (!v) hpcc_die("out of memory (jansson)");
    return (Json *)v;
}

Json *js_object(void) { return chk(json_object()); }
Json *js_array(void) { return chk(json_array()); }
Json *js_str(const char *s) { return s ? js_strn(s, strlen(s)) : js_null(); }
Json *js_int(int64_t v) { return chk(json_integer((json_int_t)v)); }
Json *js_bool(bool v) { return chk(json_boolean(v)); }
Json *js_null(void) { return chk(json_null()); }

Json *js_strn(const char *s, size_t n)
{
    /* jansson refuses invalid UTF-8 and NUL; the front end lets neither through,
     * but replace what jansson refuses rather than crash. */
    json_t *v = json_stringn(s, n);
    if (v) return (Json *)v;
    char *tmp = malloc(n + 1);
    if (!tmp) hpcc_die("out of memory");
    for (size_t i = 0; i < n; i++) tmp[i] = ((unsigned char)s[i] < 0x80 && s[i]) ? s[i] : '?';
    v = json_stringn(tmp, n);
    free(tmp);
    return chk(v);
}

void js_put(Json *obj, const char *key, Json *v)
{
    if (json_object_set_new(J(obj), key, J(v)) != 0) hpcc_die("internal error: js_put(%s)", key);
}

void js_append(Json *arr, Json *v)
{
    if (json_array_append_new(J(arr), J(v)) != 0) hpcc_die("internal error: js_append");
}

size_t js_len(const Json *arr) { return json_array_size(CJ(arr)); }

static char *dump(const Json *v, size_t flags, bool newline)
{
    char *s = json_dumps(CJ(v), flags | JSON_PRESERVE_ORDER);
    if (!s) hpcc_die("out of memory (json dump)");
    if (!newline) return s;
    size_t n = strlen(s);
    char *t = realloc(s, n + 2);
    if (!t) hpcc_die("out of memory");
    t[n] = '\n';
    t[n + 1] = 0;
    return t;
}

char *js_dump_pretty(const Json *v) { return dump(v, JSON_INDENT(2), true); }
char *js_dump_compact(const Json *v) { return dump(v, JSON_COMPACT, false); }
void js_release(Json *v) { json_decref(J(v)); }

Json *js_parse(const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t e;
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
    if (!v && err && errlen) snprintf(err, errlen, "line %d column %d: %s", e.line, e.column, e.text);
    return (Json *)v;
}

const Json *js_get(const Json *obj, const char *key) { return (const Json *)json_object_get(CJ(obj), key); }
const Json *js_at(const Json *arr, size_t i) { return (const Json *)json_array_get(CJ(arr), i); }
bool js_is_object(const Json *v) { return v && json_is_object(CJ(v)); }
bool js_is_array(const Json *v) { return v && json_is_array(CJ(v)); }
bool js_is_string(const Json *v) { return v && json_is_string(CJ(v)); }
bool js_is_int(const Json *v) { return v && json_is_integer(CJ(v)); }
bool js_is_bool(const Json *v) { return v && json_is_boolean(CJ(v)); }
const char *js_str_value(const Json *v) { return v ? json_string_value(CJ(v)) : NULL; }
int64_t js_int_value(const Json *v) { return v ? (int64_t)json_integer_value(CJ(v)) : 0; }
bool js_bool_value(const Json *v) { return v && json_is_true(CJ(v)); }
size_t js_obj_size(const Json *v) { return v ? json_object_size(CJ(v)) : 0; }

const char *js_key_at(const Json *v, size_t i)
{
    size_t k = 0;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)CJ(v), key, val)
    {
        (void)val;
        if (k++ == i) return key;
    }
    return NULL;
}
