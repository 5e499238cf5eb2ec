/*
 * pii.c - sealing, indexing and masking of personal numbers (see pii.h).
 *
 * The associated data of each seal names the kind of number, so a sealed
 * phone cannot be passed off as an identity number. The index hashes the
 * kind and the digits under its own key: equal numbers give equal indexes,
 * which is all a lookup needs, and the key keeps the small number space
 * from being enumerated by someone holding only the database.
 */
#include "modules/pii.h"
#include "modules/app.h"
#include "base/alloc.h"
#include "base/log.h"
#include "lib/ids.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES

static unsigned char seal_key[32], index_key[32];
static bool ready;

static const char *kind_name(enum pii_kind kind)
{
    return kind == PII_PHONE       ? "jilian.pii.phone"
           : kind == PII_CODE      ? "jilian.code"
                                   : "jilian.pii.id_number";
}

bool pii_init(void)
{
    ready = app_key("pii", seal_key) && app_key("pii-index", index_key);
    return ready;
}

/* The one spelling of a number that is sealed and indexed: an identity
 * number's check char 'x' is the same as 'X'. */
static const char *normal_form(enum pii_kind kind, const char *plain, char buf[40])
{
    size_t n = strlen(plain);
    if (kind != PII_ID_NUMBER || n == 0 || n >= 40 || plain[n - 1] != 'x')
        return plain;
    memcpy(buf, plain, n + 1);
    buf[n - 1] = 'X';
    return buf;
}

void pii_index(enum pii_kind kind, const char *plain, unsigned char out[PII_INDEX_BYTES])
{
    char buf[40];
    plain = normal_form(kind, plain, buf);
    crypto_generichash_state s;
    const char *k = kind_name(kind);
    crypto_generichash_init(&s, index_key, sizeof(index_key), PII_INDEX_BYTES);
    crypto_generichash_update(&s, (const unsigned char *)k, strlen(k) + 1);
    crypto_generichash_update(&s, (const unsigned char *)plain, strlen(plain));
    crypto_generichash_final(&s, out, PII_INDEX_BYTES);
    sodium_memzero(buf, sizeof(buf));
}

void pii_seal(enum pii_kind kind, const char *plain, struct pii_value *v)
{
    memset(v, 0, sizeof(*v));
    char buf[40];
    if (plain)
        plain = normal_form(kind, plain, buf);
    size_t n = plain ? strlen(plain) : 0;
    if (n == 0 || !ready) {
        v->empty = true;
        return;
    }
    const char *ad = kind_name(kind);
    v->sealed_len = NONCE + n + TAG;
    v->sealed = xmalloc(v->sealed_len);
    randombytes_buf(v->sealed, NONCE);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        v->sealed + NONCE, &clen, (const unsigned char *)plain, n, (const unsigned char *)ad,
        strlen(ad), NULL, v->sealed, seal_key);
    pii_index(kind, plain, v->index);
    if (kind == PII_PHONE)
        ids_mask_mobile(plain, n, v->masked, sizeof(v->masked));
    else
        ids_mask_id_number(plain, n, v->masked, sizeof(v->masked));
    sodium_memzero(buf, sizeof(buf));
}

void pii_value_cleanup(struct pii_value *v)
{
    free(v->sealed);
    v->sealed = NULL;
}

char *pii_open(enum pii_kind kind, const void *sealed, size_t len)
{
    if (sealed == NULL || len < NONCE + TAG || !ready)
        return NULL;
    const char *ad = kind_name(kind);
    const unsigned char *in = sealed;
    size_t n = len - NONCE - TAG;
    char *out = xmalloc(n + 1);
    unsigned long long plen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out, &plen, NULL, in + NONCE,
                                                   len - NONCE, (const unsigned char *)ad,
                                                   strlen(ad), in, seal_key) != 0) {
        free(out);
        return NULL;
    }
    out[plen] = '\0';
    return out;
}

char *pii_read(struct db *db, const char *sql, int64_t id, enum pii_kind kind)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (st == NULL)
        return NULL;
    db_bind_int(st, 1, id);
    char *plain = NULL;
    if (db_step(st) == DB_ROW) {
        size_t n = 0;
        const void *blob = db_col_null(st, 0) ? NULL : db_col_blob(st, 0, &n);
        plain = blob ? pii_open(kind, blob, n) : xstrdup("");
    }
    db_done(st);
    return plain;
}

void pii_bind(struct db_stmt *st, int n, const struct pii_value *v)
{
    if (v->empty) {
        db_bind_null(st, n);
        db_bind_null(st, n + 1);
        db_bind_text(st, n + 2, "", 0);
        return;
    }
    db_bind_blob(st, n, v->sealed, v->sealed_len);
    db_bind_blob(st, n + 1, v->index, PII_INDEX_BYTES);
    db_bind_text(st, n + 2, v->masked, -1);
}

/* Seals one legacy column of one table. The SQL names are fixed here. */
static enum err backfill_one(struct db *db, const char *select, const char *update, int *count)
{
    for (;;) {
        struct db_stmt *st = db_prepare(db, select);
        if (st == NULL)
            return ERR_INTERNAL;
        if (db_step(st) != DB_ROW) {
            db_done(st);
            return ERR_OK;
        }
        int64_t id = db_col_int(st, 0);
        char *plain = xstrdup(db_col_text(st, 1));
        db_done(st);
        struct pii_value v;
        pii_seal(PII_PHONE, plain, &v);
        sodium_memzero(plain, strlen(plain));
        free(plain);
        st = db_prepare(db, update);
        if (st == NULL) {
            pii_value_cleanup(&v);
            return ERR_INTERNAL;
        }
        pii_bind(st, 1, &v);
        db_bind_int(st, 4, id);
        enum err e = db_run(st);
        pii_value_cleanup(&v);
        if (e != ERR_OK)
            return e;
        (*count)++;
    }
}

enum err pii_backfill(struct db *db, int *count)
{
    *count = 0;
    enum err e = db_begin(db);
    if (e != ERR_OK)
        return e;
    e = backfill_one(db, "SELECT id, phone_legacy FROM people WHERE phone_legacy <> '' LIMIT 1",
                     "UPDATE people SET phone_enc = $1, phone_index = $2, phone_masked = $3, "
                     "phone_legacy = '' WHERE id = $4",
                     count);
    if (e == ERR_OK)
        e = backfill_one(db,
                         "SELECT id, contact_phone_legacy FROM applications WHERE "
                         "contact_phone_legacy <> '' LIMIT 1",
                         "UPDATE applications SET contact_phone_enc = $1, contact_phone_index = "
                         "$2, contact_phone_masked = $3, contact_phone_legacy = '' WHERE id = $4",
                         count);
    if (e != ERR_OK) {
        db_rollback(db);
        return e;
    }
    e = db_commit(db);
    if (e == ERR_OK && *count > 0) {
        /* Old WAL frames still hold the plain numbers: truncate the log. */
        db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
        log_info("pii: sealed %d personal numbers kept in plain by an older version", *count);
    }
    return e;
}
