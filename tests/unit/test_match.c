/* test_match.c - unit tests of src/lib/match/match.h: textbook instances
 * with known student-optimal results, edge cases, validation faults,
 * explanations, match_check() catching broken results, and properties on
 * seeded random instances checked against a simple round-based
 * Gale-Shapley written here and, on tiny instances, against every
 * matching there is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/match/match.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE MATCH_NONE
#define END (-1)

/* An instance built by the tests (owns its arrays). */
struct inst {
    struct match_input in;
    uint32_t *s_off, *s_choice, *cap, *p_off, *p_rank;
};

/* Fills CSR offsets and items from rows separated by END in flat[]. */
static void csr(const int *flat, uint32_t rows, uint32_t **off, uint32_t **items)
{
    size_t n = 0, k = 0;
    for (uint32_t r = 0; r < rows; r++, k++)
        for (; flat[k] != END; k++)
            n++;
    *off = calloc(rows + 1, sizeof(uint32_t));
    *items = calloc(n + 1, sizeof(uint32_t));
    n = k = 0;
    for (uint32_t r = 0; r < rows; r++, k++) {
        for (; flat[k] != END; k++)
            (*items)[n++] = (uint32_t)flat[k];
        (*off)[r + 1] = (uint32_t)n;
    }
}

/* students: ns rows of position indices; positions: np rows of student
 * indices (each row ends with END); cap: np seat counts. */
static void build(struct inst *t, uint32_t ns, const int *students, uint32_t np,
                  const int *positions, const uint32_t *cap)
{
    csr(students, ns, &t->s_off, &t->s_choice);
    csr(positions, np, &t->p_off, &t->p_rank);
    t->cap = calloc(np + 1, sizeof(uint32_t));
    if (np > 0)
        memcpy(t->cap, cap, np * sizeof(uint32_t));
    t->in = (struct match_input){ns, np, t->s_off, t->s_choice, t->cap, t->p_off, t->p_rank};
}

static void inst_free(struct inst *t)
{
    free(t->s_off);
    free(t->s_choice);
    free(t->cap);
    free(t->p_off);
    free(t->p_rank);
}

/* Validates, runs, and checks the result with match_check(). */
static void solve(const struct inst *t, struct match_result *r)
{
    struct match_problem why;
    assert_true(match_validate(&t->in, &why));
    assert_int_equal(why.fault, MATCH_OK);
    match_run(&t->in, r, NULL, NULL);
    struct match_blocking bp;
    assert_true(match_check(&t->in, r, &bp));
}

static void expect_assigned(const struct match_result *r, const uint32_t *want, uint32_t n)
{
    for (uint32_t s = 0; s < n; s++)
        assert_int_equal(r->assigned[s], want[s]);
}

/* Gale and Shapley (1962), the 3 x 3 example with a cycle of preferences:
 * three stable matchings; the proposing side gets its first choices. */
static void test_gale_shapley(void **state)
{
    (void)state;
    static const int men[] = {0, 1, 2, END, 1, 2, 0, END, 2, 0, 1, END};
    static const int women[] = {1, 2, 0, END, 2, 0, 1, END, 0, 1, 2, END};
    static const uint32_t cap[] = {1, 1, 1};
    struct inst t;
    build(&t, 3, men, 3, women, cap);
    struct match_result r;
    solve(&t, &r);
    expect_assigned(&r, (const uint32_t[]){0, 1, 2}, 3);
    for (uint32_t s = 0; s < 3; s++)
        assert_int_equal(r.place[s], 0);
    assert_int_equal(r.proposals, 3);
    match_result_free(&r);
    inst_free(&t);

    /* The other side proposing gets the position-optimal matching, the
     * women's first choices: it differs, and is also stable. */
    build(&t, 3, women, 3, men, cap);
    solve(&t, &r);
    expect_assigned(&r, (const uint32_t[]){1, 2, 0}, 3);
    match_result_free(&r);
    inst_free(&t);
}

