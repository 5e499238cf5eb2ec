/*
 * fuzz_match.c - the matching engine and its CSV reader
 * (src/lib/match/match.h, instance.h).  The first byte picks the mode:
 *
 *   even: the rest is decoded into a small instance (up to 16 students,
 *         8 positions): list lengths, items and seat counts come from the
 *         bytes; with bit 1 of the first byte set, lists may repeat items
 *         (an invalid instance).  match_validate() must report exactly the
 *         first fault a reference scan finds.  A valid instance is run;
 *         the result must pass match_check() and equal, field by field, the
 *         result of a plain queue-based deferred acceptance over a rank
 *         matrix (the student-optimal stable matching is unique), and each
 *         explanation must agree with the rank matrix.  Then the result is
 *         changed (a student moved, dropped or added, per the bytes left)
 *         and match_check() must accept it exactly when a reference
 *         stability test does.
 *   odd:  the rest is two CSV texts, split at the first NUL byte (no NUL:
 *         all students, empty positions), each copied to a heap buffer of
 *         exactly its size, read by match_instance_parse().  A refusal
 *         names a row within the text and says something; an instance
 *         passes match_validate(), and is run and checked as above.
 */
#include "lib/match/instance.h"
#include "lib/match/match.h"

#include "fuzz_common.h"

#include <stdbool.h>
#include <string.h>

#define MAX_S 16
#define MAX_P 8
#define NONE MATCH_NONE

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* Bytes handed out one at a time (zeros once they run out). */
struct bytes {
    const uint8_t *p;
    size_t n;
};

static uint8_t take(struct bytes *b)
{
    if (b->n == 0)
        return 0;
    b->n--;
    return *b->p++;
}

struct small {
    uint32_t ns, np;
    uint32_t s_off[MAX_S + 1], s_choice[MAX_S * MAX_P * 2];
    uint32_t cap[MAX_P], p_off[MAX_P + 1], p_rank[MAX_P * MAX_S * 2];
    struct match_input in;
};

/* One list of up to most items below limit (repeats allowed or skipped). */
static uint32_t decode_list(struct bytes *b, uint32_t *out, uint32_t most, uint32_t limit,
                            bool repeats)
{
    uint32_t len = take(b) % (most + 1), n = 0;
    for (uint32_t i = 0; i < len && limit > 0; i++) {
        uint32_t x = take(b) % limit;
        bool dup = false;
        for (uint32_t k = 0; k < n; k++)
            dup = dup || out[k] == x;
        if (!dup || repeats)
            out[n++] = x;
    }
    return n;
}

static void decode(struct bytes *b, struct small *x, bool repeats)
{
    x->ns = take(b) % (MAX_S + 1);
    x->np = take(b) % (MAX_P + 1);
    uint32_t most_s = repeats ? 2 * MAX_P : MAX_P, most_p = repeats ? 2 * MAX_S : MAX_S;
    x->s_off[0] = 0;
    for (uint32_t s = 0; s < x->ns; s++)
        x->s_off[s + 1] =
            x->s_off[s] + decode_list(b, x->s_choice + x->s_off[s], most_s, x->np, repeats);
    x->p_off[0] = 0;
    for (uint32_t p = 0; p < x->np; p++) {
        uint8_t c = take(b);
        x->cap[p] = c == 255 ? UINT32_MAX - 1 : c % 4; /* huge: clamped by the engine */
        x->p_off[p + 1] =
            x->p_off[p] + decode_list(b, x->p_rank + x->p_off[p], most_p, x->ns, repeats);
    }
    x->in = (struct match_input){x->ns, x->np, x->s_off, x->s_choice, x->cap, x->p_off, x->p_rank};
}

/* The first repeat in one side's lists (the validation contract). */
static bool ref_first_dup(const uint32_t *off, const uint32_t *items, uint32_t rows, uint32_t *row,
                          uint32_t *item)
{
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t i = off[r]; i < off[r + 1]; i++)
            for (uint32_t k = off[r]; k < i; k++)
                if (items[k] == items[i]) {
                    *row = r;
                    *item = i - off[r];
                    return true;
                }
    return false;
}

/* Checks match_validate() against the reference; true when valid. */
static bool check_validate(const struct match_input *in)
{
    struct match_problem why;
    bool ok = match_validate(in, &why);
    uint32_t row, item;
    if (ref_first_dup(in->s_off, in->s_choice, in->n_students, &row, &item)) {
        FUZZ_CHECK(!ok && why.fault == MATCH_DUP_CHOICE && why.index == row && why.item == item);
        return false;
    }
    if (ref_first_dup(in->p_off, in->p_rank, in->n_positions, &row, &item)) {
        FUZZ_CHECK(!ok && why.fault == MATCH_DUP_RANK && why.index == row && why.item == item);
        return false;
    }
    FUZZ_CHECK(ok && why.fault == MATCH_OK);
    return true;
}

