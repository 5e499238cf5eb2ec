/*
 * people.c - contact people of member units.
 *
 * A unit_admin sees and edits only its own unit's people and may not name
 * a unit in a body (SEC-B2, B4); another unit's person answers 404.
 * Phone numbers are shown masked (SEC-D5).
 */
#include "modules/directory/directory.h"
#include "modules/directory/internal.h"
#include "modules/app.h"
#include "modules/pii.h"
#include "base/time.h"
#include "base/str.h"
#include "lib/ids.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

const struct http_field people_fields[] = {
    {"name", FT_STRING, true, 50, NULL, NULL},
    {"title", FT_STRING, false, 50, NULL, NULL},
    {"phone", FT_STRING, false, 20, NULL, "mainland mobile number"},
    {"email", FT_STRING, false, 100, NULL, NULL},
    {"unit_id", FT_INT, false, 0, NULL, "secretariat only; a unit_admin's own unit is implied"},
    {0},
};

const struct http_field people_update_fields[] = {
    {"name", FT_STRING, true, 50, NULL, NULL},
    {"title", FT_STRING, false, 50, NULL, NULL},
    {"phone", FT_STRING, false, 20, NULL, "mainland mobile number; \"\" clears it"},
    {"email", FT_STRING, false, 100, NULL, NULL},
    {0},
};

const struct http_field people_query[] = {
    {"unit_id", FT_INT, false, 0, NULL, NULL},
    {"phone", FT_STRING, false, 20, NULL, "exact mobile number (matched by its keyed hash)"},
    {"q", FT_STRING, false, 64, NULL, "name or title contains"},
    {"page", FT_INT, false, 0, NULL, NULL},
    {"page_size", FT_INT, false, 0, NULL, NULL},
    {0},
};

/* A person; the phone is the stored masked form (SEC-D5). */
static json_t *person_json(struct db_stmt *st)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0),
                     "unit_id", (json_int_t)db_col_int(st, 1), "unit_name", db_col_text(st, 2),
                     "name", db_col_text(st, 3), "title", db_col_text(st, 4), "phone",
                     db_col_text(st, 5), "email", db_col_text(st, 6));
}

#define PEOPLE_SELECT                                                                              \
    "SELECT p.id, p.unit_id, u.name, p.name, p.title, p.phone_masked, p.email "                    \
    "FROM people p JOIN units "                                                                    \
    "u ON u.id = p.unit_id "
#define PEOPLE_WHERE                                                                               \
    "WHERE ($1 IS NULL OR p.unit_id = $1) AND ($2 IS NULL OR instr(p.name, $2) > 0 OR "            \
    "instr(p.title, $2) > 0) AND ($5 IS NULL OR p.phone_index = $5) "

/* The unit filter: forced to the caller's unit unless it sees all; false
 * with a field error for a malformed id, without one for another unit. */
static bool scope_unit(struct http_req *req, int64_t *unit)
{
    const char *v = http_query_get(req, "unit_id");
    *unit = 0;
    if (v && v[0] && !str_to_i64(v, strlen(v), 1, INT64_MAX, unit)) {
        http_field_error(req, "unit_id", "must_be_integer");
        return false;
    }
    if (!app_sees_all_units(req)) {
        if (*unit != 0 && *unit != req->who.unit_id)
            return false; /* another unit: not found, like its objects */
        *unit = req->who.unit_id ? req->who.unit_id : -1;
    }
    return true;
}

static void bind_people_filters(struct db_stmt *st, int64_t unit, const char *q,
                                const unsigned char *phone_index)
{
    if (unit)
        db_bind_int(st, 1, unit);
    db_bind_text(st, 2, q && q[0] ? q : NULL, -1);
    if (phone_index)
        db_bind_blob(st, 5, phone_index, PII_INDEX_BYTES);
}

enum err h_people_list(struct http_req *req)
{
    int64_t page, size, unit;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    if (!scope_unit(req, &unit))
        return req->err_fields ? http_fail(req, ERR_INVALID, "validation_failed") : ERR_NOT_FOUND;
    struct db *db = app_db(req);
    const char *q = http_query_get(req, "q"), *phone = http_query_get(req, "phone");
    unsigned char index[PII_INDEX_BYTES];
    if (phone && phone[0])
        pii_index(PII_PHONE, phone, index); /* exact lookups by keyed hash */
    const unsigned char *by_phone = phone && phone[0] ? index : NULL;
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM people p " PEOPLE_WHERE);
    if (st == NULL)
        return ERR_INTERNAL;
    bind_people_filters(st, unit, q, by_phone);
    int64_t total = db_scalar(st);
    st = db_prepare(db, PEOPLE_SELECT PEOPLE_WHERE "ORDER BY p.unit_id, p.id LIMIT $3 OFFSET $4");
    if (st == NULL)
        return ERR_INTERNAL;
    bind_people_filters(st, unit, q, by_phone);
    db_bind_int(st, 3, size);
    db_bind_int(st, 4, (page - 1) * size);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, person_json(st));
    db_done(st);
    req->personal = true;
    http_list(req, items, total, page, size);
    return ERR_OK;
}

/* Loads a person visible to the caller, or NULL (then 404). */
static json_t *person_visible(struct http_req *req, int64_t id)
{
    struct db_stmt *st = db_prepare(app_db(req), PEOPLE_SELECT "WHERE p.id = $1");
    if (st == NULL)
        return NULL;
    db_bind_int(st, 1, id);
    json_t *j = NULL;
    if (db_step(st) == DB_ROW && (app_sees_all_units(req) || db_col_int(st, 1) == req->who.unit_id))
        j = person_json(st);
    db_done(st);
    return j;
}

