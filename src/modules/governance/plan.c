/*
 * plan.c - the yearly work plan (年度工作计划): tasks owned by units, with
 * deadlines, status, percentage and dated progress updates.
 *
 * The secretariat writes the tasks; the owner unit's administrator (or the
 * secretariat) reports progress. A task is overdue when its deadline has
 * passed and it is neither done nor cancelled.
 */
#include "modules/governance/internal.h"
#include "modules/app.h"
#include "modules/directory/directory.h"
#include "base/str.h"
#include "base/time.h"

#include <stdlib.h>
#include <string.h>

const char *const plan_statuses[] = {"planned", "in_progress", "done", "cancelled", NULL};

static const char *const plan_bools[] = {"overdue", NULL};

#define TASK_COLUMNS                                                                               \
    "t.id, t.year, t.title, t.owner_unit_id, u.name AS owner_unit_name, t.deadline, t.status, "    \
    "t.percent, (t.deadline < $9 AND t.status NOT IN ('done', 'cancelled')) AS overdue, "          \
    "t.created_at, t.updated_at "
#define TASK_FROM "FROM plan_tasks t JOIN units u ON u.id = t.owner_unit_id "
#define TASK_WHERE                                                                                 \
    "WHERE ($1 IS NULL OR t.year = $1) AND ($2 IS NULL OR t.owner_unit_id = $2) AND ($3 IS NULL "  \
    "OR t.status = $3) AND ($4 IS NULL OR (t.deadline < $9 AND t.status NOT IN ('done', "          \
    "'cancelled')) = $4) AND ($5 IS NULL OR instr(t.title, $5) > 0) "

static void bind_today(struct db_stmt *st)
{
    char today[16];
    time_date(time_now_ms(), today, sizeof(today));
    db_bind_text(st, 9, today, -1);
}

static bool bind_task_filters(struct http_req *req, struct db_stmt *st)
{
    static const char *const ints[] = {"year", "unit_id"};
    for (int i = 0; i < 2; i++) {
        const char *v = http_query_get(req, ints[i]);
        int64_t n;
        if (v && v[0] && !str_to_i64(v, strlen(v), 1, INT64_MAX, &n)) {
            http_field_error(req, ints[i], "must_be_integer");
            return false;
        }
        if (v && v[0])
            db_bind_int(st, i + 1, n);
    }
    const char *status = http_query_get(req, "status"), *overdue = http_query_get(req, "overdue");
    const char *q = http_query_get(req, "q");
    db_bind_text(st, 3, status && status[0] ? status : NULL, -1);
    if (overdue && overdue[0])
        db_bind_int(st, 4, strcmp(overdue, "true") == 0);
    db_bind_text(st, 5, q && q[0] ? q : NULL, -1);
    bind_today(st);
    return true;
}

enum err h_plan_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT count(*) " TASK_FROM TASK_WHERE);
    if (!bind_task_filters(req, st)) {
        db_done(st);
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    int64_t total = db_scalar(st);
    st = db_prepare(db, "SELECT " TASK_COLUMNS TASK_FROM TASK_WHERE
                        "ORDER BY t.deadline, t.id LIMIT $6 OFFSET $7");
    bind_task_filters(req, st);
    db_bind_int(st, 6, size);
    db_bind_int(st, 7, (page - 1) * size);
    http_list(req, app_rows_json(st, plan_bools), total, page, size);
    return ERR_OK;
}

static json_t *task_json(struct db *db, int64_t id)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT " TASK_COLUMNS ", t.detail " TASK_FROM "WHERE t.id = $1");
    db_bind_int(st, 1, id);
    bind_today(st);
    json_t *t = app_row_one(st, plan_bools);
    if (t == NULL)
        return NULL;
    st = db_prepare(db, "SELECT p.id, p.on_date, p.percent, p.note, coalesce(u.display_name, "
                        "u.username, '') AS by_name, p.created_at FROM plan_updates p LEFT JOIN "
                        "users u ON u.id = p.by_user WHERE p.task_id = $1 ORDER BY p.on_date "
                        "DESC, p.id DESC");
    db_bind_int(st, 1, id);
    json_object_set_new(t, "updates", app_rows_json(st, NULL));
    return t;
}

enum err h_plan_get(struct http_req *req)
{
    json_t *t = task_json(app_db(req), req->params[0]);
    if (t == NULL)
        return ERR_NOT_FOUND;
    http_json(req, 200, t);
    return ERR_OK;
}

static bool task_check(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t year = http_body_int(req, "year", 0), unit = http_body_int(req, "owner_unit_id", 0);
    if (json_object_get(req->body, "year") && (year < 2000 || year > 2100))
        http_field_error(req, "year", "out_of_range");
    if (json_object_get(req->body, "owner_unit_id")) {
        json_t *u = unit ? unit_load(db, unit) : NULL;
        if (u == NULL)
            http_field_error(req, "owner_unit_id", "unit_missing");
        json_decref(u);
    }
    return req->err_fields == NULL;
}

