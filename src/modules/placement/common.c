/*
 * common.c - what the placement handlers share: the enumerations, lists
 * kept as lines, the unit a write acts for, the caller's student profile,
 * rounds' heads, scores and requirements.
 */
#include "modules/placement/internal.h"
#include "modules/accounts/accounts.h"
#include "base/str.h"

#include <stdio.h>
#include <string.h>

const char *const pl_kinds[] = {"internship", "job", "order_class", NULL};
const char *const pl_position_statuses[] = {"draft",     "submitted", "returned",
                                            "published", "closed",    NULL};
const char *const pl_rules[] = {"manual", "score", NULL};
const char *const pl_round_statuses[] = {"draft",   "open",      "ranking",
                                         "matched", "published", "closed", NULL};
const char *const pl_result_statuses[] = {"offered", "accepted", "declined",
                                          "expired", "unplaced", NULL};
const char *const pl_outcome_statuses[] = {"employed", "employed_in_field", "further_study",
                                           "seeking", NULL};
const char *const pl_salary_bands[] = {"lt3k", "3k_5k", "5k_8k", "8k_12k", "ge12k", NULL};
const char *const pl_application_statuses[] = {"applied", "accepted", "declined", "withdrawn",
                                               NULL};
const char *const pl_groupings[] = {"school", "city", "major", NULL};
const char *const pl_outcome_groupings[] = {"school", "major", "city", "year", NULL};
const char *const pl_employer_kinds[] = {"enterprise", "research_institute", NULL};
const char *const pl_school_kinds[] = {"technical_school", "vocational_college", NULL};

json_t *pl_lines_json(const char *text)
{
    json_t *a = json_array();
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        if (n > 0)
            json_array_append_new(a, json_stringn(text, n));
        text += n + (nl != NULL);
    }
    return a;
}

const char *pl_lines_from(struct http_req *req, const char *field, int max_items, int max_len)
{
    json_t *a = json_object_get(req->body, field);
    if (a == NULL)
        return NULL;
    size_t i, total = 0;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        const char *s = json_string_value(v);
        size_t n = s ? strlen(s) : 0, cps = s ? utf8_length(s, n) : 0;
        if (s == NULL || cps == 0 || cps > (size_t)max_len || str_has_control(s, n) ||
            (int)i >= max_items) {
            http_field_error(req, field, "placement.list_item");
            return NULL;
        }
        total += n + 1;
    }
    char *out = arena_alloc(&req->arena, total + 1), *p = out;
    json_array_foreach(a, i, v)
    {
        size_t n = strlen(json_string_value(v));
        memcpy(p, json_string_value(v), n);
        p += n;
        *p++ = '\n';
    }
    *p = '\0';
    return out;
}

static void expand_one(json_t *row, const char *const *cols)
{
    for (const char *const *c = cols; *c; c++) {
        json_t *v = json_object_get(row, *c);
        if (json_is_string(v))
            json_object_set_new(row, *c, pl_lines_json(json_string_value(v)));
    }
}

void pl_lines_expand(json_t *rows, const char *const *cols)
{
    if (json_is_object(rows)) {
        expand_one(rows, cols);
        return;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) expand_one(row, cols);
}

const char *pl_unit_kind(struct db *db, int64_t unit, char *buf, size_t cap)
{
    struct db_stmt *st = db_prepare(db, "SELECT kind FROM units WHERE id = $1");
    db_bind_int(st, 1, unit);
    buf[0] = '\0';
    if (db_step(st) == DB_ROW)
        snprintf(buf, cap, "%s", db_col_text(st, 0));
    db_done(st);
    return buf;
}

static bool kind_in(const char *kind, const char *const *kinds)
{
    for (; *kinds; kinds++)
        if (strcmp(*kinds, kind) == 0)
            return true;
    return false;
}

int64_t pl_acting_unit(struct http_req *req, const char *const *kinds, enum err *e)
{
    char kind[32];
    int64_t unit = req->who.unit_id;
    if (app_sees_all_units(req)) {
        unit = http_body_int(req, "unit_id", 0);
        if (unit <= 0 || !kind_in(pl_unit_kind(app_db(req), unit, kind, sizeof(kind)), kinds)) {
            http_field_error(req, "unit_id", unit <= 0 ? "required" : "placement.wrong_unit_kind");
            *e = http_fail(req, ERR_INVALID, "validation_failed");
            return 0;
        }
        return unit;
    }
    if (json_object_get(req->body, "unit_id")) { /* B4: the unit comes from the session */
        http_field_error(req, "unit_id", "unknown_field");
        *e = http_fail(req, ERR_INVALID, "validation_failed");
        return 0;
    }
    if (unit <= 0 || !kind_in(pl_unit_kind(app_db(req), unit, kind, sizeof(kind)), kinds)) {
        *e = http_fail(req, ERR_FORBIDDEN, "placement.wrong_unit_kind");
        return 0;
    }
    return unit;
}

enum err pl_require_kind(struct http_req *req, const char *const *kinds)
{
    char kind[32];
    if (app_sees_all_units(req) ||
        (req->who.unit_id > 0 &&
         kind_in(pl_unit_kind(app_db(req), req->who.unit_id, kind, sizeof(kind)), kinds)))
        return ERR_OK;
    return http_fail(req, ERR_FORBIDDEN, "placement.wrong_unit_kind");
}

