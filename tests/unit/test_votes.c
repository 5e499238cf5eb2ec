/* test_votes.c - unit tests of src/lib/votes: exact thresholds, quorum,
 * validity of counts and rules, votes needed, rule text, base names and
 * attendance with proxies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/votes.h"

#include <limits.h>
#include <string.h>

/* The charter's rules (votes.h). */
static const struct vote_rule quorum_2_3 = {VOTE_BASE_MEMBERS, 2, 3, false};
static const struct vote_rule ordinary = {VOTE_BASE_PRESENT, 1, 2, true};
static const struct vote_rule charter = {VOTE_BASE_MEMBERS, 2, 3, false};

static struct vote_counts counts(int members, int present, int yes, int no, int abstain)
{
    struct vote_counts c = {members, present, yes, no, abstain};
    return c;
}

static void test_reaches_exact(void **state)
{
    (void)state;
    struct vote_rule at_least = {VOTE_BASE_MEMBERS, 2, 3, false};
    struct vote_rule more = {VOTE_BASE_MEMBERS, 2, 3, true};
    assert_true(vote_reaches(&at_least, 20, 30)); /* exactly 2/3 */
    assert_false(vote_reaches(&at_least, 19, 30));
    assert_false(vote_reaches(&more, 20, 30)); /* 20 is not more than 2/3 of 30 */
    assert_true(vote_reaches(&more, 21, 30));
    assert_true(vote_reaches(&at_least, 21, 31)); /* 20.67 -> 21 */
    assert_false(vote_reaches(&at_least, 20, 31));
    struct vote_rule half = {VOTE_BASE_PRESENT, 1, 2, true};
    assert_false(vote_reaches(&half, 5, 10)); /* a tie fails */
    assert_true(vote_reaches(&half, 6, 10));
    assert_true(vote_reaches(&half, 4, 7));
    assert_false(vote_reaches(&half, 3, 7));
    struct vote_rule all = {VOTE_BASE_MEMBERS, 1, 1, false};
    assert_true(vote_reaches(&all, 7, 7));
    assert_false(vote_reaches(&all, 6, 7));
    struct vote_rule all_strict = {VOTE_BASE_MEMBERS, 1, 1, true};
    assert_false(vote_reaches(&all_strict, 7, 7)); /* nothing is more than all */
    /* Base <= 0 never passes; a negative value never reaches. */
    assert_false(vote_reaches(&at_least, 0, 0));
    assert_false(vote_reaches(&at_least, 5, 0));
    assert_false(vote_reaches(&at_least, 5, -3));
    assert_false(vote_reaches(&at_least, -1, 3));
    assert_false(vote_reaches(&half, 0, 1));
    /* An invalid rule never reaches. */
    struct vote_rule bad = {VOTE_BASE_MEMBERS, 0, 3, false};
    assert_false(vote_reaches(&bad, 3, 3));
    assert_false(vote_reaches(NULL, 3, 3));
}

static void test_reaches_big(void **state)
{
    (void)state;
    struct vote_rule r = {VOTE_BASE_MEMBERS, 999, 1000, false};
    assert_true(vote_reaches(&r, INT64_MAX, INT64_MAX));
    assert_false(vote_reaches(&r, INT64_MAX - 1 - INT64_MAX / 1000, INT64_MAX));
    /* "More than all" is not a rule: nothing reaches it. */
    struct vote_rule s = {VOTE_BASE_MEMBERS, 1000, 1000, true};
    assert_false(vote_rule_valid(&s));
    assert_false(vote_reaches(&s, INT64_MAX, INT64_MAX - 1));
    struct vote_rule s2 = {VOTE_BASE_MEMBERS, 999, 1000, true};
    assert_false(vote_reaches(&s2, INT64_MAX - INT64_MAX / 1000 - 1, INT64_MAX));
    assert_true(vote_reaches(&s2, INT64_MAX - INT64_MAX / 1000, INT64_MAX));
    assert_true(vote_reaches(&s2, INT64_MAX, INT64_MAX));
    struct vote_rule h = {VOTE_BASE_MEMBERS, 1, 2, true};
    assert_false(vote_reaches(&h, INT64_MAX / 2, INT64_MAX - 1)); /* exactly half */
    assert_true(vote_reaches(&h, INT64_MAX / 2 + 1, INT64_MAX - 1));
    struct vote_rule t = {VOTE_BASE_MEMBERS, 2, 3, false};
    assert_true(vote_reaches(&t, (int64_t)INT32_MAX * 2, (int64_t)INT32_MAX * 3));
    assert_false(vote_reaches(&t, (int64_t)INT32_MAX * 2 - 1, (int64_t)INT32_MAX * 3));
}

