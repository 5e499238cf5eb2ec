"""The permission matrix: every route, for every role, against the declared
policy in tests/api/policy.json.

SEC-B1  one route table, default deny, a test walks every route for every
        role: openapi.json (generated from the route tables) and policy.json
        must list the same routes, and each route answers each role (and the
        anonymous caller) exactly as declared: 401 without a session, 403
        without the permission, 2xx otherwise.
SEC-B2  the tenant comes from the session: a unit-scoped role acting on
        another unit's object gets 404 with no data, and its lists hold
        only its own unit's rows.
SEC-B3  object-level checks: another user's own object (a job) answers 404.
SEC-B4  each write accepts only its listed fields: role, unit_id, is_admin,
        user_id, id and created_at are refused with 400 naming the field
        wherever the route does not list them (and where a role may not use
        a listed one, e.g. unit_id in POST /api/v1/people by a unit_admin).
SEC-D1  every refusal (403) of a signed-in caller is in the audit log.

One server for the whole file; each demo user signs in once and its client
is reused (no wrong password is ever sent, so the lockout never triggers).
Destructive cases get a fresh object each (see RECIPES).
"""
import json
import os
import secrets
import sqlite3
import sys
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402
from harness import field_errors, make_mobile, make_uscc  # noqa: E402

with open(os.path.join(HERE, "policy.json"), encoding="utf-8") as _f:
    POLICY = json.load(_f)
ROLES = POLICY["roles"]                      # role -> {"user", "unit_scoped"}
ROUTES = POLICY["routes"]
MASS_FIELDS = POLICY["mass_assignment"]      # field -> a plausible value
TENANTS = ("none", "unit", "own")
WRITE_METHODS = ("POST", "PUT", "PATCH")

S = None
CLIENTS = {}   # role -> the reused Client (anonymous: a client without a session)
USERS = {}     # role -> the signed-in user (id, unit_id, ...)
JOBS = {}      # user id -> a job of that user
OPENAPI = {}   # (METHOD, path) -> operation
_MATRIX = []   # the matrix, run once: list of Case


def setUpModule():
    global S
    S = harness.start_server()
    try:
        for role, spec in ROLES.items():
            if spec["user"] is None:
                CLIENTS[role] = S.client()
                USERS[role] = None
                continue
            if S.roles.get(spec["user"]) != role:
                raise AssertionError("demo user %s has role %s, policy.json says %s" %
                                     (spec["user"], S.roles.get(spec["user"]), role))
            CLIENTS[role] = S.login(spec["user"])
            USERS[role] = CLIENTS[role].user
        doc = CLIENTS["anonymous"].get("/api/v1/openapi.json")
        if doc.status != 200:
            raise AssertionError("openapi.json: %s" % doc.status)
        for path, item in doc.data["paths"].items():
            for method, op in item.items():
                OPENAPI[(method.upper(), path)] = op
        _make_jobs()
    except BaseException:
        S.close()
        raise


def tearDownModule():
    S.close()


# --- values and placeholders ----------------------------------------------------

_n = [0]


def uniq():
    _n[0] += 1
    return "%d_%s" % (_n[0], secrets.token_hex(3))


def own_unit(role):
    u = USERS.get(role)
    return (u or {}).get("unit_id") or 1


def other_unit(role):
    return 2 if own_unit(role) != 2 else 3


def target_unit(role, scope):
    return other_unit(role) if scope == "other" else own_unit(role)


def credentials(role):
    user = ROLES[role]["user"] or "expert"   # anonymous signs in as the expert
    return user, S.logins[user]


def fill(value, vars_):
    """Replaces {placeholders} in strings (recursively); a placeholder alone
    ("{id}", "{unit}", "{to}", ...) becomes its value as it is (an integer)."""
    if isinstance(value, dict):
        return {k: fill(v, vars_) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, vars_) for v in value]
    if not isinstance(value, str):
        return value
    for key, v in vars_.items():
        if value == "{%s}" % key and not callable(v):
            return v
    for key, v in vars_.items():
        token = "{%s}" % key
        if token in value:
            value = value.replace(token, str(v() if callable(v) else v))
    return value


# --- fixtures (recipes named by policy.json "setup") -----------------------------


def _ok(r, what, status=(200, 201, 202)):
    if r.status not in status:
        raise AssertionError("setup %s: %s %r" % (what, r.status, r.data))
    return r.data


