/*
 * test_ids.c - cmocka unit tests for src/lib/ids.c: identity card numbers,
 * unified social credit codes, mobile numbers, region code shapes and the
 * display masks.
 *
 * The check characters are recomputed here by an independent reference
 * implementation (weights derived as powers of the radix, 2^k mod 11 and
 * 3^k mod 31, instead of the library's tables) and every known-valid value is
 * put through every single-byte substitution.  Inputs are always passed in
 * heap buffers of exactly `len` bytes, so AddressSanitizer catches any read
 * past `len`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ids.h"

/* A string literal and its length, embedded NULs included. */
#define LIT(s) (s), (sizeof(s) - 1)

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const char ref_uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const char ref_provinces[] = "11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,"
                                    "43,44,45,46,50,51,52,53,54,61,62,63,64,65,71,81,82";

/* Known-valid id numbers (each verified by the reference below). */
static const char *const valid_ids[] = {
    "11010519491231002X", "11010119900307803X", "320106200002291230", "440305199912314565",
    "650102190001010016", "810000209912310078", "710000198511160422", "500103197607043387",
    "510107198808081111", "230102195210103213", "130102197001013006",
};

/* Known-valid unified social credit codes (each verified by the reference). */
static const char *const valid_usccs[] = {
    "91110000600037341L", "91350100M000100Y43", "91110000101115640L", "91310000MA1FL0000N",
    "521000005000000017", "11100000000013127D", "Y11100001234567893", "531100005000198765",
    "12100000400000624D", "93330100MA28000ABK", "91120116MA05JJ0AAL", "91500000MA5U12345P",
    "51440000MJL123456Q", "92110108L12345678J", "914403007152672630", "51110000500000129Y",
};

/* ------------------------------------------------------------------------ */
/* Independent reference implementation                                     */
/* ------------------------------------------------------------------------ */

static bool ref_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static unsigned ref_pow_mod(unsigned base, unsigned exp, unsigned mod)
{
    unsigned r = 1;
    for (unsigned i = 0; i < exp; i++) {
        r = (r * base) % mod;
    }
    return r;
}

/* ISO 7064 MOD 11-2 over 17 digits; 0 if not 17 digits. */
static char ref_id_check(const char *body)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < 17; i++) {
        if (!ref_is_digit(body[i])) {
            return 0;
        }
        sum += (unsigned)(body[i] - '0') * ref_pow_mod(2, 17 - i, 11);
    }
    unsigned v = (12 - sum % 11) % 11;
    return v == 10 ? 'X' : (char)('0' + v);
}

static unsigned ref_num(const char *p, unsigned n)
{
    unsigned v = 0;
    for (unsigned i = 0; i < n; i++) {
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    return v;
}

static bool ref_date_ok(const char *p)
{
    for (unsigned i = 0; i < 8; i++) {
        if (!ref_is_digit(p[i])) {
            return false;
        }
    }
    unsigned y = ref_num(p, 4);
    unsigned m = ref_num(p + 4, 2);
    unsigned d = ref_num(p + 6, 2);
    unsigned dim = 31;
    if (m == 4 || m == 6 || m == 9 || m == 11) {
        dim = 30;
    } else if (m == 2) {
        bool leap = y % 400 == 0 || (y % 100 != 0 && y % 4 == 0);
        dim = leap ? 29 : 28;
    }
    return y >= 1900 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= dim;
}

static bool ref_region_ok(const char *s, size_t len)
{
    if (len != 6) {
        return false;
    }
    for (size_t i = 0; i < 6; i++) {
        if (!ref_is_digit(s[i])) {
            return false;
        }
    }
    for (size_t i = 0; i + 1 < sizeof ref_provinces; i += 3) {
        if (ref_provinces[i] == s[0] && ref_provinces[i + 1] == s[1]) {
            return true;
        }
    }
    return false;
}

static bool ref_id_valid(const char *s, size_t len)
{
    if (len != 18 || !ref_region_ok(s, 6) || !ref_date_ok(s + 6)) {
        return false;
    }
    char check = ref_id_check(s);
    char last = s[17] == 'x' ? 'X' : s[17];
    return check != 0 && last == check;
}

static int ref_uscc_value(char c)
{
    const char *p = c == '\0' ? NULL : strchr(ref_uscc_alphabet, c);
    return p == NULL ? -1 : (int)(p - ref_uscc_alphabet);
}

/* GB 32100 MOD 31 over 17 chars; 0 if any is outside the alphabet. */
static char ref_uscc_check(const char *body)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < 17; i++) {
        int v = ref_uscc_value(body[i]);
        if (v < 0) {
            return 0;
        }
        sum += (unsigned)v * ref_pow_mod(3, i, 31);
    }
    return ref_uscc_alphabet[(31 - sum % 31) % 31];
}

