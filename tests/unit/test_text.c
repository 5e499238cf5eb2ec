/* test_text.c - cmocka tests for src/lib/text/text.h: UTF-8 decoding of
 * every malformed class (on exact-size heap buffers, so ASan sees an
 * over-read), folding (width, case, traditional -> simplified), the
 * tokenizer's exact output and offsets, readings and pinyin keys, and the
 * cap / needed-length contract of the two writers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers ----------------------------------------------------------------- */

/* A heap copy of s[0..n) with no byte after it (malloc(0) avoided). */
static char *exact(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    assert_non_null(p);
    if (n)
        memcpy(p, s, n);
    return p;
}

/* Decodes s[0..n) to the end; checks the code points and the step of each. */
static void check_decode(const char *s, size_t n, const uint32_t *want, const size_t *steps,
                         size_t count)
{
    char *p = exact(s, n);
    size_t i = 0, k = 0;
    while (i < n) {
        assert_true(k < count);
        size_t before = i;
        uint32_t cp = text_next(p, n, &i);
        if (cp != want[k])
            fail_msg("at byte %zu: got U+%04X, want U+%04X", before, cp, want[k]);
        assert_int_equal(i - before, steps[k]);
        k++;
    }
    assert_int_equal(k, count);
    free(p);
}

/* Every byte of s[0..n) decodes to U+FFFD on its own. */
static void check_all_bad(const char *s, size_t n)
{
    uint32_t want[8];
    size_t steps[8];
    assert_true(n <= 8);
    for (size_t k = 0; k < n; k++) {
        want[k] = TEXT_REPLACEMENT;
        steps[k] = 1;
    }
    check_decode(s, n, want, steps, n);
}

#define ALL_BAD(lit) check_all_bad(lit, sizeof(lit) - 1)

/* The folded text of the C string in. */
static char *fold_str(const char *in)
{
    size_t n = strlen(in);
    char *src = exact(in, n);
    char *out = malloc(3 * n + 1);
    assert_non_null(out);
    size_t len = text_fold_utf8(src, n, out, 3 * n);
    assert_true(len <= 3 * n);
    out[len] = '\0';
    free(src);
    return out;
}

static void check_fold(const char *in, const char *want)
{
    char *out = fold_str(in);
    assert_string_equal(out, want);
    free(out);
}

/* The tokens of a text as "tok@start-end" joined by spaces. */
struct collect {
    char text[4096];
    size_t len, calls, stop_after;
};

static int collect_token(void *ctx, const char *tok, size_t len, size_t start, size_t end)
{
    struct collect *c = ctx;
    int w = snprintf(c->text + c->len, sizeof c->text - c->len, "%s%.*s@%zu-%zu", c->len ? " " : "",
                     (int)len, tok, start, end);
    assert_true(w > 0 && (size_t)w < sizeof c->text - c->len);
    c->len += (size_t)w;
    c->calls++;
    return c->stop_after && c->calls == c->stop_after ? 7 : 0;
}

/* The tokens tokenize (text_tokenize or text_tokenize_query) gives for in
 * (copied to a buffer of exactly its length) are want. */
static void check_split(int (*tokenize)(const char *, size_t, text_token_fn, void *),
                        const char *in, const char *want)
{
    struct collect c = {0};
    size_t n = strlen(in);
    char *src = exact(in, n);
    assert_int_equal(tokenize(src, n, collect_token, &c), 0);
    free(src);
    assert_string_equal(c.text, want);
}

static void check_tokens(const char *in, const char *want)
{
    check_split(text_tokenize, in, want);
}

static char *keys_str(const char *in)
{
    size_t n = strlen(in);
    char *src = exact(in, n);
    size_t need = text_pinyin_keys(src, n, NULL, 0);
    char *out = malloc(need + 1);
    assert_non_null(out);
    assert_int_equal(text_pinyin_keys(src, n, out, need), need);
    out[need] = '\0';
    free(src);
    return out;
}

/* True when word is one of the space-separated words of list. */
static bool has_word(const char *list, const char *word)
{
    size_t w = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p++)
        if ((p == list || p[-1] == ' ') && (p[w] == ' ' || p[w] == '\0'))
            return true;
    return false;
}

/* --- UTF-8 ------------------------------------------------------------------- */

