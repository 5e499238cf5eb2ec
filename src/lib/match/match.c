/*
 * match.c - student-proposing deferred acceptance with seats (see match.h
 * for the contract), its independent check, and explanations.
 *
 * match_run() has two phases.
 *
 *   1. Alignment.  Each proposal needs the proposing student's rank in the
 *      position's list.  Searching that list on every proposal would cost
 *      a cache miss or several each time, so the ranks are looked up once,
 *      in bulk, into one list per student of her acceptable choices (the
 *      positions that rank her), in her order, as rank << 32 | position.
 *      The position-side entries are first partitioned by block of
 *      students (2^bbits students a block, about ALIGN_BLOCK_ENTRIES
 *      entries each): one sequential pass with a few hundred write
 *      streams, each entry packed into one 64-bit word (position, rank,
 *      student within the block).  Then each block is sorted by student in
 *      a buffer that fits in L2, and for every student in turn her
 *      (position, rank) pairs are marked in a per-position array, from
 *      which her choices read their ranks, and unmarked.  Every pass over
 *      the big arrays is sequential; the random accesses stay in the cache.
 *      The lists are written over the partitioned entries, which are no
 *      longer needed by then (see align()).  When the 64-bit word cannot
 *      hold many student bits (huge position counts and lists), blocks
 *      shrink, down to one student: slower, same result.
 *
 *   2. Proposals (McVitie and Wilson's order).  New students enter one at
 *      a time, in index order.  A student walks her list; a position that
 *      is full keeps the rank of the worst student it holds in worst[p]
 *      (MATCH_NONE while a seat is free, 0 with no seats), so most
 *      rejections read only that compact array.  The students a position
 *      holds are a max-heap by (rank << 32 | student), in one flat array,
 *      each with the rest of her list.  Admitting someone better than the
 *      worst to a full position replaces the heap's top, and the displaced
 *      student goes into a small ring of pending students; where her list
 *      resumes is prefetched then, so it is in the cache when her turn
 *      comes.  The ring is drained down to PENDING_DEPTH - 1 after each new
 *      student, and fully at the end.  The order of proposals does not
 *      change the result (the student-optimal stable matching is unique).
 *
 * A position never holds more students than it ranks, so its heap gets
 * min(cap, list length) slots and the heaps together have at most E
 * slots.  (Asking the kernel for huge pages with madvise() made the best
 * of several runs faster, 0.26 s instead of 0.32 s on the 1,000,000-student
 * benchmark, but the first run of a process slower and erratic, up to
 * 0.6 s on a VM whose host backs them lazily; the library stays free of
 * system calls and its times steady.)
 *
 * match_check() shares no code with the engine (see its section).
 */
#include "lib/match/match.h"

#include "base/alloc.h"

#include <stdlib.h>
#include <string.h>

/* Aim for blocks of about this many entries (8 bytes each, kept in L2). */
#define ALIGN_BLOCK_ENTRIES 32768u
/* Students pending a re-proposal before the ring is drained (power of 2). */
#define PENDING_DEPTH 16u
/* Progress is reported when this many new students have entered. */
#define PROGRESS_EVERY 65536u

/* --- validation ------------------------------------------------------------ */

static bool fault(struct match_problem *why, enum match_fault f, uint32_t index, uint32_t item)
{
    if (why != NULL) {
        why->fault = f;
        why->index = index;
        why->item = item;
    }
    return f == MATCH_OK;
}

/* The first row whose offsets go down (or off[0] != 0), or MATCH_NONE. */
static uint32_t bad_offsets(const uint32_t *off, uint32_t rows)
{
    if (off[0] != 0)
        return 0;
    for (uint32_t i = 0; i < rows; i++)
        if (off[i + 1] < off[i])
            return i;
    return MATCH_NONE;
}

/* Checks the lists of one side: each item below limit and listed once.
 * seen[] has limit words set to MATCH_NONE; on failure *row and *item say
 * where, and *dup whether the item was a repeat (else out of range). */
