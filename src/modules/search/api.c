/*
 * api.c - searching: GET /api/v1/search (ranked results with highlights
 * and facets), GET /api/v1/search/suggest (titles as people type) and
 * POST /api/v1/search/reindex (a job). docs/search.md.
 *
 * The text a person types becomes an FTS5 query of quoted terms, all of
 * which must match, each by prefix. Each term is tokenized like the
 * documents (folded, so traditional finds simplified and back), and a
 * Latin term also matches the pinyin keys of names. Results are ranked by
 * jl_rank (bm25 without the document length) with the title over the
 * names' pinyin over the body, and filtered in SQL by what the caller may
 * see (VIS_SQL). Hits are marked by text_mark_hits, as the index matched
 * them, and by the characters typed pinyin spells in a name.
 */
#include "modules/search/search.h"
#include "modules/app.h"
#include "lib/text/text.h"
#include "base/alloc.h"
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

/* Parameters $10..$17: who the caller is, for the visibility rule. An
 * article for chosen units or roles is read by them, by its author's
 * unit and by the secretariat (news.publish), as in the news module. */
#define VIS_SQL                                                                                    \
    "(d.vis = 'public' OR (d.vis = 'members' AND $10 = 1) OR (d.vis = 'governance.read' AND $11 "  \
    "= 1) OR (d.vis = 'people.read' AND $12 = 1 AND ($13 = 1 OR d.unit_id = $14)) OR (d.vis IN "   \
    "('article.units', 'article.roles') AND ($16 = 1 OR ($14 > 0 AND d.unit_id = $14) OR "         \
    "(d.vis = 'article.units' AND EXISTS (SELECT 1 FROM article_units x WHERE x.article_id = "     \
    "d.ref_id AND x.unit_id = $14)) OR (d.vis = 'article.roles' AND $17 IS NOT NULL AND instr(' ' " \
    "|| (SELECT audience_roles FROM articles WHERE id = d.ref_id) || ' ', ' ' || $17 || ' ') > "   \
    "0)))) AND (d.visible_from IS NULL OR d.visible_from <= $15)"

static void bind_vis(struct http_req *req, struct db_stmt *st)
{
    const char *role = req->who.role;
    db_bind_int(st, 10, role != NULL);
    db_bind_int(st, 11, role && app_role_permits(role, "governance.read"));
    db_bind_int(st, 12, role && app_role_permits(role, "people.read"));
    db_bind_int(st, 13, app_sees_all_units(req));
    db_bind_int(st, 14, req->who.unit_id);
    db_bind_int(st, 15, time_now_ms());
    db_bind_int(st, 16, role && app_role_permits(role, "news.publish"));
    db_bind_text(st, 17, role, -1);
}

/* The rank of a match, lower is better: jl_rank (bm25's column weights
 * and saturating term frequency without its per-row document length,
 * fts5.h: a common term's many matches rank in a few milliseconds) with
 * the title over the names' pinyin over the body, times a weight by
 * type: people look for the alliance and its members by name first. */
#define RANK                                                                                       \
    "jl_rank(search_fts, 10.0, 1.0, 4.0) * (CASE d.type WHEN 'alliance' THEN 3.0 WHEN 'unit' "    \
    "THEN 2.0 WHEN 'position' THEN 1.5 ELSE 1.0 END)"

/* The typed terms (text_query_terms), for marking hits. */
struct terms {
    const char *v[TEXT_MAX_TERMS];
    size_t len[TEXT_MAX_TERMS], n;
};

/* Characters of a body shown around its first hit, and before it. */
#define SNIPPET_CHARS 60
#define SNIPPET_BEFORE 12

static void add_piece(json_t *a, const char *s, size_t n, bool hit)
{
    if (n > 0)
        json_array_append_new(a, json_pack("{s:s%, s:b}", "text", s, n, "hit", hit));
}

/* s[0..n) as [{text, hit}] pieces by mark, so the console shows
 * highlights without ever inserting HTML; "…" where the text was cut. */
static json_t *mark_pieces(const char *s, size_t n, const unsigned char *mark, bool cut_before,
                           bool cut_after)
{
    json_t *a = json_array();
    if (cut_before)
        add_piece(a, "…", strlen("…"), false);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && mark[j] == mark[i])
            j++;
        add_piece(a, s + i, j - i, mark[i]);
        i = j;
    }
    if (cut_after)
        add_piece(a, "…", strlen("…"), false);
    return a;
}

