/*
 * request.c - strict JSON bodies and their validation against a field list.
 *
 * A body is valid UTF-8, at most HTTP_MAX_BODY bytes, nested at most
 * HTTP_MAX_JSON_DEPTH deep, with no duplicate keys (SEC-C2). Only the
 * route's listed fields are accepted (SEC-B4): an unknown key such as
 * "role" or "unit_id" is refused with a message on that field.
 */
#include "http/http.h"
#include "base/str.h"

#include <string.h>

/* Nesting depth of a JSON text, counting brackets outside strings. */
static int json_depth(const char *s, size_t n)
{
    int depth = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max)
                max = depth;
            if (max > HTTP_MAX_JSON_DEPTH)
                return max;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return max;
}

json_t *http_json_parse(const char *s, size_t len, enum err *e)
{
    *e = ERR_INVALID;
    if (len > HTTP_MAX_BODY) {
        *e = ERR_TOO_LARGE;
        return NULL;
    }
    if (!utf8_valid(s, len) || json_depth(s, len) > HTTP_MAX_JSON_DEPTH)
        return NULL;
    json_error_t jerr;
    json_t *j = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
    if (j == NULL)
        return NULL;
    *e = ERR_OK;
    return j;
}

const char *http_body_str(const struct http_req *req, const char *key)
{
    json_t *v = req->body ? json_object_get(req->body, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t http_body_int(const struct http_req *req, const char *key, int64_t def)
{
    json_t *v = req->body ? json_object_get(req->body, key) : NULL;
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

static const struct http_field *field_find(const struct http_field *fields, const char *name)
{
    for (; fields->name != NULL; fields++)
        if (strcmp(fields->name, name) == 0)
            return fields;
    return NULL;
}

static bool in_choices(const char *const *choices, const char *v)
{
    for (; choices && *choices; choices++)
        if (strcmp(*choices, v) == 0)
            return true;
    return false;
}

/* Checks one present value; returns an i18n key or NULL when fine. */
static const char *check_value(const struct http_field *f, json_t *v)
{
    switch (f->type) {
    case FT_INT:
        return json_is_integer(v) ? NULL : "must_be_integer";
    case FT_BOOL:
        return json_is_boolean(v) ? NULL : "must_be_boolean";
    case FT_OBJECT:
        return json_is_object(v) ? NULL : "must_be_object";
    case FT_ARRAY:
        return json_is_array(v) ? NULL : "must_be_array";
    case FT_STRING:
    case FT_ENUM:
    case FT_DATE:
        break;
    }
    if (!json_is_string(v))
        return "must_be_string";
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    size_t max = f->max_len > 0 ? (size_t)f->max_len : 200;
    if (utf8_length(s, n) > max)
        return "too_long";
    if (str_has_control(s, n) && f->max_len <= 1000)
        return "control_chars";
    if (f->type == FT_ENUM && !in_choices(f->choices, s))
        return "not_a_choice";
    if (f->type == FT_DATE && n > 0 && !str_date_valid(s))
        return "bad_date";
    if (f->required && n == 0)
        return "required";
    return NULL;
}

enum err http_body_check(struct http_req *req, const struct http_field *fields, bool partial)
{
    if (!json_is_object(req->body))
        return http_fail(req, ERR_INVALID, "body_not_object");
    bool bad = false;
    const char *key;
    json_t *v;
    json_object_foreach(req->body, key, v)
    {
        const struct http_field *f = field_find(fields, key);
        if (f == NULL) {
            http_field_error(req, key, "unknown_field");
            bad = true;
            continue;
        }
        const char *msg = json_is_null(v) && !f->required ? NULL : check_value(f, v);
        if (msg != NULL) {
            http_field_error(req, key, msg);
            bad = true;
        }
    }
    for (const struct http_field *f = fields; !partial && f->name != NULL; f++) {
        if (f->required && json_object_get(req->body, f->name) == NULL) {
            http_field_error(req, f->name, "required");
            bad = true;
        }
    }
    return bad ? http_fail(req, ERR_INVALID, "validation_failed") : ERR_OK;
}
