/* lexer.h — turns a source file into tokens, on demand.
 *
 * Lexical decisions (grammar/hpc.ebnf has the normative rules):
 * - A word starts with a letter or '_' and may continue with '-' or '.'
 *   followed directly by a letter, digit or '_': `prod-mpi`, `us-east-1`,
 *   `c7a.48xlarge`, `bb5.cpu`, `storage.data.throughput` are single words (the
 *   resolver splits dotted words). A minus between operands needs spaces:
 *   `a - b`; `a-b` is one name.
 * - A number is digits with an optional fraction: `1.2` is a decimal, `0..20`
 *   is 0, '..', 20. A unit from unit.def on the same line after a number makes
 *   a quantity: `1200 GiB`, `250 MB/s/TiB`, `14 d`.
 * - "..." strings have escapes and ${name} interpolation and stay on one line;
 *   '''...''' raw strings have neither, and a raw string whose opening ''' ends
 *   its line is a block: its lines lose the indentation of the closing ''' line
 *   and each keeps its newline.
 * - Comments run from '#' to the end of the line; they are kept (see Comment).
 * - Newlines are not tokens: each token records whether one preceded it, and
 *   the parser uses that to separate entries. */
#ifndef HPCC_LEXER_H
#define HPCC_LEXER_H

#include "hpcc.h"
#include "num.h"
#include "unit.h"

/* Names (words) are at most this long. */
enum { LEX_MAX_WORD = 256 };

typedef enum TokKind {
#define TOK(name, text) T_##name,
#include "token.def"
#undef TOK
    T__COUNT
} TokKind;

const char *tok_name(TokKind k);

/* One piece of a "..." string: literal text, or a ${name} reference. */
typedef struct StrPart {
    bool is_ref;
    const char *text;  /* decoded literal text, or the referenced name */
    size_t len;
    Span span;         /* of the piece in the source */
} StrPart;

typedef struct Token {
    TokKind kind;
    Span span;
    bool nl_before;        /* a newline (or the start of file) precedes it */
    const char *text;      /* WORD: the word; RAW: the content; others: NULL */
    size_t len;
    Rat num;               /* NUMBER, QUANTITY: value as written (in `unit`) */
    const Unit *unit;      /* QUANTITY */
    Span unit_span;
    StrPart *parts;        /* STRING */
    size_t nparts;
} Token;

typedef struct Comment {
    Span span;             /* from '#' to the end of the line */
    const char *text;      /* without the '#' */
    bool own_line;         /* nothing but blanks before it on its line */
} Comment;

typedef struct Lexer {
    Hpcc *h;
    uint32_t file;
    const char *src;
    size_t len, pos;
    bool nl;               /* newline seen since the last token */
    VEC(Comment) comments; /* every comment, in order */
} Lexer;

void lexer_init(Lexer *lx, Hpcc *h, uint32_t file);
Token lexer_next(Lexer *lx);

#endif
