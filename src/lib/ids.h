/*
 * ids.h - validation and display masking of Chinese identifiers.
 *
 * Covers the resident identity card number (身份证号, GB 11643-1999), the
 * unified social credit code (统一社会信用代码, GB 32100-2015), mainland
 * mobile numbers, the shape of GB/T 2260 region codes, and masking of id
 * numbers, mobile numbers and personal names for display.
 *
 * All functions are pure: no I/O, no allocation, no global state.  Inputs
 * are (pointer, length) pairs that need NOT be NUL-terminated; no function
 * reads past `len`.  Bytes may be anything, including NUL and bytes > 0x7f.
 * A NULL pointer with len == 0 is accepted everywhere and treated as the
 * empty input; a NULL pointer with len > 0 is treated as invalid / empty.
 */
#ifndef JILIAN_LIB_IDS_H
#define JILIAN_LIB_IDS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Is s[0..len) a valid 18-character identity card number (GB 11643-1999)?
 * Requires: len == 18; chars 1-6 pass ids_region_code_valid; chars 7-14 a
 * real calendar date YYYYMMDD between 1900-01-01 and 2099-12-31 (Gregorian
 * leap years); chars 1-17 ASCII digits; char 18 equal to the ISO 7064
 * MOD 11-2 check char of the first 17 ('X' may also be given as 'x').
 */
bool ids_id_number_valid(const char *s, size_t len);

/*
 * Check char ('0'-'9' or 'X') for the first 17 chars of an id number, by
 * ISO 7064 MOD 11-2.  Returns 0 if those are not 17 ASCII digits (or if
 * first17 is NULL).  Reads at most 17 bytes and stops at the first byte that
 * is not a digit, so a shorter NUL-terminated string is safe to pass.
 */
char ids_id_number_check_char(const char *first17);

/*
 * Is s[0..len) a valid 18-character unified social credit code
 * (GB 32100-2015)?  Requires: every char in "0123456789ABCDEFGHJKLMNPQRTUWXY"
 * (uppercase only); char 1 (registration authority) one of 1 5 9 Y; char 2
 * (organisation kind) one of 1 2 3 9; chars 3-8 six ASCII digits (region code;
 * the province is not checked, since central-level codes use 100000); char 18
 * equal to ids_uscc_check_char of the first 17.
 */
bool ids_uscc_valid(const char *s, size_t len);

/*
 * Check char for the first 17 chars of a unified social credit code, by the
 * GB 32100-2015 MOD 31 scheme.  Returns 0 if any of them is outside the
 * alphabet (or if first17 is NULL).  Reads at most 17 bytes and stops at the
 * first byte outside the alphabet, so a shorter NUL-terminated string is safe.
 */
char ids_uscc_check_char(const char *first17);

/*
 * Is s[0..len) a mainland mobile number: exactly 11 ASCII digits, the first
 * '1' and the second '3'-'9'?  No "+86"/"86" prefix, spaces or dashes are
 * accepted; the caller strips them.
 */
bool ids_mobile_valid(const char *s, size_t len);

/*
 * Is s[0..len) shaped like a GB/T 2260 region code: exactly 6 ASCII digits
 * whose first two are a province code (11-15, 21-23, 31-37, 41-46, 50-54,
 * 61-65, 71, 81, 82)?  Whether the code exists is checked elsewhere.
 */
bool ids_region_code_valid(const char *s, size_t len);

/*
 * The three masking functions below write a display mask of s[0..len) into
 * out, which has room for cap bytes.  They never write past cap; when
 * cap > 0 the result is always NUL-terminated.  They return the number of
 * bytes written, excluding the NUL.  When the mask does not fit, the longest
 * prefix that fits is written (never splitting a UTF-8 character), so the
 * return value is smaller than the full mask length.  out may be NULL only
 * when cap == 0.
 *
 * Fallback for inputs that are not the right shape (id number / mobile):
 * if every byte is printable ASCII (0x20-0x7e), the first and last chars are
 * kept and every other char becomes '*'; inputs of 1 or 2 chars are masked
 * completely (keeping both ends would reveal everything).  Otherwise (NUL,
 * control or non-ASCII bytes present) every byte becomes '*'.
 */

/*
 * Mask an id number: 17 ASCII digits followed by a digit, 'X' or 'x' become
 * the first 6 chars, 8 '*' and the last 4 ("110105********002X").  The check
 * char is not verified.  Anything else uses the fallback above.
 */
size_t ids_mask_id_number(const char *s, size_t len, char *out, size_t cap);

/*
 * Mask a mobile number: 11 ASCII digits become the first 3, 4 '*' and the
 * last 4 ("138****5678").  Anything else uses the fallback above.
 */
size_t ids_mask_mobile(const char *s, size_t len, char *out, size_t cap);

/*
 * Mask a person's name given as UTF-8: the first code point is kept and
 * every further code point becomes one '*' ("张*", "欧阳**", "J***").
 * If the input is not well-formed UTF-8 (overlong forms, surrogates and
 * values above U+10FFFF are rejected) or contains a control char (C0 incl.
 * NUL, DEL, or C1), every byte becomes '*' instead.  Empty input gives "".
 */
size_t ids_mask_name(const char *s, size_t len, char *out, size_t cap);

#endif /* JILIAN_LIB_IDS_H */
