/*
 * sniff.h - what an uploaded file really is, from its bytes (SEC-C7).
 *
 * The name and the declared type of an upload are not trusted: the
 * content decides. Known documents and images are accepted; executables,
 * scripts and anything unrecognised are refused. Pure: no I/O.
 */
#ifndef JL_LIB_SNIFF_H
#define JL_LIB_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

struct sniffed {
    const char *mime; /* "application/pdf", ... */
    const char *ext;  /* "pdf", ... (without the dot) */
};

/* Recognises p[0..n): PDF, PNG, JPEG, GIF, WebP, Word/Excel/PowerPoint
 * (OOXML), and UTF-8 plain text (no NUL or control characters but tab,
 * CR, LF; not a "#!" script). Returns true and fills *out, or false for
 * anything else (executables included). Never reads past n. */
bool sniff_type(const unsigned char *p, size_t n, struct sniffed *out);

#endif
