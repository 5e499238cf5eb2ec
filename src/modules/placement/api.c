/*
 * api.c - the placement routes, their permissions and field lists
 * (docs/placement.md). Handlers live in positions.c, students.c,
 * applications.c, rounds.c, run.c, results.c and outcomes.c.
 */
#include "modules/placement/internal.h"

static const char *const bool_choices[] = {"true", "false", NULL};

#define PAGING {"page", FT_INT, false, 0, NULL, NULL}, {"page_size", FT_INT, false, 0, NULL, NULL}

static const struct http_field position_query[] = {
    {"q", FT_STRING, false, 64, NULL, "title, occupation or unit contains"},
    {"kind", FT_ENUM, false, 12, pl_kinds, NULL},
    {"city", FT_STRING, false, 12, NULL, "region code"},
    {"occupation", FT_STRING, false, 40, NULL, NULL},
    {"unit_id", FT_INT, false, 0, NULL, NULL},
    {"status", FT_ENUM, false, 10, pl_position_statuses, "secretariat, or with mine"},
    {"mine", FT_ENUM, false, 5, bool_choices, "the own unit's, any state"},
    PAGING,
    {0},
};

#define POSITION_FIELDS(req)                                                                       \
    {"kind", FT_ENUM, req, 12, pl_kinds, NULL}, {"title", FT_STRING, req, 100, NULL, NULL},        \
        {"occupation", FT_STRING, false, 60, NULL, "e.g. 数控车工"},                               \
        {"city", FT_STRING, req, 12, NULL, "region code of a city"},                              \
        {"seats", FT_INT, req, 0, NULL, "1-10000"},                                                \
        {"majors", FT_ARRAY, false, 20, NULL, "accepted majors; empty: any"},                      \
        {"min_level", FT_INT, false, 0, NULL, "0 none, 1 (高级技师) .. 5 (初级工)"},               \
        {"certificate", FT_STRING, false, 60, NULL, NULL},                                         \
        {"pay_min", FT_INT, false, 0, NULL, "yuan per month"},                                     \
        {"pay_max", FT_INT, false, 0, NULL, "yuan per month"},                                     \
        {"starts_on", FT_DATE, false, 0, NULL, NULL}, {"ends_on", FT_DATE, false, 0, NULL, NULL},  \
        {"description", FT_STRING, false, 5000, NULL, NULL},                                      \
        {"unit_id", FT_INT, false, 0, NULL, "secretariat only: the enterprise"}

static const struct http_field position_fields[] = {POSITION_FIELDS(true), {0}};
static const struct http_field position_update_fields[] = {POSITION_FIELDS(false), {0}};
static const struct http_field comment_required[] = {
    {"comment", FT_STRING, true, 1000, NULL, NULL},
    {0},
};
static const struct http_field comment_optional[] = {
    {"comment", FT_STRING, false, 1000, NULL, NULL},
    {0},
};

static const struct http_field student_query[] = {
    {"q", FT_STRING, false, 40, NULL, "name or student number"},
    {"major", FT_STRING, false, 40, NULL, NULL},
    {"year", FT_INT, false, 0, NULL, "graduation year"},
    {"unit_id", FT_INT, false, 0, NULL, "the school (secretariat)"},
    {"activated", FT_ENUM, false, 5, bool_choices, NULL},
    PAGING,
    {0},
};

#define STUDENT_FIELDS(req)                                                                        \
    {"student_no", FT_STRING, req, 30, NULL, "学号, unique in the school"},                        \
        {"name", FT_STRING, req, 40, NULL, NULL}, {"major", FT_STRING, req, 40, NULL, NULL},       \
        {"year", FT_INT, req, 0, NULL, "graduation year"},                                        \
        {"skill_level", FT_INT, false, 0, NULL, "0 none, 1 (高级技师) .. 5 (初级工)"},             \
        {"certificates", FT_ARRAY, false, 20, NULL, NULL},                                         \
        {"awards", FT_ARRAY, false, 20, NULL, "competition awards"},                               \
        {"award_points", FT_INT, false, 0, NULL, "0-100"},                                         \
        {"school_score", FT_INT, false, 0, NULL, "0-100"},                                         \
        {"cities", FT_ARRAY, false, 10, NULL, "preferred city codes"},                             \
        {"unit_id", FT_INT, false, 0, NULL, "secretariat only: the school"}

