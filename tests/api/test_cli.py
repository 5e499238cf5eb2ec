"""The command line: help and exit codes, import and export of units,
backup and restore (SEC-E3), migrations, and the audit trail of CLI work.

Exit codes: 0 ok, 1 failure, 2 usage, 3 invalid data, 4 integrity check failed.
"""
import csv
import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import unittest
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

S = None
HEADER = "name,short_name,kind,uscc,city,role,status,joined,address,website,intro"


def setUpModule():
    global S
    S = harness.Server()  # a data folder; no server is started


def tearDownModule():
    S.cleanup()


def run(*args, input=None, binary=False):
    """Runs the binary without --data (for help and version)."""
    r = subprocess.run([harness.BIN] + list(args), input=input, capture_output=True,
                       text=not binary, cwd=S.tmp, env=S.env, timeout=60)
    harness.check_sanitizer(r.stderr, "jilian %s" % " ".join(args))
    return r


def query(data_dir, sql, args=()):
    db = sqlite3.connect(os.path.join(data_dir, "jilian.db"))
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def count_units(data_dir=None):
    return query(data_dir or S.data, "SELECT count(*) FROM units")[0][0]


def write_csv(rows, name):
    path = os.path.join(S.tmp, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER.split(","))
        for r in rows:
            w.writerow([r.get(k, "") for k in HEADER.split(",")])
    return path


_n = [0]


def new_rows(n):
    rows = []
    for _ in range(n):
        _n[0] += 1
        rows.append({"name": "命令行单位%d-%s" % (_n[0], harness.make_uscc()[9:15]),
                     "kind": "enterprise", "uscc": harness.make_uscc(), "city": "130300",
                     "role": "member", "status": "active", "joined": "2024-03-01"})
    return rows


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Help(unittest.TestCase):
    def test_version(self):
        r = run("version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^jilian \d+\.\d+\.\d+")
        self.assertEqual(run("--version").returncode, 0)

    def test_help(self):
        r = run("help")
        self.assertEqual(r.returncode, 0)
        for cmd in ("serve", "init", "migrate", "user", "import", "export", "backup", "restore",
                    "audit", "version"):
            self.assertIn(cmd, r.stdout)
        self.assertIn("exit codes", r.stdout)
        r = run("help", "import")
        self.assertEqual(r.returncode, 0)
        self.assertIn("import", r.stdout)

    def test_command_help(self):
        r = run("serve", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("--listen", r.stdout)
        r = run("backup", "-h")
        self.assertEqual(r.returncode, 0)
        self.assertIn("backup", r.stdout)

    def test_usage_errors(self):
        r = run("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command", r.stderr)
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("--bogus", "version").returncode, 2)
        self.assertEqual(S.cli("import").returncode, 2)
        self.assertEqual(S.cli("import", "people", "x.csv").returncode, 2)
        self.assertEqual(S.cli("export", "units", "--format", "pdf").returncode, 2)
        self.assertEqual(S.cli("export", "units", "--format", "xlsx").returncode, 2)  # no --out
        self.assertEqual(S.cli("audit").returncode, 2)
        self.assertEqual(S.cli("backup").returncode, 2)
        self.assertEqual(S.cli("restore").returncode, 2)
        self.assertEqual(S.cli("user").returncode, 2)


