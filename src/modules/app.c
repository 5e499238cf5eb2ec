/*
 * app.c - glue between the server and the modules.
 *
 * Holds the data folder and its keys, the role -> permission table (the
 * only place roles gain rights; default deny), the hooks the server calls
 * (thread context, authentication, permission, the per-request transaction,
 * audit of refusals), and the system routes: health, OpenAPI, jobs.
 */
#include "modules/app.h"
#include "modules/accounts/accounts.h"
#include "modules/pii.h"
#include "modules/directory/directory.h"
#include "modules/governance/governance.h"
#include "modules/news/news.h"
#include "modules/placement/placement.h"
#include "modules/search/search.h"
#include "lib/text/text.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/time.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct config *the_config;
static char db_path[600];

const char *const app_roles[] = {"system_admin", "alliance_admin", "unit_admin",
                                 "teacher",      "student",        "enterprise_hr",
                                 "expert",       "auditor",        NULL};

/* Which role holds which permission. Separate duties (SEC-B5): the
 * system_admin manages accounts only, the auditor only reads the log. */
struct grant {
    const char *role;
    const char *perms; /* space-separated */
};

static const struct grant grants[] = {
    {"system_admin", "users.manage search.reindex"},
    {"alliance_admin", "alliance.manage units.create units.update units.delete units.import "
                       "units.export people.read people.write applications.review "
                       "governance.read governance.manage plan.update news.write "
                       "news.publish positions.write positions.review placement.recruit "
                       "students.read students.manage rounds.manage outcomes.read "
                       "outcomes.write"},
    {"unit_admin", "units.update people.read people.write governance.read meetings.vote "
                   "plan.update news.write news.confirm positions.write placement.recruit "
                   "students.read students.manage outcomes.read outcomes.write"},
    {"teacher", "governance.read students.read outcomes.read"},
    {"student", "governance.read placement.apply"},
    {"enterprise_hr", "governance.read positions.write placement.recruit"},
    {"expert", "governance.read meetings.vote"},
    {"auditor", "audit.read governance.read"},
};

bool app_role_valid(const char *role)
{
    for (const char *const *r = app_roles; *r; r++)
        if (strcmp(*r, role) == 0)
            return true;
    return false;
}

/* pii.read_full is granted by configuration only (pii_full_roles). */
static bool pii_full_granted(const char *role)
{
    const char *list = the_config ? the_config->pii_full_roles : "";
    size_t n = strlen(role);
    for (const char *p = list; (p = strstr(p, role)) != NULL; p += n) {
        bool start = p == list || p[-1] == ',' || p[-1] == ' ';
        bool end = p[n] == '\0' || p[n] == ',' || p[n] == ' ';
        if (start && end)
            return true;
    }
    return false;
}

bool app_role_permits(const char *role, const char *perm)
{
    if (role == NULL)
        return false; /* anonymous: public routes only */
    size_t n = strlen(perm);
    if (strcmp(perm, "pii.read_full") == 0)
        return pii_full_granted(role);
    for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
        if (strcmp(grants[i].role, role) != 0)
            continue;
        for (const char *p = grants[i].perms; (p = strstr(p, perm)) != NULL; p += n) {
            bool start = p == grants[i].perms || p[-1] == ' ';
            bool end = p[n] == '\0' || p[n] == ' ';
            if (start && end)
                return true;
        }
        return false;
    }
    return false;
}

json_t *app_role_permission_list(const char *role)
{
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(grants) / sizeof(grants[0]); i++) {
        if (strcmp(grants[i].role, role) != 0)
            continue;
        const char *p = grants[i].perms;
        while (*p) {
            size_t n = strcspn(p, " ");
            if (n > 0)
                json_array_append_new(list, json_stringn(p, n));
            p += n + (p[n] == ' ');
        }
    }
    if (pii_full_granted(role))
        json_array_append_new(list, json_string("pii.read_full"));
    return list;
}

