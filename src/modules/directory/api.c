/*
 * api.c - routes of member units, regions and the alliance record.
 *
 * Anyone may read the directory of active units (the public portal);
 * signed-in users see every status. The secretariat (alliance_admin)
 * creates, edits, deletes, imports and exports; a unit_admin edits only
 * the profile fields of its own unit, and another unit answers 404 (SEC-B2).
 */
#include "modules/directory/directory.h"
#include "modules/directory/internal.h"
#include "modules/app.h"
#include "modules/accounts/accounts.h"
#include "base/alloc.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const export_formats[] = {"csv", "xlsx", NULL};
static const char *const sort_choices[] = {"name", "-name", "joined", "-joined",
                                           "id",   "-id",   "city",   NULL};
static const char *const bool_choices[] = {"true", "false", "1", "0", NULL};

static const struct http_field unit_fields[] = {
    {"name", FT_STRING, true, 200, NULL, "full registered name"},
    {"short_name", FT_STRING, false, 50, NULL, NULL},
    {"kind", FT_ENUM, true, 32, unit_kinds, NULL},
    {"uscc", FT_STRING, true, 18, NULL, "统一社会信用代码, 18 characters"},
    {"city", FT_STRING, true, 6, NULL, "GB/T 2260 city code"},
    {"role", FT_ENUM, false, 16, unit_roles, NULL},
    {"status", FT_ENUM, false, 16, unit_statuses, NULL},
    {"joined", FT_DATE, false, 10, NULL, NULL},
    {"address", FT_STRING, false, 200, NULL, NULL},
    {"website", FT_STRING, false, 200, NULL, NULL},
    {"intro", FT_STRING, false, 2000, NULL, NULL},
    {0},
};

/* What a unit_admin may change on its own unit. */
static const char *const own_unit_fields[] = {"short_name", "address", "website", "intro", NULL};

static const struct http_field unit_query[] = {
    {"q", FT_STRING, false, 64, NULL, "name, short name or credit code"},
    {"city", FT_STRING, false, 6, NULL, "city code"},
    {"province", FT_STRING, false, 6, NULL, "province code, e.g. 130000"},
    {"kind", FT_ENUM, false, 32, unit_kinds, NULL},
    {"role", FT_ENUM, false, 16, unit_roles, NULL},
    {"status", FT_ENUM, false, 16, unit_statuses, NULL},
    {"sort", FT_ENUM, false, 16, sort_choices, "name, joined, id, city; '-' for descending"},
    {"page", FT_INT, false, 0, NULL, NULL},
    {"page_size", FT_INT, false, 0, NULL, NULL},
    {"format", FT_ENUM, false, 8, export_formats, "export only"},
    {0},
};

void sink_to_req(void *ctx, const char *field, const char *key)
{
    http_field_error(ctx, field, key);
}

#define UNIT_SELECT                                                                                \
    "SELECT u.id, u.name, u.short_name, u.kind, u.uscc, u.city, u.role, u.status, u.joined, "      \
    "u.address, u.website, u.intro, c.name, p.code, p.name, u.created_at, u.updated_at, 0 "        \
    "FROM units u JOIN regions c ON c.code = u.city LEFT JOIN regions p ON p.code = c.parent "
#define UNIT_WHERE                                                                                 \
    "WHERE ($1 IS NULL OR u.city = $1) AND ($2 IS NULL OR c.parent = $2) AND ($3 IS NULL OR "      \
    "u.kind = $3) AND ($4 IS NULL OR u.role = $4) AND ($5 IS NULL OR u.status = $5) AND ($6 IS "   \
    "NULL OR instr(u.name, $6) > 0 OR instr(u.short_name, $6) > 0 OR u.uscc = upper($6) OR ($10 "  \
    "IS NOT NULL AND u.id IN " APP_SEARCH_REFS("unit", 10) ")) AND ($9 IS NULL OR u.status = $9) "
#define UNIT_PAGE " LIMIT $7 OFFSET $8"

