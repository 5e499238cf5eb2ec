/*
 * attendees.c - who is invited to a meeting, check-in and proxies.
 *
 * The secretariat invites units or persons (one by one or a whole body at
 * once) and checks them in; an attendee checks itself in with the
 * meeting's code. An absent voting attendee may give its vote to one that
 * is present, within the charter's max_proxies (src/lib/votes.c checks).
 */
#include "modules/governance/internal.h"
#include "modules/app.h"
#include "base/alloc.h"
#include "base/time.h"

#include <stdlib.h>
#include <string.h>

#define ATTENDEE_SELECT                                                                            \
    "SELECT a.id, a.meeting_id, a.unit_id, u.name AS unit_name, a.person_id, p.name AS "           \
    "person_name, a.representative, a.voting, a.checked_in_at, a.proxy_to, coalesce(hu.name, "     \
    "hp.name) AS proxy_to_name FROM attendees a LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN "  \
    "people p ON p.id = a.person_id LEFT JOIN attendees h ON h.id = a.proxy_to LEFT JOIN units "   \
    "hu ON hu.id = h.unit_id LEFT JOIN people hp ON hp.id = h.person_id "
#define ATTENDEE_WHERE                                                                             \
    "WHERE a.meeting_id = $1 AND ($2 IS NULL OR instr(u.name, $2) > 0 OR instr(p.name, $2) > 0 "   \
    "OR instr(a.representative, $2) > 0) AND ($3 IS NULL OR (a.checked_in_at IS NOT NULL) = $3) "

static const char *const attendee_bools[] = {"voting", NULL};

static void bind_attendee_filters(struct http_req *req, struct db_stmt *st)
{
    db_bind_int(st, 1, req->params[0]);
    const char *q = http_query_get(req, "q"), *in = http_query_get(req, "checked_in");
    db_bind_text(st, 2, q && q[0] ? q : NULL, -1);
    if (in && in[0])
        db_bind_int(st, 3, strcmp(in, "true") == 0);
}

static bool meeting_found(struct db *db, int64_t id)
{
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM meetings WHERE id = $1");
    db_bind_int(st, 1, id);
    return db_scalar(st) > 0;
}

/* One attendee as JSON with the ids of those it holds proxies for. */
static json_t *attendee_json(struct db *db, int64_t meeting, int64_t id)
{
    struct db_stmt *st = db_prepare(db, ATTENDEE_SELECT "WHERE a.meeting_id = $1 AND a.id = $2");
    if (st == NULL)
        return NULL;
    db_bind_int(st, 1, meeting);
    db_bind_int(st, 2, id);
    json_t *a = NULL;
    if (db_step(st) == DB_ROW)
        a = app_row_json(st, attendee_bools);
    db_done(st);
    if (a == NULL)
        return NULL;
    st = db_prepare(db, "SELECT id FROM attendees WHERE proxy_to = $1 ORDER BY id");
    db_bind_int(st, 1, id);
    json_t *holds = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(holds, json_integer(db_col_int(st, 0)));
    db_done(st);
    json_object_set_new(a, "holds", holds);
    return a;
}

enum err h_attendees_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    if (!meeting_found(db, req->params[0]))
        return ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM attendees a LEFT JOIN units u ON "
                                        "u.id = a.unit_id LEFT JOIN people p ON p.id = "
                                        "a.person_id " ATTENDEE_WHERE);
    if (st == NULL)
        return ERR_INTERNAL;
    bind_attendee_filters(req, st);
    int64_t total = db_scalar(st);
    st = db_prepare(db, ATTENDEE_SELECT ATTENDEE_WHERE "ORDER BY a.id LIMIT $4 OFFSET $5");
    if (st == NULL)
        return ERR_INTERNAL;
    bind_attendee_filters(req, st);
    db_bind_int(st, 4, size);
    db_bind_int(st, 5, (page - 1) * size);
    json_t *items = app_rows_json(st, attendee_bools);
    size_t i;
    json_t *a;
    json_array_foreach (items, i, a) {
        struct db_stmt *h = db_prepare(db, "SELECT id FROM attendees WHERE proxy_to = $1");
        db_bind_int(h, 1, json_integer_value(json_object_get(a, "id")));
        json_t *holds = json_array();
        while (db_step(h) == DB_ROW)
            json_array_append_new(holds, json_integer(db_col_int(h, 0)));
        db_done(h);
        json_object_set_new(a, "holds", holds);
    }
    http_list(req, items, total, page, size);
    return ERR_OK;
}

/* Invites a whole body: all active member units, the current council's
 * units, or the current expert committee's persons. Returns how many were
 * added (those already invited are skipped). */
