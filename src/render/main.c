/* main.c - jilian-render: see render.h. */
#include "render/render.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
    umask(027);
    if (argc == 2 && strcmp(argv[1], "letter") == 0)
        return render_letter();
    if (argc == 2 && strcmp(argv[1], "thumb") == 0)
        return render_thumb();
    fprintf(stderr, "usage: jilian-render letter|thumb  (input on stdin, result on stdout)\n");
    return RENDER_USAGE;
}