/* The SQL of each sort order (never built from user text). */
static const char *const unit_list_sql[] = {
    UNIT_SELECT UNIT_WHERE "ORDER BY u.name" UNIT_PAGE,
    UNIT_SELECT UNIT_WHERE "ORDER BY u.name DESC" UNIT_PAGE,
    UNIT_SELECT UNIT_WHERE "ORDER BY u.joined, u.id" UNIT_PAGE,
    UNIT_SELECT UNIT_WHERE "ORDER BY u.joined DESC, u.id DESC" UNIT_PAGE,
    UNIT_SELECT UNIT_WHERE "ORDER BY u.id" UNIT_PAGE,
    UNIT_SELECT UNIT_WHERE "ORDER BY u.id DESC" UNIT_PAGE,
    UNIT_SELECT UNIT_WHERE "ORDER BY u.city, u.id" UNIT_PAGE,
};

static int sort_index(const char *sort)
{
    for (int i = 0; sort && sort_choices[i]; i++)
        if (strcmp(sort_choices[i], sort) == 0)
            return i;
    return 4; /* id */
}

static void bind_unit_filters(struct http_req *req, struct db_stmt *st)
{
    static const char *const keys[] = {"city", "province", "kind", "role", "status", "q"};
    for (int i = 0; i < 6; i++) {
        const char *v = http_query_get(req, keys[i]);
        db_bind_text(st, i + 1, v && v[0] ? v : NULL, -1);
    }
    app_search_bind(st, 10, http_query_get(req, "q"));
    /* The public sees active members only, whatever it filters on. */
    if (req->who.role == NULL)
        db_bind_text(st, 9, "active", -1);
}

static json_t *unit_rows(struct http_req *req, const char *sql, int64_t limit, int64_t offset)
{
    struct db_stmt *st = db_prepare(app_db(req), sql);
    if (st == NULL)
        return NULL;
    bind_unit_filters(req, st);
    db_bind_int(st, 7, limit);
    db_bind_int(st, 8, offset);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, unit_row_json(st, false));
    db_done(st);
    return items;
}

/* Anonymous callers see active units only: two visibility classes. */
static const char *visibility(const struct http_req *req)
{
    return req->who.role == NULL ? "public" : "member";
}

static enum err h_units_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    if (app_cache_answer(req, visibility(req)))
        return ERR_OK;
    struct db_stmt *st = db_prepare(
        app_db(req), "SELECT count(*) FROM units u JOIN regions c ON c.code = u.city " UNIT_WHERE);
    if (st == NULL)
        return ERR_INTERNAL;
    bind_unit_filters(req, st);
    int64_t total = db_scalar(st);
    json_t *items = unit_rows(req, unit_list_sql[sort_index(http_query_get(req, "sort"))], size,
                              (page - 1) * size);
    if (items == NULL)
        return ERR_INTERNAL;
    http_list(req, items, total, page, size);
    app_cache_keep(req, visibility(req));
    return ERR_OK;
}

static enum err h_units_export(struct http_req *req)
{
    const char *fmt = http_query_get(req, "format");
    bool xlsx = fmt && strcmp(fmt, "xlsx") == 0;
    json_t *rows =
        unit_rows(req, unit_list_sql[sort_index(http_query_get(req, "sort"))], 100000, 0);
    if (rows == NULL)
        return ERR_INTERNAL;
    char *data = NULL;
    size_t len = 0;
    enum err e = units_export(app_db(req), rows, xlsx, &data, &len);
    size_t count = json_array_size(rows);
    json_decref(rows);
    if (e != ERR_OK)
        return e;
    char *copy = arena_alloc(&req->arena, len);
    memcpy(copy, data, len);
    free(data);
    req->out = copy;
    req->out_len = len;
    req->out_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : "text/csv; charset=utf-8";
    req->out_filename = xlsx ? "units.xlsx" : "units.csv";
    req->status = 200;
    /* Writing the audit row makes this GET a short write (SEC-D1). */
    app_audit(req, "units.export", "units", "ok",
              arena_printf(&req->arena, "format=%s rows=%zu", xlsx ? "xlsx" : "csv", count));
    return ERR_OK;
}

