/* Diagnostics (compiler/diag.h): collection, text and JSON output, limits,
 * dedupe, allow/deny scopes and --werror. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hpcc.h"
#include "json.h"
#include "source.h"

static Hpcc *h;
static const Span NOSPAN = {0, 0, 0};

static void setup(void) { h = hpcc_new(); }
static void teardown(void)
{
    hpcc_free(h);
    h = NULL;
}

TestSuite(diag, .init = setup, .fini = teardown);

static uint32_t add(const char *text) { return source_add(h, "t.hpc", NULL, text, strlen(text)); }
static Span S(uint32_t f, uint32_t a, uint32_t b) { return (Span){f, a, b}; }

static char *text_out(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    diag_print_text(h, f);
    fclose(f);
    char *s = arena_strndup(h->arena, buf, len);
    free(buf);
    return s;
}

static Json *json_out(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    diag_print_json(h, f);
    fclose(f);
    char err[200];
    Json *j = js_parse(buf, len, err, sizeof err);
    cr_assert_not_null(j, "%s\n%s", err, buf);
    free(buf);
    return j;
}

static void expect_text(const char *want)
{
    char *got = text_out();
    cr_assert_str_eq(got, want, "--- got:\n%s--- want:\n%s", got, want);
}

/* ---- the text format ------------------------------------------------------------- */

Test(diag, error_with_caret_underline_and_label)
{
    uint32_t f = add("let x = 1200 GiB + 5 h\n");
    Diag *d = diag(h, D_UNIT_MISMATCH, S(f, 8, 22), "cannot add %s and %s", "1200 GiB", "5 h");
    cr_assert_not_null(d);
    diag_label(d, "a size and a duration have different units");
    expect_text("t.hpc:1:9: error: cannot add 1200 GiB and 5 h\n"
                "    1 | let x = 1200 GiB + 5 h\n"
                "      |         ^~~~~~~~~~~~~~ a size and a duration have different units\n");
    cr_assert_eq(diag_errors(h), 1u);
    cr_assert_eq(diag_warnings(h), 0u);
}

Test(diag, no_label_no_trailing_blank)
{
    uint32_t f = add("a\nlet size = 1\n");
    diag(h, D_UNUSED_LET, S(f, 6, 10), "'size' is never used");
    expect_text("t.hpc:2:5: warning: 'size' is never used\n"
                "    2 | let size = 1\n"
                "      |     ^~~~\n");
    cr_assert_eq(diag_warnings(h), 1u);
    cr_assert_eq(diag_errors(h), 0u);
}

Test(diag, notes_with_and_without_location)
{
    uint32_t f = add("let a = b\nlet b = a\n");
    Diag *d = diag(h, D_CYCLE, S(f, 8, 9), "'b' depends on itself");
    diag_label(d, "used here");
    diag_note(d, S(f, 14, 15), "'b' is declared here");
    diag_note(d, NOSPAN, "break the cycle with a %s", "value");
    expect_text("t.hpc:1:9: error: 'b' depends on itself\n"
                "    1 | let a = b\n"
                "      |         ^ used here\n"
                "t.hpc:2:5: note: 'b' is declared here\n"
                "    2 | let b = a\n"
                "      |     ^\n"
                "   note: break the cycle with a value\n");
}

Test(diag, unlocated_diagnostic)
{
    Diag *d = diag(h, D_FILE_ERROR, NOSPAN, "cannot read '%s'", "x.hpc");
    diag_label(d, "check the path");
    diag_note(d, NOSPAN, "a note");
    expect_text("hpcc: error: cannot read 'x.hpc'\n"
                "   check the path\n"
                "   note: a note\n");
}

Test(diag, tabs_are_kept_in_the_underline)
{
    uint32_t f = add("\tx =\t@\n");
    diag(h, D_UNEXPECTED_CHAR, S(f, 5, 6), "unexpected character '@'");
    expect_text("t.hpc:1:6: error: unexpected character '@'\n"
                "    1 | \tx =\t@\n"
                "      | \t   \t^\n");
}

Test(diag, span_at_end_of_file)
{
    uint32_t f = add("let x =");
    Diag *d = diag(h, D_SYNTAX, S(f, 7, 7), "expected a value");
    diag_label(d, "here");
    expect_text("t.hpc:1:8: error: expected a value\n"
                "    1 | let x =\n"
                "      |        ^ here\n");
}

