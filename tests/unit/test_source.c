/* Source files and the line map (compiler/source.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcc.h"
#include "source.h"

static Hpcc *h;

static void setup(void) { h = hpcc_new(); }
static void teardown(void)
{
    hpcc_free(h);
    h = NULL;
}

TestSuite(source, .init = setup, .fini = teardown);

static uint32_t add(const char *text) { return source_add(h, "dir/t.hpc", "t.hpc", text, strlen(text)); }

static void expect_lc(uint32_t f, uint32_t off, uint32_t line, uint32_t col)
{
    LineCol lc = source_linecol(h, f, off);
    cr_assert(lc.line == line && lc.col == col, "offset %u: expected %u:%u, got %u:%u", off, line, col, lc.line,
              lc.col);
}

static void expect_line(uint32_t f, uint32_t line, const char *text)
{
    size_t len = 99;
    const char *s = source_line(h, f, line, &len);
    cr_assert_not_null(s);
    cr_assert_eq(len, strlen(text), "line %u: length %zu, expected %zu", line, len, strlen(text));
    cr_assert(memcmp(s, text, len) == 0, "line %u: '%.*s', expected '%s'", line, (int)len, s, text);
}

Test(source, add_copies_and_numbers_files)
{
    char text[] = "abc";
    uint32_t a = source_add(h, "a.hpc", NULL, text, 3);
    uint32_t b = source_add(h, "std/aws.hpc", "aws.hpc", "x", 1);
    cr_assert_eq(a, 1u); /* 0 is "no file" */
    cr_assert_eq(b, 2u);
    text[0] = 'X';
    SourceFile *f = source_get(h, a);
    cr_assert_str_eq(f->text, "abc");
    cr_assert_eq(f->len, 3u);
    cr_assert_str_eq(f->name, "a.hpc");
    cr_assert_str_eq(f->rel, "a.hpc"); /* rel defaults to the name */
    cr_assert_str_eq(source_get(h, b)->rel, "aws.hpc");
    cr_assert_str_eq(source_get(h, b)->name, "std/aws.hpc");
}

Test(source, text_is_nul_terminated_even_when_given_a_prefix)
{
    uint32_t f = source_add(h, "p.hpc", NULL, "abcdef", 3);
    cr_assert_eq(source_get(h, f)->len, 3u);
    cr_assert_str_eq(source_get(h, f)->text, "abc");
}

Test(source, starts_and_ends_of_lines)
{
    uint32_t f = add("ab\ncd\n");
    expect_lc(f, 0, 1, 1);
    expect_lc(f, 1, 1, 2);
    expect_lc(f, 2, 1, 3); /* the newline itself */
    expect_lc(f, 3, 2, 1);
    expect_lc(f, 4, 2, 2);
    expect_lc(f, 5, 2, 3);
    expect_lc(f, 6, 3, 1); /* end of file, after the last newline */
    expect_line(f, 1, "ab");
    expect_line(f, 2, "cd");
    expect_line(f, 3, "");
    cr_assert_eq(source_get(h, f)->nlines, 3u);
}

Test(source, last_line_without_newline)
{
    uint32_t f = add("ab\ncd");
    expect_lc(f, 3, 2, 1);
    expect_lc(f, 4, 2, 2);
    expect_lc(f, 5, 2, 3); /* end of file */
    expect_line(f, 2, "cd");
    expect_line(f, 3, "");
    cr_assert_eq(source_get(h, f)->nlines, 2u);
}

Test(source, offsets_past_the_end_clamp)
{
    uint32_t f = add("ab\ncd");
    expect_lc(f, 6, 2, 3);
    expect_lc(f, 1000, 2, 3);
    expect_lc(f, UINT32_MAX, 2, 3);
}

Test(source, empty_file)
{
    uint32_t f = add("");
    expect_lc(f, 0, 1, 1);
    expect_lc(f, 10, 1, 1);
    expect_line(f, 1, "");
    expect_line(f, 2, "");
    cr_assert_eq(source_get(h, f)->nlines, 1u);
}

