/*
 * diff.c - a minimal line diff (see diff.h for the contract).
 *
 * The steps:
 *   1. Split both texts into lines (a line's length leaves out its "\n" or
 *      "\r\n").
 *   2. Give every distinct line a class number through a hash table, so
 *      the rest compares integers rather than bytes.
 *   3. Set aside the lines whose class occurs on one side only: no common
 *      subsequence can use them, so they are deletions or additions
 *      whatever happens, and leaving them out keeps a heavily rewritten
 *      text cheap to diff.
 *   4. Find a longest common subsequence of the rest with Myers' O(ND)
 *      algorithm in its linear-space form: strip the common head and tail,
 *      find the middle of an optimal path by searching from both ends at
 *      once, and recurse on the two halves.  Each half costs at most half
 *      the edits of the whole, so the recursion is O(log D) deep.
 *   5. Walk both line lists and write the script: the matched lines are
 *      SAME, and between two of them the unmatched lines of a (DEL) come
 *      before those of b (ADD).
 */
#include "lib/diff.h"

#include "base/alloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A line: its first byte and its length without the line end. */
struct span {
    const char *p;
    size_t len;
};

/* Distinct lines by content, numbered 0, 1, 2... (open addressing). */
struct classes {
    size_t *slots;        /* class + 1, or 0 for an empty slot */
    size_t mask;          /* slot count - 1 (a power of two) */
    struct span *reps;    /* the first line seen of each class */
    uint64_t *hashes;     /* its hash */
    unsigned char *sides; /* per class: bit 1 seen in a, bit 2 seen in b */
    size_t count;
};

/* The state of the LCS search over the reduced class sequences. */
struct myers {
    const size_t *a, *b;       /* class of each kept line */
    const size_t *amap, *bmap; /* kept index -> line index */
    unsigned char *ma, *mb;    /* per line: in the common subsequence */
    ptrdiff_t *v1, *v2;        /* furthest reach per diagonal, both ways */
};

/* One search for the middle of an optimal path, over a[0..n), b[0..m). */
struct bisect {
    const size_t *a, *b;
    ptrdiff_t n, m, delta; /* delta = n - m */
    ptrdiff_t off, len;    /* diagonal k is at v[off + k]; v has len used */
    ptrdiff_t *v1, *v2;
    ptrdiff_t k1start, k1end, k2start, k2end; /* diagonals that left the grid */
};

/* Lines in s[0..len): one per '\n', plus a final one without it.  Stops
 * counting once past limit (the result is then some number > limit). */
static size_t count_lines(const char *s, size_t len, size_t limit)
{
    size_t count = 0, i = 0;
    while (i < len && count <= limit) {
        const char *nl = memchr(s + i, '\n', len - i);
        if (nl == NULL)
            return count + 1;
        count++;
        i = (size_t)(nl - s) + 1;
    }
    return count;
}

/* Fills lines[] (room for all of them, counted) with the lines of s. */
static void split_lines(const char *s, size_t len, struct span *lines)
{
    size_t i = 0, k = 0;
    while (i < len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t l = end - i;
        if (nl != NULL && l > 0 && s[end - 1] == '\r')
            l--;
        lines[k].p = s + i;
        lines[k].len = l;
        k++;
        i = end + 1;
    }
}

/* FNV-1a, 64 bits. */
static uint64_t hash_bytes(const char *p, size_t len)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211u;
    }
    return h;
}

/* Sets up an empty table for up to lines distinct lines. */
static void classes_init(struct classes *t, size_t lines)
{
    size_t slots = 8;
    while (slots < 2 * lines)
        slots *= 2;
    t->slots = xcalloc(slots, sizeof(*t->slots));
    t->mask = slots - 1;
    t->reps = xcalloc(lines, sizeof(*t->reps));
    t->hashes = xcalloc(lines, sizeof(*t->hashes));
    t->sides = xcalloc(lines, 1);
    t->count = 0;
}

static void classes_free(struct classes *t)
{
    free(t->slots);
    free(t->reps);
    free(t->hashes);
    free(t->sides);
}

/* The class of line l, a new one if its content is new; marks side. */
static size_t classes_of(struct classes *t, const struct span *l, unsigned char side)
{
    uint64_t h = hash_bytes(l->p, l->len);
    size_t i = (size_t)h & t->mask;
    for (;;) {
        size_t c = t->slots[i];
        if (c == 0)
            break;
        c--;
        if (t->hashes[c] == h && t->reps[c].len == l->len &&
            memcmp(t->reps[c].p, l->p, l->len) == 0) {
            t->sides[c] |= side;
            return c;
        }
        i = (i + 1) & t->mask;
    }
    size_t c = t->count++;
    t->reps[c] = *l;
    t->hashes[c] = h;
    t->sides[c] = side;
    t->slots[i] = c + 1;
    return c;
}

