/*
 * server.c - the HTTP/1.1 server on libh2o's evloop.
 *
 * One event loop per thread, each with its own SO_REUSEPORT listener, so
 * the kernel spreads connections and no lock sits on the request path.
 * A request to /api/ goes: route lookup -> authenticate -> permission ->
 * CSRF/Origin -> body checks -> hooks.invoke (transaction + handler) ->
 * response with security headers -> access log line. Anything else is a
 * file of the built console. HTTP/2 stays off (see docs/operations.md).
 */
#include "http/internal.h"
#include "base/alloc.h"
#include "base/log.h"
#include "base/str.h"
#include "base/time.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct server_handler {
    h2o_handler_t super;
};

struct thread {
    pthread_t tid;
    int index;
    int fd;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    void *app_ctx;
    int open; /* connections being served by this thread */
};

static h2o_globalconf_t globalconf;
static const struct config *cfg;
static const struct http_hooks *hooks;
static atomic_int stopping;
static _Thread_local struct thread *this_thread;
static _Thread_local uint64_t request_counter;

static void on_signal(int sig)
{
    (void)sig;
    atomic_store(&stopping, 1);
}

static h2o_iovec_t header_value(h2o_req_t *req, const char *name, size_t len)
{
    ssize_t i = h2o_find_header_by_str(&req->headers, name, len, -1);
    if (i < 0)
        return h2o_iovec_init(NULL, 0);
    return req->headers.entries[i].value;
}

static const char *header_cstr(struct http_req *r, h2o_req_t *req, const char *name)
{
    h2o_iovec_t v = header_value(req, name, strlen(name));
    return v.base ? arena_strndup(&r->arena, v.base, v.len) : NULL;
}

static void peer_address(struct http_req *r, h2o_req_t *req)
{
    struct sockaddr_storage ss;
    socklen_t sl = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    r->ip[0] = '\0';
    if (sl > 0)
        getnameinfo((struct sockaddr *)&ss, sl, r->ip, sizeof(r->ip), NULL, 0, NI_NUMERICHOST);
    if (cfg->trusted_proxy[0] == '\0' || strcmp(r->ip, cfg->trusted_proxy) != 0)
        return;
    /* Only the trusted proxy may tell us the client's address and scheme:
     * the last X-Forwarded-For entry is the one it added. */
    h2o_iovec_t xff = header_value(req, H2O_STRLIT("x-forwarded-for"));
    if (xff.base != NULL) {
        size_t start = xff.len;
        while (start > 0 && xff.base[start - 1] != ',')
            start--;
        while (start < xff.len && xff.base[start] == ' ')
            start++;
        size_t n = xff.len - start;
        if (n > 0 && n < sizeof(r->ip)) {
            memcpy(r->ip, xff.base + start, n);
            r->ip[n] = '\0';
        }
    }
    h2o_iovec_t proto = header_value(req, H2O_STRLIT("x-forwarded-proto"));
    r->secure = proto.base != NULL && str_ieq(proto.base, proto.len, "https");
}

static bool parse_method(h2o_iovec_t m, enum http_method *out)
{
    static const char *const names[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    for (int i = 0; i < HTTP_METHOD_COUNT_; i++) {
        if (m.len == strlen(names[i]) && memcmp(m.base, names[i], m.len) == 0) {
            *out = (enum http_method)i;
            return true;
        }
    }
    if (m.len == 4 && memcmp(m.base, "HEAD", 4) == 0) {
        *out = HTTP_GET;
        return true;
    }
    return false;
}

static void add_header(h2o_req_t *req, const char *name, const char *value)
{
    size_t vlen = strlen(value);
    char *v = h2o_mem_alloc_pool(&req->pool, vlen + 1);
    memcpy(v, value, vlen + 1);
    h2o_add_header_by_str(&req->pool, &req->res.headers, name, strlen(name), 0, NULL, v, vlen);
}

/* Content-Disposition: attachment, with an ASCII fallback name (anything
 * but letters, digits, '.', '-' and '_' becomes '_') and the real name
 * percent-encoded in UTF-8 (RFC 6266, RFC 8187). Nothing of the name
 * reaches the header unencoded. */
static void add_disposition(h2o_req_t *req, const char *name)
{
    char ascii[128], utf8[1300], cd[1500];
    size_t a = 0, u = 0, n = strlen(name);
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-' || c == '_';
        if (a + 1 < sizeof(ascii) && (c < 0x80 || (c & 0xc0) == 0xc0))
            ascii[a++] = plain ? (char)c : '_';
        if (u + 3 < sizeof(utf8)) {
            if (plain) {
                utf8[u++] = (char)c;
            } else {
                utf8[u++] = '%';
                utf8[u++] = hex[c >> 4];
                utf8[u++] = hex[c & 15];
            }
        }
    }
    ascii[a] = utf8[u] = '\0';
    snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, utf8);
    add_header(req, "content-disposition", cd);
}

