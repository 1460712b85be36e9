/* The lexer (compiler/lexer.h): words, numbers, quantities, strings, raw
 * strings, comments, newline flags, spans and lexical errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hpcc.h"
#include "json.h"
#include "lexer.h"
#include "source.h"

enum { MAXTOK = 1024 };

static Hpcc *h;
static Lexer lx;
static Token toks[MAXTOK];
static size_t ntoks;

static void teardown(void)
{
    hpcc_free(h);
    h = NULL;
}

TestSuite(lexer, .fini = teardown);

/* Lexes the whole text (every token up to and including EOF). */
static void lexn(const char *src, size_t n)
{
    h = hpcc_new();
    uint32_t f = source_add(h, "t.hpc", NULL, src, n);
    lexer_init(&lx, h, f);
    ntoks = 0;
    for (;;) {
        cr_assert_lt(ntoks, (size_t)MAXTOK, "too many tokens");
        Token t = lexer_next(&lx);
        toks[ntoks++] = t;
        if (t.kind == T_EOF) break;
    }
}

static void lex(const char *src) { lexn(src, strlen(src)); }

static const char *ratstr(Rat r)
{
    static char buf[128];
    return rat_format(r, buf, sizeof buf);
}

/* The ids of every diagnostic reported, in printing order, joined by ','. */
static const char *codes(void)
{
    static char out[4096];
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    diag_print_json(h, f);
    fclose(f);
    char err[200];
    Json *j = js_parse(buf, len, err, sizeof err);
    cr_assert_not_null(j, "json: %s", err);
    const Json *arr = js_get(j, "diagnostics");
    out[0] = 0;
    for (size_t i = 0; i < js_len(arr); i++) {
        if (i) strcat(out, ",");
        strcat(out, js_str_value(js_get(js_at(arr, i), "code")));
    }
    js_release(j);
    free(buf);
    return out;
}

/* The text of every diagnostic, as printed. */
static char *diag_text(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    diag_print_text(h, f);
    fclose(f);
    char *s = arena_strdup(h->arena, buf);
    free(buf);
    return s;
}

static void expect_kinds(const TokKind *k, size_t n)
{
    cr_assert_eq(ntoks, n, "expected %zu tokens, got %zu", n, ntoks);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(toks[i].kind, k[i], "token %zu: expected %s, got %s", i, tok_name(k[i]), tok_name(toks[i].kind));
}
#define EXPECT_KINDS(...)                                                                                              \
    do {                                                                                                               \
        static const TokKind ks_[] = {__VA_ARGS__};                                                                    \
        expect_kinds(ks_, sizeof ks_ / sizeof ks_[0]);                                                                 \
    } while (0)

static void expect_span(size_t i, uint32_t start, uint32_t end)
{
    cr_assert_eq(toks[i].span.file, 1u, "token %zu file", i);
    cr_assert_eq(toks[i].span.start, start, "token %zu start: expected %u, got %u", i, start, toks[i].span.start);
    cr_assert_eq(toks[i].span.end, end, "token %zu end: expected %u, got %u", i, end, toks[i].span.end);
}

static void expect_word(size_t i, const char *w)
{
    cr_assert_eq(toks[i].kind, T_WORD, "token %zu is %s, not a name", i, tok_name(toks[i].kind));
    cr_assert_eq(toks[i].len, strlen(w));
    cr_assert_str_eq(toks[i].text, w);
}

/* ---- words ------------------------------------------------------------------ */

Test(lexer, words_with_hyphens_and_dots_are_single_words)
{
    static const char *const words[] = {"prod-mpi", "us-east-1", "c7a.48xlarge", "storage.data.throughput",
                                        "v2.0",     "bb5.cpu",   "t3.micro",     "all-or-nothing",
                                        "_x",       "hpc_net.subnet", "u-6tb1.metal", "a-1.b_2-c"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        lex(words[i]);
        EXPECT_KINDS(T_WORD, T_EOF);
        expect_word(0, words[i]);
        expect_span(0, 0, (uint32_t)strlen(words[i]));
        cr_assert_eq(diag_errors(h), 0u, "%s", words[i]);
        teardown();
    }
}

Test(lexer, minus_needs_blanks)
{
    lex("a - b");
    EXPECT_KINDS(T_WORD, T_MINUS, T_WORD, T_EOF);
    expect_word(0, "a");
    expect_span(1, 2, 3);
    expect_word(2, "b");
    teardown();

    lex("a-b");
    EXPECT_KINDS(T_WORD, T_EOF);
    expect_word(0, "a-b");
    teardown();

    lex("a -b");
    EXPECT_KINDS(T_WORD, T_MINUS, T_WORD, T_EOF);
    expect_span(1, 2, 3);
    expect_span(2, 3, 4);
    teardown();

    lex("a- b");
    EXPECT_KINDS(T_WORD, T_MINUS, T_WORD, T_EOF);
    expect_word(0, "a");
    teardown();

    /* a hyphen must be followed directly by a word character */
    lex("a--b");
    EXPECT_KINDS(T_WORD, T_MINUS, T_MINUS, T_WORD, T_EOF);
    expect_word(0, "a");
    expect_word(3, "b");
    cr_assert_eq(diag_errors(h), 0u);
}

