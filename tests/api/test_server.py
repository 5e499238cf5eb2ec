"""Server behaviour around the modules: the answer cache, jobs, the trusted
proxy, static files of the console, header limits and 405's Allow."""
import gzip
import os
import tempfile
import time
import unittest

import harness
from harness import make_uscc, start_server

S = None


def setUpModule():
    global S, WEB
    WEB = tempfile.mkdtemp(prefix="jilian-web-")
    os.makedirs(os.path.join(WEB, "assets"))
    with open(os.path.join(WEB, "index.html"), "w", encoding="utf-8") as f:
        f.write("<!doctype html><title>技联</title>")
    js = b"console.log('jilian');\n" * 50
    with open(os.path.join(WEB, "assets", "app.js"), "wb") as f:
        f.write(js)
    with open(os.path.join(WEB, "assets", "app.js.gz"), "wb") as f:
        f.write(gzip.compress(js))
    S = start_server(JILIAN_WEB_ROOT=WEB, JILIAN_TRUSTED_PROXY="127.0.0.1")


def tearDownModule():
    S.close()


UNIT_HEADER = "name,short_name,kind,uscc,city,role,status,joined,address,website,intro\n"


class AnswerCache(unittest.TestCase):
    def test_list_reflects_writes_at_once(self):
        """A cached public list is never served after a committed write."""
        anon = S.client()
        first = anon.get("/api/v1/units?page_size=5&sort=-id")
        again = anon.get("/api/v1/units?page_size=5&sort=-id")
        self.assertEqual(first.data, again.data)
        admin = S.login("secretariat")
        name = "缓存测试单位%d" % time.monotonic_ns()
        r = admin.post("/api/v1/units", {"name": name, "kind": "enterprise",
                                         "uscc": make_uscc(), "city": "130100"})
        self.assertEqual(r.status, 201, r.data)
        after = anon.get("/api/v1/units?page_size=5&sort=-id")
        self.assertEqual(after.data["total"], first.data["total"] + 1)
        self.assertEqual(after.data["items"][0]["name"], name)
        stats = anon.get("/api/v1/units/stats").data
        r = admin.patch("/api/v1/units/%d" % after.data["items"][0]["id"],
                        {"status": "suspended"})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(anon.get("/api/v1/units?page_size=5&sort=-id").data["total"],
                         first.data["total"])
        ent = {x["key"]: x["count"] for x in stats["by_kind"]}["enterprise"]
        ent2 = {x["key"]: x["count"] for x in anon.get("/api/v1/units/stats").data["by_kind"]}
        self.assertEqual(ent2["enterprise"], ent - 1)

    def test_visibility_classes_are_not_mixed(self):
        """Members see every status; the public's cached list never leaks them."""
        anon, member = S.client(), S.login("teacher")
        a = anon.get("/api/v1/units?page_size=100&status=withdrawn")
        m = member.get("/api/v1/units?page_size=100&status=withdrawn")
        self.assertEqual(a.data["total"], 0)
        self.assertGreaterEqual(m.data["total"], 1)
        self.assertEqual(anon.get("/api/v1/units?page_size=100&status=withdrawn").data["total"], 0)


