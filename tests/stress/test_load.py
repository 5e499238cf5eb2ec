"""Sustained concurrent load on one server (SEC-G3).

200 keep-alive connections on loopback, driven by one asyncio loop with
hand-written HTTP/1.1, for JILIAN_LOAD_SECONDS (default 30) seconds:
about 80 % reads (unit list pages, one unit, stats, health) and 20 % writes
(anonymous applications with unique names and valid credit codes, and people
added by the secretariat with its session cookie and X-CSRF-Token).

Asserts: no 5xx, no connection error, no unexpected answer; every
acknowledged write is there afterwards (through the API as the secretariat,
then in the database file once the server has stopped); the server's
resident memory (VmRSS, sampled every second) is flat -- the mean of the
last third within 10 % (or 2 MiB) of the mean of the first third.

Environment:
  JILIAN_BIN             the binary (default build/jilian)
  JILIAN_LOAD_SECONDS    how long the load runs (default 30)
  JILIAN_LOAD_CONNS      concurrent connections (default 200)
"""
import asyncio
import json
import os
import random
import sqlite3
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "api"))
import harness  # noqa: E402

LOAD_SECONDS = float(os.environ.get("JILIAN_LOAD_SECONDS") or 30)
CONNS = int(os.environ.get("JILIAN_LOAD_CONNS") or 200)
REQUEST_TIMEOUT = 30.0      # one answer; longer counts as a connection error
RSS_SLACK_RATIO = 0.10
RSS_SLACK_KB = 2048
CITY = "130100"             # 石家庄市, a GB/T 2260 prefecture-level code


def sanitized_binary():
    """True when the binary is built with AddressSanitizer, whose quarantine
    makes resident memory grow by design (the flatness check is skipped)."""
    try:
        with open(harness.BIN, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for %d" % pid)


class RssSampler(threading.Thread):
    """VmRSS of the server every second until stop()."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples = []
        self._halt = threading.Event()

    def run(self):
        while not self._halt.is_set():
            try:
                self.samples.append(rss_kb(self.pid))
            except (OSError, RuntimeError):
                return
            self._halt.wait(1.0)

    def stop(self):
        self._halt.set()
        self.join(5)


# --- a small HTTP/1.1 client on asyncio streams ---------------------------------


class ConnError(Exception):
    pass


async def read_response(reader):
    """(status, headers, body) of one answer; raises ConnError on a cut."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        raise ConnError("connection closed before an answer (%d bytes)" % len(e.partial))
    except asyncio.LimitOverrunError:
        raise ConnError("answer head too long")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ConnError("bad status line %r" % lines[0])
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        if line:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
    try:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = b""
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                body += await reader.readexactly(size)
                await reader.readexactly(2)
        else:
            body = await reader.readexactly(int(headers.get("content-length", "0")))
    except asyncio.IncompleteReadError:
        raise ConnError("connection closed in the middle of a body")
    return status, headers, body


def build_request(port, method, path, body=None, headers=None):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1:%d" % port,
             "Accept-Language: en"]
    for k, v in (headers or {}).items():
        lines.append("%s: %s" % (k, v))
    payload = b""
    if body is not None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        lines.append("Content-Type: application/json")
        lines.append("Content-Length: %d" % len(payload))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


class Stats:
    def __init__(self):
        self.requests = 0
        self.by_kind = {}
        self.status_counts = {}
        self.five_xx = []          # (kind, path, status, body)
        self.unexpected = []       # (kind, path, status, body)
        self.conn_errors = []      # (kind, path, message)
        self.acked = []            # ("application"|"person", id, name)
        self.latencies = []
        self.t0 = time.monotonic()
        self.per_second = {}       # second since the start -> answers completed
        self.slowest = []          # (latency s, second, kind, path)