Test(lexer, dot_after_word_without_word_char_is_not_part_of_it)
{
    lex("x. y");
    cr_assert_eq(toks[0].kind, T_WORD);
    expect_word(0, "x");
    expect_span(0, 0, 1);
    /* a lone '.' cannot start a token */
    cr_assert_str_eq(codes(), "unexpected-char");
    expect_word(1, "y");
}

Test(lexer, word_length_limit)
{
    char w[LEX_MAX_WORD + 2];
    memset(w, 'a', LEX_MAX_WORD);
    w[LEX_MAX_WORD] = 0;
    lex(w);
    EXPECT_KINDS(T_WORD, T_EOF);
    cr_assert_eq(toks[0].len, (size_t)LEX_MAX_WORD);
    cr_assert_eq(diag_errors(h), 0u);
    teardown();

    w[LEX_MAX_WORD] = 'a';
    w[LEX_MAX_WORD + 1] = 0;
    lex(w);
    EXPECT_KINDS(T_WORD, T_EOF);
    cr_assert_str_eq(codes(), "name-too-long");
    cr_assert_eq(toks[0].len, (size_t)LEX_MAX_WORD);
    cr_assert_eq(strlen(toks[0].text), (size_t)LEX_MAX_WORD);
    expect_span(0, 0, LEX_MAX_WORD + 1);
}

/* Regression (was a bug, now fixed): lex_word's too-long path calls arena_strndup(arena, src + s, i) with
 * i = s + LEX_MAX_WORD (an offset), not the length LEX_MAX_WORD, so a long
 * name that does not start at offset 0 gets a text of s + 256 bytes that runs
 * past the name (and past the end of the source when the name is near it:
 * a heap over-read). Token.len says 256 but strlen(text) does not. */
Test(lexer, long_word_not_at_start_is_clipped_to_the_limit)
{
    char src[4 + LEX_MAX_WORD + 50];
    memcpy(src, "x = ", 4);
    memset(src + 4, 'b', LEX_MAX_WORD + 40);
    src[4 + LEX_MAX_WORD + 40] = 0;
    lex(src);
    EXPECT_KINDS(T_WORD, T_ASSIGN, T_WORD, T_EOF);
    cr_assert_str_eq(codes(), "name-too-long");
    cr_assert_eq(toks[2].len, (size_t)LEX_MAX_WORD);
    cr_assert_eq(strlen(toks[2].text), (size_t)LEX_MAX_WORD);
}

/* The same bug as a heap over-read: in a file over 64 KiB (its own arena
 * chunk) the copy runs ~70 KB past the end of the source. ASan reports
 * heap-buffer-overflow in arena_strndup <- lex_word; so does
 *   python3 -c "print('#'+'x'*70000); print('let a = '+'b'*300)" > w.hpc
 *   build/asan/hpcc ir w.hpc */
Test(lexer, long_word_near_end_of_big_file_does_not_overread)
{
    enum { PAD = 70000, WORD = LEX_MAX_WORD + 44 };
    char *src = malloc(PAD + WORD + 1);
    cr_assert_not_null(src);
    src[0] = '#';
    memset(src + 1, 'x', PAD - 2);
    src[PAD - 1] = '\n';
    memset(src + PAD, 'b', WORD);
    src[PAD + WORD] = 0;
    lex(src);
    free(src);
    EXPECT_KINDS(T_WORD, T_EOF);
    cr_assert_str_eq(codes(), "name-too-long");
    cr_assert_eq(strlen(toks[0].text), (size_t)LEX_MAX_WORD);
}

/* ---- numbers and quantities ---------------------------------------------------- */

Test(lexer, decimal_versus_range)
{
    lex("1.2");
    EXPECT_KINDS(T_NUMBER, T_EOF);
    cr_assert_str_eq(ratstr(toks[0].num), "1.2");
    expect_span(0, 0, 3);
    teardown();

    lex("0..20");
    EXPECT_KINDS(T_NUMBER, T_DOTDOT, T_NUMBER, T_EOF);
    cr_assert_str_eq(ratstr(toks[0].num), "0");
    expect_span(0, 0, 1);
    expect_span(1, 1, 3);
    cr_assert_str_eq(ratstr(toks[2].num), "20");
    expect_span(2, 3, 5);
    teardown();

    lex("1.5..2.5");
    EXPECT_KINDS(T_NUMBER, T_DOTDOT, T_NUMBER, T_EOF);
    cr_assert_str_eq(ratstr(toks[0].num), "1.5");
    cr_assert_str_eq(ratstr(toks[2].num), "2.5");
    cr_assert_eq(diag_errors(h), 0u);
}

