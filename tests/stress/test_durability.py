#!/usr/bin/env python3
"""Durability under crashes and online backups (SEC-E2, SEC-E3).

1. CrashTest: writer threads perform numbered writes (anonymous join
   applications, the secretariat's new people and approvals, which write a
   unit, its contact person and the application's status in one
   transaction) while the server is killed with SIGKILL at a random moment,
   restarted on the same data folder, and killed again, ROUNDS times. Then,
   with the server stopped, every acknowledged (2xx) write must be in the
   database with its audit row, nothing may be half-written,
   `PRAGMA integrity_check` must say ok and `jilian audit verify` must
   pass.

2. BackupTest: `jilian backup` under load (three copies, each intact and
   holding every write acknowledged before it started), a final backup, more
   changes, `jilian restore` of the final copy (table by table equal to the
   copy, audit chain intact), and restores of damaged files (exit 4, the
   database untouched).

Standard library only. Environment:
  JILIAN_BIN             the binary (default build/jilian)
  JILIAN_CRASH_ROUNDS    kill/restart rounds (default 50; "long mode" = more)
  JILIAN_CRASH_SEED      replay a run with the seed it printed
  JILIAN_CRASH_WRITERS   writer threads (default 4)
  JILIAN_CRASH_WRITES    most writes per writer thread and round (default 250)
  JILIAN_BACKUP_PAD_UNITS  units imported before the backup test so that a
                         backup takes many steps (default 4000, about 9 MB;
                         25000 make about 50-70 MB)
  JILIAN_BACKUP_TIMEOUT  seconds one `jilian backup` under load may take
                         (default 60)
  JILIAN_KEEP_TMP        keep the data folders

Run: python3 tests/stress/test_durability.py [-v]
"""
import collections
import glob
import hashlib
import http.client
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))
import harness  # noqa: E402

REPO = harness.REPO
MIGRATIONS = os.path.join(REPO, "src", "db", "migrations")

ROUNDS = int(os.environ.get("JILIAN_CRASH_ROUNDS") or 50)
WRITERS = min(9, int(os.environ.get("JILIAN_CRASH_WRITERS") or 4))  # thread 9: BackupTest
WRITES_PER_ROUND = int(os.environ.get("JILIAN_CRASH_WRITES") or 250)
# Units imported before the backup test so the database spans many backup
# steps (SQLite's backup API copies 256 pages per step and restarts when
# another connection writes in between); 4000 give about 9 MB.
PAD_UNITS = int(os.environ.get("JILIAN_BACKUP_PAD_UNITS") or 4000)
BACKUP_TIMEOUT = float(os.environ.get("JILIAN_BACKUP_TIMEOUT") or 60)
SEED = (int(os.environ["JILIAN_CRASH_SEED"]) if os.environ.get("JILIAN_CRASH_SEED")
        else random.SystemRandom().randrange(1, 2**31))

CITY = "130100"  # 石家庄市, a GB/T 2260 prefecture-level code
EXIT_INTEGRITY = 4
# Errors of the connection a SIGKILL causes (refused, reset, cut short).
CONN_ERRORS = (OSError, http.client.HTTPException)


def log(msg):
    print("[durability] " + msg, flush=True)