class Jobs(unittest.TestCase):
    def test_import_runs_as_a_job_with_progress(self):
        admin = S.login("secretariat")
        rows = "".join("作业导入单位%d-%d,,enterprise,%s,130200,member,active,2025-03-01,,,\n"
                       % (time.monotonic_ns(), i, make_uscc()) for i in range(120))
        r = admin.post("/api/v1/units/import", raw=UNIT_HEADER + rows, content_type="text/csv")
        self.assertEqual(r.status, 202, r.data)
        job = r.data["job_id"]
        deadline = time.monotonic() + 20
        while True:
            j = admin.get("/api/v1/jobs/%d" % job)
            self.assertEqual(j.status, 200)
            if j.data["state"] in ("done", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(j.data["state"], "done", j.data)
        self.assertEqual(j.data["done"], 120)
        self.assertEqual(j.data["total"], 120)
        self.assertEqual(j.data["result"]["valid"], 120)
        # Another user cannot see the job; anonymous callers must sign in.
        self.assertEqual(S.login("unitadmin").get("/api/v1/jobs/%d" % job).status, 404)
        self.assertEqual(S.client().get("/api/v1/jobs/%d" % job).status, 401)
        audit = S.login("auditor").get("/api/v1/audit?action=units.import").data["items"]
        self.assertTrue(any("job=%d" % job in a["detail"] for a in audit))

    def test_failed_job_writes_nothing(self):
        admin = S.login("secretariat")
        before = admin.get("/api/v1/units?page_size=1").data["total"]
        dup = make_uscc()
        rows = ("甲单位%d,,enterprise,%s,130200,,,,,,\n乙单位%d,,enterprise,%s,130200,,,,,,\n"
                % (time.monotonic_ns(), dup, time.monotonic_ns(), dup))
        r = admin.post("/api/v1/units/import", raw=UNIT_HEADER + rows, content_type="text/csv")
        self.assertEqual(r.status, 202)
        for _ in range(200):
            j = admin.get("/api/v1/jobs/%d" % r.data["job_id"]).data
            if j["state"] in ("done", "failed"):
                break
            time.sleep(0.05)
        self.assertEqual(j["state"], "failed")
        self.assertEqual(j["result"]["errors"][0]["row"], 3)
        self.assertEqual(admin.get("/api/v1/units?page_size=1").data["total"], before)


class TrustedProxy(unittest.TestCase):
    def test_forwarded_address_and_secure_cookie(self):
        """From the trusted proxy, X-Forwarded-For names the client in the
        audit log and X-Forwarded-Proto: https gives a __Host- Secure cookie."""
        c = S.client()
        hdrs = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7",
                "X-Forwarded-Proto": "https"}
        r = c.request("POST", "/api/v1/session",
                      {"username": "expert", "password": S.logins["expert"]}, headers=hdrs)
        self.assertEqual(r.status, 200)
        cookie = r.headers["set-cookie"]
        self.assertTrue(cookie.startswith("__Host-jilian_session="), cookie)
        self.assertIn("Secure", cookie)
        self.assertIn("HttpOnly", cookie)
        rows = S.login("auditor").get("/api/v1/audit?action=login&username=expert").data["items"]
        self.assertEqual(rows[0]["ip"], "198.51.100.7")


class StaticFiles(unittest.TestCase):
    def test_console_files_etag_gzip_and_fallback(self):
        c = S.client()
        r = c.get("/")
        self.assertEqual(r.status, 200)
        self.assertIn("技联", r.data.decode("utf-8"))
        self.assertTrue(r.headers["content-type"].startswith("text/html"))
        self.assertIn("frame-ancestors 'none'", r.headers["content-security-policy"])
        r = c.get("/units/12/edit")  # a console route
        self.assertEqual(r.status, 200)
        self.assertIn("<title>", r.data.decode("utf-8"))
        r = c.get("/assets/app.js", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.headers.get("content-encoding"), "gzip")
        self.assertIn(b"jilian", gzip.decompress(r.data))
        self.assertIn("immutable", r.headers["cache-control"])
        plain = c.get("/assets/app.js")
        self.assertNotIn("content-encoding", plain.headers)
        r = c.get("/assets/app.js", headers={"If-None-Match": plain.headers["etag"]})
        self.assertEqual(r.status, 304)
        self.assertEqual(c.get("/assets/missing.js").status, 404)
        self.assertEqual(c.get("/.hidden").status, 404)


class Todos(unittest.TestCase):
    def test_pending_applications_are_the_secretariats_todo(self):
        admin = S.login("secretariat")
        before = {t["kind"]: t["count"] for t in admin.get("/api/v1/me/todos").data["items"]}
        r = S.client().post("/api/v1/applications", {
            "name": "待办测试职业学院%d" % time.monotonic_ns(), "kind": "vocational_college",
            "uscc": make_uscc(), "city": "130600", "contact_name": "赵一",
            "contact_phone": "13800001111"})
        self.assertEqual(r.status, 201, r.data)
        todos = {t["kind"]: t for t in admin.get("/api/v1/me/todos").data["items"]}
        self.assertEqual(todos["applications.pending"]["count"],
                         before.get("applications.pending", 0) + 1)
        self.assertEqual(todos["applications.pending"]["link"], "/console/applications")
        self.assertEqual(S.login("teacher").get("/api/v1/me/todos").data["items"], [])
        self.assertEqual(S.client().get("/api/v1/me/todos").status, 401)