/* Keeps the lines whose class is on both sides: their classes go to
 * seq[], their line numbers to map[].  Returns how many were kept. */
static size_t keep_shared(const size_t *ids, size_t n, const unsigned char *sides, size_t *seq,
                          size_t *map)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (sides[ids[i]] == 3) {
            seq[kept] = ids[i];
            map[kept] = i;
            kept++;
        }
    }
    return kept;
}

/* Forward search, round d.  True, with the split in *xs, *ys, when this
 * round's path meets the backward one. */
static bool forward_round(struct bisect *s, ptrdiff_t d, bool front, ptrdiff_t *xs, ptrdiff_t *ys)
{
    for (ptrdiff_t k = -d + s->k1start; k <= d - s->k1end; k += 2) {
        ptrdiff_t ko = s->off + k, x;
        if (k == -d || (k != d && s->v1[ko - 1] < s->v1[ko + 1]))
            x = s->v1[ko + 1];
        else
            x = s->v1[ko - 1] + 1;
        ptrdiff_t y = x - k;
        while (x < s->n && y < s->m && s->a[x] == s->b[y]) {
            x++;
            y++;
        }
        s->v1[ko] = x;
        if (x > s->n) {
            s->k1end += 2; /* ran off the right */
        } else if (y > s->m) {
            s->k1start += 2; /* ran off the bottom */
        } else if (front) {
            ptrdiff_t k2o = s->off + s->delta - k;
            if (k2o >= 0 && k2o < s->len && s->v2[k2o] != -1 && x >= s->n - s->v2[k2o]) {
                *xs = x;
                *ys = y;
                return true;
            }
        }
    }
    return false;
}

/* Backward search (on the reversed sequences), round d; as forward_round. */
static bool backward_round(struct bisect *s, ptrdiff_t d, bool front, ptrdiff_t *xs, ptrdiff_t *ys)
{
    for (ptrdiff_t k = -d + s->k2start; k <= d - s->k2end; k += 2) {
        ptrdiff_t ko = s->off + k, x;
        if (k == -d || (k != d && s->v2[ko - 1] < s->v2[ko + 1]))
            x = s->v2[ko + 1];
        else
            x = s->v2[ko - 1] + 1;
        ptrdiff_t y = x - k;
        while (x < s->n && y < s->m && s->a[s->n - x - 1] == s->b[s->m - y - 1]) {
            x++;
            y++;
        }
        s->v2[ko] = x;
        if (x > s->n) {
            s->k2end += 2;
        } else if (y > s->m) {
            s->k2start += 2;
        } else if (!front) {
            ptrdiff_t k1o = s->off + s->delta - k;
            if (k1o >= 0 && k1o < s->len && s->v1[k1o] != -1) {
                ptrdiff_t x1 = s->v1[k1o];
                if (x1 >= s->n - x) {
                    *xs = x1;
                    *ys = x1 - (k1o - s->off);
                    return true;
                }
            }
        }
    }
    return false;
}

/* Finds a point (*xs, *ys) on an optimal path through a[0..n) x b[0..m)
 * where the edits before it and after it are each at most half (rounded
 * up) of the whole.  With the common head and tail stripped (lcs() does)
 * the point is neither (0, 0) nor (n, m).  False when the sequences share
 * no element. */
static bool bisect(struct myers *my, const size_t *a, ptrdiff_t n, const size_t *b, ptrdiff_t m,
                   ptrdiff_t *xs, ptrdiff_t *ys)
{
    ptrdiff_t max_d = (n + m + 1) / 2;
    struct bisect s = {a, b, n, m, n - m, max_d, 2 * max_d, my->v1, my->v2, 0, 0, 0, 0};
    for (ptrdiff_t i = 0; i < s.len + 2; i++) {
        s.v1[i] = -1;
        s.v2[i] = -1;
    }
    s.v1[s.off + 1] = 0;
    s.v2[s.off + 1] = 0;
    bool front = (s.delta % 2) != 0; /* odd: the forward path sees the meeting */
    for (ptrdiff_t d = 0; d < max_d; d++) {
        if (forward_round(&s, d, front, xs, ys))
            return true;
        if (backward_round(&s, d, front, xs, ys))
            return true;
    }
    return false;
}

/* Records that kept a-line x and kept b-line y are matched. */
static void mark(struct myers *my, ptrdiff_t x, ptrdiff_t y)
{
    my->ma[my->amap[x]] = 1;
    my->mb[my->bmap[y]] = 1;
}

/* Marks a longest common subsequence of a[a0..a1) and b[b0..b1). */
static void lcs(struct myers *my, ptrdiff_t a0, ptrdiff_t a1, ptrdiff_t b0, ptrdiff_t b1)
{
    while (a0 < a1 && b0 < b1 && my->a[a0] == my->b[b0]) {
        mark(my, a0, b0);
        a0++;
        b0++;
    }
    while (a0 < a1 && b0 < b1 && my->a[a1 - 1] == my->b[b1 - 1]) {
        a1--;
        b1--;
        mark(my, a1, b1);
    }
    if (a0 == a1 || b0 == b1)
        return;
    ptrdiff_t x, y;
    if (!bisect(my, my->a + a0, a1 - a0, my->b + b0, b1 - b0, &x, &y))
        return;
    lcs(my, a0, a0 + x, b0, b0 + y);
    lcs(my, a0 + x, a1, b0 + y, b1);
}