# --- identifiers -------------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_of(first17):
    """GB 32100: c = 31 - (sum mod 31), 31 -> 0."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    c = 31 - total % 31
    return first17 + USCC_ALPHABET[0 if c == 31 else c]


def numbered_uscc(thread, n):
    """Unique per (thread, n): 91 (company) 130100 MA<thread><n:06d>."""
    assert 0 <= thread < 10 and 0 <= n < 10**6
    return uscc_of("91" + CITY + "MA%d%06d" % (thread, n))


def numbered_mobile(thread, n):
    return "138%d%07d" % (thread, n % 10**7)


# --- the schema, read from the migrations -------------------------------------------


def _columns(body):
    parts, depth, cur = [], 0, ""
    for ch in body:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    cols = []
    for p in parts:
        words = p.split()
        if words and words[0].upper() not in ("PRIMARY", "UNIQUE", "CHECK", "FOREIGN",
                                              "CONSTRAINT"):
            cols.append(words[0].strip('"`'))
    return cols


def migration_schema():
    """{table: [column, ...]} as src/db/migrations/*.sql leave it: CREATE TABLE,
    then ALTER TABLE ADD / RENAME / DROP COLUMN, RENAME TO and DROP TABLE, in
    order."""
    tables = collections.OrderedDict()
    files = sorted(glob.glob(os.path.join(MIGRATIONS, "*.sql")))
    if not files:
        raise AssertionError("no migrations under %s" % MIGRATIONS)
    stmt = re.compile(
        r"CREATE TABLE (?:IF NOT EXISTS )?(?P<create>\w+)\s*\((?P<body>.*?)\)\s*(?:STRICT\s*)?;"
        r"|ALTER TABLE (?P<add_t>\w+) ADD (?:COLUMN )?(?P<add_c>\w+)"
        r"|ALTER TABLE (?P<ren_t>\w+) RENAME (?:COLUMN )?(?P<ren_a>\w+) TO (?P<ren_b>\w+)"
        r"|ALTER TABLE (?P<drop_t>\w+) DROP (?:COLUMN )?(?P<drop_c>\w+)"
        r"|DROP TABLE (?:IF EXISTS )?(?P<gone>\w+)", re.S | re.I)
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"--[^\n]*", "", f.read())
        for m in stmt.finditer(text):
            g = m.groupdict()
            if g["create"]:
                tables[g["create"]] = _columns(g["body"])
            elif g["add_t"]:
                tables.setdefault(g["add_t"], []).append(g["add_c"])
            elif g["ren_t"]:
                cols = tables.get(g["ren_t"], [])
                if g["ren_a"] in cols:
                    cols[cols.index(g["ren_a"])] = g["ren_b"]
            elif g["drop_t"]:
                cols = tables.get(g["drop_t"], [])
                if g["drop_c"] in cols:
                    cols.remove(g["drop_c"])
            elif g["gone"]:
                tables.pop(g["gone"], None)
        for m in re.finditer(r"ALTER TABLE (\w+) RENAME TO (\w+)", text, re.I):
            if m.group(1) in tables:
                tables[m.group(2)] = tables.pop(m.group(1))
    return tables


SCHEMA = migration_schema()
COMPARED_TABLES = ("applications", "people", "units", "audit_log")
# Columns the checks below rely on.
NEEDED = {
    "applications": ("id", "name", "uscc", "status", "unit_id", "contact_name", "reviewed_by",
                     "reviewed_at"),
    "people": ("id", "unit_id", "name"),
    "units": ("id", "name", "uscc"),
    "audit_log": ("id", "action", "object", "detail"),
}


def open_db(path):
    if not os.path.exists(path):
        raise AssertionError("no database at %s" % path)
    return sqlite3.connect(path, timeout=30)


def check_schema(conn, where):
    for table, cols in NEEDED.items():
        declared = SCHEMA.get(table)
        if declared is None:
            raise AssertionError("the migrations no longer create table %s" % table)
        missing = [c for c in cols if c not in declared]
        if missing:
            raise AssertionError("the migrations no longer declare %s.%s" % (table, missing))
        live = [r[1] for r in conn.execute("PRAGMA table_info(%s)" % table)]
        if [c for c in declared if c not in live]:
            raise AssertionError("%s: table %s has columns %s, the migrations declare %s "
                                 "(a binary older than src/db/migrations? rebuild)" %
                                 (where, table, live, declared))


def integrity(conn):
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return "\n".join(str(r[0]) for r in rows)


def dump_table(conn, table):
    cols = SCHEMA[table]
    return conn.execute("SELECT %s FROM %s ORDER BY rowid" % (", ".join(cols), table)).fetchall()


def dump(path):
    conn = open_db(path)
    try:
        return {t: dump_table(conn, t) for t in COMPARED_TABLES}
    finally:
        conn.close()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# --- the writers ---------------------------------------------------------------------


class Ledger:
    """Everything the writers sent and what the server acknowledged."""

    def __init__(self, app_prefix, person_prefix, contact_prefix):
        self.lock = threading.Lock()
        self.app_prefix = app_prefix
        self.person_prefix = person_prefix
        self.contact_prefix = contact_prefix
        self.apps = {}        # name -> (id, uscc, contact_name)
        self.people = {}      # name -> id
        self.approvals = {}   # application id -> (name, unit_id, contact_name)
        self.approvable = []  # acknowledged applications not yet sent for approval
        self.unacked = collections.Counter()  # op -> writes sent without an answer
        self.unexpected = []  # (op, status, body) of non-2xx answers
        self.next_n = collections.defaultdict(int)
        self.relogins = 0

    def number(self, thread):
        with self.lock:
            self.next_n[thread] += 1
            return self.next_n[thread]

    def acked(self):
        return len(self.apps) + len(self.people) + len(self.approvals)

    def snapshot(self):
        with self.lock:
            return dict(self.apps), dict(self.people), dict(self.approvals)


class Session:
    """The secretariat's session, shared by the writers (re-login on 401)."""

    def __init__(self, server, username="secretariat"):
        self.server = server
        self.username = username
        self.lock = threading.Lock()
        self.cookie = self.csrf = None

    def login(self, port):
        c = harness.Client(port)
        c.login(self.username, self.server.logins[self.username])
        with self.lock:
            self.cookie, self.csrf = c.cookie, c.csrf

    def client(self, port):
        c = harness.Client(port)
        with self.lock:
            c.cookie, c.csrf = self.cookie, self.csrf
        return c

    def ensure(self, port, ledger):
        """After a restart: the acknowledged login must still hold."""
        r = self.client(port).get("/api/v1/me")
        if r.status == 401:
            ledger.relogins += 1
            self.login(port)
        elif r.status != 200:
            raise AssertionError("GET /api/v1/me: %s %r" % (r.status, r.data))


class Writer(threading.Thread):
    """Numbered writes until `limit` is reached, `stop` is set or the server
    goes away. Only 2xx answers count as acknowledged."""

    MIX = (("apply", 0.45), ("person", 0.30), ("approve", 0.25))

    def __init__(self, index, port, session, ledger, rng, limit, stop):
        super().__init__(name="writer-%d" % index, daemon=True)
        self.index = index
        self.port = port
        self.session = session
        self.ledger = ledger
        self.rng = rng
        self.limit = limit
        self.stop = stop
        self.sent = 0
        self.acked = 0
        self.cut_off = None  # the exception that ended the thread
        self.anon = harness.Client(port)
        self.sec = session.client(port)

    def run(self):
        try:
            while not self.stop.is_set() and (self.limit is None or self.sent < self.limit):
                x = self.rng.random()
                op = "apply" if x < 0.45 else ("person" if x < 0.75 else "approve")
                if op == "approve" and not self.approve():
                    op = "apply"
                if op == "apply":
                    self.apply()
                elif op == "person":
                    self.person()
        except CONN_ERRORS as e:
            self.cut_off = e
        except BaseException as e:  # a test bug: report it, do not hang the round
            self.cut_off = e
            with self.ledger.lock:
                self.ledger.unexpected.append(("exception", 0, repr(e)))

    def _send(self, op, client, path, body):
        self.sent += 1
        try:
            r = client.post(path, body, timeout=30)
        except CONN_ERRORS:
            with self.ledger.lock:
                self.ledger.unacked[op] += 1
            raise
        if r.status == 401 and client is self.sec:
            # the session was lost: log in again and resend (a new write)
            with self.ledger.lock:
                self.ledger.relogins += 1
            self.session.login(self.port)
            self.sec = self.session.client(self.port)
            return self._send(op, self.sec, path, body)
        if 200 <= r.status < 300:
            self.acked += 1
            return r
        with self.ledger.lock:
            self.ledger.unexpected.append((op + " " + path, r.status, r.data))
        return None

    def apply(self):
        n = self.ledger.number(self.index)
        name = "%s%d-%d" % (self.ledger.app_prefix, self.index, n)
        contact = "%s%d-%d" % (self.ledger.contact_prefix, self.index, n)
        uscc = numbered_uscc(self.index, n)
        r = self._send("apply", self.anon, "/api/v1/applications", {
            "name": name, "kind": "enterprise", "uscc": uscc, "city": CITY,
            "contact_name": contact, "contact_phone": numbered_mobile(self.index, n)})
        if r is None:
            return
        aid = r.data["id"]
        with self.ledger.lock:
            self.ledger.apps[name] = (aid, uscc, contact)
            self.ledger.approvable.append((aid, name, contact))

    def person(self):
        n = self.ledger.number(self.index)
        name = "%s%d-%d" % (self.ledger.person_prefix, self.index, n)
        r = self._send("person", self.sec, "/api/v1/people", {"unit_id": 1, "name": name})
        if r is None:
            return
        with self.ledger.lock:
            self.ledger.people[name] = r.data["id"]

    def approve(self):
        with self.ledger.lock:
            if not self.ledger.approvable:
                return False
            pick = self.ledger.approvable.pop(self.rng.randrange(len(self.ledger.approvable)))
        aid, name, contact = pick
        r = self._send("approve", self.sec, "/api/v1/applications/%d/approve" % aid, {})
        if r is None:
            return True
        unit = r.data.get("unit_id")
        if r.data.get("status") != "approved" or not isinstance(unit, int):
            with self.ledger.lock:
                self.ledger.unexpected.append(("approve answer", r.status, r.data))
            return True
        with self.ledger.lock:
            self.ledger.approvals[aid] = (name, unit, contact)
        return True


# --- the checks ----------------------------------------------------------------------


def missing_acknowledged(conn, ledger, apps=None, people=None, approvals=None):
    """The acknowledged writes (all, or the given snapshot) absent from conn:
    a list of messages; also the number checked."""
    apps = ledger.apps if apps is None else apps
    people = ledger.people if people is None else people
    approvals = ledger.approvals if approvals is None else approvals
    like = lambda p: (p + "%",)  # noqa: E731
    db_apps = {r[0]: r[1:] for r in conn.execute(
        "SELECT name, id, uscc, status, unit_id, contact_name FROM applications "
        "WHERE name LIKE ?", like(ledger.app_prefix))}
    db_people = {r[0]: r[1:] for r in conn.execute(
        "SELECT name, id, unit_id FROM people WHERE name LIKE ?", like(ledger.person_prefix))}
    units = {r[0]: r[1:] for r in conn.execute("SELECT id, name, uscc FROM units")}
    contacts = set(conn.execute("SELECT unit_id, name FROM people WHERE name LIKE ?",
                                like(ledger.contact_prefix)).fetchall())
    audit = set(conn.execute("SELECT action, object FROM audit_log WHERE action IN "
                             "('application.create', 'person.create', 'application.approve', "
                             "'unit.create')").fetchall())
    bad = []
    for name, (aid, uscc, _contact) in apps.items():
        row = db_apps.get(name)
        if row is None:
            bad.append("acknowledged application %d %s is missing" % (aid, name))
        elif row[0] != aid or row[1] != uscc:
            bad.append("application %s: id/uscc %r, acknowledged %r" % (name, row[:2], (aid, uscc)))
        if ("application.create", "application:%d" % aid) not in audit:
            bad.append("acknowledged application %d has no audit row" % aid)
    for name, pid in people.items():
        row = db_people.get(name)
        if row is None:
            bad.append("acknowledged person %d %s is missing" % (pid, name))
        elif row[0] != pid or row[1] != 1:
            bad.append("person %s: (id, unit) %r, acknowledged (%d, 1)" % (name, row, pid))
        if ("person.create", "person:%d" % pid) not in audit:
            bad.append("acknowledged person %d has no audit row" % pid)
    for aid, (name, unit, contact) in approvals.items():
        row = db_apps.get(name)
        if row is None or row[2] != "approved" or row[3] != unit:
            bad.append("acknowledged approval of application %d: row %r (unit %d)" %
                       (aid, row, unit))
        u = units.get(unit)
        if u is None or u[0] != name:
            bad.append("acknowledged approval of application %d: unit %d is %r" % (aid, unit, u))
        if (unit, contact) not in contacts:
            bad.append("acknowledged approval of application %d: contact %s of unit %d missing" %
                       (aid, contact, unit))
        if ("application.approve", "application:%d" % aid) not in audit or \
                ("unit.create", "unit:%d" % unit) not in audit:
            bad.append("acknowledged approval of application %d: audit rows missing" % aid)
    return bad, len(apps) + len(people) + len(approvals)


def half_written(conn, ledger):
    """Objects only partly written, whoever wrote them (SQL on the file)."""
    like = lambda p: (p + "%",)  # noqa: E731
    checks = [
        ("approved application without its unit",
         "SELECT a.id FROM applications a LEFT JOIN units u ON u.id = a.unit_id "
         "WHERE a.status = 'approved' AND u.id IS NULL", ()),
        ("approved application whose unit does not match it",
         "SELECT a.id FROM applications a JOIN units u ON u.id = a.unit_id "
         "WHERE a.status = 'approved' AND (u.name <> a.name OR u.uscc <> a.uscc)", ()),
        ("approved application whose unit lacks the contact person",
         "SELECT a.id FROM applications a WHERE a.status = 'approved' AND NOT EXISTS "
         "(SELECT 1 FROM people p WHERE p.unit_id = a.unit_id AND p.name = a.contact_name)", ()),
        ("approved application without reviewer or review time",
         "SELECT id FROM applications WHERE status = 'approved' AND "
         "(reviewed_by IS NULL OR reviewed_at IS NULL)", ()),
        ("pending application with a unit or a review",
         "SELECT id FROM applications WHERE status = 'pending' AND "
         "(unit_id IS NOT NULL OR reviewed_at IS NOT NULL OR reviewed_by IS NOT NULL)", ()),
        ("unit created from an application that is still pending",
         "SELECT u.id FROM units u JOIN applications a ON a.uscc = u.uscc "
         "WHERE a.status = 'pending'", ()),
        ("test unit without an approved application",
         "SELECT u.id FROM units u WHERE u.name LIKE ? AND NOT EXISTS (SELECT 1 FROM "
         "applications a WHERE a.unit_id = u.id AND a.status = 'approved')",
         like(ledger.app_prefix)),
        ("contact person whose unit came from no approved application",
         "SELECT p.id FROM people p WHERE p.name LIKE ? AND NOT EXISTS (SELECT 1 FROM "
         "applications a WHERE a.status = 'approved' AND a.unit_id = p.unit_id AND "
         "a.contact_name = p.name)", like(ledger.contact_prefix)),
        ("test application without its audit row",
         "SELECT a.id FROM applications a WHERE a.name LIKE ? AND NOT EXISTS (SELECT 1 FROM "
         "audit_log l WHERE l.action = 'application.create' AND l.object = 'application:' || "
         "a.id)", like(ledger.app_prefix)),
        ("application.create audit row without its application",
         "SELECT l.id FROM audit_log l WHERE l.action = 'application.create' AND NOT EXISTS "
         "(SELECT 1 FROM applications a WHERE 'application:' || a.id = l.object)", ()),
        ("test person without its audit row",
         "SELECT p.id FROM people p WHERE p.name LIKE ? AND NOT EXISTS (SELECT 1 FROM "
         "audit_log l WHERE l.action = 'person.create' AND l.object = 'person:' || p.id)",
         like(ledger.person_prefix)),
        ("person.create audit row without its person",
         "SELECT l.id FROM audit_log l WHERE l.action = 'person.create' AND NOT EXISTS "
         "(SELECT 1 FROM people p WHERE 'person:' || p.id = l.object)", ()),
        ("approved test application without its approval audit row",
         "SELECT a.id FROM applications a WHERE a.status = 'approved' AND a.name LIKE ? AND "
         "NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'application.approve' AND "
         "l.object = 'application:' || a.id)", like(ledger.app_prefix)),
        ("application.approve audit row of an application not approved",
         "SELECT l.id FROM audit_log l WHERE l.action = 'application.approve' AND NOT EXISTS "
         "(SELECT 1 FROM applications a WHERE 'application:' || a.id = l.object AND "
         "a.status = 'approved')", ()),
        ("unit.create audit row without its unit",
         "SELECT l.id FROM audit_log l WHERE l.action = 'unit.create' AND NOT EXISTS "
         "(SELECT 1 FROM units u WHERE 'unit:' || u.id = l.object)", ()),
    ]
    bad = []
    for what, sql, args in checks:
        ids = [r[0] for r in conn.execute(sql, args).fetchall()]
        if ids:
            bad.append("%s: %d, ids %s" % (what, len(ids), ids[:20]))
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        bad.append("foreign_key_check: %s" % fk[:20])
    return bad


def present_unacked(conn, ledger):
    """How many test rows exist beyond the acknowledged ones (writes sent,
    committed, whose answer the kill cut off)."""
    napps = conn.execute("SELECT count(*) FROM applications WHERE name LIKE ?",
                         (ledger.app_prefix + "%",)).fetchone()[0]
    npeople = conn.execute("SELECT count(*) FROM people WHERE name LIKE ?",
                           (ledger.person_prefix + "%",)).fetchone()[0]
    acked_names = {name for name, _u, _c in ledger.approvals.values()}
    nappr = conn.execute("SELECT name FROM applications WHERE status = 'approved' AND name "
                         "LIKE ?", (ledger.app_prefix + "%",)).fetchall()
    return (napps - len(ledger.apps), npeople - len(ledger.people),
            len([r for r in nappr if r[0] not in acked_names]))


def kill9(server):
    """SIGKILL, no clean-up at all."""
    proc, server.proc = server.proc, None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    server.stderr_file.close()
    return proc.returncode


def audit_verify(server, data=None):
    r = server.cli("audit", "verify", data=data)
    return r.returncode, (r.stdout + r.stderr).strip()


def server_errors(server):
    """Lines of the server's stderr that say a write or its audit row failed."""
    text = server.stderr_text()
    harness.check_sanitizer(text, "jilian serve")
    return [line for line in text.splitlines()
            if "could not record" in line or "db: " in line or "internal" in line.lower()]


# --- the tests -------------------------------------------------------------------------


def setUpModule():
    log("seed %d (replay with JILIAN_CRASH_SEED=%d), %d rounds, %d writers, <= %d writes "
        "per writer and round, binary %s" % (SEED, SEED, ROUNDS, WRITERS, WRITES_PER_ROUND,
                                              harness.BIN))
    if not os.access(harness.BIN, os.X_OK):
        raise unittest.SkipTest("no binary at %s (ninja -C build)" % harness.BIN)


class CrashTest(unittest.TestCase):
    """SEC-E2: kill -9 at random moments; acknowledged writes survive."""

    def setUp(self):
        self.rng = random.Random(SEED)
        self.server = harness.Server()

    def tearDown(self):
        if self.server.proc is not None:
            kill9(self.server)
        self.server.cleanup()

    def test_kill9_rounds(self):
        srv = self.server
        started = time.monotonic()
        ledger = Ledger("崩溃测试-", "crash-", "崩溃联系人-")
        with open_db(srv.db_path) as conn:
            check_schema(conn, "fresh database")
            taken = {r[0] for r in conn.execute("SELECT uscc FROM units")}
        clash = [u for u in (numbered_uscc(t, 1) for t in range(WRITERS)) if u in taken]
        self.assertEqual(clash, [], "test credit codes clash with the demo units")
        session = Session(srv)
        srv.start()
        session.login(srv.port)
        per_round = []
        for rnd in range(ROUNDS):
            if rnd:
                try:
                    srv.start()
                except RuntimeError as e:
                    self.fail("round %d (seed %d): the server does not start after SIGKILL: %s" %
                              (rnd + 1, SEED, e))
                session.ensure(srv.port, ledger)
            stop = threading.Event()
            writers = [Writer(t, srv.port, session, ledger,
                              random.Random(self.rng.randrange(2**62)), WRITES_PER_ROUND, stop)
                       for t in range(WRITERS)]
            delay = self.rng.uniform(0.05, 0.4)
            before = ledger.acked()
            for w in writers:
                w.start()
            time.sleep(delay)
            kill9(srv)
            stop.set()
            for w in writers:
                w.join(60)
                self.assertFalse(w.is_alive(), "%s hangs after the kill" % w.name)
            finished = sum(1 for w in writers if w.cut_off is None)
            per_round.append((delay, ledger.acked() - before, finished))
            if ledger.unexpected:
                break
        self.assertEqual(ledger.unexpected[:10], [],
                         "unexpected answers (%d), round %d" % (len(ledger.unexpected), rnd + 1))
        elapsed_writes = time.monotonic() - started

        # The server is dead (SIGKILL); check the file as it was left.
        with open_db(srv.db_path) as conn:
            check_schema(conn, "after the crashes")
            self.assertEqual(integrity(conn), "ok", "PRAGMA integrity_check after the crashes")
            lost, checked = missing_acknowledged(conn, ledger)
            broken = half_written(conn, ledger)
            extra = present_unacked(conn, ledger)
        conn.close()
        self.assertEqual(lost[:20], [], "%d acknowledged writes lost (seed %d)" % (len(lost), SEED))
        self.assertEqual(broken, [], "half-written objects (seed %d)" % SEED)
        rc, out = audit_verify(srv)
        self.assertEqual(rc, 0, "jilian audit verify after the crashes: " + out)
        # One more start, then a clean stop: the data folder still serves.
        srv.start()
        session.ensure(srv.port, ledger)
        some = next(iter(ledger.approvals), None)
        if some is not None:
            r = session.client(srv.port).get("/api/v1/applications/%d" % some)
            self.assertEqual((r.status, r.data.get("status")), (200, "approved"))
        srv.stop()
        errors = server_errors(srv)
        self.assertEqual([e for e in errors if "could not record" in e], [],
                         "audit rows the server could not write")
        sizes = [n for _d, n, _f in per_round]
        log("crash: %d rounds survived, %d acknowledged writes checked (%d applications, "
            "%d people, %d approvals), per round %d..%d (mean %.0f); %d rounds ended before the "
            "kill in some writer; sent without an answer (or refused): %s, of which present: %d applications, "
            "%d people, %d approvals; session lost after a restart %d times; %.1f s (%.1f s of rounds)" %
            (len(per_round), checked, len(ledger.apps), len(ledger.people),
             len(ledger.approvals), min(sizes), max(sizes), sum(sizes) / len(sizes),
             sum(1 for _d, _n, f in per_round if f), dict(ledger.unacked), extra[0], extra[1],
             extra[2], ledger.relogins, time.monotonic() - started, elapsed_writes))
        if errors:
            log("crash: server error lines (%d), first: %s" % (len(errors), errors[:3]))
        self.assertGreater(len(ledger.approvals), 0, "no approval was acknowledged")


class BackupTest(unittest.TestCase):
    """SEC-E3: online backups under load, restore and compare, bad restores."""

    def setUp(self):
        self.rng = random.Random(SEED + 1)
        self.server = harness.Server()
        self.stop = threading.Event()
        self.writers = []

    def tearDown(self):
        self.stop.set()
        for w in self.writers:
            w.join(30)
        if self.server.proc is not None:
            kill9(self.server)
        self.server.cleanup()

    def pad(self, n):
        """Imports n units (CLI, one transaction) with long intros."""
        path = os.path.join(self.server.tmp, "pad.csv")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("name,short_name,kind,uscc,city,role,status,joined,address,website,intro\r\n")
            for i in range(n):
                f.write("填充单位%d,,enterprise,%s,%s,member,active,2024-01-01,,,%s\r\n" %
                        (i, uscc_of("91%sMB%07d" % (CITY, i)), CITY, "填" * 600))
        r = self.server.cli("import", "units", path, timeout=300)
        self.assertEqual(r.returncode, 0, "padding import: %s %s" % (r.stdout, r.stderr[-2000:]))
        os.unlink(path)

    def backup(self, path):
        t0 = time.monotonic()
        try:
            r = self.server.cli("backup", path, timeout=BACKUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail("jilian backup did not finish within %.0f s under write load (database "
                      "%d KiB): the online backup restarts whenever the server commits between "
                      "two backup steps" % (BACKUP_TIMEOUT, os.path.getsize(self.server.db_path)
                                            // 1024))
        self.last_backup_s = time.monotonic() - t0
        self.assertEqual(r.returncode, 0, "jilian backup %s: %s %s" % (path, r.stdout, r.stderr))
        self.assertIn("integrity ok", r.stdout)
        with open_db(path) as conn:
            self.assertEqual(integrity(conn), "ok", "PRAGMA integrity_check of " + path)
            self.assertEqual(conn.execute("PRAGMA foreign_key_check").fetchall(), [])
        conn.close()

    def verify_copy(self, path):
        """`jilian audit verify` on a data folder made of the copy and the keys."""
        d = os.path.join(self.server.tmp, "verify-" + os.path.basename(path))
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(os.path.join(self.server.data, "keys"), os.path.join(d, "keys"))
        shutil.copyfile(path, os.path.join(d, "jilian.db"))
        rc, out = audit_verify(self.server, data=d)
        self.assertEqual(rc, 0, "audit verify of the copy %s: %s" % (path, out))
        shutil.rmtree(d, ignore_errors=True)

    def restore(self, path):
        r = self.server.cli("restore", path, timeout=120)
        return r.returncode, (r.stdout + r.stderr).strip()

    def state(self):
        """The database file's hash (and its -wal) and its compared tables."""
        db = self.server.db_path
        wal = db + "-wal"
        return (sha256(db), sha256(wal) if os.path.exists(wal) else None), dump(db)

    def test_backup_under_load_and_restore(self):
        srv = self.server
        started = time.monotonic()
        tmp = srv.tmp
        ledger = Ledger("备份测试-", "backup-", "备份联系人-")
        session = Session(srv)
        if PAD_UNITS:
            self.pad(PAD_UNITS)
        with open_db(srv.db_path) as conn:
            check_schema(conn, "fresh database")
        conn.close()
        size = os.path.getsize(srv.db_path) // 1024
        srv.start()
        session.login(srv.port)
        self.writers = [Writer(t, srv.port, session, ledger,
                               random.Random(self.rng.randrange(2**62)), None, self.stop)
                        for t in range(max(2, WRITERS - 1))]
        for w in self.writers:
            w.start()
        time.sleep(0.3)
        checked = 0
        for i in range(3):
            apps, people, approvals = ledger.snapshot()  # acknowledged before the backup
            path = os.path.join(tmp, "load-%d.db" % i)
            self.backup(path)
            took = self.last_backup_s
            with open_db(path) as conn:
                lost, n = missing_acknowledged(conn, ledger, apps, people, approvals)
                broken = half_written(conn, ledger)
            conn.close()
            checked += n
            self.assertEqual(lost[:20], [], "backup %d misses acknowledged writes" % i)
            self.assertEqual(broken, [], "backup %d holds half-written objects" % i)
            self.verify_copy(path)
            log("backup %d under load: %.2f s, %d acknowledged writes in it checked, "
                "%d KiB" % (i, took, n, os.path.getsize(path) // 1024))
            self.assertTrue(all(w.is_alive() for w in self.writers),
                            "a writer stopped: %r" % [w.cut_off for w in self.writers])
            time.sleep(self.rng.uniform(0.1, 0.4))
        self.stop.set()
        for w in self.writers:
            w.join(60)
            self.assertIsNone(w.cut_off, "%s was cut off: %r" % (w.name, w.cut_off))
        self.assertEqual(ledger.unexpected[:10], [], "unexpected answers under backup load")

        # The final backup holds every acknowledged write.
        final = os.path.join(tmp, "final.db")
        self.backup(final)
        with open_db(final) as conn:
            lost, n = missing_acknowledged(conn, ledger)
        conn.close()
        checked += n
        self.assertEqual(lost[:20], [], "the final backup misses acknowledged writes")
        reference = dump(final)
        final_sha = sha256(final)

        # Further changes, then a clean stop.
        more = Ledger("备份后-", "after-backup-", "备份后联系人-")
        w = Writer(9, srv.port, session, more, random.Random(self.rng.randrange(2**62)), 40,
                   threading.Event())
        w.run()
        self.assertIsNone(w.cut_off)
        self.assertEqual(more.unexpected, [])
        self.assertGreater(len(more.apps), 0)
        srv.stop()
        changed = dump(srv.db_path)
        self.assertNotEqual(changed["applications"], reference["applications"])

        # Restore the final backup into the stopped server's data folder.
        rc, out = self.restore(final)
        self.assertEqual(rc, 0, "jilian restore: " + out)
        restored = dump(srv.db_path)
        for table in ("applications", "people", "units"):
            self.assertEqual(len(restored[table]), len(reference[table]), "%s rows" % table)
            self.assertTrue(restored[table] == reference[table],
                            "%s differs from the backup after the restore" % table)
        ref_audit, new_audit = reference["audit_log"], restored["audit_log"]
        self.assertTrue(new_audit[:len(ref_audit)] == ref_audit,
                        "audit_log rows of the backup differ after the restore")
        tail = [(r[SCHEMA["audit_log"].index("action")]) for r in new_audit[len(ref_audit):]]
        self.assertEqual(tail, ["restore"], "audit rows the restore added")
        rc, out = audit_verify(srv)
        self.assertEqual(rc, 0, "jilian audit verify after the restore: " + out)
        with open_db(srv.db_path) as conn:
            self.assertEqual(integrity(conn), "ok")
            names = {r[0] for r in conn.execute("SELECT name FROM applications")}
        conn.close()
        self.assertFalse(set(more.apps) & names, "changes made after the backup survived")
        if sha256(final) != final_sha:
            log("note: the backup file's bytes changed while it was restored from")

        # Damaged files: exit 4, the database untouched.
        blob = self.rng.randbytes(64 * 1024)
        with open(final, "rb") as f:
            good = f.read()
        bad_files = {
            "random bytes": blob,
            "the backup cut to half": good[:len(good) // 2],
            "an SQLite header followed by random bytes": good[:100] + blob[100:],
            "the backup with a damaged middle page": (
                good[:len(good) // 2] + blob[:4096] + good[len(good) // 2 + 4096:]),
        }
        for what, content in bad_files.items():
            path = os.path.join(tmp, "bad-%s.db" % re.sub(r"\W+", "-", what))
            with open(path, "wb") as f:
                f.write(content)
            before = self.state()
            rc, out = self.restore(path)
            after = self.state()
            self.assertEqual(rc, EXIT_INTEGRITY, "restore of %s: exit %d: %s" % (what, rc, out))
            self.assertTrue(before[0] == after[0] and before[1] == after[1],
                            "restore of %s changed the database" % what)
        rc, out = audit_verify(srv)
        self.assertEqual(rc, 0, "jilian audit verify after the bad restores: " + out)
        srv.start()
        r = session.client(srv.port).get("/api/v1/me")
        if r.status == 401:
            session.login(srv.port)
        some = next(iter(ledger.approvals))
        r = session.client(srv.port).get("/api/v1/applications/%d" % some)
        self.assertEqual((r.status, r.data.get("status")), (200, "approved"))
        srv.stop()
        log("backup: database %d KiB (%d padding units), 4 backups (3 under load), %d "
            "acknowledged writes checked, restore compared %s rows, %d damaged files refused; "
            "%.1f s" % (size, PAD_UNITS, checked, {t: len(v) for t, v in reference.items()}, len(bad_files),
             time.monotonic() - started))


if __name__ == "__main__":
    unittest.main(verbosity=2)
