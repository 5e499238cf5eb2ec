/* test_pinyin.c - cmocka tests for src/lib/text/pinyin_clean.c: inline
 * pinyin annotations go, every other parenthesis and byte stays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/text/pinyin.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Cleans the C string in and compares with want (byte for byte). */
static void check(const char *in, const char *want)
{
    size_t len = 12345;
    char *out = text_strip_pinyin(in, strlen(in), &len);
    assert_non_null(out);
    assert_string_equal(out, want);
    assert_int_equal(len, strlen(want));
    free(out);
}

#define KEEP(s) check(s, s)

static void test_examples(void **state)
{
    (void)state;
    check("聯(lián)盟", "聯盟");
    check("技(jì)工", "技工");
    check("教(jiao4)育", "教育");
    check("聯（lián）盟", "聯盟");
    check("聯(lián）盟", "聯盟"); /* mixed kinds of parenthesis */
    check("全国职业教(jiào)育联(lián)盟成立", "全国职业教育联盟成立");
    KEEP("联盟（筹）");
    KEEP("成立于(2023)年");
    KEEP("成立于 (2023) 年");
    KEEP("北京市(Beijing)");
    KEEP("word(a) and 图 (a)");
    KEEP("技工(技师)");
    KEEP("技 (jì)工"); /* not directly after the character */
    KEEP("abc(lián)"); /* after a Latin letter */
}

static void test_syllables(void **state)
{
    (void)state;
    check("聯盟(lián méng)", "聯盟");
    check("聯盟(liánméng)", "聯盟");    /* run together */
    check("聯盟(lian2 meng2)", "聯盟"); /* tone digits */
    check("聯盟(lian2meng2)", "聯盟");
    check("西安(xī'ān)", "西安");
    check("西安(xī’ān)", "西安"); /* typographic apostrophe */
    check("西安(Xi1'an1)", "西安");
    check("聯(LIÁN)盟", "聯盟"); /* capitals */
    check("聯(Lián)盟", "聯盟");
    check("女(nǚ)生", "女生");
    check("女(nv3)生", "女生");
    check("绿(lü4)色", "绿色");
    check("略(lüè)", "略");
    check("爱(a\xcc\x80i)", "爱"); /* a + combining grave */
    check("的(de5)", "的");        /* neutral tone */
    check("窗(chuāng)", "窗");
    check("张(zhāng)", "张");
    check("𠀀(yī)", "𠀀"); /* an ideograph beyond the BMP */
    check("兀(wù)", "兀"); /* U+FA0C, a compatibility ideograph */
    /* Repeated annotations all go (so cleaning twice is cleaning once). */
    check("聯(lián)(lián)盟", "聯盟");
    /* Toneless: a single syllable of two letters or more after one character. */
    check("技(ji)工", "技工");
    check("，技(ji)工(gong)", "，技工");
    KEEP("北京(Beijing)");
    KEEP("如图(a)所示");
    KEEP("图(a)");
    KEEP("高技(ji)工");
    KEEP("技(ji gong)");
}

static void test_not_pinyin(void **state)
{
    (void)state;
    KEEP("软件(software)");
    KEEP("公司(Huawei Technologies)");
    KEEP("学校(school)");
    KEEP("附件(lián2x)"); /* x is not a syllable */
    KEEP("附件(liánn)");
    KEEP("附件(lián  méng)"); /* two spaces */
    KEEP("附件( lián)");
    KEEP("附件(lián )");
    KEEP("附件(lián'')");
    KEEP("附件(lián6)"); /* no tone 6 */
    KEEP("附件(lian22)");
    KEEP("附件(1lian)");
    KEEP("附件(lia\xcc\x81\xcc\x80n)"); /* two tone marks on one vowel */
    KEEP("附件(lián2)");                /* a tone mark and a digit */
    KEEP("附件(jü)");                   /* ü is written u after j */
    KEEP("附件()");
    KEEP("附件（）");
    KEEP("附件(B2)");
}

