/* test_http.c - unit tests of src/http without a socket: the router,
 * query strings, strict JSON bodies, field validation, statuses, i18n,
 * and the OpenAPI document built from the route table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/internal.h"

#include <stdlib.h>
#include <string.h>

static enum err h_dummy(struct http_req *req)
{
    (void)req;
    return ERR_OK;
}

static const char *const colours[] = {"red", "green", NULL};
static const struct http_field fields[] = {
    {"name", FT_STRING, true, 4, NULL, NULL},     {"count", FT_INT, false, 0, NULL, NULL},
    {"colour", FT_ENUM, false, 8, colours, NULL}, {"day", FT_DATE, false, 10, NULL, NULL},
    {"flag", FT_BOOL, false, 0, NULL, NULL},      {0},
};

static const struct http_route routes[] = {
    {HTTP_GET, "/api/v1/units", PERM_PUBLIC, h_dummy, "t", "list", NULL, fields},
    {HTTP_POST, "/api/v1/units", "units.create", h_dummy, "t", "create", fields},
    {HTTP_GET, "/api/v1/units/stats", PERM_PUBLIC, h_dummy, "t", "stats"},
    {HTTP_GET, "/api/v1/units/{id}", PERM_PUBLIC, h_dummy, "t", "one"},
    {HTTP_GET, "/api/v1/units/{id}/people/{pid}", PERM_SESSION, h_dummy, "t", "nested"},
    {0},
};

static int setup(void **state)
{
    (void)state;
    http_routes_add(routes);
    return 0;
}

static void test_router(void **state)
{
    (void)state;
    int64_t p[HTTP_MAX_ROUTE_PARAMS];
    int status = 0;
    const char *path = "/api/v1/units/42";
    const struct http_route *r = http_route_find(HTTP_GET, path, strlen(path), p, &status);
    assert_non_null(r);
    assert_string_equal(r->summary, "one");
    assert_int_equal(p[0], 42);
    path = "/api/v1/units/stats";
    r = http_route_find(HTTP_GET, path, strlen(path), p, &status);
    assert_string_equal(r->summary, "stats");
    path = "/api/v1/units/7/people/9";
    r = http_route_find(HTTP_GET, path, strlen(path), p, &status);
    assert_non_null(r);
    assert_int_equal(p[0], 7);
    assert_int_equal(p[1], 9);
    const char *bad[] = {"/api/v1/units/0",
                         "/api/v1/units/-1",
                         "/api/v1/units/1x",
                         "/api/v1/units/",
                         "/api/v1/units/99999999999999999999",
                         "/api/v1/unit",
                         "/api/v1/units/1/",
                         "/api/v1/units/1/people/"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        status = 0;
        assert_null(http_route_find(HTTP_GET, bad[i], strlen(bad[i]), p, &status));
        assert_int_equal(status, 404);
    }
    path = "/api/v1/units/3";
    assert_null(http_route_find(HTTP_DELETE, path, strlen(path), p, &status));
    assert_int_equal(status, 405);
    /* The length bounds the match: a prefix of a longer buffer. */
    path = "/api/v1/units/5/extra";
    r = http_route_find(HTTP_GET, path, strlen("/api/v1/units/5"), p, &status);
    assert_non_null(r);
    assert_int_equal(p[0], 5);
    assert_true(http_routes_check());
}

static void req_init(struct http_req *r)
{
    memset(r, 0, sizeof(*r));
    arena_init(&r->arena);
}

static void req_cleanup(struct http_req *r)
{
    if (r->body)
        json_decref(r->body);
    if (r->err_fields)
        json_decref(r->err_fields);
    if (r->json)
        json_decref(r->json);
    arena_cleanup(&r->arena);
}

