/*
 * csv.c - reading CSV (libcsv, strict quoting) and the unit import.
 *
 * csv_each() hands each record to a callback as an array of NUL-terminated
 * fields. The import validates every row first and writes only when all of
 * them are clean, so a bad file changes nothing.
 */
#include "modules/directory/directory.h"
#include "modules/directory/internal.h"
#include "base/alloc.h"
#include "base/str.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct reader {
    char *fields[CSV_MAX_FIELDS];
    int count;
    bool too_many;
    int64_t row;
    bool stop;
    csv_row_fn fn;
    void *arg;
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->count == CSV_MAX_FIELDS) {
        r->too_many = true;
        return;
    }
    r->fields[r->count++] = xstrndup(s ? s : "", s ? len : 0);
}

static void on_row(int c, void *data)
{
    struct reader *r = data;
    (void)c;
    if (!r->stop)
        r->stop =
            !r->fn(r->arg, r->row, (const char *const *)r->fields, r->too_many ? -1 : r->count);
    r->row++;
    for (int i = 0; i < r->count; i++)
        free(r->fields[i]);
    r->count = 0;
    r->too_many = false;
}

bool csv_each(const char *text, size_t len, csv_row_fn fn, void *arg)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return false;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) { /* Excel's BOM */
        text += 3;
        len -= 3;
    }
    struct reader r = {.fn = fn, .arg = arg};
    bool ok = utf8_valid(text, len) && csv_parse(&p, text, len, on_field, on_row, &r) == len &&
              csv_fini(&p, on_field, on_row, &r) == 0;
    for (int i = 0; i < r.count; i++)
        free(r.fields[i]);
    csv_free(&p);
    return ok;
}

/* --- unit import ------------------------------------------------------------ */

struct import {
    struct db *db;
    enum http_lang lang;
    json_t *rows;   /* valid rows as objects */
    json_t *errors; /* [{row, field, message}] */
    json_t *seen_uscc, *seen_name;
    int64_t current;
    bool header_ok;
};

static void report_error(void *ctx, const char *field, const char *key)
{
    struct import *im = ctx;
    if (json_array_size(im->errors) >= 1000)
        return;
    json_array_append_new(im->errors,
                          json_pack("{s:I, s:s, s:s}", "row", (json_int_t)im->current, "field",
                                    field, "message", i18n_text(im->lang, key)));
}

static bool import_row(void *arg, int64_t row, const char *const *f, int n)
{
    struct import *im = arg;
    im->current = row + 1; /* 1-based, the header is row 1 */
    if (row == 0) {
        im->header_ok = n == UNIT_COLUMN_COUNT;
        for (int i = 0; im->header_ok && i < n; i++)
            im->header_ok = strcmp(f[i], unit_columns[i]) == 0;
        if (!im->header_ok)
            report_error(im, "header", "csv_header");
        return im->header_ok;
    }
    if (n == 1 && f[0][0] == '\0')
        return true; /* blank line */
    if (n != UNIT_COLUMN_COUNT) {
        report_error(im, "row", "csv_bad");
        return true;
    }
    json_t *obj = json_object();
    for (int i = 0; i < n; i++)
        json_object_set_new(obj, unit_columns[i], json_string(f[i]));
    struct field_sink sink = {report_error, im};
    bool ok = unit_validate(im->db, obj, false, 0, &sink);
    const char *uscc = f[3], *name = f[0];
    if (json_object_get(im->seen_uscc, uscc)) {
        report_error(im, "uscc", "uscc_taken");
        ok = false;
    }
    if (json_object_get(im->seen_name, name)) {
        report_error(im, "name", "name_taken");
        ok = false;
    }
    json_object_set_new(im->seen_uscc, uscc, json_true());
    json_object_set_new(im->seen_name, name, json_true());
    if (ok)
        json_array_append(im->rows, obj);
    json_decref(obj);
    return true;
}

enum err units_import_csv(struct db *db, const char *csv, size_t len, bool dry_run,
                          enum http_lang lang, json_t **report,
                          void (*progress)(void *arg, int64_t done, int64_t total), void *arg)
{
    struct import im = {db, lang, json_array(), json_array(), json_object(), json_object(),
                        0,  false};
    enum err e = ERR_OK;
    if (!csv_each(csv, len, import_row, &im) && json_array_size(im.errors) == 0)
        report_error(&im, "file", "csv_bad");
    if (im.current == 0)
        report_error(&im, "header", "csv_header");
    size_t total = json_array_size(im.rows);
    bool clean = json_array_size(im.errors) == 0;
    size_t i = 0;
    if (clean && !dry_run) {
        json_t *row;
        json_array_foreach(im.rows, i, row)
        {
            int64_t id;
            e = unit_insert(db, row, &id);
            if (e != ERR_OK)
                break;
            if (progress && (i % 50 == 0 || i + 1 == total))
                progress(arg, (int64_t)i + 1, (int64_t)total);
        }
    }
    *report = json_pack("{s:I, s:I, s:b, s:b, s:o}", "rows",
                        (json_int_t)(im.current > 1 ? im.current - 1 : 0), "valid",
                        (json_int_t)total, "dry_run", dry_run, "imported",
                        clean && !dry_run && e == ERR_OK, "errors", im.errors);
    json_decref(im.rows);
    json_decref(im.seen_uscc);
    json_decref(im.seen_name);
    if (e == ERR_OK && !clean)
        e = ERR_INVALID;
    return e;
}