static void test_unbalanced(void **state)
{
    (void)state;
    KEEP("聯(lián");
    KEEP("聯(lián méng");
    KEEP("聯((lián))");
    KEEP("聯(lián(méng))");
    KEEP("聯)lián(");
    KEEP("(");
    KEEP("聯(");
    KEEP("聯（");
    check("聯(lián))", "聯)");
    check("((聯(lián)))", "((聯))");
}

static void test_bytes(void **state)
{
    (void)state;
    /* Malformed UTF-8 is kept byte for byte and never starts an annotation. */
    check("\xff聯(lián)\xfe", "\xff聯\xfe");
    KEEP("\xe8\x81(lián)");      /* a cut character before the parenthesis */
    KEEP("聯(li\xc3\xa1n\xa1)"); /* a stray continuation byte inside */
    KEEP("聯(li\xc0\xa1n)");     /* an overlong encoding inside */
    KEEP("\xed\xa0\x80(lián)");  /* a surrogate */
    /* Text cut in the middle of a character at the end is kept. */
    KEEP("聯盟\xe7\x9b");
    KEEP("聯(li\xc3");
    KEEP("聯\xef\xbc"); /* half a full-width parenthesis */
    /* Embedded NULs are ordinary bytes. */
    size_t len;
    char *out = text_strip_pinyin("a\0聯(lián)b", 13, &len);
    assert_int_equal(len, 6);
    assert_memory_equal(out, "a\0聯b", 6);
    free(out);
}

static void test_empty(void **state)
{
    (void)state;
    size_t len = 7;
    char *out = text_strip_pinyin("", 0, &len);
    assert_string_equal(out, "");
    assert_int_equal(len, 0);
    free(out);
    out = text_strip_pinyin(NULL, 0, NULL);
    assert_string_equal(out, "");
    free(out);
    /* Only the first n bytes are read. */
    out = text_strip_pinyin("聯(lián)盟", 3, &len);
    assert_string_equal(out, "聯");
    free(out);
    out = text_strip_pinyin("聯(lián)盟", 9, &len);
    assert_string_equal(out, "聯(lián");
    free(out);
}

/* Builds about n bytes by repeating unit. */
static char *repeat(const char *unit, size_t n, size_t *len)
{
    size_t u = strlen(unit), count = n / u;
    char *s = malloc(count * u + 1);
    assert_non_null(s);
    for (size_t i = 0; i < count; i++)
        memcpy(s + i * u, unit, u);
    s[count * u] = '\0';
    *len = count * u;
    return s;
}

static double seconds(const char *unit, const char *want_unit)
{
    size_t len, out_len;
    char *s = repeat(unit, 1 << 20, &len);
    clock_t t = clock();
    char *out = text_strip_pinyin(s, len, &out_len);
    double took = (double)(clock() - t) / CLOCKS_PER_SEC;
    size_t count = len / strlen(unit), w = strlen(want_unit);
    assert_int_equal(out_len, count * w);
    for (size_t i = 0; i < count; i++)
        assert_memory_equal(out + i * w, want_unit, w);
    free(out);
    free(s);
    return took;
}

static void test_long_input(void **state)
{
    (void)state;
    /* 1 MiB of each shape, including near misses that make the parser read
     * a whole body and try every split, finishes in linear time (a second
     * is far above what each takes; a quadratic pass would take minutes). */
    assert_true(seconds("联(lián méng)", "联") < 1.0);
    assert_true(seconds("聯盟", "聯盟") < 1.0);
    assert_true(seconds("聯(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)",
                        "聯(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)") <
                1.0);
    assert_true(seconds("聯(", "聯(") < 1.0);
    assert_true(seconds("\xe8", "\xe8") < 1.0);
    /* An unclosed body longer than the limit is kept. */
    size_t len, out_len;
    char *s = repeat("a", 1 << 20, &len);
    memcpy(s, "聯(", 4);
    char *out = text_strip_pinyin(s, len, &out_len);
    assert_int_equal(out_len, len);
    assert_memory_equal(out, s, len);
    free(out);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),   cmocka_unit_test(test_syllables),
        cmocka_unit_test(test_not_pinyin), cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_bytes),      cmocka_unit_test(test_empty),
        cmocka_unit_test(test_long_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
