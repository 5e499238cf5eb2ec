/*
 * demo.c - the demo placement record: 19 positions of 13 member
 * enterprises, 800 fictional students of 8 schools (2024-2026 graduates),
 * the spring 2026 internship round run through the same engine and code
 * as the API and answered, an order-class round open for choices, a few
 * applications, and the 2024 and 2025 graduates' outcomes.
 *
 * Names are made from common surnames and given-name characters by a
 * seeded generator, so they belong to nobody and come out the same on
 * every run. The demo student login (王同学) is linked to one profile.
 */
#include "modules/placement/internal.h"
#include "modules/directory/directory.h"
#include "lib/match/lottery.h"
#include "base/time.h"

#include <stdio.h>
#include <string.h>

#define DEMO_SEED 20260301u
#define SCHOOLS 8
#define DAY_MS (24LL * 3600 * 1000)

struct demo_position {
    const char *unit, *kind, *title, *occupation, *majors;
    int seats, min_level, pay_min, pay_max;
    bool order_round; /* in the open order-class round, not the spring round */
    bool manual;      /* ranked by hand (the others by score) */
};

static const struct demo_position demo_positions[] = {
    {"河钢集团有限公司", "order_class", "河钢订单班（电气自动化）", "维修电工",
     "电气自动化设备安装与维修\n机电一体化\n", 12, 4, 4500, 6000, true, false},
    {"河钢集团有限公司", "internship", "轧钢设备点检实习生", "设备点检员",
     "机电一体化\n数控加工技术\n", 8, 0, 2500, 3000, false, true},
    {"河钢集团有限公司", "job", "焊接技术员", "焊工", "焊接加工\n", 6, 3, 6000, 8500, false,
     false},
    {"长城汽车股份有限公司", "order_class", "长城汽车订单班（汽车装调）", "汽车装调工",
     "汽车维修\n机电一体化\n", 15, 4, 5000, 7000, true, false},
    {"长城汽车股份有限公司", "internship", "整车质量检验实习", "质检员", "汽车维修\n", 10, 0,
     2800, 3500, false, false},
    {"长城汽车股份有限公司", "job", "涂装机器人运维", "工业机器人系统运维员",
     "工业机器人应用与维护\n", 5, 3, 7000, 9000, false, false},
    {"开滦（集团）有限责任公司", "job", "矿山机电维修工", "维修电工",
     "电气自动化设备安装与维修\n机电一体化\n", 8, 4, 5500, 7500, false, false},
    {"冀中能源集团有限责任公司", "internship", "设备维修实习", "机修钳工", "机电一体化\n", 6,
     0, 2500, 3000, false, false},
    {"唐山三友集团有限公司", "job", "化工总控工", "化工总控工", "化工工艺\n", 10, 4, 5000,
     6500, false, false},
    {"唐山三友集团有限公司", "internship", "化验分析实习", "化学检验员", "化工工艺\n", 6, 0,
     2400, 2800, false, true},
    {"晶龙实业集团有限公司", "job", "光伏设备运维", "电工", "电气自动化设备安装与维修\n", 8, 4,
     4800, 6000, false, false},
    {"新奥集团股份有限公司", "internship", "燃气设备运维实习", "燃气具安装维修工",
     "机电一体化\n电气自动化设备安装与维修\n", 6, 0, 2600, 3200, false, false},
    {"新奥集团股份有限公司", "job", "IT运维工程师助理", "网络与信息安全管理员",
     "计算机网络应用\n", 4, 4, 5500, 7000, false, false},
    {"石药集团有限公司", "job", "制剂设备操作工", "药物制剂工", "化工工艺\n机电一体化\n", 10,
     0, 4500, 5500, false, false},
    {"中车唐山机车车辆有限公司", "order_class", "中车订单班（轨道车辆焊接）", "焊工",
     "焊接加工\n", 12, 4, 5500, 7500, true, false},
    {"中车唐山机车车辆有限公司", "job", "数控加工操作工", "数控车工", "数控加工技术\n", 8, 3,
     6000, 8000, false, false},
    {"河北港口集团有限公司", "internship", "港口机械维修实习", "起重装卸机械操作工",
     "机电一体化\n电气自动化设备安装与维修\n", 8, 0, 2500, 3000, false, false},
    {"潍柴动力股份有限公司", "order_class", "潍柴订单班（发动机装配）", "装配钳工",
     "数控加工技术\n机电一体化\n汽车维修\n", 15, 4, 5000, 7000, true, false},
    {"太原重型机械集团有限公司", "job", "大型铸锻件数控加工", "数控铣工", "数控加工技术\n", 6,
     3, 6500, 8500, false, false},
};
#define NPOS (sizeof(demo_positions) / sizeof(demo_positions[0]))

