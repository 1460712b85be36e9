/* ast.h — the syntax tree: what the parser builds and the resolver reads.
 *
 * Every node has a byte span. Comments are kept: the file's comments are all
 * in Ast.comments, in order, and each item and entry names the comments that
 * lead it and the one trailing it on its line; a block names the comments left
 * before its closing brace. Nodes live in the compilation's arena. */
#ifndef HPCC_AST_H
#define HPCC_AST_H

#include "hpcc.h"
#include "lexer.h"

typedef enum NodeKind {
#define AST(name, text) N_##name,
#include "ast.def"
#undef AST
    N__COUNT
} NodeKind;

const char *node_kind_name(NodeKind k);

typedef struct Node Node;
typedef VEC(Node *) NodeVec;

typedef struct CommentRange {
    uint32_t from, to;   /* indices into Ast.comments, [from, to) */
} CommentRange;

typedef struct Block {
    Span span;           /* from '{' to '}' */
    NodeVec entries;
    CommentRange dangling;
} Block;

struct Node {
    NodeKind kind;
    Span span;
    CommentRange lead;   /* comments on the lines before an item or entry */
    int32_t trailing;    /* comment after it on its last line, or -1 */
    union {
        struct { const char *path; Span path_span; } use;
        struct { const char *name; Span name_span; Node *value; } let;
        struct { const char *name; Span name_span; Node *pattern; } type;
        struct {
            const char *keyword;          /* "cluster", "component", "profile" */
            const char *name;
            Span name_span;
            const char *extends;          /* NULL if none */
            Span extends_span;
            bool is_template;
            Block *body;
        } decl;
        struct {
            const char *key;
            Span key_span;
            Node *labels[2];              /* NAME or STRING nodes */
            int nlabels;
            bool append;                  /* += */
            Node *value;
        } attr;
        struct {
            const char *key;
            Span key_span;
            Node *labels[2];
            int nlabels;
            Node *at;                     /* `at expr`, or NULL */
            Block *body;
        } block;
        struct { const char *path; Span path_span; TokKind op; Node *value; } cons;
        struct { const char *id; Span id_span; Node *reason; } allow; /* DENY: reason NULL */
        struct { const char *text; } name;                           /* a (dotted) word */
        struct { Rat v; const Unit *unit; Span unit_span; } num;     /* NUMBER, QUANTITY */
        struct { StrPart *parts; size_t n; } str;
        struct { const char *text; size_t len; } raw;
        bool boolean;
        struct { NodeVec items; } list;
        struct { const char *type; Span type_span; Block *body; } rec; /* type NULL: untyped */
        struct { const char *fn; Span fn_span; NodeVec args; } call;
        struct { Node *lo, *hi; } range;
        struct { TokKind op; Node *l, *r; } bin;
        struct { Node *e; } neg;
    };
};

typedef struct Ast {
    uint32_t file;
    NodeVec items;
    Comment *comments;
    size_t ncomments;
    CommentRange trailing;   /* comments after the last item */
} Ast;

#endif