static bool ref_uscc_valid(const char *s, size_t len)
{
    if (len != 18 || strchr("159Y", s[0]) == NULL || s[0] == '\0' || strchr("1239", s[1]) == NULL ||
        s[1] == '\0') {
        return false;
    }
    for (size_t i = 2; i < 8; i++) {
        if (!ref_is_digit(s[i])) {
            return false;
        }
    }
    char check = ref_uscc_check(s);
    return check != 0 && s[17] == check;
}

/* ------------------------------------------------------------------------ */
/* Helpers: call the library with inputs in exact-size heap buffers         */
/* ------------------------------------------------------------------------ */

static char *exact_copy(const char *src, size_t len)
{
    char *buf = malloc(len > 0 ? len : 1);
    assert_non_null(buf);
    if (len > 0) {
        memcpy(buf, src, len);
    }
    return buf;
}

static bool valid_exact(bool (*fn)(const char *, size_t), const char *src, size_t len)
{
    char *buf = exact_copy(src, len);
    bool r = fn(buf, len);
    free(buf);
    return r;
}

static bool id_ok(const char *src, size_t len)
{
    return valid_exact(ids_id_number_valid, src, len);
}

static bool uscc_ok(const char *src, size_t len)
{
    return valid_exact(ids_uscc_valid, src, len);
}

static bool mobile_ok(const char *src, size_t len)
{
    return valid_exact(ids_mobile_valid, src, len);
}

static bool region_ok(const char *src, size_t len)
{
    return valid_exact(ids_region_code_valid, src, len);
}

/* Build an id number from region, date and 3-digit sequence with the reference check. */
static void make_id(const char *region6, const char *date8, const char *seq3, char out[19])
{
    memcpy(out, region6, 6);
    memcpy(out + 6, date8, 8);
    memcpy(out + 14, seq3, 3);
    out[17] = ref_id_check(out);
    out[18] = '\0';
    assert_true(out[17] != 0);
}

/* ------------------------------------------------------------------------ */
/* Identity card numbers                                                    */
/* ------------------------------------------------------------------------ */

static void test_id_known_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(valid_ids); i++) {
        const char *s = valid_ids[i];
        assert_int_equal(strlen(s), 18);
        assert_true(ref_id_valid(s, 18));
        assert_true(id_ok(s, 18));
        assert_int_equal(ids_id_number_check_char(s), s[17]);
        assert_int_equal(ids_id_number_check_char(s), ref_id_check(s));
    }
}

static void test_id_brief_examples(void **state)
{
    (void)state;
    assert_true(id_ok(LIT("11010519491231002X")));
    assert_true(id_ok(LIT("11010119900307803X")));
    /* Check char is right, but 1880-01-01 is before 1900-01-01. */
    assert_int_equal(ids_id_number_check_char("440524188001010014"), '4');
    assert_false(ref_id_valid(LIT("440524188001010014")));
    assert_false(id_ok(LIT("440524188001010014")));
}