bool app_role_unit_scoped(const char *role)
{
    return strcmp(role, "unit_admin") == 0 || strcmp(role, "teacher") == 0 ||
           strcmp(role, "student") == 0 || strcmp(role, "enterprise_hr") == 0;
}

bool app_sees_all_units(const struct http_req *req)
{
    return req->who.role != NULL && strcmp(req->who.role, "alliance_admin") == 0;
}

/* --- data folder -------------------------------------------------------- */

static bool ensure_dir(const char *path, mode_t mode)
{
    if (mkdir(path, mode) == 0 || errno == EEXIST)
        return true;
    fprintf(stderr, "jilian: cannot create %s: %s\n", path, strerror(errno));
    return false;
}

bool app_open(const struct config *cfg)
{
    the_config = cfg;
    if (sodium_init() < 0)
        return false;
    char keys[600];
    snprintf(keys, sizeof(keys), "%s/keys", cfg->data_dir);
    if (!ensure_dir(cfg->data_dir, 0750) || !ensure_dir(keys, 0700))
        return false;
    snprintf(db_path, sizeof(db_path), "%s/jilian.db", cfg->data_dir);
    unsigned char key[32];
    if (!app_key("audit", key) || !pii_init())
        return false;
    audit_init(key);
    sodium_memzero(key, sizeof(key));
    return true;
}

bool app_lock_data(bool exclusive)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/jilian.lock", the_config->data_dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return false;
    if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
        close(fd);
        return false;
    }
    return true; /* the descriptor stays open: the lock lives with the process */
}

const struct config *app_config(void)
{
    return the_config;
}

const char *app_db_path(void)
{
    return db_path;
}

struct db *app_db_connect(void)
{
    enum err e;
    return db_open(db_path, &e);
}

bool app_key(const char *name, unsigned char key[32])
{
    char path[700];
    snprintf(path, sizeof(path), "%s/keys/%s.key", the_config->data_dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, key, 32);
        close(fd);
        if (n == 32)
            return true;
        fprintf(stderr, "jilian: key file %s is damaged\n", path);
        return false;
    }
    randombytes_buf(key, 32);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, key, 32) != 32 || fsync(fd) != 0) {
        fprintf(stderr, "jilian: cannot write key %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    return true;
}

/* --- audit ---------------------------------------------------------------- */

void app_audit(struct http_req *req, const char *action, const char *object, const char *result,
               const char *detail)
{
    struct audit_entry e = {
        .user_id = req->who.user_id,
        .username = req->who.username,
        .role = req->who.role,
        .unit_id = req->who.unit_id,
        .ip = req->ip,
        .action = action,
        .object = object,
        .result = result,
        .request_id = req->request_id,
        .detail = detail,
    };
    if (audit_append(app_db(req), &e) != ERR_OK)
        log_error("audit: could not record %s (request %s)", action, req->request_id);
}

/* --- answer cache ---------------------------------------------------------- */

#define CACHE_ENTRIES 32
#define CACHE_MAX_BODY (256 * 1024)

struct cache_entry {
    char *key;
    char *body;
    size_t len;
    uint64_t version;
};

struct answer_cache {
    struct cache_entry e[CACHE_ENTRIES];
    unsigned next;
    uint64_t seen; /* data version read before the handler's queries */
};

static void cache_free(struct answer_cache *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < CACHE_ENTRIES; i++) {
        free(c->e[i].key);
        free(c->e[i].body);
    }
    free(c);
}

static char *cache_key(struct http_req *req, const char *cls)
{
    struct buf b;
    buf_init(&b, 8192);
    buf_printf(&b, "%s|%s", cls, req->path);
    for (int i = 0; i < req->query_count; i++)
        buf_printf(&b, "%c%s=%s", i ? '&' : '?', req->query[i].key, req->query[i].value);
    char *k = arena_strdup(&req->arena, buf_str(&b));
    buf_cleanup(&b);
    return k;
}