static void test_decode_valid(void **state)
{
    (void)state;
    static const uint32_t want[] = {'a', 0xE9, 0x6280, 0x20000, 0x10FFFF, 0xFFFD, 0x7F};
    static const size_t steps[] = {1, 2, 3, 4, 4, 3, 1};
    const char s[] = "a\xc3\xa9\xe6\x8a\x80\xf0\xa0\x80\x80\xf4\x8f\xbf\xbf\xef\xbf\xbd\x7f";
    check_decode(s, sizeof s - 1, want, steps, 7);
    /* Every scalar value round-trips through text_put and text_next. */
    char *buf = malloc(4);
    assert_non_null(buf);
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t len = text_put(cp, buf), i = 0;
        assert_int_equal(len, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
        if (text_next(buf, len, &i) != cp || i != len)
            fail_msg("U+%04X does not round-trip", cp);
    }
    free(buf);
}

static void test_decode_malformed(void **state)
{
    (void)state;
    ALL_BAD("\xc0\x80"); /* overlong 2-byte */
    ALL_BAD("\xc1\xbf");
    ALL_BAD("\xe0\x80\x80"); /* overlong 3-byte */
    ALL_BAD("\xe0\x9f\xbf");
    ALL_BAD("\xf0\x80\x80\x80"); /* overlong 4-byte */
    ALL_BAD("\xf0\x8f\xbf\xbf");
    ALL_BAD("\xed\xa0\x80"); /* surrogates */
    ALL_BAD("\xed\xbf\xbf");
    ALL_BAD("\xf4\x90\x80\x80"); /* above U+10FFFF */
    ALL_BAD("\xf5\x80\x80\x80");
    ALL_BAD("\xf7\xbf\xbf\xbf");
    ALL_BAD("\xf8\x88\x80\x80\x80"); /* 5- and 6-byte forms */
    ALL_BAD("\xfc\x84\x80\x80\x80\x80");
    ALL_BAD("\xfe\xff");
    ALL_BAD("\x80"); /* lone continuation bytes */
    ALL_BAD("\xbf\x80\xbf");
    ALL_BAD("\xe6\x8a"); /* a lead byte followed by too few continuations */
    ALL_BAD("\xf0\xa0\x80");
    /* A bad byte costs one byte: the good character after it survives. */
    static const uint32_t want[] = {TEXT_REPLACEMENT, 0x6280, TEXT_REPLACEMENT, 'x'};
    static const size_t steps[] = {1, 3, 1, 1};
    check_decode("\xe6\xe6\x8a\x80\x80x", 6, want, steps, 4);
}

static void test_decode_cut(void **state)
{
    (void)state;
    /* Every character cut at every byte: only U+FFFD, one byte at a time,
     * never a read past the cut (the buffers end exactly there). */
    const char *chars[] = {"\xc3\xa9", "\xe6\x8a\x80", "\xef\xbf\xbd", "\xf0\xa0\x80\x80",
                           "\xf4\x8f\xbf\xbf"};
    for (size_t c = 0; c < sizeof chars / sizeof chars[0]; c++)
        for (size_t cut = 1; cut < strlen(chars[c]); cut++)
            check_all_bad(chars[c], cut);
}

/* The reference: a sequence is well formed when its lead byte's length
 * fits, all continuations are there, and the value is a scalar value that
 * text_put writes back as the same bytes (so not overlong). */
static size_t ref_len(const unsigned char *p, size_t n)
{
    size_t len = p[0] < 0x80   ? 1
                 : p[0] < 0xC0 ? 0
                 : p[0] < 0xE0 ? 2
                 : p[0] < 0xF0 ? 3
                 : p[0] < 0xF8 ? 4
                               : 0;
    if (len == 0 || len > n)
        return 0;
    uint32_t cp = len == 1 ? p[0] : p[0] & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    char enc[4];
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || text_put(cp, enc) != len ||
        memcmp(enc, p, len) != 0)
        return 0;
    return len;
}

