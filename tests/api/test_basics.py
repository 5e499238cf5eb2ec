"""Transport-level behaviour of the API: headers, errors, bodies, queries.

SEC-C2 (strict JSON bodies), SEC-C5 (headers on every response), SEC-C8
(error envelope with a request id), SEC-B1 (every route has a permission).
"""
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import EN, ZH, field_errors, raw_http  # noqa: E402

S = None


def setUpModule():
    global S
    # No console is built into the test server: every non-API path is a 404.
    S = harness.start_server(JILIAN_WEB_ROOT="/nonexistent")


def tearDownModule():
    S.close()


def check_security_headers(tc, resp, api=True):
    """SEC-C5: the headers every answer carries."""
    status, h, _ = resp
    tc.assertIn("x-request-id", h, "no X-Request-Id on a %d" % status)
    tc.assertRegex(h["x-request-id"], r"^[0-9a-f]{8,32}$")
    tc.assertIn("content-type", h)
    if not h["content-type"].startswith(("image/", "font/", "application/octet-stream",
                                         "application/vnd.")):
        tc.assertIn("charset=", h["content-type"].lower(), h["content-type"])
    tc.assertEqual(h.get("x-content-type-options"), "nosniff")
    csp = h.get("content-security-policy", "")
    tc.assertIn("frame-ancestors 'none'", csp)
    tc.assertIn("default-src 'self'", csp)
    tc.assertNotIn("unsafe-inline", csp.split("script-src", 1)[1].split(";", 1)[0]
                   if "script-src" in csp else "", "inline script allowed by the CSP")
    tc.assertIn("referrer-policy", h)
    if api:
        tc.assertEqual(h.get("cache-control"), "no-store")


def check_envelope(tc, resp, status, code=None):
    """SEC-C8: {"error":{"code","message","request_id"}}; the id is the header's."""
    tc.assertEqual(resp[0], status, resp[2])
    data = resp[2]
    tc.assertIsInstance(data, dict, data)
    err = data.get("error")
    tc.assertIsInstance(err, dict, data)
    for k in ("code", "message", "request_id"):
        tc.assertIsInstance(err.get(k), str, data)
        tc.assertTrue(err[k], data)
    tc.assertEqual(err["request_id"], resp[1].get("x-request-id"))
    if code is not None:
        tc.assertEqual(err["code"], code, data)
    return err


class Health(unittest.TestCase):
    """Liveness; SEC-C5 headers on the simplest answer."""

    def test_health(self):
        r = S.client().get("/api/v1/health")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data, {"status": "ok"})
        self.assertTrue(r.headers["content-type"].startswith("application/json"))
        check_security_headers(self, r)

    def test_head_has_no_body(self):
        r = S.client().request("HEAD", "/api/v1/health")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data, b"")

    def test_request_ids_differ(self):
        c = S.client()
        ids = {c.get("/api/v1/health").headers["x-request-id"] for _ in range(5)}
        self.assertEqual(len(ids), 5)


class Headers(unittest.TestCase):
    """SEC-C5 on answers of every kind."""

    def test_headers_on_success_and_errors(self):
        c = S.client()
        answers = [
            c.get("/api/v1/health"),
            c.get("/api/v1/units?page_size=2"),
            c.get("/api/v1/units/1"),
            c.get("/api/v1/nope"),
            c.get("/api/v1/me"),
            c.request("PUT", "/api/v1/health"),
            c.post("/api/v1/applications", raw=b"{", content_type="application/json"),
            c.post("/api/v1/applications", raw=b"x", content_type="text/plain"),
            c.get("/api/v1/units?page_size=101"),
            c.get("/not-an-api-path"),
            S.login("secretariat").get("/api/v1/people?page_size=1"),
        ]
        for r in answers:
            with self.subTest(status=r.status):
                check_security_headers(self, r)

    def test_personal_data_is_not_cached(self):
        """SEC-C5: Cache-Control: no-store on personal data (people, /me)."""
        c = S.login("secretariat")
        for path in ("/api/v1/me", "/api/v1/people?page_size=1", "/api/v1/people/1"):
            r = c.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertEqual(r.headers.get("cache-control"), "no-store", path)


