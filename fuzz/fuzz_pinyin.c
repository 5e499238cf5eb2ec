/*
 * fuzz_pinyin.c - pinyin annotation removal (src/lib/text/pinyin.h) on any
 * bytes: it never reads past them (libFuzzer's buffer is exactly `size`
 * bytes), the result is NUL-terminated, no longer than the input and is
 * the input with zero or more byte ranges removed (a subsequence), and on
 * well-formed UTF-8 cleaning the result again changes nothing.  Input
 * without an opening parenthesis comes back unchanged.
 */
#include "lib/text/pinyin.h"
#include "base/str.h"

#include "fuzz_common.h"

#include <stdbool.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

/* True when out[0..m) is in[0..n) with zero or more bytes removed (a
 * greedy match finds a subsequence whenever there is one). */
static bool is_subsequence(const unsigned char *in, size_t n, const unsigned char *out, size_t m)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < m; i++)
        if (in[i] == out[o])
            o++;
    return o == m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = (size_t)-1;
    char *out = text_strip_pinyin((const char *)data, size, &len);
    FUZZ_CHECK(out != NULL);
    FUZZ_CHECK(len <= size);
    FUZZ_CHECK(out[len] == '\0');
    FUZZ_CHECK(is_subsequence(data, size, (const unsigned char *)out, len));
    if (utf8_valid((const char *)data, size)) {
        FUZZ_CHECK(utf8_valid(out, len));
        size_t len2;
        char *again = text_strip_pinyin(out, len, &len2);
        FUZZ_CHECK(len2 == len && memcmp(again, out, len) == 0);
        free(again);
    }
    /* Without an opening parenthesis nothing can be removed. */
    if (memchr(data, '(', size) == NULL && memmem(data, size, "\xef\xbc\x88", 3) == NULL)
        FUZZ_CHECK(len == size && memcmp(out, data, size) == 0);
    free(out);
    return 0;
}
