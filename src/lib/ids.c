/*
 * ids.c - validation and display masking of Chinese identifiers: identity
 * card numbers (GB 11643-1999), unified social credit codes (GB 32100-2015),
 * mainland mobile numbers, GB/T 2260 region code shapes, and masks of id
 * numbers, mobiles and personal names.  See ids.h for the contracts.
 *
 * Pure libc, no I/O, no allocation.  Every input is a (pointer, length) pair
 * and is never read past its length.
 */
#include "lib/ids.h"

#include <string.h>

#define ID_NUMBER_LEN 18
#define ID_BODY_LEN 17
#define USCC_LEN 18
#define USCC_BODY_LEN 17
#define USCC_MODULUS 31
#define MOBILE_LEN 11
#define REGION_CODE_LEN 6

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const unsigned id_weights[ID_BODY_LEN] = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                 3, 7, 9,  10, 5, 8, 4, 2};
static const char id_check_chars[] = "10X98765432";

static const unsigned uscc_weights[USCC_BODY_LEN] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                     29, 25, 13, 8,  24, 10, 30, 28};

static const unsigned char province_codes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
                                               35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
                                               53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

/* Is c an ASCII decimal digit?  (Independent of locale, unlike isdigit.) */
static bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Are all n bytes at p ASCII decimal digits? */
static bool all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_ascii_digit(p[i])) {
            return false;
        }
    }
    return true;
}

/* Value of n (<= 9) ASCII digits at p; the caller has checked they are digits. */
static unsigned digits_value(const char *p, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v * 10u + (unsigned)(p[i] - '0');
    }
    return v;
}

/* Is c one of the n bytes of set?  (Never matches the literal's NUL.) */
static bool byte_in_set(const char *set, size_t n, char c)
{
    return memchr(set, (unsigned char)c, n) != NULL;
}

/* Index of c in the USCC alphabet, or -1 if c is not in it. */
static int uscc_value(char c)
{
    for (int i = 0; i < USCC_MODULUS; i++) {
        if (uscc_alphabet[i] == c) {
            return i;
        }
    }
    return -1;
}

/* Is y a Gregorian leap year? */
static bool is_leap_year(unsigned y)
{
    return (y % 4u == 0 && y % 100u != 0) || y % 400u == 0;
}

/* Is the 8-digit YYYYMMDD at p a real date in 1900-01-01..2099-12-31? */
static bool date_valid(const char *p)
{
    static const unsigned days_in_month[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (!all_digits(p, 8)) {
        return false;
    }
    unsigned year = digits_value(p, 4);
    unsigned month = digits_value(p + 4, 2);
    unsigned day = digits_value(p + 6, 2);
    if (year < 1900u || year > 2099u || month < 1u || month > 12u || day < 1u) {
        return false;
    }
    unsigned max_day = days_in_month[month - 1u];
    if (month == 2u && is_leap_year(year)) {
        max_day = 29u;
    }
    return day <= max_day;
}

bool ids_region_code_valid(const char *s, size_t len)
{
    if (s == NULL || len != REGION_CODE_LEN || !all_digits(s, len)) {
        return false;
    }
    unsigned province = digits_value(s, 2);
    for (size_t i = 0; i < sizeof province_codes; i++) {
        if (province_codes[i] == province) {
            return true;
        }
    }
    return false;
}

char ids_id_number_check_char(const char *first17)
{
    if (first17 == NULL) {
        return 0;
    }
    unsigned sum = 0;
    for (size_t i = 0; i < ID_BODY_LEN; i++) {
        if (!is_ascii_digit(first17[i])) {
            return 0;
        }
        sum += (unsigned)(first17[i] - '0') * id_weights[i];
    }
    return id_check_chars[sum % 11u];
}

bool ids_id_number_valid(const char *s, size_t len)
{
    if (s == NULL || len != ID_NUMBER_LEN) {
        return false;
    }
    char expected = ids_id_number_check_char(s);
    if (expected == 0) {
        return false;
    }
    if (!ids_region_code_valid(s, REGION_CODE_LEN) || !date_valid(s + REGION_CODE_LEN)) {
        return false;
    }
    char given = s[ID_BODY_LEN];
    if (given == 'x') {
        given = 'X';
    }
    return given == expected;
}

char ids_uscc_check_char(const char *first17)
{
    if (first17 == NULL) {
        return 0;
    }
    unsigned sum = 0;
    for (size_t i = 0; i < USCC_BODY_LEN; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0) {
            return 0;
        }
        sum += (unsigned)v * uscc_weights[i];
    }
    unsigned c = USCC_MODULUS - sum % USCC_MODULUS;
    if (c == USCC_MODULUS) {
        c = 0;
    }
    return uscc_alphabet[c];
}

bool ids_uscc_valid(const char *s, size_t len)
{
    static const char authorities[] = "159Y";
    static const char kinds[] = "1239";

    if (s == NULL || len != USCC_LEN) {
        return false;
    }
    if (!byte_in_set(authorities, sizeof authorities - 1, s[0]) ||
        !byte_in_set(kinds, sizeof kinds - 1, s[1]) || !all_digits(s + 2, 6)) {
        return false;
    }
    char expected = ids_uscc_check_char(s);
    return expected != 0 && s[USCC_BODY_LEN] == expected;
}

