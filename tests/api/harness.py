"""Black-box test harness for the jilian API (python3 standard library only).

Server  -- a throw-away data folder (`jilian init --demo`) and a running
           `jilian serve` on a free local port; stop() fails when the server
           does not exit 0 or its stderr holds a sanitizer report.
Client  -- an http.client based caller that keeps the session cookie and the
           CSRF token like the console does.

Environment:
  JILIAN_BIN        the binary (default: build/jilian under the repository)
  JILIAN_KEEP_TMP   keep the temporary data folders (for debugging)
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("JILIAN_BIN") or os.path.join(REPO, "build", "jilian")
if not os.path.isabs(BIN):
    BIN = os.path.join(REPO, BIN)

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "LeakSanitizer")

# Messages of src/http/i18n.c the tests compare with (English; Chinese where
# the default language is checked).
EN = {
    "not_found": "Not found",
    "unauthorized": "Please sign in",
    "forbidden": "You do not have permission for this action",
    "login_failed": "Wrong user name or password",
    "locked": "The account is locked for a while; try again later",
    "rate_limited": "Too many requests; try again later",
    "session_expired": "Your session has expired; please sign in again",
    "csrf_failed": "Security check failed; reload the page and retry",
    "origin_mismatch": "Request origin not allowed",
    "validation_failed": "Please correct the marked fields",
    "bad_json": "The body is not valid JSON",
    "bad_query": "The query string is invalid",
    "unsupported_media_type": "Unsupported content type",
    "too_large": "The request body is too large",
    "method_not_allowed": "Method not allowed",
    "required": "Required",
    "unknown_field": "This field is not accepted",
    "not_a_choice": "Not one of the allowed choices",
    "page_size_range": "Page size must be 1 to 100",
    "password_length": "Passwords have 8 to 128 characters",
    "password_common": "This password is too common; choose another",
    "password_same_as_user": "The password must differ from the user name",
    "password_wrong": "The current password is wrong",
    "username_taken": "This user name is taken",
    "role_needs_unit": "This role must belong to a member unit",
    "uscc_invalid": "Invalid unified social credit code (18 characters with a correct check character)",
    "uscc_taken": "Another unit already has this credit code",
    "city_invalid": "Invalid city code (a GB/T 2260 prefecture-level code)",
    "mobile_invalid": "Invalid mobile number",
    "application_pending": "This organisation already has a pending application",
    "application_reviewed": "This application has already been reviewed",
    "already_member": "This organisation is already a member",
    "reason_required": "A reason is required to reject",
    "csv_header": "The CSV header is wrong",
    "csv_rows_invalid": "Some CSV rows are invalid; nothing was imported",
    "unit_has_users": "The unit still has user accounts",
}
ZH = {
    "not_found": "未找到",
    "unauthorized": "请先登录",
    "validation_failed": "提交的内容有误，请检查标注的字段",
}

# --- Chinese identifiers -----------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17):
    """GB 32100-2015 check character of the first 17 characters."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    c = 31 - total % 31
    return USCC_ALPHABET[0 if c == 31 else c]


_uscc_counter = [0]