/* Hospitals and residents with two seats each, traced by hand. */
static void test_hospitals_residents(void **state)
{
    (void)state;
    static const int res[] = {0, 1, END, 0, 1, END, 0, END, 1, 0, END, 0, 1, END};
    static const int hosp[] = {3, 2, 0, 4, 1, END, 1, 0, 4, 3, END};
    static const uint32_t cap[] = {2, 2};
    struct inst t;
    build(&t, 5, res, 2, hosp, cap);
    struct match_result r;
    solve(&t, &r);
    expect_assigned(&r, (const uint32_t[]){1, 1, 0, 0, NONE}, 5);
    static const uint32_t place[] = {1, 1, 0, 1, NONE};
    for (uint32_t s = 0; s < 5; s++)
        assert_int_equal(r.place[s], place[s]);
    assert_int_equal(r.filled[0], 2);
    assert_int_equal(r.filled[1], 2);
    assert_int_equal(r.cutoff[0], 1); /* r2, ranked 1; r3 is 0 */
    assert_int_equal(r.cutoff[1], 1); /* r0, ranked 1; r1 is 0 */
    assert_int_equal(r.proposals, 9);

    /* r4 was turned away by both: full, both times. */
    struct match_why why[4];
    assert_int_equal(match_explain(&t.in, &r, 4, why, 4), 2);
    assert_int_equal(why[0].place, 0);
    assert_int_equal(why[0].position, 0);
    assert_int_equal(why[0].reason, MATCH_WHY_FULL);
    assert_int_equal(why[0].seats, 2);
    assert_int_equal(why[0].rank, 3);
    assert_int_equal(why[0].cutoff, 1);
    assert_int_equal(why[1].position, 1);
    assert_int_equal(why[1].reason, MATCH_WHY_FULL);
    assert_int_equal(why[1].rank, 2);
    /* r0 got her second choice: one reason; r2 her first: none. */
    assert_int_equal(match_explain(&t.in, &r, 0, why, 4), 1);
    assert_int_equal(why[0].position, 0);
    assert_int_equal(why[0].rank, 2);
    assert_int_equal(match_explain(&t.in, &r, 2, why, 4), 0);
    match_result_free(&r);
    inst_free(&t);
}

/* Not accepted, no seats, and nothing left: the reasons. */
static void test_unacceptable_and_zero_seats(void **state)
{
    (void)state;
    /* s0: p0 (ranks only s1), p1 (no seats), p2 (takes her).
     * s1: p0.  s2: p1, p0 (p0 full with s1).  s3: nothing. */
    static const int st[] = {0, 1, 2, END, 0, END, 1, 0, END, END};
    static const int po[] = {1, 2, END, 0, 2, END, 0, END};
    static const uint32_t cap[] = {1, 0, 3};
    struct inst t;
    build(&t, 4, st, 3, po, cap);
    struct match_result r;
    solve(&t, &r);
    expect_assigned(&r, (const uint32_t[]){2, 0, NONE, NONE}, 4);
    assert_int_equal(r.place[0], 2);
    assert_int_equal(r.filled[1], 0);
    assert_int_equal(r.cutoff[1], NONE);
    assert_int_equal(r.filled[2], 1);
    assert_int_equal(r.cutoff[2], 0);
    assert_int_equal(r.proposals, 3 + 1 + 2 + 0);

    struct match_why why[3];
    assert_int_equal(match_explain(&t.in, &r, 0, why, 3), 2);
    assert_int_equal(why[0].reason, MATCH_WHY_NOT_ACCEPTED);
    assert_int_equal(why[0].rank, NONE);
    assert_int_equal(why[0].seats, 1);
    assert_int_equal(why[0].cutoff, 0);
    assert_int_equal(why[1].reason, MATCH_WHY_NO_SEATS);
    assert_int_equal(why[1].seats, 0);
    assert_int_equal(why[1].cutoff, NONE);
    assert_int_equal(match_explain(&t.in, &r, 2, why, 3), 2);
    assert_int_equal(why[0].reason, MATCH_WHY_NO_SEATS);
    assert_int_equal(why[1].reason, MATCH_WHY_FULL);
    assert_int_equal(why[1].rank, 1);
    assert_int_equal(why[1].cutoff, 0);
    assert_int_equal(match_explain(&t.in, &r, 3, why, 3), 0);
    /* Too small a buffer: the count needed, nothing past max written. */
    why[1].place = 777;
    assert_int_equal(match_explain(&t.in, &r, 2, why, 1), 2);
    assert_int_equal(why[1].place, 777);
    assert_int_equal(match_explain(&t.in, &r, 2, NULL, 0), 2);
    match_result_free(&r);
    inst_free(&t);
}