static void test_id_lowercase_x(void **state)
{
    (void)state;
    assert_true(id_ok(LIT("11010519491231002x")));
    assert_true(id_ok(LIT("11010119900307803x")));
    /* Lowercase x is only an alias of a genuine X check. */
    assert_false(id_ok(LIT("32010620000229123x")));
    assert_false(id_ok(LIT("32010620000229123X")));
}

static void test_id_lengths(void **state)
{
    (void)state;
    assert_false(ids_id_number_valid(NULL, 0));
    assert_false(ids_id_number_valid(NULL, 18));
    assert_false(id_ok("", 0));
    assert_false(id_ok(LIT("11010519491231002")));
    assert_false(id_ok(LIT("11010519491231002X0")));
    assert_false(id_ok(LIT("11010519491231002XX")));
    assert_false(id_ok(LIT("110105194912310")));
    /* A valid prefix of a longer buffer is judged by len only. */
    assert_true(id_ok("11010519491231002X0", 18));
    assert_false(id_ok("11010519491231002X", 17));
}

static void test_id_dates(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        bool ok;
    } cases[] = {
        {"19990230", false}, {"20000229", true},  {"19000229", false}, {"19960229", true},
        {"20040229", true},  {"20010229", false}, {"21000229", false}, {"19000101", true},
        {"20991231", true},  {"18991231", false}, {"21000101", false}, {"20230431", false},
        {"20230430", true},  {"20231301", false}, {"20230001", false}, {"20230100", false},
        {"20230132", false}, {"20231231", true},  {"00000000", false}, {"99999999", false},
    };
    char id[19];
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        make_id("110105", cases[i].date, "123", id);
        assert_int_equal(id_ok(id, 18), cases[i].ok);
        assert_int_equal(ref_id_valid(id, 18), cases[i].ok);
    }
}

static void test_id_region_part(void **state)
{
    (void)state;
    static const char *const bad_regions[] = {"000000", "100000", "990101", "160101",
                                              "240101", "380101", "470101", "720101",
                                              "800101", "830101", "910101"};
    char id[19];
    for (size_t i = 0; i < N_ELEMS(bad_regions); i++) {
        make_id(bad_regions[i], "19900101", "001", id);
        assert_false(id_ok(id, 18));
    }
    make_id("820001", "19900101", "001", id);
    assert_true(id_ok(id, 18));
}

static void test_id_check_char(void **state)
{
    (void)state;
    assert_int_equal(ids_id_number_check_char(NULL), 0);
    assert_int_equal(ids_id_number_check_char(""), 0);
    assert_int_equal(ids_id_number_check_char("1101051949123100"), 0);
    assert_int_equal(ids_id_number_check_char("1101051949123100A"), 0);
    assert_int_equal(ids_id_number_check_char("11010519491231 02"), 0);
    assert_int_equal(ids_id_number_check_char("11010519491231002"), 'X');
    assert_int_equal(ids_id_number_check_char("32010620000229123"), '0');
    assert_int_equal(ids_id_number_check_char("51010719880808111"), '1');
    /* Reads exactly 17 bytes: an exact-size buffer works. */
    char *body = exact_copy("11010119900307803", 17);
    assert_int_equal(ids_id_number_check_char(body), 'X');
    free(body);
    /* High bytes and NUL inside the 17 are rejected. */
    assert_int_equal(ids_id_number_check_char("1101051949\xff"
                                              "231002"),
                     0);
    char with_nul[17] = "110105194912310";
    with_nul[16] = '2';
    assert_int_equal(ids_id_number_check_char(with_nul), 0);
}

/* Every check char value is reachable and every constructed id is valid. */
static void test_id_constructed(void **state)
{
    (void)state;
    bool seen[11] = {false};
    char id[19];
    char seq[4] = "000";
    for (unsigned n = 0; n < 200; n++) {
        seq[0] = (char)('0' + n / 100);
        seq[1] = (char)('0' + n / 10 % 10);
        seq[2] = (char)('0' + n % 10);
        make_id(n % 2 ? "440305" : "653101", n % 3 ? "20000229" : "19870615", seq, id);
        assert_int_equal(ids_id_number_check_char(id), id[17]);
        assert_true(id_ok(id, 18));
        seen[id[17] == 'X' ? 10 : id[17] - '0'] = true;
    }
    for (size_t i = 0; i < N_ELEMS(seen); i++) {
        assert_true(seen[i]);
    }
}

