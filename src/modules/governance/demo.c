/*
 * demo.c - the demo alliance's governance record.
 *
 * The preparatory meeting of 2023-03-28 (finished): every active member
 * unit invited, most present, three proxies; three motions voted and
 * certified through the same code as the API (the charter, the expert
 * committee list by secret ballot, the council list), giving three
 * resolutions, the charter in force and the appointments of the first
 * terms. Then the founding assembly (finished), a council meeting being
 * prepared, and this year's work plan. The demo's expert account stands
 * for the committee's chair. Paper ballots are entered by the secretariat,
 * as a real meeting without devices would.
 */
#include "modules/governance/internal.h"
#include "base/embed.h"
#include "base/time.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const struct embedded_file *data_file(const char *name);

/* 2023-03-28 09:30 and 2023-04-18 09:00, China time, in Unix ms. */
#define PREP_AT 1679967000000LL
#define FOUNDING_AT 1681779600000LL

static enum err run(struct db *db, const char *sql)
{
    return db_exec(db, sql);
}

static int64_t insert_meeting(struct db *db, const char *kind, const char *title,
                              const char *starts, const char *place, const char *status)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO meetings(kind, title, starts_at, place, status, checkin_code, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)");
    char code[7];
    static const char digits[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    for (int i = 0; i < 6; i++)
        code[i] = digits[randombytes_uniform(sizeof(digits) - 1)];
    code[6] = '\0';
    db_bind_text(st, 1, kind, -1);
    db_bind_text(st, 2, title, -1);
    db_bind_text(st, 3, starts, -1);
    db_bind_text(st, 4, place, -1);
    db_bind_text(st, 5, status, -1);
    db_bind_text(st, 6, code, -1);
    db_bind_int(st, 7, PREP_AT - 86400000LL * 20);
    return db_run(st) == ERR_OK ? db_last_id(db) : 0;
}

static enum err agenda(struct db *db, int64_t meeting, const char *const *titles)
{
    enum err e = ERR_OK;
    for (int i = 0; e == ERR_OK && titles[i]; i++) {
        struct db_stmt *st = db_prepare(db, "INSERT INTO agenda_items(meeting_id, seq, title) "
                                            "VALUES ($1, $2, $3)");
        db_bind_int(st, 1, meeting);
        db_bind_int(st, 2, i + 1);
        db_bind_text(st, 3, titles[i], -1);
        e = db_run(st);
    }
    return e;
}

/* Invites every active unit; all check in but every tenth, and three of
 * the absent give their vote to the chair unit and two vice-chair units. */
static enum err attendance(struct db *db, int64_t meeting, int64_t secretariat)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO attendees(meeting_id, unit_id, representative, checked_in_at, "
            "checked_in_by) SELECT $1, u.id, coalesce((SELECT p.name FROM people p WHERE "
            "p.unit_id = u.id ORDER BY p.id LIMIT 1), ''), CASE WHEN u.id % 10 = 0 THEN NULL ELSE "
            "$2 END, CASE WHEN u.id % 10 = 0 THEN NULL ELSE $3 END FROM units u WHERE u.status = "
            "'active' ORDER BY u.id");
    db_bind_int(st, 1, meeting);
    db_bind_int(st, 2, PREP_AT - 1800000);
    db_bind_int(st, 3, secretariat);
    enum err e = db_run(st);
    /* The k-th absent unit (k < 3) gives its vote to the k-th officer unit present. */
    st = db_prepare(
        db, "WITH absent AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM attendees WHERE "
            "meeting_id = $1 AND checked_in_at IS NULL), holders AS (SELECT a.id, row_number() "
            "OVER (ORDER BY u.role <> 'chair', a.id) AS k FROM attendees a JOIN units u ON u.id = "
            "a.unit_id WHERE a.meeting_id = $1 AND a.checked_in_at IS NOT NULL AND u.role IN "
            "('chair', 'vice_chair')) UPDATE attendees SET proxy_to = (SELECT h.id FROM holders h "
            "JOIN absent b ON b.k = h.k WHERE b.id = attendees.id) WHERE id IN (SELECT id FROM "
            "absent WHERE k <= 3)");
    db_bind_int(st, 1, meeting);
    if (e == ERR_OK)
        e = db_run(st);
    return e;
}

