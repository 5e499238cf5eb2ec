/* test_diff.c - unit tests of src/lib/diff: edge cases of the line diff,
 * exact scripts where the minimal one is unique, and a randomized check
 * against a reference LCS computed by dynamic programming. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/diff.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_LIMIT ((size_t)1 << 20)

/* A line of a text, as the test splits it (independently of diff.c). */
struct ref_line {
    const char *p;
    size_t len;
};

/* Splits s into lines by diff.h's rules; returns the count (at most cap). */
static size_t ref_split(const char *s, size_t len, struct ref_line *lines, size_t cap)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\n')
            continue;
        if (i == len && start == len)
            break; /* no final line without a newline */
        size_t l = i - start;
        if (i < len && l > 0 && s[i - 1] == '\r')
            l--;
        assert_true(n < cap);
        lines[n].p = s + start;
        lines[n].len = l;
        n++;
        start = i + 1;
    }
    return n;
}

static bool line_eq(const char *p, size_t plen, const char *q, size_t qlen)
{
    return plen == qlen && memcmp(p, q, plen) == 0;
}

/* Length of a longest common subsequence, by the O(n * m) table. */
static size_t ref_lcs(const struct ref_line *a, size_t na, const struct ref_line *b, size_t nb)
{
    size_t *prev = calloc(nb + 1, sizeof(size_t)), *cur = calloc(nb + 1, sizeof(size_t));
    for (size_t i = 1; i <= na; i++) {
        for (size_t j = 1; j <= nb; j++) {
            if (line_eq(a[i - 1].p, a[i - 1].len, b[j - 1].p, b[j - 1].len))
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

/*
 * Checks a script of a against b: SAME + DEL are a's lines in order (the
 * very pointers), SAME + ADD are b's lines in order (ADD the very pointers,
 * SAME equal content), no ADD is directly followed by a DEL, and the SAME
 * count is the LCS length.  Returns the SAME count.
 */
static size_t check_script(const char *a, size_t alen, const char *b, size_t blen,
                           const struct diff_line *d, size_t n)
{
    size_t cap_a = alen + 1, cap_b = blen + 1;
    struct ref_line *la = calloc(cap_a, sizeof(*la)), *lb = calloc(cap_b, sizeof(*lb));
    size_t na = ref_split(a, alen, la, cap_a), nb = ref_split(b, blen, lb, cap_b);
    size_t i = 0, j = 0, same = 0;
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && d[k - 1].op == DIFF_ADD)
            assert_int_not_equal(d[k].op, DIFF_DEL);
        if (d[k].op != DIFF_ADD) {
            assert_true(i < na);
            assert_ptr_equal(d[k].text, la[i].p);
            assert_int_equal(d[k].len, la[i].len);
            i++;
        }
        if (d[k].op != DIFF_DEL) {
            assert_true(j < nb);
            assert_true(line_eq(d[k].text, d[k].len, lb[j].p, lb[j].len));
            if (d[k].op == DIFF_ADD)
                assert_ptr_equal(d[k].text, lb[j].p);
            j++;
        }
        same += d[k].op == DIFF_SAME;
    }
    assert_int_equal(i, na);
    assert_int_equal(j, nb);
    assert_int_equal(same, ref_lcs(la, na, lb, nb));
    free(la);
    free(lb);
    return same;
}

/* Diffs two NUL-terminated texts, checks the script, and writes it as
 * "=x -y +z " into buf for exact comparisons.  Returns the SAME count. */
static size_t run(const char *a, const char *b, char *buf, size_t cap)
{
    struct diff_line *d = (struct diff_line *)(uintptr_t)1;
    size_t n = 12345;
    assert_int_equal(diff_lines(a, strlen(a), b, strlen(b), NO_LIMIT, &d, &n), 0);
    size_t same = check_script(a, strlen(a), b, strlen(b), d, n);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        char op = d[k].op == DIFF_SAME ? '=' : d[k].op == DIFF_ADD ? '+' : '-';
        int w = snprintf(buf + used, cap - used, "%c%.*s ", op, (int)d[k].len, d[k].text);
        assert_true(w >= 0 && (size_t)w < cap - used);
        used += (size_t)w;
    }
    if (n == 0)
        assert_null(d);
    free(d);
    return same;
}