static enum err h_units_get(struct http_req *req)
{
    json_t *u = unit_load(app_db(req), req->params[0]);
    if (u == NULL)
        return ERR_NOT_FOUND;
    const char *status = json_string_value(json_object_get(u, "status"));
    if (req->who.role == NULL && strcmp(status, "active") != 0) {
        json_decref(u);
        return ERR_NOT_FOUND;
    }
    http_json(req, 200, u);
    return ERR_OK;
}

static enum err h_units_create(struct http_req *req)
{
    struct db *db = app_db(req);
    struct field_sink sink = {sink_to_req, req};
    if (!unit_validate(db, req->body, false, 0, &sink))
        return http_fail(req, ERR_INVALID, "validation_failed");
    int64_t id;
    enum err e = unit_insert(db, req->body, &id);
    if (e != ERR_OK)
        return e;
    app_audit(req, "unit.create", arena_printf(&req->arena, "unit:%lld", (long long)id), "ok",
              http_body_str(req, "name"));
    http_json(req, 201, unit_load(db, id));
    return ERR_OK;
}

/* A unit_admin may touch only its own unit, and only profile fields. */
static enum err own_unit_check(struct http_req *req, int64_t unit_id)
{
    if (app_sees_all_units(req))
        return ERR_OK;
    if (req->who.unit_id != unit_id)
        return ERR_NOT_FOUND;
    const char *key;
    json_t *v;
    bool bad = false;
    json_object_foreach(req->body, key, v)
    {
        bool allowed = false;
        for (const char *const *f = own_unit_fields; *f; f++)
            allowed = allowed || strcmp(*f, key) == 0;
        if (!allowed) {
            http_field_error(req, key, "unknown_field");
            bad = true;
        }
    }
    return bad ? http_fail(req, ERR_INVALID, "validation_failed") : ERR_OK;
}

static enum err h_units_update(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    json_t *cur = unit_load(db, id);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    enum err e = own_unit_check(req, id);
    /* null clears an optional field; a required one, or role and status
     * (which have defaults only at creation), cannot be cleared. */
    const char *key;
    json_t *v;
    json_object_foreach(req->body, key, v)
    {
        if (!json_is_null(v))
            continue;
        if (unit_field_required(key) || strcmp(key, "role") == 0 || strcmp(key, "status") == 0)
            http_field_error(req, key, "required");
        else
            json_object_set_new(req->body, key, json_string(""));
    }
    if (e == ERR_OK && req->err_fields != NULL)
        e = http_fail(req, ERR_INVALID, "validation_failed");
    struct field_sink sink = {sink_to_req, req};
    if (e == ERR_OK && !unit_validate(db, req->body, true, id, &sink))
        e = http_fail(req, ERR_INVALID, "validation_failed");
    if (e != ERR_OK) {
        json_decref(cur);
        return e;
    }
    json_object_update_existing(cur, req->body);
    struct db_stmt *st = db_prepare(
        db, "UPDATE units SET name = $1, short_name = $2, kind = $3, uscc = $4, city = $5, "
            "role = $6, status = $7, joined = $8, address = $9, website = $10, intro = $11, "
            "updated_at = $12 WHERE id = $13");
    if (st == NULL) {
        json_decref(cur);
        return ERR_INTERNAL;
    }
    for (int i = 0; unit_columns[i]; i++)
        db_bind_text(st, i + 1, json_string_value(json_object_get(cur, unit_columns[i])), -1);
    db_bind_int(st, 12, time_now_ms());
    db_bind_int(st, 13, id);
    json_decref(cur);
    e = db_run(st);
    if (e != ERR_OK)
        return e;
    char *changed = json_dumps(req->body, JSON_COMPACT | JSON_SORT_KEYS);
    app_audit(req, "unit.update", arena_printf(&req->arena, "unit:%lld", (long long)id), "ok",
              changed ? changed : "");
    free(changed);
    http_json(req, 200, unit_load(db, id));
    return ERR_OK;
}