static void test_empty(void **state)
{
    (void)state;
    struct inst t;
    struct match_result r;
    build(&t, 0, (const int[]){0}, 0, (const int[]){0}, NULL);
    solve(&t, &r);
    assert_int_equal(r.proposals, 0);
    match_result_free(&r);
    inst_free(&t);
    /* Students and positions, no lists: nobody placed. */
    build(&t, 3, (const int[]){END, END, END}, 2, (const int[]){END, END},
          (const uint32_t[]){2, 2});
    solve(&t, &r);
    expect_assigned(&r, (const uint32_t[]){NONE, NONE, NONE}, 3);
    assert_int_equal(r.filled[0], 0);
    assert_int_equal(r.cutoff[1], NONE);
    match_result_free(&r);
    inst_free(&t);
    /* Everyone chooses, nobody is ranked: all unplaced, all NOT_ACCEPTED. */
    build(&t, 2, (const int[]){0, 1, END, 1, END}, 2, (const int[]){END, END},
          (const uint32_t[]){1, 1});
    solve(&t, &r);
    expect_assigned(&r, (const uint32_t[]){NONE, NONE}, 2);
    assert_int_equal(r.proposals, 3);
    struct match_why why[2];
    assert_int_equal(match_explain(&t.in, &r, 0, why, 2), 2);
    assert_int_equal(why[1].reason, MATCH_WHY_NOT_ACCEPTED);
    match_result_free(&r);
    inst_free(&t);
}

static void expect_fault(const struct inst *t, enum match_fault f, uint32_t index, uint32_t item)
{
    struct match_problem why;
    assert_false(match_validate(&t->in, &why));
    assert_int_equal(why.fault, f);
    assert_int_equal(why.index, index);
    assert_int_equal(why.item, item);
    assert_false(match_validate(&t->in, NULL));
}

static void test_validate(void **state)
{
    (void)state;
    static const uint32_t cap[] = {1, 1};
    struct inst t;
    build(&t, 2, (const int[]){0, 1, END, 1, 2, END}, 2, (const int[]){END, END}, cap);
    expect_fault(&t, MATCH_BAD_POSITION, 1, 1);
    inst_free(&t);
    build(&t, 2, (const int[]){0, END, 1, 0, 1, END}, 2, (const int[]){END, END}, cap);
    expect_fault(&t, MATCH_DUP_CHOICE, 1, 2);
    inst_free(&t);
    build(&t, 2, (const int[]){END, END}, 2, (const int[]){1, 0, END, 5, END}, cap);
    expect_fault(&t, MATCH_BAD_STUDENT, 1, 0);
    inst_free(&t);
    build(&t, 2, (const int[]){END, END}, 2, (const int[]){1, 0, 1, END, END}, cap);
    expect_fault(&t, MATCH_DUP_RANK, 0, 2);
    inst_free(&t);
    build(&t, 2, (const int[]){0, END, 1, END}, 2, (const int[]){0, END, 1, END}, cap);
    t.s_off[1] = 2; /* 0, 2, 2 is fine; 0, 2, 1 is not */
    t.s_off[2] = 1;
    expect_fault(&t, MATCH_BAD_OFFSETS, 1, 0);
    t.s_off[1] = 1;
    t.s_off[2] = 2;
    t.p_off[0] = 1;
    expect_fault(&t, MATCH_BAD_OFFSETS, 0, 0);
    t.p_off[0] = 0;
    struct match_problem why;
    assert_true(match_validate(&t.in, &why));
    inst_free(&t);
    /* More than UINT32_MAX - 1 entries: the offsets say so before any
     * entry is read. */
    uint32_t off[2] = {0, UINT32_MAX}, none[2] = {0, 0}, one = 1;
    struct match_input big = {1, 1, off, NULL, &one, none, NULL};
    assert_false(match_validate(&big, &why));
    assert_int_equal(why.fault, MATCH_TOO_BIG);
}

