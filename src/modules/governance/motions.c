/*
 * motions.c - motions (议案): drafting, the voting window, tally and
 * certification with its resolution (决议) and effects.
 *
 * States: draft -> open -> closed -> certified. Attendance (members,
 * present) is taken when the vote closes; certification applies the
 * charter's rule (src/lib/votes.c) to those numbers and the ballots,
 * writes the immutable results, and, when the motion passes, an immutable
 * resolution, the charter version in force or the appointments.
 * Ballots themselves are in ballots.c.
 */
#include "modules/governance/internal.h"
#include "modules/app.h"
#include "base/alloc.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const motion_kinds[] = {"ordinary", "charter", "election", NULL};
const char *const ballot_kinds[] = {"open", "secret", NULL};
const char *const vote_choices[] = {"yes", "no", "abstain", NULL};

bool rule_load(struct db *db, const char *code, struct vote_rule *out)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT base, num, den, strict FROM vote_rules WHERE code = $1");
    if (st == NULL)
        return false;
    db_bind_text(st, 1, code, -1);
    bool ok = db_step(st) == DB_ROW && vote_base_parse(db_col_text(st, 0), &out->base);
    if (ok) {
        out->num = (int)db_col_int(st, 1);
        out->den = (int)db_col_int(st, 2);
        out->strict = db_col_int(st, 3) != 0;
    }
    db_done(st);
    return ok && vote_rule_valid(out);
}

bool motion_head_load(struct db *db, int64_t id, struct motion_head *h)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT id, meeting_id, coalesce(charter_version_id, 0), coalesce(term_id, 0), "
            "status, kind, ballot, rule, per_item, changeable, coalesce(closes_at, 0) FROM "
            "motions WHERE id = $1");
    if (st == NULL)
        return false;
    db_bind_int(st, 1, id);
    bool ok = db_step(st) == DB_ROW;
    if (ok) {
        h->id = db_col_int(st, 0);
        h->meeting = db_col_int(st, 1);
        h->charter_version = db_col_int(st, 2);
        h->term = db_col_int(st, 3);
        snprintf(h->status, sizeof(h->status), "%s", db_col_text(st, 4));
        snprintf(h->kind, sizeof(h->kind), "%s", db_col_text(st, 5));
        snprintf(h->ballot, sizeof(h->ballot), "%s", db_col_text(st, 6));
        snprintf(h->rule, sizeof(h->rule), "%s", db_col_text(st, 7));
        h->per_item = db_col_int(st, 8) != 0;
        h->changeable = db_col_int(st, 9) != 0;
        h->closes_at = db_col_int(st, 10);
    }
    db_done(st);
    return ok;
}

bool motion_is_open(const struct motion_head *h)
{
    return strcmp(h->status, "open") == 0 && (h->closes_at == 0 || time_now_ms() < h->closes_at);
}

/* Loads the motion of the route into *h and requires it to be in
 * `status`; otherwise the answer is 404, or 409 with `key`. */
static enum err head_in(struct http_req *req, struct motion_head *h, const char *status,
                        const char *key)
{
    if (!motion_head_load(app_db(req), req->params[0], h))
        return ERR_NOT_FOUND;
    return strcmp(h->status, status) == 0 ? ERR_OK : http_fail(req, ERR_CONFLICT, key);
}

/* --- drafting ------------------------------------------------------------ */

