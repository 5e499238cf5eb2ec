"""Accounts: sign-in, sessions, CSRF, passwords, user management, the audit
log as seen through the API, and separation of duties.

SEC-A1..A9, SEC-B1, SEC-B5, SEC-C4, SEC-D1, SEC-D4.
"""
import os
import re
import secrets
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import EN, field_errors  # noqa: E402

S = None

# The role -> permission table of the specification (src/modules/app.c).
GRANTS = {
    "system_admin": {"users.manage", "jobs.read", "search.reindex"},
    "alliance_admin": {"alliance.manage", "units.create", "units.update", "units.delete",
                       "units.import", "units.export", "people.read", "people.write",
                       "applications.review", "jobs.read", "governance.read",
                       "governance.manage", "plan.update", "news.write", "news.publish",
                       "positions.write", "positions.review", "placement.recruit",
                       "students.read", "students.manage", "rounds.manage", "outcomes.read",
                       "outcomes.write"},
    "unit_admin": {"units.update", "people.read", "people.write", "jobs.read", "governance.read",
                   "meetings.vote", "plan.update", "news.write", "news.confirm",
                   "positions.write", "placement.recruit", "students.read", "students.manage",
                   "outcomes.read", "outcomes.write"},
    "teacher": {"governance.read", "students.read", "outcomes.read"},
    "student": {"governance.read", "placement.apply"},
    "enterprise_hr": {"governance.read", "positions.write", "placement.recruit"},
    "expert": {"governance.read", "meetings.vote"},
    "auditor": {"audit.read", "governance.read"},
}
KNOWN_PERMS = set().union(*GRANTS.values())
DEMO_USER = {"system_admin": "sysadmin", "alliance_admin": "secretariat",
             "unit_admin": "unitadmin", "teacher": "teacher", "student": "student",
             "enterprise_hr": "recruiter", "expert": "expert", "auditor": "auditor"}


def setUpModule():
    global S
    # Request logging on: a test checks the log holds no password or token (SEC-D4).
    S = harness.start_server(JILIAN_LOG_REQUESTS=1)


def tearDownModule():
    S.close()


_n = [0]


def new_name(prefix="u"):
    _n[0] += 1
    return "%s%d_%s" % (prefix, _n[0], secrets.token_hex(3))


def new_password():
    return "Pw-" + secrets.token_urlsafe(12)


def create_user(role="expert", unit_id=None, password=None, name=None):
    """Creates a user as sysadmin; returns (id, username, password)."""
    admin = S.login("sysadmin")
    name = name or new_name()
    body = {"username": name, "role": role, "display_name": "测试用户"}
    if unit_id is not None:
        body["unit_id"] = unit_id
    if password is not None:
        body["password"] = password
    r = admin.post("/api/v1/users", body)
    if r.status != 201:
        raise AssertionError("create user: %s %r" % (r.status, r.data))
    return r.data["user"]["id"], name, password or r.data["password"]


def login(name, password):
    c = S.client()
    c.login(name, password)
    return c


