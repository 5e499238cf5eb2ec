/*
 * pinyin.h - removes inline pinyin annotations from imported text.
 *
 * Articles imported from files sometimes carry reading aids written after a
 * character, as in 聯(lián)盟 or 教(jiao4)育.  The text itself is kept exactly
 * as written (simplified or traditional); only the annotations go.
 *
 * An annotation is '(' or '（' directly after a CJK ideograph (U+3400-4DBF,
 * U+4E00-9FFF, U+F900-FAFF, U+20000-2FA1F), then one or more pinyin
 * syllables, then ')' or '）' (the two kinds of parenthesis may be mixed).
 * A syllable is written with the letters a-z (any case), ü or v, the
 * tone-marked vowels āáǎà ēéěè īíǐì ōóǒò ūúǔù ǖǘǚǜ (and their capitals, or
 * a vowel followed by a combining macron, acute, caron or grave), at most
 * one tone mark, and optionally a tone digit 1-5 right after it (then no
 * tone mark).  Syllables may be run together or separated by one space or
 * one apostrophe (' or ’).  Every syllable must be a standard Mandarin
 * syllable (initial + final from the table in pinyin_clean.c), and either
 * a tone (mark or digit) appears somewhere, or the annotation is a single
 * toneless syllable of two letters or more after a single character (at
 * most one ideograph since the last non-ideograph or removed annotation).
 * So 技(ji)工 loses its annotation, while 北京(Beijing) (two syllables, no
 * tone), 如图(a) and 图(a) (one letter), 联盟（筹）, 技工(技师), (2023) and
 * word(a) are kept.  The body is at most 96 bytes.
 *
 * Bytes that are not well-formed UTF-8 are never part of an annotation and
 * are copied unchanged, as is a character cut off at the end.
 */
#ifndef JL_LIB_TEXT_PINYIN_H
#define JL_LIB_TEXT_PINYIN_H

#include <stddef.h>

/*
 * Returns a new NUL-terminated heap string (free() it) holding s[0..n)
 * with every annotation removed; the rest of the bytes are unchanged and
 * in order, so the result is never longer than n.  The length (without
 * the NUL) goes to *out_len when out_len is not NULL.  s may be NULL when
 * n is 0.  Runs in time linear in n and never reads past s + n; cleaning
 * the result of well-formed UTF-8 again changes nothing.  Aborts only when
 * out of memory.
 */
char *text_strip_pinyin(const char *s, size_t n, size_t *out_len);

#endif
