/* parser.c — recursive descent over grammar/hpc.ebnf, one function per rule,
 * the rule quoted above it.
 *
 * The parser reports every syntax error it can and keeps going: after an error
 * in an entry it skips to the next entry (a ';', a new line at the same
 * nesting, or the closing '}'). Nesting deeper than PARSE_MAX_DEPTH is an error
 * that ends parsing, so no input can exhaust the stack. Contextual keywords:
 * `use let type cluster component profile template extends` start items,
 * `allow deny` start entries, `at` ends the labels of a block, and
 * `true false none` are literals. */
#include "parser.h"

#include <string.h>

#include "diag.h"
#include "source.h"

static const char *const NODE_NAMES[] = {
#define AST(name, text) text,
#include "ast.def"
#undef AST
};

const char *node_kind_name(NodeKind k) { return NODE_NAMES[k]; }

enum { LOOKAHEAD = 4 };

typedef struct Parser {
    Hpcc *h;
    Lexer lx;
    Token buf[LOOKAHEAD];
    int nbuf;
    Token prev;           /* the last token consumed */
    int depth;
    bool stop;            /* too deep or too many errors: unwind */
    uint32_t cidx;        /* next comment not yet attached */
} Parser;

static const Span NOSPAN = {0, 0, 0};

/* ---- tokens --------------------------------------------------------------- */

static Token *peek_at(Parser *p, int k)
{
    while (p->nbuf <= k) p->buf[p->nbuf++] = lexer_next(&p->lx);
    return &p->buf[k];
}

static Token *peek(Parser *p) { return peek_at(p, 0); }

static Token next(Parser *p)
{
    Token t = *peek(p);
    memmove(p->buf, p->buf + 1, (size_t)(p->nbuf - 1) * sizeof *p->buf);
    p->nbuf--;
    p->prev = t;
    return t;
}

static bool check(Parser *p, TokKind k) { return peek(p)->kind == k; }
static bool is_word(const Token *t, const char *w) { return t->kind == T_WORD && strcmp(t->text, w) == 0; }

static bool accept(Parser *p, TokKind k)
{
    if (!check(p, k)) return false;
    next(p);
    return true;
}

/* "found name 'foo'", "found '}'", "found end of file" */
static const char *found(Parser *p, const Token *t)
{
    if (t->kind == T_WORD) return arena_printf(p->h->arena, "name '%s'", t->text);
    return tok_name(t->kind);
}