class Login(unittest.TestCase):
    """SEC-A4, A5: the session cookie and the CSRF token."""

    def test_login_sets_httponly_lax_cookie(self):
        c = S.client()
        r = c.login("secretariat", S.logins["secretariat"])
        self.assertEqual(r.status, 200)
        sc = r.headers.get("set-cookie", "")
        name, _, rest = sc.partition("=")
        self.assertEqual(name, "jilian_session")
        token = rest.split(";", 1)[0]
        self.assertGreaterEqual(len(token), 43)  # 256 bits in base64url
        attrs = [a.strip().lower() for a in sc.split(";")[1:]]
        self.assertIn("httponly", attrs)
        self.assertIn("samesite=lax", attrs)
        self.assertIn("path=/", attrs)
        self.assertFalse(any(a.startswith("expires") or a.startswith("max-age") for a in attrs),
                         "the session cookie must not persist: %s" % sc)
        # The body: the user and the CSRF token, never the session token.
        self.assertEqual(r.data["user"]["username"], "secretariat")
        self.assertEqual(r.data["user"]["role"], "alliance_admin")
        self.assertIsInstance(r.data["csrf_token"], str)
        self.assertGreaterEqual(len(r.data["csrf_token"]), 32)
        raw = c.history[-1][3]
        self.assertNotIn(token.encode(), raw)
        self.assertNotIn(b"password", raw)
        self.assertNotIn(b"argon2", raw)
        self.assertNotEqual(r.data["csrf_token"], token)

    def test_each_login_has_a_new_token(self):
        a, b = S.login("teacher"), S.login("teacher")
        self.assertNotEqual(a.cookie, b.cookie)
        self.assertNotEqual(a.csrf, b.csrf)
        self.assertEqual(a.get("/api/v1/me").status, 200)
        self.assertEqual(b.get("/api/v1/me").status, 200)

    def test_wrong_password_same_answer_as_unknown_user(self):
        """SEC-A3: known and unknown names get the same answer."""
        _, name, _ = create_user()
        c = S.client()
        wrong = c.login(name, "Not-The-Password-1", expect=401)
        unknown = c.login("nobody_" + secrets.token_hex(4), "Not-The-Password-1", expect=401)
        self.assertEqual(wrong.status, unknown.status)
        self.assertEqual(wrong.data["error"]["code"], unknown.data["error"]["code"])
        self.assertEqual(wrong.data["error"]["message"], EN["login_failed"])
        self.assertEqual(unknown.data["error"]["message"], EN["login_failed"])
        self.assertNotIn("fields", wrong.data["error"])
        self.assertNotIn("fields", unknown.data["error"])
        self.assertNotIn("set-cookie", wrong.headers)

    def test_login_body_is_checked(self):
        c = S.client()
        r = c.post("/api/v1/session", {"username": "teacher"})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r).get("password"), EN["required"])
        r = c.post("/api/v1/session", {"username": "teacher", "password": 12345678})
        self.assertEqual(r.status, 400)
        self.assertIn("password", field_errors(r))
        r = c.post("/api/v1/session", {"username": "teacher", "password": "x", "role": "x"})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r).get("role"), EN["unknown_field"])

    def test_username_is_case_insensitive(self):
        c = S.client()
        r = c.login("TEACHER", S.logins["teacher"])
        self.assertEqual(r.data["user"]["username"], "teacher")

    def test_me(self):
        c = S.client()
        r = c.get("/api/v1/me")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.data["error"]["message"], EN["unauthorized"])
        c.login("unitadmin", S.logins["unitadmin"])
        r = c.get("/api/v1/me")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data["user"]["username"], "unitadmin")
        self.assertEqual(r.data["user"]["role"], "unit_admin")
        self.assertEqual(r.data["user"]["unit_id"], 1)
        self.assertEqual(r.data["csrf_token"], c.csrf)
        self.assertNotIn("password_hash", r.data["user"])

    def test_unknown_cookie_401(self):
        c = S.client()
        c.cookie = ("jilian_session", "A" * 43)
        r = c.get("/api/v1/me")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.data["error"]["message"], EN["session_expired"])
        # A public route still answers.
        self.assertEqual(c.get("/api/v1/units?page_size=1").status, 200)


class Csrf(unittest.TestCase):
    """SEC-C4: writes need the session's X-CSRF-Token and a same-site Origin."""

    def test_write_without_csrf_403(self):
        c = S.login("secretariat")
        r = c.delete("/api/v1/session", csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.data["error"]["message"], EN["csrf_failed"])
        r = c.post("/api/v1/units", {"name": "x"}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(r.data["error"]["message"], EN["csrf_failed"])
        self.assertEqual(c.get("/api/v1/me").status, 200, "the refused logout ended the session")

    def test_write_with_wrong_csrf_403(self):
        c = S.login("secretariat")
        other = S.login("secretariat")
        for token in ("wrong", c.csrf[:-1], c.csrf + "x", other.csrf, ""):
            with self.subTest(token=token):
                r = c.delete("/api/v1/session", headers={"X-CSRF-Token": token})
                self.assertEqual(r.status, 403)
                self.assertEqual(r.data["error"]["message"], EN["csrf_failed"])
        self.assertEqual(c.get("/api/v1/me").status, 200)

    def test_right_csrf_passes(self):
        c = S.login("secretariat")
        r = c.post("/api/v1/units", {"name": "x"})
        self.assertEqual(r.status, 400)  # reached validation

    def test_foreign_origin_403(self):
        c = S.login("secretariat")
        for origin in ("http://evil.example", "http://127.0.0.1:1", "null",
                       "http://127.0.0.1:%d.evil.example" % S.port):
            with self.subTest(origin=origin):
                r = c.post("/api/v1/units", {"name": "x"}, headers={"Origin": origin})
                self.assertEqual(r.status, 403)
                self.assertEqual(r.data["error"]["message"], EN["origin_mismatch"])
        r = c.post("/api/v1/units", {"name": "x"},
                   headers={"Origin": "http://127.0.0.1:%d" % S.port})
        self.assertEqual(r.status, 400)  # same origin: reached validation
        # Anonymous writes are checked too, and so is the login form.
        a = S.client()
        r = a.post("/api/v1/applications", {"name": "x"}, headers={"Origin": "http://evil.example"})
        self.assertEqual(r.status, 403)
        r = a.post("/api/v1/session", {"username": "teacher", "password": S.logins["teacher"]},
                   headers={"Origin": "http://evil.example"})
        self.assertEqual(r.status, 403)
        self.assertIsNone(a.cookie)
        # Reads are not affected.
        self.assertEqual(c.get("/api/v1/me", headers={"Origin": "http://evil.example"}).status,
                         200)


class Logout(unittest.TestCase):
    def test_logout_then_replay_401(self):
        """SEC-A4: a replayed cookie after logout is refused."""
        c = S.login("teacher")
        old = c.copy()
        r = c.logout()
        self.assertEqual(r.status, 200)
        sc = r.headers.get("set-cookie", "")
        self.assertTrue(sc.startswith("jilian_session=;"), sc)
        self.assertIn("max-age=0", sc.lower())
        self.assertIsNone(c.cookie)
        r = old.get("/api/v1/me")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.data["error"]["message"], EN["session_expired"])
        self.assertEqual(old.logout().status, 401)

    def test_logout_needs_a_session(self):
        self.assertEqual(S.client().delete("/api/v1/session").status, 401)


