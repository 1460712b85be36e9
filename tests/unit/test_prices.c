/* The parts of hpcc-prices that need no network: the streaming CSV reader
 * (prices/csv.c) fed in pieces of every size, decimal prices, the URL
 * policy and the progress line. The downloads are tests/run-prices.sh's. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "decimal.h"
#include "hpcc.h"
#include "progress.h"
#include "url.h"

TestSuite(csv);
TestSuite(decimal);
TestSuite(url);
TestSuite(progress);

/* ---- csv: every record as "LINE:field|field|...\n" --------------------------------- */

static bool record(void *arg, const CsvRecord *r)
{
    Buf *b = arg;
    buf_printf(b, "%" PRIu64 ":", r->line);
    for (size_t i = 0; i < r->n; i++) {
        if (i) buf_putc(b, '|');
        buf_put(b, r->f[i].p, r->f[i].n);
    }
    buf_putc(b, '\n');
    return true;
}

/* Reads text in pieces of `step` bytes (0: at once, then at `split`). Returns
 * the records, or "error LINE: message". */
static char *read_csv(const char *text, size_t step, size_t split, const bool *keep, size_t nkeep)
{
    Buf b = {0};
    buf_put(&b, "", 0);
    Csv *c = csv_new(record, &b);
    if (keep) csv_keep(c, keep, nkeep);
    size_t n = strlen(text);
    bool ok = true;
    if (step == 0) {
        ok = csv_feed(c, text, split) && csv_feed(c, text + split, n - split);
    } else {
        for (size_t i = 0; ok && i < n; i += step) ok = csv_feed(c, text + i, i + step <= n ? step : n - i);
    }
    ok = ok && csv_finish(c);
    if (!ok) {
        b.n = 0;
        buf_printf(&b, "error %" PRIu64 ": %s", csv_error_line(c), csv_error(c));
    }
    csv_free(c);
    return b.p;
}

/* The same result however the text is cut: at every point in two, and in
 * pieces of every size up to past the 64-byte blocks of the fast path. */
static void same_in_pieces(const char *text, const char *want)
{
    char *whole = read_csv(text, strlen(text) + 1, 0, NULL, 0);
    cr_assert_str_eq(whole, want);
    free(whole);
    for (size_t split = 0; split <= strlen(text); split++) {
        char *got = read_csv(text, 0, split, NULL, 0);
        cr_assert_str_eq(got, want, "cut at byte %zu", split);
        free(got);
    }
    for (size_t step = 1; step <= 140; step++) {
        char *got = read_csv(text, step, 0, NULL, 0);
        cr_assert_str_eq(got, want, "pieces of %zu bytes", step);
        free(got);
    }
}

Test(csv, quoted_fields_commas_doubled_quotes_and_line_breaks)
{
    same_in_pieces("\"FormatVersion\",\"v1.0\"\n"
                   "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                   "plain,,\"\",end\n"
                   "\"\"\"\",\"x\"\r\n"
                   "\"last\",no-newline",
                   "1:FormatVersion|v1.0\n"
                   "2:a,b|say \"hi\"|two\nlines\n"
                   "4:plain|||end\n"
                   "5:\"|x\n"
                   "6:last|no-newline\n");
}

Test(csv, long_fields_across_blocks)
{
    char text[2000], want[2000];
    char longf[151];
    memset(longf, 'x', 150);
    longf[150] = 0;
    snprintf(text, sizeof text, "\"%s\",\"%s\",,\"y\"\n\"%s\"\n,\n\"a\nb\",\"%s\"\n", longf, longf, longf, longf);
    snprintf(want, sizeof want, "1:%s|%s||y\n2:%s\n3:|\n4:a\nb|%s\n", longf, longf, longf, longf);
    same_in_pieces(text, want);
}