static void test_rule_valid(void **state)
{
    (void)state;
    assert_true(vote_rule_valid(&quorum_2_3));
    assert_true(vote_rule_valid(&ordinary));
    struct vote_rule r = {VOTE_BASE_DECISIVE, 1000, 1000, false};
    assert_true(vote_rule_valid(&r));
    r.num = 1;
    assert_true(vote_rule_valid(&r));
    r = (struct vote_rule){VOTE_BASE_MEMBERS, 3, 2, false}; /* num > den */
    assert_false(vote_rule_valid(&r));
    r = (struct vote_rule){VOTE_BASE_MEMBERS, 1, 0, false}; /* den 0 */
    assert_false(vote_rule_valid(&r));
    r = (struct vote_rule){VOTE_BASE_MEMBERS, 0, 0, false};
    assert_false(vote_rule_valid(&r));
    r = (struct vote_rule){VOTE_BASE_MEMBERS, 0, 2, false}; /* num 0 */
    assert_false(vote_rule_valid(&r));
    r = (struct vote_rule){VOTE_BASE_MEMBERS, -1, 2, false};
    assert_false(vote_rule_valid(&r));
    r = (struct vote_rule){VOTE_BASE_MEMBERS, -3, -2, false};
    assert_false(vote_rule_valid(&r));
    r = (struct vote_rule){VOTE_BASE_MEMBERS, 1, 1001, false}; /* den > 1000 */
    assert_false(vote_rule_valid(&r));
    r = (struct vote_rule){(enum vote_base)4, 1, 2, false}; /* unknown base */
    assert_false(vote_rule_valid(&r));
    r = (struct vote_rule){(enum vote_base)(-1), 1, 2, false};
    assert_false(vote_rule_valid(&r));
    assert_false(vote_rule_valid(NULL));
}

static void test_counts_valid(void **state)
{
    (void)state;
    struct vote_counts c = counts(30, 20, 10, 5, 5);
    assert_true(vote_counts_valid(&c));
    c = counts(0, 0, 0, 0, 0); /* members 0 is well formed */
    assert_true(vote_counts_valid(&c));
    c = counts(30, 31, 0, 0, 0); /* present > members */
    assert_false(vote_counts_valid(&c));
    c = counts(30, 20, 10, 6, 5); /* yes + no + abstain > present */
    assert_false(vote_counts_valid(&c));
    c = counts(30, 20, 20, 0, 0);
    assert_true(vote_counts_valid(&c));
    c = counts(-1, 0, 0, 0, 0);
    assert_false(vote_counts_valid(&c));
    c = counts(10, -1, 0, 0, 0);
    assert_false(vote_counts_valid(&c));
    c = counts(10, 5, -1, 0, 0);
    assert_false(vote_counts_valid(&c));
    c = counts(10, 5, 0, -1, 0);
    assert_false(vote_counts_valid(&c));
    c = counts(10, 5, 3, 0, -1);
    assert_false(vote_counts_valid(&c));
    c = counts(10, 5, 6, -1, 0); /* a negative hiding an excess */
    assert_false(vote_counts_valid(&c));
    /* The sum must not overflow int. */
    c = counts(INT_MAX, INT_MAX, INT_MAX, INT_MAX, INT_MAX);
    assert_false(vote_counts_valid(&c));
    c = counts(INT_MAX, INT_MAX, INT_MAX, 0, 0);
    assert_true(vote_counts_valid(&c));
    assert_false(vote_counts_valid(NULL));
}

static void test_base_of(void **state)
{
    (void)state;
    struct vote_counts c = counts(30, 20, 10, 4, 3);
    struct vote_rule r = {VOTE_BASE_MEMBERS, 1, 2, true};
    assert_int_equal(vote_base_of(&r, &c), 30);
    r.base = VOTE_BASE_PRESENT;
    assert_int_equal(vote_base_of(&r, &c), 20);
    r.base = VOTE_BASE_CAST;
    assert_int_equal(vote_base_of(&r, &c), 17);
    r.base = VOTE_BASE_DECISIVE;
    assert_int_equal(vote_base_of(&r, &c), 14);
    c = counts(INT_MAX, INT_MAX, INT_MAX, INT_MAX, INT_MAX);
    r.base = VOTE_BASE_CAST;
    assert_true(vote_base_of(&r, &c) == (int64_t)INT_MAX * 3);
    assert_int_equal(vote_base_of(NULL, &c), 0);
    assert_int_equal(vote_base_of(&r, NULL), 0);
}