void http_add_security_headers(h2o_req_t *req, bool api)
{
    static const char csp[] = "default-src 'self'; script-src 'self'; style-src 'self' "
                              "'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
                              "connect-src 'self'; object-src 'none'; base-uri 'self'; "
                              "form-action 'self'; frame-ancestors 'none'";
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"), 0,
                          NULL, H2O_STRLIT("nosniff"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-frame-options"), 0, NULL,
                          H2O_STRLIT("DENY"));
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0,
                          NULL, csp, sizeof(csp) - 1);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("referrer-policy"), 0, NULL,
                          H2O_STRLIT("strict-origin-when-cross-origin"));
    (void)api;
}

static const char *reason_of(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "OK";
    }
}

static void send_response(h2o_req_t *req, struct http_req *r)
{
    static h2o_generator_t generator = {NULL, NULL};
    const char *type = "application/json; charset=utf-8";
    h2o_iovec_t body = {NULL, 0};
    if (r->json != NULL) {
        char *s = json_dumps(r->json, JSON_COMPACT);
        size_t n = s ? strlen(s) : 0;
        body.base = h2o_mem_alloc_pool(&req->pool, n + 1);
        memcpy(body.base, s ? s : "", n);
        body.len = n;
        free(s);
    } else if (r->out != NULL) {
        body = h2o_strdup(&req->pool, r->out, r->out_len);
        type = r->out_type ? r->out_type : "application/octet-stream";
    }
    req->res.status = r->status ? r->status : 200;
    req->res.reason = reason_of(req->res.status);
    req->res.content_length = body.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, strlen(type));
    http_add_security_headers(req, true);
    add_header(req, "x-request-id", r->request_id);
    add_header(req, "cache-control", "no-store");
    if (r->set_cookie)
        add_header(req, "set-cookie", r->set_cookie);
    if (r->out_filename)
        add_disposition(req, r->out_filename);
    if (r->status == 405 && r->path != NULL) {
        unsigned mask = http_route_allowed(r->path, strlen(r->path));
        char allow[64] = "";
        for (int m = 0; m < HTTP_METHOD_COUNT_; m++)
            if (mask & (1u << m))
                snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%s%s",
                         allow[0] ? ", " : "", http_method_name((enum http_method)m));
        add_header(req, "allow", allow);
    }
    if (r->retry_after > 0) {
        char ra[32];
        snprintf(ra, sizeof(ra), "%d", r->retry_after);
        add_header(req, "retry-after", ra);
    }
    h2o_start_response(req, &generator);
    bool head = req->method.len == 4 && memcmp(req->method.base, "HEAD", 4) == 0;
    h2o_send(req, head ? NULL : &body, head ? 0 : 1, H2O_SEND_STATE_FINAL);
}

static void access_log(struct http_req *r, h2o_req_t *req, int64_t t0)
{
    if (!cfg->log_requests)
        return;
    char path[256], line[512], ts[32];
    h2o_iovec_t p = req->path_normalized;
    log_escape(p.base, p.len < 200 ? p.len : 200, path, sizeof(path));
    time_iso8601(time_now_ms(), ts, sizeof(ts));
    int n = snprintf(line, sizeof(line), "%s access %s %.*s %s %d %lldms user=%lld rid=%s\n", ts,
                     r->ip, (int)req->method.len, req->method.base, path, req->res.status,
                     (long long)(time_mono_ms() - t0), (long long)r->who.user_id, r->request_id);
    if (n > 0) {
        ssize_t w = write(2, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
        (void)w;
    }
}

static bool same_origin(struct http_req *r, h2o_req_t *req)
{
    h2o_iovec_t origin = header_value(req, H2O_STRLIT("origin"));
    if (origin.base == NULL)
        return true; /* not a browser cross-origin request */
    const char *sep = memmem(origin.base, origin.len, "://", 3);
    if (sep == NULL)
        return false;
    size_t off = (size_t)(sep + 3 - origin.base);
    h2o_iovec_t host = req->authority;
    return origin.len - off == host.len && memcmp(origin.base + off, host.base, host.len) == 0;
}

/* Decides whether the caller may run the route; fills the refusal. */
static enum err gate(struct http_req *r, h2o_req_t *req, const char *auth_note)
{
    const char *perm = r->route->perm;
    bool unsafe = r->method != HTTP_GET;
    if (unsafe && !same_origin(r, req))
        return http_fail(r, ERR_FORBIDDEN, "origin_mismatch");
    if (strcmp(perm, PERM_PUBLIC) != 0) {
        if (r->who.role == NULL)
            return http_fail(r, ERR_UNAUTHORIZED, auth_note ? auth_note : "unauthorized");
        if (strcmp(perm, PERM_SESSION) != 0 && !hooks->permits(r->who.role, perm))
            return http_fail(r, ERR_FORBIDDEN, "forbidden");
    }
    /* A signed-in caller's writes must carry the session's CSRF token. */
    if (unsafe && r->who.role != NULL) {
        size_t n = r->who.csrf ? strlen(r->who.csrf) : 0;
        if (n == 0 || r->csrf_header == NULL || strlen(r->csrf_header) != n ||
            sodium_memcmp(r->csrf_header, r->who.csrf, n) != 0)
            return http_fail(r, ERR_FORBIDDEN, "csrf_failed");
    }
    return ERR_OK;
}

static bool content_type_is(h2o_req_t *req, const char *want)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (i < 0)
        return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    size_t n = 0;
    while (n < v.len && v.base[n] != ';' && v.base[n] != ' ')
        n++;
    return str_ieq(v.base, n, want);
}

