/*
 * lottery.h - a published lottery that breaks ties between candidates with
 * equal scores, so that anyone holding the seed and the list can recompute
 * the order.
 *
 * A candidate's ticket is the first output of a SplitMix64 generator
 * (Steele, Lea and Flood, 2014; the seeding generator of xoshiro) whose
 * state starts at seed XOR id (the id as a 64-bit two's-complement word).
 * All arithmetic is modulo 2^64:
 *
 *   z = (seed ^ (uint64_t)id) + 0x9E3779B97F4A7C15
 *   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
 *   z = (z ^ (z >> 27)) * 0x94D049BB133111EB
 *   ticket = z ^ (z >> 31)
 *
 * For example match_ticket(0, 0) = 0xE220A8397B1DCDAF, the first output of
 * SplitMix64 seeded with 0.  Pure: no I/O, no global state.
 */
#ifndef JL_LIB_MATCH_LOTTERY_H
#define JL_LIB_MATCH_LOTTERY_H

#include <stddef.h>
#include <stdint.h>

/* The ticket of candidate id under the lottery seed (see above). */
uint64_t match_ticket(uint64_t seed, int64_t id);

/* Writes to order[0 .. n-1] the indices 0 .. n-1 of the candidates
 * (ids[i], scores[i]) from first to last: higher score first; equal scores
 * by ticket, lower first; equal tickets by id, lower first; then by index.
 * Scores compare as numbers (-0.0 equals 0.0); NaN scores come last, in
 * the same tie order among themselves.  n may be 0. */
void match_order(const int64_t *ids, const double *scores, size_t n, uint64_t seed,
                 uint32_t *order);

#endif
