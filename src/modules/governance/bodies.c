/*
 * bodies.c - the council and the expert committee: terms, the positions
 * held in them (appointments), appointment letters and their public
 * verification.
 *
 * Appointments are written by certified election motions (certify.c);
 * here they are read, ended early (history kept), printed and verified.
 */
#include "modules/governance/internal.h"
#include "modules/app.h"
#include "base/proc.h"
#include "base/time.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const body_kinds[] = {"council", "expert_committee", NULL};
const char *const positions[] = {"chair", "vice_chair", "secretary_general", "director", "member",
                                 NULL};

void appointment_code(char *out, size_t cap)
{
    static const char digits[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    size_t n = cap - 1 < 12 ? cap - 1 : 12;
    for (size_t i = 0; i < n; i++)
        out[i] = digits[randombytes_uniform(sizeof(digits) - 1)];
    out[n] = '\0';
}

/* Does the caller run governance (and so see letters' codes)? */
static bool manages(const struct http_req *req)
{
    return app_role_permits(req->who.role, "governance.manage");
}

int64_t term_current(struct db *db, const char *body)
{
    char today[16];
    time_date(time_now_ms(), today, sizeof(today));
    struct db_stmt *st = db_prepare(db, "SELECT id FROM terms WHERE body = $1 ORDER BY "
                                        "(starts_on <= $2) DESC, number DESC LIMIT 1");
    db_bind_text(st, 1, body, -1);
    db_bind_text(st, 2, today, -1);
    return db_scalar(st);
}

#define POSITION_RANK                                                                              \
    "CASE a.position WHEN 'chair' THEN 1 WHEN 'vice_chair' THEN 2 WHEN 'secretary_general' THEN "  \
    "3 ELSE 4 END"

#define APPOINTMENT_COLUMNS                                                                        \
    "a.id, a.position, a.holder_name, a.unit_id, a.unit_name, a.person_id, a.starts_on, "          \
    "a.ends_on, a.ended_on, a.resolution_id"

/* A term's appointments; with the letters' verification codes for the
 * secretariat (codes). */
static json_t *term_appointments(struct db *db, int64_t term, bool codes)
{
    struct db_stmt *st = db_prepare(
        db, codes ? "SELECT " APPOINTMENT_COLUMNS ", a.verify_code FROM appointments a WHERE "
                    "a.term_id = $1 ORDER BY " POSITION_RANK ", a.id"
                  : "SELECT " APPOINTMENT_COLUMNS " FROM appointments a WHERE a.term_id = $1 "
                    "ORDER BY " POSITION_RANK ", a.id");
    db_bind_int(st, 1, term);
    return app_rows_json(st, NULL);
}

static json_t *term_json(struct db *db, int64_t id, bool with_appointments, bool codes)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT t.id, t.body, t.number, t.starts_on, t.ends_on, (SELECT count(*) FROM "
            "appointments a WHERE a.term_id = t.id AND a.ended_on IS NULL) AS holders FROM terms t "
            "WHERE t.id = $1");
    db_bind_int(st, 1, id);
    json_t *t = app_row_one(st, NULL);
    if (t == NULL)
        return NULL;
    const char *body = json_string_value(json_object_get(t, "body"));
    json_object_set_new(t, "current", json_boolean(term_current(db, body) == id));
    if (with_appointments)
        json_object_set_new(t, "appointments", term_appointments(db, id, codes));
    return t;
}

enum err h_terms_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    const char *body = http_query_get(req, "body");
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM terms WHERE ($1 IS NULL OR body = $1)");
    db_bind_text(st, 1, body && body[0] ? body : NULL, -1);
    int64_t total = db_scalar(st);
    st = db_prepare(db, "SELECT id FROM terms WHERE ($1 IS NULL OR body = $1) ORDER BY number "
                        "DESC, body LIMIT $2 OFFSET $3");
    db_bind_text(st, 1, body && body[0] ? body : NULL, -1);
    db_bind_int(st, 2, size);
    db_bind_int(st, 3, (page - 1) * size);
    int64_t ids[100];
    int n = 0;
    while (n < 100 && db_step(st) == DB_ROW)
        ids[n++] = db_col_int(st, 0);
    db_done(st);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, term_json(db, ids[i], false, false));
    http_list(req, items, total, page, size);
    return ERR_OK;
}

