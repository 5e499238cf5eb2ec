/*
 * session.c - sessions in the database and the login throttle.
 *
 * A session token is 256 random bits sent only in an HttpOnly cookie and
 * stored only as its BLAKE2b hash (SEC-A4, A5). Idle and absolute timeouts
 * come from the configuration (SEC-A6); the idle clock is touched at most
 * once a minute so reads do not turn into writes.
 */
#include "modules/accounts/accounts.h"
#include "modules/app.h"
#include "base/time.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TOKEN_BYTES 32
#define TOUCH_EVERY_MS 60000

static void random_b64(char *out, size_t cap)
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, cap, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void token_hash(const char *token, unsigned char out[32])
{
    crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

enum err session_start(struct db *db, int64_t user_id, const char *ip, char *token, char *csrf)
{
    unsigned char h[32];
    random_b64(token, 64);
    random_b64(csrf, 64);
    token_hash(token, h);
    int64_t now = time_now_ms();
    int64_t life = (int64_t)app_config()->absolute_timeout_s * 1000;
    struct db_stmt *st = db_prepare(db, "INSERT INTO sessions(token_hash, user_id, csrf, "
                                        "created_at, last_seen, expires_at, ip) "
                                        "VALUES ($1, $2, $3, $4, $4, $5, $6)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_blob(st, 1, h, sizeof(h));
    db_bind_int(st, 2, user_id);
    db_bind_text(st, 3, csrf, -1);
    db_bind_int(st, 4, now);
    db_bind_int(st, 5, now + life);
    db_bind_text(st, 6, ip, -1);
    return db_run(st);
}

/* Finds the value of cookie name in a Cookie header; copies into out. */
static bool cookie_find(const char *header, const char *name, char *out, size_t cap)
{
    size_t nlen = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
            size_t vlen = len - nlen - 1;
            if (vlen == 0 || vlen >= cap)
                return false;
            memcpy(out, p + nlen + 1, vlen);
            out[vlen] = '\0';
            return true;
        }
        p = end;
    }
    return false;
}

static bool role_is_admin(const char *role)
{
    return strcmp(role, "system_admin") == 0 || strcmp(role, "alliance_admin") == 0 ||
           strcmp(role, "auditor") == 0;
}

void session_authenticate(struct http_req *req)
{
    char token[96];
    if (req->cookie_header == NULL ||
        (!cookie_find(req->cookie_header, SESSION_COOKIE_SECURE, token, sizeof(token)) &&
         !cookie_find(req->cookie_header, SESSION_COOKIE, token, sizeof(token))))
        return;
    unsigned char h[32];
    token_hash(token, h);
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(
        db, "SELECT s.id, s.user_id, s.csrf, s.last_seen, s.expires_at, u.username, u.role, "
            "coalesce(u.unit_id, 0), u.status FROM sessions s JOIN users u ON u.id = s.user_id "
            "WHERE s.token_hash = $1");
    if (st == NULL)
        return;
    db_bind_blob(st, 1, h, sizeof(h));
    if (db_step(st) != DB_ROW) {
        db_done(st);
        req->err_key = "session_expired";
        return;
    }
    int64_t sid = db_col_int(st, 0), last = db_col_int(st, 3), expires = db_col_int(st, 4);
    const char *role = db_col_text(st, 6);
    const struct config *cfg = app_config();
    int64_t idle_ms =
        (int64_t)(role_is_admin(role) ? cfg->admin_idle_timeout_s : cfg->idle_timeout_s) * 1000;
    int64_t now = time_now_ms();
    bool alive = strcmp(db_col_text(st, 8), "active") == 0 && now < expires && now - last < idle_ms;
    if (alive) {
        req->who.session_id = sid;
        req->who.user_id = db_col_int(st, 1);
        req->who.csrf = arena_strdup(&req->arena, db_col_text(st, 2));
        req->who.username = arena_strdup(&req->arena, db_col_text(st, 5));
        req->who.role = arena_strdup(&req->arena, role);
        req->who.unit_id = db_col_int(st, 7);
    }
    db_done(st);
    if (!alive) {
        session_end(db, sid);
        req->err_key = "session_expired";
        return;
    }
    if (now - last > (idle_ms / 4 < TOUCH_EVERY_MS ? idle_ms / 4 : TOUCH_EVERY_MS)) {
        st = db_prepare(db, "UPDATE sessions SET last_seen = $1 WHERE id = $2");
        if (st != NULL) {
            db_bind_int(st, 1, now);
            db_bind_int(st, 2, sid);
            db_run(st);
        }
    }
}