static enum err read_body(struct http_req *r, h2o_req_t *req)
{
    if (r->method == HTTP_GET || r->method == HTTP_DELETE)
        return ERR_OK;
    if (req->entity.base == NULL || req->entity.len == 0) {
        if (r->route->body == NULL && r->route->body_type == NULL)
            return ERR_OK;
        /* No body where every listed field is optional: an empty object. */
        bool optional = r->route->body != NULL && r->route->body_type == NULL;
        for (const struct http_field *f = r->route->body; optional && f->name; f++)
            optional = !f->required;
        if (!optional)
            return http_fail(r, ERR_INVALID, "bad_json");
        r->body = json_object();
        return ERR_OK;
    }
    size_t max = r->route->max_body ? r->route->max_body : HTTP_MAX_BODY;
    if (req->entity.len > max || req->entity.len > HTTP_H2O_MAX_BODY)
        return http_fail(r, ERR_TOO_LARGE, "too_large");
    const char *want = r->route->body_type ? r->route->body_type : "application/json";
    if (!content_type_is(req, want))
        return http_fail(r, ERR_UNSUPPORTED, "unsupported_media_type");
    r->raw_body = req->entity.base;
    r->raw_body_len = req->entity.len;
    if (r->route->body_type != NULL)
        return ERR_OK;
    enum err e;
    r->body = http_json_parse(req->entity.base, req->entity.len, &e);
    if (r->body == NULL)
        return http_fail(r, e, e == ERR_TOO_LARGE ? "too_large" : "bad_json");
    /* A route without listed fields accepts none (SEC-B4). */
    static const struct http_field no_fields[] = {{0}};
    return http_body_check(r, r->route->body ? r->route->body : no_fields, r->method == HTTP_PATCH);
}

/* A portal page with tags of its own in the head (hooks->page_meta);
 * 0 when the path has none. */
static int portal_page(h2o_req_t *req, struct http_req *r, h2o_iovec_t path)
{
    if (hooks->page_meta == NULL || path.len > 200 ||
        !(req->method.len == 3 && memcmp(req->method.base, "GET", 3) == 0))
        return 0;
    char *p = arena_strndup(&r->arena, path.base, path.len);
    char *meta = hooks->page_meta(r, p);
    int status = meta ? http_static_page(req, cfg->web_root, meta) : 0;
    free(meta);
    return status;
}

static void make_request_id(struct http_req *r)
{
    snprintf(r->request_id, sizeof(r->request_id), "%02x%06x%08llx", this_thread->index & 0xff,
             randombytes_uniform(0xffffff), (unsigned long long)++request_counter);
}

