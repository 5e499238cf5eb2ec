/*
 * ballots.c - casting ballots, the tally, a representative's open motions.
 *
 * One ballot per voting attendee and motion, cast by the attendee's own
 * user (the unit's representative account, or the user linked to the
 * person) or by the holder of its proxy, both checked in. Open ballots
 * record who chose what (table ballots); secret ballots record who voted
 * (secret_receipts) apart from what was chosen (secret_votes, random keys,
 * no time), and no answer pairs the two.
 */
#include "modules/governance/internal.h"
#include "modules/app.h"
#include "base/time.h"

#include <sodium.h>
#include <string.h>

/* --- tally --------------------------------------------------------------- */

static json_t *count_rows(struct db_stmt *st, bool per_item)
{
    json_t *whole = json_pack("{s:i, s:i, s:i}", "yes", 0, "no", 0, "abstain", 0);
    json_t *items = json_object();
    while (db_step(st) == DB_ROW) {
        json_t *into = whole;
        if (per_item) {
            char key[24];
            snprintf(key, sizeof(key), "%lld", (long long)db_col_int(st, 0));
            into = json_object_get(items, key);
            if (into == NULL) {
                into = json_pack("{s:I, s:i, s:i, s:i}", "item_id", (json_int_t)db_col_int(st, 0),
                                 "yes", 0, "no", 0, "abstain", 0);
                json_object_set_new(items, key, into);
            }
        }
        json_object_set_new(into, db_col_text(st, 1), json_integer(db_col_int(st, 2)));
    }
    db_done(st);
    if (!per_item) {
        json_decref(items);
        return whole;
    }
    json_decref(whole);
    json_t *list = json_array();
    const char *k;
    json_t *v;
    json_object_foreach (items, k, v)
        json_array_append(list, v);
    json_decref(items);
    return json_pack("{s:o}", "items", list);
}

json_t *motion_tally(struct db *db, const struct motion_head *h)
{
    bool secret = strcmp(h->ballot, "secret") == 0;
    struct db_stmt *st = db_prepare(
        db, secret ? "SELECT count(*) FROM secret_receipts WHERE motion_id = $1"
                   : "SELECT count(DISTINCT attendee_id) FROM ballots WHERE motion_id = $1");
    db_bind_int(st, 1, h->id);
    int64_t cast = db_scalar(st);
    st = db_prepare(db, secret ? "SELECT coalesce(item_id, 0), choice, count(*) FROM "
                                 "secret_votes WHERE motion_id = $1 GROUP BY 1, 2 ORDER BY 1"
                               : "SELECT coalesce(item_id, 0), choice, count(*) FROM ballots "
                                 "WHERE motion_id = $1 GROUP BY 1, 2 ORDER BY 1");
    db_bind_int(st, 1, h->id);
    json_t *t = count_rows(st, h->per_item);
    json_object_set_new(t, "cast", json_integer(cast));
    return t;
}

/* --- casting ------------------------------------------------------------- */

/* May the caller vote for attendee? Its own attendee or one it holds a
 * proxy for, itself checked in. */
static bool may_vote_for(struct http_req *req, int64_t meeting, int64_t attendee)
{
    int64_t ids[64], own;
    int n = caller_attendees(req, meeting, ids, 64, &own);
    struct db_stmt *st = db_prepare(app_db(req), "SELECT count(*) FROM attendees WHERE id = $1 "
                                                 "AND checked_in_at IS NOT NULL AND voting = 1");
    db_bind_int(st, 1, own);
    if (own == 0 || db_scalar(st) == 0)
        return false;
    for (int i = 0; i < n; i++)
        if (ids[i] == attendee)
            return true;
    return false;
}

/* The (item, choice) pairs of a ballot, checked against the motion. */
struct pick {
    int64_t item;
    const char *choice;
};

