/*
 * fuzz_query.c - query strings (SECURITY.md F2): http_query_parse() on the
 * input (the bytes after '?'), then http_page(), then http_query_check()
 * against the filter list of every route that declares one, each on a
 * fresh request holding the parsed pairs, as server.c does.
 *
 * Invariants checked besides the sanitizers:
 *  - a parsed query has at most HTTP_MAX_QUERY_PARAMS pairs, non-empty keys
 *    of at most 64 bytes, values of at most 1024 bytes, all valid UTF-8
 *    without control bytes, and http_query_get() finds every key;
 *  - page and page_size always come back in range (1..1000000, 1..100),
 *    and a refusal records a field error;
 *  - http_query_check() accepts exactly when every non-empty value of an
 *    enum filter is one of its choices.
 */
#include "http/http.h"
#include "base/log.h"
#include "base/str.h"
#include "modules/app.h"

#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_ERROR);
    json_object_seed(1);
    app_routes_register();
    return 0;
}

static bool choice_ok(const struct http_field *f, const char *v)
{
    for (const char *const *c = f->choices; c && *c; c++)
        if (strcmp(*c, v) == 0)
            return true;
    return false;
}

/* What http_query_check() should answer, worked out independently. */
static bool expect_clean(const struct http_req *req, const struct http_field *fields)
{
    for (int i = 0; i < req->query_count; i++)
        for (const struct http_field *f = fields; f->name; f++)
            if (strcmp(f->name, req->query[i].key) == 0) {
                if (f->type == FT_ENUM && req->query[i].value[0] != '\0' &&
                    !choice_ok(f, req->query[i].value))
                    return false;
                break;
            }
    return true;
}

static void each_route(const struct http_route *r, void *arg)
{
    const struct http_req *parsed = arg;
    if (r->query == NULL)
        return;
    struct http_req req;
    fuzz_req_init(&req);
    req.method = r->method;
    req.route = r;
    memcpy(req.query, parsed->query, sizeof(req.query)); /* strings live in parsed's arena */
    req.query_count = parsed->query_count;
    enum err e = http_query_check(&req, r->query);
    FUZZ_CHECK(e == ERR_OK || e == ERR_INVALID);
    FUZZ_CHECK((e == ERR_OK) == expect_clean(&req, r->query));
    if (e != ERR_OK) {
        FUZZ_CHECK(json_object_size(req.err_fields) > 0);
        fuzz_render_error(&req, e);
    }
    fuzz_req_cleanup(&req);
}

static void check_pair(const struct http_req *req, int i)
{
    const char *k = req->query[i].key, *v = req->query[i].value;
    FUZZ_CHECK(k != NULL && v != NULL);
    size_t kn = strlen(k), vn = strlen(v);
    FUZZ_CHECK(kn >= 1 && kn <= 64);
    FUZZ_CHECK(vn <= 1024);
    FUZZ_CHECK(utf8_valid(k, kn) && utf8_valid(v, vn));
    for (size_t j = 0; j < kn; j++)
        FUZZ_CHECK((unsigned char)k[j] >= 0x20 && k[j] != 0x7f);
    for (size_t j = 0; j < vn; j++)
        FUZZ_CHECK((unsigned char)v[j] >= 0x20 && v[j] != 0x7f);
    /* The first pair with this key is the one http_query_get() returns. */
    const char *got = http_query_get(req, k);
    FUZZ_CHECK(got != NULL);
    int first = 0;
    while (strcmp(req->query[first].key, k) != 0)
        first++;
    FUZZ_CHECK(got == req->query[first].value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct http_req req;
    fuzz_req_init(&req);
    if (http_query_parse(&req, (const char *)data, size)) {
        FUZZ_CHECK(req.query_count >= 0 && req.query_count <= HTTP_MAX_QUERY_PARAMS);
        for (int i = 0; i < req.query_count; i++)
            check_pair(&req, i);
        int64_t page = -1, page_size = -1;
        bool ok = http_page(&req, &page, &page_size);
        FUZZ_CHECK(page >= 1 && page <= 1000000);
        FUZZ_CHECK(page_size >= 1 && page_size <= 100);
        FUZZ_CHECK(ok || json_object_size(req.err_fields) > 0);
        http_routes_each(each_route, &req);
    }
    fuzz_req_cleanup(&req);
    return 0;
}