class Errors(unittest.TestCase):
    """SEC-C8: one error envelope with the request id, never internals."""

    def test_unknown_api_route_404(self):
        r = S.client().get("/api/v1/does-not-exist")
        err = check_envelope(self, r, 404, "not_found")
        self.assertEqual(err["message"], EN["not_found"])
        self.assertNotIn("fields", err)

    def test_unknown_id_shapes_404(self):
        c = S.client()
        for path in ("/api/v1/units/0", "/api/v1/units/-1", "/api/v1/units/abc",
                     "/api/v1/units/99999999", "/api/v1/units/1/x",
                     "/api/v1/units/99999999999999999999999"):
            with self.subTest(path=path):
                check_envelope(self, c.get(path), 404, "not_found")

    def test_wrong_method_405(self):
        c = S.client()
        for method, path in (("PUT", "/api/v1/health"), ("DELETE", "/api/v1/units"),
                             ("POST", "/api/v1/openapi.json"), ("PATCH", "/api/v1/regions")):
            with self.subTest(method=method, path=path):
                r = c.request(method, path)
                err = check_envelope(self, r, 405)
                self.assertEqual(err["message"], EN["method_not_allowed"])

    def test_405_lists_allowed_methods(self):
        """RFC 9110 15.5.6: a 405 answer MUST carry an Allow header."""
        r = S.client().request("PUT", "/api/v1/health")
        self.assertEqual(r.status, 405)
        self.assertIn("allow", r.headers, "405 without an Allow header")
        self.assertIn("GET", r.headers["allow"])

    def test_error_never_leaks_internals(self):
        """SEC-C8: no stack, path or SQL in an error."""
        c = S.login("secretariat")
        r = c.patch("/api/v1/units/1", {"uscc": "'; DROP TABLE units; --"})
        self.assertEqual(r.status, 400)
        text = str(r.data)
        for bad in ("SELECT", "sqlite", "UPDATE ", ".c:", "/work/", "Traceback"):
            self.assertNotIn(bad, text)


class Openapi(unittest.TestCase):
    """SEC-B1: the description is generated from the one route table."""

    def test_openapi_lists_every_route_with_a_permission(self):
        """SEC-B1: one route table; every route declares its permission."""
        r = S.client().get("/api/v1/openapi.json")
        self.assertEqual(r.status, 200)
        doc = r.data
        self.assertRegex(doc["openapi"], r"^3\.1\.\d+$")
        self.assertIn("title", doc["info"])
        self.assertIn("version", doc["info"])
        paths = doc["paths"]
        for p in ("/api/v1/units", "/api/v1/session", "/api/v1/people", "/api/v1/applications",
                  "/api/v1/units/{id}", "/api/v1/users", "/api/v1/audit", "/api/v1/health",
                  "/api/v1/me", "/api/v1/regions"):
            self.assertIn(p, paths)
        count = 0
        for path, item in paths.items():
            self.assertTrue(path.startswith("/api/"), path)
            for method, op in item.items():
                count += 1
                self.assertIn(method, ("get", "post", "put", "patch", "delete"), path)
                perm = op.get("x-permission")
                self.assertIsInstance(perm, str, "%s %s" % (method, path))
                self.assertRegex(perm, r"^(public|session|[a-z_]+\.[a-z_]+)$",
                                 "%s %s" % (method, path))
                if "{" in path:
                    names = [p["name"] for p in op["parameters"] if p["in"] == "path"]
                    self.assertTrue(names, "%s %s has no path parameter" % (method, path))
        self.assertGreaterEqual(count, 25)
        self.assertEqual(paths["/api/v1/health"]["get"]["x-permission"], "public")
        self.assertEqual(paths["/api/v1/users"]["get"]["x-permission"], "users.manage")
        self.assertEqual(paths["/api/v1/audit"]["get"]["x-permission"], "audit.read")
        self.assertEqual(paths["/api/v1/units"]["post"]["x-permission"], "units.create")
        body = paths["/api/v1/units"]["post"]["requestBody"]["content"]["application/json"]
        self.assertFalse(body["schema"]["additionalProperties"])
        self.assertIn("uscc", body["schema"]["required"])

    def test_routes_in_openapi_are_served(self):
        """Each documented route answers something other than 404/405."""
        c = S.client()
        doc = c.get("/api/v1/openapi.json").data
        for path, item in doc["paths"].items():
            for method in item:
                if method != "get":
                    continue  # writes are covered by their own tests
                url = re.sub(r"\{[a-z_]+\}", "1", path)
                r = c.get(url)
                with self.subTest(path=path):
                    self.assertNotIn(r.status, (404, 405, 500), r.data)