bool app_cache_answer(struct http_req *req, const char *cls)
{
    struct app_thread *t = req->thread_ctx;
    if (t->cache == NULL)
        t->cache = xcalloc(1, sizeof(*t->cache));
    char *key = cache_key(req, cls);
    /* Read before any query: a write committed while the answer is being
     * built makes the stored entry stale at once, never wrongly fresh. */
    uint64_t version = db_data_version(t->db);
    t->cache->seen = version;
    for (int i = 0; i < CACHE_ENTRIES; i++) {
        struct cache_entry *e = &t->cache->e[i];
        if (e->key == NULL || strcmp(e->key, key) != 0)
            continue;
        if (e->version != version)
            return false;
        req->out = e->body; /* copied into the response at once */
        req->out_len = e->len;
        req->out_type = "application/json; charset=utf-8";
        req->status = 200;
        return true;
    }
    return false;
}

void app_cache_keep(struct http_req *req, const char *cls)
{
    struct app_thread *t = req->thread_ctx;
    if (req->json == NULL || req->status != 200)
        return;
    char *body = json_dumps(req->json, JSON_COMPACT);
    if (body == NULL)
        return;
    size_t len = strlen(body);
    if (t->cache == NULL)
        return;
    struct cache_entry *e = &t->cache->e[t->cache->next++ % CACHE_ENTRIES];
    free(e->key);
    free(e->body);
    e->key = xstrdup(cache_key(req, cls));
    e->body = body;
    e->len = len;
    e->version = t->cache->seen;
    if (len > CACHE_MAX_BODY) { /* too big to keep: send it and forget it */
        free(e->key);
        e->key = NULL;
        req->out = arena_strndup(&req->arena, body, len);
        free(body);
        e->body = NULL;
    } else {
        req->out = e->body;
    }
    req->out_len = len;
    req->out_type = "application/json; charset=utf-8";
    json_decref(req->json);
    req->json = NULL;
}

/* --- hooks ------------------------------------------------------------------ */

static void *thread_init(void)
{
    struct app_thread *t = xcalloc(1, sizeof(*t));
    t->db = app_db_connect();
    if (t->db == NULL) {
        log_error("app: cannot open the database %s", db_path);
        abort();
    }
    return t;
}

static void thread_cleanup(void *ctx)
{
    struct app_thread *t = ctx;
    news_views_flush(t->db, true); /* views counted in memory */
    cache_free(t->cache);
    db_close(t->db);
    free(t);
}

static void denied(struct http_req *req, enum err e)
{
    if (e == ERR_UNAUTHORIZED)
        return; /* anonymous probing is in the access log, not the audit log */
    app_audit(req, "access.denied",
              arena_printf(&req->arena, "%s %s", http_method_name(req->method), req->path),
              "denied", req->err_key ? req->err_key : "");
}

/* One transaction per request: a write is answered only after it commits
 * (SEC-E1); an error answer rolls everything back unless the route keeps
 * its effects (a failed login still counts). */
static enum err invoke(struct http_req *req)
{
    struct db *db = app_db(req);
    bool write = req->method != HTTP_GET;
    enum err e = write ? db_begin(db) : ERR_OK;
    if (e != ERR_OK)
        return e;
    e = req->route->handler(req);
    if (!write) {
        if (e == ERR_FORBIDDEN)
            denied(req, e);
        return e;
    }
    if (e == ERR_OK || req->route->keep_on_error) {
        enum err c = db_commit(db);
        if (c != ERR_OK) {
            json_decref(req->json);
            req->json = NULL;
            return c;
        }
    } else {
        db_rollback(db);
    }
    if (e == ERR_FORBIDDEN) /* a handler's refusal (e.g. the unit's kind), audited too */
        denied(req, e);
    return e;
}

static char *page_meta(struct http_req *req, const char *path)
{
    return news_page_meta(app_db(req), path, the_config->public_url);
}

static const struct http_hooks hooks = {
    .thread_init = thread_init,
    .thread_cleanup = thread_cleanup,
    .authenticate = session_authenticate,
    .permits = app_role_permits,
    .invoke = invoke,
    .denied = denied,
    .page_meta = page_meta,
};