static Diag *error_at(Parser *p, Span s, DiagCode c, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static Diag *error_at(Parser *p, Span s, DiagCode c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(p->h->arena, fmt, ap);
    va_end(ap);
    Diag *d = diag(p->h, c, s, "%s", msg);
    if (diag_too_many(p->h)) p->stop = true;
    return d;
}

static Diag *expected(Parser *p, const char *what)
{
    Token *t = peek(p);
    if (t->nl_before && p->prev.span.file && t->kind != T_EOF) {
        /* Something is missing at the end of a line: say so there, not on the next line. */
        Span at = {p->prev.span.file, p->prev.span.end, p->prev.span.end};
        Diag *d = error_at(p, at, D_SYNTAX, "expected %s at the end of the line", what);
        diag_label(d, "missing here");
        return d;
    }
    return error_at(p, t->span, D_SYNTAX, "expected %s, found %s", what, found(p, t));
}

static Node *node(Parser *p, NodeKind k, Span s)
{
    Node *n = NEW(p->h->arena, Node);
    n->kind = k;
    n->span = s;
    n->trailing = -1;
    return n;
}

static Node *error_node(Parser *p, Span s) { return node(p, N_ERROR, s); }

static Span from(Parser *p, Span start) { return span_join(start, p->prev.span); }

/* ---- comments --------------------------------------------------------------------- */

static CommentRange take_leading(Parser *p, uint32_t before)
{
    CommentRange r = {p->cidx, p->cidx};
    while (p->cidx < p->lx.comments.n && p->lx.comments.v[p->cidx].span.start < before) p->cidx++;
    r.to = p->cidx;
    return r;
}

/* After an entry: comments inside it stay only in the file's list; one on its
 * last line becomes its trailing comment. Call after peeking the next token. */
static void take_trailing(Parser *p, Node *n)
{
    while (p->cidx < p->lx.comments.n && p->lx.comments.v[p->cidx].span.start < n->span.end) p->cidx++;
    if (p->cidx < p->lx.comments.n && !p->lx.comments.v[p->cidx].own_line &&
        p->lx.comments.v[p->cidx].span.start < peek(p)->span.start)
        n->trailing = (int32_t)p->cidx++;
}

/* ---- recovery ------------------------------------------------------------------------ */

/* Skips to the end of the current entry: a ';' (consumed), or a token starting
 * a line, a '}' or EOF at the entry's own nesting (not consumed). */
static void sync_entry(Parser *p, bool consumed_any)
{
    int nest = 0;
    bool first = !consumed_any;
    for (;;) {
        Token *t = peek(p);
        if (t->kind == T_EOF || p->stop) return;
        if (nest == 0) {
            if (t->kind == T_SEMI) {
                next(p);
                return;
            }
            if (t->kind == T_RBRACE) return;
            if (t->nl_before && !first) return;
        }
        if (t->kind == T_LBRACE || t->kind == T_LBRACKET || t->kind == T_LPAREN) nest++;
        if ((t->kind == T_RBRACE || t->kind == T_RBRACKET || t->kind == T_RPAREN) && nest > 0) nest--;
        next(p);
        first = false;
    }
}

static bool enter(Parser *p, Span at)
{
    if (p->stop) return false;
    if (++p->depth > PARSE_MAX_DEPTH) {
        error_at(p, at, D_TOO_DEEP, "nesting too deep (limit is %d)", PARSE_MAX_DEPTH);
        p->stop = true;
        return false;
    }
    return true;
}

static void leave(Parser *p) { p->depth--; }

/* ---- expressions ------------------------------------------------------------------------ */

static Node *parse_expr(Parser *p);
static Block *parse_block(Parser *p);

static bool starts_item(const Token *t)
{
    static const char *const kw[] = {"use",     "let",      "type",  "cluster", "component",
                                     "profile", "template", "policy", "allow",  "deny"};
    if (t->kind != T_WORD) return false;
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strcmp(t->text, kw[i]) == 0) return true;
    return false;
}

/* A word glued after a number on the same line can only be a unit. */
static void check_unit_word(Parser *p)
{
    Token *t = peek(p);
    if (t->kind != T_WORD || t->nl_before) return;
    /* `max_nodes = 8 max_time = 1 d`: the word starts the next entry (a missing ';'). */
    TokKind k1 = peek_at(p, 1)->kind;
    if (k1 == T_ASSIGN || k1 == T_APPEND || k1 == T_LBRACE || k1 == T_LE || k1 == T_GE || k1 == T_LT || k1 == T_GT ||
        k1 == T_EQ || starts_item(peek(p)) || (peek_at(p, 1)->kind == T_WORD && !peek_at(p, 1)->nl_before))
        return;
    Diag *d = error_at(p, t->span, D_UNKNOWN_UNIT, "unknown unit '%s'", t->text);
    const char *best = unit_suggest(t->text, t->len);
    if (best) diag_note(d, NOSPAN, "did you mean '%s'?", best);
    else diag_note(d, NOSPAN, "units: B KB MB GB TB KiB MiB GiB TiB s min h d MB/s GB/s Gbit/s MB/s/TiB IOPS %% USD USD/h USD/month ...");
    next(p);
}

/* list = "[" [ expr { "," expr } [ "," ] ] "]" */
static Node *parse_list(Parser *p)
{
    Token open = next(p);
    Node *n = node(p, N_LIST, open.span);
    if (!enter(p, open.span)) return n;
    while (!check(p, T_RBRACKET) && !check(p, T_EOF) && !p->stop) {
        VPUSH(p->h->arena, n->list.items, parse_expr(p));
        if (!accept(p, T_COMMA)) break;
    }
    leave(p);
    if (!accept(p, T_RBRACKET) && !p->stop) {
        LineCol lc = source_linecol(p->h, open.span.file, open.span.start);
        Diag *d = expected(p, arena_printf(p->h->arena, "',' or ']' (to close '[' at line %u)", lc.line));
        diag_note(d, open.span, "the list starts here");
        sync_entry(p, true);
    }
    n->span = from(p, open.span);
    return n;
}

