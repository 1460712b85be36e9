/* The arena, growable arrays, Buf, StrMap and string helpers (compiler/hpcc.h). */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hpcc.h"

static Arena *a;

static void setup(void) { a = arena_new(); }
static void teardown(void)
{
    arena_free(a);
    a = NULL;
}

TestSuite(arena, .init = setup, .fini = teardown);
TestSuite(strmap, .init = setup, .fini = teardown);
TestSuite(strings);

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        if (c[i]) return false;
    return true;
}

/* ---- arena ------------------------------------------------------------------------- */

Test(arena, allocations_are_aligned_zeroed_and_disjoint)
{
    unsigned char *prev = NULL;
    size_t prev_n = 0;
    for (size_t n = 0; n < 300; n++) {
        unsigned char *p = arena_alloc(a, n);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % 16, 0u, "size %zu: %p not 16-byte aligned", n, (void *)p);
        cr_assert(all_zero(p, n), "size %zu not zeroed", n);
        if (prev) cr_assert(p >= prev + prev_n || p + n <= prev, "size %zu overlaps the previous block", n);
        memset(p, 0xAB, n); /* dirty it: the next block must still come back zeroed */
        prev = p;
        prev_n = n;
    }
}

Test(arena, zero_size_allocations_are_distinct)
{
    void *p = arena_alloc(a, 0), *q = arena_alloc(a, 0);
    cr_assert_not_null(p);
    cr_assert_not_null(q);
    cr_assert_neq(p, q);
}

Test(arena, chunks_and_large_allocations)
{
    cr_assert_eq(arena_bytes(a), 0u);
    unsigned char *small = arena_alloc(a, 100);
    cr_assert_eq(arena_bytes(a), 65536u);
    /* a large request gets its own chunk... */
    unsigned char *big = arena_alloc(a, 1 << 20);
    cr_assert_eq((uintptr_t)big % 16, 0u);
    cr_assert(all_zero(big, 1 << 20));
    cr_assert_eq(arena_bytes(a), 65536u + (1u << 20));
    memset(big, 0xCD, 1 << 20);
    /* ...and small ones continue in the current chunk */
    unsigned char *small2 = arena_alloc(a, 100);
    cr_assert_eq(arena_bytes(a), 65536u + (1u << 20));
    cr_assert_eq(small2, small + 112);
    cr_assert(all_zero(small2, 100));
    /* filling the chunk starts a new one */
    arena_alloc(a, 65536 - 224);
    cr_assert_eq(arena_bytes(a), 65536u + (1u << 20));
    arena_alloc(a, 1);
    cr_assert_eq(arena_bytes(a), 2 * 65536u + (1u << 20));
}

Test(arena, first_allocation_large)
{
    unsigned char *big = arena_alloc(a, 100000);
    cr_assert(all_zero(big, 100000));
    cr_assert_eq(arena_bytes(a), 100000u);
    unsigned char *s = arena_alloc(a, 16);
    cr_assert(all_zero(s, 16));
    cr_assert(s >= big + 100000 || s + 16 <= big);
    cr_assert_eq(arena_bytes(a), 100000u + 65536u);
}

Test(arena, many_allocations_survive)
{
    enum { N = 20000 };
    static uint32_t *ptrs[N];
    for (uint32_t i = 0; i < N; i++) {
        ptrs[i] = arena_alloc(a, (i % 37 + 1) * sizeof(uint32_t));
        for (uint32_t k = 0; k < i % 37 + 1; k++) ptrs[i][k] = i;
    }
    for (uint32_t i = 0; i < N; i++)
        for (uint32_t k = 0; k < i % 37 + 1; k++) cr_assert_eq(ptrs[i][k], i);
}

/* Regression (was a bug, now fixed): arena_alloc rounds n up with (n + 15) & ~15 without an overflow check,
 * so arena_alloc(a, SIZE_MAX) wraps to 0, becomes 16, and returns a 16-byte
 * block instead of dying with "out of memory" (any caller that computes a
 * huge size gets a tiny buffer). Expected: hpcc_die -> abort(). */
Test(arena, huge_request_dies_instead_of_wrapping, .signal = SIGABRT)
{
    void *p = arena_alloc(a, SIZE_MAX);
    (void)p;
}

