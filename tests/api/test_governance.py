"""Governance (docs/governance.md): the preparatory meeting from end to end.

Twelve member units are invited, each with its own unit_admin account (the
representative). Nine check in (seven by the secretariat, two by
themselves with the meeting's code), one absent unit gives its vote to a
unit present: 10 of 12 present, quorate under "at least 2/3 of members".
Three motions are voted: the draft charter (open ballot, at least 2/3 of
all members), the expert committee list (secret ballot, one vote for the
list) and the council with its officers (open ballot, a vote per
candidate; one candidate fails). Certification writes the resolutions,
makes the charter the one in force and writes the appointments, whose
letters are PDFs verifiable by their code. Then: who may vote, once only,
secret ballots stay secret (through the API and in the tables), a person
voting at an expert committee meeting, and the work plan.
"""
import sqlite3
import subprocess
import tempfile
import time
import unittest

from harness import start_server

S = None
N_UNITS = 12


def setUpModule():
    global S
    S = start_server()


def tearDownModule():
    S.close()


def ok(r, status=200):
    assert r.status == status, "%s: %r" % (r.status, r.data)
    return r.data


class Story(unittest.TestCase):
    """Runs in order: the test names are numbered."""

    @classmethod
    def setUpClass(cls):
        cls.sec = S.login("secretariat")
        admin = S.login("sysadmin")
        me = S.login("unitadmin").get("/api/v1/me").data["user"]
        cls.chair_unit = me["unit_id"]
        units = ok(cls.sec.get("/api/v1/units?status=active&sort=id&page_size=40"))["items"]
        others = [u for u in units if u["id"] != cls.chair_unit][:N_UNITS - 1]
        cls.units = [cls.chair_unit] + [u["id"] for u in others]
        cls.reps = {cls.chair_unit: S.login("unitadmin")}
        tag = "%d" % (time.monotonic_ns() % 10**6)
        for u in cls.units[1:]:
            r = ok(admin.post("/api/v1/users", {"username": "rep%s_%d" % (tag, u),
                                                "role": "unit_admin", "unit_id": u}), 201)
            c = S.client()
            c.login("rep%s_%d" % (tag, u), r["password"])
            cls.reps[u] = c
        cls.state = {}

    def test_01_charter_draft_and_terms(self):
        v = ok(self.sec.post("/api/v1/charter/versions", {
            "title": "京津冀及周边技工教育联盟章程（草案）",
            "body": "# 第一章 总则\n\n第一条 本联盟名称为京津冀及周边技工教育联盟。\n\n"
                    "第二条 本联盟是自愿结成的非营利性合作组织。\n",
            "note": "筹备组起草"}), 201)
        self.assertEqual(v["status"], "draft")
        self.state["charter"] = v["id"]
        terms = ok(self.sec.get("/api/v1/terms?page_size=100"))["items"]
        number = max([t["number"] for t in terms] + [0]) + 1
        for body in ("council", "expert_committee"):
            t = ok(self.sec.post("/api/v1/terms", {"body": body, "number": number,
                                                   "starts_on": "2031-04-18",
                                                   "ends_on": "2036-04-17"}), 201)
            self.state[body] = t["id"]
        r = self.sec.post("/api/v1/terms", {"body": "council", "number": number,
                                            "starts_on": "2031-04-18", "ends_on": "2036-04-17"})
        self.assertEqual(r.status, 400)
        self.assertIn("number", r.data["error"]["fields"])

    def test_02_meeting_invitations_and_check_in(self):
        m = ok(self.sec.post("/api/v1/meetings", {
            "kind": "preparatory", "title": "联盟筹备会议（测试）", "starts_at": "2031-04-10 09:30",
            "place": "石家庄市技师学院报告厅"}), 201)
        mid = self.state["meeting"] = m["id"]
        self.assertEqual(len(m["checkin_code"]), 6)
        bad = self.sec.post("/api/v1/meetings", {"kind": "preparatory", "title": "x",
                                                 "starts_at": "2031-02-30 09:30"})
        self.assertIn("starts_at", bad.data["error"]["fields"])
        ok(self.sec.post("/api/v1/meetings/%d/agenda" % mid, {"title": "审议章程草案"}), 201)
        ok(self.sec.post("/api/v1/meetings/%d/agenda" % mid, {"title": "表决专家委员会名单"}), 201)
        for u in self.units:
            ok(self.sec.post("/api/v1/meetings/%d/attendees" % mid, {"unit_id": u}), 201)
        dup = self.sec.post("/api/v1/meetings/%d/attendees" % mid, {"unit_id": self.units[0]})
        self.assertEqual(dup.status, 409)
        att = ok(self.sec.get("/api/v1/meetings/%d/attendees?page_size=100" % mid))["items"]
        self.assertEqual(len(att), N_UNITS)
        by_unit = {a["unit_id"]: a["id"] for a in att}
        self.state["att"] = by_unit
        # Units 2..8 checked in by the secretariat, the chair unit and unit 9 by themselves.
        for u in self.units[2:9]:
            ok(self.sec.post("/api/v1/meetings/%d/attendees/%d/check-in" % (mid, by_unit[u])))
        code = m["checkin_code"]
        wrong = self.reps[self.chair_unit].post("/api/v1/meetings/%d/check-in" % mid,
                                                {"code": "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"})
        self.assertEqual(wrong.status, 400)
        self.assertIn("code", wrong.data["error"]["fields"])
        for u in (self.chair_unit, self.units[9]):
            a = ok(self.reps[u].post("/api/v1/meetings/%d/check-in" % mid, {"code": code.lower()}))
            self.assertIsNotNone(a["checked_in_at"])
        # Unit 1 is absent and gives its vote to the chair unit; 10 and 11 are absent.
        absent = by_unit[self.units[1]]
        r = self.reps[self.units[1]].post("/api/v1/meetings/%d/proxy" % mid,
                                          {"to": by_unit[self.units[10]]})
        self.assertEqual(r.status, 400, r.data)  # the holder is not present
        self.assertEqual(r.data["error"]["fields"]["to"], "The proxy holder has not checked in")
        ok(self.reps[self.units[1]].post("/api/v1/meetings/%d/proxy" % mid,
                                         {"to": by_unit[self.chair_unit]}))
        # At most one proxy each (the charter's max_proxies = 1).
        r = self.sec.post("/api/v1/meetings/%d/attendees/%d/proxy" % (mid, by_unit[self.units[10]]),
                          {"to": by_unit[self.chair_unit]})
        self.assertEqual(r.status, 400)
        self.assertIn("to", r.data["error"]["fields"])
        # A unit hands over only its own vote; another meeting's unit has none here.
        r = self.reps[self.units[11]].post(
            "/api/v1/meetings/%d/attendees/%d/proxy" % (mid, by_unit[self.units[10]]),
            {"to": by_unit[self.units[2]]})
        self.assertEqual(r.status, 403)
        q = ok(self.sec.get("/api/v1/meetings/%d" % mid))["quorum"]
        self.assertEqual((q["members"], q["present"], q["quorate"], q["needed"]), (12, 10, True, 8))
        # Secretariat un-check-in of a proxy holder is refused.
        r = self.sec.delete("/api/v1/meetings/%d/attendees/%d/check-in" % (mid, by_unit[self.chair_unit]))
        self.assertEqual(r.status, 409)
        me = ok(self.reps[self.chair_unit].get("/api/v1/meetings/%d" % mid))["me"]
        self.assertEqual(me["proxy_for"], [absent])
        self.assertNotIn("checkin_code", ok(self.reps[self.chair_unit].get("/api/v1/meetings/%d" % mid)))

    def motion(self, body):
        mid = self.state["meeting"]
        return ok(self.sec.post("/api/v1/meetings/%d/motions" % mid, body), 201)

    def vote(self, motion, unit, choice=None, items=None, for_unit=None, status=201):
        body = {"attendee_id": self.state["att"][for_unit or unit]}
        if choice:
            body["choice"] = choice
        if items is not None:
            body["items"] = items
        r = self.reps[unit].post("/api/v1/motions/%d/ballots" % motion, body)
        self.assertEqual(r.status, status, r.data)
        return r

    def test_03_charter_motion(self):
        mid = self.state["meeting"]
        x = self.motion({"title": "关于审议《联盟章程（草案）》的议案", "kind": "charter",
                         "charter_version_id": self.state["charter"]})
        self.assertEqual((x["rule"], x["rule_text"]), ("charter", ">= 2/3 members"))
        self.state["m_charter"] = x["id"]
        # The meeting is still planned: no vote yet.
        self.assertEqual(self.sec.post("/api/v1/motions/%d/open" % x["id"]).status, 409)
        ok(self.sec.patch("/api/v1/meetings/%d" % mid, {"status": "open"}))
        ok(self.sec.post("/api/v1/motions/%d/open" % x["id"], {}))
        mine = ok(self.reps[self.chair_unit].get("/api/v1/me/ballots"))["items"]
        entry = [m for m in mine if m["motion_id"] == x["id"]][0]
        self.assertEqual(len(entry["attendees"]), 2)  # own vote and the proxy
        # 8 yes (chair unit twice: own and proxy), 1 no, 1 abstain.
        self.vote(x["id"], self.chair_unit, "yes")
        self.vote(x["id"], self.chair_unit, "yes", for_unit=self.units[1])
        for u in self.units[2:8]:
            self.vote(x["id"], u, "yes")
        self.vote(x["id"], self.units[8], "no")
        self.vote(x["id"], self.units[9], "abstain")
        # Once only; absent units and units without a proxy cannot vote.
        self.vote(x["id"], self.units[2], "no", status=409)
        self.vote(x["id"], self.units[10], "yes", status=403)
        self.vote(x["id"], self.units[9], "yes", for_unit=self.units[1], status=403)
        live = ok(self.sec.get("/api/v1/motions/%d" % x["id"]))["tally"]
        self.assertEqual((live["cast"], live["yes"], live["no"], live["abstain"]), (10, 8, 1, 1))
        ok(self.sec.post("/api/v1/motions/%d/close" % x["id"]))
        self.vote(x["id"], self.units[3], "yes", status=409)
        done = ok(self.sec.post("/api/v1/motions/%d/certify" % x["id"]))
        res = done["results"][0]
        self.assertEqual((res["members"], res["present"], res["yes"], res["passed"]),
                         (12, 10, 8, True))
        self.assertRegex(done["resolution"]["number"], r"决〔\d{4}〕\d+号$")
        self.assertEqual(done["resolution"]["title"], "关于审议《联盟章程（草案）》的决议")
        # A recorded vote is on the record once closed: who chose what.
        self.assertEqual(len(done["ballots"]), 10)
        self.assertEqual(sorted(b["choice"] for b in done["ballots"]).count("yes"), 8)
        charter = ok(S.client().get("/api/v1/charter"))
        self.assertEqual(charter["id"], self.state["charter"])
        self.assertEqual(charter["resolution_number"], done["resolution"]["number"])
        # Adopted versions never change; certified results neither.
        self.assertEqual(self.sec.patch("/api/v1/charter/versions/%d" % charter["id"],
                                        {"title": "改"}).status, 409)
        self.assertEqual(self.sec.post("/api/v1/motions/%d/certify" % x["id"]).status, 409)

    def test_04_expert_list_secret_ballot(self):
        people = ok(self.sec.get("/api/v1/people?page_size=6"))["items"]
        x = self.motion({"title": "表决专家委员会组成人员名单", "kind": "election",
                         "term_id": self.state["expert_committee"], "ballot": "secret"})
        self.state["m_experts"] = x["id"]
        for i, p in enumerate(people[:4]):
            pos = "chair" if i == 0 else "vice_chair" if i == 1 else "member"
            ok(self.sec.post("/api/v1/motions/%d/items" % x["id"], {"position": pos,
                                                                   "person_id": p["id"]}))
        bad = self.sec.post("/api/v1/motions/%d/items" % x["id"], {"position": "director",
                                                                  "person_id": people[0]["id"]})
        self.assertIn("position", bad.data["error"]["fields"])
        r = self.sec.post("/api/v1/meetings/%d/motions" % self.state["meeting"], {
            "title": "x", "kind": "ordinary", "ballot": "secret", "changeable": True})
        self.assertIn("changeable", r.data["error"]["fields"])
        ok(self.sec.post("/api/v1/motions/%d/open" % x["id"], {"minutes": 30}))
        choices = ["yes"] * 7 + ["no"] * 2 + ["abstain"]
        voters = [(self.chair_unit, None), (self.chair_unit, self.units[1])] + \
                 [(u, None) for u in self.units[2:10]]
        for (u, for_unit), c in zip(voters, choices):
            self.vote(x["id"], u, c, for_unit=for_unit)
        self.vote(x["id"], self.units[4], "yes", status=409)
        # While it runs, only the turnout shows -- to the secretariat too.
        live = ok(self.sec.get("/api/v1/motions/%d" % x["id"]))["tally"]
        self.assertEqual(live, {"cast": 10})
        ok(self.sec.post("/api/v1/motions/%d/close" % x["id"]))
        done = ok(self.sec.post("/api/v1/motions/%d/certify" % x["id"]))
        self.assertEqual((done["tally"]["yes"], done["tally"]["no"], done["tally"]["abstain"]),
                         (7, 2, 1))
        self.assertTrue(done["results"][0]["passed"])
        term = ok(S.client().get("/api/v1/terms/%d" % self.state["expert_committee"]))
        self.assertEqual([a["position"] for a in term["appointments"]],
                         ["chair", "vice_chair", "member", "member"])
        self.state["appointment"] = term["appointments"][0]

    def test_05_council_per_candidate(self):
        units = self.units
        x = self.motion({"title": "选举第一届理事会理事长、副理事长单位", "kind": "election",
                         "term_id": self.state["council"], "per_item": True})
        reps = {p["unit_id"]: p["id"] for p in ok(self.sec.get(
            "/api/v1/people?page_size=100&unit_id=%d" % self.chair_unit))["items"]}
        seats = [("chair", units[0]), ("vice_chair", units[2]), ("director", units[3])]
        for pos, u in seats:
            body = {"position": pos, "unit_id": u}
            if u in reps:
                body["person_id"] = reps[u]
            ok(self.sec.post("/api/v1/motions/%d/items" % x["id"], body))
        items = ok(self.sec.get("/api/v1/motions/%d" % x["id"]))["items"]
        ok(self.sec.post("/api/v1/motions/%d/open" % x["id"]))
        # The director candidate gets 5 yes of 10 present: not more than half.
        for k, (u, for_unit) in enumerate([(units[0], None), (units[0], units[1])] +
                                          [(u, None) for u in units[2:10]]):
            third = "yes" if k < 5 else "no"
            self.vote(x["id"], u, items=[{"item_id": items[0]["id"], "choice": "yes"},
                                         {"item_id": items[1]["id"], "choice": "yes"},
                                         {"item_id": items[2]["id"], "choice": third}],
                      for_unit=for_unit)
        r = self.vote(x["id"], units[2], items=[{"item_id": items[0]["id"], "choice": "yes"}],
                      status=400)
        self.assertIn("items", r.data["error"]["fields"])
        ok(self.sec.post("/api/v1/motions/%d/close" % x["id"]))
        done = ok(self.sec.post("/api/v1/motions/%d/certify" % x["id"]))
        self.assertEqual([r["position"] for r in done["results"]],
                         ["chair", "vice_chair", "director"])
        self.assertTrue(all(r["unit_name"] for r in done["results"]))
        passed = {r["item_id"]: (r["yes"], r["passed"]) for r in done["results"]}
        self.assertEqual(passed, {items[0]["id"]: (10, True), items[1]["id"]: (10, True),
                                  items[2]["id"]: (5, False)})
        term = ok(S.client().get("/api/v1/terms/%d" % self.state["council"]))
        self.assertEqual([(a["position"], a["unit_id"]) for a in term["appointments"]],
                         [("chair", units[0]), ("vice_chair", units[2])])
        res = ok(S.client().get("/api/v1/resolutions?meeting_id=%d" % self.state["meeting"]))
        self.assertEqual(res["total"], 3)

    def test_06_letters_and_verification(self):
        a = self.state["appointment"]
        r = self.sec.get("/api/v1/appointments/%d/letter" % a["id"])
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["content-type"], "application/pdf")
        raw = r.data
        self.assertTrue(raw.startswith(b"%PDF-"), raw[:40])
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(raw)
            f.flush()
            text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True,
                                  text=True).stdout
        self.assertIn(a["holder_name"], text)
        self.assertIn("专家委员会", text)
        # Not the letter of someone else's unit.
        self.assertEqual(S.login("teacher").get("/api/v1/appointments/%d/letter" % a["id"]).status,
                         404)
        # The secretariat sees the letters' codes; the public does not.
        term = ok(self.sec.get("/api/v1/terms/%d" % self.state["expert_committee"]))
        code = [x for x in term["appointments"] if x["id"] == a["id"]][0]["verify_code"]
        public = ok(S.client().get("/api/v1/terms/%d" % self.state["expert_committee"]))
        self.assertNotIn("verify_code", public["appointments"][0])
        self.assertIn(code, text)
        v = ok(S.client().get("/api/v1/appointments/verify?code=" + code.lower()))
        self.assertEqual((v["valid"], v["holder_name"], v["position"]),
                         (True, a["holder_name"], "chair"))
        self.assertEqual(S.client().get("/api/v1/appointments/verify?code=NOPE2345NOPE").status,
                         404)

    def test_07_secret_ballots_stay_secret(self):
        x = self.state["m_experts"]
        rows = S.login("auditor").get("/api/v1/audit?action=ballot.cast&page_size=100").data
        for row in rows["items"]:
            for word in ("yes", "no", "abstain", "choice"):
                self.assertNotIn(word, row.get("detail", ""), row)
        db = sqlite3.connect(S.db_path)
        cols = [c[1] for c in db.execute("PRAGMA table_info(secret_votes)")]
        self.assertEqual(cols, ["id", "motion_id", "item_id", "choice"])
        receipts = db.execute("SELECT count(*) FROM secret_receipts WHERE motion_id = ?",
                              (x,)).fetchone()[0]
        votes = db.execute("SELECT count(*) FROM secret_votes WHERE motion_id = ?", (x,)).fetchone()[0]
        in_open = db.execute("SELECT count(*) FROM ballots WHERE motion_id = ?", (x,)).fetchone()[0]
        db.close()
        self.assertEqual((receipts, votes, in_open), (10, 10, 0))
        m = ok(self.reps[self.chair_unit].get("/api/v1/motions/%d" % x))
        self.assertNotIn("ballots", m)
        self.assertEqual([a["voted"] for a in m["my"]["attendees"]], [True, True])

    def test_08_who_may_vote(self):
        mid = self.state["meeting"]
        x = self.motion({"title": "关于年度工作计划的议案", "kind": "ordinary", "changeable": True})
        ok(self.sec.post("/api/v1/motions/%d/open" % x["id"]))
        att = self.state["att"][self.chair_unit]
        # The teacher of the chair unit holds no meetings.vote permission.
        r = S.login("teacher").post("/api/v1/motions/%d/ballots" % x["id"],
                                    {"attendee_id": att, "choice": "yes"})
        self.assertEqual(r.status, 403)
        # A changeable motion takes a changed ballot while open.
        self.vote(x["id"], self.chair_unit, "no")
        self.vote(x["id"], self.chair_unit, "yes")
        t = ok(self.sec.get("/api/v1/motions/%d" % x["id"]))["tally"]
        self.assertEqual((t["cast"], t["yes"], t["no"]), (1, 1, 0))
        # Checked-in attendees who voted cannot be un-invited.
        self.assertEqual(self.sec.delete("/api/v1/meetings/%d/attendees/%d" % (mid, att)).status,
                         409)
        # Draft-only edits.
        self.assertEqual(self.sec.patch("/api/v1/motions/%d" % x["id"], {"title": "x"}).status,
                         409)
        # The meeting cannot close while this vote runs.
        r = self.sec.patch("/api/v1/meetings/%d" % mid, {"status": "closed"})
        self.assertEqual((r.status, r.data["error"]["code"]), (409, "conflict"))

    def test_09_expert_votes_as_a_person(self):
        """An expert committee meeting: the expert's account stands for a
        committee member (users.person_id) and votes as that person."""
        a = self.state["appointment"]
        admin = S.login("sysadmin")
        expert = admin.get("/api/v1/users?q=expert").data["items"][0]
        ok(admin.patch("/api/v1/users/%d" % expert["id"], {"person_id": a["person_id"]}))
        m = ok(self.sec.post("/api/v1/meetings", {"kind": "council", "title": "专家委员会会议",
                                                  "starts_at": "2031-05-10 14:00"}), 201)
        self.state["expert_meeting"] = m["id"]
        r = ok(self.sec.post("/api/v1/meetings/%d/attendees" % m["id"],
                             {"scope": "expert_committee"}), 201)
        current = ok(S.client().get("/api/v1/bodies"))["expert_committee"]["appointments"]
        self.assertEqual(r["added"], len({x["person_id"] for x in current}))
        # The new term's chair is not in the current committee yet: invited by name.
        ok(self.sec.post("/api/v1/meetings/%d/attendees" % m["id"],
                         {"person_id": a["person_id"]}), 201)
        ok(self.sec.patch("/api/v1/meetings/%d" % m["id"], {"status": "open"}))
        e = S.login("expert")
        ok(e.post("/api/v1/meetings/%d/check-in" % m["id"], {"code": m["checkin_code"]}))
        x = ok(self.sec.post("/api/v1/meetings/%d/motions" % m["id"],
                             {"title": "评审细则", "kind": "ordinary"}), 201)
        ok(self.sec.post("/api/v1/motions/%d/open" % x["id"]))
        me = ok(e.get("/api/v1/meetings/%d" % m["id"]))["me"]
        ok(e.post("/api/v1/motions/%d/ballots" % x["id"], {"attendee_id": me["attendee_id"],
                                                          "choice": "yes"}), 201)
        # A unit admin is not invited here.
        r = self.reps[self.chair_unit].post("/api/v1/meetings/%d/check-in" % m["id"],
                                            {"code": m["checkin_code"]})
        self.assertEqual(r.status, 404)

    def test_10_work_plan(self):
        t = ok(self.sec.post("/api/v1/plan/tasks", {
            "year": 2031, "title": "举办第一届技能大赛", "owner_unit_id": self.chair_unit,
            "deadline": "2031-10-31"}), 201)
        late = ok(self.sec.post("/api/v1/plan/tasks", {
            "year": 2031, "title": "编写共享课程目录", "owner_unit_id": self.units[2],
            "deadline": "2020-01-31"}), 201)
        self.assertTrue(late["overdue"])
        self.assertFalse(t["overdue"])
        up = ok(self.reps[self.chair_unit].post("/api/v1/plan/tasks/%d/updates" % t["id"], {
            "on_date": "2031-03-01", "percent": 40, "note": "赛项方案已定"}), 201)
        self.assertEqual((up["percent"], up["status"], len(up["updates"])), (40, "in_progress", 1))
        # Not another unit's task.
        r = self.reps[self.chair_unit].post("/api/v1/plan/tasks/%d/updates" % late["id"], {
            "on_date": "2031-03-01", "percent": 10, "note": "x"})
        self.assertEqual(r.status, 404)
        r = self.reps[self.chair_unit].post("/api/v1/plan/tasks/%d/updates" % t["id"], {
            "on_date": "2031-03-01", "percent": 140, "note": "x"})
        self.assertIn("percent", r.data["error"]["fields"])
        over = ok(self.sec.get("/api/v1/plan/tasks?year=2031&overdue=true"))["items"]
        self.assertEqual([i["id"] for i in over], [late["id"]])
        s = ok(self.sec.get("/api/v1/plan/summary?year=2031"))["units"]
        self.assertEqual(sum(u["tasks"] for u in s), 2)
        self.assertEqual(sum(u["overdue"] for u in s), 1)

    def test_11_charter_diff(self):
        v2 = ok(self.sec.post("/api/v1/charter/versions", {
            "title": "章程修正案", "based_on": self.state["charter"],
            "body": "# 第一章 总则\n\n第一条 本联盟名称为京津冀及周边技工教育联盟。\n\n"
                    "第二条 本联盟是自愿结成的非营利性合作组织，接受业务主管部门指导。\n"}), 201)
        d = ok(self.sec.get("/api/v1/charter/diff?from=%d&to=%d" % (self.state["charter"],
                                                                    v2["id"])))
        self.assertEqual((d["added"], d["deleted"]), (1, 1))
        self.assertEqual([l["op"] for l in d["lines"] if l["op"] != "same"], ["del", "add"])
        self.assertEqual(self.sec.get("/api/v1/charter/diff?from=%d&to=999999" %
                                      v2["id"]).status, 400)
        ok(self.sec.delete("/api/v1/charter/versions/%d" % v2["id"]))

    def test_12a_minutes_attachments(self):
        """SEC-C7: the type is checked by content, the bytes are stored under a
        server-made name outside any served folder, and served as an attachment."""
        mid = self.state["meeting"]
        url = "/api/v1/meetings/%d/attachments" % mid
        pdf = b"%PDF-1.4\n% minutes\n" + bytes(range(256)) * 8
        name = "筹备会议纪要（签字版）.pdf"
        r = self.sec.request("POST", url + "?name=" + name, raw=pdf,
                             content_type="application/octet-stream")
        self.assertEqual(r.status, 201, r.data)
        self.assertEqual((r.data["type"], r.data["size"]), ("application/pdf", len(pdf)))
        fid = r.data["id"]
        # A renamed executable is refused, whatever its name says.
        with open("/bin/true", "rb") as f:
            elf = f.read()
        r = self.sec.request("POST", url + "?name=minutes.pdf", raw=elf,
                             content_type="application/octet-stream")
        self.assertEqual(r.status, 400)
        self.assertIn("file", r.data["error"]["fields"])
        for bad in ("../../etc/passwd", "a/b.pdf", ""):
            r = self.sec.request("POST", url + "?name=" + bad, raw=pdf,
                                 content_type="application/octet-stream")
            self.assertEqual(r.status, 400, bad)
        big = b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024)
        r = self.sec.request("POST", url + "?name=big.pdf", raw=big,
                             content_type="application/octet-stream")
        self.assertEqual(r.status, 413)
        # Members read it; the unit admin may not add one.
        r = self.reps[self.chair_unit].get("%s/%d" % (url, fid))
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data, pdf)
        self.assertEqual(r.headers["content-type"], "application/pdf")
        cd = r.headers["content-disposition"]
        self.assertTrue(cd.startswith("attachment; "), cd)
        self.assertIn("filename*=UTF-8''%E7%AD%B9", cd)
        self.assertEqual(r.headers["x-content-type-options"], "nosniff")
        r = self.reps[self.chair_unit].request("POST", url + "?name=x.pdf", raw=pdf,
                                               content_type="application/octet-stream")
        self.assertEqual(r.status, 403)
        items = ok(self.reps[self.chair_unit].get(url))["items"]
        self.assertEqual([i["name"] for i in items], [name])
        # Stored outside the web root under a random name, byte for byte.
        db = sqlite3.connect(S.db_path)
        stored = db.execute("SELECT stored FROM files WHERE id = ?", (fid,)).fetchone()[0]
        db.close()
        self.assertRegex(stored, r"^[0-9a-f]{32}$")
        with open("%s/files/%s/%s" % (S.data, stored[:2], stored), "rb") as f:
            self.assertEqual(f.read(), pdf)
        ok(self.sec.delete("%s/%d" % (url, fid)))
        self.assertEqual(self.sec.get("%s/%d" % (url, fid)).status, 404)
        self.assertEqual(ok(self.sec.get(url))["items"], [])

    def test_13_rules_are_data(self):
        rules = ok(self.sec.get("/api/v1/vote-rules"))
        self.assertEqual({r["code"]: r["text"] for r in rules["items"]},
                         {"quorum": ">= 2/3 members", "ordinary": "> 1/2 present",
                          "charter": ">= 2/3 members", "election": "> 1/2 present"})
        self.assertEqual(rules["max_proxies"], 1)
        r = ok(self.sec.put("/api/v1/vote-rules", {"code": "ordinary", "base": "cast", "num": 3,
                                                   "den": 5, "strict": False}))
        self.assertIn(">= 3/5 cast", [x["text"] for x in r["items"]])
        for bad in ({"num": 0, "den": 2}, {"num": 3, "den": 2}, {"num": 1, "den": 1,
                                                                  "strict": True}):
            body = {"code": "ordinary", "base": "present", "strict": False}
            body.update(bad)
            self.assertEqual(self.sec.put("/api/v1/vote-rules", body).status, 400, bad)
        self.assertEqual(self.reps[self.chair_unit].put("/api/v1/vote-rules", {
            "code": "ordinary", "base": "present", "num": 1, "den": 2, "strict": True}).status, 403)
        ok(self.sec.put("/api/v1/vote-rules", {"code": "ordinary", "base": "present", "num": 1,
                                               "den": 2, "strict": True}))
        self.assertEqual(ok(self.sec.put("/api/v1/vote-rules/proxies",
                                         {"max_proxies": 2}))["max_proxies"], 2)
        self.assertEqual(self.sec.put("/api/v1/vote-rules/proxies", {"max_proxies": 11}).status, 400)
        ok(self.sec.put("/api/v1/vote-rules/proxies", {"max_proxies": 1}))

    def test_12_immutable_in_the_database(self):
        db = sqlite3.connect(S.db_path)
        for sql in ("UPDATE resolutions SET title = 'x'", "DELETE FROM resolutions",
                    "UPDATE motion_results SET yes = 99", "DELETE FROM motion_results"):
            with self.assertRaises(sqlite3.DatabaseError, msg=sql):
                db.execute(sql)
        db.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
