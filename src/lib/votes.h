/*
 * votes.h - the charter's vote rules as pure arithmetic (no I/O, no SQL).
 *
 * A rule is a fraction of a base, "more than" (strict) or "at least":
 *   quorum    at least 2/3 of the members          {VOTE_BASE_MEMBERS, 2, 3, false}
 *   ordinary  more than 1/2 of the members present {VOTE_BASE_PRESENT, 1, 2, true}
 *   charter   at least 2/3 of all members          {VOTE_BASE_MEMBERS, 2, 3, false}
 * Rules are data (table vote_rules); this file only applies them. All
 * arithmetic is exact (integers, no floating point).
 */
#ifndef JL_LIB_VOTES_H
#define JL_LIB_VOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vote_base {
    VOTE_BASE_MEMBERS,  /* all voting members of the meeting */
    VOTE_BASE_PRESENT,  /* members present, in person or by proxy */
    VOTE_BASE_CAST,     /* yes + no + abstain */
    VOTE_BASE_DECISIVE, /* yes + no (abstentions left out) */
};

struct vote_rule {
    enum vote_base base;
    int num, den; /* 0 < num <= den */
    bool strict;  /* true: more than num/den; false: at least num/den */
};

struct vote_counts {
    int members; /* voting members invited */
    int present; /* of them present, in person or represented by a proxy */
    int yes, no, abstain;
};

/* Parses "members" / "present" / "cast" / "decisive"; false if unknown. */
bool vote_base_parse(const char *s, enum vote_base *out);
const char *vote_base_name(enum vote_base b);

/* Is the rule well formed (0 < num <= den, den <= 1000, known base, and
 * not "more than all", which could never be met)? */
bool vote_rule_valid(const struct vote_rule *r);

/* Does value reach the rule's fraction of base? base == 0 never passes. */
bool vote_reaches(const struct vote_rule *r, int64_t value, int64_t base);

/* The base number of a rule for these counts. */
int64_t vote_base_of(const struct vote_rule *r, const struct vote_counts *c);

/* Is the meeting quorate: present reaches the quorum rule, applied to
 * members (a quorum rule with another base is applied to members too)? */
bool vote_quorate(const struct vote_rule *quorum, int members, int present);

/* Is the counts well formed: all >= 0, present <= members,
 * yes + no + abstain <= present? */
bool vote_counts_valid(const struct vote_counts *c);

/* Does a motion pass: counts valid, the meeting quorate under quorum
 * (whatever the rule's base: no business without a quorum; quorum NULL:
 * no check), and yes reaches the rule of the base? A tie under "more than
 * 1/2" fails. */
bool vote_passes(const struct vote_rule *rule, const struct vote_rule *quorum,
                 const struct vote_counts *c);

/* How many yes votes the rule needs at least with these counts (the
 * smallest y with vote_reaches(rule, y, base)); -1 when no number can
 * pass (base 0). For display: "需赞成 n 票". */
int64_t vote_needed(const struct vote_rule *rule, const struct vote_counts *c);

/* Writes the rule as text, e.g. "> 1/2 present", into out (cap bytes,
 * always terminated). Returns the length it needed. */
size_t vote_rule_text(const struct vote_rule *r, char *out, size_t cap);

/*
 * Attendance with proxies. members[i].present says whether member i has
 * checked in; members[i].proxy_to is the index of the member holding its
 * vote, or -1. A proxy is valid when its holder is present, is not
 * itself delegating, is not the member itself, and holds at most
 * max_proxies proxies. A member present in person who also named a proxy
 * votes in person (the proxy is ignored).
 */
struct vote_member {
    bool present;
    int proxy_to;
};

enum vote_proxy_error {
    VOTE_PROXY_OK,
    VOTE_PROXY_UNKNOWN,     /* proxy_to out of range or the member itself */
    VOTE_PROXY_ABSENT,      /* holder not present */
    VOTE_PROXY_CHAIN,       /* holder itself delegates */
    VOTE_PROXY_TOO_MANY,    /* holder would hold more than max_proxies */
};

/* Checks every proxy; on the first invalid one returns its error and sets
 * *bad to the member's index. On success sets *present to the members
 * present in person plus those validly represented. */
enum vote_proxy_error vote_attendance(const struct vote_member *members, size_t n,
                                      int max_proxies, int *present, size_t *bad);

#endif
