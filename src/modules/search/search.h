/*
 * search.h - one search index over the platform's records (docs/search.md).
 *
 * The index lives in tables of migration 0009: search_docs (what is
 * searched, who may see it) and its FTS5 index search_fts, tokenized by
 * lib/text (folding, CJK bigrams, Latin words) under the name "jilian".
 * Other modules' tables mark their changed rows in search_queue through
 * triggers; search_flush() rebuilds those documents and runs as the
 * database's commit hook, so every write and its index entry commit
 * together.
 */
#ifndef JL_MODULES_SEARCH_SEARCH_H
#define JL_MODULES_SEARCH_SEARCH_H

#include "db/db.h"
#include "http/http.h"

#include <stdint.h>

/* Registers the tokenizer and the commit hook with the db layer; call once
 * at start-up, before any database is opened. */
void search_install(void);

/* Brings the queued documents up to date (in the caller's transaction, or
 * in its own when there is none). progress may be NULL. Called once the
 * migrations have run (cli_open); the commit hook works from then on. */
enum err search_flush(struct db *db, void (*progress)(void *arg, int64_t done, int64_t total),
                      void *arg);

/* Rebuilds the whole index from the records (in one transaction);
 * *docs gets the number of documents indexed. */
enum err search_reindex(struct db *db, void (*progress)(void *arg, int64_t done, int64_t total),
                        void *arg, int64_t *docs);

extern const struct http_route search_routes[];

#endif
