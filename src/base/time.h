/* time.h - wall-clock and monotonic time helpers. */
#ifndef JL_BASE_TIME_H
#define JL_BASE_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the Unix epoch (wall clock). A test may pin it. */
int64_t time_now_ms(void);
/* Monotonic milliseconds, for timeouts and benchmarks. */
int64_t time_mono_ms(void);
/* For tests: when offset is nonzero, time_now_ms() adds it. */
void time_set_offset_ms(int64_t offset);
/* Formats ms as "2026-11-29T13:15:42.123Z" into out (cap >= 25). */
void time_iso8601(int64_t ms, char *out, size_t cap);
/* Formats ms as a date "2026-11-29" (UTC) into out (cap >= 11). */
void time_date(int64_t ms, char *out, size_t cap);

#endif
