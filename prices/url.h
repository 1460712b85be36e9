/* url.h — what hpcc-prices may download from, and from where by default.
 *
 * https anywhere, with TLS verification that cannot be turned off. Plain
 * http and file:// only on this machine (127.0.0.0/8, ::1, localhost, or a
 * local path): they exist for tests and for a file downloaded by hand, and
 * must never carry a price list across a network unauthenticated. The same
 * rule holds for every redirect, and more: a redirect never leads to a
 * file://, nor from https to http (fetch.c). */
#ifndef PRICES_URL_H
#define PRICES_URL_H

#include <stdbool.h>
#include <stddef.h>

#define URL_MAX 2048 /* characters in a URL */

typedef enum { URL_HTTPS, URL_HTTP, URL_FILE } UrlScheme;

#define FILE_ELSEWHERE "a file:// URL must name a file on this machine (file:///path)"

/* Decides on a URL's scheme and host, as libcurl parsed them (host NULL or
 * "" when there is none). Returns NULL and sets *scheme when allowed, else
 * why not. */
const char *url_allowed(const char *scheme_name, const char *host, UrlScheme *scheme);

/* A region name such as us-east-1 or us-gov-west-1 (it becomes part of a
 * URL and of a file name, so nothing else is let through). */
bool region_valid(const char *region);

/* The offer file of EC2 for a region. */
void url_default(const char *region, char *out, size_t n);

#endif
