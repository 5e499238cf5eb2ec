/* cmd_user.c - `jilian user add|passwd|disable|enable|list`. */
#include "cli/cli.h"
#include "modules/accounts/accounts.h"
#include "modules/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one line (the password) from stdin into out. */
static bool read_password(char *out, size_t cap)
{
    if (fgets(out, (int)cap, stdin) == NULL)
        return false;
    size_t n = strcspn(out, "\r\n");
    if (out[n] == '\0' && n == cap - 1)
        return false; /* longer than the buffer: refuse rather than truncate */
    out[n] = '\0';
    return true;
}

static bool get_password(int argc, char **argv, char *pw, size_t cap, bool *generated)
{
    *generated = !cli_flag(argc, argv, "--password-stdin");
    if (*generated) {
        password_random(pw, 16);
        return true;
    }
    if (!read_password(pw, cap)) {
        fprintf(stderr, "jilian user: no password on standard input\n");
        return false;
    }
    return true;
}

static int user_add(struct db *db, int argc, char **argv)
{
    const char *name = cli_arg(argc, argv, 1, "--role --unit --display");
    const char *role = cli_opt(argc, argv, "--role");
    const char *unit = cli_opt(argc, argv, "--unit");
    if (name == NULL || role == NULL) {
        cli_usage("user");
        return EXIT_USAGE;
    }
    char pw[1024];
    bool generated;
    if (!get_password(argc, argv, pw, sizeof(pw), &generated))
        return EXIT_DATA;
    const char *field, *msg;
    int64_t id;
    enum err e = user_create(db, name, cli_opt(argc, argv, "--display"), role,
                             unit ? atoll(unit) : 0, pw, &id, &field, &msg);
    if (e != ERR_OK) {
        fprintf(stderr, "jilian user add: %s: %s\n", field ? field : "error",
                msg ? i18n_text(LANG_EN, msg) : err_name(e));
        return e == ERR_INVALID || e == ERR_CONFLICT ? EXIT_DATA : EXIT_FAIL;
    }
    cli_audit(db, "user.create", name, role);
    printf("user %s (%s) created, id %lld\n", name, role, (long long)id);
    if (generated)
        printf("password (shown once): %s\n", pw);
    return EXIT_OK;
}

static int user_passwd(struct db *db, int argc, char **argv)
{
    const char *name = cli_arg(argc, argv, 1, NULL);
    struct user u;
    if (name == NULL || user_get_by_name(db, name, &u) != ERR_OK) {
        fprintf(stderr, "jilian user passwd: no such user\n");
        return EXIT_DATA;
    }
    char pw[1024];
    bool generated;
    if (!get_password(argc, argv, pw, sizeof(pw), &generated))
        return EXIT_DATA;
    const char *policy = password_policy(pw, u.username);
    if (policy != NULL) {
        fprintf(stderr, "jilian user passwd: %s\n", i18n_text(LANG_EN, policy));
        return EXIT_DATA;
    }
    if (user_set_password(db, u.id, pw) != ERR_OK)
        return EXIT_FAIL;
    cli_audit(db, "user.password_reset", name, "");
    printf("password of %s changed; its sessions ended\n", name);
    if (generated)
        printf("password (shown once): %s\n", pw);
    return EXIT_OK;
}

static int user_status(struct db *db, int argc, char **argv, const char *status)
{
    const char *name = cli_arg(argc, argv, 1, NULL);
    struct user u;
    if (name == NULL || user_get_by_name(db, name, &u) != ERR_OK) {
        fprintf(stderr, "jilian user: no such user\n");
        return EXIT_DATA;
    }
    if (user_set_status(db, u.id, status) != ERR_OK)
        return EXIT_FAIL;
    cli_audit(db, "user.update", name, status);
    printf("user %s is %s\n", name, status);
    return EXIT_OK;
}

static int user_list(struct db *db)
{
    struct db_stmt *st = db_prepare(db, "SELECT id, username, role, coalesce(unit_id, 0), status "
                                        "FROM users ORDER BY id");
    if (st == NULL)
        return EXIT_FAIL;
    printf("%-5s %-20s %-16s %-6s %s\n", "id", "user", "role", "unit", "status");
    while (db_step(st) == DB_ROW)
        printf("%-5lld %-20s %-16s %-6lld %s\n", (long long)db_col_int(st, 0), db_col_text(st, 1),
               db_col_text(st, 2), (long long)db_col_int(st, 3), db_col_text(st, 4));
    db_done(st);
    return EXIT_OK;
}

int cmd_user(struct config *cfg, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : NULL;
    if (sub == NULL) {
        cli_usage("user");
        return EXIT_USAGE;
    }
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    int rc;
    if (strcmp(sub, "add") == 0)
        rc = user_add(db, argc, argv);
    else if (strcmp(sub, "passwd") == 0)
        rc = user_passwd(db, argc, argv);
    else if (strcmp(sub, "disable") == 0)
        rc = user_status(db, argc, argv, "disabled");
    else if (strcmp(sub, "enable") == 0)
        rc = user_status(db, argc, argv, "active");
    else if (strcmp(sub, "list") == 0)
        rc = user_list(db);
    else {
        cli_usage("user");
        rc = EXIT_USAGE;
    }
    db_close(db);
    return rc;
}