static void test_quorum(void **state)
{
    (void)state;
    assert_true(vote_quorate(&quorum_2_3, 30, 20));  /* exactly met */
    assert_false(vote_quorate(&quorum_2_3, 30, 19)); /* one short */
    assert_true(vote_quorate(&quorum_2_3, 30, 30));
    assert_true(vote_quorate(&quorum_2_3, 31, 21));
    assert_false(vote_quorate(&quorum_2_3, 31, 20));
    assert_false(vote_quorate(&quorum_2_3, 0, 0)); /* members 0 */
    assert_false(vote_quorate(&quorum_2_3, 30, 31));
    assert_false(vote_quorate(&quorum_2_3, -3, -2));
    assert_false(vote_quorate(&quorum_2_3, 30, -1));
    assert_false(vote_quorate(NULL, 30, 30));
    /* A quorum rule with another base is applied to members too. */
    struct vote_rule q = {VOTE_BASE_CAST, 1, 2, true};
    assert_false(vote_quorate(&q, 10, 5));
    assert_true(vote_quorate(&q, 10, 6));
    struct vote_rule bad = {VOTE_BASE_MEMBERS, 2, 1, false};
    assert_false(vote_quorate(&bad, 10, 10));
    assert_true(vote_quorate(&quorum_2_3, INT_MAX, INT_MAX));
}

static void test_passes_ordinary(void **state)
{
    (void)state;
    struct vote_counts c = counts(30, 20, 11, 9, 0);
    assert_true(vote_passes(&ordinary, &quorum_2_3, &c));
    c = counts(30, 20, 10, 10, 0); /* a tie fails */
    assert_false(vote_passes(&ordinary, &quorum_2_3, &c));
    c = counts(30, 20, 10, 0, 10); /* abstentions count in base present */
    assert_false(vote_passes(&ordinary, &quorum_2_3, &c));
    c = counts(30, 20, 11, 0, 0); /* silent members count too */
    assert_true(vote_passes(&ordinary, &quorum_2_3, &c));
    c = counts(30, 19, 19, 0, 0); /* unanimous but not quorate */
    assert_false(vote_passes(&ordinary, &quorum_2_3, &c));
    assert_true(vote_passes(&ordinary, NULL, &c)); /* no quorum check */
    c = counts(0, 0, 0, 0, 0);                     /* members 0 */
    assert_false(vote_passes(&ordinary, &quorum_2_3, &c));
    assert_false(vote_passes(&ordinary, NULL, &c));
    c = counts(30, 31, 20, 0, 0); /* present > members */
    assert_false(vote_passes(&ordinary, NULL, &c));
    c = counts(30, 20, 15, 5, 1); /* yes + no + abstain > present */
    assert_false(vote_passes(&ordinary, NULL, &c));
    c = counts(30, 20, 15, -1, 0);
    assert_false(vote_passes(&ordinary, NULL, &c));
    assert_false(vote_passes(NULL, NULL, &c));
    c = counts(30, 20, 15, 0, 0);
    assert_false(vote_passes(&ordinary, NULL, NULL));
    struct vote_rule bad = {VOTE_BASE_PRESENT, 1, 0, true};
    assert_false(vote_passes(&bad, NULL, &c));
    struct vote_rule bad_quorum = {VOTE_BASE_MEMBERS, 0, 3, false};
    assert_false(vote_passes(&ordinary, &bad_quorum, &c));
}

static void test_passes_charter(void **state)
{
    (void)state;
    struct vote_counts c = counts(30, 30, 20, 10, 0); /* exactly 2/3 of members */
    assert_true(vote_passes(&charter, &quorum_2_3, &c));
    c = counts(30, 30, 19, 0, 0);
    assert_false(vote_passes(&charter, &quorum_2_3, &c));
    c = counts(30, 20, 20, 0, 0); /* all present in favour, exactly quorate */
    assert_true(vote_passes(&charter, &quorum_2_3, &c));
    c = counts(30, 19, 19, 0, 0);
    assert_false(vote_passes(&charter, NULL, &c));
    struct vote_rule more = {VOTE_BASE_MEMBERS, 2, 3, true};
    c = counts(30, 30, 20, 0, 0);
    assert_false(vote_passes(&more, NULL, &c)); /* 20 of 30 is not > 2/3 */
    c = counts(30, 30, 21, 0, 0);
    assert_true(vote_passes(&more, NULL, &c));
}