Test(lexer, number_forms)
{
    lex("25_000 0 007 9.85344 0.0104");
    EXPECT_KINDS(T_NUMBER, T_NUMBER, T_NUMBER, T_NUMBER, T_NUMBER, T_EOF);
    cr_assert_str_eq(ratstr(toks[0].num), "25000");
    expect_span(0, 0, 6);
    cr_assert_str_eq(ratstr(toks[1].num), "0");
    cr_assert_str_eq(ratstr(toks[2].num), "7");
    cr_assert_str_eq(ratstr(toks[3].num), "9.85344");
    cr_assert_str_eq(ratstr(toks[4].num), "0.0104");
    cr_assert_null(toks[0].unit);
    cr_assert_eq(diag_errors(h), 0u);
}

Test(lexer, bad_numbers)
{
    lex("1__0");
    EXPECT_KINDS(T_NUMBER, T_EOF);
    cr_assert_str_eq(codes(), "bad-number");
    cr_assert(strstr(diag_text(), "malformed number '1__0'"));
    cr_assert_str_eq(ratstr(toks[0].num), "0");
    teardown();

    lex("1_");
    EXPECT_KINDS(T_NUMBER, T_EOF);
    cr_assert_str_eq(codes(), "bad-number");
    teardown();

    lex("99999999999999999999999999999999999999999");
    EXPECT_KINDS(T_NUMBER, T_EOF);
    cr_assert_str_eq(codes(), "bad-number");
    cr_assert(strstr(diag_text(), "error: number too large"));
    teardown();

    /* "1." is the number 1 and a stray dot */
    lex("1.");
    EXPECT_KINDS(T_NUMBER, T_EOF);
    expect_span(0, 0, 1);
    cr_assert_str_eq(codes(), "unexpected-char");
}

static void expect_quantity(const char *src, const char *num, const char *unit, uint32_t ustart)
{
    lex(src);
    EXPECT_KINDS(T_QUANTITY, T_EOF);
    cr_assert_str_eq(ratstr(toks[0].num), num, "%s", src);
    cr_assert_not_null(toks[0].unit, "%s", src);
    cr_assert_str_eq(toks[0].unit->text, unit, "%s", src);
    expect_span(0, 0, (uint32_t)strlen(src));
    cr_assert_eq(toks[0].unit_span.file, 1u);
    cr_assert_eq(toks[0].unit_span.start, ustart, "%s: unit start %u", src, toks[0].unit_span.start);
    cr_assert_eq(toks[0].unit_span.end, (uint32_t)strlen(src), "%s", src);
    cr_assert_eq(diag_errors(h), 0u, "%s", src);
    teardown();
}

Test(lexer, quantities_of_every_unit_class)
{
    expect_quantity("1200 GiB", "1200", "GiB", 5);
    expect_quantity("1200GiB", "1200", "GiB", 4);
    expect_quantity("1 TB", "1", "TB", 2);
    expect_quantity("250 MB/s/TiB", "250", "MB/s/TiB", 4);
    expect_quantity("125 MB/s", "125", "MB/s", 4);
    expect_quantity("25_000 USD/month", "25000", "USD/month", 7);
    expect_quantity("0.023 USD/GB-month", "0.023", "USD/GB-month", 6);
    expect_quantity("0.025 USD/GiB-month", "0.025", "USD/GiB-month", 6);
    expect_quantity("50 %", "50", "%", 3);
    expect_quantity("50%", "50", "%", 2);
    expect_quantity("3000 IOPS", "3000", "IOPS", 5);
    expect_quantity("100 Gbit/s", "100", "Gbit/s", 4);
    expect_quantity("10 Mbit/s", "10", "Mbit/s", 3);
    expect_quantity("14 d", "14", "d", 3);
    expect_quantity("12 h", "12", "h", 3);
    expect_quantity("30 min", "30", "min", 3);
    expect_quantity("1.5\tUSD/h", "1.5", "USD/h", 4);
    expect_quantity("400 USD", "400", "USD", 4);
}

Test(lexer, every_unit_in_the_table_lexes_as_a_quantity)
{
    for (size_t i = 0; unit_at(i); i++) {
        const Unit *u = unit_at(i);
        char src[64];
        snprintf(src, sizeof src, "7 %s", u->text);
        lex(src);
        EXPECT_KINDS(T_QUANTITY, T_EOF);
        cr_assert_eq(toks[0].unit, u, "%s", src);
        teardown();
    }
}

Test(lexer, unit_only_on_the_same_line)
{
    lex("1200\nGiB");
    EXPECT_KINDS(T_NUMBER, T_WORD, T_EOF);
    cr_assert_str_eq(ratstr(toks[0].num), "1200");
    expect_word(1, "GiB");
    cr_assert(toks[1].nl_before);
    cr_assert_eq(diag_errors(h), 0u);
    teardown();

    lex("1200 # GiB\nGiB");
    EXPECT_KINDS(T_NUMBER, T_WORD, T_EOF);
    cr_assert(toks[1].nl_before);
    teardown();

    lex("1200\r\nGiB");
    EXPECT_KINDS(T_NUMBER, T_WORD, T_EOF);
    teardown();

    /* a word that is not a unit, after a blank: left to the parser */
    lex("5 days");
    EXPECT_KINDS(T_NUMBER, T_WORD, T_EOF);
    expect_word(1, "days");
    cr_assert_not(toks[1].nl_before);
    cr_assert_eq(diag_errors(h), 0u);
}