static const struct http_field student_fields[] = {STUDENT_FIELDS(true), {0}};
static const struct http_field student_update_fields[] = {STUDENT_FIELDS(false), {0}};
static const struct http_field import_query[] = {
    {"dry_run", FT_ENUM, false, 5, bool_choices, "check and report, store nothing"},
    {"unit_id", FT_INT, false, 0, NULL, "secretariat only: the school"},
    {0},
};
static const struct http_field activate_fields[] = {
    {"code", FT_STRING, true, 40, NULL, "the one-time code from the school"},
    {"username", FT_STRING, true, 32, NULL, NULL},
    {"password", FT_STRING, true, 128, NULL, NULL},
    {0},
};
static const struct http_field me_fields[] = {
    {"cities", FT_ARRAY, true, 10, NULL, "preferred city codes"},
    {0},
};
static const struct http_field apply_fields[] = {
    {"note", FT_STRING, false, 500, NULL, NULL},
    {0},
};
static const struct http_field status_query[] = {
    {"status", FT_ENUM, false, 10, pl_application_statuses, NULL},
    PAGING,
    {0},
};

static const struct http_field round_query[] = {
    {"status", FT_ENUM, false, 10, pl_round_statuses, NULL},
    PAGING,
    {0},
};
#define ROUND_FIELDS(req)                                                                          \
    {"name", FT_STRING, req, 100, NULL, NULL},                                                     \
        {"choices_deadline", FT_INT, req, 0, NULL, "Unix ms"},                                     \
        {"answer_deadline", FT_INT, req, 0, NULL, "Unix ms"}
static const struct http_field round_fields[] = {
    ROUND_FIELDS(true), {"max_choices", FT_INT, false, 0, NULL, "1-20, default 20"}, {0}};
static const struct http_field round_update_fields[] = {
    ROUND_FIELDS(false), {"max_choices", FT_INT, false, 0, NULL, "1-20"}, {0}};
static const struct http_field second_fields[] = {ROUND_FIELDS(true), {0}};
static const struct http_field items_fields[] = {
    {"items", FT_ARRAY, true, 2000, NULL, NULL},
    {0},
};
static const struct http_field run_fields[] = {
    {"seed", FT_INT, false, 0, NULL, "the lottery's seed, for a reproducible re-run"},
    {0},
};
static const struct http_field choices_fields[] = {
    {"positions", FT_ARRAY, true, 20, NULL, "position ids, most wanted first"},
    {0},
};
static const struct http_field ranking_fields[] = {
    {"students", FT_ARRAY, true, 100000, NULL, "student ids, most wanted first"},
    {0},
};
static const struct http_field scores_fields[] = {
    {"items", FT_ARRAY, true, 100000, NULL, "[{student_id, interview_score}]"},
    {0},
};
static const struct http_field results_query[] = {
    {"school_id", FT_INT, false, 0, NULL, NULL},
    {"position_id", FT_INT, false, 0, NULL, NULL},
    {"status", FT_ENUM, false, 10, pl_result_statuses, NULL},
    PAGING,
    {0},
};
static const struct http_field fairness_query[] = {
    {"by", FT_ENUM, false, 8, pl_groupings, "school, city or major"},
    {0},
};

static const struct http_field outcome_query[] = {
    {"year", FT_INT, false, 0, NULL, NULL},
    {"status", FT_ENUM, false, 20, pl_outcome_statuses, NULL},
    {"major", FT_STRING, false, 40, NULL, NULL},
    {"unit_id", FT_INT, false, 0, NULL, NULL},
    {"q", FT_STRING, false, 40, NULL, "name or student number"},
    PAGING,
    {0},
};
static const struct http_field outcome_fields[] = {
    {"status", FT_ENUM, true, 20, pl_outcome_statuses, NULL},
    {"employer", FT_STRING, false, 100, NULL, NULL},
    {"city", FT_STRING, false, 12, NULL, "region code"},
    {"salary_band", FT_ENUM, false, 8, pl_salary_bands, NULL},
    {0},
};
static const struct http_field stats_query[] = {
    {"by", FT_ENUM, false, 8, pl_outcome_groupings, "school, major, city or year"},
    {"year", FT_INT, false, 0, NULL, NULL},
    {"unit_id", FT_INT, false, 0, NULL, NULL},
    {0},
};
static const struct http_field export_query[] = {
    {"by", FT_ENUM, false, 8, pl_outcome_groupings, NULL},
    {"year", FT_INT, false, 0, NULL, NULL},
    {"unit_id", FT_INT, false, 0, NULL, NULL},
    {"format", FT_ENUM, false, 4, (const char *const[]){"xlsx", "csv", NULL}, "default xlsx"},
    {0},
};

