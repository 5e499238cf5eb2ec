/*
 * applications.c - join applications: the public form, the secretariat's
 * review queue, approval (creates the unit and its contact person) and
 * rejection with a reason. One pending application per credit code is
 * enforced by a unique index (SEC-B6).
 */
#include "modules/directory/directory.h"
#include "modules/directory/internal.h"
#include "modules/app.h"
#include "modules/pii.h"
#include "base/time.h"
#include "lib/ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const app_statuses[] = {"pending", "approved", "rejected", NULL};

const struct http_field application_fields[] = {
    {"name", FT_STRING, true, 200, NULL, "full registered name"},
    {"short_name", FT_STRING, false, 50, NULL, NULL},
    {"kind", FT_ENUM, true, 32, unit_kinds, NULL},
    {"uscc", FT_STRING, true, 18, NULL, "统一社会信用代码"},
    {"city", FT_STRING, true, 6, NULL, "GB/T 2260 city code"},
    {"address", FT_STRING, false, 200, NULL, NULL},
    {"website", FT_STRING, false, 200, NULL, NULL},
    {"intro", FT_STRING, false, 2000, NULL, NULL},
    {"contact_name", FT_STRING, true, 50, NULL, NULL},
    {"contact_phone", FT_STRING, true, 20, NULL, "mainland mobile number"},
    {"contact_email", FT_STRING, false, 100, NULL, NULL},
    {0},
};

const struct http_field application_query[] = {
    {"status", FT_ENUM, false, 16, app_statuses, NULL},
    {"page", FT_INT, false, 0, NULL, NULL},
    {"page_size", FT_INT, false, 0, NULL, NULL},
    {0},
};

const struct http_field reject_fields[] = {
    {"reason", FT_STRING, true, 500, NULL, "shown to the applicant"},
    {0},
};

static const char *const app_cols[] = {"name",         "short_name",    "kind",          "uscc",
                                       "city",         "address",       "website",       "intro",
                                       "contact_name", "contact_phone", "contact_email", NULL};

enum err h_apply(struct http_req *req)
{
    struct db *db = app_db(req);
    /* The unit part is checked like any unit; name/uscc clashes with a
     * member mean the organisation already belongs. */
    json_t *unit = json_object();
    static const char *const unit_part[] = {"name",    "short_name", "kind",  "uscc", "city",
                                            "address", "website",    "intro", NULL};
    for (const char *const *k = unit_part; *k; k++) {
        const char *v = http_body_str(req, *k);
        if (v)
            json_object_set_new(unit, *k, json_string(v));
    }
    struct field_sink sink = {sink_to_req, req};
    unit_validate(db, unit, false, 0, &sink);
    json_decref(unit);
    const char *phone = http_body_str(req, "contact_phone");
    if (!ids_mobile_valid(phone, strlen(phone)))
        http_field_error(req, "contact_phone", "mobile_invalid");
    if (req->err_fields != NULL) {
        json_t *f = json_object_get(req->err_fields, "uscc");
        if (f && strcmp(json_string_value(f), "uscc_taken") == 0)
            return http_fail(req, ERR_CONFLICT, "already_member");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO applications(name, short_name, kind, uscc, city, address, website, "
            "intro, contact_name, contact_email, created_at, contact_phone_enc, "
            "contact_phone_index, contact_phone_masked, contact_phone_legacy) VALUES ($1, $2, "
            "$3, $4, $5, $6, $7, $8, $9, $11, $12, $13, $14, $15, '')");
    if (st == NULL)
        return ERR_INTERNAL;
    for (int i = 0; app_cols[i]; i++) { /* contact_phone ($10) is sealed instead */
        const char *v = http_body_str(req, app_cols[i]);
        if (strcmp(app_cols[i], "contact_phone") != 0)
            db_bind_text(st, i + 1, v ? v : "", -1);
    }
    db_bind_int(st, 12, time_now_ms());
    struct pii_value sealed;
    pii_seal(PII_PHONE, phone, &sealed);
    pii_bind(st, 13, &sealed);
    enum err e = db_run(st);
    pii_value_cleanup(&sealed);
    if (e == ERR_CONFLICT) {
        http_field_error(req, "uscc", "application_pending");
        return http_fail(req, ERR_CONFLICT, "application_pending");
    }
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    app_audit(req, "application.create",
              arena_printf(&req->arena, "application:%lld", (long long)id), "ok",
              http_body_str(req, "name"));
    http_json(req, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "pending"));
    return ERR_OK;
}

