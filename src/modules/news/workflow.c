/*
 * workflow.c - writing and reviewing articles.
 *
 * draft -> submitted -> published, or returned (with a comment) and
 * submitted again; the secretariat may publish its own drafts at once and
 * withdraw published articles (kept). Every publication writes a
 * revision. A unit_admin writes only its own unit's articles; the unit of
 * a new article comes from the session (SEC-B2, B4).
 */
#include "modules/news/internal.h"
#include "modules/app.h"
#include "base/str.h"
#include "base/time.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TAGS 10

static bool unit_exists(struct db *db, int64_t id)
{
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM units WHERE id = $1");
    db_bind_int(st, 1, id);
    return db_scalar(st) > 0;
}

/* Checks the body's lists (tags, audience units and roles) and the rules
 * between fields; false with field errors. */
static bool article_check(struct http_req *req, const struct reader *r)
{
    json_t *tags = json_object_get(req->body, "tags"), *t;
    size_t i;
    if (tags && json_array_size(tags) > MAX_TAGS)
        http_field_error(req, "tags", "too_many_tags");
    json_array_foreach (tags, i, t) {
        const char *s = json_string_value(t);
        size_t n = s ? strlen(s) : 0;
        if (n == 0 || utf8_length(s, n) > 20 || str_has_control(s, n))
            http_field_error(req, "tags", "tag_invalid");
    }
    json_t *units = json_object_get(req->body, "audience_units"), *u;
    json_array_foreach (units, i, u)
        if (!json_is_integer(u) || unit_exists(app_db(req), json_integer_value(u)) == false)
            http_field_error(req, "audience_units", "unit_missing");
    json_t *roles = json_object_get(req->body, "audience_roles"), *ro;
    json_array_foreach (roles, i, ro)
        if (!json_is_string(ro) || !app_role_valid(json_string_value(ro)))
            http_field_error(req, "audience_roles", "role_invalid");
    const char *url = http_body_str(req, "source_url");
    if (url && url[0] && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        http_field_error(req, "source_url", "url_invalid");
    if (json_object_get(req->body, "unit_id") && !r->secretariat)
        http_field_error(req, "unit_id", "unknown_field"); /* SEC-B4 */
    int64_t unit = json_integer_value(json_object_get(req->body, "unit_id"));
    if (unit && !unit_exists(app_db(req), unit))
        http_field_error(req, "unit_id", "unit_missing");
    return req->err_fields == NULL;
}

/* Writes the lists of the body (when present) for article id. */
static enum err store_lists(struct http_req *req, int64_t id)
{
    struct db *db = app_db(req);
    static const struct {
        const char *field, *clear, *insert;
    } lists[] = {
        {"tags", "DELETE FROM article_tags WHERE article_id = $1",
         "INSERT OR IGNORE INTO article_tags(article_id, tag) VALUES ($1, $2)"},
        {"audience_units", "DELETE FROM article_units WHERE article_id = $1",
         "INSERT OR IGNORE INTO article_units(article_id, unit_id) VALUES ($1, $2)"},
    };
    enum err e = ERR_OK;
    for (size_t k = 0; e == ERR_OK && k < 2; k++) {
        json_t *list = json_object_get(req->body, lists[k].field), *v;
        if (list == NULL)
            continue;
        struct db_stmt *st = db_prepare(db, lists[k].clear);
        db_bind_int(st, 1, id);
        e = db_run(st);
        size_t i;
        json_array_foreach (list, i, v) {
            if (e != ERR_OK)
                break;
            st = db_prepare(db, lists[k].insert);
            db_bind_int(st, 1, id);
            if (json_is_integer(v))
                db_bind_int(st, 2, json_integer_value(v));
            else
                db_bind_text(st, 2, json_string_value(v), -1);
            e = db_run(st);
        }
    }
    return e;
}

/* The roles of the body as one space-separated string (arena), or NULL. */
static const char *roles_text(struct http_req *req)
{
    json_t *roles = json_object_get(req->body, "audience_roles"), *r;
    if (roles == NULL)
        return NULL;
    char *out = arena_strdup(&req->arena, "");
    size_t i;
    json_array_foreach (roles, i, r)
        out = arena_printf(&req->arena, "%s%s%s", out, out[0] ? " " : "", json_string_value(r));
    return out;
}

/* Sets the text columns from the body (absent ones kept) and renders. */
static enum err store_text(struct http_req *req, int64_t id)
{
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(
        db, "UPDATE articles SET kind = coalesce($2, kind), title = coalesce($3, title), summary "
            "= coalesce($4, summary), body = coalesce($5, body), source = coalesce($6, source), "
            "source_url = coalesce($7, source_url), audience = coalesce($8, audience), "
            "audience_roles = coalesce($9, audience_roles), needs_confirm = coalesce($10, "
            "needs_confirm), updated_at = $11 WHERE id = $1");
    db_bind_int(st, 1, id);
    static const char *const keys[] = {"kind", "title", "summary", "body", "source", "source_url",
                                       "audience"};
    for (int i = 0; i < 7; i++)
        db_bind_text(st, i + 2, http_body_str(req, keys[i]), -1);
    db_bind_text(st, 9, roles_text(req), -1);
    json_t *confirm = json_object_get(req->body, "needs_confirm");
    if (confirm)
        db_bind_int(st, 10, json_is_true(confirm));
    db_bind_int(st, 11, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    /* The rendered body follows the Markdown; only notices ask for receipts. */
    st = db_prepare(db, "SELECT body, kind FROM articles WHERE id = $1");
    db_bind_int(st, 1, id);
    char *html = NULL;
    bool notice = false;
    if (db_step(st) == DB_ROW) {
        html = news_render(db_col_text(st, 0), strlen(db_col_text(st, 0)));
        notice = strcmp(db_col_text(st, 1), "notice") == 0;
    }
    db_done(st);
    st = db_prepare(db, "UPDATE articles SET body_html = $2, needs_confirm = needs_confirm * $3 "
                        "WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, html ? html : "", -1);
    db_bind_int(st, 3, notice);
    e = db_run(st);
    free(html);
    return e == ERR_OK ? store_lists(req, id) : e;
}

static enum err answer(struct http_req *req, int64_t id, int status)
{
    struct reader r;
    reader_of(req, &r);
    http_json(req, status, article_json(app_db(req), &r, id, true));
    req->personal = true;
    return ERR_OK;
}

enum err h_articles_create(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    if (!article_check(req, &r))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    int64_t unit = r.secretariat ? json_integer_value(json_object_get(req->body, "unit_id"))
                                 : req->who.unit_id;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO articles(kind, title, author_unit_id, author_user_id, created_at, "
            "updated_at) VALUES ($1, $2, $3, $4, $5, $5)");
    db_bind_text(st, 1, http_body_str(req, "kind"), -1);
    db_bind_text(st, 2, http_body_str(req, "title"), -1);
    if (unit)
        db_bind_int(st, 3, unit);
    db_bind_int(st, 4, req->who.user_id);
    db_bind_int(st, 5, time_now_ms());
    enum err e = db_run(st);
    int64_t id = db_last_id(db);
    if (e == ERR_OK)
        e = store_text(req, id);
    if (e != ERR_OK)
        return e;
    app_audit(req, "article.create", arena_printf(&req->arena, "article:%lld", (long long)id),
              "ok", http_body_str(req, "kind"));
    return answer(req, id, 201);
}

/* May the caller change an article in this state? The author unit's
 * writers: drafts and returned ones; the secretariat: any. */
static bool may_edit(const struct reader *r, const struct article_head *h)
{
    if (!h->manageable)
        return false;
    if (r->secretariat)
        return true;
    return strcmp(h->status, "draft") == 0 || strcmp(h->status, "returned") == 0;
}

enum err h_articles_update(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h) || !h.manageable)
        return ERR_NOT_FOUND;
    if (!may_edit(&r, &h))
        return http_fail(req, ERR_CONFLICT, "article_locked");
    if (!article_check(req, &r))
        return http_fail(req, ERR_INVALID, "validation_failed");
    enum err e = store_text(req, h.id);
    if (e == ERR_OK && json_object_get(req->body, "unit_id")) {
        struct db_stmt *st = db_prepare(app_db(req), "UPDATE articles SET author_unit_id = "
                                                     "nullif($2, 0) WHERE id = $1");
        db_bind_int(st, 1, h.id);
        db_bind_int(st, 2, json_integer_value(json_object_get(req->body, "unit_id")));
        e = db_run(st);
    }
    if (e != ERR_OK)
        return e;
    /* An edit of what readers see is a new revision. */
    if (strcmp(h.status, "published") == 0)
        e = article_revise(req, h.id);
    if (e != ERR_OK)
        return e;
    app_audit(req, "article.update", arena_printf(&req->arena, "article:%lld", (long long)h.id),
              "ok", h.status);
    return answer(req, h.id, 200);
}

enum err h_articles_delete(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h) || !h.manageable)
        return ERR_NOT_FOUND;
    if (strcmp(h.status, "draft") != 0 && strcmp(h.status, "returned") != 0)
        return http_fail(req, ERR_CONFLICT, "article_locked");
    struct db_stmt *st = db_prepare(app_db(req), "DELETE FROM articles WHERE id = $1");
    db_bind_int(st, 1, h.id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    st = db_prepare(app_db(req), "DELETE FROM files WHERE owner_kind = 'article' AND owner_id = "
                                 "$1");
    db_bind_int(st, 1, h.id);
    if ((e = db_run(st)) != ERR_OK)
        return e;
    app_audit(req, "article.delete", arena_printf(&req->arena, "article:%lld", (long long)h.id),
              "ok", "");
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

/* --- states -------------------------------------------------------------- */

enum err article_revise(struct http_req *req, int64_t id)
{
    struct db_stmt *st = db_prepare(
        app_db(req), "UPDATE articles SET revision = revision + 1 WHERE id = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    st = db_prepare(app_db(req), "INSERT INTO article_revisions(article_id, revision, title, "
                                 "summary, body, by_user, created_at) SELECT id, revision, "
                                 "title, summary, body, $2, $3 FROM articles WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, req->who.user_id);
    db_bind_int(st, 3, time_now_ms());
    return e == ERR_OK ? db_run(st) : e;
}

/* Moves an article from one of the states in `from` (space-separated)
 * to `to`, with the review comment when given; answers nothing. */
static enum err step(struct http_req *req, const char *from, const char *to, const char *comment,
                     const char *action)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h) || !h.manageable)
        return ERR_NOT_FOUND;
    char states[64];
    snprintf(states, sizeof(states), " %s ", from);
    char mine[16];
    snprintf(mine, sizeof(mine), " %s ", h.status);
    if (strstr(states, mine) == NULL)
        return http_fail(req, ERR_CONFLICT, "article_state");
    struct db_stmt *st = db_prepare(app_db(req), "UPDATE articles SET status = $2, "
                                                 "review_comment = coalesce($3, review_comment), "
                                                 "updated_at = $4 WHERE id = $1");
    db_bind_int(st, 1, h.id);
    db_bind_text(st, 2, to, -1);
    db_bind_text(st, 3, comment, -1);
    db_bind_int(st, 4, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, action, arena_printf(&req->arena, "article:%lld", (long long)h.id), "ok",
              arena_printf(&req->arena, "%s -> %s", h.status, to));
    return ERR_OK;
}