Test(source, empty_lines)
{
    uint32_t f = add("\n\n\nx");
    expect_lc(f, 0, 1, 1);
    expect_lc(f, 1, 2, 1);
    expect_lc(f, 2, 3, 1);
    expect_lc(f, 3, 4, 1);
    expect_line(f, 1, "");
    expect_line(f, 3, "");
    expect_line(f, 4, "x");
}

Test(source, columns_count_code_points)
{
    /* é is 2 bytes, € 3, 😀 4 */
    uint32_t f = add("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80x\n\xC3\xA9y");
    expect_lc(f, 0, 1, 1);
    expect_lc(f, 2, 1, 2);
    expect_lc(f, 5, 1, 3);
    expect_lc(f, 9, 1, 4);
    expect_lc(f, 10, 1, 5);
    expect_lc(f, 11, 2, 1);
    expect_lc(f, 13, 2, 2);
    expect_line(f, 1, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80x");
}

/* Columns are counted eight ASCII bytes at a time: multi-byte characters at
 * every alignment, on lines long enough to take that path. */
Test(source, columns_count_code_points_at_any_alignment)
{
    static const char *const chars[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
    for (size_t c = 0; c < 3; c++)
        for (size_t before = 0; before < 20; before++) {
            char line[64];
            int n = snprintf(line, sizeof line, "\n%.*s%s%s", (int)before, "abcdefghijklmnopqrstuvwxyz", chars[c],
                             "0123456789abcdefghi");
            uint32_t f = source_add(h, "t.hpc", NULL, line, (size_t)n);
            uint32_t col = 1;
            for (uint32_t off = 1; off <= (uint32_t)n; off++) {
                expect_lc(f, off, 2, col);
                if (off < (uint32_t)n && ((unsigned char)line[off] & 0xC0) != 0x80) col++;
            }
        }
}

Test(source, tabs_count_as_one_column)
{
    uint32_t f = add("\t\tx");
    expect_lc(f, 2, 1, 3);
}

Test(source, crlf_lines)
{
    uint32_t f = add("ab\r\ncd\r\n\r\nef");
    expect_lc(f, 2, 1, 3); /* the CR */
    expect_lc(f, 3, 1, 4); /* the LF */
    expect_lc(f, 4, 2, 1);
    expect_lc(f, 8, 3, 1);
    expect_lc(f, 10, 4, 1);
    expect_line(f, 1, "ab"); /* without the CR */
    expect_line(f, 2, "cd");
    expect_line(f, 3, "");
    expect_line(f, 4, "ef");
}

Test(source, lone_cr_is_not_a_line_break)
{
    uint32_t f = add("a\rb\nc");
    expect_lc(f, 2, 1, 3);
    expect_lc(f, 4, 2, 1);
    expect_line(f, 1, "a\rb");
}

Test(source, line_zero_and_past_the_end)
{
    uint32_t f = add("a\nb");
    expect_line(f, 0, "");
    expect_line(f, 3, "");
    expect_line(f, 100, "");
}

Test(source, many_lines_binary_search)
{
    enum { N = 10000 };
    Buf b = {0};
    for (int i = 0; i < N; i++) buf_printf(&b, "line %d\n", i + 1);
    uint32_t f = source_add(h, "big.hpc", NULL, b.p, b.n);
    uint32_t off = 0;
    for (uint32_t i = 1; i <= N; i++) {
        char want[32];
        int n = snprintf(want, sizeof want, "line %u", i);
        expect_lc(f, off, i, 1);
        expect_lc(f, off + (uint32_t)n, i, (uint32_t)n + 1);
        expect_line(f, i, want);
        off += (uint32_t)n + 1;
    }
    expect_lc(f, off, N + 1, 1);
    cr_assert_eq(off, (uint32_t)b.n);
    buf_free(&b);
}

Test(source, where_formats_name_line_col)
{
    uint32_t f = add("cluster x {\n  region = us-east-1\n}\n");
    Span s = {f, 14, 20};
    cr_assert_str_eq(source_where(h, s, false), "dir/t.hpc:2:3");
    cr_assert_str_eq(source_where(h, s, true), "t.hpc:2:3");
    Span start = {f, 0, 0};
    cr_assert_str_eq(source_where(h, start, false), "dir/t.hpc:1:1");
    Span none = {0, 5, 9};
    cr_assert_str_eq(source_where(h, none, false), "<none>");
    cr_assert_str_eq(source_where(h, none, true), "<none>");
}

Test(source, where_in_second_file_uses_its_own_map)
{
    uint32_t a = add("a\nb\nc\n");
    uint32_t b = source_add(h, "other.hpc", NULL, "xyz", 3);
    cr_assert_str_eq(source_where(h, (Span){b, 2, 3}, false), "other.hpc:1:3");
    cr_assert_str_eq(source_where(h, (Span){a, 2, 3}, false), "dir/t.hpc:2:1");
}

Test(source, where_with_utf8_column)
{
    uint32_t f = add("let caf\xC3\xA9 = @");
    cr_assert_str_eq(source_where(h, (Span){f, 12, 13}, true), "t.hpc:1:12");
}

Test(source, where_with_many_digits)
{
    Buf b = {0};
    for (int i = 0; i < 4566; i++) buf_puts(&b, "\n");
    for (int i = 0; i < 123; i++) buf_putc(&b, 'x');
    buf_puts(&b, "@");
    uint32_t f = source_add(h, "dir/t.hpc", "t.hpc", b.p, b.n);
    cr_assert_str_eq(source_where(h, (Span){f, (uint32_t)b.n - 1, (uint32_t)b.n}, true), "t.hpc:4567:124");
    cr_assert_str_eq(source_where(h, (Span){f, 4566 + 9, 4566 + 10}, false), "dir/t.hpc:4567:10");
    buf_free(&b);
}

/* ---- read_file ---------------------------------------------------------------------- */

Test(source, read_file_reads_everything)
{
    char dir[] = "/tmp/hpcc-src-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/f.hpc", dir);
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    /* bigger than read_file's 64 KiB buffer, with a NUL inside */
    for (int i = 0; i < 100000; i++) fputc(i == 5 ? 0 : 'a' + i % 26, fp);
    fclose(fp);
    size_t len = 0;
    const char *err = NULL;
    char *p = read_file(h->arena, path, &len, &err, READ_REGULAR);
    cr_assert_not_null(p, "%s", err);
    cr_assert_eq(len, 100000u);
    cr_assert_eq(p[5], 0);
    cr_assert_eq(p[6], 'a' + 6);
    cr_assert_eq(p[99999], 'a' + 99999 % 26);
    cr_assert_eq(p[100000], 0);
    unlink(path);
    rmdir(dir);
}

Test(source, read_file_empty_and_missing)
{
    char dir[] = "/tmp/hpcc-src-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/empty.hpc", dir);
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    fclose(fp);
    size_t len = 7;
    const char *err = NULL;
    char *p = read_file(h->arena, path, &len, &err, READ_REGULAR);
    cr_assert_not_null(p);
    cr_assert_eq(len, 0u);
    cr_assert_str_eq(p, "");
    unlink(path);

    err = NULL;
    cr_assert_null(read_file(h->arena, path, &len, &err, READ_REGULAR));
    cr_assert_str_eq(err, "No such file or directory");
    err = NULL;
    cr_assert_null(read_file(h->arena, dir, &len, &err, READ_ANY)); /* a directory */
    cr_assert_str_eq(err, "Is a directory");
    rmdir(dir);
}

/* Devices and FIFOs: never for files a spec includes; the 64 MiB cap for the spec itself. */
Test(source, read_file_refuses_devices_and_endless_files)
{
    size_t len = 0;
    const char *err = NULL;
    cr_assert_null(read_file(h->arena, "/dev/zero", &len, &err, READ_REGULAR));
    cr_assert_str_eq(err, "not a regular file");
    err = NULL;
    cr_assert_null(read_file(h->arena, "/dev/zero", &len, &err, READ_ANY));
    cr_assert_str_eq(err, "larger than 64 MiB");
    err = NULL;
    char *p = read_file(h->arena, "/dev/null", &len, &err, READ_ANY);
    cr_assert_not_null(p, "%s", err);
    cr_assert_eq(len, 0u);
}
