/*
 * sqlite.c - the SQLite driver behind db.h.
 *
 * Connections run in WAL mode with synchronous=FULL, foreign keys on and a
 * busy timeout (SEC-E1), and with the FTS5 ranking function jl_rank
 * (fts5.h). $n placeholders are SQLite named parameters; each
 * bind looks its index up with sqlite3_bind_parameter_index so "$2" may
 * appear several times or out of order.
 */
#include "db/driver.h"
#include "db/fts5.h"
#include "base/log.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static int param_index(sqlite3_stmt *st, int n)
{
    char name[16];
    snprintf(name, sizeof(name), "$%d", n);
    return sqlite3_bind_parameter_index(st, name);
}

static enum err map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return ERR_OK;
    case SQLITE_CONSTRAINT:
        return ERR_CONFLICT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_BUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
        return ERR_IO;
    default:
        return ERR_INTERNAL;
    }
}

static void *sq_open(const char *path, enum err *e)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(
        path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("db: cannot open %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
        sqlite3_close(h);
        *e = map_rc(rc);
        return NULL;
    }
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, 5000);
    static const char *const pragmas = "PRAGMA journal_mode=WAL;"
                                       "PRAGMA synchronous=FULL;"
                                       "PRAGMA foreign_keys=ON;"
                                       "PRAGMA secure_delete=ON;"
                                       "PRAGMA temp_store=MEMORY;";
    char *msg = NULL;
    rc = sqlite3_exec(h, pragmas, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("db: %s: %s", path, msg ? msg : "pragma failed");
        sqlite3_free(msg);
        sqlite3_close(h);
        *e = map_rc(rc);
        return NULL;
    }
    if (!fts5_add_rank(h)) {
        log_error("db: %s: SQLite has no FTS5", path);
        sqlite3_close(h);
        *e = ERR_INTERNAL;
        return NULL;
    }
    *e = ERR_OK;
    return h;
}

static void sq_close(void *conn)
{
    sqlite3_close_v2(conn);
}

static enum err sq_exec(void *conn, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY)
        log_error("db: exec failed: %s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return map_rc(rc);
}

static void *sq_prepare(void *conn, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    return st;
}

static void sq_finalize(void *st)
{
    sqlite3_finalize(st);
}

