/* `hpcc ir` JSON (compiler/ir.c): the exact bytes, on an IR built by hand.
 *
 * ir.c writes the text itself; these are the bytes jansson's JSON_INDENT(2)
 * dump gave when ir.c built a jansson tree (the expectations were checked
 * against that implementation): the layout, the escapes, what happens to
 * text that is not UTF-8, integers at their limits, a record key set twice. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpcc.h"
#include "ir.h"
#include "source.h"
#include "value.h"

static Hpcc *h;

static void setup(void) { h = hpcc_new(); }
static void teardown(void)
{
    hpcc_free(h);
    h = NULL;
}

TestSuite(ir, .init = setup, .fini = teardown);

static const Prov HPCC_PROV = {ORIGIN_HPCC, {0, 0, 0}, "a rule", false, NULL};

static IrCluster *cluster(const char *name)
{
    IrCluster *c = NEW(h->arena, IrCluster);
    c->name = (Ir_STR){name, HPCC_PROV};
    return c;
}

/* The JSON of one cluster; the caller frees it. */
static char *json_of(IrCluster *c)
{
    Ir ir = {&c, 1, NULL};
    return ir_to_json(h, &ir, NULL);
}

/* A text field's "value" line as written, without the indentation. */
static char *name_json(const char *text)
{
    IrCluster *c = cluster("c");
    c->region = (Ir_STR){text, HPCC_PROV};
    char *s = json_of(c);
    const char *v = strstr(s, "\"region\": {\n      \"value\": ");
    cr_assert_not_null(v, "%s", s);
    v += strlen("\"region\": {\n      ");
    const char *e = strchr(v, '\n');
    char *line = arena_strndup(h->arena, v, (size_t)(e - v));
    free(s);
    return line;
}

/* A string Value of n bytes (may hold NUL). */
static Value *vstr(const char *s, size_t n)
{
    Value *v = value_new(h->arena, V_STR, (Span){0, 0, 0});
    v->str.s = arena_strndup(h->arena, s, n);
    v->str.len = n;
    return v;
}

static Value *vint(int64_t i)
{
    Value *v = value_new(h->arena, V_NUM, (Span){0, 0, 0});
    v->num.v = rat_int(i);
    return v;
}

/* The JSON of a value, as the cluster's passthrough, from "value" to its end. */
static char *raw_json(const Value *v)
{
    IrCluster *c = cluster("c");
    c->passthrough = (Ir_RAW){v, HPCC_PROV};
    char *s = json_of(c);
    const char *p = strstr(s, "\"passthrough\": {\n      \"value\": ");
    cr_assert_not_null(p, "%s", s);
    p += strlen("\"passthrough\": {\n      \"value\": ");
    const char *e = strstr(p, ",\n      \"from\"");
    cr_assert_not_null(e);
    char *out = arena_strndup(h->arena, p, (size_t)(e - p));
    free(s);
    return out;
}

Test(ir, no_cluster_is_an_empty_object_and_a_newline)
{
    Ir ir = {NULL, 0, NULL};
    char *s = ir_to_json(h, &ir, NULL);
    cr_assert_str_eq(s, "{}\n");
    free(s);
}