static enum err invite_scope(struct http_req *req, int64_t meeting, const char *scope)
{
    struct db *db = app_db(req);
    const char *sql = NULL;
    if (strcmp(scope, "members") == 0)
        sql = "INSERT OR IGNORE INTO attendees(meeting_id, unit_id) SELECT $1, id FROM units "
              "WHERE status = 'active' ORDER BY id";
    else if (strcmp(scope, "council") == 0)
        sql = "INSERT OR IGNORE INTO attendees(meeting_id, unit_id, representative) SELECT $1, "
              "a.unit_id, min(a.holder_name) FROM appointments a WHERE a.term_id = $2 AND "
              "a.unit_id IS NOT NULL AND a.ended_on IS NULL GROUP BY a.unit_id ORDER BY a.unit_id";
    else
        sql = "INSERT OR IGNORE INTO attendees(meeting_id, person_id) SELECT DISTINCT $1, "
              "a.person_id FROM appointments a WHERE a.term_id = $2 AND a.person_id IS NOT NULL "
              "AND a.ended_on IS NULL ORDER BY a.person_id";
    struct db_stmt *st = db_prepare(db, sql);
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, meeting);
    if (strcmp(scope, "members") != 0) {
        int64_t term = term_current(db, strcmp(scope, "council") == 0 ? "council"
                                                                      : "expert_committee");
        if (term == 0) {
            db_done(st);
            http_field_error(req, "scope", "no_current_term");
            return http_fail(req, ERR_INVALID, "validation_failed");
        }
        db_bind_int(st, 2, term);
    }
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    int64_t added = db_changes(db);
    app_audit(req, "meeting.invite",
              arena_printf(&req->arena, "meeting:%lld", (long long)meeting), "ok",
              arena_printf(&req->arena, "scope=%s added=%lld", scope, (long long)added));
    http_json(req, 201, json_pack("{s:I}", "added", (json_int_t)added));
    return ERR_OK;
}

