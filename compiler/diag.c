/* diag.c — diagnostics: collection, allow/deny scopes, text and JSON output. */
#include "diag.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "source.h"

typedef struct DiagNote {
    Span span;
    const char *msg;
} DiagNote;

struct Diag {
    Arena *arena;
    DiagCode code;
    Severity sev;
    Span span;
    const char *msg;
    const char *label;
    VEC(DiagNote) notes;
    bool silenced;
    bool phase_done;   /* scopes and --werror applied */
    size_t seq;        /* order of report: the tie-breaker when sorting */
};

typedef struct Scope {
    DiagCode code;
    bool deny;
    bool used;
    const char *reason;
    Span scope, at;
} Scope;

struct Diags {
    Arena *arena;
    VEC(Diag *) list;
    VEC(Scope) scopes;
    StrMap *seen;
    size_t errors_reported; /* before scopes: counts toward the limit */
    bool too_many;
};

static const struct {
    const char *id;
    Severity sev;
} TABLE[] = {
#define ERROR SEV_ERROR
#define WARNING SEV_WARNING
#define DIAG(name, id, sev) {id, sev},
#include "diag.def"
#undef DIAG
#undef ERROR
#undef WARNING
};

Diags *diags_new(Arena *a)
{
    Diags *d = NEW(a, Diags);
    d->arena = a;
    d->seen = strmap_new(a);
    return d;
}

const char *diag_id(DiagCode c) { return TABLE[c].id; }
bool diag_is_warning(DiagCode c) { return TABLE[c].sev == SEV_WARNING; }

bool diag_lookup(const char *id, DiagCode *out)
{
    for (size_t i = 0; i < D__COUNT; i++)
        if (strcmp(TABLE[i].id, id) == 0) {
            *out = (DiagCode)i;
            return true;
        }
    return false;
}

size_t diag_warning_ids(const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < D__COUNT; i++)
        if (TABLE[i].sev == SEV_WARNING && n < cap) out[n++] = TABLE[i].id;
    return n;
}

static Diag *push(Diags *ds, DiagCode code, Severity sev, Span at, char *msg)
{
    Diag *d = NEW(ds->arena, Diag);
    d->arena = ds->arena;
    d->code = code;
    d->sev = sev;
    d->span = at;
    d->msg = msg;
    d->seq = ds->list.n;
    VPUSH(ds->arena, ds->list, d);
    return d;
}

Diag *diag(Hpcc *h, DiagCode code, Span at, const char *fmt, ...)
{
    Diags *ds = h->diags;
    if (ds->too_many) return NULL;
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(ds->arena, fmt, ap);
    va_end(ap);
    char *key = arena_printf(ds->arena, "%d|%u|%u|%u|%s", (int)code, at.file, at.start, at.end, msg);
    if (strmap_put_new(ds->seen, key, key)) return NULL;
    if (TABLE[code].sev == SEV_ERROR && ds->errors_reported >= DIAG_MAX_ERRORS) {
        ds->too_many = true;
        push(ds, D_TOO_MANY_ERRORS, SEV_ERROR, (Span){0, 0, 0},
             arena_printf(ds->arena, "too many errors (limit is %d); stopping", DIAG_MAX_ERRORS));
        return NULL;
    }
    if (TABLE[code].sev == SEV_ERROR) ds->errors_reported++;
    return push(ds, code, TABLE[code].sev, at, msg);
}

void diag_label(Diag *d, const char *fmt, ...)
{
    if (!d) return;
    va_list ap;
    va_start(ap, fmt);
    d->label = arena_vprintf(d->arena, fmt, ap);
    va_end(ap);
}

void diag_note(Diag *d, Span at, const char *fmt, ...)
{
    if (!d) return;
    va_list ap;
    va_start(ap, fmt);
    DiagNote n = {at, arena_vprintf(d->arena, fmt, ap)};
    va_end(ap);
    VPUSH(d->arena, d->notes, n);
}