Test(diag, span_at_end_of_file_after_newline)
{
    uint32_t f = add("let x =\n");
    diag(h, D_SYNTAX, S(f, 8, 8), "expected a value");
    expect_text("t.hpc:2:1: error: expected a value\n"
                "    2 | \n"
                "      | ^\n");
}

Test(diag, span_at_end_of_a_line)
{
    uint32_t f = add("x = \"abc\r\ny\n");
    diag(h, D_SYNTAX, S(f, 8, 9), "at the CR");
    expect_text("t.hpc:1:9: error: at the CR\n"
                "    1 | x = \"abc\n"
                "      |         ^\n");
}

Test(diag, empty_span_mid_line_gets_one_caret)
{
    uint32_t f = add("abcdef");
    diag(h, D_SYNTAX, S(f, 2, 2), "here");
    expect_text("t.hpc:1:3: error: here\n"
                "    1 | abcdef\n"
                "      |   ^\n");
}

Test(diag, multi_line_span_is_underlined_to_the_end_of_its_first_line)
{
    uint32_t f = add("ab {\n  x\n}\n");
    diag(h, D_SYNTAX, S(f, 3, 11), "block");
    expect_text("t.hpc:1:4: error: block\n"
                "    1 | ab {\n"
                "      |    ^\n");
    teardown();
    setup();
    f = add("abc de\nfg");
    diag(h, D_SYNTAX, S(f, 4, 9), "x");
    expect_text("t.hpc:1:5: error: x\n"
                "    1 | abc de\n"
                "      |     ^~\n");
}

Test(diag, utf8_and_control_bytes_in_the_excerpt)
{
    uint32_t f = add("caf\xC3\xA9 = \x01\xFF @");
    diag(h, D_SYNTAX, S(f, 11, 12), "m");
    expect_text("t.hpc:1:11: error: m\n"
                "    1 | caf\xC3\xA9 = ??" " @\n"
                "      | " "          ^\n");
}

Test(diag, wide_line_numbers_widen_the_gutter)
{
    enum { LINE = 123456 };
    char *src = malloc(LINE + 8);
    memset(src, '\n', LINE - 1);
    strcpy(src + LINE - 1, "x = @");
    uint32_t f = source_add(h, "t.hpc", NULL, src, strlen(src));
    free(src);
    diag(h, D_SYNTAX, S(f, LINE - 1 + 4, LINE - 1 + 5), "m");
    expect_text("t.hpc:123456:5: error: m\n"
                "123456 | x = @\n"
                "       |     ^\n");
}

Test(diag, very_long_line_is_shown_as_a_window)
{
    char src[501];
    memset(src, 'a', 300);
    src[300] = '@';
    memset(src + 301, 'b', 199);
    src[500] = 0;
    uint32_t f = add(src);
    diag(h, D_SYNTAX, S(f, 300, 301), "m");
    char want[1024];
    char as[61], bs[100], sp[61];
    memset(as, 'a', 60), as[60] = 0;
    memset(bs, 'b', 99), bs[99] = 0;
    memset(sp, ' ', 60), sp[60] = 0;
    snprintf(want, sizeof want,
             "t.hpc:1:301: error: m\n"
             "    1 | ...%s@%s...\n"
             "      |    %s^\n",
             as, bs, sp);
    expect_text(want);
}

Test(diag, long_line_with_span_near_its_start_is_clipped_at_the_end)
{
    char src[401];
    memset(src, 'c', 400);
    src[400] = 0;
    uint32_t f = add(src);
    diag(h, D_SYNTAX, S(f, 0, 3), "m");
    char want[1024], cs[161];
    memset(cs, 'c', 160), cs[160] = 0;
    snprintf(want, sizeof want,
             "t.hpc:1:1: error: m\n"
             "    1 | %s...\n"
             "      | ^~~\n",
             cs);
    expect_text(want);
}

/* ---- order, dedupe, limits --------------------------------------------------------- */

