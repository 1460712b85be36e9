/* pattern.h — named regular-expression types (PCRE2), such as aws.SubnetId.
 *
 * The stdlib declares `type SubnetId = pattern "^subnet-..."`; the compiler
 * checks values against such types by name. Patterns are compiled once per
 * compilation, on first use. <pcre2.h> is included only by pattern.c. */
#ifndef HPCC_PATTERN_H
#define HPCC_PATTERN_H

#include "hpcc.h"

/* Registers (and compiles) a pattern under `name`. On a bad regular expression
 * returns false with the PCRE2 message in err and the offset in *erroff. */
bool pattern_define(Hpcc *h, const char *name, const char *regex, char *err, size_t errlen, size_t *erroff);
/* Registers a pattern of the built-in stdlib, compiled on first use (a spec
 * uses few of them). Its patterns are known good: tests/run-stdlib.sh compiles
 * every stdlib module as a spec, which compiles each pattern at once. */
void pattern_define_builtin(Hpcc *h, const char *name, const char *regex);
/* 1 if `s` matches the whole pattern, 0 if not, -1 if no pattern has that name. */
int pattern_match(Hpcc *h, const char *name, const char *s, size_t len);
/* The regular expression text of a pattern (NULL if unknown), for messages. */
const char *pattern_source(Hpcc *h, const char *name);
void pattern_free_all(Hpcc *h);

#endif