static void test_decode_exhaustive(void **state)
{
    (void)state;
    /* All 1-, 2- and 3-byte inputs (lead byte >= 0x80 for three) and the
     * 4-byte ones with edge continuation values, each in a buffer of
     * exactly its size, against the reference. */
    unsigned char *buf = malloc(4);
    assert_non_null(buf);
    static const unsigned char edges[] = {0x00, 0x7F, 0x80, 0x8F, 0x90,
                                          0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (uint32_t v = 0; v < 0x1000000u; v++) {
        size_t n = v < 0x100 ? 1 : v < 0x10000 ? 2 : 3;
        if (n == 3 && (v >> 16) < 0x80)
            continue;
        for (size_t k = 0; k < n; k++)
            buf[k] = (unsigned char)(v >> (8 * (n - 1 - k)));
        size_t i = 0, want = ref_len(buf, n);
        uint32_t cp = text_next((const char *)buf, n, &i);
        if (i != (want ? want : 1) || (want == 0 && cp != TEXT_REPLACEMENT))
            fail_msg("%zu bytes %06X: step %zu, want %zu", n, v, i, want);
    }
    for (unsigned b0 = 0xF0; b0 <= 0xFF; b0++)
        for (size_t a = 0; a < sizeof edges; a++)
            for (size_t b = 0; b < sizeof edges; b++)
                for (size_t c = 0; c < sizeof edges; c++) {
                    buf[0] = (unsigned char)b0;
                    buf[1] = edges[a];
                    buf[2] = edges[b];
                    buf[3] = edges[c];
                    size_t i = 0, want = ref_len(buf, 4);
                    text_next((const char *)buf, 4, &i);
                    assert_int_equal(i, want ? want : 1);
                }
    free(buf);
}

static void test_put(void **state)
{
    (void)state;
    char b[4];
    assert_int_equal(text_put('A', b), 1);
    assert_int_equal(text_put(0x7FF, b), 2);
    assert_memory_equal(b, "\xdf\xbf", 2);
    assert_int_equal(text_put(0x8054, b), 3);
    assert_memory_equal(b, "联", 3);
    assert_int_equal(text_put(0x10FFFF, b), 4);
    assert_memory_equal(b, "\xf4\x8f\xbf\xbf", 4);
    /* Not scalar values: written as U+FFFD. */
    assert_int_equal(text_put(0xD800, b), 3);
    assert_memory_equal(b, "\xef\xbf\xbd", 3);
    assert_int_equal(text_put(0x110000, b), 3);
    assert_memory_equal(b, "\xef\xbf\xbd", 3);
}

static void test_empty(void **state)
{
    (void)state;
    struct collect c = {0};
    assert_int_equal(text_fold_utf8(NULL, 0, NULL, 0), 0);
    assert_int_equal(text_tokenize(NULL, 0, collect_token, &c), 0);
    assert_int_equal(c.calls, 0);
    assert_int_equal(text_pinyin_keys(NULL, 0, NULL, 0), 0);
    check_tokens(" ，。!?\t\n", "");
    check_fold("", "");
}

/* --- folding ----------------------------------------------------------------- */

static void test_fold_width_case(void **state)
{
    (void)state;
    assert_int_equal(text_fold('A'), 'a');
    assert_int_equal(text_fold('z'), 'z');
    assert_int_equal(text_fold('@'), '@');
    assert_int_equal(text_fold('['), '[');
    assert_int_equal(text_fold(0xFF21), 'a'); /* Ａ: width, then case */
    assert_int_equal(text_fold(0xFF41), 'a'); /* ａ */
    assert_int_equal(text_fold(0xFF10), '0'); /* ０ */
    assert_int_equal(text_fold(0xFF01), '!');
    assert_int_equal(text_fold(0xFF5E), '~');
    assert_int_equal(text_fold(0xFF5F), 0xFF5F); /* ｟: past the range */
    assert_int_equal(text_fold(0x3000), ' ');
    assert_int_equal(text_fold(0xC9), 0xE9);     /* É */
    assert_int_equal(text_fold(0xD7), 0xD7);     /* × */
    assert_int_equal(text_fold(0xDF), 0xDF);     /* ß */
    assert_int_equal(text_fold(0x100), 0x101);   /* Ā */
    assert_int_equal(text_fold(0x178), 0xFF);    /* Ÿ */
    assert_int_equal(text_fold(0x130), 'i');     /* İ */
    assert_int_equal(text_fold(0x3A3), 0x3C3);   /* Σ */
    assert_int_equal(text_fold(0x391), 0x3B1);   /* Α */
    assert_int_equal(text_fold(0x416), 0x436);   /* Ж */
    assert_int_equal(text_fold(0x401), 0x451);   /* Ё */
    assert_int_equal(text_fold(0x1E9E), 0x1E9E); /* ẞ: outside the blocks */
    check_fold("Hello, WORLD! [@`{] Zz", "hello, world! [@`{] zz");
    check_fold("ＡＢＣ１２３　ｘｙｚ！", "abc123 xyz!");
    check_fold("ÀÉÎÕÜ ĀČĘ ΑΒΓΔ АБВГД", "àéîõü āčę αβγδ абвгд");
}

static void test_fold_han(void **state)
{
    (void)state;
    assert_int_equal(text_fold(0x806F), 0x8054);   /* 聯 -> 联 */
    assert_int_equal(text_fold(0x76DF), 0x76DF);   /* 盟 */
    assert_int_equal(text_fold(0x85B4), 0x82CE);   /* 薴 -> 苧 -> 苎: a fixed point */
    assert_int_equal(text_fold(0x82E7), 0x82CE);   /* 苧 -> 苎 */
    assert_int_equal(text_fold(0x9C0A), 0x2CDA0);  /* 鰊: a supplementary target */
    assert_int_equal(text_fold(0x29028), 0x2B55A); /* supplementary -> supplementary */
    assert_int_equal(text_fold(0x282E2), 0x4882);  /* supplementary -> BMP */
    assert_int_equal(text_fold(0x92C2), 0x92C2);   /* 鋂: its target is not Han here, kept */
    check_fold("聯盟", "联盟");
    check_fold("技工教育聯盟", "技工教育联盟");
    check_fold("學院", "学院");
    check_fold("職業", "职业");
    check_fold("廣東", "广东");
    check_fold("會議", "会议");
    check_fold("技工教育联盟职业学院", "技工教育联盟职业学院"); /* simplified stays */
    check_fold("é€😀ｶ\xef\xbf\xbd", "é€😀ｶ\xef\xbf\xbd");         /* other text unchanged */
    check_fold("鰊", "\xf0\xac\xb6\xa0");
}

static void test_fold_properties(void **state)
{
    (void)state;
    size_t han_pairs = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        uint32_t f = text_fold(cp);
        if (text_fold(f) != f)
            fail_msg("U+%04X: folding twice differs", cp);
        if (f > 0x10FFFF || (f >= 0xD800 && f <= 0xDFFF && f != cp))
            fail_msg("U+%04X folds to U+%04X", cp, f);
        if (text_is_han(cp) != text_is_han(f))
            fail_msg("U+%04X: Han changes with folding", cp);
        han_pairs += text_is_han(cp) && f != cp;
    }
    assert_true(han_pairs > 4000);
}

