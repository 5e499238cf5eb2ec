/* test_lottery.c - unit tests of src/lib/match/lottery.h: tickets against
 * SplitMix64 computed here from its definition and against its published
 * first outputs, and the order of candidates: scores, ties by ticket, then
 * by id, NaN last, determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/match/lottery.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* SplitMix64 as Steele, Lea and Flood define it: a generator whose state
 * advances by the golden gamma, each output a mix of the new state. */
struct splitmix {
    uint64_t state;
};

static uint64_t splitmix_next(struct splitmix *g)
{
    g->state += 0x9E3779B97F4A7C15u;
    uint64_t z = g->state;
    z ^= z >> 30;
    z *= 0xBF58476D1CE4E5B9u;
    z ^= z >> 27;
    z *= 0x94D049BB133111EBu;
    z ^= z >> 31;
    return z;
}

static void test_known_values(void **state)
{
    (void)state;
    /* The first outputs of SplitMix64 seeded with 0, as published with
     * the reference implementation (and in xoshiro's seeding examples). */
    assert_true(match_ticket(0, 0) == 0xE220A8397B1DCDAFu);
    struct splitmix g = {0};
    assert_true(splitmix_next(&g) == 0xE220A8397B1DCDAFu);
    assert_true(splitmix_next(&g) == 0x6E789E6AA1B965F4u);
    assert_true(splitmix_next(&g) == 0x06C45D188009454Fu);
    /* The second output is the first of a generator one step on. */
    assert_true(match_ticket(0x9E3779B97F4A7C15u, 0) == 0x6E789E6AA1B965F4u);
    assert_true(match_ticket(0x9E3779B97F4A7C15u * 2, 0) == 0x06C45D188009454Fu);
    /* Values worked out from the definition (seed XOR id). */
    assert_true(match_ticket(0, 1) == 0x910A2DEC89025CC1u);
    assert_true(match_ticket(42, 7) == 0xF7E9F3F88CC04AD6u);
    assert_true(match_ticket(UINT64_MAX, 5) == 0xE8F938E3D92C0F81u);
    /* A negative id is its two's-complement word. */
    assert_true(match_ticket(0, -1) == match_ticket(UINT64_MAX, 0));
}

static void test_matches_definition(void **state)
{
    (void)state;
    uint64_t seeds[] = {0, 1, 0xDEADBEEF, UINT64_MAX, 0x8000000000000000u};
    int64_t ids[] = {0, 1, -1, 12345, INT64_MIN, INT64_MAX, 987654321012};
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
        for (size_t j = 0; j < sizeof(ids) / sizeof(ids[0]); j++) {
            struct splitmix g = {seeds[i] ^ (uint64_t)ids[j]};
            assert_true(match_ticket(seeds[i], ids[j]) == splitmix_next(&g));
        }
}

static void test_order_by_score(void **state)
{
    (void)state;
    int64_t ids[] = {10, 11, 12, 13};
    double scores[] = {1.5, 9.0, -2.0, 3.25};
    uint32_t order[4];
    match_order(ids, scores, 4, 7, order);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 3);
    assert_int_equal(order[2], 0);
    assert_int_equal(order[3], 2);
    match_order(ids, scores, 0, 7, order); /* nothing to do */
}

/* Equal scores go by ticket; the ticket decides, not the input order. */
static void test_ties_by_ticket(void **state)
{
    (void)state;
    enum { N = 50 };
    int64_t ids[N];
    double scores[N];
    uint32_t order[N], again[N];
    uint64_t seed = 2024;
    for (int i = 0; i < N; i++) {
        ids[i] = 1000 + i * 3;
        scores[i] = i % 3 == 0 ? 80.0 : 70.0; /* two groups of ties */
    }
    match_order(ids, scores, N, seed, order);
    for (int i = 0; i + 1 < N; i++) {
        uint32_t a = order[i], b = order[i + 1];
        assert_true(scores[a] >= scores[b]);
        if (scores[a] == scores[b])
            assert_true(match_ticket(seed, ids[a]) < match_ticket(seed, ids[b]));
    }
    /* Deterministic, and independent of the input order. */
    match_order(ids, scores, N, seed, again);
    assert_memory_equal(order, again, sizeof(order));
    int64_t rid[N];
    double rsc[N];
    for (int i = 0; i < N; i++) {
        rid[i] = ids[N - 1 - i];
        rsc[i] = scores[N - 1 - i];
    }
    match_order(rid, rsc, N, seed, again);
    for (int i = 0; i < N; i++)
        assert_int_equal(rid[again[i]], ids[order[i]]);
    /* Another seed, another draw (almost surely a different order). */
    match_order(ids, scores, N, seed + 1, again);
    assert_true(memcmp(order, again, sizeof(order)) != 0);
}

/* The same id twice has the same ticket: then id, then index; -0.0 equals
 * 0.0; NaN comes last. */
static void test_equal_tickets_and_nan(void **state)
{
    (void)state;
    int64_t ids[] = {5, 3, 5, 3, 9};
    double scores[] = {1.0, 1.0, 1.0, NAN, -0.0};
    uint32_t order[5];
    match_order(ids, scores, 5, 1, order);
    /* Score 1.0: ids 5, 3, 5 -> by ticket(3) vs ticket(5), then index. */
    bool three_first = match_ticket(1, 3) < match_ticket(1, 5);
    if (three_first) {
        assert_int_equal(order[0], 1);
        assert_int_equal(order[1], 0);
        assert_int_equal(order[2], 2);
    } else {
        assert_int_equal(order[0], 0);
        assert_int_equal(order[1], 2);
        assert_int_equal(order[2], 1);
    }
    assert_int_equal(order[3], 4); /* -0.0 */
    assert_int_equal(order[4], 3); /* NaN */
    int64_t zid[] = {1, 2};
    double z[] = {0.0, -0.0};
    match_order(zid, z, 2, 99, order);
    bool one_first = match_ticket(99, 1) < match_ticket(99, 2);
    assert_int_equal(order[0], one_first ? 0 : 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),          cmocka_unit_test(test_matches_definition),
        cmocka_unit_test(test_order_by_score),        cmocka_unit_test(test_ties_by_ticket),
        cmocka_unit_test(test_equal_tickets_and_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