static enum err h_units_delete(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    json_t *cur = unit_load(db, id);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    json_decref(cur);
    struct db_stmt *st = db_prepare(db, "SELECT 1 FROM users WHERE unit_id = $1 LIMIT 1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, id);
    bool has_users = db_step(st) == DB_ROW;
    db_done(st);
    if (has_users)
        return http_fail(req, ERR_CONFLICT, "unit_has_users");
    st = db_prepare(db, "UPDATE applications SET unit_id = NULL WHERE unit_id = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    st = db_prepare(db, "DELETE FROM units WHERE id = $1");
    db_bind_int(st, 1, id);
    if (e == ERR_OK)
        e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "unit.delete", arena_printf(&req->arena, "unit:%lld", (long long)id), "ok", "");
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

static enum err h_units_history(struct http_req *req)
{
    int64_t id = req->params[0];
    if (!app_sees_all_units(req) && req->who.unit_id != id)
        return ERR_NOT_FOUND;
    struct db_stmt *st =
        db_prepare(app_db(req), "SELECT at, username, action, detail FROM audit_log "
                                "WHERE object = $1 ORDER BY id DESC LIMIT 100");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, arena_printf(&req->arena, "unit:%lld", (long long)id), -1);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        char at[32];
        time_iso8601(db_col_int(st, 0), at, sizeof(at));
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "at", at, "username",
                                               db_col_text(st, 1), "action", db_col_text(st, 2),
                                               "detail", db_col_text(st, 3)));
    }
    db_done(st);
    http_json(req, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

static bool query_true(struct http_req *req, const char *key)
{
    const char *v = http_query_get(req, key);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* A CSV import running on a worker thread: one transaction, all rows or
 * none, progress visible at GET /api/v1/jobs/{id}. */
struct import_job {
    struct http_job base;
    char *csv;
    size_t len;
    struct app_job_caller who;
};

static void import_progress(void *arg, int64_t done, int64_t total)
{
    app_job_progress(*(int64_t *)arg, done, total);
}

static void import_run(struct http_job *job, void *thread_ctx)
{
    struct import_job *ij = (struct import_job *)job;
    struct db *db = ((struct app_thread *)thread_ctx)->db;
    json_t *report = NULL;
    app_job_started(db, job->id);
    enum err e = db_begin(db);
    if (e == ERR_OK)
        e = units_import_csv(db, ij->csv, ij->len, false, ij->who.lang, &report, import_progress,
                             &job->id);
    char detail[64];
    snprintf(detail, sizeof(detail), "job=%lld rows=%lld", (long long)job->id,
             (long long)(report ? json_integer_value(json_object_get(report, "valid")) : 0));
    if (e == ERR_OK)
        e = app_job_audit(db, &ij->who, "units.import", "units", "ok", detail);
    if (e == ERR_OK)
        e = db_commit(db);
    else
        db_rollback(db);
    if (e != ERR_OK) /* the failure is on record too */
        app_job_audit(db, &ij->who, "units.import", "units", "failed", detail);
    app_job_finish(db, job->id, e == ERR_OK,
                   i18n_text(ij->who.lang, e == ERR_OK        ? "ok"
                                       : e == ERR_INVALID ? "csv_rows_invalid"
                                                          : err_name(e)),
                   report);
    json_decref(report);
}

static void import_destroy(struct http_job *job)
{
    struct import_job *ij = (struct import_job *)job;
    free(ij->csv);
    free(ij);
}

static enum err h_units_import(struct http_req *req)
{
    bool dry = query_true(req, "dry_run");
    json_t *report = NULL;
    if (!dry) {
        int64_t id = app_job_create(req, "units.import");
        if (id == 0)
            return ERR_INTERNAL;
        struct import_job *ij = xcalloc(1, sizeof(*ij));
        ij->base = (struct http_job){id, import_run, import_destroy, NULL};
        ij->csv = xmalloc(req->raw_body_len + 1);
        memcpy(ij->csv, req->raw_body, req->raw_body_len);
        ij->len = req->raw_body_len;
        app_job_caller(req, &ij->who);
        http_jobs_submit(&ij->base);
        http_json(req, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)id, "state", "queued"));
        return ERR_OK;
    }
    enum err e = units_import_csv(app_db(req), req->raw_body, req->raw_body_len, true, req->lang,
                                  &report, NULL, NULL);
    if (e == ERR_OK) {
        http_json(req, 200, report);
        return ERR_OK;
    }
    if (e == ERR_INVALID) {
        req->err_extra = json_pack("{s:o}", "report", report);
        return http_fail(req, ERR_INVALID, "csv_rows_invalid");
    }
    json_decref(report);
    return e;
}

