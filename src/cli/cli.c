/*
 * cli.c - global options, the command table and shared helpers.
 *
 * usage: jilian [--data DIR] COMMAND [ARGS...]
 */
#include "cli/cli.h"
#include "modules/search/search.h"
#include "base/buf.h"
#include "modules/accounts/accounts.h"
#include "modules/app.h"
#include "modules/pii.h"
#include "modules/directory/directory.h"
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct cli_command cli_commands[] = {
    {"serve", "[--listen HOST:PORT] [--threads N] [--workers N]", "serve the API and the console",
     cmd_serve},
    {"init", "[--demo]", "create the database; --demo adds a demo alliance and logins", cmd_init},
    {"migrate", "", "apply pending database migrations", cmd_migrate},
    {"user",
     "add NAME --role ROLE [--unit ID] [--display NAME] [--password-stdin] | passwd NAME "
     "[--password-stdin] | disable NAME | enable NAME | list",
     "manage user accounts", cmd_user},
    {"import", "units FILE.csv [--dry-run] | articles FILE... [--kind news|notice|policy] [--dry-run]",
     "import member units (all rows or none), or articles as drafts (text, Markdown, HTML)",
     cmd_import},
    {"export", "units [--format csv|xlsx] [--out FILE]", "export member units", cmd_export},
    {"backup", "FILE", "online backup of the database to FILE", cmd_backup},
    {"restore", "FILE", "replace the database with a checked backup (server stopped)", cmd_restore},
    {"audit", "verify", "verify the audit log's hash chain", cmd_audit},
    {"match", "--students S.csv --positions P.csv --out R.csv [--explain E.csv]",
     "place students in positions: the stable matching best for students (no data folder)",
     cmd_match},
    {"search", "reindex", "rebuild the search index, with a progress bar", cmd_search},
    {"version", "", "print the version", cmd_version},
    {"help", "[COMMAND]", "show help", cmd_help},
    {0},
};

static const struct cli_command *find(const char *name)
{
    for (const struct cli_command *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

void cli_usage(const char *name)
{
    const struct cli_command *c = find(name);
    if (c != NULL)
        printf("usage: jilian [--data DIR] %s %s\n  %s\n", c->name, c->usage, c->summary);
}

int cmd_help(struct config *cfg, int argc, char **argv)
{
    (void)cfg;
    if (argc > 1 && find(argv[1])) {
        cli_usage(argv[1]);
        return EXIT_OK;
    }
    printf("jilian %s - the platform of a technical-education alliance\n\n"
           "usage: jilian [--data DIR] COMMAND [ARGS...]\n\n"
           "  --data DIR   data folder (database, keys); default ./var\n\ncommands:\n",
           APP_VERSION);
    for (const struct cli_command *c = cli_commands; c->name; c++)
        printf("  %-9s %s\n", c->name, c->summary);
    printf("\nexit codes: 0 ok, 1 failure, 2 usage, 3 invalid data, 4 integrity check failed\n"
           "'jilian COMMAND --help' shows a command's arguments.\n");
    return EXIT_OK;
}

int cmd_version(struct config *cfg, int argc, char **argv)
{
    (void)cfg, (void)argc, (void)argv;
    printf("jilian %s\n", APP_VERSION);
    return EXIT_OK;
}

bool cli_wants_help(int argc, char **argv)
{
    return cli_flag(argc, argv, "--help") || cli_flag(argc, argv, "-h");
}

const char *cli_opt(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], name) == 0)
            return i + 1 < argc ? argv[i + 1] : NULL;
        if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=')
            return argv[i] + n + 1;
    }
    return NULL;
}

bool cli_flag(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return true;
    return false;
}

const char *cli_arg(int argc, char **argv, int n, const char *with_value)
{
    int seen = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1] == '-') {
            char opt[64];
            snprintf(opt, sizeof(opt), " %s ", argv[i]);
            char list[256];
            snprintf(list, sizeof(list), " %s ", with_value ? with_value : "");
            if (strchr(argv[i], '=') == NULL && strstr(list, opt) != NULL)
                i++;
            continue;
        }
        if (seen++ == n)
            return argv[i];
    }
    return NULL;
}

struct db *cli_open(struct config *cfg)
{
    char err[256];
    if (!config_load(cfg, err, sizeof(err))) {
        fprintf(stderr, "jilian: %s\n", err);
        return NULL;
    }
    if (!app_open(cfg))
        return NULL;
    struct db *db = app_db_connect();
    if (db == NULL) {
        fprintf(stderr, "jilian: cannot open %s\n", app_db_path());
        return NULL;
    }
    int applied = 0, regions = 0, sealed = 0;
    if (db_migrate(db, &applied) != ERR_OK || regions_load(db, &regions) != ERR_OK ||
        pii_backfill(db, &sealed) != ERR_OK || search_flush(db, NULL, NULL) != ERR_OK) {
        fprintf(stderr, "jilian: cannot prepare the database %s\n", app_db_path());
        db_close(db);
        return NULL;
    }
    return db;
}

bool cli_slurp(const char *path, struct buf *b)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return false;
    char chunk[65536];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ok = buf_append(b, chunk, n);
    ok = ok && !ferror(f);
    if (f != stdin)
        fclose(f);
    return ok;
}

void cli_audit(struct db *db, const char *action, const char *object, const char *detail)
{
    struct audit_entry e = {.username = "cli",
                            .role = "cli",
                            .ip = "local",
                            .action = action,
                            .object = object,
                            .result = "ok",
                            .detail = detail};
    if (audit_append(db, &e) != ERR_OK)
        fprintf(stderr, "jilian: could not write the audit row for %s\n", action);
}

void cli_progress(void *arg, int64_t done, int64_t total)
{
    (void)arg;
    if (!isatty(2) || total <= 0)
        return;
    int width = 40, filled = (int)(done * width / total);
    fprintf(stderr, "\r[%.*s%*s] %lld/%lld", filled, "########################################",
            width - filled, "", (long long)done, (long long)total);
    if (done == total)
        fputc('\n', stderr);
}

int cli_main(int argc, char **argv)
{
    const char *data = "./var";
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--data=", 7) == 0) {
            data = argv[i] + 7;
            i++;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return cmd_help(NULL, 0, NULL);
        } else if (strcmp(argv[i], "--version") == 0) {
            return cmd_version(NULL, 0, NULL);
        } else {
            fprintf(stderr, "jilian: unknown option %s (try 'jilian help')\n", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (i >= argc)
        return cmd_help(NULL, 0, NULL), EXIT_USAGE;
    const struct cli_command *c = find(argv[i]);
    if (c == NULL) {
        fprintf(stderr, "jilian: unknown command %s (try 'jilian help')\n", argv[i]);
        return EXIT_USAGE;
    }
    if (c->run != cmd_help && cli_wants_help(argc - i, argv + i)) {
        cli_usage(c->name);
        return EXIT_OK;
    }
    search_install(); /* before any database is opened */
    struct config cfg;
    config_defaults(&cfg, data);
    return c->run(&cfg, argc - i, argv + i);
}