class Language(unittest.TestCase):
    """Messages in zh-CN by default, English on Accept-Language: en (SEC-C8)."""

    def test_english_on_request(self):
        r = S.client(lang="en").get("/api/v1/nope")
        self.assertEqual(r.data["error"]["message"], EN["not_found"])
        r = S.client(lang="en-US,en;q=0.9,zh;q=0.5").get("/api/v1/me")
        self.assertEqual(r.data["error"]["message"], EN["unauthorized"])

    def test_chinese_by_default(self):
        r = S.client(lang=None).get("/api/v1/nope")
        self.assertEqual(r.data["error"]["message"], ZH["not_found"])
        r = S.client(lang="zh-CN,zh;q=0.9,en;q=0.8").get("/api/v1/me")
        self.assertEqual(r.data["error"]["message"], ZH["unauthorized"])
        r = S.client(lang=None).get("/api/v1/units?page_size=0")
        self.assertEqual(r.data["error"]["message"], ZH["validation_failed"])


class Bodies(unittest.TestCase):
    """SEC-C2 on the public application form (no session needed)."""

    path = "/api/v1/applications"

    def post(self, raw, ct="application/json"):
        return S.client().post(self.path, raw=raw, content_type=ct)

    def test_malformed_json_400(self):
        for raw in (b"{", b"{\"name\": }", b"nul", b"{'a': 1}", b"[1,]"):
            with self.subTest(raw=raw):
                err = check_envelope(self, self.post(raw), 400, "invalid")
                self.assertEqual(err["message"], EN["bad_json"])

    def test_empty_body_400(self):
        err = check_envelope(self, self.post(b""), 400, "invalid")
        self.assertEqual(err["message"], EN["bad_json"])

    def test_duplicate_keys_400(self):
        err = check_envelope(self, self.post(b'{"name":"a","name":"b"}'), 400, "invalid")
        self.assertEqual(err["message"], EN["bad_json"])

    def test_wrong_content_type_415(self):
        for ct in ("text/plain", "application/x-www-form-urlencoded", "text/csv",
                   "application/jsonx"):
            with self.subTest(ct=ct):
                err = check_envelope(self, self.post(b'{"name":"x"}', ct), 415)
                self.assertEqual(err["message"], EN["unsupported_media_type"])

    def test_json_with_charset_accepted(self):
        r = self.post(b'{"name":"x"}', "application/json; charset=utf-8")
        self.assertEqual(r.status, 400)  # the fields are incomplete, but it was read
        self.assertIn("kind", field_errors(r))

    def test_body_over_1mib_413(self):
        big = b'{"name":"' + b"x" * (1024 * 1024) + b'"}'
        req = (b"POST /api/v1/applications HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
               b"Content-Type: application/json\r\nContent-Length: %d\r\n"
               b"Connection: close\r\n\r\n" % (S.port, len(big))) + big
        status, _, _ = raw_http(S.port, req)
        self.assertEqual(status, 413)

    def test_413_carries_envelope_and_headers(self):
        """SEC-C5/C8: the 413 is an API answer like any other."""
        big = b'{"name":"' + b"x" * (1024 * 1024) + b'"}'
        req = (b"POST /api/v1/applications HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
               b"Content-Type: application/json\r\nContent-Length: %d\r\n"
               b"Connection: close\r\n\r\n" % (S.port, len(big))) + big
        status, headers, body = raw_http(S.port, req)
        self.assertEqual(status, 413)
        self.assertEqual(headers.get("x-content-type-options"), "nosniff", headers)
        self.assertIn("frame-ancestors 'none'", headers.get("content-security-policy", ""))
        self.assertIn("x-request-id", headers)
        self.assertTrue(headers.get("content-type", "").startswith("application/json"), headers)
        self.assertIn(b'"error"', body)

    def test_invalid_utf8_400(self):
        for raw in (b'{"name":"\xff"}', b'{"name":"\xc3"}', b'{"name":"\xed\xa0\x80"}',
                    b'{"\xfe":"x"}'):
            with self.subTest(raw=raw):
                err = check_envelope(self, self.post(raw), 400, "invalid")
                self.assertEqual(err["message"], EN["bad_json"])

    def test_nesting_limit(self):
        deep = b'{"name":' + b"[" * 32 + b"]" * 32 + b"}"  # 33 levels
        err = check_envelope(self, self.post(deep), 400, "invalid")
        self.assertEqual(err["message"], EN["bad_json"])
        ok = b'{"name":' + b"[" * 31 + b"]" * 31 + b"}"  # 32 levels: parsed, then refused
        r = self.post(ok)
        self.assertEqual(r.status, 400)
        self.assertEqual(r.data["error"]["message"], EN["validation_failed"])
        self.assertIn("name", field_errors(r))
        # Brackets inside strings do not count.
        s = b'{"name":"' + b"[" * 100 + b'"}'
        r = self.post(s)
        self.assertEqual(r.data["error"]["message"], EN["validation_failed"])

    def test_body_must_be_object(self):
        r = self.post(b"[1,2]")
        self.assertEqual(r.status, 400)
        self.assertNotEqual(r.data["error"]["message"], EN["bad_json"])

    def test_unknown_field_refused(self):
        """SEC-B4: only the listed fields are accepted."""
        r = self.post(b'{"is_admin": true, "role": "chair"}')
        self.assertEqual(r.status, 400)
        f = field_errors(r)
        self.assertEqual(f.get("is_admin"), EN["unknown_field"])
        self.assertEqual(f.get("role"), EN["unknown_field"])
        self.assertEqual(f.get("name"), EN["required"])


