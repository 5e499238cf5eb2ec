/*
 * pinyin_keys.c - Mandarin readings of Han characters and the pinyin keys
 * of a name (text.h), so that 冀南技师学院 is found by "jinan", "jsxy" or
 * "xueyuan".
 *
 * The readings come from Unihan's kMandarin (first reading, tone marks
 * dropped, ü written v); a traditional character without one takes the
 * reading of its simplified form (OpenCC). tools/gen_text_tables.py turns
 * them into text_pinyin_data.h at build time: the 415 syllables, a bitmap
 * over the Han blocks of the code points that have a reading, the number
 * of set bits before each 64-bit word of it (rank), and the syllable
 * number of each set bit in code point order, 9 bits each. A lookup is a
 * range test, one word of the bitmap, a popcount and a 2-byte read: 64 KB
 * for 41,000 readings, where a flat 16-bit table over the same blocks
 * would take 180 KB.
 */
#include "lib/text/text.h"

#include <string.h>

#include "text_pinyin_data.h"

enum {
    KEY_CHARS = 32, /* Han characters of a name that count */
};

/* The k-th syllable number: PINYIN_VALUE_BITS (at most 9) bits at bit
 * k * PINYIN_VALUE_BITS of pinyin_values, so within 2 bytes. */
static uint32_t syllable_number(size_t k)
{
    size_t bit = k * PINYIN_VALUE_BITS;
    uint32_t two = pinyin_values[bit >> 3] | ((uint32_t)pinyin_values[(bit >> 3) + 1] << 8);
    return (two >> (bit & 7)) & ((1u << PINYIN_VALUE_BITS) - 1);
}

const char *text_pinyin(uint32_t cp)
{
    for (size_t r = 0; r < sizeof pinyin_spans / sizeof pinyin_spans[0]; r++) {
        if (cp < pinyin_spans[r].lo || cp > pinyin_spans[r].hi)
            continue;
        uint32_t bit = pinyin_spans[r].bit + (cp - pinyin_spans[r].lo);
        uint64_t word = pinyin_bits[bit >> 6];
        uint64_t below = word & ((UINT64_C(1) << (bit & 63)) - 1);
        if (((word >> (bit & 63)) & 1) == 0)
            return NULL;
        size_t k = pinyin_rank[bit >> 6] + (size_t)__builtin_popcountll(below);
        return pinyin_syllables[syllable_number(k)];
    }
    return NULL;
}

/* Output bounded by cap; len counts every byte asked for. */
struct sink {
    char *out;
    size_t cap, len;
};

static void put(struct sink *k, const char *s, size_t n)
{
    if (k->len < k->cap)
        memcpy(k->out + k->len, s, n < k->cap - k->len ? n : k->cap - k->len);
    k->len += n;
}

/* The keys from each reading to the last, run together: whole syllables,
 * or (initials) their first letters; each key preceded by a space but the
 * very first of the output. */
static void put_suffixes(struct sink *k, const char *const *syl, size_t count, bool initials)
{
    for (size_t from = 0; from < count; from++) {
        if (k->len > 0)
            put(k, " ", 1);
        for (size_t j = from; j < count; j++)
            put(k, syl[j], initials ? 1 : strlen(syl[j]));
    }
}

/* The readings of the first KEY_CHARS Han characters of s that have one,
 * with each character's byte range when from/to are not NULL; returns
 * how many. */
static size_t readings(const char *s, size_t n, const char **syl, size_t *from, size_t *to)
{
    size_t count = 0, han = 0, i = 0;
    while (i < n && han < KEY_CHARS) {
        size_t at = i;
        uint32_t cp = text_next(s, n, &i);
        if (!text_is_han(cp))
            continue;
        han++;
        const char *r = text_pinyin(cp);
        if (r == NULL)
            continue;
        if (from != NULL) {
            from[count] = at;
            to[count] = i;
        }
        syl[count++] = r;
    }
    return count;
}

size_t text_pinyin_keys(const char *s, size_t n, char *out, size_t cap)
{
    const char *syl[KEY_CHARS];
    size_t count = readings(s, n, syl, NULL, NULL);
    struct sink k = {.out = out, .cap = cap, .len = 0};
    put_suffixes(&k, syl, count, false);
    put_suffixes(&k, syl, count, true);
    return k.len;
}

/* How many readings from syl[0] on t[0..tn) spans when it begins them run
 * together (initials: their first letters); 0 when it does not. */
static size_t spans(const char *const *syl, size_t count, const char *t, size_t tn, bool initials)
{
    size_t pos = 0, j = 0;
    while (pos < tn && j < count) {
        size_t len = initials ? 1 : strlen(syl[j]);
        size_t m = len < tn - pos ? len : tn - pos;
        if (memcmp(t + pos, syl[j], m) != 0)
            return 0;
        pos += m;
        j++;
    }
    return pos == tn ? j : 0;
}

bool text_pinyin_span(const char *s, size_t n, const char *t, size_t tn, size_t *start,
                      size_t *end)
{
    const char *syl[KEY_CHARS];
    size_t from[KEY_CHARS], to[KEY_CHARS];
    size_t count = tn > 0 ? readings(s, n, syl, from, to) : 0;
    for (size_t i = 0; i < count; i++) {
        size_t j = spans(syl + i, count - i, t, tn, false);
        if (j == 0)
            j = spans(syl + i, count - i, t, tn, true);
        if (j > 0) {
            *start = from[i];
            *end = to[i + j - 1];
            return true;
        }
    }
    return false;
}