static void test_empty(void **state)
{
    (void)state;
    char buf[256];
    struct diff_line *d = (struct diff_line *)(uintptr_t)1;
    size_t n = 99;
    assert_int_equal(diff_lines(NULL, 0, NULL, 0, 10, &d, &n), 0);
    assert_null(d);
    assert_int_equal(n, 0);
    assert_int_equal(run("", "", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    /* Bad arguments. */
    assert_int_equal(diff_lines(NULL, 1, "", 0, 10, &d, &n), -1);
    assert_int_equal(diff_lines("", 0, NULL, 3, 10, &d, &n), -1);
    assert_int_equal(diff_lines("a", 1, "b", 1, 10, NULL, &n), -1);
    assert_int_equal(diff_lines("a", 1, "b", 1, 10, &d, NULL), -1);
}

static void test_add_delete_all(void **state)
{
    (void)state;
    char buf[256];
    assert_int_equal(run("", "a\nb\nc\n", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "+a +b +c ");
    assert_int_equal(run("a\nb\nc\n", "", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "-a -b -c ");
    assert_int_equal(run("a\nb\n", "x\ny\nz\n", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "-a -b +x +y +z ");
    /* One empty line is a line. */
    assert_int_equal(run("", "\n", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "+ ");
}

static void test_identical(void **state)
{
    (void)state;
    char buf[256];
    assert_int_equal(run("a\nb\nc\n", "a\nb\nc\n", buf, sizeof(buf)), 3);
    assert_string_equal(buf, "=a =b =c ");
    assert_int_equal(run("x", "x", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "=x ");
    assert_int_equal(run("\n\n\n", "\n\n\n", buf, sizeof(buf)), 3);
}

static void test_change_middle(void **state)
{
    (void)state;
    char buf[256];
    assert_int_equal(run("a\nb\nc\nd\ne\n", "a\nb\nX\nd\ne\n", buf, sizeof(buf)), 4);
    assert_string_equal(buf, "=a =b -c +X =d =e ");
    /* Deletions come before additions within a changed block. */
    assert_int_equal(run("a\nb\nc\nd\n", "a\nX\nY\nd\n", buf, sizeof(buf)), 2);
    assert_string_equal(buf, "=a -b -c +X +Y =d ");
    assert_int_equal(run("a\nb\n", "a\nx\nb\n", buf, sizeof(buf)), 2);
    assert_string_equal(buf, "=a +x =b ");
    assert_int_equal(run("a\nx\nb\n", "a\nb\n", buf, sizeof(buf)), 2);
    assert_string_equal(buf, "=a -x =b ");
}

static void test_moved_block(void **state)
{
    (void)state;
    char buf[256];
    /* A B C D E -> D E A B C: the longer block A B C stays. */
    assert_int_equal(run("A\nB\nC\nD\nE\n", "D\nE\nA\nB\nC\n", buf, sizeof(buf)), 3);
    assert_string_equal(buf, "+D +E =A =B =C -D -E ");
    /* Swapped halves of equal size: either stays, two lines move. */
    assert_int_equal(run("1\n2\n3\n4\n", "3\n4\n1\n2\n", buf, sizeof(buf)), 2);
}

static void test_line_ends(void **state)
{
    (void)state;
    char buf[256];
    /* CRLF and LF are the same line ends. */
    assert_int_equal(run("a\r\nb\r\nc\r\n", "a\nb\nc\n", buf, sizeof(buf)), 3);
    assert_string_equal(buf, "=a =b =c ");
    assert_int_equal(run("a\r\nb\nc\r\n", "a\nb\r\nX\r\n", buf, sizeof(buf)), 2);
    assert_string_equal(buf, "=a =b -c +X ");
    /* A final line without a newline counts, and equals one with it. */
    assert_int_equal(run("a\nb", "a\nb\n", buf, sizeof(buf)), 2);
    assert_string_equal(buf, "=a =b ");
    assert_int_equal(run("a\nb", "a\nc", buf, sizeof(buf)), 1);
    assert_string_equal(buf, "=a -b +c ");
    assert_int_equal(run("a", "", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "-a ");
    /* A lone '\r' is text; so is a '\r' at the very end. */
    assert_int_equal(run("a\rb\n", "a\nb\n", buf, sizeof(buf)), 0);
    assert_int_equal(run("a\r", "a\n", buf, sizeof(buf)), 0);
    /* An empty line, and "\r\n" alone, are the same empty line. */
    assert_int_equal(run("\r\n", "\n", buf, sizeof(buf)), 1);
}

static void test_nul_bytes(void **state)
{
    (void)state;
    static const char a[] = "x\0y\nsame\nz\0\n";
    static const char b[] = "x\0z\nsame\nz\0\n";
    struct diff_line *d;
    size_t n;
    assert_int_equal(diff_lines(a, sizeof(a) - 1, b, sizeof(b) - 1, 10, &d, &n), 0);
    assert_int_equal(check_script(a, sizeof(a) - 1, b, sizeof(b) - 1, d, n), 2);
    assert_int_equal(n, 4);
    assert_int_equal(d[0].op, DIFF_DEL);
    assert_int_equal(d[0].len, 3);
    assert_int_equal(d[1].op, DIFF_ADD);
    assert_int_equal(d[2].op, DIFF_SAME);
    assert_int_equal(d[3].op, DIFF_SAME);
    assert_int_equal(d[3].len, 2);
    free(d);
}

static void test_max_lines(void **state)
{
    (void)state;
    static const char three[] = "a\nb\nc\n", three_open[] = "a\nb\nc";
    struct diff_line *d = (struct diff_line *)(uintptr_t)1;
    size_t n = 77;
    assert_int_equal(diff_lines(three, 6, "a\n", 2, 2, &d, &n), -1);
    assert_int_equal(diff_lines("a\n", 2, three_open, 5, 2, &d, &n), -1);
    assert_int_equal(diff_lines(three, 6, three, 6, 0, &d, &n), -1);
    assert_ptr_equal(d, (struct diff_line *)(uintptr_t)1); /* untouched */
    assert_int_equal(n, 77);
    assert_int_equal(diff_lines(three, 6, three_open, 5, 3, &d, &n), 0);
    assert_int_equal(n, 3);
    free(d);
    assert_int_equal(diff_lines("", 0, "", 0, 0, &d, &n), 0);
    assert_int_equal(n, 0);
    /* A long text against a small limit; no limit at all. */
    char many[2000];
    memset(many, '\n', sizeof(many));
    assert_int_equal(diff_lines(many, sizeof(many), "a", 1, 1, &d, &n), -1);
    assert_int_equal(diff_lines(many, sizeof(many), "a", 1, 1999, &d, &n), -1);
    assert_int_equal(diff_lines(many, sizeof(many), "a", 1, 2000, &d, &n), 0);
    assert_int_equal(n, 2001);
    free(d);
    assert_int_equal(diff_lines(many, sizeof(many), many, 3, SIZE_MAX, &d, &n), 0);
    assert_int_equal(n, 2000);
    free(d);
}

/* xorshift64: a small seeded PRNG, so failures repeat. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* Writes a random text of up to max_lines lines over a tiny alphabet,
 * with random CRLF line ends and sometimes no final newline. */
static size_t random_text(uint64_t *s, char *out, size_t max_lines)
{
    static const char *const words[] = {"a", "b", "c", "", "a b", "\0"};
    size_t lines = (size_t)(rng_next(s) % (max_lines + 1)), len = 0;
    for (size_t i = 0; i < lines; i++) {
        size_t w = (size_t)(rng_next(s) % 6);
        size_t wl = w == 5 ? 1 : strlen(words[w]);
        memcpy(out + len, words[w], wl);
        len += wl;
        if (i + 1 == lines && rng_next(s) % 4 == 0)
            break; /* no final newline */
        if (rng_next(s) % 5 == 0)
            out[len++] = '\r';
        out[len++] = '\n';
    }
    return len;
}

static void test_random(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    char a[16 * 6], b[16 * 6];
    for (int round = 0; round < 500; round++) {
        size_t alen = random_text(&seed, a, 14), blen = random_text(&seed, b, 14);
        struct diff_line *d;
        size_t n;
        assert_int_equal(diff_lines(a, alen, b, blen, 14, &d, &n), 0);
        check_script(a, alen, b, blen, d, n);
        free(d);
    }
}

/* Line i of a big text: a random small number, so lines repeat a lot. */
static size_t big_text(uint64_t *s, char *out, size_t lines, unsigned spread)
{
    size_t len = 0;
    for (size_t i = 0; i < lines; i++)
        len += (size_t)sprintf(out + len, "clause %u\n", (unsigned)(rng_next(s) % spread));
    return len;
}

static void test_big(void **state)
{
    (void)state;
    uint64_t seed = 42;
    size_t cap = 2000 * 16;
    char *a = malloc(cap), *b = malloc(cap);
    static const unsigned spreads[] = {2, 10, 1000, 100000};
    for (size_t s = 0; s < sizeof(spreads) / sizeof(spreads[0]); s++) {
        size_t alen = big_text(&seed, a, 2000, spreads[s]);
        size_t blen = big_text(&seed, b, 2000, spreads[s]);
        struct diff_line *d;
        size_t n;
        assert_int_equal(diff_lines(a, alen, b, blen, 2000, &d, &n), 0);
        check_script(a, alen, b, blen, d, n);
        free(d);
    }
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),       cmocka_unit_test(test_add_delete_all),
        cmocka_unit_test(test_identical),   cmocka_unit_test(test_change_middle),
        cmocka_unit_test(test_moved_block), cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_nul_bytes),   cmocka_unit_test(test_max_lines),
        cmocka_unit_test(test_random),      cmocka_unit_test(test_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
