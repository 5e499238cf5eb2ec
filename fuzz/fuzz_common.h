/*
 * fuzz_common.h - what the libFuzzer harnesses share: the entry points'
 * prototypes (the project builds with -Wmissing-prototypes), a check that
 * stays on in every build type and aborts so libFuzzer keeps the input, and
 * a bare request's set-up and clean-up, done the way the server does it
 * (those need http/http.h included before this file).
 */
#ifndef JL_FUZZ_COMMON_H
#define JL_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant of the code under test; a failure is a finding. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#ifdef JL_HTTP_HTTP_H
#include <string.h>

/* From http/internal.h, which needs h2o.h. */
void http_render_error(struct http_req *req, enum err e);

static inline void fuzz_req_init(struct http_req *r)
{
    memset(r, 0, sizeof(*r));
    arena_init(&r->arena);
}

static inline void fuzz_req_cleanup(struct http_req *r)
{
    if (r->body)
        json_decref(r->body);
    if (r->err_fields)
        json_decref(r->err_fields);
    if (r->err_extra)
        json_decref(r->err_extra);
    if (r->json)
        json_decref(r->json);
    arena_cleanup(&r->arena);
}

/* Renders the error envelope as the server would and checks its shape. */
static inline void fuzz_render_error(struct http_req *r, enum err e)
{
    http_render_error(r, e);
    json_t *err = json_object_get(r->json, "error");
    FUZZ_CHECK(json_is_object(err));
    FUZZ_CHECK(json_is_string(json_object_get(err, "message")));
    FUZZ_CHECK(r->status >= 400 && r->status <= 599);
}
#endif

#endif