class ConsoleHelpers(unittest.TestCase):
    def test_session_probe_never_401(self):
        anon = S.client()
        r = anon.get("/api/v1/session")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data, {"signed_in": False})
        c = S.login("student")
        r = c.get("/api/v1/session")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.data["signed_in"])
        self.assertEqual(r.data["user"]["username"], "student")
        self.assertEqual(r.data["csrf_token"], c.csrf)
        c.logout()
        self.assertEqual(c.get("/api/v1/session").data, {"signed_in": False})

    def test_user_list_names_units(self):
        items = S.login("sysadmin").get("/api/v1/users?q=unitadmin").data["items"]
        self.assertEqual(items[0]["unit_name"],
                         S.client().get("/api/v1/units/1").data["name"])
        items = S.login("sysadmin").get("/api/v1/users?q=auditor").data["items"]
        self.assertIsNone(items[0]["unit_name"])

    def test_people_of_another_unit_not_found(self):
        """SEC-B2: a unit_admin naming another unit gets 404, not its own people."""
        c = S.login("unitadmin")
        self.assertEqual(c.get("/api/v1/people?unit_id=2").status, 404)
        own = c.get("/api/v1/people?unit_id=1")
        self.assertEqual(own.status, 200)
        self.assertTrue(all(p["unit_id"] == 1 for p in own.data["items"]))
        self.assertEqual(c.get("/api/v1/people?unit_id=x").status, 400)


class ConnectionsPerAddress(unittest.TestCase):
    def test_limit_and_release(self):
        """SEC-G1: an address with max_conn_per_addr open connections gets no
        more until some close; the count returns to zero."""
        import socket
        srv = start_server(JILIAN_MAX_CONN_PER_ADDR=4)
        try:
            def health():
                try:
                    s = socket.create_connection(("127.0.0.1", srv.port), timeout=3)
                    s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: t\r\n"
                              b"Connection: close\r\n\r\n")
                    data = s.recv(64)
                    s.close()
                    return data.startswith(b"HTTP/1.1 200")
                except OSError:
                    return False
            def still_open(sock):
                try:
                    return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) != b""
                except BlockingIOError:
                    return True
                except OSError:
                    return False

            def fill():
                """Four idle connections, all counted by the server: a fifth is
                refused and none of the four was (the releases of an earlier
                round may still be in flight on a slow server: then retry)."""
                for _ in range(20):
                    idle = [socket.create_connection(("127.0.0.1", srv.port)) for _ in range(4)]
                    deadline = time.monotonic() + 5
                    while health() and time.monotonic() < deadline:
                        time.sleep(0.1)
                    if all(still_open(s) for s in idle):
                        return idle
                    for s in idle:
                        s.close()
                    time.sleep(0.3)
                self.fail("four idle connections were never all counted")

            for _ in range(3):
                idle = fill()
                self.assertFalse(health())
                for s in idle:
                    s.close()
                deadline = time.monotonic() + 5
                while not health() and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.assertTrue(health())
        finally:
            srv.close()


class DataFolder(unittest.TestCase):
    def test_restore_refused_while_serving_and_files_private(self):
        """SEC-E3: a restore under a running server would lose its later
        writes, so it is refused; the data folder is not world-readable."""
        backup = os.path.join(S.tmp, "running.db")
        self.assertEqual(S.cli("backup", backup).returncode, 0)
        r = S.cli("restore", backup)
        self.assertEqual(r.returncode, 1)
        self.assertIn("stop it first", r.stderr)
        for path in (S.db_path, backup):
            self.assertEqual(os.stat(path).st_mode & 0o007, 0, path)


class ImportValidation(unittest.TestCase):
    def test_joined_must_be_a_real_date(self):
        """Regression of fuzz/crashes/csv_units-joined-not-a-date.bin: the
        CSV path checks dates like the JSON path does."""
        admin = S.login("secretariat")
        for joined in ("abcd-ef-gh", "2024-13-45", "2023-02-30"):
            row = "日期测试%d,,enterprise,%s,130100,,,%s,,,\n" % (time.monotonic_ns(), make_uscc(),
                                                               joined)
            r = admin.post("/api/v1/units/import?dry_run=true", raw=UNIT_HEADER + row,
                           content_type="text/csv")
            self.assertEqual(r.status, 400, joined)
            errors = r.data["error"]["report"]["errors"]
            self.assertEqual([(e["row"], e["field"]) for e in errors], [(2, "joined")])


class Limits(unittest.TestCase):
    def test_headers_over_8_kib(self):
        r = S.client().get("/api/v1/health", headers={"X-Big": "a" * 9000})
        self.assertEqual(r.status, 431)
        self.assertEqual(S.client().get("/api/v1/health",
                                        headers={"X-Big": "a" * 6000}).status, 200)

    def test_405_lists_allowed_methods(self):
        r = S.client().request("PUT", "/api/v1/units/1", {})
        self.assertEqual(r.status, 405)
        self.assertEqual(r.headers["allow"], "GET, PATCH, DELETE")


if __name__ == "__main__":
    unittest.main()
