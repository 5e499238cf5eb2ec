/* sniff.c - see sniff.h. */
#include "lib/sniff.h"
#include "base/str.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static bool starts(const unsigned char *p, size_t n, const char *magic, size_t m)
{
    return n >= m && memcmp(p, magic, m) == 0;
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* The kind of an OOXML package, from the names of its first entries:
 * "docx", "xlsx", "pptx", or NULL. Walks local file headers only while
 * their sizes are known (no data descriptor), at most 64 of them. */
static const char *ooxml_kind(const unsigned char *p, size_t n)
{
    bool types = false;
    const char *kind = NULL;
    size_t at = 0;
    for (int i = 0; i < 64 && at + 30 <= n && memcmp(p + at, "PK\x03\x04", 4) == 0; i++) {
        uint32_t flags = le16(p + at + 6), size = le32(p + at + 18);
        uint32_t name_len = le16(p + at + 26), extra_len = le16(p + at + 28);
        if (at + 30 + name_len > n)
            break;
        const char *name = (const char *)p + at + 30;
        if (name_len == 19 && memcmp(name, "[Content_Types].xml", 19) == 0)
            types = true;
        else if (kind == NULL && name_len > 5 && memcmp(name, "word/", 5) == 0)
            kind = "docx";
        else if (kind == NULL && name_len > 3 && memcmp(name, "xl/", 3) == 0)
            kind = "xlsx";
        else if (kind == NULL && name_len > 4 && memcmp(name, "ppt/", 4) == 0)
            kind = "pptx";
        if (types && kind)
            return kind;
        if (flags & 0x8)
            break; /* sizes follow the data: stop walking */
        size_t next = at + 30 + (size_t)name_len + extra_len + size;
        if (next <= at)
            break;
        at = next;
    }
    return types ? kind : NULL;
}

static bool plain_text(const unsigned char *p, size_t n)
{
    if (n == 0 || !utf8_valid((const char *)p, n) || starts(p, n, "#!", 2))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') || p[i] == 0x7f)
            return false;
    return true;
}

bool sniff_type(const unsigned char *p, size_t n, struct sniffed *out)
{
    static const struct {
        const char *magic;
        size_t len;
        struct sniffed type;
    } magics[] = {
        {"%PDF-", 5, {"application/pdf", "pdf"}},
        {"\x89PNG\r\n\x1a\n", 8, {"image/png", "png"}},
        {"\xff\xd8\xff", 3, {"image/jpeg", "jpg"}},
        {"GIF87a", 6, {"image/gif", "gif"}},
        {"GIF89a", 6, {"image/gif", "gif"}},
    };
    if (p == NULL)
        return false;
    for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
        if (starts(p, n, magics[i].magic, magics[i].len)) {
            *out = magics[i].type;
            return true;
        }
    }
    if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
        *out = (struct sniffed){"image/webp", "webp"};
        return true;
    }
    if (starts(p, n, "PK\x03\x04", 4)) {
        const char *kind = ooxml_kind(p, n);
        static const struct sniffed office[] = {
            {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
            {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
            {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"},
        };
        for (size_t i = 0; kind && i < 3; i++) {
            if (strcmp(kind, office[i].ext) == 0) {
                *out = office[i];
                return true;
            }
        }
        return false;
    }
    if (plain_text(p, n)) {
        *out = (struct sniffed){"text/plain; charset=utf-8", "txt"};
        return true;
    }
    return false;
}
