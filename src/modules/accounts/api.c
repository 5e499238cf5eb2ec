/*
 * api.c - routes of the accounts module: sign-in and out, the caller's own
 * account, user management (system_admin) and the audit log (auditor).
 */
#include "modules/accounts/accounts.h"
#include "modules/app.h"
#include "base/time.h"

#include <stdio.h>
#include <string.h>

static const char *const role_choices[] = {"system_admin", "alliance_admin", "unit_admin",
                                           "teacher",      "student",        "enterprise_hr",
                                           "expert",       "auditor",        NULL};
static const char *const status_choices[] = {"active", "disabled", NULL};

static const struct http_field login_fields[] = {
    {"username", FT_STRING, true, 64, NULL, "user name"},
    {"password", FT_STRING, true, 256, NULL, "password"},
    {0},
};

static const char *ip_key(struct http_req *req)
{
    return arena_printf(&req->arena, "ip:%s", req->ip);
}

static enum err login_refused(struct http_req *req, const char *username, const char *why,
                              enum err e, const char *key)
{
    app_audit(req, "login", arena_printf(&req->arena, "user:%s", username), "failed", why);
    throttle_failure(ip_key(req));
    return http_fail(req, e, key);
}

/* Unknown names get the same answers as known ones (SEC-A3): a burned
 * hash for the time, and an in-memory lockout counter for the lockout. */
static enum err login_unknown(struct http_req *req, const char *username)
{
    char key[96];
    int retry = 0;
    password_burn();
    snprintf(key, sizeof(key), "user:%s", username);
    for (char *p = key; *p; p++) /* names are case-insensitive, like accounts */
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (!throttle_check(key, LOCKOUT_FAILURES, LOCKOUT_MS, &retry)) {
        req->retry_after = retry;
        return login_refused(req, username, "unknown user", ERR_LOCKED, "locked");
    }
    throttle_failure(key);
    return login_refused(req, username, "unknown user", ERR_UNAUTHORIZED, "login_failed");
}

static enum err h_login(struct http_req *req)
{
    struct db *db = app_db(req);
    const char *username = http_body_str(req, "username");
    const char *password = http_body_str(req, "password");
    int retry = 0;
    if (!throttle_check(ip_key(req), THROTTLE_IP_LIMIT, THROTTLE_IP_WINDOW_MS, &retry)) {
        req->retry_after = retry;
        app_audit(req, "login", "", "throttled", "");
        return http_fail(req, ERR_RATE_LIMITED, "rate_limited");
    }
    struct user u;
    if (user_get_by_name(db, username, &u) != ERR_OK)
        return login_unknown(req, username);
    int64_t now = time_now_ms();
    if (u.locked_until > now) {
        password_burn();
        req->retry_after = (int)((u.locked_until - now) / 1000) + 1;
        return login_refused(req, username, "locked", ERR_LOCKED, "locked");
    }
    if (!password_verify(u.password_hash, password)) {
        user_login_failed(db, &u);
        return login_refused(req, username, "wrong password", ERR_UNAUTHORIZED, "login_failed");
    }
    if (strcmp(u.status, "active") != 0)
        return login_refused(req, username, "disabled", ERR_UNAUTHORIZED, "login_failed");
    user_login_ok(db, u.id);
    char token[64], csrf[64];
    enum err e = session_start(db, u.id, req->ip, token, csrf);
    if (e != ERR_OK)
        return e;
    req->set_cookie = session_cookie(req, token);
    req->who.user_id = u.id;
    req->who.username = arena_strdup(&req->arena, u.username);
    req->who.role = arena_strdup(&req->arena, u.role);
    req->who.unit_id = u.unit_id;
    app_audit(req, "login", arena_printf(&req->arena, "user:%lld", (long long)u.id), "ok", "");
    req->personal = true;
    http_json(req, 200, json_pack("{s:o, s:s}", "user", user_json(&u), "csrf_token", csrf));
    return ERR_OK;
}

static enum err h_logout(struct http_req *req)
{
    enum err e = session_end(app_db(req), req->who.session_id);
    if (e != ERR_OK)
        return e;
    req->set_cookie = session_cookie(req, "");
    app_audit(req, "logout", arena_printf(&req->arena, "user:%lld", (long long)req->who.user_id),
              "ok", "");
    http_json(req, 200, json_pack("{s:b}", "ok", 1));
    return ERR_OK;
}

