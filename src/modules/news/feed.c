/*
 * feed.c - what the portal shows outside the console: the Atom feed of
 * each kind and the Open Graph tags of a public article's page.
 *
 * Only public, published articles (from their publish time) appear.
 * Everything taken from an article is escaped for XML/HTML here.
 */
#include "modules/news/internal.h"
#include "modules/app.h"
#include "base/buf.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEED_ENTRIES 30
#define FEED_MAX (4 << 20)

/* Appends s escaped for XML text and attribute values. */
static void put_escaped(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&#39;");
            break;
        default:
            buf_putc(b, *s);
        }
    }
}

static const char *kind_title(const char *kind)
{
    return strcmp(kind, "notice") == 0 ? "通知公告"
           : strcmp(kind, "policy") == 0 ? "政策文件"
                                         : "新闻动态";
}

#define PUBLIC_WHERE                                                                               \
    "a.status = 'published' AND a.audience = 'public' AND coalesce(a.publish_at, 0) <= $1 "

static void feed_entry(struct buf *b, struct db_stmt *st, const char *base)
{
    char published[40], updated[40];
    time_iso8601(db_col_int(st, 4), published, sizeof(published));
    time_iso8601(db_col_int(st, 5), updated, sizeof(updated));
    buf_printf(b, "<entry><id>urn:jilian:article:%lld</id><title>", (long long)db_col_int(st, 0));
    put_escaped(b, db_col_text(st, 1));
    buf_printf(b, "</title><link href=\"%s/news/%lld\"/><published>%s</published>"
                  "<updated>%s</updated><author><name>",
               base, (long long)db_col_int(st, 0), published, updated);
    put_escaped(b, db_col_text(st, 3));
    buf_puts(b, "</name></author><summary>");
    put_escaped(b, db_col_text(st, 2));
    buf_puts(b, "</summary></entry>\n");
}

static enum err feed(struct http_req *req, const char *kind)
{
    struct db *db = app_db(req);
    const char *base = app_config()->public_url;
    char alliance[200] = "联盟";
    struct db_stmt *st = db_prepare(db, "SELECT name FROM alliance");
    if (db_step(st) == DB_ROW)
        snprintf(alliance, sizeof(alliance), "%s", db_col_text(st, 0));
    db_done(st);
    struct buf b;
    buf_init(&b, FEED_MAX);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>");
    put_escaped(&b, alliance);
    buf_printf(&b, " · %s</title><id>urn:jilian:feed:%s</id>"
                   "<link rel=\"self\" href=\"%s/api/v1/feeds/%s\"/>"
                   "<link rel=\"alternate\" href=\"%s/news?kind=%s\"/>",
               kind_title(kind), kind, base, kind, base, kind);
    st = db_prepare(db, "SELECT a.id, a.title, a.summary, coalesce(u.name, '联盟秘书处'), "
                        "coalesce(a.publish_at, a.created_at), a.updated_at FROM articles a LEFT "
                        "JOIN units u ON u.id = a.author_unit_id WHERE " PUBLIC_WHERE "AND a.kind "
                        "= $2 ORDER BY a.publish_at DESC, a.id DESC LIMIT $3");
    db_bind_int(st, 1, time_now_ms());
    db_bind_text(st, 2, kind, -1);
    db_bind_int(st, 3, FEED_ENTRIES);
    bool first = true;
    while (db_step(st) == DB_ROW) {
        if (first) {
            char updated[40];
            time_iso8601(db_col_int(st, 5), updated, sizeof(updated));
            buf_printf(&b, "<updated>%s</updated>\n", updated);
            first = false;
        }
        feed_entry(&b, st, base);
    }
    db_done(st);
    if (first) {
        char now[40];
        time_iso8601(time_now_ms(), now, sizeof(now));
        buf_printf(&b, "<updated>%s</updated>\n", now);
    }
    buf_puts(&b, "</feed>\n");
    size_t n;
    char *xml = buf_steal(&b, &n);
    req->out = arena_strndup(&req->arena, xml ? xml : "", n);
    req->out_len = n;
    req->out_type = "application/atom+xml; charset=utf-8";
    free(xml);
    return ERR_OK;
}

enum err h_feed_news(struct http_req *req)
{
    return feed(req, "news");
}

enum err h_feed_notice(struct http_req *req)
{
    return feed(req, "notice");
}

enum err h_feed_policy(struct http_req *req)
{
    return feed(req, "policy");
}

char *news_page_meta(struct db *db, const char *path, const char *public_url)
{
    int64_t id;
    if (strncmp(path, "/news/", 6) != 0 || !str_to_i64(path + 6, strlen(path + 6), 1,
                                                         INT64_MAX, &id))
        return NULL;
    struct db_stmt *st = db_prepare(db, "SELECT a.title, a.summary, a.cover_file_id FROM "
                                        "articles a WHERE a.id = $2 AND " PUBLIC_WHERE);
    db_bind_int(st, 1, time_now_ms());
    db_bind_int(st, 2, id);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return NULL;
    }
    const char *base = public_url ? public_url : "";
    struct buf b;
    buf_init(&b, 64 << 10);
    buf_puts(&b, "<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" "
                 "content=\"");
    put_escaped(&b, db_col_text(st, 0));
    buf_puts(&b, "\">\n<meta property=\"og:description\" content=\"");
    put_escaped(&b, db_col_text(st, 1));
    buf_printf(&b, "\">\n<meta property=\"og:url\" content=\"%s/news/%lld\">\n", base,
               (long long)id);
    if (!db_col_null(st, 2))
        buf_printf(&b, "<meta property=\"og:image\" content=\"%s/api/v1/articles/%lld/files/"
                       "%lld\">\n",
                   base, (long long)id, (long long)db_col_int(st, 2));
    db_done(st);
    size_t n;
    return buf_steal(&b, &n);
}