int64_t pl_import_school(struct http_req *req, enum err *e)
{
    char kind[32];
    int64_t unit = req->who.unit_id;
    bool has = true;
    if (app_sees_all_units(req) && (!pl_query_int(req, "unit_id", &unit, &has) || !has)) {
        http_field_error(req, "unit_id", "required");
        *e = http_fail(req, ERR_INVALID, "validation_failed");
        return 0;
    }
    if (unit <= 0 || !kind_in(pl_unit_kind(app_db(req), unit, kind, sizeof(kind)), pl_school_kinds)) {
        *e = http_fail(req, ERR_FORBIDDEN, "placement.wrong_unit_kind");
        return 0;
    }
    return unit;
}

int64_t pl_my_student(struct http_req *req)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT id FROM students WHERE user_id = $1");
    db_bind_int(st, 1, req->who.user_id);
    return db_scalar(st);
}

bool pl_query_int(struct http_req *req, const char *key, int64_t *out, bool *present)
{
    const char *v = http_query_get(req, key);
    *present = v && v[0];
    if (*present && !str_to_i64(v, strlen(v), 0, INT64_MAX, out)) {
        http_field_error(req, key, "must_be_integer");
        return false;
    }
    return true;
}

bool pl_bind_int_filter(struct http_req *req, struct db_stmt *st, int n, const char *key)
{
    int64_t v;
    bool present;
    if (!pl_query_int(req, key, &v, &present))
        return false;
    if (present)
        db_bind_int(st, n, v);
    return true;
}

void pl_bind_text_filter(struct http_req *req, struct db_stmt *st, int n, const char *key)
{
    const char *v = http_query_get(req, key);
    db_bind_text(st, n, v && v[0] ? v : NULL, -1);
}

bool pl_query_true(const struct http_req *req, const char *key)
{
    const char *v = http_query_get(req, key);
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

void pl_audit(struct http_req *req, const char *action, const char *kind, int64_t id,
              const char *detail)
{
    app_audit(req, action, arena_printf(&req->arena, "%s:%lld", kind, (long long)id), "ok",
              detail ? detail : "");
}

bool round_load(struct db *db, int64_t id, struct round_head *r)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT id, coalesce(parent_id, 0), choices_deadline, answer_deadline, "
                       "seed, max_choices, status FROM rounds WHERE id = $1");
    db_bind_int(st, 1, id);
    bool found = db_step(st) == DB_ROW;
    if (found) {
        r->id = db_col_int(st, 0);
        r->parent = db_col_int(st, 1);
        r->choices_deadline = db_col_int(st, 2);
        r->answer_deadline = db_col_int(st, 3);
        r->has_seed = !db_col_null(st, 4);
        r->seed = db_col_int(st, 4);
        r->max_choices = (int)db_col_int(st, 5);
        snprintf(r->status, sizeof(r->status), "%s", db_col_text(st, 6));
    }
    db_done(st);
    return found;
}

enum err round_in(struct http_req *req, int64_t id, struct round_head *r,
                  const char *const *states)
{
    if (!round_load(app_db(req), id, r))
        return ERR_NOT_FOUND;
    if (!kind_in(r->status, states))
        return http_fail(req, ERR_CONFLICT, "placement.round_state");
    return ERR_OK;
}

bool pl_position_mine(struct http_req *req, int64_t position)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT unit_id FROM positions WHERE id = $1");
    db_bind_int(st, 1, position);
    int64_t unit = db_scalar(st);
    return unit > 0 && (app_sees_all_units(req) || unit == req->who.unit_id);
}

double pl_score(const struct score_rule *w, int skill_level, int award_points, int school_score,
                int interview_score)
{
    int level_points = skill_level >= 1 && skill_level <= 5 ? 6 - skill_level : 0;
    return (double)w->w_level * level_points + (double)w->w_awards * award_points +
           (double)w->w_school * school_score + (double)w->w_interview * interview_score;
}

bool pl_meets(const char *majors, int min_level, const char *major, int skill_level)
{
    if (min_level > 0 && (skill_level == 0 || skill_level > min_level))
        return false;
    if (majors == NULL || majors[0] == '\0')
        return true;
    size_t n = strlen(major);
    for (const char *p = majors; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len == n && memcmp(p, major, n) == 0)
            return true;
        p += len + (nl != NULL);
    }
    return false;
}

enum err pl_list(struct http_req *req, const struct pl_list_spec *spec, void *ctx)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, arena_printf(&req->arena, "SELECT count(*) %s",
                                                     spec->from_where));
    if (!spec->bind(req, st, ctx)) {
        db_done(st);
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    int64_t total = db_scalar(st);
    st = db_prepare(db, arena_printf(&req->arena, "SELECT %s %s ORDER BY %s LIMIT $%d OFFSET $%d",
                                     spec->columns, spec->from_where, spec->order,
                                     spec->free_param, spec->free_param + 1));
    spec->bind(req, st, ctx);
    db_bind_int(st, spec->free_param, size);
    db_bind_int(st, spec->free_param + 1, (page - 1) * size);
    json_t *items = app_rows_json(st, spec->bools);
    if (spec->lines)
        pl_lines_expand(items, spec->lines);
    req->personal = true;
    http_list(req, items, total, page, size);
    return ERR_OK;
}