static void handle_api(h2o_req_t *req, struct http_req *r, size_t path_len)
{
    enum err e = ERR_OK;
    int status = 0;
    if (!parse_method(req->method, &r->method)) {
        status = 405;
        goto fail_status;
    }
    r->route = http_route_find(r->method, r->path, path_len, r->params, &status);
    if (r->route == NULL)
        goto fail_status;
    if (req->query_at != SIZE_MAX && !http_query_parse(r, req->path.base + req->query_at + 1,
                                                       req->path.len - req->query_at - 1)) {
        e = http_fail(r, ERR_INVALID, "bad_query");
        goto fail;
    }
    hooks->authenticate(r);
    const char *auth_note = r->err_key; /* e.g. "session_expired" */
    r->err_key = NULL;
    e = gate(r, req, auth_note);
    if (e != ERR_OK) {
        hooks->denied(r, e);
        goto fail;
    }
    e = read_body(r, req);
    if (e == ERR_OK && r->route->query != NULL)
        e = http_query_check(r, r->route->query);
    if (e != ERR_OK)
        goto fail;
    e = hooks->invoke(r);
    if (e != ERR_OK)
        goto fail;
    send_response(req, r);
    return;
fail_status:
    e = status == 405 ? ERR_INVALID : ERR_NOT_FOUND;
    r->err_key = status == 405 ? "method_not_allowed" : "not_found";
fail:
    http_render_error(r, e);
    if (status == 405)
        r->status = 405;
    send_response(req, r);
}

/* Bytes of the request line and headers; h2o itself allows far more. */
static size_t header_bytes(h2o_req_t *req)
{
    size_t n = req->path.len + req->method.len;
    for (size_t i = 0; i < req->headers.size; i++)
        n += req->headers.entries[i].name->len + req->headers.entries[i].value.len + 4;
    return n;
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    int64_t t0 = time_mono_ms();
    struct http_req r;
    memset(&r, 0, sizeof(r));
    arena_init(&r.arena);
    r.thread_ctx = this_thread->app_ctx;
    make_request_id(&r);
    peer_address(&r, req);
    h2o_iovec_t al = header_value(req, H2O_STRLIT("accept-language"));
    r.lang = i18n_pick(al.base ? al.base : "", al.len);
    h2o_iovec_t path = req->path_normalized;
    if (header_bytes(req) > HTTP_MAX_HEADER_BYTES) {
        r.err_key = "headers_too_large";
        http_render_error(&r, ERR_TOO_LARGE);
        r.status = 431;
        send_response(req, &r);
    } else if (path.len >= 5 && memcmp(path.base, "/api/", 5) == 0) {
        r.path = arena_strndup(&r.arena, path.base, path.len);
        r.cookie_header = header_cstr(&r, req, "cookie");
        r.csrf_header = header_cstr(&r, req, "x-csrf-token");
        r.user_agent = header_cstr(&r, req, "user-agent");
        handle_api(req, &r, path.len);
    } else if (portal_page(req, &r, path) == 0 &&
               http_static_serve(req, cfg->web_root, path.base, path.len) == 0) {
        r.err_key = "not_found";
        http_render_error(&r, ERR_NOT_FOUND);
        send_response(req, &r);
    }
    access_log(&r, req, t0);
    if (r.json)
        json_decref(r.json);
    if (r.body)
        json_decref(r.body);
    if (r.err_fields)
        json_decref(r.err_fields);
    if (r.err_extra)
        json_decref(r.err_extra);
    arena_cleanup(&r.arena);
    return 0;
}

/* A connection being served: its thread (for the drain at shutdown) and
 * its place in the per-address count. */
struct open_conn {
    struct thread *thread;
    int slot;
};

static void on_conn_close(void *data)
{
    struct open_conn *c = data;
    c->thread->open--;
    http_connlimit_release(c->slot);
    free(c);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    if (err != NULL)
        return;
    struct thread *t = listener->data;
    h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
    if (sock == NULL)
        return;
    int slot = http_connlimit_acquire(sock, cfg->max_conn_per_addr, cfg->trusted_proxy);
    if (slot == CONN_REFUSED) {
        h2o_socket_close(sock);
        return;
    }
    struct open_conn *c = xmalloc(sizeof(*c));
    c->thread = t;
    c->slot = slot;
    t->open++;
    sock->on_close.cb = on_conn_close;
    sock->on_close.data = c;
    h2o_accept(&t->accept_ctx, sock);
}

static int open_listener(const struct addrinfo *ai)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0)
        return -1;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Closes the thread's connections before the context goes away: answers in
 * flight finish (with Connection: close), and connections waiting for a
 * request, idle keep-alive ones included, time out at once. */
static void drain(struct thread *t, h2o_evloop_t *loop)
{
    /* Not h2o_context_request_shutdown(): its HTTP/2 part arms a timer on
     * the one-second timeout that would still be linked at dispose. */
    t->ctx.shutdown_requested = 1;
    t->ctx.http1.req_timeout.timeout = 0;
    int64_t deadline = time_mono_ms() + 3000;
    while (t->open > 0 && time_mono_ms() < deadline)
        h2o_evloop_run(loop, 10);
    h2o_evloop_run(loop, 0);
}

