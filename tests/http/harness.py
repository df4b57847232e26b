"""Shared helpers for the HTTP and SMTP integration tests.

They start the real `verbund` binary (VERBUND_BIN) on a free loopback port with a
temporary data folder, talk to it over HTTP (http.client, or raw sockets for transport
tests) and read the development mail files it writes to DATA/mail/<id>.eml.

Only the Python standard library is used here (aiosmtpd only in test_smtp.py).
"""

import atexit
import email
import email.header
import email.policy
import errno
import glob
import html
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid
import weakref

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BIN = os.path.normpath(os.path.join(HERE, "..", "..", "build", "verbund"))

# Fast argon2 and a quick job poll unless a test asks for something else. Every test
# speaks from 127.0.0.1, so the per-IP sign-up and reset limits are lifted here and
# tested on a server of their own (test_accounts.SignupAndResetRateLimitTest).
DEFAULT_SETTINGS = {
    "auth.password_hash_strength": "min",
    "jobs.poll_milliseconds": "50",
    "auth.signups_per_ip_hour": "100000",
    "auth.resets_per_ip_hour": "100000",
}

# A password that passes every rule (length, not common, not like the address).
GOOD_PASSWORD = "Wolken über Kassel 2024"


def binary():
    return os.environ.get("VERBUND_BIN", DEFAULT_BIN)


def wait_for_binary(timeout=60.0):
    """The binary is rebuilt now and then; wait until it is there and executable."""
    path = binary()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
        time.sleep(0.5)
    raise RuntimeError("verbund binary not found at %s (set VERBUND_BIN)" % path)


def free_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def non_loopback_address():
    """An IPv4 address of this machine outside 127.0.0.0/8, or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
            addr = s.getsockname()[0]
    except OSError:
        return None
    if addr.startswith("127.") or addr == "0.0.0.0":
        return None
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((addr, 0))
    except OSError:
        return None
    return addr


def unique_email(prefix="user"):
    return "%s-%s@example.org" % (prefix, uuid.uuid4().hex[:12])


def child_env(extra=None):
    """The environment for verbund processes: this one without VERBUND_* settings (the
    tests pass their settings as flags), plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("VERBUND_") or k == "VERBUND_BIN"}
    env.update(extra or {})
    return env


def on_postgres():
    """True when every server of this run gets a PostgreSQL database (ctest's http.pg.*
    entries set VERBUND_TEST_DATABASE=postgres)."""
    return os.environ.get("VERBUND_TEST_DATABASE") == "postgres"


def pg_server_url(required=False):
    """The URL of the throwaway PostgreSQL server that ctest starts (fixture pg,
    folder in VERBUND_TEST_PG_DIR); None without it, or an error when `required`."""
    d = os.environ.get("VERBUND_TEST_PG_DIR")
    if not d:
        if required or on_postgres():
            raise RuntimeError("this test needs the throwaway PostgreSQL server: run it "
                               "through ctest, or scripts/pg-throwaway run python3 -m "
                               "unittest ...")
        return None
    with open(os.path.join(d, "url")) as f:
        url = f.read().strip()
    if not url:
        raise RuntimeError("no PostgreSQL URL in %s/url" % d)
    return url


def pg_database_url(name):
    url = pg_server_url(required=True)
    return url[:url.rindex("/") + 1] + name


def create_pg_database():
    """A new, empty database on the throwaway server; returns its name."""
    name = "vh_%d_%s" % (os.getpid(), uuid.uuid4().hex[:10])
    r = run_cli(["sql", "CREATE DATABASE " + name],
                settings={"database": pg_server_url(required=True)})
    if r.returncode != 0:
        raise ServerError("CREATE DATABASE failed: %s%s" % (r.stdout, r.stderr))
    return name


def drop_pg_database(name):
    run_cli(["sql", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name],
            settings={"database": pg_server_url(required=True)})


