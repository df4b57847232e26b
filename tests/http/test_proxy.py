"""Behind a proxy: the client address from X-Forwarded-For / Forwarded only when the
peer is a trusted proxy (login limits, /metrics, access log), HSTS over https, and an
accept loop that backs off instead of spinning when file descriptors run out.

The tests connect from 127.0.0.1 and play the proxy themselves: a request from the
trusted peer with "X-Forwarded-For: A" stands for client A behind nginx."""

import os
import resource
import socket
import subprocess
import time
import unittest

import harness
from harness import GOOD_PASSWORD, Server, ServerTestCase, create_account, login, unique_email

HSTS = "max-age=31536000; includeSubDomains"


def forwarded_client(server, xff=None, forwarded=None):
    c = server.client()
    if xff is not None:
        c.default_headers["X-Forwarded-For"] = xff
    if forwarded is not None:
        c.default_headers["Forwarded"] = forwarded
    return c


def fail_logins(testcase, client, times):
    for i in range(times):
        r = login(client, unique_email("spray"), "Falsches Passwort %d" % i)
        testcase.assertEqual(r.status, 422, "attempt %d" % (i + 1))


def wait_for_log(server, needle, timeout=5.0):
    """Info lines are written in batches (at most 20 ms late): poll for a while."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in server.log_text():
            return True
        time.sleep(0.05)
    return False


class TrustedProxyTest(ServerTestCase):
    """trusted_proxies = 127.0.0.1/32: the forwarded address is the client."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(settings={"trusted_proxies": "127.0.0.1/32"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_login_limit_counts_the_forwarded_address(self):
        victim = create_account(self.server, unique_email("victim"))
        a = forwarded_client(self.server, xff="203.0.113.10")
        fail_logins(self, a, 10)
        # A is locked out, even with the right password of an account without failures ...
        r = login(a, victim, GOOD_PASSWORD)
        self.assertEqual(r.status, 429)
        self.assertTrue(r.headers.get("retry-after", "").isdigit())
        # ... B behind the same proxy is not, and neither is the proxy itself.
        b = forwarded_client(self.server, xff="203.0.113.20")
        self.assertEqual(login(b, victim, GOOD_PASSWORD).status, 303)
        self.assertEqual(login(self.server.client(), victim, GOOD_PASSWORD).status, 303)

    def test_client_written_entries_left_of_the_proxys_do_not_escape_the_limit(self):
        # The client sends its own X-Forwarded-For each time; nginx appends the real
        # address. Only the rightmost untrusted hop counts.
        victim = create_account(self.server, unique_email("victim2"))
        for i in range(10):
            c = forwarded_client(self.server, xff="198.51.100.%d, 127.0.0.1, 203.0.113.30" % i)
            r = login(c, unique_email("spray"), "Falsches Passwort")
            self.assertEqual(r.status, 422, "attempt %d" % (i + 1))
        c = forwarded_client(self.server, xff="10.9.9.9, 203.0.113.30")
        self.assertEqual(login(c, victim, GOOD_PASSWORD).status, 429)

    def test_ipv6_clients_are_limited_by_their_64(self):
        victim = create_account(self.server, unique_email("victim6"))
        for i in range(10):
            c = forwarded_client(self.server, xff="2001:db8:1:2::%x" % (i + 1))
            r = login(c, unique_email("spray"), "Falsches Passwort")
            self.assertEqual(r.status, 422, "attempt %d" % (i + 1))
        same64 = forwarded_client(self.server, xff="2001:db8:1:2:ffff:1:2:3")
        self.assertEqual(login(same64, victim, GOOD_PASSWORD).status, 429)
        other64 = forwarded_client(self.server, xff="2001:db8:1:3::1")
        self.assertEqual(login(other64, victim, GOOD_PASSWORD).status, 303)

    def test_rfc7239_forwarded_header_with_quoted_ipv6(self):
        victim = create_account(self.server, unique_email("victim7239"))
        for i in range(10):
            c = forwarded_client(self.server,
                                 forwarded='for="[2001:db8:7:7::%x]:4711";proto=https' % (i + 1))
            r = login(c, unique_email("spray"), "Falsches Passwort")
            self.assertEqual(r.status, 422, "attempt %d" % (i + 1))
        c = forwarded_client(self.server, xff="2001:db8:7:7::99")
        self.assertEqual(login(c, victim, GOOD_PASSWORD).status, 429)

    def test_metrics_is_not_public_through_a_local_proxy(self):
        r = forwarded_client(self.server, xff="203.0.113.9").get("/metrics")
        self.assertEqual(r.status, 403)
        self.assertNotIn("verbund_http_requests_total", r.body)
        r = forwarded_client(self.server, forwarded="for=203.0.113.9").get("/metrics")
        self.assertEqual(r.status, 403)
        # a client claiming to be loopback through the proxy is still the proxy's client
        r = forwarded_client(self.server, xff="127.0.0.1, 203.0.113.9").get("/metrics")
        self.assertEqual(r.status, 403)
        # the machine itself (Prometheus scraping directly) still gets the numbers
        r = self.server.client().get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertIn("verbund_http_requests_total", r.body)
        # and so does a loopback client forwarded by the proxy
        self.assertEqual(forwarded_client(self.server, xff="127.0.0.1").get("/metrics").status,
                         200)

    def test_access_log_names_the_forwarded_client(self):
        forwarded_client(self.server, xff="203.0.113.77").get("/proxy-log-check-1")
        self.assertTrue(wait_for_log(self.server, "remote=203.0.113.77"),
                        self.server.log_tail(10))
        self.assertTrue(wait_for_log(self.server, "peer=127.0.0.1"), self.server.log_tail(10))

    def test_no_hsts_without_https_base_url(self):
        r = self.server.client().get("/healthz")
        self.assertNotIn("strict-transport-security", r.headers)


