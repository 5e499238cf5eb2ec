/*
 * run.c - running a round: a job that builds the matching instance from
 * the round's choices and rankings, runs deferred acceptance
 * (src/lib/match), proves the result stable, and stores each student's
 * result with the reasons she missed the choices above it.
 *
 * Students and positions become dense indices in id order, so a run is
 * reproducible: the same round and seed give the same results. A score
 * rule ranks the applicants who meet the position's requirements by
 * score, ties by the lottery ticket of (seed, student id).
 */
#include "modules/placement/internal.h"
#include "lib/match/lottery.h"
#include "lib/match/match.h"
#include "base/alloc.h"
#include "base/time.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run_job {
    struct http_job base;
    int64_t round;
    uint64_t seed;
    struct app_job_caller who;
};

/* Dense index of id in the sorted ids (or -1). */
static int64_t index_of(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? (int64_t)lo : -1;
}

/* A growable array of uint32. */
struct u32s {
    uint32_t *v;
    size_t n, cap;
};
static void u32_push(struct u32s *a, uint32_t x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 1024;
        a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
    }
    a->v[a->n++] = x;
}

struct instance {
    int64_t *sid, *pid; /* student and position ids by index */
    size_t ns, np;
    uint32_t *s_off, *p_off, *cap;
    struct u32s s_choice, p_rank;
};

static void instance_free(struct instance *in)
{
    free(in->sid);
    free(in->pid);
    free(in->s_off);
    free(in->p_off);
    free(in->cap);
    free(in->s_choice.v);
    free(in->p_rank.v);
}

static int64_t *ids_of(struct db *db, const char *sql, int64_t round, size_t *n)
{
    struct db_stmt *st = db_prepare(db, sql);
    db_bind_int(st, 1, round);
    size_t cap = 256;
    int64_t *ids = xmalloc(cap * sizeof(*ids));
    *n = 0;
    while (db_step(st) == DB_ROW) {
        if (*n == cap)
            ids = xrealloc(ids, (cap *= 2) * sizeof(*ids));
        ids[(*n)++] = db_col_int(st, 0);
    }
    db_done(st);
    return ids;
}

/* Students' choices in place order, as position indices. */
static void load_choices(struct db *db, int64_t round, struct instance *in)
{
    in->s_off = xcalloc(in->ns + 1, sizeof(uint32_t));
    struct db_stmt *st = db_prepare(db, "SELECT student_id, position_id FROM round_choices WHERE "
                                        "round_id = $1 ORDER BY student_id, place");
    db_bind_int(st, 1, round);
    while (db_step(st) == DB_ROW) {
        int64_t s = index_of(in->sid, in->ns, db_col_int(st, 0));
        int64_t p = index_of(in->pid, in->np, db_col_int(st, 1));
        if (s < 0 || p < 0)
            continue;
        in->s_off[s + 1]++;
        u32_push(&in->s_choice, (uint32_t)p);
    }
    db_done(st);
    for (size_t i = 0; i < in->ns; i++)
        in->s_off[i + 1] += in->s_off[i];
}

/* Candidates of one score-rule position, gathered row by row. */
struct cands {
    int64_t *ids;
    double *scores;
    size_t n, cap;
};

static void cands_push(struct cands *c, int64_t id, double score)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->ids = xrealloc(c->ids, c->cap * sizeof(*c->ids));
        c->scores = xrealloc(c->scores, c->cap * sizeof(*c->scores));
    }
    c->ids[c->n] = id;
    c->scores[c->n++] = score;
}

/* Orders the candidates (score, then lottery) into list; empties c. */
static void cands_flush(struct cands *c, uint64_t seed, const struct instance *in,
                        struct u32s *list)
{
    uint32_t *order = xmalloc((c->n ? c->n : 1) * sizeof(*order));
    match_order(c->ids, c->scores, c->n, seed, order);
    for (size_t i = 0; i < c->n; i++) {
        int64_t s = index_of(in->sid, in->ns, c->ids[order[i]]);
        if (s >= 0)
            u32_push(list, (uint32_t)s);
    }
    free(order);
    c->n = 0;
}