def make_id_number(seed=None, check=None):
    """A valid identity card number that no one holds: the county part 9900
    is assigned to no place in GB/T 2260. check='X' searches for a number
    whose check char is X."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    n = time.monotonic_ns() if seed is None else seed
    while True:
        base = "139900%04d%02d%02d%03d" % (1960 + n % 40, 1 + n // 40 % 12, 1 + n // 480 % 28,
                                         n // 13440 % 1000)
        c = "10X98765432"[sum(int(a) * w for a, w in zip(base, weights)) % 11]
        if check is None or c == check:
            return base + c
        n += 1


def make_uscc(seed=None, letters=False):
    """A valid, unused-looking unified social credit code (91 = company, 130100);
    letters=True puts letters in the organisation code part ("MA...")."""
    if seed is None:
        _uscc_counter[0] += 1
        seed = (os.getpid() * 7919 + int(time.time() * 1000) + _uscc_counter[0] * 104729) % 10**9
    if letters:
        body = "91130100MA" + "%07d" % (seed % 10**7)
    else:
        body = "91130100" + "%09d" % (seed % 10**9)
    return body + uscc_check_char(body)


def bad_uscc(valid):
    """The same code with a wrong check character."""
    wrong = USCC_ALPHABET[(USCC_ALPHABET.index(valid[17]) + 1) % 31]
    return valid[:17] + wrong


_mobile_counter = [0]


def make_mobile():
    _mobile_counter[0] += 1
    return "1391%07d" % ((os.getpid() * 31 + _mobile_counter[0]) % 10**7)


MASKED_MOBILE = re.compile(r"^1\d{2}\*{4}\d{4}$")

# --- the server ------------------------------------------------------------------


def check_sanitizer(stderr, what):
    """Raises AssertionError when stderr (str or bytes) holds a sanitizer report."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else (stderr or "")
    found = [m for m in SANITIZER_MARKERS if m in text]
    if found:
        raise AssertionError("%s: sanitizer findings %s:\n%s" % (what, found, text[-8000:]))


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A data folder made by `jilian init --demo`, served on a free port.

    The constructor only makes the data folder; start() serves it. `logins`
    maps each demo user name to its password, `roles` to its role.
    """

    def __init__(self, env=None, demo=True):
        self.tmp = tempfile.mkdtemp(prefix="jilian-api-")
        self.data = os.path.join(self.tmp, "data")
        self.env = dict(os.environ)
        self.env.setdefault("JILIAN_WEB_ROOT", "/nonexistent")
        self.env.setdefault("JILIAN_LOG_REQUESTS", "0")
        self.env.update(env or {})
        self.proc = None
        self.port = None
        self.stderr_path = os.path.join(self.tmp, "server.stderr")
        self.logins = {}
        self.roles = {}
        args = ["init", "--demo"] if demo else ["init"]
        r = self.cli(*args)
        if r.returncode != 0:
            self.cleanup()
            raise RuntimeError("jilian init failed (%d): %s %s" % (r.returncode, r.stdout, r.stderr))
        self.init_output = r.stdout
        self._parse_logins(r.stdout)

    def _parse_logins(self, out):
        seen = False
        for line in out.splitlines():
            if "demo logins" in line or "first administrator" in line:
                seen = True
                continue
            m = re.match(r"^  (\S+)\s+(\S+)\s+(\S+)\s*$", line)
            if seen and m:
                self.logins[m.group(1)] = m.group(3)
                self.roles[m.group(1)] = m.group(2)

    @property
    def db_path(self):
        return os.path.join(self.data, "jilian.db")

    def cli(self, *args, input=None, data=None, timeout=60):
        """Runs the binary with --data DIR; returns the CompletedProcess (text).
        A sanitizer report on its stderr fails at once."""
        r = subprocess.run([BIN, "--data", data or self.data] + [str(a) for a in args],
                           input=input, capture_output=True, text=True, env=self.env,
                           timeout=timeout, cwd=self.tmp)
        check_sanitizer(r.stderr, "jilian %s" % " ".join(str(a) for a in args))
        return r

    def start(self, timeout=10.0):
        self.port = free_port()
        self.stderr_file = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "--data", self.data, "serve", "--listen", "127.0.0.1:%d" % self.port],
            stdin=subprocess.DEVNULL, stdout=self.stderr_file, stderr=self.stderr_file,
            env=self.env, cwd=self.tmp)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.stderr_file.close()
                raise RuntimeError("jilian serve exited with %d:\n%s" %
                                   (self.proc.returncode, self.stderr_text()))
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/api/v1/health")
                ok = c.getresponse().status == 200
                c.close()
                if ok:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.proc.kill()
        self.proc.wait()
        raise RuntimeError("jilian serve did not answer /api/v1/health within %.0f s:\n%s" %
                           (timeout, self.stderr_text()))

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        """SIGTERM; fails unless the exit code is 0 and stderr is clean."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                self.stderr_file.close()
                raise AssertionError("jilian serve did not stop within 10 s of SIGTERM:\n" +
                                     self.stderr_text()[-4000:])
        self.stderr_file.close()
        text = self.stderr_text()
        problems = [m for m in SANITIZER_MARKERS if m in text]
        if proc.returncode != 0 or problems:
            raise AssertionError("jilian serve exit code %d, sanitizer findings %s:\n%s" %
                                 (proc.returncode, problems, text[-8000:]))

    def cleanup(self):
        if os.environ.get("JILIAN_KEEP_TMP"):
            print("kept", self.tmp)
            return
        shutil.rmtree(self.tmp, ignore_errors=True)

    def close(self):
        """stop() then remove the folder; stop()'s failure still propagates."""
        try:
            self.stop()
        finally:
            self.cleanup()

    def client(self, lang="en"):
        return Client(self, lang=lang)

    def login(self, username, lang="en"):
        """A client signed in as a demo user."""
        c = Client(self, lang=lang)
        c.login(username, self.logins[username])
        return c


