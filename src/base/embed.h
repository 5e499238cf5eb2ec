/* embed.h - files compiled into the binary by tools/embed.c. */
#ifndef JL_BASE_EMBED_H
#define JL_BASE_EMBED_H

#include <stddef.h>

struct embedded_file {
    const char *name; /* base name, e.g. "0001_init.sql"; NULL ends a list */
    const char *data; /* NUL-terminated contents */
    size_t len;
};

#endif