static int64_t insert_motion(struct db *db, int64_t meeting, int seq, const char *title,
                             const char *body, const char *kind, const char *ballot,
                             int64_t version, int64_t term)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO motions(meeting_id, seq, title, body, kind, rule, ballot, "
            "charter_version_id, term_id, status, opened_at, closed_at, closes_at, created_at, "
            "updated_at) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, 'open', $9, NULL, NULL, $9, "
            "$9)");
    db_bind_int(st, 1, meeting);
    db_bind_int(st, 2, seq);
    db_bind_text(st, 3, title, -1);
    db_bind_text(st, 4, body, -1);
    db_bind_text(st, 5, kind, -1);
    db_bind_text(st, 6, ballot, -1);
    if (version)
        db_bind_int(st, 7, version);
    if (term)
        db_bind_int(st, 8, term);
    db_bind_int(st, 9, PREP_AT + seq * 1800000LL);
    return db_run(st) == ERR_OK ? db_last_id(db) : 0;
}

/* Every voting attendee present votes for itself and for the absent
 * attendee whose proxy it holds: choice yes, but `no_every` and
 * `abstain_every` pick a few dissenters by position. */
static enum err cast_all(struct db *db, int64_t motion, int64_t meeting, bool secret,
                         int64_t secretariat, int no_every, int abstain_every)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT a.id FROM attendees a LEFT JOIN attendees h ON h.id = a.proxy_to WHERE "
            "a.meeting_id = $1 AND a.voting = 1 AND (a.checked_in_at IS NOT NULL OR (a.proxy_to "
            "IS NOT NULL AND h.checked_in_at IS NOT NULL)) ORDER BY a.id");
    db_bind_int(st, 1, meeting);
    int64_t ids[1000];
    int n = 0;
    while (n < 1000 && db_step(st) == DB_ROW)
        ids[n++] = db_col_int(st, 0);
    db_done(st);
    enum err e = ERR_OK;
    for (int i = 0; e == ERR_OK && i < n; i++) {
        const char *choice = (no_every && i % no_every == no_every - 1)           ? "no"
                             : (abstain_every && i % abstain_every == abstain_every / 2) ? "abstain"
                                                                                     : "yes";
        if (secret) {
            st = db_prepare(db, "INSERT INTO secret_receipts(motion_id, attendee_id, cast_at) "
                                "VALUES ($1, $2, $3)");
            db_bind_int(st, 1, motion);
            db_bind_int(st, 2, ids[i]);
            db_bind_int(st, 3, PREP_AT + 7200000);
            e = db_run(st);
            unsigned char key[16];
            randombytes_buf(key, sizeof(key));
            st = db_prepare(db, "INSERT INTO secret_votes(id, motion_id, choice) VALUES ($1, $2, "
                                "$3)");
            db_bind_blob(st, 1, key, sizeof(key));
            db_bind_int(st, 2, motion);
            db_bind_text(st, 3, choice, -1);
        } else {
            st = db_prepare(db, "INSERT INTO ballots(motion_id, attendee_id, choice, cast_by, "
                                "cast_at) VALUES ($1, $2, $3, $4, $5)");
            db_bind_int(st, 1, motion);
            db_bind_int(st, 2, ids[i]);
            db_bind_text(st, 3, choice, -1);
            db_bind_int(st, 4, secretariat);
            db_bind_int(st, 5, PREP_AT + 7200000);
        }
        if (e == ERR_OK)
            e = db_run(st);
    }
    return e;
}

