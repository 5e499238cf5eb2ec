/*
 * pii.h - personal numbers at rest (SEC-D5).
 *
 * A personal number (a phone, later an identity number) is stored three
 * ways: sealed with XChaCha20-Poly1305 under keys/pii.key (outside the
 * database), as a keyed BLAKE2b index under keys/pii-index.key for exact
 * lookups, and masked for display. Nothing else of it is ever stored.
 */
#ifndef JL_MODULES_PII_H
#define JL_MODULES_PII_H

#include "db/db.h"

#include <stdbool.h>
#include <stddef.h>

#define PII_INDEX_BYTES 16

/* PII_CODE: one-time codes (student activation), indexed only. */
enum pii_kind { PII_PHONE, PII_ID_NUMBER, PII_CODE };

/* Loads (creating on first use) the two keys. */
bool pii_init(void);

/* A sealed, indexed and masked number; fields empty for an empty input. */
struct pii_value {
    unsigned char *sealed; /* heap: nonce || ciphertext || tag */
    size_t sealed_len;
    unsigned char index[PII_INDEX_BYTES];
    char masked[40];
    bool empty;
};

/* Seals plain (NUL-terminated) into v; free with pii_value_cleanup. */
void pii_seal(enum pii_kind kind, const char *plain, struct pii_value *v);
void pii_value_cleanup(struct pii_value *v);
/* Opens a sealed value; returns a heap string (free()) or NULL when the
 * value is damaged or sealed under another key. */
char *pii_open(enum pii_kind kind, const void *sealed, size_t len);
/* The lookup index of plain. */
void pii_index(enum pii_kind kind, const char *plain, unsigned char out[PII_INDEX_BYTES]);

/* Runs sql (a literal selecting one sealed column, with $1 = id) and opens
 * the value: a heap string (free()), "" when the column is empty, NULL when
 * there is no row or the value cannot be opened. */
char *pii_read(struct db *db, const char *sql, int64_t id, enum pii_kind kind);

/* Binds v as three parameters: sealed at n, index at n+1, masked at n+2
 * (NULL, NULL, '' when empty). */
void pii_bind(struct db_stmt *st, int n, const struct pii_value *v);

/* Seals what the legacy plain columns still hold and empties them.
 * Returns the number of values sealed in *count. */
enum err pii_backfill(struct db *db, int *count);

#endif