const struct http_hooks *app_hooks(void)
{
    return &hooks;
}

/* --- jobs ------------------------------------------------------------------ */

#define LIVE_SLOTS 64

struct live_progress {
    int64_t id, done, total;
};

static struct live_progress live[LIVE_SLOTS];
static pthread_mutex_t live_mu = PTHREAD_MUTEX_INITIALIZER;

int64_t app_job_create(struct http_req *req, const char *kind)
{
    struct db *db = app_db(req);
    struct db_stmt *st = db_prepare(db, "INSERT INTO jobs(kind, user_id, unit_id, created_at) "
                                        "VALUES ($1, $2, $3, $4)");
    if (st == NULL)
        return 0;
    db_bind_text(st, 1, kind, -1);
    db_bind_int(st, 2, req->who.user_id);
    if (req->who.unit_id)
        db_bind_int(st, 3, req->who.unit_id);
    db_bind_int(st, 4, time_now_ms());
    return db_run(st) == ERR_OK ? db_last_id(db) : 0;
}

void app_job_caller(const struct http_req *req, struct app_job_caller *c)
{
    memset(c, 0, sizeof(*c));
    c->user_id = req->who.user_id;
    c->unit_id = req->who.unit_id;
    snprintf(c->username, sizeof(c->username), "%s", req->who.username ? req->who.username : "");
    snprintf(c->role, sizeof(c->role), "%s", req->who.role ? req->who.role : "");
    snprintf(c->ip, sizeof(c->ip), "%s", req->ip);
    snprintf(c->request_id, sizeof(c->request_id), "%s", req->request_id);
    c->lang = req->lang;
}

enum err app_job_audit(struct db *db, const struct app_job_caller *c, const char *action,
                       const char *object, const char *result, const char *detail)
{
    struct audit_entry a = {c->user_id, c->username, c->role,       c->unit_id, c->ip,
                            action,     object,      result,        c->request_id, detail};
    return audit_append(db, &a);
}

void app_job_started(struct db *db, int64_t id)
{
    struct db_stmt *st =
        db_prepare(db, "UPDATE jobs SET state = 'running', started_at = $1 WHERE id = $2");
    if (st == NULL)
        return;
    db_bind_int(st, 1, time_now_ms());
    db_bind_int(st, 2, id);
    db_run(st);
}

void app_job_progress(int64_t id, int64_t done, int64_t total)
{
    pthread_mutex_lock(&live_mu);
    struct live_progress *p = &live[id % LIVE_SLOTS];
    p->id = id;
    p->done = done;
    p->total = total;
    pthread_mutex_unlock(&live_mu);
}

static bool live_get(int64_t id, int64_t *done, int64_t *total)
{
    pthread_mutex_lock(&live_mu);
    struct live_progress *p = &live[id % LIVE_SLOTS];
    bool found = p->id == id;
    if (found) {
        *done = p->done;
        *total = p->total;
    }
    pthread_mutex_unlock(&live_mu);
    return found;
}

void app_job_finish(struct db *db, int64_t id, bool ok, const char *message, json_t *result)
{
    char *text = result ? json_dumps(result, JSON_COMPACT) : NULL;
    int64_t done = 0, total = 0;
    live_get(id, &done, &total);
    struct db_stmt *st = db_prepare(db, "UPDATE jobs SET state = $1, message = $2, result = $3, "
                                        "progress_done = $4, progress_total = $5, finished_at = "
                                        "$6 WHERE id = $7");
    if (st != NULL) {
        db_bind_text(st, 1, ok ? "done" : "failed", -1);
        db_bind_text(st, 2, message ? message : "", -1);
        db_bind_text(st, 3, text ? text : "{}", -1);
        db_bind_int(st, 4, done);
        db_bind_int(st, 5, total);
        db_bind_int(st, 6, time_now_ms());
        db_bind_int(st, 7, id);
        if (db_run(st) != ERR_OK)
            log_error("jobs: cannot record the end of job %lld", (long long)id);
    }
    free(text);
}

