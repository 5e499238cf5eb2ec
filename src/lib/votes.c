/*
 * votes.c - the charter's vote rules applied as exact integer arithmetic:
 * rule bases, quorum, whether a motion passes, how many yes votes it needs,
 * the rule as text, and attendance with proxies.  See votes.h for the
 * contracts.
 *
 * Pure libc: no I/O, no allocation, no global state, no floating point.  A
 * fraction test "value reaches num/den of base" is done as a comparison of
 * the cross products value * den and num * base, each computed exactly in
 * 128 bits (two 64-bit halves), so no int64 input can overflow it.
 */
#include "lib/votes.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* The largest denominator a rule may have (votes.h). */
#define VOTE_DEN_MAX 1000

static const char *const base_names[] = {
    [VOTE_BASE_MEMBERS] = "members",
    [VOTE_BASE_PRESENT] = "present",
    [VOTE_BASE_CAST] = "cast",
    [VOTE_BASE_DECISIVE] = "decisive",
};

#define BASE_COUNT (sizeof(base_names) / sizeof(base_names[0]))

/* An unsigned 128-bit number as two halves. */
struct wide {
    uint64_t hi, lo;
};

/* Is b one of the enum's values?  (Tested as unsigned: an out-of-range
 * value may have come in through a cast.) */
static bool base_known(enum vote_base b)
{
    return (unsigned)b < BASE_COUNT;
}

/* x * m exactly, for m < 2^32. */
static struct wide wide_mul(uint64_t x, uint64_t m)
{
    uint64_t low = (x & 0xffffffffu) * m; /* < 2^64 since m < 2^32 */
    uint64_t high = (x >> 32) * m;        /* likewise */
    struct wide w;
    w.lo = low + (high << 32);
    w.hi = (high >> 32) + (w.lo < low ? 1u : 0u);
    return w;
}

/* -1, 0 or 1 as a is less than, equal to or greater than b. */
static int wide_cmp(struct wide a, struct wide b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo)
        return a.lo < b.lo ? -1 : 1;
    return 0;
}

bool vote_base_parse(const char *s, enum vote_base *out)
{
    if (s == NULL || out == NULL)
        return false;
    for (size_t i = 0; i < BASE_COUNT; i++) {
        if (strcmp(s, base_names[i]) == 0) {
            *out = (enum vote_base)i;
            return true;
        }
    }
    return false;
}

/* Returns "unknown" for a value outside the enum (never NULL). */
const char *vote_base_name(enum vote_base b)
{
    if (!base_known(b))
        return "unknown";
    return base_names[b];
}

bool vote_rule_valid(const struct vote_rule *r)
{
    if (r == NULL || !base_known(r->base))
        return false;
    /* "more than all" (strict, num == den) could never be met. */
    return r->num > 0 && r->num <= r->den && r->den <= VOTE_DEN_MAX &&
           !(r->strict && r->num == r->den);
}

/* An invalid rule, a base <= 0 or a negative value never reaches. */
bool vote_reaches(const struct vote_rule *r, int64_t value, int64_t base)
{
    if (!vote_rule_valid(r) || base <= 0 || value < 0)
        return false;
    struct wide lhs = wide_mul((uint64_t)value, (uint64_t)r->den);
    struct wide rhs = wide_mul((uint64_t)base, (uint64_t)r->num);
    int c = wide_cmp(lhs, rhs);
    return r->strict ? c > 0 : c >= 0;
}

/* Returns 0 for a NULL argument or an unknown base (which never passes). */
int64_t vote_base_of(const struct vote_rule *r, const struct vote_counts *c)
{
    if (r == NULL || c == NULL)
        return 0;
    switch (r->base) {
    case VOTE_BASE_MEMBERS:
        return c->members;
    case VOTE_BASE_PRESENT:
        return c->present;
    case VOTE_BASE_CAST:
        return (int64_t)c->yes + c->no + c->abstain;
    case VOTE_BASE_DECISIVE:
        return (int64_t)c->yes + c->no;
    }
    return 0;
}

/* Also false when quorum is NULL or invalid, or when members and present
 * are not 0 <= present <= members (fails closed: no rule, no quorum). */
bool vote_quorate(const struct vote_rule *quorum, int members, int present)
{
    if (quorum == NULL || members < 0 || present < 0 || present > members)
        return false;
    return vote_reaches(quorum, present, members);
}

bool vote_counts_valid(const struct vote_counts *c)
{
    if (c == NULL)
        return false;
    if (c->members < 0 || c->present < 0 || c->yes < 0 || c->no < 0 || c->abstain < 0)
        return false;
    if (c->present > c->members)
        return false;
    return (int64_t)c->yes + c->no + c->abstain <= c->present;
}