/* Is b at position pos merely the other case of the 'X' check char? */
static bool id_case_alias(const char *orig, size_t pos, int b)
{
    return pos == 17 && ((orig[17] == 'X' && b == 'x') || (orig[17] == 'x' && b == 'X'));
}

/*
 * Substitute every other byte value (a superset of the digit alphabet) at
 * every position.  MOD 11-2 has weights that are all non-zero mod 11 and
 * digit differences are 1..9, so every substitution among the first 17
 * digits changes the check; the test asserts outright that all are rejected,
 * and that the reference agrees.  The only accepted one is X <-> x.
 */
static void test_id_every_single_substitution(void **state)
{
    (void)state;
    char *m = malloc(18);
    assert_non_null(m);
    size_t total = 0;
    size_t digit_subs = 0;
    for (size_t k = 0; k < N_ELEMS(valid_ids); k++) {
        const char *orig = valid_ids[k];
        for (size_t pos = 0; pos < 18; pos++) {
            for (int b = 0; b < 256; b++) {
                if ((char)b == orig[pos]) {
                    continue;
                }
                memcpy(m, orig, 18);
                m[pos] = (char)b;
                bool expect = id_case_alias(orig, pos, b);
                assert_int_equal(ref_id_valid(m, 18), expect);
                assert_int_equal(ids_id_number_valid(m, 18), expect);
                total++;
                digit_subs += ref_is_digit((char)b) && ref_is_digit(orig[pos]);
            }
        }
    }
    assert_int_equal(total, N_ELEMS(valid_ids) * 18 * 255);
    assert_true(digit_subs >= N_ELEMS(valid_ids) * 17 * 9);
    free(m);
}

/* ------------------------------------------------------------------------ */
/* Unified social credit codes                                              */
/* ------------------------------------------------------------------------ */

static void test_uscc_known_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(valid_usccs); i++) {
        const char *s = valid_usccs[i];
        assert_int_equal(strlen(s), 18);
        assert_true(ref_uscc_valid(s, 18));
        assert_true(uscc_ok(s, 18));
        assert_int_equal(ids_uscc_check_char(s), s[17]);
        assert_int_equal(ids_uscc_check_char(s), ref_uscc_check(s));
    }
}

static void test_uscc_brief_examples(void **state)
{
    (void)state;
    assert_true(uscc_ok(LIT("91110000600037341L")));
    assert_true(uscc_ok(LIT("91350100M000100Y43")));
    /* Wrong check char: the MOD 31 check of these 17 chars is 'L', not '9'. */
    assert_int_equal(ids_uscc_check_char("91110000101115640"), 'L');
    assert_false(ref_uscc_valid(LIT("911100001011156409")));
    assert_false(uscc_ok(LIT("911100001011156409")));
}

static void test_uscc_rejects(void **state)
{
    (void)state;
    assert_false(ids_uscc_valid(NULL, 0));
    assert_false(ids_uscc_valid(NULL, 18));
    assert_false(uscc_ok("", 0));
    assert_false(uscc_ok(LIT("91110000600037341")));
    assert_false(uscc_ok(LIT("91110000600037341LL")));
    assert_true(uscc_ok("91110000600037341L0", 18));
    assert_false(uscc_ok("91110000600037341L", 17));
    /* Lowercase is not accepted. */
    assert_false(uscc_ok(LIT("91110000600037341l")));
    assert_false(uscc_ok(LIT("91350100m000100Y43")));
    /* Correct check char, but authority / kind / region shape wrong. */
    static const char *const bodies[] = {
        "21110000600037341", "A1110000600037341", "94110000600037341", "9Y110000600037341",
        "911A0000600037341", "91110M00600037341", "Y4110000600037341"};
    char code[18];
    for (size_t i = 0; i < N_ELEMS(bodies); i++) {
        memcpy(code, bodies[i], 17);
        code[17] = ids_uscc_check_char(bodies[i]);
        assert_true(code[17] != 0);
        assert_int_equal(code[17], ref_uscc_check(bodies[i]));
        assert_false(uscc_ok(code, 18));
    }
}

