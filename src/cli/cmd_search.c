/*
 * cmd_search.c - `jilian search reindex`: rebuilds the whole search index
 * from the records, in one transaction, with a progress bar on a terminal.
 */
#include "cli/cli.h"
#include "modules/search/search.h"

#include <stdio.h>
#include <string.h>

int cmd_search(struct config *cfg, int argc, char **argv)
{
    const char *what = cli_arg(argc, argv, 0, NULL);
    if (what == NULL || strcmp(what, "reindex") != 0) {
        cli_usage("search");
        return EXIT_USAGE;
    }
    struct db *db = cli_open(cfg);
    if (db == NULL)
        return EXIT_FAIL;
    int64_t docs = 0;
    enum err e = search_reindex(db, cli_progress, NULL, &docs);
    if (e == ERR_OK) {
        cli_audit(db, "search.reindex", "search", "");
        printf("search index rebuilt: %lld documents\n", (long long)docs);
    } else {
        fprintf(stderr, "jilian search: the index could not be rebuilt (%s)\n", err_name(e));
    }
    db_close(db);
    return e == ERR_OK ? EXIT_OK : EXIT_FAIL;
}