/* rank[p][s] of an instance small enough for a matrix (NONE: not ranked). */
static void ranks(const struct match_input *in, uint32_t *rank)
{
    for (uint32_t i = 0; i < in->n_positions * in->n_students; i++)
        rank[i] = NONE;
    for (uint32_t p = 0; p < in->n_positions; p++)
        for (uint32_t k = in->p_off[p]; k < in->p_off[p + 1]; k++)
            rank[p * in->n_students + in->p_rank[k]] = k - in->p_off[p];
}

/* A plain deferred acceptance: one free student at a time, the worst held
 * found by a scan. */
static void ref_match(const struct match_input *in, const uint32_t *rank, uint32_t *a)
{
    uint32_t ns = in->n_students, next[MAX_S] = {0}, held[MAX_P] = {0};
    for (uint32_t s = 0; s < ns; s++)
        a[s] = NONE;
    for (uint32_t s0 = 0; s0 < ns; s0++) {
        uint32_t s = s0;
        while (s != NONE && next[s] < in->s_off[s + 1] - in->s_off[s]) {
            uint32_t p = in->s_choice[in->s_off[s] + next[s]++];
            const uint32_t *rk = rank + p * ns;
            if (rk[s] == NONE || in->cap[p] == 0)
                continue;
            if (held[p] < in->cap[p]) {
                held[p]++;
                a[s] = p;
                s = NONE;
                continue;
            }
            uint32_t worst = NONE;
            for (uint32_t x = 0; x < ns; x++)
                if (a[x] == p && (worst == NONE || rk[x] > rk[worst]))
                    worst = x;
            if (rk[worst] > rk[s]) {
                a[worst] = NONE;
                a[s] = p;
                s = worst;
            }
        }
    }
}

/* Is a (any assignment) mutually acceptable, within seats, and stable? */
static bool ref_stable(const struct match_input *in, const uint32_t *rank, const uint32_t *a)
{
    uint32_t ns = in->n_students, held[MAX_P] = {0}, worst[MAX_P] = {0};
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t p = a[s];
        if (p == NONE)
            continue;
        bool listed = false;
        for (uint32_t j = in->s_off[s]; j < in->s_off[s + 1]; j++)
            listed = listed || in->s_choice[j] == p;
        if (p >= in->n_positions || !listed || rank[p * ns + s] == NONE)
            return false;
        held[p]++;
        worst[p] = rank[p * ns + s] + 1 > worst[p] ? rank[p * ns + s] + 1 : worst[p];
    }
    for (uint32_t p = 0; p < in->n_positions; p++)
        if (held[p] > in->cap[p])
            return false;
    for (uint32_t s = 0; s < ns; s++)
        for (uint32_t j = in->s_off[s]; j < in->s_off[s + 1] && in->s_choice[j] != a[s]; j++) {
            uint32_t p = in->s_choice[j], rk = rank[p * ns + s];
            if (rk != NONE && (held[p] < in->cap[p] || worst[p] > rk + 1))
                return false;
        }
    return true;
}

/* The explanations of student s agree with the instance and result. */
static void check_explain(const struct match_input *in, const struct match_result *r,
                          const uint32_t *rank, uint32_t s)
{
    struct match_why why[2 * MAX_P];
    uint32_t deg = in->s_off[s + 1] - in->s_off[s];
    size_t n = match_explain(in, r, s, why, 2 * MAX_P);
    FUZZ_CHECK(n == (r->place[s] == NONE ? deg : r->place[s]));
    for (size_t i = 0; i < n; i++) {
        uint32_t p = in->s_choice[in->s_off[s] + i], rk = rank[p * in->n_students + s];
        FUZZ_CHECK(why[i].place == i && why[i].position == p && why[i].seats == in->cap[p]);
        FUZZ_CHECK(why[i].rank == rk && why[i].cutoff == r->cutoff[p]);
        if (in->cap[p] == 0)
            FUZZ_CHECK(why[i].reason == MATCH_WHY_NO_SEATS);
        else if (rk == NONE)
            FUZZ_CHECK(why[i].reason == MATCH_WHY_NOT_ACCEPTED);
        else /* full, of students ranked higher */
            FUZZ_CHECK(why[i].reason == MATCH_WHY_FULL && r->filled[p] == in->cap[p] &&
                       r->cutoff[p] < rk);
    }
}