def _make_jobs():
    """A job per demo user: the secretariat's by a real import, the others'
    written straight to the database (only the secretariat can start one
    through the API today, but the rule is "the user who started it")."""
    admin = CLIENTS["alliance_admin"]
    csv = ("name,short_name,kind,uscc,city,role,status,joined,address,website,intro\r\n"
           "权限作业%s,,enterprise,%s,130200,member,active,2024-01-02,,,\r\n"
           % (uniq(), make_uscc()))
    r = admin.post("/api/v1/units/import", raw=csv, content_type="text/csv")
    job = _ok(r, "import job", (202,))["job_id"]
    deadline = time.monotonic() + 15
    while admin.get("/api/v1/jobs/%d" % job).data.get("state") not in ("done", "failed"):
        if time.monotonic() > deadline:
            raise AssertionError("import job %d did not end" % job)
        time.sleep(0.05)
    JOBS[USERS["alliance_admin"]["id"]] = job
    db = sqlite3.connect(S.db_path, timeout=30)
    try:
        with db:
            for role, user in USERS.items():
                if user is None or user["id"] in JOBS:
                    continue
                cur = db.execute("INSERT INTO jobs(kind, state, user_id, unit_id, created_at) "
                                 "VALUES ('permissions.fixture', 'done', ?, ?, ?)",
                                 (user["id"], user.get("unit_id"), int(time.time() * 1000)))
                JOBS[user["id"]] = cur.lastrowid
    finally:
        db.close()


class Ctx:
    """What a recipe sets for one case."""

    def __init__(self, role, scope):
        self.role, self.scope = role, scope
        self.client = CLIENTS[role]
        self.id = None
        self.after = None  # called with the response when it succeeded


def r_target_unit(entry, ctx):
    ctx.id = target_unit(ctx.role, ctx.scope)


def r_person(entry, ctx):
    body = {"name": "权限人员" + uniq(), "unit_id": target_unit(ctx.role, ctx.scope)}
    ctx.id = _ok(CLIENTS["alliance_admin"].post("/api/v1/people", body), "person")["id"]


def r_unit(entry, ctx):
    body = {"name": "权限删除单位" + uniq(), "kind": "enterprise", "uscc": make_uscc(),
            "city": "130100"}
    ctx.id = _ok(CLIENTS["alliance_admin"].post("/api/v1/units", body), "unit")["id"]


def r_application(entry, ctx):
    body = {"name": "权限申请" + uniq(), "kind": "enterprise", "uscc": make_uscc(),
            "city": "130100", "contact_name": "李四", "contact_phone": make_mobile()}
    ctx.id = _ok(S.client().post("/api/v1/applications", body), "application")["id"]


def r_user(entry, ctx):
    body = {"username": "permfix_" + uniq(), "role": "expert", "display_name": "权限夹具"}
    ctx.id = _ok(CLIENTS["system_admin"].post("/api/v1/users", body), "user")["user"]["id"]


def r_job(entry, ctx):
    me = USERS[ctx.role]
    owner = me or USERS["alliance_admin"]
    if ctx.scope == "other":  # another user's job
        admin = USERS["alliance_admin"]
        owner = USERS["system_admin"] if owner is admin else admin
    ctx.id = JOBS[owner["id"]]


def r_login_client(entry, ctx):
    """POST /session from a copy (or a new anonymous client), so the reused
    client keeps its own session."""
    ctx.client = ctx.client.copy() if USERS[ctx.role] else S.client()


def r_fresh_session(entry, ctx):
    """DELETE /session ends the session: use one signed in for this case."""
    user = ROLES[ctx.role]["user"]
    ctx.client = S.login(user) if user else S.client()


def r_password_change(entry, ctx):
    """The change ends the user's other sessions; the reused client gets the
    new one, and the harness's password list follows."""
    user = ROLES[ctx.role]["user"]
    new = "Perm-" + secrets.token_urlsafe(12)
    ctx.vars["new_password"] = new

    def after(resp):
        S.logins[user] = new
    ctx.after = after if user else None


# Governance: meetings, motions and their states, made by the secretariat (and
# straight in the database where no route makes the object).

def _sec():
    return CLIENTS["alliance_admin"]


def _db_write(sql, args):
    db = sqlite3.connect(S.db_path, timeout=30)
    try:
        with db:
            return db.execute(sql, args).lastrowid
    finally:
        db.close()


def _meeting(status="planned"):
    m = _ok(_sec().post("/api/v1/meetings", {"kind": "council", "title": "权限会议" + uniq(),
                                             "starts_at": "2031-06-01 09:00"}), "meeting")
    if status == "open":
        _ok(_sec().patch("/api/v1/meetings/%d" % m["id"], {"status": "open"}), "open meeting")
    return m


