/*
 * text.c - UTF-8 decoding and encoding, and folding (see text.h): one code
 * point at a time through a table generated at build time from OpenCC's
 * TSCharacters and the UCD (tools/gen_text_tables.py -> text_fold_data.h),
 * and a whole text with a fast path, since folding runs over every
 * document the search index takes in.
 *
 * The fold table: a code point of the BMP is looked up in two steps
 * (fold_index[cp >> FOLD_SHIFT] gives the offset of a block in
 * fold_blocks, shared between equal blocks); the entry is 0 for "no
 * change", else the folded character already encoded as UTF-8 (so the
 * fast path stores it as one word, whatever its length: a traditional
 * character of the BMP may have a supplementary simplified form). A
 * supplementary source is looked up in the sorted fold_supp_from. Targets
 * are fixed points: folding twice is folding once.
 *
 * The fast path of text_fold_utf8 handles a well-formed 3-byte sequence
 * (CJK) without a branch on whether it changes, up to 8 ASCII bytes at
 * once (case folded with a few word operations), 4- and 2-byte sequences,
 * writing straight to out while 8 bytes of input and 8 bytes of room
 * are left (it may write scratch bytes past the folded length, never past
 * cap); the rest (bad bytes, the last bytes) goes through text_next,
 * text_fold and text_put. On mixed text the cost is mostly the branch between those
 * cases, which the text decides (a block-at-a-time variant that found
 * characters from a mask of lead bytes, without that branch, did twice
 * the work per character and ran at half the speed).
 */
#include "lib/text/text.h"
#include "lib/text/text_internal.h"

#include <string.h>

#include "text_fold_data.h"

/* --- UTF-8 ------------------------------------------------------------------- */

static inline bool is_cont(unsigned char b)
{
    return (b & 0xC0) == 0x80;
}

/* The sequence at p (left bytes) whose lead byte b0 is >= 0xC2: its code
 * point, or TEXT_REPLACEMENT when it is not well formed; *len its length. */
