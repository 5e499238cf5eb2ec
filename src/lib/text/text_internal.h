/*
 * text_internal.h - what the files of src/lib/text/ share beyond text.h
 * (not part of the contract; nothing outside src/lib/text/ includes it).
 */
#ifndef JL_LIB_TEXT_TEXT_INTERNAL_H
#define JL_LIB_TEXT_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* text_fold(text_next(s, n, i)) in one call, with the ASCII and 3-byte
 * cases inline (the tokenizer's per-character step). *i must be < n. */
uint32_t text_fold_next(const char *s, size_t n, size_t *i);

#endif
