/* internal.h - h2o-aware pieces shared inside the http layer only. */
#ifndef JL_HTTP_INTERNAL_H
#define JL_HTTP_INTERNAL_H

#include "http/http.h"

#include <h2o.h>

/* Serves a file of the built console for path (or index.html for an
 * unknown non-file path). Returns the status sent, 0 when nothing fit. */
int http_static_serve(h2o_req_t *req, const char *root, const char *path, size_t len);
/* Serves the console's index.html with extra (trusted) HTML inserted
 * before </head>. Returns the status sent, 0 when there is no page. */
int http_static_page(h2o_req_t *req, const char *root, const char *head_extra);
/* Adds the security headers every response carries (SEC-C5). */
void http_add_security_headers(h2o_req_t *req, bool api);
/* Builds the error envelope of e into req->json. */
void http_render_error(struct http_req *req, enum err e);

/* Counts the connection of sock's address: returns its slot (release it
 * when the connection closes), CONN_REFUSED when that address already has
 * max open, or CONN_UNCOUNTED (trusted proxy, unknown address). */
#define CONN_REFUSED (-1)
#define CONN_UNCOUNTED (-2)
int http_connlimit_acquire(h2o_socket_t *sock, int max, const char *trusted_proxy);
void http_connlimit_release(int slot);

/* picohttpparser's header record, as libh2o passes it (framing.c). */
struct phr_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};
/* Why a request head's framing is ambiguous (RFC 9112 6.3: both
 * Content-Length and Transfer-Encoding, either one twice, a length that is
 * not digits, a coding other than chunked, obsolete line folding), or NULL
 * when it is clear. */
const char *http_framing_check(const struct phr_header *headers, size_t n);
/* Binds the framing guard to libh2o's parser; call before serving. */
void http_framing_init(void);

#endif