Test(diag, printed_sorted_by_location)
{
    uint32_t f = add("aaa bbb ccc\n");
    uint32_t g = source_add(h, "u.hpc", NULL, "zzz\n", 4);
    diag(h, D_SYNTAX, NOSPAN, "unlocated first");
    diag(h, D_SYNTAX, S(g, 0, 3), "second file");
    diag(h, D_SYNTAX, S(f, 8, 11), "ccc");
    diag(h, D_SYNTAX, S(f, 0, 3), "aaa");
    diag(h, D_UNUSED_LET, S(f, 4, 7), "bbb");
    diag(h, D_SYNTAX, NOSPAN, "unlocated second");
    char *t = text_out();
    const char *order[] = {"t.hpc:1:1: error: aaa", "t.hpc:1:5: warning: bbb", "t.hpc:1:9: error: ccc",
                           "u.hpc:1:1: error: second file", "hpcc: error: unlocated first",
                           "hpcc: error: unlocated second"};
    const char *prev = t;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *p = strstr(t, order[i]);
        cr_assert_not_null(p, "missing %s in\n%s", order[i], t);
        cr_assert(p >= prev, "%s out of order in\n%s", order[i], t);
        prev = p;
    }
}

Test(diag, same_place_keeps_report_order)
{
    uint32_t f = add("abc\n");
    diag(h, D_SYNTAX, S(f, 0, 3), "first");
    diag(h, D_SYNTAX, S(f, 0, 1), "second");
    diag(h, D_SYNTAX, S(f, 0, 2), "third");
    char *t = text_out();
    char *a = strstr(t, "first"), *b = strstr(t, "second"), *c = strstr(t, "third");
    cr_assert(a && b && c && a < b && b < c, "%s", t);
}

Test(diag, identical_diagnostics_are_kept_once)
{
    uint32_t f = add("x = y\n");
    Diag *a = diag(h, D_UNDEFINED_NAME, S(f, 4, 5), "undefined name '%s'", "y");
    cr_assert_not_null(a);
    diag_label(a, "first label");
    Diag *b = diag(h, D_UNDEFINED_NAME, S(f, 4, 5), "undefined name '%s'", "y");
    cr_assert_null(b);
    diag_label(b, "ignored"); /* NULL-safe */
    diag_note(b, NOSPAN, "ignored");
    cr_assert_eq(diag_errors(h), 1u);
    /* any difference makes another diagnostic */
    cr_assert_not_null(diag(h, D_UNDEFINED_NAME, S(f, 4, 5), "undefined name 'z'"));
    cr_assert_not_null(diag(h, D_TYPE_MISMATCH, S(f, 4, 5), "undefined name 'y'"));
    cr_assert_not_null(diag(h, D_UNDEFINED_NAME, S(f, 4, 4), "undefined name 'y'"));
    cr_assert_eq(diag_errors(h), 4u);
    char *t = text_out();
    cr_assert_null(strstr(t, "ignored"));
    cr_assert_not_null(strstr(t, "first label"));
}

Test(diag, error_limit)
{
    uint32_t f = add("0123456789012345678901234567890123456789012345678901234567890123456789"
                     "0123456789012345678901234567890123456789\n");
    for (uint32_t i = 0; i < DIAG_MAX_ERRORS; i++) {
        cr_assert_not_null(diag(h, D_SYNTAX, S(f, i, i + 1), "error %u", i));
        cr_assert_not(diag_too_many(h));
    }
    /* warnings do not count toward the limit */
    cr_assert_not_null(diag(h, D_UNUSED_LET, S(f, 0, 1), "w"));
    cr_assert_not(diag_too_many(h));
    /* a duplicate is not a new error */
    cr_assert_null(diag(h, D_SYNTAX, S(f, 0, 1), "error 0"));
    cr_assert_not(diag_too_many(h));
    cr_assert_null(diag(h, D_SYNTAX, S(f, 100, 101), "one too many"));
    cr_assert(diag_too_many(h));
    /* the "too many errors" line itself is not counted */
    cr_assert_eq(diag_errors(h), (size_t)DIAG_MAX_ERRORS);
    cr_assert_str_eq(diag_summary(h), "hpcc: 100 errors, 1 warning");
    /* everything after is dropped, warnings too */
    cr_assert_null(diag(h, D_SYNTAX, S(f, 101, 102), "dropped"));
    cr_assert_null(diag(h, D_UNUSED_LET, S(f, 101, 102), "dropped"));
    cr_assert_eq(diag_warnings(h), 1u);
    char *t = text_out();
    cr_assert_null(strstr(t, "one too many"));
    cr_assert_null(strstr(t, "dropped"));
    size_t n = strlen(t);
    const char *last = "hpcc: error: too many errors (limit is 100); stopping\n";
    cr_assert(n > strlen(last) && strcmp(t + n - strlen(last), last) == 0, "%s", t + n - 200);
    Json *j = json_out();
    const Json *arr = js_get(j, "diagnostics");
    cr_assert_eq(js_len(arr), (size_t)DIAG_MAX_ERRORS + 2);
    cr_assert_str_eq(js_str_value(js_get(js_at(arr, DIAG_MAX_ERRORS + 1), "code")), "too-many-errors");
    js_release(j);
}

