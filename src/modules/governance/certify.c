/*
 * certify.c - a motion's page, its certification, resolutions and their
 * effects (the charter in force, appointments).
 *
 * Certification applies the motion's rule and the quorum rule to the
 * attendance taken when the vote closed and to the ballots, and writes
 * the results (immutable, one row per motion or per candidate). When the
 * motion passes it writes the resolution (immutable) and its effects.
 */
#include "modules/governance/internal.h"
#include "modules/app.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const motion_bools[] = {"per_item", "changeable", NULL};

json_t *motion_items_json(struct db *db, int64_t motion)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT i.id, i.seq, i.position, i.unit_id, u.name AS unit_name, i.person_id, "
            "p.name AS person_name FROM motion_items i LEFT JOIN units u ON u.id = i.unit_id "
            "LEFT JOIN people p ON p.id = i.person_id WHERE i.motion_id = $1 ORDER BY i.seq");
    db_bind_int(st, 1, motion);
    return app_rows_json(st, NULL);
}

static json_t *motion_results_json(struct db *db, int64_t motion)
{
    static const char *const bools[] = {"passed", NULL};
    struct db_stmt *st = db_prepare(
        db, "SELECT r.item_id, i.position, u.name AS unit_name, p.name AS person_name, r.members, "
            "r.present, r.yes, r.no, r.abstain, r.rule, r.passed, r.certified_at FROM "
            "motion_results r LEFT JOIN motion_items i ON i.id = r.item_id LEFT JOIN units u ON "
            "u.id = i.unit_id LEFT JOIN people p ON p.id = i.person_id WHERE r.motion_id = $1 "
            "ORDER BY coalesce(i.seq, 0)");
    db_bind_int(st, 1, motion);
    return app_rows_json(st, bools);
}

static json_t *motion_resolution_json(struct db *db, int64_t motion)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT id, number, title, adopted_at FROM resolutions WHERE motion_id = $1");
    db_bind_int(st, 1, motion);
    json_t *rows = app_rows_json(st, NULL);
    json_t *r = json_array_size(rows) ? json_incref(json_array_get(rows, 0)) : json_null();
    json_decref(rows);
    return r;
}

enum err h_motions_get(struct http_req *req)
{
    struct db *db = app_db(req);
    struct motion_head h;
    if (!motion_head_load(db, req->params[0], &h))
        return ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(
        db, "SELECT id, meeting_id, seq, title, body, kind, rule, ballot, per_item, changeable, "
            "charter_version_id, term_id, status, opened_at, closes_at, closed_at, members, "
            "present, created_at, updated_at FROM motions WHERE id = $1");
    db_bind_int(st, 1, h.id);
    json_t *rows = app_rows_json(st, motion_bools);
    json_t *m = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    struct vote_rule r;
    char text[64] = "";
    if (rule_load(db, h.rule, &r))
        vote_rule_text(&r, text, sizeof(text));
    json_object_set_new(m, "rule_text", json_string(text));
    json_object_set_new(m, "open_now", json_boolean(motion_is_open(&h)));
    json_object_set_new(m, "items", motion_items_json(db, h.id));
    json_t *tally = motion_tally(db, &h);
    if (strcmp(h.ballot, "secret") == 0 && strcmp(h.status, "open") == 0) {
        /* While a secret vote runs only the turnout shows. */
        json_t *cast = json_incref(json_object_get(tally, "cast"));
        json_decref(tally);
        tally = json_pack("{s:o}", "cast", cast);
    }
    json_object_set_new(m, "tally", tally);
    /* A recorded (open) vote is on the record once it has closed. */
    if (strcmp(h.ballot, "open") == 0 &&
        (strcmp(h.status, "closed") == 0 || strcmp(h.status, "certified") == 0)) {
        st = db_prepare(db, "SELECT b.attendee_id, coalesce(u.name, p.name, '') AS name, "
                            "b.item_id, b.choice FROM ballots b JOIN attendees a ON a.id = "
                            "b.attendee_id LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN "
                            "people p ON p.id = a.person_id WHERE b.motion_id = $1 ORDER BY "
                            "b.attendee_id, b.item_id");
        db_bind_int(st, 1, h.id);
        json_object_set_new(m, "ballots", app_rows_json(st, NULL));
    }
    json_object_set_new(m, "results", motion_results_json(db, h.id));
    json_object_set_new(m, "resolution", motion_resolution_json(db, h.id));
    json_object_set_new(m, "my", motion_my(req, &h));
    req->personal = true;
    http_json(req, 200, m);
    return ERR_OK;
}

