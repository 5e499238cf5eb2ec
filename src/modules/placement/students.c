/*
 * students.c - student profiles kept by their school: lists, writing, CSV
 * import of a class, and accounts by activation code.
 *
 * A school's staff see only their own school's students; another
 * school's student answers 404 (SECURITY.md B2). The school never sets a
 * student's password: it issues a one-time code (only its keyed hash is
 * stored) and the student chooses her username and password with it.
 */
#include "modules/placement/internal.h"
#include "modules/accounts/accounts.h"
#include "modules/directory/directory.h"
#include "modules/pii.h"
#include "lib/ids.h"
#include "base/str.h"
#include "base/time.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const student_lines[] = {"certificates", "awards", "cities", NULL};
static const char *const student_bools[] = {"activated", NULL};

#define STUDENT_COLUMNS                                                                            \
    "s.id, s.unit_id, u.name AS unit_name, s.student_no, s.name, s.major, s.year, "                \
    "s.skill_level, s.certificates, s.awards, s.award_points, s.school_score, s.cities, "          \
    "s.user_id IS NOT NULL AS activated, o.status AS outcome_status, s.updated_at"
#define STUDENT_FROM                                                                               \
    "FROM students s JOIN units u ON u.id = s.unit_id LEFT JOIN outcomes o ON o.student_id = s.id "
/* $1 sees all, $2 the caller's unit, $3 q, $4 major, $5 year, $6 unit,
 * $7 activated. */
#define STUDENT_WHERE                                                                              \
    "WHERE ($1 = 1 OR s.unit_id = $2) AND ($3 IS NULL OR instr(s.name, $3) > 0 OR s.student_no " \
    "= $3) AND ($4 IS NULL OR s.major = $4) AND ($5 IS NULL OR s.year = $5) AND ($6 IS NULL OR "   \
    "s.unit_id = $6) AND ($7 IS NULL OR (s.user_id IS NOT NULL) = $7) "

static bool bind_students(struct http_req *req, struct db_stmt *st, void *ctx)
{
    (void)ctx;
    db_bind_int(st, 1, app_sees_all_units(req));
    db_bind_int(st, 2, req->who.unit_id);
    const char *act = http_query_get(req, "activated");
    pl_bind_text_filter(req, st, 3, "q");
    pl_bind_text_filter(req, st, 4, "major");
    if (!pl_bind_int_filter(req, st, 5, "year") || !pl_bind_int_filter(req, st, 6, "unit_id"))
        return false;
    if (act && act[0])
        db_bind_int(st, 7, strcmp(act, "true") == 0);
    return true;
}

enum err h_students_list(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    static const struct pl_list_spec spec = {
        STUDENT_COLUMNS, STUDENT_FROM STUDENT_WHERE, "s.year DESC, s.student_no", 8,
        bind_students,   student_bools,              student_lines};
    return pl_list(req, &spec, NULL);
}

/* The student as JSON (lists expanded unless raw); NULL when absent or
 * of another school than the caller's (B2). */
static json_t *student_json(struct http_req *req, int64_t id, bool raw)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT " STUDENT_COLUMNS " " STUDENT_FROM
                                                 "WHERE s.id = $3 AND ($1 = 1 OR s.unit_id = $2)");
    db_bind_int(st, 1, app_sees_all_units(req));
    db_bind_int(st, 2, req->who.unit_id);
    db_bind_int(st, 3, id);
    json_t *s = app_row_one(st, student_bools);
    if (s && !raw)
        pl_lines_expand(s, student_lines);
    return s;
}