static enum err h_units_stats(struct http_req *req)
{
    struct db *db = app_db(req);
    if (app_cache_answer(req, "public"))
        return ERR_OK;
    static const char *const sql[] = {
        "SELECT kind, '', count(*) FROM units WHERE status = 'active' GROUP BY kind ORDER BY 3 "
        "DESC",
        "SELECT u.city, c.name, count(*) FROM units u JOIN regions c ON c.code = u.city WHERE "
        "u.status = 'active' GROUP BY u.city ORDER BY 3 DESC, 1",
        "SELECT c.parent, p.name, count(*) FROM units u JOIN regions c ON c.code = u.city JOIN "
        "regions p ON p.code = c.parent WHERE u.status = 'active' GROUP BY c.parent ORDER BY 3 "
        "DESC, 1",
        "SELECT role, '', count(*) FROM units WHERE status = 'active' GROUP BY role ORDER BY 3 "
        "DESC",
    };
    static const char *const names[] = {"by_kind", "by_city", "by_province", "by_role"};
    json_t *out = json_object();
    for (int i = 0; i < 4; i++) {
        struct db_stmt *st = db_prepare(db, sql[i]);
        if (st == NULL) {
            json_decref(out);
            return ERR_INTERNAL;
        }
        json_t *arr = json_array();
        while (db_step(st) == DB_ROW)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "key", db_col_text(st, 0),
                                                 "name", db_col_text(st, 1), "count",
                                                 (json_int_t)db_col_int(st, 2)));
        db_done(st);
        json_object_set_new(out, names[i], arr);
    }
    http_json(req, 200, out);
    app_cache_keep(req, "public");
    return ERR_OK;
}

/* --- regions and the alliance --------------------------------------------- */

static const char *const level_choices[] = {"province", "city", "county", NULL};
static const struct http_field region_query[] = {
    {"level", FT_ENUM, false, 10, level_choices, NULL},
    {"parent", FT_STRING, false, 6, NULL, "parent region code"},
    {0},
};

static enum err h_regions(struct http_req *req)
{
    struct db_stmt *st =
        db_prepare(app_db(req), "SELECT code, name, level, coalesce(parent, '') FROM regions "
                                "WHERE ($1 IS NULL OR level = $1) AND ($2 IS NULL OR parent = "
                                "$2) ORDER BY code LIMIT 5000");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, http_query_get(req, "level"), -1);
    db_bind_text(st, 2, http_query_get(req, "parent"), -1);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "code", db_col_text(st, 0),
                                               "name", db_col_text(st, 1), "level",
                                               db_col_text(st, 2), "parent", db_col_text(st, 3)));
    db_done(st);
    http_json(req, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

static const struct http_field alliance_fields[] = {
    {"name", FT_STRING, true, 100, NULL, NULL},
    {"short_name", FT_STRING, false, 50, NULL, NULL},
    {"founded", FT_DATE, false, 10, NULL, NULL},
    {"intro", FT_STRING, false, 5000, NULL, NULL},
    {0},
};

static enum err h_alliance_get(struct http_req *req)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT name, short_name, founded, intro, "
                                                 "(SELECT count(*) FROM units WHERE status = "
                                                 "'active') FROM alliance WHERE id = 1");
    if (st == NULL)
        return ERR_INTERNAL;
    enum err e = ERR_NOT_FOUND;
    if (db_step(st) == DB_ROW) {
        http_json(req, 200,
                  json_pack("{s:s, s:s, s:s, s:s, s:I}", "name", db_col_text(st, 0), "short_name",
                            db_col_text(st, 1), "founded", db_col_text(st, 2), "intro",
                            db_col_text(st, 3), "member_count", (json_int_t)db_col_int(st, 4)));
        e = ERR_OK;
    }
    db_done(st);
    return e;
}