static void test_query(void **state)
{
    (void)state;
    struct http_req r;
    req_init(&r);
    const char *qs = "q=%E6%8A%80%E8%81%94&city=130100&page=2&empty=&flag&a+b=c%2Bd";
    assert_true(http_query_parse(&r, qs, strlen(qs)));
    assert_string_equal(http_query_get(&r, "q"), "技联");
    assert_string_equal(http_query_get(&r, "city"), "130100");
    assert_string_equal(http_query_get(&r, "empty"), "");
    assert_string_equal(http_query_get(&r, "flag"), "");
    assert_string_equal(http_query_get(&r, "a b"), "c+d");
    assert_null(http_query_get(&r, "missing"));
    int64_t page, size;
    assert_true(http_page(&r, &page, &size));
    assert_int_equal(page, 2);
    assert_int_equal(size, 20);
    const char *bad[] = {"q=%E6%8A", "q=%zz", "q=%4", "q=%00", "q=%0A", "=x", "q=\xff"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(http_query_parse(&r, bad[i], strlen(bad[i])));
    char many[4096] = "";
    for (int i = 0; i < HTTP_MAX_QUERY_PARAMS + 1; i++)
        strcat(many, "k=v&");
    assert_false(http_query_parse(&r, many, strlen(many)));
    char longval[4000] = "q=";
    memset(longval + 2, 'a', 1100);
    assert_false(http_query_parse(&r, longval, strlen(longval)));
    qs = "page_size=101&page=0";
    assert_true(http_query_parse(&r, qs, strlen(qs)));
    assert_false(http_page(&r, &page, &size));
    assert_non_null(json_object_get(r.err_fields, "page_size"));
    assert_non_null(json_object_get(r.err_fields, "page"));
    req_cleanup(&r);
}

static void test_json_strict(void **state)
{
    (void)state;
    enum err e;
    json_t *j = http_json_parse("{\"a\":1}", 7, &e);
    assert_non_null(j);
    json_decref(j);
    const char *bad[] = {"{\"a\":1,\"a\":2}",   "{\"a\":",       "{\"a\":\"\xff\"}", "[1,]",
                         "{\"a\":\"\\u0000\"}", "\xef\xbb\xbf{}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_null(http_json_parse(bad[i], strlen(bad[i]), &e));
        assert_int_equal(e, ERR_INVALID);
    }
    char deep[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    for (int i = 0; i < 40; i++)
        strcat(deep, "]");
    assert_null(http_json_parse(deep, strlen(deep), &e));
    /* Brackets inside strings do not count towards depth. */
    const char *s = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
    j = http_json_parse(s, strlen(s), &e);
    assert_non_null(j);
    json_decref(j);
}

static void check_body(const char *body, bool partial, enum err want, const char *field,
                       const char *key)
{
    struct http_req r;
    req_init(&r);
    enum err e;
    r.body = http_json_parse(body, strlen(body), &e);
    assert_non_null(r.body);
    assert_int_equal(http_body_check(&r, fields, partial), want);
    if (field != NULL)
        assert_string_equal(json_string_value(json_object_get(r.err_fields, field)), key);
    req_cleanup(&r);
}

static void test_body_check(void **state)
{
    (void)state;
    check_body("{\"name\":\"ab\",\"count\":3,\"colour\":\"red\",\"day\":\"2026-01-31\"}", false,
               ERR_OK, NULL, NULL);
    check_body("{\"name\":\"技工教育\"}", false, ERR_OK, NULL, NULL); /* 4 code points */
    check_body("{\"name\":\"技工教育联\"}", false, ERR_INVALID, "name", "too_long");
    check_body("{}", false, ERR_INVALID, "name", "required");
    check_body("{}", true, ERR_OK, NULL, NULL);
    check_body("{\"name\":\"\"}", false, ERR_INVALID, "name", "required");
    check_body("{\"name\":\"a\",\"role\":\"x\"}", false, ERR_INVALID, "role", "unknown_field");
    check_body("{\"name\":\"a\",\"unit_id\":3}", true, ERR_INVALID, "unit_id", "unknown_field");
    check_body("{\"name\":1}", false, ERR_INVALID, "name", "must_be_string");
    check_body("{\"name\":\"a\",\"count\":\"3\"}", false, ERR_INVALID, "count", "must_be_integer");
    check_body("{\"name\":\"a\",\"colour\":\"blue\"}", false, ERR_INVALID, "colour",
               "not_a_choice");
    check_body("{\"name\":\"a\",\"day\":\"2026-13-01\"}", false, ERR_INVALID, "day", "bad_date");
    check_body("{\"name\":\"a\",\"flag\":1}", false, ERR_INVALID, "flag", "must_be_boolean");
    check_body("{\"name\":\"a\\u0001\"}", false, ERR_INVALID, "name", "control_chars");
    check_body("[1]", false, ERR_INVALID, NULL, NULL);
    struct http_req r;
    req_init(&r);
    const char *qs = "colour=blue";
    http_query_parse(&r, qs, strlen(qs));
    assert_int_equal(http_query_check(&r, fields), ERR_INVALID);
    req_cleanup(&r);
}

static void test_status_and_i18n(void **state)
{
    (void)state;
    assert_int_equal(http_status_of(ERR_OK), 200);
    assert_int_equal(http_status_of(ERR_INVALID), 400);
    assert_int_equal(http_status_of(ERR_UNAUTHORIZED), 401);
    assert_int_equal(http_status_of(ERR_FORBIDDEN), 403);
    assert_int_equal(http_status_of(ERR_NOT_FOUND), 404);
    assert_int_equal(http_status_of(ERR_CONFLICT), 409);
    assert_int_equal(http_status_of(ERR_TOO_LARGE), 413);
    assert_int_equal(http_status_of(ERR_UNSUPPORTED), 415);
    assert_int_equal(http_status_of(ERR_RATE_LIMITED), 429);
    assert_int_equal(http_status_of(ERR_INTERNAL), 500);
    /* Every error code has a message in both languages. */
    for (int e = 0; e < ERR_COUNT_; e++) {
        assert_true(i18n_has(err_name((enum err)e)));
        assert_string_not_equal(i18n_text(LANG_ZH, err_name((enum err)e)),
                                i18n_text(LANG_EN, err_name((enum err)e)));
    }
    const char *keys[] = {"required",     "unknown_field", "too_long",       "uscc_invalid",
                          "login_failed", "csrf_failed",   "page_size_range"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        assert_true(i18n_has(keys[i]));
    assert_int_equal(i18n_pick("en-US,en;q=0.9", 14), LANG_EN);
    assert_int_equal(i18n_pick("zh-CN,zh;q=0.9", 14), LANG_ZH);
    assert_int_equal(i18n_pick("", 0), LANG_ZH);
    assert_string_equal(i18n_text(LANG_EN, "no.such.key"), "no.such.key");
}

static void test_error_envelope(void **state)
{
    (void)state;
    struct http_req r;
    req_init(&r);
    strcpy(r.request_id, "rid1");
    r.lang = LANG_EN;
    http_field_error(&r, "uscc", "uscc_invalid");
    http_field_error(&r, "uscc", "required"); /* first one wins */
    http_fail(&r, ERR_INVALID, "validation_failed");
    http_render_error(&r, ERR_INVALID);
    assert_int_equal(r.status, 400);
    json_t *err = json_object_get(r.json, "error");
    assert_string_equal(json_string_value(json_object_get(err, "code")), "invalid");
    assert_string_equal(json_string_value(json_object_get(err, "request_id")), "rid1");
    const char *m = json_string_value(json_object_get(json_object_get(err, "fields"), "uscc"));
    assert_non_null(strstr(m, "credit code"));
    req_cleanup(&r);
}

static void test_openapi(void **state)
{
    (void)state;
    json_t *doc = http_openapi("t", "1");
    assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_t *paths = json_object_get(doc, "paths");
    json_t *units = json_object_get(paths, "/api/v1/units");
    assert_non_null(json_object_get(units, "get"));
    json_t *post = json_object_get(units, "post");
    assert_string_equal(json_string_value(json_object_get(post, "x-permission")), "units.create");
    json_t *schema = json_object_get(
        json_object_get(json_object_get(json_object_get(post, "requestBody"), "content"),
                        "application/json"),
        "schema");
    assert_non_null(json_object_get(json_object_get(schema, "properties"), "colour"));
    json_t *one = json_object_get(json_object_get(paths, "/api/v1/units/{id}"), "get");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(one, "parameters"), 0), "name")),
                        "id");
    json_decref(doc);
}