def _person_of(role, scope="own"):
    """A person the role's user stands for (own), or someone else (other)."""
    unit = target_unit(role, scope)
    p = _ok(_sec().post("/api/v1/people", {"name": "权限代表" + uniq(), "unit_id": unit}),
            "person")["id"]
    if scope == "own" and USERS[role] is not None:
        _db_write("UPDATE users SET person_id = ? WHERE id = ?", (p, USERS[role]["id"]))
    return p


def _invite(meeting, unit=None, person=None, check_in=False):
    body = {"unit_id": unit} if unit else {"person_id": person}
    a = _ok(_sec().post("/api/v1/meetings/%d/attendees" % meeting, body), "attendee")["id"]
    if check_in:
        _ok(_sec().post("/api/v1/meetings/%d/attendees/%d/check-in" % (meeting, a)), "check in")
    return a


def _my_attendee(meeting, role, check_in=False):
    """The caller's own attendee: its unit for a unit-scoped role, else the
    person its account stands for."""
    if ROLES[role]["unit_scoped"] and USERS[role]:
        return _invite(meeting, unit=own_unit(role), check_in=check_in)
    return _invite(meeting, person=_person_of(role), check_in=check_in)


def _other_units(role, n):
    mine = own_unit(role)
    return [u for u in range(2, 40) if u != mine][:n]


def _term(body="council"):
    r = _sec().get("/api/v1/terms?page_size=100&body=" + body).data["items"]
    number = max([t["number"] for t in r] + [0]) + 1
    return _ok(_sec().post("/api/v1/terms", {"body": body, "number": number,
                                             "starts_on": "2040-01-01",
                                             "ends_on": "2044-12-31"}), "term")["id"]


def _motion(meeting, kind="ordinary", **extra):
    body = {"title": "权限议案" + uniq(), "kind": kind}
    body.update(extra)
    return _ok(_sec().post("/api/v1/meetings/%d/motions" % meeting, body), "motion")["id"]


def r_charter_draft(entry, ctx):
    ctx.id = _ok(_sec().post("/api/v1/charter/versions", {"title": "权限章程" + uniq(),
                                                          "body": "第一条\n"}), "charter")["id"]


def r_charter_pair(entry, ctx):
    r_charter_draft(entry, ctx)
    ctx.vars["from"] = ctx.id
    r_charter_draft(entry, ctx)
    ctx.vars["to"] = ctx.id
    ctx.id = None


def r_term(entry, ctx):
    ctx.id = _term()


def r_term_number(entry, ctx):
    items = _sec().get("/api/v1/terms?page_size=100&body=council").data["items"]
    ctx.vars["term_number"] = 1 + max([t["number"] for t in items] + [0])


def r_appointment(entry, ctx):
    """An appointment held by the caller's person (own) or another (other)."""
    person = _person_of(ctx.role, ctx.scope)
    code = "PERM" + secrets.token_hex(4).upper()
    ctx.id = _db_write(
        "INSERT INTO appointments(term_id, position, person_id, holder_name, unit_name, "
        "starts_on, ends_on, verify_code, created_at) VALUES ((SELECT max(id) FROM terms), "
        "'member', ?, '权限委员', '', '2040-01-01', '2044-12-31', ?, 0)", (person, code))
    ctx.vars["code"] = code


def r_meeting(entry, ctx):
    ctx.id = _meeting()["id"]


def r_attachment(entry, ctx):
    ctx.id = _meeting()["id"]
    r = _sec().request("POST", "/api/v1/meetings/%d/attachments?name=%s.pdf" % (ctx.id, uniq()),
                       raw=b"%PDF-1.4\n", content_type="application/octet-stream")
    ctx.vars["file"] = _ok(r, "attachment")["id"]


def r_agenda_item(entry, ctx):
    ctx.id = _meeting()["id"]
    ctx.vars["item"] = _ok(_sec().post("/api/v1/meetings/%d/agenda" % ctx.id,
                                       {"title": "议程"}), "agenda")["id"]


def r_attendee(entry, ctx, check_in=False):
    ctx.id = _meeting("open")["id"]
    ctx.vars["aid"] = _invite(ctx.id, unit=_other_units(ctx.role, 1)[0], check_in=check_in)


def r_checked_attendee(entry, ctx):
    r_attendee(entry, ctx, check_in=True)


def r_meeting_with_me(entry, ctx):
    m = _meeting("open")
    ctx.id = m["id"]
    ctx.vars["code"] = m["checkin_code"]
    if USERS[ctx.role] is not None:
        _my_attendee(ctx.id, ctx.role)


def r_proxy_pair(entry, ctx):
    ctx.id = _meeting("open")["id"]
    a, b = _other_units(ctx.role, 2)
    ctx.vars["aid"] = _invite(ctx.id, unit=a)
    ctx.vars["to"] = _invite(ctx.id, unit=b, check_in=True)