Test(diag, warnings_of_one_id_beyond_the_cap_are_counted)
{
    Buf b = {0};
    for (int i = 0; i < 60; i++) buf_puts(&b, "x\n");
    uint32_t f = source_add(h, "t.hpc", NULL, b.p, b.n);
    buf_free(&b);
    for (uint32_t i = 0; i < DIAG_MAX_WARNINGS_PER_ID + 2; i++) diag(h, D_UNUSED_LET, S(f, 2 * i, 2 * i + 1), "w");
    diag(h, D_UNUSED_ALLOW, S(f, 0, 1), "other id");
    cr_assert_eq(diag_warnings(h), (size_t)DIAG_MAX_WARNINGS_PER_ID + 3);
    char *t = text_out();
    size_t shown = 0;
    for (const char *p = t; (p = strstr(p, ": warning: w\n")); p++) shown++;
    cr_assert_eq(shown, (size_t)DIAG_MAX_WARNINGS_PER_ID);
    cr_assert_not_null(strstr(t, "warning: other id"));
    size_t n = strlen(t);
    const char *last = "hpcc: 2 more warnings not shown (at most 50 of each id are)\n";
    cr_assert(strcmp(t + n - strlen(last), last) == 0, "%s", t + n - 100);
    Json *j = json_out();
    cr_assert_eq(js_int_value(js_get(j, "not_shown")), 2);
    cr_assert_eq(js_len(js_get(j, "diagnostics")), (size_t)DIAG_MAX_WARNINGS_PER_ID + 1);
    js_release(j);
}

Test(diag, one_hidden_warning_is_singular)
{
    Buf b = {0};
    for (int i = 0; i < 60; i++) buf_puts(&b, "x\n");
    uint32_t f = source_add(h, "t.hpc", NULL, b.p, b.n);
    buf_free(&b);
    for (uint32_t i = 0; i < DIAG_MAX_WARNINGS_PER_ID + 1; i++) diag(h, D_UNUSED_LET, S(f, 2 * i, 2 * i + 1), "w");
    char *t = text_out();
    cr_assert_not_null(strstr(t, "\nhpcc: 1 more warning not shown (at most 50 of each id are)\n"));
}

/* ---- allow / deny / --werror ------------------------------------------------------------ */

/*                         0         1          2
 *                         0123456789012 3 45678901234567 */
static const char *SCOPED = "block1 { w1 }\nblock2 { w2 }\n";

Test(diag, allow_silences_a_warning_in_its_scope)
{
    uint32_t f = add(SCOPED);
    diag_add_scope(h, D_UNUSED_LET, false, "kept on purpose", S(f, 7, 13), S(f, 7, 8));
    diag(h, D_UNUSED_LET, S(f, 9, 11), "'w1' is never used");
    cr_assert_eq(diag_warnings(h), 1u); /* not applied before the phase ends */
    cr_assert_eq(diag_end_phase(h), 0u);
    cr_assert_eq(diag_warnings(h), 0u);
    cr_assert_eq(diag_errors(h), 0u);
    expect_text("");
    cr_assert_null(diag_summary(h));
    Json *j = json_out();
    cr_assert_eq(js_len(js_get(j, "diagnostics")), 0u);
    js_release(j);
    diag_check_unused_scopes(h);
    cr_assert_eq(diag_warnings(h), 0u);
}