/* Also false for an invalid rule or an invalid (non-NULL) quorum rule when
 * the quorum is checked. */
bool vote_passes(const struct vote_rule *rule, const struct vote_rule *quorum,
                 const struct vote_counts *c)
{
    if (!vote_rule_valid(rule) || !vote_counts_valid(c))
        return false;
    /* No business without a quorum, whatever the rule's base. */
    if (quorum != NULL && !vote_quorate(quorum, c->members, c->present))
        return false;
    return vote_reaches(rule, c->yes, vote_base_of(rule, c));
}

/* Also -1 for an invalid rule or invalid counts (no vote can pass then).
 * The base is taken from the counts as given: for "cast" and "decisive" it
 * includes the yes votes already counted. */
int64_t vote_needed(const struct vote_rule *rule, const struct vote_counts *c)
{
    if (!vote_rule_valid(rule) || !vote_counts_valid(c))
        return -1;
    int64_t base = vote_base_of(rule, c);
    if (base <= 0)
        return -1;
    /* base <= INT_MAX and num <= 1000: the product fits in int64. */
    int64_t prod = (int64_t)rule->num * base;
    int64_t q = prod / rule->den;
    if (rule->strict)
        return q + 1; /* the smallest y with y * den > prod */
    return prod % rule->den == 0 ? q : q + 1;
}

/* A NULL rule writes "" and returns 0; an unknown base is written
 * "unknown".  out may be NULL when cap is 0. */
size_t vote_rule_text(const struct vote_rule *r, char *out, size_t cap)
{
    if (r == NULL) {
        if (cap > 0)
            out[0] = '\0';
        return 0;
    }
    int n = snprintf(out, cap, "%s %d/%d %s", r->strict ? ">" : ">=", r->num, r->den,
                     vote_base_name(r->base));
    if (n < 0) {
        if (cap > 0)
            out[0] = '\0';
        return 0;
    }
    return (size_t)n;
}

/* Does member m hand its vote to someone: absent and naming a proxy? */
static bool delegates(const struct vote_member *m)
{
    return !m->present && m->proxy_to != -1;
}

/* Proxies already held by holder h from members before i (all of which
 * have been found valid). */
static size_t proxies_held(const struct vote_member *members, size_t i, int h)
{
    size_t held = 0;
    for (size_t j = 0; j < i; j++) {
        if (delegates(&members[j]) && members[j].proxy_to == h)
            held++;
    }
    return held;
}

/* Checks the proxy of member i (OK when it names none or is present). */
static enum vote_proxy_error proxy_check(const struct vote_member *members, size_t n, size_t i,
                                         int max_proxies)
{
    const struct vote_member *m = &members[i];
    if (!delegates(m))
        return VOTE_PROXY_OK;
    int h = m->proxy_to;
    if (h < 0 || (size_t)h >= n || (size_t)h == i)
        return VOTE_PROXY_UNKNOWN;
    if (!members[h].present)
        return delegates(&members[h]) ? VOTE_PROXY_CHAIN : VOTE_PROXY_ABSENT;
    if (max_proxies <= 0 || proxies_held(members, i, h) >= (size_t)max_proxies)
        return VOTE_PROXY_TOO_MANY;
    return VOTE_PROXY_OK;
}

/*
 * Details beyond votes.h: members are checked in index order, so for
 * TOO_MANY *bad is the first member whose proxy takes its holder past
 * max_proxies (max_proxies <= 0 allows none).  A holder that is absent
 * and itself delegating gives CHAIN rather than ABSENT; a present holder
 * who also named a proxy votes in person, so it is not delegating.  A
 * NULL members with n > 0, or n > INT_MAX, gives UNKNOWN with *bad 0 or
 * INT_MAX.  On an error *present is set to 0.  Time is O(n^2) in the
 * worst case (meeting-sized n), with no allocation.
 */
enum vote_proxy_error vote_attendance(const struct vote_member *members, size_t n, int max_proxies,
                                      int *present, size_t *bad)
{
    size_t where = 0;
    enum vote_proxy_error e = VOTE_PROXY_OK;
    int count = 0;
    if (n > INT_MAX) {
        e = VOTE_PROXY_UNKNOWN;
        where = INT_MAX;
    } else if (members == NULL && n > 0) {
        e = VOTE_PROXY_UNKNOWN;
    }
    for (size_t i = 0; e == VOTE_PROXY_OK && i < n; i++) {
        e = proxy_check(members, n, i, max_proxies);
        where = i;
        if (members[i].present || delegates(&members[i]))
            count++;
    }
    if (e != VOTE_PROXY_OK) {
        if (bad != NULL)
            *bad = where;
        count = 0;
    }
    if (present != NULL)
        *present = count;
    return e;
}
