"""The directory: member units, regions, exports and imports, contact
people, and join applications.

SEC-B1..B4 (permissions, tenancy, listed fields), SEC-B6 (one pending
application per organisation), SEC-C3 (Chinese identifiers), SEC-C6
(formula-safe exports), SEC-D5 (masked phone numbers).
"""
import csv
import io
import os
import sys
import threading
import time
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import EN, MASKED_MOBILE, bad_uscc, field_errors, make_mobile, make_uscc  # noqa: E402

S = None
INITIAL = {}
CSV_HEADER = "name,short_name,kind,uscc,city,role,status,joined,address,website,intro"


def setUpModule():
    global S
    S = harness.start_server()
    try:
        INITIAL["public"] = S.client().get("/api/v1/units?page_size=100")
        INITIAL["admin"] = S.login("secretariat").get("/api/v1/units?page_size=100")
    except BaseException:
        S.close()
        raise


def tearDownModule():
    S.close()


_n = [0]


def unique(prefix="测试单位"):
    _n[0] += 1
    return "%s%d-%s" % (prefix, _n[0], make_uscc()[8:14])


def unit_body(**kw):
    body = {"name": unique(), "kind": "technical_school", "uscc": make_uscc(), "city": "130100"}
    body.update(kw)
    return body


def create_unit(**kw):
    r = S.login("secretariat").post("/api/v1/units", unit_body(**kw))
    if r.status != 201:
        raise AssertionError("create unit: %s %r" % (r.status, r.data))
    return r.data


def admin_total():
    return S.login("secretariat").get("/api/v1/units?page_size=1").data["total"]


class PublicList(unittest.TestCase):
    """The public directory (anonymous: active units only, SEC-B2) and the
    signed-in view; enum filters are checked (SEC-C2)."""

    def test_anonymous_sees_active_only(self):
        r = INITIAL["public"]
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data["total"], 58)
        self.assertEqual(len(r.data["items"]), 58)
        self.assertTrue(all(u["status"] == "active" for u in r.data["items"]))
        a = INITIAL["admin"]
        self.assertEqual(a.data["total"], 60)
        self.assertEqual({u["status"] for u in a.data["items"]},
                         {"active", "suspended", "withdrawn"})
        # Asking for another status does not reveal one.
        r = S.client().get("/api/v1/units?status=suspended&page_size=100")
        self.assertEqual(r.status, 200)
        self.assertTrue(all(u["status"] == "active" for u in r.data["items"]))

    def test_list_item_shape(self):
        u = INITIAL["public"].data["items"][0]
        for k in ("id", "name", "short_name", "kind", "uscc", "city", "city_name", "province",
                  "province_name", "role", "status", "joined"):
            self.assertIn(k, u)
        self.assertNotIn("intro", u)

    def test_paging(self):
        c = S.client()
        p1 = c.get("/api/v1/units?page_size=10&sort=id")
        p2 = c.get("/api/v1/units?page=2&page_size=10&sort=id")
        self.assertEqual(p1.status, 200)
        self.assertEqual((p1.data["page"], p1.data["page_size"]), (1, 10))
        self.assertEqual((p2.data["page"], p2.data["page_size"]), (2, 10))
        self.assertEqual(len(p1.data["items"]), 10)
        self.assertEqual(len(p2.data["items"]), 10)
        ids1 = [u["id"] for u in p1.data["items"]]
        ids2 = [u["id"] for u in p2.data["items"]]
        self.assertFalse(set(ids1) & set(ids2))
        self.assertLess(max(ids1), min(ids2))
        self.assertEqual(p1.data["total"], p2.data["total"])
        d = c.get("/api/v1/units")
        self.assertEqual((d.data["page"], d.data["page_size"]), (1, 20))

    def test_filters(self):
        c = S.client()
        cases = {"city=130100": lambda u: u["city"] == "130100",
                 "province=130000": lambda u: u["province"] == "130000",
                 "province=110000": lambda u: u["province"] == "110000",
                 "kind=enterprise": lambda u: u["kind"] == "enterprise",
                 "role=chair": lambda u: u["role"] == "chair",
                 "role=vice_chair": lambda u: u["role"] == "vice_chair",
                 "q=%E7%9F%B3%E5%AE%B6%E5%BA%84":
                     lambda u: "石家庄" in u["name"] or "石家庄" in u["short_name"]}
        for qs, ok in cases.items():
            with self.subTest(qs=qs):
                r = c.get("/api/v1/units?page_size=100&" + qs)
                self.assertEqual(r.status, 200, r.data)
                self.assertGreater(r.data["total"], 0)
                self.assertEqual(r.data["total"], len(r.data["items"]))
                for u in r.data["items"]:
                    self.assertTrue(ok(u), u)
        # Combined filters narrow.
        r = c.get("/api/v1/units?page_size=100&city=130100&kind=technical_school")
        self.assertTrue(all(u["city"] == "130100" and u["kind"] == "technical_school"
                            for u in r.data["items"]))
        # q finds a credit code exactly, in any case.
        uscc = INITIAL["public"].data["items"][0]["uscc"]
        r = c.get("/api/v1/units?q=" + uscc.lower())
        self.assertEqual([u["uscc"] for u in r.data["items"]], [uscc])
        # Signed in, the status filter works.
        a = S.login("secretariat")
        for st in ("suspended", "withdrawn"):
            r = a.get("/api/v1/units?page_size=100&status=" + st)
            self.assertGreaterEqual(r.data["total"], 1, st)
            self.assertTrue(all(u["status"] == st for u in r.data["items"]))
            demo = {u["id"] for u in INITIAL["admin"].data["items"] if u["status"] == st}
            self.assertEqual(len(demo), 1)
            self.assertLessEqual(demo, {u["id"] for u in r.data["items"]})
        r = c.get("/api/v1/units?q=no-such-unit-anywhere")
        self.assertEqual((r.data["total"], r.data["items"]), (0, []))

    def test_sorts(self):
        c = S.client()
        names = [u["name"] for u in c.get("/api/v1/units?page_size=100&sort=name").data["items"]]
        self.assertEqual(names, sorted(names))
        names = [u["name"] for u in c.get("/api/v1/units?page_size=100&sort=-name").data["items"]]
        self.assertEqual(names, sorted(names, reverse=True))
        joined = [u["joined"] for u in
                  c.get("/api/v1/units?page_size=100&sort=-joined").data["items"]]
        self.assertEqual(joined, sorted(joined, reverse=True))
        joined = [u["joined"] for u in
                  c.get("/api/v1/units?page_size=100&sort=joined").data["items"]]
        self.assertEqual(joined, sorted(joined))
        ids = [u["id"] for u in c.get("/api/v1/units?page_size=100&sort=-id").data["items"]]
        self.assertEqual(ids, sorted(ids, reverse=True))

    def test_bad_enum_filters_400(self):
        c = S.client()
        for qs, field in (("kind=castle", "kind"), ("role=king", "role"),
                          ("status=deleted", "status"), ("sort=uscc", "sort"),
                          ("sort=name;drop", "sort")):
            with self.subTest(qs=qs):
                r = c.get("/api/v1/units?" + qs)
                self.assertEqual(r.status, 400)
                self.assertEqual(field_errors(r).get(field), EN["not_a_choice"])