Test(diag, allow_outside_its_scope_or_for_another_id_does_nothing)
{
    uint32_t f = add(SCOPED);
    diag_add_scope(h, D_UNUSED_LET, false, "r", S(f, 7, 13), S(f, 7, 8));
    diag_add_scope(h, D_UNUSED_ALLOW, false, "r", S(f, 21, 27), S(f, 21, 22));
    diag(h, D_UNUSED_LET, S(f, 23, 25), "'w2' is never used");
    diag(h, D_UNUSED_LET, S(f, 5, 9), "straddles the scope");
    diag(h, D_UNUSED_LET, NOSPAN, "unlocated");
    cr_assert_eq(diag_end_phase(h), 0u);
    cr_assert_eq(diag_warnings(h), 3u);
}

Test(diag, deny_makes_a_warning_an_error_with_a_note)
{
    uint32_t f = add(SCOPED);
    diag_add_scope(h, D_UNUSED_LET, true, NULL, S(f, 21, 27), S(f, 14, 20));
    diag(h, D_UNUSED_LET, S(f, 23, 25), "'w2' is never used");
    cr_assert_eq(diag_errors(h), 0u);
    cr_assert_eq(diag_end_phase(h), 1u);
    cr_assert_eq(diag_errors(h), 1u);
    cr_assert_eq(diag_warnings(h), 0u);
    expect_text("t.hpc:2:10: error: 'w2' is never used\n"
                "    2 | block2 { w2 }\n"
                "      |          ^~\n"
                "   note: made an error by `deny unused-let` at line 2\n");
    cr_assert_str_eq(diag_summary(h), "hpcc: 1 error");
    /* deny scopes are never "unused" */
    diag_check_unused_scopes(h);
    cr_assert_eq(diag_warnings(h), 0u);
}

Test(diag, innermost_scope_wins)
{
    uint32_t f = add(SCOPED);
    diag_add_scope(h, D_UNUSED_LET, true, NULL, S(f, 21, 27), S(f, 14, 20)); /* inner: deny */
    diag_add_scope(h, D_UNUSED_LET, false, "r", S(f, 0, 28), S(f, 0, 6));    /* outer: allow */
    diag(h, D_UNUSED_LET, S(f, 23, 25), "inner");
    diag(h, D_UNUSED_LET, S(f, 9, 11), "outer");
    cr_assert_eq(diag_end_phase(h), 1u);
    cr_assert_eq(diag_warnings(h), 0u);
    char *t = text_out();
    cr_assert_not_null(strstr(t, "error: inner"));
    cr_assert_null(strstr(t, "outer"));
}

Test(diag, allow_does_not_touch_errors)
{
    uint32_t f = add(SCOPED);
    diag_add_scope(h, D_SYNTAX, false, "r", S(f, 0, 28), S(f, 0, 6));
    diag(h, D_SYNTAX, S(f, 9, 11), "still an error");
    cr_assert_eq(diag_end_phase(h), 1u);
    cr_assert_not_null(strstr(text_out(), "t.hpc:1:10: error: still an error"));
}

Test(diag, scopes_apply_to_the_current_phase_only)
{
    uint32_t f = add(SCOPED);
    diag(h, D_UNUSED_LET, S(f, 9, 11), "early");
    cr_assert_eq(diag_end_phase(h), 0u);
    diag_add_scope(h, D_UNUSED_LET, true, NULL, S(f, 0, 28), S(f, 0, 6));
    diag(h, D_UNUSED_LET, S(f, 23, 25), "late");
    cr_assert_eq(diag_end_phase(h), 1u);
    char *t = text_out();
    cr_assert_not_null(strstr(t, "warning: early"));
    cr_assert_not_null(strstr(t, "error: late"));
    /* a third phase changes nothing already done */
    cr_assert_eq(diag_end_phase(h), 1u);
    cr_assert_str_eq(diag_summary(h), "hpcc: 1 error, 1 warning");
}

Test(diag, werror_makes_warnings_errors_unless_allowed)
{
    uint32_t f = add(SCOPED);
    h->werror = true;
    diag_add_scope(h, D_UNUSED_LET, false, "r", S(f, 7, 13), S(f, 0, 6));
    diag(h, D_UNUSED_LET, S(f, 9, 11), "allowed");
    diag(h, D_UNUSED_LET, S(f, 23, 25), "'w2' is never used");
    diag(h, D_UNUSED_ALLOW, NOSPAN, "unlocated");
    cr_assert_eq(diag_end_phase(h), 2u);
    cr_assert_eq(diag_warnings(h), 0u);
    expect_text("t.hpc:2:10: error: 'w2' is never used\n"
                "    2 | block2 { w2 }\n"
                "      |          ^~\n"
                "   note: made an error by --werror\n"
                "hpcc: error: unlocated\n"
                "   note: made an error by --werror\n");
}

