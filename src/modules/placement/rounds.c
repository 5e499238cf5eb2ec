/*
 * rounds.c - matching rounds (匹配轮次): the round and its positions, its
 * states, students' ranked choices, and enterprises' rankings.
 *
 *   draft -> open -> ranking -> matched -> published -> closed
 *
 * Students choose while the round is open (and before its deadline);
 * enterprises rank the students who chose their positions while it is
 * ranking; the run (run.c) takes it to matched; the answers (results.c)
 * follow publication. A student takes part in one unclosed round at a
 * time, and a second round is only for students without an accepted
 * offer in the rounds before it.
 */
#include "modules/placement/internal.h"
#include "base/time.h"

#include <stdio.h>
#include <string.h>

static const char *const s_draft[] = {"draft", NULL};
static const char *const s_editable[] = {"draft", "open", NULL};
static const char *const s_open[] = {"open", NULL};
static const char *const s_ranking[] = {"ranking", NULL};
static const char *const s_runnable[] = {"ranking", "matched", NULL};
static const char *const s_matched[] = {"matched", NULL};
static const char *const s_published[] = {"published", NULL};
static const char *const s_closed[] = {"closed", NULL};

#define ROUND_COLUMNS                                                                              \
    "r.id, r.name, r.status, r.parent_id, r.choices_deadline, r.answer_deadline, r.max_choices, "  \
    "(SELECT count(*) FROM round_positions x WHERE x.round_id = r.id) AS positions, (SELECT "      \
    "coalesce(sum(x.seats), 0) FROM round_positions x WHERE x.round_id = r.id) AS seats, (SELECT " \
    "count(DISTINCT c.student_id) FROM round_choices c WHERE c.round_id = r.id) AS students, "     \
    "CASE WHEN r.status IN ('published', 'closed') OR $1 = 1 THEN r.seed END AS seed, r.run_at, "  \
    "r.published_at, r.created_at, r.updated_at"
/* $1 the secretariat (sees drafts), $2 a status filter. */
#define ROUND_FROM "FROM rounds r WHERE ($1 = 1 OR r.status <> 'draft') AND ($2 IS NULL OR r.status = $2) "

static bool manager(const struct http_req *req)
{
    return app_role_permits(req->who.role, "rounds.manage");
}

static bool bind_rounds(struct http_req *req, struct db_stmt *st, void *ctx)
{
    (void)ctx;
    const char *status = http_query_get(req, "status");
    db_bind_int(st, 1, manager(req));
    db_bind_text(st, 2, status && status[0] ? status : NULL, -1);
    return true;
}

enum err h_rounds_list(struct http_req *req)
{
    static const struct pl_list_spec spec = {ROUND_COLUMNS, ROUND_FROM, "r.id DESC", 3,
                                             bind_rounds,   NULL,       NULL};
    return pl_list(req, &spec, NULL);
}

/* The round as the caller may see it, with its stats; NULL when absent or
 * a draft and the caller is not the secretariat. */
static json_t *round_json(struct http_req *req, int64_t id)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT " ROUND_COLUMNS ", r.stats " ROUND_FROM
                                                 "AND r.id = $3");
    db_bind_int(st, 1, manager(req));
    db_bind_int(st, 3, id);
    json_t *r = app_row_one(st, NULL);
    if (r == NULL)
        return NULL;
    const char *stats = json_string_value(json_object_get(r, "stats"));
    const char *status = json_string_value(json_object_get(r, "status"));
    bool shown = stats && (manager(req) || strcmp(status, "published") == 0 ||
                           strcmp(status, "closed") == 0);
    json_object_set_new(r, "stats", shown ? json_loads(stats, 0, NULL) : json_null());
    return r;
}

enum err h_rounds_get(struct http_req *req)
{
    json_t *r = round_json(req, req->params[0]);
    if (r == NULL)
        return ERR_NOT_FOUND;
    req->personal = true;
    http_json(req, 200, r);
    return ERR_OK;
}

/* Deadlines and max_choices of the round as it would be (cur may be NULL). */
static bool round_check(struct http_req *req, const struct round_head *cur)
{
    int64_t choices = http_body_int(req, "choices_deadline", cur ? cur->choices_deadline : 0);
    int64_t answer = http_body_int(req, "answer_deadline", cur ? cur->answer_deadline : 0);
    int64_t max = http_body_int(req, "max_choices", cur ? cur->max_choices : 20);
    if (choices <= 0)
        http_field_error(req, "choices_deadline", "out_of_range");
    if (answer <= choices)
        http_field_error(req, "answer_deadline", "ends_before_start");
    if (max < 1 || max > 20)
        http_field_error(req, "max_choices", "out_of_range");
    return req->err_fields == NULL;
}

