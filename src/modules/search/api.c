/*
 * api.c - searching: GET /api/v1/search (ranked results with highlights
 * and facets), GET /api/v1/search/suggest (titles as people type) and
 * POST /api/v1/search/reindex (a job). docs/search.md.
 *
 * The text a person types becomes an FTS5 query of quoted terms, all of
 * which must match; the last term (and any single Han character) matches
 * by prefix. Each term is tokenized like the documents (folded, so
 * traditional finds simplified and back), and a Latin term also matches
 * the pinyin keys of names. Results are ranked by BM25 with the title
 * over the names' pinyin over the body, and filtered in SQL by what the
 * caller may see (vis_sql).
 */
#include "modules/search/search.h"
#include "modules/app.h"
#include "lib/text/text.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const types[] = {"alliance", "unit",    "person",  "position", "meeting",
                                    "resolution", "charter", "article", NULL};

/* The FTS5 query for the typed text q (arena), or NULL when it holds
 * nothing to search for. cols: a column filter like "{title keys} : " or "". */
static const char *fts_query(struct http_req *req, const char *q, const char *cols)
{
    char *heap = text_fts_query(q, strlen(q), cols);
    const char *out = heap ? arena_strdup(&req->arena, heap) : NULL;
    free(heap);
    return out;
}

/* The typed text: present, at most 64 characters (else a field error). */
static const char *query_text(struct http_req *req)
{
    const char *q = http_query_get(req, "q");
    if (q == NULL || q[0] == '\0')
        http_field_error(req, "q", "required");
    else if (!utf8_valid(q, strlen(q)) || utf8_length(q, strlen(q)) > 64)
        http_field_error(req, "q", "too_long");
    return req->err_fields ? NULL : q;
}

/* Parameters $10..$15: who the caller is, for the visibility rule. */
#define VIS_SQL                                                                                    \
    "(d.vis = 'public' OR (d.vis = 'members' AND $10 = 1) OR (d.vis = 'governance.read' AND $11 "  \
    "= 1) OR (d.vis = 'people.read' AND $12 = 1 AND ($13 = 1 OR d.unit_id = $14))) AND "           \
    "(d.visible_from IS NULL OR d.visible_from <= $15)"

static void bind_vis(struct http_req *req, struct db_stmt *st)
{
    const char *role = req->who.role;
    db_bind_int(st, 10, role != NULL);
    db_bind_int(st, 11, role && app_role_permits(role, "governance.read"));
    db_bind_int(st, 12, role && app_role_permits(role, "people.read"));
    db_bind_int(st, 13, app_sees_all_units(req));
    db_bind_int(st, 14, req->who.unit_id);
    db_bind_int(st, 15, time_now_ms());
}

/* Text with \x02 ... \x03 around the hits as [{text, hit}] pieces, so the
 * console shows highlights without ever inserting HTML. */
static json_t *pieces(const char *s)
{
    json_t *a = json_array();
    bool hit = false;
    while (s && *s) {
        size_t n = strcspn(s, "\x02\x03");
        if (n > 0)
            json_array_append_new(a, json_pack("{s:s%, s:b}", "text", s, n, "hit", hit));
        s += n;
        if (*s)
            hit = *s++ == '\x02';
    }
    return a;
}

/* Facet counts of column col ("d.type" or "d.city") for the match. */
static json_t *facet(struct http_req *req, const char *match, const char *col, bool by_type,
                     bool by_city)
{
    const char *sql = arena_printf(
        &req->arena,
        "SELECT %s, %s, count(*) FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid "
        "LEFT JOIN regions r ON r.code = d.city WHERE search_fts MATCH $1 AND " VIS_SQL
        " AND ($2 IS NULL OR d.type = $2) AND ($3 IS NULL OR d.city = $3) AND %s IS NOT NULL "
        "GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 30",
        col, strcmp(col, "d.city") == 0 ? "coalesce(r.name, d.city)" : col, col);
    struct db_stmt *st = db_prepare(app_db(req), sql);
    db_bind_text(st, 1, match, -1);
    const char *type = http_query_get(req, "type"), *city = http_query_get(req, "city");
    if (by_type && type && type[0])
        db_bind_text(st, 2, type, -1);
    if (by_city && city && city[0])
        db_bind_text(st, 3, city, -1);
    bind_vis(req, st);
    json_t *a = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "key", db_col_text(st, 0), "name",
                                           db_col_text(st, 1), "count",
                                           (json_int_t)db_col_int(st, 2)));
    db_done(st);
    return a;
}