/* A quiet probe for the console: 200 either way, no 401 to log. */
static enum err h_session_get(struct http_req *req)
{
    if (req->who.role == NULL) {
        http_json(req, 200, json_pack("{s:b}", "signed_in", 0));
        return ERR_OK;
    }
    struct user u;
    enum err e = user_get(app_db(req), req->who.user_id, &u);
    if (e != ERR_OK)
        return e;
    http_json(req, 200,
              json_pack("{s:b, s:o, s:s}", "signed_in", 1, "user", user_json(&u), "csrf_token",
                        req->who.csrf));
    return ERR_OK;
}

static enum err h_me(struct http_req *req)
{
    struct user u;
    enum err e = user_get(app_db(req), req->who.user_id, &u);
    if (e != ERR_OK)
        return e;
    json_t *perms = app_role_permission_list(u.role);
    json_t *j = json_pack("{s:o, s:o, s:s}", "user", user_json(&u), "permissions", perms,
                          "csrf_token", req->who.csrf);
    http_json(req, 200, j);
    return ERR_OK;
}

/* The caller's to-dos: counts of what waits for them, with a console link. */
static enum err h_todos(struct http_req *req)
{
    json_t *items = json_array();
    if (app_role_permits(req->who.role, "applications.review")) {
        struct db_stmt *st =
            db_prepare(app_db(req), "SELECT count(*) FROM applications WHERE status = 'pending'");
        int64_t n = db_scalar(st);
        if (n > 0)
            json_array_append_new(items, json_pack("{s:s, s:I, s:s}", "kind",
                                                   "applications.pending", "count", (json_int_t)n,
                                                   "link", "/console/applications"));
    }
    if (app_role_permits(req->who.role, "users.manage")) {
        struct db_stmt *st = db_prepare(app_db(req), "SELECT count(*) FROM users WHERE "
                                                     "locked_until > $1");
        if (st != NULL)
            db_bind_int(st, 1, time_now_ms());
        int64_t n = db_scalar(st);
        if (n > 0)
            json_array_append_new(items,
                                  json_pack("{s:s, s:I, s:s}", "kind", "users.locked", "count",
                                            (json_int_t)n, "link", "/console/users"));
    }
    http_json(req, 200, json_pack("{s:o}", "items", items));
    return ERR_OK;
}

static const struct http_field password_fields[] = {
    {"current_password", FT_STRING, true, 256, NULL, "the current password"},
    {"new_password", FT_STRING, true, 256, NULL, "8 to 128 characters"},
    {0},
};

static enum err h_change_password(struct http_req *req)
{
    struct db *db = app_db(req);
    struct user u;
    enum err e = user_get(db, req->who.user_id, &u);
    if (e != ERR_OK)
        return e;
    if (!password_verify(u.password_hash, http_body_str(req, "current_password"))) {
        http_field_error(req, "current_password", "password_wrong");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    const char *pw = http_body_str(req, "new_password");
    const char *policy = password_policy(pw, u.username);
    if (policy != NULL) {
        http_field_error(req, "new_password", policy);
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    /* Every session ends (SEC-A7); the caller gets a fresh one (SEC-A4). */
    e = user_set_password(db, u.id, pw);
    char token[64], csrf[64];
    if (e == ERR_OK)
        e = session_start(db, u.id, req->ip, token, csrf);
    if (e != ERR_OK)
        return e;
    req->set_cookie = session_cookie(req, token);
    app_audit(req, "password.change", arena_printf(&req->arena, "user:%lld", (long long)u.id), "ok",
              "");
    http_json(req, 200, json_pack("{s:s}", "csrf_token", csrf));
    return ERR_OK;
}

/* --- user management (system_admin) ------------------------------------ */

static const struct http_field user_query[] = {
    {"q", FT_STRING, false, 64, NULL, "user name or display name contains"},
    {"role", FT_ENUM, false, 32, role_choices, NULL},
    {"status", FT_ENUM, false, 16, status_choices, NULL},
    {"page", FT_INT, false, 0, NULL, NULL},
    {"page_size", FT_INT, false, 0, NULL, NULL},
    {0},
};

#define USERS_WHERE                                                                                \
    " FROM users WHERE ($1 IS NULL OR instr(lower(username), lower($1)) > 0 OR "                   \
    "instr(display_name, "                                                                         \
    "$1) > 0) AND ($2 IS NULL OR role = $2) AND ($3 IS NULL OR status = $3)"

static enum err h_users_list(struct http_req *req)
{
    int64_t page, size;
    if (!http_page(req, &page, &size))
        return http_fail(req, ERR_INVALID, "validation_failed");
    const char *q = http_query_get(req, "q");
    const char *role = http_query_get(req, "role");
    const char *status = http_query_get(req, "status");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT count(*)" USERS_WHERE);
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, q, -1);
    db_bind_text(st, 2, role, -1);
    db_bind_text(st, 3, status, -1);
    int64_t total = db_scalar(st);
    st = db_prepare(db, "SELECT id, username, display_name, role, coalesce(unit_id, 0), status, "
                        "failed_count, locked_until, (SELECT name FROM units WHERE units.id = "
                        "users.unit_id)" USERS_WHERE " ORDER BY id LIMIT $4 OFFSET $5");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, q, -1);
    db_bind_text(st, 2, role, -1);
    db_bind_text(st, 3, status, -1);
    db_bind_int(st, 4, size);
    db_bind_int(st, 5, (page - 1) * size);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        struct user u;
        memset(&u, 0, sizeof(u));
        u.id = db_col_int(st, 0);
        snprintf(u.username, sizeof(u.username), "%s", db_col_text(st, 1));
        snprintf(u.display_name, sizeof(u.display_name), "%s", db_col_text(st, 2));
        snprintf(u.role, sizeof(u.role), "%s", db_col_text(st, 3));
        u.unit_id = db_col_int(st, 4);
        snprintf(u.status, sizeof(u.status), "%s", db_col_text(st, 5));
        json_t *j = user_json(&u);
        json_object_set_new(j, "locked", json_boolean(db_col_int(st, 7) > time_now_ms()));
        json_object_set_new(j, "unit_name",
                            db_col_null(st, 8) ? json_null() : json_string(db_col_text(st, 8)));
        json_array_append_new(items, j);
    }
    db_done(st);
    http_list(req, items, total, page, size);
    return ERR_OK;
}

