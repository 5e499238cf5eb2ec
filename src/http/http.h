/*
 * http.h - the transport: requests, responses, routes, the server.
 *
 * Modules see a request as struct http_req: its path parameters, query,
 * parsed JSON body, caller (principal) and language; they answer by setting
 * the response part and returning an enum err. Turning errors into statuses
 * and the error envelope happens in response.c only. This layer knows
 * nothing of the database: sessions, permissions and transactions reach it
 * through struct http_hooks, which the application fills at start-up.
 */
#ifndef JL_HTTP_HTTP_H
#define JL_HTTP_HTTP_H

#include "base/arena.h"
#include "base/config.h"
#include "base/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_BODY (1024 * 1024)
#define HTTP_H2O_MAX_BODY (8 * HTTP_MAX_BODY)
#define HTTP_MAX_HEADER_BYTES 8192
#define HTTP_MAX_QUERY_PARAMS 32
#define HTTP_MAX_ROUTE_PARAMS 4
#define HTTP_MAX_JSON_DEPTH 32

enum http_method { HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_METHOD_COUNT_ };
enum http_lang { LANG_ZH, LANG_EN };

/* Who is calling. Filled by the authenticate hook; role NULL = anonymous. */
struct http_principal {
    int64_t user_id;
    int64_t unit_id; /* 0 when the user has no unit */
    int64_t session_id;
    const char *username;
    const char *role;
    const char *csrf;
    bool must_rotate; /* set by hooks that issue a new session */
};

struct http_kv {
    const char *key, *value;
};

/* A field of a JSON body or of a list's filters: drives validation (only
 * listed fields are accepted, SEC-B4) and the OpenAPI description. */
enum http_ftype { FT_STRING, FT_INT, FT_BOOL, FT_ENUM, FT_DATE, FT_OBJECT, FT_ARRAY };
struct http_field {
    const char *name;
    enum http_ftype type;
    bool required;
    int max_len;                /* code points for strings; 0 = 200 */
    const char *const *choices; /* NULL-terminated, for FT_ENUM */
    const char *doc;
};

struct http_req;
typedef enum err (*http_handler)(struct http_req *req);

/* Special permissions: anyone, or any signed-in user. */
#define PERM_PUBLIC "public"
#define PERM_SESSION "session"

struct http_route {
    enum http_method method;
    const char *pattern; /* "/api/v1/units/{id}": {name} matches one segment of digits */
    const char *perm;    /* never NULL (checked at start-up) */
    http_handler handler;
    const char *tag, *summary;
    const struct http_field *body;  /* accepted JSON body fields, or NULL */
    const struct http_field *query; /* accepted query filters, or NULL */
    const char *body_type;          /* NULL = application/json; else e.g. "text/csv" */
    bool keep_on_error;             /* commit the transaction even on an error answer */
    size_t max_body;                /* 0: HTTP_MAX_BODY; at most HTTP_H2O_MAX_BODY (uploads) */
};

struct http_req {
    struct arena arena; /* freed when the response is sent */
    const struct http_route *route;
    enum http_method method;
    const char *path;
    struct http_kv query[HTTP_MAX_QUERY_PARAMS];
    int query_count;
    int64_t params[HTTP_MAX_ROUTE_PARAMS]; /* route parameters, in order */
    json_t *body;                          /* parsed JSON body (owned) or NULL */
    const char *raw_body;
    size_t raw_body_len;
    const char *cookie_header;
    const char *csrf_header;
    const char *user_agent;
    char request_id[20];
    char ip[64];
    bool secure; /* reached over TLS (directly or via the trusted proxy) */
    enum http_lang lang;
    struct http_principal who; /* role == NULL for anonymous */
    void *thread_ctx;          /* from hooks.thread_init */

    /* The response. */
    int status;      /* 0 = 200 (or from error) */
    json_t *json;    /* body to send (owned), or */
    const char *out; /* raw body (arena) */
    size_t out_len;
    const char *out_type;     /* content type of raw body */
    const char *out_filename; /* Content-Disposition: attachment */
    const char *set_cookie;   /* Set-Cookie value */
    const char *err_key;      /* i18n key of the error message */
    json_t *err_fields;       /* field -> i18n key */
    json_t *err_extra;        /* more members of the error object (owned) */
    int retry_after;          /* seconds, for 429 */
    bool personal;            /* Cache-Control: no-store */
};