static enum err round_insert(struct http_req *req, int64_t parent, int64_t *id)
{
    struct db_stmt *st = db_prepare(
        app_db(req), "INSERT INTO rounds(name, parent_id, choices_deadline, answer_deadline, "
                     "max_choices, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)");
    db_bind_text(st, 1, http_body_str(req, "name"), -1);
    if (parent)
        db_bind_int(st, 2, parent);
    db_bind_int(st, 3, http_body_int(req, "choices_deadline", 0));
    db_bind_int(st, 4, http_body_int(req, "answer_deadline", 0));
    db_bind_int(st, 5, http_body_int(req, "max_choices", 20));
    db_bind_int(st, 6, time_now_ms());
    enum err e = db_run(st);
    *id = db_last_id(app_db(req));
    return e;
}

enum err h_rounds_create(struct http_req *req)
{
    if (!round_check(req, NULL))
        return http_fail(req, ERR_INVALID, "validation_failed");
    int64_t id;
    enum err e = round_insert(req, 0, &id);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "round.create", "round", id, http_body_str(req, "name"));
    http_json(req, 201, round_json(req, id));
    return ERR_OK;
}

enum err h_rounds_update(struct http_req *req)
{
    struct round_head r;
    enum err e = round_in(req, req->params[0], &r, s_editable);
    if (e != ERR_OK)
        return e;
    if (!round_check(req, &r))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db_stmt *st = db_prepare(
        app_db(req), "UPDATE rounds SET name = coalesce($2, name), choices_deadline = $3, "
                     "answer_deadline = $4, max_choices = $5, updated_at = $6 WHERE id = $1");
    db_bind_int(st, 1, r.id);
    db_bind_text(st, 2, http_body_str(req, "name"), -1);
    db_bind_int(st, 3, http_body_int(req, "choices_deadline", r.choices_deadline));
    db_bind_int(st, 4, http_body_int(req, "answer_deadline", r.answer_deadline));
    db_bind_int(st, 5, http_body_int(req, "max_choices", r.max_choices));
    db_bind_int(st, 6, time_now_ms());
    if ((e = db_run(st)) != ERR_OK)
        return e;
    pl_audit(req, "round.update", "round", r.id, NULL);
    http_json(req, 200, round_json(req, r.id));
    return ERR_OK;
}

/* --- positions of a round --------------------------------------------------- */

#define RP_COLUMNS                                                                                 \
    "x.position_id, p.title, p.unit_id, u.name AS unit_name, p.kind, p.city, coalesce(g.name, "    \
    "'') AS city_name, p.majors, p.min_level, x.seats, x.rule, x.w_level, x.w_awards, "            \
    "x.w_school, x.w_interview, (SELECT count(*) FROM round_choices c WHERE c.round_id = "         \
    "x.round_id AND c.position_id = x.position_id) AS applicants, (SELECT count(*) FROM "          \
    "round_rankings k WHERE k.round_id = x.round_id AND k.position_id = x.position_id AND k.rank " \
    "IS NOT NULL) AS ranked, (SELECT count(*) FROM round_results t WHERE t.round_id = "            \
    "x.round_id AND t.position_id = x.position_id) AS filled"
#define RP_FROM                                                                                    \
    "FROM round_positions x JOIN positions p ON p.id = x.position_id JOIN units u ON u.id = "      \
    "p.unit_id LEFT JOIN regions g ON g.code = p.city "