enum err h_terms_create(struct http_req *req)
{
    struct db *db = app_db(req);
    const char *starts = http_body_str(req, "starts_on"), *ends = http_body_str(req, "ends_on");
    int64_t number = http_body_int(req, "number", 0);
    if (number < 1 || number > 100)
        http_field_error(req, "number", "out_of_range");
    if (starts && ends && strcmp(ends, starts) <= 0)
        http_field_error(req, "ends_on", "ends_before_start");
    if (req->err_fields)
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db_stmt *st = db_prepare(db, "INSERT INTO terms(body, number, starts_on, ends_on, "
                                        "created_at) VALUES ($1, $2, $3, $4, $5)");
    db_bind_text(st, 1, http_body_str(req, "body"), -1);
    db_bind_int(st, 2, number);
    db_bind_text(st, 3, starts, -1);
    db_bind_text(st, 4, ends, -1);
    db_bind_int(st, 5, time_now_ms());
    enum err e = db_run(st);
    if (e == ERR_CONFLICT) {
        http_field_error(req, "number", "term_exists");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    app_audit(req, "term.create", arena_printf(&req->arena, "term:%lld", (long long)id), "ok",
              http_body_str(req, "body"));
    http_json(req, 201, term_json(db, id, true, true));
    return ERR_OK;
}

enum err h_terms_get(struct http_req *req)
{
    json_t *t = term_json(app_db(req), req->params[0], true, manages(req));
    if (t == NULL)
        return ERR_NOT_FOUND;
    http_json(req, 200, t);
    return ERR_OK;
}

enum err h_bodies(struct http_req *req)
{
    struct db *db = app_db(req);
    json_t *out = json_object();
    for (const char *const *b = body_kinds; *b; b++) {
        int64_t id = term_current(db, *b);
        json_object_set_new(out, *b, id ? term_json(db, id, true, manages(req)) : json_null());
    }
    http_json(req, 200, out);
    return ERR_OK;
}

enum err h_appointment_end(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    const char *ended = http_body_str(req, "ended_on");
    struct db_stmt *st = db_prepare(db, "SELECT term_id, starts_on, ended_on IS NOT NULL FROM "
                                        "appointments WHERE id = $1");
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return ERR_NOT_FOUND;
    }
    int64_t term = db_col_int(st, 0);
    bool before = strcmp(ended, db_col_text(st, 1)) < 0, already = db_col_int(st, 2) != 0;
    db_done(st);
    if (already)
        return http_fail(req, ERR_CONFLICT, "appointment_ended");
    if (before) {
        http_field_error(req, "ended_on", "ends_before_start");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    st = db_prepare(db, "UPDATE appointments SET ended_on = $2 WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, ended, -1);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "appointment.end", arena_printf(&req->arena, "appointment:%lld", (long long)id),
              "ok", ended);
    json_t *apps = term_appointments(db, term, true), *a;
    size_t i;
    json_t *found = NULL;
    json_array_foreach (apps, i, a)
        if (json_integer_value(json_object_get(a, "id")) == id)
            found = json_incref(a);
    json_decref(apps);
    http_json(req, 200, found);
    return ERR_OK;
}

static const char *position_label(const char *body, const char *position)
{
    bool council = strcmp(body, "council") == 0;
    if (strcmp(position, "chair") == 0)
        return council ? "理事长" : "主任委员";
    if (strcmp(position, "vice_chair") == 0)
        return council ? "副理事长" : "副主任委员";
    if (strcmp(position, "secretary_general") == 0)
        return "秘书长";
    if (strcmp(position, "director") == 0)
        return "理事";
    return "委员";
}

/* May the caller have appointment id's letter: the secretariat, the user
 * standing for its person, or its unit's representative account? Loads
 * the letter's fields into *fields (a JSON object for `jilian-render letter`). */
static bool letter_fields(struct http_req *req, int64_t id, json_t **fields)
{
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT coalesce(person_id, 0) FROM users WHERE id = $1");
    db_bind_int(st, 1, req->who.user_id);
    int64_t user_person = db_scalar(st);
    st = db_prepare(
        db, "SELECT a.holder_name, a.unit_name, t.body, a.position, t.number, a.starts_on, "
            "a.ends_on, a.verify_code, coalesce(a.unit_id, 0), coalesce(a.person_id, 0), "
            "coalesce(p.unit_id, 0), al.name, a.created_at FROM appointments a JOIN terms t ON "
            "t.id = a.term_id LEFT JOIN people p ON p.id = a.person_id, alliance al WHERE a.id = "
            "$1");
    db_bind_int(st, 1, id);
    *fields = NULL;
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return false;
    }
    int64_t unit = db_col_int(st, 8) ? db_col_int(st, 8) : db_col_int(st, 10);
    bool mine = (user_person && user_person == db_col_int(st, 9)) ||
                (req->who.unit_id && req->who.unit_id == unit &&
                 app_role_permits(req->who.role, "meetings.vote"));
    if (mine || app_role_permits(req->who.role, "governance.manage")) {
        char issued[16];
        time_date(db_col_int(st, 12), issued, sizeof(issued));
        const char *body = db_col_text(st, 2), *base = app_config()->public_url;
        *fields = json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "alliance", db_col_text(st, 11),
            "holder", db_col_text(st, 0), "unit", db_col_text(st, 1), "body",
            strcmp(body, "council") == 0 ? "理事会" : "专家委员会", "position",
            position_label(body, db_col_text(st, 3)), "term", (json_int_t)db_col_int(st, 4),
            "starts_on", db_col_text(st, 5), "ends_on", db_col_text(st, 6), "issued_on", issued,
            "verify_code", db_col_text(st, 7));
        const char *url = base && base[0] ? arena_printf(&req->arena, "%s/verify?code=%s", base,
                                                         db_col_text(st, 7))
                                          : "";
        json_object_set_new(*fields, "verify_url", json_string(url));
    }
    db_done(st);
    return *fields != NULL;
}

