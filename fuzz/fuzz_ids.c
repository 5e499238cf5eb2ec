/*
 * fuzz_ids.c - identifiers (SECURITY.md F2): every function of src/lib/ids.h
 * on the input, compared with an independent reference written from the
 * contracts in ids.h (check-char weights derived as powers of the radix,
 * 2^k mod 11 and 3^k mod 31, rather than copied tables).
 *
 * The input is used as is (libFuzzer hands a heap buffer of exactly `size`
 * bytes, so reading past len is caught); the check-char functions, which
 * read "at most 17 bytes and stop at the first byte that is not allowed",
 * also get a NUL-terminated heap copy of exactly size + 1 bytes.  The masks
 * run with several output capacities, each in a heap buffer of exactly cap
 * bytes; every result must be NUL-terminated, of length <= cap - 1, the
 * longest prefix of the full mask that fits without splitting a character,
 * and equal to the mask the contract describes.
 */
#include "lib/ids.h"

#include "fuzz_common.h"

#include <stdbool.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* --- reference implementation ---------------------------------------------- */

static const char ref_uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static bool ref_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool ref_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ref_digit(s[i]))
            return false;
    return true;
}

static int ref_uscc_value(char c)
{
    if (c == '\0')
        return -1;
    const char *p = strchr(ref_uscc_alphabet, c);
    return p ? (int)(p - ref_uscc_alphabet) : -1;
}

/* ISO 7064 MOD 11-2: weight of position i (0-based, of 17) is 2^(17-i) mod 11. */
static char ref_id_check(const char *s)
{
    unsigned sum = 0;
    for (int i = 0; i < 17; i++) {
        if (!ref_digit(s[i]))
            return 0;
        unsigned w = 1;
        for (int k = 0; k < 17 - i; k++)
            w = w * 2 % 11;
        sum += (unsigned)(s[i] - '0') * w;
    }
    unsigned c = (12 - sum % 11) % 11; /* value 10 is written X */
    return c == 10 ? 'X' : (char)('0' + c);
}

/* GB 32100-2015: weight of position i is 3^i mod 31; check = 31 - sum mod 31. */
static char ref_uscc_check(const char *s)
{
    unsigned sum = 0, w = 1;
    for (int i = 0; i < 17; i++) {
        int v = ref_uscc_value(s[i]);
        if (v < 0)
            return 0;
        sum += (unsigned)v * w;
        w = w * 3 % 31;
    }
    return ref_uscc_alphabet[(31 - sum % 31) % 31];
}

static bool ref_region(const char *s, size_t n)
{
    static const int provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                    35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                    53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
    if (n != 6 || !ref_digits(s, 6))
        return false;
    int p = (s[0] - '0') * 10 + (s[1] - '0');
    for (size_t i = 0; i < sizeof(provinces) / sizeof(provinces[0]); i++)
        if (provinces[i] == p)
            return true;
    return false;
}

static bool ref_date(const char *s)
{
    if (!ref_digits(s, 8))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[4] - '0') * 10 + (s[5] - '0'), d = (s[6] - '0') * 10 + (s[7] - '0');
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int dim = m == 2 ? (leap ? 29 : 28) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
    return d <= dim;
}

static bool ref_id_valid(const char *s, size_t n)
{
    if (n != 18 || !ref_digits(s, 17) || !ref_region(s, 6) || !ref_date(s + 6))
        return false;
    char last = s[17] == 'x' ? 'X' : s[17];
    return last == ref_id_check(s);
}

static bool ref_uscc_valid(const char *s, size_t n)
{
    if (n != 18 || s[0] == '\0' || strchr("159Y", s[0]) == NULL || s[1] == '\0' ||
        strchr("1239", s[1]) == NULL || !ref_digits(s + 2, 6))
        return false;
    for (int i = 0; i < 18; i++)
        if (ref_uscc_value(s[i]) < 0)
            return false;
    return s[17] == ref_uscc_check(s);
}

