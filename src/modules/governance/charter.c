/*
 * charter.c - charter versions (draft, adopted, superseded), the diff
 * between two versions, and the charter's vote rules.
 *
 * Drafts are written by the secretariat; a version becomes the charter in
 * force only through a certified charter motion (certify.c), which links
 * it to its resolution. Adopted and superseded versions never change.
 */
#include "modules/governance/internal.h"
#include "modules/app.h"
#include "base/time.h"
#include "lib/diff.h"

#include <stdlib.h>
#include <string.h>

#define CHARTER_MAX_LINES 5000

#define VERSION_COLUMNS                                                                            \
    "v.id, v.title, v.note, v.status, v.based_on, v.resolution_id, r.number AS "                   \
    "resolution_number, v.adopted_at, v.created_at, v.updated_at "
#define VERSION_FROM "FROM charter_versions v LEFT JOIN resolutions r ON r.id = v.resolution_id "

static json_t *version_load(struct db *db, int64_t id, bool adopted)
{
    struct db_stmt *st = db_prepare(
        db, adopted ? "SELECT " VERSION_COLUMNS ", v.body " VERSION_FROM "WHERE v.status = "
                      "'adopted'"
                    : "SELECT " VERSION_COLUMNS ", v.body " VERSION_FROM "WHERE v.id = $1");
    if (!adopted)
        db_bind_int(st, 1, id);
    json_t *v = app_row_one(st, NULL);
    return v;
}

enum err h_charter_current(struct http_req *req)
{
    json_t *v = version_load(app_db(req), 0, true);
    if (v == NULL)
        return ERR_NOT_FOUND;
    http_json(req, 200, v);
    return ERR_OK;
}

enum err h_charter_versions(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    int64_t total = db_scalar(db_prepare(db, "SELECT count(*) FROM charter_versions"));
    struct db_stmt *st = db_prepare(db, "SELECT " VERSION_COLUMNS VERSION_FROM
                                        "ORDER BY v.id DESC LIMIT $1 OFFSET $2");
    db_bind_int(st, 1, size);
    db_bind_int(st, 2, (page - 1) * size);
    http_list(req, app_rows_json(st, NULL), total, page, size);
    return ERR_OK;
}

enum err h_charter_get(struct http_req *req)
{
    json_t *v = version_load(app_db(req), req->params[0], false);
    if (v == NULL)
        return ERR_NOT_FOUND;
    http_json(req, 200, v);
    return ERR_OK;
}

