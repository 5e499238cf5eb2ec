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

enum err files_upload(struct http_req *req, const char *kind, int64_t owner)
{
    const char *name = http_query_get(req, "name");
    struct sniffed t;
    if (!name_ok(name))
        http_field_error(req, "name", "file_name_invalid");
    else if (!sniff_type((const unsigned char *)req->raw_body, req->raw_body_len, &t))
        http_field_error(req, "file", "file_type_refused");
    if (req->err_fields)
        return http_fail(req, ERR_INVALID, "validation_failed");
    unsigned char rnd[16], sum[crypto_hash_sha256_BYTES];
    char stored[33], path[700];
    randombytes_buf(rnd, sizeof(rnd));
    str_hex(rnd, sizeof(rnd), stored);
    stored_path(stored, path, sizeof(path));
    if (!write_file(path, req->raw_body, req->raw_body_len)) {
        log_error("files: cannot write %s: %s", path, strerror(errno));
        return ERR_IO;
    }
    crypto_hash_sha256(sum, (const unsigned char *)req->raw_body, req->raw_body_len);
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO files(owner_kind, owner_id, name, type, ext, size, sha256, stored, "
            "uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    db_bind_text(st, 1, kind, -1);
    db_bind_int(st, 2, owner);
    db_bind_text(st, 3, name, -1);
    db_bind_text(st, 4, t.mime, -1);
    db_bind_text(st, 5, t.ext, -1);
    db_bind_int(st, 6, (int64_t)req->raw_body_len);
    db_bind_blob(st, 7, sum, sizeof(sum));
    db_bind_text(st, 8, stored, -1);
    db_bind_int(st, 9, req->who.user_id);
    db_bind_int(st, 10, time_now_ms());
    enum err e = db_run(st);
    if (e != ERR_OK) {
        unlink(path);
        return e;
    }
    int64_t id = db_last_id(db);
    app_audit(req, "file.upload", arena_printf(&req->arena, "%s:%lld", kind, (long long)owner),
              "ok", arena_printf(&req->arena, "file=%lld type=%s", (long long)id, t.ext));
    json_t *all = files_list(db, kind, owner), *one = NULL, *f;
    size_t i;
    json_array_foreach (all, i, f)
        if (json_integer_value(json_object_get(f, "id")) == id)
            one = json_incref(f);
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

enum err files_send(struct http_req *req, const char *kind, int64_t owner, int64_t id)
{
    struct db_stmt *st = db_prepare(app_db(req), "SELECT name, type, stored, sha256, size FROM "
                                                 "files WHERE id = $1 AND owner_kind = $2 AND "
                                                 "owner_id = $3");
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, kind, -1);
    db_bind_int(st, 3, owner);
    if (db_step(st) != DB_ROW) {
        db_done(st);
        return ERR_NOT_FOUND;
    }
    struct arena *a = &req->arena;
    const char *name = arena_strdup(a, db_col_text(st, 0));
    const char *type = arena_strdup(a, db_col_text(st, 1));
    char path[700];
    stored_path(db_col_text(st, 2), path, sizeof(path));
    size_t n = 0;
    unsigned char want[crypto_hash_sha256_BYTES], sum[crypto_hash_sha256_BYTES];
    memcpy(want, db_col_blob(st, 3, &n), sizeof(want));
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
    req->out_filename = name;
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