class ImportExport(unittest.TestCase):
    def test_dry_run_writes_nothing(self):
        rows = new_rows(3)
        path = write_csv(rows, "dry.csv")
        before = count_units()
        r = S.cli("import", "units", path, "--dry-run")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("3 rows, 3 valid", r.stdout)
        self.assertIn("dry run", r.stdout)
        self.assertEqual(count_units(), before)

    def test_import(self):
        rows = new_rows(4)
        path = write_csv(rows, "good.csv")
        before = count_units()
        r = S.cli("import", "units", path)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("imported", r.stdout)
        self.assertEqual(count_units(), before + 4)
        names = {n for (n,) in query(S.data, "SELECT name FROM units")}
        self.assertTrue(all(row["name"] in names for row in rows))
        audit = query(S.data, "SELECT username, action FROM audit_log WHERE action = "
                              "'units.import'")
        self.assertIn(("cli", "units.import"), audit)
        # Again: every row clashes now; exit 3, nothing written.
        r = S.cli("import", "units", path)
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertIn("nothing imported", r.stderr)
        self.assertEqual(count_units(), before + 4)

    def test_bad_row_writes_nothing(self):
        rows = new_rows(3)
        rows[2]["uscc"] = harness.bad_uscc(rows[2]["uscc"])
        path = write_csv(rows, "bad.csv")
        before = count_units()
        r = S.cli("import", "units", path)
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertIn("row 4, uscc", r.stderr)
        self.assertEqual(count_units(), before)
        r = S.cli("import", "units", path, "--dry-run")
        self.assertEqual(r.returncode, 3)
        r = S.cli("import", "units", os.path.join(S.tmp, "missing.csv"))
        self.assertEqual(r.returncode, 1)

    def test_import_from_stdin(self):
        rows = new_rows(1)
        with open(write_csv(rows, "stdin.csv"), encoding="utf-8") as f:
            text = f.read()
        before = count_units()
        r = S.cli("import", "units", "-", input=text)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(count_units(), before + 1)

    def test_export_csv(self):
        r = subprocess.run([harness.BIN, "--data", S.data, "export", "units", "--format", "csv"],
                           capture_output=True, cwd=S.tmp, env=S.env, timeout=60)
        harness.check_sanitizer(r.stderr, "jilian export")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(r.stdout[3:].decode("utf-8"))))
        self.assertEqual(rows[0][:3], ["id", "name", "short_name"])
        self.assertEqual(len([x for x in rows[1:] if x]), count_units())
        out = os.path.join(S.tmp, "units.csv")
        r = S.cli("export", "units", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            self.assertTrue(f.read().startswith(b"\xef\xbb\xbf"))

    def test_export_xlsx(self):
        out = os.path.join(S.tmp, "units.xlsx")
        r = S.cli("export", "units", "--format", "xlsx", "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, "rb") as f:
            data = f.read()
        self.assertTrue(data.startswith(b"PK"))
        z = zipfile.ZipFile(io.BytesIO(data))
        self.assertIsNone(z.testzip())
        self.assertTrue(any(n.startswith("xl/worksheets/") for n in z.namelist()))
        audit = query(S.data, "SELECT detail FROM audit_log WHERE action = 'units.export'")
        self.assertIn(("xlsx",), audit)

    def test_migrate_is_idempotent(self):
        schema = query(S.data, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
        for _ in range(2):
            r = S.cli("migrate")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("up to date", r.stdout)
        self.assertEqual(query(S.data, "SELECT type, name, sql FROM sqlite_master ORDER BY name"),
                         schema)
        r = S.cli("audit", "verify")
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_init_again_keeps_data(self):
        before = count_units()
        users = query(S.data, "SELECT count(*) FROM users")
        r = S.cli("init")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(count_units(), before)
        self.assertEqual(query(S.data, "SELECT count(*) FROM users"), users)
        r = S.cli("init", "--demo")
        self.assertNotEqual(r.returncode, 0, "demo data loaded twice")
        self.assertEqual(count_units(), before)


class BackupRestore(unittest.TestCase):
    """SEC-E3: online backup, checked restore."""

    def setUp(self):
        # A data folder of its own: restores replace its database.
        self.data = os.path.join(S.tmp, "br-%s" % self._testMethodName)
        shutil.copytree(S.data, self.data)

    def cli(self, *args, **kw):
        return S.cli(*args, data=self.data, **kw)

    def test_backup_then_restore_undoes_later_changes(self):
        backup = os.path.join(S.tmp, "backup-%s.db" % self._testMethodName)
        r = self.cli("backup", backup)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("integrity ok", r.stdout)
        units = count_units(self.data)
        # A change after the backup: a user and three units.
        r = self.cli("user", "add", "after_backup", "--role", "expert", "--password-stdin",
                     input="After-backup-pass-1\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.cli("import", "units", write_csv(new_rows(3), "after.csv"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(count_units(self.data), units + 3)
        r = self.cli("restore", backup)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(count_units(self.data), units)
        self.assertEqual(query(self.data, "SELECT count(*) FROM users WHERE username = ?",
                               ("after_backup",))[0][0], 0)
        r = self.cli("audit", "verify")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("intact", r.stdout)
        actions = [a for (a,) in query(self.data, "SELECT action FROM audit_log ORDER BY id")]
        self.assertEqual(actions[-1], "restore")
        self.assertIn("backup", actions)
        self.assertEqual(query(self.data, "PRAGMA integrity_check"), [("ok",)])

    def test_restore_into_another_folder_with_the_keys(self):
        backup = os.path.join(S.tmp, "backup-other.db")
        self.assertEqual(self.cli("backup", backup).returncode, 0)
        other = os.path.join(S.tmp, "restored-elsewhere")
        os.makedirs(os.path.join(other, "keys"))
        shutil.copy(os.path.join(self.data, "keys", "audit.key"), os.path.join(other, "keys"))
        r = S.cli("restore", backup, data=other)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(count_units(other), count_units(self.data))
        r = S.cli("audit", "verify", data=other)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_corrupt_backup_is_refused(self):
        db = os.path.join(self.data, "jilian.db")
        self.cli("migrate")  # settle the WAL into the file
        before = (sha(db), count_units(self.data),
                  query(self.data, "SELECT count(*) FROM audit_log")[0][0])
        junk = os.path.join(S.tmp, "junk.db")
        with open(junk, "wb") as f:
            f.write(os.urandom(64 * 1024))
        r = self.cli("restore", junk)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("nothing changed", r.stderr)
        self.assertEqual((sha(db), count_units(self.data),
                          query(self.data, "SELECT count(*) FROM audit_log")[0][0]), before)
        # A real database file with a damaged page is refused too.
        backup = os.path.join(S.tmp, "to-damage.db")
        self.assertEqual(self.cli("backup", backup).returncode, 0)
        with open(backup, "r+b") as f:
            size = f.seek(0, 2)
            f.seek(size // 4)
            f.write(os.urandom(size // 2))  # half the pages: tables and indexes alike
        units = count_units(self.data)
        r = self.cli("restore", backup)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertEqual(count_units(self.data), units)
        self.assertEqual(self.cli("audit", "verify").returncode, 0)
        r = self.cli("restore", os.path.join(S.tmp, "no-such-file.db"))
        self.assertEqual(r.returncode, 1)


if __name__ == "__main__":
    unittest.main()
