/*
 * arena.h - a bump allocator freed in one go.
 *
 * Each request owns an arena; everything a handler allocates for the
 * request's lifetime comes from it and is released by arena_cleanup().
 */
#ifndef JL_BASE_ARENA_H
#define JL_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head;
    size_t total; /* bytes handed out, for accounting */
};

/* Prepares caller-owned storage; no allocation happens until first use. */
void arena_init(struct arena *a);
/* Frees every chunk; the arena may be reused after arena_init(). */
void arena_cleanup(struct arena *a);
/* Returns size bytes aligned for any type, owned by the arena. Never NULL. */
void *arena_alloc(struct arena *a, size_t size);
/* Zeroed variant of arena_alloc(). */
void *arena_zalloc(struct arena *a, size_t size);
/* Copies n bytes of s and a NUL into the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