/* The title's pieces: what the terms match in it or, when they match
 * nothing there, the characters their pinyin spells (such a match was in
 * the names' keys, which are not shown). */
static json_t *title_pieces(struct http_req *req, const char *title, const struct terms *t)
{
    size_t n = strlen(title);
    unsigned char *mark = arena_zalloc(&req->arena, n + 1);
    if (text_mark_hits(title, n, t->v, t->len, t->n, mark) == 0)
        for (size_t k = 0; k < t->n; k++) {
            char p[4 * 64];
            size_t pn = text_fold_utf8(t->v[k], t->len[k], p, sizeof p), a, b;
            if (pn > 0 && pn <= sizeof p && strspn(p, "abcdefghijklmnopqrstuvwxyz") >= pn &&
                text_pinyin_span(title, n, p, pn, &a, &b))
                memset(mark + a, 1, b - a);
        }
    return mark_pieces(title, n, mark, false, false);
}

/* About SNIPPET_CHARS characters of the body from a little before its
 * first hit (from its start when it has none), as pieces; line breaks,
 * tabs and runs of spaces show as one space. */
static json_t *snippet_pieces(struct http_req *req, const char *body, const struct terms *t)
{
    size_t n = strlen(body);
    unsigned char *mark = arena_zalloc(&req->arena, n + 1);
    text_mark_hits(body, n, t->v, t->len, t->n, mark);
    size_t first = 0;
    while (first < n && !mark[first])
        first++;
    size_t from = first < n ? first : 0;
    for (int back = 0; back < SNIPPET_BEFORE && from > 0; back++) {
        from--;
        while (from > 0 && ((unsigned char)body[from] & 0xC0) == 0x80)
            from--;
    }
    size_t to = from;
    for (int k = 0; k < SNIPPET_CHARS && to < n; k++)
        text_next(body, n, &to);
    char *text = arena_alloc(&req->arena, to - from + 1);
    unsigned char *marks = arena_alloc(&req->arena, to - from + 1);
    size_t len = 0;
    for (size_t i = from; i < to; i++) {
        bool space = body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t';
        if (space && (len == 0 || text[len - 1] == ' '))
            continue;
        text[len] = space ? ' ' : body[i];
        marks[len++] = mark[i];
    }
    return mark_pieces(text, len, marks, from > 0, to < n);
}

/* One facet entry: a type or a city, with how many results it has. */
struct facet {
    const char *key, *name;
    int64_t count;
};

static int facet_cmp(const void *a, const void *b)
{
    const struct facet *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* The first max entries of f[0..n), most results first, as JSON. */
static json_t *facet_json(struct facet *f, size_t n, size_t max)
{
    if (n > 1) /* f is NULL when there is no city */
        qsort(f, n, sizeof *f, facet_cmp);
    json_t *a = json_array();
    for (size_t i = 0; i < n && i < max; i++)
        if (f[i].count > 0)
            json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "key", f[i].key, "name",
                                               f[i].name, "count", (json_int_t)f[i].count));
    return a;
}

static bool same(const char *filter, const char *v)
{
    return filter == NULL || (v != NULL && strcmp(filter, v) == 0);
}

/* The total and both facets from one pass over the matches, grouped by
 * (city, type): the total obeys both filters, the type facet the city
 * filter only and the city facet the type filter only, so each facet
 * shows what choosing one of its entries would give. */
