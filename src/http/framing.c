/* Request framing guard (SEC-C2, RFC 9112 section 6).
 *
 * libh2o 2.2.5 frames HTTP/1 requests itself and removes Content-Length
 * and Transfer-Encoding before a handler runs, so the handler cannot see a
 * request whose framing is ambiguous. h2o then takes Transfer-Encoding over
 * Content-Length, or the first of two Content-Lengths, and keeps the
 * connection open: a request hidden in the body would be answered.
 *
 * h2o parses every request head with picohttpparser's phr_parse_request(),
 * which libh2o-evloop.so exports and calls through its PLT. This file
 * defines the same symbol in the executable; the dynamic linker binds the
 * library's calls to it (ELF interposition), and it calls the library's own
 * parser, found with dlsym(RTLD_NEXT). A complete head whose framing is
 * ambiguous is reported as a parse error, upon which h2o answers 400 and
 * closes the connection, which is what RFC 9112 6.3 asks for. The rule
 * itself is http_framing_check(), a pure function that the unit tests and
 * the fuzzer call directly; tests/stress/test_abuse.py proves the whole
 * path against the running server, so a libh2o that stopped calling
 * through its PLT would fail there. */
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/log.h"
#include "http/internal.h"

typedef int (*parse_request_fn)(const char *buf, size_t len, const char **method,
                                size_t *method_len, const char **path, size_t *path_len,
                                int *minor_version, struct phr_header *headers,
                                size_t *num_headers, size_t last_len);

static _Atomic(parse_request_fn) real_parse;

static bool name_is(const struct phr_header *h, const char *lower, size_t n)
{
    if (h->name_len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = h->name[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lower[i])
            return false;
    }
    return true;
}

static bool value_is_chunked(const struct phr_header *h)
{
    static const char want[] = "chunked";
    if (h->value_len != sizeof(want) - 1)
        return false;
    for (size_t i = 0; i < h->value_len; i++) {
        char c = h->value[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != want[i])
            return false;
    }
    return true;
}

static bool value_is_length(const struct phr_header *h)
{
    if (h->value_len == 0 || h->value_len > 18)
        return false;
    for (size_t i = 0; i < h->value_len; i++)
        if (h->value[i] < '0' || h->value[i] > '9')
            return false;
    return true;
}

const char *http_framing_check(const struct phr_header *headers, size_t n)
{
    size_t lengths = 0, codings = 0;
    for (size_t i = 0; i < n; i++) {
        const struct phr_header *h = &headers[i];
        if (h->name == NULL)
            return "obsolete line folding";
        if (name_is(h, "content-length", 14)) {
            if (++lengths > 1)
                return "more than one Content-Length";
            if (!value_is_length(h))
                return "Content-Length is not a length";
        } else if (name_is(h, "transfer-encoding", 17)) {
            if (++codings > 1)
                return "more than one Transfer-Encoding";
            if (!value_is_chunked(h))
                return "Transfer-Encoding other than chunked";
        }
    }
    if (lengths && codings)
        return "both Content-Length and Transfer-Encoding";
    return NULL;
}

static parse_request_fn resolve(void)
{
    parse_request_fn f = atomic_load_explicit(&real_parse, memory_order_acquire);
    if (f == NULL) {
        void *p = dlsym(RTLD_NEXT, "phr_parse_request");
        if (p == NULL) {
            log_error("framing guard: the HTTP parser is not found: %s", dlerror());
            abort();
        }
        /* Converting the object pointer dlsym returns is how POSIX
         * defines its use for functions. */
        f = (parse_request_fn)(uintptr_t)p;
        atomic_store_explicit(&real_parse, f, memory_order_release);
    }
    return f;
}

void http_framing_init(void)
{
    (void)resolve();
}

int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len,
                      const char **path, size_t *path_len, int *minor_version,
                      struct phr_header *headers, size_t *num_headers, size_t last_len);

int phr_parse_request(const char *buf, size_t len, const char **method, size_t *method_len,
                      const char **path, size_t *path_len, int *minor_version,
                      struct phr_header *headers, size_t *num_headers, size_t last_len)
{
    int r = resolve()(buf, len, method, method_len, path, path_len, minor_version, headers,
                      num_headers, last_len);
    if (r > 0) {
        const char *why = http_framing_check(headers, *num_headers);
        if (why != NULL) {
            log_info("request refused: %s", why);
            return -1;
        }
    }
    return r;
}