Test(ir, layout_of_a_cluster)
{
    uint32_t f = source_add(h, "dir/spec.hpc", "spec.hpc", "a\nbc = 1\n", 9);
    IrCluster *c = cluster("c1");
    c->region = (Ir_STR){"us-east-1", {ORIGIN_SPEC, {f, 4, 5}, NULL, false, NULL}};
    c->tags.v = arena_alloc(h->arena, 2 * sizeof *c->tags.v);
    c->tags.v[0] = (IrKv){"Name", vint(7), {ORIGIN_DEFAULT, {0, 0, 0}, "PC 3", true, "why"}};
    c->tags.n = 1;
    c->tags.p = HPCC_PROV;
    c->logs = NEW(h->arena, IrLogs);
    c->logs->retention = (Ir_QTY){rat_int(14), "d", {ORIGIN_PASS, {0, 0, 0}, "storage", false, NULL}};
    c->logs->enabled = (Ir_BOOL){false, HPCC_PROV};
    c->budget = NEW(h->arena, IrBudget);
    c->budget->notify = (Ir_STRS){NULL, 0, HPCC_PROV};
    char *s = json_of(c);
    cr_assert_str_eq(s, "{\n"
                        "  \"c1\": {\n"
                        "    \"name\": {\n"
                        "      \"value\": \"c1\",\n"
                        "      \"from\": \"hpcc\",\n"
                        "      \"by\": \"a rule\"\n"
                        "    },\n"
                        "    \"region\": {\n"
                        "      \"value\": \"us-east-1\",\n"
                        "      \"from\": \"spec\",\n"
                        "      \"at\": \"spec.hpc:2:3\"\n"
                        "    },\n"
                        "    \"tags\": {\n"
                        "      \"Name\": {\n"
                        "        \"value\": 7,\n"
                        "        \"from\": \"default\",\n"
                        "        \"by\": \"PC 3\",\n"
                        "        \"unverified\": true,\n"
                        "        \"note\": \"why\"\n"
                        "      }\n"
                        "    },\n"
                        "    \"logs\": {\n"
                        "      \"enabled\": {\n"
                        "        \"value\": false,\n"
                        "        \"from\": \"hpcc\",\n"
                        "        \"by\": \"a rule\"\n"
                        "      },\n"
                        "      \"retention\": {\n"
                        "        \"value\": \"14\",\n"
                        "        \"unit\": \"d\",\n"
                        "        \"from\": \"pass\",\n"
                        "        \"by\": \"storage\"\n"
                        "      }\n"
                        "    },\n"
                        "    \"components\": [],\n"
                        "    \"partitions\": [],\n"
                        "    \"storage\": [],\n"
                        "    \"budget\": {\n"
                        "      \"notify\": []\n"
                        "    },\n"
                        "    \"requires\": [],\n"
                        "    \"policies\": []\n"
                        "  }\n"
                        "}\n");
    free(s);
}

Test(ir, only_names_one_cluster)
{
    IrCluster *cs[2] = {cluster("a"), cluster("b")};
    Ir ir = {cs, 2, NULL};
    char *s = ir_to_json(h, &ir, "b");
    cr_assert_not_null(strstr(s, "\"b\": {"));
    cr_assert_null(strstr(s, "\"a\": {"));
    free(s);
}

Test(ir, escapes_quotes_backslashes_and_control_characters)
{
    cr_assert_str_eq(name_json("q\"b\\s/"), "\"value\": \"q\\\"b\\\\s/\",");
    cr_assert_str_eq(name_json("\b\f\n\r\t"), "\"value\": \"\\b\\f\\n\\r\\t\",");
    cr_assert_str_eq(name_json("\x01\x1b\x1f"), "\"value\": \"\\u0001\\u001B\\u001F\",");
    cr_assert_str_eq(name_json("del\x7f end ~"), "\"value\": \"del\x7f end ~\","); /* DEL is not escaped */
}

Test(ir, keeps_utf8_as_it_is)
{
    cr_assert_str_eq(name_json("\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"),
                     "\"value\": \"\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\",");
}

/* jansson refused such a string; json.c wrote '?' for every byte that is not
 * ASCII (valid sequences too) and for NUL. */
Test(ir, text_that_is_not_utf8_becomes_ascii)
{
    cr_assert_str_eq(name_json("\xc3\xa9 \xff \"x\""), "\"value\": \"?? ? \\\"x\\\"\",");
    cr_assert_str_eq(name_json("cut \xe6\x97"), "\"value\": \"cut ??\",");
    cr_assert_str_eq(name_json("overlong \xc0\xaf"), "\"value\": \"overlong ??\",");
    cr_assert_str_eq(name_json("surrogate \xed\xa0\x80"), "\"value\": \"surrogate ???\",");
    cr_assert_str_eq(name_json("too big \xf4\x90\x80\x80"), "\"value\": \"too big ????\",");
    cr_assert_str_eq(raw_json(vstr("a\0b", 3)), "\"a\\u0000b\""); /* valid: NUL escaped */
    cr_assert_str_eq(raw_json(vstr("a\0b\xff", 4)), "\"a?b?\"");  /* invalid: NUL too is '?' */
}

/* A special byte at every place of strings up to 24 bytes long: the
 * eight-at-a-time scan must stop at it, wherever it falls. */
