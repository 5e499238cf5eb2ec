"""What the logs hold after a realistic session (SEC-D4).

A server with the access log on (JILIAN_LOG_REQUESTS=1) goes through
sign-ins with the demo passwords, password changes and a reset, a user made
with a generated password, people with full mobile and identity numbers, an application
with a contact phone, failed sign-ins, and CR/LF smuggled into the path, the
query, headers and a JSON value. Then it stops, and its stderr (the log) and
the audit rows (GET /api/v1/audit as the auditor) are searched:

- no password, session cookie value or CSRF token in the log;
- no full phone or identity number in the log or in the audit rows; no password in the
  audit rows;
- every log line starts with a timestamp: no forged line;
- no raw CR or LF in any audit value ("CR and LF in logged values are
  escaped").
"""
import json
import os
import re
import secrets
import socket
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "api"))
import harness  # noqa: E402

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2}) ")
FORGED = "FORGED"   # every injection attempt carries this marker after its CR/LF
FAKE_TS = "2099-01-01T00:00:00.000Z"

# Full mobile numbers that go in; only masked forms (138****5678) may come out.
PHONES = ["13812345678", "13987654321", "15912345678", "18612345678", "13712345670",
          "15000001111"]
# Identity numbers likewise (fictional: county part 9900).
ID_NUMBERS = [harness.make_id_number(seed=s) for s in (11, 22, 33)]


def raw_request(port, data, timeout=5):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    out = b""
    try:
        s.sendall(data)
        while True:
            try:
                b = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not b:
                break
            out += b
    finally:
        s.close()
    return out