static enum err h_alliance_put(struct http_req *req)
{
    struct db_stmt *st = db_prepare(
        app_db(req), "INSERT INTO alliance(id, name, short_name, founded, intro, updated_at) "
                     "VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT(id) DO UPDATE SET name = $1, "
                     "short_name = $2, founded = $3, intro = $4, updated_at = $5");
    if (st == NULL)
        return ERR_INTERNAL;
    static const char *const keys[] = {"name", "short_name", "founded", "intro"};
    for (int i = 0; i < 4; i++) {
        const char *v = http_body_str(req, keys[i]);
        db_bind_text(st, i + 1, v ? v : "", -1);
    }
    db_bind_int(st, 5, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "alliance.update", "alliance:1", "ok", http_body_str(req, "name"));
    return h_alliance_get(req);
}

static const struct http_field import_query[] = {
    {"dry_run", FT_ENUM, false, 5, bool_choices, "check only, write nothing"},
    {0},
};

const struct http_route directory_routes[] = {
    {HTTP_GET, "/api/v1/alliance", PERM_PUBLIC, h_alliance_get, "directory", "The alliance"},
    {HTTP_PUT, "/api/v1/alliance", "alliance.manage", h_alliance_put, "directory",
     "Edit the alliance record", alliance_fields},
    {HTTP_GET, "/api/v1/regions", PERM_PUBLIC, h_regions, "directory", "Regions (GB/T 2260)", NULL,
     region_query},
    {HTTP_GET, "/api/v1/units", PERM_PUBLIC, h_units_list, "directory", "Member units", NULL,
     unit_query},
    {HTTP_POST, "/api/v1/units", "units.create", h_units_create, "directory", "Add a member unit",
     unit_fields},
    {HTTP_GET, "/api/v1/units/stats", PERM_PUBLIC, h_units_stats, "directory",
     "Counts of active units by kind, city, province and role"},
    {HTTP_GET, "/api/v1/units/export", "units.export", h_units_export, "directory",
     "Export units as CSV or XLSX (same filters as the list)", NULL, unit_query},
    {HTTP_POST, "/api/v1/units/import", "units.import", h_units_import, "directory",
     "Import units from CSV as a job (all rows or none); dry_run=true checks at once", NULL,
     import_query, "text/csv"},
    {HTTP_GET, "/api/v1/units/{id}", PERM_PUBLIC, h_units_get, "directory", "One member unit"},
    {HTTP_PATCH, "/api/v1/units/{id}", "units.update", h_units_update, "directory",
     "Edit a unit (a unit_admin: own unit's profile only)", unit_fields},
    {HTTP_DELETE, "/api/v1/units/{id}", "units.delete", h_units_delete, "directory",
     "Delete a unit without user accounts"},
    {HTTP_GET, "/api/v1/units/{id}/history", "people.read", h_units_history, "directory",
     "Changes to a unit, from the audit log"},
    {HTTP_GET, "/api/v1/people", "people.read", h_people_list, "directory", "People", NULL,
     people_query},
    {HTTP_POST, "/api/v1/people", "people.write", h_people_create, "directory", "Add a person",
     people_fields},
    {HTTP_GET, "/api/v1/people/{id}", "people.read", h_people_get, "directory", "One person"},
    {HTTP_PATCH, "/api/v1/people/{id}", "people.write", h_people_update, "directory",
     "Edit a person", people_update_fields},
    {HTTP_DELETE, "/api/v1/people/{id}", "people.write", h_people_delete, "directory",
     "Remove a person"},
    {HTTP_POST, "/api/v1/applications", PERM_PUBLIC, h_apply, "directory",
     "Apply to join the alliance", application_fields},
    {HTTP_GET, "/api/v1/applications", "applications.review", h_applications_list, "directory",
     "Join applications", NULL, application_query},
    {HTTP_GET, "/api/v1/applications/{id}", "applications.review", h_applications_get, "directory",
     "One join application"},
    {HTTP_POST, "/api/v1/applications/{id}/approve", "applications.review", h_applications_approve,
     "directory", "Approve: creates the member unit"},
    {HTTP_POST, "/api/v1/applications/{id}/reject", "applications.review", h_applications_reject,
     "directory", "Reject with a reason", reject_fields},
    {0},
};