class Load:
    """The request mix. Ids of units come from the server before the run."""

    def __init__(self, port, unit_ids, cookie, csrf, run_tag):
        self.port = port
        self.unit_ids = unit_ids
        self.cookie = cookie
        self.csrf = csrf
        self.tag = run_tag
        self.seq = 0
        self.pages = max(1, (len(unit_ids) + 19) // 20)

    def next_seq(self):
        self.seq += 1
        return self.seq

    def pick(self):
        """(kind, method, path, body, headers, expected status)."""
        x = random.random()
        if x < 0.30:
            page = random.randint(1, self.pages + 1)  # one page past the end too
            return ("list", "GET", "/api/v1/units?page_size=20&page=%d" % page, None, None, 200)
        if x < 0.55:
            uid = random.choice(self.unit_ids)
            return ("unit", "GET", "/api/v1/units/%d" % uid, None, None, 200)
        if x < 0.70:
            return ("stats", "GET", "/api/v1/units/stats", None, None, 200)
        if x < 0.80:
            return ("health", "GET", "/api/v1/health", None, None, 200)
        n = self.next_seq()
        if x < 0.90:
            body17 = "91130100" + "%09d" % (700000000 + n)
            body = {
                "name": "压测申请单位%s-%06d" % (self.tag, n),
                "kind": "enterprise",
                "uscc": body17 + harness.uscc_check_char(body17),
                "city": CITY,
                "contact_name": "联系人%d" % n,
                "contact_phone": "139%08d" % (n % 10**8),
            }
            return ("application", "POST", "/api/v1/applications", body, None, 201)
        body = {
            "name": "压测人员%s-%06d" % (self.tag, n),
            "title": "教师",
            "phone": "138%08d" % (n % 10**8),
            "unit_id": random.choice(self.unit_ids),
        }
        headers = {"Cookie": "%s=%s" % self.cookie, "X-CSRF-Token": self.csrf}
        return ("person", "POST", "/api/v1/people", body, headers, 201)


async def connection(load, stats, deadline):
    """One keep-alive connection issuing requests until the deadline."""
    reader = writer = None
    last = None      # when this connection's previous answer came
    done_here = 0    # answers on this connection
    while time.monotonic() < deadline:
        kind, method, path, body, headers, expect = load.pick()
        t0 = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", load.port, limit=1 << 20),
                    REQUEST_TIMEOUT)
                last, done_here = time.monotonic(), 0
                t0 = last
            writer.write(build_request(load.port, method, path, body, headers))
            await writer.drain()
            status, rh, data = await asyncio.wait_for(read_response(reader), REQUEST_TIMEOUT)
            now = time.monotonic()
            stats.latencies.append(now - t0)
            sec = int(now - stats.t0)
            stats.per_second[sec] = stats.per_second.get(sec, 0) + 1
            if now - t0 > 1.0:
                stats.slowest.append((round(now - t0, 2), int(t0 - stats.t0), kind, path))
            last = now
            done_here += 1
        except (ConnError, OSError, asyncio.TimeoutError) as e:
            now = time.monotonic()
            stats.conn_errors.append((kind, path, "%s: %s" % (type(e).__name__, e),
                                      "at %.1f s, %d answers on the connection, idle %.1f s "
                                      "before the request" % (now - stats.t0, done_here,
                                                              t0 - last if last else -1)))
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        stats.requests += 1
        stats.by_kind[kind] = stats.by_kind.get(kind, 0) + 1
        stats.status_counts[status] = stats.status_counts.get(status, 0) + 1
        if status >= 500:
            stats.five_xx.append((kind, path, status, data[:300]))
        elif status != expect:
            stats.unexpected.append((kind, path, status, data[:300]))
        elif kind in ("application", "person"):
            try:
                ident = json.loads(data.decode("utf-8"))["id"]
            except (ValueError, KeyError, TypeError):
                stats.unexpected.append((kind, path, status, data[:300]))
            else:
                stats.acked.append((kind, int(ident), body["name"]))
        if rh.get("connection", "").lower() == "close":
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()
        try:
            await writer.wait_closed()
        except OSError:
            pass


async def run_load(load, stats, seconds, conns):
    deadline = time.monotonic() + seconds
    tasks = [asyncio.ensure_future(connection(load, stats, deadline)) for _ in range(conns)]
    # Bounded even if the server hangs: each request has its own timeout, and
    # the whole run its own.
    await asyncio.wait_for(asyncio.gather(*tasks), seconds + REQUEST_TIMEOUT + 30)


async def fetch_all(port, paths, headers, conns=50):
    """GETs every path over a pool of keep-alive connections: {path: (status, body)}."""
    queue = list(paths)
    out = {}

    async def worker():
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        try:
            while queue:
                path = queue.pop()
                writer.write(build_request(port, "GET", path, None, headers))
                await writer.drain()
                status, rh, data = await asyncio.wait_for(read_response(reader), REQUEST_TIMEOUT)
                out[path] = (status, data)
                if rh.get("connection", "").lower() == "close":
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port,
                                                                   limit=1 << 20)
        finally:
            writer.close()

    await asyncio.wait_for(asyncio.gather(*[worker() for _ in range(conns)]), 300)
    return out


def mean(xs):
    return sum(xs) / len(xs)


