/*
 * router.c - the one route table and its lookup.
 *
 * Modules contribute arrays of routes at start-up; lookup walks them
 * comparing segment by segment. A pattern segment "{name}" matches a
 * positive decimal integer (object ids). A path that matches some route's
 * pattern under another method answers 405, otherwise 404.
 */
#include "http/http.h"
#include "base/log.h"
#include "base/str.h"

#include <string.h>

#define MAX_TABLES 32

static const struct http_route *tables[MAX_TABLES];
static int table_count;

void http_routes_add(const struct http_route *routes)
{
    if (table_count == MAX_TABLES) {
        log_error("router: too many route tables");
        return;
    }
    tables[table_count++] = routes;
}

const char *http_method_name(enum http_method m)
{
    static const char *const names[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    return (unsigned)m < HTTP_METHOD_COUNT_ ? names[m] : "?";
}

void http_routes_each(void (*fn)(const struct http_route *r, void *arg), void *arg)
{
    for (int t = 0; t < table_count; t++)
        for (const struct http_route *r = tables[t]; r->pattern != NULL; r++)
            fn(r, arg);
}

/* Matches path[0..len) against pattern; fills params on success. */
static bool match(const char *pattern, const char *path, size_t len, int64_t *params)
{
    const char *p = pattern;
    size_t i = 0;
    int np = 0;
    while (*p != '\0' && i < len) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            size_t start = i;
            while (i < len && path[i] != '/')
                i++;
            int64_t v;
            if (close == NULL || np == HTTP_MAX_ROUTE_PARAMS ||
                !str_to_i64(path + start, i - start, 1, INT64_MAX, &v) || path[start] == '-')
                return false;
            params[np++] = v;
            p = close + 1;
            continue;
        }
        if (*p != path[i])
            return false;
        p++;
        i++;
    }
    return *p == '\0' && i == len;
}

const struct http_route *http_route_find(enum http_method m, const char *path, size_t len,
                                         int64_t *params, int *status)
{
    bool other_method = false;
    int64_t tmp[HTTP_MAX_ROUTE_PARAMS];
    for (int t = 0; t < table_count; t++) {
        for (const struct http_route *r = tables[t]; r->pattern != NULL; r++) {
            if (!match(r->pattern, path, len, tmp))
                continue;
            if (r->method != m) {
                other_method = true;
                continue;
            }
            memcpy(params, tmp, sizeof(tmp));
            return r;
        }
    }
    *status = other_method ? 405 : 404;
    return NULL;
}

unsigned http_route_allowed(const char *path, size_t len)
{
    unsigned mask = 0;
    int64_t tmp[HTTP_MAX_ROUTE_PARAMS];
    for (int t = 0; t < table_count; t++)
        for (const struct http_route *r = tables[t]; r->pattern != NULL; r++)
            if (match(r->pattern, path, len, tmp))
                mask |= 1u << r->method;
    return mask;
}

static void check_one(const struct http_route *r, void *arg)
{
    bool *ok = arg;
    if (r->perm == NULL || r->perm[0] == '\0' || r->handler == NULL) {
        log_error("router: route %s %s has no permission or handler", http_method_name(r->method),
                  r->pattern);
        *ok = false;
    }
    if (strncmp(r->pattern, "/api/", 5) != 0) {
        log_error("router: route %s is outside /api/", r->pattern);
        *ok = false;
    }
}

bool http_routes_check(void)
{
    bool ok = true;
    http_routes_each(check_one, &ok);
    /* Two routes with the same method and pattern would shadow each other. */
    for (int t = 0; t < table_count; t++)
        for (const struct http_route *a = tables[t]; a->pattern; a++)
            for (int u = t; u < table_count; u++)
                for (const struct http_route *b = (u == t ? a + 1 : tables[u]); b->pattern; b++)
                    if (a->method == b->method && strcmp(a->pattern, b->pattern) == 0) {
                        log_error("router: duplicate route %s", a->pattern);
                        ok = false;
                    }
    return ok;
}
