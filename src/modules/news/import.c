/*
 * import.c - articles from files: plain text, Markdown or HTML, one
 * article per file, kept as written (simplified or traditional) but for
 * inline pinyin annotations, which src/lib/text removes. HTML becomes
 * Markdown (src/lib/text/html2md.c). The same conversion serves the
 * console's upload (POST /articles/import) and `jilian import articles`.
 */
#include "modules/news/internal.h"
#include "modules/app.h"
#include "base/alloc.h"
#include "base/str.h"
#include "base/time.h"
#include "lib/text/html2md.h"
#include "lib/text/pinyin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SUMMARY_CHARS 120

static const char *extension(const char *name)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    return dot ? dot + 1 : "";
}

/* Copies at most max code points of s (n bytes) as a heap string. */
static char *first_chars(const char *s, size_t n, size_t max)
{
    size_t i = 0, count = 0;
    while (i < n && count < max) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        if (i + len > n)
            break;
        i += len;
        count++;
    }
    char *out = xmalloc(i + 1);
    memcpy(out, s, i);
    out[i] = '\0';
    return out;
}

/* The first line of text that is not empty, without Markdown marks. */
static char *first_line(const char *s, bool heading_only)
{
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\n");
        const char *q = p;
        size_t m = n;
        bool heading = m > 0 && q[0] == '#';
        while (m > 0 && (*q == '#' || *q == ' ' || *q == '\t' || *q == '\r')) {
            q++;
            m--;
        }
        while (m > 0 && (q[m - 1] == ' ' || q[m - 1] == '\r' || q[m - 1] == '\t'))
            m--;
        if (m > 0 && (heading || !heading_only))
            return first_chars(q, m, 100);
        p += n + (p[n] == '\n');
    }
    return NULL;
}

/* The first paragraph that is not a heading, at most SUMMARY_CHARS. */
static char *first_paragraph(const char *body)
{
    for (const char *p = body; *p;) {
        size_t n = strcspn(p, "\n");
        if (n > 0 && p[0] != '#' && p[0] != '!' && p[0] != '>' && p[0] != '\r')
            return first_chars(p, n, SUMMARY_CHARS);
        p += n + (p[n] == '\n');
    }
    return xstrdup("");
}

/* Removes the body's first line when it is a heading holding the title
 * (the page shows the title already). */
static void drop_title_heading(char *body, const char *title)
{
    char *p = body;
    while (*p == '\n' || *p == '\r' || *p == ' ')
        p++;
    if (*p != '#')
        return;
    char *q = p;
    while (*q == '#' || *q == ' ')
        q++;
    size_t n = strcspn(q, "\r\n"), t = strlen(title);
    while (n > t && q[n - 1] == ' ')
        n--;
    if (n != t || memcmp(q, title, t) != 0)
        return;
    char *rest = q + strcspn(q, "\n");
    while (*rest == '\n' || *rest == '\r')
        rest++;
    memmove(body, rest, strlen(rest) + 1);
}

bool news_import_convert(const char *name, const char *data, size_t len, struct news_import *out)
{
    memset(out, 0, sizeof(*out));
    const char *ext = extension(name);
    bool html = strcasecmp(ext, "html") == 0 || strcasecmp(ext, "htm") == 0;
    bool text = strcasecmp(ext, "txt") == 0 || strcasecmp(ext, "md") == 0 ||
                strcasecmp(ext, "markdown") == 0;
    if (!html && !text) {
        snprintf(out->warnings, sizeof(out->warnings), "import_type");
        return false;
    }
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) { /* a BOM */
        data += 3;
        len -= 3;
    }
    if (!html && !utf8_valid(data, len)) {
        snprintf(out->warnings, sizeof(out->warnings), "import_encoding");
        return false;
    }
    char *title = NULL, *md;
    size_t md_len;
    if (html) {
        md = text_html_to_markdown(data, len, &title, &md_len);
        if (md == NULL) { /* over the converter's bound (4 MiB) */
            free(title);
            snprintf(out->warnings, sizeof(out->warnings), "import_empty");
            return false;
        }
    } else {
        md = xmalloc(len + 1);
        memcpy(md, data, len);
        md[len] = '\0';
        md_len = len;
    }
    out->body = text_strip_pinyin(md, md_len, &md_len);
    free(md);
    if (title) {
        char *clean = text_strip_pinyin(title, strlen(title), &md_len);
        free(title);
        title = clean;
    }
    if (title == NULL || title[0] == '\0') {
        free(title);
        title = first_line(out->body, true);
    }
    if (title == NULL)
        title = first_line(out->body, false);
    if (title == NULL) {
        news_import_cleanup(out);
        snprintf(out->warnings, sizeof(out->warnings), "import_empty");
        return false;
    }
    out->title = title;
    drop_title_heading(out->body, title);
    out->summary = first_paragraph(out->body);
    return true;
}

void news_import_cleanup(struct news_import *im)
{
    free(im->title);
    free(im->summary);
    free(im->body);
    im->title = im->summary = im->body = NULL;
}

enum err news_import_store(struct db *db, const struct news_import *im, const char *kind,
                           int64_t user, int64_t *id)
{
    char *html = news_render(im->body, strlen(im->body));
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO articles(kind, title, summary, body, body_html, author_user_id, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)");
    db_bind_text(st, 1, kind, -1);
    db_bind_text(st, 2, im->title, -1);
    db_bind_text(st, 3, im->summary, -1);
    db_bind_text(st, 4, im->body, -1);
    db_bind_text(st, 5, html, -1);
    if (user)
        db_bind_int(st, 6, user);
    db_bind_int(st, 7, time_now_ms());
    enum err e = db_run(st);
    free(html);
    *id = db_last_id(db);
    return e;
}

enum err h_articles_import(struct http_req *req)
{
    const char *name = http_query_get(req, "name"), *kind = http_query_get(req, "kind");
    const char *dry = http_query_get(req, "dry_run");
    struct news_import im;
    if (!news_import_convert(name, req->raw_body, req->raw_body_len, &im)) {
        http_field_error(req, "file", im.warnings);
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    enum err e = ERR_OK;
    if (dry && strcmp(dry, "true") == 0) {
        http_json(req, 200, json_pack("{s:s, s:s, s:s, s:[]}", "title", im.title, "summary",
                                      im.summary, "body", im.body, "warnings"));
    } else {
        int64_t id = 0;
        e = news_import_store(app_db(req), &im, kind ? kind : "news", req->who.user_id, &id);
        if (e == ERR_OK) {
            app_audit(req, "article.import", arena_printf(&req->arena, "article:%lld",
                                                          (long long)id),
                      "ok", name);
            struct reader r;
            reader_of(req, &r);
            http_json(req, 201, article_json(app_db(req), &r, id, true));
        }
    }
    news_import_cleanup(&im);
    return e;
}
