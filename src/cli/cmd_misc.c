/*
 * cmd_misc.c - `jilian import | export | backup | restore | audit verify`.
 */
#include "cli/cli.h"
#include "modules/accounts/accounts.h"
#include "modules/app.h"
#include "modules/directory/directory.h"
#include "modules/news/news.h"
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_errors(json_t *report)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(report, "errors"), i, e)
    {
        fprintf(stderr, "  row %lld, %s: %s\n",
                (long long)json_integer_value(json_object_get(e, "row")),
                json_string_value(json_object_get(e, "field")),
                json_string_value(json_object_get(e, "message")));
    }
}

/* `import articles FILE... [--kind KIND] [--dry-run]`: each file a draft,
 * all or none; a report line per file. */
static int import_articles(struct config *cfg, int argc, char **argv)
{
    const char *kind = cli_opt(argc, argv, "--kind");
    if (kind == NULL)
        kind = "news";
    if (strcmp(kind, "news") != 0 && strcmp(kind, "notice") != 0 && strcmp(kind, "policy") != 0) {
        fprintf(stderr, "jilian import: --kind is news, notice or policy\n");
        return EXIT_USAGE;
    }
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    bool dry = cli_flag(argc, argv, "--dry-run");
    enum err e = db_begin(db);
    int files = 0, bad = 0;
    for (const char *file; e == ERR_OK && (file = cli_arg(argc, argv, 1 + files, "--kind"));
         files++) {
        struct buf b;
        buf_init(&b, 4 << 20);
        struct news_import im;
        if (!cli_slurp(file, &b)) {
            printf("%s: cannot read it (or over 4 MiB)\n", file);
            bad++;
        } else if (!news_import_convert(file, b.data ? b.data : "", b.len, &im)) {
            printf("%s: %s\n", file, i18n_text(LANG_EN, im.warnings));
            bad++;
        } else {
            int64_t id = 0;
            if (!dry)
                e = news_import_store(db, &im, kind, 0, &id);
            printf("%s: \"%s\"%s\n", file, im.title, dry ? "" : " imported as a draft");
            news_import_cleanup(&im);
        }
        buf_cleanup(&b);
    }
    if (e == ERR_OK && !dry && bad == 0 && files > 0)
        cli_audit(db, "article.import", "articles", kind);
    if (e == ERR_OK && !dry && bad == 0)
        e = db_commit(db);
    else
        db_rollback(db);
    db_close(db);
    if (files == 0) {
        cli_usage("import");
        return EXIT_USAGE;
    }
    if (bad > 0 || e != ERR_OK) {
        fprintf(stderr, "jilian import: nothing imported (%d of %d files refused)\n", bad, files);
        return bad > 0 ? EXIT_DATA : EXIT_FAIL;
    }
    return EXIT_OK;
}

int cmd_import(struct config *cfg, int argc, char **argv)
{
    const char *what = cli_arg(argc, argv, 0, NULL), *file = cli_arg(argc, argv, 1, NULL);
    if (what != NULL && strcmp(what, "articles") == 0)
        return import_articles(cfg, argc, argv);
    if (what == NULL || file == NULL || strcmp(what, "units") != 0) {
        cli_usage("import");
        return EXIT_USAGE;
    }
    struct buf b;
    buf_init(&b, 64 * 1024 * 1024);
    if (!cli_slurp(file, &b)) {
        fprintf(stderr, "jilian import: cannot read %s\n", file);
        buf_cleanup(&b);
        return EXIT_FAIL;
    }
    struct db *db = cli_open(cfg);
    if (db == NULL) {
        buf_cleanup(&b);
        return EXIT_FAIL;
    }
    bool dry = cli_flag(argc, argv, "--dry-run");
    json_t *report = NULL;
    enum err e = db_begin(db);
    if (e == ERR_OK)
        e = units_import_csv(db, b.data ? b.data : "", b.len, dry, LANG_EN, &report, cli_progress,
                             NULL);
    if (e == ERR_OK && !dry)
        cli_audit(db, "units.import", "units", file);
    if (e == ERR_OK)
        e = db_commit(db);
    else
        db_rollback(db);
    int rc = EXIT_OK;
    if (report != NULL) {
        printf("%lld rows, %lld valid%s\n",
               (long long)json_integer_value(json_object_get(report, "rows")),
               (long long)json_integer_value(json_object_get(report, "valid")),
               dry ? " (dry run: nothing written)" : (e == ERR_OK ? ", imported" : ""));
        print_errors(report);
    }
    if (e != ERR_OK) {
        fprintf(stderr, "jilian import: nothing imported\n");
        rc = e == ERR_INVALID ? EXIT_DATA : EXIT_FAIL;
    }
    json_decref(report);
    buf_cleanup(&b);
    db_close(db);
    return rc;
}