static bool lists_ok(const uint32_t *off, const uint32_t *items, uint32_t rows, uint32_t limit,
                     uint32_t *seen, uint32_t *row, uint32_t *item, bool *dup)
{
    for (uint32_t i = 0; i < rows; i++) {
        for (uint32_t k = off[i]; k < off[i + 1]; k++) {
            uint32_t x = items[k];
            if (x >= limit || seen[x] == i) {
                *row = i;
                *item = k - off[i];
                *dup = x < limit;
                return false;
            }
            seen[x] = i;
        }
    }
    return true;
}

bool match_validate(const struct match_input *in, struct match_problem *why)
{
    uint32_t row = bad_offsets(in->s_off, in->n_students);
    if (row == MATCH_NONE)
        row = bad_offsets(in->p_off, in->n_positions);
    if (row != MATCH_NONE)
        return fault(why, MATCH_BAD_OFFSETS, row, 0);
    if (in->s_off[in->n_students] == UINT32_MAX || in->p_off[in->n_positions] == UINT32_MAX)
        return fault(why, MATCH_TOO_BIG, 0, 0);

    size_t most = in->n_students > in->n_positions ? in->n_students : in->n_positions;
    uint32_t *seen = xmalloc((most + 1) * sizeof(*seen));
    uint32_t item = 0;
    bool dup = false, ok;
    memset(seen, 0xff, (size_t)in->n_positions * sizeof(*seen));
    ok =
        lists_ok(in->s_off, in->s_choice, in->n_students, in->n_positions, seen, &row, &item, &dup);
    if (!ok) {
        free(seen);
        return fault(why, dup ? MATCH_DUP_CHOICE : MATCH_BAD_POSITION, row, item);
    }
    memset(seen, 0xff, (size_t)in->n_students * sizeof(*seen));
    ok = lists_ok(in->p_off, in->p_rank, in->n_positions, in->n_students, seen, &row, &item, &dup);
    free(seen);
    if (!ok)
        return fault(why, dup ? MATCH_DUP_RANK : MATCH_BAD_STUDENT, row, item);
    return fault(why, MATCH_OK, 0, 0);
}

/* --- alignment ----------------------------------------------------------- */

/* Bits needed to write x (0 for 0). */
static unsigned bit_width(uint64_t x)
{
    unsigned b = 0;
    while (x != 0) {
        b++;
        x >>= 1;
    }
    return b;
}

/* How the position-side entries are packed and partitioned. */
struct align {
    const struct match_input *in;
    unsigned rbits, bbits; /* rank and student-in-block bits of a packed entry */
    uint32_t nblocks;
    uint32_t *bstart; /* nblocks + 1 offsets into bucket */
    uint64_t *bucket; /* packed entries: position << (rbits + bbits) | rank << bbits | s_low */
    uint64_t *local;  /* one block's entries by student: position << 32 | rank */
    uint32_t *lstart; /* 2^bbits + 1 offsets into local */
    uint32_t *mark;   /* per position: the current student's rank there, or MATCH_NONE */
};

/* Picks the packing: position and rank fields first, then as many student
 * bits as fit, aiming for blocks of about ALIGN_BLOCK_ENTRIES entries. */
static void align_plan(struct align *a)
{
    const struct match_input *in = a->in;
    uint32_t longest = 0;
    for (uint32_t p = 0; p < in->n_positions; p++)
        if (in->p_off[p + 1] - in->p_off[p] > longest)
            longest = in->p_off[p + 1] - in->p_off[p];
    unsigned pbits = bit_width(in->n_positions - 1);
    a->rbits = bit_width(longest - 1);
    if (pbits == 0)
        pbits = 1; /* keeps every shift below 64 */
    uint64_t entries = in->p_off[in->n_positions];
    uint64_t want = (uint64_t)ALIGN_BLOCK_ENTRIES * in->n_students / entries;
    unsigned b = want > 1 ? bit_width(want) - 1 : 0;
    unsigned most = bit_width(in->n_students - 1);
    if (b > most)
        b = most;
    if (b > 64 - pbits - a->rbits)
        b = 64 - pbits - a->rbits;
    if (b > 16)
        b = 16;
    a->bbits = b;
    a->nblocks = (uint32_t)(((uint64_t)in->n_students - 1) >> b) + 1;
}