/* Runs a valid instance (rank: its matrix) and checks everything. */
static void check_run(const struct match_input *in, const uint32_t *rank, struct bytes *b)
{
    struct match_result r;
    match_run(in, &r, NULL, NULL);
    struct match_blocking bp;
    FUZZ_CHECK(match_check(in, &r, &bp));
    uint32_t ns = in->n_students, want[MAX_S], filled[MAX_P] = {0}, cut[MAX_P];
    uint64_t proposals = 0;
    ref_match(in, rank, want);
    for (uint32_t p = 0; p < in->n_positions; p++)
        cut[p] = NONE;
    for (uint32_t s = 0; s < ns; s++) {
        uint32_t p = want[s], deg = in->s_off[s + 1] - in->s_off[s], place = NONE;
        FUZZ_CHECK(r.assigned[s] == p);
        for (uint32_t i = 0; p != NONE && i < deg; i++)
            place = in->s_choice[in->s_off[s] + i] == p ? i : place;
        FUZZ_CHECK(r.place[s] == place);
        proposals += place == NONE ? deg : place + 1;
        if (p != NONE) {
            filled[p]++;
            uint32_t rk = rank[p * ns + s];
            cut[p] = cut[p] == NONE || rk > cut[p] ? rk : cut[p];
        }
        check_explain(in, &r, rank, s);
    }
    for (uint32_t p = 0; p < in->n_positions; p++)
        FUZZ_CHECK(r.filled[p] == filled[p] && r.cutoff[p] == cut[p]);
    FUZZ_CHECK(r.proposals == proposals);
    /* A changed result: match_check() agrees with the reference. */
    if (ns > 0 && b != NULL) {
        uint32_t s = take(b) % ns, to = take(b);
        r.assigned[s] =
            to % (in->n_positions + 1) == in->n_positions ? NONE : to % (in->n_positions + 1);
        for (uint32_t p = 0; p < in->n_positions; p++)
            r.filled[p] = 0;
        for (uint32_t i = 0; i < ns; i++)
            if (r.assigned[i] != NONE)
                r.filled[r.assigned[i]]++;
        FUZZ_CHECK(match_check(in, &r, &bp) == ref_stable(in, rank, r.assigned));
    }
    match_result_free(&r);
}

static void fuzz_engine(struct bytes *b, bool repeats)
{
    struct small x;
    decode(b, &x, repeats);
    if (!check_validate(&x.in))
        return;
    uint32_t rank[MAX_S * MAX_P];
    ranks(&x.in, rank);
    check_run(&x.in, rank, b);
}

/* A heap copy of exactly n bytes (NULL when n is 0). */
static char *copy(const uint8_t *p, size_t n)
{
    if (n == 0)
        return NULL;
    char *c = malloc(n);
    memcpy(c, p, n);
    return c;
}

static uint32_t lines_in(const char *s, size_t n)
{
    uint32_t k = 1;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'));
    return k;
}

static void fuzz_csv(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t slen = nul ? (size_t)(nul - data) : size, plen = nul ? size - slen - 1 : 0;
    char *s = copy(data, slen), *p = copy(nul ? nul + 1 : data, plen);
    struct match_instance m;
    struct match_csv_error err;
    if (!match_instance_parse(s, slen, p, plen, &m, &err)) {
        FUZZ_CHECK(err.file == MATCH_FILE_STUDENTS || err.file == MATCH_FILE_POSITIONS);
        FUZZ_CHECK(err.line >= 1);
        FUZZ_CHECK(err.line <=
                   (err.file == MATCH_FILE_STUDENTS ? lines_in(s, slen) : lines_in(p, plen)));
        FUZZ_CHECK(err.message[0] != '\0' && memchr(err.message, 0, sizeof(err.message)));
    } else {
        struct match_problem why;
        FUZZ_CHECK(match_validate(&m.in, &why));
        for (uint32_t i = 0; i < m.in.n_students; i++) {
            const char *name = match_instance_student(&m, i);
            FUZZ_CHECK(name[0] != '\0' && name[0] != ' ' && name[strlen(name) - 1] != ' ');
        }
        if (m.in.n_students <= MAX_S && m.in.n_positions <= MAX_P) {
            uint32_t rank[MAX_S * MAX_P];
            ranks(&m.in, rank);
            check_run(&m.in, rank, NULL);
        } else {
            struct match_result r;
            match_run(&m.in, &r, NULL, NULL);
            FUZZ_CHECK(match_check(&m.in, &r, NULL));
            match_result_free(&r);
        }
    }
    match_instance_free(&m);
    free(s);
    free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    struct bytes b = {data + 1, size - 1};
    if (data[0] & 1)
        fuzz_csv(data + 1, size - 1);
    else
        fuzz_engine(&b, (data[0] & 2) != 0);
    return 0;
}
