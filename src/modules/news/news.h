/*
 * news.h - news, notices and policy documents: writing, review,
 * audiences, read confirmations, uploads, import, the portal's feeds
 * (docs/news.md).
 */
#ifndef JL_MODULES_NEWS_H
#define JL_MODULES_NEWS_H

#include "db/db.h"
#include "http/http.h"

#include <stdbool.h>
#include <stddef.h>

extern const struct http_route news_routes[];

/* Markdown to sanitised HTML: raw HTML and unsafe links are dropped.
 * Returns a heap string (free()). */
char *news_render(const char *markdown, size_t len);

/* One file turned into an article's parts: text (.txt), Markdown (.md)
 * or HTML (.html, .htm), pinyin annotations removed. */
struct news_import {
    char *title;   /* heap; from the file (first heading, <title>, first line) or its name */
    char *summary; /* heap; the first paragraph, at most 120 characters */
    char *body;    /* heap; Markdown */
    char warnings[512];
};
/* Converts data (len bytes, named name) into *out; false with a reason in
 * out->warnings when the file cannot be an article (type, encoding, empty).
 * Free with news_import_cleanup. */
bool news_import_convert(const char *name, const char *data, size_t len, struct news_import *out);
void news_import_cleanup(struct news_import *im);
/* Stores a converted file as a draft of kind by user (0 for the command
 * line) under the secretariat; returns its id in *id. */
enum err news_import_store(struct db *db, const struct news_import *im, const char *kind,
                           int64_t user, int64_t *id);

/* Pending view counts to the database (done now and then by requests, and
 * at a thread's end). */
void news_views_flush(struct db *db, bool force);

/* The Open Graph tags of the portal page at path ("/news/12"), as HTML
 * for the page's head, or NULL. Heap string (free()). */
char *news_page_meta(struct db *db, const char *path, const char *public_url);

/* The demo's articles: a dozen of each kind. */
enum err news_demo_load(struct db *db);

#endif
