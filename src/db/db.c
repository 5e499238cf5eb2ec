/* db.c - engine-independent half of db.h: cache, transactions, dispatch. */
#include "db/db.h"
#include "db/driver.h"
#include "base/alloc.h"
#include "base/log.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHE_SLOTS 512 /* power of two; statements per connection */
#define BEGIN_RETRIES 50

struct db_stmt {
    struct db *db;
    char *sql; /* a copy: a key of the cache */
    void *impl;
};

struct db {
    const struct db_driver *drv;
    void *conn;
    int txn_depth;
    struct db_stmt *cache[CACHE_SLOTS];
};

#define MAX_TOKENIZERS 4
static struct {
    const char *name;
    db_tokenizer fn;
} tokenizers[MAX_TOKENIZERS];
static int n_tokenizers;
static db_commit_hook commit_hook;

void db_register_tokenizer(const char *name, db_tokenizer fn)
{
    if (n_tokenizers == MAX_TOKENIZERS) {
        log_error("db: too many tokenizers");
        abort();
    }
    tokenizers[n_tokenizers].name = name;
    tokenizers[n_tokenizers++].fn = fn;
}

void db_set_commit_hook(db_commit_hook fn)
{
    commit_hook = fn;
}

struct db *db_open(const char *path, enum err *e)
{
    const struct db_driver *drv = &db_sqlite_driver;
    void *conn = drv->open(path, e);
    if (conn == NULL)
        return NULL;
    for (int i = 0; i < n_tokenizers; i++) {
        if (!drv->add_tokenizer(conn, tokenizers[i].name, &tokenizers[i].fn)) {
            log_error("db: cannot register the tokenizer %s", tokenizers[i].name);
            drv->close(conn);
            *e = ERR_INTERNAL;
            return NULL;
        }
    }
    struct db *db = xcalloc(1, sizeof(*db));
    db->drv = drv;
    db->conn = conn;
    return db;
}

void db_close(struct db *db)
{
    if (db == NULL)
        return;
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        if (db->cache[i]) {
            db->drv->finalize(db->cache[i]->impl);
            free(db->cache[i]->sql);
            free(db->cache[i]);
        }
    }
    db->drv->close(db->conn);
    free(db);
}

enum err db_exec(struct db *db, const char *sql)
{
    return db->drv->exec(db->conn, sql);
}