class UnitDetail(unittest.TestCase):
    """One unit, statistics, regions (SEC-C3: GB/T 2260 codes)."""

    def test_detail(self):
        r = S.client().get("/api/v1/units/1")
        self.assertEqual(r.status, 200)
        u = r.data
        self.assertEqual(u["id"], 1)
        self.assertEqual(u["role"], "chair")
        self.assertEqual(u["city"], "130100")
        self.assertEqual(u["province"], "130000")
        for k in ("intro", "created_at", "updated_at", "people_count", "city_name"):
            self.assertIn(k, u)
        self.assertGreater(u["people_count"], 0)

    def test_inactive_unit_hidden_from_the_public(self):
        a = S.login("secretariat")
        hidden = a.get("/api/v1/units?status=suspended").data["items"][0]["id"]
        r = S.client().get("/api/v1/units/%d" % hidden)
        self.assertEqual(r.status, 404)
        self.assertNotIn("name", str(r.data))
        self.assertEqual(a.get("/api/v1/units/%d" % hidden).status, 200)

    def test_missing_unit_404(self):
        self.assertEqual(S.client().get("/api/v1/units/999999").status, 404)

    def test_stats(self):
        r = S.client().get("/api/v1/units/stats")
        self.assertEqual(r.status, 200)
        for k in ("by_kind", "by_city", "by_province", "by_role"):
            self.assertIsInstance(r.data[k], list)
            self.assertTrue(r.data[k])
            for row in r.data[k]:
                self.assertEqual(set(row), {"key", "name", "count"})
        active = S.client().get("/api/v1/units?page_size=1").data["total"]
        for k in ("by_kind", "by_city", "by_province", "by_role"):
            self.assertEqual(sum(x["count"] for x in r.data[k]), active, k)
        hebei = [x for x in r.data["by_province"] if x["key"] == "130000"]
        self.assertEqual(len(hebei), 1)
        self.assertEqual(hebei[0]["name"], "河北省")

    def test_regions(self):
        c = S.client()
        r = c.get("/api/v1/regions?level=city&parent=130000")
        self.assertEqual(r.status, 200)
        items = r.data["items"]
        self.assertEqual(len(items), 11)
        self.assertEqual([x["code"] for x in items], ["13%02d00" % i for i in range(1, 12)])
        self.assertTrue(all(x["parent"] == "130000" and x["level"] == "city" for x in items))
        self.assertEqual(items[0]["name"], "石家庄市")
        r = c.get("/api/v1/regions?level=province")
        codes = {x["code"] for x in r.data["items"]}
        self.assertIn("110000", codes)
        self.assertIn("130000", codes)
        self.assertEqual(c.get("/api/v1/regions?level=planet").status, 400)

    def test_alliance(self):
        r = S.client().get("/api/v1/alliance")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data["short_name"], "技联")
        self.assertGreaterEqual(r.data["member_count"], 58)