/* ?full=1: the whole phone number, for pii.read_full holders; audited. */
static enum err person_full_phone(struct http_req *req, json_t *p)
{
    if (!app_role_permits(req->who.role, "pii.read_full"))
        return http_fail(req, ERR_FORBIDDEN, "forbidden");
    int64_t id = json_integer_value(json_object_get(p, "id"));
    char *full = pii_read(app_db(req), "SELECT phone_enc FROM people WHERE id = $1", id, PII_PHONE);
    json_object_set_new(p, "phone", json_string(full ? full : ""));
    if (full)
        sodium_memzero(full, strlen(full));
    free(full);
    app_audit(req, "person.read_full", arena_printf(&req->arena, "person:%lld", (long long)id),
              "ok", "phone");
    return ERR_OK;
}

enum err h_people_get(struct http_req *req)
{
    json_t *p = person_visible(req, req->params[0]);
    if (p == NULL)
        return ERR_NOT_FOUND;
    const char *full = http_query_get(req, "full");
    if (full && strcmp(full, "1") == 0) {
        enum err e = person_full_phone(req, p);
        if (e != ERR_OK) {
            json_decref(p);
            return e;
        }
    }
    req->personal = true;
    http_json(req, 200, p);
    return ERR_OK;
}

static bool person_check(struct http_req *req)
{
    const char *phone = http_body_str(req, "phone");
    const char *email = http_body_str(req, "email");
    if (phone && phone[0] && !ids_mobile_valid(phone, strlen(phone)))
        http_field_error(req, "phone", "mobile_invalid");
    if (email && email[0] &&
        (strchr(email, '@') == NULL || strchr(email, '@') == email || strchr(email, ' ') ||
         strchr(strchr(email, '@'), '.') == NULL))
        http_field_error(req, "email", "email_invalid");
    if (json_object_get(req->body, "unit_id") && !app_sees_all_units(req))
        http_field_error(req, "unit_id", "unknown_field"); /* SEC-B4 */
    return req->err_fields == NULL;
}

enum err h_people_create(struct http_req *req)
{
    struct db *db = app_db(req);
    if (!person_check(req))
        return http_fail(req, ERR_INVALID, "validation_failed");
    json_t *u = json_object_get(req->body, "unit_id");
    int64_t unit = app_sees_all_units(req) ? (u ? json_integer_value(u) : 0) : req->who.unit_id;
    json_t *unit_row = unit ? unit_load(db, unit) : NULL;
    if (unit_row == NULL) {
        http_field_error(req, "unit_id", unit ? "unit_missing" : "required");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    json_decref(unit_row);
    struct db_stmt *st = db_prepare(db, "INSERT INTO people(unit_id, name, title, email, "
                                        "phone_enc, phone_index, phone_masked, created_at, "
                                        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, unit);
    db_bind_text(st, 2, http_body_str(req, "name"), -1);
    const char *title = http_body_str(req, "title"), *email = http_body_str(req, "email");
    db_bind_text(st, 3, title ? title : "", -1);
    db_bind_text(st, 4, email ? email : "", -1);
    struct pii_value phone;
    pii_seal(PII_PHONE, http_body_str(req, "phone"), &phone);
    pii_bind(st, 5, &phone);
    db_bind_int(st, 8, time_now_ms());
    enum err e = db_run(st);
    pii_value_cleanup(&phone);
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    app_audit(req, "person.create", arena_printf(&req->arena, "person:%lld", (long long)id), "ok",
              arena_printf(&req->arena, "unit=%lld", (long long)unit));
    req->personal = true;
    http_json(req, 201, person_visible(req, id));
    return ERR_OK;
}

enum err h_people_update(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    json_t *cur = person_visible(req, id);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    json_decref(cur);
    if (!person_check(req))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db_stmt *st = db_prepare(
        db, "UPDATE people SET name = coalesce($1, name), title = coalesce($2, title), email = "
            "coalesce($4, email), updated_at = $5, phone_enc = CASE WHEN $3 IS NULL THEN "
            "phone_enc ELSE $7 END, phone_index = CASE WHEN $3 IS NULL THEN phone_index ELSE $8 "
            "END, phone_masked = CASE WHEN $3 IS NULL THEN phone_masked ELSE $9 END WHERE id = $6");
    if (st == NULL)
        return ERR_INTERNAL;
    static const char *const keys[] = {"name", "title", "email"};
    static const int slots[] = {1, 2, 4};
    for (int i = 0; i < 3; i++)
        db_bind_text(st, slots[i], http_body_str(req, keys[i]), -1);
    const char *new_phone = http_body_str(req, "phone");
    if (new_phone != NULL)
        db_bind_int(st, 3, 1); /* only whether a phone was sent matters */
    db_bind_int(st, 5, time_now_ms());
    db_bind_int(st, 6, id);
    struct pii_value phone;
    pii_seal(PII_PHONE, new_phone, &phone);
    pii_bind(st, 7, &phone);
    enum err e = db_run(st);
    pii_value_cleanup(&phone);
    if (e != ERR_OK)
        return e;
    app_audit(req, "person.update", arena_printf(&req->arena, "person:%lld", (long long)id), "ok",
              "");
    req->personal = true;
    http_json(req, 200, person_visible(req, id));
    return ERR_OK;
}

enum err h_people_delete(struct http_req *req)
{
    int64_t id = req->params[0];
    json_t *cur = person_visible(req, id);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    json_decref(cur);
    struct db_stmt *st = db_prepare(app_db(req), "DELETE FROM people WHERE id = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "person.delete", arena_printf(&req->arena, "person:%lld", (long long)id), "ok",
              "");
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}
