/*
 * text.h - Chinese text as people search it: safe UTF-8 decoding, folding
 * (full-width to half-width, Latin case, traditional to simplified), a
 * tokenizer (CJK as overlapping bigrams, Latin letters and digits as
 * words) and pinyin keys for names. Pure: no I/O, no global state beyond
 * constant tables generated at build time from Debian's data (OpenCC's
 * character table for traditional -> simplified, Unihan's kMandarin for
 * readings).
 *
 * Folding is per code point, so a position in the folded text maps back to
 * the same character of the original, and offsets reported by the
 * tokenizer are byte offsets into the original text (for highlighting).
 */
#ifndef JL_LIB_TEXT_TEXT_H
#define JL_LIB_TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXT_REPLACEMENT 0xFFFDu

/* Decodes the code point at s[*i] (s has n bytes) and advances *i past it.
 * A byte that does not start a well-formed sequence (overlong, surrogate,
 * above U+10FFFF, cut off by n) yields U+FFFD and advances by one byte.
 * Never reads at or past s + n. *i must be < n. */
uint32_t text_next(const char *s, size_t n, size_t *i);

/* Writes cp as UTF-8 to out (4 bytes of room); returns the length. */
size_t text_put(uint32_t cp, char out[4]);

/* One code point folded: full-width forms U+FF01..FF5E to ASCII, U+3000
 * (ideographic space) to a space, Latin capitals (ASCII, Latin-1,
 * Latin Extended-A, Greek, Cyrillic basics) to small letters, and a
 * traditional character to its simplified form (OpenCC TSCharacters,
 * first candidate; 聯 -> 联, 盟 -> 盟). Anything else is returned as is. */
uint32_t text_fold(uint32_t cp);

/* Folds s[0..n) into out (cap bytes); returns the length the folded text
 * needs (write happens only up to cap; the result is not NUL-terminated;
 * bytes of out past the returned length may be overwritten).
 * Invalid bytes become U+FFFD. The folded text is never longer than
 * 3 * n bytes. Folding twice gives what folding once gives. */
size_t text_fold_utf8(const char *s, size_t n, char *out, size_t cap);

/* True for a CJK unified ideograph (the blocks of pinyin.h). */
bool text_is_han(uint32_t cp);

/* One token of folded text: tok[0..len) (at most TEXT_TOKEN_MAX bytes),
 * taken from source bytes [start, end). Return nonzero to stop. */
#define TEXT_TOKEN_MAX 64
typedef int (*text_token_fn)(void *ctx, const char *tok, size_t len, size_t start, size_t end);

/*
 * Splits s[0..n) into tokens, in order, each folded:
 *  - a run of Han characters c1 c2 ... ck gives the bigrams c1c2, c2c3,
 *    ..., c(k-1)ck and then the unigram ck (so every character begins
 *    some token, and a one-character query matches by prefix); a run of
 *    one character gives that unigram;
 *  - a run of letters and digits (after folding: a-z, 0-9, and letters of
 *    other alphabets) gives one word, cut at TEXT_TOKEN_MAX bytes (on a
 *    character boundary);
 *  - everything else (spaces, punctuation, symbols, U+FFFD) separates.
 * Returns the first nonzero value fn returned, else 0. Linear in n.
 */
int text_tokenize(const char *s, size_t n, text_token_fn fn, void *ctx);

/*
 * As text_tokenize, for the text of a search query (one FTS5 phrase): the
 * closing unigram of a run of two or more Han characters is left out when
 * no token follows it. So "技工" is the bigram 技工 alone and finds
 * 技工学校, where 工 closes no run, while "通知2024" keeps 知 between 通知
 * and 2024, where a document has it too (the phrase's positions must
 * line up). A one-character run keeps its unigram, which a prefix query
 * needs.
 */
int text_tokenize_query(const char *s, size_t n, text_token_fn fn, void *ctx);

/* The toneless Mandarin reading of a Han character (Unihan kMandarin,
 * first reading, ü written as v): "ji" for 技 and 冀; NULL when it has
 * none. Traditional characters have readings too (聯 -> "lian"). */
const char *text_pinyin(uint32_t cp);

/*
 * Pinyin keys for a name, for search as people type it: for every Han
 * character of s that has a reading, from it to the end of the name, the
 * full readings run together and their initials run together. For
 * 冀南技师学院 that is "jinanjishixueyuan nanjishixueyuan ... yuan" and
 * "jnjsxy njsxy ... y", all separated by spaces (the first letter of zh,
 * ch, sh is taken as z, c, s). Characters without a reading and other
 * text are skipped; at most the first 32 Han characters count. Writes up
 * to cap bytes of out and returns the length needed (no NUL).
 */
size_t text_pinyin_keys(const char *s, size_t n, char *out, size_t cap);

/*
 * Where typed pinyin t[0..tn) (folded: lower-case letters) matches the
 * name s[0..n) the way a key of text_pinyin_keys() matches it by prefix:
 * the first Han character (with a reading, among the first 32 Han
 * characters) from which t begins the readings run together, or else
 * their initials. Sets [*start, *end) to the bytes of s from that
 * character to the one t ends in, and returns true; false when t matches
 * no key (or is empty). For 冀南技师学院, "jinanj" gives 冀南技 and "jsxy"
 * 技师学院. Time O(n + 32 tn).
 */
bool text_pinyin_span(const char *s, size_t n, const char *t, size_t tn, size_t *start,
                      size_t *end);

/*
 * The terms of the text a person typed (n bytes): up to TEXT_MAX_TERMS
 * runs between separators (spaces, the ideographic space U+3000, tabs,
 * line breaks and double quotes), as pointers into typed and lengths.
 * Returns how many.
 */
#define TEXT_MAX_TERMS 8
size_t text_query_terms(const char *typed, size_t n, const char **terms, size_t *lens);

/*
 * Sets mark[i] to 1 for each byte of s[0..n) that the terms (as
 * text_query_terms gives them) match the way the search index matches
 * them: each term, tokenized as a query, matches a run of consecutive
 * tokens of s equal to its tokens, the last one by prefix, and marks the
 * bytes from the run's first token to its last. A term of one Han
 * character marks only the character it matched (not the bigram it
 * begins). Overlapping matches (the bigrams of s overlap) simply mark the
 * union. Leaves the other bytes of mark as they are; returns how many
 * matches it found. Time O(n * total term length).
 */
size_t text_mark_hits(const char *s, size_t n, const char *const *terms, const size_t *lens,
                      size_t nterms, unsigned char *mark);

/*
 * The text a person typed (n bytes) as an FTS5 query for the tokenizer
 * above: its terms (text_query_terms), each written as a quoted
 * string (so typed text is never FTS5 syntax), all required, each
 * matching by prefix (`"技工"* "jg"*`). cols, e.g. "{title keys} : " or "", is
 * put in front. Returns a heap string (free()), or NULL when the text
 * holds no term.
 */
char *text_fts_query(const char *typed, size_t n, const char *cols);

#endif
