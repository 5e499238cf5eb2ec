/*
 * accounts.h - users, passwords, sessions and the audit log.
 *
 * A shared-kernel module: other modules may call these functions.
 */
#ifndef JL_MODULES_ACCOUNTS_H
#define JL_MODULES_ACCOUNTS_H

#include "db/db.h"
#include "http/http.h"

#include <stdbool.h>
#include <stdint.h>

#define SESSION_COOKIE "jilian_session"
#define SESSION_COOKIE_SECURE "__Host-jilian_session"
#define LOCKOUT_FAILURES 5
#define LOCKOUT_MS (15 * 60 * 1000)

/* --- passwords (SEC-A1, A2) ------------------------------------------- */
/* Checks the policy; returns NULL when fine, else an i18n key. */
const char *password_policy(const char *password, const char *username);
/* Argon2id hash into out (crypto_pwhash_STRBYTES). false on failure. */
bool password_hash(const char *password, char *out, size_t cap);
bool password_verify(const char *hash, const char *password);
/* Spends the time of one verification (for unknown user names, SEC-A3). */
void password_burn(void);
/* A random readable password of n characters (n < cap). */
void password_random(char *out, size_t n);

/* --- users ------------------------------------------------------------ */
struct user {
    int64_t id;
    char username[64];
    char display_name[128];
    char role[32];
    int64_t unit_id;
    char status[16];
    int failed_count;
    int64_t locked_until;
    char password_hash[160];
    int64_t person_id; /* the person the account stands for, or 0 */
};

/* Loads a user by id or name. ERR_NOT_FOUND when absent. */
enum err user_get(struct db *db, int64_t id, struct user *u);
enum err user_get_by_name(struct db *db, const char *username, struct user *u);
/* Creates a user with a checked password; returns the id in *id.
 * Field errors (username, password, role, unit_id) are i18n keys in *field
 * and *msg when the answer is ERR_INVALID or ERR_CONFLICT. */
enum err user_create(struct db *db, const char *username, const char *display_name,
                     const char *role, int64_t unit_id, const char *password, int64_t *id,
                     const char **field, const char **msg);
enum err user_set_password(struct db *db, int64_t id, const char *password);
enum err user_set_status(struct db *db, int64_t id, const char *status);
/* Records a failed login; locks the account at LOCKOUT_FAILURES. */
void user_login_failed(struct db *db, const struct user *u);
void user_login_ok(struct db *db, int64_t id);
json_t *user_json(const struct user *u);
bool username_valid(const char *s);

/* --- sessions (SEC-A4..A7) -------------------------------------------- */
/* Starts a session: token (base64url, into token[64]) and csrf[64]. */
enum err session_start(struct db *db, int64_t user_id, const char *ip, char *token, char *csrf);
/* Resolves the cookie of req into req->who; expired sessions are removed
 * and req->err_key set to "session_expired". */
void session_authenticate(struct http_req *req);
enum err session_end(struct db *db, int64_t session_id);
/* Ends every session of the user (disable, password change). */
enum err session_end_all(struct db *db, int64_t user_id);
/* The Set-Cookie value for token (empty token clears the cookie). */
const char *session_cookie(struct http_req *req, const char *token);
/* In-memory failure counters (SEC-A3, G2), keyed by e.g. "ip:1.2.3.4":
 * true while key has had fewer than limit failures in the window opened by
 * its first failure, else false with *retry_after seconds. */
bool throttle_check(const char *key, int limit, int64_t window_ms, int *retry_after);
void throttle_failure(const char *key);
#define THROTTLE_IP_LIMIT 20
#define THROTTLE_IP_WINDOW_MS (10 * 60 * 1000)

/* --- audit (SEC-D1, D2) ----------------------------------------------- */
struct audit_entry {
    int64_t user_id;
    const char *username, *role;
    int64_t unit_id;
    const char *ip, *action, *object, *result, *request_id, *detail;
};
/* Loads the chain key; call once at start-up. */
bool audit_init(const unsigned char key[32]);
/* Appends one row, chained to the last. Opens its own transaction when the
 * connection has none. */
enum err audit_append(struct db *db, const struct audit_entry *e);
/* Walks the whole log; returns the count of rows checked in *rows and the
 * first bad row id in *bad_id (0 when the chain is intact). */
enum err audit_verify(struct db *db, int64_t *rows, int64_t *bad_id, const char **why);

/* Route table of the module. */
extern const struct http_route accounts_routes[];

#endif
