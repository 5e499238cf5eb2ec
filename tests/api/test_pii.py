"""Personal numbers at rest (SEC-D4, D5): phone and identity numbers are sealed in the
database and its backups, looked up by a keyed hash, masked by default and
shown in full only to pii.read_full holders, with an audit row each time."""
import csv
import glob
import os
import sqlite3
import stat
import time
import unittest

from harness import REPO, make_id_number, make_uscc, start_server

S = None
PHONE = "139%08d" % (time.monotonic_ns() % 10**8)
CONTACT = "137%08d" % ((time.monotonic_ns() // 7) % 10**8)
ID_NUMBER = make_id_number(check="X")


def setUpModule():
    global S
    S = start_server(JILIAN_PII_FULL_ROLES="alliance_admin")


def tearDownModule():
    S.close()


def files_with(data_dir, needle):
    """Every file under data_dir (database, WAL, backups) holding needle."""
    found = []
    for path in glob.glob(os.path.join(data_dir, "**", "*"), recursive=True):
        if os.path.isfile(path):
            with open(path, "rb") as f:
                if needle.encode() in f.read():
                    found.append(path)
    return found


class Pii(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        admin = S.login("secretariat")
        r = admin.post("/api/v1/people", {"name": "隐私测试", "phone": PHONE, "unit_id": 1,
                                          "id_number": ID_NUMBER[:-1] + "x"})
        assert r.status == 201, r.data
        cls.person = r.data["id"]
        r = S.client().post("/api/v1/applications", {
            "name": "隐私测试学校%d" % time.monotonic_ns(), "kind": "technical_school",
            "uscc": make_uscc(), "city": "130500", "contact_name": "钱二",
            "contact_phone": CONTACT})
        assert r.status == 201, r.data
        cls.application = r.data["id"]

    def test_masked_by_default(self):
        admin = S.login("secretariat")
        p = admin.get("/api/v1/people/%d" % self.person).data
        self.assertEqual(p["phone"], PHONE[:3] + "****" + PHONE[-4:])
        self.assertEqual(p["id_number"], ID_NUMBER[:6] + "********" + ID_NUMBER[-4:])
        a = admin.get("/api/v1/applications/%d" % self.application).data
        self.assertEqual(a["contact_phone"], CONTACT[:3] + "****" + CONTACT[-4:])
        items = admin.get("/api/v1/people?q=隐私测试").data["items"]
        self.assertTrue(all("****" in i["phone"] for i in items))
        self.assertTrue(all(i["id_number"] == "" or "********" in i["id_number"] for i in items))

    def test_full_read_needs_the_permission_and_is_audited(self):
        admin = S.login("secretariat")
        r = admin.get("/api/v1/people/%d?full=1" % self.person)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.data["phone"], PHONE)
        self.assertEqual(r.data["id_number"], ID_NUMBER)  # 'x' is kept as 'X'
        r = admin.get("/api/v1/applications/%d?full=1" % self.application)
        self.assertEqual(r.data["contact_phone"], CONTACT)
        self.assertEqual(S.login("unitadmin").get("/api/v1/people/%d?full=1" % self.person).status,
                         403)
        rows = S.login("auditor").get("/api/v1/audit?action=person.read_full").data["items"]
        self.assertIn("person:%d" % self.person, [x["object"] for x in rows])
        rows = S.login("auditor").get("/api/v1/audit?action=application.read_full").data["items"]
        self.assertIn("application:%d" % self.application, [x["object"] for x in rows])
        for row in S.login("auditor").get("/api/v1/audit?page_size=100").data["items"]:
            self.assertNotIn(PHONE, str(row))
            self.assertNotIn(ID_NUMBER, str(row))

    def test_exact_lookup_by_keyed_hash(self):
        admin = S.login("secretariat")
        r = admin.get("/api/v1/people?phone=" + PHONE)
        self.assertEqual(r.data["total"], 1)
        self.assertEqual(r.data["items"][0]["id"], self.person)
        self.assertEqual(admin.get("/api/v1/people?phone=13000000000").data["total"], 0)
        for spelling in (ID_NUMBER, ID_NUMBER[:-1] + "x"):
            r = admin.get("/api/v1/people?id_number=" + spelling)
            self.assertEqual([i["id"] for i in r.data["items"]], [self.person], spelling)
        r = admin.get("/api/v1/people?id_number=%s&phone=13000000000" % ID_NUMBER)
        self.assertEqual(r.data["total"], 0)

    def test_identity_number_checked_changed_and_cleared(self):
        admin = S.login("secretariat")
        bad = ID_NUMBER[:-1] + ("1" if ID_NUMBER[-1] != "1" else "2")
        for value in (bad, "12345", ID_NUMBER[:10] + "9913" + ID_NUMBER[14:]):
            r = admin.post("/api/v1/people", {"name": "证号测试", "unit_id": 1, "id_number": value})
            self.assertEqual(r.status, 400, value)
            self.assertIn("id_number", r.data["error"]["fields"], r.data)
        other = make_id_number(seed=7)
        r = admin.post("/api/v1/people", {"name": "证号测试", "unit_id": 2, "id_number": other})
        self.assertEqual(r.status, 201, r.data)
        pid = r.data["id"]
        self.assertEqual(admin.get("/api/v1/people?id_number=" + other).data["total"], 1)
        admin.patch("/api/v1/people/%d" % pid, {"title": "老师"})
        self.assertEqual(admin.get("/api/v1/people/%d?full=1" % pid).data["id_number"], other)
        admin.patch("/api/v1/people/%d" % pid, {"id_number": ""})
        self.assertEqual(admin.get("/api/v1/people/%d" % pid).data["id_number"], "")
        self.assertEqual(admin.get("/api/v1/people?id_number=" + other).data["total"], 0)

    def test_phone_change_and_approval_keep_it_sealed(self):
        admin = S.login("secretariat")
        other = "135%08d" % (time.monotonic_ns() % 10**8)
        r = admin.patch("/api/v1/people/%d" % self.person, {"title": "主任"})
        self.assertEqual(admin.get("/api/v1/people/%d?full=1" % self.person).data["phone"], PHONE)
        r = admin.post("/api/v1/people", {"name": "改号测试", "phone": other, "unit_id": 2})
        pid = r.data["id"]
        admin.patch("/api/v1/people/%d" % pid, {"phone": PHONE})
        self.assertEqual(admin.get("/api/v1/people/%d?full=1" % pid).data["phone"], PHONE)
        self.assertEqual(admin.get("/api/v1/people?phone=" + other).data["total"], 0)
        admin.patch("/api/v1/people/%d" % pid, {"phone": ""})
        self.assertEqual(admin.get("/api/v1/people/%d" % pid).data["phone"], "")

    def test_zz_database_and_backup_hold_no_full_number(self):
        """Runs last: stops the server, greps every file of the data folder."""
        admin = S.login("secretariat")
        r = admin.post("/api/v1/applications/%d/approve" % self.application)
        self.assertEqual(r.status, 200, r.data)
        contact = [p for p in admin.get("/api/v1/people?q=钱二").data["items"]]
        self.assertEqual(admin.get("/api/v1/people/%d?full=1" % contact[0]["id"]).data["phone"],
                         CONTACT)
        S.stop()
        backup = os.path.join(S.data, "backup.db")
        self.assertEqual(S.cli("backup", backup).returncode, 0)
        with open(os.path.join(REPO, "data", "demo", "people.csv"), encoding="utf-8") as f:
            demo = next(csv.DictReader(f))
        for needle in (PHONE, CONTACT, ID_NUMBER, ID_NUMBER[:-1] + "x", demo["phone"],
                       demo["id_number"]):
            self.assertEqual(files_with(S.data, needle), [], needle)
        keys = os.path.join(S.data, "keys")
        self.assertEqual(stat.S_IMODE(os.stat(keys).st_mode), 0o700)
        for k in ("pii.key", "pii-index.key", "audit.key"):
            self.assertEqual(stat.S_IMODE(os.stat(os.path.join(keys, k)).st_mode), 0o600)
        # A number left in plain by an older version is sealed at start-up.
        legacy = "136%08d" % (time.monotonic_ns() % 10**8)
        db = sqlite3.connect(S.db_path)
        with db:
            db.execute("UPDATE people SET phone_legacy = ? WHERE id = ?", (legacy, self.person))
        db.close()
        S.start()
        admin = S.login("secretariat")
        self.assertEqual(admin.get("/api/v1/people/%d?full=1" % self.person).data["phone"], legacy)
        S.stop()
        db = sqlite3.connect(S.db_path)
        left = db.execute("SELECT count(*) FROM people WHERE phone_legacy <> ''").fetchone()
        db.close()
        self.assertEqual(left[0], 0)
        self.assertEqual(files_with(S.data, legacy), [])
        S.start()


if __name__ == "__main__":
    unittest.main()