enum err h_round_positions(struct http_req *req)
{
    static const char *const lines[] = {"majors", NULL};
    json_t *r = round_json(req, req->params[0]);
    if (r == NULL)
        return ERR_NOT_FOUND;
    json_decref(r);
    struct db_stmt *st = db_prepare(app_db(req), "SELECT " RP_COLUMNS " " RP_FROM
                                                 "WHERE x.round_id = $1 ORDER BY u.name, p.title");
    db_bind_int(st, 1, req->params[0]);
    json_t *items = app_rows_json(st, NULL);
    pl_lines_expand(items, lines);
    req->personal = true;
    http_json(req, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

static int64_t item_int(json_t *item, const char *key, int64_t def)
{
    json_t *v = json_object_get(item, key);
    return v == NULL ? def : json_is_integer(v) ? json_integer_value(v) : -1;
}

/* Checks one item of PUT /rounds/{id}/positions; returns its position's
 * seats (0 when the item is bad, with a field error on items.N). */
static int64_t rp_check(struct http_req *req, size_t n, json_t *item, json_t *seen)
{
    const char *field = arena_printf(&req->arena, "items.%zu", n);
    int64_t pid = item_int(item, "position_id", 0);
    const char *rule = json_string_value(json_object_get(item, "rule"));
    char key[32];
    snprintf(key, sizeof(key), "%lld", (long long)pid);
    struct db_stmt *st = db_prepare(app_db(req), "SELECT seats FROM positions WHERE id = $1 AND "
                                                 "status = 'published'");
    db_bind_int(st, 1, pid);
    int64_t seats = db_scalar(st);
    static const char *const weights[] = {"w_level", "w_awards", "w_school", "w_interview"};
    bool weights_ok = true;
    for (int i = 0; i < 4; i++) {
        int64_t w = item_int(item, weights[i], 0);
        weights_ok = weights_ok && w >= 0 && w <= 100;
    }
    int64_t want = item_int(item, "seats", seats);
    if (!json_is_object(item) || seats == 0)
        http_field_error(req, field, "placement.position_not_published");
    else if (json_object_get(seen, key))
        http_field_error(req, field, "placement.duplicate_item");
    else if (want < 1 || want > 10000 || !weights_ok)
        http_field_error(req, field, "out_of_range");
    else if (json_object_get(item, "rule") &&
             (rule == NULL || (strcmp(rule, "manual") != 0 && strcmp(rule, "score") != 0)))
        http_field_error(req, field, "not_a_choice");
    else {
        json_object_set_new(seen, key, json_true());
        return want;
    }
    return 0;
}

enum err h_round_positions_put(struct http_req *req)
{
    struct round_head r;
    enum err e = round_in(req, req->params[0], &r, s_draft);
    if (e != ERR_OK)
        return e;
    json_t *items = json_object_get(req->body, "items"), *item, *seen = json_object();
    size_t i;
    json_array_foreach(items, i, item) rp_check(req, i, item, seen);
    json_decref(seen);
    if (req->err_fields)
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "DELETE FROM round_positions WHERE round_id = $1");
    db_bind_int(st, 1, r.id);
    if ((e = db_run(st)) != ERR_OK)
        return e;
    json_array_foreach(items, i, item)
    {
        st = db_prepare(db, "INSERT INTO round_positions(round_id, position_id, seats, rule, "
                            "w_level, w_awards, w_school, w_interview) SELECT $1, id, coalesce($3, "
                            "seats), coalesce($4, 'manual'), $5, $6, $7, $8 FROM positions WHERE "
                            "id = $2");
        db_bind_int(st, 1, r.id);
        db_bind_int(st, 2, item_int(item, "position_id", 0));
        if (json_object_get(item, "seats"))
            db_bind_int(st, 3, item_int(item, "seats", 0));
        db_bind_text(st, 4, json_string_value(json_object_get(item, "rule")), -1);
        db_bind_int(st, 5, item_int(item, "w_level", 0));
        db_bind_int(st, 6, item_int(item, "w_awards", 0));
        db_bind_int(st, 7, item_int(item, "w_school", 0));
        db_bind_int(st, 8, item_int(item, "w_interview", 0));
        if ((e = db_run(st)) != ERR_OK)
            return e;
    }
    pl_audit(req, "round.positions", "round", r.id,
             arena_printf(&req->arena, "positions=%zu", json_array_size(items)));
    return h_round_positions(req);
}

/* --- states ------------------------------------------------------------------ */

static enum err round_move(struct http_req *req, const char *const *from, const char *to,
                           const char *action)
{
    struct round_head r;
    enum err e = round_in(req, req->params[0], &r, from);
    if (e != ERR_OK)
        return e;
    struct db_stmt *st = db_prepare(app_db(req), "UPDATE rounds SET status = $2, updated_at = $3, "
                                                 "published_at = CASE WHEN $2 = 'published' THEN "
                                                 "$3 ELSE published_at END WHERE id = $1");
    db_bind_int(st, 1, r.id);
    db_bind_text(st, 2, to, -1);
    db_bind_int(st, 3, time_now_ms());
    if ((e = db_run(st)) != ERR_OK)
        return e;
    pl_audit(req, action, "round", r.id, NULL);
    http_json(req, 200, round_json(req, r.id));
    return ERR_OK;
}

enum err h_round_open(struct http_req *req)
{
    struct round_head r;
    enum err e = round_in(req, req->params[0], &r, s_draft);
    if (e != ERR_OK)
        return e;
    struct db_stmt *st =
        db_prepare(app_db(req), "SELECT count(*) FROM round_positions WHERE round_id = $1");
    db_bind_int(st, 1, r.id);
    if (db_scalar(st) == 0)
        return http_fail(req, ERR_CONFLICT, "placement.round_empty");
    return round_move(req, s_draft, "open", "round.open");
}

enum err h_round_close_choices(struct http_req *req)
{
    return round_move(req, s_open, "ranking", "round.close_choices");
}

enum err h_round_publish(struct http_req *req)
{
    return round_move(req, s_matched, "published", "round.publish");
}

enum err h_round_close(struct http_req *req)
{
    enum err e = round_move(req, s_published, "closed", "round.close");
    if (e != ERR_OK)
        return e;
    struct db_stmt *st = db_prepare(app_db(req), "UPDATE round_results SET status = 'expired' "
                                                 "WHERE round_id = $1 AND status = 'offered'");
    db_bind_int(st, 1, req->params[0]);
    return db_run(st);
}

enum err h_round_run(struct http_req *req)
{
    struct round_head r;
    enum err e = round_in(req, req->params[0], &r, s_runnable);
    if (e != ERR_OK)
        return e;
    json_t *seed = json_object_get(req->body, "seed");
    return round_run_submit(req, &r, seed != NULL, seed ? json_integer_value(seed) : 0);
}

/* A new draft round with the seats of a closed one that nobody accepted. */
enum err h_round_second(struct http_req *req)
{
    struct round_head r;
    enum err e = round_in(req, req->params[0], &r, s_closed);
    if (e != ERR_OK)
        return e;
    if (!round_check(req, NULL))
        return http_fail(req, ERR_INVALID, "validation_failed");
    int64_t id;
    if ((e = round_insert(req, r.id, &id)) != ERR_OK)
        return e;
    struct db_stmt *st = db_prepare(
        app_db(req),
        "INSERT INTO round_positions(round_id, position_id, seats, rule, w_level, w_awards, "
        "w_school, w_interview) SELECT $2, x.position_id, x.seats - (SELECT count(*) FROM "
        "round_results t WHERE t.round_id = x.round_id AND t.position_id = x.position_id AND "
        "t.status = 'accepted'), x.rule, x.w_level, x.w_awards, x.w_school, x.w_interview FROM "
        "round_positions x JOIN positions p ON p.id = x.position_id WHERE x.round_id = $1 AND "
        "p.status = 'published' AND x.seats > (SELECT count(*) FROM round_results t WHERE "
        "t.round_id = x.round_id AND t.position_id = x.position_id AND t.status = 'accepted')");
    db_bind_int(st, 1, r.id);
    db_bind_int(st, 2, id);
    if ((e = db_run(st)) != ERR_OK)
        return e;
    pl_audit(req, "round.second", "round", id, arena_printf(&req->arena, "from round:%lld",
                                                            (long long)r.id));
    http_json(req, 201, round_json(req, id));
    return ERR_OK;
}

/* --- the student's choices ------------------------------------------------------ */

enum err h_choices_mine(struct http_req *req)
{
    struct round_head r;
    json_t *round = round_json(req, req->params[0]);
    if (round == NULL || !round_load(app_db(req), req->params[0], &r)) {
        json_decref(round);
        return ERR_NOT_FOUND;
    }
    json_decref(round);
    struct db_stmt *st = db_prepare(
        app_db(req), "SELECT c.place, c.position_id, p.title, u.name AS unit_name, p.kind, "
                     "coalesce(g.name, '') AS city_name, x.seats, p.majors, p.min_level, s.major, "
                     "s.skill_level FROM round_choices c JOIN round_positions x ON x.round_id = "
                     "c.round_id AND x.position_id = c.position_id JOIN positions p ON p.id = "
                     "c.position_id JOIN units u ON u.id = p.unit_id JOIN students s ON s.id = "
                     "c.student_id LEFT JOIN regions g ON g.code = p.city WHERE c.round_id = $1 "
                     "AND c.student_id = $2 ORDER BY c.place");
    db_bind_int(st, 1, r.id);
    db_bind_int(st, 2, pl_my_student(req));
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *it = app_row_json(st, NULL);
        bool meets = pl_meets(db_col_text(st, 7), (int)db_col_int(st, 8), db_col_text(st, 9),
                              (int)db_col_int(st, 10));
        static const char *const drop[] = {"majors", "min_level", "major", "skill_level"};
        for (int i = 0; i < 4; i++)
            json_object_del(it, drop[i]);
        json_object_set_new(it, "meets", json_boolean(meets));
        json_array_append_new(items, it);
    }
    db_done(st);
    req->personal = true;
    http_json(req, 200, json_pack("{s:o, s:i}", "items", items, "max_choices", r.max_choices));
    return ERR_OK;
}

