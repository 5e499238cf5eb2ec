/*
 * alloc.h - allocation wrappers that never return NULL.
 *
 * Out of memory is not a condition the program can recover from in a useful
 * way, so every wrapper aborts with a message instead (Redis zmalloc style).
 * Memory from these functions is released with free().
 */
#ifndef JL_BASE_ALLOC_H
#define JL_BASE_ALLOC_H

#include <stddef.h>

/* Returns size bytes of uninitialised memory (at least 1 byte). */
void *xmalloc(size_t size);
/* Returns n * size zeroed bytes; aborts on overflow. */
void *xcalloc(size_t n, size_t size);
/* Resizes p (may be NULL) to size bytes. */
void *xrealloc(void *p, size_t size);
/* Returns a heap copy of the NUL-terminated s. */
char *xstrdup(const char *s);
/* Returns a heap copy of the first n bytes of s, NUL-terminated. */
char *xstrndup(const char *s, size_t n);
/* Prints msg and aborts. */
_Noreturn void die_oom(size_t size);

#endif
