/* test_db.c - unit tests of src/db on a real SQLite file: $n binding,
 * the statement cache, transactions, constraint mapping, migrations,
 * backup and integrity, registered FTS5 tokenizers, the jl_rank ranking
 * function and the commit hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "db/db.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char path[128];

static int setup(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/jilian-db-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/t.db", dir);
    enum err e;
    struct db *db = db_open(path, &e);
    if (db == NULL)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_pragmas(void **state)
{
    struct db *db = *state;
    struct db_stmt *st = db_prepare(db, "PRAGMA journal_mode");
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "wal");
    db_done(st);
    st = db_prepare(db, "PRAGMA foreign_keys");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 1);
    db_done(st);
    st = db_prepare(db, "PRAGMA synchronous");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 2); /* FULL */
    db_done(st);
    assert_string_equal(db_driver_name(db), "sqlite");
}

static void test_bind_by_number(void **state)
{
    struct db *db = *state;
    assert_int_equal(db_exec(db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB)"), ERR_OK);
    /* $2 before $1 and used twice: indexes are looked up by name. */
    struct db_stmt *st = db_prepare(db, "INSERT INTO t(b, a, c, d) VALUES ($2, $1, $3, $4)");
    db_bind_int(st, 1, 7);
    db_bind_text(st, 2, "联盟xyz", 6); /* only the first 6 bytes */
    db_bind_double(st, 3, 2.5);
    db_bind_blob(st, 4, "\0\1\2", 3);
    assert_int_equal(db_run(st), ERR_OK);
    assert_int_equal(db_changes(db), 1);
    st = db_prepare(db, "SELECT a, b, c, d, $1 || $1 FROM t WHERE a = $2");
    db_bind_text(st, 1, "ab", -1);
    db_bind_int(st, 2, 7);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 7);
    assert_string_equal(db_col_text(st, 1), "联盟");
    assert_true(db_col_double(st, 2) == 2.5);
    size_t n;
    const unsigned char *p = db_col_blob(st, 3, &n);
    assert_int_equal(n, 3);
    assert_int_equal(p[2], 2);
    assert_string_equal(db_col_text(st, 4), "abab");
    assert_int_equal(db_col_count(st), 5);
    assert_string_equal(db_col_name(st, 0), "a");
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    st = db_prepare(db, "SELECT NULL");
    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_col_null(st, 0));
    assert_string_equal(db_col_text(st, 0), "");
    db_done(st);
}

static void test_cache_returns_same_statement(void **state)
{
    struct db *db = *state;
    struct db_stmt *a = db_prepare(db, "SELECT 1");
    struct db_stmt *b = db_prepare(db, "SELECT 1");
    assert_ptr_equal(a, b);
    assert_null(db_prepare(db, "SELEKT nonsense"));
}

static void test_transactions(void **state)
{
    struct db *db = *state;
    db_exec(db, "CREATE TABLE k(v INTEGER UNIQUE)");
    assert_int_equal(db_begin(db), ERR_OK);
    assert_int_equal(db_begin(db), ERR_OK); /* nested */
    struct db_stmt *st = db_prepare(db, "INSERT INTO k VALUES ($1)");
    db_bind_int(st, 1, 1);
    assert_int_equal(db_run(st), ERR_OK);
    assert_int_equal(db_commit(db), ERR_OK); /* inner: still open */
    assert_true(db_in_txn(db));
    db_rollback(db);
    assert_false(db_in_txn(db));
    st = db_prepare(db, "SELECT count(*) FROM k");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 0); /* rolled back */
    db_done(st);
    st = db_prepare(db, "INSERT INTO k VALUES ($1)");
    db_bind_int(st, 1, 5);
    assert_int_equal(db_run(st), ERR_OK);
    db_bind_int(st, 1, 5);
    assert_int_equal(db_run(st), ERR_CONFLICT);    /* unique constraint */
    assert_int_equal(db_commit(db), ERR_INTERNAL); /* none open */
}

static void test_busy_retry(void **state)
{
    struct db *db = *state;
    enum err e;
    struct db *other = db_open(path, &e);
    assert_non_null(other);
    assert_int_equal(db_begin(other), ERR_OK);
    /* The write lock is held elsewhere: begin waits, then reports busy
     * rather than failing at once or hanging. Shorten the wait. */
    db_exec(db, "PRAGMA busy_timeout = 10");
    assert_int_equal(db_begin(db), ERR_BUSY);
    db_rollback(other);
    assert_int_equal(db_begin(db), ERR_OK);
    db_rollback(db);
    db_exec(db, "PRAGMA busy_timeout = 5000");
    db_close(other);
}