def run_cli(args, data_dir=None, stdin=None, settings=None, timeout=60, env=None):
    """Runs `verbund ARGS [--data DIR] [--set k=v ...]`; returns CompletedProcess."""
    cmd = [wait_for_binary()] + list(args)
    if data_dir:
        cmd += ["--data", data_dir]
    for k, v in (settings or {}).items():
        cmd += ["--set", "%s=%s" % (k, v)]
    for attempt in range(20):
        try:
            return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                                  timeout=timeout, env=child_env(env))
        except OSError as e:
            # ENOENT / ETXTBSY / EACCES while the binary is being replaced
            if e.errno not in (errno.ENOENT, errno.ETXTBSY, errno.EACCES):
                raise
            time.sleep(1)
            wait_for_binary()
    raise RuntimeError("could not run %s" % cmd)


# ---------------------------------------------------------------------------------
# The server process


class ServerError(RuntimeError):
    pass


# Servers not closed by their tests (a crash in setUpClass, say) are killed at exit.
_live_servers = weakref.WeakSet()


@atexit.register
def _kill_leftover_servers():
    for s in list(_live_servers):
        try:
            s.kill9()
            if s.own_dir:
                shutil.rmtree(s.data_dir, ignore_errors=True)
        except Exception:
            pass


class Server:
    """One `verbund serve` process on a free port with its own temporary data folder.

    Server(dev=True, settings={...}, args=[...], env={...}, start=True)
    `settings` are added to (and override) DEFAULT_SETTINGS as --set key=value.
    """

    def __init__(self, dev=True, settings=None, args=None, env=None, start=True,
                 data_dir=None, default_settings=True, host="127.0.0.1"):
        self.host = host
        self.dev = dev
        self.settings = dict(DEFAULT_SETTINGS) if default_settings else {}
        self.settings.update(settings or {})
        self.args = list(args or [])
        self.env = dict(env or {})
        self.own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="verbund-test-")
        self.pg_database = None
        if on_postgres() and "database" not in self.settings:
            self._use_postgres()
        self.log_path = os.path.join(self.data_dir, "server.log")
        self.port = None
        self.proc = None
        self._log_file = None
        if start:
            self.start()

    def _use_postgres(self):
        """Gives this data folder its own database on the PostgreSQL server; servers
        started later on the same folder (restarts, second nodes) share it."""
        marker = os.path.join(self.data_dir, "pg-database")
        if os.path.exists(marker):
            with open(marker) as f:
                name = f.read().strip()
        else:
            name = create_pg_database()
            with open(marker, "w") as f:
                f.write(name)
            self.pg_database = name  # dropped by close()
        self.settings["database"] = pg_database_url(name)

    # -- life cycle -------------------------------------------------------------

    @property
    def base_url(self):
        return "http://%s:%d" % (self.host, self.port)

    @property
    def mail_dir(self):
        return os.path.join(self.data_dir, "mail")

    @property
    def db_path(self):
        return os.path.join(self.data_dir, "verbund.db")

    def command(self):
        cmd = [binary(), "serve", "--listen", "%s:%d" % (self.host, self.port),
               "--data", self.data_dir]
        if self.dev:
            cmd.append("--dev")
        for k, v in self.settings.items():
            cmd += ["--set", "%s=%s" % (k, v)]
        return cmd + self.args

    def start(self, port=None, timeout=15.0):
        wait_for_binary()
        last_error = None
        for attempt in range(5):
            self.port = port if (port and attempt == 0) else free_port(self.host)
            try:
                self._spawn()
            except OSError as e:  # the binary is being replaced right now
                last_error = e
                time.sleep(1)
                wait_for_binary()
                continue
            try:
                self._wait_healthy(timeout)
                return self
            except ServerError as e:
                last_error = e
                if self.proc.poll() is not None and "cannot listen" in self.log_tail():
                    continue  # lost the race for the port: try another one
                self._terminate_quietly()
                raise
        raise ServerError("server did not start: %s" % last_error)

    def _spawn(self):
        self._close_log()
        self._log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                     stdout=self._log_file, stderr=self._log_file,
                                     env=child_env(self.env), start_new_session=True)
        _live_servers.add(self)

    def _wait_healthy(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError("server exited with %s during start-up\n%s"
                                  % (self.proc.returncode, self.log_tail()))
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=2)
                conn.request("GET", "/healthz")
                r = conn.getresponse()
                r.read()
                conn.close()
                if r.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise ServerError("server did not answer /healthz within %.0f s\n%s"
                          % (timeout, self.log_tail()))

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=20.0):
        """Sends `sig`, waits for the exit and returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._close_log()
                raise ServerError("server did not exit within %.0f s after signal %s\n%s"
                                  % (timeout, sig, self.log_tail()))
        self._close_log()
        return self.proc.returncode

    def wait_exit(self, timeout):
        """Waits for the process to exit by itself; returns the code or None."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_log()

    def restart(self, same_port=True):
        """Stops (SIGTERM) if running and starts again on the same data folder."""
        if self.running():
            self.stop()
        return self.start(port=self.port if same_port else None)

    def _terminate_quietly(self):
        try:
            self.kill9()
        except Exception:
            pass

    def _close_log(self):
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def close(self):
        """Stops the server (if running) and removes the data folder."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.stop(timeout=15)
            except ServerError:
                pass
        self._close_log()
        if self.pg_database:
            drop_pg_database(self.pg_database)
            self.pg_database = None
        if self.own_dir:
            self._final_log = self.log_text()  # still shown if a test fails afterwards
            shutil.rmtree(self.data_dir, ignore_errors=True)
        _live_servers.discard(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # -- helpers ----------------------------------------------------------------

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return getattr(self, "_final_log", "")

    def wait_for_log(self, text, timeout=10.0):
        """Waits until the server log contains `text`; returns the whole log."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log_text()
            if text in log:
                return log
            if time.monotonic() > deadline:
                raise AssertionError("%r not in the server log within %.0f s\n%s"
                                     % (text, timeout, self.log_tail(10)))
            time.sleep(0.05)

    def log_tail(self, lines=40):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def client(self):
        return Client(self)

    def cli(self, *args, stdin=None, settings=None):
        s = dict(self.settings) if settings is None else settings
        return run_cli(list(args), data_dir=self.data_dir, stdin=stdin, settings=s,
                       env=self.env)

    def add_user(self, email_addr, password=GOOD_PASSWORD, role=None, name=None, extra=()):
        args = ["user", "add", email_addr, "--password-stdin"]
        if role:
            args += ["--role", role]
        if name:
            args += ["--name", name]
        args += list(extra)
        r = self.cli(*args, stdin=password + "\n")
        if r.returncode != 0:
            raise ServerError("user add failed (%s): %s%s" % (r.returncode, r.stdout, r.stderr))
        return r

    def sql(self, query):
        """Runs one statement through Verbund's own driver (`verbund sql`) on this
        server's database, SQLite or PostgreSQL; returns the rows as sqlite3 -batch
        prints them ('|' between values), stripped."""
        settings = {"database": self.settings["database"]} if "database" in self.settings else {}
        r = run_cli(["sql", query], data_dir=self.data_dir, settings=settings, timeout=30)
        if r.returncode != 0:
            raise ServerError("verbund sql failed: %s%s" % (r.stdout, r.stderr))
        return r.stdout.strip()

    @property
    def on_postgres(self):
        return "database" in self.settings and self.settings["database"].startswith("postgres")

    def mails(self, to=None):
        return read_mails(self.data_dir, to=to)

    def wait_for_mail(self, count=1, timeout=10.0, to=None):
        return wait_for_mail(self.data_dir, count, timeout, to=to)

    def wait_for_outbox_worked(self, timeout=10.0):
        """Waits until the job queue has worked every mail queued in the outbox so far:
        each one's mail.send job has finished (the mail file is written) or failed. After
        it, a mail that is not in DATA/mail was not sent, rather than not sent yet.
        Returns the number of outbox rows it waited for."""
        upto = int(self.sql("SELECT coalesce(max(id), 0) FROM outbox"))
        pending_sql = ("SELECT count(*) FROM jobs WHERE kind = 'mail.send' AND state = 'queued'"
                       " AND CAST(payload AS INTEGER) <= %d" % upto)
        deadline = time.monotonic() + timeout
        while True:
            pending = int(self.sql(pending_sql))
            if pending == 0:
                return upto
            if time.monotonic() > deadline:
                raise AssertionError("%d mail job(s) of outbox rows up to %d still queued after "
                                     "%.0f s (jobs.workers=0, or sending fails?)\n%s"
                                     % (pending, upto, timeout, self.log_tail(10)))
            time.sleep(0.05)

    def links(self, text):
        return find_links(text, self.port)

    def raw(self, data, read_timeout=5.0, **kw):
        return raw(self.port, data, read_timeout, host=self.host, **kw)


