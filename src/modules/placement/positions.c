/*
 * positions.c - positions posted by enterprises (岗位): lists, one
 * position, writing, and review by the secretariat.
 *
 * Published positions are public. The posting unit and the secretariat
 * see theirs in every state; another unit's unpublished position answers
 * 404 (SECURITY.md B2). A write is checked on the position as it would be
 * after the change (the stored row with the body laid over it), so the
 * rules between fields (pay range, period) hold whatever is sent.
 */
#include "modules/placement/internal.h"
#include "modules/directory/directory.h"
#include "lib/ids.h"
#include "base/str.h"
#include "base/time.h"

#include <string.h>

static const char *const position_lines[] = {"majors", NULL};

#define POSITION_COLUMNS                                                                           \
    "p.id, p.unit_id, u.name AS unit_name, p.kind, p.title, p.occupation, p.city, "                \
    "coalesce(r.name, '') AS city_name, p.seats, p.majors, p.min_level, p.certificate, "           \
    "p.pay_min, p.pay_max, p.starts_on, p.ends_on, p.status, (SELECT count(*) FROM "               \
    "job_applications a WHERE a.position_id = p.id AND a.status <> 'withdrawn') AS applicants, "   \
    "p.created_at, p.updated_at"
#define POSITION_FROM                                                                              \
    "FROM positions p JOIN units u ON u.id = p.unit_id LEFT JOIN regions r ON r.code = p.city "

/* $1 mine, $2 the caller's unit, $3 secretariat, $4 status, $5 q, $6 kind,
 * $7 city, $8 occupation, $9 unit. */
#define POSITION_WHERE                                                                             \
    "WHERE CASE WHEN $1 = 1 THEN p.unit_id = $2 AND ($4 IS NULL OR p.status = $4) WHEN $3 = 1 "    \
    "THEN ($4 IS NULL OR p.status = $4) ELSE p.status = 'published' END AND ($5 IS NULL OR "       \
    "instr(p.title, $5) > 0 OR instr(p.occupation, $5) > 0 OR instr(u.name, $5) > 0 OR ($12 IS "  \
    "NOT NULL AND p.id IN " APP_SEARCH_REFS("position", 12) ")) AND ($6 IS "                       \
    "NULL OR p.kind = $6) AND ($7 IS NULL OR p.city = $7) AND ($8 IS NULL OR instr(p.occupation, " \
    "$8) > 0) AND ($9 IS NULL OR p.unit_id = $9) "

static bool bind_positions(struct http_req *req, struct db_stmt *st, void *ctx)
{
    (void)ctx;
    bool mine = pl_query_true(req, "mine") && req->who.unit_id > 0 &&
                app_role_permits(req->who.role, "positions.write");
    bool secretariat = app_role_permits(req->who.role, "positions.review");
    db_bind_int(st, 1, mine);
    db_bind_int(st, 2, req->who.unit_id);
    db_bind_int(st, 3, secretariat);
    static const char *const texts[] = {"status", "q", "kind", "city", "occupation"};
    for (int i = 0; i < 5; i++)
        pl_bind_text_filter(req, st, 4 + i, texts[i]);
    app_search_bind(st, 12, http_query_get(req, "q"));
    return pl_bind_int_filter(req, st, 9, "unit_id");
}

enum err h_positions_list(struct http_req *req)
{
    static const struct pl_list_spec spec = {
        POSITION_COLUMNS, POSITION_FROM POSITION_WHERE, "p.updated_at DESC, p.id DESC", 10,
        bind_positions,   NULL,                         position_lines};
    return pl_list(req, &spec, NULL);
}

/* The position as JSON with its description (lists as arrays when
 * expand, else as stored lines); NULL when absent. */
