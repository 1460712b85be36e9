/* url.c — the download policy (see url.h). */
#include "url.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_loopback(const char *host)
{
    if (strcasecmp(host, "localhost") == 0) return true;
    unsigned char a[16];
    if (inet_pton(AF_INET, host, a) == 1) return a[0] == 127;
    size_t n = strlen(host);
    if (n < 3 || n > 64 || host[0] != '[' || host[n - 1] != ']') return false;
    char v6[65];
    memcpy(v6, host + 1, n - 2);
    v6[n - 2] = 0;
    static const unsigned char ONE[16] = {[15] = 1};
    return inet_pton(AF_INET6, v6, a) == 1 && memcmp(a, ONE, 16) == 0;
}

const char *url_allowed(const char *scheme_name, const char *host, UrlScheme *scheme)
{
    if (!host) host = "";
    if (strcasecmp(scheme_name, "https") == 0) {
        *scheme = URL_HTTPS;
        return NULL;
    }
    if (strcasecmp(scheme_name, "http") == 0) {
        *scheme = URL_HTTP;
        if (is_loopback(host)) return NULL;
        return "plain http only to this machine (127.0.0.0/8, ::1, localhost); use https";
    }
    if (strcasecmp(scheme_name, "file") == 0) {
        *scheme = URL_FILE;
        if (!*host || strcasecmp(host, "localhost") == 0) return NULL;
        return FILE_ELSEWHERE;
    }
    return "not an https URL (http:// and file:// only on this machine)";
}

bool region_valid(const char *r)
{
    size_t n = strlen(r), parts = 1;
    if (n < 4 || n > 32) return false;
    if (!(r[0] >= 'a' && r[0] <= 'z' && r[1] >= 'a' && r[1] <= 'z' && r[2] == '-')) return false;
    for (size_t i = 0; i < n; i++) {
        bool alnum = (r[i] >= 'a' && r[i] <= 'z') || (r[i] >= '0' && r[i] <= '9');
        if (r[i] == '-') {
            if (i + 1 == n || r[i + 1] == '-') return false;
            parts++;
        } else if (!alnum) {
            return false;
        }
    }
    return parts >= 3 && r[n - 1] >= '0' && r[n - 1] <= '9';
}

void url_default(const char *region, char *out, size_t n)
{
    snprintf(out, n, "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/%s/index.csv", region);
}
