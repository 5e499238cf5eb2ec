/*
 * buf.h - a growable byte buffer with an upper bound (curl dynbuf style).
 *
 * Appends fail (return false) rather than grow past max; the contents are
 * always NUL-terminated so they can be used as a C string.
 */
#ifndef JL_BASE_BUF_H
#define JL_BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data; /* heap, owned; NULL until the first append */
    size_t len, cap, max;
};

/* Prepares an empty buffer that may hold at most max bytes. */
void buf_init(struct buf *b, size_t max);
/* Frees the storage; the buffer is empty and reusable afterwards. */
void buf_cleanup(struct buf *b);
/* Empties without freeing. */
void buf_reset(struct buf *b);
bool buf_append(struct buf *b, const void *p, size_t n);
bool buf_puts(struct buf *b, const char *s);
bool buf_putc(struct buf *b, char c);
bool buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the NUL-terminated contents ("" when empty); owned by b. */
const char *buf_str(const struct buf *b);
/* Hands the heap storage to the caller (free() it) and empties b. */
char *buf_steal(struct buf *b, size_t *len);

#endif
