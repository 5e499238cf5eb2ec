/*
 * audit.c - the append-only, hash-chained audit log (SEC-D1, D2).
 *
 * Each row's hash is a keyed BLAKE2b over the previous row's hash and the
 * row's own fields, each length-prefixed. The key lives in the data folder
 * (keys/audit.key), outside the database, so someone who can edit the
 * database file cannot recompute a consistent chain. Triggers refuse UPDATE
 * and DELETE; audit_verify() finds a changed row, a missing row (id gap or
 * broken chain) and a cut-off tail (sqlite_sequence ahead of the last id).
 */
#include "modules/accounts/accounts.h"
#include "base/time.h"

#include <sodium.h>
#include <string.h>

static unsigned char chain_key[32];
static bool have_key;

bool audit_init(const unsigned char key[32])
{
    memcpy(chain_key, key, 32);
    have_key = true;
    return true;
}

static void put_i64(crypto_generichash_state *s, int64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    crypto_generichash_update(s, b, 8);
}

static void put_str(crypto_generichash_state *s, const char *v)
{
    size_t n = v ? strlen(v) : 0;
    put_i64(s, (int64_t)n);
    if (n)
        crypto_generichash_update(s, (const unsigned char *)v, n);
}

static void row_hash(const unsigned char prev[32], int64_t id, int64_t at,
                     const struct audit_entry *e, unsigned char out[32])
{
    crypto_generichash_state s;
    crypto_generichash_init(&s, chain_key, sizeof(chain_key), 32);
    crypto_generichash_update(&s, prev, 32);
    put_i64(&s, id);
    put_i64(&s, at);
    put_i64(&s, e->user_id);
    put_str(&s, e->username);
    put_str(&s, e->role);
    put_i64(&s, e->unit_id);
    put_str(&s, e->ip);
    put_str(&s, e->action);
    put_str(&s, e->object);
    put_str(&s, e->result);
    put_str(&s, e->request_id);
    put_str(&s, e->detail);
    crypto_generichash_final(&s, out, 32);
}

static enum err append_locked(struct db *db, const struct audit_entry *e)
{
    unsigned char prev[32] = {0}, h[32];
    int64_t last_id = 0;
    struct db_stmt *st = db_prepare(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (st == NULL)
        return ERR_INTERNAL;
    if (db_step(st) == DB_ROW) {
        size_t n;
        const void *p = db_col_blob(st, 1, &n);
        last_id = db_col_int(st, 0);
        if (p != NULL && n == 32)
            memcpy(prev, p, 32);
    }
    db_done(st);
    int64_t id = last_id + 1, at = time_now_ms();
    row_hash(prev, id, at, e, h);
    st = db_prepare(db, "INSERT INTO audit_log(id, at, user_id, username, role, unit_id, ip, "
                        "action, object, result, request_id, detail, hash) VALUES "
                        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, at);
    if (e->user_id)
        db_bind_int(st, 3, e->user_id);
    db_bind_text(st, 4, e->username ? e->username : "", -1);
    db_bind_text(st, 5, e->role ? e->role : "", -1);
    if (e->unit_id)
        db_bind_int(st, 6, e->unit_id);
    db_bind_text(st, 7, e->ip ? e->ip : "", -1);
    db_bind_text(st, 8, e->action, -1);
    db_bind_text(st, 9, e->object ? e->object : "", -1);
    db_bind_text(st, 10, e->result, -1);
    db_bind_text(st, 11, e->request_id ? e->request_id : "", -1);
    db_bind_text(st, 12, e->detail ? e->detail : "", -1);
    db_bind_blob(st, 13, h, 32);
    return db_run(st);
}

/* Copies s into out (cap bytes) with control characters (CR, LF, ...)
 * written as \xNN, so a value cannot forge a line (SEC-D4). */
static const char *clean(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    if (s == NULL)
        return NULL;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 < cap; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        } else {
            out[o++] = (char)*p;
        }
    }
    out[o] = '\0';
    return out;
}

enum err audit_append(struct db *db, const struct audit_entry *raw)
{
    if (!have_key)
        return ERR_INTERNAL;
    char user[256], role[64], ip[128], action[128], object[512], result[64], rid[64];
    char detail[1024];
    struct audit_entry e = {
        .user_id = raw->user_id,
        .username = clean(raw->username, user, sizeof(user)),
        .role = clean(raw->role, role, sizeof(role)),
        .unit_id = raw->unit_id,
        .ip = clean(raw->ip, ip, sizeof(ip)),
        .action = clean(raw->action, action, sizeof(action)),
        .object = clean(raw->object, object, sizeof(object)),
        .result = clean(raw->result, result, sizeof(result)),
        .request_id = clean(raw->request_id, rid, sizeof(rid)),
        .detail = clean(raw->detail, detail, sizeof(detail)),
    };
    enum err err = db_begin(db);
    if (err != ERR_OK)
        return err;
    err = append_locked(db, &e);
    if (err != ERR_OK) {
        db_rollback(db);
        return err;
    }
    return db_commit(db);
}

static int64_t sequence_high(struct db *db)
{
    /* SQLite keeps the highest AUTOINCREMENT id in sqlite_sequence. */
    int64_t seq = 0;
    struct db_stmt *st = db_prepare(db, "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'");
    if (st != NULL && db_step(st) == DB_ROW)
        seq = db_col_int(st, 0);
    db_done(st);
    return seq;
}

enum err audit_verify(struct db *db, int64_t *rows, int64_t *bad_id, const char **why)
{
    unsigned char prev[32] = {0}, h[32];
    int64_t expect = 1;
    *rows = 0;
    *bad_id = 0;
    *why = "";
    if (!have_key)
        return ERR_INTERNAL;
    struct db_stmt *st = db_prepare(
        db, "SELECT id, at, coalesce(user_id, 0), username, role, coalesce(unit_id, 0), ip, "
            "action, object, result, request_id, detail, hash FROM audit_log ORDER BY id");
    if (st == NULL)
        return ERR_INTERNAL;
    while (db_step(st) == DB_ROW) {
        int64_t id = db_col_int(st, 0);
        struct audit_entry e = {.user_id = db_col_int(st, 2),
                                .username = db_col_text(st, 3),
                                .role = db_col_text(st, 4),
                                .unit_id = db_col_int(st, 5),
                                .ip = db_col_text(st, 6),
                                .action = db_col_text(st, 7),
                                .object = db_col_text(st, 8),
                                .result = db_col_text(st, 9),
                                .request_id = db_col_text(st, 10),
                                .detail = db_col_text(st, 11)};
        size_t n;
        const void *stored = db_col_blob(st, 12, &n);
        if (id != expect) {
            *bad_id = expect;
            *why = "missing row";
            break;
        }
        row_hash(prev, id, db_col_int(st, 1), &e, h);
        if (stored == NULL || n != 32 || sodium_memcmp(stored, h, 32) != 0) {
            *bad_id = id;
            *why = "row altered or chain broken";
            break;
        }
        memcpy(prev, h, 32);
        (*rows)++;
        expect++;
    }
    db_done(st);
    if (*bad_id == 0 && sequence_high(db) > expect - 1) {
        *bad_id = expect;
        *why = "rows missing at the end";
    }
    return ERR_OK;
}
