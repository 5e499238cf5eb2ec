/*
 * api.c - the governance routes, their permissions and field lists
 * (docs/governance.md). Handlers live in charter.c, bodies.c, meetings.c,
 * attendees.c, motions.c, ballots.c, certify.c and plan.c.
 */
#include "modules/governance/internal.h"
#include "modules/files.h"

static const char *const bool_choices[] = {"true", "false", NULL};
static const char *const invite_scopes[] = {"members", "council", "expert_committee", NULL};
static const char *const rule_codes[] = {"ordinary", "charter", "election", NULL};

#define PAGING {"page", FT_INT, false, 0, NULL, NULL}, {"page_size", FT_INT, false, 0, NULL, NULL}

static const struct http_field paging_query[] = {PAGING, {0}};

static const struct http_field charter_fields[] = {
    {"title", FT_STRING, true, 200, NULL, NULL},
    {"body", FT_STRING, true, 200000, NULL, "Markdown"},
    {"note", FT_STRING, false, 2000, NULL, "what changed"},
    {"based_on", FT_INT, false, 0, NULL, "the version this one revises"},
    {0},
};
static const struct http_field charter_update_fields[] = {
    {"title", FT_STRING, false, 200, NULL, NULL},
    {"body", FT_STRING, false, 200000, NULL, "Markdown"},
    {"note", FT_STRING, false, 2000, NULL, NULL},
    {0},
};
static const struct http_field diff_query[] = {
    {"from", FT_INT, true, 0, NULL, "version id"},
    {"to", FT_INT, true, 0, NULL, "version id"},
    {0},
};

static const char *const all_rule_codes[] = {"quorum", "ordinary", "charter", "election", NULL};
static const char *const bases[] = {"members", "present", "cast", "decisive", NULL};
static const struct http_field rule_fields[] = {
    {"code", FT_ENUM, true, 10, all_rule_codes, NULL},
    {"base", FT_ENUM, true, 10, bases, "members, present, cast (yes+no+abstain), decisive (yes+no)"},
    {"num", FT_INT, true, 0, NULL, "the fraction's numerator"},
    {"den", FT_INT, true, 0, NULL, "its denominator (<= 1000)"},
    {"strict", FT_BOOL, true, 0, NULL, "true: more than; false: at least"},
    {0},
};
static const struct http_field proxies_fields[] = {
    {"max_proxies", FT_INT, true, 0, NULL, "0 to 10; 0: no proxies"},
    {0},
};

static const struct http_field term_fields[] = {
    {"body", FT_ENUM, true, 20, body_kinds, NULL},
    {"number", FT_INT, true, 0, NULL, "1 = 第一届"},
    {"starts_on", FT_DATE, true, 10, NULL, NULL},
    {"ends_on", FT_DATE, true, 10, NULL, NULL},
    {0},
};
static const struct http_field term_query[] = {
    {"body", FT_ENUM, false, 20, body_kinds, NULL},
    PAGING,
    {0},
};
static const struct http_field end_fields[] = {
    {"ended_on", FT_DATE, true, 10, NULL, NULL},
    {0},
};
static const struct http_field verify_query[] = {
    {"code", FT_STRING, true, 16, NULL, "the code printed on the letter"},
    {0},
};

static const struct http_field meeting_fields[] = {
    {"kind", FT_ENUM, true, 20, meeting_kinds, NULL},
    {"title", FT_STRING, true, 200, NULL, NULL},
    {"starts_at", FT_STRING, true, 16, NULL, "YYYY-MM-DD HH:MM"},
    {"ends_at", FT_STRING, false, 16, NULL, "YYYY-MM-DD HH:MM"},
    {"place", FT_STRING, false, 200, NULL, NULL},
    {"online_url", FT_STRING, false, 500, NULL, "https://..."},
    {0},
};
static const struct http_field meeting_update_fields[] = {
    {"kind", FT_ENUM, false, 20, meeting_kinds, NULL},
    {"title", FT_STRING, false, 200, NULL, NULL},
    {"starts_at", FT_STRING, false, 16, NULL, NULL},
    {"ends_at", FT_STRING, false, 16, NULL, NULL},
    {"place", FT_STRING, false, 200, NULL, NULL},
    {"online_url", FT_STRING, false, 500, NULL, NULL},
    {"status", FT_ENUM, false, 10, meeting_statuses, "planned -> open -> closed"},
    {"minutes", FT_STRING, false, 200000, NULL, "Markdown"},
    {0},
};
static const struct http_field meeting_query[] = {
    {"kind", FT_ENUM, false, 20, meeting_kinds, NULL},
    {"status", FT_ENUM, false, 10, meeting_statuses, NULL},
    {"q", FT_STRING, false, 64, NULL, "title or place contains"},
    PAGING,
    {0},
};
static const struct http_field agenda_fields[] = {
    {"title", FT_STRING, true, 200, NULL, NULL},
    {"detail", FT_STRING, false, 4000, NULL, NULL},
    {0},
};
static const struct http_field attendee_fields[] = {
    {"unit_id", FT_INT, false, 0, NULL, "a unit (votes through its representative)"},
    {"person_id", FT_INT, false, 0, NULL, "or a person"},
    {"representative", FT_STRING, false, 50, NULL, "who attends for the unit"},
    {"voting", FT_BOOL, false, 0, NULL, "default true"},
    {"scope", FT_ENUM, false, 20, invite_scopes, "invite a whole body at once"},
    {0},
};
static const struct http_field attendee_query[] = {
    {"q", FT_STRING, false, 64, NULL, "unit, person or representative contains"},
    {"checked_in", FT_ENUM, false, 5, bool_choices, NULL},
    PAGING,
    {0},
};
static const struct http_field upload_query[] = {
    {"name", FT_STRING, true, 100, NULL, "the file's name, for display and download"},
    {0},
};
static const struct http_field checkin_fields[] = {
    {"code", FT_STRING, true, 16, NULL, "the meeting's check-in code"},
    {0},
};
static const struct http_field proxy_fields[] = {
    {"to", FT_INT, true, 0, NULL, "the attendee holding the vote; 0 withdraws"},
    {0},
};