/* --- system routes ------------------------------------------------------- */

static enum err h_health(struct http_req *req)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    req->out = ok;
    req->out_len = sizeof(ok) - 1;
    req->out_type = "application/json; charset=utf-8";
    return ERR_OK;
}

static enum err h_openapi(struct http_req *req)
{
    http_json(req, 200, http_openapi("jilian API", APP_VERSION));
    return ERR_OK;
}

static enum err h_job(struct http_req *req)
{
    struct db *db = app_db(req);
    struct db_stmt *st =
        db_prepare(db, "SELECT id, kind, state, progress_done, progress_total, message, result, "
                       "coalesce(user_id, 0), created_at FROM jobs WHERE id = $1");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_int(st, 1, req->params[0]);
    enum err e = ERR_NOT_FOUND;
    if (db_step(st) == DB_ROW &&
        (db_col_int(st, 7) == req->who.user_id || app_sees_all_units(req))) {
        json_error_t jerr;
        json_t *result = json_loads(db_col_text(st, 6), 0, &jerr);
        int64_t done = db_col_int(st, 3), total = db_col_int(st, 4);
        if (strcmp(db_col_text(st, 2), "running") == 0)
            live_get(req->params[0], &done, &total);
        http_json(req, 200,
                  json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:o}", "id",
                            (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1), "state",
                            db_col_text(st, 2), "done", (json_int_t)done, "total",
                            (json_int_t)total, "message", db_col_text(st, 5), "result",
                            result ? result : json_object()));
        e = ERR_OK;
    }
    db_done(st);
    return e;
}

static const struct http_route system_routes[] = {
    {HTTP_GET, "/api/v1/health", PERM_PUBLIC, h_health, "system", "Liveness"},
    {HTTP_GET, "/api/v1/openapi.json", PERM_PUBLIC, h_openapi, "system",
     "This description (OpenAPI 3.1)"},
    {HTTP_GET, "/api/v1/jobs/{id}", PERM_SESSION, h_job, "system",
     "State and progress of a job the caller started"},
    {0},
};

void app_routes_register(void)
{
    http_routes_add(system_routes);
    http_routes_add(accounts_routes);
    http_routes_add(directory_routes);
    http_routes_add(governance_routes);
    http_routes_add(news_routes);
    http_routes_add(placement_routes);
    http_routes_add(search_routes);
}

static bool name_in(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

json_t *app_row_json(struct db_stmt *st, const char *const *bools)
{
    json_t *o = json_object();
    int n = db_col_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = db_col_name(st, i);
        json_t *v = NULL;
        switch (db_col_type(st, i)) {
        case DB_T_INT:
            v = name_in(name, bools) ? json_boolean(db_col_int(st, i) != 0)
                                     : json_integer((json_int_t)db_col_int(st, i));
            break;
        case DB_T_FLOAT:
            v = json_real(db_col_double(st, i));
            break;
        case DB_T_TEXT:
            v = json_string(db_col_text(st, i));
            break;
        case DB_T_NULL:
            v = name_in(name, bools) ? json_false() : json_null();
            break;
        case DB_T_BLOB:
            break;
        }
        if (v != NULL)
            json_object_set_new(o, name, v);
    }
    return o;
}

json_t *app_rows_json(struct db_stmt *st, const char *const *bools)
{
    json_t *a = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(a, app_row_json(st, bools));
    db_done(st);
    return a;
}

void app_search_bind(struct db_stmt *st, int n, const char *typed)
{
    char *q = typed && typed[0] ? text_fts_query(typed, strlen(typed), "{title keys} : ") : NULL;
    db_bind_text(st, n, q, -1);
    free(q);
}

json_t *app_row_one(struct db_stmt *st, const char *const *bools)
{
    json_t *row = db_step(st) == DB_ROW ? app_row_json(st, bools) : NULL;
    db_done(st);
    return row;
}
