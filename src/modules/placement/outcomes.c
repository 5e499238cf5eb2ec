/*
 * outcomes.c - graduates' employment outcomes (就业去向): entered or
 * imported by their school, counted by school, major, city and year, and
 * exported as XLSX.
 *
 *   employment rate = (employed + employed in field + further study)
 *                     / graduates with an outcome
 *   in-field rate   = employed in field / (employed + employed in field)
 *
 * A school sees and writes only its own graduates (SECURITY.md B2).
 */
#include "modules/placement/internal.h"
#include "modules/directory/directory.h"
#include "lib/ids.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTCOME_COLUMNS                                                                            \
    "s.id AS student_id, s.name AS student_name, s.student_no, s.unit_id, u.name AS unit_name, "   \
    "s.major, s.year, o.status, o.employer, o.city, coalesce(g.name, '') AS city_name, "           \
    "o.salary_band, o.updated_at"
#define OUTCOME_FROM                                                                               \
    "FROM students s JOIN units u ON u.id = s.unit_id LEFT JOIN outcomes o ON o.student_id = "     \
    "s.id LEFT JOIN regions g ON g.code = o.city "
/* $1 sees all, $2 the caller's unit, $3 year, $4 status, $5 major, $6 unit,
 * $7 q. */
#define OUTCOME_WHERE                                                                              \
    "WHERE ($1 = 1 OR s.unit_id = $2) AND ($3 IS NULL OR s.year = $3) AND ($4 IS NULL OR "         \
    "o.status = $4) AND ($5 IS NULL OR s.major = $5) AND ($6 IS NULL OR s.unit_id = $6) AND ($7 "  \
    "IS NULL OR instr(s.name, $7) > 0 OR s.student_no = $7) "

/* $1..$3 and $6: the scope, the year and the unit filters. */
static bool bind_scope(struct http_req *req, struct db_stmt *st)
{
    db_bind_int(st, 1, app_sees_all_units(req));
    db_bind_int(st, 2, req->who.unit_id);
    return pl_bind_int_filter(req, st, 3, "year") && pl_bind_int_filter(req, st, 6, "unit_id");
}

static bool bind_outcomes(struct http_req *req, struct db_stmt *st, void *ctx)
{
    (void)ctx;
    pl_bind_text_filter(req, st, 4, "status");
    pl_bind_text_filter(req, st, 5, "major");
    pl_bind_text_filter(req, st, 7, "q");
    return bind_scope(req, st);
}

enum err h_outcomes_list(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    static const struct pl_list_spec spec = {
        OUTCOME_COLUMNS, OUTCOME_FROM OUTCOME_WHERE, "s.year DESC, u.name, s.student_no", 8,
        bind_outcomes,   NULL,                       NULL};
    return pl_list(req, &spec, NULL);
}

/* The student's school if the caller may write her outcome (else 0). */
static int64_t student_in_scope(struct http_req *req, int64_t id)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT unit_id FROM students WHERE id = $1");
    db_bind_int(st, 1, id);
    int64_t unit = db_scalar(st);
    return unit > 0 && (app_sees_all_units(req) || unit == req->who.unit_id) ? unit : 0;
}

static bool city_ok(struct db *db, const char *city)
{
    return city == NULL || city[0] == '\0' ||
           (ids_region_code_valid(city, strlen(city)) && region_is_city(db, city));
}

static enum err outcome_write(struct db *db, int64_t student, const char *status,
                              const char *employer, const char *city, const char *band)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO outcomes(student_id, status, employer, city, salary_band, updated_at) "
            "VALUES ($1, $2, coalesce($3, ''), $4, $5, $6) ON CONFLICT (student_id) DO UPDATE SET "
            "status = excluded.status, employer = excluded.employer, city = excluded.city, "
            "salary_band = excluded.salary_band, updated_at = excluded.updated_at");
    db_bind_int(st, 1, student);
    db_bind_text(st, 2, status, -1);
    db_bind_text(st, 3, employer, -1);
    db_bind_text(st, 4, city && city[0] ? city : NULL, -1);
    db_bind_text(st, 5, band && band[0] ? band : NULL, -1);
    db_bind_int(st, 6, time_now_ms());
    return db_run(st);
}

static json_t *outcome_json(struct http_req *req, int64_t student)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT " OUTCOME_COLUMNS " " OUTCOME_FROM
                                                 "WHERE s.id = $1");
    db_bind_int(st, 1, student);
    json_t *o = app_row_one(st, NULL);
    return o;
}