/* An event loop's thread ends its life parked, not exited: libh2o 2.2.5
 * keeps thread-local caches (memory-pool and socket-buffer recycle lists)
 * and per-context objects it has no call to release, so the loop and its
 * context live until the process ends. The main thread waits until every
 * loop has drained its connections and closed its database. */
static pthread_mutex_t park_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cv = PTHREAD_COND_INITIALIZER;
static int parked;

static _Noreturn void park(void)
{
    pthread_mutex_lock(&park_mu);
    parked++;
    pthread_cond_broadcast(&park_cv);
    for (;;)
        pthread_cond_wait(&park_cv, &park_mu);
}

static void wait_parked(int n)
{
    pthread_mutex_lock(&park_mu);
    while (parked < n)
        pthread_cond_wait(&park_cv, &park_mu);
    pthread_mutex_unlock(&park_mu);
}

static void *thread_main(void *arg)
{
    struct thread *t = arg;
    this_thread = t;
    t->app_ctx = hooks->thread_init();
    h2o_evloop_t *loop = h2o_evloop_create();
    h2o_context_init(&t->ctx, loop, &globalconf);
    t->accept_ctx.ctx = &t->ctx;
    t->accept_ctx.hosts = globalconf.hosts;
    h2o_socket_t *sock = h2o_evloop_socket_create(loop, t->fd, H2O_SOCKET_FLAG_DONT_READ);
    sock->data = t;
    h2o_socket_read_start(sock, on_accept);
    while (!atomic_load(&stopping))
        h2o_evloop_run(loop, 200);
    h2o_socket_read_stop(sock);
    h2o_socket_close(sock);
    drain(t, loop);
    hooks->thread_cleanup(t->app_ctx);
    park();
    return NULL;
}

static bool resolve(const char *listen_spec, struct addrinfo **out)
{
    char host[128];
    const char *colon = strrchr(listen_spec, ':');
    if (colon == NULL || (size_t)(colon - listen_spec) >= sizeof(host))
        return false;
    memcpy(host, listen_spec, (size_t)(colon - listen_spec));
    host[colon - listen_spec] = '\0';
    char *h = host;
    if (h[0] == '[') { /* [::1]:8080 */
        h++;
        h[strlen(h) - 1] = '\0';
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    return getaddrinfo(h[0] ? h : NULL, colon + 1, &hints, out) == 0;
}

int http_serve(const struct config *c, const struct http_hooks *h)
{
    cfg = c;
    hooks = h;
    if (sodium_init() < 0 || !http_routes_check())
        return 1;
    http_framing_init();
    struct addrinfo *ai = NULL;
    if (!resolve(c->listen, &ai)) {
        log_error("server: cannot resolve listen address %s", c->listen);
        return 1;
    }
    h2o_config_init(&globalconf);
    /* h2o answers bodies over its own limit itself, without our headers and
     * envelope; it gets more room so that read_body() answers 413 for
     * anything between HTTP_MAX_BODY and this. */
    globalconf.max_request_entity_size = HTTP_H2O_MAX_BODY;
    globalconf.http1.req_timeout = (uint64_t)c->req_timeout_ms;
    globalconf.http1.upgrade_to_http2 = 0;
    globalconf.server_name = h2o_iovec_init(H2O_STRLIT("jilian"));
    h2o_hostconf_t *host =
        h2o_config_register_host(&globalconf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *pc = h2o_config_register_path(host, "/", 0);
    struct server_handler *sh = (void *)h2o_create_handler(pc, sizeof(*sh));
    sh->super.on_req = on_req;

    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int n = c->threads > 0 ? c->threads : (int)(ncpu > 0 ? ncpu : 1);
    struct thread *threads = calloc((size_t)n, sizeof(*threads));
    int rc = 0;
    for (int i = 0; i < n; i++) {
        threads[i].index = i;
        threads[i].fd = open_listener(ai);
        if (threads[i].fd < 0) {
            log_error("server: cannot listen on %s: %s", c->listen, strerror(errno));
            n = i;
            rc = 1;
            break;
        }
    }
    freeaddrinfo(ai);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (rc == 0) {
        log_info("jilian listening on http://%s (%d threads)", c->listen, n);
        for (int i = 0; i < n; i++)
            pthread_create(&threads[i].tid, NULL, thread_main, &threads[i]);
        wait_parked(n); /* the threads (and their memory) live until exit */
        log_info("jilian stopped");
        return 0;
    }
    for (int i = 0; i < n; i++)
        close(threads[i].fd);
    free(threads);
    return rc;
}