static void test_passes_cast_decisive(void **state)
{
    (void)state;
    struct vote_rule cast = {VOTE_BASE_CAST, 1, 2, true};
    struct vote_rule decisive = {VOTE_BASE_DECISIVE, 2, 3, false};
    /* Abstentions count in base cast but not in base decisive. */
    struct vote_counts c = counts(30, 25, 8, 4, 6);
    assert_false(vote_passes(&cast, NULL, &c));    /* 8 of 18 */
    assert_true(vote_passes(&decisive, NULL, &c)); /* 8 of 12 = 2/3 */
    c = counts(30, 25, 8, 5, 6);
    assert_false(vote_passes(&decisive, NULL, &c)); /* 8 of 13 */
    c = counts(30, 25, 10, 0, 9);
    assert_true(vote_passes(&cast, NULL, &c)); /* 10 of 19 */
    c = counts(30, 25, 10, 0, 10);
    assert_false(vote_passes(&cast, NULL, &c)); /* a tie of 10 to 10 */
    /* No business without a quorum, whatever the base (votes.h). */
    c = counts(30, 3, 3, 0, 0);
    assert_false(vote_passes(&cast, &quorum_2_3, &c));
    assert_false(vote_passes(&decisive, &quorum_2_3, &c));
    assert_true(vote_passes(&cast, NULL, &c));
    c = counts(30, 20, 3, 0, 0);
    assert_true(vote_passes(&cast, &quorum_2_3, &c));
    /* Nobody voted: base 0 never passes. */
    c = counts(30, 25, 0, 0, 5);
    assert_false(vote_passes(&decisive, NULL, &c));
    c = counts(30, 25, 0, 0, 0);
    assert_false(vote_passes(&cast, NULL, &c));
}

static void test_passes_big(void **state)
{
    (void)state;
    struct vote_counts c = counts(INT32_MAX, INT32_MAX, INT32_MAX / 2 + 1, INT32_MAX / 2, 0);
    assert_true(vote_passes(&ordinary, &quorum_2_3, &c));
    c = counts(INT32_MAX, INT32_MAX, INT32_MAX / 2, INT32_MAX / 2, 1);
    assert_false(vote_passes(&ordinary, &quorum_2_3, &c));
    struct vote_rule r = {VOTE_BASE_MEMBERS, 999, 1000, true};
    c = counts(INT32_MAX, INT32_MAX, INT32_MAX, 0, 0);
    assert_true(vote_passes(&r, &quorum_2_3, &c));
    c = counts(INT32_MAX, INT32_MAX - 1, INT32_MAX - 1, 0, 0);
    assert_true(vote_passes(&r, &quorum_2_3, &c));
    /* 2/3 of INT32_MAX (= 2147483647) is 1431655764.67: 1431655765 reaches. */
    c = counts(INT32_MAX, 1431655765, 1431655765, 0, 0);
    assert_true(vote_passes(&charter, &quorum_2_3, &c));
    c = counts(INT32_MAX, 1431655764, 1431655764, 0, 0);
    assert_false(vote_passes(&charter, NULL, &c));
    assert_false(vote_quorate(&quorum_2_3, INT32_MAX, 1431655764));
}