static const char *const majors[] = {"数控加工技术", "电气自动化设备安装与维修", "汽车维修",
                                     "工业机器人应用与维护", "焊接加工", "化工工艺",
                                     "计算机网络应用", "机电一体化"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高", "罗"};
static const char *const given[] = {"子", "涵", "浩", "宇", "欣", "怡", "俊", "杰", "思", "雨",
                                    "晨", "博", "文", "佳", "明", "轩", "婷", "磊", "鑫", "瑶",
                                    "嘉", "琪", "航", "凯", "诗", "远", "泽", "楠"};

static uint64_t draws;

/* The next number of the demo's sequence, below n. */
static uint32_t pick(uint32_t n)
{
    return (uint32_t)(match_ticket(DEMO_SEED, (int64_t)++draws) % n);
}

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

static enum err add_positions(struct db *db, int64_t ids[NPOS], int64_t now)
{
    for (size_t i = 0; i < NPOS; i++) {
        const struct demo_position *p = &demo_positions[i];
        struct db_stmt *st = db_prepare(
            db, "INSERT INTO positions(unit_id, kind, title, occupation, city, seats, majors, "
                "min_level, certificate, pay_min, pay_max, starts_on, ends_on, description, "
                "status, created_at, updated_at) SELECT id, $2, $3, $4, city, $5, $6, $7, $8, $9, "
                "$10, '2026-03-01', '2026-12-31', $11, 'published', $12, $12 FROM units WHERE "
                "name = $1");
        db_bind_text(st, 1, p->unit, -1);
        db_bind_text(st, 2, p->kind, -1);
        db_bind_text(st, 3, p->title, -1);
        db_bind_text(st, 4, p->occupation, -1);
        db_bind_int(st, 5, p->seats);
        db_bind_text(st, 6, p->majors, -1);
        db_bind_int(st, 7, p->min_level);
        db_bind_text(st, 8, p->min_level ? "职业技能等级证书" : "", -1);
        db_bind_int(st, 9, p->pay_min);
        db_bind_int(st, 10, p->pay_max);
        db_bind_text(st, 11,
                     "面向联盟成员院校学生。岗位提供带教师傅和轮岗培训，包食宿，按规定缴纳社会保险。",
                     -1);
        db_bind_int(st, 12, now);
        enum err e = db_run(st);
        if (e != ERR_OK || db_changes(db) != 1)
            return e != ERR_OK ? e : ERR_NOT_FOUND;
        ids[i] = db_last_id(db);
    }
    return ERR_OK;
}

/* One fictional student; returns her id (0 on error). */
static int64_t add_student(struct db *db, int64_t school, int school_no, int year, int seq,
                           const char *name, int64_t now)
{
    char no[16], full[16];
    snprintf(no, sizeof(no), "%d%02d%03d", year, school_no, seq);
    if (name == NULL) {
        snprintf(full, sizeof(full), "%s%s%s", surnames[pick(COUNT(surnames))],
                 given[pick(COUNT(given))], pick(3) ? given[pick(COUNT(given))] : "");
        name = full;
    }
    int level = (int)(2 + pick(4)); /* 二级 .. 五级 */
    int award = pick(6) == 0 ? (int)(10 + pick(4) * 10) : 0;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO students(unit_id, student_no, name, major, year, skill_level, "
            "certificates, awards, award_points, school_score, cities, created_at, updated_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (SELECT city FROM units WHERE id = "
            "$1) || char(10), $11, $11)");
    db_bind_int(st, 1, school);
    db_bind_text(st, 2, no, -1);
    db_bind_text(st, 3, name, -1);
    db_bind_text(st, 4, majors[(seq + school_no) % COUNT(majors)], -1);
    db_bind_int(st, 5, year);
    db_bind_int(st, 6, level);
    db_bind_text(st, 7, level <= 4 ? "职业技能等级证书\n" : "", -1);
    db_bind_text(st, 8, award ? "河北省职业院校技能大赛 三等奖\n" : "", -1);
    db_bind_int(st, 9, award);
    db_bind_int(st, 10, 60 + pick(39));
    db_bind_int(st, 11, now);
    return db_run(st) == ERR_OK ? db_last_id(db) : 0;
}

/* A student's choices: positions for her major first, then a few others. */
static enum err add_choices(struct db *db, int64_t round, int64_t student, const char *major,
                            const int64_t pos[NPOS], bool order_round)
{
    int64_t chosen[8];
    int n = 0;
    for (size_t i = 0; i < NPOS && n < 6; i++) {
        const struct demo_position *p = &demo_positions[i];
        if (p->order_round == order_round && strstr(p->majors, major) && pick(5) != 0)
            chosen[n++] = pos[i];
    }
    for (int tries = 0; tries < 6 && n < 8; tries++) {
        size_t i = pick(NPOS);
        bool dup = demo_positions[i].order_round != order_round;
        for (int k = 0; k < n && !dup; k++)
            dup = chosen[k] == pos[i];
        if (!dup && pick(2))
            chosen[n++] = pos[i];
    }
    for (int k = 0; k < n; k++) {
        struct db_stmt *st = db_prepare(db, "INSERT INTO round_choices(round_id, student_id, "
                                            "place, position_id) VALUES ($1, $2, $3, $4)");
        db_bind_int(st, 1, round);
        db_bind_int(st, 2, student);
        db_bind_int(st, 3, k);
        db_bind_int(st, 4, chosen[k]);
        enum err e = db_run(st);
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}

static int64_t add_round(struct db *db, const char *name, const char *status, int64_t choices,
                         int64_t answer, const int64_t pos[NPOS], bool order_round, int64_t now)
{
    struct db_stmt *st = db_prepare(db, "INSERT INTO rounds(name, status, choices_deadline, "
                                        "answer_deadline, created_at, updated_at) VALUES ($1, $2, "
                                        "$3, $4, $5, $5)");
    db_bind_text(st, 1, name, -1);
    db_bind_text(st, 2, status, -1);
    db_bind_int(st, 3, choices);
    db_bind_int(st, 4, answer);
    db_bind_int(st, 5, now);
    if (db_run(st) != ERR_OK)
        return 0;
    int64_t round = db_last_id(db);
    for (size_t i = 0; i < NPOS; i++) {
        if (demo_positions[i].order_round != order_round)
            continue;
        st = db_prepare(db, "INSERT INTO round_positions(round_id, position_id, seats, rule, "
                            "w_level, w_awards, w_school) VALUES ($1, $2, $3, $4, 10, 2, 1)");
        db_bind_int(st, 1, round);
        db_bind_int(st, 2, pos[i]);
        db_bind_int(st, 3, demo_positions[i].seats);
        db_bind_text(st, 4, demo_positions[i].manual ? "manual" : "score", -1);
        if (db_run(st) != ERR_OK)
            return 0;
    }
    return round;
}

/* Hand rankings for the manual positions: by school score, some left out. */
static enum err rank_by_hand(struct db *db, int64_t round)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO round_rankings(round_id, position_id, student_id, rank) SELECT c.round_id, "
            "c.position_id, c.student_id, row_number() OVER (PARTITION BY c.position_id ORDER BY "
            "s.school_score DESC, s.id) - 1 FROM round_choices c JOIN students s ON s.id = "
            "c.student_id JOIN round_positions x ON x.round_id = c.round_id AND x.position_id = "
            "c.position_id WHERE c.round_id = $1 AND x.rule = 'manual' AND s.school_score >= 65");
    db_bind_int(st, 1, round);
    return db_run(st);
}