class Passwords(unittest.TestCase):
    """SEC-A2 (policy), SEC-A7 (a change ends the other sessions)."""

    def test_policy_errors(self):
        pw = new_password()
        _, name, _ = create_user(password=pw, name=new_name("longname"))
        c = login(name, pw)
        cases = [("short7!", EN["password_length"]), ("x" * 129, EN["password_length"]),
                 ("password123", EN["password_common"]), ("PASSWORD123", EN["password_common"]),
                 (name, EN["password_same_as_user"]),
                 (name.upper(), EN["password_same_as_user"])]
        for new, msg in cases:
            with self.subTest(new=new[:20]):
                r = c.put("/api/v1/me/password", {"current_password": pw, "new_password": new})
                self.assertEqual(r.status, 400, r.data)
                self.assertEqual(field_errors(r), {"new_password": msg})
        # 128 characters (code points, multi-byte) is fine: no truncation.
        long_pw = "密" * 128
        r = c.put("/api/v1/me/password", {"current_password": pw, "new_password": long_pw})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(login(name, long_pw).get("/api/v1/me").status, 200)
        # Only the full password works (no truncation to a prefix).
        S.client().login(name, "密" * 127, expect=401)

    def test_wrong_current_password(self):
        pw = new_password()
        _, name, _ = create_user(password=pw)
        c = login(name, pw)
        r = c.put("/api/v1/me/password",
                  {"current_password": "not-it-at-all", "new_password": new_password()})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r), {"current_password": EN["password_wrong"]})
        self.assertEqual(login(name, pw).get("/api/v1/me").status, 200)

    def test_change_ends_other_sessions(self):
        pw, pw2 = new_password(), new_password()
        _, name, _ = create_user(password=pw)
        a, b = login(name, pw), login(name, pw)
        old_a = a.copy()
        r = a.put("/api/v1/me/password", {"current_password": pw, "new_password": pw2})
        self.assertEqual(r.status, 200, r.data)
        self.assertIn("csrf_token", r.data)
        self.assertIn("set-cookie", r.headers, "the caller needs a fresh session")
        self.assertNotEqual(a.cookie, old_a.cookie)
        self.assertEqual(a.get("/api/v1/me").status, 200)
        self.assertEqual(b.get("/api/v1/me").status, 401)
        self.assertEqual(old_a.get("/api/v1/me").status, 401)
        S.client().login(name, pw, expect=401)
        S.client().login(name, pw2, expect=200)
        # The new session's token works for writes.
        self.assertEqual(a.logout().status, 200)


