/*
 * pinyin_clean.c - strips inline pinyin annotations such as 聯(lián)盟 from
 * imported text (see pinyin.h for the exact rules): a table of the
 * standard Mandarin syllables, a parser for one annotation body, and one
 * pass over the text that copies everything else byte for byte.
 */
#include "lib/text/pinyin.h"

#include "base/alloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum {
    BODY_MAX = 96, /* bytes between the parentheses */
    SYL_MAX = 6,   /* letters in the longest syllable (zhuang) */
};

/* --- the syllable table ------------------------------------------------------ */

/*
 * The finals each initial combines with, from the standard table; "v" is
 * ü.  y and w are written as initials with the finals they are spelled
 * with (ya, yi, yu, yue, wa, wu, ...), "" is the zero initial.
 */
#define GKH " a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang "
#define JQX " i ia ie iao iu ian in iang ing iong u ue uan un "
static const struct {
    const char *initial;
    const char *finals; /* space-separated, a space at each end */
} syllable_table[] = {
    {"", " a o e ai ei ao ou an en ang eng er "},
    {"b", " a o ai ei ao an en ang eng i ie iao ian in ing u "},
    {"p", " a o ai ei ao ou an en ang eng i ie iao ian in ing u "},
    {"m", " a o e ai ei ao ou an en ang eng i ie iao iu ian in ing u "},
    {"f", " a o ei ou an en ang eng u "},
    {"d", " a e ai ei ao ou an en ang eng ong i ia ie iao iu ian ing u uo ui uan un "},
    {"t", " a e ai ao ou an ang eng ong i ie iao ian ing u uo ui uan un "},
    {"n", " a e ai ei ao ou an en ang eng ong i ie iao iu ian in iang ing u uo uan v ve "},
    {"l", " a o e ai ei ao ou an ang eng ong i ia ie iao iu ian in iang ing u uo uan un v ve "},
    {"g", GKH},
    {"k", GKH},
    {"h", GKH},
    {"j", JQX},
    {"q", JQX},
    {"x", JQX},
    {"zh", " a e ai ei ao ou an en ang eng ong i u ua uo uai ui uan un uang "},
    {"ch", " a e ai ao ou an en ang eng ong i u ua uo uai ui uan un uang "},
    {"sh", " a e ai ei ao ou an en ang eng i u ua uo uai ui uan un uang "},
    {"r", " e ao ou an en ang eng ong i u ua uo ui uan un "},
    {"z", " a e ai ei ao ou an en ang eng ong i u uo ui uan un "},
    {"c", " a e ai ao ou an en ang eng ong i u uo ui uan un "},
    {"s", " a e ai ao ou an en ang eng ong i u uo ui uan un "},
    {"y", " a o e ao ou an ang i in ing ong u ue uan un "},
    {"w", " a o ai ei an en ang eng u "},
};
#undef GKH
#undef JQX

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'v';
}

/* True when the k lowercase letters at p spell a syllable of the table. */
static bool is_syllable(const char *p, size_t k)
{
    size_t ilen = 0;
    if (k >= 2 && p[1] == 'h' && (p[0] == 'z' || p[0] == 'c' || p[0] == 's'))
        ilen = 2;
    else if (!is_vowel(p[0]))
        ilen = 1;
    if (ilen >= k)
        return false;
    char final[SYL_MAX + 3];
    final[0] = ' ';
    memcpy(final + 1, p + ilen, k - ilen);
    final[k - ilen + 1] = ' ';
    final[k - ilen + 2] = '\0';
    for (size_t r = 0; r < sizeof(syllable_table) / sizeof(syllable_table[0]); r++) {
        const char *ini = syllable_table[r].initial;
        if (strlen(ini) == ilen && memcmp(ini, p, ilen) == 0)
            return strstr(syllable_table[r].finals, final) != NULL;
    }
    return false;
}

/* --- characters ---------------------------------------------------------------- */

/* Decodes one well-formed UTF-8 character from s (n > 0 bytes left):
 * returns its length, or 0 when the bytes are not well-formed UTF-8
 * (overlong, surrogate, above U+10FFFF, cut off). */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c = s[0];
    size_t len;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, min = 0x80, c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, min = 0x800, c &= 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
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