static int ballot_picks(struct http_req *req, const struct motion_head *h, struct pick *p, int cap)
{
    struct db *db = app_db(req);
    if (!h->per_item) {
        const char *c = http_body_str(req, "choice");
        if (c == NULL)
            http_field_error(req, "choice", "required");
        p[0] = (struct pick){0, c};
        return c ? 1 : 0;
    }
    json_t *items = json_object_get(req->body, "items");
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM motion_items WHERE motion_id = $1");
    db_bind_int(st, 1, h->id);
    int64_t want = db_scalar(st);
    if (!json_is_array(items) || (int64_t)json_array_size(items) != want || want > cap) {
        http_field_error(req, "items", "ballot_items");
        return 0;
    }
    size_t i;
    json_t *it;
    json_array_foreach (items, i, it) {
        int64_t item = json_integer_value(json_object_get(it, "item_id"));
        const char *c = json_string_value(json_object_get(it, "choice"));
        st = db_prepare(db, "SELECT count(*) FROM motion_items WHERE id = $1 AND motion_id = $2");
        db_bind_int(st, 1, item);
        db_bind_int(st, 2, h->id);
        bool dup = false;
        for (size_t j = 0; j < i; j++)
            dup = dup || p[j].item == item;
        bool known = db_scalar(st) > 0;
        if (!known || dup || c == NULL || (strcmp(c, "yes") && strcmp(c, "no") &&
                                           strcmp(c, "abstain"))) {
            http_field_error(req, "items", "ballot_items");
            return 0;
        }
        p[i] = (struct pick){item, c};
    }
    return (int)want;
}

static enum err cast_open(struct http_req *req, const struct motion_head *h, int64_t attendee,
                          const struct pick *p, int n)
{
    struct db *db = app_db(req);
    if (h->changeable) {
        struct db_stmt *st =
            db_prepare(db, "DELETE FROM ballots WHERE motion_id = $1 AND attendee_id = $2");
        db_bind_int(st, 1, h->id);
        db_bind_int(st, 2, attendee);
        enum err e = db_run(st);
        if (e != ERR_OK)
            return e;
    }
    for (int i = 0; i < n; i++) {
        struct db_stmt *st = db_prepare(db, "INSERT INTO ballots(motion_id, attendee_id, item_id, "
                                            "choice, cast_by, cast_at) VALUES ($1, $2, $3, $4, "
                                            "$5, $6)");
        db_bind_int(st, 1, h->id);
        db_bind_int(st, 2, attendee);
        if (p[i].item)
            db_bind_int(st, 3, p[i].item);
        db_bind_text(st, 4, p[i].choice, -1);
        db_bind_int(st, 5, req->who.user_id);
        db_bind_int(st, 6, time_now_ms());
        enum err e = db_run(st);
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}

static enum err cast_secret(struct http_req *req, const struct motion_head *h, int64_t attendee,
                            const struct pick *p, int n)
{
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "INSERT INTO secret_receipts(motion_id, attendee_id, "
                                        "cast_at) VALUES ($1, $2, $3)");
    db_bind_int(st, 1, h->id);
    db_bind_int(st, 2, attendee);
    db_bind_int(st, 3, time_now_ms());
    enum err e = db_run(st);
    for (int i = 0; e == ERR_OK && i < n; i++) {
        unsigned char key[16];
        randombytes_buf(key, sizeof(key));
        st = db_prepare(db, "INSERT INTO secret_votes(id, motion_id, item_id, choice) VALUES ($1, "
                            "$2, $3, $4)");
        db_bind_blob(st, 1, key, sizeof(key));
        db_bind_int(st, 2, h->id);
        if (p[i].item)
            db_bind_int(st, 3, p[i].item);
        db_bind_text(st, 4, p[i].choice, -1);
        e = db_run(st);
    }
    return e;
}