/* Closes the vote with the meeting's attendance and certifies it. */
static enum err close_and_certify(struct db *db, int64_t motion, int64_t meeting,
                                  int64_t secretariat, int64_t when)
{
    struct attendance a;
    meeting_attendance(db, meeting, &a);
    struct db_stmt *st = db_prepare(db, "UPDATE motions SET status = 'closed', closed_at = $2, "
                                        "closes_at = $2, members = $3, present = $4 WHERE id = $1");
    db_bind_int(st, 1, motion);
    db_bind_int(st, 2, when);
    db_bind_int(st, 3, a.members);
    db_bind_int(st, 4, a.present);
    enum err e = db_run(st);
    struct certified c;
    if (e == ERR_OK)
        e = motion_certify(db, motion, secretariat, when, &c);
    return e == ERR_OK && c.resolution == 0 ? ERR_INTERNAL : e;
}

/* Candidates: the expert committee from the first person of nine units,
 * the council from the units' alliance roles. */
static enum err candidates(struct db *db, int64_t experts, int64_t council)
{
    static const char *const sql[] = {
        "INSERT INTO motion_items(motion_id, seq, position, unit_id, person_id) SELECT $1, "
        "row_number() OVER (ORDER BY u.id), CASE WHEN row_number() OVER (ORDER BY u.id) = 1 THEN "
        "'chair' WHEN row_number() OVER (ORDER BY u.id) <= 3 THEN 'vice_chair' ELSE 'member' END, "
        "u.id, (SELECT max(p.id) FROM people p WHERE p.unit_id = u.id) FROM units u WHERE "
        "u.status = 'active' AND u.kind IN ('technical_school', 'research_institute', "
        "'vocational_college') AND EXISTS (SELECT 1 FROM people p WHERE p.unit_id = u.id) ORDER "
        "BY u.id LIMIT 9",
        "INSERT INTO motion_items(motion_id, seq, position, unit_id, person_id) SELECT $2, "
        "row_number() OVER (ORDER BY CASE u.role WHEN 'chair' THEN 1 WHEN 'vice_chair' THEN 2 "
        "ELSE 4 END, u.id), CASE u.role WHEN 'chair' THEN 'chair' WHEN 'vice_chair' THEN "
        "'vice_chair' ELSE 'director' END, u.id, (SELECT min(p.id) FROM people p WHERE "
        "p.unit_id = u.id) FROM units u WHERE u.status = 'active' AND u.role IN ('chair', "
        "'vice_chair', 'council')",
        /* The secretary-general: the chair unit's second person. */
        "INSERT INTO motion_items(motion_id, seq, position, unit_id, person_id) SELECT $2, 100, "
        "'secretary_general', u.id, (SELECT p.id FROM people p WHERE p.unit_id = u.id ORDER BY "
        "p.id LIMIT 1 OFFSET 1) FROM units u WHERE u.role = 'chair' AND u.status = 'active'",
    };
    enum err e = ERR_OK;
    for (size_t i = 0; e == ERR_OK && i < sizeof(sql) / sizeof(sql[0]); i++) {
        struct db_stmt *st = db_prepare(db, sql[i]);
        if (i == 0)
            db_bind_int(st, 1, experts);
        else
            db_bind_int(st, 2, council);
        e = db_run(st);
    }
    return e;
}

