/*
 * fuzz_tokenize.c - the search text functions of src/lib/text/text.h on
 * any bytes (libFuzzer's buffer is exactly `size` bytes, so a read past it
 * is an ASan report):
 *  - text_fold_utf8 returns at most 3 * size, writes well-formed UTF-8,
 *    agrees with folding one code point at a time, writes nothing past
 *    cap (a prefix of the whole when cut short), and folding its output
 *    again changes nothing;
 *  - text_tokenize gives non-empty tokens of at most TEXT_TOKEN_MAX bytes
 *    of well-formed UTF-8, with source ranges inside the input, starts
 *    strictly increasing and ends never decreasing, each token equal to
 *    the folded text of its range (a Han bigram, a unigram, or a word,
 *    which may be cut short of its range's end only by the length limit);
 *  - text_tokenize_query gives text_tokenize's tokens, less at most the
 *    last one, which must then be a one-character Han token closing a run
 *    (it ends where the bigram before it ends);
 *  - text_mark_hits, with terms cut from the input, marks only bytes of
 *    the input (ASan: the mask is exactly size bytes), with 0 or 1, and
 *    finds every term in the text it was cut from when the term is a
 *    whole run of Han characters there;
 *  - text_pinyin_keys writes lowercase letters and single spaces only and
 *    respects cap, and text_pinyin_span finds every key it wrote, inside
 *    the input (and anything else only inside it).
 */
#include "lib/text/text.h"
#include "base/str.h"

#include "fuzz_common.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

struct check {
    const char *src;
    size_t n;
    size_t last_start, last_end, count;
    char *scratch; /* 3 * n + 4 bytes */
};

static int on_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct check *c = ctx;
    FUZZ_CHECK(len > 0 && len <= TEXT_TOKEN_MAX);
    FUZZ_CHECK(utf8_valid(tok, len));
    FUZZ_CHECK(start < end && end <= c->n);
    if (c->count > 0) {
        FUZZ_CHECK(start > c->last_start);
        FUZZ_CHECK(end >= c->last_end);
    }
    c->last_start = start;
    c->last_end = end;
    c->count++;
    /* The token is the folded text of its range. */
    size_t flen = text_fold_utf8(c->src + start, end - start, c->scratch, 3 * (end - start));
    FUZZ_CHECK(flen == len && memcmp(c->scratch, tok, len) == 0);
    return 0;
}

static void check_fold(const char *s, size_t n, char *out)
{
    size_t len = text_fold_utf8(s, n, out, 3 * n);
    FUZZ_CHECK(len <= 3 * n);
    FUZZ_CHECK(utf8_valid(out, len));
    /* The same, one code point at a time. */
    size_t i = 0, k = 0;
    char one[4];
    while (i < n) {
        size_t w = text_put(text_fold(text_next(s, n, &i)), one);
        FUZZ_CHECK(k + w <= len && memcmp(out + k, one, w) == 0);
        k += w;
    }
    FUZZ_CHECK(k == len);
    /* Folding is idempotent on its own output. */
    char *again = malloc(3 * len + 1);
    FUZZ_CHECK(again != NULL);
    FUZZ_CHECK(text_fold_utf8(out, len, again, 3 * len) == len);
    FUZZ_CHECK(memcmp(again, out, len) == 0);
    free(again);
    /* A short cap: a prefix, nothing written past it. */
    size_t cap = n ? (unsigned char)s[0] % (len + 1) : 0;
    char *part = malloc(cap + 1);
    FUZZ_CHECK(part != NULL);
    part[cap] = 0x5A;
    FUZZ_CHECK(text_fold_utf8(s, n, part, cap) == len);
    FUZZ_CHECK(memcmp(part, out, cap) == 0 && part[cap] == 0x5A);
    free(part);
}