/* Appends one script entry. */
static void put(struct diff_line *out, size_t *k, enum diff_op op, const struct span *l)
{
    out[*k].op = op;
    out[*k].text = l->p;
    out[*k].len = l->len;
    (*k)++;
}

/* Writes the script from the matched flags; out has room for all of it. */
static size_t emit(const struct span *la, size_t na, const unsigned char *ma, const struct span *lb,
                   size_t nb, const unsigned char *mb, struct diff_line *out)
{
    size_t i = 0, j = 0, k = 0;
    while (i < na || j < nb) {
        if (i < na && j < nb && ma[i] && mb[j]) {
            put(out, &k, DIFF_SAME, &la[i]);
            i++;
            j++;
            continue;
        }
        size_t before = i + j;
        while (i < na && !ma[i])
            put(out, &k, DIFF_DEL, &la[i++]);
        while (j < nb && !mb[j])
            put(out, &k, DIFF_ADD, &lb[j++]);
        if (i + j == before)
            break; /* unequal match counts: cannot happen */
    }
    return k;
}

/* Marks in ma[] and mb[] a longest common subsequence of the two line
 * lists, whose classes are ida[] and idb[]. */
static void match_lines(const size_t *ida, size_t na, const size_t *idb, size_t nb,
                        const unsigned char *sides, unsigned char *ma, unsigned char *mb)
{
    size_t *seq_a = xcalloc(na, sizeof(size_t)), *map_a = xcalloc(na, sizeof(size_t));
    size_t *seq_b = xcalloc(nb, sizeof(size_t)), *map_b = xcalloc(nb, sizeof(size_t));
    size_t ka = keep_shared(ida, na, sides, seq_a, map_a);
    size_t kb = keep_shared(idb, nb, sides, seq_b, map_b);
    size_t vlen = 2 * ((ka + kb + 1) / 2) + 2;
    struct myers my = {.a = seq_a, .b = seq_b, .amap = map_a, .bmap = map_b, .ma = ma, .mb = mb};
    my.v1 = xcalloc(vlen, sizeof(ptrdiff_t));
    my.v2 = xcalloc(vlen, sizeof(ptrdiff_t));
    lcs(&my, 0, (ptrdiff_t)ka, 0, (ptrdiff_t)kb);
    free(my.v1);
    free(my.v2);
    free(seq_a);
    free(map_a);
    free(seq_b);
    free(map_b);
}

/* Diffs the split texts; returns the script (NULL when empty) and its length. */
static struct diff_line *diff_split(const struct span *la, size_t na, const struct span *lb,
                                    size_t nb, size_t *n)
{
    struct classes t;
    classes_init(&t, na + nb);
    size_t *ida = xcalloc(na, sizeof(size_t)), *idb = xcalloc(nb, sizeof(size_t));
    for (size_t i = 0; i < na; i++)
        ida[i] = classes_of(&t, &la[i], 1);
    for (size_t j = 0; j < nb; j++)
        idb[j] = classes_of(&t, &lb[j], 2);
    unsigned char *ma = xcalloc(na, 1), *mb = xcalloc(nb, 1);
    match_lines(ida, na, idb, nb, t.sides, ma, mb);
    size_t same = 0;
    for (size_t i = 0; i < na; i++)
        same += ma[i];
    struct diff_line *out = NULL;
    *n = na + nb - same;
    if (*n > 0) {
        out = xcalloc(*n, sizeof(*out));
        *n = emit(la, na, ma, lb, nb, mb, out);
    }
    free(ma);
    free(mb);
    free(ida);
    free(idb);
    classes_free(&t);
    return out;
}

int diff_lines(const char *a, size_t alen, const char *b, size_t blen, size_t max_lines,
               struct diff_line **out, size_t *n)
{
    if (out == NULL || n == NULL || (a == NULL && alen > 0) || (b == NULL && blen > 0))
        return -1;
    size_t na = count_lines(a, alen, max_lines), nb = count_lines(b, blen, max_lines);
    if (na > max_lines || nb > max_lines)
        return -1;
    if (na == 0 && nb == 0) {
        *out = NULL;
        *n = 0;
        return 0;
    }
    struct span *la = xcalloc(na, sizeof(*la)), *lb = xcalloc(nb, sizeof(*lb));
    split_lines(a, alen, la);
    split_lines(b, blen, lb);
    *out = diff_split(la, na, lb, nb, n);
    free(la);
    free(lb);
    return 0;
}