static void test_needed(void **state)
{
    (void)state;
    struct vote_counts c = counts(30, 20, 0, 0, 0);
    assert_int_equal(vote_needed(&ordinary, &c), 11); /* > 10 */
    assert_int_equal(vote_needed(&charter, &c), 20);  /* >= 20 */
    struct vote_rule more = {VOTE_BASE_MEMBERS, 2, 3, true};
    assert_int_equal(vote_needed(&more, &c), 21);
    c = counts(31, 21, 0, 0, 0);
    assert_int_equal(vote_needed(&ordinary, &c), 11); /* > 10.5 */
    assert_int_equal(vote_needed(&charter, &c), 21);  /* >= 20.67 */
    assert_int_equal(vote_needed(&more, &c), 21);     /* > 20.67 */
    struct vote_rule cast = {VOTE_BASE_CAST, 1, 2, false};
    c = counts(31, 21, 4, 5, 3);
    assert_int_equal(vote_needed(&cast, &c), 6); /* >= 6 of 12 */
    struct vote_rule decisive = {VOTE_BASE_DECISIVE, 3, 4, true};
    assert_int_equal(vote_needed(&decisive, &c), 7); /* > 6.75 of 9 */
    struct vote_rule all = {VOTE_BASE_PRESENT, 1, 1, false};
    assert_int_equal(vote_needed(&all, &c), 21);
    struct vote_rule all_strict = {VOTE_BASE_PRESENT, 1, 1, true};
    assert_int_equal(vote_needed(&all_strict, &c), -1); /* not a rule */
    /* Base 0, invalid rules and counts: -1. */
    c = counts(0, 0, 0, 0, 0);
    assert_int_equal(vote_needed(&ordinary, &c), -1);
    assert_int_equal(vote_needed(&charter, &c), -1);
    c = counts(30, 20, 0, 0, 0);
    assert_int_equal(vote_needed(&cast, &c), -1); /* nothing cast yet */
    struct vote_rule bad = {VOTE_BASE_PRESENT, 2, 1, false};
    assert_int_equal(vote_needed(&bad, &c), -1);
    c = counts(30, 31, 0, 0, 0);
    assert_int_equal(vote_needed(&ordinary, &c), -1);
    assert_int_equal(vote_needed(NULL, &c), -1);
    assert_int_equal(vote_needed(&ordinary, NULL), -1);
    /* Big counts. */
    c = counts(INT32_MAX, INT32_MAX, 0, 0, 0);
    assert_true(vote_needed(&ordinary, &c) == 1073741824); /* > 1073741823.5 */
    assert_true(vote_needed(&charter, &c) == 1431655765);
    /* The number needed is the threshold: one fewer fails, it passes. */
    for (int members = 1; members <= 40; members++) {
        for (int present = 0; present <= members; present++) {
            c = counts(members, present, 0, 0, 0);
            int64_t need = vote_needed(&ordinary, &c);
            if (present == 0) {
                assert_int_equal(need, -1);
                continue;
            }
            assert_true(vote_reaches(&ordinary, need, present));
            assert_false(vote_reaches(&ordinary, need - 1, present));
            need = vote_needed(&charter, &c);
            assert_true(vote_reaches(&charter, need, members));
            assert_false(vote_reaches(&charter, need - 1, members));
        }
    }
}

static void test_rule_text(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(vote_rule_text(&ordinary, out, sizeof(out)), 13);
    assert_string_equal(out, "> 1/2 present");
    assert_int_equal(vote_rule_text(&charter, out, sizeof(out)), 14);
    assert_string_equal(out, ">= 2/3 members");
    struct vote_rule r = {VOTE_BASE_CAST, 1, 2, true};
    vote_rule_text(&r, out, sizeof(out));
    assert_string_equal(out, "> 1/2 cast");
    r = (struct vote_rule){VOTE_BASE_DECISIVE, 2, 3, false};
    vote_rule_text(&r, out, sizeof(out));
    assert_string_equal(out, ">= 2/3 decisive");
    r = (struct vote_rule){VOTE_BASE_MEMBERS, 999, 1000, true};
    vote_rule_text(&r, out, sizeof(out));
    assert_string_equal(out, "> 999/1000 members");
    /* Truncation: always terminated, returns the length needed. */
    memset(out, 'x', sizeof(out));
    assert_int_equal(vote_rule_text(&ordinary, out, 6), 13);
    assert_string_equal(out, "> 1/2");
    memset(out, 'x', sizeof(out));
    assert_int_equal(vote_rule_text(&ordinary, out, 1), 13);
    assert_string_equal(out, "");
    assert_int_equal(vote_rule_text(&ordinary, NULL, 0), 13);
    assert_int_equal(vote_rule_text(&ordinary, out, 14), 13);
    assert_string_equal(out, "> 1/2 present");
    r = (struct vote_rule){(enum vote_base)9, 1, 2, false};
    vote_rule_text(&r, out, sizeof(out));
    assert_string_equal(out, ">= 1/2 unknown");
    strcpy(out, "stale");
    assert_int_equal(vote_rule_text(NULL, out, sizeof(out)), 0);
    assert_string_equal(out, "");
}

