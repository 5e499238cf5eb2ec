/*
 * cli.h - the jilian command: a table of subcommands, one file each.
 *
 * Exit codes: 0 success, 1 failure, 2 usage error, 3 invalid input data,
 * 4 an integrity check failed (audit chain, backup or restore).
 */
#ifndef JL_CLI_CLI_H
#define JL_CLI_CLI_H

#include "base/config.h"
#include "db/db.h"

#include <stdbool.h>
#include <stdint.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_INTEGRITY = 4 };

struct cli_command {
    const char *name;
    const char *usage;   /* arguments after the name */
    const char *summary; /* one line */
    int (*run)(struct config *cfg, int argc, char **argv);
};

extern const struct cli_command cli_commands[];

/* Entry point: global options, then the subcommand. */
int cli_main(int argc, char **argv);
/* Opens the data folder and the database, applying migrations and the
 * region table. Prints the problem and returns NULL on failure. */
struct db *cli_open(struct config *cfg);
/* True when argv holds --help or -h. */
bool cli_wants_help(int argc, char **argv);
/* Prints the usage of the named command to out. */
void cli_usage(const char *name);
/* Value of "--name VALUE" or "--name=VALUE" in argv, or NULL. */
const char *cli_opt(int argc, char **argv, const char *name);
bool cli_flag(int argc, char **argv, const char *name);
/* The nth argument that is not an option (skipping option values listed
 * in with_value, a space-separated list), or NULL. */
const char *cli_arg(int argc, char **argv, int n, const char *with_value);
/* Reads a whole file ("-": standard input) into b, within b's limit;
 * false when it cannot be read or is over the limit. */
struct buf;
bool cli_slurp(const char *path, struct buf *b);
/* Audit row for a command-line action (user "cli"). */
void cli_audit(struct db *db, const char *action, const char *object, const char *detail);
/* Draws a progress bar on stderr when it is a terminal, else nothing. */
void cli_progress(void *arg, int64_t done, int64_t total);

int cmd_serve(struct config *cfg, int argc, char **argv);
int cmd_init(struct config *cfg, int argc, char **argv);
int cmd_migrate(struct config *cfg, int argc, char **argv);
int cmd_user(struct config *cfg, int argc, char **argv);
int cmd_import(struct config *cfg, int argc, char **argv);
int cmd_export(struct config *cfg, int argc, char **argv);
int cmd_backup(struct config *cfg, int argc, char **argv);
int cmd_restore(struct config *cfg, int argc, char **argv);
int cmd_audit(struct config *cfg, int argc, char **argv);
int cmd_match(struct config *cfg, int argc, char **argv);
int cmd_search(struct config *cfg, int argc, char **argv);
int cmd_version(struct config *cfg, int argc, char **argv);
int cmd_help(struct config *cfg, int argc, char **argv);

#endif