/* text_fold_utf8 (fast path) agrees with the per-code-point definition. */
static size_t fold_ref(const char *s, size_t n, char *out)
{
    size_t i = 0, k = 0;
    while (i < n)
        k += text_put(text_fold(text_next(s, n, &i)), out + k);
    return k;
}

static void test_fold_utf8_random(void **state)
{
    (void)state;
    static const char *pieces[] = {
        "A",  "b",    "Z", "@",  "HELLO wOrld 12",   "聯",   "盟",       "學院",     "Ａ",
        "　", "É",    "Σ", "鰊", "\xf0\xa9\x80\xa8", "\xff", "\xe6\x8a", "\xc0\x80", "\xed\xa0\x80",
        "😀",  "\x80", "é"};
    srand(12345);
    char *in = malloc(600), *want = malloc(1800), *got = malloc(1800);
    assert_true(in && want && got);
    for (int round = 0; round < 3000; round++) {
        size_t n = 0;
        while (n < 560) {
            const char *p = pieces[(size_t)rand() % (sizeof pieces / sizeof pieces[0])];
            memcpy(in + n, p, strlen(p));
            n += strlen(p);
        }
        n = (size_t)rand() % n; /* cut anywhere, mid-character too */
        char *src = exact(in, n);
        size_t wl = fold_ref(src, n, want);
        size_t gl = text_fold_utf8(src, n, got, 1800);
        assert_int_equal(gl, wl);
        assert_true(gl <= 3 * n);
        assert_memory_equal(got, want, wl);
        free(src);
    }
    free(in);
    free(want);
    free(got);
}

static void test_fold_cap(void **state)
{
    (void)state;
    const char *in = "技工教育聯盟 ABCdef ＡＢ\xff鰊 and some more ASCII TEXT";
    size_t n = strlen(in);
    char full[256];
    size_t need = text_fold_utf8(in, n, full, sizeof full);
    assert_true(need < sizeof full);
    for (size_t cap = 0; cap <= need + 3; cap++) {
        char *out = malloc(cap ? cap : 1); /* exactly cap bytes: ASan sees any write past */
        assert_non_null(out);
        assert_int_equal(text_fold_utf8(in, n, cap ? out : NULL, cap), need);
        size_t k = cap < need ? cap : need;
        assert_memory_equal(out, full, k); /* a prefix of the whole */
        free(out);
    }
    /* The bound: n bad bytes need 3 n. */
    char bad[16];
    memset(bad, 0xff, sizeof bad);
    assert_int_equal(text_fold_utf8(bad, sizeof bad, NULL, 0), 3 * sizeof bad);
}

