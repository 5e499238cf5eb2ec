/*
 * media.c - an article's files: its cover, images in its body and
 * attachments (modules/files.h does the checking and storing).
 *
 * Writers upload while they may edit the article; readers of the article
 * download. Covers and body images must be raster images and show inline;
 * other files download as attachments.
 */
#include "modules/news/internal.h"
#include "modules/app.h"
#include "modules/files.h"

#include <string.h>

static bool editable(const struct reader *r, const struct article_head *h)
{
    return h->manageable && (r->secretariat || strcmp(h->status, "draft") == 0 ||
                             strcmp(h->status, "returned") == 0);
}

enum err h_article_files_add(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h) || !h.manageable)
        return ERR_NOT_FOUND;
    if (!editable(&r, &h))
        return http_fail(req, ERR_CONFLICT, "article_locked");
    const char *role = http_query_get(req, "role");
    if (role == NULL)
        role = "attachment";
    bool image = strcmp(role, "attachment") != 0;
    int64_t id = 0;
    enum err e = files_upload(req, "article", h.id, image ? FILES_IMAGES : FILES_ANY, &id);
    if (e != ERR_OK || id == 0)
        return e;
    if (strcmp(role, "cover") == 0) {
        struct db_stmt *st = db_prepare(app_db(req), "UPDATE articles SET cover_file_id = $2 "
                                                     "WHERE id = $1");
        db_bind_int(st, 1, h.id);
        db_bind_int(st, 2, id);
        if ((e = db_run(st)) != ERR_OK)
            return e;
    }
    json_object_set_new(req->json, "url", json_sprintf("/api/v1/articles/%lld/files/%lld",
                                                       (long long)h.id, (long long)id));
    json_object_set_new(req->json, "role", json_string(role));
    return ERR_OK;
}

enum err h_article_files_get(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h))
        return ERR_NOT_FOUND;
    const char *thumb = http_query_get(req, "thumb");
    return files_send(req, "article", h.id, req->params[1], true,
                      thumb && strcmp(thumb, "1") == 0);
}

enum err h_article_files_delete(struct http_req *req)
{
    struct reader r;
    reader_of(req, &r);
    struct article_head h;
    if (!article_load(app_db(req), &r, req->params[0], &h) || !h.manageable)
        return ERR_NOT_FOUND;
    if (!editable(&r, &h))
        return http_fail(req, ERR_CONFLICT, "article_locked");
    struct db_stmt *st = db_prepare(app_db(req), "UPDATE articles SET cover_file_id = NULL WHERE "
                                                 "id = $1 AND cover_file_id = $2");
    db_bind_int(st, 1, h.id);
    db_bind_int(st, 2, req->params[1]);
    enum err e = db_run(st);
    return e == ERR_OK ? files_delete(req, "article", h.id, req->params[1]) : e;
}