/* Breaks a correct result in several ways: match_check() must notice. */
static void test_check_catches(void **state)
{
    (void)state;
    static const int res[] = {0, 1, END, 0, 1, END, 0, END, 1, 0, END, 0, 1, END};
    static const int hosp[] = {3, 2, 0, 4, 1, END, 1, 0, 4, 3, END};
    struct inst t;
    build(&t, 5, res, 2, hosp, (const uint32_t[]){2, 2});
    struct match_result r;
    solve(&t, &r);
    struct match_blocking bp;

    /* Swap r0 (h1) and r3 (h0): h0 = {r2, r0}, h1 = {r1, r3}.  Both pairs
     * are mutually acceptable, but r4 (unplaced) and h1 now block: h1
     * ranks her 2, above r3 (3). */
    r.assigned[0] = 0;
    r.assigned[3] = 1;
    assert_false(match_check(&t.in, &r, &bp));
    assert_int_equal(bp.student, 4);
    assert_int_equal(bp.position, 1);
    r.assigned[0] = 1;
    r.assigned[3] = 0;
    assert_true(match_check(&t.in, &r, &bp));
    assert_true(match_check(&t.in, &r, NULL));

    /* r1 unplaced, h1 with a free seat she wants: the first block is hers
     * (r0, at h1, would rather have h0, which is full of better ones). */
    r.assigned[1] = NONE;
    r.filled[1] = 1;
    assert_false(match_check(&t.in, &r, &bp));
    assert_int_equal(bp.student, 1);
    assert_int_equal(bp.position, 1);
    r.assigned[1] = 1;
    r.filled[1] = 2;

    /* Over-filled: r4 put into h0 too. */
    r.assigned[4] = 0;
    r.filled[0] = 3;
    assert_false(match_check(&t.in, &r, &bp));
    assert_int_equal(bp.student, NONE);
    assert_int_equal(bp.position, NONE);
    r.assigned[4] = NONE;
    r.filled[0] = 2;

    /* filled[] that disagrees with the assignments. */
    r.filled[1] = 1;
    assert_false(match_check(&t.in, &r, &bp));
    assert_int_equal(bp.student, NONE);
    r.filled[1] = 2;

    /* Not acceptable: r2 (lists only h0, and h1 does not rank her) put in
     * h1, with room made for her there. */
    r.assigned[2] = 1;
    r.filled[0] = 1;
    r.filled[1] = 3;
    t.cap[1] = 3;
    assert_false(match_check(&t.in, &r, &bp));
    assert_int_equal(bp.position, NONE);
    /* A position index out of range. */
    r.assigned[2] = 7;
    r.filled[1] = 2;
    assert_false(match_check(&t.in, &r, &bp));
    match_result_free(&r);
    inst_free(&t);
}

/* Progress: reported, never going back, ending at the total. */
struct progress_log {
    uint64_t calls, last, total;
};

static void on_progress(void *arg, uint64_t done, uint64_t total)
{
    struct progress_log *l = arg;
    assert_true(done >= l->last);
    assert_true(done <= total);
    l->calls++;
    l->last = done;
    l->total = total;
}

static void test_progress(void **state)
{
    (void)state;
    uint32_t n = 200000;
    uint32_t *s_off = calloc(n + 1, sizeof(uint32_t)), *choice = calloc(n, sizeof(uint32_t));
    uint32_t p_off[2] = {0, 0}, cap = 5;
    for (uint32_t s = 0; s < n; s++)
        s_off[s + 1] = s + 1;
    uint32_t *rank = calloc(n, sizeof(uint32_t));
    for (uint32_t s = 0; s < n; s++)
        rank[s] = n - 1 - s;
    p_off[1] = n;
    struct match_input in = {n, 1, s_off, choice, &cap, p_off, rank};
    struct progress_log log = {0};
    struct match_result r;
    match_run(&in, &r, on_progress, &log);
    assert_true(log.calls >= 3);
    assert_int_equal(log.last, n);
    assert_int_equal(log.total, n);
    for (uint32_t s = 0; s < n; s++)
        assert_int_equal(r.assigned[s], s >= n - 5 ? 0 : NONE);
    assert_int_equal(r.cutoff[0], 4);
    assert_true(match_check(&in, &r, NULL));
    match_result_free(&r);
    match_result_free(&r); /* twice is fine */
    free(s_off);
    free(choice);
    free(rank);
}

/* --- properties on random instances --------------------------------------- */