/* A step, then the article as the answer. */
static enum err step_answer(struct http_req *req, const char *from, const char *to,
                            const char *comment, const char *action)
{
    enum err e = step(req, from, to, comment, action);
    return e == ERR_OK && req->err_key == NULL ? answer(req, req->params[0], 200) : e;
}

enum err h_articles_submit(struct http_req *req)
{
    return step_answer(req, "draft returned", "submitted", "", "article.submit");
}

enum err h_articles_return(struct http_req *req)
{
    const char *comment = http_body_str(req, "comment");
    if (comment == NULL || comment[0] == '\0') {
        http_field_error(req, "comment", "required");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    return step_answer(req, "submitted", "returned", comment, "article.return");
}

enum err h_articles_withdraw(struct http_req *req)
{
    return step_answer(req, "published", "withdrawn", http_body_str(req, "comment"),
                       "article.withdraw");
}

enum err h_articles_publish(struct http_req *req)
{
    json_t *at = json_object_get(req->body, "publish_at");
    int64_t when = json_is_integer(at) ? json_integer_value(at) : time_now_ms();
    if (when < 0) {
        http_field_error(req, "publish_at", "out_of_range");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    enum err e = step(req, "draft submitted withdrawn", "published", "", "article.publish");
    if (e != ERR_OK || req->err_key != NULL)
        return e;
    struct db_stmt *st = db_prepare(app_db(req), "UPDATE articles SET publish_at = $2 WHERE id = "
                                                 "$1");
    db_bind_int(st, 1, req->params[0]);
    db_bind_int(st, 2, when);
    e = db_run(st);
    if (e == ERR_OK)
        e = article_revise(req, req->params[0]);
    if (e != ERR_OK)
        return e;
    return answer(req, req->params[0], 200);
}

enum err h_articles_revisions(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h) || !h.manageable)
        return ERR_NOT_FOUND;
    struct db_stmt *st = db_prepare(
        app_db(req), "SELECT v.revision, v.title, v.summary, v.body, coalesce(u.display_name, "
                     "u.username, '') AS by_name, v.created_at FROM article_revisions v LEFT JOIN "
                     "users u ON u.id = v.by_user WHERE v.article_id = $1 ORDER BY v.revision "
                     "DESC");
    db_bind_int(st, 1, h.id);
    http_json(req, 200, json_pack("{s:o}", "items", app_rows_json(st, NULL)));
    return ERR_OK;
}

