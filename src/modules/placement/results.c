/*
 * results.c - what a run produced: all results (the secretariat), a
 * student's own result with plain reasons, an enterprise's placed
 * students, answers to offers, and the fairness report.
 *
 * Students and enterprises see results only once the round is published.
 */
#include "modules/placement/internal.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESULT_COLUMNS                                                                             \
    "t.student_id, s.name AS student_name, su.name AS school_name, s.major, t.position_id, "       \
    "p.title AS position_title, pu.name AS unit_name, t.place, t.status, t.answered_at"
#define RESULT_FROM                                                                                \
    "FROM round_results t JOIN students s ON s.id = t.student_id JOIN units su ON su.id = "        \
    "s.unit_id LEFT JOIN positions p ON p.id = t.position_id LEFT JOIN units pu ON pu.id = "       \
    "p.unit_id "

/* $1 round, $2 school, $3 position, $4 status. */
static bool bind_results(struct http_req *req, struct db_stmt *st, void *ctx)
{
    db_bind_int(st, 1, *(int64_t *)ctx);
    pl_bind_text_filter(req, st, 4, "status");
    return pl_bind_int_filter(req, st, 2, "school_id") &&
           pl_bind_int_filter(req, st, 3, "position_id");
}

enum err h_round_results(struct http_req *req)
{
    static const struct pl_list_spec spec = {
        RESULT_COLUMNS,
        RESULT_FROM "WHERE t.round_id = $1 AND ($2 IS NULL OR s.unit_id = $2) AND ($3 IS NULL OR "
                    "t.position_id = $3) AND ($4 IS NULL OR t.status = $4) ",
        "su.name, s.name, t.student_id",
        5,
        bind_results,
        NULL,
        NULL};
    struct round_head r;
    if (!round_load(app_db(req), req->params[0], &r))
        return ERR_NOT_FOUND;
    return pl_list(req, &spec, &r.id);
}

static const char *const zh_numbers[] = {"一", "二", "三", "四", "五", "六", "七",
                                         "八", "九", "十", "十一", "十二", "十三", "十四",
                                         "十五", "十六", "十七", "十八", "十九", "二十"};

/* One reason in words, e.g. 第一志愿 数控车工实习（某公司）的 5 个名额已由排名更高的学生获得. */
static char *reason_text(enum http_lang lang, json_t *w, const char *title, const char *unit)
{
    int place = (int)json_integer_value(json_object_get(w, "place"));
    int seats = (int)json_integer_value(json_object_get(w, "seats"));
    const char *reason = json_string_value(json_object_get(w, "reason"));
    char buf[512];
    if (lang == LANG_EN) {
        char tail[128];
        if (strcmp(reason, "full") == 0)
            snprintf(tail, sizeof(tail), "all %d seats went to students it ranked higher", seats);
        else if (strcmp(reason, "no_seats") == 0)
            snprintf(tail, sizeof(tail), "it had no seats in this round");
        else
            snprintf(tail, sizeof(tail), "it did not list you as acceptable");
        snprintf(buf, sizeof(buf), "Choice %d, %s (%s): %s", place + 1, title, unit, tail);
    } else {
        const char *n = place >= 0 && place < 20 ? zh_numbers[place] : "?";
        if (strcmp(reason, "full") == 0)
            snprintf(buf, sizeof(buf), "第%s志愿 %s（%s）的 %d 个名额已由排名更高的学生获得", n,
                     title, unit, seats);
        else if (strcmp(reason, "no_seats") == 0)
            snprintf(buf, sizeof(buf), "第%s志愿 %s（%s）本轮没有名额", n, title, unit);
        else
            snprintf(buf, sizeof(buf), "第%s志愿 %s（%s）未将你列入可录取名单", n, title, unit);
    }
    return strdup(buf);
}

/* Adds position_title, unit_name and text to each reason. */
static void explain(struct db *db, json_t *why, enum http_lang lang)
{
    size_t i;
    json_t *w;
    json_array_foreach(why, i, w)
    {
        struct db_stmt *st = db_prepare(db, "SELECT p.title, u.name FROM positions p JOIN units "
                                            "u ON u.id = p.unit_id WHERE p.id = $1");
        db_bind_int(st, 1, json_integer_value(json_object_get(w, "position_id")));
        if (db_step(st) == DB_ROW) {
            const char *title = db_col_text(st, 0), *unit = db_col_text(st, 1);
            char *text = reason_text(lang, w, title, unit);
            json_object_set_new(w, "position_title", json_string(title));
            json_object_set_new(w, "unit_name", json_string(unit));
            json_object_set_new(w, "text", json_string(text));
            free(text);
        }
        db_done(st);
    }
}

static bool visible_to_all(const struct round_head *r)
{
    return strcmp(r->status, "published") == 0 || strcmp(r->status, "closed") == 0;
}