/* Runs, publishes and answers the spring round, then closes it. */
static enum err spring_round(struct db *db, int64_t round, int64_t now)
{
    json_t *stats = NULL;
    enum err e = rank_by_hand(db, round);
    if (e == ERR_OK)
        e = pl_round_run(db, round, DEMO_SEED, NULL, &stats);
    json_decref(stats);
    struct db_stmt *st;
    if (e == ERR_OK) {
        st = db_prepare(db, "SELECT student_id FROM round_results WHERE round_id = $1 AND status "
                            "= 'offered' ORDER BY student_id");
        db_bind_int(st, 1, round);
        int64_t ids[1000];
        size_t n = 0;
        while (db_step(st) == DB_ROW && n < 1000)
            ids[n++] = db_col_int(st, 0);
        db_done(st);
        for (size_t i = 0; i < n && e == ERR_OK; i++) {
            uint32_t r = pick(20); /* 15 accept, 3 decline, 2 never answer */
            if (r >= 18)
                continue;
            st = db_prepare(db, "UPDATE round_results SET status = $3, answered_at = $4 WHERE "
                                "round_id = $1 AND student_id = $2");
            db_bind_int(st, 1, round);
            db_bind_int(st, 2, ids[i]);
            db_bind_text(st, 3, r < 15 ? "accepted" : "declined", -1);
            db_bind_int(st, 4, now - 20 * DAY_MS);
            e = db_run(st);
        }
    }
    if (e != ERR_OK)
        return e;
    st = db_prepare(db, "UPDATE round_results SET status = 'expired' WHERE round_id = $1 AND "
                        "status = 'offered'");
    db_bind_int(st, 1, round);
    if ((e = db_run(st)) != ERR_OK)
        return e;
    st = db_prepare(db, "UPDATE rounds SET status = 'closed', published_at = $2 WHERE id = $1");
    db_bind_int(st, 1, round);
    db_bind_int(st, 2, now - 30 * DAY_MS);
    return db_run(st);
}

