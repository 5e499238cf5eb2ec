/*
 * fuzz_html2md.c - HTML import (src/lib/text/html2md.h) on any bytes: it
 * never reads past them (libFuzzer's buffer is exactly `size` bytes) and
 * what it writes cannot act when rendered: the Markdown and the title are
 * well-formed UTF-8 without NUL, the Markdown holds no '<' followed by a
 * letter, '/', '!' or '?' (no raw HTML, autolink or comment), every link or
 * image destination after an unescaped "](" has no scheme or http, https or
 * mailto (so no "javascript:" link survives), and the output is at most 4
 * times the input.
 * (Found: output cut in the middle of a character when it filled up; an
 * emphasis mark that did not fit was still taken out later, seed cut_mark;
 * gumbo writes a lone byte for a numeric reference out of range, which code,
 * link destinations and titles copied, seed bad_reference.)
 */
#include "lib/text/html2md.h"
#include "base/str.h"

#include "fuzz_common.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static bool alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Checks the destination at s[0..n) written after "](". */
static void check_target(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '<'))
        i++;
    FUZZ_CHECK(n - i < 11 || strncasecmp(s + i, "javascript:", 11) != 0);
    if (i >= n || !alpha(s[i]))
        return; /* no scheme */
    size_t j = i + 1;
    while (j < n && (alpha(s[j]) || (s[j] >= '0' && s[j] <= '9') || s[j] == '+' || s[j] == '-' ||
                     s[j] == '.'))
        j++;
    if (j == n || s[j] != ':')
        return; /* no scheme */
    size_t len = j - i;
    FUZZ_CHECK((len == 4 && strncasecmp(s + i, "http", 4) == 0) ||
               (len == 5 && strncasecmp(s + i, "https", 5) == 0) ||
               (len == 6 && strncasecmp(s + i, "mailto", 6) == 0));
}

static void check_markdown(const char *md, size_t len)
{
    FUZZ_CHECK(md[len] == '\0' && memchr(md, '\0', len) == NULL);
    FUZZ_CHECK(utf8_valid(md, len));
    for (size_t i = 0; i + 1 < len; i++) {
        char c = md[i + 1];
        if (md[i] == '<')
            FUZZ_CHECK(!alpha(c) && c != '/' && c != '!' && c != '?');
        if (md[i] != ']' || c != '(')
            continue;
        size_t bs = 0; /* a ']' after an odd number of backslashes is text */
        while (bs < i && md[i - 1 - bs] == '\\')
            bs++;
        if (bs % 2 == 0)
            check_target(md + i + 2, len - i - 2);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *title = (char *)"unset";
    size_t len = (size_t)-1;
    char *md = text_html_to_markdown((const char *)data, size, &title, &len);
    FUZZ_CHECK(md != NULL);
    FUZZ_CHECK(len <= 4 * size);
    check_markdown(md, len);
    if (title) {
        size_t n = strlen(title);
        FUZZ_CHECK(n > 0 && utf8_valid(title, n) && !str_has_control(title, n));
        FUZZ_CHECK(title[0] != ' ' && title[n - 1] != ' ');
    }
    free(md);
    free(title);
    return 0;
}