/* Pass 1: the position-side entries into their blocks, in position order. */
static void align_partition(struct align *a)
{
    const struct match_input *in = a->in;
    const uint32_t *rank = in->p_rank, *off = in->p_off;
    unsigned bb = a->bbits, pshift = a->rbits + bb;
    uint64_t smask = ((uint64_t)1 << bb) - 1;
    uint32_t *start = xcalloc((size_t)a->nblocks + 1, sizeof(*start));
    for (uint32_t k = 0; k < off[in->n_positions]; k++)
        start[(rank[k] >> bb) + 1]++;
    for (uint32_t b = 0; b < a->nblocks; b++)
        start[b + 1] += start[b];
    uint32_t *at = xmalloc((size_t)a->nblocks * sizeof(*at));
    memcpy(at, start, (size_t)a->nblocks * sizeof(*at));
    uint64_t *bucket = xmalloc((size_t)off[in->n_positions] * sizeof(*bucket) + 1);
    for (uint32_t p = 0; p < in->n_positions; p++) {
        uint64_t head = (uint64_t)p << pshift;
        for (uint32_t k = off[p]; k < off[p + 1]; k++) {
            uint32_t s = rank[k];
            bucket[at[s >> bb]++] = head | (uint64_t)(k - off[p]) << bb | (s & smask);
        }
    }
    free(at);
    a->bstart = start;
    a->bucket = bucket;
}

/* Sorts block b's entries by student into a->local (a->lstart offsets). */
static void align_sort_block(struct align *a, uint32_t b)
{
    unsigned bb = a->bbits, pshift = a->rbits + bb;
    uint64_t smask = ((uint64_t)1 << bb) - 1, rmask = ((uint64_t)1 << a->rbits) - 1;
    uint32_t *ls = a->lstart, width = (uint32_t)1 << bb;
    const uint64_t *e = a->bucket + a->bstart[b], *end = a->bucket + a->bstart[b + 1];
    memset(ls, 0, ((size_t)width + 1) * sizeof(*ls));
    for (const uint64_t *x = e; x < end; x++)
        ls[(*x & smask) + 1]++;
    for (uint32_t i = 0; i < width; i++)
        ls[i + 1] += ls[i];
    for (const uint64_t *x = e; x < end; x++) {
        uint64_t v = *x;
        a->local[ls[v & smask]++] = (v >> pshift) << 32 | ((v >> bb) & rmask);
    }
    /* ls[i] now ends student i's run: shift back to starts. */
    memmove(ls + 1, ls, (size_t)width * sizeof(*ls));
    ls[0] = 0;
}

/* Pass 2: per block, per student, her acceptable choices in her order as
 * rank << 32 | position, written over the bucket array (see align()). */
static void align_lists(struct align *a, uint32_t *c_off)
{
    const struct match_input *in = a->in;
    uint64_t *out = a->bucket;
    uint32_t w = 0;
    c_off[0] = 0;
    for (uint32_t b = 0; b < a->nblocks; b++) {
        align_sort_block(a, b);
        uint32_t first = b << a->bbits, width = (uint32_t)1 << a->bbits;
        for (uint32_t i = 0; i < width && first + i < in->n_students; i++) {
            uint32_t s = first + i, *mark = a->mark;
            const uint64_t *mine = a->local + a->lstart[i], *last = a->local + a->lstart[i + 1];
            for (const uint64_t *x = mine; x < last; x++)
                mark[*x >> 32] = (uint32_t)*x;
            for (uint32_t j = in->s_off[s]; j < in->s_off[s + 1]; j++) {
                uint32_t p = in->s_choice[j];
                if (mark[p] != MATCH_NONE)
                    out[w++] = (uint64_t)mark[p] << 32 | p;
            }
            for (const uint64_t *x = mine; x < last; x++)
                mark[*x >> 32] = MATCH_NONE;
            c_off[s + 1] = w;
        }
    }
}

