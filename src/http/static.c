/*
 * static.c - serves the built console (web/dist).
 *
 * Files are read from the web root only (no "..", no hidden files), with a
 * weak ETag from size and mtime, 304 on If-None-Match, and a pre-compressed
 * "<file>.gz" sent when the client accepts gzip. A path without a file
 * extension that names no file is a console route: index.html answers.
 */
#include "http/internal.h"
#include "base/str.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_STATIC_FILE (32 * 1024 * 1024)

struct mime {
    const char *ext, *type;
};

static const struct mime mimes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".webp", "image/webp"},
};

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot != NULL)
        for (size_t i = 0; i < sizeof(mimes) / sizeof(mimes[0]); i++)
            if (strcmp(dot, mimes[i].ext) == 0)
                return mimes[i].type;
    return "application/octet-stream";
}

static bool safe_path(const char *p, size_t n)
{
    if (n == 0 || p[0] != '/' || memchr(p, '\0', n) != NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '/' && i + 1 < n && p[i + 1] == '.')
            return false; /* "..", ".git", ".env" */
    return true;
}

static bool accepts_gzip(h2o_req_t *req)
{
    ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_ACCEPT_ENCODING, -1);
    if (i < 0)
        return false;
    h2o_iovec_t v = req->headers.entries[i].value;
    return memmem(v.base, v.len, "gzip", 4) != NULL;
}

/* Reads the regular file at full into the request's pool. */
static bool load(h2o_req_t *req, const char *full, struct stat *st, h2o_iovec_t *out)
{
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = false;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_size > MAX_STATIC_FILE)
        goto out;
    out->len = (size_t)st->st_size;
    out->base = h2o_mem_alloc_pool(&req->pool, out->len + 1);
    size_t got = 0;
    while (got < out->len) {
        ssize_t r = read(fd, out->base + got, out->len - got);
        if (r <= 0)
            goto out;
        got += (size_t)r;
    }
    ok = true;
out:
    close(fd);
    return ok;
}

static int send_file(h2o_req_t *req, const char *full, const char *rel)
{
    static h2o_generator_t generator = {NULL, NULL};
    char gz[1100];
    struct stat st;
    h2o_iovec_t body;
    bool gzipped = false;
    snprintf(gz, sizeof(gz), "%s.gz", full);
    if (accepts_gzip(req) && load(req, gz, &st, &body))
        gzipped = true;
    else if (!load(req, full, &st, &body))
        return 0;
    char etag[64];
    snprintf(etag, sizeof(etag), "W/\"%llx-%llx%s\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime, gzipped ? "-gz" : "");
    ssize_t inm = h2o_find_header(&req->headers, H2O_TOKEN_IF_NONE_MATCH, -1);
    bool fresh = inm >= 0 && req->headers.entries[inm].value.len == strlen(etag) &&
                 memcmp(req->headers.entries[inm].value.base, etag, strlen(etag)) == 0;
    req->res.status = fresh ? 304 : 200;
    req->res.reason = fresh ? "Not Modified" : "OK";
    req->res.content_length = fresh ? 0 : body.len;
    const char *type = mime_of(rel);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, type, strlen(type));
    h2o_iovec_t et = h2o_strdup(&req->pool, etag, SIZE_MAX);
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_ETAG, NULL, et.base, et.len);
    if (gzipped)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_ENCODING, NULL,
                       H2O_STRLIT("gzip"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_VARY, NULL,
                   H2O_STRLIT("Accept-Encoding"));
    bool immutable = strncmp(rel, "/assets/", 8) == 0;
    const char *cc = immutable ? "public, max-age=31536000, immutable" : "no-cache";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, cc, strlen(cc));
    http_add_security_headers(req, false);
    h2o_start_response(req, &generator);
    bool head = req->method.len == 4 && memcmp(req->method.base, "HEAD", 4) == 0;
    h2o_send(req, fresh || head ? NULL : &body, fresh || head ? 0 : 1, H2O_SEND_STATE_FINAL);
    return req->res.status;
}

int http_static_serve(h2o_req_t *req, const char *root, const char *path, size_t len)
{
    if (root == NULL || root[0] == '\0' || !safe_path(path, len) || len > 512)
        return 0;
    bool is_get = (req->method.len == 3 && memcmp(req->method.base, "GET", 3) == 0) ||
                  (req->method.len == 4 && memcmp(req->method.base, "HEAD", 4) == 0);
    if (!is_get)
        return 0;
    char rel[600], full[1100];
    snprintf(rel, sizeof(rel), "%.*s", (int)len, path);
    if (strcmp(rel, "/") == 0)
        snprintf(rel, sizeof(rel), "/index.html");
    snprintf(full, sizeof(full), "%s%s", root, rel);
    int status = send_file(req, full, rel);
    if (status != 0)
        return status;
    const char *last = strrchr(rel, '/');
    if (last != NULL && strchr(last, '.') != NULL)
        return 0; /* a missing asset is a 404, not the console */
    snprintf(full, sizeof(full), "%s/index.html", root);
    return send_file(req, full, "/index.html");
}

int http_static_page(h2o_req_t *req, const char *root, const char *head_extra)
{
    static h2o_generator_t generator = {NULL, NULL};
    char full[1100];
    struct stat st;
    h2o_iovec_t page;
    if (root == NULL || root[0] == '\0')
        return 0;
    snprintf(full, sizeof(full), "%s/index.html", root);
    if (!load(req, full, &st, &page))
        return 0;
    const char *end = memmem(page.base, page.len, "</head>", 7);
    if (end == NULL)
        return 0;
    size_t before = (size_t)(end - page.base), extra = strlen(head_extra);
    h2o_iovec_t body = h2o_iovec_init(h2o_mem_alloc_pool(&req->pool, page.len + extra),
                                      page.len + extra);
    memcpy(body.base, page.base, before);
    memcpy(body.base + before, head_extra, extra);
    memcpy(body.base + before + extra, end, page.len - before);
    req->res.status = 200;
    req->res.reason = "OK";
    req->res.content_length = body.len;
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("text/html; charset=utf-8"));
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL,
                   H2O_STRLIT("no-cache"));
    http_add_security_headers(req, false);
    h2o_start_response(req, &generator);
    h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
    return 200;
}