Test(arena, realloc_grows_and_keeps_content)
{
    char *p = arena_alloc(a, 8);
    memcpy(p, "abcdefg", 8);
    cr_assert_eq(arena_realloc(a, p, 8, 4), p); /* shrinking keeps the block */
    cr_assert_eq(arena_realloc(a, p, 8, 8), p);
    char *q = arena_realloc(a, p, 8, 1000);
    cr_assert_neq(q, p);
    cr_assert_str_eq(q, "abcdefg");
    cr_assert(all_zero(q + 8, 992));
    char *r = arena_realloc(a, NULL, 0, 10);
    cr_assert(all_zero(r, 10));
}

Test(arena, strdup_and_strndup)
{
    const char *src = "hello\0world";
    char *s = arena_strndup(a, src, 11);
    cr_assert_eq(memcmp(s, src, 11), 0);
    cr_assert_eq(s[11], 0);
    char *t = arena_strndup(a, "abcdef", 3);
    cr_assert_str_eq(t, "abc");
    char *e = arena_strndup(a, NULL, 0);
    cr_assert_str_eq(e, "");
    char *d = arena_strdup(a, "us-east-1");
    cr_assert_str_eq(d, "us-east-1");
    cr_assert_neq(d, (char *)"us-east-1");
}

Test(arena, printf)
{
    cr_assert_str_eq(arena_printf(a, "%s:%u:%u", "t.hpc", 3u, 14u), "t.hpc:3:14");
    cr_assert_str_eq(arena_printf(a, "%s", ""), "");
    cr_assert_str_eq(arena_printf(a, "%05.1f|%-4d|%x", 3.14159, 7, 255u), "003.1|7   |ff");
    char big[100001];
    memset(big, 'z', 100000);
    big[100000] = 0;
    char *p = arena_printf(a, "<%s>", big);
    cr_assert_eq(strlen(p), 100002u);
    cr_assert_eq(p[0], '<');
    cr_assert_eq(p[100001], '>');
    cr_assert_eq(p[50000], 'z');
}

Test(arena, vpush_growth)
{
    VEC(int) v = {0};
    cr_assert_null(v.v);
    VPUSH(a, v, 1);
    cr_assert_eq(v.n, 1u);
    cr_assert_eq(v.cap, 4u);
    for (int i = 2; i <= 10000; i++) VPUSH(a, v, i);
    cr_assert_eq(v.n, 10000u);
    cr_assert_eq(v.cap, 16384u);
    for (int i = 0; i < 10000; i++) cr_assert_eq(v.v[i], i + 1, "v[%d] = %d", i, v.v[i]);
}

Test(arena, vpush_structs)
{
    typedef struct {
        char name[24];
        Span span;
    } Item;
    VEC(Item) v = {0};
    for (uint32_t i = 0; i < 1000; i++) {
        Item it;
        memset(&it, 0, sizeof it);
        snprintf(it.name, sizeof it.name, "item-%u", i);
        it.span = (Span){1, i, i + 1};
        VPUSH(a, v, it);
    }
    cr_assert_eq(v.n, 1000u);
    cr_assert_str_eq(v.v[999].name, "item-999");
    cr_assert_eq(v.v[500].span.start, 500u);
}

/* ---- Buf ------------------------------------------------------------------------------ */

Test(arena, buf)
{
    Buf b = {0};
    buf_puts(&b, "abc");
    buf_putc(&b, '-');
    buf_put(&b, "xyz", 2);
    cr_assert_str_eq(b.p, "abc-xy");
    cr_assert_eq(b.n, 6u);
    for (int i = 0; i < 1000; i++) buf_printf(&b, "%d,", i);
    cr_assert_eq(b.n, 6u + 10 * 2 + 90 * 3 + 900 * 4);
    cr_assert_eq(strncmp(b.p, "abc-xy0,1,2,", 12), 0);
    cr_assert_eq(strcmp(b.p + b.n - 4, "999,"), 0);
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    buf_printf(&b, "%s", big);
    cr_assert_eq(b.n, 6u + 10 * 2 + 90 * 3 + 900 * 4 + 4999);
    cr_assert_eq(b.p[b.n], 0);
    buf_free(&b);
    cr_assert_null(b.p);
    cr_assert_eq(b.n, 0u);
    buf_printf(&b, "%s", "");
    cr_assert_str_eq(b.p, "");
    buf_free(&b);
}

