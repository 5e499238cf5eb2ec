/*
 * fts5.c - the FTS5 API of a connection and the jl_rank ranking function
 * (fts5.h).
 */
#include "db/fts5.h"

#include <math.h>
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

/* Per query (FTS5 auxiliary data): each phrase's idf and, per row, its
 * weighted frequency. */
struct rank_data {
    int nphrase;
    double *idf, *freq;
};

static int count_row(const Fts5ExtensionApi *x, Fts5Context *fts, void *arg)
{
    (void)x;
    (void)fts;
    (*(sqlite3_int64 *)arg)++;
    return SQLITE_OK;
}

/* The query's rank_data, made on the first row. idf as FTS5's bm25 has
 * it; with one phrase it is the same for every row and left at 1, so the
 * phrase's documents are not walked a second time. */
static int rank_data(const Fts5ExtensionApi *x, Fts5Context *fts, struct rank_data **out)
{
    struct rank_data *d = x->xGetAuxdata(fts, 0);
    if (d != NULL) {
        *out = d;
        return SQLITE_OK;
    }
    int n = x->xPhraseCount(fts);
    d = sqlite3_malloc64(sizeof *d + 2 * (size_t)(n > 0 ? n : 1) * sizeof(double));
    if (d == NULL)
        return SQLITE_NOMEM;
    d->nphrase = n;
    d->idf = (double *)(d + 1);
    d->freq = d->idf + (n > 0 ? n : 1);
    sqlite3_int64 rows = 0;
    int rc = n > 1 ? x->xRowCount(fts, &rows) : SQLITE_OK;
    for (int p = 0; p < n && rc == SQLITE_OK; p++) {
        sqlite3_int64 hits = 0;
        d->idf[p] = 1.0;
        if (n > 1 && (rc = x->xQueryPhrase(fts, p, &hits, count_row)) == SQLITE_OK) {
            double idf = log((rows - hits + 0.5) / (hits + 0.5));
            d->idf[p] = idf > 0.0 ? idf : 1e-6;
        }
    }
    if (rc == SQLITE_OK)
        rc = x->xSetAuxdata(fts, d, sqlite3_free); /* frees d itself on failure */
    else
        sqlite3_free(d);
    *out = rc == SQLITE_OK ? d : NULL;
    return rc;
}

static void jl_rank(const Fts5ExtensionApi *x, Fts5Context *fts, sqlite3_context *ctx, int nargs,
                    sqlite3_value **args)
{
    struct rank_data *d = NULL;
    int ninst = 0, rc = rank_data(x, fts, &d);
    if (rc == SQLITE_OK)
        rc = x->xInstCount(fts, &ninst);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    for (int p = 0; p < d->nphrase; p++)
        d->freq[p] = 0.0;
    for (int i = 0; i < ninst && rc == SQLITE_OK; i++) {
        int phrase, col, off;
        rc = x->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < d->nphrase)
            d->freq[phrase] += col >= 0 && col < nargs ? sqlite3_value_double(args[col]) : 1.0;
    }
    double score = 0.0;
    for (int p = 0; p < d->nphrase; p++)
        score += d->idf[p] * d->freq[p] * (K1 + 1.0) / (d->freq[p] + K1);
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