Test(csv, empty_lines_and_trailing_comma)
{
    same_in_pieces("a,\n\nb\n", "1:a|\n2:\n3:b\n");
    same_in_pieces("a,b,", "1:a|b|\n");
    same_in_pieces("", "");
    same_in_pieces("\n", "1:\n");
}

Test(csv, a_leading_byte_order_mark_is_skipped)
{
    char *got = read_csv("\xEF\xBB\xBF\"a\",b\n", 100, 0, NULL, 0);
    cr_assert_str_eq(got, "1:a|b\n");
    free(got);
}

Test(csv, fields_not_kept_are_read_but_empty)
{
    bool keep[] = {true, false, true};
    char *got = read_csv("\"a\",\"b\",\"c\",\"d\"\nx,y,z,w\n", 3, 0, keep, 3);
    cr_assert_str_eq(got, "1:a||c|\n2:x||z|\n");
    free(got);
}

static void fails(const char *text, const char *want)
{
    for (size_t step = 1; step <= 70; step++) {
        char *got = read_csv(text, step, 0, NULL, 0);
        cr_assert_str_eq(got, want, "pieces of %zu bytes", step);
        free(got);
    }
}

Test(csv, malformed_text_is_an_error_at_its_line)
{
    fails("a,b\nc,d\"e\n", "error 2: a quote inside an unquoted field (field 2)");
    fails("a\n\"b\"c\n", "error 2: text after the closing quote of field 1");
    fails("a\n\"b\"\rc\n", "error 2: a carriage return without a line feed after field 1");
    fails("a\nb\r", "error 2: a carriage return without a line feed after field 1");
    fails("a\n\"b\n\nc", "error 2: a quoted field that never closes (field 1; the input ends inside it)");
}

Test(csv, limits)
{
    Buf t = {0};
    for (int i = 0; i <= CSV_MAX_FIELDS; i++) buf_puts(&t, i ? ",x" : "x");
    char *got = read_csv(t.p, 4096, 0, NULL, 0);
    cr_assert_str_eq(got, "error 1: a record with more fields than the limit (4096)");
    free(got);
    t.n = 0;
    buf_puts(&t, "a\n\"");
    for (size_t i = 0; i < CSV_MAX_RECORD; i++) buf_putc(&t, 'x');
    buf_puts(&t, "\"\n");
    got = read_csv(t.p, 65536, 0, NULL, 0); /* exactly the limit: read */
    cr_assert(strncmp(got, "1:a\n2:xxx", 9) == 0 && strlen(got) == 4 + 2 + CSV_MAX_RECORD + 1, "%.40s", got);
    free(got);
    t.n -= 2;
    buf_puts(&t, "x\"\n"); /* one byte more */
    got = read_csv(t.p, 65536, 0, NULL, 0);
    cr_assert_str_eq(got, "error 2: a record longer than the limit (1048576 bytes)");
    free(got);
    buf_free(&t);
}

static bool stop_at_second(void *arg, const CsvRecord *r)
{
    (void)arg;
    return r->index < 2;
}

Test(csv, the_callback_can_stop_the_reader)
{
    Csv *c = csv_new(stop_at_second, NULL);
    cr_assert(!csv_feed(c, "a\nb\nc\n", 6));
    cr_assert(csv_stopped(c));
    cr_assert(!csv_finish(c));
    csv_free(c);
}

/* ---- decimal prices ------------------------------------------------------------------ */