enum err h_ballots_cast(struct http_req *req)
{
    struct db *db = app_db(req);
    struct motion_head h;
    if (!motion_head_load(db, req->params[0], &h))
        return ERR_NOT_FOUND;
    int64_t attendee = http_body_int(req, "attendee_id", 0);
    if (!may_vote_for(req, h.meeting, attendee)) {
        app_audit(req, "ballot.cast", arena_printf(&req->arena, "motion:%lld", (long long)h.id),
                  "denied", arena_printf(&req->arena, "attendee=%lld", (long long)attendee));
        return http_fail(req, ERR_FORBIDDEN, "may_not_vote");
    }
    if (!motion_is_open(&h))
        return http_fail(req, ERR_CONFLICT, "motion_not_open");
    struct pick picks[256];
    int n = ballot_picks(req, &h, picks, 256);
    if (n == 0)
        return http_fail(req, ERR_INVALID, "validation_failed");
    enum err e = strcmp(h.ballot, "secret") == 0 ? cast_secret(req, &h, attendee, picks, n)
                                                 : cast_open(req, &h, attendee, picks, n);
    if (e == ERR_CONFLICT)
        return http_fail(req, ERR_CONFLICT, "already_voted");
    if (e != ERR_OK)
        return e;
    /* The audit row names the voter, never the choice. */
    app_audit(req, "ballot.cast", arena_printf(&req->arena, "motion:%lld", (long long)h.id), "ok",
              arena_printf(&req->arena, "attendee=%lld", (long long)attendee));
    http_json(req, 201, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

/* Has attendee voted on the motion? */
static bool has_voted(struct db *db, const struct motion_head *h, int64_t attendee)
{
    struct db_stmt *st = db_prepare(
        db, strcmp(h->ballot, "secret") == 0
                ? "SELECT count(*) FROM secret_receipts WHERE motion_id = $1 AND attendee_id = $2"
                : "SELECT count(*) FROM ballots WHERE motion_id = $1 AND attendee_id = $2");
    db_bind_int(st, 1, h->id);
    db_bind_int(st, 2, attendee);
    return db_scalar(st) > 0;
}

/* The caller's voting rights on a motion: {can_vote, attendees:[...]}. */
json_t *motion_my(struct http_req *req, const struct motion_head *h)
{
    struct db *db = app_db(req);
    int64_t ids[64], own;
    int n = caller_attendees(req, h->meeting, ids, 64, &own);
    json_t *list = json_array();
    bool can = false;
    for (int i = 0; i < n; i++) {
        struct db_stmt *st = db_prepare(
            db, "SELECT coalesce(u.name, p.name, ''), a.checked_in_at IS NOT NULL, a.voting FROM "
                "attendees a LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN people p ON p.id = "
                "a.person_id WHERE a.id = $1");
        db_bind_int(st, 1, ids[i]);
        if (db_step(st) != DB_ROW || db_col_int(st, 2) == 0) {
            db_done(st);
            continue;
        }
        json_t *a = json_pack("{s:I, s:s, s:b, s:b}", "attendee_id", (json_int_t)ids[i], "name",
                              db_col_text(st, 0), "proxy", i > 0, "voted", 0);
        db_done(st);
        bool voted = has_voted(db, h, ids[i]);
        json_object_set_new(a, "voted", json_boolean(voted));
        can = can || (!voted || h->changeable);
        json_array_append_new(list, a);
    }
    struct db_stmt *st = db_prepare(db, "SELECT checked_in_at IS NOT NULL FROM attendees WHERE "
                                        "id = $1");
    db_bind_int(st, 1, own);
    bool in = own && db_scalar(st) != 0;
    return json_pack("{s:b, s:o}", "can_vote", can && in && motion_is_open(h), "attendees", list);
}

enum err h_my_ballots(struct http_req *req)
{
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(
        db, "SELECT x.id FROM motions x JOIN meetings m ON m.id = x.meeting_id WHERE x.status = "
            "'open' AND m.status = 'open' ORDER BY x.opened_at, x.id LIMIT 100");
    int64_t ids[100];
    int n = 0;
    while (n < 100 && db_step(st) == DB_ROW)
        ids[n++] = db_col_int(st, 0);
    db_done(st);
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        struct motion_head h;
        if (!motion_head_load(db, ids[i], &h) || !motion_is_open(&h))
            continue;
        json_t *my = motion_my(req, &h);
        if (json_array_size(json_object_get(my, "attendees")) == 0) {
            json_decref(my);
            continue;
        }
        st = db_prepare(db, "SELECT x.id AS motion_id, x.meeting_id, m.title AS meeting_title, "
                            "x.title, x.body, x.kind, x.ballot, x.per_item, x.changeable, "
                            "x.closes_at, t.body AS term_body FROM motions x JOIN meetings m ON "
                            "m.id = x.meeting_id LEFT JOIN terms t ON t.id = x.term_id WHERE "
                            "x.id = $1");
        db_bind_int(st, 1, h.id);
        static const char *const bools[] = {"per_item", "changeable", NULL};
        json_t *rows = app_rows_json(st, bools);
        json_t *m = json_incref(json_array_get(rows, 0));
        json_decref(rows);
        json_object_update(m, my);
        json_decref(my);
        json_object_set_new(m, "items", motion_items_json(db, h.id));
        json_array_append_new(out, m);
    }
    req->personal = true;
    http_json(req, 200, json_pack("{s:o}", "items", out));
    return ERR_OK;
}
