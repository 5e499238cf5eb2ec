"""Abusive clients at the transport level (SEC-G1, SEC-G2, SEC-C2, SEC-A3).

Slow clients time out while others are served; ambiguous message framing
(Content-Length with Transfer-Encoding, two Content-Lengths) cannot smuggle
a request; many connections from one address; an oversized request line;
HTTP/1.0 without Host; pipelining; NUL and bare CR in headers; login brute
force from one address.

Covered elsewhere and not repeated here: header block over 8 KiB (431) and
bodies over 1 MiB (413) in tests/api/test_basics.py; the account lockout and
the right password refused once the address is throttled in
tests/api/test_accounts.py.

Clients bind distinct loopback source addresses (127.0.0.x) where the server
keeps per-address state, so that the tests do not disturb one another.
"""
import http.client
import itertools
import json
import os
import re
import secrets
import selectors
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "api"))
import harness  # noqa: E402

REQ_TIMEOUT_MS = 2000
S = None


def setUpModule():
    global S
    S = harness.start_server(JILIAN_REQ_TIMEOUT_MS=REQ_TIMEOUT_MS)


def tearDownModule():
    S.close()


# --- raw HTTP helpers --------------------------------------------------------------


def connect(port, src=None, timeout=5.0):
    return socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                    source_address=(src, 0) if src else None)


def exchange(port, data, src=None, idle=1.0, total=8.0):
    """Sends data on a fresh connection and reads until the server closes it,
    nothing comes for `idle` seconds after the last byte, or `total` seconds.
    Returns (bytes received, closed_by_server)."""
    s = connect(port, src)
    out = b""
    closed = False
    deadline = time.monotonic() + total
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        while time.monotonic() < deadline:
            s.settimeout(min(idle, max(0.05, deadline - time.monotonic())))
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not b:
                closed = True
                break
            out += b
    finally:
        s.close()
    return out, closed


def parse_responses(buf):
    """Splits a byte stream into [(status, reason, headers, body)]; stops at
    an incomplete answer."""
    out = []
    while buf.startswith(b"HTTP/"):
        head, sep, rest = buf.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        if len(rest) < n:
            break
        out.append((int(parts[1]), parts[2] if len(parts) > 2 else "", headers, rest[:n]))
        buf = rest[n:]
    return out


def status_lines(buf):
    return re.findall(rb"HTTP/1\.[01] \d{3}", buf)


def health_ms(port, src=None):
    """Latency of GET /api/v1/health on a new connection, in ms."""
    t0 = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5,
                                   source_address=(src, 0) if src else None)
    try:
        c.request("GET", "/api/v1/health")
        r = c.getresponse()
        r.read()
        status = r.status
    finally:
        c.close()
    return status, (time.monotonic() - t0) * 1000


def health_soon(port, src, within=2.0):
    """health_ms, retried for a moment: connections a client has just closed
    may still count until the server has read their end."""
    deadline = time.monotonic() + within
    while True:
        try:
            return health_ms(port, src)
        except (ConnectionResetError, ConnectionRefusedError, http.client.RemoteDisconnected):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def post_json(port, path, body, src=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                   source_address=(src, 0) if src else None)
    try:
        c.request("POST", path, body=json.dumps(body).encode(),
                  headers={"Content-Type": "application/json", "Accept-Language": "en"})
        r = c.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        c.close()


def host(port):
    return b"Host: 127.0.0.1:%d\r\n" % port


# --- slow clients ------------------------------------------------------------------