static json_t *position_json(struct db *db, int64_t id, bool expand)
{
    struct db_stmt *st = db_prepare(db, "SELECT " POSITION_COLUMNS ", p.description, "
                                        "p.review_comment " POSITION_FROM "WHERE p.id = $1");
    db_bind_int(st, 1, id);
    json_t *p = app_row_one(st, NULL);
    if (p && expand)
        pl_lines_expand(p, position_lines);
    return p;
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The position if the caller may see it: published, or manageable (the
 * posting unit's writer, the secretariat). */
static json_t *position_visible(struct http_req *req, int64_t id, bool *manageable, bool expand)
{
    json_t *p = position_json(app_db(req), id, expand);
    if (p == NULL)
        return NULL;
    int64_t unit = json_integer_value(json_object_get(p, "unit_id"));
    *manageable = app_role_permits(req->who.role, "positions.review") ||
                  (app_role_permits(req->who.role, "positions.write") && req->who.unit_id > 0 &&
                   unit == req->who.unit_id);
    if (!*manageable && strcmp(str_of(p, "status"), "published") != 0) {
        json_decref(p);
        return NULL;
    }
    if (!*manageable)
        json_object_del(p, "review_comment");
    return p;
}

enum err h_positions_get(struct http_req *req)
{
    bool manageable;
    json_t *p = position_visible(req, req->params[0], &manageable, true);
    if (p == NULL)
        return ERR_NOT_FOUND;
    if (req->who.role)
        req->personal = true;
    http_json(req, 200, p);
    return ERR_OK;
}

/* Lays the body over the stored (or empty) position; lists become lines. */
static json_t *position_merge(struct http_req *req, json_t *cur)
{
    json_t *m = cur ? json_deep_copy(cur) : json_object();
    const char *key;
    json_t *v;
    json_object_foreach(req->body, key, v)
    {
        if (strcmp(key, "unit_id") != 0 && strcmp(key, "majors") != 0)
            json_object_set(m, key, v);
    }
    if (json_object_get(req->body, "majors")) {
        const char *lines = pl_lines_from(req, "majors", 20, 40);
        json_object_set_new(m, "majors", json_string(lines ? lines : ""));
    }
    return m;
}

static int64_t int_of(json_t *o, const char *key, int64_t def)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? json_integer_value(v) : def;
}

static bool position_check(struct http_req *req, json_t *m)
{
    struct db *db = app_db(req);
    const char *city = str_of(m, "city");
    if (!ids_region_code_valid(city, strlen(city)) || !region_is_city(db, city))
        http_field_error(req, "city", "city_invalid");
    int64_t seats = int_of(m, "seats", 0), level = int_of(m, "min_level", 0);
    if (seats < 1 || seats > 10000)
        http_field_error(req, "seats", "out_of_range");
    if (level < 0 || level > 5)
        http_field_error(req, "min_level", "out_of_range");
    json_t *lo = json_object_get(m, "pay_min"), *hi = json_object_get(m, "pay_max");
    if (json_is_integer(lo) && (json_integer_value(lo) < 0 || json_integer_value(lo) > 1000000))
        http_field_error(req, "pay_min", "out_of_range");
    if (json_is_integer(hi) && (json_integer_value(hi) < 0 || json_integer_value(hi) > 1000000))
        http_field_error(req, "pay_max", "out_of_range");
    if (json_is_integer(lo) && json_is_integer(hi) && json_integer_value(lo) > json_integer_value(hi))
        http_field_error(req, "pay_max", "placement.pay_range");
    const char *from = str_of(m, "starts_on"), *to = str_of(m, "ends_on");
    if (from[0] && to[0] && strcmp(from, to) > 0)
        http_field_error(req, "ends_on", "ends_before_start");
    if (str_of(m, "title")[0] == '\0')
        http_field_error(req, "title", "required");
    return req->err_fields == NULL;
}

static void bind_nullable_int(struct db_stmt *st, int n, json_t *m, const char *key)
{
    json_t *v = json_object_get(m, key);
    if (json_is_integer(v))
        db_bind_int(st, n, json_integer_value(v));
}

static void bind_nonempty(struct db_stmt *st, int n, json_t *m, const char *key)
{
    const char *s = str_of(m, key);
    db_bind_text(st, n, s[0] ? s : NULL, -1);
}

/* Inserts (id 0) or rewrites the position from the merged object. */
static enum err position_write(struct db *db, int64_t id, int64_t unit, json_t *m, int64_t *out)
{
    struct db_stmt *st = db_prepare(
        db, id == 0 ? "INSERT INTO positions(unit_id, kind, title, occupation, city, seats, majors, "
                      "min_level, certificate, pay_min, pay_max, starts_on, ends_on, description, "
                      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                      "$11, $12, $13, $14, $15, $15)"
                    : "UPDATE positions SET kind = $2, title = $3, occupation = $4, city = $5, "
                      "seats = $6, majors = $7, min_level = $8, certificate = $9, pay_min = $10, "
                      "pay_max = $11, starts_on = $12, ends_on = $13, description = $14, "
                      "updated_at = $15 WHERE id = $16");
    db_bind_int(st, 1, unit);
    db_bind_text(st, 2, str_of(m, "kind"), -1);
    db_bind_text(st, 3, str_of(m, "title"), -1);
    db_bind_text(st, 4, str_of(m, "occupation"), -1);
    db_bind_text(st, 5, str_of(m, "city"), -1);
    db_bind_int(st, 6, int_of(m, "seats", 0));
    db_bind_text(st, 7, str_of(m, "majors"), -1);
    db_bind_int(st, 8, int_of(m, "min_level", 0));
    db_bind_text(st, 9, str_of(m, "certificate"), -1);
    bind_nullable_int(st, 10, m, "pay_min");
    bind_nullable_int(st, 11, m, "pay_max");
    bind_nonempty(st, 12, m, "starts_on");
    bind_nonempty(st, 13, m, "ends_on");
    db_bind_text(st, 14, str_of(m, "description"), -1);
    db_bind_int(st, 15, time_now_ms());
    if (id)
        db_bind_int(st, 16, id);
    enum err e = db_run(st);
    *out = id ? id : db_last_id(db);
    return e;
}

enum err h_positions_create(struct http_req *req)
{
    enum err e = ERR_OK;
    int64_t unit = pl_acting_unit(req, pl_employer_kinds, &e);
    if (unit == 0)
        return e;
    json_t *m = position_merge(req, NULL);
    int64_t id = 0;
    if (!position_check(req, m))
        e = http_fail(req, ERR_INVALID, "validation_failed");
    else
        e = position_write(app_db(req), 0, unit, m, &id);
    json_decref(m);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "position.create", "position", id, http_body_str(req, "title"));
    http_json(req, 201, position_json(app_db(req), id, true));
    return ERR_OK;
}