static uint32_t decode_multi(const unsigned char *p, size_t left, size_t *len)
{
    unsigned b0 = p[0];
    *len = 1;
    if (b0 < 0xE0) {
        if (left < 2 || !is_cont(p[1]))
            return TEXT_REPLACEMENT;
        *len = 2;
        return ((uint32_t)(b0 & 0x1F) << 6) | (p[1] & 0x3F);
    }
    if (b0 < 0xF0) {
        if (left < 3 || !is_cont(p[1]) || !is_cont(p[2]))
            return TEXT_REPLACEMENT;
        uint32_t cp =
            ((uint32_t)(b0 & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
            return TEXT_REPLACEMENT;
        *len = 3;
        return cp;
    }
    if (b0 > 0xF4 || left < 4 || !is_cont(p[1]) || !is_cont(p[2]) || !is_cont(p[3]))
        return TEXT_REPLACEMENT;
    uint32_t cp = ((uint32_t)(b0 & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                  ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    if (cp < 0x10000 || cp > 0x10FFFF)
        return TEXT_REPLACEMENT;
    *len = 4;
    return cp;
}

uint32_t text_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    if (p[0] < 0x80) {
        *i += 1;
        return p[0];
    }
    if (p[0] < 0xC2) { /* a continuation byte, or an overlong 2-byte lead */
        *i += 1;
        return TEXT_REPLACEMENT;
    }
    size_t len;
    uint32_t cp = decode_multi(p, n - *i, &len);
    *i += len;
    return cp;
}

size_t text_put(uint32_t cp, char out[4])
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = TEXT_REPLACEMENT; /* not a scalar value: write what a reader would see */
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* --- one code point ---------------------------------------------------------- */

/* The table entry of cp (of the BMP): 0, or the folded character as UTF-8
 * in the low bytes of a little-endian word. */
static inline uint32_t fold_entry(uint32_t cp)
{
    return fold_blocks[fold_index[cp >> FOLD_SHIFT] + (cp & ((1u << FOLD_SHIFT) - 1))];
}

/* The length of the UTF-8 sequence whose lead byte is b (a valid lead). */
static inline size_t lead_len(uint32_t b)
{
    return 1 + (size_t)(b >= 0xC0) + (size_t)(b >= 0xE0) + (size_t)(b >= 0xF0);
}

/* The code point of a well-formed packed sequence e (as fold_blocks holds). */
static uint32_t unpack(uint32_t e)
{
    switch (lead_len(e & 0xFF)) {
    case 1:
        return e;
    case 2:
        return ((e & 0x1F) << 6) | ((e >> 8) & 0x3F);
    case 3:
        return ((e & 0x0F) << 12) | (((e >> 8) & 0x3F) << 6) | ((e >> 16) & 0x3F);
    default:
        return ((e & 0x07) << 18) | (((e >> 8) & 0x3F) << 12) | (((e >> 16) & 0x3F) << 6) |
               ((e >> 24) & 0x3F);
    }
}

enum { SUPP_COUNT = sizeof fold_supp_from / sizeof fold_supp_from[0] };

/* A supplementary cp: a lower-bound search of fold_supp_from whose steps
 * do not depend on the data (each choice is a mask, not a branch), so a
 * text full of rare characters costs no mispredictions. */
static inline uint32_t fold_supplementary(uint32_t cp)
{
    if (SUPP_COUNT == 0 || cp < fold_supp_from[0] || cp > fold_supp_from[SUPP_COUNT - 1])
        return cp;
    size_t at = 0, len = SUPP_COUNT;
    while (len > 1) {
        size_t half = len / 2;
        at += half & (0 - (size_t)(fold_supp_from[at + half - 1] < cp)); /* no branch */
        len -= half;
    }
    return fold_supp_from[at] == cp ? fold_supp_to[at] : cp;
}

uint32_t text_fold(uint32_t cp)
{
    if (cp < 0x80)
        return cp - 'A' < 26u ? cp + 0x20 : cp;
    if (cp < 0x10000) {
        uint32_t e = fold_entry(cp);
        return e ? unpack(e) : cp;
    }
    return fold_supplementary(cp);
}

uint32_t text_fold_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    if (p[0] < 0x80) {
        *i += 1;
        return (uint32_t)p[0] - 'A' < 26u ? p[0] + 0x20u : p[0];
    }
    if ((p[0] & 0xF0) == 0xE0 && n - *i >= 3) {
        uint32_t w = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
        uint32_t cp = ((w & 0x0F) << 12) | ((w & 0x3F00) >> 2) | ((w >> 16) & 0x3F);
        if (((w & 0xC0C000) == 0x808000) & (cp >= 0x800) & ((cp & 0xF800) != 0xD800)) {
            *i += 3;
            uint32_t e = fold_entry(cp);
            return e ? unpack(e) : cp;
        }
    }
    return text_fold(text_next(s, n, i));
}

bool text_is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

/* --- a whole text ------------------------------------------------------------ */

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Eight ASCII bytes with A-Z made a-z: a byte's high bit is set in ge_a
 * when it is >= 'A' and in gt_z when it is > 'Z' (no carries: every byte
 * is < 0x80, so adding at most 0x3F stays within the byte). */
static inline uint64_t lower8(uint64_t w)
{
    uint64_t ge_a = w + ONES * (0x80 - 'A');
    uint64_t gt_z = w + ONES * (0x80 - 'Z' - 1);
    return w | (((ge_a & ~gt_z) & HIGHS) >> 2);
}

/* An ASCII byte at p[0] with 8 bytes from it: the run of ASCII bytes
 * among the 8 folded at once. All 8 bytes are written (o has room for 8),
 * but only the run counts; the next step writes over the rest. */
static inline size_t fold_ascii8(const unsigned char *p, unsigned char *o)
{
    uint64_t w;
    memcpy(&w, p, 8);
    uint64_t high = w & HIGHS;
    size_t run = high ? (size_t)__builtin_ctzll(high) / 8 : 8; /* >= 1: p[0] is ASCII */
    w = lower8(w & ~HIGHS);
    memcpy(o, &w, 8);
    return run;
}

static inline void store_le32(unsigned char *o, uint32_t e)
{
    o[0] = (unsigned char)e;
    o[1] = (unsigned char)(e >> 8);
    o[2] = (unsigned char)(e >> 16);
    o[3] = (unsigned char)(e >> 24);
}

/* A 2-byte sequence at p (Latin, Greek, Cyrillic): when well formed,
 * folded into o (4 bytes of room) and its folded length returned; else 0. */
static inline size_t fold_2(const unsigned char *p, unsigned char *o)
{
    uint32_t b0 = p[0], b1 = p[1];
    if (b0 < 0xC2 || !is_cont((unsigned char)b1))
        return 0;
    uint32_t e = fold_entry(((b0 & 0x1F) << 6) | (b1 & 0x3F));
    store_le32(o, e ? e : b0 | (b1 << 8));
    return lead_len(e ? e & 0xFF : b0);
}

/* A 3-byte sequence at p (4 bytes readable): when well formed, folded
 * into o (4 bytes of room) and its folded length returned (1, 3 or 4);
 * else 0. Whether the character changes is no branch: the table's packed
 * bytes or the input's own are stored as one word. */
static inline size_t fold_3(const unsigned char *p, unsigned char *o)
{
    uint32_t w = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
    uint32_t cp = ((w & 0x0F) << 12) | ((w & 0x3F00) >> 2) | ((w >> 16) & 0x3F);
    if (((w & 0xC0C000) != 0x808000) | (cp < 0x800) | ((cp & 0xF800) == 0xD800))
        return 0;
    uint32_t e = fold_entry(cp);
    uint32_t m = 0u - (uint32_t)(e != 0);
    e = (e & m) | (w & ~m);
    store_le32(o, e);
    return lead_len(e & 0xFF);
}

/* A well-formed 4-byte sequence at p: folded into o; 0 when it is not
 * well formed or folds to a character of the BMP (the slow path). */
static inline size_t fold_4(const unsigned char *p, unsigned char *o)
{
    uint32_t b0 = p[0], b1 = p[1], b2 = p[2], b3 = p[3];
    uint32_t cp = ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F);
    uint32_t cont = ((b1 & 0xC0) ^ 0x80) | ((b2 & 0xC0) ^ 0x80) | ((b3 & 0xC0) ^ 0x80);
    if (cont | (cp < 0x10000) | (cp > 0x10FFFF))
        return 0;
    uint32_t f = fold_supplementary(cp);
    if (f < 0x10000)
        return 0;
    o[0] = (unsigned char)(0xF0 | (f >> 18));
    o[1] = (unsigned char)(0x80 | ((f >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((f >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (f & 0x3F));
    return 4;
}

/* Bytes read and written by one step. */
struct step {
    size_t in, out;
};

/* The general step: anything the fast cases leave (bad bytes, a
 * supplementary character folding to the BMP, the last bytes). Kept out of
 * line, so that the positions of the fast loop stay in registers. */
static __attribute__((noinline)) struct step fold_general(const char *s, size_t n, size_t i,
                                                          char *o)
{
    size_t j = i;
    uint32_t cp = text_fold(text_next(s, n, &j));
    return (struct step){j - i, text_put(cp, o)};
}

/* The fast path: folds s[*in..n) into out[*outp..) while 8 bytes of
 * input are left and 8 bytes of room before cap (so no case checks
 * lengths); updates both positions. */
static void fold_fast(const char *s, size_t n, size_t *in, char *out, size_t cap, size_t *outp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char *o = (unsigned char *)out;
    size_t i = *in, k = *outp, w;
    while (n - i >= 8 && cap - k >= 8) {
        unsigned b0 = p[i];
        if ((b0 & 0xF0) == 0xE0 && (w = fold_3(p + i, o + k)) != 0) {
            i += 3;
            k += w;
        } else if (b0 < 0x80) {
            w = fold_ascii8(p + i, o + k);
            i += w;
            k += w;
        } else if ((b0 & 0xF8) == 0xF0 && (w = fold_4(p + i, o + k)) != 0) {
            i += 4;
            k += 4;
        } else if ((b0 & 0xE0) == 0xC0 && (w = fold_2(p + i, o + k)) != 0) {
            i += 2;
            k += w;
        } else {
            struct step st = fold_general(s, n, i, out + k);
            i += st.in;
            k += st.out;
        }
    }
    *in = i;
    *outp = k;
}

size_t text_fold_utf8(const char *s, size_t n, char *out, size_t cap)
{
    size_t i = 0, k = 0;
    if (n >= 8 && cap >= 8)
        fold_fast(s, n, &i, out, cap, &k);
    while (i < n) {
        char buf[4];
        size_t len = text_put(text_fold(text_next(s, n, &i)), buf);
        if (k < cap)
            memcpy(out + k, buf, len < cap - k ? len : cap - k);
        k += len;
    }
    return k;
}
