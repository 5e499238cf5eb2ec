/* internal.h - helpers shared inside the governance module only. */
#ifndef JL_MODULES_GOVERNANCE_INTERNAL_H
#define JL_MODULES_GOVERNANCE_INTERNAL_H

#include "modules/governance/governance.h"
#include "lib/votes.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The choices of the module's enumerations. */
extern const char *const meeting_kinds[], *const meeting_statuses[], *const motion_kinds[],
    *const ballot_kinds[], *const vote_choices[], *const body_kinds[], *const positions[],
    *const plan_statuses[];

/* Loads the rule of code ("quorum", "ordinary", ...); false if unknown. */
bool rule_load(struct db *db, const char *code, struct vote_rule *out);

/* The meeting's attendance under the charter: members (voting
 * attendees), present (in person or by valid proxy). */
struct attendance {
    int members, present;
};
enum err meeting_attendance(struct db *db, int64_t meeting, struct attendance *out);
/* The attendance as it would be with attendee from's proxy set to to
 * (from 0: as stored; to 0: withdrawn), and whether every proxy is then
 * valid. */
enum vote_proxy_error attendance_eval(struct db *db, int64_t meeting, int64_t from, int64_t to,
                                      struct attendance *out);
/* The meeting's quorum as JSON {members,present,quorate,needed,rule}. */
json_t *meeting_quorum_json(struct db *db, int64_t meeting);

/* The attendees the caller stands for at a meeting: its own (by unit for
 * unit-scoped roles, by person for a user linked to one) and those that
 * gave it a proxy. Returns the count written to ids (at most cap); *own is
 * the caller's own attendee or 0. */
int caller_attendees(struct http_req *req, int64_t meeting, int64_t *ids, int cap, int64_t *own);

/* A fresh verification code for an appointment letter (12 characters
 * without 0/O and 1/I) into out (cap >= 13). */
void appointment_code(char *out, size_t cap);

/* The current term of body ("council", "expert_committee"), or 0. */
int64_t term_current(struct db *db, const char *body);

/* Writes the appointments of an adopted election motion. */
enum err appointments_from_motion(struct db *db, int64_t motion, int64_t resolution);
/* Makes the charter version of an adopted charter motion the one in force. */
enum err charter_adopt(struct db *db, int64_t version, int64_t resolution, int64_t when);

/* Certifies a closed motion as user at time when: the results, the
 * resolution when it passes (out->resolution), its effects, status
 * certified. ERR_CONFLICT unless closed. */
struct certified {
    int passed;         /* items (or the motion) that passed */
    int64_t resolution; /* its id, 0 when it failed */
};
enum err motion_certify(struct db *db, int64_t motion, int64_t user, int64_t when,
                        struct certified *out);

/* A motion's head row. */
struct motion_head {
    int64_t id, meeting, charter_version, term;
    char status[12], kind[12], ballot[8], rule[12];
    bool per_item, changeable;
    int64_t closes_at;
};
/* Loads motion id's head; false when there is none. */
bool motion_head_load(struct db *db, int64_t id, struct motion_head *h);
/* Is the motion open for ballots now (open, window not passed)? */
bool motion_is_open(const struct motion_head *h);
/* The ballots' tally of a motion: {cast, yes, no, abstain} or, per item,
 * {cast, items:[{item_id, yes, no, abstain}]}. */
json_t *motion_tally(struct db *db, const struct motion_head *h);

/* The candidates of a motion as a JSON array. */
json_t *motion_items_json(struct db *db, int64_t motion);
/* The caller's voting rights on a motion: {can_vote, attendees:[{attendee_id,
 * name, proxy, voted}]}. */
json_t *motion_my(struct http_req *req, const struct motion_head *h);

/* Route handlers, by file. */
enum err h_charter_current(struct http_req *req);
enum err h_charter_versions(struct http_req *req);
enum err h_charter_create(struct http_req *req);
enum err h_charter_get(struct http_req *req);
enum err h_charter_update(struct http_req *req);
enum err h_charter_delete(struct http_req *req);
enum err h_charter_diff(struct http_req *req);
enum err h_vote_rules(struct http_req *req);
enum err h_vote_rule_put(struct http_req *req);
enum err h_proxies_put(struct http_req *req);

enum err h_terms_list(struct http_req *req);
enum err h_terms_create(struct http_req *req);
enum err h_terms_get(struct http_req *req);
enum err h_bodies(struct http_req *req);
enum err h_appointment_end(struct http_req *req);
enum err h_appointment_letter(struct http_req *req);
enum err h_appointment_verify(struct http_req *req);

enum err h_meetings_list(struct http_req *req);
enum err h_meetings_create(struct http_req *req);
enum err h_meetings_get(struct http_req *req);
enum err h_meetings_update(struct http_req *req);
enum err h_agenda_add(struct http_req *req);
enum err h_agenda_delete(struct http_req *req);
enum err h_attachments_list(struct http_req *req);
enum err h_attachments_add(struct http_req *req);
enum err h_attachments_get(struct http_req *req);
enum err h_attachments_delete(struct http_req *req);
enum err h_attendees_list(struct http_req *req);
enum err h_attendees_add(struct http_req *req);
enum err h_attendees_delete(struct http_req *req);
enum err h_checkin_by_admin(struct http_req *req);
enum err h_checkin_undo(struct http_req *req);
enum err h_checkin_self(struct http_req *req);
enum err h_proxy(struct http_req *req);
enum err h_proxy_own(struct http_req *req);

enum err h_motions_create(struct http_req *req);
enum err h_motions_get(struct http_req *req);
enum err h_motions_update(struct http_req *req);
enum err h_items_add(struct http_req *req);
enum err h_items_delete(struct http_req *req);
enum err h_motions_open(struct http_req *req);
enum err h_motions_close(struct http_req *req);
enum err h_motions_certify(struct http_req *req);
enum err h_ballots_cast(struct http_req *req);
enum err h_my_ballots(struct http_req *req);
enum err h_resolutions_list(struct http_req *req);
enum err h_resolutions_get(struct http_req *req);

enum err h_plan_list(struct http_req *req);
enum err h_plan_create(struct http_req *req);
enum err h_plan_get(struct http_req *req);
enum err h_plan_update(struct http_req *req);
enum err h_plan_delete(struct http_req *req);
enum err h_plan_progress(struct http_req *req);
enum err h_plan_summary(struct http_req *req);

#endif