/* --- tokenizer --------------------------------------------------------------- */

static void test_tokenize_han(void **state)
{
    (void)state;
    check_tokens("技工教育联盟", "技工@0-6 工教@3-9 教育@6-12 育联@9-15 联盟@12-18 盟@15-18");
    check_tokens("技", "技@0-3");
    check_tokens("技工", "技工@0-6 工@3-6");
    /* Traditional input: the same tokens, the same offsets. */
    check_tokens("技工教育聯盟", "技工@0-6 工教@3-9 教育@6-12 育联@9-15 联盟@12-18 盟@15-18");
    check_tokens("學院", "学院@0-6 院@3-6");
    /* Punctuation and spaces split runs. */
    check_tokens("联盟，学院。", "联盟@0-6 盟@3-6 学院@9-15 院@12-15");
    check_tokens("联 盟", "联@0-3 盟@4-7");
    /* A supplementary ideograph and one that folds to one. */
    check_tokens("𠀀鰊", "𠀀\xf0\xac\xb6\xa0@0-7 \xf0\xac\xb6\xa0@4-7");
}

static void test_tokenize_mixed(void **state)
{
    (void)state;
    check_tokens("2026年ABC技工", "2026@0-4 年@4-7 abc@7-10 技工@10-16 工@13-16");
    check_tokens("hello,world！foo。bar-baz_qux",
                 "hello@0-5 world@6-11 foo@14-17 bar@20-23 baz@24-27 qux@28-31");
    check_tokens("ＡＢＣ１２３　Ｊｉｌｉａｎ", "abc123@0-18 jilian@21-39");
    check_tokens("JiLian ÉCOLE Αθήνα Москва", "jilian@0-6 école@7-13 αθήνα@14-24 москва@25-37");
    check_tokens("cafe\xcc\x81 x", "cafe\xcc\x81@0-6 x@7-8"); /* a combining mark stays */
    check_tokens("ab\xff"
                 "cd\xe6\x8a"
                 "ef",
                 "ab@0-2 cd@3-5 ef@7-9"); /* bad bytes separate */
    check_tokens("a\xef\xbf\xbd"
                 "b",
                 "a@0-1 b@4-5"); /* so does U+FFFD */
    check_tokens("x😀y", "x@0-1 y@5-6");
    check_tokens("葛\xf3\xa0\x84\x80城", "葛@0-3 城@7-10"); /* a variation selector separates */
    check_tokens("東京タワー", "东京@0-6 京@3-6 タワー@6-15");
    check_tokens("v2.0版", "v2@0-2 0@3-4 版@4-7");
}

static void check_query_tokens(const char *in, const char *want)
{
    check_split(text_tokenize_query, in, want);
}

static void test_tokenize_query(void **state)
{
    (void)state;
    /* A run that ends the query is matched by its bigrams alone ... */
    check_query_tokens("技工", "技工@0-6");
    check_query_tokens("技工教育聯盟", "技工@0-6 工教@3-9 教育@6-12 育联@9-15 联盟@12-18");
    check_query_tokens("2026年ABC技工", "2026@0-4 年@4-7 abc@7-10 技工@10-16");
    check_query_tokens("联盟。", "联盟@0-6");
    /* ... while one followed by a token keeps its unigram, as a document has it. */
    check_query_tokens("通知2024", "通知@0-6 知@3-6 2024@6-10");
    check_query_tokens("联盟，学院。", "联盟@0-6 盟@3-6 学院@9-15");
    /* One character keeps its unigram; words are as in documents. */
    check_query_tokens("技", "技@0-3");
    check_query_tokens("年abc", "年@0-3 abc@3-6");
    check_query_tokens("ISO 9001", "iso@0-3 9001@4-8");
    check_query_tokens("", "");
    /* A stop on the held unigram stops the query too. */
    struct collect c = {.stop_after = 2};
    assert_int_equal(text_tokenize_query("通知2024", 10, collect_token, &c), 7);
    assert_string_equal(c.text, "通知@0-6 知@3-6");
}

static void test_tokenize_long_word(void **state)
{
    (void)state;
    char in[200], want[200];
    memset(in, 'a', 100);
    strcpy(in + 100, " end");
    memset(want, 'a', 64);
    strcpy(want + 64, "@0-64 end@101-104");
    check_tokens(in, want);
    /* Cut on a character boundary: 63 a's, then a 2-byte letter that does
     * not fit; nothing of the run after it is kept either. */
    memset(in, 'a', 63);
    strcpy(in + 63, "дaa b");
    memset(want, 'a', 63);
    strcpy(want + 63, "@0-63 b@68-69");
    check_tokens(in, want);
    /* 40 é (80 bytes): 32 of them. */
    size_t n = 0;
    for (int k = 0; k < 40; k++)
        n += (size_t)sprintf(in + n, "É");
    strcpy(want, "");
    for (int k = 0; k < 32; k++)
        strcat(want, "é");
    strcat(want, "@0-64");
    check_tokens(in, want);
}

