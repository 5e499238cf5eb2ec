/*
 * index.c - keeping the search index: the tokenizer as the db layer sees
 * it, the document of each kind of record, and the flush of the queue of
 * changed records (the commit hook).
 *
 * A document is built from its record by one query per kind (kinds[]):
 * its title, body, the names whose pinyin keys it carries, its city and
 * unit, and who may see it (vis). A record that should not be found (a
 * draft position, a withdrawn article, an inactive unit) has a NULL vis
 * and no document.
 */
#include "modules/search/search.h"
#include "lib/text/text.h"
#include "base/alloc.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the tokenizer ----------------------------------------------------------- */

/* Documents and queries are split by the text library (text.h); a query
 * leaves out a closing unigram nothing follows (text_tokenize_query). */
static int tokenize(const char *text, size_t n, bool query, db_token_emit emit, void *ctx)
{
    return (query ? text_tokenize_query : text_tokenize)(text, n, emit, ctx);
}

/* --- documents ------------------------------------------------------------------ */

/* Columns of each query: title, body, name, name2 (pinyin keys), city,
 * unit_id, vis, visible_from. $1 is the record's id. A Markdown body put
 * after other text starts on its own line (char(10)), so that its
 * headings and lists read as such when it is made plain text. */
static const struct kind {
    const char *type, *sql;
} kinds[] = {
    {"alliance", "SELECT name, intro, name, short_name, NULL, NULL, 'public', NULL FROM "
                 "alliance WHERE id = $1"},
    {"unit", "SELECT name, short_name || ' ' || intro || ' ' || address, name, short_name, city, "
             "id, CASE status WHEN 'active' THEN 'public' END, NULL FROM units WHERE id = $1"},
    {"person", "SELECT p.name, p.title || ' ' || u.name, p.name, '', u.city, p.unit_id, "
               "'people.read', NULL FROM people p JOIN units u ON u.id = p.unit_id WHERE p.id = $1"},
    {"position", "SELECT p.title, p.occupation || ' ' || u.name || ' ' || p.description, "
                 "u.short_name, u.name, p.city, p.unit_id, CASE p.status WHEN 'published' THEN "
                 "'public' END, NULL FROM positions p JOIN units u ON u.id = p.unit_id WHERE "
                 "p.id = $1"},
    {"meeting", "SELECT title, place || char(10) || minutes, '', '', NULL, NULL, 'governance.read', "
                "NULL FROM meetings WHERE id = $1"},
    {"resolution", "SELECT number || ' ' || title, body, '', '', NULL, NULL, 'governance.read', "
                   "NULL FROM resolutions WHERE id = $1"},
    {"charter", "SELECT title, body, '', '', NULL, NULL, CASE status WHEN 'adopted' THEN 'public' "
                "END, NULL FROM charter_versions WHERE id = $1"},
    {"article", "SELECT a.title, a.summary || char(10) || a.body, '', '', u.city, a.author_unit_id, "
                "CASE WHEN a.status = 'published' THEN CASE a.audience WHEN 'units' THEN "
                "'article.units' WHEN 'roles' THEN 'article.roles' ELSE a.audience END END, "
                "a.publish_at FROM articles a LEFT JOIN units u ON u.id = "
                "a.author_unit_id WHERE a.id = $1"},
};

static const struct kind *kind_of(const char *type)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].type, type) == 0)
            return &kinds[i];
    return NULL;
}

/* Removes the document of (type, id) from the index, if there is one. */
static enum err doc_remove(struct db *db, const char *type, int64_t id)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO search_fts(search_fts, rowid, title, body, keys) SELECT 'delete', id, "
            "title, body, keys FROM search_docs WHERE type = $1 AND ref_id = $2");
    db_bind_text(st, 1, type, -1);
    db_bind_int(st, 2, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    st = db_prepare(db, "DELETE FROM search_docs WHERE type = $1 AND ref_id = $2");
    db_bind_text(st, 1, type, -1);
    db_bind_int(st, 2, id);
    return db_run(st);
}

