/* Named regular-expression types (compiler/pattern.h), on their own and as
 * the standard library's std.aws declares them. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "driver.h"
#include "hpcc.h"
#include "pattern.h"

static Hpcc *h;

static void setup(void) { h = hpcc_new(); }
static void teardown(void)
{
    hpcc_free(h);
    h = NULL;
}

TestSuite(pattern, .init = setup, .fini = teardown);

static void define(const char *name, const char *re)
{
    char err[256] = "";
    size_t off = 12345;
    cr_assert(pattern_define(h, name, re, err, sizeof err, &off), "%s: %s", re, err);
}

static int match(const char *name, const char *s) { return pattern_match(h, name, s, strlen(s)); }

Test(pattern, whole_value_match_is_anchored_at_both_ends)
{
    define("t.Digits", "[0-9]+");
    cr_assert_eq(match("t.Digits", "123"), 1);
    cr_assert_eq(match("t.Digits", "0"), 1);
    cr_assert_eq(match("t.Digits", "123a"), 0); /* a prefix match is not a match */
    cr_assert_eq(match("t.Digits", "a123"), 0);
    cr_assert_eq(match("t.Digits", " 123"), 0);
    cr_assert_eq(match("t.Digits", "123\n"), 0);
    cr_assert_eq(match("t.Digits", ""), 0);
}

Test(pattern, explicit_anchors_and_trailing_newline)
{
    define("t.Id", "^id-[0-9a-f]{4}$");
    cr_assert_eq(match("t.Id", "id-00ff"), 1);
    /* PCRE2's $ also matches before a final newline: the whole value must still match */
    cr_assert_eq(match("t.Id", "id-00ff\n"), 0);
    cr_assert_eq(match("t.Id", "id-00fff"), 0);
    cr_assert_eq(match("t.Id", "xid-00ff"), 0);
}

Test(pattern, length_is_used_not_the_nul)
{
    define("t.Ab", "ab");
    cr_assert_eq(pattern_match(h, "t.Ab", "abc", 2), 1);
    cr_assert_eq(pattern_match(h, "t.Ab", "abc", 3), 0);
    cr_assert_eq(pattern_match(h, "t.Ab", "a\0b", 3), 0);
    define("t.Nul", "a\\x00b");
    cr_assert_eq(pattern_match(h, "t.Nul", "a\0b", 3), 1);
}

/* Regression (was a bug, now fixed): pattern_match matches with PCRE2_ANCHORED only and then checks that
 * the match ended at the last byte; it does not ask PCRE2 for a match that
 * ends there (PCRE2_ENDANCHORED). So when the first match PCRE2 finds is
 * shorter than the value, a value that the pattern does match as a whole is
 * rejected: "ab" against "a|ab", "aaa" against "a+?". A spec's own
 * `type T = pattern "..."` without ^...$ hits this. */
Test(pattern, whole_match_found_when_a_shorter_match_comes_first)
{
    define("t.Alt", "a|ab");
    cr_assert_eq(match("t.Alt", "ab"), 1);
    define("t.Lazy", "a+?");
    cr_assert_eq(match("t.Lazy", "aaa"), 1);
    define("t.Opt", "(?:x|xy)z?");
    cr_assert_eq(match("t.Opt", "xy"), 1);
}

Test(pattern, utf8_mode)
{
    define("t.One", ".");
    cr_assert_eq(match("t.One", "\xC3\xA9"), 1);       /* one code point, two bytes */
    cr_assert_eq(match("t.One", "\xF0\x9F\x98\x80"), 1); /* four bytes */
    cr_assert_eq(match("t.One", "ab"), 0);
    cr_assert_eq(match("t.One", "\xFF"), 0); /* invalid UTF-8 is not a match */
}

Test(pattern, invalid_regex_reports_message_and_offset)
{
    static const struct {
        const char *re;
        const char *msg;
        size_t off;
    } bad[] = {
        {"(", "missing closing parenthesis", 1},
        {"[a-", "missing terminating ] for character class", 3},
        {"a{2,1}", "numbers out of order in {} quantifier", 5},
        {"*a", "quantifier does not follow a repeatable item", 0},
        {"ab)", "unmatched closing parenthesis", 2},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        size_t off = 999;
        cr_assert_not(pattern_define(h, "t.Bad", bad[i].re, err, sizeof err, &off), "%s", bad[i].re);
        cr_assert_str_eq(err, bad[i].msg, "%s", bad[i].re);
        cr_assert_eq(off, bad[i].off, "%s: offset %zu", bad[i].re, off);
    }
    /* a failed definition defines nothing */
    cr_assert_eq(match("t.Bad", "x"), -1);
    cr_assert_null(pattern_source(h, "t.Bad"));
}

Test(pattern, error_message_is_truncated_to_the_buffer)
{
    char err[8];
    size_t off = 0;
    cr_assert_not(pattern_define(h, "t.Bad", "(", err, sizeof err, &off));
    cr_assert_str_eq(err, "missing");
}

