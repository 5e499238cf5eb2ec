/*
 * demo.c - the demo alliance's articles (data/demo/articles.txt): a dozen
 * each of news, notices and policy documents, published on their dates by
 * the secretariat, some notices for members only and asking for receipts.
 *
 * The file holds records, each opened by a line
 *   === kind | tag,tag | YYYY-MM-DD | audience | confirm
 * and followed by the article in Markdown (the first line "# title", then
 * the lead paragraph, which becomes the summary). A few units of the chair
 * and vice-chair have already confirmed the first notices.
 */
#include "modules/news/internal.h"
#include "modules/files.h"
#include "base/alloc.h"
#include "base/embed.h"
#include "base/str.h"
#include "base/time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct embedded_file *data_file(const char *name);

struct record {
    char kind[8], tags[200], date[11], audience[8];
    int confirm;
    const char *body;
    size_t body_len;
};

/* Parses the header line at p (n bytes, without "=== "). */
static bool header(const char *p, size_t n, struct record *r)
{
    char line[400];
    if (n >= sizeof(line))
        return false;
    memcpy(line, p, n);
    line[n] = '\0';
    char *fields[5];
    int k = 0;
    for (char *save = NULL, *f = strtok_r(line, "|", &save); f && k < 5;
         f = strtok_r(NULL, "|", &save)) {
        while (*f == ' ')
            f++;
        size_t m = strlen(f);
        while (m > 0 && f[m - 1] == ' ')
            f[--m] = '\0';
        fields[k++] = f;
    }
    if (k != 5 || !str_date_valid(fields[2]))
        return false;
    snprintf(r->kind, sizeof(r->kind), "%s", fields[0]);
    snprintf(r->tags, sizeof(r->tags), "%s", fields[1]);
    snprintf(r->date, sizeof(r->date), "%s", fields[2]);
    snprintf(r->audience, sizeof(r->audience), "%s", fields[3]);
    r->confirm = atoi(fields[4]) != 0;
    return true;
}

/* Unix ms of 09:00 China time on date. */
static int64_t date_ms(const char *date)
{
    int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
    /* Days from the civil date (proleptic Gregorian), then 01:00 UTC. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400, doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    return (days * 86400 + 3600) * 1000;
}

static enum err store(struct db *db, const struct record *r, int64_t secretariat)
{
    struct news_import im = {0};
    if (!news_import_convert("demo.md", r->body, r->body_len, &im))
        return ERR_INVALID;
    int64_t id = 0;
    enum err e = news_import_store(db, &im, r->kind, secretariat, &id);
    news_import_cleanup(&im);
    int64_t at = date_ms(r->date);
    struct db_stmt *st = db_prepare(
        db, "UPDATE articles SET status = 'published', audience = $2, needs_confirm = $3, "
            "publish_at = $4, created_at = $4, updated_at = $4, revision = 1, views = $5 WHERE "
            "id = $1");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, r->audience, -1);
    db_bind_int(st, 3, r->confirm);
    db_bind_int(st, 4, at);
    db_bind_int(st, 5, 30 + (id * 37) % 400);
    if (e == ERR_OK)
        e = db_run(st);
    st = db_prepare(db, "INSERT INTO article_revisions(article_id, revision, title, summary, "
                        "body, by_user, created_at) SELECT id, 1, title, summary, body, $2, $3 "
                        "FROM articles WHERE id = $1");
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, secretariat);
    db_bind_int(st, 3, at);
    if (e == ERR_OK)
        e = db_run(st);
    /* News gets one of the demo's covers. */
    static int covers;
    if (e == ERR_OK && strcmp(r->kind, "news") == 0) {
        char name[32];
        snprintf(name, sizeof(name), "cover%d.png", covers++ % 3 + 1);
        const struct embedded_file *img = data_file(name);
        struct files_new f = {"article", id, name,
                              img ? (const unsigned char *)img->data : NULL, img ? img->len : 0,
                              FILES_IMAGES, secretariat};
        int64_t file = 0;
        const char *why;
        e = img ? files_store(db, &f, &file, &why) : ERR_INTERNAL;
        st = db_prepare(db, "UPDATE articles SET cover_file_id = $2 WHERE id = $1");
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, file);
        if (e == ERR_OK)
            e = db_run(st);
    }
    char tags[200];
    snprintf(tags, sizeof(tags), "%s", r->tags);
    for (char *save = NULL, *t = strtok_r(tags, ",", &save); e == ERR_OK && t;
         t = strtok_r(NULL, ",", &save)) {
        st = db_prepare(db, "INSERT OR IGNORE INTO article_tags(article_id, tag) VALUES ($1, $2)");
        db_bind_int(st, 1, id);
        db_bind_text(st, 2, t, -1);
        e = db_run(st);
    }
    return e;
}

enum err news_demo_load(struct db *db)
{
    const struct embedded_file *f = data_file("articles.txt");
    int64_t secretariat = db_scalar(db_prepare(db, "SELECT coalesce(min(id), 0) FROM users WHERE "
                                                   "role = 'alliance_admin'"));
    if (f == NULL)
        return ERR_INTERNAL;
    const char *p = (const char *)f->data, *end = p + f->len;
    enum err e = ERR_OK;
    int count = 0;
    while (e == ERR_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        if (line_end - p < 4 || memcmp(p, "=== ", 4) != 0) {
            p = nl ? nl + 1 : end;
            continue;
        }
        struct record r;
        if (!header(p + 4, (size_t)(line_end - p - 4), &r))
            return ERR_INVALID;
        const char *body = nl ? nl + 1 : end, *next = body;
        while (next < end && !(next + 4 <= end && memcmp(next, "=== ", 4) == 0 &&
                               (next == body || next[-1] == '\n'))) {
            const char *n2 = memchr(next, '\n', (size_t)(end - next));
            next = n2 ? n2 + 1 : end;
        }
        r.body = body;
        r.body_len = (size_t)(next - body);
        e = store(db, &r, secretariat);
        count++;
        p = next;
    }
    /* Receipts already in: the chair and vice-chair units confirmed the
     * oldest notices that ask for them. */
    if (e == ERR_OK)
        e = db_exec(db, "INSERT OR IGNORE INTO article_confirmations(article_id, unit_id, "
                        "confirmed_at) SELECT a.id, u.id, a.publish_at + 86400000 FROM articles "
                        "a, units u WHERE a.needs_confirm = 1 AND u.role IN ('chair', "
                        "'vice_chair') AND u.status = 'active' AND a.id IN (SELECT id FROM "
                        "articles WHERE needs_confirm = 1 ORDER BY publish_at LIMIT 2)");
    return e == ERR_OK && count == 0 ? ERR_INVALID : e;
}
