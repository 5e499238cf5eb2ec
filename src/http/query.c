/*
 * query.c - query strings and pagination.
 *
 * At most HTTP_MAX_QUERY_PARAMS pairs, keys up to 64 bytes, values up to
 * 1024 bytes after percent-decoding, all valid UTF-8 without control bytes.
 */
#include "http/http.h"
#include "base/str.h"

#include <string.h>

#define MAX_KEY 64
#define MAX_VALUE 1024

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) ('+' is a space) into the arena; NULL when malformed. */
static const char *decode(struct arena *a, const char *s, size_t n, size_t max)
{
    if (n > max * 3)
        return NULL;
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n)
                return NULL;
            int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return NULL;
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    out[o] = '\0';
    if (o > max || !utf8_valid(out, o))
        return NULL;
    for (size_t i = 0; i < o; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            return NULL; /* no control characters, not even CR or LF */
    return out;
}

bool http_query_parse(struct http_req *req, const char *qs, size_t len)
{
    size_t i = 0;
    req->query_count = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && qs[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && qs[eq] != '=')
                eq++;
            if (req->query_count == HTTP_MAX_QUERY_PARAMS)
                return false;
            const char *k = decode(&req->arena, qs + i, eq - i, MAX_KEY);
            const char *v =
                eq < end ? decode(&req->arena, qs + eq + 1, end - eq - 1, MAX_VALUE) : "";
            if (k == NULL || v == NULL || k[0] == '\0')
                return false;
            req->query[req->query_count].key = k;
            req->query[req->query_count].value = v;
            req->query_count++;
        }
        i = end + 1;
    }
    return true;
}

const char *http_query_get(const struct http_req *req, const char *key)
{
    for (int i = 0; i < req->query_count; i++)
        if (strcmp(req->query[i].key, key) == 0)
            return req->query[i].value;
    return NULL;
}

static bool query_int(struct http_req *req, const char *key, int64_t min, int64_t max, int64_t dflt,
                      int64_t *out)
{
    const char *v = http_query_get(req, key);
    *out = dflt;
    if (v == NULL || v[0] == '\0')
        return true;
    if (!str_to_i64(v, strlen(v), min, max, out)) {
        http_field_error(req, key, max == 100 ? "page_size_range" : "page_range");
        return false;
    }
    return true;
}

bool http_page(struct http_req *req, int64_t *page, int64_t *page_size)
{
    bool ok = query_int(req, "page", 1, 1000000, 1, page);
    ok = query_int(req, "page_size", 1, 100, 20, page_size) && ok;
    return ok;
}

enum err http_query_check(struct http_req *req, const struct http_field *fields)
{
    bool bad = false;
    for (int i = 0; i < req->query_count; i++) {
        const struct http_field *f = fields;
        while (f->name != NULL && strcmp(f->name, req->query[i].key) != 0)
            f++;
        if (f->name == NULL || f->type != FT_ENUM || req->query[i].value[0] == '\0')
            continue;
        const char *const *c = f->choices;
        while (c && *c && strcmp(*c, req->query[i].value) != 0)
            c++;
        if (c == NULL || *c == NULL) {
            http_field_error(req, f->name, "not_a_choice");
            bad = true;
        }
    }
    return bad ? http_fail(req, ERR_INVALID, "validation_failed") : ERR_OK;
}