def r_own_proxy(entry, ctx):
    ctx.id = _meeting("open")["id"]
    ctx.vars["to"] = _invite(ctx.id, unit=_other_units(ctx.role, 1)[0], check_in=True)
    if USERS[ctx.role] is not None:
        _my_attendee(ctx.id, ctx.role)


def r_motion(entry, ctx):
    ctx.id = _motion(_meeting()["id"])


def r_election_motion(entry, ctx):
    ctx.id = _motion(_meeting()["id"], "election", term_id=_term())


def r_election_item(entry, ctx):
    r_election_motion(entry, ctx)
    m = _ok(_sec().post("/api/v1/motions/%d/items" % ctx.id, {
        "position": "director", "unit_id": _other_units(ctx.role, 1)[0]}), "item")
    ctx.vars["item"] = m["items"][-1]["id"]


def r_motion_ready(entry, ctx):
    ctx.id = _motion(_meeting("open")["id"])


def r_motion_open(entry, ctx):
    r_motion_ready(entry, ctx)
    _ok(_sec().post("/api/v1/motions/%d/open" % ctx.id, {}), "open motion")


def r_motion_closed(entry, ctx):
    r_motion_open(entry, ctx)
    _ok(_sec().post("/api/v1/motions/%d/close" % ctx.id, {}), "close motion")


def r_ballot(entry, ctx):
    """An open motion at an open meeting where the caller is checked in."""
    m = _meeting("open")["id"]
    ctx.vars["aid"] = _my_attendee(m, ctx.role, check_in=True) if USERS[ctx.role] else 0
    ctx.id = _motion(m)
    _ok(_sec().post("/api/v1/motions/%d/open" % ctx.id, {}), "open motion")


def _png():
    import struct as st
    import zlib
    raw = b"".join(b"\x00" + bytes(12) for _ in range(4))

    def chunk(t, d):
        return st.pack(">I", len(d)) + t + d + st.pack(">I", zlib.crc32(t + d))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", st.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def r_article(entry, ctx, status="draft", kind="news", **extra):
    """An article of the case's unit (own) or another (other), written by
    the secretariat for that unit."""
    body = {"kind": kind, "title": "权限文章" + uniq(), "body": "正文",
            "unit_id": target_unit(ctx.role, ctx.scope)}
    body.update(extra)
    ctx.id = _ok(_sec().post("/api/v1/articles", body), "article")["id"]
    if status in ("submitted", "published"):
        _ok(_sec().post("/api/v1/articles/%d/submit" % ctx.id), "submit")
    if status == "published":
        _ok(_sec().post("/api/v1/articles/%d/publish" % ctx.id, {}), "publish")


def r_article_submitted(entry, ctx):
    r_article(entry, ctx, "submitted")


def r_article_published(entry, ctx):
    r_article(entry, ctx, "published")


def r_notice(entry, ctx):
    r_article(entry, ctx, "published", "notice", audience="members", needs_confirm=True)


def r_article_file(entry, ctx, status="published"):
    r_article(entry, ctx, status)
    r = _sec().request("POST", "/api/v1/articles/%d/files?name=p.png&role=image" % ctx.id,
                       raw=_png(), content_type="application/octet-stream")
    ctx.vars["file"] = _ok(r, "article file")["id"]


def r_task(entry, ctx):
    ctx.id = _ok(_sec().post("/api/v1/plan/tasks", {
        "year": 2031, "title": "权限任务" + uniq(), "deadline": "2031-12-31",
        "owner_unit_id": target_unit(ctx.role, ctx.scope)}), "task")["id"]


def r_draft_file(entry, ctx):
    r_article_file(entry, ctx, "draft")



# Placement: positions of enterprises, students of schools, rounds in each
# state, applications and results, made by the secretariat (and by the demo
# student or a second student where the student acts).

_PL = {}


def _enterprise(role, scope):
    """The recruiter's enterprise (own) or another enterprise (other)."""
    if "other_ent" not in _PL:
        items = _sec().get("/api/v1/units?kind=enterprise&page_size=5").data["items"]
        mine = USERS["enterprise_hr"]["unit_id"]
        _PL["other_ent"] = [u["id"] for u in items if u["id"] != mine][0]
    return _PL["other_ent"] if scope == "other" else USERS["enterprise_hr"]["unit_id"]


def _position(role, scope, status="published", **extra):
    body = {"kind": "job", "title": "权限岗位" + uniq(), "city": "130100", "seats": 1,
            "unit_id": _enterprise(role, scope)}
    body.update(extra)
    pid = _ok(_sec().post("/api/v1/positions", body), "position")["id"]
    if status in ("submitted", "published"):
        _ok(_sec().post("/api/v1/positions/%d/submit" % pid), "submit position")
    if status == "published":
        _ok(_sec().post("/api/v1/positions/%d/publish" % pid), "publish position")
    return pid