class CreateUnit(unittest.TestCase):
    """SEC-C3 (credit codes, city codes) and SEC-B4 (listed fields)."""

    def setUp(self):
        self.c = S.login("secretariat")

    def test_create_201(self):
        body = unit_body(short_name="测试", role="council", joined="2024-05-01",
                         website="https://example.cn", intro="介绍\n第二行")
        r = self.c.post("/api/v1/units", body)
        self.assertEqual(r.status, 201, r.data)
        for k in ("name", "uscc", "city", "kind", "role", "joined", "website", "intro"):
            self.assertEqual(r.data[k], body[k], k)
        self.assertEqual(r.data["status"], "active")
        self.assertEqual(r.data["city_name"], "石家庄市")
        got = S.client().get("/api/v1/units/%d" % r.data["id"])
        self.assertEqual(got.data["name"], body["name"])
        r = S.client().get("/api/v1/units?q=" + body["uscc"])
        self.assertEqual(r.data["total"], 1)

    def test_defaults(self):
        r = self.c.post("/api/v1/units", unit_body())
        self.assertEqual(r.status, 201, r.data)
        self.assertEqual(r.data["role"], "member")
        self.assertEqual(r.data["status"], "active")

    def test_uscc_check_character(self):
        good = make_uscc()
        lettered = make_uscc(letters=True)
        for bad in (bad_uscc(good), good[:17], good + "0", lettered.lower(), "91130100ABCDEFGHIJ",
                    "00" + good[2:], " " + good[:17], "91130100IOSVZ00000"):
            with self.subTest(uscc=bad):
                r = self.c.post("/api/v1/units", unit_body(uscc=bad))
                self.assertEqual(r.status, 400, r.data)
                self.assertIn("uscc", field_errors(r))
        r = self.c.post("/api/v1/units", unit_body(uscc=bad_uscc(good)))
        self.assertEqual(field_errors(r), {"uscc": EN["uscc_invalid"]})
        self.assertEqual(self.c.post("/api/v1/units", unit_body(uscc=good)).status, 201)
        self.assertEqual(self.c.post("/api/v1/units", unit_body(uscc=lettered)).status, 201)

    def test_duplicates(self):
        u = create_unit()
        r = self.c.post("/api/v1/units", unit_body(uscc=u["uscc"]))
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r), {"uscc": EN["uscc_taken"]})
        r = self.c.post("/api/v1/units", unit_body(name=u["name"]))
        self.assertEqual(r.status, 400)
        self.assertIn("name", field_errors(r))

    def test_city_must_be_a_known_city(self):
        for city in ("130199", "130000", "130102", "990100", "13010", "abcdef"):
            with self.subTest(city=city):
                r = self.c.post("/api/v1/units", unit_body(city=city))
                self.assertEqual(r.status, 400, r.data)
                self.assertIn("city", field_errors(r))
        r = self.c.post("/api/v1/units", unit_body(city="130199"))
        self.assertEqual(field_errors(r), {"city": EN["city_invalid"]})

    def test_extra_fields_refused(self):
        for extra in ("is_admin", "id", "created_at", "unit_id"):
            with self.subTest(field=extra):
                r = self.c.post("/api/v1/units", unit_body(**{extra: True}))
                self.assertEqual(r.status, 400)
                self.assertEqual(field_errors(r).get(extra), EN["unknown_field"])

    def test_required_and_types(self):
        r = self.c.post("/api/v1/units", {})
        self.assertEqual(r.status, 400)
        self.assertEqual(set(field_errors(r)), {"name", "kind", "uscc", "city"})
        r = self.c.post("/api/v1/units", unit_body(kind="castle"))
        self.assertEqual(field_errors(r), {"kind": EN["not_a_choice"]})
        r = self.c.post("/api/v1/units", unit_body(name=123))
        self.assertIn("name", field_errors(r))
        r = self.c.post("/api/v1/units", unit_body(name="x" * 201))
        self.assertIn("name", field_errors(r))
        r = self.c.post("/api/v1/units", unit_body(website="javascript:alert(1)"))
        self.assertIn("website", field_errors(r))
        r = self.c.post("/api/v1/units", unit_body(joined="2024-13-01"))
        self.assertIn("joined", field_errors(r))
        r = self.c.post("/api/v1/units", unit_body(name="坏\x07名字"))
        self.assertIn("name", field_errors(r))

    def test_others_cannot_create(self):
        for user in ("unitadmin", "teacher", "expert", "sysadmin", "auditor"):
            with self.subTest(user=user):
                self.assertEqual(S.login(user).post("/api/v1/units", unit_body()).status, 403)
        self.assertEqual(S.client().post("/api/v1/units", unit_body()).status, 401)


class UpdateUnit(unittest.TestCase):
    """SEC-B2 (own unit only, others 404) and SEC-B4 (profile fields only)."""

    def test_unit_admin_edits_own_profile(self):
        c = S.login("unitadmin")
        self.assertEqual(c.user["unit_id"], 1)
        r = c.patch("/api/v1/units/1", {"intro": "新的简介", "address": "石家庄市新华区1号"})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(r.data["intro"], "新的简介")
        self.assertEqual(r.data["address"], "石家庄市新华区1号")
        self.assertEqual(r.data["role"], "chair")
        self.assertEqual(S.client().get("/api/v1/units/1").data["intro"], "新的简介")
        r = c.patch("/api/v1/units/1", {"website": "javascript:alert(1)"})
        self.assertEqual(r.status, 400)
        self.assertIn("website", field_errors(r))

    def test_unit_admin_cannot_touch_governance_fields(self):
        c = S.login("unitadmin")
        before = S.client().get("/api/v1/units/1").data
        for body in ({"role": "member"}, {"status": "withdrawn"}, {"name": "改名"},
                     {"uscc": make_uscc()}, {"kind": "enterprise"}, {"city": "130200"},
                     {"joined": "2020-01-01"}, {"intro": "x", "role": "member"}):
            with self.subTest(body=body):
                r = c.patch("/api/v1/units/1", body)
                self.assertEqual(r.status, 400, r.data)
                for k in body:
                    if k != "intro":
                        self.assertIn(k, field_errors(r))
        after = S.client().get("/api/v1/units/1").data
        for k in ("name", "role", "status", "uscc", "kind", "city", "joined", "intro"):
            self.assertEqual(before[k], after[k], k)

    def test_unit_admin_other_unit_404(self):
        c = S.login("unitadmin")
        before = S.login("secretariat").get("/api/v1/units/2").data
        r = c.patch("/api/v1/units/2", {"intro": "hacked"})
        self.assertEqual(r.status, 404)
        self.assertNotIn(before["name"], str(r.data))
        r = c.patch("/api/v1/units/999999", {"intro": "x"})
        self.assertEqual(r.status, 404)
        after = S.login("secretariat").get("/api/v1/units/2").data
        self.assertEqual(before["intro"], after["intro"])
        self.assertEqual(before["updated_at"], after["updated_at"])
        self.assertEqual(c.get("/api/v1/units/2/history").status, 404)
        self.assertEqual(c.get("/api/v1/units/1/history").status, 200)

    def test_other_roles_cannot_edit(self):
        for user in ("teacher", "student", "expert", "recruiter"):
            with self.subTest(user=user):
                r = S.login(user).patch("/api/v1/units/1", {"intro": "x"})
                self.assertEqual(r.status, 403)
                self.assertEqual(r.data["error"]["message"], EN["forbidden"])

    def test_secretariat_edits_everything(self):
        u = create_unit()
        c = S.login("secretariat")
        r = c.patch("/api/v1/units/%d" % u["id"], {"role": "vice_chair", "status": "suspended",
                                                   "city": "130200"})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual((r.data["role"], r.data["status"], r.data["city"]),
                         ("vice_chair", "suspended", "130200"))
        self.assertEqual(S.client().get("/api/v1/units/%d" % u["id"]).status, 404)
        r = c.patch("/api/v1/units/%d" % u["id"], {"uscc": "91130100000000000X"})
        self.assertEqual(r.status, 400)
        r = c.patch("/api/v1/units/%d" % u["id"], {"uscc": u["uscc"]})  # its own code
        self.assertEqual(r.status, 200, r.data)
        r = c.patch("/api/v1/units/%d" % u["id"], {"name": ""})
        self.assertEqual(r.status, 400)
        hist = c.get("/api/v1/units/%d/history" % u["id"])
        self.assertEqual(hist.status, 200)
        self.assertIn("unit.update", [h["action"] for h in hist.data["items"]])

    def test_null_for_an_optional_field(self):
        """A PATCH with null for an optional text field clears it or is refused
        on that field; it is not a 409 conflict."""
        u = create_unit(short_name="短名", address="地址", website="https://a.example")
        c = S.login("secretariat")
        for field in ("short_name", "address", "intro", "website", "joined", "role", "status"):
            with self.subTest(field=field):
                r = c.patch("/api/v1/units/%d" % u["id"], {field: None})
                self.assertIn(r.status, (200, 400), r.data)
                if r.status == 400:
                    self.assertIn(field, field_errors(r))
                elif field in ("role", "status"):
                    self.assertEqual(r.data[field], u[field])  # null leaves a choice alone
                else:
                    self.assertEqual(r.data[field], "")
        # The unit admin's own profile fields behave the same.
        r = S.login("unitadmin").patch("/api/v1/units/1", {"short_name": None})
        self.assertIn(r.status, (200, 400), r.data)