static void sq_reset(void *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void sq_bind_int(void *st, int n, int64_t v)
{
    sqlite3_bind_int64(st, param_index(st, n), v);
}

static void sq_bind_double(void *st, int n, double v)
{
    sqlite3_bind_double(st, param_index(st, n), v);
}

static void sq_bind_text(void *st, int n, const char *s, long len)
{
    sqlite3_bind_text(st, param_index(st, n), s, len < 0 ? -1 : (int)len, SQLITE_TRANSIENT);
}

static void sq_bind_blob(void *st, int n, const void *p, size_t len)
{
    sqlite3_bind_blob(st, param_index(st, n), p, (int)len, SQLITE_TRANSIENT);
}

static void sq_bind_null(void *st, int n)
{
    sqlite3_bind_null(st, param_index(st, n));
}

static enum db_step sq_step(void *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    if ((rc & 0xff) != SQLITE_CONSTRAINT)
        log_error("db: step failed: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
    return DB_FAIL;
}

static int64_t sq_col_int(void *st, int col)
{
    return sqlite3_column_int64(st, col);
}

static double sq_col_double(void *st, int col)
{
    return sqlite3_column_double(st, col);
}

static const char *sq_col_text(void *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

static const void *sq_col_blob(void *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(st, col);
    *len = (size_t)sqlite3_column_bytes(st, col);
    return p;
}

static bool sq_col_null(void *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL;
}

static enum db_type sq_col_type(void *st, int col)
{
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER:
        return DB_T_INT;
    case SQLITE_FLOAT:
        return DB_T_FLOAT;
    case SQLITE_TEXT:
        return DB_T_TEXT;
    case SQLITE_BLOB:
        return DB_T_BLOB;
    default:
        return DB_T_NULL;
    }
}

static int sq_col_count(void *st)
{
    return sqlite3_column_count(st);
}

static const char *sq_col_name(void *st, int col)
{
    return sqlite3_column_name(st, col);
}

static int64_t sq_last_id(void *conn)
{
    return sqlite3_last_insert_rowid(conn);
}

static int64_t sq_changes(void *conn)
{
    return sqlite3_changes64(conn);
}

static enum err sq_error(void *conn)
{
    return map_rc(sqlite3_extended_errcode(conn));
}

static const char *sq_errmsg(void *conn)
{
    return sqlite3_errmsg(conn);
}

/* Makes a rename in path's folder durable. */
static bool fsync_dir(const char *path)
{
    char dir[1100];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}

static enum err sq_backup(void *conn, const char *path)
{
    char tmp[1100];
    snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid());
    unlink(tmp);
    sqlite3 *dst = NULL;
    enum err e = ERR_IO;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        goto out;
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", conn, "main");
    if (b == NULL)
        goto out;
    /* One step copies everything under one read snapshot; in WAL mode
     * writers go on meanwhile. (Small steps restart from the first page
     * whenever a writer commits in between, and may never finish.) */
    int rc;
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(5);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        goto out;
    sqlite3_close(dst);
    dst = NULL;
    int fd = open(tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        if (fd >= 0)
            close(fd);
        goto out;
    }
    close(fd);
    if (rename(tmp, path) != 0 || !fsync_dir(path))
        goto out;
    e = ERR_OK;
out:
    if (dst)
        sqlite3_close(dst);
    if (e != ERR_OK)
        unlink(tmp);
    return e;
}

static bool sq_integrity(void *conn)
{
    sqlite3_stmt *st = NULL;
    bool ok = false;
    if (sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
        return false;
    if (sqlite3_step(st) == SQLITE_ROW)
        ok = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
    sqlite3_finalize(st);
    return ok;
}

/* PRAGMA data_version moves when another connection commits (it reads
 * the current state, unlike the pager's cached value); this connection's
 * own changes show in total_changes. Together they version the data. */
static uint64_t sq_data_version(void *conn)
{
    sqlite3_stmt *st = NULL;
    uint64_t v = 0;
    if (sqlite3_prepare_v2(conn, "PRAGMA data_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return (v << 32) ^ (uint64_t)sqlite3_total_changes64(conn);
}


/* --- FTS5 tokenizers --------------------------------------------------------
 * A db_tokenizer behind SQLite's FTS5 v1 tokenizer API (SQLite 3.40): the
 * fts5_api pointer comes from "SELECT fts5(?1)" with sqlite3_bind_pointer;
 * the tokenizer object is the registered function (it keeps no state). */

struct fts5_emit {
    void *ctx;
    int (*token)(void *ctx, int flags, const char *tok, int len, int start, int end);
};

static int fts5_emit(void *arg, const char *tok, size_t len, size_t start, size_t end)
{
    struct fts5_emit *e = arg;
    return e->token(e->ctx, 0, tok, (int)len, (int)start, (int)end);
}

static int fts5_create(void *ctx, const char **args, int n, Fts5Tokenizer **out)
{
    (void)args;
    (void)n;
    *out = ctx;
    return SQLITE_OK;
}

static void fts5_delete(Fts5Tokenizer *t)
{
    (void)t;
}

static int fts5_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                         int (*token)(void *, int, const char *, int, int, int))
{
    db_tokenizer fn = *(const db_tokenizer *)(const void *)t;
    struct fts5_emit e = {ctx, token};
    int rc = fn(text ? text : "", n > 0 ? (size_t)n : 0, (flags & FTS5_TOKENIZE_QUERY) != 0,
                     fts5_emit, &e);
    return rc == 0 ? SQLITE_OK : rc;
}

/* fn points to the registry's copy of the function (db.c), which lives as
 * long as the program: FTS5 gets it as the tokenizer object, so this driver
 * keeps no state of its own. */
static bool sq_add_tokenizer(void *conn, const char *name, const db_tokenizer *fn)
{
    static fts5_tokenizer methods = {fts5_create, fts5_delete, fts5_tokenize};
    fts5_api *api = fts5_api_of(conn);
    return api != NULL && api->xCreateTokenizer(api, name, (void *)fn, &methods, NULL) == SQLITE_OK;
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_null = sq_col_null,
    .col_type = sq_col_type,
    .col_count = sq_col_count,
    .col_name = sq_col_name,
    .last_id = sq_last_id,
    .changes = sq_changes,
    .error = sq_error,
    .errmsg = sq_errmsg,
    .backup = sq_backup,
    .integrity = sq_integrity,
    .data_version = sq_data_version,
    .add_tokenizer = sq_add_tokenizer,
};