static const struct http_field user_create_fields[] = {
    {"username", FT_STRING, true, 32, NULL, "3-32 letters, digits, _ . -"},
    {"display_name", FT_STRING, false, 64, NULL, NULL},
    {"role", FT_ENUM, true, 32, role_choices, NULL},
    {"unit_id", FT_INT, false, 0, NULL, "member unit (required for unit roles)"},
    {"password", FT_STRING, false, 256, NULL, "omit to generate one, shown once"},
    {0},
};

static int64_t body_int(struct http_req *req, const char *key)
{
    json_t *v = json_object_get(req->body, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static enum err h_users_create(struct http_req *req)
{
    const char *pw = http_body_str(req, "password");
    char generated[24];
    if (pw == NULL) {
        password_random(generated, 16);
        pw = generated;
    }
    const char *field, *msg;
    int64_t id = 0;
    enum err e =
        user_create(app_db(req), http_body_str(req, "username"), http_body_str(req, "display_name"),
                    http_body_str(req, "role"), body_int(req, "unit_id"), pw, &id, &field, &msg);
    if (field != NULL) {
        http_field_error(req, field, msg);
        return http_fail(req, e, "validation_failed");
    }
    if (e != ERR_OK)
        return e;
    struct user u;
    user_get(app_db(req), id, &u);
    app_audit(req, "user.create", arena_printf(&req->arena, "user:%lld", (long long)id), "ok",
              arena_printf(&req->arena, "role=%s", u.role));
    json_t *j = json_pack("{s:o}", "user", user_json(&u));
    if (pw == generated)
        json_object_set_new(j, "password", json_string(generated));
    req->personal = true;
    http_json(req, 201, j);
    return ERR_OK;
}

static enum err h_users_get(struct http_req *req)
{
    struct user u;
    enum err e = user_get(app_db(req), req->params[0], &u);
    if (e != ERR_OK)
        return e;
    http_json(req, 200, user_json(&u));
    return ERR_OK;
}

static const struct http_field user_update_fields[] = {
    {"display_name", FT_STRING, false, 64, NULL, NULL},
    {"role", FT_ENUM, false, 32, role_choices, NULL},
    {"unit_id", FT_INT, false, 0, NULL, "member unit; null for none"},
    {"status", FT_ENUM, false, 16, status_choices, "disabled ends every session"},
    {"person_id", FT_INT, false, 0, NULL,
     "the person the account stands for (votes and checks in as that person); 0 for none"},
    {0},
};

static enum err apply_user_update(struct http_req *req, struct db *db, struct user *u)
{
    const char *role = http_body_str(req, "role");
    const char *status = http_body_str(req, "status");
    const char *display = http_body_str(req, "display_name");
    json_t *unit = json_object_get(req->body, "unit_id");
    int64_t unit_id = unit ? (json_is_integer(unit) ? json_integer_value(unit) : 0) : u->unit_id;
    const char *new_role = role ? role : u->role;
    if (app_role_unit_scoped(new_role) && unit_id == 0)
        http_field_error(req, unit ? "unit_id" : "role", "role_needs_unit");
    if (status && strcmp(status, "disabled") == 0 && u->id == req->who.user_id)
        http_field_error(req, "status", "cannot_disable_self");
    if (req->err_fields)
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db_stmt *st = db_prepare(db, "UPDATE users SET display_name = $1, role = $2, "
                                        "unit_id = $3, updated_at = $4 WHERE id = $5");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, display ? display : u->display_name, -1);
    db_bind_text(st, 2, new_role, -1);
    if (unit_id)
        db_bind_int(st, 3, unit_id);
    db_bind_int(st, 4, time_now_ms());
    db_bind_int(st, 5, u->id);
    enum err e = db_run(st);
    if (e == ERR_CONFLICT) { /* foreign key: no such unit */
        http_field_error(req, "unit_id", "unit_missing");
        return http_fail(req, ERR_INVALID, "validation_failed");
    }
    json_t *person = json_object_get(req->body, "person_id");
    if (e == ERR_OK && person) {
        st = db_prepare(db, "UPDATE users SET person_id = nullif($1, 0) WHERE id = $2");
        db_bind_int(st, 1, json_integer_value(person));
        db_bind_int(st, 2, u->id);
        e = db_run(st);
        if (e == ERR_CONFLICT) { /* foreign key: no such person */
            http_field_error(req, "person_id", "person_missing");
            return http_fail(req, ERR_INVALID, "validation_failed");
        }
    }
    if (e == ERR_OK && status)
        e = user_set_status(db, u->id, status);
    /* A privilege change ends the user's sessions (SEC-A4). */
    if (e == ERR_OK && (strcmp(new_role, u->role) != 0 || unit_id != u->unit_id))
        e = session_end_all(db, u->id);
    return e;
}

static enum err h_users_update(struct http_req *req)
{
    struct db *db = app_db(req);
    struct user u;
    enum err e = user_get(db, req->params[0], &u);
    if (e != ERR_OK)
        return e;
    e = apply_user_update(req, db, &u);
    if (e != ERR_OK)
        return e;
    struct user after;
    user_get(db, u.id, &after);
    app_audit(req, "user.update", arena_printf(&req->arena, "user:%lld", (long long)u.id), "ok",
              arena_printf(&req->arena, "role=%s status=%s", after.role, after.status));
    http_json(req, 200, user_json(&after));
    return ERR_OK;
}

static enum err h_users_reset(struct http_req *req)
{
    struct db *db = app_db(req);
    struct user u;
    enum err e = user_get(db, req->params[0], &u);
    if (e != ERR_OK)
        return e;
    char pw[24];
    password_random(pw, 16);
    e = user_set_password(db, u.id, pw);
    if (e != ERR_OK)
        return e;
    app_audit(req, "user.password_reset", arena_printf(&req->arena, "user:%lld", (long long)u.id),
              "ok", "");
    req->personal = true;
    http_json(req, 200, json_pack("{s:s}", "password", pw));
    return ERR_OK;
}

/* --- audit log (auditor) ----------------------------------------------- */

static const struct http_field audit_query[] = {
    {"action", FT_STRING, false, 64, NULL, "action prefix, e.g. login or unit."},
    {"username", FT_STRING, false, 64, NULL, NULL},
    {"result", FT_STRING, false, 16, NULL, "ok, failed, denied, throttled"},
    {"object", FT_STRING, false, 64, NULL, "e.g. unit:12"},
    {"from", FT_DATE, false, 10, NULL, "from this day (UTC)"},
    {"to", FT_DATE, false, 10, NULL, "to this day (UTC), inclusive"},
    {"page", FT_INT, false, 0, NULL, NULL},
    {"page_size", FT_INT, false, 0, NULL, NULL},
    {0},
};

#define AUDIT_WHERE                                                                                \
    " FROM audit_log WHERE ($1 IS NULL OR action LIKE $1 || '%') AND ($2 IS NULL OR username = "   \
    "$2) AND ($3 IS NULL OR result = $3) AND ($4 IS NULL OR object = $4) AND ($5 IS NULL OR at "   \
    ">= $5) AND ($6 IS NULL OR at < $6)"

static bool day_ms(struct http_req *req, const char *key, int64_t add_days, int64_t *out)
{
    const char *v = http_query_get(req, key);
    *out = -1;
    if (v == NULL || v[0] == '\0')
        return true;
    int y, m, d;
    if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31) {
        http_field_error(req, key, "bad_date");
        return false;
    }
    /* Days since the epoch (civil calendar). */
    int yy = y - (m <= 2);
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468 + add_days;
    *out = days * 86400000;
    return true;
}

