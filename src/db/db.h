/*
 * db.h - driver-neutral database access.
 *
 * Modules speak only this interface. SQL uses $1..$n placeholders, which
 * both SQLite (named parameters) and PostgreSQL (PQexecParams) understand.
 * Statements come from a per-connection cache: db_prepare() returns a
 * statement reset and unbound, owned by the connection; the caller steps it
 * and calls db_done() when finished (the next db_prepare of the same SQL
 * would reset it anyway). The cache keys on a copy of the text, so SQL
 * built for one request is fine as long as its variants are few (the cache
 * has a fixed number of slots). One connection belongs to one thread.
 */
#ifndef JL_DB_DB_H
#define JL_DB_DB_H

#include "base/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_step { DB_ROW = 1, DB_DONE = 0, DB_FAIL = -1 };

/* Opens (creating if needed) the database at path: for SQLite a file name.
 * Returns NULL and sets *e on failure. */
struct db *db_open(const char *path, enum err *e);
/* Closes the connection and its statement cache. NULL is fine. */
void db_close(struct db *db);

/* --- extensions (full-text search) ----------------------------------------
 * Registered once at start-up, before any db_open, by the program's
 * composition root; every connection opened afterwards has them. */

/* A tokenizer for full-text indexes (SQLite: FTS5 `tokenize = 'name'`).
 * Calls emit for each token of text[0..n) in order, with byte offsets into
 * text; query is true when the text is a search query rather than a
 * document. Returns emit's first nonzero answer, else 0. */
typedef int (*db_token_emit)(void *ctx, const char *tok, size_t len, size_t start, size_t end);
typedef int (*db_tokenizer)(const char *text, size_t n, bool query, db_token_emit emit,
                            void *ctx);
void db_register_tokenizer(const char *name, db_tokenizer fn);
/* Every connection also ranks full-text matches with jl_rank(t, w0, ...):
 * bm25's column weights and saturating term frequency without its
 * per-row document length, lower is better (fts5.h). */
/* Called inside the outermost db_commit before COMMIT, in the
 * transaction; an error rolls the transaction back and is returned. */
typedef enum err (*db_commit_hook)(struct db *db);
void db_set_commit_hook(db_commit_hook fn);

/* Runs SQL text without parameters (may hold several statements). */
enum err db_exec(struct db *db, const char *sql);
/* Returns the cached prepared statement for sql, or NULL (logged) on a
 * syntax error. sql must outlive the connection (a literal). */
struct db_stmt *db_prepare(struct db *db, const char *sql);

void db_bind_int(struct db_stmt *st, int n, int64_t v);
void db_bind_double(struct db_stmt *st, int n, double v);
/* Binds text; len < 0 means strlen. NULL s binds SQL NULL. Copied. */
void db_bind_text(struct db_stmt *st, int n, const char *s, long len);
void db_bind_blob(struct db_stmt *st, int n, const void *p, size_t len);
void db_bind_null(struct db_stmt *st, int n);

/* Advances; DB_ROW with a row ready, DB_DONE at the end, DB_FAIL on error
 * (the error is then available from db_error()). */
enum db_step db_step(struct db_stmt *st);
/* Steps once and returns the first column of the first row as an integer
 * (0 when there is no row or st is NULL), then resets. For count(*). */
int64_t db_scalar(struct db_stmt *st);
/* Steps a statement that returns no rows; returns the mapped error. */
enum err db_run(struct db_stmt *st);

int64_t db_col_int(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
/* Text of a column ("" for NULL); valid until the next step or db_done. */
const char *db_col_text(struct db_stmt *st, int col);
const void *db_col_blob(struct db_stmt *st, int col, size_t *len);
bool db_col_null(struct db_stmt *st, int col);
/* The type of a column's value in the current row. */
enum db_type { DB_T_NULL, DB_T_INT, DB_T_FLOAT, DB_T_TEXT, DB_T_BLOB };
enum db_type db_col_type(struct db_stmt *st, int col);
int db_col_count(struct db_stmt *st);
const char *db_col_name(struct db_stmt *st, int col);

/* Resets the statement so it holds no read snapshot. NULL is fine. */
void db_done(struct db_stmt *st);

/* Transactions nest by counting; the outermost begin takes the write lock
 * (retrying while busy) and the outermost commit or rollback ends it. */
enum err db_begin(struct db *db);
enum err db_commit(struct db *db);
void db_rollback(struct db *db);
bool db_in_txn(const struct db *db);

int64_t db_last_id(struct db *db);
int64_t db_changes(struct db *db);
/* The error of the last failed call: ERR_CONFLICT for a constraint,
 * ERR_BUSY, or ERR_INTERNAL; and a message for logs. */
enum err db_error(struct db *db);
const char *db_errmsg(struct db *db);

/* Online backup of the open database into a new file at path (written to a
 * temporary name, fsynced, then renamed). */
enum err db_backup(struct db *db, const char *path);
/* Runs the engine's integrity check; true when it says ok. */
bool db_check_integrity(struct db *db);
/* A number that changes whenever this or any other connection has
 * committed changes since the last call (for caches of query results). */
uint64_t db_data_version(struct db *db);
/* Name of the driver, "sqlite". */
const char *db_driver_name(const struct db *db);

/* Applies every compiled-in migration that is not yet recorded, each in its
 * own transaction. Returns the number applied in *applied. */
enum err db_migrate(struct db *db, int *applied);

#endif
