/*
 * applications.c - applying to a published position outside the rounds:
 * the student applies or withdraws, the enterprise accepts or declines.
 *
 * A student sees only her own applications; a recruiter only those to
 * her enterprise's positions (SECURITY.md B3).
 */
#include "modules/placement/internal.h"
#include "base/time.h"

#include <string.h>

#define MY_COLUMNS                                                                                 \
    "a.id, a.position_id, p.title AS position_title, u.name AS unit_name, p.kind, a.status, "      \
    "a.note, a.comment, a.created_at, a.decided_at"
#define MY_FROM                                                                                    \
    "FROM job_applications a JOIN positions p ON p.id = a.position_id JOIN units u ON u.id = "     \
    "p.unit_id WHERE a.student_id = $1 AND ($2 IS NULL OR a.status = $2) "

/* $1 the student (or the position), $2 a status filter. */
static bool bind_mine(struct http_req *req, struct db_stmt *st, void *ctx)
{
    db_bind_int(st, 1, *(int64_t *)ctx);
    const char *status = http_query_get(req, "status");
    db_bind_text(st, 2, status && status[0] ? status : NULL, -1);
    return true;
}

enum err h_my_applications(struct http_req *req)
{
    static const struct pl_list_spec spec = {MY_COLUMNS, MY_FROM, "a.created_at DESC, a.id DESC",
                                             3, bind_mine, NULL, NULL};
    int64_t me = pl_my_student(req);
    return pl_list(req, &spec, &me);
}

static json_t *application_json(struct db *db, int64_t id)
{
    struct db_stmt *st = db_prepare(db, "SELECT " MY_COLUMNS " FROM job_applications a JOIN "
                                        "positions p ON p.id = a.position_id JOIN units u ON "
                                        "u.id = p.unit_id WHERE a.id = $1");
    db_bind_int(st, 1, id);
    json_t *a = app_row_one(st, NULL);
    return a;
}

enum err h_position_apply(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t me = pl_my_student(req), position = req->params[0];
    if (me == 0)
        return http_fail(req, ERR_NOT_FOUND, "placement.no_profile");
    struct db_stmt *st = db_prepare(db, "SELECT status FROM positions WHERE id = $1");
    db_bind_int(st, 1, position);
    bool published = db_step(st) == DB_ROW && strcmp(db_col_text(st, 0), "published") == 0;
    db_done(st);
    if (!published)
        return ERR_NOT_FOUND;
    /* A withdrawn application may be renewed; any other answers 409. */
    st = db_prepare(db, "INSERT INTO job_applications(position_id, student_id, note, created_at) "
                        "VALUES ($1, $2, coalesce($3, ''), $4) ON CONFLICT (position_id, "
                        "student_id) DO UPDATE SET status = 'applied', note = excluded.note, "
                        "comment = '', created_at = excluded.created_at, decided_at = NULL "
                        "WHERE status = 'withdrawn'");
    db_bind_int(st, 1, position);
    db_bind_int(st, 2, me);
    db_bind_text(st, 3, http_body_str(req, "note"), -1);
    db_bind_int(st, 4, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    if (db_changes(db) == 0)
        return http_fail(req, ERR_CONFLICT, "placement.already_applied");
    st = db_prepare(db, "SELECT id FROM job_applications WHERE position_id = $1 AND student_id = "
                        "$2");
    db_bind_int(st, 1, position);
    db_bind_int(st, 2, me);
    int64_t id = db_scalar(st);
    pl_audit(req, "application.create", "application", id, NULL);
    req->personal = true;
    http_json(req, 201, application_json(db, id));
    return ERR_OK;
}

/* Moves application id from 'applied' to status when the caller may:
 * mine (the student's own) or the enterprise's. */
static enum err application_step(struct http_req *req, bool as_student, const char *status,
                                 const char *action)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    struct db_stmt *st = db_prepare(db, "SELECT a.student_id, a.position_id, a.status FROM "
                                        "job_applications a WHERE a.id = $1");
    db_bind_int(st, 1, id);
    int64_t student = 0, position = 0;
    bool applied = false;
    if (db_step(st) == DB_ROW) {
        student = db_col_int(st, 0);
        position = db_col_int(st, 1);
        applied = strcmp(db_col_text(st, 2), "applied") == 0;
    }
    db_done(st);
    bool mine = as_student ? student != 0 && student == pl_my_student(req)
                           : position != 0 && pl_position_mine(req, position);
    if (!mine)
        return ERR_NOT_FOUND;
    if (!applied)
        return http_fail(req, ERR_CONFLICT, "placement.application_state");
    st = db_prepare(db, "UPDATE job_applications SET status = $2, comment = coalesce($3, "
                        "comment), decided_at = $4 WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, status, -1);
    db_bind_text(st, 3, as_student ? NULL : http_body_str(req, "comment"), -1);
    db_bind_int(st, 4, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    pl_audit(req, action, "application", id, NULL);
    req->personal = true;
    http_json(req, 200, application_json(db, id));
    return ERR_OK;
}

enum err h_application_withdraw(struct http_req *req)
{
    return application_step(req, true, "withdrawn", "application.withdraw");
}

enum err h_application_accept(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    return application_step(req, false, "accepted", "application.accept");
}

enum err h_application_decline(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    return application_step(req, false, "declined", "application.decline");
}

/* Who applied to an own position. */
#define APPLICANT_COLUMNS                                                                          \
    "a.id, a.student_id, s.name AS student_name, u.name AS school_name, s.major, s.year, "         \
    "s.skill_level, s.certificates, s.awards, s.award_points, s.school_score, a.note, a.status, "  \
    "a.comment, a.created_at, a.decided_at"
#define APPLICANT_FROM                                                                             \
    "FROM job_applications a JOIN students s ON s.id = a.student_id JOIN units u ON u.id = "       \
    "s.unit_id WHERE a.position_id = $1 AND ($2 IS NULL OR a.status = $2) "

enum err h_position_applications(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    static const char *const lines[] = {"certificates", "awards", NULL};
    static const struct pl_list_spec spec = {APPLICANT_COLUMNS, APPLICANT_FROM,
                                             "a.created_at, a.id", 3, bind_mine, NULL,
                                             lines};
    int64_t position = req->params[0];
    if (!pl_position_mine(req, position))
        return ERR_NOT_FOUND;
    return pl_list(req, &spec, &position);
}