/* call = word "(" [ expr { "," expr } [ "," ] ] ")" */
static Node *parse_call(Parser *p, Token name)
{
    Token open = next(p);
    Node *n = node(p, N_CALL, name.span);
    n->call.fn = name.text;
    n->call.fn_span = name.span;
    if (!enter(p, open.span)) return n;
    while (!check(p, T_RPAREN) && !check(p, T_EOF) && !p->stop) {
        VPUSH(p->h->arena, n->call.args, parse_expr(p));
        if (!accept(p, T_COMMA)) break;
    }
    leave(p);
    if (!accept(p, T_RPAREN) && !p->stop) {
        LineCol lc = source_linecol(p->h, open.span.file, open.span.start);
        expected(p, arena_printf(p->h->arena, "',' or ')' (to close '(' at line %u)", lc.line));
        sync_entry(p, true);
    }
    n->span = from(p, name.span);
    return n;
}

/* record = [ word ] block */
static Node *parse_record(Parser *p, const Token *type)
{
    Node *n = node(p, N_RECORD, type ? type->span : peek(p)->span);
    if (type) {
        n->rec.type = type->text;
        n->rec.type_span = type->span;
    }
    n->rec.body = parse_block(p);
    n->span = from(p, n->span);
    return n;
}

static Node *number_node(Parser *p, Token t)
{
    Node *n = node(p, t.kind == T_QUANTITY ? N_QUANTITY : N_NUMBER, t.span);
    n->num.v = t.num;
    n->num.unit = t.unit;
    n->num.unit_span = t.unit_span;
    if (t.kind == T_NUMBER) check_unit_word(p);
    return n;
}

static Node *parse_unary(Parser *p);

/* primary = ( number | quantity ) [ ".." unary ]
 *         | string | raw_string
 *         | "true" | "false" | "none"
 *         | list | record | call | word
 *         | "(" expr ")" */
static Node *parse_primary(Parser *p)
{
    Token *t = peek(p);
    switch (t->kind) {
    case T_NUMBER:
    case T_QUANTITY: {
        Node *n = number_node(p, next(p));
        if (accept(p, T_DOTDOT)) {
            Node *r = node(p, N_RANGE, n->span);
            r->range.lo = n;
            r->range.hi = parse_unary(p);
            r->span = from(p, n->span);
            return r;
        }
        return n;
    }
    case T_STRING: {
        Token s = next(p);
        Node *n = node(p, N_STRING, s.span);
        n->str.parts = s.parts;
        n->str.n = s.nparts;
        return n;
    }
    case T_RAW: {
        Token s = next(p);
        Node *n = node(p, N_RAW, s.span);
        n->raw.text = s.text;
        n->raw.len = s.len;
        return n;
    }
    case T_LBRACKET: return parse_list(p);
    case T_LBRACE: return parse_record(p, NULL);
    case T_LPAREN: {
        Token open = next(p);
        if (!enter(p, open.span)) return error_node(p, open.span);
        Node *e = parse_expr(p);
        leave(p);
        if (!accept(p, T_RPAREN) && !p->stop) {
            expected(p, "')'");
            sync_entry(p, true);
        }
        return e;
    }
    case T_WORD: {
        Token w = next(p);
        if (strcmp(w.text, "true") == 0 || strcmp(w.text, "false") == 0) {
            Node *n = node(p, N_BOOL, w.span);
            n->boolean = w.text[0] == 't';
            return n;
        }
        if (strcmp(w.text, "none") == 0) return node(p, N_NONE, w.span);
        if (check(p, T_LPAREN) && !peek(p)->nl_before) return parse_call(p, w);
        if (check(p, T_LBRACE)) return parse_record(p, &w);
        Node *n = node(p, N_NAME, w.span);
        n->name.text = w.text;
        return n;
    }
    default: break;
    }
    Diag *d = expected(p, "a value");
    if (t->kind == T_RBRACE || t->kind == T_SEMI || t->nl_before)
        diag_label(d, "a value is missing here");
    return error_node(p, t->span);
}

/* unary = "-" unary | primary */
static Node *parse_unary(Parser *p)
{
    if (p->stop) return error_node(p, peek(p)->span);
    if (check(p, T_MINUS)) {
        Token m = next(p);
        if (!enter(p, m.span)) return error_node(p, m.span);
        Node *n = node(p, N_NEG, m.span);
        n->neg.e = parse_unary(p);
        leave(p);
        n->span = from(p, m.span);
        return n;
    }
    return parse_primary(p);
}