/* --- certification ------------------------------------------------------- */

struct certify_ctx {
    struct db *db;
    int64_t user;
    struct motion_head h;
    struct vote_rule rule, quorum;
    int members, present;
    char rule_text[64];
    int passed_count;
};

/* Certifies one tally row (item 0: the whole motion). */
static enum err certify_one(struct certify_ctx *c, int64_t item, json_t *t)
{
    struct vote_counts n = {c->members, c->present,
                            (int)json_integer_value(json_object_get(t, "yes")),
                            (int)json_integer_value(json_object_get(t, "no")),
                            (int)json_integer_value(json_object_get(t, "abstain"))};
    bool passed = vote_passes(&c->rule, &c->quorum, &n);
    struct db_stmt *st = db_prepare(
        c->db, "INSERT INTO motion_results(motion_id, item_id, members, present, yes, no, "
               "abstain, rule, passed, certified_by, certified_at) VALUES ($1, $2, $3, $4, $5, "
               "$6, $7, $8, $9, $10, $11)");
    db_bind_int(st, 1, c->h.id);
    if (item)
        db_bind_int(st, 2, item);
    int vals[] = {n.members, n.present, n.yes, n.no, n.abstain};
    for (int i = 0; i < 5; i++)
        db_bind_int(st, 3 + i, vals[i]);
    db_bind_text(st, 8, c->rule_text, -1);
    db_bind_int(st, 9, passed);
    db_bind_int(st, 10, c->user);
    db_bind_int(st, 11, time_now_ms());
    c->passed_count += passed;
    return db_run(st);
}

/* The next resolution number, <short name>决〔<year>〕<n>号, into out. */
static void resolution_number(struct db *db, int64_t when, char *out, size_t cap)
{
    char year[16];
    time_date(when, year, sizeof(year));
    year[4] = '\0';
    struct db_stmt *st = db_prepare(db, "SELECT coalesce(nullif(short_name, ''), '联盟') FROM "
                                        "alliance");
    char name[64] = "联盟";
    if (db_step(st) == DB_ROW)
        snprintf(name, sizeof(name), "%s", db_col_text(st, 0));
    db_done(st);
    char prefix[128];
    snprintf(prefix, sizeof(prefix), "%s决〔%s〕", name, year);
    st = db_prepare(db, "SELECT count(*) FROM resolutions WHERE substr(number, 1, length($1)) = $1");
    db_bind_text(st, 1, prefix, -1);
    snprintf(out, cap, "%s%lld号", prefix, (long long)db_scalar(st) + 1);
}

/* 关于…的决议 from the motion's title: "关于X的议案" gives "关于X的决议",
 * anything else "关于<title>的决议". */
static void resolution_title(const char *motion, char *out, size_t cap)
{
    static const char about[] = "关于", bill[] = "的议案";
    size_t n = strlen(motion), a = sizeof(about) - 1, b = sizeof(bill) - 1;
    if (n > a + b && memcmp(motion, about, a) == 0 && memcmp(motion + n - b, bill, b) == 0)
        snprintf(out, cap, "%.*s的决议", (int)(n - b), motion);
    else
        snprintf(out, cap, "关于%s的决议", motion);
}

static enum err write_resolution(struct certify_ctx *c, int64_t when, int64_t *id)
{
    struct db_stmt *st = db_prepare(
        c->db, "SELECT x.title, x.body, m.title, m.starts_at FROM motions x JOIN meetings m ON "
               "m.id = x.meeting_id WHERE x.id = $1");
    db_bind_int(st, 1, c->h.id);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return ERR_INTERNAL;
    }
    char title[600], number[160];
    resolution_title(db_col_text(st, 0), title, sizeof(title));
    char *body = NULL;
    if (asprintf(&body, "%s（%.10s）表决议题“%s”。应到 %d，实到 %d；按章程规则（%s）表决通过。\n\n%s",
                 db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 0), c->members,
                 c->present, c->rule_text, db_col_text(st, 1)) < 0)
        abort();
    db_done(st);
    resolution_number(c->db, when, number, sizeof(number));
    st = db_prepare(c->db, "INSERT INTO resolutions(motion_id, number, title, body, adopted_at) "
                           "VALUES ($1, $2, $3, $4, $5)");
    db_bind_int(st, 1, c->h.id);
    db_bind_text(st, 2, number, -1);
    db_bind_text(st, 3, title, -1);
    db_bind_text(st, 4, body, -1);
    db_bind_int(st, 5, when);
    enum err e = db_run(st);
    free(body);
    *id = db_last_id(c->db);
    return e;
}

