/*
 * people.c - contact people of member units.
 *
 * A unit_admin sees and edits only its own unit's people and may not name
 * a unit in a body (SEC-B2, B4); another unit's person answers 404.
 * Phone and identity numbers are sealed at rest and shown masked (SEC-D5).
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
    {"id_number", FT_STRING, false, 18, NULL, "identity card number (GB 11643)"},
    {"email", FT_STRING, false, 100, NULL, NULL},
    {"unit_id", FT_INT, false, 0, NULL, "secretariat only; a unit_admin's own unit is implied"},
    {0},
};

const struct http_field people_update_fields[] = {
    {"name", FT_STRING, true, 50, NULL, NULL},
    {"title", FT_STRING, false, 50, NULL, NULL},
    {"phone", FT_STRING, false, 20, NULL, "mainland mobile number; \"\" clears it"},
    {"id_number", FT_STRING, false, 18, NULL, "identity card number; \"\" clears it"},
    {"email", FT_STRING, false, 100, NULL, NULL},
    {0},
};

const struct http_field people_query[] = {
    {"unit_id", FT_INT, false, 0, NULL, NULL},
    {"phone", FT_STRING, false, 20, NULL, "exact mobile number (matched by its keyed hash)"},
    {"id_number", FT_STRING, false, 18, NULL, "exact identity number (matched by its keyed hash)"},
    {"q", FT_STRING, false, 64, NULL, "name or title contains"},
    {"page", FT_INT, false, 0, NULL, NULL},
    {"page_size", FT_INT, false, 0, NULL, NULL},
    {0},
};

/* The personal numbers of a person: the body and query field, and the
 * statements that store and read its sealed column. */
static const struct person_number {
    const char *field;
    enum pii_kind kind;
    const char *store_sql, *read_sql;
} numbers[] = {
    {"phone", PII_PHONE,
     "UPDATE people SET phone_enc = $1, phone_index = $2, phone_masked = $3 WHERE id = $4",
     "SELECT phone_enc FROM people WHERE id = $1"},
    {"id_number", PII_ID_NUMBER,
     "UPDATE people SET id_number_enc = $1, id_number_index = $2, id_number_masked = $3 "
     "WHERE id = $4",
     "SELECT id_number_enc FROM people WHERE id = $1"},
};
#define NUMBERS (sizeof(numbers) / sizeof(numbers[0]))

enum err person_store_number(struct db *db, int64_t id, enum pii_kind kind, const char *plain)
{
    for (size_t i = 0; i < NUMBERS; i++) {
        if (numbers[i].kind != kind)
            continue;
        struct db_stmt *st = db_prepare(db, numbers[i].store_sql);
        if (st == NULL)
            return ERR_INTERNAL;
        struct pii_value v;
        pii_seal(kind, plain, &v);
        pii_bind(st, 1, &v);
        db_bind_int(st, 4, id);
        enum err e = db_run(st);
        pii_value_cleanup(&v);
        return e;
    }
    return ERR_INTERNAL;
}

/* A person; the numbers are their stored masked forms (SEC-D5). */
static json_t *person_json(struct db_stmt *st)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                     (json_int_t)db_col_int(st, 0), "unit_id", (json_int_t)db_col_int(st, 1),
                     "unit_name", db_col_text(st, 2), "name", db_col_text(st, 3), "title",
                     db_col_text(st, 4), "phone", db_col_text(st, 5), "id_number",
                     db_col_text(st, 7), "email", db_col_text(st, 6));
}

#define PEOPLE_SELECT                                                                              \
    "SELECT p.id, p.unit_id, u.name, p.name, p.title, p.phone_masked, p.email, "                   \
    "p.id_number_masked FROM people p JOIN units u ON u.id = p.unit_id "
#define PEOPLE_WHERE                                                                               \
    "WHERE ($1 IS NULL OR p.unit_id = $1) AND ($2 IS NULL OR instr(p.name, $2) > 0 OR "            \
    "instr(p.title, $2) > 0 OR ($9 IS NOT NULL AND p.id IN " APP_SEARCH_REFS("person", 9) ")) "   \
    "AND ($5 IS NULL OR p.phone_index = $5) AND "                                                  \
    "($6 IS NULL OR p.id_number_index = $6) "

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

/* The filters of a list: unit, text and exact numbers (by keyed hash,
 * parameters 5 and 6 in the order of numbers[]). */
