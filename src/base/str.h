/* str.h - small string helpers shared by every layer. */
#ifndef JL_BASE_STR_H
#define JL_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in well-formed UTF-8 s[0..n). */
size_t utf8_length(const char *s, size_t n);
/* True when s[0..n) holds a control character other than tab/CR/LF. */
bool str_has_control(const char *s, size_t n);
/* ASCII case-insensitive equality of s[0..n) and the C string lit. */
bool str_ieq(const char *s, size_t n, const char *lit);
/* Parses s[0..n) as a decimal int64 within [min, max]; false otherwise. */
bool str_to_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);
/* True when s is a real calendar date written YYYY-MM-DD (1900..2099). */
bool str_date_valid(const char *s);
/* Lowercase hex of n bytes into out (cap >= 2n+1). */
void str_hex(const unsigned char *p, size_t n, char *out);

#endif