Test(lexer, unknown_unit_glued_to_a_number)
{
    lex("48xlarge");
    EXPECT_KINDS(T_NUMBER, T_EOF);
    cr_assert_str_eq(ratstr(toks[0].num), "48");
    cr_assert_str_eq(codes(), "unknown-unit");
    cr_assert(strstr(diag_text(), "unknown unit 'xlarge'"));
    teardown();

    lex("10Gib");
    cr_assert_str_eq(codes(), "unknown-unit");
    char *t = diag_text();
    cr_assert(strstr(t, "unknown unit 'Gib'"), "%s", t);
    cr_assert(strstr(t, "did you mean 'GiB'?"), "%s", t);
}

/* SURPRISE: the unit is scanned as letters only, so in `3 s3` the unit `s`
 * is taken and `3` becomes a second number; the grammar says a word after a
 * number on the same line is an unknown unit. The CLI then says "expected ';'
 * or a new line before number" instead of "unknown unit 's3'". */
Test(lexer, unit_must_end_at_a_word_boundary)
{
    lex("3 s3");
    EXPECT_KINDS(T_NUMBER, T_WORD, T_EOF);
    expect_word(1, "s3");
}

/* A word with '/' after a number on the same line can only be a unit. */
Test(lexer, unit_like_word_with_slash_is_an_unknown_unit)
{
    lex("1200 GiB/n");
    EXPECT_KINDS(T_NUMBER, T_EOF);
    cr_assert_str_eq(codes(), "unknown-unit");
    char *t = diag_text();
    cr_assert(strstr(t, "t.hpc:1:6: error: unknown unit 'GiB/n'"), "%s", t);
    cr_assert(strstr(t, "did you mean 'GiB/s'?"), "%s", t);
}

Test(lexer, version_numbers_are_not_numbers)
{
    lex("1.0.0 x");
    EXPECT_KINDS(T_NUMBER, T_WORD, T_EOF);
    expect_span(0, 0, 5);
    cr_assert_str_eq(codes(), "bad-number");
    char *t = diag_text();
    cr_assert(strstr(t, "error: '1.0.0' is not a number"), "%s", t);
    cr_assert(strstr(t, "quote it: \"1.0.0\""), "%s", t);
    teardown();
    lex("3.11.1rc1");
    EXPECT_KINDS(T_NUMBER, T_EOF);
    expect_span(0, 0, 9);
    cr_assert_str_eq(codes(), "bad-number");
}

/* ---- strings ----------------------------------------------------------------------- */