static size_t sql_hash(const char *s)
{
    size_t h = 5381;
    for (; *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
    size_t h = sql_hash(sql);
    for (size_t probe = 0; probe < CACHE_SLOTS; probe++) {
        size_t slot = (h + probe) & (CACHE_SLOTS - 1);
        struct db_stmt *st = db->cache[slot];
        if (st != NULL && strcmp(st->sql, sql) == 0) {
            db->drv->reset(st->impl);
            return st;
        }
        if (st == NULL) {
            void *impl = db->drv->prepare(db->conn, sql);
            if (impl == NULL) {
                log_error("db: prepare failed: %s", db->drv->errmsg(db->conn));
                return NULL;
            }
            st = xmalloc(sizeof(*st));
            st->db = db;
            st->sql = xstrdup(sql); /* the text may be built for one request */
            st->impl = impl;
            db->cache[slot] = st;
            return st;
        }
    }
    log_error("db: statement cache full");
    abort();
}

void db_bind_int(struct db_stmt *st, int n, int64_t v)
{
    st->db->drv->bind_int(st->impl, n, v);
}

void db_bind_double(struct db_stmt *st, int n, double v)
{
    st->db->drv->bind_double(st->impl, n, v);
}

void db_bind_text(struct db_stmt *st, int n, const char *s, long len)
{
    if (s == NULL)
        st->db->drv->bind_null(st->impl, n);
    else
        st->db->drv->bind_text(st->impl, n, s, len);
}

void db_bind_blob(struct db_stmt *st, int n, const void *p, size_t len)
{
    st->db->drv->bind_blob(st->impl, n, p, len);
}

void db_bind_null(struct db_stmt *st, int n)
{
    st->db->drv->bind_null(st->impl, n);
}

enum db_step db_step(struct db_stmt *st)
{
    return st->db->drv->step(st->impl);
}

enum err db_run(struct db_stmt *st)
{
    enum db_step r = db_step(st);
    enum err e = r == DB_FAIL ? db_error(st->db) : ERR_OK;
    db_done(st);
    return e;
}

int64_t db_scalar(struct db_stmt *st)
{
    if (st == NULL)
        return 0;
    int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : 0;
    db_done(st);
    return v;
}

int64_t db_col_int(struct db_stmt *st, int col)
{
    return st->db->drv->col_int(st->impl, col);
}

double db_col_double(struct db_stmt *st, int col)
{
    return st->db->drv->col_double(st->impl, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
    const char *s = st->db->drv->col_text(st->impl, col);
    return s ? s : "";
}

const void *db_col_blob(struct db_stmt *st, int col, size_t *len)
{
    return st->db->drv->col_blob(st->impl, col, len);
}

bool db_col_null(struct db_stmt *st, int col)
{
    return st->db->drv->col_null(st->impl, col);
}

enum db_type db_col_type(struct db_stmt *st, int col)
{
    return st->db->drv->col_type(st->impl, col);
}

int db_col_count(struct db_stmt *st)
{
    return st->db->drv->col_count(st->impl);
}

const char *db_col_name(struct db_stmt *st, int col)
{
    return st->db->drv->col_name(st->impl, col);
}

void db_done(struct db_stmt *st)
{
    if (st != NULL)
        st->db->drv->reset(st->impl);
}

enum err db_begin(struct db *db)
{
    if (db->txn_depth > 0) {
        db->txn_depth++;
        return ERR_OK;
    }
    for (int attempt = 0; attempt < BEGIN_RETRIES; attempt++) {
        enum err e = db->drv->exec(db->conn, "BEGIN IMMEDIATE");
        if (e == ERR_OK) {
            db->txn_depth = 1;
            return ERR_OK;
        }
        if (e != ERR_BUSY)
            return e;
        struct timespec ts = {0, (long)(1 + attempt) * 2000000L};
        nanosleep(&ts, NULL);
    }
    return ERR_BUSY;
}

enum err db_commit(struct db *db)
{
    if (db->txn_depth == 0)
        return ERR_INTERNAL;
    if (db->txn_depth > 1) {
        db->txn_depth--;
        return ERR_OK;
    }
    enum err e = commit_hook ? commit_hook(db) : ERR_OK;
    db->txn_depth = 0;
    if (e != ERR_OK) {
        db->drv->exec(db->conn, "ROLLBACK");
        return e;
    }
    e = db->drv->exec(db->conn, "COMMIT");
    if (e != ERR_OK)
        db->drv->exec(db->conn, "ROLLBACK");
    return e;
}

void db_rollback(struct db *db)
{
    if (db->txn_depth == 0)
        return;
    db->txn_depth = 0;
    db->drv->exec(db->conn, "ROLLBACK");
}

bool db_in_txn(const struct db *db)
{
    return db->txn_depth > 0;
}

int64_t db_last_id(struct db *db)
{
    return db->drv->last_id(db->conn);
}

int64_t db_changes(struct db *db)
{
    return db->drv->changes(db->conn);
}

enum err db_error(struct db *db)
{
    return db->drv->error(db->conn);
}

const char *db_errmsg(struct db *db)
{
    return db->drv->errmsg(db->conn);
}

enum err db_backup(struct db *db, const char *path)
{
    return db->drv->backup(db->conn, path);
}

bool db_check_integrity(struct db *db)
{
    return db->drv->integrity(db->conn);
}

uint64_t db_data_version(struct db *db)
{
    return db->drv->data_version(db->conn);
}

const char *db_driver_name(const struct db *db)
{
    return db->drv->name;
}