bool ids_mobile_valid(const char *s, size_t len)
{
    if (s == NULL || len != MOBILE_LEN || !all_digits(s, len)) {
        return false;
    }
    return s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/* ------------------------------------------------------------------------ */
/* Masking                                                                  */
/* ------------------------------------------------------------------------ */

/* Bounded output buffer: once a piece does not fit, nothing more is written. */
struct mask_writer {
    char *out;
    size_t cap;
    size_t len;
    bool stopped;
};

/* Append the n bytes at p as one unit, if they fit with room for the NUL. */
static void mw_put(struct mask_writer *w, const char *p, size_t n)
{
    if (w->stopped || w->cap == 0 || n > w->cap - 1 - w->len) {
        w->stopped = true;
        return;
    }
    memcpy(w->out + w->len, p, n);
    w->len += n;
}

/* Append the n ASCII bytes at p, each as its own unit. */
static void mw_put_ascii(struct mask_writer *w, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mw_put(w, p + i, 1);
    }
}

/* Append n '*' chars. */
static void mw_stars(struct mask_writer *w, size_t n)
{
    for (size_t i = 0; i < n && !w->stopped; i++) {
        mw_put(w, "*", 1);
    }
}

/* NUL-terminate (when cap > 0) and return the number of bytes written. */
static size_t mw_finish(struct mask_writer *w)
{
    if (w->cap > 0) {
        w->out[w->len] = '\0';
    }
    return w->len;
}

/* Are all n bytes at p printable ASCII (0x20-0x7e)? */
static bool all_printable_ascii(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20u || c > 0x7eu) {
            return false;
        }
    }
    return true;
}

/* Fallback mask (see ids.h): keep both ends of printable ASCII of length >= 3. */
static void mask_fallback(struct mask_writer *w, const char *s, size_t len)
{
    if (len >= 3 && all_printable_ascii(s, len)) {
        mw_put_ascii(w, s, 1);
        mw_stars(w, len - 2);
        mw_put_ascii(w, s + len - 1, 1);
    } else {
        mw_stars(w, len);
    }
}

size_t ids_mask_id_number(const char *s, size_t len, char *out, size_t cap)
{
    struct mask_writer w = {out, cap, 0, false};

    if (s == NULL) {
        return mw_finish(&w);
    }
    char last = len == ID_NUMBER_LEN ? s[ID_BODY_LEN] : '\0';
    if (len == ID_NUMBER_LEN && all_digits(s, ID_BODY_LEN) &&
        (is_ascii_digit(last) || last == 'X' || last == 'x')) {
        mw_put_ascii(&w, s, 6);
        mw_stars(&w, 8);
        mw_put_ascii(&w, s + 14, 4);
    } else {
        mask_fallback(&w, s, len);
    }
    return mw_finish(&w);
}

size_t ids_mask_mobile(const char *s, size_t len, char *out, size_t cap)
{
    struct mask_writer w = {out, cap, 0, false};

    if (s == NULL) {
        return mw_finish(&w);
    }
    if (len == MOBILE_LEN && all_digits(s, len)) {
        mw_put_ascii(&w, s, 3);
        mw_stars(&w, 4);
        mw_put_ascii(&w, s + 7, 4);
    } else {
        mask_fallback(&w, s, len);
    }
    return mw_finish(&w);
}

/*
 * Length of the well-formed UTF-8 sequence at p (avail > 0 bytes readable),
 * per Unicode Table 3-7, or 0 if it is malformed or truncated.
 */
static size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
    unsigned char b = p[0];
    size_t n;
    unsigned char lo = 0x80u;
    unsigned char hi = 0xbfu;

    if (b < 0x80u) {
        return 1;
    } else if (b >= 0xc2u && b <= 0xdfu) {
        n = 2;
    } else if (b >= 0xe0u && b <= 0xefu) {
        n = 3;
        lo = b == 0xe0u ? 0xa0u : 0x80u;
        hi = b == 0xedu ? 0x9fu : 0xbfu;
    } else if (b >= 0xf0u && b <= 0xf4u) {
        n = 4;
        lo = b == 0xf0u ? 0x90u : 0x80u;
        hi = b == 0xf4u ? 0x8fu : 0xbfu;
    } else {
        return 0;
    }
    if (avail < n || p[1] < lo || p[1] > hi) {
        return 0;
    }
    for (size_t i = 2; i < n; i++) {
        if (p[i] < 0x80u || p[i] > 0xbfu) {
            return 0;
        }
    }
    return n;
}

/* Is the sequence of n bytes at p a control char (C0, DEL or C1)? */
static bool is_control_seq(const unsigned char *p, size_t n)
{
    if (n == 1) {
        return p[0] < 0x20u || p[0] == 0x7fu;
    }
    return n == 2 && p[0] == 0xc2u && p[1] < 0xa0u;
}

/*
 * Number of code points in the n bytes at p if they are well-formed UTF-8
 * without control chars; otherwise 0 (also 0 for n == 0).
 */
static size_t clean_utf8_count(const unsigned char *p, size_t n)
{
    size_t count = 0;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq_len(p + i, n - i);
        if (k == 0 || is_control_seq(p + i, k)) {
            return 0;
        }
        i += k;
        count++;
    }
    return count;
}

size_t ids_mask_name(const char *s, size_t len, char *out, size_t cap)
{
    struct mask_writer w = {out, cap, 0, false};

    if (s == NULL || len == 0) {
        return mw_finish(&w);
    }
    const unsigned char *u = (const unsigned char *)s;
    size_t code_points = clean_utf8_count(u, len);
    if (code_points == 0) {
        mw_stars(&w, len);
        return mw_finish(&w);
    }
    mw_put(&w, s, utf8_seq_len(u, len));
    mw_stars(&w, code_points - 1);
    return mw_finish(&w);
}
