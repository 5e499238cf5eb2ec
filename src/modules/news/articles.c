/*
 * articles.c - who may read which article, the lists, one article, and
 * writing drafts.
 *
 * A published article (from its publish time) is read by its audience:
 * everyone (public), any signed-in user (members), the listed units, or
 * the listed roles. The secretariat and the author's unit read all of
 * theirs, in any state; only they see drafts. Another unit's draft
 * answers 404 (SEC-B2).
 */
#include "modules/news/internal.h"
#include "modules/app.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const article_kinds[] = {"news", "notice", "policy", NULL};
const char *const article_statuses[] = {"draft", "submitted", "returned", "published",
                                        "withdrawn", NULL};
const char *const audiences[] = {"public", "members", "units", "roles", NULL};

void reader_of(const struct http_req *req, struct reader *r)
{
    r->role = req->who.role;
    r->unit = req->who.unit_id;
    r->secretariat = app_role_permits(req->who.role, "news.publish");
    r->writer = app_role_permits(req->who.role, "news.write");
}

/* Parameters $1..$5 of the visibility rules. */
#define READABLE                                                                                   \
    "(a.status = 'published' AND coalesce(a.publish_at, 0) <= $1 AND (a.audience = 'public' OR "  \
    "($2 IS NOT NULL AND a.audience = 'members') OR (a.audience = 'units' AND EXISTS (SELECT 1 "   \
    "FROM article_units x WHERE x.article_id = a.id AND x.unit_id = $3)) OR (a.audience = "        \
    "'roles' AND $2 IS NOT NULL AND instr(' ' || a.audience_roles || ' ', ' ' || $2 || ' ') > 0) " \
    "OR $4 = 1 OR (a.author_unit_id = $3 AND $3 > 0)))"
#define MANAGEABLE "($4 = 1 OR ($5 = 1 AND $3 > 0 AND a.author_unit_id = $3))"

static void bind_reader(struct db_stmt *st, const struct reader *r)
{
    db_bind_int(st, 1, time_now_ms());
    db_bind_text(st, 2, r->role, -1);
    db_bind_int(st, 3, r->unit);
    db_bind_int(st, 4, r->secretariat);
    db_bind_int(st, 5, r->writer);
}

bool article_load(struct db *db, const struct reader *r, int64_t id, struct article_head *h)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT a.id, coalesce(a.author_unit_id, 0), coalesce(a.cover_file_id, 0), a.kind, "
            "a.status, a.audience, a.needs_confirm, " READABLE ", " MANAGEABLE " FROM articles a "
            "WHERE a.id = $6");
    bind_reader(st, r);
    db_bind_int(st, 6, id);
    bool found = db_step(st) == DB_ROW;
    if (found) {
        h->id = db_col_int(st, 0);
        h->author_unit = db_col_int(st, 1);
        h->cover = db_col_int(st, 2);
        snprintf(h->kind, sizeof(h->kind), "%s", db_col_text(st, 3));
        snprintf(h->status, sizeof(h->status), "%s", db_col_text(st, 4));
        snprintf(h->audience, sizeof(h->audience), "%s", db_col_text(st, 5));
        h->needs_confirm = db_col_int(st, 6) != 0;
        h->readable = db_col_int(st, 7) != 0;
        h->manageable = db_col_int(st, 8) != 0;
    }
    db_done(st);
    return found && (h->readable || h->manageable);
}

static json_t *string_column(struct db *db, const char *sql, int64_t id)
{
    struct db_stmt *st = db_prepare(db, sql);
    db_bind_int(st, 1, id);
    json_t *a = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(a, db_col_type(st, 0) == DB_T_INT
                                     ? json_integer(db_col_int(st, 0))
                                     : json_string(db_col_text(st, 0)));
    db_done(st);
    return a;
}

static const char *const article_bools[] = {"needs_confirm", "confirmed", NULL};

#define ARTICLE_COLUMNS                                                                            \
    "a.id, a.kind, a.title, a.summary, a.author_unit_id, coalesce(u.name, '联盟秘书处') AS "       \
    "author_unit_name, a.source, a.source_url, a.cover_file_id, a.audience, a.needs_confirm, "     \
    "a.status, a.publish_at, a.views + 0 AS views, a.revision, a.created_at, a.updated_at, "       \
    "EXISTS (SELECT 1 FROM article_confirmations c WHERE c.article_id = a.id AND c.unit_id = $3 "  \
    "AND $3 > 0) AS confirmed "

/* The list's extras: tags and the cover's address. */
static void decorate(struct db *db, json_t *a)
{
    int64_t id = json_integer_value(json_object_get(a, "id"));
    json_object_set_new(a, "tags", string_column(db, "SELECT tag FROM article_tags WHERE "
                                                     "article_id = $1 ORDER BY tag",
                                                 id));
    json_t *cover = json_object_get(a, "cover_file_id");
    json_object_set_new(a, "cover_url",
                        json_is_integer(cover)
                            ? json_sprintf("/api/v1/articles/%lld/files/%lld", (long long)id,
                                           (long long)json_integer_value(cover))
                            : json_null());
}

