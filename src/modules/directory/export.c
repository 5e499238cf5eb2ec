/*
 * export.c - CSV and XLSX exports of tables (units, figures of any module).
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

static const char *const unit_export_columns[] = {
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
    if (json_is_real(v)) {
        snprintf(num, cap, "%.4g", json_real_value(v));
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

static enum err export_csv(const struct table_export *t, char **out, size_t *len)
{
    const char *const *export_columns = t->columns;
    json_t *rows = t->rows;
    struct buf b;
    buf_init(&b, EXPORT_MAX);
    buf_puts(&b, "\xef\xbb\xbf");
    for (int c = 0; export_columns[c]; c++) {
        if (c)
            buf_putc(&b, ',');
        csv_cell(&b, t->headers ? t->headers[c] : export_columns[c]);
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

static void xlsx_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v, const char *s)
{
    char guarded[4096];
    if (json_is_number(v)) {
        worksheet_write_number(ws, r, c, json_number_value(v), NULL);
        return;
    }
    if (needs_guard(s)) {
        snprintf(guarded, sizeof(guarded), "'%s", s);
        s = guarded;
    }
    worksheet_write_string(ws, r, c, s, NULL);
}

static enum err export_xlsx(const struct table_export *t, char **out, size_t *len)
{
    const char *const *export_columns = t->columns;
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
    lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    for (int c = 0; export_columns[c]; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, t->headers ? t->headers[c] : export_columns[c],
                               bold);
    size_t i;
    json_t *row;
    char num[32];
    json_array_foreach(t->rows, i, row)
    {
        for (int c = 0; export_columns[c]; c++)
            xlsx_cell(ws, (lxw_row_t)(i + 1), (lxw_col_t)c, json_object_get(row, export_columns[c]),
                      cell_text(row, export_columns[c], num, sizeof(num)));
    }
    enum err e = workbook_close(wb) == LXW_NO_ERROR ? read_file(path, out, len) : ERR_IO;
    unlink(path);
    return e;
}

enum err table_export(const struct table_export *t, bool xlsx, char **out, size_t *len)
{
    return xlsx ? export_xlsx(t, out, len) : export_csv(t, out, len);
}

enum err units_export(struct db *db, json_t *rows, bool xlsx, char **out, size_t *len)
{
    (void)db;
    struct table_export t = {"units", unit_export_columns, NULL, rows};
    return table_export(&t, xlsx, out, len);
}