/* Evaluation walks an operator chain recursively: bound its length like nesting. */
static bool count_operator(Parser *p, Span at, int *n)
{
    if (++*n <= PARSE_MAX_OPERATORS) return true;
    error_at(p, at, D_TOO_DEEP, "too many operators in one expression (limit is %d)", PARSE_MAX_OPERATORS);
    p->stop = true;
    return false;
}

/* term = unary { ( "*" | "/" ) unary } */
static Node *parse_term(Parser *p)
{
    Node *l = parse_unary(p);
    int nops = 0;
    while ((check(p, T_STAR) || check(p, T_SLASH)) && !p->stop) {
        if (!count_operator(p, peek(p)->span, &nops)) break;
        Token op = next(p);
        Node *n = node(p, N_BINARY, l->span);
        n->bin.op = op.kind;
        n->bin.l = l;
        n->bin.r = parse_unary(p);
        n->span = from(p, l->span);
        l = n;
    }
    return l;
}

/* expr = term { ( "+" | "-" ) term } */
static Node *parse_expr(Parser *p)
{
    if (p->stop) return error_node(p, peek(p)->span);
    Node *l = parse_term(p);
    int nops = 0;
    while ((check(p, T_PLUS) || check(p, T_MINUS)) && !p->stop) {
        if (!count_operator(p, peek(p)->span, &nops)) break;
        Token op = next(p);
        Node *n = node(p, N_BINARY, l->span);
        n->bin.op = op.kind;
        n->bin.l = l;
        n->bin.r = parse_term(p);
        n->span = from(p, l->span);
        l = n;
    }
    return l;
}

/* ---- blocks and entries ------------------------------------------------------------------ */

static bool is_compare(TokKind k) { return k == T_LT || k == T_LE || k == T_GT || k == T_GE || k == T_EQ; }

/* label = word | string   (not the word `at`, which starts the at-clause; on the same line) */
static bool starts_label(Parser *p)
{
    Token *t = peek(p);
    if (t->nl_before) return false;
    if (t->kind == T_STRING) return true;
    return t->kind == T_WORD && strcmp(t->text, "at") != 0;
}

static Node *parse_label(Parser *p)
{
    Token t = next(p);
    if (t.kind == T_STRING) {
        Node *n = node(p, N_STRING, t.span);
        n->str.parts = t.parts;
        n->str.n = t.nparts;
        return n;
    }
    Node *n = node(p, N_NAME, t.span);
    n->name.text = t.text;
    return n;
}

/* allow = "allow" word string
 * deny  = "deny" word */
static Node *parse_allow(Parser *p)
{
    Token kw = next(p);
    bool deny = kw.text[0] == 'd';
    Node *n = node(p, deny ? N_DENY : N_ALLOW, kw.span);
    if (!check(p, T_WORD)) {
        expected(p, deny ? "a warning id after 'deny'" : "a warning id after 'allow'");
        sync_entry(p, true);
        return n;
    }
    Token id = next(p);
    n->allow.id = id.text;
    n->allow.id_span = id.span;
    if (!deny) {
        if (!check(p, T_STRING)) {
            Diag *d = expected(p, "the reason, as a string");
            diag_note(d, NOSPAN, "a warning is silenced with a stated reason: allow %s \"why this is fine here\"", id.text);
            if (!check(p, T_SEMI) && !check(p, T_RBRACE) && !peek(p)->nl_before) sync_entry(p, true);
            n->span = from(p, kw.span);
            return n;
        }
        n->allow.reason = parse_primary(p);
    }
    n->span = from(p, kw.span);
    return n;
}

/* entry      = allow | deny | attribute | sub_block | constraint
 * attribute  = word [ label [ label ] ] ( "=" | "+=" ) expr | string "=" expr
 * sub_block  = word [ label [ label ] ] [ "at" expr ] block
 * constraint = word ( "<" | "<=" | ">" | ">=" | "==" ) expr */