static enum err certify_all(struct certify_ctx *c)
{
    json_t *t = motion_tally(c->db, &c->h);
    enum err e = ERR_OK;
    if (c->h.per_item) {
        json_t *items = motion_items_json(c->db, c->h.id);
        json_t *tallied = json_object_get(t, "items");
        size_t i, j;
        json_t *it, *row;
        json_array_foreach (items, i, it) {
            int64_t id = json_integer_value(json_object_get(it, "id"));
            json_t *counts = NULL;
            json_array_foreach (tallied, j, row)
                if (json_integer_value(json_object_get(row, "item_id")) == id)
                    counts = row;
            json_t *zero = json_pack("{s:i, s:i, s:i}", "yes", 0, "no", 0, "abstain", 0);
            if (e == ERR_OK)
                e = certify_one(c, id, counts ? counts : zero);
            json_decref(zero);
        }
        json_decref(items);
    } else {
        e = certify_one(c, 0, t);
    }
    json_decref(t);
    return e;
}

enum err motion_certify(struct db *db, int64_t motion, int64_t user, int64_t when,
                        struct certified *out)
{
    struct certify_ctx c = {.db = db, .user = user};
    memset(out, 0, sizeof(*out));
    if (!motion_head_load(db, motion, &c.h))
        return ERR_NOT_FOUND;
    if (strcmp(c.h.status, "closed") != 0)
        return ERR_CONFLICT;
    if (!rule_load(db, c.h.rule, &c.rule) || !rule_load(db, "quorum", &c.quorum))
        return ERR_INTERNAL;
    vote_rule_text(&c.rule, c.rule_text, sizeof(c.rule_text));
    struct db_stmt *st = db_prepare(db, "SELECT members, present FROM motions WHERE id = $1");
    db_bind_int(st, 1, c.h.id);
    if (db_step(st) == DB_ROW) {
        c.members = (int)db_col_int(st, 0);
        c.present = (int)db_col_int(st, 1);
    }
    db_done(st);
    enum err e = certify_all(&c);
    int64_t resolution = 0;
    if (e == ERR_OK && c.passed_count > 0)
        e = write_resolution(&c, when, &resolution);
    if (e == ERR_OK && resolution && strcmp(c.h.kind, "charter") == 0)
        e = charter_adopt(db, c.h.charter_version, resolution, when);
    if (e == ERR_OK && resolution && strcmp(c.h.kind, "election") == 0)
        e = appointments_from_motion(db, c.h.id, resolution);
    if (e != ERR_OK)
        return e;
    st = db_prepare(db, "UPDATE motions SET status = 'certified', updated_at = $2 WHERE id = $1");
    db_bind_int(st, 1, c.h.id);
    db_bind_int(st, 2, when);
    out->passed = c.passed_count;
    out->resolution = resolution;
    return db_run(st);
}

enum err h_motions_certify(struct http_req *req)
{
    struct certified r;
    enum err e = motion_certify(app_db(req), req->params[0], req->who.user_id, time_now_ms(), &r);
    if (e == ERR_CONFLICT)
        return http_fail(req, ERR_CONFLICT, "motion_not_closed");
    if (e != ERR_OK)
        return e;
    app_audit(req, "motion.certify",
              arena_printf(&req->arena, "motion:%lld", (long long)req->params[0]), "ok",
              arena_printf(&req->arena, "passed=%d resolution=%lld", r.passed,
                           (long long)r.resolution));
    return h_motions_get(req);
}

/* --- effects ------------------------------------------------------------- */

enum err charter_adopt(struct db *db, int64_t version, int64_t resolution, int64_t when)
{
    struct db_stmt *st = db_prepare(db, "UPDATE charter_versions SET status = 'superseded', "
                                        "updated_at = $1 WHERE status = 'adopted'");
    db_bind_int(st, 1, when);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    st = db_prepare(db, "UPDATE charter_versions SET status = 'adopted', resolution_id = $2, "
                        "adopted_at = $3, updated_at = $3 WHERE id = $1");
    db_bind_int(st, 1, version);
    db_bind_int(st, 2, resolution);
    db_bind_int(st, 3, when);
    return db_run(st);
}

