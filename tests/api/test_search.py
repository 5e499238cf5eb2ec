"""Search (docs/search.md): either script finds the other, pinyin and its
initials find names, a single character matches by prefix, results carry
highlight pieces and facets, the index follows every write in the same
transaction, and nobody finds what they may not see."""
import time
import unittest

from harness import make_uscc, start_server

S = None


def setUpModule():
    global S
    S = start_server()


def tearDownModule():
    S.close()


def ok(r, status=200):
    assert r.status == status, "%s: %r" % (r.status, r.data)
    return r.data


def search(client, q, **params):
    import urllib.parse
    qs = urllib.parse.urlencode(dict(q=q, page_size=50, **params))
    return ok(client.get("/api/v1/search?" + qs))


def found(client, q, **params):
    return {(x["type"], x["title"]) for x in search(client, q, **params)["items"]}


def text_of(pieces):
    return "".join(p["text"] for p in pieces)


class Search(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sec = S.login("secretariat")
        cls.anon = S.client()
        cls.alliance = ok(cls.anon.get("/api/v1/alliance"))["name"]

    def test_either_script_and_pinyin_find_the_alliance(self):
        for q in ("技工教育联盟", "技工教育聯盟", "jgjylm", "jigong", "JiGong", "ｊｉｇｏｎｇ"):
            with self.subTest(q=q):
                self.assertIn(("alliance", self.alliance), found(self.anon, q))
        texts = search(self.anon, "技工教育聯盟")
        types = {x["type"] for x in texts["items"]}
        self.assertTrue(types & {"article", "charter"}, types)  # its texts too
        # jigong also finds units with 技工 in their names.
        units = {t for ty, t in found(self.anon, "jigong", type="unit")}
        self.assertTrue(units and all(("技工" in t) for t in units), units)

    def test_highlights_and_facets(self):
        r = search(self.anon, "技工学校")
        self.assertGreater(r["total"], 0)
        first = r["items"][0]
        self.assertEqual(text_of(first["title_hl"]), first["title"])
        # Names rank over bodies: the best result has the words in its title.
        self.assertTrue([p for p in first["title_hl"] if p["hit"]], first)
        facet_total = sum(f["count"] for f in r["facets"]["type"])
        self.assertEqual(facet_total, r["total"])
        city = r["facets"]["city"][0]
        narrowed = search(self.anon, "技工学校", city=city["key"])
        self.assertEqual(narrowed["total"], city["count"])
        self.assertTrue(all(x["city"] == city["key"] for x in narrowed["items"]))
        # Each facet ignores its own filter and obeys the other one.
        self.assertEqual(narrowed["facets"]["city"], r["facets"]["city"])
        self.assertEqual(sum(f["count"] for f in narrowed["facets"]["type"]), narrowed["total"])
        kinds = [f for f in r["facets"]["type"] if f["key"] != "unit"]
        self.assertTrue(kinds, r["facets"]["type"])  # not only units match
        for t in (r["facets"]["type"][0], kinds[0]):
            by_type = search(self.anon, "技工学校", type=t["key"])
            self.assertEqual(by_type["total"], t["count"])
            self.assertEqual(by_type["facets"]["type"], r["facets"]["type"])
            self.assertTrue(all(x["type"] == t["key"] for x in by_type["items"]))
            self.assertLessEqual(sum(f["count"] for f in by_type["facets"]["city"]), t["count"])
        both = search(self.anon, "技工学校", type="unit", city=city["key"])
        units_there = [f["count"] for f in narrowed["facets"]["type"] if f["key"] == "unit"]
        self.assertEqual([both["total"]], units_there)

    def test_one_character_matches_by_prefix_and_at_the_end(self):
        u = ok(self.sec.post("/api/v1/units", {"name": "测试鑫淼精密机械有限公司", "kind": "enterprise",
                                               "uscc": make_uscc(), "city": "130100"}), 201)
        marked = {"鑫": "鑫", "淼": "淼", "鑫 淼": "鑫淼", "鑫淼": "鑫淼", "淼精密": "淼精密", "xinmiao": "鑫淼",
                  "xmjm": "鑫淼精密", "miaojingmi": "淼精密", "XinMiao jixie": "鑫淼机械"}
        for q, hit in marked.items():
            with self.subTest(q=q):
                items = [x for x in search(self.anon, q)["items"]
                         if x["title"] == "测试鑫淼精密机械有限公司"]
                self.assertEqual(len(items), 1)
                # What the typed text spells is highlighted, pinyin too.
                self.assertEqual("".join(p["text"] for p in items[0]["title_hl"] if p["hit"]), hit)
                self.assertEqual(text_of(items[0]["title_hl"]), items[0]["title"])
        # The index follows the write: renamed, then deleted.
        ok(self.sec.patch("/api/v1/units/%d" % u["id"], {"name": "测试焱垚精密机械有限公司"}))
        self.assertNotIn(("unit", "测试鑫淼精密机械有限公司"), found(self.anon, "鑫淼"))
        self.assertIn(("unit", "测试焱垚精密机械有限公司"), found(self.anon, "焱垚"))
        ok(self.sec.delete("/api/v1/units/%d" % u["id"]))
        self.assertEqual(search(self.anon, "焱垚")["total"], 0)

    def test_a_refused_write_leaves_no_trace(self):
        name = "测试犇骉单位%d" % (time.monotonic_ns() % 10000)
        r = self.sec.post("/api/v1/units", {"name": name, "kind": "enterprise", "uscc": "bad",
                                            "city": "130100"})
        self.assertEqual(r.status, 400)
        self.assertEqual(search(self.anon, "犇骉")["total"], 0)

    def test_nobody_finds_what_they_may_not_see(self):
        person = ok(self.sec.get("/api/v1/people?page_size=1"))["items"][0]
        q = person["name"]
        self.assertIn(("person", q), found(self.sec, q, type="person"))
        for who in ("student", "recruiter", "expert", "auditor"):
            with self.subTest(who=who):
                self.assertNotIn("person", {x["type"] for x in search(S.login(who), q)["items"]})
        self.assertNotIn("person", {x["type"] for x in search(self.anon, q)["items"]})
        # A unit's staff find only their own unit's people.
        ua = S.login("unitadmin")
        mine = ua.get("/api/v1/me").data["user"]["unit_id"]
        other = [p for p in ok(self.sec.get("/api/v1/people?page_size=100"))["items"]
                 if p["unit_id"] != mine][0]
        self.assertNotIn(("person", other["name"]), found(ua, other["name"], type="person"))
        own = [p for p in ok(self.sec.get("/api/v1/people?unit_id=%d&page_size=1" % mine))["items"]]
        if own:
            self.assertIn(("person", own[0]["name"]), found(ua, own[0]["name"], type="person"))
        # Meetings and resolutions need governance.read; drafts are never found.
        self.assertNotIn("meeting", {x["type"] for x in search(self.anon, "会议")["items"]})
        self.assertIn("meeting", {x["type"] for x in search(self.sec, "会议")["items"]})
        p = ok(self.sec.post("/api/v1/positions", {
            "kind": "job", "title": "测试龘靐岗位", "city": "130100", "seats": 1,
            "unit_id": ok(self.sec.get("/api/v1/units?kind=enterprise&page_size=1"))["items"][0]["id"]}),
            201)
        self.assertEqual(search(self.sec, "龘靐")["total"], 0)
        ok(self.sec.post("/api/v1/positions/%d/publish" % p["id"]))
        self.assertIn(("position", "测试龘靐岗位"), found(self.anon, "龘靐"))

    def test_list_pages_search_through_the_index(self):
        """A list's q finds by name in either script and by pinyin too."""
        import urllib.parse

        def units(q):
            return {u["name"] for u in ok(self.anon.get(
                "/api/v1/units?page_size=100&q=" + urllib.parse.quote(q)))["items"]}
        simp = units("石家莊市技師學院")  # traditional typing
        self.assertIn("石家庄市技师学院", simp)
        self.assertIn("石家庄市技师学院", units("sjzsjsxy"))
        self.assertIn("石家庄市技师学院", units("shijiazhuangshijishi"))
        self.assertEqual(units("石家庄"), units("石家莊"))
        positions = ok(self.anon.get("/api/v1/positions?q=" + urllib.parse.quote("訂單班")))["items"]
        self.assertTrue(positions and all("订单班" in p["title"] for p in positions), positions)
        people = ok(self.sec.get("/api/v1/people?page_size=1"))["items"][0]
        found_people = ok(self.sec.get("/api/v1/people?q=" + urllib.parse.quote(people["name"])))
        self.assertIn(people["id"], [p["id"] for p in found_people["items"]])

    def test_suggest_and_bad_queries(self):
        s = ok(self.anon.get("/api/v1/search/suggest?q=jnjs"))["items"]
        self.assertIn(("unit", "济南技师学院"), {(x["type"], x["title"]) for x in s})
        # Suggestions mark what was typed: here what the initials spell.
        jn = [x for x in s if x["title"] == "济南技师学院"][0]
        self.assertEqual("".join(p["text"] for p in jn["title_hl"] if p["hit"]), "济南技师")
        self.assertEqual(text_of(jn["title_hl"]), jn["title"])
        s = ok(self.anon.get("/api/v1/search/suggest?q=%E6%8A%80%E5%B7%A5"))["items"]  # 技工
        self.assertTrue(s and len(s) <= 8)
        for q in ('"', "   ", '" "'):
            self.assertEqual(search(self.anon, q)["total"], 0)
        self.assertEqual(self.anon.get("/api/v1/search?q=" + "技" * 65).status, 400)
        self.assertEqual(self.anon.get("/api/v1/search").status, 400)
        # FTS5 syntax is text, never an error or an injection.
        for q in ("NEAR(a b)", "a OR b", "title:x", "*", "^技工", "(技工", "AND"):
            with self.subTest(q=q):
                self.assertEqual(self.anon.get("/api/v1/search?q=" + q.replace(" ", "%20")).status, 200)

    def test_reindex_job(self):
        before = search(self.anon, "技工")["total"]
        r = S.login("sysadmin").post("/api/v1/search/reindex", {})
        self.assertEqual(r.status, 202, r.data)
        job = r.data["job_id"]
        sysadmin = S.login("sysadmin")
        for _ in range(400):
            j = ok(sysadmin.get("/api/v1/jobs/%d" % job))
            if j["state"] in ("done", "failed"):
                break
            time.sleep(0.05)
        self.assertEqual(j["state"], "done", j)
        self.assertGreater(j["result"]["documents"], 100)
        self.assertEqual(search(self.anon, "技工")["total"], before)
        self.assertEqual(self.sec.post("/api/v1/search/reindex", {}).status, 403)


if __name__ == "__main__":
    unittest.main(verbosity=2)