static const struct http_field motion_fields[] = {
    {"title", FT_STRING, true, 200, NULL, NULL},
    {"body", FT_STRING, false, 200000, NULL, "Markdown"},
    {"kind", FT_ENUM, true, 10, motion_kinds, NULL},
    {"ballot", FT_ENUM, false, 8, ballot_kinds, "default open"},
    {"per_item", FT_BOOL, false, 0, NULL, "election: a vote per candidate"},
    {"changeable", FT_BOOL, false, 0, NULL, "open ballots may change while the vote is open"},
    {"charter_version_id", FT_INT, false, 0, NULL, "charter: the draft to adopt"},
    {"term_id", FT_INT, false, 0, NULL, "election: the term the appointments belong to"},
    {"rule", FT_ENUM, false, 10, rule_codes, "default: the kind's rule"},
    {0},
};
static const struct http_field motion_update_fields[] = {
    {"title", FT_STRING, false, 200, NULL, NULL},
    {"body", FT_STRING, false, 200000, NULL, NULL},
    {"kind", FT_ENUM, false, 10, motion_kinds, "cannot change"},
    {"ballot", FT_ENUM, false, 8, ballot_kinds, NULL},
    {"per_item", FT_BOOL, false, 0, NULL, NULL},
    {"changeable", FT_BOOL, false, 0, NULL, NULL},
    {"charter_version_id", FT_INT, false, 0, NULL, NULL},
    {"term_id", FT_INT, false, 0, NULL, NULL},
    {"rule", FT_ENUM, false, 10, rule_codes, NULL},
    {0},
};
static const struct http_field item_fields[] = {
    {"position", FT_ENUM, true, 20, positions, NULL},
    {"unit_id", FT_INT, false, 0, NULL, "council: the unit holding the seat"},
    {"person_id", FT_INT, false, 0, NULL, "its representative, or the committee member"},
    {0},
};
static const struct http_field open_fields[] = {
    {"minutes", FT_INT, false, 0, NULL, "voting window; none: closed by hand"},
    {0},
};
static const struct http_field ballot_fields[] = {
    {"attendee_id", FT_INT, true, 0, NULL, "one's own attendee or one holding its proxy"},
    {"choice", FT_ENUM, false, 8, vote_choices, "a vote on the whole motion"},
    {"items", FT_ARRAY, false, 256, NULL, "per-candidate votes: [{item_id, choice}]"},
    {0},
};
static const struct http_field resolution_query[] = {
    {"q", FT_STRING, false, 64, NULL, "title or number contains"},
    {"meeting_id", FT_INT, false, 0, NULL, NULL},
    PAGING,
    {0},
};

