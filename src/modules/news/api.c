/*
 * api.c - the news routes, their permissions and field lists
 * (docs/news.md). Handlers live in articles.c, workflow.c, media.c,
 * import.c and feed.c.
 */
#include "modules/news/internal.h"
#include "modules/files.h"

static const char *const bool_choices[] = {"true", "false", NULL};
static const char *const file_roles[] = {"cover", "image", "attachment", NULL};

#define PAGING {"page", FT_INT, false, 0, NULL, NULL}, {"page_size", FT_INT, false, 0, NULL, NULL}

static const struct http_field article_query[] = {
    {"kind", FT_ENUM, false, 8, article_kinds, NULL},
    {"tag", FT_STRING, false, 20, NULL, NULL},
    {"q", FT_STRING, false, 64, NULL, "title or summary contains"},
    {"unit_id", FT_INT, false, 0, NULL, "the author unit"},
    {"status", FT_ENUM, false, 12, article_statuses, "writers: articles in this state"},
    {"mine", FT_ENUM, false, 5, bool_choices, "writers: the own unit's articles, any state"},
    PAGING,
    {0},
};
static const struct http_field tags_query[] = {
    {"kind", FT_ENUM, false, 8, article_kinds, NULL},
    {0},
};

#define ARTICLE_FIELDS(req)                                                                        \
    {"kind", FT_ENUM, req, 8, article_kinds, NULL},                                                \
        {"title", FT_STRING, req, 200, NULL, NULL},                                                \
        {"summary", FT_STRING, false, 500, NULL, NULL},                                            \
        {"body", FT_STRING, false, 200000, NULL, "Markdown"},                                      \
        {"source", FT_STRING, false, 100, NULL, "a repost's origin"},                              \
        {"source_url", FT_STRING, false, 500, NULL, "https://..."},                                \
        {"tags", FT_ARRAY, false, 10, NULL, "up to 10, 1-20 characters each"},                     \
        {"audience", FT_ENUM, false, 8, audiences, "public, members, units or roles"},             \
        {"audience_units", FT_ARRAY, false, 1000, NULL, "unit ids, for audience units"},           \
        {"audience_roles", FT_ARRAY, false, 8, NULL, "roles, for audience roles"},                 \
        {"needs_confirm", FT_BOOL, false, 0, NULL, "notices: units confirm they read it"},         \
        {"unit_id", FT_INT, false, 0, NULL, "secretariat only: the author unit"}

static const struct http_field article_fields[] = {ARTICLE_FIELDS(true), {0}};
static const struct http_field article_update_fields[] = {ARTICLE_FIELDS(false), {0}};

static const struct http_field publish_fields[] = {
    {"publish_at", FT_INT, false, 0, NULL, "Unix ms; default now"},
    {0},
};
static const struct http_field return_fields[] = {
    {"comment", FT_STRING, true, 1000, NULL, "what to change"},
    {0},
};
static const struct http_field withdraw_fields[] = {
    {"comment", FT_STRING, false, 1000, NULL, NULL},
    {0},
};
static const struct http_field upload_query[] = {
    {"name", FT_STRING, true, 100, NULL, "the file's name"},
    {"role", FT_ENUM, false, 10, file_roles, "cover, image (in the body) or attachment"},
    {0},
};
static const struct http_field file_query[] = {
    {"thumb", FT_ENUM, false, 1, (const char *const[]){"1", NULL}, "an image's thumbnail"},
    {0},
};
static const struct http_field import_query[] = {
    {"name", FT_STRING, true, 100, NULL, ".txt, .md or .html"},
    {"kind", FT_ENUM, false, 8, article_kinds, "default news"},
    {"dry_run", FT_ENUM, false, 5, bool_choices, "convert and report, store nothing"},
    {0},
};

#define N "news"
#define OCTETS "application/octet-stream"

const struct http_route news_routes[] = {
    {HTTP_GET, "/api/v1/articles", PERM_PUBLIC, h_articles_list, N,
     "Articles the caller may read (writers: their own in any state)", NULL, article_query},
    {HTTP_GET, "/api/v1/articles/tags", PERM_PUBLIC, h_articles_tags, N,
     "Tags of public articles", NULL, tags_query},
    {HTTP_POST, "/api/v1/articles", "news.write", h_articles_create, N, "Write a draft",
     article_fields},
    {HTTP_POST, "/api/v1/articles/import", "news.publish", h_articles_import, N,
     "Import one text, Markdown or HTML file as a draft", NULL, import_query, OCTETS, false,
     FILES_MAX_BYTES},
    {HTTP_GET, "/api/v1/articles/{id}", PERM_PUBLIC, h_articles_get, N, "One article"},
    {HTTP_PATCH, "/api/v1/articles/{id}", "news.write", h_articles_update, N, "Edit an article",
     article_update_fields},
    {HTTP_DELETE, "/api/v1/articles/{id}", "news.write", h_articles_delete, N,
     "Delete a draft"},
    {HTTP_POST, "/api/v1/articles/{id}/submit", "news.write", h_articles_submit, N,
     "Submit for review"},
    {HTTP_POST, "/api/v1/articles/{id}/publish", "news.publish", h_articles_publish, N,
     "Publish (now or at publish_at)", publish_fields},
    {HTTP_POST, "/api/v1/articles/{id}/return", "news.publish", h_articles_return, N,
     "Return to the author with a comment", return_fields},
    {HTTP_POST, "/api/v1/articles/{id}/withdraw", "news.publish", h_articles_withdraw, N,
     "Withdraw a published article (kept)", withdraw_fields},
    {HTTP_GET, "/api/v1/articles/{id}/revisions", "news.write", h_articles_revisions, N,
     "Published revisions"},
    {HTTP_POST, "/api/v1/articles/{id}/confirm", "news.confirm", h_articles_confirm, N,
     "Confirm the own unit read a notice"},
    {HTTP_GET, "/api/v1/articles/{id}/confirmations", "news.publish", h_articles_confirmations,
     N, "Which units confirmed a notice"},
    {HTTP_POST, "/api/v1/articles/{id}/files", "news.write", h_article_files_add, N,
     "Upload a cover, an image or an attachment (raw bytes, at most 4 MiB)", NULL, upload_query,
     OCTETS, false, FILES_MAX_BYTES},
    {HTTP_GET, "/api/v1/articles/{id}/files/{file}", PERM_PUBLIC, h_article_files_get, N,
     "An article's file (images inline)", NULL, file_query},
    {HTTP_DELETE, "/api/v1/articles/{id}/files/{file}", "news.write", h_article_files_delete, N,
     "Remove an article's file"},
    {HTTP_GET, "/api/v1/feeds/news", PERM_PUBLIC, h_feed_news, N, "Atom feed of the news"},
    {HTTP_GET, "/api/v1/feeds/notice", PERM_PUBLIC, h_feed_notice, N, "Atom feed of notices"},
    {HTTP_GET, "/api/v1/feeds/policy", PERM_PUBLIC, h_feed_policy, N,
     "Atom feed of policy documents"},
    {0},
};
