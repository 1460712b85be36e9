/* lexer.c — tokens on demand, with located errors; see lexer.h for the rules. */
#include "lexer.h"

#include <string.h>

#include "diag.h"
#include "source.h"

static const char *const TOK_NAMES[] = {
#define TOK(name, text) text,
#include "token.def"
#undef TOK
};

const char *tok_name(TokKind k) { return TOK_NAMES[k]; }

void lexer_init(Lexer *lx, Hpcc *h, uint32_t file)
{
    SourceFile *f = source_get(h, file);
    memset(lx, 0, sizeof *lx);
    lx->h = h;
    lx->file = file;
    lx->src = f->text;
    lx->len = f->len;
    lx->nl = true;
}

static Span sp(const Lexer *lx, size_t a, size_t b) { return (Span){lx->file, (uint32_t)a, (uint32_t)b}; }
static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_word_start(int c) { return is_alpha(c) || c == '_'; }
static bool is_word_char(int c) { return is_alpha(c) || is_digit(c) || c == '_'; }
static int at(const Lexer *lx, size_t i) { return i < lx->len ? (unsigned char)lx->src[i] : -1; }

/* Reports a byte that cannot start a token (or invalid UTF-8); returns its length. */
static size_t bad_char(Lexer *lx, size_t i)
{
    const unsigned char *s = (const unsigned char *)lx->src + i;
    size_t adv;
    int32_t cp = utf8_decode(s, lx->len - i, &adv);
    if (cp == 0) {
        diag(lx->h, D_NUL_BYTE, sp(lx, i, i + 1), "NUL byte in source");
    } else if (cp < 0) {
        diag(lx->h, D_INVALID_UTF8, sp(lx, i, i + 1), "invalid UTF-8 byte 0x%02X in source", s[0]);
    } else if (cp < 0x20 || cp == 0x7F) {
        diag(lx->h, D_UNEXPECTED_CHAR, sp(lx, i, i + adv), "unexpected control character U+%04X", (unsigned)cp);
    } else {
        Diag *d = diag(lx->h, D_UNEXPECTED_CHAR, sp(lx, i, i + adv), "unexpected character '%.*s'", (int)adv,
                       (const char *)s);
        if (cp == '\'') diag_note(d, (Span){0, 0, 0}, "strings use double quotes, or ''' for raw text");
        else if (cp == ':') diag_note(d, (Span){0, 0, 0}, "fields are set with '=', e.g. region = us-east-1");
    }
    return adv;
}

/* Skips blanks, newlines and comments; returns false at end of input. */
static bool skip_space(Lexer *lx)
{
    for (;;) {
        if (diag_too_many(lx->h)) return false;
        int c = at(lx, lx->pos);
        if (c < 0) return false;
        if (c == ' ' || c == '\t' || c == '\r') {
            lx->pos++;
        } else if (c == '\n') {
            lx->nl = true;
            lx->pos++;
        } else if (c == '#') {
            size_t s = lx->pos, e = s;
            while (e < lx->len && lx->src[e] != '\n') e++;
            size_t te = e;
            if (te > s && lx->src[te - 1] == '\r') te--;
            /* Comments must be valid UTF-8 too: every byte of a spec is text. */
            for (size_t i = s + 1; i < te;) {
                size_t adv;
                int32_t cp = utf8_decode((const unsigned char *)lx->src + i, te - i, &adv);
                if (cp <= 0 || (cp < 0x20 && cp != '\t') || cp == 0x7F) bad_char(lx, i);
                i += adv;
            }
            size_t ls = s;
            while (ls > 0 && (lx->src[ls - 1] == ' ' || lx->src[ls - 1] == '\t')) ls--;
            Comment cm = {sp(lx, s, te), arena_strndup(lx->h->arena, lx->src + s + 1, te - s - 1),
                          ls == 0 || lx->src[ls - 1] == '\n'};
            VPUSH(lx->h->arena, lx->comments, cm);
            lx->pos = e;
        } else {
            return true;
        }
    }
}

static Token make(const Lexer *lx, TokKind k, size_t s, size_t e, bool nl)
{
    Token t;
    memset(&t, 0, sizeof t);
    t.kind = k;
    t.span = sp(lx, s, e);
    t.nl_before = nl;
    return t;
}

