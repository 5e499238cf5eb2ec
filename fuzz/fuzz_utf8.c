/*
 * fuzz_utf8.c - the text helpers every parser stands on (src/base/str.h,
 * log.h): utf8_valid, utf8_length, str_has_control, str_ieq, str_to_i64
 * and log_escape with small capacities.
 *
 * Each is compared with an independent reference: a decoder for UTF-8 (so
 * overlongs, surrogates and values above U+10FFFF are refused by value, not
 * by byte ranges), a digit-by-digit parser for integers, and the escaping
 * rule of log.h (SEC-D4: no control byte, backslash or quote survives, and
 * the output is the longest prefix of the full escape that fits).
 */
#include "base/log.h"
#include "base/str.h"

#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Length of the well-formed UTF-8 character at s (n bytes left), or 0. */
static size_t ref_char(const unsigned char *s, size_t n)
{
    unsigned c = s[0], min;
    size_t len;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0)
        len = 2, min = 0x80, c &= 0x1f;
    else if ((c & 0xf0) == 0xe0)
        len = 3, min = 0x800, c &= 0x0f;
    else if ((c & 0xf8) == 0xf0)
        len = 4, min = 0x10000, c &= 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    return len;
}

/* Code points of s[0..n) when well-formed, else (size_t)-1. */
static size_t ref_utf8(const char *s, size_t n)
{
    size_t i = 0, count = 0;
    while (i < n) {
        size_t k = ref_char((const unsigned char *)s + i, n - i);
        if (k == 0)
            return (size_t)-1;
        i += k;
        count++;
    }
    return count;
}

static bool ref_has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0x7f || (c < 0x20 && c != '\t' && c != '\r' && c != '\n'))
            return true;
    }
    return false;
}

/* Decimal int64 in [min, max] by the contract: an optional '-', then 1 to
 * (20 - sign) digits, the whole input; false otherwise. */
static bool ref_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out)
{
    if (n == 0 || n > 20)
        return false;
    size_t i = s[0] == '-';
    if (i == n)
        return false;
    /* Accumulate as a negative number so INT64_MIN fits. */
    int64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        int d = s[i] - '0';
        if (v < (INT64_MIN + d) / 10)
            return false;
        v = v * 10 - d;
    }
    if (s[0] != '-') {
        if (v == INT64_MIN)
            return false;
        v = -v;
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* The full escape of s[0..n) per log.h into out (room for 4n + 1); writes
 * the unit length (1 or 4) of each output position's unit start in units. */
static size_t ref_escape(const char *s, size_t n, char *out, unsigned char *units)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '\\' || c == '"') {
            units[o] = 4;
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            units[o] = 1;
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return o;
}

static void check_escape(const char *s, size_t n, size_t cap, const char *want, size_t want_len,
                         const unsigned char *units)
{
    char *out = malloc(cap ? cap : 1);
    memset(out, 0x55, cap ? cap : 1);
    char *r = log_escape(s, n, out, cap);
    FUZZ_CHECK(r == out);
    if (cap == 0) {
        FUZZ_CHECK((unsigned char)out[0] == 0x55); /* nothing written */
        free(out);
        return;
    }
    /* The longest run of whole units that leaves room for the NUL. */
    size_t expect = 0;
    while (expect < want_len && expect + units[expect] <= cap - 1)
        expect += units[expect];
    size_t got = strnlen(out, cap);
    FUZZ_CHECK(got < cap); /* NUL-terminated inside the buffer */
    FUZZ_CHECK(got == expect);
    FUZZ_CHECK(memcmp(out, want, got) == 0);
    for (size_t i = 0; i < got; i++)
        FUZZ_CHECK((unsigned char)out[i] >= 0x20 && out[i] != 0x7f && out[i] != '"');
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t n = size;

    size_t cps = ref_utf8(s, n);
    FUZZ_CHECK(utf8_valid(s, n) == (cps != (size_t)-1));
    if (cps != (size_t)-1)
        FUZZ_CHECK(utf8_length(s, n) == cps);
    FUZZ_CHECK(utf8_length(s, n) <= n);
    /* Every prefix ending on a character boundary is valid too. */
    if (cps != (size_t)-1 && n > 0) {
        size_t cut = (size_t)data[0] % (n + 1);
        while (cut < n && ((unsigned char)s[cut] & 0xc0) == 0x80)
            cut++;
        FUZZ_CHECK(utf8_valid(s, cut));
    }
    FUZZ_CHECK(str_has_control(s, n) == ref_has_control(s, n));

    /* str_to_i64 under a few ranges, and str_ieq against itself. */
    static const int64_t ranges[][2] = {
        {INT64_MIN, INT64_MAX}, {1, INT64_MAX}, {1, 1000000}, {1, 100}, {-5, 5}, {0, 0}};
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        int64_t got = 12345, want = 12345;
        bool ok = str_to_i64(s, n, ranges[i][0], ranges[i][1], &got);
        bool rok = ref_i64(s, n, ranges[i][0], ranges[i][1], &want);
        FUZZ_CHECK(ok == rok);
        FUZZ_CHECK(got == want); /* untouched on failure, the value on success */
    }
    if (n < 256 && memchr(s, '\0', n) == NULL) {
        char lit[256];
        memcpy(lit, s, n);
        lit[n] = '\0';
        FUZZ_CHECK(str_ieq(s, n, lit));
        for (size_t i = 0; i < n; i++)
            if (lit[i] >= 'a' && lit[i] <= 'z')
                lit[i] = (char)(lit[i] - 'a' + 'A');
        FUZZ_CHECK(str_ieq(s, n, lit));
    }

    /* log_escape, with small capacities and with room for everything. */
    char *want = malloc(4 * n + 1);
    unsigned char *units = malloc(4 * n + 1);
    size_t want_len = ref_escape(s, n, want, units);
    static const size_t caps[] = {0, 1, 2, 3, 4, 5, 6, 8, 9, 16, 33};
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        check_escape(s, n, caps[i], want, want_len, units);
    check_escape(s, n, want_len, want, want_len, units);
    check_escape(s, n, want_len + 1, want, want_len, units);
    free(units);
    free(want);
    return 0;
}