enum err h_students_get(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    json_t *s = student_json(req, req->params[0], false);
    if (s == NULL)
        return ERR_NOT_FOUND;
    req->personal = true;
    http_json(req, 200, s);
    return ERR_OK;
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

/* A city given as a region code or a city's name; NULL when neither. */
static const char *city_code(struct db *db, const char *s, char *buf, size_t cap)
{
    struct db_stmt *st = db_prepare(db, "SELECT code FROM regions WHERE level = 'city' AND (code "
                                        "= $1 OR name = $1 OR name = $1 || '市') LIMIT 1");
    db_bind_text(st, 1, s, -1);
    const char *out = NULL;
    if (db_step(st) == DB_ROW) {
        snprintf(buf, cap, "%s", db_col_text(st, 0));
        out = buf;
    }
    db_done(st);
    return out;
}

/* Rewrites the city lines of m as codes; records an error for any other. */
static void cities_normalise(struct http_req *req, json_t *m)
{
    const char *in = str_of(m, "cities");
    char *out = arena_alloc(&req->arena, strlen(in) * 2 + 16), *p = out;
    char item[128], code[16];
    while (*in) {
        const char *nl = strchr(in, '\n');
        size_t n = nl ? (size_t)(nl - in) : strlen(in);
        snprintf(item, sizeof(item), "%.*s", (int)(n < 127 ? n : 127), in);
        in += n + (nl != NULL);
        if (item[0] == '\0')
            continue;
        if (city_code(app_db(req), item, code, sizeof(code)) == NULL) {
            http_field_error(req, "cities", "city_invalid");
            return;
        }
        p += sprintf(p, "%s\n", code);
    }
    *p = '\0';
    json_object_set_new(m, "cities", json_string(out));
}

/* Checks the merged student m of school unit (except: its own id). */
static bool student_check(struct http_req *req, json_t *m, int64_t unit, int64_t except)
{
    static const struct {
        const char *key;
        int lo, hi;
    } ranges[] = {{"year", 2000, 2100},
                  {"skill_level", 0, 5},
                  {"award_points", 0, 100},
                  {"school_score", 0, 100}};
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        int64_t v = int_of(m, ranges[i].key);
        if (v < ranges[i].lo || v > ranges[i].hi)
            http_field_error(req, ranges[i].key, "out_of_range");
    }
    static const char *const required[] = {"student_no", "name", "major"};
    for (int i = 0; i < 3; i++)
        if (str_of(m, required[i])[0] == '\0')
            http_field_error(req, required[i], "required");
    cities_normalise(req, m);
    struct db_stmt *st = db_prepare(app_db(req), "SELECT count(*) FROM students WHERE unit_id = "
                                                 "$1 AND student_no = $2 AND id <> $3");
    db_bind_int(st, 1, unit);
    db_bind_text(st, 2, str_of(m, "student_no"), -1);
    db_bind_int(st, 3, except);
    if (db_scalar(st) > 0)
        http_field_error(req, "student_no", "placement.student_no_taken");
    return req->err_fields == NULL;
}

static enum err student_write(struct db *db, int64_t id, int64_t unit, json_t *m, int64_t *out)
{
    struct db_stmt *st = db_prepare(
        db, id == 0 ? "INSERT INTO students(unit_id, student_no, name, major, year, skill_level, "
                      "certificates, awards, award_points, school_score, cities, created_at, "
                      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)"
                    : "UPDATE students SET student_no = $2, name = $3, major = $4, year = $5, "
                      "skill_level = $6, certificates = $7, awards = $8, award_points = $9, "
                      "school_score = $10, cities = $11, updated_at = $12 WHERE id = $13");
    db_bind_int(st, 1, unit);
    db_bind_text(st, 2, str_of(m, "student_no"), -1);
    db_bind_text(st, 3, str_of(m, "name"), -1);
    db_bind_text(st, 4, str_of(m, "major"), -1);
    db_bind_int(st, 5, int_of(m, "year"));
    db_bind_int(st, 6, int_of(m, "skill_level"));
    db_bind_text(st, 7, str_of(m, "certificates"), -1);
    db_bind_text(st, 8, str_of(m, "awards"), -1);
    db_bind_int(st, 9, int_of(m, "award_points"));
    db_bind_int(st, 10, int_of(m, "school_score"));
    db_bind_text(st, 11, str_of(m, "cities"), -1);
    db_bind_int(st, 12, time_now_ms());
    if (id)
        db_bind_int(st, 13, id);
    enum err e = db_run(st);
    *out = id ? id : db_last_id(db);
    return e;
}

/* The body laid over cur (or an empty student); lists become lines. */
static json_t *student_merge(struct http_req *req, json_t *cur)
{
    static const struct {
        const char *key;
        int items, len;
    } lists[] = {{"certificates", 20, 60}, {"awards", 20, 100}, {"cities", 10, 12}};
    json_t *m = cur ? json_deep_copy(cur) : json_object();
    const char *key;
    json_t *v;
    json_object_foreach(req->body, key, v)
    {
        if (strcmp(key, "unit_id") != 0)
            json_object_set(m, key, v);
    }
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        if (json_object_get(req->body, lists[i].key)) {
            const char *l = pl_lines_from(req, lists[i].key, lists[i].items, lists[i].len);
            json_object_set_new(m, lists[i].key, json_string(l ? l : ""));
        }
    }
    return m;
}