Test(ir, escapes_a_special_byte_at_any_position)
{
    static const struct {
        const char *in, *out;
    } special[] = {
        {"\"", "\\\""}, {"\\", "\\\\"}, {"\x01", "\\u0001"}, {"\x1f", "\\u001F"}, {"\n", "\\n"},
        {" ", " "},     {"\x7f", "\x7f"}, {"\xc3\xa9", "\xc3\xa9"}, {"\xff", "?"},
    };
    for (size_t k = 0; k < sizeof special / sizeof special[0]; k++)
        for (size_t len = 0; len <= 24; len++)
            for (size_t at = 0; at <= len; at++) {
                char in[64], want[128];
                snprintf(in, sizeof in, "%.*s%s%.*s", (int)at, "abcdefghijklmnopqrstuvwxyz", special[k].in,
                         (int)(len - at), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
                snprintf(want, sizeof want, "\"value\": \"%.*s%s%.*s\",", (int)at, "abcdefghijklmnopqrstuvwxyz",
                         special[k].out, (int)(len - at), "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
                cr_assert_str_eq(name_json(in), want, "special %zu at %zu of %zu", k, at, len);
            }
}

Test(ir, integers_at_their_limits)
{
    cr_assert_str_eq(raw_json(vint(INT64_MIN)), "-9223372036854775808");
    cr_assert_str_eq(raw_json(vint(INT64_MAX)), "9223372036854775807");
    cr_assert_str_eq(raw_json(vint(0)), "0");
    cr_assert_str_eq(raw_json(vint(-1)), "-1");
    IrCluster *c = cluster("c");
    c->head = NEW(h->arena, IrHead);
    c->head->dcv_port = (Ir_INT){INT64_MIN, HPCC_PROV};
    char *s = json_of(c);
    cr_assert_not_null(strstr(s, "\"dcv_port\": {\n        \"value\": -9223372036854775808,\n"), "%s", s);
    free(s);
}

/* Labelled blocks in a pass-through record can repeat a key: the key keeps
 * its first place and takes its last value, as a jansson object did. */
Test(ir, a_record_key_set_twice_keeps_its_place_and_last_value)
{
    Value *v = value_new(h->arena, V_REC, (Span){0, 0, 0});
    v->rec = NEW(h->arena, Record);
    v->rec->fields = arena_alloc(h->arena, 4 * sizeof(Field));
    const char *keys[] = {"X", "Y", "X", "Z"};
    for (int i = 0; i < 4; i++) v->rec->fields[i] = (Field){.key = keys[i], .value = vint(i)};
    v->rec->n = 4;
    cr_assert_str_eq(raw_json(v), "{\n"
                                  "        \"X\": 2,\n"
                                  "        \"Y\": 1,\n"
                                  "        \"Z\": 3\n"
                                  "      }");
}

Test(ir, nested_values)
{
    Value *empty = value_new(h->arena, V_LIST, (Span){0, 0, 0});
    Value *rec = value_new(h->arena, V_REC, (Span){0, 0, 0});
    rec->rec = NEW(h->arena, Record);
    Value *none = value_new(h->arena, V_NONE, (Span){0, 0, 0});
    Value *yes = value_new(h->arena, V_BOOL, (Span){0, 0, 0});
    yes->b = true;
    Value *call = value_new(h->arena, V_CALL, (Span){0, 0, 0});
    call->call.fn = "secret";
    call->call.args = arena_alloc(h->arena, sizeof(Value *));
    call->call.args[0] = vstr("arn", 3);
    call->call.n = 1;
    Value *list = value_new(h->arena, V_LIST, (Span){0, 0, 0});
    Value *items[] = {empty, rec, none, yes, call};
    list->list.v = items;
    list->list.n = 5;
    cr_assert_str_eq(raw_json(list), "[\n"
                                     "        [],\n"
                                     "        {},\n"
                                     "        null,\n"
                                     "        true,\n"
                                     "        {\n"
                                     "          \"call\": \"secret\",\n"
                                     "          \"args\": [\n"
                                     "            \"arn\"\n"
                                     "          ]\n"
                                     "        }\n"
                                     "      ]");
}

/* jansson refused a key that is not UTF-8 and hpcc stopped, as it still does
 * (the lexer lets no such name through). */
Test(ir, a_key_that_is_not_utf8_is_an_internal_error, .signal = SIGABRT)
{
    char *s = json_of(cluster("bad \xff"));
    free(s);
}

/* The "at" of a file whose name needs escaping. */
Test(ir, location_names_are_escaped)
{
    uint32_t f = source_add(h, "d/we\"ird\\.hpc", "we\"ird\\.hpc", "x", 1);
    IrCluster *c = cluster("c");
    c->region = (Ir_STR){"r", {ORIGIN_SPEC, {f, 0, 1}, NULL, false, NULL}};
    char *s = json_of(c);
    cr_assert_not_null(strstr(s, "\"at\": \"we\\\"ird\\\\.hpc:1:1\"\n"), "%s", s);
    free(s);
}