enum err h_outcome_put(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    int64_t id = req->params[0];
    if (student_in_scope(req, id) == 0)
        return ERR_NOT_FOUND;
    const char *city = http_body_str(req, "city");
    if (!city_ok(app_db(req), city)) {
        http_field_error(req, "city", "city_invalid");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    enum err e = outcome_write(app_db(req), id, http_body_str(req, "status"),
                               http_body_str(req, "employer"), city,
                               http_body_str(req, "salary_band"));
    if (e != ERR_OK)
        return e;
    pl_audit(req, "outcome.set", "student", id, http_body_str(req, "status"));
    req->personal = true;
    http_json(req, 200, outcome_json(req, id));
    return ERR_OK;
}

enum err h_outcome_delete(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    int64_t id = req->params[0];
    if (student_in_scope(req, id) == 0)
        return ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(app_db(req), "DELETE FROM outcomes WHERE student_id = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "outcome.delete", "student", id, NULL);
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

/* --- import ------------------------------------------------------------------ */

struct oimport {
    struct http_req *req;
    int64_t unit;
    bool header_ok;
    json_t *rows, *errors;
    size_t bad_rows;
};

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static void row_error(struct oimport *im, int64_t row, const char *field, const char *key)
{
    json_array_append_new(im->errors, json_pack("{s:I, s:s, s:s}", "row", (json_int_t)row,
                                                "field", field, "message",
                                                i18n_text(im->req->lang, key)));
}

static bool oimport_row(void *arg, int64_t row, const char *const *f, int n)
{
    static const char *const header[] = {"student_no", "status", "employer", "city",
                                         "salary_band"};
    struct oimport *im = arg;
    if (row == 0) {
        im->header_ok = n == 5;
        for (int i = 0; im->header_ok && i < 5; i++)
            im->header_ok = strcmp(f[i], header[i]) == 0;
        return im->header_ok;
    }
    if (n == 1 && f[0][0] == '\0')
        return true;
    size_t before = json_array_size(im->errors);
    if (n != 5) {
        row_error(im, row + 1, "row", "csv_bad");
        im->bad_rows++;
        return json_array_size(im->errors) < 200;
    }
    struct db_stmt *st = db_prepare(app_db(im->req), "SELECT id FROM students WHERE unit_id = $1 "
                                                     "AND student_no = $2");
    db_bind_int(st, 1, im->unit);
    db_bind_text(st, 2, f[0], -1);
    int64_t student = db_scalar(st);
    if (student == 0)
        row_error(im, row + 1, "student_no", "placement.unknown_student");
    if (!in_list(f[1], pl_outcome_statuses))
        row_error(im, row + 1, "status", "not_a_choice");
    if (!city_ok(app_db(im->req), f[3]))
        row_error(im, row + 1, "city", "city_invalid");
    if (f[4][0] && !in_list(f[4], pl_salary_bands))
        row_error(im, row + 1, "salary_band", "not_a_choice");
    if (utf8_length(f[2], strlen(f[2])) > 100)
        row_error(im, row + 1, "employer", "too_long");
    if (json_array_size(im->errors) != before)
        im->bad_rows++;
    else
        json_array_append_new(im->rows, json_pack("{s:I, s:s, s:s, s:s, s:s}", "student",
                                                  (json_int_t)student, "status", f[1], "employer",
                                                  f[2], "city", f[3], "salary_band", f[4]));
    return json_array_size(im->errors) < 200;
}

enum err h_outcomes_import(struct http_req *req)
{
    enum err e = ERR_OK;
    int64_t unit = pl_import_school(req, &e);
    if (unit == 0)
        return e;
    struct oimport im = {req, unit, false, json_array(), json_array(), 0};
    bool parsed =
        csv_each(req->raw_body ? req->raw_body : "", req->raw_body_len, oimport_row, &im);
    bool dry = pl_query_true(req, "dry_run");
    size_t valid = json_array_size(im.rows), bad = json_array_size(im.errors);
    if (!im.header_ok)
        e = http_fail(req, ERR_INVALID, "csv_header");
    else if (!parsed && bad == 0)
        e = http_fail(req, ERR_INVALID, "csv_bad");
    size_t i;
    json_t *r;
    json_array_foreach(im.rows, i, r)
    {
        if (e != ERR_OK || bad > 0 || dry)
            break;
        e = outcome_write(app_db(req), json_integer_value(json_object_get(r, "student")),
                          json_string_value(json_object_get(r, "status")),
                          json_string_value(json_object_get(r, "employer")),
                          json_string_value(json_object_get(r, "city")),
                          json_string_value(json_object_get(r, "salary_band")));
    }
    if (e == ERR_OK) {
        json_t *report = json_pack("{s:I, s:I, s:I, s:I, s:O}", "rows",
                                   (json_int_t)(valid + im.bad_rows),
                                   "valid", (json_int_t)valid, "created",
                                   (json_int_t)(bad || dry ? 0 : valid), "updated", (json_int_t)0,
                                   "errors", im.errors);
        if (bad) {
            req->err_extra = json_pack("{s:o}", "report", report);
            e = http_fail(req, ERR_INVALID, "csv_rows_invalid");
        } else {
            if (!dry)
                pl_audit(req, "outcome.import", "unit", unit,
                         arena_printf(&req->arena, "rows=%zu", valid));
            http_json(req, 200, report);
        }
    }
    json_decref(im.rows);
    json_decref(im.errors);
    return e;
}

/* --- figures ------------------------------------------------------------------- */

static const char *const stat_columns[] = {
    "name",    "graduates", "employed",        "employed_in_field", "further_study",
    "seeking", "employment_rate", "in_field_rate", NULL};

static json_t *stats_row(struct db_stmt *st)
{
    int64_t g = db_col_int(st, 2), e = db_col_int(st, 3), f = db_col_int(st, 4);
    int64_t s = db_col_int(st, 5), k = db_col_int(st, 6);
    json_t *row = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "key", db_col_text(st, 0),
                            "name", db_col_text(st, 1), "graduates", (json_int_t)g, "employed",
                            (json_int_t)e, "employed_in_field", (json_int_t)f, "further_study",
                            (json_int_t)s, "seeking", (json_int_t)k);
    json_object_set_new(row, "employment_rate",
                        g ? json_real((double)(e + f + s) / (double)g) : json_null());
    json_object_set_new(row, "in_field_rate",
                        e + f ? json_real((double)f / (double)(e + f)) : json_null());
    return row;
}

/* The figures grouped by the query's `by` (school by default), and the
 * total; NULL after a bad filter. */
static json_t *outcome_stats(struct http_req *req)
{
    static const char *const groups[][2] = {
        {"school", "CAST(s.unit_id AS TEXT), u.name"},
        {"major", "s.major, s.major"},
        {"city", "coalesce(o.city, ''), coalesce(g.name, '')"},
        {"year", "CAST(s.year AS TEXT), CAST(s.year AS TEXT)"},
    };
    const char *by = http_query_get(req, "by"), *cols = groups[0][1];
    for (int i = 0; i < 4; i++)
        if (by && strcmp(by, groups[i][0]) == 0)
            cols = groups[i][1];
    const char *counts = "count(*), sum(o.status = 'employed'), sum(o.status = "
                         "'employed_in_field'), sum(o.status = 'further_study'), sum(o.status = "
                         "'seeking')";
    const char *from = "FROM outcomes o JOIN students s ON s.id = o.student_id JOIN units u ON "
                       "u.id = s.unit_id LEFT JOIN regions g ON g.code = o.city WHERE ($1 = 1 OR "
                       "s.unit_id = $2) AND ($3 IS NULL OR s.year = $3) AND ($6 IS NULL OR "
                       "s.unit_id = $6)";
    struct db_stmt *st = db_prepare(
        app_db(req), arena_printf(&req->arena, "SELECT %s, %s %s GROUP BY 1 ORDER BY 3 DESC, 1",
                                  cols, counts, from));
    if (!bind_scope(req, st)) {
        db_done(st);
        return NULL;
    }
    json_t *items = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(items, stats_row(st));
    db_done(st);
    st = db_prepare(app_db(req), arena_printf(&req->arena, "SELECT '', '', %s %s", counts, from));
    bind_scope(req, st);
    json_t *total = db_step(st) == DB_ROW ? stats_row(st) : json_object();
    db_done(st);
    json_object_del(total, "key");
    json_object_del(total, "name");
    return json_pack("{s:o, s:o}", "items", items, "total", total);
}

enum err h_outcomes_stats(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    json_t *s = outcome_stats(req);
    if (s == NULL)
        return http_fail(req, ERR_INVALID, "validation_failed");
    req->personal = true;
    http_json(req, 200, s);
    return ERR_OK;
}

enum err h_outcomes_export(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    static const char *const zh[] = {"分组",     "毕业生", "就业",     "对口就业", "升学",
                                     "待就业", "就业率", "对口就业率", NULL};
    static const char *const en[] = {"Group",   "Graduates",       "Employed",
                                     "Employed in field", "Further study", "Seeking",
                                     "Employment rate",   "In-field rate", NULL};
    json_t *s = outcome_stats(req);
    if (s == NULL)
        return http_fail(req, ERR_INVALID, "validation_failed");
    const char *fmt = http_query_get(req, "format");
    bool xlsx = fmt == NULL || strcmp(fmt, "csv") != 0;
    json_t *rows = json_object_get(s, "items");
    json_t *total = json_deep_copy(json_object_get(s, "total"));
    json_object_set_new(total, "name", json_string(req->lang == LANG_EN ? "Total" : "合计"));
    json_array_append_new(rows, total);
    struct table_export t = {"outcomes", stat_columns, req->lang == LANG_EN ? en : zh, rows};
    char *data = NULL;
    size_t len = 0;
    enum err e = table_export(&t, xlsx, &data, &len);
    json_decref(s);
    if (e != ERR_OK)
        return e;
    req->out = arena_strndup(&req->arena, data, len);
    req->out_len = len;
    free(data);
    req->out_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                         : "text/csv; charset=utf-8";
    req->out_filename = xlsx ? "outcomes.xlsx" : "outcomes.csv";
    req->personal = true;
    app_audit(req, "outcome.export", "outcomes", "ok", xlsx ? "format=xlsx" : "format=csv");
    return ERR_OK;
}
