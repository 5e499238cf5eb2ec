/*
 * fuzz_sniff.c - upload type detection (SEC-C7): sniff_type() on any bytes
 * never reads past them (libFuzzer's buffer is exactly `size` bytes), and
 * what it accepts is consistent with the bytes: the magic it names is at
 * the start, text is valid UTF-8 without control characters, and an
 * executable's or a script's first bytes are never accepted.
 * (Found: "MZ" followed by text is text, not a PE header.)
 */
#include "lib/sniff.h"
#include "base/str.h"

#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static bool has(const uint8_t *p, size_t n, const char *magic)
{
    size_t m = strlen(magic);
    return n >= m && memcmp(p, magic, m) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sniffed s;
    if (!sniff_type(data, size, &s))
        return 0;
    FUZZ_CHECK(s.mime != NULL && s.ext != NULL);
    /* An ELF or PE executable is never accepted; a text that merely
     * starts with the letters "MZ" is text (a PE header has NULs). */
    FUZZ_CHECK(!has(data, size, "\x7f" "ELF") && !has(data, size, "#!"));
    FUZZ_CHECK(!has(data, size, "MZ") || strcmp(s.ext, "txt") == 0);
    if (strcmp(s.ext, "pdf") == 0)
        FUZZ_CHECK(has(data, size, "%PDF-"));
    else if (strcmp(s.ext, "png") == 0)
        FUZZ_CHECK(has(data, size, "\x89PNG\r\n\x1a\n"));
    else if (strcmp(s.ext, "docx") == 0 || strcmp(s.ext, "xlsx") == 0 ||
             strcmp(s.ext, "pptx") == 0)
        FUZZ_CHECK(has(data, size, "PK\x03\x04"));
    else if (strcmp(s.ext, "txt") == 0) {
        FUZZ_CHECK(utf8_valid((const char *)data, size));
        for (size_t i = 0; i < size; i++)
            FUZZ_CHECK(data[i] >= 0x20 || data[i] == '\t' || data[i] == '\r' || data[i] == '\n');
    }
    return 0;
}