def _student(unit, **extra):
    body = {"student_no": "P" + uniq(), "name": "权限学生", "major": "焊接加工", "year": 2026,
            "unit_id": unit}
    body.update(extra)
    return _ok(_sec().post("/api/v1/students", body), "student")


def _second_student():
    """A second student with an account (the demo student is the first)."""
    if "second" not in _PL:
        s = _student(own_unit("student"))
        code = _ok(_sec().post("/api/v1/students/%d/activation" % s["id"]), "code")["code"]
        name = "permstu_" + uniq()
        _ok(S.client().post("/api/v1/students/activate",
                            {"code": code, "username": name, "password": "Kq7#mvT2pw!x"}), "activate")
        c = S.client()
        c.login(name, "Kq7#mvT2pw!x")
        _PL["second"] = (s["id"], c)
    return _PL["second"]


def _close_rounds_of(student):
    """Closes every unclosed round the student chose in (one round at a time)."""
    _db_write("UPDATE rounds SET status = 'closed' WHERE status <> 'closed' AND id IN (SELECT "
              "round_id FROM round_choices WHERE student_id = ?)", (student,))


def _free_student():
    _close_rounds_of(CLIENTS["student"].get("/api/v1/me/student").data["id"])


def _round(ctx, status, position=None, rule="manual", chooser=None):
    """A round with one position (published; the secretariat's choice), taken
    to status; chooser (a client) chooses the position while it is open."""
    pid = position or _position(ctx.role, ctx.scope)
    now = int(time.time() * 1000)
    rid = _ok(_sec().post("/api/v1/rounds", {"name": "权限轮次" + uniq(),
                                             "choices_deadline": now + 3600_000,
                                             "answer_deadline": now + 7200_000}), "round")["id"]
    _ok(_sec().put("/api/v1/rounds/%d/positions" % rid,
                   {"items": [{"position_id": pid, "rule": rule}]}), "round positions")
    ctx.id, ctx.vars["pid"], ctx.vars["pos"] = rid, pid, pid
    steps = ["open", "close-choices", "run", "publish", "close"]
    target = {"draft": 0, "open": 1, "ranking": 2, "matched": 3, "published": 4, "closed": 5}[status]
    for i, step in enumerate(steps[:target]):
        if step == "run":
            job = _ok(_sec().post("/api/v1/rounds/%d/run" % rid, {}), "run")["job_id"]
            for _ in range(400):
                j = _sec().get("/api/v1/jobs/%d" % job).data
                if j["state"] in ("done", "failed"):
                    break
                time.sleep(0.02)
            assert j["state"] == "done", j
        else:
            _ok(_sec().post("/api/v1/rounds/%d/%s" % (rid, step)), step)
        if step == "open" and chooser is not None:
            _ok(chooser.put("/api/v1/rounds/%d/choices/mine" % rid, {"positions": [pid]}),
                "choices")
    return rid


def r_position_draft(entry, ctx):
    ctx.id = _position(ctx.role, ctx.scope, "draft")


def r_position_submitted(entry, ctx):
    ctx.id = _position(ctx.role, ctx.scope, "submitted")


def r_position_published(entry, ctx):
    ctx.id = _position(ctx.role, ctx.scope)


def r_enterprise(entry, ctx):
    ctx.vars["ent"] = _enterprise(ctx.role, ctx.scope)


def _school(role, scope):
    """The school of the role's user (own) or another school (other); units 1
    to 3 of the demo are schools."""
    if role in ("unit_admin", "teacher", "student"):
        return target_unit(role, scope)
    return 2 if scope == "other" else 1


def r_student(entry, ctx):
    s = _student(_school(ctx.role, ctx.scope))
    ctx.id, ctx.vars["sno"] = s["id"], s["student_no"]


def r_activation_code(entry, ctx):
    s = _student(own_unit("unit_admin"))
    ctx.vars["code"] = _ok(_sec().post("/api/v1/students/%d/activation" % s["id"]), "code")["code"]


def r_job_application(entry, ctx):
    """The demo student's application (own) or the second student's (other)."""
    client = CLIENTS["student"] if ctx.scope != "other" else _second_student()[1]
    pid = _position(ctx.role, "own")
    ctx.id = _ok(client.post("/api/v1/positions/%d/apply" % pid, {}), "apply")["id"]