class Users(unittest.TestCase):
    """User management by the system_admin (SEC-A7, A9, B4)."""

    def setUp(self):
        self.admin = S.login("sysadmin")

    def test_create_user_generated_password(self):
        name = new_name("gen")
        r = self.admin.post("/api/v1/users", {"username": name, "role": "expert"})
        self.assertEqual(r.status, 201, r.data)
        self.assertEqual(r.data["user"]["username"], name)
        self.assertEqual(r.data["user"]["role"], "expert")
        self.assertIsNone(r.data["user"]["unit_id"])
        pw = r.data["password"]
        self.assertEqual(len(pw), 16)
        self.assertEqual(r.headers.get("cache-control"), "no-store")
        c = S.client()
        c.login(name, pw)
        self.assertEqual(c.get("/api/v1/me").data["user"]["username"], name)
        # Shown once: reading the user later never shows it.
        r = self.admin.get("/api/v1/users/%d" % c.user["id"])
        self.assertEqual(r.status, 200)
        self.assertNotIn("password", r.data)
        self.assertNotIn(pw.encode(), self.admin.history[-1][3])

    def test_create_user_with_password_not_echoed(self):
        pw = new_password()
        name = new_name("own")
        r = self.admin.post("/api/v1/users", {"username": name, "role": "teacher", "unit_id": 2,
                                              "password": pw})
        self.assertEqual(r.status, 201, r.data)
        self.assertNotIn("password", r.data)
        self.assertNotIn(pw.encode(), self.admin.history[-1][3])
        self.assertEqual(r.data["user"]["unit_id"], 2)
        login(name, pw)

    def test_duplicate_username_409(self):
        _, name, _ = create_user()
        for n in (name, name.upper()):
            with self.subTest(name=n):
                r = self.admin.post("/api/v1/users", {"username": n, "role": "expert"})
                self.assertEqual(r.status, 409, r.data)
                self.assertEqual(field_errors(r), {"username": EN["username_taken"]})

    def test_create_user_validation(self):
        def post(body):
            return self.admin.post("/api/v1/users", body)
        r = post({"username": new_name(), "role": "teacher"})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r), {"unit_id": EN["role_needs_unit"]})
        r = post({"username": new_name(), "role": "unit_admin", "unit_id": 999999})
        self.assertEqual(r.status, 400)
        self.assertIn("unit_id", field_errors(r))
        r = post({"username": "a b", "role": "expert"})
        self.assertEqual(r.status, 400)
        self.assertIn("username", field_errors(r))
        r = post({"username": new_name(), "role": "superuser"})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r).get("role"), EN["not_a_choice"])
        r = post({"username": new_name(), "role": "expert", "password": "password123"})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r), {"password": EN["password_common"]})
        r = post({"username": new_name(), "role": "expert", "is_admin": True})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r).get("is_admin"), EN["unknown_field"])

    def test_disable_user_ends_sessions(self):
        """SEC-A7."""
        pw = new_password()
        uid, name, _ = create_user(password=pw)
        c = login(name, pw)
        r = self.admin.patch("/api/v1/users/%d" % uid, {"status": "disabled"})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(r.data["status"], "disabled")
        self.assertEqual(c.get("/api/v1/me").status, 401)
        r = S.client().login(name, pw, expect=401)
        self.assertEqual(r.data["error"]["message"], EN["login_failed"])  # no hint
        r = self.admin.patch("/api/v1/users/%d" % uid, {"status": "active"})
        self.assertEqual(r.status, 200)
        login(name, pw)

    def test_cannot_disable_self(self):
        me = self.admin.get("/api/v1/me").data["user"]["id"]
        r = self.admin.patch("/api/v1/users/%d" % me, {"status": "disabled"})
        self.assertEqual(r.status, 400)
        self.assertIn("status", field_errors(r))
        self.assertEqual(self.admin.get("/api/v1/me").status, 200)

    def test_reset_password_ends_sessions(self):
        pw = new_password()
        uid, name, _ = create_user(password=pw)
        c = login(name, pw)
        r = self.admin.post("/api/v1/users/%d/password" % uid)
        self.assertEqual(r.status, 200, r.data)
        new = r.data["password"]
        self.assertEqual(len(new), 16)
        self.assertEqual(c.get("/api/v1/me").status, 401)
        S.client().login(name, pw, expect=401)
        login(name, new)
        self.assertEqual(self.admin.post("/api/v1/users/999999/password").status, 404)

    def test_role_change_ends_sessions(self):
        """SEC-A4: a privilege change needs a new session."""
        pw = new_password()
        uid, name, _ = create_user(role="teacher", unit_id=1, password=pw)
        c = login(name, pw)
        r = self.admin.patch("/api/v1/users/%d" % uid, {"role": "student"})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(r.data["role"], "student")
        self.assertEqual(c.get("/api/v1/me").status, 401)
        c = login(name, pw)
        self.assertEqual(c.user["role"], "student")
        # A unit change too.
        r = self.admin.patch("/api/v1/users/%d" % uid, {"unit_id": 2})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(c.get("/api/v1/me").status, 401)
        # A display-name change does not.
        c = login(name, pw)
        r = self.admin.patch("/api/v1/users/%d" % uid, {"display_name": "新名字"})
        self.assertEqual(r.status, 200)
        self.assertEqual(c.get("/api/v1/me").status, 200)

    def test_update_validation(self):
        uid, _, _ = create_user(role="teacher", unit_id=1)
        r = self.admin.patch("/api/v1/users/%d" % uid, {"unit_id": None})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r), {"unit_id": EN["role_needs_unit"]})
        r = self.admin.patch("/api/v1/users/%d" % uid, {"unit_id": 999999})
        self.assertEqual(r.status, 400)
        self.assertIn("unit_id", field_errors(r))
        r = self.admin.patch("/api/v1/users/%d" % uid, {"password_hash": "x"})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r), {"password_hash": EN["unknown_field"]})
        self.assertEqual(self.admin.patch("/api/v1/users/999999", {"role": "expert"}).status, 404)

    def test_list_users(self):
        r = self.admin.get("/api/v1/users?role=auditor")
        self.assertEqual(r.status, 200)
        self.assertGreaterEqual(r.data["total"], 1)
        for u in r.data["items"]:
            self.assertEqual(u["role"], "auditor")
            self.assertNotIn("password_hash", u)
        r = self.admin.get("/api/v1/users?role=king")
        self.assertEqual(r.status, 400)
        self.assertIn("role", field_errors(r))
        r = self.admin.get("/api/v1/users?q=secretar")
        self.assertEqual([u["username"] for u in r.data["items"]], ["secretariat"])

    def test_cli_user_add_password_stdin(self):
        """SEC-A9: accounts are made by `jilian user add`."""
        name, pw = new_name("cli"), new_password()
        r = S.cli("user", "add", name, "--role", "auditor", "--password-stdin", input=pw + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(name, r.stdout)
        self.assertNotIn(pw, r.stdout + r.stderr)
        c = login(name, pw)
        self.assertEqual(c.user["role"], "auditor")
        self.assertEqual(c.get("/api/v1/audit?page_size=1").status, 200)
        # A weak password from stdin is refused with the data exit code.
        r = S.cli("user", "add", new_name("cli"), "--role", "auditor", "--password-stdin",
                  input="password123\n")
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)