enum err h_students_create(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    enum err e = ERR_OK;
    int64_t unit = pl_acting_unit(req, pl_school_kinds, &e), id = 0;
    if (unit == 0)
        return e;
    json_t *m = student_merge(req, NULL);
    if (!student_check(req, m, unit, 0))
        e = http_fail(req, ERR_INVALID, "validation_failed");
    else
        e = student_write(app_db(req), 0, unit, m, &id);
    json_decref(m);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "student.create", "student", id, NULL);
    http_json(req, 201, student_json(req, id, false));
    return ERR_OK;
}

enum err h_students_update(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    int64_t id = req->params[0];
    json_t *cur = student_json(req, id, true);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    enum err e = ERR_OK;
    if (json_object_get(req->body, "unit_id")) {
        http_field_error(req, "unit_id", "unknown_field");
        e = http_fail(req, ERR_INVALID, "validation_failed");
    }
    json_t *m = student_merge(req, cur);
    int64_t unit = int_of(cur, "unit_id");
    if (e == ERR_OK && !student_check(req, m, unit, id))
        e = http_fail(req, ERR_INVALID, "validation_failed");
    if (e == ERR_OK)
        e = student_write(app_db(req), id, unit, m, &id);
    json_decref(m);
    json_decref(cur);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "student.update", "student", id, NULL);
    http_json(req, 200, student_json(req, id, false));
    return ERR_OK;
}