enum err appointments_from_motion(struct db *db, int64_t motion, int64_t resolution)
{
    /* The adopted candidates: all of a list vote, the passed ones of a
     * per-person vote. */
    struct db_stmt *st = db_prepare(
        db, "SELECT i.position, i.unit_id, i.person_id, coalesce(p.name, u.name), coalesce(u.name, "
            "pu.name, ''), t.id, t.starts_on, t.ends_on FROM motion_items i JOIN motions x ON x.id "
            "= i.motion_id JOIN terms t ON t.id = x.term_id LEFT JOIN units u ON u.id = i.unit_id "
            "LEFT JOIN people p ON p.id = i.person_id LEFT JOIN units pu ON pu.id = p.unit_id "
            "WHERE i.motion_id = $1 AND (x.per_item = 0 OR EXISTS (SELECT 1 FROM motion_results r "
            "WHERE r.motion_id = x.id AND r.item_id = i.id AND r.passed = 1)) ORDER BY i.seq");
    db_bind_int(st, 1, motion);
    enum err e = ERR_OK;
    while (e == ERR_OK && db_step(st) == DB_ROW) {
        struct db_stmt *ins = db_prepare(
            db, "INSERT INTO appointments(term_id, position, unit_id, person_id, holder_name, "
                "unit_name, resolution_id, starts_on, ends_on, verify_code, created_at) VALUES "
                "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
        db_bind_int(ins, 1, db_col_int(st, 5));
        db_bind_text(ins, 2, db_col_text(st, 0), -1);
        if (!db_col_null(st, 1))
            db_bind_int(ins, 3, db_col_int(st, 1));
        if (!db_col_null(st, 2))
            db_bind_int(ins, 4, db_col_int(st, 2));
        db_bind_text(ins, 5, db_col_text(st, 3), -1);
        db_bind_text(ins, 6, db_col_text(st, 4), -1);
        db_bind_int(ins, 7, resolution);
        db_bind_text(ins, 8, db_col_text(st, 6), -1);
        db_bind_text(ins, 9, db_col_text(st, 7), -1);
        char code[13];
        appointment_code(code, sizeof(code));
        db_bind_text(ins, 10, code, -1);
        db_bind_int(ins, 11, time_now_ms());
        e = db_run(ins);
    }
    db_done(st);
    return e;
}

/* --- resolutions --------------------------------------------------------- */

#define RESOLUTION_SELECT                                                                          \
    "SELECT r.id, r.number, r.title, r.adopted_at, r.motion_id, x.meeting_id, m.title AS "         \
    "meeting_title FROM resolutions r JOIN motions x ON x.id = r.motion_id JOIN meetings m ON "    \
    "m.id = x.meeting_id "
#define RESOLUTION_WHERE                                                                           \
    "WHERE ($1 IS NULL OR instr(r.title, $1) > 0 OR instr(r.number, $1) > 0) AND ($2 IS NULL OR "  \
    "x.meeting_id = $2) "

static void bind_resolution_filters(struct http_req *req, struct db_stmt *st)
{
    const char *q = http_query_get(req, "q"), *m = http_query_get(req, "meeting_id");
    db_bind_text(st, 1, q && q[0] ? q : NULL, -1);
    if (m && m[0])
        db_bind_int(st, 2, strtoll(m, NULL, 10));
}

enum err h_resolutions_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM resolutions r JOIN motions x ON "
                                        "x.id = r.motion_id " RESOLUTION_WHERE);
    bind_resolution_filters(req, st);
    int64_t total = db_scalar(st);
    st = db_prepare(db, RESOLUTION_SELECT RESOLUTION_WHERE
                    "ORDER BY r.adopted_at DESC, r.id DESC LIMIT $3 OFFSET $4");
    bind_resolution_filters(req, st);
    db_bind_int(st, 3, size);
    db_bind_int(st, 4, (page - 1) * size);
    http_list(req, app_rows_json(st, NULL), total, page, size);
    return ERR_OK;
}

enum err h_resolutions_get(struct http_req *req)
{
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(
        db, "SELECT r.id, r.number, r.title, r.body, r.adopted_at, r.motion_id, x.title AS "
            "motion_title, x.kind, x.meeting_id, m.title AS meeting_title FROM resolutions r JOIN "
            "motions x ON x.id = r.motion_id JOIN meetings m ON m.id = x.meeting_id WHERE r.id = "
            "$1");
    db_bind_int(st, 1, req->params[0]);
    json_t *rows = app_rows_json(st, NULL);
    if (json_array_size(rows) == 0) {
        json_decref(rows);
        return ERR_NOT_FOUND;
    }
    json_t *r = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    json_object_set_new(r, "results",
                        motion_results_json(db, json_integer_value(json_object_get(r, "motion_id"))));
    http_json(req, 200, r);
    return ERR_OK;
}