/* 409 when the student has choices in another round not yet closed, or
 * an accepted offer in a round this one follows. */
static enum err choices_allowed(struct http_req *req, const struct round_head *r, int64_t me)
{
    struct db_stmt *st = db_prepare(
        app_db(req), "SELECT r.name FROM round_choices c JOIN rounds r ON r.id = c.round_id "
                     "WHERE c.student_id = $1 AND c.round_id <> $2 AND r.status <> 'closed' "
                     "LIMIT 1");
    db_bind_int(st, 1, me);
    db_bind_int(st, 2, r->id);
    bool other = db_step(st) == DB_ROW;
    if (other)
        req->err_extra = json_pack("{s:s}", "round", db_col_text(st, 0));
    db_done(st);
    if (other)
        return http_fail(req, ERR_CONFLICT, "placement.in_other_round");
    st = db_prepare(app_db(req),
                    "WITH RECURSIVE chain(id) AS (SELECT parent_id FROM rounds WHERE id = $2 "
                    "UNION SELECT r.parent_id FROM rounds r JOIN chain ON r.id = chain.id) SELECT "
                    "count(*) FROM round_results t JOIN chain ON t.round_id = chain.id WHERE "
                    "t.student_id = $1 AND t.status = 'accepted'");
    db_bind_int(st, 1, me);
    db_bind_int(st, 2, r->id);
    if (db_scalar(st) > 0)
        return http_fail(req, ERR_CONFLICT, "placement.already_placed");
    return ERR_OK;
}