/* word = word_start { word_char } { ("-" | ".") word_char { word_char } } */
static Token lex_word(Lexer *lx, bool nl)
{
    size_t s = lx->pos, i = s + 1;
    while (is_word_char(at(lx, i))) i++;
    while ((at(lx, i) == '-' || at(lx, i) == '.') && is_word_char(at(lx, i + 1))) {
        i += 2;
        while (is_word_char(at(lx, i))) i++;
    }
    Token t = make(lx, T_WORD, s, i, nl);
    if (i - s > LEX_MAX_WORD) {
        diag(lx->h, D_NAME_TOO_LONG, sp(lx, s, s + 1), "name too long (limit is %d characters)", LEX_MAX_WORD);
        /* Keep a clipped name so later messages stay short; skip the rest. */
        t.text = arena_strndup(lx->h->arena, lx->src + s, LEX_MAX_WORD);
        t.len = LEX_MAX_WORD;
        lx->pos = t.span.end;
        return t;
    }
    t.text = arena_strndup(lx->h->arena, lx->src + s, i - s);
    t.len = i - s;
    lx->pos = i;
    return t;
}

static void suggest_unit(Diag *d, const char *text)
{
    const char *best = unit_suggest(text, strlen(text));
    if (best) diag_note(d, (Span){0, 0, 0}, "did you mean '%s'?", best);
}

/* number = digit { digit | "_" } [ "." digit { digit | "_" } ] [ unit ]   (unit on the same line) */
static Token lex_number(Lexer *lx, bool nl)
{
    size_t s = lx->pos, i = s;
    while (is_digit(at(lx, i)) || at(lx, i) == '_') i++;
    if (at(lx, i) == '.' && is_digit(at(lx, i + 1))) {
        i++;
        while (is_digit(at(lx, i)) || at(lx, i) == '_') i++;
    }
    if (at(lx, i) == '.' && is_digit(at(lx, i + 1))) {
        /* 1.0.0: a version, not a number. */
        size_t e = i;
        while (is_digit(at(lx, e)) || at(lx, e) == '.' || is_word_char(at(lx, e))) e++;
        Token t = make(lx, T_NUMBER, s, e, nl);
        Diag *d = diag(lx->h, D_BAD_NUMBER, t.span, "'%.*s' is not a number", (int)(e - s), lx->src + s);
        diag_label(d, "quote it: \"%.*s\"", (int)(e - s), lx->src + s);
        t.num = rat_int(0);
        lx->pos = e;
        return t;
    }
    Token t = make(lx, T_NUMBER, s, i, nl);
    if (!rat_parse(lx->src + s, i - s, &t.num)) {
        bool digits_only = true;
        for (size_t k = s; k < i; k++)
            if (!is_digit(lx->src[k]) && lx->src[k] != '.') digits_only = false;
        Diag *d = diag(lx->h, D_BAD_NUMBER, t.span, digits_only ? "number too large" : "malformed number '%.*s'",
                       (int)(i - s), lx->src + s);
        if (!digits_only) diag_note(d, (Span){0, 0, 0}, "'_' may only separate digits, as in 25_000");
        t.num = rat_int(0);
    }
    lx->pos = i;
    /* A unit: letters or '%', then ('/' | '-') letters, ...; same line, blanks allowed. */
    size_t j = i;
    while (at(lx, j) == ' ' || at(lx, j) == '\t') j++;
    if (!(is_alpha(at(lx, j)) || at(lx, j) == '%')) return t;
    size_t k = j;
    if (at(lx, k) == '%') k++;
    else
        while (is_alpha(at(lx, k))) k++;
    while ((at(lx, k) == '/' || at(lx, k) == '-') && is_alpha(at(lx, k + 1))) {
        k++;
        while (is_alpha(at(lx, k))) k++;
    }
    /* A unit ends where the word ends: `3 s3` or `1200 GiB2` hold no unit. */
    const Unit *u = is_word_char(at(lx, k)) ? NULL : unit_find(lx->src + j, k - j);
    if (u) {
        t.kind = T_QUANTITY;
        t.unit = u;
        t.unit_span = sp(lx, j, k);
        t.span.end = (uint32_t)k;
        lx->pos = k;
    } else if (j == i || memchr(lx->src + j, '/', k - j) || memchr(lx->src + j, '%', k - j)) {
        /* Letters glued to a number, or a word with '/': only a unit can be meant. */
        while (is_word_char(at(lx, k))) k++;
        char *text = arena_strndup(lx->h->arena, lx->src + j, k - j);
        Diag *d = diag(lx->h, D_UNKNOWN_UNIT, sp(lx, j, k), "unknown unit '%s'", text);
        suggest_unit(d, text);
        lx->pos = k;
    }
    return t;
}