def r_job_application_ent(entry, ctx):
    """An application to a position of the recruiter's enterprise (own) or another's."""
    pid = _position(ctx.role, ctx.scope)
    ctx.id = _ok(_second_student()[1].post("/api/v1/positions/%d/apply" % pid, {}), "apply")["id"]


def r_round_draft(entry, ctx):
    _round(ctx, "draft")


def r_round_draft_bare(entry, ctx):
    """A draft round and a published position not yet in it."""
    _round(ctx, "draft")
    ctx.vars["pos"] = _position(ctx.role, ctx.scope)


def r_round_open(entry, ctx):
    _round(ctx, "open")


def r_round_open_free(entry, ctx):
    _free_student()
    _round(ctx, "open")


def r_round_ranking_ent(entry, ctx):
    """A round in ranking with a position of the recruiter's enterprise (own)
    or another (other) that the second student chose."""
    sid, client = _second_student()
    _close_rounds_of(sid)
    _round(ctx, "ranking", _position(ctx.role, ctx.scope), chooser=client)
    ctx.vars["sid"] = sid


def r_round_matched(entry, ctx):
    _round(ctx, "matched")


def r_round_published(entry, ctx):
    _round(ctx, "published")


def r_round_closed(entry, ctx):
    _round(ctx, "closed")


def r_round_published_ent(entry, ctx):
    sid, client = _second_student()
    _close_rounds_of(sid)
    _round(ctx, "published", _position(ctx.role, ctx.scope), rule="score", chooser=client)


def r_round_offer(entry, ctx):
    """A published round where the demo student holds an offer."""
    _free_student()
    _round(ctx, "published", rule="score", chooser=CLIENTS["student"])

RECIPES = {
    "position_draft": r_position_draft,
    "position_submitted": r_position_submitted,
    "position_published": r_position_published,
    "enterprise": r_enterprise,
    "student": r_student,
    "activation_code": r_activation_code,
    "job_application": r_job_application,
    "job_application_ent": r_job_application_ent,
    "round_draft": r_round_draft,
    "round_draft_bare": r_round_draft_bare,
    "round_open": r_round_open,
    "round_open_free": r_round_open_free,
    "round_ranking_ent": r_round_ranking_ent,
    "round_matched": r_round_matched,
    "round_published": r_round_published,
    "round_closed": r_round_closed,
    "round_published_ent": r_round_published_ent,
    "round_offer": r_round_offer,
    "charter_draft": r_charter_draft,
    "charter_pair": r_charter_pair,
    "term": r_term,
    "term_number": r_term_number,
    "appointment": r_appointment,
    "meeting": r_meeting,
    "agenda_item": r_agenda_item,
    "attachment": r_attachment,
    "attendee": r_attendee,
    "checked_attendee": r_checked_attendee,
    "meeting_with_me": r_meeting_with_me,
    "proxy_pair": r_proxy_pair,
    "own_proxy": r_own_proxy,
    "motion": r_motion,
    "election_motion": r_election_motion,
    "election_item": r_election_item,
    "motion_ready": r_motion_ready,
    "motion_open": r_motion_open,
    "motion_closed": r_motion_closed,
    "ballot": r_ballot,
    "task": r_task,
    "article": r_article,
    "article_submitted": r_article_submitted,
    "article_published": r_article_published,
    "notice": r_notice,
    "article_file": r_article_file,
    "draft_file": r_draft_file,
    "target_unit": r_target_unit,
    "person": r_person,
    "unit": r_unit,
    "application": r_application,
    "user": r_user,
    "job": r_job,
    "login_client": r_login_client,
    "fresh_session": r_fresh_session,
    "password_change": r_password_change,
}


# --- one request -------------------------------------------------------------


def scopes(entry):
    return ("own", "other") if entry["tenant"] in ("unit", "own") else ("-",)


def expected(entry, role, scope):
    """401, 403, 404 or "2xx" under the policy."""
    if role not in entry["allow"]:
        return 401 if ROLES[role]["user"] is None else 403
    if scope == "other":
        if entry["tenant"] == "unit" and ROLES[role]["unit_scoped"]:
            return 404
        if entry["tenant"] == "own" and role not in entry.get("sees_all", []):
            return 404
    return "2xx"


