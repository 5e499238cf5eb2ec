/* store.c - the SQL of users (accounts module). */
#include "modules/accounts/accounts.h"
#include "modules/app.h"
#include "base/time.h"

#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                                  \
    "id, username, display_name, role, coalesce(unit_id, 0), status, failed_count, locked_until, " \
    "password_hash, coalesce(person_id, 0)"

static void user_read(struct db_stmt *st, struct user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = db_col_int(st, 0);
    snprintf(u->username, sizeof(u->username), "%s", db_col_text(st, 1));
    snprintf(u->display_name, sizeof(u->display_name), "%s", db_col_text(st, 2));
    snprintf(u->role, sizeof(u->role), "%s", db_col_text(st, 3));
    u->unit_id = db_col_int(st, 4);
    snprintf(u->status, sizeof(u->status), "%s", db_col_text(st, 5));
    u->failed_count = (int)db_col_int(st, 6);
    u->locked_until = db_col_int(st, 7);
    u->person_id = db_col_int(st, 9);
    snprintf(u->password_hash, sizeof(u->password_hash), "%s", db_col_text(st, 8));
}

/* Reads the one row of a bound statement into u. */
static enum err user_fetch(struct db_stmt *st, struct user *u)
{
    enum err e = ERR_NOT_FOUND;
    if (db_step(st) == DB_ROW) {
        user_read(st, u);
        e = ERR_OK;
    }
    db_done(st);
    return e;
}

enum err user_get(struct db *db, int64_t id, struct user *u)
{
    struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE id = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, id);
    return user_fetch(st, u);
}

enum err user_get_by_name(struct db *db, const char *username, struct user *u)
{
    struct db_stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM users WHERE username = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, username, -1);
    return user_fetch(st, u);
}

bool username_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

static bool unit_exists(struct db *db, int64_t unit_id)
{
    struct db_stmt *st = db_prepare(db, "SELECT 1 FROM units WHERE id = $1");
    if (st == NULL)
        return false;
    db_bind_int(st, 1, unit_id);
    bool found = db_step(st) == DB_ROW;
    db_done(st);
    return found;
}

enum err user_create(struct db *db, const char *username, const char *display_name,
                     const char *role, int64_t unit_id, const char *password, int64_t *id,
                     const char **field, const char **msg)
{
    *field = NULL;
    *msg = NULL;
    const char *policy;
    if (!username_valid(username)) {
        *field = "username", *msg = "username_format";
        return ERR_INVALID;
    }
    if (!app_role_valid(role)) {
        *field = "role", *msg = "not_a_choice";
        return ERR_INVALID;
    }
    if (app_role_unit_scoped(role) && unit_id == 0) {
        *field = "unit_id", *msg = "role_needs_unit";
        return ERR_INVALID;
    }
    if (unit_id != 0 && !unit_exists(db, unit_id)) {
        *field = "unit_id", *msg = "unit_missing";
        return ERR_INVALID;
    }
    policy = password_policy(password, username);
    if (policy != NULL) {
        *field = "password", *msg = policy;
        return ERR_INVALID;
    }
    char hash[160];
    if (!password_hash(password, hash, sizeof(hash)))
        return ERR_INTERNAL;
    int64_t now = time_now_ms();
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO users(username, display_name, role, unit_id, password_hash, "
            "password_changed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $6)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, username, -1);
    db_bind_text(st, 2, display_name ? display_name : "", -1);
    db_bind_text(st, 3, role, -1);
    if (unit_id)
        db_bind_int(st, 4, unit_id);
    db_bind_text(st, 5, hash, -1);
    db_bind_int(st, 6, now);
    enum err e = db_run(st);
    if (e == ERR_CONFLICT) {
        *field = "username", *msg = "username_taken";
        return e;
    }
    if (e == ERR_OK)
        *id = db_last_id(db);
    return e;
}

enum err user_set_password(struct db *db, int64_t id, const char *password)
{
    char hash[160];
    if (!password_hash(password, hash, sizeof(hash)))
        return ERR_INTERNAL;
    struct db_stmt *st = db_prepare(db, "UPDATE users SET password_hash = $1, "
                                        "password_changed_at = $2, updated_at = $2, "
                                        "failed_count = 0, locked_until = 0 WHERE id = $3");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, hash, -1);
    db_bind_int(st, 2, time_now_ms());
    db_bind_int(st, 3, id);
    enum err e = db_run(st);
    return e == ERR_OK ? session_end_all(db, id) : e;
}

enum err user_set_status(struct db *db, int64_t id, const char *status)
{
    struct db_stmt *st =
        db_prepare(db, "UPDATE users SET status = $1, updated_at = $2 WHERE id = $3");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, status, -1);
    db_bind_int(st, 2, time_now_ms());
    db_bind_int(st, 3, id);
    enum err e = db_run(st);
    if (e == ERR_OK && strcmp(status, "active") != 0)
        e = session_end_all(db, id);
    return e;
}

void user_login_failed(struct db *db, const struct user *u)
{
    int failures = u->failed_count + 1;
    int64_t locked = failures >= LOCKOUT_FAILURES ? time_now_ms() + LOCKOUT_MS : 0;
    struct db_stmt *st =
        db_prepare(db, "UPDATE users SET failed_count = $1, locked_until = $2 WHERE id = $3");
    if (st == NULL)
        return;
    db_bind_int(st, 1, locked ? 0 : failures);
    db_bind_int(st, 2, locked);
    db_bind_int(st, 3, u->id);
    db_run(st);
}

void user_login_ok(struct db *db, int64_t id)
{
    struct db_stmt *st =
        db_prepare(db, "UPDATE users SET failed_count = 0, locked_until = 0 WHERE id = $1");
    if (st == NULL)
        return;
    db_bind_int(st, 1, id);
    db_run(st);
}

json_t *user_json(const struct user *u)
{
    json_t *j =
        json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "username", u->username,
                  "display_name", u->display_name, "role", u->role, "status", u->status);
    json_object_set_new(j, "unit_id", u->unit_id ? json_integer(u->unit_id) : json_null());
    json_object_set_new(j, "person_id", u->person_id ? json_integer(u->person_id) : json_null());
    return j;
}
