/*
 * fts_query.c - the text a person types as an FTS5 query (text.h).
 *
 * Terms are split at spaces (U+3000 too), tabs and line breaks; quotes
 * split too and are dropped, so nothing typed is ever FTS5 syntax: every
 * term is a quoted string. All terms must match, each by prefix: people
 * search as they type, and a name's pinyin key (xinmiaojingmi...) is one
 * word that "xinmiao" only begins.
 */
#include "lib/text/text.h"
#include "base/alloc.h"

#include <stdio.h>
#include <string.h>

/* The length of the separator at typed[i] (a space, tab, line break,
 * double quote or the ideographic space U+3000 of Chinese input methods),
 * or 0. */
static size_t separator(const char *typed, size_t n, size_t i)
{
    char c = typed[i];
    if (c == ' ' || c == '\t' || c == '"' || c == '\r' || c == '\n')
        return 1;
    return n - i >= 3 && memcmp(typed + i, "\xe3\x80\x80", 3) == 0 ? 3 : 0;
}

size_t text_query_terms(const char *typed, size_t n, const char **terms, size_t *lens)
{
    size_t k = 0;
    for (size_t i = 0, sep; i < n && k < TEXT_MAX_TERMS;) {
        while (i < n && (sep = separator(typed, n, i)) > 0)
            i += sep;
        size_t start = i;
        while (i < n && separator(typed, n, i) == 0)
            i++;
        if (i > start) {
            terms[k] = typed + start;
            lens[k++] = i - start;
        }
    }
    return k;
}

char *text_fts_query(const char *typed, size_t n, const char *cols)
{
    const char *terms[TEXT_MAX_TERMS];
    size_t lens[TEXT_MAX_TERMS];
    size_t k = text_query_terms(typed, n, terms, lens);
    if (k == 0)
        return NULL;
    size_t cap = strlen(cols) + n + 4 * TEXT_MAX_TERMS + 1;
    char *out = xmalloc(cap), *p = out;
    p += snprintf(p, cap, "%s", cols);
    for (size_t t = 0; t < k; t++)
        p += snprintf(p, cap - (size_t)(p - out), "%s\"%.*s\"*", t ? " " : "", (int)lens[t],
                      terms[t]);
    return out;
}