static Node *parse_entry(Parser *p)
{
    Token *t = peek(p);
    if (t->kind == T_STRING) {
        /* A quoted key, for map keys that are not words (tag keys such as "team:cost"). */
        Token key = next(p);
        if (key.nparts != 1 || key.parts[0].is_ref || !check(p, T_ASSIGN)) {
            Diag *d = error_at(p, key.span, D_SYNTAX, "a quoted key must be plain text followed by '='");
            diag_label(d, "write \"key\" = value");
            sync_entry(p, true);
            return error_node(p, key.span);
        }
        next(p);
        Node *n = node(p, N_ATTR, key.span);
        n->attr.key = key.parts[0].text;
        n->attr.key_span = key.span;
        n->attr.value = parse_expr(p);
        n->span = from(p, key.span);
        return n;
    }
    if (t->kind != T_WORD) {
        expected(p, "a field name");
        Node *e = error_node(p, t->span);
        sync_entry(p, false);
        return e;
    }
    if ((is_word(t, "allow") || is_word(t, "deny")) && peek_at(p, 1)->kind == T_WORD && !peek_at(p, 1)->nl_before)
        return parse_allow(p);
    Token key = next(p);
    if (is_compare(peek(p)->kind)) {
        Token op = next(p);
        Node *n = node(p, N_CONSTRAINT, key.span);
        n->cons.path = key.text;
        n->cons.path_span = key.span;
        n->cons.op = op.kind;
        n->cons.value = parse_expr(p);
        n->span = from(p, key.span);
        return n;
    }
    Node *labels[2] = {NULL, NULL};
    int nl = 0;
    while (nl < 2 && starts_label(p)) labels[nl++] = parse_label(p);
    if (check(p, T_ASSIGN) || check(p, T_APPEND)) {
        Token op = next(p);
        Node *n = node(p, N_ATTR, key.span);
        n->attr.key = key.text;
        n->attr.key_span = key.span;
        memcpy(n->attr.labels, labels, sizeof labels);
        n->attr.nlabels = nl;
        n->attr.append = op.kind == T_APPEND;
        if (peek(p)->kind == T_RBRACE || peek(p)->kind == T_SEMI || peek(p)->kind == T_EOF || peek(p)->nl_before) {
            Diag *d = error_at(p, op.span, D_SYNTAX, "expected a value after '%s'", op.kind == T_APPEND ? "+=" : "=");
            diag_label(d, "'%s' has no value (a value starts on the line of its '%s')", key.text,
                       op.kind == T_APPEND ? "+=" : "=");
            n->attr.value = error_node(p, op.span);
        } else {
            n->attr.value = parse_expr(p);
        }
        n->span = from(p, key.span);
        return n;
    }
    if (is_word(peek(p), "at") || check(p, T_LBRACE)) {
        Node *n = node(p, N_BLOCK, key.span);
        n->block.key = key.text;
        n->block.key_span = key.span;
        memcpy(n->block.labels, labels, sizeof labels);
        n->block.nlabels = nl;
        if (is_word(peek(p), "at")) {
            next(p);
            n->block.at = parse_expr(p);
        }
        if (!check(p, T_LBRACE)) {
            expected(p, "'{'");
            sync_entry(p, true);
            n->span = from(p, key.span);
            return n;
        }
        n->block.body = parse_block(p);
        n->span = from(p, key.span);
        return n;
    }
    Diag *d;
    if (nl == 2 && starts_label(p)) {
        d = error_at(p, peek(p)->span, D_SYNTAX, "too many labels (limit is 2)");
    } else {
        const char *what = nl ? "'=', '+=' or '{'" : "'=', '+=', '{' or a comparison";
        d = expected(p, arena_printf(p->h->arena, "%s after '%s'", what, key.text));
        if (peek(p)->kind == T_WORD && peek(p)->nl_before)
            diag_label(d, "'%s' needs a value or a block", key.text);
    }
    (void)d;
    Node *e = error_node(p, key.span);
    sync_entry(p, true);
    return e;
}

/* sep = ";" { ";" } | newline   (after an entry) */
static void end_entry(Parser *p, Node *entry)
{
    Token *t = peek(p);
    if (t->kind == T_SEMI) {
        while (accept(p, T_SEMI)) {}
    } else if (t->kind != T_RBRACE && t->kind != T_EOF && !t->nl_before && !p->stop && entry->kind != N_ERROR) {
        Diag *d = error_at(p, t->span, D_MISSING_SEPARATOR, "expected ';' or a new line before %s", found(p, t));
        diag_label(d, "entries are separated by ';' or new lines");
    }
    take_trailing(p, entry);
}

