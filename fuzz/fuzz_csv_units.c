/*
 * fuzz_csv_units.c - the CSV unit import (SECURITY.md F2) in dry-run mode:
 * units_import_csv() on the input as is, and again behind the valid header
 * line so the fuzzer reaches row validation (unit_validate, ids, regions,
 * uniqueness) at once.
 *
 * The database is an in-memory SQLite opened once, migrated, with the
 * regions and the demo units loaded (so "uscc_taken"/"name_taken" are
 * reachable). A dry run must write nothing, so the state is the same for
 * every input and runs stay deterministic.
 *
 * Invariants checked besides the sanitizers: the report is
 * {rows, valid, dry_run: true, imported: false, errors: [...]}, valid <= rows,
 * at most 1000 errors each {row, field, message}, ERR_OK exactly when there
 * are no errors, and the units table is unchanged with no open transaction.
 */
#include "base/log.h"
#include "db/db.h"
#include "modules/directory/directory.h"
#include "modules/search/search.h"

#include "fuzz_common.h"

#include <string.h>

static struct db *db;
static int64_t units_before;

static const char header[] =
    "name,short_name,kind,uscc,city,role,status,joined,address,website,intro\n";

static int64_t count_units(void)
{
    struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM units");
    FUZZ_CHECK(st != NULL);
    return db_scalar(st);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_ERROR);
    json_object_seed(1);
    enum err e = ERR_INTERNAL;
    search_install(); /* the migrations index with its tokenizer */
    db = db_open(":memory:", &e);
    FUZZ_CHECK(db != NULL && e == ERR_OK);
    int applied = 0, regions = 0, units = 0, people = 0;
    FUZZ_CHECK(db_migrate(db, &applied) == ERR_OK && applied > 0);
    FUZZ_CHECK(regions_load(db, &regions) == ERR_OK && regions > 0);
    FUZZ_CHECK(directory_demo_load(db, &units, &people) == ERR_OK && units > 0);
    units_before = count_units();
    return 0;
}

static void check_report(json_t *report, enum err e)
{
    FUZZ_CHECK(json_is_object(report));
    json_t *rows = json_object_get(report, "rows"), *valid = json_object_get(report, "valid");
    json_t *errors = json_object_get(report, "errors");
    FUZZ_CHECK(json_is_integer(rows) && json_is_integer(valid) && json_is_array(errors));
    FUZZ_CHECK(json_integer_value(valid) >= 0);
    FUZZ_CHECK(json_integer_value(valid) <= json_integer_value(rows));
    FUZZ_CHECK(json_is_true(json_object_get(report, "dry_run")));
    FUZZ_CHECK(json_is_false(json_object_get(report, "imported")));
    FUZZ_CHECK(json_array_size(errors) <= 1000);
    FUZZ_CHECK((e == ERR_OK) == (json_array_size(errors) == 0));
    FUZZ_CHECK(e == ERR_OK || e == ERR_INVALID);
    size_t i;
    json_t *err;
    json_array_foreach(errors, i, err)
    {
        FUZZ_CHECK(json_is_integer(json_object_get(err, "row")));
        FUZZ_CHECK(json_integer_value(json_object_get(err, "row")) >= 0);
        FUZZ_CHECK(json_is_string(json_object_get(err, "field")));
        FUZZ_CHECK(json_is_string(json_object_get(err, "message")));
    }
    /* The report goes out as JSON: it must serialise. */
    char *s = json_dumps(report, JSON_COMPACT);
    FUZZ_CHECK(s != NULL);
    free(s);
}

static void import(const char *csv, size_t len)
{
    json_t *report = NULL;
    enum err e = units_import_csv(db, csv, len, true, LANG_EN, &report, NULL, NULL);
    check_report(report, e);
    json_decref(report);
    FUZZ_CHECK(!db_in_txn(db));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    import((const char *)data, size);

    /* Behind the header, in a buffer of exactly the bytes (no NUL). */
    size_t hn = sizeof(header) - 1;
    char *buf = malloc(hn + size);
    memcpy(buf, header, hn);
    if (size > 0)
        memcpy(buf + hn, data, size);
    import(buf, hn + size);
    free(buf);

    FUZZ_CHECK(count_units() == units_before); /* a dry run writes nothing */
    return 0;
}