enum err h_choices_put(struct http_req *req)
{
    struct round_head r;
    enum err e = round_in(req, req->params[0], &r, s_open);
    if (e != ERR_OK)
        return e;
    int64_t me = pl_my_student(req);
    if (me == 0)
        return http_fail(req, ERR_NOT_FOUND, "placement.no_profile");
    if (time_now_ms() > r.choices_deadline)
        return http_fail(req, ERR_CONFLICT, "placement.deadline_passed");
    if ((e = choices_allowed(req, &r, me)) != ERR_OK)
        return e;
    struct db *db = app_db(req);
    json_t *ids = json_object_get(req->body, "positions"), *v, *seen = json_object();
    size_t i;
    if (json_array_size(ids) > (size_t)r.max_choices)
        http_field_error(req, "positions", "placement.too_many_choices");
    json_array_foreach(ids, i, v)
    {
        const char *field = arena_printf(&req->arena, "positions.%zu", i);
        char key[32];
        snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(v));
        struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM round_positions WHERE "
                                            "round_id = $1 AND position_id = $2");
        db_bind_int(st, 1, r.id);
        db_bind_int(st, 2, json_integer_value(v));
        if (!json_is_integer(v) || db_scalar(st) == 0)
            http_field_error(req, field, "placement.not_in_round");
        else if (json_object_get(seen, key))
            http_field_error(req, field, "placement.duplicate_choice");
        json_object_set_new(seen, key, json_true());
    }
    json_decref(seen);
    if (req->err_fields)
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db_stmt *st =
        db_prepare(db, "DELETE FROM round_choices WHERE round_id = $1 AND student_id = $2");
    db_bind_int(st, 1, r.id);
    db_bind_int(st, 2, me);
    if ((e = db_run(st)) != ERR_OK)
        return e;
    json_array_foreach(ids, i, v)
    {
        st = db_prepare(db, "INSERT INTO round_choices(round_id, student_id, place, position_id) "
                            "VALUES ($1, $2, $3, $4)");
        db_bind_int(st, 1, r.id);
        db_bind_int(st, 2, me);
        db_bind_int(st, 3, (int64_t)i);
        db_bind_int(st, 4, json_integer_value(v));
        if ((e = db_run(st)) != ERR_OK)
            return e;
    }
    pl_audit(req, "choices.submit", "round", r.id,
             arena_printf(&req->arena, "choices=%zu", json_array_size(ids)));
    return h_choices_mine(req);
}