static void check_keys(const char *s, size_t n)
{
    size_t need = text_pinyin_keys(s, n, NULL, 0);
    char *out = malloc(need + 1);
    FUZZ_CHECK(out != NULL);
    out[need] = 0x5A;
    FUZZ_CHECK(text_pinyin_keys(s, n, out, need) == need);
    FUZZ_CHECK(out[need] == 0x5A);
    for (size_t i = 0; i < need; i++) {
        bool letter = out[i] >= 'a' && out[i] <= 'z';
        bool space = out[i] == ' ' && i > 0 && i + 1 < need && out[i - 1] != ' ';
        FUZZ_CHECK(letter || space);
    }
    size_t a = 0, b = 0;
    for (size_t i = 0; i < need;) { /* every key is found, inside s */
        const char *sp = memchr(out + i, ' ', need - i);
        size_t len = sp ? (size_t)(sp - (out + i)) : need - i;
        FUZZ_CHECK(text_pinyin_span(s, n, out + i, len, &a, &b));
        FUZZ_CHECK(a < b && b <= n);
        i += len + 1;
    }
    free(out);
    if (text_pinyin_span(s, n, s, n < 40 ? n : 40, &a, &b))
        FUZZ_CHECK(a < b && b <= n);
}

/* Tokens as "tok@start-end\n" lines, into a growing buffer. */
struct lines {
    char *text;
    size_t len, cap, last; /* last: where the last line starts */
};

static int add_line(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct lines *l = ctx;
    size_t need = len + 48;
    if (l->len + need > l->cap) {
        l->cap = 2 * (l->len + need);
        l->text = realloc(l->text, l->cap);
        FUZZ_CHECK(l->text != NULL);
    }
    l->last = l->len;
    l->len += (size_t)snprintf(l->text + l->len, l->cap - l->len, "%.*s@%zu-%zu\n", (int)len, tok,
                               start, end);
    return 0;
}

static void check_query(const char *s, size_t n)
{
    struct lines doc = {0}, query = {0};
    FUZZ_CHECK(text_tokenize(s, n, add_line, &doc) == 0);
    FUZZ_CHECK(text_tokenize_query(s, n, add_line, &query) == 0);
    if (query.len != doc.len) {
        /* Only the last token is left out: one Han character, closing the run
         * whose last bigram ends where it ends. */
        FUZZ_CHECK(query.len == doc.last && doc.last > 0 &&
                   memcmp(query.text, doc.text, query.len) == 0);
        const char *line = doc.text + doc.last, *at = memchr(line, '@', doc.len - doc.last);
        FUZZ_CHECK(at != NULL);
        size_t i = 0;
        FUZZ_CHECK(text_is_han(text_next(line, (size_t)(at - line), &i)) &&
                   i == (size_t)(at - line));
        const char *prev_end = strrchr(at, '-'); /* this token's end ... */
        char *end_of_prev = memrchr(query.text, '-', query.len); /* ... and the bigram's */
        FUZZ_CHECK(prev_end != NULL && end_of_prev != NULL &&
                   strtoul(prev_end + 1, NULL, 10) == strtoul(end_of_prev + 1, NULL, 10));
    } else if (doc.len > 0) {
        FUZZ_CHECK(memcmp(query.text, doc.text, doc.len) == 0);
    }
    free(doc.text);
    free(query.text);
}

static void check_hits(const char *s, size_t n)
{
    /* Terms: the input's first 40 bytes, split as typed text is. */
    const char *terms[TEXT_MAX_TERMS];
    size_t lens[TEXT_MAX_TERMS];
    size_t k = text_query_terms(s, n < 40 ? n : 40, terms, lens);
    unsigned char *mark = calloc(n ? n : 1, 1);
    FUZZ_CHECK(mark != NULL);
    size_t found = text_mark_hits(s, n, terms, lens, k, mark);
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(mark[i] <= 1);
        any |= mark[i];
    }
    FUZZ_CHECK(any == (found > 0));
    /* A term that is all Han characters, cut from the text, is found in it. */
    for (size_t t = 0; t < k; t++) {
        size_t i = 0;
        bool han = lens[t] > 0;
        while (han && i < lens[t])
            han = text_is_han(text_next(terms[t], lens[t], &i));
        if (han) {
            unsigned char *one = calloc(n ? n : 1, 1);
            FUZZ_CHECK(one != NULL);
            FUZZ_CHECK(text_mark_hits(s, n, &terms[t], &lens[t], 1, one) > 0);
            free(one);
        }
    }
    free(mark);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char *out = malloc(3 * size + 4);
    FUZZ_CHECK(out != NULL);
    check_fold(s, size, out);
    struct check c = {.src = s, .n = size, .scratch = out};
    FUZZ_CHECK(text_tokenize(s, size, on_token, &c) == 0);
    check_keys(s, size);
    check_query(s, size);
    check_hits(s, size);
    free(out);
    return 0;
}
