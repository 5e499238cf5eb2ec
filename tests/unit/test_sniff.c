/* test_sniff.c - cmocka tests for src/lib/sniff.c: uploads are what their
 * bytes say, and executables, scripts and unknown bytes are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/sniff.h"

#include <string.h>

static const char *type_of(const void *p, size_t n)
{
    struct sniffed s;
    return sniff_type(p, n, &s) ? s.ext : NULL;
}

#define T(lit) type_of(lit, sizeof(lit) - 1)

/* A zip local file header for name with no data, sizes known. */
static size_t zip_entry(unsigned char *out, const char *name, uint16_t flags)
{
    size_t n = strlen(name);
    memset(out, 0, 30);
    memcpy(out, "PK\x03\x04", 4);
    out[6] = (unsigned char)(flags & 0xff);
    out[7] = (unsigned char)(flags >> 8);
    out[26] = (unsigned char)n;
    memcpy(out + 30, name, n);
    return 30 + n;
}

static void test_documents_and_images(void **state)
{
    (void)state;
    assert_string_equal(T("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "pdf");
    assert_string_equal(T("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "png");
    assert_string_equal(T("\xff\xd8\xff\xe0\0\x10JFIF"), "jpg");
    assert_string_equal(T("GIF89a\x01\0\x01\0"), "gif");
    assert_string_equal(T("RIFF\x24\0\0\0WEBPVP8 "), "webp");
    assert_string_equal(T("会议纪要\r\n第一项：审议章程。\n\t附件一"), "txt");
}

static void test_office(void **state)
{
    (void)state;
    unsigned char z[512];
    static const char *const kinds[][2] = {
        {"word/document.xml", "docx"}, {"xl/workbook.xml", "xlsx"}, {"ppt/presentation.xml", "pptx"}};
    for (int k = 0; k < 3; k++) {
        size_t n = zip_entry(z, "[Content_Types].xml", 0);
        n += zip_entry(z + n, kinds[k][0], 0);
        assert_string_equal(type_of(z, n), kinds[k][1]);
        /* Cut anywhere: never read past the end; an incomplete package is
         * refused (its first bytes, "P" or "PK", are just text). */
        for (size_t cut = 0; cut < n; cut++) {
            const char *t = type_of(z, cut);
            assert_true(t == NULL || (cut <= 2 && strcmp(t, "txt") == 0));
        }
    }
    /* A zip that is not an Office document, and one whose sizes follow
     * the data (no walking past the first entry). */
    size_t n = zip_entry(z, "payload.exe", 0);
    assert_null(type_of(z, n));
    n = zip_entry(z, "[Content_Types].xml", 0x8);
    n += zip_entry(z + n, "word/document.xml", 0);
    assert_null(type_of(z, n));
}

static void test_refused(void **state)
{
    (void)state;
    assert_null(T("\x7f" "ELF\x02\x01\x01\0"));
    assert_null(T("MZ\x90\0\x03\0\0\0"));
    /* Found by fuzz_sniff: text that starts with the letters MZ is text. */
    assert_string_equal(T("MZ"), "txt");
    assert_null(T("#!/bin/sh\nrm -rf /\n"));
    assert_null(T("text with a NUL\0inside"));
    assert_null(T("bell\a"));
    assert_null(T("\xe5\x86")); /* cut UTF-8 */
    assert_null(type_of("", 0));
    assert_null(type_of(NULL, 0));
    assert_string_equal(T("%PD"), "txt"); /* no PDF magic: only text */
    assert_null(T("RIFF\x24\0\0\0WAVE"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documents_and_images),
        cmocka_unit_test(test_office),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
