/*
 * cmd_init.c - `jilian init [--demo]` and `jilian migrate`.
 *
 * init creates the database and a first system administrator with a random
 * password printed once (SEC-A9). --demo also loads the demo alliance and
 * one login per role; their passwords are printed and kept in
 * DATA/demo-logins.txt (mode 0600) so `make run` can show them again.
 */
#include "cli/cli.h"
#include "modules/accounts/accounts.h"
#include "modules/app.h"
#include "modules/directory/directory.h"
#include "modules/governance/governance.h"
#include "modules/news/news.h"
#include "modules/placement/placement.h"
#include "modules/search/search.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_migrate(struct config *cfg, int argc, char **argv)
{
    (void)argc, (void)argv;
    struct db *db = cli_open(cfg); /* cli_open applies the migrations */
    if (db == NULL)
        return EXIT_FAIL;
    printf("database %s is up to date\n", app_db_path());
    db_close(db);
    return EXIT_OK;
}

static int64_t count_rows(struct db *db, const char *sql)
{
    struct db_stmt *st = db_prepare(db, sql);
    int64_t n = db_scalar(st);
    return n;
}

struct demo_login {
    const char *username, *display, *role, *unit_kind, *unit_role;
};

static const struct demo_login demo_logins[] = {
    {"sysadmin", "系统管理员", "system_admin", NULL, NULL},
    {"secretariat", "联盟秘书处", "alliance_admin", NULL, NULL},
    {"unitadmin", "理事长单位管理员", "unit_admin", "technical_school", "chair"},
    {"teacher", "李老师", "teacher", "technical_school", "chair"},
    {"student", "王同学", "student", "technical_school", "chair"},
    {"recruiter", "企业招聘专员", "enterprise_hr", "enterprise", NULL},
    {"expert", "评审专家", "expert", NULL, NULL},
    {"auditor", "审计管理员", "auditor", NULL, NULL},
    {0},
};

static int add_login(struct db *db, const struct demo_login *l, FILE *keep)
{
    char pw[24];
    password_random(pw, 16);
    int64_t unit = l->unit_kind ? directory_demo_unit(db, l->unit_kind, l->unit_role) : 0;
    const char *field, *msg;
    int64_t id;
    enum err e = user_create(db, l->username, l->display, l->role, unit, pw, &id, &field, &msg);
    if (e != ERR_OK) {
        fprintf(stderr, "jilian init: cannot create %s: %s\n", l->username, msg ? msg : "error");
        return EXIT_FAIL;
    }
    cli_audit(db, "user.create", l->username, l->role);
    printf("  %-12s %-16s %s\n", l->username, l->role, pw);
    if (keep)
        fprintf(keep, "  %-12s %-16s %s\n", l->username, l->role, pw);
    return EXIT_OK;
}

static int init_demo(struct db *db)
{
    int units, people;
    if (count_rows(db, "SELECT count(*) FROM units") > 0) {
        fprintf(stderr, "jilian init: the database already has units; demo data not loaded\n");
        return EXIT_FAIL;
    }
    if (directory_demo_load(db, &units, &people) != ERR_OK) {
        fprintf(stderr, "jilian init: the demo data could not be loaded\n");
        return EXIT_FAIL;
    }
    cli_audit(db, "demo.load", "units", "demo alliance");
    printf("demo alliance: %d member units, %d contact people\n", units, people);
    char path[700];
    snprintf(path, sizeof(path), "%s/demo-logins.txt", app_config()->data_dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *keep = fd >= 0 ? fdopen(fd, "w") : NULL;
    printf("demo logins (user, role, password):\n");
    if (keep)
        fprintf(keep, "demo logins (user, role, password):\n");
    int rc = EXIT_OK;
    for (const struct demo_login *l = demo_logins; l->username && rc == EXIT_OK; l++)
        rc = add_login(db, l, keep);
    if (keep)
        fclose(keep);
    if (rc == EXIT_OK && governance_demo_load(db) != ERR_OK) {
        fprintf(stderr, "jilian init: the demo governance record could not be loaded\n");
        rc = EXIT_FAIL;
    }
    if (rc == EXIT_OK && news_demo_load(db) != ERR_OK) {
        fprintf(stderr, "jilian init: the demo articles could not be loaded\n");
        rc = EXIT_FAIL;
    }
    struct placement_demo_counts pc;
    if (rc == EXIT_OK && placement_demo_load(db, &pc) != ERR_OK) {
        fprintf(stderr, "jilian init: the demo placement record could not be loaded\n");
        rc = EXIT_FAIL;
    }
    if (rc == EXIT_OK) {
        cli_audit(db, "demo.load", "placement", "positions, students, rounds, outcomes");
        printf("demo placement: %d positions, %d students, %d rounds, %d graduates' outcomes\n",
               pc.positions, pc.students, pc.rounds, pc.outcomes);
        cli_audit(db, "demo.load", "governance", "charter, preparatory meeting, work plan");
        cli_audit(db, "demo.load", "news", "36 articles");
        if (search_flush(db, NULL, NULL) != ERR_OK) {
            fprintf(stderr, "jilian init: the demo could not be indexed for search\n");
            rc = EXIT_FAIL;
        }
        printf("demo governance: the charter, the preparatory meeting with 3 resolutions, "
               "the first council and expert committee, the 2026 work plan\n"
               "demo news: 12 news articles, 12 notices, 12 policy documents\n");
    }
    return rc;
}

int cmd_init(struct config *cfg, int argc, char **argv)
{
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    int rc = EXIT_OK;
    printf("database %s ready\n", app_db_path());
    if (cli_flag(argc, argv, "--demo")) {
        rc = init_demo(db);
    } else if (count_rows(db, "SELECT count(*) FROM users") == 0) {
        static const struct demo_login admin = {"admin", "系统管理员", "system_admin", NULL, NULL};
        printf("first administrator (user, role, password; shown once):\n");
        rc = add_login(db, &admin, NULL);
    } else {
        printf("users already exist; nothing else to do\n");
    }
    db_close(db);
    return rc;
}
