/*
 * fts5.h - what the SQLite driver adds to FTS5 (sqlite.c; the search
 * benchmark uses it on its own connections too).
 *
 * jl_rank(t, w0, w1, ...) ranks the rows of an FTS5 query, lower is
 * better, as bm25(t, w0, w1, ...) would with BM25's b = 0: without the
 * document-length normalisation, which costs bm25 one %_docsize lookup
 * per matching row. A row scores
 *
 *     - sum over phrases p of  idf(p) * f * (k1 + 1) / (f + k1),
 *     f = sum over columns c of w_c * tf(p, c),  k1 = 1.2
 *
 * where tf(p, c) is how often phrase p occurs in column c (missing
 * weights are 1.0) and idf is FTS5's: log((N - n + 0.5) / (n + 0.5)), at
 * least 1e-6, for n of the N rows holding the phrase. With one phrase the
 * idf is the same for every row and left out (1.0), which saves a second
 * walk of the phrase's documents and keeps the order. Apart from that, on
 * rows of equal length, jl_rank equals bm25 (tests/unit/test_db.c).
 * Ranking a common term's 100,000 matches so costs little more than
 * counting them (bench/search/index).
 */
#ifndef JL_DB_FTS5_H
#define JL_DB_FTS5_H

#include <sqlite3.h>
#include <stdbool.h>

/* The connection's FTS5 API (SQLite 3.40: "SELECT fts5(?1)" with
 * sqlite3_bind_pointer), or NULL when FTS5 is missing. */
fts5_api *fts5_api_of(sqlite3 *db);
/* Registers jl_rank on db; false when FTS5 is missing. */
bool fts5_add_rank(sqlite3 *db);

#endif