static void put_utf8(Buf *b, uint32_t cp)
{
    char o[4];
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6)), o[1] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, o, 2);
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[2] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, o, 3);
    } else {
        o[0] = (char)(0xF0 | (cp >> 18)), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, o, 4);
    }
}

typedef VEC(StrPart) PartVec;

static void flush_lit(Lexer *lx, PartVec *parts, Buf *lit, size_t *lit_start, size_t here)
{
    if (lit->n == 0 && *lit_start == here) return;
    StrPart p = {false, arena_strndup(lx->h->arena, lit->p ? lit->p : "", lit->n), lit->n, sp(lx, *lit_start, here)};
    VPUSH(lx->h->arena, *parts, p);
    lit->n = 0;
    *lit_start = here;
}

/* string = '"' { char | escape | "${" word "}" } '"'   (on one line) */
static Token lex_string(Lexer *lx, bool nl)
{
    size_t s = lx->pos, i = s + 1, lit_start = i;
    PartVec parts = {0};
    Buf lit = {0};
    bool closed = false;
    while (i < lx->len && lx->src[i] != '\n') {
        int c = at(lx, i);
        if (c == '"') {
            flush_lit(lx, &parts, &lit, &lit_start, i);
            i++;
            closed = true;
            break;
        }
        if (c == '\\') {
            int e = at(lx, i + 1);
            size_t es = i;
            i += 2;
            switch (e) {
            case 'n': buf_putc(&lit, '\n'); break;
            case 't': buf_putc(&lit, '\t'); break;
            case 'r': buf_putc(&lit, '\r'); break;
            case '\\': buf_putc(&lit, '\\'); break;
            case '"': buf_putc(&lit, '"'); break;
            case '$': buf_putc(&lit, '$'); break;
            case 'u': {
                uint32_t cp = 0;
                size_t k = i, nd = 0;
                bool ok = at(lx, k) == '{';
                if (ok) {
                    k++;
                    for (int d; (d = at(lx, k)) >= 0 && d != '}' && nd < 7; k++, nd++) {
                        int v = is_digit(d) ? d - '0' : (d >= 'a' && d <= 'f') ? d - 'a' + 10 : (d >= 'A' && d <= 'F') ? d - 'A' + 10 : -1;
                        if (v < 0) { ok = false; break; }
                        cp = cp * 16 + (uint32_t)v;
                    }
                    ok = ok && at(lx, k) == '}' && nd >= 1 && nd <= 6 && cp > 0 && cp <= 0x10FFFF &&
                         !(cp >= 0xD800 && cp <= 0xDFFF);
                }
                if (ok) {
                    put_utf8(&lit, cp);
                    i = k + 1;
                } else {
                    Diag *d = diag(lx->h, D_BAD_ESCAPE, sp(lx, es, i), "malformed '\\u' escape");
                    diag_label(d, "write a code point as \\u{1F600}: 1 to 6 hex digits, not a surrogate or NUL");
                }
                break;
            }
            default:
                if (e < 0 || e == '\n') {
                    i = es + 1;
                    continue; /* reported as unterminated below */
                }
                {
                    size_t adv = 1;
                    if (e >= 0x80) utf8_decode((const unsigned char *)lx->src + es + 1, lx->len - es - 1, &adv);
                    Diag *d = diag(lx->h, D_BAD_ESCAPE, sp(lx, es, es + 1 + adv), "unknown escape '\\%.*s' in string",
                                   (int)adv, lx->src + es + 1);
                    diag_label(d, "known escapes: \\n \\t \\r \\\\ \\\" \\$ \\u{...}");
                    i = es + 1 + adv;
                }
            }
            continue;
        }
        if (c == '$' && at(lx, i + 1) == '{') {
            flush_lit(lx, &parts, &lit, &lit_start, i);
            size_t rs = i, k = i + 2;
            while (at(lx, k) == ' ') k++;
            size_t ws = k;
            if (is_word_start(at(lx, k))) {
                k++;
                while (is_word_char(at(lx, k))) k++;
                while ((at(lx, k) == '-' || at(lx, k) == '.') && is_word_char(at(lx, k + 1))) {
                    k += 2;
                    while (is_word_char(at(lx, k))) k++;
                }
            }
            size_t we = k;
            while (at(lx, k) == ' ') k++;
            if (we > ws && at(lx, k) == '}') {
                StrPart p = {true, arena_strndup(lx->h->arena, lx->src + ws, we - ws), we - ws, sp(lx, ws, we)};
                VPUSH(lx->h->arena, parts, p);
                i = k + 1;
            } else {
                size_t e = rs + 2;
                while (e < lx->len && lx->src[e] != '}' && lx->src[e] != '"' && lx->src[e] != '\n') e++;
                bool closed_ = e < lx->len && lx->src[e] == '}';
                Diag *d = diag(lx->h, D_BAD_INTERPOLATION, sp(lx, rs, closed_ ? e + 1 : e),
                               closed_ ? "expected a name inside '${...}'" : "'${' has no closing '}'");
                diag_label(d, "write \\${ for a literal '${'");
                i = (e < lx->len && lx->src[e] == '}') ? e + 1 : e;
            }
            lit_start = i;
            continue;
        }
        if (c == 0 || c >= 0x80 || (c < 0x20 && c != '\t') || c == 0x7F) {
            size_t adv;
            int32_t cp = utf8_decode((const unsigned char *)lx->src + i, lx->len - i, &adv);
            if (cp <= 0 || cp < 0x20 || cp == 0x7F) {
                if (cp > 0) {
                    Diag *d = diag(lx->h, D_UNEXPECTED_CHAR, sp(lx, i, i + adv),
                                   "control character U+%04X in string", (unsigned)cp);
                    diag_label(d, "write it as an escape, e.g. \\t or \\u{1B}");
                } else {
                    bad_char(lx, i);
                }
                i += adv;
                continue;
            }
            buf_put(&lit, lx->src + i, adv);
            i += adv;
            continue;
        }
        buf_putc(&lit, (char)c);
        i++;
    }
    if (!closed) {
        flush_lit(lx, &parts, &lit, &lit_start, i);
        Diag *d = diag(lx->h, D_UNTERMINATED_STRING, sp(lx, s, s + 1), "unterminated string");
        diag_label(d, "no closing '\"' on this line");
        diag_note(d, (Span){0, 0, 0}, "a \"...\" string ends on the line it starts; write multi-line text as '''...'''");
    }
    buf_free(&lit);
    Token t = make(lx, T_STRING, s, i, nl);
    t.parts = parts.v;
    t.nparts = parts.n;
    lx->pos = i;
    return t;
}