Test(pattern, unknown_name)
{
    cr_assert_eq(match("aws.SubnetId", "subnet-076ece71c00742d3c"), -1); /* nothing loaded */
    define("t.X", "x");
    cr_assert_eq(match("t.Y", "x"), -1);
    cr_assert_eq(match("X", "x"), -1);
    cr_assert_null(pattern_source(h, "t.Y"));
}

Test(pattern, source_and_redefinition)
{
    define("t.X", "x+");
    cr_assert_str_eq(pattern_source(h, "t.X"), "x+");
    cr_assert_eq(match("t.X", "xx"), 1);
    define("t.X", "y");
    cr_assert_str_eq(pattern_source(h, "t.X"), "y");
    cr_assert_eq(match("t.X", "xx"), 0);
    cr_assert_eq(match("t.X", "y"), 1);
}

Test(pattern, name_and_regex_are_copied)
{
    char name[16] = "t.Copy", re[16] = "[a-c]+";
    define(name, re);
    memset(name, 0, sizeof name);
    memset(re, 0, sizeof re);
    cr_assert_eq(match("t.Copy", "abc"), 1);
    cr_assert_str_eq(pattern_source(h, "t.Copy"), "[a-c]+");
}

Test(pattern, free_all_forgets_everything)
{
    define("t.X", "x");
    pattern_free_all(h);
    cr_assert_eq(match("t.X", "x"), -1);
    define("t.X", "x");
    cr_assert_eq(match("t.X", "x"), 1);
}

Test(pattern, many_patterns)
{
    char name[32], re[32], s[32];
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "t.P%d", i);
        snprintf(re, sizeof re, "p%d-[a-z]+", i);
        define(name, re);
    }
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "t.P%d", i);
        snprintf(s, sizeof s, "p%d-abc", i);
        cr_assert_eq(match(name, s), 1, "%s", name);
        snprintf(s, sizeof s, "p%d-abc", i + 1);
        cr_assert_eq(match(name, s), 0, "%s", name);
    }
}

/* ---- the standard library's types, through the front end ---------------------------- */

static char tmpdir[64];
static char specpath[128];

static void std_setup(void)
{
    h = hpcc_new();
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hpcc-test-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdir));
    snprintf(specpath, sizeof specpath, "%s/tiny.hpc", tmpdir);
    FILE *f = fopen(specpath, "w");
    cr_assert_not_null(f);
    fputs("cluster tiny {\n"
          "  region = us-east-1\n"
          "  os     = alinux2023\n"
          "  head { instance = t3.small; network = { subnet = \"subnet-0123456789abcdef0\" } }\n"
          "  partition compute {\n"
          "    network = { subnet = \"subnet-0123456789abcdef0\" }\n"
          "    nodes small { instance = t3.small; count = 0..4 }\n"
          "  }\n"
          "}\n",
          f);
    fclose(f);
    const char *io = NULL;
    Ir *ir = driver_front(h, specpath, &io);
    cr_assert_null(io, "%s", io);
    cr_assert_eq(diag_errors(h), 0u);
    cr_assert_not_null(ir);
}

static void std_teardown(void)
{
    unlink(specpath);
    rmdir(tmpdir);
    teardown();
}

TestSuite(stdtypes, .init = std_setup, .fini = std_teardown);

static void valid(const char *type, const char *s) { cr_assert_eq(match(type, s), 1, "%s should accept '%s'", type, s); }
static void invalid(const char *type, const char *s)
{
    cr_assert_eq(match(type, s), 0, "%s should reject '%s'", type, s);
}

Test(stdtypes, subnet_id)
{
    valid("aws.SubnetId", "subnet-076ece71c00742d3c");
    valid("aws.SubnetId", "subnet-0123456789abcdef0");
    valid("aws.SubnetId", "subnet-0123abcd");
    invalid("aws.SubnetId", "subnet-XYZ");
    invalid("aws.SubnetId", "subnet-076ECE71C00742D3C");
    invalid("aws.SubnetId", "subnet-0123456789");
    invalid("aws.SubnetId", "subnet-076ece71c00742d3c0");
    invalid("aws.SubnetId", "subnet-");
    invalid("aws.SubnetId", " subnet-076ece71c00742d3c");
    invalid("aws.SubnetId", "subnet-076ece71c00742d3c\n");
    invalid("aws.SubnetId", "sg-076ece71c00742d3c");
    cr_assert_str_eq(pattern_source(h, "aws.SubnetId"), "^subnet-([0-9a-z]{8}|[0-9a-z]{17})$");
}

Test(stdtypes, region)
{
    valid("aws.Region", "us-east-1");
    valid("aws.Region", "eu-central-2");
    valid("aws.Region", "ap-southeast-1");
    valid("aws.Region", "us-gov-west-1");
    valid("aws.Region", "us-iso-east-1");
    valid("aws.Region", "us-isob-east-1");
    invalid("aws.Region", "us-east");
    invalid("aws.Region", "US-EAST-1");
    invalid("aws.Region", "useast1");
    invalid("aws.Region", "us-east-12");
    invalid("aws.Region", "use-east-1");
    invalid("aws.Region", "us-east-1a");
}