static void test_uscc_check_char(void **state)
{
    (void)state;
    assert_int_equal(ids_uscc_check_char(NULL), 0);
    assert_int_equal(ids_uscc_check_char(""), 0);
    assert_int_equal(ids_uscc_check_char("9111000060003734"), 0);
    assert_int_equal(ids_uscc_check_char("91350100M000100Y4"), '3');
    assert_int_equal(ids_uscc_check_char("91440300715267263"), '0');
    static const char forbidden[] = "IOZSVabciosz -*\x80\xff";
    char body[18] = "91350100M000100Y4";
    for (size_t i = 0; i + 1 < sizeof forbidden; i++) {
        body[8] = forbidden[i];
        assert_int_equal(ids_uscc_check_char(body), 0);
    }
    body[8] = '\0';
    assert_int_equal(ids_uscc_check_char(body), 0);
    char *exact = exact_copy("91350100M000100Y4", 17);
    assert_int_equal(ids_uscc_check_char(exact), '3');
    free(exact);
}

/* Every one of the 31 check chars (digits and letters) occurs and validates. */
static void test_uscc_constructed(void **state)
{
    (void)state;
    bool seen[31] = {false};
    char code[18];
    for (size_t a = 0; a < 31; a++) {
        memcpy(code, "91310115MA1K4Q7R", 16);
        code[16] = ref_uscc_alphabet[a];
        code[17] = ref_uscc_check(code);
        assert_int_equal(ids_uscc_check_char(code), code[17]);
        assert_true(uscc_ok(code, 18));
        seen[ref_uscc_value(code[17])] = true;
    }
    for (size_t i = 0; i < N_ELEMS(seen); i++) {
        assert_true(seen[i]);
    }
}

/*
 * Substitute every other byte value at every position.  The weights
 * 3^k mod 31 are all non-zero mod the prime 31 and distinct alphabet values
 * differ by 1..30, so every substitution within the alphabet among the first
 * 17 chars changes the check; any other byte is outside the alphabet; a
 * changed check char no longer matches.  All must be rejected; the reference
 * is asserted to agree.
 */
static void test_uscc_every_single_substitution(void **state)
{
    (void)state;
    char *m = malloc(18);
    assert_non_null(m);
    size_t total = 0;
    size_t alphabet_subs = 0;
    for (size_t k = 0; k < N_ELEMS(valid_usccs); k++) {
        const char *orig = valid_usccs[k];
        for (size_t pos = 0; pos < 18; pos++) {
            for (int b = 0; b < 256; b++) {
                if ((char)b == orig[pos]) {
                    continue;
                }
                memcpy(m, orig, 18);
                m[pos] = (char)b;
                assert_false(ref_uscc_valid(m, 18));
                assert_false(ids_uscc_valid(m, 18));
                total++;
                alphabet_subs += ref_uscc_value((char)b) >= 0;
            }
        }
    }
    assert_int_equal(total, N_ELEMS(valid_usccs) * 18 * 255);
    assert_int_equal(alphabet_subs, N_ELEMS(valid_usccs) * 18 * 30);
    free(m);
}

/* ------------------------------------------------------------------------ */
/* Mobile numbers and region codes                                          */
/* ------------------------------------------------------------------------ */

