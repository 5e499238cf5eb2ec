/*
 * governance.h - the charter, the council and expert committee with their
 * terms, meetings with check-in and proxies, motions and ballots,
 * resolutions, appointment letters and the yearly work plan
 * (docs/governance.md).
 */
#ifndef JL_MODULES_GOVERNANCE_H
#define JL_MODULES_GOVERNANCE_H

#include "db/db.h"
#include "http/http.h"

extern const struct http_route governance_routes[];

/* Loads the demo's governance record into a database holding the demo
 * directory: the charter, the preparatory meeting (finished, with its
 * motions, ballots and resolutions), the appointments of both bodies and
 * the year's work plan. */
enum err governance_demo_load(struct db *db);

#endif
