/*
 * store.c - the SQL and validation of regions and units.
 */
#include "modules/directory/directory.h"
#include "modules/directory/internal.h"
#include "base/embed.h"
#include "base/str.h"
#include "base/time.h"
#include "lib/ids.h"

#include <stdio.h>
#include <string.h>

extern const struct embedded_file data_files[];

const char *const unit_kinds[] = {
    "technical_school", "vocational_college", "enterprise", "research_institute", "agency", NULL};
const char *const unit_roles[] = {"chair", "vice_chair", "council", "member", NULL};
const char *const unit_statuses[] = {"active", "suspended", "withdrawn", NULL};
const char *const unit_columns[] = {"name",   "short_name", "kind",    "uscc",    "city",  "role",
                                    "status", "joined",     "address", "website", "intro", NULL};

const struct embedded_file *data_file(const char *name);
const struct embedded_file *data_file(const char *name)
{
    for (const struct embedded_file *f = data_files; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* --- regions --------------------------------------------------------------- */

struct region_load {
    struct db *db;
    int loaded;
    enum err e;
};

static bool region_row(void *arg, int64_t row, const char *const *f, int n)
{
    struct region_load *rl = arg;
    if (row == 0 || n != 4)
        return true;
    struct db_stmt *st = db_prepare(rl->db, "INSERT INTO regions(code, name, level, parent) "
                                            "VALUES ($1, $2, $3, $4)");
    if (st == NULL) {
        rl->e = ERR_INTERNAL;
        return false;
    }
    db_bind_text(st, 1, f[0], -1);
    db_bind_text(st, 2, f[1], -1);
    db_bind_text(st, 3, f[2], -1);
    db_bind_text(st, 4, f[3][0] ? f[3] : NULL, -1);
    rl->e = db_run(st);
    rl->loaded += rl->e == ERR_OK;
    return rl->e == ERR_OK;
}

enum err regions_load(struct db *db, int *loaded)
{
    *loaded = 0;
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM regions");
    if (st == NULL)
        return ERR_INTERNAL;
    int64_t have = db_scalar(st);
    if (have > 0)
        return ERR_OK;
    const struct embedded_file *f = data_file("regions.csv");
    if (f == NULL)
        return ERR_INTERNAL;
    struct region_load rl = {db, 0, ERR_OK};
    enum err e = db_begin(db);
    if (e != ERR_OK)
        return e;
    if (!csv_each(f->data, f->len, region_row, &rl) || rl.e != ERR_OK) {
        db_rollback(db);
        return rl.e != ERR_OK ? rl.e : ERR_INTERNAL;
    }
    *loaded = rl.loaded;
    return db_commit(db);
}

bool region_is_city(struct db *db, const char *code)
{
    struct db_stmt *st = db_prepare(db, "SELECT 1 FROM regions WHERE code = $1 AND level = 'city'");
    if (st == NULL)
        return false;
    db_bind_text(st, 1, code, -1);
    bool found = db_step(st) == DB_ROW;
    db_done(st);
    return found;
}

/* --- units ------------------------------------------------------------------- */

static bool in_list(const char *const *list, const char *v)
{
    for (; *list; list++)
        if (strcmp(*list, v) == 0)
            return true;
    return false;
}

static const char *get(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool taken(struct db *db, const char *sql, const char *value, int64_t except_id)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (st == NULL)
        return false;
    db_bind_text(st, 1, value, -1);
    db_bind_int(st, 2, except_id);
    bool found = db_step(st) == DB_ROW;
    db_done(st);
    return found;
}

static bool url_ok(const char *s)
{
    return s[0] == '\0' || strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* Length limits in code points, by column. */
static int max_len(const char *col)
{
    if (strcmp(col, "intro") == 0)
        return 2000;
    if (strcmp(col, "name") == 0 || strcmp(col, "address") == 0 || strcmp(col, "website") == 0)
        return 200;
    return 50;
}

bool unit_field_required(const char *col)
{
    static const char *const required[] = {"name", "kind", "uscc", "city", NULL};
    return in_list(required, col);
}

bool unit_validate(struct db *db, json_t *obj, bool partial, int64_t except_id,
                   const struct field_sink *sink)
{
    bool ok = true;
#define BAD(field, key) (sink->add(sink->ctx, field, key), ok = false)
    for (int i = 0; unit_columns[i]; i++) {
        const char *col = unit_columns[i];
        const char *v = get(obj, col);
        bool required = unit_field_required(col);
        if (v == NULL || v[0] == '\0') {
            if (required && (!partial || v != NULL))
                BAD(col, "required");
            continue;
        }
        size_t n = strlen(v);
        if (!utf8_valid(v, n) || utf8_length(v, n) > (size_t)max_len(col))
            BAD(col, "too_long");
        else if (str_has_control(v, n) && strcmp(col, "intro") != 0)
            BAD(col, "control_chars");
    }
    const char *v;
    if ((v = get(obj, "kind")) && v[0] && !in_list(unit_kinds, v))
        BAD("kind", "not_a_choice");
    if ((v = get(obj, "role")) && v[0] && !in_list(unit_roles, v))
        BAD("role", "not_a_choice");
    if ((v = get(obj, "status")) && v[0] && !in_list(unit_statuses, v))
        BAD("status", "not_a_choice");
    if ((v = get(obj, "uscc")) && v[0] && !ids_uscc_valid(v, strlen(v)))
        BAD("uscc", "uscc_invalid");
    else if (v && v[0] &&
             taken(db, "SELECT 1 FROM units WHERE uscc = $1 AND id <> $2", v, except_id))
        BAD("uscc", "uscc_taken");
    if ((v = get(obj, "name")) && v[0] &&
        taken(db, "SELECT 1 FROM units WHERE name = $1 AND id <> $2", v, except_id))
        BAD("name", "name_taken");
    if ((v = get(obj, "city")) && v[0] &&
        (!ids_region_code_valid(v, strlen(v)) || !region_is_city(db, v)))
        BAD("city", "city_invalid");
    if ((v = get(obj, "website")) && !url_ok(v))
        BAD("website", "url_invalid");
    if ((v = get(obj, "joined")) && v[0] && !str_date_valid(v))
        BAD("joined", "bad_date");
#undef BAD
    return ok;
}

enum err unit_insert(struct db *db, json_t *obj, int64_t *id)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO units(name, short_name, kind, uscc, city, role, status, joined, address, "
            "website, intro, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
            "coalesce(nullif($6, ''), 'member'), coalesce(nullif($7, ''), 'active'), $8, $9, $10, "
            "$11, $12, $12)");
    if (st == NULL)
        return ERR_INTERNAL;
    for (int i = 0; unit_columns[i]; i++) {
        const char *v = get(obj, unit_columns[i]);
        db_bind_text(st, i + 1, v ? v : "", -1);
    }
    db_bind_int(st, 12, time_now_ms());
    enum err e = db_run(st);
    if (e == ERR_OK)
        *id = db_last_id(db);
    return e;
}

json_t *unit_load(struct db *db, int64_t id)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT u.id, u.name, u.short_name, u.kind, u.uscc, u.city, u.role, u.status, "
            "u.joined, u.address, u.website, u.intro, c.name, p.code, p.name, u.created_at, "
            "u.updated_at, (SELECT count(*) FROM people WHERE unit_id = u.id) FROM units u "
            "JOIN regions c ON c.code = u.city LEFT JOIN regions p ON p.code = c.parent "
            "WHERE u.id = $1");
    if (st == NULL)
        return NULL;
    db_bind_int(st, 1, id);
    json_t *j = NULL;
    if (db_step(st) == DB_ROW)
        j = unit_row_json(st, true);
    db_done(st);
    return j;
}

json_t *unit_row_json(struct db_stmt *st, bool detail)
{
    json_t *j = json_pack("{s:I}", "id", (json_int_t)db_col_int(st, 0));
    for (int i = 0; unit_columns[i]; i++) {
        if (!detail && strcmp(unit_columns[i], "intro") == 0)
            continue;
        json_object_set_new(j, unit_columns[i], json_string(db_col_text(st, i + 1)));
    }
    json_object_set_new(j, "city_name", json_string(db_col_text(st, 12)));
    json_object_set_new(j, "province", json_string(db_col_text(st, 13)));
    json_object_set_new(j, "province_name", json_string(db_col_text(st, 14)));
    if (detail) {
        char at[32];
        time_iso8601(db_col_int(st, 15), at, sizeof(at));
        json_object_set_new(j, "created_at", json_string(at));
        time_iso8601(db_col_int(st, 16), at, sizeof(at));
        json_object_set_new(j, "updated_at", json_string(at));
        json_object_set_new(j, "people_count", json_integer(db_col_int(st, 17)));
    }
    return j;
}