static void test_mobile(void **state)
{
    (void)state;
    assert_true(mobile_ok(LIT("13812345678")));
    assert_true(mobile_ok(LIT("19912345678")));
    assert_true(mobile_ok(LIT("13000000000")));
    assert_true(mobile_ok(LIT("16600000000")));
    assert_false(mobile_ok(LIT("12812345678")));
    assert_false(mobile_ok(LIT("11812345678")));
    assert_false(mobile_ok(LIT("10812345678")));
    assert_false(mobile_ok(LIT("23812345678")));
    assert_false(mobile_ok(LIT("1381234567")));
    assert_false(mobile_ok(LIT("138123456789")));
    assert_false(mobile_ok(LIT("1381234567a")));
    assert_false(mobile_ok(LIT("13812345G78")));
    assert_false(mobile_ok(LIT("138 1234567")));
    assert_false(mobile_ok(LIT("138-1234567")));
    assert_false(mobile_ok(LIT("+8613812345678")));
    assert_false(mobile_ok(LIT("8613812345678")));
    assert_false(mobile_ok(LIT("1381234567\0")));
    assert_false(mobile_ok(LIT("138\0"
                               "1234567")));
    assert_false(mobile_ok(LIT("1381234567\xb8")));
    assert_false(mobile_ok(LIT("\xef\xbc\x91"
                               "3812345678")));
    assert_false(mobile_ok("", 0));
    assert_false(ids_mobile_valid(NULL, 0));
    assert_false(ids_mobile_valid(NULL, 11));
    assert_true(mobile_ok("138123456789", 11));
}

static void test_region_codes(void **state)
{
    (void)state;
    char code[7] = "000000";
    for (int p = 0; p < 100; p++) {
        code[0] = (char)('0' + p / 10);
        code[1] = (char)('0' + p % 10);
        assert_int_equal(region_ok(code, 6), ref_region_ok(code, 6));
    }
    assert_true(region_ok(LIT("110105")));
    assert_true(region_ok(LIT("650000")));
    assert_true(region_ok(LIT("820000")));
    assert_true(region_ok(LIT("710000")));
    assert_false(region_ok(LIT("100000")));
    assert_false(region_ok(LIT("720000")));
    assert_false(region_ok(LIT("99999")));
    assert_false(region_ok(LIT("11010")));
    assert_false(region_ok(LIT("1101050")));
    assert_false(region_ok(LIT("11010a")));
    assert_false(region_ok(LIT("1101 5")));
    assert_false(region_ok(LIT("11010\0")));
    assert_false(region_ok(LIT("11\xff"
                               "105")));
    assert_false(region_ok("", 0));
    assert_false(ids_region_code_valid(NULL, 0));
    assert_false(ids_region_code_valid(NULL, 6));
    assert_true(region_ok("1101050", 6));
}

static void test_region_province_list(void **state)
{
    (void)state;
    static const char *const provinces[] = {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
        "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
        "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
    };
    char code[7] = "000000";
    size_t accepted = 0;
    for (size_t i = 0; i < N_ELEMS(provinces); i++) {
        memcpy(code, provinces[i], 2);
        assert_true(region_ok(code, 6));
    }
    for (int p = 0; p < 100; p++) {
        code[0] = (char)('0' + p / 10);
        code[1] = (char)('0' + p % 10);
        accepted += region_ok(code, 6);
    }
    assert_int_equal(accepted, N_ELEMS(provinces));
}

/* ------------------------------------------------------------------------ */
/* Masks                                                                    */
/* ------------------------------------------------------------------------ */

/* Mask src[0..len) (exact-size buffer) into an exact-size heap out of cap. */
static void expect_mask_cap(size_t (*fn)(const char *, size_t, char *, size_t), const char *src,
                            size_t len, size_t cap, const char *expected)
{
    char *in = exact_copy(src, len);
    char *out = cap > 0 ? malloc(cap) : NULL;
    if (cap > 0) {
        assert_non_null(out);
        memset(out, '#', cap);
    }
    size_t r = fn(in, len, out, cap);
    assert_int_equal(r, strlen(expected));
    if (cap > 0) {
        assert_string_equal(out, expected);
    }
    free(out);
    free(in);
}