class NoPasswordLeaks(unittest.TestCase):
    """SEC-D4: passwords never come back, except the generated ones."""

    def test_passwords_never_in_answers_or_logs(self):
        pw, pw2, wrong = new_password(), new_password(), "Wrong-" + secrets.token_hex(6)
        admin = S.login("sysadmin")
        uid, name, _ = create_user(password=pw)
        c = S.client()
        c.login(name, pw)
        token = c.cookie[1]
        c.get("/api/v1/me")
        c.put("/api/v1/me/password", {"current_password": pw, "new_password": pw2})
        c.put("/api/v1/me/password", {"current_password": wrong, "new_password": pw})
        c.put("/api/v1/me/password", {"current_password": pw2, "new_password": "short"})
        S.client().login(name, wrong, expect=401)
        S.client().login(name, pw, expect=401)
        admin.get("/api/v1/users/%d" % uid)
        admin.get("/api/v1/users?page_size=100")
        admin.patch("/api/v1/users/%d" % uid, {"display_name": "x"})
        aud = S.login("auditor")
        aud.get("/api/v1/audit?page_size=100")
        aud.get("/api/v1/audit?username=%s&page_size=100" % name)
        secrets_ = [pw.encode(), pw2.encode(), wrong.encode()]
        for client in (admin, c, aud):
            for method, path, status, raw in client.history:
                for s in secrets_:
                    self.assertNotIn(s, raw, "%s %s (%d) shows a password" % (method, path,
                                                                             status))
                self.assertNotIn(b"$argon2", raw, path)
                self.assertNotIn(token.encode(), raw, path)
        log = harness.Server.stderr_text(S).encode()
        for s in secrets_ + [token.encode()]:
            self.assertNotIn(s, log, "the server log holds a password or token")