static bool is_ideograph(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
           (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2fa1f);
}

/* The vowels with a tone mark, small and capital, and the letter each is. */
static const struct {
    uint16_t cp;
    char base;
} toned_vowels[] = {
    {0x0101, 'a'}, {0x00e1, 'a'}, {0x01ce, 'a'}, {0x00e0, 'a'}, {0x0100, 'a'}, {0x00c1, 'a'},
    {0x01cd, 'a'}, {0x00c0, 'a'}, {0x0113, 'e'}, {0x00e9, 'e'}, {0x011b, 'e'}, {0x00e8, 'e'},
    {0x0112, 'e'}, {0x00c9, 'e'}, {0x011a, 'e'}, {0x00c8, 'e'}, {0x012b, 'i'}, {0x00ed, 'i'},
    {0x01d0, 'i'}, {0x00ec, 'i'}, {0x012a, 'i'}, {0x00cd, 'i'}, {0x01cf, 'i'}, {0x00cc, 'i'},
    {0x014d, 'o'}, {0x00f3, 'o'}, {0x01d2, 'o'}, {0x00f2, 'o'}, {0x014c, 'o'}, {0x00d3, 'o'},
    {0x01d1, 'o'}, {0x00d2, 'o'}, {0x016b, 'u'}, {0x00fa, 'u'}, {0x01d4, 'u'}, {0x00f9, 'u'},
    {0x016a, 'u'}, {0x00da, 'u'}, {0x01d3, 'u'}, {0x00d9, 'u'}, {0x01d6, 'v'}, {0x01d8, 'v'},
    {0x01da, 'v'}, {0x01dc, 'v'}, {0x01d5, 'v'}, {0x01d7, 'v'}, {0x01d9, 'v'}, {0x01db, 'v'},
};

/* Maps a pinyin letter to its lowercase base letter ('v' for ü) and tells
 * whether it carries a tone mark; false when c is not a pinyin letter. */
static bool pinyin_letter(uint32_t c, char *base, bool *toned)
{
    *toned = false;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        *base = (char)(c | 0x20);
        return true;
    }
    if (c == 0x00fc || c == 0x00dc) {
        *base = 'v';
        return true;
    }
    for (size_t i = 0; i < sizeof(toned_vowels) / sizeof(toned_vowels[0]); i++) {
        if (toned_vowels[i].cp == c) {
            *base = toned_vowels[i].base;
            *toned = true;
            return true;
        }
    }
    return false;
}

static bool is_combining_tone(uint32_t c)
{
    return c == 0x0304 || c == 0x0301 || c == 0x030c || c == 0x0300;
}

/* --- one annotation body ------------------------------------------------------- */

struct body {
    char let[BODY_MAX];           /* the current run of letters, lowercase */
    unsigned char mark[BODY_MAX]; /* 1 where that letter has a tone mark */
    size_t n;                     /* letters in the run */
    size_t letters;               /* letters in the whole body */
    unsigned syllables;           /* syllables in the finished runs */
    bool toned;                   /* a tone mark or digit was seen */
};

/* True when the k letters at i of the run form one syllable with at most
 * one tone mark (none when a tone digit follows it). */
static bool segment_ok(const struct body *b, size_t i, size_t k, bool digit_after)
{
    unsigned marks = 0;
    for (size_t j = i; j < i + k; j++)
        marks += b->mark[j];
    if (marks > (digit_after ? 0u : 1u))
        return false;
    return is_syllable(b->let + i, k);
}

/* Splits the run of letters into the fewest syllables (the letters may be
 * written together, as in "lianmeng"); false when it cannot be split.
 * digit says a tone digit follows the run. */
static bool finish_run(struct body *b, bool digit)
{
    int best[BODY_MAX + 1]; /* fewest syllables for the first i letters; -1: none */
    best[0] = 0;
    for (size_t i = 1; i <= b->n; i++) {
        best[i] = -1;
        for (size_t k = 1; k <= SYL_MAX && k <= i; k++) {
            if (best[i - k] < 0 || !segment_ok(b, i - k, k, digit && i == b->n))
                continue;
            if (best[i] < 0 || best[i - k] + 1 < best[i])
                best[i] = best[i - k] + 1;
        }
    }
    if (b->n == 0 || best[b->n] < 0)
        return false;
    b->syllables += (unsigned)best[b->n];
    b->letters += b->n;
    b->n = 0;
    return true;
}