static void bind_audit_filters(struct http_req *req, struct db_stmt *st, int64_t from, int64_t to)
{
    db_bind_text(st, 1, http_query_get(req, "action"), -1);
    db_bind_text(st, 2, http_query_get(req, "username"), -1);
    db_bind_text(st, 3, http_query_get(req, "result"), -1);
    db_bind_text(st, 4, http_query_get(req, "object"), -1);
    if (from >= 0)
        db_bind_int(st, 5, from);
    if (to >= 0)
        db_bind_int(st, 6, to);
}

static enum err h_audit_list(struct http_req *req)
{
    int64_t page, size, from, to;
    bool ok = http_page(req, &page, &size);
    ok = day_ms(req, "from", 0, &from) && ok;
    ok = day_ms(req, "to", 1, &to) && ok;
    if (!ok)
        return http_fail(req, ERR_INVALID, "validation_failed");
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "SELECT count(*)" AUDIT_WHERE);
    if (st == NULL)
        return ERR_INTERNAL;
    bind_audit_filters(req, st, from, to);
    int64_t total = db_scalar(st);
    st = db_prepare(db, "SELECT id, at, coalesce(user_id, 0), username, role, "
                        "coalesce(unit_id, 0), ip, action, object, result, request_id, "
                        "detail" AUDIT_WHERE " ORDER BY id DESC LIMIT $7 OFFSET $8");
    if (st == NULL)
        return ERR_INTERNAL;
    bind_audit_filters(req, st, from, to);
    db_bind_int(st, 7, size);
    db_bind_int(st, 8, (page - 1) * size);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        char at[32];
        time_iso8601(db_col_int(st, 1), at, sizeof(at));
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                             (json_int_t)db_col_int(st, 0), "at", at, "user_id",
                             (json_int_t)db_col_int(st, 2), "username", db_col_text(st, 3), "role",
                             db_col_text(st, 4), "unit_id", (json_int_t)db_col_int(st, 5), "ip",
                             db_col_text(st, 6), "action", db_col_text(st, 7), "object",
                             db_col_text(st, 8), "result", db_col_text(st, 9), "request_id",
                             db_col_text(st, 10), "detail", db_col_text(st, 11)));
    }
    db_done(st);
    http_list(req, items, total, page, size);
    return ERR_OK;
}

