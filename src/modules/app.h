/*
 * app.h - what every module shares: the thread's database, the roles and
 * their permissions, the audit call, and the hooks handed to the server.
 */
#ifndef JL_MODULES_APP_H
#define JL_MODULES_APP_H

#include "base/config.h"
#include "db/db.h"
#include "http/http.h"

#include <stdbool.h>

#define APP_NAME "jilian"
#define APP_VERSION "0.1.0"

struct answer_cache;

/* A server or worker thread's context: its own connection and a small
 * cache of public answers. */
struct app_thread {
    struct db *db;
    struct answer_cache *cache;
};

/* Opens the data folder: keys, database path. Returns false with a message
 * printed when the folder cannot be used. */
bool app_open(const struct config *cfg);
const struct config *app_config(void);
/* Locks the data folder: shared by each server, exclusive for a restore,
 * which so refuses while a server runs. Held until the process ends.
 * False when the lock is taken in a conflicting way. */
bool app_lock_data(bool exclusive);
/* Path of the database file inside the data folder. */
const char *app_db_path(void);
/* A new connection to the database (caller closes). */
struct db *app_db_connect(void);
/* Loads (creating on first use, mode 0600) a 32-byte key keys/NAME.key. */
bool app_key(const char *name, unsigned char key[32]);

/* Registers every module's routes. */
void app_routes_register(void);
/* The hooks the server and the job pool call. */
const struct http_hooks *app_hooks(void);

static inline struct db *app_db(struct http_req *req)
{
    return ((struct app_thread *)req->thread_ctx)->db;
}

/* --- roles (GLOSSARY.md) --------------------------------------------- */
extern const char *const app_roles[]; /* NULL-terminated */
bool app_role_valid(const char *role);
bool app_role_permits(const char *role, const char *perm);
/* The permissions role holds, as a new JSON array of names. */
json_t *app_role_permission_list(const char *role);
/* Roles whose users belong to one member unit and see only its records. */
bool app_role_unit_scoped(const char *role);
/* True when the caller sees every unit (no tenant filter). */
bool app_sees_all_units(const struct http_req *req);

/* The current row of st as a JSON object keyed by column names (alias
 * them in SQL); integers, reals, text and NULL as such; the columns named
 * in bools (NULL-terminated, may be NULL) as true/false. Blobs are left
 * out. Returns a new reference. */
json_t *app_row_json(struct db_stmt *st, const char *const *bools);
/* Every row of st (bound, not yet stepped) as a JSON array; st is done
 * afterwards. */
json_t *app_rows_json(struct db_stmt *st, const char *const *bools);
/* The first row of st (bound, not yet stepped) as app_row_json, or NULL
 * when there is none; st is done afterwards. */
json_t *app_row_one(struct db_stmt *st, const char *const *bools);

/* --- search in list pages ---------------------------------------------------
 * A list's `q` also finds its records through the search index (either
 * script, pinyin of names; docs/search.md): APP_SEARCH_REFS(type, n) is the
 * ids of type's documents whose title or pinyin keys match parameter $n,
 * which app_search_bind() binds from the typed text (NULL when there is
 * nothing to match, so the condition should read
 * "($n IS NOT NULL AND x.id IN APP_SEARCH_REFS(..))"). */
#define APP_SEARCH_REFS(type, n)                                                                   \
    "(SELECT d.ref_id FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE "      \
    "search_fts MATCH $" #n " AND d.type = '" type "')"
void app_search_bind(struct db_stmt *st, int n, const char *typed);

/* --- audit (SEC-D1) ---------------------------------------------------- */
/* Appends an audit row for the request's caller: action like "unit.create",
 * object like "unit:12", result "ok"/"denied"/"failed", detail free text
 * (no secrets, no full personal numbers). Uses the request's transaction
 * when one is open. */
void app_audit(struct http_req *req, const char *action, const char *object, const char *result,
               const char *detail);

/* --- answer cache ------------------------------------------------------ */
/* A read-only GET whose answer depends only on its path, its query and the
 * caller's visibility class (e.g. "public" or "member") may be cached per
 * thread. The entry is valid while the database's data version is
 * unchanged, so any committed write anywhere invalidates it.
 * app_cache_answer() fills req's raw body and returns true on a hit;
 * app_cache_keep() stores req's JSON answer (and sends it as raw bytes). */
bool app_cache_answer(struct http_req *req, const char *cls);
void app_cache_keep(struct http_req *req, const char *cls);

/* --- jobs --------------------------------------------------------------- */
/* Records a queued job of kind for the caller; returns its id (0 on error). */
int64_t app_job_create(struct http_req *req, const char *kind);
/* Marks the job running (from its worker). */
void app_job_started(struct db *db, int64_t id);
/* Live progress, kept in memory so a job inside one long transaction can
 * still be watched; GET /api/v1/jobs/{id} shows it. */
void app_job_progress(int64_t id, int64_t done, int64_t total);
/* Records the outcome: state done or failed, a message and a result
 * object (borrowed). */
void app_job_finish(struct db *db, int64_t id, bool ok, const char *message, json_t *result);
/* Who started a job, copied from the request for the job's audit row
 * (written on the worker, after the request has gone). */
struct app_job_caller {
    int64_t user_id, unit_id;
    char username[64], role[32], ip[64], request_id[20];
    enum http_lang lang;
};
void app_job_caller(const struct http_req *req, struct app_job_caller *c);
/* Appends that audit row (in the connection's transaction when one is open). */
enum err app_job_audit(struct db *db, const struct app_job_caller *c, const char *action,
                       const char *object, const char *result, const char *detail);

#endif