/* Builds each student's list of acceptable choices, in her order, as
 * rank << 32 | position: list[c_off[s] .. c_off[s+1]-1] (see the file
 * comment).  The lists are written over the bucket array, block by
 * block: a block's lists never hold more words than its bucket entries
 * (each listed pair is one entry of a position's ranking), and the block
 * was copied out to local before, so nothing unread is overwritten.
 * Returns the lists (heap memory). */
static uint64_t *align(const struct match_input *in, uint32_t *c_off)
{
    if (in->n_students == 0 || in->p_off[in->n_positions] == 0) {
        memset(c_off, 0, ((size_t)in->n_students + 1) * sizeof(*c_off));
        return xmalloc(1);
    }
    struct align a = {.in = in};
    align_plan(&a);
    align_partition(&a);
    uint32_t biggest = 0;
    for (uint32_t b = 0; b < a.nblocks; b++)
        if (a.bstart[b + 1] - a.bstart[b] > biggest)
            biggest = a.bstart[b + 1] - a.bstart[b];
    a.local = xmalloc((size_t)biggest * sizeof(*a.local) + 1);
    a.lstart = xmalloc((((size_t)1 << a.bbits) + 1) * sizeof(*a.lstart));
    a.mark = xmalloc((size_t)in->n_positions * sizeof(*a.mark));
    memset(a.mark, 0xff, (size_t)in->n_positions * sizeof(*a.mark));
    align_lists(&a, c_off);
    free(a.mark);
    free(a.lstart);
    free(a.local);
    free(a.bstart);
    return a.bucket;
}

/* --- proposals ----------------------------------------------------------- */

/* A student in motion or holding a seat: rank << 32 | student (her rank
 * at the position holding her; only the student counts while she is
 * free), and the rest of her list still to propose to, list[next .. end-1].  Kept together so that
 * a displaced student carries her place in her list out of the heap with her, with no random access
 * to per-student arrays. */
struct seat {
    uint64_t key;
    uint32_t next, end;
};

/* Per position: its heap in heap[], students held, heap slots. */
struct slots {
    uint32_t hoff, fill, hcap;
};

struct engine {
    const uint64_t *list; /* rank << 32 | position, each student's in her order */
    uint32_t *worst;      /* per position: admit only ranks below this */
    struct slots *pos;
    struct seat *heap; /* a max-heap by key per position */
    struct seat ring[PENDING_DEPTH];
    uint32_t head, count; /* pending students in ring */
};

/* Adds x to heap h of n entries (room for one more). */
static void heap_push(struct seat *h, uint32_t n, struct seat x)
{
    while (n > 0) {
        uint32_t up = (n - 1) / 2;
        if (h[up].key >= x.key)
            break;
        h[n] = h[up];
        n = up;
    }
    h[n] = x;
}

/* Replaces the top of heap h (n entries) by x, whose key is smaller. */
static void heap_replace_top(struct seat *h, uint32_t n, struct seat x)
{
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h[c + 1].key > h[c].key)
            c++;
        if (h[c].key <= x.key)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* Position p takes x (better than worst[p]); true when that lets someone
 * go, who is then written to *out. */
static bool admit(struct engine *e, uint32_t p, struct seat x, struct seat *out)
{
    struct slots *ps = &e->pos[p];
    struct seat *h = e->heap + ps->hoff;
    if (ps->fill < ps->hcap) {
        heap_push(h, ps->fill, x);
        if (++ps->fill == ps->hcap)
            e->worst[p] = (uint32_t)(h[0].key >> 32);
        return false;
    }
    *out = h[0];
    heap_replace_top(h, ps->hcap, x);
    e->worst[p] = (uint32_t)(h[0].key >> 32);
    return true;
}

/* Student *who proposes down the rest of her list until a position holds
 * her or the list ends; true when that displaced someone, now in *who. */
