/*
 * files.h - uploaded files (SEC-C7): type checked by content, stored
 * outside any served folder under server-made names, served back only as
 * attachments.
 *
 * A file belongs to an owner (kind and id, e.g. "meeting", 12); the
 * module owning the object decides who may upload, list and download.
 */
#ifndef JL_MODULES_FILES_H
#define JL_MODULES_FILES_H

#include "db/db.h"
#include "http/http.h"

#include <stdint.h>

/* The largest upload (the HTTP layer's limit for upload routes). */
#define FILES_MAX_BYTES (4 * 1024 * 1024)

/* What an upload may be. */
enum files_accept { FILES_ANY, FILES_IMAGES };
/* Stores req's raw body as a file of owner (kind, id), named by the query
 * parameter "name" (kept for display, never used as a path). Answers 201
 * with the file's record and sets *id (may be NULL), or a field error
 * (name; type refused, or not a raster image for FILES_IMAGES). An image
 * gets a thumbnail, made by `jilian-render thumb` in a child process; an
 * image that does not decode is refused. */
enum err files_upload(struct http_req *req, const char *kind, int64_t owner,
                      enum files_accept accept, int64_t *id);
/* A file to store, from a request or elsewhere (the demo). */
struct files_new {
    const char *kind;
    int64_t owner;
    const char *name;
    const unsigned char *data;
    size_t len;
    enum files_accept accept;
    int64_t user; /* 0: none */
};
/* Checks and stores f (see files_upload); on a refusal returns
 * ERR_INVALID with the i18n key in *why. */
enum err files_store(struct db *db, const struct files_new *f, int64_t *id, const char **why);
/* The files of an owner as a JSON array of {id, name, type, size,
 * created_at}. */
json_t *files_list(struct db *db, const char *kind, int64_t owner);
/* Sends file id of owner as an attachment (a raster image inline when
 * inline_images, or its thumbnail when thumb); ERR_NOT_FOUND otherwise. */
enum err files_send(struct http_req *req, const char *kind, int64_t owner, int64_t id,
                    bool inline_images, bool thumb);
/* Deletes file id of owner. The record goes with the request's
 * transaction; the bytes at the next files_sweep(). */
enum err files_delete(struct http_req *req, const char *kind, int64_t owner, int64_t id);
/* Removes stored bytes that no record names (deleted files, failed
 * uploads), older than an hour. Returns how many. Run at start-up. */
int files_sweep(struct db *db);

#endif
