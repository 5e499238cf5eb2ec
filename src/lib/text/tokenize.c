/*
 * tokenize.c - the search tokenizer of text.h: one pass over the text,
 * each code point decoded, folded and classed as Han (text_is_han), a word
 * character or a separator.
 *
 * A word character is, after folding, a code point of general category L
 * (letters), N (digits and other numbers) or M (combining marks, so that
 * "café" written with a combining accent stays one word), less the
 * Default_Ignorable_Code_Point ones (variation selectors, zero-width
 * joiners, the soft hyphen), which separate like punctuation. The table
 * (a two-level bitmap, text_class_data.h) is generated at build time from
 * the UCD by tools/gen_text_tables.py.
 *
 * The tokenizer keeps the previous character of a Han run (to pair it with
 * the next one) and the word being built, and emits a token as soon as it
 * is complete, so tokens come in the order of their start offsets: a Han
 * run's bigrams, then its closing unigram, then whatever follows. For a
 * query the closing unigram waits for the next token and is dropped when
 * none comes (text_tokenize_query).
 */
#include "lib/text/text.h"
#include "lib/text/text_internal.h"

#include <string.h>

#include "text_class_data.h"

struct tokenizer {
    text_token_fn fn;
    void *ctx;
    /* The Han run: its last character so far, folded (len 0: no run). */
    char han[4];
    size_t han_len, han_start, han_end;
    /* The word being built: its folded bytes so far (len 0: no word). */
    char word[TEXT_TOKEN_MAX];
    size_t word_len, word_start, word_end;
    bool word_full; /* a character did not fit: the rest of the run is dropped */
    /* Queries: the closing unigram of a run of two or more characters is
     * held until another token follows, and dropped at the end. */
    bool query, han_paired;
    char held[4];
    size_t held_len, held_start, held_end;
};

/* Passes a token on, after the held unigram if there is one. */
static int emit(struct tokenizer *t, const char *tok, size_t len, size_t start, size_t end)
{
    if (t->held_len > 0) {
        size_t n = t->held_len;
        t->held_len = 0;
        int rc = t->fn(t->ctx, t->held, n, t->held_start, t->held_end);
        if (rc != 0)
            return rc;
    }
    return t->fn(t->ctx, tok, len, start, end);
}

static bool is_word_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'); /* folded: no A-Z */
    if (cp > 0x10FFFF)
        return false;
    uint64_t bits = class_bits[(size_t)class_index[cp >> CLASS_SHIFT] * (1u << (CLASS_SHIFT - 6)) +
                               ((cp >> 6) & ((1u << (CLASS_SHIFT - 6)) - 1))];
    return (bits >> (cp & 63)) & 1;
}

/* Ends the Han run, if any, with the unigram of its last character. */
static int end_han(struct tokenizer *t)
{
    if (t->han_len == 0)
        return 0;
    size_t len = t->han_len;
    t->han_len = 0;
    if (t->query && t->han_paired) {
        memcpy(t->held, t->han, len);
        t->held_len = len;
        t->held_start = t->han_start;
        t->held_end = t->han_end;
        return 0;
    }
    return emit(t, t->han, len, t->han_start, t->han_end);
}

/* Ends the word, if any. */
static int end_word(struct tokenizer *t)
{
    if (t->word_len == 0)
        return 0;
    size_t len = t->word_len;
    t->word_len = 0;
    return emit(t, t->word, len, t->word_start, t->word_end);
}

/* The Han character cp (folded) from source bytes [start, end). */
static int add_han(struct tokenizer *t, uint32_t cp, size_t start, size_t end)
{
    char cur[4];
    size_t len = text_put(cp, cur);
    int rc = 0;
    if (t->han_len > 0) {
        char pair[8];
        memcpy(pair, t->han, t->han_len);
        memcpy(pair + t->han_len, cur, len);
        rc = emit(t, pair, t->han_len + len, t->han_start, end);
    }
    t->han_paired = t->han_len > 0;
    memcpy(t->han, cur, len);
    t->han_len = len;
    t->han_start = start;
    t->han_end = end;
    return rc;
}

/* The word character cp (folded) from source bytes [start, end). */
static void add_word(struct tokenizer *t, uint32_t cp, size_t start, size_t end)
{
    if (t->word_len == 0) {
        t->word_start = start;
        t->word_full = false;
    }
    if (t->word_full)
        return;
    char buf[4];
    size_t len = text_put(cp, buf);
    if (t->word_len + len > TEXT_TOKEN_MAX) {
        t->word_full = true;
        return;
    }
    memcpy(t->word + t->word_len, buf, len);
    t->word_len += len;
    t->word_end = end;
}

static int tokenize(const char *s, size_t n, text_token_fn fn, void *ctx, bool query)
{
    struct tokenizer t = {.fn = fn, .ctx = ctx, .query = query};
    size_t i = 0;
    int rc = 0;
    while (i < n && rc == 0) {
        size_t start = i;
        uint32_t cp = text_fold_next(s, n, &i);
        if (text_is_han(cp)) {
            rc = end_word(&t);
            if (rc == 0)
                rc = add_han(&t, cp, start, i);
        } else if (is_word_char(cp)) {
            rc = end_han(&t);
            add_word(&t, cp, start, i);
        } else {
            rc = end_han(&t);
            if (rc == 0)
                rc = end_word(&t);
        }
    }
    if (rc == 0)
        rc = end_han(&t);
    if (rc == 0)
        rc = end_word(&t);
    return rc;
}

int text_tokenize(const char *s, size_t n, text_token_fn fn, void *ctx)
{
    return tokenize(s, n, fn, ctx, false);
}

int text_tokenize_query(const char *s, size_t n, text_token_fn fn, void *ctx)
{
    return tokenize(s, n, fn, ctx, true);
}