static bool propose(struct engine *e, struct seat *who)
{
    const uint64_t *list = e->list;
    uint32_t s = (uint32_t)who->key;
    for (uint32_t j = who->next; j < who->end; j++) {
        uint32_t p = (uint32_t)list[j], r = (uint32_t)(list[j] >> 32);
        if (r < e->worst[p]) {
            struct seat x = {(uint64_t)r << 32 | s, j + 1, who->end};
            return admit(e, p, x, who);
        }
    }
    return false;
}

/* Queues a displaced student and prefetches where her list resumes. */
static void pend(struct engine *e, const struct seat *who)
{
    __builtin_prefetch(e->list + who->next);
    e->ring[(e->head + e->count) % PENDING_DEPTH] = *who;
    e->count++;
}

/* Re-proposes pending students until no more than keep are left. */
static void drain(struct engine *e, uint32_t keep)
{
    while (e->count > keep) {
        struct seat who = e->ring[e->head];
        e->head = (e->head + 1) % PENDING_DEPTH;
        e->count--;
        if (propose(e, &who))
            pend(e, &who);
    }
}

/* Sets up the heaps and the per-position state. */
static void engine_init(struct engine *e, const struct match_input *in, const uint64_t *list)
{
    uint32_t np = in->n_positions;
    memset(e, 0, sizeof(*e));
    e->list = list;
    e->worst = xmalloc((size_t)np * sizeof(*e->worst) + 1);
    e->pos = xmalloc((size_t)np * sizeof(*e->pos) + 1);
    uint32_t total = 0;
    for (uint32_t p = 0; p < np; p++) {
        uint32_t len = in->p_off[p + 1] - in->p_off[p];
        struct slots *ps = &e->pos[p];
        ps->hcap = in->cap[p] < len ? in->cap[p] : len;
        ps->fill = 0;
        ps->hoff = total;
        e->worst[p] = ps->hcap == 0 ? 0 : MATCH_NONE;
        total += ps->hcap;
    }
    e->heap = xmalloc((size_t)total * sizeof(*e->heap) + 1);
}

static void engine_free(struct engine *e)
{
    free(e->worst);
    free(e->pos);
    free(e->heap);
}

/* Runs every student's proposals (the ring drained at the end). */
static void engine_run(struct engine *e, uint32_t n, const uint32_t *c_off,
                       match_progress_fn progress, void *arg)
{
    for (uint32_t s = 0; s < n; s++) {
        struct seat who = {s, c_off[s], c_off[s + 1]};
        if (propose(e, &who))
            pend(e, &who);
        drain(e, PENDING_DEPTH - 1);
        if (progress != NULL && (s + 1) % PROGRESS_EVERY == 0)
            progress(arg, s + 1 - e->count, n);
    }
    drain(e, 0);
    if (progress != NULL)
        progress(arg, n, n);
}

/* The place of position p in student s's choices (it is there). */
static uint32_t place_of(const struct match_input *in, uint32_t s, uint32_t p)
{
    uint32_t j = in->s_off[s];
    while (in->s_choice[j] != p)
        j++;
    return j - in->s_off[s];
}

/* Writes the result arrays from the heaps. */
static void engine_result(const struct engine *e, const struct match_input *in,
                          struct match_result *out)
{
    uint32_t ns = in->n_students, np = in->n_positions;
    out->assigned = xmalloc((size_t)ns * sizeof(*out->assigned) + 1);
    out->place = xmalloc((size_t)ns * sizeof(*out->place) + 1);
    out->filled = xmalloc((size_t)np * sizeof(*out->filled) + 1);
    out->cutoff = xmalloc((size_t)np * sizeof(*out->cutoff) + 1);
    memset(out->assigned, 0xff, (size_t)ns * sizeof(*out->assigned));
    for (uint32_t p = 0; p < np; p++) {
        const struct slots *ps = &e->pos[p];
        const struct seat *h = e->heap + ps->hoff;
        out->filled[p] = ps->fill;
        out->cutoff[p] = ps->fill > 0 ? (uint32_t)(h[0].key >> 32) : MATCH_NONE;
        for (uint32_t i = 0; i < ps->fill; i++)
            out->assigned[(uint32_t)h[i].key] = p;
    }
    /* Every proposal a student made: down to her place, or her whole list. */
    uint64_t proposals = 0;
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t p = out->assigned[s];
        out->place[s] = p == MATCH_NONE ? MATCH_NONE : place_of(in, s, p);
        proposals += p != MATCH_NONE ? (uint64_t)out->place[s] + 1
                                     : (uint64_t)(in->s_off[s + 1] - in->s_off[s]);
    }
    out->proposals = proposals;
}

