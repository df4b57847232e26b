"""The HTTP transport over raw sockets: limits (431, 413), malformed requests, slow
clients, keep-alive, and the graceful drain on SIGTERM."""

import signal
import socket
import threading
import time
import unittest

import harness
from harness import Server, ServerTestCase, raw, split_responses, status_of


class TransportTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Server(settings={"limits.read_header_timeout": "2"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    @property
    def port(self):
        return self.server.port

    def assert_still_serving(self):
        r = self.server.client().get("/healthz")
        self.assertEqual(r.status, 200)
        self.assertTrue(self.server.running())

    # -- limits ----------------------------------------------------------------------

    def test_header_over_8k_is_431(self):
        req = (b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 10000 + b"\r\n\r\n")
        out = raw(self.port, req)
        self.assertTrue(out.startswith(b"HTTP/1.1 431 "), out[:200])
        head = out.split(b"\r\n\r\n")[0].lower()
        self.assertIn(b"\r\nx-content-type-options: nosniff", head)
        self.assertIn(b"\r\nconnection: close", head)
        self.assertIn(b"frame-ancestors 'none'", head)
        self.assert_still_serving()

    def test_header_just_under_limit_is_fine(self):
        req = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: " + b"a" * 7000
               + b"\r\n\r\n")
        out = raw(self.port, req)
        self.assertEqual(status_of(out), 200, out[:200])

    def test_body_over_1m_is_413(self):
        body = b"a" * 2000000
        req = (b"POST /anmelden HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
               b"urlencoded\r\nContent-Length: 2000000\r\n\r\n" + body)
        out = raw(self.port, req, shutdown_write=True)
        self.assertTrue(out.startswith(b"HTTP/1.1 413 "), out[:200])
        self.assert_still_serving()

    def test_chunked_body_over_1m_is_413(self):
        chunk = b"b" * 65536
        body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)) + b"0\r\n\r\n"
        req = (b"POST /anmelden HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-"
               b"urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
        out = raw(self.port, req, shutdown_write=True)
        self.assertTrue(out.startswith(b"HTTP/1.1 413 "), out[:200])
        self.assert_still_serving()

    def test_body_under_limit_is_read(self):
        body = b"email=x&pad=" + b"c" * 500000
        req = (b"POST /anmelden HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
               b"application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n" % len(body)
               + body)
        out = raw(self.port, req)
        self.assertEqual(status_of(out), 403, out[:200])  # no CSRF token, but read and answered

    # -- malformed requests --------------------------------------------------------------

    def test_malformed_requests_are_400(self):
        for req in (b"GARBAGE\r\n\r\n",
                    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                    b"GET / HTTP/9.9\r\n\r\n",
                    b"GET\r\n\r\n",
                    b"GET / HTTP/1.1\r\nBad Header Line\r\n\r\n",
                    b"GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n",
                    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                    b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n"):
            with self.subTest(req=req):
                out = raw(self.port, req)
                self.assertTrue(out.startswith(b"HTTP/1.1 400 "), out[:200])
                self.assert_still_serving()

    def assert_refused_alone(self, req, smuggled_path):
        """One 400 that closes the connection; the request behind it never ran."""
        responses = split_responses(raw(self.port, req, read_timeout=2))
        self.assertEqual([st for st, _, _ in responses], [400])
        self.assertEqual(responses[0][1].get("connection"), "close")
        self.assertNotIn("path=" + smuggled_path, self.server.log_text())

    def test_transfer_encoding_without_final_chunked_is_400(self):
        inner = b"GET /geschmuggelt HTTP/1.1\r\nHost: x\r\n\r\n"
        for te in (b"gzip", b"chunked, identity"):
            with self.subTest(te=te):
                req = (b"POST /anmelden HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                       b"x-www-form-urlencoded\r\nTransfer-Encoding: " + te + b"\r\n\r\n" + inner)
                self.assert_refused_alone(req, "/geschmuggelt")

    def test_transfer_encoding_in_http_1_0_is_400_and_closes(self):
        inner = b"GET /nachgeschoben HTTP/1.1\r\nHost: x\r\n\r\n"
        req = (b"POST /anmelden HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded"
               b"\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + inner)
        self.assert_refused_alone(req, "/nachgeschoben")
        self.assert_still_serving()

    def test_folded_header_lines_are_400(self):
        inner = b"GET /gefaltet HTTP/1.1\r\nHost: x\r\n\r\n"
        for fold in (b"Transfer-Encoding:\r\n chunked", b"Transfer-Encoding:\r\n\tchunked",
                     b"X-Note: a\r\n b"):
            with self.subTest(fold=fold):
                req = (b"POST /anmelden HTTP/1.1\r\nHost: x\r\n" + fold +
                       b"\r\n\r\n0\r\n\r\n" + inner)
                self.assert_refused_alone(req, "/gefaltet")
        # a header arriving in pieces is read whole (and spaces inside values are fine)
        s = socket.create_connection(("127.0.0.1", self.port))
        try:
            for piece in (b"GET /healthz HTTP/1.1\r\nHo", b"st: x\r\nX-Note: a b\r", b"\n\r\n"):
                s.sendall(piece)
                time.sleep(0.05)
            s.settimeout(5)
            self.assertEqual(status_of(s.recv(4096)), 200)
        finally:
            s.close()
        self.assert_still_serving()

    def test_form_with_too_many_fields_is_refused_before_parsing(self):
        def post_fields(n):
            body = b"&".join(b"f%d=x" % i for i in range(n))
            return raw(self.port, b"POST /anmelden HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       b"application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
                       % len(body) + body, read_timeout=5)
        out = post_fields(1001)
        self.assertEqual(status_of(out), 400)
        self.assertIn("zu viele Felder".encode(), out)
        # 1,000 fields are still a form (refused for its missing CSRF token, not its size)
        self.assertEqual(status_of(post_fields(1000)), 403)

    def test_content_length_with_transfer_encoding_is_400(self):
        inner = b"GET /versteckt HTTP/1.1\r\nHost: x\r\n\r\n"
        req = (b"POST /anmelden HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + inner)
        responses = split_responses(raw(self.port, req, read_timeout=2))
        self.assertEqual([st for st, _, _ in responses], [400])
        self.assertNotIn("path=/versteckt", self.server.log_text())

    def test_missing_or_repeated_host_is_400(self):
        for req in (b"GET /healthz HTTP/1.1\r\n\r\n",
                    b"GET /healthz HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n"):
            with self.subTest(req=req):
                self.assertEqual(status_of(raw(self.port, req, read_timeout=2)), 400)

    def test_http_1_0(self):
        out = raw(self.port, b"GET /healthz HTTP/1.0\r\n\r\n")
        self.assertEqual(status_of(out), 200)
        self.assertTrue(out.endswith(b"\r\n\r\nok\n"), out)

    # -- slow clients ------------------------------------------------------------------

    def test_slow_header_is_cut_off_and_others_are_served(self):
        s = socket.create_connection(("127.0.0.1", self.port))
        s.settimeout(0.2)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed_after = None
        latencies = []
        try:
            while time.monotonic() - started < 8:
                try:
                    s.sendall(b"X")  # one header byte every 0.5 s
                except (BrokenPipeError, ConnectionResetError):
                    closed_after = time.monotonic() - started
                    break
                try:
                    s.recv(4096)  # b"" (closed) or anything else ends the wait
                    closed_after = time.monotonic() - started
                    break
                except socket.timeout:
                    pass
                except ConnectionResetError:
                    closed_after = time.monotonic() - started
                    break
                with harness.Timer() as t:
                    r = self.server.client().get("/healthz")
                self.assertEqual(r.status, 200)
                latencies.append(t.seconds)
                time.sleep(max(0, 0.5 - 0.2 - t.seconds))
        finally:
            s.close()
        self.assertIsNotNone(closed_after, "the slow connection was never closed")
        self.assertLess(closed_after, 4.5)
        self.assertGreater(closed_after, 1.5)  # the timeout is 2 s, not immediate
        self.assertTrue(latencies)
        self.assertLess(max(latencies), 1.0, latencies)
        time.sleep(0.1)
        self.assertIn("event=request_timeout", self.server.log_text())

    def test_many_slow_clients_do_not_block_others(self):
        socks = []
        try:
            for _ in range(50):
                s = socket.create_connection(("127.0.0.1", self.port))
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                socks.append(s)
            for _ in range(5):
                with harness.Timer() as t:
                    r = self.server.client().get("/")
                self.assertEqual(r.status, 200)
                self.assertLess(t.seconds, 1.0)
        finally:
            for s in socks:
                s.close()

    def test_idle_connection_without_request_is_closed(self):
        s = socket.create_connection(("127.0.0.1", self.port))
        s.settimeout(6)
        with harness.Timer() as t:
            try:
                data = s.recv(100)
            except ConnectionResetError:
                data = b""
        s.close()
        self.assertEqual(data, b"")
        self.assertLess(t.seconds, 4.5)

    # -- keep-alive --------------------------------------------------------------------

    def test_keep_alive_two_requests_one_socket(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            first = self.read_response(s)
            self.assertEqual(first[0], 200)
            self.assertEqual(first[2], b"ok\n")
            self.assertNotEqual(first[1].get("connection", "").lower(), "close")
            s.sendall(b"GET /impressum HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            second = self.read_response(s)
            self.assertEqual(second[0], 200)
            self.assertIn(b"Impressum", second[2])
            self.assertEqual(s.recv(10), b"")  # closed as asked
        finally:
            s.close()

    def test_pipelined_requests(self):
        reqs = (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /gibt-es-nicht HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        out = raw(self.port, reqs)
        statuses = [st for st, _, _ in split_responses(out)]
        self.assertEqual(statuses, [200, 404, 200])

    def read_response(self, s):
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                raise AssertionError("closed before a response header: %r" % buf)
            buf += chunk
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip()
                   for k, _, v in (l.partition(":") for l in lines[1:])}
        n = int(headers.get("content-length", "0"))
        while len(rest) < n:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        return int(lines[0].split()[1]), headers, rest[:n]


class WorkerQueueTest(ServerTestCase):
    """A response goes out as soon as its handler is done, not when the handler pool
    has nothing else to do."""

    def setUp(self):
        # One handler thread and real argon2 hashing (about 0.1 s per sign-up), so the
        # sign-ups below are handled one after the other.
        self.server = Server(args=["--workers", "1"],
                             settings={"auth.password_hash_strength": "interactive"})

    def tearDown(self):
        self.server.close()

    def test_responses_leave_as_soon_as_they_are_ready(self):
        token = self.server.client().csrf_for("/registrieren")
        n = 12
        barrier = threading.Barrier(n)
        done = []
        lock = threading.Lock()

        def one(i):
            c = self.server.client()
            fields = {"csrf": token, "display_name": "Warteschlange", "password": harness.GOOD_PASSWORD,
                      "password_repeat": harness.GOOD_PASSWORD,
                      "email": harness.unique_email("queue")}
            barrier.wait()
            r = c.post("/registrieren", fields)
            with lock:
                done.append((time.monotonic(), r.status))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual([st for _, st in done], [200] * n)
        times = sorted(t for t, _ in done)
        # The largest number of answers that arrived within any 30 ms: with one handler
        # thread and ~0.1 s per sign-up, answers should trickle in one by one.
        burst = max(sum(1 for u in times if t <= u < t + 0.03) for t in times)
        self.assertLessEqual(burst, 3, "answers arrived in a burst: %s"
                             % [round(t - times[0], 3) for t in times])


class DrainTest(ServerTestCase):
    """SIGTERM: no new connections, the request in flight is finished, then exit 0."""

    def setUp(self):
        self.server = Server()

    def tearDown(self):
        self.server.close()

    def test_sigterm_finishes_request_in_flight(self):
        body = b"email=jemand%40example.org&password=irgendein+Passwort+123&pad=" + b"p" * 200
        half = len(body) // 2
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            s.sendall(b"POST /anmelden HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                      b"application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n"
                      % len(body) + body[:half])
            time.sleep(0.3)  # the server is reading the body now
            self.server.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            # new connections are refused while the old one drains
            with self.assertRaises(OSError):
                c = socket.create_connection(("127.0.0.1", self.server.port), timeout=2)
                c.close()
            self.assertTrue(self.server.running())
            s.sendall(body[half:])
            out = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        finally:
            s.close()
        responses = split_responses(out)
        self.assertEqual(len(responses), 1, out[:300])
        status, headers, resp_body = responses[0]
        self.assertIn(status, (403, 422, 200, 303))
        self.assertEqual(headers.get("connection", "").lower(), "close")
        self.assertEqual(len(resp_body), int(headers["content-length"]))
        code = self.server.wait_exit(10)
        self.assertEqual(code, 0, self.server.log_tail())
        self.assertIn("event=shutdown_complete", self.server.log_text())

    def test_sigterm_closes_idle_keep_alive_connections_at_once(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 200"))
            # the connection stays open (keep-alive), idle
            with harness.Timer() as t:
                self.server.send_signal(signal.SIGTERM)
                code = self.server.wait_exit(8)
            self.assertEqual(code, 0)
            # well below limits.shutdown_grace (10 s): idle connections do not hold it up
            self.assertLess(t.seconds, 3.0)
            self.assertEqual(s.recv(10), b"")
        finally:
            s.close()

    def test_sigterm_without_connections_exits_quickly(self):
        with harness.Timer() as t:
            code = self.server.stop(signal.SIGTERM)
        self.assertEqual(code, 0)
        self.assertLess(t.seconds, 3.0)

    def test_sigint_also_drains(self):
        code = self.server.stop(signal.SIGINT)
        self.assertEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