enum err h_results_mine(struct http_req *req)
{
    struct db *db = app_db(req);
    struct round_head r;
    if (!round_load(db, req->params[0], &r) || !visible_to_all(&r))
        return ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(
        db, "SELECT t.position_id, p.title AS position_title, u.name AS unit_name, p.kind, "
            "coalesce(g.name, '') AS city_name, t.place, t.status, t.answered_at, t.explanation "
            "FROM round_results t LEFT JOIN positions p ON p.id = t.position_id LEFT JOIN units u "
            "ON u.id = p.unit_id LEFT JOIN regions g ON g.code = p.city WHERE t.round_id = $1 AND "
            "t.student_id = $2");
    db_bind_int(st, 1, r.id);
    db_bind_int(st, 2, pl_my_student(req));
    json_t *res = app_row_one(st, NULL);
    if (res == NULL)
        return ERR_NOT_FOUND;
    json_t *why = json_loads(json_string_value(json_object_get(res, "explanation")), 0, NULL);
    explain(db, why, req->lang);
    json_object_set_new(res, "explanation", why ? why : json_array());
    json_object_set_new(res, "answer_deadline", json_integer(r.answer_deadline));
    json_object_set_new(res, "seed", json_integer(r.seed));
    req->personal = true;
    http_json(req, 200, res);
    return ERR_OK;
}

enum err h_position_results(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    struct round_head r;
    if (!round_load(app_db(req), req->params[0], &r) || !visible_to_all(&r) ||
        !pl_position_mine(req, req->params[1]))
        return ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(app_db(req), "SELECT " RESULT_COLUMNS " " RESULT_FROM
                                                 "WHERE t.round_id = $1 AND t.position_id = $2 "
                                                 "ORDER BY s.name, t.student_id");
    db_bind_int(st, 1, r.id);
    db_bind_int(st, 2, req->params[1]);
    json_t *items = app_rows_json(st, NULL), *it;
    size_t i;
    json_array_foreach(items, i, it) json_object_del(it, "place"); /* her order stays hers */
    req->personal = true;
    http_json(req, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

static enum err answer(struct http_req *req, const char *status, const char *action)
{
    struct db *db = app_db(req);
    struct round_head r;
    if (!round_load(db, req->params[0], &r) || !visible_to_all(&r))
        return ERR_NOT_FOUND;
    if (strcmp(r.status, "published") != 0 || time_now_ms() > r.answer_deadline)
        return http_fail(req, ERR_CONFLICT, "placement.answer_closed");
    int64_t me = pl_my_student(req);
    struct db_stmt *st = db_prepare(db, "UPDATE round_results SET status = $3, answered_at = $4 "
                                        "WHERE round_id = $1 AND student_id = $2 AND status = "
                                        "'offered'");
    db_bind_int(st, 1, r.id);
    db_bind_int(st, 2, me);
    db_bind_text(st, 3, status, -1);
    db_bind_int(st, 4, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    if (db_changes(db) == 0)
        return http_fail(req, ERR_CONFLICT, "placement.no_offer");
    pl_audit(req, action, "round", r.id, NULL);
    return h_results_mine(req);
}

enum err h_result_accept(struct http_req *req)
{
    return answer(req, "accepted", "result.accept");
}

enum err h_result_decline(struct http_req *req)
{
    return answer(req, "declined", "result.decline");
}

/* --- fairness ------------------------------------------------------------------ */

static double rate(int64_t part, int64_t whole)
{
    return whole > 0 ? (double)part / (double)whole : 0.0;
}

static json_t *fairness_row(struct db_stmt *st)
{
    int64_t students = db_col_int(st, 2), placed = db_col_int(st, 3), first = db_col_int(st, 4);
    return json_pack("{s:s, s:s, s:I, s:I, s:f, s:I, s:f}", "key", db_col_text(st, 0), "name",
                     db_col_text(st, 1), "students", (json_int_t)students, "placed",
                     (json_int_t)placed, "placement_rate", rate(placed, students), "first_choice",
                     (json_int_t)first, "first_choice_rate", rate(first, students));
}

enum err h_round_fairness(struct http_req *req)
{
    static const char *const groups[][2] = {
        {"school", "CAST(s.unit_id AS TEXT), su.name"},
        {"city", "su.city, coalesce(g.name, su.city)"},
        {"major", "s.major, s.major"},
    };
    const char *by = http_query_get(req, "by");
    const char *cols = groups[0][1];
    for (int i = 0; i < 3; i++)
        if (by && strcmp(by, groups[i][0]) == 0)
            cols = groups[i][1];
    struct round_head r;
    if (!round_load(app_db(req), req->params[0], &r))
        return ERR_NOT_FOUND;
    const char *from = "FROM round_results t JOIN students s ON s.id = t.student_id JOIN units su "
                       "ON su.id = s.unit_id LEFT JOIN regions g ON g.code = su.city WHERE "
                       "t.round_id = $1";
    const char *counts = "count(*), sum(t.position_id IS NOT NULL), sum(t.place = 0)";
    struct db_stmt *st = db_prepare(
        app_db(req), arena_printf(&req->arena, "SELECT %s, %s %s GROUP BY 1 ORDER BY 3 DESC, 2",
                                  cols, counts, from));
    db_bind_int(st, 1, r.id);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, fairness_row(st));
    db_done(st);
    st = db_prepare(app_db(req),
                    arena_printf(&req->arena, "SELECT '', '', %s %s", counts, from));
    db_bind_int(st, 1, r.id);
    json_t *total = db_step(st) == DB_ROW ? fairness_row(st) : json_object();
    db_done(st);
    json_object_del(total, "key");
    json_object_del(total, "name");
    http_json(req, 200, json_pack("{s:o, s:o}", "items", items, "total", total));
    return ERR_OK;
}
