/*
 * fts5.c - the FTS5 API of a connection and the jl_rank ranking function
 * (fts5.h).
 */
#include "db/fts5.h"

#include <stddef.h>

fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api != NULL && api->iVersion >= 2 ? api : NULL;
}

#define K1 1.2
/* Counts on the stack up to this many (phrase, column) pairs. */
#define SMALL 64

static void jl_rank(const Fts5ExtensionApi *x, Fts5Context *fts, sqlite3_context *ctx, int nargs,
                    sqlite3_value **args)
{
    int ncol = x->xColumnCount(fts), nphrase = x->xPhraseCount(fts), ninst = 0;
    int rc = x->xInstCount(fts, &ninst);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    int small[SMALL] = {0}, *tf = small;
    size_t cells = (size_t)ncol * (size_t)nphrase;
    if (cells > SMALL) {
        tf = sqlite3_malloc64(cells * sizeof *tf);
        if (tf == NULL) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        for (size_t i = 0; i < cells; i++)
            tf[i] = 0;
    }
    for (int i = 0; i < ninst && rc == SQLITE_OK; i++) {
        int phrase, col, off;
        rc = x->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < nphrase && col >= 0 && col < ncol)
            tf[(size_t)phrase * (size_t)ncol + (size_t)col]++;
    }
    double score = 0.0;
    for (int p = 0; p < nphrase; p++)
        for (int c = 0; c < ncol; c++) {
            int n = tf[(size_t)p * (size_t)ncol + (size_t)c];
            if (n == 0)
                continue;
            double w = c < nargs ? sqlite3_value_double(args[c]) : 1.0;
            score += w * n * (K1 + 1.0) / (n + K1);
        }
    if (tf != small)
        sqlite3_free(tf);
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(ctx, rc);
    else
        sqlite3_result_double(ctx, -score);
}

bool fts5_add_rank(sqlite3 *db)
{
    fts5_api *api = fts5_api_of(db);
    return api != NULL && api->xCreateFunction(api, "jl_rank", NULL, jl_rank, NULL) == SQLITE_OK;
}