static const char *const bands[] = {"lt3k", "3k_5k", "5k_8k", "8k_12k", "ge12k"};

/* A graduate's outcome: mostly in field at a member enterprise. */
static enum err add_outcome(struct db *db, int64_t student, int64_t now)
{
    uint32_t r = pick(100);
    const char *status = r < 56 ? "employed_in_field" : r < 78 ? "employed"
                                                    : r < 90 ? "further_study"
                                                             : "seeking";
    const struct demo_position *p = &demo_positions[pick(NPOS)];
    bool works = strcmp(status, "employed_in_field") == 0 || strcmp(status, "employed") == 0;
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO outcomes(student_id, status, employer, city, salary_band, updated_at) "
            "VALUES ($1, $2, $3, (SELECT city FROM units WHERE name = $4), $5, $6)");
    db_bind_int(st, 1, student);
    db_bind_text(st, 2, status, -1);
    db_bind_text(st, 3, works ? p->unit : "", -1);
    db_bind_text(st, 4, works ? p->unit : "", -1);
    db_bind_text(st, 5, works ? bands[1 + pick(3)] : NULL, -1);
    db_bind_int(st, 6, now);
    return db_run(st);
}

struct school_list {
    int64_t id[SCHOOLS];
    int n;
};

static void schools_of(struct db *db, struct school_list *s)
{
    struct db_stmt *st = db_prepare(db, "SELECT id FROM units WHERE kind IN ('technical_school', "
                                        "'vocational_college') AND status = 'active' ORDER BY "
                                        "role = 'chair' DESC, id LIMIT 8");
    s->n = 0;
    while (db_step(st) == DB_ROW && s->n < SCHOOLS)
        s->id[s->n++] = db_col_int(st, 0);
    db_done(st);
}