static enum err preparatory_meeting(struct db *db, int64_t secretariat, int64_t version,
                                    int64_t council, int64_t experts)
{
    static const char *const items[] = {
        "审议《京津冀及周边技工教育联盟章程（草案）》", "审议联盟徽标设计方案",
        "表决专家委员会组成人员建议名单", "表决第一届理事会及理事长、副理事长、秘书长建议名单",
        "讨论2023年度工作计划", NULL};
    int64_t m = insert_meeting(db, "preparatory", "京津冀及周边技工教育联盟筹备会议",
                               "2023-03-28 09:30", "石家庄市技师学院学术报告厅", "open");
    enum err e = m ? agenda(db, m, items) : ERR_INTERNAL;
    if (e == ERR_OK)
        e = attendance(db, m, secretariat);
    int64_t x1 = insert_motion(db, m, 1, "审议《京津冀及周边技工教育联盟章程（草案）》",
                               "筹备组起草的章程草案，经成员单位征求意见后提请本次会议表决。",
                               "charter", "open", version, 0);
    int64_t x2 = insert_motion(db, m, 2, "表决专家委员会组成人员建议名单",
                               "提请表决第一届专家委员会主任委员、副主任委员和委员建议名单。",
                               "election", "secret", 0, experts);
    int64_t x3 = insert_motion(db, m, 3, "表决第一届理事会组成建议名单",
                               "提请表决理事长单位、副理事长单位、秘书长和理事单位建议名单。",
                               "election", "open", 0, council);
    if (e == ERR_OK && !(x1 && x2 && x3))
        e = ERR_INTERNAL;
    if (e == ERR_OK)
        e = candidates(db, x2, x3);
    if (e == ERR_OK)
        e = cast_all(db, x1, m, false, secretariat, 0, 20);
    if (e == ERR_OK)
        e = cast_all(db, x2, m, true, secretariat, 27, 18);
    if (e == ERR_OK)
        e = cast_all(db, x3, m, false, secretariat, 50, 40);
    for (int i = 0; e == ERR_OK && i < 3; i++)
        e = close_and_certify(db, (int64_t[]){x1, x2, x3}[i], m, secretariat,
                              PREP_AT + 9000000 + i * 600000LL);
    struct db_stmt *st = db_prepare(
        db, "UPDATE meetings SET status = 'closed', ends_at = '2023-03-28 12:00', minutes = $2 "
            "WHERE id = $1");
    db_bind_int(st, 1, m);
    db_bind_text(st, 2,
                 "# 筹备会议纪要\n\n会议由筹备组召集，应到成员单位全部出席或委托出席，"
                 "符合章程规定的法定人数。\n\n会议表决通过了联盟章程、专家委员会组成人员名单"
                 "和第一届理事会组成名单，讨论了2023年度工作计划。\n",
                 -1);
    return e == ERR_OK ? db_run(st) : e;
}

static enum err later_meetings(struct db *db)
{
    static const char *const founding[] = {"宣读筹备会议决议", "为理事单位和专家委员颁发聘书",
                                           "理事长讲话", "签署校企合作框架协议", NULL};
    static const char *const council[] = {"审议2026年度工作总结", "审议2027年度工作计划",
                                          "审议新成员单位入盟申请", NULL};
    int64_t f = insert_meeting(db, "general_assembly", "京津冀及周边技工教育联盟成立大会",
                               "2023-04-18 09:00", "石家庄国际会展中心", "closed");
    int64_t c = insert_meeting(db, "council", "第一届理事会第四次会议", "2027-01-15 14:30",
                               "天津市职业技能公共实训中心", "planned");
    enum err e = f && c ? agenda(db, f, founding) : ERR_INTERNAL;
    if (e == ERR_OK)
        e = agenda(db, c, council);
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO attendees(meeting_id, unit_id, representative) SELECT $1, a.unit_id, "
            "min(a.holder_name) FROM appointments a JOIN terms t ON t.id = a.term_id WHERE t.body "
            "= 'council' AND a.unit_id IS NOT NULL GROUP BY a.unit_id ORDER BY a.unit_id");
    db_bind_int(st, 1, c);
    return e == ERR_OK ? db_run(st) : e;
}