/* --- read confirmations --------------------------------------------------- */

enum err h_articles_confirm(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h) || !h.readable ||
        req->who.unit_id == 0)
        return ERR_NOT_FOUND;
    if (!h.needs_confirm)
        return http_fail(req, ERR_CONFLICT, "no_confirmation");
    struct db_stmt *st = db_prepare(app_db(req), "INSERT OR IGNORE INTO article_confirmations("
                                                 "article_id, unit_id, user_id, confirmed_at) "
                                                 "VALUES ($1, $2, $3, $4)");
    db_bind_int(st, 1, h.id);
    db_bind_int(st, 2, req->who.unit_id);
    db_bind_int(st, 3, req->who.user_id);
    db_bind_int(st, 4, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "article.confirm", arena_printf(&req->arena, "article:%lld", (long long)h.id),
              "ok", "");
    return answer(req, h.id, 200);
}

/* The units a notice is for: those listed, or every active unit. */
#define AUDIENCE_UNITS                                                                             \
    "SELECT u.id, u.name FROM units u JOIN articles a ON a.id = $1 WHERE u.status = 'active' AND " \
    "(a.audience <> 'units' OR u.id IN (SELECT unit_id FROM article_units WHERE article_id = $1))"

enum err h_articles_confirmations(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h))
        return ERR_NOT_FOUND;
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(
        db, "SELECT c.unit_id, u.name AS unit_name, coalesce(x.display_name, x.username, '') AS "
            "user_name, c.confirmed_at FROM article_confirmations c JOIN units u ON u.id = "
            "c.unit_id LEFT JOIN users x ON x.id = c.user_id WHERE c.article_id = $1 ORDER BY "
            "c.confirmed_at");
    db_bind_int(st, 1, h.id);
    json_t *confirmed = app_rows_json(st, NULL);
    st = db_prepare(db, "SELECT id AS unit_id, name AS unit_name FROM (" AUDIENCE_UNITS ") WHERE "
                        "id NOT IN (SELECT unit_id FROM article_confirmations WHERE article_id = "
                        "$1) ORDER BY id");
    db_bind_int(st, 1, h.id);
    http_json(req, 200, json_pack("{s:o, s:o}", "confirmed", confirmed, "pending",
                                  app_rows_json(st, NULL)));
    return ERR_OK;
}