enum err h_students_delete(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    int64_t id = req->params[0];
    json_t *cur = student_json(req, id, true);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    bool activated = json_is_true(json_object_get(cur, "activated"));
    json_decref(cur);
    struct db_stmt *st = db_prepare(
        app_db(req), "SELECT (SELECT count(*) FROM round_choices WHERE student_id = $1) + (SELECT "
                     "count(*) FROM job_applications WHERE student_id = $1) + (SELECT count(*) "
                     "FROM round_results WHERE student_id = $1)");
    db_bind_int(st, 1, id);
    if (db_scalar(st) > 0 || activated)
        return http_fail(req, ERR_CONFLICT, "placement.student_in_use");
    st = db_prepare(app_db(req), "DELETE FROM students WHERE id = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "student.delete", "student", id, NULL);
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

/* --- import -------------------------------------------------------------- */

static const char *const import_header[] = {
    "student_no", "name",         "major",        "year",   "skill_level",
    "certificates", "awards", "award_points", "school_score", "cities", NULL};

struct import {
    struct http_req *req;
    int64_t unit;
    bool dry, header_ok;
    json_t *errors, *rows; /* rows: [{..merged.., "_row":n, "_id":existing}] */
    json_t *seen;          /* student_no -> row */
    size_t bad_rows;
};

/* "a;b;c" as lines "a\nb\nc\n". */
static json_t *semicolons_to_lines(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 2), *p = out;
    for (const char *q = s; *q; q++)
        *p++ = *q == ';' ? '\n' : *q;
    if (n > 0)
        *p++ = '\n';
    *p = '\0';
    json_t *v = json_string(out);
    free(out);
    return v ? v : json_string("");
}

static bool import_number(const char *s, int64_t *out)
{
    if (s[0] == '\0') {
        *out = 0;
        return true;
    }
    return str_to_i64(s, strlen(s), 0, 100000, out);
}

/* Moves the request's field errors into the report for row. */
static void harvest(struct import *im, int64_t row)
{
    const char *field;
    json_t *key;
    json_object_foreach(im->req->err_fields, field, key)
    {
        json_array_append_new(im->errors,
                              json_pack("{s:I, s:s, s:s}", "row", (json_int_t)row, "field", field,
                                        "message", i18n_text(im->req->lang, json_string_value(key))));
    }
    json_decref(im->req->err_fields);
    im->req->err_fields = NULL;
}

static bool import_row(void *arg, int64_t row, const char *const *f, int n)
{
    struct import *im = arg;
    if (row == 0) {
        im->header_ok = n == 10;
        for (int i = 0; im->header_ok && i < 10; i++)
            im->header_ok = strcmp(f[i], import_header[i]) == 0;
        return im->header_ok;
    }
    if (n == 1 && f[0][0] == '\0')
        return true; /* a blank line */
    json_t *m = json_object();
    for (int i = 0; i < 10 && i < n; i++) {
        int64_t v;
        if (i == 3 || i == 4 || i == 7 || i == 8) {
            if (import_number(f[i], &v))
                json_object_set_new(m, import_header[i], json_integer(v));
            else
                http_field_error(im->req, import_header[i], "must_be_integer");
        } else if (i == 5 || i == 6 || i == 9) {
            json_object_set_new(m, import_header[i], semicolons_to_lines(f[i]));
        } else {
            json_object_set_new(m, import_header[i], json_string(f[i]));
        }
    }
    if (n != 10)
        http_field_error(im->req, "row", "csv_bad");
    const char *no = str_of(m, "student_no");
    if (json_object_get(im->seen, no))
        http_field_error(im->req, "student_no", "placement.duplicate_row");
    json_object_set_new(im->seen, no, json_integer(row + 1));
    struct db_stmt *st = db_prepare(app_db(im->req), "SELECT id FROM students WHERE unit_id = $1 "
                                                     "AND student_no = $2");
    db_bind_int(st, 1, im->unit);
    db_bind_text(st, 2, no, -1);
    int64_t existing = db_scalar(st);
    student_check(im->req, m, im->unit, existing); /* a field's first error wins */
    json_object_set_new(m, "_id", json_integer(existing));
    if (im->req->err_fields) {
        harvest(im, row + 1);
        im->bad_rows++;
    }
    json_array_append_new(im->rows, m);
    return json_array_size(im->errors) < 200;
}

enum err h_students_import(struct http_req *req)
{
    enum err e = ERR_OK;
    int64_t unit = pl_import_school(req, &e);
    if (unit == 0)
        return e;
    struct import im = {req,          unit,         pl_query_true(req, "dry_run"), false,
                        json_array(), json_array(), json_object(),                 0};
    bool parsed = csv_each(req->raw_body ? req->raw_body : "", req->raw_body_len, import_row, &im);
    int64_t created = 0, updated = 0;
    if (!im.header_ok)
        e = http_fail(req, ERR_INVALID, "csv_header");
    else if (!parsed && json_array_size(im.errors) == 0)
        e = http_fail(req, ERR_INVALID, "csv_bad");
    size_t i;
    json_t *m;
    bool clean = e == ERR_OK && json_array_size(im.errors) == 0;
    json_array_foreach(im.rows, i, m)
    {
        int64_t id = int_of(m, "_id");
        if (id)
            updated++;
        else
            created++;
        if (clean && !im.dry && (e = student_write(app_db(req), id, unit, m, &id)) != ERR_OK)
            break;
    }
    if (e == ERR_OK) {
        json_t *report = json_pack("{s:I, s:I, s:I, s:I, s:O}", "rows",
                                   (json_int_t)json_array_size(im.rows), "valid",
                                   (json_int_t)(json_array_size(im.rows) - im.bad_rows),
                                   "created", (json_int_t)(clean && !im.dry ? created : 0),
                                   "updated", (json_int_t)(clean && !im.dry ? updated : 0),
                                   "errors", im.errors);
        if (!clean) {
            req->err_extra = json_pack("{s:O}", "report", report);
            json_decref(report);
            e = http_fail(req, ERR_INVALID, "csv_rows_invalid");
        } else {
            if (!im.dry)
                pl_audit(req, "student.import", "unit", unit,
                         arena_printf(&req->arena, "created=%lld updated=%lld",
                                      (long long)created, (long long)updated));
            http_json(req, 200, report);
        }
    }
    json_decref(im.errors);
    json_decref(im.rows);
    json_decref(im.seen);
    return e;
}

/* --- activation ------------------------------------------------------------ */

/* A code like K7QM-4XPA-93HD: 12 symbols of an alphabet without 0/O, 1/I/L
 * (about 60 bits). */
static void activation_code(char out[16])
{
    static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    int k = 0;
    for (int i = 0; i < 12; i++) {
        if (i && i % 4 == 0)
            out[k++] = '-';
        out[k++] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    }
    out[k] = '\0';
}

/* The code as typed, upper-cased and without separators or spaces. */
static void code_normal(const char *in, char *out, size_t cap)
{
    size_t k = 0;
    for (; *in && k + 1 < cap; in++) {
        char c = *in;
        if (c == '-' || c == ' ')
            continue;
        out[k++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    out[k] = '\0';
}

enum err h_students_activation(struct http_req *req)
{
    PL_REQUIRE(req, pl_school_kinds);
    int64_t id = req->params[0];
    json_t *cur = student_json(req, id, true);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    bool activated = json_is_true(json_object_get(cur, "activated"));
    json_decref(cur);
    if (activated)
        return http_fail(req, ERR_CONFLICT, "placement.already_activated");
    char code[16], normal[16];
    unsigned char index[PII_INDEX_BYTES];
    activation_code(code);
    code_normal(code, normal, sizeof(normal));
    pii_index(PII_CODE, normal, index);
    struct db_stmt *st =
        db_prepare(app_db(req), "UPDATE students SET activation_hash = $2 WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_blob(st, 2, index, sizeof(index));
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "student.activation", "student", id, NULL);
    req->personal = true;
    http_json(req, 200, json_pack("{s:s}", "code", code));
    sodium_memzero(code, sizeof(code));
    return ERR_OK;
}

#define ACTIVATE_LIMIT 10
#define ACTIVATE_WINDOW_MS (15 * 60 * 1000)

enum err h_students_activate(struct http_req *req)
{
    struct db *db = app_db(req);
    const char *key = arena_printf(&req->arena, "activate:%s", req->ip);
    int retry = 0;
    if (!throttle_check(key, ACTIVATE_LIMIT, ACTIVATE_WINDOW_MS, &retry)) {
        req->retry_after = retry;
        return http_fail(req, ERR_RATE_LIMITED, "rate_limited");
    }
    char normal[64];
    unsigned char index[PII_INDEX_BYTES];
    code_normal(http_body_str(req, "code"), normal, sizeof(normal));
    pii_index(PII_CODE, normal, index);
    struct db_stmt *st = db_prepare(db, "SELECT id, unit_id, name FROM students WHERE "
                                        "activation_hash = $1 AND user_id IS NULL");
    db_bind_blob(st, 1, index, sizeof(index));
    int64_t id = 0, unit = 0;
    char name[160] = "";
    if (db_step(st) == DB_ROW) {
        id = db_col_int(st, 0);
        unit = db_col_int(st, 1);
        snprintf(name, sizeof(name), "%s", db_col_text(st, 2));
    }
    db_done(st);
    if (id == 0) {
        throttle_failure(key);
        app_audit(req, "student.activate", "", "failed", "bad code");
        return http_fail(req, ERR_NOT_FOUND, "placement.bad_code");
    }
    const char *username = http_body_str(req, "username"), *field = NULL, *msg = NULL;
    int64_t user = 0;
    enum err e = user_create(db, username, name, "student", unit, http_body_str(req, "password"),
                             &user, &field, &msg);
    if (e == ERR_INVALID || e == ERR_CONFLICT) {
        http_field_error(req, field ? field : "username", msg ? msg : "invalid");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    if (e != ERR_OK)
        return e;
    st = db_prepare(db, "UPDATE students SET user_id = $2, activation_hash = NULL, updated_at = "
                        "$3 WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, user);
    db_bind_int(st, 3, time_now_ms());
    if ((e = db_run(st)) != ERR_OK)
        return e;
    pl_audit(req, "student.activate", "student", id, username);
    http_json(req, 201, json_pack("{s:s}", "username", username));
    return ERR_OK;
}

/* --- the student's own profile ------------------------------------------- */

enum err h_me_student(struct http_req *req)
{
    int64_t id = pl_my_student(req);
    struct db_stmt *st = db_prepare(app_db(req), "SELECT " STUDENT_COLUMNS " " STUDENT_FROM
                                                 "WHERE s.id = $1");
    db_bind_int(st, 1, id);
    json_t *s = app_row_one(st, student_bools);
    if (s == NULL)
        return http_fail(req, ERR_NOT_FOUND, "placement.no_profile");
    pl_lines_expand(s, student_lines);
    req->personal = true;
    http_json(req, 200, s);
    return ERR_OK;
}

enum err h_me_student_update(struct http_req *req)
{
    int64_t id = pl_my_student(req);
    if (id == 0)
        return http_fail(req, ERR_NOT_FOUND, "placement.no_profile");
    const char *lines = pl_lines_from(req, "cities", 10, 12);
    json_t *m = json_pack("{s:s}", "cities", lines ? lines : "");
    if (lines)
        cities_normalise(req, m);
    if (req->err_fields) {
        json_decref(m);
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    struct db_stmt *st =
        db_prepare(app_db(req), "UPDATE students SET cities = $2, updated_at = $3 WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, str_of(m, "cities"), -1);
    db_bind_int(st, 3, time_now_ms());
    json_decref(m);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "student.update", "student", id, "cities");
    return h_me_student(req);
}
