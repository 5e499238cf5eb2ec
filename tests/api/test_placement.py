"""Placement (docs/placement.md): positions and their review, student
profiles with CSV import and activation, applications, a whole matching
round with a known stable result and its explanations, the published
lottery, answers, the fairness report, a second round, employment outcomes
with their rates and XLSX export, tenancy, and the demo record."""
import io
import time
import unittest
import zipfile

from harness import start_server

S = None
MASK = (1 << 64) - 1


def setUpModule():
    global S
    S = start_server()


def tearDownModule():
    S.close()


def ok(r, status=200):
    assert r.status == status, "%s: %r" % (r.status, r.data)
    return r.data


def splitmix_ticket(seed, student_id):
    """The lottery of docs/placement.md, computed independently."""
    z = ((seed ^ (student_id & MASK)) + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def unit_id(name):
    items = ok(S.client().get("/api/v1/units?q=%s&page_size=5" % name))["items"]
    return [u for u in items if u["name"] == name][0]["id"]


def wait_job(client, job_id, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        j = ok(client.get("/api/v1/jobs/%d" % job_id))
        if j["state"] in ("done", "failed"):
            return j
        time.sleep(0.05)
    raise AssertionError("job %d did not finish" % job_id)


class Placement(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sec = S.login("secretariat")
        cls.ua = S.login("unitadmin")
        cls.hr = S.login("recruiter")
        cls.school = cls.ua.get("/api/v1/me").data["user"]["unit_id"]
        cls.hr_unit = cls.hr.get("/api/v1/me").data["user"]["unit_id"]
        cls.other_ent = unit_id("长城汽车股份有限公司")
        cls.seq = int(time.time() * 1000) % 100000

    def no(self):
        Placement.seq += 1
        return "T%d" % Placement.seq

    def position(self, client=None, **body):
        b = {"kind": "job", "title": "测试岗位%d" % time.monotonic_ns(), "city": "130100",
             "seats": 1}
        b.update(body)
        return ok((client or self.sec).post("/api/v1/positions", b), 201)

    def published(self, **body):
        body.setdefault("unit_id", self.hr_unit)
        p = self.position(**body)
        ok(self.sec.post("/api/v1/positions/%d/publish" % p["id"]))
        return p

    def student(self, **body):
        b = {"student_no": self.no(), "name": "测试学生", "major": "焊接加工", "year": 2026}
        b.update(body)
        return ok(self.ua.post("/api/v1/students", b), 201)

    def student_login(self, **body):
        """A student profile with an activated account; returns (profile, client)."""
        s = self.student(**body)
        code = ok(self.ua.post("/api/v1/students/%d/activation" % s["id"]))["code"]
        username = "stu%s" % s["student_no"].lower()
        ok(S.client().post("/api/v1/students/activate",
                           {"code": code, "username": username, "password": "Kq7#mvT2pw!x"}), 201)
        c = S.client()
        c.login(username, "Kq7#mvT2pw!x")
        return s, c

    def round(self, items, **body):
        b = {"name": "测试轮次%d" % time.monotonic_ns(),
             "choices_deadline": int(time.time() * 1000) + 3600_000,
             "answer_deadline": int(time.time() * 1000) + 7200_000}
        b.update(body)
        r = ok(self.sec.post("/api/v1/rounds", b), 201)
        ok(self.sec.put("/api/v1/rounds/%d/positions" % r["id"], {"items": items}))
        return r

    def run_round(self, rid, seed=None):
        body = {} if seed is None else {"seed": seed}
        job = ok(self.sec.post("/api/v1/rounds/%d/run" % rid, body), 202)["job_id"]
        j = wait_job(self.sec, job)
        self.assertEqual(j["state"], "done", j)
        return j["result"]

    # --- positions ---------------------------------------------------------

    def test_position_review_and_visibility(self):
        p = self.position(self.hr, title="数控车工（测试）", seats=3, majors=["数控加工技术"],
                          min_level=4, pay_min=4000, pay_max=6000)
        self.assertEqual((p["status"], p["unit_id"], p["majors"]), ("draft", self.hr_unit,
                                                                      ["数控加工技术"]))
        anon = S.client()
        self.assertEqual(anon.get("/api/v1/positions/%d" % p["id"]).status, 404)
        self.assertEqual(S.login("student").get("/api/v1/positions/%d" % p["id"]).status, 404)
        # Field errors on the right fields; the unit comes from the session.
        r = self.hr.post("/api/v1/positions", {"kind": "job", "title": "x", "city": "999999",
                                               "seats": 0, "pay_min": 9000, "pay_max": 100})
        self.assertEqual(r.status, 400)
        self.assertEqual(set(r.data["error"]["fields"]), {"city", "seats", "pay_max"})
        r = self.hr.post("/api/v1/positions", {"kind": "job", "title": "x", "city": "130100",
                                               "seats": 1, "unit_id": self.other_ent})
        self.assertIn("unit_id", r.data["error"]["fields"])
        # A school's administrator posts no positions.
        self.assertEqual(self.ua.post("/api/v1/positions", {"kind": "job", "title": "x",
                                                            "city": "130100", "seats": 1}).status,
                         403)
        ok(self.hr.post("/api/v1/positions/%d/submit" % p["id"]))
        self.assertEqual(self.hr.patch("/api/v1/positions/%d" % p["id"], {"title": "改"}).status,
                         409)
        ok(self.sec.post("/api/v1/positions/%d/return" % p["id"], {"comment": "请写明带教安排"}))
        mine = ok(self.hr.get("/api/v1/positions/%d" % p["id"]))
        self.assertEqual((mine["status"], mine["review_comment"]), ("returned", "请写明带教安排"))
        ok(self.hr.patch("/api/v1/positions/%d" % p["id"], {"description": "师傅带教三个月"}))
        ok(self.hr.post("/api/v1/positions/%d/submit" % p["id"]))
        self.assertEqual(S.login("recruiter").post("/api/v1/positions/%d/publish" % p["id"]).status,
                         403)
        ok(self.sec.post("/api/v1/positions/%d/publish" % p["id"]))
        pub = ok(anon.get("/api/v1/positions/%d" % p["id"]))
        self.assertNotIn("review_comment", pub)
        ids = [x["id"] for x in ok(anon.get("/api/v1/positions?q=数控车工（测试）"))["items"]]
        self.assertIn(p["id"], ids)
        # Published: only seats, description, pay and end date change.
        self.assertEqual(self.hr.patch("/api/v1/positions/%d" % p["id"], {"title": "y"}).status, 409)
        self.assertEqual(ok(self.hr.patch("/api/v1/positions/%d" % p["id"], {"seats": 5}))["seats"], 5)
        r = self.hr.patch("/api/v1/positions/%d" % p["id"], {"pay_max": 1000})
        self.assertIn("pay_max", r.data["error"]["fields"])
        # Another enterprise's recruiter cannot manage it.
        self.assertEqual(self.sec.patch("/api/v1/positions/%d" % p["id"], {"seats": 4}).status, 200)
        ok(self.hr.post("/api/v1/positions/%d/close" % p["id"]))
        self.assertEqual(anon.get("/api/v1/positions/%d" % p["id"]).status, 404)

    # --- students -----------------------------------------------------------

    def test_students_tenancy_import_and_activation(self):
        s = self.student(certificates=["焊工（四级）"], cities=["石家庄"], skill_level=4)
        self.assertEqual((s["cities"], s["activated"], s["unit_id"]), (["130100"], False,
                                                                        self.school))
        r = self.ua.post("/api/v1/students", {"student_no": s["student_no"], "name": "重复",
                                              "major": "焊接加工", "year": 2026})
        self.assertEqual(list(r.data["error"]["fields"]), ["student_no"])
        r = self.ua.post("/api/v1/students", {"student_no": self.no(), "name": "x",
                                              "major": "焊接加工", "year": 1900,
                                              "school_score": 101})
        self.assertEqual(set(r.data["error"]["fields"]), {"year", "school_score"})
        ok(S.login("teacher").get("/api/v1/students/%d" % s["id"]))
        self.assertEqual(self.hr.get("/api/v1/students/%d" % s["id"]).status, 403)
        # Another school's administrator gets 404 (B2).
        other = ok(self.sec.get("/api/v1/units?kind=technical_school&page_size=3"))["items"]
        other = [u for u in other if u["id"] != self.school][0]["id"]
        sysadmin = S.login("sysadmin")
        ok(sysadmin.post("/api/v1/users", {"username": "ua%d" % self.seq, "role": "unit_admin",
                                           "unit_id": other, "password": "Lm9$qwZx3ty!"}), 201)
        c = S.client()
        c.login("ua%d" % self.seq, "Lm9$qwZx3ty!")
        self.assertEqual(c.get("/api/v1/students/%d" % s["id"]).status, 404)
        self.assertEqual(c.patch("/api/v1/students/%d" % s["id"], {"name": "x"}).status, 404)
        self.assertNotIn(s["id"], [x["id"] for x in ok(c.get("/api/v1/students?page_size=100"))["items"]])
        # CSV import: all rows or none, errors by line.
        a, b = self.no(), self.no()
        bad = ("student_no,name,major,year,skill_level,certificates,awards,award_points,"
               "school_score,cities\n%s,甲,焊接加工,2026,3,焊工证;电工证,,0,88,石家庄\n"
               "%s,乙,焊接加工,20x6,9,,,0,70,不存在的城市\n%s,丙,焊接加工,2026,,,,0,60,\n"
               % (a, b, a))
        r = self.ua.request("POST", "/api/v1/students/import", raw=bad.encode(),
                            content_type="text/csv")
        self.assertEqual(r.status, 400)
        errs = {(e["row"], e["field"]) for e in r.data["error"]["report"]["errors"]}
        self.assertEqual(errs, {(3, "year"), (3, "skill_level"), (3, "cities"), (4, "student_no")})
        self.assertEqual((r.data["error"]["report"]["rows"], r.data["error"]["report"]["valid"]), (3, 1))
        self.assertEqual(ok(self.ua.get("/api/v1/students?q=%s" % a))["total"], 0)
        good = bad.split("\n")[0] + "\n%s,甲,焊接加工,2026,3,焊工证;电工证,,0,88,石家庄\n" % a
        rep = ok(self.ua.request("POST", "/api/v1/students/import?dry_run=true",
                                 raw=good.encode(), content_type="text/csv"))
        self.assertEqual((rep["valid"], rep["created"]), (1, 0))
        rep = ok(self.ua.request("POST", "/api/v1/students/import", raw=good.encode(),
                                 content_type="text/csv"))
        self.assertEqual(rep["created"], 1)
        got = ok(self.ua.get("/api/v1/students?q=%s" % a))["items"][0]
        self.assertEqual((got["certificates"], got["cities"]), (["焊工证", "电工证"], ["130100"]))
        # Activation: a one-time code, the student picks her password.
        code = ok(self.ua.post("/api/v1/students/%d/activation" % s["id"]))["code"]
        anon = S.client()
        r = anon.post("/api/v1/students/activate", {"code": "ZZZZ-ZZZZ-ZZZZ",
                                                    "username": "nobody1", "password": "Kq7#mvT2pw!x"})
        self.assertEqual(r.status, 404)
        r = anon.post("/api/v1/students/activate", {"code": code, "username": "stu%d" % self.seq,
                                                    "password": "123456"})
        self.assertIn("password", r.data["error"]["fields"])
        ok(anon.post("/api/v1/students/activate", {"code": code.lower(), "username":
                                                   "stu%d" % self.seq, "password": "Kq7#mvT2pw!x"}),
           201)
        self.assertEqual(anon.post("/api/v1/students/activate", {"code": code, "username": "stu2x",
                                                                 "password": "Kq7#mvT2pw!x"}).status, 404)
        me = S.client()
        me.login("stu%d" % self.seq, "Kq7#mvT2pw!x")
        prof = ok(me.get("/api/v1/me/student"))
        self.assertEqual((prof["id"], prof["activated"]), (s["id"], True))
        prof = ok(me.patch("/api/v1/me/student", {"cities": ["130200", "保定"]}))
        self.assertEqual(prof["cities"], ["130200", "130600"])
        self.assertIn("name", me.patch("/api/v1/me/student", {"name": "x", "cities": []}).data["error"]["fields"])
        self.assertEqual(me.get("/api/v1/students").status, 403)
        self.assertEqual(self.ua.delete("/api/v1/students/%d" % s["id"]).status, 409)

    # --- applications --------------------------------------------------------

    def test_applications(self):
        p = self.published(title="焊接实习（申请）")
        s, c = self.student_login()
        a = ok(c.post("/api/v1/positions/%d/apply" % p["id"], {"note": "愿意倒班"}), 201)
        self.assertEqual(c.post("/api/v1/positions/%d/apply" % p["id"], {}).status, 409)
        lst = ok(self.hr.get("/api/v1/positions/%d/applications" % p["id"]))["items"]
        self.assertEqual([(x["student_id"], x["note"]) for x in lst], [(s["id"], "愿意倒班")])
        other = self.published(title="他企岗位", unit_id=self.other_ent)
        self.assertEqual(self.hr.get("/api/v1/positions/%d/applications" % other["id"]).status, 404)
        self.assertEqual(c.post("/api/v1/job-applications/%d/accept" % a["id"]).status, 403)
        ok(self.hr.post("/api/v1/job-applications/%d/accept" % a["id"], {"comment": "欢迎"}))
        mine = ok(c.get("/api/v1/job-applications"))["items"]
        self.assertEqual([(x["id"], x["status"], x["comment"]) for x in mine],
                         [(a["id"], "accepted", "欢迎")])
        self.assertEqual(c.post("/api/v1/job-applications/%d/withdraw" % a["id"]).status, 409)

    # --- a whole round ---------------------------------------------------------

    def test_round_from_choices_to_answers(self):
        p1 = self.published(title="P1 手工排序", seats=1)
        p2 = self.published(title="P2 评分", seats=2, unit_id=self.other_ent)
        p3 = self.published(title="P3 要求三级", seats=1, min_level=3, unit_id=self.other_ent)
        r = self.round([{"position_id": p1["id"]},
                        {"position_id": p2["id"], "rule": "score", "w_school": 1},
                        {"position_id": p3["id"], "rule": "score", "w_school": 1}])
        rid = r["id"]
        # Students cannot see a draft round; it needs positions to open.
        A, ca = self.student_login(school_score=90, skill_level=4)
        B, cb = self.student_login(school_score=80)
        C, cc = self.student_login(school_score=70)
        D, cd = self.student_login(school_score=60, skill_level=4)
        self.assertEqual(ca.get("/api/v1/rounds/%d" % rid).status, 404)
        self.assertEqual(ca.put("/api/v1/rounds/%d/choices/mine" % rid,
                                {"positions": [p1["id"]]}).status, 409)
        ok(self.sec.post("/api/v1/rounds/%d/open" % rid))
        r = ca.put("/api/v1/rounds/%d/choices/mine" % rid, {"positions": [p1["id"], p1["id"], 999999]})
        self.assertEqual(set(r.data["error"]["fields"]), {"positions.1", "positions.2"})
        for c, prefs in ((ca, [p1, p2]), (cb, [p1, p2]), (cc, [p2, p1]), (cd, [p2, p3])):
            got = ok(c.put("/api/v1/rounds/%d/choices/mine" % rid,
                           {"positions": [p["id"] for p in prefs]}))["items"]
            self.assertEqual([x["position_id"] for x in got], [p["id"] for p in prefs])
        # One unclosed round at a time.
        other = self.round([{"position_id": p1["id"]}])
        ok(self.sec.post("/api/v1/rounds/%d/open" % other["id"]))
        r = ca.put("/api/v1/rounds/%d/choices/mine" % other["id"], {"positions": [p1["id"]]})
        self.assertEqual((r.status, r.data["error"]["reason"]), (409, "placement.in_other_round"))
        # Enterprises rank only while ranking, only their own positions.
        self.assertEqual(self.hr.put("/api/v1/rounds/%d/positions/%d/ranking" % (rid, p1["id"]),
                                     {"students": [B["id"]]}).status, 409)
        ok(self.sec.post("/api/v1/rounds/%d/close-choices" % rid))
        self.assertEqual(ca.put("/api/v1/rounds/%d/choices/mine" % rid,
                                {"positions": [p2["id"]]}).status, 409)
        self.assertEqual(self.hr.get("/api/v1/rounds/%d/positions/%d/applicants" % (rid, p2["id"])).status, 404)
        apps = ok(self.hr.get("/api/v1/rounds/%d/positions/%d/applicants" % (rid, p1["id"])))["items"]
        self.assertEqual({x["student_id"] for x in apps}, {A["id"], B["id"], C["id"]})
        self.assertNotIn("place", apps[0])  # her order of choices stays hers
        r = self.hr.put("/api/v1/rounds/%d/positions/%d/ranking" % (rid, p1["id"]),
                        {"students": [B["id"], D["id"], B["id"]]})
        self.assertEqual(set(r.data["error"]["fields"]), {"students.1", "students.2"})
        ok(self.hr.put("/api/v1/rounds/%d/positions/%d/ranking" % (rid, p1["id"]),
                       {"students": [B["id"], A["id"]]}))  # C left out: not acceptable
        self.assertEqual(self.sec.put("/api/v1/rounds/%d/positions/%d/ranking" % (rid, p2["id"]),
                                      {"students": [A["id"]]}).status, 409)  # a score rule
        stats = self.run_round(rid)
        self.assertEqual((stats["students"], stats["placed"], stats["first_choice"], stats["stable"]),
                         (4, 3, 2, True))
        # Not visible to students before publication.
        self.assertEqual(ca.get("/api/v1/rounds/%d/results/mine" % rid).status, 404)
        res = ok(self.sec.get("/api/v1/rounds/%d/results?page_size=100" % rid))["items"]
        got = {x["student_id"]: (x["position_id"], x["place"], x["status"]) for x in res}
        self.assertEqual(got, {A["id"]: (p2["id"], 1, "offered"), B["id"]: (p1["id"], 0, "offered"),
                               C["id"]: (p2["id"], 0, "offered"), D["id"]: (None, None, "unplaced")})
        ok(self.sec.post("/api/v1/rounds/%d/publish" % rid))
        mine = ok(ca.get("/api/v1/rounds/%d/results/mine" % rid))
        self.assertEqual((mine["position_id"], mine["status"]), (p2["id"], "offered"))
        why = mine["explanation"]
        self.assertEqual([(w["position_id"], w["reason"], w["seats"], w["rank"], w["cutoff"])
                          for w in why], [(p1["id"], "full", 1, 2, 1)])
        self.assertIn("Choice 1", why[0]["text"])
        zh = S.login("student", lang="zh-CN")  # a demo student sees nothing of this round
        self.assertEqual(zh.get("/api/v1/rounds/%d/results/mine" % rid).status, 404)
        dz = cd.copy()
        dz.lang = "zh-CN"
        why_d = ok(dz.get("/api/v1/rounds/%d/results/mine" % rid))["explanation"]
        self.assertEqual([w["reason"] for w in why_d], ["full", "not_accepted"])
        self.assertIn("第一志愿", why_d[0]["text"])
        self.assertIn("的 2 个名额已由排名更高的学生获得", why_d[0]["text"])
        self.assertIn("第二志愿", why_d[1]["text"])
        # Answers.
        ok(ca.post("/api/v1/rounds/%d/results/mine/accept" % rid))
        self.assertEqual(ca.post("/api/v1/rounds/%d/results/mine/decline" % rid).status, 409)
        ok(cc.post("/api/v1/rounds/%d/results/mine/decline" % rid))
        self.assertEqual(cd.post("/api/v1/rounds/%d/results/mine/accept" % rid).status, 409)
        placed = ok(self.hr.get("/api/v1/rounds/%d/positions/%d/results" % (rid, p1["id"])))["items"]
        self.assertEqual([(x["student_id"], x["status"]) for x in placed], [(B["id"], "offered")])
        self.assertEqual(self.hr.get("/api/v1/rounds/%d/positions/%d/results" % (rid, p2["id"])).status, 404)
        fair = ok(self.sec.get("/api/v1/rounds/%d/fairness?by=school" % rid))
        self.assertEqual(fair["total"]["students"], 4)
        self.assertEqual((fair["total"]["placed"], fair["total"]["first_choice"]), (3, 2))
        self.assertAlmostEqual(fair["total"]["placement_rate"], 0.75)
        self.assertEqual(len(ok(self.sec.get("/api/v1/rounds/%d/fairness?by=major" % rid))["items"]), 1)
        # Closing expires B's unanswered offer; the second round gets the
        # seats nobody accepted: P1's one and P2's one, P3's one.
        ok(self.sec.post("/api/v1/rounds/%d/close" % rid))
        res = ok(self.sec.get("/api/v1/rounds/%d/results?status=expired" % rid))["items"]
        self.assertEqual([x["student_id"] for x in res], [B["id"]])
        now = int(time.time() * 1000)
        second = ok(self.sec.post("/api/v1/rounds/%d/second" % rid,
                                  {"name": "第二轮", "choices_deadline": now + 3600_000,
                                   "answer_deadline": now + 7200_000}), 201)
        seats = {x["position_id"]: x["seats"] for x in
                 ok(self.sec.get("/api/v1/rounds/%d/positions" % second["id"]))["items"]}
        self.assertEqual(seats, {p1["id"]: 1, p2["id"]: 1, p3["id"]: 1})
        # A, who accepted in the first round, does not take part in the second.
        ok(self.sec.post("/api/v1/rounds/%d/open" % second["id"]))
        r = ca.put("/api/v1/rounds/%d/choices/mine" % second["id"], {"positions": [p1["id"]]})
        self.assertEqual(r.data["error"]["reason"], "placement.already_placed")

    def test_lottery_breaks_ties_reproducibly(self):
        p = self.published(title="抽签岗位", seats=1)
        r = self.round([{"position_id": p["id"], "rule": "score"}])  # all weights 0: all tie
        ok(self.sec.post("/api/v1/rounds/%d/open" % r["id"]))
        studs = []
        for _ in range(4):
            s, c = self.student_login()
            ok(c.put("/api/v1/rounds/%d/choices/mine" % r["id"], {"positions": [p["id"]]}))
            studs.append(s["id"])
        ok(self.sec.post("/api/v1/rounds/%d/close-choices" % r["id"]))
        for seed in (12345, 987654321):
            stats = self.run_round(r["id"], seed)
            self.assertEqual(stats["seed"], seed)
            res = ok(self.sec.get("/api/v1/rounds/%d/results?status=offered" % r["id"]))["items"]
            winner = min(studs, key=lambda i: (splitmix_ticket(seed, i), i))
            self.assertEqual([x["student_id"] for x in res], [winner])
        self.assertEqual(ok(self.sec.get("/api/v1/rounds/%d" % r["id"]))["seed"], 987654321)

    # --- outcomes ---------------------------------------------------------------

    def test_outcomes_rates_import_and_export(self):
        year = 2030  # a cohort of its own
        ids = [self.student(year=year, major="化工工艺")["id"] for _ in range(5)]
        for i, status in zip(ids, ["employed_in_field", "employed_in_field", "employed",
                                   "further_study", "seeking"]):
            ok(self.ua.put("/api/v1/students/%d/outcome" % i,
                           {"status": status, "employer": "唐山三友集团有限公司", "city": "130200",
                            "salary_band": "5k_8k"}))
        r = self.ua.put("/api/v1/students/%d/outcome" % ids[0], {"status": "employed", "city": "1"})
        self.assertIn("city", r.data["error"]["fields"])
        st = ok(self.ua.get("/api/v1/outcomes/stats?by=major&year=%d" % year))
        self.assertEqual(st["total"]["graduates"], 5)
        self.assertAlmostEqual(st["total"]["employment_rate"], 0.8)
        self.assertAlmostEqual(st["total"]["in_field_rate"], 2 / 3)
        self.assertEqual([x["name"] for x in st["items"]], ["化工工艺"])
        # The secretariat sees every school's; an enterprise none.
        self.assertEqual(ok(self.sec.get("/api/v1/outcomes/stats?year=%d" % year))["total"]["graduates"], 5)
        self.assertEqual(self.hr.get("/api/v1/outcomes/stats").status, 403)
        # Import: all rows or none.
        no = ok(self.ua.get("/api/v1/students/%d" % ids[4]))["student_no"]
        bad = "student_no,status,employer,city,salary_band\n%s,employed,某公司,130100,5k_8k\nNOPE,hired,,,\n" % no
        r = self.ua.request("POST", "/api/v1/outcomes/import", raw=bad.encode(), content_type="text/csv")
        self.assertEqual({(e["row"], e["field"]) for e in r.data["error"]["report"]["errors"]},
                         {(3, "student_no"), (3, "status")})
        self.assertEqual((r.data["error"]["report"]["rows"], r.data["error"]["report"]["valid"]), (2, 1))
        self.assertEqual(ok(self.ua.get("/api/v1/outcomes?year=%d&status=seeking" % year))["total"], 1)
        good = bad.split("\n")[0] + "\n%s,employed,某公司,130100,5k_8k\n" % no
        ok(self.ua.request("POST", "/api/v1/outcomes/import", raw=good.encode(), content_type="text/csv"))
        self.assertEqual(ok(self.ua.get("/api/v1/outcomes?year=%d&status=seeking" % year))["total"], 0)
        r = self.ua.get("/api/v1/outcomes/export?by=school&year=%d" % year)
        self.assertEqual(r.status, 200)
        z = zipfile.ZipFile(io.BytesIO(r.data))
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        self.assertIn("<v>5</v>", sheet)
        r = self.ua.get("/api/v1/outcomes/export?by=school&year=%d&format=csv" % year)
        text = r.data.decode("utf-8-sig")
        self.assertIn(",5,", text.splitlines()[1])

    # --- the demo ------------------------------------------------------------------

    def test_demo_record(self):
        rounds = ok(self.sec.get("/api/v1/rounds?page_size=100"))["items"]
        spring = [x for x in rounds if x["name"].startswith("2026届春季")][0]
        self.assertEqual(spring["status"], "closed")
        full = ok(self.sec.get("/api/v1/rounds/%d" % spring["id"]))
        self.assertTrue(full["stats"]["stable"])
        self.assertGreater(full["stats"]["placed"], 100)
        me = S.login("student")
        mine = ok(me.get("/api/v1/rounds/%d/results/mine" % spring["id"]))
        self.assertIn(mine["status"], ("accepted", "declined", "expired", "unplaced"))
        st = ok(self.sec.get("/api/v1/outcomes/stats?by=year"))
        self.assertEqual([x["name"] for x in st["items"]], ["2025", "2024"])
        self.assertGreater(st["total"]["employment_rate"], 0.5)
        fair = ok(self.sec.get("/api/v1/rounds/%d/fairness?by=city" % spring["id"]))
        self.assertEqual(sum(x["students"] for x in fair["items"]), full["stats"]["students"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