static uint64_t rnd(uint64_t *st)
{
    uint64_t z = (*st += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint32_t below(uint64_t *st, uint32_t n)
{
    return n == 0 ? 0 : (uint32_t)(rnd(st) % n);
}

/* Shuffles a[0..n) and returns it. */
static uint32_t *shuffle(uint64_t *st, uint32_t *a, uint32_t n)
{
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = below(st, i), x = a[i - 1];
        a[i - 1] = a[j];
        a[j] = x;
    }
    return a;
}

/* A random instance of up to maxs students and maxp positions: random
 * lists, seats 0..maxcap, positions ranking most of those who chose them and a
 * few who did not, in a random order or by a shared score (which makes
 * longer chains of rejections). */
static void random_inst(struct inst *t, uint64_t *st, uint32_t maxs, uint32_t maxp, uint32_t maxcap)
{
    uint32_t ns = below(st, maxs + 1), np = below(st, maxp + 1), most = np < 25 ? np : 25;
    bool by_score = below(st, 2) == 0;
    uint32_t *perm = calloc(np + ns + 1, sizeof(uint32_t));
    uint8_t *chose = calloc((size_t)ns * np + 1, 1);
    t->s_off = calloc(ns + 1, sizeof(uint32_t));
    t->s_choice = calloc((size_t)ns * most + 1, sizeof(uint32_t));
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t len = below(st, most + 1);
        for (uint32_t i = 0; i < np; i++)
            perm[i] = i;
        shuffle(st, perm, np);
        for (uint32_t i = 0; i < len; i++) {
            t->s_choice[t->s_off[s] + i] = perm[i];
            chose[(size_t)perm[i] * ns + s] = 1;
        }
        t->s_off[s + 1] = t->s_off[s] + len;
    }
    t->cap = calloc(np + 1, sizeof(uint32_t));
    t->p_off = calloc(np + 1, sizeof(uint32_t));
    t->p_rank = calloc((size_t)ns * np + 1, sizeof(uint32_t));
    for (uint32_t p = 0; p < np; p++) {
        uint32_t n = 0, *row = t->p_rank + t->p_off[p];
        t->cap[p] = below(st, maxcap + 1);
        for (uint32_t s = 0; s < ns; s++)
            if (below(st, 100) < (chose[(size_t)p * ns + s] ? 85u : 10u))
                row[n++] = s;
        if (!by_score)
            shuffle(st, row, n);
        else /* mostly by index (a shared score), with some noise */
            for (uint32_t i = 0; i + 1 < n; i++)
                if (below(st, 4) == 0) {
                    uint32_t x = row[i];
                    row[i] = row[i + 1];
                    row[i + 1] = x;
                }
        t->p_off[p + 1] = t->p_off[p] + n;
    }
    free(perm);
    free(chose);
    t->in = (struct match_input){ns, np, t->s_off, t->s_choice, t->cap, t->p_off, t->p_rank};
}

/* A complete instance: ns students and np positions, everyone ranking
 * everyone on the other side in a random order, 1 or 2 seats each.  Such
 * instances often have several stable matchings. */
static void dense_inst(struct inst *t, uint64_t *st, uint32_t ns, uint32_t np)
{
    t->s_off = calloc(ns + 1, sizeof(uint32_t));
    t->s_choice = calloc((size_t)ns * np + 1, sizeof(uint32_t));
    t->p_off = calloc(np + 1, sizeof(uint32_t));
    t->p_rank = calloc((size_t)ns * np + 1, sizeof(uint32_t));
    t->cap = calloc(np + 1, sizeof(uint32_t));
    for (uint32_t s = 0; s < ns; s++) {
        for (uint32_t i = 0; i < np; i++)
            t->s_choice[s * np + i] = i;
        shuffle(st, t->s_choice + s * np, np);
        t->s_off[s + 1] = (s + 1) * np;
    }
    for (uint32_t p = 0; p < np; p++) {
        for (uint32_t i = 0; i < ns; i++)
            t->p_rank[p * ns + i] = i;
        shuffle(st, t->p_rank + p * ns, ns);
        t->p_off[p + 1] = (p + 1) * ns;
        t->cap[p] = 1 + below(st, 2);
    }
    t->in = (struct match_input){ns, np, t->s_off, t->s_choice, t->cap, t->p_off, t->p_rank};
}

/* rank[p * ns + s]: s's place in p's ranking, or NONE. */
static uint32_t *rank_matrix(const struct match_input *in)
{
    size_t cells = (size_t)in->n_positions * in->n_students;
    uint32_t *rank = malloc((cells + 1) * sizeof(uint32_t));
    memset(rank, 0xff, (cells + 1) * sizeof(uint32_t));
    for (uint32_t p = 0; p < in->n_positions; p++)
        for (uint32_t k = in->p_off[p]; k < in->p_off[p + 1]; k++)
            rank[(size_t)p * in->n_students + in->p_rank[k]] = k - in->p_off[p];
    return rank;
}

/* Keeps the best cap of the n candidates c[] (by rank at p, all
 * acceptable) in assigned[], and sets the others free. */
static void keep_best(uint32_t *c, uint32_t n, uint32_t cap, const uint32_t *rk, uint32_t p,
                      uint32_t *assigned)
{
    for (uint32_t i = 0; i < n; i++) /* selection sort: tiny lists */
        for (uint32_t j = i + 1; j < n; j++)
            if (rk[c[j]] < rk[c[i]]) {
                uint32_t x = c[i];
                c[i] = c[j];
                c[j] = x;
            }
    for (uint32_t i = 0; i < n; i++)
        assigned[c[i]] = i < cap ? p : NONE;
}

/* The reference: Gale and Shapley's rounds.  In each round every free
 * student with choices left proposes to the next one, all at once; each
 * position keeps the best cap of those it held and those who proposed to
 * it, and rejects the rest.  Returns assigned[] (malloc) and the count of
 * proposals. */