/* --- enterprises: applicants, ranking, scores ------------------------------------ */
/* An enterprise never sees where a student placed it among her choices:
 * deferred acceptance makes truthful choices safe for students, and
 * keeping the order private keeps them from being pressed about it. */

/* The round position's rule when the round is in one of states and the
 * position is in it and the caller's; else an error. */
static enum err own_round_position(struct http_req *req, const char *const *states,
                                   struct round_head *r, char rule[8], struct score_rule *w)
{
    enum err e = round_in(req, req->params[0], r, states);
    if (e != ERR_OK)
        return e;
    if (!pl_position_mine(req, req->params[1]))
        return ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(app_db(req), "SELECT rule, w_level, w_awards, w_school, "
                                                 "w_interview FROM round_positions WHERE round_id "
                                                 "= $1 AND position_id = $2");
    db_bind_int(st, 1, r->id);
    db_bind_int(st, 2, req->params[1]);
    bool found = db_step(st) == DB_ROW;
    if (found) {
        snprintf(rule, 8, "%s", db_col_text(st, 0));
        *w = (struct score_rule){(int)db_col_int(st, 1), (int)db_col_int(st, 2),
                                 (int)db_col_int(st, 3), (int)db_col_int(st, 4)};
    }
    db_done(st);
    return found ? ERR_OK : ERR_NOT_FOUND;
}

enum err h_round_applicants(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    static const char *const states[] = {"open",      "ranking", "matched",
                                         "published", "closed",  NULL};
    static const char *const lines[] = {"certificates", "awards", NULL};
    struct round_head r;
    char rule[8];
    struct score_rule w;
    enum err e = own_round_position(req, states, &r, rule, &w);
    if (e != ERR_OK)
        return e;
    struct db_stmt *st = db_prepare(
        app_db(req),
        "SELECT c.student_id, s.name AS student_name, u.name AS school_name, s.major, s.year, "
        "s.skill_level, s.certificates, s.awards, s.award_points, s.school_score, "
        "k.interview_score, k.rank, p.majors, p.min_level FROM round_choices c JOIN "
        "students s ON s.id = c.student_id JOIN units u ON u.id = s.unit_id JOIN positions p ON "
        "p.id = c.position_id LEFT JOIN round_rankings k ON k.round_id = c.round_id AND "
        "k.position_id = c.position_id AND k.student_id = c.student_id WHERE c.round_id = $1 AND "
        "c.position_id = $2 ORDER BY k.rank IS NULL, k.rank, s.name, s.id");
    db_bind_int(st, 1, r.id);
    db_bind_int(st, 2, req->params[1]);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *it = app_row_json(st, NULL);
        int level = (int)db_col_int(st, 5);
        bool meets = pl_meets(db_col_text(st, 12), (int)db_col_int(st, 13), db_col_text(st, 3),
                              level);
        json_object_del(it, "majors");
        json_object_del(it, "min_level");
        json_object_set_new(it, "meets", json_boolean(meets));
        if (strcmp(rule, "score") == 0)
            json_object_set_new(it, "score",
                                json_real(pl_score(&w, level, (int)db_col_int(st, 8),
                                                   (int)db_col_int(st, 9), (int)db_col_int(st, 10))));
        json_array_append_new(items, it);
    }
    db_done(st);
    pl_lines_expand(items, lines);
    req->personal = true;
    http_json(req, 200, json_pack("{s:o, s:s}", "items", items, "rule", rule));
    return ERR_OK;
}

/* Checks that every entry of the array (at path field) names a distinct
 * applicant of the round position; key picks the id out of an object
 * entry (NULL: the entry is the id). */