/* Checks a motion body against its kind; false with field errors. */
static bool motion_check(struct http_req *req, const char *kind, bool secret)
{
    struct db *db = app_db(req);
    int64_t version = http_body_int(req, "charter_version_id", 0), term = http_body_int(req, "term_id", 0);
    const char *rule = http_body_str(req, "rule");
    struct vote_rule r;
    if (rule && !rule_load(db, rule, &r))
        http_field_error(req, "rule", "rule_unknown");
    if (rule && strcmp(rule, "quorum") == 0)
        http_field_error(req, "rule", "rule_unknown");
    if (kind && strcmp(kind, "charter") == 0) {
        struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM charter_versions WHERE id = $1 "
                                            "AND status = 'draft'");
        db_bind_int(st, 1, version);
        if (db_scalar(st) == 0)
            http_field_error(req, "charter_version_id", "charter_draft_required");
    }
    if (kind && strcmp(kind, "election") == 0) {
        struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM terms WHERE id = $1");
        db_bind_int(st, 1, term);
        if (db_scalar(st) == 0)
            http_field_error(req, "term_id", "term_required");
    }
    json_t *ch = json_object_get(req->body, "changeable");
    if (secret && json_is_true(ch))
        http_field_error(req, "changeable", "secret_not_changeable");
    return req->err_fields == NULL;
}

static const char *default_rule(const char *kind)
{
    return strcmp(kind, "charter") == 0 ? "charter"
           : strcmp(kind, "election") == 0 ? "election"
                                           : "ordinary";
}