static enum err h_audit_verify(struct http_req *req)
{
    int64_t rows, bad;
    const char *why;
    enum err e = audit_verify(app_db(req), &rows, &bad, &why);
    if (e != ERR_OK)
        return e;
    http_json(req, 200,
              json_pack("{s:b, s:I, s:I, s:s}", "intact", bad == 0, "rows", (json_int_t)rows,
                        "first_bad_id", (json_int_t)bad, "reason", why));
    return ERR_OK;
}

const struct http_route accounts_routes[] = {
    {HTTP_POST, "/api/v1/session", PERM_PUBLIC, h_login, "session", "Sign in", login_fields, NULL,
     NULL, true},
    {HTTP_GET, "/api/v1/session", PERM_PUBLIC, h_session_get, "session",
     "Whether the caller is signed in (never 401)"},
    {HTTP_DELETE, "/api/v1/session", PERM_SESSION, h_logout, "session", "Sign out"},
    {HTTP_GET, "/api/v1/me", PERM_SESSION, h_me, "session", "The caller's account"},
    {HTTP_GET, "/api/v1/me/todos", PERM_SESSION, h_todos, "session",
     "What waits for the caller (counts with console links)"},
    {HTTP_PUT, "/api/v1/me/password", PERM_SESSION, h_change_password, "session",
     "Change the caller's password", password_fields},
    {HTTP_GET, "/api/v1/users", "users.manage", h_users_list, "users", "List users", NULL,
     user_query},
    {HTTP_POST, "/api/v1/users", "users.manage", h_users_create, "users", "Create a user",
     user_create_fields},
    {HTTP_GET, "/api/v1/users/{id}", "users.manage", h_users_get, "users", "One user"},
    {HTTP_PATCH, "/api/v1/users/{id}", "users.manage", h_users_update, "users",
     "Change a user's name, role, unit or status", user_update_fields},
    {HTTP_POST, "/api/v1/users/{id}/password", "users.manage", h_users_reset, "users",
     "Reset a user's password (the new one is shown once)"},
    {HTTP_GET, "/api/v1/audit", "audit.read", h_audit_list, "audit", "The audit log", NULL,
     audit_query},
    {HTTP_GET, "/api/v1/audit/verify", "audit.read", h_audit_verify, "audit",
     "Verify the audit log's hash chain"},
    {0},
};