int cmd_export(struct config *cfg, int argc, char **argv)
{
    const char *what = cli_arg(argc, argv, 0, "--format --out");
    const char *fmt = cli_opt(argc, argv, "--format");
    const char *out = cli_opt(argc, argv, "--out");
    if (what == NULL || strcmp(what, "units") != 0 ||
        (fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "xlsx") != 0)) {
        cli_usage("export");
        return EXIT_USAGE;
    }
    bool xlsx = fmt && strcmp(fmt, "xlsx") == 0;
    if (xlsx && out == NULL) {
        fprintf(stderr, "jilian export: --out FILE is needed for xlsx\n");
        return EXIT_USAGE;
    }
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    struct db_stmt *st = db_prepare(db, "SELECT u.id, u.name, u.short_name, u.kind, u.uscc, "
                                        "u.city, c.name, u.role, u.status, u.joined, u.address, "
                                        "u.website FROM units u JOIN regions c ON c.code = "
                                        "u.city ORDER BY u.id");
    static const char *const cols[] = {"id",     "name",   "short_name", "kind",
                                       "uscc",   "city",   "city_name",  "role",
                                       "status", "joined", "address",    "website"};
    json_t *rows = json_array();
    while (st && db_step(st) == DB_ROW) {
        json_t *r = json_pack("{s:I}", "id", (json_int_t)db_col_int(st, 0));
        for (int i = 1; i < 12; i++)
            json_object_set_new(r, cols[i], json_string(db_col_text(st, i)));
        json_array_append_new(rows, r);
    }
    db_done(st);
    char *data = NULL;
    size_t len = 0;
    int rc = EXIT_FAIL;
    if (units_export(db, rows, xlsx, &data, &len) == ERR_OK) {
        FILE *f = out ? fopen(out, "wb") : stdout;
        if (f != NULL && fwrite(data, 1, len, f) == len)
            rc = EXIT_OK;
        if (f != NULL && f != stdout)
            rc = fclose(f) == 0 ? rc : EXIT_FAIL;
        cli_audit(db, "units.export", "units", xlsx ? "xlsx" : "csv");
    }
    if (rc != EXIT_OK)
        fprintf(stderr, "jilian export: cannot write the export\n");
    free(data);
    json_decref(rows);
    db_close(db);
    return rc;
}

int cmd_backup(struct config *cfg, int argc, char **argv)
{
    const char *file = cli_arg(argc, argv, 0, NULL);
    if (file == NULL) {
        cli_usage("backup");
        return EXIT_USAGE;
    }
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    cli_audit(db, "backup", file, "");
    enum err e = db_backup(db, file);
    db_close(db);
    if (e != ERR_OK) {
        fprintf(stderr, "jilian backup: failed (%s)\n", err_name(e));
        return EXIT_FAIL;
    }
    enum err oe;
    struct db *check = db_open(file, &oe);
    bool ok = check != NULL && db_check_integrity(check);
    db_close(check);
    if (!ok) {
        fprintf(stderr, "jilian backup: the copy failed its integrity check\n");
        return EXIT_INTEGRITY;
    }
    printf("backup written to %s (integrity ok)\n", file);
    return EXIT_OK;
}

int cmd_restore(struct config *cfg, int argc, char **argv)
{
    const char *file = cli_arg(argc, argv, 0, NULL);
    char err[256];
    if (file == NULL) {
        cli_usage("restore");
        return EXIT_USAGE;
    }
    if (access(file, R_OK) != 0) {
        fprintf(stderr, "jilian restore: cannot read %s\n", file);
        return EXIT_FAIL;
    }
    if (!config_load(cfg, err, sizeof(err)) || !app_open(cfg))
        return EXIT_FAIL;
    if (!app_lock_data(true)) {
        fprintf(stderr, "jilian restore: a server is running on %s; stop it first\n",
                cfg->data_dir);
        return EXIT_FAIL;
    }
    enum err e;
    struct db *src = db_open(file, &e);
    if (src == NULL || !db_check_integrity(src)) {
        fprintf(stderr, "jilian restore: %s failed its integrity check; nothing changed\n", file);
        db_close(src);
        return EXIT_INTEGRITY;
    }
    /* The old write-ahead log must not be replayed onto the restored file. */
    char wal[700], shm[700];
    snprintf(wal, sizeof(wal), "%s-wal", app_db_path());
    snprintf(shm, sizeof(shm), "%s-shm", app_db_path());
    unlink(wal);
    unlink(shm);
    e = db_backup(src, app_db_path());
    db_close(src);
    if (e != ERR_OK) {
        fprintf(stderr, "jilian restore: failed (%s)\n", err_name(e));
        return EXIT_FAIL;
    }
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    cli_audit(db, "restore", file, "");
    db_close(db);
    printf("database restored from %s\n", file);
    return EXIT_OK;
}

int cmd_audit(struct config *cfg, int argc, char **argv)
{
    const char *sub = cli_arg(argc, argv, 0, NULL);
    if (sub == NULL || strcmp(sub, "verify") != 0) {
        cli_usage("audit");
        return EXIT_USAGE;
    }
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    int64_t rows, bad;
    const char *why;
    enum err e = audit_verify(db, &rows, &bad, &why);
    db_close(db);
    if (e != ERR_OK)
        return EXIT_FAIL;
    if (bad != 0) {
        printf("audit log NOT intact: %s at row %lld (%lld rows before it are intact)\n", why,
               (long long)bad, (long long)rows);
        return EXIT_INTEGRITY;
    }
    printf("audit log intact: %lld rows\n", (long long)rows);
    return EXIT_OK;
}