class Audit(unittest.TestCase):
    """SEC-D1: logins, failures, logouts, denials and writes are audited."""

    def find(self, aud, query, request_id):
        r = aud.get("/api/v1/audit?page_size=100&" + query)
        self.assertEqual(r.status, 200, r.data)
        rows = [x for x in r.data["items"] if x["request_id"] == request_id]
        self.assertEqual(len(rows), 1, "no audit row %s for %s" % (query, request_id))
        return rows[0]

    def test_audit_rows(self):
        aud = S.login("auditor")
        pw = new_password()
        admin = S.login("sysadmin")
        name = new_name("aud")
        created = admin.post("/api/v1/users", {"username": name, "role": "expert",
                                               "password": pw})
        self.assertEqual(created.status, 201)
        c = S.client()
        ok = c.login(name, pw, expect=200)
        bad = S.client().login(name, "Wrong-password-9", expect=401)
        out = c.logout()
        denied = S.login("teacher").get("/api/v1/people")
        self.assertEqual(denied.status, 403)

        row = self.find(aud, "action=login", ok.headers["x-request-id"])
        self.assertEqual(row["result"], "ok")
        self.assertEqual(row["username"], name)
        self.assertEqual(row["role"], "expert")
        self.assertEqual(row["ip"], "127.0.0.1")
        self.assertTrue(row["at"])
        row = self.find(aud, "action=login", bad.headers["x-request-id"])
        self.assertEqual(row["result"], "failed")
        self.assertIn(name, row["object"])
        row = self.find(aud, "action=logout", out.headers["x-request-id"])
        self.assertEqual(row["result"], "ok")
        self.assertEqual(row["username"], name)
        row = self.find(aud, "action=user.create", created.headers["x-request-id"])
        self.assertEqual(row["result"], "ok")
        self.assertEqual(row["username"], "sysadmin")
        self.assertEqual(row["role"], "system_admin")
        row = self.find(aud, "action=access.denied", denied.headers["x-request-id"])
        self.assertEqual(row["result"], "denied")
        self.assertEqual(row["username"], "teacher")
        self.assertIn("/api/v1/people", row["object"])

    def test_forwarded_for_is_not_trusted(self):
        """Without a trusted proxy, X-Forwarded-For does not change the address."""
        aud = S.login("auditor")
        c = S.client()
        r = c.request("POST", "/api/v1/session",
                      {"username": "expert", "password": S.logins["expert"]},
                      headers={"X-Forwarded-For": "203.0.113.9"})
        self.assertEqual(r.status, 200)
        row = self.find(aud, "action=login", r.headers["x-request-id"])
        self.assertEqual(row["ip"], "127.0.0.1")

    def test_audit_filters(self):
        aud = S.login("auditor")
        r = aud.get("/api/v1/audit?result=failed&page_size=100")
        self.assertEqual(r.status, 200)
        for row in r.data["items"]:
            self.assertEqual(row["result"], "failed")
        r = aud.get("/api/v1/audit?from=2020-13-01")
        self.assertEqual(r.status, 400)
        self.assertIn("from", field_errors(r))
        today = time.strftime("%Y-%m-%d", time.gmtime())
        r = aud.get("/api/v1/audit?from=%s&to=%s" % (today, today))
        self.assertEqual(r.status, 200)
        self.assertGreater(r.data["total"], 0)
        r = aud.get("/api/v1/audit?to=2000-01-01")
        self.assertEqual(r.data["total"], 0)

    def test_verify_intact(self):
        r = S.login("auditor").get("/api/v1/audit/verify")
        self.assertEqual(r.status, 200)
        self.assertIs(r.data["intact"], True, r.data)
        self.assertGreater(r.data["rows"], 0)
        self.assertEqual(r.data["first_bad_id"], 0)

    def test_audit_rows_cannot_be_changed_through_the_api(self):
        """SEC-B5: nobody can change or delete audit rows."""
        for user in ("auditor", "sysadmin", "secretariat"):
            c = S.login(user)
            with self.subTest(user=user):
                self.assertEqual(c.delete("/api/v1/audit").status, 405)
                self.assertIn(c.patch("/api/v1/audit/1", {"detail": "x"}).status, (404, 405))
                self.assertIn(c.delete("/api/v1/audit/1").status, (404, 405))


class SeparationOfDuties(unittest.TestCase):
    """SEC-B5 (三员分立) and SEC-B1 (default deny, every route x every role)."""

    def test_system_admin_limits(self):
        c = S.login("sysadmin")
        self.assertEqual(c.get("/api/v1/audit").status, 403)
        self.assertEqual(c.get("/api/v1/audit/verify").status, 403)
        r = c.post("/api/v1/units", {"name": "x"})
        self.assertEqual(r.status, 403)
        self.assertEqual(r.data["error"]["message"], EN["forbidden"])
        self.assertEqual(c.get("/api/v1/people").status, 403)
        self.assertEqual(c.patch("/api/v1/units/1", {"intro": "x"}).status, 403)

    def test_auditor_limits(self):
        c = S.login("auditor")
        self.assertEqual(c.get("/api/v1/users").status, 403)
        self.assertEqual(c.post("/api/v1/users", {"username": "x", "role": "expert"}).status, 403)
        self.assertEqual(c.post("/api/v1/units", {"name": "x"}).status, 403)
        self.assertEqual(c.patch("/api/v1/units/1", {"intro": "x"}).status, 403)
        self.assertEqual(c.delete("/api/v1/units/1").status, 403)
        self.assertEqual(c.put("/api/v1/alliance", {"name": "x"}).status, 403)
        self.assertEqual(c.get("/api/v1/people").status, 403)

    def test_alliance_admin_limits(self):
        c = S.login("secretariat")
        self.assertEqual(c.get("/api/v1/users").status, 403)
        self.assertEqual(c.post("/api/v1/users", {"username": "x", "role": "expert"}).status, 403)
        self.assertEqual(c.get("/api/v1/audit").status, 403)

    def test_me_permissions_match_the_table(self):
        listed = {"units.create", "units.update", "units.delete", "units.import", "units.export",
                  "people.read", "people.write", "applications.review", "alliance.manage",
                  "users.manage", "audit.read", "governance.read", "governance.manage",
                  "meetings.vote", "plan.update", "news.write", "news.publish", "news.confirm",
                  "positions.write", "positions.review", "placement.recruit", "placement.apply",
                  "students.read", "students.manage", "rounds.manage", "outcomes.read",
                  "outcomes.write", "search.reindex"}
        for role, user in DEMO_USER.items():
            with self.subTest(role=role):
                r = S.login(user).get("/api/v1/me")
                self.assertEqual(r.data["user"]["role"], role)
                self.assertEqual(set(r.data["permissions"]), GRANTS[role] & listed)

    def test_every_route_for_every_role(self):
        """SEC-B1: a route refuses every role without its permission."""
        doc = S.client().get("/api/v1/openapi.json").data
        clients = {role: S.login(user) for role, user in DEMO_USER.items()}
        anon = S.client()
        checked = 0
        for path, item in doc["paths"].items():
            url = re.sub(r"\{[a-z_]+\}", "1", path)
            for method, op in item.items():
                perm = op["x-permission"]
                if perm == "public":
                    continue
                m = method.upper()
                r = anon.request(m, url)
                with self.subTest(role="anonymous", route="%s %s" % (m, path)):
                    self.assertEqual(r.status, 401, r.data)
                if perm == "session" or perm not in KNOWN_PERMS:
                    continue
                for role, c in clients.items():
                    if perm in GRANTS[role]:
                        continue
                    r = c.request(m, url)
                    checked += 1
                    with self.subTest(role=role, route="%s %s" % (m, path)):
                        self.assertEqual(r.status, 403, r.data)
                        self.assertEqual(r.data["error"]["message"], EN["forbidden"])
        self.assertGreater(checked, 100)