static const struct http_field task_fields[] = {
    {"year", FT_INT, true, 0, NULL, NULL},
    {"title", FT_STRING, true, 200, NULL, NULL},
    {"detail", FT_STRING, false, 4000, NULL, NULL},
    {"owner_unit_id", FT_INT, true, 0, NULL, "the unit responsible"},
    {"deadline", FT_DATE, true, 10, NULL, NULL},
    {0},
};
static const struct http_field task_update_fields[] = {
    {"year", FT_INT, false, 0, NULL, NULL},
    {"title", FT_STRING, false, 200, NULL, NULL},
    {"detail", FT_STRING, false, 4000, NULL, NULL},
    {"owner_unit_id", FT_INT, false, 0, NULL, NULL},
    {"deadline", FT_DATE, false, 10, NULL, NULL},
    {"status", FT_ENUM, false, 12, plan_statuses, NULL},
    {0},
};
static const struct http_field task_query[] = {
    {"year", FT_INT, false, 0, NULL, NULL},
    {"unit_id", FT_INT, false, 0, NULL, "owner unit"},
    {"status", FT_ENUM, false, 12, plan_statuses, NULL},
    {"overdue", FT_ENUM, false, 5, bool_choices, NULL},
    {"q", FT_STRING, false, 64, NULL, "title contains"},
    PAGING,
    {0},
};
static const struct http_field progress_fields[] = {
    {"on_date", FT_DATE, true, 10, NULL, NULL},
    {"percent", FT_INT, true, 0, NULL, "0 to 100"},
    {"note", FT_STRING, true, 2000, NULL, NULL},
    {"status", FT_ENUM, false, 12, plan_statuses, "default: done at 100, else in_progress"},
    {0},
};
static const struct http_field summary_query[] = {
    {"year", FT_INT, true, 0, NULL, NULL},
    {0},
};

#define G "governance"
#define MANAGE "governance.manage"
#define READ "governance.read"