static void bind_people_filters(struct http_req *req, struct db_stmt *st, int64_t unit)
{
    if (unit)
        db_bind_int(st, 1, unit);
    const char *q = http_query_get(req, "q");
    db_bind_text(st, 2, q && q[0] ? q : NULL, -1);
    app_search_bind(st, 9, q);
    for (size_t i = 0; i < NUMBERS; i++) {
        const char *v = http_query_get(req, numbers[i].field);
        if (v == NULL || v[0] == '\0')
            continue;
        unsigned char index[PII_INDEX_BYTES];
        pii_index(numbers[i].kind, v, index);
        db_bind_blob(st, 5 + (int)i, index, PII_INDEX_BYTES);
    }
}

enum err h_people_list(struct http_req *req)
{
    int64_t page, size, unit;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    if (!scope_unit(req, &unit))
        return req->err_fields ? http_fail(req, ERR_INVALID, "validation_failed") : ERR_NOT_FOUND;
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM people p " PEOPLE_WHERE);
    if (st == NULL)
        return ERR_INTERNAL;
    bind_people_filters(req, st, unit);
    int64_t total = db_scalar(st);
    st = db_prepare(db, PEOPLE_SELECT PEOPLE_WHERE "ORDER BY p.unit_id, p.id LIMIT $3 OFFSET $4");
    if (st == NULL)
        return ERR_INTERNAL;
    bind_people_filters(req, st, unit);
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

/* ?full=1: the whole numbers, for pii.read_full holders; audited. */
static enum err person_full_numbers(struct http_req *req, json_t *p)
{
    if (!app_role_permits(req->who.role, "pii.read_full"))
        return http_fail(req, ERR_FORBIDDEN, "forbidden");
    int64_t id = json_integer_value(json_object_get(p, "id"));
    for (size_t i = 0; i < NUMBERS; i++) {
        char *full = pii_read(app_db(req), numbers[i].read_sql, id, numbers[i].kind);
        json_object_set_new(p, numbers[i].field, json_string(full ? full : ""));
        if (full)
            sodium_memzero(full, strlen(full));
        free(full);
    }
    app_audit(req, "person.read_full", arena_printf(&req->arena, "person:%lld", (long long)id),
              "ok", "phone,id_number");
    return ERR_OK;
}

enum err h_people_get(struct http_req *req)
{
    json_t *p = person_visible(req, req->params[0]);
    if (p == NULL)
        return ERR_NOT_FOUND;
    const char *full = http_query_get(req, "full");
    if (full && strcmp(full, "1") == 0) {
        enum err e = person_full_numbers(req, p);
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
    const char *id_number = http_body_str(req, "id_number");
    if (id_number && id_number[0] && !ids_id_number_valid(id_number, strlen(id_number)))
        http_field_error(req, "id_number", "id_number_invalid");
    if (email && email[0] &&
        (strchr(email, '@') == NULL || strchr(email, '@') == email || strchr(email, ' ') ||
         strchr(strchr(email, '@'), '.') == NULL))
        http_field_error(req, "email", "email_invalid");
    if (json_object_get(req->body, "unit_id") && !app_sees_all_units(req))
        http_field_error(req, "unit_id", "unknown_field"); /* SEC-B4 */
    return req->err_fields == NULL;
}

/* Stores each number the body carries ("" clears it). */
static enum err store_numbers(struct http_req *req, int64_t id)
{
    for (size_t i = 0; i < NUMBERS; i++) {
        const char *v = http_body_str(req, numbers[i].field);
        enum err e = v ? person_store_number(app_db(req), id, numbers[i].kind, v) : ERR_OK;
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
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
                                        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, unit);
    db_bind_text(st, 2, http_body_str(req, "name"), -1);
    const char *title = http_body_str(req, "title"), *email = http_body_str(req, "email");
    db_bind_text(st, 3, title ? title : "", -1);
    db_bind_text(st, 4, email ? email : "", -1);
    db_bind_int(st, 5, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    if ((e = store_numbers(req, id)) != ERR_OK)
        return e;
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
            "coalesce($3, email), updated_at = $4 WHERE id = $5");
    if (st == NULL)
        return ERR_INTERNAL;
    static const char *const keys[] = {"name", "title", "email"};
    for (int i = 0; i < 3; i++)
        db_bind_text(st, i + 1, http_body_str(req, keys[i]), -1);
    db_bind_int(st, 4, time_now_ms());
    db_bind_int(st, 5, id);
    enum err e = db_run(st);
    if (e == ERR_OK)
        e = store_numbers(req, id);
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