void match_run(const struct match_input *in, struct match_result *out, match_progress_fn progress,
               void *arg)
{
    uint32_t *c_off = xmalloc(((size_t)in->n_students + 1) * sizeof(*c_off));
    uint64_t *list = align(in, c_off);
    struct engine e;
    engine_init(&e, in, list);
    engine_run(&e, in->n_students, c_off, progress, arg);
    engine_result(&e, in, out);
    engine_free(&e);
    free(list);
    free(c_off);
}

void match_result_free(struct match_result *r)
{
    if (r == NULL)
        return;
    free(r->assigned);
    free(r->place);
    free(r->filled);
    free(r->cutoff);
    memset(r, 0, sizeof(*r));
}

/* --- the independent check ------------------------------------------------
 *
 * Shares nothing with the engine above: ranks come from a copy of each
 * position's list sorted by student (sort_keys()) and searched by
 * bisection, and the seats held are counted from assigned[] alone.
 */

struct lookup {
    const uint32_t *off; /* in->p_off */
    uint64_t *key;       /* per position, sorted: student << 32 | rank */
};

/* Sifts a[i] down the max-heap a[0..n). */
static void sift_down(uint64_t *a, size_t i, size_t n)
{
    uint64_t x = a[i];
    for (size_t c; (c = 2 * i + 1) < n; i = c) {
        if (c + 1 < n && a[c + 1] > a[c])
            c++;
        if (a[c] <= x)
            break;
        a[i] = a[c];
    }
    a[i] = x;
}

/* Sorts a[0..n) ascending: quicksort (median of three, insertion sort
 * for short runs), turning to heapsort when it goes too deep, so never
 * worse than O(n log n).  qsort() with a callback is several times slower
 * on the check's millions of small arrays. */
static void sort_keys(uint64_t *a, size_t n, unsigned depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            for (size_t i = n / 2; i-- > 0;)
                sift_down(a, i, n);
            for (size_t i = n - 1; i > 0; i--) {
                uint64_t t = a[0];
                a[0] = a[i];
                a[i] = t;
                sift_down(a, 0, i);
            }
            return;
        }
        uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            uint64_t t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
        /* a[0..j] <= pivot <= a[j+1..n): recurse on the smaller side. */
        if (j + 1 < n - j - 1) {
            sort_keys(a, j + 1, depth);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_keys(a + j + 1, n - j - 1, depth);
            n = j + 1;
        }
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t k = i;
        for (; k > 0 && a[k - 1] > x; k--)
            a[k] = a[k - 1];
        a[k] = x;
    }
}

static void lookup_init(struct lookup *l, const struct match_input *in)
{
    l->off = in->p_off;
    l->key = xmalloc((size_t)in->p_off[in->n_positions] * sizeof(*l->key) + 1);
    for (uint32_t p = 0; p < in->n_positions; p++) {
        uint32_t lo = in->p_off[p], n = in->p_off[p + 1] - lo;
        for (uint32_t i = 0; i < n; i++)
            l->key[lo + i] = (uint64_t)in->p_rank[lo + i] << 32 | i;
        sort_keys(l->key + lo, n, 2 * 32);
    }
}