/* Markdown as the plain text a snippet should show (heap): no heading,
 * quote or list marks at line starts, no emphasis or code marks, links as
 * their text. Not a Markdown parser: enough for search snippets. */
static char *plain_text(const char *md)
{
    size_t n = strlen(md);
    char *out = xmalloc(n + 1), *o = out;
    bool line_start = true;
    for (size_t i = 0; i < n;) {
        if (line_start) {
            while (i < n && (md[i] == ' ' || md[i] == '#' || md[i] == '>'))
                i++;
            if (i + 1 < n && (md[i] == '-' || md[i] == '+') && md[i + 1] == ' ')
                i += 2;
            line_start = false;
            continue;
        }
        char c = md[i++];
        if (c == '*' || c == '`' || c == '[')
            continue;
        if (c == ']' && i < n && md[i] == '(') { /* [text](url): keep the text */
            while (i < n && md[i] != ')' && md[i] != '\n')
                i++;
            i += i < n && md[i] == ')';
            continue;
        }
        *o++ = c;
        line_start = c == '\n';
    }
    *o = '\0';
    return out;
}

/* The pinyin keys of two names, space-separated (heap). */
static char *keys_of(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    size_t la = text_pinyin_keys(a, na, NULL, 0), lb = text_pinyin_keys(b, nb, NULL, 0);
    char *out = xmalloc(la + lb + 2);
    text_pinyin_keys(a, na, out, la);
    out[la] = ' ';
    text_pinyin_keys(b, nb, out + la + 1, lb);
    out[la + 1 + lb] = '\0';
    return out;
}