/* Score-rule positions: the applicants who meet the requirements, by
 * score, ties by the lottery. One query for the whole round. */
static void score_rankings(struct db *db, int64_t round, uint64_t seed, struct instance *in,
                           const struct score_rule *rule, struct u32s *per)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT c.position_id, c.student_id, s.skill_level, s.award_points, s.school_score, "
            "coalesce(k.interview_score, 0), s.major, p.majors, p.min_level FROM round_choices c "
            "JOIN round_positions x ON x.round_id = c.round_id AND x.position_id = c.position_id "
            "JOIN students s ON s.id = c.student_id JOIN positions p ON p.id = c.position_id "
            "LEFT JOIN round_rankings k ON k.round_id = c.round_id AND k.position_id = "
            "c.position_id AND k.student_id = c.student_id WHERE c.round_id = $1 AND x.rule = "
            "'score' ORDER BY c.position_id");
    db_bind_int(st, 1, round);
    struct cands c = {0};
    int64_t cur = -1;
    while (db_step(st) == DB_ROW) {
        int64_t p = index_of(in->pid, in->np, db_col_int(st, 0));
        if (p != cur && cur >= 0)
            cands_flush(&c, seed, in, &per[cur]);
        cur = p;
        int level = (int)db_col_int(st, 2);
        if (p >= 0 &&
            pl_meets(db_col_text(st, 7), (int)db_col_int(st, 8), db_col_text(st, 6), level))
            cands_push(&c, db_col_int(st, 1),
                       pl_score(&rule[p], level, (int)db_col_int(st, 3), (int)db_col_int(st, 4),
                                (int)db_col_int(st, 5)));
    }
    db_done(st);
    if (cur >= 0)
        cands_flush(&c, seed, in, &per[cur]);
    free(c.ids);
    free(c.scores);
}

/* Manual positions: the students the enterprise ranked, in its order. */
static void manual_rankings(struct db *db, int64_t round, struct instance *in, struct u32s *per)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT k.position_id, k.student_id FROM round_rankings k JOIN round_positions x ON "
            "x.round_id = k.round_id AND x.position_id = k.position_id JOIN round_choices c ON "
            "c.round_id = k.round_id AND c.position_id = k.position_id AND c.student_id = "
            "k.student_id WHERE k.round_id = $1 AND x.rule = 'manual' AND k.rank IS NOT NULL "
            "ORDER BY k.position_id, k.rank");
    db_bind_int(st, 1, round);
    while (db_step(st) == DB_ROW) {
        int64_t p = index_of(in->pid, in->np, db_col_int(st, 0));
        int64_t s = index_of(in->sid, in->ns, db_col_int(st, 1));
        if (p >= 0 && s >= 0)
            u32_push(&per[p], (uint32_t)s);
    }
    db_done(st);
}

static void load_rankings(struct db *db, int64_t round, uint64_t seed, struct instance *in)
{
    in->p_off = xcalloc(in->np + 1, sizeof(uint32_t));
    in->cap = xcalloc(in->np ? in->np : 1, sizeof(uint32_t));
    struct score_rule *rule = xcalloc(in->np ? in->np : 1, sizeof(*rule));
    struct u32s *per = xcalloc(in->np ? in->np : 1, sizeof(*per));
    struct db_stmt *st = db_prepare(db, "SELECT position_id, seats, w_level, w_awards, w_school, "
                                        "w_interview FROM round_positions WHERE round_id = $1");
    db_bind_int(st, 1, round);
    while (db_step(st) == DB_ROW) {
        int64_t p = index_of(in->pid, in->np, db_col_int(st, 0));
        if (p < 0)
            continue;
        in->cap[p] = (uint32_t)db_col_int(st, 1);
        rule[p] = (struct score_rule){(int)db_col_int(st, 2), (int)db_col_int(st, 3),
                                      (int)db_col_int(st, 4), (int)db_col_int(st, 5)};
    }
    db_done(st);
    score_rankings(db, round, seed, in, rule, per);
    manual_rankings(db, round, in, per);
    for (size_t p = 0; p < in->np; p++) {
        for (size_t i = 0; i < per[p].n; i++)
            u32_push(&in->p_rank, per[p].v[i]);
        in->p_off[p + 1] = (uint32_t)in->p_rank.n;
        free(per[p].v);
    }
    free(per);
    free(rule);
}