class AnswerCache(unittest.TestCase):
    """Lists and statistics never show data older than the last write (SEC-E1:
    an acknowledged write is visible), nor non-active units to the public (SEC-B2)."""

    def test_list_follows_writes(self):
        u = create_unit(short_name="初始")
        anon, member, sec = S.client(), S.login("teacher"), S.login("secretariat")
        q = "/api/v1/units?q=" + u["uscc"]
        for i in range(6):
            before = anon.get(q).data["items"][0]["short_name"]
            member.get(q)
            name = "改名%d" % i
            self.assertNotEqual(before, name)
            r = sec.patch("/api/v1/units/%d" % u["id"], {"short_name": name})
            self.assertEqual(r.status, 200, r.data)
            for c in (anon, member, anon, member):
                self.assertEqual(c.get(q).data["items"][0]["short_name"], name)
        # Suspended: gone from the public list at once, still there for members.
        anon.get(q)
        sec.patch("/api/v1/units/%d" % u["id"], {"status": "suspended"})
        for _ in range(3):
            self.assertEqual(anon.get(q).data["total"], 0)
            self.assertEqual(member.get(q).data["total"], 1)

    def test_stats_follow_writes(self):
        def agencies():
            kinds = S.client().get("/api/v1/units/stats").data["by_kind"]
            return sum(x["count"] for x in kinds if x["key"] == "agency")
        for _ in range(3):
            before = agencies()
            agencies()
            create_unit(kind="agency")
            self.assertEqual(agencies(), before + 1)
            self.assertEqual(agencies(), before + 1)


class DeleteUnit(unittest.TestCase):
    """Deletion by the secretariat only (SEC-B1); units with accounts stay."""

    def test_delete_unit_without_users(self):
        u = create_unit()
        c = S.login("secretariat")
        p = c.post("/api/v1/people", {"name": "张三", "unit_id": u["id"],
                                      "phone": make_mobile()})
        self.assertEqual(p.status, 201, p.data)
        self.assertEqual(S.login("unitadmin").delete("/api/v1/units/%d" % u["id"]).status, 403)
        r = c.delete("/api/v1/units/%d" % u["id"])
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(c.get("/api/v1/units/%d" % u["id"]).status, 404)
        self.assertEqual(c.get("/api/v1/people/%d" % p.data["id"]).status, 404)
        self.assertEqual(c.delete("/api/v1/units/%d" % u["id"]).status, 404)

    def test_unit_with_users_is_kept(self):
        c = S.login("secretariat")
        r = c.delete("/api/v1/units/1")
        self.assertEqual(r.status, 409)
        self.assertEqual(r.data["error"]["message"], EN["unit_has_users"])
        self.assertEqual(c.get("/api/v1/units/1").status, 200)