/* BM25 (lower is better, so a weight above 1 lifts) times a weight by
 * type: people look for the alliance and its members by name first. */
#define TYPE_WEIGHT                                                                                \
    "(CASE d.type WHEN 'alliance' THEN 3.0 WHEN 'unit' THEN 2.0 WHEN 'position' THEN 1.5 ELSE "   \
    "1.0 END)"

#define RESULT_FROM                                                                                \
    "FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid LEFT JOIN regions r ON "        \
    "r.code = d.city WHERE search_fts MATCH $1 AND " VIS_SQL " AND ($2 IS NULL OR d.type = $2) "   \
    "AND ($3 IS NULL OR d.city = $3) "

static void bind_filters(struct http_req *req, struct db_stmt *st, const char *match)
{
    const char *type = http_query_get(req, "type"), *city = http_query_get(req, "city");
    db_bind_text(st, 1, match, -1);
    db_bind_text(st, 2, type && type[0] ? type : NULL, -1);
    db_bind_text(st, 3, city && city[0] ? city : NULL, -1);
    bind_vis(req, st);
}

static enum err h_search(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    const char *q = query_text(req);
    if (q == NULL)
        return http_fail(req, ERR_INVALID, "validation_failed");
    const char *match = fts_query(req, q, "");
    json_t *items = json_array();
    int64_t total = 0;
    json_t *by_type = json_array(), *by_city = json_array();
    if (match) {
        struct db_stmt *st = db_prepare(app_db(req), "SELECT count(*) " RESULT_FROM);
        bind_filters(req, st, match);
        total = db_scalar(st);
        st = db_prepare(app_db(req),
                        "SELECT d.type, d.ref_id, d.title, d.city, coalesce(r.name, '') AS "
                        "city_name, highlight(search_fts, 0, char(2), char(3)), snippet(search_fts, "
                        "1, char(2), char(3), '…', 20), bm25(search_fts, 10.0, 1.0, 4.0) * "
                        TYPE_WEIGHT " AS score " RESULT_FROM "ORDER BY score LIMIT $4 OFFSET $5");
        bind_filters(req, st, match);
        db_bind_int(st, 4, size);
        db_bind_int(st, 5, (page - 1) * size);
        while (db_step(st) == DB_ROW) {
            json_t *it = json_pack("{s:s, s:I, s:s, s:o, s:s, s:o, s:o}", "type",
                                   db_col_text(st, 0), "id", (json_int_t)db_col_int(st, 1),
                                   "title", db_col_text(st, 2), "city",
                                   db_col_null(st, 3) ? json_null() : json_string(db_col_text(st, 3)),
                                   "city_name", db_col_text(st, 4), "title_hl",
                                   pieces(db_col_text(st, 5)), "snippet", pieces(db_col_text(st, 6)));
            json_array_append_new(items, it);
        }
        db_done(st);
        json_decref(by_type);
        json_decref(by_city);
        by_type = facet(req, match, "d.type", false, true);
        by_city = facet(req, match, "d.city", true, false);
    }
    if (req->who.role)
        req->personal = true;
    http_list(req, items, total, page, size);
    json_object_set_new(req->json, "facets",
                        json_pack("{s:o, s:o}", "type", by_type, "city", by_city));
    return ERR_OK;
}