static uint32_t *reference(const struct match_input *in, uint64_t *proposals)
{
    uint32_t ns = in->n_students, np = in->n_positions;
    uint32_t *rank = rank_matrix(in), *next = calloc(ns + 1, sizeof(uint32_t));
    uint32_t *assigned = malloc((ns + 1) * sizeof(uint32_t)), *target = malloc((ns + 1) * 4);
    uint32_t *cand = malloc((ns + 1) * sizeof(uint32_t));
    memset(assigned, 0xff, (ns + 1) * sizeof(uint32_t));
    *proposals = 0;
    for (bool any = true; any;) {
        any = false;
        for (uint32_t s = 0; s < ns; s++) {
            target[s] = NONE;
            if (assigned[s] == NONE && next[s] < in->s_off[s + 1] - in->s_off[s]) {
                target[s] = in->s_choice[in->s_off[s] + next[s]++];
                (*proposals)++;
                any = true;
            }
        }
        for (uint32_t p = 0; p < np; p++) {
            const uint32_t *rk = rank + (size_t)p * ns;
            uint32_t n = 0;
            for (uint32_t s = 0; s < ns; s++)
                if (assigned[s] == p || (target[s] == p && rk[s] != NONE))
                    cand[n++] = s;
            keep_best(cand, n, in->cap[p], rk, p, assigned);
        }
    }
    free(rank);
    free(next);
    free(target);
    free(cand);
    return assigned;
}

/* Checks every field of r against the assignment want. */
static void expect_result(const struct match_input *in, const struct match_result *r,
                          const uint32_t *want)
{
    uint32_t *rank = rank_matrix(in), ns = in->n_students;
    uint32_t *filled = calloc(in->n_positions + 1, 4), *cut = malloc((in->n_positions + 1) * 4);
    memset(cut, 0xff, (in->n_positions + 1) * 4);
    uint64_t proposals = 0;
    for (uint32_t s = 0; s < ns; s++) {
        assert_int_equal(r->assigned[s], want[s]);
        uint32_t p = want[s], place = NONE, deg = in->s_off[s + 1] - in->s_off[s];
        for (uint32_t i = 0; p != NONE && i < deg; i++)
            if (in->s_choice[in->s_off[s] + i] == p)
                place = i;
        assert_int_equal(r->place[s], place);
        proposals += place == NONE ? deg : place + 1;
        if (p == NONE)
            continue;
        filled[p]++;
        uint32_t rk = rank[(size_t)p * ns + s];
        if (cut[p] == NONE || rk > cut[p])
            cut[p] = rk;
    }
    for (uint32_t p = 0; p < in->n_positions; p++) {
        assert_int_equal(r->filled[p], filled[p]);
        assert_true(filled[p] <= in->cap[p]);
        assert_int_equal(r->cutoff[p], cut[p]);
    }
    assert_int_equal(r->proposals, proposals);
    free(rank);
    free(filled);
    free(cut);
}

/* Hundreds of random instances, 0 to 300 students: the engine's result
 * passes match_check() and equals the reference's, field by field.  The
 * student-optimal stable matching is unique, so equality shows the engine
 * finds it. */
static void test_random_reference(void **state)
{
    (void)state;
    static const uint32_t sizes[] = {1, 2, 3, 5, 8, 13, 30, 60, 120, 300};
    uint64_t st = 20240601;
    for (int i = 0; i < 600; i++) {
        uint32_t maxs = sizes[i % 10], maxp = maxs / 3 + 1 + below(&st, maxs);
        struct inst t;
        random_inst(&t, &st, maxs, maxp, 5);
        struct match_result r;
        solve(&t, &r);
        uint64_t proposals;
        uint32_t *want = reference(&t.in, &proposals);
        expect_result(&t.in, &r, want);
        assert_int_equal(r.proposals, proposals);
        free(want);
        match_result_free(&r);
        inst_free(&t);
    }
}

/* Is assignment a (mutually acceptable, within seats) stable? */
static bool stable(const struct match_input *in, const uint32_t *rank, const uint32_t *a)
{
    uint32_t ns = in->n_students, held[8] = {0}, worst[8] = {0};
    for (uint32_t s = 0; s < ns; s++)
        if (a[s] != NONE) {
            held[a[s]]++;
            uint32_t rk = rank[(size_t)a[s] * ns + s] + 1;
            worst[a[s]] = rk > worst[a[s]] ? rk : worst[a[s]];
        }
    for (uint32_t s = 0; s < ns; s++)
        for (uint32_t j = in->s_off[s]; j < in->s_off[s + 1] && in->s_choice[j] != a[s]; j++) {
            uint32_t p = in->s_choice[j], rk = rank[(size_t)p * ns + s];
            if (rk != NONE && (held[p] < in->cap[p] || worst[p] > rk + 1))
                return false;
        }
    return true;
}