static void test_base_names(void **state)
{
    (void)state;
    static const enum vote_base all[] = {VOTE_BASE_MEMBERS, VOTE_BASE_PRESENT, VOTE_BASE_CAST,
                                         VOTE_BASE_DECISIVE};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        enum vote_base b = (enum vote_base)99;
        const char *name = vote_base_name(all[i]);
        assert_non_null(name);
        assert_true(vote_base_parse(name, &b));
        assert_int_equal(b, all[i]);
    }
    assert_string_equal(vote_base_name(VOTE_BASE_MEMBERS), "members");
    assert_string_equal(vote_base_name(VOTE_BASE_PRESENT), "present");
    assert_string_equal(vote_base_name(VOTE_BASE_CAST), "cast");
    assert_string_equal(vote_base_name(VOTE_BASE_DECISIVE), "decisive");
    assert_string_equal(vote_base_name((enum vote_base)4), "unknown");
    assert_string_equal(vote_base_name((enum vote_base)(-1)), "unknown");
    enum vote_base b = VOTE_BASE_CAST;
    assert_false(vote_base_parse("Members", &b));
    assert_false(vote_base_parse("member", &b));
    assert_false(vote_base_parse("present ", &b));
    assert_false(vote_base_parse("", &b));
    assert_false(vote_base_parse("unknown", &b));
    assert_false(vote_base_parse(NULL, &b));
    assert_false(vote_base_parse("cast", NULL));
    assert_int_equal(b, VOTE_BASE_CAST); /* untouched on failure */
}

/* Runs vote_attendance and checks its error and, on an error, *bad. */
static int attendance(const struct vote_member *m, size_t n, int max_proxies,
                      enum vote_proxy_error want, size_t want_bad)
{
    int present = -7;
    size_t bad = 12345;
    enum vote_proxy_error e = vote_attendance(m, n, max_proxies, &present, &bad);
    assert_int_equal(e, want);
    if (want != VOTE_PROXY_OK) {
        assert_int_equal(bad, want_bad);
        assert_int_equal(present, 0);
    } else {
        assert_int_equal(bad, 12345); /* untouched on success */
    }
    return present;
}

static void test_proxies_valid(void **state)
{
    (void)state;
    struct vote_member m[5] = {{true, -1}, {false, 0}, {true, -1}, {false, -1}, {false, -1}};
    assert_int_equal(attendance(m, 5, 1, VOTE_PROXY_OK, 0), 3); /* 2 + 1 by proxy */
    assert_int_equal(attendance(m, 0, 1, VOTE_PROXY_OK, 0), 0);
    assert_int_equal(attendance(NULL, 0, 1, VOTE_PROXY_OK, 0), 0);
    /* Nobody checked in. */
    struct vote_member none[3] = {{false, -1}, {false, -1}, {false, -1}};
    assert_int_equal(attendance(none, 3, 2, VOTE_PROXY_OK, 0), 0);
    /* A present member who named a proxy votes in person: the proxy is
     * ignored, even when it would be invalid. */
    struct vote_member in_person[4] = {{true, 1}, {true, -1}, {true, 0}, {true, 99}};
    assert_int_equal(attendance(in_person, 4, 0, VOTE_PROXY_OK, 0), 4);
    /* ... and so it is not delegating: it may hold a proxy itself. */
    struct vote_member holder[3] = {{true, 2}, {false, 0}, {true, -1}};
    assert_int_equal(attendance(holder, 3, 1, VOTE_PROXY_OK, 0), 3);
    /* The proxy holder may come later in the list. */
    struct vote_member later[3] = {{false, 2}, {false, -1}, {true, -1}};
    assert_int_equal(attendance(later, 3, 1, VOTE_PROXY_OK, 0), 2);
}