static const char *const reason_names[] = {"not_accepted", "no_seats", "full"};

static json_t *explanation(const struct match_input *mi, const struct match_result *res,
                           const struct instance *in, uint32_t s)
{
    struct match_why why[20];
    size_t n = match_explain(mi, res, s, why, 20);
    json_t *a = json_array();
    for (size_t i = 0; i < n && i < 20; i++)
        json_array_append_new(
            a, json_pack("{s:i, s:I, s:s, s:i, s:o, s:o}", "place", (int)why[i].place,
                         "position_id", (json_int_t)in->pid[why[i].position], "reason",
                         reason_names[why[i].reason], "seats", (int)why[i].seats, "rank",
                         why[i].rank == MATCH_NONE ? json_null() : json_integer(why[i].rank + 1),
                         "cutoff",
                         why[i].cutoff == MATCH_NONE ? json_null() : json_integer(why[i].cutoff + 1)));
    return a;
}

static enum err store_results(struct db *db, int64_t round, const struct match_input *mi,
                              const struct match_result *res, const struct instance *in)
{
    struct db_stmt *st = db_prepare(db, "DELETE FROM round_results WHERE round_id = $1");
    db_bind_int(st, 1, round);
    enum err e = db_run(st);
    for (uint32_t s = 0; s < in->ns && e == ERR_OK; s++) {
        bool placed = res->assigned[s] != MATCH_NONE;
        json_t *why = explanation(mi, res, in, s);
        char *text = json_dumps(why, JSON_COMPACT);
        json_decref(why);
        st = db_prepare(db, "INSERT INTO round_results(round_id, student_id, position_id, place, "
                            "status, explanation) VALUES ($1, $2, $3, $4, $5, $6)");
        db_bind_int(st, 1, round);
        db_bind_int(st, 2, in->sid[s]);
        if (placed) {
            db_bind_int(st, 3, in->pid[res->assigned[s]]);
            db_bind_int(st, 4, res->place[s]);
        }
        db_bind_text(st, 5, placed ? "offered" : "unplaced", -1);
        db_bind_text(st, 6, text, -1);
        e = db_run(st);
        free(text);
    }
    return e;
}

static void run_progress(void *arg, uint64_t done, uint64_t total)
{
    app_job_progress(*(int64_t *)arg, (int64_t)done, (int64_t)total);
}

/* Builds, runs, checks and stores; fills stats. */
static enum err round_match(struct db *db, int64_t round, uint64_t seed, int64_t *job,
                            json_t **stats)
{
    struct instance in = {0};
    in.sid = ids_of(db, "SELECT DISTINCT student_id FROM round_choices WHERE round_id = $1 "
                        "ORDER BY student_id", round, &in.ns);
    in.pid = ids_of(db, "SELECT position_id FROM round_positions WHERE round_id = $1 ORDER BY "
                        "position_id", round, &in.np);
    int64_t t0 = time_mono_ms();
    load_choices(db, round, &in);
    load_rankings(db, round, seed, &in);
    int64_t t1 = time_mono_ms();
    struct match_input mi = {(uint32_t)in.ns, (uint32_t)in.np, in.s_off,
                             in.s_choice.v,   in.cap,          in.p_off,
                             in.p_rank.v};
    struct match_problem why;
    enum err e = ERR_INTERNAL;
    if (match_validate(&mi, &why)) {
        struct match_result res;
        match_run(&mi, &res, job ? run_progress : NULL, job);
        struct match_blocking bp;
        bool stable = match_check(&mi, &res, &bp);
        uint64_t placed = 0, first = 0, seats = 0;
        for (size_t s = 0; s < in.ns; s++) {
            placed += res.assigned[s] != MATCH_NONE;
            first += res.place[s] == 0;
        }
        for (size_t p = 0; p < in.np; p++)
            seats += in.cap[p];
        int64_t t2 = time_mono_ms();
        e = stable ? store_results(db, round, &mi, &res, &in) : ERR_INTERNAL;
        *stats = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:I}", "students",
                           (json_int_t)in.ns, "placed", (json_int_t)placed, "first_choice",
                           (json_int_t)first, "positions", (json_int_t)in.np, "seats",
                           (json_int_t)seats, "proposals", (json_int_t)res.proposals, "stable",
                           stable, "seed", (json_int_t)seed);
        json_object_set_new(*stats, "ms",
                            json_pack("{s:I, s:I, s:I}", "load", (json_int_t)(t1 - t0), "match",
                                      (json_int_t)(t2 - t1), "store",
                                      (json_int_t)(time_mono_ms() - t2)));
        match_result_free(&res);
    }
    instance_free(&in);
    return e;
}