Test(decimal, normalised_exactly)
{
    static const char *const cases[][2] = {
        {"0.0960000000", "0.096"}, {"9.8534400000", "9.85344"}, {"21.5000000000", "21.5"}, {"3", "3"},
        {"003.10", "3.1"},         {"0.0000000000", "0"},       {"0", "0"},              {"10.0", "10"},
        {"100", "100"},            {"0.0001", "0.0001"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[DEC_MAX + 1];
        const char *why = dec_normalise(cases[i][0], strlen(cases[i][0]), out);
        cr_assert_null(why, "%s: %s", cases[i][0], why);
        cr_assert_str_eq(out, cases[i][1], "%s", cases[i][0]);
    }
}

Test(decimal, what_is_not_a_price)
{
    static const char *const bad[] = {"", ".5", "5.", "-1", "+1", "1e3", "1.2.3", "0x10", " 1", "1 ", "NaN", "1,5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char out[DEC_MAX + 1];
        cr_assert_not_null(dec_normalise(bad[i], strlen(bad[i]), out), "'%s' accepted", bad[i]);
    }
    char out[DEC_MAX + 1];
    const char *long_price = "1.00000000000000000000000000000000000000000";
    cr_assert_str_eq(dec_normalise(long_price, strlen(long_price), out), "is longer than the limit (40 characters)");
}

/* ---- the URL policy -------------------------------------------------------------------- */

Test(url, https_anywhere_http_and_file_only_here)
{
    static const struct { const char *scheme, *host; bool ok; } cases[] = {
        {"https", "pricing.us-east-1.amazonaws.com", true},
        {"HTTPS", "example.com", true},
        {"http", "127.0.0.1", true},
        {"http", "127.255.10.1", true},
        {"http", "localhost", true},
        {"http", "LocalHost", true},
        {"http", "[::1]", true},
        {"http", "[0:0:0:0:0:0:0:1]", true},
        {"http", "128.0.0.1", false},
        {"http", "10.0.0.1", false},
        {"http", "127.0.0.1.example.com", false},
        {"http", "localhost.example.com", false},
        {"http", "[::2]", false},
        {"http", "[::ffff:127.0.0.1]", false},
        {"http", "", false},
        {"file", "", true},
        {"file", "localhost", true},
        {"file", "server", false},
        {"ftp", "127.0.0.1", false},
        {"gopher", "localhost", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        UrlScheme s;
        const char *why = url_allowed(cases[i].scheme, cases[i].host, &s);
        cr_assert_eq(why == NULL, cases[i].ok, "%s://%s: %s", cases[i].scheme, cases[i].host, why ? why : "allowed");
    }
}

Test(url, region_names)
{
    static const char *const good[] = {"us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1", "cn-north-1",
                                       "il-central-1"};
    static const char *const bad[] = {"", "us", "us-east", "US-EAST-1", "us_east_1", "../us-east-1", "us-east-1/",
                                      "us--east-1", "-us-east-1", "us-east-1-", "us-east-x", "u-east-1",
                                      "us-east-1.json", "us-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) cr_assert(region_valid(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) cr_assert(!region_valid(bad[i]), "%s", bad[i]);
    char u[URL_MAX + 1];
    url_default("eu-west-1", u, sizeof u);
    cr_assert_str_eq(u, "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.csv");
}

/* ---- the progress line ------------------------------------------------------------------ */

Test(progress, the_line)
{
    char s[160];
    progress_format(s, sizeof s, 536870912, 1073741824, 4000);
    cr_assert_str_eq(s, "hpcc: 512.0 MiB of 1024.0 MiB (50%), 128.0 MiB/s, 0:04 left");
    progress_format(s, sizeof s, 536870912, -1, 4000);
    cr_assert_str_eq(s, "hpcc: 512.0 MiB, 128.0 MiB/s");
    progress_format(s, sizeof s, 1048576, 10737418240, 1000);
    cr_assert_str_eq(s, "hpcc: 1.0 MiB of 10240.0 MiB (0%), 1.0 MiB/s, 2:50:39 left");
    progress_format(s, sizeof s, 11264, 22749, 0);
    cr_assert_str_eq(s, "hpcc: 11 KiB of 22 KiB (49%), 10.7 MiB/s, 0:01 left");
    progress_format(s, sizeof s, 0, 22749, 500);
    cr_assert_str_eq(s, "hpcc: 0 KiB of 22 KiB (0%), 0 KiB/s");
}