/* Students of year at every school; the cohort in a round chooses there. */
static enum err add_cohort(struct db *db, const struct school_list *sc, int year, int per_school,
                           int64_t round, const int64_t pos[NPOS], bool outcomes,
                           struct placement_demo_counts *out, int64_t now)
{
    for (int k = 0; k < sc->n; k++) {
        for (int i = 1; i <= per_school; i++) {
            bool me = year == 2026 && k == 0 && i == 1;
            int64_t s = add_student(db, sc->id[k], k + 1, year, i, me ? "王同学" : NULL, now);
            if (s == 0)
                return ERR_INTERNAL;
            out->students++;
            enum err e = ERR_OK;
            const char *major = majors[(i + k + 1) % COUNT(majors)];
            if (round)
                e = add_choices(db, round, s, major, pos, false);
            if (e == ERR_OK && outcomes) {
                e = add_outcome(db, s, now);
                out->outcomes++;
            }
            if (e == ERR_OK && me) {
                struct db_stmt *st = db_prepare(db, "UPDATE students SET user_id = (SELECT id "
                                                    "FROM users WHERE username = 'student') "
                                                    "WHERE id = $1");
                db_bind_int(st, 1, s);
                e = db_run(st);
            }
            if (e != ERR_OK)
                return e;
        }
    }
    return ERR_OK;
}

/* Choices in the open order-class round by some 2026 students who are
 * not placed (the demo student keeps hers free for the console). */
static enum err order_choices(struct db *db, int64_t round, const int64_t pos[NPOS])
{
    struct db_stmt *st = db_prepare(
        db, "SELECT s.id, s.major FROM students s WHERE s.year = 2026 AND s.user_id IS NULL AND "
            "NOT EXISTS (SELECT 1 FROM round_results t WHERE t.student_id = s.id AND t.status = "
            "'accepted') ORDER BY s.id LIMIT 60");
    int64_t ids[60];
    char mj[60][64];
    int n = 0;
    while (db_step(st) == DB_ROW && n < 60) {
        ids[n] = db_col_int(st, 0);
        snprintf(mj[n++], sizeof(mj[0]), "%s", db_col_text(st, 1));
    }
    db_done(st);
    for (int i = 0; i < n; i++) {
        enum err e = add_choices(db, round, ids[i], mj[i], pos, true);
        if (e != ERR_OK)
            return e;
    }
    return ERR_OK;
}

static enum err add_applications(struct db *db, const int64_t pos[NPOS], int64_t now)
{
    struct db_stmt *st = db_prepare(
        db, "INSERT INTO job_applications(position_id, student_id, note, created_at) SELECT $1, "
            "s.id, '希望到贵单位实习，服从岗位安排。', $2 FROM students s WHERE s.year = 2026 AND "
            "s.major IN ('焊接加工', '机电一体化') ORDER BY s.id LIMIT 6");
    db_bind_int(st, 1, pos[2]);
    db_bind_int(st, 2, now - 3 * DAY_MS);
    return db_run(st);
}

enum err placement_demo_load(struct db *db, struct placement_demo_counts *out)
{
    memset(out, 0, sizeof(*out));
    draws = 0;
    int64_t now = time_now_ms(), pos[NPOS];
    struct school_list sc;
    schools_of(db, &sc);
    enum err e = add_positions(db, pos, now);
    if (e != ERR_OK || sc.n == 0)
        return e != ERR_OK ? e : ERR_NOT_FOUND;
    out->positions = (int)NPOS;
    int64_t spring = add_round(db, "2026届春季实习与就业双选（第一轮）", "ranking",
                               now - 45 * DAY_MS, now - 25 * DAY_MS, pos, false, now);
    int64_t order = add_round(db, "2026届订单班双选", "open", now + 14 * DAY_MS,
                              now + 28 * DAY_MS, pos, true, now);
    if (spring == 0 || order == 0)
        return ERR_INTERNAL;
    out->rounds = 2;
    if ((e = add_cohort(db, &sc, 2026, 30, spring, pos, false, out, now)) != ERR_OK ||
        (e = add_cohort(db, &sc, 2025, 40, 0, pos, true, out, now)) != ERR_OK ||
        (e = add_cohort(db, &sc, 2024, 30, 0, pos, true, out, now)) != ERR_OK ||
        (e = spring_round(db, spring, now)) != ERR_OK ||
        (e = order_choices(db, order, pos)) != ERR_OK)
        return e;
    return add_applications(db, pos, now);
}