/* The position (lists as stored) if the caller manages it; else NULL. */
static json_t *position_managed(struct http_req *req, int64_t id)
{
    bool manageable;
    json_t *p = position_visible(req, id, &manageable, false);
    if (p && !manageable) {
        json_decref(p);
        p = NULL;
    }
    return p;
}

static bool only_fields(const struct http_req *req, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(req->body, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return false;
    }
    return true;
}

enum err h_positions_update(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    static const char *const live_fields[] = {"seats",   "description", "pay_min",
                                              "pay_max", "ends_on",     NULL};
    int64_t id = req->params[0];
    json_t *cur = position_managed(req, id);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    const char *status = str_of(cur, "status");
    enum err e = ERR_OK;
    if (json_object_get(req->body, "unit_id"))
        http_field_error(req, "unit_id", "unknown_field");
    if (strcmp(status, "published") == 0 ? !only_fields(req, live_fields)
                                         : strcmp(status, "draft") != 0 &&
                                               strcmp(status, "returned") != 0)
        e = http_fail(req, ERR_CONFLICT, "placement.position_locked");
    json_t *m = e == ERR_OK ? position_merge(req, cur) : NULL;
    if (e == ERR_OK && !position_check(req, m))
        e = http_fail(req, ERR_INVALID, "validation_failed");
    if (e == ERR_OK)
        e = position_write(app_db(req), id, 0, m, &id);
    json_decref(m);
    json_decref(cur);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "position.update", "position", id, NULL);
    http_json(req, 200, position_json(app_db(req), id, true));
    return ERR_OK;
}

/* Moves a managed position from one of the states in from to to. */
static enum err position_step(struct http_req *req, const char *const *from, const char *to,
                              const char *comment, const char *action)
{
    int64_t id = req->params[0];
    json_t *cur = position_managed(req, id);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    bool ok = false;
    for (const char *const *f = from; *f && !ok; f++)
        ok = strcmp(*f, str_of(cur, "status")) == 0;
    json_decref(cur);
    if (!ok)
        return http_fail(req, ERR_CONFLICT, "placement.position_state");
    struct db_stmt *st = db_prepare(app_db(req), "UPDATE positions SET status = $2, "
                                                 "review_comment = coalesce($3, review_comment), "
                                                 "updated_at = $4 WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, to, -1);
    db_bind_text(st, 3, comment, -1);
    db_bind_int(st, 4, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    pl_audit(req, action, "position", id, comment);
    http_json(req, 200, position_json(app_db(req), id, true));
    return ERR_OK;
}

enum err h_positions_submit(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    return position_step(req, (const char *const[]){"draft", "returned", NULL}, "submitted", "",
                         "position.submit");
}

enum err h_positions_publish(struct http_req *req)
{
    return position_step(req, (const char *const[]){"submitted", "draft", NULL}, "published", "",
                         "position.publish");
}

enum err h_positions_return(struct http_req *req)
{
    return position_step(req, (const char *const[]){"submitted", NULL}, "returned",
                         http_body_str(req, "comment"), "position.return");
}

enum err h_positions_close(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    return position_step(req, (const char *const[]){"published", NULL}, "closed", NULL,
                         "position.close");
}

enum err h_positions_delete(struct http_req *req)
{
    PL_REQUIRE(req, pl_employer_kinds);
    int64_t id = req->params[0];
    json_t *cur = position_managed(req, id);
    if (cur == NULL)
        return ERR_NOT_FOUND;
    bool draft = strcmp(str_of(cur, "status"), "draft") == 0;
    json_decref(cur);
    if (!draft)
        return http_fail(req, ERR_CONFLICT, "placement.position_state");
    struct db_stmt *st = db_prepare(app_db(req), "DELETE FROM positions WHERE id = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    pl_audit(req, "position.delete", "position", id, NULL);
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}
