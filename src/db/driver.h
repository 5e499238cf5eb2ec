/*
 * driver.h - what a database driver provides to db.c.
 *
 * db.c keeps the engine-independent parts (statement cache, transaction
 * depth, error mapping); a driver fills this table. SQLite is sqlite.c;
 * a PostgreSQL driver (libpq, PQexecParams with $n) would be postgres.c.
 */
#ifndef JL_DB_DRIVER_H
#define JL_DB_DRIVER_H

#include "db/db.h"

struct db_driver {
    const char *name;
    void *(*open)(const char *path, enum err *e);
    void (*close)(void *conn);
    enum err (*exec)(void *conn, const char *sql);
    void *(*prepare)(void *conn, const char *sql);
    void (*finalize)(void *stmt);
    void (*reset)(void *stmt);
    void (*bind_int)(void *stmt, int n, int64_t v);
    void (*bind_double)(void *stmt, int n, double v);
    void (*bind_text)(void *stmt, int n, const char *s, long len);
    void (*bind_blob)(void *stmt, int n, const void *p, size_t len);
    void (*bind_null)(void *stmt, int n);
    enum db_step (*step)(void *stmt);
    int64_t (*col_int)(void *stmt, int col);
    double (*col_double)(void *stmt, int col);
    const char *(*col_text)(void *stmt, int col);
    const void *(*col_blob)(void *stmt, int col, size_t *len);
    bool (*col_null)(void *stmt, int col);
    enum db_type (*col_type)(void *stmt, int col);
    int (*col_count)(void *stmt);
    const char *(*col_name)(void *stmt, int col);
    int64_t (*last_id)(void *conn);
    int64_t (*changes)(void *conn);
    enum err (*error)(void *conn);
    const char *(*errmsg)(void *conn);
    enum err (*backup)(void *conn, const char *path);
    bool (*integrity)(void *conn);
    uint64_t (*data_version)(void *conn);
    /* Makes a tokenizer known to the connection; false when it cannot. */
    bool (*add_tokenizer)(void *conn, const char *name, const db_tokenizer *fn);
};

extern const struct db_driver db_sqlite_driver;

#endif
