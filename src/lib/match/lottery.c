/*
 * lottery.c - tickets and the order of candidates (see lottery.h).
 *
 * The order is a plain sort of (score class, score, ticket, id, index)
 * records by qsort(); the index as the last key makes every record
 * distinct, so the unstable sort still gives one answer.
 */
#include "lib/match/lottery.h"

#include "base/alloc.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

uint64_t match_ticket(uint64_t seed, int64_t id)
{
    uint64_t z = (seed ^ (uint64_t)id) + UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

struct entry {
    double score;
    uint64_t ticket;
    int64_t id;
    uint32_t index;
    bool nan;
};

static int cmp_entry(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    if (a->nan != b->nan)
        return a->nan ? 1 : -1;
    if (!a->nan && a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->ticket != b->ticket)
        return a->ticket < b->ticket ? -1 : 1;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

void match_order(const int64_t *ids, const double *scores, size_t n, uint64_t seed, uint32_t *order)
{
    if (n == 0)
        return;
    struct entry *e = xmalloc(n * sizeof(*e));
    for (size_t i = 0; i < n; i++) {
        e[i].score = scores[i];
        e[i].nan = isnan(scores[i]);
        e[i].ticket = match_ticket(seed, ids[i]);
        e[i].id = ids[i];
        e[i].index = (uint32_t)i;
    }
    qsort(e, n, sizeof(*e), cmp_entry);
    for (size_t i = 0; i < n; i++)
        order[i] = e[i].index;
    free(e);
}
