/* ir.h — the fully resolved cluster model that passes and backends read.
 *
 * Declared from ir.def. Every field carries its provenance: the spec span it
 * came from, a ParallelCluster default (applied, and marked as such), an hpcc
 * default, or the pass that set it. Quantities are exact rationals in the
 * field's canonical unit. Backends read only this, never the syntax tree. */
#ifndef HPCC_IR_H
#define HPCC_IR_H

#include "hpcc.h"
#include "num.h"

typedef struct Value Value;

typedef enum Origin {
    ORIGIN_UNSET,     /* not set: the field is absent */
    ORIGIN_SPEC,      /* written in the spec (span says where) */
    ORIGIN_DEFAULT,   /* ParallelCluster's default, applied (`by` names the version) */
    ORIGIN_HPCC,      /* chosen by hpcc's own rule (`by` says which) */
    ORIGIN_PASS       /* set by a compiler pass (`by` names it) */
} Origin;

typedef struct Prov {
    Origin origin;
    Span span;
    const char *by;
    bool unverified;      /* rests on a figure marked unverified */
    const char *note;
} Prov;

typedef struct Ir_STR { const char *v; Prov p; } Ir_STR;
typedef struct Ir_BOOL { bool v; Prov p; } Ir_BOOL;
typedef struct Ir_INT { int64_t v; Prov p; } Ir_INT;
typedef struct Ir_QTY { Rat v; const char *unit; Prov p; } Ir_QTY;
typedef struct Ir_STRS { Ir_STR *v; size_t n; Prov p; } Ir_STRS;
typedef struct IrKv { const char *key; const Value *v; Prov p; } IrKv;
typedef struct Ir_KV { IrKv *v; size_t n; Prov p; } Ir_KV;
typedef struct Ir_RAW { const Value *v; Prov p; } Ir_RAW;

#define IR_STRUCT(T) typedef struct Ir##T Ir##T;
#define IR_FIELD(T, name, kind)
#define IR_OBJ(T, name, U)
#define IR_LIST(T, name, U)
#define IR_END(T)
#include "ir.def"
#undef IR_STRUCT
#undef IR_FIELD
#undef IR_OBJ
#undef IR_LIST
#undef IR_END

#define IR_STRUCT(T) struct Ir##T { Span at;
#define IR_FIELD(T, name, kind) Ir_##kind name;
#define IR_OBJ(T, name, U) Ir##U *name;
#define IR_LIST(T, name, U) struct { Ir##U **v; size_t n, cap; } name;
#define IR_END(T) };
#include "ir.def"
#undef IR_STRUCT
#undef IR_FIELD
#undef IR_OBJ
#undef IR_LIST
#undef IR_END

static inline bool ir_set(Prov p) { return p.origin != ORIGIN_UNSET; }

/* The IR of one compilation: every cluster of the spec that is not a template. */
typedef struct Ir {
    IrCluster **clusters;
    size_t n;
    struct Analysis **an;   /* analysis.h: what the passes computed, per cluster */
} Ir;

/* `hpcc ir`: an object keyed by cluster name (all, or only `only`), pretty, stable.
 * Returns malloc'ed text. */
char *ir_to_json(Hpcc *h, const Ir *ir, const char *only);
/* One line per cluster for people: partitions, nodes, storage, image. */
char *ir_summary(Hpcc *h, const Ir *ir, const char *only);

#endif