class Export(unittest.TestCase):
    """SEC-C6: formula-looking cells are neutralised."""

    @classmethod
    def setUpClass(cls):
        cls.formula = create_unit(name="=1+2 " + unique(), short_name="@SUM(A1)",
                                  address="-2+3", website="")
        cls.plus = create_unit(name="+cmd|' /C calc'!A0 " + unique())

    def test_csv(self):
        c = S.login("secretariat")
        r = c.get("/api/v1/units/export?format=csv")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.headers["content-type"].startswith("text/csv"))
        self.assertIn("attachment", r.headers.get("content-disposition", ""))
        self.assertTrue(r.data.startswith(b"\xef\xbb\xbf"), r.data[:10])
        text = r.data[3:].decode("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0], ["id", "name", "short_name", "kind", "uscc", "city",
                                   "city_name", "role", "status", "joined", "address",
                                   "website"])
        by_id = {int(row[0]): row for row in rows[1:] if row}
        self.assertEqual(len(by_id), admin_total())
        f = by_id[self.formula["id"]]
        self.assertEqual(f[1], "'" + self.formula["name"])
        self.assertEqual(f[2], "'@SUM(A1)")
        self.assertEqual(f[10], "'-2+3")
        self.assertEqual(by_id[self.plus["id"]][1], "'" + self.plus["name"])
        for row in rows[1:]:
            for cell in row:
                self.assertFalse(cell[:1] in ("=", "+", "-", "@"), cell)
        self.assertEqual(by_id[1][1], "石家庄市技师学院")

    def test_csv_filters(self):
        c = S.login("secretariat")
        r = c.get("/api/v1/units/export?format=csv&kind=enterprise")
        rows = list(csv.reader(io.StringIO(r.data[3:].decode("utf-8"))))[1:]
        self.assertTrue(rows)
        self.assertTrue(all(row[3] == "enterprise" for row in rows if row))

    def test_xlsx(self):
        c = S.login("secretariat")
        r = c.get("/api/v1/units/export?format=xlsx")
        self.assertEqual(r.status, 200)
        self.assertTrue(r.data.startswith(b"PK"), r.data[:10])
        self.assertIn("spreadsheetml", r.headers["content-type"])
        z = zipfile.ZipFile(io.BytesIO(r.data))
        self.assertIsNone(z.testzip())
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist()
                      if n.startswith("xl/") and n.endswith(".xml"))
        name = self.formula["name"]
        self.assertTrue(("'" + name) in xml or ("&apos;" + name) in xml or
                        ("&#39;" + name) in xml, "the formula cell is not guarded")
        self.assertIn("石家庄市技师学院", xml)
        self.assertNotIn("<f>", xml)

    def test_export_permissions(self):
        for user in ("unitadmin", "teacher", "auditor", "sysadmin"):
            with self.subTest(user=user):
                self.assertEqual(S.login(user).get("/api/v1/units/export?format=csv").status, 403)
        self.assertEqual(S.client().get("/api/v1/units/export").status, 401)
        r = S.login("secretariat").get("/api/v1/units/export?format=pdf")
        self.assertEqual(r.status, 400)
        self.assertIn("format", field_errors(r))

    def test_export_is_audited(self):
        c = S.login("secretariat")
        r = c.get("/api/v1/units/export?format=csv")
        rows = S.login("auditor").get("/api/v1/audit?action=units.export&page_size=100")
        ids = [x["request_id"] for x in rows.data["items"]]
        self.assertIn(r.headers["x-request-id"], ids)


