/*
 * bench_match.c - how fast match_run() (src/lib/match/match.h) places a
 * large seeded instance, against the memory-bandwidth floor of reading its
 * preferences once.
 *
 *   bench_match [--students N --positions M --choices K] [--seed S] [--repeat R]
 *
 * Without size flags it runs two instances: 10,000 x 1,000 x 20 and
 * 1,000,000 x 100,000 x 20 (the target: engine <= 0.4 s, whole process
 * <= 500 MB).  See bench/README.md.
 *
 * The instance is generated straight into the CSR arrays (not timed):
 *   - position popularity: a seeded random permutation gives each position
 *     a popularity rank q (0 = most popular); it is drawn with weight
 *     1 / (q + 10) (Zipf-like with a flattened head), by Walker's alias
 *     method;
 *   - each student draws K distinct positions that way, in the order drawn
 *     (her preference order);
 *   - seats: uniform 1 .. 15 (mean 8);
 *   - each position ranks the students who chose it, except about 10 %
 *     left out at random (not acceptable), by a key = student score
 *     (uniform 0 .. 2^20 - 1, one per student) + position noise (uniform
 *     0 .. 2^18 - 1, per pair), highest first (ties by student index).
 *
 * Timed (CLOCK_MONOTONIC, best of R runs):
 *   floor  - one sequential pass summing every s_choice and p_rank word;
 *   engine - match_run(), alignment and result included.
 * Memory: the process's peak RSS (getrusage ru_maxrss) after the timed
 * runs, and the engine's own high-water mark: peak RSS during one run
 * (reset through /proc/self/clear_refs) less the RSS before it.  Then
 * match_check() verifies the last result (timed separately).
 */
#include "bench/bench_common.h"
#include "base/alloc.h"
#include "lib/match/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct instance {
    uint32_t ns, np, k;
    uint32_t *s_off, *s_choice, *cap, *p_off, *p_rank;
    struct match_input in;
};

struct options {
    uint64_t seed;
    int repeat;
};

/* Walker's alias table over m weights. */
struct alias {
    uint32_t m;
    double *prob;
    uint32_t *other;
};

