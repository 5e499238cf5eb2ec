/* internal.h - helpers shared inside the placement module only. */
#ifndef JL_MODULES_PLACEMENT_INTERNAL_H
#define JL_MODULES_PLACEMENT_INTERNAL_H

#include "modules/placement/placement.h"
#include "modules/app.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

extern const char *const pl_kinds[], *const pl_position_statuses[], *const pl_rules[],
    *const pl_round_statuses[], *const pl_result_statuses[], *const pl_outcome_statuses[],
    *const pl_salary_bands[], *const pl_application_statuses[], *const pl_groupings[],
    *const pl_outcome_groupings[];

/* Lists kept as text, one item per line (majors, certificates, awards,
 * cities): to JSON arrays and back. pl_lines_from() checks each item is a
 * string of 1..max_len code points, at most max_items of them, and records
 * a field error otherwise; it returns an arena string. */
json_t *pl_lines_json(const char *text);
const char *pl_lines_from(struct http_req *req, const char *field, int max_items, int max_len);
/* Replaces the list columns named in cols (NULL-terminated) of every row
 * object in rows (an array or one object) by JSON arrays. */
void pl_lines_expand(json_t *rows, const char *const *cols);

/* The kind of a unit ("" when absent). */
const char *pl_unit_kind(struct db *db, int64_t unit, char *buf, size_t cap);
/* The unit a write acts for: the caller's own, or for the secretariat the
 * body's unit_id (required). Checks the unit's kind is one of kinds;
 * records errors; returns 0 on failure with *e set. */
int64_t pl_acting_unit(struct http_req *req, const char *const *kinds, enum err *e);
extern const char *const pl_employer_kinds[], *const pl_school_kinds[];
/* 403 placement.wrong_unit_kind unless the caller sees all units or her
 * unit is of one of kinds (a school posts no positions, an enterprise
 * keeps no students). */
enum err pl_require_kind(struct http_req *req, const char *const *kinds);
#define PL_REQUIRE(req, kinds)                                                                     \
    do {                                                                                           \
        enum err kind_e_ = pl_require_kind(req, kinds);                                           \
        if (kind_e_ != ERR_OK)                                                                     \
            return kind_e_;                                                                        \
    } while (0)

/* The school a CSV import writes to: the caller's, or for the secretariat
 * the query's unit_id (required), which must be a school; 0 with *e set
 * otherwise. */
int64_t pl_import_school(struct http_req *req, enum err *e);

/* The caller's student profile id (0 when she has none). */
int64_t pl_my_student(struct http_req *req);

/* Query helpers: integer filter (records an error when malformed) and the
 * "true" flag. */
bool pl_query_int(struct http_req *req, const char *key, int64_t *out, bool *present);
bool pl_query_true(const struct http_req *req, const char *key);
/* Binds the query's key to parameter n when it is there (left NULL
 * otherwise): an integer (false, with a field error, when malformed) or
 * a text. */
bool pl_bind_int_filter(struct http_req *req, struct db_stmt *st, int n, const char *key);
void pl_bind_text_filter(struct http_req *req, struct db_stmt *st, int n, const char *key);

/* A paged list: "SELECT count(*) from_where" for the total, then the
 * columns in order, LIMIT and OFFSET as $free_param and $free_param+1.
 * bind() binds the filters (both statements); false = bad filter. */
struct pl_list_spec {
    const char *columns, *from_where, *order;
    int free_param;
    bool (*bind)(struct http_req *req, struct db_stmt *st, void *ctx);
    const char *const *bools, *const *lines;
};
enum err pl_list(struct http_req *req, const struct pl_list_spec *spec, void *ctx);

/* An audit row with an object "kind:id". */
void pl_audit(struct http_req *req, const char *action, const char *kind, int64_t id,
              const char *detail);

