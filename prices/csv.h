/* csv.h — a streaming CSV reader (RFC 4180), fed in pieces of any size.
 *
 * The text arrives in chunks (libcurl's write callback); each complete
 * record is handed to a callback and forgotten, so memory stays bounded by
 * the longest record, whatever the size of the file. Quoted fields may hold
 * commas, doubled quotes and line breaks; records end with LF or CRLF; the
 * last record may lack its line break. Anything else is an error that names
 * the line (lines are physical lines, counted from 1). */
#ifndef PRICES_CSV_H
#define PRICES_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits, named in the errors that enforce them. */
#define CSV_MAX_FIELDS 4096            /* fields in one record */
#define CSV_MAX_RECORD (1u << 20)      /* bytes kept of one record */

typedef struct CsvField {
    const char *p;  /* the field's text, quotes removed (not NUL-terminated) */
    size_t n;
} CsvField;

typedef struct CsvRecord {
    const CsvField *f;
    size_t n;        /* number of fields */
    uint64_t line;   /* the line the record starts on */
    uint64_t index;  /* 1 for the first record */
} CsvRecord;

/* Called for every record; the fields live until it returns. Returning
 * false stops the reader (the callback keeps its own error message). */
typedef bool (*CsvFn)(void *arg, const CsvRecord *r);

typedef struct Csv Csv;

Csv *csv_new(CsvFn fn, void *arg);
void csv_free(Csv *c);

/* From now on, only fields i < n with keep[i] carry their text; the others
 * are still parsed and checked, but given as empty. Skipping the copy of
 * fields nobody reads is most of the reader's speed on wide files. */
void csv_keep(Csv *c, const bool *keep, size_t n);

/* Feeds the next piece of text. False on a CSV error (csv_error()) or when
 * the callback returned false (csv_stopped()). */
bool csv_feed(Csv *c, const char *p, size_t n);

/* End of input: emits the last record if it had no line break. */
bool csv_finish(Csv *c);

bool csv_stopped(const Csv *c);       /* the callback asked to stop */
const char *csv_error(const Csv *c);  /* the message of a CSV error, without its line */
uint64_t csv_error_line(const Csv *c);

#endif