Test(diag, unused_allow_is_reported)
{
    uint32_t f = add(SCOPED);
    diag_add_scope(h, D_UNUSED_LET, false, "r", S(f, 21, 27), S(f, 14, 20));
    diag_add_scope(h, D_UNUSED_LET, false, "r", S(f, 7, 13), S(f, 0, 6));
    diag(h, D_UNUSED_LET, S(f, 9, 11), "used");
    diag_end_phase(h);
    diag_check_unused_scopes(h);
    cr_assert_eq(diag_end_phase(h), 0u);
    cr_assert_eq(diag_warnings(h), 1u);
    expect_text("t.hpc:2:1: warning: `allow unused-let` silences nothing here\n"
                "    2 | block2 { w2 }\n"
                "      | ^~~~~~ no 'unused-let' warning is reported inside this block\n");
}

/* An allow whose warning comes from the last phase (the passes) is used:
 * diag_check_unused_scopes applies the scopes to what was reported before
 * it judges them, whatever the caller did before. */
Test(diag, allow_used_in_the_last_phase_is_not_reported_unused)
{
    uint32_t f = add(SCOPED);
    diag_add_scope(h, D_UNUSED_LET, false, "r", S(f, 7, 13), S(f, 7, 8));
    cr_assert_eq(diag_end_phase(h), 0u); /* phase 1: parse */
    cr_assert_eq(diag_end_phase(h), 0u); /* phase 2: resolve, lower */
    diag(h, D_UNUSED_LET, S(f, 9, 11), "reported by a pass"); /* phase 3 */
    diag_check_unused_scopes(h);
    cr_assert_eq(diag_end_phase(h), 0u);
    cr_assert_eq(diag_warnings(h), 0u, "%s", text_out());
}

Test(diag, an_allow_never_silences_its_own_unused_warning)
{
    uint32_t f = add(SCOPED);
    /* `allow unused-allow` at the start of the file, governing all of it, silencing nothing */
    diag_add_scope(h, D_UNUSED_ALLOW, false, "r", S(f, 0, 28), S(f, 0, 6));
    diag_check_unused_scopes(h);
    cr_assert_eq(diag_end_phase(h), 0u);
    cr_assert_eq(diag_warnings(h), 1u);
    expect_text("t.hpc:1:1: warning: `allow unused-allow` silences nothing here\n"
                "    1 | block1 { w1 }\n"
                "      | ^~~~~~ no 'unused-allow' warning is reported inside this block\n");
}

/* ---- JSON ------------------------------------------------------------------------------------ */