class LogsAfterASession(unittest.TestCase):
    """SEC-D4 over the whole server log and the audit rows of one session."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.start_server(JILIAN_LOG_REQUESTS=1)
        try:
            cls.drive()
            cls.server.stop()
            cls.log = cls.server.stderr_text()
        finally:
            cls.server.close()

    @classmethod
    def drive(cls):
        S = cls.server
        tag = secrets.token_hex(3)
        cls.passwords = []      # every password typed or shown
        cls.tokens = []         # session cookie values and CSRF tokens
        cls.rids = []           # request ids the log should hold
        clients = []

        def remember(c):
            if c not in clients:
                clients.append(c)
            if c.cookie and c.cookie[1] not in cls.tokens:
                cls.tokens.append(c.cookie[1])
            if c.csrf and c.csrf not in cls.tokens:
                cls.tokens.append(c.csrf)

        def ok(r, status, what):
            if r.status != status:
                raise AssertionError("%s: expected %d, got %d %r" %
                                     (what, status, r.status, r.data))
            cls.rids.append(r.headers.get("x-request-id"))
            return r

        # Sign-ins with the demo passwords.
        users = {}
        for name in ("secretariat", "sysadmin", "auditor", "unitadmin"):
            cls.passwords.append(S.logins[name])
            users[name] = S.login(name)
            remember(users[name])
        sec, admin, unitadmin = users["secretariat"], users["sysadmin"], users["unitadmin"]

        # A user made with a generated password, who signs in and changes it.
        uname = "logtest_" + tag
        r = ok(admin.post("/api/v1/users", {"username": uname, "role": "expert",
                                            "display_name": "日志测试"}), 201, "create user")
        uid, generated = r.data["user"]["id"], r.data["password"]
        cls.passwords.append(generated)
        newbie = S.client()
        newbie.login(uname, generated)
        remember(newbie)
        changed = "Changed-%s-pw" % secrets.token_hex(5)
        cls.passwords.append(changed)
        ok(newbie.put("/api/v1/me/password", {"current_password": generated,
                                             "new_password": changed}), 200, "change password")
        remember(newbie)
        wrong_current = "Not-my-current-%s" % secrets.token_hex(4)
        cls.passwords.append(wrong_current)
        ok(newbie.put("/api/v1/me/password", {"current_password": wrong_current,
                                             "new_password": "Whatever-%s" % tag}), 400,
           "change with a wrong current password")
        cls.passwords.append("Whatever-%s" % tag)
        again = S.client()
        again.login(uname, changed)
        remember(again)
        # A demo user changes its own password too.
        own = "Unit-admin-%s-new" % secrets.token_hex(4)
        cls.passwords.append(own)
        ok(unitadmin.put("/api/v1/me/password", {"current_password": S.logins["unitadmin"],
                                                "new_password": own}), 200,
           "unitadmin changes its password")
        remember(unitadmin)
        # A reset by the system administrator (the new password is shown once).
        r = ok(admin.post("/api/v1/users/%d/password" % uid), 200, "reset password")
        cls.passwords.append(r.data["password"])

        # People with full mobile numbers.
        units = S.client().get("/api/v1/units?page_size=5").data["items"]
        person_ids = []
        for i, phone in enumerate(PHONES[:2]):
            r = ok(sec.post("/api/v1/people", {"name": "日志人员%d" % i, "title": "教师",
                                               "phone": phone, "unit_id": units[i]["id"],
                                               "id_number": ID_NUMBERS[i]}),
                   201, "create person")
            person_ids.append(r.data["id"])
        r = ok(unitadmin.post("/api/v1/people", {"name": "单位联系人", "phone": PHONES[2],
                                                 "email": "contact@example.cn"}),
               201, "unit_admin creates a person")
        person_ids.append(r.data["id"])
        ok(sec.patch("/api/v1/people/%d" % person_ids[0], {"phone": PHONES[3]}), 200,
           "change a phone")
        ok(sec.get("/api/v1/people/%d" % person_ids[0]), 200, "read a person")
        ok(sec.get("/api/v1/people?page_size=100"), 200, "list people")
        ok(sec.get("/api/v1/people?q=%s" % PHONES[1]), 200, "search people by a phone")
        ok(sec.get("/api/v1/people?phone=%s" % PHONES[1]), 200, "look a phone up")
        ok(sec.get("/api/v1/people?id_number=%s" % ID_NUMBERS[0]), 200, "look an id number up")
        ok(sec.patch("/api/v1/people/%d" % person_ids[1], {"id_number": ID_NUMBERS[2]}), 200,
           "change an id number")
        ok(sec.post("/api/v1/people", {"name": "坏证号", "id_number": ID_NUMBERS[1][:-1] + "0"
                                       if ID_NUMBERS[1][-1] != "0" else ID_NUMBERS[1][:-1] + "1",
                                       "unit_id": units[0]["id"]}), 400, "invalid id number")
        # A bad phone is refused; the refusal must not echo it into the log either.
        ok(sec.post("/api/v1/people", {"name": "坏号码", "phone": PHONES[5] + "9",
                                       "unit_id": units[0]["id"]}), 400, "invalid phone")

        # An application with a contact phone (anonymous).
        body17 = "91130100" + "%09d" % (secrets.randbelow(10 ** 8) + 600000000)
        ok(S.client().post("/api/v1/applications", {
            "name": "日志测试申请单位" + tag, "kind": "enterprise",
            "uscc": body17 + harness.uscc_check_char(body17), "city": "130100",
            "contact_name": "申请联系人", "contact_phone": PHONES[4]}), 201, "application")

        # Failed sign-ins: a real name with a wrong password, an unknown name.
        wrong = "Wrong-%s-password" % secrets.token_hex(5)
        cls.passwords.append(wrong)
        r = S.client().login("secretariat", wrong, expect=401)
        cls.rids.append(r.headers.get("x-request-id"))
        wrong2 = "Another-wrong-%s" % secrets.token_hex(5)
        cls.passwords.append(wrong2)
        S.client().login("nobody_" + tag, wrong2, expect=401)

        # CR/LF smuggled in: percent-encoded in the path and the query, in
        # header values, folded into a header, and raw in a JSON value.
        crlf = "%%0d%%0a%s%%20info%%20%s" % (FAKE_TS, FORGED)
        cookie = "%s=%s" % sec.cookie
        port = S.port
        targets = ["/api/v1/units" + crlf + "-PATH",
                   "/api/v1/units?q=x" + crlf + "-QUERY",
                   "/api/v1/people/1" + crlf + "-PARAM",
                   "/api/v1/people" + crlf + "-AUTH",
                   "/console" + crlf + "-STATIC",
                   "/api/v1/units%0a" + FORGED + "-LF%0d" + FORGED + "-CR"]
        for t in targets:
            out = raw_request(port, ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n"
                                     "Connection: close\r\n\r\n" % (t, port, cookie)).encode())
            if not out.startswith(b"HTTP/1.1 "):
                raise AssertionError("no answer to %s: %r" % (t, out[:100]))
        header_lines = [
            "User-Agent: agent%s-UA" % crlf,
            "X-Forwarded-For: 10.0.0.1%s-XFF" % crlf,
            "Accept-Language: en%s-LANG" % crlf,
            "X-CSRF-Token: %s%s-CSRF" % (sec.csrf, crlf),
            "Referer: http://x/%s-REF" % crlf,
            "User-Agent: folded\r\n %s info %s-FOLD" % (FAKE_TS, FORGED),
        ]
        for h in header_lines:
            for method, path in (("GET", "/api/v1/people?page_size=1"),
                                 ("DELETE", "/api/v1/people/999999")):
                raw_request(port, ("%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: %s\r\n%s\r\n"
                                   "Connection: close\r\n\r\n" % (method, path, port, cookie, h))
                            .encode())
        S.client().login("ghost\r\n%s info %s-LOGIN\r\n" % (FAKE_TS, FORGED), "Wrong-pass-1",
                         expect=401)
        S.client().post("/api/v1/applications", {
            "name": "名称\r\n%s info %s-BODY" % (FAKE_TS, FORGED), "kind": "enterprise",
            "uscc": "bad", "city": "130100", "contact_name": "x", "contact_phone": "1"})

        # Sign out one session; the auditor reads the whole audit log.
        ok(sec.logout(), 200, "logout")
        aud = users["auditor"]
        rows, page = [], 1
        while True:
            r = ok(aud.get("/api/v1/audit?page_size=100&page=%d" % page), 200, "audit page")
            rows.extend(r.data["items"])
            if page * 100 >= r.data["total"] or not r.data["items"]:
                break
            page += 1
        cls.audit_rows = rows
        cls.audit_text = json.dumps(rows, ensure_ascii=False)
        for c in list(clients):
            remember(c)
        cls.passwords = sorted(set(cls.passwords))

    # --- the server log ------------------------------------------------------

    def test_log_was_written(self):
        """Sanity: the access log was on and holds this session's requests."""
        access = [line for line in self.log.splitlines() if " access " in line]
        self.assertGreater(len(access), 30, self.log[-2000:])
        for rid in self.rids:
            self.assertIn(rid, self.log, "request %s is not in the access log" % rid)

    def test_no_password_in_log(self):
        for pw in self.passwords:
            self.assertNotIn(pw, self.log, "a password is in the server log")

    def test_no_token_in_log(self):
        self.assertGreaterEqual(len(self.tokens), 10)
        for t in self.tokens:
            self.assertNotIn(t, self.log, "a session token or CSRF token is in the server log")

    def test_no_full_phone_number_in_log(self):
        for phone in PHONES + ID_NUMBERS:
            self.assertNotIn(phone, self.log, "the full number %s is in the server log" %
                             phone)

    def test_every_line_starts_with_a_timestamp(self):
        self.assertNotIn("\r", self.log, "a raw CR in the server log")
        lines = self.log.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        bad = [line for line in lines if not TIMESTAMP.match(line)]
        self.assertEqual(bad, [], "log lines without a timestamp (forged or broken)")
        forged = [line for line in lines if line.startswith(FAKE_TS) or
                  re.match(r"^\S+ info %s" % FORGED, line)]
        self.assertEqual(forged, [], "forged log lines")
        # The injections reached the log only escaped.
        self.assertIn(FORGED + "-PATH", self.log)
        self.assertRegex(self.log, r"\\x0d\\x0a" + re.escape(FAKE_TS))

    # --- the audit rows ------------------------------------------------------

    def test_audit_rows_hold_no_password(self):
        self.assertGreater(len(self.audit_rows), 20)
        for pw in self.passwords:
            self.assertNotIn(pw, self.audit_text, "a password is in the audit rows")

    def test_audit_rows_hold_no_full_phone_number(self):
        for phone in PHONES + ID_NUMBERS:
            self.assertNotIn(phone, self.audit_text,
                             "the full number %s is in the audit rows" % phone)

    def test_audit_rows_hold_no_token(self):
        for t in self.tokens:
            self.assertNotIn(t, self.audit_text, "a token is in the audit rows")

    def test_audit_values_have_no_raw_cr_lf(self):
        """SEC-D4: CR and LF in logged values are escaped -- in the audit log
        as in the server log (a failed sign-in records the user name typed)."""
        bad = []
        for row in self.audit_rows:
            for k, v in row.items():
                if isinstance(v, str) and ("\r" in v or "\n" in v):
                    bad.append((row.get("id"), row.get("action"), k, v))
        self.assertEqual(bad, [], "audit values with a raw CR or LF")


if __name__ == "__main__":
    unittest.main()
