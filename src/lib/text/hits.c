/*
 * hits.c - the bytes of a text that typed terms match (text.h), so that
 * search results are highlighted exactly where the index matched them.
 *
 * FTS5's own highlight() and snippet() assume that the tokens of a phrase
 * instance do not overlap the next instance's in the text; the bigrams of
 * this tokenizer do (鑫淼 and 淼精 share 淼), and two such instances made
 * highlight() repeat the text between them. Marking bytes in a mask has
 * no such case: overlaps are a union.
 */
#include "lib/text/text.h"
#include "base/alloc.h"

#include <stdlib.h>
#include <string.h>

struct tok {
    size_t start, end; /* source bytes */
    size_t off, len;   /* folded bytes in the list's buffer */
};

struct toks {
    struct tok *v;
    size_t n, cap;
    char *bytes;
    size_t used, room;
};

static int collect(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct toks *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    if (l->used + len > l->room) {
        l->room = 2 * (l->used + len) + 256;
        l->bytes = xrealloc(l->bytes, l->room);
    }
    memcpy(l->bytes + l->used, tok, len);
    l->v[l->n++] = (struct tok){start, end, l->used, len};
    l->used += len;
    return 0;
}

static void toks_free(struct toks *l)
{
    free(l->v);
    free(l->bytes);
}

/* Whether document token d matches query token q (by prefix when last). */
static bool token_matches(const struct toks *doc, const struct tok *d, const struct toks *query,
                          const struct tok *q, bool last)
{
    if (last ? d->len < q->len : d->len != q->len)
        return false;
    return memcmp(doc->bytes + d->off, query->bytes + q->off, q->len) == 0;
}

size_t text_mark_hits(const char *s, size_t n, const char *const *terms, const size_t *lens,
                      size_t nterms, unsigned char *mark)
{
    struct toks doc = {0};
    text_tokenize(s, n, collect, &doc);
    size_t found = 0;
    for (size_t t = 0; t < nterms; t++) {
        struct toks q = {0};
        text_tokenize_query(terms[t], lens[t], collect, &q);
        size_t one = 0;
        uint32_t first = lens[t] > 0 ? text_next(terms[t], lens[t], &one) : 0;
        bool one_han = text_is_han(first) && one == lens[t];
        for (size_t i = 0; q.n > 0 && i + q.n <= doc.n; i++) {
            size_t j = 0;
            while (j < q.n && token_matches(&doc, &doc.v[i + j], &q, &q.v[j], j + 1 == q.n))
                j++;
            if (j < q.n)
                continue;
            size_t a = doc.v[i].start, b = doc.v[i + q.n - 1].end;
            if (one_han) { /* the character itself, not the bigram it begins */
                b = a;
                text_next(s, n, &b);
            }
            memset(mark + a, 1, b - a);
            found++;
        }
        toks_free(&q);
    }
    toks_free(&doc);
    return found;
}