static void alias_build(struct alias *a, const double *w, uint32_t m)
{
    double total = 0;
    for (uint32_t i = 0; i < m; i++)
        total += w[i];
    a->m = m;
    a->prob = xmalloc(m * sizeof(double));
    a->other = xmalloc(m * sizeof(uint32_t));
    uint32_t *small = xmalloc(m * sizeof(uint32_t)), *large = xmalloc(m * sizeof(uint32_t));
    uint32_t ns = 0, nl = 0;
    for (uint32_t i = 0; i < m; i++) {
        a->prob[i] = w[i] * m / total;
        a->other[i] = i;
        if (a->prob[i] < 1.0)
            small[ns++] = i;
        else
            large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
        uint32_t s = small[--ns], l = large[nl - 1];
        a->other[s] = l;
        a->prob[l] -= 1.0 - a->prob[s];
        if (a->prob[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    while (nl > 0)
        a->prob[large[--nl]] = 1.0;
    while (ns > 0)
        a->prob[small[--ns]] = 1.0;
    free(small);
    free(large);
}

static uint32_t alias_draw(const struct alias *a, uint64_t *state)
{
    uint32_t i = rng_below(state, a->m);
    double u = (double)(rng_next(state) >> 11) * 0x1p-53;
    return u < a->prob[i] ? i : a->other[i];
}

/* The students' choices: K distinct positions each, drawn by popularity. */
static void gen_students(struct instance *x, uint64_t *state)
{
    double *w = xmalloc(x->np * sizeof(double));
    uint32_t *perm = xmalloc(x->np * sizeof(uint32_t));
    for (uint32_t i = 0; i < x->np; i++)
        perm[i] = i;
    for (uint32_t i = x->np; i > 1; i--) {
        uint32_t j = rng_below(state, i), t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
    for (uint32_t i = 0; i < x->np; i++)
        w[perm[i]] = 1.0 / (i + 10.0);
    struct alias a;
    alias_build(&a, w, x->np);
    free(w);
    free(perm);
    x->s_off = xmalloc(((size_t)x->ns + 1) * sizeof(uint32_t));
    x->s_choice = xmalloc((size_t)x->ns * x->k * sizeof(uint32_t));
    for (uint32_t s = 0; s <= x->ns; s++)
        x->s_off[s] = s * x->k;
    for (uint32_t s = 0; s < x->ns; s++) {
        uint32_t *row = x->s_choice + (size_t)s * x->k;
        for (uint32_t i = 0; i < x->k; i++) {
            uint32_t p = 0, tries = 0, dup;
            do {
                p = ++tries < 64 ? alias_draw(&a, state) : (p + 1) % x->np;
                dup = 0;
                for (uint32_t j = 0; j < i; j++)
                    dup |= row[j] == p;
            } while (dup);
            row[i] = p;
        }
    }
    free(a.prob);
    free(a.other);
}

static int key_desc(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a < b) - (a > b);
}

/* The positions: seats, and a ranking of ~90 % of their applicants. */
static void gen_positions(struct instance *x, uint64_t *state)
{
    size_t entries = (size_t)x->ns * x->k;
    uint32_t *score = xmalloc((size_t)x->ns * sizeof(uint32_t) + 1);
    for (uint32_t s = 0; s < x->ns; s++)
        score[s] = rng_below(state, 1u << 20);
    x->cap = xmalloc((size_t)x->np * sizeof(uint32_t));
    x->p_off = calloc((size_t)x->np + 1, sizeof(uint32_t));
    x->p_rank = xmalloc(entries * sizeof(uint32_t) + 1);
    for (size_t j = 0; j < entries; j++)
        x->p_off[x->s_choice[j] + 1]++;
    for (uint32_t p = 0; p < x->np; p++)
        x->p_off[p + 1] += x->p_off[p];
    uint32_t *at = xmalloc((size_t)x->np * sizeof(uint32_t));
    memcpy(at, x->p_off, x->np * sizeof(uint32_t));
    for (uint32_t s = 0; s < x->ns; s++)
        for (uint32_t j = x->s_off[s]; j < x->s_off[s + 1]; j++)
            x->p_rank[at[x->s_choice[j]]++] = s;
    free(at);
    uint32_t longest = 0, put = 0;
    for (uint32_t p = 0; p < x->np; p++)
        if (x->p_off[p + 1] - x->p_off[p] > longest)
            longest = x->p_off[p + 1] - x->p_off[p];
    uint64_t *keys = xmalloc((size_t)longest * sizeof(uint64_t) + 1);
    for (uint32_t p = 0; p < x->np; p++) {
        uint32_t n = 0;
        x->cap[p] = 1 + rng_below(state, 15);
        for (uint32_t k = x->p_off[p]; k < x->p_off[p + 1]; k++) {
            uint32_t s = x->p_rank[k];
            if (rng_below(state, 10) == 0)
                continue; /* left out: not acceptable */
            uint64_t key = (uint64_t)score[s] + rng_below(state, 1u << 18);
            keys[n++] = key << 32 | (uint32_t)~s; /* ties: lower index first */
        }
        qsort(keys, n, sizeof(uint64_t), key_desc);
        x->p_off[p] = put;
        for (uint32_t i = 0; i < n; i++)
            x->p_rank[put++] = ~(uint32_t)keys[i];
    }
    x->p_off[x->np] = put;
    free(keys);
    free(score);
    x->p_rank = realloc(x->p_rank, (size_t)put * sizeof(uint32_t) + 1);
}

static void generate(struct instance *x, uint64_t seed)
{
    uint64_t state = seed;
    if (x->k > x->np)
        x->k = x->np;
    gen_students(x, &state);
    gen_positions(x, &state);
    x->in = (struct match_input){x->ns, x->np, x->s_off, x->s_choice, x->cap, x->p_off, x->p_rank};
}

static void instance_free(struct instance *x)
{
    free(x->s_off);
    free(x->s_choice);
    free(x->cap);
    free(x->p_off);
    free(x->p_rank);
}

/* A /proc/self/status figure in kB ("VmRSS:", "VmHWM:"), or -1. */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, field, n) == 0)
            kb = strtol(line + n, NULL, 10);
    if (f != NULL)
        fclose(f);
    return kb;
}

/* Resets the peak RSS (VmHWM) to the current RSS; false if it cannot. */
static int reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f == NULL)
        return 0;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

static double floor_pass(const struct instance *x, uint64_t *sum)
{
    double t0 = now();
    uint64_t a = 0, b = 0;
    size_t es = x->s_off[x->ns], ep = x->p_off[x->np];
    for (size_t j = 0; j < es; j++)
        a += x->s_choice[j];
    for (size_t j = 0; j < ep; j++)
        b += x->p_rank[j];
    double t = now() - t0;
    *sum = a + b;
    return t;
}

/* Times match_run R times (keeps the last result in *r); the first run's
 * time in *first and the engine's extra peak RSS in it in *heap_mb (-1
 * when unknown).  Returns the best time. */