static bool blank(int c) { return c == ' ' || c == '\t'; }

/* raw = "'''" text "'''"                     (inline: verbatim)
 *     | "'''" newline { line } indent "'''"  (block: each line loses `indent`) */
static Token lex_raw(Lexer *lx, bool nl)
{
    size_t s = lx->pos, i = s + 3;
    size_t k = i;
    while (blank(at(lx, k)) || at(lx, k) == '\r') k++;
    bool block = at(lx, k) == '\n';
    size_t from = block ? k + 1 : i;
    const char *close = NULL;
    for (size_t q = from; q + 2 < lx->len + 0 && !close; q++)
        if (lx->src[q] == '\'' && lx->src[q + 1] == '\'' && lx->src[q + 2] == '\'') close = lx->src + q;
    Token t = make(lx, T_RAW, s, s + 3, nl);
    if (!close) {
        Diag *d = diag(lx->h, D_UNTERMINATED_STRING, sp(lx, s, s + 3), "unterminated raw string");
        diag_label(d, "no closing ''' before the end of the file");
        t.text = "";
        lx->pos = lx->len;
        t.span.end = (uint32_t)lx->len;
        return t;
    }
    size_t c = (size_t)(close - lx->src);
    /* Every byte of the content must be valid UTF-8 and not NUL (it reaches YAML). */
    for (size_t q = from; q < c;) {
        size_t adv;
        int32_t cp = utf8_decode((const unsigned char *)lx->src + q, c - q, &adv);
        if (cp <= 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F) bad_char(lx, q);
        q += adv;
    }
    t.span.end = (uint32_t)(c + 3);
    lx->pos = c + 3;
    if (!block) {
        t.text = arena_strndup(lx->h->arena, lx->src + i, c - i);
        t.len = c - i;
        return t;
    }
    /* The closing line: its leading blanks are the indentation to remove. */
    size_t ls = c;
    while (ls > from && lx->src[ls - 1] != '\n') ls--;
    size_t ind = 0;
    while (ls + ind < c && blank(lx->src[ls + ind])) ind++;
    const char *indent = lx->src + ls;
    Buf out = {0};
    size_t line = from;
    bool reported = false;
    while (line < ls) {
        size_t e = line;
        while (e < lx->len && lx->src[e] != '\n') e++;
        size_t te = e;
        if (te > line && lx->src[te - 1] == '\r') te--; /* CRLF sources give LF text */
        size_t n = te - line;
        size_t lead = 0;
        while (lead < n && blank(lx->src[line + lead])) lead++;
        if (lead == n) {
            /* A blank line: loses up to the indentation, keeps any blanks beyond it. */
            if (n > ind) buf_put(&out, lx->src + line + ind, n - ind);
        } else if (n >= ind && memcmp(lx->src + line, indent, ind) == 0) {
            buf_put(&out, lx->src + line + ind, n - ind);
        } else {
            if (!reported) {
                LineCol lc = source_linecol(lx->h, lx->file, (uint32_t)c);
                Diag *d = diag(lx->h, D_RAW_STRING_INDENT, sp(lx, line, line + lead + 1),
                               "line does not start with the indentation of the closing ''' of its raw string");
                diag_label(d, "every line must start with exactly the blanks before the closing '''");
                diag_note(d, sp(lx, ls, c + 3), "the closing ''' at line %u sets the indentation to remove", lc.line);
                reported = true;
            }
            buf_put(&out, lx->src + line + lead, n - lead);
        }
        buf_putc(&out, '\n');
        line = e + 1;
    }
    if (ls + ind < c) buf_put(&out, lx->src + ls + ind, c - ls - ind); /* text before the closing ''' */
    t.text = arena_strndup(lx->h->arena, out.p ? out.p : "", out.n);
    t.len = out.n;
    buf_free(&out);
    return t;
}