static void test_tokenize_stop(void **state)
{
    (void)state;
    struct collect c = {.stop_after = 2};
    const char *in = "技工教育 abc def";
    assert_int_equal(text_tokenize(in, strlen(in), collect_token, &c), 7);
    assert_int_equal(c.calls, 2);
    for (size_t stop = 1; stop <= 6; stop++) {
        struct collect d = {.stop_after = stop};
        assert_int_equal(text_tokenize(in, strlen(in), collect_token, &d), 7);
        assert_int_equal(d.calls, stop);
    }
}

/* --- readings and keys ------------------------------------------------------- */

static void test_pinyin_readings(void **state)
{
    (void)state;
    assert_string_equal(text_pinyin(0x6280), "ji");     /* 技 */
    assert_string_equal(text_pinyin(0x5180), "ji");     /* 冀 */
    assert_string_equal(text_pinyin(0x5357), "nan");    /* 南 */
    assert_string_equal(text_pinyin(0x806F), "lian");   /* 聯 */
    assert_string_equal(text_pinyin(0x8054), "lian");   /* 联 */
    assert_string_equal(text_pinyin(0x5973), "nv");     /* 女 */
    assert_string_equal(text_pinyin(0x7EFF), "lv");     /* 绿 */
    assert_string_equal(text_pinyin(0x5E84), "zhuang"); /* 庄 */
    assert_null(text_pinyin('a'));
    assert_null(text_pinyin(0));
    assert_null(text_pinyin(0x3000));
    assert_null(text_pinyin(0x10FFFF));
    /* Every reading is 1-6 letters; a traditional character has one
     * whenever its simplified form does. */
    size_t with = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        const char *r = text_pinyin(cp);
        if (r == NULL) {
            uint32_t f = text_fold(cp);
            if (f != cp && text_pinyin(f) != NULL)
                fail_msg("U+%04X has no reading, its simplified form has", cp);
            continue;
        }
        assert_true(text_is_han(cp));
        size_t len = strlen(r);
        assert_true(len >= 1 && len <= 6);
        assert_int_equal(strspn(r, "abcdefghijklmnopqrstuvwxyz"), len);
        with++;
    }
    assert_true(with > 41000);
}

static void test_pinyin_keys(void **state)
{
    (void)state;
    char *k = keys_str("冀南技师学院");
    assert_string_equal(k, "jinanjishixueyuan nanjishixueyuan jishixueyuan shixueyuan xueyuan "
                           "yuan jnjsxy njsxy jsxy sxy xy y");
    free(k);
    k = keys_str("技工教育联盟");
    assert_true(has_word(k, "jigongjiaoyulianmeng"));
    assert_true(has_word(k, "jgjylm"));
    assert_true(has_word(k, "lianmeng"));
    assert_true(has_word(k, "m"));
    char *t = keys_str("技工教育聯盟"); /* traditional: the same keys */
    assert_string_equal(t, k);
    free(t);
    free(k);
    /* Other text is skipped. */
    k = keys_str("冀南 (Jinan) 技师, 2026");
    assert_string_equal(k, "jinanjishi nanjishi jishi shi jnjs njs js s");
    free(k);
    k = keys_str("中国zhongguo");
    assert_string_equal(k, "zhongguo guo zg g"); /* zh -> z */
    free(k);
    k = keys_str("ABC 123 ，。");
    assert_string_equal(k, "");
    free(k);
}

/* The part of s text_pinyin_span marks for t, or "" when none. */
static const char *span_of(const char *s, size_t n, const char *t)
{
    static char out[256];
    size_t a = 99, b = 99;
    if (!text_pinyin_span(s, n, t, strlen(t), &a, &b))
        return "";
    assert_true(a < b && b <= n);
    snprintf(out, sizeof(out), "%.*s", (int)(b - a), s + a);
    return out;
}

