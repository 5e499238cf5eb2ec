/*
 * fuzz_route.c - route parameters (SECURITY.md F2): the input, as a path of
 * exactly its length (not NUL-terminated, so a read past it is caught),
 * looked up with http_route_find() under every method in the application's
 * route table, and http_route_allowed() on it.
 *
 * Invariants checked besides the sanitizers:
 *  - a found route has the asked method, and each {param} of its pattern
 *    came back as a positive integer that the path spells in digits;
 *  - find and allowed agree: a route is found for method m exactly when
 *    bit m of the mask is set, and a miss is 405 when some other method
 *    serves the path, else 404;
 *  - a found path starts with "/api/" (every pattern does).
 */
#include "http/http.h"
#include "base/log.h"
#include "modules/app.h"

#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_ERROR);
    app_routes_register();
    FUZZ_CHECK(http_routes_check());
    return 0;
}

/* Walks pattern against path[0..len) independently of router.c and checks
 * that params are the values of its {..} segments. */
static void check_params(const char *pattern, const char *path, size_t len, const int64_t *params)
{
    size_t i = 0;
    int np = 0;
    for (const char *p = pattern; *p;) {
        if (*p == '{') {
            size_t start = i;
            while (i < len && path[i] != '/')
                i++;
            FUZZ_CHECK(i > start && i - start <= 20);
            int64_t v = 0;
            for (size_t k = start; k < i; k++) {
                FUZZ_CHECK(path[k] >= '0' && path[k] <= '9');
                FUZZ_CHECK(v <= (INT64_MAX - (path[k] - '0')) / 10);
                v = v * 10 + (path[k] - '0');
            }
            FUZZ_CHECK(np < HTTP_MAX_ROUTE_PARAMS);
            FUZZ_CHECK(v >= 1 && params[np] == v);
            np++;
            p = strchr(p, '}');
            FUZZ_CHECK(p != NULL);
            p++;
            continue;
        }
        FUZZ_CHECK(i < len && path[i] == *p);
        i++;
        p++;
    }
    FUZZ_CHECK(i == len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = (const char *)data;
    unsigned mask = http_route_allowed(path, size);
    FUZZ_CHECK(mask < (1u << HTTP_METHOD_COUNT_));
    for (int m = 0; m < HTTP_METHOD_COUNT_; m++) {
        int64_t params[HTTP_MAX_ROUTE_PARAMS];
        memset(params, 0, sizeof(params));
        int status = 0;
        const struct http_route *r =
            http_route_find((enum http_method)m, path, size, params, &status);
        if (r != NULL) {
            FUZZ_CHECK((int)r->method == m);
            FUZZ_CHECK(mask & (1u << m));
            FUZZ_CHECK(r->perm != NULL && r->handler != NULL);
            FUZZ_CHECK(size >= 5 && memcmp(path, "/api/", 5) == 0);
            check_params(r->pattern, path, size, params);
        } else {
            FUZZ_CHECK(!(mask & (1u << m)));
            FUZZ_CHECK(status == (mask != 0 ? 405 : 404));
        }
    }
    return 0;
}