def start_server(**env):
    s = Server(env={k: str(v) for k, v in env.items()})
    try:
        s.start()
    except BaseException:
        s.cleanup()
        raise
    return s


# --- the client ------------------------------------------------------------------

_NO_BODY = object()


class Response(tuple):
    """(status, headers, data) with attribute access too."""

    @property
    def status(self):
        return self[0]

    @property
    def headers(self):
        return self[1]

    @property
    def data(self):
        return self[2]


class Client:
    """Keeps the session cookie and CSRF token; one TCP connection per call.

    lang: value of Accept-Language ("en" by default; None sends none, so the
    server's default, Chinese, applies). Every answer is kept in `history`
    as (method, path, status, raw body bytes).
    """

    SESSION_COOKIES = ("jilian_session", "__Host-jilian_session")

    def __init__(self, server, lang="en"):
        self.port = server.port if isinstance(server, Server) else int(server)
        self.host = "127.0.0.1"
        self.lang = lang
        self.cookie = None  # (name, value)
        self.csrf = None
        self.history = []
        self.user = None

    def request(self, method, path, body=_NO_BODY, raw=None, content_type=None, headers=None,
                csrf=True, timeout=30):
        hdrs = {}
        if self.lang:
            hdrs["Accept-Language"] = self.lang
        payload = None
        if raw is not None:
            payload = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        elif body is not _NO_BODY:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        if payload is not None:
            hdrs["Content-Type"] = content_type or "application/json"
        elif content_type:
            hdrs["Content-Type"] = content_type
        if self.cookie:
            hdrs["Cookie"] = "%s=%s" % self.cookie
        if method not in ("GET", "HEAD") and csrf and self.csrf:
            hdrs["X-CSRF-Token"] = self.csrf
        for k, v in (headers or {}).items():
            for old in [h for h in hdrs if h.lower() == k.lower()]:
                del hdrs[old]
            if v is not None:
                hdrs[k] = v
        # Non-ASCII characters in the target are percent-encoded (UTF-8).
        path = "".join(ch if ord(ch) < 128 else urllib.parse.quote(ch) for ch in path)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=payload, headers=hdrs)
            resp = conn.getresponse()
            raw_body = resp.read()
            status = resp.status
            head = {}
            cookies = []
            for k, v in resp.getheaders():
                head[k.lower()] = v
                if k.lower() == "set-cookie":
                    cookies.append(v)
        finally:
            conn.close()
        for sc in cookies:
            self._take_cookie(sc)
        data = raw_body
        if head.get("content-type", "").startswith("application/json") and raw_body:
            try:
                data = json.loads(raw_body.decode("utf-8"))
            except ValueError:
                data = raw_body
        if isinstance(data, dict) and isinstance(data.get("csrf_token"), str):
            self.csrf = data["csrf_token"]
        self.history.append((method, path, status, raw_body))
        return Response((status, head, data))

    def _take_cookie(self, value):
        first = value.split(";", 1)[0]
        name, _, val = first.partition("=")
        name = name.strip()
        if name not in self.SESSION_COOKIES:
            return
        attrs = value.lower()
        if val == "" or "max-age=0" in attrs:
            self.cookie = None
            self.csrf = None
        else:
            self.cookie = (name, val)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=_NO_BODY, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=_NO_BODY, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body=_NO_BODY, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login(self, username, password, expect=200):
        r = self.post("/api/v1/session", {"username": username, "password": password})
        if expect is not None and r.status != expect:
            raise AssertionError("login %s: expected %s, got %s %r" %
                                 (username, expect, r.status, r.data))
        if r.status == 200:
            self.user = r.data["user"]
        return r

    def logout(self):
        return self.delete("/api/v1/session")

    def copy(self):
        """Another client with the same cookie and token (a replayed session)."""
        c = Client(self.port, lang=self.lang)
        c.cookie, c.csrf, c.user = self.cookie, self.csrf, self.user
        return c


def field_errors(resp):
    """The error envelope's field -> message map (empty when none)."""
    data = resp[2]
    if not isinstance(data, dict) or "error" not in data:
        return {}
    return data["error"].get("fields") or {}


def raw_http(port, request_bytes, timeout=10):
    """Sends raw bytes on a fresh connection; returns (status, headers, body)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(request_bytes)
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            chunks.append(b)
            buf = b"".join(chunks)
            head, sep, rest = buf.partition(b"\r\n\r\n")
            if sep:
                m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
                if m and len(rest) >= int(m.group(1)):
                    break
    finally:
        s.close()
    buf = b"".join(chunks)
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body