const struct http_route governance_routes[] = {
    {HTTP_GET, "/api/v1/charter", PERM_PUBLIC, h_charter_current, G, "The charter in force"},
    {HTTP_GET, "/api/v1/charter/versions", READ, h_charter_versions, G, "Charter versions", NULL,
     paging_query},
    {HTTP_POST, "/api/v1/charter/versions", MANAGE, h_charter_create, G, "Draft a charter version",
     charter_fields},
    {HTTP_GET, "/api/v1/charter/versions/{id}", READ, h_charter_get, G, "One charter version"},
    {HTTP_PATCH, "/api/v1/charter/versions/{id}", MANAGE, h_charter_update, G, "Edit a draft",
     charter_update_fields},
    {HTTP_DELETE, "/api/v1/charter/versions/{id}", MANAGE, h_charter_delete, G,
     "Delete a draft"},
    {HTTP_GET, "/api/v1/charter/diff", READ, h_charter_diff, G, "Line diff of two versions", NULL,
     diff_query},
    {HTTP_GET, "/api/v1/vote-rules", READ, h_vote_rules, G, "The charter's vote rules"},
    {HTTP_PUT, "/api/v1/vote-rules", MANAGE, h_vote_rule_put, G,
     "Set one vote rule (as the charter in force says)", rule_fields},
    {HTTP_PUT, "/api/v1/vote-rules/proxies", MANAGE, h_proxies_put, G,
     "How many absent members one present member may represent", proxies_fields},

    {HTTP_GET, "/api/v1/terms", PERM_PUBLIC, h_terms_list, G, "Terms of the council and the "
     "expert committee", NULL, term_query},
    {HTTP_POST, "/api/v1/terms", MANAGE, h_terms_create, G, "Add a term", term_fields},
    {HTTP_GET, "/api/v1/terms/{id}", PERM_PUBLIC, h_terms_get, G, "A term with its holders"},
    {HTTP_GET, "/api/v1/bodies", PERM_PUBLIC, h_bodies, G, "The current council and committee"},
    {HTTP_POST, "/api/v1/appointments/{id}/end", MANAGE, h_appointment_end, G,
     "End an appointment early", end_fields},
    {HTTP_GET, "/api/v1/appointments/{id}/letter", READ, h_appointment_letter, G,
     "The appointment letter (PDF)"},
    {HTTP_GET, "/api/v1/appointments/verify", PERM_PUBLIC, h_appointment_verify, G,
     "Verify an appointment letter by its code", NULL, verify_query},

    {HTTP_GET, "/api/v1/meetings", READ, h_meetings_list, G, "Meetings", NULL, meeting_query},
    {HTTP_POST, "/api/v1/meetings", MANAGE, h_meetings_create, G, "Call a meeting",
     meeting_fields},
    {HTTP_GET, "/api/v1/meetings/{id}", READ, h_meetings_get, G, "One meeting"},
    {HTTP_PATCH, "/api/v1/meetings/{id}", MANAGE, h_meetings_update, G, "Edit a meeting",
     meeting_update_fields},
    {HTTP_POST, "/api/v1/meetings/{id}/agenda", MANAGE, h_agenda_add, G, "Add an agenda item",
     agenda_fields},
    {HTTP_DELETE, "/api/v1/meetings/{id}/agenda/{item}", MANAGE, h_agenda_delete, G,
     "Remove an agenda item"},
    {HTTP_GET, "/api/v1/meetings/{id}/attachments", READ, h_attachments_list, G,
     "Attachments of the minutes"},
    {HTTP_POST, "/api/v1/meetings/{id}/attachments", MANAGE, h_attachments_add, G,
     "Attach a file to the minutes: the raw bytes as the body (PDF, image, Word, Excel, "
     "PowerPoint or text, checked by content; at most 4 MiB)",
     NULL, upload_query, "application/octet-stream", false, FILES_MAX_BYTES},
    {HTTP_GET, "/api/v1/meetings/{id}/attachments/{file}", READ, h_attachments_get, G,
     "Download an attachment"},
    {HTTP_DELETE, "/api/v1/meetings/{id}/attachments/{file}", MANAGE, h_attachments_delete, G,
     "Remove an attachment"},
    {HTTP_GET, "/api/v1/meetings/{id}/attendees", READ, h_attendees_list, G, "Attendees", NULL,
     attendee_query},
    {HTTP_POST, "/api/v1/meetings/{id}/attendees", MANAGE, h_attendees_add, G,
     "Invite a unit, a person, or a whole body", attendee_fields},
    {HTTP_DELETE, "/api/v1/meetings/{id}/attendees/{aid}", MANAGE, h_attendees_delete, G,
     "Withdraw an invitation"},
    {HTTP_POST, "/api/v1/meetings/{id}/attendees/{aid}/check-in", MANAGE, h_checkin_by_admin, G,
     "Check an attendee in"},
    {HTTP_DELETE, "/api/v1/meetings/{id}/attendees/{aid}/check-in", MANAGE, h_checkin_undo, G,
     "Undo a check-in"},
    {HTTP_POST, "/api/v1/meetings/{id}/check-in", "meetings.vote", h_checkin_self, G,
     "Check oneself in with the meeting's code", checkin_fields},
    {HTTP_POST, "/api/v1/meetings/{id}/attendees/{aid}/proxy", MANAGE, h_proxy, G,
     "Record that an attendee gives its vote to one present", proxy_fields},
    {HTTP_POST, "/api/v1/meetings/{id}/proxy", "meetings.vote", h_proxy_own, G,
     "Give one's own vote to an attendee present", proxy_fields},

    {HTTP_POST, "/api/v1/meetings/{id}/motions", MANAGE, h_motions_create, G, "Table a motion",
     motion_fields},
    {HTTP_GET, "/api/v1/motions/{id}", READ, h_motions_get, G, "One motion with its tally"},
    {HTTP_PATCH, "/api/v1/motions/{id}", MANAGE, h_motions_update, G, "Edit a draft motion",
     motion_update_fields},
    {HTTP_POST, "/api/v1/motions/{id}/items", MANAGE, h_items_add, G, "Add a candidate",
     item_fields},
    {HTTP_DELETE, "/api/v1/motions/{id}/items/{item}", MANAGE, h_items_delete, G,
     "Remove a candidate"},
    {HTTP_POST, "/api/v1/motions/{id}/open", MANAGE, h_motions_open, G, "Open the vote",
     open_fields},
    {HTTP_POST, "/api/v1/motions/{id}/close", MANAGE, h_motions_close, G, "Close the vote"},
    {HTTP_POST, "/api/v1/motions/{id}/certify", MANAGE, h_motions_certify, G,
     "Certify the result (writes the resolution when passed)"},
    {HTTP_POST, "/api/v1/motions/{id}/ballots", "meetings.vote", h_ballots_cast, G,
     "Cast a ballot", ballot_fields},
    {HTTP_GET, "/api/v1/me/ballots", "meetings.vote", h_my_ballots, G,
     "Open motions the caller may vote on"},
    {HTTP_GET, "/api/v1/resolutions", PERM_PUBLIC, h_resolutions_list, G, "Resolutions", NULL,
     resolution_query},
    {HTTP_GET, "/api/v1/resolutions/{id}", PERM_PUBLIC, h_resolutions_get, G,
     "One resolution with its certified numbers"},

    {HTTP_GET, "/api/v1/plan/tasks", READ, h_plan_list, G, "Work plan tasks", NULL, task_query},
    {HTTP_POST, "/api/v1/plan/tasks", MANAGE, h_plan_create, G, "Add a task", task_fields},
    {HTTP_GET, "/api/v1/plan/tasks/{id}", READ, h_plan_get, G, "One task with its progress"},
    {HTTP_PATCH, "/api/v1/plan/tasks/{id}", MANAGE, h_plan_update, G, "Edit a task",
     task_update_fields},
    {HTTP_DELETE, "/api/v1/plan/tasks/{id}", MANAGE, h_plan_delete, G, "Remove a task"},
    {HTTP_POST, "/api/v1/plan/tasks/{id}/updates", "plan.update", h_plan_progress, G,
     "Report progress (a unit_admin: its own unit's tasks)", progress_fields},
    {HTTP_GET, "/api/v1/plan/summary", READ, h_plan_summary, G, "Progress by unit", NULL,
     summary_query},
    {0},
};
