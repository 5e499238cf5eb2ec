/*
 * fts_query.c - the text a person types as an FTS5 query (text.h).
 *
 * Terms are split at spaces and tabs (quotes split too and are dropped,
 * so nothing typed is ever FTS5 syntax: every term is a quoted string);
 * all terms must match; the last one, and any single Han character, match
 * by prefix, since people search as they type.
 */
#include "lib/text/text.h"
#include "base/alloc.h"

#include <stdio.h>
#include <string.h>

#define MAX_TERMS 8

static bool separator(char c)
{
    return c == ' ' || c == '\t' || c == '"' || c == '\r' || c == '\n';
}

char *text_fts_query(const char *typed, size_t n, const char *cols)
{
    const char *terms[MAX_TERMS];
    size_t lens[MAX_TERMS];
    int k = 0;
    for (size_t i = 0; i < n && k < MAX_TERMS;) {
        while (i < n && separator(typed[i]))
            i++;
        size_t start = i;
        while (i < n && !separator(typed[i]))
            i++;
        if (i > start) {
            terms[k] = typed + start;
            lens[k++] = i - start;
        }
    }
    if (k == 0)
        return NULL;
    size_t cap = strlen(cols) + n + 4 * MAX_TERMS + 1;
    char *out = xmalloc(cap), *p = out;
    p += snprintf(p, cap, "%s", cols);
    for (int t = 0; t < k; t++) {
        size_t j = 0;
        uint32_t first = text_next(terms[t], lens[t], &j);
        bool prefix = t == k - 1 || (text_is_han(first) && j == lens[t]);
        p += snprintf(p, cap - (size_t)(p - out), "%s\"%.*s\"%s", t ? " " : "", (int)lens[t],
                      terms[t], prefix ? "*" : "");
    }
    return out;
}
