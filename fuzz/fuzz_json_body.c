/*
 * fuzz_json_body.c - JSON request bodies (SECURITY.md F2): the strict parser
 * http_json_parse() and then, for every route of the application that lists
 * body fields, http_body_check() against that list on a fresh request, the
 * way server.c's read_body() does (partial for PATCH), plus the other
 * partial mode and the empty list a route without fields gets.
 *
 * Invariants checked besides the sanitizers:
 *  - a parsed body is valid UTF-8 and survives a dump/parse round trip;
 *  - the parser refuses what it must (invalid UTF-8, too deep, > 1 MiB);
 *  - a body that passes the check has only listed keys, values of the
 *    listed types, strings within their length, every required field (not
 *    partial), and no field errors; a body that fails has an error key and
 *    renders to a well-formed error envelope.
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
    json_object_seed(1); /* deterministic hashing, so runs are reproducible */
    app_routes_register();
    return 0;
}

static const struct http_field *field_find(const struct http_field *fields, const char *name)
{
    for (; fields->name != NULL; fields++)
        if (strcmp(fields->name, name) == 0)
            return fields;
    return NULL;
}

/* Re-checks by hand a body that http_body_check() accepted. */
static void check_accepted(struct http_req *req, const struct http_field *fields, bool partial)
{
    FUZZ_CHECK(req->err_fields == NULL);
    FUZZ_CHECK(req->err_key == NULL);
    const char *key;
    json_t *v;
    json_object_foreach(req->body, key, v)
    {
        const struct http_field *f = field_find(fields, key);
        FUZZ_CHECK(f != NULL); /* SEC-B4: only listed fields */
        if (json_is_null(v) && !f->required)
            continue;
        switch (f->type) {
        case FT_INT:
            FUZZ_CHECK(json_is_integer(v));
            break;
        case FT_BOOL:
            FUZZ_CHECK(json_is_boolean(v));
            break;
        case FT_OBJECT:
            FUZZ_CHECK(json_is_object(v));
            break;
        case FT_ARRAY:
            FUZZ_CHECK(json_is_array(v));
            break;
        case FT_STRING:
        case FT_ENUM:
        case FT_DATE: {
            FUZZ_CHECK(json_is_string(v));
            const char *s = json_string_value(v);
            size_t n = json_string_length(v);
            size_t max = f->max_len > 0 ? (size_t)f->max_len : 200;
            FUZZ_CHECK(utf8_valid(s, n));
            FUZZ_CHECK(utf8_length(s, n) <= max);
            FUZZ_CHECK(strlen(s) == n); /* no NUL inside: \u0000 is refused */
            if (f->required)
                FUZZ_CHECK(n > 0);
            if (f->max_len <= 1000)
                FUZZ_CHECK(!str_has_control(s, n));
            if (f->type == FT_ENUM) {
                const char *const *c = f->choices;
                while (c && *c && strcmp(*c, s) != 0)
                    c++;
                FUZZ_CHECK(c && *c);
            }
            FUZZ_CHECK(http_body_str(req, key) == s);
            break;
        }
        }
    }
    for (const struct http_field *f = fields; !partial && f->name; f++)
        if (f->required)
            FUZZ_CHECK(json_object_get(req->body, f->name) != NULL);
}

static void check_body(json_t *body, const struct http_field *fields, bool partial,
                       enum http_method m)
{
    struct http_req req;
    fuzz_req_init(&req);
    req.method = m;
    req.lang = partial ? LANG_ZH : LANG_EN;
    req.body = json_incref(body);
    enum err e = http_body_check(&req, fields, partial);
    if (e == ERR_OK) {
        check_accepted(&req, fields, partial);
    } else {
        FUZZ_CHECK(e == ERR_INVALID);
        FUZZ_CHECK(req.err_key != NULL);
        if (json_is_object(body))
            FUZZ_CHECK(json_object_size(req.err_fields) > 0);
        fuzz_render_error(&req, e);
    }
    fuzz_req_cleanup(&req);
}

static void each_route(const struct http_route *r, void *arg)
{
    json_t *body = arg;
    if (r->body == NULL)
        return;
    bool patch = r->method == HTTP_PATCH;
    check_body(body, r->body, patch, r->method); /* as read_body() does */
    check_body(body, r->body, !patch, r->method);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    enum err e = ERR_OK;
    json_t *j = http_json_parse(s, size, &e);
    if (j == NULL) {
        FUZZ_CHECK(e == ERR_INVALID || e == ERR_TOO_LARGE);
        FUZZ_CHECK(e != ERR_TOO_LARGE || size > HTTP_MAX_BODY);
        return 0;
    }
    FUZZ_CHECK(e == ERR_OK);
    FUZZ_CHECK(size <= HTTP_MAX_BODY);
    FUZZ_CHECK(utf8_valid(s, size));
    FUZZ_CHECK(json_is_object(j) || json_is_array(j));

    /* What we accepted, written out and read back, is the same value. */
    char *dump = json_dumps(j, JSON_COMPACT);
    FUZZ_CHECK(dump != NULL);
    if (strlen(dump) <= HTTP_MAX_BODY) { /* numbers may be written longer */
        enum err e2 = ERR_INVALID;
        json_t *again = http_json_parse(dump, strlen(dump), &e2);
        FUZZ_CHECK(again != NULL && e2 == ERR_OK);
        FUZZ_CHECK(json_equal(j, again));
        json_decref(again);
    }
    free(dump);

    http_routes_each(each_route, j);
    /* A route without listed fields accepts none (server.c no_fields). */
    static const struct http_field no_fields[] = {{0}};
    check_body(j, no_fields, false, HTTP_POST);
    json_decref(j);
    return 0;
}