def send(entry, role, scope, extra=None, query=None):
    """Prepares the case's object and sends the request; returns (response, url).
    extra: fields added to the JSON body (a route without a body gets {})."""
    ctx = Ctx(role, scope)
    user, password = credentials(role)
    ctx.vars = {"uniq": uniq, "uscc": make_uscc, "mobile": make_mobile,
                "username": user, "password": password,
                "unit": target_unit(role, scope)}
    if entry.get("setup"):
        RECIPES[entry["setup"]](entry, ctx)
    if ctx.id is None and "{id}" in entry["path"]:
        ctx.id = entry.get("other_id" if scope == "other" else "own_id", entry.get("own_id"))
    ctx.vars["id"] = ctx.id
    url = fill(entry["path"], ctx.vars)
    q = fill(entry.get("query", {}) if query is None else query, ctx.vars)
    if q:
        url += "?" + "&".join("%s=%s" % (k, urllib.parse.quote(str(v)))
                              for k, v in q.items())
    kw = {}
    body = entry.get("body_for", {}).get(role, entry.get("body"))
    if extra is not None:
        body = dict(body or {})
        body.update(extra)
    if entry.get("raw") is not None and extra is None:
        kw["raw"] = fill(entry["raw"], ctx.vars)
        kw["content_type"] = entry.get("content_type")
    elif body is not None:
        kw["body"] = fill(body, ctx.vars)
    r = ctx.client.request(entry["method"], url, **kw)
    if ctx.after and 200 <= r.status < 300:
        ctx.after(r)
    return r, url


class Case:
    def __init__(self, entry, role, scope, want, resp, url):
        self.entry, self.role, self.scope, self.want, self.resp, self.url = \
            entry, role, scope, want, resp, url

    @property
    def route(self):
        return "%s %s" % (self.entry["method"], self.entry["path"])

    def describe(self):
        data = self.resp.data
        if isinstance(data, bytes):
            data = data[:120]
        return "%s as %s (%s object): expected %s, got %s %r" % (
            self.route, self.role, self.scope, self.want, self.resp.status, data)


def matrix():
    """Runs every route x role x scope once (the cases are shared by the tests)."""
    if not _MATRIX:
        for entry in ROUTES:
            for role in ROLES:
                for scope in scopes(entry):
                    want = expected(entry, role, scope)
                    resp, url = send(entry, role, scope)
                    _MATRIX.append(Case(entry, role, scope, want, resp, url))
    return _MATRIX


def error_code(resp):
    return resp.data.get("error", {}).get("code") if isinstance(resp.data, dict) else None


# --- the tests -------------------------------------------------------------------


class Policy(unittest.TestCase):
    """SEC-B1: policy.json and the route tables (openapi.json) list the same
    routes, each once; the policy itself is well formed."""

    def test_every_route_has_exactly_one_policy_entry(self):
        declared = {}
        for e in ROUTES:
            key = (e["method"], e["path"])
            declared[key] = declared.get(key, 0) + 1
        missing = sorted(set(OPENAPI) - set(declared))
        stale = sorted(set(declared) - set(OPENAPI))
        twice = sorted(k for k, n in declared.items() if n > 1)
        self.assertEqual(
            {"routes without a policy entry in tests/api/policy.json": missing,
             "policy entries for routes that do not exist": stale,
             "routes with more than one policy entry": twice},
            {"routes without a policy entry in tests/api/policy.json": [],
             "policy entries for routes that do not exist": [],
             "routes with more than one policy entry": []})
        self.assertGreaterEqual(len(OPENAPI), 30)

    def test_entries_are_well_formed(self):
        for e in ROUTES:
            with self.subTest(route="%s %s" % (e["method"], e["path"])):
                self.assertTrue(e["allow"], "an empty allow list: delete the route instead")
                self.assertEqual(set(e["allow"]) - set(ROLES), set(), "unknown roles")
                self.assertIn(e["tenant"], TENANTS)
                if "setup" in e:
                    self.assertIn(e["setup"], RECIPES)
                if "{id}" in e["path"]:
                    self.assertTrue("setup" in e or "own_id" in e, "no object for {id}")
                for role in list(e.get("body_for", {})) + list(e.get("refused_fields", {})):
                    self.assertIn(role, e["allow"])

    def test_public_routes_are_declared_public(self):
        """A route any anonymous caller may use is `public` in the route table,
        and only those are (the policy cannot silently open a route)."""
        for e in ROUTES:
            op = OPENAPI.get((e["method"], e["path"]))
            if op is None:
                continue
            with self.subTest(route="%s %s" % (e["method"], e["path"])):
                self.assertEqual("anonymous" in e["allow"], op["x-permission"] == "public",
                                 "x-permission is %s" % op["x-permission"])