static enum err h_suggest(struct http_req *req)
{
    const char *q = query_text(req);
    if (q == NULL)
        return http_fail(req, ERR_INVALID, "validation_failed");
    const char *match = fts_query(req, q, "{title keys} : ");
    json_t *items = json_array();
    if (match) {
        struct db_stmt *st = db_prepare(
            app_db(req), "SELECT d.type, d.ref_id, d.title FROM search_fts JOIN search_docs d ON "
                         "d.id = search_fts.rowid WHERE search_fts MATCH $1 AND " VIS_SQL
                         " ORDER BY bm25(search_fts, 10.0, 1.0, 4.0) * " TYPE_WEIGHT " LIMIT 8");
        db_bind_text(st, 1, match, -1);
        bind_vis(req, st);
        while (db_step(st) == DB_ROW)
            json_array_append_new(items, json_pack("{s:s, s:I, s:s}", "type", db_col_text(st, 0),
                                                   "id", (json_int_t)db_col_int(st, 1), "title",
                                                   db_col_text(st, 2)));
        db_done(st);
    }
    if (req->who.role)
        req->personal = true;
    http_json(req, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

/* --- reindex as a job ----------------------------------------------------------- */

struct reindex_job {
    struct http_job base;
    struct app_job_caller who;
};

static void reindex_progress(void *arg, int64_t done, int64_t total)
{
    app_job_progress(*(int64_t *)arg, done, total);
}

static void reindex_run(struct http_job *job, void *thread_ctx)
{
    struct reindex_job *rj = (struct reindex_job *)job;
    struct db *db = ((struct app_thread *)thread_ctx)->db;
    app_job_started(db, job->id);
    int64_t docs = 0;
    enum err e = search_reindex(db, reindex_progress, &job->id, &docs);
    char detail[64];
    snprintf(detail, sizeof(detail), "job=%lld docs=%lld", (long long)job->id, (long long)docs);
    app_job_audit(db, &rj->who, "search.reindex", "search", e == ERR_OK ? "ok" : "failed", detail);
    json_t *result = json_pack("{s:I}", "documents", (json_int_t)docs);
    app_job_finish(db, job->id, e == ERR_OK, i18n_text(rj->who.lang, e == ERR_OK ? "ok" : "internal"),
                   result);
    json_decref(result);
}

static void reindex_destroy(struct http_job *job)
{
    free(job);
}

static enum err h_reindex(struct http_req *req)
{
    int64_t id = app_job_create(req, "search.reindex");
    if (id == 0)
        return ERR_INTERNAL;
    struct reindex_job *rj = xcalloc(1, sizeof(*rj));
    rj->base = (struct http_job){id, reindex_run, reindex_destroy, NULL};
    app_job_caller(req, &rj->who);
    http_jobs_submit(&rj->base);
    http_json(req, 202, json_pack("{s:I, s:s}", "job_id", (json_int_t)id, "state", "queued"));
    return ERR_OK;
}

static const struct http_field search_query[] = {
    {"q", FT_STRING, true, 64, NULL, "what to look for: characters (simplified or traditional), "
                                     "words, pinyin or its initials"},
    {"type", FT_ENUM, false, 12, types, NULL},
    {"city", FT_STRING, false, 12, NULL, "region code"},
    {"page", FT_INT, false, 0, NULL, NULL},
    {"page_size", FT_INT, false, 0, NULL, NULL},
    {0},
};
static const struct http_field suggest_query[] = {
    {"q", FT_STRING, true, 64, NULL, "the text typed so far"},
    {0},
};

const struct http_route search_routes[] = {
    {HTTP_GET, "/api/v1/search", PERM_PUBLIC, h_search, "search",
     "Search everything the caller may see", NULL, search_query},
    {HTTP_GET, "/api/v1/search/suggest", PERM_PUBLIC, h_suggest, "search",
     "Titles matching what is typed so far", NULL, suggest_query},
    {HTTP_POST, "/api/v1/search/reindex", "search.reindex", h_reindex, "search",
     "Rebuild the whole search index (a job)"},
    {0},
};
