/*
 * directory.h - the alliance's directory: regions, the alliance record,
 * member units, their people, and join applications.
 *
 * A shared-kernel module: other modules may read units and regions.
 */
#ifndef JL_MODULES_DIRECTORY_H
#define JL_MODULES_DIRECTORY_H

#include "db/db.h"
#include "http/http.h"

#include <stdbool.h>
#include <stdint.h>

extern const char *const unit_kinds[];
extern const char *const unit_roles[];
extern const char *const unit_statuses[];

/* Where validation messages go: a request's fields, or an import report. */
struct field_sink {
    void (*add)(void *ctx, const char *field, const char *key);
    void *ctx;
};

/* Loads data/regions.csv (compiled in) when the region table is empty.
 * Returns the number of regions loaded. */
enum err regions_load(struct db *db, int *loaded);
/* True when code is a city (prefecture-level) in the region table. */
bool region_is_city(struct db *db, const char *code);

/* The column list of a unit, in CSV and JSON order. */
extern const char *const unit_columns[];
#define UNIT_COLUMN_COUNT 11

/* True for the columns a unit cannot be without. */
bool unit_field_required(const char *col);
/* Checks a unit object (JSON strings keyed by unit_columns). In partial
 * mode absent keys are fine. Reports problems to sink; true when clean.
 * except_id: the unit being edited (for uniqueness), 0 when new. */
bool unit_validate(struct db *db, json_t *obj, bool partial, int64_t except_id,
                   const struct field_sink *sink);
/* Inserts a validated unit; returns its id. */
enum err unit_insert(struct db *db, json_t *obj, int64_t *id);
/* The unit as JSON, or NULL when absent. */
json_t *unit_load(struct db *db, int64_t id);

/* CSV import (header = unit_columns). Fills report {rows, valid, errors:
 * [{row, field, message}]} and, unless dry_run and only when every row is
 * clean, inserts all rows. progress may be NULL. */
enum err units_import_csv(struct db *db, const char *csv, size_t len, bool dry_run,
                          enum http_lang lang, json_t **report,
                          void (*progress)(void *arg, int64_t done, int64_t total), void *arg);
/* Export of the units matching the same filters as the list, as CSV or
 * XLSX bytes (heap; caller frees). Cells starting with = + - @ are
 * neutralised (SEC-C6). */
enum err units_export(struct db *db, json_t *rows, bool xlsx, char **out, size_t *len);

/* Reading CSV (any module's import): strict quoting, a UTF-8 BOM skipped. */
#define CSV_MAX_FIELDS 64
/* Called for each CSV record (row 0 is the first); n is -1 when the record
 * has more than CSV_MAX_FIELDS fields. Return false to stop. */
typedef bool (*csv_row_fn)(void *arg, int64_t row, const char *const *fields, int n);
/* Parses text strictly; false on malformed CSV or invalid UTF-8. */
bool csv_each(const char *text, size_t len, csv_row_fn fn, void *arg);

/* A table as a CSV (UTF-8 with BOM) or XLSX file: the named columns of each
 * row object, under headers (NULL: the column names). Numbers stay numbers
 * in XLSX; text cells that a spreadsheet would read as a formula get a
 * leading apostrophe (SEC-C6). The bytes are heap memory for the caller. */
struct table_export {
    const char *sheet;
    const char *const *columns; /* NULL-terminated */
    const char *const *headers; /* as many, or NULL */
    json_t *rows;
};
enum err table_export(const struct table_export *t, bool xlsx, char **out, size_t *len);

/* Demo data: the alliance, units and people (init --demo). */
enum err directory_demo_load(struct db *db, int *units, int *people);
/* Id of the first unit of kind with role (for demo logins), 0 if none. */
int64_t directory_demo_unit(struct db *db, const char *kind, const char *role);

extern const struct http_route directory_routes[];

#endif