/* block = "{" { entry sep } "}" */
static Block *parse_block(Parser *p)
{
    Token open = next(p); /* '{' */
    Block *b = NEW(p->h->arena, Block);
    b->span = open.span;
    if (!enter(p, open.span)) return b;
    while (!check(p, T_RBRACE) && !check(p, T_EOF) && !p->stop) {
        uint32_t start = peek(p)->span.start;
        CommentRange lead = take_leading(p, start);
        Node *e = parse_entry(p);
        e->lead = lead;
        if (e->kind != N_ERROR) VPUSH(p->h->arena, b->entries, e);
        end_entry(p, e);
    }
    leave(p);
    b->dangling = take_leading(p, peek(p)->span.start);
    if (!accept(p, T_RBRACE) && !p->stop) {
        LineCol lc = source_linecol(p->h, open.span.file, open.span.start);
        Diag *d = expected(p, arena_printf(p->h->arena, "'}' (to close '{' at line %u)", lc.line));
        diag_note(d, open.span, "the block starts here");
    }
    b->span = from(p, open.span);
    return b;
}

/* ---- items ------------------------------------------------------------------------------------- */

static bool expect_word(Parser *p, const char *what, Token *out)
{
    if (check(p, T_WORD) && !starts_item(peek(p))) {
        *out = next(p);
        return true;
    }
    expected(p, what);
    return false;
}

/* use = "use" word */
static Node *parse_use(Parser *p, Token kw)
{
    Node *n = node(p, N_USE, kw.span);
    Token w;
    if (expect_word(p, "a module name such as std.aws", &w)) {
        n->use.path = w.text;
        n->use.path_span = w.span;
    }
    n->span = from(p, kw.span);
    return n;
}

/* let = "let" word "=" expr */
static Node *parse_let(Parser *p, Token kw)
{
    Node *n = node(p, N_LET, kw.span);
    Token w;
    if (!expect_word(p, "a name after 'let'", &w)) return n;
    n->let.name = w.text;
    n->let.name_span = w.span;
    if (!accept(p, T_ASSIGN)) {
        expected(p, arena_printf(p->h->arena, "'=' after 'let %s'", w.text));
        return n;
    }
    n->let.value = parse_expr(p);
    n->span = from(p, kw.span);
    return n;
}

/* type_decl = "type" word "=" "pattern" string */
static Node *parse_type(Parser *p, Token kw)
{
    Node *n = node(p, N_TYPE, kw.span);
    Token w;
    if (!expect_word(p, "a type name after 'type'", &w)) return n;
    n->type.name = w.text;
    n->type.name_span = w.span;
    if (!accept(p, T_ASSIGN)) {
        expected(p, "'='");
        return n;
    }
    if (!is_word(peek(p), "pattern")) {
        expected(p, "'pattern'");
        return n;
    }
    next(p);
    if (!check(p, T_STRING)) {
        expected(p, "a regular expression as a string");
        return n;
    }
    n->type.pattern = parse_primary(p);
    n->span = from(p, kw.span);
    return n;
}

/* decl = [ "template" ] "cluster" word [ "extends" word ] block
 *      | "component" word block
 *      | "profile" word [ "extends" word ] block
 *      | "policy" word block */
static Node *parse_decl(Parser *p, Token kw)
{
    Node *n = node(p, N_DECL, kw.span);
    n->decl.keyword = "cluster";
    if (strcmp(kw.text, "template") == 0) {
        n->decl.is_template = true;
        if (!is_word(peek(p), "cluster")) {
            expected(p, "'cluster' after 'template'");
            return n;
        }
        kw = next(p);
    }
    n->decl.keyword = kw.text;
    Token w;
    if (!expect_word(p, arena_printf(p->h->arena, "a name after '%s'", kw.text), &w)) return n;
    n->decl.name = w.text;
    n->decl.name_span = w.span;
    if (is_word(peek(p), "extends")) {
        Token ext = next(p);
        Token base;
        if (strcmp(kw.text, "component") == 0 || strcmp(kw.text, "policy") == 0)
            error_at(p, ext.span, D_SYNTAX, "a %s cannot extend another; only clusters and profiles can", kw.text);
        if (!expect_word(p, arena_printf(p->h->arena, "the name of the %s to extend", kw.text), &base)) return n;
        n->decl.extends = base.text;
        n->decl.extends_span = base.span;
    }
    if (!check(p, T_LBRACE)) {
        expected(p, arena_printf(p->h->arena, "'{' to open %s '%s'", kw.text, w.text));
        return n;
    }
    n->decl.body = parse_block(p);
    n->span = from(p, kw.span);
    return n;
}

