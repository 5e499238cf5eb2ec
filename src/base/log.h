/*
 * log.h - line-oriented logging to stderr.
 *
 * Values from outside (paths, user names, headers) must go through
 * log_escape() so a CR or LF cannot forge a log line (SEC-D4).
 */
#ifndef JL_BASE_LOG_H
#define JL_BASE_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies s (n bytes) into out (cap bytes, NUL-terminated), writing control
 * bytes, backslash and double quote as \xNN escapes. Returns out. */
char *log_escape(const char *s, size_t n, char *out, size_t cap);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