/* Rounds. */
struct round_head {
    int64_t id, parent, choices_deadline, answer_deadline, seed;
    int max_choices;
    char status[12];
    bool has_seed;
};
bool round_load(struct db *db, int64_t id, struct round_head *r);
/* Loads the round and requires its status to be one of the NULL-terminated
 * list; answers 404 or 409 placement.round_state. */
enum err round_in(struct http_req *req, int64_t id, struct round_head *r,
                  const char *const *states);
/* Whether the caller's unit owns the position (or the caller sees all). */
bool pl_position_mine(struct http_req *req, int64_t position);

/* A student's score under a round position's rule (docs/placement.md). */
struct score_rule {
    int w_level, w_awards, w_school, w_interview;
};
double pl_score(const struct score_rule *w, int skill_level, int award_points, int school_score,
                int interview_score);
/* Whether a student meets a position's requirements. */
bool pl_meets(const char *majors, int min_level, const char *major, int skill_level);

/* Runs the matching of a round in the connection's transaction: stores
 * results and stats, and moves the round to matched. job: the job id for
 * progress, or NULL. */
enum err pl_round_run(struct db *db, int64_t round, uint64_t seed, int64_t *job, json_t **stats);
/* Runs a round on a worker (run.c). */
enum err round_run_submit(struct http_req *req, const struct round_head *r, bool seed_given,
                          int64_t seed);

/* Route handlers, by file. */
enum err h_positions_list(struct http_req *req);
enum err h_positions_create(struct http_req *req);
enum err h_positions_get(struct http_req *req);
enum err h_positions_update(struct http_req *req);
enum err h_positions_delete(struct http_req *req);
enum err h_positions_submit(struct http_req *req);
enum err h_positions_publish(struct http_req *req);
enum err h_positions_return(struct http_req *req);
enum err h_positions_close(struct http_req *req);

enum err h_students_list(struct http_req *req);
enum err h_students_create(struct http_req *req);
enum err h_students_get(struct http_req *req);
enum err h_students_update(struct http_req *req);
enum err h_students_delete(struct http_req *req);
enum err h_students_import(struct http_req *req);
enum err h_students_activation(struct http_req *req);
enum err h_students_activate(struct http_req *req);
enum err h_me_student(struct http_req *req);
enum err h_me_student_update(struct http_req *req);

enum err h_position_apply(struct http_req *req);
enum err h_my_applications(struct http_req *req);
enum err h_application_withdraw(struct http_req *req);
enum err h_position_applications(struct http_req *req);
enum err h_application_accept(struct http_req *req);
enum err h_application_decline(struct http_req *req);

enum err h_rounds_list(struct http_req *req);
enum err h_rounds_create(struct http_req *req);
enum err h_rounds_get(struct http_req *req);
enum err h_rounds_update(struct http_req *req);
enum err h_round_positions(struct http_req *req);
enum err h_round_positions_put(struct http_req *req);
enum err h_round_open(struct http_req *req);
enum err h_round_close_choices(struct http_req *req);
enum err h_round_run(struct http_req *req);
enum err h_round_publish(struct http_req *req);
enum err h_round_close(struct http_req *req);
enum err h_round_second(struct http_req *req);
enum err h_choices_mine(struct http_req *req);
enum err h_choices_put(struct http_req *req);
enum err h_round_applicants(struct http_req *req);
enum err h_ranking_put(struct http_req *req);
enum err h_scores_put(struct http_req *req);

enum err h_round_results(struct http_req *req);
enum err h_results_mine(struct http_req *req);
enum err h_position_results(struct http_req *req);
enum err h_result_accept(struct http_req *req);
enum err h_result_decline(struct http_req *req);
enum err h_round_fairness(struct http_req *req);

enum err h_outcomes_list(struct http_req *req);
enum err h_outcome_put(struct http_req *req);
enum err h_outcome_delete(struct http_req *req);
enum err h_outcomes_import(struct http_req *req);
enum err h_outcomes_stats(struct http_req *req);
enum err h_outcomes_export(struct http_req *req);

#endif