/* s's place of p in her list (NONE: unplaced, worse than any). */
static uint32_t place_in(const struct match_input *in, uint32_t s, uint32_t p)
{
    for (uint32_t j = in->s_off[s]; p != NONE && j < in->s_off[s + 1]; j++)
        if (in->s_choice[j] == p)
            return j - in->s_off[s];
    return NONE;
}

/* Tries every matching of a tiny instance (each student unplaced or at a
 * mutually acceptable position, within seats); for each stable one checks
 * that every student does at least as well in ours, and that it places
 * the same students and fills the same seats (the rural hospitals
 * theorem).  Returns how many stable matchings there are. */
static int enumerate(const struct match_input *in, const uint32_t *rank,
                     const struct match_result *r, uint32_t *a, uint32_t *held, uint32_t s)
{
    uint32_t ns = in->n_students;
    if (s == ns) {
        if (!stable(in, rank, a))
            return 0;
        for (uint32_t i = 0; i < ns; i++) {
            assert_true(place_in(in, i, r->assigned[i]) <= place_in(in, i, a[i]));
            assert_int_equal(a[i] == NONE, r->assigned[i] == NONE);
        }
        for (uint32_t p = 0; p < in->n_positions; p++)
            assert_int_equal(held[p], r->filled[p]);
        return 1;
    }
    a[s] = NONE;
    int found = enumerate(in, rank, r, a, held, s + 1);
    for (uint32_t j = in->s_off[s]; j < in->s_off[s + 1]; j++) {
        uint32_t p = in->s_choice[j];
        if (rank[(size_t)p * ns + s] == NONE || held[p] == in->cap[p])
            continue;
        a[s] = p;
        held[p]++;
        found += enumerate(in, rank, r, a, held, s + 1);
        held[p]--;
    }
    a[s] = NONE;
    return found;
}

/* The brute force itself, on Gale and Shapley's cycle: three stable
 * matchings, and ours the students' best. */
static void test_brute_force_gale_shapley(void **state)
{
    (void)state;
    static const int men[] = {0, 1, 2, END, 1, 2, 0, END, 2, 0, 1, END};
    static const int women[] = {1, 2, 0, END, 2, 0, 1, END, 0, 1, 2, END};
    struct inst t;
    build(&t, 3, men, 3, women, (const uint32_t[]){1, 1, 1});
    struct match_result r;
    solve(&t, &r);
    uint32_t *rank = rank_matrix(&t.in), a[3], held[3] = {0};
    assert_int_equal(enumerate(&t.in, rank, &r, a, held, 0), 3);
    free(rank);
    match_result_free(&r);
    inst_free(&t);
}

/* Tiny instances (up to 5 students, 3 positions), against all matchings:
 * ours is stable and every student weakly prefers it to every other
 * stable matching. */
static void test_tiny_brute_force(void **state)
{
    (void)state;
    uint64_t st = 77;
    int with_several = 0;
    for (int i = 0; i < 3000; i++) {
        struct inst t;
        if (i % 2)
            dense_inst(&t, &st, 2 + below(&st, 4), 2 + below(&st, 2));
        else
            random_inst(&t, &st, 5, 3, i % 4 ? 2 : 5);
        struct match_result r;
        solve(&t, &r);
        uint32_t *rank = rank_matrix(&t.in), a[5], held[3] = {0};
        assert_true(stable(&t.in, rank, r.assigned));
        int n = enumerate(&t.in, rank, &r, a, held, 0);
        assert_true(n >= 1);
        with_several += n > 1;
        free(rank);
        match_result_free(&r);
        inst_free(&t);
    }
    printf("tiny instances with several stable matchings: %d of 3000\n", with_several);
    assert_true(with_several > 10); /* the comparison had something to compare */
}

/* A queue-based deferred acceptance over a rank matrix (a second, plain
 * reference for instances too big for the rounds). */
