/* slurm_extras.c — the Slurm settings file ParallelCluster includes from
 * CustomSlurmSettingsIncludeFile (slurm_extras.conf).
 *
 * One `Key=Value` line per setting, in the spec's order. Values are written so
 * that Slurm's parser (src/common/parse_config.c) reads back the same value:
 * it strips comments at an unescaped '#', then removes one level of '\'
 * escapes, then reads a value as a run of non-blanks or a "..." string
 * without quotes inside. So '\' and '#' are escaped, a value with blanks is
 * double-quoted, and a value that would need a '"' inside quotes or start with
 * one, or holds a control character, is refused (a newline would inject settings). */
#include <string.h>

#include "backend.h"

#define A (o->arena)

/* The text of one value, or NULL after a problem. */
static const char *scalar_text(BackendOut *o, const char *key, const Value *v)
{
    char buf[128];
    switch (v->kind) {
    case V_STR:
    case V_WORD: return arena_strndup(A, v->str.s, v->str.len);
    case V_BOOL: return v->b ? "YES" : "NO";
    case V_NUM:
        if (dim_eq(v->num.dim, DIM_TIME)) {
            Rat mins;
            if (rat_div(v->num.v, rat_int(60), &mins) && rat_is_int(mins))
                return arena_strdup(A, rat_format(mins, buf, sizeof buf));
            be_problem(o, v->span, "Slurm takes durations in whole minutes", "%s is not a whole number of minutes", key);
            return NULL;
        }
        if (!dim_is_none(v->num.dim) || !rat_terminates(v->num.v)) {
            be_problem(o, v->span, "write the value in the unit Slurm expects, without a unit",
                       "%s = %s cannot be written for Slurm", key, value_text(A, v));
            return NULL;
        }
        return arena_strdup(A, rat_format(v->num.v, buf, sizeof buf));
    default: break;
    }
    be_problem(o, v->span, NULL, "%s = %s cannot be written for Slurm", key, value_describe(A, v));
    return NULL;
}

/* Escapes and quotes a value for slurm.conf; NULL after a problem. */
static const char *slurm_quote(BackendOut *o, const char *key, const char *s, Span at)
{
    bool blank = *s == 0;
    Buf b = {0};
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7F) {
            be_problem(o, at, c == '\n' ? "a new line would start another Slurm setting" : "Slurm settings are one line of text",
                       "the value of %s holds a control character (U+%04X)", key, c);
            buf_free(&b);
            return NULL;
        }
        if (c == ' ') blank = true;
        if (c == '\\' || c == '#') buf_putc(&b, '\\');
        buf_putc(&b, (char)c);
    }
    const char *text = arena_strdup(A, b.p ? b.p : "");
    buf_free(&b);
    if (s[0] == '"') {
        /* Slurm reads a leading '"' as the start of a quoted value. */
        be_problem(o, at, "Slurm's parser would read it as a quoted value and drop the quotes",
                   "the value of %s starts with a '\"'", key);
        return NULL;
    }
    if (!blank) return text;
    if (strchr(s, '"')) {
        be_problem(o, at, "Slurm's parser cannot read a double quote inside a quoted value",
                   "the value of %s holds both a blank and a '\"'", key);
        return NULL;
    }
    return arena_printf(A, "\"%s\"", text);
}

void backend_slurm_extras(const IrCluster *c, BackendOut *o)
{
    const IrExtras *e = c->slurm ? c->slurm->extras : NULL;
    if (!e) return;
    Buf b = {0};
    buf_puts(&b, be_header(o));
    for (size_t i = 0; i < e->settings.n; i++) {
        const IrKv *kv = &e->settings.v[i];
        const Value *v = kv->v;
        const char *text;
        if (v->kind == V_LIST) {
            Buf l = {0};
            bool ok = true;
            for (size_t k = 0; k < v->list.n && ok; k++) {
                const char *t = scalar_text(o, kv->key, v->list.v[k]);
                if (t) buf_printf(&l, "%s%s", k ? "," : "", t);
                else ok = false;
            }
            text = ok ? arena_strdup(A, l.p ? l.p : "") : NULL;
            buf_free(&l);
        } else {
            text = scalar_text(o, kv->key, v);
        }
        if (!text) continue;
        const char *q = slurm_quote(o, kv->key, text, v->span);
        if (q) buf_printf(&b, "%s=%s\n", kv->key, q);
    }
    char *data = arena_strndup(A, b.p, b.n);
    be_add(o, "slurm_extras.conf", data, b.n);
    buf_free(&b);
}
