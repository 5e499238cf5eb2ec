/*
 * migrate.c - applies the numbered SQL files compiled into the binary.
 *
 * Each migration runs in its own transaction together with the row that
 * records it in schema_migrations, so a crash leaves it applied or not.
 */
#include "db/db.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/time.h"

#include <stdlib.h>

extern const struct embedded_file db_migrations[];

static long migration_version(const char *name)
{
    return strtol(name, NULL, 10);
}

static bool is_applied(struct db *db, long version)
{
    struct db_stmt *st = db_prepare(db, "SELECT 1 FROM schema_migrations WHERE version = $1");
    if (st == NULL)
        return false;
    db_bind_int(st, 1, version);
    bool found = db_step(st) == DB_ROW;
    db_done(st);
    return found;
}

static enum err apply_one(struct db *db, const struct embedded_file *m, long version)
{
    enum err e = db_begin(db);
    if (e != ERR_OK)
        return e;
    e = db_exec(db, m->data);
    if (e == ERR_OK) {
        struct db_stmt *st = db_prepare(
            db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES ($1, $2, $3)");
        if (st == NULL) {
            e = ERR_INTERNAL;
        } else {
            db_bind_int(st, 1, version);
            db_bind_text(st, 2, m->name, -1);
            db_bind_int(st, 3, time_now_ms());
            e = db_run(st);
        }
    }
    if (e == ERR_OK)
        return db_commit(db);
    db_rollback(db);
    log_error("migrate: %s failed", m->name);
    return e;
}

enum err db_migrate(struct db *db, int *applied)
{
    *applied = 0;
    enum err e = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                             "version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                             "applied_at INTEGER NOT NULL)");
    if (e != ERR_OK)
        return e;
    for (const struct embedded_file *m = db_migrations; m->name != NULL; m++) {
        long version = migration_version(m->name);
        if (version <= 0) {
            log_error("migrate: bad migration name %s", m->name);
            return ERR_INTERNAL;
        }
        if (is_applied(db, version))
            continue;
        e = apply_one(db, m, version);
        if (e != ERR_OK)
            return e;
        (*applied)++;
    }
    return ERR_OK;
}