#define T "placement"
#define CSV "text/csv"
#define CSV_MAX (8u << 20)

const struct http_route placement_routes[] = {
    {HTTP_GET, "/api/v1/positions", PERM_PUBLIC, h_positions_list, T,
     "Published positions (own unit's with mine=true)", NULL, position_query},
    {HTTP_POST, "/api/v1/positions", "positions.write", h_positions_create, T,
     "Post a position (draft)", position_fields},
    {HTTP_GET, "/api/v1/positions/{id}", PERM_PUBLIC, h_positions_get, T, "One position"},
    {HTTP_PATCH, "/api/v1/positions/{id}", "positions.write", h_positions_update, T,
     "Edit a position", position_update_fields},
    {HTTP_DELETE, "/api/v1/positions/{id}", "positions.write", h_positions_delete, T,
     "Delete a draft"},
    {HTTP_POST, "/api/v1/positions/{id}/submit", "positions.write", h_positions_submit, T,
     "Submit for review"},
    {HTTP_POST, "/api/v1/positions/{id}/publish", "positions.review", h_positions_publish, T,
     "Publish a position"},
    {HTTP_POST, "/api/v1/positions/{id}/return", "positions.review", h_positions_return, T,
     "Return with a comment", comment_required},
    {HTTP_POST, "/api/v1/positions/{id}/close", "positions.write", h_positions_close, T,
     "Stop recruiting"},
    {HTTP_POST, "/api/v1/positions/{id}/apply", "placement.apply", h_position_apply, T,
     "Apply to a position", apply_fields},
    {HTTP_GET, "/api/v1/positions/{id}/applications", "placement.recruit",
     h_position_applications, T, "Applicants of an own position", NULL, status_query},

    {HTTP_GET, "/api/v1/students", "students.read", h_students_list, T, "Student profiles", NULL,
     student_query},
    {HTTP_POST, "/api/v1/students", "students.manage", h_students_create, T, "Add a student",
     student_fields},
    {HTTP_POST, "/api/v1/students/import", "students.manage", h_students_import, T,
     "Import a class (CSV; all rows or none)", NULL, import_query, CSV, false, CSV_MAX},
    {HTTP_POST, "/api/v1/students/activate", PERM_PUBLIC, h_students_activate, T,
     "Activate a student account with the school's code", activate_fields},
    {HTTP_GET, "/api/v1/students/{id}", "students.read", h_students_get, T, "One student"},
    {HTTP_PATCH, "/api/v1/students/{id}", "students.manage", h_students_update, T,
     "Edit a student", student_update_fields},
    {HTTP_DELETE, "/api/v1/students/{id}", "students.manage", h_students_delete, T,
     "Delete a student"},
    {HTTP_POST, "/api/v1/students/{id}/activation", "students.manage", h_students_activation, T,
     "Issue a one-time activation code"},
    {HTTP_PUT, "/api/v1/students/{id}/outcome", "outcomes.write", h_outcome_put, T,
     "Set a graduate's outcome", outcome_fields},
    {HTTP_DELETE, "/api/v1/students/{id}/outcome", "outcomes.write", h_outcome_delete, T,
     "Remove a graduate's outcome"},
    {HTTP_GET, "/api/v1/me/student", "placement.apply", h_me_student, T, "My student profile"},
    {HTTP_PATCH, "/api/v1/me/student", "placement.apply", h_me_student_update, T,
     "My preferred cities", me_fields},

    {HTTP_GET, "/api/v1/job-applications", "placement.apply", h_my_applications, T,
     "My applications", NULL, status_query},
    {HTTP_POST, "/api/v1/job-applications/{id}/withdraw", "placement.apply", h_application_withdraw,
     T, "Withdraw my application"},
    {HTTP_POST, "/api/v1/job-applications/{id}/accept", "placement.recruit", h_application_accept, T,
     "Accept an applicant", comment_optional},
    {HTTP_POST, "/api/v1/job-applications/{id}/decline", "placement.recruit", h_application_decline,
     T, "Decline an applicant", comment_optional},

    {HTTP_GET, "/api/v1/rounds", PERM_SESSION, h_rounds_list, T, "Matching rounds", NULL,
     round_query},
    {HTTP_POST, "/api/v1/rounds", "rounds.manage", h_rounds_create, T, "Create a round",
     round_fields},
    {HTTP_GET, "/api/v1/rounds/{id}", PERM_SESSION, h_rounds_get, T, "One round"},
    {HTTP_PATCH, "/api/v1/rounds/{id}", "rounds.manage", h_rounds_update, T, "Edit a round",
     round_update_fields},
    {HTTP_GET, "/api/v1/rounds/{id}/positions", PERM_SESSION, h_round_positions, T,
     "The positions of a round"},
    {HTTP_PUT, "/api/v1/rounds/{id}/positions", "rounds.manage", h_round_positions_put, T,
     "Set the positions of a draft round", items_fields},
    {HTTP_POST, "/api/v1/rounds/{id}/open", "rounds.manage", h_round_open, T,
     "Open for choices"},
    {HTTP_POST, "/api/v1/rounds/{id}/close-choices", "rounds.manage", h_round_close_choices, T,
     "Close choices; enterprises rank"},
    {HTTP_POST, "/api/v1/rounds/{id}/run", "rounds.manage", h_round_run, T,
     "Run the matching (a job)", run_fields},
    {HTTP_POST, "/api/v1/rounds/{id}/publish", "rounds.manage", h_round_publish, T,
     "Publish the results"},
    {HTTP_POST, "/api/v1/rounds/{id}/close", "rounds.manage", h_round_close, T,
     "Close; unanswered offers expire"},
    {HTTP_POST, "/api/v1/rounds/{id}/second", "rounds.manage", h_round_second, T,
     "A second round with the remaining seats", second_fields},
    {HTTP_GET, "/api/v1/rounds/{id}/choices/mine", "placement.apply", h_choices_mine, T,
     "My choices"},
    {HTTP_PUT, "/api/v1/rounds/{id}/choices/mine", "placement.apply", h_choices_put, T,
     "Submit my ranked choices", choices_fields},
    {HTTP_GET, "/api/v1/rounds/{id}/positions/{pid}/applicants", "placement.recruit",
     h_round_applicants, T, "Students who chose an own position"},
    {HTTP_PUT, "/api/v1/rounds/{id}/positions/{pid}/ranking", "placement.recruit",
     h_ranking_put, T, "Rank the applicants (left out: not acceptable)", ranking_fields},
    {HTTP_PUT, "/api/v1/rounds/{id}/positions/{pid}/scores", "placement.recruit", h_scores_put,
     T, "Interview scores", scores_fields},
    {HTTP_GET, "/api/v1/rounds/{id}/positions/{pid}/results", "placement.recruit",
     h_position_results, T, "Students placed at an own position"},
    {HTTP_GET, "/api/v1/rounds/{id}/results", "rounds.manage", h_round_results, T,
     "All results of a round", NULL, results_query},
    {HTTP_GET, "/api/v1/rounds/{id}/results/mine", "placement.apply", h_results_mine, T,
     "My result and why"},
    {HTTP_POST, "/api/v1/rounds/{id}/results/mine/accept", "placement.apply", h_result_accept, T,
     "Accept my offer"},
    {HTTP_POST, "/api/v1/rounds/{id}/results/mine/decline", "placement.apply", h_result_decline,
     T, "Decline my offer"},
    {HTTP_GET, "/api/v1/rounds/{id}/fairness", "rounds.manage", h_round_fairness, T,
     "Placement and first-choice rates by school, city or major", NULL, fairness_query},

    {HTTP_GET, "/api/v1/outcomes", "outcomes.read", h_outcomes_list, T,
     "Graduates' employment outcomes", NULL, outcome_query},
    {HTTP_POST, "/api/v1/outcomes/import", "outcomes.write", h_outcomes_import, T,
     "Import outcomes (CSV; all rows or none)", NULL, import_query, CSV, false, CSV_MAX},
    {HTTP_GET, "/api/v1/outcomes/stats", "outcomes.read", h_outcomes_stats, T,
     "Employment and in-field rates", NULL, stats_query},
    {HTTP_GET, "/api/v1/outcomes/export", "outcomes.read", h_outcomes_export, T,
     "The rates as XLSX or CSV", NULL, export_query},
    {0},
};