#define APP_SELECT                                                                                 \
    "SELECT a.id, a.name, a.short_name, a.kind, a.uscc, a.city, a.address, a.website, a.intro, "   \
    "a.contact_name, a.contact_phone_masked, a.contact_email, a.status, a.reason, "                \
    "coalesce(a.unit_id, 0), a.created_at, coalesce(a.reviewed_at, 0), c.name FROM applications "  \
    "a JOIN regions c ON c.code = a.city "

static json_t *application_json(struct db_stmt *st)
{
    json_t *j = json_pack("{s:I}", "id", (json_int_t)db_col_int(st, 0));
    for (int i = 0; app_cols[i]; i++)
        json_object_set_new(j, app_cols[i], json_string(db_col_text(st, i + 1)));
    char at[32];
    json_object_set_new(j, "status", json_string(db_col_text(st, 12)));
    json_object_set_new(j, "reason", json_string(db_col_text(st, 13)));
    int64_t unit = db_col_int(st, 14);
    json_object_set_new(j, "unit_id", unit ? json_integer(unit) : json_null());
    time_iso8601(db_col_int(st, 15), at, sizeof(at));
    json_object_set_new(j, "created_at", json_string(at));
    json_object_set_new(j, "city_name", json_string(db_col_text(st, 17)));
    return j;
}

enum err h_applications_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    const char *status = http_query_get(req, "status");
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM applications WHERE ($1 IS NULL OR status = $1)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, status && status[0] ? status : NULL, -1);
    int64_t total = db_scalar(st);
    st = db_prepare(db, APP_SELECT "WHERE ($1 IS NULL OR a.status = $1) ORDER BY a.id DESC "
                                   "LIMIT $2 OFFSET $3");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, status && status[0] ? status : NULL, -1);
    db_bind_int(st, 2, size);
    db_bind_int(st, 3, (page - 1) * size);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, application_json(st));
    db_done(st);
    req->personal = true;
    http_list(req, items, total, page, size);
    return ERR_OK;
}

/* Loads application id (its contact phone masked). */
static json_t *application_load(struct http_req *req, int64_t id)
{
    struct db_stmt *st = db_prepare(app_db(req), APP_SELECT "WHERE a.id = $1");
    if (st == NULL)
        return NULL;
    db_bind_int(st, 1, id);
    json_t *j = NULL;
    if (db_step(st) == DB_ROW) {
        j = application_json(st);
    }
    db_done(st);
    return j;
}

enum err h_applications_get(struct http_req *req)
{
    json_t *j = application_load(req, req->params[0]);
    if (j == NULL)
        return ERR_NOT_FOUND;
    const char *full = http_query_get(req, "full");
    if (full && strcmp(full, "1") == 0) { /* pii.read_full, audited (SEC-D5) */
        if (!app_role_permits(req->who.role, "pii.read_full")) {
            json_decref(j);
            return http_fail(req, ERR_FORBIDDEN, "forbidden");
        }
        char *phone =
            pii_read(app_db(req), "SELECT contact_phone_enc FROM applications WHERE id = $1",
                     req->params[0], PII_PHONE);
        json_object_set_new(j, "contact_phone", json_string(phone ? phone : ""));
        free(phone);
        app_audit(req, "application.read_full",
                  arena_printf(&req->arena, "application:%lld", (long long)req->params[0]), "ok",
                  "contact_phone");
    }
    req->personal = true;
    http_json(req, 200, j);
    return ERR_OK;
}