static void test_migrate_and_backup(void **state)
{
    struct db *db = *state;
    int applied = 0;
    assert_int_equal(db_migrate(db, &applied), ERR_OK);
    assert_true(applied >= 2);
    assert_int_equal(db_migrate(db, &applied), ERR_OK);
    assert_int_equal(applied, 0); /* idempotent */
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM schema_migrations");
    assert_int_equal(db_step(st), DB_ROW);
    assert_true(db_col_int(st, 0) >= 2);
    db_done(st);
    assert_true(db_check_integrity(db));
    char bpath[160];
    snprintf(bpath, sizeof(bpath), "%s/backup.db", dir);
    assert_int_equal(db_backup(db, bpath), ERR_OK);
    enum err e;
    struct db *copy = db_open(bpath, &e);
    assert_non_null(copy);
    assert_true(db_check_integrity(copy));
    st = db_prepare(copy, "SELECT count(*) FROM k");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 1);
    db_done(st);
    db_close(copy);
}

/* A tokenizer for the tests: words of ASCII letters, upper-cased (so the
 * test can tell it is the one FTS5 used); in a query, "x" stands for "y". */
static int words(const char *text, size_t n, bool query, db_token_emit emit, void *ctx)
{
    char tok[32];
    for (size_t i = 0; i < n;) {
        while (i < n && !(text[i] >= 'a' && text[i] <= 'z'))
            i++;
        size_t start = i, len = 0;
        while (i < n && text[i] >= 'a' && text[i] <= 'z') {
            if (len < sizeof(tok))
                tok[len++] = (char)(query && text[i] == 'x' ? 'Y' : text[i] - 'a' + 'A');
            i++;
        }
        int rc = len ? emit(ctx, tok, len, start, i) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

static int hook_calls;
static enum err counting_hook(struct db *db)
{
    (void)db;
    hook_calls++;
    return ERR_OK;
}

static void test_tokenizer_and_commit_hook(void **state)
{
    struct db *db = *state;
    enum err e;
    struct db *t = db_open(path, &e); /* a connection opened after the registration */
    assert_non_null(t);
    assert_int_equal(db_exec(t, "CREATE VIRTUAL TABLE ft USING fts5(body, tokenize = 'words');"
                                "INSERT INTO ft(body) VALUES ('alpha beta'), ('gamma y');"),
                     ERR_OK);
    struct db_stmt *st = db_prepare(t, "SELECT count(*) FROM ft WHERE ft MATCH $1");
    db_bind_text(st, 1, "beta", -1); /* upper-cased by the tokenizer at both ends */
    assert_int_equal(db_scalar(st), 1);
    st = db_prepare(t, "SELECT count(*) FROM ft WHERE ft MATCH $1");
    db_bind_text(st, 1, "x", -1); /* the query side is tokenized as a query */
    assert_int_equal(db_scalar(st), 1);
    hook_calls = 0;
    assert_int_equal(db_begin(t), ERR_OK);
    assert_int_equal(db_begin(t), ERR_OK);
    assert_int_equal(db_commit(t), ERR_OK);
    assert_int_equal(hook_calls, 0); /* only the outermost commit */
    assert_int_equal(db_commit(t), ERR_OK);
    assert_int_equal(hook_calls, 1);
    db_close(t);
    (void)db;
}

/* The score of row id for match with the rank expression rank. */
static double rank_of(struct db *db, const char *rank, const char *match, int64_t id)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT %s FROM r WHERE r MATCH $1 AND rowid = $2", rank);
    struct db_stmt *st = db_prepare(db, sql);
    db_bind_text(st, 1, match, -1);
    db_bind_int(st, 2, id);
    assert_int_equal(db_step(st), DB_ROW);
    double v = db_col_double(st, 0);
    db_done(st);
    return v;
}

/* The matching rowids for match, best first by rank. */
static const char *order_of(struct db *db, const char *rank, const char *match)
{
    static char out[64];
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT group_concat(rowid) FROM (SELECT rowid FROM r WHERE r MATCH $1 ORDER BY %s, "
             "rowid)", rank);
    struct db_stmt *st = db_prepare(db, sql);
    db_bind_text(st, 1, match, -1);
    assert_int_equal(db_step(st), DB_ROW);
    snprintf(out, sizeof(out), "%s", db_col_text(st, 0));
    db_done(st);
    return out;
}

static void test_rank(void **state)
{
    struct db *db = *state;
    /* Ten rows of four tokens each, so FTS5's bm25 has no length to
     * normalise and must agree with jl_rank. */
    assert_int_equal(db_exec(db, "CREATE VIRTUAL TABLE r USING fts5(title, body, tokenize = 'words');"
                                 "INSERT INTO r(rowid, title, body) VALUES "
                                 "(1, 'alpha alpha', 'alpha beta'), (2, 'beta', 'alpha alpha alpha'),"
                                 "(3, 'gamma', 'delta delta delta'), (4, 'beta gamma', 'delta eta'),"
                                 "(5, 'eta eta', 'eta eta'), (6, 'eta eta', 'eta eta'),"
                                 "(7, 'eta eta', 'eta eta'), (8, 'eta eta', 'eta eta'),"
                                 "(9, 'eta eta', 'eta eta'), (10, 'eta', 'eta eta alpha');"),
                     ERR_OK);
    const char *jl = "jl_rank(r, 2.0, 1.0)", *bm = "bm25(r, 2.0, 1.0)";
    /* One phrase: no idf; the weighted frequency saturates (row 1: 2 x 2 + 1). */
    assert_float_equal(rank_of(db, jl, "alpha", 1), -(5.0 * 2.2 / 6.2), 1e-6);
    assert_float_equal(rank_of(db, jl, "alpha", 2), -(3.0 * 2.2 / 4.2), 1e-6);
    assert_float_equal(rank_of(db, "jl_rank(r)", "alpha", 1), -(3.0 * 2.2 / 4.2), 1e-6);
    /* ... so bm25 is the phrase's idf times jl_rank, in the same order. */
    double idf = log((10 - 3 + 0.5) / (3 + 0.5));
    for (int64_t id = 1; id <= 10; id += 9)
        assert_float_equal(rank_of(db, bm, "alpha", id), idf * rank_of(db, jl, "alpha", id), 1e-5);
    assert_string_equal(order_of(db, jl, "alpha"), "1,2,10");
    assert_string_equal(order_of(db, jl, "alpha"), order_of(db, bm, "alpha"));
    /* Several phrases: each weighted by its idf, exactly as bm25. */
    static const char *const queries[] = {"alpha AND beta", "alpha OR delta", "beta OR gamma OR eta",
                                          "title : alpha OR delta", NULL};
    for (int q = 0; queries[q]; q++) {
        assert_string_equal(order_of(db, jl, queries[q]), order_of(db, bm, queries[q]));
        for (int64_t id = 1; id <= 4; id++) {
            struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM r WHERE r MATCH $1 AND rowid = $2");
            db_bind_text(st, 1, queries[q], -1);
            db_bind_int(st, 2, id);
            if (db_scalar(st) == 1)
                assert_float_equal(rank_of(db, jl, queries[q], id), rank_of(db, bm, queries[q], id),
                                   1e-5);
        }
    }
    /* More phrases than anyone types: 40 alike. */
    char many[512] = "alpha";
    for (int i = 1; i < 40; i++)
        strcat(many, " OR alpha");
    assert_float_equal(rank_of(db, jl, many, 1), rank_of(db, bm, many, 1), 1e-4);
    assert_float_equal(rank_of(db, jl, many, 1), -40.0 * idf * (5.0 * 2.2 / 6.2), 1e-4);
}

int main(void)
{
    db_register_tokenizer("words", words);
    /* Migration 0009 indexes with the program's tokenizer "jilian"; this
     * layer's tests stand one in for it. */
    db_register_tokenizer("jilian", words);
    db_set_commit_hook(counting_hook);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pragmas),
        cmocka_unit_test(test_bind_by_number),
        cmocka_unit_test(test_cache_returns_same_statement),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_busy_retry),
        cmocka_unit_test(test_migrate_and_backup),
        cmocka_unit_test(test_tokenizer_and_commit_hook),
        cmocka_unit_test(test_rank),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