Test(stdtypes, instance_type)
{
    valid("aws.InstanceType", "c7a.48xlarge");
    valid("aws.InstanceType", "u-6tb1.metal");
    valid("aws.InstanceType", "t3.micro");
    valid("aws.InstanceType", "hpc7a.96xlarge");
    valid("aws.InstanceType", "p4d.24xlarge");
    valid("aws.InstanceType", "c6i.metal-48xl");
    invalid("aws.InstanceType", "c7a");
    invalid("aws.InstanceType", "C7a.large");
    invalid("aws.InstanceType", "c7a.");
    invalid("aws.InstanceType", ".large");
    invalid("aws.InstanceType", "c7a-.large");
    invalid("aws.InstanceType", "c7a..large");
    invalid("aws.InstanceType", "c7a.48xlarge ");
}

Test(stdtypes, s3_uri)
{
    valid("aws.S3Uri", "s3://my-bucket");
    valid("aws.S3Uri", "s3://my-bucket/");
    valid("aws.S3Uri", "s3://my-bucket/path/to/key.sh");
    valid("aws.S3Uri", "s3://bb5.data/x");
    valid("aws.S3Uri", "s3://abc");
    invalid("aws.S3Uri", "s3://ab");
    invalid("aws.S3Uri", "s3://My-Bucket");
    invalid("aws.S3Uri", "s3:/bucket");
    invalid("aws.S3Uri", "https://bucket");
    invalid("aws.S3Uri", "s3://-bucket");
    invalid("aws.S3Uri", "s3://bucket-");
    invalid("aws.S3Uri", "S3://bucket");
}

Test(stdtypes, cidr)
{
    valid("aws.Cidr", "10.0.0.0/16");
    valid("aws.Cidr", "0.0.0.0/0");
    valid("aws.Cidr", "255.255.255.255/32");
    valid("aws.Cidr", "192.168.1.0/24");
    valid("aws.Cidr", "pl-12345678");
    valid("aws.Cidr", "pl-0123456789abcdef0");
    invalid("aws.Cidr", "256.0.0.0/8");
    invalid("aws.Cidr", "10.0.0.0/33");
    invalid("aws.Cidr", "10.0.0/16");
    invalid("aws.Cidr", "10.0.0.0");
    invalid("aws.Cidr", "01.0.0.0/8");
    invalid("aws.Cidr", "10.0.0.0/016");
    invalid("aws.Cidr", "pl-1234567");
}

Test(stdtypes, other_ids)
{
    valid("aws.SecurityGroupId", "sg-0b5941ba4f4d1a9ff");
    invalid("aws.SecurityGroupId", "sg-0b5941ba4f4d1a9f");
    valid("aws.AmiId", "ami-0123456789abcdef0");
    valid("aws.AccountId", "123456789012");
    invalid("aws.AccountId", "12345678901");
    valid("aws.FsxId", "fs-0123456789abcdef0");
    invalid("aws.FsxId", "fs-01234567");
    valid("aws.EfsId", "fs-01234567");
    valid("aws.SemVer", "3.11.1");
    invalid("aws.SemVer", "3.11");
    valid("aws.Url", "https://example.com/x.sh");
    valid("aws.Url", "s3://bucket/key");
    invalid("aws.Url", "s3://bucket");
    invalid("aws.Url", "http://example.com");
    valid("aws.IamPolicyArn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
    valid("aws.IamPolicyArn", "arn:aws-us-gov:iam::123456789012:policy/x");
    valid("aws.KeyPairName", "my key");
    invalid("aws.KeyPairName", "");
    invalid("aws.PlacementGroupName", "my group");
}

Test(stdtypes, every_declared_type_is_loaded)
{
    static const char *const types[] = {
        "aws.Region",       "aws.AccountId",      "aws.SubnetId",         "aws.SecurityGroupId",
        "aws.AmiId",        "aws.InstanceType",   "aws.S3Uri",            "aws.BucketName",
        "aws.Url",          "aws.IamPolicyArn",   "aws.IamRoleArn",       "aws.InstanceProfileArn",
        "aws.SecretArn",    "aws.ComponentArn",   "aws.ImageParent",      "aws.EfsId",
        "aws.FsxId",        "aws.EbsVolumeId",    "aws.EbsSnapshotId",    "aws.KmsKeyId",
        "aws.Cidr",         "aws.SemVer",         "aws.KeyPairName",      "aws.PlacementGroupName",
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        cr_assert_not_null(pattern_source(h, types[i]), "%s", types[i]);
        cr_assert_neq(match(types[i], "x"), -1, "%s", types[i]);
    }
    cr_assert_null(pattern_source(h, "aws.Nope"));
    cr_assert_null(pattern_source(h, "SubnetId"));
}