/* Renders a letter in a child process (`jilian-render letter`). */
static bool letter_spawn(json_t *fields, struct buf *pdf)
{
    char *in = json_dumps(fields, JSON_COMPACT), path[4200];
    const char *argv[] = {path, "letter", NULL};
    bool ok = in != NULL && proc_sibling("jilian-render", path, sizeof(path)) &&
              proc_run(argv, in, strlen(in), pdf, 20000);
    free(in);
    return ok && pdf->len > 5 && memcmp(pdf->data, "%PDF-", 5) == 0;
}

enum err h_appointment_letter(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    json_t *fields;
    if (!letter_fields(req, id, &fields))
        return ERR_NOT_FOUND;
    json_decref(fields);
    struct buf pdf;
    buf_init(&pdf, 8 << 20);
    /* Rendered once and kept, so every download gives the same bytes. */
    struct db_stmt *st = db_prepare(db, "SELECT pdf FROM letters WHERE appointment_id = $1");
    db_bind_int(st, 1, id);
    if (db_step(st) == DB_ROW) {
        size_t n = 0;
        const void *p = db_col_blob(st, 0, &n);
        buf_append(&pdf, p, n);
    }
    db_done(st);
    enum err e = ERR_OK;
    if (pdf.len == 0) {
        letter_fields(req, id, &fields);
        bool ok = letter_spawn(fields, &pdf);
        json_decref(fields);
        if (!ok) {
            buf_cleanup(&pdf);
            return ERR_INTERNAL;
        }
        st = db_prepare(db, "INSERT OR IGNORE INTO letters(appointment_id, pdf, created_at) "
                            "VALUES ($1, $2, $3)");
        db_bind_int(st, 1, id);
        db_bind_blob(st, 2, pdf.data, pdf.len);
        db_bind_int(st, 3, time_now_ms());
        e = db_run(st);
    }
    if (e == ERR_OK) {
        char *out = arena_alloc(&req->arena, pdf.len);
        memcpy(out, pdf.data, pdf.len);
        req->out = out;
        req->out_len = pdf.len;
        req->out_type = "application/pdf";
        req->out_filename = arena_printf(&req->arena, "letter-%lld.pdf", (long long)id);
        req->personal = true;
        app_audit(req, "appointment.letter",
                  arena_printf(&req->arena, "appointment:%lld", (long long)id), "ok", "");
    }
    buf_cleanup(&pdf);
    return e;
}

enum err h_appointment_verify(struct http_req *req)
{
    const char *code = http_query_get(req, "code");
    if (code == NULL || code[0] == '\0') {
        http_field_error(req, "code", "required");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    struct db_stmt *st = db_prepare(
        app_db(req), "SELECT a.holder_name, a.unit_name, t.body, a.position, t.number AS term, "
                     "a.starts_on, a.ends_on, a.ended_on FROM appointments a JOIN terms t ON t.id "
                     "= a.term_id WHERE a.verify_code = upper($1)");
    db_bind_text(st, 1, code ? code : "", -1);
    json_t *rows = app_rows_json(st, NULL);
    if (json_array_size(rows) == 0) {
        json_decref(rows);
        return ERR_NOT_FOUND;
    }
    json_t *a = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    json_object_set_new(a, "valid", json_true());
    http_json(req, 200, a);
    return ERR_OK;
}