def wait_job(client, job_id, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        r = client.get("/api/v1/jobs/%d" % job_id)
        if r.status != 200:
            raise AssertionError("job %d: %s %r" % (job_id, r.status, r.data))
        if r.data["state"] in ("done", "failed") or time.monotonic() > deadline:
            return r.data
        time.sleep(0.05)


def csv_rows(n, **overrides):
    lines = [CSV_HEADER]
    made = []
    for _ in range(n):
        row = {"name": unique("导入单位"), "short_name": "导入", "kind": "enterprise",
               "uscc": make_uscc(), "city": "130200", "role": "member", "status": "active",
               "joined": "2024-01-02", "address": "唐山市路北区, 1号", "website": "",
               "intro": "简介"}
        row.update(overrides)
        made.append(row)
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow([row[k] for k in CSV_HEADER.split(",")])
        lines.append(out.getvalue())
    return made, ("\r\n".join(lines) + "\r\n").encode("utf-8")


class Import(unittest.TestCase):
    """SEC-C3/E1: all rows or none. A real import may run as a job (202 + /api/v1/jobs/{id})
    or answer at once (201/400); both are accepted, the outcome is checked."""

    def setUp(self):
        self.c = S.login("secretariat")

    def post(self, data, qs="", ct="text/csv", client=None):
        return (client or self.c).post("/api/v1/units/import" + qs, raw=data, content_type=ct)

    def run_import(self, data):
        """Returns (ok, report, first answer) of a real import, waiting for its job."""
        r = self.post(data)
        if r.status == 201:
            return True, r.data, r
        if r.status == 400 and "report" in r.data.get("error", {}):
            return False, r.data["error"]["report"], r
        self.assertEqual(r.status, 202, r.data)
        job = wait_job(self.c, r.data["job_id"])
        self.assertIn(job["state"], ("done", "failed"), job)
        self.assertEqual(job["kind"], "units.import")
        return job["state"] == "done", job["result"], r

    def exists(self, name):
        return self.c.get("/api/v1/units?q=" + name).data["total"] > 0

    def test_dry_run_writes_nothing(self):
        rows, data = csv_rows(3)
        before = admin_total()
        r = self.post(data, "?dry_run=true")
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual((r.data["rows"], r.data["valid"]), (3, 3))
        self.assertIs(r.data["dry_run"], True)
        self.assertIs(r.data["imported"], False)
        self.assertEqual(r.data["errors"], [])
        self.assertEqual(admin_total(), before)
        self.assertFalse(self.exists(rows[0]["name"]))

    def test_dry_run_reports_bad_rows(self):
        rows, data = csv_rows(3)
        text = data.decode("utf-8").replace(rows[1]["uscc"], bad_uscc(rows[1]["uscc"]))
        r = self.post(text.encode("utf-8"), "?dry_run=1")
        self.assertEqual(r.status, 400, r.data)
        self.assertEqual(r.data["error"]["message"], EN["csv_rows_invalid"])
        errors = r.data["error"]["report"]["errors"]
        self.assertEqual([(e["row"], e["field"]) for e in errors], [(3, "uscc")])
        self.assertEqual(errors[0]["message"], EN["uscc_invalid"])

    def test_one_bad_row_writes_nothing(self):
        rows, data = csv_rows(3)
        text = data.decode("utf-8").replace(rows[1]["uscc"], bad_uscc(rows[1]["uscc"]))
        before = admin_total()
        ok, report, _ = self.run_import(text.encode("utf-8"))
        self.assertFalse(ok, report)
        errors = report["errors"]
        self.assertEqual(len(errors), 1, errors)
        self.assertEqual(errors[0]["row"], 3)  # the header is row 1
        self.assertEqual(errors[0]["field"], "uscc")
        self.assertEqual(errors[0]["message"], EN["uscc_invalid"])
        self.assertEqual(admin_total(), before)
        for row in rows:
            self.assertFalse(self.exists(row["name"]))

    def test_duplicates_within_the_file(self):
        rows, data = csv_rows(2)
        text = data.decode("utf-8").replace(rows[1]["uscc"], rows[0]["uscc"])
        before = admin_total()
        ok, report, _ = self.run_import(text.encode("utf-8"))
        self.assertFalse(ok)
        self.assertEqual([(e["row"], e["field"]) for e in report["errors"]], [(3, "uscc")])
        self.assertEqual(admin_total(), before)

    def test_good_import(self):
        rows, data = csv_rows(3)
        before = admin_total()
        ok, report, first = self.run_import(b"\xef\xbb\xbf" + data)  # Excel's BOM is fine
        self.assertTrue(ok, report)
        self.assertEqual((report["rows"], report["valid"]), (3, 3))
        self.assertIs(report["imported"], True)
        self.assertEqual(admin_total(), before + 3)
        for row in rows:
            got = self.c.get("/api/v1/units?q=" + row["uscc"]).data["items"]
            self.assertEqual(len(got), 1)
            self.assertEqual(got[0]["name"], row["name"])
            self.assertEqual(got[0]["address"], row["address"])
        # Audited under the caller's name.
        aud = S.login("auditor").get("/api/v1/audit?action=units.import&page_size=100")
        rows_ = [x for x in aud.data["items"] if x["request_id"] == first.headers["x-request-id"]]
        self.assertTrue(rows_, "no audit row for the import")
        self.assertEqual(rows_[0]["username"], "secretariat")
        # The same file again: every row now clashes, nothing is written.
        ok, report, _ = self.run_import(data)
        self.assertFalse(ok)
        self.assertEqual({e["row"] for e in report["errors"]}, {2, 3, 4})
        self.assertEqual(admin_total(), before + 3)

    def test_job_of_another_user_404(self):
        _, data = csv_rows(1)
        r = self.post(data)
        if r.status != 202:
            self.skipTest("imports answer at once")
        job_id = r.data["job_id"]
        wait_job(self.c, job_id)
        for user in ("unitadmin", "teacher", "sysadmin"):
            with self.subTest(user=user):
                self.assertEqual(S.login(user).get("/api/v1/jobs/%d" % job_id).status, 404)
        self.assertEqual(S.client().get("/api/v1/jobs/%d" % job_id).status, 401)

    def test_wrong_header(self):
        _, data = csv_rows(1)
        bad = data.replace(b"name,short_name", b"nom,short_name", 1)
        r = self.post(bad, "?dry_run=true")
        self.assertEqual(r.status, 400)
        errors = r.data["error"]["report"]["errors"]
        self.assertEqual(errors[0]["field"], "header")
        self.assertEqual(errors[0]["message"], EN["csv_header"])
        before = admin_total()
        ok, report, _ = self.run_import(bad)
        self.assertFalse(ok)
        self.assertEqual(report["errors"][0]["field"], "header")
        for body in (b"name,kind\r\nx,enterprise\r\n", b"\r\n"):
            self.assertEqual(self.post(body, "?dry_run=true").status, 400)
            self.assertFalse(self.run_import(body)[0])
        self.assertEqual(admin_total(), before)
        self.assertEqual(self.post(b"").status, 400)  # no body at all

    def test_malformed_csv(self):
        _, data = csv_rows(1)
        before = admin_total()
        for bad in (data + b'"unterminated,quote\r\n', data + b"a,b\r\n", data + b"\xff\xfe\r\n"):
            with self.subTest(bad=bad[-20:]):
                r = self.post(bad, "?dry_run=true")
                self.assertEqual(r.status, 400, r.data)
                self.assertFalse(self.run_import(bad)[0])
        self.assertEqual(admin_total(), before)

    def test_content_type_415(self):
        _, data = csv_rows(1)
        for ct in ("application/json", "text/plain", "application/vnd.ms-excel"):
            with self.subTest(ct=ct):
                self.assertEqual(self.post(data, ct=ct).status, 415)

    def test_import_permissions(self):
        _, data = csv_rows(1)
        for user in ("unitadmin", "teacher", "sysadmin", "auditor"):
            with self.subTest(user=user):
                self.assertEqual(self.post(data, client=S.login(user)).status, 403)
        self.assertEqual(self.post(data, client=S.client()).status, 401)
        r = self.post(data, "?dry_run=maybe")
        self.assertEqual(r.status, 400)
        self.assertIn("dry_run", field_errors(r))


class People(unittest.TestCase):
    """SEC-B2 (tenancy), SEC-B4 (no unit_id from a unit_admin), SEC-D5 (masking)."""

    @classmethod
    def setUpClass(cls):
        sec = S.login("secretariat")
        r = sec.get("/api/v1/people?unit_id=2")
        cls.other = r.data["items"][0]  # a person of unit 2

    def test_unit_admin_sees_own_unit_only(self):
        c = S.login("unitadmin")
        r = c.get("/api/v1/people?page_size=100")
        self.assertEqual(r.status, 200)
        self.assertGreater(r.data["total"], 0)
        for p in r.data["items"]:
            self.assertEqual(p["unit_id"], 1)
            if p["phone"]:
                self.assertRegex(p["phone"], MASKED_MOBILE)
        self.assertEqual(r.headers.get("cache-control"), "no-store")
        # Naming another unit in the query is not found (SEC-B2), no data.
        r = c.get("/api/v1/people?unit_id=2&page_size=100")
        self.assertEqual(r.status, 404)
        self.assertNotIn("items", r.data)

    def test_phones_masked(self):
        sec = S.login("secretariat")
        r = sec.get("/api/v1/people?page_size=100")
        self.assertEqual(r.status, 200)
        self.assertGreater(r.data["total"], 100)
        phones = [p["phone"] for p in r.data["items"] if p["phone"]]
        self.assertTrue(phones)
        for ph in phones:
            self.assertRegex(ph, MASKED_MOBILE)
        self.assertEqual(sec.get("/api/v1/people/1").data["phone"], "138****4217")

    def test_unit_admin_creates_in_own_unit(self):
        c = S.login("unitadmin")
        phone = make_mobile()
        r = c.post("/api/v1/people", {"name": "赵六", "title": "教务处长", "phone": phone,
                                      "email": "zhao@example.cn"})
        self.assertEqual(r.status, 201, r.data)
        self.assertEqual(r.data["unit_id"], 1)
        self.assertEqual(r.data["phone"], phone[:3] + "****" + phone[7:])
        self.assertNotIn(phone.encode(), c.history[-1][3])
        r = c.post("/api/v1/people", {"name": "钱七", "unit_id": 2})
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r), {"unit_id": EN["unknown_field"]})
        r = c.post("/api/v1/people", {"name": "钱七", "unit_id": 1})
        self.assertEqual(r.status, 400)
        self.assertIn("unit_id", field_errors(r))

    def test_secretariat_creates_with_unit(self):
        c = S.login("secretariat")
        r = c.post("/api/v1/people", {"name": "孙八", "unit_id": 3, "phone": make_mobile()})
        self.assertEqual(r.status, 201, r.data)
        self.assertEqual(r.data["unit_id"], 3)
        r = c.post("/api/v1/people", {"name": "孙八"})
        self.assertEqual(r.status, 400)
        self.assertIn("unit_id", field_errors(r))
        r = c.post("/api/v1/people", {"name": "孙八", "unit_id": 999999})
        self.assertEqual(r.status, 400)
        self.assertIn("unit_id", field_errors(r))

    def test_unit_admin_other_units_person_404(self):
        c = S.login("unitadmin")
        pid = self.other["id"]
        r = c.get("/api/v1/people/%d" % pid)
        self.assertEqual(r.status, 404)
        self.assertNotIn(self.other["name"], str(r.data))
        self.assertEqual(c.patch("/api/v1/people/%d" % pid, {"name": "改"}).status, 404)
        self.assertEqual(c.delete("/api/v1/people/%d" % pid).status, 404)
        after = S.login("secretariat").get("/api/v1/people/%d" % pid)
        self.assertEqual(after.status, 200)
        self.assertEqual(after.data, self.other)

    def test_unit_admin_edits_and_deletes_own_person(self):
        c = S.login("unitadmin")
        p = c.post("/api/v1/people", {"name": "周九", "phone": make_mobile()}).data
        r = c.patch("/api/v1/people/%d" % p["id"], {"title": "主任"})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(r.data["title"], "主任")
        self.assertEqual(r.data["name"], "周九")
        r = c.patch("/api/v1/people/%d" % p["id"], {"unit_id": 2})
        self.assertEqual(r.status, 400)
        self.assertIn("unit_id", field_errors(r))
        self.assertEqual(c.delete("/api/v1/people/%d" % p["id"]).status, 200)
        self.assertEqual(c.get("/api/v1/people/%d" % p["id"]).status, 404)

    def test_bad_mobile_and_email(self):
        c = S.login("unitadmin")
        for phone in ("12345678901", "1380013800", "138001380000", "+8613800138000",
                      "1380013800a", "10800138000"):
            with self.subTest(phone=phone):
                r = c.post("/api/v1/people", {"name": "吴十", "phone": phone})
                self.assertEqual(r.status, 400, r.data)
                self.assertEqual(field_errors(r), {"phone": EN["mobile_invalid"]})
        r = c.post("/api/v1/people", {"name": "吴十", "email": "no-at-sign"})
        self.assertEqual(r.status, 400)
        self.assertIn("email", field_errors(r))
        r = c.post("/api/v1/people", {"title": "x"})
        self.assertEqual(field_errors(r).get("name"), EN["required"])

    def test_roles_without_people_access(self):
        for user in ("teacher", "student", "expert", "recruiter", "sysadmin", "auditor"):
            with self.subTest(user=user):
                c = S.login(user)
                self.assertEqual(c.get("/api/v1/people").status, 403)
                self.assertEqual(c.get("/api/v1/people/1").status, 403)
                self.assertEqual(c.post("/api/v1/people", {"name": "x"}).status, 403)
        self.assertEqual(S.client().get("/api/v1/people").status, 401)