static void expect_mask(size_t (*fn)(const char *, size_t, char *, size_t), const char *src,
                        size_t len, const char *expected)
{
    expect_mask_cap(fn, src, len, strlen(expected) + 1, expected);
    expect_mask_cap(fn, src, len, 64, expected);
}

static void test_mask_id_number(void **state)
{
    (void)state;
    expect_mask(ids_mask_id_number, LIT("11010519491231002X"), "110105********002X");
    expect_mask(ids_mask_id_number, LIT("11010519491231002x"), "110105********002x");
    expect_mask(ids_mask_id_number, LIT("320106200002291230"), "320106********1230");
    /* Shape only: a wrong check char is still masked as an id number. */
    expect_mask(ids_mask_id_number, LIT("110105194912310021"), "110105********0021");
    /* Fallbacks. */
    expect_mask(ids_mask_id_number, LIT("110105491231002"), "1*************2");
    expect_mask(ids_mask_id_number, LIT("11010519491231002Y"), "1****************Y");
    expect_mask(ids_mask_id_number, LIT("ABC"), "A*C");
    expect_mask(ids_mask_id_number, LIT("ab"), "**");
    expect_mask(ids_mask_id_number, LIT("7"), "*");
    expect_mask(ids_mask_id_number, "", 0, "");
    expect_mask(ids_mask_id_number,
                LIT("11010519491231\0"
                    "02X"),
                "******************");
    expect_mask(ids_mask_id_number,
                LIT("\xe5\xbc\xa0"
                    "123"),
                "******");
    expect_mask(ids_mask_id_number, LIT("11010519491231002\xff"), "******************");
}

static void test_mask_mobile(void **state)
{
    (void)state;
    expect_mask(ids_mask_mobile, LIT("13812345678"), "138****5678");
    expect_mask(ids_mask_mobile, LIT("12812345678"), "128****5678");
    expect_mask(ids_mask_mobile, LIT("1381234567"), "1********7");
    expect_mask(ids_mask_mobile, LIT("+8613812345678"), "+************8");
    expect_mask(ids_mask_mobile, LIT("13"), "**");
    expect_mask(ids_mask_mobile, "", 0, "");
    expect_mask(ids_mask_mobile,
                LIT("138\0"
                    "1234567"),
                "***********");
    expect_mask(ids_mask_mobile,
                LIT("\x80"
                    "3812345678"),
                "***********");
}

static void test_mask_name(void **state)
{
    (void)state;
    expect_mask(ids_mask_name, LIT("张三"), "张*");
    expect_mask(ids_mask_name, LIT("张"), "张");
    expect_mask(ids_mask_name, LIT("欧阳修"), "欧**");
    expect_mask(ids_mask_name, LIT("欧阳娜娜"), "欧***");
    expect_mask(ids_mask_name, LIT("John"), "J***");
    expect_mask(ids_mask_name, LIT("\xf0\xa0\x80\x80三"), "\xf0\xa0\x80\x80*");
    expect_mask(ids_mask_name, LIT("é李"), "é*");
    expect_mask(ids_mask_name, "", 0, "");
    /* Not clean UTF-8: every byte masked. */
    expect_mask(ids_mask_name, LIT("张\0三"), "*******");
    expect_mask(ids_mask_name, LIT("\xe5\xbc"), "**");
    expect_mask(ids_mask_name, LIT("\xff\xfe"), "**");
    expect_mask(ids_mask_name, LIT("\xc0\xaf"), "**");
    expect_mask(ids_mask_name, LIT("\xe0\x80\xaf"), "***");
    expect_mask(ids_mask_name, LIT("\xed\xa0\x80"), "***");
    expect_mask(ids_mask_name, LIT("\xf4\x90\x80\x80"), "****");
    expect_mask(ids_mask_name, LIT("\xf8\x88\x80\x80\x80"), "*****");
    expect_mask(ids_mask_name, LIT("张\xc2\x85"), "*****");
    expect_mask(ids_mask_name, LIT("A\x7f"), "**");
    expect_mask(ids_mask_name, LIT("\n"), "*");
    expect_mask(ids_mask_name, LIT("三\xbf"), "****");
}

