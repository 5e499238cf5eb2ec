/*
 * files.c - see files.h.
 *
 * Bytes live in DATA/files/<first two hex digits>/<32 random hex digits>,
 * written to a temporary name, fsynced and renamed, then recorded in the
 * same transaction as the request; a failed request leaves at most an
 * orphan file, never a record without its bytes. The recorded SHA-256 is
 * checked again when the file is served.
 */
#include "modules/files.h"
#include "modules/app.h"
#include "base/alloc.h"
#include "base/log.h"
#include "base/proc.h"
#include "base/str.h"
#include "base/time.h"
#include "lib/sniff.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A display name: 1..100 code points, no control characters, no '/' or
 * '\\' (it is shown and offered as a download name, never opened). */
static bool name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 400 || !utf8_valid(s, n) || str_has_control(s, n))
        return false;
    if (strchr(s, '/') || strchr(s, '\\') || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    return utf8_length(s, n) <= 100;
}

static void stored_path(const char *stored, char *out, size_t cap)
{
    snprintf(out, cap, "%s/files/%.2s/%s", app_config()->data_dir, stored, stored);
}

static bool write_file(const char *path, const void *data, size_t len)
{
    char dir[700], tmp[760];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    *slash = '\0';
    char *top = strrchr(dir, '/');
    *top = '\0';
    mkdir(dir, 0750); /* DATA/files */
    *top = '/';
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        return false;
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0)
        return false;
    bool ok = true;
    for (size_t done = 0; ok && done < len;) {
        ssize_t w = write(fd, (const char *)data + done, len - done);
        ok = w > 0;
        done += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return ok;
}

/* A thumbnail of an image (PNG, at most 480 pixels a side), made by
 * `jilian-render thumb` in a child process: image decoders stay out of
 * the server, and a bomb of an image only exhausts the child's memory. */
static bool make_thumb(const void *image, size_t len, struct buf *out)
{
    char path[4200];
    const char *argv[] = {path, "thumb", NULL};
    buf_init(out, 4 << 20);
    if (proc_sibling("jilian-render", path, sizeof(path)) &&
        proc_run(argv, image, len, out, 20000) && out->len > 8 &&
        memcmp(out->data, "\x89PNG", 4) == 0)
        return true;
    buf_cleanup(out);
    return false;
}

enum err files_store(struct db *db, const struct files_new *f, int64_t *id, const char **why)
{
    struct sniffed t;
    struct buf thumb = {0};
    *why = NULL;
    if (!name_ok(f->name))
        *why = "file_name_invalid";
    else if (!sniff_type(f->data, f->len, &t))
        *why = "file_type_refused";
    else if (strncmp(t.mime, "image/", 6) == 0 && !make_thumb(f->data, f->len, &thumb))
        *why = "image_required"; /* it does not decode */
    else if (f->accept == FILES_IMAGES && strncmp(t.mime, "image/", 6) != 0)
        *why = "image_required";
    if (*why) {
        buf_cleanup(&thumb);
        return ERR_INVALID;
    }
    unsigned char rnd[16], sum[crypto_hash_sha256_BYTES];
    char stored[33], path[700];
    randombytes_buf(rnd, sizeof(rnd));
    str_hex(rnd, sizeof(rnd), stored);
    stored_path(stored, path, sizeof(path));
    if (!write_file(path, f->data, f->len)) {
        log_error("files: cannot write %s: %s", path, strerror(errno));
        buf_cleanup(&thumb);
        return ERR_IO;
    }
    crypto_hash_sha256(sum, f->data, f->len);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO files(owner_kind, owner_id, name, type, ext, size, sha256, stored, "
            "uploaded_by, created_at, thumb) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
            "$11)");
    db_bind_text(st, 1, f->kind, -1);
    db_bind_int(st, 2, f->owner);
    db_bind_text(st, 3, f->name, -1);
    db_bind_text(st, 4, t.mime, -1);
    db_bind_text(st, 5, t.ext, -1);
    db_bind_int(st, 6, (int64_t)f->len);
    db_bind_blob(st, 7, sum, sizeof(sum));
    db_bind_text(st, 8, stored, -1);
    if (f->user)
        db_bind_int(st, 9, f->user);
    db_bind_int(st, 10, time_now_ms());
    if (thumb.len)
        db_bind_blob(st, 11, thumb.data, thumb.len);
    enum err e = db_run(st);
    buf_cleanup(&thumb);
    if (e != ERR_OK) {
        unlink(path);
        return e;
    }
    *id = db_last_id(db);
    return ERR_OK;
}

