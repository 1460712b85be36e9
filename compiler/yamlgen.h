/* yamlgen.h — building YAML documents and emitting them with libyaml (<yaml.h>
 * is included only by yamlgen.c).
 *
 * Backends build a tree of YNodes in the arena, in the key order they want,
 * and yaml_emit() writes it. Strings are written so that a YAML 1.1 reader
 * (ParallelCluster's PyYAML) reads back exactly the same string: a string that
 * plain YAML would turn into a boolean, number, null, timestamp or merge key
 * (`yes`, `off`, `1.0`, `1-00:00:00`, `~`, `<<`, ...) is quoted, and libyaml
 * quotes whatever plain style cannot carry (`: `, ` #`, leading `*&!%@`...).
 * Multi-line strings use the literal block style, so scripts read naturally
 * and come back byte for byte. */
#ifndef HPCC_YAMLGEN_H
#define HPCC_YAMLGEN_H

#include "hpcc.h"

typedef struct YNode YNode;

YNode *y_map(Arena *a);
YNode *y_seq(Arena *a);
YNode *y_flow_seq(Arena *a);                 /* written [a, b, c] */
YNode *y_str(Arena *a, const char *s);       /* a string, always read back as that string */
YNode *y_strn(Arena *a, const char *s, size_t n);
YNode *y_int(Arena *a, int64_t v);
YNode *y_bool(Arena *a, bool v);
YNode *y_number(Arena *a, const char *decimal); /* an exact decimal written as a YAML number */

void y_put(YNode *map, const char *key, YNode *v);   /* appends; keys keep insertion order */
void y_push(YNode *seq, YNode *v);
size_t y_len(const YNode *n);                 /* entries of a map or sequence */
YNode *y_get(const YNode *map, const char *key);
bool y_is_map(const YNode *n);

/* True when a YAML 1.1 reader would not read `s`, written plain, as a string. */
bool yaml_plain_is_not_string(const char *s, size_t n);

/* Emits the document, preceded by `header` (comment lines, each starting
 * with "# "; may be NULL). Returns malloc'ed text, or NULL with *err set. */
char *yaml_emit(const YNode *root, const char *header, size_t *len, const char **err);

#endif
