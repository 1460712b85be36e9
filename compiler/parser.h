/* parser.h — builds the syntax tree of one source file (grammar/hpc.ebnf). */
#ifndef HPCC_PARSER_H
#define HPCC_PARSER_H

#include "ast.h"

/* Blocks, lists, calls, parentheses and negations nest at most this deep. */
enum { PARSE_MAX_DEPTH = 64 };
/* An expression chains at most this many binary operators. */
enum { PARSE_MAX_OPERATORS = 1000 };

/* Parses the whole file, reporting every syntax error it finds; always returns
 * a tree (possibly partial). Check diag_errors() to know if it is usable. */
Ast *parse_file(Hpcc *h, uint32_t file);

#endif