/* item = use | let | type_decl | decl | allow | deny */
static Node *parse_item(Parser *p)
{
    Token *t = peek(p);
    if (!starts_item(t)) {
        if (t->kind == T_RBRACE) {
            Diag *d = error_at(p, t->span, D_SYNTAX, "unexpected '}'");
            diag_label(d, "no block is open here");
            return NULL;
        }
        Diag *d = expected(p, "a declaration (use, let, type, cluster, component, profile, policy)");
        if (t->kind == T_WORD && peek_at(p, 1)->kind == T_ASSIGN)
            diag_note(d, NOSPAN, "top-level values are declared with 'let', e.g. let %s = ...", t->text);
        return NULL;
    }
    if ((is_word(t, "allow") || is_word(t, "deny")) && peek_at(p, 1)->kind == T_WORD) return parse_allow(p);
    Token kw = next(p);
    switch (kw.text[0]) {
    case 'u': return parse_use(p, kw);
    case 'l': return parse_let(p, kw);
    case 't': return kw.text[1] == 'y' ? parse_type(p, kw) : parse_decl(p, kw);
    default: return parse_decl(p, kw);
    }
}

/* Skips to the next token that starts a line and an item. */
static void sync_item(Parser *p)
{
    int nest = 0;
    for (;;) {
        Token *t = peek(p);
        if (t->kind == T_EOF || p->stop) return;
        if (nest == 0 && t->nl_before && starts_item(t)) return;
        if (t->kind == T_LBRACE || t->kind == T_LBRACKET || t->kind == T_LPAREN) nest++;
        if ((t->kind == T_RBRACE || t->kind == T_RBRACKET || t->kind == T_RPAREN) && nest > 0) nest--;
        next(p);
    }
}

/* spec = { item sep } EOF */
Ast *parse_file(Hpcc *h, uint32_t file)
{
    Parser p;
    memset(&p, 0, sizeof p);
    p.h = h;
    lexer_init(&p.lx, h, file);
    Ast *ast = NEW(h->arena, Ast);
    ast->file = file;
    while (!check(&p, T_EOF) && !p.stop) {
        CommentRange lead = take_leading(&p, peek(&p)->span.start);
        size_t errs = diag_errors(h);
        Node *it = parse_item(&p);
        if (!it) {
            next(&p);
            sync_item(&p);
            continue;
        }
        it->lead = lead;
        VPUSH(h->arena, ast->items, it);
        Token *t = peek(&p);
        while (t->kind == T_RBRACE && !p.stop) {
            Diag *d = error_at(&p, t->span, D_SYNTAX, "unexpected '}'");
            diag_label(d, "no block is open here");
            next(&p);
            t = peek(&p);
        }
        if (t->kind == T_SEMI) {
            while (accept(&p, T_SEMI)) {}
        } else if (t->kind != T_EOF && !t->nl_before && !p.stop) {
            if (diag_errors(h) == errs) {
                Diag *d = error_at(&p, t->span, D_MISSING_SEPARATOR, "expected ';' or a new line before %s", found(&p, t));
                diag_label(d, "declarations are separated by ';' or new lines");
            }
            sync_item(&p);
        } else if (diag_errors(h) != errs && !starts_item(t) && t->kind != T_EOF) {
            sync_item(&p);
        }
        take_trailing(&p, it);
    }
    /* Drain the lexer so every comment (and lexical error) is seen. */
    while (!p.stop && next(&p).kind != T_EOF) {}
    ast->trailing = take_leading(&p, UINT32_MAX);
    ast->comments = p.lx.comments.v;
    ast->ncomments = p.lx.comments.n;
    return ast;
}
