/*
 * demo.c - the demo alliance for `jilian init --demo`: the alliance
 * record, about 60 member units (data/demo/units.csv, real public names)
 * and their fictional contact people (data/demo/people.csv).
 */
#include "modules/directory/directory.h"
#include "modules/directory/internal.h"
#include "modules/pii.h"
#include "base/embed.h"
#include "base/log.h"
#include "base/time.h"

#include <stdlib.h>
#include <string.h>

const struct embedded_file *data_file(const char *name);

struct people_load {
    struct db *db;
    int count;
    enum err e;
};

static bool person_row(void *arg, int64_t row, const char *const *f, int n)
{
    struct people_load *pl = arg;
    if (row == 0 || n != 6)
        return true;
    struct db_stmt *st = db_prepare(
        pl->db, "INSERT INTO people(unit_id, name, title, email, created_at, updated_at) "
                "SELECT id, $2, $3, $4, $5, $5 FROM units WHERE uscc = $1");
    if (st == NULL) {
        pl->e = ERR_INTERNAL;
        return false;
    }
    db_bind_text(st, 1, f[0], -1);
    db_bind_text(st, 2, f[1], -1);
    db_bind_text(st, 3, f[2], -1);
    db_bind_text(st, 4, f[4], -1);
    db_bind_int(st, 5, time_now_ms());
    pl->e = db_run(st);
    if (pl->e == ERR_OK && db_changes(pl->db) == 0)
        return true; /* a person of a unit not in the demo: skipped */
    /* The identity numbers are fictional by construction: their county
     * part 9900 is assigned to no place in GB/T 2260. */
    int64_t id = db_last_id(pl->db);
    if (pl->e == ERR_OK)
        pl->e = person_store_number(pl->db, id, PII_PHONE, f[3]);
    if (pl->e == ERR_OK)
        pl->e = person_store_number(pl->db, id, PII_ID_NUMBER, f[5]);
    pl->count += pl->e == ERR_OK;
    return pl->e == ERR_OK;
}

static enum err alliance_record(struct db *db)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT OR IGNORE INTO alliance(id, name, short_name, founded, intro, updated_at) "
            "VALUES (1, $1, $2, $3, $4, $5)");
    if (st == NULL)
        return ERR_INTERNAL;
    db_bind_text(st, 1, "京津冀及周边技工教育联盟", -1);
    db_bind_text(st, 2, "技联", -1);
    db_bind_text(st, 3, "2023-04-18", -1);
    db_bind_text(st, 4,
                 "由京津冀及周边地区技工院校、职业院校、行业企业、科研院所和人力资源社会保障部门"
                 "自愿组成的技工教育合作组织，共享师资、实训基地、课程与教材，联合开展技能评价、"
                 "技能竞赛、课题研究和校企合作，促进毕业生高质量就业。",
                 -1);
    db_bind_int(st, 5, time_now_ms());
    return db_run(st);
}

enum err directory_demo_load(struct db *db, int *units, int *people)
{
    *units = *people = 0;
    const struct embedded_file *uf = data_file("units.csv"), *pf = data_file("people.csv");
    if (uf == NULL || pf == NULL)
        return ERR_INTERNAL;
    enum err e = db_begin(db);
    if (e != ERR_OK)
        return e;
    e = alliance_record(db);
    json_t *report = NULL;
    if (e == ERR_OK)
        e = units_import_csv(db, uf->data, uf->len, false, LANG_EN, &report, NULL, NULL);
    if (e != ERR_OK) {
        if (report) {
            char *s = json_dumps(report, JSON_COMPACT);
            log_error("demo: units.csv: %s", s ? s : "");
            free(s);
        }
        json_decref(report);
        db_rollback(db);
        return e;
    }
    *units = (int)json_integer_value(json_object_get(report, "valid"));
    json_decref(report);
    struct people_load pl = {db, 0, ERR_OK};
    if (!csv_each(pf->data, pf->len, person_row, &pl) || pl.e != ERR_OK) {
        db_rollback(db);
        return pl.e != ERR_OK ? pl.e : ERR_INTERNAL;
    }
    *people = pl.count;
    return db_commit(db);
}

int64_t directory_demo_unit(struct db *db, const char *kind, const char *role)
{
    struct db_stmt *st = db_prepare(db, "SELECT id FROM units WHERE kind = $1 AND ($2 IS NULL OR "
                                        "role = $2) AND status = 'active' ORDER BY id LIMIT 1");
    if (st == NULL)
        return 0;
    db_bind_text(st, 1, kind, -1);
    db_bind_text(st, 2, role, -1);
    int64_t id = db_scalar(st);
    return id;
}
