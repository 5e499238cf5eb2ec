/*
 * export.c - CSV and XLSX exports of units.
 *
 * A cell that begins with = + - @ (or a tab or CR) would be read as a
 * formula by spreadsheet programs; such cells get a leading apostrophe
 * (SEC-C6). CSV is UTF-8 with a BOM so Excel shows Chinese correctly.
 */
#include "modules/directory/directory.h"
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define EXPORT_MAX (64 * 1024 * 1024)

static const char *const export_columns[] = {
    "id",   "name",   "short_name", "kind",    "uscc",    "city", "city_name",
    "role", "status", "joined",     "address", "website", NULL};

static bool needs_guard(const char *s)
{
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
}

static const char *cell_text(json_t *row, const char *col, char *num, size_t cap)
{
    json_t *v = json_object_get(row, col);
    if (json_is_integer(v)) {
        snprintf(num, cap, "%lld", (long long)json_integer_value(v));
        return num;
    }
    return json_is_string(v) ? json_string_value(v) : "";
}

static void csv_cell(struct buf *b, const char *s)
{
    bool guard = needs_guard(s);
    bool quote = guard || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_putc(b, '"');
    if (guard)
        buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    if (quote)
        buf_putc(b, '"');
}

static enum err export_csv(json_t *rows, char **out, size_t *len)
{
    struct buf b;
    buf_init(&b, EXPORT_MAX);
    buf_puts(&b, "\xef\xbb\xbf");
    for (int c = 0; export_columns[c]; c++) {
        if (c)
            buf_putc(&b, ',');
        buf_puts(&b, export_columns[c]);
    }
    buf_puts(&b, "\r\n");
    size_t i;
    json_t *row;
    char num[32];
    json_array_foreach(rows, i, row)
    {
        for (int c = 0; export_columns[c]; c++) {
            if (c)
                buf_putc(&b, ',');
            csv_cell(&b, cell_text(row, export_columns[c], num, sizeof(num)));
        }
        if (!buf_puts(&b, "\r\n")) {
            buf_cleanup(&b);
            return ERR_TOO_LARGE;
        }
    }
    *out = buf_steal(&b, len);
    return ERR_OK;
}

static enum err read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return ERR_IO;
    struct buf b;
    buf_init(&b, EXPORT_MAX);
    char chunk[16384];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ok = buf_append(&b, chunk, n);
    fclose(f);
    if (!ok) {
        buf_cleanup(&b);
        return ERR_TOO_LARGE;
    }
    *out = buf_steal(&b, len);
    return ERR_OK;
}

static enum err export_xlsx(json_t *rows, char **out, size_t *len)
{
    char path[] = "/tmp/jilian-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return ERR_IO;
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (wb == NULL) {
        unlink(path);
        return ERR_IO;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "units");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (int c = 0; export_columns[c]; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, export_columns[c], bold);
    size_t i;
    json_t *row;
    char num[32], guarded[4096];
    json_array_foreach(rows, i, row)
    {
        for (int c = 0; export_columns[c]; c++) {
            const char *s = cell_text(row, export_columns[c], num, sizeof(num));
            if (needs_guard(s)) {
                snprintf(guarded, sizeof(guarded), "'%s", s);
                s = guarded;
            }
            worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, s, NULL);
        }
    }
    enum err e = workbook_close(wb) == LXW_NO_ERROR ? read_file(path, out, len) : ERR_IO;
    unlink(path);
    return e;
}

enum err units_export(struct db *db, json_t *rows, bool xlsx, char **out, size_t *len)
{
    (void)db;
    return xlsx ? export_xlsx(rows, out, len) : export_csv(rows, out, len);
}
