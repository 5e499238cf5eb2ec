/* internal.h - helpers shared inside the directory module only. */
#ifndef JL_MODULES_DIRECTORY_INTERNAL_H
#define JL_MODULES_DIRECTORY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "modules/directory/directory.h"

#include "db/db.h"
#include <jansson.h>

/* A unit row (columns: id, the 11 unit columns, city name, province code,
 * province name, created, updated, people count) as JSON. */
json_t *unit_row_json(struct db_stmt *st, bool detail);

#include "http/http.h"

/* Routes implemented in people.c and applications.c. */
extern const struct http_field people_fields[], people_update_fields[], people_query[];
extern const struct http_field application_fields[], application_query[], reject_fields[];
enum err h_people_list(struct http_req *req);
enum err h_people_create(struct http_req *req);
enum err h_people_get(struct http_req *req);
enum err h_people_update(struct http_req *req);
enum err h_people_delete(struct http_req *req);
enum err h_apply(struct http_req *req);
enum err h_applications_list(struct http_req *req);
enum err h_applications_get(struct http_req *req);
enum err h_applications_approve(struct http_req *req);
enum err h_applications_reject(struct http_req *req);
/* Seals, indexes and masks a person's phone or identity number ("" or
 * NULL clears it). */
#include "modules/pii.h"
enum err person_store_number(struct db *db, int64_t id, enum pii_kind kind, const char *plain);
/* Reports to a request's fields. */
void sink_to_req(void *ctx, const char *field, const char *key);

#endif
