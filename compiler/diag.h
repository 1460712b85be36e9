/* diag.h — collecting and printing diagnostics.
 *
 * Every phase reports everything it finds: diagnostics are collected, never
 * printed on the spot, and a phase ends with diag_end_phase(), which applies
 * the spec's `allow`/`deny` scopes and --werror and says whether the run may go
 * on. Printing sorts by location, so output does not depend on the order in
 * which a phase happened to visit things. Identical diagnostics (same id,
 * place and text) are kept once, so a value checked at each use is reported
 * once. After DIAG_MAX_ERRORS errors the rest are dropped and the run stops. */
#ifndef HPCC_DIAG_H
#define HPCC_DIAG_H

#include <stdio.h>

#include "hpcc.h"

typedef enum DiagCode {
#define DIAG(name, id, sev) D_##name,
#include "diag.def"
#undef DIAG
    D__COUNT
} DiagCode;

typedef enum Severity { SEV_NOTE, SEV_WARNING, SEV_ERROR } Severity;

enum { DIAG_MAX_ERRORS = 100 };
/* Warnings of one id beyond this many are counted, not printed. */
enum { DIAG_MAX_WARNINGS_PER_ID = 50 };

typedef struct Diag Diag;

Diags *diags_new(Arena *a);

/* Reports a diagnostic with the severity diag.def gives its id. The format is
 * the one-line message; add the text shown after the caret with diag_label()
 * and further lines with diag_note(). Returns NULL when the diagnostic was a
 * duplicate or dropped (both functions accept NULL). */
Diag *diag(Hpcc *h, DiagCode code, Span at, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_label(Diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A note; with a span it prints as `file:line:col: note:` plus the source line. */
void diag_note(Diag *d, Span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

const char *diag_id(DiagCode code);
bool diag_lookup(const char *id, DiagCode *out);
bool diag_is_warning(DiagCode code);
/* The warning ids, for "did you mean" and documentation. */
size_t diag_warning_ids(const char **out, size_t cap);

/* `allow <id> "reason"` / `deny <id>` written at `at`, governing diagnostics
 * whose location falls inside `scope`. */
void diag_add_scope(Hpcc *h, DiagCode code, bool deny, const char *reason, Span scope, Span at);
/* Reports `allow` scopes that silenced nothing (call once, at the very end). */
void diag_check_unused_scopes(Hpcc *h);

/* Ends a phase: applies scopes and --werror to the diagnostics reported since
 * the last call; returns the number of errors so far (0 = go on). */
size_t diag_end_phase(Hpcc *h);
size_t diag_errors(const Hpcc *h);
size_t diag_warnings(const Hpcc *h);
bool diag_too_many(const Hpcc *h);

/* Prints every diagnostic not silenced, sorted by place. */
void diag_print_text(Hpcc *h, FILE *out);
/* Machine-readable: {"diagnostics":[...],"errors":n,"warnings":n}. */
void diag_print_json(Hpcc *h, FILE *out);
/* The one-line summary, e.g. "hpcc: 3 errors, 1 warning" (NULL when clean). */
char *diag_summary(Hpcc *h);

/* Decodes one UTF-8 code point at s[0..len); returns it, or -1 for an invalid
 * sequence (then *adv is 1). */
int32_t utf8_decode(const unsigned char *s, size_t len, size_t *adv);

#endif
