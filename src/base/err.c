/* err.c - names of error codes (see err.h). */
#include "base/err.h"

static const char *const names[ERR_COUNT_] = {
    [ERR_OK] = "ok",
    [ERR_INVALID] = "invalid",
    [ERR_NOT_FOUND] = "not_found",
    [ERR_CONFLICT] = "conflict",
    [ERR_UNAUTHORIZED] = "unauthorized",
    [ERR_FORBIDDEN] = "forbidden",
    [ERR_TOO_LARGE] = "too_large",
    [ERR_UNSUPPORTED] = "unsupported_media_type",
    [ERR_RATE_LIMITED] = "rate_limited",
    [ERR_LOCKED] = "locked",
    [ERR_BUSY] = "busy",
    [ERR_IO] = "io",
    [ERR_INTERNAL] = "internal",
};

const char *err_name(enum err e)
{
    if ((unsigned)e >= ERR_COUNT_)
        return "internal";
    return names[e];
}