static enum err work_plan(struct db *db)
{
    static const struct {
        const char *title, *deadline, *status;
        int percent;
        const char *role;
    } tasks[] = {
        {"举办第三届京津冀技工院校学生职业技能大赛", "2026-10-31", "done", 100, "chair"},
        {"建设联盟共享课程资源库（首批50门）", "2026-12-31", "in_progress", 70, "vice_chair"},
        {"组织骨干教师跨校交流研修", "2026-08-31", "done", 100, "vice_chair"},
        {"开展职业技能等级认定质量督导", "2026-09-30", "in_progress", 60, "council"},
        {"发布区域技能人才需求报告", "2026-06-30", "in_progress", 40, "council"},
        {"推进订单班合作项目落地", "2026-11-30", "in_progress", 85, "council"},
        {"完成联盟门户网站改版", "2026-05-31", "done", 100, "chair"},
        {"举办产教融合对接洽谈会", "2026-12-20", "planned", 0, "vice_chair"},
    };
    enum err e = ERR_OK;
    for (size_t i = 0; e == ERR_OK && i < sizeof(tasks) / sizeof(tasks[0]); i++) {
        struct db_stmt *st = db_prepare(
            db, "INSERT INTO plan_tasks(year, title, owner_unit_id, deadline, status, percent, "
                "created_at, updated_at) SELECT 2026, $1, id, $2, $3, $4, $5, $5 FROM units WHERE "
                "role = $6 AND status = 'active' ORDER BY id LIMIT 1 OFFSET $7");
        db_bind_text(st, 1, tasks[i].title, -1);
        db_bind_text(st, 2, tasks[i].deadline, -1);
        db_bind_text(st, 3, tasks[i].status, -1);
        db_bind_int(st, 4, tasks[i].percent);
        db_bind_int(st, 5, time_now_ms());
        db_bind_text(st, 6, tasks[i].role, -1);
        db_bind_int(st, 7, (int64_t)(i % 3));
        e = db_run(st);
    }
    if (e == ERR_OK)
        e = run(db, "INSERT INTO plan_updates(task_id, on_date, percent, note, created_at) "
                    "SELECT id, '2026-06-30', percent / 2, '完成阶段性工作，按计划推进。', 0 FROM "
                    "plan_tasks WHERE percent > 0");
    return e;
}

enum err governance_demo_load(struct db *db)
{
    const struct embedded_file *charter = data_file("charter.md");
    int64_t secretariat = db_scalar(db_prepare(db, "SELECT coalesce(min(id), 0) FROM users WHERE "
                                                   "role = 'alliance_admin'"));
    if (charter == NULL || secretariat == 0)
        return ERR_INTERNAL;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO charter_versions(title, body, note, created_by, created_at, updated_at) "
            "VALUES ('京津冀及周边技工教育联盟章程（草案）', $1, '筹备组起草', $2, $3, $3)");
    db_bind_text(st, 1, (const char *)charter->data, (long)charter->len);
    db_bind_int(st, 2, secretariat);
    db_bind_int(st, 3, PREP_AT - 86400000LL * 30);
    enum err e = db_run(st);
    int64_t version = db_last_id(db);
    if (e == ERR_OK)
        e = run(db, "INSERT INTO terms(body, number, starts_on, ends_on, created_at) VALUES "
                    "('council', 1, '2023-04-18', '2028-04-17', 0), ('expert_committee', 1, "
                    "'2023-04-18', '2028-04-17', 0)");
    int64_t council = db_scalar(db_prepare(db, "SELECT id FROM terms WHERE body = 'council'"));
    int64_t experts =
        db_scalar(db_prepare(db, "SELECT id FROM terms WHERE body = 'expert_committee'"));
    if (e == ERR_OK)
        e = preparatory_meeting(db, secretariat, version, council, experts);
    if (e == ERR_OK)
        e = later_meetings(db);
    if (e == ERR_OK)
        e = work_plan(db);
    /* The demo expert stands for the committee's chair. */
    if (e == ERR_OK)
        e = run(db, "UPDATE users SET person_id = (SELECT a.person_id FROM appointments a JOIN "
                    "terms t ON t.id = a.term_id WHERE t.body = 'expert_committee' AND a.position "
                    "= 'chair') WHERE username = 'expert'");
    return e;
}
