/* main.c - the jilian program: everything happens in cli_main(). */
#include "cli/cli.h"

#include <sys/stat.h>

int main(int argc, char **argv)
{
    umask(027); /* the database, its logs and backups are nobody else's */
    return cli_main(argc, argv);
}