class SustainedLoad(unittest.TestCase):
    """SEC-G3: no 5xx, no lost write, flat memory under sustained load."""

    def test_sustained_load(self):
        S = harness.start_server()
        try:
            self._run(S)
        finally:
            S.close()

    def _run(self, S):
        sec = S.login("secretariat")
        # The units the public sees (suspended or withdrawn ones answer 404).
        r = S.client().get("/api/v1/units?page_size=100")
        self.assertEqual(r.status, 200, r.data)
        unit_ids = [u["id"] for u in r.data["items"]]
        self.assertTrue(unit_ids, "the demo data has no units")
        load = Load(S.port, unit_ids, sec.cookie, sec.csrf, "%x" % (int(time.time()) % 0xfffff))
        stats = Stats()

        sampler = RssSampler(S.proc.pid)
        t0 = time.monotonic()
        sampler.start()
        try:
            asyncio.run(run_load(load, stats, LOAD_SECONDS, CONNS))
        finally:
            sampler.stop()
        elapsed = time.monotonic() - t0

        writes = [a for a in stats.acked]
        apps = [a for a in writes if a[0] == "application"]
        people = [a for a in writes if a[0] == "person"]
        rss = sampler.samples
        third = max(1, len(rss) // 3)
        first, last = rss[:third], rss[-third:]
        lat = sorted(stats.latencies) or [0.0]
        print("\nload: %d connections, %.1f s" % (CONNS, elapsed))
        print("load: requests %d, %.0f requests/s, by kind %s" %
              (stats.requests, stats.requests / elapsed, dict(sorted(stats.by_kind.items()))))
        print("load: statuses %s" % dict(sorted(stats.status_counts.items())))
        print("load: acknowledged writes %d (applications %d, people %d)" %
              (len(writes), len(apps), len(people)))
        print("load: latency p50 %.1f ms, p99 %.1f ms, max %.1f ms" %
              (lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000, lat[-1] * 1000))
        secs = [stats.per_second.get(i, 0) for i in range(int(elapsed))]
        print("load: answers per second %s" % secs)
        if stats.slowest:
            print("load: %d answers took over 1 s, slowest %s" %
                  (len(stats.slowest), sorted(stats.slowest, reverse=True)[:5]))
        print("load: VmRSS samples (kB) %s" % rss)
        if rss:
            print("load: VmRSS first third mean %.0f kB, last third mean %.0f kB, max %d kB" %
                  (mean(first), mean(last), max(rss)))
        sys.stdout.flush()

        self.assertFalse(stats.conn_errors, "%d connection errors, first: %s" %
                         (len(stats.conn_errors), stats.conn_errors[:5]))
        self.assertFalse(stats.five_xx, "%d answers 5xx, first: %s" %
                         (len(stats.five_xx), stats.five_xx[:5]))
        self.assertFalse(stats.unexpected, "%d unexpected answers, first: %s" %
                         (len(stats.unexpected), stats.unexpected[:5]))
        self.assertGreater(stats.requests, CONNS, "the load did almost nothing")
        self.assertTrue(apps and people, "no write of each kind was acknowledged")

        # Every acknowledged write is visible through the API.
        headers = {"Cookie": "%s=%s" % sec.cookie}
        paths = {}
        for kind, ident, name in writes:
            route = "applications" if kind == "application" else "people"
            paths["/api/v1/%s/%d" % (route, ident)] = name
        self.assertEqual(len(paths), len(writes), "an id was acknowledged twice")
        got = asyncio.run(fetch_all(S.port, list(paths), headers))
        missing = []
        for path, name in paths.items():
            status, data = got.get(path, (0, b""))
            try:
                seen = json.loads(data.decode("utf-8")).get("name") if status == 200 else None
            except ValueError:
                seen = None
            if seen != name:
                missing.append((path, status, name, data[:200]))
        self.assertFalse(missing, "%d acknowledged writes not found through the API: %s" %
                         (len(missing), missing[:5]))

        # Memory is flat: the last third's mean within 10 % (or 2 MiB) of the first's.
        self.assertGreaterEqual(len(rss), 3, "too few VmRSS samples: %s" % rss)
        allowed = max(mean(first) * RSS_SLACK_RATIO, RSS_SLACK_KB)
        if sanitized_binary():
            print("load: AddressSanitizer build: VmRSS flatness not checked")
            allowed = float("inf")
        self.assertLessEqual(mean(last) - mean(first), allowed,
                             "VmRSS grows under load: first third %.0f kB, last third %.0f kB "
                             "(samples %s)" % (mean(first), mean(last), rss))

        # Then in the database itself, after a clean stop.
        S.stop()
        db = sqlite3.connect("file:%s?mode=ro" % S.db_path, uri=True)
        try:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            stored = {("application", i, n) for i, n in
                      db.execute("SELECT id, name FROM applications")}
            stored |= {("person", i, n) for i, n in db.execute("SELECT id, name FROM people")}
        finally:
            db.close()
        lost = [w for w in writes if w not in stored]
        self.assertFalse(lost, "%d acknowledged writes missing from the database file: %s" %
                         (len(lost), lost[:5]))


if __name__ == "__main__":
    unittest.main()
