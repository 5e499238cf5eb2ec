/*
 * diff.h - a line diff for charter versions: the minimal edit script that
 * turns text a into text b, line by line.
 *
 * Lines end at '\n'; "\r\n" is treated as "\n", and a final line without a
 * newline counts as a line.  Two lines are equal when their bytes, without
 * the line end, are equal; so "x\r\n", "x\n" and a final "x" are all the
 * same line.  Any byte, NUL included, is ordinary text.
 */
#ifndef JL_LIB_DIFF_H
#define JL_LIB_DIFF_H

#include <stddef.h>

enum diff_op {
    DIFF_SAME, /* in both a and b; text points into a */
    DIFF_ADD,  /* only in b; text points into b */
    DIFF_DEL,  /* only in a; text points into a */
};

struct diff_line {
    enum diff_op op;
    const char *text; /* the line's first byte, in a or b (see the op) */
    size_t len;       /* its length without the "\n" or "\r\n" */
};

/*
 * Diffs the lines of a (alen bytes) against those of b (blen bytes).
 *
 * On success returns 0 and sets *out to the edit script, *n entries in
 * order: the SAME and DEL entries are a's lines in order, the SAME and ADD
 * entries are b's lines in order.  The script is minimal: its SAME lines
 * are a longest common subsequence of the two line lists.  Within a changed
 * block (the run between two SAME lines, or before the first or after the
 * last) all deletions come before all additions.  *out is heap memory for
 * the caller to free(); it is NULL when *n is 0 (both texts empty).  The
 * entries point into a and b, which must outlive them.
 *
 * Returns -1, leaving *out and *n untouched and allocating nothing, when a
 * or b has more than max_lines lines, or when out or n is NULL, or a (b) is
 * NULL with alen (blen) > 0.  A NULL text with length 0 is the empty text.
 *
 * Memory is O(lines of a + lines of b); time is O((N + M) * D) for N and M
 * lines and D the number of edits (Myers' linear-space algorithm), after
 * lines found on only one side have been set aside.  Out of memory aborts
 * (base/alloc.h).
 */
int diff_lines(const char *a, size_t alen, const char *b, size_t blen, size_t max_lines,
               struct diff_line **out, size_t *n);

#endif
