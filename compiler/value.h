/* value.h — the values a spec evaluates to, and the declarations that hold them.
 *
 * The resolver (eval.c) turns syntax into values: names are looked up, `let`s
 * evaluated once, strings interpolated, quantities converted to base units,
 * blocks turned into records, and `+` / `+=` / `extends` merged. Lowering
 * (lower.c) then reads records field by field into the IR. Every value keeps
 * the span where it was written, which becomes its provenance in the IR. */
#ifndef HPCC_VALUE_H
#define HPCC_VALUE_H

#include "ast.h"
#include "hpcc.h"
#include "num.h"
#include "unit.h"

typedef enum VKind {
    V_NONE,    /* none */
    V_BOOL,
    V_NUM,     /* a number or quantity */
    V_STR,     /* a string (from "...", '''...''' or file()) */
    V_WORD,    /* a bare word that names nothing: an enum value such as lz4 or t3.micro */
    V_LIST,
    V_REC,     /* a record: a block's fields */
    V_RANGE,   /* lo..hi */
    V_CALL,    /* script(...) or secret(...) */
    V_REF,     /* a reference to a component or profile declaration */
    V_ERROR    /* stands for a value whose evaluation failed (already reported) */
} VKind;

typedef struct Value Value;
typedef struct Record Record;
typedef struct Decl Decl;
typedef struct Module Module;

typedef struct Field {
    const char *key;
    Span key_span;
    const char *labels[2];
    Span label_spans[2];
    int nlabels;
    bool append;          /* written with += */
    bool is_block;        /* written as key { ... }: merges field by field */
    TokKind cmp;          /* a constraint (key <= value): T_LE, ...; else T_EOF */
    Value *at;            /* `key at expr { }` */
    Value *value;
    Span value_span;      /* where the value is written in this entry (a let's value has its own span) */
    Span span;            /* the whole entry */
} Field;

struct Record {
    const char *type;     /* `network { }` has type "network"; NULL if untyped */
    Span type_span;
    Field *fields;
    size_t n;
    Span span;            /* the block, from '{' to '}' */
};

struct Value {
    VKind kind;
    Span span;
    bool unverified;      /* wrapped in unverified(...) */
    const char *note;     /* unverified(...)'s explanation */
    union {
        bool b;
        struct {
            Rat v;            /* in base units (B, s, USD, ...) */
            Dim dim;
            const Unit *unit; /* as written, for messages; NULL for a plain number */
        } num;
        struct {
            const char *s;
            size_t len;
            const char *file; /* STR read by file(): the path as written */
        } str;
        struct { Value **v; size_t n; } list;
        Record *rec;
        struct { Value *lo, *hi; } range;
        struct { const char *fn; Value **args; size_t n; } call;
        struct { Decl *decl; } ref;
    };
};

typedef enum DeclKind { DK_LET, DK_TYPE, DK_COMPONENT, DK_PROFILE, DK_CLUSTER, DK_POLICY } DeclKind;

struct Decl {
    DeclKind kind;
    const char *name;
    Span name_span;
    Node *node;
    Module *mod;
    Value *value;         /* let: its value; component/profile/cluster: V_REC of the body (after extends) */
    int state;            /* 0 new, 1 evaluating, 2 done */
    bool used;
    bool failed;          /* its extends could not be resolved (already reported): not lowered */
};

struct Module {
    const char *name;     /* "main", "std.aws", ... */
    const char *alias;    /* the last part of a std module's name */
    uint32_t file;
    Ast *ast;
    StrMap *decls;        /* name -> Decl* */
    StrMap *uses;         /* alias -> Module* */
};

const char *vkind_name(VKind k);
/* How a diagnostic names a value: "the string \"abc\"", "a list", "the word 'lz4'"... */
const char *value_describe(Arena *a, const Value *v);
/* A plain-text rendering (numbers exact, in the unit written), for messages. */
const char *value_text(Arena *a, const Value *v);

Value *value_new(Arena *a, VKind k, Span s);
Field *record_get(const Record *r, const char *key);              /* first unlabelled field */
bool value_is_str(const Value *v);                                /* STR */
bool value_is_text(const Value *v);                               /* STR or WORD */

#endif
