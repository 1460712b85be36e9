/* json.h — the one wrapper around jansson (<jansson.h> is included only by json.c).
 *
 * Ownership rule, the same everywhere: a function that puts a value into an
 * object or array takes the caller's reference ("steals" it); the caller owns
 * only the root it created and releases it with js_release(). Dumping never
 * changes ownership. Objects keep insertion order, so output is stable.
 *
 * There is deliberately no constructor for binary floating-point numbers:
 * exact decimals (costs, sizes) are written as strings, integers as integers. */
#ifndef HPCC_JSON_H
#define HPCC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Json Json;

Json *js_object(void);
Json *js_array(void);
Json *js_str(const char *s);              /* NULL-safe: NULL -> null */
Json *js_strn(const char *s, size_t n);
Json *js_int(int64_t v);
Json *js_bool(bool v);
Json *js_null(void);

void js_put(Json *obj, const char *key, Json *v); /* steals v */
void js_append(Json *arr, Json *v);              /* steals v */
size_t js_len(const Json *arr);

/* Pretty (2-space indent, trailing newline) or compact; malloc'ed, caller frees. */
char *js_dump_pretty(const Json *v);
char *js_dump_compact(const Json *v);
void js_release(Json *v);

/* ---- reading (catalog data, snapshots, tests) ---- */
Json *js_parse(const char *text, size_t len, char *err, size_t errlen);
const Json *js_get(const Json *obj, const char *key);
const Json *js_at(const Json *arr, size_t i);
bool js_is_object(const Json *v);
bool js_is_array(const Json *v);
bool js_is_string(const Json *v);
bool js_is_int(const Json *v);
bool js_is_bool(const Json *v);
const char *js_str_value(const Json *v);      /* NULL if not a string */
int64_t js_int_value(const Json *v);
bool js_bool_value(const Json *v);
size_t js_obj_size(const Json *v);
const char *js_key_at(const Json *v, size_t i); /* insertion order, via iteration */

#endif