enum err files_upload(struct http_req *req, const char *kind, int64_t owner,
                      enum files_accept accept, int64_t *id_out)
{
    struct files_new f = {kind, owner, http_query_get(req, "name"),
                          (const unsigned char *)req->raw_body, req->raw_body_len, accept,
                          req->who.user_id};
    int64_t id = 0;
    const char *why;
    enum err e = files_store(app_db(req), &f, &id, &why);
    if (why != NULL) {
        http_field_error(req, strcmp(why, "file_name_invalid") == 0 ? "name" : "file", why);
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    if (e != ERR_OK)
        return e;
    if (id_out)
        *id_out = id;
    app_audit(req, "file.upload", arena_printf(&req->arena, "%s:%lld", kind, (long long)owner),
              "ok", arena_printf(&req->arena, "file=%lld", (long long)id));
    json_t *all = files_list(app_db(req), kind, owner), *one = NULL, *x;
    size_t i;
    json_array_foreach (all, i, x)
        if (json_integer_value(json_object_get(x, "id")) == id)
            one = json_incref(x);
    json_decref(all);
    http_json(req, 201, one);
    return ERR_OK;
}

json_t *files_list(struct db *db, const char *kind, int64_t owner)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, name, type, ext, size, created_at FROM files "
                                        "WHERE owner_kind = $1 AND owner_id = $2 ORDER BY id");
    db_bind_text(st, 1, kind, -1);
    db_bind_int(st, 2, owner);
    return app_rows_json(st, NULL);
}

/* Sends the stored thumbnail of the image in st's current row. */
static enum err send_thumb(struct http_req *req, struct db_stmt *st)
{
    size_t n = 0;
    const void *p = db_col_null(st, 5) ? NULL : db_col_blob(st, 5, &n);
    if (p == NULL || n == 0) {
        db_done(st);
        return ERR_NOT_FOUND;
    }
    char *data = arena_alloc(&req->arena, n);
    memcpy(data, p, n);
    db_done(st);
    req->out = data;
    req->out_len = n;
    req->out_type = "image/png";
    return ERR_OK;
}

enum err files_send(struct http_req *req, const char *kind, int64_t owner, int64_t id,
                    bool inline_images, bool thumb)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT name, type, stored, sha256, size, thumb "
                                                 "FROM files WHERE id = $1 AND owner_kind = $2 "
                                                 "AND owner_id = $3");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, kind, -1);
    db_bind_int(st, 3, owner);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return ERR_NOT_FOUND;
    }
    if (thumb)
        return send_thumb(req, st);
    struct arena *a = &req->arena;
    const char *name = arena_strdup(a, db_col_text(st, 0));
    const char *type = arena_strdup(a, db_col_text(st, 1));
    char path[700];
    stored_path(db_col_text(st, 2), path, sizeof(path));
    size_t n = 0;
    unsigned char want[crypto_hash_sha256_BYTES] = {0}, sum[crypto_hash_sha256_BYTES];
    const void *recorded = db_col_blob(st, 3, &n);
    if (recorded && n == sizeof(want))
        memcpy(want, recorded, sizeof(want)); /* else it cannot match: damaged */
    size_t size = (size_t)db_col_int(st, 4);
    db_done(st);
    FILE *f = fopen(path, "rb");
    char *data = size ? arena_alloc(a, size) : arena_alloc(a, 1);
    bool ok = f != NULL && fread(data, 1, size, f) == size && fgetc(f) == EOF;
    if (f)
        fclose(f);
    crypto_hash_sha256(sum, (const unsigned char *)data, size);
    if (!ok || sodium_memcmp(sum, want, sizeof(sum)) != 0) {
        log_error("files: file %lld (%s) is missing or damaged", (long long)id, path);
        return ERR_IO;
    }
    req->out = data;
    req->out_len = size;
    req->out_type = type;
    /* Raster images found from their bytes may show inline (nosniff is on
     * every answer); everything else downloads. */
    req->out_filename = inline_images && strncmp(type, "image/", 6) == 0 ? NULL : name;
    return ERR_OK;
}

enum err files_delete(struct http_req *req, const char *kind, int64_t owner, int64_t id)
{
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT stored FROM files WHERE id = $1 AND owner_kind = "
                                        "$2 AND owner_id = $3");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, kind, -1);
    db_bind_int(st, 3, owner);
    bool found = db_step(st) == DB_ROW;
    db_done(st);
    if (!found)
        return ERR_NOT_FOUND;
    st = db_prepare(db, "DELETE FROM files WHERE id = $1");
    db_bind_int(st, 1, id);
    enum err e = db_run(st);
    if (e != ERR_OK)
        return e;
    app_audit(req, "file.delete", arena_printf(&req->arena, "%s:%lld", kind, (long long)owner),
              "ok", arena_printf(&req->arena, "file=%lld", (long long)id));
    /* The bytes stay until files_sweep(): should the transaction fail,
     * the record comes back with its bytes. */
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

/* Removes the stored files of one fan-out folder that no record names
 * and that are older than an hour (an upload in flight is younger). */
static int sweep_dir(struct db *db, const char *dir, time_t now)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        struct stat sb;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || now - sb.st_mtime < 3600)
            continue;
        struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM files WHERE stored = $1");
        db_bind_text(st, 1, e->d_name, -1);
        if (db_scalar(st) == 0 && unlink(path) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}

int files_sweep(struct db *db)
{
    char root[600];
    snprintf(root, sizeof(root), "%s/files", app_config()->data_dir);
    DIR *d = opendir(root);
    if (d == NULL)
        return 0;
    int removed = 0;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strlen(e->d_name) != 2 || e->d_name[0] == '.')
            continue;
        char dir[700];
        snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
        removed += sweep_dir(db, dir, now);
    }
    closedir(d);
    if (removed)
        log_info("files: removed %d stored files no record names", removed);
    return removed;
}
