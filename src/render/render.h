/*
 * render.h - jilian-render: the helper program the server runs as a child
 * process for work done by libraries kept out of the server (Cairo, Pango,
 * fontconfig, libgd). One job per process: the input on stdin, the result
 * on stdout, exit status 0 on success.
 *
 *   jilian-render letter   letter fields (JSON) -> appointment letter (PDF)
 *   jilian-render thumb    image (PNG, JPEG, GIF, WebP) -> thumbnail (PNG)
 */
#ifndef JL_RENDER_RENDER_H
#define JL_RENDER_RENDER_H

enum { RENDER_OK = 0, RENDER_FAIL = 1, RENDER_USAGE = 2, RENDER_DATA = 3 };

/* Each reads stdin, writes stdout and ends the process with _exit(). */
int render_letter(void);
int render_thumb(void);

#endif