enum err h_charter_create(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t based = http_body_int(req, "based_on", 0);
    if (based) {
        struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM charter_versions WHERE id = $1");
        db_bind_int(st, 1, based);
        if (db_scalar(st) == 0) {
            http_field_error(req, "based_on", "version_missing");
            return http_fail(req, ERR_INVALID, "validation_failed");
        }
    }
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO charter_versions(title, body, note, based_on, created_by, created_at, "
            "updated_at) VALUES ($1, $2, coalesce($3, ''), $4, $5, $6, $6)");
    db_bind_text(st, 1, http_body_str(req, "title"), -1);
    db_bind_text(st, 2, http_body_str(req, "body"), -1);
    db_bind_text(st, 3, http_body_str(req, "note"), -1);
    if (based)
        db_bind_int(st, 4, based);
    db_bind_int(st, 5, req->who.user_id);
    db_bind_int(st, 6, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    int64_t id = db_last_id(db);
    app_audit(req, "charter.create", arena_printf(&req->arena, "charter:%lld", (long long)id),
              "ok", http_body_str(req, "title"));
    http_json(req, 201, version_load(db, id, false));
    return ERR_OK;
}

static bool is_draft(struct db *db, int64_t id, bool *found)
{
    struct db_stmt *st = db_prepare(db, "SELECT status = 'draft' FROM charter_versions WHERE id = "
                                        "$1");
    db_bind_int(st, 1, id);
    bool draft = false;
    *found = db_step(st) == DB_ROW;
    if (*found)
        draft = db_col_int(st, 0) != 0;
    db_done(st);
    return draft;
}

enum err h_charter_update(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    bool found;
    if (!is_draft(db, id, &found))
        return found ? http_fail(req, ERR_CONFLICT, "not_draft") : ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(
        db, "UPDATE charter_versions SET title = coalesce($2, title), body = coalesce($3, body), "
            "note = coalesce($4, note), updated_at = $5 WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, http_body_str(req, "title"), -1);
    db_bind_text(st, 3, http_body_str(req, "body"), -1);
    db_bind_text(st, 4, http_body_str(req, "note"), -1);
    db_bind_int(st, 5, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "charter.update", arena_printf(&req->arena, "charter:%lld", (long long)id),
              "ok", "");
    http_json(req, 200, version_load(db, id, false));
    return ERR_OK;
}

enum err h_charter_delete(struct http_req *req)
{
    struct db *db = app_db(req);
    int64_t id = req->params[0];
    bool found;
    if (!is_draft(db, id, &found))
        return found ? http_fail(req, ERR_CONFLICT, "not_draft") : ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM motions WHERE charter_version_id = "
                                        "$1");
    db_bind_int(st, 1, id);
    if (db_scalar(st) > 0)
        return http_fail(req, ERR_CONFLICT, "version_in_motion");
    st = db_prepare(db, "UPDATE charter_versions SET based_on = NULL WHERE based_on = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    st = db_prepare(db, "DELETE FROM charter_versions WHERE id = $1");
    db_bind_int(st, 1, id);
    if (e == ERR_OK)
        e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "charter.delete", arena_printf(&req->arena, "charter:%lld", (long long)id),
              "ok", "");
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

/* The body of a version, copied into the request's arena, or NULL. */
static const char *version_body(struct http_req *req, const char *param, int64_t *id)
{
    const char *v = http_query_get(req, param);
    *id = v ? strtoll(v, NULL, 10) : 0;
    struct db_stmt *st = db_prepare(app_db(req), "SELECT body FROM charter_versions WHERE id = $1");
    db_bind_int(st, 1, *id);
    const char *body = NULL;
    if (db_step(st) == DB_ROW)
        body = arena_strdup(&req->arena, db_col_text(st, 0));
    db_done(st);
    if (body == NULL)
        http_field_error(req, param, "version_missing");
    return body;
}

enum err h_charter_diff(struct http_req *req)
{
    int64_t from, to;
    const char *a = version_body(req, "from", &from), *b = version_body(req, "to", &to);
    if (a == NULL || b == NULL)
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct diff_line *lines = NULL;
    size_t n = 0;
    if (diff_lines(a, strlen(a), b, strlen(b), CHARTER_MAX_LINES, &lines, &n) != 0)
        return http_fail(req, ERR_TOO_LARGE, "charter_too_long");
    static const char *const ops[] = {"same", "add", "del"};
    json_t *out = json_array();
    int added = 0, deleted = 0;
    for (size_t i = 0; i < n; i++) {
        added += lines[i].op == DIFF_ADD;
        deleted += lines[i].op == DIFF_DEL;
        json_array_append_new(out, json_pack("{s:s, s:s%}", "op", ops[lines[i].op], "text",
                                             lines[i].text, lines[i].len));
    }
    free(lines);
    http_json(req, 200, json_pack("{s:I, s:I, s:o, s:i, s:i}", "from", (json_int_t)from, "to",
                                  (json_int_t)to, "lines", out, "added", added, "deleted",
                                  deleted));
    return ERR_OK;
}

enum err h_vote_rules(struct http_req *req)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT code, base, num, den, strict FROM "
                                                 "vote_rules ORDER BY rowid");
    static const char *const bools[] = {"strict", NULL};
    json_t *rules = app_rows_json(st, bools);
    size_t i;
    json_t *r;
    json_array_foreach (rules, i, r) {
        struct vote_rule v = {VOTE_BASE_MEMBERS, 1, 1, false};
        vote_base_parse(json_string_value(json_object_get(r, "base")), &v.base);
        v.num = (int)json_integer_value(json_object_get(r, "num"));
        v.den = (int)json_integer_value(json_object_get(r, "den"));
        v.strict = json_is_true(json_object_get(r, "strict"));
        char text[64];
        vote_rule_text(&v, text, sizeof(text));
        json_object_set_new(r, "text", json_string(text));
    }
    int64_t max = db_scalar(db_prepare(app_db(req), "SELECT max_proxies FROM alliance"));
    http_json(req, 200, json_pack("{s:o, s:I}", "items", rules, "max_proxies", (json_int_t)max));
    return ERR_OK;
}

enum err h_vote_rule_put(struct http_req *req)
{
    const char *code = http_body_str(req, "code"), *base = http_body_str(req, "base");
    struct vote_rule r = {VOTE_BASE_MEMBERS, (int)http_body_int(req, "num", 0),
                          (int)http_body_int(req, "den", 0),
                          json_is_true(json_object_get(req->body, "strict"))};
    if (!vote_base_parse(base, &r.base))
        http_field_error(req, "base", "rule_unknown");
    else if (!vote_rule_valid(&r))
        http_field_error(req, "num", "rule_invalid");
    if (req->err_fields)
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db_stmt *st = db_prepare(app_db(req), "UPDATE vote_rules SET base = $2, num = $3, den = "
                                                 "$4, strict = $5, updated_at = $6 WHERE code = $1");
    db_bind_text(st, 1, code, -1);
    db_bind_text(st, 2, base, -1);
    db_bind_int(st, 3, r.num);
    db_bind_int(st, 4, r.den);
    db_bind_int(st, 5, r.strict);
    db_bind_int(st, 6, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    char text[64];
    vote_rule_text(&r, text, sizeof(text));
    app_audit(req, "vote_rule.update", arena_printf(&req->arena, "vote_rule:%s", code), "ok",
              text);
    return h_vote_rules(req);
}

enum err h_proxies_put(struct http_req *req)
{
    int64_t max = http_body_int(req, "max_proxies", -1);
    if (max < 0 || max > 10) {
        http_field_error(req, "max_proxies", "out_of_range");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    struct db_stmt *st = db_prepare(app_db(req), "UPDATE alliance SET max_proxies = $1");
    db_bind_int(st, 1, max);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "vote_rule.update", "vote_rule:max_proxies", "ok",
              arena_printf(&req->arena, "max_proxies=%lld", (long long)max));
    return h_vote_rules(req);
}