static enum err doc_insert(struct db *db, const char *type, int64_t id, struct db_stmt *src)
{
    char *keys = keys_of(db_col_text(src, 2), db_col_text(src, 3));
    char *body = plain_text(db_col_text(src, 1)); /* charter, articles, minutes: Markdown */
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO search_docs(type, ref_id, title, body, keys, city, unit_id, vis, "
            "visible_from, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    db_bind_text(st, 1, type, -1);
    db_bind_int(st, 2, id);
    db_bind_text(st, 3, db_col_text(src, 0), -1);
    db_bind_text(st, 4, body, -1);
    db_bind_text(st, 5, keys, -1);
    if (!db_col_null(src, 4))
        db_bind_text(st, 6, db_col_text(src, 4), -1);
    if (!db_col_null(src, 5))
        db_bind_int(st, 7, db_col_int(src, 5));
    db_bind_text(st, 8, db_col_text(src, 6), -1);
    if (!db_col_null(src, 7))
        db_bind_int(st, 9, db_col_int(src, 7));
    db_bind_int(st, 10, time_now_ms());
    enum err e = db_run(st);
    free(keys);
    free(body);
    if (e != ERR_OK)
        return e;
    st = db_prepare(db, "INSERT INTO search_fts(rowid, title, body, keys) SELECT id, title, body, "
                        "keys FROM search_docs WHERE id = $1");
    db_bind_int(st, 1, db_last_id(db));
    return db_run(st);
}

/* Rebuilds the document of (type, id) from its record. */
static enum err doc_refresh(struct db *db, const char *type, int64_t id)
{
    const struct kind *k = kind_of(type);
    enum err e = doc_remove(db, type, id);
    if (k == NULL || e != ERR_OK)
        return e;
    struct db_stmt *src = db_prepare(db, k->sql);
    db_bind_int(src, 1, id);
    if (db_step(src) == DB_ROW && !db_col_null(src, 6))
        e = doc_insert(db, type, id, src);
    db_done(src);
    return e;
}

/* --- the queue ------------------------------------------------------------------- */

struct queued {
    char type[16];
    int64_t id;
};

/* Takes up to cap queued records out of the queue into out. */
static size_t queue_take(struct db *db, struct queued *out, size_t cap, enum err *e)
{
    struct db_stmt *st = db_prepare(db, "SELECT type, ref_id FROM search_queue LIMIT $1");
    db_bind_int(st, 1, (int64_t)cap);
    size_t n = 0;
    while (n < cap && db_step(st) == DB_ROW) {
        snprintf(out[n].type, sizeof(out[n].type), "%s", db_col_text(st, 0));
        out[n++].id = db_col_int(st, 1);
    }
    db_done(st);
    *e = ERR_OK;
    for (size_t i = 0; i < n && *e == ERR_OK; i++) {
        st = db_prepare(db, "DELETE FROM search_queue WHERE type = $1 AND ref_id = $2");
        db_bind_text(st, 1, out[i].type, -1);
        db_bind_int(st, 2, out[i].id);
        *e = db_run(st);
    }
    return n;
}

#define FLUSH_BATCH 256

static enum err flush_queue(struct db *db, void (*progress)(void *, int64_t, int64_t), void *arg)
{
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM search_queue");
    int64_t total = db_scalar(st), done = 0;
    if (total == 0)
        return ERR_OK;
    struct queued batch[FLUSH_BATCH];
    enum err e = ERR_OK;
    size_t n;
    while (e == ERR_OK && (n = queue_take(db, batch, FLUSH_BATCH, &e)) > 0) {
        for (size_t i = 0; i < n && e == ERR_OK; i++)
            e = doc_refresh(db, batch[i].type, batch[i].id);
        done += (int64_t)n;
        if (progress)
            progress(arg, done < total ? done : total, total);
    }
    return e;
}

/* The index's tables exist once the migrations have run; until then (the
 * migrations' own commits) the hook has nothing to do. Set before any
 * server thread starts (search_flush() follows the migrations). */
static bool ready;

enum err search_flush(struct db *db, void (*progress)(void *arg, int64_t done, int64_t total),
                      void *arg)
{
    ready = true;
    if (db_in_txn(db))
        return flush_queue(db, progress, arg);
    enum err e = db_begin(db);
    if (e == ERR_OK)
        e = db_commit(db); /* the commit hook flushes */
    return e;
}

static enum err commit_hook(struct db *db)
{
    return ready ? flush_queue(db, NULL, NULL) : ERR_OK;
}

enum err search_reindex(struct db *db, void (*progress)(void *arg, int64_t done, int64_t total),
                        void *arg, int64_t *docs)
{
    static const char *const fill[] = {
        "DELETE FROM search_docs",
        "INSERT INTO search_fts(search_fts) VALUES ('delete-all')",
        "INSERT OR IGNORE INTO search_queue SELECT 'alliance', id FROM alliance",
        "INSERT OR IGNORE INTO search_queue SELECT 'unit', id FROM units",
        "INSERT OR IGNORE INTO search_queue SELECT 'person', id FROM people",
        "INSERT OR IGNORE INTO search_queue SELECT 'position', id FROM positions",
        "INSERT OR IGNORE INTO search_queue SELECT 'meeting', id FROM meetings",
        "INSERT OR IGNORE INTO search_queue SELECT 'resolution', id FROM resolutions",
        "INSERT OR IGNORE INTO search_queue SELECT 'charter', id FROM charter_versions",
        "INSERT OR IGNORE INTO search_queue SELECT 'article', id FROM articles",
    };
    enum err e = db_begin(db);
    for (size_t i = 0; i < sizeof(fill) / sizeof(fill[0]) && e == ERR_OK; i++)
        e = db_run(db_prepare(db, fill[i]));
    if (e == ERR_OK)
        e = flush_queue(db, progress, arg);
    if (e == ERR_OK)
        e = db_commit(db);
    else
        db_rollback(db);
    if (e == ERR_OK && docs)
        *docs = db_scalar(db_prepare(db, "SELECT count(*) FROM search_docs"));
    return e;
}

void search_install(void)
{
    db_register_tokenizer("jilian", tokenize);
    db_set_commit_hook(commit_hook);
}