enum err h_plan_create(struct http_req *req)
{
    if (!task_check(req))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO plan_tasks(year, title, detail, owner_unit_id, deadline, created_at, "
            "updated_at) VALUES ($1, $2, coalesce($3, ''), $4, $5, $6, $6)");
    db_bind_int(st, 1, http_body_int(req, "year", 0));
    db_bind_text(st, 2, http_body_str(req, "title"), -1);
    db_bind_text(st, 3, http_body_str(req, "detail"), -1);
    db_bind_int(st, 4, http_body_int(req, "owner_unit_id", 0));
    db_bind_text(st, 5, http_body_str(req, "deadline"), -1);
    db_bind_int(st, 6, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    app_audit(req, "plan.create", arena_printf(&req->arena, "task:%lld", (long long)id), "ok",
              http_body_str(req, "title"));
    http_json(req, 201, task_json(db, id));
    return ERR_OK;
}

enum err h_plan_update(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    json_t *cur = task_json(db, id);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    json_decref(cur);
    if (!task_check(req))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db_stmt *st = db_prepare(
        db, "UPDATE plan_tasks SET title = coalesce($2, title), detail = coalesce($3, detail), "
            "owner_unit_id = coalesce($4, owner_unit_id), deadline = coalesce($5, deadline), "
            "status = coalesce($6, status), year = coalesce($7, year), updated_at = $8 WHERE id = "
            "$1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, http_body_str(req, "title"), -1);
    db_bind_text(st, 3, http_body_str(req, "detail"), -1);
    if (json_object_get(req->body, "owner_unit_id"))
        db_bind_int(st, 4, http_body_int(req, "owner_unit_id", 0));
    db_bind_text(st, 5, http_body_str(req, "deadline"), -1);
    db_bind_text(st, 6, http_body_str(req, "status"), -1);
    if (json_object_get(req->body, "year"))
        db_bind_int(st, 7, http_body_int(req, "year", 0));
    db_bind_int(st, 8, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "plan.update", arena_printf(&req->arena, "task:%lld", (long long)id), "ok", "");
    http_json(req, 200, task_json(db, id));
    return ERR_OK;
}

enum err h_plan_delete(struct http_req *req)
{
    struct db_stmt *st = db_prepare(app_db(req), "DELETE FROM plan_tasks WHERE id = $1");
    db_bind_int(st, 1, req->params[0]);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    if (db_changes(app_db(req)) == 0)
        return ERR_NOT_FOUND;
    app_audit(req, "plan.delete",
              arena_printf(&req->arena, "task:%lld", (long long)req->params[0]), "ok", "");
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

enum err h_plan_progress(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    struct db_stmt *st = db_prepare(db, "SELECT owner_unit_id FROM plan_tasks WHERE id = $1");
    db_bind_int(st, 1, id);
    int64_t owner = db_scalar(st);
    /* A unit_admin reports only on its own unit's tasks (SEC-B2). */
    if (owner == 0 || (!app_sees_all_units(req) && owner != req->who.unit_id))
        return ERR_NOT_FOUND;
    int64_t percent = http_body_int(req, "percent", -1);
    if (percent < 0 || percent > 100) {
        http_field_error(req, "percent", "out_of_range");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    st = db_prepare(db, "INSERT INTO plan_updates(task_id, on_date, percent, note, by_user, "
                        "created_at) VALUES ($1, $2, $3, $4, $5, $6)");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, http_body_str(req, "on_date"), -1);
    db_bind_int(st, 3, percent);
    db_bind_text(st, 4, http_body_str(req, "note"), -1);
    db_bind_int(st, 5, req->who.user_id);
    db_bind_int(st, 6, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    const char *status = http_body_str(req, "status");
    if (status == NULL)
        status = percent == 100 ? "done" : percent > 0 ? "in_progress" : NULL;
    st = db_prepare(db, "UPDATE plan_tasks SET percent = $2, status = coalesce($3, status), "
                        "updated_at = $4 WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, percent);
    db_bind_text(st, 3, status, -1);
    db_bind_int(st, 4, time_now_ms());
    if ((e = db_run(st)) != ERR_OK)
        return e;
    app_audit(req, "plan.progress", arena_printf(&req->arena, "task:%lld", (long long)id), "ok",
              arena_printf(&req->arena, "percent=%lld", (long long)percent));
    http_json(req, 201, task_json(db, id));
    return ERR_OK;
}

enum err h_plan_summary(struct http_req *req)
{
    const char *y = http_query_get(req, "year");
    int64_t year;
    if (y == NULL || !str_to_i64(y, strlen(y), 2000, 2100, &year)) {
        http_field_error(req, "year", "required");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    struct db_stmt *st = db_prepare(
        app_db(req),
        "SELECT t.owner_unit_id AS unit_id, u.name AS unit_name, count(*) AS tasks, "
        "sum(t.status = 'done') AS done, sum(t.deadline < $9 AND t.status NOT IN ('done', "
        "'cancelled')) AS overdue, CAST(round(avg(t.percent)) AS INTEGER) AS percent FROM "
        "plan_tasks t JOIN units u ON u.id = t.owner_unit_id WHERE t.year = $1 AND t.status <> "
        "'cancelled' GROUP BY t.owner_unit_id ORDER BY tasks DESC, u.name");
    db_bind_int(st, 1, year);
    bind_today(st);
    http_json(req, 200, json_pack("{s:I, s:o}", "year", (json_int_t)year, "units",
                                  app_rows_json(st, NULL)));
    return ERR_OK;
}