class Matrix(unittest.TestCase):
    """SEC-B1, B2, B3: every route for every role, on an object of the caller's
    unit (or its own) and of another unit (or user) where the route is scoped."""

    def test_route_role_matrix(self):
        for case in matrix():
            with self.subTest(route=case.route, role=case.role, scope=case.scope):
                got = case.resp.status
                if case.want == "2xx":
                    self.assertTrue(200 <= got < 300, case.describe())
                    continue
                self.assertEqual(got, case.want, case.describe())
                code = {401: "unauthorized", 403: "forbidden", 404: "not_found"}[case.want]
                self.assertEqual(error_code(case.resp), code, case.describe())
                if case.want == 404:  # SEC-B2: no data of the other unit's object
                    self.assertEqual(set(case.resp.data), {"error"}, case.describe())

    def test_unit_scoped_lists_hold_only_the_callers_unit(self):
        """SEC-B2: without a unit filter, a unit-scoped role's list is bound to its
        own unit by the session."""
        checked = 0
        for e in ROUTES:
            field = e.get("items_unit_field")
            if not field:
                continue
            for role in e["allow"]:
                if not ROLES[role]["unit_scoped"]:
                    continue
                r, _ = send(e, role, "own", query={"page_size": "100"})
                with self.subTest(route="%s %s" % (e["method"], e["path"]), role=role):
                    self.assertEqual(r.status, 200, r.data)
                    self.assertGreater(len(r.data["items"]), 0)
                    units = {item[field] for item in r.data["items"]}
                    self.assertEqual(units, {own_unit(role)})
                    ref = CLIENTS["alliance_admin"].get("%s?%s=%d&page_size=1" % (
                        e["path"], field, own_unit(role)))
                    self.assertEqual(r.data["total"], ref.data["total"])
                    checked += 1
        self.assertGreater(checked, 0)


class MassAssignment(unittest.TestCase):
    """SEC-B4: a valid body plus one field the route does not list (or the role
    may not use) is refused with 400 naming that field."""

    def test_unlisted_fields_are_refused(self):
        checked = 0
        for e in ROUTES:
            if e["method"] not in WRITE_METHODS or e.get("raw") is not None:
                continue
            op = OPENAPI.get((e["method"], e["path"]))
            if op is None:
                continue
            schema = (op.get("requestBody", {}).get("content", {})
                      .get("application/json", {}).get("schema", {}))
            listed = set(schema.get("properties", {}))
            for role in e["allow"]:
                fields = {f: v for f, v in MASS_FIELDS.items() if f not in listed}
                fields.update(e.get("refused_fields", {}).get(role, {}))
                for field, value in fields.items():
                    r, url = send(e, role, "own", extra={field: value})
                    checked += 1
                    with self.subTest(route="%s %s" % (e["method"], e["path"]), role=role,
                                      field=field):
                        self.assertEqual(r.status, 400, "%s accepted %s: %r" % (url, field, r.data))
                        self.assertIn(field, field_errors(r), r.data)
        self.assertGreater(checked, 50)

    def test_unit_admin_cannot_name_a_unit_for_a_person(self):
        """SEC-B2/B4: the unit of a unit_admin's new person comes from the session."""
        c = CLIENTS["unit_admin"]
        for unit in (other_unit("unit_admin"), own_unit("unit_admin")):
            with self.subTest(unit_id=unit):
                name = "越权人员" + uniq()
                r = c.post("/api/v1/people", {"name": name, "unit_id": unit})
                self.assertEqual(r.status, 400, r.data)
                self.assertIn("unit_id", field_errors(r))
                found = CLIENTS["alliance_admin"].get("/api/v1/people?q=" + name).data
                self.assertEqual(found["total"], 0, "the refused person was written")


class DenialsAudited(unittest.TestCase):
    """SEC-D1: every 403 of a signed-in caller in the matrix is an
    `access.denied` row of the audit log, with the caller and the route."""

    def test_every_refusal_is_audited(self):
        denied = [c for c in matrix() if c.resp.status == 403 and USERS[c.role] is not None]
        self.assertGreater(len(denied), 100)
        auditor = CLIENTS["auditor"]
        rows, page = {}, 1
        while True:
            r = auditor.get("/api/v1/audit?action=access.denied&page_size=100&page=%d" % page)
            self.assertEqual(r.status, 200, r.data)
            for row in r.data["items"]:
                rows[row["request_id"]] = row
            if page * 100 >= r.data["total"] or not r.data["items"]:
                break
            page += 1
        for c in denied:
            with self.subTest(route=c.route, role=c.role, scope=c.scope):
                rid = c.resp.headers.get("x-request-id")
                row = rows.get(rid)
                self.assertIsNotNone(row, "no audit row for %s (request %s)" % (c.describe(), rid))
                self.assertEqual(row["object"], "%s %s" % (c.entry["method"], c.url.split("?")[0]))
                self.assertEqual(row["username"], ROLES[c.role]["user"])
                self.assertEqual(row["role"], c.role)
                self.assertEqual(row["result"], "denied")


if __name__ == "__main__":
    unittest.main(verbosity=1)