static void test_pinyin_span(void **state)
{
    (void)state;
    const char *name = "冀南技师学院";
    size_t n = strlen(name);
    assert_string_equal(span_of(name, n, "jinanj"), "冀南技");
    assert_string_equal(span_of(name, n, "jsxy"), "技师学院");
    assert_string_equal(span_of(name, n, "jn"), "冀南");
    assert_string_equal(span_of(name, n, "xue"), "学");
    assert_string_equal(span_of(name, n, "y"), "院");
    assert_string_equal(span_of(name, n, "x"), "学");
    assert_string_equal(span_of(name, n, "jinanjishixueyuanx"), "");
    assert_string_equal(span_of(name, n, "jnjsxyz"), "");
    assert_string_equal(span_of(name, n, "jnan"), "");
    assert_string_equal(span_of(name, n, ""), "");
    assert_string_equal(span_of("技工教育聯盟", strlen("技工教育聯盟"), "lianm"), "聯盟");
    assert_string_equal(span_of("冀南 (Jinan) 技师", strlen("冀南 (Jinan) 技师"), "nanji"),
                        "南 (Jinan) 技");
    /* Cut inside 院: it has no reading left. */
    assert_string_equal(span_of(name, n - 1, "xueyuan"), "");
    assert_string_equal(span_of(name, n - 1, "xue"), "学");
    /* Every prefix of every key marks the characters it spells. */
    static const char *const names[] = {"冀南技师学院", "技工教育联盟", "中原经济区", "张 晓明", NULL};
    for (int i = 0; names[i]; i++) {
        char *k = keys_str(names[i]);
        for (char *w = strtok(k, " "); w; w = strtok(NULL, " "))
            for (size_t len = 1; len <= strlen(w); len++) {
                char t[128];
                snprintf(t, sizeof(t), "%.*s", (int)len, w);
                /* The marked characters' readings run together begin
                 * with t, or their initials are t. */
                char *spelled = keys_str(span_of(names[i], strlen(names[i]), t));
                size_t words = 1;
                for (const char *c = spelled; *c; c++)
                    words += *c == ' ';
                const char *ini = spelled; /* word words / 2: the initials of all */
                for (size_t skip = words / 2; skip > 0; skip--)
                    ini = strchr(ini, ' ') + 1;
                bool full = strncmp(spelled, t, len) == 0 && spelled[strcspn(spelled, " ")] != '\0';
                bool initials = strncmp(ini, t, len) == 0 && (ini[len] == ' ' || ini[len] == '\0');
                assert_true(spelled[0] != '\0' && (full || initials));
                free(spelled);
            }
        free(k);
    }
}

static void test_pinyin_keys_limit(void **state)
{
    (void)state;
    /* 40 characters: only the first 32 count. */
    char in[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(in, "技");
    char *k = keys_str(in);
    size_t full = 0;
    for (size_t m = 1; m <= 32; m++)
        full += 2 * m + 1 + m + 1; /* "ji" x m and "j" x m, a space after each */
    assert_int_equal(strlen(k), full - 1);
    for (size_t i = 0; i < 64; i += 2)
        assert_memory_equal(k + i, "ji", 2); /* the first key: 32 readings */
    assert_int_equal(k[64], ' ');
    free(k);
}

static void test_pinyin_keys_cap(void **state)
{
    (void)state;
    const char *in = "冀南技师学院";
    char *full = keys_str(in);
    size_t need = strlen(full);
    for (size_t cap = 0; cap <= need + 2; cap++) {
        char *out = malloc(cap ? cap : 1); /* exactly cap bytes */
        assert_non_null(out);
        assert_int_equal(text_pinyin_keys(in, strlen(in), cap ? out : NULL, cap), need);
        assert_memory_equal(out, full, cap < need ? cap : need);
        free(out);
    }
    free(full);
}

/* text_fts_query of typed (NUL-terminated) as a C string, "(none)" for NULL. */
static const char *query_of(const char *typed, const char *cols)
{
    static char out[512];
    char *q = text_fts_query(typed, strlen(typed), cols);
    snprintf(out, sizeof(out), "%s", q ? q : "(none)");
    free(q);
    return out;
}

static void test_fts_query(void **state)
{
    (void)state;
    assert_string_equal(query_of("技工", ""), "\"技工\"*");
    assert_string_equal(query_of(" 技工  jg\t", ""), "\"技工\"* \"jg\"*");
    /* The ideographic space of Chinese input methods separates too. */
    assert_string_equal(query_of("技工　学校", ""), "\"技工\"* \"学校\"*");
    assert_string_equal(query_of("xinmiao jixie", "{title keys} : "),
                        "{title keys} : \"xinmiao\"* \"jixie\"*");
    /* Quotes split and go: typed text is never FTS5 syntax. */
    assert_string_equal(query_of("a\"b OR c* NEAR(", ""), "\"a\"* \"b\"* \"OR\"* \"c*\"* \"NEAR(\"*");
    assert_string_equal(query_of("\"\" \t\r\n　", ""), "(none)");
    assert_string_equal(query_of("", ""), "(none)");
    /* At most 8 terms. */
    assert_string_equal(query_of("1 2 3 4 5 6 7 8 9 10", ""),
                        "\"1\"* \"2\"* \"3\"* \"4\"* \"5\"* \"6\"* \"7\"* \"8\"*");
    /* Half an ideographic space is text, not a separator. */
    assert_string_equal(query_of("技\xe3\x80", ""), "\"技\xe3\x80\"*");
}

/* The runs of s that text_mark_hits marks for typed, joined by "|". */
static const char *hits_of(const char *s, const char *typed)
{
    static char out[512];
    const char *terms[TEXT_MAX_TERMS];
    size_t lens[TEXT_MAX_TERMS], n = strlen(s);
    size_t k = text_query_terms(typed, strlen(typed), terms, lens);
    char *src = exact(s, n);
    unsigned char *mark = calloc(n ? n : 1, 1); /* exactly n bytes */
    assert_non_null(mark);
    size_t found = text_mark_hits(src, n, terms, lens, k, mark), len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        assert_true(mark[i] <= 1);
        if (mark[i] && (i == 0 || !mark[i - 1]) && len > 0)
            out[len++] = '|';
        if (mark[i])
            out[len++] = s[i];
    }
    out[len] = '\0';
    assert_true((found > 0) == (len > 0));
    free(mark);
    free(src);
    return out;
}