class OddBodies(unittest.TestCase):
    """No odd body makes a write route fail with a 5xx (SEC-C2, C8)."""

    def test_no_5xx(self):
        doc = S.client().get("/api/v1/openapi.json").data
        callers = [S.client(), S.login("secretariat")]
        bodies = [None, {}, [], "x", 0, {"name": None}, {"name": ""}, {"unit_id": -1},
                  {"unit_id": "1"}, {"unit_id": 9223372036854775807}, {"name": "x" * 5000},
                  {"name": "\u202e\ufeff"}, {"reason": None}, {"username": None}]
        n = 0
        for path, item in doc["paths"].items():
            for method in item:
                if method == "get" or path == "/api/v1/session":
                    continue
                url = path.replace("{id}", "999999")
                for c in callers:
                    for b in bodies:
                        r = (c.request(method.upper(), url) if b is None
                             else c.request(method.upper(), url, b))
                        n += 1
                        with self.subTest(route="%s %s" % (method, url), body=b):
                            self.assertLess(r.status, 500, r.data)
        self.assertGreater(n, 100)


class Limits(unittest.TestCase):
    """SEC-G1: request headers are bounded (8 KiB)."""

    def test_huge_headers_431(self):
        c = S.client()
        r = c.get("/api/v1/health", headers={"X-Filler": "a" * 9000})
        self.assertEqual(r.status, 431, r.data)
        check_envelope(self, r, 431)
        check_security_headers(self, r)
        r = c.get("/api/v1/health", headers={"X-Filler": "a" * 6000})
        self.assertEqual(r.status, 200)


class Queries(unittest.TestCase):
    """Strict query strings and paging bounds (SEC-C2, SEC-G1)."""

    def test_bad_percent_encoding_400(self):
        c = S.client()
        for qs in ("q=%zz", "q=%4", "q=%", "q=%00", "q=%E4%B8", "q=%C3%28", "%zz=1", "=1",
                   "q=%0A"):
            with self.subTest(qs=qs):
                err = check_envelope(self, c.get("/api/v1/units?" + qs), 400, "invalid")
                self.assertEqual(err["message"], EN["bad_query"])

    def test_good_percent_encoding(self):
        c = S.client()
        r = c.get("/api/v1/units?q=%E7%9F%B3%E5%AE%B6%E5%BA%84&page_size=100")  # 石家庄
        self.assertEqual(r.status, 200)
        self.assertGreater(r.data["total"], 0)
        for u in r.data["items"]:
            self.assertTrue("石家庄" in u["name"] or "石家庄" in u["short_name"], u["name"])

    def test_too_many_parameters_400(self):
        qs = "&".join("x%d=1" % i for i in range(40))
        check_envelope(self, S.client().get("/api/v1/units?" + qs), 400, "invalid")

    def test_page_size_limits(self):
        c = S.client()
        r = c.get("/api/v1/units?page_size=101")
        check_envelope(self, r, 400, "invalid")
        self.assertEqual(field_errors(r).get("page_size"), EN["page_size_range"])
        for bad in ("0", "-1", "abc", "1.5", "99999999999999999999"):
            with self.subTest(page_size=bad):
                r = c.get("/api/v1/units?page_size=" + bad)
                self.assertEqual(r.status, 400)
                self.assertIn("page_size", field_errors(r))
        r = c.get("/api/v1/units?page=0")
        self.assertEqual(r.status, 400)
        self.assertIn("page", field_errors(r))
        r = c.get("/api/v1/units?page_size=100")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data["page_size"], 100)
        r = c.get("/api/v1/units?page=999")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data["items"], [])


class NonApi(unittest.TestCase):
    """Without a built console every other path is a JSON 404 (SEC-C5, C8)."""

    def test_non_api_path_without_console_404_json(self):
        c = S.client()
        for path in ("/", "/index.html", "/units/12", "/assets/app.js", "/../etc/passwd"):
            with self.subTest(path=path):
                r = c.get(path)
                err = check_envelope(self, r, 404, "not_found")
                self.assertEqual(err["message"], EN["not_found"])
                check_security_headers(self, r)


if __name__ == "__main__":
    unittest.main()