Token lexer_next(Lexer *lx)
{
    for (;;) {
        if (!skip_space(lx)) {
            Token t = make(lx, T_EOF, lx->len, lx->len, true);
            lx->pos = lx->len;
            return t;
        }
        bool nl = lx->nl;
        size_t s = lx->pos;
        int c = at(lx, s), c1 = at(lx, s + 1);
        TokKind k;
        size_t n = 1;
        if (is_word_start(c)) {
            lx->nl = false;
            return lex_word(lx, nl);
        }
        if (is_digit(c)) {
            lx->nl = false;
            return lex_number(lx, nl);
        }
        switch (c) {
        case '"': lx->nl = false; return lex_string(lx, nl);
        case '\'':
            if (c1 == '\'' && at(lx, s + 2) == '\'') {
                lx->nl = false;
                return lex_raw(lx, nl);
            }
            lx->pos += bad_char(lx, s);
            continue;
        case '{': k = T_LBRACE; break;
        case '}': k = T_RBRACE; break;
        case '[': k = T_LBRACKET; break;
        case ']': k = T_RBRACKET; break;
        case '(': k = T_LPAREN; break;
        case ')': k = T_RPAREN; break;
        case ',': k = T_COMMA; break;
        case ';': k = T_SEMI; break;
        case '*': k = T_STAR; break;
        case '/': k = T_SLASH; break;
        case '-': k = T_MINUS; break;
        case '+': k = c1 == '=' ? (n = 2, T_APPEND) : T_PLUS; break;
        case '=': k = c1 == '=' ? (n = 2, T_EQ) : T_ASSIGN; break;
        case '<': k = c1 == '=' ? (n = 2, T_LE) : T_LT; break;
        case '>': k = c1 == '=' ? (n = 2, T_GE) : T_GT; break;
        case ':':
            /* `region: us-east-1`: report it, then read it as '=' so the entry parses. */
            bad_char(lx, s);
            k = T_ASSIGN;
            break;
        case '.':
            if (c1 == '.') {
                k = T_DOTDOT;
                n = 2;
                break;
            }
            /* fall through */
        default:
            lx->pos += bad_char(lx, s);
            continue;
        }
        lx->nl = false;
        lx->pos = s + n;
        return make(lx, k, s, s + n, nl);
    }
}