class SlowClients(unittest.TestCase):
    """SEC-G1: slow clients time out (JILIAN_REQ_TIMEOUT_MS=2000), and while
    they trickle the others are served at once."""

    def test_trickling_clients_are_cut_and_others_served(self):
        port = S.port
        head = (b"GET /api/v1/units?page_size=20 HTTP/1.1\r\n" + host(port) +
                b"User-Agent: slow\r\nAccept-Language: en\r\n\r\n")
        body = b'{"name":"slow","kind":"enterprise"}'
        post = (b"POST /api/v1/applications HTTP/1.1\r\n" + host(port) +
                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
        sel = selectors.DefaultSelector()
        slow = []
        # Five trickle the request head, five send a whole head and trickle the body.
        for i in range(10):
            s = connect(port)
            s.setblocking(False)
            if i >= 5:
                s.sendall(post)
            c = {"sock": s, "data": head if i < 5 else body, "sent": 0, "start": time.monotonic(),
                 "next": time.monotonic(), "closed_at": None, "got": b"",
                 "kind": "head" if i < 5 else "body"}
            slow.append(c)
            sel.register(s, selectors.EVENT_READ, c)
        lat = []
        limit = time.monotonic() + REQ_TIMEOUT_MS / 1000 + 6
        try:
            while time.monotonic() < limit and any(c["closed_at"] is None for c in slow):
                now = time.monotonic()
                for c in slow:
                    if c["closed_at"] is None and now >= c["next"] and c["sent"] < len(c["data"]):
                        try:
                            c["sock"].send(c["data"][c["sent"]:c["sent"] + 1])
                            c["sent"] += 1
                        except (BrokenPipeError, ConnectionResetError):
                            c["closed_at"] = now
                            sel.unregister(c["sock"])
                        c["next"] = now + 1.0  # one byte per second
                for key, _ in sel.select(timeout=0.05):
                    c = key.data
                    try:
                        b = c["sock"].recv(65536)
                    except (ConnectionResetError, BlockingIOError):
                        b = b""
                    c["got"] += b
                    if not b:
                        c["closed_at"] = time.monotonic()
                        sel.unregister(c["sock"])
                status, ms = health_ms(port)
                self.assertEqual(status, 200)
                lat.append(ms)
                time.sleep(0.1)
        finally:
            for c in slow:
                c["sock"].close()
            sel.close()
        lat.sort()
        print("\nslow clients: cut after %s s; health latency median %.1f ms, max %.1f ms "
              "(%d probes)" % ([round(c["closed_at"] - c["start"], 1) if c["closed_at"] else None
                                for c in slow], lat[len(lat) // 2], lat[-1], len(lat)))
        for c in slow:
            self.assertIsNotNone(c["closed_at"], "a slow client (%s, %d bytes sent) was not cut"
                                 % (c["kind"], c["sent"]))
            self.assertLessEqual(c["closed_at"] - c["start"], REQ_TIMEOUT_MS / 1000 + 3)
            self.assertLess(c["sent"], len(c["data"]), "the slow request was completed")
            # Cut without an answer, or with a 408 -- never a served request.
            codes = status_lines(c["got"])
            self.assertTrue(all(x.endswith(b"408") for x in codes), c["got"][:200])
        self.assertGreaterEqual(len(lat), 10)
        self.assertLess(lat[-1], 100, "health took %.1f ms while slow clients trickled" % lat[-1])


# --- request smuggling -----------------------------------------------------------------


class Framing(unittest.TestCase):
    """SEC-C2/G1: ambiguous framing is refused or handled so that no hidden
    request is answered on its own (RFC 9112 6.3: a request with both
    Content-Length and Transfer-Encoding must be refused or be followed by
    closing the connection; differing Content-Lengths are a 400)."""

    HIDDEN = b"GET /api/v1/units/stats HTTP/1.1\r\nHost: x\r\n\r\n"

    def check_not_smuggled(self, out, closed, what):
        answers = parse_responses(out)
        codes = [a[0] for a in answers]
        print("\n%s: answers %s, closed by the server %s" % (what, codes, closed))
        self.assertTrue(answers, "%s: no answer at all: %r" % (what, out[:200]))
        for a in answers:
            self.assertLess(a[0], 500, "%s: %r" % (what, out[:300]))
        self.assertFalse(b'"by_kind"' in out,
                         "%s: the request hidden in the body was answered on its own; "
                         "answers %s, connection closed by the server: %s" %
                         (what, codes, closed))
        self.assertEqual(len(status_lines(out)), 1,
                         "%s: %d answers to one request: %s" % (what, len(status_lines(out)),
                                                                  codes))

    def test_content_length_and_chunked(self):
        """CL.TE: Content-Length covers the whole body, in which the chunked
        encoding ends early and a second request follows."""
        body = b"0\r\n\r\n" + self.HIDDEN
        req = (b"POST /api/v1/applications HTTP/1.1\r\n" + host(S.port) +
               b"Content-Type: application/json\r\nContent-Length: %d\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n" % len(body)) + body
        out, closed = exchange(S.port, req)
        self.check_not_smuggled(out, closed, "Content-Length then Transfer-Encoding")

    def test_chunked_and_content_length(self):
        """TE.CL: the chunk holds a request; a short Content-Length would
        end the body before it."""
        chunk = self.HIDDEN
        body = b"%x\r\n" % len(chunk) + chunk + b"\r\n0\r\n\r\n"
        req = (b"POST /api/v1/applications HTTP/1.1\r\n" + host(S.port) +
               b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
               b"Content-Length: 4\r\n\r\n") + body
        out, closed = exchange(S.port, req)
        self.check_not_smuggled(out, closed, "Transfer-Encoding then Content-Length")

    def test_two_content_lengths(self):
        """Two differing Content-Length values: 400 (RFC 9112 6.3)."""
        body = b"{}" + self.HIDDEN
        req = (b"POST /api/v1/applications HTTP/1.1\r\n" + host(S.port) +
               b"Content-Type: application/json\r\nContent-Length: 2\r\n"
               b"Content-Length: %d\r\n\r\n" % len(body)) + body
        out, closed = exchange(S.port, req)
        self.check_not_smuggled(out, closed, "two Content-Lengths")
        self.assertEqual(parse_responses(out)[0][0], 400, out[:300])
        self.assertTrue(closed, "the connection stays open after a 400 for framing")

    def refused_and_closed(self, head, body, what):
        req = (b"POST /api/v1/applications HTTP/1.1\r\n" + host(S.port) +
               b"Content-Type: application/json\r\n" + head + b"\r\n") + body
        out, closed = exchange(S.port, req)
        self.check_not_smuggled(out, closed, what)
        self.assertEqual(parse_responses(out)[0][0], 400, out[:300])
        self.assertTrue(closed, "%s: the connection stays open" % what)

    def test_length_that_is_not_digits(self):
        body = b"{}" + self.HIDDEN
        self.refused_and_closed(b"Content-Length: +%d\r\n" % len(body), body, "Content-Length +n")
        self.refused_and_closed(b"Content-Length: 2, %d\r\n" % len(body), body,
                                "Content-Length list")

    def test_coding_other_than_chunked(self):
        chunk = self.HIDDEN
        body = b"%x\r\n" % len(chunk) + chunk + b"\r\n0\r\n\r\n"
        self.refused_and_closed(b"Transfer-Encoding: gzip, chunked\r\n", body, "gzip, chunked")
        self.refused_and_closed(b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                body, "two Transfer-Encodings")

    def test_folded_header(self):
        """Obsolete line folding hides a header from some parsers: 400."""
        body = b"{}" + self.HIDDEN
        self.refused_and_closed(b"X-Note: a\r\n Content-Length: %d\r\nContent-Length: 2\r\n"
                                % len(body), body, "obs-fold")

    def test_clear_framing_still_served(self):
        """The guard leaves ordinary requests and keep-alive alone: two
        pipelined requests with a plain Content-Length get two answers."""
        one = (b"GET /api/v1/units/stats HTTP/1.1\r\n" + host(S.port) + b"\r\n")
        out, closed = exchange(S.port, one + one)
        self.assertEqual([a[0] for a in parse_responses(out)], [200, 200], out[:300])
        self.assertFalse(closed)


# --- many connections -----------------------------------------------------------------


def open_idle(port, n, src):
    socks = []
    for _ in range(n):
        try:
            socks.append(connect(port, src))
        except OSError:
            break
    return socks


def probe(sock, port):
    """Sends one request on an open connection: True when it is answered 200."""
    try:
        sock.settimeout(2.0)
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\n" + host(port) + b"\r\n")
        b = sock.recv(4096)
        return b.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def closed_by_server(sock):
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


class ManyConnections(unittest.TestCase):
    """SEC-G1: connections per address."""

    def test_300_idle_connections_server_stays_responsive(self):
        src = "127.0.0.2"
        socks = open_idle(S.port, 300, src)
        try:
            self.assertGreater(len(socks), 0)
            time.sleep(0.3)
            status, ms = health_ms(S.port, src="127.0.0.12")
            self.assertEqual(status, 200)
            self.assertLess(ms, 100, "health took %.1f ms beside 300 idle connections" % ms)
            early = sum(closed_by_server(s) for s in socks)
            served = sum(probe(s, S.port) for s in socks)
            print("\n300 idle connections from one address: %d opened, %d closed by the server "
                  "at once, %d served when used (default max_conn_per_addr); a new client from "
                  "another address got health in %.1f ms" % (len(socks), early, served, ms))
            self.assertGreater(served, 0)
        finally:
            for s in socks:
                s.close()
        # Past the request timeout, the idle ones are gone and a new one works.
        status, ms = health_soon(S.port, src)
        self.assertEqual(status, 200)

    def test_max_conn_per_addr_enforced(self):
        """max_conn_per_addr (src/base/config.c, JILIAN_MAX_CONN_PER_ADDR):
        past the limit, one address's connections are refused or closed;
        other addresses are served, and the address is served again once
        its connections close."""
        limit = 20
        srv = harness.start_server(JILIAN_MAX_CONN_PER_ADDR=limit, JILIAN_REQ_TIMEOUT_MS=15000)
        try:
            src = "127.0.0.3"
            socks = open_idle(srv.port, 2 * limit, src)
            try:
                time.sleep(0.3)
                status, ms = health_ms(srv.port, src="127.0.0.4")
                self.assertEqual(status, 200, "another address is not served")
                served = [probe(s, srv.port) for s in socks]
                print("\nmax_conn_per_addr=%d: %d connections opened from one address, %d "
                      "served" % (limit, len(socks), sum(served)))
                self.assertGreater(sum(served), 0)
                self.assertLessEqual(sum(served), limit,
                                     "max_conn_per_addr=%d is not enforced: %d of %d "
                                     "connections from %s were served" %
                                     (limit, sum(served), len(socks), src))
            finally:
                for s in socks:
                    s.close()
            status, ms = health_soon(srv.port, src)
            self.assertEqual(status, 200, "the address is not served after its connections closed")
        finally:
            srv.close()


# --- request shapes -----------------------------------------------------------------


class RequestShapes(unittest.TestCase):
    """SEC-G1: the request line is bounded; HTTP/1.0, pipelining; SEC-C2:
    control characters in headers are refused."""

    def test_oversized_request_line(self):
        for target in (b"/api/v1/units?q=" + b"a" * 20000,
                       b"/api/v1/units/" + b"1" * 20000,
                       b"/" + b"x" * 20000):
            with self.subTest(target=target[:20]):
                req = (b"GET " + target + b" HTTP/1.1\r\n" + host(S.port) +
                       b"Connection: close\r\n\r\n")
                out, _ = exchange(S.port, req)
                answers = parse_responses(out)
                self.assertTrue(answers, out[:200])
                self.assertIn(answers[0][0], (400, 414, 431), out[:300])
        status, _ = health_ms(S.port)
        self.assertEqual(status, 200)

    def test_http10_without_host(self):
        out, closed = exchange(S.port, b"GET /api/v1/health HTTP/1.0\r\n\r\n")
        answers = parse_responses(out)
        self.assertEqual(len(answers), 1, out[:300])
        status, _, headers, body = answers[0]
        self.assertEqual(status, 200, out[:300])
        self.assertEqual(json.loads(body), {"status": "ok"})
        self.assertIn("x-request-id", headers)
        self.assertTrue(closed, "HTTP/1.0 without keep-alive: the connection stays open")

    def test_pipelined_requests_answered_in_order(self):
        paths = [(b"/api/v1/health", 200, b'"status":"ok"'),
                 (b"/api/v1/units/1", 200, b'"id":1,'),
                 (b"/api/v1/nope", 404, b'"not_found"'),
                 (b"/api/v1/units/stats", 200, b'"by_kind"'),
                 (b"/api/v1/units?page_size=1&page=2", 200, b'"page":2'),
                 (b"/api/v1/units/99999999", 404, b'"not_found"'),
                 (b"/api/v1/health", 200, b'"status":"ok"')]
        req = b"".join(b"GET " + p + b" HTTP/1.1\r\n" + host(S.port) + b"\r\n" for p, _, _ in paths)
        req += b"GET /api/v1/health HTTP/1.1\r\n" + host(S.port) + b"Connection: close\r\n\r\n"
        out, _ = exchange(S.port, req)
        answers = parse_responses(out)
        self.assertEqual(len(answers), len(paths) + 1, [a[0] for a in answers])
        for (path, status, marker), (got, _, headers, body) in zip(paths, answers):
            with self.subTest(path=path):
                self.assertEqual(got, status, body[:200])
                self.assertIn(marker, body)
        ids = [a[2].get("x-request-id") for a in answers]
        self.assertEqual(len(set(ids)), len(ids), ids)

    def test_control_characters_in_headers_refused(self):
        cases = {
            "NUL in a value": b"X-Test: a\x00b\r\n",
            "bare CR in a value": b"X-Test: a\rb\r\n",
            "bare CR splitting a header": b"X-Test: a\rX-Other: b\r\n",
            "CR in a name": b"X-Te\rst: a\r\n",
            "NUL in a name": b"X-Te\x00st: a\r\n",
            "NUL in the cookie": b"Cookie: jilian_session=a\x00b\r\n",
        }
        for what, line in cases.items():
            with self.subTest(what=what):
                req = (b"GET /api/v1/health HTTP/1.1\r\n" + host(S.port) + line +
                       b"Connection: close\r\n\r\n")
                out, _ = exchange(S.port, req)
                codes = [int(x[-3:]) for x in status_lines(out)]
                self.assertEqual(codes, [400], "%s: %r" % (what, out[:200]))
        for what, target in (("NUL in the target", b"/api/v1/health\x00"),
                             ("bare CR in the target", b"/api/v1/health\rx")):
            with self.subTest(what=what):
                out, _ = exchange(S.port, b"GET " + target + b" HTTP/1.1\r\n" + host(S.port) +
                                  b"Connection: close\r\n\r\n")
                codes = [int(x[-3:]) for x in status_lines(out)]
                self.assertEqual(codes, [400], "%s: %r" % (what, out[:200]))


# --- login brute force ------------------------------------------------------------


def fnv1a_slot(key, slots=4096):
    """The slot src/modules/accounts/session.c gives a throttle key."""
    h = 1469598103934665603
    for ch in key.encode():
        h = ((h ^ ch) * 1099511628211) & (2 ** 64 - 1)
    return h % slots


class LoginBruteForce(unittest.TestCase):
    """SEC-A3/G2: each address may fail 20 times in 10 minutes; then 429
    with Retry-After."""

    def attempt(self, src, username, password="Wrong-password-1"):
        return post_json(S.port, "/api/v1/session", {"username": username, "password": password},
                         src=src)

    def test_25_wrong_passwords_from_one_address(self):
        src = "127.0.0.5"
        tag = secrets.token_hex(3)
        # Distinct names, so that no account lock answers before the address limit.
        answers = [self.attempt(src, "brute_%s_%d" % (tag, i), "Wrong-password-%d" % i)
                   for i in range(25)]
        codes = [a[0] for a in answers]
        print("\n25 wrong passwords from one address: %s" % codes)
        self.assertEqual(codes, [401] * 20 + [429] * 5)
        for status, headers, data in answers[20:]:
            err = json.loads(data)["error"]
            self.assertEqual(err["code"], "rate_limited", err)
            self.assertEqual(err["message"], harness.EN["rate_limited"])
            retry = int(headers["retry-after"])
            self.assertGreater(retry, 0)
            self.assertLessEqual(retry, 10 * 60 + 1)
        # The limit is the address's: another address signs in.
        status, _, data = self.attempt("127.0.0.6", "secretariat", S.logins["secretariat"])
        self.assertEqual(status, 200, data)

    def test_address_limit_not_reset_by_a_colliding_name(self):
        """The failure counters share a 4096-slot table where a collision
        evicts the other key: an unknown user name whose key lands in the
        address's slot must not reset the address's count."""
        src = "127.0.0.7"
        target = fnv1a_slot("ip:" + src)
        collider = next("probe%d" % i for i in itertools.count()
                        if fnv1a_slot("user:probe%d" % i) == target)
        tag = secrets.token_hex(3)
        codes = []
        for i in range(45):
            name = collider if i % 19 == 18 else "spray_%s_%d" % (tag, i)
            codes.append(self.attempt(src, name)[0])
            if codes[-1] == 429:
                break
        print("\nwrong passwords with %r every 19th: %s" % (collider, codes))
        self.assertIn(429, codes[:21],
                      "%d failed logins from %s without a 429: the user name %r shares the "
                      "address's throttle slot and resets its count" %
                      (len(codes), src, collider))


if __name__ == "__main__":
    unittest.main()