class UntrustedPeerTest(ServerTestCase):
    """No trusted_proxies: X-Forwarded-For is anybody's to write and is ignored."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_spoofed_x_forwarded_for_does_not_bypass_the_login_limit(self):
        victim = create_account(self.server, unique_email("victim"))
        for i in range(10):
            c = forwarded_client(self.server, xff="203.0.113.%d" % (i + 1),
                                 forwarded="for=198.51.100.%d" % (i + 1))
            r = login(c, unique_email("spray"), "Falsches Passwort")
            self.assertEqual(r.status, 422, "attempt %d" % (i + 1))
        # all ten counted for 127.0.0.1, whatever the header said
        c = forwarded_client(self.server, xff="203.0.113.200")
        self.assertEqual(login(c, victim, GOOD_PASSWORD).status, 429)

    def test_metrics_ignores_the_header(self):
        self.assertEqual(forwarded_client(self.server, xff="203.0.113.9").get("/metrics").status,
                         200)

    def test_access_log_shows_the_peer(self):
        forwarded_client(self.server, xff="203.0.113.78").get("/proxy-log-check-2")
        self.assertTrue(wait_for_log(self.server, "log-check"), self.server.log_tail(10))
        self.assertNotIn("203.0.113.78", self.server.log_text())


class BehindProxyDefaultTest(ServerTestCase):
    """behind_proxy = true without trusted_proxies trusts a proxy on loopback."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(settings={"behind_proxy": "true"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_loopback_proxy_is_trusted(self):
        self.assertEqual(forwarded_client(self.server, xff="203.0.113.9").get("/metrics").status,
                         403)
        self.assertEqual(self.server.client().get("/metrics").status, 200)


class StrictTransportSecurityTest(ServerTestCase):
    """base_url https://...: every response says the site is https only."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(settings={"base_url": "https://verbund.example"})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_every_response_carries_hsts(self):
        c = self.server.client()
        for path in ("/healthz", "/", "/gibt-es-nicht", "/anmelden"):
            r = c.get(path)
            self.assertEqual(r.headers.get("strict-transport-security"), HSTS, path)
            self.assertEqual([k for k, _ in r.header_list].count("strict-transport-security"), 1)
        # also on the transport's own error answers
        out = self.server.raw(b"GARBAGE\r\n\r\n")
        self.assertIn(b"\r\nStrict-Transport-Security: " + HSTS.encode() + b"\r\n", out)

    def test_invalid_trusted_proxies_stop_start_up(self):
        r = harness.run_cli(["serve", "--listen", "127.0.0.1:0"],
                            data_dir=self.server.data_dir,
                            settings={"trusted_proxies": "127.0.0.1/33"}, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("trusted_proxies", r.stdout + r.stderr)


# ---------------------------------------------------------------------------------
# Running out of file descriptors


NOFILE = 64
FLOOD = 150  # connections: well beyond what the server can accept under NOFILE


class LowNofileServer(Server):
    """A server whose RLIMIT_NOFILE is NOFILE."""

    def _spawn(self):
        self._close_log()
        self._log_file = open(self.log_path, "ab")

        def limit():
            resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, NOFILE))

        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                     stdout=self._log_file, stderr=self._log_file,
                                     env=harness.child_env(self.env), start_new_session=True,
                                     preexec_fn=limit)
        harness._live_servers.add(self)


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def http_get_on(sock, path):
    sock.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    deadline = time.monotonic() + 10
    while b"\r\n\r\n" not in data and time.monotonic() < deadline:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(body) < length and time.monotonic() < deadline:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return harness.status_of(head)


class DescriptorExhaustionTest(ServerTestCase):

    def setUp(self):
        self.server = LowNofileServer(settings={"limits.read_header_timeout": "60",
                                                "limits.idle_timeout": "60"})
        self.flood = []

    def tearDown(self):
        for s in self.flood:
            s.close()
        self.server.close()

    def test_emfile_backs_off_keeps_serving_and_recovers(self):
        port = self.server.port
        keep = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.addCleanup(keep.close)
        self.assertEqual(http_get_on(keep, "/healthz"), 200)

        for _ in range(FLOOD):
            try:
                self.flood.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break  # the backlog is full: enough
        self.assertGreater(len(self.flood), NOFILE)
        time.sleep(0.5)  # the server runs into EMFILE now

        pid = self.server.proc.pid
        t0, c0 = time.monotonic(), cpu_seconds(pid)
        time.sleep(2.0)
        t1, c1 = time.monotonic(), cpu_seconds(pid)
        share = (c1 - c0) / (t1 - t0)
        print("\nCPU under EMFILE: %.1f%% of one core" % (share * 100))
        self.assertLess(share, 0.30, "the accept loop spins")

        # The connection we had before is still served.
        self.assertEqual(http_get_on(keep, "/healthz"), 200)

        warnings = [l for l in self.server.log_text().splitlines() if "accept_failed" in l]
        print("accept_failed lines: %d" % len(warnings))
        self.assertGreaterEqual(len(warnings), 1, self.server.log_tail(10))
        self.assertLessEqual(len(warnings), 5, "\n".join(warnings[:10]))

        # Descriptors free again: new connections are accepted and answered.
        for s in self.flood:
            s.close()
        self.flood = []
        deadline = time.monotonic() + 15
        status = None
        while time.monotonic() < deadline:
            try:
                status = self.server.client().get("/healthz").status
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.assertEqual(status, 200)
        self.assertTrue(self.server.running())
        self.assertTrue(wait_for_log(self.server, "accept_recovered"), self.server.log_tail(10))


if __name__ == "__main__":
    unittest.main()