Test(diag, json_shape)
{
    uint32_t f = add("let a = b\nlet b = a\n");
    Diag *d = diag(h, D_CYCLE, S(f, 8, 13), "'b' depends on itself");
    diag_label(d, "used here");
    diag_note(d, S(f, 14, 15), "declared here");
    diag_note(d, NOSPAN, "unlocated note");
    diag(h, D_UNUSED_LET, NOSPAN, "a warning");
    Json *j = json_out();
    cr_assert(js_is_object(j));
    cr_assert_eq(js_obj_size(j), 4u);
    cr_assert_str_eq(js_key_at(j, 0), "diagnostics");
    cr_assert_str_eq(js_key_at(j, 1), "errors");
    cr_assert_str_eq(js_key_at(j, 2), "warnings");
    cr_assert_str_eq(js_key_at(j, 3), "not_shown");
    cr_assert_eq(js_int_value(js_get(j, "errors")), 1);
    cr_assert_eq(js_int_value(js_get(j, "warnings")), 1);
    cr_assert_eq(js_int_value(js_get(j, "not_shown")), 0);

    const Json *arr = js_get(j, "diagnostics");
    cr_assert(js_is_array(arr));
    cr_assert_eq(js_len(arr), 2u);
    const Json *e = js_at(arr, 0);
    cr_assert_eq(js_obj_size(e), 6u);
    static const char *const keys[] = {"severity", "code", "message", "location", "label", "notes"};
    for (size_t i = 0; i < 6; i++) cr_assert_str_eq(js_key_at(e, i), keys[i]);
    cr_assert_str_eq(js_str_value(js_get(e, "severity")), "error");
    cr_assert_str_eq(js_str_value(js_get(e, "code")), "cycle");
    cr_assert_str_eq(js_str_value(js_get(e, "message")), "'b' depends on itself");
    cr_assert_str_eq(js_str_value(js_get(e, "label")), "used here");
    const Json *loc = js_get(e, "location");
    static const char *const lkeys[] = {"file", "line", "column", "end_line", "end_column", "offset", "length"};
    cr_assert_eq(js_obj_size(loc), 7u);
    for (size_t i = 0; i < 7; i++) cr_assert_str_eq(js_key_at(loc, i), lkeys[i]);
    cr_assert_str_eq(js_str_value(js_get(loc, "file")), "t.hpc");
    cr_assert_eq(js_int_value(js_get(loc, "line")), 1);
    cr_assert_eq(js_int_value(js_get(loc, "column")), 9);
    cr_assert_eq(js_int_value(js_get(loc, "end_line")), 2);
    cr_assert_eq(js_int_value(js_get(loc, "end_column")), 4);
    cr_assert_eq(js_int_value(js_get(loc, "offset")), 8);
    cr_assert_eq(js_int_value(js_get(loc, "length")), 5);

    const Json *notes = js_get(e, "notes");
    cr_assert_eq(js_len(notes), 2u);
    cr_assert_str_eq(js_str_value(js_get(js_at(notes, 0), "message")), "declared here");
    const Json *nl = js_get(js_at(notes, 0), "location");
    cr_assert_eq(js_int_value(js_get(nl, "line")), 2);
    cr_assert_eq(js_int_value(js_get(nl, "column")), 5);
    cr_assert_eq(js_int_value(js_get(nl, "length")), 1);
    cr_assert_eq(js_obj_size(js_at(notes, 1)), 1u);
    cr_assert_str_eq(js_str_value(js_get(js_at(notes, 1), "message")), "unlocated note");

    const Json *w = js_at(arr, 1);
    cr_assert_str_eq(js_str_value(js_get(w, "severity")), "warning");
    cr_assert_str_eq(js_str_value(js_get(w, "code")), "unused-let");
    cr_assert_null(js_get(w, "location"));
    cr_assert_null(js_get(w, "label"));
    cr_assert(js_is_array(js_get(w, "notes")));
    cr_assert_eq(js_len(js_get(w, "notes")), 0u);
    js_release(j);
}

Test(diag, json_when_clean)
{
    Json *j = json_out();
    cr_assert_eq(js_len(js_get(j, "diagnostics")), 0u);
    cr_assert_eq(js_int_value(js_get(j, "errors")), 0);
    cr_assert_eq(js_int_value(js_get(j, "warnings")), 0);
    js_release(j);
    expect_text("");
}

Test(diag, json_escapes_text)
{
    uint32_t f = add("x\n");
    diag(h, D_SYNTAX, S(f, 0, 1), "quote \" backslash \\ tab \t caf\xC3\xA9");
    Json *j = json_out();
    cr_assert_str_eq(js_str_value(js_get(js_at(js_get(j, "diagnostics"), 0), "message")),
                     "quote \" backslash \\ tab \t caf\xC3\xA9");
    js_release(j);
}

/* ---- ids, summary, UTF-8 ----------------------------------------------------------------------- */

Test(diag, summary)
{
    uint32_t f = add("abcdef\n");
    cr_assert_null(diag_summary(h));
    diag(h, D_UNUSED_LET, S(f, 0, 1), "w");
    cr_assert_str_eq(diag_summary(h), "hpcc: 1 warning");
    diag(h, D_UNUSED_LET, S(f, 1, 2), "w");
    diag(h, D_UNUSED_LET, S(f, 2, 3), "w");
    cr_assert_str_eq(diag_summary(h), "hpcc: 3 warnings");
    diag(h, D_SYNTAX, S(f, 0, 1), "e");
    cr_assert_str_eq(diag_summary(h), "hpcc: 1 error, 3 warnings");
    diag(h, D_SYNTAX, S(f, 1, 1), "e");
    cr_assert_str_eq(diag_summary(h), "hpcc: 2 errors, 3 warnings");
}

