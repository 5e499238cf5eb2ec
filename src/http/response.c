/*
 * response.c - answers: the error envelope and the status of each error.
 *
 * Errors have one shape, {"error":{"code","message","fields","request_id"}},
 * with messages in the caller's language; http_status_of() is the only
 * place an error code becomes an HTTP status.
 */
#include "http/http.h"

void http_field_error(struct http_req *req, const char *field, const char *key)
{
    if (req->err_fields == NULL)
        req->err_fields = json_object();
    if (json_object_get(req->err_fields, field) == NULL)
        json_object_set_new(req->err_fields, field, json_string(key));
}

enum err http_fail(struct http_req *req, enum err e, const char *key)
{
    if (req->err_key == NULL)
        req->err_key = key;
    return e;
}

void http_json(struct http_req *req, int status, json_t *body)
{
    if (req->json != NULL)
        json_decref(req->json);
    req->json = body;
    req->status = status;
}

void http_list(struct http_req *req, json_t *items, int64_t total, int64_t page, int64_t size)
{
    http_json(req, 200,
              json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total, "page",
                        (json_int_t)page, "page_size", (json_int_t)size));
}

int http_status_of(enum err e)
{
    switch (e) {
    case ERR_OK:
        return 200;
    case ERR_INVALID:
        return 400;
    case ERR_UNAUTHORIZED:
        return 401;
    case ERR_FORBIDDEN:
        return 403;
    case ERR_NOT_FOUND:
        return 404;
    case ERR_CONFLICT:
        return 409;
    case ERR_TOO_LARGE:
        return 413;
    case ERR_UNSUPPORTED:
        return 415;
    case ERR_LOCKED:
    case ERR_RATE_LIMITED:
        return 429;
    case ERR_BUSY:
        return 503;
    case ERR_IO:
    case ERR_INTERNAL:
    case ERR_COUNT_:
        break;
    }
    return 500;
}

/* Default message key for an error without one. */
static const char *default_key(enum err e)
{
    return err_name(e);
}

/* Builds the envelope for e into req->json. */
void http_render_error(struct http_req *req, enum err e);
void http_render_error(struct http_req *req, enum err e)
{
    const char *key = req->err_key ? req->err_key : default_key(e);
    json_t *err = json_pack("{s:s, s:s, s:s}", "code", err_name(e), "message",
                            i18n_text(req->lang, key), "request_id", req->request_id);
    if (req->err_fields != NULL) {
        json_t *fields = json_object();
        const char *f;
        json_t *v;
        json_object_foreach(req->err_fields, f, v)
        {
            json_object_set_new(fields, f, json_string(i18n_text(req->lang, json_string_value(v))));
        }
        json_object_set_new(err, "fields", fields);
    }
    if (req->err_key != NULL) /* the reason, for programs (the message is for people) */
        json_object_set_new(err, "reason", json_string(req->err_key));
    if (req->err_extra != NULL)
        json_object_update(err, req->err_extra);
    http_json(req, http_status_of(e), json_pack("{s:o}", "error", err));
}
