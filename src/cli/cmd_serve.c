/* cmd_serve.c - `jilian serve`: the API and the console. */
#include "cli/cli.h"
#include "modules/app.h"
#include "modules/files.h"

#include <stdio.h>

int cmd_serve(struct config *cfg, int argc, char **argv)
{
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    files_sweep(db); /* stored bytes of deleted files and failed uploads */
    db_close(db);    /* each server thread opens its own connection */
    if (!app_lock_data(false)) {
        fprintf(stderr, "jilian serve: the data folder is being restored\n");
        return EXIT_FAIL;
    }
    static const char *const keys[] = {"listen", "threads", "workers", "web-root", NULL};
    static const char *const cfg_keys[] = {"listen", "threads", "workers", "web_root"};
    for (int i = 0; keys[i]; i++) {
        char opt[32];
        snprintf(opt, sizeof(opt), "--%s", keys[i]);
        const char *v = cli_opt(argc, argv, opt);
        if (v != NULL && !config_set(cfg, cfg_keys[i], v)) {
            fprintf(stderr, "jilian serve: bad value for %s\n", opt);
            return EXIT_USAGE;
        }
    }
    app_routes_register();
    http_jobs_start(cfg->workers, app_hooks());
    int rc = http_serve(cfg, app_hooks());
    http_jobs_stop();
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
