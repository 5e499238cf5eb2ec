/*
 * bench_common.h - what the benchmark programs share: a seeded SplitMix64
 * generator (the same as lib/match/lottery.h, so a seed means the same
 * everywhere) and a monotonic clock. Allocation is base/alloc.h's.
 */
#ifndef JL_BENCH_COMMON_H
#define JL_BENCH_COMMON_H

#include <stdint.h>
#include <time.h>

static inline uint64_t rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in 0 .. n-1 (n > 0), by Lemire's multiply-shift. */
static inline uint32_t rng_below(uint64_t *state, uint32_t n)
{
    return (uint32_t)(((rng_next(state) >> 32) * (uint64_t)n) >> 32);
}

/* Seconds on the monotonic clock. */
static inline double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#endif
