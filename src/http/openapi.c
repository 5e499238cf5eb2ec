/*
 * openapi.c - the OpenAPI 3.1 description, generated from the route table
 * and each route's field list, so it cannot drift from what is served.
 */
#include "http/http.h"

#include <string.h>

static json_t *field_schema(const struct http_field *f)
{
    static const char *const types[] = {"string", "integer", "boolean", "string",
                                        "string", "object",  "array"};
    json_t *s = json_pack("{s:s}", "type", types[f->type]);
    if (f->type == FT_STRING)
        json_object_set_new(s, "maxLength", json_integer(f->max_len > 0 ? f->max_len : 200));
    if (f->type == FT_DATE)
        json_object_set_new(s, "format", json_string("date"));
    if (f->type == FT_ENUM) {
        json_t *e = json_array();
        for (const char *const *c = f->choices; c && *c; c++)
            json_array_append_new(e, json_string(*c));
        json_object_set_new(s, "enum", e);
    }
    if (f->doc)
        json_object_set_new(s, "description", json_string(f->doc));
    return s;
}

static json_t *body_schema(const struct http_field *fields, bool partial)
{
    json_t *props = json_object(), *req = json_array();
    for (const struct http_field *f = fields; f->name; f++) {
        json_object_set_new(props, f->name, field_schema(f));
        if (f->required && !partial)
            json_array_append_new(req, json_string(f->name));
    }
    return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required", req,
                     "additionalProperties", 0);
}

/* "/api/v1/units/{id}" -> the same, listing {id} as a path parameter. */
static json_t *path_params(const char *pattern)
{
    json_t *params = json_array();
    for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        if (end == NULL)
            break;
        json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s, s:i}}", "name", p + 1,
                                                (size_t)(end - p - 1), "in", "path", "required", 1,
                                                "schema", "type", "integer", "minimum", 1));
    }
    return params;
}

static void add_route(const struct http_route *r, void *arg)
{
    json_t *paths = arg;
    json_t *item = json_object_get(paths, r->pattern);
    if (item == NULL) {
        item = json_object();
        json_object_set_new(paths, r->pattern, item);
    }
    char method[8];
    const char *m = http_method_name(r->method);
    size_t i = 0;
    for (; m[i] && i < sizeof(method) - 1; i++)
        method[i] = (char)(m[i] - 'A' + 'a');
    method[i] = '\0';
    json_t *op = json_pack("{s:[s], s:s, s:s, s:o}", "tags", r->tag ? r->tag : "misc", "summary",
                           r->summary ? r->summary : "", "x-permission", r->perm, "parameters",
                           path_params(r->pattern));
    json_t *params = json_object_get(op, "parameters");
    for (const struct http_field *f = r->query; f && f->name; f++)
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:o}", "name", f->name, "in",
                                                "query", "required", 0, "schema", field_schema(f)));
    if (r->body)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
                                      "application/json", "schema",
                                      body_schema(r->body, r->method == HTTP_PATCH)));
    else if (r->body_type)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
                                      r->body_type, "schema", "type", "string"));
    json_t *err = json_pack("{s:s}", "$ref", "#/components/responses/Error");
    json_t *responses =
        json_pack("{s:{s:s}, s:O, s:O}", "200", "description", "OK", "400", err, "404", err);
    if (r->method == HTTP_POST)
        json_object_set_new(responses, "201", json_pack("{s:s}", "description", "Created"));
    if (strcmp(r->perm, PERM_PUBLIC) != 0) {
        json_object_set(responses, "401", err);
        json_object_set(responses, "403", err);
    }
    json_decref(err);
    json_object_set_new(op, "responses", responses);
    json_object_set_new(item, method, op);
}

json_t *http_openapi(const char *title, const char *version)
{
    json_t *paths = json_object();
    http_routes_each(add_route, paths);
    json_t *error_schema = json_pack(
        "{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}}}", "type", "object",
        "properties", "error", "type", "object", "properties", "code", "type", "string", "message",
        "type", "string", "request_id", "type", "string", "fields", "type", "object");
    return json_pack(
        "{s:s, s:{s:s, s:s}, s:o, s:{s:{s:{s:s, s:{s:{s:o}}}}, s:{s:{s:s, s:s, s:s}}}}", "openapi",
        "3.1.0", "info", "title", title, "version", version, "paths", paths, "components",
        "responses", "Error", "description", "Error envelope", "content", "application/json",
        "schema", error_schema, "securitySchemes", "session", "type", "apiKey", "in", "cookie",
        "name", "jilian_session");
}