static uint32_t *reference_queue(const struct match_input *in)
{
    uint32_t ns = in->n_students, *rank = rank_matrix(in);
    uint32_t *a = malloc((ns + 1) * 4), *next = calloc(ns + 1, 4),
             *held = calloc(in->n_positions + 1, 4);
    memset(a, 0xff, (ns + 1) * 4);
    for (uint32_t s0 = 0; s0 < ns; s0++) {
        for (uint32_t s = s0; s != NONE;) {
            uint32_t free_one = NONE;
            while (next[s] < in->s_off[s + 1] - in->s_off[s]) {
                uint32_t p = in->s_choice[in->s_off[s] + next[s]++];
                const uint32_t *rk = rank + (size_t)p * ns;
                if (rk[s] == NONE || in->cap[p] == 0)
                    continue;
                if (held[p] < in->cap[p]) {
                    held[p]++;
                    a[s] = p;
                    break;
                }
                uint32_t worst = NONE; /* the worst held, by a scan */
                for (uint32_t x = 0; x < ns; x++)
                    if (a[x] == p && (worst == NONE || rk[x] > rk[worst]))
                        worst = x;
                if (rk[worst] > rk[s]) {
                    a[worst] = NONE;
                    a[s] = p;
                    free_one = worst;
                    break;
                }
            }
            s = free_one;
        }
    }
    free(rank);
    free(next);
    free(held);
    return a;
}

/* Skewed popularity, 20 choices, shared scores: thousands of students,
 * several alignment blocks, against the queue-based reference. */
static void test_skewed_large(void **state)
{
    (void)state;
    uint64_t st = 99;
    struct inst t;
    uint32_t ns = 6000, np = 400, k = 20;
    t.s_off = calloc(ns + 1, 4);
    t.s_choice = calloc((size_t)ns * k, 4);
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t n = 0;
        while (n < k) {
            uint32_t p = below(&st, np) * below(&st, 1000) / 1000, dup = 0; /* skewed */
            for (uint32_t i = 0; i < n; i++)
                dup |= t.s_choice[s * k + i] == p;
            if (!dup)
                t.s_choice[s * k + n++] = p;
        }
        t.s_off[s + 1] = (s + 1) * k;
    }
    uint32_t *tmp;
    t.cap = calloc(np, 4);
    t.p_off = calloc(np + 1, 4);
    t.p_rank = calloc((size_t)ns * k, 4);
    tmp = calloc(ns, 4);
    for (uint32_t p = 0; p < np; p++) {
        uint32_t n = 0;
        for (uint32_t s = 0; s < ns; s++) /* by index: a shared score */
            for (uint32_t j = t.s_off[s]; j < t.s_off[s + 1]; j++)
                if (t.s_choice[j] == p && below(&st, 10) != 0)
                    tmp[n++] = s;
        memcpy(t.p_rank + t.p_off[p], tmp, n * 4);
        t.p_off[p + 1] = t.p_off[p] + n;
        t.cap[p] = 1 + below(&st, 15);
    }
    free(tmp);
    t.in = (struct match_input){ns, np, t.s_off, t.s_choice, t.cap, t.p_off, t.p_rank};
    struct match_result r;
    solve(&t, &r);
    uint32_t *want = reference_queue(&t.in);
    expect_result(&t.in, &r, want);
    free(want);
    match_result_free(&r);
    inst_free(&t);
}

/* 3 students ranked by 30000 positions of one seat each: so many entries
 * a student that the alignment's blocks shrink to one student each. */
static void test_one_student_blocks(void **state)
{
    (void)state;
    struct inst t;
    struct match_result r;
    uint32_t ns = 3, np = 30000, *want;
    t.s_off = calloc(ns + 1, 4);
    t.s_choice = calloc(ns * 50, 4);
    t.cap = calloc(np, 4);
    t.p_off = calloc(np + 1, 4);
    t.p_rank = calloc((size_t)np * ns, 4);
    for (uint32_t s = 0; s < ns; s++) {
        for (uint32_t i = 0; i < 50; i++)
            t.s_choice[s * 50 + i] = (i * 7 + s) % 100; /* positions 0..99, all distinct */
        t.s_off[s + 1] = (s + 1) * 50;
    }
    for (uint32_t p = 0; p < np; p++) {
        t.cap[p] = 1;
        for (uint32_t i = 0; i < ns; i++)
            t.p_rank[p * ns + i] = (p + i) % ns;
        t.p_off[p + 1] = (p + 1) * ns;
    }
    t.in = (struct match_input){ns, np, t.s_off, t.s_choice, t.cap, t.p_off, t.p_rank};
    solve(&t, &r);
    want = reference_queue(&t.in);
    expect_result(&t.in, &r, want);
    free(want);
    match_result_free(&r);
    inst_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gale_shapley),
        cmocka_unit_test(test_hospitals_residents),
        cmocka_unit_test(test_unacceptable_and_zero_seats),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_check_catches),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_random_reference),
        cmocka_unit_test(test_brute_force_gale_shapley),
        cmocka_unit_test(test_tiny_brute_force),
        cmocka_unit_test(test_skewed_large),
        cmocka_unit_test(test_one_student_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