static enum err mark_reviewed(struct http_req *req, int64_t id, const char *status,
                              const char *reason, int64_t unit_id)
{
    struct db_stmt *st =
        db_prepare(app_db(req), "UPDATE applications SET status = $1, reason = $2, unit_id = "
                                "$3, reviewed_by = $4, reviewed_at = $5 WHERE id = $6 AND "
                                "status = 'pending'");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, status, -1);
    db_bind_text(st, 2, reason, -1);
    if (unit_id)
        db_bind_int(st, 3, unit_id);
    db_bind_int(st, 4, req->who.user_id);
    db_bind_int(st, 5, time_now_ms());
    db_bind_int(st, 6, id);
    enum err e = db_run(st);
    if (e == ERR_OK && db_changes(app_db(req)) != 1)
        return http_fail(req, ERR_CONFLICT, "application_reviewed");
    return e;
}

static enum err create_member(struct http_req *req, json_t *a, int64_t app_id, int64_t *unit)
{
    struct db *db = app_db(req);
    json_t *u = json_object();
    static const char *const cols[] = {"name",    "short_name", "kind",  "uscc", "city",
                                       "address", "website",    "intro", NULL};
    for (const char *const *k = cols; *k; k++)
        json_object_set(u, *k, json_object_get(a, *k));
    char today[16];
    time_date(time_now_ms(), today, sizeof(today));
    json_object_set_new(u, "joined", json_string(today));
    struct field_sink sink = {sink_to_req, req};
    enum err e = ERR_OK;
    if (!unit_validate(db, u, false, 0, &sink))
        e = http_fail(req, ERR_CONFLICT, "already_member");
    if (e == ERR_OK)
        e = unit_insert(db, u, unit);
    json_decref(u);
    if (e != ERR_OK)
        return e;
    /* The contact's sealed phone moves over as it is (same kind, same key). */
    struct db_stmt *st = db_prepare(
        db,
        "INSERT INTO people(unit_id, name, title, email, phone_enc, phone_index, phone_masked, "
        "created_at, updated_at) SELECT $1, contact_name, '', contact_email, contact_phone_enc, "
        "contact_phone_index, contact_phone_masked, $2, $2 FROM applications WHERE id = $3");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, *unit);
    db_bind_int(st, 2, time_now_ms());
    db_bind_int(st, 3, app_id);
    return db_run(st);
}

enum err h_applications_approve(struct http_req *req)
{
    int64_t id = req->params[0], unit = 0;
    json_t *a = application_load(req, id);
    if (a == NULL)
        return ERR_NOT_FOUND;
    enum err e = strcmp(json_string_value(json_object_get(a, "status")), "pending") == 0
                     ? create_member(req, a, id, &unit)
                     : http_fail(req, ERR_CONFLICT, "application_reviewed");
    json_decref(a);
    if (e == ERR_OK)
        e = mark_reviewed(req, id, "approved", "", unit);
    if (e != ERR_OK)
        return e;
    app_audit(req, "application.approve",
              arena_printf(&req->arena, "application:%lld", (long long)id), "ok",
              arena_printf(&req->arena, "unit=%lld", (long long)unit));
    app_audit(req, "unit.create", arena_printf(&req->arena, "unit:%lld", (long long)unit), "ok",
              arena_printf(&req->arena, "from application %lld", (long long)id));
    req->personal = true;
    http_json(req, 200, application_load(req, id));
    return ERR_OK;
}

enum err h_applications_reject(struct http_req *req)
{
    int64_t id = req->params[0];
    json_t *a = application_load(req, id);
    if (a == NULL)
        return ERR_NOT_FOUND;
    json_decref(a);
    const char *reason = http_body_str(req, "reason");
    if (reason == NULL || reason[0] == '\0') {
        http_field_error(req, "reason", "reason_required");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    enum err e = mark_reviewed(req, id, "rejected", reason, 0);
    if (e != ERR_OK)
        return e;
    app_audit(req, "application.reject",
              arena_printf(&req->arena, "application:%lld", (long long)id), "ok", reason);
    req->personal = true;
    http_json(req, 200, application_load(req, id));
    return ERR_OK;
}