static bool ref_mobile(const char *s, size_t n)
{
    return n == 11 && ref_digits(s, 11) && s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/* Decodes one well-formed UTF-8 character at s (n bytes left): its length,
 * or 0 when malformed (overlong, surrogate, > U+10FFFF, truncated). */
static size_t ref_utf8_char(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, min = 0x80, c &= 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, min = 0x800, c &= 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

/* The full name mask by the contract, into out (room for 4 * n + 1). */
static size_t ref_mask_name(const char *s, size_t n, char *out, size_t *first_len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, count = 0;
    bool clean = true;
    *first_len = 1;
    while (i < n) {
        unsigned cp;
        size_t k = ref_utf8_char(u + i, n - i, &cp);
        if (k == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
            clean = false;
            break;
        }
        if (i == 0)
            *first_len = k;
        i += k;
        count++;
    }
    if (n == 0)
        return 0;
    if (!clean) {
        memset(out, '*', n);
        *first_len = 1;
        return n;
    }
    memcpy(out, s, *first_len);
    memset(out + *first_len, '*', count - 1);
    return *first_len + count - 1;
}

static bool ref_printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

static size_t ref_fallback(const char *s, size_t n, char *out)
{
    if (n >= 3 && ref_printable(s, n)) {
        out[0] = s[0];
        memset(out + 1, '*', n - 2);
        out[n - 1] = s[n - 1];
    } else {
        memset(out, '*', n);
    }
    return n;
}

static size_t ref_mask_id(const char *s, size_t n, char *out)
{
    if (n == 18 && ref_digits(s, 17) && (ref_digit(s[17]) || s[17] == 'X' || s[17] == 'x')) {
        memcpy(out, s, 6);
        memset(out + 6, '*', 8);
        memcpy(out + 14, s + 14, 4);
        return 18;
    }
    return ref_fallback(s, n, out);
}

static size_t ref_mask_mobile(const char *s, size_t n, char *out)
{
    if (n == 11 && ref_digits(s, 11)) {
        memcpy(out, s, 3);
        memset(out + 3, '*', 4);
        memcpy(out + 7, s + 7, 4);
        return 11;
    }
    return ref_fallback(s, n, out);
}

/* --- the checks ------------------------------------------------------------- */

typedef size_t (*mask_fn)(const char *s, size_t len, char *out, size_t cap);

/* Runs a mask with capacity cap in an exactly-sized buffer and checks it
 * against the full mask want[0..want_len) whose first unit is first_len
 * bytes (the later units are one byte each). */
static void check_mask(mask_fn fn, const char *s, size_t n, size_t cap, const char *want,
                       size_t want_len, size_t first_len)
{
    char *out = cap ? malloc(cap) : NULL;
    if (cap)
        memset(out, 0x55, cap);
    size_t got = fn(s, n, out, cap);
    if (cap == 0) {
        FUZZ_CHECK(got == 0);
        return;
    }
    size_t room = cap - 1, expect;
    if (want_len <= room)
        expect = want_len;
    else if (room < first_len)
        expect = 0;
    else
        expect = room;
    FUZZ_CHECK(got == expect);
    FUZZ_CHECK(got <= cap - 1);
    FUZZ_CHECK(out[got] == '\0');
    FUZZ_CHECK(memcmp(out, want, got) == 0);
    free(out);
}

static void check_masks(mask_fn fn, const char *s, size_t n, const char *want, size_t want_len,
                        size_t first_len)
{
    static const size_t caps[] = {0, 1, 2, 3, 4, 5, 7, 8, 12, 15, 18, 19, 20, 64};
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        check_mask(fn, s, n, caps[i], want, want_len, first_len);
    check_mask(fn, s, n, want_len, want, want_len, first_len); /* one short */
    check_mask(fn, s, n, want_len + 1, want, want_len, first_len);
    check_mask(fn, s, n, 4 * n + 1, want, want_len, first_len);
}

static void check_check_chars(const char *s, size_t n)
{
    /* The input itself when it has the 17 bytes to read. */
    if (n >= 17) {
        FUZZ_CHECK(ids_id_number_check_char(s) == ref_id_check(s));
        FUZZ_CHECK(ids_uscc_check_char(s) == ref_uscc_check(s));
    }
    /* A NUL-terminated copy of exactly n + 1 bytes: a shorter input must be
     * read only up to its first disallowed byte (the NUL at the latest). */
    char *z = malloc(n + 1);
    if (n > 0)
        memcpy(z, s, n);
    z[n] = '\0';
    FUZZ_CHECK(ids_id_number_check_char(z) == ref_id_check(z));
    FUZZ_CHECK(ids_uscc_check_char(z) == ref_uscc_check(z));
    free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t n = size;

    FUZZ_CHECK(ids_id_number_valid(s, n) == ref_id_valid(s, n));
    FUZZ_CHECK(ids_uscc_valid(s, n) == ref_uscc_valid(s, n));
    FUZZ_CHECK(ids_mobile_valid(s, n) == ref_mobile(s, n));
    FUZZ_CHECK(ids_region_code_valid(s, n) == ref_region(s, n));
    check_check_chars(s, n);

    /* The NULL conventions of ids.h. */
    FUZZ_CHECK(!ids_id_number_valid(NULL, n) && !ids_uscc_valid(NULL, n));
    FUZZ_CHECK(!ids_mobile_valid(NULL, n) && !ids_region_code_valid(NULL, n));
    FUZZ_CHECK(ids_id_number_check_char(NULL) == 0 && ids_uscc_check_char(NULL) == 0);
    char tiny[4] = "abc";
    FUZZ_CHECK(ids_mask_id_number(NULL, n, tiny, sizeof(tiny)) == 0 && tiny[0] == '\0');
    memcpy(tiny, "abc", 4);
    FUZZ_CHECK(ids_mask_mobile(NULL, n, tiny, sizeof(tiny)) == 0 && tiny[0] == '\0');
    memcpy(tiny, "abc", 4);
    FUZZ_CHECK(ids_mask_name(NULL, n, tiny, sizeof(tiny)) == 0 && tiny[0] == '\0');

    char *want = malloc(4 * n + 1);
    size_t first_len;
    size_t len = ref_mask_id(s, n, want);
    check_masks(ids_mask_id_number, s, n, want, len, 1);
    len = ref_mask_mobile(s, n, want);
    check_masks(ids_mask_mobile, s, n, want, len, 1);
    len = ref_mask_name(s, n, want, &first_len);
    check_masks(ids_mask_name, s, n, want, len, first_len);
    free(want);
    return 0;
}