bool diag_too_many(const Hpcc *h) { return h->diags->too_many; }

/* ---- allow / deny ----------------------------------------------------------- */

void diag_add_scope(Hpcc *h, DiagCode code, bool deny, const char *reason, Span scope, Span at)
{
    Scope s = {code, deny, false, reason, scope, at};
    VPUSH(h->arena, h->diags->scopes, s);
}

static bool inside(Span inner, Span outer)
{
    return inner.file != 0 && inner.file == outer.file && inner.start >= outer.start && inner.end <= outer.end;
}

/* The innermost scope for this code containing the span, or NULL. */
static Scope *find_scope(Diags *ds, DiagCode code, Span at)
{
    Scope *best = NULL;
    for (size_t i = 0; i < ds->scopes.n; i++) {
        Scope *s = &ds->scopes.v[i];
        if (s->code != code || !inside(at, s->scope)) continue;
        if (s->at.start == at.start && s->at.file == at.file) continue; /* an allow never silences itself */
        if (!best || (s->scope.end - s->scope.start) < (best->scope.end - best->scope.start)) best = s;
    }
    return best;
}

size_t diag_end_phase(Hpcc *h)
{
    Diags *ds = h->diags;
    for (size_t i = 0; i < ds->list.n; i++) {
        Diag *d = ds->list.v[i];
        if (d->phase_done) continue;
        d->phase_done = true;
        if (d->sev != SEV_WARNING) continue;
        Scope *s = find_scope(ds, d->code, d->span);
        if (s && s->deny) {
            d->sev = SEV_ERROR;
            LineCol lc = source_linecol(h, s->at.file, s->at.start);
            diag_note(d, (Span){0, 0, 0}, "made an error by `deny %s` at line %u", diag_id(d->code), lc.line);
        } else if (s) {
            s->used = true;
            d->silenced = true;
        } else if (h->werror) {
            d->sev = SEV_ERROR;
            diag_note(d, (Span){0, 0, 0}, "made an error by --werror");
        }
    }
    return diag_errors(h);
}

void diag_check_unused_scopes(Hpcc *h)
{
    Diags *ds = h->diags;
    diag_end_phase(h); /* apply the scopes to everything reported so far: that is what marks them used */
    for (size_t i = 0; i < ds->scopes.n; i++) {
        Scope *s = &ds->scopes.v[i];
        if (s->deny || s->used) continue;
        Diag *d = diag(h, D_UNUSED_ALLOW, s->at, "`allow %s` silences nothing here", diag_id(s->code));
        diag_label(d, "no '%s' warning is reported inside this block", diag_id(s->code));
    }
}

size_t diag_errors(const Hpcc *h)
{
    size_t n = 0;
    for (size_t i = 0; i < h->diags->list.n; i++)
        if (h->diags->list.v[i]->sev == SEV_ERROR && h->diags->list.v[i]->code != D_TOO_MANY_ERRORS) n++;
    return n;
}

size_t diag_warnings(const Hpcc *h)
{
    size_t n = 0;
    for (size_t i = 0; i < h->diags->list.n; i++) {
        const Diag *d = h->diags->list.v[i];
        if (d->sev == SEV_WARNING && !d->silenced) n++;
    }
    return n;
}