static void count_facets(struct http_req *req, const char *match, const char *type_f,
                         const char *city_f, int64_t *total, json_t **by_type, json_t **by_city)
{
    enum { NTYPES = sizeof types / sizeof types[0] - 1 };
    struct facet tf[NTYPES];
    for (size_t i = 0; i < NTYPES; i++)
        tf[i] = (struct facet){types[i], types[i], 0};
    size_t ncity = 0, cap = 0;
    struct facet *cf = NULL;
    struct db_stmt *st = db_prepare(
        app_db(req), "SELECT d.city, coalesce(r.name, d.city), d.type, count(*) FROM search_fts "
                     "JOIN search_docs d ON d.id = search_fts.rowid LEFT JOIN regions r ON "
                     "r.code = d.city WHERE search_fts MATCH $1 AND " VIS_SQL
                     " GROUP BY d.city, d.type ORDER BY d.city");
    db_bind_text(st, 1, match, -1);
    bind_vis(req, st);
    *total = 0;
    while (db_step(st) == DB_ROW) {
        const char *city = db_col_null(st, 0) ? NULL : db_col_text(st, 0);
        const char *type = db_col_text(st, 2);
        int64_t n = db_col_int(st, 3);
        if (same(type_f, type) && same(city_f, city))
            *total += n;
        if (same(city_f, city))
            for (size_t i = 0; i < NTYPES; i++)
                if (strcmp(types[i], type) == 0)
                    tf[i].count += n;
        if (city == NULL || !same(type_f, type))
            continue;
        if (ncity == 0 || strcmp(cf[ncity - 1].key, city) != 0) { /* rows come by city */
            if (ncity == cap) {
                cap = cap ? 2 * cap : 32;
                struct facet *grown = arena_alloc(&req->arena, cap * sizeof *grown);
                if (ncity)
                    memcpy(grown, cf, ncity * sizeof *grown);
                cf = grown;
            }
            cf[ncity++] = (struct facet){arena_strdup(&req->arena, city),
                                         arena_strdup(&req->arena, db_col_text(st, 1)), 0};
        }
        cf[ncity - 1].count += n;
    }
    db_done(st);
    *by_type = facet_json(tf, NTYPES, NTYPES);
    *by_city = facet_json(cf, ncity, 30);
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
    const char *type = http_query_get(req, "type"), *city = http_query_get(req, "city");
    type = type && type[0] ? type : NULL;
    city = city && city[0] ? city : NULL;
    json_t *items = json_array(), *by_type = NULL, *by_city = NULL;
    int64_t total = 0;
    if (match) {
        count_facets(req, match, type, city, &total, &by_type, &by_city);
        struct db_stmt *st = db_prepare(
            app_db(req),
            "SELECT d.type, d.ref_id, d.title, d.city, coalesce(r.name, '') AS city_name, d.body, "
            RANK " AS score FROM search_fts JOIN search_docs d ON d.id = "
            "search_fts.rowid LEFT JOIN regions r ON r.code = d.city WHERE search_fts MATCH $1 AND "
            VIS_SQL " AND ($2 IS NULL OR d.type = $2) AND ($3 IS NULL OR d.city = $3) ORDER BY "
            "score, d.id DESC LIMIT $4 OFFSET $5");
        db_bind_text(st, 1, match, -1);
        db_bind_text(st, 2, type, -1);
        db_bind_text(st, 3, city, -1);
        bind_vis(req, st);
        db_bind_int(st, 4, size);
        db_bind_int(st, 5, (page - 1) * size);
        struct terms t;
        t.n = text_query_terms(q, strlen(q), t.v, t.len);
        while (db_step(st) == DB_ROW) {
            const char *title = db_col_text(st, 2);
            json_t *it = json_pack("{s:s, s:I, s:s, s:o, s:s, s:o, s:o}", "type",
                                   db_col_text(st, 0), "id", (json_int_t)db_col_int(st, 1),
                                   "title", title, "city",
                                   db_col_null(st, 3) ? json_null() : json_string(db_col_text(st, 3)),
                                   "city_name", db_col_text(st, 4), "title_hl",
                                   title_pieces(req, title, &t), "snippet",
                                   snippet_pieces(req, db_col_text(st, 5), &t));
            json_array_append_new(items, it);
        }
        db_done(st);
    }
    if (req->who.role)
        req->personal = true;
    http_list(req, items, total, page, size);
    json_object_set_new(req->json, "facets",
                        json_pack("{s:o, s:o}", "type", by_type ? by_type : json_array(), "city",
                                  by_city ? by_city : json_array()));
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
        struct terms t;
        t.n = text_query_terms(q, strlen(q), t.v, t.len);
        struct db_stmt *st = db_prepare(
            app_db(req), "SELECT d.type, d.ref_id, d.title FROM search_fts JOIN search_docs d ON "
                         "d.id = search_fts.rowid WHERE search_fts MATCH $1 AND " VIS_SQL
                         " ORDER BY " RANK ", d.id DESC LIMIT 8");
        db_bind_text(st, 1, match, -1);
        bind_vis(req, st);
        while (db_step(st) == DB_ROW) {
            const char *title = db_col_text(st, 2);
            json_array_append_new(items, json_pack("{s:s, s:I, s:s, s:o}", "type",
                                                   db_col_text(st, 0), "id",
                                                   (json_int_t)db_col_int(st, 1), "title", title,
                                                   "title_hl", title_pieces(req, title, &t)));
        }
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
