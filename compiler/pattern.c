/* pattern.c — PCRE2 behind pattern.h; the only file that includes <pcre2.h>. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "pattern.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

typedef struct Pat {
    const char *source;
    pcre2_code *code;
} Pat;

struct Patterns {
    StrMap *byname;
    VEC(Pat *) all;    /* to free the compiled codes */
    pcre2_match_data *md;
};

static struct Patterns *get(Hpcc *h)
{
    if (!h->patterns) {
        h->patterns = NEW(h->arena, struct Patterns);
        h->patterns->byname = strmap_new(h->arena);
    }
    return h->patterns;
}

bool pattern_define(Hpcc *h, const char *name, const char *regex, char *err, size_t errlen, size_t *erroff)
{
    struct Patterns *ps = get(h);
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code,
                                   &off, NULL);
    if (!re) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(code, buf, sizeof buf);
        snprintf(err, errlen, "%s", (const char *)buf);
        *erroff = off;
        return false;
    }
    Pat *p = NEW(h->arena, Pat);
    p->source = arena_strdup(h->arena, regex);
    p->code = re;
    VPUSH(h->arena, ps->all, p);
    strmap_set(ps->byname, arena_strdup(h->arena, name), p);
    return true;
}

void pattern_define_builtin(Hpcc *h, const char *name, const char *regex)
{
    struct Patterns *ps = get(h);
    Pat *p = NEW(h->arena, Pat);
    p->source = arena_strdup(h->arena, regex);
    VPUSH(h->arena, ps->all, p);
    strmap_set(ps->byname, arena_strdup(h->arena, name), p);
}

int pattern_match(Hpcc *h, const char *name, const char *s, size_t len)
{
    struct Patterns *ps = get(h);
    Pat *p = strmap_get(ps->byname, name);
    if (!p) return -1;
    if (!p->code) {
        int code;
        PCRE2_SIZE off;
        p->code = pcre2_compile((PCRE2_SPTR)p->source, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off, NULL);
        if (!p->code) hpcc_die("internal error: the stdlib's pattern for %s does not compile", name);
    }
    if (!ps->md) ps->md = pcre2_match_data_create(8, NULL);
    if (!ps->md) hpcc_die("out of memory (pcre2)");
    /* Whole-value match: anchored at both ends, so PCRE2 backtracks into the
     * alternatives that reach the end (`a|ab` matches "ab"). */
    int rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, 0, PCRE2_ANCHORED | PCRE2_ENDANCHORED, ps->md, NULL);
    return rc >= 0;
}

const char *pattern_source(Hpcc *h, const char *name)
{
    Pat *p = strmap_get(get(h)->byname, name);
    return p ? p->source : NULL;
}

void pattern_free_all(Hpcc *h)
{
    if (!h->patterns) return;
    for (size_t i = 0; i < h->patterns->all.n; i++) pcre2_code_free(h->patterns->all.v[i]->code);
    if (h->patterns->md) pcre2_match_data_free(h->patterns->md);
    h->patterns = NULL;
}