static const char *framing(const char *const *lines)
{
    struct phr_header h[8];
    size_t n = 0;
    for (; lines[n] != NULL; n++) {
        const char *colon = strchr(lines[n], ':');
        if (colon == NULL) { /* a continuation line: picohttpparser gives no name */
            h[n] = (struct phr_header){NULL, 0, lines[n], strlen(lines[n])};
            continue;
        }
        h[n] = (struct phr_header){lines[n], (size_t)(colon - lines[n]), colon + 1,
                                   strlen(colon + 1)};
    }
    return http_framing_check(h, n);
}

static void test_framing(void **state)
{
    (void)state;
    /* Clear framing passes, names in any case. */
    assert_null(framing((const char *[]){"Host:x", NULL}));
    assert_null(framing((const char *[]){"content-LENGTH:12", "Host:x", NULL}));
    assert_null(framing((const char *[]){"Transfer-Encoding:Chunked", NULL}));
    assert_null(framing((const char *[]){"Content-Lengths:1", "Content-Length:0", NULL}));
    /* Ambiguous framing is refused with its reason. */
    assert_string_equal(framing((const char *[]){"Content-Length:4", "Transfer-Encoding:chunked",
                                                  NULL}),
                        "both Content-Length and Transfer-Encoding");
    assert_string_equal(framing((const char *[]){"Transfer-Encoding:chunked", "content-length:4",
                                                  NULL}),
                        "both Content-Length and Transfer-Encoding");
    assert_string_equal(framing((const char *[]){"Content-Length:4", "Content-Length:4", NULL}),
                        "more than one Content-Length");
    assert_string_equal(framing((const char *[]){"Content-Length:+4", NULL}),
                        "Content-Length is not a length");
    assert_string_equal(framing((const char *[]){"Content-Length:", NULL}),
                        "Content-Length is not a length");
    assert_string_equal(framing((const char *[]){"Content-Length:1234567890123456789", NULL}),
                        "Content-Length is not a length");
    assert_string_equal(framing((const char *[]){"Transfer-Encoding:gzip, chunked", NULL}),
                        "Transfer-Encoding other than chunked");
    assert_string_equal(framing((const char *[]){"Transfer-Encoding:chunked",
                                                  "Transfer-Encoding:chunked", NULL}),
                        "more than one Transfer-Encoding");
    assert_string_equal(framing((const char *[]){"X-A:1", " folded", NULL}),
                        "obsolete line folding");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_router),          cmocka_unit_test(test_query),
        cmocka_unit_test(test_json_strict),     cmocka_unit_test(test_body_check),
        cmocka_unit_test(test_status_and_i18n), cmocka_unit_test(test_error_envelope),
        cmocka_unit_test(test_openapi),         cmocka_unit_test(test_framing),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
