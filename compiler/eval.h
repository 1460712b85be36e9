/* eval.h — modules, names and values: the resolving half of type checking.
 *
 * Phase 1 (eval_load): parse the spec and every stdlib module it uses.
 * Phase 2 (eval_resolve): evaluate every declaration of the main spec: names
 * resolved, lets evaluated once (in any order, cycles reported), strings
 * interpolated, units converted, blocks turned into records, clusters merged
 * with the clusters they extend. Lowering then reads the records. */
#ifndef HPCC_EVAL_H
#define HPCC_EVAL_H

#include "value.h"

/* Parses `file` as the main spec and loads the stdlib modules it uses (and
 * std.aws, whose types the compiler checks against). NULL only if the main
 * file could not be read. Check diag_errors() after. */
Module *eval_load(Hpcc *h, uint32_t file);

/* Evaluates every declaration of the main module (and what it references). */
void eval_resolve(Hpcc *h, Module *main);

/* Warns about lets of the main module that nothing uses. */
void eval_check_unused(Hpcc *h, Module *main);

/* The value of a declaration (evaluating it if needed). */
Value *eval_decl_value(Hpcc *h, Decl *d);

/* The declarations of a kind, in source order. */
size_t module_decls(Module *m, DeclKind kind, Decl **out, size_t cap);
Decl *module_find(Module *m, const char *name);
/* Names in scope (declarations and module aliases), for "did you mean". */
const char *module_suggest(Module *m, const char *word);

/* Merges `over` into `base` (as `extends`, `defaults` and `+` do): blocks merge
 * field by field, `+=` adds to the inherited value, `=` replaces. */
Record *record_merge(Hpcc *h, const Record *base, const Record *over);
/* a + b for two values; NULL after reporting an error at `at`. */
Value *value_add(Hpcc *h, Value *a, Value *b, Span at);

#endif