# ---------------------------------------------------------------------------------
# HTTP client


class Response:
    def __init__(self, status, reason, header_list, body_bytes):
        self.status = status
        self.reason = reason
        self.header_list = [(k.lower(), v) for k, v in header_list]
        self.headers = {}
        for k, v in self.header_list:
            if k in self.headers and k != "set-cookie":
                self.headers[k] += ", " + v
            else:
                self.headers[k] = v
        self.set_cookies = [v for k, v in self.header_list if k == "set-cookie"]
        self.body_bytes = body_bytes
        self.body = body_bytes.decode("utf-8", "replace")

    @property
    def location(self):
        return self.headers.get("location")

    def cookie(self, name):
        """The value of a Set-Cookie for `name` (None when not set)."""
        for c in self.set_cookies:
            n, _, rest = c.partition("=")
            if n.strip() == name:
                return rest.split(";", 1)[0]
        return None

    def __repr__(self):
        return "<Response %s %s>" % (self.status, self.location or "")


class Client:
    """A tiny HTTP/1.1 client with a cookie jar; one connection per request; never
    follows redirects."""

    def __init__(self, server_or_port, timeout=30.0):
        self.server = server_or_port if isinstance(server_or_port, Server) else None
        self._port = None if self.server else int(server_or_port)
        self.host = self.server.host if self.server else "127.0.0.1"
        self.timeout = timeout
        self.cookies = {}
        self.default_headers = {}

    @property
    def port(self):
        return self.server.port if self.server else self._port

    def request(self, method, path, body=None, headers=None, cookies=True):
        h = dict(self.default_headers)
        h.update(headers or {})
        if cookies and self.cookies and not any(k.lower() == "cookie" for k in h):
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            data = r.read()
            res = Response(r.status, r.reason, r.getheaders(), data)
        finally:
            conn.close()
        if cookies:
            self._store_cookies(res)
        return res

    def _store_cookies(self, res):
        for c in res.set_cookies:
            parts = [p.strip() for p in c.split(";")]
            name, _, value = parts[0].partition("=")
            attrs = {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else "")
                     for p in parts[1:]}
            if attrs.get("max-age") == "0" or value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def head(self, path, headers=None):
        return self.request("HEAD", path, headers=headers)

    def post(self, path, fields, headers=None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        body = urllib.parse.urlencode(fields).encode("utf-8")
        return self.request("POST", path, body=body, headers=h)

    def csrf_for(self, path):
        """GETs `path` and returns the first csrf token in it."""
        r = self.get(path)
        if r.status != 200:
            raise AssertionError("GET %s: %s" % (path, r.status))
        return csrf(r.body)


CSRF_RE = re.compile(r'<input type="hidden" name="csrf" value="([^"]*)"')


def csrf(page_html):
    m = CSRF_RE.search(page_html)
    if not m:
        raise AssertionError("no csrf input in page:\n" + page_html[:2000])
    return html.unescape(m.group(1))


def hidden_value(page_html, name):
    m = re.search(r'<input type="hidden" name="%s" value="([^"]*)"' % re.escape(name),
                  page_html)
    return html.unescape(m.group(1)) if m else None


# ---------------------------------------------------------------------------------
# Development mail files (DATA/mail/<id>.eml)


class Mail:
    def __init__(self, path, raw_bytes):
        self.path = path
        self.id = int(os.path.basename(path).split(".")[0])
        self.raw_bytes = raw_bytes
        self.raw = raw_bytes.decode("utf-8", "replace")
        self.message = email.message_from_bytes(raw_bytes, policy=email.policy.compat32)
        self.raw_subject = self.message.get("Subject", "")
        self.subject = decode_header(self.raw_subject)
        self.to = self.message.get("To", "")
        self.body = self.raw.split("\r\n\r\n", 1)[1] if "\r\n\r\n" in self.raw else ""
        # A mail with a calendar entry is multipart: the text part is the body.
        self.calendar = None
        self.calendar_method = None
        if self.message.is_multipart():
            for part in self.message.walk():
                if part.get_content_type() == "text/plain":
                    self.body = part.get_payload(decode=True).decode("utf-8")
                elif part.get_content_type() == "text/calendar":
                    self.calendar = part.get_payload(decode=True).decode("utf-8")
                    self.calendar_method = part.get_param("method")

    def links(self, port):
        return find_links(self.body, port)

    def __repr__(self):
        return "<Mail %d to %s: %s>" % (self.id, self.to, self.subject)


def decode_header(value):
    out = []
    for part, charset in email.header.decode_header(value):
        if isinstance(part, bytes):
            out.append(part.decode(charset or "ascii", "replace"))
        else:
            out.append(part)
    return "".join(out)


def read_mails(data_dir, to=None):
    mails = []
    for path in glob.glob(os.path.join(data_dir, "mail", "*.eml")):
        try:
            with open(path, "rb") as f:
                m = Mail(path, f.read())
        except (OSError, ValueError):
            continue
        if to is None or m.to.strip().lower() == to.lower():
            mails.append(m)
    mails.sort(key=lambda m: m.id)
    return mails


def wait_for_mail(data_dir, count=1, timeout=10.0, to=None):
    """Waits until at least `count` mail files (to `to`, if given) exist; returns them."""
    deadline = time.monotonic() + timeout
    while True:
        mails = read_mails(data_dir, to=to)
        if len(mails) >= count:
            return mails
        if time.monotonic() > deadline:
            raise AssertionError("expected %d mail(s)%s within %.0f s, found %d: %r"
                                 % (count, " to " + to if to else "", timeout, len(mails),
                                    mails))
        time.sleep(0.05)


def find_links(text, port):
    return re.findall(r"http://127\.0\.0\.1:%d/\S+" % port, text)


def path_of(url):
    p = urllib.parse.urlsplit(url)
    return p.path + ("?" + p.query if p.query else "")


def in_parallel(n, fn):
    """Runs fn(i) for i in range(n) on n threads released at the same moment (races
    on limits and uniqueness); returns the results in order, an exception as itself."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = fn(i)
        except Exception as e:  # reported to the test as a value
            results[i] = e

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def clone(client):
    """Another client with the same cookies (the same session), for parallel requests."""
    c = Client(client.server or client.port, timeout=client.timeout)
    c.cookies = dict(client.cookies)
    c.default_headers = dict(client.default_headers)
    return c


# ---------------------------------------------------------------------------------
# Raw sockets


def raw(port, data, read_timeout=5.0, shutdown_write=False, total_timeout=None,
        host="127.0.0.1"):
    """Sends `data` on a new connection and returns everything read until the server
    closes or nothing arrives for `read_timeout` seconds."""
    s = socket.create_connection((host, port), timeout=read_timeout)
    chunks = []
    try:
        try:
            s.sendall(data)
            if shutdown_write:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.monotonic() + (total_timeout or 60)
        while time.monotonic() < deadline:
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not b:
                break
            chunks.append(b)
    finally:
        s.close()
    return b"".join(chunks)


def status_of(raw_response):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw_response)
    return int(m.group(1)) if m else None


def split_responses(data):
    """Splits a byte stream of HTTP responses with Content-Length into
    (status, headers dict lower-case, body) tuples."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            break
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        out.append((status, headers, rest[:n]))
        data = rest[n:]
    return out


# ---------------------------------------------------------------------------------
# Account flows


def signup(client, email_addr, password=GOOD_PASSWORD, name="Test Person", repeat=None,
           headers=None):
    token = client.csrf_for("/registrieren")
    return client.post("/registrieren", {
        "csrf": token, "display_name": name, "email": email_addr, "password": password,
        "password_repeat": password if repeat is None else repeat}, headers=headers)


def confirm_link(server, email_addr, timeout=10.0):
    """The confirmation link of the newest confirmation mail to `email_addr`."""
    deadline = time.monotonic() + timeout
    while True:
        for m in reversed(server.mails(to=email_addr)):
            for link in m.links(server.port):
                if "/registrieren/bestaetigen?token=" in link:
                    return link
        if time.monotonic() > deadline:
            raise AssertionError("no confirmation link in mail to %s within %.0f s"
                                 % (email_addr, timeout))
        time.sleep(0.05)


def follow_mail_link(client, url):
    """Opens a one-time link from a mail as its reader does: the page (which must change
    nothing), then its button; returns the button's response."""
    path = path_of(url)
    r = client.get(path)
    if r.status != 200:
        return r
    m = re.search(r'<form method="post" action="([^"]+)"[^>]*>\s*'
                  r'<input type="hidden" name="csrf" value="([^"]*)">\s*'
                  r'<input type="hidden" name="token" value="([^"]*)">', r.body)
    if not m:
        raise AssertionError("no confirmation form on %s:\n%s" % (path, r.body[:2000]))
    return client.post(html.unescape(m.group(1)), {"csrf": html.unescape(m.group(2)),
                                                   "token": html.unescape(m.group(3))})


def create_account(server, email_addr=None, password=GOOD_PASSWORD, name="Test Person"):
    """Signs up and confirms an account over HTTP; returns the address."""
    email_addr = email_addr or unique_email()
    c = server.client()
    r = signup(c, email_addr, password, name)
    if r.status != 200:
        raise AssertionError("sign-up of %s: %s\n%s" % (email_addr, r.status, r.body[:1500]))
    r = follow_mail_link(c, confirm_link(server, email_addr))
    if r.status != 303:
        raise AssertionError("confirm %s: %s" % (email_addr, r.status))
    return email_addr


def login(client, email_addr, password=GOOD_PASSWORD, next_path=None):
    token = client.csrf_for("/anmelden")
    fields = {"csrf": token, "email": email_addr, "password": password}
    if next_path is not None:
        fields["weiter"] = next_path
    return client.post("/anmelden", fields)


def signed_in_client(server, email_addr, password=GOOD_PASSWORD):
    c = server.client()
    r = login(c, email_addr, password)
    if r.status != 303 or "verbund" not in c.cookies:
        raise AssertionError("log-in of %s failed: %s\n%s" % (email_addr, r.status,
                                                              r.body[:1500]))
    return c


# ---------------------------------------------------------------------------------
# Test case base: prints the server log tail when a test fails


class ServerTestCase(unittest.TestCase):
    """Subclasses set `server` (class or instance attribute); more servers can be
    registered with self.watch(server) so their logs are shown on failure."""

    server = None

    def watch(self, server):
        self.__dict__.setdefault("_watched", []).append(server)
        return server

    def run(self, result=None):
        before = (len(result.failures), len(result.errors)) if result is not None else None
        out = super().run(result)
        if result is not None and (len(result.failures), len(result.errors)) != before:
            servers = [self.server] + list(self.__dict__.get("_watched", []))
            for s in servers:
                if s is not None:
                    state = ("running" if s.running() else "exited with %s"
                             % (s.proc.returncode if s.proc else None))
                    sys.stderr.write("\n----- server log tail (%s, %s) -----\n%s\n-----\n"
                                     % (s.data_dir, state, s.log_tail(30)))
        return out


class Timer:
    def __enter__(self):
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.start
        return False