static double engine_pass(const struct instance *x, int repeat, struct match_result *r,
                          double *first, double *heap_mb)
{
    double best = 1e30;
    *heap_mb = -1;
    for (int i = 0; i < repeat; i++) {
        if (i > 0)
            match_result_free(r);
        long before = status_kb("VmRSS:");
        int reset = i == 0 && reset_peak();
        double t0 = now();
        match_run(&x->in, r, NULL, NULL);
        double t = now() - t0;
        if (reset && before >= 0)
            *heap_mb = (double)(status_kb("VmHWM:") - before) / 1024.0;
        if (i == 0)
            *first = t;
        if (t < best)
            best = t;
    }
    return best;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static void header(void)
{
    printf("%-22s %9s %9s %8s %8s %8s %6s %10s %8s %6s %8s %9s %8s %s\n", "instance (N x M x K)",
           "s-entries", "p-entries", "engine s", "1st run", "floor s", "ratio", "proposals",
           "placed", "1st %", "peak RSS", "eng. heap", "check s", "verdict");
}

/* Generates, times and checks one instance; returns the floor checksum. */
static uint64_t bench(uint32_t ns, uint32_t np, uint32_t k, const struct options *o)
{
    struct instance x = {.ns = ns, .np = np, .k = k};
    generate(&x, o->seed);
    struct match_problem why;
    if (!match_validate(&x.in, &why)) {
        fprintf(stderr, "bench_match: generated an invalid instance (fault %d)\n", why.fault);
        exit(1);
    }
    uint64_t sum = 0;
    double fl = 1e30;
    for (int i = 0; i < o->repeat; i++) {
        double t = floor_pass(&x, &sum);
        fl = t < fl ? t : fl;
    }
    struct match_result r;
    double heap_mb, first = 0, eng = engine_pass(&x, o->repeat, &r, &first, &heap_mb);
    double rss = peak_rss_mb();
    uint32_t placed = 0, firsts = 0;
    for (uint32_t s = 0; s < ns; s++) {
        placed += r.assigned[s] != MATCH_NONE;
        firsts += r.place[s] == 0;
    }
    double t0 = now();
    struct match_blocking bp;
    bool stable = match_check(&x.in, &r, &bp);
    double chk = now() - t0;
    char name[64], heap[32];
    snprintf(name, sizeof(name), "%u x %u x %u", ns, np, x.k);
    snprintf(heap, sizeof(heap), heap_mb < 0 ? "n/a" : "%.0f MB", heap_mb);
    printf("%-22s %9u %9u %8.3f %8.3f %8.3f %6.1f %10llu %8u %5.1f%% %5.0f MB %9s %8.3f %s\n", name,
           x.s_off[ns], x.p_off[np], eng, first, fl, eng / fl, (unsigned long long)r.proposals,
           placed, ns ? 100.0 * firsts / ns : 0.0, rss, heap, chk,
           stable ? "stable" : "NOT STABLE");
    fflush(stdout);
    match_result_free(&r);
    instance_free(&x);
    if (!stable)
        exit(1);
    return sum;
}

static int arg_u32(const char *s, uint32_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v > UINT32_MAX - 1)
        return 0;
    *out = (uint32_t)v;
    return 1;
}

int main(int argc, char **argv)
{
    uint32_t ns = 0, np = 0, k = 20, rep = 3, seed = 1;
    for (int i = 1; i < argc; i += 2) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        uint32_t *dst = strcmp(o, "--students") == 0    ? &ns
                        : strcmp(o, "--positions") == 0 ? &np
                        : strcmp(o, "--choices") == 0   ? &k
                        : strcmp(o, "--seed") == 0      ? &seed
                        : strcmp(o, "--repeat") == 0    ? &rep
                                                        : NULL;
        if (dst == NULL || !arg_u32(v, dst)) {
            fprintf(stderr, "usage: bench_match [--students N --positions M --choices K] "
                            "[--seed S] [--repeat R]\n");
            return 2;
        }
    }
    struct options o = {.seed = seed, .repeat = rep > 0 ? (int)rep : 1};
    header();
    uint64_t sum;
    if (ns > 0 || np > 0) {
        sum = bench(ns, np > 0 ? np : 1, k, &o);
    } else {
        sum = bench(10000, 1000, 20, &o);
        sum ^= bench(1000000, 100000, 20, &o);
    }
    printf("(engine s: best of %d runs; 1st run: the first of them; floor checksum %llu)\n",
           o.repeat, (unsigned long long)sum);
    return 0;
}
