/*
 * letter.c - `jilian-render letter`: one appointment letter as PDF.
 *
 * Reads the letter's fields as a JSON object on stdin (at most 64 KiB:
 * alliance, holder, unit, body, position, term, starts_on, ends_on,
 * issued_on, verify_code, verify_url) and writes the PDF to stdout. The
 * server runs it as a child process (base/proc.h), so Cairo, Pango and
 * fontconfig, their caches and any crash stay out of the server, which
 * does not even link them. It ends with _exit(): the process is thrown
 * away whole, and Debian's cairo 1.16 leaks a little per CJK font it
 * embeds (its CFF subsetter), which must not count against leak checks.
 */
#include "render/render.h"
#include "modules/governance/letter.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define LETTER_INPUT_MAX 65536

static const char *field(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static bool write_all(const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static int render(void)
{
    static char in[LETTER_INPUT_MAX + 1];
    size_t n = fread(in, 1, sizeof(in), stdin);
    if (n > LETTER_INPUT_MAX) {
        fprintf(stderr, "jilian-render letter: input over %d bytes\n", LETTER_INPUT_MAX);
        return RENDER_DATA;
    }
    json_error_t jerr;
    json_t *o = json_loadb(in, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(o)) {
        fprintf(stderr, "jilian-render letter: not a JSON object: %s\n", jerr.text);
        json_decref(o);
        return RENDER_DATA;
    }
    struct letter l = {
        .alliance = field(o, "alliance"),
        .holder = field(o, "holder"),
        .unit = field(o, "unit"),
        .body = field(o, "body"),
        .position = field(o, "position"),
        .term = (int)json_integer_value(json_object_get(o, "term")),
        .starts_on = field(o, "starts_on"),
        .ends_on = field(o, "ends_on"),
        .issued_on = field(o, "issued_on"),
        .verify_code = field(o, "verify_code"),
        .verify_url = field(o, "verify_url"),
    };
    unsigned char *pdf = NULL;
    size_t len = 0;
    int rc = RENDER_DATA;
    if (letter_render(&l, &pdf, &len))
        rc = write_all(pdf, len) ? RENDER_OK : RENDER_FAIL;
    else
        fprintf(stderr, "jilian-render letter: the letter's fields are incomplete or invalid\n");
    free(pdf);
    json_decref(o);
    return rc;
}

int render_letter(void)
{
    _exit(render());
}