static void test_mark_hits(void **state)
{
    (void)state;
    assert_string_equal(hits_of("石家庄市技工学校", "技工学"), "技工学");
    assert_string_equal(hits_of("技工与技工", "技工"), "技工|技工");
    /* Either script finds the other; the source's own bytes are marked. */
    assert_string_equal(hits_of("技工教育联盟", "聯盟"), "联盟");
    assert_string_equal(hits_of("技工教育聯盟", "联盟"), "聯盟");
    /* One character marks itself, not the bigram it begins; overlapping
     * bigrams (鑫淼 and 淼精) mark their union once. */
    assert_string_equal(hits_of("测试鑫淼精密", "鑫"), "鑫");
    assert_string_equal(hits_of("测试鑫淼精密", "鑫 淼"), "鑫淼");
    assert_string_equal(hits_of("工工工", "工"), "工工工");
    assert_string_equal(hits_of("工工工", "工工"), "工工工");
    assert_string_equal(hits_of("鑫淼精密", "鑫淼 淼精"), "鑫淼精");
    /* Words by prefix, case folded; characters then digits in one term. */
    assert_string_equal(hits_of("JiLian 2026", "jil"), "JiLian");
    assert_string_equal(hits_of("会员通知2024年", "通知2024"), "通知2024");
    assert_string_equal(hits_of("ＩＳＯ９００１认证", "iso9001"), "ＩＳＯ９００１");
    /* No match, no term, nothing to mark in. */
    assert_string_equal(hits_of("技工学校", "机床"), "");
    assert_string_equal(hits_of("技工学校", "  "), "");
    assert_string_equal(hits_of("", "技工"), "");
    /* Cut inside a character: what is left still matches. */
    assert_string_equal(hits_of("技工学\xe6\xa0", "技工"), "技工");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_decode_malformed),
        cmocka_unit_test(test_decode_cut),
        cmocka_unit_test(test_decode_exhaustive),
        cmocka_unit_test(test_put),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_fold_width_case),
        cmocka_unit_test(test_fold_han),
        cmocka_unit_test(test_fold_properties),
        cmocka_unit_test(test_fold_utf8_random),
        cmocka_unit_test(test_fold_cap),
        cmocka_unit_test(test_tokenize_han),
        cmocka_unit_test(test_tokenize_mixed),
        cmocka_unit_test(test_tokenize_long_word),
        cmocka_unit_test(test_tokenize_stop),
        cmocka_unit_test(test_pinyin_readings),
        cmocka_unit_test(test_pinyin_keys),
        cmocka_unit_test(test_pinyin_keys_limit),
        cmocka_unit_test(test_pinyin_span),
        cmocka_unit_test(test_tokenize_query),
        cmocka_unit_test(test_fts_query),
        cmocka_unit_test(test_mark_hits),
        cmocka_unit_test(test_pinyin_keys_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
