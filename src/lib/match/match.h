/*
 * match.h - stable assignment of students to positions with seats: the
 * hospital-residents problem behind the NRMP, solved by student-proposing
 * deferred acceptance (Gale and Shapley; Roth). Pure: no I/O, no clock,
 * no global state; safe to run from any thread.
 *
 * An instance is two lists of preferences in compressed rows (CSR):
 *
 *   students  s = 0 .. n_students-1 rank positions, most wanted first:
 *             s_choice[s_off[s] .. s_off[s+1]-1]
 *   positions p = 0 .. n_positions-1 have cap[p] seats and rank the
 *             students they accept, most wanted first:
 *             p_rank[p_off[p] .. p_off[p+1]-1]
 *
 * A student absent from p's ranking is not acceptable to p; a position
 * absent from s's choices is not acceptable to s. A pair (s, p) can be
 * matched only when each accepts the other.
 *
 * The result is the student-optimal stable matching: no student and
 * position would both rather have each other than what they got (no
 * blocking pair), no seat is over-filled, and every student gets the best
 * position she can have in any stable matching. It is unique, so the
 * order in which students propose does not change it.
 */
#ifndef JL_LIB_MATCH_MATCH_H
#define JL_LIB_MATCH_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MATCH_NONE UINT32_MAX /* no position, no rank */

struct match_input {
    uint32_t n_students, n_positions;
    const uint32_t *s_off;    /* n_students + 1 offsets into s_choice; s_off[0] == 0 */
    const uint32_t *s_choice; /* position indices */
    const uint32_t *cap;      /* n_positions seat counts (0 allowed: accepts nobody) */
    const uint32_t *p_off;    /* n_positions + 1 offsets into p_rank; p_off[0] == 0 */
    const uint32_t *p_rank;   /* student indices */
};

/* What match_validate() found wrong first. */
enum match_fault {
    MATCH_OK = 0,
    MATCH_BAD_OFFSETS,      /* offsets not starting at 0 or decreasing; index = the row */
    MATCH_BAD_POSITION,     /* s_choice entry >= n_positions; index = student, item = place */
    MATCH_DUP_CHOICE,       /* a student lists a position twice; index = student, item = 2nd place */
    MATCH_BAD_STUDENT,      /* p_rank entry >= n_students; index = position, item = place */
    MATCH_DUP_RANK,         /* a position ranks a student twice; index = position, item = 2nd place */
    MATCH_TOO_BIG,          /* more than UINT32_MAX - 1 entries on a side */
};
struct match_problem {
    enum match_fault fault;
    uint32_t index; /* the student or position (row) */
    uint32_t item;  /* 0-based place within its list */
};

/* Checks in must be a well-formed instance (O(entries) time, O(rows)
 * memory). match_run() assumes a validated input. */
bool match_validate(const struct match_input *in, struct match_problem *why);

struct match_result {
    uint32_t *assigned; /* n_students: position, or MATCH_NONE for unplaced */
    uint32_t *place;    /* n_students: 0-based place of assigned in s's choices, or MATCH_NONE */
    uint32_t *filled;   /* n_positions: seats taken */
    uint32_t *cutoff;   /* n_positions: rank (0-based place in p's ranking) of the lowest-ranked
                           student holding a seat, MATCH_NONE when the position is empty */
    uint64_t proposals; /* offers made by students during the run */
};

/* Progress: done of total (students whose proposals are settled, of all),
 * called now and then (not every step) with arg. May be NULL. */
typedef void (*match_progress_fn)(void *arg, uint64_t done, uint64_t total);

/* Runs deferred acceptance on a validated instance. Fills out (arrays on
 * the heap; free with match_result_free). Time O(E log c) for E entries
 * and at most c seats a position; memory O(E) 4-byte words beside the
 * input. Out of memory aborts (base/alloc.h). */
void match_run(const struct match_input *in, struct match_result *out, match_progress_fn progress,
               void *arg);
void match_result_free(struct match_result *r);

/* A pair that blocks stability: student s and position p each prefer the
 * other to what they have. */
struct match_blocking {
    uint32_t student, position;
};
/* Independent proof of a result (does not trust cutoff or place): every
 * assignment is mutually acceptable, no position holds more than its
 * seats, filled[] agrees, and there is no blocking pair. Returns true when
 * all hold; otherwise false, with *bp the first blocking pair found
 * (or MATCH_NONE, MATCH_NONE when another rule failed). */
bool match_check(const struct match_input *in, const struct match_result *r,
                 struct match_blocking *bp);

/* Why a student did not get a position she ranked above her result. */
enum match_reason {
    MATCH_WHY_NOT_ACCEPTED, /* the position does not rank her */
    MATCH_WHY_NO_SEATS,     /* the position has no seats */
    MATCH_WHY_FULL,         /* all its seats went to students it ranks higher */
};
struct match_why {
    uint32_t place;    /* 0-based place in her choices (0: first choice) */
    uint32_t position;
    enum match_reason reason;
    uint32_t seats;    /* cap of the position */
    uint32_t rank;     /* her 0-based rank there (MATCH_NONE when not accepted) */
    uint32_t cutoff;   /* the rank of the last student admitted there */
};
/* Fills out[0 .. n-1] with one entry for each choice student s ranked above
 * her result (all her choices when unplaced), in her order; returns n, or
 * the number needed when more than max (nothing past max is written). */
size_t match_explain(const struct match_input *in, const struct match_result *r, uint32_t s,
                     struct match_why *out, size_t max);

#endif
