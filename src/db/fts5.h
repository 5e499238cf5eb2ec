/*
 * fts5.h - what the SQLite driver adds to FTS5 (sqlite.c; the search
 * benchmark uses it on its own connections too).
 *
 * jl_rank(t, w0, w1, ...) ranks the rows of an FTS5 query like bm25(t,
 * w0, w1, ...), lower is better, without bm25's two costly parts: the
 * document length (one %_docsize lookup per matching row) and the inverse
 * document frequency (one more walk of every phrase's whole doclist per
 * query). A row scores
 *
 *     - sum over phrases p and columns c of  w_c * f(tf(p, c)),
 *     f(tf) = tf * (k1 + 1) / (tf + k1),  k1 = 1.2
 *
 * where tf(p, c) is how often phrase p occurs in column c: bm25's
 * saturating term frequency with the column weights (missing weights are
 * 1.0). It reads only the position lists FTS5 has already loaded for the
 * row, so ranking a common term's 100,000 matches costs little more than
 * counting them. Every phrase counts alike (no idf): the search API ANDs
 * its phrases, so every result holds them all.
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