enum last_token { TOK_NONE, TOK_LETTER, TOK_SEP, TOK_DIGIT };

/* Takes one character c of a body; false when it cannot be part of one. */
static bool body_take(struct body *b, uint32_t c, enum last_token *last)
{
    char base;
    bool toned;
    if (pinyin_letter(c, &base, &toned)) {
        if (b->n >= BODY_MAX)
            return false;
        b->let[b->n] = base;
        b->mark[b->n++] = toned;
        b->toned |= toned;
        *last = TOK_LETTER;
        return true;
    }
    if (is_combining_tone(c) || c == 0x0308) {
        if (*last != TOK_LETTER || b->mark[b->n - 1])
            return false;
        if (c == 0x0308) { /* u + diaeresis is ü */
            if (b->let[b->n - 1] != 'u')
                return false;
            b->let[b->n - 1] = 'v';
            return true;
        }
        if (!is_vowel(b->let[b->n - 1]))
            return false;
        b->mark[b->n - 1] = 1;
        b->toned = true;
        return true;
    }
    if (c >= '1' && c <= '5') {
        if (*last != TOK_LETTER || !finish_run(b, true))
            return false;
        b->toned = true;
        *last = TOK_DIGIT;
        return true;
    }
    if (c == ' ' || c == '\'' || c == 0x2019) {
        if (*last == TOK_LETTER && !finish_run(b, false))
            return false;
        if (*last != TOK_LETTER && *last != TOK_DIGIT)
            return false;
        *last = TOK_SEP;
        return true;
    }
    return false;
}

/*
 * Looks at the bytes after an opening parenthesis that follows an
 * ideograph (han_run: ideographs since the last other character or removed
 * annotation).  Returns how many bytes, up to and including the closing
 * parenthesis, belong to an annotation to remove, or 0 to keep them.
 */
static size_t annotation_len(const unsigned char *s, size_t n, size_t han_run)
{
    struct body b;
    enum last_token last = TOK_NONE;
    bool separated = false;
    b.n = b.letters = 0;
    b.syllables = 0;
    b.toned = false;
    size_t i = 0;
    while (i < n && i <= BODY_MAX) {
        uint32_t c;
        size_t k = utf8_next(s + i, n - i, &c);
        if (k == 0)
            return 0;
        if (c == ')' || c == 0xff09) {
            if (last == TOK_LETTER && !finish_run(&b, false))
                return 0;
            if (last != TOK_LETTER && last != TOK_DIGIT)
                return 0;
            if (b.toned)
                return i + k;
            bool single = b.syllables == 1 && !separated && b.letters >= 2 && han_run <= 1;
            return single ? i + k : 0;
        }
        if (!body_take(&b, c, &last))
            return 0;
        separated |= last == TOK_SEP;
        i += k;
    }
    return 0;
}

/* --- the pass over the text ------------------------------------------------------ */

char *text_strip_pinyin(const char *s, size_t n, size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)s;
    char *out = xmalloc(n + 1);
    size_t o = 0, i = 0;
    bool after_han = false; /* the last byte kept ends an ideograph */
    size_t han_run = 0;
    while (i < n) {
        uint32_t c;
        size_t k = utf8_next(u + i, n - i, &c);
        if (k == 0) { /* not UTF-8: one byte, kept as is */
            out[o++] = s[i++];
            after_han = false;
            han_run = 0;
            continue;
        }
        if (after_han && (c == '(' || c == 0xff08)) {
            size_t skip = annotation_len(u + i + k, n - i - k, han_run);
            if (skip > 0) {
                i += k + skip;
                han_run = 0;
                continue;
            }
        }
        memcpy(out + o, s + i, k);
        o += k;
        i += k;
        after_han = is_ideograph(c);
        han_run = after_han ? han_run + 1 : 0;
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}
