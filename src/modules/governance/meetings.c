/*
 * meetings.c - meetings, their agenda, attendees, check-in and proxies.
 *
 * A meeting invites units (voting through their representative) or persons
 * (members of a body). Attendees check in by the secretariat's hand or by
 * themselves with the meeting's code; an absent attendee may give its vote
 * to one present (docs/governance.md). Who is present, and whether the
 * meeting is quorate, is computed by src/lib/votes.c from the stored rows.
 */
#include "modules/governance/internal.h"
#include "modules/app.h"
#include "modules/files.h"
#include "base/alloc.h"
#include "base/log.h"
#include "base/str.h"
#include "base/time.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const meeting_kinds[] = {"preparatory", "general_assembly", "council", "chair_office",
                                     NULL};
const char *const meeting_statuses[] = {"planned", "open", "closed", NULL};

/* --- attendance ---------------------------------------------------------- */

#define MAX_ATTENDEES 5000

enum vote_proxy_error attendance_eval(struct db *db, int64_t meeting, int64_t from, int64_t to,
                                      struct attendance *out)
{
    out->members = out->present = 0;
    struct db_stmt *st = db_prepare(db, "SELECT id, checked_in_at IS NOT NULL, CASE WHEN id = $2 "
                                        "THEN $3 ELSE proxy_to END FROM attendees WHERE "
                                        "meeting_id = $1 AND voting = 1 ORDER BY id LIMIT 5000");
    if (st == NULL)
        return VOTE_PROXY_UNKNOWN;
    db_bind_int(st, 1, meeting);
    db_bind_int(st, 2, from);
    if (to)
        db_bind_int(st, 3, to);
    int64_t *ids = xcalloc(MAX_ATTENDEES, sizeof(*ids));
    int64_t *proxy = xcalloc(MAX_ATTENDEES, sizeof(*proxy));
    struct vote_member *m = xcalloc(MAX_ATTENDEES, sizeof(*m));
    size_t n = 0;
    while (n < MAX_ATTENDEES && db_step(st) == DB_ROW) {
        ids[n] = db_col_int(st, 0);
        m[n].present = db_col_int(st, 1) != 0;
        proxy[n] = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
        n++;
    }
    db_done(st);
    /* ids are sorted: find each proxy holder's index by bisection; a
     * holder that is not a voting attendee gets index n (unknown). */
    for (size_t i = 0; i < n; i++) {
        m[i].proxy_to = -1;
        if (proxy[i] == 0)
            continue;
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (ids[mid] < proxy[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        m[i].proxy_to = lo < n && ids[lo] == proxy[i] ? (int)lo : (int)n;
    }
    int present = 0, max = (int)db_scalar(db_prepare(db, "SELECT max_proxies FROM alliance"));
    size_t bad = 0;
    enum vote_proxy_error e = vote_attendance(m, n, max > 0 ? max : 1, &present, &bad);
    if (e != VOTE_PROXY_OK) {
        present = 0;
        for (size_t i = 0; i < n; i++)
            present += m[i].present;
    }
    out->members = (int)n;
    out->present = present;
    free(ids);
    free(proxy);
    free(m);
    return e;
}

enum err meeting_attendance(struct db *db, int64_t meeting, struct attendance *out)
{
    /* Proxies are checked when given; should one become invalid later,
     * only those present in person count. */
    (void)attendance_eval(db, meeting, 0, 0, out);
    return ERR_OK;
}

json_t *meeting_quorum_json(struct db *db, int64_t meeting)
{
    struct attendance a;
    struct vote_rule q;
    if (meeting_attendance(db, meeting, &a) != ERR_OK || !rule_load(db, "quorum", &q))
        return json_null();
    struct vote_counts c = {a.members, a.present, 0, 0, 0};
    char text[64];
    vote_rule_text(&q, text, sizeof(text));
    return json_pack("{s:i, s:i, s:b, s:I, s:s}", "members", a.members, "present", a.present,
                     "quorate", vote_quorate(&q, a.members, a.present), "needed",
                     (json_int_t)vote_needed(&q, &c), "rule", text);
}

/* The person a user stands for, or 0. */
static int64_t user_person(struct db *db, int64_t user)
{
    struct db_stmt *st = db_prepare(db, "SELECT coalesce(person_id, 0) FROM users WHERE id = $1");
    if (st == NULL)
        return 0;
    db_bind_int(st, 1, user);
    return db_scalar(st);
}

/* The caller's own attendee at a meeting, or 0. */
static int64_t own_attendee(struct http_req *req, int64_t meeting)
{
    struct db *db = app_db(req);
    int64_t person = user_person(db, req->who.user_id);
    struct db_stmt *st = db_prepare(
        db, "SELECT id FROM attendees WHERE meeting_id = $1 AND ((unit_id = $2 AND $4 = 1) OR "
            "person_id = $3) ORDER BY person_id IS NULL LIMIT 1");
    if (st == NULL)
        return 0;
    db_bind_int(st, 1, meeting);
    db_bind_int(st, 2, req->who.unit_id);
    db_bind_int(st, 3, person ? person : -1);
    db_bind_int(st, 4, app_role_unit_scoped(req->who.role) && req->who.unit_id ? 1 : 0);
    return db_scalar(st);
}

int caller_attendees(struct http_req *req, int64_t meeting, int64_t *ids, int cap, int64_t *own)
{
    *own = own_attendee(req, meeting);
    if (*own == 0 || cap < 1)
        return 0;
    int n = 0;
    ids[n++] = *own;
    struct db_stmt *st = db_prepare(app_db(req), "SELECT id FROM attendees WHERE proxy_to = $1 "
                                                 "AND checked_in_at IS NULL AND voting = 1 "
                                                 "ORDER BY id");
    if (st == NULL)
        return n;
    db_bind_int(st, 1, *own);
    while (n < cap && db_step(st) == DB_ROW)
        ids[n++] = db_col_int(st, 0);
    db_done(st);
    return n;
}

/* --- meetings ------------------------------------------------------------ */

static bool meeting_exists(struct db *db, int64_t id, char status[16])
{
    struct db_stmt *st = db_prepare(db, "SELECT status FROM meetings WHERE id = $1");
    if (st == NULL)
        return false;
    db_bind_int(st, 1, id);
    bool ok = db_step(st) == DB_ROW;
    if (ok && status)
        snprintf(status, 16, "%s", db_col_text(st, 0));
    db_done(st);
    return ok;
}

/* 'YYYY-MM-DD HH:MM' with a real date and time, or "" when allowed. */
static bool datetime_valid(const char *s)
{
    if (s == NULL || strlen(s) != 16 || s[10] != ' ' || s[13] != ':')
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!str_date_valid(date))
        return false;
    int h = (s[11] - '0') * 10 + (s[12] - '0'), m = (s[14] - '0') * 10 + (s[15] - '0');
    for (int i = 11; i < 16; i++)
        if (i != 13 && (s[i] < '0' || s[i] > '9'))
            return false;
    return h < 24 && m < 60;
}

static bool meeting_check(struct http_req *req)
{
    const char *starts = http_body_str(req, "starts_at"), *ends = http_body_str(req, "ends_at");
    const char *url = http_body_str(req, "online_url");
    if (starts && !datetime_valid(starts))
        http_field_error(req, "starts_at", "datetime_invalid");
    if (ends && ends[0] && !datetime_valid(ends))
        http_field_error(req, "ends_at", "datetime_invalid");
    if (starts && ends && ends[0] && datetime_valid(starts) && strcmp(ends, starts) < 0)
        http_field_error(req, "ends_at", "ends_before_start");
    if (url && url[0] && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        http_field_error(req, "online_url", "url_invalid");
    return req->err_fields == NULL;
}

#define MEETING_LIST_WHERE                                                                         \
    "WHERE ($1 IS NULL OR m.kind = $1) AND ($2 IS NULL OR m.status = $2) AND ($3 IS NULL OR "      \
    "instr(m.title, $3) > 0 OR instr(m.place, $3) > 0) "

static void bind_meeting_filters(struct http_req *req, struct db_stmt *st)
{
    static const char *const keys[] = {"kind", "status", "q"};
    for (int i = 0; i < 3; i++) {
        const char *v = http_query_get(req, keys[i]);
        db_bind_text(st, i + 1, v && v[0] ? v : NULL, -1);
    }
}

enum err h_meetings_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM meetings m " MEETING_LIST_WHERE);
    if (st == NULL)
        return ERR_INTERNAL;
    bind_meeting_filters(req, st);
    int64_t total = db_scalar(st);
    st = db_prepare(
        db, "SELECT m.id, m.kind, m.title, m.starts_at, m.ends_at, m.place, m.status, "
            "(SELECT count(*) FROM attendees a WHERE a.meeting_id = m.id) AS attendees, "
            "(SELECT count(*) FROM attendees a WHERE a.meeting_id = m.id AND a.voting = 1 AND "
            "(a.checked_in_at IS NOT NULL OR EXISTS (SELECT 1 FROM attendees h WHERE h.id = "
            "a.proxy_to AND h.checked_in_at IS NOT NULL))) AS present, (SELECT count(*) FROM motions x WHERE x.meeting_id = m.id) AS "
            "motions FROM meetings m " MEETING_LIST_WHERE
            "ORDER BY m.starts_at DESC, m.id DESC LIMIT $4 OFFSET $5");
    if (st == NULL)
        return ERR_INTERNAL;
    bind_meeting_filters(req, st);
    db_bind_int(st, 4, size);
    db_bind_int(st, 5, (page - 1) * size);
    http_list(req, app_rows_json(st, NULL), total, page, size);
    return ERR_OK;
}

static void random_code(char *out, size_t n)
{
    static const char digits[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* no 0/O, 1/I */
    for (size_t i = 0; i < n; i++)
        out[i] = digits[randombytes_uniform(sizeof(digits) - 1)];
    out[n] = '\0';
}

enum err h_meetings_create(struct http_req *req)
{
    if (!meeting_check(req))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO meetings(kind, title, starts_at, ends_at, place, online_url, "
            "checkin_code, created_at, updated_at) VALUES ($1, $2, $3, coalesce($4, ''), "
            "coalesce($5, ''), coalesce($6, ''), $7, $8, $8)");
    if (st == NULL)
        return ERR_INTERNAL;
    static const char *const keys[] = {"kind", "title", "starts_at", "ends_at", "place",
                                       "online_url"};
    for (int i = 0; i < 6; i++)
        db_bind_text(st, i + 1, http_body_str(req, keys[i]), -1);
    char code[7];
    random_code(code, 6);
    db_bind_text(st, 7, code, -1);
    db_bind_int(st, 8, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    app_audit(req, "meeting.create", arena_printf(&req->arena, "meeting:%lld", (long long)id),
              "ok", http_body_str(req, "title"));
    req->params[0] = id;
    enum err r = h_meetings_get(req);
    if (r == ERR_OK)
        req->status = 201;
    return r;
}

static json_t *meeting_me(struct http_req *req, int64_t meeting)
{
    int64_t ids[64], own;
    int n = caller_attendees(req, meeting, ids, 64, &own);
    if (own == 0)
        return json_null();
    json_t *holds = json_array();
    for (int i = 1; i < n; i++)
        json_array_append_new(holds, json_integer(ids[i]));
    struct db_stmt *st =
        db_prepare(app_db(req), "SELECT checked_in_at IS NOT NULL FROM attendees WHERE id = $1");
    db_bind_int(st, 1, own);
    bool in = db_scalar(st) != 0;
    return json_pack("{s:I, s:b, s:o}", "attendee_id", (json_int_t)own, "checked_in", in,
                     "proxy_for", holds);
}

enum err h_meetings_get(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    struct db_stmt *st = db_prepare(
        db, "SELECT id, kind, title, starts_at, ends_at, place, online_url, status, minutes, "
            "checkin_code, created_at, updated_at FROM meetings WHERE id = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return ERR_NOT_FOUND;
    }
    json_t *m = app_row_json(st, NULL);
    db_done(st);
    if (!app_role_permits(req->who.role, "governance.manage"))
        json_object_del(m, "checkin_code");
    st = db_prepare(db, "SELECT id, seq, title, detail FROM agenda_items WHERE meeting_id = $1 "
                        "ORDER BY seq, id");
    db_bind_int(st, 1, id);
    json_object_set_new(m, "agenda", app_rows_json(st, NULL));
    st = db_prepare(db, "SELECT id, seq, title, kind, status, ballot FROM motions WHERE "
                        "meeting_id = $1 ORDER BY seq, id");
    db_bind_int(st, 1, id);
    json_object_set_new(m, "motions", app_rows_json(st, NULL));
    json_object_set_new(m, "quorum", meeting_quorum_json(db, id));
    json_object_set_new(m, "me", meeting_me(req, id));
    http_json(req, 200, m);
    return ERR_OK;
}

enum err h_meetings_update(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    char status[16];
    if (!meeting_exists(db, id, status))
        return ERR_NOT_FOUND;
    if (!meeting_check(req))
        return http_fail(req, ERR_INVALID, "validation_failed");
    const char *next = http_body_str(req, "status");
    /* planned -> open -> closed; a closed meeting stays closed. */
    if (next && strcmp(next, status) != 0 &&
        (strcmp(status, "closed") == 0 || (strcmp(status, "open") == 0 &&
                                           strcmp(next, "planned") == 0))) {
        http_field_error(req, "status", "status_step");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    /* A meeting closes once no vote is running. */
    struct db_stmt *open = db_prepare(db, "SELECT count(*) FROM motions WHERE meeting_id = $1 AND "
                                          "status = 'open'");
    db_bind_int(open, 1, id);
    if (next && strcmp(next, "closed") == 0 && db_scalar(open) > 0)
        return http_fail(req, ERR_CONFLICT, "votes_open");
    struct db_stmt *st = db_prepare(
        db, "UPDATE meetings SET kind = coalesce($1, kind), title = coalesce($2, title), "
            "starts_at = coalesce($3, starts_at), ends_at = coalesce($4, ends_at), place = "
            "coalesce($5, place), online_url = coalesce($6, online_url), status = coalesce($7, "
            "status), minutes = coalesce($8, minutes), updated_at = $9 WHERE id = $10");
    if (st == NULL)
        return ERR_INTERNAL;
    static const char *const keys[] = {"kind",       "title",  "starts_at", "ends_at", "place",
                                       "online_url", "status", "minutes"};
    for (int i = 0; i < 8; i++)
        db_bind_text(st, i + 1, http_body_str(req, keys[i]), -1);
    db_bind_int(st, 9, time_now_ms());
    db_bind_int(st, 10, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "meeting.update", arena_printf(&req->arena, "meeting:%lld", (long long)id),
              "ok", next ? next : "");
    return h_meetings_get(req);
}

/* --- agenda -------------------------------------------------------------- */

enum err h_agenda_add(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    if (!meeting_exists(db, id, NULL))
        return ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO agenda_items(meeting_id, seq, title, detail) VALUES ($1, (SELECT "
            "coalesce(max(seq), 0) + 1 FROM agenda_items WHERE meeting_id = $1), $2, "
            "coalesce($3, ''))");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, http_body_str(req, "title"), -1);
    db_bind_text(st, 3, http_body_str(req, "detail"), -1);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    int64_t item = db_last_id(db);
    st = db_prepare(db, "SELECT id, seq, title, detail FROM agenda_items WHERE id = $1");
    db_bind_int(st, 1, item);
    json_t *rows = app_rows_json(st, NULL);
    http_json(req, 201, json_incref(json_array_get(rows, 0)));
    json_decref(rows);
    app_audit(req, "meeting.agenda_add", arena_printf(&req->arena, "meeting:%lld", (long long)id),
              "ok", "");
    return ERR_OK;
}

enum err h_agenda_delete(struct http_req *req)
{
    struct db_stmt *st =
        db_prepare(app_db(req), "DELETE FROM agenda_items WHERE id = $2 AND meeting_id = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, req->params[0]);
    db_bind_int(st, 2, req->params[1]);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    if (db_changes(app_db(req)) == 0)
        return ERR_NOT_FOUND;
    app_audit(req, "meeting.agenda_delete",
              arena_printf(&req->arena, "meeting:%lld", (long long)req->params[0]), "ok", "");
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

/* --- minutes' attachments ------------------------------------------------ */

enum err h_attachments_list(struct http_req *req)
{
    if (!meeting_exists(app_db(req), req->params[0], NULL))
        return ERR_NOT_FOUND;
    http_json(req, 200,
              json_pack("{s:o}", "items", files_list(app_db(req), "meeting", req->params[0])));
    return ERR_OK;
}

enum err h_attachments_add(struct http_req *req)
{
    if (!meeting_exists(app_db(req), req->params[0], NULL))
        return ERR_NOT_FOUND;
    return files_upload(req, "meeting", req->params[0], FILES_ANY, NULL);
}

enum err h_attachments_get(struct http_req *req)
{
    return files_send(req, "meeting", req->params[0], req->params[1], false, false);
}

enum err h_attachments_delete(struct http_req *req)
{
    return files_delete(req, "meeting", req->params[0], req->params[1]);
}