struct http_hooks {
    /* Per event-loop thread and per job worker: create and destroy the
     * thread's context (its database connection). */
    void *(*thread_init)(void);
    void (*thread_cleanup)(void *ctx);
    /* Fills req->who from the cookie; may set set_cookie. */
    void (*authenticate)(struct http_req *req);
    /* True when role holds perm. */
    bool (*permits)(const char *role, const char *perm);
    /* Runs the handler (the application wraps it in a transaction). */
    enum err (*invoke)(struct http_req *req);
    /* Records a refused request (401/403/CSRF) in the audit log. */
    void (*denied)(struct http_req *req, enum err e);
    /* Tags for the head of the portal page at path (e.g. Open Graph of an
     * article), as a heap string, or NULL for none. May be NULL. */
    char *(*page_meta)(struct http_req *req, const char *path);
};

/* --- route table ------------------------------------------------------ */
/* Adds a module's routes (array ended by a route with pattern NULL). */
void http_routes_add(const struct http_route *routes);
/* Checks every route has a permission and a valid pattern; false logs why. */
bool http_routes_check(void);
/* Looks a method and path up. Returns the route and fills params, or NULL
 * with *status 404 or 405. */
const struct http_route *http_route_find(enum http_method m, const char *path, size_t len,
                                         int64_t *params, int *status);
/* Bit (1 << method) set for each method some route serves at path. */
unsigned http_route_allowed(const char *path, size_t len);
/* Visits every route (for OpenAPI and the permission tests). */
void http_routes_each(void (*fn)(const struct http_route *r, void *arg), void *arg);
const char *http_method_name(enum http_method m);

/* --- request helpers -------------------------------------------------- */
/* Query value by key or NULL. */
const char *http_query_get(const struct http_req *req, const char *key);
/* Parses page and page_size (1..100, default 20); records field errors. */
bool http_page(struct http_req *req, int64_t *page, int64_t *page_size);
/* Checks enum-valued query filters against the route's list. */
enum err http_query_check(struct http_req *req, const struct http_field *fields);
/* Parses a query string into req->query; false = malformed (400). */
bool http_query_parse(struct http_req *req, const char *qs, size_t len);
/* Checks the JSON body against fields: unknown keys, types, lengths,
 * required, enum choices. Records field errors; returns ERR_INVALID. */
enum err http_body_check(struct http_req *req, const struct http_field *fields, bool partial);
/* Parses a JSON text strictly: UTF-8, no duplicate keys, bounded depth. */
json_t *http_json_parse(const char *s, size_t len, enum err *e);
/* Body string field or NULL. */
const char *http_body_str(const struct http_req *req, const char *key);
/* Body integer field, or def when absent or not an integer. */
int64_t http_body_int(const struct http_req *req, const char *key, int64_t def);

/* --- response helpers ------------------------------------------------- */
/* Records a validation message (i18n key) for a field; first one wins. */
void http_field_error(struct http_req *req, const char *field, const char *key);
/* Sets the error message key; returns e for `return http_fail(...)`. */
enum err http_fail(struct http_req *req, enum err e, const char *key);
/* Sets the JSON body (takes ownership) and status. */
void http_json(struct http_req *req, int status, json_t *body);
/* A paginated list: {"items": items, "total": n, "page": p, "page_size": s}. */
void http_list(struct http_req *req, json_t *items, int64_t total, int64_t page, int64_t size);
/* The status for an error code: the one place it is decided. */
int http_status_of(enum err e);

/* --- i18n ------------------------------------------------------------- */
/* Message for key in lang; the key itself if unknown. */
const char *i18n_text(enum http_lang lang, const char *key);
enum http_lang i18n_pick(const char *accept_language, size_t len);
bool i18n_has(const char *key);

/* --- OpenAPI ---------------------------------------------------------- */
/* The OpenAPI 3.1 description of every route (new reference). */
json_t *http_openapi(const char *title, const char *version);

/* --- server ----------------------------------------------------------- */
/* Serves until SIGINT/SIGTERM. Returns 0 on a clean stop. */
int http_serve(const struct config *cfg, const struct http_hooks *hooks);

/* --- jobs ------------------------------------------------------------- */
/* Work to run on a worker thread. run() gets the worker's thread context
 * (hooks.thread_init) and must call http_job_progress now and then. */
struct http_job {
    int64_t id;
    void (*run)(struct http_job *job, void *thread_ctx);
    void (*destroy)(struct http_job *job); /* frees the job */
    void *arg;
};
/* Starts n workers with the hooks' thread contexts. */
void http_jobs_start(int n, const struct http_hooks *hooks);
/* Queues a job; the pool owns it from now on. */
void http_jobs_submit(struct http_job *job);
/* Waits for queued jobs to finish and stops the workers. */
void http_jobs_stop(void);

#endif
