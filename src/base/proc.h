/*
 * proc.h - run a helper process with input on its stdin and collect its
 * stdout, bounded in size and time.
 *
 * For work done by libraries better kept out of the server's address space
 * (the PDF renderer: its fonts and caches, and any crash, stay in the
 * child). posix_spawn, so it is safe from a multithreaded process.
 */
#ifndef JL_BASE_PROC_H
#define JL_BASE_PROC_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Runs argv[0] (a path) with argv, writes in[0..in_len) to its stdin and
 * closes it, and appends its stdout to out (at most out->max bytes; more
 * fails). Its stderr is the caller's. Kills the child after timeout_ms.
 * Returns true when the child exited with status 0 within the time and
 * the output fit. */
bool proc_run(const char *const argv[], const void *in, size_t in_len, struct buf *out,
              int timeout_ms);

/* The path of the program `name` installed beside the running one (for
 * "jilian-render": /usr/bin/jilian-render next to /usr/bin/jilian) into
 * out. False when it cannot be found out. */
bool proc_sibling(const char *name, char *out, size_t cap);

#endif
