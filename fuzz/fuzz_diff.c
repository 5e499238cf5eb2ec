/*
 * fuzz_diff.c - the charter line diff (src/lib/diff.h): diff_lines() on two
 * texts made from the input, split at its first 0xFF byte into a and b (no
 * 0xFF: all of it is a, and b is empty).  Each text is copied into a heap
 * buffer of exactly its length, so a read past either end is caught; an
 * empty text is passed as NULL.
 *
 * Invariants checked besides the sanitizers, against an independent line
 * splitter written from the contract in diff.h:
 *  - with max_lines the larger line count it succeeds; with one less it
 *    returns -1 and leaves *out and *n alone (texts of more than LINES_MAX
 *    lines are only checked for that refusal, to keep runs fast);
 *  - SAME + DEL rebuild a, and SAME + ADD rebuild b (each line followed by
 *    '\n'), with DEL and SAME pointing at a's lines and ADD at b's;
 *  - no ADD is directly followed by a DEL (deletions first in a block);
 *  - the script is minimal: when the texts are small enough, its SAME
 *    count equals the LCS length from the O(n * m) table.
 */
#include "lib/diff.h"

#include "fuzz_common.h"

#include <stdbool.h>
#include <string.h>

/* The DP table is only built up to this many cells. */
#define LCS_CELLS_MAX 250000
/* Texts with more lines only check the refusal: a diff costs O((N + M) * D),
 * and a 16k-line worst case takes seconds under the sanitizers, where a
 * charter has a few hundred lines (callers bound it with max_lines). */
#define LINES_MAX 2000

struct ref_line {
    const char *p;
    size_t len;
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Splits s by diff.h's rules into a new array; returns it (*n lines). */
static struct ref_line *ref_split(const char *s, size_t len, size_t *n)
{
    struct ref_line *lines = malloc((len + 1) * sizeof(*lines));
    size_t count = 0, start = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\n')
            continue;
        size_t l = i - start;
        if (l > 0 && s[i - 1] == '\r')
            l--;
        lines[count].p = s + start;
        lines[count].len = l;
        count++;
        start = i + 1;
    }
    if (start < len) {
        lines[count].p = s + start;
        lines[count].len = len - start;
        count++;
    }
    *n = count;
    return lines;
}

static bool ref_eq(const struct ref_line *x, const struct ref_line *y)
{
    return x->len == y->len && memcmp(x->p, y->p, x->len) == 0;
}

/* LCS length by the table, two rows at a time. */
static size_t ref_lcs(const struct ref_line *a, size_t na, const struct ref_line *b, size_t nb)
{
    size_t *prev = calloc(nb + 1, sizeof(size_t)), *cur = calloc(nb + 1, sizeof(size_t));
    for (size_t i = 1; i <= na; i++) {
        for (size_t j = 1; j <= nb; j++) {
            if (ref_eq(&a[i - 1], &b[j - 1]))
                cur[j] = prev[j - 1] + 1;
            else
                cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    size_t r = prev[nb];
    free(prev);
    free(cur);
    return r;
}

/* Appends text[0..len) and '\n' to buf at *used (room was checked). */
static void append_line(char *buf, size_t *used, const char *text, size_t len)
{
    if (len > 0)
        memcpy(buf + *used, text, len);
    *used += len;
    buf[(*used)++] = '\n';
}

/* The lines of a text, each followed by '\n', in a new buffer of *size. */
static char *normalize(const struct ref_line *lines, size_t n, size_t cap, size_t *size)
{
    char *buf = malloc(cap + n + 1);
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        append_line(buf, &used, lines[i].p, lines[i].len);
    *size = used;
    return buf;
}

/* Rebuilds one side from the script (skipping the op of the other side),
 * checks its pointers against lines[], and compares with want. */
static void check_side(const struct diff_line *d, size_t n, enum diff_op other,
                       const struct ref_line *lines, size_t nl, const char *want, size_t want_size,
                       size_t cap)
{
    char *got = malloc(cap + nl + 1);
    size_t used = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (d[i].op == other)
            continue;
        FUZZ_CHECK(k < nl);
        FUZZ_CHECK(d[i].len <= cap && used + d[i].len + 1 <= cap + nl);
        if (d[i].op != DIFF_SAME || other == DIFF_ADD)
            FUZZ_CHECK(d[i].text == lines[k].p);
        append_line(got, &used, d[i].text, d[i].len);
        k++;
    }
    FUZZ_CHECK(k == nl);
    FUZZ_CHECK(used == want_size && memcmp(got, want, used) == 0);
    free(got);
}

/* Checks the script of a against b. */
static void check_script(size_t alen, const struct ref_line *la, size_t na, size_t blen,
                         const struct ref_line *lb, size_t nb, const struct diff_line *d, size_t n)
{
    size_t same = 0;
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(d[i].op == DIFF_SAME || d[i].op == DIFF_ADD || d[i].op == DIFF_DEL);
        FUZZ_CHECK(i == 0 || d[i - 1].op != DIFF_ADD || d[i].op != DIFF_DEL);
        same += d[i].op == DIFF_SAME;
    }
    FUZZ_CHECK(n == na + nb - same);
    size_t wa, wb;
    char *want_a = normalize(la, na, alen, &wa), *want_b = normalize(lb, nb, blen, &wb);
    check_side(d, n, DIFF_ADD, la, na, want_a, wa, alen);
    check_side(d, n, DIFF_DEL, lb, nb, want_b, wb, blen);
    free(want_a);
    free(want_b);
    if (na == 0 || nb == 0 || na <= LCS_CELLS_MAX / nb)
        FUZZ_CHECK(same == ref_lcs(la, na, lb, nb));
}

/* A heap copy of exactly len bytes; NULL for the empty text. */
static char *copy(const uint8_t *p, size_t len)
{
    if (len == 0)
        return NULL;
    char *c = malloc(len);
    memcpy(c, p, len);
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = memchr(data, 0xff, size);
    size_t alen = sep ? (size_t)(sep - data) : size;
    size_t blen = sep ? size - alen - 1 : 0;
    char *a = copy(data, alen), *b = copy(sep ? sep + 1 : data, blen);
    size_t na, nb;
    struct ref_line *la = ref_split(a, alen, &na), *lb = ref_split(b, blen, &nb);
    size_t most = na > nb ? na : nb;

    struct diff_line *d = NULL;
    size_t n = 0;
    if (most <= LINES_MAX) {
        FUZZ_CHECK(diff_lines(a, alen, b, blen, most, &d, &n) == 0);
        FUZZ_CHECK((n == 0) == (d == NULL));
        check_script(alen, la, na, blen, lb, nb, d, n);
        free(d);
    }
    if (most > 0) {
        struct diff_line sentinel;
        d = &sentinel;
        n = 7;
        size_t limit = most <= LINES_MAX ? most - 1 : LINES_MAX;
        FUZZ_CHECK(diff_lines(a, alen, b, blen, limit, &d, &n) == -1);
        FUZZ_CHECK(d == &sentinel && n == 7);
    }
    free(la);
    free(lb);
    free(a);
    free(b);
    return 0;
}