Test(lexer, plain_string)
{
    lex("\"subnet-076ece71c00742d3c\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    expect_span(0, 0, 26);
    cr_assert_eq(toks[0].nparts, 1u);
    cr_assert_not(toks[0].parts[0].is_ref);
    cr_assert_str_eq(toks[0].parts[0].text, "subnet-076ece71c00742d3c");
    cr_assert_eq(toks[0].parts[0].len, 24u);
    cr_assert_eq(toks[0].parts[0].span.start, 1u);
    cr_assert_eq(toks[0].parts[0].span.end, 25u);
    cr_assert_null(toks[0].text);
}

Test(lexer, empty_string_has_no_parts)
{
    lex("\"\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    expect_span(0, 0, 2);
    cr_assert_eq(toks[0].nparts, 0u);
    cr_assert_eq(diag_errors(h), 0u);
}

Test(lexer, string_escapes)
{
    lex("\"a\\tb\\n\\\\\\\"\\$\\r.\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    cr_assert_eq(diag_errors(h), 0u);
    cr_assert_eq(toks[0].nparts, 1u);
    cr_assert_eq(toks[0].parts[0].len, 9u);
    cr_assert_str_eq(toks[0].parts[0].text, "a\tb\n\\\"$\r.");
    cr_assert_eq(toks[0].parts[0].span.start, 1u);
    cr_assert_eq(toks[0].parts[0].span.end, 16u);
    expect_span(0, 0, 17);
}

Test(lexer, unicode_escapes)
{
    lex("\"\\u{41}\\u{e9}\\u{20AC}\\u{1F600}\\u{10FFFF}\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    cr_assert_eq(diag_errors(h), 0u);
    cr_assert_eq(toks[0].nparts, 1u);
    cr_assert_str_eq(toks[0].parts[0].text, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
    cr_assert_eq(toks[0].parts[0].len, 14u);
}

Test(lexer, malformed_unicode_escapes)
{
    static const char *const bad[] = {"\"\\u{}\"",       "\"\\u{0}\"",  "\"\\u{110000}\"", "\"\\u{D800}\"",
                                      "\"\\u{DFFF}\"",   "\"\\u41\"",   "\"\\u{1234567}\"", "\"\\u{12g}\"",
                                      "\"\\u{41\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lex(bad[i]);
        cr_assert_eq(toks[0].kind, T_STRING, "%s", bad[i]);
        const char *c = codes();
        cr_assert(strncmp(c, "bad-escape", 10) == 0, "%s: %s", bad[i], c);
        cr_assert(strstr(diag_text(), "malformed '\\u' escape"), "%s", bad[i]);
        teardown();
    }
}

Test(lexer, unknown_escape)
{
    lex("\"a\\qb\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    cr_assert_str_eq(codes(), "bad-escape");
    char *t = diag_text();
    cr_assert(strstr(t, "t.hpc:1:3: error: unknown escape '\\q' in string"), "%s", t);
    cr_assert(strstr(t, "known escapes: \\n \\t \\r \\\\ \\\" \\$ \\u{...}"), "%s", t);
}

Test(lexer, interpolation_parts)
{
    /* 0 1234 5 6 7 8901 2 3 4 5 */
    lex("\"node-${name}.x\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    cr_assert_eq(diag_errors(h), 0u);
    expect_span(0, 0, 16);
    cr_assert_eq(toks[0].nparts, 3u);
    const StrPart *p = toks[0].parts;
    cr_assert_not(p[0].is_ref);
    cr_assert_str_eq(p[0].text, "node-");
    cr_assert_eq(p[0].span.start, 1u);
    cr_assert_eq(p[0].span.end, 6u);
    cr_assert(p[1].is_ref);
    cr_assert_str_eq(p[1].text, "name");
    cr_assert_eq(p[1].len, 4u);
    cr_assert_eq(p[1].span.start, 8u);
    cr_assert_eq(p[1].span.end, 12u);
    cr_assert_not(p[2].is_ref);
    cr_assert_str_eq(p[2].text, ".x");
    cr_assert_eq(p[2].span.start, 13u);
    cr_assert_eq(p[2].span.end, 15u);
}

Test(lexer, interpolation_only_and_adjacent)
{
    lex("\"${ hpc_net.subnet }${b}\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    cr_assert_eq(diag_errors(h), 0u);
    cr_assert_eq(toks[0].nparts, 2u);
    cr_assert(toks[0].parts[0].is_ref);
    cr_assert_str_eq(toks[0].parts[0].text, "hpc_net.subnet");
    cr_assert_eq(toks[0].parts[0].span.start, 4u);
    cr_assert_eq(toks[0].parts[0].span.end, 18u);
    cr_assert(toks[0].parts[1].is_ref);
    cr_assert_str_eq(toks[0].parts[1].text, "b");
}

Test(lexer, dollar_without_brace_and_escaped_dollar_are_literal)
{
    lex("\"$HOME \\${x} $\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    cr_assert_eq(diag_errors(h), 0u);
    cr_assert_eq(toks[0].nparts, 1u);
    cr_assert_str_eq(toks[0].parts[0].text, "$HOME ${x} $");
}

Test(lexer, bad_interpolation)
{
    static const struct {
        const char *src, *msg;
    } bad[] = {
        {"\"${}\"", "t.hpc:1:2: error: expected a name inside '${...}'"},
        {"\"${1x}\"", "t.hpc:1:2: error: expected a name inside '${...}'"},
        {"\"${a b}\"", "t.hpc:1:2: error: expected a name inside '${...}'"},
        {"\"${a\"", "t.hpc:1:2: error: '${' has no closing '}'"},
        {"\"x ${\"", "t.hpc:1:4: error: '${' has no closing '}'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lex(bad[i].src);
        cr_assert_eq(toks[0].kind, T_STRING, "%s", bad[i].src);
        EXPECT_KINDS(T_STRING, T_EOF);
        cr_assert_str_eq(codes(), "bad-interpolation", "%s", bad[i].src);
        char *t = diag_text();
        cr_assert(strstr(t, bad[i].msg), "%s:\n%s", bad[i].src, t);
        cr_assert(strstr(t, "write \\${ for a literal '${'"), "%s", t);
        teardown();
    }
}

Test(lexer, unterminated_string_stays_on_its_line)
{
    lex("\"abc\nx");
    EXPECT_KINDS(T_STRING, T_WORD, T_EOF);
    expect_span(0, 0, 4);
    cr_assert_str_eq(codes(), "unterminated-string");
    cr_assert_eq(toks[0].nparts, 1u);
    cr_assert_str_eq(toks[0].parts[0].text, "abc");
    expect_word(1, "x");
    cr_assert(toks[1].nl_before);
    teardown();

    lex("\"abc");
    EXPECT_KINDS(T_STRING, T_EOF);
    cr_assert_str_eq(codes(), "unterminated-string");
    teardown();

    /* a backslash at the end of the line does not continue the string */
    lex("\"abc\\\nx\"");
    cr_assert_eq(toks[0].kind, T_STRING);
    cr_assert(strncmp(codes(), "unterminated-string", 19) == 0);
}

Test(lexer, utf8_in_strings_is_kept)
{
    lex("\"caf\xC3\xA9 \xE2\x82\xAC\"");
    EXPECT_KINDS(T_STRING, T_EOF);
    cr_assert_eq(diag_errors(h), 0u);
    cr_assert_str_eq(toks[0].parts[0].text, "caf\xC3\xA9 \xE2\x82\xAC");
}

Test(lexer, control_characters_in_strings)
{
    lex("\"a\x01z\"");
    cr_assert_str_eq(codes(), "unexpected-char");
    cr_assert(strstr(diag_text(), "control character U+0001 in string"));
    teardown();

    lex("\"a\tb\"");
    cr_assert_eq(diag_errors(h), 0u);
    cr_assert_str_eq(toks[0].parts[0].text, "a\tb");
    teardown();

    lex("\"a\xFFz\"");
    cr_assert_str_eq(codes(), "invalid-utf8");
}

/* ---- raw strings ----------------------------------------------------------------------- */

static void expect_raw(const char *src, const char *text)
{
    lex(src);
    EXPECT_KINDS(T_RAW, T_EOF);
    cr_assert_eq(diag_errors(h), 0u, "%s", src);
    cr_assert_str_eq(toks[0].text, text);
    cr_assert_eq(toks[0].len, strlen(text));
    expect_span(0, 0, (uint32_t)strlen(src));
    teardown();
}

Test(lexer, raw_inline_is_verbatim)
{
    expect_raw("'''a \"b\" ${c} \\n $d'''", "a \"b\" ${c} \\n $d");
    expect_raw("''''''", "");
    expect_raw("''' spaced '''", " spaced ");
    /* inline text may run over lines, verbatim */
    expect_raw("'''one\n  two'''", "one\n  two");
}

Test(lexer, raw_block_removes_the_closing_indentation)
{
    expect_raw("'''\n"
               "    #!/bin/bash\n"
               "      echo ${HOME}\n"
               "    done\n"
               "    '''",
               "#!/bin/bash\n  echo ${HOME}\ndone\n");
}

Test(lexer, raw_block_blank_lines)
{
    /* empty lines stay empty; blank lines lose up to the indentation */
    expect_raw("'''\n"
               "  a\n"
               "\n"
               " \n"
               "     \n"
               "  b\n"
               "  '''",
               "a\n\n\n   \nb\n");
}

Test(lexer, raw_block_crlf_gives_lf)
{
    expect_raw("'''\r\n  a\r\n\r\n  b\r\n  '''", "a\n\nb\n");
}

Test(lexer, raw_block_text_before_closing_quotes_is_the_last_line)
{
    expect_raw("'''\n  a\n  b'''", "a\nb");
    expect_raw("'''\n  only'''", "only");
    expect_raw("'''\n'''", "");
    expect_raw("'''  \n  x\n  '''", "x\n");
}

Test(lexer, raw_block_without_indentation)
{
    expect_raw("'''\nx\n  y\n'''", "x\n  y\n");
}

Test(lexer, raw_block_under_indented_line_is_an_error)
{
    lex("'''\n    a\n  b\n    '''");
    EXPECT_KINDS(T_RAW, T_EOF);
    cr_assert_str_eq(codes(), "raw-string-indent");
    cr_assert_str_eq(toks[0].text, "a\nb\n");
    char *t = diag_text();
    cr_assert(strstr(t, "t.hpc:3:1: error: line does not start with the indentation of the closing ''' of its raw string"), "%s", t);
    cr_assert(strstr(t, "t.hpc:4:1: note: the closing ''' at line 4 sets the indentation to remove"), "%s", t);
}

Test(lexer, raw_block_tabs_must_match_exactly)
{
    lex("'''\n\tx\n  '''");
    cr_assert_str_eq(codes(), "raw-string-indent");
}

Test(lexer, unterminated_raw_string)
{
    lex("x = '''abc\ndef");
    EXPECT_KINDS(T_WORD, T_ASSIGN, T_RAW, T_EOF);
    cr_assert_str_eq(codes(), "unterminated-string");
    cr_assert_str_eq(toks[2].text, "");
    expect_span(2, 4, 14);
    cr_assert(strstr(diag_text(), "unterminated raw string"));
}

Test(lexer, raw_string_then_more_tokens)
{
    lex("a = '''x''' b\nc = '''\n  y\n  '''\nd");
    EXPECT_KINDS(T_WORD, T_ASSIGN, T_RAW, T_WORD, T_WORD, T_ASSIGN, T_RAW, T_WORD, T_EOF);
    cr_assert_str_eq(toks[2].text, "x");
    expect_span(2, 4, 11);
    cr_assert_not(toks[3].nl_before);
    cr_assert(toks[4].nl_before);
    cr_assert_str_eq(toks[6].text, "y\n");
    cr_assert(toks[7].nl_before);
    expect_word(7, "d");
}

/* Regression (was a bug, now fixed): grammar/hpc.ebnf says "NUL bytes, invalid UTF-8 and
 * control characters other than tab, CR and LF are errors wherever they
 * appear", but raw strings only reject NUL and invalid UTF-8: ESC (0x1B) or
 * 0x01 inside '''...''' pass the lexer. */
Test(lexer, control_character_in_raw_string_is_an_error)
{
    lex("'''a\x1b[0mb'''");
    cr_assert_str_eq(codes(), "unexpected-char");
}

Test(lexer, nul_and_invalid_utf8_in_raw_string)
{
    lexn("'''a\0b'''", 9);
    cr_assert_str_eq(codes(), "nul-byte");
    teardown();
    lex("'''a\xC3(b'''");
    cr_assert_str_eq(codes(), "invalid-utf8");
}

/* ---- comments and newlines -------------------------------------------------------------- */

Test(lexer, comments_are_recorded)
{
    /*   0123456789012345 6789012 34 */
    lex("x = 1 # trailing\n  # own\r\n#\ny");
    EXPECT_KINDS(T_WORD, T_ASSIGN, T_NUMBER, T_WORD, T_EOF);
    cr_assert_eq(lx.comments.n, 3u);
    const Comment *c = lx.comments.v;
    cr_assert_str_eq(c[0].text, " trailing");
    cr_assert_not(c[0].own_line);
    cr_assert_eq(c[0].span.start, 6u);
    cr_assert_eq(c[0].span.end, 16u);
    cr_assert_str_eq(c[1].text, " own");
    cr_assert(c[1].own_line);
    cr_assert_eq(c[1].span.start, 19u);
    cr_assert_eq(c[1].span.end, 24u); /* the CR is not part of it */
    cr_assert_str_eq(c[2].text, "");
    cr_assert(c[2].own_line);
    cr_assert_eq(c[2].span.start, 26u);
    cr_assert_eq(c[2].span.end, 27u);
    cr_assert(toks[3].nl_before);
    expect_word(3, "y");
}

Test(lexer, comment_at_start_of_file_and_without_newline)
{
    lex("# first\n\t# tabbed\nx # last");
    cr_assert_eq(lx.comments.n, 3u);
    cr_assert(lx.comments.v[0].own_line);
    cr_assert_eq(lx.comments.v[0].span.start, 0u);
    cr_assert(lx.comments.v[1].own_line);
    cr_assert_str_eq(lx.comments.v[1].text, " tabbed");
    cr_assert_not(lx.comments.v[2].own_line);
    cr_assert_str_eq(lx.comments.v[2].text, " last");
    cr_assert_eq(lx.comments.v[2].span.start, 20u);
    cr_assert_eq(lx.comments.v[2].span.end, 26u);
    EXPECT_KINDS(T_WORD, T_EOF);
}

Test(lexer, comment_content_must_be_utf8)
{
    lex("# caf\xC3\xA9\n# bad \xFF\n");
    cr_assert_str_eq(codes(), "invalid-utf8");
    cr_assert_eq(lx.comments.n, 2u);
}

/* Regression (was a bug, now fixed): a control character in a comment is not reported,
 * though the grammar makes it an error wherever it appears.
 * Reproducer: printf '# a\001b\nlet x = 1\n' > c.hpc; hpcc ir c.hpc  -> only a warning */
Test(lexer, control_character_in_comment_is_an_error)
{
    lex("# a\x01" "b\nx");
    cr_assert_str_eq(codes(), "unexpected-char");
}

Test(lexer, newline_flags)
{
    lex("a b\nc\n\n  d; e\r\nf");
    EXPECT_KINDS(T_WORD, T_WORD, T_WORD, T_WORD, T_SEMI, T_WORD, T_WORD, T_EOF);
    cr_assert(toks[0].nl_before); /* start of file */
    cr_assert_not(toks[1].nl_before);
    cr_assert(toks[2].nl_before);
    cr_assert(toks[3].nl_before);
    cr_assert_not(toks[4].nl_before);
    cr_assert_not(toks[5].nl_before);
    cr_assert(toks[6].nl_before);
    cr_assert(toks[7].nl_before); /* EOF always counts as after a newline */
}

Test(lexer, newline_inside_comment_line_and_after_raw_block)
{
    lex("a # c\nb");
    cr_assert(toks[1].nl_before);
    teardown();
    lex("   a");
    cr_assert(toks[0].nl_before);
    expect_span(0, 3, 4);
}

/* ---- punctuation and spans ---------------------------------------------------------- */

Test(lexer, operators_and_punctuation)
{
    lex("{ } [ ] ( ) , ; = += + - * / < <= > >= == ..");
    EXPECT_KINDS(T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET, T_LPAREN, T_RPAREN, T_COMMA, T_SEMI, T_ASSIGN,
                 T_APPEND, T_PLUS, T_MINUS, T_STAR, T_SLASH, T_LT, T_LE, T_GT, T_GE, T_EQ, T_DOTDOT, T_EOF);
    expect_span(9, 18, 20);  /* += */
    expect_span(15, 31, 33); /* <= */
    expect_span(17, 36, 38); /* >= */
    expect_span(18, 39, 41); /* == */
    expect_span(19, 42, 44); /* .. */
    expect_span(20, 44, 44); /* EOF */
    cr_assert_eq(diag_errors(h), 0u);
}

Test(lexer, glued_operators)
{
    lex("a+=[1,2]==>=<");
    EXPECT_KINDS(T_WORD, T_APPEND, T_LBRACKET, T_NUMBER, T_COMMA, T_NUMBER, T_RBRACKET, T_EQ, T_GE, T_LT, T_EOF);
    teardown();
    lex("===");
    EXPECT_KINDS(T_EQ, T_ASSIGN, T_EOF);
}

Test(lexer, spans_of_a_realistic_line)
{
    /*   0         1         2         3         4         5
     *   012345678901234567890123456789012345678901234567890123 */
    lex("storage data lustre { capacity = 1200 GiB; mount = \"/sbo\" }");
    EXPECT_KINDS(T_WORD, T_WORD, T_WORD, T_LBRACE, T_WORD, T_ASSIGN, T_QUANTITY, T_SEMI, T_WORD, T_ASSIGN, T_STRING,
                 T_RBRACE, T_EOF);
    expect_span(0, 0, 7);
    expect_span(1, 8, 12);
    expect_span(2, 13, 19);
    expect_span(3, 20, 21);
    expect_span(4, 22, 30);
    expect_span(5, 31, 32);
    expect_span(6, 33, 41);
    cr_assert_eq(toks[6].unit_span.start, 38u);
    cr_assert_eq(toks[6].unit_span.end, 41u);
    expect_span(7, 41, 42);
    expect_span(8, 43, 48);
    expect_span(10, 51, 57);
    expect_span(11, 58, 59);
    expect_span(12, 59, 59);
}

Test(lexer, empty_and_blank_input)
{
    lex("");
    EXPECT_KINDS(T_EOF);
    expect_span(0, 0, 0);
    teardown();
    lex("  \n\t\r\n ");
    EXPECT_KINDS(T_EOF);
    expect_span(0, 7, 7);
    cr_assert_eq(diag_errors(h), 0u);
}

Test(lexer, eof_is_sticky)
{
    lex("x");
    Token t = lexer_next(&lx);
    cr_assert_eq(t.kind, T_EOF);
    t = lexer_next(&lx);
    cr_assert_eq(t.kind, T_EOF);
    cr_assert_eq(t.span.start, 1u);
}

/* ---- bad input ----------------------------------------------------------------------- */

Test(lexer, unexpected_characters)
{
    lex("a @ b");
    EXPECT_KINDS(T_WORD, T_WORD, T_EOF);
    cr_assert_str_eq(codes(), "unexpected-char");
    cr_assert(strstr(diag_text(), "t.hpc:1:3: error: unexpected character '@'"));
    teardown();

    lex("region: x");
    /* reported, then read as '=' so that the entry still parses */
    EXPECT_KINDS(T_WORD, T_ASSIGN, T_WORD, T_EOF);
    expect_span(1, 6, 7);
    cr_assert_str_eq(codes(), "unexpected-char");
    cr_assert(strstr(diag_text(), "note: fields are set with '=', e.g. region = us-east-1"));
    teardown();

    lex("'x'");
    cr_assert_str_eq(codes(), "unexpected-char,unexpected-char");
    cr_assert(strstr(diag_text(), "note: strings use double quotes, or ''' for raw text"));
    teardown();

    lex("a \xC3\xA9 b");
    cr_assert_str_eq(codes(), "unexpected-char");
    cr_assert(strstr(diag_text(), "unexpected character '\xC3\xA9'"));
    EXPECT_KINDS(T_WORD, T_WORD, T_EOF);
}

Test(lexer, nul_control_and_invalid_utf8_bytes)
{
    lexn("a\0b", 3);
    EXPECT_KINDS(T_WORD, T_WORD, T_EOF);
    cr_assert_str_eq(codes(), "nul-byte");
    teardown();

    lex("a\x01 b");
    cr_assert_str_eq(codes(), "unexpected-char");
    cr_assert(strstr(diag_text(), "unexpected control character U+0001"));
    teardown();

    lex("a \xFF\xFE b");
    cr_assert_str_eq(codes(), "invalid-utf8,invalid-utf8");
    cr_assert(strstr(diag_text(), "invalid UTF-8 byte 0xFF in source"));
    EXPECT_KINDS(T_WORD, T_WORD, T_EOF);
}

Test(lexer, too_many_errors_stops_lexing)
{
    char src[400];
    memset(src, '@', 300);
    src[300] = 0;
    lex(src);
    EXPECT_KINDS(T_EOF);
    cr_assert(diag_too_many(h));
    cr_assert_eq(diag_errors(h), (size_t)DIAG_MAX_ERRORS);
}

Test(lexer, tok_names)
{
    cr_assert_str_eq(tok_name(T_EOF), "end of file");
    cr_assert_str_eq(tok_name(T_WORD), "name");
    cr_assert_str_eq(tok_name(T_QUANTITY), "quantity");
    cr_assert_str_eq(tok_name(T_APPEND), "'+='");
    cr_assert_str_eq(tok_name(T_DOTDOT), "'..'");
}
