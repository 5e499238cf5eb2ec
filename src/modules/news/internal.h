/* internal.h - helpers shared inside the news module only. */
#ifndef JL_MODULES_NEWS_INTERNAL_H
#define JL_MODULES_NEWS_INTERNAL_H

#include "modules/news/news.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

extern const char *const article_kinds[], *const article_statuses[], *const audiences[];

/* The caller as the visibility rules see it. */
struct reader {
    const char *role; /* NULL: anonymous */
    int64_t unit;     /* 0: none */
    bool secretariat; /* news.publish */
    bool writer;      /* news.write */
};
void reader_of(const struct http_req *req, struct reader *r);

/* The article's head, if the caller may read it (published for its
 * audience) or manage it (own unit's writer, the secretariat). */
struct article_head {
    int64_t id, author_unit, cover;
    char kind[8], status[12], audience[8];
    bool needs_confirm, readable, manageable;
};
bool article_load(struct db *db, const struct reader *r, int64_t id, struct article_head *h);

/* The article as JSON (with body when full). */
json_t *article_json(struct db *db, const struct reader *r, int64_t id, bool full);

/* Writes the article's current text as its next revision. */
enum err article_revise(struct http_req *req, int64_t id);

/* Counts one view of an article (in memory). */
void news_view(int64_t id);

/* Route handlers, by file. */
enum err h_articles_list(struct http_req *req);
enum err h_articles_tags(struct http_req *req);
enum err h_articles_create(struct http_req *req);
enum err h_articles_get(struct http_req *req);
enum err h_articles_update(struct http_req *req);
enum err h_articles_delete(struct http_req *req);
enum err h_articles_submit(struct http_req *req);
enum err h_articles_publish(struct http_req *req);
enum err h_articles_return(struct http_req *req);
enum err h_articles_withdraw(struct http_req *req);
enum err h_articles_revisions(struct http_req *req);
enum err h_articles_confirm(struct http_req *req);
enum err h_articles_confirmations(struct http_req *req);
enum err h_article_files_add(struct http_req *req);
enum err h_article_files_get(struct http_req *req);
enum err h_article_files_delete(struct http_req *req);
enum err h_articles_import(struct http_req *req);
enum err h_feed_news(struct http_req *req);
enum err h_feed_notice(struct http_req *req);
enum err h_feed_policy(struct http_req *req);

#endif