json_t *article_json(struct db *db, const struct reader *r, int64_t id, bool full)
{
    struct db_stmt *st = db_prepare(db, "SELECT " ARTICLE_COLUMNS ", a.body, a.body_html, "
                                        "a.review_comment, a.audience_roles FROM articles a LEFT "
                                        "JOIN units u ON u.id = a.author_unit_id WHERE a.id = $6");
    bind_reader(st, r);
    db_bind_int(st, 6, id);
    json_t *a = app_row_one(st, article_bools);
    if (a == NULL)
        return NULL;
    decorate(db, a);
    const char *roles = json_string_value(json_object_get(a, "audience_roles"));
    json_t *list = json_array();
    for (const char *p = roles; p && *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            json_array_append_new(list, json_stringn(p, n));
        p += n + (p[n] == ' ');
    }
    json_object_set_new(a, "audience_roles", list);
    json_object_set_new(a, "audience_units", string_column(db, "SELECT unit_id FROM "
                                                               "article_units WHERE article_id = "
                                                               "$1 ORDER BY unit_id",
                                                           id));
    if (!full) {
        json_object_del(a, "body");
        json_object_del(a, "body_html");
    }
    if (!r->writer && !r->secretariat)
        json_object_del(a, "review_comment");
    return a;
}

/* --- lists --------------------------------------------------------------- */

/* $6 kind, $7 tag, $8 q, $9 status, $10 unit, $11 writer mode. */
#define LIST_WHERE                                                                                 \
    "WHERE (CASE WHEN $11 = 1 THEN " MANAGEABLE " AND ($9 IS NULL OR a.status = $9) ELSE " READABLE \
    " END) AND ($6 IS NULL OR a.kind = $6) AND ($7 IS NULL OR EXISTS (SELECT 1 FROM "              \
    "article_tags t WHERE t.article_id = a.id AND t.tag = $7)) AND ($8 IS NULL OR instr(a.title, " \
    "$8) > 0 OR instr(a.summary, $8) > 0 OR ($14 IS NOT NULL AND a.id IN "                         \
    APP_SEARCH_REFS("article", 14) ")) AND ($10 IS NULL OR a.author_unit_id = $10) "

static bool bind_list(struct http_req *req, struct db_stmt *st, const struct reader *r)
{
    bind_reader(st, r);
    static const char *const text[] = {"kind", "tag", "q", "status"};
    for (int i = 0; i < 4; i++) {
        const char *v = http_query_get(req, text[i]);
        db_bind_text(st, 6 + i, v && v[0] ? v : NULL, -1);
    }
    app_search_bind(st, 14, http_query_get(req, "q"));
    const char *unit = http_query_get(req, "unit_id"), *mine = http_query_get(req, "mine");
    int64_t u;
    if (unit && unit[0] && !str_to_i64(unit, strlen(unit), 1, INT64_MAX, &u)) {
        http_field_error(req, "unit_id", "must_be_integer");
        return false;
    }
    if (unit && unit[0])
        db_bind_int(st, 10, u);
    const char *status = http_query_get(req, "status");
    bool writing = (mine && strcmp(mine, "true") == 0) || (status && status[0]);
    db_bind_int(st, 11, writing && (r->writer || r->secretariat));
    return true;
}

enum err h_articles_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct reader r;
    reader_of(req, &r);
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM articles a " LIST_WHERE);
    if (!bind_list(req, st, &r)) {
        db_done(st);
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    int64_t total = db_scalar(st);
    st = db_prepare(db, "SELECT " ARTICLE_COLUMNS "FROM articles a LEFT JOIN units u ON u.id = "
                        "a.author_unit_id " LIST_WHERE "ORDER BY coalesce(a.publish_at, "
                        "a.updated_at) DESC, a.id DESC LIMIT $12 OFFSET $13");
    bind_list(req, st, &r);
    db_bind_int(st, 12, size);
    db_bind_int(st, 13, (page - 1) * size);
    json_t *items = app_rows_json(st, article_bools), *a;
    size_t i;
    json_array_foreach (items, i, a)
        decorate(db, a);
    if (req->who.role)
        req->personal = true;
    http_list(req, items, total, page, size);
    return ERR_OK;
}

enum err h_articles_tags(struct http_req *req)
{
    const char *kind = http_query_get(req, "kind");
    struct db_stmt *st = db_prepare(
        app_db(req), "SELECT t.tag, count(*) AS count FROM article_tags t JOIN articles a ON a.id "
                     "= t.article_id WHERE a.status = 'published' AND a.audience = 'public' AND "
                     "coalesce(a.publish_at, 0) <= $1 AND ($2 IS NULL OR a.kind = $2) GROUP BY "
                     "t.tag ORDER BY count DESC, t.tag LIMIT 100");
    db_bind_int(st, 1, time_now_ms());
    db_bind_text(st, 2, kind && kind[0] ? kind : NULL, -1);
    http_json(req, 200, json_pack("{s:o}", "items", app_rows_json(st, NULL)));
    return ERR_OK;
}

enum err h_articles_get(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h))
        return ERR_NOT_FOUND;
    json_t *a = article_json(app_db(req), &r, h.id, true);
    struct db_stmt *st = db_prepare(app_db(req), "SELECT id, name, type, size, ext FROM files "
                                                 "WHERE owner_kind = 'article' AND owner_id = $1 "
                                                 "ORDER BY id");
    db_bind_int(st, 1, h.id);
    json_t *files = app_rows_json(st, NULL), *f;
    size_t i;
    json_array_foreach (files, i, f)
        json_object_set_new(f, "url", json_sprintf("/api/v1/articles/%lld/files/%lld",
                                                   (long long)h.id,
                                                   (long long)json_integer_value(
                                                       json_object_get(f, "id"))));
    json_object_set_new(a, "attachments", files);
    /* Readers' views count; the author unit's and the secretariat's do not. */
    if (strcmp(h.status, "published") == 0 && !h.manageable)
        news_view(h.id);
    news_views_flush(app_db(req), false);
    if (req->who.role)
        req->personal = true;
    http_json(req, 200, a);
    return ERR_OK;
}
