/*
 * placement.h - school–enterprise cooperation: positions, students,
 * applications, matching rounds and employment outcomes
 * (docs/placement.md). The matching itself is src/lib/match/.
 */
#ifndef JL_MODULES_PLACEMENT_PLACEMENT_H
#define JL_MODULES_PLACEMENT_PLACEMENT_H

#include "db/db.h"
#include "http/http.h"

extern const struct http_route placement_routes[];

/* Demo data (init --demo): positions, students (the demo student login
 * linked to one), a closed round with answers, an open round with choices,
 * and graduates' outcomes. Counts are for the report. */
struct placement_demo_counts {
    int positions, students, rounds, outcomes;
};
enum err placement_demo_load(struct db *db, struct placement_demo_counts *out);

#endif
