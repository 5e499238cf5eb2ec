"""SEC-D2: the audit log is append-only and hash-chained; `jilian audit
verify` finds an altered row, a missing row and a cut-off tail.

The server makes some audited writes and is stopped; each tampering then
happens on its own copy of the data folder (database and keys), with the
server stopped, using python's sqlite3 directly on jilian.db.
"""
import os
import re
import shutil
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

S = None
API_VERIFY = None


def setUpModule():
    global S, API_VERIFY
    S = harness.start_server()
    try:
        sec = S.login("secretariat")
        body = {"name": "审计测试单位", "kind": "enterprise", "uscc": harness.make_uscc(),
                "city": "130100"}
        r = sec.post("/api/v1/units", body)
        assert r.status == 201, r
        uid = r.data["id"]
        assert sec.patch("/api/v1/units/%d" % uid, {"intro": "改过"}).status == 200
        S.client().login("secretariat", "wrong-password", expect=401)
        S.login("teacher").get("/api/v1/people")  # a denial
        sec.logout()
        API_VERIFY = S.login("auditor").get("/api/v1/audit/verify")
    except BaseException:
        S.close()
        raise
    S.stop()


def tearDownModule():
    S.cleanup()


def copy_data(tag):
    """A copy of the whole data folder (the key is needed to verify)."""
    dst = os.path.join(S.tmp, "copy-" + tag)
    shutil.copytree(S.data, dst)
    return dst


def connect(data_dir):
    db = sqlite3.connect(os.path.join(data_dir, "jilian.db"), isolation_level=None)
    return db


def drop_triggers(db):
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                              "AND tbl_name = 'audit_log'").fetchall():
        db.execute('DROP TRIGGER "%s"' % name)


def verify(data_dir):
    return S.cli("audit", "verify", data=data_dir)


class Tamper(unittest.TestCase):
    def test_intact_before_tampering(self):
        self.assertEqual(API_VERIFY.status, 200)
        self.assertIs(API_VERIFY.data["intact"], True, API_VERIFY.data)
        r = verify(S.data)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("intact", r.stdout)
        self.assertNotIn("NOT", r.stdout)
        rows = int(re.search(r"(\d+) rows", r.stdout).group(1))
        db = connect(S.data)
        try:
            actions = [a for (a,) in db.execute("SELECT action FROM audit_log ORDER BY id")]
            self.assertEqual(rows, len(actions))
        finally:
            db.close()
        for a in ("login", "unit.create", "unit.update", "access.denied", "logout"):
            self.assertIn(a, actions)

    def test_triggers_refuse_update_and_delete(self):
        data = copy_data("triggers")
        db = connect(data)
        try:
            before = db.execute("SELECT count(*), max(id) FROM audit_log").fetchone()
            with self.assertRaises(sqlite3.DatabaseError) as cm:
                db.execute("UPDATE audit_log SET detail = 'x' WHERE id = 2")
            self.assertIn("append-only", str(cm.exception))
            with self.assertRaises(sqlite3.DatabaseError):
                db.execute("DELETE FROM audit_log WHERE id = 2")
            with self.assertRaises(sqlite3.DatabaseError):
                db.execute("DELETE FROM audit_log")
            self.assertEqual(db.execute("SELECT count(*), max(id) FROM audit_log").fetchone(),
                             before)
        finally:
            db.close()
        self.assertEqual(verify(data).returncode, 0)

    def test_altered_row_found(self):
        data = copy_data("altered")
        db = connect(data)
        try:
            n = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
            target = n // 2
            drop_triggers(db)
            db.execute("UPDATE audit_log SET detail = detail || ' (edited)' WHERE id = ?",
                       (target,))
        finally:
            db.close()
        r = verify(data)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("NOT intact", r.stdout)
        self.assertRegex(r.stdout, r"\brow %d\b" % target)

    def test_other_altered_fields_found(self):
        for col, value in (("username", "username || 'x'"), ("result", "result || 'x'"),
                           ("at", "at + 1"), ("action", "action || 'x'"),
                           ("ip", "'10.0.0.1'"), ("user_id", "coalesce(user_id, 0) + 7")):
            with self.subTest(column=col):
                data = copy_data("field-" + col)
                db = connect(data)
                try:
                    drop_triggers(db)
                    db.execute("UPDATE audit_log SET %s = %s WHERE id = 3" % (col, value))
                finally:
                    db.close()
                r = verify(data)
                self.assertEqual(r.returncode, 4, r.stdout)
                self.assertRegex(r.stdout, r"\brow 3\b")

    def test_deleted_middle_row_found(self):
        data = copy_data("middle")
        db = connect(data)
        try:
            n = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
            target = n // 2
            drop_triggers(db)
            db.execute("DELETE FROM audit_log WHERE id = ?", (target,))
        finally:
            db.close()
        r = verify(data)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("NOT intact", r.stdout)
        self.assertRegex(r.stdout, r"\brow %d\b" % target)

    def test_deleted_last_row_found(self):
        data = copy_data("last")
        db = connect(data)
        try:
            n = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
            drop_triggers(db)
            db.execute("DELETE FROM audit_log WHERE id = ?", (n,))
        finally:
            db.close()
        r = verify(data)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("NOT intact", r.stdout)
        self.assertRegex(r.stdout, r"\brow %d\b" % n)

    def test_forged_row_found(self):
        """A row appended without the key cannot carry a valid hash."""
        data = copy_data("forged")
        db = connect(data)
        try:
            n = db.execute("SELECT max(id) FROM audit_log").fetchone()[0]
            db.execute("INSERT INTO audit_log(id, at, username, role, ip, action, object, "
                       "result, request_id, detail, hash) SELECT id + 1, at + 1, username, "
                       "role, ip, action, object, result, request_id, detail, hash "
                       "FROM audit_log WHERE id = ?", (n,))
        finally:
            db.close()
        r = verify(data)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"\brow %d\b" % (n + 1))

    def test_wrong_key_found(self):
        """The chain key lives outside the database: another key fails the chain."""
        data = copy_data("key")
        with open(os.path.join(data, "keys", "audit.key"), "wb") as f:
            f.write(os.urandom(32))
        r = verify(data)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"\brow 1\b")


if __name__ == "__main__":
    unittest.main()