enum err session_end(struct db *db, int64_t session_id)
{
    struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE id = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, session_id);
    return db_run(st);
}

enum err session_end_all(struct db *db, int64_t user_id)
{
    struct db_stmt *st = db_prepare(db, "DELETE FROM sessions WHERE user_id = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, user_id);
    return db_run(st);
}

const char *session_cookie(struct http_req *req, const char *token)
{
    /* Over TLS the __Host- prefix pins the cookie to this origin (SEC-A5). */
    const char *name = req->secure ? SESSION_COOKIE_SECURE : SESSION_COOKIE;
    const char *secure = req->secure ? "; Secure" : "";
    if (token == NULL || token[0] == '\0')
        return arena_printf(&req->arena, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", name,
                            secure);
    return arena_printf(&req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", name, token,
                        secure);
}

/* --- failure counters (per address, per unknown user name) ------------- */

#define THROTTLE_SLOTS 4096

struct throttle_slot {
    char key[96];
    int failures;
    int64_t window_start;
};

static struct throttle_slot slots[THROTTLE_SLOTS];
static pthread_mutex_t throttle_mu = PTHREAD_MUTEX_INITIALIZER;

#define THROTTLE_PROBES 8

static unsigned char throttle_hash_key[crypto_shorthash_KEYBYTES];
static pthread_once_t throttle_once = PTHREAD_ONCE_INIT;

static void throttle_init(void)
{
    randombytes_buf(throttle_hash_key, sizeof(throttle_hash_key));
}

/* The slot of key. SipHash under a random key keeps outsiders from
 * choosing keys that collide; a full probe window evicts its oldest entry,
 * never the one being counted. Call with throttle_mu held. */
static struct throttle_slot *slot_for(const char *key)
{
    unsigned char h[crypto_shorthash_BYTES];
    pthread_once(&throttle_once, throttle_init);
    crypto_shorthash(h, (const unsigned char *)key, strlen(key), throttle_hash_key);
    uint64_t start = 0;
    memcpy(&start, h, sizeof(start));
    struct throttle_slot *free_slot = NULL, *oldest = NULL;
    int64_t now = time_now_ms();
    for (int p = 0; p < THROTTLE_PROBES; p++) {
        struct throttle_slot *s = &slots[(start + (uint64_t)p) % THROTTLE_SLOTS];
        if (s->key[0] != '\0' && strncmp(s->key, key, sizeof(s->key) - 1) == 0)
            return s;
        bool expired = s->window_start != 0 && now - s->window_start > LOCKOUT_MS;
        if (free_slot == NULL && (s->key[0] == '\0' || expired))
            free_slot = s;
        if (oldest == NULL || s->window_start < oldest->window_start)
            oldest = s;
    }
    struct throttle_slot *s = free_slot ? free_slot : oldest;
    snprintf(s->key, sizeof(s->key), "%s", key);
    s->failures = 0;
    s->window_start = 0;
    return s;
}

bool throttle_check(const char *key, int limit, int64_t window_ms, int *retry_after)
{
    int64_t now = time_now_ms();
    pthread_mutex_lock(&throttle_mu);
    struct throttle_slot *s = slot_for(key);
    bool ok = true;
    if (s->window_start == 0 || now - s->window_start > window_ms) {
        s->failures = 0;
        s->window_start = 0;
    } else if (s->failures >= limit) {
        ok = false;
        *retry_after = (int)((s->window_start + window_ms - now) / 1000) + 1;
    }
    pthread_mutex_unlock(&throttle_mu);
    return ok;
}

void throttle_failure(const char *key)
{
    pthread_mutex_lock(&throttle_mu);
    struct throttle_slot *s = slot_for(key);
    if (s->window_start == 0)
        s->window_start = time_now_ms();
    s->failures++;
    pthread_mutex_unlock(&throttle_mu);
}