Test(arena, span_join)
{
    Span x = {1, 10, 20}, y = {1, 5, 12}, z = {2, 0, 3}, none = {0, 0, 0};
    Span j = span_join(x, y);
    cr_assert(j.file == 1 && j.start == 5 && j.end == 20);
    j = span_join(x, z);
    cr_assert(j.file == 1 && j.start == 10 && j.end == 20);
    j = span_join(none, y);
    cr_assert(j.file == 1 && j.start == 5 && j.end == 12);
    j = span_join(x, none);
    cr_assert(j.file == 1 && j.start == 10 && j.end == 20);
}

/* ---- StrMap --------------------------------------------------------------------------- */

Test(strmap, empty_and_null)
{
    StrMap *m = strmap_new(a);
    cr_assert_eq(strmap_count(m), 0u);
    cr_assert_null(strmap_get(m, "x"));
    cr_assert_null(strmap_get(NULL, "x"));
    cr_assert_eq(strmap_count(NULL), 0u);
}

Test(strmap, thousands_of_keys_in_insertion_order)
{
    enum { N = 5000 };
    StrMap *m = strmap_new(a);
    for (intptr_t i = 0; i < N; i++) {
        char *k = arena_printf(a, "key-%ld", (long)i);
        cr_assert_null(strmap_put_new(m, k, (void *)(i + 1)));
        cr_assert_eq(strmap_count(m), (size_t)i + 1);
    }
    for (intptr_t i = 0; i < N; i++) {
        char k[32];
        snprintf(k, sizeof k, "key-%ld", (long)i); /* lookups by content, not pointer */
        cr_assert_eq(strmap_get(m, k), (void *)(i + 1), "%s", k);
        cr_assert_str_eq(strmap_key_at(m, (size_t)i), k);
        cr_assert_eq(strmap_val_at(m, (size_t)i), (void *)(i + 1));
    }
    cr_assert_null(strmap_get(m, "key-5000"));
    cr_assert_null(strmap_get(m, "key-"));
    cr_assert_null(strmap_get(m, ""));
}

Test(strmap, put_new_keeps_the_first_value)
{
    StrMap *m = strmap_new(a);
    int one = 1, two = 2;
    cr_assert_null(strmap_put_new(m, "a", &one));
    cr_assert_eq(strmap_put_new(m, "a", &two), &one);
    cr_assert_eq(strmap_get(m, "a"), &one);
    cr_assert_eq(strmap_count(m), 1u);
}

Test(strmap, set_replaces_in_place)
{
    StrMap *m = strmap_new(a);
    int v[3] = {0, 1, 2};
    strmap_set(m, "x", &v[0]);
    strmap_set(m, "y", &v[1]);
    strmap_set(m, "x", &v[2]);
    cr_assert_eq(strmap_count(m), 2u);
    cr_assert_eq(strmap_get(m, "x"), &v[2]);
    cr_assert_str_eq(strmap_key_at(m, 0), "x"); /* keeps its first position */
    cr_assert_eq(strmap_val_at(m, 0), &v[2]);
    cr_assert_str_eq(strmap_key_at(m, 1), "y");
}

Test(strmap, empty_key_and_similar_keys)
{
    StrMap *m = strmap_new(a);
    int v[4];
    strmap_set(m, "", &v[0]);
    strmap_set(m, "a", &v[1]);
    strmap_set(m, "ab", &v[2]);
    strmap_set(m, "ba", &v[3]);
    cr_assert_eq(strmap_get(m, ""), &v[0]);
    cr_assert_eq(strmap_get(m, "a"), &v[1]);
    cr_assert_eq(strmap_get(m, "ab"), &v[2]);
    cr_assert_eq(strmap_get(m, "ba"), &v[3]);
    cr_assert_null(strmap_get(m, "b"));
}

