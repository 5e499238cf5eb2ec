/*
 * err.h - the error codes every layer returns.
 *
 * Codes travel upward unchanged; the HTTP layer turns them into statuses in
 * exactly one place (http/response.c), the CLI into exit codes in cli/cli.c.
 */
#ifndef JL_BASE_ERR_H
#define JL_BASE_ERR_H

enum err {
    ERR_OK = 0,
    ERR_INVALID,      /* bad input; fields carry the details */
    ERR_NOT_FOUND,    /* no such object, or not visible to the caller */
    ERR_CONFLICT,     /* unique constraint or state conflict */
    ERR_UNAUTHORIZED, /* no valid session */
    ERR_FORBIDDEN,    /* session lacks the permission */
    ERR_TOO_LARGE,    /* body or field over its bound */
    ERR_UNSUPPORTED,  /* unsupported media type */
    ERR_RATE_LIMITED, /* throttled; retry later */
    ERR_LOCKED,       /* account locked */
    ERR_BUSY,         /* database busy after retries */
    ERR_IO,           /* file or network error */
    ERR_INTERNAL,     /* a bug or an unexpected failure */
    ERR_COUNT_
};

/* Stable machine-readable name, e.g. "not_found". */
const char *err_name(enum err e);

#endif