/* Student s's rank at position p, or MATCH_NONE. */
static uint32_t lookup_rank(const struct lookup *l, uint32_t p, uint32_t s)
{
    uint32_t lo = l->off[p], hi = l->off[p + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t who = (uint32_t)(l->key[mid] >> 32);
        if (who == s)
            return (uint32_t)l->key[mid];
        if (who < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return MATCH_NONE;
}

/* True when position p is among student s's choices. */
static bool lists(const struct match_input *in, uint32_t s, uint32_t p)
{
    for (uint32_t j = in->s_off[s]; j < in->s_off[s + 1]; j++)
        if (in->s_choice[j] == p)
            return true;
    return false;
}

/* Counts the seats held (held[]) and the worst rank held plus one
 * (low[], 0 when empty); false when an assignment is not mutual. */
static bool tally(const struct match_input *in, const struct match_result *r,
                  const struct lookup *l, uint32_t *held, uint32_t *low)
{
    for (uint32_t s = 0; s < in->n_students; s++) {
        uint32_t p = r->assigned[s];
        if (p == MATCH_NONE)
            continue;
        if (p >= in->n_positions || !lists(in, s, p))
            return false;
        uint32_t rank = lookup_rank(l, p, s);
        if (rank == MATCH_NONE)
            return false;
        held[p]++;
        if (rank + 1 > low[p])
            low[p] = rank + 1;
    }
    for (uint32_t p = 0; p < in->n_positions; p++)
        if (held[p] > in->cap[p] || held[p] != r->filled[p])
            return false;
    return true;
}

/* The first (s, p) where s prefers p to her result and p would take her. */
static bool find_blocking(const struct match_input *in, const struct match_result *r,
                          const struct lookup *l, const uint32_t *held, const uint32_t *low,
                          struct match_blocking *bp)
{
    for (uint32_t s = 0; s < in->n_students; s++) {
        for (uint32_t j = in->s_off[s]; j < in->s_off[s + 1]; j++) {
            uint32_t p = in->s_choice[j];
            if (p == r->assigned[s])
                break;
            uint32_t rank = lookup_rank(l, p, s);
            if (rank == MATCH_NONE)
                continue;
            if (held[p] < in->cap[p] || low[p] > rank + 1) {
                bp->student = s;
                bp->position = p;
                return true;
            }
        }
    }
    return false;
}

bool match_check(const struct match_input *in, const struct match_result *r,
                 struct match_blocking *bp)
{
    struct match_blocking dummy;
    if (bp == NULL)
        bp = &dummy;
    bp->student = bp->position = MATCH_NONE;
    struct lookup l;
    lookup_init(&l, in);
    uint32_t *held = xcalloc((size_t)in->n_positions + 1, sizeof(*held));
    uint32_t *low = xcalloc((size_t)in->n_positions + 1, sizeof(*low));
    bool ok = tally(in, r, &l, held, low) && !find_blocking(in, r, &l, held, low, bp);
    free(low);
    free(held);
    free(l.key);
    return ok;
}

/* --- explanations -------------------------------------------------------- */

/* Student s's rank in position p's list (a plain scan), or MATCH_NONE. */
static uint32_t rank_in(const struct match_input *in, uint32_t p, uint32_t s)
{
    for (uint32_t k = in->p_off[p]; k < in->p_off[p + 1]; k++)
        if (in->p_rank[k] == s)
            return k - in->p_off[p];
    return MATCH_NONE;
}

size_t match_explain(const struct match_input *in, const struct match_result *r, uint32_t s,
                     struct match_why *out, size_t max)
{
    uint32_t first = in->s_off[s], end = in->s_off[s + 1];
    uint32_t upto = r->place[s] == MATCH_NONE ? end - first : r->place[s];
    size_t n = 0;
    for (uint32_t i = 0; i < upto && first + i < end; i++, n++) {
        if (n >= max)
            continue;
        uint32_t p = in->s_choice[first + i];
        struct match_why *w = &out[n];
        w->place = i;
        w->position = p;
        w->seats = in->cap[p];
        w->rank = rank_in(in, p, s);
        w->cutoff = r->cutoff[p];
        if (in->cap[p] == 0)
            w->reason = MATCH_WHY_NO_SEATS;
        else if (w->rank == MATCH_NONE)
            w->reason = MATCH_WHY_NOT_ACCEPTED;
        else
            w->reason = MATCH_WHY_FULL;
    }
    return n;
}