char *diag_summary(Hpcc *h)
{
    size_t e = diag_errors(h), w = diag_warnings(h);
    if (!e && !w) return NULL;
    if (h->diags->too_many) e = DIAG_MAX_ERRORS; /* the limit was hit: say how many were reported */
    if (e && w)
        return arena_printf(h->arena, "hpcc: %zu error%s, %zu warning%s", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s");
    if (e) return arena_printf(h->arena, "hpcc: %zu error%s", e, e == 1 ? "" : "s");
    return arena_printf(h->arena, "hpcc: %zu warning%s", w, w == 1 ? "" : "s");
}

/* ---- rendering ------------------------------------------------------------------ */

int32_t utf8_decode(const unsigned char *s, size_t len, size_t *adv)
{
    *adv = 1;
    if (len == 0) return -1;
    unsigned c = s[0];
    if (c < 0x80) return (int32_t)c;
    size_t n;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07, min = 0x10000;
    else return -1;
    if (len < n) return -1;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    *adv = n;
    return (int32_t)cp;
}

static int cmp_diag(const void *a, const void *b)
{
    const Diag *x = *(Diag *const *)a, *y = *(Diag *const *)b;
    /* Located diagnostics first, by file and place; unlocated ones keep report order at the end. */
    bool lx = x->span.file != 0, ly = y->span.file != 0;
    if (lx != ly) return lx ? -1 : 1;
    if (lx) {
        if (x->span.file != y->span.file) return x->span.file < y->span.file ? -1 : 1;
        if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
    }
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The diagnostics to print, sorted; warnings beyond DIAG_MAX_WARNINGS_PER_ID
 * of one id are counted in *hidden instead. */
static Diag **sorted(Hpcc *h, size_t *n, size_t *hidden)
{
    Diags *ds = h->diags;
    Diag **v = arena_alloc(h->arena, (ds->list.n + 1) * sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < ds->list.n; i++)
        if (!ds->list.v[i]->silenced) v[k++] = ds->list.v[i];
    qsort(v, k, sizeof *v, cmp_diag);
    size_t per[D__COUNT] = {0}, m = 0;
    *hidden = 0;
    for (size_t i = 0; i < k; i++) {
        if (v[i]->sev == SEV_WARNING && ++per[v[i]->code] > DIAG_MAX_WARNINGS_PER_ID) {
            ++*hidden;
            continue;
        }
        v[m++] = v[i];
    }
    *n = m;
    return v;
}

static const char *sev_name(Severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_NOTE: return "note";
    }
    return "?";
}

enum { SHOW_BEFORE = 60, SHOW_WIDTH = 160 };

/* Prints the source line holding `s` and a ^~~~ underline under the span,
 * followed by `label`. Tabs are kept (and repeated in the underline) so the
 * caret lines up; control bytes and invalid UTF-8 print as '?'; very long
 * lines are shown as a window around the span. */
static void print_excerpt(Hpcc *h, FILE *out, Span s, const char *label)
{
    LineCol lc = source_linecol(h, s.file, s.start);
    size_t len;
    const unsigned char *line = (const unsigned char *)source_line(h, s.file, lc.line, &len);
    char num[16];
    int w = snprintf(num, sizeof num, "%u", lc.line);
    if (w < 5) w = 5;
    Buf text = {0}, under = {0};
    uint32_t col = 1, first = lc.col > SHOW_BEFORE ? lc.col - SHOW_BEFORE : 1;
    if (first > 1) buf_puts(&text, "..."), buf_puts(&under, "   ");
    /* Span length in code points, clipped to this line. */
    SourceFile *f = source_get(h, s.file);
    size_t line_off = (size_t)(line - (const unsigned char *)f->text);
    size_t span_end = s.end > s.start ? s.end : s.start + 1;
    bool clipped = false;
    for (size_t i = 0; i < len;) {
        size_t adv;
        int32_t cp = utf8_decode(line + i, len - i, &adv);
        if (col >= first + SHOW_WIDTH) {
            clipped = true;
            break;
        }
        if (col >= first) {
            bool in = line_off + i >= s.start && line_off + i < span_end;
            bool at = line_off + i == s.start;
            if (cp == '\t') {
                buf_putc(&text, '\t');
                buf_putc(&under, in ? (at ? '^' : '~') : '\t');
            } else {
                if (cp < 0x20 || cp == 0x7F) buf_putc(&text, '?');
                else buf_put(&text, (const char *)line + i, adv);
                buf_putc(&under, in ? (at ? '^' : '~') : ' ');
            }
        }
        i += adv;
        col++;
    }
    if (clipped) buf_puts(&text, "...");
    if (line_off + len <= s.start) { /* span at end of line (e.g. end of file) */
        buf_putc(&under, '^');
    }
    /* Trim trailing blanks of the underline. */
    while (under.n && (under.p[under.n - 1] == ' ' || under.p[under.n - 1] == '\t')) under.p[--under.n] = 0;
    fprintf(out, "%*u | %s\n", w, lc.line, text.p ? text.p : "");
    fprintf(out, "%*s | %s", w, "", under.p ? under.p : "");
    if (label && *label) fprintf(out, " %s", label);
    fputc('\n', out);
    buf_free(&text);
    buf_free(&under);
}

static void print_one(Hpcc *h, FILE *out, const Diag *d)
{
    if (d->span.file) fprintf(out, "%s: ", source_where(h, d->span, false));
    else fputs("hpcc: ", out);
    fprintf(out, "%s: %s\n", sev_name(d->sev), d->msg);
    if (d->span.file) print_excerpt(h, out, d->span, d->label);
    else if (d->label) fprintf(out, "   %s\n", d->label);
    for (size_t i = 0; i < d->notes.n; i++) {
        const DiagNote *n = &d->notes.v[i];
        if (n->span.file) {
            fprintf(out, "%s: note: %s\n", source_where(h, n->span, false), n->msg);
            print_excerpt(h, out, n->span, NULL);
        } else {
            fprintf(out, "   note: %s\n", n->msg);
        }
    }
}

void diag_print_text(Hpcc *h, FILE *out)
{
    size_t n, hidden;
    Diag **v = sorted(h, &n, &hidden);
    for (size_t i = 0; i < n; i++) print_one(h, out, v[i]);
    if (hidden)
        fprintf(out, "hpcc: %zu more warning%s not shown (at most %d of each id are)\n", hidden, hidden == 1 ? "" : "s",
                DIAG_MAX_WARNINGS_PER_ID);
}

static Json *loc_json(Hpcc *h, Span s)
{
    Json *o = js_object();
    SourceFile *f = source_get(h, s.file);
    LineCol a = source_linecol(h, s.file, s.start), b = source_linecol(h, s.file, s.end);
    js_put(o, "file", js_str(f->name));
    js_put(o, "line", js_int(a.line));
    js_put(o, "column", js_int(a.col));
    js_put(o, "end_line", js_int(b.line));
    js_put(o, "end_column", js_int(b.col));
    js_put(o, "offset", js_int(s.start));
    js_put(o, "length", js_int(s.end - s.start));
    return o;
}

void diag_print_json(Hpcc *h, FILE *out)
{
    size_t n, hidden;
    Diag **v = sorted(h, &n, &hidden);
    Json *root = js_object(), *arr = js_array();
    for (size_t i = 0; i < n; i++) {
        const Diag *d = v[i];
        Json *o = js_object();
        js_put(o, "severity", js_str(sev_name(d->sev)));
        js_put(o, "code", js_str(diag_id(d->code)));
        js_put(o, "message", js_str(d->msg));
        if (d->span.file) js_put(o, "location", loc_json(h, d->span));
        if (d->label) js_put(o, "label", js_str(d->label));
        Json *notes = js_array();
        for (size_t k = 0; k < d->notes.n; k++) {
            Json *no = js_object();
            js_put(no, "message", js_str(d->notes.v[k].msg));
            if (d->notes.v[k].span.file) js_put(no, "location", loc_json(h, d->notes.v[k].span));
            js_append(notes, no);
        }
        js_put(o, "notes", notes);
        js_append(arr, o);
    }
    js_put(root, "diagnostics", arr);
    js_put(root, "errors", js_int((int64_t)diag_errors(h)));
    js_put(root, "warnings", js_int((int64_t)diag_warnings(h)));
    js_put(root, "not_shown", js_int((int64_t)hidden));
    char *s = js_dump_pretty(root);
    fputs(s, out);
    free(s);
    js_release(root);
}