enum err h_attendees_add(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t meeting = req->params[0];
    if (!meeting_found(db, meeting))
        return ERR_NOT_FOUND;
    const char *scope = http_body_str(req, "scope");
    int64_t unit = http_body_int(req, "unit_id", 0), person = http_body_int(req, "person_id", 0);
    if (scope)
        return invite_scope(req, meeting, scope);
    if ((unit == 0) == (person == 0)) {
        http_field_error(req, unit ? "person_id" : "unit_id", "unit_or_person");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    struct db_stmt *st = db_prepare(
        db, unit ? "SELECT count(*) FROM units WHERE id = $1" : "SELECT count(*) FROM people "
                                                                "WHERE id = $1");
    db_bind_int(st, 1, unit ? unit : person);
    if (db_scalar(st) == 0) {
        http_field_error(req, unit ? "unit_id" : "person_id", unit ? "unit_missing" : "person_missing");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    json_t *v = json_object_get(req->body, "voting");
    st = db_prepare(db, "INSERT INTO attendees(meeting_id, unit_id, person_id, representative, "
                        "voting) VALUES ($1, $2, $3, coalesce($4, ''), $5)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, meeting);
    if (unit)
        db_bind_int(st, 2, unit);
    if (person)
        db_bind_int(st, 3, person);
    db_bind_text(st, 4, http_body_str(req, "representative"), -1);
    db_bind_int(st, 5, v == NULL || json_is_true(v));
    enum err e = db_run(st);
    if (e == ERR_CONFLICT)
        return http_fail(req, ERR_CONFLICT, "already_invited");
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    app_audit(req, "meeting.invite", arena_printf(&req->arena, "meeting:%lld", (long long)meeting),
              "ok", arena_printf(&req->arena, "attendee=%lld", (long long)id));
    http_json(req, 201, attendee_json(db, meeting, id));
    return ERR_OK;
}

/* Has the attendee voted on any motion (open or secret ballot)? */
static bool attendee_voted(struct db *db, int64_t id)
{
    struct db_stmt *st = db_prepare(db, "SELECT (SELECT count(*) FROM ballots WHERE attendee_id "
                                        "= $1) + (SELECT count(*) FROM secret_receipts WHERE "
                                        "attendee_id = $1)");
    db_bind_int(st, 1, id);
    return db_scalar(st) > 0;
}

static bool attendee_of(struct db *db, int64_t meeting, int64_t id)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM attendees WHERE id = $2 AND meeting_id = $1");
    db_bind_int(st, 1, meeting);
    db_bind_int(st, 2, id);
    return db_scalar(st) > 0;
}

enum err h_attendees_delete(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t meeting = req->params[0], id = req->params[1];
    if (!attendee_of(db, meeting, id))
        return ERR_NOT_FOUND;
    if (attendee_voted(db, id))
        return http_fail(req, ERR_CONFLICT, "attendee_voted");
    struct db_stmt *st = db_prepare(db, "UPDATE attendees SET proxy_to = NULL WHERE proxy_to = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    st = db_prepare(db, "DELETE FROM attendees WHERE id = $1");
    db_bind_int(st, 1, id);
    if ((e = db_run(st)) != ERR_OK)
        return e;
    app_audit(req, "meeting.uninvite", arena_printf(&req->arena, "meeting:%lld", (long long)meeting),
              "ok", arena_printf(&req->arena, "attendee=%lld", (long long)id));
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

static enum err check_in(struct http_req *req, int64_t meeting, int64_t id, const char *how)
{
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "UPDATE attendees SET checked_in_at = $2, checked_in_by "
                                        "= $3 WHERE id = $1 AND checked_in_at IS NULL");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, time_now_ms());
    db_bind_int(st, 3, req->who.user_id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    if (db_changes(db) > 0)
        app_audit(req, "meeting.check_in",
                  arena_printf(&req->arena, "meeting:%lld", (long long)meeting), "ok",
                  arena_printf(&req->arena, "attendee=%lld by=%s", (long long)id, how));
    http_json(req, 200, attendee_json(db, meeting, id));
    return ERR_OK;
}

enum err h_checkin_by_admin(struct http_req *req)
{
    if (!attendee_of(app_db(req), req->params[0], req->params[1]))
        return ERR_NOT_FOUND;
    return check_in(req, req->params[0], req->params[1], "secretariat");
}

enum err h_checkin_undo(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t meeting = req->params[0], id = req->params[1];
    if (!attendee_of(db, meeting, id))
        return ERR_NOT_FOUND;
    if (attendee_voted(db, id))
        return http_fail(req, ERR_CONFLICT, "attendee_voted");
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM attendees WHERE proxy_to = $1");
    db_bind_int(st, 1, id);
    if (db_scalar(st) > 0)
        return http_fail(req, ERR_CONFLICT, "holds_proxies");
    st = db_prepare(db, "UPDATE attendees SET checked_in_at = NULL, checked_in_by = NULL WHERE "
                        "id = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "meeting.check_in_undo",
              arena_printf(&req->arena, "meeting:%lld", (long long)meeting), "ok",
              arena_printf(&req->arena, "attendee=%lld", (long long)id));
    http_json(req, 200, attendee_json(db, meeting, id));
    return ERR_OK;
}

enum err h_checkin_self(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t meeting = req->params[0];
    struct db_stmt *st = db_prepare(db, "SELECT checkin_code, status FROM meetings WHERE id = $1");
    db_bind_int(st, 1, meeting);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return ERR_NOT_FOUND;
    }
    const char *code = http_body_str(req, "code");
    bool right = strcasecmp(code, db_col_text(st, 0)) == 0;
    bool closed = strcmp(db_col_text(st, 1), "closed") == 0;
    db_done(st);
    int64_t ids[1], own;
    caller_attendees(req, meeting, ids, 1, &own);
    if (own == 0)
        return ERR_NOT_FOUND; /* not invited */
    if (closed)
        return http_fail(req, ERR_CONFLICT, "meeting_closed");
    if (!right) {
        app_audit(req, "meeting.check_in",
                  arena_printf(&req->arena, "meeting:%lld", (long long)meeting), "denied",
                  "wrong code");
        http_field_error(req, "code", "checkin_code_wrong");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    return check_in(req, meeting, own, "self");
}

/* Would the proxy from -> to keep every proxy of the meeting valid?
 * Returns NULL or the i18n key of the rule broken. */
static const char *proxy_rule(struct db *db, int64_t meeting, int64_t from, int64_t to)
{
    if (from == to)
        return "proxy_self";
    struct attendance a;
    static const char *const keys[] = {NULL, "proxy_unknown", "proxy_absent", "proxy_chain",
                                       "proxy_too_many"};
    return keys[attendance_eval(db, meeting, from, to, &a)];
}

static enum err set_proxy(struct http_req *req, int64_t meeting, int64_t id)
{
    struct db *db = app_db(req);
    int64_t to = http_body_int(req, "to", 0);
    if (attendee_voted(db, id))
        return http_fail(req, ERR_CONFLICT, "attendee_voted");
    if (to != 0) {
        const char *why = attendee_of(db, meeting, to) ? proxy_rule(db, meeting, id, to)
                                                       : "proxy_unknown";
        if (why != NULL) {
            http_field_error(req, "to", why);
            return http_fail(req, ERR_INVALID, "validation_failed");
        }
    }
    struct db_stmt *st = db_prepare(db, "UPDATE attendees SET proxy_to = $2 WHERE id = $1");
    db_bind_int(st, 1, id);
    if (to)
        db_bind_int(st, 2, to);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "meeting.proxy", arena_printf(&req->arena, "meeting:%lld", (long long)meeting),
              "ok", arena_printf(&req->arena, "attendee=%lld to=%lld", (long long)id, (long long)to));
    http_json(req, 200, attendee_json(db, meeting, id));
    return ERR_OK;
}

enum err h_proxy(struct http_req *req)
{
    if (!attendee_of(app_db(req), req->params[0], req->params[1]))
        return ERR_NOT_FOUND;
    return set_proxy(req, req->params[0], req->params[1]);
}

enum err h_proxy_own(struct http_req *req)
{
    int64_t ids[1], own;
    caller_attendees(req, req->params[0], ids, 1, &own);
    if (own == 0)
        return ERR_NOT_FOUND; /* not invited */
    return set_proxy(req, req->params[0], own);
}