static void test_proxies_invalid(void **state)
{
    (void)state;
    /* Proxy to an absent holder. */
    struct vote_member absent[3] = {{true, -1}, {false, 2}, {false, -1}};
    attendance(absent, 3, 1, VOTE_PROXY_ABSENT, 1);
    /* Chain: 0 -> 1 -> 2; the holder of 0's proxy is itself delegating. */
    struct vote_member chain[3] = {{false, 1}, {false, 2}, {true, -1}};
    attendance(chain, 3, 2, VOTE_PROXY_CHAIN, 0);
    /* A cycle is a chain too. */
    struct vote_member cycle[2] = {{false, 1}, {false, 0}};
    attendance(cycle, 2, 2, VOTE_PROXY_CHAIN, 0);
    /* Self. */
    struct vote_member self[2] = {{true, -1}, {false, 1}};
    attendance(self, 2, 1, VOTE_PROXY_UNKNOWN, 1);
    /* Out of range, either way. */
    struct vote_member range[3] = {{true, -1}, {true, -1}, {false, 3}};
    attendance(range, 3, 1, VOTE_PROXY_UNKNOWN, 2);
    range[2].proxy_to = -2;
    attendance(range, 3, 1, VOTE_PROXY_UNKNOWN, 2);
    range[2].proxy_to = INT_MAX;
    attendance(range, 3, 1, VOTE_PROXY_UNKNOWN, 2);
    range[2].proxy_to = INT_MIN;
    attendance(range, 3, 1, VOTE_PROXY_UNKNOWN, 2);
    range[2].proxy_to = 1;
    assert_int_equal(attendance(range, 3, 1, VOTE_PROXY_OK, 0), 3);
    /* The first invalid proxy is reported. */
    struct vote_member two_bad[4] = {{true, -1}, {false, 1}, {false, 9}, {false, 0}};
    attendance(two_bad, 4, 1, VOTE_PROXY_UNKNOWN, 1);
    /* A NULL list with members. */
    attendance(NULL, 2, 1, VOTE_PROXY_UNKNOWN, 0);
}

static void test_proxies_limit(void **state)
{
    (void)state;
    /* Member 0 holds the proxies of 1 and 2. */
    struct vote_member m[4] = {{true, -1}, {false, 0}, {false, 0}, {true, -1}};
    attendance(m, 4, 1, VOTE_PROXY_TOO_MANY, 2); /* the second one is too many */
    assert_int_equal(attendance(m, 4, 2, VOTE_PROXY_OK, 0), 4);
    assert_int_equal(attendance(m, 4, 3, VOTE_PROXY_OK, 0), 4);
    attendance(m, 4, 0, VOTE_PROXY_TOO_MANY, 1); /* none allowed */
    attendance(m, 4, -1, VOTE_PROXY_TOO_MANY, 1);
    /* Spread over two holders, one each is fine. */
    m[2].proxy_to = 3;
    assert_int_equal(attendance(m, 4, 1, VOTE_PROXY_OK, 0), 4);
    /* Three to one holder with max 2: the third fails. */
    struct vote_member three[5] = {{false, 4}, {false, 4}, {true, 4}, {false, 4}, {true, -1}};
    attendance(three, 5, 2, VOTE_PROXY_TOO_MANY, 3); /* 2 is present: not counted */
    assert_int_equal(attendance(three, 5, 3, VOTE_PROXY_OK, 0), 5);
    /* With no proxies at all, max_proxies does not matter. */
    struct vote_member plain[2] = {{true, -1}, {false, -1}};
    assert_int_equal(attendance(plain, 2, 0, VOTE_PROXY_OK, 0), 1);
}

static void test_proxies_null_out(void **state)
{
    (void)state;
    struct vote_member m[2] = {{true, -1}, {false, 1}};
    assert_int_equal(vote_attendance(m, 2, 1, NULL, NULL), VOTE_PROXY_UNKNOWN);
    m[1].proxy_to = 0;
    assert_int_equal(vote_attendance(m, 2, 1, NULL, NULL), VOTE_PROXY_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reaches_exact),
        cmocka_unit_test(test_reaches_big),
        cmocka_unit_test(test_rule_valid),
        cmocka_unit_test(test_counts_valid),
        cmocka_unit_test(test_base_of),
        cmocka_unit_test(test_quorum),
        cmocka_unit_test(test_passes_ordinary),
        cmocka_unit_test(test_passes_charter),
        cmocka_unit_test(test_passes_cast_decisive),
        cmocka_unit_test(test_passes_big),
        cmocka_unit_test(test_needed),
        cmocka_unit_test(test_rule_text),
        cmocka_unit_test(test_base_names),
        cmocka_unit_test(test_proxies_valid),
        cmocka_unit_test(test_proxies_invalid),
        cmocka_unit_test(test_proxies_limit),
        cmocka_unit_test(test_proxies_null_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