class Lockout(unittest.TestCase):
    """SEC-A3 on a server of its own (the per-address throttle allows 20
    failures per 10 minutes and every test comes from 127.0.0.1)."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.start_server()
        try:
            cls.lock_up()
        except BaseException:
            cls.server.close()
            raise

    @classmethod
    def lock_up(cls):
        srv = cls.server
        c = srv.client()
        cls.known = [c.login("expert", "Wrong-password-%d" % i, expect=None) for i in range(5)]
        cls.known.append(c.login("expert", srv.logins["expert"], expect=None))
        ghost = "ghost_" + secrets.token_hex(4)
        cls.unknown = [c.login(ghost, "Wrong-password-%d" % i, expect=None) for i in range(5)]
        cls.unknown.append(c.login(ghost, "Another-password", expect=None))
        # User names are case-insensitive: another spelling of a locked name.
        cls.known_case = c.login("EXPERT", "Wrong-password-x", expect=None)
        cls.unknown_case = c.login(ghost.upper(), "Wrong-password-x", expect=None)
        admin = srv.client()
        admin.login("sysadmin", srv.logins["sysadmin"])
        cls.listing = admin.get("/api/v1/users?q=expert")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_five_failures_lock_the_account(self):
        for r in self.known[:5]:
            self.assertEqual(r.status, 401)
            self.assertEqual(r.data["error"]["message"], EN["login_failed"])
        locked = self.known[5]
        self.assertEqual(locked.status, 429, "the right password must not open a locked account")
        self.assertEqual(locked.data["error"]["message"], EN["locked"])
        self.assertNotIn("set-cookie", locked.headers)
        retry = int(locked.headers["retry-after"])
        self.assertGreater(retry, 14 * 60)
        self.assertLessEqual(retry, 15 * 60 + 1)
        users = {u["username"]: u for u in self.listing.data["items"]}
        self.assertIs(users["expert"]["locked"], True)

    def test_unknown_name_locks_the_same_way(self):
        for r in self.unknown[:5]:
            self.assertEqual(r.status, 401)
            self.assertEqual(r.data["error"]["message"], EN["login_failed"])
        k, u = self.known[5], self.unknown[5]
        self.assertEqual(u.status, 429)
        self.assertEqual(u.data["error"]["code"], k.data["error"]["code"])
        self.assertEqual(u.data["error"]["message"], k.data["error"]["message"])
        self.assertEqual(set(u.data["error"]), set(k.data["error"]))
        self.assertIn("retry-after", u.headers)

    def test_retry_after_does_not_tell_known_from_unknown(self):
        """SEC-A3: the lock of an unknown name must look like a real one
        (same Retry-After, i.e. the same 15-minute lock)."""
        k = int(self.known[5].headers["retry-after"])
        u = int(self.unknown[5].headers["retry-after"])
        self.assertLessEqual(abs(k - u), 5, "Retry-After %d (known) vs %d (unknown name)" % (k, u))

    def test_other_spelling_of_a_locked_name(self):
        """SEC-A3: names are case-insensitive, so the lock holds for any
        spelling -- for an unknown name exactly as for a real account."""
        self.assertEqual(self.known_case.status, 429)
        self.assertEqual(self.unknown_case.status, self.known_case.status,
                         "an unknown name's lock is escaped by changing its case: "
                         "%s vs %s" % (self.unknown_case.data, self.known_case.data))

    def test_z_address_throttle(self):
        """SEC-A3/G2: after 20 failures from one address, 429 with Retry-After
        even for another account with the right password. (Runs last: z.)"""
        c = self.server.client()
        last = None
        for i in range(12):
            last = c.login("nobody%d_%s" % (i, secrets.token_hex(2)), "Wrong-pass-1", expect=None)
            if last.status == 429:
                break
        self.assertEqual(last.status, 429)
        self.assertEqual(last.data["error"]["message"], EN["rate_limited"])
        r = c.login("auditor", self.server.logins["auditor"], expect=None)
        self.assertEqual(r.status, 429)
        self.assertIn("retry-after", r.headers)
        self.assertGreater(int(r.headers["retry-after"]), 0)


class TrustedProxy(unittest.TestCase):
    """SEC-A5 behind the trusted proxy (JILIAN_TRUSTED_PROXY): over TLS the
    cookie is __Host- prefixed and Secure; the client address is the proxy's
    last X-Forwarded-For entry."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.start_server(JILIAN_TRUSTED_PROXY="127.0.0.1")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_tls_cookie_and_client_address(self):
        srv = self.server
        via = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7, 203.0.113.5"}
        c = srv.client()
        r = c.request("POST", "/api/v1/session",
                      {"username": "teacher", "password": srv.logins["teacher"]}, headers=via)
        self.assertEqual(r.status, 200, r.data)
        sc = r.headers["set-cookie"]
        self.assertTrue(sc.startswith("__Host-jilian_session="), sc)
        attrs = [a.strip().lower() for a in sc.split(";")[1:]]
        for a in ("secure", "httponly", "samesite=lax", "path=/"):
            self.assertIn(a, attrs)
        self.assertFalse(any(a.startswith("domain") for a in attrs), sc)
        self.assertEqual(c.cookie[0], "__Host-jilian_session")
        self.assertEqual(c.get("/api/v1/me", headers=via).status, 200)
        aud = srv.login("auditor")
        rows = aud.get("/api/v1/audit?action=login&page_size=100").data["items"]
        row = [x for x in rows if x["request_id"] == r.headers["x-request-id"]]
        self.assertEqual(len(row), 1)
        self.assertEqual(row[0]["ip"], "203.0.113.5")
        r = c.request("DELETE", "/api/v1/session", headers=via)
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["set-cookie"].startswith("__Host-jilian_session=;"))
        self.assertIn("secure", r.headers["set-cookie"].lower())

    def test_plain_http_behind_the_proxy(self):
        c = self.server.client()
        r = c.login("expert", self.server.logins["expert"])
        self.assertTrue(r.headers["set-cookie"].startswith("jilian_session="))
        self.assertNotIn("secure", r.headers["set-cookie"].lower())