Test(diag, summary_errors_only)
{
    diag(h, D_SYNTAX, NOSPAN, "a");
    diag(h, D_SYNTAX, NOSPAN, "b");
    cr_assert_str_eq(diag_summary(h), "hpcc: 2 errors");
}

Test(diag, ids)
{
    cr_assert_str_eq(diag_id(D_NUL_BYTE), "nul-byte");
    cr_assert_str_eq(diag_id(D_UNKNOWN_DIAG_ID), "unknown-diagnostic");
    cr_assert_str_eq(diag_id(D_UNUSED_LET), "unused-let");
    DiagCode c = D_SYNTAX;
    cr_assert(diag_lookup("unused-allow", &c));
    cr_assert_eq(c, D_UNUSED_ALLOW);
    cr_assert(diag_lookup("pattern-mismatch", &c));
    cr_assert_eq(c, D_PATTERN_MISMATCH);
    cr_assert_not(diag_lookup("unused_let", &c));
    cr_assert_not(diag_lookup("", &c));
    cr_assert_eq(c, D_PATTERN_MISMATCH);
    cr_assert(diag_is_warning(D_UNUSED_LET));
    cr_assert(diag_is_warning(D_UNUSED_ALLOW));
    cr_assert_not(diag_is_warning(D_SYNTAX));
    for (int i = 0; i < D__COUNT; i++) {
        DiagCode back;
        cr_assert(diag_lookup(diag_id((DiagCode)i), &back));
        cr_assert_eq(back, (DiagCode)i, "%s is not unique", diag_id((DiagCode)i));
    }
}

Test(diag, warning_ids)
{
    /* every warning of diag.def, in table order */
    const char *want[D__COUNT];
    size_t nw = 0;
    for (int i = 0; i < D__COUNT; i++)
        if (diag_is_warning((DiagCode)i)) want[nw++] = diag_id((DiagCode)i);
    cr_assert_geq(nw, 2u);
    const char *ids[D__COUNT + 1];
    size_t n = diag_warning_ids(ids, D__COUNT + 1);
    cr_assert_eq(n, nw);
    for (size_t i = 0; i < n; i++) cr_assert_str_eq(ids[i], want[i]);
    bool has_let = false, has_allow = false;
    for (size_t i = 0; i < n; i++) {
        has_let |= strcmp(ids[i], "unused-let") == 0;
        has_allow |= strcmp(ids[i], "unused-allow") == 0;
    }
    cr_assert(has_let && has_allow);
    /* the cap is respected */
    cr_assert_eq(diag_warning_ids(ids, 1), 1u);
    cr_assert_str_eq(ids[0], want[0]);
    cr_assert_eq(diag_warning_ids(ids, 0), 0u);
}

static void expect_cp(const char *s, size_t len, int32_t cp, size_t adv)
{
    size_t a = 99;
    int32_t got = utf8_decode((const unsigned char *)s, len, &a);
    cr_assert_eq(got, cp, "decode: got %d, expected %d", (int)got, (int)cp);
    cr_assert_eq(a, adv, "adv: got %zu, expected %zu", a, adv);
}

Test(diag, utf8_decode)
{
    expect_cp("A", 1, 'A', 1);
    expect_cp("\0", 1, 0, 1);
    expect_cp("\xC3\xA9", 2, 0xE9, 2);
    expect_cp("\xE2\x82\xAC", 3, 0x20AC, 3);
    expect_cp("\xF0\x9F\x98\x80", 4, 0x1F600, 4);
    expect_cp("\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4);
    expect_cp("", 0, -1, 1);
    expect_cp("\x80", 1, -1, 1);             /* stray continuation byte */
    expect_cp("\xC0\x80", 2, -1, 1);         /* overlong NUL */
    expect_cp("\xE0\x80\xAF", 3, -1, 1);     /* overlong '/' */
    expect_cp("\xED\xA0\x80", 3, -1, 1);     /* surrogate */
    expect_cp("\xF4\x90\x80\x80", 4, -1, 1); /* above U+10FFFF */
    expect_cp("\xC3", 1, -1, 1);             /* truncated */
    expect_cp("\xE2\x82\xAC", 2, -1, 1);     /* truncated by len */
    expect_cp("\xC3(", 2, -1, 1);            /* bad continuation */
    expect_cp("\xF8\x88\x80\x80\x80", 5, -1, 1);
    expect_cp("\xFF", 1, -1, 1);
}