static void test_mask_tiny_caps(void **state)
{
    (void)state;
    expect_mask_cap(ids_mask_id_number, LIT("11010519491231002X"), 0, "");
    expect_mask_cap(ids_mask_id_number, LIT("11010519491231002X"), 1, "");
    expect_mask_cap(ids_mask_id_number, LIT("11010519491231002X"), 3, "11");
    expect_mask_cap(ids_mask_id_number, LIT("11010519491231002X"), 8, "110105*");
    expect_mask_cap(ids_mask_id_number, LIT("11010519491231002X"), 18, "110105********002");
    expect_mask_cap(ids_mask_id_number, LIT("abcdef"), 3, "a*");
    expect_mask_cap(ids_mask_mobile, LIT("13812345678"), 0, "");
    expect_mask_cap(ids_mask_mobile, LIT("13812345678"), 1, "");
    expect_mask_cap(ids_mask_mobile, LIT("13812345678"), 3, "13");
    expect_mask_cap(ids_mask_mobile, LIT("13812345678"), 11, "138****567");
    expect_mask_cap(ids_mask_name, LIT("张三"), 0, "");
    expect_mask_cap(ids_mask_name, LIT("张三"), 1, "");
    expect_mask_cap(ids_mask_name, LIT("张三"), 3, "");
    expect_mask_cap(ids_mask_name, LIT("张三"), 4, "张");
    expect_mask_cap(ids_mask_name, LIT("欧阳修"), 5, "欧*");
    expect_mask_cap(ids_mask_name, LIT("John"), 3, "J*");
    expect_mask_cap(ids_mask_name, LIT("\xff\xff\xff\xff"), 3, "**");
}

static void test_mask_cap_zero_untouched(void **state)
{
    (void)state;
    char buf[4] = {'#', '#', '#', '#'};
    assert_int_equal(ids_mask_id_number(LIT("11010519491231002X"), buf, 0), 0);
    assert_int_equal(ids_mask_mobile(LIT("13812345678"), buf, 0), 0);
    assert_int_equal(ids_mask_name(LIT("张三"), buf, 0), 0);
    assert_memory_equal(buf, "####", 4);
    assert_int_equal(ids_mask_name(NULL, 0, buf, sizeof buf), 0);
    assert_int_equal(buf[0], '\0');
    buf[0] = '#';
    assert_int_equal(ids_mask_mobile(NULL, 5, buf, sizeof buf), 0);
    assert_int_equal(buf[0], '\0');
    buf[0] = '#';
    assert_int_equal(ids_mask_id_number(NULL, 18, buf, sizeof buf), 0);
    assert_int_equal(buf[0], '\0');
    assert_memory_equal(buf + 1, "###", 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_known_valid),
        cmocka_unit_test(test_id_brief_examples),
        cmocka_unit_test(test_id_lowercase_x),
        cmocka_unit_test(test_id_lengths),
        cmocka_unit_test(test_id_dates),
        cmocka_unit_test(test_id_region_part),
        cmocka_unit_test(test_id_check_char),
        cmocka_unit_test(test_id_constructed),
        cmocka_unit_test(test_id_every_single_substitution),
        cmocka_unit_test(test_uscc_known_valid),
        cmocka_unit_test(test_uscc_brief_examples),
        cmocka_unit_test(test_uscc_rejects),
        cmocka_unit_test(test_uscc_check_char),
        cmocka_unit_test(test_uscc_constructed),
        cmocka_unit_test(test_uscc_every_single_substitution),
        cmocka_unit_test(test_mobile),
        cmocka_unit_test(test_region_codes),
        cmocka_unit_test(test_region_province_list),
        cmocka_unit_test(test_mask_id_number),
        cmocka_unit_test(test_mask_mobile),
        cmocka_unit_test(test_mask_name),
        cmocka_unit_test(test_mask_tiny_caps),
        cmocka_unit_test(test_mask_cap_zero_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