class IdleTimeout(unittest.TestCase):
    """SEC-A6 with short timeouts: idle 2 s (admins 2 s), absolute 4 s."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.start_server(JILIAN_IDLE_TIMEOUT_S=2, JILIAN_ADMIN_IDLE_TIMEOUT_S=2,
                                          JILIAN_ABSOLUTE_TIMEOUT_S=4)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_idle_and_absolute_timeouts(self):
        srv = self.server
        busy = srv.login("expert")
        t_busy = time.monotonic()
        idle_user = srv.login("teacher")
        idle_admin = srv.login("secretariat")
        t_idle = time.monotonic()
        while time.monotonic() - t_idle < 2.8:
            self.assertEqual(busy.get("/api/v1/me").status, 200, "an active session expired")
            time.sleep(0.3)
        for c in (idle_user, idle_admin):
            r = c.get("/api/v1/me")
            self.assertEqual(r.status, 401)
            self.assertEqual(r.data["error"]["message"], EN["session_expired"])
            # The expired session is gone for good.
            self.assertEqual(c.get("/api/v1/me").status, 401)
        self.assertLess(time.monotonic() - t_busy, 3.9, "too slow to tell idle from absolute")
        self.assertEqual(busy.get("/api/v1/me").status, 200, "an active session expired early")
        while time.monotonic() - t_busy < 4.6:
            time.sleep(0.3)
            last = busy.get("/api/v1/me")
        self.assertEqual(last.status, 401, "the absolute lifetime was not enforced")
        self.assertEqual(last.data["error"]["message"], EN["session_expired"])


if __name__ == "__main__":
    unittest.main()