def application(**kw):
    body = {"name": unique("申请单位"), "kind": "vocational_college", "uscc": make_uscc(),
            "city": "130600", "contact_name": "李四", "contact_phone": make_mobile(),
            "contact_email": "li@example.cn", "intro": "申请加入"}
    body.update(kw)
    return body


class Applications(unittest.TestCase):
    """SEC-B6: one pending application per credit code, enforced by the database."""

    def apply(self, body):
        return S.client().post("/api/v1/applications", body)

    def test_apply_201(self):
        r = self.apply(application())
        self.assertEqual(r.status, 201, r.data)
        self.assertEqual(r.data["status"], "pending")
        self.assertIsInstance(r.data["id"], int)

    def test_same_uscc_while_pending_409(self):
        body = application()
        self.assertEqual(self.apply(body).status, 201)
        r = self.apply(application(uscc=body["uscc"]))
        self.assertEqual(r.status, 409, r.data)
        self.assertEqual(r.data["error"]["message"], EN["application_pending"])

    def test_double_submit_leaves_one_row(self):
        body = application()
        results = []

        def go():
            results.append(self.apply(body).status)
        threads = [threading.Thread(target=go) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [201, 409, 409, 409])
        r = S.login("secretariat").get("/api/v1/applications?status=pending&page_size=100")
        self.assertEqual(sum(1 for a in r.data["items"] if a["uscc"] == body["uscc"]), 1)

    def test_member_uscc_409(self):
        member = INITIAL["public"].data["items"][3]
        r = self.apply(application(uscc=member["uscc"]))
        self.assertEqual(r.status, 409, r.data)
        self.assertEqual(r.data["error"]["message"], EN["already_member"])

    def test_validation(self):
        r = self.apply(application(contact_phone="12345"))
        self.assertEqual(r.status, 400)
        self.assertEqual(field_errors(r), {"contact_phone": EN["mobile_invalid"]})
        r = self.apply(application(uscc=bad_uscc(make_uscc())))
        self.assertEqual(field_errors(r), {"uscc": EN["uscc_invalid"]})
        r = self.apply(application(city="139900"))
        self.assertIn("city", field_errors(r))
        r = self.apply(application(status="approved"))
        self.assertEqual(field_errors(r), {"status": EN["unknown_field"]})
        body = application()
        del body["contact_phone"]
        r = self.apply(body)
        self.assertEqual(field_errors(r), {"contact_phone": EN["required"]})

    def test_review_queue_permissions(self):
        self.assertEqual(S.client().get("/api/v1/applications").status, 401)
        for user in ("unitadmin", "teacher", "sysadmin", "auditor"):
            with self.subTest(user=user):
                c = S.login(user)
                self.assertEqual(c.get("/api/v1/applications").status, 403)
                self.assertEqual(c.post("/api/v1/applications/1/approve").status, 403)
                self.assertEqual(c.post("/api/v1/applications/1/reject",
                                        {"reason": "x"}).status, 403)
        self.assertEqual(S.client().post("/api/v1/applications/1/approve").status, 401)

    def test_reject(self):
        body = application()
        aid = self.apply(body).data["id"]
        c = S.login("secretariat")
        r = c.get("/api/v1/applications?status=pending&page_size=100")
        self.assertEqual(r.status, 200)
        mine = [a for a in r.data["items"] if a["id"] == aid]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["status"], "pending")
        self.assertRegex(mine[0]["contact_phone"], MASKED_MOBILE)
        self.assertTrue(all(a["status"] == "pending" for a in r.data["items"]))
        for reason_body in ({}, {"reason": ""}):
            r = c.post("/api/v1/applications/%d/reject" % aid, reason_body)
            self.assertEqual(r.status, 400)
            self.assertIn("reason", field_errors(r))
        r = c.post("/api/v1/applications/%d/reject" % aid, {"reason": "材料不全"})
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(r.data["status"], "rejected")
        self.assertEqual(r.data["reason"], "材料不全")
        r = c.post("/api/v1/applications/%d/reject" % aid, {"reason": "again"})
        self.assertEqual(r.status, 409)
        r = c.post("/api/v1/applications/%d/approve" % aid)
        self.assertEqual(r.status, 409)
        self.assertEqual(r.data["error"]["message"], EN["application_reviewed"])
        # Rejected: the organisation may apply again.
        self.assertEqual(self.apply(application(uscc=body["uscc"])).status, 201)
        self.assertEqual(c.post("/api/v1/applications/999999/reject",
                                {"reason": "x"}).status, 404)

    def test_approve_creates_unit_and_contact(self):
        body = application()
        aid = self.apply(body).data["id"]
        c = S.login("secretariat")
        r = c.post("/api/v1/applications/%d/approve" % aid)
        self.assertEqual(r.status, 200, r.data)
        self.assertEqual(r.data["status"], "approved")
        unit_id = r.data["unit_id"]
        self.assertIsInstance(unit_id, int)
        r = S.client().get("/api/v1/units?q=" + body["name"])
        self.assertEqual(r.data["total"], 1)
        unit = r.data["items"][0]
        self.assertEqual(unit["id"], unit_id)
        self.assertEqual(unit["uscc"], body["uscc"])
        self.assertEqual(unit["status"], "active")
        self.assertEqual(unit["city"], "130600")
        self.assertTrue(unit["joined"])
        people = c.get("/api/v1/people?unit_id=%d" % unit_id).data["items"]
        self.assertEqual([p["name"] for p in people], ["李四"])
        p = body["contact_phone"]
        self.assertEqual(people[0]["phone"], p[:3] + "****" + p[7:])
        r = c.post("/api/v1/applications/%d/approve" % aid)
        self.assertEqual(r.status, 409)
        self.assertEqual(c.get("/api/v1/units?q=" + body["name"]).data["total"], 1)
        # Now a member: a new application with the code is refused.
        self.assertEqual(self.apply(application(uscc=body["uscc"])).status, 409)
        self.assertEqual(c.post("/api/v1/applications/999999/approve").status, 404)

    def test_application_detail(self):
        body = application()
        aid = self.apply(body).data["id"]
        c = S.login("secretariat")
        r = c.get("/api/v1/applications/%d" % aid)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data["name"], body["name"])
        self.assertRegex(r.data["contact_phone"], MASKED_MOBILE)
        self.assertEqual(r.data["city_name"], "保定市")
        self.assertEqual(c.get("/api/v1/applications?status=lost").status, 400)


if __name__ == "__main__":
    unittest.main()