Test(strmap, many_maps_share_an_arena)
{
    StrMap *m1 = strmap_new(a), *m2 = strmap_new(a);
    for (intptr_t i = 0; i < 2000; i++) {
        char *k = arena_printf(a, "%ld", (long)i);
        strmap_set(m1, k, (void *)(i + 1));
        if (i % 2) strmap_set(m2, k, (void *)(-i));
    }
    cr_assert_eq(strmap_count(m1), 2000u);
    cr_assert_eq(strmap_count(m2), 1000u);
    cr_assert_eq(strmap_get(m1, "1999"), (void *)(intptr_t)2000);
    cr_assert_eq(strmap_get(m2, "1999"), (void *)(intptr_t)-1999);
    cr_assert_null(strmap_get(m2, "1998"));
    cr_assert_str_eq(strmap_key_at(m2, 0), "1");
    cr_assert_str_eq(strmap_key_at(m2, 999), "1999");
}

/* ---- strings ---------------------------------------------------------------------------- */

Test(strings, str_eq_and_prefix)
{
    cr_assert(str_eq("a", "a"));
    cr_assert_not(str_eq("a", "b"));
    cr_assert_not(str_eq(NULL, "a"));
    cr_assert_not(str_eq("a", NULL));
    cr_assert_not(str_eq(NULL, NULL));
    cr_assert(str_has_prefix("us-east-1", "us-"));
    cr_assert(str_has_prefix("us", ""));
    cr_assert_not(str_has_prefix("us", "us-"));
}

Test(strings, edit_distance)
{
    cr_assert_eq(edit_distance("kitten", "sitting", 5), 3u);
    cr_assert_eq(edit_distance("kitten", "kitten", 0), 0u);
    cr_assert_eq(edit_distance("", "", 0), 0u);
    cr_assert_eq(edit_distance("", "abc", 5), 3u);
    cr_assert_eq(edit_distance("abc", "", 5), 3u);
    cr_assert_eq(edit_distance("instanse", "instance", 3), 1u);
    cr_assert_eq(edit_distance("ab", "ba", 3), 2u); /* no transpositions */
    cr_assert_eq(edit_distance("flaw", "lawn", 3), 2u);
    cr_assert_eq(edit_distance("GiB", "gib", 3), 2u); /* case matters */
}

Test(strings, edit_distance_is_capped)
{
    cr_assert_eq(edit_distance("kitten", "sitting", 2), 3u);
    cr_assert_eq(edit_distance("kitten", "sitting", 1), 2u);
    cr_assert_eq(edit_distance("a", "abcdefgh", 3), 4u); /* length gap alone exceeds the cap */
    cr_assert_eq(edit_distance("abcdef", "uvwxyz", 2), 3u);
    cr_assert_eq(edit_distance("abcdefgh", "abcdefgx", 1), 1u);
}

Test(strings, edit_distance_of_long_words)
{
    char x[65], y[66];
    memset(x, 'a', 64), x[64] = 0;
    memset(y, 'a', 65), y[65] = 0;
    cr_assert_eq(edit_distance(x, x, 3), 0u);
    /* past 64 characters no distance is computed: even equal words are "far" */
    cr_assert_eq(edit_distance(y, y, 3), 4u);
    cr_assert_eq(edit_distance(x, y, 3), 4u);
}

Test(strings, closest_name)
{
    static const char *const fields[] = {"instance", "network", "count", "efa", "profile", NULL, "region"};
    const size_t n = sizeof fields / sizeof fields[0];
    cr_assert_str_eq(closest_name("instanse", fields, n), "instance");
    cr_assert_str_eq(closest_name("netwrok", fields, n), "network"); /* 2 edits, cap 3 for 7 letters */
    cr_assert_str_eq(closest_name("regoin", fields, n), "region");   /* 2 edits, cap 2 for 6 letters */
    cr_assert_str_eq(closest_name("efs", fields, n), "efa");         /* 1 edit, cap 1 for 3 letters */
    cr_assert_null(closest_name("eks", fields, n));                  /* 2 edits > cap 1 */
    cr_assert_null(closest_name("cnt", fields, n));                  /* 2 edits > cap 1 */
    cr_assert_null(closest_name("memory", fields, n));
    cr_assert_str_eq(closest_name("count", fields, n), "count");
    cr_assert_null(closest_name("x", fields, 0));
}

Test(strings, closest_name_prefers_the_first_of_equals)
{
    static const char *const c[] = {"GB", "GiB", "TB"};
    cr_assert_str_eq(closest_name("GiB", c, 3), "GiB");
    cr_assert_str_eq(closest_name("XB", c, 3), "GB");
    cr_assert_str_eq(closest_name("KiB", c, 3), "GiB");
}