static bool applicants_check(struct http_req *req, const struct round_head *r, json_t *list,
                             const char *field, const char *key)
{
    json_t *seen = json_object(), *v;
    size_t i;
    json_array_foreach(list, i, v)
    {
        json_t *idv = key ? json_object_get(v, key) : v;
        const char *f = arena_printf(&req->arena, "%s.%zu", field, i);
        char k[32];
        snprintf(k, sizeof(k), "%lld", (long long)json_integer_value(idv));
        struct db_stmt *st = db_prepare(app_db(req), "SELECT count(*) FROM round_choices WHERE "
                                                     "round_id = $1 AND position_id = $2 AND "
                                                     "student_id = $3");
        db_bind_int(st, 1, r->id);
        db_bind_int(st, 2, req->params[1]);
        db_bind_int(st, 3, json_integer_value(idv));
        if (!json_is_integer(idv) || db_scalar(st) == 0)
            http_field_error(req, f, "placement.not_applicant");
        else if (json_object_get(seen, k))
            http_field_error(req, f, "placement.duplicate_item");
        json_object_set_new(seen, k, json_true());
    }
    json_decref(seen);
    return req->err_fields == NULL;
}

enum err h_ranking_put(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    struct round_head r;
    char rule[8];
    struct score_rule w;
    enum err e = own_round_position(req, s_ranking, &r, rule, &w);
    if (e != ERR_OK)
        return e;
    if (strcmp(rule, "manual") != 0)
        return http_fail(req, ERR_CONFLICT, "placement.rule_is_score");
    json_t *list = json_object_get(req->body, "students"), *v;
    if (!applicants_check(req, &r, list, "students", NULL))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "UPDATE round_rankings SET rank = NULL WHERE round_id = "
                                        "$1 AND position_id = $2");
    db_bind_int(st, 1, r.id);
    db_bind_int(st, 2, req->params[1]);
    if ((e = db_run(st)) != ERR_OK)
        return e;
    size_t i;
    json_array_foreach(list, i, v)
    {
        st = db_prepare(db, "INSERT INTO round_rankings(round_id, position_id, student_id, rank) "
                            "VALUES ($1, $2, $3, $4) ON CONFLICT (round_id, position_id, "
                            "student_id) DO UPDATE SET rank = excluded.rank");
        db_bind_int(st, 1, r.id);
        db_bind_int(st, 2, req->params[1]);
        db_bind_int(st, 3, json_integer_value(v));
        db_bind_int(st, 4, (int64_t)i);
        if ((e = db_run(st)) != ERR_OK)
            return e;
    }
    pl_audit(req, "ranking.submit", "position", req->params[1],
             arena_printf(&req->arena, "round=%lld ranked=%zu", (long long)r.id,
                          json_array_size(list)));
    return h_round_applicants(req);
}

enum err h_scores_put(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    struct round_head r;
    char rule[8];
    struct score_rule w;
    enum err e = own_round_position(req, s_ranking, &r, rule, &w);
    if (e != ERR_OK)
        return e;
    json_t *list = json_object_get(req->body, "items"), *v;
    size_t i;
    if (applicants_check(req, &r, list, "items", "student_id")) {
        json_array_foreach(list, i, v)
        {
            json_t *s = json_object_get(v, "interview_score");
            if (s && !json_is_null(s) &&
                (!json_is_integer(s) || json_integer_value(s) < 0 || json_integer_value(s) > 100))
                http_field_error(req, arena_printf(&req->arena, "items.%zu", i), "out_of_range");
        }
    }
    if (req->err_fields)
        return http_fail(req, ERR_INVALID, "validation_failed");
    json_array_foreach(list, i, v)
    {
        struct db_stmt *st = db_prepare(
            app_db(req), "INSERT INTO round_rankings(round_id, position_id, student_id, "
                         "interview_score) VALUES ($1, $2, $3, $4) ON CONFLICT (round_id, "
                         "position_id, student_id) DO UPDATE SET interview_score = "
                         "excluded.interview_score");
        db_bind_int(st, 1, r.id);
        db_bind_int(st, 2, req->params[1]);
        db_bind_int(st, 3, json_integer_value(json_object_get(v, "student_id")));
        json_t *s = json_object_get(v, "interview_score");
        if (json_is_integer(s))
            db_bind_int(st, 4, json_integer_value(s));
        if ((e = db_run(st)) != ERR_OK)
            return e;
    }
    pl_audit(req, "scores.submit", "position", req->params[1],
             arena_printf(&req->arena, "round=%lld scores=%zu", (long long)r.id,
                          json_array_size(list)));
    return h_round_applicants(req);
}