enum err pl_round_run(struct db *db, int64_t round, uint64_t seed, int64_t *job, json_t **stats)
{
    enum err e = round_match(db, round, seed, job, stats);
    if (e != ERR_OK)
        return e;
    char *text = json_dumps(*stats, JSON_COMPACT);
    struct db_stmt *st = db_prepare(db, "UPDATE rounds SET status = 'matched', seed = $2, stats = "
                                        "$3, run_at = $4, updated_at = $4 WHERE id = $1 AND "
                                        "status IN ('ranking', 'matched')");
    db_bind_int(st, 1, round);
    db_bind_int(st, 2, (int64_t)seed);
    db_bind_text(st, 3, text, -1);
    db_bind_int(st, 4, time_now_ms());
    e = db_run(st);
    free(text);
    if (e == ERR_OK && db_changes(db) != 1)
        e = ERR_CONFLICT; /* the round moved on meanwhile */
    return e;
}

static void run_run(struct http_job *job, void *thread_ctx)
{
    struct run_job *rj = (struct run_job *)job;
    struct db *db = ((struct app_thread *)thread_ctx)->db;
    json_t *stats = NULL;
    app_job_started(db, job->id);
    enum err e = db_begin(db);
    if (e == ERR_OK)
        e = pl_round_run(db, rj->round, rj->seed, &job->id, &stats);
    char object[32], detail[96];
    snprintf(object, sizeof(object), "round:%lld", (long long)rj->round);
    snprintf(detail, sizeof(detail), "job=%lld seed=%llu", (long long)job->id,
             (unsigned long long)rj->seed);
    if (e == ERR_OK)
        e = app_job_audit(db, &rj->who, "round.run", object, "ok", detail);
    if (e == ERR_OK)
        e = db_commit(db);
    else
        db_rollback(db);
    if (e != ERR_OK)
        app_job_audit(db, &rj->who, "round.run", object, "failed", detail);
    app_job_finish(db, job->id, e == ERR_OK,
                   i18n_text(rj->who.lang, e == ERR_OK ? "ok" : "internal"), stats);
    json_decref(stats);
}

static void run_destroy(struct http_job *job)
{
    free(job);
}

enum err round_run_submit(struct http_req *req, const struct round_head *r, bool seed_given,
                          int64_t seed)
{
    if (seed_given && seed < 0) {
        http_field_error(req, "seed", "out_of_range");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    int64_t id = app_job_create(req, "round.run");
    if (id == 0)
        return ERR_INTERNAL;
    struct run_job *rj = xcalloc(1, sizeof(*rj));
    rj->base = (struct http_job){id, run_run, run_destroy, NULL};
    rj->round = r->id;
    if (seed_given) {
        rj->seed = (uint64_t)seed;
    } else {
        randombytes_buf(&rj->seed, sizeof(rj->seed));
        rj->seed &= INT64_MAX; /* stored as a signed integer */
    }
    app_job_caller(req, &rj->who);
    http_jobs_submit(&rj->base);
    http_json(req, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)id, "state", "queued"));
    return ERR_OK;
}