enum err h_motions_create(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t meeting = req->params[0];
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM meetings WHERE id = $1");
    db_bind_int(st, 1, meeting);
    if (db_scalar(st) == 0)
        return ERR_NOT_FOUND;
    const char *kind = http_body_str(req, "kind"), *ballot = http_body_str(req, "ballot");
    bool secret = ballot && strcmp(ballot, "secret") == 0;
    if (!motion_check(req, kind, secret))
        return http_fail(req, ERR_INVALID, "validation_failed");
    const char *rule = http_body_str(req, "rule");
    st = db_prepare(
        db, "INSERT INTO motions(meeting_id, seq, title, body, kind, rule, ballot, per_item, "
            "changeable, charter_version_id, term_id, created_at, updated_at) VALUES ($1, "
            "(SELECT coalesce(max(seq), 0) + 1 FROM motions WHERE meeting_id = $1), $2, "
            "coalesce($3, ''), $4, $5, $6, $7, $8, $9, $10, $11, $11)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, meeting);
    db_bind_text(st, 2, http_body_str(req, "title"), -1);
    db_bind_text(st, 3, http_body_str(req, "body"), -1);
    db_bind_text(st, 4, kind, -1);
    db_bind_text(st, 5, rule ? rule : default_rule(kind), -1);
    db_bind_text(st, 6, secret ? "secret" : "open", -1);
    db_bind_int(st, 7, strcmp(kind, "election") == 0 &&
                           json_is_true(json_object_get(req->body, "per_item")));
    db_bind_int(st, 8, json_is_true(json_object_get(req->body, "changeable")));
    if (strcmp(kind, "charter") == 0)
        db_bind_int(st, 9, http_body_int(req, "charter_version_id", 0));
    if (strcmp(kind, "election") == 0)
        db_bind_int(st, 10, http_body_int(req, "term_id", 0));
    db_bind_int(st, 11, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    app_audit(req, "motion.create", arena_printf(&req->arena, "motion:%lld", (long long)id), "ok",
              arena_printf(&req->arena, "meeting=%lld kind=%s", (long long)meeting, kind));
    req->params[0] = id;
    e = h_motions_get(req);
    req->status = 201;
    return e;
}

enum err h_motions_update(struct http_req *req)
{
    struct db *db = app_db(req);
    struct motion_head h;
    enum err he = head_in(req, &h, "draft", "not_draft");
    if (he != ERR_OK)
        return he;
    const char *kind = http_body_str(req, "kind"), *ballot = http_body_str(req, "ballot");
    bool secret = ballot ? strcmp(ballot, "secret") == 0 : strcmp(h.ballot, "secret") == 0;
    if (!motion_check(req, kind, secret))
        return http_fail(req, ERR_INVALID, "validation_failed");
    if (kind && strcmp(kind, h.kind) != 0) {
        http_field_error(req, "kind", "kind_fixed");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    json_t *pi = json_object_get(req->body, "per_item"), *ch = json_object_get(req->body,
                                                                               "changeable");
    struct db_stmt *st = db_prepare(
        db, "UPDATE motions SET title = coalesce($2, title), body = coalesce($3, body), rule = "
            "coalesce($4, rule), ballot = coalesce($5, ballot), per_item = coalesce($6, "
            "per_item), changeable = coalesce($7, changeable), charter_version_id = coalesce($8, "
            "charter_version_id), term_id = coalesce($9, term_id), updated_at = $10 WHERE id = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, h.id);
    db_bind_text(st, 2, http_body_str(req, "title"), -1);
    db_bind_text(st, 3, http_body_str(req, "body"), -1);
    db_bind_text(st, 4, http_body_str(req, "rule"), -1);
    db_bind_text(st, 5, ballot, -1);
    if (pi)
        db_bind_int(st, 6, json_is_true(pi) && strcmp(h.kind, "election") == 0);
    if (ch)
        db_bind_int(st, 7, json_is_true(ch));
    if (json_object_get(req->body, "charter_version_id") && strcmp(h.kind, "charter") == 0)
        db_bind_int(st, 8, http_body_int(req, "charter_version_id", 0));
    if (json_object_get(req->body, "term_id") && strcmp(h.kind, "election") == 0)
        db_bind_int(st, 9, http_body_int(req, "term_id", 0));
    db_bind_int(st, 10, time_now_ms());
    enum err e = db_run(st);
    if (e == ERR_CONFLICT) /* a CHECK: secret and changeable */
        return http_fail(req, ERR_INVALID, "validation_failed");
    if (e != ERR_OK)
        return e;
    app_audit(req, "motion.update", arena_printf(&req->arena, "motion:%lld", (long long)h.id),
              "ok", "");
    return h_motions_get(req);
}

/* Council positions are held by units, committee seats by persons. */
static bool position_fits(const char *body, const char *position)
{
    if (strcmp(body, "council") == 0)
        return strcmp(position, "member") != 0;
    return strcmp(position, "chair") == 0 || strcmp(position, "vice_chair") == 0 ||
           strcmp(position, "member") == 0;
}

enum err h_items_add(struct http_req *req)
{
    struct db *db = app_db(req);
    struct motion_head h;
    enum err he = head_in(req, &h, "draft", "not_draft");
    if (he != ERR_OK)
        return he;
    if (strcmp(h.kind, "election") != 0)
        return http_fail(req, ERR_CONFLICT, "not_election");
    struct db_stmt *st = db_prepare(db, "SELECT body FROM terms WHERE id = $1");
    db_bind_int(st, 1, h.term);
    char body[24] = "";
    if (db_step(st) == DB_ROW)
        snprintf(body, sizeof(body), "%s", db_col_text(st, 0));
    db_done(st);
    const char *position = http_body_str(req, "position");
    int64_t unit = http_body_int(req, "unit_id", 0), person = http_body_int(req, "person_id", 0);
    if (!position_fits(body, position))
        http_field_error(req, "position", "position_body");
    if (strcmp(body, "council") == 0 && unit == 0)
        http_field_error(req, "unit_id", "required");
    if (strcmp(body, "expert_committee") == 0 && person == 0)
        http_field_error(req, "person_id", "required");
    st = db_prepare(db, "SELECT count(*) FROM units WHERE id = $1");
    db_bind_int(st, 1, unit);
    if (unit && db_scalar(st) == 0)
        http_field_error(req, "unit_id", "unit_missing");
    /* A council seat's representative belongs to its unit. */
    st = db_prepare(db, "SELECT count(*) FROM people WHERE id = $1 AND ($2 = 0 OR unit_id = $2)");
    db_bind_int(st, 1, person);
    db_bind_int(st, 2, unit);
    if (person && db_scalar(st) == 0)
        http_field_error(req, "person_id", "person_missing");
    if (req->err_fields)
        return http_fail(req, ERR_INVALID, "validation_failed");
    st = db_prepare(db, "INSERT INTO motion_items(motion_id, seq, position, unit_id, person_id) "
                        "VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM motion_items WHERE "
                        "motion_id = $1), $2, $3, $4)");
    db_bind_int(st, 1, h.id);
    db_bind_text(st, 2, position, -1);
    if (unit)
        db_bind_int(st, 3, unit);
    if (person)
        db_bind_int(st, 4, person);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "motion.item_add", arena_printf(&req->arena, "motion:%lld", (long long)h.id),
              "ok", position);
    return h_motions_get(req);
}

enum err h_items_delete(struct http_req *req)
{
    struct db *db = app_db(req);
    struct motion_head h;
    enum err he = head_in(req, &h, "draft", "not_draft");
    if (he != ERR_OK)
        return he;
    struct db_stmt *st =
        db_prepare(db, "DELETE FROM motion_items WHERE id = $2 AND motion_id = $1");
    db_bind_int(st, 1, h.id);
    db_bind_int(st, 2, req->params[1]);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    if (db_changes(db) == 0)
        return ERR_NOT_FOUND;
    app_audit(req, "motion.item_delete", arena_printf(&req->arena, "motion:%lld", (long long)h.id),
              "ok", "");
    return h_motions_get(req);
}

/* --- the voting window --------------------------------------------------- */

enum err h_motions_open(struct http_req *req)
{
    struct db *db = app_db(req);
    struct motion_head h;
    enum err he = head_in(req, &h, "draft", "not_draft");
    if (he != ERR_OK)
        return he;
    struct db_stmt *st = db_prepare(db, "SELECT status FROM meetings WHERE id = $1");
    db_bind_int(st, 1, h.meeting);
    bool open = db_step(st) == DB_ROW && strcmp(db_col_text(st, 0), "open") == 0;
    db_done(st);
    if (!open)
        return http_fail(req, ERR_CONFLICT, "meeting_not_open");
    st = db_prepare(db, "SELECT count(*) FROM motion_items WHERE motion_id = $1");
    db_bind_int(st, 1, h.id);
    if (strcmp(h.kind, "election") == 0 && db_scalar(st) == 0)
        return http_fail(req, ERR_CONFLICT, "no_candidates");
    int64_t minutes = http_body_int(req, "minutes", 0), now = time_now_ms();
    if (minutes < 0 || minutes > 24 * 60) {
        http_field_error(req, "minutes", "out_of_range");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    st = db_prepare(db, "UPDATE motions SET status = 'open', opened_at = $2, closes_at = $3, "
                        "updated_at = $2 WHERE id = $1");
    db_bind_int(st, 1, h.id);
    db_bind_int(st, 2, now);
    if (minutes)
        db_bind_int(st, 3, now + minutes * 60000);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "motion.open", arena_printf(&req->arena, "motion:%lld", (long long)h.id), "ok",
              "");
    return h_motions_get(req);
}

enum err h_motions_close(struct http_req *req)
{
    struct db *db = app_db(req);
    struct motion_head h;
    enum err he = head_in(req, &h, "open", "motion_not_open");
    if (he != ERR_OK)
        return he;
    struct attendance a;
    meeting_attendance(db, h.meeting, &a);
    int64_t now = time_now_ms();
    struct db_stmt *st = db_prepare(
        db, "UPDATE motions SET status = 'closed', closed_at = $2, closes_at = min(coalesce("
            "closes_at, $2), $2), members = $3, present = $4, updated_at = $2 WHERE id = $1");
    db_bind_int(st, 1, h.id);
    db_bind_int(st, 2, now);
    db_bind_int(st, 3, a.members);
    db_bind_int(st, 4, a.present);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "motion.close", arena_printf(&req->arena, "motion:%lld", (long long)h.id), "ok",
              arena_printf(&req->arena, "members=%d present=%d", a.members, a.present));
    return h_motions_get(req);
}
